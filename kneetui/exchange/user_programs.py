"""Programmes the person made or imported, kept as one programme file each.

Each programme is ``<id>.toml`` in :func:`kneetui.storage.locations.programs_dir`,
in the format of :mod:`kneetui.exchange.program_file`, so the folder can be
backed up, read and edited by hand. A file that cannot be used becomes a
failure entry to show, never an exception and never a silent skip.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from kneetui.api import Register, hookimpl
from kneetui.content.catalog import Catalog
from kneetui.content.model import Program, Provenance
from kneetui.content.text import reason
from kneetui.content.validation import ID_PATTERN, ContentError, checked
from kneetui.plugin_host.records import Origin, PluginRecord
from kneetui.storage import locations
from kneetui.storage.atomic import write_atomic

SUFFIX = ".toml"
#: The plug-in name the person's own programmes are registered under, and their owner in the catalog.
PLUGIN_NAME = "your-programmes"


def as_own(program: Program) -> Program:
    """``program`` as one of the person's own: what it marks as kneetui's reading is marked as theirs.

    Only kneetui's own plug-ins speak for kneetui (the loader refuses the mark from anyone else), and a
    file that passed through a person's hands may have changed since kneetui wrote it. The other marks
    (the article's, a plug-in author's) stay as the file gives them.
    """
    if Provenance.KNEETUI not in program.provenances():
        return program
    advice = tuple(
        replace(line, provenance=Provenance.YOURS) if line.provenance is Provenance.KNEETUI else line
        for line in program.advice
    )
    provenance = Provenance.YOURS if program.provenance is Provenance.KNEETUI else program.provenance
    return replace(program, provenance=provenance, advice=advice)


def unusable(program: Program, catalog: Catalog) -> str:
    """Why kneetui would not load ``program`` from the person's folder ('' when it would): the loader's checks."""
    from kneetui.plugin_host.loader import kneetui_reading_problem, program_problem

    try:
        cleaned, provenances = checked(program, Program, PLUGIN_NAME)
    except ContentError as error:
        return str(error)
    return kneetui_reading_problem("programs", cleaned.id, provenances, Origin.OWN) or program_problem(cleaned, catalog)


def kept_apart(program: Program, taken_ids: Collection[str], taken_names: Collection[str] = ()) -> Program:
    """``program`` under the first free id and name: 'my-plan-2' and 'My plan (2)' when 'my-plan' is taken.

    Used to keep an imported programme beside one that already has its id, so neither replaces the other
    and each can still be told apart by its name.
    """
    from kneetui.exchange.schema import MAX_NAME  # the format's limits load only when a name is taken

    number = 2
    while True:
        suffix = f"-{number}"
        new_id = program.id[: 64 - len(suffix)].rstrip("-._") + suffix
        label = f" ({number})"
        new_name = program.name[: MAX_NAME - len(label)].rstrip() + label
        if new_id not in taken_ids and new_name not in taken_names:
            return replace(program, id=new_id, name=new_name)
        number += 1


class ProgramExistsError(FileExistsError):
    """Saving would replace a programme that is already saved."""

    def __init__(self, program_id: str, path: Path) -> None:
        self.program_id, self.path = program_id, path
        super().__init__(
            f"a programme with the id {program_id!r} is already saved as {path}; "
            "replace it only if you mean to (--force)"
        )


@dataclass(frozen=True)
class ProgramFileFailure:
    """A programme file that could not be loaded, and why, in one line."""

    path: Path
    reason: str


class UserProgramsLoad(NamedTuple):
    """The programmes that loaded, and the files that did not."""

    programs: list[Program]
    failures: list[ProgramFileFailure]


class UserPrograms:
    """The folder of user programmes, offered to kneetui through the programme hook like any plug-in's."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or locations.programs_dir()
        #: The files that could not be used the last time the programmes were registered.
        self.failures: builtins.list[ProgramFileFailure] = []
        #: :meth:`signature` when the programmes were last registered.
        self.registered_signature: object = None

    def candidate(self) -> tuple[PluginRecord, Any]:
        """The ``(record, load)`` pair that loads these programmes as the plug-in :data:`PLUGIN_NAME`."""
        return PluginRecord(name=PLUGIN_NAME, origin=Origin.OWN, location=str(self.folder)), lambda: self

    @hookimpl
    def kneetui_register_programs(self, register: Register, catalog: Catalog) -> None:
        """Register every saved programme that is valid with ``catalog``; keep the others in :attr:`failures`."""
        self.registered_signature = self.signature()
        loaded = self.load_all(catalog)
        self.failures = loaded.failures
        for program in loaded.programs:
            # A file saved before imports were made the person's own may still say it is kneetui's reading.
            register(as_own(program))

    def signature(self) -> object:
        """Changes whenever a programme file is added, removed or written (by kneetui or anyone else)."""
        try:
            with os.scandir(self.folder) as entries:
                return sorted(
                    (entry.name, entry.stat().st_mtime_ns, entry.stat().st_size)
                    for entry in entries
                    if entry.name.endswith(SUFFIX)
                )
        except OSError:
            return None

    def changed(self) -> bool:
        """Whether the folder changed since the programmes were last registered."""
        return self.signature() != self.registered_signature

    def path_for(self, program_id: str) -> Path:
        """Where the programme ``program_id`` is (or would be) saved."""
        # fullmatch, because the id becomes a file name: no '/', no '..', no newline.
        if not ID_PATTERN.fullmatch(program_id):
            raise ValueError(f"{program_id!r} is not a valid programme id")
        return self.folder / f"{program_id}{SUFFIX}"

    def list(self) -> builtins.list[str]:
        """The ids of the saved programmes, sorted; whether each file is valid is :meth:`load_all`'s job."""
        return [path.stem for path in self._files()]

    def exists(self, program_id: str) -> bool:
        return self.path_for(program_id).exists()

    def save(self, program: Program, overwrite: bool = False) -> Path:
        """Write ``program`` atomically and return its path.

        Raises :class:`ProgramExistsError` if it is already saved and ``overwrite`` is false.
        """
        from kneetui.exchange.program_file import export_program

        return self._write(program.id, export_program(program), overwrite)

    def save_imported(self, program: Program, catalog: Catalog, overwrite: bool = False) -> tuple[Program, Path]:
        """Save ``program`` :func:`as_own`, only if kneetui will load it back from the file; the programme and path.

        The file's text is read back as kneetui reads the folder before anything is written, so
        what is saved is always usable. Raises :class:`~kneetui.exchange.program_file.ProgramFileError`
        when it would not be (nothing is written), and :class:`ProgramExistsError` as :meth:`save` does.
        """
        from kneetui.exchange.program_file import ProgramFileError, export_program, parse_program

        own = as_own(program)
        text = export_program(own)
        problem = unusable(parse_program(text, catalog), catalog)
        if problem:
            raise ProgramFileError("", f"kneetui could not use it: {problem}")
        return own, self._write(own.id, text, overwrite)

    def _write(self, program_id: str, text: str, overwrite: bool) -> Path:
        path = self.path_for(program_id)
        if path.exists() and not overwrite:
            raise ProgramExistsError(program_id, path)
        write_atomic(path, text.encode("utf-8"))
        return path

    def delete(self, program_id: str) -> bool:
        """Remove a saved programme; ``False`` if there was none."""
        try:
            self.path_for(program_id).unlink()
        except FileNotFoundError:
            return False
        return True

    def load_all(self, catalog: Catalog) -> UserProgramsLoad:
        """Every saved programme that is valid with ``catalog``, and a failure for each that is not."""
        programs: builtins.list[Program] = []
        failures: builtins.list[ProgramFileFailure] = []
        try:
            paths = self._files()
        except OSError as error:
            return UserProgramsLoad([], [ProgramFileFailure(self.folder, f"cannot list the folder: {reason(error)}")])
        if paths:  # the file format (and its schema) is imported only when there are files to read
            from kneetui.exchange.program_file import ProgramFileError, read_program_file
        for path in paths:
            try:
                program = read_program_file(path, catalog)
            except ProgramFileError as error:
                failures.append(ProgramFileFailure(path, str(error)))
                continue
            if path.stem != program.id:
                failures.append(
                    ProgramFileFailure(
                        path, f"holds the programme {program.id!r}; rename the file to {program.id}{SUFFIX}"
                    )
                )
                continue
            programs.append(program)
        return UserProgramsLoad(programs, failures)

    def _files(self) -> builtins.list[Path]:
        if not self.folder.is_dir():
            return []
        # Names starting with '.' are write_atomic's temporary files, or hidden.
        return sorted(path for path in self.folder.iterdir() if path.suffix == SUFFIX and not path.name.startswith("."))

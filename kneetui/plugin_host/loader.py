"""Discovers plug-ins (entry points, then the user plug-in folder) and collects their content.

Each plug-in is imported, registered and called in its own ``try``: one broken
plug-in is recorded in its :class:`PluginRecord` and never stops the others.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import FunctionType, MethodType, ModuleType
from typing import TYPE_CHECKING, Any, cast

import pluggy

from kneetui import hookspecs
from kneetui.api import API_VERSION
from kneetui.content.catalog import Catalog
from kneetui.content.model import KINDS, Program, Provenance
from kneetui.content.text import clean_text, one_line
from kneetui.content.validation import ContentError, checked
from kneetui.plugin_host import discovery
from kneetui.plugin_host.containment import (
    PrintedLines,
    append_to_log,
    at,
    caller_location,
    error_location,
    printed_to,
)
from kneetui.plugin_host.mistakes import (
    MARKER,
    hook_mistakes,
    hook_names,
    returned_instead_of_registering,
    wrong_arguments,
)
from kneetui.plugin_host.records import Origin, PluginRecord
from kneetui.plugin_host.reserved import OWN_ENTRY_POINTS, file_of, own_entry_point_names, shadowed_modules

if TYPE_CHECKING:
    import importlib.metadata

ENTRY_POINT_GROUP = "kneetui"
OWN_DISTRIBUTION = "kneetui"
#: The module name the plug-in folder's file NAME.py is imported under is this prefix and NAME.
USER_FOLDER_PREFIX = "kneetui_user_plugin_"


@dataclass
class LoadResult:
    """The outcome of loading: the merged content and a record per plug-in."""

    catalog: Catalog
    plugins: list[PluginRecord]
    manager: pluggy.PluginManager
    objects: dict[str, Any] = field(default_factory=dict)
    #: Each registered plug-in's problems before its programmes were collected.
    _problems_before_programs: dict[str, list[str]] = field(default_factory=dict, repr=False)

    @property
    def failed(self) -> list[PluginRecord]:
        return [record for record in self.plugins if record.failure or record.problems]

    def record(self, name: str) -> PluginRecord | None:
        return next((record for record in self.plugins if record.name == name), None)

    def add_plugin(self, record: PluginRecord, load: Any) -> None:
        """Load one more plug-in into this result, as if it had been found at start-up."""
        self.plugins.append(record)
        plugin = _register(self.manager, record, load)
        if plugin is None:
            _clean_record(record)
            return
        self.objects[record.name] = plugin
        _note_hooks(self.manager, {record.name: record})
        _collect(self.manager, {record.name: record}, self.catalog, [kind for kind in KINDS if kind != "programs"])
        self._problems_before_programs[record.name] = list(record.problems)
        self.collect_programs()

    def collect_programs(self) -> None:
        """Ask every plug-in for its programmes again, as at start-up.

        For when the person's own programmes changed: one that replaced a
        plug-in's programme of the same id and was deleted brings that one back.
        """
        records = {record.name: record for record in self.plugins if record.name in self.objects}
        if not self._problems_before_programs:
            self._problems_before_programs = {name: list(record.problems) for name, record in records.items()}
        for name, record in records.items():
            record.problems = list(self._problems_before_programs.get(name, []))
            record.contributions["programs"] = 0
        for program in self.catalog.programs:
            self.catalog.remove("programs", program.id)
        _collect(self.manager, records, self.catalog, ["programs"])
        _check_programs(self.catalog, records)
        # Registered first so they win, listed last as the newest.
        own = {name for name, record in records.items() if record.origin is Origin.OWN}
        programs = self.catalog.items["programs"]
        for program_id in [key for key in programs if self.catalog.owner_of("programs", key) in own]:
            programs[program_id] = programs.pop(program_id)
        for record in records.values():
            _clean_record(record)


#: Names a module's type holds as data descriptors, which ``getattr_static`` finds before the module's namespace.
_MODULE_TYPE_DESCRIPTORS = frozenset(
    name for name in dir(ModuleType) if hasattr(type(inspect.getattr_static(ModuleType, name)), "__set__")
)
_HOOKABLE = (FunctionType, MethodType, classmethod, staticmethod)
_ABSENT = object()


class _PluginManager(pluggy.PluginManager):
    """pluggy's manager, quicker to read a plug-in module's names.

    pluggy looks each name of a plug-in up with ``inspect.getattr_static`` (so that no
    property of an untrusted plug-in runs), which costs more than the rest of loading a
    small plug-in. For a plain module, ``getattr_static`` finds what the module's own
    namespace holds, unless its type holds the name as a data descriptor: a value there
    that is not a function cannot be a hook, and a function's hook options are read from
    it as pluggy reads them. Every other name, and every other kind of plug-in, is pluggy's
    to judge.
    """

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> pluggy.HookimplOpts | None:
        if type(plugin) is ModuleType and name not in _MODULE_TYPE_DESCRIPTORS:
            value = plugin.__dict__.get(name, _ABSENT)
            if type(value) is FunctionType:
                options = getattr(value, MARKER, None)
                return cast(pluggy.HookimplOpts, options) if isinstance(options, dict) else None
            if value is not _ABSENT and not isinstance(value, _HOOKABLE):
                return None
        return super().parse_hookimpl_opts(plugin, name)


def new_manager() -> pluggy.PluginManager:
    manager = _PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    return manager


def _entry_point_candidates(
    entry_points: Iterable[importlib.metadata.EntryPoint] | None,
) -> list[tuple[PluginRecord, Any]]:
    found = list(entry_points if entry_points is not None else discovery.entry_points(ENTRY_POINT_GROUP))
    own_names: frozenset[str] | None = None
    if declared_here := {point.name for point in found if _distribution_name(point).lower() == OWN_DISTRIBUTION}:
        own_names = OWN_ENTRY_POINTS | declared_here
    candidates = []
    shadows: dict[str, tuple[str, set[Path]]] = {}
    for entry_point in found:
        dist = getattr(entry_point, "dist", None)
        dist_name = _distribution_name(entry_point)
        own = (dist_name or "").lower() == OWN_DISTRIBUTION
        record = PluginRecord(
            name=entry_point.name,
            origin=Origin.BUILT_IN if own else Origin.ENTRY_POINT,
            version=dist.version if dist is not None else "",
            location=f"{dist_name or '?'}: {entry_point.value}",
            package=entry_point.value.split(":")[0].split(".")[0].strip(),
        )
        taken = shadowed_modules(dist) if dist is not None and not own else []
        if dist is not None and taken:
            for module in taken:
                shadows[module] = (dist_name, file_of(dist, module))
            record.failure = (
                f"installs {', '.join(repr(module) for module in taken)}, a module of kneetui itself, and so replaces "
                f"kneetui's own code or content: rename the package and run 'pip uninstall {dist_name}'"
            )
        elif not own and entry_point.name in (own_names := own_names or own_entry_point_names()):
            record.failure = (
                f"uses the name {entry_point.name!r} of kneetui's own content: rename the entry point "
                f"in [project.entry-points.kneetui] of {dist_name or 'its pyproject.toml'}"
            )
        candidates.append((record, entry_point.load))
    for record, load in candidates:
        if record.origin is Origin.BUILT_IN and record.package in shadows:
            candidates[candidates.index((record, load))] = (
                record,
                _unshadowed(record.package, *shadows[record.package], load),
            )
    # Built-ins first, so a third party can never take one of our ids.
    candidates.sort(key=lambda pair: (pair[0].origin is not Origin.BUILT_IN, pair[0].name))
    return candidates


def _distribution_name(entry_point: Any) -> str:
    dist = getattr(entry_point, "dist", None)
    return (dist.metadata["Name"] or "") if dist is not None else ""


def _unshadowed(module: str, dist_name: str, files: set[Path], load: Any) -> Any:
    """``load``, refusing the module when it is the copy another distribution installed."""

    def checked_load() -> Any:
        plugin = load()
        loaded_from = getattr(sys.modules.get(module), "__file__", None)
        if loaded_from and Path(loaded_from).resolve() in files:
            raise ShadowedModule(
                f"kneetui's own module {module!r} was replaced by the one {dist_name!r} installs: "
                f"run 'pip uninstall {dist_name}'"
            )
        return plugin

    return checked_load


class ShadowedModule(ImportError):
    """kneetui's own plug-in module came from another distribution."""


def _load_file(path: Path) -> ModuleType:
    module_name = f"{USER_FOLDER_PREFIX}{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def _folder_candidates(folder: Path | None) -> list[tuple[PluginRecord, Any]]:
    if folder is None or not folder.is_dir():
        return []
    candidates = []
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        record = PluginRecord(
            name=path.stem, origin=Origin.USER_FOLDER, location=str(path), package=f"{USER_FOLDER_PREFIX}{path.stem}"
        )
        candidates.append((record, lambda path=path: _load_file(path)))
    return candidates


def _api_mismatch(plugin: Any) -> str:
    wanted = getattr(plugin, "KNEETUI_API", API_VERSION)
    if wanted != API_VERSION:
        return f"needs plug-in API version {wanted!r}; this kneetui provides version {API_VERSION}"
    return ""


def _import(record: PluginRecord, load: Any) -> Any:
    """Run ``load`` timed, with what it prints kept on the record instead of reaching kneetui's output."""
    printed = PrintedLines()
    started = time.perf_counter()
    try:
        with printed_to(printed):
            return load()
    finally:
        record.import_seconds += time.perf_counter() - started
        record.printed.extend(printed.lines)


def _register(manager: pluggy.PluginManager, record: PluginRecord, load: Any) -> Any:
    """Import and register one plug-in; on failure fill ``record.failure`` and return None."""
    try:
        plugin = _import(record, load)
    except ShadowedModule as error:
        record.failure = str(error)
        return None
    except BaseException as error:  # noqa: BLE001 - a plug-in may raise anything, even SystemExit
        if record.origin is Origin.PACK:
            record.failure = f"invalid pack: {error}"
        else:
            record.failure = f"import failed: {one_line(error)}{at(error_location(error, record.package))}"
        return None
    # Reading a plug-in's attributes can run its code (a module's __getattr__ or __dir__, a class's
    # properties): contained like its import, so it can neither end kneetui nor print into its output.
    printed = PrintedLines()
    try:
        with printed_to(printed):
            return _check_and_register(manager, record, plugin)
    except BaseException as error:  # noqa: BLE001 - a plug-in may raise anything, even SystemExit
        with contextlib.suppress(BaseException):
            manager.unregister(plugin)
        record.failure = f"could not be read: {one_line(error)}{at(error_location(error, record.package))}"
        return None
    finally:
        record.printed.extend(printed.lines)


def _check_and_register(manager: pluggy.PluginManager, record: PluginRecord, plugin: Any) -> Any:
    """Check an imported plug-in's version and hooks and register it; on failure fill ``record.failure``."""
    if isinstance(plugin, ModuleType):
        record.package = plugin.__name__.split(".")[0]
    elif not record.package:
        record.package = type(plugin).__module__.split(".")[0]
    mismatch = _api_mismatch(plugin)
    if mismatch:
        record.failure = mismatch
        return None
    if not record.version:
        record.version = str(getattr(plugin, "__version__", ""))
    unmarked, unknown = hook_mistakes(plugin, record.package)
    record.problems.extend(unmarked)
    if unknown:
        record.failure = unknown[0]
        return None
    try:
        manager.register(plugin, name=record.name)
    except pluggy.PluginValidationError as error:
        record.failure = wrong_arguments(error, record.package) or f"could not register: {one_line(error)}"
        return None
    except BaseException as error:  # noqa: BLE001
        record.failure = f"could not register: {one_line(error)}"
        return None
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        manager.unregister(plugin)
        record.failure = f"unknown hook: {one_line(error)}"
        return None
    return plugin


def _note_hooks(manager: pluggy.PluginManager, records: dict[str, PluginRecord]) -> None:
    """Fill each record's ``hooks``: one pass over the hooks, where asking per plug-in would pass over them all
    for each plug-in."""
    for record in records.values():
        record.hooks = []
    for hook in hook_names():  # sorted, and so is each record's list
        for implementation in getattr(manager.hook, hook).get_hookimpls():
            if (owner := records.get(implementation.plugin_name)) is not None:
                owner.hooks.append(hook)


def _collect(
    manager: pluggy.PluginManager, records: dict[str, PluginRecord], catalog: Catalog, kinds: Iterable[str]
) -> None:
    for kind in kinds:
        item_type = KINDS[kind]
        caller = getattr(manager.hook, f"kneetui_register_{kind}")
        # get_hookimpls() is in registration order (pluggy calls them in reverse);
        # the person's own programmes go first, so that theirs replace a plug-in's.
        implementations = sorted(
            caller.get_hookimpls(),
            key=lambda implementation: getattr(records.get(implementation.plugin_name), "origin", None) != Origin.OWN,
        )
        for implementation in implementations:
            record = records.get(implementation.plugin_name)
            if record is None:
                continue
            package = record.package
            received: list[tuple[Any, str]] = []

            def register(item: Any, received: list[tuple[Any, str]] = received, package: str = package) -> None:
                received.append((item, caller_location(1, package)))

            # What a hook may ask for besides register: what was registered before it, as a copy.
            offered: dict[str, Any] = {"register": register}
            if kind == "programs" and "catalog" in implementation.argnames:
                offered["catalog"] = catalog.copy()
            printed = PrintedLines()
            try:
                with printed_to(printed):
                    returned = implementation.function(
                        **{name: offered[name] for name in implementation.argnames if name in offered}
                    )
            except BaseException as error:  # noqa: BLE001
                record.problems.append(f"{caller.name} raised {one_line(error)}{at(error_location(error, package))}")
                continue
            finally:
                record.printed.extend(printed.lines)
            if returned is not None:
                record.problems.append(
                    returned_instead_of_registering(caller.name, returned, implementation.function, package)
                )
            for item, location in received:
                try:
                    cleaned, provenances = checked(item, item_type, record.name)
                except ContentError as error:
                    record.problems.append(f"{error}{at(location)}")
                    continue
                except BaseException as error:  # noqa: BLE001 - reading a plug-in's object runs its code
                    record.problems.append(
                        f"{caller.name}: an item could not be checked: {one_line(error)}{at(location)}"
                    )
                    continue
                misclaimed = kneetui_reading_problem(kind, cleaned.id, provenances, record.origin)
                if misclaimed:
                    record.problems.append(f"{misclaimed}{at(location)}")
                    continue
                taken_by = records.get(catalog.owner_of(kind, cleaned.id))
                if taken_by is not None and taken_by.origin is Origin.OWN and record.origin is not Origin.OWN:
                    continue  # the person's own programme of this id replaces it, as they chose: not a fault
                refused = catalog.add(kind, cleaned, record.name)
                if refused:
                    record.problems.append(f"{refused}{at(location)}")
                else:
                    record.contributions[kind] += 1


def kneetui_reading_problem(kind: str, item_id: str, provenances: set[Provenance], origin: Origin) -> str:
    """Why an item from a plug-in of ``origin`` may not state ``provenances`` ('' when it may)."""
    if origin is not Origin.BUILT_IN and Provenance.KNEETUI in provenances:
        # The mark ◇ is kneetui speaking; another author's reading is theirs (Provenance.PLUGIN).
        return (
            f"{kind} {item_id!r}: only kneetui's own plug-ins may mark content as kneetui's reading; "
            "use Provenance.PLUGIN for your own"
        )
    return ""


def _check_programs(catalog: Catalog, records: dict[str, PluginRecord]) -> None:
    """Drop programmes that name unknown exercises or doses outside their ranges."""
    for program in list(catalog.programs):
        reason = program_problem(program, catalog)
        if reason:
            owner = catalog.owner_of("programs", program.id)
            catalog.remove("programs", program.id)
            records[owner].problems.append(f"programme {program.id!r}: {reason}")
            records[owner].contributions["programs"] -= 1


def program_problem(program: Program, catalog: Catalog) -> str:
    """Why ``program`` cannot run with this catalog ('' when it can)."""
    for index, step in enumerate(program.steps):
        exercise = catalog.exercise(step.exercise_id)
        if exercise is None:
            return f"field 'steps[{index}].exercise_id': unknown exercise {step.exercise_id!r}"
        if step.dose is not None:
            wrong = exercise.dosage.allows(step.dose)
            if wrong:
                return (
                    f"field 'steps[{index}].dose.{wrong[0]}': outside the range of "
                    f"{exercise.id!r} ({exercise.dosage.describe()})"
                )
    return ""


def load_plugins(
    user_plugin_dir: Path | None = None,
    disabled: Iterable[str] = (),
    entry_points: Iterable[importlib.metadata.EntryPoint] | None = None,
    extra: Iterable[tuple[PluginRecord, Any]] = (),
    log_file: Path | None = None,
) -> LoadResult:
    """Load every plug-in kneetui can find and merge their content.

    ``entry_points`` replaces discovery (for tests); ``extra`` adds
    ``(record, load)`` pairs after the others (content packs, test plug-ins).
    What plug-ins print is kept on their records and appended to ``log_file``.
    """
    manager = new_manager()
    disabled_names = set(disabled)
    records: dict[str, PluginRecord] = {}
    objects: dict[str, Any] = {}
    candidates = _entry_point_candidates(entry_points) + _folder_candidates(user_plugin_dir) + list(extra)
    for record, load in candidates:
        if record.name in records:
            record.failure = record.failure or f"another plug-in is already named {record.name!r}"
            records[f"{record.name}#{len(records)}"] = record
            continue
        records[record.name] = record
        if record.name in disabled_names:
            record.disabled = True
            continue
        if record.failure:
            continue
        plugin = _register(manager, record, load)
        if plugin is not None:
            objects[record.name] = plugin
    _note_hooks(manager, records)
    catalog = Catalog()
    _collect(manager, records, catalog, [kind for kind in KINDS if kind != "programs"])
    result = LoadResult(catalog, list(records.values()), manager, objects)
    result.collect_programs()
    if log_file is not None:
        for record in records.values():
            append_to_log(record.name, record.printed, log_file)
    return result


def _clean_record(record: PluginRecord) -> None:
    """Neutralise control characters in what the plug-in (or its file name) decided."""
    # Names, versions, locations and exception messages come from the plug-in and
    # reach the Plug-ins screen and `kneetui plugins`, like any content text.
    record.name, record.version, record.location = map(clean_text, (record.name, record.version, record.location))
    record.failure = clean_text(record.failure)
    record.problems = [clean_text(problem) for problem in record.problems]
    record.printed = [clean_text(line) for line in record.printed]

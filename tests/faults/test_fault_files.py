"""Malformed programme and pack files, at the command level: exit 0 or 1, a message, never half.

tests/test_program_file.py and tests/test_packs.py fuzz the parsers; these fuzz the commands
a person runs (`kneetui import`, `kneetui pack install`): whatever the file, the command ends
with 0 or 1 and a message, and what it installs loads back whole, or nothing changes.
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from kneetui.cli.exchange_commands import import_command
from kneetui.cli.plugin_commands import pack_install
from kneetui.content.model import Category, Frequency, TopicKind
from kneetui.exchange.pack_file import pack_candidates
from kneetui.exchange.user_programs import UserPrograms
from kneetui.plugin_host.loader import LoadResult, load_plugins
from kneetui.plugin_host.records import Status
from kneetui.storage import locations

LOADED = load_plugins()
EXERCISE_IDS = [exercise.id for exercise in LOADED.catalog.exercises]
EXAMPLE_PACK = Path(__file__).parents[2] / "docs" / "example-pack.toml"
EXAMPLE_PROGRAM = Path(__file__).parents[2] / "docs" / "example-program.toml"
COMMANDS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

# -- what to feed them ----------------------------------------------------------------

junk = st.recursive(
    st.booleans() | st.integers() | st.floats() | st.text(max_size=12) | st.dates(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=6,
)


def mostly(valid):
    return st.one_of(valid, valid, valid, valid, junk)


# A small pool, so that clashes with each other and with the built-in ids are common.
ids = st.sampled_from(["a", "b", "c", "wall-slides", "chronic", "medial-knee-article", "Bad Id", ""])
texts = st.sampled_from(["Text", "[bold]x[/]", "", " ", "a\x1b[31mb", "✓ 𝄞", "x" * 30])
text_lists = st.lists(texts, max_size=3)
ranges = st.integers(-1, 40) | st.lists(st.integers(-1, 40), min_size=2, max_size=2)
dosages = st.fixed_dictionaries(
    {},
    optional={
        "reps": mostly(ranges),
        "hold_seconds": mostly(ranges),
        "sets": mostly(ranges),
        "per": st.sampled_from(["both", "each side", "x"]),
    },
)
KIND_FIELDS = {
    "sources": {"id": ids, "citation": texts},
    "faq": {"id": ids, "question": texts, "answer": texts},
    "aids": {"id": ids, "name": texts, "what_it_does": texts},
    "topics": {
        "id": ids,
        "title": texts,
        "kind": st.sampled_from([kind.value for kind in TopicKind]),
        "paragraphs": text_lists,
    },
    "exercises": {
        "id": ids,
        "name": texts,
        "summary": texts,
        "steps": text_lists,
        "benefits": texts,
        "category": st.sampled_from([category.value for category in Category]),
        "dosage": dosages,
    },
    "programs": {
        "id": ids,
        "name": texts,
        "description": texts,
        "steps": st.lists(
            st.fixed_dictionaries(
                {"exercise": st.sampled_from([*EXERCISE_IDS, "a", "b", "nowhere"])},
                optional={"reps": st.integers(0, 20)},
            ),
            max_size=3,
        ),
    },
}
pack_documents = st.fixed_dictionaries(
    {
        "format": mostly(st.just("kneetui-pack")),
        "version": mostly(st.just(1)),
        "pack": mostly(st.fixed_dictionaries({"name": mostly(st.sampled_from(["mine", "yours"]))})),
    },
    optional={
        kind: st.lists(
            mostly(
                st.fixed_dictionaries(
                    {key: mostly(value) for key, value in fields.items()},
                    optional={"source_ids": st.lists(ids, max_size=2)},
                )
            ),
            max_size=3,
        )
        for kind, fields in KIND_FIELDS.items()
    },
)
program_documents = st.fixed_dictionaries(
    {
        "format": mostly(st.just("kneetui-program")),
        "version": mostly(st.just(1)),
        "program": mostly(
            st.fixed_dictionaries(
                {
                    "id": mostly(st.sampled_from(["mine", "chronic", "Bad Id"])),
                    "name": mostly(texts),
                    "steps": mostly(KIND_FIELDS["programs"]["steps"]),
                },
                optional={
                    "frequency": mostly(st.sampled_from([f.value for f in Frequency])),
                    "advice": text_lists,
                    "description": texts,
                },
            )
        ),
    },
)


def dumped(document) -> bytes:
    try:
        return tomli_w.dumps(document).encode()
    except (TypeError, ValueError):
        assume(False)
        raise


# Only well-formed values: these packs fail only on clashes and references, so many install.
clean_texts = st.sampled_from(["Text", "[bold]x[/]", "✓ 𝄞", "a\x1b[31mb"])
clean_ids = st.sampled_from(["a", "b", "wall-slides"])
CLEAN_FIELDS = {
    "sources": {"id": clean_ids, "citation": clean_texts},
    "faq": {"id": clean_ids, "question": clean_texts, "answer": clean_texts},
    "aids": {"id": clean_ids, "name": clean_texts, "what_it_does": clean_texts},
    "exercises": {
        "id": clean_ids,
        "name": clean_texts,
        "summary": clean_texts,
        "steps": st.lists(clean_texts, min_size=1, max_size=2),
        "benefits": clean_texts,
        "category": st.just("mobility"),
        "dosage": st.just({"reps": [5, 8]}),
    },
    "programs": {
        "id": clean_ids,
        "name": clean_texts,
        "description": clean_texts,
        "steps": KIND_FIELDS["programs"]["steps"].filter(bool),
    },
}
clean_packs = st.fixed_dictionaries(
    {
        "format": st.just("kneetui-pack"),
        "version": st.just(1),
        "pack": st.fixed_dictionaries({"name": st.sampled_from(["mine", "example-clinic"])}),
    },
    optional={
        kind: st.lists(st.fixed_dictionaries(fields), min_size=1, max_size=2) for kind, fields in CLEAN_FIELDS.items()
    },
)
clean_programs = st.fixed_dictionaries(
    {
        "format": st.just("kneetui-program"),
        "version": st.just(1),
        "program": st.fixed_dictionaries(
            {
                "id": st.sampled_from(["mine", "chronic", "acute"]),
                "name": clean_texts,
                "steps": st.lists(
                    st.fixed_dictionaries({"exercise": st.sampled_from([*EXERCISE_IDS, "nowhere"])}),
                    min_size=1,
                    max_size=3,
                ),
            },
        ),
    }
)
files = st.one_of(
    clean_packs.map(dumped),
    clean_packs.map(dumped),
    clean_programs.map(dumped),
    clean_programs.map(dumped),
    pack_documents.map(dumped),
    program_documents.map(dumped),
    st.binary(max_size=200),
    st.builds(lambda cut, text: text[:cut], st.integers(0, 1200), st.just(EXAMPLE_PACK.read_bytes())),
    st.builds(lambda cut, text: text[:cut], st.integers(0, 600), st.just(EXAMPLE_PROGRAM.read_bytes())),
)

# -- the property ----------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*"))} if folder.is_dir() else {}


def fresh_state() -> None:
    """Each example starts with what one earlier pack and programme left behind."""
    shutil.rmtree(locations.data_dir(), ignore_errors=True)
    locations.packs_dir().mkdir(parents=True)
    shutil.copy(EXAMPLE_PACK, locations.packs_dir() / "example-clinic.toml")


def run(command, args: argparse.Namespace, capsys) -> tuple[int, str]:
    # The pack command lends its catalog out to check programmes; give it its own copy.
    loaded = LoadResult(copy.deepcopy(LOADED.catalog), LOADED.plugins, LOADED.manager)
    code = command(args, loaded)
    captured = capsys.readouterr()
    assert code in (0, 1)
    message = captured.out if code == 0 else captured.err
    assert message.strip(), "a message either way"
    event(f"exit {code}")
    return code, message


@COMMANDS
@given(data=files, force=st.booleans())
def test_pack_install_takes_any_file_whole_or_not_at_all(tmp_path, capsys, data, force):
    fresh_state()
    source = tmp_path / "pack.toml"
    source.write_bytes(data)
    before = snapshot(locations.packs_dir())
    code, message = run(pack_install, argparse.Namespace(file=str(source), force=force), capsys)
    if code == 1:
        assert snapshot(locations.packs_dir()) == before, message
        return
    # Installed: it loads back with every item it announced, and no problem at all.
    result = load_plugins(extra=pack_candidates(locations.packs_dir()))
    [record] = [
        record for record in result.plugins if record.name.startswith("pack:") and record.name != "pack:example-clinic"
    ] or [result.record("pack:example-clinic")]
    assert record.status is Status.OK, (record.failure, record.problems, data)
    assert sum(record.contributions.values()) >= 1


@COMMANDS
@given(data=files, force=st.booleans())
def test_import_takes_any_file_whole_or_not_at_all(tmp_path, capsys, data, force):
    fresh_state()
    source = tmp_path / "programme.toml"
    source.write_bytes(data)
    before = snapshot(locations.programs_dir())
    code, message = run(import_command, argparse.Namespace(file=str(source), force=force), capsys)
    if code == 1:
        assert snapshot(locations.programs_dir()) == before, message
        return
    loaded = UserPrograms().load_all(LOADED.catalog)
    assert loaded.failures == [] and len(loaded.programs) == 1


# -- the same through the real command line, a handful of times --------------------------


def kneetui(env, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "kneetui", *args], input=stdin, capture_output=True, env=env, timeout=60
    )
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(), result.stderr.decode())


CLI_FILES = [
    b"",
    b"\x00\xff\xfe\x00garbage",
    EXAMPLE_PACK.read_bytes()[:400],
    EXAMPLE_PACK.read_bytes().replace(b'id = "example-clinic-contact"', b'id = "example-clinic-handout"'),
    EXAMPLE_PACK.read_bytes() + b'\n[[faq]]\nid = "example-clinic-contact"\nquestion = "Again?"\nanswer = "Yes."\n',
    EXAMPLE_PROGRAM.read_bytes()[:250],
    EXAMPLE_PROGRAM.read_bytes().replace(b"reps = 10", b"reps = 99"),
]


@pytest.mark.parametrize("data", CLI_FILES, ids=range(len(CLI_FILES)))
def test_the_cli_commands_exit_0_or_1_with_a_message_and_never_half(subprocess_env, tmp_path, data):
    source = tmp_path / "file.toml"
    source.write_bytes(data)
    for command, folder in (
        (["pack", "install", str(source)], locations.packs_dir()),
        (["import", str(source)], locations.programs_dir()),
    ):
        before = snapshot(folder)
        result = kneetui(subprocess_env, *command)
        assert result.returncode in (0, 1) and "Traceback" not in result.stderr
        assert (result.stdout if result.returncode == 0 else result.stderr).strip()
        if result.returncode == 1:
            assert snapshot(folder) == before
    listed = kneetui(subprocess_env, "plugins")
    assert listed.returncode == 0 and "problems" not in listed.stdout and "failed" not in listed.stdout


def test_a_pack_or_programme_piped_in_is_installed_whole(subprocess_env):
    # The file is a pipe: read once, so what is checked is what is installed.
    installed = kneetui(subprocess_env, "pack", "install", "/dev/stdin", stdin=EXAMPLE_PACK.read_bytes())
    assert installed.returncode == 0, installed.stderr
    assert (locations.packs_dir() / "example-clinic.toml").read_bytes() == EXAMPLE_PACK.read_bytes()
    imported = kneetui(subprocess_env, "import", "/dev/stdin", stdin=EXAMPLE_PROGRAM.read_bytes())
    assert imported.returncode == 0, imported.stderr
    listed = kneetui(subprocess_env, "plugins")
    assert "pack:example-clinic" in listed.stdout and "failed" not in listed.stdout


def test_an_endless_file_is_refused_without_reading_it_all(subprocess_env):
    for command in (["pack", "install", os.devnull.replace("null", "zero")], ["import", "/dev/zero"]):
        result = kneetui(subprocess_env, *command)
        assert result.returncode == 1 and "larger than" in result.stderr


def test_a_pack_install_with_nowhere_to_put_it_says_so(subprocess_env):
    data = Path(os.environ["XDG_DATA_HOME"])
    data.rmdir()
    data.write_text("a file where the data folder should be\n")
    result = kneetui(subprocess_env, "pack", "install", str(EXAMPLE_PACK))
    assert result.returncode == 1
    assert "cannot install the pack" in result.stderr and "Traceback" not in result.stderr

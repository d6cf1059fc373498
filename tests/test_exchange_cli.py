"""export, import and history, run as a person would: through a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kneetui.content.model import Provenance
from kneetui.engine.recording import BlockKind, BlockRecord, SafetyAnswers, SessionStart
from kneetui.exchange.program_file import parse_program
from kneetui.exchange.user_programs import as_own
from kneetui.history.store import open_history_store
from kneetui.plugin_host.loader import load_plugins
from kneetui.storage import locations

CATALOG = load_plugins().catalog
MORNING = datetime(2026, 1, 5, 8, 30, tzinfo=UTC).timestamp()


def kneetui(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kneetui", *args], capture_output=True, text=True, env=env, timeout=60)


def test_export_prints_a_programme_file_that_parses_back(subprocess_env):
    result = kneetui("export", "program", "chronic", env=subprocess_env)
    assert result.returncode == 0, result.stderr
    assert parse_program(result.stdout, CATALOG) == CATALOG.program("chronic")


def test_exporting_chronic_and_importing_it_back_needs_force(subprocess_env, tmp_path):
    exported = tmp_path / "chronic.toml"
    assert kneetui("export", "program", "chronic", "-o", str(exported), env=subprocess_env).returncode == 0

    refused = kneetui("import", str(exported), env=subprocess_env)
    assert refused.returncode == 1
    assert "already exists (from the plug-in 'medial-knee'); use --force" in refused.stderr
    assert not locations.programs_dir().exists()

    imported = kneetui("import", str(exported), "--force", env=subprocess_env)
    assert imported.returncode == 0, imported.stderr
    assert "(chronic, 6 exercises)" in imported.stdout
    assert "It is used instead of the programme 'chronic' from the plug-in 'medial-knee'." in imported.stdout
    saved = locations.programs_dir() / "chronic.toml"
    assert parse_program(saved.read_text(encoding="utf-8"), CATALOG) == as_own(CATALOG.program("chronic"))
    exported_again = kneetui("export", "program", "chronic", env=subprocess_env)
    assert 'provenance = "yours"' in exported_again.stdout, "the person's copy is the one used"

    again = kneetui("import", str(exported), env=subprocess_env)
    assert again.returncode == 1 and f"saved as {saved}" in again.stderr


def test_kneetuis_programme_exported_renamed_and_imported_is_usable_as_yours(subprocess_env, tmp_path):
    exported = tmp_path / "c.toml"
    assert kneetui("export", "program", "chronic", "-o", str(exported), env=subprocess_env).returncode == 0
    text = exported.read_text(encoding="utf-8")
    assert 'provenance = "kneetui"' in text, "the file says where the programme came from"
    exported.write_text(
        text.replace('id = "chronic"', 'id = "mine"').replace(
            'name = "Chronic pain: stretch and strengthen"', 'name = "Mine"'
        ),
        encoding="utf-8",
    )

    imported = kneetui("import", str(exported), env=subprocess_env)
    assert imported.returncode == 0, imported.stderr
    assert "Imported 'Mine' (mine, 6 exercises)" in imported.stdout

    mine = kneetui("export", "program", "mine", env=subprocess_env)
    assert mine.returncode == 0, mine.stderr
    assert parse_program(mine.stdout, CATALOG).provenance is Provenance.YOURS
    plugins = kneetui("plugins", env=subprocess_env)
    assert "kneetui's reading" not in plugins.stdout + plugins.stderr


def test_an_imported_programme_can_be_exported_by_its_id(subprocess_env, tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text(
        'format = "kneetui-program"\nversion = 1\n[program]\nid = "plan-b"\nname = "Plan B"\n'
        '[[program.steps]]\nexercise = "wall-slides"\nreps = 12\n',
        encoding="utf-8",
    )
    assert kneetui("import", str(plan), env=subprocess_env).returncode == 0
    result = kneetui("export", "program", "plan-b", env=subprocess_env)
    assert result.returncode == 0
    assert parse_program(result.stdout, CATALOG).steps[0].dose.reps == 12


def test_a_broken_file_is_not_imported_and_the_message_names_the_field(subprocess_env, tmp_path):
    broken = tmp_path / "broken.toml"
    text = kneetui("export", "program", "chronic", env=subprocess_env).stdout
    broken.write_text(
        text.replace('id = "chronic"', 'id = "mine"').replace(
            'exercise = "adductor-squeeze"', 'exercise = "adductor-squeeze"\nreps = 20'
        ),
        encoding="utf-8",
    )
    result = kneetui("import", str(broken), env=subprocess_env)
    assert result.returncode == 1
    assert result.stderr == (
        f"kneetui: cannot import {broken}: steps[5].reps: 20 is outside the range 10–12 of 'adductor-squeeze'\n"
    )
    assert "Traceback" not in result.stderr
    assert not locations.programs_dir().exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'format = "kneetui-program"\nversion = 3\n', "version: this file uses version 3"),
        (b"\x00\xff binary", "not UTF-8 text"),
        (b"[[[", "not valid TOML"),
    ],
)
def test_files_that_are_not_programmes_exit_1_with_a_reason(subprocess_env, tmp_path, content, message):
    path = tmp_path / "file.toml"
    path.write_bytes(content)
    result = kneetui("import", str(path), env=subprocess_env)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_a_missing_file_exits_1(subprocess_env, tmp_path):
    result = kneetui("import", str(tmp_path / "nowhere.toml"), env=subprocess_env)
    assert result.returncode == 1 and "cannot read" in result.stderr


def test_export_to_a_file_refuses_to_overwrite_without_force(subprocess_env, tmp_path):
    target = tmp_path / "out.toml"
    target.write_text("my notes\n", encoding="utf-8")
    refused = kneetui("export", "program", "acute", "-o", str(target), env=subprocess_env)
    assert refused.returncode == 1 and "use --force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "my notes\n"
    forced = kneetui("export", "program", "acute", "-o", str(target), "--force", env=subprocess_env)
    assert forced.returncode == 0
    assert parse_program(target.read_text(encoding="utf-8"), CATALOG).id == "acute"
    assert [path.name for path in tmp_path.iterdir()] == ["out.toml"]  # no temporary file left


def test_export_into_a_folder_that_does_not_exist_is_refused_and_makes_no_folder(subprocess_env, tmp_path):
    target = tmp_path / "nonexistent" / "dir" / "x.toml"
    refused = kneetui("export", "program", "acute", "-o", str(target), env=subprocess_env)
    assert refused.returncode == 1
    assert refused.stderr == (f"kneetui: there is no folder {target.parent}; give a file in a folder that exists\n")
    assert not (tmp_path / "nonexistent").exists()
    report = kneetui("report", "-o", str(tmp_path / "typo" / "report.html"), env=subprocess_env)
    assert report.returncode == 1 and "there is no folder" in report.stderr
    assert not (tmp_path / "typo").exists()


def test_exporting_an_unknown_programme_lists_the_known_ones(subprocess_env):
    result = kneetui("export", "program", "nope", env=subprocess_env)
    assert result.returncode == 1
    assert "no programme has the id or name 'nope'; known programmes: acute (Acute phase" in result.stderr
    assert "chronic (Chronic pain" in result.stderr


def test_a_programme_is_exported_by_its_name_as_the_readme_shows(subprocess_env, tmp_path):
    by_id = kneetui("export", "program", "chronic", env=subprocess_env).stdout
    by_name = kneetui("export", "program", "chronic pain:  Stretch and strengthen ", env=subprocess_env)
    assert by_name.returncode == 0, by_name.stderr
    assert by_name.stdout == by_id
    for program_id in ("plan-a", "plan-b"):
        plan = tmp_path / f"{program_id}.toml"
        plan.write_text(
            f'format = "kneetui-program"\nversion = 1\n[program]\nid = "{program_id}"\nname = "My knee plan"\n'
            '[[program.steps]]\nexercise = "wall-slides"\n',
            encoding="utf-8",
        )
        assert kneetui("import", str(plan), env=subprocess_env).returncode == 0
    ambiguous = kneetui("export", "program", "My knee plan", env=subprocess_env)
    assert ambiguous.returncode == 1 and ambiguous.stdout == ""
    assert "2 programmes are called 'My knee plan' (plan-a, plan-b); give the id" in ambiguous.stderr
    assert kneetui("export", "program", "plan-b", env=subprocess_env).returncode == 0


def record_two_sessions() -> None:
    with open_history_store().store as store:
        first = store.start_session(
            SessionStart(MORNING, "chronic", ("adductor-squeeze",), SafetyAnswers(3, swollen=False, unstable=False))
        )
        for set_number in (1, 2):
            at = MORNING + 60 * set_number
            store.record_block(
                first, BlockRecord("adductor-squeeze", BlockKind.REPS, set_number, None, 10, 10, at, at + 40)
            )
        store.record_block(
            first,
            BlockRecord("sitting-adductor-stretch", BlockKind.HOLD, 1, "left", 15, 15, MORNING + 300, MORNING + 315),
        )
        store.record_stop(first, 'pain rose, "sharp"', MORNING + 400)
        store.finish_session(first, 5, MORNING + 420)
        store.start_session(SessionStart(MORNING + 86_400, None, (), SafetyAnswers(6, swollen=True, unstable=False)))


def test_history_csv_opens_cleanly_in_a_spreadsheet(subprocess_env):
    record_two_sessions()
    result = kneetui("history", "--csv", env=dict(subprocess_env, TZ="UTC"))
    assert result.returncode == 0, result.stderr
    raw = subprocess.run(
        [sys.executable, "-m", "kneetui", "history", "--csv"], capture_output=True, env=subprocess_env, timeout=60
    ).stdout
    assert raw.count(b"\r\n") == 5 and b"\n" not in raw.replace(b"\r\n", b"")
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 4  # three blocks, and the session without blocks
    first = rows[0]
    assert first["session_start"] == "2026-01-05T08:30:00+00:00"
    assert first["session_end"] == "2026-01-05T08:37:00+00:00"
    assert (first["program"], first["pain_before"], first["pain_after"]) == ("chronic", "3", "5")
    assert first["stopped_because"] == 'pain rose, "sharp"'
    assert (first["exercise"], first["kind"], first["set"], first["planned"], first["done"], first["unit"]) == (
        "adductor-squeeze",
        "reps",
        "1",
        "10",
        "10",
        "reps",
    )
    assert rows[2]["side"] == "left" and rows[2]["unit"] == "seconds"
    assert rows[3]["exercise"] == "" and rows[3]["pain_before"] == "6" and rows[3]["session_end"] == ""
    for row in rows:
        datetime.fromisoformat(row["session_start"])


def test_history_json_nests_blocks_in_sessions(subprocess_env):
    record_two_sessions()
    data = json.loads(kneetui("history", "--json", env=dict(subprocess_env, TZ="UTC")).stdout)
    assert [len(session["blocks"]) for session in data] == [3, 0]
    assert data[0]["blocks"][0]["exercise"] == "adductor-squeeze"
    assert data[1]["swollen"] is True and data[1]["advised_professional"] is True
    assert data[1]["ended_at"] is None


def test_history_table_shows_one_readable_line_per_session(subprocess_env):
    record_two_sessions()
    result = kneetui("history", env=dict(subprocess_env, TZ="UTC"))
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["STARTED", "PROGRAM", "EXERCISES", "MINUTES", "PAIN", "STATUS"]
    assert lines[1].startswith("2026-01-05 08:30  chronic")
    assert "3 → 5" in lines[1] and 'stopped: pain rose, "sharp"' in lines[1]
    assert "6 → ?" in lines[2] and "not finished" in lines[2]


def test_history_without_any_sessions_says_so_and_creates_nothing(subprocess_env):
    result = kneetui("history", env=subprocess_env)
    assert result.returncode == 0 and result.stdout == "No sessions recorded yet.\n"
    assert not locations.history_file().exists()
    assert kneetui("history", "--csv", env=subprocess_env).stdout.startswith("session_id,session_start,")


def test_history_takes_one_format_at_a_time(subprocess_env):
    assert kneetui("history", "--csv", "--json", env=subprocess_env).returncode == 2


def test_a_corrupt_history_is_reported_on_stderr_and_left_where_it_is(subprocess_env):
    path = locations.history_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database at all" * 100)
    result = kneetui("history", env=subprocess_env)
    assert result.returncode == 0
    assert "cannot be read" in result.stderr and "left as it is" in result.stderr
    assert path.read_bytes() == b"not a database at all" * 100, "a command that only reads moves nothing aside"
    assert not list(path.parent.glob("history.sqlite3.broken-*"))


def test_help_lists_the_new_commands(subprocess_env):
    help_text = kneetui("--help", env=subprocess_env).stdout
    for command in ("export", "import", "history"):
        assert command in help_text


def test_an_imported_programme_is_guided_by_its_id(subprocess_env):
    example = Path(__file__).parents[1] / "docs" / "example-program.toml"
    assert kneetui("import", str(example), env=subprocess_env).returncode == 0
    # No answers at all: it names the programme, then starts nothing.
    result = subprocess.run(
        [sys.executable, "-m", "kneetui", "guide", "example-knee-plan", "--plain"],
        input="",
        capture_output=True,
        text=True,
        env=subprocess_env,
        timeout=60,
    )
    assert "no programme" not in result.stderr, result.stderr
    assert "Programme: Example knee plan, 5 exercises." in result.stdout
    assert "Traceback" not in result.stderr


def test_force_never_replaces_a_link_a_pipe_or_a_device(tmp_path):
    from kneetui.cli.output import write_output

    kept = tmp_path / "kept.toml"
    kept.write_text("my notes\n", encoding="utf-8")
    link = tmp_path / "link.toml"
    link.symlink_to(kept)
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    for target, told in ((link, "is a link"), (pipe, "is not a regular file"), (Path("/dev/null"), "not a regular")):
        why = write_output(target, b"x", force=True, example_name="x.toml")
        assert told in why, why
    assert link.is_symlink() and stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert kept.read_text(encoding="utf-8") == "my notes\n"
    assert write_output(kept, b"new\n", force=True, example_name="x.toml") == ""
    assert kept.read_text(encoding="utf-8") == "new\n"

"""User programmes: one file each, never overwritten by accident, bad files reported not raised."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kneetui.content.model import Advice, Dose, Frequency, Program, ProgramStep, Provenance
from kneetui.exchange.program_file import ProgramFileError, export_program
from kneetui.exchange.user_programs import ProgramExistsError, UserPrograms, as_own, kept_apart, unusable
from kneetui.plugin_host.loader import load_plugins
from kneetui.storage import locations

CATALOG = load_plugins().catalog
PLAN = Program(
    id="my-knee-plan",
    name="My knee plan",
    description="Squeeze and stretch.",
    steps=(ProgramStep("adductor-squeeze", Dose(reps=11, sets=2)), ProgramStep("wall-slides")),
    frequency=Frequency.EVERY_OTHER_DAY,
)


def test_a_saved_programme_lists_and_loads_back_from_the_programmes_folder():
    programs = UserPrograms()
    path = programs.save(PLAN)
    assert path == locations.programs_dir() / "my-knee-plan.toml"
    assert programs.list() == ["my-knee-plan"]
    assert programs.load_all(CATALOG) == ([PLAN], [])


def test_saving_over_an_existing_programme_needs_overwrite():
    programs = UserPrograms()
    programs.save(PLAN)
    renamed = replace(PLAN, name="Renamed")
    with pytest.raises(ProgramExistsError, match="already saved"):
        programs.save(renamed)
    assert programs.load_all(CATALOG).programs == [PLAN]
    programs.save(renamed, overwrite=True)
    assert programs.load_all(CATALOG).programs == [renamed]


def test_delete_removes_the_file_and_says_whether_there_was_one():
    programs = UserPrograms()
    programs.save(PLAN)
    assert programs.delete("my-knee-plan") is True
    assert programs.delete("my-knee-plan") is False
    assert programs.list() == []


def test_ids_that_are_not_file_names_are_refused():
    with pytest.raises(ValueError, match="is not a valid programme id"):
        UserPrograms().path_for("../outside")
    with pytest.raises(ValueError, match="is not a valid programme id"):
        UserPrograms().path_for("plan\n")


def test_files_that_cannot_be_used_become_failures_and_the_rest_still_load():
    programs = UserPrograms()
    programs.save(PLAN)
    folder = programs.folder
    (folder / "broken.toml").write_text("this is not = = toml", encoding="utf-8")
    (folder / "binary.toml").write_bytes(b"\xff\xfe\x00")
    (folder / "too-hard.toml").write_text(
        export_program(PLAN).replace("my-knee-plan", "too-hard").replace("reps = 11", "reps = 40"), encoding="utf-8"
    )
    (folder / "misnamed.toml").write_text(export_program(PLAN), encoding="utf-8")
    (folder / "notes.txt").write_text("not a programme", encoding="utf-8")
    (folder / ".my-knee-plan.toml.123.tmp").write_text("half written", encoding="utf-8")

    loaded, failures = programs.load_all(CATALOG)
    assert loaded == [PLAN]
    reasons = {failure.path.name: failure.reason for failure in failures}
    assert set(reasons) == {"broken.toml", "binary.toml", "too-hard.toml", "misnamed.toml"}
    assert reasons["broken.toml"].startswith("not valid TOML")
    assert "not UTF-8" in reasons["binary.toml"]
    assert reasons["too-hard.toml"] == "steps[1].reps: 40 is outside the range 10–12 of 'adductor-squeeze'"
    assert reasons["misnamed.toml"] == "holds the programme 'my-knee-plan'; rename the file to my-knee-plan.toml"


def test_a_programme_whose_plugin_is_gone_is_a_failure_not_a_crash():
    UserPrograms().save(PLAN)
    without_content = load_plugins(disabled=["medial-knee"]).catalog
    loaded, failures = UserPrograms().load_all(without_content)
    assert loaded == []
    assert "unknown exercise 'adductor-squeeze'" in failures[0].reason


def test_no_folder_yet_means_no_programmes():
    assert UserPrograms().load_all(CATALOG) == ([], [])
    assert UserPrograms().list() == []


def test_a_programme_kept_apart_takes_the_first_free_id_and_name():
    kept = kept_apart(PLAN, {"my-knee-plan", "my-knee-plan-2"}, {"My knee plan"})
    assert (kept.id, kept.name) == ("my-knee-plan-3", "My knee plan (3)")
    assert kept.steps == PLAN.steps
    longest = replace(PLAN, id="x" * 64, name="n" * 100)
    kept = kept_apart(longest, {longest.id})
    assert (len(kept.id), len(kept.name)) == (64, 100)
    assert kept.id.endswith("-2") and kept.name.endswith(" (2)")


KNEETUI_READING = replace(
    PLAN,
    provenance=Provenance.KNEETUI,
    advice=(Advice("Start slowly."), Advice("Build up as tolerated.", Provenance.ARTICLE)),
)


def test_an_imported_programme_marked_as_kneetuis_reading_is_saved_as_yours_and_loads():
    assert "only kneetui's own plug-ins may mark content as kneetui's reading" in unusable(KNEETUI_READING, CATALOG)
    programs = UserPrograms()
    saved, path = programs.save_imported(KNEETUI_READING, CATALOG)
    assert path == locations.programs_dir() / "my-knee-plan.toml"
    assert saved.provenance is Provenance.YOURS
    assert [line.provenance for line in saved.advice] == [Provenance.YOURS, Provenance.ARTICLE]
    assert unusable(saved, CATALOG) == ""
    assert programs.load_all(CATALOG) == ([saved], [])
    loaded = load_plugins(extra=[programs.candidate()])
    assert loaded.catalog.program(PLAN.id) == saved
    assert loaded.record("your-programmes").problems == []


def test_a_programme_the_loader_would_refuse_is_not_imported_and_nothing_is_written():
    wrong_dose = replace(PLAN, steps=(ProgramStep("adductor-squeeze", Dose(reps=30, sets=2)),))
    programs = UserPrograms()
    with pytest.raises(ProgramFileError, match="outside the range"):
        programs.save_imported(wrong_dose, CATALOG)
    assert programs.list() == []


def test_a_file_saved_as_kneetuis_reading_before_imports_made_it_yours_still_loads(tmp_path):
    programs = UserPrograms(tmp_path)
    programs.save(KNEETUI_READING)
    loaded = load_plugins(extra=[programs.candidate()])
    assert loaded.catalog.program(PLAN.id) == as_own(KNEETUI_READING)
    assert loaded.record("your-programmes").problems == []

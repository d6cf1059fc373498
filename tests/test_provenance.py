"""Provenance: every exercise, step, dosage, programme and line of advice says where it comes from."""

from __future__ import annotations

import pytest

from kneetui.content.model import (
    Advice,
    Category,
    Dosage,
    Exercise,
    Program,
    ProgramStep,
    Provenance,
    Range,
    Step,
)
from kneetui.content.validation import ContentError, validate
from kneetui.exchange.pack_file import PackError, parse_pack
from kneetui.exchange.program_file import ProgramFileError, export_program, parse_program
from kneetui.plugin_host.loader import load_plugins

CATALOG = load_plugins().catalog


def squat(**changes) -> Exercise:
    fields = {
        "id": "squat",
        "name": "Squat",
        "summary": "s",
        "steps": ("Stand.", Step("Bend.", Provenance.KNEETUI)),
        "dosage": Dosage(reps=Range(5, 8)),
        "category": Category.STRENGTH,
        "benefits": "b",
        "cautions": ("Gently.",),
    }
    return Exercise(**{**fields, **changes})


def test_a_plug_in_that_says_nothing_is_shown_as_its_own_authors():
    exercise = validate(squat(steps=("Stand.", "Bend.")), Exercise, "third-party")
    assert exercise.provenance is Provenance.PLUGIN
    assert {step.provenance for step in exercise.steps} == {Provenance.PLUGIN}
    assert exercise.dosage.provenance is Provenance.PLUGIN
    assert exercise.cautions == (Advice("Gently.", Provenance.PLUGIN),)


def test_plain_strings_and_steps_mix_and_plain_ones_take_the_exercises_provenance():
    exercise = validate(squat(provenance=Provenance.ARTICLE), Exercise, "medial-knee")
    assert exercise.steps == (Step("Stand.", Provenance.ARTICLE), Step("Bend.", Provenance.KNEETUI))
    assert [str(step) for step in exercise.steps] == ["Stand.", "Bend."]
    assert exercise.provenances() == {Provenance.ARTICLE, Provenance.KNEETUI}


def test_a_dosage_can_say_its_own_provenance():
    exercise = squat(provenance=Provenance.ARTICLE, dosage=Dosage(reps=Range(5, 8), provenance=Provenance.KNEETUI))
    assert exercise.dosage.provenance is Provenance.KNEETUI


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"provenance": "article"}, "provenance"),
        ({"steps": ("Stand.", Step("Bend.", "kneetui"))}, "steps[1].provenance"),
        ({"steps": ("Stand.", 3)}, "steps[1]"),
        ({"cautions": (Advice(3),)}, "cautions[0].text"),
    ],
)
def test_a_wrong_provenance_or_step_is_refused_naming_the_field(changes, field):
    with pytest.raises(ContentError) as caught:
        validate(squat(**changes), Exercise, "bad")
    assert caught.value.field == field


def test_a_programmes_advice_takes_its_provenance_unless_a_line_says_otherwise():
    program = Program(
        "p",
        "P",
        "d",
        (ProgramStep("wall-slides"),),
        advice=("Ours.", Advice("Theirs.", Provenance.ARTICLE)),
        provenance=Provenance.KNEETUI,
    )
    assert [line.provenance for line in program.advice] == [Provenance.KNEETUI, Provenance.ARTICLE]
    assert program.provenances() == {Provenance.KNEETUI, Provenance.ARTICLE}


PACK = """\
format = "kneetui-pack"
version = 1
[pack]
name = "clinic"

[[exercises]]
id = "heel-raise"
name = "Heel raise"
summary = "s"
steps = ["Stand.", { text = "Rise.", provenance = "article" }]
category = "strength"
benefits = "b"
cautions = [{ text = "Slowly.", provenance = "kneetui" }]
dosage = { reps = [5, 8] }
"""


def test_a_pack_states_provenance_per_step_and_per_line_and_otherwise_is_its_authors():
    exercise = parse_pack(PACK).items["exercises"][0]
    assert exercise.provenance is Provenance.PLUGIN
    assert exercise.steps == (Step("Stand.", Provenance.PLUGIN), Step("Rise.", Provenance.ARTICLE))
    assert exercise.cautions == (Advice("Slowly.", Provenance.KNEETUI),)


def test_a_pack_with_an_unknown_provenance_names_the_field():
    with pytest.raises(PackError, match=r"exercises\[1\]\.steps\[2\]\.provenance: expected \"article\" or "):
        parse_pack(PACK.replace('provenance = "article"', 'provenance = "the internet"'))


FILE = """\
format = "kneetui-program"
version = 2

[program]
id = "plan"
name = "Plan"
provenance = "kneetui"
advice = ["Ours.", { text = "Pause what aggravates.", provenance = "article" }]

[[program.steps]]
exercise = "wall-slides"
"""


def test_a_programme_file_without_provenance_is_the_persons_own_and_exports_as_version_1():
    plain = FILE.replace('provenance = "kneetui"\n', "").replace("version = 2", "version = 1")
    plain = plain.replace(', { text = "Pause what aggravates.", provenance = "article" }', "")
    program = parse_program(plain, CATALOG)
    assert program.provenance is Provenance.YOURS
    assert program.advice == (Advice("Ours.", Provenance.YOURS),)
    text = export_program(program)
    assert "version = 1" in text and "provenance" not in text
    assert parse_program(text, CATALOG) == program


def test_a_programme_file_round_trips_its_provenance_line_by_line():
    program = parse_program(FILE, CATALOG)
    assert program.provenance is Provenance.KNEETUI
    assert program.advice == (Advice("Ours.", Provenance.KNEETUI), Advice("Pause what aggravates.", Provenance.ARTICLE))
    text = export_program(program)
    assert "version = 2" in text
    assert parse_program(text, CATALOG) == program


def test_the_built_in_programmes_export_and_import_with_their_provenance():
    for program in CATALOG.programs:
        assert parse_program(export_program(program), CATALOG) == program


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("version = 2", "version = 1"), "provenance: needs version = 2"),
        (('provenance = "kneetui"', 'provenance = "mine"'), "provenance: expected "),
        (('provenance = "article" }', "provenance = 3 }"), "advice[2].provenance: expected "),
        (('text = "Pause', 'txt = "Pause'), "advice[2].txt: unknown key in a line of advice"),
    ],
)
def test_a_wrong_provenance_in_a_programme_file_names_the_field(change, message):
    with pytest.raises(ProgramFileError) as caught:
        parse_program(FILE.replace(*change), CATALOG)
    assert str(caught.value).startswith(message)


def test_the_legend_names_only_the_marks_given_in_a_fixed_order():
    from kneetui.tui.provenance import legend, marked_lines

    assert str(legend([Provenance.KNEETUI, None, Provenance.ARTICLE, Provenance.KNEETUI])) == (
        "◆ article  ◇ kneetui's reading"
    )
    assert str(legend([])) == ""
    lines = marked_lines((Step("Stand.", Provenance.ARTICLE), Step("Bend.", Provenance.KNEETUI)), numbered=True)
    assert str(lines) == "1. ◆ Stand.\n2. ◇ Bend."


def shown_text(screen) -> str:
    from textual.widgets import Static

    return "\n".join(str(widget.render()) for widget in screen.query(Static))


async def test_an_exercises_detail_marks_the_step_kneetui_added_and_explains_the_marks(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "down", "enter")
        text = shown_text(app.screen)
        assert "1. ◆ Lie on your back with your foot placed on a wall." in text
        assert "3. ◇ Slide the foot back up; that is one repetition." in text
        assert "Where from: ◆ the source article" in text
        assert "◆ article  ◇ kneetui's reading" in text


async def test_the_rest_between_sets_is_shown_as_the_persons_setting(make_app):
    from kneetui.storage.config import Settings

    app = make_app(settings=Settings(safety_acknowledged=True, rest_seconds=45))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "down", "down", "enter")
        assert "Rest between sets: 45 s, your setting (Settings)" in shown_text(app.screen)


async def test_the_programmes_screen_marks_kneetuis_programme_and_the_articles_advice(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        text = shown_text(app.screen)
        assert "◇ Do it" in text
        assert "◆ Pause anything that makes the symptoms worse." in text
        assert "◇ Where a range is given, kneetui starts at its low end." in text


def test_only_kneetuis_own_plug_ins_may_speak_as_kneetuis_reading():
    from types import SimpleNamespace

    from kneetui.api import hookimpl
    from kneetui.plugin_host.records import Origin, PluginRecord

    @hookimpl
    def kneetui_register_exercises(register):
        register(squat(id="borrowed"))  # one step marked Provenance.KNEETUI
        register(squat(id="honest", steps=("Stand.", "Bend."), provenance=Provenance.ARTICLE))

    plugin = SimpleNamespace(kneetui_register_exercises=kneetui_register_exercises)
    result = load_plugins(extra=[(PluginRecord(name="third-party", origin=Origin.ENTRY_POINT), lambda: plugin)])
    assert result.catalog.exercise("borrowed") is None
    assert result.catalog.exercise("honest").provenance is Provenance.ARTICLE
    assert any("only kneetui's own plug-ins" in problem for problem in result.record("third-party").problems)
    assert not result.record("medial-knee").problems


def test_bullets_and_numbers_show_the_text_of_steps_and_advice():
    from kneetui.tui.literal import bullets, numbered

    assert str(bullets((Step("Stand."), Advice("Gently.")))) == "• Stand.\n• Gently."
    assert str(numbered((Step("Stand."), "Bend."))) == "1. Stand.\n2. Bend."


async def test_the_steps_shown_during_a_session_are_the_exercises_text(make_app):
    from textual.widgets import Static

    from kneetui.engine.clock import FakeClock
    from kneetui.history.store import HistoryStore
    from kneetui.storage.config import Settings

    app = make_app(settings=Settings(safety_acknowledged=True), clock=FakeClock(), history=HistoryStore.in_memory())
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_guide_exercise("wall-slides")
        await pilot.pause()
        await pilot.press("enter", "2", "enter", "n", "n")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        steps = str(app.screen.query_one("#steps", Static).render())
        assert "Lie on your back with your foot placed on a wall." in steps
        assert "Slide the foot back up; that is one repetition." in steps

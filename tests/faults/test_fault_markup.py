"""Markup and control characters in every text a plug-in can supply: shown literally, never obeyed."""

from __future__ import annotations

import dataclasses
import types
import typing

import pytest
from fault_helpers import screen_lines, wait_until
from textual.widgets import DataTable, OptionList

from kneetui.api import hookimpl
from kneetui.content import model
from kneetui.engine.clock import FakeClock
from kneetui.history.store import HistoryStore
from kneetui.plugin_host.loader import load_plugins
from kneetui.plugin_host.records import Origin, PluginRecord
from kneetui.storage.config import LoadedSettings, Settings
from kneetui.tui.app import KneeApp
from kneetui.tui.screens.pain_question import PainQuestionScreen
from kneetui.tui.screens.session import SessionScreen

#: Console markup, a link, an escape sequence, a bell, a NUL and characters outside the BMP.
HOSTILE = "[bold]x[/] [link=http://x]y[/link] \x1b[31m\x07\x00 ✓ 𝄞"
#: How HOSTILE must look on screen: the markup as typed, each control character as U+FFFD.
SHOWN = "[bold]x[/] [link=http://x]y[/link]"
PLUGIN = "hostile-[b]text[/b]"
#: Fields that must be ids (validated against a pattern) rather than free text.
ID_FIELDS = {"id", "exercise_id", "source_ids"}

SOURCE = model.Source("hostile-source", HOSTILE, publisher=HOSTILE, url=HOSTILE)
EXERCISE = model.Exercise(
    "hostile-exercise",
    HOSTILE,
    HOSTILE,
    (HOSTILE, HOSTILE),
    model.Dosage(reps=model.Range(2, 3)),
    model.Category.STRENGTH,
    HOSTILE,
    cautions=(HOSTILE,),
    suits_acute=True,
    source_ids=("hostile-source",),
    drawing=model.Drawing(frames=(HOSTILE, HOSTILE), captions=(HOSTILE, HOSTILE)),
)
AID = model.Aid("hostile-aid", HOSTILE, HOSTILE, advice=(HOSTILE,), source_ids=("hostile-source",), keywords=(HOSTILE,))
FAQ = model.FaqEntry("hostile-faq", HOSTILE, HOSTILE, source_ids=("hostile-source",), keywords=(HOSTILE,))
TOPICS = [
    model.Topic(
        f"hostile-topic-{kind.value}",
        HOSTILE,
        kind,
        (HOSTILE, HOSTILE),
        source_ids=("hostile-source",),
        keywords=(HOSTILE,),
    )
    for kind in model.TopicKind
]
PROGRAM = model.Program(
    "hostile-program",
    HOSTILE,
    HOSTILE,
    (model.ProgramStep("hostile-exercise"),),
    advice=(HOSTILE,),
    source_ids=("hostile-source",),
)
ITEMS = [SOURCE, EXERCISE, AID, FAQ, *TOPICS, PROGRAM]


def text_fields(cls: type) -> list[str]:
    hints = typing.get_type_hints(cls, vars(model))
    return [name for name, hint in hints.items() if hint is str or hint == tuple[str, ...]]


def every_dataclass(item: object):
    yield item
    for field in dataclasses.fields(item):
        value = getattr(item, field.name)
        for part in value if isinstance(value, tuple) else (value,):
            if dataclasses.is_dataclass(part):
                yield from every_dataclass(part)


def test_the_hostile_plugin_puts_hostile_text_in_every_text_field_of_every_content_class():
    covered: dict[type, set[str]] = {}
    for item in ITEMS:
        for part in every_dataclass(item):
            for name in text_fields(type(part)):
                value = getattr(part, name)
                if HOSTILE in (value if isinstance(value, tuple) else (value,)):
                    covered.setdefault(type(part), set()).add(name)
    for cls in vars(model).values():
        if dataclasses.is_dataclass(cls) and text_fields(cls):
            assert set(text_fields(cls)) - ID_FIELDS <= covered.get(cls, set()), cls.__name__


def hostile_module() -> types.ModuleType:
    module = types.ModuleType("hostile_text")
    module.__version__ = HOSTILE

    def register_each(kind):
        def hook(register):
            for item in ITEMS:
                if isinstance(item, kind):
                    register(item)

        return hookimpl(hook)

    module.kneetui_register_sources = register_each(model.Source)
    module.kneetui_register_exercises = register_each(model.Exercise)
    module.kneetui_register_aids = register_each(model.Aid)
    module.kneetui_register_faq = register_each(model.FaqEntry)
    module.kneetui_register_topics = register_each(model.Topic)
    module.kneetui_register_programs = register_each(model.Program)
    return module


def raising_module() -> types.ModuleType:
    """A second plug-in whose failure message (an exception's text) is hostile too."""
    module = types.ModuleType("hostile_failure")

    @hookimpl
    def kneetui_register_faq(register):
        raise ValueError(HOSTILE)

    module.kneetui_register_faq = kneetui_register_faq
    return module


@pytest.fixture
def hostile_app():
    plugins = load_plugins(
        extra=[
            (PluginRecord(name=PLUGIN, origin=Origin.ENTRY_POINT, location=HOSTILE), hostile_module),
            (PluginRecord(name="hostile-failure", origin=Origin.ENTRY_POINT), raising_module),
        ]
    )
    assert not plugins.record(PLUGIN).problems, plugins.record(PLUGIN).problems
    settings = Settings(safety_acknowledged=True, get_ready_seconds=0, program="hostile-program")
    clock, history = FakeClock(), HistoryStore.in_memory()
    return KneeApp(plugins, LoadedSettings(settings, [HOSTILE]), clock=clock, history=history, save=False)


def assert_literal(app, where: str, expect_text: bool = True) -> None:
    lines = screen_lines(app)
    shown = "\n".join(lines)
    bad = sorted({hex(ord(char)) for line in lines for char in line if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F})
    assert not bad, f"{where}: control characters reached the screen: {bad}"
    if expect_text:
        assert SHOWN in shown or "[bold]x[/]" in shown, f"{where}: hostile text not shown literally:\n{shown}"


async def test_every_screen_shows_plugin_text_literally_and_no_control_character(hostile_app):
    app = hostile_app
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.pause()
        assert_literal(app, "home")
        for key, name in [
            ("e", "library"),
            ("l", "learn"),
            ("a", "aids"),
            ("f", "faq"),
            ("c", "sources"),
            ("p", "plugins"),
            ("r", "programs"),
            ("g", "progress"),
            ("question_mark", "help"),
        ]:
            await pilot.press(key)
            await pilot.pause()
            if name == "sources":  # the plug-in's source comes after the built-in ones
                app.screen.query_one("#sources-scroll").scroll_end(animate=False)
                await pilot.pause()
            assert_literal(app, name, expect_text=name not in ("help", "progress"))
            if name == "learn":
                for _ in range(3):
                    await pilot.press("right")
                    await pilot.pause()
                    assert_literal(app, "learn, next tab")
            if name == "faq":
                await pilot.press(*"bold")
                await pilot.pause()
                assert_literal(app, "faq search")
            if name == "plugins":
                table = app.screen.query_one(DataTable)
                for row in range(table.row_count):
                    table.move_cursor(row=row)
                    await pilot.pause()
                    assert_literal(app, f"plugins row {row}")
            if name == "library":
                menu = app.screen.query_one("#exercises", OptionList)
                assert any(SHOWN in str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count))
                await pilot.press("tab", "enter")
                await pilot.pause()
                assert_literal(app, "library, plug-in filter open")
                await pilot.press("escape")
            await pilot.press("escape")
            await pilot.pause()
        app.action_open("exercise", exercise_id="hostile-exercise")
        await pilot.pause()
        assert_literal(app, "exercise detail")
        await pilot.press("ctrl+p", *"bold")
        await pilot.pause(0.3)
        assert_literal(app, "command palette")
        await pilot.press("escape")


async def test_a_session_of_the_hostile_exercise_shows_its_text_literally(hostile_app):
    app = hostile_app
    async with app.run_test(size=(140, 50)) as pilot:
        app.action_guide_exercise("hostile-exercise")
        await pilot.pause()
        assert_literal(app, "dose choice")
        await pilot.press("enter", "1", "enter", "n", "n")
        await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.runner is not None)
        app.screen.tick()
        await pilot.pause()
        assert_literal(app, "session")
        await pilot.press("enter", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PainQuestionScreen))
        await pilot.press("1", "enter")
        await pilot.pause()
        await pilot.press("1", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.over)
        assert_literal(app, "session summary")
        assert app.history.sessions()[0].blocks[0].done == 2

        app.action_home()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("1", "enter", "n", "n")
        await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.runner is not None)
        app.screen.tick()
        await pilot.pause()
        assert_literal(app, "programme session")

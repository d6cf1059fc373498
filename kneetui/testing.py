"""pytest helpers for kneetui plug-in authors.

    from kneetui.testing import assert_plugin_valid

    def test_my_plugin_loads_cleanly():
        loaded = assert_plugin_valid(my_plugin)
        assert loaded.catalog.exercise("my-exercise") is not None

Each helper uses a fresh plug-in manager, so tests never share state.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kneetui.plugin_host.loader import ENTRY_POINT_GROUP, OWN_DISTRIBUTION, LoadResult, load_plugins
from kneetui.plugin_host.records import Origin, PluginRecord

if TYPE_CHECKING:
    from kneetui.tui.app import KneeApp

__all__ = ["PluginScreenRun", "assert_plugin_valid", "load_plugin", "make_test_app", "run_plugin_screen"]


def builtin_entry_points() -> list[importlib.metadata.EntryPoint]:
    """kneetui's own content (its entry points), without any other installed plug-in."""
    return [
        entry_point
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        if entry_point.dist is not None and (entry_point.dist.metadata["Name"] or "").lower() == OWN_DISTRIBUTION
    ]


def plugin_name(plugin: Any) -> str:
    """The name ``plugin`` is installed under (its entry point), else its module name."""
    module = getattr(plugin, "__name__", None) or type(plugin).__module__
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry_point.value.split(":")[0].strip() == module:
            return entry_point.name
    return module


def load_plugin(plugin: Any, name: str | None = None, with_builtin: bool = True) -> LoadResult:
    """Load ``plugin`` (a module or object with hook implementations) into a fresh manager.

    Only ``plugin`` is loaded, plus kneetui's own content when ``with_builtin`` is
    true (so a plug-in's programmes may use the built-in exercises); no other
    installed plug-in is. ``name`` defaults to the plug-in's entry-point name.
    """
    name = name or plugin_name(plugin)
    builtin = builtin_entry_points()
    # kneetui's own content, tested through this helper, is still kneetui's own (it may speak as kneetui).
    origin = Origin.BUILT_IN if name in {ep.name for ep in builtin} else Origin.ENTRY_POINT
    record = PluginRecord(name=name, origin=origin)
    entry_points = [ep for ep in builtin if ep.name != name] if with_builtin else []
    return load_plugins(entry_points=entry_points, extra=[(record, lambda: plugin)])


def assert_plugin_valid(plugin: Any, name: str | None = None, with_builtin: bool = True) -> LoadResult:
    """Load ``plugin`` and fail the test with every problem kneetui found in it."""
    name = name or plugin_name(plugin)
    loaded = load_plugin(plugin, name, with_builtin)
    record = loaded.record(name)
    assert record is not None
    problems = [record.failure] if record.failure else record.problems
    assert not problems, f"plug-in {name!r} has problems:\n  " + "\n  ".join(problems)
    assert sum(record.contributions.values()) > 0 or record.hooks, f"plug-in {name!r} contributes nothing"
    return loaded


def make_test_app(plugin: Any, name: str | None = None, with_builtin: bool = True, **options: Any) -> KneeApp:
    """A kneetui app with ``plugin`` loaded, a fake clock and no saving, for ``app.run_test()``."""
    from kneetui.engine.clock import FakeClock
    from kneetui.storage.config import LoadedSettings, Settings
    from kneetui.tui.app import KneeApp

    settings = options.pop("settings", None) or Settings(safety_acknowledged=True)
    clock = options.pop("clock", None) or FakeClock()
    return KneeApp(
        load_plugin(plugin, name, with_builtin), LoadedSettings(settings), clock=clock, save=False, **options
    )


@dataclass
class PluginScreenRun:
    """What :func:`run_plugin_screen` gives a test: drive ``pilot``, move ``clock``, check ``recorder``."""

    #: The Textual ``Pilot``: ``await run.pilot.press("space")``.
    pilot: Any
    #: The plug-in's screen, as its hook returned it.
    screen: Any
    #: The :class:`~kneetui.api.SessionGuide` the screen got; ``guide.blocks`` lists what it recorded.
    guide: Any
    #: A memory recorder; ``recorder.blocks`` holds ``(session_id, BlockRecord)`` pairs.
    recorder: Any
    #: The :class:`~kneetui.api.FakeClock`; ``run.clock.advance(seconds)`` moves time on.
    clock: Any

    @property
    def blocks(self) -> list[Any]:
        """The blocks the screen recorded, oldest first (``BlockRecord`` objects)."""
        return list(self.guide.blocks)


@asynccontextmanager
async def run_plugin_screen(
    plugin: Any,
    exercise_id: str,
    *,
    name: str | None = None,
    dose: Any = None,
    size: tuple[int, int] = (80, 24),
    with_builtin: bool = True,
) -> AsyncIterator[PluginScreenRun]:
    """Open the plug-in's own session screen for ``exercise_id`` in a Pilot.

    The screen gets a real :class:`~kneetui.api.SessionGuide` on a
    :class:`~kneetui.api.FakeClock` (move it with ``run.clock.advance``) that
    records into a memory recorder (``run.blocks``). ``with_builtin`` also loads
    kneetui's own content, as in the app::

        async with run_plugin_screen(my_plugin, "my-exercise") as run:
            run.clock.advance(10)
            run.screen.tick()
            assert run.guide.finished
    """
    from textual.app import App

    from kneetui.engine.clock import FakeClock
    from kneetui.engine.plugin_guide import SessionGuide
    from kneetui.engine.recording import MemoryRecorder, SessionStart
    from kneetui.tui.plugin_screens import plugin_session_screen

    name = name or plugin_name(plugin)
    loaded = assert_plugin_valid(plugin, name, with_builtin=with_builtin)
    exercise = loaded.catalog.exercise(exercise_id)
    assert exercise is not None, f"plug-in {name!r} registers no exercise {exercise_id!r}"
    clock = FakeClock()
    recorder = MemoryRecorder()
    session_id = recorder.start_session(SessionStart(clock.wall(), None, (exercise_id,)))
    guide = SessionGuide(
        exercise=exercise,
        dose=dose or exercise.dosage.lowest(),
        clock=clock,
        recorder=recorder,
        session_id=session_id,
        plugin=name,
    )
    screen = plugin_session_screen(loaded, name, exercise, guide)
    assert screen is not None, f"plug-in {name!r} offers no screen for {exercise_id!r}"

    from textual.binding import Binding

    class Harness(App[None]):
        """Runs the screen inside kneetui's safety frame: ``!`` and ``q`` are kneetui's, before the screen's."""

        BINDINGS = [
            Binding("exclamation_mark", "frame_pain_worse", "Pain worse", priority=True),
            Binding("q", "frame_quit", "End session", priority=True),
        ]

        def on_mount(self) -> None:
            assert screen is not None
            self.push_screen(screen)

        def action_frame_pain_worse(self) -> None:
            guide.interrupt()
            guide.pain_is_worse()

        def action_frame_quit(self) -> None:
            guide.interrupt()

    app = Harness()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield PluginScreenRun(pilot, screen, guide, recorder, clock)

"""The real full-screen app in a pseudo-terminal: killed mid-session, and a plug-in screen that hangs for good."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys

import pytest
from fault_helpers import PtyApp, write_config, write_program

from kneetui.history.store import open_history_store
from kneetui.storage import locations

CALM_SETTINGS = {
    "safety_acknowledged": True,
    "get_ready_seconds": 0,
    "rest_seconds": 0,
    "bell": False,
    "flash": False,
    "animations": False,
}


def blocks_in(path) -> list[tuple[int, int]]:
    """(set number, reps done) of every block committed so far, read as another process would."""
    if not path.exists():
        return []
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as connection:
        try:
            return connection.execute("SELECT set_number, done FROM blocks ORDER BY id").fetchall()
        except sqlite3.OperationalError:  # the tables are not made yet
            return []


@pytest.fixture
def pty_app(subprocess_env):
    started: list[PtyApp] = []

    def start(*args: str, env: dict[str, str] | None = None, size=(100, 30)) -> PtyApp:
        app = PtyApp(*args, env=dict(subprocess_env, TERM="xterm-256color", **(env or {})), size=size)
        started.append(app)
        return app

    yield start
    for app in started:
        app.close()


def test_kill_9_in_the_middle_of_a_session_keeps_the_completed_set(pty_app):
    write_config(**CALM_SETTINGS, program="squeezes")
    write_program("squeezes", {"exercise": "adductor-squeeze", "reps": 10, "sets": 2})
    history = locations.history_file()
    app = pty_app()
    app.wait_for("Start today")
    app.send("s")
    app.wait_for("Before you start")
    app.send("1\r")
    app.wait_for("Press y for yes or n for no")
    app.send("nn")
    app.wait_for("press Enter after each rep")
    app.send("\r" * 4)
    app.send("\r" * 6)  # the tenth rep completes set 1 of 2
    app.wait_for(lambda: blocks_in(history) == [(1, 10)])
    app.wait_for("set 2 of 2")
    app.send("\r" * 3)  # three reps into set 2, not yet a block
    app.read(0.3)
    app.process.send_signal(signal.SIGKILL)
    assert app.exit_code() == -signal.SIGKILL

    opened = open_history_store(history)
    assert opened.notices == []
    with opened.store as store:
        assert store.integrity() == "ok"
        [session] = store.sessions()
        assert [(block.set_number, block.done) for block in session.blocks] == [(1, 10)]
        assert session.pain_before == 1 and session.ended_at is None


SLEEPY = """
import time

from kneetui.api import Category, Dosage, Exercise, Range, hookimpl


@hookimpl
def kneetui_register_exercises(register):
    register(Exercise("sleepy-hold", "Sleepy hold", "s", ("Hold.",), Dosage(hold_seconds=Range(10, 20)), Category.STRETCH, "b"))


@hookimpl
def kneetui_session_screen(exercise, guide):
    from textual.screen import Screen
    from textual.widgets import Static

    class SleepyScreen(Screen):
        def compose(self):
            yield Static("Sleepy screen")

        def on_mount(self):
            self.set_timer(0.05, self.{how})

        def sleep(self):
            time.sleep(600)  # a C call: no exception can get in until it returns

        def swallow(self):
            while True:
                try:
                    while True:
                        pass
                except Exception:
                    pass

    return SleepyScreen()
"""


@pytest.mark.parametrize("how", ["sleep", "swallow"])
def test_a_plugin_screen_that_cannot_be_interrupted_ends_kneetui_with_a_message(pty_app, how):
    write_config(**CALM_SETTINGS, program="sleepy", plugin_screen_timeout_seconds=0.3)
    write_program("sleepy", {"exercise": "sleepy-hold"})
    locations.user_plugin_dir().mkdir(parents=True)
    (locations.user_plugin_dir() / "sleepy.py").write_text(SLEEPY.replace("{how}", how))
    app = pty_app()
    app.wait_for("Start today")
    app.send("s")
    app.wait_for("Before you start")
    app.send("1\r")
    app.wait_for("Press y for yes or n for no")
    app.send("nn")
    assert app.exit_code(timeout=20) == 3
    assert "the plug-in 'sleepy' stopped responding" in app.text
    assert "kneetui plugins disable sleepy" in app.text
    assert "Traceback" not in app.text
    assert app.raw.rfind(b"\x1b[?1049l") > app.raw.rfind(b"\x1b[?1049h"), "the terminal left the alternate screen"
    with open_history_store(locations.history_file()).store as store:
        assert store.integrity() == "ok"
        assert [session.pain_before for session in store.sessions()] == [1]


def test_two_plain_guides_recording_at_the_same_time_both_keep_every_row(subprocess_env):
    typed = "3\nn\nn\n" + "\n" * 10 + "2\n"  # calm answers, ten reps, the pain after the exercise and the session
    guides = [
        subprocess.Popen(
            [sys.executable, "-m", "kneetui", "guide", "wall-slides", "--plain", "--get-ready", "0", "--no-bell"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=subprocess_env,
        )
        for _ in range(2)
    ]
    try:
        for guide in guides:  # both are fed before either is read, so they run side by side
            guide.stdin.write(typed)
            guide.stdin.close()
        results = [(guide.stdout.read(), guide.stderr.read(), guide.wait(timeout=60)) for guide in guides]
    finally:
        for guide in guides:
            if guide.poll() is None:
                guide.kill()
    for out, err, code in results:
        assert code == 0, err
        assert "Traceback" not in err and "kept in memory only" not in out + err
        assert "10 of 10" in out
    with open_history_store(locations.history_file()).store as store:
        assert store.integrity() == "ok"
        sessions = store.sessions()
        assert len(sessions) == 2
        for session in sessions:
            assert [(block.exercise_id, block.done) for block in session.blocks] == [("wall-slides", 10)]
            assert (session.pain_before, session.pain_after) == (3, 2) and session.ended_at is not None
            assert [check.pain for check in session.pain_checks] == [2]

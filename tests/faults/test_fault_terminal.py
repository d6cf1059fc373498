"""NO_COLOR, TERM=linux and locales that are not UTF-8: the CLI degrades, the app still draws."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from fault_helpers import PtyApp, write_config

from kneetui.cli.output import degrade_gracefully

C_LOCALE = {"LANG": "C", "LC_ALL": "C"}
#: Python turns the C locale into UTF-8 by itself (PEP 538/540); these keep it ASCII, as a
#: legacy locale would, so the fallbacks really run.
ASCII_ONLY = {**C_LOCALE, "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
LOCALES = {"LANG=C": C_LOCALE, "ascii": ASCII_ONLY, "latin-1": {"PYTHONIOENCODING": "latin-1"}}


def environment(subprocess_env: dict[str, str], **changes: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in subprocess_env.items()
        if key not in ("PYTHONIOENCODING", "LANG", "LC_ALL", "LC_CTYPE")
    }
    env.update(changes)
    return env


def kneetui(env, *args: str, typed: str | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "kneetui", *args],
        input=typed.encode() if typed else None,
        capture_output=True,
        env=env,
        timeout=60,
    )


@pytest.mark.parametrize("locale", LOCALES, ids=list(LOCALES))
def test_the_cli_prints_its_dashes_and_arrows_whatever_the_encoding(subprocess_env, locale):
    env = environment(subprocess_env, NO_COLOR="1", TERM="linux", **LOCALES[locale])
    listed = kneetui(env, "exercises")
    assert listed.returncode == 0, listed.stderr.decode(errors="replace")
    assert b"Traceback" not in listed.stderr
    assert re.search(rb"15(\xe2\x80\x93|-)30 s", listed.stdout), "hold 15–30 s, as '–' or '-'"
    answered = kneetui(env, "faq", "worse")
    assert answered.returncode == 0 and b"consult a healthcare professional" in answered.stdout
    guided = kneetui(
        env,
        "guide",
        "wall-slides",
        "--plain",
        "--get-ready",
        "0",
        "--no-bell",
        typed="3\nn\nn\n" + "\n" * 10 + "2\n2\n",
    )
    assert guided.returncode == 0 and b"Traceback" not in guided.stderr
    assert re.search(rb"Pain before (\xe2\x86\x92|->) after: 3 (\xe2\x86\x92|->) 2", guided.stdout)


def test_what_an_encoding_cannot_hold_becomes_a_plain_stand_in():
    import io

    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    degrade_gracefully(stream)
    stream.write("hold 15–30 s → Knæ, Århus, ✓ 𝄞")
    stream.flush()
    assert stream.buffer.getvalue() == b"hold 15-30 s -> Knae, Arhus, v ?"


@pytest.fixture
def pty_app(subprocess_env):
    started: list[PtyApp] = []

    def start(**env: str) -> PtyApp:
        app = PtyApp(env=environment(subprocess_env, **env))
        started.append(app)
        return app

    yield start
    for app in started:
        app.close()


@pytest.mark.parametrize("locale", ["LANG=C", "ascii"])
def test_the_app_draws_home_on_a_linux_console_in_the_c_locale(pty_app, locale):
    write_config(safety_acknowledged=True)
    app = pty_app(TERM="linux", **LOCALES[locale])
    app.wait_for("Start today")
    app.wait_for("╰─")  # the panels' borders, drawn as lines, not as '\u2570\u2500'
    assert "\\u25" not in app.text
    app.send("q")
    assert app.exit_code() == 0


def test_the_app_under_no_color_draws_in_greys_only(pty_app):
    write_config(safety_acknowledged=True)
    app = pty_app(TERM="xterm-256color", NO_COLOR="1")
    app.wait_for("Start today")
    app.read(0.2)
    colours = re.findall(rb"\x1b\[[0-9;]*?(?:3|4)8;(2;\d+;\d+;\d+|5;\d+)", bytes(app.raw))
    assert colours, "the app did draw"
    assert all(colour.startswith(b"5;") and 232 <= int(colour[2:]) <= 255 for colour in colours), set(colours)
    app.send("q")
    assert app.exit_code() == 0

"""What kneetui keeps of a plug-in's printing, where it says a plug-in's code failed, and what
``kneetui plugins --json`` reports of each: the parts under the loader, one at a time."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from functools import partial
from pathlib import Path

import pluggy
import pytest

from kneetui.api import hookimpl
from kneetui.engine.safety import check_pain
from kneetui.plugin_host.containment import (
    KEPT_LINES,
    LOG_LIMIT_BYTES,
    PrintedLines,
    append_to_log,
    at,
    code_location,
    error_location,
    printed_to,
    short_path,
)
from kneetui.plugin_host.mistakes import (
    did_you_mean,
    hook_mistakes,
    returned_instead_of_registering,
    wrong_arguments,
)
from kneetui.plugin_host.records import Origin, PluginRecord, Status

# A plug-in's module, made from source so its file and module name are what a plug-in's would be.
PLUGIN_SOURCE = """\
import json

def boom():
    raise ValueError("the plug-in broke")

def calls_the_standard_library():
    return json.loads("{")

def calls(function):
    return function()

def evaluates():
    return eval("1 / 0")

class Coach:
    @hookimpl
    def kneetui_make_coffee(self, register):
        pass

    def kneetui_register_faq(self, register):
        pass

    def kneetui_session_screen(self, exercise_id, screen_guide):
        return None
"""
LIBRARY_SOURCE = """\
def fails():
    raise KeyError("inside a library")
"""


@pytest.fixture
def plugin_module():
    namespace = {"__name__": "kneetui_coach.screens.hooks", "hookimpl": hookimpl}
    exec(compile(PLUGIN_SOURCE, "/opt/plugins/kneetui_coach/screens/hooks.py", "exec"), namespace)
    return namespace


def library(folder: Path):
    """A library's function, as if installed in ``folder``."""
    namespace = {"__name__": "somelib.core"}
    exec(compile(LIBRARY_SOURCE, str(folder / "somelib" / "core.py"), "exec"), namespace)
    return namespace["fails"]


def raised_by(function) -> BaseException:
    try:
        function()
    except Exception as error:  # noqa: BLE001 - any error the plug-in raises is the point
        return error
    raise AssertionError("it did not raise")


# Printing


def test_printed_lines_are_counted_all_and_kept_up_to_the_limit_each_cut_at_500_characters():
    printed = PrintedLines()
    with printed_to(printed):
        print("x" * 600)
        for number in range(KEPT_LINES + 9):
            print(number)
        print("no newline at the end", end="")
    assert printed.count == KEPT_LINES + 11
    assert len(printed.lines) == KEPT_LINES
    assert printed.lines[0] == "x" * 500
    assert printed.lines[-1] == str(KEPT_LINES - 2)


def test_the_last_line_without_a_newline_is_kept_too():
    printed = PrintedLines()
    with printed_to(printed):
        print("first")
        print("second", end="")
    assert (printed.lines, printed.count) == (["first", "second"], 2)


# The plug-in log


def test_printed_lines_go_to_the_log_with_a_time_and_the_plugins_name(tmp_path):
    log_file = tmp_path / "a" / "b" / "plugins.log"
    append_to_log("coach", ["hello", "là"], log_file)
    lines = log_file.read_text(encoding="utf-8").splitlines()
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"
    assert len(lines) == 2
    assert re.fullmatch(rf"{stamp} coach: hello", lines[0]) and re.fullmatch(rf"{stamp} coach: là", lines[1])


def test_nothing_printed_writes_nothing(tmp_path):
    append_to_log("coach", [], tmp_path / "plugins.log")
    assert not (tmp_path / "plugins.log").exists()


def test_text_that_cannot_be_written_as_utf8_is_replaced_not_lost(tmp_path):
    log_file = tmp_path / "plugins.log"
    append_to_log("coach", ["bad \udcff byte"], log_file)
    assert log_file.read_text(encoding="utf-8").endswith("coach: bad ? byte\n")


def test_the_log_starts_afresh_only_when_it_is_past_its_limit(tmp_path):
    log_file = tmp_path / "plugins.log"
    log_file.write_bytes(b"x" * LOG_LIMIT_BYTES)
    append_to_log("coach", ["one"], log_file)
    assert not log_file.with_suffix(".log.1").exists()
    append_to_log("coach", ["two"], log_file)
    assert log_file.with_suffix(".log.1").stat().st_size > LOG_LIMIT_BYTES
    assert log_file.read_text(encoding="utf-8").endswith("coach: two\n")


def test_a_log_that_cannot_be_written_is_skipped(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    append_to_log("coach", ["hello"], blocker / "plugins.log")
    assert blocker.read_text(encoding="utf-8") == ""


# Where a plug-in's code is


@pytest.mark.parametrize(
    ("filename", "package", "shown"),
    [
        ("/opt/plugins/kneetui_coach/screens/timer.py", "kneetui_coach", "kneetui_coach/screens/timer.py"),
        ("/opt/kneetui_coach/lib/kneetui_coach/hooks.py", "kneetui_coach", "kneetui_coach/hooks.py"),
        ("/home/anna/.local/kneetui/plugins/coach.py", "coach", "coach.py"),
        ("/opt/plugins/kneetui_coach/hooks.py", "", "kneetui_coach/hooks.py"),
        ("/opt/plugins/kneetui_coach/hooks.py", "other", "kneetui_coach/hooks.py"),
        ("hooks.py", "", "hooks.py"),
    ],
)
def test_a_path_is_shown_from_the_plugins_package_on(filename, package, shown):
    assert short_path(filename, package) == shown


def test_an_error_is_placed_at_the_plugins_line(plugin_module):
    error = raised_by(plugin_module["boom"])
    assert error_location(error, "kneetui_coach") == "kneetui_coach/screens/hooks.py:4"
    assert error_location(error) == "screens/hooks.py:4"


def test_an_error_inside_pythons_own_code_is_placed_at_the_plugins_call(plugin_module):
    error = raised_by(plugin_module["calls_the_standard_library"])
    assert error_location(error, "kneetui_coach") == "kneetui_coach/screens/hooks.py:7"
    assert error_location(error) == "screens/hooks.py:7", "json's own frames are not the plug-in's"


def test_code_evaluated_from_a_string_is_not_the_plugins(plugin_module):
    assert error_location(raised_by(plugin_module["evaluates"])) == "screens/hooks.py:13"


def test_an_error_inside_kneetui_or_pluggy_is_placed_at_the_plugins_call(plugin_module):
    manager = pluggy.PluginManager("kneetui")
    manager.register(object(), name="same")
    # partial adds no frame of its own: the plug-in's call is followed at once by kneetui's or pluggy's code.
    for inside in (partial(check_pain, 11), partial(manager.register, object(), name="same")):
        error = raised_by(partial(plugin_module["calls"], inside))
        assert error_location(error) == "screens/hooks.py:10"


def test_an_error_inside_a_library_is_placed_at_the_plugins_call_when_the_plugin_is_known(plugin_module, tmp_path):
    error = raised_by(lambda: plugin_module["calls"](library(tmp_path / "site-packages")))
    assert error_location(error, "kneetui_coach") == "kneetui_coach/screens/hooks.py:10"
    assert error_location(error) == "somelib/core.py:2", "without the plug-in's package, the last code not Python's"


def test_a_library_installed_beside_pythons_own_modules_is_not_python_itself(plugin_module):
    stdlib = Path(os.__file__).resolve().parent
    error = raised_by(lambda: plugin_module["calls"](library(stdlib / "site-packages")))
    assert error_location(error) == "somelib/core.py:2"


def test_a_syntax_error_is_placed_at_its_own_line():
    error = raised_by(lambda: compile("def broken(:\n", "/opt/plugins/kneetui_coach/hooks/a.py", "exec"))
    assert error_location(error, "kneetui_coach") == "kneetui_coach/hooks/a.py:1"


def test_an_error_with_no_plugin_code_in_it_has_no_place():
    assert error_location(ValueError("made, never raised")) == ""


def test_a_function_is_placed_at_its_first_line(plugin_module):
    boom = plugin_module["boom"]
    assert code_location(boom, "kneetui_coach") == "kneetui_coach/screens/hooks.py:3"
    assert code_location(staticmethod(boom), "kneetui_coach") == "kneetui_coach/screens/hooks.py:3"
    assert code_location(classmethod(boom), "kneetui_coach") == "kneetui_coach/screens/hooks.py:3"
    assert code_location(len) == ""
    assert at("kneetui_coach/hooks.py:3") == " (at kneetui_coach/hooks.py:3)"
    assert at("") == ""


# Plug-in mistakes said plainly


def validation_error(plugin, text):
    return pluggy.PluginValidationError(plugin, text)


class ScreenPlugin:
    @staticmethod
    def kneetui_session_screen(exercise_id, screen_guide):
        return None


def test_a_hook_asking_for_arguments_kneetui_does_not_pass_names_them_and_the_right_ones():
    text = "Plugin 'coach' for hook 'kneetui_session_screen'\nhookimpl definition: ...\nArgument(s) {'x'} are declared in the hookimpl but can not be found in the hookspec"
    message = wrong_arguments(validation_error(ScreenPlugin(), text), "tests")
    assert message.startswith(
        "kneetui_session_screen asks for 'exercise_id', 'screen_guide', which kneetui does not pass: "
        "name its arguments from 'exercise', 'guide' (at tests/test_plugin_containment.py:"
    )


@pytest.mark.parametrize(
    ("plugin", "text"),
    [
        (ScreenPlugin(), "Plugin 'coach' for hook 'kneetui_session_screen': historic, cannot call"),
        (ScreenPlugin(), "unknown hook 'kneetui_nope' can not be found in the hookspec"),
        (ScreenPlugin(), "Plugin 'coach' for hook 'kneetui_nope': x can not be found in the hookspec"),
        (object(), "Plugin 'coach' for hook 'kneetui_session_screen': x can not be found in the hookspec"),
    ],
)
def test_other_validation_errors_are_not_said_to_be_wrong_arguments(plugin, text):
    if isinstance(plugin, ScreenPlugin):
        plugin.kneetui_nope = lambda: None
    assert wrong_arguments(validation_error(plugin, text)) == ""


HOOKS = (
    "kneetui_register_aids, kneetui_register_exercises, kneetui_register_faq, kneetui_register_programs, "
    "kneetui_register_sources, kneetui_register_topics, kneetui_session_screen"
)


def test_an_unknown_hook_with_no_near_name_lists_kneetuis_hooks_and_where_it_is(plugin_module):
    assert hook_mistakes(plugin_module["Coach"](), "kneetui_coach")[1] == [
        f"unknown hook 'kneetui_make_coffee'; kneetui has: {HOOKS} (at kneetui_coach/screens/hooks.py:16)"
    ]


def test_a_hook_not_marked_is_placed_in_the_plugins_package(plugin_module):
    problems, _ = hook_mistakes(plugin_module["Coach"](), "kneetui_coach")
    assert [problem.split()[0] for problem in problems] == ["kneetui_register_faq", "kneetui_session_screen"]
    assert problems[0].endswith("(at kneetui_coach/screens/hooks.py:20)")


def test_wrong_arguments_are_placed_in_the_plugins_package(plugin_module):
    text = "Plugin 'coach' for hook 'kneetui_session_screen'\nArgument(s) {'x'} can not be found in the hookspec"
    message = wrong_arguments(validation_error(plugin_module["Coach"](), text), "kneetui_coach")
    assert message.endswith("(at kneetui_coach/screens/hooks.py:23)")


def test_a_name_like_no_hook_gets_no_suggestion():
    assert did_you_mean("kneetui_make_coffee") == ""
    assert did_you_mean("kneetui_register_exercise") == "; did you mean 'kneetui_register_exercises'?"


def test_a_hook_that_returned_its_items_is_told_to_register_them(plugin_module):
    message = returned_instead_of_registering("kneetui_register_faq", [1, 2], plugin_module["boom"], "kneetui_coach")
    assert message == (
        "kneetui_register_faq returned a list, which kneetui ignores: call register(item) once per item "
        "and return nothing (at kneetui_coach/screens/hooks.py:3)"
    )


# What `kneetui plugins --json` says of each plug-in


def test_a_plugin_record_as_json_says_everything_kneetui_knows():
    record = PluginRecord(
        name="coach",
        origin=Origin.ENTRY_POINT,
        version="1.2",
        location="/opt/plugins/kneetui_coach",
        problems=["exercise 'x': field 'name': empty", "faq 'y': field 'id': bad"],
        contributions=Counter(exercises=2, faq=1),
        hooks=["kneetui_register_exercises"],
        import_seconds=2.0,
        printed=["hello", "again"],
    )
    assert record.as_json() == {
        "name": "coach",
        "version": "1.2",
        "origin": "entry point",
        "location": "/opt/plugins/kneetui_coach",
        "status": "problems",
        "reason": "exercise 'x': field 'name': empty (and 1 more)",
        "problems": ["exercise 'x': field 'name': empty", "faq 'y': field 'id': bad"],
        "contributes": {"exercises": 2, "faq": 1},
        "hooks": ["kneetui_register_exercises"],
        "import_ms": 2000,
        "slow": True,
        "printed_lines": 2,
    }
    json.dumps(record.as_json())


def test_a_failed_plugin_reports_its_failure_as_its_only_problem():
    record = PluginRecord(name="coach", origin=Origin.USER_FOLDER, failure="import failed", problems=["ignored"])
    assert record.status is Status.FAILED
    assert record.as_json()["problems"] == ["import failed"]
    assert record.as_json()["reason"] == "import failed"


def test_a_quick_clean_plugin_is_ok_and_not_slow():
    record = PluginRecord(name="coach", origin=Origin.BUILT_IN, import_seconds=0.1)
    assert (record.status, record.reason, record.slow) == (Status.OK, "", False)
    assert PluginRecord(name="x", origin=Origin.PACK, problems=["one"]).reason == "one"
    disabled = PluginRecord(name="x", origin=Origin.PACK, disabled=True, failure="f")
    assert (disabled.status, disabled.reason) == (Status.DISABLED, "disabled in the configuration")

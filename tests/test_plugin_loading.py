"""Loading plug-ins: each kind of failure is recorded and never stops the others."""

from __future__ import annotations

import importlib
import sys
import types

import pluggy
import pytest

from kneetui.api import FaqEntry, Program, ProgramStep, Provenance, hookimpl
from kneetui.plugin_host.loader import load_plugins, new_manager
from kneetui.plugin_host.records import Origin, PluginRecord, Status


def fixture(name: str) -> tuple[PluginRecord, object]:
    def load():
        sys.modules.pop(f"fixture_plugins.{name}", None)
        return importlib.import_module(f"fixture_plugins.{name}")

    return PluginRecord(name=name, origin=Origin.ENTRY_POINT), load


def load_with(*names: str, **kwargs):
    return load_plugins(extra=[fixture(name) for name in names], **kwargs)


def test_the_built_in_plugin_loads_through_the_entry_point_group():
    result = load_plugins()
    record = result.record("medial-knee")
    assert record is not None
    assert record.origin is Origin.BUILT_IN
    assert record.status is Status.OK
    assert record.contributions["exercises"] == 6
    assert "kneetui_register_exercises" in record.hooks


def test_a_plugin_that_fails_to_import_is_recorded_and_the_rest_load():
    result = load_with("broken_import", "good_extra")
    broken = result.record("broken_import")
    assert broken.status is Status.FAILED
    assert broken.reason == (
        "import failed: RuntimeError: this plug-in cannot be imported (at fixture_plugins/broken_import.py:3)"
    )
    assert result.catalog.exercise("heel-raise") is not None
    assert len(result.catalog.exercises) == 7


def test_a_hook_that_raises_keeps_nothing_from_that_call():
    result = load_with("raising_hook")
    record = result.record("raising_hook")
    assert record.status is Status.PROBLEMS
    assert (
        "kneetui_register_exercises raised ValueError: database not found (at fixture_plugins/raising_hook.py:9)"
        in record.problems
    )
    assert any("kneetui_register_faq raised KeyError" in problem for problem in record.problems)
    assert result.catalog.exercise("half-done") is None
    assert len(result.catalog.faq) == 5


def test_invalid_items_are_refused_one_by_one_with_plugin_item_and_field():
    result = load_with("bad_data")
    record = result.record("bad_data")
    assert result.catalog.exercise("good-one") is not None
    assert record.contributions["exercises"] == 1
    problems = "\n".join(record.problems)
    assert "plug-in 'bad_data': exercise 'backwards': field 'dosage.reps'" in problems
    assert "exercise 'no-steps': field 'steps'" in problems
    assert "expected Exercise, got dict" in problems
    assert "faqentry 'number-answer': field 'answer': expected str, got int" in problems
    assert "faqentry 'Bad Id!': field 'id'" in problems


def test_a_duplicate_id_is_refused_and_the_first_owner_keeps_it():
    result = load_with("duplicate_id")
    assert result.catalog.exercise("wall-slides").name == "Wall slides"
    assert result.record("duplicate_id").problems == [
        "duplicate exercises id 'wall-slides': already registered by 'medial-knee' (at fixture_plugins/duplicate_id.py:8)"
    ]


def test_an_unknown_hook_fails_the_plugin_without_touching_others():
    result = load_with("unknown_hook", "good_extra")
    record = result.record("unknown_hook")
    assert record.status is Status.FAILED
    assert "kneetui_register_spaceships" in record.reason
    assert result.record("good_extra").status is Status.PROBLEMS  # only its ghost programme


def test_a_plugin_for_another_api_version_is_refused_with_both_versions():
    record = load_with("future_api").record("future_api")
    assert record.status is Status.FAILED
    assert record.reason == "needs plug-in API version 99; this kneetui provides version 1"


def test_a_programme_naming_an_unknown_exercise_is_dropped():
    result = load_with("good_extra")
    assert result.catalog.program("heels") is not None
    assert result.catalog.program("ghost") is None
    assert "programme 'ghost': field 'steps[0].exercise_id'" in result.record("good_extra").reason
    assert result.record("good_extra").version == "2.1.0"


def test_disabled_plugins_are_listed_but_not_loaded():
    result = load_with("good_extra", disabled=["good_extra"])
    assert result.record("good_extra").status is Status.DISABLED
    assert result.catalog.exercise("heel-raise") is None


def test_control_characters_in_plugin_text_are_neutralised():
    result = load_with("markup_text")
    exercise = result.catalog.exercise("markup-stretch")
    assert "\x1b" not in exercise.summary
    assert "\ufffd[31mescape" in exercise.summary
    assert exercise.name.startswith("[bold red]Loud[/]")


def test_single_file_plugins_load_from_the_user_plugin_folder(tmp_path):
    (tmp_path / "my_routine.py").write_text(
        "from kneetui.api import FaqEntry, hookimpl\n"
        "@hookimpl\n"
        "def kneetui_register_faq(register):\n"
        "    register(FaqEntry('mine', 'My question?', 'My answer.'))\n"
    )
    (tmp_path / "broken.py").write_text("import no_such_module_anywhere\n")
    result = load_plugins(tmp_path)
    assert result.record("my_routine").origin is Origin.USER_FOLDER
    assert result.catalog.faq[-1].id == "mine"
    assert "ModuleNotFoundError" in result.record("broken").reason


@pytest.mark.parametrize("exception", ["SystemExit(3)", "KeyboardInterrupt()"])
def test_even_exit_exceptions_from_a_plugin_are_contained(tmp_path, exception):
    (tmp_path / "rude.py").write_text(f"raise {exception}\n")
    result = load_plugins(tmp_path)
    assert result.record("rude").status is Status.FAILED
    assert len(result.catalog.exercises) == 6


# A plug-in added after start-up (the person's own programmes are one), and its programmes collected again.


class OwnProgrammes:
    """Programmes the person made: one replaces the built-in 'acute', one is new, one names no exercise."""

    def __init__(self):
        self.programs = [
            Program("acute", "My acute", "Mine.", (ProgramStep("wall-slides"),)),
            Program("mine", "Mine", "Mine too.", (ProgramStep("adductor-squeeze"),)),
            Program("lost", "Lost", "Names nothing.", (ProgramStep("no-such-exercise"),)),
        ]

    @hookimpl
    def kneetui_register_programs(self, register):
        for program in self.programs:
            register(program)

    @hookimpl
    def kneetui_register_faq(self, register):
        register(FaqEntry("my-question", "What did my physio say?", "Go gently."))


def add_own(result, plugin):
    record = PluginRecord(name="your-programmes", origin=Origin.OWN)
    result.add_plugin(record, lambda: plugin)
    return record


def test_a_plugin_added_later_is_registered_and_its_content_collected_once():
    result = load_plugins()
    own = OwnProgrammes()
    record = add_own(result, own)
    assert result.objects["your-programmes"] is own and record in result.plugins
    assert [entry.id for entry in result.catalog.faq].count("my-question") == 1
    assert [program.id for program in result.catalog.programs] == ["chronic", "acute", "mine"]
    assert result.catalog.program("acute").name == "My acute", "the person's own programme wins"
    assert record.contributions["programs"] == 2
    assert record.problems == ["programme 'lost': field 'steps[0].exercise_id': unknown exercise 'no-such-exercise'"]
    assert record.status is Status.PROBLEMS
    assert result.record("medial-knee").contributions["programs"] == 1, "its acute is the one replaced"
    assert result.record("medial-knee").problems == [], "a programme the person replaced is not the plug-in's fault"


def test_collecting_programmes_again_follows_the_persons_changes_and_counts_afresh():
    result = load_plugins()
    own = OwnProgrammes()
    record = add_own(result, own)
    own.programs = own.programs[1:2]
    result.collect_programs()
    result.collect_programs()
    assert [program.id for program in result.catalog.programs] == ["acute", "chronic", "mine"]
    assert result.catalog.program("acute").name != "My acute", "the built-in 'acute' is back"
    assert record.contributions["programs"] == 1 and record.problems == []
    assert result.record("medial-knee").contributions["programs"] == 2


def test_a_plugin_added_later_that_fails_to_load_is_recorded_and_adds_nothing():
    result = load_plugins()
    before = [program.id for program in result.catalog.programs]

    def load():
        raise RuntimeError("cannot read the programmes folder")

    record = PluginRecord(name="your-programmes", origin=Origin.OWN)
    result.add_plugin(record, load)
    assert record.status is Status.FAILED and "cannot read the programmes folder" in record.failure
    assert "your-programmes" not in result.objects
    assert [program.id for program in result.catalog.programs] == before


# Where a plug-in's code is, when it lives deeper than one folder: every message names its package.

DEEP_SOURCE = """\
from kneetui.api import hookimpl

__version__ = "3.0"

@hookimpl
def kneetui_register_faq(register):
    raise OSError("the answers file is missing")

def kneetui_register_topics(register):
    pass

class Coach:
    @hookimpl
    def kneetui_register_aids(self, register):
        raise OSError("no aids today")
"""


def deep_module():
    module = types.ModuleType("kneetui_coach.screens.hooks")
    exec(compile(DEEP_SOURCE, "/opt/plugins/kneetui_coach/screens/hooks.py", "exec"), module.__dict__)
    return module


def test_a_plugin_module_deep_in_its_package_is_placed_from_the_package_on():
    record = PluginRecord(name="coach", origin=Origin.ENTRY_POINT)
    result = load_plugins(extra=[(record, deep_module)])
    assert record.package == "kneetui_coach" and record.version == "3.0"
    assert record.problems == [
        "kneetui_register_topics is not marked @hookimpl, so kneetui never calls it: add '@hookimpl' above it "
        "(from kneetui.api import hookimpl) (at kneetui_coach/screens/hooks.py:9)",
        "kneetui_register_faq raised OSError: the answers file is missing (at kneetui_coach/screens/hooks.py:7)",
    ]
    assert result.record("coach") is record


def test_a_plugin_object_is_placed_by_its_class_module():
    record = PluginRecord(name="coach", origin=Origin.ENTRY_POINT)
    load_plugins(extra=[(record, lambda: deep_module().Coach())])
    assert record.package == "kneetui_coach" and record.version == ""
    assert record.problems == [
        "kneetui_register_aids raised OSError: no aids today (at kneetui_coach/screens/hooks.py:15)"
    ]


def test_an_import_that_fails_deep_in_the_package_is_placed_there():
    def load():
        exec(compile("raise ImportError('no numpy')", "/opt/plugins/kneetui_coach/screens/hooks.py", "exec"), {})

    record = PluginRecord(name="coach", origin=Origin.ENTRY_POINT, package="kneetui_coach")
    load_plugins(extra=[(record, load)])
    assert record.failure == "import failed: ImportError: no numpy (at kneetui_coach/screens/hooks.py:1)"


def test_a_user_folder_plugin_is_importable_while_it_loads_and_a_broken_one_is_not_left_behind(tmp_path):
    (tmp_path / "steps.py").write_text(
        "import dataclasses\n\n@dataclasses.dataclass\nclass Count:\n    n: int = 0\n", encoding="utf-8"
    )
    (tmp_path / "broken.py").write_text("raise RuntimeError('half written')\n", encoding="utf-8")
    (tmp_path / "_helpers.py").write_text("raise RuntimeError('a helper, not a plug-in')\n", encoding="utf-8")
    result = load_plugins(user_plugin_dir=tmp_path)
    steps = result.record("steps")
    assert (steps.failure, steps.location, steps.package) == (
        "",
        str(tmp_path / "steps.py"),
        "kneetui_user_plugin_steps",
    )
    assert sys.modules["kneetui_user_plugin_steps"].Count().n == 0
    assert result.record("_helpers") is None
    assert result.record("broken").status is Status.FAILED
    assert "kneetui_user_plugin_broken" not in sys.modules


def test_a_disabled_or_duplicate_plugin_does_not_stop_the_ones_after_it():
    result = load_plugins(
        disabled=["printing"],
        extra=[fixture("printing"), fixture("raising_hook"), fixture("raising_hook"), fixture("good_extra")],
    )
    assert result.record("printing").status is Status.DISABLED
    assert [record.failure for record in result.plugins if record.name.startswith("raising_hook")][1] == (
        "another plug-in is already named 'raising_hook'"
    )
    assert result.record("good_extra").status is not Status.FAILED
    assert result.objects["good_extra"] is sys.modules["fixture_plugins.good_extra"]
    assert result.catalog.exercise("heel-raise") is not None


class ProgrammesFromTheCatalog:
    """A programme hook that asks for the catalog, as the person's own programmes do."""

    seen = None

    @hookimpl
    def kneetui_register_programs(self, register, catalog):
        self.seen = catalog.exercise("wall-slides")


def test_a_programme_hook_that_asks_for_the_catalog_gets_the_exercises():
    plugin = ProgrammesFromTheCatalog()
    load_plugins(extra=[(PluginRecord(name="reader", origin=Origin.ENTRY_POINT), lambda: plugin)])
    assert plugin.seen is not None and plugin.seen.id == "wall-slides"


class PackFaq:
    @hookimpl
    def kneetui_register_faq(self, register):
        register(FaqEntry("pack-question", "Is this from a pack?", "Yes."))


def test_a_pack_added_later_has_its_content_collected_after_the_built_in_ones():
    result = load_plugins()
    record = PluginRecord(name="pack-faq", origin=Origin.PACK)
    result.add_plugin(record, PackFaq)
    assert "pack-question" in [entry.id for entry in result.catalog.faq]
    assert record.contributions["faq"] == 1


MISTAKEN_DEEP_SOURCE = """\
from kneetui.api import FaqEntry, hookimpl

class Unreadable:
    def __getattribute__(self, name):
        raise RuntimeError("no question today")

@hookimpl
def kneetui_register_faq(register):
    register(FaqEntry("", "Q?", "A."))
    register(Unreadable())
    register(FaqEntry("fine", "Q?", "A."))

@hookimpl
def kneetui_register_topics(register):
    return ["a topic"]
"""


def deep_plugin(source: str):
    """A loader of ``source`` as the module ``kneetui_coach.screens.hooks``, three folders down."""

    def load():
        module = types.ModuleType("kneetui_coach.screens.hooks")
        exec(compile(source, "/opt/plugins/kneetui_coach/screens/hooks.py", "exec"), module.__dict__)
        return module

    return load


def test_what_a_plugin_deep_in_its_package_registers_wrongly_is_placed_from_the_package_on():
    record = PluginRecord(name="coach", origin=Origin.ENTRY_POINT)
    load_plugins(extra=[(record, deep_plugin(MISTAKEN_DEEP_SOURCE))])
    assert [problem.rsplit(" (at ", 1)[1] for problem in record.problems] == [
        "kneetui_coach/screens/hooks.py:9)",
        "kneetui_coach/screens/hooks.py:10)",
        "kneetui_coach/screens/hooks.py:13)",
    ]
    assert "an item could not be checked: RuntimeError: no question today" in record.problems[1]
    assert record.problems[2].startswith("kneetui_register_topics returned")
    assert record.contributions["faq"] == 1


@pytest.mark.parametrize(
    ("hook", "said"),
    [
        ("def kneetui_register_widgets(register):", "unknown hook 'kneetui_register_widgets'"),
        ("def kneetui_register_aids(register, extra):", "kneetui_register_aids"),
    ],
    ids=["unknown hook", "wrong arguments"],
)
def test_a_hook_kneetui_cannot_call_deep_in_its_package_is_placed_from_the_package_on(hook, said):
    source = f"from kneetui.api import hookimpl\n\n@hookimpl\n{hook}\n    pass\n"
    record = PluginRecord(name="coach", origin=Origin.ENTRY_POINT)
    load_plugins(extra=[(record, deep_plugin(source))])
    assert record.status is Status.FAILED
    assert said in record.failure and record.failure.endswith("(at kneetui_coach/screens/hooks.py:3)")


def test_only_kneetuis_own_plugins_may_mark_content_as_kneetuis_reading():
    class Marking:
        @hookimpl
        def kneetui_register_faq(self, register):
            register(FaqEntry("ours", "Q?", "A.", provenance=Provenance.KNEETUI))
            register(FaqEntry("theirs", "Q?", "A.", provenance=Provenance.PLUGIN))

    record = PluginRecord(name="marking", origin=Origin.ENTRY_POINT)
    result = load_plugins(extra=[(record, Marking)])
    assert len(record.problems) == 1
    assert record.problems[0].startswith(
        "faq 'ours': only kneetui's own plug-ins may mark content as kneetui's reading; use Provenance.PLUGIN for "
        "your own (at test_plugin_loading.py:"
    )
    assert record.contributions["faq"] == 1
    assert "theirs" in {entry.id for entry in result.catalog.faq}


def test_a_programme_problem_at_start_up_is_listed_once():
    class Lost:
        @hookimpl
        def kneetui_register_programs(self, register):
            register(Program("", "Lost", "No id.", (ProgramStep("wall-slides"),)))

    record = PluginRecord(name="lost", origin=Origin.ENTRY_POINT)
    load_plugins(extra=[(record, Lost)])
    assert len(record.problems) == 1 and record.contributions["programs"] == 0


def test_a_plugin_refused_before_loading_does_not_stop_the_ones_after_it():
    refused = PluginRecord(name="refused", origin=Origin.ENTRY_POINT, failure="refused before it was imported")
    after = PluginRecord(name="after", origin=Origin.ENTRY_POINT)
    result = load_plugins(extra=[(refused, lambda: pytest.fail("a refused plug-in is never imported")), (after, Faq)])
    assert after.status is Status.OK and "after-faq" in {entry.id for entry in result.catalog.faq}


class Faq:
    @hookimpl
    def kneetui_register_faq(self, register):
        register(FaqEntry("after-faq", "Q?", "A."))


def test_a_hook_pluggy_refuses_for_another_reason_than_its_arguments_says_pluggys_reason():
    class Wrapping:
        @hookimpl(hookwrapper=True)
        def kneetui_register_faq(self, register):
            pass

    record = PluginRecord(name="wrapping", origin=Origin.ENTRY_POINT)
    load_plugins(extra=[(record, Wrapping)])
    assert record.failure == (
        "could not register: PluginValidationError: Plugin 'wrapping' for hook 'kneetui_register_faq'"
    )


def test_a_user_folder_plugins_import_error_inside_a_library_it_calls_is_placed_at_its_own_line(tmp_path):
    (tmp_path / "steps.py").write_text(
        "import tomli_w\n\nTABLE = tomli_w.dumps({'when': object()})\n", encoding="utf-8"
    )
    record = load_plugins(user_plugin_dir=tmp_path).record("steps")
    assert record.failure.startswith("import failed: TypeError")
    assert record.failure.endswith(f"(at {tmp_path.name}/steps.py:3)")


# A module with every kind of name pluggy meets: hooks marked and not, a marker that is not pluggy's
# options, wrapped functions, classes, built-ins, the marker itself and a name the module type holds.
QUIRKY_MODULE = """
from kneetui.api import hookimpl

@hookimpl
def kneetui_register_faq(register):
    pass

@hookimpl(tryfirst=True)
def kneetui_register_aids(register):
    pass

def kneetui_register_topics(register):
    pass

def looks_marked(register):
    pass

looks_marked.kneetui_impl = "yes"
wrapped = staticmethod(kneetui_register_faq)
also_wrapped = classmethod(kneetui_register_faq)
a_class = type("AClass", (), {"kneetui_impl": {}})
a_builtin = len
marker = hookimpl

@hookimpl
def __class__(register):  # in the namespace, but the module type's own __class__ is what is found
    pass
"""


def test_kneetuis_quick_reading_of_a_modules_names_agrees_with_pluggys():
    module = types.ModuleType("kneetui_quirky")
    exec(QUIRKY_MODULE, module.__dict__)
    ours, pluggys = new_manager(), pluggy.PluginManager("kneetui")
    for name in [*dir(module), "__dict__", "__class__", "__doc__", "not_there"]:
        assert ours.parse_hookimpl_opts(module, name) == pluggys.parse_hookimpl_opts(module, name), name
    assert ours.parse_hookimpl_opts(module, "kneetui_register_aids")["tryfirst"] is True

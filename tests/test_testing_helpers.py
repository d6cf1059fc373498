"""kneetui.testing: a plug-in's mistakes fail its tests, and only kneetui's own content loads beside it."""

from __future__ import annotations

import importlib

import pytest

from kneetui.testing import assert_plugin_valid, load_plugin, plugin_name, run_plugin_screen


def fixture_module(name: str):
    return importlib.import_module(f"fixture_plugins.{name}")


def test_a_hook_that_returns_instead_of_registering_fails_assert_plugin_valid():
    with pytest.raises(AssertionError, match="returned a list, which kneetui ignores: call register"):
        assert_plugin_valid(fixture_module("returns_list"))


def test_with_builtin_adds_kneetuis_own_content_and_nothing_else():
    module = fixture_module("good_extra")
    loaded = load_plugin(module)
    assert [record.name for record in loaded.plugins] == ["medial-knee", "fixture_plugins.good_extra"]
    alone = load_plugin(module, with_builtin=False)
    assert [record.name for record in alone.plugins] == ["fixture_plugins.good_extra"]
    assert [exercise.id for exercise in alone.catalog.exercises] == ["heel-raise"]


def test_the_name_defaults_to_the_entry_point_name():
    import kneetui_medial_knee

    assert plugin_name(kneetui_medial_knee) == "medial-knee"
    loaded = assert_plugin_valid(kneetui_medial_knee)
    assert [record.name for record in loaded.plugins] == ["medial-knee"]


async def test_run_plugin_screen_says_when_the_plugin_offers_no_screen():
    with pytest.raises(AssertionError, match="offers no screen for 'printed-bend'"):
        async with run_plugin_screen(fixture_module("printing"), "printed-bend"):
            pass

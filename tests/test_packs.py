"""Content packs: data-only TOML that adds content, validated, installed, and listed like plug-ins."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneetui.exchange.pack_file import PackError, parse_pack
from kneetui.plugin_host.loader import load_installed_plugins

EXAMPLE = Path(__file__).parents[1] / "docs" / "example-pack.toml"


def kneetui(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kneetui", *args], capture_output=True, text=True, env=env, timeout=60)


def test_the_documented_example_pack_parses():
    pack = parse_pack(EXAMPLE.read_text())
    assert pack.name == "example-clinic"
    assert pack.counts() == {"sources": 1, "faq": 1, "programs": 1}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('format = "kneetui-pack"', 'format = "other"'), "format: expected 'kneetui-pack'"),
        (lambda t: t.replace("version = 1\n", "version = 7\n", 1), "needs format version 7"),
        (lambda t: t.replace('name = "example-clinic"', 'name = "Bad Name"'), "pack.name"),
        (lambda t: t.replace('question = "Who', 'question = 3\n#"'), "faq[0].question: expected text, got number"),
        (
            lambda t: t.replace('frequency = "every other day"', 'frequency = "hourly"'),
            "programs[0].frequency: expected one of",
        ),
        (lambda t: t.replace("reps = 10 }", "reps = 10, speed = 3 }", 1), "programs[0].steps[1].speed: unknown key"),
        (lambda t: t + "\n[[spaceships]]\nid = 'x'\n", "spaceships: unknown section"),
        (lambda t: t.replace("[[faq]]", "[[faq]]\nshout = true"), "faq[0].shout: unknown key"),
        (lambda t: "not = [toml", "not valid TOML"),
    ],
)
def test_a_bad_pack_is_refused_with_the_field_named(change, message):
    with pytest.raises(PackError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_pack(change(EXAMPLE.read_text()))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_either_parses_or_gives_a_pack_error(text):
    try:
        parse_pack(text)
    except PackError:
        pass


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=2000), st.text(min_size=0, max_size=3))
def test_mutated_example_packs_never_raise_anything_but_pack_error(position, insert):
    text = EXAMPLE.read_text()
    try:
        parse_pack(text[:position] + insert + text[position + len(insert) :])
    except PackError:
        pass


def test_pack_install_then_the_content_shows_up_and_is_listed(subprocess_env):
    result = kneetui("pack", "install", str(EXAMPLE), env=subprocess_env)
    assert result.returncode == 0, result.stderr
    assert "Installed pack 'example-clinic'" in result.stdout
    faq = kneetui("faq", "clinic", "--json", env=subprocess_env)
    assert json.loads(faq.stdout)[0]["id"] == "example-clinic-contact"
    records = {r["name"]: r for r in json.loads(kneetui("plugins", "--json", env=subprocess_env).stdout)}
    assert records["pack:example-clinic"]["origin"] == "content pack"
    assert records["pack:example-clinic"]["status"] == "ok"
    again = kneetui("pack", "install", str(EXAMPLE), env=subprocess_env)
    assert again.returncode == 1 and "--force" in again.stderr
    assert kneetui("pack", "install", str(EXAMPLE), "--force", env=subprocess_env).returncode == 0


def test_a_pack_that_takes_a_builtin_id_is_refused(subprocess_env, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLE.read_text().replace('id = "example-clinic-contact"', 'id = "how-often"'))
    result = kneetui("pack", "install", str(bad), env=subprocess_env)
    assert result.returncode == 1
    assert "faq id 'how-often' is already used by 'medial-knee'" in result.stderr


def test_a_pack_programme_naming_an_unknown_exercise_is_refused(subprocess_env, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLE.read_text().replace('exercise = "wall-slides"', 'exercise = "moon-walk"'))
    result = kneetui("pack", "install", str(bad), env=subprocess_env)
    assert result.returncode == 1 and "unknown exercise 'moon-walk'" in result.stderr


def test_an_installed_pack_that_breaks_is_reported_and_others_keep_working(isolated_home):
    packs = isolated_home / "data" / "kneetui" / "packs"
    packs.mkdir(parents=True)
    (packs / "good.toml").write_text(EXAMPLE.read_text())
    (packs / "broken.toml").write_text("format = 'kneetui-pack'\nversion = 1\n[pack]\nname='broken'\n[[faq]]\nid=1\n")
    loaded = load_installed_plugins()
    assert loaded.record("pack:broken").reason.startswith("invalid pack: faq[0].id")
    assert loaded.record("pack:good").status == "ok"
    assert len(loaded.catalog.exercises) == 6


def test_plugins_disable_and_enable_are_kept_in_the_settings(subprocess_env):
    result = kneetui("plugins", "disable", "medial-knee", env=subprocess_env)
    assert result.returncode == 0
    assert kneetui("exercises", "--json", env=subprocess_env).stdout.strip() == "[]"
    records = {r["name"]: r for r in json.loads(kneetui("plugins", "--json", env=subprocess_env).stdout)}
    assert records["medial-knee"]["status"] == "disabled"
    kneetui("plugins", "enable", "medial-knee", env=subprocess_env)
    assert len(json.loads(kneetui("exercises", "--json", env=subprocess_env).stdout)) == 6
    unknown = kneetui("plugins", "disable", "nope", env=subprocess_env)
    assert unknown.returncode == 1 and "no plug-in is named 'nope'" in unknown.stderr

"""Content packs: data-only TOML that adds content, validated, installed, and listed like plug-ins."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneetui.exchange.installed import load_installed_plugins
from kneetui.exchange.pack_file import PackError, parse_pack, read_pack

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
        (
            lambda t: t.replace('format = "kneetui-pack"', 'format = "other"'),
            "format: expected \"kneetui-pack\", got 'other'",
        ),
        (
            lambda t: t.replace("version = 1\n", "version = 7\n", 1),
            "version: this file uses version 7 of the pack format",
        ),
        (lambda t: t.replace('name = "example-clinic"', 'name = "Bad Name"'), "pack.name"),
        (
            lambda t: t.replace('question = "Who', 'question = 3\n#"'),
            "faq[1].question: expected text, got a whole number",
        ),
        (
            lambda t: t.replace('frequency = "every other day"', 'frequency = "hourly"'),
            'programs[1].frequency: expected "daily" or "every other day", got \'hourly\'',
        ),
        (
            lambda t: t.replace("reps = 10 }", "reps = 10, speed = 3 }", 1),
            "programs[1].steps[2].speed: unknown key; expected one of: exercise, ",
        ),
        (lambda t: t + "\n[[spaceships]]\nid = 'x'\n", "spaceships: unknown key at the top of the file"),
        (lambda t: t.replace("[[faq]]", "[[faq]]\nshout = true"), "faq[1].shout: unknown key"),
        (lambda t: "not = [toml", "not valid TOML"),
    ],
)
def test_a_bad_pack_is_refused_with_the_field_named(change, message):
    with pytest.raises(PackError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_pack(change(EXAMPLE.read_text()))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_either_parses_or_gives_a_pack_error(text):
    with contextlib.suppress(PackError):
        parse_pack(text)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=2000), st.text(min_size=0, max_size=3))
def test_mutated_example_packs_never_raise_anything_but_pack_error(position, insert):
    text = EXAMPLE.read_text()
    with contextlib.suppress(PackError):
        parse_pack(text[:position] + insert + text[position + len(insert) :])


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
    assert loaded.record("pack:broken").reason.startswith("invalid pack: faq[1].id")
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


EXERCISE = """
[[exercises]]
id = "clinic-step-ups"
name = "Step-ups"
summary = "Step up onto a low step."
steps = ["Step up.", "Step down."]
category = "strength"
benefits = "Strengthens the thigh."
dosage = { reps = [8, 12] }
"""


def refusal(text: str, catalog=None) -> str:
    with pytest.raises(PackError) as caught:
        parse_pack(text, catalog=catalog)
    return str(caught.value)


def test_the_documented_limits_are_the_limits_enforced():
    head = EXAMPLE.read_text().split("[[faq]]")[0]
    faq = "[[faq]]\nid = 'q{n}'\nquestion = 'Why?'\nanswer = 'Because.'\n"
    assert len(parse_pack(head + "".join(faq.format(n=n) for n in range(500))).items["faq"]) == 500
    assert (
        refusal(head + "".join(faq.format(n=n) for n in range(501))) == "faq: has 501 entries; at most 500 are allowed"
    )
    assert refusal(head + EXERCISE.replace("reps = [8, 12]", "hold_seconds = [10, 999999999999]")) == (
        "exercises[1].dosage.hold_seconds[2]: 999999999999 is not allowed; use at most 600"
    )
    assert refusal(head + EXERCISE.replace("reps = [8, 12]", "reps = [12, 8]")).startswith(
        "exercises[1].dosage.reps: range 12–8 is not 0 < low <= high"
    )
    assert refusal(head + EXERCISE.replace("Step-ups", "x" * 20_001)) == (
        "exercises[1].name: is 20001 characters long; at most 20000 are allowed"
    )


def test_drawing_frames_of_different_sizes_are_refused():
    head = EXAMPLE.read_text().split("[[faq]]")[0]
    drawing = '\n[exercises.drawing]\nframes = ["o\\n|", "o\\n|\\n^"]\n'
    assert refusal(head + EXERCISE + drawing) == (
        "exercises[1].drawing.frames: every frame must have the same number of lines"
    )
    assert parse_pack(head + EXERCISE + drawing.replace('"o\\n|\\n^"', '"o\\n/"')).items["exercises"][0].drawing


def test_an_unknown_source_id_is_refused_when_installing():
    catalog = load_installed_plugins().catalog
    text = EXAMPLE.read_text()
    assert parse_pack(text, catalog=catalog).name == "example-clinic"
    bad = text.replace('source_ids = ["example-clinic-handout"]', 'source_ids = ["nobody-wrote-this"]')
    assert refusal(bad, catalog) == "faq[1].source_ids[1]: unknown source 'nobody-wrote-this'"


def test_a_pack_programme_step_leaving_out_a_quantity_starts_at_the_low_end():
    catalog = load_installed_plugins().catalog
    text = EXAMPLE.read_text().replace('{ exercise = "wall-slides", reps = 10 }', '{ exercise = "adductor-squeeze" }')
    text = text.replace('{ exercise = "dynamic-mobility", reps = 10 }', '{ exercise = "adductor-squeeze", sets = 3 }')
    steps = parse_pack(text, catalog=catalog).items["programs"][0].steps
    assert steps[1].dose is None
    assert (steps[2].dose.reps, steps[2].dose.sets) == (10, 3)


def test_a_byte_order_mark_is_accepted_like_in_a_programme_file(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    assert read_pack(path).name == "example-clinic"


def test_deeply_nested_arrays_give_one_line(subprocess_env, tmp_path):
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 50_000)
    result = kneetui("pack", "install", str(deep), env=subprocess_env)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr[:500]
    assert "not valid TOML" in result.stderr

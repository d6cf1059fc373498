"""The JSON Schema files in docs/ are generated from the schema kneetui reads files with, and stay so."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from kneetui.exchange.schema import SCHEMA_FILES, json_schema

DOCS = Path(__file__).parents[1] / "docs"


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_each_published_json_schema_is_current(name):
    published = (DOCS / name).read_text(encoding="utf-8")
    assert published == json_schema(SCHEMA_FILES[name]), (
        f"docs/{name} is out of date: run  .venv/bin/python -m kneetui.exchange.schema docs"
    )


@pytest.mark.parametrize(("example", "schema"), [("example-program.toml", "program"), ("example-pack.toml", "pack")])
def test_each_example_names_its_schema_for_editors(example, schema):
    text = (DOCS / example).read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"#:schema ./{schema}.schema.json"
    assert json.loads((DOCS / f"{schema}.schema.json").read_text(encoding="utf-8"))["title"]
    assert tomllib.loads(text)["format"] == f"kneetui-{schema}"


DOSE_KEYS = ("hold_seconds", "reps", "duration_minutes", "sets", "rest_seconds")


def _dose_limits(node, owner=None):
    """(property, description) for each maximum in a JSON Schema that limits a dose quantity."""
    if isinstance(node, list):
        for child in node:
            yield from _dose_limits(child, owner)
    elif isinstance(node, dict):
        if owner in DOSE_KEYS and "maximum" in node:
            yield owner, node.get("description", "")
        for name, child in node.items():
            if name == "properties":
                for key, schema in child.items():
                    yield from _dose_limits(schema, key)
            else:
                yield from _dose_limits(child, owner)


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_every_dose_limit_an_editor_shows_says_it_is_kneetuis_bound_not_medical_advice(name):
    limits = list(_dose_limits(json.loads((DOCS / name).read_text(encoding="utf-8"))))
    assert limits, f"docs/{name} has no dose limits to mark"
    for key, description in limits:
        assert "kneetui's own bound for catching typos, not medical advice" in description, key

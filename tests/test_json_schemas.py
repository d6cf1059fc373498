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

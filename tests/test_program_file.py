"""Programme files: every input either becomes a valid programme or one clear error naming the field."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kneetui.content.model import Dose, Frequency, Program, ProgramStep, Provenance
from kneetui.content.validation import ID_PATTERN, validate
from kneetui.exchange.program_file import (
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    ProgramFileError,
    export_program,
    parse_program,
    read_program_file,
)
from kneetui.plugin_host.loader import load_plugins, program_problem

CATALOG = load_plugins().catalog
EXERCISE_IDS = [exercise.id for exercise in CATALOG.exercises]
DOCS = Path(__file__).parents[1] / "docs"

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VALID = """\
format = "kneetui-program"
version = 1

[program]
id = "my-knee-plan"
name = "My knee plan"
description = "Squeeze and stretch."
frequency = "every other day"
advice = ["Stop if the pain gets worse."]

[[program.steps]]
exercise = "adductor-squeeze"
reps = 10
sets = 2

[[program.steps]]
exercise = "sitting-adductor-stretch"
hold_seconds = 20
"""


def error_for(text: str) -> str:
    with pytest.raises(ProgramFileError) as caught:
        parse_program(text, CATALOG)
    return str(caught.value)


def test_a_hand_written_file_becomes_a_programme():
    program = parse_program(VALID, CATALOG)
    assert program == Program(
        id="my-knee-plan",
        name="My knee plan",
        description="Squeeze and stretch.",
        steps=(
            ProgramStep("adductor-squeeze", Dose(reps=10, sets=2)),
            ProgramStep("sitting-adductor-stretch", Dose(hold_seconds=20, sets=1)),
        ),
        frequency=Frequency.EVERY_OTHER_DAY,
        advice=("Stop if the pain gets worse.",),
        provenance=Provenance.YOURS,
    )


def test_left_out_quantities_start_at_the_low_end_and_no_dose_means_none():
    text = VALID.replace("reps = 10\n", "").replace("hold_seconds = 20\n", "")
    steps = parse_program(text, CATALOG).steps
    assert steps[0].dose == Dose(reps=10, sets=2)
    assert steps[1].dose is None


def test_the_example_in_the_docs_parses_and_round_trips():
    text = (DOCS / "example-program.toml").read_text(encoding="utf-8")
    program = parse_program(text, CATALOG)
    assert parse_program(export_program(program), CATALOG) == program


def test_the_format_document_explains_every_key_and_built_in_range():
    import msgspec

    from kneetui.exchange.schema import ProgramBody, ProgramFile, Step

    document = (DOCS / "program-format.md").read_text(encoding="utf-8")
    keys = [
        field.encode_name for struct in (ProgramFile, ProgramBody, Step) for field in msgspec.structs.fields(struct)
    ]
    for key in keys:
        assert f"| `{key}` |" in document, f"docs/program-format.md does not explain {key!r}"
    for exercise in CATALOG.exercises:
        row = next(line for line in document.splitlines() if line.startswith(f"| `{exercise.id}` |"))
        for name in ("hold_seconds", "reps", "duration_minutes"):
            span = getattr(exercise.dosage, name)
            if span is not None:
                assert f"`{name}` {span}" in row


@pytest.mark.parametrize("program", CATALOG.programs, ids=lambda program: program.id)
def test_every_built_in_programme_round_trips(program):
    assert parse_program(export_program(program), CATALOG) == program


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("reps = 10", "reps = 20"), "steps[1].reps: 20 is outside the range 10–12 of 'adductor-squeeze'"),
        (("sets = 2", "sets = 5"), "steps[1].sets: 5 is outside the range 2–3 of 'adductor-squeeze'"),
        (("reps = 10", "reps = 10.5"), "steps[1].reps: expected a whole number, got a decimal number"),
        (("reps = 10", 'reps = "10"'), "steps[1].reps: expected a whole number, got text"),
        (
            ("hold_seconds = 20", "reps = 10"),
            "steps[2].reps: 'sitting-adductor-stretch' does not use reps; it is dosed by hold_seconds",
        ),
        (
            ('exercise = "adductor-squeeze"', 'exercise = "squats"'),
            "steps[1].exercise: unknown exercise 'squats'; known exercises: ",
        ),
        (('exercise = "adductor-squeeze"\n', ""), "steps[1].exercise: missing"),
        (("reps = 10", "repetitions = 10"), "steps[1].repetitions: unknown key in a step"),
        (
            ('format = "kneetui-program"', 'format = "something-else"'),
            "format: expected \"kneetui-program\", got 'something-else'",
        ),
        (('format = "kneetui-program"\n', ""), "format: missing"),
        (
            ("version = 1", "version = 3"),
            "version: this file uses version 3 of the programme format, but this kneetui reads version 2 at most; update kneetui",
        ),
        (("version = 1", "version = 0"), "version: 0 is not a format version"),
        (("version = 1", 'version = "1"'), "version: expected a whole number, got text"),
        (('id = "my-knee-plan"', 'id = "My knee plan"'), "id: 'My knee plan' is not a valid id"),
        (('id = "my-knee-plan"', 'id = "../../evil"'), "id: '../../evil' is not a valid id"),
        (('name = "My knee plan"', 'name = "  "'), "name: must not be empty"),
        (
            ('name = "My knee plan"', 'name = "Red \\u001b[31m"'),
            "name: contains the control character U+001B at position 5",
        ),
        (('name = "My knee plan"', 'name = "two\\nlines"'), "name: contains a line break at position 4"),
        (
            ('frequency = "every other day"', 'frequency = "weekly"'),
            'frequency: expected "daily" or "every other day", got \'weekly\'',
        ),
        (('advice = ["Stop if the pain gets worse."]', "advice = [3]"), "advice[1]: expected text, got a whole number"),
        (('advice = ["Stop if the pain gets worse."]', 'advice = "Stop."'), "advice: expected an array, got text"),
        (("[program]", "colour = 'red'\n[program]"), "colour: unknown key at the top of the file"),
        (('description = "Squeeze and stretch."', 'notes = "x"'), "notes: unknown key in [program]"),
        (('advice = ["Stop if the pain gets worse."]', 'sources = ["nobody"]'), "sources[1]: unknown source 'nobody'"),
        (("[program]", "[programme]"), "programme: unknown key at the top of the file"),
        (("version = 1\n", "version = 1\nprogram = 3\n"), "not valid TOML"),
    ],
)
def test_a_broken_file_names_the_field(change, message):
    old, new = change
    assert old in VALID
    assert error_for(VALID.replace(old, new, 1)).startswith(message)


def test_a_file_without_a_program_table_says_so():
    assert error_for(VALID.split("[program]")[0]) == "program: missing: add a [program] table"


def test_steps_are_checked_for_count_and_presence():
    head = VALID.split("[[program.steps]]")[0]
    assert error_for(head) == "steps: missing: add at least one [[program.steps]] table"
    assert error_for(head.replace("[program]", "[program]\nsteps = []")) == "steps: give at least one exercise"
    many = head + '[[program.steps]]\nexercise = "wall-slides"\n' * 51
    assert error_for(many) == "steps: has 51 entries; at most 50 are allowed"
    assert len(parse_program(head + '[[program.steps]]\nexercise = "wall-slides"\n' * 50, CATALOG).steps) == 50


def test_sizes_are_limited():
    assert "larger than 256 KiB" in error_for(VALID + "#" * MAX_FILE_BYTES)
    long_name = VALID.replace('name = "My knee plan"', f'name = "{"n" * 101}"')
    assert error_for(long_name) == "name: is 101 characters long; at most 100 are allowed"
    deep = "x = " + "[" * 50_000
    assert error_for(deep).startswith("not valid TOML")


def test_messages_escape_what_they_quote():
    message = error_for(VALID.replace('exercise = "adductor-squeeze"', 'exercise = "\\u001b]0;pwned\\u0007"'))
    assert "\x1b" not in message and "\x07" not in message


def test_reading_a_file_checks_size_encoding_and_the_byte_order_mark(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode())
    assert read_program_file(path, CATALOG).id == "my-knee-plan"
    path.write_bytes(VALID.encode().replace(b"My knee", b"My \xff knee"))
    with pytest.raises(ProgramFileError, match="not UTF-8 text"):
        read_program_file(path, CATALOG)
    path.write_bytes(b" " * (MAX_FILE_BYTES + 1))
    with pytest.raises(ProgramFileError, match="larger than 256 KiB"):
        read_program_file(path, CATALOG)
    with pytest.raises(ProgramFileError, match="cannot read"):
        read_program_file(tmp_path / "missing.toml", CATALOG)
    with pytest.raises(ProgramFileError, match="cannot read"):
        read_program_file(tmp_path, CATALOG)


# -- properties ----------------------------------------------------------------


def assert_valid_or_refused(text: str) -> None:
    """The one promise: a valid programme out, or a ProgramFileError with a message."""
    try:
        program = parse_program(text, CATALOG)
    except ProgramFileError as error:
        refusal = str(error)
    else:
        refusal = ""
    if refusal:
        assert refusal.strip(), "a refusal says why"
        return
    assert isinstance(program, Program)
    assert program_problem(program, CATALOG) == ""
    assert validate(program, Program, "test") == program
    assert ID_PATTERN.fullmatch(program.id)


@FAST
@given(st.text(max_size=2000))
def test_any_text_is_a_programme_or_an_error(text):
    assert_valid_or_refused(text)


@FAST
@given(st.text(alphabet="[]{}=\"#\n .,0123456789abcdefgnoprstuvxy-_\\'", max_size=400))
def test_toml_looking_text_is_a_programme_or_an_error(text):
    assert_valid_or_refused(text)


scalars = (
    st.booleans()
    | st.integers()
    | st.integers(-2, 40)
    | st.floats()
    | st.text(max_size=30)
    | st.datetimes()
    | st.dates()
    | st.times()
    | st.sampled_from(EXERCISE_IDS)
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def mostly(valid, other=values):
    """Usually a valid value, sometimes anything, so both outcomes are explored."""
    return st.one_of(valid, valid, valid, other)


texts = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60).filter(str.strip)
steps = st.fixed_dictionaries(
    {"exercise": mostly(st.sampled_from(EXERCISE_IDS))},
    optional={
        "hold_seconds": mostly(st.integers(10, 35)),
        "reps": mostly(st.integers(8, 16)),
        "duration_minutes": mostly(st.integers(8, 16)),
        "sets": mostly(st.integers(0, 4)),
        "extra": values,
    },
)
programs = st.fixed_dictionaries(
    {
        "id": mostly(st.from_regex(ID_PATTERN, fullmatch=True)),
        "name": mostly(texts),
        "steps": mostly(st.lists(steps, min_size=1, max_size=5)),
    },
    optional={
        "description": mostly(st.text(max_size=50)),
        "frequency": mostly(st.sampled_from([frequency.value for frequency in Frequency])),
        "advice": mostly(st.lists(texts, max_size=3)),
        "sources": st.lists(mostly(st.sampled_from([source.id for source in CATALOG.sources])), max_size=3),
        "extra": values,
    },
)
documents = st.fixed_dictionaries(
    {},
    optional={
        "format": st.just("kneetui-program") | values,
        "version": st.just(FORMAT_VERSION) | st.integers() | values,
        "program": programs | values,
        "more": values,
    },
)


def dumped(document: dict) -> str:
    try:
        return tomli_w.dumps(document)
    except (TypeError, ValueError):
        assume(False)
        raise


@FAST
@given(documents)
def test_any_toml_document_is_a_programme_or_an_error(document):
    assert_valid_or_refused(dumped(document))


@FAST
@given(st.fixed_dictionaries({"format": st.just("kneetui-program"), "version": st.just(1), "program": programs}))
def test_toml_documents_with_the_right_header_are_a_programme_or_an_error(document):
    assert_valid_or_refused(dumped(document))


def paths_in(value: object, path: tuple = ()) -> list[tuple]:
    """Every key or index path inside a parsed TOML document."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths_in(item, (*path, index))
    return found


@FAST
@given(st.data())
def test_a_valid_file_with_one_value_changed_or_removed_is_a_programme_or_an_error(data):
    document = copy.deepcopy(tomllib.loads(VALID))
    path = data.draw(st.sampled_from(paths_in(document)))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    action = data.draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "replace":
        parent[path[-1]] = data.draw(values)
    elif action == "remove":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[data.draw(st.text(max_size=10))] = data.draw(values)
    else:
        parent.insert(path[-1], data.draw(values))
    assert_valid_or_refused(dumped(document))


@FAST
@given(st.data())
def test_a_valid_file_with_its_text_cut_or_spliced_is_a_programme_or_an_error(data):
    start = data.draw(st.integers(0, len(VALID)))
    end = data.draw(st.integers(start, len(VALID)))
    inserted = data.draw(st.text(max_size=20))
    assert_valid_or_refused(VALID[:start] + inserted + VALID[end:])


@st.composite
def program_steps(draw) -> ProgramStep:
    exercise = draw(st.sampled_from(CATALOG.exercises))
    if draw(st.booleans()):
        return ProgramStep(exercise.id)

    def within(span):
        return st.none() if span is None else st.integers(span.low, span.high)

    dosage = exercise.dosage
    dose = Dose(
        hold_seconds=draw(within(dosage.hold_seconds)),
        reps=draw(within(dosage.reps)),
        sets=draw(within(dosage.sets)),
        duration_minutes=draw(within(dosage.duration_minutes)),
    )
    return ProgramStep(exercise.id, dose)


any_programs = st.builds(
    Program,
    id=st.from_regex(ID_PATTERN, fullmatch=True),
    name=texts,
    description=st.text(st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from("\n\t"), max_size=200),
    steps=st.lists(program_steps(), min_size=1, max_size=50).map(tuple),
    frequency=st.sampled_from(Frequency),
    advice=st.lists(texts, max_size=20).map(tuple),
    source_ids=st.lists(st.sampled_from([source.id for source in CATALOG.sources]), max_size=5).map(tuple),
)


@FAST
@given(any_programs)
def test_export_then_parse_gives_the_same_programme(program):
    assert parse_program(export_program(program), CATALOG) == program


def test_the_example_in_the_docs_does_not_take_the_id_the_builder_suggests():
    from kneetui.tui.screens.program_builder import NAME_EXAMPLE, id_from_name

    example = parse_program((DOCS / "example-program.toml").read_text(encoding="utf-8"), CATALOG)
    assert example.id != id_from_name(NAME_EXAMPLE)
    assert example.name != NAME_EXAMPLE

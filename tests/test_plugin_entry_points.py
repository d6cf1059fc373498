"""Plug-ins found through the ``kneetui`` entry-point group: what kneetui records of each
distribution, and the two ways a distribution could take what is kneetui's own."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneetui.plugin_host import discovery
from kneetui.plugin_host.loader import load_plugins
from kneetui.plugin_host.records import Origin, Status
from kneetui.plugin_host.reserved import own_entry_point_names, shadowed_modules


def distribution(folder, name, version, entry_points, files=()):
    """An installed distribution as pip leaves it: a dist-info folder with its metadata and files."""
    info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
    lines = "".join(f"{entry} = {value}\n" for entry, value in entry_points.items())
    (info / "entry_points.txt").write_text(f"[kneetui]\n{lines}", encoding="utf-8")
    (info / "RECORD").write_text("".join(f"{file},,\n" for file in files), encoding="utf-8")
    return importlib.metadata.PathDistribution(info)


def entry_points_of(dist, reader):
    """``dist``'s entry points as ``importlib.metadata`` reads them, or as kneetui's discovery does."""
    if reader == "importlib.metadata":
        return list(dist.entry_points)
    name = dist.metadata["Name"]
    return [
        point
        for point in discovery.read_entry_points("kneetui", [str(dist.locate_file(""))]) or []
        if point.dist.name == name
    ]


@pytest.fixture(params=["importlib.metadata", "discovery"])
def found(request):
    """What loading finds through these distributions' entry points (and ``plain`` ones) alone, read either way."""

    def load(*distributions, plain=()):
        entries = [entry for dist in distributions for entry in entry_points_of(dist, request.param)]
        return load_plugins(entry_points=entries + list(plain))

    return load


def test_a_third_partys_plugin_is_recorded_with_its_distribution_version_and_package(tmp_path, found):
    coach = distribution(tmp_path, "kneetui-coach", "1.2", {"coach": "kneetui_coach.hooks:plugin"})
    record = found(coach).record("coach")
    assert record.origin is Origin.ENTRY_POINT
    assert (record.version, record.location, record.package) == (
        "1.2",
        "kneetui-coach: kneetui_coach.hooks:plugin",
        "kneetui_coach",
    )
    assert record.status is Status.FAILED and "No module named 'kneetui_coach'" in record.failure


def test_an_entry_point_without_a_distribution_says_so(found):
    plain = importlib.metadata.EntryPoint("loose", "loose_module:plugin", "kneetui")
    record = found(plain=[plain]).record("loose")
    assert (record.origin, record.version, record.location, record.package) == (
        Origin.ENTRY_POINT,
        "",
        "?: loose_module:plugin",
        "loose_module",
    )
    copy = importlib.metadata.EntryPoint("medial-knee", "copy:plugin", "kneetui")
    assert (
        found(plain=[copy])
        .record("medial-knee")
        .failure.endswith("rename the entry point in [project.entry-points.kneetui] of its pyproject.toml")
    )


def test_a_distribution_that_installs_kneetuis_own_module_is_refused_before_it_is_imported(tmp_path, found):
    evil = distribution(
        tmp_path,
        "knee-extras",
        "0.1",
        {"extras": "knee_extras:plugin"},
        files=["knee_extras/__init__.py", "kneetui_medial_knee/__init__.py", "knee_extras-0.1.dist-info/RECORD"],
    )
    result = found(evil)
    assert result.record("extras").failure == (
        "installs 'kneetui_medial_knee', a module of kneetui itself, and so replaces kneetui's own code or "
        "content: rename the package and run 'pip uninstall knee-extras'"
    )
    assert result.record("extras").status is Status.FAILED


def test_a_distribution_that_reuses_the_name_of_kneetuis_own_content_is_refused(tmp_path, found):
    copycat = distribution(tmp_path, "knee-copy", "0.1", {"medial-knee": "knee_copy:plugin"})
    (record,) = [record for record in found(copycat).plugins if record.location.startswith("knee-copy")]
    assert record.failure == (
        "uses the name 'medial-knee' of kneetui's own content: rename the entry point "
        "in [project.entry-points.kneetui] of knee-copy"
    )


def test_kneetuis_own_content_comes_first_whatever_the_names(tmp_path, found):
    early = distribution(tmp_path, "aaa-first", "1.0", {"aaa": "aaa_first:plugin"})
    own = [entry for entry in importlib.metadata.distribution("kneetui").entry_points if entry.group == "kneetui"]
    records = found(early, plain=own).plugins
    assert records[0].name == "medial-knee" and records[0].origin is Origin.BUILT_IN
    assert records[0].status is Status.OK
    assert [record.name for record in records[1:]] == ["aaa"]


def test_kneetuis_own_content_installed_over_by_another_distribution_is_refused_with_its_name(tmp_path, found):
    import kneetui_medial_knee

    # The other distribution's copy of the module is the very file Python imported.
    site = tmp_path / "site"
    site.mkdir()
    (site / "kneetui_medial_knee").symlink_to(Path(kneetui_medial_knee.__file__).parent)
    copy = distribution(
        site,
        "knee-copy",
        "0.1",
        {"copy": "knee_copy:plugin"},
        files=["knee_copy-0.1.dist-info/METADATA", "kneetui_medial_knee/__init__.py", "kneetui_themes.py"],
    )
    own = [entry for entry in importlib.metadata.distribution("kneetui").entry_points if entry.group == "kneetui"]
    result = found(copy, plain=own)
    assert result.record("copy").failure.startswith("installs 'kneetui_medial_knee', 'kneetui_themes', a module")
    assert result.record("medial-knee").failure == (
        "kneetui's own module 'kneetui_medial_knee' was replaced by the one 'knee-copy' installs: "
        "run 'pip uninstall knee-copy'"
    )
    assert result.catalog.exercises == []


def test_kneetuis_own_distribution_shadows_nothing_whatever_the_case_of_its_name(tmp_path):
    own_copy = distribution(tmp_path, "KneeTUI", "9.9", {}, files=["kneetui/__init__.py", "kneetui_themes.py"])
    assert shadowed_modules(own_copy) == []


def test_kneetuis_own_entry_point_names_are_its_content_not_its_commands():
    # The installed kneetui also has the console script 'kneetui'; that name is no plug-in's.
    assert own_entry_point_names() == frozenset({"medial-knee"})


def test_kneetuis_own_content_loads_when_another_distributions_copy_is_not_the_one_imported(tmp_path, found):
    copy = distribution(
        tmp_path / "site",
        "knee-copy",
        "0.1",
        {"copy": "knee_copy:plugin"},
        files=["kneetui_medial_knee/__init__.py"],
    )
    own = [entry for entry in importlib.metadata.distribution("kneetui").entry_points if entry.group == "kneetui"]
    result = found(copy, plain=own)
    assert result.record("copy").status is Status.FAILED
    assert result.record("medial-knee").status is Status.OK
    assert result.catalog.exercises != []


#: Pieces of a RECORD's paths: kneetui's module names, names like them, and what can end a path's part.
_RECORD_PIECES = st.sampled_from(
    [
        "kneetui",
        "kneetui_medial_knee",
        "kneetui_themes",
        "kneetui_coach",
        ".py",
        ".pyc",
        "/",
        "./",
        "..",
        ",",
        '"',
        "\r",
        "\n",
        "\x0c",
        "\x1e",
        "\x85",
        "\u2028",
        "x",
    ],
)
_RECORD_PATHS = st.lists(_RECORD_PIECES, min_size=1, max_size=6).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paths=st.lists(_RECORD_PATHS, max_size=5), quoted=st.booleans())
def test_the_quick_look_at_a_record_misses_no_module_the_full_reading_finds(tmp_path_factory, paths, quoted):
    info = tmp_path_factory.mktemp("site") / "knee_extras-0.1.dist-info"
    info.mkdir()
    lines = [f'"{path.replace(chr(34), chr(34) * 2)}",,' if quoted else f"{path},," for path in paths]
    (info / "RECORD").write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    found = discovery.FoundDistribution("knee-extras", "0.1", str(info))
    # The same distribution read as any other: every path its RECORD lists, then their first parts.
    whole_reading = SimpleNamespace(metadata=found.metadata, files=found.files)
    assert shadowed_modules(found) == shadowed_modules(whole_reading)

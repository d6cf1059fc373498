"""Plug-in discovery reads ``entry_points.txt`` files itself: it must find what ``importlib.metadata`` finds."""

from __future__ import annotations

import importlib.metadata
import sys
import types
from pathlib import Path, PurePosixPath

import pytest

from kneetui.plugin_host import discovery
from kneetui.plugin_host.discovery import FoundDistribution, FoundEntryPoint, read_entry_points

ENTRY_POINTS = """\
# a comment = not an entry point
; another = neither
stray = before.any:section

[console_scripts]
coach-cli = kneetui_coach.cli:main

[kneetui]
coach = kneetui_coach
coach-screens = kneetui_coach.screens:plugin.hooks
  spaced   =   kneetui_spaced : plugin
# inside = a comment

[kneetui.other]
not-ours = kneetui_other
"""


def install(site: Path, folder: str, entry_points: str, metadata: dict[str, str] | None = None) -> Path:
    """A ``*.dist-info`` or ``*.egg-info`` folder in ``site``, as an installer leaves it."""
    info = site / folder
    info.mkdir(parents=True)
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    if metadata is not None:
        headers = "".join(f"{key}: {value}\n" for key, value in metadata.items())
        name = "METADATA" if folder.endswith(".dist-info") else "PKG-INFO"
        (info / name).write_text(f"Metadata-Version: 2.1\n{headers}\nA long description: Name: not-this\n")
    return info


def found_by_importlib(group: str, site: Path) -> list[tuple[str, str, str, str]]:
    points = []
    seen = set()
    for dist in importlib.metadata.distributions(path=[str(site)]):
        name = dist.metadata["Name"]
        normalised = name.lower().replace("_", "-").replace(".", "-")
        if normalised in seen:
            continue
        seen.add(normalised)
        points += [(point.name, point.value, name, dist.version) for point in dist.entry_points if point.group == group]
    return sorted(points)


def test_entry_points_are_read_as_importlib_metadata_reads_them(tmp_path):
    site = tmp_path / "site"
    install(site, "kneetui_coach-1.2.dist-info", ENTRY_POINTS, {"Name": "kneetui-coach", "Version": "1.2.post1"})
    found = read_entry_points("kneetui", [str(site)])
    assert found is not None
    ours = sorted((point.name, point.value, point.dist.name, point.dist.version) for point in found)
    assert ours == found_by_importlib("kneetui", site)
    assert ours == [
        ("coach", "kneetui_coach", "kneetui-coach", "1.2.post1"),
        ("coach-screens", "kneetui_coach.screens:plugin.hooks", "kneetui-coach", "1.2.post1"),
        ("spaced", "kneetui_spaced : plugin", "kneetui-coach", "1.2.post1"),
    ]
    assert {point.group for point in found} == {"kneetui"}
    assert {point.dist.info for point in found} == {site / "kneetui_coach-1.2.dist-info"}


def test_lines_that_are_not_entries_are_passed_over(tmp_path):
    """As the configparser that writes these files reads them: ';' starts a comment too."""
    site = tmp_path / "site"
    install(
        site, "kneetui_coach-1.0.dist-info", "[kneetui]\n; old = kneetui_old\na line with no equals sign\ncoach = x\n"
    )
    assert [(point.name, point.value) for point in read_entry_points("kneetui", [str(site)]) or []] == [("coach", "x")]


def test_a_source_checkouts_egg_info_gives_its_name_and_version_from_pkg_info(tmp_path):
    site = tmp_path / "site"
    install(
        site,
        "kneetui_coach.egg-info",
        "[kneetui]\ncoach = kneetui_coach\n",
        {"Name": "kneetui-coach", "Version": "0.3"},
    )
    (point,) = read_entry_points("kneetui", [str(site)]) or []
    assert (point.dist.name, point.dist.version) == ("kneetui-coach", "0.3")


@pytest.mark.parametrize(
    ("folder", "metadata", "expected"),
    [
        ("kneetui_coach-1.2.dist-info", {}, ("kneetui_coach", "1.2")),
        ("kneetui_coach-1.2.dist-info", None, ("kneetui_coach", "1.2")),
        ("kneetui_coach.egg-info", {"Name": "kneetui-coach"}, ("kneetui-coach", "")),
        ("kneetui_coach-0.9-py3.11.egg-info", {}, ("kneetui_coach", "0.9")),
    ],
)
def test_without_name_or_version_headers_the_folders_name_is_used(tmp_path, folder, metadata, expected):
    site = tmp_path / "site"
    install(site, folder, "[kneetui]\ncoach = kneetui_coach\n", metadata)
    (point,) = read_entry_points("kneetui", [str(site)]) or []
    assert (point.dist.name, point.dist.version) == expected


def test_the_first_distribution_of_a_name_on_the_path_wins_however_the_name_is_spelt(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    install(first, "kneetui_coach-2.0.dist-info", "[kneetui]\ncoach = kneetui_coach\n")
    install(second, "Kneetui.Coach-1.0.dist-info", "[kneetui]\ncoach = old_coach\n")
    install(second, "other-1.0.dist-info", "[kneetui]\nother = kneetui_other\n")
    found = read_entry_points("kneetui", [str(first), str(second)]) or []
    assert sorted((point.name, point.value, point.dist.version) for point in found) == [
        ("coach", "kneetui_coach", "2.0"),
        ("other", "kneetui_other", "1.0"),
    ]


def test_an_empty_path_entry_is_the_current_folder(tmp_path, monkeypatch):
    install(tmp_path, "kneetui_coach-1.0.dist-info", "[kneetui]\ncoach = kneetui_coach\n")
    monkeypatch.chdir(tmp_path)
    assert [point.name for point in read_entry_points("kneetui", [""]) or []] == ["coach"]


def test_a_zip_on_the_path_hands_over_to_importlib_metadata(tmp_path):
    archive = tmp_path / "plugins.zip"
    archive.write_bytes(b"PK\x05\x06" + bytes(18))
    assert read_entry_points("kneetui", [str(archive)]) is None
    assert read_entry_points("kneetui", [str(tmp_path / "missing")]) == []


def test_kneetuis_own_entry_points_come_from_the_files_not_importlib_metadata():
    found = list(discovery.entry_points("kneetui"))
    assert found and all(isinstance(point, FoundEntryPoint) for point in found)
    assert "medial-knee" in {point.name for point in found}


def test_a_record_with_a_quoted_path_is_read_as_csv(tmp_path):
    info = install(tmp_path, "kneetui_coach-1.0.dist-info", "[kneetui]\ncoach = kneetui_coach\n")
    (info / "RECORD").write_text(
        'kneetui_coach/__init__.py,sha256=abc,10\n"kneetui_coach/a,b.py",sha256=def,20\n'
        "kneetui_coach-1.0.dist-info/RECORD,,\n"
    )
    dist = FoundDistribution("kneetui-coach", "1.0", info)
    assert dist.files == [
        PurePosixPath("kneetui_coach/__init__.py"),
        PurePosixPath("kneetui_coach/a,b.py"),
        PurePosixPath("kneetui_coach-1.0.dist-info/RECORD"),
    ]
    assert dist.locate_file("kneetui_coach/__init__.py") == tmp_path / "kneetui_coach/__init__.py"
    assert FoundDistribution("kneetui-coach", "1.0").files is None
    assert FoundDistribution("kneetui-coach", "1.0").locate_file("x.py") == Path("x.py")


def test_an_entry_point_loads_the_attribute_it_names(monkeypatch):
    module = types.ModuleType("kneetui_coach_loaded")
    module.plugin = types.SimpleNamespace(hooks=types.SimpleNamespace(name="the hooks"))
    monkeypatch.setitem(sys.modules, "kneetui_coach_loaded", module)
    dist = FoundDistribution("kneetui-coach", "1.0")
    assert FoundEntryPoint("c", "kneetui_coach_loaded : plugin.hooks", "kneetui", dist).load().name == "the hooks"
    assert FoundEntryPoint("c", "kneetui_coach_loaded", "kneetui", dist).load() is module

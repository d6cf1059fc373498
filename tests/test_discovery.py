"""Entry points are found by reading entry_points.txt, as importlib.metadata would find them."""

from __future__ import annotations

import importlib.metadata
import sys
import types
from pathlib import Path

import pytest

from kneetui.plugin_host import discovery
from kneetui.plugin_host.discovery import FoundDistribution, FoundEntryPoint, read_entry_points
from kneetui.plugin_host.reserved import shadowed_modules


def dist_info(folder, name, version, entry_points):
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\n", encoding="utf-8")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def test_the_names_read_are_the_ones_importlib_metadata_finds(tmp_path):
    dist_info(
        tmp_path / "a",
        "kneetui",
        "1.2.0",
        "[console_scripts]\nkneetui = x:y\n\n[kneetui]\nmedial-knee = kneetui_medial_knee\n",
    )
    dist_info(tmp_path / "a", "other_pkg", "0.3", "[kneetui]\nextra = other_pkg.plugin:Plugin\n")
    dist_info(tmp_path / "a", "no_points", "1.0", None)
    dist_info(tmp_path / "b", "kneetui", "0.9", "[kneetui]\nold = old_module\n")  # shadowed: the first wins
    paths = [str(tmp_path / "a"), str(tmp_path / "b"), str(tmp_path / "missing")]

    found = discovery.read_entry_points("kneetui", paths)
    first_of_each_name = {}
    for dist in importlib.metadata.distributions(path=paths):  # entry_points() keeps the first of a name
        first_of_each_name.setdefault(dist.metadata["Name"], dist)
    wanted = sorted(
        (point.name, point.value)
        for dist in first_of_each_name.values()
        for point in dist.entry_points
        if point.group == "kneetui"
    )

    assert found is not None
    assert (
        sorted((point.name, point.value) for point in found)
        == wanted
        == [
            ("extra", "other_pkg.plugin:Plugin"),
            ("medial-knee", "kneetui_medial_knee"),
        ]
    )
    assert {point.dist.version for point in found} == {"1.2.0", "0.3"}


def test_third_party_plugins_are_read_too_and_only_an_egg_or_zip_hands_over_to_importlib_metadata(
    tmp_path, monkeypatch
):
    dist_info(tmp_path, "kneetui", "1.0", "[kneetui]\nmedial-knee = kneetui_medial_knee\n")
    dist_info(tmp_path, "third_party", "2.0", "[kneetui]\nthird = third_party\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    points = list(discovery.entry_points("kneetui"))
    assert sorted(point.name for point in points) == ["medial-knee", "third"]
    assert all(isinstance(point, discovery.FoundEntryPoint) for point in points)

    (tmp_path / "an.egg").write_bytes(b"PK")
    monkeypatch.setattr(sys, "path", [str(tmp_path), str(tmp_path / "an.egg")])
    points = list(discovery.entry_points("kneetui"))
    assert sorted(point.name for point in points) == ["medial-knee", "third"]
    assert all(isinstance(point, importlib.metadata.EntryPoint) for point in points)


def test_name_version_and_files_are_the_ones_importlib_metadata_reads(tmp_path):
    dist_info(tmp_path, "Third.Party", "2.0", "[kneetui]\nthird = third_party\n")
    info = tmp_path / "Third.Party-2.0.dist-info"
    (info / "RECORD").write_text(
        "third_party/__init__.py,sha256=abc,10\n"
        '"kneetui_medial_knee/odd, name.py",sha256=def,20\n'
        "../../bin/third,,\n"
        "Third.Party-2.0.dist-info/RECORD,,\n",
        encoding="utf-8",
    )
    (found,) = discovery.read_entry_points("kneetui", [str(tmp_path)]) or []
    (theirs,) = importlib.metadata.distributions(path=[str(tmp_path)])

    assert (found.dist.metadata["Name"], found.dist.version) == (theirs.metadata["Name"], theirs.version)
    assert [str(path) for path in found.dist.files or []] == [str(path) for path in theirs.files or []]
    assert [found.dist.locate_file(path) for path in found.dist.files or []] == [
        theirs.locate_file(path) for path in theirs.files or []
    ]
    (info / "RECORD").unlink()
    assert found.dist.files is None is theirs.files


def test_an_entry_point_loads_its_module_and_attribute():
    point = discovery.FoundEntryPoint(
        "x", "kneetui.plugin_host.discovery:FoundEntryPoint.load", "kneetui", discovery.FoundDistribution("k", "1")
    )
    assert point.load() is discovery.FoundEntryPoint.load


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
    assert {point.dist.info for point in found} == {str(site / "kneetui_coach-1.2.dist-info")}


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


def test_a_distribution_without_a_folder_has_no_files_and_paths_relative_to_here():
    assert FoundDistribution("kneetui-coach", "1.0").files is None
    assert FoundDistribution("kneetui-coach", "1.0").locate_file("x.py") == Path("x.py")


def test_an_entry_point_loads_the_attribute_it_names(monkeypatch):
    module = types.ModuleType("kneetui_coach_loaded")
    module.plugin = types.SimpleNamespace(hooks=types.SimpleNamespace(name="the hooks"))
    monkeypatch.setitem(sys.modules, "kneetui_coach_loaded", module)
    dist = FoundDistribution("kneetui-coach", "1.0")
    assert FoundEntryPoint("c", "kneetui_coach_loaded : plugin.hooks", "kneetui", dist).load().name == "the hooks"
    assert FoundEntryPoint("c", "kneetui_coach_loaded", "kneetui", dist).load() is module


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_headers_are_read_whatever_the_files_line_endings(tmp_path, newline):
    info = install(tmp_path, "kneetui_coach-1.2.dist-info", "[kneetui]\ncoach = kneetui_coach\n")
    lines = ["Metadata-Version: 2.1", "Name: kneetui-coach", "Version: 1.3", "", "Name: not-this"]
    (info / "METADATA").write_bytes(newline.join(lines).encode())
    (point,) = read_entry_points("kneetui", [str(tmp_path)]) or []
    assert (point.dist.name, point.dist.version) == ("kneetui-coach", "1.3")


def test_a_record_longer_than_one_read_is_read_whole(tmp_path):
    info = install(tmp_path, "kneetui_coach-1.2.dist-info", "[kneetui]\ncoach = kneetui_coach\n")
    filler = "".join(f"kneetui_coach/data/{number:05d}.txt,,\n" for number in range(2114))  # 65,534 bytes
    (info / "RECORD").write_text(f"{filler}kneetui_medial_knee/__init__.py,,\n", encoding="utf-8")
    assert len(filler) < 65_536 < len(filler) + len("kneetui_medial_knee")  # the name spans the first read's end
    (point,) = read_entry_points("kneetui", [str(tmp_path)]) or []
    assert point.dist.listed_paths()[-1] == "kneetui_medial_knee/__init__.py"
    assert shadowed_modules(point.dist) == ["kneetui_medial_knee"]

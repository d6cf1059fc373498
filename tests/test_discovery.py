"""Entry points are found by reading entry_points.txt, as importlib.metadata would find them."""

from __future__ import annotations

import importlib.metadata
import sys

from kneetui.plugin_host import discovery


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

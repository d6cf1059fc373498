"""``kneetui install`` and ``kneetui uninstall``: pip in kneetui's own environment, checked first.

A person need not know which interpreter kneetui runs in: these run
``sys.executable -m pip``. A plug-in that pins another kneetui or Textual is
refused before pip changes anything.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import subprocess
import sys
from typing import Any

from packaging.utils import canonicalize_name

ENTRY_POINT_GROUP = "kneetui"
PIP_TIMEOUT_SECONDS = 900


def fail(message: str) -> int:
    print(f"kneetui: {message}", file=sys.stderr)
    return 1


def pip(*args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
    """Run pip in kneetui's own interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "pip", *args],
        capture_output=capture,
        text=True,
        timeout=PIP_TIMEOUT_SECONDS,
        check=False,
    )


def pip_options(args: argparse.Namespace) -> list[str]:
    options = []
    if args.no_index:
        options.append("--no-index")
    for folder in args.find_links or ():
        options += ["--find-links", folder]
    if args.no_build_isolation:
        options.append("--no-build-isolation")
    if args.upgrade:
        options.append("--upgrade")
    return options


def targets(args: argparse.Namespace) -> list[str]:
    return ["--editable", args.spec] if args.editable else [args.spec]


def plugin_records(distributions: set[str]) -> list[dict[str, Any]]:
    """How kneetui loads the plug-ins of ``distributions``, in a fresh process (as the next start will)."""
    result = subprocess.run(
        [sys.executable, "-m", "kneetui", "plugins", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        records = json.loads(result.stdout)
    except json.JSONDecodeError:
        return []
    return [
        record
        for record in records
        if canonicalize_name(str(record.get("location", "")).split(":")[0]) in distributions
    ]


def show_plugins(distributions: set[str]) -> int:
    records = plugin_records(distributions)
    if not records:
        names = ", ".join(sorted(distributions))
        print(f"kneetui: {names} has no entry point in the 'kneetui' group, so kneetui does not load it.")
        return 1
    worst = 0
    for record in records:
        adds = ", ".join(f"{count} {kind}" for kind, count in record["contributes"].items() if count) or "nothing"
        print(f"  {record['name']} {record['version']}: {record['status']}; adds {adds}")
        if record["status"] != "ok":
            worst = 1
            print(f"    {record['reason']}")
            print(f"    See every problem with: kneetui plugins doctor {record['name']}")
        elif record.get("slow"):
            print(f"    slow to import ({record['import_ms']} ms): kneetui plugins doctor {record['name']}")
    return worst


def install(args: argparse.Namespace, loaded: object = None) -> int:
    from kneetui.plugin_host.install_check import Incompatible, check_report, check_requirements, local_requirements

    local = local_requirements(args.spec)
    try:
        if local is not None:
            check_requirements(local[0] or args.spec, local[1])
        dry_run = pip(
            "install", "--dry-run", "--quiet", "--report", "-", *pip_options(args), *targets(args), capture=True
        )
        if dry_run.returncode != 0:
            print(dry_run.stderr.strip(), file=sys.stderr)
            return fail(f"pip cannot install {args.spec!r} (see above); nothing was changed.")
        report = json.loads(dry_run.stdout[dry_run.stdout.find("{") :] or "{}")
        planned = check_report(report)
    except Incompatible as error:
        return fail(f"refused: {error}")
    except json.JSONDecodeError:
        return fail("pip gave no report of what it would install; nothing was changed.")
    if not planned:
        print(f"{args.spec} is installed already (use --upgrade for a newer version).")
        distributions = {str(canonicalize_name(name)) for name in _names_from(report) or [args.spec]}
        return show_plugins(distributions)
    print("Installing " + ", ".join(f"{name} {version}" for name, version in planned) + f" with {sys.executable}")
    done = pip("install", "--quiet", *pip_options(args), *targets(args))
    if done.returncode != 0:
        return fail(f"pip could not install {args.spec!r}.")
    print("Installed. kneetui now loads:")
    return show_plugins({canonicalize_name(name) for name, _ in planned})


def _names_from(report: dict[str, Any]) -> list[str]:
    return [str(item.get("metadata", {}).get("name", "")) for item in report.get("install", [])]


def plugin_distribution(name: str) -> str | None:
    """The distribution that provides the plug-in (or is the distribution) called ``name``."""
    wanted = canonicalize_name(name)
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = entry_point.dist
        if dist is None:
            continue
        dist_name = str(dist.metadata["Name"] or "")
        if entry_point.name == name or canonicalize_name(dist_name) == wanted:
            return dist_name
    return None


def uninstall(args: argparse.Namespace, loaded: object = None) -> int:
    distribution = plugin_distribution(args.name)
    if distribution is None:
        return fail(f"no installed plug-in is named {args.name!r}; 'kneetui plugins' lists them")
    if canonicalize_name(distribution) == "kneetui":
        return fail(
            f"{args.name!r} is kneetui's own content and cannot be uninstalled; "
            f"turn it off with: kneetui plugins disable {args.name}"
        )
    names = sorted(
        entry_point.name
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        if entry_point.dist is not None and entry_point.dist.metadata["Name"] == distribution
    )
    done = pip("uninstall", "--yes", "--quiet", distribution)
    if done.returncode != 0:
        return fail(f"pip could not uninstall {distribution}.")
    print(f"Uninstalled {distribution} (plug-in {', '.join(names)}) from {sys.executable}.")
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``install`` and ``uninstall`` to the ``kneetui`` parser."""
    installed = commands.add_parser(
        "install",
        help="install a plug-in into kneetui's own environment (a name, a folder or a wheel), then check it",
    )
    installed.add_argument("spec", metavar="NAME|PATH|WHEEL", help="what pip installs, e.g. kneetui-heel-raises")
    installed.add_argument("-U", "--upgrade", action="store_true", help="upgrade it if it is installed already")
    installed.add_argument("-e", "--editable", action="store_true", help="install a project folder in editable mode")
    installed.add_argument("--no-index", action="store_true", help="do not use a package index (local files only)")
    installed.add_argument("--find-links", action="append", metavar="DIR", help="look for wheels in DIR as well")
    installed.add_argument(
        "--no-build-isolation", action="store_true", help="build a project folder with the setuptools already here"
    )
    installed.set_defaults(run=install, needs_plugins=False)
    removed = commands.add_parser("uninstall", help="uninstall a plug-in from kneetui's own environment")
    removed.add_argument("name", help="the plug-in's name (as 'kneetui plugins' lists it) or its distribution")
    removed.set_defaults(run=uninstall, needs_plugins=False)

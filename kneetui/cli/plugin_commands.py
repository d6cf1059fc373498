"""Managing plug-ins and content packs: list, enable, disable, install packs, scaffold a plug-in."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kneetui.cli import doctor, listing
from kneetui.cli.output import fail
from kneetui.content.text import reason
from kneetui.exchange.pack_file import PackError, parse_pack, read_pack_text
from kneetui.plugin_host.loader import LoadResult
from kneetui.storage import locations
from kneetui.storage.atomic import write_atomic
from kneetui.storage.config import load_settings, save_settings


def set_enabled(args: argparse.Namespace, loaded: LoadResult) -> int:
    known = {record.name for record in loaded.plugins}
    if args.name not in known:
        return fail(f"no plug-in is named {args.name!r}; known: {', '.join(sorted(known))}")
    settings = load_settings().settings
    disabled = [name for name in settings.disabled_plugins if name != args.name]
    if args.plugin_action == "disable":
        disabled.append(args.name)
    settings.disabled_plugins = disabled
    try:
        kept = save_settings(settings)
    except OSError as error:
        return fail(f"cannot save the settings: {reason(error)}")
    if kept is not None:
        print(f"kneetui: the settings file had values kneetui could not use; it was kept as {kept}", file=sys.stderr)
    print(f"{args.name}: {args.plugin_action}d. It takes effect the next time kneetui starts.")
    return 0


def pack_install(args: argparse.Namespace, loaded: LoadResult) -> int:
    source = Path(args.file)
    try:
        # Read once and install what was checked: the file may be a pipe, or change meanwhile.
        text = read_pack_text(source)
        pack = parse_pack(text, origin=str(source), catalog=loaded.catalog)
    except PackError as error:
        return fail(f"{source}: refused: {error}")
    catalog = loaded.catalog
    target = locations.packs_dir() / f"{pack.name}.toml"
    replacing = target.exists()
    if replacing and not args.force:
        return fail(f"a pack named {pack.name!r} is installed already; use --force to replace it")
    for kind, items in pack.items.items():
        for item in items:
            owner = catalog.owner_of(kind, item.id)
            if owner and owner != f"pack:{pack.name}":
                return fail(f"{source}: refused: {kind} id {item.id!r} is already used by {owner!r}")
    try:
        write_atomic(target, text.encode("utf-8"))
    except OSError as error:
        return fail(f"cannot install the pack in {target.parent}: {reason(error)}")
    counts = ", ".join(f"{count} {kind}" for kind, count in pack.counts().items())
    print(f"{'Replaced' if replacing else 'Installed'} pack {pack.name!r} ({counts}) in {target}")
    return 0


def pack_list(args: argparse.Namespace, loaded: LoadResult) -> int:
    packs = [record for record in loaded.plugins if record.name.startswith("pack:")]
    if not packs:
        print("No content packs are installed. Add one with 'kneetui pack install FILE'.")
        return 0
    args.json = getattr(args, "json", False)
    loaded_packs = LoadResult(loaded.catalog, packs, loaded.manager)
    return listing.plugins(args, loaded_packs)


def pack_remove(args: argparse.Namespace, loaded: LoadResult) -> int:
    target = locations.packs_dir() / f"{args.name.removeprefix('pack:')}.toml"
    if not target.exists():
        return fail(f"no pack named {args.name!r} is installed")
    target.unlink()
    print(f"Removed pack {args.name!r}.")
    return 0


def scaffold(args: argparse.Namespace, loaded: LoadResult) -> int:
    from kneetui.cli.scaffold import ScaffoldError, write_plugin_project

    try:
        project = write_plugin_project(args.name, Path(args.dir) if args.dir else None, with_screen=args.with_screen)
    except ScaffoldError as error:
        return fail(str(error))
    shown = os.path.relpath(project)
    if shown.startswith(".."):
        shown = str(project)
    shown = shown if shown.startswith((".", os.sep)) else os.path.join(".", shown)
    print(f"Wrote a plug-in project in {project}")
    print(f"Install it with:  kneetui install {shown}")
    print(f"Check it with:    kneetui plugins doctor {args.name}")
    print(f"Test it with:     python -m pytest {shown}")
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``plugins``, ``plugin new`` and ``pack`` to the ``kneetui`` parser."""
    plugins = commands.add_parser("plugins", help="list plug-ins; enable or disable one")
    plugins.add_argument("--json", action="store_true", help="print JSON")
    plugins.set_defaults(run=listing.plugins)
    actions = plugins.add_subparsers(dest="plugin_action", metavar="ACTION")
    for action in ("enable", "disable"):
        toggled = actions.add_parser(action, help=f"{action} a plug-in by name (kept in the settings)")
        toggled.add_argument("name")
        toggled.set_defaults(run=set_enabled)
    doctor.add_doctor(actions)

    plugin = commands.add_parser("plugin", help="write a new plug-in project")
    plugin_actions = plugin.add_subparsers(dest="plugin_command", metavar="ACTION", required=True)
    new = plugin_actions.add_parser("new", help="write a working plug-in project: NAME [DIR]")
    new.add_argument("name", help="the plug-in's name, e.g. heel-raises")
    new.add_argument("dir", nargs="?", help="where to write it (default: ./kneetui-NAME)")
    new.add_argument(
        "--with-screen", action="store_true", help="add a session screen with its own timer, and its Pilot test"
    )
    new.set_defaults(run=scaffold)

    pack = commands.add_parser("pack", help="install, list or remove content packs (TOML, no code)")
    pack_actions = pack.add_subparsers(dest="pack_action", metavar="ACTION", required=True)
    install = pack_actions.add_parser("install", help="validate a pack file and install it")
    install.add_argument("file")
    install.add_argument("--force", action="store_true", help="replace an installed pack of the same name")
    install.set_defaults(run=pack_install)
    listed = pack_actions.add_parser("list", help="list installed packs")
    listed.add_argument("--json", action="store_true", help="print JSON")
    listed.set_defaults(run=pack_list)
    removed = pack_actions.add_parser("remove", help="remove an installed pack by name")
    removed.add_argument("name")
    removed.set_defaults(run=pack_remove)

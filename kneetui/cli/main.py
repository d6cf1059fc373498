"""Parses the command line and dispatches to a command or the full-screen app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kneetui import __version__
from kneetui.cli import (
    clinic_commands,
    exchange_commands,
    guide,
    install_commands,
    listing,
    plugin_commands,
    remind_commands,
    report_commands,
    serve_commands,
)
from kneetui.cli.output import degrade_gracefully
from kneetui.content.text import reason

#: Each module adds its own subcommands through ``add_commands(commands)``.
COMMAND_MODULES = [
    listing,
    plugin_commands,
    install_commands,
    exchange_commands,
    report_commands,
    remind_commands,
    guide,
    serve_commands,
    clinic_commands,
]

DESCRIPTION = (
    "A terminal companion for home exercises for pain on the inside of the knee. "
    "Run without a command to start the full-screen app."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kneetui", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"kneetui {__version__}")
    parser.add_argument("--theme", metavar="NAME", help="use this theme for this run only")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    degrade_gracefully(sys.stdout, sys.stderr)
    args = build_parser().parse_args(argv)
    from kneetui.storage.config import load_settings

    loaded_settings = load_settings()
    for notice in loaded_settings.notices:
        print(f"kneetui: {notice}", file=sys.stderr)
    if args.command is None:
        from kneetui.tui.launch import run_app

        return run_app(loaded_settings, theme=args.theme)
    from kneetui.exchange.installed import load_installed_plugins

    # A command that loads plug-ins its own way (doctor, install) must not pay for loading them all first.
    needs_plugins = getattr(args, "needs_plugins", True)
    loaded = load_installed_plugins(disabled=loaded_settings.settings.disabled_plugins) if needs_plugins else None
    try:
        status: int = args.run(args, loaded)
        return status
    except BrokenPipeError:
        # The reader (head, less) went away; that is not an error for a listing.
        sys.stderr.close()
        return 0
    except OSError as error:
        # A folder or file kneetui needs cannot be used (a file where a folder should
        # be, a full disk): say so in one line rather than with a traceback.
        where = f" ({error.filename})" if error.filename else ""
        print(f"kneetui: {reason(error)}{where}", file=sys.stderr)
        return 1

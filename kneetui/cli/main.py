"""Parses the command line and dispatches to a command or the full-screen app."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kneetui import __version__

if TYPE_CHECKING:
    import argparse

#: Each module under ``kneetui.cli`` adds its own subcommands through ``add_commands(commands)``.
#: They are imported only when needed: ``kneetui paths`` must not pay for the SSH server's imports.
COMMAND_MODULES = [
    "listing",
    "plugin_commands",
    "install_commands",
    "exchange_commands",
    "report_commands",
    "remind_commands",
    "guide",
    "serve_commands",
    "clinic_commands",
]
#: command name -> the module that adds it (a test checks this against what each module adds).
COMMANDS = {
    "exercises": "listing",
    "faq": "listing",
    "paths": "listing",
    "plugins": "plugin_commands",
    "plugin": "plugin_commands",
    "pack": "plugin_commands",
    "install": "install_commands",
    "uninstall": "install_commands",
    "export": "exchange_commands",
    "import": "exchange_commands",
    "history": "exchange_commands",
    "report": "report_commands",
    "remind": "remind_commands",
    "guide": "guide",
    "serve": "serve_commands",
    "clinic": "clinic_commands",
}
#: Top-level options that take a value (so their value is not mistaken for a command).
OPTIONS_WITH_VALUES = {"--theme"}

DESCRIPTION = (
    "A terminal companion for home exercises for pain on the inside of the knee. "
    "Run without a command to start the full-screen app."
)


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """The ``kneetui`` parser with the commands of ``modules`` (by default every command)."""
    import argparse

    parser = argparse.ArgumentParser(prog="kneetui", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"kneetui {__version__}")
    parser.add_argument("--theme", metavar="NAME", help="use this theme for this run only")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        importlib.import_module(f"kneetui.cli.{name}").add_commands(commands)
    return parser


def modules_needed(argv: Sequence[str]) -> list[str]:
    """The command modules that parsing ``argv`` needs: none to start the app or print the version,
    the command's own for a command, and all of them for help or a mistyped command."""
    arguments = iter(argv)
    for argument in arguments:
        if argument in ("-h", "--help"):
            return COMMAND_MODULES
        if argument == "--version":
            return []
        if argument in OPTIONS_WITH_VALUES:
            next(arguments, None)
        elif not argument.startswith("-"):
            return [COMMANDS[argument]] if argument in COMMANDS else COMMAND_MODULES
    return []


def main(argv: Sequence[str] | None = None) -> int:
    from kneetui.cli.output import degrade_gracefully

    degrade_gracefully(sys.stdout, sys.stderr)
    arguments = sys.argv[1:] if argv is None else list(argv)
    # The app with no arguments has nothing to parse: argparse is not imported on its way to Home.
    args = build_parser(modules_needed(arguments)).parse_args(arguments) if arguments else None
    from kneetui.storage.config import load_settings

    loaded_settings = load_settings()
    for notice in loaded_settings.notices:
        print(f"kneetui: {notice}", file=sys.stderr)
    if args is None or args.command is None:
        from kneetui.tui.launch import run_app

        return run_app(loaded_settings, theme=None if args is None else args.theme)
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
        from kneetui.content.text import reason

        where = f" ({error.filename})" if error.filename else ""
        print(f"kneetui: {reason(error)}{where}", file=sys.stderr)
        return 1

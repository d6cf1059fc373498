"""``kneetui clinic``: what a clinic that serves kneetui to its patients runs."""

from __future__ import annotations

import argparse

from kneetui.cli.clinic_report_command import add_report_command


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``clinic`` and its subcommands to the ``kneetui`` parser."""
    clinic = commands.add_parser("clinic", help="for a clinic that serves kneetui: an overview of its patients")
    actions = clinic.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_report_command(actions)

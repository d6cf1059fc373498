"""Runs a program under a patient's resource limits: ``python -I -m kneetui.serve.limited MEMORY CPU FILES -- ARGV``.

``serve web`` starts each browser's kneetui through textual-serve, which runs a shell command
and offers no hook between fork and exec; this puts the same limits on it as ``serve ssh``
puts on each patient's kneetui.
"""

from __future__ import annotations

import os
import sys

from kneetui.serve.terminal import ChildLimits


def main(argv: list[str]) -> None:
    memory, cpu, files, separator, *command = argv
    if separator != "--" or not command:
        raise SystemExit("usage: python -m kneetui.serve.limited MEMORY CPU FILES -- PROGRAM [ARG...]")
    ChildLimits(memory_bytes=int(memory), cpu_seconds=int(cpu), open_files=int(files)).apply()
    os.umask(0o077)
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])

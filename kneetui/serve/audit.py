"""The audit log: one stable line per login, logout, refusal and failed or abandoned attempt.

Every line reads ``<time> kneetui[<pid>]: <event> peer=<address> port=<port> key=value ...``.
The peer comes first and is the server's own record of the address, so nothing a client
chooses (a login name, a terminal type) can pose as another address to fail2ban. Values a
client chooses are quoted and stripped of anything but printable ASCII.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import re
from pathlib import Path

from kneetui.serve.patients import is_valid_user_name
from kneetui.serve.trust import make_private_folder

#: Events fail2ban counts against an address (docs/deploy/fail2ban-filter.conf names them).
FAILURES = ("auth-failed", "abandoned", "too-many-unauthenticated")
LINE_FORMAT = "%(asctime)s kneetui[%(process)d]: %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
ROTATE_BYTES = 10 * 1024 * 1024
ROTATE_KEEP = 10
_UNSAFE = re.compile(r"[^\x21-\x7e]|[\"\\]")


def client_text(value: str, limit: int = 64) -> str:
    """A value chosen by a client, safe in one audit line: plain names bare, anything else quoted."""
    if is_valid_user_name(value):
        return value
    cleaned = _UNSAFE.sub("?", value[:limit])
    return f'"{cleaned}{"..." if len(value) > limit else ""}"'


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotated log whose every file, the first and each one after a rotation, is made 0600 whatever the umask.

    Addresses, names and key fingerprints are for the server's user only; a server started by
    hand under a umask of 022 would otherwise make the log readable by every user.
    """

    def _open(self) -> io.TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        return open(descriptor, "a", encoding=self.encoding, errors=self.errors)


class AuditLog:
    """Writes audit lines to its own logger (a rotated file when served)."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger

    @classmethod
    def to_file(cls, path: Path, name: str = "kneetui.audit") -> AuditLog:
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        make_private_folder(path.parent)
        handler = PrivateRotatingFileHandler(path, maxBytes=ROTATE_BYTES, backupCount=ROTATE_KEEP, encoding="utf-8")
        handler.setFormatter(logging.Formatter(LINE_FORMAT, DATE_FORMAT))
        for old in list(logger.handlers):
            logger.removeHandler(old)
            old.close()
        logger.addHandler(handler)
        return cls(logger)

    def event(self, what: str, host: str, port: int, **fields: object) -> None:
        """One line: ``what peer=host port=port`` and then ``fields`` in the order given."""
        words = [what, f"peer={host}", f"port={port}"]
        words += [f"{key}={value}" for key, value in fields.items()]
        self._logger.info(" ".join(words))

    def close(self) -> None:
        for handler in list(self._logger.handlers):
            handler.flush()
            handler.close()
            self._logger.removeHandler(handler)

"""What kneetui knows about each plug-in it tried to load."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

#: An import slower than this is flagged: every kneetui command pays for it.
SLOW_IMPORT_SECONDS = 0.1


class Origin(StrEnum):
    """Where a plug-in came from."""

    BUILT_IN = "built-in"
    ENTRY_POINT = "entry point"
    USER_FOLDER = "user folder"
    PACK = "content pack"
    #: The programmes the person made or imported: first to register programmes, so theirs win.
    OWN = "your programmes"


class Status(StrEnum):
    """How loading a plug-in went."""

    OK = "ok"
    PROBLEMS = "problems"
    FAILED = "failed"
    DISABLED = "disabled"


@dataclass
class PluginRecord:
    """One plug-in: where it came from, how loading went, what it contributed."""

    name: str
    origin: Origin
    version: str = ""
    location: str = ""
    failure: str = ""
    disabled: bool = False
    problems: list[str] = field(default_factory=list)
    contributions: Counter[str] = field(default_factory=Counter)
    hooks: list[str] = field(default_factory=list)
    #: Seconds spent importing the plug-in (0 when it was not imported).
    import_seconds: float = 0.0
    #: The first lines the plug-in printed while loading; they went to the plug-in log, not to kneetui's output.
    printed: list[str] = field(default_factory=list)
    #: The plug-in's top-level module, to find its code in tracebacks ('' when unknown).
    package: str = ""

    @property
    def slow(self) -> bool:
        """Whether importing it took longer than :data:`SLOW_IMPORT_SECONDS`."""
        return self.import_seconds > SLOW_IMPORT_SECONDS

    @property
    def status(self) -> Status:
        if self.disabled:
            return Status.DISABLED
        if self.failure:
            return Status.FAILED
        return Status.PROBLEMS if self.problems else Status.OK

    @property
    def reason(self) -> str:
        """A one-line reason for a status other than ok ('' when ok)."""
        if self.disabled:
            return "disabled in the configuration"
        if self.failure:
            return self.failure
        if self.problems:
            more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
            return self.problems[0] + more
        return ""

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "origin": str(self.origin),
            "location": self.location,
            "status": str(self.status),
            "reason": self.reason,
            "problems": [self.failure] if self.failure else list(self.problems),
            "contributes": dict(self.contributions),
            "hooks": self.hooks,
            "import_ms": round(self.import_seconds * 1000),
            "slow": self.slow,
            "printed_lines": len(self.printed),
        }

"""What every benchmark reports: one row of the table, and small statistics helpers.

The machine these run on is shared and noisy, so each figure is set beside a
reference measured in the same run, and cheap measurements are repeated.
"""

from __future__ import annotations

import math
import statistics
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

#: The repository root: benchmarks start programs from here.
ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

MET = "MET"
NOT_MET = "NOT MET"
SKIPPED = "SKIPPED"


@dataclass
class Row:
    """One figure of the table: what kneetui measured, the same-run reference, and the target.

    ``checked`` is the quantity the target is about, as shown in the table: the
    ratio for a relative target ("1.59×"), or an absolute figure ("21.2 ms
    added", "p95 38.0 ms") for an absolute one, where the ratio is context.
    """

    figure: str
    measured: float | None
    unit: str
    reference: float | None
    reference_name: str
    checked: str
    target: str
    status: str
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.measured is None or not self.reference:
            return None
        return self.measured / self.reference

    def as_json(self) -> dict:
        return {**asdict(self), "ratio": self.ratio}


def status(met: bool) -> str:
    return MET if met else NOT_MET


def skipped(figure: str, target: str, reason: str) -> Row:
    return Row(figure, None, "", None, "", "", target, SKIPPED, note=reason)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile by the nearest-rank method (p95 of 30 values is the 29th)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def times(value: float | None) -> str:
    """A ratio as the table shows it: '1.59×'."""
    return "-" if value is None else f"{value:.2f}×"

"""How provenance looks on screen: a mark beside each item and a one-line legend.

Every screen that shows where content comes from uses these, so the marks and
their words are the same everywhere: ◆ the article, ◇ kneetui's reading,
○ the plug-in's author, ● yours (see :class:`kneetui.content.model.Provenance`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.content import Content
from textual.widgets import Static

from kneetui.content.model import Advice, Provenance, Step

MARK_STYLE = "bold"


def mark(provenance: Provenance | None) -> Content:
    """The mark for ``provenance`` ('◆'); empty for ``None``."""
    return Content.styled(provenance.mark, MARK_STYLE) if provenance is not None else Content("")


def marked(text: str | Content, provenance: Provenance | None) -> Content:
    """``text`` (literal) after its mark: '◆ Sit with your legs straight.'"""
    if provenance is None:
        return Content(text) if isinstance(text, str) else text
    return Content.assemble(mark(provenance), " ", text)


def marked_lines(lines: Iterable[Step | Advice], numbered: bool = False) -> Content:
    """Steps or advice, one per line, each with its mark: '1. ◆ ...' when ``numbered``, else '• ◆ ...'."""
    return Content("\n").join(
        Content.assemble(
            (f"{number}. " if numbered else "• ", "bold" if numbered else ""), marked(line.text, line.provenance)
        )
        for number, line in enumerate(lines, 1)
    )


def legend(provenances: Iterable[Provenance | None]) -> Content:
    """One line naming the marks in ``provenances``, always in the same order: '◆ article  ◇ kneetui's reading'."""
    shown = set(provenances)
    return Content("  ").join(
        Content.assemble(mark(provenance), " ", (provenance.label, "dim"))
        for provenance in Provenance
        if provenance in shown
    )


class ProvenanceLegend(Static):
    """The legend as a one-line widget, to put under what it explains; ``show`` changes the marks it names."""

    DEFAULT_CSS = """
    ProvenanceLegend { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, provenances: Iterable[Provenance | None] = (), **kwargs: Any) -> None:
        super().__init__(legend(provenances), markup=False, **kwargs)

    def show(self, provenances: Iterable[Provenance | None]) -> None:
        self.update(legend(provenances))

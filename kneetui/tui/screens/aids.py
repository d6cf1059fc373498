"""Ergonomic aids: what each does, used alongside exercise, chosen with a professional."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from kneetui.tui.literal import labelled
from kneetui.tui.provenance import ProvenanceLegend, marked, marked_lines
from kneetui.tui.screens.base import SectionScreen
from kneetui.tui.widgets.topic_view import TopicView

INTRODUCTION = (
    "Ergonomic aids can be a useful addition to your exercise routine. They work best "
    "alongside a tailored exercise programme, and should be chosen with a healthcare professional."
)


class AidsScreen(SectionScreen):
    """Each aid the plug-ins describe."""

    SECTION_TITLE = "Ergonomic aids"

    def __init__(self, aid_id: str | None = None) -> None:
        super().__init__()
        self.aid_id = aid_id

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="section-body", id="aids-scroll"):
            yield Static(INTRODUCTION, classes="item", markup=False)
            for aid in self.app.catalog.aids:
                parts = [labelled("What it does", "").append(marked(aid.what_it_does, aid.provenance))]
                if aid.advice:
                    parts.append(marked_lines(aid.advice))
                yield TopicView(aid.name, parts, id=f"aid-{aid.id}")
            if not self.app.catalog.aids:
                yield Static("No plug-in has added ergonomic aids.")
        aids = self.app.catalog.aids
        yield ProvenanceLegend(
            {aid.provenance for aid in aids} | {line.provenance for aid in aids for line in aid.advice}
        )

    def on_mount(self) -> None:
        super().on_mount()
        scroll = self.query_one("#aids-scroll")
        scroll.focus()
        if self.aid_id and self.query(f"#aid-{self.aid_id}"):
            self.call_after_refresh(self.query_one(f"#aid-{self.aid_id}").scroll_visible, top=True, animate=False)

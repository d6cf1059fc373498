"""Ergonomic aids: what each does, used alongside exercise, chosen with a professional."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from kneetui.tui.hanging import Hanging
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
            aids = self.app.catalog.aids
            # Advice every aid gives is said once, under the introduction, not repeated per aid.
            shared = (
                [line for line in aids[0].advice if all(line in aid.advice for aid in aids)] if len(aids) > 1 else []
            )
            yield Static(INTRODUCTION, classes="item", markup=False)
            if shared:
                yield Static(Hanging(marked_lines(shared)), classes="item")
            for aid in aids:
                parts = [marked(aid.what_it_does, aid.provenance)]
                own = [line for line in aid.advice if line not in shared]
                if own:
                    parts.append(marked_lines(own))
                yield TopicView(aid.name, parts, id=f"aid-{aid.id}")
            if not self.app.catalog.aids:
                yield Static("No plug-in has added ergonomic aids.")
        yield ProvenanceLegend(
            {aid.provenance for aid in aids} | {line.provenance for aid in aids for line in aid.advice}
        )

    def on_mount(self) -> None:
        super().on_mount()
        scroll = self.query_one("#aids-scroll")
        scroll.focus()
        if self.aid_id and self.query(f"#aid-{self.aid_id}"):
            self.call_after_refresh(self.query_one(f"#aid-{self.aid_id}").scroll_visible, top=True, animate=False)

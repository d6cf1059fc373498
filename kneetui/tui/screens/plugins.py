"""Plug-ins: each one's origin, version, status, contributions and any failure."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from kneetui.plugin_host.records import PluginRecord, Status
from kneetui.tui.literal import bullets, heading, labelled
from kneetui.tui.screens.base import SectionScreen

#: A mark beside each status, so state never depends on colour alone.
STATUS_MARK = {Status.OK: "✓ ok", Status.PROBLEMS: "! problems", Status.FAILED: "✗ failed", Status.DISABLED: "– disabled"}


def describe(record: PluginRecord) -> Content:
    contributes = ", ".join(f"{count} {kind}" for kind, count in record.contributions.items() if count) or "nothing"
    parts = [
        heading(record.name),
        labelled("Version", record.version or "unknown"),
        labelled("From", f"{record.origin} ({record.location})" if record.location else str(record.origin)),
        labelled("Status", STATUS_MARK[record.status]),
        labelled("Contributes", contributes),
        labelled("Hooks", ", ".join(record.hooks) or "none"),
    ]
    problems = [record.failure] if record.failure else record.problems
    if problems:
        parts += [Content.assemble(("Problems:", "bold $error")), bullets(problems)]
    return Content("\n").join(parts)


class PluginsScreen(SectionScreen):
    """A table of plug-ins; the highlighted one is described below it."""

    SECTION_TITLE = "Plug-ins"
    DEFAULT_CSS = """
    PluginsScreen DataTable { height: auto; max-height: 50%; }
    PluginsScreen #plugin-detail { height: 1fr; padding: 0 1; border-top: solid $primary; }
    """

    def compose_body(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True, id="plugin-table")
        with VerticalScroll(id="plugin-detail"):
            yield Static(id="plugin-description")

    def on_mount(self) -> None:
        super().on_mount()
        self.refill()
        self.query_one(DataTable).focus()

    def refill(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns("Name", "Version", "From", "Status")
        for record in self.app.plugins.plugins:
            table.add_row(
                Text(record.name), Text(record.version or "-"), str(record.origin), STATUS_MARK[record.status], key=record.name
            )
        if self.app.plugins.plugins:
            self.show(self.app.plugins.plugins[0])

    def show(self, record: PluginRecord) -> None:
        self.query_one("#plugin-description", Static).update(describe(record))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        record = self.app.plugins.record(str(event.row_key.value))
        if record is not None:
            self.show(record)

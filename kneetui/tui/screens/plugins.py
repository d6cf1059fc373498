"""Plug-ins: each one's origin, version, status, contributions and any failure."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from kneetui.plugin_host.records import PluginRecord, Status
from kneetui.tui.hanging import Hanging
from kneetui.tui.literal import bullets, heading, labelled
from kneetui.tui.screens.base import SectionScreen

#: A mark beside each status, so state never depends on colour alone.
STATUS_MARK = {
    Status.OK: "✓ ok",
    Status.PROBLEMS: "! problems",
    Status.FAILED: "✗ failed",
    Status.DISABLED: "– disabled",
}


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
    BINDINGS = [Binding("space", "toggle_enabled", "Enable/disable")]
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
                Text(record.name),
                Text(record.version or "-"),
                str(record.origin),
                STATUS_MARK[record.status],
                key=record.name,
            )
        if self.app.plugins.plugins:
            self.show(self.app.plugins.plugins[0])

    def show(self, record: PluginRecord) -> None:
        description = describe(record)
        if self.pending(record):
            description += Content.assemble(
                "\n", ("Change saved: it takes effect when kneetui next starts.", "bold $warning")
            )
        self.query_one("#plugin-description", Static).update(Hanging(description))

    def pending(self, record: PluginRecord) -> bool:
        """Whether the saved setting differs from how the plug-in was loaded."""
        return (record.name in self.app.settings.disabled_plugins) != record.disabled

    def highlighted_record(self) -> PluginRecord | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self.app.plugins.record(str(row_key.value))

    def action_toggle_enabled(self) -> None:
        record = self.highlighted_record()
        if record is None:
            return
        disabled = self.app.settings.disabled_plugins
        if record.name in disabled:
            disabled.remove(record.name)
        else:
            disabled.append(record.name)
        self.app.save_settings()
        now = "disabled" if record.name in disabled else "enabled"
        self.notify(f"{record.name} will be {now} the next time kneetui starts.", markup=False)
        self.show(record)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        record = self.app.plugins.record(str(event.row_key.value))
        if record is not None:
            self.show(record)

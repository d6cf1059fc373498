"""The kneetui Textual application."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from kneetui.plugin_host.loader import LoadResult
from kneetui.storage.config import LoadedSettings


class KneeApp(App[None]):
    TITLE = "kneetui"

    def __init__(self, plugins: LoadResult, loaded_settings: LoadedSettings, theme_override: str | None = None):
        super().__init__()
        self.plugins = plugins
        self.settings = loaded_settings.settings
        self.startup_notices = loaded_settings.notices

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{len(self.plugins.catalog.exercises)} exercises loaded")
        yield Footer()

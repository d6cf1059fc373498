"""Starts the full-screen app from the command line."""

from __future__ import annotations

from kneetui.storage.config import LoadedSettings


def run_app(loaded_settings: LoadedSettings, theme: str | None = None) -> int:
    from kneetui.plugin_host.loader import load_installed_plugins
    from kneetui.tui.app import KneeApp

    plugins = load_installed_plugins(disabled=loaded_settings.settings.disabled_plugins)
    app = KneeApp(plugins, loaded_settings, theme_override=theme)
    app.run()
    return app.return_code or 0

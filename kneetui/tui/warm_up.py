"""kneetui run once, headless, to its first Home, in a throw-away folder and with no one's data.

The fork server of ``serve ssh`` calls :func:`warm_up` before it forks any patient's kneetui:
what the first Home fills in (Textual's caches of parsed styles and measured text, the
interpreter's specialised code) is then done once and shared copy-on-write by every patient,
instead of being redone at each login. It leaves no thread, no event loop and no file behind.
Only kneetui's own content is loaded: a third party's plug-in imported here would be shared by
every patient forked afterwards (its module-level state, paths it worked out from the warm-up's
``HOME``), so each patient's kneetui imports those itself, under that patient's ``HOME``.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from kneetui.exchange.installed import load_own_plugins
from kneetui.history.store import HistoryStore
from kneetui.storage.config import load_settings
from kneetui.tui.app import KneeApp

SIZE = (80, 24)


def warm_up() -> None:
    """Show Home once, headless, with settings and history of nobody; the environment is left as found."""
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="kneetui-warm-up-") as folder:
        root = Path(folder)
        os.environ["HOME"] = folder
        for name in ("CONFIG", "DATA", "CACHE", "STATE"):
            os.environ[f"XDG_{name}_HOME"] = str(root / name.lower())
        config = root / "config" / "kneetui"
        config.mkdir(parents=True)
        (config / "config.toml").write_text("safety_acknowledged = true\n", encoding="utf-8")
        try:
            asyncio.run(_show_home())
        finally:
            os.environ.clear()
            os.environ.update(saved)


async def _show_home() -> None:
    with HistoryStore.in_memory() as history:
        app = KneeApp(load_own_plugins(), load_settings(), save=False, history=history)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()

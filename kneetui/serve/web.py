"""kneetui in a browser through textual-serve, with nothing fetched from the network.

textual-serve's page links the Roboto Mono font from Google Fonts, although the package
ships the same font files in its own static folder. kneetui serves a copy of that page with
the link swapped for ``@font-face`` rules pointing at the shipped files, and refuses to
serve a page that would still load anything from another host.
"""

from __future__ import annotations

import re
import shlex
import sys
import tempfile
from importlib import resources
from pathlib import Path

GOOGLE_FONTS_LINK = re.compile(r"<link\b[^>]*\bhref=\"https://fonts\.googleapis\.com/[^\"]*\"[^>]*>", re.S)

LOCAL_FONTS = """<style>
      @font-face {
        font-family: "Roboto Mono";
        font-style: normal;
        font-weight: 100 700;
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
      }
      @font-face {
        font-family: "Roboto Mono";
        font-style: italic;
        font-weight: 100 700;
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
      }
    </style>"""

#: A reference a browser would fetch from another host: src/href attributes, CSS url() and
#: @import. (The ``xmlns`` of the inline SVG is a name, never fetched.)
EXTERNAL_REFERENCE = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])(?:https?:)?//""", re.I)

INDEX_TEMPLATE = "app_index.html"


class OfflinePageError(Exception):
    """textual-serve's page would load something from the network."""


def external_references(page: str) -> list[str]:
    """The places in ``page`` that a browser would fetch from another host."""
    return [page[match.start() : page.find(">", match.start()) + 1] for match in EXTERNAL_REFERENCE.finditer(page)]


def offline_index(source: str) -> str:
    """textual-serve's index template with its fonts served locally; raises if still not offline."""
    page = GOOGLE_FONTS_LINK.sub(LOCAL_FONTS, source)
    remaining = external_references(page)
    if remaining:
        raise OfflinePageError(f"textual-serve's page still loads from the network: {', '.join(remaining)}")
    return page


def textual_serve_index() -> str:
    return resources.files("textual_serve").joinpath("templates", INDEX_TEMPLATE).read_text(encoding="utf-8")


def app_command() -> str:
    # textual-serve runs the command through the shell, so a path with spaces must be quoted.
    return shlex.join([sys.executable, "-m", "kneetui"])


def serve_web(host: str, port: int, public_url: str | None) -> None:
    """Serve kneetui over HTTP until Ctrl+C, from a page that fetches nothing from elsewhere."""
    from textual_serve.server import Server

    page = offline_index(textual_serve_index())
    with tempfile.TemporaryDirectory(prefix="kneetui-web-") as templates:
        (Path(templates) / INDEX_TEMPLATE).write_text(page, encoding="utf-8")
        server = Server(
            app_command(),
            host=host,
            port=port,
            title="kneetui",
            public_url=public_url,
            templates_path=templates,
        )
        server.serve()

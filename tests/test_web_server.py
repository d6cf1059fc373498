"""``kneetui serve web``: the app in a browser, from a page that loads nothing from elsewhere."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from kneetui.serve.web import OfflinePageError, external_references, offline_index, textual_serve_index


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float = 15.0) -> tuple[int, str, bytes]:
    """Status, content type and body of ``url``, retried until the server answers."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture
def web_server(subprocess_env) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kneetui", "serve", "web", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=subprocess_env,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_page_is_served_and_loads_only_from_this_server(web_server):
    status, content_type, body = fetch(f"{web_server}/")
    page = body.decode()
    assert status == 200
    assert content_type.startswith("text/html")
    assert "<html" in page and 'id="terminal"' in page
    assert "fonts.googleapis.com" not in page
    loaded = re.findall(r"""(?:src|href)\s*=\s*"([^"]+)"|url\("([^"]+)"\)""", page)
    urls = [first or second for first, second in loaded]
    assert urls, "the page should load its script, styles and fonts"
    assert all(url.startswith(f"{web_server}/static/") for url in urls), urls


def test_the_fonts_the_page_names_are_served_locally(web_server):
    _, _, body = fetch(f"{web_server}/")
    fonts = re.findall(r'url\("([^"]+\.ttf)"\)', body.decode())
    assert len(fonts) == 2
    for font in fonts:
        status, _, data = fetch(font)
        assert status == 200 and len(data) > 10_000


async def test_a_browser_connection_runs_kneetui(web_server):
    import asyncio

    import aiohttp

    fetch(f"{web_server}/")
    shown = b""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{web_server}/ws?width=80&height=24") as websocket,
        asyncio.timeout(15),
    ):
        while b"Before you exercise" not in shown:
            message = await websocket.receive()
            assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
            shown += message.data if isinstance(message.data, bytes) else message.data.encode()


def test_textual_serve_links_google_fonts_and_kneetui_replaces_the_link():
    original = textual_serve_index()
    assert any("fonts.googleapis.com" in found for found in external_references(original))
    assert external_references(offline_index(original)) == []


def test_a_page_that_would_still_load_from_elsewhere_is_refused():
    with pytest.raises(OfflinePageError, match=r"cdn\.example"):
        offline_index('<html><script src="https://cdn.example/x.js"></script></html>')

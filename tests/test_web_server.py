"""``kneetui serve web``: the app in a browser, from a page that loads nothing from elsewhere."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fake_loop import FakeLoop

from kneetui.serve.terminal import MAX_PIXELS, TerminalSize
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


@dataclass
class WebServer:
    url: str
    token: str
    home: Path

    def with_token(self, path: str = "/") -> str:
        return f"{self.url}{path}?token={self.token}"


def start_web_server(env: dict[str, str], home: Path, *options: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kneetui",
            "serve",
            "web",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--home",
            str(home),
            *options,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    first_line = process.stdout.readline()
    # The address is printed as the server starts; it listens a moment later.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    return process, first_line


@pytest.fixture
def web_server(subprocess_env, tmp_path) -> Iterator[WebServer]:
    process, announced = start_web_server(subprocess_env, tmp_path / "web-home")
    match = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=(\S+)", announced)
    assert match, announced
    try:
        yield WebServer(match.group(1), match.group(2), tmp_path / "web-home")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_page_is_served_and_loads_only_from_this_server(web_server):
    status, content_type, body = fetch(web_server.with_token())
    page = body.decode()
    assert status == 200
    assert content_type.startswith("text/html")
    assert "<html" in page and 'id="terminal"' in page
    assert "fonts.googleapis.com" not in page
    loaded = re.findall(r"""(?:src|href)\s*=\s*"([^"]+)"|url\("([^"]+)"\)""", page)
    urls = [first or second for first, second in loaded]
    assert urls, "the page should load its script, styles and fonts"
    assert all(url.startswith(f"{web_server.url}/static/") for url in urls), urls


def test_the_fonts_the_page_names_are_served_locally(web_server):
    _, _, body = fetch(web_server.with_token())
    fonts = re.findall(r'url\("([^"]+\.ttf)"\)', body.decode())
    assert len(fonts) == 2
    for font in fonts:
        status, _, data = fetch(f"{font}?token={web_server.token}")
        assert status == 200 and len(data) > 10_000


async def test_a_browser_connection_runs_kneetui(web_server):
    import asyncio

    import aiohttp

    fetch(web_server.with_token())
    shown = b""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(
            f"{web_server.url}/ws?width=80&height=24&token={web_server.token}", origin=web_server.url
        ) as websocket,
    ):
        async with asyncio.timeout(15):
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


def status_of(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_page_without_the_token_is_refused(web_server):
    fetch(web_server.with_token())
    assert status_of(f"{web_server.url}/") == 401
    assert status_of(f"{web_server.url}/?token=wrong-{web_server.token}") == 401
    assert status_of(f"{web_server.url}/static/js/textual.js") == 401


def test_a_foreign_host_header_is_refused_even_with_the_token(web_server):
    fetch(web_server.with_token())
    assert status_of(web_server.with_token(), {"Host": "attacker.example:80"}) == 403
    assert status_of(web_server.with_token(), {"Host": web_server.url.removeprefix("http://")}) == 200


def test_each_refused_request_is_a_line_in_the_web_audit_log(subprocess_env, tmp_path):
    audit = tmp_path / "serve" / "web-audit.log"
    before = os.umask(0o022)
    try:
        process, announced = start_web_server(subprocess_env, tmp_path / "web-home", "--audit-log", str(audit))
    finally:
        os.umask(before)
    try:
        url = re.search(r"(http://127\.0\.0\.1:\d+)/", announced).group(1)
        token = re.search(r"token=(\S+)", announced).group(1)
        assert status_of(f"{url}/") == 401
        assert status_of(f"{url}/?token={token}", {"Host": "attacker.example:80"}) == 403
    finally:
        process.terminate()
        process.communicate(timeout=10)
    lines = audit.read_text(encoding="utf-8").splitlines()
    assert any("web-refused peer=127.0.0.1" in line and "reason=no-token" in line for line in lines)
    assert any("web-refused" in line and "reason=foreign-host" in line for line in lines), lines
    assert token not in audit.read_text(encoding="utf-8")
    # Readable by the server's user alone, whatever the umask it was started with.
    assert stat.S_IMODE(audit.stat().st_mode) == 0o600
    assert stat.S_IMODE(audit.parent.stat().st_mode) == 0o700


async def test_a_websocket_from_a_foreign_origin_or_without_the_token_is_refused(web_server):
    import aiohttp

    fetch(web_server.with_token())
    tries = [
        (f"{web_server.url}/ws?token={web_server.token}", "http://attacker.example"),
        (f"{web_server.url}/ws", web_server.url),
    ]
    async with aiohttp.ClientSession() as session:
        for url, origin in tries:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(url, origin=origin)
            assert refused.value.status in (401, 403)


async def test_the_token_cookie_from_the_first_visit_opens_the_websocket(web_server):
    import asyncio

    import aiohttp

    # A browser keeps cookies for an IP address; aiohttp only when told to.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(web_server.with_token()) as page:
            assert page.status == 200
            assert "HttpOnly" in page.headers["Set-Cookie"] and "SameSite=Strict" in page.headers["Set-Cookie"]
        async with session.ws_connect(f"{web_server.url}/ws?width=80&height=24", origin=web_server.url) as websocket:
            async with asyncio.timeout(15):
                message = await websocket.receive()
            assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)


def test_a_non_loopback_address_is_refused_without_allow_remote(subprocess_env, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kneetui", "serve", "web", "--host", "0.0.0.0", "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=subprocess_env,
        timeout=30,
    )
    assert result.returncode == 1
    assert "--allow-remote" in result.stderr and "TLS" in result.stderr


def test_the_operator_can_set_the_token_in_a_file(subprocess_env, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("a-token-the-operator-chose\n")
    process, announced = start_web_server(subprocess_env, tmp_path / "home", "--token-file", str(token_file))
    try:
        assert announced.rstrip().endswith("?token=a-token-the-operator-chose")
        url = announced.split()[-1]
        assert fetch(url)[0] == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_short_token_file_is_refused(subprocess_env, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("short")
    result = subprocess.run(
        [sys.executable, "-m", "kneetui", "serve", "web", "--port", "1", "--token-file", str(token_file)],
        capture_output=True,
        text=True,
        env=subprocess_env,
        timeout=30,
    )
    assert result.returncode == 1 and "at least 16" in result.stderr


def test_the_browser_app_gets_a_clean_environment_in_its_own_home(tmp_path, monkeypatch):
    from kneetui.serve.web import clean_environment

    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "do-not-leak")
    monkeypatch.setenv("PYTHONPATH", "/tmp/evil")
    env = clean_environment(tmp_path, {"TEXTUAL_DRIVER": "web", "COLUMNS": "80", "SECRET": "x"})
    assert "AWS_SECRET_ACCESS_KEY" not in env and "PYTHONPATH" not in env and "SECRET" not in env
    assert env["HOME"] == str(tmp_path) and env["XDG_DATA_HOME"] == str(tmp_path / "data")
    assert env["KNEETUI_SERVED_HOME"] == str(tmp_path)
    assert env["TEXTUAL_DRIVER"] == "web"


def test_the_browser_apps_whole_environment_is_a_home_of_its_own_and_a_few_safe_settings(tmp_path, monkeypatch):
    from kneetui.serve.web import clean_environment

    for name in ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "TERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.setenv("TZ", "Europe/Oslo")
    monkeypatch.setenv("PWD", "/srv/clinic")
    monkeypatch.setenv("TERM", "dumb")
    env = clean_environment(tmp_path, {"TEXTUAL_DRIVER": "web", "ROWS": "24", "TERM": "screen"})
    assert env == {
        "PATH": "/usr/bin:/bin",
        "TZ": "Europe/Oslo",
        "LANG": "C.UTF-8",
        "TEXTUAL_DRIVER": "web",
        "ROWS": "24",
        "HOME": str(tmp_path),
        "PWD": "/",
        "TERM": "xterm-256color",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "KNEETUI_SERVED_HOME": str(tmp_path),
    }
    monkeypatch.setenv("LANG", "nb_NO.UTF-8")
    assert clean_environment(tmp_path, {})["LANG"] == "nb_NO.UTF-8", "the server's language is kept"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("[::1]", True),
        ("::1", True),
        ("LOCALHOST", False),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("clinic.example", False),
        ("", False),
    ],
)
def test_which_hosts_are_this_machine_only(host, loopback):
    from kneetui.serve.web import is_loopback

    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("host", "port", "public_url", "names"),
    [
        (
            "127.0.0.1",
            8000,
            "http://127.0.0.1:8000",
            {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"},
        ),
        ("::1", 8080, "http://[::1]:8080", {"[::1]:8080", "127.0.0.1:8080", "localhost:8080"}),
        ("0.0.0.0", 80, "https://Knee.Clinic.example", {"knee.clinic.example", "0.0.0.0:80", "0.0.0.0"}),
        ("192.168.1.20", 8000, "http://192.168.1.20:8000", {"192.168.1.20:8000"}),
        (
            "127.0.0.2",
            80,
            "http://127.0.0.2",
            {
                "127.0.0.2",
                "127.0.0.2:80",
                "localhost",
                "localhost:80",
                "127.0.0.1",
                "127.0.0.1:80",
                "[::1]",
                "[::1]:80",
            },
        ),
    ],
)
def test_the_names_a_browser_may_use_for_the_server(host, port, public_url, names):
    from kneetui.serve.web import served_names

    assert served_names(host, port, public_url) == names


@pytest.mark.parametrize(
    ("host", "origin", "token", "refusal"),
    [
        ("127.0.0.1:8000", None, "t" * 20, ""),
        ("localhost:8000", "http://localhost:8000", "t" * 20, ""),
        ("evil.example:8000", None, "t" * 20, "foreign-host"),
        (None, None, "t" * 20, "foreign-host"),
        ("127.0.0.1:8000", "http://evil.example", "t" * 20, "foreign-origin"),
        ("127.0.0.1:8000", "null", "t" * 20, "foreign-origin"),
        ("127.0.0.1:8000", None, None, "no-token"),
        ("127.0.0.1:8000", None, "u" * 20, "no-token"),
    ],
)
def test_the_guard_checks_host_origin_and_token(host, origin, token, refusal):
    from kneetui.serve.web import RequestGuard, served_names

    guard = RequestGuard("t" * 20, frozenset(served_names("127.0.0.1", 8000, "http://127.0.0.1:8000")))
    assert guard.refusal(host, origin, token, None) == refusal


def test_the_token_may_come_from_the_cookie_a_first_visit_set():
    from kneetui.serve.web import RequestGuard, served_names

    guard = RequestGuard("t" * 20, frozenset(served_names("127.0.0.1", 8000, "http://127.0.0.1:8000")))
    assert guard.refusal("127.0.0.1:8000", None, None, "t" * 20) == ""
    assert guard.refusal("127.0.0.1:8000", None, None, "u" * 20) == "no-token"


@pytest.mark.parametrize(
    ("asked", "given"),
    [
        ((0, 0, 0, 0), (80, 24, 0, 0)),
        ((0, 30, 0, 0), (80, 24, 0, 0)),
        ((100, 0, 0, 0), (80, 24, 0, 0)),
        ((1, 1, 0, 0), (1, 1, 0, 0)),
        ((120, 40, -5, -7), (120, 40, 0, 0)),
        ((120, 40, 1, 1), (120, 40, 1, 1)),
        ((120, 40, 10**9, 10**9), (120, 40, MAX_PIXELS, MAX_PIXELS)),
    ],
)
def test_a_terminal_size_of_nothing_is_80_by_24_and_pixels_are_kept_within_bounds(asked, given):
    size = TerminalSize(*asked).within_limits()
    assert (size.columns, size.rows, size.pixel_width, size.pixel_height) == given


def test_the_window_size_a_browser_asks_for_is_capped():
    from kneetui.serve.terminal import TerminalSize
    from kneetui.serve.web import clean_environment

    size = TerminalSize(5000, 5000).within_limits()
    assert (size.columns, size.rows) == (500, 200)
    assert clean_environment(Path("/x"), {"COLUMNS": "500"})["COLUMNS"] == "500"


def test_the_token_never_reaches_the_servers_log(subprocess_env, tmp_path):
    process, announced = start_web_server(subprocess_env, tmp_path / "home")
    token = announced.rsplit("token=", 1)[1].strip()
    try:
        assert fetch(announced.split()[-1])[0] == 200
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=10)
    assert token not in errors


async def test_the_browsers_kneetui_runs_isolated_under_limits(web_server):
    import asyncio
    import os

    import aiohttp

    wanted = f"KNEETUI_SERVED_HOME={web_server.home}".encode()

    def app_pids() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and wanted in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
        return found

    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(
            f"{web_server.url}/ws?width=80&height=24&token={web_server.token}", origin=web_server.url
        ) as websocket,
    ):
        async with asyncio.timeout(15):
            await websocket.receive()
        [pid] = app_pids()
        limits = Path(f"/proc/{pid}/limits").read_text()
        assert re.search(r"Max address space\s+1073741824\s", limits)
        assert re.search(r"Max open files\s+256\s", limits)
        assert b"-I" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        assert os.readlink(f"/proc/{pid}/cwd") == "/"


def test_each_outside_reference_is_quoted_up_to_the_end_of_its_tag():
    page = (
        '<html><link rel="stylesheet" href="https://fonts.example/a.css"><p>text</p>'
        '<script src="//cdn.example/x.js"></script><a href="/local">home</a></html>'
    )
    assert external_references(page) == ['href="https://fonts.example/a.css">', 'src="//cdn.example/x.js">']
    with pytest.raises(OfflinePageError) as refused:
        offline_index(page)
    assert str(refused.value) == (
        "textual-serve's page still loads from the network: "
        'href="https://fonts.example/a.css">, src="//cdn.example/x.js">'
    )


#: A stand-in for kneetui behind textual-serve: says it is ready, then waits for the quit message.
STAND_IN_APP = r"""
import sys
sys.stdout.buffer.write(b"__GANGLION__\n" + b"D" + (5).to_bytes(4, "big") + b"ready")
sys.stdout.buffer.flush()
seen = b""
while b'"quit"' not in seen:
    chunk = sys.stdin.buffer.read1(4096)
    if not chunk:
        break
    seen += chunk
"""
IN_PROCESS_TOKEN = "a-token-for-the-tests-only"


@contextlib.asynccontextmanager
async def in_process_server(tmp_path: Path, **changes: object):
    """``make_server``'s server in this process on 127.0.0.1, running the stand-in app for each browser."""
    import shlex

    from aiohttp.test_utils import TestServer

    from kneetui.serve.web import INDEX_TEMPLATE, WebServeOptions, make_server

    port = free_port()
    options = WebServeOptions(
        port=port, home=tmp_path / "home", audit_log=tmp_path / "serve" / "web-audit.log", **changes
    )
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / INDEX_TEMPLATE).write_text(offline_index(textual_serve_index()), encoding="utf-8")
    server = make_server(options, IN_PROCESS_TOKEN, templates)
    server.command = shlex.join([sys.executable, "-I", "-c", STAND_IN_APP])
    server.idle_loop = FakeLoop()
    listening = TestServer(await server._make_app(), host="127.0.0.1", port=port)
    await listening.start_server()
    try:
        yield server, f"http://127.0.0.1:{port}"
    finally:
        await listening.close()
        async with asyncio.timeout(15):
            while server.running:
                await asyncio.sleep(0.01)
        # textual-serve never closes an app's process transport; collected now, the loop is still open for it.
        gc.collect()
        await asyncio.sleep(0)
        server.audit.close()


async def open_app(session, url: str):
    websocket = await session.ws_connect(f"{url}/ws?token={IN_PROCESS_TOKEN}", origin=url)
    async with asyncio.timeout(15):
        message = await websocket.receive()
    return websocket, message


async def test_browsers_past_the_cap_are_told_the_server_is_busy_and_audited(tmp_path):
    import aiohttp

    async with in_process_server(tmp_path, max_apps=2) as (server, url), aiohttp.ClientSession() as session:
        first, said_first = await open_app(session, url)
        second, said_second = await open_app(session, url)
        assert said_first.data == said_second.data == b"ready"
        third, said_third = await open_app(session, url)
        assert (
            said_third.data
            == b"\r\nkneetui is busy with other patients right now. Please try again in a few minutes.\r\n"
        )
        async with asyncio.timeout(15):
            assert (await third.receive()).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert server.running == 2
        await first.close()
        async with asyncio.timeout(15):
            while server.running != 1:
                await asyncio.sleep(0.01)
        # A place is free again.
        fourth, said_fourth = await open_app(session, url)
        assert said_fourth.data == b"ready"
        await second.close()
        await fourth.close()
    lines = (tmp_path / "serve" / "web-audit.log").read_text().splitlines()
    turned_away = [line.split(": ", 1)[1] for line in lines if "web-turned-away" in line]
    assert turned_away == ["web-turned-away peer=127.0.0.1 port=0 reason=server-full limit=2"]


async def test_a_browser_with_no_keypress_for_the_idle_timeout_is_told_and_its_app_ended(tmp_path):
    import aiohttp

    async with in_process_server(tmp_path, idle_timeout=60) as (server, url), aiohttp.ClientSession() as session:
        websocket, said = await open_app(session, url)
        assert said.data == b"ready"
        server.idle_loop.advance(50)
        await websocket.send_json(["stdin", "j"])
        await websocket.send_json(["ping", "1"])
        async with asyncio.timeout(15):
            assert (await websocket.receive()).json() == ["pong", "1"]
        server.idle_loop.advance(50)
        assert server.running == 1, "the keypress counted as activity"
        server.idle_loop.advance(10)
        async with asyncio.timeout(15):
            goodbye = await websocket.receive()
            assert goodbye.data == b"\r\nkneetui closed this page after 1 minute without input.\r\n"
            assert (await websocket.receive()).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            while server.running:
                await asyncio.sleep(0.01)

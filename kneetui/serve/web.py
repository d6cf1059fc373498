"""kneetui in a browser through textual-serve, with nothing fetched from the network, for those with the token.

textual-serve's page links the Roboto Mono font from Google Fonts, although the package
ships the same font files in its own static folder. kneetui serves a copy of that page with
the link swapped for ``@font-face`` rules pointing at the shipped files, and refuses to
serve a page that would still load anything from another host.

Every request must name this server in its Host header (no DNS rebinding), come from its own
page when it says where it comes from (Origin: no other web page may drive the app), and carry
the token printed at start, in the address or in the cookie the first visit sets. Each browser
gets a kneetui with a clean environment whose home is the served folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging
import os
import re
import secrets
import shlex
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kneetui.serve.audit import AuditLog, client_text
from kneetui.serve.idle import IdleWatch, duration
from kneetui.serve.patients import PASSED_THROUGH
from kneetui.serve.terminal import ChildLimits, TerminalSize
from kneetui.serve.trust import make_private_folder
from kneetui.served import SERVED_HOME_VARIABLE

GOOGLE_FONTS_LINK = re.compile(r"<link\b[^>]*\bhref=\"https://fonts\.googleapis\.com/[^\"]*\"[^>]*>", re.DOTALL)

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
EXTERNAL_REFERENCE = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])(?:https?:)?//""", re.IGNORECASE
)

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


#: The cookie that carries the token after the first visit; HttpOnly and SameSite=Strict.
TOKEN_COOKIE = "kneetui_token"
TOKEN_PARAMETER = "token"
#: textual-serve's own variables for the app process; all else in its environment is dropped.
TEXTUAL_SERVE_VARIABLES = (
    "TEXTUAL_DRIVER",
    "TEXTUAL_FPS",
    "TEXTUAL_COLOR_SYSTEM",
    "TERM_PROGRAM",
    "TERM_PROGRAM_VERSION",
    "COLUMNS",
    "ROWS",
)

log = logging.getLogger("kneetui.serve.web")

#: What one browser's kneetui costs: started afresh (no fork server), as measured over SSH
#: with --no-fork-server (about 54 MiB each; benchmarks/README.md).
APP_COST_BYTES = 54 * 1024 * 1024
#: The share of the host's memory the default cap lets the apps take, as for serve ssh.
MEMORY_SHARE = 0.5
BUSY_MESSAGE = b"\r\nkneetui is busy with other patients right now. Please try again in a few minutes.\r\n"


def host_memory_bytes() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def default_max_apps(memory_bytes: int | None = None) -> int:
    """How many browsers' kneetui the host holds at once: half its memory at the measured cost each."""
    memory = host_memory_bytes() if memory_bytes is None else memory_bytes
    return max(1, int(memory * MEMORY_SHARE) // APP_COST_BYTES)


@dataclass(frozen=True)
class WebServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None
    #: The served kneetui's home and XDG folders; paths typed in the app stay inside it.
    home: Path = Path("/nonexistent")
    #: None: a new random token at each start.
    token: str | None = None
    #: Where refused requests and opened sessions are written, one stable line each; None: nowhere.
    audit_log: Path | None = None
    #: Apps (one per browser tab) running at once; one more is told the server is busy.
    max_apps: int = 10
    #: An app with no keypress for this long is ended and the browser told why.
    idle_timeout: float = 1800.0


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def served_names(host: str, port: int, public_url: str) -> set[str]:
    """The Host header values (``name:port``) that name this server."""
    names = {urlsplit(public_url).netloc.lower()}
    hosts = {host}
    if is_loopback(host):
        hosts |= {"localhost", "127.0.0.1", "[::1]"}
    for name in hosts:
        bracketed = f"[{name}]" if ":" in name and not name.startswith("[") else name
        names.add(f"{bracketed}:{port}".lower())
        if port == 80:
            names.add(bracketed.lower())
    return names


@dataclass(frozen=True)
class RequestGuard:
    """Decides whether one HTTP request may be served: Host, Origin and token."""

    token: str
    names: frozenset[str]
    secure: bool = False

    def refusal(self, host: str | None, origin: str | None, query_token: str | None, cookie: str | None) -> str:
        """'' when the request may go on, else the reason it may not."""
        if not host or host.lower() not in self.names:
            return "foreign-host"
        if origin is not None and urlsplit(origin).netloc.lower() not in self.names:
            return "foreign-origin"
        given = query_token if query_token is not None else cookie
        if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
            return "no-token"
        return ""


NO_TOKEN_PAGE = "kneetui: open this server with the address it printed when it started, including its ?token=...\n"


def clean_environment(home: Path, textual_serve_environment: dict[str, str]) -> dict[str, str]:
    """The app process's whole environment: a few of the server's, textual-serve's own, a home of its own."""
    env = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
    env.setdefault("LANG", "C.UTF-8")
    env.update(
        {key: textual_serve_environment[key] for key in TEXTUAL_SERVE_VARIABLES if key in textual_serve_environment}
    )
    env.update(
        HOME=str(home),
        PWD="/",
        TERM="xterm-256color",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        **{SERVED_HOME_VARIABLE: str(home)},
    )
    return env


def app_command(limits: ChildLimits | None = None) -> str:
    """The shell command textual-serve runs for each browser: kneetui in /, isolated, under ``limits``."""
    limits = limits or ChildLimits()
    # textual-serve runs the command through the shell, so a path with spaces must be quoted.
    # -I: nothing in the current folder or in PYTHON* variables is importable.
    limited = [sys.executable, "-I", "-m", "kneetui.serve.limited"]
    limited += [str(limits.memory_bytes), str(limits.cpu_seconds), str(limits.open_files), "--"]
    return "cd / && exec " + shlex.join([*limited, sys.executable, "-I", "-m", "kneetui"])


def make_server(options: WebServeOptions, token: str, templates: Path) -> Any:
    """A textual-serve Server that checks every request and gives each app a clean environment."""
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    class CleanAppService(AppService):
        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            size = TerminalSize(width, height).within_limits()
            return clean_environment(options.home, super()._build_environment(size.columns, size.rows))

        #: Called for each keypress the browser sends, so the idle watch sees the patient at work.
        on_input: Callable[[], None] | None = None

        async def set_terminal_size(self, width: int, height: int) -> None:
            size = TerminalSize(width, height).within_limits()
            await super().set_terminal_size(size.columns, size.rows)

        async def send_bytes(self, data: bytes) -> bool:
            if self.on_input is not None:
                self.on_input()
            return await super().send_bytes(data)

    class GuardedServer(Server):
        guard: RequestGuard
        audit: AuditLog | None = None
        max_apps: int = options.max_apps
        idle_timeout: float = options.idle_timeout
        #: The clock the idle watch runs on: the event loop's unless a test gives its own.
        idle_loop: asyncio.AbstractEventLoop | None = None
        running: int = 0

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(self.check_request)
            return app

        @web.middleware
        async def check_request(
            self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
        ) -> web.StreamResponse:
            query_token = request.query.get(TOKEN_PARAMETER)
            refusal = self.guard.refusal(
                request.host, request.headers.get("Origin"), query_token, request.cookies.get(TOKEN_COOKIE)
            )
            if refusal:
                log.warning("refused %s %s from %s: %s", request.method, request.path, request.remote, refusal)
                if self.audit is not None:
                    self.audit.event(
                        "web-refused", request.remote or "-", 0, reason=refusal, path=client_text(request.path)
                    )
                status = 401 if refusal == "no-token" else 403
                return web.Response(status=status, text=NO_TOKEN_PAGE if status == 401 else "kneetui: refused\n")
            response = await handler(request)
            if query_token is not None:
                response.set_cookie(
                    TOKEN_COOKIE, query_token, httponly=True, samesite="Strict", secure=self.guard.secure, path="/"
                )
            return response

        async def on_startup(self, app: web.Application) -> None:
            pass

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            websocket = web.WebSocketResponse(heartbeat=15)
            if self.running >= self.max_apps:
                return await self.turn_away(request, websocket)
            # Counted before the first await, so browsers arriving together cannot pass the cap.
            self.running += 1
            try:
                return await self.run_app(request, websocket)
            finally:
                self.running -= 1

        async def turn_away(self, request: web.Request, websocket: web.WebSocketResponse) -> web.WebSocketResponse:
            log.warning("turned away %s: %d apps already running", request.remote, self.running)
            if self.audit is not None:
                self.audit.event("web-turned-away", request.remote or "-", 0, reason="server-full", limit=self.max_apps)
            await websocket.prepare(request)
            # The page writes bytes it is sent to its terminal: the patient reads why.
            await websocket.send_bytes(BUSY_MESSAGE)
            await websocket.close()
            return websocket

        async def run_app(self, request: web.Request, websocket: web.WebSocketResponse) -> web.WebSocketResponse:
            size = TerminalSize(
                to_int(request.query.get("width", "80"), 80), to_int(request.query.get("height", "24"), 24)
            ).within_limits()
            app_service: AppService | None = None
            idle: IdleWatch | None = None
            try:
                await websocket.prepare(request)

                async def close_websocket() -> None:
                    await websocket.close()

                app_service = CleanAppService(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=close_websocket,
                    download_manager=self.download_manager,
                    debug=False,
                )
                await app_service.start(size.columns, size.rows)

                closing: list[asyncio.Future[None]] = []

                def on_idle() -> None:
                    log.info("%s: idle for %s", request.remote, duration(self.idle_timeout))
                    message = f"\r\nkneetui closed this page after {duration(self.idle_timeout)} without input.\r\n"
                    closing.append(asyncio.ensure_future(self.say_and_close(websocket, message.encode())))

                idle = IdleWatch(self.idle_timeout, on_idle, self.idle_loop or asyncio.get_running_loop())
                app_service.on_input = idle.touch
                try:
                    await self._process_messages(websocket, app_service)
                finally:
                    await app_service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception:
                # One browser's failure must not stop the server.
                log.exception("the app for %s failed", request.remote)
            finally:
                if idle is not None:
                    idle.cancel()
                if app_service is not None:
                    await app_service.stop()
            return websocket

        async def say_and_close(self, websocket: web.WebSocketResponse, message: bytes) -> None:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await websocket.send_bytes(message)
            await websocket.close()

        def initialize_logging(self) -> None:
            logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
            # aiohttp's access log would write each address with its token into the log.
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    server = GuardedServer(
        app_command(),
        host=options.host,
        port=options.port,
        title="kneetui",
        public_url=options.public_url,
        templates_path=templates,
    )
    if options.audit_log is not None:
        server.audit = AuditLog.to_file(options.audit_log, name="kneetui.web-audit")
    server.guard = RequestGuard(
        token,
        frozenset(served_names(options.host, options.port, server.public_url)),
        secure=server.public_url.startswith("https:"),
    )
    return server


def serve_web(options: WebServeOptions, announce: Callable[[str], None] = print) -> None:
    """Serve kneetui over HTTP until Ctrl+C, from a page that fetches nothing from elsewhere."""
    page = offline_index(textual_serve_index())
    token = options.token or new_token()
    make_private_folder(options.home)
    with tempfile.TemporaryDirectory(prefix="kneetui-web-") as templates:
        (Path(templates) / INDEX_TEMPLATE).write_text(page, encoding="utf-8")
        server = make_server(options, token, Path(templates))
        announce(f"kneetui in a browser: {server.public_url}/?{TOKEN_PARAMETER}={token}")
        announce("Anyone with this address can use kneetui here; share it only with the patient. Ctrl+C to stop.")
        announce(f"At most {options.max_apps} browser tabs at once")
        server.serve()

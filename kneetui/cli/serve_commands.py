"""The serving commands: ``serve ssh`` for patients' terminals and ``serve web`` for a browser."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from kneetui.content.text import reason
from kneetui.plugin_host.loader import LoadResult
from kneetui.storage import locations


def positive_number(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def announce(line: str) -> None:
    print(line, flush=True)


def serve_ssh(args: argparse.Namespace, loaded: LoadResult) -> int:
    from kneetui.serve.host_key import HostKeyError
    from kneetui.serve.ssh_server import SshServeOptions
    from kneetui.serve.ssh_server import serve_ssh as run_server

    if not args.authorized_keys.is_dir():
        print(
            f"kneetui: --authorized-keys {args.authorized_keys} is not a folder; make one with a "
            "file per patient, named after their login name (see docs/serving.md)",
            file=sys.stderr,
        )
        return 1
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    # asyncssh logs every packet-level step at INFO; the server's own lines are enough.
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    options = SshServeOptions(
        authorized_keys_dir=args.authorized_keys,
        host_key_file=args.host_key or locations.serve_host_key_file(),
        users_dir=args.users_dir or locations.serve_users_dir(),
        host=args.host,
        port=args.port,
        max_connections=args.max_connections,
        idle_timeout=args.idle_timeout,
    )
    try:
        return asyncio.run(run_server(options, announce))
    except HostKeyError as error:
        print(f"kneetui: {error}", file=sys.stderr)
    except OSError as error:
        print(f"kneetui: cannot listen on {args.host} port {args.port}: {reason(error)}", file=sys.stderr)
    return 1


def serve_web(args: argparse.Namespace, loaded: LoadResult) -> int:
    from kneetui.serve.web import OfflinePageError
    from kneetui.serve.web import serve_web as run_server

    try:
        run_server(args.host, args.port, args.public_url)
    except OfflinePageError as error:
        print(f"kneetui: {error}", file=sys.stderr)
        return 1
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve ssh`` and ``serve web`` to the ``kneetui`` parser."""
    serve = commands.add_parser("serve", help="let others use kneetui over SSH or in a browser")
    kinds = serve.add_subparsers(dest="serve_kind", metavar="KIND", required=True)

    ssh = kinds.add_parser(
        "ssh",
        help="a built-in SSH server: each patient gets their own kneetui and history",
        description="Serve kneetui over SSH. Patients log in with a key and get the app, nothing else.",
    )
    ssh.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    ssh.add_argument("--port", type=int, default=2222, help="port to listen on (default: %(default)s)")
    ssh.add_argument(
        "--authorized-keys",
        metavar="DIR",
        type=Path,
        required=True,
        help="folder with one OpenSSH authorized_keys file per patient, named after their login name",
    )
    ssh.add_argument("--host-key", metavar="FILE", type=Path, help="the server's private host key, made if missing")
    ssh.add_argument("--users-dir", metavar="DIR", type=Path, help="where each patient's own files are kept")
    ssh.add_argument(
        "--max-connections",
        metavar="N",
        type=positive_int,
        default=10,
        help="patients connected at once (default: %(default)s)",
    )
    ssh.add_argument(
        "--idle-timeout",
        metavar="SECONDS",
        type=positive_number,
        default=1800,
        help="close a connection after this long without input (default: %(default)s)",
    )
    ssh.set_defaults(run=serve_ssh)

    web = kinds.add_parser(
        "web",
        help="kneetui in a browser through textual-serve",
        description="Serve kneetui in a browser. The page loads nothing from the network.",
    )
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    web.add_argument("--port", type=int, default=8000, help="port to listen on (default: %(default)s)")
    web.add_argument(
        "--public-url", metavar="URL", help="the address browsers use to reach it (default: http://HOST:PORT)"
    )
    web.set_defaults(run=serve_web)

"""The serving commands: ``serve ssh`` for patients' terminals and ``serve web`` for a browser."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kneetui.content.text import reason
from kneetui.storage import locations

if TYPE_CHECKING:
    from kneetui.serve.ssh_server import SshServeOptions


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


def absolute_path(text: str | Path) -> Path:
    """Made absolute at once: the server's children start in another folder, and a relative
    path would then name a different place."""
    return Path(os.path.abspath(Path(text).expanduser()))


def announce(line: str) -> None:
    print(line, flush=True)


def ssh_options(args: argparse.Namespace) -> SshServeOptions:
    from kneetui.serve.ssh_server import SshServeOptions, default_max_connections
    from kneetui.serve.terminal import ChildLimits

    return SshServeOptions(
        authorized_keys_dir=absolute_path(args.authorized_keys or locations.serve_keys_dir()),
        host_key_file=absolute_path(args.host_key or locations.serve_host_key_file()),
        users_dir=absolute_path(args.users_dir or locations.serve_users_dir()),
        state_dir=absolute_path(args.state_dir or locations.serve_dir()),
        audit_log=absolute_path(args.audit_log or locations.serve_audit_log()),
        host=args.host,
        port=args.port,
        max_connections=args.max_connections or default_max_connections(),
        max_per_patient=args.max_per_patient,
        max_unauthenticated_per_address=args.max_unauthenticated,
        idle_timeout=args.idle_timeout,
        child_limits=ChildLimits(memory_bytes=args.child_memory * 1024 * 1024, cpu_seconds=args.child_cpu_seconds),
        fork_server=not args.no_fork_server,
    )


def serve_ssh(args: argparse.Namespace, loaded: object = None) -> int:
    from kneetui.serve.host_key import HostKeyError
    from kneetui.serve.ssh_server import serve_ssh as run_server
    from kneetui.serve.trust import TrustError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    # asyncssh logs every packet-level step at INFO; the server's own lines are enough.
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    options = ssh_options(args)
    try:
        return asyncio.run(run_server(options, announce))
    except TrustError as error:
        print("kneetui: not starting; these paths must belong to the server's user alone:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
    except HostKeyError as error:
        print(f"kneetui: {error}", file=sys.stderr)
    except OSError as error:
        print(f"kneetui: cannot listen on {args.host} port {args.port}: {reason(error)}", file=sys.stderr)
    return 1


def serve_web(args: argparse.Namespace, loaded: object = None) -> int:
    from kneetui.serve.web import OfflinePageError, WebServeOptions, default_max_apps, is_loopback
    from kneetui.serve.web import serve_web as run_server

    if not is_loopback(args.host) and not args.allow_remote:
        print(
            f"kneetui: not listening on {args.host}: serve web has no encryption, so anyone on the network "
            "could read the token and what the patient sees. Put it behind a TLS proxy and pass --allow-remote "
            "if you mean it (see docs/serving.md).",
            file=sys.stderr,
        )
        return 1
    token = None
    if args.token_file:
        try:
            token = absolute_path(args.token_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            print(f"kneetui: cannot read --token-file {args.token_file}: {error}", file=sys.stderr)
            return 1
        if len(token) < 16:
            print("kneetui: the token in --token-file must be at least 16 characters", file=sys.stderr)
            return 1
    options = WebServeOptions(
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        home=absolute_path(args.home or locations.serve_web_home()),
        token=token,
        audit_log=absolute_path(args.audit_log or locations.serve_web_audit_log()),
        max_apps=args.max_apps or default_max_apps(),
        idle_timeout=args.idle_timeout,
    )
    try:
        run_server(options, announce)
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
        help="folder with one OpenSSH authorized_keys file per patient, named after their login name "
        "(default: serve/keys under the data dir)",
    )
    ssh.add_argument("--host-key", metavar="FILE", type=Path, help="the server's private host key, made if missing")
    ssh.add_argument("--users-dir", metavar="DIR", type=Path, help="where each patient's own files are kept")
    ssh.add_argument("--state-dir", metavar="DIR", type=Path, help="where the server notes who is connected")
    ssh.add_argument("--audit-log", metavar="FILE", type=Path, help="the audit log, rotated at 10 MB")
    ssh.add_argument(
        "--max-connections",
        metavar="N",
        type=positive_int,
        help="patients connected at once (default: from the host's memory, about 34 MiB each, half of it)",
    )
    ssh.add_argument(
        "--max-per-patient",
        metavar="N",
        type=positive_int,
        default=2,
        help="connections one patient may have at once (default: %(default)s)",
    )
    ssh.add_argument(
        "--max-unauthenticated",
        metavar="N",
        type=positive_int,
        default=10,
        help="connections from one address not yet logged in (default: %(default)s)",
    )
    ssh.add_argument(
        "--idle-timeout",
        metavar="SECONDS",
        type=positive_number,
        default=1800,
        help="close a connection after this long without input (default: %(default)s)",
    )
    ssh.add_argument(
        "--child-memory",
        metavar="MIB",
        type=positive_int,
        default=1024,
        help="address space each patient's kneetui may use, in MiB (default: %(default)s)",
    )
    ssh.add_argument(
        "--child-cpu-seconds",
        metavar="N",
        type=positive_int,
        default=3600,
        help="CPU time each patient's kneetui may use (default: %(default)s)",
    )
    ssh.add_argument(
        "--no-fork-server",
        action="store_true",
        help="start each patient's kneetui as a new interpreter instead of forking it from a pre-warmed one "
        "(slower logins, more memory; see docs/serving.md)",
    )
    ssh.set_defaults(run=serve_ssh, needs_plugins=False)

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
    web.add_argument(
        "--allow-remote",
        action="store_true",
        help="listen on an address other machines can reach (only behind a TLS proxy; see docs/serving.md)",
    )
    web.add_argument(
        "--token-file",
        metavar="FILE",
        type=Path,
        help="read the access token (16 characters or more) from FILE instead of making a new one at each start",
    )
    web.add_argument("--home", metavar="DIR", type=Path, help="the folder the served kneetui keeps its files in")
    web.add_argument(
        "--audit-log", metavar="FILE", type=Path, help="where refused requests are written, rotated at 10 MB"
    )
    web.add_argument(
        "--max-apps",
        metavar="N",
        type=positive_int,
        help="browser tabs running kneetui at once (default: from the host's memory, about 54 MiB each, half of it)",
    )
    web.add_argument(
        "--idle-timeout",
        metavar="SECONDS",
        type=positive_number,
        default=1800,
        help="end a tab's kneetui after this long without input (default: %(default)s)",
    )
    web.set_defaults(run=serve_web, needs_plugins=False)

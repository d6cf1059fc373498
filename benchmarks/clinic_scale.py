"""How many patients does ``kneetui serve ssh`` hold: memory, CPU and logins with 20 of them in a hold.

A real ``kneetui serve ssh`` on loopback, and asyncssh clients in this process, one per patient
(80x24, ``xterm-256color``). Each patient's folder starts with a ``config.toml`` that has read
the safety notice (``get_ready_seconds = 0``, ``animations = false``), so a login opens on Home.

1. The patients log in one after another, while those before them wait on Home; each login is
   timed from the start of the SSH connection to Home painted ("Start today's session"), and
   the CPU its kneetui had used by then is read from ``/proc/PID/stat``.
2. All of them are then driven at once to a guided hold (the sitting adductor stretch at its
   highest dose, 30 s a side): ``e``, Enter, ``g``, ``+`` to 30 s, Enter, and the safety check.
3. With every patient in the hold: PSS of each patient's kneetui (``/proc/PID/smaps_rollup``),
   plus the fork server's, shared among them; CPU over ``window`` seconds, of the patients'
   processes and of the server itself.
4. One more patient logs in and goes to the exercise library and back (``e``, Escape) 20
   times: time from the key sent to the new screen's text received, p95.

The same, in the same run, with ``--no-fork-server`` (each kneetui spawned as a new
interpreter, as before the fork server) is the reference.

    python -m benchmarks.clinic_scale [--patients 20] [--window 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import PYTHON, ROOT, Row, median, percentile, status
from benchmarks.terminal import plain_text

PSS_TARGET_MIB = 20.0
LOGIN_TARGET_SECONDS = 0.2
HOME = "Start today's session"
LIBRARY = "Any category"
#: Keys from Home to a running hold of 30 s a side, each with the text that shows it was handled.
KEYS_TO_HOLD = (
    ("e", LIBRARY),
    ("\r", "How to do it"),
    ("g", "Start at the low end"),
    ("+" * 15, "30 s"),
    ("\r", "How much does your knee hurt"),
    ("0", "[0]"),
    ("\r", "Is your knee swollen?"),
    ("n", "give way?"),
    ("n", "Exercise 1 of 1"),
)
ROUND_TRIPS = 20
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Patient:
    name: str
    home: Path
    connection: object = None
    process: object = None
    output: bytearray = field(default_factory=bytearray)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    mark: int = 0
    pid: int = 0
    #: Where the output stood just before the keys that open the session screen.
    session_start: int = 0

    async def pump(self) -> None:
        while data := await self.process.stdout.read(65536):  # type: ignore[attr-defined]
            self.output += data
            self.changed.set()

    async def wait_for(self, text: str, timeout: float = 60.0) -> float:
        """The moment ``text`` was first seen after the mark."""
        deadline = time.perf_counter() + timeout
        while text not in plain_text(bytes(self.output[self.mark :])):
            self.changed.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                tail = plain_text(bytes(self.output[self.mark :]))[-600:]
                raise RuntimeError(f"{self.name} never showed {text!r}; last: {tail!r}")
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                continue
        return time.perf_counter()

    def send(self, keys: str) -> None:
        self.mark = len(self.output)
        self.process.stdin.write(keys.encode())  # type: ignore[attr-defined]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def pss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no Pss line for pid {pid}")


def pid_with_home(home: Path) -> int:
    wanted = f"HOME={home}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if wanted in (entry / "environ").read_bytes().split(b"\0"):
                    return int(entry.name)
            except OSError:
                continue
    raise RuntimeError(f"no process has HOME={home}")


def prepare(root: Path, count: int, public_key: str) -> tuple[Path, Path, list[Patient]]:
    keys, users = root / "keys", root / "users"
    for folder in (keys, users):
        folder.mkdir(mode=0o700, parents=True)
    patients = []
    for number in range(count):
        name = f"patient{number:02d}"
        (keys / name).write_text(public_key)
        (keys / name).chmod(0o644)
        home = users / name
        config = home / "config" / "kneetui"
        config.mkdir(mode=0o700, parents=True)
        for folder in (home, home / "config"):
            folder.chmod(0o700)
        (config / "config.toml").write_text(
            "safety_acknowledged = true\nget_ready_seconds = 0\nanimations = false\n", encoding="utf-8"
        )
        patients.append(Patient(name, home))
    return keys, users, patients


def start_server(root: Path, keys: Path, users: Path, fork: bool) -> tuple[subprocess.Popen[bytes], int]:
    command = [
        PYTHON, "-m", "kneetui", "serve", "ssh", "--host", "127.0.0.1", "--port", "0",
        "--authorized-keys", str(keys), "--users-dir", str(users), "--host-key", str(root / "host_key"),
        "--audit-log", str(root / "audit.log"), "--state-dir", str(root / "state"), "--max-connections", "100",
        *([] if fork else ["--no-fork-server"]),
    ]  # fmt: skip
    log = (root / "server.log").open("wb")
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, cwd=ROOT)
    assert server.stdout is not None
    seen = b""
    deadline = time.monotonic() + 60
    while b"Host key fingerprint" not in seen:
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError(f"serve ssh did not start: {seen!r} {(root / 'server.log').read_text()[-500:]}")
        seen += server.stdout.readline()
    found = re.search(rb"listening on 127\.0\.0\.1 port (\d+)", seen)
    assert found is not None
    return server, int(found.group(1))


def fork_server_pid(root: Path) -> int | None:
    found = re.search(r"fork server ready \(pid (\d+)\)", (root / "server.log").read_text())
    return int(found.group(1)) if found else None


async def log_in(patient: Patient, port: int, key: object) -> tuple[float, float, float]:
    """Seconds from connecting to Home painted, of which the SSH handshake and login, and the
    CPU seconds the patient's kneetui used by Home."""
    import asyncssh

    started = time.perf_counter()
    patient.connection = await asyncssh.connect(
        "127.0.0.1",
        port,
        username=patient.name,
        client_keys=[key],
        known_hosts=None,
        agent_path=None,
        config=[],
    )
    logged_in = time.perf_counter()
    patient.process = await patient.connection.create_process(  # type: ignore[attr-defined]
        term_type="xterm-256color", term_size=(80, 24), encoding=None
    )
    pump = asyncio.ensure_future(patient.pump())
    patient.pump_task = pump  # type: ignore[attr-defined]
    at_home = await patient.wait_for(HOME)
    patient.pid = pid_with_home(patient.home)
    return at_home - started, logged_in - started, cpu_seconds(patient.pid)


async def to_the_hold(patient: Patient) -> None:
    for keys, shown in KEYS_TO_HOLD:
        patient.session_start = len(patient.output)
        patient.send(keys)
        await patient.wait_for(shown)


async def one_mode(fork: bool, count: int, window: float, round_trips: int = ROUND_TRIPS) -> dict:
    import asyncssh

    key = asyncssh.generate_private_key("ssh-ed25519")
    public = key.export_public_key().decode()
    with tempfile.TemporaryDirectory(prefix="kneetui-bench-clinic-") as folder:
        root = Path(folder)
        keys, users, patients = prepare(root, count + 1, public)
        extra = patients.pop()
        server, port = start_server(root, keys, users, fork)
        try:
            logins, handshakes, login_cpu = [], [], []
            for patient in patients:
                seconds, handshake, cpu = await log_in(patient, port, key)
                logins.append(seconds)
                handshakes.append(handshake)
                login_cpu.append(cpu)
            await asyncio.gather(*(to_the_hold(patient) for patient in patients))
            await asyncio.sleep(1.0)
            pids = [patient.pid for patient in patients]
            forker = fork_server_pid(root) if fork else None
            pss = [pss_bytes(pid) for pid in pids]
            forker_pss = pss_bytes(forker) if forker else 0
            cpu_before = [cpu_seconds(pid) for pid in pids]
            server_before = cpu_seconds(server.pid)
            started = time.perf_counter()
            await asyncio.sleep(window)
            elapsed = time.perf_counter() - started
            cpu_after = [cpu_seconds(pid) for pid in pids]
            server_after = cpu_seconds(server.pid)
            # The session screen is painted once; after that only what changes is sent.
            holding = sum("Hold" in plain_text(bytes(p.output[p.session_start :])) for p in patients)
            # One more patient, while the others hold: key to screen.
            seconds, _handshake, _cpu = await log_in(extra, port, key)
            trips = []
            for _ in range(round_trips):
                for keys, shown in (("e", LIBRARY), ("\x1b", HOME)):
                    extra.send(keys)
                    sent = time.perf_counter()
                    trips.append((await extra.wait_for(shown)) - sent)
                    await asyncio.sleep(0.05)
            for patient in [*patients, extra]:
                patient.connection.close()  # type: ignore[attr-defined]
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    hold_cpu = [(after - before) / elapsed for before, after in zip(cpu_before, cpu_after, strict=True)]
    return {
        "mode": "fork server" if fork else "spawned",
        "patients": count,
        "holding_at_the_end_of_the_window": holding,
        "login_seconds": [round(value, 4) for value in logins],
        "login_median_seconds": round(median(logins), 4),
        "login_cpu_seconds_median": round(median(login_cpu), 4),
        "ssh_login_seconds_median": round(median(handshakes), 4),
        "pss_mib_each": [round(value / 2**20, 2) for value in pss],
        "fork_server_pss_mib": round(forker_pss / 2**20, 2),
        "pss_mib_per_patient": round((sum(pss) + forker_pss) / count / 2**20, 2),
        "hold_cpu_percent_per_patient": round(100 * sum(hold_cpu) / count, 3),
        "server_cpu_percent_per_patient": round(100 * (server_after - server_before) / elapsed / count, 3),
        "extra_login_seconds": round(seconds, 4),
        "key_to_screen_ms": [round(value * 1000, 1) for value in trips],
        "key_to_screen_p95_ms": round(percentile(trips, 0.95) * 1000, 1),
        "key_to_screen_median_ms": round(median(trips) * 1000, 1),
    }


def measure(patients: int = 20, window: float = 10.0, round_trips: int = ROUND_TRIPS) -> dict:
    spawned = asyncio.run(one_mode(False, patients, window, round_trips))
    forked = asyncio.run(one_mode(True, patients, window, round_trips))
    return {
        "patients": patients,
        "window_seconds": window,
        "round_trips": round_trips,
        "spawned": spawned,
        "forked": forked,
    }


def rows(result: dict) -> list[Row]:
    forked, spawned = result["forked"], result["spawned"]
    count = result["patients"]
    pss, login = forked["pss_mib_per_patient"], forked["login_median_seconds"]
    return [
        Row(
            figure=f"PSS per patient, {count} in a hold over serve ssh",
            measured=pss,
            unit="MiB",
            reference=spawned["pss_mib_per_patient"],
            reference_name="each kneetui spawned as a new interpreter (--no-fork-server), same run",
            checked=f"{pss:.1f} MiB",
            target=f"≤ {PSS_TARGET_MIB:g} MiB",
            status=status(pss <= PSS_TARGET_MIB),
            note=(
                f"the fork server's own {forked['fork_server_pss_mib']:.1f} MiB shared among them; "
                f"CPU in the hold {forked['hold_cpu_percent_per_patient']:.2f}% of a core per patient "
                f"(+{forked['server_cpu_percent_per_patient']:.2f}% in the server), spawned "
                f"{spawned['hold_cpu_percent_per_patient']:.2f}% (+{spawned['server_cpu_percent_per_patient']:.2f}%)"
            ),
        ),
        Row(
            figure=f"Login to Home over serve ssh, median of {count}",
            measured=login * 1000,
            unit="ms",
            reference=spawned["login_median_seconds"] * 1000,
            reference_name="spawned (--no-fork-server), same run",
            checked=f"{login * 1000:.0f} ms",
            target=f"≤ {LOGIN_TARGET_SECONDS * 1000:.0f} ms",
            status=status(login <= LOGIN_TARGET_SECONDS),
            note=(
                f"one after another while the others wait; of which SSH handshake and login "
                f"{forked['ssh_login_seconds_median'] * 1000:.0f} ms; CPU of the patient's kneetui by Home "
                f"{forked['login_cpu_seconds_median'] * 1000:.0f} ms (spawned "
                f"{spawned['login_cpu_seconds_median'] * 1000:.0f} ms)"
            ),
        ),
        Row(
            figure=f"Key to screen over serve ssh with {count} others in a hold, p95",
            measured=forked["key_to_screen_p95_ms"],
            unit="ms",
            reference=spawned["key_to_screen_p95_ms"],
            reference_name="spawned (--no-fork-server), same run",
            checked=f"p95 {forked['key_to_screen_p95_ms']:.1f} ms",
            target="recorded",
            status="RECORDED",
            note=(
                f"{result['round_trips']} round trips Home → library → Home, key sent to text received; median "
                f"{forked['key_to_screen_median_ms']:.1f} ms (spawned {spawned['key_to_screen_median_ms']:.1f} ms)"
            ),
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=20)
    parser.add_argument("--window", type=float, default=10.0, help="seconds of the hold over which CPU is counted")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.patients, args.window), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

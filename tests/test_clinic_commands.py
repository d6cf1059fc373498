"""``kneetui clinic add | list | remove | sessions``, run as an operator would."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import asyncssh
import pytest

from kneetui.serve.clinic import (
    ENDING_SECONDS,
    SESSIONS_FILE,
    Clinic,
    ClinicError,
    SessionBoard,
    end_kneetuis,
    read_sessions,
    runs_in,
)
from kneetui.serve.patients import authorized_keys_for


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    return {"keys": tmp_path / "keys", "users": tmp_path / "users", "state": tmp_path / "state"}


def public_key(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.pub"
    path.write_bytes(asyncssh.generate_private_key("ssh-ed25519", comment=f"{name}@laptop").export_public_key())
    return path


def clinic_cli(folders, *args: str, env=None, stdin: str | None = None) -> subprocess.CompletedProcess:
    where = [
        "--authorized-keys", str(folders["keys"]), "--users-dir", str(folders["users"]),
        "--state-dir", str(folders["state"]),
    ]  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "kneetui", "clinic", *args, *where],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=60,
    )


def test_adding_a_patient_lists_their_key_and_makes_their_private_folder(folders, tmp_path, subprocess_env):
    key = public_key(tmp_path, "anna")
    result = clinic_cli(folders, "add", "anna", str(key), env=subprocess_env)
    assert result.returncode == 0, result.stderr
    assert "Added anna: 1 key" in result.stdout
    keys_file = folders["keys"] / "anna"
    assert keys_file.read_text().strip() == key.read_text().strip()
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((folders["users"] / "anna").stat().st_mode) == 0o700
    assert authorized_keys_for(folders["keys"], "anna").keys is not None, "the server accepts what add wrote"


def test_adding_a_second_device_appends_and_adding_the_same_key_again_changes_nothing(folders, tmp_path):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    laptop, phone = public_key(tmp_path, "laptop"), public_key(tmp_path, "phone")
    assert clinic.add("anna", laptop.read_text(), "laptop.pub")[1] == 1
    assert clinic.add("anna", phone.read_text(), "phone.pub")[1] == 1
    assert clinic.add("anna", laptop.read_text(), "laptop.pub")[1] == 0
    assert len(clinic.listed_keys("anna")) == 2


@pytest.mark.parametrize(
    ("name", "key_text", "said"),
    [
        ("../bob", None, "cannot be a patient's name"),
        ("Anna", None, "cannot be a patient's name"),
        ("anna", "not a key at all\n", "not an OpenSSH public key"),
        ("anna", "", "holds no public key"),
        ("anna", "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n", "is a private key"),
        ("anna", 'command="/bin/sh" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9u anna\n', None),
    ],
)
def test_add_refuses_bad_names_and_anything_but_public_keys(folders, tmp_path, name, key_text, said):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    text = key_text if key_text is not None else public_key(tmp_path, "k").read_text()
    with pytest.raises(ClinicError) as refused:
        clinic.add(name, text, "key.pub")
    if said:
        assert said in str(refused.value)
    assert not (folders["keys"] / "anna").exists()


def test_add_skips_comments_and_blank_lines_and_numbers_the_keys_it_refuses(folders, tmp_path):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    key = public_key(tmp_path, "laptop").read_text().strip()
    text = f'# Anna\'s devices\n\n   # her phone, later\n{key}\ncommand="/bin/sh" {key}\n'
    with pytest.raises(ClinicError) as refused:
        clinic.add("anna", text, "anna.pub")
    assert str(refused.value) == "anna.pub, key 2: a command= option would refuse every login"
    with pytest.raises(ClinicError, match=r"^anna\.pub holds no public key$"):
        clinic.add("anna", "# nothing here\n\n", "anna.pub")


def test_the_keys_and_users_folders_are_made_private_with_any_folder_above_them(tmp_path):
    clinic = Clinic(tmp_path / "srv" / "keys", tmp_path / "home" / "users", tmp_path / "state")
    # As when the clinic is set up by hand from a shell with the usual umask.
    before = os.umask(0o022)
    try:
        clinic.add("anna", public_key(tmp_path, "laptop").read_text(), "laptop.pub")
    finally:
        os.umask(before)
    for folder in ("srv", "srv/keys", "home", "home/users"):
        assert stat.S_IMODE((tmp_path / folder).stat().st_mode) == 0o700, folder
    assert stat.S_IMODE((tmp_path / "srv" / "keys" / "anna").stat().st_mode) == 0o600


def test_the_same_key_under_another_comment_is_not_listed_twice(folders, tmp_path):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    kind, body, _comment = public_key(tmp_path, "laptop").read_text().split()
    assert clinic.add("anna", f"{kind} {body} anna@laptop\n", "laptop.pub")[1] == 1
    assert clinic.add("anna", f"{kind} {body}\n", "bare.pub")[1] == 0
    assert clinic.add("anna", f"{kind} {body} renamed\n", "renamed.pub")[1] == 0
    assert clinic.listed_keys("anna") == [f"{kind} {body} anna@laptop"]


def test_listed_keys_are_the_key_lines_only(folders, tmp_path):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    key = public_key(tmp_path, "laptop").read_text().strip()
    folders["keys"].mkdir()
    (folders["keys"] / "anna").write_text(f"# Anna\n\n  # old phone\n{key}\n", encoding="utf-8")
    assert clinic.listed_keys("anna") == [key]


def test_add_reads_the_key_from_standard_input(folders, tmp_path, subprocess_env):
    key = public_key(tmp_path, "bob")
    result = clinic_cli(folders, "add", "bob", "-", env=subprocess_env, stdin=key.read_text())
    assert result.returncode == 0, result.stderr
    assert (folders["keys"] / "bob").exists()


def test_list_shows_each_patient_with_their_last_session(folders, tmp_path, subprocess_env):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    for name in ("anna", "bob"):
        clinic.add(name, public_key(tmp_path, name).read_text(), f"{name}.pub")
    folders["state"].mkdir()
    board = SessionBoard.open(folders["state"] / SESSIONS_FILE)
    board.started("127.0.0.1 port 1", "anna", "192.0.2.4", datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    board.ended("127.0.0.1 port 1", datetime(2026, 12, 1, 9, 30, tzinfo=UTC))
    result = clinic_cli(folders, "list", env=dict(subprocess_env, TZ="UTC"))
    assert result.returncode == 0, result.stderr
    anna, bob = result.stdout.splitlines()[1:]
    assert anna.split()[:2] == ["anna", "1"]
    assert "2026-12-01 09:00 to 2026-12-01 09:30 from 192.0.2.4" in anna
    assert bob.split() == ["bob", "1", "never"]


def test_sessions_shows_who_is_connected_now_and_since_when(folders, subprocess_env):
    folders["state"].mkdir(parents=True)
    # This test's own process stands in for a running server.
    board = SessionBoard.open(folders["state"] / SESSIONS_FILE)
    board.started("127.0.0.1 port 7", "anna", "192.0.2.4", datetime(2026, 12, 2, 8, 15, tzinfo=UTC))
    result = clinic_cli(folders, "sessions", env=dict(subprocess_env, TZ="UTC"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].split() == ["anna", "2026-12-02", "08:15", "192.0.2.4"]
    board.ended("127.0.0.1 port 7", datetime(2026, 12, 2, 8, 45, tzinfo=UTC))
    assert "Nobody is connected." in clinic_cli(folders, "sessions", env=subprocess_env).stdout


def test_sessions_says_when_the_server_is_not_running(folders, subprocess_env):
    folders["state"].mkdir(parents=True)
    (folders["state"] / SESSIONS_FILE).write_text(json.dumps({"server_pid": 2**22 + 1, "live": [], "last": {}}))
    result = clinic_cli(folders, "sessions", env=subprocess_env)
    assert "The SSH server is not running" in result.stdout


def test_remove_stops_the_login_and_keeps_the_data_aside(folders, tmp_path, subprocess_env):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    clinic.add("anna", public_key(tmp_path, "anna").read_text(), "anna.pub")
    (folders["users"] / "anna" / "history.sqlite3").write_text("her history")
    result = clinic_cli(folders, "remove", "anna", env=subprocess_env)
    assert result.returncode == 0, result.stderr
    assert not (folders["keys"] / "anna").exists()
    assert not (folders["users"] / "anna").exists()
    [kept] = (folders["users"] / ".removed").iterdir()
    assert kept.name.startswith("anna-") and (kept / "history.sqlite3").read_text() == "her history"
    assert str(kept) in result.stdout
    assert [patient.name for patient in clinic.patients()] == []


def test_remove_with_delete_data_deletes_it(folders, tmp_path, subprocess_env):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    clinic.add("bob", public_key(tmp_path, "bob").read_text(), "bob.pub")
    result = clinic_cli(folders, "remove", "bob", "--delete-data", env=subprocess_env)
    assert result.returncode == 0, result.stderr
    assert not (folders["users"] / "bob").exists() and not (folders["users"] / ".removed").exists()


def connected_now(folders, name: str, pid: int = 0) -> SessionBoard:
    """The board as a running server (this test process) keeps it while ``name`` is connected."""
    board = SessionBoard.open(folders["state"] / SESSIONS_FILE)
    board.started("192.0.2.4 port 50000", name, "192.0.2.4", datetime(2026, 12, 3, 10, 0, tzinfo=UTC))
    if pid:
        board.running("192.0.2.4 port 50000", pid)
    return board


def stand_in_kneetui(home: Path, ignore_hangup: bool = False) -> subprocess.Popen:
    """A process served in ``home`` as the server starts each kneetui: its own process group and session."""
    code = "import signal, time\n"
    code += "signal.signal(signal.SIGHUP, signal.SIG_IGN)\n" if ignore_hangup else ""
    code += "print('ready', flush=True)\ntime.sleep(60)\n"
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        env={"KNEETUI_SERVED_HOME": str(home), "PATH": os.environ.get("PATH", "")},
        start_new_session=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    return process


def test_removing_a_connected_patient_is_refused_and_changes_nothing(folders, tmp_path, subprocess_env):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    clinic.add("anna", public_key(tmp_path, "anna").read_text(), "anna.pub")
    connected_now(folders, "anna")
    result = clinic_cli(folders, "remove", "anna", env=subprocess_env)
    assert result.returncode == 1
    assert "anna is connected now (since 2026-12-03T10:00:00+00:00, from 192.0.2.4)" in result.stderr
    assert "--force" in result.stderr
    assert (folders["keys"] / "anna").exists() and (folders["users"] / "anna").is_dir()


def test_removing_a_connected_patient_with_force_ends_their_kneetui_before_moving_their_folder(folders, tmp_path):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    clinic.add("anna", public_key(tmp_path, "anna").read_text(), "anna.pub")
    home = folders["users"] / "anna"
    running = stand_in_kneetui(home)
    try:
        connected_now(folders, "anna", running.pid)
        seen: list[bool] = []

        def end(pids: list[int], served_home: Path) -> list[int]:
            seen.append(home.is_dir() and not (folders["keys"] / "anna").exists())
            return end_kneetuis(pids, served_home)

        aside = clinic.remove("anna", delete_data=False, force=True, end=end)
        assert seen == [True], "keys removed first, folder still in place while ending"
        assert running.wait(timeout=10) == -signal.SIGHUP
        assert aside is not None and aside.is_dir() and not home.exists()
    finally:
        running.kill()
        running.wait()


def test_with_force_a_kneetui_still_starting_is_waited_for_and_ended_too(folders, tmp_path):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    clinic.add("anna", public_key(tmp_path, "anna").read_text(), "anna.pub")
    home = folders["users"] / "anna"
    board = connected_now(folders, "anna")  # logged in; their kneetui has no process id yet
    running = stand_in_kneetui(home)
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds
        if now[0] >= 0.2:  # the server starts their kneetui a moment later
            board.running("192.0.2.4 port 50000", running.pid)

    try:
        aside = clinic.remove("anna", delete_data=False, force=True, clock=lambda: now[0], sleep=sleep)
        assert running.wait(timeout=10) == -signal.SIGHUP
        assert aside is not None and aside.is_dir() and not home.exists()
        assert 0.2 <= now[0] < 1, "waited only until it had a process id"
    finally:
        running.kill()
        running.wait()


def test_with_force_a_login_that_never_starts_kneetui_delays_the_removal_only_a_little(folders, tmp_path):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    clinic.add("anna", public_key(tmp_path, "anna").read_text(), "anna.pub")
    connected_now(folders, "anna")  # e.g. connected without asking for a terminal
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    aside = clinic.remove("anna", delete_data=False, force=True, clock=lambda: now[0], sleep=sleep)
    assert aside is not None and not (folders["users"] / "anna").exists()
    assert ENDING_SECONDS <= now[0] < ENDING_SECONDS + 0.1


def test_a_kneetui_that_ignores_the_hangup_is_killed_after_the_grace(tmp_path):
    home = tmp_path / "users" / "anna"
    running = stand_in_kneetui(home, ignore_hangup=True)
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds
        # Reaped as the server would; a signal takes a moment to land, whatever the clock says.
        with contextlib.suppress(subprocess.TimeoutExpired):
            running.wait(timeout=0.05)

    try:
        assert end_kneetuis([running.pid], home, grace=1.0, clock=lambda: now[0], sleep=sleep) == []
        assert running.wait(timeout=10) == -signal.SIGKILL
        assert 1.0 <= sum(slept) <= 1.2, "SIGKILL only once the grace had passed"
    finally:
        running.kill()
        running.wait()


def test_a_process_not_served_in_the_patients_folder_is_never_signalled(tmp_path):
    other = stand_in_kneetui(tmp_path / "users" / "bob")
    try:
        assert not runs_in(other.pid, tmp_path / "users" / "anna")
        assert runs_in(other.pid, tmp_path / "users" / "bob")
        assert end_kneetuis([other.pid, 0], tmp_path / "users" / "anna") == []
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


def test_removing_someone_who_is_not_there_says_so(folders, subprocess_env):
    result = clinic_cli(folders, "remove", "nobody", env=subprocess_env)
    assert result.returncode == 1 and "there is no patient 'nobody'" in result.stderr


def test_relative_folders_are_made_absolute(tmp_path, subprocess_env):
    key = public_key(tmp_path, "anna")
    result = subprocess.run(
        [sys.executable, "-m", "kneetui", "clinic", "add", "anna", "anna.pub", "--authorized-keys", "k", "--users-dir", "u"],
        capture_output=True, text=True, cwd=tmp_path, env=subprocess_env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"Their folder: {tmp_path / 'u' / 'anna'}" in result.stdout
    assert key.exists() and os.path.isfile(tmp_path / "k" / "anna")


def test_with_no_sessions_file_no_one_is_connected_and_the_server_is_not_running(folders):
    sessions = Clinic(folders["keys"], folders["users"], folders["state"]).sessions()
    assert (sessions.live, sessions.last, sessions.server_running) == ([], {}, False)


def test_a_second_key_is_written_on_its_own_line_and_a_key_listed_without_a_comment_is_known(folders, tmp_path):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    kind, body, _comment = public_key(tmp_path, "laptop").read_text().split()
    phone = public_key(tmp_path, "phone").read_text().strip()
    clinic.add("anna", f"{kind} {body}\n", "bare.pub")
    assert clinic.add("anna", f"{kind} {body} anna@laptop\n", "laptop.pub")[1] == 0
    clinic.add("anna", phone, "phone.pub")
    assert (folders["keys"] / "anna").read_text(encoding="utf-8") == f"{kind} {body}\n{phone}\n"


def test_a_session_that_ends_becomes_the_patients_last_and_an_unknown_one_changes_nothing(folders):
    board = SessionBoard.open(folders["state"] / SESSIONS_FILE)
    board.started("c1", "anna", "10.0.0.7", datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    board.ended("c1", datetime(2026, 12, 2, 9, 20, tzinfo=UTC))
    board.ended("c1", datetime(2026, 12, 2, 9, 30, tzinfo=UTC))
    last = board.last["anna"]
    assert (last.user, last.peer, last.since) == ("anna", "10.0.0.7", "2026-12-02T09:00:00+00:00")
    assert board.live == {}
    again = Clinic(folders["keys"], folders["users"], folders["state"]).sessions()
    assert again.last["anna"] == last, "what the server saved is what the clinic reads"
    assert SessionBoard.open(folders["state"] / SESSIONS_FILE).last == {"anna": last}


def test_the_patients_are_everyone_with_a_keys_file_or_a_folder_and_only_a_running_server_connects_them(
    folders, tmp_path
):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    clinic.add("carl", public_key(tmp_path, "carl").read_text(), "carl.pub")
    (folders["keys"] / "anna").write_text(public_key(tmp_path, "anna").read_text())
    (folders["users"] / "bob").mkdir()
    (folders["users"] / "lost+found").mkdir()
    board = SessionBoard.open(folders["state"] / SESSIONS_FILE)
    board.started("c0", "carl", "10.0.0.8", datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    board.ended("c0", datetime(2026, 12, 1, 8, 30, tzinfo=UTC))
    board.started("c1", "anna", "10.0.0.7", datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    carls = board.last["carl"]
    listing = [(p.name, p.keys, p.has_folder, p.last, p.connected) for p in clinic.patients()]
    assert listing == [("anna", 1, False, None, True), ("bob", 0, True, None, False), ("carl", 1, True, carls, False)]
    # The same file left by a server that is gone: nobody is connected.
    document = json.loads(board.path.read_text())
    board.path.write_text(json.dumps({**document, "server_pid": 0}))
    assert [p.connected for p in clinic.patients()] == [False, False, False]


def test_a_keys_file_of_exactly_64_kib_is_written_and_one_byte_more_is_refused(folders, tmp_path):
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    kind, body, _ = public_key(tmp_path, "laptop").read_text().split()
    new = public_key(tmp_path, "phone").read_text().strip()
    folders["keys"].mkdir(parents=True)
    fixed = len(f"{kind} {body} \n{new}\n".encode())
    (folders["keys"] / "anna").write_text(f"{kind} {body} {'c' * (65536 - fixed)}\n")
    assert clinic.add("anna", new, "phone.pub")[1] == 1
    assert (folders["keys"] / "anna").stat().st_size == 65536
    (folders["keys"] / "bob").write_text(f"{kind} {body} {'c' * (65537 - fixed)}\n")
    with pytest.raises(ClinicError, match="would be larger than 64 KiB"):
        clinic.add("bob", new, "phone.pub")


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe not text",
        b"[]",
        b'{"server_pid": "a pid", "live": [], "last": {}}',
        b'{"server_pid": 1, "live": [{"user": "anna", "peer": "10.0.0.7", "since": "x", "extra": 1}]}',
        b'{"server_pid": 1, "last": {"anna": ["anna"]}}',
    ],
    ids=["not-json", "not-utf-8", "a-list", "a-pid-that-is-no-number", "an-unknown-field", "a-record-not-a-mapping"],
)
def test_a_sessions_file_that_cannot_be_read_shows_nobody_and_no_server(folders, content):
    folders["state"].mkdir()
    (folders["state"] / SESSIONS_FILE).write_bytes(content)
    sessions = Clinic(folders["keys"], folders["users"], folders["state"]).sessions()
    assert (sessions.live, sessions.last, sessions.server_running) == ([], {}, False)


def test_a_sessions_file_may_leave_out_what_it_has_none_of(folders):
    folders["state"].mkdir()
    path = folders["state"] / SESSIONS_FILE
    record = {"user": "anna", "peer": "10.0.0.7", "since": "2026-12-02T09:00:00+00:00"}
    path.write_text(json.dumps({"server_pid": os.getpid(), "live": [record]}))
    clinic = Clinic(folders["keys"], folders["users"], folders["state"])
    assert (clinic.sessions().live[0].user, clinic.sessions().last, clinic.sessions().server_running) == (
        "anna",
        {},
        True,
    )
    path.write_text(json.dumps({"last": {"anna": record}}))
    sessions = clinic.sessions()
    assert (sessions.live, sessions.last["anna"].peer, sessions.server_running) == ([], "10.0.0.7", False)


def test_a_starting_server_replaces_who_a_gone_server_left_connected_and_keeps_their_last_sessions(folders):
    folders["state"].mkdir()
    path = folders["state"] / SESSIONS_FILE
    record = {"user": "anna", "peer": "10.0.0.7", "since": "2026-12-02T09:00:00+00:00"}
    path.write_text(json.dumps({"server_pid": 0, "live": [record], "last": {"bob": {**record, "user": "bob"}}}))
    board = SessionBoard.open(path)
    sessions = read_sessions(path)
    assert (sessions.live, list(sessions.last), sessions.server_running) == ([], ["bob"], True)
    assert board.live == {}


def test_a_server_that_is_process_1_is_running(folders):
    # As the only process of a container, the server is process 1.
    folders["state"].mkdir()
    (folders["state"] / SESSIONS_FILE).write_text(json.dumps({"server_pid": 1, "live": [], "last": {}}))
    assert Clinic(folders["keys"], folders["users"], folders["state"]).sessions().server_running

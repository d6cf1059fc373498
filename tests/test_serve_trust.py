"""What ``serve ssh`` refuses to trust before it starts, checked in this process (kneetui.serve.trust)."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest

from kneetui.serve import trust
from kneetui.serve.trust import Kind, ServerPaths, TrustError, distrust, user_name

ME = pwd.getpwuid(os.geteuid()).pw_name


def folder(path: Path, mode: int = 0o755) -> Path:
    path.mkdir()
    path.chmod(mode)
    return path


def file(path: Path, mode: int = 0o644) -> Path:
    path.write_text("x")
    path.chmod(mode)
    return path


def test_a_missing_path_is_named(tmp_path):
    assert distrust(tmp_path / "gone", Kind.FOLDER) == f"{tmp_path / 'gone'} does not exist"


@pytest.mark.parametrize("kind", [Kind.FOLDER, Kind.FILE])
def test_a_link_is_refused_whatever_it_points_to(tmp_path, kind):
    target = folder(tmp_path / "real") if kind is Kind.FOLDER else file(tmp_path / "real")
    link = tmp_path / "link"
    link.symlink_to(target)
    assert distrust(link, kind) == (
        f"{link} is a symbolic link; kneetui follows no links here. Put the real {kind.value} at {link} (mv its target there)."
    )


def test_a_file_where_a_folder_belongs_and_the_other_way_round(tmp_path):
    assert distrust(file(tmp_path / "f"), Kind.FOLDER) == f"{tmp_path / 'f'} is not a folder"
    assert distrust(folder(tmp_path / "d"), Kind.FILE) == f"{tmp_path / 'd'} is not a regular file"
    assert distrust(tmp_path / "f", Kind.FILE) is None
    assert distrust(tmp_path / "d", Kind.FOLDER) is None


def test_a_path_of_another_user_names_both_users_and_the_chown(tmp_path, monkeypatch):
    path = folder(tmp_path / "keys")
    # The server runs as a user with no name; the folder stays its real owner's.
    monkeypatch.setattr(trust.os, "geteuid", lambda: 987654)
    assert distrust(path, Kind.FOLDER) == (
        f"{path} belongs to {ME}, not to 987654 who runs the server; run 'chown 987654 {path}'"
    )


def test_a_user_without_a_name_is_shown_by_number():
    assert user_name(os.geteuid()) == ME
    assert user_name(987654) == "987654"


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o740, 0o704, 0o710, 0o701])
def test_a_private_folder_anyone_else_can_use_is_refused(tmp_path, mode):
    path = folder(tmp_path / "users", mode)
    assert distrust(path, Kind.FOLDER, private=True) == (
        f"{path} can be used by other users (mode {mode:04o}); run 'chmod 700 {path}'"
    )


@pytest.mark.parametrize("mode", [0o640, 0o604])
def test_a_private_file_anyone_else_can_read_is_refused(tmp_path, mode):
    path = file(tmp_path / "host_key", mode)
    assert distrust(path, Kind.FILE, private=True) == (
        f"{path} can be used by other users (mode {mode:04o}); run 'chmod 600 {path}'"
    )


def test_private_paths_only_their_owner_uses_are_trusted(tmp_path):
    assert distrust(folder(tmp_path / "users", 0o700), Kind.FOLDER, private=True) is None
    assert distrust(file(tmp_path / "host_key", 0o600), Kind.FILE, private=True) is None


@pytest.mark.parametrize("mode", [0o775, 0o757, 0o765, 0o756])
def test_a_path_others_can_change_is_refused(tmp_path, mode):
    path = folder(tmp_path / "keys", mode)
    assert (
        distrust(path, Kind.FOLDER)
        == f"{path} can be changed by other users (mode {mode:04o}); run 'chmod go-w {path}'"
    )


def test_a_path_others_can_only_read_is_trusted_when_not_private(tmp_path):
    assert distrust(folder(tmp_path / "keys", 0o755), Kind.FOLDER) is None
    assert distrust(file(tmp_path / "audit.log", 0o644), Kind.FILE) is None


def test_a_trust_error_keeps_each_problem_and_says_them_a_line_each():
    error = TrustError(["one", "two"])
    assert error.problems == ["one", "two"]
    assert str(error) == "one\ntwo"


def server_paths(root: Path) -> ServerPaths:
    return ServerPaths(
        keys_dir=folder(root / "keys"),
        users_dir=folder(root / "users", 0o700),
        host_key=root / "host_key",
        state_dir=folder(root / "state"),
        audit_log=folder(root / "log") / "audit.log",
    )


def is_patient(name: str) -> bool:
    return name.startswith("patient")


def test_a_fresh_server_folder_has_nothing_to_distrust(tmp_path):
    assert server_paths(tmp_path).problems(is_patient) == []


def test_every_problem_of_the_server_paths_is_listed_in_order(tmp_path):
    paths = server_paths(tmp_path)
    paths.keys_dir.chmod(0o777)
    paths.users_dir.chmod(0o750)
    paths.state_dir.chmod(0o775)
    paths.audit_log.parent.chmod(0o757)
    file(paths.host_key, 0o644)
    file(paths.audit_log, 0o666)
    assert paths.problems(is_patient) == [
        f"{paths.keys_dir} can be changed by other users (mode 0777); run 'chmod go-w {paths.keys_dir}'",
        f"{paths.users_dir} can be used by other users (mode 0750); run 'chmod 700 {paths.users_dir}'",
        f"{paths.state_dir} can be changed by other users (mode 0775); run 'chmod go-w {paths.state_dir}'",
        f"{paths.audit_log.parent} can be changed by other users (mode 0757); "
        f"run 'chmod go-w {paths.audit_log.parent}'",
        f"{paths.host_key} can be used by other users (mode 0644); run 'chmod 600 {paths.host_key}'",
        f"{paths.audit_log} can be changed by other users (mode 0666); run 'chmod go-w {paths.audit_log}'",
    ]


def test_a_host_key_or_audit_log_that_is_a_dangling_link_is_refused(tmp_path):
    paths = server_paths(tmp_path)
    paths.host_key.symlink_to(tmp_path / "nowhere")
    paths.audit_log.symlink_to(tmp_path / "nowhere")
    problems = paths.problems(is_patient)
    assert [problem.split(" is ")[0] for problem in problems] == [str(paths.host_key), str(paths.audit_log)]
    assert all("symbolic link" in problem for problem in problems)


def test_a_patients_keys_file_and_folder_are_checked_and_other_names_left_alone(tmp_path):
    paths = server_paths(tmp_path)
    file(paths.keys_dir / "patient-a", 0o664)
    file(paths.keys_dir / "README", 0o666)
    folder(paths.users_dir / "patient-a", 0o755)
    folder(paths.users_dir / "lost+found", 0o777)
    file(paths.keys_dir / "patient-b", 0o644)
    folder(paths.users_dir / "patient-b", 0o700)
    assert paths.problems(is_patient) == [
        f"{paths.keys_dir / 'patient-a'} can be changed by other users (mode 0664); "
        f"run 'chmod go-w {paths.keys_dir / 'patient-a'}'",
        f"{paths.users_dir / 'patient-a'} can be used by other users (mode 0755); "
        f"run 'chmod 700 {paths.users_dir / 'patient-a'}'",
    ]


def test_a_patients_keys_folder_and_users_file_are_the_wrong_kind(tmp_path):
    paths = server_paths(tmp_path)
    folder(paths.keys_dir / "patient-a")
    file(paths.users_dir / "patient-a", 0o600)
    assert paths.problems(is_patient) == [
        f"{paths.keys_dir / 'patient-a'} is not a regular file",
        f"{paths.users_dir / 'patient-a'} is not a folder",
    ]


def test_missing_folders_are_named_once_and_their_entries_not_looked_for(tmp_path):
    paths = ServerPaths(
        keys_dir=tmp_path / "keys",
        users_dir=tmp_path / "users",
        host_key=tmp_path / "host_key",
        state_dir=folder(tmp_path / "state"),
        audit_log=folder(tmp_path / "log") / "audit.log",
    )
    assert paths.problems(is_patient) == [f"{tmp_path / 'keys'} does not exist", f"{tmp_path / 'users'} does not exist"]


def test_a_missing_keys_folder_does_not_stop_the_patients_folders_being_checked(tmp_path):
    paths = ServerPaths(
        keys_dir=tmp_path / "keys",
        users_dir=folder(tmp_path / "users", 0o700),
        host_key=tmp_path / "host_key",
        state_dir=folder(tmp_path / "state"),
        audit_log=folder(tmp_path / "log") / "audit.log",
    )
    folder(paths.users_dir / "patient-a", 0o750)
    assert paths.problems(is_patient) == [
        f"{tmp_path / 'keys'} does not exist",
        f"{paths.users_dir / 'patient-a'} can be used by other users (mode 0750); "
        f"run 'chmod 700 {paths.users_dir / 'patient-a'}'",
    ]


def test_the_problems_of_many_patients_are_listed_by_name(tmp_path):
    paths = server_paths(tmp_path)
    names = ["patient-c", "patient-a", "patient-e", "patient-b", "patient-d"]
    for name in names:
        file(paths.keys_dir / name, 0o666)
    assert [problem.split()[0] for problem in paths.problems(is_patient)] == [
        str(paths.keys_dir / name) for name in sorted(names)
    ]


def test_a_server_folder_that_is_a_link_or_a_file_is_refused_as_a_folder(tmp_path):
    paths = server_paths(folder(tmp_path / "real"))
    linked = ServerPaths(
        keys_dir=tmp_path / "keys",
        users_dir=paths.users_dir,
        host_key=paths.host_key,
        state_dir=tmp_path / "state",
        audit_log=tmp_path / "log" / "audit.log",
    )
    linked.keys_dir.symlink_to(paths.keys_dir)
    file(linked.state_dir)
    (tmp_path / "log").symlink_to(paths.audit_log.parent)
    assert linked.problems(is_patient) == [
        f"{linked.keys_dir} is a symbolic link; kneetui follows no links here. "
        f"Put the real folder at {linked.keys_dir} (mv its target there).",
        f"{linked.state_dir} is not a folder",
        f"{tmp_path / 'log'} is a symbolic link; kneetui follows no links here. "
        f"Put the real folder at {tmp_path / 'log'} (mv its target there).",
    ]

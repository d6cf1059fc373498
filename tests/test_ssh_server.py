"""``kneetui serve ssh``, driven by the real OpenSSH client as a patient would use it."""

from __future__ import annotations

import stat
from pathlib import Path

import asyncssh
import pytest

from kneetui.serve.host_key import HostKeyError, load_or_create_host_key
from kneetui.serve.patients import PatientHome, authorized_keys_for, is_valid_user_name


def test_the_host_key_is_made_once_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "serve" / "host_key"
    made = load_or_create_host_key(path)
    assert made.created
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_or_create_host_key(path)
    assert not again.created
    assert again.fingerprint == made.fingerprint


def test_a_host_key_others_can_read_is_refused(tmp_path):
    path = tmp_path / "host_key"
    load_or_create_host_key(path)
    path.chmod(0o640)
    with pytest.raises(HostKeyError, match="chmod 600"):
        load_or_create_host_key(path)


@pytest.mark.parametrize("name", ["anna", "_svc", "ole-2", "a" * 32])
def test_plain_login_names_are_valid(name):
    assert is_valid_user_name(name)


@pytest.mark.parametrize("name", ["", "..", "../anna", "anna/..", "Anna", "anna.old", "-anna", "a" * 33, "an na"])
def test_login_names_that_could_be_paths_are_not_valid(name):
    assert not is_valid_user_name(name)
    assert authorized_keys_for(Path("/nonexistent"), name).keys is None
    with pytest.raises(ValueError):
        PatientHome.of(Path("/users"), name)


def test_a_keys_file_others_can_change_is_not_trusted(tmp_path):
    listed = tmp_path / "keys" / "anna"
    listed.parent.mkdir()
    listed.write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_public_key())
    assert authorized_keys_for(listed.parent, "anna").keys is not None
    listed.chmod(0o666)
    lookup = authorized_keys_for(listed.parent, "anna")
    assert lookup.keys is None
    assert "changed by other users" in lookup.problem

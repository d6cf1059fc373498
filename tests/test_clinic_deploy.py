"""What ships in docs/deploy: the systemd unit and the fail2ban filter, checked against the real tools and the real log."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kneetui.serve.audit import AuditLog, client_text

DEPLOY = Path(__file__).parent.parent / "docs" / "deploy"
UNIT = DEPLOY / "kneetui-ssh.service"
FILTER = DEPLOY / "fail2ban-filter.conf"


def unit_directives() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_the_unit_runs_the_server_as_its_own_user_with_the_hardening_asked_for():
    directives = unit_directives()
    assert directives["User"] == ["kneetui"]
    for key, value in {
        "UMask": "0077",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "NoNewPrivileges": "yes",
    }.items():
        assert directives[key] == [value], key
    assert "MemoryMax" in directives and "TasksMax" in directives
    assert any(path.endswith("/serve/keys") for path in directives["ReadOnlyPaths"])
    assert "serve ssh" in directives["ExecStart"][0]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_unit_passes_systemd_analyze_verify(tmp_path):
    # verify insists that ExecStart's program exists: point it at this kneetui instead of /opt/kneetui.
    installed = Path(sys.executable).parent / "kneetui"
    unit = tmp_path / UNIT.name
    unit.write_text(UNIT.read_text().replace("/opt/kneetui/bin/kneetui", str(installed)))
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def sample_log(path: Path) -> list[tuple[str, str | None]]:
    """Writes lines through the real AuditLog; each line's expected banned address (None: not counted)."""
    audit = AuditLog.to_file(path, name="kneetui.audit.sample")
    events = [
        (("login", "127.0.0.1", 50000), {"user": "anna", "key": "SHA256:abc"}, None),
        (("auth-failed", "203.0.113.7", 50001), {"user": "anna", "key": "SHA256:d", "reason": "key-not-listed"}, "203.0.113.7"),
        (("auth-failed", "203.0.113.8", 50002), {"user": client_text("x peer=6.6.6.6 port=1 "), "key": "SHA256:d"}, "203.0.113.8"),
        (("auth-too-many", "203.0.113.9", 50006), {"user": "anna", "limit": 6}, "203.0.113.9"),
        (("abandoned", "2001:db8::1", 50003), {"user": "-"}, "2001:db8::1"),
        (("too-many-unauthenticated", "198.51.100.2", 50004), {"limit": 10}, "198.51.100.2"),
        (("refused", "127.0.0.1", 50005), {"user": "anna", "asked": "command"}, None),
        (("logout", "127.0.0.1", 50000), {"user": "anna", "duration": "5s"}, None),
    ]  # fmt: skip
    for (what, host, port), fields, _ in events:
        audit.event(what, host, port, **fields)
    audit.close()
    return [(what, banned) for (what, _, _), _, banned in events]


def filter_regex() -> re.Pattern[str]:
    """The filter's failregex as Python sees it, with fail2ban's <HOST> as a named group."""
    text = FILTER.read_text()
    failregex = re.search(r"^failregex = (.+)$", text, re.MULTILINE).group(1)
    return re.compile(failregex.replace("<HOST>", r"(?P<host>\S+)"))


def test_the_filter_counts_failures_against_the_servers_own_record_of_the_address(tmp_path):
    log = tmp_path / "audit.log"
    expected = sample_log(log)
    pattern = filter_regex()
    lines = log.read_text().splitlines()
    assert len(lines) == len(expected)
    for line, (_what, banned) in zip(lines, expected, strict=True):
        # fail2ban cuts the date off first.
        found = pattern.search(re.sub(r"^\S+", "", line, count=1))
        assert (found.group("host") if found else None) == banned, line


@pytest.mark.skipif(shutil.which("fail2ban-regex") is None, reason="fail2ban is not installed")
def test_fail2ban_regex_bans_exactly_the_failing_addresses(tmp_path):
    log = tmp_path / "audit.log"
    expected = sample_log(log)
    result = subprocess.run(
        ["fail2ban-regex", "-o", "ip", str(log), str(FILTER)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [banned for _, banned in expected if banned]


def test_values_a_client_chose_cannot_pose_as_another_field():
    assert client_text("anna") == "anna"
    assert client_text("x peer=6.6.6.6") == '"x?peer=6.6.6.6"'
    assert client_text('a"b\\c\nd\0') == '"a?b?c?d?"'
    assert client_text("z" * 100).endswith('..."')


def test_the_audit_log_is_rotated(tmp_path):
    from kneetui.serve import audit as audit_module

    handler_sizes = []
    log = AuditLog.to_file(tmp_path / "audit.log", name="kneetui.audit.rotation")
    for handler in logging.getLogger("kneetui.audit.rotation").handlers:
        handler_sizes.append((handler.maxBytes, handler.backupCount))
        handler.maxBytes = 500
    for number in range(40):
        log.event("login", "127.0.0.1", number, user="anna", key="SHA256:abc")
    log.close()
    assert handler_sizes == [(audit_module.ROTATE_BYTES, audit_module.ROTATE_KEEP)]
    assert (tmp_path / "audit.log.1").exists()


def test_a_closed_audit_log_lets_go_of_its_file(tmp_path):
    log = AuditLog.to_file(tmp_path / "audit.log", name="kneetui.audit.closing")
    log.event("login", "127.0.0.1", 1, user="anna")
    log.close()
    assert logging.getLogger("kneetui.audit.closing").handlers == []
    log.event("logout", "127.0.0.1", 1, user="anna")
    assert [line.split(": ", 1)[1] for line in (tmp_path / "audit.log").read_text().splitlines()] == [
        "login peer=127.0.0.1 port=1 user=anna"
    ]


def test_an_audit_log_opened_again_writes_only_to_its_new_file_and_closes_the_old_one(tmp_path):
    first = AuditLog.to_file(tmp_path / "first.log", name="kneetui.audit.reopened")
    [old] = logging.getLogger("kneetui.audit.reopened").handlers
    second = AuditLog.to_file(tmp_path / "second.log", name="kneetui.audit.reopened")
    second.event("login", "127.0.0.1", 1, user="anna")
    second.close()
    first.close()
    assert old.stream is None, "the first file was closed"
    assert (tmp_path / "first.log").read_text() == ""
    assert [line.split(": ", 1)[1] for line in (tmp_path / "second.log").read_text().splitlines()] == [
        "login peer=127.0.0.1 port=1 user=anna"
    ]

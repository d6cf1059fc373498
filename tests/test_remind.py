"""kneetui remind: install, list, fire and remove reminders, with stand-ins for the schedulers.

Every scheduler command is a stand-in from tests/fake_bin on a PATH of its own,
and every folder is a temporary one, so the real user's crontab, units and
LaunchAgents are never touched.
"""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from history_samples import chronic_doses, record_session

from kneetui.history.store import open_history_store
from kneetui.plugin_host.loader import load_plugins
from kneetui.reminders.calendar_file import programme_calendar
from kneetui.reminders.schedulers import ReminderTime
from kneetui.storage import locations

FAKE_BIN = Path(__file__).parent / "fake_bin"
#: What the stand-ins themselves need from the system.
TOOLS = ("sh", "cat", "rm", "mkdir", "ln", "id")


def remind_env(subprocess_env: dict[str, str], tmp_path: Path, *fakes: str, systemd: bool = False) -> dict[str, str]:
    """An environment whose PATH holds only the stand-ins named and the tools they need."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in TOOLS:
        found = shutil.which(tool)
        if found and not (bin_dir / tool).exists():
            (bin_dir / tool).symlink_to(found)
    for fake in fakes:
        (bin_dir / fake).symlink_to(FAKE_BIN / fake)
    runtime = tmp_path / "runtime"
    runtime.mkdir(exist_ok=True)
    if systemd:
        (runtime / "systemd").mkdir()
    env = dict(subprocess_env)
    env.update(
        PATH=str(bin_dir),
        XDG_RUNTIME_DIR=str(runtime),
        FAKE_CRONTAB_FILE=str(tmp_path / "crontab.txt"),
        FAKE_SYSTEMCTL_LOG=str(tmp_path / "systemctl.log"),
        FAKE_LAUNCHCTL_LOG=str(tmp_path / "launchctl.log"),
        FAKE_NOTIFY_LOG=str(tmp_path / "notify.log"),
    )
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    return env


def kneetui(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kneetui", *args], check=False, capture_output=True, text=True, env=env, timeout=60
    )


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_with_cron_a_reminder_is_one_line_and_removing_it_leaves_no_crontab(subprocess_env, tmp_path):
    env = remind_env(subprocess_env, tmp_path, "crontab")
    added = kneetui("remind", "add", "--at", "18:30", env=env)
    assert added.returncode == 0, added.stderr
    assert "run by cron" in added.stdout and "add this line to your ~/.profile" in added.stdout
    table = (tmp_path / "crontab.txt").read_text()
    [line] = table.splitlines()
    assert line.startswith("30 18 * * * ") and line.endswith("# kneetui-reminder kneetui-reminder-1830")
    assert "-m kneetui remind fire" in line and f"XDG_DATA_HOME={env['XDG_DATA_HOME']}" in line

    listed = kneetui("remind", "list", env=env)
    assert "18:30" in listed.stdout and "cron" in listed.stdout

    removed = kneetui("remind", "remove", env=env)
    assert removed.returncode == 0 and "Removed the reminder at 18:30 (cron)" in removed.stdout
    assert not (tmp_path / "crontab.txt").exists(), "no crontab before, so none after"
    assert "No reminders are installed" in kneetui("remind", "list", env=env).stdout


def test_with_cron_the_users_own_lines_are_kept(subprocess_env, tmp_path):
    env = remind_env(subprocess_env, tmp_path, "crontab")
    mine = "0 3 * * * backup --all  # mine\n"
    (tmp_path / "crontab.txt").write_text(mine)
    assert kneetui("remind", "add", "--at", "7:05", env=env).returncode == 0
    assert kneetui("remind", "add", "--at", "19:00", env=env).returncode == 0
    lines = (tmp_path / "crontab.txt").read_text().splitlines()
    assert lines[0] == mine.strip() and len(lines) == 3 and lines[1].startswith("5 7 * * * ")
    assert kneetui("remind", "remove", "--at", "07:05", env=env).returncode == 0
    lines = (tmp_path / "crontab.txt").read_text().splitlines()
    assert lines[0] == mine.strip() and len(lines) == 2 and lines[1].startswith("0 19 * * * ")
    assert kneetui("remind", "remove", env=env).returncode == 0
    assert (tmp_path / "crontab.txt").read_text() == mine


def test_where_systemd_runs_the_session_a_persistent_timer_is_installed_and_removed(subprocess_env, tmp_path):
    env = remind_env(subprocess_env, tmp_path, "systemctl", "crontab", systemd=True)
    config = Path(env["XDG_CONFIG_HOME"])
    before = files_under(config)
    added = kneetui("remind", "add", "--at", "08:00", env=env)
    assert added.returncode == 0, added.stderr
    units = config / "systemd" / "user"
    timer = (units / "kneetui-reminder-0800.timer").read_text()
    service = (units / "kneetui-reminder-0800.service").read_text()
    assert "OnCalendar=*-*-* 08:00:00" in timer and "Persistent=true" in timer and "WantedBy=timers.target" in timer
    assert "Type=oneshot" in service and "-m kneetui remind fire" in service
    assert (units / "timers.target.wants" / "kneetui-reminder-0800.timer").is_symlink()
    assert not (tmp_path / "crontab.txt").exists()
    calls = (tmp_path / "systemctl.log").read_text().splitlines()
    assert calls == ["--user daemon-reload", "--user enable --now kneetui-reminder-0800.timer"]

    assert "systemd" in kneetui("remind", "list", env=env).stdout
    removed = kneetui("remind", "remove", "--at", "08:00", env=env)
    assert removed.returncode == 0, removed.stderr
    assert files_under(config) == before, "removing leaves nothing behind"
    assert "--user disable --now kneetui-reminder-0800.timer" in (tmp_path / "systemctl.log").read_text()


def test_on_macos_a_launch_agent_is_written_and_removed(subprocess_env, tmp_path):
    env = remind_env(subprocess_env, tmp_path, "launchctl")
    added = kneetui("remind", "add", "--at", "21:15", "--scheduler", "launchd", env=env)
    assert added.returncode == 0, added.stderr
    agent = Path(env["HOME"]) / "Library" / "LaunchAgents" / "org.kneetui.reminder.2115.plist"
    loaded = plistlib.loads(agent.read_bytes())
    assert loaded["StartCalendarInterval"] == {"Hour": 21, "Minute": 15}
    assert loaded["ProgramArguments"][-3:] == ["kneetui", "remind", "fire"]
    assert loaded["Label"] == "org.kneetui.reminder.2115"
    assert (tmp_path / "launchctl.log").read_text() == f"load -w {agent}\n"
    assert kneetui("remind", "remove", env=env).returncode == 0
    assert not agent.exists() and f"unload -w {agent}" in (tmp_path / "launchctl.log").read_text()


def test_without_any_scheduler_the_calendar_file_is_offered(subprocess_env, tmp_path):
    env = remind_env(subprocess_env, tmp_path)
    refused = kneetui("remind", "add", "--at", "18:00", env=env)
    assert refused.returncode == 1 and "kneetui remind ics -o FILE" in refused.stderr


def test_a_wrong_time_is_refused(subprocess_env, tmp_path):
    env = remind_env(subprocess_env, tmp_path, "crontab")
    result = kneetui("remind", "add", "--at", "25:00", env=env)
    assert result.returncode == 2 and "is not a time like 08:00" in result.stderr
    assert not (tmp_path / "crontab.txt").exists()


def test_removing_a_time_that_is_not_installed_says_so(subprocess_env, tmp_path):
    env = remind_env(subprocess_env, tmp_path, "crontab")
    result = kneetui("remind", "remove", "--at", "09:00", env=env)
    assert result.returncode == 1 and "no reminder at 09:00 is installed" in result.stderr


def test_firing_with_a_desktop_shows_a_notification_when_a_session_is_due(subprocess_env, tmp_path):
    env = remind_env(subprocess_env, tmp_path, "notify-send")
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent-test-bus"
    fired = kneetui("remind", "fire", env=env)
    assert fired.returncode == 0, fired.stderr
    assert "Shown on the desktop" in fired.stdout
    shown = (tmp_path / "notify.log").read_text()
    assert "--app-name=kneetui kneetui Your knee exercises are due today (Chronic pain" in shown


def test_firing_without_a_desktop_leaves_one_line_for_the_next_login(subprocess_env, tmp_path):
    env = remind_env(subprocess_env, tmp_path, "notify-send")
    fired = kneetui("remind", "fire", env=env)
    assert fired.returncode == 0 and "left for the next terminal login" in fired.stdout
    assert not (tmp_path / "notify.log").exists()
    first = kneetui("remind", "pending", env=env)
    assert first.stdout.startswith("kneetui reminder, ") and "Your knee exercises are due today" in first.stdout
    assert kneetui("remind", "pending", env=env).stdout == "", "the line is shown once"
    assert not (Path(env["XDG_STATE_HOME"]) / "kneetui").exists(), "nothing is left behind once it is shown"


def test_removing_the_last_reminder_takes_away_a_line_still_waiting(subprocess_env, tmp_path):
    env = remind_env(subprocess_env, tmp_path, "crontab")
    assert kneetui("remind", "add", "--at", "06:00", env=env).returncode == 0
    assert "left for the next terminal login" in kneetui("remind", "fire", env=env).stdout
    assert kneetui("remind", "remove", env=env).returncode == 0
    assert not (Path(env["XDG_STATE_HOME"]) / "kneetui").exists() and not (tmp_path / "crontab.txt").exists()


def test_firing_on_a_day_already_done_reminds_of_nothing(subprocess_env, tmp_path):
    with open_history_store(locations.history_file()).store as store:
        record_session(store, date.today(), chronic_doses(0), 3, 2)
    env = remind_env(subprocess_env, tmp_path, "notify-send")
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent-test-bus"
    fired = kneetui("remind", "fire", env=env)
    assert fired.returncode == 0 and "Nothing to remind of today (done today)" in fired.stdout
    assert not (tmp_path / "notify.log").exists()


def test_the_calendar_file_repeats_at_the_programmes_frequency(subprocess_env, tmp_path):
    target = tmp_path / "knee.ics"
    written = kneetui("remind", "ics", "--at", "07:45", "-o", str(target), env=subprocess_env)
    assert written.returncode == 0, written.stderr
    [event] = icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert event["RRULE"]["FREQ"] == ["DAILY"] and event["RRULE"]["INTERVAL"] == [2]
    start = event.decoded("DTSTART")
    assert (start.date(), start.hour, start.minute) == (date.today(), 7, 45) and start.tzinfo is None
    assert "Knee exercises: Chronic pain" in str(event["SUMMARY"])
    assert "consult a healthcare professional" in str(event["DESCRIPTION"])
    assert event.walk("VALARM")[0]["ACTION"] == "DISPLAY"
    again = kneetui("remind", "ics", "-o", str(target), env=subprocess_env)
    assert again.returncode == 1 and "use --force" in again.stderr


def test_a_daily_programme_repeats_every_day_from_the_day_given():
    catalog = load_plugins().catalog
    data = programme_calendar(
        catalog.program("acute"), catalog, date(2026, 3, 16), 18, 0, datetime(2026, 3, 15, tzinfo=UTC)
    )
    [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert event["RRULE"]["INTERVAL"] == [1] and event.decoded("DTSTART") == datetime(2026, 3, 16, 18, 0)
    assert event.decoded("DURATION") == timedelta(minutes=20)


@pytest.mark.parametrize(
    ("text", "time"), [("08:00", ReminderTime(8, 0)), ("7:05", ReminderTime(7, 5)), ("23:59", ReminderTime(23, 59))]
)
def test_reminder_times_are_read_as_a_person_writes_them(text, time):
    assert ReminderTime.parse(text) == time


@pytest.mark.parametrize("text", ["24:00", "8", "08:60", "8h00", ""])
def test_other_times_are_refused(text):
    with pytest.raises(ValueError, match="is not a time like 08:00"):
        ReminderTime.parse(text)


def test_nothing_is_installed_until_asked(subprocess_env, tmp_path):
    env = remind_env(subprocess_env, tmp_path, "crontab", "systemctl", systemd=True)
    home = Path(env["HOME"])
    before = files_under(home)
    for command in (["remind", "list"], ["remind", "fire"], ["remind", "pending"], ["remind", "remove"]):
        assert kneetui(*command, env=env).returncode == 0
    after = [name for name in files_under(home) if not name.startswith("state")]
    assert after == [name for name in before if not name.startswith("state")]
    assert not (tmp_path / "crontab.txt").exists() and not os.path.exists(tmp_path / "systemctl.log")


def test_a_failed_add_at_a_time_already_set_keeps_the_reminder_that_worked(subprocess_env, tmp_path):
    env = remind_env(subprocess_env, tmp_path, "systemctl", "crontab", systemd=True)
    units = Path(env["XDG_CONFIG_HOME"]) / "systemd" / "user"
    assert kneetui("remind", "add", "--at", "08:00", env=env).returncode == 0
    working = {path.name: path.read_text() for path in units.glob("kneetui-reminder-0800.*")}
    failing = kneetui("remind", "add", "--at", "08:00", env={**env, "FAKE_SYSTEMCTL_FAIL": "enable"})
    assert failing.returncode == 1 and "Traceback" not in failing.stderr
    assert {path.name: path.read_text() for path in units.glob("kneetui-reminder-0800.*")} == working
    assert "08:00" in kneetui("remind", "list", env=env).stdout


@pytest.mark.parametrize(
    ("scheduler", "stand_ins", "failing"),
    [
        ("launchd", (), {}),  # launchctl is not installed (Linux)
        ("launchd", ("launchctl",), {"FAKE_LAUNCHCTL_FAIL": "load"}),
        ("systemd", (), {}),  # systemctl is not installed
        ("systemd", ("systemctl",), {"FAKE_SYSTEMCTL_FAIL": "enable"}),
    ],
)
def test_a_failed_add_leaves_no_file_and_no_folder_behind(subprocess_env, tmp_path, scheduler, stand_ins, failing):
    env = remind_env(subprocess_env, tmp_path, *stand_ins, systemd=True)
    home = Path(env["HOME"])
    before = [name for name in files_under(home) if not name.startswith("state")]
    refused = kneetui("remind", "add", "--at", "07:45", "--scheduler", scheduler, env={**env, **failing})
    assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
    after = [name for name in files_under(home) if not name.startswith("state")]
    assert after == before
    assert "07:45" not in kneetui("remind", "list", env=env).stdout

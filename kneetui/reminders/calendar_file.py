"""The programme as a repeating calendar event (iCalendar, RFC 5545) that any calendar app can import."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import icalendar

from kneetui.content.catalog import Catalog
from kneetui.content.model import Program
from kneetui.history.adherence import INTERVAL_DAYS

#: How long the event is shown in a calendar; the programme's real length depends on the doses chosen.
EVENT_MINUTES = 20
SAFETY_LINE = (
    "If you experience increased pain during or after exercises, stop immediately and consult a "
    "healthcare professional."
)


def programme_calendar(program: Program, catalog: Catalog, first: date, hour: int, minute: int, now: datetime) -> bytes:
    """One event on ``first`` at ``hour:minute`` (local time), repeating at the programme's frequency, with an alarm.

    ``now`` (timezone-aware) stamps the file.
    """
    lines = [program.description, ""]
    for number, step in enumerate(program.steps, 1):
        exercise = catalog.exercise(step.exercise_id)
        name = exercise.name if exercise else step.exercise_id
        dose = step.dose.describe() if step.dose else exercise.dosage.describe() if exercise else ""
        lines.append(f"{number}. {name}" + (f" - {dose}" if dose else ""))
    lines += ["", SAFETY_LINE, "Start the session with: kneetui"]

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//kneetui//programme reminders//EN")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    # The same id each time, so importing a newer file updates the event instead of adding a second.
    event.add("uid", f"{program.id}.programme@kneetui")
    event.add("dtstamp", now)
    # Floating local time: 18:00 stays 18:00 wherever the person is and across daylight saving.
    event.add("dtstart", datetime.combine(first, time(hour, minute)))
    event.add("duration", timedelta(minutes=EVENT_MINUTES))
    event.add("summary", f"Knee exercises: {program.name}")
    event.add("description", "\n".join(lines))
    event.add("rrule", {"freq": "daily", "interval": INTERVAL_DAYS[program.frequency]})
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Knee exercises: {program.name}")
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    calendar.add_component(event)
    text: bytes = calendar.to_ical()
    return text

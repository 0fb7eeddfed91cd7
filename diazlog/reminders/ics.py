"""The dose calendar as iCalendar text (RFC 5545), built with icalendar 7.

Private by default: titles are generic ("Dose reminder", "Plan changes today") and
descriptions empty; medicine names and amounts appear only with `names=True`. Times are
wall-clock times in the user's zone, written with its VTIMEZONE, so a phone shows 08:00 on
both sides of a clock change. Imported only when a calendar is written (not by the app).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from diazlog.domain.units import amount_text
from diazlog.domain.visible_text import one_line
from diazlog.reminders.schedule import Plan, days_between, uid

DOSE_MINUTES = 15  # how long a dose event lasts on the calendar
EVENING_BEFORE = timedelta(hours=4)  # an all-day event's alarm 4 h before it: 20:00 the day before
DOSE_TITLE = "Dose reminder"
STEP_TITLE = "Plan changes today"
VISIT_TITLE = "Doctor's appointment"
VISIT_ALARM = "Doctor's appointment tomorrow: take your report"
CHECK_IN_TITLE = "Log your day in diazlog"


@dataclass(frozen=True)
class CalendarOptions:
    """What the user chose with `diazlog calendar` (kept in the diary for the rewrites)."""

    zone: str
    before: int = 0  # minutes before the dose the alarm rings
    names: bool = False
    check_in: str | None = None  # "HH:MM": a daily reminder to log the day


def _alarm(text: str, before: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", -before)
    return alarm


def _at(day: str, hhmm: str, zone: ZoneInfo) -> datetime:
    """The wall time `hhmm` on `day` in `zone` (a time the clocks skip is read with the offset
    before the gap, as RFC 5545 says calendars read it)."""
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(hhmm), tzinfo=zone)


def build(plan: Plan, options: CalendarOptions, salt: str, stamp: datetime) -> bytes:
    """The whole calendar for `plan` (see the module doc); `stamp` is DTSTAMP (UTC)."""
    zone = ZoneInfo(options.zone)
    calendar = Calendar.new(
        prodid="-//diazlog//reminders//EN", name="diazlog", uid=uid(salt, "calendar")
    )
    before = timedelta(minutes=options.before)
    for dose in plan.doses:
        start = _at(dose.day, dose.time, zone)
        title = DOSE_TITLE
        description = ""
        if options.names:
            what = f"{one_line(dose.name)} {amount_text(dose.amount, dose.unit)}"
            title = f"{DOSE_TITLE}: {what}"
            description = f"{what} at {dose.time}"
        event = Event.new(
            uid=uid(salt, "dose", dose.medication_id, dose.day, dose.time),
            summary=title,
            start=start,
            end=start + timedelta(minutes=DOSE_MINUTES),
            stamp=stamp,
        )
        if description:
            event.add("description", description)
        event.add_component(_alarm(title, before))
        calendar.add_component(event)
    for day in plan.step_days:
        first = date.fromisoformat(day)
        event = Event.new(
            uid=uid(salt, "step", day),
            summary=STEP_TITLE,
            start=first,
            end=first + timedelta(days=1),
            stamp=stamp,
        )
        if options.names:
            event.add("description", _step_text(plan, day))
        calendar.add_component(event)
    for visit in plan.appointments:
        first = date.fromisoformat(visit.date)
        event = Event.new(
            uid=uid(salt, "visit", visit.id, visit.date),
            summary=VISIT_TITLE,
            start=first,
            end=first + timedelta(days=1),
            stamp=stamp,
        )
        if options.names and visit.with_whom.strip():
            event.add("description", f"With {one_line(visit.with_whom)}")
        event.add_component(_alarm(VISIT_ALARM, EVENING_BEFORE))
        calendar.add_component(event)
    if options.check_in is not None:
        _add_check_in(calendar, plan, options, salt, stamp, zone)
    first, last = date.fromisoformat(plan.start), date.fromisoformat(plan.end)
    calendar.add_missing_timezones(first - timedelta(days=7), last + timedelta(days=7))
    return calendar.to_ical()


def _step_text(plan: Plan, day: str) -> str:
    """With --names: the doses of a step day, "Diazepam 2.5 mg at 08:00, …"."""
    doses = [d for d in plan.doses if d.day == day]
    if not doses:
        return "No planned doses from today"
    return "From today: " + ", ".join(
        f"{one_line(d.name)} {amount_text(d.amount, d.unit)} at {d.time}" for d in doses
    )


def _add_check_in(
    calendar: Calendar,
    plan: Plan,
    options: CalendarOptions,
    salt: str,
    stamp: datetime,
    zone: ZoneInfo,
) -> None:
    """One daily event (a rule, not one per day) at the check-in time across the window."""
    assert options.check_in is not None
    days = days_between(plan.start, plan.end)
    if not days:
        return
    start = _at(days[0], options.check_in, zone)
    event = Event.new(
        uid=uid(salt, "check-in"),
        summary=CHECK_IN_TITLE,
        start=start,
        end=start + timedelta(minutes=DOSE_MINUTES),
        stamp=stamp,
    )
    event.add("rrule", {"freq": "daily", "count": len(days)})
    event.add_component(_alarm(CHECK_IN_TITLE, timedelta(0)))
    calendar.add_component(event)

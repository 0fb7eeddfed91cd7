"""Keep the reminder files in step with the diary: one refresh after every committed write.

`diazlog calendar --out FILE` and `diazlog remind --install` remember, in the diary's
settings, what to keep written (the calendar's path and options; that the desktop schedule
is wanted) and for which diary file. After any write transaction commits (store/
transactions.py calls the hook the command line and the app register), `refresh` rebuilds
the plan of the coming weeks and rewrites a file whose content would change: so a step
added in the app or with `diazlog plan`, a usual time changed, an appointment set, an
import or a restore all reach the phone's calendar. A copy of the diary at another path
(a backup, a scratch copy) never writes the files: the diary path must match.

Cheap when nothing changed: a few small reads and a comparison with what this process
last wrote. icalendar is imported only to write a calendar.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from diazlog.reminders.schedule import Plan, expand, window_end

if TYPE_CHECKING:
    from sqlite_utils import Database

    from diazlog.reminders.ics import CalendarOptions

CALENDAR_KEY = "reminders.calendar"  # JSON: path, diary, zone, before, names, check_in, weeks
DESKTOP_KEY = "reminders.desktop"  # JSON: diary, timer (the unit file, None for crontab)
SALT_KEY = "reminders.salt"  # random; makes UIDs this diary's own without naming a path
DEFAULT_WEEKS = 8
SCHEDULE_WEEKS = 8

# What this process last wrote to each file: (plan, options), to skip needless rewrites.
_written: dict[str, object] = {}


@dataclass(frozen=True)
class CalendarSetting:
    path: str
    diary: str
    zone: str
    before: int = 0
    names: bool = False
    check_in: str | None = None
    weeks: int = DEFAULT_WEEKS

    @property
    def options(self) -> CalendarOptions:
        from diazlog.reminders.ics import CalendarOptions

        return CalendarOptions(self.zone, self.before, self.names, self.check_in)


def diary_file(db: Database) -> Path | None:
    """The file `db` has open (None for an in-memory database)."""
    for row in db.conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2]).resolve()
    return None


def local_zone() -> str:
    """The user's IANA time zone: $TZ when it names one, else /etc/localtime's, else UTC."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    named = os.environ.get("TZ", "").lstrip(":")
    candidates = [named] if named else []
    try:
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        try:
            ZoneInfo(name)
            return name
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return "UTC"


def state_folder() -> Path:
    """Where the schedule files live ($XDG_STATE_HOME/diazlog on Linux)."""
    from platformdirs import user_state_path

    return user_state_path("diazlog", appauthor=False)


def salt(db: Database) -> str:
    """The diary's UID salt, made on first use (inside the write that enables reminders)."""
    from diazlog.store.queries.settings import get_setting, set_setting

    found = get_setting(db, SALT_KEY)
    if found:
        return found
    made = secrets.token_hex(16)
    set_setting(db, SALT_KEY, made)
    return made


def calendar_setting(db: Database) -> CalendarSetting | None:
    from diazlog.store.queries.settings import get_setting

    text = get_setting(db, CALENDAR_KEY)
    if not text:
        return None
    try:
        return CalendarSetting(**json.loads(text))
    except (TypeError, ValueError):
        return None  # not ours to repair: `diazlog calendar --out` sets it again


def remember_calendar(db: Database, setting: CalendarSetting) -> None:
    from diazlog.store.queries.settings import set_setting

    set_setting(db, CALENDAR_KEY, json.dumps(asdict(setting)))


def forget_calendar(db: Database) -> CalendarSetting | None:
    """`diazlog calendar --off`: stop rewriting; returns what was remembered."""
    from diazlog.store.queries.settings import delete_setting

    found = calendar_setting(db)
    delete_setting(db, CALENDAR_KEY)
    if found is not None:
        _written.pop(found.path, None)
    return found


def desktop_setting(db: Database) -> tuple[str, str | None] | None:
    """(diary, timer unit path or None) that `remind --install` remembered."""
    from diazlog.store.queries.settings import get_setting

    text = get_setting(db, DESKTOP_KEY)
    try:
        data = json.loads(text) if text else None
        return (str(data["diary"]), data.get("timer")) if data else None
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def remember_desktop(db: Database, diary: Path, timer: Path | None) -> None:
    from diazlog.store.queries.settings import set_setting

    data = {"diary": str(diary), "timer": str(timer) if timer else None}
    set_setting(db, DESKTOP_KEY, json.dumps(data))


def forget_desktop(db: Database) -> None:
    from diazlog.store.queries.settings import delete_setting

    delete_setting(db, DESKTOP_KEY)


def plan_ahead(db: Database, today: date, weeks: int) -> Plan:
    """The reminders from `today` for `weeks` (or to the plan's last step), from the diary."""
    from diazlog.store.queries.appointments import next_appointment
    from diazlog.store.queries.medications import list_medications
    from diazlog.store.queries.taper import list_steps

    steps = list_steps(db)
    start = today.isoformat()
    visit = next_appointment(db)
    return expand(
        start,
        window_end(start, weeks, steps),
        list_medications(db),
        steps,
        [visit] if visit is not None else [],
    )


def write_calendar(db: Database, setting: CalendarSetting, now: datetime) -> Plan:
    """Write the calendar file now (whole, 0600); raises OSError."""
    plan = plan_ahead(db, now.date(), setting.weeks)
    _calendar_file(plan, setting, salt(db), now)
    return plan


def _calendar_file(plan: Plan, setting: CalendarSetting, uid_salt: str, now: datetime) -> None:
    """Build and write the calendar (no database: may run in a thread); raises OSError."""
    from diazlog.reminders.ics import build
    from diazlog.store.file.atomic import write_atomically

    data = build(plan, setting.options, uid_salt, now.astimezone(UTC))
    write_atomically(Path(setting.path), data)
    _written[setting.path] = (plan, setting)


def write_schedule(db: Database, diary: Path, now: datetime) -> Path:
    """Write the times-only schedule of `diary` for `remind --now`; returns its path."""
    return _schedule_file(plan_ahead(db, now.date(), SCHEDULE_WEEKS), diary)


def _schedule_file(plan: Plan, diary: Path) -> Path:
    """Write the schedule when it changed (no database: may run in a thread)."""
    from diazlog.reminders.schedule_file import from_plan, schedule_path, to_bytes
    from diazlog.store.file.atomic import write_atomically

    folder = state_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = schedule_path(folder, diary)
    schedule = from_plan(plan)
    if _written.get(str(path)) != schedule or not path.exists():
        write_atomically(path, to_bytes(schedule))
        _written[str(path)] = schedule
    return path


# A file write the refresh decided on: runs without the database; returns a line to say
# when the file could not be written (or the user must do something), else None.
Job = Callable[[], "str | None"]


def refresh_jobs(db: Database, now: datetime) -> list[Job]:
    """Read what the remembered reminder files of this diary need (a few small reads, on
    the connection's thread) and return the writes to make, for files whose content
    changed. The writes need no database, so the app runs them in a thread."""
    here = diary_file(db)
    if here is None or not _remembers_any(db):
        return []
    jobs: list[Job] = []
    setting = calendar_setting(db)
    if setting is not None and setting.diary == str(here):
        plan = plan_ahead(db, now.date(), setting.weeks)
        if _written.get(setting.path) != (plan, setting) or not Path(setting.path).exists():
            jobs.append(_calendar_job(plan, setting, salt(db), now))
    desktop = desktop_setting(db)
    if desktop is not None and desktop[0] == str(here):
        plan = plan_ahead(db, now.date(), SCHEDULE_WEEKS)
        jobs.append(_schedule_job(plan, here, desktop[1]))
    return jobs


def _calendar_job(plan: Plan, setting: CalendarSetting, uid_salt: str, now: datetime) -> Job:
    def job() -> str | None:
        try:
            _calendar_file(plan, setting, uid_salt, now)
        except OSError as exc:
            return f"the calendar {setting.path} was not updated: {exc.strerror or exc}"
        return None

    return job


def _schedule_job(plan: Plan, diary: Path, timer: str | None) -> Job:
    def job() -> str | None:
        try:
            path = _schedule_file(plan, diary)
            if timer is not None and _timer_follows(path, Path(timer)):
                return (
                    "your dose times changed: run `systemctl --user daemon-reload` "
                    "so the reminder timer follows"
                )
        except OSError as exc:
            return f"the reminder schedule was not updated: {exc.strerror or exc}"
        return None

    return job


def refresh(db: Database, now: datetime) -> list[str]:
    """Rewrite the remembered reminder files of this diary whose content changed, now;
    returns a line for each that could not be written (nothing saved is affected)."""
    return [line for job in refresh_jobs(db, now) if (line := job()) is not None]


def _remembers_any(db: Database) -> bool:
    """Whether this database keeps any reminder file (one indexed read). A database without
    the settings table (not a diary: a test's, a half-built copy) keeps none."""
    from diazlog.store.file import sqlerrors

    try:
        row = db.conn.execute(
            "SELECT 1 FROM settings WHERE key IN (?, ?) LIMIT 1", [CALENDAR_KEY, DESKTOP_KEY]
        ).fetchone()
    except sqlerrors.OperationalError:
        return False
    return row is not None


def _timer_follows(schedule: Path, timer: Path) -> bool:
    """Rewrite an installed timer whose times are not the schedule's; True when rewritten."""
    from diazlog.reminders.schedule_file import read
    from diazlog.reminders.units import timer_text
    from diazlog.store.file.atomic import write_atomically

    if not timer.exists():
        return False  # removed by hand, or crontab: nothing to follow
    times = sorted({t for _, run in read(schedule).runs for t in run})
    text = timer_text(times)
    if not times or timer.read_text(encoding="utf-8") == text:
        return False
    write_atomically(timer, text.encode())
    return True


def install_hook(
    report: Callable[[str], None],
    clock: Callable[[], datetime] | None = None,
    run: Callable[[Callable[[], None]], None] | None = None,
) -> None:
    """After every committed write in this process: refresh, and report what failed.
    `clock`: the app's (tests fix it); the shell's is `now` above. `run`: where the file
    writes go (the app's thread worker); by default they are made at once."""
    from diazlog.store.file.transactions import AFTER_COMMIT, after_commit

    for old in [h for h in AFTER_COMMIT if getattr(h, "diazlog_reminders", False)]:
        AFTER_COMMIT.remove(old)  # one refresh, with the latest reporter

    def hook(db: Database) -> None:
        if getattr(_refreshing, "on", False):
            return
        _refreshing.on = True
        try:
            jobs = refresh_jobs(db, (clock or datetime.now)())
        except Exception as exc:  # the save is committed: say what was not updated, go on
            report(f"the reminder files were not updated: {exc}")
            return
        finally:
            _refreshing.on = False
        if not jobs:
            return

        def write() -> None:
            for job in jobs:
                try:
                    line = job()
                except Exception as exc:  # as above: said, never raised into the save
                    line = f"the reminder files were not updated: {exc}"
                if line is not None:
                    report(line)

        (run or _at_once)(write)

    hook.diazlog_reminders = True  # type: ignore[attr-defined]
    after_commit(hook)


def _at_once(write: Callable[[], None]) -> None:
    write()


# Per thread: the salt's own write must not start a refresh inside a refresh.
_refreshing = threading.local()

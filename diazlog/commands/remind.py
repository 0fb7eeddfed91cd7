"""`diazlog remind`: desktop notifications at the planned times, without the app open.

`--install` writes the times-only schedule file (reminders/schedule_file.py) and a systemd
user timer with one OnCalendar= per planned time (or prints crontab lines where there are
no systemd user sessions); the timer runs `remind --now`, which notifies of a dose due in
the last 15 minutes that is not logged. On an encrypted diary without its passphrase file
the schedule's times alone are used ("not logged" is checked only where the diary can be
read). No notification service: one line, exit 2, never a reminder silently lost.
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import datetime, timedelta
from pathlib import Path

import click

from diazlog.commands.echo import echo
from diazlog.commands.support import db_for, fail, now

WINDOW = timedelta(minutes=15)  # a dose due this long ago or less is still reminded of
TITLE = "Dose reminder"


@click.command("remind")
@click.option("--now", "run_now", is_flag=True, help="Notify of a dose due in the last 15 minutes.")
@click.option("--install", is_flag=True, help="Set up the timer that runs `remind --now`.")
@click.option("--uninstall", is_flag=True, help="Remove the timer and the schedule file.")
@click.option("--cron", is_flag=True, help="With --install: print crontab lines instead.")
@click.option("--systemd", is_flag=True, help="With --install: write systemd units regardless.")
@click.option("--at", "at_text", hidden=True, help="Tests: the moment to check (ISO).")
@click.pass_context
def command(
    ctx: click.Context,
    run_now: bool,
    install: bool,
    uninstall: bool,
    cron: bool,
    systemd: bool,
    at_text: str | None,
) -> None:
    """Desktop notifications at your planned dose times, without the app open.

    \b
    diazlog remind --install      a systemd user timer (or crontab lines) at each dose time
    diazlog remind --now          what the timer runs: notify of a dose due, not logged
    diazlog remind --uninstall    remove the timer and the schedule file
    Notifications say "Dose reminder" and the time, never a medicine name or amount.
    """
    chosen = [
        flag
        for flag, on in (("--now", run_now), ("--install", install), ("--uninstall", uninstall))
        if on
    ]
    if len(chosen) != 1:
        fail("say one of --now, --install or --uninstall (diazlog remind --help)")
    if (cron or systemd) and not install:
        fail("--cron and --systemd go with --install")
    if cron and systemd:
        fail("say --cron or --systemd, not both")
    diary = Path(ctx.find_root().obj["db_path"])
    from diazlog.commands.support import refuse_missing

    # Reminders are of a diary that exists: a mistyped --db never makes a new one.
    refuse_missing(Path(ctx.find_root().obj["db_path"]))
    if run_now:
        _now(ctx, diary, _clock(at_text))
    elif install:
        _install(ctx, cron=cron, systemd=systemd)
    else:
        _uninstall(ctx, diary)


def _clock(at_text: str | None) -> datetime:
    if at_text is None:
        return now()
    try:
        return datetime.fromisoformat(at_text).replace(tzinfo=None)
    except ValueError:
        fail(f"--at: '{at_text[:30]}' is not a date and time (YYYY-MM-DDTHH:MM)")


def _readable(diary: Path) -> bool:
    """Whether the diary can be read here without asking anyone for a passphrase."""
    from diazlog.store import StoreError
    from diazlog.store.file.cipher import needs_passphrase

    try:
        return diary.exists() and not needs_passphrase(diary)
    except StoreError:
        return False


def _now(ctx: click.Context, diary: Path, clock: datetime) -> None:
    from diazlog.domain.due_notice import due_between, times_between
    from diazlog.reminders.refresh import state_folder
    from diazlog.reminders.schedule_file import BadScheduleFile, read, schedule_path

    since = clock - WINDOW
    today = clock.date().isoformat()
    if _readable(diary):
        from diazlog.store.queries.days import load_day
        from diazlog.store.queries.taper import planned_doses_on, step_dates

        db = db_for(ctx, for_reading=True)
        try:
            due = due_between(
                since,
                clock,
                lambda day: planned_doses_on(db, day),
                lambda day: found.doses if (found := load_day(db, day)) else (),
            )
            step_day = today in step_dates(db)
        finally:
            db.close()
        times = sorted({(d.day, d.time) for d in due})
    else:
        try:
            schedule = read(schedule_path(state_folder(), diary))
        except BadScheduleFile as exc:
            fail(str(exc))
        times = times_between(since, clock, schedule.times_on)
        step_day = today in schedule.step_days
    if not times:
        echo("Nothing due.")
        return
    from diazlog.domain.due_doses import and_list

    when = and_list([t for _, t in times])
    message = f"Your {when} dose is due" if len(times) == 1 else f"Your {when} doses are due"
    message += ": log it in diazlog" if len(times) == 1 else ": log them in diazlog"
    message += " (space on Today, or `diazlog take`)."
    if step_day:
        message += " Your plan changes today: check the new amount."
    from diazlog.reminders.notify import NoNotifications, send

    try:
        send(TITLE, message)
    except NoNotifications as exc:
        fail(f"{exc}: the {when} dose reminder could not be shown")
    echo(f"{TITLE}: {message}")


def units_folder() -> Path:
    """systemd's folder of the user's own units ($XDG_CONFIG_HOME/systemd/user)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def has_user_systemd() -> bool:
    """A systemd user manager runs for this user (its runtime folder exists)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    return shutil.which("systemctl") is not None and (Path(runtime) / "systemd").is_dir()


def run_command(diary: Path) -> list[str]:
    """What the timer runs: this Python, this diazlog, this diary."""
    return [sys.executable, "-m", "diazlog", "--db", str(diary), "remind", "--now"]


def _install(ctx: click.Context, *, cron: bool, systemd: bool) -> None:
    from diazlog.reminders import refresh
    from diazlog.reminders.schedule_file import read
    from diazlog.reminders.units import UNIT_NAME, crontab_lines, service_text, timer_text
    from diazlog.store import StoreError
    from diazlog.store.file.atomic import write_atomically

    db = db_for(ctx)
    try:
        diary = refresh.diary_file(db)
        assert diary is not None
        use_systemd = systemd or (not cron and has_user_systemd())
        folder = units_folder()
        timer = folder / f"{UNIT_NAME}.timer"
        try:
            path = refresh.write_schedule(db, diary, now())
        except OSError as exc:
            fail(f"could not write the reminder schedule: {exc.strerror or exc}")
        try:
            refresh.remember_desktop(db, diary, timer if use_systemd else None)
        except StoreError as exc:  # a read-only diary
            fail(str(exc))
    finally:
        db.close()
    times = sorted({t for _, run in read(path).runs for t in run})
    if not times:
        fail("your plan has no dose times to remind at: give it times (Medicines, `diazlog plan`)")
    command = run_command(diary)
    if use_systemd:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomically(folder / f"{UNIT_NAME}.service", service_text(command).encode())
            write_atomically(timer, timer_text(times).encode())
        except OSError as exc:
            fail(f"could not write the units in {folder}: {exc.strerror or exc}")
        echo(f"Wrote {UNIT_NAME}.timer ({', '.join(times)}) and {UNIT_NAME}.service in {folder}.")
        echo("Turn it on with:")
        echo(f"  systemctl --user daemon-reload && systemctl --user enable --now {UNIT_NAME}.timer")
    else:
        bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS") or f"unix:path=/run/user/{os.getuid()}/bus"
        echo("No systemd user session here: add these lines with `crontab -e`:")
        for line in crontab_lines(command, times, bus):
            echo(f"  {line}")
        echo("(When your plan's times change, run `diazlog remind --install` again.)")
    echo(f"The schedule (times only, no names) is {path}; it follows your plan as it changes.")


def _uninstall(ctx: click.Context, diary: Path) -> None:
    from diazlog.reminders import refresh
    from diazlog.reminders.schedule_file import schedule_path
    from diazlog.reminders.units import UNIT_NAME
    from diazlog.store import StoreError

    db = db_for(ctx)
    try:
        here = refresh.diary_file(db) or diary
        try:
            refresh.forget_desktop(db)
        except StoreError as exc:
            fail(str(exc))
    finally:
        db.close()
    removed = []
    folder = units_folder()
    for path in (
        folder / "timers.target.wants" / f"{UNIT_NAME}.timer",  # what `enable` linked
        folder / f"{UNIT_NAME}.timer",
        folder / f"{UNIT_NAME}.service",
        schedule_path(refresh.state_folder(), here),
    ):
        if path.is_symlink() or path.exists():
            path.unlink()
            removed.append(path.name)
    if not removed:
        echo("No reminders were installed for this diary (nothing removed).")
        return
    echo(f"Removed {', '.join(removed)}.")
    if any(name.startswith(UNIT_NAME) for name in removed):
        echo(f"Run: systemctl --user stop {UNIT_NAME}.timer; systemctl --user daemon-reload")
    echo("Crontab lines, if you added them, are removed with `crontab -e`.")

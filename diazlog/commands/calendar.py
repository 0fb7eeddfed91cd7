"""`diazlog calendar --out FILE.ics`: the planned doses as a calendar a phone subscribes to.

The file is rewritten after every later write that changes what it shows (reminders/
refresh.py) until `--off`. Private by default (reminders/ics.py): no medicine name or
amount unless `--names`.
"""

from __future__ import annotations

from pathlib import Path

import click

from diazlog.commands.echo import echo
from diazlog.commands.support import db_for, fail, now


@click.command("calendar")
@click.option(
    "--out", "out", type=click.Path(path_type=Path), metavar="FILE.ics", help="Write the calendar."
)
@click.option(
    "--weeks",
    type=click.IntRange(1, 104),
    default=8,
    show_default=True,
    help="Weeks ahead (longer when the taper plan's last step is later).",
)
@click.option(
    "--before",
    type=click.IntRange(0, 24 * 60),
    default=0,
    show_default=True,
    metavar="MIN",
    help="Minutes before each dose the alarm rings.",
)
@click.option("--names", is_flag=True, help="Put medicine names and amounts in the events.")
@click.option("--check-in", metavar="HH:MM", help="A daily reminder to log the day.")
@click.option(
    "--tz", "zone", metavar="ZONE", help="Time zone, e.g. Europe/London (default: yours)."
)
@click.option("--off", is_flag=True, help="Stop rewriting the calendar (the file is left).")
@click.pass_context
def command(
    ctx: click.Context,
    out: Path | None,
    weeks: int,
    before: int,
    names: bool,
    check_in: str | None,
    zone: str | None,
    off: bool,
) -> None:
    """Write your planned doses as a calendar (.ics) and keep it up to date.

    \b
    diazlog calendar --out ~/Sync/doses.ics            doses for 8 weeks, alarms at dose time
    diazlog calendar --out doses.ics --before 10 --check-in 21:00
    diazlog calendar --off                              stop updating the file
    Events say "Dose reminder" and "Plan changes today" only: --names adds what and how much.
    """
    from diazlog.commands.support import refuse_missing
    from diazlog.reminders import refresh
    from diazlog.store import StoreError

    # Reminders are of a diary that exists: a mistyped --db never makes a new one.
    refuse_missing(Path(ctx.find_root().obj["db_path"]))

    if off:
        if out is not None:
            fail("--off takes no --out: it stops updating the calendar already written")
        db = db_for(ctx)
        try:
            found = refresh.forget_calendar(db)
        except StoreError as exc:
            fail(str(exc))
        finally:
            db.close()
        if found is None:
            echo("No calendar was being kept up to date.")
        else:
            echo(f"{found.path} is no longer updated (the file is left as it is).")
        return
    if out is None:
        fail("say where to write it: diazlog calendar --out FILE.ics (or --off)")
    checked_time = _check_in(check_in)
    zone_name = _zone(zone)
    target = out.expanduser().resolve()
    if target.is_dir():
        fail(f"{out} is a folder: name the file, e.g. {out}/doses.ics")
    if not target.parent.is_dir():
        fail(f"the folder {out.parent} does not exist")
    db = db_for(ctx)
    try:
        diary = refresh.diary_file(db)
        setting = refresh.CalendarSetting(
            path=str(target),
            diary=str(diary),
            zone=zone_name,
            before=before,
            names=names,
            check_in=checked_time,
            weeks=weeks,
        )
        try:
            plan = refresh.write_calendar(db, setting, now())
            refresh.remember_calendar(db, setting)
        except OSError as exc:
            fail(f"could not write {out}: {exc.strerror or exc}")
        except StoreError as exc:  # a read-only diary: it cannot remember the path
            fail(str(exc))
    finally:
        db.close()
    parts = [_count(len(plan.doses), "dose reminder")]
    if plan.step_days:
        parts.append(_count(len(plan.step_days), "plan change"))
    if plan.appointments:
        parts.append(_count(len(plan.appointments), "appointment"))
    echo(f"Wrote {', '.join(parts)} from {plan.start} to {plan.end} to {target} ({zone_name}).")
    if plan.untimed:
        echo(
            f"{_count(plan.untimed, 'planned dose')} without a time left out: "
            "give the plan times (Medicines, or `diazlog plan`) to be reminded."
        )
    if not names:
        echo('Events say only "Dose reminder": --names adds medicine names and amounts.')
    echo("It is rewritten when your plan, usual times or appointment change; --off stops that.")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _check_in(text: str | None) -> str | None:
    from diazlog.domain.validation import InvalidInput, parse_time

    if text is None:
        return None
    try:
        return parse_time(text)
    except InvalidInput as exc:
        fail(f"--check-in: {exc}")


def _zone(name: str | None) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from diazlog.domain.visible_text import one_line
    from diazlog.reminders.refresh import local_zone

    if name is None:
        return local_zone()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fail(f"--tz: '{one_line(name)[:40]}' is not a time zone: use a name like Europe/London")
    return name

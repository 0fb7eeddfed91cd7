"""`diazlog status`: one line for a shell start-up file.

Whether today is logged (rated, a day's number, a flag or a note; doses alone are not a
logged day: domain/day_status.py), today's planned dose and how the logged doses compare,
any red flag that fires today or still stands from the last logged day (a stop, a cut:
domain/standing_flags.py), and a stock that runs out within a week. Always exit 0
unless the database itself is unusable, so a shell start-up never breaks.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from diazlog.commands.echo import echo
from diazlog.commands.support import now, open_or_fail


@click.command("status")
@click.pass_context
def command(ctx: click.Context) -> None:
    """One line: today logged or not, today's planned dose, active red flags, low stock."""
    path: Path = ctx.find_root().obj["db_path"]
    if not path.exists():
        echo(f"diazlog: no diary yet at {path}; run `diazlog` to start one")
        return
    echo(status_line(open_or_fail(path, create=False, for_reading=True), now()))


def status_line(db, clock: datetime) -> str:
    from diazlog.domain.day_status import day_logged, only_doses
    from diazlog.domain.models import DayLog
    from diazlog.domain.redflags import nothing_logged_since
    from diazlog.domain.taper import check, describe_check
    from diazlog.store.queries.days import load_day
    from diazlog.store.queries.flags import day_flags, last_logged_day
    from diazlog.store.queries.series import diazepam_on
    from diazlog.store.queries.stock import stock_levels
    from diazlog.store.queries.taper import diazepam_plan_for

    today = clock.date().isoformat()
    log = load_day(db, today)
    if day_logged(log):
        said = "today logged"
    elif only_doses(log):
        said = "today not logged yet (only doses)"
    else:
        said = "today not logged yet"
    parts = [f"diazlog {clock:%a %d %b}: {said}"]
    step = diazepam_plan_for(db, today)
    if step is not None:
        # The day's diazepam total, summed in SQL like every other figure (store.series).
        logged = diazepam_on(db, today) or 0.0
        parts.append(describe_check(check(step, logged)))
    alerts = [a for a in day_flags(db, log or DayLog(date=today), clock) if not a.seen_on]
    if alerts:
        parts.append(f"{alerts[0].level.header}: {'; '.join(a.title for a in alerts)}")
    elif log is None:
        gap = nothing_logged_since(last_logged_day(db, today), today)
        if gap:
            parts.append(gap)
    parts += [level.describe() for level in stock_levels(db, today) if level.low]
    return " · ".join(parts)

"""`diazlog flags [--from DATE] [--to DATE] [--json]`: every red-flag event in a range.

One line per episode (a rule firing on consecutive days), oldest first; the same engine as
Today, History, `status` and the report. Exit 0 with nothing (or `[]`) when there are none.
"""

from __future__ import annotations

import json

import click

from diazlog.commands.echo import echo, echo_json
from diazlog.commands.support import db_for, fail, now


@click.command("flags")
@click.option("--from", "start", metavar="DATE", help="First day (YYYY-MM-DD; default: all).")
@click.option("--to", "end", metavar="DATE", help="Last day (YYYY-MM-DD; default: today).")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of objects.")
@click.pass_context
def command(ctx: click.Context, start: str | None, end: str | None, as_json: bool) -> None:
    """List every red-flag event in the range, oldest first."""
    from diazlog.domain.validation import InvalidInput, parse_date
    from diazlog.store.queries.flags import flag_events

    clock = now()
    today = clock.date()
    try:
        first = parse_date(start, today) if start else None
        last = parse_date(end, today) if end else today.isoformat()
    except InvalidInput as exc:
        fail(str(exc))
    if first is not None and first > last:
        fail(f"--from {first} is after --to {last}")
    events = flag_events(db_for(ctx, for_reading=True), first, last, clock)
    if as_json:
        echo_json(json.dumps([event_record(e) for e in events], ensure_ascii=False, indent=1))
        return
    for e in events:
        when = e.start if e.start == e.end else f"{e.start} – {e.end} ({e.days} days)"
        seen = f" · seen by a doctor on {e.seen_on}" if e.seen_on else ""
        echo(f"{when}  {e.level.code.upper()}  {e.title}: {e.message}{seen}")


def event_record(event) -> dict[str, object]:
    """The JSON object of one event: date, end, rule, level, message and the rest.

    `level` is emergency, urgent, today or ask (models.Level); `severity` is the same word,
    kept for scripts written before the four levels."""
    return {
        "date": event.start,
        "end": event.end,
        "days": event.days,
        "rule": event.rule,
        "key": event.key,
        "level": event.level.code,
        "severity": event.level.code,
        "title": event.title,
        "message": event.message,
        "seen_on": event.seen_on,
    }

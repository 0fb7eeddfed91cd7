"""`diazlog report --from D --to D --out visit.pdf`: the visit report from the shell (.pdf, .md)."""

from __future__ import annotations

from pathlib import Path

import click

from diazlog.commands.echo import echo
from diazlog.commands.progress import stderr_is_terminal
from diazlog.commands.support import db_for, fail, now, say_if_encrypted

# Without a past visit the report covers this many days (as on the Doctor screen).
DEFAULT_DAYS = 90


@click.command("report")
@click.option(
    "--from",
    "start",
    metavar="YYYY-MM-DD",
    help="First day (default: the last visit, else 90 days back or the first logged day).",
)
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day (default: today).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A .pdf or .md file (default: diazlog-visit-DATE.pdf here).",
)
@click.pass_context
def command(ctx: click.Context, start: str | None, end: str | None, out: Path | None) -> None:
    """Write the report to take to the doctor: dose, symptoms, red flags, questions, chart."""
    from diazlog.domain.validation import InvalidInput, parse_date
    from diazlog.report.visit import build_visit_report, write_report
    from diazlog.store.queries.visit_data import default_report_start

    clock = now()
    today = clock.date()
    try:
        last = parse_date(end, today) if end else today.isoformat()
        first = parse_date(start, today) if start else None
    except InvalidInput as exc:
        fail(str(exc))
    out = out or Path(f"diazlog-visit-{last}.pdf")
    if out.suffix.lower() not in (".pdf", ".md"):
        fail(f"{out}: end the file name in .pdf or .md")
    if not out.parent.is_dir():
        fail(f"{out}: no such folder {out.parent}")
    db = db_for(ctx, for_reading=True)
    try:
        if first is None:
            first = default_report_start(db, last, DEFAULT_DAYS)
        if first > last:
            fail(f"--from {first} is after --to {last}")

        def progress(fraction: float) -> None:
            click.echo(f"\rBuilding the report … {fraction:4.0%}", nl=fraction >= 1, err=True)

        shown = progress if stderr_is_terminal() else None
        report = build_visit_report(db, first, last, now=clock, progress=shown)
        try:
            write_report(report, out)
        except OSError as exc:
            fail(f"{out}: {exc.strerror or exc}")
    finally:
        db.close()
    echo(f"Wrote {out} ({first} to {last}).")
    say_if_encrypted(ctx)

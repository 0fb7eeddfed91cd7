"""Page 1 of the visit report in words: the flag summary (one line per kind) and the
symptoms around each taper step, shared by the Markdown and the PDF renderer.
"""

from __future__ import annotations

from diazlog.domain.flag_summary import FlagKindLine
from diazlog.domain.questions import short_date
from diazlog.domain.taper_response import sentence
from diazlog.report.model import VisitReport, dates_text, fmt, plural
from diazlog.report.text import urgency_words


def summary_line(line: FlagKindLine, doses: tuple[str, ...] = ()) -> str:
    """One kind of flag: how many days, which (runs, each date once), the worst and when.

    `doses` are the dates of the doses of the medicine the flag names (one per dose): what
    was taken is said as itself, with its dates, and the days the flag was up only counted
    (so no date is listed twice on the line)."""
    flagged = f"flagged on {plural(line.count, 'day')}"
    if doses:
        taken = sorted(set(doses))
        text = (
            f"{line.label}: {plural(len(doses), 'dose')} on {plural(len(taken), 'day')} "
            f"({dates_text(tuple(taken), 10)}), {flagged}"
        )
    elif line.about:  # what was logged first: the drinking days, then how many days flagged
        about = f"{plural(len(line.about), 'day')} ({dates_text(line.about, 10)})"
        text = f"{line.label}: logged on {about}, {flagged}"
    else:
        text = f"{line.label}: {flagged} ({dates_text(line.dates, 10)})"
    if line.seen:
        text += (
            "; seen by a doctor"
            if line.seen == line.count
            else f"; {line.seen} of those days seen by a doctor"
        )
    if line.worst:
        worst = "; ".join(f"{w.value} ({dates_text(w.dates, 10)})" for w in line.worst)
        text += f"; worst: {worst}"
    return f"{text} [{urgency_words(line.severity_code)}]"


SUMMARY_NOTE = (
    "One line per kind of flag, most urgent first; the day-by-day list, with the day's notes, "
    "follows the symptoms."
)


def flag_notes(report: VisitReport) -> list[list[str]]:
    """For each flag of the full list, the notes of its days ("6 Oct: fell on the stairs"),
    each day's note beside the first flag that covers it, so no date repeats."""
    given: set[str] = set()
    found = []
    for event in report.flags:
        # Only the days flagged: an episode may run across an unflagged day.
        days = set(event.dates) if event.dates else {event.start, event.end}
        mine = [d for d in sorted(report.notes) if d in days and d not in given]
        given.update(mine)
        found.append([f"{short_date(d)}: {report.notes[d]}" for d in mine])
    return found


# -- the taper response ---------------------------------------------------------------------

RESPONSE_NOTE = (
    "Mean of each symptom over the last 7 logged days before a step and the first 7 logged "
    "days from it (within 3 weeks of it, never across another step), with the number of days "
    "each side. A rise or fall is named only with 7 days on each side and a difference of 2 "
    "points or more."
)


def response_sentences(report: VisitReport) -> list[str]:
    """The plain sentences of page 1: each symptom that rose or fell by 2+ after a step."""
    said = [
        text
        for response in report.taper_response
        if (text := sentence(response, short_date(response.date)))
    ]
    if report.taper_response and not said:
        compared = any(s.enough for r in report.taper_response for s in r.symptoms)
        said.append(
            "No symptom rose or fell by 2 points or more after a step where 7 days were "
            "logged on each side."
            if compared
            else "Too few days were logged around the steps to compare (7 are needed on each side)."
        )
    return said


def response_tables(
    report: VisitReport, per_table: int = 4
) -> list[tuple[list[str], list[list[str]]]]:
    """Symptoms down, steps across (at most `per_table` steps a table): "4.9 -> 6.1 (7/7)"."""
    tables = []
    steps = report.taper_response
    for first in range(0, len(steps), per_table):
        chunk = steps[first : first + per_table]
        header = ["Symptom"] + [
            f"{short_date(r.date)}: "
            + (f"{r.before_mg:g} -> " if r.before_mg is not None else "to ")
            + f"{r.after_mg:g} mg/day"
            for r in chunk
        ]
        names = [s.name for s in chunk[0].symptoms]
        rows = []
        for index, name in enumerate(names):
            cells = []
            for response in chunk:
                s = response.symptoms[index]
                cell = (
                    f"{fmt(s.before_mean)} -> {fmt(s.after_mean)} ({len(s.before)}/{len(s.after)})"
                )
                if not s.enough:
                    cell += " too few days"
                cells.append(cell)
            rows.append([name, *cells])
        tables.append((header, rows))
    return tables

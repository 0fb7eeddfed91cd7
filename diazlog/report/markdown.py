"""The visit report as Markdown: readable as plain text, pasteable into a patient portal."""

from __future__ import annotations

from bisect import bisect_right

from diazlog.domain.questions import short_date
from diazlog.report.model import (
    ADHERENCE_HEADERS,
    EPISODE_HEADERS,
    MEDICINE_HEADERS,
    SECTION_CHART,
    SECTION_DAILY_LIFE,
    SECTION_DIAZEPAM,
    SECTION_EPISODES,
    SECTION_FLAGS,
    SECTION_MEDICINES,
    SECTION_QUESTIONS,
    SECTION_SYMPTOMS,
    SYMPTOM_HEADERS,
    SYMPTOM_NOTE,
    TAPER_HEADERS,
    ChartPoint,
    VisitReport,
    adherence_row,
    coarsen,
    daily_life_lines,
    dose_lines,
    episode_rows,
    episodes_note,
    flag_line,
    fmt,
    intro_lines,
    medicine_rows,
    symptom_rows,
    taper_rows,
)

# The leg pain / dose table stands in for the PDF's chart: about one row a week.
TABLE_ROWS = 14


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    return lines


def render_markdown(report: VisitReport) -> str:
    out: list[str] = [f"# {report.title}", ""]
    for line in intro_lines(report):
        out += [line, ""]

    out += [f"## {SECTION_FLAGS}", ""]
    out += [f"- {flag_line(f)}" for f in report.flags] if report.flags else ["None."]

    out += ["", f"## {SECTION_DIAZEPAM}", ""]
    if report.taper:
        out += _table(TAPER_HEADERS, taper_rows(report)) + [""]
    if report.adherence.planned:
        out += _table(ADHERENCE_HEADERS, [adherence_row(report)]) + [""]
    out += [line + "\n" for line in dose_lines(report)]

    out += [f"## {SECTION_SYMPTOMS}", ""]
    if report.symptoms:
        out += _table(SYMPTOM_HEADERS, symptom_rows(report)) + ["", SYMPTOM_NOTE]
    else:
        out.append("No symptoms logged in this period.")

    out += ["", f"## {SECTION_EPISODES}", "", episodes_note(report)]
    if report.episodes:
        out += [""] + _table(EPISODE_HEADERS, episode_rows(report))

    out += ["", f"## {SECTION_DAILY_LIFE}", ""]
    out += [f"- {line}" for line in daily_life_lines(report)]

    out += ["", f"## {SECTION_MEDICINES}", ""]
    if report.medicines:
        out += _table(MEDICINE_HEADERS, medicine_rows(report))
    else:
        out.append("None logged.")

    out += ["", f"## {SECTION_QUESTIONS}", ""]
    if report.questions:
        for question in report.questions:
            mine = " (my own)" if question.own else ""
            out.append(f"- [ ] {question.text}{mine}")
            if question.facts:
                out.append(f"  - From the diary: {question.facts}")
    else:
        out.append("No open questions.")

    out += ["", f"## {SECTION_CHART}", ""]
    if report.chart:
        points, group = coarsen(report.chart, TABLE_ROWS)
        days = group * report.chart_bucket_days
        span = "day" if days == 1 else f"{days} days"
        marks = _step_marks(report, points)
        out += _table(
            [f"From ({span} each)", "Leg pain (mean)", "Diazepam mg/day", "Plan step"],
            [
                [short_date(p.start), fmt(p.leg_pain), fmt(p.diazepam_mg), marks.get(i, "")]
                for i, p in enumerate(points)
            ],
        )
    else:
        out.append("Nothing logged.")
    out.append("")
    return "\n".join(out)


def _step_marks(report: VisitReport, points: tuple[ChartPoint, ...]) -> dict[int, str]:
    """Row index -> the plan steps that begin in that row (the one in force at the start
    on the first row)."""
    starts = [p.start for p in points]
    marks: dict[int, list[str]] = {}
    for step in report.taper:
        if step.from_date < report.start:
            marks.setdefault(0, []).append(f"{step.daily_mg:g} mg/day in force")
            continue
        index = max(0, bisect_right(starts, step.from_date) - 1)
        marks.setdefault(index, []).append(
            f"{step.daily_mg:g} mg/day from {short_date(step.from_date)}"
        )
    return {i: "; ".join(texts) for i, texts in marks.items()}

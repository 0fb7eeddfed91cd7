"""The visit report as Markdown: readable as plain text, pasteable into a patient portal."""

from __future__ import annotations

from diazlog.domain.questions import short_date
from diazlog.report.visit import (
    SYMPTOM_HEADERS,
    VisitReport,
    coarsen,
    flag_line,
    fmt,
    long_date,
    symptom_rows,
)

# The leg pain / dose table stands in for the PDF's chart: about one row a week.
TABLE_ROWS = 14


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    return lines


def render_markdown(report: VisitReport) -> str:
    out: list[str] = [f"# {report.title}", ""]
    intro = (
        f"{report.days_logged} of {report.days_in_range} days logged. "
        "Ratings are 0-10 (1-3 mild, 4-6 moderate, 7-10 severe). "
        f"Written by diazlog on {long_date(report.created[:10])}; the user's own records."
    )
    out += [intro, ""]
    if report.appointment is not None:
        who = f" with {report.appointment.with_whom}" if report.appointment.with_whom else ""
        out += [f"For the appointment on {long_date(report.appointment.date)}{who}.", ""]
    out += [f"## {report.diazepam}: dose and taper", ""]
    if report.taper:
        out += _table(
            ["From", "Prescribed per day", "Times"],
            [
                [long_date(s.from_date), f"{s.daily_mg:g} mg", ", ".join(s.times) or "-"]
                for s in report.taper
            ],
        )
        out.append("")
    if report.dose_days:
        out += [
            f"Logged: {fmt(report.mean_daily_mg)} mg a day on average, on "
            f"{report.dose_days} days with a dose.",
            "",
        ]
    else:
        out += ["No diazepam doses logged in this period.", ""]
    out += ["## Symptoms", ""]
    if report.symptoms:
        out += _table(SYMPTOM_HEADERS, symptom_rows(report))
    else:
        out.append("No symptoms logged in this period.")
    out += ["", "## Red flags", ""]
    if report.flags:
        out += [f"- {flag_line(f)}" for f in report.flags]
    else:
        out.append("None.")
    out += ["", "## Other medicines taken alongside diazepam", ""]
    if report.medicines:
        out += _table(
            ["Medicine", "Kind", "Days taken", "Days with diazepam", "Note"],
            [
                [m.name, m.category, str(m.days_taken), str(m.days_with_diazepam), m.warning]
                for m in report.medicines
            ],
        )
    else:
        out.append("None logged.")
    out += ["", "## Leg pain against the diazepam dose", ""]
    if report.chart:
        points, group = coarsen(report.chart, TABLE_ROWS)
        days = group * report.chart_bucket_days
        span = "day" if days == 1 else f"{days} days"
        out += _table(
            [f"From ({span} each)", "Leg pain (mean)", "Diazepam mg/day"],
            [[short_date(p.start), fmt(p.leg_pain), fmt(p.diazepam_mg)] for p in points],
        )
    else:
        out.append("Nothing logged.")
    out += ["", "## Questions for the doctor", ""]
    if report.questions:
        for question in report.questions:
            out.append(f"- [ ] {question.text}")
            if question.facts:
                out.append(f"  - From the diary: {question.facts}")
    else:
        out.append("No open questions.")
    out += [""]
    for note in report.notes:
        out += [f"_{note}_", ""]
    return "\n".join(out)

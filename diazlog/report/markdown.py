"""The visit report as Markdown: readable as plain text, pasteable into a patient portal."""

from __future__ import annotations

from bisect import bisect_right

from diazlog.domain.questions import short_date
from diazlog.domain.taper import planned_total
from diazlog.report import model, page_one, text
from diazlog.report.model import ChartPoint, VisitReport

# The leg pain / dose table stands in for the PDF's chart: about one row a week.
TABLE_ROWS = 14


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    # "\\|": a name's own bar is shown, not taken as the next cell (GitHub-flavoured tables).
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines


def render_markdown(report: VisitReport) -> str:
    out: list[str] = [f"# {report.title}", ""]
    for line in model.intro_lines(report):
        out += [line, ""]

    out += [f"## {model.SECTION_FLAGS}", ""]
    if report.flag_summary:
        out += [
            f"- {page_one.summary_line(line, report.flag_doses.get(line.key, ()))}"
            for line in report.flag_summary
        ]
        out += ["", page_one.SUMMARY_NOTE]
    else:
        out.append(model.EMPTY[model.SECTION_FLAGS])

    out += ["", f"## {model.SECTION_RESPONSE}", ""]
    if report.taper_response:
        out += [f"- {line}" for line in page_one.response_sentences(report)]
        for header, rows in page_one.response_tables(report):
            out += [""] + _table(header, rows)
        out += ["", page_one.RESPONSE_NOTE]
    else:
        out.append(model.EMPTY[model.SECTION_RESPONSE])

    out += ["", f"## {model.SECTION_DIAZEPAM}", ""]
    if report.taper:
        out += _table(model.TAPER_HEADERS, model.taper_rows(report)) + [""]
    if report.adherence.planned:
        out += _table(model.ADHERENCE_HEADERS, [model.adherence_row(report)]) + [""]
    for line in [*model.dose_lines(report), model.next_step_line(report)]:
        if line:
            out += [line, ""]

    out += [f"## {model.SECTION_SYMPTOMS}", ""]
    if report.symptoms:
        out += _table(model.SYMPTOM_HEADERS, model.symptom_rows(report)) + ["", model.SYMPTOM_NOTE]
    else:
        out.append(model.EMPTY[model.SECTION_SYMPTOMS])

    out += ["", f"## {model.SECTION_FLAG_DAYS}", ""]
    if report.flags:
        for event, notes in zip(report.flags, page_one.flag_notes(report), strict=True):
            out.append(f"- {model.flag_line(event)}")
            out += [f"  - Day note, {note}" for note in notes]
    else:
        out.append(model.EMPTY[model.SECTION_FLAG_DAYS])

    out += ["", f"## {model.SECTION_EPISODES}", "", model.episodes_note(report)]
    if report.episodes:
        out += [""] + _table(model.EPISODE_HEADERS, model.episode_rows(report))

    out += ["", f"## {model.SECTION_DAILY_LIFE}", ""]
    out += [f"- {line}" for line in model.daily_life_lines(report)]

    out += ["", f"## {model.SECTION_MEDICINES}", ""]
    if report.medicines:
        out += _table(model.MEDICINE_HEADERS, model.medicine_rows(report))
    else:
        out.append(model.EMPTY[model.SECTION_MEDICINES])

    out += ["", f"## {model.SECTION_QUESTIONS}", ""]
    if report.questions:
        for question in report.questions:
            out.append(f"- [ ] {question.line}")
            if question.source:
                out.append(f"  - {question.source}")
    else:
        out.append(model.EMPTY[model.SECTION_QUESTIONS])

    out += ["", f"## {model.SECTION_CHART}", ""]
    if report.chart:
        points, group = model.coarsen(report.chart, TABLE_ROWS)
        days = group * report.chart_bucket_days
        span = "day" if days == 1 else f"{days} days"
        marks = _step_marks(report, points)
        out += _table(
            [f"From ({span} each)", "Leg pain (mean)", "Diazepam mg/day", "Plan step"],
            [
                [
                    short_date(p.start),
                    model.fmt(p.leg_pain),
                    model.fmt(p.diazepam_mg),
                    marks.get(i, ""),
                ]
                for i, p in enumerate(points)
            ],
        )
    else:
        out.append(model.EMPTY[model.SECTION_CHART])
    out.append("")
    # Every line passes the one cleaner: diary text can hold control characters.
    return "\n".join(_inert(text.clean(line)) for line in out)


def _inert(line: str) -> str:
    """A line whose diary text cannot become a link or HTML in a Markdown viewer: a medicine
    named "[click](https://…)" or "<https://…>" stays text (the report writes neither)."""
    return line.replace("](", "]\\(").replace("<", "\\<")


def _step_marks(report: VisitReport, points: tuple[ChartPoint, ...]) -> dict[int, str]:
    """Row index -> the plan steps that begin in that row (the one in force at the start
    on the first row)."""
    starts = [p.start for p in points]
    marks: dict[int, list[str]] = {}
    for step in report.taper:
        if step.from_date < report.start:
            marks.setdefault(0, []).append(f"{planned_total(step):g} mg/day in force")
            continue
        index = max(0, bisect_right(starts, step.from_date) - 1)
        marks.setdefault(index, []).append(
            f"{planned_total(step):g} mg/day from {short_date(step.from_date)}"
        )
    return {i: "; ".join(texts) for i, texts in marks.items()}

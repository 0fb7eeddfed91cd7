"""The visit report as plain data, built once and rendered as Markdown or PDF.

The numbers come from the same analysis functions as the Charts screen (domain.trends), so
the report and the screen never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from diazlog.domain.medicine_names import DrugClass
from diazlog.domain.models import (
    Appointment,
    Medication,
    Question,
    TaperStep,
)
from diazlog.domain.redflags import FlagEvent, medicine_classes
from diazlog.domain.trends import Trend, summarize_days
from diazlog.store.visit_data import VisitData

if TYPE_CHECKING:
    from sqlite_utils import Database

Progress = Callable[[float], None]

# A chart has room for about this many points; longer ranges are averaged per bucket.
CHART_POINTS = 120


@dataclass(frozen=True)
class TaperLine:
    """One prescribed step: from this date, this much per day at these times."""

    from_date: str
    daily_mg: float
    times: tuple[str, ...]


@dataclass(frozen=True)
class SymptomLine:
    name: str
    mean: float | None
    worst: int | None
    days_logged: int
    trend: str


@dataclass(frozen=True)
class MedicineLine:
    name: str
    category: str
    days_taken: int
    days_with_diazepam: int
    warning: str = ""


@dataclass(frozen=True)
class ChartPoint:
    """One bucket of days: mean leg pain (None if not logged) and mean daily diazepam."""

    start: str
    leg_pain: float | None
    diazepam_mg: float | None


@dataclass(frozen=True)
class VisitReport:
    start: str
    end: str
    created: str
    days_in_range: int
    days_logged: int
    diazepam: str
    appointment: Appointment | None = None
    taper: tuple[TaperLine, ...] = ()
    mean_daily_mg: float | None = None
    dose_days: int = 0
    symptoms: tuple[SymptomLine, ...] = ()
    flags: tuple[FlagEvent, ...] = ()  # the rules engine's episodes in the range
    medicines: tuple[MedicineLine, ...] = ()
    questions: tuple[Question, ...] = ()
    chart: tuple[ChartPoint, ...] = ()
    chart_bucket_days: int = 1
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return f"Symptom diary: {long_date(self.start)} to {long_date(self.end)}"


def long_date(day: str) -> str:
    value = date.fromisoformat(day)
    return f"{value.day} {value:%b %Y}"


SYMPTOM_HEADERS = ["Symptom", "Average", "Worst", "Days logged", "Trend"]


def symptom_rows(report: VisitReport) -> list[list[str]]:
    """The symptom table as text cells, shared by the Markdown and the PDF report."""
    return [
        [s.name, fmt(s.mean), "-" if s.worst is None else str(s.worst), str(s.days_logged), s.trend]
        for s in report.symptoms
    ]


def flag_line(event: FlagEvent) -> str:
    """One red-flag episode in words: its dates, what and how urgent, and whether seen."""
    when = long_date(event.start)
    if event.end != event.start:
        when += f" to {long_date(event.end)} ({event.days} days)"
    urgency = {"emergency": "EMERGENCY", "urgent": "URGENT", "ask": "ask your doctor"}
    seen = f"; seen by a doctor on {long_date(event.seen_on)}" if event.seen_on else ""
    return f"{when}: {event.title} [{urgency[event.severity_code]}{seen}]"


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def write_report(report: VisitReport, path: Path) -> Path:
    """Write .md or .pdf (by suffix), created readable by the user alone."""
    import os

    if path.suffix.lower() == ".pdf":
        from diazlog.report.pdf import render_pdf

        data = render_pdf(report)
    else:
        from diazlog.report.markdown import render_markdown

        data = render_markdown(report).encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)
    return path


def _buckets(start: date, end: date) -> int:
    days = (end - start).days + 1
    return max(1, -(-days // CHART_POINTS))


def _noop(_: float) -> None:
    return None


def build_visit_report(
    db: Database,
    start: str,
    end: str,
    *,
    now: datetime,
    progress: Progress | None = None,
) -> VisitReport:
    """Load the range, analyse it, and return the report's data (progress from 0 to 1)."""
    from diazlog.store.appointments import last_visit_date, next_appointment
    from diazlog.store.flags import flag_events
    from diazlog.store.questions import refresh_checklist
    from diazlog.store.visit_data import load_visit_data

    report_progress = progress or _noop
    report_progress(0.05)
    data = load_visit_data(db, start, end)
    report_progress(0.5)
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    diazepam_days = set(data.diazepam_mg)
    taper = tuple(
        TaperLine(s.from_date, s.amount * max(1, len(s.times)), s.times)
        for s in _steps_in_range(data.taper_steps, start, end)
    )
    mean_mg = sum(data.diazepam_mg.values()) / len(data.diazepam_mg) if data.diazepam_mg else None
    symptoms = tuple(
        _symptom_line(s.name, data.ratings.get(s.id, {}), first, last)
        for s in data.symptoms
        if data.ratings.get(s.id) or s.active
    )
    report_progress(0.7)
    # The checklist as the Doctor screen would show it now, even if it was never opened.
    checklist = refresh_checklist(db, now, last_visit_date(db))
    pain_id = next((s.id for s in data.symptoms if s.key == "leg_pain"), None)
    pain = data.ratings.get(pain_id, {}) if pain_id is not None else {}
    bucket = _buckets(first, last)
    report = VisitReport(
        start=start,
        end=end,
        created=now.isoformat(timespec="minutes"),
        days_in_range=(last - first).days + 1,
        days_logged=len(data.logged_days),
        diazepam=data.diazepam.name if data.diazepam else "Diazepam",
        appointment=next_appointment(db),
        taper=taper,
        mean_daily_mg=mean_mg,
        dose_days=len(diazepam_days),
        symptoms=symptoms,
        flags=tuple(flag_events(db, start, end, now)),
        medicines=_medicines(data, diazepam_days),
        questions=tuple(q for q in checklist if not q.hidden and not q.asked),
        chart=_chart(pain, data.diazepam_mg, data.logged_days, first, last, bucket),
        chart_bucket_days=bucket,
    )
    report_progress(1.0)
    return report


def _steps_in_range(steps: tuple[TaperStep, ...], start: str, end: str) -> list[TaperStep]:
    """The step in force on the first day, and every step that begins inside the range."""
    ordered = sorted(steps, key=lambda s: s.from_date)
    before = [s for s in ordered if s.from_date <= start]
    inside = [s for s in ordered if start < s.from_date <= end]
    return before[-1:] + inside


def _medicines(data: VisitData, diazepam_days: set[str]) -> tuple[MedicineLine, ...]:
    lines = []
    for med_id, days in data.other_days.items():
        med = data.medications.get(med_id)
        if med is None:
            continue
        lines.append(
            MedicineLine(
                med.name,
                " + ".join(c.label for c in medicine_classes(med)) or "not recognised",
                len(days),
                len(days & diazepam_days),
                _warning(med),
            )
        )
    drinks = set(data.alcohol)
    if drinks:
        units = sum(data.alcohol.values())
        lines.append(
            MedicineLine(
                "Alcohol",
                f"{units:g} units",
                len(drinks),
                len(drinks & diazepam_days),
                "adds to sedation and the risk of falls",
            )
        )
    return tuple(sorted(lines, key=lambda m: (-m.days_with_diazepam, m.name)))


def _warning(med: Medication) -> str:
    """What the class means with diazepam (the same sources as the red-flag rules)."""
    classes = medicine_classes(med)
    if DrugClass.OPIOID in classes:
        return "boxed warning with diazepam: profound sedation, slowed breathing, coma, death"
    if DrugClass.GABAPENTINOID in classes:
        return "with diazepam: serious breathing problems (FDA 2019)"
    if DrugClass.SLOWS_BREAKDOWN in classes:
        return "may increase and prolong diazepam's sedation"
    if DrugClass.SPEEDS_BREAKDOWN in classes:
        return "may lessen diazepam's effect: a question for the doctor"
    if any(c.adds_to_diazepam for c in classes):
        return "adds to sedation, weakness and the risk of falls"
    if not classes:
        return "not in diazlog's medicine table"
    return ""


def _chart(
    pain: dict[str, int],
    mg: dict[str, float],
    logged: frozenset[str],
    first: date,
    last: date,
    bucket: int,
) -> tuple[ChartPoint, ...]:
    """One point per bucket of days: mean leg pain and mean diazepam on logged days."""
    points = []
    day = first
    while day <= last:
        days = [
            (day + timedelta(days=i)).isoformat()
            for i in range(bucket)
            if day + timedelta(days=i) <= last
        ]
        pains = [pain[d] for d in days if d in pain]
        dosed = [d for d in days if d in logged or d in mg]
        points.append(
            ChartPoint(
                day.isoformat(),
                sum(pains) / len(pains) if pains else None,
                sum(mg.get(d, 0.0) for d in dosed) / len(dosed) if dosed else None,
            )
        )
        day += timedelta(days=bucket)
    return tuple(points)


def _symptom_line(name: str, by_day: dict[str, int], first: date, last: date) -> SymptomLine:
    """Average, worst, days logged and trend: the Charts screen's summary (domain.trends)."""
    summary = summarize_days(by_day, first.isoformat(), last.isoformat())
    if not summary.days_logged:
        return SymptomLine(name, None, None, 0, "not logged")
    if summary.trend is Trend.UNKNOWN or summary.change is None:
        trend = "too few days to tell"
    elif summary.trend is Trend.UP:
        trend = f"worse: up {summary.change:.1f} in the second half"
    elif summary.trend is Trend.DOWN:
        trend = f"better: down {-summary.change:.1f} in the second half"
    else:
        trend = f"steady (change {summary.change:+.1f})"
    worst = None if summary.worst is None else int(summary.worst)
    return SymptomLine(name, summary.mean, worst, summary.days_logged, trend)


def coarsen(points: tuple[ChartPoint, ...], rows: int) -> tuple[tuple[ChartPoint, ...], int]:
    """Merge neighbouring chart points so at most `rows` remain (for a table, not a plot).

    Returns the points and how many of the originals each one stands for.
    """
    group = max(1, -(-len(points) // rows))
    merged = []
    for index in range(0, len(points), group):
        chunk = points[index : index + group]
        pains = [p.leg_pain for p in chunk if p.leg_pain is not None]
        doses = [p.diazepam_mg for p in chunk if p.diazepam_mg is not None]
        merged.append(
            ChartPoint(
                chunk[0].start,
                sum(pains) / len(pains) if pains else None,
                sum(doses) / len(doses) if doses else None,
            )
        )
    return tuple(merged), group

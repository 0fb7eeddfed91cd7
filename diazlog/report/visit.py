"""Build the visit report from the diary: one VisitReport (report.model) for both renderers.

Only reads: the generated questions are computed in memory for the report's range
(domain.questions over store.questions.question_data_between), so a report from a backup
or a read-only diary works and leaves the file as it was. Refreshing the checklist stays
the Doctor screen's job.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from diazlog.domain.adherence import judge_day, planned_slots, still_to_come, summarize
from diazlog.domain.flag_summary import summarize_flags
from diazlog.domain.medicine_names import DrugClass, medicine_classes
from diazlog.domain.models import Alert, Medication, TaperStep
from diazlog.domain.name_resolution import NO_INTERACTION_LISTED
from diazlog.domain.redflags import episodes as flag_episodes
from diazlog.domain.taper_response import taper_response
from diazlog.domain.visit_summary import most_severe, summarize_daily
from diazlog.report.model import (
    ChartPoint,
    EpisodeLine,
    MedicineLine,
    ReportQuestion,
    SymptomLine,
    VisitReport,
    coarsen,
    flag_line,
    fmt,
    long_date,
    plan_text,
)
from diazlog.store.queries.visit_data import VisitData

if TYPE_CHECKING:
    from sqlite_utils import Database

Progress = Callable[[float], None]

# A chart has room for about this many points; longer ranges are averaged per bucket.
CHART_POINTS = 120

__all__ = [
    "VisitReport",
    "build_visit_report",
    "coarsen",
    "flag_line",
    "fmt",
    "long_date",
    "write_report",
]


def write_report(report: VisitReport, path: Path) -> Path:
    """Write .md or .pdf (by suffix), readable by the user alone, whole or not at all:
    a killed or failed write leaves the previous report as it was (store/atomic.py)."""
    from diazlog.store.file.atomic import write_atomically

    if path.suffix.lower() == ".pdf":
        from diazlog.report.pdf import render_pdf

        data = render_pdf(report)
    else:
        from diazlog.report.markdown import render_markdown

        data = render_markdown(report).encode("utf-8")
    return write_atomically(path, data)


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
    """Load the range, analyse it, and return the report's data (progress from 0 to 1).

    Reads only; everything in it is bound to [start, end].
    """
    from diazlog.store.queries.appointments import next_appointment
    from diazlog.store.queries.flags import flags_by_day
    from diazlog.store.queries.settings import user_name
    from diazlog.store.queries.visit_data import load_visit_data

    report_progress = progress or _noop
    report_progress(0.05)
    data = load_visit_data(db, start, end)
    report_progress(0.4)
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    taper = tuple(_steps_in_range(data.taper_steps, start, end))
    # Doses against the plan, on logged days only (a day not logged is unknown, not missed).
    # Today's doses whose time is still to come are not missed yet.
    judged = [
        still_to_come(
            judge_day(
                day,
                planned_slots(day, data.taper_steps, data.diazepam),
                data.diazepam_doses.get(day, ()),
            ),
            now,
        )
        for day in sorted(data.logged_days)
    ]
    mean_mg = sum(data.diazepam_mg.values()) / len(data.diazepam_mg) if data.diazepam_mg else None
    names = {s.id: s.name for s in data.symptoms}
    symptoms = tuple(
        SymptomLine(s.name, summarize_daily(data.ratings.get(s.id, {})))
        for s in data.symptoms
        if data.ratings.get(s.id) or s.active
    )
    shown, left_out = most_severe(list(data.described), "intensity", "date")
    episodes = tuple(
        EpisodeLine(
            d.date,
            names.get(d.rating.symptom_id, "?"),
            d.rating.intensity,
            d.rating.onset,
            d.rating.duration_min,
            d.rating.legs,
            d.rating.worse_with,
            d.rating.note,
        )
        for d in shown
    )
    report_progress(0.6)
    flagged = {d: a for d, a in flags_by_day(db, start, end, now).items() if a}
    flags = tuple(flag_episodes(flagged))
    report_progress(0.8)
    questions = _questions(db, start, end, now)
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
        user_name=user_name(db),
        appointment=next_appointment(db),
        flags=flags,
        flag_summary=tuple(summarize_flags(flagged)),
        taper=taper,
        next_step=next((s for s in _ordered(data.taper_steps) if s.from_date > end), None),
        taper_response=taper_response(
            data.taper_steps,
            [(s.name, data.ratings.get(s.id, {})) for s in data.symptoms if data.ratings.get(s.id)],
            start,
            end,
        ),
        notes=dict(data.notes),
        flag_doses=_flag_doses(flagged, data),
        plan_source=_plan_source(data, judged_days=[j.date for j in judged if j.slots]),
        adherence=summarize(judged),
        mean_daily_mg=data.dose_stats.mean if data.dose_stats and data.dose_stats.days else mean_mg,
        dose_stats=data.dose_stats,
        dose_days=len(data.diazepam_mg),
        symptoms=symptoms,
        episodes=episodes,
        episodes_left_out=left_out,
        walking=summarize_daily(data.walking),
        sleep=summarize_daily(data.sleep),
        falls=tuple(sorted(d for d, kinds in data.red_flags.items() if "fall" in kinds)),
        alcohol_days=len(data.alcohol),
        alcohol_units=sum(data.alcohol.values()),
        medicines=_medicines(data, set(data.diazepam_mg)),
        questions=questions,
        chart=_chart(pain, data.diazepam_mg, data.logged_days, first, last, bucket),
        chart_bucket_days=bucket,
    )
    report_progress(1.0)
    return report


def _plan_source(data: VisitData, judged_days: list[str]) -> str:
    """Where the planned doses came from: the taper plan, the usual dose, or both."""
    if not judged_days:
        return ""
    first_step = min((s.from_date for s in data.taper_steps), default=None)
    on_plan = first_step is not None and judged_days[-1] >= first_step
    usual = data.diazepam
    before = first_step is None or judged_days[0] < first_step
    usual_text = (
        f"usual dose, {plan_text(usual.usual_amount, usual.usual_times, usual.usual_amounts)}"
        if usual is not None and usual.usual_amount
        else "usual dose"
    )
    if on_plan and before:
        return f"taper plan (before its first step, the {usual_text})"
    return "taper plan" if on_plan else f"{usual_text} (no taper plan)"


def _questions(db: Database, start: str, end: str, now: datetime) -> tuple[ReportQuestion, ...]:
    """The user's own open questions, then those the range's data raises (computed here,
    never written). A generated question hidden or ticked on the checklist stays out."""
    from diazlog.domain.questions import generate
    from diazlog.store.queries.questions import current_questions, question_data_between

    checklist = current_questions(db)
    own = [
        ReportQuestion(q.text, None, own=True)
        for q in checklist
        if q.origin == "mine" and not q.hidden and not q.asked
    ]
    set_aside = {q.rule_key for q in checklist if q.origin == "generated" and (q.hidden or q.asked)}
    found = [
        ReportQuestion(g.text, g.facts)
        for g in generate(question_data_between(db, start, end, now))
        if g.rule_key not in set_aside
    ]
    return tuple(own + found)


# The rules whose episode key ends in a medication id (domain/medicine_flags.py).
MEDICINE_RULES = frozenset({"combination", "slower_breakdown", "faster_breakdown"})


def _flag_doses(flagged: dict[str, list[Alert]], data: VisitData) -> dict[str, tuple[str, ...]]:
    """Each flag key that names a medicine ("combination:7") -> the date of each of its doses
    in the range (the rules engine's key convention: rule, colon, medication id)."""
    found = {}
    for key in {a.key for alerts in flagged.values() for a in alerts}:
        rule, _, med = key.partition(":")
        if rule not in MEDICINE_RULES:
            continue  # "rising_tension:6" names a symptom, not a medicine
        if med.isdigit() and int(med) in data.other_dates:
            found[key] = tuple(data.other_dates[int(med)])
    return found


def _ordered(steps: tuple[TaperStep, ...]) -> list[TaperStep]:
    return sorted(steps, key=lambda s: s.from_date)


def _steps_in_range(steps: tuple[TaperStep, ...], start: str, end: str) -> list[TaperStep]:
    """The step in force on the first day, and every step that begins inside the range."""
    ordered = _ordered(steps)
    before = [s for s in ordered if s.from_date <= start]
    inside = [s for s in ordered if start < s.from_date <= end]
    return before[-1:] + inside


def _medicines(data: VisitData, diazepam_days: set[str]) -> tuple[MedicineLine, ...]:
    lines = []
    for med_id, days in data.other_days.items():
        med = data.medications.get(med_id)
        if med is None:
            continue
        amounts = data.other_amounts.get(med_id, [])
        lines.append(
            MedicineLine(
                med.name,
                data.recognised.get(med_id)
                or " + ".join(c.label for c in medicine_classes(med))
                or "not recognised",
                len(amounts),
                tuple(sorted(set(amounts))),
                med.unit,
                tuple(sorted(days)),
                len(days & diazepam_days),
                _warning(med, data.recognised.get(med_id)),
                data.other_as_needed.get(med_id, 0),
            )
        )
    return tuple(sorted(lines, key=lambda m: (-m.days_with_diazepam, m.name)))


def _warning(med: Medication, recognised: str | None = None) -> str:
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
    if not classes and recognised and recognised.endswith(NO_INTERACTION_LISTED):
        return "no interaction in the label's list"
    if not classes:
        return "ask your doctor how it mixes with diazepam"
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

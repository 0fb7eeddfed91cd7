"""The visit report as plain data, and the text helpers both renderers share.

report.visit builds a VisitReport from the diary, this module holds it, report.markdown and
report.pdf render it; the renderers import only this module (and never each other).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from diazlog.domain.adherence import AdherenceSummary
from diazlog.domain.models import Appointment, TaperStep
from diazlog.domain.questions import short_date
from diazlog.domain.redflags import FlagEvent
from diazlog.domain.taper import planned_total
from diazlog.domain.units import unit_word
from diazlog.domain.visit_summary import CHANGE_WINDOW_DAYS, DailySummary, date_runs

# The sections in the order both renderers show them (page 1 first: a one-minute summary).
SECTION_FLAGS = "Red flags"
SECTION_DIAZEPAM = "Diazepam: the plan and the doses taken"
SECTION_SYMPTOMS = "Symptoms (0-10)"
SECTION_EPISODES = "Episodes described"
SECTION_DAILY_LIFE = "Walking, sleep, falls and alcohol"
SECTION_MEDICINES = "Other medicines"
SECTION_QUESTIONS = "Questions for the doctor"
SECTION_CHART = "Leg pain against the diazepam dose"
SECTIONS = (
    SECTION_FLAGS,
    SECTION_DIAZEPAM,
    SECTION_SYMPTOMS,
    SECTION_EPISODES,
    SECTION_DAILY_LIFE,
    SECTION_MEDICINES,
    SECTION_QUESTIONS,
    SECTION_CHART,
)

# What a section says when the range holds nothing for it.
EMPTY = {
    SECTION_FLAGS: "None.",
    SECTION_SYMPTOMS: "No symptoms logged in this period.",
    SECTION_MEDICINES: "None logged.",
    SECTION_QUESTIONS: "No open questions.",
    SECTION_CHART: "Nothing logged.",
}


@dataclass(frozen=True)
class SymptomLine:
    name: str
    summary: DailySummary


@dataclass(frozen=True)
class EpisodeLine:
    """A rating the user described, as the report lists it."""

    date: str
    symptom: str
    rating: int
    onset: str | None
    duration_min: int | None
    legs: str | None
    worse_with: str | None
    note: str | None


@dataclass(frozen=True)
class MedicineLine:
    name: str
    drug_class: str
    doses: int
    amounts: tuple[float, ...]  # the distinct amounts logged, smallest first
    unit: str
    dates: tuple[str, ...]  # every date it was taken, oldest first
    days_with_diazepam: int
    warning: str = ""


@dataclass(frozen=True)
class ReportQuestion:
    text: str
    facts: str | None = None
    own: bool = False

    @property
    def line(self) -> str:
        return self.text + (" (my own)" if self.own else "")

    @property
    def source(self) -> str:
        return f"From the diary: {self.facts}" if self.facts else ""


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
    user_name: str = ""
    appointment: Appointment | None = None
    flags: tuple[FlagEvent, ...] = ()  # the rules engine's episodes in the range
    taper: tuple[TaperStep, ...] = ()  # the step in force on the first day, then those inside
    plan_source: str = ""  # "taper plan", "usual dose" or "" (no plan)
    adherence: AdherenceSummary = AdherenceSummary()
    mean_daily_mg: float | None = None
    dose_days: int = 0
    symptoms: tuple[SymptomLine, ...] = ()
    episodes: tuple[EpisodeLine, ...] = ()
    episodes_left_out: int = 0
    walking: DailySummary = DailySummary()
    sleep: DailySummary = DailySummary()
    falls: tuple[str, ...] = ()
    alcohol_days: int = 0
    alcohol_units: float = 0.0
    medicines: tuple[MedicineLine, ...] = ()
    questions: tuple[ReportQuestion, ...] = ()
    chart: tuple[ChartPoint, ...] = ()
    chart_bucket_days: int = 1

    @property
    def title(self) -> str:
        return f"Symptom diary: {long_date(self.start)} to {long_date(self.end)}"


# -- text shared by the renderers -----------------------------------------------------------

RATING_SCALE = (
    "Ratings are 0-10 (1-3 mild, 4-6 moderate, 7-10 severe); a change of 2 points or more "
    "is a real change."
)


def long_date(day: str) -> str:
    value = date.fromisoformat(day)
    return f"{value.day} {value:%b %Y}"


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def intro_lines(report: VisitReport) -> list[str]:
    """Who and when: name, range, days logged, the next appointment, where it comes from."""
    lines = []
    if report.user_name:
        lines.append(f"Name: {report.user_name}")
    lines.append(
        f"{long_date(report.start)} to {long_date(report.end)}: {report.days_logged} of "
        f"{report.days_in_range} days logged."
    )
    if report.appointment is not None:
        who = f" with {report.appointment.with_whom}" if report.appointment.with_whom else ""
        lines.append(f"Next appointment: {long_date(report.appointment.date)}{who}.")
    lines.append(
        f"Written by diazlog on {long_date(report.created[:10])} from the user's own diary. "
        + RATING_SCALE
    )
    return lines


def flag_line(event: FlagEvent) -> str:
    """One red-flag episode in words: its dates, what and how urgent, and whether seen."""
    when = long_date(event.start)
    if event.end != event.start:
        when += f" to {long_date(event.end)} ({event.days} days)"
    urgency = {"emergency": "EMERGENCY", "urgent": "URGENT", "ask": "ask your doctor"}
    seen = f"; seen by a doctor on {long_date(event.seen_on)}" if event.seen_on else ""
    return f"{when}: {event.title} [{urgency[event.severity_code]}{seen}]"


TAPER_HEADERS = ["From", "Plan", "Per day"]


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def plan_text(amount: float, times: tuple[str, ...]) -> str:
    """ "2 x 5 mg at 08:00, 20:00", "2 mg at 20:00", "no diazepam"."""
    if amount == 0:
        return "no diazepam"
    at = f" at {', '.join(times)}" if times else " a day"
    count = f"{len(times)} x " if len(times) > 1 else ""
    return f"{count}{amount:g} mg{at}"


def taper_rows(report: VisitReport) -> list[list[str]]:
    rows = []
    for step in report.taper:
        when = (
            f"in force on {long_date(report.start)}"
            if step.from_date < report.start
            else long_date(step.from_date)
        )
        plan = plan_text(step.amount, step.times)
        rows.append([when, plan, f"{planned_total(step):g} mg"])
    return rows


ADHERENCE_HEADERS = ["Planned", "Taken on time", "Late (>2 h off)", "Missed", "Extra"]


def adherence_row(report: VisitReport) -> list[str]:
    a = report.adherence
    return [
        str(a.planned),
        f"{a.taken} ({percent(a.percent(a.taken))})",
        f"{a.late} ({percent(a.percent(a.late))})",
        f"{a.missed} ({percent(a.percent(a.missed))})",
        str(a.extra),
    ]


def dose_lines(report: VisitReport) -> list[str]:
    """The plan's source and the doses in words, below the plan and the counts."""
    a = report.adherence
    lines = []
    if report.plan_source:
        lines.append(
            f"Planned doses from the {report.plan_source}, on the "
            f"{plural(a.days, 'logged day')} ({a.days_with_plan} with a dose planned; days not "
            "logged are not counted). On time = within 2 h of the planned time; late = further "
            "off, same day; extra = a scheduled dose beyond the plan."
        )
    else:
        lines.append("No plan or usual dose is set for diazepam, so no dose counts as planned.")
    if report.dose_days:
        lines.append(
            f"Logged: {fmt(report.mean_daily_mg)} mg a day on average on the "
            f"{plural(report.dose_days, 'day')} with a dose ({a.scheduled_mg:g} mg scheduled"
            f"{f' against {a.planned_mg:g} mg planned' if a.planned else ''})."
        )
    else:
        lines.append("No diazepam doses logged in this period.")
    lines.append(
        f"As needed: {plural(a.as_needed, 'dose')}, {a.as_needed_mg:g} mg."
        if a.as_needed
        else "As needed: none."
    )
    return lines


SYMPTOM_HEADERS = ["Symptom", "Average", "Worst", "Days logged", "First vs last logged days"]


def change_text(summary: DailySummary) -> str:
    if summary.change is None:
        return summary.verdict
    span = (
        f"first {summary.window} {fmt(summary.first_mean)} -> last {summary.window} "
        f"{fmt(summary.last_mean)}"
    )
    return f"{summary.verdict} ({span})"


def symptom_rows(report: VisitReport) -> list[list[str]]:
    """The symptom table as text cells, shared by the Markdown and the PDF report."""
    rows = []
    for line in report.symptoms:
        s = line.summary
        if not s.days_logged:
            rows.append([line.name, "-", "-", "0", "not logged"])
            continue
        worst = f"{s.worst} on {short_date(s.worst_date or report.end)}"
        rows.append([line.name, fmt(s.mean), worst, str(s.days_logged), change_text(s)])
    return rows


SYMPTOM_NOTE = (
    f"Change: the first and last {CHANGE_WINDOW_DAYS} logged days (fewer when fewer are "
    "logged), named worse or better only for a difference of 2 points or more."
)

EPISODE_HEADERS = ["Date", "Symptom", "Rating", "Onset", "Lasted", "Legs", "Worse with", "Note"]


def episode_rows(report: VisitReport) -> list[list[str]]:
    return [
        [
            short_date(e.date),
            e.symptom,
            str(e.rating),
            e.onset or "-",
            "-" if e.duration_min is None else f"{e.duration_min} min",
            e.legs or "-",
            e.worse_with or "-",
            e.note or "-",
        ]
        for e in report.episodes
    ]


def episodes_note(report: VisitReport) -> str:
    shown = len(report.episodes)
    if not shown:
        return "No episode details recorded in this period."
    rest = report.episodes_left_out
    if not rest:
        return f"All {plural(shown, 'described rating')}, newest first."
    return (
        f"The {shown} most severe of {shown + rest} described ratings, newest first "
        f"({rest} less severe not shown)."
    )


def daily_life_lines(report: VisitReport) -> list[str]:
    def interference(what: str, s: DailySummary) -> str:
        if not s.days_logged:
            return f"Legs got in the way of {what}: not logged."
        return (
            f"Legs got in the way of {what}: {fmt(s.mean)} of 10 on average, worst {s.worst} "
            f"on {short_date(s.worst_date or '')}, {plural(s.days_logged, 'day')} logged; "
            f"{change_text(s)}."
        )

    falls = (
        f"Falls ticked: {len(report.falls)} ({', '.join(short_date(d) for d in report.falls)})."
        if report.falls
        else "Falls ticked: none."
    )
    alcohol = (
        f"Alcohol: {report.alcohol_units:g} units on {report.alcohol_days} days."
        if report.alcohol_days
        else "Alcohol: none logged."
    )
    return [interference("walking", report.walking), interference("sleep", report.sleep)] + [
        falls,
        alcohol,
    ]


MEDICINE_HEADERS = ["Medicine", "Class", "Dose", "Dates taken", "With diazepam"]


def dates_text(dates: tuple[str, ...], runs_shown: int = 12) -> str:
    """ "3 Sep, 5-7 Sep, ..." (the latest runs when there are many)."""
    runs = date_runs(dates)
    parts = [
        short_date(a) if a == b else f"{short_date(a)}-{short_date(b)}"
        for a, b in runs[-runs_shown:]
    ]
    left = sum(
        (date.fromisoformat(b) - date.fromisoformat(a)).days + 1 for a, b in runs[:-runs_shown]
    )
    return (f"{left} earlier days, " if left else "") + ", ".join(parts)


def medicine_rows(report: VisitReport) -> list[list[str]]:
    rows = []
    for m in report.medicines:
        amounts = "/".join(f"{a:g}" for a in m.amounts)
        dose = f"{amounts} {unit_word(max(m.amounts, default=1), m.unit)}, "
        dose += plural(m.doses, "dose")
        when = f"{plural(len(m.dates), 'day')}: {dates_text(m.dates)}"
        interaction = f"on {m.days_with_diazepam} of them; {m.warning or 'no known interaction'}"
        rows.append([m.name, m.drug_class, dose, when, interaction])
    return rows


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

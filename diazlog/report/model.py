"""The visit report as plain data, and the text helpers both renderers share.

report.visit builds a VisitReport from the diary, this module holds it, report.markdown and
report.pdf render it; the renderers import this module, report.page_one (page 1's words) and
report.text (the cleaner), and never each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from diazlog.domain.adherence import AdherenceSummary
from diazlog.domain.flag_summary import FlagKindLine
from diazlog.domain.models import Appointment, TaperStep, planned_doses
from diazlog.domain.questions import short_date
from diazlog.domain.redflags import FlagEvent
from diazlog.domain.taper import describe_doses, planned_total
from diazlog.domain.taper_response import StepResponse
from diazlog.domain.trends import DoseStats
from diazlog.domain.units import unit_word
from diazlog.domain.visit_summary import CHANGE_WINDOW_DAYS, DailySummary, date_runs
from diazlog.report.text import readable_dates

# The sections in the order both renderers show them (page 1 first: a one-minute summary).
SECTION_FLAGS = "Red flags"
SECTION_RESPONSE = "Symptoms before and after each taper step"
SECTION_FLAG_DAYS = "Red flags, day by day"
SECTION_DIAZEPAM = "Diazepam: the plan and the doses taken"
SECTION_SYMPTOMS = "Symptoms (0-10)"
SECTION_EPISODES = "Episodes described"
SECTION_DAILY_LIFE = "Walking, sleep, falls and alcohol"
SECTION_MEDICINES = "Other medicines"
SECTION_QUESTIONS = "Questions for the doctor"
SECTION_CHART = "Leg pain against the diazepam dose"
SECTIONS = (
    SECTION_FLAGS,
    SECTION_RESPONSE,
    SECTION_DIAZEPAM,
    SECTION_SYMPTOMS,
    SECTION_FLAG_DAYS,
    SECTION_EPISODES,
    SECTION_DAILY_LIFE,
    SECTION_MEDICINES,
    SECTION_QUESTIONS,
    SECTION_CHART,
)

# What a section says when the range holds nothing for it.
EMPTY = {
    SECTION_FLAGS: "None.",
    SECTION_FLAG_DAYS: "None.",
    SECTION_RESPONSE: "No taper step in this period.",
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
    as_needed: int = 0  # how many of the doses were logged as needed


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
    flag_summary: tuple[FlagKindLine, ...] = ()  # one line per kind, most severe first
    taper: tuple[TaperStep, ...] = ()  # the step in force on the first day, then those inside
    next_step: TaperStep | None = None  # the first step after the range, if planned
    taper_response: tuple[StepResponse, ...] = ()  # symptoms around each step in the range
    notes: dict[str, str] = field(default_factory=dict)  # ISO date -> the day's note
    # For flags that name a medicine (key "rule:<medication id>"): the date of each of its
    # doses in the range, so "with Tramadol" says 1 dose on 1 day, not the days flagged.
    flag_doses: dict[str, tuple[str, ...]] = field(default_factory=dict)
    plan_source: str = ""  # "taper plan", "usual dose" or "" (no plan)
    adherence: AdherenceSummary = AdherenceSummary()
    mean_daily_mg: float | None = None  # mg a logged day, as Charts computes it
    dose_stats: DoseStats | None = None  # the same numbers Charts shows for these days
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


def _mean_mg(report: VisitReport) -> str:
    """Mean diazepam mg a logged day, worded by DoseStats as Charts words it."""
    stats = report.dose_stats
    return stats.mean_text if stats is not None and stats.days else fmt(report.mean_daily_mg)


def _days_for_mean(report: VisitReport) -> str:
    stats = report.dose_stats
    if stats is None or not stats.days:  # doses only, no day logged: over the dose days
        return plural(report.dose_days, "day") + " with a dose"
    return f"{plural(stats.days, 'logged day')}, {stats.dose_days} with a dose"


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
        flagged = plural(event.days, "flagged day")
        when += f" to {long_date(event.end)} ({flagged})"
    seen = f"; seen by a doctor on {long_date(event.seen_on)}" if event.seen_on else ""
    return f"{when}: {readable_dates(event.title)} [{event.level.label}{seen}]"


TAPER_HEADERS = ["From", "Plan", "Per day"]


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def plan_text(amount: float, times: tuple[str, ...], amounts: tuple[float, ...] = ()) -> str:
    """ "2 x 5 mg at 08:00, 20:00", "5 mg at 08:00 + 2.5 mg at 20:00", "no diazepam"."""
    if amount == 0:
        return "no diazepam"
    doses = planned_doses(amount, times, amounts)
    if len({d.amount for d in doses}) > 1:
        return describe_doses(doses)
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
        plan = plan_text(step.amount, step.times, step.amounts)
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
            "off, same day; extra = a regular (not as-needed) dose beyond the plan."
        )
    else:
        lines.append("No plan or usual dose is set for diazepam, so no dose counts as planned.")
    if report.dose_days:
        lines.append(
            f"Logged: {_mean_mg(report)} mg a day on average over the "
            f"{_days_for_mean(report)} ({a.scheduled_mg:g} mg taken as regular doses"
            f"{f' against {a.planned_mg:g} mg planned' if a.planned else ''})."
        )
    else:
        lines.append("No diazepam doses logged in this period.")
    others = [m for m in report.medicines if m.as_needed]
    other_text = (
        " Taken as needed besides diazepam: "
        + ", ".join(f"{m.name} {plural(m.as_needed, 'dose')}" for m in others)
        + "."
        if others
        else ""
    )
    lines.append(
        (
            f"Diazepam as needed: {plural(a.as_needed, 'dose')}, {a.as_needed_mg:g} mg."
            if a.as_needed
            else "Diazepam as needed: none."
        )
        + other_text
    )
    return lines


def next_step_line(report: VisitReport) -> str:
    """The plan's next step after the period, so the doctor sees where the taper goes."""
    step = report.next_step
    if step is None:
        return ""
    plan = plan_text(step.amount, step.times, step.amounts)
    return (
        f"Next step of the plan, after this period: {plan} "
        f"({planned_total(step):g} mg a day) from {long_date(step.from_date)}."
    )


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
        worst = f"{s.worst} on {dates_text(s.worst_dates, 4)}"
        rows.append([line.name, fmt(s.mean), worst, str(s.days_logged), change_text(s)])
    return rows


SYMPTOM_NOTE = (
    f"Change: the first and last {CHANGE_WINDOW_DAYS} logged days (fewer when fewer are "
    "logged), named worse or better only for a difference of 2 points or more."
)

EPISODE_HEADERS = ["Date", "Symptom", "Rating", "Onset", "Lasted", "Legs", "Worse with", "Note"]


def episode_rows(report: VisitReport) -> list[list[str]]:
    """The described ratings; the day's own note beside the first row of its date."""
    rows = []
    noted: set[str] = set()
    for e in report.episodes:
        notes = [e.note] if e.note else []
        if e.date in report.notes and e.date not in noted:
            noted.add(e.date)
            notes.append(f"Day: {report.notes[e.date]}")
        rows.append(
            [
                short_date(e.date),
                e.symptom,
                str(e.rating),
                e.onset or "-",
                "-" if e.duration_min is None else f"{e.duration_min} min",
                e.legs or "-",
                e.worse_with or "-",
                "; ".join(notes) or "-",
            ]
        )
    return rows


def episodes_note(report: VisitReport) -> str:
    shown = len(report.episodes)
    if not shown:
        return "No episode details recorded in this period."
    rest = report.episodes_left_out
    if not rest:
        if shown == 1:
            return "1 described rating."
        return f"All {shown} described ratings, newest first."
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
            f"on {dates_text(s.worst_dates, 4)}, {plural(s.days_logged, 'day')} logged; "
            f"{change_text(s)}."
        )

    falls = (
        f"Falls ticked: {len(report.falls)} ({', '.join(short_date(d) for d in report.falls)})."
        if report.falls
        else "Falls ticked: none."
    )
    alcohol = (
        f"Alcohol: {report.alcohol_units:g} units on {plural(report.alcohol_days, 'drinking day')}."
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
    return (f"{plural(left, 'earlier day')}, " if left else "") + ", ".join(parts)


def medicine_rows(report: VisitReport) -> list[list[str]]:
    rows = []
    for m in report.medicines:
        amounts = "/".join(f"{a:g}" for a in m.amounts)
        needed = f" ({m.as_needed} as needed)" if m.as_needed else ""
        unit = unit_word(max(m.amounts, default=1), m.unit)
        dose = f"{amounts} {unit}, {plural(m.doses, 'dose')}{needed}"
        when = f"{plural(len(m.dates), 'day')}: {dates_text(m.dates)}"
        interaction = (
            f"{m.days_with_diazepam} of those days with diazepam; "
            f"{m.warning or 'no known interaction'}"
        )
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

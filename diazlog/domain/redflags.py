"""The red-flag rules: pure functions over a day, the days before it, the medicines and the plan.

One engine for every place that shows a flag (Today, History, `status`, `flags`, the Doctor
questions and the report), so they can never disagree. Each rule relays what its source says
at the strength it says it (seed.md, CLINICAL.md): "seek immediate medical attention" for the
seed's red flag, emergency services for breathing, "ask your doctor" for the rest. The app
never advises beyond that.

A day's flags depend only on that day and the days before it (the baseline, the run of pain,
the 48 hours of interactions), never on days after it, so adding a day never changes an
earlier day's flags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache

from diazlog.domain import limits
from diazlog.domain.medicine_names import DrugClass, medicine_classes
from diazlog.domain.models import (
    Alert,
    DayLog,
    Dose,
    FlagKind,
    Medication,
    Severity,
    SymptomKind,
    TaperStep,
)
from diazlog.domain.taper import planned_for, planned_total

SEED = "seed.md"
SEEK_NOW = "seek immediate medical attention"
ASK_TAPER = "ask your doctor about tapering (stopping or cutting fast can bring withdrawal)"


@dataclass(frozen=True)
class FlagContext:
    """What the rules need beyond the day itself: the user's set-up and the days before it."""

    medications: Mapping[int, Medication] = field(default_factory=dict)
    symptom_kinds: Mapping[int, SymptomKind] = field(default_factory=dict)
    symptom_names: Mapping[int, str] = field(default_factory=dict)
    plan: Sequence[TaperStep] = ()  # the diazepam taper plan, any order
    # Logged days before the day judged, by ISO date; the loader gives at least LOOKBACK_DAYS.
    earlier: Mapping[str, DayLog] = field(default_factory=dict)
    # "A doctor has seen this": (episode key, episode start) -> (seen on, level seen).
    reviews: Mapping[tuple[str, str], tuple[str, float]] = field(default_factory=dict)
    now: datetime | None = None  # None: every day counts as over

    @cached_property
    def pain_ids(self) -> frozenset[int]:
        """Symptoms the pain rules read: every pain and cramp/spasm kind."""
        return frozenset(i for i, kind in self.symptom_kinds.items() if kind.is_pain)

    @cached_property
    def diazepam_ids(self) -> frozenset[int]:
        return frozenset(i for i, m in self.medications.items() if m.is_diazepam)

    def with_earlier(self, earlier: Mapping[str, DayLog]) -> FlagContext:
        return replace(self, earlier=earlier)


def evaluate(day: DayLog, context: FlagContext) -> list[Alert]:
    """All flags of the day, most urgent first, each marked seen when a doctor has seen it."""
    alerts: list[Alert] = []
    alerts += _ticked(day, context)
    alerts += _pain(day, context)
    alerts += _dose(day, context)
    alerts += _interactions(day, context)
    alerts = [replace(a, date=day.date) for a in alerts]
    return sorted(alerts, key=lambda a: (-a.severity, RULE_ORDER.index(a.rule), a.key))


def evaluate_days(days: Iterable[DayLog], context: FlagContext) -> dict[str, list[Alert]]:
    """Flags of many days, oldest first; `days` must hold the lookback before the first wanted.

    Each day is judged with the days before it only, exactly as `evaluate` would.
    """
    ordered = sorted(days, key=lambda d: d.date)
    result: dict[str, list[Alert]] = {}
    # One window, kept in date order and moved along: each day sees the days before it.
    window: dict[str, DayLog] = dict(sorted(context.earlier.items()))
    sliding = context.with_earlier(window)
    for day in ordered:
        start = _shift(day.date, -limits.FLAG_LOOKBACK_DAYS)
        while window and next(iter(window)) < start:
            del window[next(iter(window))]
        result[day.date] = evaluate(day, sliding)
        window[day.date] = day
    return result


def judge_day(day: DayLog, earlier: Sequence[DayLog], context: FlagContext) -> list[Alert]:
    """One day's flags with its seen marks: Today's live banner and `diazlog log`.

    `earlier` are the logged days before it (store.flags loads enough of them); they are
    judged too, only so that an episode's first day, and so its review, is known.
    """
    judged = evaluate_days([*[d for d in earlier if d.date < day.date], day], context)
    return apply_reviews(judged, context.reviews).get(day.date, [])


# -- episodes and "seen" ---------------------------------------------------------------------


@dataclass(frozen=True)
class FlagEvent:
    """One rule firing on consecutive days (a gap of one unlogged day keeps it going)."""

    start: str
    end: str
    rule: str
    key: str
    severity: Severity
    title: str
    message: str
    days: int
    seen_on: str | None = None
    dates: tuple[str, ...] = ()  # the flagged days themselves (a run may skip an unlogged day)

    @property
    def severity_code(self) -> str:
        return self.severity.code


def episodes(flags_by_day: Mapping[str, Sequence[Alert]]) -> list[FlagEvent]:
    """Group each day's flags into runs per rule key, oldest first.

    The run keeps the most urgent severity and the title and message of its worst day (its
    highest level), so "a 8-day run of leg pain" is one line with its dates, not 8.
    """
    runs: dict[str, list[Alert]] = {}
    events: list[FlagEvent] = []

    def close(alerts: list[Alert]) -> None:
        worst = max(alerts, key=lambda a: (a.severity, a.level))
        seen = [a.seen_on for a in alerts if a.seen_on]
        events.append(
            FlagEvent(
                start=alerts[0].date,
                end=alerts[-1].date,
                rule=worst.rule,
                key=worst.key,
                severity=worst.severity,
                title=worst.title,
                message=worst.message,
                days=len(alerts),
                seen_on=min(seen) if seen else None,
                dates=tuple(a.date for a in alerts),
            )
        )

    for day in sorted(flags_by_day):
        for alert in flags_by_day[day]:
            run = runs.get(alert.key)
            if run and _days_between(run[-1].date, day) > limits.EPISODE_GAP_DAYS:
                close(run)
                run = None
            if run is None:
                runs[alert.key] = [alert]
            else:
                run.append(alert)
    for run in runs.values():
        close(run)
    return sorted(events, key=lambda e: (e.start, -e.severity, e.key))


def apply_reviews(
    flags_by_day: Mapping[str, Sequence[Alert]],
    reviews: Mapping[tuple[str, str], tuple[str, float]],
) -> dict[str, list[Alert]]:
    """Mark the days of an episode a doctor has seen, until it ends or gets worse.

    A review names the episode by its key and first day; its days stay "seen" while their
    level stays at or below the level seen, and from the first worse day on they are not.
    """
    starts = episode_starts(flags_by_day)
    worse_in: set[tuple[str, str]] = set()  # (key, episode start) once a day was worse
    result: dict[str, list[Alert]] = {}
    for day in sorted(flags_by_day):
        marked = []
        for alert in flags_by_day[day]:
            episode = (alert.key, starts[(day, alert.key)])
            review = reviews.get(episode)
            if review is not None and alert.level > review[1]:
                worse_in.add(episode)
            if review is not None and episode not in worse_in:
                alert = replace(alert, seen_on=review[0])
            marked.append(alert)
        result[day] = marked
    return result


def episode_starts(flags_by_day: Mapping[str, Sequence[Alert]]) -> dict[tuple[str, str], str]:
    """(day, key) -> the first day of the episode that day's flag belongs to."""
    starts: dict[tuple[str, str], str] = {}
    runs: dict[str, tuple[str, str]] = {}
    for day in sorted(flags_by_day):
        for alert in flags_by_day[day]:
            run = runs.get(alert.key)
            if run is None or _days_between(run[1], day) > limits.EPISODE_GAP_DAYS:
                run = (day, day)
            runs[alert.key] = (run[0], day)
            starts[(day, alert.key)] = run[0]
    return starts


# -- the rules -------------------------------------------------------------------------------

RULE_ORDER = (
    "breathing",
    "overdose",
    "severe_pain",
    "persistent_pain",
    "confusion",
    "extreme_weakness",
    "repeated_falls",
    "weakness_check",
    "combination",
    "slower_breakdown",
    "dose_cut",
    "gradual_cut",
    "stopped",
    "above_usual",
    "fall",
)


def _alert(
    rule: str,
    severity: Severity,
    title: str,
    message: str,
    source: str,
    *,
    key: str = "",
    level: float = 0.0,
) -> Alert:
    return Alert(rule, severity, title, message, key=key or rule, level=level, source=source)


def _ticked(day: DayLog, context: FlagContext) -> list[Alert]:
    alerts = []
    if FlagKind.BREATHING in day.red_flags:
        alerts.append(
            _alert(
                "breathing",
                Severity.EMERGENCY,
                "Breathing difficulty",
                "Slow, shallow or difficult breathing with diazepam may mean a serious reaction "
                "or a possible overdose: call emergency services now.",
                f"{SEED}; NHS: emergency services if breathing becomes very slow or shallow",
            )
        )
    for kind, what in (
        (FlagKind.CONFUSION, "Confusion"),
        (FlagKind.EXTREME_WEAKNESS, "Extreme weakness"),
    ):
        if kind in day.red_flags:
            alerts.append(
                _alert(
                    kind.value,
                    Severity.URGENT,
                    what,
                    f"{what} with diazepam may mean a serious reaction or a possible overdose: "
                    f"{SEEK_NOW}.",
                    f"{SEED}; Valium label (overdose: somnolence, confusion)",
                )
            )
    if FlagKind.FALL in day.red_flags:
        earlier_falls = [
            d
            for d, log in context.earlier.items()
            if FlagKind.FALL in log.red_flags and d >= _shift(day.date, -limits.REPEATED_FALLS_DAYS)
        ]
        if earlier_falls:
            alerts.append(
                _alert(
                    "repeated_falls",
                    Severity.URGENT,
                    f"Repeated falls ({len(earlier_falls) + 1} in "
                    f"{limits.REPEATED_FALLS_DAYS + 1} days)",
                    "Repeated falls while taking diazepam: get urgent medical advice.",
                    "NHS (side effects of diazepam): urgent advice for repeated falls",
                )
            )
        else:
            alerts.append(
                _alert(
                    "fall",
                    Severity.DOCTOR,
                    "A fall",
                    "Falls are more likely with diazepam, above all with other sedatives or "
                    "alcohol: tell your doctor about it.",
                    "Valium label: falls and fractures",
                )
            )
    return alerts


def _pain_of(day: DayLog, context: FlagContext) -> tuple[int, str] | None:
    """The day's highest rating on a pain or cramp/spasm symptom, and that symptom's name."""
    best: tuple[int, str] | None = None
    pain_ids = context.pain_ids
    for rating in day.ratings:
        if rating.symptom_id not in pain_ids:
            continue
        if best is None or rating.intensity > best[0]:
            best = (rating.intensity, context.symptom_names.get(rating.symptom_id, "Leg pain"))
    return best


def _weakness(day: DayLog, context: FlagContext) -> list[Alert]:
    """Very high weakness asks whether it is the seed's "extreme weakness" (the user ticks it)."""
    if FlagKind.EXTREME_WEAKNESS in day.red_flags:
        return []
    weak = [
        r
        for r in day.ratings
        if context.symptom_kinds.get(r.symptom_id) == SymptomKind.WEAKNESS
        and r.intensity >= limits.EXTREME_WEAKNESS_ASK
    ]
    if not weak:
        return []
    worst = max(weak, key=lambda r: r.intensity)
    name = context.symptom_names.get(worst.symptom_id, "Leg weakness")
    return [
        _alert(
            "weakness_check",
            Severity.DOCTOR,
            f"{name} {worst.intensity}/10",
            'Is this extreme weakness? If it is, tick "Extreme weakness": extreme weakness '
            f"with diazepam may mean a serious reaction or a possible overdose: {SEEK_NOW}.",
            SEED,
            level=worst.intensity,
        )
    ]


def _pain(day: DayLog, context: FlagContext) -> list[Alert]:
    today = _pain_of(day, context)
    alerts = _weakness(day, context)
    if today is None:
        return alerts
    intensity, name = today
    if intensity >= limits.SEVERE_PAIN:
        alerts.append(
            _alert(
                "severe_pain",
                Severity.URGENT,
                f"Severe leg pain ({name} {intensity}/10)",
                "Severe leg muscle pain may mean a serious reaction or a possible overdose: "
                f"{SEEK_NOW}.",
                f"{SEED}; CLINICAL.md: 7-10 is severe",
                level=intensity,
            )
        )
    run = persistent_pain(day, context)
    if run is not None:
        high, logged = run
        alerts.append(
            _alert(
                "persistent_pain",
                Severity.URGENT,
                f"Persistent leg pain ({limits.PERSISTENT_PAIN}+ on {high} of the last "
                f"{logged} logged days)",
                "Persistent leg muscle pain may mean a serious reaction or a possible overdose: "
                f"{SEEK_NOW}.",
                SEED,
                level=intensity,
            )
        )
    return alerts


def persistent_pain(day: DayLog, context: FlagContext) -> tuple[int, int] | None:
    """(days at 5+, days looked at) when leg pain is persistent on `day`, else None.

    Persistent: 5 or more on the day itself and on at least 3 of the last 4 days with a pain
    rating within 5 calendar days, so one unlogged day does not reset the run.
    """
    today = _pain_of(day, context)
    if today is None or today[0] < limits.PERSISTENT_PAIN:
        return None
    window_start = _shift(day.date, -(limits.PERSISTENT_WINDOW_DAYS - 1))
    values = [today[0]]
    for d in sorted(context.earlier, reverse=True):
        if d < window_start or len(values) == limits.PERSISTENT_LOOK_DAYS:
            break
        pain = _pain_of(context.earlier[d], context)
        if pain is not None:
            values.append(pain[0])
    high = sum(v >= limits.PERSISTENT_PAIN for v in values)
    return (high, len(values)) if high >= limits.PERSISTENT_DAYS else None


# -- dose rules --------------------------------------------------------------------------------


def _diazepam_total(day: DayLog, context: FlagContext) -> float:
    return day.dose_total(context.diazepam_ids)


def planned_daily_total(day: str, context: FlagContext) -> tuple[float, str] | None:
    """What the user means to take on `day`: the taper step in force, else the usual dose.

    A usual dose without its times (set up from the shell's first `--dose`) says how much per
    dose but not how many a day: (amount, "usual dose") then, and `daily_total_known` is False.
    """
    step = planned_for(context.plan, day)
    if step is not None:
        return planned_total(step), "planned"
    usual = [
        m
        for m in context.medications.values()
        if m.is_diazepam and m.usual_amount and m.active_on(day)
    ]
    if usual:
        med = usual[0]
        assert med.usual_amount is not None
        if not med.usual_times:
            return med.usual_amount, "usual dose"
        return med.usual_amount * len(med.usual_times), "usual"
    return None


def last_planned_time(day: str, context: FlagContext) -> str | None:
    step = planned_for(context.plan, day)
    if step is not None and step.times:
        return max(step.times)
    times = [t for m in context.medications.values() if m.is_diazepam for t in m.usual_times]
    return max(times) if times else None


def day_is_over(day: str, context: FlagContext) -> bool:
    """Whether a day's diazepam total can be judged: the day is over, or its last planned dose
    time has passed (so "cut from 10 to 5 mg" does not show all morning)."""
    if context.now is None:
        return True
    today = context.now.date().isoformat()
    if day < today:
        return True
    if day > today:
        return False
    last = last_planned_time(day, context)
    return last is not None and context.now.strftime("%H:%M") > last


def baseline(day: str, context: FlagContext) -> float | None:
    """Median daily diazepam total of the last 7 dose days within the 14 days before `day`."""
    start = _shift(day, -limits.BASELINE_WINDOW_DAYS)
    totals = [
        _diazepam_total(context.earlier[d], context)
        for d in sorted(context.earlier, reverse=True)
        if start <= d < day
    ]
    dose_days = [t for t in totals if t > 0][: limits.BASELINE_DOSE_DAYS]
    return median(dose_days) if dose_days else None


def median(values: Sequence[float]) -> float:
    """The middle value (the mean of the two middle ones for an even count).

    Written out because `statistics` pulls in fractions and decimal (about 6 ms) on the way
    to Today's first frame; hypothesis checks it against statistics.median.
    """
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _matches_plan(day: str, total: float, context: FlagContext) -> bool:
    step = planned_for(context.plan, day)
    return step is not None and abs(total - planned_total(step)) < 0.01


def _dose(day: DayLog, context: FlagContext) -> list[Alert]:
    if not context.diazepam_ids:
        return []
    total = _diazepam_total(day, context)
    alerts = []
    if total > limits.LABEL_MAX_DAILY_MG:
        alerts.append(
            _alert(
                "overdose",
                Severity.URGENT,
                f"Diazepam {total:g} mg in a day",
                f"More than the label's {limits.LABEL_MAX_DAILY_MG:g} mg a day: possible "
                "overdose: seek medical attention now.",
                "Valium label: 2-10 mg 3 or 4 times a day",
                level=total,
            )
        )
    expected = planned_daily_total(day.date, context)
    daily_total_known = expected is not None and expected[1] != "usual dose"
    if (
        expected is not None
        and daily_total_known
        and expected[0] > 0
        and total > expected[0] * limits.ABOVE_USUAL_RATIO
    ):
        alerts.append(
            _alert(
                "above_usual",
                Severity.DOCTOR,
                f"Diazepam {total:g} mg, over 1.5× your {expected[1]} {expected[0]:g} mg",
                "More diazepam than planned: ask your doctor.",
                "Valium label: dosing",
                level=total,
            )
        )
    if _matches_plan(day.date, total, context):
        return alerts
    if total == 0:
        alerts += _stopped(day, context, expected)
        return alerts
    if not day_is_over(day.date, context):
        return alerts
    usual = baseline(day.date, context)
    if usual is not None and total < usual * (1 - limits.DOSE_CUT_FRACTION):
        alerts.append(
            _alert(
                "dose_cut",
                Severity.DOCTOR,
                f"Diazepam cut to {total:g} mg (usual {usual:g} mg)",
                f"A cut of {(1 - total / usual):.0%} against your last dose days: {ASK_TAPER}.",
                "Valium label: withdrawal after a fast cut",
                level=1 - total / usual,
            )
        )
        return alerts
    peak = gradual_cut_from(day.date, total, context)
    if peak is not None:
        alerts.append(
            _alert(
                "gradual_cut",
                Severity.DOCTOR,
                f"Diazepam cut step by step from {peak:g} to {total:g} mg",
                f"Cuts adding up to {(1 - total / peak):.0%} within "
                f"{limits.BASELINE_WINDOW_DAYS} days: {ASK_TAPER}.",
                "Valium label: withdrawal after a fast cut",
                level=1 - total / peak,
            )
        )
    return alerts


def gradual_cut_from(day: str, total: float, context: FlagContext) -> float | None:
    """The start of a run of cuts ending at `day` that adds up to more than 25% in 14 days.

    Walks back over dose days while each one is at least the next; needs two cuts or more
    (a single big cut is the baseline rule's).
    """
    start = _shift(day, -limits.BASELINE_WINDOW_DAYS)
    current = total
    cuts = 0
    for d in sorted(context.earlier, reverse=True):
        if d < start:
            break
        earlier = _diazepam_total(context.earlier[d], context)
        if earlier == 0:
            continue
        if earlier < current:
            break
        if earlier > current:
            cuts += 1
        current = earlier
    if cuts >= 2 and total < current * (1 - limits.DOSE_CUT_FRACTION):
        return current
    return None


def _stopped(day: DayLog, context: FlagContext, expected: tuple[float, str] | None) -> list[Alert]:
    """No diazepam logged for 2 days or more while a plan or a usual dose says to take some."""
    if expected is None or expected[0] == 0:
        return []
    if baseline(day.date, context) is None:
        return []  # no recent dose days: nothing to compare with (a new diary)
    days_without = 1 if day_is_over(day.date, context) else 0
    current = day.date
    while True:
        current = _shift(current, -1)
        log = context.earlier.get(current)
        if log is not None and _diazepam_total(log, context) > 0:
            break
        if current < _shift(day.date, -limits.BASELINE_WINDOW_DAYS):
            break
        days_without += 1
    if days_without < limits.STOPPED_DAYS:
        return []
    return [
        _alert(
            "stopped",
            Severity.DOCTOR,
            f"No diazepam logged for {days_without} days",
            (
                f"Your usual dose is {expected[0]:g} mg: {ASK_TAPER}."
                if expected[1] == "usual dose"
                else f"Your {expected[1]} dose is {expected[0]:g} mg a day: {ASK_TAPER}."
            ),
            "Valium label: withdrawal after stopping",
            level=days_without,
        )
    ]


# -- interactions ------------------------------------------------------------------------------

_CLASS_WORDS = {
    DrugClass.OPIOID: (
        "Together they can cause profound sedation, slowed breathing, coma and death: ask your "
        "doctor about this combination. If breathing becomes very slow or shallow, call "
        "emergency services.",
        "Valium label boxed warning: opioids",
    ),
    DrugClass.GABAPENTINOID: (
        "Together they can cause serious breathing problems: ask your doctor about this "
        "combination.",
        "FDA 2019: gabapentinoids with CNS depressants",
    ),
    DrugClass.ALCOHOL: (
        "Alcohol adds to diazepam's sedation and the risk of falls: ask your doctor.",
        "Valium label: alcohol",
    ),
}
_ADDS = (
    "Both add to sedation, weakness and the risk of falls: ask your doctor about this combination.",
    "Valium label: CNS depressants",
)
_SLOWS = (
    "It can increase and prolong diazepam's sedation: ask your doctor.",
    "Valium label: CYP3A4 / CYP2C19",
)


def _when(day: str, dose: Dose) -> datetime:
    return datetime.fromisoformat(f"{day}T{dose.time}")


def _within(first: datetime, second: datetime) -> bool:
    return abs(first - second) <= timedelta(hours=limits.INTERACTION_HOURS)


def _interactions(day: DayLog, context: FlagContext) -> list[Alert]:
    """Alcohol or an interacting medicine within 48 hours of a diazepam dose, either order.

    Judged on the later of the two days, so it looks back only. Alcohol has no time of day:
    it counts when a dose is within 2 calendar days of it.
    """
    diazepam = context.diazepam_ids
    if not diazepam:
        return []
    cutoff = _shift(day.date, -2)
    window = [(d, context.earlier[d]) for d in sorted(d for d in context.earlier if d >= cutoff)]
    window.append((day.date, day))
    doses_of = [(d, dose) for d, log in window for dose in log.doses]
    diazepam_times = [_when(d, x) for d, x in doses_of if x.medication_id in diazepam]
    if not diazepam_times:
        return []
    today_diazepam = [_when(day.date, x) for x in day.doses if x.medication_id in diazepam]
    alerts = []
    found: dict[int, tuple[Medication, tuple[DrugClass, ...]]] = {}
    for d, dose in doses_of:
        med = context.medications.get(dose.medication_id)
        if med is None or dose.medication_id in diazepam:
            continue
        classes = medicine_classes(med)
        if not any(c != DrugClass.SPEEDS_BREAKDOWN for c in classes):
            continue
        when = _when(d, dose)
        partners = diazepam_times if d == day.date else today_diazepam
        if any(_within(when, t) for t in partners) and dose.medication_id not in found:
            found[dose.medication_id] = (med, classes)
    for med_id, (med, classes) in sorted(found.items(), key=lambda kv: kv[1][0].name.lower()):
        adding = [c for c in classes if c.adds_to_diazepam]
        if adding:
            words, source = _CLASS_WORDS.get(adding[0], _ADDS)
            alerts.append(
                _alert(
                    "combination",
                    Severity.DOCTOR,
                    f"Diazepam with {med.name} ({adding[0].label}) within "
                    f"{limits.INTERACTION_HOURS} hours",
                    words,
                    source,
                    key=f"combination:{med_id}",
                )
            )
        if DrugClass.SLOWS_BREAKDOWN in classes:
            alerts.append(
                _alert(
                    "slower_breakdown",
                    Severity.DOCTOR,
                    f"Diazepam with {med.name} (slows diazepam's breakdown)",
                    _SLOWS[0],
                    _SLOWS[1],
                    key=f"slower_breakdown:{med_id}",
                )
            )
    drinks = [(d, log.alcohol_units) for d, log in window if log.alcohol_units]
    today_alcohol = bool(day.alcohol_units)
    if (today_alcohol and diazepam_times) or (today_diazepam and drinks):
        units = day.alcohol_units if today_alcohol else drinks[-1][1]
        drink_day = day.date if today_alcohol else drinks[-1][0]
        words, source = _CLASS_WORDS[DrugClass.ALCOHOL]
        alerts.append(
            _alert(
                "combination",
                Severity.DOCTOR,
                f"Diazepam with alcohol ({units:g} unit{'' if units == 1 else 's'}"
                + ("" if drink_day == day.date else f" on {drink_day}")
                + ")",
                words,
                source,
                key="combination:alcohol",
            )
        )
    return alerts


# -- dates -------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


@lru_cache(maxsize=8192)
def _days_between(first: str, second: str) -> int:
    return (date.fromisoformat(second) - date.fromisoformat(first)).days

"""Questions for the doctor: the built-in ones, and rules that turn the user's data into more.

Each rule is a pure function over `QuestionData` that returns a `GeneratedQuestion` (a stable
key, the question, and the facts behind it with the numbers filled in) or None. The app asks;
it never answers: every text ends at "ask the doctor".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from diazlog.domain import limits
from diazlog.domain.flag_summary import common_label
from diazlog.domain.models import FlagKind, TaperStep
from diazlog.domain.numbers import is_meaningful
from diazlog.domain.redflags import FlagEvent

ORIGINS = ("builtin", "generated", "mine")
ORIGIN_TITLES = {
    "builtin": "Questions worth asking",
    "generated": "From your data",
    "mine": "Your own questions",
}

# Drawn from the background facts, in the app's own words. Keys are stable: never reuse one.
BUILTIN_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("builtin:cause", "Could diazepam itself be causing the pain or weakness in my legs?"),
    (
        "builtin:other_causes",
        "What else could explain the leg pain, and should anything be checked?",
    ),
    ("builtin:dose_timing", "Should my dose, or the times I take it, change?"),
    (
        "builtin:other_medicines",
        "Do any of my other medicines, or alcohol, add to the effect of diazepam?",
    ),
    (
        "builtin:reduce_safely",
        "If I reduce or stop diazepam, how do I do it safely and avoid rebound symptoms?",
    ),
    (
        "builtin:self_help",
        "What activity, stretching or drinking habits could help my legs?",
    ),
    ("builtin:urgent", "Which symptoms mean I should get help urgently?"),
)

# How far back the data-driven rules look when there was no recent visit.
LOOKBACK_DAYS = 90
# The two windows compared by the "getting worse" rule.
TREND_WINDOW_DAYS = 14
MIN_LOGGED_DAYS = 4
# A taper step counts as recent for this long; its effect is judged on the days after it
# (at least TAPER_MIN_DAYS, at most TAPER_WINDOW_DAYS) against as many days before it.
TAPER_RECENT_DAYS = 42
TAPER_MIN_DAYS = 5
TAPER_WINDOW_DAYS = 28
# The last dose of the day "moved" when its usual time shifted by at least this much.
TIMING_SHIFT_MIN = 60
_FLAG_VALUES = frozenset(k.value for k in FlagKind)
WITHDRAWAL_SYMPTOMS = ("cramps", "rebound_tension", "spasms", "leg_pain")


@dataclass(frozen=True)
class GeneratedQuestion:
    rule_key: str
    text: str
    facts: str


@dataclass(frozen=True)
class QuestionData:
    """The plain data the rules read; the store builds it, tests write it by hand.

    Only logged values are present: a missing date means "not logged", never zero.
    """

    today: date
    since: date
    symptom_names: Mapping[str, str] = field(default_factory=dict)
    # symptom key -> {ISO date: 0-10}
    ratings: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    # ISO date -> ((HH:MM, mg), ...) of the tracked diazepam
    diazepam: Mapping[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    # The red-flag engine's episodes (store.flags.flag_events) over the same period.
    flags: tuple[FlagEvent, ...] = ()
    walking: Mapping[str, int] = field(default_factory=dict)
    taper_steps: tuple[TaperStep, ...] = ()
    # ISO date -> units of alcohol logged (drinking days only)
    alcohol: Mapping[str, float] = field(default_factory=dict)
    # medication id -> the date of each of its doses (one entry per dose), other than diazepam
    other_doses: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    def name(self, key: str) -> str:
        return self.symptom_names.get(key, key.replace("_", " ")).lower()

    def in_period(self, day: str) -> bool:
        return self.since.isoformat() <= day <= self.today.isoformat()


Rule = Callable[[QuestionData], list[GeneratedQuestion]]


def short_date(day: str | date) -> str:
    """ "2026-11-03" -> "3 Nov": how people write dates in a note."""
    value = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{value.day} {value:%b}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _days(start: date, count: int) -> list[str]:
    return [(start + timedelta(days=i)).isoformat() for i in range(count)]


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


def _last_dose_minutes(data: QuestionData, days: list[str]) -> float | None:
    """The typical time (minutes after midnight) of the day's last diazepam dose."""
    times = []
    for day in days:
        doses = data.diazepam.get(day)
        if doses:
            hour, minute = max(t for t, _ in doses).split(":")
            times.append(int(hour) * 60 + int(minute))
    return median(times) if len(times) >= MIN_LOGGED_DAYS else None


def _clock(minutes: float) -> str:
    rounded = int(round(minutes / 15) * 15) % (24 * 60)
    return f"{rounded // 60:02d}:{rounded % 60:02d}"


def symptom_rising(data: QuestionData) -> list[GeneratedQuestion]:
    """A symptom that averaged 2+ points more in the last 14 days than in the 14 before.

    Each 14-day window needs limits.MIN_DAYS_TO_COMPARE logged days.
    """
    recent = _days(data.today - timedelta(days=TREND_WINDOW_DAYS - 1), TREND_WINDOW_DAYS)
    before = _days(data.today - timedelta(days=2 * TREND_WINDOW_DAYS - 1), TREND_WINDOW_DAYS)
    timing = ""
    then, now = _last_dose_minutes(data, before), _last_dose_minutes(data, recent)
    if then is not None and now is not None and abs(now - then) >= TIMING_SHIFT_MIN:
        timing = f", since the evening dose moved from about {_clock(then)} to {_clock(now)}"
    found = []
    for key, by_day in data.ratings.items():
        new = [by_day[d] for d in recent if d in by_day]
        old = [by_day[d] for d in before if d in by_day]
        # "worse" needs limits.MIN_DAYS_TO_COMPARE logged days in each window (CLINICAL.md)
        if min(len(new), len(old)) < limits.MIN_DAYS_TO_COMPARE:
            continue
        new_mean, old_mean = _mean(new), _mean(old)
        assert new_mean is not None and old_mean is not None
        if new_mean <= old_mean or not is_meaningful(new_mean - old_mean):
            continue
        name = data.name(key)
        found.append(
            GeneratedQuestion(
                f"rising:{key}",
                f"My {name} has got worse lately. What could be behind it, and should "
                "anything change?",
                f"{name} averaged {new_mean:.1f} in the last {TREND_WINDOW_DAYS} days against "
                f"{old_mean:.1f} in the {TREND_WINDOW_DAYS} before{timing}",
            )
        )
    return found


def _daily_amount(step: TaperStep) -> float:
    return sum(d.amount for d in step.doses)


def after_taper_step(data: QuestionData) -> list[GeneratedQuestion]:
    """Symptoms at 4+ on 5+ days since a recent taper step, at least twice as often as before."""
    steps = sorted(data.taper_steps, key=lambda s: s.from_date)
    recent = [
        (i, s)
        for i, s in enumerate(steps)
        if i > 0
        and _daily_amount(s) < _daily_amount(steps[i - 1])
        and 0 <= (data.today - date.fromisoformat(s.from_date)).days < TAPER_RECENT_DAYS
    ]
    if not recent:
        return []
    _, step = recent[-1]
    start = date.fromisoformat(step.from_date)
    span = min((data.today - start).days + 1, TAPER_WINDOW_DAYS)
    if span < TAPER_MIN_DAYS:
        return []
    after = _days(start, span)
    before = _days(start - timedelta(days=span), span)
    facts = []
    for key in WITHDRAWAL_SYMPTOMS:
        by_day = data.ratings.get(key, {})
        present_after = sum(1 for d in after if by_day.get(d, 0) > limits.MILD_MAX)
        present_before = sum(1 for d in before if by_day.get(d, 0) > limits.MILD_MAX)
        logged_before = sum(1 for d in before if d in by_day)
        if present_after >= TAPER_MIN_DAYS and present_after >= 2 * present_before:
            name = data.name(key)
            verb = "were" if name.endswith("s") else "was"
            # Days not logged are not days without the symptom: never "0 of 16" for them.
            if logged_before == 0:
                before_words = f"the {span} days before were not logged"
            elif logged_before < span:
                before_words = (
                    f"{present_before} of the {_plural(logged_before, 'logged day')} "
                    f"in the {span} days before"
                )
            else:
                before_words = f"{present_before} of the {span} days before"
            facts.append(
                f"{name} {verb} {limits.MILD_MAX + 1} or more on {present_after} of {span} days "
                f"({before_words})"
            )
    if not facts:
        return []
    return [
        GeneratedQuestion(
            f"taper:{step.from_date}",
            "Could these symptoms since my last dose reduction be withdrawal, and should the "
            "next step be slower?",
            f"since the taper step on {short_date(start)}, " + "; ".join(facts),
        )
    ]


# The red-flag engine's rules, grouped into the questions a visit can answer. Each group: its
# checklist key, the question, and how to say what was logged.
_FLAG_QUESTIONS: tuple[tuple[str, frozenset[str], str], ...] = (
    (
        "red_flags",
        frozenset({"breathing", "confusion", "extreme_weakness", "fall", "repeated_falls"}),
        "I ticked a warning sign. What could have caused it, and what should I do if it "
        "happens again?",
    ),
    (
        "severe_pain",
        frozenset({"severe_pain"}),
        "My pain or cramps were severe at times. What should I do when they get that bad?",
    ),
    (
        "persistent_pain",
        frozenset({"persistent_pain"}),
        "My pain or cramps went on for days. Could it be linked to diazepam, and what should I do?",
    ),
    (
        "weakness",
        frozenset({"severe_weakness", "persistent_weakness", "rising_weakness"}),
        "My legs felt very weak at times. How do I tell when weakness is an emergency?",
    ),
    (
        "tension",
        frozenset({"severe_tension", "persistent_tension", "rising_tension"}),
        "My muscles felt tense or tight. Could that be rebound tension from diazepam, and what "
        "should I do?",
    ),
    (
        "overdose",
        frozenset({"overdose", "above_usual"}),
        "I took more diazepam than planned on some days. What should I do if that happens again?",
    ),
    (
        "dose_change",
        frozenset({"dose_cut", "gradual_cut", "stopped"}),
        "My diazepam dose dropped or stopped outside the plan. How should I taper safely?",
    ),
)
_COMBINATIONS: tuple[tuple[str, str], ...] = (
    (
        "opioid",
        "I take an opioid as well as diazepam. Is that combination safe for me, and what "
        "should I watch for?",
    ),
    (
        "sedative",
        "I take another sedating medicine with diazepam. Does it add to the drowsiness or "
        "weakness in my legs?",
    ),
    (
        "inhibitor",
        "One of my medicines may slow the breakdown of diazepam. Should the dose be adjusted?",
    ),
    (
        "inducer",
        "One of my medicines may speed up the breakdown of diazepam, so it may work less. "
        "Should anything change?",
    ),
    ("alcohol", "How much alcohol, if any, is safe with my diazepam?"),
)


def _in_period(data: QuestionData, event: FlagEvent) -> bool:
    return event.end >= data.since.isoformat() and event.start <= data.today.isoformat()


def _flagged_days(events: list[FlagEvent]) -> list[str]:
    """Every flagged day of the events, each once (two kinds on one day are one day)."""
    days: set[str] = set()
    for e in events:
        if e.dates:
            days.update(e.dates)
        else:  # an episode given without its days: every day of its run
            first = date.fromisoformat(e.start)
            days.update(
                (first + timedelta(days=i)).isoformat()
                for i in range((date.fromisoformat(e.end) - first).days + 1)
            )
    return sorted(days)


def _dates(days: list[str]) -> str:
    """Runs of days, each date once: "6 Oct-11 Oct, 31 Oct" (the latest four runs)."""
    runs: list[tuple[str, str]] = []
    for day in days:
        if runs and (date.fromisoformat(day) - date.fromisoformat(runs[-1][1])).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    parts = [short_date(a) if a == b else f"{short_date(a)}-{short_date(b)}" for a, b in runs]
    return ", ".join(parts[-4:]) + (f" and {len(parts) - 4} earlier" if len(parts) > 4 else "")


def from_red_flags(data: QuestionData) -> list[GeneratedQuestion]:
    """One question per kind of red flag since the last visit, from the rules engine."""
    events = [e for e in data.flags if _in_period(data, e)]
    found = []
    for key, rules, text in _FLAG_QUESTIONS:
        mine = [e for e in events if e.rule in rules]
        if not mine:
            continue
        # "Severe leg pain (Cramps 8/10)" and "(Leg pain 9/10)" are one kind of flag, and so
        # are "Diazepam cut to 4 mg" and "to 2 mg": each rule is named by what its titles share.
        by_rule: dict[str, list[str]] = {}
        for e in mine:
            by_rule.setdefault(e.rule, []).append(e.title)
        titles = sorted({common_label(t) for t in by_rule.values()})
        what = titles[0] if len(titles) == 1 else " and ".join((", ".join(titles[:-1]), titles[-1]))
        days = _flagged_days(mine)
        found.append(
            GeneratedQuestion(
                key,
                text,
                f"the diary flagged {what} on {_plural(len(days), 'day')} since "
                f"{short_date(data.since)} ({_dates(days)})",
            )
        )
    return found


def _combination_kind(event: FlagEvent) -> str | None:
    if event.rule == "slower_breakdown":
        return "inhibitor"
    if event.rule == "faster_breakdown":
        return "inducer"
    if event.rule != "combination":
        return None
    if event.key == "combination:alcohol":
        return "alcohol"
    return "opioid" if "an opioid)" in event.title else "sedative"


def _combination_title(event: FlagEvent) -> str:
    """The flag's title without what differs day to day: "within 48 hours", and alcohol's
    units ("Diazepam with alcohol (2 units on 30 Nov)" is "Diazepam with alcohol")."""
    title = event.title.split(" within ")[0]
    if event.key == "combination:alcohol":
        title = title.split(" (")[0]
    return title


def taken_with_diazepam(data: QuestionData) -> list[GeneratedQuestion]:
    """Opioids, other sedatives, slower or faster breakdown, or alcohol within 48 hours of
    diazepam."""
    by_kind: dict[str, list[FlagEvent]] = {}
    for event in data.flags:
        kind = _combination_kind(event)
        if kind is not None and _in_period(data, event):
            by_kind.setdefault(kind, []).append(event)
    found = []
    for kind, text in _COMBINATIONS:
        events = by_kind.get(kind, [])
        if events:
            titles = sorted({_combination_title(e) for e in events})
            flagged = _flagged_days(events)
            taken = _taken(data, kind, events)
            found.append(
                GeneratedQuestion(
                    f"with:{kind}",
                    text,
                    f"{'; '.join(titles)}: {taken}flagged on {_plural(len(flagged), 'day')} "
                    f"since {short_date(data.since)} (within {limits.INTERACTION_HOURS} hours "
                    f"of diazepam), last on {short_date(flagged[-1])}",
                )
            )
    return found


def _taken(data: QuestionData, kind: str, events: list[FlagEvent]) -> str:
    """What was logged, counted as itself: drinking days and units, or each medicine's doses
    and days ("Tramadol 1 dose on 1 day; "), not the days the flag was up."""
    if kind == "alcohol":
        drinks = [d for d in sorted(data.alcohol) if data.in_period(d)]
        if not drinks:
            return ""
        units = sum(data.alcohol[d] for d in drinks)
        return f"alcohol {units:g} units on {_plural(len(drinks), 'drinking day')}; "
    parts = []
    keys = sorted({e.key for e in events})
    for key in keys:
        _, _, med = key.partition(":")
        doses = (
            [d for d in data.other_doses.get(int(med), ()) if data.in_period(d)]
            if med.isdigit()
            else []
        )
        if doses:
            title = next(e for e in events if e.key == key).title
            name = title.removeprefix("Diazepam with ").split(" (")[0] + " "
            name = name if len(keys) > 1 else ""
            parts.append(
                f"{name}{_plural(len(doses), 'dose')} on {_plural(len(set(doses)), 'day')} "
                f"({_dates(sorted(set(doses)))})"
            )
    return "; ".join(parts) + "; " if parts else ""


def walking_interference(data: QuestionData) -> list[GeneratedQuestion]:
    """The legs got in the way of walking at 5+ on average over the last 14 days."""
    recent = _days(data.today - timedelta(days=TREND_WINDOW_DAYS - 1), TREND_WINDOW_DAYS)
    values = [data.walking[d] for d in recent if d in data.walking]
    mean = _mean(values)
    if len(values) < MIN_LOGGED_DAYS or mean is None or mean < limits.PERSISTENT_PAIN:
        return []
    return [
        GeneratedQuestion(
            "walking",
            "My legs get in the way of walking. Is there anything that could help, such as "
            "physiotherapy?",
            f"walking interference averaged {mean:.1f} of 10 over the last "
            f"{TREND_WINDOW_DAYS} days ({len(values)} days logged)",
        )
    ]


# Most pressing first: the order new questions join the checklist.
RULES: tuple[Rule, ...] = (
    from_red_flags,
    symptom_rising,
    after_taper_step,
    taken_with_diazepam,
    walking_interference,
)


def generate(data: QuestionData, rules: Iterable[Rule] = RULES) -> list[GeneratedQuestion]:
    """Every question the data supports right now, in rule order, one per key."""
    seen: dict[str, GeneratedQuestion] = {}
    for rule in rules:
        for question in rule(data):
            seen.setdefault(question.rule_key, question)
    return list(seen.values())

"""Red flags from what the user felt: the ticks, and every watched kind of symptom.

Each kind of symptom the rules watch is a family with the same three rules: severe (7 or
more on the 0-10 scale, CLINICAL.md), persistent (5+ on most of the last logged days) and
rising (2 points or more on the mean of 14 days against the 14 before, each with at least 7
logged days). The level of each comes from its source (CLINICAL.md, "Levels"):

- pain and cramps or spasms: the seed's red flag, severe or persistent: seek immediate
  medical attention (urgent);
- weakness: severe weakness deserves the same attention as severe pain (CLINICAL.md, "Muscle
  weakness"), so severe is urgent; persistent or rising but not severe is a question (ask);
- tension or tightness: rebound tension is a withdrawal sign (FDA 2020 boxed warning: contact
  the doctor today about withdrawal) and increased spasticity a label adverse effect, so
  severe is "contact your doctor today"; persistent or rising is a question (ask).

Titles name the symptom that was rated ("Severe cramps (8/10)"), never another one.
"""

from __future__ import annotations

from dataclasses import dataclass

from diazlog.domain import limits
from diazlog.domain.flag_context import (
    SEED,
    SEEK_NOW,
    FlagContext,
    in_words,
    make_alert,
    shift,
)
from diazlog.domain.models import Alert, DayLog, FlagKind, Level, SymptomKind
from diazlog.domain.numbers import is_meaningful

RISING_WINDOW_DAYS = limits.RISING_WINDOW_DAYS


@dataclass(frozen=True)
class Family:
    """One watched kind of symptom and the level and wording of its rules."""

    name: str  # rule suffix: severe_<name>, persistent_<name>, rising_<name>
    kinds: frozenset[SymptomKind]
    severe: Level
    persistent: Level
    severe_words: str  # after "Severe calf tightness": what it may mean and what to do
    persistent_words: str
    source: str
    rising: bool = True


FAMILIES: tuple[Family, ...] = (
    Family(
        "pain",
        frozenset({SymptomKind.PAIN, SymptomKind.CRAMP}),
        Level.URGENT,
        Level.URGENT,
        f"may mean a serious reaction or a possible overdose: {SEEK_NOW}.",
        f"may mean a serious reaction or a possible overdose: {SEEK_NOW}.",
        f"{SEED}; CLINICAL.md: 7-10 is severe",
        rising=False,  # a rising pain is the Doctor questions' (domain.questions)
    ),
    Family(
        "weakness",
        frozenset({SymptomKind.WEAKNESS}),
        Level.URGENT,
        Level.ASK,
        "with diazepam may mean a serious reaction or a possible overdose: "
        f'{SEEK_NOW}. If it is extreme weakness, tick "Extreme weakness".',
        "is a common effect of diazepam: ask your doctor about it.",
        f"{SEED}; CLINICAL.md: severe weakness deserves the same attention as severe pain",
    ),
    Family(
        "tension",
        frozenset({SymptomKind.TENSION}),
        Level.TODAY,
        Level.ASK,
        "can be a withdrawal reaction, or rarely diazepam's own increased muscle "
        "spasticity: contact your doctor today.",
        "can be rebound tension (withdrawal): ask your doctor about it.",
        "FDA 2020 benzodiazepine boxed warning (withdrawal); Valium label (spasticity)",
    ),
)
FAMILY_RULES: tuple[str, ...] = tuple(
    f"{prefix}_{f.name}" for prefix in ("severe", "persistent", "rising") for f in FAMILIES
)


def ticked(day: DayLog, context: FlagContext) -> list[Alert]:
    """The warning signs the user ticked: breathing, confusion, extreme weakness, falls."""
    alerts = []
    if FlagKind.BREATHING in day.red_flags:
        alerts.append(
            make_alert(
                "breathing",
                Level.EMERGENCY,
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
                make_alert(
                    kind.value,
                    Level.URGENT,
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
            if FlagKind.FALL in log.red_flags and d >= shift(day.date, -limits.REPEATED_FALLS_DAYS)
        ]
        if earlier_falls:
            alerts.append(
                make_alert(
                    "repeated_falls",
                    Level.URGENT,
                    f"Repeated falls ({len(earlier_falls) + 1} in "
                    f"{limits.REPEATED_FALLS_DAYS + 1} days)",
                    "Repeated falls while taking diazepam: get urgent medical advice.",
                    "NHS (side effects of diazepam): urgent advice for repeated falls",
                )
            )
        else:
            alerts.append(
                make_alert(
                    "fall",
                    Level.ASK,
                    "A fall",
                    "Falls are more likely with diazepam, above all with other sedatives or "
                    "alcohol: tell your doctor about it.",
                    "Valium label: falls and fractures",
                )
            )
    return alerts


def _ids(family: Family, context: FlagContext) -> frozenset[int]:
    by_kind = context.ids_by_kind
    return frozenset().union(*(by_kind.get(k, frozenset()) for k in family.kinds))


def _top(day: DayLog, ids: frozenset[int], context: FlagContext) -> tuple[int, str] | None:
    """The day's highest rating among `ids` and that symptom's name (the first on a tie)."""
    best: tuple[int, str] | None = None
    for rating in day.ratings:
        if rating.symptom_id in ids and (best is None or rating.intensity > best[0]):
            best = (rating.intensity, context.symptom_names.get(rating.symptom_id, "A symptom"))
    return best


def symptoms(day: DayLog, context: FlagContext) -> list[Alert]:
    """Severe, persistent and rising, for every watched family of symptoms."""
    alerts: list[Alert] = []
    watched: dict[int, Family] = {}
    for family in FAMILIES:
        ids = _ids(family, context)
        top = _top(day, ids, context) if ids else None
        if top is not None:
            alerts += _severe(day, family, top)
            alerts += _persistent(day, family, ids, top, context)
        if family.rising:
            watched.update(dict.fromkeys(ids, family))
    return alerts + _rising(day, watched, context)


def _severe(day: DayLog, family: Family, top: tuple[int, str]) -> list[Alert]:
    intensity, name = top
    if intensity < limits.SEVERE_PAIN:
        return []
    if family.name == "weakness" and FlagKind.EXTREME_WEAKNESS in day.red_flags:
        return []  # the tick's own flag says it, at the same level
    return [
        make_alert(
            f"severe_{family.name}",
            family.severe,
            f"Severe {in_words(name)} ({intensity}/10)",
            f"Severe {in_words(name)} {family.severe_words}",
            family.source,
            value=intensity,
        )
    ]


def persistent_run(
    day: DayLog, ids: frozenset[int], context: FlagContext
) -> tuple[int, int, list[str]] | None:
    """(days at 5+, days looked at, names that were 5+) when persistent on `day`, else None.

    Persistent: 5 or more on the day itself and on at least 3 of the last 4 days with a rating
    of the family within 5 calendar days, so one unlogged day does not reset the run.
    """
    top = _top(day, ids, context)
    if top is None or top[0] < limits.PERSISTENT_PAIN:
        return None
    window_start = shift(day.date, -(limits.PERSISTENT_WINDOW_DAYS - 1))
    values = [top]
    for d in sorted(context.earlier, reverse=True):
        if d < window_start or len(values) == limits.PERSISTENT_LOOK_DAYS:
            break
        earlier = _top(context.earlier[d], ids, context)
        if earlier is not None:
            values.append(earlier)
    high = [name for value, name in values if value >= limits.PERSISTENT_PAIN]
    if len(high) < limits.PERSISTENT_DAYS:
        return None
    return len(high), len(values), list(dict.fromkeys(high))


def _persistent(
    day: DayLog, family: Family, ids: frozenset[int], top: tuple[int, str], context: FlagContext
) -> list[Alert]:
    run = persistent_run(day, ids, context)
    if run is None:
        return []
    high, logged, names = run
    what = " and ".join(in_words(n) for n in names)
    return [
        make_alert(
            f"persistent_{family.name}",
            family.persistent,
            f"Persistent {what} ({limits.PERSISTENT_PAIN}+ on {high} of the last "
            f"{logged} logged days)",
            f"Persistent {what} {family.persistent_words}",
            family.source if family.persistent is family.severe else "CLINICAL.md: Levels",
            value=top[0],
        )
    ]


def _rising(day: DayLog, watched: dict[int, Family], context: FlagContext) -> list[Alert]:
    """A symptom up 2 points or more, 14 days against 14, 7+ logged days each, not severe.

    One pass over the 28 days before for every watched symptom rated today (History judges
    ten years of days with it)."""
    today = {
        r.symptom_id: r.intensity
        for r in day.ratings
        if r.symptom_id in watched and r.intensity < limits.SEVERE_PAIN
    }
    if not today:
        return []
    recent_start = shift(day.date, -(RISING_WINDOW_DAYS - 1))
    before_start = shift(day.date, -(2 * RISING_WINDOW_DAYS - 1))
    # [days, total] of each symptom in the last 14 days (today included) and the 14 before.
    recent = {s: [1, v] for s, v in today.items()}
    before = {s: [0, 0] for s in today}
    for d, log in context.earlier.items():
        if d < before_start or d >= day.date:
            continue
        bucket = recent if d >= recent_start else before
        values = log.intensities
        for symptom_id in today:
            if symptom_id in values:
                counted = bucket[symptom_id]
                counted[0] += 1
                counted[1] += values[symptom_id]
    alerts = []
    for symptom_id in today:
        (new_days, new_total), (old_days, old_total) = recent[symptom_id], before[symptom_id]
        if min(new_days, old_days) < limits.MIN_DAYS_TO_COMPARE:
            continue
        new, old = new_total / new_days, old_total / old_days
        if new <= old or not is_meaningful(new - old):
            continue
        family = watched[symptom_id]
        name = context.symptom_names.get(symptom_id, "A symptom")
        alerts.append(
            make_alert(
                f"rising_{family.name}",
                Level.ASK,
                f"{name} rising ({old:.1f} → {new:.1f})",
                f"{name} averaged {new:.1f} in the last {RISING_WINDOW_DAYS} days against "
                f"{old:.1f} in the {RISING_WINDOW_DAYS} before ({new_days} and "
                f"{old_days} logged days): ask your doctor at your next visit.",
                "CLINICAL.md: a change of 2 points or more matters; Levels: rising is a question",
                key=f"rising_{family.name}:{symptom_id}",
                value=new - old,
            )
        )
    return alerts

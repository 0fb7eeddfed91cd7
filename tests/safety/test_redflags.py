"""Each red-flag rule fires when it should, at its level, and stays quiet when it should not.

One table of diaries, each judged three ways that must agree: the pure engine, the store
(`store.flags`, after saving the days), and the CLI (`diazlog flags --json`, which gives each
flag its level by name). The cases of the red-flag issues are all here: every level, every
watched kind of symptom, inducers, a single missed dose staying quiet, a two-day cut firing,
unlogged days staying quiet and the stop wording.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from diazlog.cli import cli
from diazlog.domain.medicine_names import classify
from diazlog.domain.models import (
    Category,
    DayLog,
    Dose,
    Level,
    Medication,
    Rating,
    SymptomKind,
    TaperStep,
)
from diazlog.domain.redflags import FlagContext, evaluate, evaluate_days
from diazlog.store import open_database
from diazlog.store.queries.days import save_days
from diazlog.store.queries.flags import day_flags, flag_events, flags_by_day, mark_seen
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.taper import save_step
from tests.conftest import diazepam_medication

JUDGE = "2026-11-20"
EVENING = datetime(2026, 11, 25, 22, 0)  # every judged day is over unless a case says not

# Built-in symptom ids of a new diary, and two of the user's own (added by the store path,
# the second with the kind guessed from its name).
LEG_PAIN, LEG_WEAKNESS, CRAMPS, SPASMS, FATIGUE, TENSION, CALF_PAIN, CALF_TIGHT = range(1, 9)
KINDS = {
    LEG_PAIN: SymptomKind.PAIN,
    LEG_WEAKNESS: SymptomKind.WEAKNESS,
    CRAMPS: SymptomKind.CRAMP,
    SPASMS: SymptomKind.CRAMP,
    FATIGUE: SymptomKind.FATIGUE,
    TENSION: SymptomKind.TENSION,
    CALF_PAIN: SymptomKind.PAIN,
    CALF_TIGHT: SymptomKind.TENSION,
}
NAMES = {
    LEG_PAIN: "Leg pain",
    LEG_WEAKNESS: "Leg weakness",
    CRAMPS: "Cramps",
    SPASMS: "Spasms",
    FATIGUE: "Fatigue",
    TENSION: "Rebound tension",
    CALF_PAIN: "Calf pain",
    CALF_TIGHT: "Calf tightness",
}
DIAZEPAM_ID = 1


def day(offset: int) -> str:
    """The judged day plus `offset` days."""
    return (date.fromisoformat(JUDGE) + timedelta(days=offset)).isoformat()


@dataclass(frozen=True)
class Case:
    id: str
    days: tuple[DayLog, ...]
    fires: frozenset[str] = frozenset()
    quiet: frozenset[str] = frozenset()
    other: tuple[tuple[str, Category], ...] = ()  # medicines 2, 3 … in order
    usual: tuple[float, tuple[str, ...]] = (5.0, ("08:00", "20:00"))
    plan: tuple[tuple[str, float, tuple[str, ...]], ...] = ()
    now: datetime = EVENING
    judge: str = JUDGE
    title_has: str = ""
    title_lacks: str = ""
    message_has: str = ""
    level: Level | None = None  # the level of every rule in `fires`


def log(offset: int, *doses: tuple[int, str, float], **fields: object) -> DayLog:
    ratings = fields.pop("ratings", {})
    return DayLog(
        day(offset),
        ratings=tuple(Rating(s, v) for s, v in ratings.items()),  # type: ignore[attr-defined]
        doses=tuple(Dose(m, t, a) for m, t, a in doses),
        **fields,  # type: ignore[arg-type]
    )


def dz(time: str, amount: float) -> tuple[int, str, float]:
    return (DIAZEPAM_ID, time, amount)


def usual_days(first: int, last: int, total: float = 10.0) -> tuple[DayLog, ...]:
    return tuple(log(o, dz("08:00", total / 2), dz("20:00", total / 2)) for o in range(first, last))


def with_other(name: str, category: Category, level: Level = Level.TODAY, title: str = "") -> Case:
    return Case(
        f"diazepam+{name}",
        (*usual_days(-3, 0), log(0, dz("08:00", 5), (2, "12:00", 1), dz("20:00", 5))),
        fires=frozenset({"combination"}),
        other=((name, category),),
        title_has=title or name,
        level=level,
    )


def slows(name: str) -> Case:
    return Case(
        f"slower-{name}",
        (*usual_days(-3, 0), log(0, dz("08:00", 5), (2, "09:00", 20), dz("20:00", 5))),
        fires=frozenset({"slower_breakdown"}),
        quiet=frozenset({"combination"}),
        other=((name, Category.OTHER),),
        title_has=name,
        level=Level.ASK,
    )


def speeds(name: str) -> Case:
    return Case(
        f"faster-{name}",
        (*usual_days(-3, 0), log(0, dz("08:00", 5), (2, "09:00", 300), dz("20:00", 5))),
        fires=frozenset({"faster_breakdown"}),
        quiet=frozenset({"combination", "slower_breakdown"}),
        other=((name, Category.OTHER),),
        title_has=f"{name} (speeds diazepam's breakdown) with diazepam",
        message_has="Diazepam may work less; ask your doctor",
        level=Level.ASK,
    )


def rated(symptom: int, *values: int, first: int = 0) -> tuple[DayLog, ...]:
    """Days `first`, `first`+1 … rated `values` on one symptom (the last is the judged day
    when first = -(len(values) - 1))."""
    return tuple(log(first + i, ratings={symptom: v}) for i, v in enumerate(values))


STOP = "Don't stop diazepam suddenly: contact your doctor today."


TAPER = usual_days(-30, -10, 10.0) + tuple(
    log(o, dz("08:00", a)) for o, a in zip(range(-10, 1), [4] * 10 + [2], strict=True)
)
GRADUAL = [10, 10, 10, 10, 10, 10, 10, 9, 8.5, 8, 7.5, 7.4, 7.4]
WEEK_CUT = [10, 8, 6.4, 5, 4, 3.2, 2.5, 2]

CASES: tuple[Case, ...] = (
    # -- medicines recognised by name, whatever category was picked: the level by class --------
    with_other(
        "Co-codamol 30/500", Category.PAIN, title="Co-codamol 30/500 (codeine, an opioid) with"
    ),
    with_other("Oxycodone/paracetamol", Category.PAIN),
    with_other("Tylenol #3", Category.OTHER),
    with_other("gabapentin", Category.OTHER, title="gabapentin (a gabapentinoid)"),
    with_other("Pregabalin", Category.PAIN),
    with_other("zopiclone", Category.OTHER),
    with_other("Lorazepam", Category.OTHER, title="Lorazepam (a benzodiazepine)"),
    with_other("Phenobarbital", Category.OTHER, title="Phenobarbital (a barbiturate)"),
    with_other("Promethazine", Category.OTHER, level=Level.ASK),
    with_other("cyclobenzaprine", Category.OTHER, level=Level.ASK),
    slows("Prozac"),
    slows("Prilosec"),
    slows("fluconazole"),
    speeds("Rifampicin"),
    speeds("carbamazepine"),
    speeds("Phenytoin"),
    speeds("St John's Wort"),
    Case(
        "paracetamol-is-no-combination",
        (log(0, dz("08:00", 5), (2, "12:00", 1000), dz("20:00", 5)),),
        quiet=frozenset({"combination", "slower_breakdown", "faster_breakdown"}),
        other=(("Paracetamol", Category.PAIN),),
    ),
    Case(
        "inducer-without-diazepam-is-quiet",
        (log(0, (2, "12:00", 300)),),
        quiet=frozenset({"faster_breakdown"}),
        other=(("Rifampicin", Category.OTHER),),
    ),
    Case(
        "picked-opioid-category-counts-for-an-unknown-name",
        (log(0, dz("08:00", 5), (2, "12:00", 1), dz("20:00", 5)),),
        fires=frozenset({"combination"}),
        other=(("My pain pills", Category.OPIOID),),
        level=Level.TODAY,
    ),
    # -- interactions look back 48 hours --------------------------------------------------------
    Case(
        "alcohol-the-day-after-10mg",
        (log(-1, dz("08:00", 5), dz("20:00", 5)), log(0, alcohol_units=6.0)),
        fires=frozenset({"combination"}),
        title_has="alcohol",
        level=Level.ASK,
    ),
    Case(
        "one-unit-of-alcohol-is-a-question-not-an-opioid",
        (log(0, dz("08:00", 5), alcohol_units=1.0),),
        fires=frozenset({"combination"}),
        title_has="alcohol (1 unit)",
        message_has="ask your doctor",
        level=Level.ASK,
    ),
    Case(
        "co-codamol-the-day-before-diazepam",
        (log(-1, (2, "20:00", 2)), log(0, dz("08:00", 5))),
        fires=frozenset({"combination"}),
        other=(("Co-codamol", Category.PAIN),),
        message_has="contact your doctor today",
        level=Level.TODAY,
    ),
    Case(
        "alcohol-three-days-after-the-last-dose",
        (log(-3, dz("08:00", 5), dz("20:00", 5)), log(0, alcohol_units=6.0)),
        quiet=frozenset({"combination"}),
    ),
    Case(
        "co-codamol-50-hours-after-diazepam",
        (log(-3, dz("08:00", 5)), log(-1, (2, "10:00", 2))),
        quiet=frozenset({"combination"}),
        other=(("Co-codamol", Category.PAIN),),
        judge=day(-1),
    ),
    Case(
        "alcohol-without-diazepam",
        (log(0, alcohol_units=6.0),),
        quiet=frozenset({"combination"}),
    ),
    # -- pain reads every pain and cramp symptom, and names the one rated ---------------------
    Case(
        "cramps-10-are-named-cramps",
        (log(0, ratings={CRAMPS: 10, LEG_PAIN: 2}),),
        fires=frozenset({"severe_pain"}),
        title_has="Severe cramps (10/10)",
        title_lacks="leg pain",
        level=Level.URGENT,
    ),
    Case(
        "spasms-8-are-named-spasms",
        (log(0, ratings={SPASMS: 8}),),
        fires=frozenset({"severe_pain"}),
        title_has="Severe spasms (8/10)",
        title_lacks="pain",
    ),
    Case("calf-pain-10", (log(0, ratings={CALF_PAIN: 10}),), fires=frozenset({"severe_pain"})),
    Case(
        "leg-pain-7-is-severe",
        (log(0, ratings={LEG_PAIN: 7}),),
        fires=frozenset({"severe_pain"}),
        message_has="seek immediate medical attention",
        level=Level.URGENT,
    ),
    Case(
        "leg-pain-6-is-not-severe",
        (log(0, ratings={LEG_PAIN: 6, CRAMPS: 6}),),
        quiet=frozenset({"severe_pain", "persistent_pain"}),
    ),
    Case(
        "fatigue-10-is-watched-by-no-rule",
        (log(0, ratings={FATIGUE: 10}),),
        quiet=frozenset({"severe_pain", "severe_weakness", "severe_tension"}),
    ),
    Case(
        "pain-7-on-four-days-around-an-unlogged-day",
        tuple(log(o, ratings={LEG_PAIN: 7}) for o in (-4, -3, -1, 0)),
        fires=frozenset({"persistent_pain"}),
        level=Level.URGENT,
    ),
    Case(
        "cramps-5-on-three-days-are-persistent-cramps",
        rated(CRAMPS, 5, 5, 5, first=-2),
        fires=frozenset({"persistent_pain"}),
        quiet=frozenset({"severe_pain"}),
        title_has="Persistent cramps",
        title_lacks="leg pain",
    ),
    Case(
        "pain-5-on-two-of-four-days",
        rated(LEG_PAIN, 5, 2, 3, 5, first=-3),
        quiet=frozenset({"persistent_pain"}),
    ),
    Case(
        "pain-5-three-days-spread-over-a-week",
        tuple(log(o, ratings={LEG_PAIN: 5}) for o in (-6, -3, 0)),
        quiet=frozenset({"persistent_pain"}),
    ),
    Case(
        "pain-gone-today",
        rated(LEG_PAIN, 6, 6, 6, 1, first=-3),
        quiet=frozenset({"persistent_pain"}),
    ),
    # -- weakness: severe at 7 as for pain, persistent and rising are questions ---------------
    Case(
        "leg-weakness-7-is-severe",
        (log(0, ratings={LEG_WEAKNESS: 7}),),
        fires=frozenset({"severe_weakness"}),
        quiet=frozenset({"severe_pain"}),
        title_has="Severe leg weakness (7/10)",
        message_has="seek immediate medical attention",
        level=Level.URGENT,
    ),
    Case(
        "leg-weakness-6-is-not-severe",
        (log(0, ratings={LEG_WEAKNESS: 6}),),
        quiet=frozenset({"severe_weakness"}),
    ),
    Case(
        "weakness-5-on-three-days",
        rated(LEG_WEAKNESS, 5, 6, 5, first=-2),
        fires=frozenset({"persistent_weakness"}),
        quiet=frozenset({"severe_weakness", "persistent_pain"}),
        level=Level.ASK,
    ),
    Case(
        "weakness-rising-2-to-5-over-four-weeks",
        rated(LEG_WEAKNESS, *([2] * 14 + [4] * 13 + [5]), first=-27),
        fires=frozenset({"rising_weakness"}),
        title_has="Leg weakness rising (2.0 → 4.1)",
        level=Level.ASK,
    ),
    Case(
        "weakness-rising-on-too-few-days-says-nothing",
        rated(LEG_WEAKNESS, *([2] * 14), first=-27) + rated(LEG_WEAKNESS, 4, 4, 4, 5, 5, first=-4),
        quiet=frozenset({"rising_weakness"}),
    ),
    Case(
        "weakness-up-by-1.5-is-not-rising",
        rated(LEG_WEAKNESS, *([2] * 14 + [3] * 13 + [4]), first=-27),
        quiet=frozenset({"rising_weakness"}),
    ),
    # -- tension: its own rules, the user's "calf tightness" too ---------------------------------
    Case(
        "rebound-tension-9",
        (log(0, ratings={TENSION: 9}),),
        fires=frozenset({"severe_tension"}),
        quiet=frozenset({"severe_pain"}),
        title_has="Severe rebound tension (9/10)",
        message_has="contact your doctor today",
        level=Level.TODAY,
    ),
    Case(
        "calf-tightness-8",
        (log(0, ratings={CALF_TIGHT: 8}),),
        fires=frozenset({"severe_tension"}),
        title_has="Severe calf tightness (8/10)",
    ),
    Case(
        "tension-6-is-not-severe",
        (log(0, ratings={TENSION: 6}),),
        quiet=frozenset({"severe_tension"}),
    ),
    Case(
        "tension-5-on-three-of-four-days",
        rated(TENSION, 5, 2, 6, 5, first=-3),
        fires=frozenset({"persistent_tension"}),
        level=Level.ASK,
    ),
    Case(
        "tension-rising",
        rated(TENSION, *([1] * 14 + [4] * 14), first=-27),
        fires=frozenset({"rising_tension"}),
        level=Level.ASK,
    ),
    Case(
        "tension-5-on-two-of-four-days",
        rated(TENSION, 5, 2, 3, 5, first=-3),
        quiet=frozenset({"persistent_tension", "severe_tension"}),
    ),
    Case(
        "weakness-5-on-two-of-four-days",
        rated(LEG_WEAKNESS, 5, 2, 3, 5, first=-3),
        quiet=frozenset({"persistent_weakness"}),
    ),
    Case(
        "tension-steady-for-four-weeks",
        rated(TENSION, *([4] * 28), first=-27),
        quiet=frozenset({"rising_tension", "persistent_tension"}),
    ),
    # -- ticks ------------------------------------------------------------------------------------
    Case(
        "high-ratings-without-ticks-raise-no-tick-flag",
        (log(0, ratings={LEG_WEAKNESS: 9, LEG_PAIN: 9}),),
        quiet=frozenset({"breathing", "confusion", "extreme_weakness", "fall", "repeated_falls"}),
    ),
    Case(
        "breathing-calls-emergency-services",
        (log(0, red_flags=frozenset({"breathing"})),),
        fires=frozenset({"breathing"}),
        message_has="emergency services",
        level=Level.EMERGENCY,
    ),
    Case(
        "confusion-seeks-attention",
        (log(0, red_flags=frozenset({"confusion"})),),
        fires=frozenset({"confusion"}),
        message_has="seek immediate medical attention",
        level=Level.URGENT,
    ),
    Case(
        "extreme-weakness-ticked-is-not-said-twice",
        (log(0, ratings={LEG_WEAKNESS: 9}, red_flags=frozenset({"extreme_weakness"})),),
        fires=frozenset({"extreme_weakness"}),
        quiet=frozenset({"severe_weakness"}),
        message_has="seek immediate medical attention",
    ),
    Case(
        "one-fall-tells-the-doctor",
        (log(0, red_flags=frozenset({"fall"})),),
        fires=frozenset({"fall"}),
        quiet=frozenset({"repeated_falls"}),
        level=Level.ASK,
    ),
    Case(
        "two-falls-in-a-week",
        (log(-5, red_flags=frozenset({"fall"})), log(0, red_flags=frozenset({"fall"}))),
        fires=frozenset({"repeated_falls"}),
        level=Level.URGENT,
    ),
    # -- missed is not cut: a cut holds on two logged days in a row -----------------------------
    Case(
        "a-single-missed-evening-dose-is-quiet",
        (*usual_days(-7, 0), log(0, dz("08:00", 5))),
        quiet=frozenset({"dose_cut", "gradual_cut", "stopped"}),
    ),
    Case(
        "a-missed-dose-between-full-days-is-quiet",
        (*usual_days(-7, -1), log(-1, dz("08:00", 5)), log(0, dz("08:00", 5), dz("20:00", 5))),
        quiet=frozenset({"dose_cut", "gradual_cut"}),
    ),
    Case(
        "10mg-two-unlogged-days-then-2mg-once-is-quiet",
        (log(-3, dz("08:00", 5), dz("20:00", 5)), log(0, dz("08:00", 2))),
        quiet=frozenset({"dose_cut"}),
    ),
    Case(
        "2mg-on-two-days-in-a-row-after-10mg-is-a-cut",
        (*usual_days(-7, -1), log(-1, dz("08:00", 2)), log(0, dz("08:00", 2))),
        fires=frozenset({"dose_cut"}),
        message_has="contact your doctor today",
        level=Level.TODAY,
    ),
    Case(
        "under-the-plan-on-two-days-is-a-cut",
        (*usual_days(-7, -1), log(-1, dz("08:00", 2), dz("20:00", 2)), log(0, dz("08:00", 3))),
        fires=frozenset({"dose_cut"}),
        plan=((day(-10), 5.0, ("08:00", "20:00")),),
        title_has="3 mg at the times logged (the plan: 5 mg for those; 1 planned dose missed",
    ),
    # Missed is never a cut (issue 19): the cut rules count a missed planned dose at its
    # planned amount, however many days it is missed; a lower amount logged still is a cut.
    Case(
        "evening-dose-missed-two-days-in-a-row-is-no-cut",
        (*usual_days(-7, -1), log(-1, dz("08:00", 5)), log(0, dz("08:00", 5))),
        quiet=frozenset({"dose_cut", "gradual_cut", "stopped"}),
    ),
    Case(
        "evening-dose-missed-five-days-on-a-plan-is-no-cut",
        tuple(log(o, dz("08:00", 5)) for o in range(-4, 1)),
        quiet=frozenset({"dose_cut", "gradual_cut", "stopped"}),
        plan=((day(-20), 5.0, ("08:00", "20:00")),),
    ),
    Case(
        "two-of-three-doses-missed-three-days-is-no-cut",
        (
            *(log(o, dz("08:00", 5), dz("14:00", 5), dz("20:00", 5)) for o in range(-9, -2)),
            *(log(o, dz("08:00", 5)) for o in range(-2, 1)),
        ),
        quiet=frozenset({"dose_cut", "gradual_cut"}),
        usual=(5.0, ("08:00", "14:00", "20:00")),
    ),
    Case(
        "a-late-dose-and-a-missed-one-is-no-cut",
        (*usual_days(-7, -1), log(-1, dz("11:30", 5)), log(0, dz("10:45", 5))),
        quiet=frozenset({"dose_cut", "gradual_cut"}),
    ),
    Case(
        "lower-doses-at-every-planned-time-two-days-is-a-cut",
        (*usual_days(-7, -1), *(log(o, dz("08:00", 2.5), dz("20:00", 2.5)) for o in (-1, 0))),
        fires=frozenset({"dose_cut"}),
        title_has="cut to 5 mg a day (your recent days: 10 mg)",
        level=Level.TODAY,
    ),
    Case(
        "a-lower-morning-dose-with-the-evening-missed-is-a-cut",
        (*usual_days(-7, -1), *(log(o, dz("08:00", 2)) for o in (-1, 0))),
        fires=frozenset({"dose_cut"}),
        plan=((day(-20), 5.0, ("08:00", "20:00")),),
        title_has="2 mg at the times logged (the plan: 5 mg for those",
    ),
    Case(
        "a-lower-day-then-a-missed-dose-is-no-cut",
        (*usual_days(-7, -1), log(-1, dz("08:00", 2), dz("20:00", 2)), log(0, dz("08:00", 5))),
        quiet=frozenset({"dose_cut", "gradual_cut"}),
    ),
    Case(
        "a-missed-dose-on-a-taper-plan-is-no-gradual-cut",
        (
            *(log(o, dz("08:00", 3), dz("20:00", 3)) for o in range(-6, -2)),
            log(-2, dz("08:00", 2), dz("20:00", 2)),
            log(-1, dz("08:00", 2), dz("20:00", 2)),
            log(0, dz("08:00", 2)),
        ),
        quiet=frozenset({"dose_cut", "gradual_cut"}),
        plan=((day(-20), 3.0, ("08:00", "20:00")), (day(-2), 2.0, ("08:00", "20:00"))),
    ),
    Case(
        "10-to-8-is-no-cut",
        (*usual_days(-7, 0, 10.0), log(0, dz("08:00", 4), dz("20:00", 4))),
        quiet=frozenset({"dose_cut", "gradual_cut"}),
    ),
    Case(
        "10-8-6.4-5-4-3.2-2.5-2-over-a-week",
        tuple(log(o - 7, dz("08:00", a)) for o, a in enumerate(WEEK_CUT)),
        fires=frozenset({"dose_cut"}),
    ),
    Case(
        "gradual-cuts-add-up",
        tuple(log(o - len(GRADUAL) + 1, dz("08:00", a)) for o, a in enumerate(GRADUAL)),
        fires=frozenset({"gradual_cut"}),
        quiet=frozenset({"dose_cut"}),
        level=Level.ASK,
    ),
    # -- stopping: days with symptoms and no diazepam; days with nothing logged are not --------
    Case(
        "stopping-while-still-logging-symptoms",
        (*usual_days(-9, -2), log(-1, ratings={LEG_PAIN: 2}), log(0, ratings={LEG_PAIN: 3})),
        fires=frozenset({"stopped"}),
        message_has=STOP + " Seizures, confusion or seeing and hearing things that aren't "
        "there need emergency help.",
        level=Level.TODAY,
    ),
    Case(
        "one-day-without-diazepam",
        (*usual_days(-9, 0), log(0, ratings={LEG_PAIN: 3})),
        quiet=frozenset({"stopped", "dose_cut"}),
    ),
    Case(
        "days-not-logged-are-not-stopping",
        (*usual_days(-9, -2), log(0, ratings={LEG_PAIN: 3})),
        quiet=frozenset({"stopped", "dose_cut"}),
    ),
    Case(
        "eight-days-not-logged-then-a-note-is-not-stopping",
        (*usual_days(-12, -8), log(0, note="back from holiday")),
        quiet=frozenset({"stopped", "dose_cut"}),
    ),
    Case(
        "stopping-with-a-usual-dose-without-times",
        (*usual_days(-9, -2), log(-1, ratings={LEG_PAIN: 2}), log(0, ratings={LEG_PAIN: 3})),
        fires=frozenset({"stopped"}),
        usual=(5.0, ()),
        message_has=STOP,
    ),
    Case(
        "plan-says-stop",
        (*usual_days(-9, -2), log(-1, ratings={LEG_PAIN: 2}), log(0, ratings={LEG_PAIN: 2})),
        quiet=frozenset({"stopped"}),
        plan=((day(-9), 5.0, ("08:00", "20:00")), (day(-1), 0.0, ())),
    ),
    # -- too much ---------------------------------------------------------------------------------
    Case(
        "90mg-in-a-day",
        (*usual_days(-5, 0), log(0, dz("08:00", 45), dz("20:00", 45))),
        fires=frozenset({"overdose"}),
        message_has="seek medical attention now",
        level=Level.URGENT,
    ),
    Case(
        "90mg-with-confusion-is-an-emergency",
        (log(0, dz("08:00", 45), dz("20:00", 45), red_flags=frozenset({"confusion"})),),
        fires=frozenset({"overdose"}),
        message_has="call emergency services",
        level=Level.EMERGENCY,
    ),
    Case(
        "16mg-on-a-usual-10",
        (*usual_days(-5, 0), log(0, dz("08:00", 8), dz("20:00", 8))),
        fires=frozenset({"above_usual"}),
        quiet=frozenset({"overdose"}),
        level=Level.ASK,
    ),
    Case(
        "two-doses-on-a-usual-dose-without-times-is-not-over-usual",
        (*usual_days(-5, 0), log(0, dz("08:00", 5), dz("20:00", 5))),
        quiet=frozenset({"above_usual"}),
        usual=(5.0, ()),
    ),
    Case(
        "40mg-is-the-label-maximum-not-over",
        (log(0, dz("08:00", 10), dz("12:00", 10), dz("16:00", 10), dz("20:00", 10)),),
        quiet=frozenset({"overdose"}),
        usual=(10.0, ("08:00", "12:00", "16:00", "20:00")),
    ),
    Case(
        "following-the-taper-plan-4-to-2",
        TAPER,
        quiet=frozenset({"dose_cut", "gradual_cut", "stopped", "above_usual"}),
        plan=(
            (day(-30), 5.0, ("08:00", "20:00")),
            (day(-10), 4.0, ("08:00",)),
            (day(0), 2.0, ("08:00",)),
        ),
    ),
    Case(
        "only-the-morning-dose-so-far",
        (*usual_days(-5, -1), log(-1, dz("08:00", 2)), log(0, dz("08:00", 2))),
        quiet=frozenset({"dose_cut"}),
        now=datetime(2026, 11, 20, 9, 0),
    ),
)


def context_for(case: Case) -> FlagContext:
    """The pure engine's view of the diary the store path builds."""
    amount, times = case.usual
    meds = {
        DIAZEPAM_ID: Medication(
            DIAZEPAM_ID,
            "Diazepam",
            Category.BENZODIAZEPINE,
            is_diazepam=True,
            usual_amount=amount,
            usual_times=times,
            drug_class=classify("Diazepam").code,
        )
    }
    for n, (name, category) in enumerate(case.other, start=2):
        meds[n] = Medication(n, name, category, drug_class=classify(name).code)
    plan = tuple(TaperStep(None, DIAZEPAM_ID, start, a, times) for start, a, times in case.plan)
    return FlagContext(
        medications=meds, symptom_kinds=KINDS, symptom_names=NAMES, plan=plan, now=case.now
    )


def build_diary(case: Case, path: Path) -> None:
    """The same diary through the store's own write functions."""
    from diazlog.domain.symptom_kinds import guess_kind
    from diazlog.store.queries.symptoms import add_symptom

    db = open_database(path)
    amount, times = case.usual
    save_medication(db, diazepam_medication(usual_amount=amount, usual_times=times))
    for name, category in case.other:
        save_medication(db, Medication(None, name, category))
    calf = add_symptom(db, "Calf pain", kind=SymptomKind.PAIN)
    assert calf.id == CALF_PAIN
    tight = add_symptom(db, "Calf tightness", kind=guess_kind("Calf tightness"))
    assert (tight.id, tight.kind) == (CALF_TIGHT, KINDS[CALF_TIGHT])
    for start, a, times in case.plan:
        save_step(db, TaperStep(None, DIAZEPAM_ID, start, a, times))
    save_days(db, case.days)
    db.close()


def pure_rules(case: Case) -> list[tuple[str, str, str, Level]]:
    alerts = evaluate_days(case.days, context_for(case)).get(case.judge, [])
    return [(a.rule, a.title, a.message, a.level) for a in alerts]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_table_through_engine_store_and_cli(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pure = pure_rules(case)
    fired = {rule for rule, *_ in pure}
    assert case.fires <= fired, f"{case.id}: expected {case.fires}, got {fired}"
    assert not (case.quiet & fired), f"{case.id}: must not fire {case.quiet & fired}"
    if case.title_has:
        assert any(case.title_has in t for r, t, *_ in pure if r in case.fires), pure
    if case.title_lacks:
        assert not any(case.title_lacks in t.lower() for _, t, *_ in pure), pure
    if case.message_has:
        assert any(case.message_has in m for r, _, m, _ in pure if r in case.fires), pure
    if case.level is not None:
        assert {lv for r, *_, lv in pure if r in case.fires} == {case.level}, pure

    path = tmp_path / "diary.db"
    build_diary(case, path)
    db = open_database(path)
    stored = flags_by_day(db, case.judge, case.judge, case.now).get(case.judge, [])
    assert [(a.rule, a.title, a.message, a.level) for a in stored] == pure
    db.close()

    import diazlog.commands.flags as flags_command

    monkeypatch.setattr(flags_command, "now", lambda: case.now)
    result = CliRunner().invoke(
        cli, ["--db", str(path), "flags", "--from", case.judge, "--to", case.judge, "--json"]
    )
    assert result.exit_code == 0, result.output
    events = json.loads(result.output)
    assert {e["rule"] for e in events} == fired
    # Each episode's level by name: the level of the day's flag of that key, in the JSON.
    levels = {a.key: a.level.code for a in stored}
    assert {e["key"]: e["level"] for e in events} == levels
    assert all(e["level"] in ("emergency", "urgent", "today", "ask") for e in events)
    assert all(e["date"] <= case.judge for e in events)


def test_every_rule_in_the_engine_has_a_case() -> None:
    """Each rule has a case where it must fire and one where it must stay quiet."""
    from diazlog.domain.redflags import RULE_ORDER

    assert set().union(*(c.fires for c in CASES)) == set(RULE_ORDER)
    assert set().union(*(c.quiet for c in CASES)) == set(RULE_ORDER)


def test_level_follows_the_source_and_sorts_the_day() -> None:
    ctx = context_for(CASES[0])
    judged = evaluate(
        DayLog(
            JUDGE,
            ratings=(Rating(LEG_PAIN, 8), Rating(TENSION, 9)),
            red_flags=frozenset({"breathing", "confusion", "fall"}),
            doses=(Dose(DIAZEPAM_ID, "08:00", 5), Dose(2, "09:00", 1)),
            alcohol_units=1.0,
        ),
        ctx,
    )
    assert [(a.key, a.level) for a in judged] == [
        ("breathing", Level.EMERGENCY),
        ("severe_pain", Level.URGENT),
        ("confusion", Level.URGENT),
        ("combination:2", Level.TODAY),  # Co-codamol 30/500: an opioid
        ("severe_tension", Level.TODAY),
        ("combination:alcohol", Level.ASK),
        ("fall", Level.ASK),
    ]
    # One ordering, and one word per level, for every surface.
    assert sorted(Level) == [Level.ASK, Level.TODAY, Level.URGENT, Level.EMERGENCY]
    assert [lv.code for lv in Level] == ["ask", "today", "urgent", "emergency"]


def test_flags_command_lists_runs_oldest_first_and_empty_is_fine(db_path: Path) -> None:
    db = open_database(db_path)
    save_days(
        db,
        [log(o, ratings={LEG_PAIN: 8}) for o in range(-7, 1)]
        + [log(-20, red_flags=frozenset({"fall"}))],
    )
    db.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db_path), "flags", "--to", JUDGE, "--json"])
    events = json.loads(result.output)
    assert [(e["rule"], e["date"], e["end"]) for e in events] == [
        ("fall", day(-20), day(-20)),
        ("severe_pain", day(-7), JUDGE),
        ("persistent_pain", day(-5), JUDGE),
    ]
    text = runner.invoke(cli, ["--db", str(db_path), "flags", "--to", JUDGE])
    assert f"{day(-7)} – {JUDGE} (8 days)  URGENT  Severe leg pain" in text.output
    empty = runner.invoke(cli, ["--db", str(db_path), "flags", "--to", day(-30), "--json"])
    assert empty.exit_code == 0 and json.loads(empty.output) == []
    bad = runner.invoke(cli, ["--db", str(db_path), "flags", "--from", "soon"])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_a_seen_episode_is_calm_until_it_gets_worse(db_path: Path) -> None:
    db = open_database(db_path)
    save_days(db, [log(o, ratings={LEG_PAIN: 7}) for o in range(-3, 0)])
    start = mark_seen(db, day(-1), "severe_pain", day(-1), EVENING)
    assert start == day(-3)
    later = log(0, ratings={LEG_PAIN: 7})
    assert [a.seen_on for a in day_flags(db, later, EVENING) if a.rule == "severe_pain"] == [
        day(-1)
    ]
    worse = log(0, ratings={LEG_PAIN: 9})
    assert [a.seen_on for a in day_flags(db, worse, EVENING) if a.rule == "severe_pain"] == [None]
    save_days(db, [later])
    events = flag_events(db, day(-3), JUDGE, EVENING)
    severe = [e for e in events if e.rule == "severe_pain"]
    assert [(e.start, e.end, e.seen_on) for e in severe] == [(day(-3), JUDGE, day(-1))]
    # A new episode after the pain has gone is not covered by the old review.
    save_days(db, [log(5, ratings={LEG_PAIN: 7})])
    assert [a.seen_on for a in day_flags(db, log(5, ratings={LEG_PAIN: 7}), EVENING)] == [None]


# -- invariants ------------------------------------------------------------------------------

amounts = st.sampled_from([0, 2, 2.5, 5, 7.5, 10, 15, 20, 45])
times = st.sampled_from(["07:00", "08:00", "12:30", "20:00", "23:30"])
day_logs = st.builds(
    lambda offset, doses, pain, alcohol, other: DayLog(
        day(offset),
        ratings=((Rating(LEG_PAIN, pain),) if pain is not None else ()),
        doses=tuple(Dose(DIAZEPAM_ID, t, a) for t, a in doses if a > 0)
        + tuple(Dose(2, t, 1) for t in other),
        alcohol_units=alcohol,
    ),
    st.integers(-20, 0),
    st.lists(st.tuples(times, amounts), max_size=3),
    st.none() | st.integers(0, 10),
    st.none() | st.sampled_from([1.0, 6.0]),
    st.lists(times, max_size=1),
)
diaries = st.lists(day_logs, max_size=14, unique_by=lambda d: d.date)
HYPO_CASE = Case("hypothesis", (), other=(("Co-codamol", Category.PAIN),))


@settings(max_examples=150, deadline=None)
@given(diaries, diaries)
def test_later_days_never_change_a_days_flags(before: list[DayLog], after: list[DayLog]) -> None:
    ctx = context_for(HYPO_CASE)
    base = evaluate_days(before, ctx)
    last = max((d.date for d in before), default=day(-21))
    shifted = [DayLog(day(22 + int(d.date[-2:]) % 7), d.ratings, doses=d.doses) for d in after]
    later = [d for d in shifted if d.date > last]
    extended = evaluate_days([*before, *later], ctx)
    assert {d: extended[d] for d in base} == base


@settings(max_examples=150, deadline=None)
@given(diaries, st.randoms(use_true_random=False))
def test_dose_order_never_changes_flags(days: list[DayLog], rnd) -> None:  # type: ignore[no-untyped-def]
    ctx = context_for(HYPO_CASE)
    shuffled = []
    for d in days:
        doses = list(d.doses)
        rnd.shuffle(doses)
        shuffled.append(
            DayLog(d.date, d.ratings, doses=tuple(doses), alcohol_units=d.alcohol_units)
        )
    rnd.shuffle(shuffled)
    assert evaluate_days(shuffled, ctx) == evaluate_days(days, ctx)


@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=9))
def test_median_is_the_statistics_median(values: list[float]) -> None:
    import statistics

    from diazlog.domain.redflags import median

    assert median(values) == pytest.approx(statistics.median(values))


# -- missed is not cut, not logged is not stopping (invariants) -------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 12),
    st.sampled_from([0.0, 2.0, 2.5, 5.0]),
    st.sampled_from(["full", "absent", "symptoms only"]),
)
def test_one_low_day_between_full_days_is_never_a_cut(before: int, low: float, after: str) -> None:
    """A day with a dose missed (or smaller, or none), with full days before it, never raises
    a cut, whatever follows it: a cut must hold on two logged days in a row."""
    full = [log(o, dz("08:00", 5), dz("20:00", 5)) for o in range(-before - 1, -1)]
    low_day = log(-1, *([dz("08:00", low)] if low else []), ratings={LEG_PAIN: 3})
    next_day = {
        "full": [log(0, dz("08:00", 5), dz("20:00", 5))],
        "absent": [],
        "symptoms only": [log(0, ratings={LEG_PAIN: 2})],
    }[after]
    judged = evaluate_days([*full, low_day, *next_day], context_for(HYPO_CASE))
    fired = {a.rule for alerts in judged.values() for a in alerts}
    assert not fired & {"dose_cut", "gradual_cut"}
    # Two days with symptoms and no diazepam are a stop; anything less is not.
    assert ("stopped" in fired) == (low == 0 and after == "symptoms only")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([("08:00",), ("20:00",), ("08:00", "20:00")]), max_size=10))
def test_missed_planned_doses_are_never_a_cut(taken: list[tuple[str, ...]]) -> None:
    """Any run of days on which some planned doses were missed and the rest taken as planned
    raises no cut, however long: missed is never a cut (issue 19, CLINICAL.md)."""
    full = [log(o, dz("08:00", 5), dz("20:00", 5)) for o in range(-len(taken) - 7, -len(taken))]
    rest = [
        log(o - len(taken) + 1, *(dz(t, 5) for t in times), ratings={LEG_PAIN: 3})
        for o, times in enumerate(taken)
    ]
    judged = evaluate_days([*full, *rest], context_for(HYPO_CASE))
    fired = {a.rule for alerts in judged.values() for a in alerts}
    assert not fired & {"dose_cut", "gradual_cut", "stopped"}


@settings(max_examples=60, deadline=None)
@given(diaries)
def test_a_day_without_symptoms_never_says_stopped(days: list[DayLog]) -> None:
    """Not logged is not stopping: only days with symptoms logged can carry the stop."""
    judged = evaluate_days(days, context_for(HYPO_CASE))
    by_date = {d.date: d for d in days}
    for day_, alerts in judged.items():
        if any(a.rule == "stopped" for a in alerts):
            assert by_date[day_].ratings


@settings(max_examples=60, deadline=None)
@given(diaries)
def test_every_flag_has_a_level_and_the_day_is_sorted_by_it(days: list[DayLog]) -> None:
    for alerts in evaluate_days(days, context_for(HYPO_CASE)).values():
        levels = [a.level for a in alerts]
        assert all(isinstance(lv, Level) for lv in levels)
        assert levels == sorted(levels, reverse=True)

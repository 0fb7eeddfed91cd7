"""Frozen dataclasses that every layer passes around instead of rows or widgets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from functools import cached_property


class Category(StrEnum):
    """Medicine categories; several add to diazepam's sedation (see rules.ADDITIVE_CATEGORIES)."""

    BENZODIAZEPINE = "benzodiazepine"
    MUSCLE_RELAXANT = "muscle_relaxant"
    PAIN = "pain"
    OPIOID = "opioid"
    SLEEP = "sleep"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class FlagKind(StrEnum):
    """The red-flag ticks a user can set on a day."""

    CONFUSION = "confusion"
    EXTREME_WEAKNESS = "extreme_weakness"
    BREATHING = "breathing"
    FALL = "fall"

    @property
    def label(self) -> str:
        return FLAG_LABELS[self]


FLAG_LABELS: dict[FlagKind, str] = {
    FlagKind.CONFUSION: "Confusion",
    FlagKind.EXTREME_WEAKNESS: "Extreme weakness",
    FlagKind.BREATHING: "Slow or shallow breathing",
    FlagKind.FALL: "A fall",
}


class SymptomKind(StrEnum):
    """What a symptom is, so the rules read every symptom of a watched kind, the user's too."""

    PAIN = "pain"
    CRAMP = "cramp"
    WEAKNESS = "weakness"
    TENSION = "tension"
    FATIGUE = "fatigue"
    OTHER = "other"

    @property
    def label(self) -> str:
        return SYMPTOM_KIND_LABELS[self]

    @property
    def is_pain(self) -> bool:
        """The kinds of the pain family of rules (domain.symptom_flags.FAMILIES)."""
        return self in (SymptomKind.PAIN, SymptomKind.CRAMP)


SYMPTOM_KIND_LABELS: dict[SymptomKind, str] = {
    SymptomKind.PAIN: "pain",
    SymptomKind.CRAMP: "cramp or spasm",
    SymptomKind.WEAKNESS: "weakness",
    SymptomKind.TENSION: "tension or tightness",
    SymptomKind.FATIGUE: "fatigue",
    SymptomKind.OTHER: "other",
}


class Legs(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


@dataclass(frozen=True)
class Symptom:
    id: int
    key: str
    name: str
    description: str = ""
    active: bool = True
    position: int = 0
    kind: SymptomKind = SymptomKind.OTHER


@dataclass(frozen=True)
class Rating:
    """One symptom's 0-10 intensity on one day; a missing Rating means "not logged"."""

    symptom_id: int
    intensity: int
    onset: str | None = None
    duration_min: int | None = None
    legs: str | None = None
    worse_with: str | None = None
    note: str | None = None

    @property
    def has_detail(self) -> bool:
        return any(
            v not in (None, "")
            for v in (self.onset, self.duration_min, self.legs, self.worse_with, self.note)
        )


@dataclass(frozen=True)
class PlannedDose:
    """One dose a plan asks for on a day: its time ("HH:MM", None when the plan names none)."""

    time: str | None
    amount: float


def planned_doses(
    amount: float, times: tuple[str, ...], amounts: tuple[float, ...] = ()
) -> tuple[PlannedDose, ...]:
    """A plan's stored fields as doses: per-time amounts when there is one per time, else
    `amount` at each time (one untimed dose without times); nothing when `amount` is 0."""
    if not amount:
        return ()
    if not times:
        return (PlannedDose(None, amount),)
    per_time = amounts if len(amounts) == len(times) else (amount,) * len(times)
    pairs = sorted(zip(times, per_time, strict=True))
    return tuple(PlannedDose(t, a) for t, a in pairs if a > 0)


@dataclass(frozen=True)
class Medication:
    id: int | None
    name: str
    category: Category = Category.OTHER
    is_diazepam: bool = False
    unit: str = "mg"
    usual_amount: float | None = None
    usual_times: tuple[str, ...] = ()
    stock: float | None = None
    started_on: str | None = None
    stopped_on: str | None = None
    # Class codes of what the name was recognised as (store.medicine_lookups.resolve, from
    # the shipped tables or the drug-name library), "" when unrecognised.
    drug_class: str = ""
    # The amount at each usual time when they differ (parallel to usual_times); () means
    # usual_amount at every time. usual_amount is then the largest (domain/plan.py).
    usual_amounts: tuple[float, ...] = ()

    @property
    def usual_doses(self) -> tuple[PlannedDose, ...]:
        """The usual dose as (time, amount) pairs; () for an as-needed medicine."""
        return planned_doses(self.usual_amount or 0.0, self.usual_times, self.usual_amounts)

    # Strength per unit of a combination product, in its ingredients' order ("30/500").
    strength: str = ""

    def active_on(self, day: str) -> bool:
        started = self.started_on is None or self.started_on <= day
        not_stopped = self.stopped_on is None or self.stopped_on >= day
        return started and not_stopped


@dataclass(frozen=True)
class Dose:
    """A medicine taken at its real time ("HH:MM") on the day it belongs to.

    `utc_offset` ("+01:00") tells apart the two 01:30s of a clock-change night; None when
    unknown (doses logged before schema 2, or for an earlier day).
    """

    medication_id: int
    time: str
    amount: float
    as_needed: bool = False
    note: str | None = None
    id: int | None = None
    utc_offset: str | None = None

    def same_moment(self, other: Dose) -> bool:
        """Same wall time and, when both know it, the same UTC offset."""
        offsets = {self.utc_offset, other.utc_offset} - {None}
        return self.time == other.time and len(offsets) <= 1


# The day's own fields besides its note, as columns of `days` (store) and fields of DayLog.
DAY_COLUMNS: tuple[str, ...] = (
    "walking_interference",
    "sleep_interference",
    "activity_min",
    "stretched",
    "water_glasses",
    "sleep_hours",
    "alcohol_units",
)


@dataclass(frozen=True)
class DayLog:
    """Everything logged for one date. None means "not logged", never zero."""

    date: str
    ratings: tuple[Rating, ...] = ()
    walking_interference: int | None = None
    sleep_interference: int | None = None
    activity_min: int | None = None
    stretched: bool | None = None
    water_glasses: int | None = None
    sleep_hours: float | None = None
    alcohol_units: float | None = None
    note: str = ""
    doses: tuple[Dose, ...] = ()
    red_flags: frozenset[str] = field(default_factory=frozenset)
    updated_at: str | None = None

    def rating_for(self, symptom_id: int) -> Rating | None:
        for rating in self.ratings:
            if rating.symptom_id == symptom_id:
                return rating
        return None

    @cached_property
    def intensities(self) -> dict[int, int]:
        """symptom id -> 0-10, worked out once per day (the rules read 28 days for each day)."""
        return {r.symptom_id: r.intensity for r in self.ratings}

    def dose_total(self, medication_ids: Iterable[int]) -> float:
        wanted = set(medication_ids)
        return sum(d.amount for d in self.doses if d.medication_id in wanted)

    @property
    def is_empty(self) -> bool:
        """True when nothing at all was entered, so saving would only create noise."""
        return (
            not self.ratings
            and not self.doses
            and not self.red_flags
            and not self.note
            and all(
                v is None
                for v in (
                    self.walking_interference,
                    self.sleep_interference,
                    self.activity_min,
                    self.stretched,
                    self.water_glasses,
                    self.sleep_hours,
                    self.alcohol_units,
                )
            )
        )


class Level(IntEnum):
    """How urgent a flag is, at its source's strength (CLINICAL.md, "Levels"); higher is more.

    The one ordering every surface uses: Today's banner, History, `status`, `flags`
    (`"level": "<code>"` in JSON) and the report sort and word flags by it.
    """

    ASK = 1  # ask at the next visit
    TODAY = 2  # contact the doctor today
    URGENT = 3  # seek immediate medical attention
    EMERGENCY = 4  # call emergency services
    DOCTOR = 1  # the earlier name of ASK (an alias: not listed when iterating)

    @property
    def code(self) -> str:
        """The word `diazlog flags --json` uses: emergency, urgent, today or ask."""
        return self.name.lower()

    @property
    def header(self) -> str:
        """The banner's and `status`'s first words for a flag of this level."""
        return LEVEL_HEADERS[self]

    @property
    def label(self) -> str:
        """The short tag of a flag line (`flags`, the report)."""
        return LEVEL_LABELS[self]


LEVEL_HEADERS: dict[Level, str] = {
    Level.EMERGENCY: "⚠ CALL EMERGENCY SERVICES",
    Level.URGENT: "⚠ SEEK MEDICAL ATTENTION NOW",
    Level.TODAY: "⚠ Contact your doctor today",
    Level.ASK: "Ask your doctor at the next visit",
}
LEVEL_LABELS: dict[Level, str] = {
    Level.EMERGENCY: "EMERGENCY",
    Level.URGENT: "URGENT",
    Level.TODAY: "contact your doctor today",
    Level.ASK: "ask your doctor",
}
# The earlier name, kept so code written against it still imports.
Severity = Level


@dataclass(frozen=True)
class Alert:
    """One red flag on one day, as every screen and command shows it."""

    rule: str
    level: Level
    title: str
    message: str
    key: str = ""  # the episode key: the rule, or the rule and the medicine it names
    value: float = 0.0  # how bad (a rating, a dose): "gets worse" compares it
    source: str = ""  # where the wording comes from (seed.md, the label, NHS …)
    date: str = ""
    seen_on: str | None = None  # when a doctor saw this episode (flag_reviews)

    @property
    def severity(self) -> Level:
        """The earlier name of `level`."""
        return self.level


@dataclass(frozen=True)
class TaperStep:
    """One step of a plan. `amounts` holds the amount at each of `times` when they differ
    (5 mg at 08:00, 2.5 mg at 20:00); () means `amount` at every time, as plans saved before
    per-time amounts existed do. `amount` is 0 for a stop step, else the largest amount."""

    id: int | None
    medication_id: int
    from_date: str
    amount: float
    times: tuple[str, ...] = ()
    amounts: tuple[float, ...] = ()

    @property
    def doses(self) -> tuple[PlannedDose, ...]:
        """The step's doses of one day, in time order; () for a stop step."""
        return planned_doses(self.amount, self.times, self.amounts)


@dataclass(frozen=True)
class Question:
    """One line of the doctor checklist; `facts` says which data a generated one comes from."""

    id: int | None
    text: str
    origin: str  # builtin / generated / mine
    rule_key: str | None = None
    position: int = 0
    created_at: str | None = None
    asked_on: str | None = None
    answer: str | None = None
    archived: bool = False
    appointment_id: int | None = None
    facts: str | None = None
    hidden: bool = False

    @property
    def asked(self) -> bool:
        return self.asked_on is not None


@dataclass(frozen=True)
class Appointment:
    """A visit to the doctor; closed once the user starts a fresh checklist after it."""

    id: int | None
    date: str
    with_whom: str = ""
    note: str = ""
    closed_at: str | None = None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

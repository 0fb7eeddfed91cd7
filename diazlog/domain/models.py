"""Frozen dataclasses that every layer passes around instead of rows or widgets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


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
    """What a symptom is, so the pain rules read every pain and cramp symptom, the user's too."""

    PAIN = "pain"
    CRAMP = "cramp"
    WEAKNESS = "weakness"
    FATIGUE = "fatigue"
    OTHER = "other"

    @property
    def label(self) -> str:
        return SYMPTOM_KIND_LABELS[self]

    @property
    def is_pain(self) -> bool:
        """Read by the severe and persistent leg-pain rules."""
        return self in (SymptomKind.PAIN, SymptomKind.CRAMP)


SYMPTOM_KIND_LABELS: dict[SymptomKind, str] = {
    SymptomKind.PAIN: "pain",
    SymptomKind.CRAMP: "cramp or spasm",
    SymptomKind.WEAKNESS: "weakness",
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


class Severity(IntEnum):
    """How loudly an alert is shown; EMERGENCY and URGENT say "seek medical attention now"."""

    DOCTOR = 1
    URGENT = 2
    EMERGENCY = 3

    @property
    def code(self) -> str:
        """The word `diazlog flags --json` uses: emergency, urgent or ask."""
        return {1: "ask", 2: "urgent", 3: "emergency"}[self.value]


@dataclass(frozen=True)
class Alert:
    """One red flag on one day, as every screen and command shows it."""

    rule: str
    severity: Severity
    title: str
    message: str
    key: str = ""  # the episode key: the rule, or the rule and the medicine it names
    level: float = 0.0  # how bad (a rating, a dose): "gets worse" compares it
    source: str = ""  # where the wording comes from (seed.md, the label, NHS …)
    date: str = ""
    seen_on: str | None = None  # when a doctor saw this episode (flag_reviews)


@dataclass(frozen=True)
class TaperStep:
    id: int | None
    medication_id: int
    from_date: str
    amount: float
    times: tuple[str, ...] = ()


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

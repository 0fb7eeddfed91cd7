"""What every red-flag rule family reads, and the small helpers they share.

Kept apart from domain.redflags (which runs the families and groups their flags into
episodes) so each family lives in its own module and none of them imports the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache

from diazlog.domain.diazepam_products import diazepam_ids
from diazlog.domain.models import Alert, DayLog, Level, Medication, SymptomKind, TaperStep

SEED = "seed.md"
SEEK_NOW = "seek immediate medical attention"


@dataclass(frozen=True)
class FlagContext:
    """What the rules need beyond the day itself: the user's set-up and the days before it."""

    medications: Mapping[int, Medication] = field(default_factory=dict)
    symptom_kinds: Mapping[int, SymptomKind] = field(default_factory=dict)
    symptom_names: Mapping[int, str] = field(default_factory=dict)
    plan: Sequence[TaperStep] = ()  # the diazepam taper plan, any order
    # Logged days before the day judged, by ISO date; the loader gives at least LOOKBACK_DAYS.
    earlier: Mapping[str, DayLog] = field(default_factory=dict)
    # "A doctor has seen this": (episode key, episode start) -> (seen on, value seen).
    reviews: Mapping[tuple[str, str], tuple[str, float]] = field(default_factory=dict)
    now: datetime | None = None  # None: every day counts as over

    @cached_property
    def ids_by_kind(self) -> dict[SymptomKind, frozenset[int]]:
        """Symptom ids of each kind, worked out once per context (the rules ask every day)."""
        found: dict[SymptomKind, set[int]] = {}
        for symptom_id, kind in self.symptom_kinds.items():
            found.setdefault(kind, set()).add(symptom_id)
        return {kind: frozenset(ids) for kind, ids in found.items()}

    @cached_property
    def diazepam_ids(self) -> frozenset[int]:
        """The tracked diazepam and every medicine that is diazepam under another name
        (Valium, Stesolid): their doses add up, and none is "another benzodiazepine"."""
        return diazepam_ids(self.medications)

    def with_earlier(self, earlier: Mapping[str, DayLog]) -> FlagContext:
        return replace(self, earlier=earlier)


def make_alert(
    rule: str,
    level: Level,
    title: str,
    message: str,
    source: str,
    *,
    key: str = "",
    value: float = 0.0,
) -> Alert:
    return Alert(rule, level, title, message, key=key or rule, value=value, source=source)


def diazepam_total(day: DayLog, context: FlagContext) -> float:
    return day.dose_total(context.diazepam_ids)


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


def in_words(name: str) -> str:
    """A symptom's name inside a sentence: "Calf tightness" -> "calf tightness", "ABC" stays."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def short_date(day: str) -> str:
    """ "2026-11-03" -> "3 Nov"."""
    value = date.fromisoformat(day)
    return f"{value.day} {value:%b}"


@lru_cache(maxsize=8192)
def shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


@lru_cache(maxsize=8192)
def days_between(first: str, second: str) -> int:
    return (date.fromisoformat(second) - date.fromisoformat(first)).days

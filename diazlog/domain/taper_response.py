"""How each symptom answered each taper step: the 7 logged days before a step against the 7
after it, with how many days each mean stands on.

This is the pattern the diary exists to show (a symptom that rises after each cut), so the
report puts it on page 1. It speaks only with enough days on both sides and a difference of
at least 2 points, the smallest change that matters on the 0-10 scale (CLINICAL.md: NRS-11).
Pure functions over plain data; a test recomputes every mean with its own SQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from diazlog.domain import limits
from diazlog.domain.models import TaperStep
from diazlog.domain.numbers import is_meaningful
from diazlog.domain.taper import planned_total

# Each side of a step takes this many logged days ...
WINDOW_DAYS = 7
# ... found within this many calendar days of the step (a month without logging is not
# "the week before"), and never across the step before or after it.
SPAN_DAYS = 21


@dataclass(frozen=True)
class SymptomResponse:
    """One symptom around one step: the mean of each side and its number of days."""

    name: str
    before: tuple[int, ...] = ()
    after: tuple[int, ...] = ()

    @staticmethod
    def _mean(values: tuple[int, ...]) -> float | None:
        # Rounded as shown, so a sentence never contradicts the numbers printed beside it.
        return round(sum(values) / len(values), 1) if values else None

    @property
    def before_mean(self) -> float | None:
        return self._mean(self.before)

    @property
    def after_mean(self) -> float | None:
        return self._mean(self.after)

    @property
    def enough(self) -> bool:
        return min(len(self.before), len(self.after)) >= limits.MIN_DAYS_TO_COMPARE

    @property
    def change(self) -> float | None:
        """After minus before, only with enough days on both sides."""
        if not self.enough or self.before_mean is None or self.after_mean is None:
            return None
        return round(self.after_mean - self.before_mean, 1)

    @property
    def verdict(self) -> str:
        """ "rose" / "fell" for a change of 2 points or more, else ""."""
        change = self.change
        if change is None:
            return ""
        if is_meaningful(change):  # 2 points, even as 1.9999999999999996 in floating point
            return "rose" if change > 0 else "fell"
        return ""


@dataclass(frozen=True)
class StepResponse:
    """One taper step inside the range and every symptom around it."""

    date: str
    before_mg: float | None  # the daily total planned before it (None: no plan before)
    after_mg: float
    symptoms: tuple[SymptomResponse, ...] = ()

    @property
    def step_words(self) -> str:
        """ "the 8 -> 6 mg a day step" (or "the step to 6 mg a day" with nothing before)."""
        if self.before_mg is None:
            return f"the step to {self.after_mg:g} mg a day"
        return f"the {self.before_mg:g} \u2192 {self.after_mg:g} mg a day step"


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def taper_response(
    steps: Sequence[TaperStep],
    ratings: Sequence[tuple[str, Mapping[str, int]]],
    start: str,
    end: str,
) -> tuple[StepResponse, ...]:
    """Every step that begins inside (start, end], oldest first, with each symptom's days.

    `ratings` are (symptom name, {ISO date: 0-10}) in the order to show; only days inside
    the range are read, so the report says nothing about days it does not cover. A first step
    has no "before" amount (the usual dose on record is what is taken now, not then).
    """
    ordered = sorted(steps, key=lambda s: s.from_date)
    found = []
    for index, step in enumerate(ordered):
        if not start < step.from_date <= end:
            continue  # a step on the first day has no "before" in the range
        previous = ordered[index - 1] if index else None
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        low = max(start, _shift(step.from_date, -SPAN_DAYS))
        if previous is not None:
            low = max(low, previous.from_date)
        high = min(end, _shift(step.from_date, SPAN_DAYS - 1))
        if following is not None:
            high = min(high, _shift(following.from_date, -1))
        responses = []
        for name, by_day in ratings:
            before = [d for d in sorted(by_day) if low <= d < step.from_date][-WINDOW_DAYS:]
            after = [d for d in sorted(by_day) if step.from_date <= d <= high][:WINDOW_DAYS]
            responses.append(
                SymptomResponse(
                    name, tuple(by_day[d] for d in before), tuple(by_day[d] for d in after)
                )
            )
        before_mg = planned_total(previous) if previous is not None else None
        found.append(StepResponse(step.from_date, before_mg, planned_total(step), tuple(responses)))
    return tuple(found)


def _lower_first(name: str) -> str:
    """ "Leg pain" -> "leg pain" inside a sentence; "ACL pain" stays as typed."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


def sentence(response: StepResponse, when: str) -> str:
    """One plain sentence for a step: each symptom that rose or fell by 2 points or more,
    with its means and days; "" when none did. `when` is the date as people write it.

    "After the 10 -> 7.5 mg a day step on 20 Nov, leg pain rose from 2.0 to 6.0 (7 and 7
    days)."
    """
    clauses = [
        f"{_lower_first(s.name)} {s.verdict} from {s.before_mean:.1f} to {s.after_mean:.1f} "
        f"({len(s.before)} and {len(s.after)} days)"
        for s in response.symptoms
        if s.verdict
    ]
    if not clauses:
        return ""
    listed = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]
    return f"After {response.step_words} on {when}, {listed}."

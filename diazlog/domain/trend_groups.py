"""Trend views that group ratings: by hours since a diazepam dose, time of day and weekday.

Split from trends.py (the over-time view) because these views answer a different question,
"when in the day or week", and share only the group tallies and the `standout` rule. Pure
functions over the tallies SQL hands over; a group is only named against the rest with
enough values on each side and limits.MEANINGFUL_CHANGE points between them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from diazlog.domain import limits, numbers

LAG_BIN_HOURS = 2
MAX_LAG_HOURS = 24
"""Onsets more than this long after the last dose are not put in a lag bin."""
TIME_OF_DAY_BIN_HOURS = 3
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# -- groups: hours since a dose, time of day, weekday ------------------------------------------


@dataclass(frozen=True)
class GroupMean:
    """The mean of the values that fell into one labelled group; None when none did."""

    label: str
    total: float = 0.0
    count: int = 0

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count else None


Tally = tuple[int, float, int]
"""(group key, sum of values, number of values): what a SQL GROUP BY returns."""


def tally(rows: Iterable[tuple[int, float]]) -> list[Tally]:
    """Turn (group key, value) rows into tallies, the shape SQL aggregation hands over."""
    sums: dict[int, list[float]] = {}
    for key, value in rows:
        sums.setdefault(key, []).append(value)
    return [(key, sum(values), len(values)) for key, values in sorted(sums.items())]


def _merge(tallies: Iterable[Tally], labels: Sequence[str], group_of: int) -> list[GroupMean]:
    totals = [0.0] * len(labels)
    counts = [0] * len(labels)
    for key, total, count in tallies:
        index = key // group_of
        if 0 <= index < len(labels):
            totals[index] += total
            counts[index] += count
    return [GroupMean(label, t, c) for label, t, c in zip(labels, totals, counts, strict=True)]


def time_of_day_means(
    by_hour: Iterable[Tally], bin_hours: int = TIME_OF_DAY_BIN_HOURS
) -> list[GroupMean]:
    """Mean intensity by onset time, from tallies keyed by hour 0-23, in `bin_hours` bins."""
    labels = [f"{h:02d}-{h + bin_hours:02d}" for h in range(0, 24, bin_hours)]
    return _merge(by_hour, labels, bin_hours)


def weekday_means(by_weekday: Iterable[Tally]) -> list[GroupMean]:
    """Mean intensity by weekday, from tallies keyed 0 = Monday .. 6 = Sunday."""
    return _merge(by_weekday, WEEKDAYS, 1)


class Verdict(StrEnum):
    """Whether one group may be named against the others."""

    FOUND = "found"
    NO_DIFFERENCE = "no difference"
    NOT_ENOUGH = "not enough data"


@dataclass(frozen=True)
class Standout:
    """The group that differs most from all the others together, if the data can say so.

    FOUND only when the group and the rest each hold `minimum` values and the means differ by
    at least limits.MEANINGFUL_CHANGE; `total` is every value in every group.
    """

    verdict: Verdict
    total: int
    group: GroupMean | None = None
    rest_mean: float | None = None
    rest_count: int = 0


def standout(groups: Sequence[GroupMean], minimum: int, *, highest: bool = True) -> Standout:
    """The group furthest above (or below, `highest=False`) the mean of the rest.

    Groups with fewer than `minimum` values are never picked; the rest must hold `minimum`
    values too. NOT_ENOUGH when no group can be compared; NO_DIFFERENCE when none differs by
    limits.MEANINGFUL_CHANGE.
    """
    total = sum(g.count for g in groups)
    grand = sum(g.total for g in groups)
    best: tuple[float, GroupMean, float, int] | None = None
    for group in groups:
        rest_count = total - group.count
        if group.count < minimum or rest_count < minimum or group.mean is None:
            continue
        rest_mean = (grand - group.total) / rest_count
        gap = group.mean - rest_mean if highest else rest_mean - group.mean
        if best is None or gap > best[0]:
            best = (gap, group, rest_mean, rest_count)
    if best is None:
        return Standout(Verdict.NOT_ENOUGH, total)
    gap, group, rest_mean, rest_count = best
    verdict = Verdict.FOUND if numbers.is_meaningful(gap) and gap > 0 else Verdict.NO_DIFFERENCE
    return Standout(verdict, total, group, rest_mean, rest_count)


@dataclass(frozen=True)
class DoseLag:
    """Mean intensity by hours since the last diazepam dose, and how many onsets fit no bin."""

    bins: tuple[GroupMean, ...]
    no_recent_dose: int = 0

    @property
    def count(self) -> int:
        return sum(b.count for b in self.bins)

    def standout(self) -> Standout:
        """The bin whose onsets were rated highest against all the others, if it can be named."""
        return standout(self.bins, limits.MIN_ONSETS_PER_BIN)


def lag_labels(bin_hours: int = LAG_BIN_HOURS, max_hours: int = MAX_LAG_HOURS) -> list[str]:
    return [f"{h}-{h + bin_hours}h" for h in range(0, max_hours, bin_hours)]


def dose_lag(
    by_bin: Iterable[Tally],
    no_recent_dose: int = 0,
    bin_hours: int = LAG_BIN_HOURS,
    max_hours: int = MAX_LAG_HOURS,
) -> DoseLag:
    """Bins of onsets by hours since the diazepam dose before them, from SQL tallies.

    Tallies are keyed by bin index (hours // bin_hours); onsets with no dose in the
    `max_hours` before them are only counted (`no_recent_dose`). Diazepam lasts for days, so
    the bins show when symptoms were logged, not a dose wearing off.
    """
    return DoseLag(tuple(_merge(by_bin, lag_labels(bin_hours, max_hours), 1)), no_recent_dose)

"""The words under the charts: a verdict ('worst', 'worse', 'better') fires only with enough
values on each side and limits.MEANINGFUL_CHANGE points between them; every number is the
data's."""

from __future__ import annotations

import pytest

from diazlog.domain.chart_words import (
    before_after_words,
    bins_text,
    hour_words,
    lag_words,
    weekday_words,
)
from diazlog.domain.dose_changes import BeforeAfter
from diazlog.domain.trend_groups import WEEKDAYS, DoseLag, GroupMean, lag_labels


def _days(means: dict[str, tuple[float, int]]) -> tuple[GroupMean, ...]:
    """Weekday groups with (mean, n) for the named days, empty for the rest."""
    return tuple(
        GroupMean(d, means[d][0] * means[d][1], means[d][1]) if d in means else GroupMean(d)
        for d in WEEKDAYS
    )


WEEKDAY_CASES = [
    # (name, groups, must contain, must not contain)
    ("nothing logged", {}, "by weekday: not logged", "worst"),
    (
        "a clear worst day with 7 days each side",
        {"Mon": (8.0, 7), "Tue": (3.0, 7)},
        "worst day on Mon: 8 (7 days) against 3 on other days (7 days)",
        "not enough",
    ),
    (
        "six days on the worst day: no verdict",
        {"Mon": (8.0, 6), "Tue": (3.0, 7)},
        "not enough data yet",
        "worst day on",
    ),
    (
        "under 2 points apart: no day stands out",
        {"Mon": (4.5, 7), "Tue": (3.0, 7)},
        "no weekday stands out (under 2 points apart)",
        "worst day on",
    ),
    (
        "exactly 2 points apart is a difference",
        {"Mon": (5.0, 7), "Tue": (3.0, 7)},
        "worst day on Mon",
        "stands out",
    ),
]


@pytest.mark.parametrize(
    ("name", "groups", "present", "absent"), WEEKDAY_CASES, ids=[c[0] for c in WEEKDAY_CASES]
)
def test_weekday_verdict_fires_only_when_backed(
    name: str, groups: dict[str, tuple[float, int]], present: str, absent: str
) -> None:
    words = weekday_words(_days(groups))
    assert present in words
    assert absent not in words


def test_the_best_weekday_is_named_only_beside_a_worst_one() -> None:
    three = {"Mon": (8.0, 7), "Tue": (3.0, 7), "Wed": (1.0, 7)}
    assert "best Wed (1)" in weekday_words(_days(three))
    assert "best" not in weekday_words(_days({"Mon": (4.0, 7), "Tue": (3.5, 7)}))


def _hours(slots: dict[int, tuple[float, int]]) -> tuple[GroupMean, ...]:
    labels = [f"{h:02d}-{h + 3:02d}" for h in range(0, 24, 3)]
    return tuple(
        GroupMean(label, slots[i][0] * slots[i][1], slots[i][1]) if i in slots else GroupMean(label)
        for i, label in enumerate(labels)
    )


HOUR_CASES = [
    ("no onsets", {}, "no onset times", "worst"),
    ("five onsets each side", {0: (9.0, 5), 5: (2.0, 5)}, "worst time at 00-03: 9", "not enough"),
    ("four onsets in the slot", {0: (9.0, 4), 5: (2.0, 5)}, "needs 5 in one 3-hour slot", "at 00"),
]


@pytest.mark.parametrize(
    ("name", "slots", "present", "absent"), HOUR_CASES, ids=[c[0] for c in HOUR_CASES]
)
def test_hour_verdict_fires_only_when_backed(
    name: str, slots: dict[int, tuple[float, int]], present: str, absent: str
) -> None:
    words = hour_words(_hours(slots))
    assert present in words
    assert absent not in words


def test_lag_words_count_onsets_beyond_a_day_and_name_a_bin_only_when_backed() -> None:
    labels = lag_labels()
    bins = [GroupMean(label) for label in labels]
    bins[0] = GroupMean(labels[0], 45.0, 5)
    bins[3] = GroupMean(labels[3], 10.0, 5)
    words = lag_words(DoseLag(tuple(bins), no_recent_dose=2))
    assert "0-2h 9 (5) · 6-8h 2 (5)" in words
    assert "2 >24 h after a dose" in words
    assert "highest at 0-2h" in words
    bins[0] = GroupMean(labels[0], 36.0, 4)
    assert "highest: not enough data yet" in lag_words(DoseLag(tuple(bins)))
    assert lag_words(DoseLag(tuple(GroupMean(label) for label in labels))) == (
        "no onset times after a dose"
    )


BEFORE_AFTER_CASES = [
    ("worse by 3", BeforeAfter(3.0, 30, 6.0, 30), "3 (30 days) → 6 (30 days): +3, worse"),
    ("better by 2", BeforeAfter(6.0, 7, 4.0, 7), "6 (7 days) → 4 (7 days): -2, better"),
    ("under 2 points", BeforeAfter(3.0, 7, 4.5, 7), "no real change (under 2 points)"),
    ("six days after", BeforeAfter(3.0, 30, 9.0, 6), "not enough data yet (6 days after)"),
    ("nothing before", BeforeAfter(None, 0, 5.0, 9), "– (0 days) → 5 (9 days): not enough"),
]


@pytest.mark.parametrize(
    ("name", "ba", "expected"), BEFORE_AFTER_CASES, ids=[c[0] for c in BEFORE_AFTER_CASES]
)
def test_before_after_words(name: str, ba: BeforeAfter, expected: str) -> None:
    words = before_after_words(ba)
    assert expected in words
    if not ba.comparable:
        assert "worse" not in words and "better" not in words


def test_bins_text_shows_only_filled_bins_with_their_n() -> None:
    assert bins_text((GroupMean("a"), GroupMean("b"))) == "none"
    assert bins_text((GroupMean("a", 10.0, 4), GroupMean("b")), " h") == "a h 2.5 (4)"

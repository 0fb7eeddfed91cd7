"""The report's daily summaries (domain.visit_summary): windows, verdicts, worst day, runs."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from diazlog.domain.visit_summary import (
    EPISODES_SHOWN,
    date_runs,
    most_severe,
    summarize_daily,
)


def days(values: list[int], start: str = "2026-01-01", skip: int = 1) -> dict[str, int]:
    first = date.fromisoformat(start)
    return {(first + timedelta(days=i * skip)).isoformat(): v for i, v in enumerate(values)}


def test_too_few_days_say_so_with_the_count() -> None:
    summary = summarize_daily(days([5] * 13))
    assert summary.change is None and summary.verdict == "not enough data yet (13 days)"
    assert summarize_daily({}).days_logged == 0


def test_windows_are_the_first_and_last_logged_days_and_never_overlap() -> None:
    # 14 logged days, every other calendar day: 7 and 7.
    summary = summarize_daily(days([2] * 7 + [5] * 7, skip=2))
    assert (summary.window, summary.first_mean, summary.last_mean) == (7, 2, 5)
    assert summary.verdict == "worse"
    # 40 days: the first 14 and the last 14; the middle does not count.
    summary = summarize_daily(days([6] * 14 + [0] * 12 + [5] * 14))
    assert (summary.window, summary.change, summary.verdict) == (14, -1, "no clear change")
    summary = summarize_daily(days([6] * 14 + [4] * 14))
    assert summary.verdict == "better"


def test_worst_is_the_latest_day_of_the_highest_rating() -> None:
    summary = summarize_daily({"2026-01-03": 7, "2026-01-01": 7, "2026-01-02": 3})
    assert (summary.worst, summary.worst_date) == (7, "2026-01-03")
    assert summary.mean is not None and abs(summary.mean - 17 / 3) < 1e-9


@given(st.lists(st.integers(0, 10), max_size=60))
def test_change_is_last_minus_first_mean(values: list[int]) -> None:
    summary = summarize_daily(days(values))
    window = min(14, len(values) // 2)
    assert summary.window == window
    if window < 7:
        assert summary.change is None
    else:
        expected = sum(values[-window:]) / window - sum(values[:window]) / window
        assert summary.change is not None and abs(summary.change - expected) < 1e-9
        assert (summary.verdict in ("worse", "better")) == (abs(expected) >= 2 - 1e-9)


def test_most_severe_keeps_twenty_newest_first_and_counts_the_rest() -> None:
    items = [SimpleNamespace(day=f"2026-01-{n + 1:02d}", level=n % 5) for n in range(31)]
    shown, rest = most_severe(items, "level", "day")
    assert len(shown) == EPISODES_SHOWN and rest == 31 - EPISODES_SHOWN
    assert [i.day for i in shown] == sorted((i.day for i in shown), reverse=True)
    assert min(i.level for i in shown) >= max(i.level for i in items if i not in shown)


def test_date_runs() -> None:
    dates = ["2026-03-05", "2026-02-28", "2026-03-01", "2026-03-02", "2026-03-05"]
    assert date_runs(dates) == [("2026-02-28", "2026-03-02"), ("2026-03-05", "2026-03-05")]
    assert date_runs([]) == []

"""Pure trend analysis: rolling mean with gaps, summaries, dose lag, groups, before/after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diazlog.domain.models import TaperStep
from diazlog.domain.trends import (
    Bucket,
    DoseChange,
    Trend,
    before_after,
    bucket_days_for,
    buckets_from_days,
    change_points,
    dose_changes,
    dose_lag,
    dose_marks,
    rolling_mean,
    summarize,
    summarize_days,
    tally,
    time_of_day_means,
    weekday_means,
    window_of,
)


def days_from(start: str, values: list[float | None]) -> dict[str, float]:
    first = date.fromisoformat(start)
    return {
        (first + timedelta(days=i)).isoformat(): v for i, v in enumerate(values) if v is not None
    }


# -- buckets and rolling mean ---------------------------------------------------------------


def test_daily_buckets_keep_gaps_as_gaps() -> None:
    series = days_from("2026-11-01", [2, None, 6])
    buckets = buckets_from_days(series, "2026-11-01", "2026-11-03")
    assert [b.mean for b in buckets] == [2, None, 6]
    assert [b.count for b in buckets] == [1, 0, 1]


def test_rolling_mean_of_three_known_days() -> None:
    buckets = buckets_from_days(days_from("2026-11-01", [2, 4, 6]), "2026-11-01", "2026-11-03")
    assert rolling_mean(buckets) == [2, 3, 4]


def test_rolling_mean_window_is_calendar_days_and_breaks_at_gaps() -> None:
    values: list[float | None] = [8, None, None, None, None, None, None, 2, None, 4]
    buckets = buckets_from_days(days_from("2026-11-01", values), "2026-11-01", "2026-11-10")
    means = rolling_mean(buckets)
    assert means[0] == 8
    assert means[1:7] == [None] * 6  # not logged: a gap, never a zero
    assert means[7] == 2  # day 1 is 7 days back: out of the 7-day window
    assert means[9] == 3


def test_wide_buckets_weight_by_days() -> None:
    series = days_from("2026-01-01", [1] * 7 + [7] * 1)
    buckets = buckets_from_days(series, "2026-01-01", "2026-01-14", bucket_days=7)
    assert [b.count for b in buckets] == [7, 1]
    assert rolling_mean(buckets) == [1, 7]  # a bucket of 7 days is its own 7-day mean


def test_bucket_days_for_fits_columns() -> None:
    assert bucket_days_for(30, 70) == 1
    assert bucket_days_for(3650, 70) == 53
    assert bucket_days_for(0, 0) == 1


@given(
    st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=1, max_size=60),
    st.integers(1, 15),
)
def test_buckets_preserve_every_logged_value(values: list[int | None], size: int) -> None:
    series = days_from("2025-12-30", values)  # type: ignore[arg-type]
    end = (date(2025, 12, 30) + timedelta(days=len(values) - 1)).isoformat()
    buckets = buckets_from_days(series, "2025-12-30", end, size)
    assert sum(b.count for b in buckets) == len(series)
    assert sum(b.total for b in buckets) == sum(series.values())
    for mean in rolling_mean(buckets):
        assert mean is None or 0 <= mean <= 10


# -- summaries ------------------------------------------------------------------------------


def test_summary_numbers() -> None:
    series = days_from("2026-11-01", [2, 2, 2, 2, 8, 5, 5, 5, 8, 5])
    summary = summarize_days(series, "2026-11-01", "2026-11-10")
    assert summary.mean == pytest.approx(4.4)
    assert summary.worst == 8
    assert summary.worst_date == "2026-11-09"  # the latest of the worst days
    assert summary.days_logged == 10
    assert summary.change == pytest.approx(5.6 - 3.2)
    assert summary.trend is Trend.UP
    line = summary.describe()
    assert "mean 4.4" in line and "worst 8 (9 Nov 2026)" in line and "10 days" in line
    assert "up" in line


def test_summary_flat_down_and_unknown() -> None:
    flat = summarize_days(days_from("2026-11-01", [3] * 4 + [4] * 4), "2026-11-01", "2026-11-08")
    assert flat.trend is Trend.FLAT
    down = summarize_days(days_from("2026-11-01", [6] * 4 + [4] * 4), "2026-11-01", "2026-11-08")
    assert down.trend is Trend.DOWN and down.change == -2
    few = summarize_days(days_from("2026-11-01", [1, 9]), "2026-11-01", "2026-11-08")
    assert few.trend is Trend.UNKNOWN and few.change is None


def test_summary_of_nothing_and_of_one_day() -> None:
    empty = summarize_days({}, "2026-11-01", "2026-11-30")
    assert empty.days_logged == 0 and empty.mean is None
    assert empty.describe() == "not logged in this range"
    one = summarize_days({"2026-11-05": 3}, "2026-11-01", "2026-11-30")
    assert one.describe().startswith("mean 3.0 · worst 3 (5 Nov 2026) · 1 day ·")


def test_summary_from_wide_buckets_equals_summary_from_days() -> None:
    values = [(i * 7) % 11 for i in range(90)]
    series = days_from("2026-08-01", values)  # type: ignore[arg-type]
    daily = summarize_days(series, "2026-08-01", "2026-10-29")
    wide = summarize(buckets_from_days(series, "2026-08-01", "2026-10-29", 3), "2026-10-29")
    assert (wide.mean, wide.worst, wide.worst_date, wide.days_logged) == (
        daily.mean,
        daily.worst,
        daily.worst_date,
        daily.days_logged,
    )


# -- groups ---------------------------------------------------------------------------------


def test_time_of_day_and_weekday_means() -> None:
    hours = tally([(0, 2), (2, 4), (21, 9), (23, 7)])
    means = time_of_day_means(hours)
    assert means[0].label == "00-03" and means[0].mean == 3 and means[0].count == 2
    assert means[-1].label == "21-24" and means[-1].mean == 8
    assert means[3].mean is None
    weekdays = weekday_means([(0, 10, 2), (6, 3, 1)])
    assert [w.label for w in weekdays][0] == "Mon"
    assert weekdays[0].mean == 5 and weekdays[6].mean == 3 and weekdays[3].count == 0


def test_dose_lag_bins_onsets_by_hours_since_last_dose() -> None:
    doses = ["2026-11-01T08:00", "2026-11-01T20:00"]
    onsets = [
        ("2026-11-01T09:30", 2.0),  # 1.5 h after 08:00
        ("2026-11-01T18:00", 6.0),  # 10 h after 08:00
        ("2026-11-01T19:59", 8.0),  # 11.98 h after 08:00
        ("2026-11-02T05:00", 4.0),  # 9 h after 20:00 the day before
        ("2026-11-01T07:00", 9.0),  # before any dose
        ("2026-11-03T21:00", 5.0),  # 25 h after the last dose
    ]
    lag = dose_lag(onsets, doses)
    by_label = {b.label: b for b in lag.bins}
    assert by_label["0-2h"].mean == 2
    assert by_label["8-10h"].mean == 4
    assert by_label["10-12h"].mean == 7 and by_label["10-12h"].count == 2
    assert lag.no_recent_dose == 2
    assert lag.count == 4
    peak = lag.peak()
    assert peak is not None and peak.label == "10-12h"
    assert dose_lag([], []).peak() is None


# -- dose changes and before / after -----------------------------------------------------------


def test_dose_changes_ignore_single_missed_doses() -> None:
    daily = days_from("2026-01-01", [10] * 10 + [5] + [10] * 10 + [7.5] * 8 + [2.5] * 3)
    changes = dose_changes(daily)
    assert [(c.date, c.before_mg, c.after_mg) for c in changes] == [("2026-01-22", 10, 7.5)]


def test_change_points_prefer_taper_steps_and_newest_first() -> None:
    steps = [
        TaperStep(None, 1, "2026-01-01", 5, ("08:00", "20:00")),
        TaperStep(None, 1, "2026-03-01", 2.5, ("08:00", "20:00")),
    ]
    detected = [
        DoseChange("2026-03-03", 10, 5, "dose history"),  # the same event as the step
        DoseChange("2026-06-01", 5, 2.5, "dose history"),  # taken without a step
    ]
    points = change_points(steps, detected)
    assert [(p.date, p.source) for p in points] == [
        ("2026-06-01", "dose history"),
        ("2026-03-01", "taper step"),
    ]
    assert points[1].describe() == "1 Mar 2026: 10 → 5 mg a day (taper step)"


def test_before_after_thirty_days_each_side() -> None:
    series = days_from("2026-01-01", [2.0] * 40 + [6.0] * 40)
    result = before_after(series, "2026-02-10")
    assert (result.before, result.before_days) == (2, 30)
    assert (result.after, result.after_days) == (6, 30)
    assert result.change == 4 and result.trend is Trend.UP
    assert window_of("2026-02-10") == ("2026-01-11", "2026-03-11")
    nothing = before_after({}, "2026-02-10")
    assert nothing.change is None and nothing.trend is Trend.UNKNOWN


def test_bucket_mean_of_a_gap_is_none() -> None:
    assert Bucket("2026-01-01").mean is None


@given(st.lists(st.one_of(st.none(), st.just(0.0), st.floats(0.5, 80)), max_size=60))
def test_dose_marks_draw_every_logged_column_once(values: list[float | None]) -> None:
    marks = dose_marks(values)
    logged = [x for x, v in enumerate(values) if v is not None]
    assert sorted(marks.bar_x + marks.zero_x) == logged  # each logged column, exactly once
    assert all(values[x] == 0 for x in marks.zero_x)
    assert [values[x] for x in marks.bar_x] == list(marks.bar_mg)
    assert marks.top == max((v for v in values if v), default=0.0)

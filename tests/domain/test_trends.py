"""Pure trend analysis: rolling mean with gaps, summaries, dose lag, groups, before/after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diazlog.domain import limits
from diazlog.domain.dose_changes import (
    DoseChange,
    Window,
    before_after,
    change_points,
    dose_changes,
    dose_marks,
    window_around,
)
from diazlog.domain.models import TaperStep
from diazlog.domain.numbers import count, mg, not_enough, num, shown_change, signed, span
from diazlog.domain.trend_groups import (
    GroupMean,
    Verdict,
    dose_lag,
    standout,
    tally,
    time_of_day_means,
    weekday_means,
)
from diazlog.domain.trends import (
    Bucket,
    DoseStats,
    Trend,
    bucket_days_for,
    buckets_from_days,
    rolling_mean,
    summarize_days,
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
    series = days_from("2026-11-01", [2] * 7 + [5, 5, 8, 5, 5, 8, 5])
    summary = summarize_days(series, "2026-11-01", "2026-11-14")
    assert summary.mean == pytest.approx((14 + 41) / 14)
    assert (summary.low, summary.worst) == (2, 8)
    assert summary.worst_date == "2026-11-13"  # the latest of the worst days
    assert summary.days_logged == 14
    assert summary.change == pytest.approx(41 / 7 - 2)
    assert summary.trend is Trend.UP
    line = summary.describe()
    assert line == "mean 3.9 · range 2–8 · worst 8 (13 Nov 2026) · 14 days · trend ↑ up +3.9"


def test_summary_flat_down_and_unknown() -> None:
    flat = summarize_days(days_from("2026-11-01", [3] * 7 + [4] * 7), "2026-11-01", "2026-11-14")
    assert flat.trend is Trend.FLAT
    down = summarize_days(days_from("2026-11-01", [6] * 7 + [4] * 7), "2026-11-01", "2026-11-14")
    assert down.trend is Trend.DOWN and down.change == -2
    # 6 days in a half is below limits.MIN_DAYS_TO_COMPARE: no trend, however big the change
    few = summarize_days(
        days_from("2026-11-01", [1] * 6 + [None] * 4 + [9] * 10), "2026-11-01", "2026-11-20"
    )
    assert few.trend is Trend.UNKNOWN and few.change is None
    assert "trend: not enough data yet (6 days in the first half)" in few.describe()


def test_summary_of_nothing_one_day_and_a_few_days() -> None:
    empty = summarize_days({}, "2026-11-01", "2026-11-30")
    assert empty.days_logged == 0 and empty.mean is None
    assert empty.describe() == "not logged in this range"
    one = summarize_days({"2026-11-05": 3}, "2026-11-01", "2026-11-30")
    assert one.describe() == "3 (5 Nov 2026) · 1 day · trend: not enough data yet (1 day)"
    four = summarize_days(days_from("2026-11-01", [2, None, 8, 6, 6]), "2026-11-01", "2026-11-30")
    # no "worst" below limits.MIN_DAYS_TO_COMPARE days: the range says the same honestly
    assert four.describe() == "mean 5.5 · range 2–8 · 4 days · trend: not enough data yet (4 days)"


@pytest.mark.parametrize(
    ("values", "worst"),
    [
        ([5] * 14, False),  # every day the same: no day was the worst
        ([5.02] * 7 + [4.98] * 7, False),  # the same as shown (5.0 and 5.0)
        ([5] * 13 + [6], True),
        ([5] * 5 + [9], False),  # too few days for a superlative
    ],
)
def test_no_worst_day_on_a_tie_or_too_few_days(values: list[float], worst: bool) -> None:
    summary = summarize_days(days_from("2026-11-01", values), "2026-11-01", "2026-11-30")
    assert ("worst" in summary.describe()) is worst, summary.describe()


def test_dose_stats_describe_counts_0_mg_days() -> None:
    stats = DoseStats(days=4, total=22.0, low=0.0, high=12.0, dose_days=3)
    assert stats.describe() == "Diazepam: 5.5 mg a day (range 0–12) · 4 days logged, 3 with a dose"
    one = DoseStats(days=1, total=7.5, low=7.5, high=7.5, dose_days=1)
    assert one.describe() == "Diazepam: 7.5 mg · 1 day logged, 1 with a dose"
    stopped = DoseStats(days=3, total=0.0, low=0.0, high=0.0, dose_days=0)
    assert stopped.describe() == "Diazepam: 0 mg a day (every day 0) · 3 days logged, 0 with a dose"
    assert DoseStats().describe() == "Diazepam: no days logged in this range"


def test_numbers_print_like_a_person_writes_them() -> None:
    assert [num(4.466), num(7.333333), num(4.0), num(5.5), num(0.0), num(-0.04)] == [
        "4.5",
        "7.3",
        "4",
        "5.5",
        "0",
        "0",
    ]
    assert num(4.45) == "4.5" and num(2.25) == "2.3"  # half up, as people round
    assert (mg(2.25), mg(10.0), span(0, 12), span(5, 5)) == ("2.25", "10", "0–12", "5")
    assert (count(1, "onset"), count(2, "onset"), count(0, "day")) == (
        "1 onset",
        "2 onsets",
        "0 days",
    )
    assert (signed(2.44), signed(-0.5), signed(0.01)) == ("+2.4", "-0.5", "0")
    assert not_enough(1) == "not enough data yet (1 day)"


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


def test_dose_lag_from_sql_tallies() -> None:
    lag = dose_lag([(0, 2.0, 1), (4, 12.0, 3), (5, 14.0, 2)], no_recent_dose=2)
    by_label = {b.label: b for b in lag.bins}
    assert by_label["0-2h"].mean == 2
    assert by_label["8-10h"].mean == 4 and by_label["8-10h"].count == 3
    assert by_label["10-12h"].mean == 7
    assert lag.no_recent_dose == 2 and lag.count == 6
    # 6 onsets: no bin holds limits.MIN_ONSETS_PER_BIN against as many in the rest
    assert lag.standout().verdict is Verdict.NOT_ENOUGH
    assert dose_lag([]).standout().verdict is Verdict.NOT_ENOUGH


def group(label: str, values: list[float]) -> GroupMean:
    return GroupMean(label, sum(values), len(values))


def test_standout_needs_n_each_side_and_two_points() -> None:
    n = limits.MIN_ONSETS_PER_BIN
    lone = [group("a", [9.0]), group("b", [3.0] * 30)]  # one high value is never "worst"
    assert standout(lone, n).verdict is Verdict.NOT_ENOUGH
    close = [group("a", [5.0] * n), group("b", [3.5] * n)]
    assert standout(close, n).verdict is Verdict.NO_DIFFERENCE
    clear = [group("a", [7.0] * n), group("b", [4.0] * n), group("c", [1.0] * n)]
    found = standout(clear, n)
    assert found.verdict is Verdict.FOUND and found.group is not None
    assert found.group.label == "a" and found.rest_count == 2 * n
    assert found.rest_mean == pytest.approx(2.5)
    short = [group("a", [6.0] * (n - 1)), group("b", [1.0] * 20)]
    assert standout(short, n).verdict is Verdict.NOT_ENOUGH
    low = standout(clear, n, highest=False)
    assert low.verdict is Verdict.FOUND and low.group is not None and low.group.label == "c"


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
    window = window_around("2026-02-10", ["2026-02-10"])
    assert (window.before_start, window.before_end) == ("2026-01-11", "2026-02-09")
    assert window.after_end == "2026-03-11"
    result = before_after(series, window)
    assert (result.before, result.before_days) == (2, 30)
    assert (result.after, result.after_days) == (6, 30)
    assert result.change == 4 and result.trend is Trend.UP
    nothing = before_after({}, window)
    assert nothing.change is None and nothing.trend is Trend.UNKNOWN


def test_windows_stop_at_the_neighbouring_change_and_today() -> None:
    steps = ["2026-08-01", "2026-08-17", "2026-09-11", "2026-10-06"]
    window = window_around("2026-09-11", steps)
    assert window == Window("2026-08-17", "2026-09-11", "2026-10-05")
    assert (window.before_span, window.after_span) == (25, 25)
    assert window.describe() == "17 Aug–10 Sep (25 days) against 11 Sep–5 Oct (25 days)"
    cut = window_around("2026-10-06", steps, today="2026-10-20")
    assert (cut.before_start, cut.after_end) == ("2026-09-11", "2026-10-20")
    # a change 1 day before: the before window is that single day
    tight = window_around("2026-08-18", [*steps, "2026-08-18"])
    assert (tight.before_start, tight.before_span) == ("2026-08-17", 1)


def test_before_after_needs_seven_days_a_side() -> None:
    window = window_around("2026-02-10", [])
    one_each = before_after({"2026-02-09": 2.0, "2026-02-10": 6.0}, window)
    assert one_each.change == 4  # the means are shown ...
    assert not one_each.comparable and one_each.trend is Trend.UNKNOWN  # ... never "worse"
    n = limits.MIN_DAYS_TO_COMPARE
    enough = days_from("2026-02-10", [6.0] * n) | days_from("2026-02-03", [2.0] * n)
    assert before_after(enough, window).trend is Trend.UP


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


def test_a_change_shown_is_that_of_the_means_shown() -> None:
    """4.34 -> 4.56 shows as 4.3 -> 4.6: +0.3 (not +0.2, the rounded true change)."""
    assert num(4.34) == "4.3" and num(4.56) == "4.6"
    assert signed(shown_change(4.34, 4.56)) == "+0.3"
    assert signed(shown_change(2.0, 1.95)) == "0"  # 2 -> 2


@given(
    st.floats(min_value=0, max_value=10, allow_nan=False),
    st.floats(min_value=0, max_value=10, allow_nan=False),
)
def test_shown_change_adds_up_and_stays_within_rounding(before: float, after: float) -> None:
    change = shown_change(before, after)
    assert signed(change).lstrip("+") == num(float(num(after)) - float(num(before)))
    assert abs(change - (after - before)) <= 0.1 + 1e-9

"""Symptoms before and after each taper step (domain.taper_response): 7 logged days each side,
never across another step or outside the range, named only at 2 points or more."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diazlog.domain.models import TaperStep
from diazlog.domain.taper_response import sentence, taper_response

STEP_DAY = "2026-11-20"
START, END = "2026-10-01", "2026-12-31"
PLAN = (
    TaperStep(1, 1, "2026-10-01", 10.0, ("08:00",)),
    TaperStep(2, 1, STEP_DAY, 7.5, ("08:00",)),
)


def around(before: list[int], after: list[int], step: str = STEP_DAY) -> dict[str, int]:
    """Ratings on the days just before `step` (the last one the day before) and from it."""
    day = date.fromisoformat(step)
    found = {(day - timedelta(days=len(before) - i)).isoformat(): v for i, v in enumerate(before)}
    found.update({(day + timedelta(days=i)).isoformat(): v for i, v in enumerate(after)})
    return found


def leg_pain(ratings: dict[str, int], steps=PLAN, start=START, end=END):
    (response,) = taper_response(steps, [("Leg pain", ratings)], start, end)
    return response, response.symptoms[0]


def test_the_issue_example_word_for_word() -> None:
    response, _ = leg_pain(around([2] * 7, [6] * 7))
    assert sentence(response, "20 Nov") == (
        "After the 10 \u2192 7.5 mg a day step on 20 Nov, leg pain rose from 2.0 to 6.0 "
        "(7 and 7 days)."
    )


# (before, after, verdict): must fire at 2 points with 7 days each side, must not otherwise.
CASES = [
    pytest.param([2] * 7, [4] * 7, "rose", id="exactly 2 points"),
    pytest.param([5] * 7, [3] * 7, "fell", id="a fall of 2"),
    pytest.param([2] * 7, [3, 4, 4, 4, 4, 4, 4], "", id="1.9 points is not a change"),
    pytest.param([2] * 6, [8] * 7, "", id="6 days before is too few"),
    pytest.param([2] * 7, [8] * 6, "", id="6 days after is too few"),
    pytest.param([2] * 12, [8] * 12, "rose", id="only 7 each side are used"),
]


@pytest.mark.parametrize(("before", "after", "verdict"), CASES)
def test_named_only_with_enough_days_and_two_points(before, after, verdict) -> None:
    response, s = leg_pain(around(before, after))
    assert s.verdict == verdict
    assert len(s.before) == min(7, len(before)) and len(s.after) == min(7, len(after))
    assert bool(sentence(response, "20 Nov")) == bool(verdict)


def test_windows_stop_at_the_neighbouring_steps_and_the_range() -> None:
    ratings = around([9] * 10 + [2] * 7, [6] * 7)
    # A step 5 days earlier: only those 5 days are "before" this one.
    steps = (*PLAN, TaperStep(3, 1, "2026-11-15", 8.0, ("08:00",)))
    response = taper_response(steps, [("Leg pain", ratings)], START, END)[-1]
    assert len(response.symptoms[0].before) == 5 and response.before_mg == 8.0
    # A step 3 days later: only 3 days are "after".
    steps = (*PLAN, TaperStep(3, 1, "2026-11-23", 5.0, ("08:00",)))
    response = taper_response(steps, [("Leg pain", ratings)], START, END)[0]
    assert len(response.symptoms[0].after) == 3
    # The range ends 2 days after the step: the report says nothing about days it lacks.
    _, s = leg_pain(ratings, end="2026-11-21")
    assert len(s.after) == 2 and s.verdict == ""
    # Days more than 3 weeks before the step are not "the week before".
    far = {(date(2026, 10, 1) + timedelta(days=i)).isoformat(): 2 for i in range(7)}
    far.update(around([], [8] * 7))
    _, s = leg_pain(far)
    assert s.before == () and s.verdict == ""
    # ... but the 7 logged days within 21 days are, however spread out.
    step = date.fromisoformat(STEP_DAY)
    spread = {(step - timedelta(days=21 - 3 * i)).isoformat(): 2 for i in range(7)}
    spread.update(around([], [8] * 7))
    _, s = leg_pain(spread)
    assert len(s.before) == 7 and s.verdict == "rose"


def test_steps_outside_the_range_are_left_out_and_a_first_step_has_no_before() -> None:
    assert taper_response(PLAN, [("Leg pain", {})], "2026-12-01", END) == ()
    (first, _) = taper_response(PLAN, [("Leg pain", {})], "2026-09-30", END)
    assert first.before_mg is None and first.step_words == "the step to 10 mg a day"


@given(
    st.lists(st.integers(0, 10), min_size=0, max_size=12),
    st.lists(st.integers(0, 10), min_size=0, max_size=12),
)
def test_means_are_the_window_means_and_claims_need_both_sides(before, after) -> None:
    _, s = leg_pain(around(before, after))
    used_before, used_after = before[-7:], after[:7]
    assert s.before == tuple(used_before) and s.after == tuple(used_after)
    if used_before:
        assert s.before_mean == round(sum(used_before) / len(used_before), 1)
    if s.verdict:
        assert len(used_before) == 7 and len(used_after) == 7
        assert s.after_mean is not None and s.before_mean is not None
        assert abs(s.after_mean - s.before_mean) >= 2 - 1e-9


def test_the_report_says_why_it_names_nothing() -> None:
    from diazlog.report.model import VisitReport
    from diazlog.report.page_one import response_sentences

    def report(ratings: dict[str, int]) -> VisitReport:
        found = taper_response(PLAN, [("Leg pain", ratings)], START, END)
        return VisitReport(START, END, "2026-12-31T12:00", 92, 30, "Diazepam", taper_response=found)

    assert response_sentences(report(around([2] * 3, [8] * 3))) == [
        "Too few days were logged around the steps to compare (7 are needed on each side)."
    ]
    assert response_sentences(report(around([2] * 7, [3] * 7))) == [
        "No symptom rose or fell by 2 points or more after a step where 7 days were logged on "
        "each side."
    ]

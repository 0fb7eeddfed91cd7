"""Doses against the plan (domain.adherence): hand-worked days, then properties on any day."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diazlog.domain import limits
from diazlog.domain.adherence import (
    LoggedDose,
    Slot,
    SlotStatus,
    judge_day,
    minutes,
    planned_slots,
    summarize,
)
from diazlog.domain.models import TaperStep
from tests.conftest import diazepam_medication

DAY = "2026-03-10"
TWICE = (Slot("08:00", 5), Slot("20:00", 5))


def statuses(slots: tuple[Slot, ...], *doses: LoggedDose) -> list[str]:
    return [r.status.value for r in judge_day(DAY, slots, doses).slots]


def test_on_time_late_and_missed() -> None:
    assert statuses(TWICE, LoggedDose("08:30", 5), LoggedDose("19:10", 5)) == ["taken", "taken"]
    assert statuses(TWICE, LoggedDose("08:00", 5)) == ["taken", "missed"]
    # Two hours exactly is still on time; a minute more is late.
    edge = f"{(8 * 60 + limits.LATE_AFTER_MINUTES) // 60:02d}:00"
    assert statuses(TWICE, LoggedDose(edge, 5), LoggedDose("20:00", 5)) == ["taken", "taken"]
    assert statuses(TWICE, LoggedDose("10:01", 5), LoggedDose("20:00", 5)) == ["late", "taken"]
    judged = judge_day(DAY, TWICE, [LoggedDose("08:00", 5), LoggedDose("22:30", 5)])
    assert [r.off_by for r in judged.slots] == [0, 150]


def test_extra_and_as_needed_doses_are_apart() -> None:
    judged = judge_day(
        DAY,
        TWICE,
        [
            LoggedDose("08:05", 5),
            LoggedDose("12:00", 5),
            LoggedDose("20:00", 5),
            LoggedDose("15:00", 2, as_needed=True),
        ],
    )
    assert [r.status for r in judged.slots] == [SlotStatus.TAKEN, SlotStatus.TAKEN]
    assert judged.extra == (LoggedDose("12:00", 5),)
    assert judged.as_needed == (LoggedDose("15:00", 2, True),)
    # Both doses in the morning: the nearer one is on time; the other is not the evening dose
    # taken early (more than 2 h before its slot), so it is extra and 20:00 stays missed.
    assert statuses(TWICE, LoggedDose("08:10", 5), LoggedDose("09:00", 5)) == ["taken", "missed"]
    assert judge_day(DAY, TWICE, [LoggedDose("08:10", 5), LoggedDose("09:00", 5)]).extra == (
        LoggedDose("09:00", 5),
    )
    # Up to 2 h early still counts as that slot's dose, on time.
    assert statuses(TWICE, LoggedDose("08:00", 5), LoggedDose("18:30", 5)) == ["taken", "taken"]


def test_planned_slots_follow_the_step_in_force_else_the_usual_dose() -> None:
    steps = [
        TaperStep(None, 1, "2026-03-01", 4, ("20:00", "08:00")),
        TaperStep(None, 1, "2026-03-15", 2),
        TaperStep(None, 1, "2026-03-20", 0),
    ]
    usual = diazepam_medication(started_on="2026-02-01")
    assert planned_slots("2026-02-15", steps, usual) == (Slot("08:00", 5), Slot("20:00", 5))
    assert planned_slots("2026-01-15", steps, usual) == ()  # before it was started
    assert planned_slots("2026-03-10", steps, usual) == (Slot("08:00", 4), Slot("20:00", 4))
    assert planned_slots("2026-03-16", steps, usual) == (Slot(None, 2),)
    assert planned_slots("2026-03-21", steps, usual) == ()  # a 0 mg step: nothing planned
    assert statuses((Slot(None, 2),), LoggedDose("23:50", 2)) == ["taken"]
    assert judge_day(DAY, (), [LoggedDose("08:00", 2)]).extra == (LoggedDose("08:00", 2),)


def test_summary_adds_days_and_gives_percentages_of_planned() -> None:
    days = [
        judge_day("2026-03-10", TWICE, [LoggedDose("08:00", 5), LoggedDose("23:00", 5)]),
        judge_day("2026-03-11", TWICE, [LoggedDose("08:00", 5), LoggedDose("14:00", 2, True)]),
        judge_day("2026-03-12", (), [LoggedDose("09:00", 2)]),
    ]
    total = summarize(days)
    assert (total.days, total.days_with_plan, total.planned) == (3, 2, 4)
    assert (total.taken, total.late, total.missed, total.extra, total.as_needed) == (2, 1, 1, 1, 1)
    assert total.percent(total.taken) == 50.0
    assert (total.planned_mg, total.scheduled_mg, total.as_needed_mg) == (20.0, 17.0, 2.0)
    assert summarize([]).percent(0) is None


times = st.builds(lambda m: f"{m // 60:02d}:{m % 60:02d}", st.integers(0, 24 * 60 - 1))
slot_lists = st.lists(
    st.builds(Slot, st.one_of(st.none(), times), st.sampled_from([2.0, 5.0])), max_size=4
)
dose_lists = st.lists(
    st.builds(LoggedDose, times, st.sampled_from([2.0, 5.0]), st.booleans()), max_size=6
)


@given(slot_lists, dose_lists)
def test_every_slot_and_every_dose_is_accounted_for_once(
    slots: list[Slot], doses: list[LoggedDose]
) -> None:
    judged = judge_day(DAY, slots, doses)
    taken, late, missed = (judged.count(s) for s in SlotStatus)
    scheduled = [d for d in doses if not d.as_needed]
    assert taken + late + missed == len(slots)
    assert taken + late + len(judged.extra) == len(scheduled)
    assert len(judged.as_needed) == len(doses) - len(scheduled)
    matched = [r.dose for r in judged.slots if r.dose is not None]
    assert sorted(matched + list(judged.extra), key=repr) == sorted(scheduled, key=repr)
    for result in judged.slots:
        if result.status is SlotStatus.LATE:
            assert result.off_by is not None and result.off_by > limits.LATE_AFTER_MINUTES
        if result.status is SlotStatus.TAKEN and result.off_by is not None:
            assert abs(result.off_by) <= limits.LATE_AFTER_MINUTES
    # A free slot and a free dose of the same day would have been paired, unless the dose
    # came more than 2 h before the slot (it is not that slot's dose taken early).
    for result in judged.slots:
        if result.status is SlotStatus.MISSED and result.slot.time is not None:
            slot_at = minutes(result.slot.time)
            for dose in judged.extra:
                assert slot_at - minutes(dose.time) > limits.LATE_AFTER_MINUTES
        if result.status is SlotStatus.MISSED and result.slot.time is None:
            assert not judged.extra


@given(st.lists(st.tuples(slot_lists, dose_lists), max_size=5))
def test_summary_is_the_sum_of_its_days(days: list[tuple[list[Slot], list[LoggedDose]]]) -> None:
    judged = [judge_day(DAY, s, d) for s, d in days]
    total = summarize(judged)
    assert total.taken + total.late + total.missed == total.planned == sum(len(s) for s, _ in days)
    logged = sum(1 for _, d in days for dose in d if not dose.as_needed)
    assert total.taken + total.late + total.extra == logged
    assert total.as_needed == sum(1 for _, d in days for dose in d if dose.as_needed)


@pytest.mark.parametrize(
    ("now", "doses", "expected"),
    [
        # 08:30 on the day: 08:00 passed with nothing logged (missed); 20:00 still to come.
        ("2026-03-10T08:30", (), ["missed"]),
        # The evening dose taken early, at 19:30: it counts, it is not left out.
        ("2026-03-10T19:45", (LoggedDose("08:00", 5), LoggedDose("19:30", 5)), ["taken", "taken"]),
        # 21:00: both times have passed.
        ("2026-03-10T21:00", (LoggedDose("08:00", 5),), ["taken", "missed"]),
        # Another day is never cut short.
        ("2026-03-11T07:00", (), ["missed", "missed"]),
    ],
)
def test_todays_doses_still_to_come_are_not_missed(
    now: str, doses: tuple[LoggedDose, ...], expected: list[str]
) -> None:
    from datetime import datetime

    from diazlog.domain.adherence import still_to_come

    day = still_to_come(judge_day(DAY, TWICE, doses), datetime.fromisoformat(now))
    assert [r.status.value for r in day.slots] == expected

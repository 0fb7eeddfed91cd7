"""Today's dose list computed without an app (domain/day_doses.py): status words, lateness,
planned versus missed, the summary, the plan and stock lines."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diazlog.domain.adherence import Slot
from diazlog.domain.day_doses import (
    DoseLine,
    day_plans,
    dose_lines,
    dose_summary,
    due_lines,
    late_text,
    not_yet,
    plan_lines,
    stock_line,
)
from diazlog.domain.diazepam_products import diazepam_mg
from diazlog.domain.models import Dose, Medication, TaperStep

DAY = "2026-03-10"
DIAZEPAM = Medication(1, "Diazepam", is_diazepam=True, usual_amount=5, usual_times=("08:00",))
VALIUM = Medication(3, "Valium", is_diazepam=True)
OTHER = Medication(2, "Ibuprofen", usual_amount=200, usual_times=("12:00",))
PLAIN = Medication(4, "Paracetamol")
MEDS = {1: DIAZEPAM, 2: OTHER, 4: PLAIN}
PLANS = {1: (Slot("08:00", 5.0), Slot("20:00", 5.0))}


def statuses(lines: list[DoseLine]) -> list[tuple[str, int, str]]:
    return [(line.time, line.medication_id, line.status) for line in lines]


@pytest.mark.parametrize(
    ("doses", "clock", "expected"),
    [
        # nothing logged, today at 12:00: the morning dose is missed, the evening one planned
        ((), "12:00", [("08:00", 1, "missed"), ("20:00", 1, "planned")]),
        # an earlier day (no clock): every slot not logged is missed
        ((), None, [("08:00", 1, "missed"), ("20:00", 1, "missed")]),
        # on time, and within the two hours
        ((Dose(1, "09:59", 5),), None, [("09:59", 1, "taken"), ("20:00", 1, "missed")]),
        # more than two hours after: late, by how much
        (
            (Dose(1, "10:30", 5),),
            "21:00",
            [("10:30", 1, "late (+2h30)"), ("20:00", 1, "missed")],
        ),
        # a dose that fits no slot is extra; an as-needed one is counted apart
        (
            (Dose(1, "08:00", 5), Dose(1, "20:00", 5), Dose(1, "14:00", 2)),
            None,
            [("08:00", 1, "taken"), ("14:00", 1, "extra"), ("20:00", 1, "taken")],
        ),
        (
            (Dose(1, "08:00", 5), Dose(1, "15:00", 2, as_needed=True)),
            "16:00",
            [("08:00", 1, "taken"), ("15:00", 1, "as needed"), ("20:00", 1, "planned")],
        ),
        # a medicine without a plan: "logged" or "as needed", never judged
        (
            (Dose(4, "07:00", 1), Dose(4, "13:00", 1, as_needed=True)),
            None,
            [("07:00", 4, "logged"), ("08:00", 1, "missed"), ("13:00", 4, "as needed")]
            + [("20:00", 1, "missed")],
        ),
    ],
)
def test_dose_lines_word_each_status(doses, clock, expected) -> None:
    assert statuses(dose_lines(DAY, doses, PLANS, clock=clock)) == expected


def test_a_logged_line_points_at_its_dose_and_a_planned_one_at_its_slot() -> None:
    doses = (Dose(4, "07:00", 1), Dose(1, "08:10", 5))
    lines = dose_lines(DAY, doses, PLANS, clock="12:00")
    by_time = {line.time: line for line in lines}
    assert by_time["08:10"].dose == 1 and by_time["08:10"].slot is None
    assert by_time["07:00"].dose == 0
    assert by_time["20:00"].dose is None and by_time["20:00"].slot == Slot("20:00", 5.0)


def test_a_slot_without_a_time_is_planned_all_day_today_and_missed_after() -> None:
    plans = {1: (Slot(None, 5.0),)}
    assert statuses(dose_lines(DAY, (), plans, clock="23:59")) == [("", 1, "planned")]
    assert statuses(dose_lines(DAY, (), plans, clock=None)) == [("", 1, "missed")]


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(150, "+2h30"), (-185, "-3h05"), (121, "+2h01"), (600, "+10h00")],
)
def test_late_text(minutes: int, text: str) -> None:
    assert late_text(minutes) == text


@given(st.integers(min_value=-24 * 60, max_value=24 * 60).filter(lambda m: m != 0))
def test_late_text_reads_back_as_the_minutes(minutes: int) -> None:
    text = late_text(minutes)
    sign = 1 if text[0] == "+" else -1
    hours, mins = text[1:].split("h")
    assert sign * (int(hours) * 60 + int(mins)) == minutes


def test_day_plans_take_the_taper_step_for_the_tracked_diazepam_and_usual_times_else() -> None:
    step = TaperStep(9, 1, "2026-03-01", 2.0, times=("09:00", "21:00"))
    plans = day_plans(DAY, MEDS, DIAZEPAM, step)
    assert plans[1] == (Slot("09:00", 2.0), Slot("21:00", 2.0))
    assert plans[2] == (Slot("12:00", 200.0),)
    assert 4 not in plans  # no usual times: nothing planned
    # without a step, the tracked diazepam's usual dose
    assert day_plans(DAY, MEDS, DIAZEPAM, None)[1] == (Slot("08:00", 5.0),)
    # not the tracked one: its usual times like any medicine
    assert day_plans(DAY, MEDS, None, step)[1] == (Slot("08:00", 5.0),)


@pytest.mark.parametrize(
    ("clock", "due"),
    [("12:00", ["08:00"]), ("20:00", ["08:00", "20:00"]), (None, ["08:00", "20:00"])],
)
def test_due_lines_are_the_planned_ones_up_to_now(clock, due) -> None:
    lines = dose_lines(DAY, (Dose(4, "07:00", 1),), PLANS, clock=clock)
    assert [line.time for line in due_lines(lines, clock=clock)] == due
    later = [line for line in lines if not_yet(line, clock=clock)]
    assert all(line.slot is not None and line.time not in due for line in later)


def test_every_diazepam_counts_in_the_mg_and_nothing_else() -> None:
    meds = {**MEDS, 3: VALIUM}
    doses = (Dose(1, "08:00", 5), Dose(3, "12:00", 2.5), Dose(2, "12:00", 200))
    assert diazepam_mg(doses, meds) == 7.5
    assert diazepam_mg((Dose(2, "12:00", 200),), meds) == 0


@pytest.mark.parametrize(
    ("doses", "meds", "clock", "is_today", "summary"),
    [
        ((), MEDS, "07:00", True, "Diazepam today: 0 mg · 2 planned not logged (p logs those due)"),
        (
            (Dose(1, "08:00", 5), Dose(1, "20:00", 5)),
            MEDS,
            None,
            False,
            "Diazepam this day: 10 mg",
        ),
        ((), {4: PLAIN}, None, False, "No doses logged. Press a to add one."),
        ((Dose(4, "08:00", 1),), {4: PLAIN}, None, True, "No diazepam set up yet: press u"),
    ],
)
def test_dose_summary(doses, meds, clock, is_today, summary) -> None:
    plans = PLANS if 1 in meds else {}
    lines = dose_lines(DAY, doses, plans, clock=clock)
    assert dose_summary(doses, lines, meds, is_today=is_today) == summary


def test_no_doses_and_no_plan_asks_for_the_usual_dose() -> None:
    assert dose_summary((), [], MEDS, is_today=True) == (
        "No doses logged. Press u for your usual dose now."
    )


def test_plan_and_stock_lines() -> None:
    step = TaperStep(9, 1, "2026-03-01", 5.0, times=("08:00",))
    assert plan_lines(None, 5, "", is_today=True) == []
    assert plan_lines(None, 5, "Stock: 12 tablets", is_today=True) == ["Stock: 12 tablets"]
    plan, stock = plan_lines(step, 5, "Stock: 12 tablets", is_today=True)
    assert plan.startswith("Plan: ") and "matches" in plan and stock == "Stock: 12 tablets"
    assert "nothing logged yet" in plan_lines(step, 0, "", is_today=True)[0]
    assert "nothing logged" in plan_lines(step, 0, "", is_today=False)[0]
    assert stock_line(None) == "" and stock_line("20 left") == "Stock: 20 left"

"""Taper plans and stock: the pure rules, the store functions, and how they meet."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlite_utils import Database

from diazlog.domain.models import Category, DayLog, Dose, Medication, TaperStep
from diazlog.domain.stock import StockLevel, parse_stock, stock_level
from diazlog.domain.taper import Match, check, describe_check, planned_for, planned_total
from diazlog.domain.validation import InvalidInput
from diazlog.store.queries.days import save_day
from diazlog.store.queries.medications import (
    save_medication,
    stock_counted_at,
    stop_medication,
    taken_since,
    tracked_diazepam,
)
from diazlog.store.queries.stock import level_of, stock_levels
from diazlog.store.queries.taper import (
    delete_step,
    diazepam_plan_for,
    list_steps,
    save_step,
    step_dates,
    update_step,
)
from tests.conftest import diazepam_medication

PLAN = [
    TaperStep(None, 1, "2026-10-01", 5, ("08:00", "20:00")),
    TaperStep(None, 1, "2026-11-01", 2.5, ("08:00", "20:00")),
    TaperStep(None, 1, "2026-12-01", 0),
]


def test_planned_for_picks_the_step_in_force() -> None:
    assert planned_for(PLAN, "2026-09-30") is None
    assert planned_for(PLAN, "2026-10-01") == PLAN[0]
    assert planned_for(PLAN, "2026-10-31") == PLAN[0]
    assert planned_for(PLAN, "2026-11-25") == PLAN[1]
    assert planned_for(list(reversed(PLAN)), "2027-01-01") == PLAN[2]
    assert planned_for([], "2026-11-25") is None


@given(
    st.lists(st.dates(date(2020, 1, 1), date(2030, 1, 1)), min_size=1, max_size=8, unique=True),
    st.dates(date(2019, 1, 1), date(2031, 1, 1)),
)
def test_planned_step_is_the_latest_started(starts: list[date], day: date) -> None:
    steps = [TaperStep(i, 1, d.isoformat(), float(i)) for i, d in enumerate(starts)]
    found = planned_for(steps, day.isoformat())
    started = [s for s in steps if s.from_date <= day.isoformat()]
    if not started:
        assert found is None
    else:
        assert found is not None
        assert found.from_date == max(s.from_date for s in started)


def test_check_says_whether_the_day_follows_the_plan() -> None:
    step = PLAN[1]
    assert planned_total(step) == 5
    assert check(step, 0).match == Match.NOTHING_YET
    assert check(step, 5).match == Match.MATCHES
    assert check(step, 2.5).match == Match.LESS
    assert check(step, 10).match == Match.MORE
    assert check(PLAN[2], 0).match == Match.MATCHES
    assert check(PLAN[2], 2).match == Match.MORE
    text = describe_check(check(step, 2.5))
    assert text == ("Plan: 2 × 2.5 mg (08:00, 20:00) · logged 2.5 mg, 2.5 mg less than planned")
    assert "no diazepam from 2026-12-01" in describe_check(check(PLAN[2], 0))


@pytest.mark.parametrize(
    ("text", "value"),
    [("", None), ("140", 140.0), ("28 x 5", 140.0), ("28×2,5", 70.0), ("0", 0.0)],
)
def test_parse_stock(text: str, value: float | None) -> None:
    assert parse_stock(text) == value


@pytest.mark.parametrize("text", ["lots", "-3", "28 x", "1e9", "nan"])
def test_parse_stock_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_stock(text)


def test_stock_level_runs_out_at_the_planned_rate() -> None:
    med = Medication(1, "Diazepam", usual_amount=5, usual_times=("08:00", "20:00"), stock=100)
    level = stock_level(med, 30, "2026-11-20T09:00", "2026-11-25")
    assert level is not None
    assert level.left == 70 and level.per_day == 10
    assert level.runs_out_on == "2026-12-02"
    assert not level.low
    tapering = stock_level(med, 30, "2026-11-20T09:00", "2026-11-25", PLAN[1])
    assert tapering is not None and tapering.per_day == 5
    assert tapering.runs_out_on == "2026-12-09"
    low = stock_level(med, 45, "2026-11-20T09:00", "2026-11-25")
    assert low is not None and low.low
    assert "55 mg left, enough until Mon 30 Nov" in low.describe()
    assert stock_level(Medication(2, "Ibuprofen"), 0, None, "2026-11-25") is None


def test_a_stopped_medicine_does_not_run_out() -> None:
    """Stopped (today or before): no run-out date, no warning. Stopped later: a run-out
    date only when the stock ends before the stop date (the days it is still taken)."""
    med = Medication(1, "Diazepam", usual_amount=5, usual_times=("08:00", "20:00"), stock=100)

    def level(stopped_on: str, taken: float = 70) -> StockLevel:
        result = stock_level(
            replace(med, stopped_on=stopped_on), taken, "2026-11-20T09:00", "2026-11-25"
        )
        assert result is not None
        return result

    # 30 mg at 10 mg a day: enough until Sat 28 Nov were it still taken (and low).
    for stopped_on in ("2026-11-25", "2026-11-01"):
        stopped = level(stopped_on)
        assert stopped.stopped and stopped.runs_out_on is None and not stopped.low
        assert "enough until" not in stopped.describe()
        assert "30 mg left, stopped from" in stopped.describe()
    none_left = level("2026-11-25", taken=120)
    assert not none_left.low and "none left, stopped from Wed 25 Nov" in none_left.describe()
    # Stopped from Fri 27 Nov: 30 mg covers the 25th-27th, so nothing to warn about.
    lasts = level("2026-11-27")
    assert not lasts.stopped and lasts.runs_out_on is None and not lasts.low
    assert "30 mg left, enough until it stops on Fri 27 Nov" in lasts.describe()
    # Stopped from 10 Dec: it runs out first, so the date and the warning stay.
    short = level("2026-12-10")
    assert short.runs_out_on == "2026-11-28" and short.low
    assert "enough until Sat 28 Nov" in short.describe()
    assert level("2026-12-10", taken=120).low


def test_store_plan_for_tracked_diazepam(db: Database) -> None:
    assert diazepam_plan_for(db, "2026-11-25") is None
    med = save_medication(db, Medication(None, "Diazepam", Category.BENZODIAZEPINE, True))
    assert med.id is not None
    for step in PLAN:
        save_step(db, TaperStep(None, med.id, step.from_date, step.amount, step.times))
    assert step_dates(db) == ["2026-10-01", "2026-11-01", "2026-12-01"]
    now = diazepam_plan_for(db, "2026-11-25")
    assert now is not None and now.amount == 2.5 and now.times == ("08:00", "20:00")
    # Editing a step's date moves it; a step already on that date is replaced.
    update_step(db, TaperStep(now.id, med.id, "2026-10-01", 4, ("09:00",)))
    steps = list_steps(db, med.id)
    assert [(s.from_date, s.amount) for s in steps] == [("2026-10-01", 4), ("2026-12-01", 0)]
    delete_step(db, steps[0].id)  # type: ignore[arg-type]
    assert [s.from_date for s in list_steps(db, med.id)] == ["2026-12-01"]


def test_stock_counts_down_from_the_count(db: Database) -> None:
    med = save_medication(
        db,
        diazepam_medication(stock=140, started_on="2026-11-01"),
        stock_counted_at="2026-11-23T12:00",
    )
    assert med.id is not None
    assert stock_counted_at(db, med.id) == "2026-11-23T12:00"
    for day in ("2026-11-23", "2026-11-24", "2026-11-25"):
        save_day(db, DayLog(day, doses=(Dose(med.id, "08:00", 5), Dose(med.id, "20:00", 5))))
    # 23rd 08:00 was before the count: 5 doses of 5 mg since.
    assert taken_since(db, med.id, "2026-11-23T12:00", "2026-11-25") == 25
    level = level_of(db, med, "2026-11-25")
    assert level is not None and level.left == 115
    assert level.runs_out_on == (date(2026, 11, 25) + timedelta(days=11)).isoformat()
    # Stopped medicines are not in use, so they have no level to warn about.
    stop_medication(db, med.id, "2026-11-24")
    assert stock_levels(db, "2026-11-25") == []
    assert tracked_diazepam(db) is not None


def test_stock_without_a_count_date_is_shown_as_entered(db: Database) -> None:
    med = save_medication(db, Medication(None, "Ibuprofen", usual_amount=400, stock=4000))
    assert med.id is not None
    save_day(db, DayLog("2026-11-25", doses=(Dose(med.id, "12:00", 400),)))
    level = level_of(db, med, "2026-11-25")
    assert level is not None and level.left == 4000
    assert "count date unknown" in level.describe()

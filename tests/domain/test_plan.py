"""A plan with an amount per time: the shared parser, how every reader sums it, the store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlite_utils import Database

from diazlog.domain.adherence import Slot, planned_slots
from diazlog.domain.models import Medication, PlannedDose, TaperStep, planned_doses
from diazlog.domain.plan import (
    STOP,
    MedicineDose,
    PlanInputError,
    Schedule,
    doses_on,
    format_schedule,
    format_words,
    parse_schedule,
    schedule_of,
)
from diazlog.domain.redflags import FlagContext, planned_daily_total
from diazlog.domain.stock import daily_use
from diazlog.domain.taper import check, describe_step, nearest_dose, planned_total
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.taper import list_steps, planned_doses_on, remove_step_on, save_step
from tests.conftest import diazepam_medication

MORNING_AND_NIGHT = Schedule(5.0, ("08:00", "20:00"), (5.0, 2.5))


@pytest.mark.parametrize(
    ("amount", "times", "expected"),
    [
        ("5@08:00, 2.5@20:00", "", MORNING_AND_NIGHT),
        ("2.5@20:00 5@8:00", "", MORNING_AND_NIGHT),  # any order, spaces, H:MM
        ("5 @ 08:00; 2,5@20.00", "", MORNING_AND_NIGHT),  # semicolons, decimal comma, 20.00
        ("5mg@08:00, 2.5mg@20:00", "", MORNING_AND_NIGHT),  # the unit may be typed
        ("5@08:00, 2.5@20:00", "08:00, 20:00", MORNING_AND_NIGHT),  # times that agree
        ("", "5@08:00, 2.5@20:00", MORNING_AND_NIGHT),  # typed into the times field
        ("5", "08:00, 20:00", Schedule(5.0, ("08:00", "20:00"))),  # the old form
        ("5@08:00, 5@20:00", "", Schedule(5.0, ("08:00", "20:00"))),  # same amounts: old form
        ("5", "", Schedule(5.0)),  # one dose, no time
        ("0", "", STOP),
        ("1@06:00, 2@12:00, 3@18:00", "", Schedule(3.0, ("06:00", "12:00", "18:00"), (1, 2, 3))),
    ],
)
def test_parse_schedule_accepts(amount: str, times: str, expected: Schedule) -> None:
    assert parse_schedule(amount, times, diazepam=True, allow_stop=True) == expected


@pytest.mark.parametrize(
    ("amount", "times", "field", "words"),
    [
        ("5, 2.5", "", "amount", "give each its time, e.g. 5@08:00, 2.5@20:00"),
        ("5, 2.5", "08:00, 20:00", "amount", "give each amount its time"),
        ("5@08:00, 2.5", "", "amount", "2.5 has no time: write it as 2.5@HH:MM"),
        ("5@25:00", "", "amount", "'25:00' is not a time of day"),
        ("5@08:60", "", "amount", "not a time of day"),
        ("5@noon", "", "amount", "'noon' is not a time"),
        ("5@08:00, 2.5@8:00", "", "amount", "08:00 is given twice"),
        ("5", "08:00, 8:00", "times", "08:00 is given twice"),
        ("0@08:00, 2.5@20:00", "", "amount", "0 mg at 08:00: leave that time out"),
        ("500@08:00", "", "amount", "500 mg is more than 100 mg"),
        ("5@08:00, -1@20:00", "", "amount", "a dose must be more than 0"),
        ("inf@08:00", "", "amount", "'inf' is not an amount"),
        ("5@", "", "amount", "'5@' is not AMOUNT@HH:MM"),
        ("@08:00", "", "amount", "is not AMOUNT@HH:MM"),
        ("5@08:00, 2.5@20:00", "08:00", "times", "the amount gives the times (08:00, 20:00)"),
        ("5", "25:00", "times", "not a time of day"),
        ("", "08:00", "amount", "type the amount"),
        ("0", "", "amount", "a dose must be more than 0"),  # 0 only where a stop is allowed
    ],
)
def test_parse_schedule_refuses_with_one_line_on_the_right_field(
    amount: str, times: str, field: str, words: str
) -> None:
    with pytest.raises(PlanInputError) as refused:
        parse_schedule(amount, times, diazepam=True, allow_stop=amount != "0")
    assert refused.value.field == field
    assert words in str(refused.value)
    assert "\n" not in str(refused.value)


def test_more_times_than_a_day_holds_are_refused() -> None:
    text = ", ".join(f"1@{h:02d}:00" for h in range(13))
    with pytest.raises(PlanInputError, match="at most 12 times a day"):
        parse_schedule(text, diazepam=True)


def test_a_blank_usual_amount_is_as_needed_only_where_allowed() -> None:
    assert parse_schedule("", "", diazepam=False, allow_blank=True) is None
    with pytest.raises(PlanInputError):
        parse_schedule("", "", diazepam=False)


amounts = st.sampled_from([0.5, 1.0, 1.25, 2.0, 2.5, 5.0, 7.5, 10.0, 12.5, 40.0])
times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
dose_lists = st.dictionaries(times, amounts, min_size=1, max_size=12)


@given(dose_lists)
def test_format_then_parse_gives_back_the_same_doses(by_time: dict[str, float]) -> None:
    schedule = schedule_of(PlannedDose(t, a) for t, a in by_time.items())
    assert [(d.time, d.amount) for d in schedule.doses] == sorted(by_time.items())
    # The form's two fields, and the shell's words, both read back to the same schedule.
    form_times = ", ".join(schedule.times)
    assert parse_schedule(format_schedule(schedule), form_times, diazepam=True) == schedule
    assert parse_schedule(format_words(schedule), "", diazepam=True) == schedule
    assert sum(by_time.values()) == pytest.approx(schedule.total)


@given(st.lists(times, min_size=1, max_size=6, unique=True), amounts)
def test_stored_rows_without_per_time_amounts_keep_their_meaning(
    some_times: list[str], amount: float
) -> None:
    """Every plan saved before schema 3 has amounts '': one amount at each of its times."""
    step = TaperStep(None, 1, "2026-01-01", amount, tuple(sorted(some_times)))
    assert planned_total(step) == pytest.approx(amount * len(some_times))
    assert [d.amount for d in step.doses] == [amount] * len(some_times)


def test_amounts_that_do_not_fit_the_times_fall_back_to_the_one_amount() -> None:
    """A hand-edited or half-imported row never drops or invents a dose."""
    assert planned_doses(5, ("08:00", "20:00"), (5.0,)) == (
        PlannedDose("08:00", 5),
        PlannedDose("20:00", 5),
    )
    assert planned_doses(0, ("08:00",), (5.0,)) == ()  # 0 is a stop, whatever else is there


STEP = TaperStep(None, 1, "2026-12-01", 5, ("08:00", "20:00"), (5.0, 2.5))


def test_every_reader_of_a_step_uses_the_per_time_amounts() -> None:
    assert planned_total(STEP) == 7.5
    assert describe_step(STEP) == "5 mg at 08:00 + 2.5 mg at 20:00"
    assert planned_slots("2026-12-02", [STEP]) == (Slot("08:00", 5), Slot("20:00", 2.5))
    assert check(STEP, 7.5).match == "matches"
    assert check(STEP, 10).match == "more"  # 2 x 5 is not this plan
    med = diazepam_medication(id=1)
    assert daily_use(med, STEP) == 7.5
    context = FlagContext(medications={1: med}, plan=[STEP])
    assert planned_daily_total("2026-12-02", context) == (7.5, "planned")


def test_a_usual_dose_with_per_time_amounts_is_read_the_same_way() -> None:
    med = diazepam_medication(id=1, usual_amount=5, usual_amounts=(5.0, 2.5))
    assert [(d.time, d.amount) for d in med.usual_doses] == [("08:00", 5), ("20:00", 2.5)]
    assert planned_slots("2026-12-02", [], med) == (Slot("08:00", 5), Slot("20:00", 2.5))
    assert daily_use(med) == 7.5
    assert planned_daily_total("2026-12-02", FlagContext(medications={1: med})) == (7.5, "usual")


@pytest.mark.parametrize(
    ("now", "expected"),
    [("07:00", 5), ("13:59", 5), ("14:00", 5), ("14:01", 2.5), ("23:59", 2.5)],
)
def test_nearest_dose_picks_the_planned_time_closest_to_now(now: str, expected: float) -> None:
    nearest = nearest_dose(STEP.doses, now)
    assert nearest is not None and nearest.amount == expected


def test_nearest_dose_of_nothing_and_of_an_untimed_plan() -> None:
    assert nearest_dose((), "08:00") is None
    assert nearest_dose((PlannedDose(None, 2),), "08:00") == PlannedDose(None, 2)


def test_doses_on_a_day_follow_the_step_in_force_else_the_usual_dose() -> None:
    diazepam = diazepam_medication(id=1)
    ibuprofen = Medication(2, "Ibuprofen", usual_amount=400, usual_times=("12:00",))
    as_needed = Medication(3, "Paracetamol", usual_amount=1000)  # no times: when needed
    stopped = Medication(
        4, "Baclofen", usual_amount=10, usual_times=("12:00",), stopped_on="2026-01-01"
    )
    meds = [diazepam, ibuprofen, as_needed, stopped]
    assert doses_on("2026-11-30", meds, [STEP]) == [
        MedicineDose(1, "08:00", 5),
        MedicineDose(2, "12:00", 400),
        MedicineDose(1, "20:00", 5),
    ]
    assert doses_on("2026-12-01", meds, [STEP]) == [
        MedicineDose(1, "08:00", 5),
        MedicineDose(2, "12:00", 400),
        MedicineDose(1, "20:00", 2.5),
    ]
    untimed = diazepam_medication(id=1, usual_times=())  # diazepam: one dose, no time
    assert doses_on("2026-11-30", [untimed], []) == [MedicineDose(1, None, 5)]
    stop = TaperStep(None, 1, "2027-01-01", 0)
    assert doses_on("2027-01-02", meds, [STEP, stop]) == [MedicineDose(2, "12:00", 400)]


# --- the store -------------------------------------------------------------------------


def test_a_step_with_per_time_amounts_is_saved_read_and_removed(db: Database) -> None:
    med = save_medication(db, diazepam_medication())
    assert med.id is not None
    step = TaperStep(None, med.id, "2026-12-01", 5, ("08:00", "20:00"), (5.0, 2.5))
    assert save_step(db, step) is None
    (saved,) = list_steps(db, med.id)
    assert (saved.amount, saved.times, saved.amounts) == (5, ("08:00", "20:00"), (5.0, 2.5))
    assert [(d.time, d.amount) for d in planned_doses_on(db, "2026-12-05")] == [
        ("08:00", 5),
        ("20:00", 2.5),
    ]
    # Before the step: the usual dose, 5 mg at each time.
    assert [d.amount for d in planned_doses_on(db, "2026-11-30", med.id)] == [5, 5]
    # The same date again replaces the step and says what it replaced.
    replaced = save_step(db, TaperStep(None, med.id, "2026-12-01", 2.5, ("20:00",)))
    assert replaced is not None and replaced.amounts == (5.0, 2.5)
    (saved,) = list_steps(db, med.id)
    assert saved.amounts == ()
    assert remove_step_on(db, med.id, "2026-12-01") is not None
    assert remove_step_on(db, med.id, "2026-12-01") is None
    assert list_steps(db, med.id) == []


def test_a_usual_dose_with_per_time_amounts_round_trips(db: Database) -> None:
    med = save_medication(db, diazepam_medication(usual_amounts=(5.0, 2.5)))
    assert med.usual_amounts == (5.0, 2.5)
    assert sum(d.amount for d in med.usual_doses) == 7.5


def test_migrating_a_v2_diary_keeps_every_plan_meaning_the_same(tmp_path: Path) -> None:
    import shutil

    from diazlog.store import open_database
    from diazlog.store.queries.medications import list_medications

    path = tmp_path / "data" / "diazlog.db"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / "schema-v2.db", path)
    conn = sqlite3.connect(path)
    before = conn.execute("SELECT from_date, amount, times FROM taper_steps").fetchall()
    conn.close()
    db = open_database(path)
    steps = list_steps(db)
    assert [(s.from_date, s.amount, ",".join(s.times)) for s in steps] == before
    for step, (_, amount, stored_times) in zip(steps, before, strict=True):
        assert planned_total(step) == amount * max(1, len(stored_times.split(",")))
    usual = next(m for m in list_medications(db) if m.is_diazepam)
    assert [(d.time, d.amount) for d in usual.usual_doses] == [("08:00", 5), ("20:00", 5)]
    db.close()


def test_a_bad_amount_and_bad_times_are_both_named() -> None:
    """The form shows every wrong field at once, not one per ctrl+s."""
    with pytest.raises(PlanInputError) as refused:
        parse_schedule("abc", "25:00", diazepam=False)
    assert set(refused.value.errors) == {"amount", "times"}
    assert "is not an amount" in refused.value.errors["amount"]


@given(st.text(max_size=60), st.text(max_size=30))
def test_any_typed_text_gives_a_schedule_or_one_line_on_a_field(amount: str, times: str) -> None:
    """Whatever is typed: a plan, or a PlanInputError naming the field; never another error."""
    from diazlog.domain.visible_text import control_characters

    try:
        found = parse_schedule(amount, times, diazepam=True, allow_stop=True)
    except PlanInputError as refused:
        assert refused.field in ("amount", "times")
        # Quoted input is shown through visible_text: no control character, no line break.
        assert str(refused) and not control_characters(str(refused))
        assert all(not control_characters(message) for message in refused.errors.values())
        return
    assert found is not None
    assert 0 <= found.total <= 100 * 12
    assert len(found.times) == len(set(found.times)) <= 12
    assert found.amounts == () or len(found.amounts) == len(found.times)


def test_the_report_and_an_import_read_per_time_amounts() -> None:
    from datetime import date

    from diazlog.domain.validation import InvalidInput
    from diazlog.report.model import plan_text
    from diazlog.transfer.rowcheck import checks

    assert plan_text(5, ("08:00", "20:00"), (5.0, 2.5)) == "5 mg at 08:00 + 2.5 mg at 20:00"
    assert plan_text(5, ("08:00", "20:00")) == "2 x 5 mg at 08:00, 20:00"
    check = checks(date(2026, 12, 1))[("taper_steps", "amounts")]
    assert check("5, 2.5") == "5.0,2.5"
    assert check("") == ""
    for bad in ("5,abc", "0,2.5", "-1"):
        with pytest.raises(InvalidInput):
            check(bad)

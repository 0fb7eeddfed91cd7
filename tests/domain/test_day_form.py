"""Today's form read as a day's log without an app (domain/day_form.py)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diazlog.domain import limits
from diazlog.domain.day_form import (
    DayForm,
    content,
    day_heading,
    edit_of_saved,
    form_day,
    is_unsaved,
    normal,
)
from diazlog.domain.models import DayLog, Dose, Rating

DAY = "2026-03-10"


def test_a_full_form_becomes_its_day() -> None:
    detail = Rating(1, 3, onset="morning")
    form = DayForm(
        day=DAY,
        ratings={1: 6, 2: None, 3: 0},
        details={1: detail},
        interference={"walking_interference": 4, "sleep_interference": None},
        lifestyle={"activity_min": "30", "water_glasses": "", "sleep_hours": "7.5"},
        note="slept badly",
        stretched=True,
        flags=frozenset({"fall"}),
        doses=(Dose(1, "08:00", 5),),
    )
    log, errors = form_day(form, strict=True)
    assert errors == {}
    # the details kept, the rating the grid shows; a row not logged is left out, 0 is kept
    assert log.ratings == (Rating(1, 6, onset="morning"), Rating(3, 0))
    assert (log.walking_interference, log.sleep_interference) == (4, None)
    assert (log.activity_min, log.water_glasses, log.sleep_hours) == (30, None, 7.5)
    assert log.alcohol_units is None
    assert (log.note, log.stretched, log.red_flags) == ("slept badly", True, {"fall"})
    assert log.doses == (Dose(1, "08:00", 5),)


@pytest.mark.parametrize(
    ("lifestyle", "field"),
    [
        ({"water_glasses": "lots"}, "water_glasses"),
        ({"sleep_hours": "25"}, "sleep_hours"),
        ({"activity_min": "-5"}, "activity_min"),
        ({"alcohol_units": "1e9"}, "alcohol_units"),
    ],
)
def test_a_field_that_does_not_parse_is_named_and_left_out(lifestyle, field) -> None:
    log, errors = form_day(DayForm(day=DAY, lifestyle=lifestyle), strict=False)
    assert set(errors) == {field} and errors[field]
    assert getattr(log, field) is None


def test_a_note_too_long_is_cut_while_typing_and_refused_on_save() -> None:
    text = "x" * (limits.NOTE_MAX_CHARS + 5)
    typing, errors = form_day(DayForm(day=DAY, note=text), strict=False)
    assert "note" in errors and typing.note == text[: limits.NOTE_MAX_CHARS]
    saving, errors = form_day(DayForm(day=DAY, note=text), strict=True)
    assert "note" in errors and saving.note == ""


def test_unsaved_ignores_ids_order_and_save_time() -> None:
    saved = DayLog(
        date=DAY,
        ratings=(Rating(2, 1), Rating(1, 5)),
        doses=(Dose(1, "20:00", 5, id=8), Dose(1, "08:00", 5, id=7)),
        updated_at="2026-03-10T21:00:00",
    )
    same = DayLog(
        date=DAY,
        ratings=(Rating(1, 5), Rating(2, 1)),
        doses=(Dose(1, "08:00", 5), Dose(1, "20:00", 5)),
    )
    assert not is_unsaved(same, saved)
    assert is_unsaved(DayLog(date=DAY, ratings=(Rating(1, 6), Rating(2, 1))), saved)
    assert not is_unsaved(DayLog(date=DAY), None)
    assert is_unsaved(DayLog(date=DAY, note="x"), None)
    # the note is compared as the form shows it: control characters escaped
    assert not is_unsaved(DayLog(date=DAY, note="a\\x1bb"), DayLog(date=DAY, note="a\x1bb"))
    assert normal(saved).updated_at is None


def test_content_is_the_day_without_its_save_time() -> None:
    a = DayLog(date=DAY, note="n", updated_at="t1")
    assert content(a) == content(DayLog(date=DAY, note="n", updated_at="t2"))
    assert content(a) != content(DayLog(date=DAY, note="m", updated_at="t1"))
    assert content(None) is None


def test_edit_of_saved_keeps_ratings_of_symptoms_without_a_row() -> None:
    saved = DayLog(date=DAY, ratings=(Rating(1, 2), Rating(9, 7)))
    log = DayLog(date=DAY, ratings=(Rating(1, 4),))
    assert edit_of_saved(log, saved, {1}).ratings == (Rating(1, 4), Rating(9, 7))
    assert edit_of_saved(log, saved, {1, 9}).ratings == (Rating(1, 4),)
    assert edit_of_saved(log, None, {1}).ratings == (Rating(1, 4),)


@given(
    st.dictionaries(
        st.integers(1, 50), st.none() | st.integers(limits.RATING_MIN, limits.RATING_MAX)
    )
)
def test_the_draft_holds_every_logged_rating_and_only_those(ratings) -> None:
    log, errors = form_day(DayForm(day=DAY, ratings=ratings), strict=True)
    assert errors == {}
    assert {r.symptom_id: r.intensity for r in log.ratings} == {
        k: v for k, v in ratings.items() if v is not None
    }


TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("day", "dirty", "saved", "elsewhere", "last", "heading"),
    [
        (DAY, True, False, False, None, "Tue 10 Mar 2026 (today) · ● unsaved changes"),
        ("2026-03-09", False, True, False, None, "Mon 09 Mar 2026 (yesterday) · saved"),
        ("2026-03-01", False, False, False, None, "Sun 01 Mar 2026 · not logged yet"),
        (
            "2026-03-01",
            True,
            True,
            True,
            None,
            "Sun 01 Mar 2026 · ● unsaved · changed elsewhere too",
        ),
    ],
)
def test_day_heading(day, dirty, saved, elsewhere, last, heading) -> None:
    got = day_heading(
        day, TODAY, dirty=dirty, saved=saved, changed_elsewhere=elsewhere, last_logged=last
    )
    assert got == heading


def test_an_unlogged_today_says_how_long_nothing_was_logged() -> None:
    got = day_heading(
        DAY, TODAY, dirty=False, saved=False, changed_elsewhere=False, last_logged="2026-03-05"
    )
    assert got.startswith("Tue 10 Mar 2026 (today) · not logged yet · ")
    assert len(got) > len("Tue 10 Mar 2026 (today) · not logged yet · ")
    # once something is typed the gap is not the point any more
    assert (
        "·"
        not in day_heading(
            DAY, TODAY, dirty=True, saved=False, changed_elsewhere=False, last_logged="2026-03-05"
        ).split("● unsaved changes")[1]
    )

"""Parsing what people type: good values accepted, bad ones explained."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diazlog.domain.limits import DAY_FIELDS_BY_NAME
from diazlog.domain.validation import (
    InvalidInput,
    check_note,
    parse_amount,
    parse_date,
    parse_number,
    parse_rating,
    parse_time,
)

MINUTES = DAY_FIELDS_BY_NAME["activity_min"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("8:05", "08:05"), ("0805", "08:05"), ("23:59", "23:59"), ("00:00", "00:00")],
)
def test_times(text: str, expected: str) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:61", "24:00", "12:60", "noon", "", "8"])
def test_bad_times(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_time(text)


def test_numbers() -> None:
    assert parse_number("45", MINUTES) == 45
    assert parse_number("  ", MINUTES) is None
    assert parse_number("7,5", DAY_FIELDS_BY_NAME["sleep_hours"]) == 7.5
    for bad, why in (
        ("abc", "not a number"),
        ("-1", "out of range"),
        ("1441", "out of range"),
        ("2.5", "whole"),
        ("nan", "not a number"),
        ("inf", "not a number"),
    ):
        with pytest.raises(InvalidInput, match=why):
            parse_number(bad, MINUTES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.0000001", None), ("0.001", None), ("-0", 0.0), ("0", 0.0), ("0.01", 0.01), ("1", 1.0)],
)
def test_a_decimal_day_number_is_0_or_at_least_a_hundredth(
    text: str, expected: float | None
) -> None:
    """Alcohol 0.0000001 units was saved, shown as 1e-07 and flagged with diazepam; "-0" was
    shown as -0 (reviewer)."""
    alcohol = DAY_FIELDS_BY_NAME["alcohol_units"]
    if expected is None:
        with pytest.raises(InvalidInput, match="too small"):
            parse_number(text, alcohol)
        return
    value = parse_number(text, alcohol)
    assert value == expected and str(value) != "-0.0"


@pytest.mark.parametrize("text", ["٥", "²", "５", "1e1", "1_0", "inf", "nan", "½"])
def test_only_ascii_digits_are_numbers(text: str) -> None:
    """int() and float() read other scripts' digits ("٥" is 5) and crash on "²": we refuse
    both, everywhere a number is typed."""
    from diazlog.domain.stock import parse_stock

    for parse in (
        parse_rating,
        lambda t: parse_number(t, MINUTES),
        lambda t: parse_amount(t, diazepam=False),
        parse_stock,
        lambda t: parse_time(f"{t}:00"),
    ):
        with pytest.raises(InvalidInput):
            parse(text)


def test_ratings() -> None:
    assert parse_rating("0") == 0 and parse_rating(10) == 10
    for bad in ("11", "-1", "x", "5.5"):
        with pytest.raises(InvalidInput):
            parse_rating(bad)


def test_amounts() -> None:
    assert parse_amount("2,5", diazepam=True) == 2.5
    for bad in ("-5", "0", "5000", "x"):
        with pytest.raises(InvalidInput):
            parse_amount(bad, diazepam=True)
    assert parse_amount("1000", diazepam=False) == 1000


def test_dates_not_in_future() -> None:
    assert parse_date("2026-11-25", date(2026, 11, 25)) == "2026-11-25"
    # Already today at UTC+14 while it is the 25th at UTC-11: not in the future anywhere.
    assert parse_date("2026-11-26", date(2026, 11, 25)) == "2026-11-26"
    with pytest.raises(InvalidInput, match="future"):
        parse_date("2026-11-27", date(2026, 11, 25))
    with pytest.raises(InvalidInput):
        parse_date("25/11/2026", date(2026, 11, 25))


def test_note_limit() -> None:
    assert check_note("ok  ") == "ok"
    with pytest.raises(InvalidInput, match="100,000 characters"):
        check_note("x" * 100_000)


@given(st.text(max_size=30))
def test_number_parser_never_crashes(text: str) -> None:
    try:
        value = parse_number(text, MINUTES)
    except InvalidInput:
        return
    assert value is None or 0 <= value <= 1440


@given(st.text(max_size=10))
def test_time_parser_returns_valid_or_explains(text: str) -> None:
    try:
        value = parse_time(text)
    except InvalidInput:
        return
    hours, minutes = value.split(":")
    assert 0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59


@pytest.mark.parametrize("key", ["²", "٥", "５"])
async def test_only_ascii_digit_keys_rate_in_the_app(make_app, key: str) -> None:  # type: ignore[no-untyped-def]
    """A rating row took "٥" as 5, and "²" crashed the app (int("²")): only 0-9 rate."""
    from textual import events

    from diazlog.widgets.rating_grid import RatingGrid

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        grid = app.screen.query_one("#ratings", RatingGrid)
        grid.focus_row("symptom-1")
        grid.post_message(events.Key(key, key))
        await pilot.pause()
        assert grid.value_of("symptom-1") is None
        assert grid.cursor_key == "symptom-1"
        grid.post_message(events.Key("7", "7"))
        await pilot.pause()
        assert grid.value_of("symptom-1") == 7  # the same way, an ASCII digit does rate

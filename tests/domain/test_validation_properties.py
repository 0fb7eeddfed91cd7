"""Properties of every parser of typed input, called directly (no app per example, so
hypothesis can try hundreds of texts cheaply; tests/safety/test_fuzz_input.py keeps one
app-level run): any text is accepted or refused with InvalidInput, never another error; an
accepted value is in range and reads back as itself; a refusal is one short line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from diazlog.domain import limits
from diazlog.domain.limits import DAY_NUMBER_FIELDS
from diazlog.domain.numbers import num
from diazlog.domain.quick_entry import parse_dose_spec, split_assignment
from diazlog.domain.validation import (
    InvalidInput,
    check_note,
    check_symptom_name,
    parse_amount,
    parse_date,
    parse_day,
    parse_duration,
    parse_number,
    parse_optional_time,
    parse_rating,
    parse_time,
    refuse_control,
    symptom_key,
)

TODAY = date(2026, 11, 25)
# Text a user, a paste or an import can hold: any code point, digits of other scripts,
# control characters, lone surrogates, and the shapes the parsers look for.
TYPED = st.text(max_size=40) | st.from_regex(
    r"\A\s*[-+]?[0-9٥５²]{0,6}([.,:h@=][0-9]{0,4})?\s*\Z", fullmatch=True
)
# Each example is a function call: 60 texts a parser keep the whole file to a few seconds.
FEW = settings(max_examples=60)
MESSAGE_MAX = 200  # a message beside a field: one line that fits a wide terminal

PARSERS: dict[str, Callable[[str], object]] = {
    "time": parse_time,
    "optional time": parse_optional_time,
    "rating": parse_rating,
    "amount": lambda t: parse_amount(t, diazepam=False),
    "diazepam amount": lambda t: parse_amount(t, diazepam=True),
    "duration": parse_duration,
    "date": lambda t: parse_date(t, TODAY),
    "day": lambda t: parse_day(t, TODAY),
    "note": check_note,
    "symptom name": check_symptom_name,
    "symptom key": symptom_key,
    "control": lambda t: refuse_control(t, "The name"),
    "dose spec": parse_dose_spec,
    "assignment": split_assignment,
    **{f"number {f.name}": (lambda t, f=f: parse_number(t, f)) for f in DAY_NUMBER_FIELDS},
}


# These refusals echo the typed text raw: '\r' or '\n' in it breaks the message over two
# lines (and an escape sequence would reach the screen), and the time, date and
# SYMPTOM=RATING messages repeat all of a 5,000-character paste. Found by the property below
# (round 13, tests22); the fix belongs in domain/validation.py and quick_entry.py (echo
# one_line(text[:20])), outside this test slice. strict: once fixed, these fail as XPASS and
# the mark must go.
ECHO_RAW: set[str] = set()  # every parser echoes typed text through visible_text.quoted


def one_line_case(name: str) -> object:
    reason = "the message echoes the typed text raw (see ECHO_RAW)"
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if name in ECHO_RAW else []
    return pytest.param(name, marks=marks)


def outcome(parser: Callable[[str], object], text: str) -> tuple[object, str | None]:
    """(value, None) when accepted, (None, message) when refused; any other error escapes."""
    try:
        return parser(text), None
    except InvalidInput as refused:
        return None, str(refused)


@pytest.mark.parametrize("name", [one_line_case(name) for name in sorted(PARSERS)])
@FEW
@given(text=TYPED)
@example(text="")
@example(text="5\r")
@example(text=":\n")
@example(text="@\x1b[2J")
@example(text="٥")
@example(text="1e3")
@example(text="nan")
@example(text="9" * 5000)
def test_any_text_is_accepted_or_refused_in_one_line(name: str, text: str) -> None:
    _value, message = outcome(PARSERS[name], text)
    if message is not None:
        assert message.strip(), f"{name}: an empty message"
        assert "\n" not in message and "\r" not in message, f"{name}: {message!r}"
        assert len(message) <= MESSAGE_MAX, f"{name}: {len(message)} characters"


@FEW
@given(text=TYPED)
def test_an_accepted_time_is_a_time_of_day_and_reads_back(text: str) -> None:
    value, _ = outcome(parse_time, text)
    if value is not None:
        hours, minutes = str(value).split(":")
        assert 0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59
        assert parse_time(str(value)) == value


@FEW
@given(text=TYPED)
@example(text="10")
@example(text="11")
def test_an_accepted_rating_is_0_to_10_and_reads_back(text: str) -> None:
    value, _ = outcome(parse_rating, text)
    if value is not None:
        assert limits.RATING_MIN <= int(value) <= limits.RATING_MAX  # type: ignore[call-overload]
        assert parse_rating(str(value)) == value


@pytest.mark.parametrize("field", DAY_NUMBER_FIELDS, ids=lambda f: f.name)
@FEW
@given(text=TYPED)
def test_an_accepted_number_is_in_its_fields_range_and_reads_back(field, text: str) -> None:  # type: ignore[no-untyped-def]
    value, _ = outcome(lambda t: parse_number(t, field), text)
    if value is not None:
        assert field.low <= value <= field.high  # type: ignore[operator]
        assert not field.integer or isinstance(value, int)
        assert parse_number(repr(value), field) == value


@pytest.mark.parametrize("diazepam", [True, False])
@FEW
@given(text=TYPED)
@example(text="100")
@example(text="100.01")
def test_an_accepted_amount_is_in_range_and_reads_back(diazepam: bool, text: str) -> None:
    value, _ = outcome(lambda t: parse_amount(t, diazepam=diazepam), text)
    if value is not None:
        high = limits.MAX_DIAZEPAM_DOSE_MG if diazepam else limits.MAX_DOSE_AMOUNT
        assert limits.MIN_DOSE_AMOUNT <= float(value) <= high  # type: ignore[arg-type]
        assert parse_amount(repr(value), diazepam=diazepam) == value


@FEW
@given(
    value=st.floats(limits.MIN_DOSE_AMOUNT, limits.MAX_DIAZEPAM_DOSE_MG).map(lambda x: round(x, 2))
)
def test_an_amount_as_the_app_shows_it_reads_back_as_shown(value: float) -> None:
    """What num() shows (2 places) typed back in is the number shown, comma or point."""
    shown = num(value, 2)
    assert parse_amount(shown, diazepam=True) == float(shown)
    assert parse_amount(shown.replace(".", ","), diazepam=True) == float(shown)


@FEW
@given(text=TYPED, days_ago=st.integers(0, 3000))
def test_an_accepted_day_is_not_in_the_future_and_reads_back(text: str, days_ago: int) -> None:
    for typed in (text, f"-{days_ago}"):
        value, _ = outcome(lambda t: parse_day(t, TODAY), typed)
        if value is not None:
            assert limits.EARLIEST_DATE <= str(value) <= "2026-11-26"
            assert parse_date(str(value), TODAY) == value


@FEW
@given(text=TYPED)
def test_an_accepted_symptom_name_is_one_clean_line_and_stays_as_it_is(text: str) -> None:
    value, _ = outcome(check_symptom_name, text)
    if value is not None:
        name = str(value)
        assert name == name.strip() and "\n" not in name and "\t" not in name
        assert 0 < len(name) <= limits.SYMPTOM_NAME_MAX_CHARS
        assert check_symptom_name(name) == name

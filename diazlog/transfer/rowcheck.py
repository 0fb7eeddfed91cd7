"""Check one imported value with the same parsers the Today screen and `log` use.

Types come from the schema (INTEGER, REAL, TEXT, NOT NULL); meaning comes from CHECKS, keyed
by (table, column). A column without an entry still gets its type checked, so a table added in
a later schema version imports without changes here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from diazlog.domain import limits
from diazlog.domain.models import Category, FlagKind, Legs
from diazlog.domain.validation import (
    MAX_DIGITS,
    InvalidInput,
    check_encodable,
    check_note,
    check_symptom_name,
    check_text,
    decimal,
    parse_amount,
    parse_date,
    parse_duration,
    parse_number,
    parse_optional_time,
    parse_rating,
    parse_time,
    refuse_control,
    symptom_key,
)
from diazlog.store.file.schema import STAMPED_TABLES
from diazlog.transfer.tables import Column

Check = Callable[[Any], Any]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"expected text, found {json_type(value)}")
    return check_encodable(value, "The text")


def json_type(value: Any) -> str:
    return type(value).__name__.replace("NoneType", "null").replace("str", "text")


def _iso_date(value: Any) -> str:
    try:
        return date.fromisoformat(_text(value).strip()).isoformat()
    except ValueError:
        raise InvalidInput(f"'{str(value)[:30]}' is not a date: use YYYY-MM-DD") from None


def _iso_datetime(value: Any) -> str:
    text = _text(value).strip()
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"'{text[:30]}' is not a date and time: use YYYY-MM-DDTHH:MM") from None
    return text


def _diary_date(today: date) -> Check:
    return lambda value: parse_date(_text(value), today)


def _taken_at(today: date) -> Check:
    def check(value: Any) -> str:
        text = _text(value).strip()
        day, _, clock = text.partition("T")
        if not clock:
            raise InvalidInput(f"'{text[:30]}' is not a date and time: use YYYY-MM-DDTHH:MM")
        return f"{parse_date(day, today)}T{parse_time(clock)}"

    return check


_OFFSET = re.compile(r"[+-](?:0[0-9]|1[0-4]):[0-5][0-9]")


def _utc_offset(value: Any) -> str:
    """A dose's UTC offset as stored, "+01:00" (the clock-change night's two 01:30s)."""
    text = _text(value).strip()
    if not _OFFSET.fullmatch(text):
        raise InvalidInput(f"'{text[:20]}' is not a UTC offset: use +HH:MM, e.g. +01:00")
    return text


def _flag(value: Any) -> int:
    text = str(value).strip().lower()
    if text in ("1", "true", "yes"):
        return 1
    if text in ("0", "false", "no"):
        return 0
    raise InvalidInput(f"'{str(value)[:20]}' is not yes/no: use 1 or 0")


def _one_of(options: list[str]) -> Check:
    def check(value: Any) -> str:
        text = _text(value).strip()
        if text not in options:
            raise InvalidInput(f"'{text[:30]}' is not one of {', '.join(options)}")
        return text

    return check


def _times(value: Any) -> str:
    return ",".join(parse_time(t) for t in _text(value).split(",") if t.strip())


def _amounts(value: Any) -> str:
    """Per-time amounts ("5.0,2.5"), each a dose; '' means one amount at every time."""
    return ",".join(
        repr(parse_amount(a, diazepam=False)) for a in _text(value).split(",") if a.strip()
    )


def _day_number(name: str) -> Check:
    return lambda value: parse_number(str(value), limits.DAY_FIELDS_BY_NAME[name])


def _at_least_zero(value: Any) -> float:
    number = _real(value)
    if number < 0:
        raise InvalidInput("must be 0 or more")
    return number


def _short(label: str) -> Check:
    return lambda value: check_text(_text(value), label)


def _name(label: str, max_chars: int) -> Check:
    """A name or a unit: plain text, no control characters (refused as `log` refuses them)."""
    required = _required_text(label, max_chars)
    return lambda value: required(refuse_control(_text(value), label))


def _required_text(label: str, max_chars: int) -> Check:
    def check(value: Any) -> str:
        text = check_text(_text(value), label, max_chars)
        if not text.strip():
            raise InvalidInput(f"{label} is empty")
        return text

    return check


def _symptom_key(value: Any) -> str:
    key = _text(value).strip()
    if symptom_key(key) != key:
        raise InvalidInput(f"'{key[:30]}' is not a symptom key (lower case letters, digits, _)")
    return key


def _note(value: Any) -> str:
    return check_note(_text(value))


def checks(today: date) -> dict[tuple[str, str], Check]:
    """What each column means; `today` bounds diary dates (a diary records what happened)."""
    diary_date = _diary_date(today)
    found: dict[tuple[str, str], Check] = {
        ("symptoms", "key"): _symptom_key,
        ("symptoms", "name"): lambda v: check_symptom_name(_text(v)),
        ("symptoms", "description"): _short("The description"),
        ("symptoms", "active"): _flag,
        ("days", "date"): diary_date,
        ("days", "stretched"): _flag,
        ("days", "note"): _note,
        ("days", "updated_at"): _iso_datetime,
        ("ratings", "date"): diary_date,
        ("ratings", "intensity"): parse_rating,
        ("ratings", "onset"): lambda v: parse_optional_time(_text(v)),
        ("ratings", "duration_min"): lambda v: parse_duration(str(v)),
        ("ratings", "legs"): _one_of([leg.value for leg in Legs]),
        ("ratings", "worse_with"): _short("'Worse with'"),
        ("ratings", "note"): _note,
        ("medications", "name"): _name("The name", 60),
        ("medications", "category"): _one_of([c.value for c in Category]),
        ("medications", "is_diazepam"): _flag,
        ("medications", "unit"): _name("The unit", 20),
        ("medications", "usual_amount"): lambda v: parse_amount(v, diazepam=False),
        ("medications", "usual_times"): _times,
        ("medications", "usual_amounts"): _amounts,
        ("medications", "stock"): _at_least_zero,
        ("medications", "started_on"): _iso_date,
        ("medications", "stopped_on"): _iso_date,
        ("taper_steps", "from_date"): _iso_date,
        ("taper_steps", "amount"): _at_least_zero,
        ("taper_steps", "times"): _times,
        ("taper_steps", "amounts"): _amounts,
        ("doses", "taken_at"): _taken_at(today),
        ("doses", "amount"): lambda v: parse_amount(v, diazepam=False),
        ("doses", "as_needed"): _flag,
        ("doses", "note"): _short("The note"),
        ("doses", "utc_offset"): _utc_offset,
        ("red_flags", "date"): diary_date,
        ("red_flags", "kind"): _one_of([k.value for k in FlagKind]),
        ("red_flags", "note"): _short("The note"),
        ("appointments", "date"): _iso_date,
        ("appointments", "with_whom"): _short("'With whom'"),
        ("appointments", "note"): _note,
        ("appointments", "closed_at"): _iso_datetime,
        ("questions", "text"): _required_text("The question", limits.NOTE_MAX_CHARS),
        ("questions", "origin"): _one_of(["builtin", "generated", "mine"]),
        ("questions", "created_at"): _iso_datetime,
        ("questions", "asked_on"): _iso_date,
        ("questions", "answer"): _note,
        ("questions", "hidden"): _flag,
        ("questions", "archived"): _flag,
        ("settings", "key"): _required_text("The key", 100),
    }
    for name in limits.DAY_FIELDS_BY_NAME:
        found["days", name] = _day_number(name)
    for table in STAMPED_TABLES:
        found[table, "updated_at"] = _iso_datetime
    return found


SQLITE_INT_MIN, SQLITE_INT_MAX = -(2**63), 2**63 - 1
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        number = int(value)
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = str(value).strip()
        if not _WHOLE_NUMBER.fullmatch(text):  # int() would take "٥" and "1_0" too
            raise InvalidInput(f"'{text[:20]}' is not a whole number")
        if len(text) > MAX_DIGITS:  # int() refuses 4,300 digits with a ValueError of its own
            raise InvalidInput(f"{text[:25]}… is too large a number")
        number = int(text)
    if not SQLITE_INT_MIN <= number <= SQLITE_INT_MAX:
        raise InvalidInput(f"{str(number)[:25]} is too large a number")
    return number


def _real(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidInput(f"expected a number, found {json_type(value)}")
    number = float(value) if isinstance(value, int | float) else decimal(value)
    if number is None:
        raise InvalidInput(f"'{str(value)[:20]}' is not a number")
    if not math.isfinite(number):
        raise InvalidInput("not a finite number")
    return number


_BY_TYPE: dict[str, Check] = {"INTEGER": _integer, "REAL": _real, "TEXT": _text}


def check_value(column: Column, raw: Any, meaning: Check | None) -> Any:
    """The stored form of `raw`, None for "nothing", or InvalidInput saying why not."""
    if raw is None or (isinstance(raw, str) and raw == "" and column.type != "TEXT"):
        if column.not_null and not column.has_default:
            raise InvalidInput("is required")
        return None
    if isinstance(raw, str) and raw == "" and column.not_null:
        return "" if meaning is None else meaning("")
    if isinstance(raw, str) and raw == "":
        return None
    if meaning is not None:
        value = meaning(raw)
        if value is None and column.not_null:
            raise InvalidInput("is required")
        return value
    return _BY_TYPE[column.type](raw)

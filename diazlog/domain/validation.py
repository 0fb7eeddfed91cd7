"""Parse what a person typed into typed values, or a message that says what is wrong.

Shared by the Today screen, the `log` command and import, so all three accept the same things.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from diazlog.domain import limits
from diazlog.domain.limits import NumberField
from diazlog.domain.visible_text import control_characters, quoted


class InvalidInput(ValueError):
    """A value the user must correct; str(exc) is the message to show beside the field."""


_TIME = re.compile(r"^\s*([0-9]{1,2})[:.h]?([0-9]{2})\s*$")
# A plain decimal in ASCII digits, comma or point. Python's int() and float() also take other
# scripts' digits ("٥" is 5), "1e3", "1_000", "inf" and "nan": none of them is a number here.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_WHOLE = re.compile(r"[0-9]+")
# Longer numbers are never a value of ours, and int() refuses over 4,300 digits with a
# ValueError that names a Python setting: refuse them first, in our words.
MAX_DIGITS = 30
# Lone surrogates (a JSON "\ud800", or invalid UTF-8 in an argument) cannot be stored as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def decimal(text: str) -> float | None:
    """The number `text` says in ASCII digits ("7,5" is 7.5), or None when it is not one."""
    stripped = text.strip().replace(",", ".")
    return float(stripped) if _DECIMAL.fullmatch(stripped) else None


def parse_time(text: str) -> str:
    """Accept 8:05, 08:05, 0805 or 8.05 and return "08:05"."""
    match = _TIME.match(text or "")
    if not match:
        raise InvalidInput(f"{quoted(text)} is not a time: use HH:MM, e.g. 08:00")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        raise InvalidInput(f"{quoted(text)} is not a time of day: hours 00-23, minutes 00-59")
    return f"{hours:02d}:{minutes:02d}"


def parse_optional_time(text: str) -> str | None:
    return None if not (text or "").strip() else parse_time(text)


def parse_number(text: str, field: NumberField) -> float | int | None:
    """Blank means "not logged" (None); anything else must be a number in the field's range."""
    stripped = (text or "").strip().replace(",", ".")
    if not stripped:
        return None
    value = decimal(stripped)
    if value is None or not math.isfinite(value):
        raise InvalidInput(f"{quoted(text)} is not a number ({field.hint})")
    if field.integer and value != int(value):
        raise InvalidInput(f"whole numbers only ({field.hint})")
    if not field.low <= value <= field.high:
        raise InvalidInput(f"{quoted(stripped)} is out of range ({field.hint})")
    if 0 < abs(value) < limits.MIN_DOSE_AMOUNT:  # 1e-07 units of alcohol is a typo, not a drink
        raise InvalidInput(
            f"{stripped} is too small to log: 0, or at least {limits.MIN_DOSE_AMOUNT:g} "
            f"({field.hint})"
        )
    return int(value) if field.integer else value + 0.0  # + 0.0: "-0" is 0


def parse_rating(text: str | int) -> int:
    if isinstance(text, int) and not isinstance(text, bool):  # a JSON number: never str() it
        value = str(text) if abs(text) < 10**MAX_DIGITS else "a very long number"
    else:
        value = str(text).strip()
    if not _WHOLE.fullmatch(value) or len(value) > MAX_DIGITS:
        raise InvalidInput(f"{quoted(value)} is not a rating: use a whole number from 0 to 10")
    if not limits.RATING_MIN <= int(value) <= limits.RATING_MAX:
        raise InvalidInput(f"{quoted(value)} is not a rating: use a whole number from 0 to 10")
    return int(value)


def parse_amount(text: str | float, *, diazepam: bool, unit: str = "mg") -> float:
    exact = isinstance(text, float | int) and not isinstance(text, bool)  # a JSON number
    value = float(text) if exact else decimal(str(text))
    if value is None:
        raise InvalidInput(f"{quoted(str(text))} is not an amount: type a number, e.g. 5")
    high = limits.MAX_DIAZEPAM_DOSE_MG if diazepam else limits.MAX_DOSE_AMOUNT
    if not math.isfinite(value) or value <= 0:
        raise InvalidInput("a dose must be more than 0")
    if value < limits.MIN_DOSE_AMOUNT:
        raise InvalidInput(
            f"{value:g} {unit} is less than {limits.MIN_DOSE_AMOUNT:g} {unit}: check the amount"
        )
    if value > high:
        raise InvalidInput(f"{value:g} {unit} is more than {high:g} {unit}: check the amount")
    return value


def parse_duration(text: str) -> int | None:
    return parse_number(text, NumberField("duration_min", "Duration", 0, 1440, unit="min"))  # type: ignore[return-value]


def check_text(text: str, label: str, max_chars: int = limits.SHORT_TEXT_MAX_CHARS) -> str:
    """Return the text stripped of trailing space, or refuse it when too long."""
    value = (text or "").rstrip()
    check_encodable(value, label)
    if len(value) > max_chars:
        raise InvalidInput(f"{label} is {len(value):,} characters; keep it under {max_chars:,}")
    return value


def check_encodable(text: str, label: str) -> str:
    """Refuse a lone surrogate: SQLite stores UTF-8, which cannot hold one (a traceback)."""
    if _SURROGATE.search(text):
        raise InvalidInput(f"{label} holds a character that is not valid text (a lone surrogate)")
    return text


def check_note(text: str) -> str:
    return check_text(text, "The note", limits.NOTE_MAX_CHARS)


def latest_day(today: date) -> date:
    """The latest date somewhere on Earth while it is `today` here (zones span 26 hours)."""
    return today + timedelta(days=1)


def parse_date(text: str, today: date) -> str:
    """An ISO date that is not in the future (a diary records what happened).

    In the future means after today in every time zone: later than `today` + 1. A day
    logged at UTC+14 is still "tomorrow" at UTC-11, and the diary's own export must import
    back wherever it is read.
    """
    try:
        value = date.fromisoformat((text or "").strip())
    except ValueError:
        raise InvalidInput(f"{quoted(text)} is not a date: use YYYY-MM-DD") from None
    if value > latest_day(today):
        raise InvalidInput(f"{value.isoformat()} is in the future; a diary records what happened")
    if value.isoformat() < limits.EARLIEST_DATE:
        raise InvalidInput(f"{value.isoformat()} is too far in the past")
    return value.isoformat()


_DAYS_AGO = re.compile(r"-([0-9]{1,5})")


def parse_day(text: str, today: date) -> str:
    """A day as the shell gives it: `today`, `yesterday`, `-3` (days ago) or an ISO date.

    Checked like parse_date (not in the future, not before EARLIEST_DATE).
    """
    word = (text or "").strip().lower()
    if word == "today":
        return today.isoformat()
    if word == "yesterday":
        return (today - timedelta(days=1)).isoformat()
    ago = _DAYS_AGO.fullmatch(word)
    if ago:
        try:
            word = (today - timedelta(days=int(ago.group(1)))).isoformat()
        except OverflowError:
            raise InvalidInput(f"{quoted(text)} days ago is too far in the past") from None
    try:
        return parse_date(word, today)
    except InvalidInput:
        if ago or word[:1].isdigit():
            raise
        raise InvalidInput(
            f"{quoted(text)} is not a date: use today, yesterday, -3 (days ago) or YYYY-MM-DD"
        ) from None


def refuse_control(text: str, label: str) -> str:
    """Refuse a name holding control characters other than newline and tab (an escape
    sequence, NUL, a bidi override): a name is shown on one line everywhere, and a note is
    where free text goes (kept as typed, shown escaped)."""
    found = control_characters(text or "", allowed="\n\t")
    if found:
        listed = ", ".join(found[:3]) + (" …" if len(found) > 3 else "")
        raise InvalidInput(f"{label} holds a control character ({listed}); type plain text")
    return text


def check_symptom_name(text: str) -> str:
    refuse_control(text, "The name")
    name = " ".join((text or "").split())
    if not name:
        raise InvalidInput("type a name for the symptom")
    if len(name) > limits.SYMPTOM_NAME_MAX_CHARS:
        raise InvalidInput(f"keep the name under {limits.SYMPTOM_NAME_MAX_CHARS} characters")
    return name


def symptom_key(name: str) -> str:
    """ "Leg pain" -> "leg_pain": the key used on the command line and in exports."""
    key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not key:
        raise InvalidInput("the name needs at least one letter or digit")
    return key

"""What the user types on the Doctor screen, checked: a question of their own, a visit date,
and how far away that date is.

Kept apart from questions.py (the rules that turn the diary into questions) because this is
input validation: it raises `InvalidInput` with the one line the form shows.
"""

from __future__ import annotations

from datetime import date

from diazlog.domain import limits
from diazlog.domain.validation import InvalidInput
from diazlog.domain.visible_text import quoted


def check_question(text: str) -> str:
    """A question of the user's own: one line, not empty, not a novel."""
    value = " ".join((text or "").split())
    if not value:
        raise InvalidInput("type the question")
    if len(value) > limits.SHORT_TEXT_MAX_CHARS * 2:
        raise InvalidInput(f"keep the question under {limits.SHORT_TEXT_MAX_CHARS * 2} characters")
    return value


def parse_visit_date(text: str, today: date) -> str:
    """An appointment date: ISO, may be in the future (unlike a diary day), not absurdly far."""
    try:
        value = date.fromisoformat((text or "").strip())
    except ValueError:
        raise InvalidInput(f"{quoted(text)} is not a date: use YYYY-MM-DD") from None
    if abs((value - today).days) > 366 * 2:
        raise InvalidInput(f"{value.isoformat()} is more than two years away")
    return value.isoformat()


def days_until(day: str, today: date) -> str:
    """ "in 8 days", "tomorrow", "today", "3 days ago": for the appointment line."""
    delta = (date.fromisoformat(day) - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {delta} days" if delta > 0 else f"{-delta} days ago"

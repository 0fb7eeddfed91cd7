"""Whether a day counts as logged, for `status` and anything else that asks "done today?".

A day is logged when the user recorded how it went: a rating, one of the day's numbers
(walking, sleep, activity, stretching, water, sleep hours, alcohol), a red flag or a note.
Doses alone do not count: `diazlog take` records them from a reminder or cron without
anyone having looked at the day, and a day with only a dose still asks to be logged.

A day *has symptoms* when a symptom is rated or the legs' interference with walking or sleep
is (`has_symptoms`): the stop rule counts such days, and "nothing logged since" looks for the
last day with symptoms or a dose. One definition, here, for all of them.
"""

from __future__ import annotations

from diazlog.domain.models import DAY_COLUMNS, DayLog

# The day's own fields that rate symptoms (how much the legs got in the way), like a rating.
SYMPTOM_FIELDS: tuple[str, ...] = ("walking_interference", "sleep_interference")


def has_symptoms(day: DayLog | None) -> bool:
    """True when `day` rates a symptom or an interference (see the module's docstring)."""
    if day is None:
        return False
    return bool(day.ratings) or any(getattr(day, name) is not None for name in SYMPTOM_FIELDS)


def day_logged(day: DayLog | None) -> bool:
    """True when `day` holds more than doses (see the module's docstring)."""
    if day is None:
        return False
    return bool(
        day.ratings
        or day.red_flags
        or day.note.strip()
        or any(getattr(day, name) is not None for name in DAY_COLUMNS)
    )


def only_doses(day: DayLog | None) -> bool:
    """True when `day` has doses and nothing else (so status can say why it is not logged)."""
    return day is not None and bool(day.doses) and not day_logged(day)

"""Unsaved edits of a day, kept so that a crash or a killed terminal loses nothing.

One `settings` row per day (key `draft:YYYY-MM-DD`, the form as JSON), written now and then
while the user types and deleted when the day is saved or the edits are thrown away. Only
written once the form has changed, by which time the app has imported sqlite-utils in a worker
(`DiazlogApp.prepare_for_writes`), so a draft never waits for that import.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from diazlog.domain.models import DayLog, Dose, Rating
from diazlog.store.settings import delete_setting, get_setting, set_setting

if TYPE_CHECKING:
    from sqlite_utils import Database

PREFIX = "draft:"


def _key(day: str) -> str:
    return f"{PREFIX}{day}"


def save_draft(db: Database, log: DayLog, written_at: str) -> None:
    """Keep the form's `log` (unsaved) for its day; `written_at` is shown when offered back."""
    import json  # here, not at the top: Today reads drafts at start-up, and mostly finds none

    data: dict[str, Any] = asdict(log)
    data["red_flags"] = sorted(log.red_flags)
    data["written_at"] = written_at
    set_setting(db, _key(log.date), json.dumps(data, ensure_ascii=False))


def load_draft(db: Database, day: str) -> tuple[DayLog, str] | None:
    """The kept draft of `day` and when it was written, or None (also for a damaged one)."""
    text = get_setting(db, _key(day))
    if text is None:
        return None
    import json

    try:
        data = json.loads(text)
        written_at = str(data.pop("written_at", ""))
        log = DayLog(
            **{
                **data,
                "ratings": tuple(Rating(**r) for r in data.get("ratings", ())),
                "doses": tuple(Dose(**d) for d in data.get("doses", ())),
                "red_flags": frozenset(data.get("red_flags", ())),
            }
        )
    except (ValueError, TypeError):
        return None
    return (log, written_at) if log.date == day else None


def clear_draft(db: Database, day: str) -> None:
    delete_setting(db, _key(day))

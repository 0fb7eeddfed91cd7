"""Unsaved edits of a day, kept so that a crash or a killed terminal loses nothing.

One `settings` row per day (key `draft:YYYY-MM-DD`, the form as JSON), written now and then
while the user types and deleted when the day is saved or the edits are thrown away. Only
written once the form has changed, by which time the app has imported sqlite-utils in a worker
(`DiazlogApp.prepare_for_writes`), so a draft never waits for that import.

A draft also keeps its *base*: the saved day the edits started from. Another program (a
`diazlog log` in a shell, an import) may save the day before the draft is restored; with the
base, restoring is a three-way merge (domain/day_merge.py) that keeps what the other program
saved where the draft did not change it, instead of the draft overwriting it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from diazlog.domain.models import DayLog, Dose, Rating
from diazlog.store.queries.settings import delete_setting, get_setting, set_setting

if TYPE_CHECKING:
    from sqlite_utils import Database

PREFIX = "draft:"


@dataclass(frozen=True)
class Draft:
    """A kept form: `log` as edited, when it was written, and the saved day it started from.

    `base` is None when nothing was saved for the day then. `base_known` is False for a draft
    kept by an older diazlog, which stored no base: restoring then treats every stored field
    the draft differs on as changed on both sides (asked, never overwritten silently).
    """

    log: DayLog
    written_at: str
    base: DayLog | None = None
    base_known: bool = True


def _key(day: str) -> str:
    return f"{PREFIX}{day}"


def _to_json(log: DayLog) -> dict[str, Any]:
    data: dict[str, Any] = asdict(log)
    data["red_flags"] = sorted(log.red_flags)
    return data


def _from_json(data: dict[str, Any]) -> DayLog:
    return DayLog(
        **{
            **data,
            "ratings": tuple(Rating(**r) for r in data.get("ratings", ())),
            "doses": tuple(Dose(**d) for d in data.get("doses", ())),
            "red_flags": frozenset(data.get("red_flags", ())),
        }
    )


def save_draft(db: Database, log: DayLog, written_at: str, base: DayLog | None) -> None:
    """Keep the form's `log` (unsaved) for its day, with the saved day `base` it was edited
    from (None: nothing was saved); `written_at` is shown when offered back."""
    import json  # here, not at the top: Today reads drafts at start-up, and mostly finds none

    data = _to_json(log)
    data["written_at"] = written_at
    data["base"] = None if base is None else _to_json(base)
    set_setting(db, _key(log.date), json.dumps(data, ensure_ascii=False))


def load_draft(db: Database, day: str) -> Draft | None:
    """The kept draft of `day`, or None (also for a damaged one)."""
    text = get_setting(db, _key(day))
    if text is None:
        return None
    import json

    try:
        data = json.loads(text)
        written_at = str(data.pop("written_at", ""))
        base_known = "base" in data
        base_data = data.pop("base", None)
        log = _from_json(data)
        base = None if base_data is None else _from_json(base_data)
    except (ValueError, TypeError, AttributeError):
        return None
    if log.date != day or (base is not None and base.date != day):
        return None
    return Draft(log, written_at, base, base_known)


def clear_draft(db: Database, day: str) -> None:
    delete_setting(db, _key(day))

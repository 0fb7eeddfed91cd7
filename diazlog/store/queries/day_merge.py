"""Save a day edited from an older copy without overwriting what someone else saved since.

The app loads a day, the user edits it, and meanwhile `diazlog log`, another copy of the app
or an import may save the same day. `save_merged` reads the stored day inside the same
BEGIN IMMEDIATE transaction that writes, merges it three ways with what was loaded and what
was edited (domain/day_merge.py), and writes the result; nothing can slip in between.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from diazlog.domain.day_form import content
from diazlog.domain.day_merge import Conflict, Side, merge_day
from diazlog.domain.models import DayLog
from diazlog.store.file.transactions import writing
from diazlog.store.queries.days import load_day, save_days

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class MergedSave:
    """`day` is what is stored now when `conflicts` is empty; otherwise nothing was written,
    `day` is the merge with the conflicts left as mine, and the caller asks which to keep."""

    day: DayLog
    conflicts: tuple[Conflict, ...]
    theirs: DayLog | None  # what was stored just before this save (None: nothing)
    base: DayLog | None  # what the edit started from

    @property
    def written(self) -> bool:
        return not self.conflicts

    @property
    def kept_theirs(self) -> bool:
        """Whether someone else had saved this day since it was loaded."""
        return content(self.theirs) != content(self.base)


def save_merged(
    db: Database,
    base: DayLog | None,
    mine: DayLog,
    now: datetime | None = None,
    choices: Mapping[str, Side] | None = None,
) -> MergedSave:
    """Write `mine` over what is stored for its date, keeping changes made since `base`.

    `base` is the day as it was loaded (None: nothing was stored), `mine` the day as edited.
    Conflicts not settled by `choices` ("mine" or "theirs" per conflict key) write nothing.
    """
    empty = DayLog(date=mine.date)
    with writing(db):
        theirs = load_day(db, mine.date)
        result = merge_day(base or empty, mine, theirs or empty, choices)
        if result.conflicts:
            return MergedSave(result.day, result.conflicts, theirs, base)
        save_days(db, [result.day], now)
        saved = load_day(db, mine.date)
    assert saved is not None
    return MergedSave(saved, (), theirs, base)

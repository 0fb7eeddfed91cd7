"""Stock levels of the medicines in use: the last count minus the doses logged since."""

from __future__ import annotations

from typing import TYPE_CHECKING

from diazlog.domain.models import Medication
from diazlog.domain.stock import StockLevel, stock_level
from diazlog.domain.taper import planned_for
from diazlog.store.queries.medications import list_medications, stock_counted_at, taken_since
from diazlog.store.queries.taper import list_steps

if TYPE_CHECKING:
    from sqlite_utils import Database


def level_of(db: Database, med: Medication, today: str) -> StockLevel | None:
    """None when the medicine's stock is not tracked.

    Without a count date (data from before counting, demo data) nothing is subtracted: we
    would rather show a stale count, marked as such, than invent one.
    """
    if med.stock is None or med.id is None:
        return None
    counted = stock_counted_at(db, med.id)
    taken = taken_since(db, med.id, counted, today) if counted else 0.0
    step = planned_for(list_steps(db, med.id), today)
    return stock_level(med, taken, counted, today, step)


def stock_levels(db: Database, today: str) -> list[StockLevel]:
    """Levels of every medicine in use today whose stock is tracked."""
    levels = (level_of(db, m, today) for m in list_medications(db) if m.active_on(today))
    return [level for level in levels if level is not None]

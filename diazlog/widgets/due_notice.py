"""The notice above Today's dose list: a planned dose whose time passed while the app was
open and that is not logged ("20:00 Diazepam 5 mg due: space takes it"), and on a taper step
day the new plan, first. It stays until the dose is logged (or the day left), however long
that takes; the screen checks it on a timer with its clock (domain/due_notice.py decides).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from textual.widgets import Static

from diazlog.domain.adherence import Slot
from diazlog.domain.due_notice import DueDose, at, notice_text, unlogged
from diazlog.domain.models import Dose
from diazlog.domain.plan import MedicineDose
from diazlog.widgets.plain import plain

# A dose due this long before the app opened is still announced (as `remind --now` does).
GRACE = timedelta(minutes=15)
CHECK_EVERY_S = 20.0


def due_now(
    day: str,
    now: datetime,
    opened: datetime,
    plans: Mapping[int, Sequence[Slot]],
    doses: Sequence[Dose],
) -> list[DueDose]:
    """The day's planned doses due since the app opened (less the grace) and not logged."""
    if day != now.date().isoformat():
        return []
    planned = [
        MedicineDose(med_id, slot.time, slot.amount)
        for med_id, slots in plans.items()
        for slot in slots
    ]
    since = opened - GRACE
    return [d for d in unlogged(day, planned, doses) if since < at(day, d.time) <= now]


class DueNotice(Static):
    """Hidden while there is nothing to say."""

    DEFAULT_CSS = """
    DueNotice {
        display: none;
        height: auto;
        padding: 0 1;
        background: $warning 20%;
        color: $text;
        text-style: bold;
    }
    DueNotice.-shown { display: block; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.due: list[DueDose] = []
        self.text = ""

    def show(
        self, due: list[DueDose], names: dict[int, tuple[str, str]], step_today: str = ""
    ) -> list[DueDose]:
        """Show what is due now; returns the doses that were not shown before (new ones)."""
        new = [d for d in due if d not in self.due]
        self.due = due
        text = notice_text(due, names, step_today=step_today)
        if text != self.text:
            self.text = text
            self.update(plain(text))
        self.set_class(bool(text), "-shown")
        return new

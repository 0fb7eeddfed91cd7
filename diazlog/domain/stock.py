"""How much of a medicine is left and when it runs out, from a count and the doses since.

The stock is kept in the medicine's own unit (mg for diazepam), the same unit doses are logged
in, so logged doses can simply be subtracted. A pill count is typed as "28 x 5" (28 pills of
5 mg) and stored as 140.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from diazlog.domain.models import Medication, TaperStep
from diazlog.domain.taper import planned_total
from diazlog.domain.units import amount_text
from diazlog.domain.validation import InvalidInput, decimal

MAX_STOCK = 1_000_000.0
# Fewer days than this left: Today and `status` say so (a week to get a new prescription).
LOW_STOCK_DAYS = 7
_PILLS = re.compile(
    r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*[x×*]\s*([0-9]+(?:[.,][0-9]+)?)\s*$", re.IGNORECASE
)


def parse_stock(text: str, unit: str = "mg") -> float | None:
    """Blank = not tracked; "140" = 140 units; "28 x 5" = 28 pills of 5 units each."""
    value = (text or "").strip()
    if not value:
        return None
    pills = _PILLS.match(value)
    if pills:
        amount: float | None = float(pills.group(1).replace(",", ".")) * float(
            pills.group(2).replace(",", ".")
        )
    else:
        amount = decimal(value)  # ASCII digits only, as every number diazlog reads
    if amount is None:
        raise InvalidInput(
            f"'{value[:20]}' is not a stock: type the {unit} you have, or pills x {unit} "
            "per pill, e.g. 28 x 5"
        )
    if not math.isfinite(amount) or amount < 0:
        raise InvalidInput("the stock cannot be negative")
    if amount > MAX_STOCK:
        raise InvalidInput(f"{amount:g} {unit} is more than {MAX_STOCK:g}: check the number")
    return amount


def daily_use(med: Medication, step: TaperStep | None = None) -> float | None:
    """What the user is meant to take a day: the taper step in force, else the usual dose.

    None when neither says (an as-needed medicine has no rate to run out at).
    """
    if step is not None:
        return planned_total(step)
    if not med.usual_amount:
        return None
    return sum(d.amount for d in med.usual_doses)


@dataclass(frozen=True)
class StockLevel:
    medication: Medication
    left: float
    counted_at: str | None  # "YYYY-MM-DDTHH:MM", or None when the count date is unknown
    per_day: float | None
    today: str

    @property
    def days_left(self) -> float | None:
        if self.per_day is None or self.per_day <= 0:
            return None
        return max(0.0, self.left) / self.per_day

    @property
    def stopped(self) -> bool:
        """Stopped today or before: no longer taken, so it can no longer run out."""
        stop = self.medication.stopped_on
        return stop is not None and stop <= self.today

    @property
    def runs_out_on(self) -> str | None:
        """The last day with enough for the full daily amount: today + whole days left.

        None when the stock lasts until the medicine's stop date (always so once it is
        stopped): nothing is taken after that day, so a later date would be a false alarm.
        A medicine stopped in the future that runs out before then keeps its date.
        """
        days = self.days_left
        if days is None:
            return None
        day = (date.fromisoformat(self.today) + timedelta(days=math.floor(days))).isoformat()
        stop = self.medication.stopped_on
        return None if stop is not None and day >= stop else day

    @property
    def low(self) -> bool:
        """Worth a warning: none left, or it runs out within a week while still being taken."""
        if self.stopped:
            return False
        if self.left <= 0:
            return True
        days = self.days_left
        return self.runs_out_on is not None and days is not None and days < LOW_STOCK_DAYS

    def describe(self) -> str:
        """ "140 mg left, enough until Mon 07 Dec" — in words for Today, Medicines, status."""
        unit = self.medication.unit
        name = self.medication.name
        if self.left <= 0 and not self.stopped:
            return f"{name}: none left by the log; count and update the stock"
        left = amount_text(self.left, unit)
        text = f"{name}: " + (f"{left} left" if self.left > 0 else "none left")
        if self.stopped:
            text += f", stopped from {self._stop_day()}"
        elif self.runs_out_on is not None:
            text += f", enough until {date.fromisoformat(self.runs_out_on):%a %d %b}"
        elif self.medication.stopped_on is not None and self.per_day:
            text += f", enough until it stops on {self._stop_day()}"
        if self.counted_at is None:
            text += " (count date unknown)"
        return text

    def _stop_day(self) -> str:
        """The stop date as the other dates in words read, e.g. "Wed 25 Nov"."""
        stop = self.medication.stopped_on or self.today
        return f"{date.fromisoformat(stop):%a %d %b}"


def stock_level(
    med: Medication,
    taken_since: float,
    counted_at: str | None,
    today: str,
    step: TaperStep | None = None,
) -> StockLevel | None:
    """The stock now: the count minus what was logged since. None when stock is not tracked."""
    if med.stock is None:
        return None
    return StockLevel(med, med.stock - taken_since, counted_at, daily_use(med, step), today)

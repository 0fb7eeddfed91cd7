"""Every threshold and input range in one place, so rules, screens, CLI and import agree."""

from __future__ import annotations

from dataclasses import dataclass

# The 0-10 numeric rating scale (NRS-11) and its bands.
RATING_MIN = 0
RATING_MAX = 10
MILD_MAX = 3
MODERATE_MAX = 6
# The smallest change on the 0-10 scale that counts as a real change.
MEANINGFUL_CHANGE = 2

# Red-flag thresholds (DESIGN.md "Red-flag rules").
SEVERE_PAIN = 8
PERSISTENT_PAIN = 5
PERSISTENT_DAYS = 3
DOSE_CUT_FRACTION = 0.25

# Sanity limits on what one dose can be; not clinical advice, just typo catchers.
MAX_DOSE_AMOUNT = 2000.0
MAX_DIAZEPAM_DOSE_MG = 100.0
NOTE_MAX_CHARS = 4000
SHORT_TEXT_MAX_CHARS = 200
SYMPTOM_NAME_MAX_CHARS = 40
EARLIEST_DATE = "1900-01-01"


def band(intensity: int) -> str:
    """The word a clinician uses for a 0-10 rating."""
    if intensity == 0:
        return "none"
    if intensity <= MILD_MAX:
        return "mild"
    if intensity <= MODERATE_MAX:
        return "moderate"
    return "severe"


@dataclass(frozen=True)
class NumberField:
    """A numeric day field: its column, label, unit and the range it accepts."""

    name: str
    label: str
    low: float
    high: float
    integer: bool = True
    unit: str = ""

    @property
    def hint(self) -> str:
        low = int(self.low) if self.integer else self.low
        high = int(self.high) if self.integer else self.high
        return f"{low}-{high}{' ' + self.unit if self.unit else ''}"


DAY_NUMBER_FIELDS: tuple[NumberField, ...] = (
    NumberField("walking_interference", "Legs got in the way of walking", 0, 10, unit="of 10"),
    NumberField("sleep_interference", "Legs got in the way of sleep", 0, 10, unit="of 10"),
    NumberField("activity_min", "Activity", 0, 1440, unit="min"),
    NumberField("water_glasses", "Water", 0, 40, unit="glasses"),
    NumberField("sleep_hours", "Sleep", 0, 24, integer=False, unit="h"),
    NumberField("alcohol_units", "Alcohol", 0, 100, integer=False, unit="units"),
)
DAY_FIELDS_BY_NAME: dict[str, NumberField] = {f.name: f for f in DAY_NUMBER_FIELDS}

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
# Honest numbers (CLINICAL.md): no "worst", "highest", "worse" or "better" unless each side of
# the comparison holds at least this many logged days (or onsets, for onset-time bins) and the
# difference reaches MEANINGFUL_CHANGE; below that the app says "not enough data yet (n days)".
MIN_DAYS_TO_COMPARE = 7
MIN_ONSETS_PER_BIN = 5

# Red-flag thresholds (README "Red flags"; sources in domain/redflags.py and CLINICAL.md).
SEVERE_PAIN = 7  # CLINICAL.md: 7-10 is severe on the 0-10 scale
PERSISTENT_PAIN = 5
PERSISTENT_DAYS = 3  # at least 3 of ...
PERSISTENT_LOOK_DAYS = 4  # ... the last 4 logged days ...
PERSISTENT_WINDOW_DAYS = 5  # ... within 5 calendar days (one unlogged day does not reset it)
EXTREME_WEAKNESS_ASK = 8  # weakness this high asks "is this extreme weakness?"
DOSE_CUT_FRACTION = 0.25
BASELINE_DOSE_DAYS = 7  # the baseline is the median of the last 7 dose days ...
BASELINE_WINDOW_DAYS = 14  # ... within 14 days; gradual cuts add up over the same window
STOPPED_DAYS = 2  # no diazepam for this many days while a plan or usual dose exists
ABOVE_USUAL_RATIO = 1.5
LABEL_MAX_DAILY_MG = 40.0  # Valium label: 2-10 mg, 3 or 4 times a day
INTERACTION_HOURS = 48  # diazepam lasts for days (half-life 1-2 days)
REPEATED_FALLS_DAYS = 14  # two falls within this many days are "repeated falls"
EPISODE_GAP_DAYS = 2  # a flag on days at most this far apart is one episode
RISING_WINDOW_DAYS = 14  # "rising": the mean of this many days against the as many before
# Every rule looks back at most this far (days), so loaders fetch this much before a range.
FLAG_LOOKBACK_DAYS = max(
    BASELINE_WINDOW_DAYS, REPEATED_FALLS_DAYS, PERSISTENT_WINDOW_DAYS, 2 * RISING_WINDOW_DAYS
)

# Sanity limits on what one dose can be; not clinical advice, just typo catchers.
MAX_DOSE_AMOUNT = 2000.0
# The smallest dose (of its unit): 1e-07 mg is a typo or a hostile file, never a dose.
MIN_DOSE_AMOUNT = 0.01
MAX_DIAZEPAM_DOSE_MG = 100.0
MAX_PLANNED_TIMES = 12  # doses a plan can name in one day
NOTE_MAX_CHARS = 4000
SHORT_TEXT_MAX_CHARS = 200
SYMPTOM_NAME_MAX_CHARS = 40
EARLIEST_DATE = "1900-01-01"

# Adherence (domain.adherence): a scheduled dose more than this far from its planned time
# is "late" (early or late); within it, "taken" on time.
LATE_AFTER_MINUTES = 120


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

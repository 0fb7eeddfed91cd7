"""The red-flag rules of DESIGN.md as pure functions over a day and its recent past.

The app only ever says "seek medical attention now" or "ask your doctor": it never advises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from diazlog.domain import limits
from diazlog.domain.models import Alert, Category, DayLog, FlagKind, Medication, Severity

# Categories whose effect adds to diazepam's (CNS depressants).
ADDITIVE_CATEGORIES: frozenset[Category] = frozenset(
    {Category.OPIOID, Category.BENZODIAZEPINE, Category.MUSCLE_RELAXANT, Category.SLEEP}
)
# Medicines known to slow diazepam's breakdown (CYP3A4 / CYP2C19), matched by name.
ENZYME_INHIBITORS: tuple[str, ...] = (
    "cimetidine",
    "ketoconazole",
    "fluvoxamine",
    "fluoxetine",
    "omeprazole",
)


@dataclass(frozen=True)
class FlagContext:
    """What the rules need to know beyond the day itself."""

    medications: Mapping[int, Medication] = field(default_factory=dict)
    leg_pain_symptom_id: int | None = None
    # Leg pain on the days just before this one, by ISO date (only logged days present).
    earlier_leg_pain: Mapping[str, int] = field(default_factory=dict)
    # Total diazepam on the calendar day before, or None when no dose was logged then.
    previous_diazepam: float | None = None

    @property
    def diazepam_ids(self) -> set[int]:
        return {i for i, m in self.medications.items() if m.is_diazepam}


def evaluate(day: DayLog, context: FlagContext) -> list[Alert]:
    """All alerts for the day, most urgent first."""
    alerts: list[Alert] = []
    alerts += _ticked_flags(day)
    alerts += _leg_pain(day, context)
    alerts += _combinations(day, context)
    alerts += _dose_cut(day, context)
    return sorted(alerts, key=lambda a: -a.severity)


def _ticked_flags(day: DayLog) -> list[Alert]:
    alerts = []
    if FlagKind.BREATHING in day.red_flags:
        alerts.append(
            Alert(
                "breathing",
                Severity.EMERGENCY,
                "Slow or shallow breathing",
                "Seek medical attention now: call emergency services if breathing is very slow "
                "or shallow.",
            )
        )
    for kind, what in (
        (FlagKind.CONFUSION, "Confusion"),
        (FlagKind.EXTREME_WEAKNESS, "Extreme weakness"),
    ):
        if kind in day.red_flags:
            alerts.append(
                Alert(
                    kind.value,
                    Severity.URGENT,
                    what,
                    f"{what} while taking diazepam: seek medical attention now.",
                )
            )
    if FlagKind.FALL in day.red_flags:
        alerts.append(
            Alert(
                "fall",
                Severity.DOCTOR,
                "A fall",
                "Falls are more likely with sedatives: tell your doctor about it.",
            )
        )
    return alerts


def _leg_pain(day: DayLog, context: FlagContext) -> list[Alert]:
    if context.leg_pain_symptom_id is None:
        return []
    rating = day.rating_for(context.leg_pain_symptom_id)
    if rating is None:
        return []
    alerts = []
    if rating.intensity >= limits.SEVERE_PAIN:
        alerts.append(
            Alert(
                "severe_pain",
                Severity.DOCTOR,
                f"Severe leg pain ({rating.intensity}/10)",
                "Tell your doctor soon. If it comes with confusion, extreme weakness or "
                "breathing difficulty, seek medical attention now.",
            )
        )
    run = persistent_run(day.date, rating.intensity, context.earlier_leg_pain)
    if run >= limits.PERSISTENT_DAYS:
        alerts.append(
            Alert(
                "persistent_pain",
                Severity.DOCTOR,
                f"Leg pain {limits.PERSISTENT_PAIN}+ for {run} days in a row",
                "Persistent leg pain: tell your doctor.",
            )
        )
    return alerts


def persistent_run(day: str, intensity: int, earlier: Mapping[str, int]) -> int:
    """Consecutive calendar days ending on `day` with leg pain at or above the threshold.

    A day that was not logged breaks the run: we cannot claim pain nobody recorded.
    """
    if intensity < limits.PERSISTENT_PAIN:
        return 0
    run = 1
    current = date.fromisoformat(day)
    while True:
        current -= timedelta(days=1)
        value = earlier.get(current.isoformat())
        if value is None or value < limits.PERSISTENT_PAIN:
            return run
        run += 1


def _combinations(day: DayLog, context: FlagContext) -> list[Alert]:
    diazepam_ids = context.diazepam_ids
    if not any(d.medication_id in diazepam_ids for d in day.doses):
        return []
    alerts = []
    others = {
        context.medications[d.medication_id]
        for d in day.doses
        if d.medication_id in context.medications and d.medication_id not in diazepam_ids
    }
    for med in sorted(others, key=lambda m: m.name):
        if med.category == Category.OPIOID:
            alerts.append(
                Alert(
                    "combination",
                    Severity.DOCTOR,
                    f"Diazepam with an opioid ({med.name})",
                    "Together they can cause profound sedation and slow breathing: ask your "
                    "doctor about this combination. If breathing becomes slow or shallow, call "
                    "emergency services.",
                )
            )
        elif med.category in ADDITIVE_CATEGORIES:
            alerts.append(
                Alert(
                    "combination",
                    Severity.DOCTOR,
                    f"Diazepam with {med.name} ({med.category.label})",
                    "Both add to drowsiness and weakness: ask your doctor about the combination.",
                )
            )
        if any(name in med.name.lower() for name in ENZYME_INHIBITORS):
            alerts.append(
                Alert(
                    "interaction",
                    Severity.DOCTOR,
                    f"Diazepam with {med.name}",
                    f"{med.name} may increase and prolong diazepam's sedation: ask your doctor.",
                )
            )
    if day.alcohol_units:
        alerts.append(
            Alert(
                "combination",
                Severity.DOCTOR,
                f"Diazepam with alcohol ({day.alcohol_units:g} units)",
                "Alcohol adds to diazepam's sedation and the risk of falls: ask your doctor.",
            )
        )
    return alerts


def _dose_cut(day: DayLog, context: FlagContext) -> list[Alert]:
    before = context.previous_diazepam
    if not before:
        return []
    today = day.dose_total(context.diazepam_ids)
    if today == 0 and not day.ratings:
        # Nothing logged for the day yet: no evidence that the dose stopped.
        return []
    if today < before * (1 - limits.DOSE_CUT_FRACTION):
        what = "stopped" if today == 0 else f"cut from {before:g} to {today:g} mg"
        return [
            Alert(
                "dose_cut",
                Severity.DOCTOR,
                f"Diazepam {what} in a day",
                "Stopping or cutting fast makes withdrawal (rebound tension, cramps, rarely "
                "seizures) more likely: ask your doctor about tapering.",
            )
        ]
    return []

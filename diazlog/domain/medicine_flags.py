"""Red flags from what was taken with diazepam: other medicines and alcohol, within 48 hours.

The level follows the source's strength (CLINICAL.md, "Levels"): the boxed-warning
combinations (opioids; gabapentinoids, other benzodiazepines, Z-drugs and barbiturates) are
"contact your doctor today"; alcohol, other sedating medicines, medicines that slow or speed
diazepam's breakdown are questions for the next visit. So one unit of alcohol and an opioid
never read alike. Titles say what the user took, in the name they logged it under.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from diazlog.domain import limits
from diazlog.domain.flag_context import FlagContext, make_alert, shift, short_date
from diazlog.domain.medicine_names import DrugClass, classify, medicine_classes
from diazlog.domain.models import Alert, DayLog, Dose, Level, Medication

# Classes whose combination with diazepam is "contact your doctor today" (boxed warnings).
TODAY_CLASSES = frozenset(
    {DrugClass.OPIOID, DrugClass.GABAPENTINOID, DrugClass.BENZODIAZEPINE, DrugClass.Z_DRUG}
)
_CLASS_WORDS = {
    DrugClass.OPIOID: (
        "Together they can cause profound sedation, slowed breathing, coma and death: contact "
        "your doctor today about this combination. If breathing becomes very slow or shallow, "
        "call emergency services.",
        "Valium label boxed warning: opioids",
    ),
    DrugClass.GABAPENTINOID: (
        "Together they can cause serious breathing problems: contact your doctor today about "
        "this combination. If breathing becomes very slow or shallow, call emergency services.",
        "FDA 2019: gabapentinoids with CNS depressants",
    ),
    DrugClass.ALCOHOL: (
        "Alcohol adds to diazepam's sedation and the risk of falls: ask your doctor.",
        "Valium label: alcohol",
    ),
}
_TODAY_WORDS = (
    "Both add to sedation and can slow breathing: contact your doctor today about this "
    "combination. If breathing becomes very slow or shallow, call emergency services.",
    "FDA 2020 benzodiazepine boxed warning: other CNS depressants",
)
_ADDS = (
    "Both add to sedation, weakness and the risk of falls: ask your doctor about this combination.",
    "Valium label: CNS depressants",
)
_SLOWS = (
    "It can increase and prolong diazepam's sedation: ask your doctor.",
    "Valium label: CYP3A4 / CYP2C19",
)
_SPEEDS = (
    "Diazepam may work less; ask your doctor.",
    "CLINICAL.md: inducers (rifampicin, carbamazepine, phenytoin, St John's wort)",
)


def is_barbiturate(med: Medication) -> bool:
    """The name table files barbiturates as CNS depressants; its source says which they are."""
    return any("barbiturate" in s.lower() for s in classify(med.name).sources)


def _article(label: str) -> str:
    return ("an " if label[:1].lower() in "aeiou" else "a ") + label


def describe(med: Medication, drug_class: DrugClass) -> str:
    """ "Co-codamol 30/500 (an opioid)", "Zapain (co-codamol, an opioid)": the logged name,
    what the table matched in it when that is another name, and the class."""
    label = "barbiturate" if is_barbiturate(med) else drug_class.label
    matched = [m for m in classify(med.name).matched if m.casefold() not in med.name.casefold()]
    inside = ", ".join([*matched[:1], _article(label)])
    return f"{med.name} ({inside})"


def _when(day: str, dose: Dose) -> datetime:
    return datetime.fromisoformat(f"{day}T{dose.time}")


def _within(first: datetime, second: datetime) -> bool:
    return abs(first - second) <= timedelta(hours=limits.INTERACTION_HOURS)


def interactions(day: DayLog, context: FlagContext) -> list[Alert]:
    """Alcohol or an interacting medicine within 48 hours of a diazepam dose, either order.

    Judged on the later of the two days, so it looks back only. Alcohol has no time of day:
    it counts when a dose is within 2 calendar days of it.
    """
    diazepam = context.diazepam_ids
    if not diazepam:
        return []
    cutoff = shift(day.date, -2)
    window = [(d, context.earlier[d]) for d in sorted(d for d in context.earlier if d >= cutoff)]
    window.append((day.date, day))
    doses_of = [(d, dose) for d, log in window for dose in log.doses]
    diazepam_times = [_when(d, x) for d, x in doses_of if x.medication_id in diazepam]
    if not diazepam_times:
        return []
    today_diazepam = [_when(day.date, x) for x in day.doses if x.medication_id in diazepam]
    found: dict[int, tuple[Medication, tuple[DrugClass, ...]]] = {}
    for d, dose in doses_of:
        med = context.medications.get(dose.medication_id)
        if med is None or dose.medication_id in diazepam:
            continue
        classes = medicine_classes(med)
        if not classes:
            continue
        when = _when(d, dose)
        partners = diazepam_times if d == day.date else today_diazepam
        if any(_within(when, t) for t in partners) and dose.medication_id not in found:
            found[dose.medication_id] = (med, classes)
    alerts = []
    for med_id, (med, classes) in sorted(found.items(), key=lambda kv: kv[1][0].name.lower()):
        alerts += _medicine(med_id, med, classes)
    alerts += _alcohol(day, window, diazepam_times, today_diazepam)
    return alerts


def combination_level(med: Medication, classes: tuple[DrugClass, ...]) -> Level | None:
    """The level of `med` taken with diazepam: contact the doctor today for a boxed-warning
    class (opioids, gabapentinoids, other benzodiazepines, Z-drugs, barbiturates), ask at the
    next visit for the other depressants; None when it does not add to diazepam's effect."""
    adding = [c for c in classes if c.adds_to_diazepam]
    if not adding:
        return None
    return Level.TODAY if adding[0] in TODAY_CLASSES or is_barbiturate(med) else Level.ASK


def _medicine(med_id: int, med: Medication, classes: tuple[DrugClass, ...]) -> list[Alert]:
    alerts = []
    adding = [c for c in classes if c.adds_to_diazepam]
    level = combination_level(med, classes)
    if adding and level is not None:
        strong = level is Level.TODAY
        words, source = _CLASS_WORDS.get(adding[0], _TODAY_WORDS if strong else _ADDS)
        alerts.append(
            make_alert(
                "combination",
                level,
                f"{describe(med, adding[0])} with diazepam",
                words,
                source,
                key=f"combination:{med_id}",
            )
        )
    for drug_class, rule, (words, source) in (
        (DrugClass.SLOWS_BREAKDOWN, "slower_breakdown", _SLOWS),
        (DrugClass.SPEEDS_BREAKDOWN, "faster_breakdown", _SPEEDS),
    ):
        if drug_class in classes:
            alerts.append(
                make_alert(
                    rule,
                    Level.ASK,
                    f"{med.name} ({drug_class.label}) with diazepam",
                    words,
                    source,
                    key=f"{rule}:{med_id}",
                )
            )
    return alerts


def _alcohol(
    day: DayLog,
    window: list[tuple[str, DayLog]],
    diazepam_times: list[datetime],
    today_diazepam: list[datetime],
) -> list[Alert]:
    drinks = [(d, log.alcohol_units) for d, log in window if log.alcohol_units]
    today_alcohol = bool(day.alcohol_units)
    if not ((today_alcohol and diazepam_times) or (today_diazepam and drinks)):
        return []
    units = day.alcohol_units if today_alcohol else drinks[-1][1]
    assert units is not None
    drink_day = day.date if today_alcohol else drinks[-1][0]
    words, source = _CLASS_WORDS[DrugClass.ALCOHOL]
    return [
        make_alert(
            "combination",
            Level.ASK,
            f"Diazepam with alcohol ({units:g} unit{'' if units == 1 else 's'}"
            + ("" if drink_day == day.date else f" on {short_date(drink_day)}")
            + ")",
            words,
            source,
            key="combination:alcohol",
        )
    ]

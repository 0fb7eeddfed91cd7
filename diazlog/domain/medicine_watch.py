"""What the app tells the user about a medicine's recognised class next to their diazepam.

One wording for the medicine form, the Medicines table and its detail line, so the screen
never calls a medicine "safe": a name the shipped table does not know is said to be unknown,
with "ask your doctor". Which classes raise a red flag mirrors the rules: anything that adds
to diazepam's effect, or slows its breakdown; speeding it up is a question for the doctor.
"""

from __future__ import annotations

from diazlog.domain.diazepam_products import is_diazepam_alone, is_diazepam_product
from diazlog.domain.medicine_flags import combination_level
from diazlog.domain.medicine_names import DrugClass, medicine_classes
from diazlog.domain.models import Category, Level, Medication
from diazlog.domain.name_resolution import Resolution, from_tables

NOT_RECOGNISED = "not recognised"
ASK = "ask your doctor how it mixes with diazepam"
WATCHED = "the red-flag rules watch it with diazepam"

# Short enough for the Medicines table at 80 columns (its Stock column must stay whole).
SHORT_LABELS: dict[DrugClass, str] = {
    DrugClass.OPIOID: "opioid",
    DrugClass.BENZODIAZEPINE: "benzodiazepine",
    DrugClass.Z_DRUG: "Z-drug",
    DrugClass.GABAPENTINOID: "gabapentinoid",
    DrugClass.MUSCLE_RELAXANT: "muscle relaxant",
    DrugClass.SEDATING_ANTIHISTAMINE: "antihistamine",
    DrugClass.CNS_DEPRESSANT: "CNS depressant",
    DrugClass.ALCOHOL: "alcohol",
    DrugClass.SLOWS_BREAKDOWN: "slows breakdown",
    DrugClass.SPEEDS_BREAKDOWN: "speeds breakdown",
}


def raises_flag(classes: tuple[DrugClass, ...]) -> bool:
    """A class the red-flag rules fire on when taken with diazepam."""
    return any(c.adds_to_diazepam or c is DrugClass.SLOWS_BREAKDOWN for c in classes)


def watched(med: Medication) -> bool:
    """Whether the rules watch this medicine with the tracked diazepam (from its stored class).
    Diazepam under another name (Valium) is not watched with diazepam: it is added to it."""
    return not is_diazepam_product(med) and raises_flag(medicine_classes(med))


NONE_LISTED = "none listed"


def _harmless(found: Resolution | None) -> bool:
    """Recognised, every ingredient in diazlog's table, none with a class: the label lists no
    interaction for it (paracetamol, ibuprofen). Said as such, never as "safe"."""
    return (
        found is not None
        and found.recognised
        and not found.classes
        and all(i.known for i in found.ingredients)
    )


def class_cell(med: Medication, found: Resolution | None = None) -> str:
    """The Medicines table's Class cell: the most urgent class (+N more), ⚠ when watched;
    "none listed" for a known generic the label lists no interaction for."""
    classes = medicine_classes(med)
    if not classes:
        return NONE_LISTED if _harmless(found or from_tables(med.name)) else NOT_RECOGNISED
    text = SHORT_LABELS[classes[0]] + (f" +{len(classes) - 1}" if len(classes) > 1 else "")
    return text + (" ⚠" if watched(med) else "")


def recognised_as(found: Resolution) -> str:
    """ "Zapain → co-codamol: codeine (opioid) + paracetamol — the red-flag rules watch it
    with diazepam." One sentence for the form, the Medicines screen and `diazlog log`."""
    if not found.recognised or _harmless(found):
        return found.text + ("" if found.text.endswith((".", "?")) else ".")
    if not found.classes:
        return f"{found.text}."  # an ingredient outside the table: the text says "ask"
    if is_diazepam_alone(found):
        return f"{found.text} — counted as diazepam (in mg), added to the day's total."
    consequence = WATCHED if raises_flag(found.classes) else ASK
    return f"{found.text} — {consequence}."


def recognition_line(
    name: str, *, tracked: bool = False, found: Resolution | None = None, looking: bool = False
) -> str:
    """The line under the medicine form's name field, redone on every keystroke: what the
    tables (or, once it answered, the drug-name library) recognised the name as."""
    if not name.strip():
        return "Type the name: diazlog looks it up in its medicine tables."
    if tracked:
        return "The diazepam you track: other medicines are checked against it."
    found = found or from_tables(name)
    if found is None:
        if looking:
            return f"Looking {' '.join(name.split())} up in the drug-name library…"
        return f"Not in diazlog's medicine tables: {ASK}."
    return recognised_as(found)


def detail_line(med: Medication, found: Resolution | None = None) -> str:
    """The Medicines screen's sentence about the highlighted medicine ("" for the diazepam)."""
    if med.is_diazepam:
        return ""
    found = found or from_tables(med.name)
    if is_diazepam_product(med):
        seen = found.text if found and found.recognised else med.name
        return f"{seen}. Counted as diazepam: its mg add to the day's diazepam total."
    classes = medicine_classes(med)
    if not classes:
        if _harmless(found) and found is not None:
            return f"{found.text} in diazepam's label."
        if found is not None and found.recognised:
            return f"{found.text}."  # a generic outside the table: the text says "ask"
        return f"{med.name} is not recognised: {ASK}."
    labels = " + ".join(c.label for c in classes)
    seen = f"{found.text}. It" if found and found.recognised else f"{med.name} is {labels}: it"
    if raises_flag(classes):
        effect = (
            "adds to diazepam's effect"
            if any(c.adds_to_diazepam for c in classes)
            else "makes diazepam's effect stronger and last longer"
        )
        # At the strength its flag has: an opioid with diazepam is "contact your doctor today".
        advice = (
            "contact your doctor today if you take them together"
            if combination_level(med, classes) is Level.TODAY
            else "ask your doctor"
        )
        return f"{seen} {effect}, so {WATCHED} ({advice})."
    return f"{seen} is a question for your doctor: {ASK}."


# The form's category for a recognised class, where the class says which one it is.
# Gabapentinoids, antihistamines and the rest are used for several things: left to the user.
_CATEGORY_OF: dict[DrugClass, Category] = {
    DrugClass.OPIOID: Category.OPIOID,
    DrugClass.BENZODIAZEPINE: Category.BENZODIAZEPINE,
    DrugClass.MUSCLE_RELAXANT: Category.MUSCLE_RELAXANT,
    DrugClass.Z_DRUG: Category.SLEEP,
}


def category_for(name: str, found: Resolution | None = None) -> Category | None:
    """The category a medicine named `name` belongs to, if its recognised class says (the
    most urgent class, as the form shows it); None when it does not."""
    found = found or from_tables(name)
    for drug_class in found.classes if found else ():
        if drug_class in _CATEGORY_OF:
            return _CATEGORY_OF[drug_class]
    return None

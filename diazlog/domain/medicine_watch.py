"""What the app tells the user about a medicine's recognised class next to their diazepam.

One wording for the medicine form, the Medicines table and its detail line, so the screen
never calls a medicine "safe": a name the shipped table does not know is said to be unknown,
with "ask your doctor". Which classes raise a red flag mirrors the rules: anything that adds
to diazepam's effect, or slows its breakdown; speeding it up is a question for the doctor.
"""

from __future__ import annotations

from diazlog.domain.medicine_names import DrugClass, Recognition, classify, medicine_classes
from diazlog.domain.models import Category, Medication

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
    """Whether the rules watch this medicine with the tracked diazepam (from its stored class)."""
    return not med.is_diazepam and raises_flag(medicine_classes(med))


def class_cell(med: Medication) -> str:
    """The Medicines table's Class cell: the most urgent class (+N more), ⚠ when watched."""
    classes = medicine_classes(med)
    if not classes:
        return NOT_RECOGNISED
    text = SHORT_LABELS[classes[0]] + (f" +{len(classes) - 1}" if len(classes) > 1 else "")
    return text + (" ⚠" if watched(med) else "")


def _found(recognition: Recognition) -> str:
    """ "opioid (co-codamol) + sedating antihistamine (promethazine)": class, then the name."""
    return " + ".join(
        f"{c.label} ({name})"
        for c, name in zip(recognition.classes, recognition.matched, strict=True)
    )


def recognition_line(name: str, *, tracked: bool = False) -> str:
    """The line under the medicine form's name field, redone on every keystroke."""
    if not name.strip():
        return "Type the name: diazlog looks it up in its medicine table."
    if tracked:
        return "The diazepam you track: other medicines are checked against it."
    recognition = classify(name)
    if not recognition.recognised:
        return f"Not in diazlog's medicine table: {ASK}."
    consequence = WATCHED if raises_flag(recognition.classes) else ASK
    return f"Recognised: {_found(recognition)} — {consequence}."


def detail_line(med: Medication) -> str:
    """The Medicines screen's sentence about the highlighted medicine ("" for the diazepam)."""
    if med.is_diazepam:
        return ""
    classes = medicine_classes(med)
    if not classes:
        return f"{med.name} is not in diazlog's medicine table: {ASK}."
    labels = " + ".join(c.label for c in classes)
    if raises_flag(classes):
        effect = (
            "it adds to diazepam's effect"
            if any(c.adds_to_diazepam for c in classes)
            else "it makes diazepam's effect stronger and last longer"
        )
        return f"{med.name} is recognised as {labels}: {effect}, so {WATCHED} (ask your doctor)."
    return f"{med.name} is recognised as {labels}: {ASK}."


# The form's category for a recognised class, where the class says which one it is.
# Gabapentinoids, antihistamines and the rest are used for several things: left to the user.
_CATEGORY_OF: dict[DrugClass, Category] = {
    DrugClass.OPIOID: Category.OPIOID,
    DrugClass.BENZODIAZEPINE: Category.BENZODIAZEPINE,
    DrugClass.MUSCLE_RELAXANT: Category.MUSCLE_RELAXANT,
    DrugClass.Z_DRUG: Category.SLEEP,
}


def category_for(name: str) -> Category | None:
    """The category a medicine named `name` belongs to, if its recognised class says (the
    first class the table gives, as the form shows it); None when it does not."""
    for drug_class in classify(name).classes:
        if drug_class in _CATEGORY_OF:
            return _CATEGORY_OF[drug_class]
    return None

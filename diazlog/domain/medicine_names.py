"""Which class a medicine belongs to, from its name, using the table shipped with the package.

The red-flag rules fire on the class, whatever category the user picked, because people log
"Co-codamol 30/500" under "pain". The table (diazlog/data/medicine_classes.csv) has one row per
generic or brand name with its class and the source that says it matters; combination products
are read through their ingredients (domain.medicine_products). A few common generics the
label's interaction list does not name (paracetamol, ibuprofen) are rows of class
"no_interaction": known, with no class. A name the table does not know is reported as
unrecognised, never as safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from diazlog.domain.medicine_products import products_in
from diazlog.domain.models import Category, Medication
from diazlog.domain.name_words import phrase_at, words

# The table's class for a generic it knows that the Valium label lists no interaction for.
NO_INTERACTION = "no_interaction"


class DrugClass(StrEnum):
    """What a medicine does with diazepam; the order is how loudly it matters."""

    OPIOID = "opioid"
    BENZODIAZEPINE = "benzodiazepine"
    Z_DRUG = "z_drug"
    GABAPENTINOID = "gabapentinoid"
    MUSCLE_RELAXANT = "muscle_relaxant"
    SEDATING_ANTIHISTAMINE = "sedating_antihistamine"
    CNS_DEPRESSANT = "cns_depressant"
    ALCOHOL = "alcohol"
    SLOWS_BREAKDOWN = "slows_breakdown"
    SPEEDS_BREAKDOWN = "speeds_breakdown"

    @property
    def label(self) -> str:
        return CLASS_LABELS[self]

    @property
    def adds_to_diazepam(self) -> bool:
        """A CNS depressant: together with diazepam, more sedation and slower breathing."""
        return self not in (DrugClass.SLOWS_BREAKDOWN, DrugClass.SPEEDS_BREAKDOWN)


CLASS_LABELS: dict[DrugClass, str] = {
    DrugClass.OPIOID: "opioid",
    DrugClass.BENZODIAZEPINE: "benzodiazepine",
    DrugClass.Z_DRUG: "Z-drug sleep medicine",
    DrugClass.GABAPENTINOID: "gabapentinoid",
    DrugClass.MUSCLE_RELAXANT: "muscle relaxant",
    DrugClass.SEDATING_ANTIHISTAMINE: "sedating antihistamine",
    DrugClass.CNS_DEPRESSANT: "other CNS depressant",
    DrugClass.ALCOHOL: "alcohol",
    DrugClass.SLOWS_BREAKDOWN: "slows diazepam's breakdown",
    DrugClass.SPEEDS_BREAKDOWN: "speeds diazepam's breakdown",
}
_ORDER = {c: i for i, c in enumerate(DrugClass)}


@dataclass(frozen=True)
class NameRow:
    name: str
    drug_class: DrugClass | None  # None: known, no interaction listed (NO_INTERACTION)
    source: str


@dataclass(frozen=True)
class Recognition:
    """What the table says about a typed name: its classes (most urgent first), or nothing."""

    classes: tuple[DrugClass, ...] = ()
    matched: tuple[str, ...] = ()  # the table names found in what was typed
    sources: tuple[str, ...] = ()

    @property
    def recognised(self) -> bool:
        return bool(self.classes)

    @property
    def code(self) -> str:
        """How it is stored in medications.drug_class: class codes joined by commas."""
        return ",".join(c.value for c in self.classes)

    @property
    def label(self) -> str:
        if not self.classes:
            return "not in diazlog's medicine table: ask your doctor how it mixes with diazepam"
        return " + ".join(c.label for c in self.classes)


UNRECOGNISED = Recognition()


def _class_of(code: str) -> DrugClass | None:
    return None if code == NO_INTERACTION else DrugClass(code)


@cache
def table() -> tuple[NameRow, ...]:
    """The shipped name table, parsed once (csv and importlib.resources load only then)."""
    import csv
    from importlib.resources import files

    text = files("diazlog").joinpath("data", "medicine_classes.csv").read_text(encoding="utf-8")
    return tuple(
        NameRow(row["name"].strip(), _class_of(row["class"].strip()), row["source"].strip())
        for row in csv.DictReader(text.splitlines())
    )


@cache
def _index() -> dict[str, list[tuple[tuple[str, ...], NameRow]]]:
    """Table rows by their first word, so a lookup reads a handful of rows, not all."""
    index: dict[str, list[tuple[tuple[str, ...], NameRow]]] = {}
    for row in table():
        key = words(row.name)
        index.setdefault(key[0], []).append((key, row))
    return index


def table_rows_in(name: str) -> tuple[NameRow, ...]:
    """The table rows whose name stands, word for word, in `name` or among the ingredients of
    a combination product named in it ("Zapain" -> codeine, paracetamol), in that order."""
    phrases = [words(name)] + [
        words(ingredient) for product in products_in(name) for ingredient in product.ingredients
    ]
    found: list[NameRow] = []
    for typed in phrases:
        for start, word in enumerate(typed):
            for key, row in _index().get(word, ()):
                if phrase_at(typed, start, key) and row not in found:
                    found.append(row)
    return tuple(found)


def classify(name: str) -> Recognition:
    """Every class whose table name stands, word for word, somewhere in `name` (or in the
    ingredients of a combination product it names)."""
    found: dict[DrugClass, NameRow] = {}
    for row in table_rows_in(name):
        if row.drug_class is not None and row.drug_class not in found:
            found[row.drug_class] = row
    if not found:
        return UNRECOGNISED
    ordered = sorted(found, key=_ORDER.__getitem__)
    return Recognition(
        classes=tuple(ordered),
        matched=tuple(found[c].name for c in ordered),
        sources=tuple(found[c].source for c in ordered),
    )


def classes_from_code(code: str | None) -> tuple[DrugClass, ...]:
    """The classes stored in medications.drug_class (unknown codes are skipped)."""
    known = {c.value for c in DrugClass}
    return tuple(DrugClass(c) for c in (code or "").split(",") if c in known)


# The category the user picked counts too, so "my pain pills" logged as an opioid still fires.
_CATEGORY_CLASSES = {
    Category.OPIOID: DrugClass.OPIOID,
    Category.BENZODIAZEPINE: DrugClass.BENZODIAZEPINE,
    Category.MUSCLE_RELAXANT: DrugClass.MUSCLE_RELAXANT,
    Category.SLEEP: DrugClass.CNS_DEPRESSANT,
}


def medicine_classes(med: Medication) -> tuple[DrugClass, ...]:
    """The classes recognised from the name, plus the one its picked category implies."""
    classes = list(classes_from_code(med.drug_class))
    picked = _CATEGORY_CLASSES.get(med.category)
    if picked is not None and picked not in classes:
        classes.append(picked)
    order = list(DrugClass)
    return tuple(sorted(classes, key=order.index))

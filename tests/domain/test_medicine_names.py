"""The shipped medicine-name table and `classify`: every row parses, and the names people
actually type (brands, mixtures, any case) are recognised, while plain non-sedating names and
fragments are not."""

from __future__ import annotations

import csv
from importlib.resources import files

import pytest

from diazlog.domain.medicine_names import (
    NO_INTERACTION,
    UNRECOGNISED,
    DrugClass,
    classes_from_code,
    classify,
    table,
    words,
)


def raw_rows() -> list[dict[str, str]]:
    """The csv read on its own, not through diazlog's parser."""
    text = files("diazlog").joinpath("data", "medicine_classes.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_every_row_parses_with_a_known_class_and_a_source() -> None:
    rows = raw_rows()
    assert len(rows) > 100
    known = {c.value for c in DrugClass} | {NO_INTERACTION}
    for number, row in enumerate(rows, start=2):
        assert set(row) == {"name", "class", "source"}, f"line {number}: {row}"
        assert row["name"].strip(), f"line {number} has no name"
        assert row["class"].strip() in known, f"line {number}: unknown class {row['class']!r}"
        assert row["source"].strip(), f"line {number} ({row['name']}) says no source"
        assert words(row["name"]), f"line {number}: {row['name']!r} has no words to match"
    assert len(table()) == len(rows)


def test_names_are_unique() -> None:
    seen: dict[tuple[str, ...], str] = {}
    products = files("diazlog").joinpath("data", "medicine_products.csv").read_text("utf-8")
    for row in raw_rows() + list(csv.DictReader(products.splitlines())):
        key = words(row["name"])
        assert key not in seen, f"{row['name']!r} repeats {seen[key]!r}"
        seen[key] = row["name"]


def test_every_class_has_names_and_a_label() -> None:
    used = {row.drug_class for row in table()}
    assert used == set(DrugClass) | {None}  # None: known, no interaction listed
    assert all(c.label for c in DrugClass)


MUST_RECOGNISE = [
    ("Co-codamol 30/500", {DrugClass.OPIOID}),
    ("co-codamol 8/500mg", {DrugClass.OPIOID}),
    ("CO-CODAMOL", {DrugClass.OPIOID}),
    ("oxycodone/paracetamol", {DrugClass.OPIOID}),
    ("Oxycodone 5 mg", {DrugClass.OPIOID}),
    ("Tylenol #3", {DrugClass.OPIOID}),
    ("tylenol #3", {DrugClass.OPIOID}),
    ("Tramadol 50mg", {DrugClass.OPIOID}),
    ("gabapentin", {DrugClass.GABAPENTINOID}),
    ("Gabapentin 300 mg", {DrugClass.GABAPENTINOID}),
    ("pregabalin", {DrugClass.GABAPENTINOID}),
    ("PREGABALIN 75MG", {DrugClass.GABAPENTINOID}),
    ("Lyrica", {DrugClass.GABAPENTINOID}),
    ("zopiclone", {DrugClass.Z_DRUG}),
    ("Zopiclone 7.5", {DrugClass.Z_DRUG}),
    ("promethazine", {DrugClass.SEDATING_ANTIHISTAMINE}),
    ("Promethazine (Phenergan)", {DrugClass.SEDATING_ANTIHISTAMINE}),
    ("cyclobenzaprine", {DrugClass.MUSCLE_RELAXANT}),
    ("Cyclobenzaprine 10mg", {DrugClass.MUSCLE_RELAXANT}),
    ("Prozac", {DrugClass.SLOWS_BREAKDOWN}),
    ("prozac 20", {DrugClass.SLOWS_BREAKDOWN}),
    ("Prilosec", {DrugClass.SLOWS_BREAKDOWN}),
    ("PRILOSEC OTC", {DrugClass.SLOWS_BREAKDOWN}),
    ("fluconazole", {DrugClass.SLOWS_BREAKDOWN}),
    ("Fluconazole 150 mg", {DrugClass.SLOWS_BREAKDOWN}),
    ("St John's Wort", {DrugClass.SPEEDS_BREAKDOWN}),
    ("St John’s wort", {DrugClass.SPEEDS_BREAKDOWN}),
    ("Carbamazepine", {DrugClass.SPEEDS_BREAKDOWN}),
]


@pytest.mark.parametrize(("name", "classes"), MUST_RECOGNISE, ids=[n for n, _ in MUST_RECOGNISE])
def test_names_people_type_are_recognised(name: str, classes: set[DrugClass]) -> None:
    found = classify(name)
    assert found.recognised
    assert set(found.classes) == classes
    assert found.code and classes_from_code(found.code) == found.classes
    assert len(found.matched) == len(found.classes) == len(found.sources)


MUST_NOT = ["Paracetamol", "Ibuprofen", "Magnesium", "", "   ", "cod", "Vitamin D", "co", "#3"]


@pytest.mark.parametrize("name", MUST_NOT, ids=[repr(n) for n in MUST_NOT])
def test_other_names_and_fragments_are_not_recognised(name: str) -> None:
    found = classify(name)
    assert found == UNRECOGNISED
    assert not found.recognised and found.code == ""
    assert "ask your doctor" in found.label  # unknown is never called safe


COMBINATIONS = [
    ("codeine + promethazine", {DrugClass.OPIOID, DrugClass.SEDATING_ANTIHISTAMINE}),
    ("Tramadol and gabapentin", {DrugClass.OPIOID, DrugClass.GABAPENTINOID}),
    (
        "oxycodone, baclofen, omeprazole",
        {DrugClass.OPIOID, DrugClass.MUSCLE_RELAXANT, DrugClass.SLOWS_BREAKDOWN},
    ),
    ("Nytol with alcohol", {DrugClass.SEDATING_ANTIHISTAMINE, DrugClass.ALCOHOL}),
]


@pytest.mark.parametrize(("name", "classes"), COMBINATIONS, ids=[n for n, _ in COMBINATIONS])
def test_a_combination_yields_every_class_it_contains(name: str, classes: set[DrugClass]) -> None:
    found = classify(name)
    assert set(found.classes) == classes
    order = list(DrugClass)
    assert list(found.classes) == sorted(found.classes, key=order.index)  # most urgent first
    assert set(classes_from_code(found.code)) == classes


def test_stored_codes_read_back_skipping_unknown_ones() -> None:
    assert classes_from_code("opioid,gabapentinoid") == (DrugClass.OPIOID, DrugClass.GABAPENTINOID)
    assert classes_from_code("opioid,nonsense") == (DrugClass.OPIOID,)
    assert classes_from_code("") == classes_from_code(None) == ()

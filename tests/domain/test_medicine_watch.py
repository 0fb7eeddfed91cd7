"""What the app says about a medicine's recognised class: watched with diazepam, a question
for the doctor, or unknown, and never "safe"."""

from __future__ import annotations

import pytest

from diazlog.domain.medicine_names import classify
from diazlog.domain.medicine_watch import (
    category_for,
    class_cell,
    detail_line,
    raises_flag,
    recognition_line,
    watched,
)
from diazlog.domain.models import Category, Medication


def med(name: str, *, is_diazepam: bool = False, category: Category = Category.OTHER) -> Medication:
    """A medicine as the store returns it: its class comes from its name."""
    return Medication(1, name, category, is_diazepam=is_diazepam, drug_class=classify(name).code)


@pytest.mark.parametrize(
    ("name", "flag"),
    [
        ("Co-codamol 30/500", True),
        ("Pregabalin", True),
        ("Omeprazole", True),  # slows diazepam's breakdown
        ("Beer", True),
        ("Carbamazepine", False),  # speeds it up: a question for the doctor, not an alarm
        ("Ibuprofen", False),
    ],
)
def test_which_classes_the_rules_watch(name: str, flag: bool) -> None:
    assert raises_flag(classify(name).classes) is flag
    assert watched(med(name)) is flag
    assert class_cell(med(name)).endswith("⚠") is flag


def test_the_name_decides_and_a_sedating_category_the_user_picked_adds() -> None:
    # Logged under "pain", still an opioid: the category can never make a medicine safe.
    assert watched(med("Co-codamol 30/500", category=Category.PAIN))
    # An unknown name the user put under "opioid" is watched as one (as the rules do).
    assert watched(med("Painaway", category=Category.OPIOID))
    assert class_cell(med("Painaway", category=Category.OPIOID)) == "opioid ⚠"
    assert class_cell(med("Painaway", category=Category.PAIN)) == "not recognised"


def test_the_tracked_diazepam_is_not_watched_against_itself() -> None:
    diazepam = med("Diazepam", is_diazepam=True)
    assert not watched(diazepam)
    assert class_cell(diazepam) == "benzodiazepine"
    assert detail_line(diazepam) == ""
    assert "diazepam you track" in recognition_line("Diazepam", tracked=True)


def test_a_mixture_shows_its_most_urgent_class_and_how_many_more() -> None:
    assert class_cell(med("codeine + promethazine")) == "opioid +1 ⚠"
    line = recognition_line("codeine + promethazine")
    assert "codeine (opioid)" in line and "promethazine (sedating antihistamine)" in line


def test_the_form_line_for_each_case() -> None:
    assert recognition_line("Co-codamol 30/500") == (
        "Co-codamol 30/500: codeine (opioid) + paracetamol — the red-flag rules watch it with "
        "diazepam."
    )
    assert recognition_line("Zapain") == (
        "Zapain → co-codamol: codeine (opioid) + paracetamol — the red-flag rules watch it with "
        "diazepam."
    )
    # Known, with no interaction in the label's list: said so, not "not recognised".
    assert recognition_line("Paracetamol") == "Paracetamol: no interaction listed."
    assert recognition_line("Magnesium") == (
        "Not in diazlog's medicine tables: ask your doctor how it mixes with diazepam."
    )
    assert recognition_line("Carbamazepine").endswith("ask your doctor how it mixes with diazepam.")
    assert "Type the name" in recognition_line("  ")


@pytest.mark.parametrize("name", ["Paracetamol", "Ibuprofen", "Carbamazepine", "Magnesium"])
def test_nothing_is_ever_called_safe(name: str) -> None:
    for text in (recognition_line(name), detail_line(med(name)), class_cell(med(name))):
        assert "safe" not in text.lower()
    if name not in ("Paracetamol", "Ibuprofen"):
        assert "ask your doctor" in recognition_line(name)
    else:
        assert "no interaction listed" in recognition_line(name)
        assert class_cell(med(name)) == "none listed"
        assert detail_line(med(name)) == f"{name}: no interaction listed in diazepam's label."
        return
    assert "ask your doctor" in detail_line(med(name))


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Co-codamol 30/500", Category.OPIOID),
        ("Tramadol", Category.OPIOID),
        ("Lorazepam", Category.BENZODIAZEPINE),
        ("Baclofen 10mg", Category.MUSCLE_RELAXANT),
        ("zopiclone", Category.SLEEP),
        # Used for several things, or not a class the form has a category for: the user's.
        ("Pregabalin", None),
        ("Promethazine", None),
        ("Fluconazole", None),
        ("Paracetamol", None),
        ("", None),
    ],
)
def test_the_form_s_category_follows_only_a_class_that_says_which(
    name: str, category: Category | None
) -> None:
    assert category_for(name) == category


@pytest.mark.parametrize(
    ("name", "category", "advice"),
    [
        ("Tramadol", Category.PAIN, "contact your doctor today"),
        ("Lyrica", Category.OTHER, "contact your doctor today"),
        ("Baclofen", Category.MUSCLE_RELAXANT, "(ask your doctor)"),
        ("Piriton", Category.OTHER, "(ask your doctor)"),
    ],
)
def test_the_detail_line_speaks_at_the_flags_level(
    name: str, category: Category, advice: str
) -> None:
    """Medicines said "(ask your doctor)" under an opioid whose flag is "contact your doctor
    today" (clinical review): the sentence now follows the combination's level."""
    from diazlog.domain.medicine_watch import detail_line

    med = Medication(1, name, category, drug_class=classify(name).code)
    assert advice in detail_line(med)

"""Did-you-mean guesses from the drug-name library are offered only when they read as a
misspelling of what was typed: never a match on a qualifier ("Ultra" -> Ultram, "Forte" ->
Forteo), a short word, or a name that starts differently ("Cuprofen" -> suprofen).

The table runs real names (brands of several countries and misspellings) through the real
library, offline; the rule itself has its own table and hypothesis invariants.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diazlog.domain import drug_library
from diazlog.domain.did_you_mean import edits, plausible

# (typed, the guess offered or None). None: the library has no exact name for it and any
# guess it makes is not a misspelling of it, so nothing is offered.
LIBRARY_CASES = [
    ("Feminax Ultra", None),  # UK naproxen brand; "Ultra" ~ Ultram (tramadol)
    ("Panadeine Forte", None),  # AU codeine + paracetamol; "Forte" ~ Forteo (teriparatide)
    ("Ultra Forte", None),  # only qualifiers
    ("Anadin Extra", None),  # UK; "Anadin" ~ vanadio (vanadium), two edits
    ("Anadin Ultra", None),
    ("Cuprofen Plus", None),  # UK ibuprofen + codeine; "Cuprofen" ~ suprofen, other first letter
    ("Migraleve Pink", None),  # UK; "Pink" ~ SPINK1
    ("Cocodamol", "co-codamol"),  # UK, hyphen left out
    ("Tramadoll", "tramadol"),
    ("Neurontine", "gabapentin"),  # US brand Neurontin, French-style ending
    ("Oxycodon", "oxycodone"),  # German spelling
    ("Zopiclon", "zopiclone"),  # German spelling
    ("Pregabalene", "pregabalin"),  # two edits in 11 letters
    ("Lorazapam", "lorazepam"),  # dropped before for its low 3-letter score
    ("Diazepan", "diazepam"),
    ("Klonopine", "clonazepam"),  # US brand Klonopin
    ("Gabapentinn", "gabapentin"),
    ("Paracetamole", "acetaminophen"),  # the library's name for paracetamol
]


@pytest.mark.parametrize(("typed", "guess"), LIBRARY_CASES, ids=[c[0] for c in LIBRARY_CASES])
def test_the_library_offers_only_plausible_guesses(typed: str, guess: str | None) -> None:
    answer = drug_library.look_up(typed)
    assert answer.generics == ()  # none of these is an exact name the library knows
    assert answer.suggestion == guess


@pytest.mark.parametrize(
    ("typed", "matched", "first", "expected"),
    [
        ("Tramadoll", "tramadol", True, True),  # one letter added
        ("Cocodamol", "co-codamol", True, True),  # hyphens do not count
        ("Lorazapam", "lorazepam", True, True),  # one change
        ("Diazpeam", "diazepam", True, True),  # two neighbours swapped: one edit
        ("Pregabalene", "pregabalin", True, True),  # two edits, 11 letters
        ("Tramadoll", "tramadol", False, False),  # a later word qualifies the brand
        ("Ultra", "ultram", True, False),  # too short
        ("Forte", "forteo", True, False),
        ("Cuprofen", "suprofen", True, False),  # another first letter
        ("Anadin", "vanadio", True, False),
        ("Feminax", "eminase", True, False),
        ("Zopiclonex", "zopiclone", True, True),
        ("Gabbapentinnn", "gabapentin", True, False),  # three edits
        ("Tramdol", "tramadol", True, True),
        ("", "tramadol", True, False),
        ("Tramadol", "", True, False),
    ],
)
def test_plausible_misspelling_rule(typed: str, matched: str, first: bool, expected: bool) -> None:
    assert plausible(typed, matched, first) is expected


words = st.text(alphabet="abcdefgh", max_size=12)


@given(words, words)
def test_edits_is_a_distance(a: str, b: str) -> None:
    assert edits(a, b) == edits(b, a)
    assert (edits(a, b) == 0) == (a == b)
    assert abs(len(a) - len(b)) <= edits(a, b) <= max(len(a), len(b))


@given(words.filter(lambda w: len(w) >= 2), st.data())
def test_one_swap_or_one_change_is_one_edit(word: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(word) - 2))
    swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    assert edits(word, swapped) == (0 if swapped == word else 1)
    changed = word[:i] + "z" + word[i + 1 :]
    assert edits(word, changed) == 1

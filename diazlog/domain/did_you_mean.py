"""Whether a fuzzy match of a typed medicine name is a plausible misspelling, to offer.

The drug-name library's fuzzy pass matches any typed word against every name it knows, by
3-letter pieces. So a word that is no drug name finds one anyway: "Feminax Ultra" gave
tramadol ("Ultra" is one letter from the US brand Ultram), "Panadeine Forte" teriparatide
("Forte" ~ Forteo), "Anadin Extra" vanadium, "Cuprofen Plus" suprofen, "Migraleve Pink" a
trypsin inhibitor (SPINK1). A guess is offered only when it looks like what the user meant
to type, by rules about misspelling rather than a list of bad answers:

- It is on the name's first word. A brand comes first and what follows qualifies it
  (strength, "Forte", "Plus", "Ultra", "Extra", a colour, a maker), so a later word's match
  is a match on the qualifier.
- That word has at least `MIN_LETTERS` letters: a short word is one letter away from too
  many names (Ultra/Ultram, Forte/Forteo, Pink/Spink1).
- It starts with the same letter as the name it matched: misspellings keep the first letter
  far more often than not (Damerau 1964; Yannakoudakis & Fawthrop 1983), and Cuprofen is
  an ibuprofen brand, not a misspelt suprofen.
- It is at most `allowed_edits` letter edits (insert, delete, change, swap two neighbours)
  from that name, ignoring case, hyphens and spaces ("Cocodamol" -> co-codamol is one).
"""

from __future__ import annotations

MIN_LETTERS = 6


def allowed_edits(word: str) -> int:
    """1 edit up to 8 letters, 2 from 9 ("Pregabalene" -> pregabalin is 2 in 11)."""
    return 1 if len(word) <= 8 else 2


def _squash(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def edits(a: str, b: str) -> int:
    """Letter edits from `a` to `b`: insertions, deletions, changes and swaps of two
    neighbouring letters (optimal string alignment distance)."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def plausible(typed: str, matched: str, first_word: bool) -> bool:
    """Whether `typed` (the user's word or words the library matched) reads as a misspelling
    of `matched` (the library's name it was matched to), at the start of the name."""
    word, name = _squash(typed), _squash(matched)
    return (
        first_word
        and len(word) >= MIN_LETTERS
        and bool(name)
        and word[0] == name[0]
        and edits(word, name) <= allowed_edits(word)
    )

"""Combination products (co-codamol, Percocet, Tramacet …) by ingredient, from a shipped table.

A combination carries the class of each ingredient, so a brand the rules never heard of still
raises the opioid flag once its ingredients are known (CLINICAL.md, "Combination products").
The table (diazlog/data/medicine_products.csv) has one row per generic or brand name with the
product it is, its ingredients, the strengths per tablet in the ingredients' order (30/500 =
30 mg codeine and 500 mg paracetamol), its usual unit and its source. A brand of a single
generic is a row too, its product and only ingredient that generic, counted in mg ("Valium"
-> diazepam): that is how the tables know Valium or Stesolid is diazepam itself
(domain.diazepam_products), not "another benzodiazepine".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from diazlog.domain.name_words import phrase_at, words

# "30/500", "37.5 / 325", "200/12.8mg": a strength per tablet in a name as typed.
_STRENGTH = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)(?![\d.])")


@dataclass(frozen=True)
class Product:
    """One name of a combination product and what is in it."""

    name: str
    product: str
    ingredients: tuple[str, ...]
    strengths: tuple[str, ...]
    unit: str
    source: str


@cache
def products() -> tuple[Product, ...]:
    """The shipped product table, parsed once."""
    import csv
    from importlib.resources import files

    text = files("diazlog").joinpath("data", "medicine_products.csv").read_text(encoding="utf-8")
    return tuple(
        Product(
            name=row["name"].strip(),
            product=row["product"].strip(),
            ingredients=tuple(i.strip() for i in row["ingredients"].split("+") if i.strip()),
            strengths=tuple(row["strengths"].split()),
            unit=row["unit"].strip(),
            source=row["source"].strip(),
        )
        for row in csv.DictReader(text.splitlines())
    )


def products_in(name: str) -> tuple[Product, ...]:
    """Every product whose name stands, word for word, somewhere in `name` (longest first, so
    "Tylenol with codeine" is found as itself, not only as "Tylenol")."""
    typed = words(name)
    found: list[Product] = []
    for product in sorted(products(), key=lambda p: -len(words(p.name))):
        key = words(product.name)
        stands = any(phrase_at(typed, start, key) for start in range(len(typed)))
        if stands and all(p.product != product.product for p in found):
            found.append(product)
    return tuple(found)


def strength_in(name: str) -> str | None:
    """The strength per tablet the name gives ("Co-codamol 30/500" -> "30/500"), if any."""
    match = _STRENGTH.search(name)
    return f"{float(match[1]):g}/{float(match[2]):g}" if match else None

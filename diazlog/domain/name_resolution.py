"""What a typed medicine name was recognised as, in one sentence the user can check.

"Zapain → co-codamol: codeine (opioid) + paracetamol". The shipped tables answer first
(medicine_names for classes, medicine_products for combinations); a name they do not know is
answered by the drug-name library (domain.drug_library), whose generics are then read through
the same tables for their class. A close spelling is only offered ("did you mean
co-codamol?"), never applied. Nothing recognised is never called safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from diazlog.domain.medicine_names import DrugClass, table_rows_in
from diazlog.domain.medicine_products import products_in, strength_in
from diazlog.domain.name_words import words

ASK = "ask your doctor how it mixes with diazepam"
NO_INTERACTION_LISTED = "no interaction listed"


class Via(StrEnum):
    """Who recognised the name."""

    TABLE = "table"
    LIBRARY = "library"
    NONE = "none"


@dataclass(frozen=True)
class Ingredient:
    """One drug in a medicine, with its classes; `known` when diazlog's table lists it (a
    known generic with no class is one the label lists no interaction for)."""

    name: str
    classes: tuple[DrugClass, ...] = ()
    known: bool = True

    @property
    def text(self) -> str:
        if self.classes:
            return f"{self.name} ({' + '.join(c.label for c in self.classes)})"
        return self.name


@dataclass(frozen=True)
class Resolution:
    """A typed name and what it was recognised as."""

    typed: str
    ingredients: tuple[Ingredient, ...] = ()
    product: str | None = None  # "co-codamol" for a combination, the generic of a brand
    via: Via = Via.NONE
    suggestion: str | None = None  # "did you mean …": never applied
    strengths: tuple[str, ...] = ()  # per tablet, in the ingredients' order ("30/500",)
    unit: str | None = None  # the product's usual unit ("tablet"), None when not a product

    @property
    def recognised(self) -> bool:
        return bool(self.ingredients)

    @property
    def classes(self) -> tuple[DrugClass, ...]:
        """Every ingredient's classes, most urgent first: a combination is as serious as its
        most serious ingredient."""
        found = {c for i in self.ingredients for c in i.classes}
        return tuple(c for c in DrugClass if c in found)

    @property
    def code(self) -> str:
        """How it is stored in medications.drug_class."""
        return ",".join(c.value for c in self.classes)

    @property
    def strength(self) -> str | None:
        """The strength the name gives, else the product's only one."""
        typed = strength_in(self.typed)
        if typed is not None:
            return typed
        return self.strengths[0] if len(self.strengths) == 1 else None

    @property
    def text(self) -> str:
        """ "Zapain → co-codamol: codeine (opioid) + paracetamol"; "paracetamol: no
        interaction listed"; "Zydol → tramadol: opioid"; or not recognised, with "ask"."""
        name = " ".join(self.typed.split())
        if not self.ingredients:
            guess = f" Did you mean {self.suggestion}?" if self.suggestion else ""
            return f"{name}: not recognised — {ASK}.{guess}"
        head = name
        shown = self.product or (self.ingredients[0].name if len(self.ingredients) == 1 else None)
        if shown and not _contains(name, shown):
            head = f"{name} → {shown}"
        if len(self.ingredients) == 1:
            only = self.ingredients[0]
            if only.classes:
                return f"{head}: {' + '.join(c.label for c in only.classes)}"
            if only.known:
                return f"{head}: {NO_INTERACTION_LISTED}"
            return f"{head}: not in diazlog's interaction table — {ASK}"
        body = " + ".join(i.text for i in self.ingredients)
        unknown = [i.name for i in self.ingredients if not i.known]
        tail = f" ({', '.join(unknown)}: {ASK})" if unknown else ""
        return f"{head}: {body}{tail}"

    @property
    def what(self) -> str:
        """The text without the typed name in front, for a table whose first column has the
        name already: "co-codamol: codeine (opioid) + paracetamol"."""
        name = " ".join(self.typed.split())
        return self.text[len(name) :].lstrip(" →:") if self.text.startswith(name) else self.text


def _contains(name: str, part: str) -> bool:
    """Whether `part`'s words stand in `name` ("Co-codamol 30/500" contains co-codamol)."""
    typed, key = words(name), words(part)
    return any(typed[i : i + len(key)] == key for i in range(len(typed)))


def from_tables(name: str) -> Resolution | None:
    """The shipped tables' answer, or None when they know no part of the name."""
    rows = table_rows_in(name)
    if not rows:
        return None
    found = products_in(name)
    product = found[0] if len(found) == 1 else None
    ingredients = tuple(
        Ingredient(row.name, () if row.drug_class is None else (row.drug_class,)) for row in rows
    )
    return Resolution(
        typed=name,
        ingredients=_merge(ingredients),
        product=product.product if product else None,
        via=Via.TABLE,
        strengths=product.strengths if product else (),
        unit=found[0].unit if found else None,
    )


def from_library(name: str, generics: tuple[str, ...], suggestion: str | None = None) -> Resolution:
    """The library's generics for `name`, each read through the tables for its class."""
    ingredients: list[Ingredient] = []
    product: str | None = None
    strengths: tuple[str, ...] = ()
    unit: str | None = None
    for generic in generics:
        known = from_tables(generic)
        if known is None:
            ingredients.append(Ingredient(generic, (), known=False))
            continue
        ingredients.extend(known.ingredients)
        if known.product:
            product, strengths, unit = known.product, known.strengths, known.unit
    if len(generics) == 1 and product is None and ingredients:
        product = generics[0]
    return Resolution(
        typed=name,
        ingredients=_merge(tuple(ingredients)),
        product=product if ingredients else None,
        via=Via.LIBRARY if ingredients else Via.NONE,
        suggestion=None if ingredients else suggestion,
        strengths=strengths,
        unit=unit,
    )


def _merge(ingredients: tuple[Ingredient, ...]) -> tuple[Ingredient, ...]:
    """Each ingredient once, its classes joined (a name row per class)."""
    merged: dict[str, Ingredient] = {}
    for item in ingredients:
        had = merged.get(item.name)
        if had is None:
            merged[item.name] = item
        else:
            classes = tuple(c for c in DrugClass if c in (*had.classes, *item.classes))
            merged[item.name] = Ingredient(item.name, classes, had.known and item.known)
    return tuple(merged.values())

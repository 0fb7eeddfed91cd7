"""The units a medicine is counted in, and a dose written in its unit ("2 tablets", "5 mg").

Two co-codamol tablets are "2 tablets", never "2 mg": every surface that shows a dose writes
it with `amount_text`, so the unit the medicine was set up with is the one the user reads.
Diazepam is always counted in mg (the label's doses and the app's limits are in mg).
"""

from __future__ import annotations

UNITS: tuple[str, ...] = ("mg", "tablet", "capsule", "ml", "patch", "puff")

# What people type for each unit; a unit outside UNITS is refused with the list.
_SYNONYMS = {
    "mg": "mg",
    "mgs": "mg",
    "milligram": "mg",
    "milligrams": "mg",
    "tablet": "tablet",
    "tablets": "tablet",
    "tab": "tablet",
    "tabs": "tablet",
    "pill": "tablet",
    "pills": "tablet",
    "caplet": "tablet",
    "caplets": "tablet",
    "capsule": "capsule",
    "capsules": "capsule",
    "cap": "capsule",
    "caps": "capsule",
    "ml": "ml",
    "mls": "ml",
    "millilitre": "ml",
    "millilitres": "ml",
    "milliliter": "ml",
    "milliliters": "ml",
    "patch": "patch",
    "patches": "patch",
    "puff": "puff",
    "puffs": "puff",
}
# Units counted in whole things take a plural; mg and ml do not.
_PLURALS = {"tablet": "tablets", "capsule": "capsules", "patch": "patches", "puff": "puffs"}


def unit_named(text: str) -> str | None:
    """The unit `text` names ("Tabs" -> "tablet"), None when it names none of UNITS."""
    return _SYNONYMS.get(" ".join((text or "").split()).casefold().rstrip("."))


def unit_word(amount: float, unit: str) -> str:
    """The unit as it reads after `amount`: "tablet" for 1, "tablets" for 2 or 0.5."""
    if amount == 1:
        return unit
    return _PLURALS.get(unit, unit)


def amount_text(amount: float, unit: str) -> str:
    """ "2 tablets", "1 tablet", "7.5 mg", "0.5 tablets": a dose in its unit."""
    return f"{amount:g} {unit_word(amount, unit)}".rstrip()

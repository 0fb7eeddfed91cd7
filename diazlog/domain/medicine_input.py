"""Parse the fields of the medicine and taper-step forms, with messages a user can act on."""

from __future__ import annotations

from diazlog.domain.validation import InvalidInput, refuse_control

NAME_MAX_CHARS = 60


def check_medicine_name(text: str) -> str:
    refuse_control(text, "The name")
    name = " ".join((text or "").split())
    if not name:
        raise InvalidInput("type the medicine's name")
    if len(name) > NAME_MAX_CHARS:
        raise InvalidInput(f"keep the name under {NAME_MAX_CHARS} characters")
    return name


def check_unit(text: str) -> str:
    """One of the units a medicine is counted in ("tabs" is tablet); mg when left blank."""
    from diazlog.domain.units import UNITS, unit_named

    refuse_control(text, "The unit")
    unit = unit_named(text or "mg")
    if unit is None:
        raise InvalidInput(f"one of {', '.join(UNITS)}")
    return unit


def looks_like_diazepam(name: str) -> bool:
    """Diazepam by its generic or best-known brand name."""
    lowered = name.lower()
    return "diazepam" in lowered or "valium" in lowered

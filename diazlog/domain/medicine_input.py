"""Parse the fields of the medicine and taper-step forms, with messages a user can act on."""

from __future__ import annotations

import re

from diazlog.domain.validation import InvalidInput, parse_time

NAME_MAX_CHARS = 60


def parse_times(text: str) -> tuple[str, ...]:
    """ "8:00, 20:00" or "08:00 20:00" -> ("08:00", "20:00"): sorted, each once."""
    parts = [p for p in re.split(r"[,;\s]+", text or "") if p]
    return tuple(sorted({parse_time(p) for p in parts}))


def check_medicine_name(text: str) -> str:
    name = " ".join((text or "").split())
    if not name:
        raise InvalidInput("type the medicine's name")
    if len(name) > NAME_MAX_CHARS:
        raise InvalidInput(f"keep the name under {NAME_MAX_CHARS} characters")
    return name


def check_unit(text: str) -> str:
    """One of the units a medicine is counted in ("tabs" is tablet); mg when left blank."""
    from diazlog.domain.units import UNITS, unit_named

    unit = unit_named(text or "mg")
    if unit is None:
        raise InvalidInput(f"one of {', '.join(UNITS)}")
    return unit


def looks_like_diazepam(name: str) -> bool:
    """Diazepam by its generic or best-known brand name."""
    lowered = name.lower()
    return "diazepam" in lowered or "valium" in lowered

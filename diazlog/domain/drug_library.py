"""Brand and generic names the shipped tables lack, through `drug-named-entity-recognition`.

The library (MIT; DrugBank, MeSH and NHS names) maps a brand to its generic ("Zydol" ->
tramadol) from a dictionary it ships, offline. It takes seconds to import, so it is imported
here, inside `look_up`, and only for a name the tables do not know (store.medicine_lookups
caches each answer in the diary, so it runs once per new name and never at start-up). Its
network options (PubChem, the OMOP API, structure downloads) stay off: they are off unless
asked for, and this module never asks.

A fuzzy match ("Tramadoll" -> tramadol) is returned as a suggestion only: the caller offers it
as "did you mean", never applies it; and only when it reads as a misspelling of the name
typed (domain.did_you_mean), since the library matches qualifiers too ("Ultra" -> Ultram).
"""

from __future__ import annotations

import re
import sys
import threading
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from diazlog.domain.did_you_mean import plausible

# Words in a typed name that are no part of a drug's name (strengths, units, forms).
_NOISE = frozenset(
    [
        "mg",
        "mcg",
        "ml",
        "g",
        "tablet",
        "tablets",
        "tab",
        "tabs",
        "capsule",
        "capsules",
        "caps",
        "patch",
        "patches",
        "puff",
        "puffs",
        "liquid",
        "syrup",
        "cream",
        "gel",
        "spray",
        "drops",
        "injection",
        "modified",
        "release",
        "mr",
        "sr",
        "xr",
        "er",
        "xl",
    ]
)


@dataclass(frozen=True)
class LibraryAnswer:
    """What the library made of a name: generics it knows the name as, or a guess."""

    generics: tuple[str, ...] = ()  # lower-case, in the order found ("tramadol",)
    suggestion: str | None = None  # a close spelling's generic, to offer ("co-codamol")


NOTHING = LibraryAnswer()


def _tokens(name: str) -> list[str]:
    """The words of `name` the library should see: hyphens kept ("co-codamol"), numbers,
    strengths and units dropped."""
    parts = re.findall(r"[^\s/,;()+&]+", name.replace("’", "'"))
    return [
        p.strip(".'\"")
        for p in parts
        if re.search(r"[^\W\d_]", p) and p.strip(".'\"").casefold() not in _NOISE
    ]


_IMPORTING = threading.Lock()


def _refuse(*_args: object, **_kwargs: object) -> Any:
    raise RuntimeError("diazlog makes no network calls")


def _find_drugs() -> Callable[..., list[Any]]:
    """The library's `find_drugs`, imported on first use.

    Its network options use `requests`, and importing `requests` imports urllib3, which opens
    an IPv6 socket to see whether the machine has IPv6. None of that is needed offline, so the
    library is imported with a `requests` that refuses every call in its place: no socket is
    opened, and a network option turned on by mistake fails instead of going out.
    """
    with _IMPORTING:
        stubbed = "requests" not in sys.modules
        if stubbed:
            stub = types.ModuleType("requests")
            stub.get = stub.post = stub.request = _refuse  # type: ignore[attr-defined]
            sys.modules["requests"] = stub
        try:
            from drug_named_entity_recognition import find_drugs  # ~2 s: only here
        finally:
            if stubbed and sys.modules.get("requests") is stub:
                del sys.modules["requests"]  # the library keeps its stub; nobody else sees it
    return find_drugs  # type: ignore[no-any-return]


def library_key(name: str) -> str:
    """What the library is asked, as one string: the key of the diary's cache of answers
    ("Zydol 50mg" and "zydol 100 mg" are one question)."""
    return " ".join(_tokens(name)).casefold()


def look_up(name: str) -> LibraryAnswer:
    """Ask the library about `name`: exact names first, a fuzzy guess only when none."""
    tokens = _tokens(name)
    if not tokens:
        return NOTHING
    find_drugs = _find_drugs()
    # The network options are named and off, so a change of the library's defaults can't
    # turn them on.
    offline = {"is_use_omop_api": False, "use_pub_chem_api": False, "is_include_structure": False}
    exact = find_drugs(tokens, is_ignore_case=True, **offline)
    generics: list[str] = []
    for data, _start, _end in exact:
        generic = str(data.get("name") or "").casefold()
        if generic and generic not in generics:
            generics.append(generic)
    if generics:
        return LibraryAnswer(tuple(generics))
    try:
        fuzzy = find_drugs(tokens, is_fuzzy_match=True, is_ignore_case=True, **offline)
    except Exception:  # noqa: BLE001 - 2.0.x can fail inside its two-word fuzzy pass
        fuzzy = [  # each word alone: its place in the name is its index, not the library's 0
            (match, i, i + 1)
            for i, token in enumerate(tokens)
            for match, _s, _e in _fuzzy_one(find_drugs, token, offline)
        ]
    best = max(
        (m for m, start, _e in fuzzy if _plausible(m, start)),
        key=lambda m: float(m.get("match_similarity") or 0),
        default=None,
    )
    if best is None or not best.get("name"):
        return NOTHING
    return LibraryAnswer(suggestion=str(best["name"]).casefold())


def _plausible(match: dict[str, Any], start: int) -> bool:
    """Whether a fuzzy match reads as a misspelling of the name the library matched it to
    (its `match_variant`, else its generic), on the typed name's first word."""
    typed = str(match.get("matching_string") or "")
    variant = str(match.get("match_variant") or match.get("name") or "")
    return plausible(typed, variant, first_word=start == 0)


def _fuzzy_one(
    find_drugs: Callable[..., list[Any]], token: str, offline: dict[str, bool]
) -> list[Any]:
    """One word's fuzzy matches, or none if the library fails on it too."""
    try:
        return list(find_drugs([token], is_fuzzy_match=True, is_ignore_case=True, **offline))
    except Exception:  # noqa: BLE001
        return []


def look_up_safely(name: str) -> LibraryAnswer | None:
    """`look_up`, or None when the library could not answer (not installed, or it failed on
    this name): the caller keeps nothing, shows the name as not recognised, and asks again
    another time. A diary entry is never lost to the library."""
    try:
        return look_up(name)
    except Exception:  # noqa: BLE001 - any failure of a third-party lookup means "no answer"
        return None

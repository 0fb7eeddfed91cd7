"""How medicine names are compared: lower-case words, matched phrase by phrase.

Shared by the class table (medicine_names) and the combination table (medicine_products), so
"Co-codamol 30/500" and "co-codamol" meet on the same words.
"""

from __future__ import annotations

import re


def words(text: str) -> tuple[str, ...]:
    """Lower-case words of a name: letters, digits and '#', '+' joined ("Tylenol #3")."""
    return tuple(re.findall(r"[#\w']+", text.casefold().replace("’", "'")))


def phrase_at(typed: tuple[str, ...], start: int, key: tuple[str, ...]) -> bool:
    """Whether the words `key` stand in `typed` from position `start`."""
    return bool(key) and typed[start : start + len(key)] == key

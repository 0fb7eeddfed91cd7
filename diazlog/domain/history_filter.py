"""The History filter: a few words typed into one box, parsed into what to look for.

Syntax (shown on screen):
    words            days whose notes contain every word (day note, rating notes, "worse with")
    "a phrase"       the phrase as typed
    leg_pain>=6      a symptom rating compared with a number (>=, >, <=, <, =)
    !  or  flag      days on which a red-flag rule fires
    2025  2025-03    days in that year, month (or one date)
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Collection
from dataclasses import dataclass

from diazlog.domain.validation import InvalidInput, parse_rating

OPERATORS = (">=", "<=", ">", "<", "=")
FLAG_WORDS = frozenset({"!", "flag", "flags", "flagged"})
_COMPARE = re.compile(r"^([a-z0-9_]+)(>=|<=|>|<|=)(.*)$", re.IGNORECASE)
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")  # ASCII digits, as everywhere
HINT = 'words: in notes · leg_pain>=6 · !: red flags · 2025-03: a month · "a phrase"'


@dataclass(frozen=True)
class SymptomTest:
    key: str
    op: str
    value: int

    def __str__(self) -> str:
        return f"{self.key}{self.op}{self.value}"


@dataclass(frozen=True)
class HistoryFilter:
    words: tuple[str, ...] = ()
    symptoms: tuple[SymptomTest, ...] = ()
    flagged: bool = False
    date_prefix: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.symptoms or self.flagged or self.date_prefix)


def _tokens(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unfinished quote while typing: treat quotes as letters
        return text.split()


def _symptom_key(name: str, keys: Collection[str]) -> str:
    lowered = name.lower()
    if lowered in keys:
        return lowered
    matches = sorted(k for k in keys if k.startswith(lowered) or k.endswith("_" + lowered))
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(sorted(keys))
    raise InvalidInput(f"no symptom '{name}': use one of {known}")


def parse_filter(text: str, symptom_keys: Collection[str]) -> HistoryFilter:
    """Parse the box; raise InvalidInput on a comparison that cannot mean anything."""
    words: list[str] = []
    tests: list[SymptomTest] = []
    flagged = False
    date_prefix = None
    for token in _tokens(text or ""):
        compare = _COMPARE.match(token)
        if token.lower() in FLAG_WORDS:
            flagged = True
        elif _DATE.match(token):
            date_prefix = token
        elif compare:
            key = _symptom_key(compare.group(1), symptom_keys)
            if not compare.group(3):
                raise InvalidInput(f"{token}: give a number from 0 to 10 after {compare.group(2)}")
            tests.append(SymptomTest(key, compare.group(2), parse_rating(compare.group(3))))
        else:
            words.append(token.lower())
    return HistoryFilter(tuple(words), tuple(tests), flagged, date_prefix)

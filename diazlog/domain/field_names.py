"""What `diazlog log NAME=VALUE` means by NAME: a symptom or a day field, found by a short name.

The rule (README "Command line"), case-insensitive, spaces, dashes and underscores alike:

1. an exact key or label ("leg_pain", "Leg pain");
2. else a unique start of a key or label ("water" -> water_glasses, "act" -> activity_min);
3. else a unique start of one word of a label ("pain" -> Leg pain, "weak" -> Leg weakness).

A step that matches more than one name stops there and lists them: guessing between two
symptoms would save a rating on the wrong one. So with your own "Calf pain", `pain` is
ambiguous and you type `leg_pain` or `calf`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from diazlog.domain.validation import InvalidInput


@dataclass(frozen=True)
class Name:
    """Something a NAME=VALUE can set: its key (symptom key or day column) and label."""

    key: str
    label: str
    is_symptom: bool


def _norm(text: str) -> str:
    return "_".join(w for w in re.split(r"[\s_\-]+", text.strip().lower()) if w)


def _words(label: str) -> list[str]:
    return _norm(label).split("_")


def resolve(typed: str, names: Iterable[Name]) -> Name:
    """The one name `typed` means, by the three steps above, or InvalidInput saying why not."""
    wanted = _norm(typed)
    choices = list(names)
    if not wanted:
        raise InvalidInput(f"'{typed}' names nothing: use e.g. leg_pain=6")
    steps = (
        lambda n: wanted in (n.key, _norm(n.label)),
        lambda n: n.key.startswith(wanted) or _norm(n.label).startswith(wanted),
        lambda n: "_" not in wanted and any(w.startswith(wanted) for w in _words(n.label)),
    )
    for matches in steps:
        found = [n for n in choices if matches(n)]
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(n.key for n in found)
            raise InvalidInput(f"'{typed}' could be {listed}: type more of the name")
    known = ", ".join(n.key for n in choices)
    raise InvalidInput(f"no symptom '{typed}': use one of {known}")

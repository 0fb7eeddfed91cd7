"""A first guess at a new symptom's kind from its name, which the user can always change.

The rules watch every symptom of a watched kind (pain, cramp or spasm, weakness, tension),
so a symptom named "calf tightness" left as "other" would slip past them. The guess reads
the words patients use (tight, knot, twitch, jerk, ache, burn, heavy, jelly, restless …) by
their stem, so "tightness", "twitchy" and "burning" count; the add-symptom dialog asks when
the name fits no kind, or more than one.
"""

from __future__ import annotations

import re

from diazlog.domain.models import SymptomKind

# Word stems (lower case) that say what a symptom is; a word counts when it starts with one.
# Ordered: on a tie the first kind is the guess ("painful cramps" is a cramp).
KIND_STEMS: tuple[tuple[SymptomKind, tuple[str, ...]], ...] = (
    (
        SymptomKind.CRAMP,
        ("cramp", "spasm", "twitch", "jerk", "jump", "charley", "clench", "contraction"),
    ),
    (
        SymptomKind.TENSION,
        ("tight", "tense", "tension", "stiff", "knot", "rigid", "taut", "restless", "jitter"),
    ),
    (
        SymptomKind.WEAKNESS,
        ("weak", "heavy", "heavi", "jelly", "wobbl", "buckl", "feeble", "floppy", "give way"),
    ),
    (
        SymptomKind.PAIN,
        (
            "pain",
            "ache",
            "aching",
            "sore",
            "burn",
            "sting",
            "stabb",
            "throb",
            "shoot",
            "sharp",
            "tender",
            "hurt",
        ),
    ),
    (
        SymptomKind.FATIGUE,
        ("fatigue", "tired", "exhaust", "drows", "sluggish", "worn out", "wiped"),
    ),
)


def kinds_in(name: str) -> tuple[SymptomKind, ...]:
    """Every kind whose words stand in the name, in KIND_STEMS order ("" when none)."""
    text = name.lower()
    words = re.findall(r"[a-z]+", text)
    # "headache", "backache": the ache is at the end of the word.
    words += ["ache" for word in words if word.endswith(("ache", "aches"))]
    found = []
    for kind, stems in KIND_STEMS:
        if any(
            (" " in stem and stem in text) or any(w.startswith(stem) for w in words)
            for stem in stems
        ):
            found.append(kind)
    return tuple(found)


def guess_kind(name: str) -> SymptomKind:
    """The kind a name's words point to ("Calf ache" -> pain), or other."""
    found = kinds_in(name)
    return found[0] if found else SymptomKind.OTHER


def is_clear(name: str) -> bool:
    """Whether the name fits exactly one kind; otherwise the dialog asks."""
    return len(kinds_in(name)) == 1

"""A first guess at a new symptom's kind from its name, which the user can always change.

The pain rules read every pain and cramp symptom, so a symptom named "calf ache" left as
"other" by default would slip past them; the add-symptom dialog starts from this guess.
"""

from __future__ import annotations

import re

from diazlog.domain.models import SymptomKind

# Words (lower case) that say what a symptom is; the first kind with a match wins.
KIND_WORDS: tuple[tuple[SymptomKind, frozenset[str]], ...] = (
    (
        SymptomKind.CRAMP,
        frozenset({"cramp", "cramps", "cramping", "spasm", "spasms", "twitch", "twitching"}),
    ),
    (
        SymptomKind.PAIN,
        frozenset({"pain", "pains", "painful", "ache", "aches", "aching", "sore", "soreness"}),
    ),
    (SymptomKind.WEAKNESS, frozenset({"weak", "weakness"})),
    (
        SymptomKind.FATIGUE,
        frozenset({"fatigue", "fatigued", "tired", "tiredness", "exhausted", "exhaustion"}),
    ),
)


def guess_kind(name: str) -> SymptomKind:
    """The kind a name's words point to ("Calf ache" -> pain), or other."""
    found = set(re.findall(r"[a-z]+", name.lower()))
    # "headache", "backache": the ache is in the word.
    found |= {"ache" for word in found if word.endswith(("ache", "aches"))}
    for kind, words in KIND_WORDS:
        if found & words:
            return kind
    return SymptomKind.OTHER

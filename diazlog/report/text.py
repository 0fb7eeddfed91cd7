"""Small text rules both renderers share: diary text cleaned, ISO dates made readable, and
the words for each flag level.

Kept apart from report.model so the one cleaner is easy to find (and to swap for a central
one): everything the report prints passes `clean` in the renderers.
"""

from __future__ import annotations

import re
import unicodedata

from diazlog.domain.questions import short_date

# How each level is named in brackets; a level this table does not know is shown by its code.
URGENCY = {
    "emergency": "EMERGENCY",
    "urgent": "URGENT",
    "today": "contact your doctor today",
    "ask": "ask your doctor",
}


_ISO_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def readable_dates(text: str) -> str:
    """ "2 units on 2026-11-30" -> "2 units on 30 Nov": dates as the rest of the report."""
    return _ISO_DAY.sub(lambda m: short_date(m.group(1)), text)


def urgency_words(code: str) -> str:
    return URGENCY.get(code, code)


# -- diary text -----------------------------------------------------------------------------

_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def clean(text: str) -> str:
    """Diary text is data: control characters (ESC, BEL, line breaks, C1, DEL) become a space
    and direction overrides go, so nothing typed or imported can steer a terminal, a PDF
    viewer or a Markdown table."""
    return "".join(
        " " if unicodedata.category(ch) == "Cc" else "" if ch in _BIDI else ch for ch in text
    )

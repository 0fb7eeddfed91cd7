"""Small text rules both renderers share: diary text cleaned, ISO dates made readable, and
the words for each flag level.

Kept apart from report.model so the one cleaner is easy to find (and to swap for a central
one): everything the report prints passes `clean` in the renderers.
"""

from __future__ import annotations

import re

from diazlog.domain.models import Level
from diazlog.domain.questions import short_date
from diazlog.domain.visible_text import one_line

_ISO_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def readable_dates(text: str) -> str:
    """ "2 units on 2026-11-30" -> "2 units on 30 Nov": dates as the rest of the report."""
    return _ISO_DAY.sub(lambda m: short_date(m.group(1)), text)


def urgency_words(code: str) -> str:
    """How a level is named in brackets (Level.label, as `flags` says it); an unknown code as is."""
    try:
        return Level[code.upper()].label
    except KeyError:
        return code


# -- diary text -----------------------------------------------------------------------------


def clean(text: str) -> str:
    """Diary text is data: control characters (ESC, BEL, line breaks, C1, DEL, direction
    overrides) are shown as visible escapes (`\\x1b`), as on every other surface, so nothing
    typed or imported can steer a terminal, a PDF viewer or a Markdown table."""
    return one_line(text)

"""The red flags of a range in one line per kind: the visit report's first lines.

A doctor reading page 1 needs "what, how often, how bad, when" before the day-by-day list:
one line per kind of flag (the rules engine's episode key: a rule, or a rule and the medicine
it names), its flagged days as compressed runs, and its worst value with every day that
reached it. Pure functions over the engine's per-day alerts, so a test can recompute them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from diazlog.domain.models import Alert

# Words that end a shared title prefix without meaning anything on their own
# ("Diazepam cut to 4 mg" / "Diazepam cut to 2 mg" -> "Diazepam cut").
_DANGLING = frozenset({"to", "for", "from", "with", "by", "on", "of", "in", "at", "a", "an"})
# A title that names another day than its own ("alcohol (2 units on 2026-11-30)" judged on
# 1 Dec) is about that day: the worst value is dated by it.
_ON_DAY = re.compile(r" on (\d{4}-\d{2}-\d{2})$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LIST_SEPARATOR = re.compile(r",\s*|\s+and\s+")


def severity_rank(alert: Alert) -> int:
    """How urgent a flag is, higher first; the one place the summary's order comes from: the
    engine's Level (emergency 4, urgent 3, contact the doctor today 2, ask at the visit 1)."""
    return int(alert.level)


@dataclass(frozen=True)
class WorstPart:
    """One wording of the worst value ("Cramps 8/10") and the days it was reached."""

    value: str
    dates: tuple[str, ...]


@dataclass(frozen=True)
class FlagKindLine:
    """One kind of red flag over the range."""

    key: str
    label: str  # what is common to every day's title ("Severe leg pain")
    rank: int  # severity_rank of its most urgent day
    severity_code: str  # that day's level name (emergency, urgent, ask ...)
    dates: tuple[str, ...]  # every flagged day, oldest first, each once
    worst: tuple[WorstPart, ...] = ()  # empty when every day reads the same
    # The days the flags are about, when they name other days than their own (a drink on
    # Monday flagged with Tuesday's dose): the drinking days, not the flagged days.
    about: tuple[str, ...] = ()
    seen: int = 0  # flagged days a doctor has seen (flag_reviews), for "3 seen by a doctor"

    @property
    def count(self) -> int:
        return len(self.dates)


def _base(title: str) -> str:
    """A title without its bracketed detail ("Severe leg pain (Cramps 8/10)": "Severe leg pain")."""
    return title.split(" (")[0].strip()


def common_label(titles: Sequence[str]) -> str:
    """The words every title starts with, without bracketed details or a dangling "to"."""
    bases = [_base(t).split() for t in titles]
    if not bases:
        return ""
    shared: list[str] = []
    for words in zip(*bases, strict=False):
        if any(w != words[0] for w in words):
            break
        shared.append(words[0])
    while len(shared) > 1 and shared[-1].lower() in _DANGLING:
        shared.pop()
    distinct = sorted({_base(t) for t in titles})
    if len(shared) == 1 and len(distinct) > 1:
        # "Severe leg pain" and "Severe cramps" share one word, which names nothing: name
        # every symptom once after it ("Severe cramps and leg pain").
        parts: list[str] = []
        for base in distinct:
            for part in _LIST_SEPARATOR.split(base[len(shared[0]) :].strip()):
                if part and part.lower() not in (p.lower() for p in parts):
                    parts.append(part)
        if parts:
            named = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
            return f"{shared[0]} {named}"
    return " ".join(shared) or _base(titles[0])


def value_part(title: str, label: str) -> str:
    """What a title says beyond the label: "Severe leg pain (Cramps 8/10)" -> "Cramps 8/10"."""
    rest = title[len(label) :].strip() if title.startswith(label) else title
    if rest.startswith("(") and rest.endswith(")") and rest.count("(") == 1:
        rest = rest[1:-1]
    return rest


def dated_value(alert: Alert, label: str) -> tuple[str, str]:
    """(what the day's title says beyond the label, the day it is about)."""
    value = value_part(alert.title, label)
    named = _ON_DAY.search(value)
    if named:
        return value[: named.start()], named.group(1)
    return value, alert.date


def _badness(alert: Alert, value: str) -> tuple[float, float, tuple[float, ...]]:
    """The engine's level, then its measure of how bad (a cut's fraction); the numbers of the
    wording break ties ("3 units" > "1 unit")."""
    return alert.level, alert.value, tuple(float(n) for n in _NUMBER.findall(value))


def _worst(alerts: Sequence[Alert], label: str) -> tuple[WorstPart, ...]:
    """Every wording that reached the worst, with all its days (not only the latest)."""
    valued = [(a, *dated_value(a, label)) for a in alerts]
    if len({value for _, value, _ in valued}) < 2:
        return ()  # every day reads the same: there is no "worst" to tell
    top = max(_badness(a, value) for a, value, _ in valued)
    days: dict[str, set[str]] = {}
    for alert, value, day in valued:
        if value and _badness(alert, value) == top:
            days.setdefault(value, set()).add(day)
    return tuple(
        WorstPart(value, tuple(sorted(found)))
        for value, found in sorted(days.items(), key=lambda kv: min(kv[1]))
    )


def summarize_flags(flags_by_day: Mapping[str, Sequence[Alert]]) -> list[FlagKindLine]:
    """One line per kind, most severe first; then the most days, then the label."""
    by_key: dict[str, list[Alert]] = {}
    for day in sorted(flags_by_day):
        for alert in flags_by_day[day]:
            by_key.setdefault(alert.key, []).append(replace(alert, date=alert.date or day))
    lines = []
    for key, alerts in by_key.items():
        label = common_label([a.title for a in alerts])
        top = max(alerts, key=severity_rank)
        dates = tuple(sorted({a.date for a in alerts}))
        about = tuple(sorted({dated_value(a, label)[1] for a in alerts}))
        lines.append(
            FlagKindLine(
                key,
                label,
                severity_rank(top),
                top.severity.code,
                dates,
                _worst(alerts, label),
                about if about != dates else (),
                len({a.date for a in alerts if a.seen_on}),
            )
        )
    return sorted(lines, key=lambda line: (-line.rank, -line.count, line.label))

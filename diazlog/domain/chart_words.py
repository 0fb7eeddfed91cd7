"""The plain-words line under each chart: every number with its n, and a verdict only when
the data can back it.

Moved out of screens/charts.py so the wording rules (limits.MIN_DAYS_TO_COMPARE days or
limits.MIN_ONSETS_PER_BIN onsets each side, limits.MEANINGFUL_CHANGE points apart before
"worst", "worse" or "better") are pure functions, tested without an app. The screen only
puts a symptom's name in front of these strings.
"""

from __future__ import annotations

from diazlog.domain import limits
from diazlog.domain.dose_changes import BeforeAfter
from diazlog.domain.numbers import count, not_enough, num, shown_change, signed
from diazlog.domain.trend_groups import DoseLag, GroupMean, Standout, Verdict, standout
from diazlog.domain.trends import Trend


def bins_text(groups: tuple[GroupMean, ...], unit: str = "") -> str:
    """Every bin that holds a value, with its mean and n: "15-18 h 5.1 (39) · 18-21 h 4.8 (33)"."""
    filled = [g for g in groups if g.count and g.mean is not None]
    if not filled:
        return "none"
    return " · ".join(f"{g.label}{unit} {num(g.mean or 0.0)} ({g.count})" for g in filled)


def standout_words(
    found: Standout,
    word: str,
    kind: str,
    at: str,
    rest: str,
    *,
    highest: str = "highest",
    need: str = "",
) -> str:
    """Name a group only when the data can back it (limits: n each side, 2 points apart).
    `need` says what is short when there is not enough ("needs 7 on one weekday"): the total
    alone (27 days) reads as plenty."""
    if found.verdict is Verdict.NOT_ENOUGH:
        return f"{highest}: {not_enough(found.total, word, need)}"
    if found.verdict is Verdict.NO_DIFFERENCE or found.group is None:
        return f"no {kind} stands out (under {limits.MEANINGFUL_CHANGE} points apart)"
    group = found.group
    return (
        f"{highest} {at} {group.label}: {num(group.mean or 0.0)} ({count(group.count, word)}) "
        f"against {num(found.rest_mean or 0.0)} {rest} ({count(found.rest_count, word)})"
    )


def needs_words(minimum: int, one_group: str) -> str:
    """What a comparison lacks: "· needs 7 on one weekday and 7 on the others"."""
    where = one_group.split()[0]
    return f"· needs {minimum} {one_group} and {minimum} {where} the others"


def lag_words(lag: DoseLag) -> str:
    """Around the dose: the mean of each hours-since-a-dose bin, then the verdict."""
    if not lag.count:
        return "no onset times after a dose"
    verdict = standout_words(
        lag.standout(),
        "onset",
        "bin",
        "at",
        "in the other bins",
        need=needs_words(limits.MIN_ONSETS_PER_BIN, "in one bin"),
    )
    beyond = f" · {lag.no_recent_dose} >24 h after a dose" if lag.no_recent_dose else ""
    return f"mean (onsets) by hours since a dose: {bins_text(lag.bins)}{beyond} · {verdict}"


def hour_words(hours: tuple[GroupMean, ...]) -> str:
    """Time of day: the mean of each 3-hour onset slot, then the worst slot if it stands out."""
    if not any(m.count for m in hours):
        return "no onset times"
    worst = standout(hours, limits.MIN_ONSETS_PER_BIN)
    verdict = standout_words(
        worst,
        "onset",
        "time of day",
        "at",
        "at other times",
        highest="worst time",
        need=needs_words(limits.MIN_ONSETS_PER_BIN, "in one 3-hour slot"),
    )
    return f"mean (onsets) by hour: {bins_text(hours, ' h')} · {verdict}"


def weekday_words(weekdays: tuple[GroupMean, ...]) -> str:
    """Weekday: the mean of each weekday, the worst day if it stands out, and then the best."""
    if not any(m.count for m in weekdays):
        return "by weekday: not logged"
    worst = standout(weekdays, limits.MIN_DAYS_TO_COMPARE)
    words = standout_words(
        worst,
        "day",
        "weekday",
        "on",
        "on other days",
        highest="worst day",
        need=needs_words(limits.MIN_DAYS_TO_COMPARE, "on one weekday"),
    )
    if worst.verdict is Verdict.FOUND:
        best = standout(weekdays, limits.MIN_DAYS_TO_COMPARE, highest=False)
        if best.verdict is Verdict.FOUND and best.group is not None:
            words += f", best {best.group.label} ({num(best.group.mean or 0.0)})"
    return f"mean (days) by weekday: {bins_text(weekdays)} · {words}"


def _side(mean: float | None, days: int) -> str:
    return f"{'–' if mean is None else num(mean)} ({count(days, 'day')})"


def before_after_words(ba: BeforeAfter) -> str:
    """ "3 (30 days) → 6 (30 days): +3, worse", or why it cannot be compared."""
    head = f"{_side(ba.before, ba.before_days)} → {_side(ba.after, ba.after_days)}"
    if not ba.comparable:
        side = "before" if ba.before_days <= ba.after_days else "after"
        return f"{head}: {not_enough(min(ba.before_days, ba.after_days), 'day', side)}"
    # The verdict weighs the exact change; the number shown is that of the means shown.
    change = shown_change(ba.before or 0.0, ba.after or 0.0)
    word = {Trend.UP: "worse", Trend.DOWN: "better"}.get(
        ba.trend, f"no real change (under {limits.MEANINGFUL_CHANGE} points)"
    )
    return f"{head}: {signed(change)}, {word}"

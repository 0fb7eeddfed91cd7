"""UTC offsets of dose times, so the two 01:30s of a clock-change night stay two doses.

Times are wall-clock "HH:MM" on the day they belong to; the offset ("+01:00") says which of
two equal wall times is meant. It comes from the local zone's rules (the system's, or $TZ).
"""

from __future__ import annotations

from datetime import date, datetime, time


def offset_text(moment: datetime) -> str:
    """ "+01:00" for an aware datetime (seconds of historic offsets are dropped)."""
    offset = moment.utcoffset()
    assert offset is not None, "offset_text needs an aware datetime"
    minutes = round(offset.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def local(moment: datetime) -> datetime:
    """`moment` (naive local wall time, `fold` as datetime.now() sets it) made aware."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def dose_offset(day: str, hhmm: str, now: datetime) -> str:
    """The offset of a dose logged today at `hhmm`, `now` being the moment of logging.

    A wall time the clocks pass twice (the night they go back) is the later of the two that
    is not after `now`: a dose is logged once it is taken.
    """
    wall = datetime.combine(date.fromisoformat(day), time.fromisoformat(hhmm))
    if now.tzinfo is not None:  # a fixed zone (tests, or a caller that knows it)
        return offset_text(wall.replace(tzinfo=now.tzinfo))
    here = local(now)
    candidates = sorted({local(wall.replace(fold=fold)) for fold in (0, 1)})
    taken = [c for c in candidates if c <= here]
    return offset_text(taken[-1] if taken else candidates[0])

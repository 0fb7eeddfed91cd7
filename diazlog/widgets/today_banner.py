"""Today's red-flag banner: the day's flags, unmissable, in the colour of the most urgent.

Its words come from `banner_text` (tested without an app); the colours are app.tcss's, one
class per level.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Static

from diazlog.domain.models import Alert, Level
from diazlog.widgets.plain import plain

# The banner's class for the most urgent fresh flag's level (colours in app.tcss).
BANNER_CLASSES = {
    Level.EMERGENCY: "-emergency",
    Level.URGENT: "-urgent",
    Level.TODAY: "-today",
    Level.ASK: "-doctor",
}


def banner_text(alerts: Sequence[Alert], *, markable: bool) -> str:
    """The banner's lines: the top level's own header, each unseen flag, each seen one, and
    the keys that answer them (`markable`: `!` has flags it can mark)."""
    fresh = [a for a in alerts if not a.seen_on]
    seen = [a for a in alerts if a.seen_on]
    top = fresh[0].level if fresh else None
    head = "✓ Seen by a doctor" if top is None else top.header
    if len(alerts) > 1:
        head += f"  ({len(alerts)} flags)"
    lines = [head] + [f"• {a.title}: {a.message}" for a in fresh]
    lines += [f"✓ {a.title} (seen by a doctor on {a.seen_on})" for a in seen]
    keys = []
    if any(a.rule == "severe_weakness" for a in fresh):
        keys.append("x ticks extreme weakness")
    if markable:
        keys.append("press ! once a doctor has seen these")
    if keys:
        lines.append("(" + " · ".join(keys) + ")")
    return "\n".join(lines)


class FlagBanner(Static):
    """The banner above the form; hidden while the day raises no flag."""

    def show_alerts(self, alerts: Sequence[Alert], *, markable: bool) -> None:
        self.display = bool(alerts)
        if not alerts:
            return
        fresh = [a for a in alerts if not a.seen_on]
        top = fresh[0].level if fresh else None
        for level, name in BANNER_CLASSES.items():
            self.set_class(top is level, name)
        self.set_class(top is None, "-seen")
        self.update(plain(banner_text(alerts, markable=markable)))

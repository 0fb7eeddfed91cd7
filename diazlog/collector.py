"""Python's cycle collector, paused while diazlog starts and resumed once it is on screen.

Starting the app builds tens of thousands of long-lived objects (Textual's classes, the
parsed CSS, the widgets). The collector's passes over them cost about 50 ms before the
first frame (counted with `gc.callbacks` on a 2-core machine: 120 young, 11 middle and one
full pass), all of it spent looking at objects that will live as long as the app does.
Reference counting frees everything else as usual while the collector is paused. On
resuming, what start-up built is frozen (`gc.freeze`): later passes, while the user types,
skip it too.
"""

from __future__ import annotations

import gc

_paused_by_us = False


def pause() -> None:
    """Pause the collector for start-up (the `diazlog` script's first step)."""
    global _paused_by_us
    if gc.isenabled():
        gc.disable()
        _paused_by_us = True


def resume() -> None:
    """Resume the collector if `pause` stopped it; a no-op otherwise (and when called
    again), so a caller that disabled the collector itself keeps it disabled."""
    global _paused_by_us
    if _paused_by_us:
        _paused_by_us = False
        gc.freeze()
        gc.enable()

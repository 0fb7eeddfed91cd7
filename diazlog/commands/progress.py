"""Progress output only for a person watching: never into a log file, a pipe or cron mail."""

from __future__ import annotations

import sys


def stderr_is_terminal() -> bool:
    """Whether stderr is a terminal (a function so tests can fix it)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False

"""What the bench scripts share: the median time of a job run many times."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(job: Callable[[], object], runs: int) -> float:
    """The median wall time of `runs` calls of `job`, in milliseconds (a median, not a mean:
    one call slowed by the machine moves it little)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000

"""The timing every benchmark here shares: the best of a few runs of one call.

Imported as `timing` (the benchmarks run as scripts, so their folder is on the path).
"""

from __future__ import annotations

import time
from collections.abc import Callable


def best(
    fn: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Returns the fastest of `repeat` calls of `fn`, in seconds of `clock` (wall time unless
    given, e.g. `time.process_time` for CPU seconds)."""
    fastest = float("inf")
    for _ in range(repeat):
        start = clock()
        fn()
        fastest = min(fastest, clock() - start)
    return fastest

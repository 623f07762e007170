"""Shared timing helper of the benchmark scripts (timing is never a test)."""

import time


def best_of(fn, repeats=3):
    """Run ``fn`` ``repeats`` times; return (best wall time in s, last result)."""
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out

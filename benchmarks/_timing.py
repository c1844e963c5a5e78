"""Timing helpers shared by the benchmarks: interleaved rounds, median of per-step times."""

from __future__ import annotations

import statistics
import time


def per_call_seconds(fn, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def compare(candidates: dict, calls: int, rounds: int = 7, warmup: int = 1) -> dict:
    """Median seconds per call of each candidate, measured in alternating rounds so that
    machine noise hits all of them alike."""
    for fn in candidates.values():
        for _ in range(warmup):
            per_call_seconds(fn, max(1, calls // 10))
    samples = {name: [] for name in candidates}
    for _ in range(rounds):
        for name, fn in candidates.items():
            samples[name].append(per_call_seconds(fn, calls))
    return {name: statistics.median(values) for name, values in samples.items()}

"""Redaction stays linear on the inputs that once made its patterns backtrack.

Each input of tests/guardrails/pathological.py is redacted at its size and at four times it;
the ratio of the two times is the figure (4 for linear time, 16 for quadratic). The baseline
of the same run is ``re.escape`` over the same two texts, one linear pass in C, for what a
growing text costs the machine (caches, allocation) whatever the algorithm.
"""

from __future__ import annotations

import gc
import re
import statistics
import time
from collections.abc import Callable

from jupyter_scriptforge.guardrails import redact
from tests.bench.report import emit
from tests.bench.targets import Target, assert_targets
from tests.guardrails.pathological import INPUTS

GROWTH = 4
REPEATS = 5


def best_of(work: Callable[[], object]) -> float:
    """The fastest of a few tries, the collector paused: the time the work needs, without
    the machine's noise."""
    times = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(REPEATS):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
    finally:
        gc.enable()
    return min(times)


def growth(work: Callable[[str], object], small: str, large: str) -> float:
    return best_of(lambda: work(large)) / best_of(lambda: work(small))


def test_redaction_time_grows_linearly_with_the_text():
    ratios, baselines = {}, []
    for case in INPUTS:
        small, large = case.text(), case.text(GROWTH)
        ratios[repr(case.prefix + case.unit)[:30]] = growth(redact, small, large)
        baselines.append(growth(re.escape, small, large))

    worst = max(ratios, key=ratios.__getitem__)
    emit(
        "redaction_growth",
        inputs=len(INPUTS),
        growth=GROWTH,
        median_ratio=round(statistics.median(ratios.values()), 2),
        worst_ratio=round(ratios[worst], 2),
        worst_input=worst,
        baseline_median_ratio=round(statistics.median(baselines), 2),
        target=f"time at {GROWTH}x the size <= 2 x {GROWTH} (quadratic: {GROWTH**2})",
    )
    assert_targets(
        "redaction_growth",
        Target("worst input, time at 4x its size over time at its size", ratios[worst], 8, "x"),
    )

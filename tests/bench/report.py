"""One JSON line per benchmark, with each figure and its ratio to the baseline of the same run."""

import json
import statistics


def percentile(samples: list[float], q: int) -> float:
    """The q-th percentile (1-99) of the samples."""
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def emit(benchmark: str, **figures: object) -> None:
    print(json.dumps({"benchmark": benchmark, **figures}, sort_keys=False), flush=True)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)

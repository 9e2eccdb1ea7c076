"""The project's one percentile: nearest rank, for a call's own figures, `stats` and `bench/`.

Nearest rank: the q-th percentile of n samples is the smallest sample with at least q% of the
samples at or below it, i.e. the sample of rank ceil(q/100 * n) (at least 1) in sorted order.
It is always a measured value (never interpolated between two), so p50 of an even number of
samples is the lower of the two middle ones, and p100 is the maximum.

This module imports nothing of the project, so every layer can use it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["percentile"]


def percentile(values: Iterable[float], q: float) -> float:
    """Nearest-rank `q`-th percentile (0 < q <= 100) of `values`, in any order.

    Raises:
        ValueError: when `values` is empty or `q` is outside (0, 100].
    """
    if not 0 < q <= 100:
        raise ValueError(f"percentile {q} is outside (0, 100]")
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no samples")
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]

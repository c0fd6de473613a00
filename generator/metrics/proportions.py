"""Proportions with Wilson score intervals (two-sided for display, one-sided for gates).

    wilson(1, 1000)                      -> (0.00018, 0.00564)  95% two-sided
    bound(1, 1000, 0.95, upper=True)     -> 0.00447...           one-sided 95% upper bound
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist


def _z(confidence: float, two_sided: bool) -> float:
    tail = (1 - confidence) / 2 if two_sided else 1 - confidence
    return NormalDist().inv_cdf(1 - tail)


def wilson(k: int, n: int, confidence: float = 0.95, two_sided: bool = True) -> tuple[float, float]:
    if n <= 0:
        return (math.nan, math.nan)
    z = _z(confidence, two_sided)
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def bound(k: int, n: int, confidence: float, *, upper: bool) -> float:
    """One-sided Wilson bound: the rate is at most (upper) or at least (lower) this, with confidence."""
    low, high = wilson(k, n, confidence, two_sided=False)
    return high if upper else low


@dataclass(frozen=True)
class Proportion:
    k: int
    n: int

    @property
    def value(self) -> float | None:
        return self.k / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.k, self.n) if self.n else None

    def as_dict(self) -> dict:
        value, interval = self.value, self.interval
        return {"count": self.k, "of": self.n, "rate": None if value is None else round(value, 6),
                "ci95": None if interval is None else [round(interval[0], 6), round(interval[1], 6)]}

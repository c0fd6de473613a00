"""Gwet's AC1 (nominal) and AC2 (weighted) for any number of raters, with missing ratings.

From the item x category count matrix C (agreement.count_matrix), with q categories, a
q x q weight matrix w (1 on the diagonal, the credit a pair of categories gets) and, for
item i, r_i = its ratings and r*_ik = sum_l w_kl r_il (Gwet, Handbook of Inter-Rater
Reliability, 4th ed., 2014, chapter 4, the multiple-rater case with missing ratings):

- observed agreement p_a: the mean, over the items with two or more ratings, of
  sum_k r_ik (r*_ik - 1) / (r_i (r_i - 1));
- chance agreement p_e = T_w / (q (q - 1)) x sum_k pi_k (1 - pi_k), T_w the sum of the
  weights and pi_k = the mean over the items with one or more ratings of r_ik / r_i;
- AC = (p_a - p_e) / (1 - p_e): AC1 with identity weights, AC2 with others.

q is the number of categories given (the columns of C): the categories the data uses,
as irrCAC counts them by default. The weights are irrCAC's (Gwet's R package and its
Python port): ordinal on the categories' ranks, linear, quadratic and ratio on their values.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

# The weights that go with each level of measurement, as Krippendorff's alpha reads it:
# ordinal counts the categories between two values, interval their squared difference.
LEVEL_WEIGHTS = {"nominal": "identity", "ordinal": "ordinal", "interval": "quadratic", "ratio": "ratio"}


def weights(kind: str, values: Sequence[float] | None = None, q: int | None = None) -> np.ndarray:
    """Gwet's q x q agreement weights. values: the categories' numbers (linear, quadratic,
    ratio); ordinal weights use only their order, identity only their count."""
    if values is not None:
        v = np.asarray(values, dtype=np.float64)
        q = len(v)
    if q is None:
        raise ValueError("weights need the categories' values or their number")
    if kind == "identity":
        return np.eye(q)
    if kind == "ordinal":
        rank = np.argsort(np.argsort(v, kind="stable"), kind="stable") if values is not None else np.arange(q)
        steps = np.abs(rank[:, None] - rank[None, :]) + 1.0
        between = steps * (steps - 1) / 2  # pairs of categories spanned
        return 1 - between / between.max() if between.max() > 0 else np.ones((q, q))
    if values is None:
        raise ValueError(f"{kind} weights need the categories' values")
    spread = v.max() - v.min()
    if spread == 0:
        return np.ones((q, q))
    if kind == "linear":
        return 1 - np.abs(v[:, None] - v[None, :]) / spread
    if kind == "quadratic":
        return 1 - ((v[:, None] - v[None, :]) / spread) ** 2
    if kind == "ratio":
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.nan_to_num(((v[:, None] - v[None, :]) / (v[:, None] + v[None, :])) ** 2, nan=0.0)
            scale = (spread / (v.max() + v.min())) ** 2
        return 1 - ratio / scale
    raise ValueError(f"unknown weights {kind}")


def item_agreement(counts: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    """Per item, sum_k r_ik (r*_ik - 1) / (r_i (r_i - 1)); 0 for items with fewer than two
    ratings. With identity weights it is the share of agreeing rater pairs."""
    m = counts.sum(axis=1)
    weighted = counts if w is None else counts @ w.T
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (counts * (weighted - 1)).sum(axis=1) / (m * (m - 1))
    return np.where(m >= 2, share, 0.0)


def chance(pi: np.ndarray, w: np.ndarray | None, q: int) -> np.ndarray:
    """p_e from category propensities pi (..., q). NaN when q < 2 (no chance to disagree)."""
    total = float(q) if w is None else float(w.sum())
    if q < 2:
        return np.full(pi.shape[:-1], np.nan)
    return total * (pi * (1 - pi)).sum(axis=-1) / (q * (q - 1))


def ac(counts: np.ndarray, w: np.ndarray | None = None, multiplicity: np.ndarray | None = None) -> float | None:
    """Gwet's AC1 (w None or identity) or AC2 of the count matrix; None when no item has two
    ratings or the chance agreement is 1. multiplicity: the items each row stands for."""
    m = counts.sum(axis=1)
    pairable = m >= 2
    if not pairable.any():
        return None
    rated = m >= 1
    if multiplicity is None:
        pa = item_agreement(counts, w)[pairable].mean()
        pi = (counts[rated] / m[rated, None]).mean(axis=0)
    else:
        times = np.asarray(multiplicity, dtype=np.float64)
        pa = (item_agreement(counts, w) * times)[pairable].sum() / times[pairable].sum()
        pi = (counts[rated] / m[rated, None] * times[rated, None]).sum(axis=0) / times[rated].sum()
    pe = chance(pi, w, counts.shape[1])
    return finite_ratio(pa, pe)


def finite_ratio(pa, pe):
    """(pa - pe) / (1 - pe), NaN -> None for scalars; arrays keep NaN where pe is 1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (pa - pe) / (1 - pe)
    if np.ndim(value) == 0:
        return float(value) if np.isfinite(value) and not np.isclose(pe, 1) else None
    return np.where(np.isclose(pe, 1), np.nan, value)

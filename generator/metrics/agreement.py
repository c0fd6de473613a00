"""Inter-rater agreement from ratings coded as integers, vectorized over items.

Everything starts from the item x category count matrix C (C[i, c] = how many raters
gave item i category c); no Python loop runs over items.

    ratings (item, label)          C                 per item
    (0, a) (0, a) (0, b)    ->     item 0: a=2 b=1   m=3, agreeing pairs 2 of 6
    (1, b) (1, b)                  item 1: b=2       m=2, agreeing pairs 2 of 2

- percent agreement: mean over items with two or more ratings of the share of agreeing
  rater pairs (two raters: the share of items with the same label);
- Fleiss' kappa (1971): (P - Pe) / (1 - Pe), P the mean of the items' pair agreement,
  Pe the sum of squared category shares; items may have different numbers of raters;
- Cohen's kappa: exactly two raters, on the items both rated; weighted kappa (Cohen 1968)
  on numeric scores, linear or quadratic in their distance;
- Krippendorff's alpha: 1 - Do / De from the coincidence matrix, items with a single
  rating left out as unpairable (his treatment of missing values), with the nominal,
  ordinal, interval, ratio (or, for label sets, MASI) distance;
- Gwet's AC1 (gwet.py): percent agreement corrected by Gwet's chance agreement, from the
  category shares averaged over the items; at the ordinal, interval and ratio levels also
  his weighted AC2. Label sets count as categories, equal when the sets are equal.

Items with the same counts have the same figures, so every function takes an optional
`multiplicity`: the rows of C are then distinct patterns of counts, each standing for that
many items (compute.py groups the items so; large.py has DuckDB do it). Without it, each
row is one item.

Bootstrap intervals of every figure are intervals.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from . import gwet

LEVELS = ("nominal", "ordinal", "interval", "ratio")


@dataclass
class Coefficients:
    items: int  # items with two or more ratings: the ones agreement is measured on
    raters: int
    ratings: int  # ratings on those items
    percent_agreement: float | None = None
    cohen_kappa: float | None = None
    fleiss_kappa: float | None = None
    krippendorff_alpha: float | None = None
    gwet_ac1: float | None = None
    gwet_ac2: float | None = None  # weighted, at the ordinal, interval and ratio levels only
    gwet_weights: str | None = None  # the AC2 weights: ordinal, quadratic or ratio
    notes: list[str] = field(default_factory=list)  # why a coefficient is not computable
    # Bootstrap replicates of each coefficient (intervals.py), NaN where a resample leaves
    # it undefined; empty when no interval was computed.
    replicates: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def interval(self, name: str, confidence: float) -> tuple[float, float] | None:
        """The two-sided percentile bootstrap interval of a coefficient at this confidence."""
        tail = (1 - confidence) / 2
        low, high = self._quantiles(name, (tail, 1 - tail))
        return None if low is None or high is None else (low, high)

    def bound(self, name: str, confidence: float, *, upper: bool) -> float | None:
        """The one-sided bound: the coefficient is at most (upper) or at least this, with
        this confidence: the confidence (upper) or 1 - confidence percentile."""
        return self._quantiles(name, (confidence if upper else 1 - confidence,))[0]

    def _quantiles(self, name: str, shares: tuple[float, ...]) -> list[float | None]:
        values = self.replicates.get(name)
        if values is None or getattr(self, name) is None:
            return [None] * len(shares)
        defined = values[np.isfinite(values)]
        if not len(defined):
            return [None] * len(shares)
        return [float(x) for x in np.quantile(defined, shares)]

    def undefined_resamples(self, name: str) -> int:
        values = self.replicates.get(name)
        return 0 if values is None else int((~np.isfinite(values)).sum())

    def as_dict(self, confidence: float | None = None) -> dict:
        out: dict[str, Any] = {"items": self.items, "raters": self.raters, "ratings": self.ratings,
               "percent_agreement": _round(self.percent_agreement), "cohen_kappa": _round(self.cohen_kappa),
               "fleiss_kappa": _round(self.fleiss_kappa), "krippendorff_alpha": _round(self.krippendorff_alpha),
               "gwet_ac1": _round(self.gwet_ac1)}
        if self.gwet_weights is not None:
            out["gwet_ac2"] = _round(self.gwet_ac2)
            out["gwet_weights"] = self.gwet_weights
        if confidence is not None:
            out["intervals"] = {name: _pair(self.interval(name, confidence)) for name in COEFFICIENTS
                                if name in self.replicates}
        out["notes"] = list(self.notes)
        return out


# The coefficients a Coefficients holds, in report order.
COEFFICIENTS = ("percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1", "gwet_ac2")


def _pair(bounds: tuple[float, float] | None) -> list[float | None] | None:
    return None if bounds is None else [_round(bounds[0]), _round(bounds[1])]


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def overall_and_per_label(overall: float | None, per_label: dict[str, float | None]) -> dict:
    """A figure for JSON output: overall and per label, rounded."""
    return {"overall": _round(overall), "per_label": {k: _round(v) for k, v in per_label.items()}}


def count_matrix(item: np.ndarray, label: np.ndarray, n_items: int, n_categories: int) -> np.ndarray:
    """C[i, c]: the number of ratings of item i with category c."""
    flat = np.bincount(item.astype(np.int64) * n_categories + label, minlength=n_items * n_categories)
    return flat.reshape(n_items, n_categories).astype(np.float64)


def _group_sum(values: np.ndarray, groups: np.ndarray | None, n_groups: int,
               multiplicity: np.ndarray | None = None) -> np.ndarray:
    if multiplicity is not None:
        values = values * (multiplicity if values.ndim == 1 else multiplicity[:, None])
    if groups is None:
        return np.atleast_1d(values.sum(axis=0))[None, ...] if values.ndim > 1 else np.array([values.sum()])
    if values.ndim == 1:
        return np.bincount(groups, weights=values, minlength=n_groups)
    return np.stack([np.bincount(groups, weights=values[:, k], minlength=n_groups) for k in range(values.shape[1])],
                    axis=1)


def nominal(counts: np.ndarray, groups: np.ndarray | None = None, n_groups: int = 1,
            multiplicity: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Percent agreement, Fleiss' kappa and nominal alpha per group of items (one group if None).

    Returns arrays of length n_groups (NaN where not computable) and the item counts.
    """
    m = counts.sum(axis=1)
    pairable = m >= 2
    c = counts[pairable]
    mp = m[pairable]
    g = None if groups is None else groups[pairable]
    w = None if multiplicity is None else np.asarray(multiplicity, dtype=np.float64)[pairable]
    same_pairs = (c * (c - 1)).sum(axis=1)  # ordered pairs of raters that agree
    share = same_pairs / (mp * (mp - 1))
    n_items = _group_sum(np.ones_like(mp), g, n_groups, w).ravel()
    n_values = _group_sum(mp, g, n_groups, w).ravel()
    totals = _group_sum(c, g, n_groups, w).reshape(n_groups, -1)  # per group x category
    with np.errstate(divide="ignore", invalid="ignore"):
        agreement = _group_sum(share, g, n_groups, w).ravel() / n_items
        shares = totals / n_values[:, None]
        expected = (shares ** 2).sum(axis=1)
        fleiss = (agreement - expected) / (1 - expected)
        observed_same = _group_sum(same_pairs / (mp - 1), g, n_groups, w).ravel()
        disagreement = n_values - observed_same
        chance = n_values ** 2 - (totals ** 2).sum(axis=1)
        alpha = 1 - (n_values - 1) * disagreement / chance
    fleiss[np.isclose(expected, 1)] = np.nan
    alpha[np.isclose(chance, 0)] = np.nan
    # Gwet's chance agreement averages the category shares over every rated item, single
    # ratings included (with identity weights his p_a is the percent agreement).
    rated = m >= 1
    g_rated = None if groups is None else groups[rated]
    w_rated = None if multiplicity is None else np.asarray(multiplicity, dtype=np.float64)[rated]
    n_rated = _group_sum(np.ones(int(rated.sum())), g_rated, n_groups, w_rated).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        propensity = _group_sum(counts[rated] / m[rated, None], g_rated, n_groups, w_rated).reshape(n_groups, -1) \
            / n_rated[:, None]
        ac1 = gwet.finite_ratio(agreement, gwet.chance(propensity, None, counts.shape[1]))
    return {"items": n_items, "values": n_values, "percent_agreement": agreement, "fleiss_kappa": fleiss,
            "krippendorff_alpha": alpha, "gwet_ac1": ac1}


def from_stats(stats: dict[str, np.ndarray], raters: int, g: int = 0) -> Coefficients:
    """The coefficients of group g of nominal()'s figures (Cohen's kappa left to the caller)."""
    return Coefficients(items=int(stats["items"][g]), raters=raters, ratings=int(stats["values"][g]),
                        percent_agreement=_finite(stats["percent_agreement"][g]),
                        fleiss_kappa=_finite(stats["fleiss_kappa"][g]),
                        krippendorff_alpha=_finite(stats["krippendorff_alpha"][g]),
                        gwet_ac1=_finite(stats["gwet_ac1"][g]))


def coincidences(counts: np.ndarray, multiplicity: np.ndarray | None = None) -> np.ndarray:
    """Krippendorff's coincidence matrix o[c, k] over the pairable items."""
    m = counts.sum(axis=1)
    c = counts[m >= 2]
    w = 1.0 / (m[m >= 2] - 1)
    if multiplicity is not None:
        w = w * np.asarray(multiplicity, dtype=np.float64)[m >= 2]
    return (c * w[:, None]).T @ c - np.diag((c * w[:, None]).sum(axis=0))


def distance_matrix(level: str, values: Sequence[float] | None, totals: np.ndarray,
                    sets: Sequence[frozenset] | None = None) -> np.ndarray:
    """delta[c, k] for Krippendorff's metrics. values: numbers (interval, ratio) or ranks
    (ordinal) of the categories; totals: n_c, the pairable values per category."""
    k = len(totals)
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "masi":
        assert sets is not None
        delta: np.ndarray = np.zeros((k, k))
        for a in range(k):
            for b in range(k):
                delta[a, b] = masi_distance(sets[a], sets[b])
        return delta
    v = np.asarray(values, dtype=np.float64)
    if level == "interval":
        return (v[:, None] - v[None, :]) ** 2
    if level == "ratio":
        total = v[:, None] + v[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            delta = ((v[:, None] - v[None, :]) / total) ** 2
        return np.nan_to_num(delta, nan=0.0)
    if level == "ordinal":
        order = np.argsort(v, kind="stable")
        n = totals[order]
        cum = np.concatenate([[0.0], np.cumsum(n)])
        lo, hi = np.minimum.outer(np.arange(k), np.arange(k)), np.maximum.outer(np.arange(k), np.arange(k))
        between = cum[hi + 1] - cum[lo]  # n_lo + ... + n_hi
        ranked = (between - (n[lo] + n[hi]) / 2) ** 2
        delta = np.empty_like(ranked)
        delta[np.ix_(order, order)] = ranked
        return delta
    raise ValueError(f"unknown level {level}")


def masi_distance(a: frozenset, b: frozenset) -> float:
    """Passonneau's MASI distance between two label sets: 1 - Jaccard x monotonicity."""
    if a == b:
        return 0.0
    union = len(a | b)
    common = len(a & b)
    if common == 0:
        return 1.0
    monotonicity = 2 / 3 if (a <= b or b <= a) else 1 / 3
    return 1.0 - (common / union) * monotonicity


def alpha(counts: np.ndarray, level: str = "nominal", values: Sequence[float] | None = None,
          sets: Sequence[frozenset] | None = None, multiplicity: np.ndarray | None = None) -> float | None:
    """Krippendorff's alpha at any level from the count matrix."""
    o = coincidences(counts, multiplicity)
    totals = o.sum(axis=1)
    n = totals.sum()
    if n < 2:
        return None
    delta = distance_matrix(level, values, totals, sets)
    observed = (o * delta).sum()
    expected = (np.outer(totals, totals) * delta).sum()
    if np.isclose(expected, 0):
        return None
    return float(1 - (n - 1) * observed / expected)


def cohen(first: np.ndarray, second: np.ndarray, n_categories: int) -> float | None:
    """Cohen's kappa for two raters' labels (category codes) on the same items."""
    table = np.bincount(first * n_categories + second, minlength=n_categories ** 2).reshape(n_categories, -1)
    return cohen_table(table)


def cohen_table(table: np.ndarray) -> float | None:
    """Cohen's kappa from the two raters' table: t[c, k] = items rater 0 gave c and rater 1 k."""
    n = table.sum()
    if n == 0:
        return None
    observed = np.trace(table) / n
    expected = (table.sum(axis=1) * table.sum(axis=0)).sum() / n ** 2
    if np.isclose(expected, 1):
        return None
    return float((observed - expected) / (1 - expected))


WEIGHTS = ("linear", "quadratic")


def weighted_kappa(first: np.ndarray, second: np.ndarray, weights: str = "linear") -> float | None:
    """Cohen's (1968) weighted kappa of two raters' numeric scores on the same items.

    The disagreement weight of a pair of scores is their distance, |a - b| (linear) or
    (a - b)^2 (quadratic); kappa_w = 1 - observed / expected, observed the mean weight of
    the pairs given and expected its mean over every pairing of a score of the first rater
    with a score of the second (the raters' margins, independent). Weights on the scores
    themselves equal weights on category ranks when every score between the lowest and
    the highest is used (as scikit-learn's cohen_kappa_score counts them); a score nobody
    gave still counts as a step between its neighbours. None when no item was scored by
    both, or when the expected disagreement is 0 (both gave one and the same score).
    """
    if weights not in WEIGHTS:
        raise ValueError(f"unknown weights {weights}")
    a = np.asarray(first, dtype=np.float64)
    b = np.asarray(second, dtype=np.float64)
    n = len(a)
    if n == 0:
        return None
    values, codes = np.unique(np.concatenate([a, b]), return_inverse=True)
    first_margin = np.bincount(codes[:n], minlength=len(values))
    second_margin = np.bincount(codes[n:], minlength=len(values))
    power = 1 if weights == "linear" else 2
    distance = np.abs(values[:, None] - values[None, :]) ** power
    observed = float((np.abs(a - b) ** power).mean())
    expected = float(first_margin @ distance @ second_margin) / n ** 2
    if np.isclose(expected, 0):
        return None
    return 1.0 - observed / expected


def pair_table(counts: np.ndarray, multiplicity: np.ndarray | None = None) -> np.ndarray:
    """Rater confusion: t[c, k] = unordered pairs of ratings of one item with labels c and k."""
    m = counts.sum(axis=1)
    c = counts[m >= 2]
    w = np.ones(len(c)) if multiplicity is None else np.asarray(multiplicity, dtype=np.float64)[m >= 2]
    table = c.T @ (c * w[:, None])
    np.fill_diagonal(table, ((c * (c - 1)) / 2 * w[:, None]).sum(axis=0))
    return table


def two_rater_codes(item: np.ndarray, rater: np.ndarray, label: np.ndarray,
                    n_items: int) -> tuple[np.ndarray, np.ndarray]:
    """Per item, the label of rater 0 and of rater 1 (-1 where that rater gave none)."""
    first = np.full(n_items, -1, dtype=np.int64)
    second = np.full(n_items, -1, dtype=np.int64)
    first[item[rater == 0]] = label[rater == 0]
    second[item[rater == 1]] = label[rater == 1]
    return first, second


def two_rater_labels(item: np.ndarray, rater: np.ndarray, label: np.ndarray, n_items: int):
    """Labels of rater 0 and rater 1 on the items both rated (exclusive labels)."""
    first, second = two_rater_codes(item, rater, label, n_items)
    both = (first >= 0) & (second >= 0)
    return first[both], second[both]


def coefficients(counts: np.ndarray, *, raters: int, level: str = "nominal",
                 values: Sequence[float] | None = None, sets: Sequence[frozenset] | None = None,
                 two_raters: tuple[np.ndarray, np.ndarray] | None = None, multiplicity: np.ndarray | None = None,
                 rater_table: np.ndarray | None = None) -> Coefficients:
    """Every coefficient for one set of items (or patterns of items, with their multiplicity).
    Cohen's kappa: from the two raters' labels on the items both rated, or their table
    (cohen_table's)."""
    stats = nominal(counts, multiplicity=multiplicity)
    m = counts.sum(axis=1)
    w = np.ones(len(m)) if multiplicity is None else np.asarray(multiplicity, dtype=np.float64)
    result = Coefficients(items=int(stats["items"][0]), raters=raters, ratings=int((m * w)[m >= 2].sum()))
    if result.items == 0:
        result.notes.append("not computable: no item has two or more ratings"
                            + (" (only one rater)" if raters < 2 else ""))
        return result
    result.percent_agreement = _finite(stats["percent_agreement"][0])
    result.fleiss_kappa = _finite(stats["fleiss_kappa"][0])
    if level == "nominal" and sets is None:
        result.krippendorff_alpha = _finite(stats["krippendorff_alpha"][0])
    else:
        result.krippendorff_alpha = alpha(counts, level, values, sets, multiplicity)
    result.gwet_ac1 = _finite(stats["gwet_ac1"][0])
    if level in gwet.LEVEL_WEIGHTS and level != "nominal" and sets is None:
        result.gwet_weights = gwet.LEVEL_WEIGHTS[level]
        result.gwet_ac2 = gwet.ac(counts, gwet.weights(result.gwet_weights, values), multiplicity)
    if result.fleiss_kappa is None or result.krippendorff_alpha is None:
        result.notes.append("kappa and alpha are not computable when every rating has the same label")
    if raters == 2 and rater_table is not None:
        result.cohen_kappa = cohen_table(rater_table)
    elif raters == 2 and two_raters is not None:
        result.cohen_kappa = cohen(two_raters[0], two_raters[1], counts.shape[1])
    elif raters != 2:
        result.notes.append(f"Cohen's kappa needs exactly two raters; this data has {raters}")
    return result


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None

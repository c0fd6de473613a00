"""Bootstrap confidence intervals of the agreement coefficients.

The items are resampled with replacement (Efron's nonparametric bootstrap): each resample
draws as many items as the export has, every coefficient of every scope (overall, per
label, per slice) is recomputed on it, and the interval is the percentile interval of the
resamples (two-sided at `confidence`; a criterion's one-sided bound at confidence c is the
1 - c percentile for a lower bound, the c percentile for an upper one). The same data,
number of resamples and seed give the same bytes.

Krippendorff's alpha is resampled by items too. Hayes & Krippendorff (2007, the KALPHA
macro; Krippendorff's "Algorithm for bootstrapping a distribution of alpha") draw pairs
of values from the coincidence matrix and hold the expected disagreement fixed; the pairs
of one item are not independent of each other, so that distribution is too narrow (Gwet,
2015; Hughes, 2022, measured its coverage). Drawing items keeps each item's ratings
together, lets the expected disagreement vary as it does between samples, and gives every
coefficient the same resamples.

Why it is fast: every coefficient is a function of sums over the items of per-item
figures (counts per category, the share of agreeing pairs, ...). A resample is a vector of
counts, how often each item was drawn, so the sums of a block of resamples are one
matrix product (resamples x items) @ (items x figures); no resample is built as data. And
items whose figures are the same in every scope (the same ratings, slice values and
raters' labels) are drawn as one pattern, which makes the product far smaller.

Drawing patterns instead of items (bootstrap_patterns, what `labelbook agreement` and the
quality report use): a resample of n items drawn with replacement from n items draws item
i some number of times; summed over the items of each pattern, those numbers follow the
multinomial distribution of n draws with the patterns' shares (multiplicity / n), so one
multinomial draw per resample gives exactly the pattern counts drawing items would, at a
cost that depends on the number of patterns only (a few hundred for 6 labels and 3 ratings
per item, be there ten thousand items or ten million). The patterns of the slices refine
those of the whole: given how many items of a pattern a resample drew, how they split among
the pattern's slice values is again multinomial. Each slice column's split has its own
random stream, seeded by the seed and the column's name, so asking for a slice (or another)
leaves the overall and the other slices' intervals alone, as drawing items did.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # ships no type hints

from . import gwet
from .agreement import Coefficients

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 2007  # any fixed number: the same data gives the same intervals
DEFAULT_CONFIDENCE = 0.95
# Resample x item draws held at once (8 bytes each): 32 MB whatever the export's size.
CELLS_PER_BLOCK = 4_000_000


@dataclass(frozen=True)
class Settings:
    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED
    confidence: float = DEFAULT_CONFIDENCE

    def as_dict(self, unit: str = "items") -> dict:
        """unit: what is resampled, e.g. "items", "pairs", "documents (items), their tokens together"."""
        return {"method": f"percentile bootstrap, {unit} resampled with replacement", "confidence": self.confidence,
                "resamples": self.resamples, "seed": self.seed}


@dataclass
class Scope:
    """One set of coefficients to bootstrap (overall, a label against the rest, a slice value)."""

    coefficients: Coefficients  # its point values; the replicates are written here
    counts: np.ndarray  # the scope's items x categories (agreement.count_matrix)
    items: np.ndarray | None = None  # the scope's rows among the resampled items (None: all, in order)
    codes: tuple[np.ndarray, np.ndarray] | None = None  # per item, rater 0's and 1's category, -1 for none
    level: str = "nominal"  # alpha's: nominal, ordinal (distance from the totals), or a fixed distance
    delta: np.ndarray | None = None  # alpha's distance matrix at a fixed-distance level
    values: np.ndarray | None = None  # the categories' ranks or numbers, for ordinal alpha
    weights: np.ndarray | None = None  # AC2's weights (None: no AC2)
    # Cohen's kappa weighted by this disagreement between categories (Cohen 1968: 1 -
    # observed / expected, as agreement.weighted_kappa); None: unweighted. Needs codes.
    kappa_distance: np.ndarray | None = None


def with_values(point: Coefficients, **values: float | None) -> Coefficients:
    """A scope's coefficients: point's counts with these values (the figures to resample) and
    replicates of its own (dataclasses.replace alone would share point's dict among scopes)."""
    out = replace(point, replicates={})
    for name, value in values.items():
        setattr(out, name, value)
    return out


def bootstrap(scopes: list[Scope], n_items: int, settings: Settings = Settings(),
              key: np.ndarray | None = None) -> None:
    """Fill each scope's coefficients.replicates, for the coefficients it has a value of,
    drawing item numbers one by one (the scheme bootstrap_patterns equals in distribution,
    and is tested against).

    key: per item, numbers that determine its figures in every scope (its counts, its two
    raters' labels, its slice values); items with the same key are summed as one pattern.
    None: the figures themselves are compared."""
    if n_items == 0 or settings.resamples <= 0 or not scopes:
        return
    if n_items >= 2 ** 31:
        raise ValueError(f"{n_items:,} items: the bootstrap draws item numbers as 32-bit integers")
    # Items alike in every scope are summed as one pattern: a resample's sums need only how
    # often it drew some item of each pattern, a product with far fewer rows.
    if key is None:
        key, _ = stacked_features(scopes, n_items, np.arange(n_items))
    rows = np.ascontiguousarray(key).view(np.dtype((np.void, key.itemsize * key.shape[1]))).ravel()
    _, first, pattern_of = np.unique(rows, return_index=True, return_inverse=True)
    patterns, layouts = stacked_features(scopes, n_items, first)
    pattern_of = pattern_of.ravel()
    n_patterns = len(first)
    rng = np.random.default_rng(settings.seed)
    block = max(1, min(settings.resamples, CELLS_PER_BLOCK // n_items))
    sums = np.empty((settings.resamples, patterns.shape[1]))
    # The products are small: a second BLAS thread gains little, and on a busy machine
    # (tests or builds running side by side) threads waiting for each other make them ten
    # times slower. One thread also sums in one order, whatever the machine's cores.
    with threadpool_limits(limits=1, user_api="blas"):
        for start in range(0, settings.resamples, block):
            b = min(block, settings.resamples - start)
            # The items themselves are drawn (not the patterns), so the resamples are the same
            # whatever scopes are asked for: a slice asked for leaves the overall interval alone.
            picked = pattern_of[rng.integers(0, n_items, size=(b, n_items), dtype=np.int32)]
            picked += (np.arange(b, dtype=np.int64) * n_patterns)[:, None]
            drawn = np.bincount(picked.ravel(), minlength=b * n_patterns).reshape(b, n_patterns)
            np.matmul(drawn.astype(np.float64), patterns, out=sums[start:start + b])
    for scope, (columns, layout) in zip(scopes, layouts):
        for name, values in figures(sums[:, columns], layout, scope).items():
            if getattr(scope.coefficients, name) is not None:
                scope.coefficients.replicates[name] = values


@dataclass
class Refinement:
    """The patterns of one slice column: each one a pattern of the whole (parent) with one
    value of the column, standing for `multiplicity` items."""

    column: str
    parent: np.ndarray  # per refined pattern, its pattern of the whole; sorted
    multiplicity: np.ndarray
    scopes: list[Scope]  # the column's scopes; their items index the refined patterns


def bootstrap_patterns(scopes: list[Scope], multiplicity: np.ndarray, settings: Settings = Settings(),
                       refinements: tuple[Refinement, ...] = ()) -> None:
    """Fill each scope's coefficients.replicates, resampling items given as patterns: the
    scopes' counts are patterns (rows), standing for `multiplicity` items each (see the
    module's notes). The scopes of a slice column are in its Refinement."""
    times = np.asarray(multiplicity, dtype=np.int64)
    n_items = int(times.sum())
    if n_items == 0 or settings.resamples <= 0:
        return
    n_patterns = len(times)
    features, layouts = stacked_features(scopes, n_patterns, np.arange(n_patterns))
    refined = []
    for refinement in refinements:
        n_refined = len(refinement.parent)
        stacked = stacked_features(refinement.scopes, n_refined, np.arange(n_refined))
        refined.append((refinement, stacked, _splitting(refinement.parent, refinement.multiplicity, times),
                        np.random.default_rng([settings.seed, zlib.crc32(refinement.column.encode())])))
    sums = np.empty((settings.resamples, features.shape[1]))
    refined_sums = [np.empty((settings.resamples, stacked[0].shape[1])) for _, stacked, _, _ in refined]
    with threadpool_limits(limits=1, user_api="blas"):  # as bootstrap's
        for start, drawn in _multinomial_draws(times, settings):
            b = len(drawn)
            np.matmul(drawn.astype(np.float64), features, out=sums[start:start + b])
            for (refinement, stacked, split, stream), out in zip(refined, refined_sums):
                # A column's refined patterns may be many more: as many of its rows at once
                # as the cells allow (a number that depends on that column alone).
                rows = max(1, CELLS_PER_BLOCK // max(len(refinement.parent), 1))
                for at in range(0, b, rows):
                    part = drawn[at:at + rows]
                    np.matmul(_split(part, refinement.parent, split, stream), stacked[0],
                              out=out[start + at:start + at + len(part)])
    _write(scopes, layouts, sums)
    for (refinement, stacked, _, _), out in zip(refined, refined_sums):
        _write(refinement.scopes, stacked[1], out)


def _multinomial_draws(times: np.ndarray, settings: Settings) -> Iterator[tuple[int, np.ndarray]]:
    """The resamples in blocks: (the first resample's number, per resample of the block how
    many items of each pattern it drew), a pattern standing for `times` items; one
    multinomial draw per resample (see the module's notes), from the seed's stream."""
    n_items = int(times.sum())
    shares = times / n_items
    rng = np.random.default_rng(settings.seed)
    block = max(1, min(settings.resamples, CELLS_PER_BLOCK // len(times)))
    for start in range(0, settings.resamples, block):
        yield start, rng.multinomial(n_items, shares, size=min(block, settings.resamples - start))


def bootstrap_units(scopes: list[Scope], n_units: int, settings: Settings = Settings(),
                    clusters: np.ndarray | None = None, key: np.ndarray | None = None) -> None:
    """Fill each scope's coefficients.replicates, resampling units given one by one (the
    scopes' counts are units; a scope's items index them), or, with clusters (per unit, its
    cluster's code, 0 to the number of clusters - 1, every code used), resampling whole
    clusters: the units of one cluster (the tokens of one document) are drawn together, the
    cluster being the independent unit. Units or clusters with the same figures are drawn
    as one pattern, as bootstrap_patterns draws them, with the same seed scheme.

    key (without clusters): per unit, numbers that determine its figures in every scope
    (e.g. its counts and raters' categories); units with the same key are one pattern, and
    only one unit of each pattern has its figures computed (memory and time follow the
    patterns). None: the figures themselves are compared."""
    if n_units == 0 or settings.resamples <= 0 or not scopes:
        return
    if clusters is None and key is not None:
        first, pattern_of = _patterns(key)
        patterns, layouts = stacked_features(scopes, n_units, first)
    else:
        features, layouts = (stacked_features(scopes, n_units, np.arange(n_units)) if clusters is None else
                             _cluster_features(scopes, n_units, clusters))
        first, pattern_of = _patterns(features)
        patterns = features[first]
    times = np.bincount(pattern_of, minlength=len(first))
    sums = np.empty((settings.resamples, patterns.shape[1]))
    with threadpool_limits(limits=1, user_api="blas"):  # as bootstrap's
        for start, drawn in _multinomial_draws(times, settings):
            np.matmul(drawn.astype(np.float64), patterns, out=sums[start:start + len(drawn)])
    _write(scopes, layouts, sums)


def _patterns(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows: the first row of each, and each row's pattern."""
    data = np.ascontiguousarray(rows)
    as_bytes = data.view(np.dtype((np.void, data.itemsize * data.shape[1]))).ravel()
    _, first, pattern_of = np.unique(as_bytes, return_index=True, return_inverse=True)
    return first, pattern_of.ravel()


def _cluster_features(scopes: list[Scope], n_units: int,
                      clusters: np.ndarray) -> tuple[np.ndarray, list[tuple[slice, dict[str, slice]]]]:
    """Per cluster, the sum of its units' features: every coefficient is a function of sums
    over the units, so a cluster enters a resample as the sum of its units. The units are
    taken a block at a time, so memory follows the clusters, not the units."""
    n_clusters = int(clusters.max()) + 1
    first, layouts = stacked_features(scopes, n_units, np.arange(min(n_units, 1)))
    width = first.shape[1]
    out = np.zeros((n_clusters, width))
    step = max(1, CELLS_PER_BLOCK // max(width, 1))
    for start in range(0, n_units, step):
        rows = np.arange(start, min(n_units, start + step))
        features, _ = stacked_features(scopes, n_units, rows)
        order = np.argsort(clusters[rows], kind="stable")
        sorted_clusters = clusters[rows][order]
        starts = np.flatnonzero(np.r_[True, sorted_clusters[1:] != sorted_clusters[:-1]])
        out[sorted_clusters[starts]] += np.add.reduceat(features[order], starts, axis=0)
    return out, layouts


@dataclass
class Bootstrapped:
    """Named figures (their values on the data) with their bootstrap replicates, NaN where a
    resample leaves a figure undefined: the intervals and bounds of figures that are not an
    agreement.Coefficients' (a rating criterion's, a preference export's)."""

    points: dict[str, float | None]
    replicates: dict[str, np.ndarray]

    def interval(self, name: str, confidence: float) -> tuple[float, float] | None:
        """The two-sided percentile interval at this confidence."""
        tail = (1 - confidence) / 2
        low, high = self._quantiles(name, (tail, 1 - tail))
        return None if low is None or high is None else (low, high)

    def bound(self, name: str, confidence: float, *, upper: bool) -> float | None:
        """The one-sided bound: the confidence (upper) or 1 - confidence percentile."""
        return self._quantiles(name, (confidence if upper else 1 - confidence,))[0]

    def undefined_resamples(self, name: str) -> int:
        values = self.replicates.get(name)
        return 0 if values is None else int((~np.isfinite(values)).sum())

    def intervals(self, confidence: float) -> dict[str, list[float | None] | None]:
        """Each figure's interval, rounded as the reports round figures, for JSON output."""
        out: dict[str, list[float | None] | None] = {}
        for name in self.replicates:
            bounds = self.interval(name, confidence)
            out[name] = None if bounds is None else [round(bounds[0], 6), round(bounds[1], 6)]
        return out

    def _quantiles(self, name: str, shares: tuple[float, ...]) -> list[float | None]:
        values = self.replicates.get(name)
        if values is None or self.points.get(name) is None:
            return [None] * len(shares)
        defined = values[np.isfinite(values)]
        if not len(defined):
            return [None] * len(shares)
        return [float(x) for x in np.quantile(defined, shares)]


def mean_of(figures: list[Bootstrapped], name: str) -> Bootstrapped:
    """The mean of a figure over several sets of it whose value is defined (the criteria of a
    rating export), resample by resample: valid when all were drawn from the same resamples
    (the same units, e.g. the export's items); a resample leaving one undefined leaves the
    mean undefined."""
    defined = [(value, f.replicates[name]) for f in figures
               if (value := f.points.get(name)) is not None and name in f.replicates]
    if not defined:
        return Bootstrapped({name: None}, {})
    return Bootstrapped({name: sum(value for value, _ in defined) / len(defined)},
                        {name: np.mean([replicates for _, replicates in defined], axis=0)})


def _splitting(parent: np.ndarray, multiplicity: np.ndarray,
               times: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """How _split divides each pattern's draws among its refined patterns, in steps: step r
    handles the r-th refined pattern of every pattern at once. Per step: the refined
    patterns, whether each is its pattern's last (it takes what is left) and its share of
    what its pattern has left (the conditional binomial of a multinomial draw)."""
    starts = np.flatnonzero(np.r_[True, parent[1:] != parent[:-1]]) if len(parent) else np.zeros(0, np.int64)
    first = np.repeat(starts, np.diff(np.r_[starts, len(parent)]))
    rank = np.arange(len(parent)) - first  # each refined pattern's place among its pattern's
    last = np.r_[parent[1:] != parent[:-1], True] if len(parent) else np.zeros(0, bool)
    left = times[parent].astype(np.float64) - (np.cumsum(multiplicity) - multiplicity
                                                - (np.cumsum(multiplicity) - multiplicity)[first])
    steps = []
    for r in range(int(rank.max()) + 1 if len(rank) else 0):
        mine = np.flatnonzero(rank == r)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(left[mine] > 0, multiplicity[mine] / left[mine], 0.0)
        steps.append((mine, last[mine], np.clip(share, 0.0, 1.0)))
    return steps


def _split(drawn: np.ndarray, parent: np.ndarray, steps: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
           stream: np.random.Generator) -> np.ndarray:
    """Each resample's draws of every pattern divided among its refined patterns: given n
    draws of a pattern, its refined patterns' draws are multinomial with their shares, drawn
    as a binomial per refined pattern of what the earlier ones left."""
    parts = np.zeros((len(drawn), len(parent)))
    given = np.zeros(drawn.shape, dtype=np.int64)  # per pattern: given to its refined patterns so far
    for mine, last, share in steps:
        still = drawn[:, parent[mine]] - given[:, parent[mine]]
        took = still  # a pattern's last refined pattern takes what is left
        if not last.all():
            took = still.copy()
            took[:, ~last] = stream.binomial(still[:, ~last], share[~last])
        parts[:, mine] = took
        given[:, parent[mine]] += took
    return parts


def _write(scopes: list[Scope], layouts: list[tuple[slice, dict[str, slice]]], sums: np.ndarray) -> None:
    for scope, (columns, layout) in zip(scopes, layouts):
        for name, values in figures(sums[:, columns], layout, scope).items():
            if getattr(scope.coefficients, name) is not None:
                scope.coefficients.replicates[name] = values


def stacked_features(scopes: list[Scope], n_items: int,
                     rows: np.ndarray) -> tuple[np.ndarray, list[tuple[slice, dict[str, slice]]]]:
    """Every scope's per-item figures side by side for the given items (zero where an item is
    not in the scope), so that one product per block of resamples sums them all."""
    built = []
    for scope in scopes:
        if scope.items is None:
            inside, mine = np.ones(len(rows), bool), rows
        else:
            position = np.full(n_items, -1, dtype=np.int64)
            position[scope.items] = np.arange(len(scope.items))
            inside = position[rows] >= 0
            mine = position[rows][inside]
        codes = None if scope.codes is None else (scope.codes[0][mine], scope.codes[1][mine])
        built.append((inside, *item_features(replace(scope, counts=scope.counts[mine], codes=codes, items=None))))
    width = sum(f.shape[1] for _, f, _ in built)
    stacked = np.zeros((len(rows), width))
    layouts = []
    at = 0
    for inside, f, layout in built:
        columns = slice(at, at + f.shape[1])
        stacked[inside, columns] = f
        layouts.append((columns, layout))
        at += f.shape[1]
    return stacked, layouts


def item_features(s: Scope) -> tuple[np.ndarray, dict[str, slice]]:
    """The per-item figures whose sums make the coefficients: columns, and where each is."""
    c = s.counts
    n, q = c.shape
    m = c.sum(axis=1)
    pairable = (m >= 2).astype(np.float64)
    rated = (m >= 1).astype(np.float64)
    per_value = pairable / np.where(m >= 2, m - 1, 1)  # each item's pairs weigh 1 / (m - 1) (Krippendorff)
    same = (c * (c - 1)).sum(axis=1)
    blocks: dict[str, np.ndarray] = {
        "pairable": pairable,
        "share": same * per_value / np.where(m >= 1, m, 1),  # the share of agreeing pairs
        "same": same * per_value,
        "rated": rated,
        "totals": c * pairable[:, None],
        "propensity": c * (rated / np.where(m >= 1, m, 1))[:, None],
    }
    if s.weights is not None:
        blocks["weighted"] = gwet.item_agreement(c, s.weights)
    if s.level == "ordinal":
        blocks["coincidence"] = ((c[:, :, None] * c[:, None, :]) * per_value[:, None, None]).reshape(n, q * q)
    elif s.level != "nominal":
        assert s.delta is not None
        blocks["disagreement"] = np.einsum("ik,kl,il->i", c, s.delta, c) * per_value
    if s.codes is not None:
        first, second = s.codes
        both = (first >= 0) & (second >= 0)
        blocks["both"] = both.astype(np.float64)
        blocks["agree"] = (both & (first == second)).astype(np.float64)
        blocks["first"] = _one_hot(np.where(both, first, -1), q)
        blocks["second"] = _one_hot(np.where(both, second, -1), q)
        if s.kappa_distance is not None:
            blocks["distance"] = np.where(both, s.kappa_distance[np.maximum(first, 0), np.maximum(second, 0)], 0.0)
    layout: dict[str, slice] = {}
    columns = []
    at = 0
    for name, block in blocks.items():
        block = block.reshape(n, int(np.prod(block.shape[1:])))  # also when the scope has no row here
        layout[name] = slice(at, at + block.shape[1])
        at += block.shape[1]
        columns.append(block)
    return np.hstack(columns), layout


def _one_hot(codes: np.ndarray, q: int) -> np.ndarray:
    out = np.zeros((len(codes), q))
    known = codes >= 0
    out[np.flatnonzero(known), codes[known]] = 1
    return out


def figures(sums: np.ndarray, layout: dict[str, slice], s: Scope) -> dict[str, np.ndarray]:
    """Every coefficient of each row of sums (one row per resample); NaN where undefined,
    by the same rules as agreement.py and gwet.py."""
    def part(name: str) -> np.ndarray:
        block = sums[:, layout[name]]
        return block[:, 0] if block.shape[1] == 1 else block

    q = s.counts.shape[1]
    out: dict[str, np.ndarray] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        pairable = part("pairable")
        percent = part("share") / pairable
        totals = part("totals").reshape(len(sums), q)
        values = totals.sum(axis=1)
        expected = ((totals / values[:, None]) ** 2).sum(axis=1)
        fleiss = (percent - expected) / (1 - expected)
        out["percent_agreement"] = percent
        out["fleiss_kappa"] = np.where(np.isclose(expected, 1), np.nan, fleiss)
        if s.level == "nominal":
            chance = values ** 2 - (totals ** 2).sum(axis=1)
            alpha = 1 - (values - 1) * (values - part("same")) / chance
        else:
            if s.level == "ordinal":
                assert s.values is not None
                delta = ordinal_distances(totals, s.values)
                observed = (part("coincidence").reshape(-1, q, q) * delta).sum(axis=(1, 2))
            else:
                assert s.delta is not None
                delta = np.broadcast_to(s.delta, (len(sums), q, q))
                observed = part("disagreement")
            chance = np.einsum("bk,bkl,bl->b", totals, delta, totals)
            alpha = 1 - (values - 1) * observed / chance
        out["krippendorff_alpha"] = np.where(np.isclose(chance, 0) | (values < 2), np.nan, alpha)
        propensity = part("propensity").reshape(len(sums), q) / part("rated")[:, None]
        out["gwet_ac1"] = gwet.finite_ratio(percent, gwet.chance(propensity, None, q))
        if s.weights is not None:
            out["gwet_ac2"] = gwet.finite_ratio(part("weighted") / pairable, gwet.chance(propensity, s.weights, q))
        if s.codes is not None:
            n = part("both")
            first = part("first").reshape(len(sums), q)
            second = part("second").reshape(len(sums), q)
            if s.kappa_distance is None:
                chance_pairs = (first * second).sum(axis=1) / n ** 2
                kappa = (part("agree") / n - chance_pairs) / (1 - chance_pairs)
                out["cohen_kappa"] = np.where(np.isclose(chance_pairs, 1) | (n == 0), np.nan, kappa)
            else:
                expected = np.einsum("bk,kl,bl->b", first, s.kappa_distance, second) / n ** 2
                kappa = 1 - (part("distance") / n) / expected
                out["cohen_kappa"] = np.where(np.isclose(expected, 0) | (n == 0), np.nan, kappa)
    return {name: np.asarray(v, dtype=np.float64) for name, v in out.items()}


def ordinal_distances(totals: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Krippendorff's ordinal distance matrix of each row of category totals (b x q x q),
    as agreement.distance_matrix computes it for one."""
    b, q = totals.shape
    order = np.argsort(values, kind="stable")
    n = totals[:, order]
    cum = np.concatenate([np.zeros((b, 1)), np.cumsum(n, axis=1)], axis=1)
    lo, hi = np.minimum.outer(np.arange(q), np.arange(q)), np.maximum.outer(np.arange(q), np.arange(q))
    ranked = (cum[:, hi + 1] - cum[:, lo] - (n[:, lo] + n[:, hi]) / 2) ** 2
    delta = np.empty_like(ranked)
    delta[:, order[:, None], order[None, :]] = ranked
    return delta


def point_figures(s: Scope) -> dict[str, np.ndarray]:
    """The coefficients of the data itself, every item drawn once: the bootstrap's starting
    point, equal to the coefficients agreement.py computes (a check of the algebra above)."""
    features, layout = item_features(s)
    n = len(s.counts)
    weights = np.ones((1, n))
    return figures(weights @ features, layout, s)

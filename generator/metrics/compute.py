"""Agreement figures of one export: overall, per label (one-vs-rest), per slice, with the
rater confusion table and the most disputed items, and a bootstrap interval of every
coefficient (intervals.py). Used by `labelbook agreement` and by the guideline's quality
report.

The items are grouped into patterns first (Patterns): every coefficient of every scope is
computed on the distinct patterns weighted by their multiplicity, the one code path for
exports held in memory (item_patterns) and for those DuckDB groups (large.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import agreement as ag
from . import gwet
from .intervals import Refinement, Scope, Settings, bootstrap_patterns, bootstrap_units
from .read import DataError, Ratings, objects

DISPUTED_SHOWN = 10


@dataclass
class AgreementReport:
    level: str
    overall: ag.Coefficients
    labels: list[str]  # the label ids, in report order
    per_label: dict[str, ag.Coefficients]
    per_slice: dict[str, dict[str, ag.Coefficients]]  # column -> value -> coefficients
    confusion: np.ndarray  # labels x labels: unordered pairs of ratings of one item
    confusion_labels: list[str]
    disputed: list[dict] = field(default_factory=list)
    intervals: Settings | None = None  # how the intervals were computed (None: no intervals)

    def as_dict(self) -> dict:
        confidence = None if self.intervals is None else self.intervals.confidence
        out = self.overall.as_dict(confidence)
        out["level"] = self.level
        if self.intervals is not None:
            out["bootstrap"] = self.intervals.as_dict()
        out["per_label"] = {label: c.as_dict(confidence) for label, c in self.per_label.items()}
        out["per_slice"] = {col: {v: c.as_dict(confidence) for v, c in values.items()}
                            for col, values in self.per_slice.items()}
        out["confusion"] = {"labels": self.confusion_labels,
                            "pairs": [[int(x) for x in row] for row in self.confusion]}
        out["disputed"] = self.disputed
        return out


def numeric_values(categories: list[str], level: str, order: list[str] | None = None) -> list[float] | None:
    """The value of each category for ordinal, interval and ratio alpha."""
    if level == "nominal":
        return None
    try:
        return [float(c) for c in categories]
    except ValueError:
        pass
    if level == "ordinal" and order:
        rank = {label: i for i, label in enumerate(order)}
        unknown = [c for c in categories if c not in rank]
        if not unknown:
            return [float(rank[c]) for c in categories]
    bad = next(c for c in categories if not _is_number(c))
    raise DataError(f"label '{bad}' is not a number: the {level} level needs numeric labels"
                    + (" or labels of the taxonomy in order" if level == "ordinal" else ""),
                    "use --level nominal for categories")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def membership(r: Ratings, labels: list[str]) -> np.ndarray:
    """M[c, l] = 1 when category c holds label l."""
    return _membership(r.sets, labels)


def item_groups(r: Ratings, column: str, first_rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Each item's value of a slice column (its first rating's), coded; missing is '(none)'."""
    values = r.frame[column].iloc[first_rows].fillna("(none)")
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64), [str(u) for u in uniques]


@dataclass
class Patterns:
    """The items grouped by what makes their figures: every coefficient depends on an item
    only through its counts per category (and, with two raters, the two raters' labels), so
    the items with the same of both are one pattern, standing for `multiplicity` items. The
    slices refine the patterns: per slice column, a pattern of the whole with one value."""

    counts: np.ndarray  # patterns x categories, sorted by (counts, codes)
    multiplicity: np.ndarray  # items per pattern
    codes: tuple[np.ndarray, np.ndarray] | None = None  # two raters: per pattern rater 0's, 1's category (-1: none)
    slices: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]] = field(default_factory=dict)
    # column -> (the pattern of the whole, the value's code, the multiplicity, the value names), per refined pattern


def group_patterns(key: np.ndarray, times: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct rows of key (sorted), each row's pattern and each pattern's multiplicity
    (the sum of times over its rows; 1 per row when None)."""
    rows, inverse = _unique_rows(key)
    weights = None if times is None else np.asarray(times, dtype=np.float64)
    multiplicity = np.bincount(inverse, weights=weights, minlength=len(rows)).astype(np.int64)
    return rows, inverse, multiplicity


def _unique_rows(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(key, axis=0, return_inverse=True), sorted the same way (by the first column,
    then the next, ...): the rows as one number each when they fit in 62 bits (the usual
    case: a 1-D sort is many times faster than numpy's sort of rows), else by rows."""
    key = np.asarray(key, dtype=np.int64)
    if len(key) and key.shape[1]:
        low = key.min(axis=0)
        sizes = key.max(axis=0) - low + 1
        if float(np.prod(sizes.astype(np.float64))) < 2.0 ** 62:
            scale = np.cumprod(np.r_[sizes[1:], 1][::-1])[::-1]  # first column most significant
            _, first, inverse = np.unique((key - low) @ scale, return_index=True, return_inverse=True)
            return key[first], inverse.ravel()
    rows, inverse = np.unique(key, axis=0, return_inverse=True)
    return rows, inverse.ravel()


def refine(pattern_of: np.ndarray, values: np.ndarray, n_values: int,
           times: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A slice column's patterns: (pattern, value) pairs, sorted, with their multiplicity."""
    joint = pattern_of.astype(np.int64) * n_values + values
    pairs, inverse = np.unique(joint, return_inverse=True)
    weights = None if times is None else np.asarray(times, dtype=np.float64)
    multiplicity = np.bincount(inverse.ravel(), weights=weights, minlength=len(pairs)).astype(np.int64)
    return pairs // n_values, pairs % n_values, multiplicity


def coded_key(counts: np.ndarray, codes: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray:
    """The numbers that make a pattern: the counts, then the two raters' labels."""
    columns = [np.asarray(counts).astype(np.int64)]
    if codes is not None:
        columns += [np.asarray(codes[0], dtype=np.int64)[:, None], np.asarray(codes[1], dtype=np.int64)[:, None]]
    return np.hstack(columns)


def split_key(rows: np.ndarray, k: int, two: bool) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
    counts = rows[:, :k].astype(np.float64)
    return counts, ((rows[:, k].copy(), rows[:, k + 1].copy()) if two else None)


def item_patterns(r: Ratings, counts: np.ndarray, slices: tuple[str, ...]) -> Patterns:
    """The patterns of an export held in memory."""
    k = counts.shape[1]
    codes = ag.two_rater_codes(r.item, r.rater, r.label, r.n_items) if len(r.raters) == 2 else None
    rows, pattern_of, multiplicity = group_patterns(coded_key(counts, codes))
    pattern_counts, pattern_codes = split_key(rows, k, codes is not None)
    refined = {}
    first_rows = r.first_row_per_item() if slices else np.zeros(0, dtype=np.int64)  # read only for slices
    for column in slices:
        groups, names = item_groups(r, column, first_rows)
        parent, value, times = refine(pattern_of, groups, max(len(names), 1))
        refined[column] = (parent, value, times, names)
    return Patterns(pattern_counts, multiplicity, pattern_codes, refined)


def agreement_report(r: Ratings, *, level: str = "nominal", labels: list[str] | None = None,
                     slices: tuple[str, ...] = (), order: list[str] | None = None,
                     counts: np.ndarray | None = None, intervals: Settings | None = Settings(),
                     documents: np.ndarray | None = None) -> AgreementReport:
    """intervals: the bootstrap's settings; None computes no interval. documents: per item,
    the code of the independent unit it belongs to (0 to n - 1, every code used), drawn
    whole by the bootstrap: a token-tagging export's items are tokens, and the tokens of
    one document are not independent; None: the items themselves are drawn."""
    k = len(r.categories)
    if counts is None:
        counts = ag.count_matrix(r.item, r.label, r.n_items, k)
    patterns = item_patterns(r, counts, tuple(slices)) if documents is None else unit_patterns(r, counts, tuple(slices))
    return patterns_report(patterns, categories=list(r.categories), sets=r.sets, multi=r.multi,
                           raters=len(r.raters), level=level, labels=labels, order=order, intervals=intervals,
                           disputed=disputed_items(r, counts), clusters=documents)


def unit_patterns(r: Ratings, counts: np.ndarray, slices: tuple[str, ...]) -> Patterns:
    """Every item its own pattern, in item order, for a bootstrap drawing items in clusters
    (the coefficients are the same as item_patterns'; only the grouping differs)."""
    codes = ag.two_rater_codes(r.item, r.rater, r.label, r.n_items) if len(r.raters) == 2 else None
    each = np.arange(r.n_items)
    ones = np.ones(r.n_items, dtype=np.int64)
    first_rows = r.first_row_per_item() if slices else np.zeros(0, dtype=np.int64)
    refined = {}
    for column in slices:
        groups, names = item_groups(r, column, first_rows)
        refined[column] = (each, np.asarray(groups, dtype=np.int64), ones, names)
    return Patterns(np.asarray(counts, dtype=np.float64), ones, codes, refined)


def patterns_report(p: Patterns, *, categories: list[str], sets: list[frozenset], multi: bool, raters: int,
                    level: str = "nominal", labels: list[str] | None = None, order: list[str] | None = None,
                    intervals: Settings | None = Settings(), disputed: list[dict] | None = None,
                   clusters: np.ndarray | None = None) -> AgreementReport:
    """The agreement report from the items' patterns (agreement_report's, or DuckDB's).
    clusters: with one pattern per item (unit_patterns), each item's cluster, drawn whole."""
    k = len(categories)
    counts, times, codes = p.counts, p.multiplicity.astype(np.float64), p.codes
    values = None if multi else numeric_values(categories, level, order)
    if multi and level not in ("nominal",):
        raise DataError(f"the {level} level does not apply to label sets; multi-label alpha uses the MASI distance")
    if raters != 2:
        codes = None
    alpha_level = "masi" if multi else level
    label_sets = sets if multi else None
    overall = ag.coefficients(counts, raters=raters, level=alpha_level, values=values, sets=label_sets,
                              multiplicity=times, rater_table=None if codes is None else _rater_table(codes, times, k))
    scopes = [_scope(overall, counts, None, codes, alpha_level, values, label_sets)]
    if labels is None:
        labels = sorted({label for s in sets for label in s}) if multi else list(categories)
    used = set().union(*sets) if sets else set()
    shown = [label for label in labels if label in used] + sorted(used - set(labels))
    member = _membership(sets, shown)
    presence = counts @ member  # patterns x labels: raters who gave the label
    m = counts.sum(axis=1)
    any_both = codes is not None and bool(((codes[0] >= 0) & (codes[1] >= 0) & (times > 0)).any())
    per_label: dict[str, ag.Coefficients] = {}
    for j, label in enumerate(shown):
        binary = np.stack([presence[:, j], m - presence[:, j]], axis=1)
        coeff = ag.from_stats(ag.nominal(binary, multiplicity=times), raters)
        # Category 0: the label; 1: the rest (as the binary count matrix has them).
        label_codes = None if codes is None else (_label_code(codes[0], member[:, j]),
                                                  _label_code(codes[1], member[:, j]))
        if label_codes is not None and any_both:
            coeff.cohen_kappa = ag.cohen_table(_rater_table(label_codes, times, 2))
        per_label[label] = coeff
        scopes.append(Scope(coeff, binary, codes=label_codes))
    per_slice: dict[str, dict[str, ag.Coefficients]] = {}
    refinements = []
    for column, (parent, value, refined_times, names) in p.slices.items():
        fine = counts[parent]
        fine_times = refined_times.astype(np.float64)
        fine_codes = None if codes is None else (codes[0][parent], codes[1][parent])
        stats = ag.nominal(fine, value, len(names), multiplicity=fine_times)
        per_value: dict[str, ag.Coefficients] = {}
        column_scopes = []
        for g, name in enumerate(names):
            coeff = ag.from_stats(stats, raters, g)
            mine = np.flatnonzero(value == g)
            if multi or level != "nominal":
                coeff.krippendorff_alpha = ag.alpha(fine[mine], alpha_level, values, label_sets, fine_times[mine])
            if overall.gwet_weights is not None:
                coeff.gwet_weights = overall.gwet_weights
                coeff.gwet_ac2 = gwet.ac(fine[mine], gwet.weights(overall.gwet_weights, values), fine_times[mine])
            mine_codes = None if fine_codes is None else (fine_codes[0][mine], fine_codes[1][mine])
            if mine_codes is not None:
                coeff.cohen_kappa = ag.cohen_table(_rater_table(mine_codes, fine_times[mine], k))
            per_value[name] = coeff
            column_scopes.append(_scope(coeff, fine[mine], mine, mine_codes, alpha_level, values, label_sets))
        per_slice[column] = per_value
        refinements.append(Refinement(column, parent, refined_times, column_scopes))
    if intervals is not None and clusters is not None:
        # The patterns are the items: a slice's scopes index them too (unit_patterns).
        bootstrap_units(scopes + [s for refinement in refinements for s in refinement.scopes], len(counts),
                        intervals, clusters=clusters)
    elif intervals is not None:
        bootstrap_patterns(scopes, p.multiplicity, intervals, tuple(refinements))
    return AgreementReport(level=alpha_level, overall=overall, labels=shown, per_label=per_label,
                           per_slice=per_slice, confusion=ag.pair_table(presence if multi else counts, times),
                           confusion_labels=shown if multi else list(categories),
                           disputed=list(disputed or []), intervals=intervals)


def _rater_table(codes: tuple[np.ndarray, np.ndarray], times: np.ndarray, k: int) -> np.ndarray:
    """The two raters' table over the patterns both rated: t[c, l] = items rater 0 gave c, rater 1 l."""
    first, second = codes
    both = (first >= 0) & (second >= 0)
    return np.bincount(first[both] * k + second[both], weights=times[both], minlength=k * k).reshape(k, k)


def _membership(sets: list[frozenset], labels: list[str]) -> np.ndarray:
    """M[c, l] = 1 when category c holds label l."""
    index = {label: i for i, label in enumerate(labels)}
    m = np.zeros((len(sets), len(labels)))
    for c, members in enumerate(sets):
        for label in members:
            if label in index:
                m[c, index[label]] = 1
    return m


def _label_code(codes: np.ndarray, holds: np.ndarray) -> np.ndarray:
    """A rater's category codes as label (0) or rest (1), -1 kept for no rating."""
    return np.where(codes >= 0, 1 - holds[np.maximum(codes, 0)], -1).astype(np.int64)


def _scope(coeff: ag.Coefficients, counts: np.ndarray, items: np.ndarray | None,
           codes: tuple[np.ndarray, np.ndarray] | None, level: str, values: list[float] | None,
           sets: list[frozenset] | None) -> Scope:
    """The bootstrap scope of one set of coefficients at alpha's level."""
    if level == "nominal":
        delta = None
    elif level == "ordinal":
        delta = None  # the ordinal distance follows the totals: intervals.ordinal_distances
    else:
        delta = ag.distance_matrix(level, values, counts.sum(axis=0), sets)
    weights = None if coeff.gwet_weights is None else gwet.weights(coeff.gwet_weights, values)
    return Scope(coeff, counts, items, codes, level, delta, None if values is None else np.asarray(values), weights)


def disputed_items(r: Ratings, counts: np.ndarray, shown: int = DISPUTED_SHOWN) -> list[dict]:
    """The items whose raters agree least: lowest pair agreement, then most raters, then id."""
    m = counts.sum(axis=1)
    pairable = np.flatnonzero(m >= 2)
    if len(pairable) == 0:
        return []
    c = counts[pairable]
    share = (c * (c - 1)).sum(axis=1) / (m[pairable] * (m[pairable] - 1))
    disputed = share < 1
    pairable, share, c = pairable[disputed], share[disputed], c[disputed]
    if len(pairable) == 0:
        return []
    names = r.items[pairable].astype(str)
    order = np.lexsort((names, -m[pairable], share))[:shown]
    text = None
    if "text" in r.frame.columns:
        first = r.first_row_per_item()
        text = objects(r.frame["text"])[first[pairable[order]]]
    out = []
    for n, i in enumerate(order):
        labels = {r.categories[j]: int(c[i, j]) for j in np.flatnonzero(c[i])}
        row = {"item": str(r.items[pairable[i]]), "agreement": round(float(share[i]), 6),
               "labels": dict(sorted(labels.items(), key=lambda kv: (-kv[1], kv[0])))}
        if text is not None:
            row["text"] = None if text[n] is None else str(text[n])
        out.append(row)
    return out

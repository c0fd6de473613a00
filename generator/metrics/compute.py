"""Agreement figures of one export: overall, per label (one-vs-rest), per slice, with the
rater confusion table and the most disputed items. Used by `labelbook agreement` and by
the guideline's quality report."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import agreement as ag
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

    def as_dict(self) -> dict:
        out = self.overall.as_dict()
        out["level"] = self.level
        out["per_label"] = {label: c.as_dict() for label, c in self.per_label.items()}
        out["per_slice"] = {col: {v: c.as_dict() for v, c in values.items()} for col, values in self.per_slice.items()}
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
    index = {label: i for i, label in enumerate(labels)}
    m = np.zeros((len(r.categories), len(labels)))
    for c, members in enumerate(r.sets):
        for label in members:
            if label in index:
                m[c, index[label]] = 1
    return m


def item_groups(r: Ratings, column: str, first_rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Each item's value of a slice column (its first rating's), coded; missing is '(none)'."""
    values = r.frame[column].iloc[first_rows].fillna("(none)")
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64), [str(u) for u in uniques]


def agreement_report(r: Ratings, *, level: str = "nominal", labels: list[str] | None = None,
                     slices: tuple[str, ...] = (), order: list[str] | None = None,
                     counts: np.ndarray | None = None) -> AgreementReport:
    k = len(r.categories)
    if counts is None:
        counts = ag.count_matrix(r.item, r.label, r.n_items, k)
    raters = len(r.raters)
    multi = r.multi
    values = None if multi else numeric_values(r.categories, level, order)
    if multi and level not in ("nominal",):
        raise DataError(f"the {level} level does not apply to label sets; multi-label alpha uses the MASI distance")
    two = None
    if raters == 2:
        two = ag.two_rater_labels(r.item, r.rater, r.label, r.n_items)
    overall = ag.coefficients(counts, raters=raters, level="masi" if multi else level, values=values,
                              sets=r.sets if multi else None, two_raters=two)
    if labels is None:
        labels = sorted({label for s in r.sets for label in s}) if multi else list(r.categories)
    used = set().union(*r.sets) if r.sets else set()
    shown = [label for label in labels if label in used] + sorted(used - set(labels))
    member = membership(r, shown)
    presence = counts @ member  # items x labels: raters who gave the label
    m = counts.sum(axis=1)
    per_label: dict[str, ag.Coefficients] = {}
    for j, label in enumerate(shown):
        binary = np.stack([presence[:, j], m - presence[:, j]], axis=1)
        stats = ag.nominal(binary)
        coeff = ag.Coefficients(items=int(stats["items"][0]), raters=raters, ratings=int(stats["values"][0]),
                                percent_agreement=ag._finite(stats["percent_agreement"][0]),
                                fleiss_kappa=ag._finite(stats["fleiss_kappa"][0]),
                                krippendorff_alpha=ag._finite(stats["krippendorff_alpha"][0]))
        if two is not None and len(two[0]):
            coeff.cohen_kappa = ag.cohen(member[two[0], j].astype(np.int64), member[two[1], j].astype(np.int64), 2)
        per_label[label] = coeff
    per_slice: dict[str, dict[str, ag.Coefficients]] = {}
    first_rows = r.first_row_per_item() if slices else np.zeros(0, dtype=np.int64)  # read only for slices
    for column in slices:
        groups, names = item_groups(r, column, first_rows)
        stats = ag.nominal(counts, groups, len(names))
        per_value: dict[str, ag.Coefficients] = {}
        for g, name in enumerate(names):
            coeff = ag.Coefficients(items=int(stats["items"][g]), raters=raters, ratings=int(stats["values"][g]),
                                    percent_agreement=ag._finite(stats["percent_agreement"][g]),
                                    fleiss_kappa=ag._finite(stats["fleiss_kappa"][g]),
                                    krippendorff_alpha=ag._finite(stats["krippendorff_alpha"][g]))
            if multi or level != "nominal":
                coeff.krippendorff_alpha = ag.alpha(counts[groups == g], "masi" if multi else level, values,
                                                    r.sets if multi else None)
            if two is not None:
                keep = groups[_both_items(r)] == g
                coeff.cohen_kappa = ag.cohen(two[0][keep], two[1][keep], k)
            per_value[name] = coeff
        per_slice[column] = per_value
    return AgreementReport(level="masi" if multi else level, overall=overall, labels=shown, per_label=per_label,
                           per_slice=per_slice, confusion=ag.pair_table(presence if multi else counts),
                           confusion_labels=shown if multi else list(r.categories),
                           disputed=disputed_items(r, counts))


def _both_items(r: Ratings) -> np.ndarray:
    seen0 = np.zeros(r.n_items, bool)
    seen1 = np.zeros(r.n_items, bool)
    seen0[r.item[r.rater == 0]] = True
    seen1[r.item[r.rater == 1]] = True
    return np.flatnonzero(seen0 & seen1)


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

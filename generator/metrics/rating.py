"""Agreement of rating-scale exports: each rater scores each item on one or more criteria.

A rating export is long, one row per score: `item`, `rater`, `criterion`, `label`, the
label a number (e.g. 1 to 5; decimals allowed). `labelbook agreement` recognizes it by its
`criterion` column. A row with an empty label is a score the rater did not give: it is
left out (and counted in a note).

Per criterion, on the items scored by two or more raters:

- percent agreement: the share of rater pairs that gave the same score, averaged over the
  items (agreement.nominal);
- Krippendorff's alpha, ordinal and interval (agreement.alpha on the item x score count
  matrix): ordinal uses the ranks of the scores given, interval their squared differences;
- with exactly two raters scoring the criterion, Cohen's weighted kappa on the items both
  scored, with linear and quadratic weights on the scores (agreement.weighted_kappa);
- Gwet's AC2 (gwet.py) with ordinal weights (next to ordinal alpha: the ranks of the
  scores given) and quadratic weights (next to interval alpha: the scores' values).

Each figure has a percentile bootstrap interval (intervals.py: 1,000 resamples, seed
2007, 95%). The resampled unit is the export's item: a resample draws items with
replacement and every criterion is measured on the same drawn items, so an item's scores
on every criterion stay together (the criteria of one item are not independent) and the
mean of a figure over the criteria (acceptance.py's overall) has an interval too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import agreement as ag
from . import gwet
from .intervals import Bootstrapped, Scope, Settings, bootstrap_units, mean_of, with_values
from .read import DataError, export_table, require_rows
from .rows import Problems, earlier, empty_column, numbers, require, where
from .text import count as _count
from .text import interval as _interval
from .text import interval_note
from .text import number as _num

RATING_COLUMNS = ("item", "rater", "criterion", "label")
SHAPE_HINT = "a rating export has the columns item, rater, criterion, label (a number)"
SCORE_HINT = "a rating export scores each item on each criterion with a number, e.g. 1 to 5"


def is_rating_export(columns) -> bool:
    """A rating export has a `criterion` column."""
    return "criterion" in {str(c).strip() for c in columns}


@dataclass
class Scores:
    """A rating export coded as integers: item, rater and criterion codes index the name arrays."""

    display: str
    items: np.ndarray
    raters: np.ndarray
    criteria: list[str]
    item: np.ndarray  # per score
    rater: np.ndarray
    criterion: np.ndarray
    score: np.ndarray  # float
    rows: int = 0  # rows of the file
    missing: int = 0  # rows without a score, left out


def read_scores(path: Path, display: str, frame: pd.DataFrame | None = None) -> Scores:
    """Read and check a rating export; bad data raises DataError naming the row and column."""
    frame = export_table(path, display, frame)
    require(frame, RATING_COLUMNS, display, SHAPE_HINT)
    require_rows(frame, display, "one row per score: item, rater, criterion, label")
    problems = Problems(path, display)
    for column in ("item", "rater", "criterion"):
        problems.check(frame[column].isna().to_numpy(), empty_column(column),
                       "every score names its item, rater and criterion")
    given = frame["label"].notna().to_numpy()
    score, finite = numbers(frame["label"])
    problems.check(given & ~finite, lambda row: f"column 'label': '{frame['label'].iloc[row]}' is not a number",
                   SCORE_HINT)
    problems.raise_first()
    if not given.any():
        raise DataError(f"{display}: no row has a score", SCORE_HINT)
    keep = np.flatnonzero(given)
    item, items = pd.factorize(frame["item"], sort=True)
    rater, raters = pd.factorize(frame["rater"], sort=True)
    criterion, criteria = pd.factorize(frame["criterion"], sort=True)
    key = pd.DataFrame({"item": item[keep], "rater": rater[keep], "criterion": criterion[keep]})
    twice = key.duplicated(keep="first").to_numpy()
    if twice.any():
        row = int(keep[np.flatnonzero(twice)[0]])
        same = (item[keep] == item[row]) & (rater[keep] == rater[row]) & (criterion[keep] == criterion[row])
        first = int(keep[np.flatnonzero(same)[0]])
        raise DataError(f"{where(path, display, row)}: rater '{raters[rater[row]]}' scored item "
                        f"'{items[item[row]]}' on '{criteria[criterion[row]]}' twice (first on "
                        f"{earlier(path, display, first)}); {int(twice.sum())} duplicate (item, rater, criterion) "
                        f"row{'s' if twice.sum() != 1 else ''} in all",
                        "keep one score per rater, item and criterion")
    return Scores(display, np.asarray(items, dtype=object), np.asarray(raters, dtype=object),
                  [str(c) for c in criteria], item[keep].astype(np.int64), rater[keep].astype(np.int64),
                  criterion[keep].astype(np.int64), score[keep], len(frame), int((~given).sum()))


@dataclass
class CriterionAgreement:
    items: int  # items scored by two or more raters
    raters: int
    ratings: int  # scores on those items
    scores: list[float]  # the scores given, ascending
    percent_agreement: float | None = None
    ordinal_alpha: float | None = None
    interval_alpha: float | None = None
    weighted_kappa: dict[str, float | None] | None = None  # linear, quadratic (two raters only)
    gwet_ac2: dict[str, float | None] | None = None  # ordinal, quadratic weights
    notes: list[str] = field(default_factory=list)
    # The figures (FIGURES' names) with their bootstrap replicates; None: no interval computed.
    bootstrap: Bootstrapped | None = field(default=None, repr=False, compare=False)

    def figure(self, name: str) -> float | None:
        """A figure by its FIGURES name (weighted_kappa_quadratic: weighted_kappa's quadratic)."""
        if name.startswith("weighted_kappa_"):
            return (self.weighted_kappa or {}).get(name.removeprefix("weighted_kappa_"))
        if name.startswith("gwet_ac2_"):
            return (self.gwet_ac2 or {}).get(name.removeprefix("gwet_ac2_"))
        return getattr(self, name)

    def as_dict(self, confidence: float | None = None) -> dict:
        out = {"items": self.items, "raters": self.raters, "ratings": self.ratings,
               "scores": [_number(v) for v in self.scores],
               "percent_agreement": ag._round(self.percent_agreement),
               "ordinal_alpha": ag._round(self.ordinal_alpha), "interval_alpha": ag._round(self.interval_alpha),
               "weighted_kappa": None if self.weighted_kappa is None else
               {k: ag._round(v) for k, v in self.weighted_kappa.items()},
               "gwet_ac2": None if self.gwet_ac2 is None else {k: ag._round(v) for k, v in self.gwet_ac2.items()}}
        if confidence is not None and self.bootstrap is not None:
            out["intervals"] = self.bootstrap.intervals(confidence)
        out["notes"] = list(self.notes)
        return out


# A criterion's figures that have a bootstrap interval, in report order.
FIGURES = ("percent_agreement", "ordinal_alpha", "gwet_ac2_ordinal", "interval_alpha", "gwet_ac2_quadratic",
           "weighted_kappa_linear", "weighted_kappa_quadratic")


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


@dataclass
class RatingReport:
    raters: int
    items: int  # items with a score of any criterion
    ratings: int
    criteria: dict[str, CriterionAgreement]
    notes: list[str] = field(default_factory=list)
    intervals: Settings | None = None  # how the intervals were computed (None: no intervals)

    @property
    def computable(self) -> bool:
        return any(c.items for c in self.criteria.values())

    def problem(self) -> tuple[str, str]:
        return ("not computable: no item was scored on a criterion by two or more raters"
                + (" (only one rater)" if self.raters < 2 else ""),
                "agreement needs items scored by two or more raters on the same criterion")

    def as_dict(self) -> dict:
        confidence = None if self.intervals is None else self.intervals.confidence
        out = {"shape": "rating", "raters": self.raters, "items": self.items, "ratings": self.ratings,
               "criteria": {name: c.as_dict(confidence) for name, c in self.criteria.items()},
               "notes": list(self.notes)}
        if self.intervals is not None:
            out["bootstrap"] = self.intervals.as_dict()
        return out

    def mean(self, name: str, criteria: list[str]) -> Bootstrapped:
        """A figure's mean over the criteria named whose figure is defined, with its
        replicates (the criteria were resampled together: the same items)."""
        return mean_over([self.criteria[c] for c in criteria if c in self.criteria], name)


def mean_over(criteria: list[CriterionAgreement], name: str) -> Bootstrapped:
    """A figure's mean over the criteria whose figure is defined; with replicates when every
    such criterion has them (resampled together, intervals.mean_of)."""
    if all(c.bootstrap is not None or c.figure(name) is None for c in criteria):
        return mean_of([c.bootstrap for c in criteria if c.bootstrap is not None], name)
    values = [v for c in criteria if (v := c.figure(name)) is not None]
    return Bootstrapped({name: sum(values) / len(values)}, {})


def criterion_agreement(item: np.ndarray, rater: np.ndarray, score: np.ndarray) -> CriterionAgreement:
    """The figures of one criterion from its scores (item and rater codes, numeric scores)."""
    values, label = np.unique(score, return_inverse=True)
    items, item = np.unique(item, return_inverse=True)
    raters = np.unique(rater)
    counts = ag.count_matrix(item, label, len(items), len(values))
    m = counts.sum(axis=1)
    result = CriterionAgreement(items=int((m >= 2).sum()), raters=len(raters), ratings=int(m[m >= 2].sum()),
                                scores=[float(v) for v in values])
    if len(raters) == 2:
        first = np.full(len(items), np.nan)
        second = np.full(len(items), np.nan)
        first[item[rater == raters[0]]] = score[rater == raters[0]]
        second[item[rater == raters[1]]] = score[rater == raters[1]]
        both = ~np.isnan(first) & ~np.isnan(second)
        result.weighted_kappa = {w: ag.weighted_kappa(first[both], second[both], w) for w in ag.WEIGHTS}
    if not result.items:
        result.notes.append("not computable: no item has two or more scores"
                            + (" (only one rater)" if len(raters) < 2 else ""))
        return result
    stats = ag.nominal(counts)
    result.percent_agreement = ag._finite(stats["percent_agreement"][0])
    result.ordinal_alpha = ag.alpha(counts, "ordinal", values)
    result.interval_alpha = ag.alpha(counts, "interval", values)
    result.gwet_ac2 = {w: gwet.ac(counts, gwet.weights(w, values)) for w in AC2_WEIGHTS}
    if result.ordinal_alpha is None:
        result.notes.append("alpha is not computable when every score is the same")
    if len(raters) != 2:
        result.notes.append(f"weighted kappa needs exactly two raters; this criterion has {len(raters)}")
    elif result.weighted_kappa and all(v is None for v in result.weighted_kappa.values()):
        result.notes.append("weighted kappa is not computable: the two raters gave one and the same score "
                            "on every item both scored")
    return result


AC2_WEIGHTS = ("ordinal", "quadratic")  # gwet.LEVEL_WEIGHTS of the ordinal and interval levels


def criterion_scopes(item: np.ndarray, rater: np.ndarray, score: np.ndarray,
                     c: CriterionAgreement) -> dict[str, Scope]:
    """The bootstrap scopes of one criterion's figures (intervals.py), keyed by what they
    measure; their items are the export's item codes, the resampled units."""
    values, label = np.unique(score, return_inverse=True)
    items, local = np.unique(item, return_inverse=True)
    counts = ag.count_matrix(local, label, len(items), len(values))
    point = ag.Coefficients(c.items, c.raters, c.ratings)
    scopes = {
        "ordinal": Scope(with_values(point, percent_agreement=c.percent_agreement,
                                     krippendorff_alpha=c.ordinal_alpha, gwet_ac2=(c.gwet_ac2 or {}).get("ordinal")),
                         counts, items=items, level="ordinal", values=values,
                         weights=gwet.weights("ordinal", values)),
        "interval": Scope(with_values(point, krippendorff_alpha=c.interval_alpha,
                                      gwet_ac2=(c.gwet_ac2 or {}).get("quadratic")),
                          counts, items=items, level="interval",
                          delta=ag.distance_matrix("interval", values, counts.sum(axis=0)),
                          weights=gwet.weights("quadratic", values)),
    }
    if c.weighted_kappa is not None:
        _, rater_code = np.unique(rater, return_inverse=True)  # the two raters as 0 and 1
        codes = ag.two_rater_codes(local, rater_code, label, len(items))
        for w, power in (("linear", 1), ("quadratic", 2)):
            scopes[f"kappa {w}"] = Scope(with_values(point, cohen_kappa=c.weighted_kappa.get(w)), counts,
                                         items=items, codes=(codes[0], codes[1]),
                                         kappa_distance=np.abs(values[:, None] - values[None, :]) ** power)
    return scopes


def _item_key(scopes: list[Scope], n_items: int) -> np.ndarray:
    """Per export item, what its figures in every scope follow from: its counts of each score
    and its two raters' scores, criterion by criterion (0 and -1 where it has none)."""
    columns = []
    for scope in scopes:
        assert scope.items is not None  # criterion_scopes' scopes name their items
        block = np.zeros((n_items, scope.counts.shape[1] + (2 if scope.codes is not None else 0)), dtype=np.int64)
        block[:, scope.counts.shape[1]:] = -1
        block[scope.items, :scope.counts.shape[1]] = scope.counts
        if scope.codes is not None:
            block[scope.items, scope.counts.shape[1]] = scope.codes[0]
            block[scope.items, scope.counts.shape[1] + 1] = scope.codes[1]
        columns.append(block)
    return np.hstack(columns)


def _bootstrapped(scopes: dict[str, Scope], c: CriterionAgreement) -> Bootstrapped:
    """A criterion's figures with the replicates its scopes were given."""
    where = {"percent_agreement": ("ordinal", "percent_agreement"), "ordinal_alpha": ("ordinal", "krippendorff_alpha"),
             "gwet_ac2_ordinal": ("ordinal", "gwet_ac2"), "interval_alpha": ("interval", "krippendorff_alpha"),
             "gwet_ac2_quadratic": ("interval", "gwet_ac2"), "weighted_kappa_linear": ("kappa linear", "cohen_kappa"),
             "weighted_kappa_quadratic": ("kappa quadratic", "cohen_kappa")}
    replicates = {}
    for name in FIGURES:
        scope, coefficient = where[name]
        if scope in scopes and coefficient in scopes[scope].coefficients.replicates:
            replicates[name] = scopes[scope].coefficients.replicates[coefficient]
    return Bootstrapped({name: c.figure(name) for name in FIGURES}, replicates)


def rating_report(s: Scores, intervals: Settings | None = Settings()) -> RatingReport:
    """intervals: the bootstrap's settings; None computes no interval."""
    criteria = {}
    scopes: dict[str, dict[str, Scope]] = {}
    for k, name in enumerate(s.criteria):
        mine = s.criterion == k
        criteria[name] = criterion_agreement(s.item[mine], s.rater[mine], s.score[mine])
        if intervals is not None and criteria[name].items:
            scopes[name] = criterion_scopes(s.item[mine], s.rater[mine], s.score[mine], criteria[name])
    every = [scope for per in scopes.values() for scope in per.values()]
    if intervals is not None and every:
        # One resampling of the export's items for every criterion (see the module's notes).
        bootstrap_units(every, len(s.items), intervals, key=_item_key(every, len(s.items)))
        for name, per in scopes.items():
            criteria[name].bootstrap = _bootstrapped(per, criteria[name])
    notes = []
    if s.missing:
        notes.append(f"{s.missing} row{'s' if s.missing != 1 else ''} without a score "
                     f"{'are' if s.missing != 1 else 'is'} left out")
    return RatingReport(raters=len(np.unique(s.rater)) if len(s.rater) else 0, items=len(np.unique(s.item)),
                        ratings=len(s.score), criteria=criteria, notes=notes, intervals=intervals)


# --- text output ---------------------------------------------------------------------------


def rating_text(display: str, s: Scores, r: RatingReport) -> str:
    out = [f"{display}: {_count(r.ratings, 'score')}, {_count(r.raters, 'rater')}, "
           f"{_count(len(r.criteria), 'criterion', 'criteria')}, {_count(r.items, 'item')}\n"]
    head = ("criterion", "items", "percent", "ordinal", "ac2 ord", "interval", "ac2 quad", "kappa lin", "kappa quad")
    settings = r.intervals
    rows = []
    for name, c in r.criteria.items():
        rows.append((name, str(c.items), *(_num(c.figure(f), f == "percent_agreement") for f in FIGURES)))
        if settings is not None and c.bootstrap is not None:
            rows.append(("", "", *(_interval(c.bootstrap.interval(f, settings.confidence), f == "percent_agreement")
                                   for f in FIGURES)))
    widths = [max(len(x[i]) for x in [head, *rows]) for i in range(len(head))]
    for line in [head, *rows]:
        out.append((f"{line[0]:<{widths[0]}}" + "".join(f"  {x:>{w}}" for x, w in zip(line[1:], widths[1:])))
                   .rstrip() + "\n")
    out.append("percent: same score; ordinal and interval: Krippendorff's alpha; ac2: Gwet's AC2 with ordinal and "
               "quadratic weights; kappa: Cohen's weighted kappa (two raters)\n")
    if settings is not None:
        out.append(interval_note(settings, "items"))
    for name, c in r.criteria.items():
        for note in c.notes:
            out.append(f"note: {name}: {note}\n")
    for note in r.notes:
        out.append(f"note: {note}\n")
    return "".join(out)



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
  scored, with linear and quadratic weights on the scores (agreement.weighted_kappa).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import agreement as ag
from .read import DataError, export_table, require_rows
from .rows import Problems, earlier, empty_column, numbers, require, where
from .text import count as _count
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
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"items": self.items, "raters": self.raters, "ratings": self.ratings,
                "scores": [_number(v) for v in self.scores],
                "percent_agreement": ag._round(self.percent_agreement),
                "ordinal_alpha": ag._round(self.ordinal_alpha), "interval_alpha": ag._round(self.interval_alpha),
                "weighted_kappa": None if self.weighted_kappa is None else
                {k: ag._round(v) for k, v in self.weighted_kappa.items()},
                "notes": list(self.notes)}


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


@dataclass
class RatingReport:
    raters: int
    items: int  # items with a score of any criterion
    ratings: int
    criteria: dict[str, CriterionAgreement]
    notes: list[str] = field(default_factory=list)

    @property
    def computable(self) -> bool:
        return any(c.items for c in self.criteria.values())

    def problem(self) -> tuple[str, str]:
        return ("not computable: no item was scored on a criterion by two or more raters"
                + (" (only one rater)" if self.raters < 2 else ""),
                "agreement needs items scored by two or more raters on the same criterion")

    def as_dict(self) -> dict:
        return {"shape": "rating", "raters": self.raters, "items": self.items, "ratings": self.ratings,
                "criteria": {name: c.as_dict() for name, c in self.criteria.items()}, "notes": list(self.notes)}


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
    if result.ordinal_alpha is None:
        result.notes.append("alpha is not computable when every score is the same")
    if len(raters) != 2:
        result.notes.append(f"weighted kappa needs exactly two raters; this criterion has {len(raters)}")
    elif result.weighted_kappa and all(v is None for v in result.weighted_kappa.values()):
        result.notes.append("weighted kappa is not computable: the two raters gave one and the same score "
                            "on every item both scored")
    return result


def rating_report(s: Scores) -> RatingReport:
    criteria = {}
    for k, name in enumerate(s.criteria):
        mine = s.criterion == k
        criteria[name] = criterion_agreement(s.item[mine], s.rater[mine], s.score[mine])
    notes = []
    if s.missing:
        notes.append(f"{s.missing} row{'s' if s.missing != 1 else ''} without a score "
                     f"{'are' if s.missing != 1 else 'is'} left out")
    return RatingReport(raters=len(np.unique(s.rater)) if len(s.rater) else 0, items=len(np.unique(s.item)),
                        ratings=len(s.score), criteria=criteria, notes=notes)


# --- text output ---------------------------------------------------------------------------


def rating_text(display: str, s: Scores, r: RatingReport) -> str:
    out = [f"{display}: {_count(r.ratings, 'score')}, {_count(r.raters, 'rater')}, "
           f"{_count(len(r.criteria), 'criterion', 'criteria')}, {_count(r.items, 'item')}\n"]
    head = ("criterion", "items", "percent", "ordinal", "interval", "kappa lin", "kappa quad")
    rows = []
    for name, c in r.criteria.items():
        w = c.weighted_kappa or {}
        rows.append((name, str(c.items), _num(c.percent_agreement, True), _num(c.ordinal_alpha),
                     _num(c.interval_alpha), _num(w.get("linear")), _num(w.get("quadratic"))))
    widths = [max(len(x[i]) for x in [head, *rows]) for i in range(len(head))]
    for line in [head, *rows]:
        out.append(f"{line[0]:<{widths[0]}}" + "".join(f"  {x:>{w}}" for x, w in zip(line[1:], widths[1:])) + "\n")
    out.append("percent: same score; ordinal and interval: Krippendorff's alpha; kappa: Cohen's weighted kappa "
               "(two raters)\n")
    for name, c in r.criteria.items():
        for note in c.notes:
            out.append(f"note: {name}: {note}\n")
    for note in r.notes:
        out.append(f"note: {note}\n")
    return "".join(out)

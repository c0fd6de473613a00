"""Agreement, defect rates and items per guideline version, from an export's
`guideline_version` column.

Each rating says under which version of the guideline it was made. A version's figures are
those of its ratings alone: an item rated under two versions counts in both, with the
ratings of each. The release gate judges the ratings of the current version: the
guideline's own version when the export has ratings of it, else the newest version of the
export not newer than the guideline's (the batch being labelled), saying which.

Versions sort by SemVer precedence; a value that is not SemVer sorts after them, by its
text, and is never called outdated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cmp_to_key

import numpy as np
import pandas as pd

from ..semantic_diff import compare_versions
from . import agreement as ag
from .compute import agreement_report
from .proportions import Proportion
from .read import Audit, Ratings, objects

COLUMN = "guideline_version"
NONE = "(none)"  # a rating whose version cell is empty


@dataclass
class VersionFigures:
    version: str
    ratings: int
    items: int  # items with at least one rating of this version
    agreement: ag.Coefficients  # over the version's ratings
    audited: int  # audited items with a rating of this version
    defective: Proportion | None  # audited items with a defect (None: no audit)
    outdated: bool  # older than the guideline's version
    current: bool  # the version the gate judges


def _semver(version: str) -> bool:
    try:
        compare_versions(version, version)
    except ValueError:
        return False
    return True


def _compare(a: str, b: str) -> int:
    sa, sb = _semver(a), _semver(b)
    if sa and sb:
        return compare_versions(a, b)
    if sa != sb:
        return -1 if sa else 1
    return (a > b) - (a < b)


def release_order(versions) -> list[str]:
    """Versions in release order: SemVer precedence, then the others by text."""
    return sorted(set(versions), key=cmp_to_key(_compare))


def older(version: str, than: str) -> bool:
    """Whether version is a SemVer version older than `than` (False when either is not SemVer)."""
    return _semver(version) and _semver(than) and compare_versions(version, than) < 0


def row_versions(r: Ratings) -> np.ndarray | None:
    """Per rating, its guideline version (NONE when empty); None without the column."""
    if COLUMN not in r.frame.columns:
        return None
    values = objects(r.frame[COLUMN])
    return np.array([NONE if v is None or not str(v).strip() else str(v).strip() for v in values], dtype=object)


def current_version(versions: list[str], guideline_version: str) -> str:
    """The version the gate judges: the guideline's own when the export has it, else the
    newest export version not newer than it, else the newest of all."""
    if guideline_version in versions:
        return guideline_version
    earlier = [v for v in versions if older(v, guideline_version)]
    return release_order(earlier or versions)[-1]


def ratings_of(r: Ratings, rows: np.ndarray) -> Ratings:
    """The ratings at the given row positions, as an export of their own: items, raters and
    categories are coded anew, keeping only those with a rating here (a label only older
    versions gave is not a label of this one)."""
    item_used, item = np.unique(r.item[rows], return_inverse=True)
    rater_used, rater = np.unique(r.rater[rows], return_inverse=True)
    label_used, label = np.unique(r.label[rows], return_inverse=True)
    return Ratings(r.display, r.frame.iloc[rows].reset_index(drop=True), item.astype(np.int64), r.items[item_used],
                   rater.astype(np.int64), r.raters[rater_used], label.astype(np.int64),
                   [r.categories[c] for c in label_used], [r.sets[c] for c in label_used], r.multi,
                   r.separator, missing_labels=0, all_rows=len(rows))


def audit_of(audit: Audit | None, items: np.ndarray) -> Audit | None:
    """The audit rows of the given items (export item names)."""
    if audit is None:
        return None
    frame = audit.frame[audit.frame["item"].isin(set(str(i) for i in items))].reset_index(drop=True)
    return Audit(audit.display, frame, int(frame["item"].nunique()))


def split_supported(r: Ratings) -> bool:
    """Spans, boxes, preference and rating judgments are read item by item from rows of
    their own; their ratings are not split by version."""
    return r.spans is None and r.judgments is None and r.boxes is None and r.owner is None


def version_figures(r: Ratings, audit: Audit | None, guideline_version: str, *, level: str,
                    labels: list[str], order: list[str] | None,
                    whole: ag.Coefficients | None = None) -> list[VersionFigures] | None:
    """Per version of the export, in release order; None without the column (or for a
    shape whose ratings are not split). whole: the coefficients of every rating, which are
    the version's when the export has one version only."""
    versions = row_versions(r)
    if versions is None or not split_supported(r):
        return None
    names = release_order(versions.tolist())
    current = current_version(names, guideline_version)
    defective_items = set()
    audited_items: set[str] = set()
    if audit is not None:
        audited_items = set(audit.frame["item"].astype(str))
        defective_items = set(audit.frame.loc[audit.frame["severity"].notna(), "item"].astype(str))
    out = []
    for version in names:
        rows = np.flatnonzero(versions == version)
        sub = ratings_of(r, rows)
        if whole is not None and len(names) == 1:
            coefficients = whole
        else:
            coefficients = agreement_report(sub, level=level, labels=labels, order=order, intervals=None).overall
        item_names = {str(i) for i in sub.items}
        audited = item_names & audited_items
        defective = Proportion(len(audited & defective_items), len(audited)) if audit is not None else None
        out.append(VersionFigures(version, len(rows), sub.n_items, coefficients, len(audited), defective,
                                  older(version, guideline_version), version == current))
    return out


def outdated_items(r: Ratings, guideline_version: str) -> int | None:
    """Items with a rating made under a version older than the guideline's (None without
    the column)."""
    versions = row_versions(r)
    if versions is None:
        return None
    old = np.array([older(v, guideline_version) for v in versions], dtype=bool)
    return int(len(np.unique(r.item[old])))


def current_data(guideline_version: str, r: Ratings, audit: Audit | None) -> tuple[Ratings, Audit | None, str | None]:
    """The ratings (and the audit of their items) the gate judges, with a sentence saying
    which version they are; unchanged, with None, without the column."""
    versions = row_versions(r)
    if versions is None:
        return r, audit, None
    if not split_supported(r):
        return r, audit, (f"the export has a {COLUMN} column; this shape's ratings are not split by version: "
                          "every rating is judged")
    names = release_order(versions.tolist())
    current = current_version(names, guideline_version)
    rows = np.flatnonzero(versions == current)
    # One version throughout: the export as read (with its rows without a label, whose
    # version is not read).
    sub = r if len(rows) == len(versions) else ratings_of(r, rows)
    why = ("the guideline's version" if current == guideline_version else
           f"the newest in the export; none is of the guideline's version {guideline_version}")
    others = [v for v in names if v != current]
    counts = pd.Series(versions).value_counts()
    note = (f"judged on the {len(rows):,} ratings of guideline version {current} ({why})"
            + ("; other versions, for information: "
               + ", ".join(f"{v} ({int(counts[v]):,} rating{'s' if counts[v] != 1 else ''})" for v in others)
               if others else ""))
    return sub, audit_of(audit, sub.items), note

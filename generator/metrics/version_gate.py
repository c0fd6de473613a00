"""What the release gate judges when the export names the guideline version of each rating.

Rater-dependent criteria (agreement, gold, defect rates, label and field checks) are judged
on the ratings of the current version (versions.current_data): ratings made under an older
guideline say little about the current one. Criteria on the items themselves (coverage,
duplicates, split overlap, license coverage) are judged on every item: the dataset keeps
the items labeled under older versions.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..spec.acceptance import Metric
from . import acceptance as acc
from .quality import Quality, compute_quality
from .read import Audit, Ratings
from .versions import current_data

DATASET_METRICS = {Metric.coverage, Metric.duplicate_rate, Metric.cross_split_overlap, Metric.license_coverage}


@dataclass
class Judged:
    quality: Quality  # the figures of the judged ratings: the gate's hard checks
    results: list[acc.CriterionResult]
    note: str | None  # which ratings were judged (None: the export has no version column)


def judge(guideline, ratings: Ratings, audit: Audit | None, quality: Quality) -> Judged:
    """quality: the figures of every rating (compute_quality of ratings and audit)."""
    criteria = guideline.acceptance.criteria
    current, current_audit, note = current_data(guideline.version, ratings, audit)
    if current is ratings:
        return Judged(quality, acc.evaluate(criteria, quality), note)
    judged = compute_quality(guideline, current, current_audit)
    results = [acc.evaluate_one(c, quality if c.metric in DATASET_METRICS else judged) for c in criteria]
    shown = [c.metric.value for c in criteria if c.metric in DATASET_METRICS]
    if shown:
        note = f"{note}; {', '.join(dict.fromkeys(shown))} over every item of every version"
    return Judged(judged, results, note)

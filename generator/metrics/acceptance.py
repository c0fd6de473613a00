"""Acceptance criteria evaluated against the measured quality, scope by scope.

Each criterion yields one row per scope (overall; each label; each value of its slice
column) with the measured value, the bound used when it has a confidence, and pass or
fail. With a confidence the bound must pass: "critical defect rate <= 0.5% with 95%
confidence" passes only when the one-sided 95% Wilson upper bound is <= 0.5% (for >= and
> the lower bound is used). Metric definitions:

- agreement coefficients: as in `labelbook agreement` (per label: one-vs-rest);
- gold_accuracy: share of ratings of gold items that equal the gold label (per label: of
  gold items with that label); precision_proxy / recall_proxy of a label: on gold items;
- critical_defect_rate, major_defect_rate: share of audited items with such a defect;
  audit_pass_rate: share of audited items without any defect;
- coverage: current / target of each coverage cell of sampling.yaml, capped at 1; a scope
  (a slice value, or overall) is as good as its worst cell;
- duplicate_rate: items whose text repeats an earlier item's; cross_split_overlap: items
  whose entity or text is also in another split; unknown_label_rate: items resolved to
  the unknown label; missing_field_rate / schema_valid_rate: ratings missing a required
  field / with every field filled and every label in the taxonomy; license_coverage:
  items from a source with license and consent in datasheet.yaml;
- span_f1_exact, span_f1_overlap (span guidelines): span F1 as in `labelbook agreement`,
  the mean over the rater pairs of 2 x matches / (spans of one + spans of the other) on
  the items both annotated, exact (same start, end, label) or overlap (same label,
  intersecting ranges, matched one to one); overall or per label (that label's spans),
  never per slice; n is the number of spans (of the label). On a guideline of another
  shape, or with a confidence (F1 is not a rate of independent units), not evaluated.

On a span guideline the agreement coefficients are those of the tokens' BIO tags (as
`labelbook agreement` gives them; per label, a token inside a span of the label against
the rest; per slice, the tokens of the items with the value; not computable without a
text column), and the other metrics read the item-level view of span_items.py: an item's
rating is the set of labels a rater found on it.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field

import numpy as np

from ..spec.acceptance import SIGNED_METRICS, Comparator, Criterion, Level, Metric, Scope
from .proportions import bound
from .quality import Quality

COMPARE = {Comparator.ge: operator.ge, Comparator.gt: operator.gt, Comparator.le: operator.le,
           Comparator.lt: operator.lt, Comparator.eq: lambda a, b: abs(a - b) <= 1e-12}
AGREEMENT = {Metric.percent_agreement, Metric.cohen_kappa, Metric.fleiss_kappa, Metric.krippendorff_alpha}
SPAN_F1 = {Metric.span_f1_exact: "exact", Metric.span_f1_overlap: "overlap"}  # metric -> kind of match
PASS, FAIL, NOT_EVALUATED, NO_THRESHOLD = "pass", "fail", "not evaluated", "no threshold"


@dataclass
class ScopeResult:
    scope: str  # "overall", "label hate_speech", "language=es"
    value: float | None
    n: int | None = None  # units measured (items, ratings or cells)
    bound: float | None = None
    status: str = NOT_EVALUATED
    note: str = ""

    def as_dict(self) -> dict:
        return {"scope": self.scope, "value": _r(self.value), "n": self.n, "bound": _r(self.bound),
                "status": self.status, "note": self.note}


@dataclass
class CriterionResult:
    criterion: Criterion
    rows: list[ScopeResult] = field(default_factory=list)

    @property
    def status(self) -> str:
        statuses = {row.status for row in self.rows}
        if self.criterion.threshold is None:
            return NO_THRESHOLD
        if FAIL in statuses:
            return FAIL
        if not self.rows or NOT_EVALUATED in statuses:
            return NOT_EVALUATED
        return PASS

    @property
    def blocks_release(self) -> bool:
        """A release-level criterion that failed or could not be evaluated."""
        return self.criterion.level == Level.release and self.status in (FAIL, NOT_EVALUATED)

    def as_dict(self) -> dict:
        c = self.criterion
        return {"id": c.id, "level": c.level.value, "metric": c.metric.value,
                "comparator": c.comparator.value if c.comparator else None, "threshold": c.threshold,
                "confidence": c.confidence, "scope": c.scope.value, "status": self.status,
                "rows": [row.as_dict() for row in self.rows]}


def _r(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def evaluate(criteria: list[Criterion], quality: Quality) -> list[CriterionResult]:
    return [evaluate_one(c, quality) for c in criteria]


def evaluate_one(c: Criterion, q: Quality) -> CriterionResult:
    result = CriterionResult(c)
    metric = c.metric
    if metric in AGREEMENT:
        rows = _agreement_rows(c, q)
    elif metric in SPAN_F1:
        rows = _span_rows(c, q)
    elif metric == Metric.coverage:
        rows = _coverage_rows(c, q)
    else:
        rows = _proportion_rows(c, q)
    for row in rows:
        _judge(c, row, q)
    result.rows = rows
    return result


def _labels(c: Criterion, q: Quality) -> list[str]:
    return list(c.labels) if c.labels else [label for label in q.taxonomy if q.distribution.get(label)]


def _agreement_rows(c: Criterion, q: Quality) -> list[ScopeResult]:
    name = c.metric.value
    report = q.agreement
    if c.scope == Scope.per_slice:
        per_value = report.per_slice.get(c.slice or "", {})
        return [ScopeResult(f"{c.slice}={value}", getattr(coeff, name), coeff.items,
                            note="; ".join(coeff.notes) if getattr(coeff, name) is None else "")
                for value, coeff in per_value.items()]
    if c.scope == Scope.per_label or c.labels:
        rows = []
        for label in _labels(c, q):
            coeff = report.per_label.get(label)
            if coeff is None:
                rows.append(ScopeResult(f"label {label}", None, 0, note=(
                    f"no token inside a span labelled {label}" if q.spans is not None and report.overall.items
                    else "; ".join(report.overall.notes) if q.spans is not None
                    else f"no rating with label {label}")))
            else:
                rows.append(ScopeResult(f"label {label}", getattr(coeff, name), coeff.items))
        return rows
    coeff = report.overall
    return [ScopeResult("overall", getattr(coeff, name), coeff.items,
                        note="; ".join(coeff.notes) if getattr(coeff, name) is None else "")]


def _span_rows(c: Criterion, q: Quality) -> list[ScopeResult]:
    report = q.span_report
    if report is None:
        return [ScopeResult("overall", None, note=q.notes.get(c.metric.value, "span F1 is not measured"))]
    if c.scope == Scope.per_slice:
        return [ScopeResult(f"{c.slice}", None, note="span F1 is measured overall and per label, not per slice")]
    kind = SPAN_F1[c.metric]
    spans = q.spans["spans_per_label"]
    pairs = q.spans["rater_pairs_per_label"]
    if c.scope == Scope.per_label or c.labels:
        per_label = getattr(report, f"{kind}_per_label")
        labels = list(c.labels) or [label for label in q.taxonomy if label in per_label]
        if not labels:
            return [ScopeResult("overall", None, 0, note="no span label was marked by two raters on an item")]
        rows = []
        for label in labels:
            value = per_label.get(label)
            n = spans.get(label, 0)
            if value is not None:
                note = f"mean of {pairs[label]} rater pair{'s' if pairs[label] != 1 else ''}"
            elif n == 0:
                note = f"no span with label {label}"
            else:
                note = f"its {n} span{'s are' if n != 1 else ' is'} on items only one rater annotated"
            rows.append(ScopeResult(f"label {label}", value, n, note=note))
        return rows
    value = getattr(report, kind)
    n_pairs = q.spans["rater_pairs"]
    note = (f"mean of {n_pairs} rater pair{'s' if n_pairs != 1 else ''}" if value is not None
            else "; ".join(report.notes))
    return [ScopeResult("overall", value, report.spans, note=note)]


def _coverage_rows(c: Criterion, q: Quality) -> list[ScopeResult]:
    cells = [cell for cell in q.coverage if not c.labels or cell.label in c.labels]
    if not cells:
        return [ScopeResult("overall", None, 0, note="sampling.yaml has no coverage targets")]
    groups: dict[str, list] = {}
    if c.scope == Scope.per_slice:
        for cell in cells:
            if cell.column == c.slice:
                groups.setdefault(f"{cell.column}={cell.value}", []).append(cell)
        if not groups:
            return [ScopeResult(f"{c.slice}", None, 0, note=f"no coverage target on slice {c.slice}")]
    elif c.scope == Scope.per_label:
        for cell in cells:
            groups.setdefault(f"label {cell.label}", []).append(cell)
    else:
        groups["overall"] = cells
    rows = []
    for scope, members in groups.items():
        ratios = [cell.ratio for cell in members if cell.ratio is not None]
        worst = min(members, key=lambda cell: (cell.ratio if cell.ratio is not None else 1.0, cell.slice, cell.label))
        note = f"worst cell {worst.label} x {worst.slice}: {worst.current} of {worst.target}"
        rows.append(ScopeResult(scope, min(ratios) if ratios else 1.0, len(members), note=note))
    return rows


def _unit_key(c: Criterion, label: str | None = None) -> str:
    return f"{c.metric.value}:{label}" if label else c.metric.value


def _proportion_rows(c: Criterion, q: Quality) -> list[ScopeResult]:
    metric = c.metric.value
    by_label = c.metric in (Metric.precision_proxy, Metric.recall_proxy)
    if metric in q.notes or (by_label and f"{metric}:{(_labels(c, q) or [''])[0]}" not in q.units
                             and metric in q.notes):
        return [ScopeResult("overall", None, note=q.notes[metric])]
    if by_label:
        rows = []
        for label in _labels(c, q):
            units = q.units.get(f"{metric}:{label}")
            if units is None:
                rows.append(ScopeResult(f"label {label}", None, 0, note=f"{label} is not a label of the data"))
            else:
                rows.append(_share(f"label {label}", units[1]))
        return rows
    units = q.units.get(metric)
    if units is None:
        return [ScopeResult("overall", None, note=f"{metric} is not measured")]
    items, hits = units
    if c.scope == Scope.per_slice:
        if c.slice not in q.item_slices:
            return [ScopeResult(f"{c.slice}", None, note=f"no slice column {c.slice}")]
        codes, values = q.item_slices[c.slice]
        known = items >= 0
        group = np.where(known, codes[np.where(known, items, 0)], -1)
        return [_share(f"{c.slice}={value}", hits[group == g]) for g, value in enumerate(values)]
    if c.scope == Scope.per_label or c.labels:
        rows = []
        for label in _labels(c, q):
            if label not in q.labels:
                rows.append(ScopeResult(f"label {label}", None, 0, note=f"no item with label {label}"))
                continue
            j = q.labels.index(label)
            known = items >= 0
            mine = np.zeros(len(items), bool)
            mine[known] = q.resolved[items[known], j]
            rows.append(_share(f"label {label}", hits[mine]))
        return rows
    return [_share("overall", hits)]


def _share(scope: str, hits: np.ndarray) -> ScopeResult:
    n = int(len(hits))
    if n == 0:
        return ScopeResult(scope, None, 0, note="nothing to measure in this scope")
    row = ScopeResult(scope, float(hits.sum()) / n, n)
    row.k = int(hits.sum())  # type: ignore[attr-defined]
    return row


def _judge(c: Criterion, row: ScopeResult, q: Quality) -> None:
    if c.threshold is None or c.comparator is None:
        row.status = NO_THRESHOLD
        return
    if row.value is None:
        row.status = NOT_EVALUATED
        return
    compared = row.value
    if c.confidence:
        k = getattr(row, "k", None)
        if k is None or not row.n:
            row.status = NOT_EVALUATED
            row.note = (row.note + "; " if row.note else "") + \
                "a confidence bound is computed for rates only; this criterion needs one"
            return
        upper = c.comparator in (Comparator.le, Comparator.lt)
        if c.comparator == Comparator.eq:
            compared = row.value
        else:
            row.bound = bound(k, row.n, c.confidence, upper=upper)
            compared = row.bound
    row.status = PASS if COMPARE[c.comparator](compared, c.threshold) else FAIL


def format_value(metric: Metric, value: float | None) -> str:
    if value is None:
        return "n/a"
    if metric in SIGNED_METRICS or metric in SPAN_F1:  # coefficients and F1: 0.812, not 81.20%
        return f"{value:.3f}"
    return f"{value * 100:.2f}%"


def gate_fails(results: list[CriterionResult], quality: Quality) -> bool:
    return any(r.blocks_release for r in results) or bool(quality.hard_failures)

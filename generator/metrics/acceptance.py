"""Acceptance criteria evaluated against the measured quality, scope by scope.

Each criterion yields one row per scope (overall; each label; each value of its slice
column) with the measured value, the bound used when it has a confidence, and pass or
fail. With a confidence the bound must pass: "critical defect rate <= 0.5% with 95%
confidence" passes only when the one-sided 95% Wilson upper bound is <= 0.5% (for >= and
> the lower bound is used). The agreement coefficients (percent agreement, Cohen's and
Fleiss' kappa, Krippendorff's alpha, Gwet's AC1; a span guideline's over its tokens) and
the judgment shapes' own coefficients (ordinal_alpha, weighted_kappa_quadratic) use their
bootstrap instead: "alpha >= 0.8 with 95% confidence" passes only when the 5th percentile
of the resampled alphas (intervals.py: the items resampled, 1,000 times by default) is >=
0.8; for <= and < the 95th percentile is used. The resampled unit is the item (a
preference guideline's: its unit of agreement, the pair or the item; a span guideline's:
the item, all its tokens with it). With == the measured value is compared, confidence or
not.
Metric definitions:

- agreement coefficients: as in `labelbook agreement` (per label: one-vs-rest); gwet_ac1
  is Gwet's AC1 (gwet.py), nominal at every level;
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
  shape, or with a confidence (F1 is not a rate of independent units), not evaluated;
- position_consistency (preference guidelines, overall only): of the (rater, pair)s
  judged in both orders, the share whose two judgments, read as responses, are the same
  answer; n is those (rater, pair)s, and as a rate of them it takes a confidence (its
  Wilson bound must pass). Not evaluated without a shown_first column or when no rater
  judged a pair twice;
- ordinal_alpha and weighted_kappa_quadratic (rating guidelines): Krippendorff's ordinal
  alpha and Cohen's quadratic-weighted kappa (two raters) of each criterion, as
  `labelbook agreement` gives them. Scope per-label means PER CRITERION: one row per
  criterion of the export (guideline order), or, with labels, the criteria named, each
  given by its id or by any of its points (labels: holds label ids for check, so `labels:
  [clarity_1]` selects the criterion clarity). Overall: the mean over the criteria whose
  figure is defined (n: their items scored by two or more raters); its bound is the
  percentile of that mean over the resamples (every criterion measured on the same drawn
  items). Not per slice. On a preference guideline ordinal_alpha is the strength scale's
  (overall only; see judgment_items.strength_scale);
- box_f1 and mean_iou (box guidelines): box F1 at IoU >= 0.5 and the mean IoU of the
  matched boxes as in `labelbook agreement`, averaged over the rater pairs; overall or per
  label (class), never per slice; n is the number of boxes (of the class).

F1 and IoU are not rates of independent units and have no bootstrap here: with a
confidence they are not evaluated.

On a span guideline the agreement coefficients are those of the tokens' BIO tags (as
`labelbook agreement` gives them; per label, a token inside a span of the label against
the rest; per slice, the tokens of the items with the value; not computable without a
text column), and the other metrics read the item-level view of span_items.py: an item's
rating is the set of labels a rater found on it.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..spec.acceptance import SIGNED_METRICS, Comparator, Criterion, Level, Metric, Scope
from .agreement import Coefficients
from .intervals import Bootstrapped
from .boxes import IOU_THRESHOLD
from .preference import PreferenceReport
from .proportions import bound
from .quality import Quality
from .rating import RatingReport

COMPARE = {Comparator.ge: operator.ge, Comparator.gt: operator.gt, Comparator.le: operator.le,
           Comparator.lt: operator.lt, Comparator.eq: lambda a, b: abs(a - b) <= 1e-12}
AGREEMENT = {Metric.percent_agreement, Metric.cohen_kappa, Metric.fleiss_kappa, Metric.krippendorff_alpha,
             Metric.gwet_ac1}
SPAN_F1 = {Metric.span_f1_exact: "exact", Metric.span_f1_overlap: "overlap"}  # metric -> kind of match
JUDGMENT = {Metric.ordinal_alpha, Metric.weighted_kappa_quadratic}  # per criterion of a rating guideline
BOX = {Metric.box_f1, Metric.mean_iou}
# Shown as 0.812, not 81.20%: coefficients, F1 and IoU.
DECIMAL = {*SIGNED_METRICS, *SPAN_F1, *JUDGMENT, *BOX}
# Facts of an export item: on a rating guideline (whose view items are (item, criterion)
# units), an item has a label when any of its units resolved to it.
ITEM_FACTS = {Metric.duplicate_rate, Metric.cross_split_overlap, Metric.license_coverage,
              Metric.critical_defect_rate, Metric.major_defect_rate, Metric.audit_pass_rate}
PASS, FAIL, NOT_EVALUATED, NO_THRESHOLD = "pass", "fail", "not evaluated", "no threshold"


@dataclass
class ScopeResult:
    scope: str  # "overall", "label hate_speech", "language=es"
    value: float | None
    n: int | None = None  # units measured (items, ratings or cells)
    bound: float | None = None
    status: str = NOT_EVALUATED
    note: str = ""
    # The coefficients an agreement or judgment row reads, whose bootstrap gives its
    # confidence bound, and what their bootstrap resampled.
    coefficients: Coefficients | Bootstrapped | None = field(default=None, repr=False, compare=False)
    resampled: str = field(default="items", repr=False, compare=False)

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
    elif metric == Metric.position_consistency:
        rows = _position_rows(c, q)
    elif metric in JUDGMENT:
        rows = _judgment_rows(c, q)
    elif metric in BOX:
        rows = _box_rows(c, q)
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
                            note="; ".join(coeff.notes) if getattr(coeff, name) is None else "", coefficients=coeff)
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
                rows.append(ScopeResult(f"label {label}", getattr(coeff, name), coeff.items, coefficients=coeff))
        return rows
    coeff = report.overall
    return [ScopeResult("overall", getattr(coeff, name), coeff.items,
                        note="; ".join(coeff.notes) if getattr(coeff, name) is None else "", coefficients=coeff)]


def _span_rows(c: Criterion, q: Quality) -> list[ScopeResult]:
    report = q.span_report
    if report is None or q.spans is None:  # the two are set together
        return [ScopeResult("overall", None, note=q.notes.get(c.metric.value, "span F1 is not measured"))]
    if c.scope == Scope.per_slice:
        return [ScopeResult(f"{c.slice}", None, note="span F1 is measured overall and per label, not per slice")]
    kind = SPAN_F1[c.metric]

    def why_missing(label: str, n: int) -> str:
        if n == 0:
            return f"no span with label {label}"
        return f"its {n} span{'s are' if n != 1 else ' is'} on items only one rater annotated"

    return _pair_mean_rows(c, q, getattr(report, kind), getattr(report, f"{kind}_per_label"), report.spans,
                           q.spans, "spans_per_label", report.notes,
                           "no span label was marked by two raters on an item", why_missing)


def _pair_mean_rows(c: Criterion, q: Quality, overall: float | None, per_label: dict[str, float | None],
                    total: int, figures: dict, counts_key: str, notes: list[str], none_marked: str,
                    why_missing: Callable[[str, int], str]) -> list[ScopeResult]:
    """Rows of a figure averaged over rater pairs (span F1, box F1, mean IoU): overall, or
    per label, saying why a label has no value."""
    counts, pairs = figures[counts_key], figures["rater_pairs_per_label"]
    if c.scope == Scope.per_label or c.labels:
        labels = list(c.labels) or [label for label in q.taxonomy if label in per_label]
        if not labels:
            return [ScopeResult("overall", None, 0, note=none_marked)]
        rows = []
        for label in labels:
            value, n = per_label.get(label), counts.get(label, 0)
            note = _pairs_note(pairs[label]) if value is not None else why_missing(label, n)
            rows.append(ScopeResult(f"label {label}", value, n, note=note))
        return rows
    note = _pairs_note(figures["rater_pairs"]) if overall is not None else "; ".join(notes)
    return [ScopeResult("overall", overall, total, note=note)]


def _pairs_note(n: int) -> str:
    return f"mean of {n} rater pair{'s' if n != 1 else ''}"


def _scope_name(c: Criterion) -> str:
    return f"{c.slice}" if c.scope == Scope.per_slice else "per label" if c.scope == Scope.per_label or c.labels \
        else "overall"


def _position_rows(c: Criterion, q: Quality) -> list[ScopeResult]:
    report = q.judgment_report
    if not isinstance(report, PreferenceReport):
        return [ScopeResult("overall", None, note=q.notes.get(c.metric.value, "position consistency is not measured"))]
    if c.scope != Scope.overall or c.labels:
        return [ScopeResult(_scope_name(c), None, note="position consistency is measured overall: it compares a "
                                                       "rater's two judgments of a pair, whatever the answer")]
    pc = report.position_consistency
    if pc is None:
        return [ScopeResult("overall", None, note="no shown_first column in the export: the order each pair was "
                                                  "shown in is not known")]
    if not pc["pairs"]:
        return [ScopeResult("overall", None, 0, note="no rater judged a pair in both orders")]
    row = ScopeResult("overall", pc["rate"], pc["pairs"],
                      note=f"{pc['consistent']} of {pc['pairs']} (rater, pair)s judged in both orders gave the same "
                           "answer")
    row.k = pc["consistent"]  # type: ignore[attr-defined]  # a rate: a confidence bound applies
    return [row]


def _criterion_value(metric: Metric, figures) -> float | None:
    if metric == Metric.ordinal_alpha:
        return figures.ordinal_alpha
    return (figures.weighted_kappa or {}).get("quadratic")


def _criterion_note(metric: Metric, figures) -> str:
    word = "alpha" if metric == Metric.ordinal_alpha else "kappa"
    notes = [n for n in figures.notes if word in n or n.startswith("not computable")]
    return "; ".join(notes) or "not computable"


def _judgment_rows(c: Criterion, q: Quality) -> list[ScopeResult]:
    metric = c.metric
    report, judgments = q.judgment_report, q.judgments
    if report is None or judgments is None:  # the two are set together
        return [ScopeResult("overall", None, note=q.notes.get(metric.value, f"{metric.value} is not measured"))]
    if isinstance(report, PreferenceReport) and metric == Metric.ordinal_alpha:
        if c.scope != Scope.overall or c.labels:
            return [ScopeResult(_scope_name(c), None, note="on a preference guideline ordinal alpha is measured "
                                                           "overall, on the strength scale of the answers")]
        value = report.ordinal_alpha
        note = ("strength scale " + " < ".join(judgments["scale"]) if value is not None else
                "; ".join(n for n in report.notes if "ordinal" in n or "not computable" in n) or
                "not computable: no pair was judged on the strength scale by two or more raters")
        return [ScopeResult("overall", value, report.items, note=note, coefficients=report.bootstrap,
                            resampled=f"{report.unit_column}s")]
    if not isinstance(report, RatingReport):
        return [ScopeResult("overall", None, note=q.notes.get(metric.value, f"{metric.value} is not measured"))]
    if c.scope == Scope.per_slice:
        return [ScopeResult(f"{c.slice}", None, note=f"{metric.value} is measured overall and per criterion "
                                                     "(scope per-label), not per slice")]
    figures = report.criteria
    order = list(judgments["criteria"])
    if c.scope == Scope.per_label or c.labels:
        rows = []
        for criterion in _criteria(c, judgments["points"]) if c.labels else order:
            if criterion not in figures:
                rows.append(ScopeResult(f"criterion {criterion}", None, 0, note=(
                    f"no score of criterion {criterion} in the export" if criterion in judgments["points"]
                    else f"{criterion} is neither a criterion nor a point of one")))
                continue
            f = figures[criterion]
            value = _criterion_value(metric, f)
            rows.append(ScopeResult(f"criterion {criterion}", value, f.items,
                                    note="" if value is not None else _criterion_note(metric, f),
                                    coefficients=f.bootstrap))
        return rows
    values = {name: _criterion_value(metric, figures[name]) for name in order}
    defined = [name for name, v in values.items() if v is not None]
    if not defined:
        notes = [f"{name}: {_criterion_note(metric, figures[name])}" for name in order]
        return [ScopeResult("overall", None, 0, note="; ".join(notes) or "no criterion was scored")]
    mean = report.mean(metric.value, defined)  # with the replicates of the mean
    left = [name for name in order if name not in defined]
    note = (f"mean of {len(defined)} criteri{'a' if len(defined) != 1 else 'on'} ({', '.join(defined)})"
            + (f"; not computable for {', '.join(left)}" if left else ""))
    return [ScopeResult("overall", mean.points[metric.value], sum(figures[name].items for name in defined),
                        note=note, coefficients=mean)]


def _criteria(c: Criterion, points_of: dict[str, list[str]]) -> list[str]:
    """The criteria a rating criterion's labels name: a criterion id, or a point of it
    (points_of: criterion -> its points)."""
    of_point = {point: criterion for criterion, points in points_of.items() for point in points}
    return list(dict.fromkeys(of_point.get(label, label) for label in c.labels))


def _box_rows(c: Criterion, q: Quality) -> list[ScopeResult]:
    report = q.box_report
    if report is None or q.boxes is None:  # the two are set together
        return [ScopeResult("overall", None, note=q.notes.get(c.metric.value, "box F1 is not measured"))]
    if c.scope == Scope.per_slice:
        return [ScopeResult(f"{c.slice}", None, note="box F1 and mean IoU are measured overall and per label, "
                                                     "not per slice")]
    f1 = c.metric == Metric.box_f1
    per_label = report.f1_per_label if f1 else report.mean_iou_per_label

    def why_missing(label: str, n: int) -> str:
        if n == 0:
            return f"no box with label {label}"
        if label in per_label:
            return f"no {label} boxes matched at IoU >= {IOU_THRESHOLD:g}"
        return f"its {n} box{'es are' if n != 1 else ' is'} on images only one rater annotated"

    return _pair_mean_rows(c, q, report.f1 if f1 else report.mean_iou, per_label, report.boxes, q.boxes,
                           "boxes_per_label", report.notes, "no class was drawn on an image two raters annotated",
                           why_missing)


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
            mine[known] = _with_label(q, j, c.metric)[items[known]]
            rows.append(_share(f"label {label}", hits[mine]))
        return rows
    return [_share("overall", hits)]


def _with_label(q: Quality, j: int, metric: Metric) -> np.ndarray:
    """Per view item: whether it carries label j. On a rating guideline a fact of the
    export item (its audit, text, split, source) is scoped by the item's labels: any of
    its (item, criterion) units resolved to the label."""
    has = q.resolved[:, j]
    if q.owner is None or metric not in ITEM_FACTS or not len(has):
        return has
    by_owner = np.zeros(int(q.owner.max()) + 1, bool)
    np.logical_or.at(by_owner, q.owner, has)
    return by_owner[q.owner]


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
    if c.confidence and (c.metric in AGREEMENT or c.metric in JUDGMENT):
        if c.comparator == Comparator.eq:  # no one-sided bound for equality
            row.status = PASS if COMPARE[c.comparator](compared, c.threshold) else FAIL
            return
        upper = c.comparator in (Comparator.le, Comparator.lt)
        row.bound = None if row.coefficients is None else \
            row.coefficients.bound(c.metric.value, c.confidence, upper=upper)
        if row.bound is None or row.coefficients is None:
            row.status = NOT_EVALUATED
            row.note = _join(row.note, "no bootstrap interval was computed for this figure")
            return
        row.note = _join(row.note, _bound_note(c, row.coefficients, upper, row.resampled))
        compared = row.bound
    elif c.confidence:
        k = getattr(row, "k", None)
        if k is None or not row.n:
            row.status = NOT_EVALUATED
            row.note = (row.note + "; " if row.note else "") + \
                "a confidence bound is computed for rates and agreement coefficients only; this criterion needs one"
            return
        upper = c.comparator in (Comparator.le, Comparator.lt)
        if c.comparator == Comparator.eq:
            compared = row.value
        else:
            row.bound = bound(k, row.n, c.confidence, upper=upper)
            compared = row.bound
    row.status = PASS if COMPARE[c.comparator](compared, c.threshold) else FAIL


def _join(note: str, more: str) -> str:
    return f"{note}; {more}" if note else more


def _bound_note(c: Criterion, coeff: Coefficients | Bootstrapped, upper: bool, resampled: str = "items") -> str:
    """How the bound was found: which percentile of how many resamples of what."""
    assert c.confidence is not None
    name = c.metric.value
    resamples = len(coeff.replicates[name])
    share = c.confidence if upper else 1 - c.confidence
    undefined = coeff.undefined_resamples(name)
    return (f"bound: the {share * 100:g}th percentile of {resamples:,} bootstrap resamples of the {resampled}"
            + (f" ({undefined:,} left it undefined and are left out)" if undefined else ""))


def format_value(metric: Metric, value: float | None) -> str:
    if value is None:
        return "n/a"
    if metric in DECIMAL:  # coefficients, F1 and IoU: 0.812, not 81.20%
        return f"{value:.3f}"
    return f"{value * 100:.2f}%"


def gate_fails(results: list[CriterionResult], quality: Quality) -> bool:
    return any(r.blocks_release for r in results) or bool(quality.hard_failures)

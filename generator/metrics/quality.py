"""A guideline's quality signals from its annotation export and audit results.

    datasheet.yaml data: --read--> Ratings, Audit --compute--> Quality
        agreement (overall, per label, per slice, gold), distributions, coverage,
        defect rates, leakage and readiness checks

Item-level facts (an item's resolved labels, its slice values, split, entity, text) are
kept as arrays so acceptance criteria can be evaluated per label and per slice. An
item's resolved labels are its gold labels where known, else the majority of its raters
(exclusive: ties broken by the taxonomy's priority; multi-label: every label that at
least half of its raters chose).

A span guideline's export (one row per span) is read item by item as a multi-label
export, each rating the set of labels a rater found on an item (span_items.py explains
the mapping); its spans are measured by span F1 (spans.py, Quality.spans) and its
agreement coefficients are those of the tokens' BIO tags (span_items.token_agreement).
A token-tagging export is an ordinary long export whose items are tokens (`doc1:7`);
its text column holds the document's text, so duplicates and texts in two splits are
looked for between documents, not between the tokens of one document.

Preference, rating and box exports are read item by item too (judgment_items.py explains
each mapping): a preference judgment is one single-label rating, its answer read as
responses (mirrored where the other response was shown first); a rating export's units
are (item, criterion) pairs labelled with the point of the score; a box export's rating is
the set of classes a rater drew on an image, as for spans. The shape's own figures
(preference.py, rating.py, boxes.py) are carried in Quality.judgments and Quality.boxes,
keyed by ids. The agreement coefficients of these shapes are those of the item-level view
at the nominal level (the shape's table gives ordinal, interval, weighted and box figures).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import agreement as ag
from .boxes import BoxReport, PairBoxes, box_report
from .compute import AgreementReport, agreement_report, disputed_items, membership
from .judgment_items import (
    EMPTY_BOX,
    answer_ids,
    box_counts,
    criterion_order,
    preference_figures,
    read_box_ratings,
    read_preference_ratings,
    read_rating_ratings,
)
from .preference import PreferenceReport
from .proportions import Proportion
from .rating import RatingReport, rating_report
from .read import Audit, Ratings, did_you_mean, objects, read_audit, read_ratings
from .span_items import read_span_ratings, token_agreement
from .spans import PairF1, SpanReport, span_report
from .versions import VersionFigures, outdated_items, version_figures

MISSING_WORDS = {"", "unknown", "none", "n/a", "na", "tbd", "todo", "-", "?"}
SHOWN_FINDINGS = 5
JUDGMENT_SHAPES = ("preference", "rating", "box")
# The metrics of one shape each, and what they are called in "not measured" notes.
SHAPE_METRICS = {
    "span": (("span_f1_exact", "span_f1_overlap"), "span F1"),
    "preference": (("position_consistency",), "position consistency"),
    "rating": (("weighted_kappa_quadratic",), "weighted kappa"),
    "box": (("box_f1", "mean_iou"), "box F1 and mean IoU"),
}


@dataclass
class CoverageCell:
    label: str
    slice: str  # column=value as written in sampling.yaml
    column: str
    value: str
    target: int
    current: int
    risk_note: str | None = None

    @property
    def gap(self) -> int:
        return max(self.target - self.current, 0)

    @property
    def ratio(self) -> float | None:
        return min(self.current / self.target, 1.0) if self.target else None


@dataclass
class Check:
    id: str
    title: str
    ok: bool | None  # None: not checked (a column is missing)
    detail: str
    hard: bool = False  # a hard gate: failing it blocks the release whatever the criteria say
    findings: list[str] = field(default_factory=list)


@dataclass
class Quality:
    annotations: str  # display path
    audit_path: str | None
    labels: list[str]  # taxonomy order, then labels found only in the data
    taxonomy: list[str]
    ratings: int
    rows: int
    items: int
    raters: int
    agreement: AgreementReport
    slices: list[str]
    resolved: np.ndarray  # items x labels, bool
    item_slices: dict[str, tuple[np.ndarray, list[str]]]  # column -> (code per item, values)
    distribution: dict[str, int]
    slice_distribution: dict[str, dict[str, dict[str, int]]]  # column -> value -> label -> items
    splits: dict[str, int]
    coverage: list[CoverageCell]
    unused_labels: list[str]
    gold: dict[str, Any] | None
    defects: dict[str, Any] | None
    checks: list[Check]
    units: dict[str, tuple[np.ndarray, np.ndarray]]  # metric -> (item code per unit, hit per unit)
    notes: dict[str, str]  # metric -> why it is not computable
    shape: str = "single-label"  # the guideline's task type
    # Span guidelines: SpanReport.as_dict() with per-label figures keyed by label id, plus
    # rows, spans_per_label, rater_pairs (with an overall F1) and rater_pairs_per_label.
    spans: dict[str, Any] | None = None
    span_report: SpanReport | None = None  # the same, unrounded: acceptance criteria use it
    # Preference and rating guidelines: the shape's report as_dict(), labels and criteria
    # as ids (preference_summary, rating_summary), and the report itself, unrounded, for
    # acceptance criteria.
    judgments: dict[str, Any] | None = None
    judgment_report: PreferenceReport | RatingReport | None = None
    # Box guidelines: BoxReport.as_dict() keyed by class id, with rows, boxes_per_label,
    # rater_pairs and rater_pairs_per_label; and the report, unrounded.
    boxes: dict[str, Any] | None = None
    box_report: BoxReport | None = None
    # Rating guidelines: per view item ((item, criterion) unit), the code of its export
    # item; the item-level facts (audit, duplicates, splits, sources) count export items.
    owner: np.ndarray | None = None
    # Exports with a guideline_version column: figures per version in release order
    # (versions.py), and the items rated under a version older than the guideline's.
    versions: list[VersionFigures] | None = None
    outdated_items: int | None = None

    @property
    def hard_failures(self) -> list[Check]:
        return [c for c in self.checks if c.hard and c.ok is False]

    def as_dict(self) -> dict:
        return {
            "annotations": self.annotations, "audit": self.audit_path, "ratings": self.ratings,
            "items": self.items, "raters": self.raters,
            "agreement": self.agreement.as_dict(),
            "distribution": self.distribution, "per_slice_distribution": self.slice_distribution,
            "splits": self.splits,
            "coverage": [{"label": c.label, "slice": c.slice, "target": c.target, "current": c.current,
                          "gap": c.gap} for c in self.coverage],
            "unused_labels": self.unused_labels,
            "gold": self.gold, "defects": self.defects,
            "checks": [{"id": c.id, "ok": c.ok, "hard": c.hard, "detail": c.detail, "findings": c.findings}
                       for c in self.checks],
            **({"spans": self.spans} if self.spans is not None else {}),
            **({"judgments": self.judgments} if self.judgments is not None else {}),
            **({"boxes": self.boxes} if self.boxes is not None else {}),
            **({"versions": [version_dict(v) for v in self.versions], "outdated_items": self.outdated_items}
               if self.versions is not None else {}),
        }


def repository_root(guideline) -> Path:
    return Path(guideline.folder).resolve().parent.parent


def load_data(guideline, root: Path | None = None) -> tuple[Ratings, Audit | None]:
    data = guideline.datasheet.data
    root = root or repository_root(guideline)
    multi = guideline.taxonomy.mode.value == "multi"
    columns = tuple(dict.fromkeys([*data.slices, *data.required]))
    path = root / data.annotations
    if guideline.shape == "span":  # one row per span: read item by item, spans attached
        ratings = read_span_ratings(path, data.annotations, guideline, columns=columns,
                                    separator=data.label_separator)
    elif guideline.shape == "preference":  # one row per judgment: answers read as responses
        ratings = read_preference_ratings(path, data.annotations, guideline, columns=columns)
    elif guideline.shape == "rating":  # one row per score: (item, criterion) units, points
        ratings = read_rating_ratings(path, data.annotations, guideline, columns=columns)
    elif guideline.shape == "box":  # one row per box: the classes drawn on each image
        ratings = read_box_ratings(path, data.annotations, guideline, columns=columns,
                                   separator=data.label_separator)
    else:
        ratings = read_ratings(root / data.annotations, data.annotations, multi=multi,
                               separator=data.label_separator, columns=columns)
        ratings = _values_to_ids(ratings, guideline)
    audit = None
    if data.audit:
        error_types = {e.id: e.category.value for e in guideline.qa.error_taxonomy}
        categories = {**error_types, **{c: c for c in error_types.values()}}
        from ..spec.qa import ErrorCategory

        categories.update({c.value: c.value for c in ErrorCategory})
        audit = read_audit(root / data.audit, data.audit, categories=categories)
    return ratings, audit


def _values_to_ids(r: Ratings, guideline) -> Ratings:
    """Exports carry the values raters pick (ADP, B-PER); from here on the pipeline speaks
    label ids, as acceptance criteria and pages do. A value no label has stays as it is,
    so it is reported as a label outside the taxonomy."""
    to_id = {label.data_value: label.id for label in guideline.taxonomy.labels}
    if all(value == ident for value, ident in to_id.items()):
        return r

    def category(text: str) -> str:
        if not r.multi:
            return to_id.get(text, text)
        return r.separator.join(to_id.get(part, part) for part in text.split(r.separator))

    r.categories = [category(c) for c in r.categories]
    r.sets = [frozenset(to_id.get(part, part) for part in labels) for labels in r.sets]
    if "gold" in r.frame.columns:
        r.frame["gold"] = r.frame["gold"].map(lambda g: category(str(g).strip()) if isinstance(g, str) else g)
    return r


def compute_quality(guideline, ratings: Ratings, audit: Audit | None) -> Quality:
    """The quality figures of one export, in named steps (each a function below):
    labels, resolved labels, slices and distributions, gold, duplicates and split leakage,
    required fields and schema, provenance, defects, agreement and the shape's figures."""
    data = guideline.datasheet.data
    shape = guideline.shape
    r = ratings
    taxonomy = taxonomy_ids(guideline)
    labels = all_labels(r, taxonomy)
    counts = ag.count_matrix(r.item, r.label, r.n_items, len(r.categories))
    first = r.first_row_per_item()
    gold_sets, gold_item = _gold(r, first)
    resolved = _resolve(r, counts, membership(r, labels), labels, guideline, gold_item)
    item_slices = slice_codes(r, data.slices, first)
    distribution, slice_distribution = distributions(labels, taxonomy, resolved, item_slices)
    split = _item_column(r, "split", first)
    heads, names = item_heads(r)
    units: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    notes: dict[str, str] = {}
    checks: list[Check] = []

    gold = None
    if gold_sets is not None:
        gold = gold_figures(r, gold_sets, labels, units)
    else:
        for metric in ("gold_accuracy", "precision_proxy", "recall_proxy"):
            notes[metric] = GOLD_NOTES.get(shape, "no gold column in the export")

    # Readiness and leakage ----------------------------------------------------------
    text = _item_column(r, "text", first)
    normalized, unit = None, text_units(r, shape)
    if text is not None:
        normalized = normalized_texts(text)
        with_text = (normalized != "").to_numpy()
        dup = duplicate_flags(normalized, unit)
        counted = heads[with_text[heads]]
        units["duplicate_rate"] = (counted, dup[counted])
    else:
        notes["duplicate_rate"] = "no text column in the export"
    checks.append(split_leakage_check(split, _item_column(r, "entity", first), normalized, unit, names, heads,
                                      units, notes))

    # Required fields and schema.
    check, unit_items, missing_any = required_fields_check(r, list(data.required), units)
    checks.append(check)
    checks.append(taxonomy_check(r, taxonomy, guideline.taxonomy.unknown_label, shape in ("span", "box"),
                                 unit_items, missing_any, units))
    if guideline.taxonomy.unknown_label:
        j = labels.index(guideline.taxonomy.unknown_label)
        units["unknown_label_rate"] = (np.arange(r.n_items), resolved[:, j])
    else:
        notes["unknown_label_rate"] = "the taxonomy has no unknown label"

    # Provenance: a hard gate.
    checks.append(provenance_check(guideline.datasheet.sources, data.source_column,
                                   _item_column(r, data.source_column, first), heads, units))

    defects = None
    if audit is not None:
        defects = _defects(audit, pd.Index(names[heads]), heads, units)
    else:
        for metric in ("critical_defect_rate", "major_defect_rate", "audit_pass_rate"):
            notes[metric] = "no audit file in datasheet.yaml data"

    # The judgment shapes' ordinal, interval and box figures are their own table's; the
    # item-level view's coefficients are nominal (MASI for a box export's class sets).
    level = "nominal" if shape in JUDGMENT_SHAPES else data.level.value
    # A token-tagging export's items are tokens: its intervals draw whole documents.
    documents = unit if shape == "token-tagging" else None
    report, spans, span_figures = agreement_figures(r, level, labels, tuple(data.slices),
                                                    taxonomy if level == "ordinal" else None, counts, item_slices,
                                                    documents)
    judgments, judgment_figures, boxes, box_figures = shape_figures(shape, r)
    notes.update(not_measured_notes(shape))
    versions = version_figures(r, audit, guideline.version, level=level, labels=labels,
                               order=taxonomy if level == "ordinal" else None, whole=report.overall)

    return Quality(
        annotations=r.display, audit_path=audit.display if audit else None, labels=labels, taxonomy=taxonomy,
        ratings=len(r.frame), rows=r.all_rows or len(r.frame), items=r.n_items, raters=len(r.raters),
        agreement=report, slices=list(data.slices), resolved=resolved, item_slices=item_slices,
        distribution=distribution, slice_distribution=slice_distribution, splits=split_counts(split),
        coverage=_coverage(guideline, labels, resolved, r, first), unused_labels=unused_labels(r, taxonomy),
        gold=gold, defects=defects, checks=checks, units=units, notes=notes, shape=shape, spans=spans,
        span_report=span_figures, judgments=judgments, judgment_report=judgment_figures, boxes=boxes,
        box_report=box_figures, owner=r.owner, versions=versions,
        outdated_items=outdated_items(r, guideline.version) if versions is not None else None)


# Labels and items ------------------------------------------------------------------------

def taxonomy_ids(guideline) -> list[str]:
    """The guideline's label ids in taxonomy order. A preference guideline's labels, here,
    are its answers: rubric points are scored in a rating export of their own."""
    if guideline.shape == "preference":
        return answer_ids(guideline)
    return [label.id for label in guideline.taxonomy.labels]


def _extra_labels(r: Ratings) -> list[str]:
    """The labels of the rows left out of the item-level view (Ratings.extra), one per row."""
    return [] if r.extra is None else [str(v) for v in r.extra["label"]]


def all_labels(r: Ratings, taxonomy: list[str]) -> list[str]:
    """The taxonomy's labels, then those found only in the data, sorted."""
    seen = sorted(set().union(*r.sets, _extra_labels(r)) - set(taxonomy))
    return taxonomy + seen


def unused_labels(r: Ratings, taxonomy: list[str]) -> list[str]:
    """The taxonomy's labels no rating gave, in taxonomy order."""
    used = set().union(*r.sets)
    return [label for label in taxonomy if label not in used]


def item_heads(r: Ratings) -> tuple[np.ndarray, np.ndarray]:
    """The item-level facts (text, split, entity, source, audit) are counted once per export
    item: a rating export's view items are its (item, criterion) units, and the first unit
    of each item stands for it. Returns the view item standing for each export item, in
    view order, and per view item the name of its export item."""
    if r.owner is not None and r.owners is not None:  # the two are set together
        _, heads = np.unique(r.owner, return_index=True)
        return np.sort(heads), r.owners[r.owner].astype(str)
    return np.arange(r.n_items), r.items.astype(str)


def slice_codes(r: Ratings, slices, first: np.ndarray) -> dict[str, tuple[np.ndarray, list[str]]]:
    """Per slice column, each item's code (its first row's value, '(none)' when empty) and
    the values, sorted."""
    item_slices = {}
    for column in slices:
        values = r.frame[column].iloc[first].fillna("(none)")
        codes, uniques = pd.factorize(values, sort=True)
        item_slices[column] = (codes.astype(np.int64), [str(u) for u in uniques])
    return item_slices


def distributions(labels: list[str], taxonomy: list[str], resolved: np.ndarray,
                  item_slices: dict[str, tuple[np.ndarray, list[str]]]) -> tuple[dict, dict]:
    """Items per resolved label, overall and per slice value. A label outside the taxonomy
    is listed only where it has items."""
    distribution = {label: int(n) for label, n in zip(labels, resolved.sum(axis=0)) if label in taxonomy or n}
    per_slice = {}
    for column, (codes, values) in item_slices.items():
        table = np.stack([np.bincount(codes, weights=resolved[:, j], minlength=len(values))
                          for j in range(len(labels))], axis=1) if len(labels) else np.zeros((len(values), 0))
        per_slice[column] = {v: {label: int(table[g, j]) for j, label in enumerate(labels)
                                 if label in taxonomy or table[g, j]}
                             for g, v in enumerate(values)}
    return distribution, per_slice


def split_counts(split: np.ndarray | None) -> dict[str, int]:
    """Items per split, by split name ({} without a split column; empty splits not counted)."""
    if split is None:
        return {}
    return {str(k): int(v) for k, v in sorted(pd.Series(split).value_counts().items())}


# Gold ----------------------------------------------------------------------------------------

def gold_figures(r: Ratings, gold_sets: np.ndarray, labels: list[str], units: dict) -> dict[str, Any]:
    """Accuracy of the ratings that have a gold answer, and per label the precision and
    recall of the raters against gold. Adds the units of gold_accuracy and of each label's
    precision_proxy and recall_proxy."""
    has = np.array([g is not None for g in gold_sets])
    rows_item = r.item[has]
    rated = np.array(r.categories, dtype=object)[r.label[has]]
    golds = np.array([g for g in gold_sets if g is not None], dtype=object)
    correct = rated == golds
    units["gold_accuracy"] = (rows_item, correct)
    rated_sets = [r.sets[c] for c in r.label[has]]
    gold_label_sets = [frozenset(g.split(r.separator)) if r.multi else frozenset([g]) for g in golds]
    per_label = {}
    for label in labels:
        in_gold = np.array([label in s for s in gold_label_sets], dtype=bool)
        in_rated = np.array([label in s for s in rated_sets], dtype=bool)
        units[f"recall_proxy:{label}"] = (rows_item[in_gold], in_rated[in_gold])
        units[f"precision_proxy:{label}"] = (rows_item[in_rated], in_gold[in_rated])
        if in_gold.any() or in_rated.any():
            per_label[label] = {"recall": Proportion(int((in_gold & in_rated).sum()), int(in_gold.sum())),
                                "precision": Proportion(int((in_gold & in_rated).sum()), int(in_rated.sum()))}
    return {"items": int(len(np.unique(rows_item))), "ratings": int(has.sum()),
            "accuracy": Proportion(int(correct.sum()), int(has.sum())), "per_label": per_label}


# Duplicates and split leakage ------------------------------------------------------------

def normalized_texts(text: np.ndarray) -> pd.Series:
    """Texts compared for duplicates: case folded, runs of white space as one space,
    stripped; '' for an item without text."""
    return pd.Series(text, dtype=object).fillna("").str.casefold().str.replace(r"\s+", " ", regex=True).str.strip()


def text_units(r: Ratings, shape: str) -> np.ndarray:
    """Per item, the unit its text belongs to: the item itself or, in a token-tagging
    export, the document whose tokens all carry it (item doc1:7 is token 7 of doc1), in a
    rating export the item whose (item, criterion) units all carry it."""
    if shape == "token-tagging":
        return _documents(r)
    return r.owner if r.owner is not None else np.arange(r.n_items)


def duplicate_flags(normalized: pd.Series, unit: np.ndarray) -> np.ndarray:
    """Per item: its text repeats the text of an earlier item of another unit."""
    with_text = (normalized != "").to_numpy()
    holder = pd.Series(unit[with_text]).groupby(normalized[with_text].to_numpy(), sort=False).transform("first")
    dup = np.zeros(len(unit), bool)
    dup[with_text] = unit[with_text] != holder.to_numpy()
    return dup


def entity_leaks(entity: np.ndarray, split_s: pd.Series) -> tuple[np.ndarray, int, list[str]]:
    """Items whose entity is in more than one split, how many entities are, and a finding
    for each of the first SHOWN_FINDINGS of them."""
    frame = pd.DataFrame({"entity": entity, "split": split_s}).dropna(subset=["entity"])
    spread = frame.groupby("entity", sort=True)["split"].nunique()
    spread = spread[spread > 1]
    leaked = pd.Series(entity).isin(spread.index).to_numpy()
    findings = [f"entity '{name}' is in {', '.join(sorted(frame.loc[frame['entity'] == name, 'split'].unique()))}"
                for name in spread.index[:SHOWN_FINDINGS]]
    return leaked, len(spread), findings


def text_leaks(normalized: pd.Series, split_s: pd.Series, unit: np.ndarray, names: np.ndarray,
               shown: int) -> tuple[np.ndarray, int, int, list[str]]:
    """Items whose text is in more than one split, how many texts are, how many texts are
    held by two units or more of one split, and a finding for each of the first `shown`
    texts in two splits (naming up to three of its items)."""
    with_text = (normalized != "").to_numpy()
    frame = pd.DataFrame({"text": normalized, "split": split_s, "unit": unit})[with_text]
    groups = frame.groupby("text", sort=True)["split"].agg(["nunique", "size"])
    across = groups[groups["nunique"] > 1]
    within = int(((frame.groupby(["text", "split"])["unit"].nunique() > 1)).sum())
    leaked = normalized.isin(across.index).to_numpy() & with_text
    findings = []
    for name in across.index[:max(0, shown)]:
        examples = frame[frame["text"] == name].drop_duplicates("unit").index[:3]
        findings.append("text of items " + ", ".join(f"'{names[i]}'" for i in examples)
                        + " is in " + ", ".join(sorted(frame.loc[examples, "split"].unique())))
    return leaked, len(across), within, findings


def split_leakage_check(split: np.ndarray | None, entity: np.ndarray | None, normalized: pd.Series | None,
                        unit: np.ndarray, names: np.ndarray, heads: np.ndarray, units: dict,
                        notes: dict) -> Check:
    """Entities and texts kept in one split; adds the units of cross_split_overlap."""
    if split is None:
        notes["cross_split_overlap"] = "no split column in the export"
        return Check("split-leakage", "Entities and texts kept in one split", None, "no split column")
    split_s = pd.Series(split, dtype=object).fillna("(none)")
    leaked = np.zeros(len(split), bool)
    findings: list[str] = []
    entity_spread = dup_across = dup_within = 0
    if entity is not None:
        by_entity, entity_spread, findings = entity_leaks(entity, split_s)
        leaked |= by_entity
    if normalized is not None:
        by_text, dup_across, dup_within, more = text_leaks(normalized, split_s, unit, names,
                                                           SHOWN_FINDINGS - len(findings))
        leaked |= by_text
        findings += more
    if entity is None and normalized is None:
        notes["cross_split_overlap"] = "no entity or text column in the export"
    else:
        units["cross_split_overlap"] = (heads, leaked[heads])
    return Check(
        "split-leakage", "Entities and texts kept in one split",
        None if entity is None and normalized is None else not leaked.any(),
        (f"{entity_spread} entit{'y' if entity_spread == 1 else 'ies'} in more than one split"
         if entity is not None else "no entity column") + "; "
        + (f"{dup_across} text{'s' if dup_across != 1 else ''} in more than one split, "
           f"{dup_within} duplicated within a split" if normalized is not None else "no text column")
        + f"; {int(leaked[heads].sum())} of {len(heads)} items affected", findings=findings)


# Required fields, schema, provenance -------------------------------------------------------

def _extra_rows(r: Ratings) -> pd.DataFrame:
    return r.extra if r.extra is not None else pd.DataFrame({"item": np.zeros(0, np.int64), "label": []})


def required_fields_check(r: Ratings, required: list[str], units: dict) -> tuple[Check, np.ndarray, np.ndarray]:
    """Required fields filled, on every row of the export: the view's ratings, then the rows
    left out of the view (a preference rater's second judgment of an item), then the rows
    without a label (dropped while reading: missing and invalid). Returns the check, the
    view item of each of those rows (-1: no label) and whether a required field is empty
    on each rating and left-out row; adds the units of missing_field_rate."""
    columns = list(dict.fromkeys(["item", "rater", "label", *required]))
    extra = _extra_rows(r)
    missing_any = np.zeros(len(r.frame) + len(extra), bool)
    counts_missing = {"label": r.missing_labels} if r.missing_labels else {}
    for column in required:
        if r.missing_fields is not None and column in r.missing_fields:
            missing = r.missing_fields[column]  # a span or box rating: empty on any of its rows
        else:
            missing = r.frame[column].isna().to_numpy()
        if len(extra):
            missing = np.concatenate([missing, extra[column].isna().to_numpy()])
        if missing.any():
            counts_missing[column] = int(missing.sum())
        missing_any |= missing
    rows_total = r.all_rows or len(r.frame)
    unit_items = np.concatenate([r.item, extra["item"].to_numpy(dtype=np.int64), np.full(r.missing_labels, -1)])
    units["missing_field_rate"] = (unit_items, np.concatenate([missing_any, np.ones(r.missing_labels, bool)]))
    check = Check("required-fields", "Required fields filled", not counts_missing,
                  f"{int(missing_any.sum()) + r.missing_labels} of {rows_total} ratings miss a required field"
                  f" ({', '.join(columns)})",
                  findings=[f"'{c}' empty in {n} rating{'s' if n != 1 else ''}" for c, n in counts_missing.items()])
    return check, unit_items, missing_any


def invalid_categories(r: Ratings, known: set[str], unknown_label: str | None, sets_of_marks: bool) -> np.ndarray:
    """Per category, whether it breaks the schema: a label outside the taxonomy or, in a
    multi-label answer, the unknown label next to others (a span or a box labelled unknown
    may sit next to other spans or boxes of the item)."""
    return np.array([not s <= known or (r.multi and not sets_of_marks and unknown_label in s and len(s) > 1)
                     for s in r.sets], dtype=bool)


def outside_label_rows(r: Ratings, known: set[str]) -> dict[str, int]:
    """Labels outside the taxonomy, sorted, with the number of rows giving each."""
    extra_labels = _extra_labels(r)
    out = {}
    for label in sorted(set().union(*r.sets, extra_labels) - known):
        cats = [c for c, s in enumerate(r.sets) if label in s]
        out[label] = int(np.isin(r.label, cats).sum()) + extra_labels.count(label)
    return out


def taxonomy_check(r: Ratings, taxonomy: list[str], unknown_label: str | None, sets_of_marks: bool,
                   unit_items: np.ndarray, missing_any: np.ndarray, units: dict) -> Check:
    """Labels in the taxonomy (a hard gate); adds the units of schema_valid_rate (rows with
    a label outside the taxonomy, an empty required field or no label are not valid)."""
    known = set(taxonomy)
    invalid = invalid_categories(r, known, unknown_label, sets_of_marks)
    invalid_rows = np.concatenate([invalid[r.label], np.array([label not in known for label in _extra_labels(r)],
                                                              dtype=bool)])
    units["schema_valid_rate"] = (unit_items, np.concatenate([~(invalid_rows | missing_any),
                                                              np.zeros(r.missing_labels, bool)]))
    outside = outside_label_rows(r, known)
    return Check("taxonomy-labels", "Labels in the taxonomy", not outside,
                 "every label is in taxonomy.yaml" if not outside else
                 f"{len(outside)} label{'s' if len(outside) != 1 else ''} not in taxonomy.yaml",
                 hard=True,
                 findings=[f"'{label}' in {n} rating{'s' if n != 1 else ''}{did_you_mean(label, taxonomy)}"
                           for label, n in outside.items()])


def provenance_check(sources, source_column: str, source: np.ndarray | None, heads: np.ndarray,
                     units: dict) -> Check:
    """Every source has license and consent (a hard gate): over the items' sources when the
    export has the source column, else over the sources of datasheet.yaml. Adds the units
    of license_coverage."""
    declared = {s.id: s for s in sources}
    incomplete = sorted(s.id for s in declared.values()
                        if s.license.strip().lower() in MISSING_WORDS or s.consent.strip().lower() in MISSING_WORDS)
    findings = [f"source '{s}' has no license or consent in datasheet.yaml" for s in incomplete]
    if source is not None:
        source_s = pd.Series(source[heads], dtype=object)
        licensed = source_s.isin([s for s in declared if s not in incomplete]).to_numpy()
        units["license_coverage"] = (heads, licensed)
        undeclared = source_s[~licensed & ~source_s.isin(incomplete)].fillna("(empty)").value_counts()
        for name, n in sorted(undeclared.items()):
            findings.append(f"source '{name}' of {n} item{'s' if n != 1 else ''} is not in datasheet.yaml"
                            f"{did_you_mean(str(name), declared)}")
        detail = f"{int(licensed.sum())} of {len(heads)} items come from a source with license and consent"
        ok = bool(licensed.all())
    else:
        ok = not incomplete
        units["license_coverage"] = (np.full(len(declared), -1), np.array([s not in incomplete for s in declared]))
        detail = (f"{len(declared) - len(incomplete)} of {len(declared)} sources have license and consent "
                  f"(no '{source_column}' column: measured over the sources of datasheet.yaml)")
    return Check("provenance", "Every source has license and consent", ok, detail, hard=True, findings=findings)


# Agreement and the shapes' own figures ----------------------------------------------------

def agreement_figures(r: Ratings, level: str, labels: list[str], slices: tuple[str, ...], order: list[str] | None,
                      counts: np.ndarray, item_slices, documents: np.ndarray | None = None
                      ) -> tuple[AgreementReport, dict | None, SpanReport | None]:
    """The agreement report; for a span export, the coefficients of its tokens' BIO tags,
    with its span F1 figures (summary and report). documents: see agreement_report."""
    if r.spans is None:
        return agreement_report(r, level=level, labels=labels, slices=slices, order=order, counts=counts,
                                documents=documents), None, None
    figures = span_report(r.spans, token_bio=False)
    report, figures.token_bio = token_agreement(r.spans, item_slices)
    report.disputed = disputed_items(r, counts)  # the label sets the raters gave
    return report, span_summary(r.spans, figures), figures


def shape_figures(shape: str, r: Ratings):
    """The judgment shapes' own figures: (judgments summary, its report, boxes summary, its
    report), None where the shape has none."""
    if shape == "preference":
        preference = preference_figures(r.judgments)
        return preference_summary(r.judgments, preference), preference, None, None
    if shape == "rating":
        rating = rating_report(r.judgments.scores)
        return rating_summary(r.judgments, rating), rating, None, None
    if shape == "box":
        boxes = box_report(r.boxes)
        return None, None, box_summary(r.boxes, boxes), boxes
    return None, None, None, None


def not_measured_notes(shape: str) -> dict[str, str]:
    """Why the metrics of the other shapes are not measured for this one."""
    notes = {}
    for measured, (metrics, name) in SHAPE_METRICS.items():
        if shape != measured:
            for metric in metrics:
                notes[metric] = f"{name} is measured for {measured} guidelines; this one is {shape}"
    if shape not in ("preference", "rating"):
        notes["ordinal_alpha"] = (f"ordinal alpha is measured for rating and preference guidelines; this one is "
                                  f"{shape} (krippendorff_alpha with level: ordinal in datasheet.yaml)")
    return notes


def version_dict(v: VersionFigures) -> dict[str, Any]:
    return {"version": v.version, "ratings": v.ratings, "items": v.items, "current": v.current,
            "outdated": v.outdated, "agreement": v.agreement.as_dict(), "audited": v.audited,
            "defect_rate": None if v.defective is None else v.defective.value}


def span_summary(s, report: SpanReport) -> dict[str, Any]:
    """The span figures of the datasheet: report.as_dict() (labels are ids: span_items
    mapped them) with the counts its tables show."""
    out = report.as_dict()
    usable = [p for p in report.pairs if p.items]
    counts = np.bincount(s.label, minlength=len(s.labels)) if len(s.labels) else np.zeros(0, dtype=np.int64)
    out["rows"] = int(s.rows)
    out["spans_per_label"] = {label: int(n) for label, n in zip(s.labels, counts)}
    out["rater_pairs"] = sum(PairF1.f1(p.exact, *p.spans) is not None for p in usable)
    out["rater_pairs_per_label"] = {label: sum(label in p.per_label for p in usable) for label in report.labels}
    return out


GOLD_NOTES = {
    "span": "not measured for a span export: enter the gold spans as a gold rater and compare by span F1",
    "preference": "not measured for a preference export: enter the gold answers as a gold rater",
    "rating": "not measured for a rating export: enter the gold scores as a gold rater",
    "box": "not measured for a box export: enter the gold boxes as a gold rater and compare by box F1",
}


def preference_summary(d, report: PreferenceReport) -> dict[str, Any]:
    """The preference figures of the datasheet: report.as_dict() (answers as ids) with the
    strength scale and the judgments per answer."""
    out = report.as_dict()
    out["scale"] = list(d.scale.on_scale)
    out["off_scale"] = list(d.scale.off_scale)
    out["rows"] = int(d.prefs.rows)
    out["judgments_per_label"] = {label: d.answers.count(label) for label in report.labels}
    out["mirrored"] = int(d.mirrored.sum())
    return out


def rating_summary(d, report: RatingReport) -> dict[str, Any]:
    """The rating figures of the datasheet: report.as_dict() with the criteria in the
    guideline's order (then the export's others), each with its points."""
    out = report.as_dict()
    figures = out["criteria"]
    out["criteria"] = {c: figures[c] for c in criterion_order(d) if c in figures}
    out["missing_criteria"] = [c for c in d.criteria if c not in figures]  # no score in the export
    out["rows"] = int(d.scores.rows)
    out["points"] = {c: list(points) for c, points in d.points.items()}
    return out


def box_summary(b, report: BoxReport) -> dict[str, Any]:
    """The box figures of the datasheet: report.as_dict() (classes are ids:
    judgment_items mapped them) with the counts its tables show."""
    out = report.as_dict()
    usable = [p for p in report.pairs if p.items]
    out["rows"] = int(b.rows)
    out["boxes_per_label"] = box_counts(b)
    out["rater_pairs"] = sum(PairBoxes.f1(p.matches, *p.boxes) is not None for p in usable)
    out["rater_pairs_per_label"] = {label: sum(label in p.per_label for p in usable) for label in report.labels}
    out["empty"] = EMPTY_BOX
    return out


def _documents(r: Ratings) -> np.ndarray:
    """Per item of a token export, a code of its document: the item name up to its last
    ':' (doc1:7 -> doc1), the whole name when it has none."""
    names = pd.Series(r.items.astype(str)).str.replace(r":[^:]*$", "", regex=True)
    return pd.factorize(names, sort=False)[0].astype(np.int64)


def _item_column(r: Ratings, column: str, first: np.ndarray) -> np.ndarray | None:
    if column not in r.frame.columns:
        return None
    return objects(r.frame[column].iloc[first])


def _gold(r: Ratings, first: np.ndarray):
    """Gold per rating (canonical string or None) and per item (first gold given)."""
    if "gold" not in r.frame.columns:
        return None, None
    raw = r.frame["gold"]
    codes, uniques = pd.factorize(raw, sort=True)
    canonical = [_canonical(str(u), r) for u in uniques]
    table = np.array(canonical + [None], dtype=object)
    per_row = table[np.where(codes < 0, len(canonical), codes)]
    per_item = np.full(r.n_items, None, dtype=object)
    has = codes >= 0
    # The first gold label given for an item wins (later rows repeat it).
    order = np.flatnonzero(has)[::-1]
    per_item[r.item[order]] = per_row[order]
    return per_row, per_item


def _canonical(value: str, r: Ratings) -> str:
    if not r.multi:
        return value.strip()
    return r.separator.join(sorted({p.strip() for p in value.split(r.separator) if p.strip()}))


def _resolve(r: Ratings, counts: np.ndarray, member: np.ndarray, labels: list[str], guideline,
             gold_item: np.ndarray | None) -> np.ndarray:
    """items x labels: the labels each item ends up with (gold, else majority)."""
    presence = counts @ member
    m = counts.sum(axis=1)
    if r.multi:
        resolved = presence * 2 >= m[:, None]
        resolved &= presence > 0
    else:
        priority = [*guideline.taxonomy.priority, *[label for label in labels
                                                    if label not in guideline.taxonomy.priority]]
        rank = np.array([priority.index(label) for label in labels], dtype=np.float64)
        score = presence * (len(labels) + 1) - rank[None, :]
        score[presence == 0] = -np.inf
        winner = np.argmax(score, axis=1)
        resolved = np.zeros_like(presence, dtype=bool)
        resolved[np.arange(len(winner)), winner] = True
    if gold_item is not None:
        has = np.flatnonzero(np.array([g is not None for g in gold_item]))
        index = {label: j for j, label in enumerate(labels)}
        for value in sorted({gold_item[i] for i in has}):
            rows = has[np.array([gold_item[i] == value for i in has])]
            parts = value.split(r.separator) if r.multi else [value]
            resolved[rows] = False
            for part in parts:
                if part in index:
                    resolved[rows, index[part]] = True
    return resolved


def _coverage(guideline, labels: list[str], resolved: np.ndarray, r: Ratings, first: np.ndarray) -> list[CoverageCell]:
    cells = []
    cache: dict[str, np.ndarray | None] = {}
    for cell in guideline.sampling.coverage:
        column, _, value = cell.slice.partition("=")
        column, value = column.strip(), value.strip()
        if column not in cache:
            cache[column] = _item_column(r, column, first)
        values = cache[column]
        current = 0
        if values is not None and cell.label in labels:
            current = int((resolved[:, labels.index(cell.label)] & (values == value)).sum())
        cells.append(CoverageCell(cell.label, cell.slice, column, value, cell.target, current, cell.risk_note))
    return cells


def _defects(audit: Audit, index: pd.Index, heads: np.ndarray, units: dict) -> dict[str, Any]:
    """index: the export's item names, one per item; heads: the view item standing for each."""
    frame = audit.frame
    items = np.array(sorted(frame["item"].unique()), dtype=object)
    n = len(items)
    position = index.get_indexer(pd.Index(items))
    codes = np.where(position >= 0, heads[np.maximum(position, 0)], -1)  # -1: audited items not in the export
    item_pos = {name: i for i, name in enumerate(items)}
    pos = frame["item"].map(item_pos).to_numpy(dtype=np.int64)  # int even when no item is audited
    by_severity = {}
    for severity in ("critical", "major", "minor"):
        hit = np.zeros(n, bool)
        hit[pos[(frame["severity"] == severity).to_numpy()]] = True
        by_severity[severity] = Proportion(int(hit.sum()), n)
        if severity in ("critical", "major"):
            units[f"{severity}_defect_rate"] = (codes, hit)
    by_category = {}
    for category in sorted(frame["error_category"].dropna().unique()):
        hit = np.zeros(n, bool)
        hit[pos[(frame["error_category"] == category).to_numpy()]] = True
        by_category[str(category)] = Proportion(int(hit.sum()), n)
    defective = np.zeros(n, bool)
    defective[pos[frame["severity"].notna().to_numpy()]] = True
    units["audit_pass_rate"] = (codes, ~defective)
    return {"audited": n, "not_in_export": int((codes < 0).sum()), "by_severity": by_severity,
            "by_category": by_category, "pass_rate": Proportion(int((~defective).sum()), n)}


_WORD = re.compile(r"\s+")

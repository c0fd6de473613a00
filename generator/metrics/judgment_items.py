"""Preference, rating and box exports read item by item, so the datasheet's item-level
figures (distribution, coverage, readiness checks, audit defects) mean something for
these shapes too, next to each shape's own agreement (preference.py, rating.py, boxes.py).

Every export carries label VALUES (what raters pick); the views speak label ids, as
acceptance criteria and pages do. A value no label has stays as written and is reported
as a label outside the taxonomy (a hard gate). A `gold` column is not read from these
exports: enter gold judgments, scores or boxes as a gold rater.

**Preference** (one row per judgment: item, rater, label = the answer's value, optionally
shown_first and pair):

- each label is read as an answer about the responses, as preference.py reads it: where
  the pair's other response was shown first, A and B (first and second) swap as whole
  tokens, and a number v becomes -v on a signed scale or lo + hi - v on a scale from lo
  to hi, lo and hi the ends of the guideline's numeric answers. The value read is mapped
  to its answer's id (a number by its value: 2.0 is the answer valued 2);
- the item-level view is single-label: one rating per (item, rater), the answer of the
  rater's first judgment of the item in the file. A second judgment of the item (the
  same pair in the other order) is left out of the view, as it is of the agreement
  between raters; it counts in position consistency, and its fields and its answer are
  read by the readiness checks (required fields, labels in the taxonomy);
- the labels of the view are the guideline's answers (shape_check_judgments.answer_labels):
  rubric points are scored in a rating export of their own, so they are neither unused
  labels nor answers here;
- the preference figures (preference_figures) are preference.py's, over its units (the
  pair, or the item without a pair column): percent agreement and nominal alpha over the
  answers read as responses, position consistency, and ordinal alpha on the STRENGTH
  SCALE (strength_scale): the answers in the order of taxonomy.yaml (numeric answers by
  their value), leaving out the off-scale answers: the unknown label always; when some
  answers are numbers, every answer whose value is not a number (both-bad beside -2..2);
  when all are text, the answers listed before the first or after the last answer whose
  value names a position (A, B, first, second), so A>>B, A>B, tie, B>A, B>>A is the scale
  and a both-bad listed after them is off it. Off-scale judgments are left out of ordinal
  alpha as missing values; the other figures count them.

**Rating** (one row per score: item, rater, criterion = a criterion id, label = the score):

- each (item, criterion) is one unit of the view, named "<item> / <criterion>", whose
  label is the point the score stands for: the point of that criterion whose value equals
  the score (3.0 is the point valued 3). A score no point of the criterion has, or a
  criterion not in taxonomy.yaml, is written "<criterion>=<score>": outside the taxonomy;
- from there the single-label pipeline runs on units: distribution and coverage count
  units (an item carries at most one point of a criterion), agreement coefficients compare
  points, unknown_label_rate and the required-field and schema checks count units and
  scores; the item-level facts (duplicates, split leakage, sources, audit defects) are
  taken once per export item (Ratings.owner maps each unit to its item);
- the rating figures are rating.py's per criterion (percent agreement, ordinal and
  interval alpha, weighted kappa with two raters). A criterion's points rise in value
  (check enforces it), so the scores' order is the points' order.

**Box** (one row per box: item = the image, rater, label = the class, x, y, w, h; a
rater who saw an image and drew nothing leaves one row with label, x, y, w, h empty):

- the boxes' class values become ids (boxes_to_ids) and box F1 and mean IoU are
  boxes.py's, keyed by class id;
- as for spans (span_items.py), each (image, rater) is one multi-label rating: the set
  of the classes the rater drew on the image, the empty set (named EMPTY_BOX) when they
  drew nothing, neither a missing label nor a label outside the taxonomy; an image
  contains a class when at least half of its raters drew one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ..shape_check_judgments import answer_labels
from . import agreement as ag
from .boxes import BOX_COLUMNS, Boxes, read_boxes
from .preference import (PREFERENCE_COLUMNS, PreferenceReport, Preferences, Scale, _TOKEN, as_responses,
                         attach_intervals, first_judgment_agreement, mirror_text, position_consistency,
                         read_preferences)
from .rating import RATING_COLUMNS, Scores, read_scores
from .read import DEFAULT_SEPARATOR, STRING, Ratings, read_ratings, read_table, require_columns
from .span_items import ids_for_values, item_view

EMPTY_BOX = "(no box)"  # the empty class set: the rater saw the image and drew nothing
UNIT = " / "  # a rating unit's name: <item> / <criterion>


def _number(text) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


def _format(value: float) -> str:
    return f"{value + 0.0:g}"  # + 0.0: a mirrored 0 is 0, not -0


def _view_frame(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The export's rows, without the gold column these exports do not read."""
    view = frame.iloc[rows].reset_index(drop=True)
    return view.drop(columns=[c for c in ("gold",) if c in view.columns])


# --- preference -------------------------------------------------------------------------------

@dataclass
class StrengthScale:
    answers: list[str]  # the answer ids, in taxonomy order
    on_scale: list[str]  # the strength scale, from one end to the other
    off_scale: list[str]
    numeric: bool  # the scale's answers are valued by numbers
    rank: dict[str, float]  # on-scale answer -> its place (its value, or its index)


def answer_ids(guideline) -> list[str]:
    """A preference guideline's answers (labels that are no rubric point), taxonomy order."""
    answers = answer_labels(guideline.taxonomy)
    return [label.id for label in guideline.taxonomy.labels if label.id in answers]


def strength_scale(guideline) -> StrengthScale:
    """The answers ordinal alpha reads as a scale (see the module's docstring)."""
    answers = answer_ids(guideline)
    values = {a: guideline.label(a).data_value for a in answers}
    candidates = [a for a in answers if a != guideline.taxonomy.unknown_label]
    numeric = {a: n for a in candidates if (n := _number(values[a])) is not None}
    if numeric:
        on = sorted(numeric, key=lambda a: numeric[a])
        rank = {a: numeric[a] for a in on}
    else:
        naming = [k for k, a in enumerate(candidates) if _TOKEN.search(values[a])]
        on = candidates[naming[0]:naming[-1] + 1] if naming else []
        rank = {a: float(k) for k, a in enumerate(on)}
    return StrengthScale(answers, on, [a for a in answers if a not in on], bool(numeric), rank)


def _answer_reader(guideline, scale: StrengthScale) -> tuple[Callable[[str], str], Callable[[str], str]]:
    """(mirror, to_id): how a value given as a position is mirrored, and the answer id of
    a value (itself when no answer has it)."""
    values = {guideline.label(a).data_value: a for a in scale.answers}
    numbers = [(n, a) for v, a in values.items() if (n := _number(v)) is not None]
    ends = [n for n, _ in numbers]

    def mirror(label: str) -> str:
        value = _number(label)
        if value is None:
            return mirror_text(label)
        if not ends:  # a number where the answers are text: outside the taxonomy, left as is
            return label
        return _format(-value if min(ends) < 0 else min(ends) + max(ends) - value)

    def to_id(label: str) -> str:
        if label in values:
            return values[label]
        value = _number(label)
        if value is not None:
            return next((a for n, a in numbers if n == value), label)
        return label

    return mirror, to_id


@dataclass
class PreferenceData:
    prefs: Preferences  # the judgments, labels as given (positions)
    answers: list[str]  # per judgment: the answer read as responses, its id (or the value as written)
    mirrored: np.ndarray  # per judgment: the label was mirrored
    as_given: list[str]  # per judgment: the id of the label as given (not mirrored)
    scale: StrengthScale


def read_preference_ratings(path: Path, display: str, guideline, *, columns: tuple[str, ...] = ()) -> Ratings:
    """A preference guideline's export: the item-level ratings (answer ids read as
    responses), with the judgments attached (Ratings.judgments). columns: further columns
    that must be present (slices, required)."""
    frame = read_table(path, display)
    p = read_preferences(path, display, frame=frame)  # strips the column names of frame
    require_columns(frame, [c for c in columns if c not in PREFERENCE_COLUMNS], display)
    keep = np.flatnonzero((frame["label"].str.strip().fillna("") != "").to_numpy(dtype=bool))
    scale = strength_scale(guideline)
    mirror, to_id = _answer_reader(guideline, scale)
    given = [label if (n := _number(label)) is None else _format(n) for label in p.label]
    responses, mirrored = as_responses(dataclasses.replace(p, label=given), Scale(False, mirror))
    answers = [to_id(label) for label in responses]
    data = PreferenceData(p, answers, mirrored, [to_id(label) for label in given], scale)

    view = _view_frame(frame, keep)
    view["label"] = pd.Series(answers, dtype=STRING)
    first = ~view[["item", "rater"]].duplicated(keep="first").to_numpy()
    r = read_ratings(path, display, frame=view[first].reset_index(drop=True), columns=columns)
    extra = None
    if not first.all():
        extra = view[~first].reset_index(drop=True)
        extra["item"] = pd.Index(r.items).get_indexer(pd.Index(extra["item"].to_numpy(dtype=object)))
    return dataclasses.replace(r, missing_labels=p.missing, all_rows=p.rows, judgments=data, extra=extra)


def preference_figures(d: PreferenceData) -> PreferenceReport:
    """preference.py's figures over the answers read as responses (ids), with ordinal
    alpha on the guideline's strength scale."""
    p, answers, scale = d.prefs, d.answers, d.scale
    notes: list[str] = []
    if p.missing:
        notes.append(f"{p.missing} row{'s' if p.missing != 1 else ''} without a label "
                     f"{'are' if p.missing != 1 else 'is'} left out")
    if p.shown_first is None:
        notes.append("no shown_first column: answers are read as given (A: the response shown first), position "
                     "consistency is not measured")
    elif d.mirrored.any():
        unread = sorted({a for a, m in zip(answers, d.mirrored) if m} - set(scale.answers))
        if unread:
            notes.append("mirrored answers no answer of taxonomy.yaml has: " + ", ".join(unread)
                         + " (give each answer's mirror a label, e.g. A>B and B>A)")
    categories = [a for a in scale.answers if a in set(answers)] + sorted(set(answers) - set(scale.answers))
    agreed = first_judgment_agreement(p, answers, categories, notes, "answer")
    code = {label: k for k, label in enumerate(categories)}
    ordinal = None
    if len(scale.on_scale) < 2:
        notes.append("ordinal alpha is not measured: the answers have no strength scale (two or more answers "
                     "naming a position, or valued by numbers)")
    elif agreed.items:
        on = [a for a in scale.on_scale if a in code]
        off = int(np.isin(agreed.label_code[agreed.first], [code[a] for a in categories if a not in scale.rank]).sum())
        if on:
            ordinal = ag.alpha(agreed.counts[:, [code[a] for a in on]], "ordinal", [scale.rank[a] for a in on])
        if off:
            notes.append(f"ordinal alpha reads the strength scale {' < '.join(scale.on_scale)}; "
                         f"{off} judgment{'s' if off != 1 else ''} off the scale "
                         f"({', '.join(a for a in categories if a not in scale.rank)}) "
                         f"{'are' if off != 1 else 'is'} left out of it")
    consistency = position_consistency(p, answers) if p.shown_first is not None else None
    if consistency is not None and not consistency["pairs"]:
        notes.append("position consistency is not measured: no rater judged a pair in both orders")
    raters = len(np.unique(p.rater))
    report = PreferenceReport(p.unit_column, raters, agreed.items, len(answers), categories, agreed.percent,
                              agreed.alpha, ordinal, consistency, notes)
    # The bootstrap intervals of the figures, the units resampled (preference.attach_intervals).
    on_scale = [a for a in scale.on_scale if a in code]
    return attach_intervals(report, agreed.counts,
                            ([code[a] for a in on_scale], [scale.rank[a] for a in on_scale]) if on_scale else None)


# --- rating -------------------------------------------------------------------------------------

@dataclass
class RatingData:
    scores: Scores  # criteria as the export names them
    criteria: list[str]  # the guideline's criterion ids, taxonomy order
    points: dict[str, list[str]]  # criterion id -> its points (label ids), lowest first


def read_rating_ratings(path: Path, display: str, guideline, *, columns: tuple[str, ...] = ()) -> Ratings:
    """A rating guideline's export: one rating per (item, criterion) unit and rater, its
    label the point id, with the scores attached (Ratings.judgments)."""
    frame = read_table(path, display)
    s = read_scores(path, display, frame=frame)  # strips the column names of frame
    require_columns(frame, [c for c in columns if c not in RATING_COLUMNS], display)
    keep = np.flatnonzero(frame["label"].notna().to_numpy())
    point_of: dict[tuple[str, float], str] = {}
    for criterion in guideline.taxonomy.criteria:
        for point in criterion.points:
            value = _number(guideline.label(point).data_value)
            if value is not None:
                point_of.setdefault((criterion.id, value), point)
    pair_code, pairs = pd.factorize(pd.MultiIndex.from_arrays([s.criterion, s.score]))
    names = np.array([point_of.get((s.criteria[c], float(v)), f"{s.criteria[c]}={_format(float(v))}")
                      for c, v in pairs], dtype=object)
    criteria = np.array(s.criteria, dtype=object)
    units = (pd.Series(s.items[s.item].astype(str)) + UNIT + pd.Series(criteria[s.criterion].astype(str))).to_numpy()
    view = _view_frame(frame, keep)
    view["item"] = pd.Series(units, dtype=STRING)
    view["label"] = pd.Series(names[pair_code], dtype=STRING)
    r = read_ratings(path, display, frame=view, columns=columns)
    owner_of = dict(zip(units.tolist(), s.item.tolist()))
    owner = np.array([owner_of[str(name)] for name in r.items], dtype=np.int64)
    data = RatingData(s, [c.id for c in guideline.taxonomy.criteria],
                      {c.id: list(c.points) for c in guideline.taxonomy.criteria})
    return dataclasses.replace(r, missing_labels=s.missing, all_rows=s.rows, judgments=data, owner=owner,
                               owners=np.asarray(s.items, dtype=object))


def criterion_order(d: RatingData) -> list[str]:
    """The criteria to show: the guideline's (taxonomy order), then the export's others."""
    return [c for c in d.criteria] + sorted(set(d.scores.criteria) - set(d.criteria))


# --- box ---------------------------------------------------------------------------------------------

def boxes_to_ids(b: Boxes, guideline) -> Boxes:
    """The boxes with class ids instead of values (see span_items.ids_for_values)."""
    order, code, merged = ids_for_values(b.labels, guideline)
    if code is None:
        return b
    label = code[b.label] if len(b.label) else b.label
    keep = np.ones(len(label), dtype=bool)
    if merged:  # the same box under both codes is one box
        key = pd.DataFrame({"i": b.item, "r": b.rater, "l": label, "x": b.x, "y": b.y, "w": b.w, "h": b.h})
        keep = ~key.duplicated().to_numpy()
    return dataclasses.replace(b, labels=order, item=b.item[keep], rater=b.rater[keep], label=label[keep],
                               x=b.x[keep], y=b.y[keep], w=b.w[keep], h=b.h[keep])


def read_box_ratings(path: Path, display: str, guideline, *, columns: tuple[str, ...] = (),
                     separator: str | None = None) -> Ratings:
    """A box guideline's export: one multi-label rating per (image, rater), the classes
    drawn, with the boxes attached (Ratings.boxes, class values mapped to ids)."""
    frame = read_table(path, display)
    b = read_boxes(path, display, frame=frame)  # strips the column names of frame
    require_columns(frame, [c for c in columns if c not in BOX_COLUMNS], display)
    b = boxes_to_ids(b, guideline)
    view = item_view(frame, b, separator=separator or DEFAULT_SEPARATOR, required=columns, empty=EMPTY_BOX)
    return dataclasses.replace(view, spans=None, boxes=b)


def box_counts(b: Boxes) -> dict[str, int]:
    counts = np.bincount(b.label, minlength=len(b.labels)) if len(b.labels) else np.zeros(0, dtype=np.int64)
    return {label: int(n) for label, n in zip(b.labels, counts)}

"""A span export read item by item, so the datasheet's item-level figures mean something
for span guidelines too.

Span F1 and the token BIO coefficients (spans.py) compare the spans themselves. Coverage,
the label distribution, the readiness checks (splits and entity leakage, duplicates,
missing fields, labels outside the taxonomy) and the audit defects are about items, so a
span guideline's export is also read as a multi-label export, "which labels does this item
contain":

- each (item, rater) pair of the export is one rating: the set of the labels of the spans
  that rater marked on the item (a label marked twice on the item counts once);
- a rater who saw the item and marked nothing (one row with start, end and label empty)
  rates it with the empty set, named EMPTY: a rating like any other, not a missing label
  and not a label outside the taxonomy. In the item-level agreement it stands against any
  non-empty set (MASI distance 1);
- the rating's other columns (slices, split, entity, text, source, timestamp, ...) are the
  first value given on the pair's rows; a required column counts as missing for the rating
  when any of its rows leaves it empty;
- from there the multi-label pipeline of quality.py runs unchanged: an item contains a
  label when at least half of its raters found it there; the distribution counts the items
  containing each label (the datasheet shows the spans of each label next to it), a
  coverage cell the items containing its label in its slice, unknown_label_rate the items
  containing the unknown label, and the audit is joined on the item;
- label values (PER) become label ids (first_label) as in every export; a value no label
  has stays as written and is reported as a label outside the taxonomy;
- a gold column is not read from a span export: a gold answer of a span task is a set of
  spans, best entered as a gold rater and compared by span F1.

Agreement is not taken from this view: which labels an item contains says nothing of where
its spans are. A span guideline's agreement coefficients (the datasheet's agreement table
and the percent_agreement, cohen_kappa, fleiss_kappa and krippendorff_alpha criteria) are
those of the tokens' BIO tags (token_agreement, as `labelbook agreement` reports them),
next to span F1: overall over the BIO tags; per label, a token inside a span of the label
(B- or I-) against the rest; per slice, the tokens of the items with that value. The
rater confusion counts pairs of tags of one token. Without a text column there are no
tokens and these coefficients are not computable. The most disputed items are those of the
item-level view: the label sets their raters gave.

Their bootstrap intervals (intervals.py: 1,000 resamples, seed 2007, 95%) resample the
ITEMS (each a document, its text), every token of a drawn item with it, not the tokens:
the tags of neighbouring tokens come from one span and one rater's reading of the text,
so tokens are not independent units, and drawing them one by one would make the
intervals too narrow. An item stands for the tokens of its text: the coefficients are sums
over tokens, so an item enters a resample as the sums over its tokens.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from . import agreement as ag
from .boxes import Boxes
from .compute import AgreementReport
from .intervals import Scope, Settings, bootstrap_units
from .read import DEFAULT_SEPARATOR, DataError, Ratings, read_table, require_columns
from .spans import SPAN_COLUMNS, Spans, bio_agreement, bio_tags, read_spans

EMPTY = "(no span)"  # the name of the empty label set: the rater marked nothing on the item
NOT_CARRIED = ("item", "rater", "label", "gold")  # columns the item-level view does not copy


def read_span_ratings(path: Path, display: str, guideline, *, columns: tuple[str, ...] = (),
                      separator: str | None = None) -> Ratings:
    """Read a span guideline's export: the item-level ratings, with the spans attached
    (`Ratings.spans`, label values mapped to ids). columns: further columns that must be
    present (slices, required)."""
    frame = read_table(path, display)
    spans = read_spans(path, display, frame=frame)  # strips the column names of frame
    require_columns(frame, [c for c in columns if c not in SPAN_COLUMNS], display)
    spans = spans_to_ids(spans, guideline)
    return item_view(frame, spans, separator=separator or DEFAULT_SEPARATOR, required=columns)


def ids_for_values(values: list[str], guideline) -> tuple[list[str], np.ndarray | None, bool]:
    """How an export's label codes become label ids: (the labels in taxonomy order, then
    values outside the taxonomy, sorted; new code per old code, None when nothing changes;
    whether two codes became one label, a value left as written being another label's id)."""
    to_id = {label.data_value: label.id for label in guideline.taxonomy.labels}
    taxonomy = [label.id for label in guideline.taxonomy.labels]
    names = [to_id.get(value, value) for value in values]
    order = [label for label in taxonomy if label in names] + sorted(set(names) - set(taxonomy))
    if names == order == list(values):  # nothing to rename or reorder
        return order, None, False
    position = {label: k for k, label in enumerate(order)}
    return order, np.array([position[name] for name in names], dtype=np.int64), len(set(names)) < len(names)


def spans_to_ids(s: Spans, guideline) -> Spans:
    """The spans with label ids instead of values (see ids_for_values)."""
    order, code, merged = ids_for_values(s.labels, guideline)
    if code is None:
        return s
    label = code[s.label] if len(s.label) else s.label
    keep = np.ones(len(label), dtype=bool)
    if merged:  # the same span under both codes is one span
        key = pd.DataFrame({"i": s.item, "r": s.rater, "s": s.start, "e": s.end, "l": label})
        keep = ~key.duplicated().to_numpy()
    return dataclasses.replace(s, labels=order, item=s.item[keep], rater=s.rater[keep], start=s.start[keep],
                               end=s.end[keep], label=label[keep])


def item_view(frame: pd.DataFrame, s: Spans | Boxes, *, separator: str = DEFAULT_SEPARATOR,
              required: tuple[str, ...] = (), empty: str = EMPTY) -> Ratings:
    """One multi-label rating per (item, rater) pair of the export, in the order of the
    pairs' first rows. s: the spans, or anything coded like them (a box export's Boxes:
    items, raters, labels, and item, rater, label per span or box); empty: the name of the
    empty set."""
    item_of_row = pd.Index(s.items).get_indexer(pd.Index(frame["item"].to_numpy(dtype=object)))
    rater_of_row = pd.Index(s.raters).get_indexer(pd.Index(frame["rater"].to_numpy(dtype=object)))
    if (item_of_row < 0).any() or (rater_of_row < 0).any():  # read_spans coded every row
        raise DataError(f"{s.display}: the item and rater columns could not be read")
    n_raters = len(s.raters)
    pair_of_row = item_of_row * n_raters + rater_of_row
    pair_code, first_seen = pd.factorize(pair_of_row, sort=False)  # pairs in order of their first row
    pairs = np.asarray(first_seen, dtype=np.int64)
    item, rater = pairs // n_raters, pairs % n_raters

    # The labels each rater found on each item.
    index = pd.Index(pairs)
    span_pair = index.get_indexer(s.item * n_raters + s.rater)
    found: list[set[str]] = [set() for _ in range(len(pairs))]
    for p, label in zip(span_pair.tolist(), s.label.tolist()):
        found[p].add(s.labels[label])
    keys = [frozenset(labels) for labels in found]

    def name(labels: frozenset) -> str:
        return separator.join(sorted(labels)) if labels else empty

    sets = sorted(set(keys), key=lambda labels: (name(labels), sorted(labels)))
    position = {labels: k for k, labels in enumerate(sets)}
    label_code = np.array([position[labels] for labels in keys], dtype=np.int64)
    categories = [name(labels) for labels in sets]

    carried = [c for c in frame.columns if c not in NOT_CARRIED]
    view = pd.DataFrame({"item": s.items[item], "rater": s.raters[rater],
                         "label": [categories[k] for k in label_code]})
    if carried:
        first = frame[carried].groupby(pair_code, sort=True).first()  # first value given, per pair
        for column in carried:
            view[column] = first[column].reset_index(drop=True)
    missing = {}
    for column in dict.fromkeys(required):
        if column in frame.columns:
            missing[column] = frame[column].isna().groupby(pair_code, sort=True).any().to_numpy(dtype=bool)
    return Ratings(s.display, view, item, np.asarray(s.items, dtype=object), rater,
                   np.asarray(s.raters, dtype=object), label_code, categories, sets, multi=True,
                   separator=separator, missing_labels=0, all_rows=len(pairs), spans=s, missing_fields=missing)


NO_TEXT = "not computable: token-level agreement needs the items' text (a text column in the span export)"


def token_agreement(s: Spans, slices: dict[str, tuple[np.ndarray, list[str]]],
                    tagged: tuple | None = None,
                    intervals: Settings | None = Settings()) -> tuple[AgreementReport, dict | None]:
    """The agreement report of a span export over its (item, token) units and BIO tags,
    with the token_bio figures of spans.bio_agreement (None without text). slices: column
    -> (value code per item, values), as Quality.item_slices; intervals: the bootstrap's
    settings (items resampled, see the module's notes), None computes no interval."""
    n_raters = len(s.raters)
    if s.texts is None or not any(t is not None for t in s.texts):
        overall = ag.Coefficients(items=0, raters=n_raters, ratings=0, notes=[NO_TEXT])
        return AgreementReport("nominal", overall, [], {}, {}, np.zeros((0, 0)), []), None
    tagged = tagged if tagged is not None else bio_tags(s)
    tok_item, tags, names, _ = tagged
    bio = bio_agreement(s, tagged)
    unit, rater = np.nonzero(tags >= 0)
    k = len(names)
    counts = ag.count_matrix(unit, tags[unit, rater], len(tok_item), k)
    both = None
    two = None
    if n_raters == 2:
        both = (tags[:, 0] >= 0) & (tags[:, 1] >= 0)
        two = (tags[both, 0], tags[both, 1])
    overall = ag.coefficients(counts, raters=n_raters, level="nominal", two_raters=two)
    overall.notes.extend(note for note in bio["notes"] if note not in overall.notes)
    m = counts.sum(axis=1)
    # Per token, rater 0's and rater 1's tag (-1: not annotated), for Cohen's kappa's resamples.
    tag_codes = (tags[:, 0], tags[:, 1]) if n_raters == 2 else None
    scopes = [Scope(overall, counts, codes=tag_codes)]
    per_label: dict[str, ag.Coefficients] = {}
    for j, label in enumerate(s.labels):
        inside = counts[:, 2 * j + 1] + counts[:, 2 * j + 2]  # raters tagging the token B-label or I-label
        if not inside.any():
            continue
        per_label[label] = _coefficients(ag.nominal(np.stack([inside, m - inside], axis=1)), n_raters)
        if two is not None and len(two[0]):
            per_label[label].cohen_kappa = ag.cohen(np.isin(two[0], (2 * j + 1, 2 * j + 2)).astype(np.int64),
                                                    np.isin(two[1], (2 * j + 1, 2 * j + 2)).astype(np.int64), 2)
        label_codes = None if tag_codes is None else tuple(
            np.where(t >= 0, (~np.isin(t, (2 * j + 1, 2 * j + 2))).astype(np.int64), -1) for t in tag_codes)
        scopes.append(Scope(per_label[label], np.stack([inside, m - inside], axis=1),
                            codes=None if label_codes is None else (label_codes[0], label_codes[1])))
    per_slice: dict[str, dict[str, ag.Coefficients]] = {}
    for column, (codes, values) in slices.items():
        groups = codes[tok_item]
        stats = ag.nominal(counts, groups, len(values))
        per_value = {}
        for g, value in enumerate(values):
            coeff = _coefficients(stats, n_raters, g)
            if two is not None:
                keep = groups[both] == g
                coeff.cohen_kappa = ag.cohen(two[0][keep], two[1][keep], k)
            per_value[value] = coeff
            mine = np.flatnonzero(groups == g)
            scopes.append(Scope(coeff, counts[mine], items=mine,
                                codes=None if tag_codes is None else (tag_codes[0][mine], tag_codes[1][mine])))
        per_slice[column] = per_value
    if intervals is not None:
        # The items (documents) are resampled, each with all its tokens: see the module's notes.
        _, documents = np.unique(tok_item, return_inverse=True)
        bootstrap_units(scopes, len(tok_item), intervals, clusters=documents.ravel())
    used = np.flatnonzero(counts.sum(axis=0))
    confusion = ag.pair_table(counts)[np.ix_(used, used)]
    report = AgreementReport("nominal", overall, list(per_label), per_label, per_slice, confusion,
                             [names[c] for c in used], intervals=intervals)
    return report, bio


TOKEN_UNIT = "items (each with all its tokens)"  # what the token coefficients' bootstrap resamples


def token_bio(s: Spans, settings: Settings = Settings()) -> dict | None:
    """spans.bio_agreement's token figures (None without text) with the bootstrap intervals
    of its overall coefficients, as `labelbook agreement` shows them: intervals and bootstrap
    (how they were drawn)."""
    report, bio = token_agreement(s, {}, intervals=settings)
    if bio is None or not report.overall.items:
        return bio
    intervals = report.overall.as_dict(settings.confidence)["intervals"]
    shown = ("percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha")  # bio_agreement's figures
    bio["intervals"] = {name: intervals[name] for name in shown if name in intervals}
    bio["bootstrap"] = settings.as_dict(TOKEN_UNIT)
    return bio


def _coefficients(stats: dict, raters: int, g: int = 0) -> ag.Coefficients:
    """Coefficients of group g of ag.nominal's figures."""
    return ag.from_stats(stats, raters, g)

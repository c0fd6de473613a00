"""Agreement of span annotations (named entities, highlighted passages): span F1 and
token-level kappa over BIO tags.

A span export is long, one row per span: `item`, `rater`, `start`, `end`, `label`, with
character offsets into the item's text (Python string indices, i.e. Unicode code points,
counted from 0; `end` exclusive). A rater who saw an item and marked nothing on it leaves
one row with empty `start`, `end` and `label`: the item then counts as annotated by that
rater, so the other raters' spans on it are spans the rater missed. An optional `text`
column holds the item's text, repeated on each of its rows.

Span F1 (Hripcsak & Rothschild 2005, "Agreement, the F-measure, and reliability in
information retrieval", JAMIA 12(3):296-298): for each pair of raters, over the items both
annotated, F1 = 2 * matches / (spans of a + spans of b), counted over all those items
together (micro, as NER scorers do). It is symmetric, and equals the F-measure with
either rater as the reference, i.e. positive specific agreement.

- exact: a match is a span with the same start, end and label in both.
- overlap: a match is a pair of spans with the same label whose character ranges
  intersect (share at least one character), matched one to one by a maximum bipartite
  matching: the largest number of such pairs in which no span is used twice. One long
  span overlapping two short ones therefore counts once.

Overall and per label (that label's spans only), averaged over the rater pairs whose
figure is defined (a pair where neither rater marked a span, or neither used the label,
on the items both annotated has no F1 and is left out of the mean).

Token-level agreement, when the export has a `text` column: each item's text is split
into tokens by the regular expression TOKEN_PATTERN (words and single punctuation
marks), each rater tags each token B-X, I-X or O from their spans (a token is in a span
when it lies wholly inside it: token start >= span start and token end <= span end; the
first token in a span is B-X, the others I-X); the (item, token) units are then measured
with the nominal coefficients of agreement.py. BIO has no nesting: where one rater's
spans overlap, a token keeps the tag of the span that starts first (the longer one at an
equal start), and the later span begins (B-) at its first token still untagged.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Callable, cast

import numpy as np
import pandas as pd

from . import agreement as ag
from .read import DataError, export_table, objects, require_columns, require_rows
from .text import count as _count
from .text import interval as _interval
from .text import number as _num

SPAN_COLUMNS = ("item", "rater", "start", "end", "label")
TOKEN_PATTERN = r"\w+|[^\w\s]"
_TOKEN = re.compile(TOKEN_PATTERN)
_OFFSET = r"[+-]?\d{1,18}(?:\.0*)?"  # a whole number; "12.0" (a float column of a Parquet file) too
OFFSET_HINT = "start and end are character offsets into the item's text: whole numbers from 0, end exclusive"
ROW_HINT = ("a row is one span (start, end and label); for an item the rater saw and marked nothing, "
            "leave start, end and label all empty")


def is_span_export(columns) -> bool:
    """An export is a span export when it has a start or an end column."""
    names = {str(c).strip() for c in columns}
    return "start" in names or "end" in names


@dataclass
class Spans:
    """A span export coded as integers: item, rater and label codes index the name arrays."""

    display: str
    items: np.ndarray  # item names
    raters: np.ndarray  # rater names
    labels: list[str]
    item: np.ndarray  # per span
    rater: np.ndarray
    start: np.ndarray
    end: np.ndarray
    label: np.ndarray
    seen: np.ndarray  # items x raters: the rater annotated the item (spans or an empty row)
    texts: list[str | None] | None = None  # per item, None without a text column
    rows: int = 0

    @property
    def n_spans(self) -> int:
        return len(self.item)


def _where(path: Path | None, display: str, rows: list[int]) -> dict[int, str]:
    """Where data rows (0-based) are, for messages: the CSV line where the row starts
    (quoted cells may span lines, so the file is scanned) or the Parquet row number."""
    if not display.lower().endswith(".csv") or path is None:
        return {row: f"{display}: row {row + 1}" for row in rows}
    wanted, found = set(rows), {}
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        record, line = -2, 1  # the header is record -1
        for cells in reader:
            if cells:  # blank lines are not rows
                record += 1
                if record in wanted:
                    found[record] = f"{display}:{line}"
                    if len(found) == len(wanted):
                        break
            line = reader.line_num + 1
    return {row: found.get(row, f"{display}:{row + 2}") for row in rows}


def _earlier(path: Path | None, display: str, row: int) -> str:
    """'line 4' (CSV) or 'row 3' (Parquet): an earlier row, named inside a message."""
    where = _where(path, display, [row])[row]
    return f"line {where.rsplit(':', 1)[-1]}" if display.lower().endswith(".csv") else where.split(": ", 1)[-1]


def read_spans(path: Path, display: str, frame: pd.DataFrame | None = None) -> Spans:
    """Read, check and code a span export; bad data raises DataError naming the row and column."""
    frame = export_table(path, display, frame)
    try:
        require_columns(frame, SPAN_COLUMNS, display)
    except DataError as problem:
        raise DataError(problem.message, "a span export has the columns item, rater, start, end, label and "
                        f"optionally text; {problem.hint}") from None
    require_rows(frame, display, "one row per span: item, rater, start, end, label")
    n = len(frame)
    problems: list[tuple[np.ndarray, Callable[[int], str], str]] = []  # (rows, message for a row, hint)

    def check(bad: np.ndarray, message, hint: str) -> None:
        if bad.any():
            problems.append((bad, message, hint))

    def first_problem() -> None:
        if not problems:
            return
        row = min(int(np.flatnonzero(bad)[0]) for bad, _, _ in problems)
        bad, message, hint = next(p for p in problems if p[0][row])
        total = int(bad.sum())
        where = _where(path, display, [row])[row]
        raise DataError(f"{where}: {message(row)}" + (f" ({total} such rows in all)" if total > 1 else ""), hint)

    for column in ("item", "rater"):
        check(frame[column].isna().to_numpy(), lambda row, c=column: f"column '{c}' is empty",
              "every row names its item and its rater")
    offsets = {c: frame[c].str.strip() for c in ("start", "end")}
    given = {c: (offsets[c].notna() & (offsets[c] != "")).to_numpy(dtype=bool, na_value=False)
             for c in ("start", "end")}
    given["label"] = frame["label"].notna().to_numpy()
    stack = np.stack([given["start"], given["end"], given["label"]], axis=1)
    # (np.asarray: numpy's stubs cannot tell that a 2-D reduction along an axis is an array)
    partial = np.asarray(stack.any(axis=1) & ~stack.all(axis=1))

    def partial_message(row: int) -> str:
        names = ("start", "end", "label")
        empty = [c for c, g in zip(names, stack[row]) if not g]
        present = [c for c, g in zip(names, stack[row]) if g]
        return (f"column '{empty[0]}' is empty but {' and '.join(present)} "
                f"{'is' if len(present) == 1 else 'are'} given")

    check(partial, partial_message, ROW_HINT)
    is_span = np.asarray(stack.all(axis=1))
    values = {}
    for column in ("start", "end"):
        text = offsets[column]
        whole = text.str.fullmatch(_OFFSET).to_numpy(dtype=bool, na_value=False)
        check(is_span & ~whole, lambda row, c=column: _not_whole(c, frame[c].iloc[row]), OFFSET_HINT)
        number = np.zeros(n, dtype=np.int64)
        ok = is_span & whole
        if ok.any():
            number[ok] = pd.to_numeric(text[ok].str.replace(r"\.0*$", "", regex=True)).to_numpy(dtype=np.int64)
        values[column] = (number, ok)
    start, start_ok = values["start"]
    end, end_ok = values["end"]
    for column, (number, ok) in values.items():
        check(ok & (number < 0), lambda row, c=column, v=number: f"column '{c}': {v[row]} is negative", OFFSET_HINT)
    both = start_ok & end_ok & (start >= 0) & (end >= 0)
    check(both & (start >= end),
          lambda row: f"column 'end': {end[row]} is not greater than start {start[row]}",
          "end is exclusive: the span of 'Paris' in 'to Paris' has start 3 and end 8")
    item_code, item_index = pd.factorize(frame["item"], sort=True)  # -1: no item (an error above)
    item_code = item_code.astype(np.int64)
    texts, first_rows = None, None
    if "text" in frame.columns:
        first_rows = _first_text_rows(frame, item_code, len(item_index))
        check(*_text_problems(frame, item_code, first_rows, both & (start < end), end, path, display))
    first_problem()

    # Code the rows. Every row marks its (item, rater) as annotated; span rows are the spans.
    rater_code, rater_index = pd.factorize(frame["rater"], sort=True)
    rater_code = rater_code.astype(np.int64)
    items, raters = np.asarray(item_index, dtype=object), np.asarray(rater_index, dtype=object)
    seen = np.zeros((len(items), len(raters)), dtype=bool)
    seen[item_code, rater_code] = True
    rows = np.flatnonzero(is_span)
    label_code, labels = pd.factorize(frame["label"][is_span], sort=True)
    spans = pd.DataFrame({"item": item_code[rows], "rater": rater_code[rows], "start": start[rows],
                          "end": end[rows], "label": label_code.astype(np.int64), "row": rows})
    twice = spans.duplicated(["item", "rater", "start", "end", "label"], keep="first").to_numpy()
    if twice.any():
        dup = spans[twice].iloc[0]
        key = ["item", "rater", "start", "end", "label"]
        first = int(spans["row"][(spans[key] == dup[key]).all(axis=1)].iloc[0])
        raise DataError(f"{_where(path, display, [int(dup['row'])])[int(dup['row'])]}: rater "
                        f"'{raters[dup['rater']]}' marked the span {dup['start']}-{dup['end']} "
                        f"'{labels[dup['label']]}' of item '{items[dup['item']]}' twice "
                        f"(first on {_earlier(path, display, first)}); {int(twice.sum())} duplicate span "
                        f"row{'s' if twice.sum() != 1 else ''} in all", "keep one row per span")
    if first_rows is not None:
        cells = objects(frame["text"])
        texts = [None if row < 0 else str(cells[row]) for row in first_rows]
    return Spans(display, items, raters, [str(label) for label in labels], spans["item"].to_numpy(),
                 spans["rater"].to_numpy(), spans["start"].to_numpy(), spans["end"].to_numpy(),
                 spans["label"].to_numpy(), seen, texts, n)


def _not_whole(column: str, value) -> str:
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+(?:\.0*)?", text):
        return f"column '{column}': {text} is too large for a character offset"
    return f"column '{column}': '{value}' is not a whole number"


def _first_text_rows(frame: pd.DataFrame, item_code: np.ndarray, n_items: int) -> np.ndarray:
    """Per item code, the first row with a text (-1 when none has)."""
    rows = np.flatnonzero(frame["text"].notna().to_numpy() & (item_code >= 0))
    first = np.full(n_items, -1, dtype=np.int64)
    codes, index = np.unique(item_code[rows], return_index=True)
    first[codes] = rows[index]
    return first


def _text_problems(frame: pd.DataFrame, item_code: np.ndarray, first_rows: np.ndarray, valid: np.ndarray,
                   end: np.ndarray, path: Path | None, display: str):
    """Rows whose text differs from the item's first text, or whose span ends past that text."""
    text = frame["text"].reset_index(drop=True)
    own = np.where(item_code >= 0, first_rows[np.maximum(item_code, 0)], -1)  # each row's item's first text row
    has = own >= 0
    first = text.take(np.maximum(own, 0)).reset_index(drop=True)  # arrow take: no Python strings
    differs = (text.notna().to_numpy() & has & (text != first).to_numpy(dtype=bool, na_value=False))
    length = np.where(has, first.str.len().to_numpy(dtype=np.float64, na_value=0), -1).astype(np.int64)
    past = valid & has & (end > length)
    bad = differs | past

    def message(row: int) -> str:
        if differs[row]:
            return (f"column 'text': the text of item '{frame['item'].iloc[row]}' differs from its text on "
                    f"{_earlier(path, display, int(own[row]))}")
        return f"column 'end': {end[row]} is past the end of the item's text ({length[row]} characters)"

    row0 = int(np.flatnonzero(bad)[0]) if bad.any() else 0
    hint = ("repeat the item's text unchanged on every row of the item" if differs[row0] else
            "offsets count the characters (Unicode code points) of the text column from 0")
    return bad, message, hint


# --- span F1 --------------------------------------------------------------------------

@dataclass
class PairF1:
    raters: tuple[str, str]
    items: int  # items both annotated
    spans: tuple[int, int]
    exact: int  # matches
    overlap: int
    per_label: dict[str, tuple[int, int, int, int]]  # label -> (spans a, spans b, exact, overlap)

    @staticmethod
    def f1(matches: int, a: int, b: int) -> float | None:
        return None if a + b == 0 else 2 * matches / (a + b)

    def as_dict(self) -> dict:
        a, b = self.spans
        return {"raters": list(self.raters), "items": self.items, "spans": [a, b],
                "exact": {"matches": self.exact, "f1": ag._round(self.f1(self.exact, a, b))},
                "overlap": {"matches": self.overlap, "f1": ag._round(self.f1(self.overlap, a, b))}}


@dataclass
class SpanReport:
    raters: int
    items: int  # items annotated by two or more raters
    spans: int
    labels: list[str]
    exact: float | None
    overlap: float | None
    exact_per_label: dict[str, float | None]
    overlap_per_label: dict[str, float | None]
    pairs: list[PairF1]
    token_bio: dict | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def computable(self) -> bool:
        return self.exact is not None

    def problem(self) -> tuple[str, str]:
        """Why span agreement is not computable, and a hint (when not computable)."""
        if self.raters >= 2 and self.items:
            return (self.notes[-1], "span F1 needs at least one span on the items two raters annotated")
        return (self.notes[-1], "agreement needs items annotated by two or more raters; a rater who saw an item "
                "and marked nothing leaves one row with empty start, end and label")

    def as_dict(self) -> dict:
        out = {"shape": "span", "raters": self.raters, "items": self.items, "spans": self.spans,
               "span_f1": {"exact": ag.overall_and_per_label(self.exact, self.exact_per_label),
                           "overlap": ag.overall_and_per_label(self.overlap, self.overlap_per_label)},
               "pairs": [p.as_dict() for p in self.pairs]}
        if self.token_bio is not None:
            out["token_bio"] = self.token_bio
        out["notes"] = list(self.notes)
        return out


def max_matching(left: np.ndarray, right: np.ndarray) -> int:
    """Size of a maximum matching of the bipartite graph with edges (left[k], right[k])."""
    if len(left) == 0:
        return 0
    left = np.unique(left, return_inverse=True)[1]
    right = np.unique(right, return_inverse=True)[1]
    lcount = np.bincount(left)
    rcount = np.bincount(right)
    simple = (lcount[left] == 1) & (rcount[right] == 1)  # an edge that is its own component
    size = int(simple.sum())
    left, right = left[~simple], right[~simple]
    if len(left) == 0:
        return size
    adjacency: dict[int, list[int]] = {}
    for a, b in zip(left.tolist(), right.tolist()):
        adjacency.setdefault(a, []).append(b)
    match_right: dict[int, int] = {}
    matched_left: set[int] = set()
    for a, neighbours in adjacency.items():  # a greedy start leaves few paths to search
        free = next((b for b in neighbours if b not in match_right), None)
        if free is not None:
            match_right[free] = a
            matched_left.add(a)
    size += len(matched_left)
    for source in adjacency:
        if source in matched_left:
            continue
        # breadth-first search for an augmenting path from this free left node
        parent: dict[int, int | None] = {}  # right node -> right node before it on the path (None: first)
        frontier: list[tuple[int, int | None]] = [(source, None)]
        found: int | None = None
        visited_left = {source}
        while frontier and found is None:
            next_frontier: list[tuple[int, int | None]] = []
            for a, came_from in frontier:
                for b in adjacency[a]:
                    if b in parent:
                        continue
                    parent[b] = came_from
                    if b not in match_right:
                        found = b
                        break
                    owner = match_right[b]
                    if owner not in visited_left:
                        visited_left.add(owner)
                        next_frontier.append((owner, b))
                if found is not None:
                    break
            frontier = next_frontier
        if found is None:
            continue
        # flip the path: each right node on it takes the left node that reached it
        node: int | None = found
        chain = []
        while node is not None:
            chain.append(node)
            node = parent[node]
        chain.reverse()  # right nodes from the source's end
        owner = source
        for b in chain:
            previous = match_right.get(b)  # None only for the last, the free right node
            match_right[b] = owner
            if previous is not None:
                owner = previous
        size += 1
    return size


def _pair(s: Spans, a: int, b: int) -> PairF1:
    common = s.seen[:, a] & s.seen[:, b]
    in_common = common[s.item]
    left = np.flatnonzero((s.rater == a) & in_common)
    right = np.flatnonzero((s.rater == b) & in_common)
    n_labels = len(s.labels)
    frame_a = pd.DataFrame({"item": s.item[left], "label": s.label[left], "start": s.start[left],
                            "end": s.end[left], "id": left})
    frame_b = pd.DataFrame({"item": s.item[right], "label": s.label[right], "start": s.start[right],
                            "end": s.end[right], "id": right})
    exact = frame_a.merge(frame_b, on=["item", "label", "start", "end"])
    candidates = frame_a.merge(frame_b, on=["item", "label"], suffixes=("_a", "_b"))
    intersect = (candidates["start_a"] < candidates["end_b"]) & (candidates["start_b"] < candidates["end_a"])
    candidates = candidates[intersect]
    count_a = np.bincount(s.label[left], minlength=n_labels)
    count_b = np.bincount(s.label[right], minlength=n_labels)
    exact_per = np.bincount(exact["label"].to_numpy(dtype=np.int64), minlength=n_labels)
    overlap_per = np.zeros(n_labels, dtype=np.int64)
    for label, group in candidates.groupby("label", sort=True):  # matching never crosses labels
        overlap_per[int(cast(int, label))] = max_matching(group["id_a"].to_numpy(), group["id_b"].to_numpy())
    per_label = {s.labels[k]: (int(count_a[k]), int(count_b[k]), int(exact_per[k]), int(overlap_per[k]))
                 for k in range(n_labels) if count_a[k] + count_b[k]}
    return PairF1((str(s.raters[a]), str(s.raters[b])), int(common.sum()), (len(left), len(right)),
                  int(exact_per.sum()), int(overlap_per.sum()), per_label)


def _mean(values: list[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def span_report(s: Spans, *, token_bio: bool = True) -> SpanReport:
    n_raters = len(s.raters)
    per_item = s.seen.sum(axis=1)
    pairs = [_pair(s, a, b) for a, b in combinations(range(n_raters), 2)]
    notes: list[str] = []
    usable = [p for p in pairs if p.items]
    for p in pairs:
        if not p.items:
            notes.append(f"raters {p.raters[0]} and {p.raters[1]} annotated no item in common")
        elif not sum(p.spans):
            notes.append(f"raters {p.raters[0]} and {p.raters[1]} marked no span on their {p.items} common "
                         f"item{'s' if p.items != 1 else ''}: their F1 is not defined")
    exact = _mean([PairF1.f1(p.exact, *p.spans) for p in usable])
    overlap = _mean([PairF1.f1(p.overlap, *p.spans) for p in usable])
    labels = [label for label in s.labels if any(label in p.per_label for p in usable)]
    exact_per = {label: _mean([PairF1.f1(p.per_label[label][2], *p.per_label[label][:2])
                               for p in usable if label in p.per_label]) for label in labels}
    overlap_per = {label: _mean([PairF1.f1(p.per_label[label][3], *p.per_label[label][:2])
                                 for p in usable if label in p.per_label]) for label in labels}
    if n_raters < 2:
        notes.append("not computable: only one rater")
    elif not usable:
        notes.append("not computable: no item was annotated by two or more raters")
    elif exact is None:
        notes.append("not computable: no rater marked a span on the items two raters annotated")
    report = SpanReport(n_raters, int((per_item >= 2).sum()), s.n_spans, labels, exact, overlap, exact_per,
                        overlap_per, pairs, notes=notes)
    if token_bio and s.texts is not None and any(t is not None for t in s.texts):
        report.token_bio = bio_agreement(s)
    return report


# --- token-level BIO agreement ------------------------------------------------------------

def tokenize(text: str) -> list[tuple[int, int]]:
    """Character ranges (start, end exclusive) of the tokens of TOKEN_PATTERN."""
    return [m.span() for m in _TOKEN.finditer(text)]


def bio_tags(s: Spans) -> tuple[np.ndarray, np.ndarray, list[str], dict[str, int]]:
    """Tag every token of every item with text, for each rater who annotated the item.

    Returns each token's item code, the tags (tokens x raters; -1 where the rater did not
    annotate the item), the tag names (code 0 is O, 2k+1 is B-label k, 2k+2 is I-label k)
    and counts of spans for notes (covering no whole token, nested, on items without text).
    """
    texts = [(i, t) for i, t in enumerate(s.texts or []) if t is not None]
    has_text = [i for i, _ in texts]
    items: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, text in texts:
        ranges = tokenize(text)
        items.extend([i] * len(ranges))
        starts.extend(r[0] for r in ranges)
        ends.extend(r[1] for r in ranges)
    tok_item = np.asarray(items, dtype=np.int64)
    tok_start = np.asarray(starts, dtype=np.int64)
    tok_end = np.asarray(ends, dtype=np.int64)
    n_raters = len(s.raters)
    tags = np.full((len(tok_item), n_raters), -1, dtype=np.int64)
    seen = s.seen[tok_item]  # tokens x raters
    tags[seen] = 0
    names = ["O"] + [f"{p}-{label}" for label in s.labels for p in ("B", "I")]
    counts = {"no_token": 0, "nested": 0, "no_text": 0}
    text_of = np.zeros(len(s.items), dtype=bool)
    text_of[has_text] = True
    keep = text_of[s.item]
    counts["no_text"] = int((~keep).sum())
    if not keep.any() or len(tok_item) == 0:
        return tok_item, tags, names, counts
    order = np.lexsort((-s.end[keep], s.start[keep], s.rater[keep], s.item[keep]))
    item, rater = s.item[keep][order], s.rater[keep][order]
    start, end, label = s.start[keep][order], s.end[keep][order], s.label[keep][order]
    # Tokens wholly inside a span: the first token starting at or after its start, up to the
    # last token ending at or before its end. Tokens are sorted and disjoint, so both searches
    # run on one key, item * width + offset.
    width = int(max(tok_end.max(), end.max())) + 1
    first = np.searchsorted(tok_item * width + tok_start, item * width + start, side="left")
    last = np.searchsorted(tok_item * width + tok_end, item * width + end, side="right") - 1
    inside = first <= last
    counts["no_token"] = int((~inside).sum())
    # A span overlapping an earlier span of the same rater and item is tagged after the others.
    group = pd.Series(item * n_raters + rater)
    reach = pd.Series(end).groupby(group.to_numpy()).cummax().groupby(group.to_numpy()).shift(1)
    nested = (start < reach.fillna(-1).to_numpy()) & inside
    counts["nested"] = int(nested.sum())
    plain = inside & ~nested
    lengths = last[plain] - first[plain] + 1
    rows = np.repeat(first[plain], lengths) + (np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths,
                                                                                    lengths))
    columns = np.repeat(rater[plain], lengths)
    b_tag, i_tag = 2 * label[plain] + 1, 2 * label[plain] + 2
    is_first = np.zeros(len(rows), dtype=bool)
    is_first[np.cumsum(lengths) - lengths] = True
    tags[rows, columns] = np.where(is_first, np.repeat(b_tag, lengths), np.repeat(i_tag, lengths))
    for k in np.flatnonzero(nested):
        free = [t for t in range(first[k], last[k] + 1) if tags[t, rater[k]] == 0]
        for n, t in enumerate(free):
            tags[t, rater[k]] = 2 * label[k] + (1 if n == 0 else 2)
    return tok_item, tags, names, counts


def bio_agreement(s: Spans, tagged: tuple | None = None) -> dict:
    """Percent agreement, Cohen's kappa (two raters, and per pair), Fleiss' kappa and
    Krippendorff's alpha over the (item, token) units, with their BIO tags as categories.
    tagged: bio_tags(s), when already computed."""
    tok_item, tags, names, counts = tagged if tagged is not None else bio_tags(s)
    n_raters = len(s.raters)
    unit, rater = np.nonzero(tags >= 0)
    label = tags[unit, rater]
    k = len(names)
    matrix = ag.count_matrix(unit, label, len(tok_item), k)
    two = None
    if n_raters == 2:
        both = (tags[:, 0] >= 0) & (tags[:, 1] >= 0)
        two = (tags[both, 0], tags[both, 1])
    coefficients = ag.coefficients(matrix, raters=n_raters, level="nominal", two_raters=two)
    pairs = []
    for a, b in combinations(range(n_raters), 2):
        both = (tags[:, a] >= 0) & (tags[:, b] >= 0)
        pairs.append({"raters": [str(s.raters[a]), str(s.raters[b])], "tokens": int(both.sum()),
                      "percent_agreement": ag._round(float(np.mean(tags[both, a] == tags[both, b]))
                                                     if both.any() else None),
                      "cohen_kappa": ag._round(ag.cohen(tags[both, a], tags[both, b], k))})
    notes = list(coefficients.notes)
    if counts["no_token"]:
        notes.append(f"{counts['no_token']} span{'s' if counts['no_token'] != 1 else ''} cover no whole token "
                     "and tag nothing")
    if counts["nested"]:
        notes.append(f"{counts['nested']} span{'s' if counts['nested'] != 1 else ''} overlap an earlier span "
                     "of the same rater; BIO tags cannot nest, the earlier span keeps the shared tokens")
    if counts["no_text"]:
        notes.append(f"{counts['no_text']} span{'s' if counts['no_text'] != 1 else ''} on items without text "
                     "are left out of the token tags")
    items_with_text = np.zeros(len(s.items), dtype=bool)
    items_with_text[tok_item] = True
    return {"tokenizer": TOKEN_PATTERN,
            "items": int((items_with_text & (s.seen.sum(axis=1) >= 2)).sum()),
            "tokens": coefficients.items, "raters": n_raters,
            "percent_agreement": ag._round(coefficients.percent_agreement),
            "cohen_kappa": ag._round(coefficients.cohen_kappa),
            "fleiss_kappa": ag._round(coefficients.fleiss_kappa),
            "krippendorff_alpha": ag._round(coefficients.krippendorff_alpha),
            "pairs": pairs, "notes": notes}


# --- text output ---------------------------------------------------------------------------


def span_text(display: str, rows: int, r: SpanReport) -> str:
    out = [f"{display}: {_count(rows, 'row')}, {_count(r.spans, 'span')}, {_count(r.raters, 'rater')}, "
           f"{_count(r.items, 'item')} annotated by two or more raters\n"]
    names = ["overall", *[f"  {label}" for label in r.labels], "span F1"]
    width = max(len(n) for n in names) + 1
    out.append(f"{'span F1':<{width}} {'exact':>7} {'overlap':>8}\n")
    out.append(f"{'overall':<{width}} {_num(r.exact):>7} {_num(r.overlap):>8}\n")
    if r.labels:
        out.append("per label\n")
        for label in r.labels:
            out.append(f"{'  ' + label:<{width}} {_num(r.exact_per_label[label]):>7} "
                       f"{_num(r.overlap_per_label[label]):>8}\n")
    if r.pairs:
        rows_ = [(f"{p.raters[0]} / {p.raters[1]}", str(p.items), f"{p.spans[0]}/{p.spans[1]}",
                  _num(PairF1.f1(p.exact, *p.spans)), _num(PairF1.f1(p.overlap, *p.spans))) for p in r.pairs]
        head = ("rater pair", "items", "spans", "exact", "overlap")
        widths = [max(len(x[i]) for x in [head, *rows_]) for i in range(len(head))]
        out.append("\n")
        for line in [head, *rows_]:
            out.append(f"{line[0]:<{widths[0]}}" + "".join(f"  {x:>{w}}" for x, w in zip(line[1:], widths[1:]))
                       + "\n")
    out.append("exact: same start, end and label; overlap: same label and intersecting ranges, "
               "matched one to one\n")
    t = r.token_bio
    if t is not None:
        out.append(f"\ntoken BIO tags (tokens {t['tokenizer']}, {t['items']:,} items with text)\n")
        out.append(f"{'':<9} {'tokens':>7} {'percent':>8} {'cohen':>7} {'fleiss':>7} {'alpha':>7}\n")
        out.append(f"{'overall':<9} {t['tokens']:>7} {_num(t['percent_agreement'], True):>8} "
                   f"{_num(t['cohen_kappa']):>7} {_num(t['fleiss_kappa']):>7} {_num(t['krippendorff_alpha']):>7}\n")
        if t.get("intervals"):  # added by `labelbook agreement` (span_items.token_bio)
            out.append(_token_intervals_text(t))
        if len(t["pairs"]) > 1:
            for p in t["pairs"]:
                out.append(f"  {p['raters'][0]} / {p['raters'][1]}: {p['tokens']:,} tokens, "
                           f"{_num(p['percent_agreement'], True)} agree, cohen {_num(p['cohen_kappa'])}\n")
        for note in t["notes"]:
            out.append(f"note: {note}\n")
    for note in r.notes:
        out.append(f"note: {note}\n")
    return "".join(out)


def _token_intervals_text(t: dict) -> str:
    """The intervals of the token coefficients, one per line, and how they were drawn."""
    b = t["bootstrap"]
    names = {"percent_agreement": "percent", "cohen_kappa": "cohen", "fleiss_kappa": "fleiss",
             "krippendorff_alpha": "alpha", "gwet_ac1": "ac1"}
    cells = [f"{names.get(name, name)} {_interval(tuple(bounds), name == 'percent_agreement')}"
             for name, bounds in t["intervals"].items() if bounds is not None]
    return (f"  {b['confidence'] * 100:g}% bootstrap intervals: {', '.join(cells)}\n"
            f"  ({b['resamples']:,} resamples of the items, each with all its tokens; seed {b['seed']})\n")

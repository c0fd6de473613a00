"""Agreement of bounding-box exports: box F1 and the IoU of matched boxes.

A box export is long, one row per box: `item` (the image), `rater`, `label` (the class),
`x`, `y`, `w`, `h` in pixels, (x, y) the top-left corner and w, h the width and height
(greater than 0; x and y may be negative for a box reaching past the image's edge).
`labelbook agreement` recognizes it by two or more of the columns x, y, w, h. A rater who
saw an image and drew nothing on it leaves one row with label, x, y, w and h empty: the
image then counts as annotated by that rater, so the other raters' boxes on it are boxes
the rater missed.

IoU (intersection over union) of two boxes: the area of their intersection over the area
of their union, on continuous coordinates (a box covers [x, x + w) x [y, y + h)).

Matching, for each pair of raters on the images both annotated: boxes of the same image
and class with IoU >= IOU_THRESHOLD are candidates; they are matched one to one greedily
by descending IoU, as COCO-style detection evaluation does: the candidate with the highest
IoU is matched, its two boxes are removed, and so on (equal IoUs: the box of the earlier
row first). Greedy is not always the largest matching (a box can lose its only partner to
a better-overlapping box), but it is what detection scorers report.

Box F1 of a pair of raters = 2 * matches / (boxes of one + boxes of the other), counted
over all the images both annotated together; mean IoU = the mean IoU of the matched
boxes. Both are given overall and per class, and averaged over the rater pairs whose
figure is defined (a pair with no box, or no box of that class, on their common images
has no F1; a pair with no match has no mean IoU).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from . import agreement as ag
from .read import DataError, export_table, require_rows
from .rows import Problems, earlier, empty_column, numbers, require, where
from .text import count as _count
from .text import number as _num

BOX_COLUMNS = ("item", "rater", "label", "x", "y", "w", "h")
GEOMETRY = ("x", "y", "w", "h")
IOU_THRESHOLD = 0.5
SHAPE_HINT = "a box export has the columns item, rater, label, x, y, w, h (pixels, x and y the top-left corner)"
ROW_HINT = ("a row is one box (label, x, y, w and h); for an image the rater saw and marked nothing, "
            "leave label, x, y, w and h all empty")
NUMBER_HINT = "x, y, w and h are pixels: x and y the top-left corner, w and h the width and height, greater than 0"


def is_box_export(columns) -> bool:
    """A box export has two or more of the columns x, y, w, h."""
    names = {str(c).strip() for c in columns}
    return sum(c in names for c in GEOMETRY) >= 2


@dataclass
class Boxes:
    """A box export coded as integers: item, rater and label codes index the name arrays."""

    display: str
    items: np.ndarray
    raters: np.ndarray
    labels: list[str]
    item: np.ndarray  # per box
    rater: np.ndarray
    label: np.ndarray
    x: np.ndarray
    y: np.ndarray
    w: np.ndarray
    h: np.ndarray
    seen: np.ndarray  # items x raters: the rater annotated the image (boxes or an empty row)
    rows: int = 0

    @property
    def n_boxes(self) -> int:
        return len(self.item)


def read_boxes(path: Path, display: str, frame: pd.DataFrame | None = None) -> Boxes:
    """Read, check and code a box export; bad data raises DataError naming the row and column."""
    frame = export_table(path, display, frame)
    for short, long in (("w", "width"), ("h", "height")):
        if short not in frame.columns and long in frame.columns:
            raise DataError(f"{display}: missing column '{short}' (there is a '{long}' column)",
                            f"{SHAPE_HINT}; rename '{long}' to '{short}'")
    require(frame, BOX_COLUMNS, display, SHAPE_HINT)
    require_rows(frame, display, "one row per box: item, rater, label, x, y, w, h")
    n = len(frame)
    problems = Problems(path, display)
    for column in ("item", "rater"):
        problems.check(frame[column].isna().to_numpy(), empty_column(column),
                       "every row names its image (item) and its rater")
    fields = ("label", *GEOMETRY)
    given = np.stack([(frame[c].str.strip().fillna("") != "").to_numpy(dtype=bool) for c in fields], axis=1)
    # (np.asarray: numpy's stubs cannot tell that a 2-D reduction along an axis is an array)
    partial = np.asarray(given.any(axis=1) & ~given.all(axis=1))

    def partial_message(row: int) -> str:
        empty = [c for c, g in zip(fields, given[row]) if not g]
        present = [c for c, g in zip(fields, given[row]) if g]
        listed = ", ".join(present[:-1]) + f" and {present[-1]}" if len(present) > 1 else present[0]
        return f"column '{empty[0]}' is empty but {listed} {'is' if len(present) == 1 else 'are'} given"

    problems.check(partial, partial_message, ROW_HINT)
    is_box = np.asarray(given.all(axis=1))
    values = {}
    for column in GEOMETRY:
        number, finite = numbers(frame[column])
        problems.check(is_box & ~finite, functools.partial(_not_a_number, frame[column], column), NUMBER_HINT)
        values[column] = number
    for column in ("w", "h"):
        number = values[column]
        problems.check(is_box & np.isfinite(number) & (number <= 0),
                       functools.partial(_not_positive, number, column), NUMBER_HINT)
    problems.raise_first()

    item_code, items = pd.factorize(frame["item"], sort=True)
    rater_code, raters = pd.factorize(frame["rater"], sort=True)
    seen = np.zeros((len(items), len(raters)), dtype=bool)
    seen[item_code, rater_code] = True
    rows = np.flatnonzero(is_box)
    label_code, labels = pd.factorize(frame["label"][is_box], sort=True)
    boxes = pd.DataFrame({"item": item_code[rows], "rater": rater_code[rows], "label": label_code.astype(np.int64),
                          "x": values["x"][rows], "y": values["y"][rows], "w": values["w"][rows],
                          "h": values["h"][rows], "row": rows})
    key = ["item", "rater", "label", "x", "y", "w", "h"]
    twice = boxes.duplicated(key, keep="first").to_numpy()
    if twice.any():
        dup = boxes[twice].iloc[0]
        first = int(boxes["row"][(boxes[key] == dup[key]).all(axis=1)].iloc[0])
        raise DataError(f"{where(path, display, int(dup['row']))}: rater '{raters[int(dup['rater'])]}' drew the "
                        f"'{labels[int(dup['label'])]}' box x={_show(dup['x'])} y={_show(dup['y'])} "
                        f"w={_show(dup['w'])} h={_show(dup['h'])} on image '{items[int(dup['item'])]}' twice "
                        f"(first on {earlier(path, display, first)}); {int(twice.sum())} duplicate box "
                        f"row{'s' if twice.sum() != 1 else ''} in all", "keep one row per box")
    return Boxes(display, np.asarray(items, dtype=object), np.asarray(raters, dtype=object),
                 [str(label) for label in labels], boxes["item"].to_numpy(np.int64),
                 boxes["rater"].to_numpy(np.int64), boxes["label"].to_numpy(np.int64), boxes["x"].to_numpy(),
                 boxes["y"].to_numpy(), boxes["w"].to_numpy(), boxes["h"].to_numpy(), seen, n)


def _show(value: float) -> str:
    return f"{float(value):g}"


def _not_a_number(cells: pd.Series, column: str, row: int) -> str:
    return f"column '{column}': '{str(cells.iloc[row]).strip()}' is not a number"


def _not_positive(values: np.ndarray, column: str, row: int) -> str:
    return f"column '{column}': {_show(values[row])} is not greater than 0"


# --- matching -------------------------------------------------------------------------------

def iou(ax, ay, aw, ah, bx, by, bw, bh) -> np.ndarray:
    """Intersection over union of boxes a and b (arrays, element by element)."""
    across = np.clip(np.minimum(ax + aw, bx + bw) - np.maximum(ax, bx), 0, None)
    down = np.clip(np.minimum(ay + ah, by + bh) - np.maximum(ay, by), 0, None)
    common = across * down
    return common / (aw * ah + bw * bh - common)


def greedy_match(left: np.ndarray, right: np.ndarray, overlap: np.ndarray) -> np.ndarray:
    """Indices of the candidate pairs (left[k], right[k], overlap[k]) kept by greedy one-to-one
    matching by descending overlap; ties go to the smaller left, then right, id."""
    order = np.lexsort((right, left, -overlap))
    used_left: set[int] = set()
    used_right: set[int] = set()
    kept = []
    for k in order.tolist():
        a, b = int(left[k]), int(right[k])
        if a in used_left or b in used_right:
            continue
        used_left.add(a)
        used_right.add(b)
        kept.append(k)
    return np.asarray(kept, dtype=np.int64)


@dataclass
class PairBoxes:
    raters: tuple[str, str]
    items: int  # images both annotated
    boxes: tuple[int, int]
    matches: int
    iou_sum: float
    per_label: dict[str, tuple[int, int, int, float]]  # label -> (boxes a, boxes b, matches, IoU sum)

    @staticmethod
    def f1(matches: int, a: int, b: int) -> float | None:
        return None if a + b == 0 else 2 * matches / (a + b)

    @staticmethod
    def mean(total: float, matches: int) -> float | None:
        return total / matches if matches else None

    def as_dict(self) -> dict:
        a, b = self.boxes
        return {"raters": list(self.raters), "items": self.items, "boxes": [a, b], "matches": self.matches,
                "box_f1": ag._round(self.f1(self.matches, a, b)),
                "mean_iou": ag._round(self.mean(self.iou_sum, self.matches))}


def _pair(s: Boxes, a: int, b: int, threshold: float) -> PairBoxes:
    common = s.seen[:, a] & s.seen[:, b]
    in_common = common[s.item]
    left = np.flatnonzero((s.rater == a) & in_common)
    right = np.flatnonzero((s.rater == b) & in_common)
    n_labels = len(s.labels)

    def frame(ids: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame({"item": s.item[ids], "label": s.label[ids], "x": s.x[ids], "y": s.y[ids],
                             "w": s.w[ids], "h": s.h[ids], "id": ids})

    candidates = frame(left).merge(frame(right), on=["item", "label"], suffixes=("_a", "_b"))
    overlap = iou(*(candidates[f"{c}_a"].to_numpy() for c in "xywh"), *(candidates[f"{c}_b"].to_numpy() for c in "xywh"))
    above = overlap >= threshold
    candidates, overlap = candidates[above], overlap[above]
    kept = greedy_match(candidates["id_a"].to_numpy(), candidates["id_b"].to_numpy(), overlap)
    matched_label = candidates["label"].to_numpy(dtype=np.int64)[kept]
    matched_iou = overlap[kept]
    count_a = np.bincount(s.label[left], minlength=n_labels)
    count_b = np.bincount(s.label[right], minlength=n_labels)
    matches = np.bincount(matched_label, minlength=n_labels)
    iou_sum = np.bincount(matched_label, weights=matched_iou, minlength=n_labels)
    per_label = {s.labels[k]: (int(count_a[k]), int(count_b[k]), int(matches[k]), float(iou_sum[k]))
                 for k in range(n_labels) if count_a[k] + count_b[k]}
    return PairBoxes((str(s.raters[a]), str(s.raters[b])), int(common.sum()), (len(left), len(right)),
                     int(matches.sum()), float(matched_iou.sum()), per_label)


def _mean(values: list[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


@dataclass
class BoxReport:
    raters: int
    items: int  # images annotated by two or more raters
    boxes: int
    labels: list[str]
    f1: float | None
    f1_per_label: dict[str, float | None]
    mean_iou: float | None
    mean_iou_per_label: dict[str, float | None]
    pairs: list[PairBoxes]
    threshold: float = IOU_THRESHOLD
    notes: list[str] = field(default_factory=list)

    @property
    def computable(self) -> bool:
        return self.f1 is not None

    def problem(self) -> tuple[str, str]:
        if self.raters >= 2 and self.items:
            return (self.notes[-1], "box F1 needs at least one box on the images two raters annotated")
        return (self.notes[-1], "agreement needs images annotated by two or more raters; a rater who saw an image "
                "and drew nothing leaves one row with empty label, x, y, w and h")

    def as_dict(self) -> dict:
        return {"shape": "box", "raters": self.raters, "items": self.items, "boxes": self.boxes,
                "iou_threshold": self.threshold, "matching": "greedy by descending IoU, one to one per class",
                "box_f1": ag.overall_and_per_label(self.f1, self.f1_per_label),
                "mean_iou": ag.overall_and_per_label(self.mean_iou, self.mean_iou_per_label),
                "pairs": [p.as_dict() for p in self.pairs], "notes": list(self.notes)}


def box_report(s: Boxes, *, threshold: float = IOU_THRESHOLD) -> BoxReport:
    n_raters = len(s.raters)
    pairs = [_pair(s, a, b, threshold) for a, b in combinations(range(n_raters), 2)]
    usable = [p for p in pairs if p.items]
    notes: list[str] = []
    for p in pairs:
        if not p.items:
            notes.append(f"raters {p.raters[0]} and {p.raters[1]} annotated no image in common")
        elif not sum(p.boxes):
            notes.append(f"raters {p.raters[0]} and {p.raters[1]} drew no box on their {p.items} common "
                         f"image{'s' if p.items != 1 else ''}: their F1 is not defined")
    labels = [label for label in s.labels if any(label in p.per_label for p in usable)]
    f1 = _mean([PairBoxes.f1(p.matches, *p.boxes) for p in usable])
    mean_iou = _mean([PairBoxes.mean(p.iou_sum, p.matches) for p in usable])
    f1_per = {label: _mean([PairBoxes.f1(p.per_label[label][2], *p.per_label[label][:2])
                            for p in usable if label in p.per_label]) for label in labels}
    iou_per = {label: _mean([PairBoxes.mean(p.per_label[label][3], p.per_label[label][2])
                             for p in usable if label in p.per_label]) for label in labels}
    if n_raters < 2:
        notes.append("not computable: only one rater")
    elif not usable:
        notes.append("not computable: no image was annotated by two or more raters")
    elif f1 is None:
        notes.append("not computable: no rater drew a box on the images two raters annotated")
    elif mean_iou is None:
        notes.append(f"no boxes matched at IoU >= {threshold:g}: mean IoU is not defined")
    return BoxReport(n_raters, int((s.seen.sum(axis=1) >= 2).sum()), s.n_boxes, labels, f1, f1_per, mean_iou,
                     iou_per, pairs, threshold, notes)


# --- text output -------------------------------------------------------------------------------


def box_text(display: str, s: Boxes, r: BoxReport) -> str:
    out = [f"{display}: {_count(s.rows, 'row')}, {_count(r.boxes, 'box', 'boxes')}, "
           f"{_count(r.raters, 'rater')}, {_count(r.items, 'image')} annotated by two or more raters\n"]
    names = ["overall", *[f"  {label}" for label in r.labels], "boxes"]
    width = max(len(n) for n in names) + 1
    out.append(f"{'boxes':<{width}} {'F1':>7} {'mean IoU':>9}\n")
    out.append(f"{'overall':<{width}} {_num(r.f1):>7} {_num(r.mean_iou):>9}\n")
    if r.labels:
        out.append("per label\n")
        for label in r.labels:
            out.append(f"{'  ' + label:<{width}} {_num(r.f1_per_label[label]):>7} "
                       f"{_num(r.mean_iou_per_label[label]):>9}\n")
    if r.pairs:
        rows = [(f"{p.raters[0]} / {p.raters[1]}", str(p.items), f"{p.boxes[0]}/{p.boxes[1]}", str(p.matches),
                 _num(PairBoxes.f1(p.matches, *p.boxes)), _num(PairBoxes.mean(p.iou_sum, p.matches)))
                for p in r.pairs]
        head = ("rater pair", "images", "boxes", "matches", "F1", "mean IoU")
        widths = [max(len(x[i]) for x in [head, *rows]) for i in range(len(head))]
        out.append("\n")
        for line in [head, *rows]:
            out.append(f"{line[0]:<{widths[0]}}" + "".join(f"  {x:>{w}}" for x, w in zip(line[1:], widths[1:]))
                       + "\n")
    out.append(f"a match: same image and class, IoU >= {r.threshold:g}, one to one, greedy by descending IoU\n")
    for note in r.notes:
        out.append(f"note: {note}\n")
    return "".join(out)

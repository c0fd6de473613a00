"""Bounding-box agreement: IoU, greedy one-to-one matching per class at IoU >= 0.5, box F1
and mean IoU, overall, per class and per rater pair, against figures computed by hand;
`labelbook agreement` on box exports; bad box data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import run_labelbook
from generator.metrics.boxes import box_report, greedy_match, iou, read_boxes

# (image, class, x, y, w, h); None: the rater saw the image and drew nothing.
ANN = [("img1", "car", 0, 0, 10, 10), ("img1", "car", 20, 0, 10, 10), ("img1", "person", 50, 50, 5, 10),
       ("img2", "car", 0, 0, 4, 4)]
BOB = [("img1", "car", 1, 0, 10, 10),      # ann's first car: IoU 90 / 110 = 9/11
       ("img1", "person", 50, 50, 5, 5),   # ann's person: IoU 25 / 50 = 0.5, the threshold itself
       ("img2", None, None, None, None, None)]  # saw img2, drew nothing: ann's car there is missed


def write_boxes(path: Path, raters: dict[str, list]) -> Path:
    lines = ["item,rater,label,x,y,w,h"]
    for rater, boxes in raters.items():
        for image, label, *xywh in boxes:
            lines.append(",".join([image, rater, label or ""] + ["" if v is None else str(v) for v in xywh]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def report_of(tmp_path: Path, raters: dict[str, list]):
    return box_report(read_boxes(write_boxes(tmp_path / "boxes.csv", raters), "boxes.csv"))


def test_iou_by_hand():
    def one(a, b):
        return float(iou(*(np.array([v], dtype=float) for v in (*a, *b)))[0])

    assert one((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert one((0, 0, 10, 10), (5, 0, 10, 10)) == pytest.approx(50 / 150)  # 5 x 10 shared
    assert one((0, 0, 10, 10), (1, 0, 10, 10)) == pytest.approx(90 / 110)
    assert one((0, 0, 10, 10), (10, 0, 10, 10)) == 0.0  # touching edges share no area
    assert one((0, 0, 10, 10), (2, 2, 4, 4)) == pytest.approx(16 / 100)  # inside: 16 / 100


def test_two_raters_f1_and_mean_iou(tmp_path):
    r = report_of(tmp_path, {"ann": ANN, "bob": BOB})
    assert (r.raters, r.items, r.boxes) == (2, 2, 6)
    # matches: car 9/11, person 0.5 -> 2 matches; ann 4 boxes, bob 2 -> F1 = 2*2/6 = 2/3
    assert r.f1 == pytest.approx(2 / 3)
    assert r.mean_iou == pytest.approx((9 / 11 + 0.5) / 2)
    # car: ann 3, bob 1, 1 match -> 2/4; person: 1, 1, 1 match -> 1
    assert r.f1_per_label == pytest.approx({"car": 0.5, "person": 1.0})
    assert r.mean_iou_per_label == pytest.approx({"car": 9 / 11, "person": 0.5})


def test_an_image_without_the_empty_row_is_not_compared(tmp_path):
    # Without bob's empty row img2 is not an image bob annotated: ann's car there is not counted.
    r = report_of(tmp_path, {"ann": ANN, "bob": BOB[:2]})
    assert r.items == 1 and r.f1 == pytest.approx(2 * 2 / (3 + 2))


def test_classes_must_match(tmp_path):
    # bob's truck lies exactly on ann's second car: no match across classes
    r = report_of(tmp_path, {"ann": ANN[:2], "bob": [("img1", "truck", 20, 0, 10, 10)]})
    assert r.pairs[0].matches == 0 and r.f1 == 0.0
    assert r.mean_iou is None
    assert r.notes == ["no boxes matched at IoU >= 0.5: mean IoU is not defined"]


def test_matching_is_greedy_by_descending_iou(tmp_path):
    # One row of boxes (y 0, h 10). ann A1 [0, 10), A2 [-2, 8); bob B1 [0, 9), B2 [3, 13).
    # IoU: A1-B1 9/10, A2-B1 8/11, A1-B2 7/13, A2-B2 5/15 (below 0.5).
    # Greedy takes A1-B1 (the highest); A2's only partner B1 is then taken: 1 match,
    # F1 = 2*1/4 = 0.5. (A maximum matching, A1-B2 and A2-B1, would have 2.)
    r = report_of(tmp_path, {"ann": [("row", "x", 0, 0, 10, 10), ("row", "x", -2, 0, 10, 10)],
                             "bob": [("row", "x", 0, 0, 9, 10), ("row", "x", 3, 0, 10, 10)]})
    assert r.pairs[0].matches == 1
    assert r.f1 == pytest.approx(0.5) and r.mean_iou == pytest.approx(0.9)


def test_greedy_match_ties_go_to_the_earlier_box():
    kept = greedy_match(np.array([0, 1, 0]), np.array([5, 5, 6]), np.array([0.7, 0.7, 0.6]))
    assert kept.tolist() == [0]  # (0, 5) before (1, 5); then (0, 6) has a used left box


def test_three_raters_average_over_pairs(tmp_path):
    cy = [("img1", "car", 0, 0, 10, 10), ("img2", "car", 0, 0, 4, 4)]
    r = report_of(tmp_path, {"ann": ANN, "bob": BOB, "cy": cy})
    # ann/bob: 2 matches of 4 + 2 boxes -> 2/3, IoU (9/11 + 1/2)/2
    # ann/cy: car 1 and img2's car match exactly: 2 of 4 + 2 -> 2/3, IoU 1
    # bob/cy: bob's car ~ cy's car (9/11); bob's person and cy's img2 car unmatched: 1 of 2 + 2 -> 1/2
    assert [(p.matches, p.boxes) for p in r.pairs] == [(2, (4, 2)), (2, (4, 2)), (1, (2, 2))]
    assert r.f1 == pytest.approx((2 / 3 + 2 / 3 + 1 / 2) / 3)
    assert r.mean_iou == pytest.approx(((9 / 11 + 0.5) / 2 + 1 + 9 / 11) / 3)
    # person: ann/bob 1; ann/cy: ann 1, cy 0 -> 0; bob/cy: bob 1, cy 0 -> 0
    assert r.f1_per_label["person"] == pytest.approx(1 / 3)
    assert r.mean_iou_per_label["person"] == pytest.approx(0.5)  # only ann/bob matched a person


def test_parquet_box_export_with_number_columns(tmp_path):
    rows = [(rater, *box) for rater, boxes in (("ann", ANN), ("bob", BOB)) for box in boxes]
    table = pa.table({"item": [r[1] for r in rows], "rater": [r[0] for r in rows], "label": [r[2] for r in rows],
                      **{c: pa.array([r[3 + k] for r in rows], pa.float64()) for k, c in enumerate("xywh")}})
    pq.write_table(table, tmp_path / "boxes.parquet")
    r = box_report(read_boxes(tmp_path / "boxes.parquet", "boxes.parquet"))
    assert r.f1 == pytest.approx(2 / 3)


# --- labelbook agreement ------------------------------------------------------------------

def test_cli_box_export_json(tmp_path):
    write_boxes(tmp_path / "boxes.csv", {"ann": ANN, "bob": BOB})
    result = run_labelbook("agreement", "boxes.csv", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["shape"], data["raters"], data["items"], data["boxes"], data["iou_threshold"]) == \
        ("box", 2, 2, 6, 0.5)
    assert data["box_f1"] == {"overall": 0.666667, "per_label": {"car": 0.5, "person": 1.0}}
    assert data["mean_iou"] == {"overall": 0.659091, "per_label": {"car": 0.818182, "person": 0.5}}
    assert data["pairs"] == [{"raters": ["ann", "bob"], "items": 2, "boxes": [4, 2], "matches": 2,
                              "box_f1": 0.666667, "mean_iou": 0.659091}]


def test_cli_box_export_text(tmp_path):
    write_boxes(tmp_path / "boxes.csv", {"ann": ANN, "bob": BOB})
    result = run_labelbook("agreement", "boxes.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()]
    assert result.stdout.splitlines()[0] == "boxes.csv: 7 rows, 6 boxes, 2 raters, 2 images annotated by two or more raters"
    assert ["overall", "0.667", "0.659"] in lines and ["car", "0.500", "0.818"] in lines
    assert ["ann", "/", "bob", "2", "4/2", "2", "0.667", "0.659"] in lines


def test_cli_box_export_rejects_label_options(tmp_path):
    write_boxes(tmp_path / "boxes.csv", {"ann": ANN, "bob": BOB})
    result = run_labelbook("agreement", "boxes.csv", "--separator", "|", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: --separator does not apply to a box export (boxes.csv has x, y, w and h columns)",
        "hint: leave --separator out; boxes are compared by the F1 of boxes matched at IoU >= 0.5 and their mean IoU"]


NUMBER_HINT = "hint: x, y, w and h are pixels: x and y the top-left corner, w and h the width and height, greater than 0"
ROW_HINT = ("hint: a row is one box (label, x, y, w and h); for an image the rater saw and marked nothing, "
            "leave label, x, y, w and h all empty")
SHAPE_HINT = "hint: a box export has the columns item, rater, label, x, y, w, h (pixels, x and y the top-left corner)"


@pytest.mark.parametrize("content, error, hint", [
    ("item,rater,label,x,y,w\ni1,a,car,0,0,1\n", "error: boxes.csv: missing column 'h'",
     SHAPE_HINT + "; the columns are: item, rater, label, x, y, w"),
    ("item,rater,label,x,y,width,height\ni1,a,car,0,0,1,1\n",
     "error: boxes.csv: missing column 'w' (there is a 'width' column)", SHAPE_HINT + "; rename 'width' to 'w'"),
    ("item,rater,label,x,y,w,h\ni1,a,car,0,0,0,1\ni1,b,car,0,0,-2,1\n",
     "error: boxes.csv:2: column 'w': 0 is not greater than 0 (2 such rows in all)", NUMBER_HINT),
    ("item,rater,label,x,y,w,h\ni1,a,car,0,0,2,1\ni1,b,car,0,0,2,-0.5\n",
     "error: boxes.csv:3: column 'h': -0.5 is not greater than 0", NUMBER_HINT),
    ("item,rater,label,x,y,w,h\ni1,a,car,0,zero,2,1\n", "error: boxes.csv:2: column 'y': 'zero' is not a number",
     NUMBER_HINT),
    ("item,rater,label,x,y,w,h\ni1,a,car,0,0,2,\n",
     "error: boxes.csv:2: column 'h' is empty but label, x, y and w are given", ROW_HINT),
    ("item,rater,label,x,y,w,h\ni1,a,,0,0,2,1\n",
     "error: boxes.csv:2: column 'label' is empty but x, y, w and h are given", ROW_HINT),
    ("item,rater,label,x,y,w,h\ni1,,car,0,0,2,1\n", "error: boxes.csv:2: column 'rater' is empty",
     "hint: every row names its image (item) and its rater"),
    ("item,rater,label,x,y,w,h\ni1,a,car,0,0,2,1\ni1,a,car,0,0,2.0,1\n",
     "error: boxes.csv:3: rater 'a' drew the 'car' box x=0 y=0 w=2 h=1 on image 'i1' twice (first on line 2); "
     "1 duplicate box row in all", "hint: keep one row per box"),
    ("item,rater,label,x,y,w,h\n", "error: boxes.csv: the file has a header but no rows",
     "hint: one row per box: item, rater, label, x, y, w, h"),
])
def test_bad_box_data_is_one_clear_error(tmp_path, content, error, hint):
    (tmp_path / "boxes.csv").write_text(content, encoding="utf-8")
    result = run_labelbook("agreement", "boxes.csv", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [error, hint]


@pytest.mark.parametrize("content, error", [
    ("item,rater,label,x,y,w,h\ni1,a,car,0,0,2,1\n", "error: boxes.csv: box agreement is not computable: only one rater"),
    ("item,rater,label,x,y,w,h\ni1,a,car,0,0,2,1\ni2,b,car,0,0,2,1\n",
     "error: boxes.csv: box agreement is not computable: no image was annotated by two or more raters"),
    ("item,rater,label,x,y,w,h\ni1,a,,,,,\ni1,b,,,,,\n",
     "error: boxes.csv: box agreement is not computable: no rater drew a box on the images two raters annotated"),
])
def test_box_agreement_not_computable(tmp_path, content, error):
    (tmp_path / "boxes.csv").write_text(content, encoding="utf-8")
    result = run_labelbook("agreement", "boxes.csv", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout)["box_f1"]["overall"] is None
    assert result.stderr.splitlines()[0] == error
    assert "Traceback" not in result.stderr

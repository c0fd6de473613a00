"""Pairwise preference agreement: labels read as responses through shown_first, percent
agreement, nominal and ordinal alpha, position consistency, by hand and against the
krippendorff package; `labelbook agreement` on preference exports; bad preference data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import run_labelbook
from generator.metrics.detect import detect_shape
from generator.metrics.preference import mirror_text, preference_report, read_preferences

# Labels name positions (A: shown first, B: shown second); shown_first names the response
# shown first. Read as responses ("->"), every label says which response was preferred.
THREE_RATERS = """\
item,rater,label,pair,shown_first
q1,ann,A,p1,A
q1,bob,A,p1,A
q1r,cy,B,p1,B
q2,ann,B,p2,A
q2r,bob,A,p2,B
q2,cy,tie,p2,A
q3,ann,A,p3,A
q3r,bob,A,p3,B
q1r,ann,B,p1,B
q2r,ann,B,p2,B
q3r,ann,B,p3,B
"""
# q1: A shown first    ann A -> A, bob A -> A
# q1r: B shown first   cy B (second position, response A) -> A; later ann B -> A
# q2: ann B -> B, cy tie -> tie; q2r: bob A (first position, response B) -> B; later ann B -> A
# q3: ann A -> A; q3r: bob A -> B; later ann B -> A


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def report_of(tmp_path: Path, text: str, **options):
    return preference_report(read_preferences(write(tmp_path / "prefs.csv", text), "prefs.csv"), **options)


def test_mirror_swaps_positions_as_whole_tokens():
    assert mirror_text("A") == "B" and mirror_text("B") == "A"
    assert mirror_text("A>>B") == "B>>A" and mirror_text("A=B") == "B=A"
    assert mirror_text("tie") == "tie" and mirror_text("Both bad") == "Both bad"
    assert mirror_text("first much better") == "second much better"
    assert mirror_text("A slightly better") == "B slightly better"


def test_three_raters_by_hand(tmp_path):
    r = report_of(tmp_path, THREE_RATERS)
    # Between raters, each rater's first judgment of a pair, read as responses:
    #   p1: ann A, bob A, cy A      -> all 6 ordered pairs agree: 1
    #   p2: ann B, bob B, cy tie    -> B/B agree: 2 of 6 ordered pairs: 1/3
    #   p3: ann A, bob B            -> 0
    # percent = (1 + 1/3 + 0) / 3 = 4/9
    assert (r.unit_column, r.raters, r.items, r.judgments) == ("pair", 3, 3, 11)
    assert r.labels == ["A", "B", "tie"]
    assert r.percent_agreement == pytest.approx(4 / 9)
    # nominal alpha: n = 8 values (A 4, B 3, tie 1); matching values per unit,
    # sum n_uc (n_uc - 1) / (m_u - 1): p1 3*2/2 = 3, p2 2*1/2 = 1, p3 0 -> 4; disagreement 8 - 4 = 4;
    # chance 8^2 - (16 + 9 + 1) = 38; alpha = 1 - 7 * 4 / 38 = 10/38
    assert r.krippendorff_alpha == pytest.approx(10 / 38)
    assert r.ordinal_alpha is None
    # ann judged p1, p2, p3 in both orders: p1 A then A, p2 B then A, p3 A then A -> 2 of 3
    assert r.position_consistency == {"rate": pytest.approx(2 / 3), "pairs": 3, "consistent": 2}
    assert any("3 judgments of a pair the rater had already judged" in note for note in r.notes)


def test_nominal_alpha_matches_krippendorff_package(tmp_path):
    krippendorff = pytest.importorskip("krippendorff")
    # the same first judgments as responses, coded A=0, B=1, tie=2 (raters ann, bob, cy)
    data = np.array([[0, 1, 0], [0, 1, 1], [0, 2, np.nan]])
    ours = report_of(tmp_path, THREE_RATERS).krippendorff_alpha
    assert ours == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def test_without_mirroring_raters_who_saw_other_orders_seem_to_disagree(tmp_path):
    # Two raters prefer the same response; bob saw it second. As responses they agree.
    text = "item,rater,label,shown_first\nc1,ann,A,A\nc1,bob,B,B\nc2,ann,B,A\nc2,bob,tie,A\n"
    r = report_of(tmp_path, text)
    assert r.percent_agreement == pytest.approx(0.5)  # c1 agrees (A and A), c2 does not
    given = report_of(tmp_path, "item,rater,label\nc1,ann,A\nc1,bob,B\nc2,ann,B\nc2,bob,tie\n")
    assert given.percent_agreement == 0.0 and given.position_consistency is None
    assert given.notes == ["no shown_first column: labels are compared as given, position consistency is not "
                           "measured"]


def test_signed_strength_scale_ordinal_alpha_by_hand(tmp_path):
    # -2..2, mirrored by sign where B was shown first; item is the pair (no pair column).
    text = ("item,rater,label,shown_first\n"
            "s1,ann,-2,A\ns1,bob,1,B\n"    # -2 and -1
            "s2,ann,0,A\ns2,bob,0,B\n"     # 0 and 0
            "s3,ann,2,B\ns3,bob,-1,A\n")   # -2 and -1
    r = report_of(tmp_path, text)
    assert r.labels == ["-2", "-1", "0"]
    assert r.percent_agreement == pytest.approx(1 / 3)  # s2 only
    # nominal: n = 6 (-2 x2, -1 x2, 0 x2); matching 2 (s2); disagreement 4; chance 36 - 12 = 24;
    # alpha = 1 - 5 * 4 / 24 = 1/6
    assert r.krippendorff_alpha == pytest.approx(1 / 6)
    # ordinal: delta(-2,-1) = (2+2 - 2)^2 = 4, delta(-2,0) = (6 - 2)^2 = 16, delta(-1,0) = 4;
    # observed 2*4 (s1) + 2*4 (s3) = 16; expected 2 * (4*4 + 4*16 + 4*4) = 192; alpha = 1 - 5*16/192 = 7/12
    assert r.ordinal_alpha == pytest.approx(7 / 12)
    assert r.position_consistency == {"rate": None, "pairs": 0, "consistent": 0}


def test_unsigned_scale_is_mirrored_between_its_ends(tmp_path):
    # 1..5 (1: first much better, 3: tie): bob's 4 with B shown first reads 1 + 5 - 4 = 2
    text = "item,rater,label,shown_first\nc1,ann,2,A\nc1,bob,4,B\nc2,ann,1,A\nc2,bob,5,A\n"
    r = report_of(tmp_path, text)
    assert r.percent_agreement == pytest.approx(0.5)
    assert "the scale is read as running from 1 to 5 (the values used): a label v is mirrored to 6 - v" in r.notes


def test_text_scale_ordinal_alpha_with_an_order(tmp_path):
    krippendorff = pytest.importorskip("krippendorff")
    order = ["A>>B", "A>B", "tie", "B>A", "B>>A"]
    text = ("item,rater,label,shown_first\n"
            "c1,ann,A>>B,A\nc1,bob,B>A,B\n"   # A>>B and A>B
            "c2,ann,tie,A\nc2,bob,tie,B\n"    # tie and tie
            "c3,ann,B>A,A\nc3,bob,A>>B,B\n")  # B>A and B>>A
    r = report_of(tmp_path, text, order=order)
    ranks = np.array([[0, 2, 3], [1, 2, 4]], dtype=float)  # ann, bob by rank in the order
    assert r.ordinal_alpha == pytest.approx(krippendorff.alpha(reliability_data=ranks, level_of_measurement="ordinal",
                                                               value_domain=[0, 1, 2, 3, 4]))
    assert report_of(tmp_path, text).ordinal_alpha is None  # text labels without an order: nominal only


def test_response_ids_in_shown_first(tmp_path):
    # ann saw r42 first and chose it (A), then r17 first and chose the second (r42 again): consistent.
    # bob answered A both times, the first position whatever it held: inconsistent.
    text = "item,rater,label,shown_first\nc1,ann,A,r42\nc1,bob,A,r42\nc1,ann,B,r17\nc1,bob,A,r17\n"
    r = report_of(tmp_path, text)
    assert r.position_consistency == {"rate": 0.5, "pairs": 2, "consistent": 1}
    assert r.percent_agreement == 1.0  # first judgments: both chose r42


def test_lower_case_shown_first_and_blank_labels(tmp_path):
    # b shown first counts as B: bob's "B" (second position) is response A, as ann's "A";
    # cy's blank label is a judgment not given, left out.
    r = report_of(tmp_path, "item,rater,label,shown_first\nc1,ann,A,a\nc1,bob,B,b\nc1,cy, ,a\n")
    assert r.percent_agreement == 1.0 and r.judgments == 2
    assert r.notes[0] == "1 row without a label is left out"


def test_detection_rules():
    assert detect_shape(["item", "rater", "label", "pair"]) == ("preference", "has a pair column")
    assert detect_shape(["item", "rater", "label", "shown_first"]) == ("preference", "has a shown_first column")
    assert detect_shape(["item", "rater", "label"]) [0] == "label"
    assert detect_shape(["item", "rater", "label"], "preference") == ("preference", "--shape preference")
    assert detect_shape(["item", "rater", "criterion", "label", "pair"])[0] == "rating"
    assert detect_shape(["item", "rater", "label", "x", "y", "w", "h"])[0] == "box"
    assert detect_shape(["item", "rater", "label", "start", "end", "x"])[0] == "span"
    assert detect_shape(["item", "rater", "label", "x"])[0] == "label"  # one of x, y, w, h is not enough


# --- labelbook agreement ------------------------------------------------------------------

def test_cli_preference_json(tmp_path):
    write(tmp_path / "prefs.csv", THREE_RATERS)
    result = run_labelbook("agreement", "prefs.csv", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {k: data[k] for k in ("shape", "unit", "raters", "items", "judgments", "labels", "percent_agreement",
                                 "krippendorff_alpha", "ordinal_alpha", "position_consistency")} == {
        "shape": "preference", "unit": "pair", "raters": 3, "items": 3, "judgments": 11,
        "labels": ["A", "B", "tie"], "percent_agreement": 0.444444, "krippendorff_alpha": 0.263158,
        "ordinal_alpha": None, "position_consistency": {"rate": 0.666667, "pairs": 3, "consistent": 2}}


def test_cli_preference_text(tmp_path):
    write(tmp_path / "prefs.csv", THREE_RATERS)
    result = run_labelbook("agreement", "prefs.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "prefs.csv: 11 judgments, 3 raters, 3 pairs judged by two or more raters"
    assert lines[2].split() == ["overall", "3", "44.4%", "0.263", "n/a"]
    # lines[3]: the figures' bootstrap intervals (tests/test_shape_intervals.py), then how they were drawn.
    assert lines[4] == "under each figure: its 95% bootstrap interval (1,000 resamples of the pairs, seed 2007)"
    assert lines[5] == ("position consistency: 2 of 3 pairs a rater judged in both orders got the same answer "
                        "(66.7%)")


def test_cli_shape_option_and_ordinal_level(tmp_path):
    write(tmp_path / "prefs.csv", "item,rater,label\nc1,ann,-1\nc1,bob,-1\nc2,ann,1\nc2,bob,2\n")
    result = run_labelbook("agreement", "prefs.csv", "--shape", "preference", "--level", "ordinal",
                           "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["shape"] == "preference" and data["ordinal_alpha"] is not None
    result = run_labelbook("agreement", "prefs.csv", "--format", "json", cwd=tmp_path)  # without: a label export
    assert "shape" not in json.loads(result.stdout)


@pytest.mark.parametrize("content, args, error, hint", [
    ("item,rater,lable,pair\nc1,a,A,p1\n", (), "error: prefs.csv: missing column 'label'; did you mean 'lable'?",
     "hint: a preference export has the columns item, rater, label and optionally pair and shown_first; "
     "the columns are: item, rater, lable, pair"),
    ("item,rater,label,pair\nc1,a,A,p1\nc2,a,B,p1\n", (),
     "error: prefs.csv:3: rater 'a' judged pair 'p1' twice (first on line 2); 1 duplicate row in all",
     "hint: keep one judgment per rater and pair; a pair judged in both orders needs a shown_first column"),
    ("item,rater,label,shown_first\nc1,a,A,A\nc1,a,B,A\n", (),
     "error: prefs.csv:3: rater 'a' judged item 'c1' twice with 'A' shown first (first on line 2); "
     "1 duplicate row in all", "hint: keep one judgment per rater, pair and order"),
    ("item,rater,label,shown_first\nc1,a,A,A\nc1,b,B,\n", (), "error: prefs.csv:3: column 'shown_first' is empty",
     "hint: shown_first names the response shown first: A or B, or the response's id"),
    ("item,rater,label,pair\nc1,a,A,\n", (), "error: prefs.csv:2: column 'pair' is empty",
     "hint: pair names the two responses compared; the rows showing them in either order share it"),
    ("item,rater,label,shown_first\nc1,a,A,r1\nc1,b,B,r2\nc1,c,B,r3\n", (),
     "error: prefs.csv:4: item 'c1' has a third response shown first ('r1', 'r2', 'r3')",
     "hint: a pair compares two responses; shown_first names the one shown first, and a pair column groups "
     "the rows of one pair"),
    ("item,rater,label,shown_first\nc1,a,,A\n", (), "error: prefs.csv: no row has a label",
     "hint: the label is the answer: A, B, tie, or a strength"),
    ("item,rater,label,shown_first\nc1,a,A>B,A\nc1,b,B>A,B\n", ("--level", "ordinal"),
     "error: prefs.csv: label 'A>B' is not a number: ordinal alpha of a preference export needs a numeric "
     "strength scale (e.g. -2 to 2)", "hint: leave --level out for percent agreement and nominal alpha"),
])
def test_bad_preference_data_is_one_clear_error(tmp_path, content, args, error, hint):
    write(tmp_path / "prefs.csv", content)
    result = run_labelbook("agreement", "prefs.csv", *args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [error, hint]


def test_preference_usage_errors(tmp_path):
    write(tmp_path / "prefs.csv", THREE_RATERS)
    result = run_labelbook("agreement", "prefs.csv", "--level", "interval", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == ("error: --level interval does not apply to a preference export "
                                             "(prefs.csv has a shown_first and a pair column)")
    result = run_labelbook("agreement", "prefs.csv", "--slice", "language", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_preference_agreement_not_computable(tmp_path):
    write(tmp_path / "prefs.csv", "item,rater,label,shown_first\nc1,a,A,A\nc1,a,B,B\n")
    result = run_labelbook("agreement", "prefs.csv", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["percent_agreement"] is None
    assert data["position_consistency"] == {"rate": 1.0, "pairs": 1, "consistent": 1}
    assert result.stderr.splitlines() == [
        "error: prefs.csv: preference agreement is not computable: no item was judged by two or more raters "
        "(only one rater)",
        "hint: agreement needs items judged by two or more raters; with a pair column, the rows of one pair share it"]

"""Preference, rating and box guidelines on the datasheet and at the gate: each shape's
figures from the export named in datasheet.yaml (preference agreement and position
consistency, rating agreement per criterion, box F1 and mean IoU), the item-level view
(distribution, coverage, readiness, defects), the new criteria (position_consistency,
ordinal_alpha, weighted_kappa_quadratic, box_f1, mean_iou) and the datasheet page."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import build_project, make_project, run_labelbook
from generator.metrics import acceptance as acc
from generator.metrics.judgment_items import EMPTY_BOX, strength_scale
from generator.metrics.quality import compute_quality, load_data
from generator.metrics.view import quality_context
from generator.spec.acceptance import Criterion
from test_shapes import shape_project
from test_span_datasheet import load, write_csv

SIGN_OFF = """sign_off:
  lead: {name: "lead", role: Labeling lead}
  model_stakeholder: {name: "model stakeholder", role: ML lead}
"""


def criterion(ident: str, level: str, metric: str, comparator: str, threshold: float, extra: str = "") -> str:
    return (f"  - id: {ident}\n    level: {level}\n    description: \"{ident}\"\n    metric: {metric}\n"
            f"    comparator: \"{comparator}\"\n    threshold: {threshold}\n{extra}"
            "    on_fail: {action: rework}\n")


def judgment_project(root: Path, shape: str, header: list[str], rows, audit: str, data: str, criteria: str) -> Path:
    """The mini guideline of the given shape with an export, an audit, a data: section
    and acceptance criteria."""
    shape_project(root, shape)
    folder = root / "specs/mini"
    write_csv(folder / "data/export.csv", header, rows)
    (folder / "data/audit.csv").write_text(audit)
    datasheet = folder / "datasheet.yaml"
    datasheet.write_text(datasheet.read_text() + "data:\n  annotations: specs/mini/data/export.csv\n"
                         "  audit: specs/mini/data/audit.csv\n" + data)
    (folder / "acceptance.yaml").write_text("# yaml-language-server: $schema=../../schemas/acceptance.schema.json\n"
                                            "set_before_results: true\ncriteria:\n" + criteria + SIGN_OFF)
    return root


def off_shape(q, ident: str, metric: str, **extra) -> acc.CriterionResult:
    """A criterion `check` refuses for this shape, evaluated anyway: the evaluator says why
    it was not evaluated instead of guessing a figure."""
    return acc.evaluate_one(Criterion(id=ident, level="batch", description="x", metric=metric, comparator=">=",
                                      threshold=0.5, **extra), q)


def results_of(g, q) -> dict[str, acc.CriterionResult]:
    return {r.criterion.id: r for r in acc.evaluate(g.acceptance.criteria, q)}


def gate(root: Path) -> tuple[int, dict]:
    result = run_labelbook("gate", "mini", "--format", "json", cwd=root)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return result.returncode, json.loads(result.stdout)


def table(page: str, css: str) -> list[list[str]]:
    """The body cells of the table with the given class, tags stripped."""
    found = re.search(rf'<table class="lb-table {css}">.*?</table>', page, re.S)
    assert found, css
    body = found.group(0)[found.group(0).index("<tbody>"):].replace("</td><td>", "|")
    return [re.sub(r"<[^>]+>", "", row).split("|") for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


INTERVAL = re.compile(r'<br><span class="lb-muted lb-interval">([^<]*)</span>')


def without_intervals(page: str) -> str:
    """The page without the bootstrap intervals shown under the figures."""
    return INTERVAL.sub("", page)


def assert_intervals_hold(page: str, css: str, per_row: int) -> None:
    """Every figure of the table's first row has an interval under it that holds it."""
    found = re.search(rf'<table class="lb-table {css}">.*?</table>', page, re.S)
    assert found, css
    row = re.findall(r"<tr>(.*?)</tr>", found.group(0)[found.group(0).index("<tbody>"):], re.S)[0]
    cells = re.findall(r"<td>([^<]*)" + INTERVAL.pattern + "</td>", row)
    assert len(cells) == per_row, row
    for value, bounds in cells:
        low, high = (float(x.rstrip("%")) for x in bounds.split(" to "))
        assert low <= float(value.rstrip("%")) <= high, (value, bounds)


# --- preference ----------------------------------------------------------------------------------
# The fixture's answers: first_label "A" (response A better), second_label "B",
# not_enough_info "cannot-judge" (the unknown label); its rubric points clarity_low "1" and
# clarity_high "2" are no answers. A is the response shown first: where shown_first is B,
# A and B swap.
PREF_HEADER = ["item", "rater", "label", "shown_first", "language", "split", "entity", "text"]
PREFERENCES = [
    ("p1", "a", "A", "A", "en", "train", "e1", "Capital of France?"),  # A -> first_label
    ("p1", "b", "B", "B", "en", "train", "e1", "Capital of France?"),  # B shown first, "B" -> first_label
    ("p2", "a", "A", "A", "en", "train", "e2", "Capital of Spain?"),  # first_label
    ("p2", "b", "A", "B", "en", "train", "e2", "Capital of Spain?"),  # mirrored: second_label
    ("p3", "a", "B", "A", "fr", "train", "e3", "Capitale du Canada ?"),  # second_label
    ("p3", "b", "A", "B", "fr", "train", "e3", "Capitale du Canada ?"),  # mirrored: second_label
    ("p3", "a", "A", "B", "fr", "train", "e3", "Capitale du Canada ?"),  # a again, swapped: second_label
    ("p4", "a", "cannot-judge", "A", "fr", "test", "e4", "Traduire ceci"),  # not_enough_info
    ("p4", "b", "B", "A", "fr", "test", "e4", "Traduire ceci"),  # second_label
    ("p5", "a", "A", "A", "en", "test", "e5", "Capital of Peru?"),  # first_label
    ("p5", "a", "A", "B", "en", "", "e5", "Capital of Peru?"),  # a again, swapped: second_label; no split
]
PREF_AUDIT = "item,error_category,severity\np1,,\np2,wrong-label,major\np3,,\np4,,\n"
PREF_DATA = "  slices: [language]\n  required: [split]\n"


def preference_criteria(position: float = 0.5) -> str:
    return (criterion("rel-position", "release", "position_consistency", ">=", position)
            + criterion("rel-ordinal", "release", "ordinal_alpha", ">=", 0.4)
            + criterion("batch-position-confidence", "batch", "position_consistency", ">=", 0.5,
                        "    confidence: 0.95\n")
            + criterion("batch-alpha", "batch", "krippendorff_alpha", ">=", 0.5)
            )


def preference_project(root: Path, rows=PREFERENCES, position: float = 0.5) -> Path:
    return judgment_project(root, "preference", PREF_HEADER, rows, PREF_AUDIT, PREF_DATA, preference_criteria(position))


def test_preference_figures_by_hand(tmp_path, monkeypatch):
    g = load(preference_project(tmp_path), monkeypatch)
    assert g.shape == "preference"
    scale = strength_scale(g)
    # The unknown label is off the scale; A and B name positions: the scale is A, B.
    assert scale.on_scale == ["first_label", "second_label"] and scale.off_scale == ["not_enough_info"]
    ratings, audit = load_data(g)
    q = compute_quality(g, ratings, audit)
    j = q.judgments
    # Read as responses, the raters' first judgments: p1 (first, first), p2 (first, second),
    # p3 (second, second), p4 (not_enough_info, second); p5 has one rater.
    assert j["unit"] == "item" and j["items"] == 4 and j["judgments"] == 11 and j["raters"] == 2
    assert j["percent_agreement"] == pytest.approx(2 / 4)
    # Nominal alpha: 8 values (first 3, second 4, unknown 1), 4 agreeing pairs (p1, p3):
    # 1 - (8 - 1) * (8 - 4) / (8^2 - 3^2 - 4^2 - 1^2) = 1 - 28/38 = 10/38.
    assert j["krippendorff_alpha"] == pytest.approx(10 / 38, abs=1e-6)
    # Ordinal alpha on the scale first < second, p4's unknown answer left out (p4 keeps one
    # value and drops out): 6 values, first 3, second 3, agreeing p1 and p3 (4 of 6). On two
    # points the ordinal distance is a constant: 1 - 5 * 2 / (36 - 9 - 9) = 8/18 = 4/9.
    assert j["ordinal_alpha"] == pytest.approx(4 / 9, abs=1e-6)
    assert j["scale"] == ["first_label", "second_label"] and j["off_scale"] == ["not_enough_info"]
    assert any("1 judgment off the scale (not_enough_info) is left out" in note for note in j["notes"])
    # Position consistency: a judged p3 twice (second, second: consistent) and p5 twice
    # (first, then second: not) -> 1 of 2.
    assert j["position_consistency"] == {"rate": 0.5, "pairs": 2, "consistent": 1}
    assert j["labels"] == ["first_label", "second_label", "not_enough_info"]
    assert j["judgments_per_label"] == {"first_label": 4, "second_label": 6, "not_enough_info": 1}

    # The item-level view: one single-label rating per (item, rater), the first judgment.
    assert q.items == 5 and q.ratings == 9 and q.rows == 11 and q.raters == 2
    assert q.taxonomy == ["first_label", "second_label", "not_enough_info"]  # the answers, not the rubric
    # Majorities: p1 first; p2 tie, first by the taxonomy's order; p3 second; p4 tie between
    # second and not_enough_info, second by order; p5 first.
    assert q.distribution == {"first_label": 3, "second_label": 2, "not_enough_info": 0}
    # The same units and answers: the item-level agreement equals the preference table's,
    # and Cohen's kappa of a (first, first, second, unknown) and b (first, second, second,
    # second): (2/4 - 5/16) / (1 - 5/16) = 3/11.
    a = q.agreement
    assert a.level == "nominal" and a.overall.items == 4
    assert a.overall.krippendorff_alpha == pytest.approx(10 / 38) and a.overall.cohen_kappa == pytest.approx(3 / 11)
    checks = {c.id: c for c in q.checks}
    assert checks["taxonomy-labels"].ok is True
    # p5's second judgment (left out of the view) has no split: 1 of 11 rows.
    assert checks["required-fields"].detail.startswith("1 of 11 ratings miss a required field")
    _, hits = q.units["missing_field_rate"]
    assert len(hits) == 11 and int(hits.sum()) == 1
    assert q.defects["by_severity"]["major"].k == 1 and q.defects["audited"] == 4
    assert q.notes["gold_accuracy"].startswith("not measured for a preference export")

    results = results_of(g, q)
    assert results["rel-position"].status == acc.PASS  # 0.5 >= 0.5
    assert results["rel-position"].rows[0].n == 2
    # With a confidence the one-sided 95% Wilson lower bound of 1 of 2 is far below 0.5.
    confident = results["batch-position-confidence"].rows[0]
    assert confident.status == acc.FAIL and confident.bound < 0.2
    assert results["rel-ordinal"].status == acc.PASS  # 4/9 = 0.444 >= 0.4
    assert results["rel-ordinal"].rows[0].note == "strength scale first_label < second_label"
    assert results["batch-alpha"].status == acc.FAIL  # 10/38 = 0.263
    kappa = off_shape(q, "batch-kappa", "weighted_kappa_quadratic")
    assert kappa.status == acc.NOT_EVALUATED
    assert kappa.rows[0].note == "weighted kappa is measured for rating guidelines; this one is preference"
    assert off_shape(q, "batch-box", "box_f1").rows[0].note == ("box F1 and mean IoU is measured for box guidelines; "
                                                                "this one is preference")
    assert off_shape(q, "record-position-label", "position_consistency", scope="per-label").status == \
        acc.NOT_EVALUATED
    assert acc.format_value(results["rel-position"].criterion.metric, 0.5) == "50.00%"
    assert acc.format_value(results["rel-ordinal"].criterion.metric, 4 / 9) == "0.444"
    assert quality_context(g) == quality_context(g)


def test_preference_numeric_scale_mirrors_numbers(tmp_path, monkeypatch):
    # Answers valued by signed numbers: first_label "1" (A better), second_label "-1" (B
    # better), and the unknown label "both-bad". A number is mirrored v -> -v, and the
    # scale is read by value: -1 < 1.
    root = preference_project(tmp_path, rows=[
        ("p1", "a", "1", "A", "en", "train", "e1", "x"), ("p1", "b", "-1.0", "B", "en", "train", "e1", "x"),
        ("p2", "a", "0", "A", "en", "train", "e2", "y"), ("p2", "b", "both-bad", "B", "en", "train", "e2", "y"),
        ("p3", "a", "-1", "A", "en", "train", "e3", "z"), ("p3", "b", "-1", "A", "en", "train", "e3", "z"),
    ])
    taxonomy = root / "specs/mini/taxonomy.yaml"
    text = taxonomy.read_text().replace('value: "A"', 'value: "1"').replace('value: "B"', 'value: "-1"')
    taxonomy.write_text(text.replace('value: "cannot-judge"', 'value: "both-bad"'))
    g = load(root, monkeypatch)
    scale = strength_scale(g)
    assert scale.numeric and scale.on_scale == ["second_label", "first_label"]
    assert scale.off_scale == ["not_enough_info"]
    q = compute_quality(g, *load_data(g))
    # p1: a 1 (first_label); b -1.0 with B shown first, mirrored to 1: first_label too.
    # p2: a 0, a value no answer has (outside the taxonomy); b both-bad. p3: -1 twice,
    # second_label. Two of the three pairs agree.
    assert q.judgments["percent_agreement"] == pytest.approx(2 / 3)
    checks = {c.id: c for c in q.checks}
    assert checks["taxonomy-labels"].ok is False and checks["taxonomy-labels"].findings[0].startswith("'0' in 1")
    # Ordinal alpha: p2's two judgments are off the scale, p1 (1, 1) and p3 (-1, -1) agree: 1.
    assert q.judgments["ordinal_alpha"] == pytest.approx(1.0)


def fake_guideline(values: list[str], unknown: str | None = None):
    labels = [SimpleNamespace(id=f"l{k}", data_value=v) for k, v in enumerate(values)]
    taxonomy = SimpleNamespace(labels=labels, criteria=[], unknown_label=unknown)
    return SimpleNamespace(taxonomy=taxonomy, label=lambda ident: next(x for x in labels if x.id == ident))


@pytest.mark.parametrize("values, unknown, on, off", [
    # text: from the first to the last answer naming a position; tie between them stays,
    # both-bad after them is off the scale
    (["A>>B", "A>B", "tie", "B>A", "B>>A", "both-bad"], None, ["l0", "l1", "l2", "l3", "l4"], ["l5"]),
    # numbers: by value; an answer valued by text is off the scale, and so is the unknown label
    (["2", "1", "0", "-1", "-2", "both-bad", "9"], "l6", ["l4", "l3", "l2", "l1", "l0"], ["l5", "l6"]),
    # a choice: A and B; "first"/"second" name positions too
    (["first", "tie", "second", "unsure"], "l3", ["l0", "l1", "l2"], ["l3"]),
    # no answer names a position: no scale, ordinal alpha is not measured
    (["better", "worse"], None, [], ["l0", "l1"]),
])
def test_strength_scale(values, unknown, on, off):
    scale = strength_scale(fake_guideline(values, unknown))
    assert (scale.on_scale, scale.off_scale) == (on, off)


def test_gate_evaluates_preference_criteria(tmp_path):
    code, data = gate(preference_project(tmp_path))
    assert code == 0 and data["gate"] == "pass"
    criteria = {c["id"]: c for c in data["criteria"]}
    row = criteria["rel-position"]["rows"][0]
    assert (row["scope"], row["value"], row["n"], row["bound"], row["status"]) == ("overall", 0.5, 2, None, "pass")
    assert row["note"] == "1 of 2 (rater, pair)s judged in both orders gave the same answer"
    assert criteria["rel-ordinal"]["rows"][0]["value"] == pytest.approx(4 / 9, abs=1e-6)
    assert criteria["batch-position-confidence"]["status"] == "fail"
    text = run_labelbook("gate", "mini", cwd=tmp_path)
    assert "(11 judgments, 5 items, 2 raters)" in text.stdout
    assert re.search(r"rel-position +release +position_consistency +>= 50\.00% +overall +50\.00% +PASS", text.stdout)
    # 0.5 < 0.6: the release criterion fails the gate.
    failing = preference_project(tmp_path / "failing", position=0.6)
    code, data = gate(failing)
    assert code == 1 and data["gate"] == "fail"


# --- rating -------------------------------------------------------------------------------------
# The fixture's criteria: clarity (clarity_1, clarity_2, clarity_3 valued 1, 2, 3) and
# accuracy (accuracy_0, accuracy_1 valued 0, 1).
RATING_HEADER = ["item", "rater", "criterion", "label", "language", "split", "entity", "text"]
SCORES = [
    ("r1", "a", "clarity", "3", "en", "train", "e1", "Paris is the capital."),
    ("r1", "b", "clarity", "3.0", "en", "train", "e1", "Paris is the capital."),  # 3.0 is the point valued 3
    ("r2", "a", "clarity", "2", "en", "train", "e2", "Lyon, I think."),
    ("r2", "b", "clarity", "3", "en", "train", "e2", "Lyon, I think."),
    ("r3", "a", "clarity", "1", "fr", "train", "e3", "Euh, Lyon ?"),
    ("r3", "b", "clarity", "2", "fr", "train", "e3", "Euh, Lyon ?"),
    ("r4", "a", "clarity", "1", "fr", "test", "e4", "Paris is the capital."),  # r1's text, in test
    ("r4", "b", "clarity", "1", "fr", "test", "e4", "Paris is the capital."),
    ("r1", "a", "accuracy", "1", "en", "train", "e1", "Paris is the capital."),
    ("r1", "b", "accuracy", "1", "en", "train", "e1", "Paris is the capital."),
    ("r2", "a", "accuracy", "0", "en", "train", "e2", "Lyon, I think."),
    ("r2", "b", "accuracy", "1", "en", "train", "e2", "Lyon, I think."),
    ("r3", "a", "accuracy", "0", "fr", "train", "e3", "Euh, Lyon ?"),
    ("r3", "b", "accuracy", "0", "fr", "train", "e3", "Euh, Lyon ?"),
    ("r4", "a", "accuracy", "1", "fr", "test", "e4", "Paris is the capital."),
    ("r4", "b", "accuracy", "", "fr", "test", "e4", "Paris is the capital."),  # a score not given
]
RATING_AUDIT = "item,error_category,severity\nr1,,\nr2,wrong-label,major\nr3,,\n"
RATING_DATA = "  slices: [language]\n  required: [split]\n"


def rating_criteria(ordinal: float = 0.5) -> str:
    return (criterion("rel-ordinal", "release", "ordinal_alpha", ">=", ordinal)
            + criterion("rel-kappa-clarity", "release", "weighted_kappa_quadratic", ">=", 0.6,
                        "    labels: [clarity_2]\n")
            + criterion("batch-kappa-each", "batch", "weighted_kappa_quadratic", ">=", 0.6, "    scope: per-label\n")
            + criterion("record-major-accuracy-0", "record", "major_defect_rate", "<=", 0.4,
                        "    labels: [accuracy_0]\n")
            + criterion("record-duplicates", "record", "duplicate_rate", "<=", 0.0))


def rating_project(root: Path, rows=SCORES, ordinal: float = 0.5) -> Path:
    return judgment_project(root, "rating", RATING_HEADER, rows, RATING_AUDIT, RATING_DATA, rating_criteria(ordinal))


def test_rating_figures_by_hand(tmp_path, monkeypatch):
    g = load(rating_project(tmp_path), monkeypatch)
    assert g.shape == "rating"
    ratings, audit = load_data(g)
    q = compute_quality(g, ratings, audit)
    j = q.judgments
    assert list(j["criteria"]) == ["clarity", "accuracy"]  # the guideline's order
    assert j["items"] == 4 and j["ratings"] == 15 and j["raters"] == 2
    clarity, accuracy = j["criteria"]["clarity"], j["criteria"]["accuracy"]
    # clarity, a 3 2 1 1 and b 3 3 2 1: the same score on r1 and r4.
    assert clarity["items"] == 4 and clarity["percent_agreement"] == pytest.approx(2 / 4)
    # Ordinal alpha: 8 values, n1 = 3, n2 = 2, n3 = 3; coincidences 1-1 x2, 3-3 x2, 1-2 and
    # 2-3 once each way. delta(1,2) = (3 + 2 - 5/2)^2 = 6.25 = delta(2,3); delta(1,3) =
    # (8 - 3)^2 = 25. Observed 2 x 6.25 + 2 x 6.25 = 25; expected 2 x (3*2*6.25 + 2*3*6.25 +
    # 3*3*25) = 600; alpha = 1 - 7 * 25 / 600 = 17/24.
    assert clarity["ordinal_alpha"] == pytest.approx(17 / 24, abs=1e-6)
    # Interval: delta = (a - b)^2: observed 4 x 1 = 4, expected 2 x (6 + 6 + 9*4) = 96;
    # 1 - 7 * 4 / 96 = 17/24 as well.
    assert clarity["interval_alpha"] == pytest.approx(17 / 24, abs=1e-6)
    # Quadratic kappa: observed mean (a - b)^2 = 2/4; expected over the margins a {1: 2, 2: 1,
    # 3: 1}, b {1: 1, 2: 1, 3: 2}: (2*1*1 + 2*2*4 + 1*1*1 + 1*2*1 + 1*1*4 + 1*1*1) / 16 =
    # 26/16; 1 - (1/2) / (26/16) = 9/13. Linear: observed 1/2, expected 16/16: 1/2.
    assert clarity["weighted_kappa"]["quadratic"] == pytest.approx(9 / 13, abs=1e-6)
    assert clarity["weighted_kappa"]["linear"] == pytest.approx(0.5, abs=1e-6)
    # accuracy on r1-r3 (b gave no score on r4): a 1 0 0, b 1 1 0. Two points: ordinal =
    # nominal alpha = 1 - 5 * 2 / (36 - 9 - 9) = 4/9; kappa: observed 1/3, expected
    # (2*2 + 1*1)/9 = 5/9: 1 - 3/5 = 2/5.
    assert accuracy["items"] == 3 and accuracy["percent_agreement"] == pytest.approx(2 / 3)
    assert accuracy["ordinal_alpha"] == pytest.approx(4 / 9, abs=1e-6)
    assert accuracy["weighted_kappa"]["quadratic"] == pytest.approx(0.4, abs=1e-6)
    assert j["notes"] == ["1 row without a score is left out"]

    # The item-level view: one single-label rating per (item, criterion) unit and rater,
    # its label the point.
    assert q.items == 8 and q.ratings == 15 and q.rows == 16
    assert list(ratings.items[:2]) == ["r1 / accuracy", "r1 / clarity"]
    # Majorities (ties by the taxonomy's order): clarity r1 3, r2 2 (2 vs 3), r3 1 (1 vs 2),
    # r4 1; accuracy r1 1, r2 0 (0 vs 1), r3 0, r4 1 (a alone).
    assert q.distribution == {"clarity_1": 2, "clarity_2": 1, "clarity_3": 1, "accuracy_0": 2, "accuracy_1": 2}
    assert q.unused_labels == []
    # Nominal agreement over the 7 units two raters scored: r1 and r4 clarity, r1 and r3
    # accuracy agree.
    assert q.agreement.overall.items == 7 and q.agreement.overall.percent_agreement == pytest.approx(4 / 7)
    checks = {c.id: c for c in q.checks}
    assert checks["taxonomy-labels"].ok is True
    assert checks["required-fields"].detail.startswith("1 of 16 ratings miss a required field")  # the empty score
    # Item facts count export items: r4 repeats r1's text (1 of 4 items), and in another
    # split (r1 and r4: 2 of 4 items).
    items, hits = q.units["duplicate_rate"]
    assert len(items) == 4 and int(hits.sum()) == 1
    assert checks["split-leakage"].ok is False and "; 2 of 4 items affected" in checks["split-leakage"].detail
    assert q.defects["audited"] == 3 and q.defects["not_in_export"] == 0
    assert q.defects["by_severity"]["major"].k == 1

    results = results_of(g, q)
    # Overall: the mean over the criteria, (17/24 + 4/9) / 2 = 83/144 = 0.576.
    ordinal = results["rel-ordinal"].rows[0]
    assert ordinal.value == pytest.approx(83 / 144) and ordinal.n == 7 and ordinal.status == acc.PASS
    assert ordinal.note == "mean of 2 criteria (clarity, accuracy)"
    # A point names its criterion: clarity_2 -> clarity, 9/13 = 0.692 >= 0.6.
    assert [(r.scope, r.status) for r in results["rel-kappa-clarity"].rows] == [("criterion clarity", acc.PASS)]
    assert [(r.scope, round(r.value, 6), r.status) for r in results["batch-kappa-each"].rows] == [
        ("criterion clarity", round(9 / 13, 6), acc.PASS), ("criterion accuracy", 0.4, acc.FAIL)]
    assert off_shape(q, "batch-ordinal-slice", "ordinal_alpha", scope="per-slice", slice="language").status == \
        acc.NOT_EVALUATED
    assert off_shape(q, "batch-position", "position_consistency").rows[0].note == (
        "position consistency is measured for preference guidelines; this one is rating")
    # Audited items with a unit resolved to accuracy_0: r2 (major) and r3 -> 1 of 2.
    major = results["record-major-accuracy-0"].rows[0]
    assert (major.scope, major.value, major.n, major.status) == ("label accuracy_0", 0.5, 2, acc.FAIL)
    assert results["record-duplicates"].rows[0].n == 4
    assert quality_context(g) == quality_context(g)


def test_rating_scores_off_the_scale(tmp_path, monkeypatch):
    rows = [*SCORES, ("r5", "a", "clarity", "4", "en", "train", "e5", "x"),
            ("r5", "b", "tone", "2", "en", "train", "e5", "x")]
    g = load(rating_project(tmp_path, rows=rows), monkeypatch)
    q = compute_quality(g, *load_data(g))
    checks = {c.id: c for c in q.checks}
    # A score no point of its criterion has, and a criterion the taxonomy lacks.
    assert checks["taxonomy-labels"].ok is False
    assert [f.split(" in ")[0] for f in checks["taxonomy-labels"].findings] == ["'clarity=4'", "'tone=2'"]
    assert list(q.judgments["criteria"]) == ["clarity", "accuracy", "tone"]
    results = results_of(g, q)
    assert results["rel-ordinal"].rows[0].note.startswith("mean of 2 criteria (clarity, accuracy); not computable "
                                                          "for tone")


def test_gate_evaluates_rating_criteria(tmp_path):
    code, data = gate(rating_project(tmp_path))
    assert code == 0 and data["gate"] == "pass"
    criteria = {c["id"]: c for c in data["criteria"]}
    assert criteria["rel-ordinal"]["rows"][0]["value"] == pytest.approx(83 / 144, abs=1e-6)
    assert criteria["batch-kappa-each"]["status"] == "fail"
    assert criteria["record-major-accuracy-0"]["status"] == "fail"
    text = run_labelbook("gate", "mini", cwd=tmp_path)
    assert "(15 scores on 2 criteria, 8 (item, criterion) units of 4 items, 2 raters)" in text.stdout
    assert re.search(r"rel-ordinal +release +ordinal_alpha +>= 0\.500 +overall +0\.576 +PASS", text.stdout)
    # (17/24 + 4/9) / 2 = 0.576 < 0.6: the release criterion fails the gate.
    code, data = gate(rating_project(tmp_path / "failing", ordinal=0.6))
    assert code == 1 and [c["id"] for c in data["criteria"] if c["status"] == "fail"][0] == "rel-ordinal"


# --- box -----------------------------------------------------------------------------------------
# The fixture's classes: first_label "car", second_label "person", not_enough_info "unclear".
BOX_HEADER = ["item", "rater", "label", "x", "y", "w", "h", "area", "split", "entity"]
BOXES = [
    ("i1", "a", "car", 0, 0, 10, 10, "city", "train", "d1"),
    ("i1", "a", "person", 20, 0, 10, 20, "city", "train", "d1"),
    ("i1", "b", "car", 1, 0, 10, 10, "city", "train", "d1"),  # IoU 90 / 110 = 9/11 with a's car
    ("i1", "b", "person", 20, 0, 10, 10, "city", "train", "d1"),  # IoU 100 / 200 = 0.5: a match
    ("i2", "a", "car", 0, 0, 10, 10, "road", "train", "d2"),
    ("i2", "b", "car", 5, 0, 10, 10, "road", "train", "d2"),  # IoU 50 / 150 = 1/3: no match
    ("i3", "a", "", "", "", "", "", "road", "test", "d3"),  # both saw i3 and drew nothing
    ("i3", "b", "", "", "", "", "", "road", "test", "d3"),
    ("i4", "a", "unclear", 0, 0, 64, 48, "city", "test", "d4"),
    ("i4", "b", "", "", "", "", "", "city", "test", "d4"),  # b drew nothing on i4
    ("i5", "a", "person", 0, 0, 5, 5, "road", "test", "d5"),  # only a saw i5
]
BOX_AUDIT = "item,error_category,severity\ni1,,\ni2,wrong-label,major\ni3,,\ni4,,\n"
BOX_DATA = "  slices: [area]\n  required: [split]\n"
BOX_COVERAGE = "coverage:\n  - {label: first_label, slice: area=city, target: 2}\n"


def box_criteria(f1: float = 0.5) -> str:
    return (criterion("rel-box-f1", "release", "box_f1", ">=", f1)
            + criterion("rel-iou", "release", "mean_iou", ">=", 0.5, "    labels: [first_label, second_label]\n")
            + criterion("batch-f1-each", "batch", "box_f1", ">=", 0.5, "    scope: per-label\n")
            + criterion("record-schema", "record", "schema_valid_rate", ">=", 1.0))


def box_project(root: Path, rows=BOXES, f1: float = 0.5) -> Path:
    judgment_project(root, "boxes", BOX_HEADER, rows, BOX_AUDIT, BOX_DATA, box_criteria(f1))
    sampling = root / "specs/mini/sampling.yaml"
    sampling.write_text(sampling.read_text().replace("coverage: []\n", BOX_COVERAGE))
    return root


def test_box_figures_by_hand(tmp_path, monkeypatch):
    g = load(box_project(tmp_path), monkeypatch)
    assert g.shape == "box"
    ratings, audit = load_data(g)
    q = compute_quality(g, ratings, audit)
    b = q.boxes
    # One rater pair; common images i1-i4. a's boxes there: 2 + 1 + 1 = 4, b's 2 + 1 = 3;
    # matches: the cars and the persons of i1 -> F1 = 2*2 / (4 + 3) = 4/7; mean IoU
    # (9/11 + 1/2) / 2 = 29/44.
    assert b["items"] == 4 and b["boxes"] == 8 and b["rows"] == 11
    assert b["box_f1"]["overall"] == pytest.approx(4 / 7, abs=1e-6)
    assert b["mean_iou"]["overall"] == pytest.approx(29 / 44, abs=1e-6)
    # Per class, keyed by id: car a 2 b 2, 1 match -> 0.5, IoU 9/11; person 1 and 1, 1 match
    # -> 1.0, IoU 0.5; unclear a 1, b 0 -> 0, no IoU.
    assert b["box_f1"]["per_label"] == {"first_label": 0.5, "second_label": 1.0, "not_enough_info": 0.0}
    assert b["mean_iou"]["per_label"] == {"first_label": round(9 / 11, 6), "second_label": 0.5,
                                          "not_enough_info": None}
    # Every box of the export: car 4, person 3 (with i5), unclear 1.
    assert b["boxes_per_label"] == {"first_label": 4, "second_label": 3, "not_enough_info": 1}
    assert b["rater_pairs"] == 1

    # The item-level view: one rating per (image, rater), the set of classes drawn.
    assert q.items == 5 and q.ratings == 9 and q.rows == 9
    by_pair = {(str(ratings.items[i]), str(ratings.raters[r])): ratings.sets[c]
               for i, r, c in zip(ratings.item, ratings.rater, ratings.label)}
    assert by_pair[("i1", "b")] == {"first_label", "second_label"} and by_pair[("i3", "a")] == frozenset()
    assert EMPTY_BOX in ratings.categories
    # An image contains a class at least half its raters drew: i1 car and person, i2 car,
    # i3 nothing, i4 unclear (1 of 2), i5 person.
    assert q.distribution == {"first_label": 2, "second_label": 2, "not_enough_info": 1}
    assert [(c.label, c.slice, c.current) for c in q.coverage] == [("first_label", "area=city", 1)]
    checks = {c.id: c for c in q.checks}
    assert checks["taxonomy-labels"].ok is True and checks["required-fields"].ok is True
    assert q.defects["by_severity"]["major"].k == 1
    assert q.notes["gold_accuracy"].startswith("not measured for a box export")
    assert q.agreement.level == "masi"

    results = results_of(g, q)
    f1 = results["rel-box-f1"].rows[0]
    assert (f1.value, f1.n, f1.status, f1.note) == (pytest.approx(4 / 7), 8, acc.PASS, "mean of 1 rater pair")
    assert [(r.scope, r.status) for r in results["rel-iou"].rows] == [("label first_label", acc.PASS),
                                                                      ("label second_label", acc.PASS)]
    assert [(r.scope, r.value, r.status) for r in results["batch-f1-each"].rows] == [
        ("label first_label", 0.5, acc.PASS), ("label second_label", 1.0, acc.PASS),
        ("label not_enough_info", 0.0, acc.FAIL)]
    assert off_shape(q, "batch-iou-slice", "mean_iou", scope="per-slice", slice="area").status == acc.NOT_EVALUATED
    assert off_shape(q, "record-f1-confidence", "box_f1", confidence=0.95).status == acc.NOT_EVALUATED
    assert results["record-schema"].status == acc.PASS  # an unclear box is a class like the others
    assert acc.format_value(results["rel-box-f1"].criterion.metric, 4 / 7) == "0.571"
    assert quality_context(g) == quality_context(g)


def test_gate_evaluates_box_criteria(tmp_path):
    code, data = gate(box_project(tmp_path))
    assert code == 0 and data["gate"] == "pass"
    criteria = {c["id"]: c for c in data["criteria"]}
    assert [(r["scope"], r["value"]) for r in criteria["rel-iou"]["rows"]] == [
        ("label first_label", round(9 / 11, 6)), ("label second_label", 0.5)]
    assert criteria["batch-f1-each"]["status"] == "fail"
    text = run_labelbook("gate", "mini", cwd=tmp_path)
    assert "(8 boxes in 11 rows, 5 images, 2 raters)" in text.stdout
    assert re.search(r"rel-box-f1 +release +box_f1 +>= 0\.500 +overall +0\.571 +PASS", text.stdout)
    # 4/7 = 0.571 < 0.6: the release criterion fails the gate.
    result = run_labelbook("gate", "mini", cwd=box_project(tmp_path / "failing", f1=0.6))
    assert result.returncode == 1
    assert "gate: FAIL (release-level criteria not met: rel-box-f1)" in result.stdout


# --- the pages -----------------------------------------------------------------------------------

def test_datasheet_pages_show_each_shapes_table(tmp_path):
    """One site with the three guidelines (preference, rating, boxes), each export holding
    one more row with a value outside the taxonomy written as markup."""
    projects = {
        "preference": preference_project(tmp_path / "preference", rows=[
            *PREFERENCES, ("p6", "a", "<b>C</b>", "A", "en", "train", "e6", "Bob & <i>co</i>")]),
        "rating": rating_project(tmp_path / "rating", rows=[
            *SCORES, ("r5", "a", "<b>tone</b>", "2", "en", "train", "e5", "x")]),
        "boxes": box_project(tmp_path / "boxes", rows=[*BOXES, ("i6", "a", "<b>bus</b>", 1, 1, 4, 4, "city", "train",
                                                               "d6")]),
    }
    specs = tmp_path / "specs"
    for name, root in projects.items():
        folder = specs / name
        shutil.copytree(root / "specs/mini", folder)
        for file, old, new in (("guideline.yaml", "id: mini\n", f"id: {name}\n"),
                               ("datasheet.yaml", "specs/mini/", f"specs/{name}/")):
            (folder / file).write_text((folder / file).read_text().replace(old, new))
    project = make_project(tmp_path / "project", specs)
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr

    page = (project / "site/preference/datasheet/index.html").read_text()
    assert 'id="preference-agreement"' in page and 'id="position-consistency"' in page
    # p6 has one rater: the figures stay those of p1-p4.
    assert table(without_intervals(page), "lb-preference-agreement") == [["Overall", "4", "12", "50.0%", "0.263",
                                                                       "0.444"]]
    assert_intervals_hold(page, "lb-preference-agreement", 3)
    assert 'id="preference-intervals"' in page
    assert table(page, "lb-position-consistency") == [["2", "1", "50.0%"]]
    assert "first_label &lt; second_label" in re.sub(r"<a [^>]+>|</a>", "", page)
    assert "<b>C</b>" not in page and "&lt;b&gt;C&lt;/b&gt; <em>(not in the taxonomy)</em>" in page
    distribution = table(page, "lb-distribution")
    assert distribution[0] == ["first_label", "3", "50.0%", "4"]  # items and judgments of the answer
    assert "11 judgments" not in page and "6 items, 12 judgments by 2 raters" in page

    page = (project / "site/rating/datasheet/index.html").read_text()
    assert 'id="rating-agreement"' in page
    # Gwet's AC2 (columns 5 and 7), by hand. clarity (r1 3 3, r2 2 3, r3 1 2, r4 1 1; scores 1-3):
    # ordinal weights 1, 2/3, 0 by rank distance: p_a = (1 + 2/3 + 2/3 + 1) / 4 = 5/6; shares
    # 3/8, 1/4, 3/8, sum pi (1 - pi) = 21/32; the weights sum to 17/3, p_e = 17/18 x 21/32 = 119/192;
    # AC2 = (5/6 - 119/192) / (73/192) = 41/73 = 0.562. Quadratic weights 1, 3/4, 0: p_a = 7/8, the
    # weights sum to 6, p_e = 21/32, AC2 = (7/8 - 21/32) / (11/32) = 7/11 = 0.636. accuracy (0 and 1):
    # both weights are the identity: p_a = 2/3 (r1, r2, r3), shares 3/8, 5/8 over r1-r4, p_e = 15/32,
    # AC2 = (2/3 - 15/32) / (17/32) = 19/51 = 0.373.
    assert table(without_intervals(page), "lb-rating-agreement") == [
        ["clarity", "4", "8", "50.0%", "0.708", "0.562", "0.708", "0.636", "0.500", "0.692"],
        ["accuracy", "3", "6", "66.7%", "0.444", "0.373", "0.444", "0.373", "0.400", "0.400"],
        ["&lt;b&gt;tone&lt;/b&gt; (not in the taxonomy)", "0", "0", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"]]
    assert_intervals_hold(page, "lb-rating-agreement", 7)
    assert 'id="rating-intervals"' in page
    assert "<th>Units</th>" in page
    assert "5 items scored on 3 criteria: 16 scores of 9 (item, criterion) units by 2 raters" in page
    assert "&lt;b&gt;tone&lt;/b&gt;=2" in page and "<b>tone</b>" not in page

    page = (project / "site/boxes/datasheet/index.html").read_text()
    assert 'id="box-agreement"' in page
    assert table(page, "lb-box-agreement") == [
        ["Overall", "0.571", "0.659", "9", "1"],
        ["first_label", "0.500", "0.818", "4", "1"],
        ["second_label", "1.000", "0.500", "3", "1"],
        ["not_enough_info", "0.000", "n/a", "1", "1"],
        ["&lt;b&gt;bus&lt;/b&gt; (not in the taxonomy)", "n/a", "n/a", "1", "0"]]
    assert "6 images, 9 boxes in 12 rows by 2 raters" in page
    assert table(page, "lb-distribution")[0] == ["first_label", "2", "33.3%", "4"]  # images and boxes

    acceptance = (project / "site/boxes/acceptance/index.html").read_text()
    row = re.search(r'<tr id="criterion-rel-box-f1">.*?</tr>', acceptance, re.S).group(0)
    assert "lb-badge--pass" in row and "overall: <strong>0.571</strong>" in row
    assert "9 boxes on 6 images" in acceptance
    assert "Release gate: fails" in acceptance  # the class outside the taxonomy is a hard gate
    acceptance = (project / "site/rating/acceptance/index.html").read_text()
    row = re.search(r'<tr id="criterion-batch-kappa-each">.*?</tr>', acceptance, re.S).group(0)
    assert "criterion clarity: <strong>0.692</strong>" in row and "criterion accuracy: <strong>0.400</strong>" in row
    acceptance = (project / "site/preference/acceptance/index.html").read_text()
    row = re.search(r'<tr id="criterion-rel-position">.*?</tr>', acceptance, re.S).group(0)
    assert "overall: <strong>50.00%</strong>" in row and "(n = 2)" in row


# --- checks and regressions -----------------------------------------------------------------------

class Recorder:
    def __init__(self):
        self.errors = []

    def error(self, name, path, code, message, hint, at_key=False):
        self.errors.append((path, code, message))


@pytest.mark.parametrize("metric, shape, extra, expected", [
    ("box_f1", "rating", {}, [(("criteria", 0, "metric"), "shape-mismatch", "criterion 'c' measures box_f1, which "
                               "applies to box guidelines; this one is rating")]),
    ("ordinal_alpha", "box", {}, [(("criteria", 0, "metric"), "shape-mismatch", "criterion 'c' measures ordinal_alpha, "
                                   "which applies to rating and preference guidelines; this one is box")]),
    ("ordinal_alpha", "rating", {"scope": "per-label"}, []),
    ("weighted_kappa_quadratic", "rating", {"labels": ["clarity_1"]}, []),
    ("ordinal_alpha", "preference", {"labels": ["first_label"]}, [
        (("criteria", 0, "labels"), "invalid-value", "criterion 'c' measures ordinal_alpha per label; ordinal alpha "
         "reads a rating scale or a preference strength scale, measured overall")]),
    ("mean_iou", "box", {"scope": "per-slice", "slice": "area"}, [
        (("criteria", 0, "scope"), "invalid-value", "criterion 'c' measures mean_iou per-slice; mean IoU compares "
         "raters' boxes, measured overall and per label")]),
    ("position_consistency", "preference", {"confidence": 0.95}, []),
    ("box_f1", "box", {"confidence": 0.95}, [
        (("criteria", 0, "confidence"), "invalid-value", "criterion 'c' gives box_f1 a confidence; a confidence bound "
         "is computed for rates and agreement coefficients only")]),
    ("ordinal_alpha", "rating", {"confidence": 0.95}, []),
    ("weighted_kappa_quadratic", "rating", {"confidence": 0.95}, []),
    ("ordinal_alpha", "preference", {"confidence": 0.95}, []),
])
def test_judgment_metric_shapes(metric, shape, extra, expected):
    from generator.shape_check_metrics import check_judgment_metrics

    files = Recorder()
    c = Criterion(id="c", level="release", description="x", metric=metric, comparator=">=", threshold=0.5, **extra)
    check_judgment_metrics(files, SimpleNamespace(criteria=[c]), shape)
    assert files.errors == expected


def test_judgment_metric_on_a_single_label_guideline(mini_specs, monkeypatch):
    folder = mini_specs / "specs/mini"
    write_csv(folder / "data/ratings.csv", ["item", "rater", "label"],
              [("i1", "a", "first_label"), ("i1", "b", "first_label")])
    datasheet = folder / "datasheet.yaml"
    datasheet.write_text(datasheet.read_text() + "data:\n  annotations: specs/mini/data/ratings.csv\n")
    g = load(mini_specs, monkeypatch)
    q = compute_quality(g, *load_data(g))
    assert q.judgments is None and q.boxes is None
    notes = {m: acc.evaluate_one(Criterion(id="x", level="release", description="x", metric=m, comparator=">=",
                                           threshold=0.5), q).rows[0].note
             for m in ("position_consistency", "ordinal_alpha", "weighted_kappa_quadratic", "box_f1", "mean_iou")}
    assert notes == {
        "position_consistency": "position consistency is measured for preference guidelines; this one is single-label",
        "ordinal_alpha": "ordinal alpha is measured for rating and preference guidelines; this one is single-label "
                         "(krippendorff_alpha with level: ordinal in datasheet.yaml)",
        "weighted_kappa_quadratic": "weighted kappa is measured for rating guidelines; this one is single-label",
        "box_f1": "box F1 and mean IoU is measured for box guidelines; this one is single-label",
        "mean_iou": "box F1 and mean IoU is measured for box guidelines; this one is single-label",
    }


def test_values_sorted_like_their_labels_still_become_ids(tmp_path, monkeypatch):
    # Span values whose sorted order is the taxonomy's (AAA, BBB, CCC for first_label,
    # second_label, not_enough_info) were left as values: every label looked outside it.
    root = shape_project(tmp_path, "spans")
    folder = root / "specs/mini"
    taxonomy = folder / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("value: PER", "value: AAA").replace("value: LOC", "value: BBB")
                        .replace("value: UNK", "value: CCC"))
    write_csv(folder / "data/spans.csv", ["item", "rater", "start", "end", "label"],
              [("d1", "a", 0, 3, "AAA"), ("d1", "b", 0, 3, "AAA"), ("d2", "a", 0, 3, "BBB"), ("d2", "b", 0, 3, "CCC")])
    datasheet = folder / "datasheet.yaml"
    datasheet.write_text(datasheet.read_text() + "data:\n  annotations: specs/mini/data/spans.csv\n")
    g = load(root, monkeypatch)
    q = compute_quality(g, *load_data(g))
    assert {c.id: c.ok for c in q.checks}["taxonomy-labels"] is True
    assert q.spans["spans_per_label"] == {"first_label": 2, "second_label": 1, "not_enough_info": 1}

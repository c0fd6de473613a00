"""Span and token-tagging guidelines on the datasheet and at the gate: span F1 from the
export named in datasheet.yaml, the item-level view of spans (distribution, coverage,
readiness, defects), the span_f1_exact / span_f1_overlap criteria, and the page."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from conftest import build_project, make_project, run_labelbook
from generator.load import load_guidelines
from generator.metrics import acceptance as acc
from generator.metrics.quality import compute_quality, load_data
from generator.metrics.span_items import EMPTY
from generator.metrics.view import quality_context
from generator.spec.acceptance import Criterion
from test_shapes import shape_project

T1 = "Ada Lovelace met Charles Babbage in London."  # PER 0-12, PER 17-32 (Charles Babbage), LOC 36-42
T2 = "Paris Hilton visited Paris."  # PER 0-12 (Paris Hilton), LOC 0-5 (Paris), LOC 21-26 (Paris)
COLUMNS = ["item", "rater", "start", "end", "label", "text", "language", "split", "entity"]
# The fixture's label values: PER, LOC and UNK for first_label, second_label and not_enough_info.
SPANS = [
    ("d1", "a", 0, 12, "PER", T1, "en", "train", "e1"),
    ("d1", "a", 17, 32, "PER", T1, "en", "train", "e1"),
    ("d1", "a", 36, 42, "LOC", T1, "en", "train", "e1"),
    ("d1", "b", 0, 12, "PER", T1, "en", "train", "e1"),
    ("d1", "b", 17, 24, "PER", T1, "en", "train", "e1"),  # "Charles" only: an overlap, not an exact match
    ("d1", "b", 36, 42, "LOC", T1, "en", "train", "e1"),
    ("d2", "a", 0, 12, "PER", T2, "fr", "train", "e2"),
    ("d2", "a", 21, 26, "LOC", T2, "fr", "train", "e2"),
    ("d2", "b", 0, 5, "LOC", T2, "fr", "train", "e2"),  # b reads the first Paris as a place
    ("d2", "b", 21, 26, "LOC", T2, "fr", "", "e2"),  # split left empty on one of b's rows
    ("d3", "a", "", "", "", "No names here.", "en", "test", "e3"),  # both saw d3 and marked nothing
    ("d3", "b", "", "", "", "No names here.", "en", "test", "e3"),
    ("d4", "a", 0, 7, "UNK", "garbled text", "en", "test", "e4"),
    ("d4", "b", "", "", "", "garbled text", "en", "test", "e4"),  # b marked nothing on d4
    ("d5", "a", 0, 3, "PER", "Ada wrote.", "fr", "dev", "e1"),  # only a saw d5; entity e1 is also in train
]
AUDIT = "item,error_category,severity\nd1,,\nd2,wrong-label,major\nd3,,\nd4,,\n"
COVERAGE = """coverage:
  - {label: first_label, slice: language=en, target: 2}
  - {label: second_label, slice: language=fr, target: 1}
"""
DATA = """data:
  annotations: specs/mini/data/spans.csv
  audit: specs/mini/data/audit.csv
  slices: [language]
  required: [split]
"""
CRITERIA = """# yaml-language-server: $schema=../../schemas/acceptance.schema.json
set_before_results: true
criteria:
  - id: rel-span-exact
    level: release
    description: "Exact span F1 over all labels"
    metric: span_f1_exact
    comparator: ">="
    threshold: {exact}
    on_fail: {{action: rework}}
  - id: rel-span-overlap
    level: release
    description: "Overlap span F1 of persons and places"
    metric: span_f1_overlap
    comparator: ">="
    threshold: 0.8
    scope: per-label
    labels: [first_label, second_label]
    on_fail: {{action: rework}}
  - id: batch-span-exact
    level: batch
    description: "Exact span F1 of every label"
    metric: span_f1_exact
    comparator: ">="
    threshold: 0.5
    scope: per-label
    on_fail: {{action: rework}}
  - id: batch-token-alpha
    level: batch
    description: "Token alpha over BIO tags, overall and of persons"
    metric: krippendorff_alpha
    comparator: ">="
    threshold: 0.6
    labels: [first_label]
    on_fail: {{action: recalibrate}}
  - id: record-span-confidence
    level: record
    description: "F1 has no confidence bound"
    metric: span_f1_overlap
    comparator: ">="
    threshold: 0.5
    confidence: 0.95
    on_fail: {{action: rework}}
  - id: record-schema
    level: record
    description: "Every annotation complete"
    metric: schema_valid_rate
    comparator: ">="
    threshold: 1.0
    on_fail: {{action: rework}}
sign_off:
  lead: {{name: "lead", role: Labeling lead}}
  model_stakeholder: {{name: "model stakeholder", role: ML lead}}
"""


def write_csv(path: Path, header: list[str], rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def span_project(root: Path, rows=SPANS, exact: float = 0.5) -> Path:
    """The spans shape of the mini guideline with a data: section, coverage targets and
    span criteria."""
    shape_project(root, "spans")
    folder = root / "specs/mini"
    write_csv(folder / "data/spans.csv", COLUMNS, rows)
    (folder / "data/audit.csv").write_text(AUDIT)
    datasheet = folder / "datasheet.yaml"
    datasheet.write_text(datasheet.read_text() + DATA)
    sampling = folder / "sampling.yaml"
    sampling.write_text(sampling.read_text().replace("coverage: []\n", COVERAGE))
    (folder / "acceptance.yaml").write_text(CRITERIA.format(exact=exact))
    return root


def load(root: Path, monkeypatch):
    monkeypatch.chdir(root)
    result = load_guidelines([Path("specs")])
    assert result.ok, [str(d) for d in result.report.sorted()]
    return result.guidelines[0]


def test_span_figures_by_hand(tmp_path, monkeypatch):
    g = load(span_project(tmp_path), monkeypatch)
    assert g.shape == "span"
    ratings, audit = load_data(g)
    q = compute_quality(g, ratings, audit)
    s = q.spans
    # One rater pair (a, b); their common items are d1-d4 (d5 only a saw).
    # a's spans there: d1 3 + d2 2 + d4 1 = 6; b's: d1 3 + d2 2 = 5.
    # Exact matches: d1 PER 0-12, d1 LOC 36-42, d2 LOC 21-26 = 3  -> F1 = 2*3/(6+5) = 6/11.
    # Overlap adds d1 PER 17-32 ~ 17-24 = 4 (d2: a's PER 0-12 has no PER partner;
    # b's LOC 0-5 meets no LOC of a)              -> F1 = 2*4/(6+5) = 8/11.
    assert s["span_f1"]["exact"]["overall"] == pytest.approx(6 / 11, abs=1e-6)
    assert s["span_f1"]["overlap"]["overall"] == pytest.approx(8 / 11, abs=1e-6)
    assert q.span_report.exact == pytest.approx(6 / 11)
    # Per label, keyed by label id, in taxonomy order:
    # PER: a 3 (d1 2, d2 1), b 2; exact 1, overlap 2 -> 2*1/5 = 0.4, 2*2/5 = 0.8.
    # LOC: a 2, b 3; exact 2, overlap 2                -> 2*2/5 = 0.8 both.
    # UNK: a 1, b 0; no match                          -> 0.
    assert s["span_f1"]["exact"]["per_label"] == {"first_label": 0.4, "second_label": 0.8, "not_enough_info": 0.0}
    assert s["span_f1"]["overlap"]["per_label"] == {"first_label": 0.8, "second_label": 0.8, "not_enough_info": 0.0}
    # Every span of the export: PER a 4 (with d5) + b 2 = 6, LOC 2 + 3 = 5, UNK 1: 12 in 15 rows.
    assert s["spans"] == 12 and s["rows"] == 15
    assert s["spans_per_label"] == {"first_label": 6, "second_label": 5, "not_enough_info": 1}
    assert s["rater_pairs"] == 1 and s["rater_pairs_per_label"] == {"first_label": 1, "second_label": 1,
                                                                    "not_enough_info": 1}
    # Token BIO over the 8 + 5 + 4 + 2 = 19 tokens of d1-d4; a and b differ on Babbage
    # (I-PER / O), Paris and Hilton of d2 (B-PER / B-LOC, I-PER / O) and garbled (B-UNK / O): 15 of 19.
    # a's tags: O 10, B-PER 3, I-PER 3, B-LOC 2, B-UNK 1; b's: O 13, B-PER 2, I-PER 1, B-LOC 3.
    # Chance: (10*13 + 3*2 + 3*1 + 2*3) / 19^2 = 145/361; kappa = (285 - 145) / (361 - 145) = 140/216.
    bio = s["token_bio"]
    assert bio["tokens"] == 19 and bio["percent_agreement"] == pytest.approx(15 / 19, abs=1e-6)
    assert bio["cohen_kappa"] == pytest.approx(140 / 216, abs=1e-6)
    # The agreement coefficients of a span guideline are these token figures ...
    a = q.agreement
    assert a.overall.items == 19 and a.overall.cohen_kappa == pytest.approx(140 / 216)
    # ... per label a token inside a span of the label against the rest. PER: a has 6 such
    # tokens (Ada Lovelace, Charles Babbage, Paris Hilton), b 3 (Ada Lovelace, Charles):
    # 16 of 19 agree; chance (6*3 + 13*16)/361 = 226/361, kappa (304 - 226)/(361 - 226) = 78/135;
    # alpha: 38 values, 9 inside, 6 disagreeing: 1 - 37 * 6 / (38^2 - 9^2 - 29^2) = 300/522.
    per = a.per_label["first_label"]
    assert per.percent_agreement == pytest.approx(16 / 19) and per.cohen_kappa == pytest.approx(78 / 135)
    assert per.krippendorff_alpha == pytest.approx(300 / 522)
    assert list(a.per_label) == ["first_label", "second_label", "not_enough_info"]
    # Per slice: the tokens of d1, d3, d4 (en: 8 + 4 + 2) and d2 (fr: 5; d5 has one rater).
    assert {v: c.items for v, c in a.per_slice["language"].items()} == {"en": 14, "fr": 5}
    assert a.confusion_labels == ["O", "B-first_label", "I-first_label", "B-second_label", "B-not_enough_info"]
    assert [d["item"] for d in a.disputed] == ["d2", "d4"]
    assert a.disputed[1]["labels"] == {EMPTY: 1, "not_enough_info": 1}

    # The item-level view: one rating per (item, rater), the set of labels found on the item.
    assert q.items == 5 and q.ratings == 9 and q.raters == 2
    by_pair = {(str(ratings.items[i]), str(ratings.raters[r])): ratings.sets[c]
               for i, r, c in zip(ratings.item, ratings.rater, ratings.label)}
    assert by_pair[("d2", "a")] == {"first_label", "second_label"} and by_pair[("d2", "b")] == {"second_label"}
    assert by_pair[("d3", "a")] == frozenset() and by_pair[("d4", "b")] == frozenset()
    assert EMPTY in ratings.categories
    # An item contains a label when at least half of its raters found it: d1 {PER, LOC},
    # d2 {PER (1 of 2), LOC}, d3 {}, d4 {UNK (1 of 2)}, d5 {PER}.
    assert q.distribution == {"first_label": 3, "second_label": 2, "not_enough_info": 1}
    assert q.slice_distribution["language"] == {"en": {"first_label": 1, "second_label": 1, "not_enough_info": 1},
                                                "fr": {"first_label": 2, "second_label": 1, "not_enough_info": 0}}
    # Coverage: PER in en is d1 only (1 of 2); LOC in fr is d2 (1 of 1).
    assert [(c.label, c.slice, c.current, c.gap) for c in q.coverage] == [
        ("first_label", "language=en", 1, 1), ("second_label", "language=fr", 1, 0)]
    assert q.unused_labels == []
    checks = {c.id: c for c in q.checks}
    # "Marked nothing" is neither a missing label nor a label outside the taxonomy.
    assert checks["taxonomy-labels"].ok is True
    assert checks["required-fields"].ok is False
    assert checks["required-fields"].detail.startswith("1 of 9 ratings miss a required field")
    # Entity e1 is in train (d1) and dev (d5).
    assert checks["split-leakage"].ok is False and checks["split-leakage"].findings == ["entity 'e1' is in dev, train"]
    assert q.units["unknown_label_rate"][1].sum() == 1  # d4
    assert q.defects["by_severity"]["major"].k == 1 and q.defects["audited"] == 4
    assert q.defects["not_in_export"] == 0
    assert "span F1" in q.notes["gold_accuracy"]

    results = {r.criterion.id: r for r in acc.evaluate(g.acceptance.criteria, q)}
    assert results["rel-span-exact"].status == acc.PASS  # 6/11 = 0.545 >= 0.5
    assert [(row.scope, row.status) for row in results["batch-span-exact"].rows] == [
        ("label first_label", acc.FAIL), ("label second_label", acc.PASS), ("label not_enough_info", acc.FAIL)]
    assert results["rel-span-exact"].rows[0].n == 12
    assert results["record-span-confidence"].status == acc.NOT_EVALUATED
    assert results["batch-token-alpha"].status == acc.FAIL  # 300/522 = 0.575 < 0.6
    assert acc.format_value(results["rel-span-exact"].criterion.metric, 6 / 11) == "0.545"
    # Deterministic: the same figures and plots twice.
    assert quality_context(g) == quality_context(g)


def test_gate_evaluates_span_criteria(tmp_path):
    root = span_project(tmp_path)
    result = run_labelbook("gate", "mini", "--format", "json", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["gate"] == "pass"
    criteria = {c["id"]: c for c in data["criteria"]}
    assert criteria["rel-span-exact"]["status"] == "pass"
    assert criteria["rel-span-exact"]["rows"][0]["value"] == pytest.approx(6 / 11, abs=1e-6)
    # Overlap per label: PER 2*2/(3+2) = 0.8 and LOC 2*2/(2+3) = 0.8 reach >= 0.8.
    assert [(r["scope"], r["value"], r["status"]) for r in criteria["rel-span-overlap"]["rows"]] == [
        ("label first_label", 0.8, "pass"), ("label second_label", 0.8, "pass")]
    # Exact per label against 0.5: PER 0.4 fails, LOC 0.8 passes, UNK 0 fails (batch: no block).
    assert criteria["batch-span-exact"]["status"] == "fail"
    assert criteria["record-span-confidence"]["status"] == "not evaluated"
    assert criteria["record-schema"]["status"] == "fail"  # 8 of 9 annotations complete
    text = run_labelbook("gate", "mini", cwd=root)
    assert text.returncode == 0
    assert "(12 spans in 15 rows, 5 items, 2 raters)" in text.stdout
    assert re.search(r"rel-span-exact +release +span_f1_exact +>= 0\.500 +overall +0\.545 +PASS", text.stdout)


def test_gate_fails_on_a_release_span_criterion(tmp_path):
    root = span_project(tmp_path, exact=0.6)  # 6/11 = 0.545 < 0.6
    result = run_labelbook("gate", "mini", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "gate: FAIL (release-level criteria not met: rel-span-exact)" in result.stdout


def test_datasheet_page_shows_span_agreement(tmp_path):
    # One more item, seen by a only, with a label outside the taxonomy written as markup; a
    # third rater c saw d3 and marked nothing, like a and b: the pairs (a, c) and (b, c) have
    # no span in common, no F1, and the figures stay those of (a, b).
    rows = [*SPANS, ("d6", "a", 0, 3, "<i>X</i>", "Bob & <b>co</b>", "en", "train", "e6"),
            ("d3", "c", "", "", "", "No names here.", "en", "test", "e3")]
    root = span_project(tmp_path / "spans", rows=rows)
    project = make_project(tmp_path / "project", root / "specs")
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (project / "site/mini/datasheet/index.html").read_text()
    table = re.search(r'<table class="lb-table lb-span-agreement">.*?</table>', page, re.S).group(0)
    body = table[table.index("<tbody>"):].replace("</td><td>", "|")
    cells = [re.sub(r"<[^>]+>", "", row).split("|") for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    assert cells == [
        ["Overall", "0.545", "0.727", "13", "1"],
        ["first_label", "0.400", "0.800", "6", "1"],
        ["second_label", "0.800", "0.800", "5", "1"],
        ["not_enough_info", "0.000", "0.000", "1", "1"],
        ["&lt;i&gt;X&lt;/i&gt; (not in the taxonomy)", "n/a", "n/a", "1", "0"],
    ]
    assert 'id="span-agreement"' in page and 'id="token-bio"' in page
    assert "over the items both annotated (4 items annotated by two or more raters)" in page
    assert "the 19 tokens of the 4 items with text annotated by two or more raters" in page
    assert "<i>X</i>" not in page and "&lt;i&gt;X&lt;/i&gt;" in page
    bio = re.search(r'<table class="lb-table lb-agreement">.*?</table>', page, re.S).group(0)
    assert "<th>Tokens</th>" in bio
    # Under each figure its bootstrap interval (the items resampled, each with all its tokens).
    assert re.search(r"<td><strong>Overall</strong></td><td>19</td><td>78\.9%<br><span class=\"lb-muted lb-interval\">"
                     r"[0-9.]+% to [0-9.]+%</span></td><td>n/a</td>", bio)  # Cohen: 2 raters only
    assert "resamples of the items, each with all its tokens, drawn with replacement" in page
    assert "raters a and c marked no span on their 1 common item: their F1 is not defined." in page
    pairs = re.search(r'<table class="lb-table lb-span-pairs">.*?</table>', page, re.S).group(0)
    assert "<tr><td>a / b</td><td>4</td><td>6 / 5</td><td>0.545</td><td>0.727</td></tr>" in pairs
    assert "<tr><td>b / c</td><td>1</td><td>0 / 0</td><td>n/a</td><td>n/a</td></tr>" in pairs
    distribution = re.search(r'<table class="lb-table lb-distribution">.*?</table>', page, re.S).group(0)
    assert "<th>Spans</th>" in distribution
    assert '<a href="../labels/first_label/">first_label</a></td><td>3</td><td>' in distribution
    assert "13 spans in 17 rows by 3 raters (11 annotations of an item by a rater)" in page
    acceptance = (project / "site/mini/acceptance/index.html").read_text()
    row = re.search(r'<tr id="criterion-rel-span-exact">.*?</tr>', acceptance, re.S).group(0)
    assert "lb-badge--pass" in row and "overall: <strong>0.545</strong>" in row
    # The label outside the taxonomy is a hard gate: the page says so, the build still works.
    assert "Release gate: fails" in acceptance


def test_span_metric_on_another_shape_is_not_evaluated(mini_specs, monkeypatch):
    folder = mini_specs / "specs/mini"
    write_csv(folder / "data/ratings.csv", ["item", "rater", "label"],
              [("i1", "a", "first_label"), ("i1", "b", "first_label"), ("i2", "a", "second_label"),
               ("i2", "b", "first_label")])
    datasheet = folder / "datasheet.yaml"
    datasheet.write_text(datasheet.read_text() + "data:\n  annotations: specs/mini/data/ratings.csv\n")
    g = load(mini_specs, monkeypatch)
    q = compute_quality(g, *load_data(g))
    assert q.spans is None
    criterion = Criterion(id="span", level="release", description="x", metric="span_f1_exact", comparator=">=",
                          threshold=0.5)
    result = acc.evaluate_one(criterion, q)
    assert result.status == acc.NOT_EVALUATED and result.blocks_release
    assert result.rows[0].note == "span F1 is measured for span guidelines; this one is single-label"


def test_check_refuses_span_f1_off_its_shape(tmp_path, monkeypatch, mini_specs):
    from test_shapes import check, edit, shape_project

    criterion = ("  - id: span-agreement\n    level: release\n    description: Spans agree\n"
                 "    metric: span_f1_exact\n    comparator: \">=\"\n    threshold: 0.8\n"
                 "    on_fail: {action: rework}\n")
    acceptance = mini_specs / "specs/mini/acceptance.yaml"
    acceptance.write_text(acceptance.read_text().replace("criteria:\n", "criteria:\n" + criterion, 1))
    got = check(mini_specs, monkeypatch, strict=False)
    line = acceptance.read_text().splitlines().index("    metric: span_f1_exact") + 1
    assert got == [f"specs/mini/acceptance.yaml:{line}:13: error[shape-mismatch]: criterion 'span-agreement' "
                   "measures span_f1_exact, which applies to span guidelines; this one is single-label"]
    spans = shape_project(tmp_path / "spans", "spans")
    edit(spans, "acceptance.yaml", "criteria:\n", "criteria:\n" + criterion.replace(
        "    on_fail", "    scope: per-slice\n    slice: language\n    on_fail"))
    got = check(spans, monkeypatch, strict=False)
    assert [g.split(": ", 1)[1] for g in got if "span-agreement" in g] == [
        "error[invalid-value]: criterion 'span-agreement' measures span_f1_exact per slice; span F1 is measured "
        "overall and per label"]


def test_a_span_guideline_needs_a_span_export(tmp_path, monkeypatch):
    root = span_project(tmp_path)
    write_csv(root / "specs/mini/data/spans.csv", ["item", "rater", "label"], [("d1", "a", "PER")])
    g = load(root, monkeypatch)
    result = run_labelbook("gate", "mini", cwd=root)
    assert result.returncode == 1
    assert result.stderr.startswith("error: specs/mini/data/spans.csv: missing column 'start'")
    assert "a span export has the columns item, rater, start, end, label" in result.stderr
    assert g.shape == "span"


TOKENS = "We met before the talk ."  # tokens 1-6 of each document


def test_token_export_with_values_and_a_token_column(tmp_path, monkeypatch):
    root = shape_project(tmp_path, "tokens")
    folder = root / "specs/mini"
    # Label values: ADP, ADV, X for first_label, second_label, not_enough_info.
    tags = {"We": "X", "met": "ADV", "before": "ADP", "the": "X", "talk": "X", ".": "X"}
    rows = []
    for doc, split in (("s1", "train"), ("s2", "train"), ("s3", "test")):
        text = TOKENS if doc != "s2" else "It ran before ."
        for t, word in enumerate(text.split(), start=1):
            for rater in ("a", "b"):
                tag = tags.get(word, "ADV")
                if doc == "s1" and word == "before" and rater == "b":
                    tag = "ADV"  # one disagreement
                rows.append((f"{doc}:{t}", rater, tag, word, text, split, "en"))
    write_csv(folder / "data/tokens.csv", ["item", "rater", "label", "token", "text", "split", "language"], rows)
    datasheet = folder / "datasheet.yaml"
    datasheet.write_text(datasheet.read_text() + "data:\n  annotations: specs/mini/data/tokens.csv\n"
                         "  slices: [language]\n  required: [token]\n")
    g = load(root, monkeypatch)
    assert g.shape == "token-tagging"
    q = compute_quality(g, *load_data(g))
    assert q.spans is None and q.items == 6 + 4 + 6 and q.ratings == 32
    checks = {c.id: c for c in q.checks}
    assert checks["taxonomy-labels"].ok is True and checks["required-fields"].ok is True
    assert set(q.agreement.per_label) == {"first_label", "second_label", "not_enough_info"}
    # Each token is one item; its label is its raters' majority, a tie (s1:3 before, ADP / ADV)
    # broken by the taxonomy's priority (here its order: first_label first).
    # ADP: before in s1, s2, s3 = 3; ADV: met in s1 and s3, It and ran in s2 = 4; X: the rest, 9.
    assert q.distribution == {"first_label": 3, "second_label": 4, "not_enough_info": 9}
    # The tokens of one document share its text and are not duplicates of one another; the
    # tokens of s3 repeat s1's text, in another split.
    _, hits = q.units["duplicate_rate"]
    assert int(hits.sum()) == 6
    assert checks["split-leakage"].ok is False
    assert "1 text in more than one split, 0 duplicated within a split" in checks["split-leakage"].detail
    (folder / "acceptance.yaml").write_text((folder / "acceptance.yaml").read_text().replace(
        "    metric: critical_defect_rate\n    comparator: \"<=\"\n    threshold: 0.005\n    confidence: 0.95\n",
        "    metric: schema_valid_rate\n    comparator: \">=\"\n    threshold: 1.0\n"))
    result = run_labelbook("gate", "mini", "--format", "json", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert {c["id"]: c["ok"] for c in data["checks"]}["taxonomy-labels"] is True
    agreement = next(c for c in data["criteria"] if c["id"] == "agreement")
    assert agreement["rows"][0]["scope"] == "overall" and agreement["rows"][0]["value"] is not None


def test_span_export_without_text(tmp_path, monkeypatch):
    columns = [c for c in COLUMNS if c != "text"]
    rows = [tuple(v for c, v in zip(COLUMNS, row) if c != "text") for row in SPANS]
    root = span_project(tmp_path)
    write_csv(root / "specs/mini/data/spans.csv", columns, rows)
    g = load(root, monkeypatch)
    q = compute_quality(g, *load_data(g))
    # Span F1 needs no text: the same 6/11; tokens do.
    assert q.spans["span_f1"]["exact"]["overall"] == pytest.approx(6 / 11, abs=1e-6)
    assert "token_bio" not in q.spans
    assert q.agreement.overall.krippendorff_alpha is None
    assert q.agreement.overall.notes == [("not computable: token-level agreement needs the items' text (a text "
                                          "column in the span export)")]
    results = {r.criterion.id: r for r in acc.evaluate(g.acceptance.criteria, q)}
    assert results["batch-token-alpha"].status == acc.NOT_EVALUATED
    assert "needs the items' text" in results["batch-token-alpha"].rows[0].note
    assert q.notes["duplicate_rate"] == "no text column in the export"
    view = quality_context(g)
    assert view["spans"]["bio"] is None and view["per_label"] == [] and view["confusion"]["labels"] == []

"""Span agreement (span F1, token BIO kappa) and token-tagging exports, against figures
computed by hand; `labelbook agreement` on span and token exports; bad span data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import run_labelbook
from generator.metrics.spans import bio_tags, max_matching, read_spans, span_report, tokenize

D1 = "Alice met Bob in Paris today"  # Alice 0-5, met 6-9, Bob 10-13, in 14-16, Paris 17-22, today 23-28
D2 = "New York is big"  # New 0-3, York 4-8, is 9-11, big 12-15
D3 = "Nothing here"  # Nothing 0-7, here 8-12
TEXT = {"d1": D1, "d2": D2, "d3": D3}

# ann marks 5 spans, bob 4; bob saw d3 and marked nothing there (the row with empty start, end, label).
ANN = [("d1", 0, 5, "PER"), ("d1", 10, 13, "PER"), ("d1", 17, 22, "LOC"), ("d2", 0, 8, "LOC"), ("d3", 0, 7, "ORG")]
BOB = [("d1", 0, 5, "PER"),     # exact match
       ("d1", 10, 16, "PER"),   # "Bob in": overlaps ann's "Bob", same label
       ("d1", 17, 22, "ORG"),   # same range as ann's LOC, other label: no match at all
       ("d2", 0, 8, "LOC"),     # exact match
       ("d3", None, None, None)]  # saw d3, marked nothing: ann's ORG on d3 is a span bob missed


def write_spans(path: Path, raters: dict[str, list], text: bool = True) -> Path:
    lines = ["item,rater,start,end,label" + (",text" if text else "")]
    for rater, spans in raters.items():
        for item, start, end, label in spans:
            cells = [item, rater, "" if start is None else str(start), "" if end is None else str(end), label or ""]
            lines.append(",".join(cells + ([TEXT[item]] if text else [])))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def report_of(tmp_path: Path, raters: dict[str, list], text: bool = True):
    path = write_spans(tmp_path / "spans.csv", raters, text)
    return span_report(read_spans(path, "spans.csv"))


def test_two_raters_exact_and_overlap_f1(tmp_path):
    r = report_of(tmp_path, {"ann": ANN, "bob": BOB})
    assert (r.raters, r.items, r.spans) == (2, 3, 9)
    # exact: PER 0-5 and LOC 0-8 match: 2 matches, 5 + 4 spans -> 2*2/9 = 0.4444
    assert r.exact == pytest.approx(4 / 9)
    # overlap: PER 0-5, PER 10-13 ~ 10-16, LOC 0-8: 3 matches -> 2*3/9 = 0.6667
    # (LOC 17-22 vs ORG 17-22 differ in label; ann's ORG on d3 was missed by bob)
    assert r.overlap == pytest.approx(6 / 9)


def test_per_label_f1(tmp_path):
    r = report_of(tmp_path, {"ann": ANN, "bob": BOB})
    # PER: ann 2, bob 2; exact 1 (0-5) -> 2*1/4 = 0.5; overlap 2 -> 2*2/4 = 1.0
    # LOC: ann 2 (17-22, d2 0-8), bob 1 (d2 0-8); exact 1 -> 2*1/3; overlap 1 -> 2/3
    # ORG: ann 1 (d3), bob 1 (d1 17-22); no match -> 0
    assert r.exact_per_label == pytest.approx({"LOC": 2 / 3, "ORG": 0.0, "PER": 0.5})
    assert r.overlap_per_label == pytest.approx({"LOC": 2 / 3, "ORG": 0.0, "PER": 1.0})


def test_a_rater_who_marked_nothing_on_an_item_misses_its_spans(tmp_path):
    # Without bob's empty row for d3, d3 is not an item bob annotated: ann's ORG there is
    # not compared, 4 + 4 spans on d1, d2 -> exact 2*2/8 = 0.5, overlap 2*3/8 = 0.75.
    r = report_of(tmp_path, {"ann": ANN, "bob": BOB[:4]})
    assert (r.items, r.exact, r.overlap) == (2, pytest.approx(0.5), pytest.approx(0.75))
    # With it, d3 counts and ann's ORG is a span bob missed: 2*2/9 and 2*3/9 (first test).
    r = report_of(tmp_path, {"ann": ANN, "bob": BOB})
    assert (r.items, r.exact, r.overlap) == (3, pytest.approx(4 / 9), pytest.approx(6 / 9))


def test_three_raters_average_over_the_three_pairs(tmp_path):
    cy = [("d1", 0, 5, "PER"), ("d1", 10, 13, "PER"), ("d2", 0, 3, "LOC"), ("d3", None, None, None)]
    r = report_of(tmp_path, {"ann": ANN, "bob": BOB, "cy": cy})
    assert [p.raters for p in r.pairs] == [("ann", "bob"), ("ann", "cy"), ("bob", "cy")]
    # ann/bob: exact 2/9 spans -> 4/9, overlap 3 -> 6/9 (as above)
    # ann/cy (5 + 3 spans): exact PER 0-5, PER 10-13 -> 2*2/8 = 0.5; overlap + LOC 0-8 ~ 0-3 -> 2*3/8 = 0.75
    # bob/cy (4 + 3 spans): exact PER 0-5 -> 2*1/7; overlap PER 0-5, 10-16 ~ 10-13, LOC 0-8 ~ 0-3 -> 2*3/7
    pairs = [(p.exact, p.overlap, p.spans) for p in r.pairs]
    assert pairs == [(2, 3, (5, 4)), (2, 3, (5, 3)), (1, 3, (4, 3))]
    assert r.exact == pytest.approx((4 / 9 + 0.5 + 2 / 7) / 3)
    assert r.overlap == pytest.approx((6 / 9 + 0.75 + 6 / 7) / 3)
    # per label ORG: only ann/bob used it (0); ann/cy: ann 1, cy 0 -> 0; bob/cy: bob 1, cy 0 -> 0
    # per label PER: ann/bob 0.5, ann/cy 2*2/4 = 1, bob/cy 2*1/4 = 0.5 (exact)
    assert r.exact_per_label["PER"] == pytest.approx((0.5 + 1 + 0.5) / 3)
    assert r.exact_per_label["ORG"] == 0.0


def test_overlap_matching_is_one_to_one(tmp_path):
    # ann: "New York" (0-8); bob: "New" (0-3) and "York" (4-8). Both of bob's spans overlap
    # ann's, which can match only one: overlap 1 match, 1 + 2 spans -> 2*1/3; exact 0.
    r = report_of(tmp_path, {"ann": [("d2", 0, 8, "LOC")], "bob": [("d2", 0, 3, "LOC"), ("d2", 4, 8, "LOC")]})
    assert r.pairs[0].overlap == 1
    assert r.overlap == pytest.approx(2 / 3) and r.exact == 0.0


def test_overlap_matching_is_a_maximum_matching_not_greedy(tmp_path):
    # ann A1 0-10 and A2 2-4 (nested), bob B1 0-12 and B2 9-20. Greedy by largest overlap pairs
    # A1 with B1 (10 characters) and leaves A2 (overlaps only B1) and B2 single: 1 match.
    # The maximum matching pairs A1-B2 and A2-B1: 2 matches -> 2*2/4 = 1.0.
    r = report_of(tmp_path, {"ann": [("long", 0, 10, "X"), ("long", 2, 4, "X")],
                             "bob": [("long", 0, 12, "X"), ("long", 9, 20, "X")]}, text=False)
    assert r.pairs[0].overlap == 2 and r.overlap == pytest.approx(1.0)


def test_max_matching_equals_scipy():
    csgraph = pytest.importorskip("scipy.sparse.csgraph")
    sparse = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(7)
    for _ in range(200):
        n_left, n_right = rng.integers(1, 9, size=2)
        edges = {(int(a), int(b)) for a, b in zip(rng.integers(0, n_left, 12), rng.integers(0, n_right, 12))
                 if rng.random() < 0.6}
        left = np.array([e[0] for e in sorted(edges)], dtype=np.int64)
        right = np.array([e[1] for e in sorted(edges)], dtype=np.int64)
        graph = sparse.csr_matrix((np.ones(len(left)), (left, right)), shape=(n_left, n_right))
        expected = int((csgraph.maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())
        assert max_matching(left, right) == expected


def test_tokenizer_and_bio_tags(tmp_path):
    assert tokenize("Bob's car, 2x.") == [(0, 3), (3, 4), (4, 5), (6, 9), (9, 10), (11, 13), (13, 14)]
    spans = read_spans(write_spans(tmp_path / "spans.csv", {"ann": ANN, "bob": BOB}), "spans.csv")
    tok_item, tags, names, _ = bio_tags(spans)
    sequences = {rater: [names[t] for t in tags[:, k]] for k, rater in enumerate(spans.raters)}
    # d1: Alice met Bob in Paris today | d2: New York is big | d3: Nothing here
    assert sequences["ann"] == ["B-PER", "O", "B-PER", "O", "B-LOC", "O",
                                "B-LOC", "I-LOC", "O", "O", "B-ORG", "O"]
    assert sequences["bob"] == ["B-PER", "O", "B-PER", "I-PER", "B-ORG", "O",
                                "B-LOC", "I-LOC", "O", "O", "O", "O"]


def test_token_bio_kappa_by_hand_and_against_scikit_learn(tmp_path):
    metrics = pytest.importorskip("sklearn.metrics")
    r = report_of(tmp_path, {"ann": ANN, "bob": BOB})
    ann = ["B-PER", "O", "B-PER", "O", "B-LOC", "O", "B-LOC", "I-LOC", "O", "O", "B-ORG", "O"]
    bob = ["B-PER", "O", "B-PER", "I-PER", "B-ORG", "O", "B-LOC", "I-LOC", "O", "O", "O", "O"]
    # 12 tokens, 9 agree ("in", "Paris", "Nothing" differ): po = 9/12 = 0.75.
    # ann: B-PER 2, B-LOC 2, I-LOC 1, B-ORG 1, O 6; bob: B-PER 2, I-PER 1, B-ORG 1, B-LOC 1, I-LOC 1, O 6
    # pe = (2*2 + 2*1 + 1*1 + 1*1 + 6*6) / 144 = 44/144; kappa = (108 - 44) / (144 - 44) = 0.64
    bio = r.as_dict()["token_bio"]
    assert bio["tokens"] == 12 and bio["items"] == 3 and bio["tokenizer"] == r"\w+|[^\w\s]"
    assert bio["percent_agreement"] == pytest.approx(0.75)
    assert bio["cohen_kappa"] == pytest.approx(0.64)
    assert bio["cohen_kappa"] == pytest.approx(metrics.cohen_kappa_score(ann, bob), abs=1e-6)
    assert bio["pairs"][0]["cohen_kappa"] == pytest.approx(0.64)


def test_bio_nested_spans_keep_the_earlier_span(tmp_path):
    # ann marks "New York is" (0-11, LOC) and "York" (4-8, ORG): the earlier span keeps York.
    # bob marks "York is big" (4-15, LOC) and "is" (9-11, LOC): "is" is inside the earlier span.
    spans = read_spans(write_spans(tmp_path / "spans.csv", {
        "ann": [("d2", 0, 11, "LOC"), ("d2", 4, 8, "ORG")],
        "bob": [("d2", 9, 11, "LOC"), ("d2", 4, 15, "LOC"), ("d2", 2, 3, "LOC")]}), "spans.csv")
    _, tags, names, counts = bio_tags(spans)
    assert [names[t] for t in tags[:, 0]] == ["B-LOC", "I-LOC", "I-LOC", "O"]
    assert [names[t] for t in tags[:, 1]] == ["O", "B-LOC", "I-LOC", "I-LOC"]
    # bob's 2-3 ("w" of "New") covers no whole token
    assert counts == {"no_token": 1, "nested": 2, "no_text": 0}


def test_no_text_column_no_token_bio(tmp_path):
    r = report_of(tmp_path, {"ann": ANN, "bob": BOB}, text=False)
    assert r.token_bio is None and "token_bio" not in r.as_dict()
    assert r.exact == pytest.approx(4 / 9)


def test_parquet_span_export(tmp_path):
    rows = [(item, rater, s, e, lab) for rater, spans in (("ann", ANN), ("bob", BOB)) for item, s, e, lab in spans]
    table = pa.table({"item": [r[0] for r in rows], "rater": [r[1] for r in rows],
                      "start": pa.array([r[2] for r in rows], pa.int64()),
                      "end": pa.array([r[3] for r in rows], pa.float64()),  # a float column, as pandas writes
                      "label": [r[4] for r in rows]})
    pq.write_table(table, tmp_path / "spans.parquet")
    r = span_report(read_spans(tmp_path / "spans.parquet", "spans.parquet"))
    assert (r.exact, r.overlap) == (pytest.approx(4 / 9), pytest.approx(6 / 9))


# --- labelbook agreement ------------------------------------------------------------------

def test_cli_span_export_json(tmp_path):
    write_spans(tmp_path / "spans.csv", {"ann": ANN, "bob": BOB})
    result = run_labelbook("agreement", "spans.csv", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"shape", "raters", "items", "span_f1", "token_bio"} <= set(data)
    assert (data["shape"], data["raters"], data["items"]) == ("span", 2, 3)
    assert data["span_f1"]["exact"] == {"overall": 0.444444, "per_label": {"LOC": 0.666667, "ORG": 0.0, "PER": 0.5}}
    assert data["span_f1"]["overlap"] == {"overall": 0.666667,
                                          "per_label": {"LOC": 0.666667, "ORG": 0.0, "PER": 1.0}}
    assert data["token_bio"]["cohen_kappa"] == 0.64 and data["token_bio"]["percent_agreement"] == 0.75


def test_cli_span_export_text(tmp_path):
    write_spans(tmp_path / "spans.csv", {"ann": ANN, "bob": BOB})
    result = run_labelbook("agreement", "spans.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "spans.csv: 10 rows, 9 spans, 2 raters, 3 items annotated by two or more raters"
    assert lines[1].split() == ["span", "F1", "exact", "overlap"]
    assert lines[2].split() == ["overall", "0.444", "0.667"]
    assert ["PER", "0.500", "1.000"] in [line.split() for line in lines]
    assert ["ann", "/", "bob", "3", "5/4", "0.444", "0.667"] in [line.split() for line in lines]
    assert ["overall", "12", "75.0%", "0.640", "0.638", "0.653"] in [line.split() for line in lines]


def test_cli_span_export_rejects_label_options(tmp_path):
    write_spans(tmp_path / "spans.csv", {"ann": ANN, "bob": BOB})
    result = run_labelbook("agreement", "spans.csv", "--slice", "language", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "error: --slice does not apply to a span export (spans.csv has a start or end column)")


def test_cli_token_tagging_export(tmp_path):
    # One row per (token, rater); item names the token (document:index), token is its text.
    # tokens:  Alice met Bob in  Paris
    # ann:     PER   O   PER O   LOC
    # bob:     PER   O   O   O   LOC
    # percent agreement 4/5 = 0.8. ann: PER 2, O 2, LOC 1; bob: PER 1, O 3, LOC 1
    # pe = (2*1 + 2*3 + 1*1) / 25 = 9/25 = 0.36; kappa = (0.8 - 0.36) / (1 - 0.36) = 0.44/0.64 = 0.6875
    tokens = ["Alice", "met", "Bob", "in", "Paris"]
    tags = {"ann": ["PER", "O", "PER", "O", "LOC"], "bob": ["PER", "O", "O", "O", "LOC"]}
    lines = ["item,rater,label,token"] + [f"doc1:{i},{rater},{tag},{tokens[i]}"
                                         for rater, seq in tags.items() for i, tag in enumerate(seq)]
    (tmp_path / "tokens.csv").write_text("\n".join(lines) + "\n")
    result = run_labelbook("agreement", "tokens.csv", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["items"] == 5
    assert data["percent_agreement"] == pytest.approx(0.8)
    assert data["cohen_kappa"] == pytest.approx(0.6875)


def test_cli_token_export_naming_the_document_only_says_how_to_name_tokens(tmp_path):
    (tmp_path / "tokens.csv").write_text("item,rater,label,token\ndoc1,ann,PER,0\ndoc1,ann,O,1\n")
    result = run_labelbook("agreement", "tokens.csv", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1] == (
        "hint: in a token export, item names the token, e.g. doc1:7 (the token column is not part of it)")


# --- bad span data ---------------------------------------------------------------------

OFFSET_HINT = "hint: start and end are character offsets into the item's text: whole numbers from 0, end exclusive"
ROW_HINT = ("hint: a row is one span (start, end and label); for an item the rater saw and marked nothing, "
            "leave start, end and label all empty")


@pytest.mark.parametrize("content, error, hint", [
    ("item,rater,start,ned,label\nd1,a,0,3,X\n",
     "error: spans.csv: missing column 'end'; did you mean 'ned'?",
     "hint: a span export has the columns item, rater, start, end, label and optionally text; "
     "the columns are: item, rater, start, ned, label"),
    ("item,rater,start,end\nd1,a,0,3\n",
     "error: spans.csv: missing column 'label'",
     "hint: a span export has the columns item, rater, start, end, label and optionally text; "
     "the columns are: item, rater, start, end"),
    ("item,rater,start,end,label\nd1,a,0,3,X\nd1,b,4,2,X\n",
     "error: spans.csv:3: column 'end': 2 is not greater than start 4",
     "hint: end is exclusive: the span of 'Paris' in 'to Paris' has start 3 and end 8"),
    ("item,rater,start,end,label\nd1,a,3,3,X\n",
     "error: spans.csv:2: column 'end': 3 is not greater than start 3",
     "hint: end is exclusive: the span of 'Paris' in 'to Paris' has start 3 and end 8"),
    ("item,rater,start,end,label\nd1,a,0,3,X\nd1,b,-1,2,X\n",
     "error: spans.csv:3: column 'start': -1 is negative", OFFSET_HINT),
    ("item,rater,start,end,label\nd1,a,0,3,X\nd1,b,1.5,2,X\nd2,b,x,2,X\n",
     "error: spans.csv:3: column 'start': '1.5' is not a whole number (2 such rows in all)", OFFSET_HINT),
    ("item,rater,start,end,label\nd1,a,0,three,X\n",
     "error: spans.csv:2: column 'end': 'three' is not a whole number", OFFSET_HINT),
    ("item,rater,start,end,label\nd1,a,0,3,\n",
     "error: spans.csv:2: column 'label' is empty but start and end are given", ROW_HINT),
    ("item,rater,start,end,label\nd1,a,0,,X\n",
     "error: spans.csv:2: column 'end' is empty but start and label are given", ROW_HINT),
    ("item,rater,start,end,label\nd1,,0,3,X\n",
     "error: spans.csv:2: column 'rater' is empty", "hint: every row names its item and its rater"),
    ("item,rater,start,end,label\nd1,a,0,3,X\nd1,a,0,3,X\n",
     "error: spans.csv:3: rater 'a' marked the span 0-3 'X' of item 'd1' twice (first on line 2); "
     "1 duplicate span row in all", "hint: keep one row per span"),
    ("item,rater,start,end,label,text\nd1,a,0,3,X,abc\nd1,b,0,4,X,abc\n",
     "error: spans.csv:3: column 'end': 4 is past the end of the item's text (3 characters)",
     "hint: offsets count the characters (Unicode code points) of the text column from 0"),
    # a quoted text over two lines: the second row starts on line 4 of the file
    ('item,rater,start,end,label,text\nd1,a,0,3,X,"a\nbc"\nd1,b,0,3,X,abd\n',
     "error: spans.csv:4: column 'text': the text of item 'd1' differs from its text on line 2",
     "hint: repeat the item's text unchanged on every row of the item"),
    ("item,rater,start,end,label\n", "error: spans.csv: the file has a header but no rows",
     "hint: one row per span: item, rater, start, end, label"),
])
def test_bad_span_data_is_one_clear_error(tmp_path, content, error, hint):
    (tmp_path / "spans.csv").write_text(content, encoding="utf-8")
    result = run_labelbook("agreement", "spans.csv", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [error, hint]


def test_bad_span_data_in_parquet_names_the_row(tmp_path):
    table = pa.table({"item": ["d1", "d1", "d2"], "rater": ["a", "b", "a"], "start": [0, 5, 0],
                      "end": [3, 2, 1], "label": ["X", "X", "X"]})
    pq.write_table(table, tmp_path / "spans.parquet")
    result = run_labelbook("agreement", "spans.parquet", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "error: spans.parquet: row 2: column 'end': 2 is not greater than start 5"


@pytest.mark.parametrize("content, error", [
    ("item,rater,start,end,label\nd1,a,0,3,X\n", "error: spans.csv: span agreement is not computable: only one rater"),
    ("item,rater,start,end,label\nd1,a,0,3,X\nd2,b,0,3,X\n",
     "error: spans.csv: span agreement is not computable: no item was annotated by two or more raters"),
    ("item,rater,start,end,label\nd1,a,,,\nd1,b,,,\n",
     "error: spans.csv: span agreement is not computable: no rater marked a span on the items two raters annotated"),
])
def test_span_agreement_not_computable(tmp_path, content, error):
    (tmp_path / "spans.csv").write_text(content, encoding="utf-8")
    result = run_labelbook("agreement", "spans.csv", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout)["span_f1"]["exact"]["overall"] is None
    assert result.stderr.splitlines()[0] == error
    assert "Traceback" not in result.stderr

"""Rating-scale agreement (item, rater, criterion, score): weighted kappa and ordinal and
interval alpha per criterion, by hand, against published worked examples and against
scikit-learn and the krippendorff package; `labelbook agreement` on rating exports."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import run_labelbook
from generator.metrics import agreement as ag
from generator.metrics.rating import rating_report, read_scores
from test_agreement import KRIPPENDORFF_2011

# Kundel & Polansky (2003), "Measurement of observer agreement", Radiology 228:303-308,
# Table A1: 110 mammograms rated by two readers (rows: reader 1, columns: reader 2),
# categories absent, minimal, moderate, severe. As printed in R's vcdExtra (data set
# Mammograms), where vcd's Kappa(Mammograms) gives unweighted 0.3713 and, with its default
# "Equal-Spacing" weights 1 - |i - j| / (r - 1) (linear), weighted 0.5964
# (https://friendly.github.io/vcdExtra/reference/Mammograms.html).
MAMMOGRAMS = [[34, 10, 2, 0],
              [6, 8, 8, 2],
              [2, 5, 4, 12],
              [0, 1, 2, 14]]


def expand(table) -> tuple[np.ndarray, np.ndarray]:
    """The two raters' scores (1..k) from a cross table of counts."""
    t = np.asarray(table)
    rows, cols = np.indices(t.shape)
    return np.repeat(rows.ravel() + 1, t.ravel()), np.repeat(cols.ravel() + 1, t.ravel())


def write_scores(path: Path, rows: list[tuple]) -> Path:
    path.write_text("item,rater,criterion,label\n" + "".join(",".join(map(str, r)) + "\n" for r in rows),
                    encoding="utf-8")
    return path


# fluency: ann 1 2 3 4, bob 1 3 3 2 on items i1..i4; clarity: three raters.
FLUENCY = [(f"i{k + 1}", rater, "fluency", score) for rater, scores in (("ann", [1, 2, 3, 4]), ("bob", [1, 3, 3, 2]))
           for k, score in enumerate(scores)]
CLARITY = [("i1", "ann", "clarity", 2), ("i1", "bob", "clarity", 2), ("i1", "cy", "clarity", 2),
           ("i2", "ann", "clarity", 1), ("i2", "bob", "clarity", 2), ("i2", "cy", "clarity", 2)]


def report_of(tmp_path: Path, rows):
    return rating_report(read_scores(write_scores(tmp_path / "scores.csv", rows), "scores.csv"))


def test_weighted_kappa_by_hand():
    # ann 1 2 3 4, bob 1 3 3 2: |a - b| = 0 1 0 2.
    # linear: observed = 3/4; expected = (1/16) sum |a - b| over ann x bob margins
    #   (bob: 1 x1, 2 x1, 3 x2): a=1: 0+1+2*2 = 5; a=2: 1+0+1*2 = 3; a=3: 2+1+0 = 3; a=4: 3+2+1*2 = 7
    #   -> 18/16; kappa = 1 - (3/4) / (18/16) = 1/3
    # quadratic: observed = (0+1+0+4)/4 = 5/4; expected: a=1: 0+1+4*2 = 9; a=2: 1+0+1*2 = 3;
    #   a=3: 4+1+0 = 5; a=4: 9+4+1*2 = 15 -> 32/16 = 2; kappa = 1 - (5/4) / 2 = 3/8
    ann, bob = np.array([1, 2, 3, 4]), np.array([1, 3, 3, 2])
    assert ag.weighted_kappa(ann, bob, "linear") == pytest.approx(1 / 3)
    assert ag.weighted_kappa(ann, bob, "quadratic") == pytest.approx(3 / 8)


def test_weighted_kappa_published_kundel_polansky_2003():
    first, second = expand(MAMMOGRAMS)
    assert len(first) == 110
    assert round(ag.cohen(first - 1, second - 1, 4), 4) == 0.3713
    assert round(ag.weighted_kappa(first, second, "linear"), 4) == 0.5964


def test_weighted_kappa_matches_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    first, second = expand(MAMMOGRAMS)
    for weights in ("linear", "quadratic"):
        assert ag.weighted_kappa(first, second, weights) == pytest.approx(
            metrics.cohen_kappa_score(first, second, weights=weights), abs=1e-12)
    rng = np.random.default_rng(11)
    for _ in range(50):
        a = rng.integers(1, 6, 60)
        b = np.clip(a + rng.integers(-2, 3, 60), 1, 5)
        for weights in ("linear", "quadratic"):
            assert ag.weighted_kappa(a, b, weights) == pytest.approx(
                metrics.cohen_kappa_score(a, b, weights=weights, labels=[1, 2, 3, 4, 5]), abs=1e-12)


def test_weighted_kappa_weighs_score_distance_not_rank():
    # Nobody gave a 4: the scores 3 and 5 are two steps apart, as scikit-learn counts them when
    # told the scale (labels=1..5) and not when it ranks only the scores given (3 and 5 adjacent).
    metrics = pytest.importorskip("sklearn.metrics")
    a, b = np.array([1, 3, 5, 5, 2, 3]), np.array([1, 5, 3, 5, 3, 3])
    ours = ag.weighted_kappa(a, b, "linear")
    assert ours == pytest.approx(metrics.cohen_kappa_score(a, b, weights="linear", labels=[1, 2, 3, 4, 5]))
    assert ours != pytest.approx(metrics.cohen_kappa_score(a, b, weights="linear"))


def test_weighted_kappa_not_computable():
    assert ag.weighted_kappa(np.array([]), np.array([])) is None
    assert ag.weighted_kappa(np.array([3, 3]), np.array([3, 3])) is None  # expected disagreement 0


def test_per_criterion_figures_by_hand(tmp_path):
    r = report_of(tmp_path, FLUENCY + CLARITY)
    assert list(r.criteria) == ["clarity", "fluency"]
    f = r.criteria["fluency"]
    assert (f.items, f.raters, f.ratings) == (4, 2, 8)
    assert f.percent_agreement == pytest.approx(0.5)  # i1 and i3 agree
    # interval: values 1 x2, 2 x2, 3 x3, 4 x1 (n = 8). Observed sum o*delta = 2 * (0 + 1 + 0 + 4) = 10;
    # expected sum n_c n_k (c - k)^2 over ordered pairs = 2 * (4*1 + 6*4 + 2*9 + 6*1 + 2*4 + 3*1) = 126;
    # alpha = 1 - (n - 1) * 10 / 126 = 1 - 70/126 = 4/9
    assert f.interval_alpha == pytest.approx(4 / 9)
    # ordinal: delta(c, k) = (n_c + ... + n_k - (n_c + n_k) / 2)^2: d12 = 4, d13 = 20.25, d14 = 42.25,
    # d23 = 6.25, d24 = 20.25, d34 = 4. Observed: 2 * (6.25 + 20.25) = 53; expected:
    # 2 * (2*2*4 + 2*3*20.25 + 2*1*42.25 + 2*3*6.25 + 2*1*20.25 + 3*1*4) = 624; alpha = 1 - 7 * 53 / 624
    assert f.ordinal_alpha == pytest.approx(1 - 7 * 53 / 624)
    assert f.weighted_kappa == {"linear": pytest.approx(1 / 3), "quadratic": pytest.approx(3 / 8)}
    c = r.criteria["clarity"]
    # i1: 2 2 2 (all 6 ordered pairs agree), i2: 1 2 2 (2 of 6) -> (1 + 1/3) / 2
    assert c.percent_agreement == pytest.approx(2 / 3)
    assert c.weighted_kappa is None
    assert c.notes == ["weighted kappa needs exactly two raters; this criterion has 3"]


def test_krippendorff_2011_published_example_as_a_rating_export(tmp_path):
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 coders x 12 units
    # (missing values left out), alpha ordinal 0.815, interval 0.849.
    rows = [(f"u{unit + 1}", f"coder{c + 1}", "value", v) for c, coder in enumerate(KRIPPENDORFF_2011)
            for unit, v in enumerate(coder.split()) if v != "."]
    r = report_of(tmp_path, rows).criteria["value"]
    assert (round(r.ordinal_alpha, 3), round(r.interval_alpha, 3)) == (0.815, 0.849)
    assert r.items == 11  # unit 12 has a single value: unpairable


def test_alpha_matches_krippendorff_package(tmp_path):
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(5)
    data = rng.integers(1, 6, size=(3, 40)).astype(float)
    data[rng.random(data.shape) < 0.25] = np.nan
    rows = [(f"u{u}", f"r{k}", "c", int(data[k, u])) for k in range(3) for u in range(40) if not np.isnan(data[k, u])]
    r = report_of(tmp_path, rows).criteria["c"]
    for level, ours in (("ordinal", r.ordinal_alpha), ("interval", r.interval_alpha)):
        assert ours == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement=level), abs=1e-9)


def test_decimal_scores_and_empty_scores(tmp_path):
    rows = [("i1", "ann", "c", "1.5"), ("i1", "bob", "c", "1.50"), ("i2", "ann", "c", "2"), ("i2", "bob", "c", "")]
    r = report_of(tmp_path, rows)
    assert r.criteria["c"].percent_agreement == 1.0  # 1.5 and 1.50 are one score
    assert r.criteria["c"].scores == [1.5, 2.0]
    assert r.notes == ["1 row without a score is left out"]


# --- labelbook agreement ------------------------------------------------------------------

def test_cli_rating_export_json(tmp_path):
    write_scores(tmp_path / "scores.csv", FLUENCY + CLARITY)
    result = run_labelbook("agreement", "scores.csv", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["shape"], data["raters"], data["items"], data["ratings"]) == ("rating", 3, 4, 14)
    fluency = data["criteria"]["fluency"]
    intervals = fluency.pop("intervals")
    # Gwet's AC2 of fluency: 67/131 (ordinal weights) and 73/133 (quadratic), worked out in
    # test_shape_intervals.test_rating_ac2_by_hand.
    assert fluency == {
        "items": 4, "raters": 2, "ratings": 8, "scores": [1, 2, 3, 4], "percent_agreement": 0.5,
        "ordinal_alpha": round(1 - 7 * 53 / 624, 6), "interval_alpha": 0.444444,
        "weighted_kappa": {"linear": 0.333333, "quadratic": 0.375},
        "gwet_ac2": {"ordinal": round(67 / 131, 6), "quadratic": round(73 / 133, 6)}, "notes": []}
    assert data["criteria"]["clarity"]["weighted_kappa"] is None
    # Each figure's 95% bootstrap interval (the export's 4 items resampled) holds the figure.
    assert data["bootstrap"] == {"method": "percentile bootstrap, items resampled with replacement",
                                 "confidence": 0.95, "resamples": 1000, "seed": 2007}
    figures = {**fluency, **{f"weighted_kappa_{k}": v for k, v in fluency["weighted_kappa"].items()},
               **{f"gwet_ac2_{k}": v for k, v in fluency["gwet_ac2"].items()}}
    assert set(intervals) == {"percent_agreement", "ordinal_alpha", "gwet_ac2_ordinal", "interval_alpha",
                              "gwet_ac2_quadratic", "weighted_kappa_linear", "weighted_kappa_quadratic"}
    for name, (low, high) in intervals.items():
        assert low <= figures[name] <= high, name
    # No weighted kappa for clarity's three raters, so no interval of it either.
    assert set(data["criteria"]["clarity"]["intervals"]) == {"percent_agreement", "ordinal_alpha",
                                                             "gwet_ac2_ordinal", "interval_alpha",
                                                             "gwet_ac2_quadratic"}


def test_cli_rating_export_text(tmp_path):
    write_scores(tmp_path / "scores.csv", FLUENCY + CLARITY)
    result = run_labelbook("agreement", "scores.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()]
    assert result.stdout.splitlines()[0] == "scores.csv: 14 scores, 3 raters, 2 criteria, 4 items"
    assert lines[1] == ["criterion", "items", "percent", "ordinal", "ac2", "ord", "interval", "ac2", "quad", "kappa",
                        "lin", "kappa", "quad"]
    # AC2: 67/131 = 0.511 (ordinal weights), 73/133 = 0.549 (quadratic weights).
    at = lines.index(["fluency", "4", "50.0%", "0.405", "0.511", "0.444", "0.549", "0.333", "0.375"])
    # Under the figures, their intervals: one low..high per figure.
    assert len(lines[at + 1]) == 7 and all(".." in cell for cell in lines[at + 1])
    assert "under each figure: its 95% bootstrap interval (1,000 resamples of the items, seed 2007)" in result.stdout
    assert "note: clarity: weighted kappa needs exactly two raters; this criterion has 3" in result.stdout


def test_cli_published_weighted_kappa_from_parquet(tmp_path):
    first, second = expand(MAMMOGRAMS)
    n = len(first)
    table = pa.table({"item": [f"m{k}" for k in range(n)] * 2, "rater": ["reader1"] * n + ["reader2"] * n,
                      "criterion": ["severity"] * (2 * n),
                      "label": pa.array(np.concatenate([first, second]).astype(float))})  # floats: "2.0"
    pq.write_table(table, tmp_path / "mammograms.parquet")
    result = run_labelbook("agreement", "mammograms.parquet", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    kappa = json.loads(result.stdout)["criteria"]["severity"]["weighted_kappa"]
    assert round(kappa["linear"], 4) == 0.5964


SCORE_HINT = "hint: a rating export scores each item on each criterion with a number, e.g. 1 to 5"


@pytest.mark.parametrize("content, error, hint", [
    ("item,rater,criterion,score\ni1,a,c,1\n", "error: scores.csv: missing column 'label'",
     "hint: a rating export has the columns item, rater, criterion, label (a number); "
     "the columns are: item, rater, criterion, score"),
    ("item,rater,criterion,label\ni1,a,c,5\ni1,b,c,good\ni2,b,c,n/a\n",
     "error: scores.csv:3: column 'label': 'good' is not a number (2 such rows in all)", SCORE_HINT),
    ("item,rater,criterion,label\ni1,a,c,inf\n", "error: scores.csv:2: column 'label': 'inf' is not a number",
     SCORE_HINT),
    ("item,rater,criterion,label\ni1,a,,5\n", "error: scores.csv:2: column 'criterion' is empty",
     "hint: every score names its item, rater and criterion"),
    ("item,rater,criterion,label\ni1,a,c,5\ni1,a,c,4\n",
     "error: scores.csv:3: rater 'a' scored item 'i1' on 'c' twice (first on line 2); "
     "1 duplicate (item, rater, criterion) row in all", "hint: keep one score per rater, item and criterion"),
    ("item,rater,criterion,label\ni1,a,c,\n", "error: scores.csv: no row has a score", SCORE_HINT),
    ("item,rater,criterion,label\n", "error: scores.csv: the file has a header but no rows",
     "hint: one row per score: item, rater, criterion, label"),
])
def test_bad_rating_data_is_one_clear_error(tmp_path, content, error, hint):
    (tmp_path / "scores.csv").write_text(content, encoding="utf-8")
    result = run_labelbook("agreement", "scores.csv", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [error, hint]


def test_rating_export_rejects_label_options(tmp_path):
    write_scores(tmp_path / "scores.csv", FLUENCY)
    result = run_labelbook("agreement", "scores.csv", "--level", "ordinal", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "error: --level does not apply to a rating export (scores.csv has a criterion column)")


def test_rating_agreement_not_computable(tmp_path):
    write_scores(tmp_path / "scores.csv", [("i1", "a", "c", 1), ("i2", "a", "c", 2)])
    result = run_labelbook("agreement", "scores.csv", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout)["criteria"]["c"]["ordinal_alpha"] is None
    assert result.stderr.splitlines() == [
        "error: scores.csv: rating agreement is not computable: no item was scored on a criterion by two or more "
        "raters (only one rater)",
        "hint: agreement needs items scored by two or more raters on the same criterion"]

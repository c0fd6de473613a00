"""Bootstrap intervals of the agreement coefficients, and criteria judged on their bounds."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from conftest import REPO, run_labelbook
from generator.metrics import acceptance as acc
from generator.metrics import agreement as ag
from generator.metrics import intervals as iv
from generator.metrics.compute import _scope, agreement_report
from generator.metrics.read import read_ratings
from generator.spec.acceptance import Criterion


def synthetic(path: Path, n_items: int, seed: int, raters: int = 3, p_same: float = 0.7,
              missing: float = 0.15) -> Path:
    """Items with a true label 1-5; each rater gives it with probability p_same, else a
    uniform label; some ratings are missing."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_items):
        truth = rng.integers(1, 6)
        for r in range(raters):
            if rng.random() < missing:
                continue
            label = truth if rng.random() < p_same else rng.integers(1, 6)
            rows.append((f"i{i:04d}", f"r{r}", int(label), "en" if i % 3 else "es"))
    pd.DataFrame(rows, columns=["item", "rater", "label", "language"]).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("raters", [2, 4])
def test_bootstrap_algebra_gives_the_coefficients_on_the_data_itself(tmp_path, level, raters):
    # Every item drawn once: the sums behind the resamples must give agreement.py's figures.
    r = read_ratings(synthetic(tmp_path / "s.csv", 150, seed=raters, raters=raters), "s.csv",
                     columns=("language",))
    report = agreement_report(r, level=level, slices=("language",), intervals=None)
    counts = ag.count_matrix(r.item, r.label, r.n_items, len(r.categories))
    values = None if level == "nominal" else [float(c) for c in r.categories]
    codes = ag.two_rater_codes(r.item, r.rater, r.label, r.n_items) if raters == 2 else None
    figures = iv.point_figures(_scope(report.overall, counts, None, codes, level, values, None))
    for name in ag.COEFFICIENTS:
        expected = getattr(report.overall, name)
        if expected is None:
            assert name not in figures, name
        else:
            assert figures[name][0] == pytest.approx(expected, abs=1e-12), name


def test_intervals_are_reproducible_and_follow_the_seed(tmp_path):
    export = synthetic(tmp_path / "s.csv", 300, seed=1)
    first = run_labelbook("agreement", str(export), "--slice", "language", "--format", "json", cwd=tmp_path)
    second = run_labelbook("agreement", str(export), "--slice", "language", "--format", "json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["bootstrap"] == {"method": "percentile bootstrap, items resampled with replacement",
                                 "confidence": 0.95, "resamples": iv.DEFAULT_RESAMPLES, "seed": iv.DEFAULT_SEED}
    assert set(data["intervals"]) == {"percent_agreement", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1"}
    for name, (low, high) in data["intervals"].items():
        assert low <= data[name] <= high, name
    assert set(data["per_label"]["3"]["intervals"]) == set(data["intervals"])
    assert set(data["per_slice"]["language"]["es"]["intervals"]) == set(data["intervals"])
    # Another seed draws other resamples; asking for a slice leaves the overall resamples alone.
    r = read_ratings(export, "s.csv", columns=("language",))
    other = agreement_report(r, intervals=iv.Settings(seed=7)).overall.as_dict(0.95)["intervals"]
    assert other != data["intervals"]
    plain = agreement_report(r).overall.as_dict(0.95)["intervals"]
    assert plain == data["intervals"]


def test_text_output_shows_the_intervals(tmp_path):
    export = synthetic(tmp_path / "s.csv", 200, seed=2)
    text = run_labelbook("agreement", str(export), cwd=tmp_path).stdout
    lines = text.splitlines()
    assert lines[1].split() == ["items", "percent", "cohen", "fleiss", "alpha", "ac1"]
    assert lines[3].split()[0].endswith("%") and ".." in lines[3]
    assert (f"under each figure: its 95% bootstrap interval ({iv.DEFAULT_RESAMPLES:,} resamples of the items, "
            f"seed {iv.DEFAULT_SEED})") in lines


def test_cohen_interval_with_two_raters(tmp_path):
    r = read_ratings(synthetic(tmp_path / "s.csv", 200, seed=3, raters=2), "s.csv")
    overall = agreement_report(r).overall
    low, high = overall.interval("cohen_kappa", 0.95)
    assert low < overall.cohen_kappa < high
    # The one-sided 95% lower bound is the 5th percentile: inside the two-sided 95% interval.
    assert low < overall.bound("cohen_kappa", 0.95, upper=False) < overall.cohen_kappa


def test_percent_agreement_interval_covers_the_truth():
    # Two raters agree on an item with probability .8: the true percent agreement. Over 200
    # simulated exports of 150 items, the 95% interval should cover .8 about 95% of the time.
    rng = np.random.default_rng(11)
    covered = 0
    runs = 200
    for run in range(runs):
        agree = rng.random(150) < 0.8
        counts = np.stack([np.where(agree, 2, 1), np.where(agree, 0, 1)], axis=1).astype(float)
        coeff = ag.coefficients(counts, raters=2)
        iv.bootstrap([iv.Scope(coeff, counts)], len(counts), iv.Settings(resamples=400, seed=run))
        low, high = coeff.interval("percent_agreement", 0.95)
        covered += low <= 0.8 <= high
    # Binomial(200, .95) lies in [180, 198] with probability > .99.
    assert 180 <= covered <= 198, covered


def quality_of(report) -> SimpleNamespace:
    """What the agreement criteria read of a guideline's quality."""
    return SimpleNamespace(agreement=report, spans=None, taxonomy=list(report.per_label), distribution={})


def criterion(metric: str, comparator: str, threshold: float, confidence: float | None = 0.95, **extra) -> Criterion:
    return Criterion(id="c", level="release", description="agreement", metric=metric, comparator=comparator,
                     threshold=threshold, confidence=confidence, **extra)


def test_a_criterion_with_confidence_is_judged_on_the_bootstrap_bound(tmp_path):
    r = read_ratings(synthetic(tmp_path / "s.csv", 300, seed=4), "s.csv")
    report = agreement_report(r)
    alpha = report.overall.krippendorff_alpha
    lower = float(np.quantile(report.overall.replicates["krippendorff_alpha"], 0.05))
    upper = float(np.quantile(report.overall.replicates["krippendorff_alpha"], 0.95))
    assert lower < alpha < upper
    note = f"bound: the 5th percentile of {iv.DEFAULT_RESAMPLES:,} bootstrap resamples of the items"
    # The value passes a threshold between the bound and the value; the bound does not.
    between = (lower + alpha) / 2
    row = acc.evaluate_one(criterion("krippendorff_alpha", ">=", between), quality_of(report)).rows[0]
    assert (row.value, row.bound, row.status, row.note) == (alpha, pytest.approx(lower), acc.FAIL, note)
    row = acc.evaluate_one(criterion("krippendorff_alpha", ">=", between, confidence=None), quality_of(report)).rows[0]
    assert (row.bound, row.status) == (None, acc.PASS)
    row = acc.evaluate_one(criterion("krippendorff_alpha", ">=", lower - 0.01), quality_of(report)).rows[0]
    assert row.status == acc.PASS
    # "at most" uses the upper bound, the 95th percentile.
    row = acc.evaluate_one(criterion("krippendorff_alpha", "<=", (alpha + upper) / 2), quality_of(report)).rows[0]
    assert (row.bound, row.status) == (pytest.approx(upper), acc.FAIL)
    assert row.note == f"bound: the 95th percentile of {iv.DEFAULT_RESAMPLES:,} bootstrap resamples of the items"
    # A 90% confidence takes the 10th percentile.
    row = acc.evaluate_one(criterion("gwet_ac1", ">=", 0.0, confidence=0.9), quality_of(report)).rows[0]
    assert row.bound == pytest.approx(float(np.quantile(report.overall.replicates["gwet_ac1"], 0.1)))
    assert row.status == acc.PASS


def test_per_label_and_per_slice_rows_have_their_own_bounds(tmp_path):
    r = read_ratings(synthetic(tmp_path / "s.csv", 300, seed=5), "s.csv", columns=("language",))
    report = agreement_report(r, slices=("language",))
    result = acc.evaluate_one(criterion("percent_agreement", ">=", 0.0, scope="per-slice", slice="language"),
                              quality_of(report))
    assert [row.scope for row in result.rows] == ["language=en", "language=es"]
    for row, coeff in zip(result.rows, report.per_slice["language"].values()):
        assert row.bound == pytest.approx(float(np.quantile(coeff.replicates["percent_agreement"], 0.05)))
    result = acc.evaluate_one(criterion("fleiss_kappa", ">=", 0.0, labels=["1", "2"]), quality_of(report))
    assert [row.status for row in result.rows] == [acc.PASS, acc.PASS]
    assert all(row.bound is not None for row in result.rows)


def test_without_intervals_a_confidence_is_not_evaluated(tmp_path):
    r = read_ratings(synthetic(tmp_path / "s.csv", 100, seed=6), "s.csv")
    report = agreement_report(r, intervals=None)
    row = acc.evaluate_one(criterion("krippendorff_alpha", ">=", 0.1), quality_of(report)).rows[0]
    assert (row.status, row.note) == (acc.NOT_EVALUATED, "no bootstrap interval was computed for this figure")


def test_gate_judges_alpha_on_its_lower_bound(example_specs):
    # content-safety's alpha is about .750 on 4,421 items: its 95% lower bound lies well
    # below .749, so ">= .749 at 95% confidence" fails while the value itself passes.
    acceptance = example_specs / "specs/content-safety/acceptance.yaml"
    text = acceptance.read_text()
    old = "    metric: krippendorff_alpha\n    comparator: \">=\"\n    threshold: 0.7\n"
    assert old in text
    acceptance.write_text(text.replace(old, "    metric: krippendorff_alpha\n    comparator: \">=\"\n"
                                            "    threshold: 0.749\n    confidence: 0.95\n", 1))
    shutil.copytree(REPO / "specs/content-safety/data", example_specs / "specs/content-safety/data",
                    dirs_exist_ok=True)
    result = run_labelbook("gate", "content-safety", "--format", "json", cwd=example_specs)
    rows = {c["id"]: c for c in json.loads(result.stdout)["criteria"]}
    row = rows["batch-alpha-overall"]["rows"][0]
    assert row["value"] > 0.749 > row["bound"] > 0.7
    assert (row["status"], row["note"]) == ("fail", "bound: the 5th percentile of 1,000 bootstrap resamples "
                                                    "of the items")
    text = run_labelbook("gate", "content-safety", cwd=example_specs).stdout
    line = next(line for line in text.splitlines() if line.startswith("batch-alpha-overall"))
    assert ">= 0.749 (95% conf.)" in line and f"{row['bound']:.3f}" in line and "FAIL" in line


def test_datasheet_shows_ac1_and_the_intervals():
    from generator.load import load_guidelines
    from generator.quality_figures import quality_figures
    from generator.render.pages import SiteOptions, build_site

    guidelines = [g for g in load_guidelines([REPO / "specs"]).guidelines if g.id == "content-safety"]
    site = build_site(guidelines, options=SiteOptions(quality=quality_figures(guidelines)))
    page = next(p for p in site.pages if p.path.endswith("datasheet.md")).markdown
    table = page[page.index('<table class="lb-table lb-agreement">'):]
    table = table[:table.index("</table>")]
    assert "<th>Krippendorff's alpha</th><th>Gwet's AC1</th></tr>" in table
    rows = table.split("<tr>")[2:]  # after the header
    assert rows[0].startswith("<td><strong>Overall</strong></td>")
    # percent, Fleiss, alpha and AC1 each have an interval; Cohen's kappa (18 raters) none
    assert all(row.count('<span class="lb-muted lb-interval">') == 4 for row in rows)
    assert re.search(r"<td>\d+\.\d%<br><span class=\"lb-muted lb-interval\">\d+\.\d% to \d+\.\d%</span></td>", rows[0])
    assert (f"Under each figure: its 95% bootstrap interval, the percentiles of the figure over "
            f"{iv.DEFAULT_RESAMPLES:,} resamples of the items drawn with replacement (seed {iv.DEFAULT_SEED}).") in page


def test_drawing_patterns_resamples_as_drawing_items(tmp_path):
    # The number of items of each pattern in a resample of items is multinomial: both
    # schemes must give the same distribution of every coefficient (means and spreads
    # agree to a few standard errors over 4,000 resamples).
    r = read_ratings(synthetic(tmp_path / "s.csv", 300, seed=5), "s.csv")
    counts = ag.count_matrix(r.item, r.label, r.n_items, len(r.categories))
    settings = iv.Settings(resamples=4000, seed=3)
    by_items = ag.coefficients(counts, raters=3)
    iv.bootstrap([iv.Scope(by_items, counts)], len(counts), settings)
    rows, times = np.unique(counts, axis=0, return_counts=True)
    by_patterns = ag.coefficients(rows, raters=3, multiplicity=times)
    iv.bootstrap_patterns([iv.Scope(by_patterns, rows)], times, settings)
    assert len(rows) < len(counts) / 3  # the patterns are far fewer than the items
    for name in ("percent_agreement", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1"):
        assert getattr(by_patterns, name) == pytest.approx(getattr(by_items, name), abs=1e-12), name
        a, b = by_items.replicates[name], by_patterns.replicates[name]
        assert abs(a.mean() - b.mean()) < 4 * np.hypot(a.std(), b.std()) / np.sqrt(len(a)), name
        assert b.std() == pytest.approx(a.std(), rel=0.06), name


def test_pattern_intervals_cover_the_truth():
    # As test_percent_agreement_interval_covers_the_truth, drawing patterns.
    rng = np.random.default_rng(11)
    covered = 0
    for run in range(200):
        agreeing = int((rng.random(150) < 0.8).sum())
        rows = np.array([[2.0, 0.0], [1.0, 1.0]])
        times = np.array([agreeing, 150 - agreeing])
        coeff = ag.coefficients(rows, raters=2, multiplicity=times)
        iv.bootstrap_patterns([iv.Scope(coeff, rows)], times, iv.Settings(resamples=400, seed=run))
        low, high = coeff.interval("percent_agreement", 0.95)
        covered += low <= 0.8 <= high
    assert 180 <= covered <= 198, covered


def test_a_slice_leaves_the_other_intervals_alone(tmp_path):
    path = synthetic(tmp_path / "s.csv", 200, seed=6)
    frame = pd.read_csv(path)
    frame["half"] = np.where(frame["item"].str[-1].astype(int) < 5, "low", "high")
    frame.to_csv(path, index=False)
    r = read_ratings(path, "s.csv", columns=("language", "half"))
    settings = iv.Settings(resamples=300)
    alone = agreement_report(r, intervals=settings).as_dict()
    one = agreement_report(r, slices=("language",), intervals=settings).as_dict()
    two = agreement_report(r, slices=("half", "language"), intervals=settings).as_dict()
    assert alone["intervals"] == one["intervals"] == two["intervals"]
    assert alone["per_label"] == one["per_label"] == two["per_label"]
    assert one["per_slice"]["language"] == two["per_slice"]["language"]
    low, high = two["per_slice"]["half"]["low"]["intervals"]["krippendorff_alpha"]
    assert low <= two["per_slice"]["half"]["low"]["krippendorff_alpha"] <= high


def test_pattern_draws_in_small_blocks(tmp_path, monkeypatch):
    # A few resamples at a time (as with many patterns): the overall draws are the same
    # multinomial stream, and each slice's are split a few rows at a time.
    r = read_ratings(synthetic(tmp_path / "s.csv", 200, seed=8), "s.csv", columns=("language",))
    settings = iv.Settings(resamples=200)
    whole = agreement_report(r, slices=("language",), intervals=settings)
    monkeypatch.setattr(iv, "CELLS_PER_BLOCK", 150)
    small = agreement_report(r, slices=("language",), intervals=settings)
    for name, values in whole.overall.replicates.items():  # the same draws, summed in other blocks
        assert np.allclose(small.overall.replicates[name], values, rtol=0, atol=1e-12), name
    for value, coeff in small.per_slice["language"].items():
        low, high = coeff.interval("krippendorff_alpha", 0.95)
        assert low <= coeff.krippendorff_alpha <= high, value
        assert np.isfinite(coeff.replicates["percent_agreement"]).all()

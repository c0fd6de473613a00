"""Quality figures of the example guidelines, on the built site and as data."""

from __future__ import annotations

import csv
import re

import numpy as np
import pandas as pd
import pytest

from conftest import REPO
from generator.load import load_guidelines
from generator.metrics import plots
from generator.metrics.proportions import Proportion, bound, wilson
from generator.metrics.quality import compute_quality, load_data


@pytest.fixture(scope="module")
def guidelines():
    result = load_guidelines([REPO / "specs"])
    assert result.ok
    return {g.id: g for g in result.guidelines}


def test_wilson_matches_statsmodels():
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    for k, n in [(0, 600), (1, 1000), (19, 1000), (958, 1000)]:
        assert wilson(k, n) == pytest.approx(proportion.proportion_confint(k, n, method="wilson"), abs=1e-12)
        # One-sided 95% = the upper end of the two-sided 90% interval.
        assert bound(k, n, 0.95, upper=True) == pytest.approx(
            proportion.proportion_confint(k, n, alpha=0.10, method="wilson")[1], abs=1e-12)


def test_critical_defect_gate_uses_the_upper_bound():
    # 1 defect in 1,000 passes "<= 0.5% with 95% confidence"; 3 in 1,000 (0.3%) does not.
    assert bound(1, 1000, 0.95, upper=True) <= 0.005
    assert Proportion(3, 1000).value < 0.005 < bound(3, 1000, 0.95, upper=True)


@pytest.fixture(scope="module")
def content_safety_reference(guidelines):
    """Figures of the content-safety example computed here from its files, independently of
    the pipeline: counts with pandas and the csv module, alpha with the krippendorff
    package (the reference implementation the agreement tests also use)."""
    krippendorff = pytest.importorskip("krippendorff")
    g = guidelines["content-safety"]
    frame = pd.read_parquet(REPO / g.datasheet.data.annotations)
    with (REPO / g.datasheet.data.audit).open(newline="") as stream:
        audit = list(csv.DictReader(stream))
    # Raters x items; a cell is 1.0 where the rater chose harassment, 0.0 where another
    # label, NaN where the rater did not rate the item (one label against the rest).
    chose = frame.assign(hit=(frame["label"] == "harassment").astype(float))
    matrix = chose.pivot(index="rater", columns="item", values="hit").to_numpy()
    codes = frame.assign(code=pd.factorize(frame["label"], sort=True)[0].astype(float))
    overall = codes.pivot(index="rater", columns="item", values="code").to_numpy()
    return {
        "items": frame["item"].nunique(), "raters": frame["rater"].nunique(),
        "harassment_alpha": krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"),
        "overall_alpha": krippendorff.alpha(reliability_data=overall, level_of_measurement="nominal"),
        "audited": len({row["item"] for row in audit}),
        "critical": len({row["item"] for row in audit if row["severity"] == "critical"}),
        "threshold": next(c.threshold for c in g.acceptance.criteria if c.id == "batch-alpha-harassment"),
    }


def test_example_figures(guidelines, content_safety_reference):
    ref = content_safety_reference
    g = guidelines["content-safety"]
    q = compute_quality(g, *load_data(g))
    assert q.items == ref["items"] and q.raters == ref["raters"]
    assert q.agreement.per_label["harassment"].krippendorff_alpha == pytest.approx(ref["harassment_alpha"], abs=1e-9)
    assert q.agreement.overall.krippendorff_alpha == pytest.approx(ref["overall_alpha"], abs=1e-9)
    # The example is built so that harassment misses its re-baselined threshold while the
    # overall agreement clears it.
    assert ref["harassment_alpha"] < ref["threshold"] <= ref["overall_alpha"]
    assert [c.ok for c in q.checks] == [True, True, True, True]
    assert q.defects["by_severity"]["critical"].k == ref["critical"]
    assert q.defects["audited"] == ref["audited"]
    multi = guidelines["support-intent"]
    q = compute_quality(multi, *load_data(multi))
    assert q.agreement.level == "masi"
    assert all(cell.current >= cell.target for cell in q.coverage)


def test_wilson_upper_bound_by_hand():
    # One-sided 95%: z = 1.6449. k = 1, n = 1000, p = 0.001, z^2 = 2.7055.
    #   centre = (p + z^2/2n) / (1 + z^2/n) = (0.001 + 0.0013528) / 1.0027055 = 0.0023464
    #   half   = z * sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n)
    #          = 1.6449 * sqrt(9.99e-7 + 6.764e-7) / 1.0027055 = 1.6449 * 0.0012944 / 1.0027055 = 0.0021234
    #   upper  = 0.0023464 + 0.0021234 = 0.0044698, shown as 0.45%
    assert bound(1, 1000, 0.95, upper=True) == pytest.approx(0.0044698, abs=2e-7)


def test_plots_are_deterministic_and_escape_text():
    first = plots.bars_with_threshold("salt", ["a<b>", "$x$"], [0.5, None], [0.6], "alpha", "t")
    again = plots.bars_with_threshold("salt", ["a<b>", "$x$"], [0.5, None], [0.6], "alpha", "t")
    assert first == again
    assert "a&lt;b&gt;" in first and "$x$" in first and "<b>" not in first
    assert "<?xml" not in first and "<style" not in first and "\n\n" not in first
    other = plots.heatmap("other", ["a", "b"], np.array([[3.0, 0], [1, 2]]), "t")
    ids = set(re.findall(r'id="([^"]+)"', first)) & set(re.findall(r'id="([^"]+)"', other))
    assert not ids


def test_site_shows_figures_and_badges(example_site, content_safety_reference):
    datasheet = (example_site / "content-safety/datasheet/index.html").read_text()
    for anchor in ("agreement", "confusion", "gold-agreement", "distribution", "coverage-matrix", "defects",
                   "readiness"):
        assert f'id="{anchor}"' in datasheet
    assert datasheet.count('class="lb-plot-svg"') == 5
    acceptance = (example_site / "content-safety/acceptance/index.html").read_text()
    assert "Release gate: passes" in acceptance
    row = re.search(r'<tr id="criterion-batch-alpha-harassment">.*?</tr>', acceptance, re.S).group(0)
    alpha = content_safety_reference["harassment_alpha"]
    assert "lb-badge--fail" in row and f"label harassment: <strong>{alpha:.3f}</strong>" in row
    row = re.search(r'<tr id="criterion-batch-critical-defects">.*?</tr>', acceptance, re.S).group(0)
    # 1 critical defect in the 1,000 audited items: upper bound 0.45% (test_wilson_upper_bound_by_hand)
    assert (content_safety_reference["critical"], content_safety_reference["audited"]) == (1, 1000)
    assert "lb-badge--pass" in row and "bound 0.45%" in row
    assert "Sign-off" in acceptance


def test_unreadable_data_is_shown_not_a_failed_build(example_specs):
    from conftest import build_project, make_project

    (example_specs / "specs/support-intent/data/annotations.parquet").write_bytes(b"not parquet")
    project = make_project(example_specs / "project", example_specs / "specs")
    result = build_project(project)
    assert result.returncode == 0, result.stderr
    page = (project / "site/support-intent/acceptance/index.html").read_text()
    assert "The data could not be read" in page and "cannot read the PARQUET file" in page

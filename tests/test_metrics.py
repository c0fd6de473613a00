"""Quality figures of the example guidelines, on the built site and as data."""

from __future__ import annotations

import re

import numpy as np
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


def test_example_figures(guidelines):
    g = guidelines["content-safety"]
    q = compute_quality(g, *load_data(g))
    assert q.items > 20_000 and q.raters == 18
    assert q.agreement.per_label["harassment"].krippendorff_alpha < 0.68 <= q.agreement.overall.krippendorff_alpha
    assert [c.ok for c in q.checks] == [True, True, True, True]
    assert q.defects["by_severity"]["critical"].k == 1 and q.defects["audited"] == 1000
    multi = guidelines["support-intent"]
    q = compute_quality(multi, *load_data(multi))
    assert q.agreement.level == "masi"
    assert all(cell.current >= cell.target for cell in q.coverage)


def test_plots_are_deterministic_and_escape_text():
    first = plots.bars_with_threshold("salt", ["a<b>", "$x$"], [0.5, None], [0.6], "alpha", "t")
    again = plots.bars_with_threshold("salt", ["a<b>", "$x$"], [0.5, None], [0.6], "alpha", "t")
    assert first == again
    assert "a&lt;b&gt;" in first and "$x$" in first and "<b>" not in first
    assert "<?xml" not in first and "<style" not in first and "\n\n" not in first
    other = plots.heatmap("other", ["a", "b"], np.array([[3.0, 0], [1, 2]]), "t")
    ids = set(re.findall(r'id="([^"]+)"', first)) & set(re.findall(r'id="([^"]+)"', other))
    assert not ids


def test_site_shows_figures_and_badges(example_site):
    datasheet = (example_site / "content-safety/datasheet/index.html").read_text()
    for anchor in ("agreement", "confusion", "gold-agreement", "distribution", "coverage-matrix", "defects",
                   "readiness"):
        assert f'id="{anchor}"' in datasheet
    assert datasheet.count('class="lb-plot-svg"') == 5
    acceptance = (example_site / "content-safety/acceptance/index.html").read_text()
    assert "Release gate: passes" in acceptance
    row = re.search(r'<tr id="criterion-batch-alpha-harassment">.*?</tr>', acceptance, re.S).group(0)
    assert "lb-badge--fail" in row and "label harassment: <strong>0.6" in row
    row = re.search(r'<tr id="criterion-batch-critical-defects">.*?</tr>', acceptance, re.S).group(0)
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

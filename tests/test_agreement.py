"""Agreement coefficients against published worked examples and reference implementations."""

from __future__ import annotations

import numpy as np
import pytest

from generator.metrics import agreement as ag

# Fleiss (1971), Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses (counts per patient).
FLEISS_1971 = """\
0,0,0,6,0 0,3,0,0,3 0,1,4,0,1 0,0,0,0,6 0,3,0,3,0 2,0,4,0,0 0,0,4,0,2 2,0,3,1,0 2,0,0,4,0 0,0,0,0,6
1,0,0,5,0 1,1,0,4,0 0,3,3,0,0 1,0,0,5,0 0,2,0,3,1 0,0,5,0,1 3,0,0,1,2 5,1,0,0,0 0,2,0,4,0 1,0,2,0,3
0,0,0,0,6 0,1,0,5,0 0,2,0,1,3 2,0,0,4,0 1,0,0,4,1 0,5,0,1,0 4,0,0,0,2 0,2,0,4,0 1,0,5,0,0 0,0,0,0,6"""
# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011): 4 coders x 12 units, '.' missing.
KRIPPENDORFF_2011 = [
    "1 2 3 3 2 1 4 1 2 . . .",
    "1 2 3 3 2 2 4 1 2 5 . 3",
    ". 3 3 3 2 3 4 2 2 5 1 .",
    "1 2 3 3 2 4 4 1 2 5 1 .",
]


def fleiss_table() -> np.ndarray:
    return np.array([[int(x) for x in row.split(",")] for row in FLEISS_1971.split()], dtype=float)


def krippendorff_ratings():
    values = [1, 2, 3, 4, 5]
    item, label = [], []
    for coder in KRIPPENDORFF_2011:
        for unit, value in enumerate(coder.split()):
            if value != ".":
                item.append(unit)
                label.append(values.index(int(value)))
    return np.array(item), np.array(label), values


def test_fleiss_1971_psychiatric_diagnoses():
    stats = ag.nominal(fleiss_table())
    assert round(float(stats["fleiss_kappa"][0]), 3) == 0.430
    assert stats["items"][0] == 30


def test_fleiss_matches_statsmodels():
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    table = fleiss_table()
    assert ag.nominal(table)["fleiss_kappa"][0] == pytest.approx(inter_rater.fleiss_kappa(table), abs=1e-12)


@pytest.mark.parametrize("level, expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849),
                                             ("ratio", 0.797)])
def test_krippendorff_2011_worked_example(level, expected):
    item, label, values = krippendorff_ratings()
    counts = ag.count_matrix(item, label, 12, 5)
    assert round(ag.alpha(counts, level, values), 3) == expected


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_krippendorff_matches_reference_package(level):
    krippendorff = pytest.importorskip("krippendorff")
    data = np.array([[np.nan if v == "." else float(v) for v in coder.split()] for coder in KRIPPENDORFF_2011])
    item, label, values = krippendorff_ratings()
    ours = ag.alpha(ag.count_matrix(item, label, 12, 5), level, values)
    assert ours == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement=level), abs=1e-9)


def test_nominal_alpha_fast_path_equals_coincidence_matrix():
    item, label, values = krippendorff_ratings()
    counts = ag.count_matrix(item, label, 12, 5)
    assert ag.nominal(counts)["krippendorff_alpha"][0] == pytest.approx(ag.alpha(counts, "nominal"), abs=1e-12)


def test_cohen_textbook_example():
    # 50 proposals, two readers: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> kappa 0.4.
    first = np.array([0] * 25 + [1] * 25)
    second = np.array([0] * 20 + [1] * 5 + [0] * 10 + [1] * 15)
    assert ag.cohen(first, second, 2) == pytest.approx(0.4)


def test_cohen_matches_scikit_learn_and_statsmodels():
    metrics = pytest.importorskip("sklearn.metrics")
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    rng = np.random.default_rng(7)
    first = rng.integers(0, 4, 500)
    second = np.where(rng.random(500) < 0.6, first, rng.integers(0, 4, 500))
    ours = ag.cohen(first, second, 4)
    assert ours == pytest.approx(metrics.cohen_kappa_score(first, second), abs=1e-12)
    table = np.bincount(first * 4 + second, minlength=16).reshape(4, 4)
    assert ours == pytest.approx(inter_rater.cohens_kappa(table).kappa, abs=1e-12)


def test_percent_agreement_is_mean_pairwise_agreement():
    # Item 0: a, a, b -> 2 of 6 ordered pairs agree; item 1: b, b -> all agree.
    counts = np.array([[2.0, 1.0], [0.0, 2.0]])
    assert ag.nominal(counts)["percent_agreement"][0] == pytest.approx((1 / 3 + 1) / 2)


def test_masi_distance():
    a, b = frozenset("ab"), frozenset("a")
    assert ag.masi_distance(a, a) == 0
    assert ag.masi_distance(a, b) == pytest.approx(1 - 0.5 * 2 / 3)
    assert ag.masi_distance(frozenset("ab"), frozenset("bc")) == pytest.approx(1 - (1 / 3) * (1 / 3))
    assert ag.masi_distance(frozenset("a"), frozenset("c")) == 1


def test_grouped_coefficients_equal_separate_computation():
    rng = np.random.default_rng(3)
    counts = rng.multinomial(4, [0.5, 0.3, 0.2], size=200).astype(float)
    groups = rng.integers(0, 3, 200)
    together = ag.nominal(counts, groups, 3)
    for g in range(3):
        alone = ag.nominal(counts[groups == g])
        for key in ("percent_agreement", "fleiss_kappa", "krippendorff_alpha"):
            assert together[key][g] == pytest.approx(alone[key][0])


def test_single_rater_is_not_computable_and_says_why():
    counts = np.array([[1.0, 0.0], [0.0, 1.0]])
    result = ag.coefficients(counts, raters=1)
    assert result.krippendorff_alpha is None and result.fleiss_kappa is None
    assert result.notes == ["not computable: no item has two or more ratings (only one rater)"]

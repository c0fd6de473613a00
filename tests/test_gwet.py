"""Gwet's AC1 and AC2 against published worked examples and hand-computed cases.

Published values: Gwet's Handbook of Inter-Rater Reliability (4th ed., 2014) dataset of 4
raters, 12 subjects and 5 categories with missing ratings (irrCAC's `cac.raw4raters`),
whose AC1 = 0.77544 (p_a = 0.81818, p_e = 0.19032) and bipolar-weighted AC2 = 0.90037
are printed in irrCAC's documentation. The other expected values are computed by hand in
the comments next to them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import run_labelbook
from generator.metrics import agreement as ag
from generator.metrics import gwet

# cac.raw4raters: one row per subject, one column per rater; None: not rated.
RAW4RATERS = [
    (1, 1, None, 1), (2, 2, 3, 2), (3, 3, 3, 3), (3, 3, 3, 3), (2, 2, 2, 2), (1, 2, 3, 4),
    (4, 4, 4, 4), (1, 1, 2, 1), (2, 2, 2, 2), (None, 5, 5, 5), (None, None, 1, 1), (None, None, 3, None),
]


def counts_of(table, categories) -> np.ndarray:
    return np.array([[sum(1 for v in row if v == c) for c in categories] for row in table], dtype=float)


def write_long(path: Path, table) -> Path:
    rows = ["item,rater,label"]
    for i, row in enumerate(table):
        rows += [f"s{i + 1:02d},r{r + 1},{v}" for r, v in enumerate(row) if v is not None]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_raw4raters_ac1_is_the_published_value():
    counts = counts_of(RAW4RATERS, [1, 2, 3, 4, 5])
    assert gwet.ac(counts) == pytest.approx(0.77544, abs=5e-6)
    # p_a and p_e, as published
    pairable = counts.sum(axis=1) >= 2
    assert gwet.item_agreement(counts)[pairable].mean() == pytest.approx(0.81818, abs=5e-6)
    m = counts.sum(axis=1)
    assert gwet.chance((counts / m[:, None]).mean(axis=0), None, 5) == pytest.approx(0.19032, abs=5e-6)
    # the vectorized per-group figure agrees
    assert ag.nominal(counts)["gwet_ac1"][0] == pytest.approx(0.77544, abs=5e-6)


def test_raw4raters_bipolar_ac2_is_the_published_value():
    # Gwet's bipolar weights, from their definition: 1 - d / max d with
    # d_kl = (k - l)^2 / ((k + l - 2 min) (2 max - k - l)), 0 on the diagonal.
    c = np.arange(1, 6, dtype=float)
    d = np.zeros((5, 5))
    for k in range(5):
        for el in range(5):
            if k != el:
                d[k, el] = (c[k] - c[el]) ** 2 / ((c[k] + c[el] - 2) * (10 - c[k] - c[el]))
    weights = 1 - d / d.max()
    assert gwet.ac(counts_of(RAW4RATERS, [1, 2, 3, 4, 5]), weights) == pytest.approx(0.90037, abs=5e-6)


def test_raw4raters_through_the_command(tmp_path):
    export = write_long(tmp_path / "raw4raters.csv", RAW4RATERS)
    result = run_labelbook("agreement", str(export), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["gwet_ac1"] == pytest.approx(0.77544, abs=5e-6)
    assert "gwet_ac2" not in data  # nominal level: no weights
    assert data["items"] == 11  # subject 12 has one rating: out of p_a, in the category shares


def test_prevalence_paradox_kappa_low_ac1_high(tmp_path):
    # 2 raters, 100 items: 90 both "safe", 4 safe/unsafe, 4 unsafe/safe, 2 both "unsafe".
    pairs = [("safe", "safe")] * 90 + [("safe", "unsafe")] * 4 + [("unsafe", "safe")] * 4 + [("unsafe", "unsafe")] * 2
    export = write_long(tmp_path / "paradox.csv", pairs)
    data = json.loads(run_labelbook("agreement", str(export), "--format", "json", cwd=tmp_path).stdout)
    # p_o = 92/100. Each rater: 94 safe, 6 unsafe, so Cohen's p_e = .94^2 + .06^2 = .8872
    # and kappa = (.92 - .8872) / (1 - .8872) = .0328 / .1128.
    assert data["percent_agreement"] == pytest.approx(0.92, abs=1e-6)
    assert data["cohen_kappa"] == pytest.approx(0.0328 / 0.1128, abs=1e-6)
    assert data["fleiss_kappa"] == pytest.approx(0.0328 / 0.1128, abs=1e-6)  # pooled shares are the same
    # Alpha: 200 values, 188 safe and 12 unsafe; 8 disagreeing items give 16 ordered pairs:
    # 1 - (200 - 1) x 16 / (200^2 - 188^2 - 12^2).
    assert data["krippendorff_alpha"] == pytest.approx(1 - 199 * 16 / 4512, abs=1e-6)
    # AC1: pi_safe = (90 + 8 x 0.5) / 100 = .94, p_e = 2 x .94 x .06 / (2 - 1) = .1128,
    # AC1 = (.92 - .1128) / (1 - .1128) = .8072 / .8872.
    assert data["gwet_ac1"] == pytest.approx(0.8072 / 0.8872, abs=1e-6)
    assert data["cohen_kappa"] < 0.3 < 0.9 < data["gwet_ac1"]


# Two raters on a 1-3 scale: (1, 1), (1, 2), (3, 3), (2, 3).
SMALL = [(1, 1), (1, 2), (3, 3), (2, 3)]


def test_weighted_ac2_by_hand():
    counts = counts_of(SMALL, [1, 2, 3])
    # pi = (1.5, 1, 1.5) / 4, so sum pi (1 - pi) = 2 x .375 x .625 + .25 x .75 = .65625.
    spread = 0.65625
    # AC1: p_a = 2/4; p_e = .65625 / 2.
    assert gwet.ac(counts) == pytest.approx((0.5 - spread / 2) / (1 - spread / 2))
    # Quadratic: w = 1 - ((k - l) / 2)^2, so w(1,2) = w(2,3) = .75, w(1,3) = 0; T_w = 3 + 4 x .75 = 6.
    # p_a: agreeing items 1, the others (.75 + .75) / 2 = .75, mean .875; p_e = 6 / 6 x .65625.
    assert gwet.ac(counts, gwet.weights("quadratic", [1, 2, 3])) == pytest.approx((0.875 - spread) / (1 - spread))
    assert (0.875 - spread) / (1 - spread) == pytest.approx(7 / 11)
    # Ordinal: 1 - C(|k - l| + 1, 2) / C(3, 2): w(1,2) = 2/3, w(1,3) = 0; T_w = 3 + 8/3;
    # p_a = (1 + 2/3 + 1 + 2/3) / 4 = 5/6; p_e = (17/3) / 6 x .65625.
    pe = 17 / 18 * spread
    assert gwet.ac(counts, gwet.weights("ordinal", [1, 2, 3])) == pytest.approx((5 / 6 - pe) / (1 - pe))
    # Linear: w(1,2) = .5; p_a = (1 + .5 + 1 + .5) / 4 = .75; T_w = 3 + 4 x .5 = 5; p_e = 5/6 x .65625.
    pe = 5 / 6 * spread
    assert gwet.ac(counts, gwet.weights("linear", [1, 2, 3])) == pytest.approx((0.75 - pe) / (1 - pe))


@pytest.mark.parametrize("level, weights, expected", [
    ("ordinal", "ordinal", (5 / 6 - 17 / 18 * 0.65625) / (1 - 17 / 18 * 0.65625)),
    ("interval", "quadratic", 7 / 11),
])
def test_ac2_follows_the_level(tmp_path, level, weights, expected):
    export = write_long(tmp_path / "small.csv", SMALL)
    result = run_labelbook("agreement", str(export), "--level", level, "--format", "json", cwd=tmp_path)
    data = json.loads(result.stdout)
    assert data["gwet_weights"] == weights
    assert data["gwet_ac2"] == pytest.approx(expected, abs=1e-6)
    assert data["gwet_ac1"] == pytest.approx((0.5 - 0.328125) / (1 - 0.328125), abs=1e-6)
    text = run_labelbook("agreement", str(export), "--level", level, cwd=tmp_path).stdout
    assert f"ac2 {weights}" in text.splitlines()[1]


def test_ac1_not_computable_with_one_category_or_no_pair():
    assert gwet.ac(np.array([[2.0], [3.0]])) is None  # one category: no chance to disagree
    assert gwet.ac(np.array([[1.0, 0.0], [0.0, 1.0]])) is None  # no item rated twice


def test_ac1_per_label_is_one_against_the_rest(tmp_path):
    export = write_long(tmp_path / "raw4raters.csv", RAW4RATERS)
    data = json.loads(run_labelbook("agreement", str(export), "--format", "json", cwd=tmp_path).stdout)
    # Label 5 against the rest: subject 10 (three 5s) agrees; every other pairable
    # subject agrees on "rest": p_a = 1, so AC1 = 1 whatever p_e (pi_5 = 1/12).
    assert data["per_label"]["5"]["gwet_ac1"] == pytest.approx(1.0, abs=1e-6)
    # Label 4: subject 6 has one 4 of four ratings (pairs agreeing: 3 x 2 of 4 x 3 = .5),
    # subject 7 all four, the 9 others none: p_a = (10 + .5) / 11; pi_4 = (1/4 + 1) / 12.
    pa = (10 + 0.5) / 11
    pi = 1.25 / 12
    pe = 2 * pi * (1 - pi)
    assert data["per_label"]["4"]["gwet_ac1"] == pytest.approx((pa - pe) / (1 - pe), abs=1e-6)

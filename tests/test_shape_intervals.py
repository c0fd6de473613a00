"""Bootstrap intervals of the shapes' own coefficients: a rating export's ordinal and
interval alpha, Gwet's AC2 and weighted kappa per criterion; a preference export's
figures; a span export's token coefficients (the items resampled, each with its tokens);
criteria with a confidence judged on their bounds; `labelbook agreement --resamples/--seed`.

The bootstrap sums per-unit figures (intervals.py). Two independent checks: for any
resample (a count of draws per unit) those sums give what agreement.py and gwet.py compute
on the drawn data itself, built unit by unit; and the intervals agree with a plain item
bootstrap written here, up to the Monte Carlo error of 1,000 resamples.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from conftest import run_labelbook
from generator.metrics import acceptance as acc
from generator.metrics import agreement as ag
from generator.metrics import gwet
from generator.metrics import intervals as iv
from generator.metrics.preference import preference_report, read_preferences
from generator.metrics.rating import FIGURES, criterion_scopes, rating_report, read_scores
from generator.metrics.span_items import token_agreement
from generator.metrics.spans import bio_tags, read_spans
from generator.spec.acceptance import Criterion


def rating_export(path: Path, n_items: int, seed: int, spread: int = 1) -> Path:
    """Items with a true score 1-5; fluency scored by two raters, clarity by three, each score
    the truth moved by up to `spread` points; some scores missing."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_items):
        truth = int(rng.integers(1, 6))
        for criterion, raters in (("fluency", ("ann", "bob")), ("clarity", ("ann", "bob", "cy"))):
            for rater in raters:
                if rng.random() < 0.15:
                    continue
                score = int(np.clip(truth + rng.integers(-spread, spread + 1), 1, 5))
                rows.append((f"i{i:04d}", rater, criterion, score))
    pd.DataFrame(rows, columns=["item", "rater", "criterion", "label"]).to_csv(path, index=False)
    return path


def expanded(item: np.ndarray, draws: np.ndarray, *columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """The rows of a resample built as data: each row of a unit drawn k times appears k times,
    under k new unit numbers."""
    per_row = draws[item]
    rows = np.repeat(np.arange(len(item)), per_row)
    copy = np.arange(len(rows)) - np.repeat(np.cumsum(per_row) - per_row, per_row)  # 0..k-1 within a row's copies
    first_copy = np.cumsum(draws) - draws  # each unit's first new number
    return (first_copy[item[rows]] + copy, *(c[rows] for c in columns))


# --- rating: the algebra of any resample --------------------------------------------------------

def test_rating_figures_of_a_resample_equal_the_figures_of_the_drawn_data(tmp_path):
    s = read_scores(rating_export(tmp_path / "r.csv", 120, seed=4), "r.csv")
    report = rating_report(s, intervals=None)
    draws = np.random.default_rng(9).multinomial(len(s.items), np.full(len(s.items), 1 / len(s.items)))
    for k, name in enumerate(s.criteria):
        mine = s.criterion == k
        scopes = criterion_scopes(s.item[mine], s.rater[mine], s.score[mine], report.criteria[name])
        features, layouts = iv.stacked_features(list(scopes.values()), len(s.items), np.arange(len(s.items)))
        sums = draws[None, :].astype(float) @ features
        got = {key: iv.figures(sums[:, columns], layout, scope)
               for (key, scope), (columns, layout) in zip(scopes.items(), layouts)}
        # The drawn data itself: every score of an item drawn k times, k times, on new items.
        item, rater, score = expanded(s.item[mine], draws, s.rater[mine], s.score[mine])
        values, label = np.unique(score, return_inverse=True)
        _, unit = np.unique(item, return_inverse=True)
        counts = ag.count_matrix(unit, label, unit.max() + 1, len(values))
        assert got["ordinal"]["krippendorff_alpha"][0] == pytest.approx(ag.alpha(counts, "ordinal", values), abs=1e-12)
        assert got["interval"]["krippendorff_alpha"][0] == pytest.approx(ag.alpha(counts, "interval", values),
                                                                         abs=1e-12)
        assert got["ordinal"]["gwet_ac2"][0] == pytest.approx(gwet.ac(counts, gwet.weights("ordinal", values)),
                                                              abs=1e-12)
        assert got["interval"]["gwet_ac2"][0] == pytest.approx(gwet.ac(counts, gwet.weights("quadratic", values)),
                                                               abs=1e-12)
        assert got["ordinal"]["percent_agreement"][0] == pytest.approx(ag.nominal(counts)["percent_agreement"][0],
                                                                       abs=1e-12)
        if name == "fluency":  # two raters: weighted kappa on the items both scored
            first = pd.Series(score[rater == 0], index=item[rater == 0])
            second = pd.Series(score[rater == 1], index=item[rater == 1])
            both = first.index.intersection(second.index)
            for w in ("linear", "quadratic"):
                assert got[f"kappa {w}"]["cohen_kappa"][0] == pytest.approx(
                    ag.weighted_kappa(first[both].to_numpy(), second[both].to_numpy(), w), abs=1e-12)
        else:
            assert "kappa linear" not in scopes  # three raters: no weighted kappa


def test_rating_points_are_the_reported_figures(tmp_path):
    # Every item drawn once: the bootstrap's algebra gives the report's own figures.
    s = read_scores(rating_export(tmp_path / "r.csv", 80, seed=2), "r.csv")
    report = rating_report(s, intervals=None)
    for k, name in enumerate(s.criteria):
        mine = s.criterion == k
        c = report.criteria[name]
        scopes = criterion_scopes(s.item[mine], s.rater[mine], s.score[mine], c)
        figures = {key: iv.point_figures(scope) for key, scope in scopes.items()}
        assert figures["ordinal"]["krippendorff_alpha"][0] == pytest.approx(c.ordinal_alpha, abs=1e-12)
        assert figures["interval"]["gwet_ac2"][0] == pytest.approx(c.gwet_ac2["quadratic"], abs=1e-12)


# --- rating: against a plain bootstrap written here ---------------------------------------------

def test_rating_intervals_agree_with_a_plain_item_bootstrap(tmp_path):
    s = read_scores(rating_export(tmp_path / "r.csv", 200, seed=3), "r.csv")
    c = rating_report(s, iv.Settings(resamples=10_000)).criteria["fluency"]
    k = s.criteria.index("fluency")
    mine = s.criterion == k
    values, label = np.unique(s.score[mine], return_inverse=True)
    counts = ag.count_matrix(s.item[mine], label, len(s.items), len(values))
    rng = np.random.default_rng(12345)
    ordinal, interval = [], []
    for _ in range(4000):
        drawn = counts[rng.integers(0, len(counts), len(counts))]
        ordinal.append(ag.alpha(drawn, "ordinal", values))
        interval.append(ag.alpha(drawn, "interval", values))
    # The replicates' spread is about 0.034 here: the Monte Carlo error of a 2.5th or 97.5th
    # percentile is about 0.003 with 1,000 resamples, 0.0009 with 10,000 and 0.0014 with the
    # 4,000 drawn here; 0.01 is about 6 times the error of the difference.
    for name, plain in (("ordinal_alpha", ordinal), ("interval_alpha", interval)):
        low, high = c.bootstrap.interval(name, 0.95)
        assert (low, high) == pytest.approx(tuple(np.quantile(plain, [0.025, 0.975])), abs=0.01), name


def test_rating_interval_properties(tmp_path):
    small = rating_report(read_scores(rating_export(tmp_path / "small.csv", 40, seed=1), "small.csv"))
    large = rating_report(read_scores(rating_export(tmp_path / "large.csv", 640, seed=1), "large.csv"))
    for report in (small, large):
        for c in report.criteria.values():
            for name in FIGURES:
                value = c.figure(name)
                if value is None:
                    assert c.bootstrap.interval(name, 0.95) is None
                    continue
                low, high = c.bootstrap.interval(name, 0.95)
                assert low <= value <= high, name
                assert len(c.bootstrap.replicates[name]) == iv.DEFAULT_RESAMPLES
    # 16 times the items: about 4 times narrower (the square root), at least twice.
    for criterion in ("fluency", "clarity"):
        for name in ("ordinal_alpha", "interval_alpha", "gwet_ac2_ordinal"):
            wide = np.diff(small.criteria[criterion].bootstrap.interval(name, 0.95))[0]
            narrow = np.diff(large.criteria[criterion].bootstrap.interval(name, 0.95))[0]
            assert narrow < wide / 2, (criterion, name)


def test_rating_overall_mean_is_judged_on_the_mean_of_the_resamples(tmp_path):
    s = read_scores(rating_export(tmp_path / "r.csv", 60, seed=7, spread=2), "r.csv")
    report = rating_report(s)
    q = SimpleNamespace(judgment_report=report, judgments={"criteria": ["fluency", "clarity"], "points": {}},
                        notes={}, spans=None)
    fluency, clarity = report.criteria["fluency"], report.criteria["clarity"]
    # Both criteria were measured on the same drawn items: the mean's replicates are the
    # replicates' means, and its 95% lower bound their 5th percentile.
    means = (fluency.bootstrap.replicates["ordinal_alpha"] + clarity.bootstrap.replicates["ordinal_alpha"]) / 2
    lower = float(np.quantile(means[np.isfinite(means)], 0.05))
    mean = (fluency.ordinal_alpha + clarity.ordinal_alpha) / 2
    assert lower < mean
    between = (lower + mean) / 2

    def judged(threshold, confidence=0.95, **extra):
        c = Criterion(id="c", level="release", description="x", metric="ordinal_alpha", comparator=">=",
                      threshold=threshold, confidence=confidence, **extra)
        return acc.evaluate_one(c, q).rows

    row = judged(between)[0]
    assert (row.value, row.bound, row.status) == (pytest.approx(mean), pytest.approx(lower), acc.FAIL)
    assert row.note == ("mean of 2 criteria (fluency, clarity); bound: the 5th percentile of 1,000 bootstrap "
                        "resamples of the items")
    assert judged(between, confidence=None)[0].status == acc.PASS  # the value itself passes
    assert judged(lower - 0.01)[0].status == acc.PASS
    # Per criterion: each criterion's own bound.
    rows = judged(-1.0, scope="per-label")
    assert [(r.scope, r.bound) for r in rows] == [
        ("criterion fluency", pytest.approx(fluency.bootstrap.bound("ordinal_alpha", 0.95, upper=False))),
        ("criterion clarity", pytest.approx(clarity.bootstrap.bound("ordinal_alpha", 0.95, upper=False)))]
    assert {r.status for r in rows} == {acc.PASS}
    # Weighted kappa (fluency only: two raters); "<=" takes the 95th percentile.
    kappa = Criterion(id="k", level="release", description="x", metric="weighted_kappa_quadratic", comparator="<=",
                      threshold=1.0, confidence=0.95, scope="per-label", labels=["fluency"])
    row = acc.evaluate_one(kappa, q).rows[0]
    replicates = fluency.bootstrap.replicates["weighted_kappa_quadratic"]
    assert row.bound == pytest.approx(float(np.quantile(replicates[np.isfinite(replicates)], 0.95)))
    assert row.status == acc.PASS


# --- gwet's AC2 on a rating export, by hand --------------------------------------------------------

def test_rating_ac2_by_hand(tmp_path):
    # ann 1 2 3 4, bob 1 3 3 2 (as in test_rating_agreement). Ordinal weights (Gwet): 1 - s(s-1)/2 / 6
    # for s = rank distance + 1: distance 0: 1, 1: 5/6, 2: 1/2, 3: 0. Per item sum_k r_k (r*_k - 1) / 2:
    # i1 (1, 1): 1; i2 (2, 3): 5/6; i3: 1; i4 (4, 2): 1/2 -> p_a = (10/3) / 4 = 5/6. Category shares
    # pi = 1/4, 1/4, 3/8, 1/8: sum pi (1 - pi) = 23/32; the weights sum to 4 + 6 x 5/6 + 4 x 1/2 = 11,
    # p_e = 11 / 12 x 23/32 = 253/384; AC2 = (5/6 - 253/384) / (1 - 253/384) = 67/131.
    # Quadratic weights 1 - (d/3)^2: 1, 8/9, 5/9, 0: p_a = (1 + 8/9 + 1 + 5/9) / 4 = 31/36; the weights
    # sum to 104/9, p_e = 104/108 x 23/32 = 299/432; AC2 = (31/36 - 299/432) / (133/432) = 73/133.
    path = tmp_path / "s.csv"
    path.write_text("item,rater,criterion,label\n" + "".join(
        f"i{k + 1},{rater},fluency,{score}\n" for rater, scores in (("ann", [1, 2, 3, 4]), ("bob", [1, 3, 3, 2]))
        for k, score in enumerate(scores)))
    c = rating_report(read_scores(path, "s.csv")).criteria["fluency"]
    assert c.gwet_ac2 == {"ordinal": pytest.approx(67 / 131), "quadratic": pytest.approx(73 / 133)}


# --- preference -------------------------------------------------------------------------------------

def preference_export(path: Path, n_pairs: int, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_pairs):
        truth = int(rng.integers(-2, 3))
        for rater in ("a", "b", "c"):
            if rng.random() < 0.2:
                continue
            shown = "A" if rng.random() < 0.5 else "B"
            answer = int(np.clip(truth + rng.integers(-1, 2), -2, 2))
            rows.append((f"q{i}", rater, str(answer if shown == "A" else -answer), shown))
    pd.DataFrame(rows, columns=["item", "rater", "label", "shown_first"]).to_csv(path, index=False)
    return path


def test_preference_figures_of_a_resample_equal_the_figures_of_the_drawn_data(tmp_path):
    p = read_preferences(preference_export(tmp_path / "p.csv", 150, seed=5), "p.csv")
    report = preference_report(p)
    values = [float(c) for c in report.labels]
    # Each rater's answer about the responses: the label, its sign turned where B was shown first.
    answer = np.array([float(label) * (1 if shown == "A" else -1) for label, shown in zip(p.label, p.shown_first)])
    code = np.searchsorted(values, answer)
    counts = ag.count_matrix(p.unit, code, len(p.units), len(values))
    nominal = iv.Scope(ag.Coefficients(report.items, report.raters, 0, percent_agreement=0.0,
                                       krippendorff_alpha=0.0), counts)
    ordinal = iv.Scope(ag.Coefficients(report.items, report.raters, 0, krippendorff_alpha=0.0), counts,
                       level="ordinal", values=np.array(values))
    draws = np.random.default_rng(3).multinomial(len(p.units), np.full(len(p.units), 1 / len(p.units)))
    features, layouts = iv.stacked_features([nominal, ordinal], len(p.units), np.arange(len(p.units)))
    sums = draws[None, :].astype(float) @ features
    got = [iv.figures(sums[:, columns], layout, scope) for scope, (columns, layout) in zip([nominal, ordinal],
                                                                                           layouts)]
    unit, label = expanded(p.unit, draws, code)
    _, unit = np.unique(unit, return_inverse=True)
    drawn = ag.count_matrix(unit, label, unit.max() + 1, len(values))
    assert got[0]["krippendorff_alpha"][0] == pytest.approx(ag.alpha(drawn), abs=1e-12)
    assert got[1]["krippendorff_alpha"][0] == pytest.approx(ag.alpha(drawn, "ordinal", values), abs=1e-12)
    # And the report's intervals surround its figures.
    for name in ("percent_agreement", "krippendorff_alpha", "ordinal_alpha"):
        low, high = report.bootstrap.interval(name, 0.95)
        assert low <= getattr(report, name) <= high, name


def test_preference_cli_shows_the_intervals(tmp_path):
    preference_export(tmp_path / "p.csv", 80, seed=6)
    data = json.loads(run_labelbook("agreement", "p.csv", "--format", "json", cwd=tmp_path).stdout)
    assert set(data["intervals"]) == {"percent_agreement", "krippendorff_alpha", "ordinal_alpha"}
    assert data["bootstrap"] == {"method": "percentile bootstrap, items resampled with replacement",
                                 "confidence": 0.95, "resamples": 1000, "seed": 2007}
    for name, (low, high) in data["intervals"].items():
        assert low <= data[name] <= high
    text = run_labelbook("agreement", "p.csv", cwd=tmp_path).stdout.splitlines()
    assert text[3].split() == [f"{data['intervals']['percent_agreement'][0] * 100:.1f}%.."
                               f"{data['intervals']['percent_agreement'][1] * 100:.1f}%",
                               f"{data['intervals']['krippendorff_alpha'][0]:.3f}.."
                               f"{data['intervals']['krippendorff_alpha'][1]:.3f}",
                               f"{data['intervals']['ordinal_alpha'][0]:.3f}..{data['intervals']['ordinal_alpha'][1]:.3f}"]
    assert text[4] == "under each figure: its 95% bootstrap interval (1,000 resamples of the items, seed 2007)"


# --- span tokens: the items resampled, each with all its tokens -----------------------------------

def span_export(path: Path, n_docs: int, seed: int) -> Path:
    """Documents of 12 tokens with one PER span of 3 tokens, marked by rater a; rater b marks
    it too on 70% of the documents and nothing on the others: the tokens of one document
    agree or disagree together."""
    rng = np.random.default_rng(seed)
    text = "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 wa wb"
    rows = []
    for d in range(n_docs):
        start = 3 * int(rng.integers(0, 4))
        span = (start, start + 8)  # three tokens of "wN " (3 characters each), the last without its space
        rows.append((f"d{d}", "a", span[0], span[1], "PER", text))
        if rng.random() < 0.7:
            rows.append((f"d{d}", "b", span[0], span[1], "PER", text))
        else:
            rows.append((f"d{d}", "b", "", "", "", text))
    pd.DataFrame(rows, columns=["item", "rater", "start", "end", "label", "text"]).to_csv(path, index=False)
    return path


def test_token_figures_of_a_resample_of_items_equal_the_figures_of_the_drawn_tokens(tmp_path, monkeypatch):
    s = read_spans(span_export(tmp_path / "s.csv", 60, seed=1), "s.csv")
    tok_item, tags, names, _ = bio_tags(s)
    unit, rater = np.nonzero(tags >= 0)
    counts = ag.count_matrix(unit, tags[unit, rater], len(tok_item), len(names))
    scope = iv.Scope(ag.Coefficients(0, 2, 0, percent_agreement=0.0, krippendorff_alpha=0.0, cohen_kappa=0.0),
                     counts, codes=(tags[:, 0], tags[:, 1]))
    _, documents = np.unique(tok_item, return_inverse=True)
    features, layouts = iv._cluster_features([scope], len(tok_item), documents)
    # Summed a few tokens at a time (as a large export is), the items' sums are the same.
    monkeypatch.setattr(iv, "CELLS_PER_BLOCK", 7 * features.shape[1])
    assert np.allclose(iv._cluster_features([scope], len(tok_item), documents)[0], features, rtol=0, atol=1e-9)
    draws = np.random.default_rng(8).multinomial(len(features), np.full(len(features), 1 / len(features)))
    got = iv.figures(draws[None, :].astype(float) @ features, layouts[0][1], scope)
    # The drawn tokens: every token of a document drawn k times, k times.
    token = np.repeat(np.arange(len(tok_item)), draws[documents])
    drawn_counts = counts[token]
    assert got["krippendorff_alpha"][0] == pytest.approx(ag.alpha(drawn_counts), abs=1e-12)
    assert got["cohen_kappa"][0] == pytest.approx(ag.cohen(tags[token, 0], tags[token, 1], len(names)), abs=1e-12)


def test_token_intervals_resample_documents_not_tokens(tmp_path):
    # When a document's tokens agree or disagree together, resampling tokens one by one would
    # treat 12 tokens as 12 independent units: the items' interval is much wider.
    s = read_spans(span_export(tmp_path / "s.csv", 80, seed=2), "s.csv")
    report, _ = token_agreement(s, {})
    low, high = report.overall.interval("krippendorff_alpha", 0.95)
    assert low <= report.overall.krippendorff_alpha <= high
    tok_item, tags, names, _ = bio_tags(s)
    unit, rater = np.nonzero(tags >= 0)
    counts = ag.count_matrix(unit, tags[unit, rater], len(tok_item), len(names))
    tokens = iv.Scope(ag.Coefficients(0, 2, 0, krippendorff_alpha=0.0), counts)
    iv.bootstrap_units([tokens], len(tok_item))  # the tokens as units, for comparison
    token_low, token_high = tokens.coefficients.interval("krippendorff_alpha", 0.95)
    assert high - low > 1.5 * (token_high - token_low)


def test_span_cli_token_intervals(tmp_path):
    span_export(tmp_path / "s.csv", 40, seed=3)
    result = run_labelbook("agreement", "s.csv", "--format", "json", cwd=tmp_path)
    bio = json.loads(result.stdout)["token_bio"]
    assert set(bio["intervals"]) == {"percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha"}
    assert bio["bootstrap"]["method"] == "percentile bootstrap, items (each with all its tokens) resampled with " \
                                         "replacement"
    for name, (low, high) in bio["intervals"].items():
        assert low <= bio[name] <= high, name
    text = run_labelbook("agreement", "s.csv", cwd=tmp_path).stdout
    assert "  (1,000 resamples of the items, each with all its tokens; seed 2007)\n" in text
    k = bio["intervals"]["cohen_kappa"]
    assert f"cohen {k[0]:.3f}..{k[1]:.3f}" in text


def test_token_criterion_with_confidence_is_judged_on_its_bound(tmp_path):
    s = read_spans(span_export(tmp_path / "s.csv", 60, seed=4), "s.csv")
    report, _ = token_agreement(s, {})
    q = SimpleNamespace(agreement=report, spans={}, taxonomy=["PER"])
    c = Criterion(id="c", level="release", description="x", metric="krippendorff_alpha", comparator=">=",
                  threshold=-1.0, confidence=0.9)
    row = acc.evaluate_one(c, q).rows[0]
    assert row.status == acc.PASS
    assert row.bound == pytest.approx(report.overall.bound("krippendorff_alpha", 0.9, upper=False))
    assert row.note == "bound: the 10th percentile of 1,000 bootstrap resamples of the items"


# --- labelbook agreement --resamples --seed -------------------------------------------------------

def test_resamples_and_seed_flags(tmp_path):
    rating_export(tmp_path / "r.csv", 50, seed=1)
    default = run_labelbook("agreement", "r.csv", "--format", "json", cwd=tmp_path)
    again = run_labelbook("agreement", "r.csv", "--format", "json", cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    assert default.stdout == again.stdout  # the same data and settings: the same bytes
    chosen = run_labelbook("agreement", "r.csv", "--format", "json", "--resamples", "200", "--seed", "11",
                           cwd=tmp_path)
    data = json.loads(chosen.stdout)
    assert data["bootstrap"] == {"method": "percentile bootstrap, items resampled with replacement",
                                 "confidence": 0.95, "resamples": 200, "seed": 11}
    assert data["criteria"]["fluency"]["intervals"] != json.loads(default.stdout)["criteria"]["fluency"]["intervals"]
    # --seed alone changes the draws; the default seed given explicitly does not.
    explicit = run_labelbook("agreement", "r.csv", "--format", "json", "--seed", "2007", "--resamples", "1000",
                             cwd=tmp_path)
    assert explicit.stdout == default.stdout
    text = run_labelbook("agreement", "r.csv", "--resamples", "200", "--seed", "11", cwd=tmp_path).stdout
    assert "under each figure: its 95% bootstrap interval (200 resamples of the items, seed 11)\n" in text
    # The flags reach a single-label export's intervals too.
    (tmp_path / "l.csv").write_text("item,rater,label\n" + "".join(f"i{i},a,x\ni{i},b,{'x' if i % 3 else 'y'}\n"
                                                                  for i in range(30)))
    label = json.loads(run_labelbook("agreement", "l.csv", "--format", "json", "--resamples", "300", "--seed", "5",
                                     cwd=tmp_path).stdout)
    assert (label["bootstrap"]["resamples"], label["bootstrap"]["seed"]) == (300, 5)


RESAMPLES_HINT = "hint: leave --resamples out for 1,000, or pass more for steadier bounds, e.g. --resamples 10000"
SEED_HINT = "hint: leave --seed out for 2007; the same seed and data give the same intervals"


@pytest.mark.parametrize("flags, error, hint", [
    (["--resamples", "0"], "error: --resamples 0: the number of bootstrap resamples is a whole number from 1 to "
                           "100,000", RESAMPLES_HINT),
    (["--resamples", "ten"], "error: --resamples ten: the number of bootstrap resamples is a whole number from 1 to "
                             "100,000", RESAMPLES_HINT),
    (["--resamples", "100001"], "error: --resamples 100001: the number of bootstrap resamples is a whole number "
                                "from 1 to 100,000", RESAMPLES_HINT),
    (["--seed=-1"], "error: --seed -1: the seed is a whole number, 0 or more (below 2^63)", SEED_HINT),
    (["--seed", "1.5"], "error: --seed 1.5: the seed is a whole number, 0 or more (below 2^63)", SEED_HINT),
])
def test_bad_bootstrap_flags_are_one_clear_error(tmp_path, flags, error, hint):
    rating_export(tmp_path / "r.csv", 5, seed=1)
    result = run_labelbook("agreement", "r.csv", *flags, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [error, hint]

"""A token-tagging export's intervals draw whole documents (compute.agreement_report's
documents): its items are tokens (`doc3:7`), and the tokens of one document are not
independent units."""

from __future__ import annotations

import numpy as np
import pandas as pd

from generator.metrics.compute import agreement_report
from generator.metrics.read import read_ratings


def export(tmp_path, copies: int, documents: int = 40, seed: int = 11):
    """Three raters tag `copies` tokens per document; with copies > 1 every token of a
    document is tagged as its first one is: the tokens of a document agree or disagree
    together, the strongest dependence there is."""
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(documents):
        truth = int(rng.integers(0, 3))
        tags = {rater: truth if rng.random() < 0.75 else int(rng.integers(0, 3)) for rater in ("r1", "r2", "r3")}
        for t in range(copies):
            rows += [(f"doc{d}:{t}", rater, f"tag{tag}") for rater, tag in tags.items()]
    path = tmp_path / "tokens.csv"
    pd.DataFrame(rows, columns=["item", "rater", "label"]).to_csv(path, index=False)
    ratings = read_ratings(path, "tokens.csv")
    names = pd.Series(ratings.items.astype(str)).str.replace(r":[^:]*$", "", regex=True)
    return ratings, pd.factorize(names, sort=False)[0].astype(np.int64)


def figures(value):
    """The report as JSON without its intervals and bootstrap settings, at every depth."""
    if isinstance(value, dict):
        return {k: figures(v) for k, v in value.items() if k not in ("intervals", "bootstrap")}
    if isinstance(value, list):
        return [figures(v) for v in value]
    return value


def width(report, name: str = "krippendorff_alpha") -> float:
    low, high = report.as_dict()["intervals"][name]
    return high - low


def test_documents_change_the_intervals_not_the_figures(tmp_path):
    ratings, documents = export(tmp_path, copies=8)
    by_token, by_document = agreement_report(ratings), agreement_report(ratings, documents=documents)
    assert figures(by_token.as_dict()) == figures(by_document.as_dict())
    per_label = by_token.as_dict()["per_label"]["tag0"], by_document.as_dict()["per_label"]["tag0"]
    assert per_label[0]["intervals"] != per_label[1]["intervals"]
    # 8 copies of each document: drawing tokens one by one counts every document 8 times
    # over, so its interval is about sqrt(8) = 2.8 times too narrow.
    for name in ("percent_agreement", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1"):
        assert width(by_document, name) > 2 * width(by_token, name), name
    # The same document-level export with one token per document: the same interval, up to
    # the bootstrap's own noise (both draw 40 documents, 1,000 times).
    single, single_documents = export(tmp_path, copies=1)
    one = agreement_report(single, documents=single_documents)
    assert abs(width(one) - width(by_document)) < 0.25 * width(one)


def test_one_item_per_document_is_the_item_bootstrap(tmp_path):
    ratings, _ = export(tmp_path, copies=1, documents=300)
    items = agreement_report(ratings).as_dict()["intervals"]
    drawn_alone = agreement_report(ratings, documents=np.arange(ratings.n_items)).as_dict()["intervals"]
    for name, (low, high) in items.items():
        assert abs(drawn_alone[name][0] - low) < 0.02 and abs(drawn_alone[name][1] - high) < 0.02, name


def test_the_same_export_gives_the_same_intervals(tmp_path):
    ratings, documents = export(tmp_path, copies=5)
    assert (agreement_report(ratings, documents=documents).as_dict()
            == agreement_report(ratings, documents=documents).as_dict())

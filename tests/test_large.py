"""Agreement aggregated in DuckDB (large.py) against the in-memory path: the same report,
the same messages, the same command output."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import REPO
from generator.metrics import agreement as ag
from generator.metrics import commands
from generator.metrics.compute import agreement_report
from generator.metrics.intervals import Settings
from generator.metrics.read import DataError, read_ratings

pytest.importorskip("duckdb")
from generator.metrics.large import is_large, large_agreement, run_large  # noqa: E402

FEW = Settings(resamples=200)  # the same bootstrap on both paths, cheaper than the default


def in_memory(path: Path, slices: tuple[str, ...], level: str = "nominal", intervals: Settings | None = FEW) -> dict:
    r = read_ratings(path, path.name, columns=slices)
    return agreement_report(r, level=level, slices=slices, intervals=intervals).as_dict()


def aggregated(path: Path, slices: tuple[str, ...], level: str = "nominal", intervals: Settings | None = FEW) -> dict:
    report, _ = large_agreement(path, path.name, level=level, slices=slices, intervals=intervals)
    return report.as_dict()


def test_the_example_export_gives_the_same_report():
    path = REPO / "specs/content-safety/data/annotations.parquet"
    slices = ("language", "surface", "source")
    ours = aggregated(path, slices)
    assert ours == in_memory(path, slices)
    assert ours["items"] > 0 and ours["per_slice"]["language"] and ours["disputed"][0]["text"]


def synthetic(n_items: int, raters: list[str], seed: int = 7) -> pd.DataFrame:
    """Items rated by a random subset of raters (some by one only), labels 1 to 4 with
    agreement around a true value, a slice with empty cells, texts, and rows without a
    label (left out by both paths)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in rng.permutation(n_items):
        true = int(rng.integers(1, 5))
        for rater in rng.choice(raters, size=int(rng.integers(1, len(raters) + 1)), replace=False):
            label = true if rng.random() < 0.7 else int(rng.integers(1, 5))
            missing = rng.random() < 0.02
            rows.append({"item": f"it-{i:05d}", "rater": str(rater), "label": None if missing else str(label),
                         "region": [None, "north", "south", "Éire"][int(rng.integers(0, 4))],
                         "text": f"text of item {i} <b>{i % 7}</b>"})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("raters", [["ann", "bob"], ["r1", "r2", "r3", "r4", "r5"]])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_synthetic_export_gives_the_same_report(tmp_path, raters, suffix):
    frame = synthetic(400, raters)
    path = tmp_path / f"export{suffix}"
    frame.to_csv(path, index=False) if suffix == ".csv" else frame.to_parquet(path, index=False)
    for level in ("nominal", "ordinal", "interval"):
        assert aggregated(path, ("region",), level) == in_memory(path, ("region",), level), level


def test_the_command_prints_the_same(tmp_path, capsys):
    frame = synthetic(150, ["ann", "bob", "cyd"])
    path = tmp_path / "export.parquet"
    frame.to_parquet(path, index=False)
    assert not is_large(path, None, None)  # 150 items: read in memory by default
    assert is_large(path, None, None, rows=10) and not is_large(path, "|", None, rows=10)
    for fmt in ("text", "json"):
        status = commands.run_agreement(str(path), "nominal", fmt, ["region"], None)
        expected = capsys.readouterr().out
        assert run_large(path, commands.display_path(path), "nominal", fmt, ["region"]) == status == 0
        assert capsys.readouterr().out == expected
    assert json.loads(expected)["items"] > 0


@pytest.mark.parametrize("content, message", [
    ("item,rater,label\n", "export.csv: the file has a header but no ratings"),
    ("item,rater,lable\n1,a,x\n", "export.csv: missing column 'label'; did you mean 'lable'?"),
    ("item,rater,label\n1,a,x\n,b,y\n,c,y\n", "export.csv:3: empty 'item' (2 rows in all)"),
    ("item,rater,label\n1,a,\n2,b,\n", "export.csv: no rating has a label"),
    ("item,rater,label\n1,a,x\n1,b,y\n1,a,y\n",
     "export.csv:4: rater 'a' rated item '1' twice (first on line 2); 1 duplicate (item, rater) row in all"),
])
def test_the_same_messages(tmp_path, content, message):
    path = tmp_path / "export.csv"
    path.write_text(content)
    with pytest.raises(DataError) as memory:
        read_ratings(path, "export.csv")
    with pytest.raises(DataError) as duck:
        large_agreement(path, "export.csv")
    assert duck.value.message == memory.value.message == message
    assert duck.value.hint == memory.value.hint


def test_patterns_give_the_figures_of_the_items():
    # Each coefficient on the distinct count vectors weighted by how many items have them
    # equals the coefficient on the items, every item its own row.
    rng = np.random.default_rng(3)
    counts = rng.multinomial(3, [0.5, 0.2, 0.2, 0.1], size=500).astype(float)
    counts[:40, :] = 0
    counts[:40, 1] = 1  # single ratings: in Gwet's shares, not in the pairs
    rows, times = np.unique(counts, axis=0, return_counts=True)
    assert len(rows) < 30
    values = [1.0, 2.0, 3.0, 5.0]
    for level in ("nominal", "ordinal", "interval"):
        items = ag.coefficients(counts, raters=3, level=level, values=values)
        patterns = ag.coefficients(rows, raters=3, level=level, values=values, multiplicity=times)
        assert (patterns.items, patterns.ratings) == (items.items, items.ratings) == (460, 1380)
        for name in ag.COEFFICIENTS:
            expected = getattr(items, name)
            assert getattr(patterns, name) == (None if expected is None else pytest.approx(expected, abs=1e-12))
    assert (ag.pair_table(rows, times) == ag.pair_table(counts)).all()
    first, second = rng.integers(0, 3, 300), rng.integers(0, 3, 300)
    table = np.bincount(first * 3 + second, minlength=9).reshape(3, 3)
    assert ag.cohen_table(table) == ag.cohen(first, second, 3)


def test_the_large_path_intervals_are_reproducible_and_cover_the_figures(tmp_path):
    # Both paths draw patterns (intervals.bootstrap_patterns), so their intervals agree too.
    frame = synthetic(300, ["ann", "bob"], seed=11)
    path = tmp_path / "export.parquet"
    frame.to_parquet(path, index=False)
    ours = aggregated(path, ("region",), "ordinal")
    assert ours == aggregated(path, ("region",), "ordinal") == in_memory(path, ("region",), "ordinal")
    assert set(ours["intervals"]) == {"percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha",
                                      "gwet_ac1", "gwet_ac2"}
    for name, (low, high) in ours["intervals"].items():
        assert low <= ours[name] <= high, name
    other = aggregated(path, ("region",), "ordinal", intervals=Settings(resamples=200, seed=8))
    assert other["intervals"] != ours["intervals"]


def test_a_duplicate_in_a_parquet_export(tmp_path):
    path = tmp_path / "export.parquet"
    pd.DataFrame({"item": ["1", "1", "2", "1"], "rater": ["a", "b", "a", "a"],
                  "label": ["x", "y", "x", "y"]}).to_parquet(path, index=False)
    with pytest.raises(DataError) as memory:
        read_ratings(path, "export.parquet")
    with pytest.raises(DataError) as duck:
        large_agreement(path, "export.parquet")
    assert duck.value.message == memory.value.message == (
        "export.parquet: row 4: rater 'a' rated item '1' twice (first on row 1); 1 duplicate (item, rater) row in all")


@pytest.mark.parametrize("bit_raters", [62 * 8, 10])  # in 62-bit words; counted distinct beyond
def test_a_duplicate_among_many_raters(tmp_path, monkeypatch, bit_raters):
    import generator.metrics.large as large

    monkeypatch.setattr(large, "BIT_RATERS", bit_raters)
    rows = [f"{i},r{r:03d},x" for i in range(3) for r in range(130)]  # 130 raters: three words of bits
    path = tmp_path / "export.csv"
    path.write_text("item,rater,label\n" + "\n".join(rows) + "\n")
    assert aggregated(path, (), intervals=None)["percent_agreement"] == 1.0
    path.write_text("item,rater,label\n" + "\n".join(rows + ["2,r127,y"]) + "\n")
    with pytest.raises(DataError) as duck:
        large_agreement(path, "export.csv")
    assert duck.value.message == ("export.csv:392: rater 'r127' rated item '2' twice (first on line 389); "
                                  "1 duplicate (item, rater) row in all")

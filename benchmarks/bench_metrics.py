"""Benchmark: reading a 1,000,000-rating export against computing every quality figure.

    .venv/bin/python benchmarks/bench_metrics.py [--items 100000] [--raters 10]

Writes a synthetic CSV export (100,000 items x 10 raters, 3 language slices, splits,
entities, texts, a gold subset) and an audit file, then times in one run: (a) reading it
with pandas (`pd.read_csv`, default engine), (b) labelbook's reader (pyarrow engine, coded
ids), (c) computing every figure of the datasheet (agreement overall, per label, per
slice, gold, distributions, coverage, defects, leakage, readiness) and evaluating the
content-safety acceptance criteria. Aim: (c) at most 2x (a); peak memory under 2 GB.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.load import load_guidelines  # noqa: E402
from generator.metrics.acceptance import evaluate  # noqa: E402
from generator.metrics.quality import compute_quality  # noqa: E402
from generator.metrics.read import read_audit, read_ratings  # noqa: E402

LABELS = np.array(["hate_speech", "harassment", "profanity", "reported_offense", "safe", "not_enough_info"])


def write_export(folder: Path, n_items: int, n_raters: int) -> tuple[Path, Path]:
    rng = np.random.default_rng(1)
    true = rng.choice(len(LABELS), n_items, p=[0.08, 0.15, 0.15, 0.05, 0.54, 0.03])
    item = np.repeat(np.arange(n_items), n_raters)
    label = np.where(rng.random(n_items * n_raters) < 0.8, np.repeat(true, n_raters),
                     rng.integers(0, len(LABELS), n_items * n_raters))
    entity = rng.integers(0, n_items // 3, n_items)
    split = np.array(["train", "dev", "test"])[entity % 10 // 8 + (entity % 10 == 9)]
    names = pd.Series(np.arange(n_items)).map("i{:07d}".format).to_numpy()
    frame = pd.DataFrame({
        "item": names[item], "rater": pd.Series(np.tile(np.arange(n_raters), n_items)).map("r{:02d}".format),
        "label": LABELS[label],
        "language": np.array(["en", "es", "pt"])[rng.integers(0, 3, n_items)][item],
        "source": "platform-public", "split": split[item],
        "entity": pd.Series(entity).map("u{:06d}".format).to_numpy()[item],
        "text": pd.Series(rng.integers(0, n_items * 4, n_items)).map("post number {} about the match".format)
        .to_numpy()[item],
        "gold": np.where(np.repeat(rng.random(n_items) < 0.05, n_raters), LABELS[np.repeat(true, n_raters)], ""),
    })
    export = folder / "ratings.csv"
    frame.to_csv(export, index=False)
    audit = folder / "audit.csv"
    audited = rng.choice(n_items, 2000, replace=False)
    pd.DataFrame({"item": names[audited], "error_category": np.where(rng.random(2000) < 0.03, "boundary", ""),
                  "severity": ""}).assign(severity=lambda f: np.where(f.error_category != "", "major", "")) \
        .to_csv(audit, index=False)
    return export, audit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--raters", type=int, default=10)
    args = parser.parse_args()
    guideline = next(g for g in load_guidelines([ROOT / "specs"]).guidelines if g.id == "content-safety")
    # The example guideline, its data section pointed at this export's columns.
    data = guideline.datasheet.data.model_copy(update={"slices": ["language", "split", "source"],
                                                       "required": ["language", "source", "split"]})
    guideline = dataclasses.replace(guideline, datasheet=guideline.datasheet.model_copy(update={"data": data}))
    with tempfile.TemporaryDirectory() as tmp:
        export, audit_path = write_export(Path(tmp), args.items, args.raters)
        size = export.stat().st_size
        print(f"export: {args.items:,} items x {args.raters} raters = {args.items * args.raters:,} ratings, "
              f"{size / 1e6:.0f} MB CSV")
        started = time.perf_counter()
        pd.read_csv(export)
        pandas_read = time.perf_counter() - started

        started = time.perf_counter()
        ratings = read_ratings(export, "ratings.csv", columns=("language", "split", "source"))
        audit = read_audit(audit_path, "audit.csv", categories={"boundary": "boundary"})
        our_read = time.perf_counter() - started

        started = time.perf_counter()
        quality = compute_quality(guideline, ratings, audit)
        results = evaluate(guideline.acceptance.criteria, quality)
        compute = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"pd.read_csv (default engine):         {pandas_read:6.2f} s")
    print(f"labelbook read (pyarrow, coded ids):  {our_read:6.2f} s")
    print(f"compute every figure + {len(results)} criteria:  {compute:6.2f} s   "
          f"({compute / pandas_read:.2f}x the pandas read; aim <= 2x)")
    print(f"alpha {quality.agreement.overall.krippendorff_alpha:.3f} on {quality.agreement.overall.items:,} items; "
          f"peak memory {peak:,.0f} MB (aim < 2,048 MB)")


if __name__ == "__main__":
    main()

"""Benchmark: reading a 1,000,000-rating export against computing every quality figure.

    .venv/bin/python benchmarks/bench_metrics.py [--items 100000] [--raters 10]

Writes a synthetic CSV export (100,000 items x 10 raters, 3 language slices, splits,
entities, texts, a gold subset) and an audit file, then times in one run: (a) reading it
with pandas (`pd.read_csv`, default engine), (b) labelbook's reader (pyarrow engine, coded
ids), (c) computing every figure of the datasheet (agreement overall, per label, per
slice, gold, distributions, coverage, defects, leakage, readiness) and evaluating the
content-safety acceptance criteria. Aim: (c) at most 2x (a); peak memory under 2 GB.
(d) then times the agreement report (overall, per label, per slice) with and without its
bootstrap intervals (1,000 resamples of the items): the intervals' own cost.

    .venv/bin/python benchmarks/bench_metrics.py --large [--large-items 10000000]

instead measures `labelbook agreement` on an export larger than memory: a Parquet file of
30,000,000 ratings (10,000,000 items x 3 of 50 raters, 6 labels), written once by DuckDB
into the system's temporary folder (labelbook-bench/) and kept there for the next run. The
command (every figure, with its bootstrap intervals: DuckDB groups the items into patterns,
so the intervals draw a few hundred patterns, not ten million items) runs in a child
process; its peak memory (ru_maxrss) and time are printed against DuckDB's own scan of the
file (count of rows and of distinct items). Aims: under 2 GB, and within 3x the scan.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import subprocess
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
from generator.metrics.compute import agreement_report  # noqa: E402
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


LARGE_RATERS_PER_ITEM, LARGE_RATER_POOL = 3, 50


def write_large_export(path: Path, n_items: int) -> None:
    """n_items x 3 ratings, generated inside DuckDB and streamed to Parquet (never in
    Python memory). Item i's true label is a fixed scramble of i; each of its raters (3
    distinct raters of 50) gives it with probability 0.8, else a label drawn from (i, j)."""
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    labels = ", ".join(f"'{v}'" for v in LABELS)
    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    con.execute(f"""
        COPY (
            SELECT 'i' || lpad(CAST(i AS VARCHAR), 8, '0') AS item,
                   'r' || lpad(CAST((i + j * 17) % {LARGE_RATER_POOL} AS VARCHAR), 2, '0') AS rater,
                   ([{labels}])[1 + CASE WHEN (i * 31 + j * 17) % 10 < 8 THEN (i * 2654435761) % 6
                                         ELSE (i * 7 + j * 13) % 6 END] AS label
            FROM range({n_items}) AS items(i), range({LARGE_RATERS_PER_ITEM}) AS raters(j)
            ORDER BY i, j
        ) TO '{partial}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)""")
    con.close()
    partial.replace(path)


def large(n_items: int) -> None:
    import duckdb

    path = Path(tempfile.gettempdir()) / "labelbook-bench" / f"ratings-{n_items * LARGE_RATERS_PER_ITEM}.parquet"
    if not path.exists():
        started = time.perf_counter()
        write_large_export(path, n_items)
        print(f"wrote {path} in {time.perf_counter() - started:.1f} s")
    ratings = n_items * LARGE_RATERS_PER_ITEM
    print(f"export: {n_items:,} items x {LARGE_RATERS_PER_ITEM} raters = {ratings:,} ratings, "
          f"{path.stat().st_size / 1e6:.0f} MB Parquet")
    con = duckdb.connect()
    started = time.perf_counter()
    counted = con.execute(f"SELECT count(*), count(DISTINCT item) FROM read_parquet('{path}')").fetchone()
    assert counted is not None  # an aggregate has its one row
    rows, items = counted
    scan = time.perf_counter() - started
    con.close()
    command = [str(Path(sys.executable).parent / "labelbook"), "agreement", str(path), "--format", "json"]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    ours = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    if result.returncode != 0:
        sys.exit(f"labelbook agreement failed ({result.returncode}): {result.stderr}")
    report = json.loads(result.stdout)
    print(f"DuckDB scan (count, count distinct item): {scan:6.2f} s  ({rows:,} rows, {items:,} items)")
    print(f"labelbook agreement (child process):     {ours:6.2f} s  ({ours / scan:.2f}x the scan; aim <= 3x)")
    print(f"peak memory of the child: {peak:,.0f} MB (aim < 2,048 MB)")
    print(f"alpha {report['krippendorff_alpha']:.4f}, fleiss {report['fleiss_kappa']:.4f}, percent "
          f"{report['percent_agreement']:.4f} on {report['items']:,} items; alpha's 95% interval "
          f"{report['intervals']['krippendorff_alpha']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--raters", type=int, default=10)
    parser.add_argument("--large", action="store_true", help="labelbook agreement on 30M ratings (DuckDB)")
    parser.add_argument("--large-items", type=int, default=10_000_000)
    args = parser.parse_args()
    if args.large:
        large(args.large_items)
        return
    guideline = next(g for g in load_guidelines([ROOT / "specs"]).guidelines if g.id == "content-safety")
    # The example guideline, its data section pointed at this export's columns.
    assert guideline.datasheet.data is not None  # the example has one
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

        slices = ("language", "split", "source")
        started = time.perf_counter()
        agreement_report(ratings, slices=slices, intervals=None)
        without = time.perf_counter() - started
        started = time.perf_counter()
        report = agreement_report(ratings, slices=slices)
        with_intervals = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"pd.read_csv (default engine):         {pandas_read:6.2f} s")
    print(f"labelbook read (pyarrow, coded ids):  {our_read:6.2f} s")
    print(f"compute every figure + {len(results)} criteria:  {compute:6.2f} s   "
          f"({compute / pandas_read:.2f}x the pandas read; aim <= 2x)")
    print(f"alpha {quality.agreement.overall.krippendorff_alpha:.3f} on {quality.agreement.overall.items:,} items; "
          f"peak memory {peak:,.0f} MB (aim < 2,048 MB)")
    scopes = 1 + len(report.per_label) + sum(len(v) for v in report.per_slice.values())
    print(f"agreement report, {scopes} scopes: {without:6.2f} s without intervals, {with_intervals:6.2f} s with "
          f"({report.intervals.resamples if report.intervals else 0:,} resamples): the intervals cost "
          f"{with_intervals - without:.2f} s")


if __name__ == "__main__":
    main()

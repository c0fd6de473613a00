"""Agreement on exports too large for memory: DuckDB aggregates, numpy finishes.

Every coefficient depends on the items only through their counts per label (and, with two
raters, the two raters' labels): items alike in those are one pattern (compute.Patterns).
DuckDB computes, out of core over the Parquet or CSV file and in one pass, each item's
counts (its two raters' labels, its slice values on its first rating) and groups the items
by them: a few hundred patterns with how many items each stands for, whatever the number
of items. numpy finishes with compute.patterns_report, the code the in-memory path runs on
the patterns it groups itself, so the two paths cannot drift apart (tests/test_large.py
compares them); the bootstrap intervals draw patterns (intervals.bootstrap_patterns), so
they too cost the same for ten thousand items or ten million. The disputed items are the
first names (in name order) of the least agreeing patterns.

The same checks as read.read_ratings run as queries, with the same messages: missing
columns, no rows, empty item or rater, no label at all, one rater twice on an item.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .compute import (DISPUTED_SHOWN, AgreementReport, Patterns, coded_key, group_patterns, patterns_report, refine,
                      split_key)
from .detect import detect_shape
from .intervals import Settings
from .read import REQUIRED, DataError, line_of, require_columns

if TYPE_CHECKING:
    import duckdb

# `labelbook agreement` aggregates a single-label export in DuckDB from this many rows of
# Parquet (its footer says how many; compressed, its size says little) or bytes of CSV:
# about where the in-memory path's frame of strings nears a gigabyte.
LARGE_ROWS = 5_000_000
LARGE_BYTES = 256 * 2**20
MEMORY_LIMIT = os.environ.get("LABELBOOK_DUCKDB_MEMORY", "1GB")  # DuckDB spills to disk beyond it


def is_large(path: Path, separator: str | None, shape: str | None, rows: int = LARGE_ROWS,
             size: int = LARGE_BYTES) -> bool:
    """Whether `labelbook agreement` reads this export with DuckDB: a Parquet file of at
    least `rows` rows or a CSV file of at least `size` bytes, read as single-label (no
    --separator) and not asked for as another shape. Its columns decide the rest (run_large
    falls back when they name another shape)."""
    if separator is not None or shape not in (None, "label") or not path.is_file():
        return False
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return path.stat().st_size >= size
    if suffix != ".parquet":
        return False
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path).metadata.num_rows >= rows
    except Exception:  # not Parquet after all: the in-memory reader says what is wrong
        return False


def _source(path: Path) -> str:
    """The export as a relation with `row`, the position of the row in the file."""
    quoted = str(path).replace("'", "''")
    if path.suffix.lower() == ".parquet":
        return f"(SELECT * EXCLUDE (file_row_number), file_row_number AS row FROM read_parquet('{quoted}', " \
               "file_row_number = true))"
    # A CSV file read in one pass, so that row_number() follows the file's order.
    return (f"(SELECT *, row_number() OVER () - 1 AS row FROM read_csv('{quoted}', all_varchar = true, "
            "header = true, parallel = false))")


def connect() -> duckdb.DuckDBPyConnection:
    import duckdb  # in the metrics extra; imported only for a large export

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = true")
    return con


def columns_of(con: duckdb.DuckDBPyConnection, path: Path, display: str) -> list[str]:
    import duckdb

    try:
        return [str(row[0]) for row in con.execute(f"DESCRIBE SELECT * FROM {_source(path)}").fetchall()
                if row[0] != "row"]
    except duckdb.Error as exc:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{display}: cannot read the {path.suffix[1:].upper()} file: {text}") from None


def _text(column: str) -> str:
    """A column as text, as read.read_table reads it (an empty CSV cell is NULL already)."""
    return f'CAST("{column}" AS VARCHAR)'


def large_agreement(path: Path, display: str, *, level: str = "nominal", slices: tuple[str, ...] = (),
                    intervals: Settings | None = Settings()) -> tuple[AgreementReport, int]:
    """The agreement report of a single-label export and its number of ratings (rows with
    a label), aggregated in DuckDB. intervals: as agreement_report's; None computes none."""
    con = connect()
    try:
        present = columns_of(con, path, display)
        frame_of_names = pd.DataFrame(columns=present)
        require_columns(frame_of_names, REQUIRED, display)
        require_columns(frame_of_names, [c for c in slices if c not in REQUIRED], display)
        wanted = ["item", "rater", "label", *dict.fromkeys(c for c in slices if c not in REQUIRED)]
        text = "text" in present
        select = ", ".join([f"{_text(c)} AS \"{c}\"" for c in wanted]
                           + (["CAST(text AS VARCHAR) AS text"] if text else []) + ["row"])
        con.execute(f"CREATE TEMP VIEW export AS SELECT {select} FROM {_source(path)}")
        _check(con, display)
        # Labels and raters are coded in sorted order, as read_ratings codes them.
        labels = sorted(str(v) for (v,) in con.execute("SELECT DISTINCT label FROM export WHERE label IS NOT NULL")
                        .fetchall())
        raters = sorted(str(v) for (v,) in con.execute("SELECT DISTINCT rater FROM export WHERE label IS NOT NULL")
                        .fetchall())
        con.execute("CREATE TEMP TABLE labels (label VARCHAR, code INTEGER)")
        con.executemany("INSERT INTO labels VALUES (?, ?)", [(v, i) for i, v in enumerate(labels)])
        con.execute("CREATE TEMP TABLE raters (rater VARCHAR, code INTEGER)")
        con.executemany("INSERT INTO raters VALUES (?, ?)", [(v, i) for i, v in enumerate(raters)])
        fetched = con.execute(_patterns_sql(len(labels), len(raters), list(slices))).fetchnumpy()
        if int(np.asarray(fetched["twice"], dtype=np.int64).sum()):
            _duplicate(con, display, token="token" in present)
        times = np.asarray(fetched["n"], dtype=np.int64)
        counts = np.stack([np.asarray(fetched[f"c{j}"], dtype=np.int64) for j in range(len(labels))], axis=1)
        codes = None
        if len(raters) == 2:
            codes = (np.asarray(fetched["a"], dtype=np.int64), np.asarray(fetched["b"], dtype=np.int64))
        patterns = _patterns(counts, codes, times, {c: np.asarray(fetched[f"s{n}"], dtype=object)
                                                    for n, c in enumerate(slices)})
        ratings = int((counts.sum(axis=1) * times).sum())
        disputed = _disputed(counts, np.asarray(fetched["firsts"], dtype=object), labels)
        if text and disputed:
            shown = [d["item"] for d in disputed]
            found = dict(con.execute("SELECT item, arg_min(text, row) FROM export WHERE label IS NOT NULL AND item IN "
                                     f"({', '.join('?' for _ in shown)}) GROUP BY item", shown).fetchall())
            for d in disputed:
                value = found.get(d["item"])
                d["text"] = None if value is None else str(value)
    finally:
        con.close()
    report = patterns_report(patterns, categories=labels, sets=[frozenset([c]) for c in labels], multi=False,
                             raters=len(raters), level=level, intervals=intervals, disputed=disputed)
    return report, ratings


# Ratings that repeat a rater on an item are counted with one bit per rater: up to this
# many raters, in 62-bit words (beyond, DuckDB counts the distinct raters of each item, a
# hash of every (item, rater) pair, which takes twice as long as the rest).
BIT_RATERS = 62 * 8


def _repeats(n_raters: int) -> str:
    """Per item, a number that is 0 exactly when no rater rated it twice: the sum of one bit
    per rating, 2^rater, exceeds their bitwise or exactly when a bit repeats."""
    if n_raters > BIT_RATERS:
        return "count(*) - count(DISTINCT e.rater)"
    words = []
    for word in range((n_raters + 61) // 62):
        bit = "(CAST(1 AS BIGINT) << (r.code % 62))"
        where = f"FILTER (WHERE r.code // 62 = {word})"
        words.append(f"coalesce(sum({bit}) {where} - bit_or({bit}) {where}, 0)")
    return " + ".join(words)


def _patterns_sql(k: int, n_raters: int, slices: list[str]) -> str:
    """One pass over the export: each item's counts per label (with two raters, each one's
    label; each slice's value on its first rating), then the items grouped by all of these,
    with how many items share them, how many ratings repeat a rater on an item, and the ten
    first item names (in name order) for the disputed items."""
    per_item = [f"count(*) FILTER (WHERE l.code = {j}) AS c{j}" for j in range(k)]
    per_item.append(f"{_repeats(n_raters)} AS twice")
    two = n_raters == 2
    if two:
        per_item += ["coalesce(max(l.code) FILTER (WHERE r.code = 0), -1) AS a",
                     "coalesce(max(l.code) FILTER (WHERE r.code = 1), -1) AS b"]
    per_item += [f'arg_min_null(e."{column}", e.row) AS s{n}' for n, column in enumerate(slices)]
    keys = [f"c{j}" for j in range(k)] + (["a", "b"] if two else []) + [f"s{n}" for n in range(len(slices))]
    return (f"SELECT {', '.join(keys)}, count(*) AS n, sum(twice) AS twice, min(item, {DISPUTED_SHOWN}) AS firsts "
            f"FROM (SELECT e.item, {', '.join(per_item)} FROM export e JOIN labels l USING (label) "
            f"JOIN raters r USING (rater) GROUP BY e.item) "
            f"GROUP BY {', '.join(keys)}")


def _patterns(counts: np.ndarray, codes: tuple[np.ndarray, np.ndarray] | None, times: np.ndarray,
              slices: dict[str, np.ndarray]) -> Patterns:
    """compute.Patterns from DuckDB's groups (one per pattern and slice values), in the order
    and with the value codes compute.item_patterns gives an export held in memory."""
    rows, pattern_of, multiplicity = group_patterns(coded_key(counts, codes), times)
    pattern_counts, pattern_codes = split_key(rows, counts.shape[1], codes is not None)
    refined = {}
    for column, values in slices.items():
        # As compute.item_groups codes them: missing is '(none)', values in sorted order.
        groups, uniques = pd.factorize(pd.Series(values, dtype=object).fillna("(none)"), sort=True)
        names = [str(u) for u in uniques]
        parent, value, refined_times = refine(pattern_of, groups.astype(np.int64), max(len(names), 1), times)
        refined[column] = (parent, value, refined_times, names)
    return Patterns(pattern_counts, multiplicity, pattern_codes, refined)


def _disputed(counts: np.ndarray, firsts: np.ndarray, labels: list[str]) -> list[dict]:
    """compute.disputed_items from the groups: the items of a group agree alike, and its
    first names in name order are the only ones that can be shown."""
    c = counts.astype(np.float64)
    m = c.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (c * (c - 1)).sum(axis=1) / (m * (m - 1))
    candidates = [(float(share[g]), -float(m[g]), str(name), g) for g in np.flatnonzero((m >= 2) & (share < 1))
                  for name in firsts[g]]
    out = []
    for agreement, _, name, g in sorted(candidates)[:DISPUTED_SHOWN]:
        given = {labels[j]: int(c[g, j]) for j in np.flatnonzero(c[g])}
        out.append({"item": name, "agreement": round(agreement, 6),
                    "labels": dict(sorted(given.items(), key=lambda kv: (-kv[1], kv[0])))})
    return out


def run_large(path: Path, display: str, level: str, fmt: str, slices: list[str],
              intervals: Settings = Settings()) -> int | None:
    """`labelbook agreement` on a large export, with the output of the in-memory path
    (commands.run_agreement); None when DuckDB is not installed or the columns name another
    shape, which the in-memory path then reads."""
    from .commands import _error, print_agreement  # the one formatting of the report

    try:
        con = connect()
    except ImportError:
        return None
    try:
        kind, _ = detect_shape(columns_of(con, path, display), None)
        con.close()
        if kind != "label":
            return None
        report, ratings = large_agreement(path, display, level=level, slices=tuple(slices), intervals=intervals)
    except DataError as problem:
        return _error(problem)
    return print_agreement(display, ratings, report, fmt)


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    """The one row an aggregate query returns."""
    rows = con.execute(sql).fetchall()  # fetched to the end: the connection is free again
    assert len(rows) == 1, sql  # an aggregate without GROUP BY has one row
    return rows[0]


def _check(con: duckdb.DuckDBPyConnection, display: str) -> None:
    """read.read_ratings' checks, as one query, with its messages (the duplicates are
    counted with the patterns: _duplicate names the first)."""
    total, item_row, items, rater_row, raters, labelled = _one(
        con, "SELECT count(*), min(row) FILTER (WHERE item IS NULL), count(*) FILTER (WHERE item IS NULL), "
             "min(row) FILTER (WHERE rater IS NULL), count(*) FILTER (WHERE rater IS NULL), "
             "count(*) FILTER (WHERE label IS NOT NULL) FROM export")
    if total == 0:
        raise DataError(f"{display}: the file has a header but no ratings")
    for column, first, n in (("item", item_row, items), ("rater", rater_row, raters)):
        if n:
            raise DataError(f"{line_of(int(first), display)}: empty '{column}' ({int(n)} row"
                            f"{'s' if n != 1 else ''} in all)", "every rating names its item and its rater")
    if not labelled:
        raise DataError(f"{display}: no rating has a label")


def _duplicate(con: duckdb.DuckDBPyConnection, display: str, token: bool) -> None:
    """Some rater rated an item twice: the error naming the first such rating."""
    duplicate = con.execute(
        "SELECT row, item, rater, first, count(*) OVER () FROM (SELECT row, item, rater, "
        "min(row) OVER (PARTITION BY item, rater) AS first, row_number() OVER (PARTITION BY item, rater ORDER BY row) "
        "AS nth FROM export WHERE label IS NOT NULL) WHERE nth > 1 ORDER BY row LIMIT 1").fetchone()
    assert duplicate is not None  # the patterns counted one
    row, item, rater, first, n = duplicate
    where = f"line {int(first) + 2}" if display.lower().endswith(".csv") else f"row {int(first) + 1}"
    raise DataError(
        f"{line_of(int(row), display)}: rater '{rater}' rated item '{item}' twice (first on {where}); {int(n)} "
        f"duplicate (item, rater) row{'s' if n != 1 else ''} in all",
        "in a token export, item names the token, e.g. doc1:7 (the token column is not part of it)" if token else
        "keep one rating per rater and item (the latest), or give each rating its own rater id")

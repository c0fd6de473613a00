"""Reading annotation exports and audit results (CSV or Parquet) into coded arrays.

An export is long: one row per rating, with the columns `item`, `rater`, `label` and
optionally slice columns, `split`, `entity`, `text`, `gold`, `source`, `timestamp`,
`guideline_version`. Audit results: `item`, `error_category`, `severity`, one row per
audited item and defect (empty category and severity for an item that passed).

Bad data raises DataError with the file and, where there is one, the line: a missing
column (with the nearest present one), an empty file, text that is not UTF-8, the same
rater twice on one item.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

REQUIRED = ("item", "rater", "label")
OPTIONAL = ("split", "entity", "text", "gold", "source", "timestamp", "guideline_version")
AUDIT_REQUIRED = ("item", "error_category", "severity")
SEVERITIES = ("critical", "major", "minor")
DEFAULT_SEPARATOR = "|"
# Arrow-backed strings: pandas' own "string[pyarrow]" conversion costs 6x the read.
STRING = pd.ArrowDtype(pa.string())


class DataError(Exception):
    """The data has a problem (exit status 1): message names the file and, if known, the line."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


def did_you_mean(word: str, candidates) -> str:
    match = difflib.get_close_matches(str(word), sorted({str(c) for c in candidates}), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def read_table(path: Path, display: str) -> pd.DataFrame:
    """A CSV or Parquet file as a DataFrame of strings (empty cells are missing)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise DataError(f"{display}: not a CSV or Parquet file", "export the data as .csv or .parquet")
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(path, dtype_backend="pyarrow")
            for column in frame.columns:
                if frame[column].dtype != STRING:
                    frame[column] = frame[column].astype(STRING)
            return frame
        return _read_csv(path)
    except FileNotFoundError:
        raise DataError(f"{display}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{display}: is a folder, not a file") from None
    except UnicodeDecodeError:
        raise DataError(_encoding_problem(path, display), "save the file as UTF-8") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{display}: the file is empty", "an export starts with a header line: item,rater,label,...") \
            from None
    except (pd.errors.ParserError, ValueError, OSError, csv.Error) as exc:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "UTF8" in text or "utf-8" in text.lower():
            raise DataError(_encoding_problem(path, display), "save the file as UTF-8") from None
        if "Empty CSV" in text:
            raise DataError(f"{display}: the file is empty",
                            "an export starts with a header line: item,rater,label,...") from None
        raise DataError(f"{display}: cannot read the {suffix[1:].upper()} file: {text}") from None


def _read_csv(path: Path) -> pd.DataFrame:
    """A UTF-8 CSV file, every column read as text (an item "007" stays "007", a label "1.50"
    stays "1.50"), empty cells missing, quoted cells free to span lines."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        header = next(csv.reader(stream), None)  # only the header: its names set the column types
    if not header:
        raise pd.errors.EmptyDataError("Empty CSV file")
    convert = pacsv.ConvertOptions(column_types={name: pa.string() for name in header},
                                   null_values=[""], strings_can_be_null=True)
    # Arrow parses in blocks and a row must fit in one: 1 MiB by default, too small for a
    # long text cell. Grow the block only for such a file, up to the file's size, so the
    # common case keeps small blocks and parallel parsing.
    block, size = 1 << 20, path.stat().st_size
    while True:
        try:
            table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(block_size=block),
                                   parse_options=pacsv.ParseOptions(newlines_in_values=True),
                                   convert_options=convert)
            break
        except pa.ArrowInvalid as exc:
            if "straddling object" not in str(exc) or block > size:
                raise
            block = min(block * 4, size + 1, 2**31 - 1)
    if any(field.type != pa.string() for field in table.schema):  # a name the csv module read otherwise
        table = table.cast(pa.schema([pa.field(field.name, pa.string()) for field in table.schema]))
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _encoding_problem(path: Path, display: str) -> str:
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return f"{display}:{line}: the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
    return f"{display}: the file is not UTF-8"


def line_of(row: int, display: str) -> str:
    """Where a row is, for messages: the CSV line (header is line 1) or the Parquet row."""
    return f"{display}:{row + 2}" if display.lower().endswith(".csv") else f"{display}: row {row + 1}"


def _where(row: int, display: str) -> str:
    return f"line {row + 2}" if display.lower().endswith(".csv") else f"row {row + 1}"


def require_columns(frame: pd.DataFrame, columns, display: str, what: str = "column") -> None:
    present = [str(c) for c in frame.columns]
    for column in columns:
        if column not in present:
            raise DataError(f"{display}: missing {what} '{column}'{did_you_mean(column, present)}",
                            f"the columns are: {', '.join(present) if present else '(none)'}")


def export_table(path: Path, display: str, frame: pd.DataFrame | None) -> pd.DataFrame:
    """An export's rows (read from path unless given), its column names stripped."""
    if frame is None:
        frame = read_table(path, display)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def require_rows(frame: pd.DataFrame, display: str, one_row_per: str) -> None:
    """A header alone is not an export; one_row_per says what a row holds."""
    if len(frame) == 0:
        raise DataError(f"{display}: the file has a header but no rows", one_row_per)


def objects(column: pd.Series) -> np.ndarray:
    """A column's values as Python objects, None where missing."""
    # pandas-stubs leaves None out of na_value's types; pandas takes it
    return column.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]


@dataclass
class Ratings:
    """An export, its rows coded as integers: item, rater and label codes index the name arrays."""

    display: str
    frame: pd.DataFrame
    item: np.ndarray
    items: np.ndarray
    rater: np.ndarray
    raters: np.ndarray
    label: np.ndarray  # category codes; a category is a label or, multi-label, a set written a|b
    categories: list[str]
    sets: list[frozenset] = field(default_factory=list)  # per category: its labels
    multi: bool = False
    separator: str = DEFAULT_SEPARATOR
    missing_labels: int = 0  # rows without a label, left out of the frame
    all_rows: int = 0
    # A span export read item by item (span_items.py): the spans themselves, and per
    # rating whether each required column is empty on any of the rating's rows.
    spans: Any = None
    missing_fields: dict[str, np.ndarray] | None = None
    # A preference, rating or box export read item by item (judgment_items.py): the
    # shape's own data (PreferenceData, RatingData, Boxes), for its report.
    judgments: Any = None
    boxes: Any = None
    # A rating export's view items are (item, criterion) units: per unit, the code of its
    # export item in owners (the export's item names). None: each view item is an item.
    owner: np.ndarray | None = None
    owners: np.ndarray | None = None
    # Rows of the export left out of the item-level view (a preference rater's second
    # judgment of an item, in the other order): item (view item code) and label (an id or
    # the value as written) per row, with the export's other columns. The readiness checks
    # (required fields, labels in the taxonomy) read them too.
    extra: pd.DataFrame | None = None

    @property
    def n_items(self) -> int:
        return len(self.items)

    def first_row_per_item(self) -> np.ndarray:
        """Index of each item's first row, in item-code order."""
        first = np.full(self.n_items, len(self.item), dtype=np.int64)
        np.minimum.at(first, self.item, np.arange(len(self.item)))
        return first


def _codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(column, sort=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def normalize_sets(values, separator: str) -> list[str]:
    """'b | a|a' -> 'a|b': a set of labels written in one canonical way."""
    return [separator.join(sorted({part.strip() for part in str(v).split(separator) if part.strip()}))
            for v in values]


def read_ratings(path: Path, display: str, *, multi: bool = False, separator: str | None = None,
                 columns: tuple[str, ...] = (), frame: pd.DataFrame | None = None) -> Ratings:
    """Read and code an export. columns: further columns that must be present (slices, required)."""
    frame = export_table(path, display, frame)
    require_columns(frame, REQUIRED, display)
    require_columns(frame, [c for c in columns if c not in REQUIRED], display)
    if len(frame) == 0:
        raise DataError(f"{display}: the file has a header but no ratings")
    for column in ("item", "rater"):
        missing = frame[column].isna().to_numpy()
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            raise DataError(f"{line_of(row, display)}: empty '{column}' ({int(missing.sum())} row"
                            f"{'s' if missing.sum() != 1 else ''} in all)",
                            "every rating names its item and its rater")
    # A rating without a label is kept out of the figures and counted as a missing field.
    no_label = frame["label"].isna().to_numpy()
    missing_labels = int(no_label.sum())
    all_rows = len(frame)
    origin = np.flatnonzero(~no_label)  # row of the file for each kept row
    if missing_labels:
        frame = frame[~no_label].reset_index(drop=True)
        if len(frame) == 0:
            raise DataError(f"{display}: no rating has a label")
    item, items = _codes(frame["item"])
    rater, raters = _codes(frame["rater"])
    separator = DEFAULT_SEPARATOR if separator is None else separator
    label, raw = _codes(frame["label"])
    if multi:
        canonical = normalize_sets(raw, separator)
        unique = sorted(set(canonical))
        remap = np.array([unique.index(c) for c in canonical], dtype=np.int64)
        label, categories = remap[label], unique
    else:
        categories = [str(v) for v in raw]
    sets = [frozenset(c.split(separator)) if multi else frozenset([c]) for c in categories]
    key = item * len(raters) + rater
    duplicated = pd.Series(key).duplicated(keep="first").to_numpy()
    if duplicated.any():
        rows = np.flatnonzero(duplicated)
        first = int(rows[0])
        earlier = int(origin[np.flatnonzero(key == key[first])[0]])
        raise DataError(
            f"{line_of(int(origin[first]), display)}: rater '{raters[rater[first]]}' rated item '{items[item[first]]}' twice "
            f"(first on {_where(earlier, display)}); {len(rows)} duplicate "
            f"(item, rater) row{'s' if len(rows) != 1 else ''} in all",
            "in a token export, item names the token, e.g. doc1:7 (the token column is not part of it)"
            if "token" in frame.columns else
            "keep one rating per rater and item (the latest), or give each rating its own rater id")
    return Ratings(display, frame, item, items, rater, raters, label, categories, sets, multi, separator,
                   missing_labels, all_rows)


@dataclass
class Audit:
    display: str
    frame: pd.DataFrame  # item, error_category (or None), severity (or None)
    items: int


def read_audit(path: Path, display: str, *, categories: dict[str, str] | None = None) -> Audit:
    """Read audit results. categories maps error type ids of qa.yaml to their category."""
    frame = read_table(path, display)
    frame.columns = [str(c).strip() for c in frame.columns]
    require_columns(frame, AUDIT_REQUIRED, display)
    if len(frame) == 0:
        raise DataError(f"{display}: the file has a header but no audited items")
    missing = frame["item"].isna().to_numpy()
    if missing.any():
        raise DataError(f"{line_of(int(np.flatnonzero(missing)[0]), display)}: empty 'item'")
    severity = frame["severity"].str.strip().str.lower()
    bad = severity.notna() & ~severity.isin(SEVERITIES)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        value = severity.iloc[row]
        raise DataError(f"{line_of(row, display)}: severity '{value}' is not critical, major or minor"
                        f"{did_you_mean(value, SEVERITIES)}")
    category = frame["error_category"].str.strip()
    half = category.isna() != severity.isna()
    if half.any():
        row = int(np.flatnonzero(half.to_numpy())[0])
        raise DataError(f"{line_of(row, display)}: a defect needs both error_category and severity "
                        "(leave both empty for an item that passed)")
    if categories:
        category = category.map(lambda v: categories.get(v, v) if isinstance(v, str) else v)
        known = set(categories.values())
        unknown = category.notna() & ~category.isin(sorted(known))
        if unknown.any():
            row = int(np.flatnonzero(unknown.to_numpy())[0])
            value = frame["error_category"].iloc[row]
            raise DataError(f"{line_of(row, display)}: error category '{value}' is neither an error type nor a "
                            f"category of qa.yaml{did_you_mean(value, list(categories) + sorted(known))}")
    clean = pd.DataFrame({"item": frame["item"].astype(str).to_numpy(),
                          "error_category": objects(category), "severity": objects(severity)})
    return Audit(display, clean, int(clean["item"].nunique()))

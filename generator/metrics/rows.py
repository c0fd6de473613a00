"""Row checks shared by the readers of box, rating and preference exports: every problem is
collected as a mask over the rows, and the one on the earliest row is raised, naming the file
and line (or Parquet row), with how many rows have it, as the span reader does."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .read import DataError, require_columns
from .spans import _earlier, _where

__all__ = ["Problems", "earlier", "empty_column", "numbers", "require", "where"]


def where(path: Path | None, display: str, row: int) -> str:
    """'file.csv:7' (the CSV line where the row starts) or 'file.parquet: row 6'."""
    return _where(path, display, [row])[row]


def earlier(path: Path | None, display: str, row: int) -> str:
    """'line 4' or 'row 3': an earlier row, named inside a message."""
    return _earlier(path, display, row)


def require(frame: pd.DataFrame, columns, display: str, shape_hint: str) -> None:
    """The columns a shape needs; a missing one names the nearest present column."""
    try:
        require_columns(frame, columns, display)
    except DataError as problem:
        raise DataError(problem.message, f"{shape_hint}; {problem.hint}") from None


def numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A text column read as numbers: the values (NaN where not a number) and where they
    are finite numbers ('1e3' and ' 2.5 ' are; 'abc', 'nan' and 'inf' are not)."""
    values = pd.to_numeric(column.str.strip(), errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return values, np.isfinite(values)


def empty_column(column: str) -> Callable[[int], str]:
    """The message for a row whose column is empty."""
    return lambda row: f"column '{column}' is empty"


class Problems:
    """Collects row problems; raise_first() raises the one on the earliest row."""

    def __init__(self, path: Path | None, display: str):
        self.path, self.display = path, display
        self.found: list[tuple[np.ndarray, Callable[[int], str], str]] = []

    def check(self, bad: np.ndarray, message: Callable[[int], str], hint: str) -> None:
        if bad.any():
            self.found.append((np.asarray(bad, dtype=bool), message, hint))

    def raise_first(self) -> None:
        if not self.found:
            return
        row = min(int(np.flatnonzero(bad)[0]) for bad, _, _ in self.found)
        bad, message, hint = next(p for p in self.found if p[0][row])
        total = int(bad.sum())
        raise DataError(f"{where(self.path, self.display, row)}: {message(row)}"
                        + (f" ({total} such rows in all)" if total > 1 else ""), hint)

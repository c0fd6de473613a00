"""Which shape an annotation export has, from its columns (or --shape), for `labelbook agreement`.

The first rule that applies wins:

    span        a `start` or an `end` column            spans.py
    box         two or more of `x`, `y`, `w`, `h`       boxes.py
    rating      a `criterion` column                    rating.py
    preference  a `shown_first` or a `pair` column      preference.py
    label       anything else: item, rater, label       compute.py (single-, multi-label, tokens)
"""

from __future__ import annotations

from .boxes import GEOMETRY, is_box_export
from .preference import SIGNALS, is_preference_export
from .rating import is_rating_export
from .spans import is_span_export

SHAPES = ("label", "span", "box", "rating", "preference")


def detect_shape(columns, forced: str | None = None) -> tuple[str, str]:
    """The export's shape and why, in words for messages ('has a criterion column')."""
    if forced is not None:
        if forced not in SHAPES:
            raise ValueError(f"unknown shape {forced}")
        return forced, f"--shape {forced}"
    names = {str(c).strip() for c in columns}
    if is_span_export(names):
        return "span", "has a start or end column"
    if is_box_export(names):
        present = [c for c in GEOMETRY if c in names]
        return "box", f"has {', '.join(present[:-1])} and {present[-1]} columns"
    if is_rating_export(names):
        return "rating", "has a criterion column"
    if is_preference_export(names):
        present = [c for c in SIGNALS if c in names]
        return "preference", f"has a {' and a '.join(present)} column"
    return "label", "has no start, end, x, y, w, h, criterion, pair or shown_first column"

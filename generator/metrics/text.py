"""Numbers and counts as the text reports of `agreement` and `gate` print them."""

from __future__ import annotations


def number(value: float | None, share: bool = False) -> str:
    """0.812, or 81.2% for a share; n/a when there is no value."""
    if value is None:
        return "n/a"
    return f"{value * 100:.1f}%" if share else f"{value:.3f}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 rater', '2,400 raters', '3 boxes' (with the plural given)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"

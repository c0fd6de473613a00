"""Numbers and counts as the text reports of `agreement` and `gate` print them."""

from __future__ import annotations


def number(value: float | None, share: bool = False) -> str:
    """0.812, or 81.2% for a share; n/a when there is no value."""
    if value is None:
        return "n/a"
    return f"{value * 100:.1f}%" if share else f"{value:.3f}"


def interval(bounds: tuple[float, float] | None, share: bool = False) -> str:
    """An interval as low..high, each end as number() prints it; empty when there is none."""
    return "" if bounds is None else f"{number(bounds[0], share)}..{number(bounds[1], share)}"


def interval_note(settings, unit: str) -> str:
    """The line under a table of intervals: how they were drawn (an intervals.Settings)."""
    return (f"under each figure: its {settings.confidence * 100:g}% bootstrap interval "
            f"({settings.resamples:,} resamples of the {unit}, seed {settings.seed})\n")


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 rater', '2,400 raters', '3 boxes' (with the plural given)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"

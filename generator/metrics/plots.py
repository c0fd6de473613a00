"""Plots of the quality figures as inline SVG, byte for byte the same for the same data.

matplotlib with the Agg backend; text stays text (svg.fonttype none, no glyph paths), ids
are salted per plot (svg.hashsalt) so two plots on one page never share an id, and the
Date metadata is left out. Labels and slice values reach matplotlib as plain text (math
parsing off), which writes them XML-escaped.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from markupsafe import Markup  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType  # the rc keys; not in every matplotlib at run time

STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 9,
    "text.parse_math": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": False,
}
PASS, FAIL, NEUTRAL, LIGHT = "#3c9a5f", "#c0392b", "#3f51b5", "#c5cae9"


def _svg(fig, salt: str, title: str) -> Markup:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # no XML prolog or DOCTYPE inside HTML
    # Inline, a <style> would apply to the whole page; comments and metadata are noise.
    svg = re.sub(r"<!--.*?-->|<metadata>.*?</metadata>|<style[^>]*>.*?</style>", "", svg, flags=re.S)
    # Group ids (figure_1, axes_1, ...) repeat in every plot and nothing refers to them; the
    # ids that are referred to (markers, clip paths) are salted hashes.
    svg = re.sub(r' id="[A-Za-z][\w.]*?_\d+"', "", svg)
    svg = "\n".join(line for line in svg.splitlines() if line.strip())  # a blank line would end the HTML block
    svg = re.sub(r'<svg([^>]*?) width="([\d.]+)pt" height="([\d.]+)pt"',
                 lambda m: f'<svg{m.group(1)} class="lb-plot-svg" role="img" aria-label="{_attr(title)}" '
                           f'style="max-width: {float(m.group(2)) * 1.333:.0f}px; width: 100%; height: auto"',
                 svg, count=1)
    return Markup(svg)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _figure(width: float, height: float):
    with matplotlib.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(width, height))
    return fig, ax


def label_distribution(salt: str, labels: list[str], stacks: dict[str, list[int]], title: str) -> Markup:
    """Horizontal bars: items per label, stacked by the values of one slice."""
    with matplotlib.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(6.4, 0.32 * len(labels) + 1.0))
        left = np.zeros(len(labels))
        colours = plt.get_cmap("tab10")
        for i, (name, counts) in enumerate(stacks.items()):
            ax.barh(labels, counts, left=left, color=colours(i % 10), label=name, height=0.6)
            left += np.asarray(counts, dtype=float)
        ax.invert_yaxis()
        ax.set_xlabel("items")
        if len(stacks) > 1:
            ax.legend(frameon=False, fontsize=8, loc="lower right")
        return _svg(fig, salt, title)


def bars_with_threshold(salt: str, names: list[str], values: list[float | None], thresholds: list[float],
                        xlabel: str, title: str, low: float | None = None) -> Markup:
    """Horizontal bars (e.g. alpha per label), green at or above the lowest threshold, red below."""
    with matplotlib.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(6.4, 0.32 * len(names) + 1.0))
        shown = [v if v is not None else 0.0 for v in values]
        floor = min(thresholds) if thresholds else None
        colours = [NEUTRAL if floor is None else (PASS if v >= floor else FAIL) for v in shown]
        ax.barh(names, shown, color=colours, height=0.6)
        for t in sorted(set(thresholds)):
            ax.axvline(t, color="#555555", linestyle="--", linewidth=1)
            ax.annotate(f"{t:g}", (t, 1.0), xycoords=("data", "axes fraction"), fontsize=7, ha="center",
                        va="bottom")
        for y, v in enumerate(values):
            ax.annotate("n/a" if v is None else f"{v:.2f}", (max(shown[y], 0), y), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=7)
        ax.set_xlim(min(low if low is not None else 0.0, min(shown + [0.0])), 1.05)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        return _svg(fig, salt, title)


def coverage(salt: str, cells: list[tuple[str, int, int]], threshold: float | None, title: str) -> Markup:
    """Current count as a share of target per coverage cell, with the criterion's threshold."""
    names = [name for name, _, _ in cells]
    shares = [current / target if target else 1.0 for _, current, target in cells]
    with matplotlib.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(6.4, 0.3 * len(names) + 1.0))
        floor = threshold if threshold is not None else 1.0
        ax.barh(names, [min(s, 1.5) for s in shares], color=[PASS if s >= floor else FAIL for s in shares],
                height=0.6)
        ax.axvline(1.0, color="#555555", linewidth=1)
        if threshold is not None:
            ax.axvline(threshold, color="#555555", linestyle="--", linewidth=1)
        for y, (name, current, target) in enumerate(cells):
            ax.annotate(f"{current} / {target}", (min(shares[y], 1.5), y), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=7)
        ax.set_xlim(0, 1.75)
        ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        ax.invert_yaxis()
        ax.set_xlabel("current count as a share of the target")
        return _svg(fig, salt, title)


def rates(salt: str, names: list[str], values: list[float], intervals: list[tuple[float, float]],
          limits: dict[str, float], title: str) -> Markup:
    """Defect rates with their 95% intervals; a criterion's limit as a tick on its bar."""
    with matplotlib.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(6.4, 0.32 * len(names) + 1.0))
        low = [v - i[0] for v, i in zip(values, intervals)]
        high = [i[1] - v for v, i in zip(values, intervals)]
        ax.barh(names, values, xerr=[low, high], color=LIGHT, edgecolor=NEUTRAL, height=0.6,
                error_kw={"ecolor": "#333333", "capsize": 3, "linewidth": 1})
        for y, name in enumerate(names):
            if name in limits:
                ax.plot([limits[name]] * 2, [y - 0.4, y + 0.4], color=FAIL, linewidth=2)
        ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=1))
        ax.invert_yaxis()
        ax.set_xlabel("share of audited items (bars: 95% interval; red: the criterion's limit)")
        return _svg(fig, salt, title)


def heatmap(salt: str, labels: list[str], table: np.ndarray, title: str) -> Markup:
    """The rater confusion table: pairs of ratings of one item, by the two labels."""
    size = len(labels)
    full = np.tril(table) + np.tril(table, -1).T
    with matplotlib.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(0.55 * size + 2.2, 0.5 * size + 1.4))
        shown = np.log1p(full)
        ax.imshow(shown, cmap="Blues")
        ax.set_xticks(range(size), labels, rotation=40, ha="right")
        ax.set_yticks(range(size), labels)
        top = shown.max() if shown.size else 0
        for i in range(size):
            for j in range(size):
                ax.text(j, i, f"{int(full[i, j])}", ha="center", va="center", fontsize=7,
                        color="white" if top and shown[i, j] > 0.6 * top else "#222222")
        ax.spines[:].set_visible(False)
        return _svg(fig, salt, title)

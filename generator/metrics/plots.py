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

# Every piece of text in a figure is FONT_PT points: 13.3 px at the figure's natural width.
# A figure shrinks with its column only down to the width at which that text is still
# MIN_TEXT_PX pixels (its min-width); a narrower column scrolls the figure inside its frame.
FONT_PT = 10
MIN_TEXT_PX = 11
STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": FONT_PT,
    "legend.fontsize": FONT_PT,
    "axes.labelsize": FONT_PT,
    "xtick.labelsize": FONT_PT,
    "ytick.labelsize": FONT_PT,
    "text.parse_math": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": False,
    "hatch.linewidth": 1.0,
}
PASS, FAIL, NEUTRAL, LIGHT = "#2e7d4a", "#b3261e", "#3f51b5", "#c5cae9"
# A bar below its criterion is hatched and marked in words as well as red, so the status
# reads without colour (in grey print, or for a reader who cannot tell red from green).
FAIL_HATCH = "///"
TICK = "#111111"
WIDTH_IN = 4.4  # natural width about 420 px: a phone's column (about 360 px) keeps text at 11 px


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

    def sized(m: re.Match) -> str:
        natural = float(m.group(2)) * 4 / 3  # pt -> CSS px
        smallest = natural * MIN_TEXT_PX / (FONT_PT * 4 / 3)
        return (f'<svg{m.group(1)} class="lb-plot-svg" role="img" aria-label="{_attr(title)}" '
                f'style="max-width: {natural:.0f}px; min-width: {smallest:.0f}px; width: 100%; height: auto"')

    svg = re.sub(r'<svg([^>]*?) width="([\d.]+)pt" height="([\d.]+)pt"', sized, svg, count=1)
    return Markup(svg)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _legend_above(ax, handles: list, columns: int) -> None:
    """The legend above the plot, outside the data: it never covers a bar."""
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.02), ncol=columns, frameon=False,
              borderaxespad=0.0, handlelength=1.6, columnspacing=1.2)


def label_distribution(salt: str, labels: list[str], stacks: dict[str, list[int]], title: str) -> Markup:
    """Horizontal bars: items per label, stacked by the values of one slice."""
    with matplotlib.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.34 * len(labels) + 1.0))
        left = np.zeros(len(labels))
        colours = plt.get_cmap("tab10")
        for i, (name, counts) in enumerate(stacks.items()):
            ax.barh(labels, counts, left=left, color=colours(i % 10), label=name, height=0.6)
            left += np.asarray(counts, dtype=float)
        ax.invert_yaxis()
        ax.set_xlabel("items")
        if len(stacks) > 1:
            _legend_above(ax, ax.get_legend_handles_labels()[0], min(len(stacks), 3))
        return _svg(fig, salt, title)


def bars_with_threshold(salt: str, names: list[str], values: list[float | None], thresholds: list[float],
                        xlabel: str, title: str, low: float | None = None,
                        own: list[float | None] | None = None) -> Markup:
    """Horizontal bars (e.g. alpha per label), each judged against its own criterion.

    own[i] is the threshold that applies to bar i (None: no criterion applies to it); without
    own, every bar is judged against the strictest of thresholds. A bar at or above its
    threshold is green and marked "✓ ≥ t"; below it, red, hatched and marked "✗ below t";
    its threshold is a black tick across the bar. No criterion: neutral blue, no mark.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if own is None:
        strictest = max(thresholds) if thresholds else None
        own = [strictest] * len(names)
    with matplotlib.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.36 * len(names) + 1.3))
        shown = [v if v is not None else 0.0 for v in values]
        verdicts = [None if t is None or v is None else v >= t for v, t in zip(values, own)]
        colours = [NEUTRAL if ok is None else (PASS if ok else FAIL) for ok in verdicts]
        bars = ax.barh(names, shown, color=colours, height=0.6)
        for bar, ok in zip(bars, verdicts):
            if ok is False:
                bar.set_hatch(FAIL_HATCH)
                bar.set_edgecolor("#ffffff")
        for y, t in enumerate(own):
            if t is not None:
                ax.plot([t, t], [y - 0.42, y + 0.42], color=TICK, linewidth=2.2, solid_capstyle="butt")
        for y, (v, t, ok) in enumerate(zip(values, own, verdicts)):
            text = "n/a" if v is None else f"{v:.2f}"
            if ok is not None:
                text += f"  ✓ ≥ {t:g}" if ok else f"  ✗ below {t:g}"
            ax.annotate(text, (max(shown[y], t or 0.0, 0.0), y), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize=FONT_PT)
        ax.set_xlim(min(low if low is not None else 0.0, min(shown + [0.0])), 1.45)
        ax.set_xticks([t for t in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0) if t >= ax.get_xlim()[0]])
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        handles = [Patch(facecolor=PASS, label="meets its criterion"),
                   Patch(facecolor=FAIL, hatch=FAIL_HATCH, edgecolor="#ffffff", label="below its criterion"),
                   Line2D([], [], color=TICK, linewidth=2.2, label="its threshold")]
        if any(t is None for t in own):
            handles.append(Patch(facecolor=NEUTRAL, label="no criterion"))
        _legend_above(ax, handles, 2)
        return _svg(fig, salt, title)


def coverage(salt: str, cells: list[tuple[str, int, int]], threshold: float | None, title: str) -> Markup:
    """Current count as a share of target per coverage cell, with the criterion's threshold:
    a cell below it is red, hatched and marked "✗ below"."""
    from matplotlib.patches import Patch

    names = [name for name, _, _ in cells]
    shares = [current / target if target else 1.0 for _, current, target in cells]
    with matplotlib.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN + 0.8, 0.34 * len(names) + 1.3))
        floor = threshold if threshold is not None else 1.0
        bars = ax.barh(names, [min(s, 1.5) for s in shares], color=[PASS if s >= floor else FAIL for s in shares],
                       height=0.6)
        for bar, s in zip(bars, shares):
            if s < floor:
                bar.set_hatch(FAIL_HATCH)
                bar.set_edgecolor("#ffffff")
        ax.axvline(1.0, color="#555555", linewidth=1)
        if threshold is not None:
            ax.axvline(threshold, color=TICK, linestyle="--", linewidth=1.2)
        for y, (name, current, target) in enumerate(cells):
            mark = "✓" if shares[y] >= floor else "✗ below"
            ax.annotate(f"{current} / {target} {mark}", (min(shares[y], 1.5), y), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=FONT_PT)
        ax.set_xlim(0, 2.2)
        ax.set_xticks([0, 0.5, 1.0, 1.5])
        ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        ax.invert_yaxis()
        ax.set_xlabel("current count as a share of the target")
        floor_text = f"{floor:.0%}" if threshold is not None else "the target"
        _legend_above(ax, [Patch(facecolor=PASS, label=f"at or above {floor_text}"),
                           Patch(facecolor=FAIL, hatch=FAIL_HATCH, edgecolor="#ffffff",
                                 label=f"below {floor_text}")], 2)
        return _svg(fig, salt, title)


def rates(salt: str, names: list[str], values: list[float], intervals: list[tuple[float, float]],
          limits: dict[str, float], title: str, verdicts: dict[str, bool] | None = None) -> Markup:
    """Defect rates with their 95% intervals; a criterion's limit as a tick on its bar, and
    its verdict written beside the bar: verdicts[name] (the criterion's result, which may
    judge a confidence bound), else whether the interval's upper end is within the limit."""
    from matplotlib.lines import Line2D

    with matplotlib.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.36 * len(names) + 1.3))
        low = [v - i[0] for v, i in zip(values, intervals)]
        high = [i[1] - v for v, i in zip(values, intervals)]
        ax.barh(names, values, xerr=[low, high], color=LIGHT, edgecolor=NEUTRAL, height=0.6,
                error_kw={"ecolor": "#333333", "capsize": 3, "linewidth": 1})
        right = max([i[1] for i in intervals] + list(limits.values()) + [0.0])
        for y, name in enumerate(names):
            text = f"{values[y]:.2%}"
            if name in limits:
                ax.plot([limits[name]] * 2, [y - 0.42, y + 0.42], color=TICK, linewidth=2.2, solid_capstyle="butt")
                ok = verdicts[name] if verdicts and name in verdicts else intervals[y][1] <= limits[name]
                text += f"  ✓ limit {limits[name]:.2%}" if ok else f"  ✗ limit {limits[name]:.2%}"
            ax.annotate(text, (right, y), xytext=(6, 0), textcoords="offset points", va="center", fontsize=FONT_PT)
        ax.set_xlim(0, right * 2.4 if right else 1.0)
        ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=1))
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3))
        ax.invert_yaxis()
        ax.set_xlabel("share of audited items")
        _legend_above(ax, [Line2D([], [], color="#333333", linewidth=1, label="95% interval"),
                           Line2D([], [], color=TICK, linewidth=2.2, label="the criterion's limit")], 2)
        return _svg(fig, salt, title)


def heatmap(salt: str, labels: list[str], table: np.ndarray, title: str) -> Markup:
    """The rater confusion table: pairs of ratings of one item, by the two labels."""
    size = len(labels)
    full = np.tril(table) + np.tril(table, -1).T
    with matplotlib.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(0.6 * size + 2.2, 0.55 * size + 1.5))
        shown = np.log1p(full)
        ax.imshow(shown, cmap="Blues")
        ax.set_xticks(range(size), labels, rotation=40, ha="right")
        ax.set_yticks(range(size), labels)
        top = shown.max() if shown.size else 0
        for i in range(size):
            for j in range(size):
                ax.text(j, i, f"{int(full[i, j])}", ha="center", va="center", fontsize=FONT_PT,
                        color="white" if top and shown[i, j] > 0.6 * top else "#222222")
        ax.spines[:].set_visible(False)
        return _svg(fig, salt, title)

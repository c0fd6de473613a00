"""The agreement timeline of a guideline: Krippendorff's alpha of each guideline version's
ratings, one point per version in release order, as inline SVG.

Drawn as plots.py draws (matplotlib, Agg, text kept as text, salted ids, no date): its SVG
writer and style are reused so every figure of a page behaves the same. Meaning never rests
on colour alone: a released version is a filled circle and one not released a hollow
square, the version the gate judges is named in words under its tick, and the legend says
which is which. Every piece of text is at least 11 px (plots.MIN_TEXT_PX).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from markupsafe import Markup

from . import plots

RELEASED, UNRELEASED = "o", "s"


def agreement_timeline(salt: str, versions: list[str], alphas: list[float | None], released: list[bool],
                       current: str | None, title: str) -> Markup:
    """versions in release order, each with its alpha (None: not computable, drawn as a
    gap with 'n/a' written at the axis) and whether it is a release."""
    with plt.rc_context(plots.STYLE):
        fig, ax = plt.subplots(figsize=(plots.WIDTH_IN, 2.6))
        x = np.arange(len(versions))
        y = np.array([np.nan if a is None else a for a in alphas], dtype=float)
        ax.plot(x, y, color=plots.NEUTRAL, linewidth=1.2, zorder=1)
        for i, (value, is_release) in enumerate(zip(y, released)):
            if np.isnan(value):
                ax.text(i, 0.02, "n/a", ha="center", va="bottom", transform=ax.get_xaxis_transform())
                continue
            ax.scatter([i], [value], marker=RELEASED if is_release else UNRELEASED, s=48, zorder=2,
                       facecolors=plots.NEUTRAL if is_release else "white", edgecolors=plots.NEUTRAL, linewidths=1.4)
            ax.annotate(f"{value:.3f}", (i, value), textcoords="offset points", xytext=(0, 7), ha="center")
        ax.set_xticks(x)
        ax.set_xticklabels([f"{v}\n(judged)" if v == current else v for v in versions])
        finite = y[~np.isnan(y)]
        low = min(0.0, float(finite.min()) - 0.05) if len(finite) else 0.0
        ax.set_ylim(low, 1.08)
        ax.set_xlim(-0.5, len(versions) - 0.5)
        ax.set_ylabel("Krippendorff's alpha")
        ax.set_xlabel("Guideline version, in release order")
        handles = [plt.Line2D([], [], marker=RELEASED, linestyle="", markerfacecolor=plots.NEUTRAL,
                              markeredgecolor=plots.NEUTRAL, label="released"),
                   plt.Line2D([], [], marker=UNRELEASED, linestyle="", markerfacecolor="white",
                              markeredgecolor=plots.NEUTRAL, label="not released")]
        ax.legend(handles=handles, loc="lower left", frameon=False, ncol=2)
        ax.set_title(title, loc="left")
        ax.tick_params(colors=plots.TICK)
        return plots._svg(fig, salt, title)  # the page's one SVG writer (ids salted, no date)

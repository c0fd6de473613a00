"""The quality figures of every guideline, computed once per build before any page is
rendered: page rendering (render/pages.py) only reads them from SiteOptions.quality.

The metrics stack (pandas, matplotlib) is imported only for a guideline whose data is on
disk: a release read from git has none, so its build never needs the metrics extra.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .guideline import Guideline
from .metrics_extra import require_metrics

ABSENT: dict[str, Any] = {"present": False}


def quality_figures(guidelines: list[Guideline], changelogs: dict[str, Any] | None = None
                    ) -> dict[str, dict[str, Any]]:
    """guideline id -> the view of its quality figures (metrics.view.quality_context), for
    the datasheet and acceptance pages; changelogs (guideline id -> Changelog) name the
    released versions the agreement timeline marks. Raises UsageError when a guideline has
    data and the metrics extra is not installed."""
    changelogs = changelogs or {}
    return {g.id: quality_of(g, [r.version for r in changelogs[g.id].releases] if g.id in changelogs else [])
            for g in guidelines}


def quality_of(guideline: Guideline, releases: list[str] | None = None) -> dict[str, Any]:
    data = guideline.datasheet.data
    if data is None or not Path(guideline.folder).is_dir():
        return dict(ABSENT)
    require_metrics(f"{guideline.id} has annotation data; computing its quality figures")
    from .metrics.view import quality_context

    return quality_context(guideline, releases or [])

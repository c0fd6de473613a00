"""The whole pipeline behind a site build: specs -> validated guidelines -> pages.

This is the one entry point the MkDocs hook calls. It never raises for bad specs: the
caller gets the report and decides (the hook aborts before MkDocs touches the site).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report
from .load import load_guidelines
from .render.pages import Site, build_site


@dataclass
class SiteBuild:
    site: Site | None  # None when any spec has an error
    report: Report
    guidelines_checked: int


def generate_site(project: Path) -> SiteBuild:
    """Pages for every guideline under project/specs, rendered with project/site_templates."""
    result = load_guidelines([project / "specs"])
    if not result.ok:
        return SiteBuild(None, result.report, result.folders_checked)
    site = build_site(result.guidelines, project / "site_templates")
    return SiteBuild(site, result.report, result.folders_checked)

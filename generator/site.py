"""The whole pipeline behind a site build: specs -> validated guidelines -> pages.

This is the one entry point the MkDocs hook calls. It never raises for bad specs: the
caller gets the report and decides (the hook aborts before MkDocs touches the site).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .changelog import ReleaseContents, build_changelog
from .diagnostics import Report
from .history import read_history
from .load import UsageError, load_guidelines
from .render.pages import Site, SiteOptions, build_site


@dataclass
class SiteBuild:
    site: Site | None  # None when any spec has an error
    report: Report
    guidelines_checked: int
    warnings: list[str] = field(default_factory=list)


def generate_site(project: Path, *, link_releases: bool = False) -> SiteBuild:
    """Pages for the working copy of every guideline under project/specs, with changelogs
    from git (none, with a warning, outside git)."""
    specs = project / "specs"
    result = load_guidelines([specs])
    if not result.ok:
        return SiteBuild(None, result.report, result.folders_checked)
    history = read_history(project, specs)
    contents = ReleaseContents(history)
    changelogs = {}
    if history.repo is not None:
        changelogs = {g.id: build_changelog(history.of(g.id), contents, g) for g in result.guidelines}
    options = SiteOptions(changelogs=changelogs, link_releases=link_releases)
    site = build_site(result.guidelines, project / "site_templates", options)
    return SiteBuild(site, result.report, result.folders_checked, history.warnings)


def generate_release_site(project: Path, guideline_id: str, version: str) -> SiteBuild:
    """Pages of one released version of one guideline, from its specs at the release commit."""
    specs = project / "specs"
    history = read_history(project, specs)
    release = next((r for r in history.of(guideline_id).releases if r.version == version), None)
    if release is None:
        raise UsageError(f"{guideline_id} has no release {version}")
    contents = ReleaseContents(history)
    report = Report()
    guideline = history.read_guideline(release.commit.sha, guideline_id, report)
    if guideline is None:
        return SiteBuild(None, report, 1)
    changelog = build_changelog(history.of(guideline_id), contents, guideline, upto=version)
    options = SiteOptions(changelogs={guideline_id: changelog}, release=version)
    return SiteBuild(build_site([guideline], project / "site_templates", options), report, 1)

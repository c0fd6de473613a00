"""The whole pipeline behind a site build: specs -> validated guidelines -> pages.

This is the one entry point the engine plugin (labelbook_mkdocs) calls. It never raises
for bad specs: the caller gets the report and decides (the plugin aborts before the
engine touches the site).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .changelog import ReleaseContents, build_changelog, compare_releases
from .diagnostics import Report
from .history import read_history
from .load import UsageError, load_guidelines
from .quality_figures import quality_figures, stored_quality_figures
from .render.links import LinkSettings
from .render.pages import Page, Site, SiteOptions, build_site


@dataclass
class SiteBuild:
    site: Site | None  # None when any spec has an error
    report: Report
    guidelines_checked: int
    warnings: list[str] = field(default_factory=list)


def generate_site(project: Path, *, link_releases: bool = False, links: LinkSettings | None = None) -> SiteBuild:
    """Pages for the working copy of every guideline under project/specs, with changelogs
    from git (none, with a warning, outside git)."""
    specs = project / "specs"
    result = load_guidelines([specs])
    if not result.ok:
        return SiteBuild(None, result.report, result.folders_checked)
    history = read_history(project, specs)
    contents = ReleaseContents(history)
    changelogs = {}
    comparisons = {}
    if history.repo is not None:
        changelogs = {g.id: build_changelog(history.of(g.id), contents, g) for g in result.guidelines}
        comparisons = {g.id: compare_releases(changelogs[g.id], contents, history.of(g.id), g)
                       for g in result.guidelines}
    options = SiteOptions(changelogs=changelogs, link_releases=link_releases, links=links or LinkSettings(),
                          comparisons=comparisons,
                          quality=quality_figures(result.guidelines, changelogs))  # before rendering
    site = build_site(result.guidelines, project / "site_templates", options)
    return SiteBuild(site, result.report, result.folders_checked, history.warnings)


# The site is built in parts, each by its own engine run (labelbook build): the root (home
# page, recent releases, 404 and the assets) and one part per guideline. A part's pages
# depend on its own guideline only, so its build costs the same whatever the number of
# guidelines, and an edit rebuilds only the part it changed.
ROOT_PART = "_root"  # never a guideline id (ids start with a letter or digit)
HOME_STUB = ("# Guidelines\n\nThis page is replaced by the site's home page: a guideline's own build "
             "only needs its address for the link back.\n")


def generate_root_site(project: Path, *, link_releases: bool = False, links: LinkSettings | None = None,
                       ) -> SiteBuild:
    """The root part: the home page (every guideline), the recent releases and a navigation
    linking each guideline's part. A guideline with errors is left out here: its own part
    reports them (once) and fails the build."""
    specs = project / "specs"
    result = load_guidelines([specs])
    report = Report()
    report.diagnostics = [d for d in result.report.diagnostics if not _in_guideline_folder(project, d.path)]
    report.sources = result.report.sources
    if report.errors:
        return SiteBuild(None, report, result.folders_checked)
    history, contents = _release_history(project)
    changelogs = ({g.id: build_changelog(history.of(g.id), contents, g) for g in result.guidelines}
                  if history.repo is not None else {})
    options = SiteOptions(changelogs=changelogs, link_releases=link_releases, links=links or LinkSettings(),
                          guideline_pages=False)
    site = build_site(result.guidelines, project / "site_templates", options)
    site.nav.extend((g.title, f"{g.id}/") for g in sorted(result.guidelines, key=lambda g: g.id))
    return SiteBuild(site, report, result.folders_checked, history.warnings)


def generate_guideline_site(project: Path, guideline_id: str, *, link_releases: bool = False,
                            links: LinkSettings | None = None) -> SiteBuild:
    """One guideline's part: its pages at <id>/..., its navigation and a link back to the
    home page, from its own specs and history only."""
    result = load_guidelines([project / "specs" / guideline_id])
    if not result.ok:
        return SiteBuild(None, result.report, result.folders_checked)
    history, contents = _release_history(project)
    changelogs, comparisons = {}, {}
    if history.repo is not None:
        changelogs = {g.id: build_changelog(history.of(g.id), contents, g) for g in result.guidelines}
        comparisons = {g.id: compare_releases(changelogs[g.id], contents, history.of(g.id), g)
                       for g in result.guidelines}
    options = SiteOptions(changelogs=changelogs, link_releases=link_releases, links=links or LinkSettings(),
                          comparisons=comparisons, root_pages=False,
                          quality=stored_quality_figures(project, result.guidelines, changelogs))
    site = build_site(result.guidelines, project / "site_templates", options)
    # The home page is the root part's; this build only needs it to exist for the links to
    # it (the header's and the navigation's), so a stub stands in and is not published.
    site.pages.insert(0, Page("index.md", "Guidelines", HOME_STUB, None, searchable=False))
    site.nav.insert(0, ("Guidelines", "index.md"))
    return SiteBuild(site, result.report, result.folders_checked, history.warnings)


def _in_guideline_folder(project: Path, path: str) -> bool:
    """Whether a diagnostic's file lies in a guideline folder (reported by that part)."""
    parts = Path(path).parts
    return len(parts) >= 3 and parts[0] == "specs" and (project / "specs" / parts[1] / "guideline.yaml").exists()


def generate_release_site(project: Path, guideline_id: str, version: str,
                          links: LinkSettings | None = None) -> SiteBuild:
    """Pages of one released version of one guideline, from its specs at the release commit."""
    history, contents = _release_history(project)
    release = next((r for r in history.of(guideline_id).releases if r.version == version), None)
    if release is None:
        raise UsageError(f"{guideline_id} has no release {version}")
    report = Report()
    guideline = history.read_guideline(release.commit.sha, guideline_id, report)
    if guideline is None:
        return SiteBuild(None, report, 1)
    changelog = build_changelog(history.of(guideline_id), contents, guideline, upto=version)
    options = SiteOptions(changelogs={guideline_id: changelog}, release=version, links=links or LinkSettings(),
                          quality=quality_figures([guideline], {guideline_id: changelog}))  # before rendering
    return SiteBuild(build_site([guideline], project / "site_templates", options), report, 1)


# A process building many releases (labelbook_mkdocs.batch) reads the history once per
# state of the repository, not once per release: it is most of a small release's cost.
_histories: dict[tuple[Path, str], tuple[Any, ReleaseContents]] = {}


def _release_history(project: Path) -> tuple[Any, ReleaseContents]:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True,
                              timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        head = ""
    key = (project.resolve(), head)
    if not head or key not in _histories:
        history = read_history(project, project / "specs")
        if not head:
            return history, ReleaseContents(history)
        _histories.clear()  # one repository state at a time
        _histories[key] = (history, ReleaseContents(history))
    return _histories[key]

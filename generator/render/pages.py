"""Guidelines -> the site's pages (Markdown from templates) and its navigation.

Addresses are stable and readable; every page is one template of site_templates/pages/
rendered with one guideline. Nothing here knows about MkDocs: a page is a path, a title,
its Markdown and the spec file it comes from (for the edit link).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..guideline import Guideline
from ..spec.acceptance import Level
from ..spec.edge_cases import Ambiguity
from .markup import make_environment
from .shapes import shape_context
from .tree_diagram import question_text, tree_svg


@dataclass(frozen=True)
class Page:
    path: str  # e.g. content-safety/labels/hate_speech.md
    title: str
    markdown: str
    source: str | None  # spec file it is generated from, e.g. specs/content-safety/taxonomy.yaml
    wide: bool = False  # the page needs the full width (no table of contents beside it)


# NavItem: (title, page path) or (title, [NavItem, ...])
NavItem = tuple[str, Any]


@dataclass
class Site:
    pages: list[Page] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)


# (template, address below the guideline, nav title, spec file) in reading order.
GUIDELINE_PAGES = [
    ("overview.md.j2", "index.md", "Overview", "brief.yaml"),
    ("quick_reference.md.j2", "quick-reference.md", "Quick reference card", "taxonomy.yaml"),
    ("decision_tree.md.j2", "decision-tree.md", "Decision tree", "decision_tree.yaml"),
    ("definitions.md.j2", "definitions.md", "Definitions", "taxonomy.yaml"),
    ("edge_cases.md.j2", "edge-cases.md", "Edge cases and escalation", "edge_cases.yaml"),
    ("acceptance.md.j2", "acceptance.md", "Acceptance criteria", "acceptance.yaml"),
    ("qa_plan.md.j2", "qa-plan.md", "QA plan", "qa.yaml"),
    ("sampling.md.j2", "sampling.md", "Sampling and splits", "sampling.yaml"),
    ("datasheet.md.j2", "datasheet.md", "Datasheet", "datasheet.yaml"),
]
CHANGELOG_PAGE = ("changelog.md.j2", "changelog.md", "Changelog", "guideline.yaml")

AMBIGUITY_TITLES = {
    Ambiguity.insufficient_context: "Insufficient context",
    Ambiguity.borderline_criteria: "Borderline criteria",
    Ambiguity.conflicting_signals: "Conflicting signals",
    Ambiguity.policy_uncertainty: "Policy uncertainty",
}
LEVEL_TITLES = {Level.record: "Record level", Level.batch: "Batch level", Level.release: "Release level"}


def _context(guideline: Guideline) -> dict[str, Any]:
    """What every guideline template sees, precomputed so templates stay declarative."""
    labels = guideline.taxonomy.labels
    children: dict[str, list[str]] = {}
    for label in labels:
        if label.parent:
            children.setdefault(label.parent, []).append(label.id)
    rules_by_type = [(AMBIGUITY_TITLES[kind], kind.value, [r for r in guideline.edge_cases.rules if r.ambiguity == kind])
                     for kind in Ambiguity]
    criteria_by_level = [(LEVEL_TITLES[level], level.value,
                          [c for c in guideline.acceptance.criteria if c.level == level]) for level in Level]
    return {
        "g": guideline,
        "m": guideline.manifest,
        "labels": labels,
        "label_names": {label.id: label.name for label in labels},
        "route_names": {route.id: route.name for route in guideline.edge_cases.routes},
        "question_numbers": {q.id: n for n, q in enumerate(guideline.decision_tree.questions, start=1)},
        "question_texts": {q.id: question_text(q.question) for q in guideline.decision_tree.questions},
        "children": children,
        "rules_by_type": rules_by_type,
        "criteria_by_level": criteria_by_level,
        "top_rules": [r for r in guideline.edge_cases.rules if r.top],
        "quality": _quality(guideline),
        **shape_context(guideline),
    }


def shown_status(guideline: Guideline, changelog: Any, release: str | None) -> str:
    """The status badge: the lead's declared status, except that a released version is
    never shown as a draft (a `status: draft` left in guideline.yaml after release)."""
    status = guideline.manifest.status.value
    released = release is not None or (
        changelog is not None and guideline.version in {r.version for r in changelog.releases})
    return "released" if status == "draft" and released else status


@dataclass
class SiteOptions:
    """How a site is laid out: the whole working copy, or one frozen release of one guideline."""

    changelogs: dict[str, Any] = field(default_factory=dict)  # guideline id -> Changelog
    release: str | None = None  # version, when building one release on its own
    link_releases: bool = False  # release folders are published next to the working copy


_quality_seen: dict[str, tuple[Any, dict[str, Any]]] = {}  # guideline id -> (inputs, figures)


def _quality(guideline: Guideline) -> dict[str, Any]:
    # The metrics stack (pandas, matplotlib) is imported only for a guideline whose data is
    # on disk: a release read from git has none, so its build starts faster.
    data = guideline.datasheet.data
    if data is None or not Path(guideline.folder).is_dir():
        return {"present": False}
    from ..metrics.quality import repository_root
    from ..metrics.view import quality_context

    # A live preview rebuilds on every save: figures are recomputed only when the specs or
    # the data files they come from changed.
    try:
        root = repository_root(guideline)
        files = tuple((p, (root / p).stat().st_mtime_ns, (root / p).stat().st_size)
                      for p in (data.annotations, data.audit) if p)
    except OSError:
        return quality_context(guideline)  # reports the unreadable file
    inputs = (files, tuple(guideline.sources[name].text for name in sorted(guideline.sources)))
    seen = _quality_seen.get(guideline.id)
    if seen is None or seen[0] != inputs:
        seen = _quality_seen[guideline.id] = (inputs, quality_context(guideline))
    return seen[1]


def build_site(guidelines: list[Guideline], templates: Path, options: SiteOptions | None = None) -> Site:
    options = options or SiteOptions()
    env = make_environment(templates / "pages")
    site = Site()
    ordered = sorted(guidelines, key=lambda g: g.id)
    if options.release is None:
        statuses = {g.id: shown_status(g, options.changelogs.get(g.id), None) for g in ordered}
        home = env.get_template("home.md.j2").render(guidelines=ordered, statuses=statuses)
        site.pages.append(Page("index.md", "Guidelines", home, None))
        site.nav.append(("Guidelines", "index.md"))
        releases = _recent_releases(ordered, options.changelogs)
        if releases:
            markdown = env.get_template("releases.md.j2").render(releases=releases)
            site.pages.append(Page("releases.md", "Recent releases", markdown, None))
            site.nav.append(("Recent releases", "releases.md"))
    for guideline in ordered:
        prefix = "" if options.release is not None else f"{guideline.id}/"
        changelog = options.changelogs.get(guideline.id)
        context = _context(guideline)
        # A checklist is a list of questions asked in order, not a drawing of paths.
        context.update(tree_svg=None if context["checklist"] else tree_svg(guideline),
                       changelog=changelog, release=options.release,
                       status=shown_status(guideline, changelog, options.release),
                       link_releases=options.link_releases and options.release is None)
        section: list[NavItem] = []
        pages = GUIDELINE_PAGES + ([CHANGELOG_PAGE] if changelog is not None else [])
        for template, address, title, spec_file in pages:
            path = f"{prefix}{address}"
            here = "" if address == "index.md" else address.removesuffix(".md") + "/"
            markdown = env.get_template(template).render(context, page_title=title, here=here)
            site.pages.append(Page(path, title, markdown, guideline.spec_path(spec_file),
                                   wide=template == "decision_tree.md.j2"))
            section.append((title, path))
        label_template = env.get_template("label.md.j2")
        label_nav: list[NavItem] = []
        for label in guideline.taxonomy.labels:
            path = f"{prefix}labels/{label.id}.md"
            history = changelog.label_history.get(label.id, []) if changelog else []
            markdown = label_template.render(context, label=label, page_title=label.name,
                                             here=f"labels/{label.id}/", label_history=history)
            site.pages.append(Page(path, label.name, markdown, guideline.spec_path("taxonomy.yaml")))
            label_nav.append((label.name, path))
        label_nav = _scale_nav(label_nav, context, prefix)
        # Definitions come before the label pages they introduce.
        position = [t for t, *_ in GUIDELINE_PAGES].index("definitions.md.j2") + 1
        section.insert(position, ("Labels", label_nav))
        if options.release is not None:
            site.nav.extend(section)
        else:
            site.nav.append((guideline.title, section))
    return site


def _scale_nav(label_nav: list[NavItem], context: dict[str, Any], prefix: str) -> list[NavItem]:
    """The label pages in the navigation: the points of a scale under the scale's name, lowest
    first, each as "value · name"; other labels (a preference guideline's answers) first.
    Addresses stay labels/<label>/."""
    points = context["points"]
    if not points:
        return label_nav
    paths = {f"{prefix}labels/{point}.md" for point in points}
    nav: list[NavItem] = [(title, path) for title, path in label_nav if path not in paths]
    for scale in context["scales"]:
        nav.append((scale.criterion.name, [(f"{points[p].value} · {context['label_names'][p]}",
                                            f"{prefix}labels/{p}.md") for p in scale.points]))
    return nav


def _recent_releases(guidelines: list[Guideline], changelogs: dict[str, Any], limit: int = 50) -> list[Any]:
    entries = [(g, r) for g in guidelines if g.id in changelogs for r in changelogs[g.id].releases]
    entries.sort(key=lambda pair: (-pair[1].commit.timestamp, pair[0].id, pair[1].version))
    return entries[:limit]

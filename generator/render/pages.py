"""Guidelines -> the site's pages (Markdown from templates) and its navigation.

Addresses are stable and readable; every page is one template of generator/page_templates/
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
from .decision_helper import embedded_json, helper_data, self_test_data  # decision helper, self-test, print
from .print_view import print_sections  # the whole guideline on one page
from .history_view import change_context
from .links import Linker, LinkSettings
from .markup import shared_environment
from .shapes import shape_context
from .tree_diagram import question_text, tree_svg


@dataclass(frozen=True)
class Page:
    path: str  # e.g. content-safety/labels/hate_speech.md
    title: str
    markdown: str
    source: str | None  # spec file it is generated from, e.g. specs/content-safety/taxonomy.yaml
    wide: bool = False  # the page needs the full width (no table of contents beside it)
    stamp: dict[str, str] | None = None  # the version chip and print header (see version_stamp)
    searchable: bool = True  # False: left out of the search index (the compare page repeats every change)


# NavItem: (title, page path) or (title, [NavItem, ...])
NavItem = tuple[str, Any]


@dataclass
class Site:
    pages: list[Page] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)


# (template, address below the guideline, nav title, spec file) in reading order.
# The packaged page templates; a project's site_templates/pages/ overrides them by name.
PAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "page_templates"

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
# With two releases or more (the working copy only: it knows every release).
WHATS_NEW_PAGE = ("whats_new.md.j2", "whats-new.md", "What changed since…", "guideline.yaml")
COMPARE_PAGE = ("compare.md.j2", "compare.md", "Compare releases", "guideline.yaml")
# --- the rater's self-test and the whole guideline on one page for print ---------------
SELF_TEST_PAGE = ("self_test.md.j2", "self-test.md", "Self-test", "taxonomy.yaml")
PRINT_PAGE = ("print.md.j2", "print.md", "Whole guideline for print", "guideline.yaml")
# --- end of the self-test and print pages ----------------------------------------------

AMBIGUITY_TITLES = {
    Ambiguity.insufficient_context: "Insufficient context",
    Ambiguity.borderline_criteria: "Borderline criteria",
    Ambiguity.conflicting_signals: "Conflicting signals",
    Ambiguity.policy_uncertainty: "Policy uncertainty",
}
LEVEL_TITLES = {Level.record: "Record level", Level.batch: "Batch level", Level.release: "Release level"}


def _context(guideline: Guideline, quality: dict[str, dict[str, Any]]) -> dict[str, Any]:
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
        "rule_titles": {rule.id: rule.title for rule in guideline.edge_cases.rules},
        "question_numbers": {q.id: n for n, q in enumerate(guideline.decision_tree.questions, start=1)},
        "question_texts": {q.id: question_text(q.question) for q in guideline.decision_tree.questions},
        "children": children,
        "rules_by_type": rules_by_type,
        "criteria_by_level": criteria_by_level,
        "top_rules": [r for r in guideline.edge_cases.rules if r.top],
        "quality": _quality(guideline, quality),
        **shape_context(guideline),
    }


def shown_status(guideline: Guideline, changelog: Any, release: str | None) -> str:
    """The status badge: the lead's declared status, except that a released version is
    never shown as a draft (a `status: draft` left in guideline.yaml after release)."""
    status = guideline.manifest.status.value
    released = release is not None or (
        changelog is not None and guideline.version in {r.version for r in changelog.releases})
    return "released" if status == "draft" and released else status


def version_stamp(guideline: Guideline, changelog: Any, release: str | None) -> dict[str, str]:
    """What the version chip and the print header of every page of a guideline say: its
    title, version, state (released or draft), the date and commit that state refers to,
    and the newest release known when the page was built. A frozen release's page cannot
    know of later releases: the browser compares its version with versions.json and shows
    it as outdated, naming the newest (labelbook.js)."""
    stamp = {"guideline": guideline.title, "guideline_id": guideline.id, "version": guideline.version,
             "state": "draft", "state_text": "draft, not released", "date": "", "commit": "", "newest": "",
             "frozen": "1" if release is not None else "",
             "changelog": ""}
    if changelog is None:
        return stamp  # outside git: no changelog page to link to
    stamp["changelog"] = "changelog/" if release is not None else f"{guideline.id}/changelog/"
    latest = changelog.latest
    stamp["newest"] = latest.version if latest is not None else ""
    entry = next((r for r in changelog.releases if r.version == guideline.version), None)
    if release is not None or (entry is not None and not changelog.draft):
        shown = entry or latest
        stamp.update(state="released", state_text="released", date=shown.commit.date, commit=shown.commit.short)
        return stamp
    last = changelog.unreleased_commits[0] if changelog.unreleased_commits else latest.commit if latest else None
    if last is not None:
        stamp.update(date=last.date, commit=last.short)
    if changelog.uncommitted:
        stamp["commit"] = f"{stamp['commit']} + uncommitted changes".strip(" +")
    if entry is not None:
        stamp["state_text"] = f"draft, unreleased changes since {guideline.version}"
    return stamp


@dataclass
class SiteOptions:
    """How a site is laid out: the whole working copy, or one frozen release of one guideline."""

    changelogs: dict[str, Any] = field(default_factory=dict)  # guideline id -> Changelog
    release: str | None = None  # version, when building one release on its own
    link_releases: bool = False  # release folders are published next to the working copy
    links: LinkSettings = field(default_factory=LinkSettings)  # commit and ticket addresses
    # guideline id -> (every pair of releases, each release against the current specs)
    comparisons: dict[str, tuple[list[Any], list[Any]]] = field(default_factory=dict)
    # The site is built in parts (generator/site.py): the root pages (home, recent releases)
    # and each guideline's pages can be left out of one build.
    root_pages: bool = True
    guideline_pages: bool = True
    # guideline id -> its quality figures for the datasheet and acceptance pages, computed
    # before rendering (generator/quality_figures.py): rendering reads no data.
    quality: dict[str, dict[str, Any]] = field(default_factory=dict)


def _quality(guideline: Guideline, figures: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The guideline's quality figures, computed before rendering (quality_figures.py);
    a guideline left out of them shows no measured figures."""
    return figures.get(guideline.id, {"present": False})


def build_site(guidelines: list[Guideline], overrides: Path | None = None, options: SiteOptions | None = None) -> Site:
    """The pages of guidelines. overrides is a project's site_templates/ folder: a template
    in its pages/ replaces the packaged one of the same name."""
    options = options or SiteOptions()
    folders = [overrides / "pages"] if overrides is not None and (overrides / "pages").is_dir() else []
    overridden = tuple(sorted(p.name for f in folders for p in f.iterdir()))
    env = shared_environment(tuple(str(f) for f in folders + [PAGE_TEMPLATES]), overridden)
    site = Site()
    ordered = sorted(guidelines, key=lambda g: g.id)
    if options.release is None and options.root_pages:
        statuses = {g.id: shown_status(g, options.changelogs.get(g.id), None) for g in ordered}
        home = env.get_template("home.md.j2").render(guidelines=ordered, statuses=statuses)
        site.pages.append(Page("index.md", "Guidelines", home, None))
        site.nav.append(("Guidelines", "index.md"))
        releases = _recent_releases(ordered, options.changelogs)
        if releases:
            markdown = env.get_template("releases.md.j2").render(releases=releases,
                                                                 link_releases=options.link_releases,
                                                                 linker=Linker(options.links))
            site.pages.append(Page("releases.md", "Recent releases", markdown, None))
            site.nav.append(("Recent releases", "releases.md"))
    for guideline in ordered if options.guideline_pages else []:
        prefix = "" if options.release is not None else f"{guideline.id}/"
        changelog = options.changelogs.get(guideline.id)
        context = _context(guideline, options.quality)
        # A checklist is a list of questions asked in order, not a drawing of paths.
        context.update(tree_svg=None if context["checklist"] else tree_svg(guideline),
                       changelog=changelog, release=options.release,
                       status=shown_status(guideline, changelog, options.release),
                       link_releases=options.link_releases and options.release is None,
                       linker=Linker(options.links, context["label_names"],
                                     {r.id: r.title for r in guideline.edge_cases.rules}),
                       # Release folders sit beside the working copy's pages (<id>/<version>/),
                       # and beside a release's own folder.
                       version_links=options.link_releases or options.release is not None,
                       versions_prefix="../" if options.release is not None else "",
                       linked_versions=[r.version for r in changelog.releases if r.valid] if changelog else [],
                       **change_context(changelog, options.release))
        stamp = version_stamp(guideline, changelog, options.release)
        section: list[NavItem] = []
        pairs, since = options.comparisons.get(guideline.id, ([], []))
        context.update(comparisons=pairs, since=since)
        # --- decision helper, self-test and print: their data and pages ---
        context.update(helper_json=embedded_json(helper_data(guideline)),
                       self_test=self_test_data(guideline, context["changed_labels"]))
        context.update(self_test_json=embedded_json(context["self_test"]) if context["self_test"] else "")
        printed: list[tuple[str, str, str]] = []  # (template, title, markdown) of GUIDELINE_PAGES
        # --- end of decision helper, self-test and print ---
        pages = GUIDELINE_PAGES + [SELF_TEST_PAGE] + ([CHANGELOG_PAGE] if changelog is not None else []) + (
            [WHATS_NEW_PAGE, COMPARE_PAGE] if pairs and options.release is None else []) + [PRINT_PAGE]
        for template, address, title, spec_file in pages:
            path = f"{prefix}{address}"
            # The same page in a release folder ("" for the release's overview: the working
            # copy's compare pages have no counterpart there).
            here = "" if address in ("index.md", WHATS_NEW_PAGE[1], COMPARE_PAGE[1]) else address.removesuffix(".md") + "/"
            if template == PRINT_PAGE[0]:  # the sections as rendered above, the diagram without the helper
                markdown = env.get_template(template).render(
                    context, page_title=title, here=here,
                    sections=print_sections([(name, env.get_template(t).render(context, page_title=name, here=here,
                                                                                printing=True)
                                                  if t == "decision_tree.md.j2" else text, t == "overview.md.j2")
                                                 for t, name, text in printed]))
            else:
                markdown = env.get_template(template).render(context, page_title=title, here=here)
            if (template, address, title, spec_file) in GUIDELINE_PAGES:
                printed.append((template, title, markdown))
            site.pages.append(Page(path, title, markdown, guideline.spec_path(spec_file),
                                   wide=template == "decision_tree.md.j2", stamp=stamp,
                                   searchable=template not in (COMPARE_PAGE[0], PRINT_PAGE[0])))
            section.append((title, path))
        label_template = env.get_template("label.md.j2")
        label_nav: list[NavItem] = []
        for label in guideline.taxonomy.labels:
            path = f"{prefix}labels/{label.id}.md"
            history = changelog.label_history.get(label.id, []) if changelog else []
            markdown = label_template.render(context, label=label, page_title=label.name,
                                             here=f"labels/{label.id}/", label_history=history)
            site.pages.append(Page(path, label.name, markdown, guideline.spec_path("taxonomy.yaml"), stamp=stamp))
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

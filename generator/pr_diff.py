"""`labelbook diff`: the semantic changes of every guideline between two revisions, the
bump they require against the bump made, as Markdown for a pull-request comment or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import git
import jinja2

from .diagnostics import Report
from .guideline import Guideline
from .history import History, HistoryError, read_history
from .load import find_guideline_folders, load_folder
from .render.markup import escape_github_inline
from .semantic_diff import GuidelineDiff, compare_versions, diff_guidelines

TEMPLATES = Path(__file__).parent / "report_templates"


@dataclass
class DiffResult:
    base: str
    head: str
    diffs: list[GuidelineDiff] = field(default_factory=list)
    report: Report = field(default_factory=Report)  # problems loading either side
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.report.errors and not any(d.problems() for d in self.diffs)


def diff_revisions(project: Path, specs: Path, base: str, head: str | None) -> DiffResult:
    history = read_history(project, specs)
    repo = history.repo
    if repo is None:
        raise HistoryError(f"{project} is not in a git repository", "labelbook diff compares two git revisions")
    for rev in (base, head):
        if rev is not None:
            try:
                repo.git.rev_parse("--verify", "--quiet", f"{rev}^{{commit}}")
            except Exception:
                raise HistoryError(f"unknown revision '{rev}'",
                                   "fetch it first, e.g. `git fetch origin main`, and pass --base origin/main") from None
    result = DiffResult(base, head or "working tree", warnings=history.warnings)
    old: dict[str, Guideline | None] = {}
    for gid in history.folders_at(base):
        old[gid] = history.read_guideline(base, gid, result.report)
    new: dict[str, Guideline | None] = {}
    if head is None:
        folders = find_guideline_folders([specs]) if specs.exists() else []
        for folder in folders:
            new[folder.name] = load_folder(folder, result.report)
    else:
        for gid in history.folders_at(head):
            new[gid] = history.read_guideline(head, gid, result.report)
    for gid in sorted(set(old) | set(new)):
        if (gid in old and old[gid] is None) or (gid in new and new[gid] is None):
            continue  # invalid on one side: the report says why
        diff = diff_guidelines(old.get(gid), new.get(gid))
        diff.released_top = _highest_release(history, gid, base)
        if diff.changes or diff.old_version != diff.new_version:
            result.diffs.append(diff)
    return result


def _highest_release(history: History, gid: str, base: str) -> tuple[str, str, str] | None:
    """(version, short commit, date) of the highest release of a guideline made at or
    before base: a pull request may not set a version at or below it."""
    assert history.repo is not None
    top = None
    for release in history.of(gid).releases:
        if top is not None and compare_versions(release.version, top.version) <= 0:
            continue
        try:
            history.repo.git.merge_base("--is-ancestor", release.commit.sha, base)
        except git.GitCommandError:
            continue  # made after base (on the head's line): not a constraint on this change
        top = release
    return (top.version, top.commit.short, top.commit.date) if top is not None else None


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["md"] = escape_github_inline
    return env


def render_markdown(result: DiffResult) -> str:
    """The pull-request comment (GitHub Markdown; spec text escaped)."""
    return _environment().get_template("diff.md.j2").render(result=result)


def render_text(result: DiffResult) -> str:
    """The same report for a terminal: plain text, spec text as written."""
    env = _environment()
    env.filters["md"] = str
    return env.get_template("diff.txt.j2").render(result=result)


def render_json(result: DiffResult) -> str:
    payload = {
        "base": result.base,
        "head": result.head,
        "ok": result.ok,
        "errors": [asdict(d) for d in result.report.errors],
        "guidelines": [{
            "id": d.id,
            "old_version": d.old_version,
            "new_version": d.new_version,
            "required_bump": d.required_bump,
            "made_bump": d.made_bump,
            "declared_types": d.declared_types,
            "detected_types": d.detected_types,
            "problems": d.problems(),
            "fix": d.fix(),
            "label_map": d.label_map,
            "changes": [asdict(c) for c in d.changes],
        } for d in result.diffs],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

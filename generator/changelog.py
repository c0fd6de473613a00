"""Changelogs and label histories: releases from git joined with their semantic diffs.

For each release (newest first): version, date, commit, author, the changes the lead
declared in that version's guideline.yaml, the changes detected against the previous
release, and the commits in between. For each label: every release where any of its
fields changed (definition, criteria, thresholds, notes, examples, parent or group, value
...), each field's change word by word, who changed it, when, who approved it and why.
The contents of each release are read from git objects once and reused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Report
from .gc_paused import cyclic_gc_paused
from .guideline import Guideline
from .history import Commit, GuidelineHistory, History, Release
from .semantic_diff import GuidelineDiff, SemanticChange, diff_guidelines, fresh_changes
from .word_diff import Segment, changed_words


@dataclass
class ReleaseEntry:
    version: str
    commit: Commit
    tag: str | None
    declared: list[Any]  # the `changes` entries of that version's guideline.yaml
    detected: list[SemanticChange]
    commits: list[Commit]
    valid: bool = True  # False when the specs at that commit did not pass validation
    label_map: dict[str, list[str]] = field(default_factory=dict)  # old label id -> new ids, vs the previous release


@dataclass(frozen=True)
class Why:
    """A declared change as a reason: "summary: rationale (ticket)", the ticket left out when
    the text already names it, and a summary's closing full stop dropped before the colon."""

    type: str
    summary: str
    rationale: str
    ticket: str | None
    approved_by: str | None

    @classmethod
    def of(cls, entry: Any) -> "Why":
        summary, rationale = " ".join(entry.summary.split()), " ".join(entry.rationale.split())
        ticket = entry.ticket if entry.ticket and entry.ticket not in summary + " " + rationale else None
        return cls(entry.type.value, summary.rstrip(".:;, ") or summary, rationale, ticket,
                   getattr(entry, "approved_by", None))


@dataclass(frozen=True)
class FieldChange:
    """One field of a label at one release: definition changed, an include criterion
    added, a tricky example removed, the parent changed ..."""

    field: str  # definition, include, exclude, thresholds, notes, examples, name, value, parent, group, ...
    what: str  # e.g. "definition changed", "include criterion added"
    before: str | None = None
    after: str | None = None

    @property
    def words(self) -> list[Segment] | None:
        return changed_words(self.before, self.after)


@dataclass
class LabelState:
    """A label as it was from one release on (where any of its fields changed)."""

    version: str
    commit: Commit
    name: str
    definition: str
    include: list[str]
    exclude: list[str]
    why: list[Why]  # declared changes of that release that concern the label (or all, if none name labels)
    thresholds: list[str] = field(default_factory=list)
    notes: str | None = None
    value: str = ""
    parent: str | None = None
    groups: list[str] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)  # against the previous state; empty for the first
    first: bool = False  # the label's first release

    @property
    def approvers(self) -> list[str]:
        return list(dict.fromkeys(w.approved_by for w in self.why if w.approved_by))


def _state_of(label: Any, guideline: Guideline, release: Release, why: list[Why]) -> LabelState:
    groups = [g.id for g in guideline.taxonomy.groups if label.id in g.members]
    return LabelState(release.version, release.commit, label.name, label.definition, list(label.include),
                      list(label.exclude), why, list(label.thresholds), label.notes, label.data_value,
                      label.parent, groups)


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text is not None else None


def _list_changes(name: str, field_name: str, old: list[str], new: list[str]) -> list[FieldChange]:
    before, after = [_one_line(x) or "" for x in old], [_one_line(x) or "" for x in new]
    removed = [x for x in before if x not in after]
    added = [x for x in after if x not in before]
    out = []
    # A criterion edited in place (the same position, one out and one in) is a change of its words.
    while removed and added and before.index(removed[0]) == after.index(added[0]):
        out.append(FieldChange(field_name, f"{name} changed", removed.pop(0), added.pop(0)))
    out += [FieldChange(field_name, f"{name} added", None, x) for x in added]
    out += [FieldChange(field_name, f"{name} removed", x, None) for x in removed]
    return out


def label_field_changes(old: Any, new: Any, old_groups: list[str], new_groups: list[str]) -> list[FieldChange]:
    """Every field of a label that differs between two releases, in the order the label page
    shows them."""
    out: list[FieldChange] = []
    for name, label in (("name", "name"), ("value", "data_value"), ("definition", "definition"),
                        ("short line", "short")):
        a, b = _one_line(getattr(old, label)), _one_line(getattr(new, label))
        if a != b:
            out.append(FieldChange(label if label != "data_value" else "value", f"{name} changed", a, b))
    out += _list_changes("include criterion", "include", old.include, new.include)
    out += _list_changes("exclude criterion", "exclude", old.exclude, new.exclude)
    out += _list_changes("threshold", "thresholds", old.thresholds, new.thresholds)
    if _one_line(old.notes) != _one_line(new.notes):
        out.append(FieldChange("notes", "notes changed" if old.notes and new.notes else
                               "notes added" if new.notes else "notes removed", _one_line(old.notes),
                               _one_line(new.notes)))
    if old.parent != new.parent:
        out.append(FieldChange("parent", "parent changed", old.parent or "(top level)", new.parent or "(top level)"))
    if old_groups != new_groups:
        out.append(FieldChange("group", "group changed", ", ".join(old_groups) or "(none)",
                               ", ".join(new_groups) or "(none)"))
    if old.exclusive != new.exclusive:
        out.append(FieldChange("exclusive", "now exclusive" if new.exclusive else "no longer exclusive"))
    for language in sorted(set(old.words) | set(new.words)):
        out += _list_changes(f"word ({language})", "words", list(old.words.get(language, [])),
                             list(new.words.get(language, [])))
    for kind in ("positive", "negative", "tricky"):
        before = {_one_line(e.text): e for e in getattr(old.examples, kind)}
        after = {_one_line(e.text): e for e in getattr(new.examples, kind)}
        for text, example in after.items():
            if text not in before:
                out.append(FieldChange("examples", f"{kind} example added", None, text))
            elif _one_line(before[text].explanation) != _one_line(example.explanation):
                out.append(FieldChange("examples", f"{kind} example's explanation changed",
                                       _one_line(before[text].explanation), _one_line(example.explanation)))
        out += [FieldChange("examples", f"{kind} example removed", text, None) for text in before if text not in after]
    return out


@dataclass
class Changelog:
    guideline_id: str
    releases: list[ReleaseEntry] = field(default_factory=list)  # newest first
    unreleased_commits: list[Commit] = field(default_factory=list)
    unreleased_changes: list[SemanticChange] = field(default_factory=list)  # working copy vs newest release
    unreleased_diff: GuidelineDiff | None = None  # the same diff whole: its declared changes and label map
    uncommitted: bool = False
    label_history: dict[str, list[LabelState]] = field(default_factory=dict)  # label id -> states, newest first

    @property
    def latest(self) -> ReleaseEntry | None:
        return self.releases[0] if self.releases else None

    @property
    def draft(self) -> bool:
        """The working copy is not exactly a release: unreleased commits or uncommitted edits."""
        return bool(self.unreleased_changes or self.uncommitted or self.unreleased_commits) or not self.releases


class ReleaseContents:
    """Guidelines as they were at release commits (History reads and validates each once)."""

    def __init__(self, history: History):
        self.history = history

    def at(self, release: Release) -> Guideline | None:
        return self.history.read_guideline(release.commit.sha, release.guideline, Report())


def _concerning(declared: list[Any], label_id: str) -> list[Any]:
    named = [d for d in declared if label_id in d.labels]
    return named or [d for d in declared if not d.labels]


@cyclic_gc_paused()  # releases compared and listed: no reference cycles
def build_changelog(gh: GuidelineHistory, contents: ReleaseContents, current: Guideline | None,
                    upto: str | None = None) -> Changelog:
    """The changelog of one guideline; with `upto`, only the releases up to that version
    (what a frozen release's own pages show)."""
    log = Changelog(gh.id, uncommitted=gh.uncommitted if upto is None else False)
    releases = gh.releases
    if upto is not None:
        cut = next(i for i, r in enumerate(releases) if r.version == upto)
        releases = releases[: cut + 1]
    previous: Guideline | None = None
    states: dict[str, list[LabelState]] = {}
    for release in releases:
        guideline = contents.at(release)
        declared = fresh_changes(previous, guideline) if guideline else []
        diff = diff_guidelines(previous, guideline) if previous and guideline else None
        log.releases.append(ReleaseEntry(release.version, release.commit, release.tag, declared,
                                         diff.changes if diff else [], release.commits, valid=guideline is not None,
                                         label_map=diff.label_map if diff else {}))
        if guideline is not None:
            before = {label.id: label for label in previous.taxonomy.labels} if previous else {}
            for label in guideline.taxonomy.labels:
                why = [Why.of(d) for d in _concerning(declared, label.id)]
                state = _state_of(label, guideline, release, why)
                history = states.setdefault(label.id, [])
                old = before.get(label.id)
                if old is None or not history:
                    state.first = True
                    history.append(state)
                    continue
                assert previous is not None
                state.changes = label_field_changes(old, label, history[-1].groups, state.groups)
                if state.changes:
                    history.append(state)
            previous = guideline
    log.releases.reverse()
    log.label_history = {lid: list(reversed(s)) for lid, s in sorted(states.items())}
    if upto is None:
        log.unreleased_commits = list(reversed(gh.unreleased))
        if current is not None and previous is not None:
            log.unreleased_diff = diff_guidelines(previous, current)
            log.unreleased_changes = log.unreleased_diff.changes
    return log


@dataclass
class Comparison:
    """What changed from one version of a guideline to a later one: the semantic diff
    (word by word where a text changed), the declared changes of every release after the
    older one up to the newer one (newest first), and the label map for relabeling."""

    old: str
    new: str  # a released version, or the version of the working copy
    changes: list[SemanticChange] = field(default_factory=list)
    declared: list[tuple[str, Why]] = field(default_factory=list)  # (version, why), newest first
    label_map: dict[str, list[str]] = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return f"compare-{_slug(self.old)}--{_slug(self.new)}"

    @property
    def labels(self) -> list[str]:
        """Labels whose meaning, criteria or examples changed (for the rater's summary)."""
        return sorted({lid for c in self.changes if c.area in ("label", "example") for lid in c.labels})

    @property
    def rules(self) -> list[str]:
        return sorted({c.subject_id for c in self.changes if c.area == "rule" and c.subject_id})

    @property
    def relabel(self) -> dict[str, list[str]]:
        return {old: new for old, new in self.label_map.items() if new != [old]}


def _slug(version: str) -> str:
    return version.replace(".", "-").replace("+", "-")


# guideline id -> (its valid releases as (version, commit), their pairs)
_pairs_seen: dict[str, tuple[tuple[tuple[str, str], ...], list[Comparison]]] = {}


def compare_releases(log: Changelog, contents: ReleaseContents, gh: GuidelineHistory,
                     current: Guideline | None = None) -> tuple[list[Comparison], list[Comparison]]:
    """Every pair of valid releases (older, newer), newest pair first; and each release
    against the current specs ("what changed since"), newest first. A semantic diff costs
    about 1-2 ms, so 30 releases (435 pairs) take about a second."""
    by_version = {r.version: r for r in gh.releases}
    valid = [entry for entry in reversed(log.releases) if entry.valid]  # oldest first
    specs = {entry.version: contents.at(by_version[entry.version]) for entry in valid}

    def compare(old: str, new: str, new_guideline: Guideline | None, after: list[ReleaseEntry]) -> Comparison:
        result = diff_guidelines(specs[old], new_guideline)
        declared = [(e.version, Why.of(d)) for e in reversed(after) for d in e.declared]
        return Comparison(old, new, result.changes, declared, result.label_map)

    # Released specs never change: under `serve` the pairs are computed once, not per save.
    released = tuple((entry.version, entry.commit.sha) for entry in valid)
    seen = _pairs_seen.get(gh.id)
    if seen is not None and seen[0] == released:
        pairs = seen[1]
    else:
        pairs = [compare(a.version, b.version, specs[b.version], valid[i + 1:j + 1])
                 for j, b in enumerate(valid) for i, a in enumerate(valid[:j])]
        index = {entry.version: i for i, entry in enumerate(valid)}
        pairs.sort(key=lambda c: (-index[c.new], -index[c.old]))
        _pairs_seen[gh.id] = (released, pairs)
    since: list[Comparison] = []
    if current is not None:
        for i, entry in enumerate(valid):
            later = valid[i + 1:]
            if entry.version == current.version:
                continue
            shown = compare(entry.version, current.version, current, later)
            if shown.changes or shown.declared:
                since.append(shown)
        since.reverse()
    return pairs, since


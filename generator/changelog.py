"""Changelogs and label histories: releases from git joined with their semantic diffs.

For each release (newest first): version, date, commit, author, the changes the lead
declared in that version's guideline.yaml, the changes detected against the previous
release, and the commits in between. For each label: what its definition, include and
exclude criteria said at every release where they changed, and who changed them, when
and why. The contents of each release are read from git objects once and reused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Report
from .guideline import Guideline
from .history import Commit, GuidelineHistory, History, Release
from .semantic_diff import SemanticChange, diff_guidelines, fresh_changes


@dataclass
class ReleaseEntry:
    version: str
    commit: Commit
    tag: str | None
    declared: list[Any]  # the `changes` entries of that version's guideline.yaml
    detected: list[SemanticChange]
    commits: list[Commit]
    valid: bool = True  # False when the specs at that commit did not pass validation


@dataclass
class LabelState:
    version: str
    commit: Commit
    name: str
    definition: str
    include: list[str]
    exclude: list[str]
    why: list[Any]  # declared changes of that release that concern the label (or all, if none name labels)


@dataclass
class Changelog:
    guideline_id: str
    releases: list[ReleaseEntry] = field(default_factory=list)  # newest first
    unreleased_commits: list[Commit] = field(default_factory=list)
    unreleased_changes: list[SemanticChange] = field(default_factory=list)  # working copy vs newest release
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
        detected = diff_guidelines(previous, guideline).changes if previous and guideline else []
        log.releases.append(ReleaseEntry(release.version, release.commit, release.tag, declared, detected,
                                         release.commits, valid=guideline is not None))
        if guideline is not None:
            for label in guideline.taxonomy.labels:
                state = LabelState(release.version, release.commit, label.name, label.definition,
                                   list(label.include), list(label.exclude), _concerning(declared, label.id))
                history = states.setdefault(label.id, [])
                last = history[-1] if history else None
                if last is None or (last.definition, last.include, last.exclude, last.name) != (
                        state.definition, state.include, state.exclude, state.name):
                    history.append(state)
            previous = guideline
    log.releases.reverse()
    log.label_history = {lid: list(reversed(s)) for lid, s in sorted(states.items())}
    if upto is None:
        log.unreleased_commits = list(reversed(gh.unreleased))
        if current is not None and previous is not None:
            log.unreleased_changes = diff_guidelines(previous, current).changes
    return log

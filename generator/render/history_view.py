"""What the pages say about change: "changed in this version" badges on labels and rules,
and the comparisons of releases (the compare page and the rater's "what changed since").

Everything is computed from the changelog (generator/changelog.py) and the semantic diff;
the templates only lay it out.
"""

from __future__ import annotations

from typing import Any

from ..semantic_diff import SemanticChange

LABEL_AREAS = ("label", "example")


def _changed(changes: list[SemanticChange]) -> tuple[set[str], set[str]]:
    labels = {lid for c in changes if c.area in LABEL_AREAS for lid in c.labels}
    labels |= {lid for c in changes if c.area == "taxonomy" and c.subject.startswith("group ") for lid in c.labels}
    rules = {c.subject_id for c in changes if c.area == "rule" and c.subject_id}
    return labels, rules


def change_context(changelog: Any, release: str | None) -> dict[str, Any]:
    """The badges of one build: the labels and rules that changed in the version the pages
    show (against the release before it), or, in a draft, since the newest release."""
    empty: dict[str, Any] = {"changed_labels": set(), "changed_rules": set(), "changed_badge": ""}
    if changelog is None or not changelog.releases:
        return empty
    if release is None and changelog.unreleased_changes:
        labels, rules = _changed(changelog.unreleased_changes)
        badge = f"changed since {changelog.latest.version}"
    else:
        entry = changelog.releases[0]  # a frozen release's changelog ends at itself
        if len(changelog.releases) < 2:
            return empty  # the first release: everything is new, nothing "changed"
        labels, rules = _changed(entry.detected)
        badge = f"changed in {entry.version}"
    return {"changed_labels": labels, "changed_rules": rules, "changed_badge": badge}

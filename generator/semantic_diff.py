"""What changed between two revisions of a guideline, in the guideline's own terms.

Lists are matched by natural key (labels, rules, routes, criteria by id; examples by
text; decision-tree paths by their questions and answers), and every change gets the
least change type it implies, which sets the version bump it needs:

    taxonomy (labels added, removed, merged, split, re-parented)  -> major
    definition (a label's meaning or the path to it changes)        -> minor
    clarification (wording, examples, process)                      -> patch

For example, old taxonomy {a, b}, new taxonomy {a, c} where c says `replaces: [b]`
gives "label b renamed to c" (taxonomy) and the label map {a: [a], b: [c]}.

A lead may declare a change that would be a definition change as a clarification: a
`changes` entry of type clarification that names the label and gives a rationale. The
detected change is then typed clarification and shows the declaration and its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from .guideline import Guideline
from .word_diff import Segment, changed_words

ORDER = {"clarification": 1, "definition": 2, "taxonomy": 3}
BUMP_FOR = {"clarification": "patch", "definition": "minor", "taxonomy": "major"}
BUMP_ORDER = {"none": 0, "patch": 1, "minor": 2, "major": 3}
MAX_PATHS = 20_000


# The kinds of subject that name one thing by its id, as "<kind> <id>".
SUBJECT_KINDS = ("label", "rule", "escalation route", "question", "criterion", "dimension", "group", "image")


@dataclass(frozen=True)
class SemanticChange:
    area: str  # label, example, rule, route, pitfall, tree, acceptance, qa, brief, sampling, datasheet, manifest
    subject: str  # what it is about, e.g. "label hate_speech"
    what: str  # the change, as a sentence fragment
    type: str  # clarification | definition | taxonomy
    before: str | None = None
    after: str | None = None
    labels: tuple[str, ...] = ()
    declared_reason: str | None = None  # set when the lead declared it a clarification

    @property
    def subject_id(self) -> str | None:
        """The id of the one thing the subject names ("label hate_speech" -> "hate_speech"),
        or None when it names a whole section ("decision tree", "brief")."""
        kind = next((k for k in SUBJECT_KINDS if self.subject.startswith(k + " ")), None)
        return self.subject[len(kind) + 1:] if kind else None

    @property
    def words(self) -> list[Segment] | None:
        """The changed words in context, when there is a text before and after."""
        return changed_words(self.before, self.after)


@dataclass
class GuidelineDiff:
    id: str
    old_version: str | None
    new_version: str | None
    changes: list[SemanticChange] = field(default_factory=list)
    label_map: dict[str, list[str]] = field(default_factory=dict)  # old label id -> new label ids
    declared: list[Any] = field(default_factory=list)  # the head's `changes` entries
    # (version, short commit, date) of the highest release along the base's main line
    released_top: tuple[str, str, str] | None = None

    @property
    def required_bump(self) -> str:
        if not self.changes:
            return "none"
        return BUMP_FOR[max((c.type for c in self.changes), key=ORDER.__getitem__)]

    @property
    def made_bump(self) -> str:
        return bump_between(self.old_version, self.new_version)

    @property
    def detected_types(self) -> list[str]:
        return sorted({c.type for c in self.changes}, key=ORDER.__getitem__)

    @property
    def declared_types(self) -> list[str]:
        return sorted({c.type.value for c in self.declared}, key=ORDER.__getitem__)

    def problems(self) -> list[str]:
        """Why this change cannot be merged as it is (empty when it can)."""
        if self.old_version is None or self.new_version is None:
            return []
        out = []
        made, required = self.made_bump, self.required_bump
        if made == "downgrade":
            out.append(f"the version went down from {self.old_version} to {self.new_version}")
        elif self._not_above_releases():
            top = self.released_top
            assert top is not None
            relation = "the same as" if compare_versions(self.new_version, top[0]) == 0 else "lower than"
            out.append(f"version {self.new_version} is {relation} {top[0]}, released in {top[1]} ({top[2]}): "
                       "versions along the main line must go up")
        elif self.changes and made == "none":
            out.append(f"the content changed but the version is still {self.old_version}: "
                       f"a {required} bump is required ({next_version(self.old_version, required)})")
        elif BUMP_ORDER.get(made, 0) < BUMP_ORDER[required]:
            out.append(f"a {made} bump ({self.old_version} -> {self.new_version}) is smaller than the {required} "
                       f"bump these changes require ({next_version(self.old_version, required)})")
        highest = self._undeclared_type()
        if highest is not None:
            lower = [t for t in self.detected_types if ORDER[t] < ORDER[highest]]
            covers = f" (it covers the {' and '.join(lower)} changes too)" if lower else ""
            out.append(f"a {highest} change was detected but guideline.yaml declares no change of that type: "
                       f"add a `changes` entry with type: {highest}{covers}")
        return out

    def _not_above_releases(self) -> bool:
        """The new version is at or below a version already released (and not just the base's own)."""
        top = self.released_top
        return (top is not None and self.new_version is not None and self.new_version != self.old_version
                and compare_versions(self.new_version, top[0]) <= 0)

    def _undeclared_type(self) -> str | None:
        """The highest detected change type that no declared entry covers: one entry of it
        (an entry covers its own type and every lower one) satisfies every detected type."""
        declared = max((ORDER[t] for t in self.declared_types), default=0)
        undeclared = [t for t in self.detected_types if ORDER[t] > declared]
        return undeclared[-1] if undeclared else None

    def fix(self) -> str | None:
        """The single smallest edit of guideline.yaml that makes this change mergeable."""
        if not self.problems():
            return None
        steps = []
        made, required = self.made_bump, self.required_bump
        if made == "downgrade" or BUMP_ORDER.get(made, 0) < BUMP_ORDER[required] or self._not_above_releases():
            bump = required if required != "none" else "patch"
            wanted = next_version(self.old_version or "0.0.0", bump)
            if self.released_top is not None and compare_versions(wanted, self.released_top[0]) <= 0:
                wanted = next_version(self.released_top[0], bump)
            steps.append(f"set version: {wanted}")
        highest = self._undeclared_type()
        if highest is not None:
            steps.append(f"add one `changes` entry with type: {highest}")
        return " and ".join(steps) + " in guideline.yaml"


def _parse(version: str) -> tuple[int, int, int, tuple[str, ...]]:
    """(major, minor, patch, pre-release identifiers); build metadata has no precedence."""
    core, _, pre = version.partition("+")[0].partition("-")
    major, minor, patch = (int(x) for x in core.split("."))
    return major, minor, patch, tuple(pre.split(".")) if pre else ()


def _precedence(version: str) -> tuple:
    """A sort key following SemVer 2.0.0 section 11: a pre-release sorts before its release;
    numeric identifiers compare as numbers and sort before alphanumeric ones."""
    major, minor, patch, pre = _parse(version)
    identifiers = tuple((0, int(x), "") if x.isdigit() else (1, 0, x) for x in pre)
    return major, minor, patch, (1,) if not pre else (0, identifiers)


def compare_versions(a: str, b: str) -> int:
    """-1, 0 or 1 as version a has lower, equal or higher SemVer precedence than b."""
    pa, pb = _precedence(a), _precedence(b)
    return (pa > pb) - (pa < pb)


def _level(major: int, minor: int, patch: int) -> str:
    """The bump a release of this version is: 2.0.0 a major one, 2.1.0 a minor one, 2.1.1 a patch."""
    return "patch" if patch else "minor" if minor else "major"


def bump_between(old: str | None, new: str | None) -> str:
    """The bump made from old to new, judged as SemVer intends pre-releases: 2.0.0-rc.1 is the
    coming major release 2.0.0, so moving on to 2.0.0 (or to 2.0.0-rc.2) completes a major
    bump, and satisfies changes that require one; from 2.1.0-rc.1 it completes a minor bump."""
    if old is None or new is None or compare_versions(old, new) == 0:
        return "none"  # the same version, or one that differs only in build metadata
    if compare_versions(new, old) < 0:
        return "downgrade"
    (a, b, c, pre), (x, y, z, _) = _parse(old), _parse(new)
    made = "major" if x > a else "minor" if y > b else "patch" if z > c else "none"
    if pre:  # a pre-release stands for its release: moving on from it completes that release's bump
        made = max(made, _level(a, b, c), key=BUMP_ORDER.__getitem__)
    return made


def next_version(version: str, bump: str) -> str:
    """The smallest version after this one that makes the bump (see bump_between)."""
    major, minor, patch, pre = _parse(version)
    if pre and BUMP_ORDER[bump] <= BUMP_ORDER[_level(major, minor, patch)]:
        return f"{major}.{minor}.{patch}"  # the release the pre-release leads to is big enough
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _norm(text: str | None) -> str | None:
    # YAML folding and re-wrapping change whitespace, not meaning.
    return " ".join(text.split()) if text is not None else None


def _norms(texts: list[str]) -> list[str]:
    return [" ".join(t.split()) for t in texts]


def _short(text: Any) -> str | None:
    """A value as one line of text, whole: a change's words are shown in context by the
    reports (word_diff), never cut to a prefix that may hide the change."""
    if text is None:
        return None
    return " ".join(str(text).split())


class _Collector:
    def __init__(self) -> None:
        self.changes: list[SemanticChange] = []

    def add(self, area: str, subject: str, what: str, kind: str, before: Any = None, after: Any = None,
            labels: Iterable[str] = ()) -> None:
        self.changes.append(SemanticChange(area, subject, what, kind, _short(before), _short(after), tuple(labels)))

    def lists(self, area: str, subject: str, name: str, kind: str, old: list[str], new: list[str],
              labels: Iterable[str] = ()) -> None:
        labels = tuple(labels)
        for item in new:
            if item not in old:
                self.add(area, subject, f"{name} added", kind, None, item, labels)
        for item in old:
            if item not in new:
                self.add(area, subject, f"{name} removed", kind, item, None, labels)


def diff_guidelines(old: Guideline | None, new: Guideline | None) -> GuidelineDiff:
    gid = (new or old).id  # type: ignore[union-attr]
    result = GuidelineDiff(gid, old.version if old else None, new.version if new else None)
    if new is not None:
        result.declared = fresh_changes(old, new)
    if old is None or new is None:
        return result
    c = _Collector()
    result.label_map = _diff_labels(c, old, new)
    _diff_taxonomy_settings(c, old, new)
    _diff_images(c, old, new)
    _diff_edge_cases(c, old, new)
    _diff_tree(c, old, new)
    _diff_acceptance(c, old, new)
    _diff_sections(c, "manifest", old.manifest, new.manifest, skip=("id", "version", "changes"),
                   kinds={"task_type": "taxonomy", "unit": "definition", "labels_per_item": "definition",
                          "spans": "definition", "tokens": "definition", "preference": "definition",
                          "boxes": "definition"})
    for area in ("brief", "sampling", "qa", "datasheet"):
        _diff_sections(c, area, getattr(old, area), getattr(new, area))
    result.changes = _apply_declarations(c.changes, result.declared)
    return result


def fresh_changes(old: Guideline | None, new: Guideline) -> list[Any]:
    """The `changes` entries new in `new`: entries carried over from the old revision were
    declared for an earlier version and say nothing about this one."""
    if old is None:
        return list(new.manifest.changes)
    carried = list(old.manifest.changes)
    return [entry for entry in new.manifest.changes if entry not in carried]


def _diff_labels(c: _Collector, old: Guideline, new: Guideline) -> dict[str, list[str]]:
    before = {label.id: label for label in old.taxonomy.labels}
    after = {label.id: label for label in new.taxonomy.labels}
    removed = [i for i in before if i not in after]
    added = [i for i in after if i not in before]
    label_map: dict[str, list[str]] = {i: [i] for i in before if i in after}
    explained_removed: set[str] = set()
    explained_added: set[str] = set()

    # Merges and renames: a new label that replaces removed ones.
    for new_id in after:
        replaced = [r for r in after[new_id].replaces if r in removed]
        if not replaced:
            continue
        for r in replaced:
            label_map.setdefault(r, []).append(new_id)
        explained_removed.update(replaced)
        explained_added.add(new_id)
        if len(replaced) == 1 and new_id in added:
            c.add("label", f"label {replaced[0]}", f"renamed to {new_id}", "taxonomy",
                  before[replaced[0]].name, after[new_id].name, (replaced[0], new_id))
        else:
            c.add("label", f"label {new_id}", "merged from " + ", ".join(replaced), "taxonomy",
                  ", ".join(replaced), new_id, (*replaced, new_id))
    # Splits: new labels that name the label they were split from.
    splits: dict[str, list[str]] = {}
    for new_id in after:
        origin = after[new_id].split_from
        if origin is not None and origin in before and new_id not in before:
            splits.setdefault(origin, []).append(new_id)
    for origin, parts in splits.items():
        label_map[origin] = sorted(set(label_map.get(origin, [])) | set(parts)) if origin in after else parts
        explained_added.update(parts)
        if origin in removed:
            explained_removed.add(origin)
        c.add("label", f"label {origin}", "split into " + ", ".join(parts), "taxonomy", origin,
              ", ".join(parts), (origin, *parts))
    for r in removed:
        if r not in explained_removed:
            label_map[r] = []
            c.add("label", f"label {r}", "removed", "taxonomy", before[r].name, None, (r,))
    for a in added:
        if a not in explained_added:
            c.add("label", f"label {a}", "added", "taxonomy", None, after[a].name, (a,))

    for lid in (i for i in before if i in after):
        o, n = before[lid], after[lid]
        subject = f"label {lid}"
        if o.parent != n.parent:
            c.add("label", subject, "re-parented", "taxonomy", o.parent or "(top level)", n.parent or "(top level)",
                  (lid,))
        if _norm(o.definition) != _norm(n.definition):
            c.add("label", subject, "definition changed", "definition", o.definition, n.definition, (lid,))
        c.lists("label", subject, "include criterion", "definition", _norms(o.include), _norms(n.include), (lid,))
        c.lists("label", subject, "exclude criterion", "definition", _norms(o.exclude), _norms(n.exclude), (lid,))
        c.lists("label", subject, "threshold", "definition", _norms(o.thresholds), _norms(n.thresholds), (lid,))
        if o.data_value != n.data_value:
            # Data already labelled carries the old value: to the data this is a rename.
            c.add("label", subject, "value changed", "taxonomy", o.data_value, n.data_value, (lid,))
        if o.exclusive != n.exclusive:
            c.add("label", subject, "now exclusive" if n.exclusive else "no longer exclusive", "definition",
                  str(o.exclusive).lower(), str(n.exclusive).lower(), (lid,))
        for language in sorted(set(o.words) | set(n.words)):
            c.lists("label", subject, f"word ({language})", "clarification", list(o.words.get(language, [])),
                    list(n.words.get(language, [])), (lid,))
        if o.name != n.name:
            c.add("label", subject, "name changed", "clarification", o.name, n.name, (lid,))
        if o.short != n.short:
            c.add("label", subject, "short line changed", "clarification", o.short, n.short, (lid,))
        if o.notes != n.notes:
            c.add("label", subject, "notes changed", "clarification", o.notes, n.notes, (lid,))
        for kind in ("positive", "negative", "tricky"):
            old_examples = {e.text: e for e in getattr(o.examples, kind)}
            new_examples = {e.text: e for e in getattr(n.examples, kind)}
            for text in new_examples:
                if text not in old_examples:
                    c.add("example", subject, f"{kind} example added", "clarification", None, text, (lid,))
                elif old_examples[text] != new_examples[text]:
                    c.add("example", subject, f"{kind} example changed", "clarification",
                          old_examples[text].explanation, new_examples[text].explanation, (lid,))
            for text in old_examples:
                if text not in new_examples:
                    c.add("example", subject, f"{kind} example removed", "clarification", text, None, (lid,))
    return dict(sorted(label_map.items()))


def _diff_taxonomy_settings(c: _Collector, old: Guideline, new: Guideline) -> None:
    o, n = old.taxonomy, new.taxonomy
    if o.mode != n.mode:
        c.add("taxonomy", "taxonomy", "mode changed", "taxonomy", o.mode.value if o.mode else None,
              n.mode.value if n.mode else None)
    if o.unknown_label != n.unknown_label:
        c.add("taxonomy", "taxonomy", "unknown label changed", "definition", o.unknown_label, n.unknown_label)
    if o.priority != n.priority:
        c.add("taxonomy", "taxonomy", "tie-break priority changed", "definition", " > ".join(o.priority),
              " > ".join(n.priority))
    if o.undecidable != n.undecidable:
        c.add("taxonomy", "taxonomy", "what to do with undecidable items changed", "definition",
              _plain(o.undecidable), _plain(n.undecidable))
    _diff_scales(c, o, n)
    groups_before, groups_after = {g.id: g for g in o.groups}, {g.id: g for g in n.groups}
    for gid in sorted(set(groups_before) | set(groups_after)):
        a, b = groups_before.get(gid), groups_after.get(gid)
        if a is None or b is None or (a.members, a.max_per_item) != (b.members, b.max_per_item):
            # Membership and limits change which sets of labels an item may carry.
            what = "added" if a is None else "removed" if b is None else "members or limit changed"
            c.add("taxonomy", f"group {gid}", what, "definition", _plain(a.members) if a else None,
                  _plain(b.members) if b else None, tuple(dict.fromkeys([*(a.members if a else []),
                                                                          *(b.members if b else [])])))
        elif (a.name, a.definition) != (b.name, b.definition):
            c.add("taxonomy", f"group {gid}", "wording changed", "clarification", a.name, b.name)


def _diff_scales(c: _Collector, o: Any, n: Any) -> None:
    """Rubric criteria and preference dimensions: which scales and points exist, and in
    what order, changes what raters answer; their wording does not."""
    for kind, before, after in (("criterion", o.criteria, n.criteria), ("dimension", o.dimensions, n.dimensions)):
        old_by_id, new_by_id = {x.id: x for x in before}, {x.id: x for x in after}
        for ident in sorted(set(old_by_id) | set(new_by_id)):
            a, b = old_by_id.get(ident), new_by_id.get(ident)
            if a is None or b is None:
                c.add("taxonomy", f"{kind} {ident}", "added" if a is None else "removed", "taxonomy",
                      a.name if a else None, b.name if b else None)
            elif getattr(a, "points", None) != getattr(b, "points", None):
                c.add("taxonomy", f"{kind} {ident}", "points changed", "taxonomy", _plain(a.points), _plain(b.points),
                      tuple(dict.fromkeys([*a.points, *b.points])))
            elif _norm(a.definition) != _norm(b.definition) or getattr(a, "overrides", None) != getattr(b, "overrides", None):
                c.add("taxonomy", f"{kind} {ident}", "definition changed", "definition", a.definition, b.definition)
            elif a.name != b.name:
                c.add("taxonomy", f"{kind} {ident}", "name changed", "clarification", a.name, b.name)
        if [x.id for x in before if x.id in new_by_id] != [x.id for x in after if x.id in old_by_id] and kind == "dimension":
            c.add("taxonomy", "dimensions", "priority order changed", "definition",
                  " > ".join(x.id for x in before), " > ".join(x.id for x in after))


def _diff_images(c: _Collector, old: Guideline, new: Guideline) -> None:
    """An example image redrawn under the same name: the example's text did not change,
    but what raters see did."""
    for path in sorted(set(old.images) & set(new.images)):
        if old.images[path].data != new.images[path].data:
            c.add("example", f"image {path}", "image changed", "clarification")


def _action_text(action: Any) -> str:
    if action.cases:
        return "by case: " + "; ".join(f"{case.when} -> {case.label}" for case in action.cases)
    target = action.label or action.route or ""
    return f"{action.kind.value} {target}".strip() + (f" ({action.note})" if action.note else "")


def _diff_edge_cases(c: _Collector, old: Guideline, new: Guideline) -> None:
    before = {r.id: r for r in old.edge_cases.rules}
    after = {r.id: r for r in new.edge_cases.rules}
    for rid, rule in after.items():
        if rid not in before:
            c.add("rule", f"rule {rid}", "added", "definition", None, rule.title, rule.labels)
    for rid, rule in before.items():
        if rid not in after:
            c.add("rule", f"rule {rid}", "removed", "definition", rule.title, None, rule.labels)
    for rid in (i for i in before if i in after):
        o, n = before[rid], after[rid]
        labels = tuple(dict.fromkeys([*o.labels, *n.labels]))
        if o.action != n.action:
            c.add("rule", f"rule {rid}", "action changed", "definition", _action_text(o.action),
                  _action_text(n.action), labels)
        for name in ("title", "when", "rationale", "ambiguity", "top"):
            if getattr(o, name) != getattr(n, name):
                value = lambda v: v.value if hasattr(v, "value") else v  # noqa: E731
                c.add("rule", f"rule {rid}", f"{name} changed", "clarification", value(getattr(o, name)),
                      value(getattr(n, name)), labels)
        if o.labels != n.labels:
            c.lists("rule", f"rule {rid}", "label", "clarification", list(o.labels), list(n.labels), labels)
        if o.examples != n.examples:
            c.add("rule", f"rule {rid}", "examples changed", "clarification", None, None, labels)
    routes_before = {r.id: r for r in old.edge_cases.routes}
    routes_after = {r.id: r for r in new.edge_cases.routes}
    for rid in sorted(set(routes_before) | set(routes_after)):
        route_o, route_n = routes_before.get(rid), routes_after.get(rid)
        if route_o != route_n:
            what = "added" if route_o is None else "removed" if route_n is None else "changed"
            c.add("route", f"escalation route {rid}", what, "clarification",
                  route_o.name if route_o else None, route_n.name if route_n else None)
    if old.edge_cases.pitfalls != new.edge_cases.pitfalls:
        c.lists("pitfall", "pitfalls", "pitfall", "clarification", [p.mistake for p in old.edge_cases.pitfalls],
                [p.mistake for p in new.edge_cases.pitfalls])


def _outcome(answer: Any) -> str:
    if answer.label is not None:
        return f"label {answer.label}"
    if answer.escalate is not None:
        return f"escalate to {answer.escalate}"
    return "nothing"


def _paths(guideline: Guideline, aliases: dict[tuple[str, str], str]) -> dict[tuple, str] | None:
    """Every path from the start, as ((question, answer), ...) -> outcome; None if too many."""
    tree = guideline.decision_tree
    if tree.kind.value == "checklist":  # every question is asked: each answer is its own path
        return {((q.id, aliases.get((q.id, a.answer), a.answer)),): _outcome(a) for q in tree.questions
                for a in q.answers}
    questions = {q.id: q for q in tree.questions}
    paths: dict[tuple, str] = {}
    stack: list[tuple[str, tuple]] = [(tree.start or "", ())]
    while stack:
        qid, prefix = stack.pop()
        for answer in questions[qid].answers:
            key = prefix + ((qid, aliases.get((qid, answer.answer), answer.answer)),)
            if answer.next is not None:
                stack.append((answer.next, key))
            else:
                paths[key] = _outcome(answer)
            if len(paths) + len(stack) > MAX_PATHS:
                return None
    return paths


def _path_text(path: tuple) -> str:
    return " → ".join(f"{qid}: {answer}" for qid, answer in path)


def _diff_tree(c: _Collector, old: Guideline, new: Guideline) -> None:
    if old.decision_tree.kind != new.decision_tree.kind:
        c.add("tree", "decision tree", "kind changed", "definition", old.decision_tree.kind.value,
              new.decision_tree.kind.value)
        return
    before = {q.id: q for q in old.decision_tree.questions}
    after = {q.id: q for q in new.decision_tree.questions}
    aliases: dict[tuple[str, str], str] = {}
    for qid in (i for i in before if i in after):
        o, n = before[qid], after[qid]
        if o.question != n.question or o.help != n.help:
            c.add("tree", f"question {qid}", "wording changed", "clarification", o.question, n.question)
        # An answer reworded at the same place with the same target is the same answer.
        if len(o.answers) == len(n.answers):
            for a, b in zip(o.answers, n.answers):
                if a.answer != b.answer and (a.next, a.label, a.escalate) == (b.next, b.label, b.escalate):
                    aliases[(qid, a.answer)] = b.answer
                    c.add("tree", f"question {qid}", "answer reworded", "clarification", a.answer, b.answer)
    old_paths, new_paths = _paths(old, aliases), _paths(new, {})
    if old_paths is None or new_paths is None:
        if old.decision_tree != new.decision_tree:
            c.add("tree", "decision tree", "changed (too many paths to compare one by one)", "definition")
        return
    for path, outcome in new_paths.items():
        labels = tuple(x.split(" ", 1)[1] for x in (outcome, old_paths.get(path, "")) if x.startswith("label "))
        if path not in old_paths:
            c.add("tree", "decision tree", f"new path {_path_text(path)}", "definition", None, outcome, labels)
        elif old_paths[path] != outcome:
            c.add("tree", "decision tree", f"path {_path_text(path)} now ends differently", "definition",
                  old_paths[path], outcome, labels)
    for path, outcome in old_paths.items():
        if path not in new_paths:
            labels = (outcome.split(" ", 1)[1],) if outcome.startswith("label ") else ()
            c.add("tree", "decision tree", f"path {_path_text(path)} removed", "definition", outcome, None, labels)


def _tightened(comparator: str, old: float, new: float) -> str:
    stricter = new > old if comparator in (">=", ">") else new < old if comparator in ("<=", "<") else False
    return "tightened" if stricter else "loosened" if comparator != "==" else "changed"


def _diff_acceptance(c: _Collector, old: Guideline, new: Guideline) -> None:
    before = {x.id: x for x in old.acceptance.criteria}
    after = {x.id: x for x in new.acceptance.criteria}
    for cid in sorted(set(before) | set(after)):
        o, n = before.get(cid), after.get(cid)
        subject = f"criterion {cid}"
        if o is None and n is not None:
            c.add("acceptance", subject, "added", "clarification", None, n.description)
        elif n is None and o is not None:
            c.add("acceptance", subject, "removed", "clarification", o.description, None)
        elif o is not None and n is not None:
            if (o.threshold, o.comparator) != (n.threshold, n.comparator) and o.threshold is not None \
                    and n.threshold is not None and o.comparator is not None and o.comparator == n.comparator:
                op = o.comparator.value  # the same on both sides
                c.add("acceptance", subject, f"threshold {_tightened(op, o.threshold, n.threshold)}",
                      "clarification", f"{op} {o.threshold:g}", f"{op} {n.threshold:g}")
            elif (o.threshold, o.comparator) != (n.threshold, n.comparator):
                show = lambda x: f"{x.comparator.value} {x.threshold:g}" if x.threshold is not None else "none"  # noqa
                c.add("acceptance", subject, "target changed", "clarification", show(o), show(n))
            rest = ("metric", "confidence", "scope", "slice", "labels", "on_fail", "level", "description")
            for name in rest:
                if getattr(o, name) != getattr(n, name):
                    c.add("acceptance", subject, f"{name.replace('_', ' ')} changed", "clarification",
                          _plain(getattr(o, name)), _plain(getattr(n, name)))
    if old.acceptance.sign_off != new.acceptance.sign_off:
        c.add("acceptance", "sign-off", "changed", "clarification")


def _plain(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "model_dump"):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.model_dump(mode="json").items() if v is not None)
    if hasattr(value, "value"):
        return str(value.value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_plain(v)) for v in value)
    return str(value)


def _diff_sections(c: _Collector, area: str, old: Any, new: Any, skip: Iterable[str] = (),
                   kinds: dict[str, str] | None = None) -> None:
    """Top-level fields of a spec compared whole; each that differs is one change."""
    kinds = kinds or {}
    for name in type(new).model_fields:
        if name in skip:
            continue
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            kind = kinds.get(name, "clarification")
            c.add(area, area, f"{name.replace('_', ' ')} changed", kind, _plain(a), _plain(b))


def _apply_declarations(changes: list[SemanticChange], entries: list[Any]) -> list[SemanticChange]:
    declared = [d for d in entries if d.type.value == "clarification" and d.labels]
    out = []
    for change in changes:
        if change.type == "definition" and change.labels:
            match = next((d for d in declared if set(change.labels) <= set(d.labels)), None)
            if match is not None:
                change = SemanticChange(change.area, change.subject, change.what, "clarification", change.before,
                                        change.after, change.labels, declared_reason=match.rationale)
        out.append(change)
    return out


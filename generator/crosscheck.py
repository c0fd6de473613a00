"""Checks that span files: unique ids, references, the decision tree, domain warnings.

Each check runs on whichever files validated, so a typo in one file does not hide a
dangling reference in another. Positions come from list order: the model's
`labels[i]` is the YAML's ("labels", i).

A file with errors is checked too, on what could be read of it (`Files.partial`: the
file without the list items or keys holding the errors). Reference checks run on it;
a check whose verdict needs the whole of something (the decision tree's walk, shares
adding up to 1, a label's example count, the task-shape and data checks) runs only where
nothing was left out, so a left-out item is never reported as missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel

from .diagnostics import Report, quoted, shown
from .images import Image, Reader, missing_reader
from .shape_check import check_shape
from .spec.datasheet import data_path_problem
from .validate import Validated, did_you_mean, file_path
from .yaml_source import Pos, SourceFile

KeyPath = tuple[Any, ...]

MIN_EXAMPLES = 3
# A guideline's pages live at /<id>/, so an id must not be a name the site already uses
# at its top level (render/pages.py writes index and releases, MkDocs Material assets,
# search and 404) or below a guideline (publish.py places the newest release at latest/).
# `labelbook new` refuses the same ids.
RESERVED_GUIDELINE_IDS = {
    "index": "the home page /index.html",
    "releases": "the recent releases page /releases/",
    "assets": "the site's styles and scripts under /assets/",
    "search": "the search index under /search/",
    "404": "the page-not-found page /404.html",
    "latest": "the newest release of each guideline, /<guideline>/latest/",
}
RESERVED_LABEL_IDS = {"index"}
PLACEHOLDER = re.compile(r"\bTODO\b")


@dataclass
class Files:
    """The validated models of one folder (None where a file failed) and their sources."""

    folder_id: str
    models: dict[str, BaseModel | None]
    sources: dict[str, SourceFile]
    report: Report
    # Files that failed validation: the model of what could be read, and what was left out.
    partial: dict[str, Validated] = field(default_factory=dict)
    # Example images: how to read one (from disk or git), and those read and checked.
    read_image: Reader = missing_reader
    images: dict[str, Image] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        """The model of a file that validated, else None."""
        return self.models.get(name)

    def readable(self, name: str) -> Any:
        """The model of a file, or of what could be read of it when it has errors."""
        model = self.models.get(name)
        if model is None and name in self.partial:
            return self.partial[name].partial
        return model

    def complete(self, name: str, path: KeyPath = ()) -> bool:
        """Whether nothing under path (a path into `readable(name)`) was left out."""
        parts = self.partial.get(name)
        if self.models.get(name) is not None or parts is None:
            return True
        return parts.whole(file_path(parts.kept, path))

    def _at(self, name: str, path: KeyPath, at_key: bool) -> Pos:
        source = self.sources[name]
        parts = self.partial.get(name)
        if parts is not None and self.models.get(name) is None:
            path = file_path(parts.kept, path)
        return source.key_pos(path) if at_key else source.pos(path)

    def pos(self, name: str, path: KeyPath) -> Pos:
        return self._at(name, path, False)

    def error(self, name: str, path: KeyPath, code: str, message: str, hint: str = "", at_key: bool = False) -> None:
        self.report.error(self.sources[name].path, self._at(name, path, at_key), code, message, hint)

    def warning(self, name: str, path: KeyPath, code: str, message: str, hint: str = "", at_key: bool = False) -> None:
        self.report.warning(self.sources[name].path, self._at(name, path, at_key), code, message, hint)


def _raw_ids(files: Files, name: str, key: str) -> set[str] | None:
    source = files.sources.get(name)
    if source is None or not isinstance(source.data, dict) or not isinstance(source.data.get(key), list):
        return None
    return {item["id"] for item in source.data[key] if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _unique(files: Files, name: str, items: Iterable[tuple[KeyPath, str]], what: str) -> set[str]:
    seen: dict[str, KeyPath] = {}
    for path, ident in items:
        if ident in seen:
            first = files.pos(name, seen[ident])
            files.error(name, path, "duplicate-id",
                        f"{what} id {quoted(ident)} is used twice (first on line {first[0]})",
                        f"give each {what} its own id")
        else:
            seen[ident] = path
    return set(seen)


class _Refs:
    def __init__(self, files: Files, labels: set[str] | None, routes: set[str] | None, questions: set[str] | None,
                 successors: dict[str, tuple[str, list[str]]] | None = None):
        self.files, self.labels, self.routes, self.questions = files, labels, routes, questions
        # Old label id -> (how it went, the labels that now stand for it), from replaces: and
        # split_from: in taxonomy.yaml, so a reference left behind by a rename names the new id.
        self.successors = successors or {}

    def check(self, name: str, path: KeyPath, ident: str | None, kind: str) -> None:
        known = {"label": self.labels, "route": self.routes, "question": self.questions}[kind]
        if ident is None or known is None or ident in known:
            return
        where = {"label": "taxonomy.yaml", "route": "edge_cases.yaml routes", "question": "decision_tree.yaml"}[kind]
        if kind == "label" and ident in self.successors:
            how, new = self.successors[ident]
            names = " or ".join(quoted(n) for n in new)
            self.files.error(name, path, "unresolved-ref", f"label {quoted(ident)} was {how} {names}",
                             f"refer to {names} instead (see {'replaces' if how != 'split into' else 'split_from'}: "
                             "in taxonomy.yaml)")
            return
        self.files.error(name, path, "unresolved-ref",
                         f"{kind} {quoted(ident)} does not exist{did_you_mean(ident, known, always=True)}",
                         f"use a {kind} id defined in {where}")


def _successors(taxonomy: Any) -> dict[str, tuple[str, list[str]]]:
    """How each label id that no longer exists went: renamed or merged (replaces:) or split
    (split_from:), and the labels that now stand for it."""
    if taxonomy is None:
        return {}
    current = {label.id for label in taxonomy.labels}
    out: dict[str, tuple[str, list[str]]] = {}
    for label in taxonomy.labels:
        for old in label.replaces:
            if old not in current:
                out[old] = ("renamed to" if len(label.replaces) == 1 else "merged into", [label.id])
    for label in taxonomy.labels:
        old = label.split_from
        if old is not None and old not in current:
            how, parts = out.get(old, ("split into", []))
            out[old] = ("split into", (parts if how == "split into" else []) + [label.id])
    return out


def _known(ids: set[str], raw: set[str] | None) -> set[str]:
    # Ids of items left out of a partial model still exist: a reference to one resolves.
    return ids | (raw or set())


def crosscheck(files: Files) -> None:
    # What could be read of each file: the model, or what is left of a file with errors.
    manifest = files.readable("guideline.yaml")
    taxonomy = files.readable("taxonomy.yaml")
    edge = files.readable("edge_cases.yaml")
    tree = files.readable("decision_tree.yaml")
    sampling = files.readable("sampling.yaml")
    acceptance = files.readable("acceptance.yaml")
    qa = files.readable("qa.yaml")
    datasheet = files.get("datasheet.yaml")  # its checks read data files: only a valid one

    # The id is checked from the raw YAML too, so other mistakes in the file do not hide it.
    manifest_source = files.sources.get("guideline.yaml")
    raw_id = manifest.id if manifest is not None else (
        manifest_source.data.get("id") if manifest_source is not None and isinstance(manifest_source.data, dict)
        else None)
    if isinstance(raw_id, str) and raw_id != files.folder_id:
        files.error("guideline.yaml", ("id",), "id-mismatch",
                    f"id {quoted(raw_id)} differs from the folder name {quoted(files.folder_id)}",
                    f"rename the folder to '{raw_id}' or set id: {files.folder_id}")
    if manifest is not None and files.complete("guideline.yaml", ("owners",)):
        leads = [i for i, person in enumerate(manifest.owners) if person.role.value == "lead"]
        if len(leads) != 1:
            files.error("guideline.yaml", ("owners",) + ((leads[1],) if leads else ()), "lead",
                        f"owners must name exactly one lead, found {len(leads)}",
                        "the lead is accountable for the guideline; list other people with their own role")

    # When a file fails validation its ids still come from the raw YAML, so references
    # elsewhere are checked against them instead of being skipped.
    labels = _raw_ids(files, "taxonomy.yaml", "labels")
    routes = _raw_ids(files, "edge_cases.yaml", "routes")
    questions = _raw_ids(files, "decision_tree.yaml", "questions")
    if isinstance(raw_id, str) and raw_id in RESERVED_GUIDELINE_IDS:
        files.error("guideline.yaml", ("id",), "invalid-id",
                    f"id '{raw_id}' is reserved: the site uses it for {RESERVED_GUIDELINE_IDS[raw_id]}",
                    "choose another id (and rename the folder to match)")
    if taxonomy is not None:
        for i, label in enumerate(taxonomy.labels):
            if label.id in RESERVED_LABEL_IDS:
                files.error("taxonomy.yaml", ("labels", i, "id"), "invalid-id",
                            f"label id '{label.id}' is reserved: its page would be the labels index",
                            "choose another id")
        label_ids = ((("labels", i, "id"), lab.id) for i, lab in enumerate(taxonomy.labels))
        labels = _known(_unique(files, "taxonomy.yaml", label_ids, "label"), labels)
    if edge is not None:
        _unique(files, "edge_cases.yaml", ((("rules", i, "id"), r.id) for i, r in enumerate(edge.rules)), "rule")
        routes = _known(_unique(files, "edge_cases.yaml",
                                ((("routes", i, "id"), r.id) for i, r in enumerate(edge.routes)), "route"), routes)
    if tree is not None:
        questions = _known(_unique(files, "decision_tree.yaml",
                                   ((("questions", i, "id"), q.id) for i, q in enumerate(tree.questions)), "question"),
                           questions)
    if sampling is not None:
        _unique(files, "sampling.yaml", ((("strata", i, "id"), s.id) for i, s in enumerate(sampling.strata)),
                "stratum")
    if acceptance is not None:
        _unique(files, "acceptance.yaml",
                ((("criteria", i, "id"), c.id) for i, c in enumerate(acceptance.criteria)), "criterion")
    if qa is not None:
        _unique(files, "qa.yaml", ((("error_taxonomy", i, "id"), e.id) for i, e in enumerate(qa.error_taxonomy)),
                "error type")
        _unique(files, "qa.yaml", ((("kpis", i, "id"), k.id) for i, k in enumerate(qa.kpis)), "KPI")
    if datasheet is not None:
        _unique(files, "datasheet.yaml", ((("sources", i, "id"), s.id) for i, s in enumerate(datasheet.sources)),
                "source")

    refs = _Refs(files, labels, routes, questions, _successors(taxonomy))
    if manifest is not None:
        for i, change in enumerate(manifest.changes):
            for j, label in enumerate(change.labels):
                refs.check("guideline.yaml", ("changes", i, "labels", j), label, "label")
    if taxonomy is not None:
        _check_taxonomy(files, taxonomy, refs)
    if edge is not None:
        # Whether the taxonomy has an unknown label is known only if that key was read.
        unknown = taxonomy if taxonomy is not None and files.complete("taxonomy.yaml", ("unknown_label",)) else None
        _check_edge_cases(files, edge, unknown, refs)
    if tree is not None:
        if not files.complete("decision_tree.yaml", ("kind",)):
            _check_tree_refs(files, tree, refs)  # a path or a checklist: only what both share
        elif tree.kind.value == "path":  # a checklist is checked with the task shape
            # A rubric's points are scored on their scales, not reached by a path.
            points = {p for c in taxonomy.criteria for p in c.points} if taxonomy is not None else set()
            _check_tree(files, tree, labels - points if labels is not None else None, refs)
    check_shape(files, refs)  # reads only files that validated (files.get)
    if sampling is not None:
        for i, cell in enumerate(sampling.coverage):
            refs.check("sampling.yaml", ("coverage", i, "label"), cell.label, "label")
        if files.complete("sampling.yaml", ("strategy",)):
            _check_shares(files, "sampling.yaml", ("strategy",), [s.share for s in sampling.strategy],
                          "strategy shares")
        if files.complete("sampling.yaml", ("splits",)):
            _check_shares(files, "sampling.yaml", ("splits", "shares"), list(sampling.splits.shares.values()),
                          "split shares")
    if acceptance is not None:
        _check_acceptance(files, acceptance, refs)
    if datasheet is not None:
        _check_data(files, datasheet)
    for name, source in files.sources.items():
        _check_placeholders(files, name, source)


def _check_data(files: Files, datasheet: Any) -> None:
    """The data section against the repository and the other files: paths inside the
    repository, coverage and criterion slices among the data slices. The repository is the
    folder holding specs/<guideline>/."""
    data = datasheet.data
    if data is None:
        return
    name = "datasheet.yaml"
    folder = Path(files.sources[name].path).resolve().parent
    root = folder.parent.parent
    # A guideline read from git history has no folder on disk: its paths are not looked up.
    on_disk = folder.is_dir()
    for key in ("annotations", "audit"):
        value = getattr(data, key)
        if value is None:
            continue
        where = ("data", key)
        problem = data_path_problem(root, value, exists=on_disk)
        if problem:
            files.error(name, where, "data-path", f"data.{key}: {problem}",
                        "give a path relative to the repository, e.g. "
                        f"{folder.relative_to(root).as_posix()}/data/{key}.csv")
    slices = set(data.slices)
    sampling, acceptance = files.get("sampling.yaml"), files.get("acceptance.yaml")
    if sampling is not None:
        for i, cell in enumerate(sampling.coverage):
            column = cell.slice.split("=", 1)[0].strip()
            if "=" not in cell.slice:
                files.error("sampling.yaml", ("coverage", i, "slice"), "invalid-value",
                            f"coverage slice '{cell.slice}' is not written column=value",
                            "write the slice as column=value, e.g. language=es")
            elif column not in slices:
                files.warning("sampling.yaml", ("coverage", i, "slice"), "unknown-slice",
                              f"coverage slice column '{column}' is not among the data slices of datasheet.yaml",
                              f"add {column} to data.slices so its coverage can be measured")
    if acceptance is not None:
        for i, criterion in enumerate(acceptance.criteria):
            if criterion.slice and criterion.slice not in slices:
                files.error("acceptance.yaml", ("criteria", i, "slice"), "unknown-slice",
                            f"criterion '{criterion.id}' is per slice '{criterion.slice}', which is not a data "
                            f"slice{did_you_mean(criterion.slice, slices)}",
                            "slices are the columns listed in data.slices of datasheet.yaml")


def _check_taxonomy(files: Files, taxonomy: Any, refs: _Refs) -> None:
    name = "taxonomy.yaml"
    refs.check(name, ("unknown_label",), taxonomy.unknown_label, "label")
    for i, label in enumerate(taxonomy.priority):
        refs.check(name, ("priority", i), label, "label")
    _check_parent_cycles(files, taxonomy)
    for i, label in enumerate(taxonomy.labels):
        path = ("labels", i)
        refs.check(name, path + ("parent",), label.parent, "label")
        for kind in ("positive", "negative", "tricky"):
            entries = getattr(label.examples, kind)
            for j, example in enumerate(entries):
                refs.check(name, path + ("examples", kind, j, "label"), example.label, "label")
            if len(entries) < MIN_EXAMPLES and files.complete(name, path + ("examples",)):
                # Point at the short list if it is written, else at the label itself.
                where = path + ("examples", kind) if kind in label.examples.model_fields_set else path + ("id",)
                files.warning(name, where, "few-examples",
                              f"label '{label.id}' has {len(entries)} {kind} example{'s' if len(entries) != 1 else ''};"
                              f" at least {MIN_EXAMPLES} are expected",
                              f"add {kind} examples, each with an explanation citing the criteria", at_key=True)
        if _repeats_name(label.name, label.definition):
            files.warning(name, path + ("definition",), "circular-definition",
                          f"the definition of '{label.id}' only repeats its name",
                          "define the label by observable criteria, not by a synonym of its name")
    if (taxonomy.unknown_label is None and taxonomy.undecidable is None
            and files.complete(name, ("unknown_label",)) and files.complete(name, ("undecidable",))):
        files.warning(name, ("labels",), "no-unknown-path",
                      "the taxonomy does not say what raters do with an item they cannot decide",
                      "name a 'not enough information' label in unknown_label, or write undecidable: "
                      "{escalate: <route id>} or undecidable: {skip: <how to skip>}", at_key=True)


def _check_parent_cycles(files: Files, taxonomy: Any) -> None:
    """Each cycle of parent links once, at its member listed first, naming its members in
    order; a label that only leads into a cycle is not part of it and is not blamed."""
    labels = taxonomy.labels
    index: dict[str, int] = {}
    for i, label in enumerate(labels):
        index.setdefault(label.id, i)
    parents = {label.id: label.parent for label in labels}
    done: set[str] = set()
    for label in labels:
        trail: list[str] = []
        on_trail: set[str] = set()
        current: str | None = label.id
        while current is not None and current in parents and current not in done and current not in on_trail:
            trail.append(current)
            on_trail.add(current)
            current = parents[current]
        if current in on_trail:
            cycle = trail[trail.index(current):]
            first = min(cycle, key=lambda ident: index[ident])
            turn = cycle.index(first)
            cycle = cycle[turn:] + cycle[:turn]
            members = " -> ".join(cycle + [first])
            message = (f"label '{first}' is its own parent" if len(cycle) == 1
                       else f"labels {members} form a parent cycle")
            files.error("taxonomy.yaml", ("labels", index[first], "parent"), "parent-cycle", message,
                        "a label's parents must lead up to a top-level label: remove the parent of one of them")
        done.update(trail)


_FILLER = set(
    "a an the and or of to in on for with that this these those is are be being been it its as by from at any "
    "which who whom whose text item items content post posts message messages label labelled labeled contains "
    "containing includes including has have any all some kind type form instance instances example examples "
    "something anything where when about considered counts count".split()
)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _repeats_name(name: str, definition: str) -> bool:
    """True when the definition adds fewer than three words beyond the name and filler."""
    name_words = {w.rstrip("s") for w in _words(name)}
    added = [w for w in _words(definition) if w not in _FILLER and w.rstrip("s") not in name_words]
    return len(added) < 3


def _check_edge_cases(files: Files, edge: Any, taxonomy: Any, refs: _Refs) -> None:
    name = "edge_cases.yaml"
    for i, rule in enumerate(edge.rules):
        path = ("rules", i)
        for j, label in enumerate(rule.labels):
            refs.check(name, path + ("labels", j), label, "label")
        refs.check(name, path + ("action", "label"), rule.action.label, "label")
        refs.check(name, path + ("action", "route"), rule.action.route, "route")
        if rule.action.kind.value == "unknown" and taxonomy is not None and taxonomy.unknown_label is None:
            files.error(name, path + ("action", "kind"), "unresolved-ref",
                        f"rule '{rule.id}' sends items to the unknown label, but the taxonomy has none",
                        "set unknown_label in taxonomy.yaml")
        for j, example in enumerate(rule.examples):
            refs.check(name, path + ("examples", j, "label"), example.label, "label")
    for i, pitfall in enumerate(edge.pitfalls):
        for j, label in enumerate(pitfall.labels):
            refs.check(name, ("pitfalls", i, "labels", j), label, "label")


def _check_tree_refs(files: Files, tree: Any, refs: _Refs) -> None:
    """The references of a tree whose kind could not be read."""
    name = "decision_tree.yaml"
    refs.check(name, ("start",), tree.start, "question")
    for i, question in enumerate(tree.questions):
        for j, answer in enumerate(question.answers):
            apath = ("questions", i, "answers", j)
            for key, kind in (("next", "question"), ("label", "label"), ("escalate", "route")):
                refs.check(name, apath + (key,), getattr(answer, key), kind)


def _check_tree(files: Files, tree: Any, known_labels: set[str] | None, refs: _Refs) -> None:
    name = "decision_tree.yaml"
    by_id = {q.id: (i, q) for i, q in reversed(list(enumerate(tree.questions)))}
    refs.check(name, ("start",), tree.start, "question")
    for i, question in enumerate(tree.questions):
        path = ("questions", i)
        if not question.answers and files.complete(name, path + ("answers",)):
            files.error(name, path + ("id",), "tree-dead-end",
                        f"question '{question.id}' has no answers: the path ends here",
                        "add answers that lead to a question, a label or an escalation route")
        for j, answer in enumerate(question.answers):
            apath = path + ("answers", j)
            targets = [k for k in ("next", "label", "escalate") if getattr(answer, k) is not None]
            if not targets:
                files.error(name, apath, "tree-dead-end",
                            f"answer '{answer.answer}' of question '{question.id}' leads nowhere",
                            "give it one of next: <question>, label: <label> or escalate: <route>")
            elif len(targets) > 1:
                files.error(name, apath + (targets[1],), "tree-ambiguous",
                            f"answer '{answer.answer}' of question '{question.id}' has both "
                            f"{targets[0]} and {targets[1]}",
                            "an answer leads to exactly one place; split it into two answers")
            refs.check(name, apath + ("next",), answer.next, "question")
            refs.check(name, apath + ("label",), answer.label, "label")
            refs.check(name, apath + ("escalate",), answer.escalate, "route")

    # Walk from the start: a back edge is a cycle; what is never visited is unreachable.
    reached_labels: set[str] = set()
    state: dict[str, str] = {}  # question id -> "open" while on the stack, "done" after

    def visit(start: str) -> None:
        # Iterative depth-first search, so a long chain of questions cannot exhaust the stack.
        state[start] = "open"
        stack = [(start, 0)]
        while stack:
            qid, j = stack.pop()
            index, question = by_id[qid]
            if j >= len(question.answers):
                state[qid] = "done"
                continue
            stack.append((qid, j + 1))
            answer = question.answers[j]
            if answer.label is not None:
                reached_labels.add(answer.label)
            nxt = answer.next
            if nxt is None or nxt not in by_id:
                continue
            if state.get(nxt) == "open":
                files.error(name, ("questions", index, "answers", j, "next"), "tree-cycle",
                            f"answer '{answer.answer}' of question '{question.id}' goes back to '{nxt}': "
                            "the tree has a cycle",
                            "questions must only lead forward; point this answer at a later question or a label")
            elif nxt not in state:
                state[nxt] = "open"
                stack.append((nxt, 0))

    if tree.start in by_id and files.complete(name):  # a left-out question or answer would break paths
        visit(tree.start)
        for i, question in enumerate(tree.questions):
            if question.id not in state and by_id[question.id][0] == i:
                files.error(name, ("questions", i, "id"), "tree-unreachable",
                            f"question '{question.id}' cannot be reached from the start question '{tree.start}'",
                            "point an answer at it with next: " + question.id + ", or remove it")
        if known_labels is not None:
            for label_id in sorted(known_labels):
                if label_id not in reached_labels:
                    files.error(name, ("questions",), "label-unreachable",
                                f"no path of the decision tree ends in label {quoted(label_id)}",
                                f"add an answer with label: {shown(label_id)}", at_key=True)


def _check_shares(files: Files, name: str, path: KeyPath, shares: list[float], what: str) -> None:
    total = sum(shares)
    if shares and abs(total - 1.0) > 1e-6:
        files.error(name, path, "invalid-value", f"{what} add up to {total:g}, not 1",
                    "make the shares add up to 1", at_key=True)


def _check_acceptance(files: Files, acceptance: Any, refs: _Refs) -> None:
    name = "acceptance.yaml"
    for i, criterion in enumerate(acceptance.criteria):
        path = ("criteria", i)
        for j, label in enumerate(criterion.labels):
            refs.check(name, path + ("labels", j), label, "label")
        if criterion.threshold is None:
            files.warning(name, path + ("id",), "criterion-untestable",
                          f"criterion '{criterion.id}' has no threshold, so it cannot pass or fail",
                          "add a comparator and threshold, e.g. comparator: '>=' and threshold: 0.7")
        if criterion.on_fail is None:
            files.warning(name, path + ("id",), "criterion-no-consequence",
                          f"criterion '{criterion.id}' says nothing about what happens when it fails",
                          "add on_fail with an action: rework, partial-release, scope-reduction, block or recalibrate")


def _check_placeholders(files: Files, name: str, source: SourceFile) -> None:
    # The loader recorded every text value holding the marker; confirm it is a whole word.
    for path in source.placeholders:
        value = source.data
        for step in path:
            value = value[step]
        if PLACEHOLDER.search(value):
            files.warning(name, path, "placeholder", "placeholder text left to fill in",
                          "replace the TODO with the real content")

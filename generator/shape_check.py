"""Checks that follow from the task shape (guideline.yaml's task_type).

The shape decides which fields mean anything: a `labels` set on an example belongs to a
multi-label guideline, a target `token` to token tagging, `spans` to span labeling. A
field that contradicts the shape is an error (`shape-mismatch`), so a lead never writes
something the site and the exports would silently ignore. Per shape it then checks what
an example claims: a multi-label set respects exclusive labels, groups and the limits per
item; a target token occurs in its text; spans lie inside the text and do not overlap or
nest unless the guideline allows it.

    task_type: span           spans: [{text: "Acme Corp", label: org}]
    text: "Acme Corp hired"   -> resolved to (0, 9, org); checked against the text
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .shape_check_boxes import BOX, check_image_example
from .shape_check_judgments import (
    PREFERENCE,
    check_judgment_example,
    check_judgment_taxonomy,
)
from .shape_check_metrics import check_judgment_metrics
from .spec.common import Example

KeyPath = tuple[Any, ...]

MULTI = "multi-label"
TOKENS = "token-tagging"
SPANS = "span"
# Shapes whose raters answer every question (a label set, every scale, every dimension).
CHECKLIST_SHAPES = (MULTI, "rating", "preference")


@dataclass(frozen=True, order=True)
class ResolvedSpan:
    start: int
    end: int
    label: str


def find_token(text: str, token: str, occurrence: int) -> tuple[int, int] | None:
    """Offsets of the n-th whole-word occurrence of token in text."""
    pattern = re.compile(r"(?<!\w)" + re.escape(token) + r"(?!\w)")
    for n, match in enumerate(pattern.finditer(text), start=1):
        if n == occurrence:
            return match.start(), match.end()
    return None


def find_text(text: str, part: str, occurrence: int) -> tuple[int, int] | None:
    """Offsets of the n-th occurrence of part in text (any characters around it)."""
    start = -1
    for _ in range(occurrence):
        start = text.find(part, start + 1)
        if start < 0:
            return None
    return start, start + len(part)


def resolve_spans(example: Example) -> list[ResolvedSpan | None]:
    """Offsets of each span of an example (None where the span does not fit its text)."""
    resolved: list[ResolvedSpan | None] = []
    for span in example.spans or []:
        if span.start is not None and span.end is not None:
            fits = span.start < span.end <= len(example.text) and (
                span.text is None or example.text[span.start:span.end] == span.text)
            resolved.append(ResolvedSpan(span.start, span.end, span.label) if fits else None)
        elif span.text is not None:
            found = find_text(example.text, span.text, span.occurrence)
            resolved.append(ResolvedSpan(found[0], found[1], span.label) if found else None)
        else:
            resolved.append(None)
    return resolved


def example_labels(example: Example, owner: str | None, kind: str) -> set[str]:
    """The labels an example's item (or target token) carries: its `labels` set when
    written, else its `label`, else its owner (a positive or tricky example resolved to
    the label it is listed under; a negative one without `label` says only what it is not)."""
    if example.labels is not None:
        return set(example.labels)
    if example.label is not None:
        return {example.label}
    # An edge-case rule's example has no owner: only the label it names is implied.
    return {owner} if owner and kind != "negative" else set()


def check_shape(files: Any, refs: Any) -> None:
    manifest = files.get("guideline.yaml")
    if manifest is None:
        return
    shape = manifest.task_type.value
    taxonomy = files.get("taxonomy.yaml")
    _check_manifest_options(files, manifest, shape)
    if taxonomy is not None:
        _check_taxonomy_shape(files, manifest, taxonomy, shape, refs)
    edge = files.get("edge_cases.yaml")
    if edge is not None:
        for i, rule in enumerate(edge.rules):
            for j, case in enumerate(rule.action.cases or []):
                refs.check("edge_cases.yaml", ("rules", i, "action", "cases", j, "label"), case.label, "label")
            for j, example in enumerate(rule.examples):
                if example.image is not None or example.boxes is not None:
                    check_image_example(files, manifest, shape, None, "tricky", example, ("rules", i, "examples", j),
                                        refs, name="edge_cases.yaml")
    tree = files.get("decision_tree.yaml")
    if tree is not None:
        _check_tree_kind(files, tree, taxonomy, shape, refs)
    acceptance = files.get("acceptance.yaml")
    if acceptance is not None:
        _check_span_metrics(files, acceptance, shape)
        check_judgment_metrics(files, acceptance, shape)


def _mismatch(files: Any, name: str, path: KeyPath, what: str, belongs: str, shape: str, fix: str) -> None:
    files.error(name, path, "shape-mismatch", f"{what} belongs to {belongs} guidelines; this one is {shape}",
                fix, at_key=True)


def _check_manifest_options(files: Any, manifest: Any, shape: str) -> None:
    for key, belongs in (("labels_per_item", MULTI), ("spans", SPANS), ("tokens", TOKENS),
                         ("preference", PREFERENCE), ("boxes", BOX)):
        if getattr(manifest, key) is not None and shape != belongs:
            _mismatch(files, "guideline.yaml", (key,), key, belongs, shape,
                      f"remove {key}, or set task_type: {belongs}")
    limits = manifest.labels_per_item
    if limits is not None and limits.max is not None and limits.max < limits.min:
        files.error("guideline.yaml", ("labels_per_item", "max"), "invalid-value",
                    f"labels_per_item.max ({limits.max}) is below labels_per_item.min ({limits.min})",
                    "make max at least min")


def _check_taxonomy_shape(files: Any, manifest: Any, taxonomy: Any, shape: str, refs: Any) -> None:
    name = "taxonomy.yaml"
    if taxonomy.mode is not None and (taxonomy.mode.value == "multi") != (shape == MULTI):
        wanted = "multi" if shape == MULTI else "exclusive"
        files.error(name, ("mode",), "shape-mismatch",
                    f"mode '{taxonomy.mode.value}' contradicts task_type '{shape}' in guideline.yaml",
                    f"remove mode (the task type decides it), or write mode: {wanted}")
    if taxonomy.groups and shape != MULTI:
        _mismatch(files, name, ("groups",), "groups", MULTI, shape, f"remove groups, or set task_type: {MULTI}")
    _check_undecidable(files, taxonomy, refs)
    check_judgment_taxonomy(files, manifest, taxonomy, shape, refs)
    values: dict[tuple[str | None, str], int] = {}
    scale_of = {point: c.id for c in taxonomy.criteria for point in c.points}
    for i, label in enumerate(taxonomy.labels):
        path: KeyPath = ("labels", i)
        if label.exclusive and shape != MULTI:
            _mismatch(files, name, path + ("exclusive",), "exclusive", MULTI, shape,
                      "remove exclusive: in a single-label guideline every label is exclusive")
        if label.words and shape != TOKENS:
            _mismatch(files, name, path + ("words",), "words", TOKENS, shape,
                      f"remove words, or set task_type: {TOKENS}")
        # Values are told apart within one scale: the points of two criteria may share
        # scores (the data names the criterion), answers and labels may not.
        value = (scale_of.get(label.id), label.data_value)
        # Two ids alike are already a duplicate-id; a value clash needs a written value.
        if value in values and (label.value is not None or taxonomy.labels[values[value]].value is not None):
            first = files.sources[name].pos(("labels", values[value]))
            files.error(name, path + (("value",) if label.value is not None else ("id",)), "duplicate-value",
                        f"label value '{value[1]}' is used twice (first on line {first[0]}): the data could not tell "
                        "the labels apart", "give each label its own value")
        else:
            values.setdefault(value, i)
    _check_groups(files, taxonomy, refs)
    exclusive = {label.id for label in taxonomy.labels if label.exclusive}
    for i, label in enumerate(taxonomy.labels):
        for kind in ("positive", "negative", "tricky"):
            for j, example in enumerate(getattr(label.examples, kind)):
                path = ("labels", i, "examples", kind, j)
                _check_example(files, manifest, taxonomy, shape, label.id, kind, example, path, refs, exclusive)


def _check_undecidable(files: Any, taxonomy: Any, refs: Any) -> None:
    way = taxonomy.undecidable
    if way is None:
        return
    name = "taxonomy.yaml"
    given = [key for key in ("escalate", "skip") if getattr(way, key) is not None]
    if len(given) != 1:
        files.error(name, ("undecidable",), "invalid-value",
                    "undecidable needs exactly one of escalate or skip" + (f", not {len(given)}" if given else ""),
                    "write escalate: <route id> or skip: <how to skip the item>", at_key=True)
    if taxonomy.unknown_label is not None:
        files.error(name, ("undecidable",), "invalid-value",
                    f"undecidable contradicts unknown_label '{taxonomy.unknown_label}': raters need one instruction",
                    "keep unknown_label, or remove it and keep undecidable", at_key=True)
    refs.check(name, ("undecidable", "escalate"), way.escalate, "route")


def _check_groups(files: Any, taxonomy: Any, refs: Any) -> None:
    name = "taxonomy.yaml"
    label_ids = {label.id for label in taxonomy.labels}
    seen: dict[str, int] = {}
    for i, group in enumerate(taxonomy.groups):
        path = ("groups", i)
        if group.id in label_ids:
            files.error(name, path + ("id",), "duplicate-id",
                        f"group id '{group.id}' is also a label id", "give the group an id of its own")
        elif group.id in seen:
            first = files.sources[name].pos(("groups", seen[group.id]))
            files.error(name, path + ("id",), "duplicate-id",
                        f"group id '{group.id}' is used twice (first on line {first[0]})", "give each group its own id")
        seen.setdefault(group.id, i)
        for j, member in enumerate(group.members):
            refs.check(name, path + ("members", j), member, "label")
        if group.max_per_item is not None and group.max_per_item >= len(group.members) > 0:
            files.warning(name, path + ("max_per_item",), "invalid-value",
                          f"group '{group.id}' allows {group.max_per_item} of its {len(group.members)} members "
                          "per item: the limit never applies", "lower max_per_item, or remove it")


def _check_example(files: Any, manifest: Any, taxonomy: Any, shape: str, owner: str, kind: str, example: Example,
                   path: KeyPath, refs: Any, exclusive: set[str]) -> None:
    name = "taxonomy.yaml"
    for key, belongs in (("labels", MULTI), ("token", TOKENS), ("spans", SPANS)):
        if getattr(example, key) is not None and shape != belongs:
            _mismatch(files, name, path + (key,), f"an example's {key}", belongs, shape,
                      f"remove {key} from this example")
    if "occurrence" in example.model_fields_set and shape != TOKENS:
        _mismatch(files, name, path + ("occurrence",), "an example's occurrence", TOKENS, shape,
                  "remove occurrence from this example")
    if kind == "negative" and example.label == owner:
        files.error(name, path + ("label",), "negative-own-label",
                    f"negative example of '{owner}' says it gets '{owner}' itself",
                    "a negative example names the label that applies instead")
    check_judgment_example(files, manifest, taxonomy, shape, owner, kind, example, path, refs)
    check_image_example(files, manifest, shape, owner, kind, example, path, refs)
    if shape == MULTI:
        _check_multi_example(files, manifest, taxonomy, owner, kind, example, path, refs, exclusive)
    elif shape == TOKENS:
        _check_token_example(files, example, path)
    elif shape == SPANS:
        _check_span_example(files, manifest, owner, kind, example, path, refs)


def _check_multi_example(files: Any, manifest: Any, taxonomy: Any, owner: str, kind: str, example: Example,
                         path: KeyPath, refs: Any, exclusive: set[str]) -> None:
    name = "taxonomy.yaml"
    if example.labels is not None:
        for label_id in example.labels:
            refs.check(name, path + ("labels", label_id), label_id, "label")
        if kind == "positive" and owner not in example.labels:
            files.error(name, path + ("labels",), "example-label",
                        f"positive example of '{owner}' does not list '{owner}' in its labels",
                        f"add {owner} to the example's labels, or move the example", at_key=True)
        if kind == "negative" and owner in example.labels:
            files.error(name, path + ("labels", owner), "negative-own-label",
                        f"negative example of '{owner}' lists '{owner}' itself in its labels",
                        "a negative example lists the labels that apply instead", at_key=True)
    carried = example_labels(example, owner, kind)
    alone = sorted(carried & exclusive)
    if alone and len(carried) > 1:
        files.error(name, path + ("labels",), "exclusive-combined",
                    f"example combines exclusive label '{alone[0]}' with "
                    + ", ".join(f"'{label}'" for label in sorted(carried - {alone[0]})),
                    f"'{alone[0]}' is never combined with another label; drop the others or the exclusive label",
                    at_key=True)
    for group in taxonomy.groups:
        members = carried & set(group.members)
        if group.max_per_item is not None and len(members) > group.max_per_item:
            files.error(name, path + ("labels",), "invalid-value",
                        f"example carries {len(members)} labels of group '{group.id}' "
                        f"({', '.join(sorted(members))}); the group allows {group.max_per_item}",
                        "keep the members that apply best", at_key=True)
    limits = manifest.labels_per_item
    if limits is not None and example.labels is not None:
        if len(carried) < limits.min or (limits.max is not None and len(carried) > limits.max):
            most = f" and at most {limits.max}" if limits.max is not None else ""
            files.error(name, path + ("labels",), "invalid-value",
                        f"example carries {len(carried)} label{'s' if len(carried) != 1 else ''}; an item carries at "
                        f"least {limits.min}{most} (labels_per_item in guideline.yaml)",
                        "change the example's labels, or labels_per_item", at_key=True)


def _check_token_example(files: Any, example: Example, path: KeyPath) -> None:
    if example.token is None:
        files.error("taxonomy.yaml", path + ("text",), "example-token",
                    "a token-tagging example needs the target token",
                    "add token: <the word of the text the example is about>", at_key=True)
        return
    if find_token(example.text, example.token, example.occurrence) is None:
        count = len(re.findall(r"(?<!\w)" + re.escape(example.token) + r"(?!\w)", example.text))
        message = (f"token '{example.token}' does not occur as a word in the text" if count == 0 else
                   f"token '{example.token}' occurs {count} time{'s' if count != 1 else ''} in the text, "
                   f"not {example.occurrence}")
        files.error("taxonomy.yaml", path + ("token",), "example-token", message,
                    "write the token exactly as in the text, and occurrence: n for its n-th occurrence")


def _check_span_example(files: Any, manifest: Any, owner: str, kind: str, example: Example, path: KeyPath,
                        refs: Any) -> None:
    name = "taxonomy.yaml"
    if example.spans is None:
        files.error(name, path + ("text",), "example-span", "a span example needs its spans",
                    "add spans: [{text: <covered text>, label: <label id>}, ...] (an empty list when none)",
                    at_key=True)
        return
    rules = manifest.spans
    resolved = resolve_spans(example)
    for k, (span, found) in enumerate(zip(example.spans, resolved)):
        spath = path + ("spans", k)
        refs.check(name, spath + ("label",), span.label, "label")
        if found is None:
            files.error(name, spath, "example-span", _span_problem(example.text, span),
                        "give start and end (end exclusive, counted in characters) or the covered text")
    placed = sorted((s, k) for k, s in enumerate(resolved) if s is not None)
    for (a, ka), (b, kb) in zip(placed, placed[1:]):
        if b.start >= a.end:
            continue
        inside = b.end <= a.end
        allowed = rules is not None and (rules.nested if inside else rules.overlapping)
        if not allowed:
            relation = "lies inside" if inside else "overlaps"
            option = "nested" if inside else "overlapping"
            files.error(name, path + ("spans", max(ka, kb)), "example-span",
                        f"span '{example.text[b.start:b.end]}' ({b.start}-{b.end}) {relation} span "
                        f"'{example.text[a.start:a.end]}' ({a.start}-{a.end})",
                        f"fix the offsets, or allow it with spans: {{{option}: true}} in guideline.yaml")
    labels = {span.label for span in example.spans}
    if kind == "positive" and owner not in labels:
        files.error(name, path + ("spans",), "example-label",
                    f"positive example of '{owner}' has no span labelled '{owner}'",
                    f"mark the {owner} span, or move the example", at_key=True)
    if kind == "negative" and owner in labels:
        files.error(name, path + ("spans",), "negative-own-label",
                    f"negative example of '{owner}' has a span labelled '{owner}'",
                    "a negative example shows what is not this label; label its spans with what applies instead",
                    at_key=True)


def _span_problem(text: str, span: Any) -> str:
    if span.start is None or span.end is None:
        if span.text is None:
            return "a span needs start and end, or the text it covers"
        return f"span text '{span.text}' does not occur {_nth(span.occurrence)}in the example's text"
    if not span.start < span.end:
        return f"span {span.start}-{span.end} is empty: end must be after start"
    if span.end > len(text):
        return f"span {span.start}-{span.end} lies outside the text ({len(text)} characters)"
    return f"span {span.start}-{span.end} covers '{text[span.start:span.end]}', not '{span.text}'"


def _nth(occurrence: int) -> str:
    return "" if occurrence == 1 else f"{occurrence} times "


def _check_tree_kind(files: Any, tree: Any, taxonomy: Any, shape: str, refs: Any) -> None:
    name = "decision_tree.yaml"
    if tree.kind.value == "checklist":
        if shape not in CHECKLIST_SHAPES:
            files.error(name, ("kind",), "shape-mismatch",
                        f"a checklist tree belongs to multi-label, rating and preference guidelines; this one is "
                        f"{shape}", "remove kind: checklist (one path leads to one label)")
        _check_checklist(files, tree, taxonomy, refs)
    elif tree.start is None:
        files.error(name, (), "missing-key", "decision_tree.yaml needs start: the id of the first question",
                    "add start: <question id>, or kind: checklist for a multi-label checklist")


def _check_checklist(files: Any, tree: Any, taxonomy: Any, refs: Any) -> None:
    """A checklist asks every question in order; an answer ticks a label, escalates or
    ticks nothing. Every label must be tickable by some answer."""
    name = "decision_tree.yaml"
    # A question is about a label, or a group, criterion or dimension of labels.
    groups = ({x.id for x in [*taxonomy.groups, *taxonomy.criteria, *taxonomy.dimensions]}
              if taxonomy is not None else set())
    labels = {label.id for label in taxonomy.labels} if taxonomy is not None else None
    ticked: set[str] = set()
    for i, question in enumerate(tree.questions):
        path = ("questions", i)
        if question.about is not None and labels is not None and question.about not in labels | groups:
            refs.check(name, path + ("about",), question.about, "label")
        if not question.answers:
            files.error(name, path + ("id",), "tree-dead-end", f"question '{question.id}' has no answers",
                        "add answers, each ticking a label (label: <id>) or nothing")
        for j, answer in enumerate(question.answers):
            apath = path + ("answers", j)
            if answer.next is not None:
                files.error(name, apath + ("next",), "invalid-value",
                            f"answer '{answer.answer}' of question '{question.id}' has next, but a checklist "
                            "asks every question in order", "remove next; the following question comes anyway")
            if answer.label is not None and answer.escalate is not None:
                files.error(name, apath + ("escalate",), "tree-ambiguous",
                            f"answer '{answer.answer}' of question '{question.id}' has both label and escalate",
                            "an answer ticks a label or escalates; split it into two answers")
            refs.check(name, apath + ("label",), answer.label, "label")
            refs.check(name, apath + ("escalate",), answer.escalate, "route")
            if answer.label is not None:
                ticked.add(answer.label)
    if tree.start is not None:
        files.error(name, ("start",), "invalid-value", "a checklist has no start: every question is asked in order",
                    "remove start", at_key=True)
    for label_id in sorted((labels or set()) - ticked):
        files.error(name, ("questions",), "label-unreachable",
                    f"no answer of the checklist ticks label '{label_id}'",
                    f"add an answer with label: {label_id}", at_key=True)


def _check_span_metrics(files: Any, acceptance: Any, shape: str) -> None:
    """Span F1 compares raters' spans: it exists for span guidelines, overall and per label."""
    for i, c in enumerate(acceptance.criteria):
        if c.metric.value not in ("span_f1_exact", "span_f1_overlap"):
            continue
        if shape != SPANS:
            files.error("acceptance.yaml", ("criteria", i, "metric"), "shape-mismatch",
                        f"criterion '{c.id}' measures {c.metric.value}, which applies to span guidelines; "
                        f"this one is {shape}",
                        "span F1 compares raters' spans: use an agreement metric such as krippendorff_alpha")
        elif c.scope.value == "per-slice":
            files.error("acceptance.yaml", ("criteria", i, "scope"), "invalid-value",
                        f"criterion '{c.id}' measures {c.metric.value} per slice; span F1 is measured overall "
                        "and per label", "use scope overall or per-label")

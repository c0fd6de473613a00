"""What the pages need to show each task shape, precomputed for the templates.

An example is shown as its shape defines it (README, "Task shapes"): a multi-label item
with its whole label set, a token-tagging item with its target token marked, a span item
with every span marked in its label's colour and its label chip. Offsets come from
shape_check (find_token, resolve_spans), the same code `check` validates them with, so
the page marks exactly what the check accepted. Preference items (a prompt and its
responses), rating scales and images with boxes come from render/judgments.py.

Highlighted text is a tree of pieces, never HTML: the templates escape every piece of
text and draw the marks (generator/page_templates/_examples.md.j2).

    "Ada met Bob in Paris", spans Ada/per, Bob/per, Paris/loc
    -> [span(per: "Ada"), text(" met "), span(per: "Bob"), text(" in "), span(loc: "Paris")]
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, replace
from typing import Any

from ..guideline import Guideline
from ..shape_check import MULTI, SPANS, TOKENS, ResolvedSpan, example_labels, find_token, resolve_spans
from ..spec.common import Example
from ..spec.decision_tree import TreeKind
from ..spec.manifest import BoxRules, LabelsPerItem, PreferenceRules, SpanRules
from .judgments import (BOX, PREFERENCE, RATING, figure_of, judgment_context, judgments_of, num, response_columns,
                        responses_of, responses_shown)

# Tints .lb-span--c0 ... --c7 in labelbook.css: a label's colour is its position in the
# taxonomy modulo this, so the same taxonomy always gets the same colours.
SPAN_COLOURS = 8
# Spans nested deeper than this are not drawn (each level is a template call; a hostile
# spec must not exhaust the stack). Real entity nesting stays far below it.
MAX_SPAN_DEPTH = 12


@dataclass(frozen=True)
class Piece:
    """A run of an example's text: plain text, the target token, or a span (or one piece
    of a span a partial overlap cut) with the pieces it contains."""

    kind: str  # "text", "token" or "span"
    text: str = ""  # text and token pieces
    label: str | None = None  # span pieces: the label id
    colour: int = 0
    parts: tuple["Piece", ...] = ()
    first: bool = True  # the span starts in this piece
    last: bool = True  # the span ends in this piece, which therefore carries its label chip


@dataclass(frozen=True)
class ExampleView:
    example: Example
    pieces: tuple[Piece, ...] | None  # None: the text is shown as written
    # multi-label: the item's label set in order, each with why it applies (None: nothing
    # to say, the set is not known); other shapes: None.
    labels: tuple[tuple[str, str | None], ...] | None
    tag: str | None  # the label the item (single-label, span) or its target token gets
    undrawn: int = 0  # spans left unmarked (nested deeper than MAX_SPAN_DEPTH)
    # preference: the responses, each with its name ("Response A", text), A first; the
    # text is then the prompt.
    responses: tuple[tuple[str, str], ...] | None = None
    columns: int = 1  # the responses' columns on a wide screen
    judgments: tuple[Any, ...] | None = None  # judgments.Judgment, per dimension or criterion
    figure: Any = None  # judgments.Figure: the image (with its boxes), the text its alt text

    @property
    def judged_on(self) -> str:
        """What the judgments are given on: 'Per dimension', 'Per scale' or both."""
        kinds = {j.kind for j in self.judgments or ()}
        if kinds == {"dimension"}:
            return "Per dimension"
        return "Per scale" if kinds == {"criterion"} else "Per dimension and scale"


def shape_context(guideline: Guideline) -> dict[str, Any]:
    shape = guideline.shape
    taxonomy = guideline.taxonomy
    labels = taxonomy.labels
    order = {label.id: i for i, label in enumerate(labels)}
    colours = {label.id: i % SPAN_COLOURS for i, label in enumerate(labels)} if shape in (SPANS, BOX) else {}
    # The value is shown where it is what raters pick (tags, entity types, the classes a
    # box is given) or where it differs from the id; a single-label guideline whose values
    # are its ids shows none.
    shown_values = {label.id: label.data_value for label in labels
                    if shape in (TOKENS, SPANS, BOX) or (label.value is not None and label.value != label.id)}
    judged = judgment_context(guideline)
    view = _Viewer(guideline, order, colours, judged["box_names"])
    views = {label.id: {kind: tuple(view(e, label.id, kind) for e in getattr(label.examples, kind))
                        for kind in ("positive", "negative", "tricky")}
             for label in labels}
    groups_of: dict[str, list[Any]] = {}
    for group in taxonomy.groups:
        for member in group.members:
            groups_of.setdefault(member, []).append(group)
    manifest = guideline.manifest
    per_item = _per_item(manifest.labels_per_item) if shape == MULTI else None
    way = taxonomy.undecidable
    skip = way.skip if way is not None and way.escalate is None else None
    return {
        **judged,
        "shape": shape,
        "shown_values": shown_values,
        "span_colours": colours,
        "example_views": views,
        "rule_examples": {rule.id: tuple(view(e, None, "tricky") for e in rule.examples)
                          for rule in guideline.edge_cases.rules},
        # The card shows one worked example per label where the text itself must be marked.
        "card_examples": {label.id: views[label.id]["positive"][0] for label in labels
                          if shape in (TOKENS, SPANS) and views[label.id]["positive"]},
        "groups_of": groups_of,
        "group_names": {group.id: group.name for group in taxonomy.groups},
        "per_item": per_item,
        "task_phrase": _task_phrase(shape, guideline.multi_label, per_item, manifest.preference),
        "card_labels_note": _card_labels_note(shape, guideline.multi_label, per_item),
        "answer_rule": _answer_rule(shape, guideline.multi_label, per_item, manifest),
        "span_rules": _span_rules(manifest.spans) if shape == SPANS else None,
        "checklist": guideline.decision_tree.kind == TreeKind.checklist,
        "unknown": {
            "label": taxonomy.unknown_label,
            "route": way.escalate if way is not None else None,
            "skip": skip,
            # The sentence ends with the lead's own words: no second full stop after them.
            "skip_end": "" if skip is not None and skip.rstrip()[-1:] in ".!?" else ".",
        },
    }


class _Viewer:
    """An example as its shape shows it: the text's marks (_view), then what the judgment
    and image shapes add (the responses, the judgments, the image with its boxes)."""

    def __init__(self, guideline: Guideline, order: dict[str, int], colours: dict[str, int],
                 box_names: dict[str, str]) -> None:
        self.guideline, self.order, self.colours, self.box_names = guideline, order, colours, box_names

    def __call__(self, example: Example, owner: str | None, kind: str) -> ExampleView:
        guideline = self.guideline
        v = _view(guideline, example, owner, kind, self.order, self.colours)
        if guideline.shape in (PREFERENCE, RATING):
            responses = responses_of(example) if guideline.shape == PREFERENCE else None
            tags = example_labels(example, owner, kind)
            v = replace(v, tag=next(iter(tags)) if len(tags) == 1 else None, responses=responses,
                        columns=response_columns(len(responses)) if responses else 1,
                        judgments=judgments_of(guideline, example))
        figure = figure_of(guideline, example, self.colours, self.box_names)
        return replace(v, figure=figure) if figure is not None else v


def _view(guideline: Guideline, example: Example, owner: str | None, kind: str, order: dict[str, int],
          colours: dict[str, int]) -> ExampleView:
    shape = guideline.shape
    if shape == MULTI:
        labels: tuple[tuple[str, str | None], ...] | None
        if example.labels is not None:
            labels = tuple(example.labels.items())  # as the lead wrote them: the why belongs to each
        else:
            # A rule's example has no owner: only the label it names is implied.
            implied = example_labels(example, owner, kind)
            labels = tuple((label, None) for label in sorted(implied, key=lambda x: order.get(x, len(order))))
            labels = labels or None  # no set written and none implied: say nothing about it
        return ExampleView(example, None, labels, None)
    if shape == TOKENS:
        # The target token's tag, as example_labels reads any example: the owner for a
        # positive one, else the `label` it names (none named: no tag is claimed).
        tags = example_labels(example, owner, kind)
        tag = next(iter(tags)) if len(tags) == 1 else None
        found = find_token(example.text, example.token, example.occurrence) if example.token else None
        if found is None:
            return ExampleView(example, None, None, tag)
        start, end = found
        pieces = tuple(p for p in (Piece("text", example.text[:start]), Piece("token", example.text[start:end]),
                                   Piece("text", example.text[end:])) if p.text)
        return ExampleView(example, pieces, None, tag)
    if shape == SPANS and example.spans is not None:
        pieces, undrawn = span_pieces(example.text, [s for s in resolve_spans(example) if s is not None], colours)
        return ExampleView(example, pieces, None, example.label, undrawn)
    return ExampleView(example, None, None, example.label)


class _Open:
    """A span piece while the tree is built."""

    def __init__(self, start: int, end: int, label: str | None, first: bool, last: bool, depth: int) -> None:
        self.start, self.end, self.label, self.first, self.last, self.depth = start, end, label, first, last, depth
        self.children: list[_Open] = []


def span_pieces(text: str, spans: list[ResolvedSpan], colours: dict[str, int]) -> tuple[tuple[Piece, ...], int]:
    """The text as nested pieces: a span inside another is drawn inside it.

    Two spans that partly overlap cannot both be one HTML element. The one that starts
    later is cut where the earlier one ends: its first piece is drawn inside the earlier
    span, its rest right after it, in the same colour, and only that last piece carries
    the label chip, so every span still has one chip, placed where it ends, and the marks
    stay properly nested HTML. Spans are taken by start, the longer first (it becomes the
    parent), then in written order; the result depends only on the spec."""
    heap = [(s.start, -s.end, i, s.end, s.label, True) for i, s in enumerate(spans)]
    heapq.heapify(heap)
    root = _Open(0, len(text), None, True, True, 0)
    stack = [root]
    undrawn = 0
    while heap:
        start, _, index, end, label, first = heapq.heappop(heap)
        while len(stack) > 1 and stack[-1].end <= start:
            stack.pop()
        top = stack[-1]
        last = True
        if end > top.end:  # a partial overlap (the root holds the whole text, so never there)
            heapq.heappush(heap, (top.end, -end, index, end, label, False))
            end, last = top.end, False
        if top.depth >= MAX_SPAN_DEPTH:
            undrawn += last  # count each span once, at its last piece
            continue
        node = _Open(start, end, label, first, last, top.depth + 1)
        top.children.append(node)
        stack.append(node)
    return _freeze(root, text, colours), undrawn


def _freeze(node: _Open, text: str, colours: dict[str, int]) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    position = node.start
    for child in node.children:
        if child.start > position:
            pieces.append(Piece("text", text[position:child.start]))
        pieces.append(Piece("span", label=child.label, colour=colours.get(child.label or "", 0),
                            parts=_freeze(child, text, colours), first=child.first, last=child.last))
        position = child.end
    if position < node.end:
        pieces.append(Piece("text", text[position:node.end]))
    return tuple(pieces)


def _labels(n: int) -> str:
    return f"{n} label" if n == 1 else f"{n} labels"


def _per_item(limits: LabelsPerItem | None) -> str | None:
    """labels_per_item in words, e.g. '1 to 3 labels' (per item)."""
    if limits is None:
        return None
    low, high = limits.min, limits.max
    if high is None:
        return "any number of labels" if low == 0 else f"at least {_labels(low)}"
    if low == high:
        return f"exactly {_labels(low)}"
    return f"{low} to {high} labels"


def _task_phrase(shape: str, multi: bool, per_item: str | None, preference: PreferenceRules | None) -> str:
    if shape == PREFERENCE:
        n = (preference or PreferenceRules()).responses
        return f"compare {n} responses to a prompt, one judgment per item"
    if shape == RATING:
        return "one point on every scale of the rubric"
    if shape == BOX:
        return "a box around every object of a class, one class per box"
    if shape == TOKENS:
        return "one tag per token"
    if shape == SPANS:
        return "labelled spans of a text, one label per span"
    if multi:
        return "several labels may apply" + (f", {per_item} per item" if per_item else "")
    return "one label per item"


def _card_labels_note(shape: str, multi: bool, per_item: str | None) -> str:
    if shape == RATING:
        return "one point on every scale"
    if shape == BOX:
        return "one per box"
    if shape == TOKENS:
        return "one per token"
    if shape == SPANS:
        return "one per span"
    if multi:
        return "all that apply" + (f"; {per_item} per item" if per_item else "")
    return "one per item"


def _answer_rule(shape: str, multi: bool, per_item: str | None, manifest: Any) -> str:
    """The definitions page's first sentence: what one answer is."""
    if shape == PREFERENCE:
        rules = manifest.preference or PreferenceRules()
        order = (" The order of the responses is random: judge their content, not their position."
                 if rules.order_randomized else "")
        return (f"Read the prompt and its {rules.responses} responses ({responses_shown(rules.responses)}), "
                f"then give exactly one answer per item.{order}")
    if shape == RATING:
        return ("Rate every item on every scale below: exactly one point per scale, the point whose definition "
                "fits best. Points are listed lowest first.")
    if shape == BOX:
        rules = manifest.boxes or BoxRules()
        return ("Draw a box around every object of the classes below, and give each box exactly one class. "
                f"Objects smaller than {_px(rules.min_size)} on a side are not boxed.")
    if shape == TOKENS:
        return "Exactly one tag per token."
    if shape == SPANS:
        return ("Mark every span that meets a label's criteria, each with exactly one label. "
                + _span_rules(manifest.spans))
    if multi:
        return ("Several labels may apply to one item: give every label whose criteria are met."
                + (f" An item carries {per_item}." if per_item else ""))
    return "Exactly one label per item."


def _px(size: float) -> str:
    return f"{num(size)} px"


def _span_rules(rules: SpanRules | None) -> str:
    rules = rules or SpanRules()
    if rules.nested and rules.overlapping:
        return "Spans may lie inside one another and may partly overlap."
    if rules.nested:
        return "A span may lie inside another; spans never partly overlap."
    if rules.overlapping:
        return "Spans may partly overlap; a span never lies wholly inside another."
    return "Spans never overlap: each character belongs to at most one span."

"""What the rater's decision helper and the self-test run on: the guideline as JSON data
embedded in their pages, read by labelbook.js.

Spec text is untrusted. It travels as JSON strings only, and the script puts it on the
page with textContent, never as HTML. The JSON is embedded in a
<script type="application/json"> element, so every "<", ">" and "&" is written as a
\\u escape: no "</script>" or "<!--" in a spec can end the element early.

The helper walks the tree one question at a time; its state is the path taken, written in
the address as readable steps, question number then answer: `#path=q3.no.q5.yes`. An
answer's step name is made from its first words, unique within its question:

    "Yes: an unredacted card number, IBAN ..."  ->  yes-an-unredacted
"""

from __future__ import annotations

import json
import random
import re
from typing import Any

from markupsafe import Markup

from ..guideline import Guideline
from ..shape_check import MULTI, TOKENS, example_labels, find_token
from ..spec.decision_tree import TreeKind
from .tree_diagram import question_text

EXAMPLES_SHOWN = 3  # tricky and near-miss examples shown with a label the walk ends in
SELF_TEST_SHAPES = ("single-label", MULTI, TOKENS)  # shapes whose answer is a pick of labels


def embedded_json(data: Any) -> Markup:
    """data as JSON that is safe inside <script type="application/json"> in HTML, and in a
    Markdown page's raw HTML block (one line, no blank line, no entity)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return Markup(text)


def answer_steps(answers: list[str]) -> list[str]:
    """Each answer's name in a path: its first three words, lowercased, unique within the
    question (a second "No ..." becomes no-2)."""
    steps: list[str] = []
    for index, answer in enumerate(answers):
        words = re.findall(r"[a-z0-9]+", answer.lower())
        step = "-".join(words[:3]) or f"a{index + 1}"
        candidate, n = step, 2
        while candidate in steps:
            candidate, n = f"{step}-{n}", n + 1
        steps.append(candidate)
    return steps


def _example(guideline: Guideline, example: Any, owner: str, kind: str) -> dict[str, Any]:
    gold = sorted(example_labels(example, owner, kind), key=_order(guideline))
    return {"text": example.text, "why": example.explanation, "gold": gold, "mark": _token_mark(example)}


def _order(guideline: Guideline) -> Any:
    order = {label.id: i for i, label in enumerate(guideline.taxonomy.labels)}
    return lambda label_id: order.get(label_id, len(order))


def _token_mark(example: Any) -> list[int] | None:
    """[start, end] of a token-tagging example's target token in its text, else None."""
    if example.token is None:
        return None
    found = find_token(example.text, example.token, example.occurrence)
    return list(found) if found is not None else None


def _labels(guideline: Guideline) -> dict[str, Any]:
    shown = guideline.shape == TOKENS or any(label.value is not None for label in guideline.taxonomy.labels)
    return {label.id: {
        "name": label.name,
        "value": label.data_value if shown else "",
        "definition": label.definition,
        "href": f"../labels/{label.id}/",
        "tricky": [_example(guideline, e, label.id, "tricky") for e in label.examples.tricky[:EXAMPLES_SHOWN]],
        "near": [_example(guideline, e, label.id, "negative") for e in label.examples.negative[:EXAMPLES_SHOWN]],
    } for label in guideline.taxonomy.labels}


def _routes(guideline: Guideline) -> dict[str, Any]:
    return {route.id: {
        "name": route.name,
        "href": f"../edge-cases/#route-{route.id}",
        "who": route.role,
        "where": route.channel,
        "hours": f"{route.response_time_hours:g}",
        "include": [i.value.replace("-", " ") for i in route.include],
        "waiting": route.while_waiting or "",
    } for route in guideline.edge_cases.routes}


def helper_data(guideline: Guideline) -> dict[str, Any]:
    """The decision tree, its labels and routes, for the helper on the decision-tree page."""
    tree = guideline.decision_tree
    names = {label.id: label.name for label in guideline.taxonomy.labels}
    names.update({group.id: group.name for group in guideline.taxonomy.groups})
    questions = []
    for number, q in enumerate(tree.questions, start=1):
        steps = answer_steps([a.answer for a in q.answers])
        questions.append({
            "id": q.id, "n": number, "text": question_text(q.question), "help": q.help or "",
            "about": names.get(q.about, q.about) if q.about else "",
            "answers": [{"step": step, "text": a.answer, "evidence": a.evidence or "", "next": a.next or "",
                         "label": a.label or "", "escalate": a.escalate or ""}
                        for step, a in zip(steps, q.answers)],
        })
    checklist = tree.kind == TreeKind.checklist
    return {
        "guideline": guideline.title,
        "kind": "checklist" if checklist else "path",
        "start": "" if checklist else (tree.start or tree.questions[0].id),
        "questions": questions,
        "labels": _labels(guideline),
        "routes": _routes(guideline),
    }


def self_test_data(guideline: Guideline, changed_labels: set[str]) -> dict[str, Any] | None:
    """The worked examples as test items with their gold answers, in an order shuffled with
    a seed made of the guideline and its version (the same release: the same order), so no
    label's examples come in a row. None when the shape's answer is not a pick of labels.
    An example whose answer the spec does not state (a near miss that names no label) is
    left out; so is a second copy of an item with the same answer."""
    if guideline.shape not in SELF_TEST_SHAPES:
        return None
    items: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for label in guideline.taxonomy.labels:
        for kind in ("positive", "negative", "tricky"):
            for example in getattr(label.examples, kind):
                item = _example(guideline, example, label.id, kind)
                key = (item["text"], tuple(item["mark"] or ()), tuple(item["gold"]))
                if not item["gold"] or key in seen:
                    continue
                seen.add(key)
                item.update(kind=kind, changed=label.id in changed_labels or bool(changed_labels & set(item["gold"])))
                items.append(item)
    random.Random(f"{guideline.id}@{guideline.version}").shuffle(items)
    labels = guideline.taxonomy.labels
    shown = guideline.shape == TOKENS or any(label.value is not None for label in labels)
    return {
        "guideline": guideline.title,
        "multi": guideline.shape == MULTI,
        "tokens": guideline.shape == TOKENS,
        "labels": [{"id": label.id, "name": label.name, "value": label.data_value if shown else "",
                    "href": f"../labels/{label.id}/"} for label in labels],
        "items": items,
    }

"""Decision tree -> Graphviz DOT -> inline SVG whose label and route nodes are links.

Every answer gets its own outcome node, so the drawing is a true tree: dot lays trees out
without crossing edges, top to bottom. Links are relative to a page one level below the
guideline (`<guideline>/decision-tree/`), where the SVG is embedded: `../labels/<id>/`.
Node ids and attribute order come from the spec's order, so the same spec gives the same
SVG bytes.
"""

from __future__ import annotations

import re
import textwrap

import graphviz

from ..guideline import Guideline
from ..spec.decision_tree import TreeKind

QUESTION_FILL = "#e8eefc"
LABEL_FILL = "#e6f4ea"
ROUTE_FILL = "#fdecea"
WRAP = 30


_OWN_NUMBER = re.compile(r"^\s*(?:Q\s*)?\d+\s*[.):]\s+", re.IGNORECASE)


def question_text(question: str) -> str:
    """The question without a number the lead wrote in front of it ("4. Is it ..."): the
    site numbers questions itself (Q1, Q2 ... in the order of decision_tree.yaml)."""
    return _OWN_NUMBER.sub("", question, count=1) or question


def _wrap(text: str, width: int = WRAP) -> str:
    # graphviz.escape keeps a spec's backslashes literal; "\n" is then ours alone.
    lines = textwrap.wrap(" ".join(text.split()), width=width) or [""]
    # nohtml: a label written like "<b>Yes</b>" is text, never a Graphviz HTML label.
    return graphviz.nohtml("\\n".join(graphviz.escape(line) for line in lines))


def tree_dot(guideline: Guideline, link_prefix: str = "../") -> graphviz.Digraph:
    tree = guideline.decision_tree
    # Only a path tree is a drawing: a checklist asks every question in order, and its
    # page lists them (generator/page_templates/decision_tree.md.j2).
    if tree.kind == TreeKind.checklist:
        raise ValueError(f"the decision tree of {guideline.id} is a checklist: only path trees are drawn")
    names = {label.id: label.name for label in guideline.taxonomy.labels}
    routes = {route.id: route.name for route in guideline.edge_cases.routes}
    dot = graphviz.Digraph(name="decision_tree", format="svg")
    dot.attr("graph", rankdir="TB", nodesep="0.25", ranksep="0.45", bgcolor="transparent",
             fontname="Helvetica", tooltip=graphviz.nohtml(graphviz.escape(f"Decision tree of {guideline.title}")))
    dot.attr("node", fontname="Helvetica", fontsize="11", style="filled", color="#5f6b7a", penwidth="1")
    dot.attr("edge", fontname="Helvetica", fontsize="10", color="#5f6b7a", arrowsize="0.7")
    numbers = {q.id: n for n, q in enumerate(tree.questions, start=1)}
    for question in tree.questions:
        dot.node(f"q_{question.id}", _wrap(f"Q{numbers[question.id]}. {question_text(question.question)}"), shape="box",
                 fillcolor=QUESTION_FILL, id=f"tree-q-{question.id}",
                 URL=f"{link_prefix}decision-tree/#q-{question.id}", target="_top",
                 tooltip=graphviz.nohtml(graphviz.escape(question.help or question_text(question.question))))
        for index, answer in enumerate(question.answers):
            answer_text = _wrap(answer.answer, 22)
            if answer.next is not None:
                dot.edge(f"q_{question.id}", f"q_{answer.next}", label=answer_text)
                continue
            leaf = f"o_{question.id}_{index}"
            if answer.label is not None:
                dot.node(leaf, _wrap(names.get(answer.label, answer.label), 24), shape="box",
                         style="filled,rounded,bold", fillcolor=LABEL_FILL, id=f"tree-label-{answer.label}-{index}",
                         URL=f"{link_prefix}labels/{answer.label}/", target="_top",
                         tooltip=graphviz.nohtml(graphviz.escape(f"Label: {names.get(answer.label, answer.label)}")))
            elif answer.escalate is not None:
                dot.node(leaf, _wrap("Escalate: " + routes.get(answer.escalate, answer.escalate), 24),
                         shape="hexagon", fillcolor=ROUTE_FILL, id=f"tree-route-{answer.escalate}-{index}",
                         URL=f"{link_prefix}edge-cases/#route-{answer.escalate}", target="_top",
                         tooltip=graphviz.nohtml(graphviz.escape(f"Escalation route: {routes.get(answer.escalate, answer.escalate)}")))
            else:
                continue
            dot.edge(f"q_{question.id}", leaf, label=answer_text)
    return dot


def tree_svg(guideline: Guideline, link_prefix: str = "../") -> str:
    """The SVG, ready to inline in HTML: no XML prolog, DOCTYPE, comments or blank lines."""
    svg = tree_dot(guideline, link_prefix).pipe(format="svg", encoding="utf-8")
    svg = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", "", svg, flags=re.S)
    # One viewBox unit per CSS pixel keeps 11 pt labels readable at 11 px; a tree wider
    # than the page scrolls sideways inside its frame instead of shrinking to a blur.
    view = re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', svg)
    width, height = (round(float(view.group(1))), round(float(view.group(2)))) if view else (800, 600)
    svg = re.sub(r'<svg width="[^"]*" height="[^"]*"',
                 f'<svg class="lb-tree-svg" role="img" width="{width}" height="{height}"', svg, count=1)
    return "\n".join(line for line in svg.splitlines() if line.strip())

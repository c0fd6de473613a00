"""Decision tree -> Graphviz DOT -> inline SVG whose label and route nodes are links.

Every answer gets its own outcome node, so the drawing is a true tree: dot lays trees out
without crossing edges, top to bottom. Links are relative to a page one level below the
guideline (`<guideline>/decision-tree/`), where the SVG is embedded: `../labels/<id>/`.
Node ids and attribute order come from the spec's order, so the same spec gives the same
SVG bytes.

Two layouts are drawn and the narrower kept, since the page's width is what a drawing
runs out of: the plain tree, and one where each question's outcomes sit on the question's
own row (the example trees are mostly a spine of "No -> next question": 2583 px wide
plain, 936 px with outcomes beside their question for pos-tags' 17 labels; measured with
Graphviz 2.42). dot writes the nodes in the order it met them, which an edge to a later
question changes; the SVG's nodes are put back in question order (Q1, its outcomes, Q2 ...)
so a keyboard or screen reader meets the links in the order of the questions.
"""

from __future__ import annotations

import re
import textwrap
from html import escape, unescape

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


def tree_dot(guideline: Guideline, link_prefix: str = "../", outcomes_beside: bool = False) -> graphviz.Digraph:
    tree = guideline.decision_tree
    # Only a path tree is a drawing: a checklist asks every question in order, and its
    # page lists them (generator/page_templates/decision_tree.md.j2).
    if tree.kind == TreeKind.checklist:
        raise ValueError(f"the decision tree of {guideline.id} is a checklist: only path trees are drawn")
    names = {label.id: label.name for label in guideline.taxonomy.labels}
    routes = {route.id: route.name for route in guideline.edge_cases.routes}
    dot = graphviz.Digraph(name="decision_tree", format="svg")
    dot.attr("graph", rankdir="TB", nodesep="0.25", ranksep="0.45", bgcolor="transparent", outputorder="edgesfirst",
             fontname="Helvetica", tooltip=graphviz.nohtml(graphviz.escape(f"Decision tree of {guideline.title}")))
    dot.attr("node", fontname="Helvetica", fontsize="11", style="filled", color="#5f6b7a", penwidth="1")
    dot.attr("edge", fontname="Helvetica", fontsize="10", color="#5f6b7a", arrowsize="0.7")
    numbers = {q.id: n for n, q in enumerate(tree.questions, start=1)}
    for question in tree.questions:
        dot.node(f"q_{question.id}", _wrap(f"Q{numbers[question.id]}. {question_text(question.question)}"), shape="box",
                 fillcolor=QUESTION_FILL, id=f"tree-q-{question.id}",
                 URL=f"{link_prefix}decision-tree/#q-{question.id}", target="_top",
                 tooltip=graphviz.nohtml(graphviz.escape(question.help or question_text(question.question))))
        beside: list[str] = []
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
                route = routes.get(answer.escalate, answer.escalate)
                dot.node(leaf, _wrap("Escalate: " + route, 24),
                         shape="hexagon", fillcolor=ROUTE_FILL, id=f"tree-route-{answer.escalate}-{index}",
                         URL=f"{link_prefix}edge-cases/#route-{answer.escalate}", target="_top",
                         tooltip=graphviz.nohtml(graphviz.escape(f"Escalation route: {route}")))
            else:
                continue
            beside.append(leaf)
            dot.edge(f"q_{question.id}", leaf, label=answer_text)
        if outcomes_beside and beside:
            with dot.subgraph() as row:
                row.attr(rank="same")
                for name in [f"q_{question.id}", *beside]:
                    row.node(name)
    return dot


def _svg(dot: graphviz.Digraph) -> tuple[str, int, int]:
    svg = dot.pipe(format="svg", encoding="utf-8")
    view = re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', svg)
    width, height = (round(float(view.group(1))), round(float(view.group(2)))) if view else (800, 600)
    return svg, width, height


_NODE = re.compile(r'<g id="([^"]*)" class="node">')


def _question_order(svg: str, guideline: Guideline) -> str:
    """The node groups (written last: outputorder=edgesfirst) in question order."""
    starts = [m.start() for m in _NODE.finditer(svg)]
    if not starts:
        return svg
    end = svg.rindex("</g>\n</svg>")
    blocks = [svg[a:b] for a, b in zip(starts, starts[1:] + [end])]
    rank: dict[str, int] = {}
    for question in guideline.decision_tree.questions:
        rank[f"tree-q-{question.id}"] = len(rank)
        for index, answer in enumerate(question.answers):
            for kind, target in (("label", answer.label), ("route", answer.escalate)):
                if target is not None and answer.next is None:
                    rank[f"tree-{kind}-{target}-{index}"] = len(rank)
    blocks.sort(key=lambda block: rank.get(unescape(_NODE.match(block).group(1)), len(rank)))  # type: ignore[union-attr]
    return svg[:starts[0]] + "".join(blocks) + svg[end:]


def tree_svg(guideline: Guideline, link_prefix: str = "../") -> str:
    """The SVG, ready to inline in HTML: no XML prolog, DOCTYPE, comments or blank lines.

    Its accessible name says whose decision tree it is; it has no role="img", which would
    hide its links from screen readers. Graphviz's own <title>s (the DOT node names, such
    as "q_urgent") are dropped: a screen reader would read them as the nodes' names."""
    svg, width, height = min((_svg(tree_dot(guideline, link_prefix, beside)) for beside in (False, True)),
                             key=lambda drawn: drawn[1])
    svg = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->|<title>[^<]*</title>", "", svg, flags=re.S)
    svg = _question_order(svg, guideline)
    name = escape(f"Decision tree of {guideline.title}", quote=True)
    # width and height are the natural size (one viewBox unit per CSS pixel, 11 px text):
    # the page fits the drawing to its width and lets the reader zoom (labelbook.js).
    svg = re.sub(r'<svg width="[^"]*" height="[^"]*"',
                 f'<svg class="lb-tree-svg" role="group" aria-label="{name}" width="{width}" height="{height}" '
                 f'data-lb-width="{width}"', svg, count=1)
    svg = svg.replace(">", f"><title>{name}</title>", 1)
    return "\n".join(line for line in svg.splitlines() if line.strip())

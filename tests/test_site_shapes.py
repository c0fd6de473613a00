"""The site per task shape: what raters see on the label pages, the definitions, the quick
reference card, the edge cases, the decision tree and the overview of a multi-label, a
token-tagging and a span guideline (the mini fixture rewritten by test_shapes.shape_project,
then built with the real command). Spec text stays text around every mark."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, build_project, make_project
from test_links import broken_links
from test_shapes import shape_project
from generator.diagnostics import Report
from generator.load import load_blobs
from generator.render.pages import build_site
from generator.render.shapes import Piece, span_pieces
from generator.shape_check import ResolvedSpan

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def page(site: Path, address: str) -> str:
    return (site / "mini" / address / "index.html").read_text(encoding="utf-8")


class _SpecLoader(yaml.SafeLoader):
    """YAML as labelbook reads it: only true and false are booleans (a word list's `on`
    stays the word)."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_SpecLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def rewrite(root: Path, name: str, change) -> None:
    """Load a spec file of specs/mini, let change edit the data, write it back."""
    path = root / "specs/mini" / name
    data = yaml.load(path.read_text(), Loader=_SpecLoader)  # noqa: S506 - a SafeLoader
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000))


def built(root: Path) -> Path:
    project = make_project(root / "project", root / "specs")
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not broken_links(project / "site")
    return project / "site"


def label_of(data: dict, label_id: str) -> dict:
    return next(label for label in data["labels"] if label["id"] == label_id)


# --- the three sites -------------------------------------------------------------------


def _tone_label() -> dict:
    """A multi-label label outside the fixture's group, so an item can carry two labels."""
    def examples(kind: str, **extra) -> list[dict]:
        return [{"text": f"A {kind} tone item {n}", **extra, "explanation": "Why, per the criteria"} for n in (1, 2, 3)]
    return {"id": "tone", "name": "Rude tone", "definition": "The author insults the reader or calls them names",
            "include": ["An inclusion criterion"], "exclude": ["An exclusion criterion"],
            "examples": {"positive": examples("positive", labels={"tone": "rude"}),
                         "negative": examples("negative", labels={"first_label": "polite"}),
                         "tricky": examples("tricky", label="tone")}}


@pytest.fixture(scope="module")
def multi_site(tmp_path_factory) -> Path:
    """multi-label: 1 to 3 labels per item, a group with a limit, an exclusive label, a
    checklist, an unknown label; first_label's first example carries two labels, each with why."""
    root = shape_project(tmp_path_factory.mktemp("multi"), "multi")
    rewrite(root, "guideline.yaml", lambda d: d.update(labels_per_item={"min": 1, "max": 3}))

    def taxonomy(d):
        d["groups"][0]["definition"] = "The two main labels, one at most"
        d["labels"].insert(2, _tone_label())
        first = label_of(d, "first_label")["examples"]["positive"][0]
        first["text"] = f"{SCRIPT} rude and first 1"
        first["labels"] = {"first_label": "meets criterion 1", "tone": f"insults the reader {SCRIPT}"}
    rewrite(root, "taxonomy.yaml", taxonomy)
    (root / "specs/mini/decision_tree.yaml").write_text("""\
kind: checklist
questions:
  - id: q-context
    about: not_enough_info
    question: "Can the item be judged with the context shown?"
    answers:
      - {answer: "No", label: not_enough_info}
      - {answer: "Yes"}
  - id: q-pair
    about: main-pair
    question: "Which of the pair applies?"
    help: "At most one of the two."
    answers:
      - {answer: "The first", label: first_label}
      - {answer: "The second", label: second_label}
      - {answer: "Neither"}
  - id: q-tone
    about: tone
    question: "Is the tone rude?"
    answers:
      - {answer: "Yes", label: tone}
      - {answer: "Unsure whether policy allows it", escalate: policy-team}
      - {answer: "No"}
""")
    return built(root)


@pytest.fixture(scope="module")
def tokens_site(tmp_path_factory) -> Path:
    """token-tagging: ADP/ADV with word lists, a by-case top rule, undecidable items escalated."""
    root = shape_project(tmp_path_factory.mktemp("tokens"), "tokens")

    def taxonomy(d):
        del d["unknown_label"]
        d["undecidable"] = {"escalate": "policy-team"}
        label_of(d, "first_label")["examples"]["tricky"][0]["text"] = f"{SCRIPT} before and before 1"
        label_of(d, "first_label")["examples"]["tricky"][0]["occurrence"] = 2
    rewrite(root, "taxonomy.yaml", taxonomy)

    def edge_cases(d):
        d["rules"][0]["action"] = {"kind": "by-case", "cases": [
            {"when": "followed by a noun phrase", "label": "first_label"},
            {"when": f"alone at the end {SCRIPT}", "label": "second_label"}]}
    rewrite(root, "edge_cases.yaml", edge_cases)
    return built(root)


@pytest.fixture(scope="module")
def spans_site(tmp_path_factory) -> Path:
    """span: nesting and overlaps allowed, an example with both, a span over planted HTML,
    undecidable items skipped."""
    root = shape_project(tmp_path_factory.mktemp("spans"), "spans")
    rewrite(root, "guideline.yaml", lambda d: d.update(spans={"nested": True, "overlapping": True}))

    def taxonomy(d):
        del d["unknown_label"]
        d["undecidable"] = {"skip": "Press Skip; the item returns to the pool"}
        tricky = label_of(d, "first_label")["examples"]["tricky"]
        # A person's name partly overlapping a street's; a city nested in a bank's name and
        # overlapped by a person's.
        tricky[0] = {"text": "Ada Lovelace Street 1", "spans": [
            {"text": "Ada Lovelace", "label": "first_label"}, {"text": "Lovelace Street", "label": "second_label"}],
            "explanation": "Why, per the criteria"}
        tricky[1] = {"text": "Bank of Paris Hilton 2", "spans": [
            {"text": "Bank of Paris", "label": "second_label"}, {"text": "Paris", "label": "second_label"},
            {"text": "Paris Hilton", "label": "first_label"}], "explanation": "Why, per the criteria"}
        negative = label_of(d, "first_label")["examples"]["negative"]
        negative[0] = {"text": f"Near {SCRIPT} Street 1", "spans": [{"text": f"{SCRIPT} Street", "label": "second_label"}],
                       "explanation": f"Why {SCRIPT}"}
    rewrite(root, "taxonomy.yaml", taxonomy)
    rewrite(root, "edge_cases.yaml", lambda d: d["rules"][0].update(action={"kind": "escalate", "route": "policy-team"}))
    return built(root)


# --- 1. values -------------------------------------------------------------------------


def test_values_are_shown_where_raters_pick_them(tokens_site: Path, spans_site: Path):
    adp = page(tokens_site, "labels/first_label")
    assert '<tr><th>Value</th><td><code class="lb-value">ADP</code>' in adp
    definitions = page(tokens_site, "definitions")
    assert '<br><code>first_label</code><br>Value: <code class="lb-value">ADP</code>' in definitions
    assert '<br><code>second_label</code><br>Value: <code class="lb-value">ADV</code>' in definitions
    assert '<br><code>first_label</code><br>Value: <code class="lb-value">PER</code>' in page(spans_site, "definitions")
    assert '<strong>Adposition</strong></a> <code class="lb-value">ADP</code>:' in page(tokens_site, "quick-reference")


def test_a_single_label_guideline_shows_no_values_or_marks(tmp_path: Path):
    shutil.copytree(FIXTURES / "specs", tmp_path / "specs")
    site = built(tmp_path)
    label = page(site, "labels/first_label")
    assert "lb-value" not in label and "<mark" not in label and "Labels of this item" not in label
    assert ('<div class="lb-example"><blockquote class="lb-example__text">An item that is first_label</blockquote>'
            '<p class="lb-example__why">Which inclusion criteria it meets</p></div>') in label
    assert "<th>Task</th><td>single-label, one label per item</td>" in page(site, "")
    assert '<h2 id="card-labels">Labels (one per item)</h2>' in page(site, "quick-reference")
    assert '<svg class="lb-tree-svg"' in page(site, "decision-tree")


# --- 2. multi-label --------------------------------------------------------------------


def test_a_multi_label_example_shows_the_whole_set_each_with_why(multi_site: Path):
    html = page(multi_site, "labels/first_label")
    assert (f'<blockquote class="lb-example__text">{ESCAPED} rude and first 1</blockquote>'
            '<div class="lb-example__set"><span class="lb-muted">Labels of this item:</span><ul class="lb-example__labels">'
            '<li><a href="../first_label/">A concrete, behaviour-based name</a>: meets criterion 1</li>'
            f'<li><a href="../tone/">Rude tone</a>: insults the reader {ESCAPED}</li></ul></div>') in html
    # A tricky example naming one label: that label is the set, with no why of its own.
    assert ('<blockquote class="lb-example__text">A hard case 1</blockquote><div class="lb-example__set">'
            '<span class="lb-muted">Labels of this item:</span><ul class="lb-example__labels">'
            '<li><a href="../first_label/">A concrete, behaviour-based name</a></li></ul></div>') in html
    assert SCRIPT not in html


def test_groups_and_exclusive_labels(multi_site: Path):
    definitions = page(multi_site, "definitions")
    group = re.search(r'<div class="lb-group" id="group-main-pair">.*?</div>', definitions, re.S).group(0)
    assert '<h3 class="lb-group__title">The two main labels</h3>' in group
    assert "<p>The two main labels, one at most</p>" in group
    assert ('Members: <a href="../labels/first_label/">A concrete, behaviour-based name</a>, '
            '<a href="../labels/second_label/">A concrete, behaviour-based name</a>. '
            "<strong>At most 1 per item.</strong>") in group
    row = re.search(r'<tr id="not_enough_info">.*?</tr>', definitions, re.S).group(0)
    assert '<span class="lb-chip lb-chip--exclusive">never combined with another label</span>' in row
    assert "lb-chip--exclusive" not in re.search(r'<tr id="first_label">.*?</tr>', definitions, re.S).group(0)

    label = page(multi_site, "labels/not_enough_info")
    assert "<strong>Never combined with another label</strong>" in label
    first = page(multi_site, "labels/first_label")
    assert ('<tr><th>Group</th><td><a href="../../definitions/#group-main-pair">The two main labels</a> '
            '<span class="lb-muted">(at most 1 per item)</span></td></tr>') in first

    card = page(multi_site, "quick-reference")
    assert ('<strong>Not enough information</strong></a> <em class="lb-exclusive">(never combined with another '
            "label)</em>:") in card
    assert ('<li><a href="../definitions/#group-main-pair"><strong>The two main labels</strong></a>: '
            '<a href="../labels/first_label/">A concrete, behaviour-based name</a>, '
            '<a href="../labels/second_label/">A concrete, behaviour-based name</a> (at most 1 per item)</li>') in card


def test_labels_per_item_on_the_overview_and_the_card(multi_site: Path):
    assert "<th>Task</th><td>multi-label, several labels may apply, 1 to 3 labels per item</td>" in page(multi_site, "")
    assert '<h2 id="card-labels">Labels (all that apply; 1 to 3 labels per item)</h2>' in page(multi_site, "quick-reference")
    assert "give every label whose criteria are met. An item carries 1 to 3 labels." in page(multi_site, "definitions")


# --- 3. token tagging ------------------------------------------------------------------


def test_the_target_token_is_marked_with_its_tag(tokens_site: Path):
    html = page(tokens_site, "labels/first_label")
    assert ('<blockquote class="lb-example__text lb-example__text--marked">We met <mark class="lb-token">before</mark>'
            ' the talk 1.</blockquote><p class="lb-example__why"><span class="lb-chip">→ <a href="../first_label/">'
            'Adposition</a> <code class="lb-value">ADP</code></span> Why, per the criteria</p>') in html
    # A negative example: the tag the token gets instead.
    assert ('I saw it <mark class="lb-token">before</mark> 1.</blockquote><p class="lb-example__why">'
            '<span class="lb-chip">→ <a href="../second_label/">Adverb</a> <code class="lb-value">ADV</code></span>') in html
    # The second occurrence is marked, the first is not; planted HTML around it stays text.
    assert f"{ESCAPED} before and <mark class=\"lb-token\">before</mark> 1</blockquote>" in html
    assert SCRIPT not in html
    assert 'the <mark class="lb-token">the</mark> 1' in page(tokens_site, "labels/not_enough_info")
    card = page(tokens_site, "quick-reference")
    assert ('<span class="lb-card__example">e.g. <span class="lb-card__example-text">We met <mark class="lb-token">'
            'before</mark> the talk 1.</span></span>') in card
    assert '<h2 id="card-labels">Labels (one per token)</h2>' in card


def test_word_lists_and_tokenization(tokens_site: Path):
    assert ('<tr><th>Closed-class words</th><td class="lb-words"><p><code>en</code> in, on, before</p></td></tr>'
            in page(tokens_site, "labels/first_label"))
    assert "Closed-class words" not in page(tokens_site, "labels/second_label")
    overview = page(tokens_site, "")
    assert "<th>Task</th><td>token-tagging, one tag per token</td>" in overview
    assert ('<tr><th>Tokens</th><td>Whitespace and punctuation apart <span class="lb-muted">(language: <code>en</code>)'
            "</span></td></tr>") in overview


# --- 4. spans --------------------------------------------------------------------------


def chips(html: str) -> list[str]:
    return re.findall(r'<span class="lb-span__chip">(.*?)</span>', html)


def test_spans_are_marked_in_their_label_colour_with_a_chip(spans_site: Path):
    html = page(spans_site, "labels/first_label")
    example = ('<blockquote class="lb-example__text lb-example__text--marked">'
               '<mark class="lb-span lb-span--c0" title="Person">Ada Lovelace<span class="lb-span__chip">PER</span></mark>'
               ' met <mark class="lb-span lb-span--c0" title="Person">Charles Babbage<span class="lb-span__chip">PER'
               "</span></mark> 1.</blockquote>")
    assert example in html
    tricky = page(spans_site, "labels/second_label")
    paris = re.search(r"<blockquote[^>]*>(<mark[^>]*>Paris Hilton.*?)</blockquote>", tricky).group(1)
    assert chips(paris) == ["PER", "LOC"]
    assert paris.endswith('in <mark class="lb-span lb-span--c1" title="Location">Paris<span class="lb-span__chip">LOC'
                          "</span></mark> 1")


def test_nested_and_overlapping_spans_render_as_nested_marks(spans_site: Path):
    html = page(spans_site, "labels/first_label")
    # Partial overlap: "Lovelace Street" is cut where "Ada Lovelace" ends; one chip per span.
    assert ('<mark class="lb-span lb-span--c0" title="Person">Ada <mark class="lb-span lb-span--c1 lb-span--open" '
            'title="Location">Lovelace</mark><span class="lb-span__chip">PER</span></mark>'
            '<mark class="lb-span lb-span--c1 lb-span--cont" title="Location"> Street<span class="lb-span__chip">LOC'
            "</span></mark> 1</blockquote>") in html
    # Nesting and an overlap at once: Paris inside "Bank of Paris", "Paris Hilton" overlapping both.
    bank = re.search(r"<blockquote[^>]*>(<mark[^>]*>Bank of .*?)</blockquote>", html).group(1)
    assert chips(bank) == ["LOC", "LOC", "PER"]
    assert re.sub(r"<[^>]+>|PER|LOC", "", bank) == "Bank of Paris Hilton 2"


def test_span_text_and_explanations_stay_text(spans_site: Path):
    html = page(spans_site, "labels/first_label")
    assert (f'Near <mark class="lb-span lb-span--c1" title="Location">{ESCAPED} Street<span class="lb-span__chip">LOC'
            f'</span></mark> 1</blockquote><p class="lb-example__why">Why {ESCAPED}</p>') in html
    assert SCRIPT not in html


def test_a_legend_of_span_colours_on_the_label_page_and_the_card(spans_site: Path):
    legend = ('<p class="lb-legend"><span class="lb-muted">Span colours:</span> <mark class="lb-span lb-span--c0">'
              '<a href="{0}first_label/">Person</a><span class="lb-span__chip">PER</span></mark> '
              '<mark class="lb-span lb-span--c1"><a href="{0}second_label/">Location</a><span class="lb-span__chip">LOC'
              '</span></mark> <mark class="lb-span lb-span--c2"><a href="{0}not_enough_info/">Not enough information</a>'
              '<span class="lb-span__chip">UNK</span></mark></p>')
    assert legend.format("../") in page(spans_site, "labels/second_label")
    card = page(spans_site, "quick-reference")
    assert legend.format("../labels/") in card
    assert '<h2 id="card-labels">Labels (one per span)</h2>' in card
    overview = page(spans_site, "")
    assert "<tr><th>Spans</th><td>Spans may lie inside one another and may partly overlap.</td></tr>" in overview


def test_span_pieces_cut_a_partial_overlap_and_keep_nesting():
    text = "abcdefghij"
    pieces, undrawn = span_pieces(text, [ResolvedSpan(0, 6, "x"), ResolvedSpan(4, 10, "y"), ResolvedSpan(1, 3, "z")],
                                  {"x": 0, "y": 1, "z": 2})
    assert undrawn == 0
    assert pieces == (
        Piece("span", label="x", colour=0, parts=(
            Piece("text", "a"), Piece("span", label="z", colour=2, parts=(Piece("text", "bc"),)), Piece("text", "d"),
            Piece("span", label="y", colour=1, parts=(Piece("text", "ef"),), last=False))),
        Piece("span", label="y", colour=1, parts=(Piece("text", "ghij"),), first=False),
    )
    # Spans nested deeper than the limit are counted, not drawn (the stack stays bounded).
    deep = [ResolvedSpan(i, 400 - i, "x") for i in range(100)]
    pieces, undrawn = span_pieces("a" * 400, deep, {"x": 0})
    assert undrawn == 100 - 12


# --- 5. by-case rules ------------------------------------------------------------------


def test_a_by_case_rule_lists_each_case_and_its_label(tokens_site: Path):
    cases = ('Depends on the case:<ul class="lb-cases"><li>when followed by a noun phrase → <a href="{0}first_label/">'
             'Adposition</a> <code class="lb-value">ADP</code></li><li>when alone at the end ' + ESCAPED +
             ' → <a href="{0}second_label/">Adverb</a> <code class="lb-value">ADV</code></li></ul>')
    edge = page(tokens_site, "edge-cases")
    assert f'<td class="lb-action">{cases.format("../labels/")}</td>' in edge
    # The card, in a line: "by case: when ... → ADP; when ... → ADV".
    card = page(tokens_site, "quick-reference")
    assert ('<strong>The rule in a few words</strong>: by case: <span class="lb-case">when followed by a noun phrase → '
            '<a href="../labels/first_label/">Adposition</a> <code class="lb-value">ADP</code></span>; '
            f'<span class="lb-case">when alone at the end {ESCAPED} → <a href="../labels/second_label/">Adverb</a> '
            '<code class="lb-value">ADV</code></span></li>') in card
    assert SCRIPT not in edge + card


# --- 6. checklists ---------------------------------------------------------------------


def test_a_checklist_tree_is_an_ordered_list_of_questions(multi_site: Path):
    html = page(multi_site, "decision-tree")
    assert "lb-tree-svg" not in html and 'id="tree-diagram"' not in html  # no drawing of paths
    assert "ask every question below, in order, for every item" in html
    questions = re.search(r'<ol class="lb-checklist">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r'<li class="lb-question" id="q-([a-z-]+)">', questions) == ["q-context", "q-pair", "q-tone"]
    assert ('<p class="lb-question__title"><strong>Which of the pair applies?</strong> <span class="lb-muted">About '
            'the group <a href="../definitions/#group-main-pair">The two main labels</a>.</span></p>'
            '<p class="lb-muted">At most one of the two.</p>') in questions
    assert 'About <a href="../labels/tone/">Rude tone</a>.' in questions
    assert '<li><strong>The first</strong> → tick <a href="../labels/first_label/">' in questions
    assert "<li><strong>Neither</strong> → no label</li>" in questions
    assert ('<li><strong>Unsure whether policy allows it</strong> → escalate to '
            '<a href="../edge-cases/#route-policy-team">Who answers policy questions</a></li>') in questions
    card = page(multi_site, "quick-reference")
    assert '<h2 id="card-questions">Check every question, in order</h2><ol class="lb-checklist">' in card
    assert ('<li id="card-q-q-pair">Which of the pair applies? <span class="lb-muted">[The two main labels]</span> '
            '<span class="lb-card__answer"><em>The first</em> → tick <a href="../labels/first_label/">') in card
    assert '<span class="lb-card__answer"><em>Neither</em> → nothing</span>' in card


# --- 7. the unknown path ---------------------------------------------------------------


def test_the_unknown_path_follows_the_taxonomy(multi_site: Path, tokens_site: Path, spans_site: Path):
    assert ('When you cannot decide after the edge-case rules, use <a href="../labels/not_enough_info/">'
            "Not enough information</a>.") in page(multi_site, "definitions")
    assert ('When you cannot decide after the edge-case rules, escalate the item to '
            '<a href="../edge-cases/#route-policy-team">Who answers policy questions</a>.') in page(tokens_site, "definitions")
    spans = page(spans_site, "definitions")
    assert ("When you cannot decide after the edge-case rules, skip the item: Press Skip; the item returns to the "
            "pool.</p>") in spans
    assert "use <a" not in spans


def test_no_unknown_path_declared_says_nothing(tmp_path: Path):
    blobs = {p.name: p.read_bytes() for p in (FIXTURES / "specs/mini").iterdir()}
    blobs["taxonomy.yaml"] = blobs["taxonomy.yaml"].replace(b"unknown_label: not_enough_info\n", b"")
    blobs["edge_cases.yaml"] = blobs["edge_cases.yaml"].replace(b"kind: unknown", b"kind: escalate\n      route: policy-team")
    guideline = load_blobs("mini", "specs/mini", blobs, Report())
    assert guideline.taxonomy.unknown_label is None and guideline.taxonomy.undecidable is None
    pages = {p.path: p.markdown for p in build_site([guideline]).pages}
    assert "When you cannot decide" not in pages["mini/definitions.md"]
    assert "<p>Exactly one label per item. Tie-break order:" in pages["mini/definitions.md"]


def test_a_line_break_next_to_a_mark_is_kept():
    """Text is cut around the marks; a line break at a cut belongs to the text and stays."""
    blobs = {p.name: p.read_bytes() for p in (FIXTURES / "specs/mini").iterdir()}
    blobs["guideline.yaml"] = blobs["guideline.yaml"].replace(b"task_type: single-label", b"task_type: span")
    blobs["taxonomy.yaml"] = (FIXTURES / "shapes/spans/taxonomy.yaml").read_bytes().replace(
        b'{text: "Flights to London 1", spans: [{text: London,',
        b'{text: "Flights to\\nLondon\\n\\n\\n1", spans: [{text: London,')
    report = Report()
    guideline = load_blobs("mini", "specs/mini", blobs, report)
    assert not report.errors, report.sorted()
    pages = {p.path: p.markdown for p in build_site([guideline]).pages}
    assert ('Flights to<br><mark class="lb-span lb-span--c1" title="Location">London<span class="lb-span__chip">LOC'
            "</span></mark><br><br>1</blockquote>") in pages["mini/labels/second_label.md"]

"""Page text that follows from the specs and the release state (no site engine needed)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from generator.load import load_guidelines
from generator.render.pages import SiteOptions, build_site, shown_status
from generator.render.tree_diagram import question_text


def pages_of(project: Path, monkeypatch, options: SiteOptions | None = None) -> dict[str, str]:
    monkeypatch.chdir(project)
    result = load_guidelines([Path("specs")])
    assert result.ok, result.report.sorted()
    site = build_site(result.guidelines, None, options)
    return {page.path: page.markdown for page in site.pages}


def test_a_number_the_lead_wrote_is_not_doubled(mini_specs, monkeypatch):
    tree = mini_specs / "specs/mini/decision_tree.yaml"
    tree.write_text(tree.read_text().replace('question: "Can the item', 'question: "1. Can the item')
                    .replace('question: "The question that', 'question: "Q2) The question that'))
    pages = pages_of(mini_specs, monkeypatch)
    tree_page = pages["mini/decision-tree.md"]
    assert "Q1. Can the item be judged with the context shown?" in tree_page
    assert "Q2. The question that separates the labels" in tree_page
    assert "Q1. 1. Can" not in tree_page and "\"1. Can" not in tree_page and "Q2)" not in tree_page
    assert "<li id=\"card-q-enough-context\">Can the item be judged" in pages["mini/quick-reference.md"]


def test_question_text_strips_only_a_leading_number():
    assert question_text("4. Is it hateful?") == "Is it hateful?"
    assert question_text("Q12: Does it name a group?") == "Does it name a group?"
    assert question_text("2024 elections: is it about them?") == "2024 elections: is it about them?"
    assert question_text("3.5 stars or more?") == "3.5 stars or more?"


def test_a_released_version_never_shows_a_draft_badge(mini_specs, monkeypatch):
    # The mini fixture says status: draft at version 0.1.0.
    released = SimpleNamespace(releases=[SimpleNamespace(version="0.1.0")])
    unreleased = SimpleNamespace(releases=[SimpleNamespace(version="0.0.9")])
    monkeypatch.chdir(mini_specs)
    [guideline] = load_guidelines([Path("specs")]).guidelines
    assert shown_status(guideline, released, None) == "released"
    assert shown_status(guideline, unreleased, None) == "draft"
    assert shown_status(guideline, None, "0.1.0") == "released"  # a release's own pages

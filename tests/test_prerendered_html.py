"""The generator's HTML blocks pass through Python-Markdown unparsed
(labelbook_mkdocs/prerendered_html.py): the HTML and the anchors MkDocs collects must be
the same as when Python-Markdown's own HTML-block reader reads them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import markdown
import pytest
from mkdocs.structure.pages import _RawHTMLPreprocessor

from conftest import REPO
from generator.site import generate_site
from labelbook_mkdocs.prerendered_html import PrerenderedHtml, top_level_blocks


def convert(text: str, fast: bool) -> tuple[str, set[str]]:
    """The page's HTML and anchors, read as MkDocs reads a page (its anchor scan included)."""
    extensions: list = ["attr_list", "toc"] + ([PrerenderedHtml()] if fast else [])
    md = markdown.Markdown(extensions=extensions, extension_configs={"toc": {"permalink": True}})
    scan = _RawHTMLPreprocessor()
    scan._register(md)
    return md.convert(text), scan.present_anchor_ids


@pytest.fixture(scope="module")
def example_pages(tmp_path_factory) -> dict[str, str]:
    project = tmp_path_factory.mktemp("pages") / "project"
    shutil.copytree(REPO / "specs", project / "specs")
    cwd = os.getcwd()
    os.chdir(project)
    try:
        built = generate_site(Path("."))
    finally:
        os.chdir(cwd)
    assert built.site is not None
    return {page.path: page.markdown for page in built.site.pages}


def test_every_example_page_converts_to_the_same_html_and_anchors(example_pages):
    assert len(example_pages) > 100
    for path, text in example_pages.items():
        assert convert(text, fast=True) == convert(text, fast=False), path


def test_most_of_the_example_pages_html_passes_through_unparsed(example_pages):
    """The fast path must keep applying to what the templates write: at least two thirds
    of the pages' text is in blocks it takes (83% when this was written)."""
    md = markdown.Markdown()
    total = taken = 0
    for text in example_pages.values():
        for chunk in text.split("\n\n"):
            total += len(chunk)
            taken += len(chunk) if top_level_blocks(chunk, md.is_block_level) else 0
    assert taken / total > 2 / 3


@pytest.mark.parametrize(("text", "taken"), [
    ('<table class="t" id="a"><tr><td>x</td></tr></table>', True),
    ('<p id="one">a</p>\n<ul><li id="two">b</li></ul>\n<div><div>c</div></div>', True),
    ("<div>a</div> and text after it", False),
    ("<div>a</div>\nthen a line of text", False),
    ("<div>never closed", False),
    ("<span>inline first</span>", False),
    ('<div id="x"><div/>self-closed inside</div>', False),
    ("<div><!-- a comment with <b>markup</b> --></div>", False),
    ("<div><!-- a plain comment --></div>", True),
    ("<div><script>if (a < b) { '</div>' }</script></div>", False),
    ("<div><style>p > a { color: red }</style></div>", False),
    ("<div><p>unclosed inner<p>another</div>", True),
    ("<DIV class=\"upper\">case</DIV>", True),
    ("<div>\n# not a heading inside an element\n</div>", True),
])
def test_a_block_is_taken_only_when_it_reads_the_same(text, taken):
    md = markdown.Markdown()
    assert (top_level_blocks(text, md.is_block_level) is not None) is taken
    for around in (f"{text}", f"# Title {{ #t }}\n\n{text}\n\nA paragraph.\n", f"Text\n\n{text}\n\n{text}"):
        assert convert(around, fast=True) == convert(around, fast=False), around


def test_ids_inside_passed_blocks_still_reach_the_anchor_check():
    html, anchors = convert('<table id="defs"><tr><td><a name="old-name">x</a>'
                            '<span id="a&amp;b">y</span></td></tr></table>\n\n## Next { #next }\n', fast=True)
    assert anchors >= {"defs", "old-name", "a&b"}
    assert '<table id="defs">' in html

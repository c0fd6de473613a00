"""The whole guideline on one print page: every section in reading order after a contents
list, each starting a new A4 sheet, every sheet headed with guideline, version, date and
commit, nothing wider than the printable width, and the page left out of search."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from browser import build_and_serve, chromium  # noqa: F401 - fixtures used by name
from history_site import example_site, example_site_url  # noqa: F401 - built from a git history with releases
from conftest import REPO
from generator.load import load_guidelines
from generator.render.pages import build_site
from gitrepo import ScriptedRepo
from test_decision_helper import spec

SECTIONS = ["Overview", "Quick reference card", "Decision tree", "Definitions", "Edge cases and escalation",
            "Acceptance criteria", "QA plan", "Sampling and splits", "Datasheet"]
# A4 is 210 mm wide; labelbook.css prints with 9 mm side margins: 192 mm at 96 px per inch.
PRINTABLE_WIDTH = int(192 / 25.4 * 96)  # 725 px

OUTSIDE = """() => {
  const out = [];
  document.querySelectorAll('.md-content *').forEach(e => {
    const r = e.getBoundingClientRect();
    if (r.width && r.height && (r.right > window.innerWidth + 0.5 || r.left < -0.5)) {
      out.push(e.tagName + '.' + e.className + ': ' + Math.round(r.left) + ' to ' + Math.round(r.right));
    }
  });
  return out;
}"""


def laid_out(page, url: str) -> list[str]:
    """The print page laid out at the printable width in print media; its section headings."""
    page.set_viewport_size({"width": PRINTABLE_WIDTH, "height": 1000})
    page.goto(url)
    page.emulate_media(media="print")
    return page.eval_on_selector_all(
        ".lb-print-section", "ms => ms.map(m => m.nextElementSibling.textContent.replace('¶', '').trim())")


def printed(page, url: str) -> tuple[list[str], list[str]]:
    """(the text of each A4 PDF page, the section headings in page order) of the print page."""
    headings = laid_out(page, url)
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [p.extract_text() for p in pdf.pages], headings


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("gid", ["content-safety", "pos-tags"])
def test_every_section_is_listed_and_nothing_is_wider_than_the_page(example_site_url, chromium, gid):  # noqa: F811
    page = chromium.new_page()
    headings = laid_out(page, f"{example_site_url}{gid}/print/")
    contents = page.eval_on_selector_all(".lb-print-contents a", "as => as.map(a => [a.textContent, a.hash])")
    assert [title for title, _ in contents] == SECTIONS
    for _, anchor in contents:
        assert page.locator(anchor).count() == 1
    assert len(headings) == len(SECTIONS)
    assert page.evaluate(OUTSIDE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PRINTABLE_WIDTH
    tree = page.locator(".lb-tree svg").bounding_box()
    assert tree is not None and tree["width"] <= PRINTABLE_WIDTH
    assert page.locator(".lb-helper").count() == 0  # the print page's tree has no helper
    page.close()


@pytest.mark.parametrize("gid", ["content-safety", "pos-tags", "news-entities"])
def test_every_section_starts_a_new_a4_sheet_under_the_print_header(example_site_url, chromium, gid):  # noqa: F811
    manifest = spec(REPO / "specs" / gid, "guideline.yaml")
    page = chromium.new_page()
    pages, headings = printed(page, f"{example_site_url}{gid}/print/")
    # The contents page, then at least one sheet per section; far fewer than one per line.
    assert len(SECTIONS) + 1 <= len(pages) <= 120
    tops = [squeeze(text.split("\n", 1)[1]) for text in pages]  # below the print header
    for heading in headings:
        assert any(top.startswith(squeeze(heading)[:40]) for top in tops), f"{heading!r} does not start a sheet"
    header = f"{manifest['title']} · version {manifest['version']}"
    assert all(squeeze(text).startswith(header) for text in pages)
    page.close()


def test_the_print_page_is_kept_out_of_search():
    site = build_site(load_guidelines([REPO / "specs/content-safety"]).guidelines)
    flags = {page.path: page.searchable for page in site.pages}
    assert flags["content-safety/print.md"] is False
    assert flags["content-safety/definitions.md"] is True


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Iterator[tuple[str, ScriptedRepo]]:
    repo = ScriptedRepo(tmp_path_factory.mktemp("print") / "repo")
    repo.set_version("0.2.0", "[]")
    repo.commit("Release 0.2.0")
    with build_and_serve(repo.root) as base_url:
        yield base_url, repo


def test_every_sheet_names_the_release_date_and_commit(released, chromium):  # noqa: F811 - the imported fixtures
    base_url, repo = released
    commit = repo.git("rev-parse", "HEAD").strip()
    date = repo.git("log", "-1", "--format=%cd", "--date=format:%Y-%m-%d").strip()
    page = chromium.new_page()
    pages, _ = printed(page, base_url + "mini/print/")
    header = re.compile(rf"Mini guideline · version 0\.2\.0 · {date} · commit ([0-9a-f]{{7,40}}) · released")
    for text in pages:
        match = header.match(squeeze(text))
        assert match and commit.startswith(match.group(1)), squeeze(text)[:200]
    page.close()

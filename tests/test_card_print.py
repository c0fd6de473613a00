"""The printed quick reference card fills its sheet: each card is set at the largest type
size its text allows (chosen when the page is built, render/card_fit.py) and prints on
exactly one A4 and one US Letter page, at a size larger than the fixed 7.4 pt (7 pt for a
taxonomy of more than 12 labels) the card used to print at."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from browser import chromium  # noqa: F401 - the fixture is used by name
from conftest import REPO
from history_site import example_site, example_site_url  # noqa: F401 - fixtures used by name
from generator.load import load_guidelines
from generator.render import card_fit

GUIDELINES = sorted(p.parent.name for p in (REPO / "specs").glob("*/guideline.yaml"))
SHEETS = ["A4", "Letter"]




def chosen_size(example_site, guideline: str) -> float:  # noqa: F811 - the imported fixture
    page = (example_site / guideline / "quick-reference" / "index.html").read_text(encoding="utf-8")
    return float(re.search(r'<div class="lb-card" id="card" style="--lb-card-pt: ([\d.]+)pt">', page).group(1))


@pytest.fixture(scope="module")
def printer(chromium, example_site_url):  # noqa: F811 - the imported fixtures
    """pages(guideline, sheet, size=None): how many pages the card prints on."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.emulate_media(media="print")

    def pages(guideline: str, sheet: str, size: float | None = None) -> int:
        page.goto(example_site_url + f"{guideline}/quick-reference/")
        if size is not None:
            page.evaluate(f"document.querySelector('.lb-card').style.setProperty('--lb-card-pt', '{size}pt')")
        return len(PdfReader(io.BytesIO(page.pdf(format=sheet))).pages)

    yield pages
    context.close()


@pytest.mark.parametrize("guideline", GUIDELINES)
def test_the_card_prints_on_one_page_at_a_larger_size(example_site, printer, guideline):  # noqa: F811
    size = chosen_size(example_site, guideline)
    for sheet in SHEETS:
        assert printer(guideline, sheet) == 1, f"{guideline}: {size} pt prints on more than one {sheet} page"
    labels = len(next(g for g in load_guidelines([REPO / "specs"]).guidelines if g.id == guideline).taxonomy.labels)
    assert size >= (7.0 if labels > 12 else 7.4 + 0.1), f"{guideline}: {size} pt"
    # The largest size, give or take the estimate's margin: 0.8 pt more no longer fits.
    assert any(printer(guideline, sheet, round(size + 0.8, 1)) > 1 for sheet in SHEETS), f"{guideline}: {size} pt"


def test_the_card_prints_at_the_chosen_size(chromium, example_site_url, example_site):  # noqa: F811
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(example_site_url + "content-safety/quick-reference/")
    shown = page.evaluate("getComputedStyle(document.querySelector('.lb-card li')).fontSize")
    context.close()
    expected_px = chosen_size(example_site, "content-safety") * 96 / 72
    assert float(shown.removesuffix("px")) == pytest.approx(expected_px, abs=0.05)


def test_lines_are_set_word_by_word():
    # Ten words of 1 em with spaces of 0.278 em (Helvetica's) in lines 3.5 em wide: two words
    # take 2.278 em, three 3.556 em, so two a line and five lines.
    assert card_fit._lines([1.0] * 10, 3.5) == 5
    assert card_fit._lines([1.0] * 10, 3.6) == 4  # three a line: 3, 3, 3, 1
    assert card_fit._lines([5.0], 3.5) == 1  # a word longer than the line still takes one line


def test_more_text_never_gets_a_larger_size():
    item = "<li><strong>Label</strong>: a definition of the label in a few plain words, with an example.</li>"
    sizes = [card_fit.print_size(f"<section><h2>Labels</h2><ul>{item * n}</ul></section>") for n in (5, 40, 80, 160)]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]
    assert sizes[0] == card_fit.LARGEST and sizes[-1] >= card_fit.SMALLEST

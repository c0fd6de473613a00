"""Figures that tell the truth: each label's agreement bar is judged against the criterion
that applies to that label, its verdict is written beside it (not told by colour alone),
the legend sits outside the bars, every piece of text reads at 11 px or more as the browser
draws it, on a desktop and on a phone, and the same data gives the same bytes."""

from __future__ import annotations

import re

import pytest

from browser import chromium  # noqa: F401 - the fixture is used by name
from conftest import REPO
from history_site import example_site, example_site_url  # noqa: F401 - fixtures used by name
from generator.load import load_guidelines
from generator.metrics import plots
from generator.metrics.view import _alpha_threshold

# One label passes the lowest threshold (0.6) but not its own (0.68).
NAMES, VALUES, OWN = ["harassment", "hate_speech", "safe"], [0.65, 0.70, 0.50], [0.68, 0.6, None]




def bar_texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_each_bar_is_judged_against_its_own_criterion():
    svg = str(plots.bars_with_threshold("s", NAMES, VALUES, [0.6, 0.68], "alpha", "Agreement per label", own=OWN))
    texts = bar_texts(svg)
    assert "0.65  ✗ below 0.68" in texts  # fails its own criterion though above 0.6
    assert "0.70  ✓ ≥ 0.6" in texts
    assert "0.50" in texts  # no criterion: the value, no verdict
    # Colour is not alone: the failing bar is hatched (a pattern), the others are not.
    assert svg.count("<pattern") == 1
    for entry in ("meets its criterion", "below its criterion", "its threshold", "no criterion"):
        assert entry in texts


def test_without_own_thresholds_every_bar_meets_the_strictest():
    svg = str(plots.bars_with_threshold("s", NAMES[:2], VALUES[:2], [0.6, 0.68], "alpha", "t"))
    assert "0.65  ✗ below 0.68" in bar_texts(svg) and "0.70  ✓ ≥ 0.68" in bar_texts(svg)


def test_the_same_data_gives_the_same_bytes():
    first = plots.bars_with_threshold("s", NAMES, VALUES, [0.6], "alpha", "t", own=OWN)
    assert first == plots.bars_with_threshold("s", NAMES, VALUES, [0.6], "alpha", "t", own=OWN)
    cells = [("a × en", 10, 20), ("b × es", 30, 20)]
    assert plots.coverage("c", cells, 0.8, "t") == plots.coverage("c", cells, 0.8, "t")
    rates = ("d", ["critical", "major"], [0.001, 0.02], [(0.0001, 0.0045), (0.012, 0.03)],
             {"critical": 0.005, "major": 0.015}, "t", {"critical": True})
    assert plots.rates(*rates) == plots.rates(*rates)


def test_coverage_and_defects_write_their_verdicts():
    texts = bar_texts(str(plots.coverage("c", [("a × en", 10, 20), ("b × es", 30, 20)], 0.8, "t")))
    assert "10 / 20 ✗ below" in texts and "30 / 20 ✓" in texts
    texts = bar_texts(str(plots.rates("d", ["critical", "major"], [0.001, 0.02], [(0.0001, 0.0045), (0.012, 0.03)],
                                      {"critical": 0.005, "major": 0.015}, "t", {"critical": True})))
    # The criterion's own verdict where given; else the interval's upper end against the limit.
    assert "0.10%  ✓ limit 0.50%" in texts and "2.00%  ✗ limit 1.50%" in texts


def test_the_criterion_that_applies_to_each_label():
    result = load_guidelines([REPO / "specs"])
    g = next(g for g in result.guidelines if g.id == "content-safety")
    # specs/content-safety/acceptance.yaml: batch-alpha-harassment (0.68, harassment),
    # batch-alpha-rare (0.6, hate_speech and reported_offense), batch-alpha-overall (0.7).
    assert _alpha_threshold(g, "harassment") == 0.68
    assert _alpha_threshold(g, "hate_speech") == 0.6
    assert _alpha_threshold(g, "reported_offense") == 0.6
    assert _alpha_threshold(g, "safe") == 0.7


def test_the_example_marks_harassment_below_its_own_criterion(example_site):  # noqa: F811
    # Harassment's alpha is under its 0.68 (test_metrics checks the value against the
    # krippendorff package) but over the 0.6 of the rare classes.
    datasheet = (example_site / "content-safety/datasheet/index.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure class="lb-plot" id="plot-agreement">.*?</figure>', datasheet, re.S).group(0)
    verdicts = [t for t in bar_texts(figure) if "below" in t or "✓" in t]
    assert any(re.fullmatch(r"0\.6[0-7]  ✗ below 0\.68", t) for t in verdicts), verdicts


# The size a text is drawn at: its font size in user units times the scale of its
# transformation to the screen (rotated tick labels included).
RENDERED_TEXT = """() => [...document.querySelectorAll('svg.lb-plot-svg text')].map(t => {
    const m = t.getScreenCTM();
    return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)];
})"""
LEGEND_ABOVE_BARS = """() => [...document.querySelectorAll('svg.lb-plot-svg')].map(svg => {
    const texts = [...svg.querySelectorAll('text')];
    const legend = texts.filter(t =>
        /its criterion|its threshold|criterion's limit|at or above|^below/.test(t.textContent));
    const bars = [...svg.querySelectorAll('path, rect')].filter(p => p.getAttribute('clip-path'));
    if (!legend.length || !bars.length) return null;
    const legendBottom = Math.max(...legend.map(t => t.getBoundingClientRect().bottom));
    const barsTop = Math.min(...bars.map(p => p.getBoundingClientRect().top));
    return legendBottom <= barsTop + 0.5;
})"""


@pytest.mark.parametrize("width", [1280, 390])
def test_figure_text_reads_at_11_px_or_more(chromium, example_site_url, width):  # noqa: F811
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        checked = 0
        for guideline in ["content-safety", "pos-tags", "news-entities", "assistant-preference", "support-intent"]:
            page.goto(example_site_url + f"{guideline}/datasheet/")
            sizes = page.evaluate(RENDERED_TEXT)
            small = [(text, round(px, 2)) for text, px in sizes if px < 11 - 0.01]
            assert not small, f"{guideline} at {width} px: {small[:5]}"
            checked += len(sizes)
            assert False not in page.evaluate(LEGEND_ABOVE_BARS), guideline
            # The page does not scroll sideways: a figure too wide scrolls inside its frame.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert checked > 100
    finally:
        context.close()

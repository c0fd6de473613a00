"""The site for every reader: axe-core finds no serious or critical problem on any kind of
page, on a desktop (1280 px) and on a phone (390 px); tables stack into cards on a phone and
stay tables on a desktop; words never break inside; the definitions page has a jump list
to every label; example text is darker and heavier than its explanation; an emoji in an
example is drawn in colour, not as an empty box.

The site is built from a git history with two releases of content-safety (history_site.py),
so the changelog, what's new, compare and a release page exist too.
Nothing is left out: the decision tree's drawing, the decision helper, the self-test,
the print page and the search dialog are checked with the rest."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from PIL import Image

from browser import chromium, serve_folder  # noqa: F401 - the fixture is used by name
from conftest import REPO
from history_site import EMOJI, history_site

WIDTHS = {"desktop": 1280, "phone": 390}
# Every kind of page: the site's home, the releases list, each page of a guideline, the
# datasheet of every task shape, the history pages, a frozen release and the 404 page.
PAGES = [
    "", "releases/", "content-safety/", "content-safety/quick-reference/", "content-safety/decision-tree/",
    "content-safety/self-test/", "content-safety/print/", "pos-tags/decision-tree/",
    "content-safety/definitions/", "content-safety/labels/harassment/", "content-safety/edge-cases/",
    "content-safety/acceptance/", "content-safety/qa-plan/", "content-safety/sampling/",
    "content-safety/datasheet/", "news-entities/datasheet/", "pos-tags/datasheet/", "street-objects/datasheet/",
    "assistant-preference/datasheet/", "support-intent/datasheet/", "content-safety/changelog/",
    "content-safety/whats-new/", "content-safety/compare/", "content-safety/2.1.0/",
    "content-safety/2.1.0/definitions/", "assistant-preference/definitions/", "404.html",
]


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> tuple[Path, str]:
    return history_site(tmp_path_factory)


@pytest.fixture(scope="module")
def site_url(history):
    with serve_folder(history[0]) as base_url:
        yield base_url


@pytest.fixture(params=list(WIDTHS))
def page(request, chromium):  # noqa: F811 - the imported fixture
    context = chromium.new_context(viewport={"width": WIDTHS[request.param], "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def test_the_site_has_every_kind_of_page(history):
    site, _ = history
    missing = [a for a in PAGES if not (site / (a or "index.html")).exists() and not (site / a / "index.html").exists()]
    assert not missing


def test_no_serious_or_critical_problem_on_any_page(page, site_url):
    axe = Axe()
    found = []
    for address in PAGES:
        page.goto(site_url + address, wait_until="load")
        results = axe.run(page)
        for v in results.response["violations"]:
            # Unique landmarks and named table headers are fixed too, though axe calls them
            # moderate and minor.
            if v["impact"] in ("serious", "critical") or v["id"] in ("landmark-unique", "empty-table-header"):
                targets = [n["target"] for n in v["nodes"]][:3]
                found.append(f"{address or 'home'}: {v['id']} ({v['impact']}) on {len(v['nodes'])} nodes: {targets}")
    # The search dialog, open, on a guideline page.
    page.goto(site_url + "content-safety/definitions/", wait_until="load")
    page.keyboard.press("/")
    page.wait_for_selector("dialog[open], [role=dialog]:not([hidden])")
    for v in axe.run(page).response["violations"]:
        if v["impact"] in ("serious", "critical"):
            found.append(f"search dialog: {v['id']} ({v['impact']}) on {len(v['nodes'])} nodes")
    assert not found, "\n".join(found)


def test_a_sideways_scrolling_frame_can_be_reached_by_keyboard(page, site_url):
    # The datasheet's tables that do not stack scroll inside themselves on a phone.
    page.goto(site_url + "content-safety/datasheet/")
    frames = page.evaluate("""() => [...document.querySelectorAll('.md-typeset table, .md-typeset figure.lb-plot')]
        .filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
        .map(el => [el.getAttribute('tabindex'), el.getAttribute('aria-label') || ''])""")
    if page.viewport_size["width"] == WIDTHS["phone"]:
        assert frames, "no table scrolls on a phone: nothing to check"
    for tabindex, name in frames:
        assert tabindex == "0" and name.endswith("(scrolls sideways)")


DISPLAYS = """(selector) => [...document.querySelectorAll(selector)].map(t => [getComputedStyle(t).display,
    getComputedStyle(t.querySelector('tbody > tr')).display])"""


def test_tables_stack_into_cards_on_a_phone_and_stay_tables_on_a_desktop(page, site_url):
    phone = page.viewport_size["width"] == WIDTHS["phone"]
    for address, selector in [("content-safety/definitions/", "table.lb-definitions"),
                              ("content-safety/labels/harassment/", "table.lb-kv"),
                              ("content-safety/changelog/", "table.lb-stack"),
                              ("content-safety/acceptance/", "table.lb-criteria")]:
        page.goto(site_url + address)
        displays = page.evaluate(DISPLAYS, selector)
        assert displays, f"{address}: no {selector}"
        assert {tuple(d) for d in displays} == ({("block", "block")} if phone else {("table", "table-row")}), address
        # The page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], address
        if phone and "lb-kv" not in selector:
            # Each stacked cell names its column: the name shown above it is its header's text.
            pairs = page.evaluate("""(selector) => [...document.querySelectorAll(selector)].flatMap(t => {
                const heads = [...t.querySelectorAll('thead th')].map(th => th.textContent.trim());
                return [...t.querySelectorAll('tbody > tr')].flatMap(tr => [...tr.children].map((td, i) =>
                    [heads[i], getComputedStyle(td, '::before').content.replace(/^"|"$/g, '')]));
            })""", selector)
            assert pairs and all(head == shown for head, shown in pairs), (address, pairs[:3])
    if not phone:  # a screen reader meets a real table
        page.goto(site_url + "content-safety/definitions/")
        assert page.get_by_role("table").count() >= 1
        assert page.get_by_role("columnheader", name="Include when").count() == 1


def test_the_definitions_table_takes_the_width_on_a_desktop(page, site_url):
    page.goto(site_url + "content-safety/definitions/")
    if page.viewport_size["width"] == WIDTHS["desktop"]:
        content = page.evaluate("document.querySelector('.md-content').getBoundingClientRect().width")
        table = page.evaluate("document.querySelector('table.lb-definitions').getBoundingClientRect().width")
        assert page.locator(".md-sidebar--secondary").is_hidden()  # the jump list stands in for it
        assert table >= 0.9 * content and table > 800


# A word broken inside (its letters on two lines) shows as two boxes of one text range; a
# token longer than its line (a long id in a list item of a narrow column) may wrap and is
# left out.
BROKEN_WORDS = """() => {
    const broken = [];
    const lineWidth = block => block.clientWidth - parseFloat(getComputedStyle(block).paddingLeft)
        - parseFloat(getComputedStyle(block).paddingRight);
    for (const cell of document.querySelectorAll('.md-typeset table.lb-table td, .md-typeset table.lb-table th')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const width = lineWidth(node.parentElement.closest('li, p, td, th'));
            const re = /[^\\s\\-\\u2010\\u2013\\u2014\\/]+/g;
            let m;
            while ((m = re.exec(node.data))) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const rects = [...range.getClientRects()].filter(r => r.width > 0);
                const total = rects.reduce((sum, r) => sum + r.width, 0);
                if (rects.length > 1 && total < width - 1) broken.push(m[0]);
            }
        }
    }
    return broken;
}"""


def test_no_word_breaks_inside(page, site_url):
    for address in ["content-safety/acceptance/", "content-safety/definitions/", "content-safety/qa-plan/",
                    "content-safety/changelog/", "content-safety/labels/harassment/"]:
        page.goto(site_url + address)
        assert page.evaluate(BROKEN_WORDS) == [], address


def test_the_jump_list_leads_to_every_label(page, site_url, history):
    page.goto(site_url + "content-safety/definitions/")
    jump = page.get_by_role("navigation", name="Jump to a label")
    links = jump.get_by_role("link")
    labels = yaml.safe_load((REPO / "specs/content-safety/taxonomy.yaml").read_text(encoding="utf-8"))["labels"]
    assert links.count() == len(labels)
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [f"#{label['id']}" for label in labels]
    last = labels[-1]
    links.nth(len(labels) - 1).click()
    page.wait_for_function(f"location.hash === '#{last['id']}'")
    row = page.locator(f"tr#{last['id']}")
    assert row.is_visible()
    box = row.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]


def luminance(rgb: str) -> float:
    """Relative luminance (WCAG 2) of a CSS rgb()/rgba() colour over white."""
    parts = [float(x) for x in rgb[rgb.index("(") + 1:-1].replace("/", ",").split(",")]
    alpha = parts[3] if len(parts) > 3 else 1.0
    channels = [(c * alpha + 255 * (1 - alpha)) / 255 for c in parts[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_example_text_is_darker_and_heavier_than_its_explanation(page, site_url):
    page.goto(site_url + "content-safety/labels/harassment/")
    example = page.locator(".lb-example__text").first
    why = page.locator(".lb-example__why").first
    style = "(el, p) => getComputedStyle(el)[p]"
    example_colour, why_colour = example.evaluate(style, "color"), why.evaluate(style, "color")
    assert luminance(example_colour) < luminance(why_colour)
    assert int(example.evaluate(style, "fontWeight")) > int(why.evaluate(style, "fontWeight"))
    # Both read on white: contrast ratio (L1 + 0.05) / (L2 + 0.05) of at least 4.5.
    assert 1.05 / (luminance(why_colour) + 0.05) >= 4.5


def saturated_pixels(png: bytes) -> int:
    """Pixels whose channels differ by more than 60: colour, not black, grey or white."""
    data = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    pixels = (data[i:i + 3] for i in range(0, len(data), 3))
    return sum(1 for pixel in pixels if max(pixel) - min(pixel) > 60)


def test_an_emoji_in_an_example_is_drawn_in_colour(page, site_url, history):
    _, label = history
    page.goto(site_url + f"content-safety/labels/{label}/")
    text = page.locator(".lb-example__text", has_text=EMOJI).first
    # The emoji alone, in a span of its own, at a size where its drawing is plain to see.
    box = text.evaluate("""(el, emoji) => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(emoji);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + emoji.length);
            const span = document.createElement('span');
            span.id = 'lb-emoji-probe';
            span.style.fontSize = '48px';
            range.surroundContents(span);
            const r = span.getBoundingClientRect();
            return [r.width, r.height];
        }
        return null;
    }""", EMOJI)
    assert box is not None and box[0] > 20  # a glyph, not nothing
    drawn = page.locator("#lb-emoji-probe").screenshot()
    # The same place with a character no font has (a private-use code point): an empty box.
    page.evaluate("document.getElementById('lb-emoji-probe').textContent = '\\ue000'")
    missing = page.locator("#lb-emoji-probe").screenshot()
    assert saturated_pixels(drawn) > 100 and saturated_pixels(missing) == 0

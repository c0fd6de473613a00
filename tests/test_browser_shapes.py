"""Span examples in a real browser (Debian's Chromium through Playwright): on a 390 px
phone the page does not scroll sideways and every span's label chip is on screen; the
marks keep their colours on paper.

The phone screenshot in docs/ (docs/spans-phone.png, shown in the README) is written when
it is missing, or again with LABELBOOK_SCREENSHOTS=1, so a test run does not rewrite a
tracked file."""

from __future__ import annotations

import os
from pathlib import Path

from browser import chromium, serve_folder  # noqa: F401 - fixture used by name
from conftest import REPO
from test_site_shapes import spans_site  # noqa: F401 - fixture used by name

PHONE = {"width": 390, "height": 844}
SCREENSHOT = REPO / "docs/spans-phone.png"


def test_span_examples_fit_a_phone_and_show_their_chips(chromium, spans_site: Path):  # noqa: F811
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        with serve_folder(spans_site) as base_url:
            page.goto(base_url + "mini/labels/first_label/", wait_until="load")
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

            chips = page.locator(".lb-example .lb-span__chip")
            assert chips.count() >= 10
            for i in range(chips.count()):
                chip = chips.nth(i)
                assert chip.is_visible(), f"chip {i} ({chip.inner_text()!r}) is hidden"
                box = chip.bounding_box()
                assert box and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
                    f"chip {i} ({chip.inner_text()!r}) lies outside the screen: {box}")
            # The chip's text is the label's value: readable without colour, e.g. in print.
            assert chips.first.inner_text() == "PER"
            # Nested and overlapping spans: the tricky examples hold marks inside marks.
            assert page.locator(".lb-examples--tricky mark.lb-span mark.lb-span").count() >= 2
            assert page.evaluate("getComputedStyle(document.querySelector('mark.lb-span')).printColorAdjust") == "exact"

            if not SCREENSHOT.exists() or os.environ.get("LABELBOOK_SCREENSHOTS") == "1":
                page.locator("#tricky").scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, document.querySelector('#tricky').getBoundingClientRect().top - 64)")
                page.wait_for_timeout(500)  # the header's title settles after a scroll
                page.screenshot(path=str(SCREENSHOT))
    finally:
        context.close()

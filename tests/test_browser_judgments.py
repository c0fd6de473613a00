"""Preference items and box drawings in a real browser (Debian's Chromium through
Playwright): on a 1280 px screen the responses stand side by side in equal columns, on a
390 px phone they are stacked and the page does not scroll sideways; a box drawing fills
the column, its boxes scale with the image and each class name stays readable.

The screenshots in docs/ (docs/preference-desktop.png, docs/preference-phone.png,
docs/boxes-phone.png) are written when missing, or again with LABELBOOK_SCREENSHOTS=1, so
a test run does not rewrite a tracked file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser import chromium, serve_folder  # noqa: F401 - fixture used by name
from conftest import REPO
from test_site_judgments import boxes_site, preference_site  # noqa: F401 - fixtures used by name

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = REPO / "docs"


def _screenshot(page, name: str, anchor: str) -> None:
    path = SCREENSHOTS / name
    if path.exists() and os.environ.get("LABELBOOK_SCREENSHOTS") != "1":
        return
    page.evaluate(f"window.scrollBy(0, document.querySelector({anchor!r}).getBoundingClientRect().top - 64)")
    page.wait_for_timeout(500)  # the header's title settles after a scroll
    page.screenshot(path=str(path))


def _open(chromium, viewport: dict, phone: bool):  # noqa: F811
    options = {"viewport": viewport, "device_scale_factor": 2 if phone else 1}
    if phone:
        options.update(is_mobile=True, has_touch=True)
    context = chromium.new_context(**options)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _responses(page):
    """The bounding boxes of the first preference example's responses, A first."""
    responses = page.locator(".lb-example--compare").first.locator(".lb-response")
    assert responses.count() == 2
    assert [responses.nth(i).locator(".lb-response__name").inner_text() for i in (0, 1)] == ["Response A", "Response B"]
    return [responses.nth(i).bounding_box() for i in (0, 1)]


def test_responses_stand_side_by_side_on_a_wide_screen(chromium, preference_site: Path):  # noqa: F811
    context, page = _open(chromium, DESKTOP, phone=False)
    try:
        with serve_folder(preference_site) as base_url:
            page.goto(base_url + "mini/labels/first_label/", wait_until="load")
            a, b = _responses(page)
            assert abs(a["y"] - b["y"]) < 1, (a, b)  # the same top
            assert b["x"] >= a["x"] + a["width"], (a, b)  # B to the right of A
            assert abs(a["width"] - b["width"]) < 1, (a, b)  # equal columns
            assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
            _screenshot(page, "preference-desktop.png", "#tricky")
    finally:
        context.close()


def test_responses_are_stacked_on_a_phone(chromium, preference_site: Path):  # noqa: F811
    context, page = _open(chromium, PHONE, phone=True)
    try:
        with serve_folder(preference_site) as base_url:
            page.goto(base_url + "mini/labels/first_label/", wait_until="load")
            a, b = _responses(page)
            assert b["y"] >= a["y"] + a["height"], (a, b)  # B below A
            assert abs(a["x"] - b["x"]) < 1, (a, b)
            assert a["x"] >= 0 and a["x"] + a["width"] <= PHONE["width"], a
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            verdict = page.locator(".lb-example--compare .lb-example__verdict").first
            assert verdict.is_visible() and "Response A is better" in verdict.inner_text()
            _screenshot(page, "preference-phone.png", "#tricky")
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_box_drawing_scales_with_the_column(chromium, boxes_site: Path, viewport: dict):  # noqa: F811
    phone = viewport is PHONE
    context, page = _open(chromium, viewport, phone=phone)
    try:
        with serve_folder(boxes_site) as base_url:
            page.goto(base_url + "mini/labels/first_label/", wait_until="load")
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            svg = page.locator("svg.lb-boxes").nth(1)
            svg.scroll_into_view_if_needed()
            assert svg.is_visible()
            drawing = svg.bounding_box()
            # The 64 x 48 image fills the column (at most 32rem), keeping its proportions.
            assert drawing["width"] >= (300 if phone else 500), drawing
            assert drawing["x"] >= 0 and drawing["x"] + drawing["width"] <= viewport["width"], drawing
            assert drawing["height"] == pytest.approx(drawing["width"] * 48 / 64, abs=2)
            image = svg.locator("image").bounding_box()
            assert image["width"] == pytest.approx(drawing["width"], abs=2)
            scale = image["width"] / 64
            # The car's box (4, 20, 24 x 16 pixels) lies where it does on the image.
            car = svg.locator("rect.lb-box__frame").first.bounding_box()
            for got, want in ((car["x"] - image["x"], 4), (car["y"] - image["y"], 20), (car["width"], 24),
                              (car["height"], 16)):
                assert got == pytest.approx(want * scale, abs=2.5), (car, image)
            # Each class name is on screen, inside the drawing and large enough to read.
            names = svg.locator("text.lb-box__name")
            assert [names.nth(i).text_content() for i in range(names.count())] == ["car", "person"]
            for i in range(names.count()):
                box = names.nth(i).bounding_box()
                assert box["height"] >= 11, box
                assert box["x"] >= drawing["x"] - 1 and box["x"] + box["width"] <= drawing["x"] + drawing["width"] + 1
                assert box["y"] >= drawing["y"] - 1
            assert svg.get_attribute("aria-label") == "A red car and a blue person 2"
            if phone:
                _screenshot(page, "boxes-phone.png", ".lb-examples--positive .lb-example:nth-child(2)")
    finally:
        context.close()

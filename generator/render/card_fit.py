"""The quick reference card's type size on paper: the largest that still fits one sheet.

CSS cannot shrink text to fit a page, so the size is chosen when the page is built, from
the card's own text: the card is cut into the blocks it prints as (list items, paragraphs,
headings), each block's words are set into lines of a column with the advance widths of
Helvetica (Arial and Liberation Sans share them), and the lines must fill no more than the
two columns of an A4 and of a US Letter sheet (the page margins and the column gap are
labelbook.css's print rules). The largest size in steps of 0.1 pt that fits both wins.

The model leaves out what it cannot know (bold runs, the exact column balance, an item
moved whole to the next column): FILL keeps a margin for it, calibrated on the example
guidelines against Chromium's printed PDF; tests print every example card and check it is
one page at the chosen size.
"""

from __future__ import annotations

import html
import re

# The sheets, width x height in mm, and the card page's margins (labelbook.css, print:
# `@page lb-card { margin: 10mm 6mm 6mm }`) and column gap (5mm).
SHEETS = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM, COLUMN_GAP = 10.0, 6.0, 6.0, 5.0
LINE_HEIGHT = 1.2  # the card's line-height on paper
# Lines holding marked spans (a border, padding and a value chip) are taller than plain
# lines; the span legend is set at line-height 2 (labelbook.css).
MARKED_LINE, LEGEND_LINE = 2.0, 2.0
# Share of the two columns' height the text may take (see the docstring).
FILL = 0.89
SMALLEST, LARGEST = 6.0, 12.0  # pt
PT_PER_MM = 72 / 25.4
# Helvetica's advance widths (Adobe's AFM, 1/1000 em) for ' ' to '~'; other characters 556.
_ASCII_WIDTHS = [
    278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 222, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]
_WIDTH = {chr(32 + i): w / 1000 for i, w in enumerate(_ASCII_WIDTHS)}

_BLOCK = re.compile(r"<(li|h2|p|header)\b([^>]*)>(.*?)(?=<(?:li|h2|p|header|/ul|/ol|/section)\b)", re.S)
_TAG = re.compile(r"<[^>]+>")


def _em(word: str) -> float:
    return sum(_WIDTH.get(c, 0.556) for c in word)


def blocks(card_html: str) -> list[tuple[str, list[float], int]]:
    """The card's printed blocks in order: (kind, the widths of its words in em, marks in
    it); the span legend is kind "legend"."""
    out = []
    for kind, attributes, inner in _BLOCK.findall(card_html):
        words = html.unescape(_TAG.sub(" ", inner)).split()
        if words:
            marks = inner.count('<mark class="lb-span')  # token marks keep the line's height
            out.append(("legend" if "lb-legend" in attributes else kind, [_em(w) for w in words], marks))
    return out


def _lines(words: list[float], width_em: float) -> int:
    """How many lines the words take, set greedily into lines width_em wide."""
    space = _WIDTH[" "]
    lines, used = 1, 0.0
    for w in words:
        if used and used + space + w > width_em:
            lines, used = lines + 1, w
        else:
            used += (space if used else 0.0) + w
    return lines


def _height_pt(parts: list[tuple[str, list[float], int]], size: float, column_pt: float) -> float:
    """The blocks' height in one column, in pt, at size (pt): a line holding a mark is
    taller than a plain one."""
    height = 0.0
    for kind, words, marks in parts:
        scale = 1.1 if kind == "h2" else 1.0  # headings are 1.1em
        indent = 1.1 if kind == "li" else 0.0  # list items are indented 1.1em
        lines = _lines(words, column_pt / (size * scale) - indent)
        tall = lines if kind == "legend" else min(lines, marks)
        taller = LEGEND_LINE if kind == "legend" else MARKED_LINE
        height += ((lines - tall) * LINE_HEIGHT + tall * taller) * size * scale
        height += 0.15 * size if kind == "li" else 0.0  # the space after an item
    return height


def fits(parts: list[tuple[str, list[float], int]], size: float, sheet: str) -> bool:
    width, height = SHEETS[sheet]
    column_pt = ((width - 2 * MARGIN_SIDE - COLUMN_GAP) / 2) * PT_PER_MM
    usable_pt = (height - MARGIN_TOP - MARGIN_BOTTOM) * PT_PER_MM
    head = [p for p in parts if p[0] == "header"]
    body = [p for p in parts if p[0] != "header"]
    head_pt = _height_pt(head, size, 2 * column_pt + COLUMN_GAP * PT_PER_MM) + 1.5 * PT_PER_MM
    sections = sum(1 for p in body if p[0] == "h2")
    needed = _height_pt(body, size, column_pt) + sections * 2 * PT_PER_MM
    return needed <= 2 * (usable_pt - head_pt) * FILL


def print_size(card_html: str) -> float:
    """The largest type size (pt, one decimal) at which the card fits one A4 and one US
    Letter sheet; SMALLEST when even that does not fit."""
    parts = blocks(card_html)
    for tenths in range(int(LARGEST * 10), int(SMALLEST * 10), -1):
        size = tenths / 10
        if all(fits(parts, size, sheet) for sheet in SHEETS):
            return size
    return SMALLEST

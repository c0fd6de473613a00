"""A Markdown extension: the generator's HTML blocks go to the output as they are, unparsed.

labelbook's pages are mostly HTML the generator has already rendered and escaped (tables,
lists, diagrams, figures), between a few Markdown headings. Python-Markdown reads every
raw HTML block with its HTML parser, written in Python, to find where the block ends and
stash it; MkDocs reads the whole page with the same parser once more, to collect the ids
that links may point to. Those two readings were the largest cost of a site build (about
a third of the engine's time).

This extension runs before both. It takes each run of lines between blank lines that is
nothing but complete block-level elements, one after another, stores each element in
Python-Markdown's stash exactly as its HTML-block reader would, and tells MkDocs the ids it
holds. The element's end is found with a scan of that one tag name, which reads the same
as the parser for what the generator writes. Anything the scan could read differently
(script and style content, CDATA, comments holding markup, self-closed outer tags, text
after an element) is left to Python-Markdown, so the output is the same HTML either way:
tests/test_prerendered_html.py converts every page of the example site both ways and
compares.
"""

from __future__ import annotations

import html
import re
from typing import Any, Callable

import markdown
from markdown.preprocessors import Preprocessor

# MkDocs' own reading of a page for its anchors: a preprocessor of this name, right
# before Python-Markdown's HTML blocks (mkdocs/structure/pages.py).
MKDOCS_ANCHOR_SCAN = "mkdocs_raw_html"

SEPARATOR = re.compile(r"(\n(?:[ ]*\n)+)")
START = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
# What a scan of tag names would read differently from an HTML parser: raw-text elements,
# CDATA sections, comments holding markup or left open.
UNSAFE = re.compile(r"<!\[CDATA\[|<(?:script|style|textarea|xmp|iframe|noembed|noframes|plaintext)\b"
                    r"|<!--(?:(?!-->).)*?[<>](?:(?!-->).)*?-->|<!--(?!.*?-->)", re.I | re.S)
# The anchors MkDocs collects: every element's id, and the name of an <a>.
ID = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?\s(id|name)=\"([^\"]*)\"", re.S)


def top_level_blocks(chunk: str, is_block_level: Callable[[str], bool]) -> list[str] | None:
    """The chunk as complete block-level elements, each starting a line or right after the
    one before; None when it is anything else (then Python-Markdown reads it)."""
    if UNSAFE.search(chunk):
        return None
    found = []
    pos = 0
    while pos < len(chunk):
        start = START.match(chunk, pos)
        if not start or not is_block_level(start.group(1).lower()):
            return None
        end = _element_end(chunk, pos, start.group(1))
        if end is None:
            return None
        found.append(chunk[pos:end])
        pos = end + (1 if chunk.startswith("\n", end) else 0)
        if pos == len(chunk) and end != len(chunk):
            return None  # a line break closing the chunk: not a blank-line separator
    return found


def _element_end(chunk: str, pos: int, tag: str) -> int | None:
    """Where the element opened at pos ends: after the close tag that brings the count of
    this tag name back to zero (the parser closes inner elements left open on the way)."""
    depth = 0
    for mark in re.compile(r"<(/?)%s(?=[\s>/])" % re.escape(tag), re.I).finditer(chunk, pos):
        close = chunk.find(">", mark.end())
        if close < 0:
            return None
        closing = mark.group(1) == "/"
        if not closing and chunk[close - 1] == "/":
            return None  # a self-closed tag of the same name: the parser reads it otherwise
        depth += -1 if closing else 1
        if depth == 0:
            return close + 1
    return None


class _StashBlocks(Preprocessor):
    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.anchors: set[str] = set()

    def run(self, lines: list[str]) -> list[str]:
        self.anchors = set()
        parts = SEPARATOR.split("\n".join(lines))
        out = []
        for i, part in enumerate(parts):
            found = None if i % 2 else top_level_blocks(part, self.md.is_block_level)
            if not found:
                out.append(part)
                continue
            for n, block in enumerate(found):
                self.anchors.update(html.unescape(value) for tag, attribute, value in ID.findall(block)
                                    if attribute == "id" or tag.lower() == "a")
                if n == len(found) - 1 and i + 1 < len(parts):
                    block += "\n"  # the HTML-block reader keeps the line break before a blank line
                out.append("\n" + self.md.htmlStash.store(block) + "\n\n")
        return "".join(out).split("\n")


class _AddAnchors(Preprocessor):
    """After MkDocs' anchor scan (which no longer sees the stashed blocks): their ids."""

    def __init__(self, md: markdown.Markdown, stash: _StashBlocks) -> None:
        super().__init__(md)
        self.stash = stash

    def run(self, lines: list[str]) -> list[str]:
        scan: Any = self.md.preprocessors[MKDOCS_ANCHOR_SCAN] if MKDOCS_ANCHOR_SCAN in self.md.preprocessors else None
        if scan is not None and isinstance(getattr(scan, "present_anchor_ids", None), set):
            scan.present_anchor_ids |= self.stash.anchors
        return lines


class PrerenderedHtml(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        stash = _StashBlocks(md)
        # Before MkDocs' anchor scan (21) and Python-Markdown's HTML blocks (20).
        md.preprocessors.register(stash, "labelbook_prerendered_html", 22)
        md.preprocessors.register(_AddAnchors(md, stash), "labelbook_prerendered_anchors", 20.9)

"""The whole guideline on one page for print: the guideline's pages in reading order, each
starting on a new sheet, after a contents list.

Each section is the Markdown its own page was rendered to, less the version line under
its heading (the print header of every sheet already says it). The contents link to a
marker before each section, `#section-<title>`: "Sampling and splits" -> section-sampling-and-splits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STAMP = re.compile(r'^<p class="lb-stamp">.*</p>\n', re.M)
# A relative address in a page at the guideline's root (the overview: `labels/x/`), which
# the print page, one level down, reaches as `../labels/x/`.
_ROOT_RELATIVE = re.compile(r'(href|src)="(?![a-z][a-z0-9+.-]*:|/|#)(\./)?')


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str
    markdown: str


def print_sections(pages: list[tuple[str, str, bool]]) -> list[Section]:
    """(title, markdown, whether the page sits at the guideline's root) of each page -> the
    sections of the print page, which sits one level below the guideline's root."""
    sections = []
    for title, markdown, at_root in pages:
        anchor = "section-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        markdown = _STAMP.sub("", markdown)
        if at_root:
            markdown = _ROOT_RELATIVE.sub(r'\1="../', markdown)
        sections.append(Section(title, anchor, markdown))
    return sections

"""The template environment, and the one rule for spec text: it is plain text.

Whatever a lead writes in a spec (a definition, an example, a rule) is shown exactly as
written: it is never read as HTML or Markdown. Every template expression is HTML-escaped
by default (`finalize`), and newlines become <br> so a blank line in a spec cannot end the
raw HTML block it sits in and hand the rest to Markdown. Where spec text must sit in a
Markdown construct (a heading, a link text) the `md` filter also turns every character
Markdown would interpret into a numeric character reference.

    "<script>alert(1)</script> *really*"  ->  &lt;script&gt;alert(1)&lt;/script&gt; &#42;really&#42;
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

# Characters with a meaning in Markdown or its common extensions (attr_list, tables,
# footnotes, abbreviations, emoji shortcodes).
_MARKDOWN_SIGNIFICANT = set("\\`*_{}[]()#+-.!|<>~^=:$&\"'")


def escape_text(value: Any) -> Markup:
    """Plain text -> HTML that shows it verbatim, on one logical line per paragraph."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    text = html.escape(str(value), quote=True)
    if "\n" not in text and "\r" not in text:  # the common case: one line
        return Markup(text)
    text = re.sub(r"\r\n?", "\n", text).strip("\n")
    text = re.sub(r"\n{2,}", "<br><br>", text)
    return Markup(text.replace("\n", "<br>"))


def escape_markdown(value: Any) -> Markup:
    """Plain text -> Markdown source that renders as exactly that text, on one line."""
    text = " ".join(str(value if value is not None else "").split())
    return Markup("".join(f"&#{ord(c)};" if c in _MARKDOWN_SIGNIFICANT else c for c in text))


# "@name" would notify a GitHub user and "#12" link an issue: spec text must do neither.
_INLINE_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "@": "&#64;", "#": "&#35;"}
_INLINE_BACKSLASHED = set("\\`*_[]|~$")


def escape_markdown_inline(value: Any) -> Markup:
    """Lighter escaping for text in the middle of a line of GitHub Markdown (a pull-request
    comment stays readable as source): emphasis, code, links, tables, math and HTML are
    neutralised; characters that only matter at the start of a line are left alone."""
    text = " ".join(str(value if value is not None else "").split())
    return Markup("".join(_INLINE_ENTITIES.get(c) or ("\\" + c if c in _INLINE_BACKSLASHED else c) for c in text))


_LINE_START = re.compile(r"^(?:[#>+=*-]|\d+[.)])")


def escape_markdown_line(value: Any) -> Markup:
    """Like escape_markdown_inline, for text that starts a line or a list item: a leading
    '#', '>', '-', '+', '=', '*' or '1.' would make it a heading, quote or list."""
    text = escape_markdown_inline(value)
    if _LINE_START.match(text):
        return Markup(f"&#{ord(text[0])};") + text[1:]
    return text


def _finalize(value: Any) -> Any:
    return escape_text(value) if not isinstance(value, Markup) else value


def make_environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=False,  # finalize escapes every expression, Markup included-safe
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["text"] = escape_text
    return env

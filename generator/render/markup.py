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

import functools

import html
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.render import card_fit

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


def escape_fragment(value: Any) -> Markup:
    """escape_text for one piece of a longer text (an example cut around its marked token
    or spans): a line break at either end belongs to the text around it and is kept."""
    text = re.sub(r"\r\n?", "\n", html.escape(str(value if value is not None else ""), quote=True))
    return Markup(re.sub(r"\n{3,}", "\n\n", text).replace("\n", "<br>"))


def escape_attribute(value: Any) -> Markup:
    """Plain text -> one line of escaped text, for an attribute (an image's alt text, an
    accessible name) or text inside an SVG drawing, where a <br> would end the drawing."""
    return Markup(html.escape(" ".join(str(value if value is not None else "").split()), quote=True))


def escape_markdown(value: Any) -> Markup:
    """Plain text -> Markdown source that renders as exactly that text, on one line."""
    text = " ".join(str(value if value is not None else "").split())
    return Markup("".join(f"&#{ord(c)};" if c in _MARKDOWN_SIGNIFICANT else c for c in text))


# "@" and "#" as entities keep a Markdown file's source free of mentions and issue numbers
# (GitHub links references only in conversations, not in files); a pull-request comment
# needs escape_github_inline, as entities do not stop GitHub there.
_INLINE_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "@": "&#64;", "#": "&#35;"}
_INLINE_BACKSLASHED = set("\\`*_[]|~$")


def escape_markdown_inline(value: Any) -> Markup:
    """Lighter escaping for text in the middle of a line of GitHub Markdown (a pull-request
    comment stays readable as source): emphasis, code, links, tables, math and HTML are
    neutralised; characters that only matter at the start of a line are left alone."""
    text = " ".join(str(value if value is not None else "").split())
    return Markup("".join(_INLINE_ENTITIES.get(c) or ("\\" + c if c in _INLINE_BACKSLASHED else c) for c in text))


# GitHub links references after rendering a comment's Markdown, in the text of the HTML:
# `#12`, `GH-7` and `owner/repo#3` link an issue (and add a cross-reference to its timeline),
# `@name` notifies, `https://...`, `www.` and e-mail addresses become links. A backslash or
# an entity is decoded before that and stops none of them (github/cmark-gfm#181). An empty
# HTML comment splits the text where a reference would start, so there is no reference to
# find; GitHub drops comments from the page, so the text reads, and copies, exactly as
# written (the same device openjdk/skara uses against mentions in its pull requests).
_GITHUB_REFERENCE = re.compile(r"@(?=[a-z0-9])|#(?=[0-9])|\bGH(?=-[0-9])|\bwww(?=\.)|\b(?:https?|ftp)(?=://)",
                               re.IGNORECASE | re.ASCII)
_GITHUB_SPLIT = "<!-- -->"
_GITHUB_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def escape_github_inline(value: Any) -> Markup:
    """escape_markdown_inline for a GitHub comment: also no issue links, mentions or autolinks.

        "see GH-7 and #12, ask @mike"  ->  see GH<!-- -->-7 and #<!-- -->12, ask @<!-- -->mike
    """
    text = " ".join(str(value if value is not None else "").split())
    out, start = [], 0
    for match in [*_GITHUB_REFERENCE.finditer(text), None]:
        end = match.end() if match else len(text)
        out.append("".join(_GITHUB_ENTITIES.get(c) or ("\\" + c if c in _INLINE_BACKSLASHED else c)
                           for c in text[start:end]))
        start = end
    return Markup(_GITHUB_SPLIT.join(out))


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


# Where compiled templates are kept between processes (keep_compiled_templates).
_compiled: dict[str, jinja2.FileSystemBytecodeCache] = {}


def keep_compiled_templates(folder: Path) -> None:
    """Keep the page templates' compiled code in folder, shared by every process of a
    build and by later builds: each engine worker would otherwise compile them all again
    (a second or more per worker). Jinja names each entry by template and source checksum
    and writes it atomically."""
    if _compiled.get("folder") is not None and _compiled["folder"].directory == str(folder):
        return
    folder.mkdir(parents=True, exist_ok=True)
    _compiled["folder"] = jinja2.FileSystemBytecodeCache(str(folder))
    shared_environment.cache_clear()  # environments made from now on use it


def compiled_templates() -> jinja2.FileSystemBytecodeCache | None:
    """The folder cache of compiled templates, once keep_compiled_templates has set it
    (the engine plugin keeps its theme's templates there too)."""
    return _compiled.get("folder")


@functools.lru_cache(maxsize=8)
def shared_environment(folders: tuple[str, ...], names: tuple[str, ...] = ()) -> jinja2.Environment:
    """One environment per set of template folders for the life of the process: compiling
    the templates costs more than rendering one release's pages, and a process may render
    hundreds. Jinja reloads a template whose file changed; names (the templates a project
    overrides) is part of the key, so an override added under `serve` is picked up."""
    env = make_environment([Path(f) for f in folders])
    env.bytecode_cache = _compiled.get("folder")
    return env


def make_environment(folders: list[Path]) -> jinja2.Environment:
    """A template environment over folders, the first holding a name wins (a project's own
    site_templates/pages/ before the packaged templates)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=False,  # finalize escapes every expression, Markup included-safe
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["text"] = escape_text
    env.filters["fragment"] = escape_fragment
    env.filters["attr"] = escape_attribute
    env.filters["card_print_size"] = card_fit.print_size
    return env

"""Help lines for the YAML slips leads make, read from the lines around a syntax error.

The parser says where it stopped ("mapping values are not allowed here"); the lines
above it say why: an unquoted ': ' in a value, a tab, a key or list item indented to a
column where nothing else is. Each hint names the fix with the lead's own text:

    summary: Note: this is for training     ->  quote the whole value:
                                                summary: "Note: this is for training"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .diagnostics import YAML_BREAK

Pos = tuple[int, int]


def yaml_quote(text: str) -> str:
    """text as a quoted YAML scalar a lead can paste: double quotes unless the text holds
    one (then single quotes, unless it holds both)."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Hints for the YAML slips leads make. The parser says what it could not read
# ("mapping values are not allowed", "did not find expected key"); the line and the lines
# above it say why: an unquoted ': ' in a value, a tab, a key or list item indented to a
# column no neighbour uses.
_MAPPING_VALUES = "mapping values are not allowed"
# libyaml says "did not find expected ..."; PyYAML's pure-Python parser "expected <block end>".
_INDENT_PROBLEMS = ("did not find expected key", "did not find expected '-' indicator", "expected <block end>")
_KEY = re.compile(r"""("[^"\n]*"|'[^'\n]*'|[^\s#'"\[\]{},&*!|>%@`][^#\n]*?)[ ]*:(?:[ ]+|$)""")
_COMMENT = re.compile(r"[ \t]+#.*$")
_SHOW = 40  # characters of a neighbouring line's value quoted in a hint


@dataclass
class _Line:
    number: int
    first: int  # 1-based column of the line's first token ('-' or the key)
    dashes: list[int]  # 1-based columns of the '- ' list markers that start the line
    key: str | None
    key_col: int
    colon_col: int
    value: str  # what follows 'key: ' (comment cut off when plain), '' when nothing
    value_col: int


def _line_shape(number: int, line: str) -> _Line | None:
    """The shape of a block-style line, or None for a blank or comment line."""
    stripped = line.lstrip(" ")
    if not stripped or stripped.startswith("#"):
        return None
    pos = len(line) - len(stripped)
    first, dashes = pos + 1, []
    while line[pos:pos + 1] == "-" and line[pos + 1:pos + 2] in ("", " "):
        dashes.append(pos + 1)
        pos += 1
        while line[pos:pos + 1] == " ":
            pos += 1
    match = _KEY.match(line, pos)
    if match is None:
        return _Line(number, first, dashes, None, pos + 1, 0, line[pos:].rstrip(), pos + 1)
    value_col = match.end() + 1
    value = line[match.end():].rstrip()
    if not value.startswith(("'", '"')):
        value = _COMMENT.sub("", value)
    colon_col = line.index(":", match.end(1)) + 1
    return _Line(number, first, dashes, match.group(1), pos + 1, colon_col, value, value_col)


def _unquoted(value: str) -> str:
    """The text a lead meant: a value already wrapped in matching quotes loses them."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _short(text: str) -> str:
    return text if len(text) <= _SHOW else text[:_SHOW] + "\u2026"


def _chain(lines: list[str], number: int) -> list[_Line]:
    """The lines a line can belong beside: the line above it, then each line further up
    that starts left of every line collected so far (its parents), up to column 1."""
    chain: list[_Line] = []
    for n in range(number - 1, 0, -1):
        shape = _line_shape(n, lines[n - 1])
        if shape is None or (shape.key is None and not shape.dashes):
            continue  # a blank line, a comment, or more of a text value
        last = chain[-1] if chain else None
        # A list may sit at its key's column (`positive:` then `- text: ...` below it).
        holds_list = (last is not None and last.dashes and not shape.dashes and shape.key is not None
                      and not shape.value and shape.first == last.first)
        if last is None or shape.first < last.first or holds_list:
            chain.append(shape)
            if shape.first == 1 and not shape.dashes:  # a list at column 1 may belong to a key there
                break
    return chain


def _nearest(col: int, candidates: list[tuple[int, str, int]]) -> list[tuple[int, str, int]]:
    """The candidates (column, text, line) whose column is nearest col: one per column,
    the lowest line first; two when two columns are equally near."""
    by_col: dict[int, tuple[int, str, int]] = {}
    for cand in candidates:
        if cand[0] != col:
            by_col.setdefault(cand[0], cand)
    if not by_col:
        return []
    best = min(abs(c - col) for c in by_col)
    return sorted((c for c in by_col.values() if abs(c[0] - col) == best), key=lambda c: -c[0])


def char_at(text: str, pos: Pos) -> str:
    lines = YAML_BREAK.split(text)
    line = lines[pos[0] - 1] if 1 <= pos[0] <= len(lines) else ""
    return line[pos[1] - 1:pos[1]]


def syntax_hint(text: str, pos: Pos, problem: str) -> str | None:
    """A hint for the usual cause of a YAML syntax error at pos, or None."""
    lines = YAML_BREAK.split(text)
    number, col = pos
    if not 1 <= number <= len(lines):
        return None
    line = lines[number - 1]
    indent = line[:len(line) - len(line.lstrip(" \t"))]
    if "\t" in indent:
        return f"indent with spaces, not tabs: line {number} is indented with a tab"
    if line[col - 1:col] == "\t" or "tab" in problem:
        return f"indent with spaces, not tabs: replace the tab on line {number} with spaces"
    shape = _line_shape(number, line)
    if shape is None:
        return None
    indentation = problem.startswith(_INDENT_PROBLEMS)
    if not (indentation or problem.startswith(_MAPPING_VALUES)):
        return None
    if shape.key is not None and shape.value and col > shape.value_col:
        # The parser stopped inside a value: a ': ' in it, or text after a quoted part.
        return f"quote the whole value: {_unquoted(shape.key)}: {yaml_quote(_unquoted(shape.value))}"
    chain = _chain(lines, number)
    above = chain[0] if chain else None
    if problem.startswith(_MAPPING_VALUES):
        if shape.key is None or col != shape.colon_col or above is None or above.key is None or not above.value:
            return None
        # A key indented under a key that already holds a value reads as more of that value.
        return (f"'{shape.key}:' is indented under '{above.key}: {_short(above.value)}' on line {above.number}, "
                f"which already has a value: align '{shape.key}:' with '{above.key}:' (column {above.key_col}), "
                f"or quote the value of '{above.key}' if line {number} continues it")
    if col != shape.first:
        return None
    if shape.dashes:
        items = [(c, "- " + (s.key + ":" if s.key else _short(s.value)), s.number) for s in chain for c in s.dashes]
        near = _nearest(col, items)
        if near:
            return f"line {number} starts at column {col}: align its '- ' with " + " or ".join(
                f"the list item '{t}' on line {n} (column {c})" for c, t, n in near)
        if above is not None and above.key is not None and above.value:
            return (f"'{above.key}:' on line {above.number} already has a value, so line {number} cannot start a "
                    f"list there: write a list under a key with nothing after its colon, its '- ' items below it")
        return None
    if shape.key is None:
        return None
    keys = [(s.key_col, s.key, s.number) for s in chain if s.key is not None]
    near = _nearest(col, keys)
    if not near:
        return None
    return (f"'{shape.key}:' starts at column {col}, where no key above it is: align it with " + " or with ".join(
        f"'{k}:' on line {n} (column {c})" for c, k, n in near) + (", whichever it belongs beside" if near[1:] else ""))

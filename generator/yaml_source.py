"""Safe, bounded YAML loading that remembers where every value came from.

Specs are untrusted text. Only plain YAML is accepted: one document; mappings, sequences
and scalars; no tags that build objects; no merge keys; no duplicate keys; aliases only
within a small expansion budget (a "billion laughs" file is refused in milliseconds,
because the composed node graph is tiny and the budget is checked while expanding it);
a size bound per file; UTF-8 only.

Booleans follow YAML 1.2: only `true`/`false` are booleans, so a decision-tree answer
`No` stays the string "No" instead of turning into False (the "Norway problem").

The result keeps a position index: for the value at path ("labels", 0, "definition")
`positions` holds its (line, col) and `key_positions` the (line, col) of its key, both
1-based. Validation errors carry the same paths, so every message can point at a line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import YAML_BREAK, Report, quoted
from .gc_paused import cyclic_gc_paused
from .spec_file import read_regular_file, too_large
from .yaml_hints import char_at, syntax_hint, yaml_quote

# Nodes an alias may add beyond the document's own nodes: plenty for reusing a list
# of criteria, far too few for an exponential alias bomb.
ALIAS_EXPANSION_BUDGET = 10_000
MAX_DEPTH = 64
PLACEHOLDER_MARK = "TODO"

Pos = tuple[int, int]
KeyPath = tuple[Any, ...]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PlainLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader whose implicit booleans are YAML 1.2's true/false only."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PlainLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

_PLAIN_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NULLS = ("", "~", "null", "Null", "NULL")
_TAG_KINDS = {
    "tag:yaml.org,2002:int": "a whole number", "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date (YYYY-MM-DD)", _BOOL_TAG: "true or false",
    _NULL_TAG: "nothing (empty, ~ or null)",
}


@dataclass
class SourceFile:
    path: str  # display path, e.g. specs/content-safety/taxonomy.yaml
    text: str
    data: Any
    positions: dict[KeyPath, Pos] = field(default_factory=dict)
    key_positions: dict[KeyPath, Pos] = field(default_factory=dict)
    placeholders: list[KeyPath] = field(default_factory=list)  # values holding "TODO"
    # Keys of a { } mapping that are really the rest of the value before them: in
    # `{role: ML lead, parsing}` the comma ends the value, so `parsing` became a key with
    # no value. Each maps to the entry as it should be written: role: "ML lead, parsing".
    comma_keys: dict[KeyPath, str] = field(default_factory=dict)
    # Plain text values running over lines where a later line starts with '- ': a list
    # item indented under a key that already had a value (`purpose: training` then
    # `  - evaluation` reads as the text "training - evaluation"). Path -> that line.
    dash_lines: dict[KeyPath, int] = field(default_factory=dict)

    def pos(self, path: KeyPath) -> Pos:
        """Position of the value at path, or of its nearest ancestor that exists."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def key_pos(self, path: KeyPath) -> Pos:
        """Position of the key that holds path (falls back to the value's position)."""
        path = tuple(path)
        if path in self.key_positions:
            return self.key_positions[path]
        return self.pos(path)


class _Refused(Exception):
    def __init__(self, pos: Pos, code: str, message: str, hint: str = ""):
        super().__init__(message)
        self.pos, self.code, self.message, self.hint = pos, code, message, hint


def _mark(node: yaml.Node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns a composed node graph into plain Python values, checking it on the way."""

    def __init__(self, source: SourceFile, positions: bool = True):
        self.source = source
        self.positions = positions
        self.seen: set[int] = set()
        self.built = 0
        self.constructor = yaml.constructor.SafeConstructor()
        self.duplicates: list[tuple[Pos, str]] = []
        self.lines: list[str] | None = None  # the source's lines, split when first needed

    def build(self, node: yaml.Node, path: KeyPath, stack: tuple[int, ...]) -> Any:
        if id(node) in stack:
            raise _Refused(_mark(node), "yaml-alias", "an alias refers to a node that contains it (a recursive alias)",
                           "write the value out instead of using an anchor and alias")
        if len(stack) >= MAX_DEPTH:
            raise _Refused(_mark(node), "yaml-depth", f"nesting deeper than {MAX_DEPTH} levels",
                           "flatten the structure; specs never need this depth")
        self.built += 1
        self.seen.add(id(node))
        if self.built - len(self.seen) > ALIAS_EXPANSION_BUDGET:
            raise _Refused(_mark(node), "yaml-alias",
                           f"aliases expand to more than {ALIAS_EXPANSION_BUDGET} extra values (an alias bomb?)",
                           "write the values out instead of using anchors and aliases")
        if self.positions:
            self.source.positions.setdefault(path, _mark(node))
        stack = stack + (id(node),)
        if isinstance(node, yaml.ScalarNode):
            value = self.scalar(node)
            if self.positions and not node.style and node.end_mark.line > node.start_mark.line:
                self._note_dash_line(node, path)
            if isinstance(value, str) and PLACEHOLDER_MARK in value:
                self.source.placeholders.append(path)
            return value
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self._tag_error(node)
            return [self.build(item, path + (i,), stack) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                raise self._tag_error(node)
            result: dict[Any, Any] = {}
            run: list[Any] | None = None  # in a { } mapping: [key, text, bare keys after it]
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE_TAG:
                    raise _Refused(_mark(key_node), "yaml-merge", "merge keys ('<<') are not supported",
                                   "write the keys out in this mapping")
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _Refused(_mark(key_node), "yaml-key",
                                   "a mapping key must be a plain word, not a list or mapping",
                                   "write the key as a plain word and put the list or mapping in its value")
                key = self.scalar(key_node)
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    key = str(key_node.value)
                if key in result:
                    first = self.source.key_positions.get(path + (key,), (0, 0))
                    self.duplicates.append((
                        _mark(key_node), f"duplicate key {quoted(key)} (first defined on line {first[0]})",
                    ))
                    continue
                if self.positions:
                    self.source.key_positions[path + (key,)] = _mark(key_node)
                    if node.flow_style:
                        run = self._comma_run(run, key_node, value_node, path + (key,))
                result[key] = self.build(value_node, path + (key,), stack)
            return result
        raise _Refused(_mark(node), "yaml-syntax", "unsupported YAML node")  # pragma: no cover

    def _comma_run(self, run: list[Any] | None, key_node: yaml.ScalarNode, value_node: yaml.Node,
                   path: KeyPath) -> list[Any] | None:
        """Follow a { } mapping entry by entry: a plain word with no colon after a plain
        value is more of that value, cut off by a comma (`{role: ML lead, parsing}`)."""
        # A plain scalar's style is None (PyYAML) or '' (libyaml).
        plain = isinstance(value_node, yaml.ScalarNode) and not value_node.style
        bare = (plain and value_node.tag == _NULL_TAG and value_node.value == "" and not key_node.style
                and not self._colon_after(key_node))
        if bare and run is not None:
            run[1] += ", " + key_node.value
            run[2].append(path)
            for bare_path in run[2]:
                self.source.comma_keys[bare_path] = f"{run[0]}: {yaml_quote(run[1])}"
            return run
        if plain and value_node.value != "" and not key_node.style:
            return [key_node.value, value_node.value, []]
        return None

    def _note_dash_line(self, node: yaml.ScalarNode, path: KeyPath) -> None:
        if self.lines is None:
            self.lines = YAML_BREAK.split(self.source.text)
        for n in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(self.lines))):
            if self.lines[n].lstrip(" ").startswith("- "):
                self.source.dash_lines[path] = n + 1
                return

    def _colon_after(self, key_node: yaml.Node) -> bool:
        if self.lines is None:
            self.lines = YAML_BREAK.split(self.source.text)
        end = key_node.end_mark
        line = self.lines[end.line] if end.line < len(self.lines) else ""
        return line[end.column:].lstrip(" \t").startswith(":")

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        # Fast paths for the common plain scalars; the rest goes through PyYAML's constructor.
        if tag == _STR_TAG:
            return node.value
        if tag == _NULL_TAG and node.value in _NULLS:
            return None
        if tag == _BOOL_TAG and node.value.lower() in ("true", "false"):
            return node.value.lower() == "true"
        if tag not in _PLAIN_SCALAR_TAGS:
            raise self._tag_error(node)
        if tag in (_NULL_TAG, _BOOL_TAG):  # only an explicit !!null or !!bool gets here
            raise self._value_error(node, "")
        try:
            return self.constructor.construct_object(node)
        except ValueError as exc:  # a date out of range, a number too long, ...
            raise self._value_error(node, f": {exc}") from None
        except (yaml.constructor.ConstructorError, LookupError, AttributeError, TypeError):
            # PyYAML's constructors assume the implicit resolver matched: an explicit tag on
            # other text ('!!timestamp hello', "!!int ''") fails inside them.
            raise self._value_error(node, "") from None

    def _value_error(self, node: yaml.ScalarNode, detail: str) -> _Refused:
        kind = _TAG_KINDS.get(node.tag, "a value")
        return _Refused(_mark(node), "yaml-value", f"cannot read value {quoted(node.value)} as {kind}{detail}",
                        "quote the value to keep it as text, or write it as " + kind)

    def _tag_error(self, node: yaml.Node) -> _Refused:
        shown = node.tag.replace("tag:yaml.org,2002:", "!!")
        return _Refused(_mark(node), "yaml-tag", f"tag {quoted(shown)} is not allowed: specs are plain YAML",
                        "remove the tag; write the value as plain text, a number, a list or a mapping")


def _decode(raw: bytes, display: str, report: Report) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        report.error(display, (line, col), "encoding",
                     f"file is not UTF-8 (byte 0x{raw[exc.start]:02X} at offset {exc.start})",
                     "re-save the file as UTF-8 in your editor")
        return None


# libyaml reports a reader error's position as a byte offset into the UTF-8 text; the
# pure-Python reader (used when libyaml is missing) as a character offset.
_OFFSET_IN_BYTES = _BaseLoader is not yaml.SafeLoader


def _reader_pos(text: str, exc: yaml.reader.ReaderError) -> Pos:
    """Line and column of the refused character."""
    offset = exc.position
    if _OFFSET_IN_BYTES:
        offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
    if not (0 <= offset < len(text) and ord(text[offset]) == exc.character):
        found = text.find(chr(exc.character)) if 0 <= exc.character <= 0x10FFFF else -1
        offset = max(found, 0)
    lines = YAML_BREAK.split(text[:offset])
    return len(lines), len(lines[-1]) + 1


def _reader_problem(exc: yaml.reader.ReaderError) -> tuple[str, str]:
    code = f"U+{exc.character:04X}"
    kind = "control character" if unicodedata.category(chr(exc.character)) == "Cc" else "character"
    return (f"{kind} {code} is not allowed in YAML",
            f"remove it: it is invisible in most editors, which can find it by its code point {code}")


def load_yaml_text(text: str, display: str, report: Report, positions: bool = True) -> SourceFile | None:
    """Parse text; on any problem add a diagnostic and return None. Without positions
    (history reads, where only a valid file is used) loading is faster; a caller that
    finds a problem loads again with them to point at lines."""
    report.sources[display] = text
    source = SourceFile(path=display, text=text, data=None)
    try:
        loader = _PlainLoader(text)
    except UnicodeEncodeError as exc:  # a lone surrogate: only text built in memory can hold one
        report.error(display, (1, 1), "encoding", f"text is not valid Unicode ({exc.reason})",
                     "re-save the file as UTF-8 in your editor")
        return None
    # The node graph and the values built from it are acyclic (recursive aliases are
    # refused): the cyclic garbage collector has nothing to find while they are built.
    with cyclic_gc_paused():
        return _compose_and_build(loader, source, display, report, positions)


def _compose_and_build(loader: Any, source: SourceFile, display: str, report: Report,
                       positions: bool = True) -> SourceFile | None:
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        found = char_at(source.text, pos)
        if exc.problem == "found character that cannot start any token" and found == "\t":
            # libyaml does not name the character; PyYAML's pure-Python parser does.
            exc.problem = "found character '\\t' that cannot start any token"
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        hint = syntax_hint(source.text, pos, exc.problem or exc.context or "")
        report.error(display, pos, "yaml-syntax", f"YAML syntax error: {problem}",
                     hint or "check the indentation and quoting on this line and the one before")
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow anywhere
        report.error(display, _reader_pos(source.text, exc), "yaml-syntax", *_reader_problem(exc))
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - every other loader error is marked
        report.error(display, (1, 1), "yaml-syntax", f"YAML syntax error: {exc}",
                     "specs are plain YAML: check the file in an editor with YAML support")
        return None
    finally:
        loader.dispose()
    if node is None:
        source.data = None
        source.positions[()] = (1, 1)
        return source
    builder = _Builder(source, positions)
    try:
        source.data = builder.build(node, (), ())
    except _Refused as refused:
        report.error(display, refused.pos, refused.code, refused.message, refused.hint)
        return None
    for pos, message in builder.duplicates:
        report.error(display, pos, "duplicate-key", message, "remove one of the two; keys must be unique in a mapping")
    return source


def load_yaml_bytes(raw: bytes, display: str, report: Report, positions: bool = True) -> SourceFile | None:
    """Parse a file's bytes (from disk or from a git object)."""
    if too_large(len(raw), display, report):
        return None
    text = _decode(raw, display, report)
    if text is None:
        return None
    return load_yaml_text(text, display, report, positions)


def load_yaml_file(path: Path, display: str, report: Report, root: Path | None = None) -> SourceFile | None:
    """Parse a spec file from disk; only a regular file (inside `root`, the resolved
    repository, when it is a symbolic link) is ever opened."""
    raw = read_regular_file(path, display, report, root)
    return None if raw is None else load_yaml_bytes(raw, display, report)

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

import gc
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import YAML_BREAK, Report, quoted

MAX_FILE_BYTES = 2 * 1024 * 1024
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
                result[key] = self.build(value_node, path + (key,), stack)
            return result
        raise _Refused(_mark(node), "yaml-syntax", "unsupported YAML node")  # pragma: no cover

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
    # refused), so the cyclic garbage collector has nothing to find while they are built;
    # pausing it roughly halves the loading time of a large spec.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _compose_and_build(loader, source, display, report, positions)
    finally:
        if collecting:
            gc.enable()


def _compose_and_build(loader: Any, source: SourceFile, display: str, report: Report,
                       positions: bool = True) -> SourceFile | None:
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        report.error(display, pos, "yaml-syntax", f"YAML syntax error: {problem}",
                     "check the indentation and quoting on this line and the one before")
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


def _too_large(size: int, display: str, report: Report, *, at_least: bool = False) -> bool:
    if size <= MAX_FILE_BYTES:
        return False
    what = f"more than {MAX_FILE_BYTES}" if at_least else str(size)
    report.error(display, (1, 1), "file-too-large",
                 f"file is {what} bytes; specs are limited to {MAX_FILE_BYTES} bytes", "split long example lists or move data into the annotation exports")
    return True


def load_yaml_bytes(raw: bytes, display: str, report: Report, positions: bool = True) -> SourceFile | None:
    """Parse a file's bytes (from disk or from a git object)."""
    if _too_large(len(raw), display, report):
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


# What a directory entry is, when it is not a regular file.
_KINDS = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link")]
_NOT_REGULAR_HINT = "spec files must be regular files: replace it with the YAML file itself"
# Open flags: never block on a pipe or device, never follow a link swapped in after the checks.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _unreadable(display: str, report: Report, exc: OSError) -> None:
    report.error(display, (1, 1), "unreadable", f"cannot read file: {exc.strerror or exc}",
                 "check that the file exists and that your user may read it (e.g. chmod u+r)")


def read_regular_file(path: Path, display: str, report: Report, root: Path | None = None) -> bytes | None:
    """The bytes of a regular file, or None with a diagnostic. A spec folder is untrusted:
    a link to /etc/passwd would be quoted in the report, a FIFO blocks forever, /dev/zero
    never ends. So the entry is examined with lstat first, a link must stay inside `root`,
    anything but a regular file is refused unopened, and at most MAX_FILE_BYTES + 1 bytes
    are read from a descriptor that fstat confirms is the file that was examined."""
    name = quoted(path.name)
    try:
        info = os.lstat(path)
        target = path
        if stat.S_ISLNK(info.st_mode):
            target = Path(os.path.realpath(path))
            if root is not None and not target.is_relative_to(root):
                report.error(display, (1, 1), "unsafe-file",
                             f"{name} is a symbolic link that leaves the repository; it was not read",
                             "replace the link with the file itself, or link to a file inside the repository")
                return None
            info = os.stat(target)
            if not stat.S_ISREG(info.st_mode):
                report.error(display, (1, 1), "unsafe-file",
                             f"{name} is a symbolic link to {_kind(info.st_mode)}, not a regular file; "
                             "it was not read", _NOT_REGULAR_HINT)
                return None
        elif not stat.S_ISREG(info.st_mode):
            report.error(display, (1, 1), "unsafe-file",
                         f"{name} is {_kind(info.st_mode)}, not a regular file; it was not read", _NOT_REGULAR_HINT)
            return None
        # The size is checked before reading, so a huge file is never read into memory.
        if _too_large(info.st_size, display, report):
            return None
        fd = os.open(target, _OPEN_FLAGS)
    except OSError as exc:
        _unreadable(display, report, exc)
        return None
    try:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino) or not stat.S_ISREG(opened.st_mode):
            report.error(display, (1, 1), "unsafe-file",
                         f"{name} changed between being examined and opened; it was not read",
                         "run the check again once nothing is changing the file")
            return None
        chunks, size = [], 0
        # A file may grow after fstat, and some (under /proc) report size 0: read to the bound.
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        _unreadable(display, report, exc)
        return None
    finally:
        os.close(fd)
    if _too_large(size, display, report, at_least=True):
        return None
    return b"".join(chunks)

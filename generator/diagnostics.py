"""Problems found in specs, and the three ways they are printed.

Every stage appends `Diagnostic`s to one `Report` instead of raising, so a lead sees every
problem of a run at once. A diagnostic always knows its file and position; the quoted
source line comes from the text the loader already read (a file is never opened again
here: it may have changed, or be a pipe that never ends).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"
# A quoted line wider than this is cut to a window around the caret: a minified or
# deeply nested line would otherwise print hundreds of kilobytes per diagnostic.
EXCERPT_WIDTH = 120
CUT = "\u2026"  # '…' marks the side(s) where the line was cut
MAX_ECHO = 80  # characters of a user's value echoed in a message
# Characters a reader cannot see (controls, format and bidi controls, odd spaces, fillers):
# echoed raw, an id holding one looks exactly like the id it is not.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"}
_INVISIBLE_EXTRA = {"\u034f", "\u115f", "\u1160", "\u3164", "\uffa0"}


# Line breaks as YAML counts them (so quoted lines match the parser's line numbers);
# str.splitlines would also break at form feeds and other separators YAML does not.
YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _invisible(char: str) -> bool:
    if char == " ":
        return False
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES or char in _INVISIBLE_EXTRA


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def shown(text: object) -> str:
    """User text made safe to echo in a message: invisible characters as \\u escapes."""
    return "".join(_escape(c) if _invisible(c) else c for c in str(text))


def quoted(text: object) -> str:
    """'text' for a message: escaped, saying so when it holds an invisible character, and
    cut to MAX_ECHO characters (a 1 MB value is no better a clue than its start)."""
    text = str(text)
    if len(text) > MAX_ECHO:
        text = text[:MAX_ECHO] + CUT
    hidden = [c for c in text if _invisible(c)]
    if not hidden:
        return f"'{text}'"
    name = unicodedata.name(hidden[0], "")
    code = f"U+{ord(hidden[0]):04X}" + (f" {name}" if name else "")
    return f"'{shown(text)}' (contains the invisible character {code})"


def excerpt(line: str, col: int) -> tuple[str, int]:
    """The part of a quoted line to print and the caret's 1-based column in it: at most
    EXCERPT_WIDTH characters around col, with '…' where it was cut. Invisible characters
    print as U+FFFD (one column, so the caret stays aligned, and a bidi override cannot
    reorder the terminal line)."""
    line = "".join("\ufffd" if _invisible(c) else c for c in line.expandtabs(1))
    if len(line) <= EXCERPT_WIDTH:
        return line, col
    start = max(0, min(col - 1 - EXCERPT_WIDTH // 2, len(line) - EXCERPT_WIDTH))
    end = start + EXCERPT_WIDTH
    text, caret = line[start:end], col - start
    if start > 0:
        text, caret = CUT + text, caret + 1
    if end < len(line):
        text += CUT
    return text, caret


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # as shown to the user, e.g. specs/content-safety/taxonomy.yaml
    line: int  # 1-based
    col: int  # 1-based
    severity: str
    code: str
    message: str
    hint: str = ""


@dataclass
class Report:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Source text per path, kept so the quoted line needs no second read.
    sources: dict[str, str] = field(default_factory=dict)
    # Lines per path, split once (a file with many warnings is not split for each); the
    # text is kept beside them so a path loaded again with other text is split again.
    _lines: dict[str, tuple[str, list[str]]] = field(default_factory=dict, repr=False, compare=False)

    def add(self, path: str, pos: tuple[int, int], severity: str, code: str, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(path, pos[0], pos[1], severity, code, message, hint))

    def error(self, path: str, pos: tuple[int, int], code: str, message: str, hint: str = "") -> None:
        self.add(path, pos, ERROR, code, message, hint)

    def warning(self, path: str, pos: tuple[int, int], code: str, message: str, hint: str = "") -> None:
        self.add(path, pos, WARNING, code, message, hint)

    def extend(self, other: "Report") -> None:
        self.diagnostics.extend(other.diagnostics)
        self.sources.update(other.sources)

    def sorted(self) -> list[Diagnostic]:
        # Deterministic order: by file, then position, then code.
        return sorted(set(self.diagnostics), key=lambda d: (d.path, d.line, d.col, d.code, d.message))

    def promote_warnings(self) -> None:
        """--strict: every warning becomes an error."""
        self.diagnostics = [
            Diagnostic(d.path, d.line, d.col, ERROR, d.code, d.message, d.hint) if d.severity == WARNING else d
            for d in self.diagnostics
        ]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity == WARNING]

    def quoted_line(self, d: Diagnostic) -> str | None:
        # Only what the loader read: a missing, refused or unreadable file has no quote.
        text = self.sources.get(d.path)
        if text is None:
            return None
        cached = self._lines.get(d.path)
        if cached is None or cached[0] is not text:
            cached = self._lines[d.path] = (text, YAML_BREAK.split(text))
            if len(cached[1]) > 1 and not cached[1][-1]:
                cached[1].pop()  # the break that ends the last line starts no new one
        lines = cached[1]
        if 1 <= d.line <= len(lines):
            return lines[d.line - 1]
        return None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(report: Report, checked: int) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    what = _plural(checked, "guideline")
    if not errors and not warnings:
        return f"{what} checked: no problems"
    return f"{what} checked: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


# Text output: the first FULL_PER_CODE diagnostics of each code are printed in full; the
# rest of that code become one line per file listing their line numbers (at most
# LISTED_LINES of them; a single one left in a file prints its first line instead).
# JSON and GitHub output always list every diagnostic.
FULL_PER_CODE = 3
LISTED_LINES = 20
SUMMARY_WIDTH = 100


def _full(report: Report, d: Diagnostic) -> list[str]:
    out = [f"{d.path}:{d.line}:{d.col}: {d.severity}[{d.code}]: {d.message}"]
    line = report.quoted_line(d)
    if line is not None:
        text, caret = excerpt(line, d.col)
        gutter = f"{d.line:>5} | "
        out.append(gutter + text)
        out.append(" " * (len(gutter) - 2) + "| " + " " * (caret - 1) + "^")
    if d.hint:
        out.append(f"      = help: {d.hint}")
    return out


def _more_line(path: str, kind: tuple[str, str], rest: list[Diagnostic]) -> str:
    lines = list(dict.fromkeys(d.line for d in rest))
    listed = ", ".join(str(n) for n in lines[:LISTED_LINES]) + (f", {CUT}" if len(lines) > LISTED_LINES else "")
    return (f"... and {len(rest)} more {kind[0]}[{kind[1]}] in {path}: "
            f"{'line' if len(lines) == 1 else 'lines'} {listed}")


def code_summary(diagnostics: list[Diagnostic]) -> list[str]:
    """Counts by code, errors first, then the most frequent: "placeholder: 132 warnings
    in 9 files; few-examples: 3 warnings", wrapped at SUMMARY_WIDTH between codes."""
    counts: dict[tuple[str, str], list[Diagnostic]] = {}
    for d in diagnostics:
        counts.setdefault((d.severity, d.code), []).append(d)
    parts = []
    for (severity, code), found in sorted(counts.items(), key=lambda kv: (kv[0][0] != ERROR, -len(kv[1]), kv[0][1])):
        files = len({d.path for d in found})
        parts.append(f"{code}: {_plural(len(found), severity)}" + (f" in {files} files" if files > 1 else ""))
    lines = [parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + 2 + len(part) > SUMMARY_WIDTH:
            lines[-1] += ";"
            lines.append(part)
        else:
            lines[-1] += "; " + part
    return lines


def format_text(report: Report, checked: int) -> str:
    out: list[str] = []
    diagnostics = report.sorted()  # by file, then position
    shown: dict[tuple[str, str], int] = {}
    rest: dict[tuple[str, str], list[Diagnostic]] = {}  # per file: the ones not shown in full
    grouped = 0
    for i, d in enumerate(diagnostics):
        kind = (d.severity, d.code)
        if shown.get(kind, 0) < FULL_PER_CODE:
            shown[kind] = shown.get(kind, 0) + 1
            out += _full(report, d)
        else:
            rest.setdefault(kind, []).append(d)
        if i + 1 == len(diagnostics) or diagnostics[i + 1].path != d.path:
            grouped += sum(len(found) for found in rest.values() if len(found) > 1)
            for kind in sorted(rest):
                # One left over: its first line says more than "and 1 more" would.
                out.append(_full(report, rest[kind][0])[0] if len(rest[kind]) == 1
                           else _more_line(d.path, kind, rest[kind]))
            rest = {}
    if len(diagnostics) > 1:
        out += code_summary(diagnostics)
    if grouped:
        out.append(f"({grouped} listed by line only; `--format json` or `--format github` gives each in full)")
    out.append(summary_line(report, checked))
    return "\n".join(out) + "\n"


def format_json(report: Report, checked: int) -> str:
    payload = {
        "guidelines_checked": checked,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "diagnostics": [asdict(d) for d in report.sorted()],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _github_escape(value: str, *, prop: bool = False) -> str:
    # GitHub workflow-command escaping: data escapes %, CR, LF; properties also : and ,
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(report: Report, checked: int) -> str:
    out = []
    for d in report.sorted():
        kind = "error" if d.severity == ERROR else "warning"
        message = d.message + (f" (help: {d.hint})" if d.hint else "")
        out.append(
            f"::{kind} file={_github_escape(d.path, prop=True)},line={d.line},col={d.col},"
            f"title={_github_escape(d.code, prop=True)}::{_github_escape(message)}"
        )
    out.append(summary_line(report, checked))
    return "\n".join(out) + "\n"


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}

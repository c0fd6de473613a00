"""Problems found in specs, and the three ways they are printed.

Every stage appends `Diagnostic`s to one `Report` instead of raising, so a lead sees every
problem of a run at once. A diagnostic always knows its file and position; the quoted
source line is read back from the file when printing.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


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
        text = self.sources.get(d.path)
        if text is None:
            try:
                text = Path(d.path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
        lines = text.splitlines()
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


def format_text(report: Report, checked: int) -> str:
    out: list[str] = []
    for d in report.sorted():
        out.append(f"{d.path}:{d.line}:{d.col}: {d.severity}[{d.code}]: {d.message}")
        quoted = report.quoted_line(d)
        if quoted is not None:
            gutter = f"{d.line:>5} | "
            out.append(gutter + quoted.expandtabs(1))
            out.append(" " * (len(gutter) - 2) + "| " + " " * (d.col - 1) + "^")
        if d.hint:
            out.append(f"      = help: {d.hint}")
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

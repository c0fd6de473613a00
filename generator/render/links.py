"""Links in spec text and history: commits and tickets through the project's URL patterns,
label and rule ids to their pages.

The patterns come from the site configuration (the MkDocs plugin reads them and passes them
in as plain values):

    repository   https://github.com/org/guidelines  ->  a commit links to <repository>/commit/<sha>
    tickets      CS-(\\d+) -> https://tracker.example.org/browse/CS-{1}
                 ({0} is the whole ticket id, {1}, {2} ... its groups)

Spec text stays plain text: it is escaped piece by piece (markup.py) and only the pieces
that are an id or a ticket become links. An id is linked where it is unmistakable: when it
holds a '_', '-' or digit (first_label, bc-idea-not-person), or right after the word
"label" or "rule".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..load import UsageError
from .markup import escape_fragment


@dataclass(frozen=True)
class TicketPattern:
    pattern: re.Pattern[str]
    url: str

    def url_for(self, match: re.Match[str]) -> str:
        return self.url.format(match.group(0), *match.groups())


@dataclass(frozen=True)
class LinkSettings:
    """Where commits and tickets link to; empty settings link neither."""

    repo_url: str | None = None
    commit_url: str | None = None  # with {sha}; default <repo_url>/commit/{sha}
    tickets: tuple[TicketPattern, ...] = ()

    @classmethod
    def build(cls, repo_url: str | None = None, commit_url: str | None = None,
              tickets: list[dict[str, str]] | None = None) -> "LinkSettings":
        """Settings from configuration values; a pattern that does not compile, or an address
        with a placeholder the pattern cannot fill, is a UsageError naming it."""
        compiled = []
        for number, entry in enumerate(tickets or [], start=1):
            pattern, url = entry.get("pattern") or "", entry.get("url") or ""
            try:
                regex = re.compile(pattern)
            except re.error as problem:
                raise UsageError(f"tickets[{number}]: pattern {pattern!r} is not a regular expression: {problem}",
                                 r"write it like CS-(\d+)") from None
            try:
                url.format(pattern, *["1"] * regex.groups)
            except (IndexError, KeyError, ValueError):
                raise UsageError(f"tickets[{number}]: url {url!r} uses a placeholder the pattern {pattern!r} does "
                                 f"not have ({regex.groups} group{'s' if regex.groups != 1 else ''})",
                                 "use {0} for the whole ticket id and {1}, {2} ... for the pattern's groups") from None
            compiled.append(TicketPattern(regex, url))
        if commit_url is None and repo_url:
            commit_url = repo_url.rstrip("/") + "/commit/{sha}"
        return cls(repo_url or None, commit_url, tuple(compiled))

    def commit(self, sha: str) -> str | None:
        return self.commit_url.format(sha=sha) if self.commit_url else None


_ID_CHARS = r"[A-Za-z0-9_-]"
_KEYWORD_BEFORE = re.compile(r"(?:\blabels?|\brules?)\s+(?:[A-Za-z0-9_-]+,\s+)*$", re.IGNORECASE)


@dataclass
class Linker:
    """Links for one guideline's pages: its label and rule ids, and the project's settings."""

    settings: LinkSettings = field(default_factory=LinkSettings)
    labels: dict[str, str] = field(default_factory=dict)  # id -> name
    rules: dict[str, str] = field(default_factory=dict)  # id -> title

    def __post_init__(self) -> None:
        ids = sorted(set(self.labels) | set(self.rules), key=lambda i: (-len(i), i))
        self._ids = re.compile(rf"(?<!{_ID_CHARS})(?:{'|'.join(map(re.escape, ids))})(?!{_ID_CHARS})") if ids else None

    def commit(self, sha: str) -> str | None:
        return self.settings.commit(sha)

    def ticket(self, text: str) -> str | None:
        """The address of a ticket id written on its own (a `ticket:` field)."""
        for ticket in self.settings.tickets:
            match = ticket.pattern.fullmatch(text.strip())
            if match:
                return ticket.url_for(match)
        return None

    def _id_target(self, ident: str, before: str, up: str) -> str | None:
        distinctive = any(c in ident for c in "_-0123456789")
        if not distinctive and not _KEYWORD_BEFORE.search(before):
            return None
        if ident in self.labels and not (ident in self.rules and re.search(r"\brules?\s+$", before, re.I)):
            return f"{up}labels/{ident}/"
        if ident in self.rules:
            return f"{up}edge-cases/#rule-{ident}"
        return None

    def text(self, value: Any, up: str) -> Markup:
        """Spec text, escaped, with its label ids, rule ids and tickets linked; up is the way
        from the page to the guideline's folder ("../", "../../")."""
        if value is None:
            return Markup("")
        text = re.sub(r"\r\n?", "\n", str(value)).strip("\n")
        found: list[tuple[int, int, str, str]] = []  # start, end, address, class
        for ticket in self.settings.tickets:
            for match in ticket.pattern.finditer(text):
                if match.end() > match.start():
                    found.append((match.start(), match.end(), ticket.url_for(match), "lb-ticket"))
        if self._ids is not None:
            for match in self._ids.finditer(text):
                target = self._id_target(match.group(0), text[:match.start()], up)
                if target is not None:
                    kind = "lb-label-link" if "labels/" in target else "lb-rule-link"
                    found.append((match.start(), match.end(), target, kind))
        out, at = [], 0
        for start, end, address, kind in sorted(found):
            if start < at:
                continue  # overlaps a link already made
            out.append(escape_fragment(text[at:start]))
            out.append(Markup('<a class="{}" href="{}">{}</a>').format(kind, address, escape_fragment(text[start:end])))
            at = end
        out.append(escape_fragment(text[at:]))
        return Markup("").join(out)

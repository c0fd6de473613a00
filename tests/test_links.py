"""Every internal link of the built example site leads somewhere: the file exists and, for
an address with a #fragment, the target page has an element with that id. No browser:
the pages are parsed with the standard library's HTML parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that hold an address; xlink:href is how Graphviz links the decision tree's nodes.
LINK_ATTRIBUTES = {"href", "src", "xlink:href"}


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[int, str, str]] = field(default_factory=list)  # (line, attribute, address)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.page.ids.add(value)
            elif name in LINK_ATTRIBUTES:
                self.page.links.append((self.getpos()[0], name, value))

    handle_startendtag = handle_starttag


def parse_page(path: Path) -> ParsedPage:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def is_external(address: str) -> bool:
    parts = urlsplit(address)
    return bool(parts.scheme or parts.netloc)  # http(s):, mailto:, data:, //host/...


def resolve(site: Path, page: Path, address: str) -> tuple[Path | None, str]:
    """(target file or None when outside the site, fragment) of an internal address on page."""
    parts = urlsplit(address)
    fragment = unquote(parts.fragment)
    if not parts.path:
        return page, fragment
    path = unquote(parts.path)
    # A browser stops '..' at the server's root; a site served from a sub-folder (a
    # project's GitHub Pages) has no such stop, so climbing above the site is broken.
    segments = [] if path.startswith("/") else list(page.relative_to(site).parent.parts)
    for segment in path.split("/"):
        if segment == "..":
            if not segments:
                return None, fragment
            segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    file = site.joinpath(*segments)
    if parts.path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file, fragment


def broken_links(site: Path) -> list[str]:
    pages = {path: parse_page(path) for path in sorted(site.rglob("*.html"))}
    problems = []
    for page, parsed in pages.items():
        shown_page = page.relative_to(site).as_posix()
        for line, attribute, address in parsed.links:
            if is_external(address) or address in ("", "#"):
                continue
            where = f"{shown_page}:{line}: {attribute}={address!r}"
            target, fragment = resolve(site, page, address)
            if target is None:
                problems.append(f"{where}: points outside the site")
            elif not target.is_file():
                problems.append(f"{where}: no file {target.relative_to(site).as_posix()}")
            elif fragment and target.suffix == ".html":
                target_page = pages.get(target) or parse_page(target)
                if fragment not in target_page.ids:
                    problems.append(f"{where}: {target.relative_to(site).as_posix()} has no element with id {fragment!r}")
    return problems


def test_every_internal_link_of_the_example_site_resolves(example_site: Path):
    html_pages = list(example_site.rglob("*.html"))
    assert len(html_pages) > 10
    # The check itself reads the decision tree's links: a site without them checks nothing there.
    tree = parse_page(next(example_site.glob("*/decision-tree/index.html")))
    assert any(attribute == "xlink:href" for _, attribute, _ in tree.links)
    problems = broken_links(example_site)
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems)


def test_the_link_check_reports_a_missing_page_and_a_missing_id(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text(
        '<p id="here"><a href="../b/">b</a> <a href="#here">ok</a> <a href="../a/#nowhere">x</a>'
        '<svg><a xlink:href="../c/">c</a></svg> <a href="mailto:x@example.com">m</a>'
        ' <a href="https://example.com/missing/">e</a> <img src="../../outside.png"></p>')
    (tmp_path / "b").mkdir()
    (tmp_path / "b/index.html").write_text('<a href="..">home</a> <a href="/a/#here">a</a>')
    (tmp_path / "index.html").write_text("<h1>home</h1>")
    assert broken_links(tmp_path) == [
        "a/index.html:1: href='../a/#nowhere': a/index.html has no element with id 'nowhere'",
        "a/index.html:1: xlink:href='../c/': no file c/index.html",
        "a/index.html:1: src='../../outside.png': points outside the site",
    ]

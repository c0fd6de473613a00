"""What one search costs a reader's browser: the bytes fetched to run it.

    .venv/bin/python benchmarks/search_payload.py SITE [--query WORD ...] [--start ADDRESS]

Serves a built site on 127.0.0.1, opens a page in Debian's Chromium (tests/browser.py),
opens the search dialog, types a query and waits for the results and for the network to
go quiet. The payload is the sum of the response bodies the search needs: the dialog's
own script and stylesheet (fetched with the page) and everything fetched from opening
the dialog through the results (Pagefind's script, worker and WebAssembly, the metadata,
the filters, the index chunks holding the words, one fragment per result shown). The
page itself (HTML, Material's script and stylesheet) is not counted: every page fetches
it, searching or not. Bodies are counted as served, uncompressed (the test server does
not compress; a web server's gzip makes them smaller).

benchmarks/bench_scale.py calls search_payload on its large site.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser import launch_chromium, serve_folder  # noqa: E402

UI_FILES = ("assets/lb-search.js", "assets/lb-search.css")  # the dialog's own files, fetched with the page
TIMEOUT_MS = 30_000


def default_start(site: Path) -> str:
    """A label page of the working copy of the first guideline (by id), else the home page."""
    for labels in sorted(site.glob("*/labels")):
        pages = sorted(p.parent for p in labels.glob("*/index.html"))
        if pages:
            return pages[0].relative_to(site).as_posix() + "/"
    return ""


def search_payload(site: Path, query: str = "definition", start: str | None = None, *,
                   typed: bool = False, details: list[tuple[str, int]] | None = None, browser: Any = None) -> int:
    """Bytes fetched to search site for query from the page at start (see the module's
    doc). typed: type the query a key at a time, as a reader does (each pause may run a
    search of a prefix), instead of pasting it. details, when given, receives
    (address, bytes) for each response counted. browser: a running Playwright browser
    (default: Chromium, started for this measurement)."""
    with contextlib.ExitStack() as stack:
        if browser is None:
            browser = stack.enter_context(launch_chromium())
        return _measure(site, query, default_start(site) if start is None else start, typed, details, browser)


def _measure(site: Path, query: str, address: str, typed: bool, details: list[tuple[str, int]] | None,
             browser: Any) -> int:
    with serve_folder(site) as base_url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        loaded: list = []
        page.on("response", lambda response: loaded.append(response))
        page.goto(base_url + address, wait_until="networkidle")
        ui = [r for r in loaded if any(r.url.endswith(name) for name in UI_FILES)]
        if len(ui) != len(UI_FILES):
            raise RuntimeError(f"{base_url + address} did not load the search dialog's files {UI_FILES}")
        searching: list = []
        page.on("response", lambda response: searching.append(response))
        page.click(".lb-search-open")
        box = page.locator("#lb-search-input")
        if typed:
            box.type(query, delay=120)
        else:
            box.fill(query)
        page.wait_for_function(
            "q => document.querySelector('.lb-search__status').textContent.includes('for “' + q + '”')", arg=query)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(600)  # results render, then fetch their fragments
        page.wait_for_load_state("networkidle")
        counted = [(r.url[len(base_url):], len(r.body())) for r in ui + searching if r.ok]
        context.close()
    if details is not None:
        details.extend(counted)
    return sum(size for _, size in counted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", action="append", help="a query (repeatable; default: definition)")
    parser.add_argument("--start", help="the page to search from, relative to the site (default: a label page)")
    args = parser.parse_args()
    pages = sum(1 for _ in args.site.rglob("*.html"))
    print(f"{args.site}: {pages} HTML files")
    for query in args.query or ["definition"]:
        for typed in (False, True):
            details: list[tuple[str, int]] = []
            total = search_payload(args.site, query, args.start, typed=typed, details=details)
            how = "typed key by key" if typed else "pasted"
            print(f"  {query!r} ({how}): {total / 1000:.1f} KB in {len(details)} responses")
            for url, size in sorted(details, key=lambda d: -d[1])[:8]:
                print(f"      {size / 1000:8.1f} KB  {url}")


if __name__ == "__main__":
    main()

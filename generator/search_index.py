"""The site's one search index, across every guideline and every release: Pagefind.

`labelbook build` calls index_site once the whole site is assembled (the working copy and
the releases placed at /<guideline>/<version>/). Pagefind writes a chunked index into
search/ at the site root, so a search fetches only the chunks holding its words, never the
whole index. The pages say what is indexed (labelbook_mkdocs/theme/overrides/main.html):
the text inside data-pagefind-body, with the guideline and version as filters; pages
without it (the compare page, 404 pages) are left out. The search dialog of every page
(partials/lb-search.html, assets/lb-search.js) reads it.

Pagefind runs as the binary the `pagefind-bin` wheel ships, as a child process (its Python
API drives the same binary through an asynchronous service, for indexes built record by
record). Its output depends only on the pages, whatever the folder's path or the number of
cores, with one exception that index_site removes: each filter's values are written in
the order of a hash map that Pagefind seeds at random in every run (see
_settle_filter_order). So the same site gives the same bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .site_folder import BuildFault

SEARCH_FOLDER = "search"  # a reserved guideline id (generator/crosscheck.py)
# Inside a page's text, what is not the guideline's: the headings' permalink signs (¶), the
# edit button and the version line (each result names its guideline and version itself).
EXCLUDED = ".headerlink, .md-content__button, .lb-stamp"
# Pagefind's own ready-made interfaces, written beside the index: the site's search dialog
# (assets/lb-search.js) uses Pagefind's search API (pagefind.js) and none of these.
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
INSTALL_HINT = "install labelbook's dependencies again: pip install 'pagefind-bin>=1.5.2,<1.6'"


def pagefind_executable() -> Path:
    """The Pagefind binary inside the pagefind-bin wheel."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]
    except ImportError:
        raise BuildFault("cannot index the site for search: the pagefind-bin package is not installed",
                         INSTALL_HINT) from None
    try:
        return Path(get_executable())
    except FileNotFoundError as missing:
        raise BuildFault(f"cannot index the site for search: {missing}", INSTALL_HINT) from None


def index_site(site: Path) -> None:
    """Write the search index of the assembled site into site/search/ (replacing any).

    A release is published twice, at /<guideline>/<version>/ and under its alias
    /<guideline>/latest/; only the first is indexed, so a result names the version. The
    indexer reads a copy of the site's tree made of hard links without the aliases."""
    output = site / SEARCH_FOLDER
    if output.is_dir():
        shutil.rmtree(output)  # unlinks: a hard-linked file in a cache is left as it is
    view = Path(tempfile.mkdtemp(prefix=f".{site.name}.search-", dir=site.parent))
    try:
        _link_pages(site, view, _aliases(site))
        command = [str(pagefind_executable()), "--site", str(view), "--output-path", str(output.resolve()),
                   "--exclude-selectors", EXCLUDED]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=3600)
        except OSError as exc:
            raise BuildFault(f"cannot index the site for search: cannot run {command[0]}: {exc.strerror}",
                             INSTALL_HINT) from None
        if run.returncode != 0:
            said = [line.strip() for line in (run.stderr + run.stdout).splitlines() if line.strip()]
            raise BuildFault(f"indexing the site for search failed (pagefind exited with status {run.returncode})"
                             + (f": {said[-1]}" if said else ""),
                             "run `labelbook build` again; if it fails the same way, " + INSTALL_HINT)
        for name in UNUSED_FILES:
            (output / name).unlink(missing_ok=True)
        _settle_filter_order(output)
    finally:
        shutil.rmtree(view, ignore_errors=True)


def _aliases(site: Path) -> set[Path]:
    """The alias folders of releases (latest), as each guideline's versions.json names them."""
    aliases: set[Path] = set()
    for versions in sorted(site.glob("*/versions.json")):
        try:
            entries = json.loads(versions.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for entry in entries if isinstance(entries, list) else []:
            for alias in entry.get("aliases", []) if isinstance(entry, dict) else []:
                if isinstance(alias, str) and alias and "/" not in alias and alias != entry.get("version"):
                    aliases.add(versions.parent / alias)
    return aliases


def _link_pages(site: Path, view: Path, skipped: set[Path]) -> None:
    """Every HTML file of site under view at the same place, except under skipped folders."""
    for folder, subfolders, files in os.walk(site):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if here / d not in skipped and here / d != site / SEARCH_FOLDER)
        pages = [name for name in files if name.endswith(".html")]
        if not pages:
            continue
        target = view / here.relative_to(site)
        target.mkdir(parents=True, exist_ok=True)
        for name in pages:
            try:
                os.link(here / name, target / name)
            except OSError:  # another file system, or links not allowed
                shutil.copy2(here / name, target / name)


SIGNATURE = b"pagefind_dcd"  # starts every decompressed Pagefind data file, before its CBOR


def _settle_filter_order(output: Path) -> None:
    """Write each filter chunk with its values sorted, so its bytes no longer depend on the
    run. A chunk (filter/<lang>_<hash>.pf_filter) is gzipped SIGNATURE + CBOR
    [name, [[value, [page, ...]], ...]]; the metadata file (pagefind.<lang>_<hash>.pf_meta)
    names each chunk by its hash and pagefind-entry.json names the metadata file by its
    hash: both are renamed after their new contents, the names keeping their length, so
    the metadata's CBOR stays valid with the names replaced in place. The metadata lists
    its filters (and sorts) in hash-map order too: sorted by name. Searching finds values
    and filters by name, not by position: the results are the same."""
    entry_path = output / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = output / f"pagefind.{language['hash']}.pf_meta"
        meta = _unzip(meta_path.read_bytes())
        for chunk in sorted((output / "filter").glob("*.pf_filter")):
            old = chunk.stem
            if old.encode() not in meta:
                continue
            data = _sorted_filter(_unzip(chunk.read_bytes()))
            new = _renamed(old, data)
            chunk.unlink()
            (chunk.parent / f"{new}.pf_filter").write_bytes(_zip(data))
            meta = meta.replace(old.encode(), new.encode())
        meta = _sorted_meta(meta)
        new_meta = _renamed(language["hash"], meta)
        meta_path.unlink()
        (output / f"pagefind.{new_meta}.pf_meta").write_bytes(_zip(meta))
        language["hash"] = new_meta
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _renamed(name: str, data: bytes) -> str:
    """A name like Pagefind's (<lang>_<hex>, as long as name) from the data's digest."""
    language, _, digest = name.rpartition("_")
    return f"{language}_{hashlib.sha256(data).hexdigest()[:len(digest)]}"


def _unzip(data: bytes) -> bytes:
    plain = gzip.decompress(data)
    if not plain.startswith(SIGNATURE):
        raise ValueError("not a Pagefind data file")
    return plain


def _zip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def _sorted_filter(data: bytes) -> bytes:
    """The chunk with its [value, pages] entries sorted by value."""
    body = memoryview(data)[len(SIGNATURE):]
    at = _head(body, 0, 4)[1]  # the outer array of two: name, entries
    name_end = _skip(body, at)
    count, at = _head(body, name_end, 4)
    entries = []
    for _ in range(count):
        end = _skip(body, at)
        value_start = _head(body, at, 4)[1]
        entries.append((bytes(body[value_start:_skip(body, value_start)]), bytes(body[at:end])))
        at = end
    if at != len(body):
        raise ValueError("unexpected data after the filter entries")
    return (SIGNATURE + bytes(body[:name_end]) + _cbor_head(4, count)
            + b"".join(encoded for _, encoded in sorted(entries)))


def _sorted_meta(data: bytes) -> bytes:
    """The metadata with its filters and sorts ([[name, chunk], ...], its fourth and fifth
    items after the version, pages and index chunks) sorted by name."""
    body = memoryview(data)[len(SIGNATURE):]
    count, at = _head(body, 0, 4)
    items = []
    for _ in range(count):
        end = _skip(body, at)
        items.append(bytes(body[at:end]))
        at = end
    if at != len(body) or count < 5:
        raise ValueError("unexpected Pagefind metadata")
    for position in (3, 4):
        item = memoryview(items[position])
        entries, start = [], _head(item, 0, 4)[1]
        while start < len(item):
            end = _skip(item, start)
            entries.append(bytes(item[start:end]))
            start = end
        items[position] = _cbor_head(4, len(entries)) + b"".join(sorted(entries))
    return SIGNATURE + _cbor_head(4, count) + b"".join(items)


def _head(data: memoryview, at: int, major: int | None = None) -> tuple[int, int]:
    """A CBOR item's argument (length, count or value) and where its content starts."""
    kind, info = data[at] >> 5, data[at] & 31
    if major is not None and kind != major:
        raise ValueError(f"CBOR major type {kind} where {major} was expected")
    if info < 24:
        return info, at + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
    return int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size


def _skip(data: memoryview, at: int) -> int:
    """Where the CBOR item at `at` ends (unsigned integers, text, arrays: what Pagefind writes)."""
    kind = data[at] >> 5
    argument, start = _head(data, at)
    if kind == 0:
        return start
    if kind in (2, 3):
        return start + argument
    if kind == 4:
        for _ in range(argument):
            start = _skip(data, start)
        return start
    raise ValueError(f"unexpected CBOR major type {kind}")


def _cbor_head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise ValueError("CBOR argument too large")

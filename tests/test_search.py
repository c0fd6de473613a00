"""Search across every guideline and release (Pagefind), in Debian's Chromium, on a site
built from a scripted history: two guidelines, three releases of one of them.

The history, and the words that tell its versions apart:
  mini 0.1.0   the first label's definition says neither word
  mini 0.2.0   ... "quagga markings"                       (a release only)
  other        copied from mini 0.2.0, so its working copy says "quagga" too
  mini 1.0.0   ... "even when it says jk to an okapi"     (the working copy, released)
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from browser import chromium, serve_folder  # noqa: F401 - the fixture is used by name
from conftest import REPO, run_labelbook
from generator.search_index import index_site
from generator.site_folder import BuildFault
from gitrepo import ScriptedRepo

sys.path.insert(0, str(REPO / "benchmarks"))
from search_payload import search_payload  # noqa: E402

TIMEOUT_MS = 15_000
DEFINITION = '    definition: "A short definition in observable terms"'
RELEASED = '    definition: "A short definition in observable terms, quagga markings"'
CURRENT = '    definition: "A short definition in observable terms, even when it says jk to an okapi"'
OTHER = 'Other <img src=x onerror="window.__pwned=1"> guideline'  # spec text is untrusted
CHANGE = """  - type: definition
    summary: {summary}
    rationale: Raters asked for it.
    relabel_impact: {{relabel: none}}
    labels: [first_label]"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    repo = ScriptedRepo(tmp_path_factory.mktemp("search") / "repo")  # mini 0.1.0
    repo.edit("taxonomy.yaml", DEFINITION, RELEASED)
    repo.set_version("0.2.0", CHANGE.format(summary="Markings named"))
    repo.commit("Name the markings")
    repo.copy_folder("mini", "other")
    repo.edit("guideline.yaml", 'title: "Mini guideline"', f"title: '{OTHER}'", guideline="other")
    repo.commit("A second guideline")
    repo.edit("taxonomy.yaml", RELEASED, CURRENT)
    repo.set_version("1.0.0", CHANGE.format(summary="Jokes named"))
    repo.commit("Name the jokes")
    result = run_labelbook("build", cwd=repo.root)
    assert result.returncode == 0, result.stdout + result.stderr
    return repo.root / "site"


@pytest.fixture(scope="module")
def site_url(site):
    with serve_folder(site) as base_url:
        yield base_url


@pytest.fixture
def browser_page(chromium, request):  # noqa: F811 - the imported fixture
    """A page whose console must stay free of errors for the whole test."""
    size = getattr(request, "param", {"width": 1280, "height": 900})
    context = chromium.new_context(viewport=size)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    yield page
    context.close()
    assert not errors, "\n".join(errors)


def search(page, query: str) -> list[dict[str, str]]:
    """Open the search dialog, type query; each result's address, title and where-line."""
    if not page.locator("#lb-search").evaluate("d => d.open"):
        page.get_by_role("button", name="Search", exact=True).click()
    page.fill("#lb-search-input", query)
    return results(page, query)


def results(page, query: str) -> list[dict[str, str]]:
    """The results shown once the search of query has ended (the list is busy till then)."""
    page.wait_for_function("""q => document.querySelector('.lb-search__results').getAttribute('aria-busy') === 'false'
        && document.querySelector('.lb-search__status').textContent.includes('for “' + q + '”')""", arg=query)
    return page.eval_on_selector_all(".lb-search__result", """items => items.map(i => ({
        href: i.querySelector('a').href, title: i.querySelector('a').textContent,
        where: (i.querySelector('.lb-search__where') || {}).textContent || ''}))""")


def choose(page, name: str, value: str) -> None:
    page.select_option(f"#lb-search select[name={name}]", value=value)


def test_a_word_finds_the_labels_page_and_the_result_names_guideline_and_version(browser_page, site_url):
    page = browser_page
    page.goto(site_url + "mini/labels/first_label/")
    found = search(page, "okapi")
    label = next(r for r in found if r["href"] == site_url + "mini/labels/first_label/")
    assert label["title"] == "A concrete, behaviour-based name"
    assert label["where"] == "Mini guideline · current (1.0.0, released)"
    # It searched the page's own guideline and version, and says so.
    assert page.locator("#lb-search select[name=guideline]").input_value() == "Mini guideline"
    assert page.locator("#lb-search select[name=version]").input_value() == "current"
    assert "in Mini guideline, the current version." in page.inner_text(".lb-search__status")


def test_the_guideline_filter_narrows_the_results(browser_page, site_url):
    page = browser_page
    page.goto(site_url)  # the home page belongs to no guideline: everything is searched
    everything = search(page, "observable")
    guidelines = {r["where"].split(" · ")[0] for r in everything if r["where"]}
    assert guidelines == {"Mini guideline", OTHER}, everything
    total = int(page.inner_text(".lb-search__status").split()[0])
    # Pagefind cannot filter on a straight double quote: the filter names it with a curly one.
    choose(page, "guideline", OTHER.replace('"', "”"))
    narrowed = results(page, "observable")
    assert narrowed and all(r["where"].startswith(OTHER + " · ") for r in narrowed), narrowed
    assert int(page.inner_text(".lb-search__status").split()[0]) < total
    # The title is shown as text and its markup never ran.
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#lb-search img").count() == 0


def test_a_release_page_is_found_when_its_version_is_chosen(browser_page, site_url):
    page = browser_page
    page.goto(site_url + "mini/labels/first_label/")
    # The working copy's pages only (its label's history and changelog still say it).
    current = search(page, "quagga")
    assert current and all(r["where"] == "Mini guideline · current (1.0.0, released)" for r in current), current
    versions = page.eval_on_selector_all("#lb-search select[name=version] option", "os => os.map(o => o.value)")
    assert versions == ["", "current", "1.0.0", "0.2.0", "0.1.0"]
    choose(page, "version", "0.2.0")
    found = results(page, "quagga")
    assert {"href": site_url + "mini/0.2.0/labels/first_label/", "title": "A concrete, behaviour-based name",
            "where": "Mini guideline · 0.2.0 (released)"} in found
    assert all(r["where"] == "Mini guideline · 0.2.0 (released)" for r in found), found
    assert all("/latest/" not in r["href"] for r in found)  # a release is indexed once, under its version
    # One click widens to every guideline and version: the other guideline says it too.
    page.get_by_role("button", name="Search everything").click()
    widened = results(page, "quagga")
    assert any(r["where"].startswith(OTHER) for r in widened)


def test_a_release_page_searches_its_own_version_first(browser_page, site_url):
    page = browser_page
    page.goto(site_url + "mini/0.2.0/labels/first_label/")
    found = search(page, "quagga")
    assert site_url + "mini/0.2.0/labels/first_label/" in [r["href"] for r in found]
    assert page.locator("#lb-search select[name=version]").input_value() == "0.2.0"


def test_a_two_letter_word_is_found(browser_page, site_url):
    page = browser_page
    page.goto(site_url + "mini/")
    found = search(page, "jk")
    assert site_url + "mini/labels/first_label/" in [r["href"] for r in found]
    assert "jk" in page.locator(".lb-search__excerpt mark").all_inner_texts()[0].lower()


def test_the_search_is_reached_by_keyboard_and_named(browser_page, site_url):
    page = browser_page
    page.goto(site_url + "mini/definitions/")
    button = page.get_by_role("button", name="Search", exact=True)
    assert button.is_visible()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "lb-search-input"
    assert page.get_by_role("dialog", name="Search the guidelines").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#lb-search").evaluate("d => d.open")
    # Tab from the top of the page reaches the button.
    page.goto(site_url + "mini/definitions/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('lb-search-open')"):
            break
    else:
        pytest.fail("ten presses of Tab did not reach the search button")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "lb-search-input"
    page.keyboard.press("Escape")  # the dialog gives the focus back to the button that opened it
    assert page.evaluate("document.activeElement.classList.contains('lb-search-open')")


@pytest.mark.parametrize("browser_page", [{"width": 390, "height": 844}], indirect=True)
def test_the_search_fits_a_phone(browser_page, site_url):
    page = browser_page
    page.goto(site_url + "mini/labels/first_label/")
    found = search(page, "observable")
    assert found
    box = page.locator("#lb-search").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.locator("#lb-search").evaluate("d => d.scrollWidth <= d.clientWidth")
    assert page.locator(".lb-search__result a").first.is_visible()


def test_the_index_holds_each_page_once_and_leaves_out_what_is_not_for_search(browser_page, site, site_url):
    page = browser_page
    page.goto(site_url)
    indexed = page.evaluate("""async () => {
        const pagefind = await import('/search/pagefind.js');
        await pagefind.options({baseUrl: '/'});
        const all = await pagefind.search(null, {filters: {}});
        const pages = await Promise.all(all.results.map(r => r.data()));
        return pages.map(p => p.url);
    }""")
    def address(page: Path) -> str:
        return "/" if page.parent == site else "/" + page.parent.relative_to(site).as_posix() + "/"

    # Every page that carries its text for the index, once: a release under its version,
    # never again under latest/.
    marked = sorted(address(p) for p in site.rglob("index.html")
                    if "data-pagefind-body" in p.read_text(encoding="utf-8") and "latest" not in p.parts)
    assert sorted(indexed) == marked
    for expected in ("/", "/mini/labels/first_label/", "/mini/0.1.0/labels/first_label/",
                     "/mini/0.2.0/labels/first_label/", "/mini/1.0.0/labels/first_label/",
                     "/other/labels/first_label/", "/other/0.2.0/labels/first_label/"):
        assert expected in indexed
    # The compare page repeats every change: it is not searched, in the working copy or a release.
    assert (site / "mini/compare/index.html").is_file() and (site / "mini/latest/index.html").is_file()
    assert not [a for a in indexed if "/compare/" in a or "/latest/" in a]


def test_one_search_fetches_under_300_kb(site, chromium):  # noqa: F811 - the imported fixture
    details: list[tuple[str, int]] = []
    payload = search_payload(site, "observable", "mini/labels/first_label/", details=details, browser=chromium)
    fetched = [url for url, _ in details]
    # It loaded the dialog and Pagefind, searched the index and showed results.
    for part in ("assets/lb-search.js", "search/pagefind.js", "search/wasm.en.pagefind", "search/index/",
                 "search/fragment/"):
        assert any(url.startswith(part) for url in fetched), (part, fetched)
    assert payload < 300_000, details
    assert search_payload(site, "observable", "mini/labels/first_label/", typed=True, browser=chromium) < 300_000


def test_the_index_is_the_same_bytes_wherever_it_is_built(site, tmp_path):
    copies = []
    for name in ("one", "another-place"):
        copy = tmp_path / name / "site"
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns("search"))
        index_site(copy)
        copies.append({p.relative_to(copy / "search").as_posix(): p.read_bytes()
                       for p in sorted((copy / "search").rglob("*")) if p.is_file()})
    original = {p.relative_to(site / "search").as_posix(): p.read_bytes()
                for p in sorted((site / "search").rglob("*")) if p.is_file()}
    assert copies[0] == copies[1] == original


def test_a_failing_indexer_stops_the_build_with_what_to_do(site, tmp_path, monkeypatch):
    import generator.search_index as search_index

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    monkeypatch.setattr(search_index, "pagefind_executable", lambda: Path("/bin/false"))
    with pytest.raises(BuildFault) as failed:
        index_site(copy)
    assert failed.value.message == "indexing the site for search failed (pagefind exited with status 1)"
    assert failed.value.hint == ("run `labelbook build` again; if it fails the same way, install labelbook's "
                                 "dependencies again: pip install 'pagefind-bin>=1.5.2,<1.6'")

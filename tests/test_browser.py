"""The built site in a real browser (Debian's Chromium through Playwright): search, the
decision tree's links, the printed quick reference card, spec text that must stay text,
and a console free of errors on every page."""

from __future__ import annotations

import io
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urldefrag

import pytest
import yaml
from pypdf import PdfReader

from browser import chromium, example_site_url, serve_folder  # noqa: F401 - fixtures used by name
from conftest import REPO, build_project, make_project
from generator.load import load_guidelines

TIMEOUT_MS = 15_000
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def guidelines():
    result = load_guidelines([REPO / "specs"])
    assert result.ok and result.guidelines, result.report
    return {g.id: g for g in result.guidelines}


@pytest.fixture
def page(chromium):  # noqa: F811 - the imported fixture
    context = chromium.new_context(viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def site_pages(site: Path) -> list[str]:
    """Every page of a built site, as addresses relative to its root ('' is the home page)."""
    pages = sorted("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/"
                   for p in site.rglob("index.html"))
    if (site / "404.html").exists():
        pages.append("404.html")
    return pages


def heading(page) -> str:
    """The page's h1 as a reader sees it, without the permalink sign."""
    return page.locator(".md-content h1").first.inner_text().replace("¶", "").strip()


def search(page, query: str) -> list[str]:
    """Open the search dialog from the header, type query; the absolute addresses of the
    results (the dialog searches the page's own guideline and version first)."""
    page.get_by_role("button", name="Search", exact=True).click()
    page.fill("#lb-search-input", query)
    page.wait_for_function("""q => document.querySelector('.lb-search__results').getAttribute('aria-busy') === 'false'
        && document.querySelector('.lb-search__status').textContent.includes('for “' + q + '”')""", arg=query)
    return page.eval_on_selector_all(".lb-search__result a", "els => els.map(e => e.href)")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]{6,}", text.lower())


def rare_definition_word(label, index: list[str]) -> str:
    """The word of the label's definition found in the fewest pages of the site."""
    counts = Counter(word for text in index for word in set(_words(text)))
    candidates = [w for w in dict.fromkeys(_words(label.definition)) if counts[w] > 0]
    assert candidates, f"no searchable word in the definition of {label.id}"
    return min(candidates, key=lambda w: counts[w])


# --- a. search -----------------------------------------------------------------------


def test_search_finds_a_label_by_a_word_of_its_definition(page, example_site, example_site_url, guidelines):
    index = [re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8")) for p in example_site.rglob("index.html")]
    for guideline in guidelines.values():
        label = guideline.taxonomy.labels[0]
        word = rare_definition_word(label, index)
        page.goto(example_site_url + f"{guideline.id}/")
        results = search(page, word)
        expected = example_site_url + f"{guideline.id}/labels/{label.id}/"
        # Result links may carry a section (#...).
        assert expected in [urldefrag(r).url.split("?")[0] for r in results], (
            f"searching {word!r} (from the definition of {guideline.id}/{label.id}) "
            f"did not list {expected}; results: {results}")


# --- b. decision tree ----------------------------------------------------------------


def test_clicking_a_label_node_of_the_decision_tree_opens_the_label(page, example_site_url, guidelines):
    for guideline in guidelines.values():
        page.goto(example_site_url + f"{guideline.id}/decision-tree/")
        tree_labels = [a.label for q in guideline.decision_tree.questions for a in q.answers if a.label]
        assert tree_labels, f"{guideline.id}: the decision tree ends in no label"
        label = guideline.label(tree_labels[0])
        node = page.locator(f'#tree-diagram svg a[*|href="../labels/{label.id}/"]').first
        node.click()
        page.wait_for_url(example_site_url + f"{guideline.id}/labels/{label.id}/")
        assert heading(page) == label.name


# --- c. the quick reference card on paper --------------------------------------------


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_quick_reference_card_prints_on_one_page(page, example_site_url, guidelines, paper):
    page.emulate_media(media="print")
    for guideline in guidelines.values():
        page.goto(example_site_url + f"{guideline.id}/quick-reference/")
        assert page.locator(".lb-card .lb-print").count() == 1
        pdf = PdfReader(io.BytesIO(page.pdf(format=paper)))
        assert len(pdf.pages) == 1, f"{guideline.id}: the quick reference card prints on {len(pdf.pages)} {paper} pages"
        # One page, and not because something was cut off: the whole card is on it.
        # Compared without white space: a name may wrap, even after a hyphen.
        printed = "".join(pdf.pages[0].extract_text().split())
        for expected in [label.name for label in guideline.taxonomy.labels] + [r.name for r in guideline.edge_cases.routes]:
            assert "".join(expected.split()) in printed, f"{guideline.id}: {expected!r} is missing from the {paper} print"


# --- d. spec text is text ------------------------------------------------------------

PAYLOAD = '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2">'


def plant(specs: Path, guideline_id: str) -> dict[str, list[str]]:
    """Put PAYLOAD into a label's name, definition and short line, one of its examples and
    a top rule's title. Returns {page address: the planted texts it must show literally}."""
    taxonomy_file, rules_file = specs / guideline_id / "taxonomy.yaml", specs / guideline_id / "edge_cases.yaml"
    taxonomy, rules = yaml.safe_load(taxonomy_file.read_text()), yaml.safe_load(rules_file.read_text())
    label = taxonomy["labels"][0]
    label["name"] = f"{label['name']} {PAYLOAD}"
    label["definition"] = f"{label['definition']} {PAYLOAD}"
    if label.get("short"):  # the card's one-line version of the definition, at most 160 characters
        label["short"] = f"{PAYLOAD} {label['short']}"[:160]
    example = label["examples"]["positive"][0]
    example["text"] = f"{PAYLOAD} {example['text']}"
    rule = next(r for r in rules["rules"] if r.get("top"))
    rule["title"] = f"{rule['title']} {PAYLOAD}"
    for path, data in [(taxonomy_file, taxonomy), (rules_file, rules)]:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000))
    return {
        f"{guideline_id}/labels/{label['id']}/": [label["name"], label["definition"], example["text"]],
        f"{guideline_id}/definitions/": [label["name"], label["definition"]],
        f"{guideline_id}/quick-reference/": [label["name"], label.get("short") or label["definition"], rule["title"]],
        f"{guideline_id}/edge-cases/": [rule["title"]],
        f"{guideline_id}/decision-tree/": [],  # the name is in the SVG, wrapped over several lines
        f"{guideline_id}/": [label["name"]],
    }


def test_html_planted_in_a_spec_is_shown_as_text_and_never_runs(page, tmp_path):
    guideline_id = "content-safety"
    specs = tmp_path / "specs"
    shutil.copytree(REPO / "specs" / guideline_id, specs / guideline_id)
    planted = plant(specs, guideline_id)
    project = make_project(tmp_path / "project", specs)
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr

    errors: list[str] = []  # a rendered <img src=x> would also show up here as a failed load
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    with serve_folder(project / "site") as base_url:
        for address, texts in planted.items():
            page.goto(base_url + address)
            assert page.evaluate("typeof window.__pwned") == "undefined", f"spec HTML ran on {address}"
            shown = " ".join(page.locator(".md-content").inner_text().split())
            for text in texts:
                assert " ".join(text.split()) in shown, f"{address}: {text!r} is not shown literally"
        # The search results show the same texts: still text there.
        page.goto(base_url + f"{guideline_id}/")
        assert search(page, "onerror")
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned") == "undefined", "spec HTML ran in the search results"
        assert page.locator("#lb-search img, #lb-search script").count() == 0
    assert not errors, "\n".join(errors)


# --- e. a clean console --------------------------------------------------------------


def test_no_console_errors_on_any_page(page, example_site, example_site_url):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{page.url}: console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: uncaught {error}"))
    addresses = site_pages(example_site)
    assert len(addresses) > 10
    for address in addresses:
        page.goto(example_site_url + address, wait_until="load")
        # Give the page's own scripts an idle moment to complain before leaving it.
        page.evaluate("() => new Promise(done => requestIdleCallback(done, {timeout: 250}))")
    page.wait_for_timeout(300)
    assert not problems, f"{len(problems)} browser errors:\n" + "\n".join(problems)

"""Every release stays online: its own pages at /<guideline>/<version>/, the newest also at
/latest/, a versions.json for the selector, a banner on older versions, and a cache so
that adding a release does not rebuild the others."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from browser import chromium, serve_folder  # noqa: F401 - the fixture is used by name
from conftest import run_labelbook
from gitrepo import ScriptedRepo

NARROWER = ('    definition: "A short definition in observable terms"',
            '    definition: "A narrower definition in observable terms"')
DECLARED = """  - type: definition
    summary: Narrowed the first label
    rationale: Raters split on borderline posts
    relabel_impact: {relabel: affected}
    labels: [first_label]"""


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> ScriptedRepo:
    repo = ScriptedRepo(tmp_path_factory.mktemp("releases") / "repo")
    repo.edit("taxonomy.yaml", *NARROWER)
    repo.set_version("0.2.0", DECLARED)
    repo.commit("Narrow the first label (#4)", author="Ada Auditor <ada@example.org>")
    repo.edit("taxonomy.yaml", '"Which inclusion criteria it meets"', '"Meets inclusion criterion 1"')
    repo.commit("Explain an example")  # unreleased
    result = run_labelbook("build", cwd=repo.root)
    assert result.returncode == 0, result.stderr
    assert re.findall(r"building mini (\S+)", result.stdout) == ["0.1.0", "0.2.0"]
    return repo


def html(repo: ScriptedRepo, address: str) -> str:
    return (repo.root / "site" / address / "index.html").read_text(encoding="utf-8")


def test_every_release_has_its_own_pages_and_latest_is_the_newest(released):
    site = released.root / "site/mini"
    for version in ("0.1.0", "0.2.0", "latest"):
        for address in ("", "labels/first_label/", "quick-reference/", "decision-tree/", "changelog/"):
            assert (site / version / address / "index.html").is_file(), (version, address)
    assert "A short definition in observable terms" in html(released, "mini/0.1.0/labels/first_label")
    assert "A narrower definition in observable terms" not in html(released, "mini/0.1.0/labels/first_label")
    assert "A narrower definition in observable terms" in html(released, "mini/latest/labels/first_label")
    # status: draft was never changed in guideline.yaml: released pages still say released.
    assert '<span class="lb-status lb-status--released">released</span>' in html(released, "mini/0.1.0")
    assert 'lb-status--draft' not in html(released, "mini/0.2.0/quick-reference")
    assert json.loads((site / "versions.json").read_text()) == [
        {"version": "0.2.0", "title": "0.2.0", "aliases": ["latest"]},
        {"version": "0.1.0", "title": "0.1.0", "aliases": []},
    ]


def test_release_pages_link_to_their_spec_at_the_release_commit(released):
    first = released.git("rev-list", "--max-parents=0", "HEAD").strip()
    page = html(released, "mini/0.1.0/labels/first_label")
    assert f'href="https://github.com/your-org/labeling-guidelines/blob/{first}/specs/mini/taxonomy.yaml"' in page


def test_release_pages_carry_the_selector_and_the_banner_to_the_same_page_in_latest(released):
    page = html(released, "mini/0.1.0/labels/first_label")
    assert '"version": {"default": "latest", "provider": "mike"}' in page
    banner = re.search(r'<div data-md-color-scheme="default" data-md-component="outdated" hidden>(.*?)</div>',
                       page, re.S).group(1)
    assert 'href="../../../latest/labels/first_label/"' in banner


def test_working_copy_links_to_every_release_and_shows_unreleased_changes(released):
    page = html(released, "mini/labels/first_label")
    assert '<a class="lb-version-link" href="../../0.2.0/labels/first_label/">0.2.0</a> (latest)' in page
    assert '<a class="lb-version-link" href="../../0.1.0/labels/first_label/">0.1.0</a>' in page
    assert "unreleased changes since 0.2.0" in page
    changelog = html(released, "mini/changelog")
    assert changelog.index('id="unreleased"') < changelog.index('id="v0-2-0"') < changelog.index('id="v0-1-0"')
    assert "Explain an example" in changelog
    assert "Narrowed the first label" in changelog and "Raters split on borderline posts" in changelog
    assert "Ada Auditor" in changelog and '<span class="lb-chip">#4</span>' in changelog


def test_label_history_says_what_a_label_meant_and_why(released):
    page = html(released, "mini/labels/first_label")
    history = page[page.index('id="history"'):]
    assert history.index("Since 0.2.0") < history.index("Since 0.1.0")
    assert "Ada Auditor" in history and "Narrowed the first label: Raters split on borderline posts" in history


def test_recent_releases_page_lists_all_guidelines(released):
    page = html(released, "releases")
    assert page.index(">0.2.0<") < page.index(">0.1.0<")


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return h.hexdigest()


def test_a_new_release_builds_only_itself(tmp_path):
    repo = ScriptedRepo(tmp_path / "repo")
    repo.set_version("0.1.1", "  - type: clarification\n    summary: s\n    rationale: r\n"
                              "    relabel_impact: {relabel: none}")
    repo.commit("Release 0.1.1")
    assert re.findall(r"building mini (\S+)", run_labelbook("build", cwd=repo.root).stdout) == ["0.1.0", "0.1.1"]
    before = digest(repo.root / "site/mini/0.1.0")
    repo.set_version("0.1.2", "  - type: clarification\n    summary: s2\n    rationale: r2\n"
                              "    relabel_impact: {relabel: none}")
    repo.commit("Release 0.1.2")
    result = run_labelbook("build", cwd=repo.root)
    assert result.returncode == 0
    assert re.findall(r"building mini (\S+)", result.stdout) == ["0.1.2"]
    assert digest(repo.root / "site/mini/0.1.0") == before


def test_in_a_browser_an_older_version_shows_the_selector_and_a_banner_to_the_newest(released, chromium):  # noqa: F811
    with serve_folder(released.root / "site") as base:
        context = chromium.new_context()
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + "mini/0.1.0/labels/first_label/")
        page.wait_for_selector(".md-version__current")
        assert page.inner_text(".md-version__current").strip() == "0.1.0"
        assert [t.strip() for t in page.locator(".md-version__link").all_inner_texts()] == ["0.2.0", "0.1.0"]
        banner = page.locator('[data-md-component="outdated"]')
        banner.wait_for(state="visible")
        banner.locator("a").click()
        page.wait_for_url(base + "mini/latest/labels/first_label/")
        assert "A narrower definition in observable terms" in page.inner_text("article")
        page.wait_for_selector(".md-version__current")
        assert not page.locator('[data-md-component="outdated"]').is_visible()
        assert errors == []
        context.close()

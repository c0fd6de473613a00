"""The working copy is built in parts (the root pages, each guideline) with a cache per
part: an edit rebuilds only the guideline it touches, and the site is then byte for byte
the site a clean build of the same project gives; a failing guideline is named and leaves
the previous site; any number of workers gives the same bytes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import REPO, run_labelbook
from generator.site import generate_guideline_site
from gitrepo import ScriptedRepo

DEFINITION = ('"A short definition in observable terms"', '"An edited definition in observable terms"')
ROOT = "the site's root pages"


def two_guidelines(root: Path) -> ScriptedRepo:
    """A project in git holding two guidelines, mini and other (a copy under its own id)."""
    repo = ScriptedRepo(root)
    repo.copy_folder("mini", "other")
    repo.commit("Add the other guideline")
    return repo


def built_parts(stdout: str) -> list[str]:
    """The parts of the working copy an engine built, from the lines the build prints."""
    return sorted(re.findall(r"^building (?:the working copy of (\S+)|(the site's root pages))$", stdout, re.M))


def parts(*names: str) -> list[tuple[str, str]]:
    return sorted(("", ROOT) if name == ROOT else (name, "") for name in names)


def site_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def clean_copy(project: Path, to: Path) -> Path:
    """The project with its history and working tree, without its site or build cache."""
    shutil.copytree(project, to, ignore=shutil.ignore_patterns("site", ".labelbook-cache", ".site.*"))
    return to


def build(project: Path, *args: str) -> str:
    result = run_labelbook("build", *args, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_an_edit_rebuilds_only_its_guideline_and_gives_the_clean_build_bytes(tmp_path):
    repo = two_guidelines(tmp_path / "repo")
    assert built_parts(build(repo.root)) == parts(ROOT, "mini", "other")
    assert built_parts(build(repo.root)) == []  # nothing changed: every part from the cache

    repo.edit("taxonomy.yaml", *DEFINITION, guideline="other")
    assert built_parts(build(repo.root)) == parts("other")
    page = (repo.root / "site/other/labels/first_label/index.html").read_text()
    assert "An edited definition in observable terms" in page
    clean = clean_copy(repo.root, tmp_path / "clean")
    assert built_parts(build(clean)) == parts(ROOT, "mini", "other")
    assert site_bytes(repo.root / "site") == site_bytes(clean / "site")

    # A commit dates the committed guideline's pages (the sitemap) and the root's, not the others'.
    repo.commit("Edit the other guideline")
    assert built_parts(build(repo.root)) == parts(ROOT, "other")
    again = clean_copy(repo.root, tmp_path / "again")
    build(again)
    assert site_bytes(repo.root / "site") == site_bytes(again / "site")


def test_a_failing_guideline_is_named_and_the_previous_site_stays(tmp_path):
    repo = two_guidelines(tmp_path / "repo")
    build(repo.root)
    before = site_bytes(repo.root / "site")
    repo.edit("taxonomy.yaml", "mode: exclusive", "mode: exclusiv", guideline="other")
    result = run_labelbook("build", cwd=repo.root)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert ("ERROR   -  specs/other/taxonomy.yaml:2:7: error[invalid-value]: mode 'exclusiv' is not one of: "
            "exclusive, multi; did you mean 'exclusive'?") in lines
    assert "error: building the working copy of other failed" in lines
    assert lines[-1] == "error: the site build failed; site/ was left as it was"
    assert "Traceback" not in result.stderr
    assert not any("specs/mini/" in line for line in lines)
    assert site_bytes(repo.root / "site") == before
    leftovers = [p.name for p in repo.root.iterdir() if p.name.startswith((".site.building", ".labelbook-release-"))]
    assert leftovers == []
    assert not list((repo.root / ".labelbook-cache").rglob("*.partial-*"))


def test_one_and_two_workers_give_the_same_bytes(tmp_path):
    one, two = two_guidelines(tmp_path / "one"), two_guidelines(tmp_path / "two")
    build(one.root, "--jobs", "1")
    build(two.root, "--jobs", "2")
    assert site_bytes(one.root / "site") == site_bytes(two.root / "site")


def test_the_parts_tie_together_in_one_site(tmp_path):
    repo = two_guidelines(tmp_path / "repo")
    build(repo.root)
    site = repo.root / "site"
    # The home page and the assets are the root's; each guideline's build adds its pages only.
    home = (site / "index.html").read_text()
    assert '<a href="mini/">Mini guideline</a>' in home and '<a href="other/">Mini guideline</a>' in home
    for gid in ("mini", "other"):
        assert not (site / gid / "assets").exists() and not (site / gid / "search").exists()
        assert not (site / gid / "404.html").exists() and not (site / gid / "sitemap.xml").exists()
        page = (site / gid / "definitions/index.html").read_text()
        assert 'href="../../assets/labelbook.css"' in page
        assert re.search(r'<a href="\.\./\.\." class="md-nav__link', page)  # back to the home page
        assert f"{gid}/labels/first_label/</loc>" in (site / "sitemap.xml").read_text()
    # One search index at most, holding the pages of every part.
    indexes = [p.relative_to(site).as_posix() for p in site.rglob("search_index.json")
               if not re.match(r"[^/]+/(\d|latest)", p.relative_to(site).as_posix())]
    assert indexes in ([], ["search/search_index.json"])
    if indexes:
        text = (site / indexes[0]).read_text()
        assert '"location":"mini/definitions/"' in text and '"location":"other/definitions/"' in text


def test_a_guideline_part_reads_only_its_own_specs(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(REPO / "tests/fixtures/specs", project / "specs")
    shutil.copytree(project / "specs/mini", project / "specs/broken")
    (project / "specs/broken/taxonomy.yaml").write_text("mode: [unreadable\n")
    build_ = generate_guideline_site(project, "mini")
    assert build_.site is not None and build_.report.errors == []
    paths = [page.path for page in build_.site.pages]
    assert paths[0] == "index.md"  # the stand-in for the root's home page
    assert all(path.startswith("mini/") for path in paths[1:]) and "mini/definitions.md" in paths
    assert build_.site.nav[0] == ("Guidelines", "index.md")
    assert [title for title, _ in build_.site.nav[1:]] == ["Mini guideline"]


def test_a_release_built_after_a_cached_part_in_the_same_worker(tmp_path):
    # The engine keeps one plugin instance per worker process: a part found in the cache
    # (its pages generated, its engine run skipped) must not lend its pages to the next job.
    repo = two_guidelines(tmp_path / "repo")
    build(repo.root, "--jobs", "1")
    before = site_bytes(repo.root / "site")
    shutil.rmtree(repo.root / ".labelbook-cache/releases")
    out = build(repo.root, "--jobs", "1")
    assert built_parts(out) == []
    assert sorted(re.findall(r"^building (\S+ \S+) \(released", out, re.M)) == ["mini 0.1.0", "other 0.1.0"]
    assert site_bytes(repo.root / "site") == before

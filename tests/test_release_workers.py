"""Release builds in long-lived engine workers (labelbook_mkdocs.batch): the same site
whatever the number of workers, each release built once, and a failing release reported
with nothing left behind."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_labelbook
from generator.render.pages import PAGE_TEMPLATES
from gitrepo import ScriptedRepo

DEFINITIONS = ['"A short definition in observable terms"', '"A narrower definition in observable terms"',
               '"The narrowest definition in observable terms"']


def declared(n: int) -> str:
    return f"""  - type: definition
    summary: Narrowed the first label ({n})
    rationale: Raters split on borderline posts
    relabel_impact: {{relabel: affected}}
    labels: [first_label]"""


def three_releases(root: Path) -> ScriptedRepo:
    repo = ScriptedRepo(root)  # mini 0.1.0
    for n, version in ((1, "0.2.0"), (2, "0.3.0")):
        repo.edit("taxonomy.yaml", DEFINITIONS[n - 1], DEFINITIONS[n])
        repo.set_version(version, declared(n))
        repo.commit(f"Narrow the first label ({n})")
    return repo


def site_bytes(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_any_number_of_workers_builds_the_same_site_each_release_once(tmp_path):
    one, two = three_releases(tmp_path / "one"), three_releases(tmp_path / "two")
    first = run_labelbook("build", "--jobs", "1", cwd=one.root)
    assert first.returncode == 0, first.stderr
    second = run_labelbook("build", "--jobs", "2", cwd=two.root)
    assert second.returncode == 0, second.stderr
    for result in (first, second):
        assert sorted(re.findall(r"building mini (\S+)", result.stdout)) == ["0.1.0", "0.2.0", "0.3.0"]
    assert site_bytes(one.root / "site") == site_bytes(two.root / "site")
    assert "narrowest" not in (two.root / "site/mini/0.2.0/labels/first_label/index.html").read_text()
    again = run_labelbook("build", "--jobs", "2", cwd=two.root)
    assert again.returncode == 0 and "building" not in again.stdout  # all cached


def test_a_failing_release_is_named_and_leaves_the_site_and_nothing_else(tmp_path):
    repo = three_releases(tmp_path / "repo")
    assert run_labelbook("build", cwd=repo.root).returncode == 0
    before = site_bytes(repo.root / "site")
    # A project's template that fails for the oldest release only (the others build).
    template = repo.root / "site_templates/pages/label.md.j2"
    template.parent.mkdir(parents=True)
    template.write_text((PAGE_TEMPLATES / "label.md.j2").read_text()
                        + '{% if g.version == "0.1.0" %}{{ g.nope }}{% endif %}\n')
    result = run_labelbook("build", "--jobs", "2", cwd=repo.root)
    assert result.returncode == 1
    assert "error: building mini 0.1.0 failed" in result.stderr.splitlines()
    assert result.stderr.splitlines()[-1] == "error: the site build failed; site/ was left as it was"
    assert "Traceback" not in result.stderr
    assert site_bytes(repo.root / "site") == before
    leftovers = [p.name for p in repo.root.iterdir() if p.name.startswith((".site.building", ".labelbook-release-"))]
    assert leftovers == []
    assert not list((repo.root / ".labelbook-cache").rglob("*.partial-*"))


def test_jobs_must_be_a_positive_whole_number(tmp_path):
    result = run_labelbook("build", "--jobs", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "labelbook build: error: argument --jobs: '0' is not a whole number of at least 1")

"""The site builds with either engine from the same mkdocs.yml and the same plugin:
MkDocs 1.6 (the default) and ProperDocs, its continuation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_labelbook
from gitrepo import ScriptedRepo

DECLARED = """  - type: definition
    summary: Narrowed the first label
    rationale: Raters split on borderline posts
    relabel_impact: {relabel: affected}
    labels: [first_label]"""

GENERATOR_META = re.compile(rb'<meta name="generator" content="[^"]*">')


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> ScriptedRepo:
    """A project with two releases of the mini guideline, so release builds run too."""
    repo = ScriptedRepo(tmp_path_factory.mktemp("engines") / "repo")  # mini 0.1.0
    repo.edit("taxonomy.yaml", '"A short definition in observable terms"',
              '"A narrower definition in observable terms"')
    repo.set_version("0.2.0", DECLARED)
    repo.commit("Narrow the first label")
    return repo


def pages(site: Path) -> dict[str, bytes]:
    # Each engine names itself in a meta tag; everything else must be the same bytes.
    return {str(p.relative_to(site)): GENERATOR_META.sub(b"", p.read_bytes())
            for p in sorted(site.rglob("*.html"))}


def test_properdocs_builds_the_same_site_as_mkdocs(released):
    mkdocs = run_labelbook("build", "--site-dir", "site-mkdocs", cwd=released.root)
    assert mkdocs.returncode == 0, mkdocs.stderr
    properdocs = run_labelbook("build", "--engine", "properdocs", "--site-dir", "site-properdocs", cwd=released.root)
    assert properdocs.returncode == 0, properdocs.stderr
    built = pages(released.root / "site-properdocs")
    assert "mini/0.1.0/index.html" in built and "mini/0.2.0/index.html" in built
    assert built == pages(released.root / "site-mkdocs")
    home = (released.root / "site-properdocs/index.html").read_text()
    assert "ProperDocs" in home


def test_the_engine_can_be_chosen_in_mkdocs_yml(released, tmp_path):
    config = (released.root / "mkdocs.yml").read_text()
    other = released.root / "mkdocs-properdocs.yml"
    other.write_text(config.replace("  - labelbook", "  - labelbook:\n      engine: properdocs", 1))
    result = run_labelbook("build", "--config", other.name, "--site-dir", str(tmp_path / "site"), cwd=released.root)
    assert result.returncode == 0, result.stderr
    assert "ProperDocs" in (tmp_path / "site/index.html").read_text()


def test_an_unknown_engine_in_the_environment_is_a_usage_error(released):
    result = run_labelbook("build", cwd=released.root, env={"LABELBOOK_ENGINE": "sphinx"})
    assert result.returncode == 2
    assert result.stderr == "error: unknown site engine 'sphinx'\nhint: choose one of: mkdocs, properdocs\n"

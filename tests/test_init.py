"""`labelbook init`: a guidelines repository that builds as it is, written once, and a
project's own templates replacing packaged ones by name."""

from __future__ import annotations

import json

import yaml

from conftest import FIXTURES, build_project, make_project, run_labelbook
from generator.spec import SPEC_FILES

WRITTEN = [".github/workflows/guidelines.yml", ".gitignore", ".pre-commit-config.yaml", ".vscode/extensions.json",
           ".vscode/settings.json", "README.md", "mkdocs.yml"] + sorted(
    f"schemas/{name.removesuffix('.yaml')}.schema.json" for name in SPEC_FILES)


def test_init_writes_a_repository_that_checks_and_builds(tmp_path):
    result = run_labelbook("init", "repo", "--guideline", "toxicity", "--site-name", "Trust & Safety", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    repo = tmp_path / "repo"
    assert result.stdout.splitlines() == (["wrote repo/specs/toxicity/"] + [f"wrote repo/{p}" for p in sorted(WRITTEN)]
                                          + ["next: cd repo && labelbook serve   # then open http://127.0.0.1:8000"])
    assert sorted(p.name for p in (repo / "specs/toxicity").iterdir()) == sorted(SPEC_FILES)
    config = (repo / "mkdocs.yml").read_text()
    assert 'site_name: "Trust & Safety"' in config
    assert "  - labelbook" in config
    settings = json.loads((repo / ".vscode/settings.json").read_text())
    assert settings["yaml.schemas"]["./schemas/taxonomy.schema.json"] == "specs/**/taxonomy.yaml"
    assert all((repo / schema.lstrip("./")).is_file() for schema in settings["yaml.schemas"])
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["hooks"][0]["entry"] == "labelbook check --strict"
    assert "site/" in (repo / ".gitignore").read_text().splitlines()

    check = run_labelbook("check", cwd=repo)
    assert check.returncode == 0 and check.stdout.endswith("0 errors, 133 warnings\n")
    build = build_project(repo)  # outside git: no releases, one warning, a site
    assert build.returncode == 0, build.stderr
    assert (repo / "site/toxicity/definitions/index.html").is_file()


def test_init_again_overwrites_nothing_and_says_what_it_skipped(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").write_text("# Our own README\n")
    first = run_labelbook("init", cwd=repo)
    assert first.returncode == 0
    assert "skipped README.md: it exists and was left as it was" in first.stdout.splitlines()
    assert (repo / "README.md").read_text() == "# Our own README\n"
    (repo / "mkdocs.yml").write_text((repo / "mkdocs.yml").read_text() + "# edited\n")
    again = run_labelbook("init", cwd=repo)
    assert again.returncode == 0
    assert again.stdout.splitlines() == (["skipped specs/: it already holds guidelines"]
                                         + [f"skipped {p}: it exists and was left as it was" for p in sorted(WRITTEN)])
    assert (repo / "mkdocs.yml").read_text().endswith("# edited\n")


def test_init_into_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    result = run_labelbook("init", "notes.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("error: notes.txt is not a folder\n"
                             "hint: give a new or existing folder, e.g. labelbook init my-guidelines\n")


def test_a_project_template_replaces_the_packaged_one_by_name(tmp_path):
    project = make_project(tmp_path / "p", FIXTURES / "specs")
    pages = project / "site_templates/pages"
    pages.mkdir(parents=True)
    (pages / "home.md.j2").write_text("# Our guidelines\n\nAsk #labeling-help first.\n")
    overrides = project / "site_templates/overrides"
    overrides.mkdir(parents=True)
    (overrides / "main.html").write_text('{% extends "base.html" %}\n'
                                         '{% block announce %}Team notice{% endblock %}\n')
    result = build_project(project)
    assert result.returncode == 0, result.stderr
    home = (project / "site/index.html").read_text()
    assert "Ask #labeling-help first." in home and "Team notice" in home
    label = (project / "site/mini/index.html").read_text()
    assert "Team notice" in label and "assets/labelbook.css" in label

"""`labelbook diff` in scripted repositories: what it reports and when it fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_labelbook
from gitrepo import ScriptedRepo

NARROWER = ('      - "An inclusion criterion"', '      - "A narrower inclusion criterion"')
DECLARED = """  - type: {kind}
    summary: Narrowed the first label
    rationale: Raters split on borderline posts
    relabel_impact: {{relabel: affected}}
    labels: [first_label]"""


@pytest.fixture
def repo(tmp_path: Path) -> ScriptedRepo:
    return ScriptedRepo(tmp_path / "repo")


def diff(repo, *args):
    return run_labelbook("diff", "--base", "HEAD", *args, cwd=repo.root)


def test_no_change_passes(repo):
    result = diff(repo)
    assert result.returncode == 0
    assert "No guideline changed between `HEAD` and `working tree`." in result.stdout


def test_content_changed_without_a_version_bump_fails(repo):
    repo.edit("taxonomy.yaml", *NARROWER)
    result = diff(repo)
    assert result.returncode == 1
    assert result.stdout.splitlines()[1] == "## Guideline changes: needs attention"
    assert "| `mini` | 0.1.0 → 0.1.0 | definition | none | minor | none | ❌ |" in result.stdout
    assert ("**mini**: to fix, set version: 0.2.0 and add one `changes` entry with type: definition in "
            "guideline.yaml. Details: the content changed but the version is still 0.1.0: a minor bump is "
            "required (0.2.0); a definition change was detected") in result.stdout


def test_a_bump_smaller_than_required_fails(repo):
    repo.edit("taxonomy.yaml", *NARROWER)
    repo.set_version("0.1.1", DECLARED.format(kind="definition"))
    result = diff(repo)
    assert result.returncode == 1
    assert "a patch bump (0.1.0 -> 0.1.1) is smaller than the minor bump these changes require (0.2.0)" in result.stdout


def test_an_undeclared_change_type_fails(repo):
    repo.edit("taxonomy.yaml", *NARROWER)
    repo.set_version("0.2.0")
    result = diff(repo, "--format", "json")
    assert result.returncode == 1
    [guideline] = json.loads(result.stdout)["guidelines"]
    assert guideline["problems"] == [
        "a definition change was detected but guideline.yaml declares no change of that type: "
        "add a `changes` entry with type: definition"]


def test_the_right_bump_and_declaration_pass(repo):
    repo.edit("taxonomy.yaml", *NARROWER)
    repo.set_version("0.2.0", DECLARED.format(kind="definition"))
    result = diff(repo, "--format", "json")
    assert result.returncode == 0, result.stdout
    payload = json.loads(result.stdout)
    assert payload["ok"] is True
    [g] = payload["guidelines"]
    assert (g["id"], g["old_version"], g["new_version"], g["required_bump"], g["made_bump"]) == (
        "mini", "0.1.0", "0.2.0", "minor", "minor")
    assert g["declared_types"] == ["definition"] and g["detected_types"] == ["definition"]
    assert [(c["subject"], c["what"], c["type"]) for c in g["changes"]] == [
        ("label first_label", "include criterion added", "definition"),
        ("label first_label", "include criterion removed", "definition")]


def test_committed_revisions_and_a_rename_with_label_map(repo):
    base = repo.git("rev-parse", "HEAD").strip()
    repo.edit("taxonomy.yaml", "  - id: second_label\n", "  - id: other_label\n    replaces: [second_label]\n")
    repo.edit("taxonomy.yaml", "priority: [first_label, second_label,", "priority: [first_label, other_label,")
    repo.edit("decision_tree.yaml", "        label: second_label", "        label: other_label")
    repo.set_version("1.0.0", DECLARED.format(kind="taxonomy").replace("[first_label]", "[other_label]"))
    head = repo.commit("Rename second_label (#3)")
    result = run_labelbook("diff", "--base", base, "--head", head, "--format", "json", cwd=repo.root)
    assert result.returncode == 0, result.stdout
    [g] = json.loads(result.stdout)["guidelines"]
    assert g["label_map"]["second_label"] == ["other_label"]
    assert g["required_bump"] == "major" and g["made_bump"] == "major"
    markdown = run_labelbook("diff", "--base", base, "--head", head, cwd=repo.root).stdout
    assert "- `second_label` → `other_label`" in markdown
    assert "<details><summary><code>mini</code>:" in markdown


def test_a_new_guideline_is_listed_and_passes(repo):
    repo.copy_folder("mini", "mini-two")
    result = diff(repo, "--format", "json")
    assert result.returncode == 0
    [g] = json.loads(result.stdout)["guidelines"]
    assert (g["id"], g["old_version"], g["new_version"]) == ("mini-two", None, "0.1.0")


def test_an_unknown_base_is_a_usage_error(repo):
    result = run_labelbook("diff", "--base", "nope", cwd=repo.root)
    assert result.returncode == 2
    assert result.stderr.startswith("error: unknown revision 'nope'\n")


def test_changes_declared_for_an_earlier_version_do_not_cover_a_new_change(repo):
    repo.edit("taxonomy.yaml", *NARROWER)
    repo.set_version("0.2.0", DECLARED.format(kind="clarification"))
    repo.commit("Release 0.2.0")
    repo.edit("taxonomy.yaml", '      - "A narrower inclusion criterion"', '      - "An even narrower criterion"')
    repo.edit("guideline.yaml", "version: 0.2.0", "version: 0.2.1")
    result = diff(repo, "--format", "json")
    assert result.returncode == 1
    [g] = json.loads(result.stdout)["guidelines"]
    assert g["declared_types"] == [] and g["detected_types"] == ["definition"]
    assert all(c["declared_reason"] is None for c in g["changes"])


def test_releasing_a_pre_released_major_with_a_definition_change_passes(repo):
    repo.set_version("2.0.0-rc.1")
    repo.commit("Pre-release 2.0.0-rc.1")
    repo.edit("taxonomy.yaml", *NARROWER)
    repo.set_version("2.0.0", DECLARED.format(kind="definition"))
    result = diff(repo)
    assert result.returncode == 0, result.stdout
    assert "| `mini` | 2.0.0-rc.1 → 2.0.0 | definition | definition | minor | major | ✅ |" in result.stdout


def test_a_rename_asks_for_one_entry_of_the_highest_type_and_states_the_fix(repo):
    # A rename (taxonomy) with a narrowed definition (definition) and reworded example
    # (clarification): one taxonomy entry covers all three.
    repo.edit("taxonomy.yaml", "  - id: second_label\n", "  - id: second_kind\n    replaces: [second_label]\n")
    repo.edit("decision_tree.yaml", "label: second_label", "label: second_kind")
    repo.edit("taxonomy.yaml", "priority: [first_label, second_label,", "priority: [first_label, second_kind,")
    repo.edit("taxonomy.yaml", *NARROWER)
    repo.edit("taxonomy.yaml", '"Which inclusion criteria it meets"', '"Meets inclusion criterion 1"')
    result = diff(repo, "--format", "json")
    assert result.returncode == 1
    [guideline] = json.loads(result.stdout)["guidelines"]
    assert guideline["problems"] == [
        "the content changed but the version is still 0.1.0: a major bump is required (1.0.0)",
        "a taxonomy change was detected but guideline.yaml declares no change of that type: add a `changes` entry "
        "with type: taxonomy (it covers the clarification and definition changes too)"]
    assert guideline["fix"] == "set version: 1.0.0 and add one `changes` entry with type: taxonomy in guideline.yaml"
    markdown = diff(repo, "--format", "markdown").stdout
    assert ("**mini**: to fix, set version: 1.0.0 and add one `changes` entry with type: taxonomy in "
            "guideline.yaml. Details: ") in markdown


def test_terminal_output_is_plain_text(repo):
    repo.edit("taxonomy.yaml", '"A short definition in observable terms"',
              '"A narrower definition: age > 13 & <b>#12</b> by @mike"')
    text = diff(repo, "--format", "text").stdout
    # The changed words in place: [-deleted-] {+inserted+}, as `git diff --word-diff` writes them.
    assert ('  - definition: label first_label: definition changed: A [-short definition in observable terms-] '
            '{+narrower definition: age > 13 & <b>#12</b> by @mike+}') in text
    assert "&gt;" not in text and "&amp;" not in text and "<!--" not in text and "<details>" not in text
    assert "  fix: set version: 0.2.0 and add one `changes` entry with type: definition in guideline.yaml" in text

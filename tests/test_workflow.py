"""The pull-request workflow and the pre-commit hooks: valid, and running real commands."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, LABELBOOK, REPO, make_project, run_labelbook
from generator.cli import build_parser
from generator.init_repo import render_init_template
from generator.diagnostics import Report
from generator.yaml_source import load_yaml_text
from gitrepo import ScriptedRepo

WORKFLOW = REPO / ".github/workflows/guidelines.yml"


def workflow() -> dict:
    # Our loader keeps `on:` a key (YAML 1.1 loaders turn it into True).
    source = load_yaml_text(WORKFLOW.read_text(), str(WORKFLOW), Report())
    assert source is not None
    return source.data


def labelbook_commands(script: str) -> list[list[str]]:
    script = re.sub(r"\$\{\{[^}]*\}\}", "X", script).replace('"$id"', "content-safety")
    commands = []
    for line in script.splitlines():
        line = re.sub(r'"\w+=\$\((.*?)\)"', r"; \1 ;", line.split("#")[0])  # "key=$(command)" too
        for part in re.split(r"[;&|]+|\bthen\b|\bdo\b", line):
            words = shlex.split(part.replace(">", " > "))
            if "labelbook" in words:
                words = words[words.index("labelbook") + 1:]
                commands.append(words[: words.index(">")] if ">" in words else words)
    return commands


def test_workflow_runs_on_pull_requests_and_main_with_full_history():
    flow = workflow()
    assert set(flow["on"]) == {"pull_request", "push"}
    assert flow["on"]["push"]["branches"] == ["main"]
    steps = flow["jobs"]["check"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    assert flow["jobs"]["publish"]["needs"] == "check"
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in flow["jobs"]["publish"]["steps"])


def test_this_repository_runs_the_workflow_labelbook_init_writes():
    # One source: `labelbook init` renders it with the released package, this repository
    # installs itself from source.
    install = "python -m pip install -e '.[metrics]'"
    assert WORKFLOW.read_text() == render_init_template("workflow.yml.j2", install=install)


def test_the_release_cache_is_restored_and_saved_by_its_key():
    steps = workflow()["jobs"]["check"]["steps"]
    names = [s.get("name") for s in steps]
    key = steps[names.index("The release cache key")]
    cache = steps[names.index("Restore the released pages built before")]
    assert names.index("Restore the released pages built before") < names.index("Build the site")
    assert key["run"] == 'echo "key=$(labelbook build --cache-key)" >> "$GITHUB_OUTPUT"'
    # The key is computed for the same site address as the build, which it depends on.
    assert key["env"] == steps[names.index("Build the site")]["env"]
    assert cache["uses"] == "actions/cache@v4"
    assert cache["with"] == {
        "path": ".labelbook-cache",
        "key": "labelbook-releases-${{ steps.cache-key.outputs.key }}-${{ github.sha }}",
        "restore-keys": "labelbook-releases-${{ steps.cache-key.outputs.key }}-",
    }


def test_the_cache_key_follows_what_release_pages_depend_on(tmp_path):
    project = make_project(tmp_path / "p", FIXTURES / "specs")

    def key(*args: str, **env: str) -> str:
        result = run_labelbook("build", "--cache-key", *args, cwd=project, env=env)
        assert result.returncode == 0, result.stderr
        assert re.fullmatch(r"[0-9a-f]{20}\n", result.stdout)
        return result.stdout

    first = key()
    assert key() == first
    assert key("--engine", "properdocs") != first
    assert key(LABELBOOK_SITE_URL="https://example.org/guidelines/") != first
    override = project / "site_templates/pages/_stamp.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text("{# the team's own stamp #}\n")
    assert key() != first


def test_every_labelbook_step_is_a_real_command_with_real_options():
    runs = [s["run"] for s in workflow()["jobs"]["check"]["steps"] if "run" in s]
    commands = [c for run in runs for c in labelbook_commands(run)]
    assert [c[0] for c in commands] == ["check", "diff", "impact", "gate", "build", "build"]
    assert commands[4] == ["build", "--cache-key"]
    parser = build_parser()
    for command in commands:
        parser.parse_args(command)  # exits (failing the test) on an unknown command or option


def test_impact_step_appends_the_labeled_items_of_changed_guidelines_with_data(tmp_path):
    """The step's own script, run by bash -e as GitHub runs it, on a pull request that renames
    a label of a guideline with data; a copy with data that did not change is left out."""
    steps = workflow()["jobs"]["check"]["steps"]
    script = next(s for s in steps if s.get("name", "").startswith("Labeled items"))["run"]
    script = script.replace("${{ github.base_ref }}", "main")
    assert "${{" not in script
    repo = ScriptedRepo(tmp_path / "repo")
    repo.copy_folder("mini", "steady")
    for gid in ("mini", "steady"):
        folder = repo.root / "specs" / gid
        (folder / "data").mkdir()
        (folder / "data/annotations.csv").write_text("item,rater,label\ni1,r1,second_label\ni2,r1,first_label\n")
        with (folder / "datasheet.yaml").open("a") as stream:
            stream.write(f"data:\n  annotations: specs/{gid}/data/annotations.csv\n")
    repo.commit("Data for mini and steady")
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    repo.edit("taxonomy.yaml", "  - id: second_label\n", "  - id: other_label\n    replaces: [second_label]\n")
    repo.edit("taxonomy.yaml", "priority: [first_label, second_label,", "priority: [first_label, other_label,")
    repo.edit("decision_tree.yaml", "        label: second_label", "        label: other_label")
    (repo.root / "diff.md").write_text("<!-- labelbook-diff -->\n")
    env = dict(os.environ, PATH=f"{LABELBOOK.parent}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(["bash", "-e", "-c", script], cwd=repo.root, capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    comment = (repo.root / "diff.md").read_text()
    assert comment.startswith("<!-- labelbook-diff -->\n\n### Labeled items: `mini` 0.1.0 → 0.1.0\n")
    assert "| label second\\_label: renamed to other\\_label | migrate | 1 | 1 |" in comment
    assert "**Migration map** (old value → new value): second\\_label → other\\_label." in comment
    assert "`steady`" not in comment


def test_comment_step_updates_the_previous_comment():
    steps = workflow()["jobs"]["check"]["steps"]
    script = next(s for s in steps if s.get("uses", "").startswith("actions/github-script"))["with"]["script"]
    assert "<!-- labelbook-diff -->" in script and "updateComment" in script
    assert (REPO / "generator/report_templates/diff.md.j2").read_text().count("<!-- labelbook-diff -->") == 1


def test_pre_commit_hook_definition_runs_labelbook_check():
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "labelbook-check"
    assert hook["entry"].split()[:2] == ["labelbook", "check"]
    assert re.match(hook["files"], "specs/content-safety/taxonomy.yaml")
    [repo] = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())["repos"]
    assert repo["hooks"][0]["entry"].split()[1:3] == ["check", "--strict"]


@pytest.fixture
def hooked(tmp_path: Path) -> ScriptedRepo:
    repo = ScriptedRepo(tmp_path / "repo")
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    config["repos"][0]["hooks"][0]["entry"] = f"{LABELBOOK} check --strict"
    (repo.root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    repo.commit("Add pre-commit")
    return repo


def pre_commit(repo: ScriptedRepo, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    return subprocess.run([str(LABELBOOK.parent / "pre-commit"), "run", "--files", "specs/mini/taxonomy.yaml"],
                          cwd=repo.root, capture_output=True, text=True, env=env, timeout=300)


def test_pre_commit_fails_on_a_broken_spec_and_passes_on_a_good_one(hooked, tmp_path):
    assert pre_commit(hooked, tmp_path).returncode == 0
    hooked.edit("taxonomy.yaml", "mode: exclusive", "mode: exclusiv")
    result = pre_commit(hooked, tmp_path)
    assert result.returncode == 1
    assert "specs/mini/taxonomy.yaml:2:7: error[invalid-value]: mode 'exclusiv' is not one of" in result.stdout

"""`labelbook check` as a lead runs it: output formats, exit status, strictness, usage errors."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_labelbook


def break_status(project: Path) -> None:
    manifest = project / "specs/mini/guideline.yaml"
    manifest.write_text(manifest.read_text().replace("status: draft", "status: drafty"))


def test_clean_specs_exit_zero_with_a_count(mini_specs: Path):
    result = run_labelbook("check", cwd=mini_specs)
    assert (result.returncode, result.stdout, result.stderr) == (0, "1 guideline checked: no problems\n", "")


def test_an_error_is_printed_with_position_quoted_line_and_caret(mini_specs: Path):
    break_status(mini_specs)
    result = run_labelbook("check", "specs", cwd=mini_specs)
    assert result.returncode == 1
    assert result.stdout == (
        "specs/mini/guideline.yaml:5:9: error[invalid-value]: status 'drafty' is not one of: "
        "draft, pilot, production, retired; did you mean 'draft'?\n"
        "    5 | status: drafty\n"
        "      |         ^\n"
        "1 guideline checked: 1 error, 0 warnings\n"
    )


def test_json_format_for_tools(mini_specs: Path):
    break_status(mini_specs)
    result = run_labelbook("check", "--format", "json", cwd=mini_specs)
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["guidelines_checked"] == 1 and payload["errors"] == 1 and payload["warnings"] == 0
    assert payload["diagnostics"] == [{
        "path": "specs/mini/guideline.yaml", "line": 5, "col": 9, "severity": "error", "code": "invalid-value",
        "message": "status 'drafty' is not one of: draft, pilot, production, retired; did you mean 'draft'?",
        "hint": "",
    }]


def test_github_format_gives_workflow_annotations(mini_specs: Path):
    break_status(mini_specs)
    result = run_labelbook("check", "--format", "github", cwd=mini_specs)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "::error file=specs/mini/guideline.yaml,line=5,col=9,title=invalid-value::status 'drafty' is not one of: "
        "draft, pilot, production, retired; did you mean 'draft'?"
    )


def test_warnings_pass_unless_strict(mini_specs: Path):
    taxonomy = mini_specs / "specs/mini/taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("unknown_label: not_enough_info\n", ""))
    rules = mini_specs / "specs/mini/edge_cases.yaml"
    rules.write_text(rules.read_text().replace("      kind: unknown\n", "      kind: label\n      label: not_enough_info\n"))
    relaxed = run_labelbook("check", cwd=mini_specs)
    assert relaxed.returncode == 0
    assert relaxed.stdout.endswith("1 guideline checked: 0 errors, 1 warning\n")
    assert "warning[no-unknown-path]" in relaxed.stdout
    strict = run_labelbook("check", "--strict", cwd=mini_specs)
    assert strict.returncode == 1
    assert "error[no-unknown-path]" in strict.stdout
    assert strict.stdout.endswith("1 guideline checked: 1 error, 0 warnings\n")


def test_a_spec_file_path_checks_its_guideline(mini_specs: Path):
    result = run_labelbook("check", "specs/mini/taxonomy.yaml", cwd=mini_specs)
    assert (result.returncode, result.stdout) == (0, "1 guideline checked: no problems\n")


def test_missing_path_is_a_usage_error(mini_specs: Path):
    result = run_labelbook("check", "nope", cwd=mini_specs)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: no such file or folder: nope\n"
        "hint: pass the specs folder, a guideline folder or a spec file\n"
    )


def test_folder_without_guidelines_is_a_usage_error(tmp_path: Path):
    (tmp_path / "specs").mkdir()
    result = run_labelbook("check", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "error: no guideline folders under specs"


def test_unknown_option_is_a_usage_error(mini_specs: Path):
    result = run_labelbook("check", "--colour", cwd=mini_specs)
    assert result.returncode == 2
    assert "unrecognized arguments: --colour" in result.stderr


def test_missing_and_misnamed_files_are_reported(mini_specs: Path):
    folder = mini_specs / "specs/mini"
    (folder / "qa.yaml").rename(folder / "qa-plan.yaml")
    result = run_labelbook("check", cwd=mini_specs)
    assert result.returncode == 1
    headers = [line for line in result.stdout.splitlines() if line.startswith("specs/")]
    assert headers == [
        "specs/mini/qa-plan.yaml:1:1: error[unknown-file]: 'qa-plan.yaml' is not a spec file; did you mean 'qa.yaml'?",
        "specs/mini/qa.yaml:1:1: error[missing-file]: missing spec file qa.yaml",
    ]


def test_bare_command_lists_the_commands(tmp_path: Path):
    result = run_labelbook(cwd=tmp_path)
    assert result.returncode == 0
    for command in ("check", "new"):
        assert f"    {command} " in result.stdout


def test_every_command_help_shows_an_example(tmp_path: Path):
    for command in ("check", "new"):
        result = run_labelbook(command, "--help", cwd=tmp_path)
        assert result.returncode == 0
        assert "example" in result.stdout and f"labelbook {command}" in result.stdout


def test_no_traceback_without_debug(mini_specs: Path):
    (mini_specs / "specs/mini/taxonomy.yaml").write_text("labels: [\n")
    result = run_labelbook("check", cwd=mini_specs)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr

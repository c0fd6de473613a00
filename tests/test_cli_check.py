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


def plant_placeholders(project: Path) -> int:
    """TODO in 27 explanations of taxonomy.yaml and 2 rationales of edge_cases.yaml."""
    taxonomy = project / "specs/mini/taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace('explanation: "', 'explanation: "TODO '))
    rules = project / "specs/mini/edge_cases.yaml"
    rules.write_text(rules.read_text().replace('rationale: "Why"', 'rationale: "TODO"'))
    return 29


def test_repeats_of_a_code_are_listed_by_line_after_three_in_full(mini_specs: Path):
    count = plant_placeholders(mini_specs)
    result = run_labelbook("check", cwd=mini_specs)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    headers = [line for line in lines if line.startswith("specs/")]
    assert headers == [
        "specs/mini/edge_cases.yaml:10:16: warning[placeholder]: placeholder text left to fill in",
        "specs/mini/edge_cases.yaml:19:16: warning[placeholder]: placeholder text left to fill in",
        "specs/mini/taxonomy.yaml:16:24: warning[placeholder]: placeholder text left to fill in",
    ]
    assert lines.count("      = help: replace the TODO with the real content") == 3
    # 26 more in taxonomy.yaml: their lines, cut after 20 with '…'.
    taxonomy = (mini_specs / "specs/mini/taxonomy.yaml").read_text().splitlines()
    todo_lines = [n for n, line in enumerate(taxonomy, start=1) if "TODO" in line][1:]
    assert lines[-4] == ("... and 26 more warning[placeholder] in specs/mini/taxonomy.yaml: lines "
                         + ", ".join(map(str, todo_lines[:20])) + ", \u2026")
    assert lines[-3:] == [
        "placeholder: 29 warnings in 2 files",
        "(26 listed by line only; `--format json` or `--format github` gives each in full)",
        f"1 guideline checked: 0 errors, {count} warnings",
    ]


def test_json_and_github_list_every_diagnostic(mini_specs: Path):
    count = plant_placeholders(mini_specs)
    payload = json.loads(run_labelbook("check", "--format", "json", cwd=mini_specs).stdout)
    assert payload["warnings"] == len(payload["diagnostics"]) == count
    github = run_labelbook("check", "--format", "github", cwd=mini_specs).stdout.splitlines()
    assert sum(line.startswith("::warning file=specs/mini/") for line in github) == count
    assert github[-1] == f"1 guideline checked: 0 errors, {count} warnings"


def test_the_summary_counts_each_code_errors_first(mini_specs: Path):
    plant_placeholders(mini_specs)
    break_status(mini_specs)
    taxonomy = mini_specs / "specs/mini/taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("unknown_label: not_enough_info\n", ""))
    lines = run_labelbook("check", cwd=mini_specs).stdout.splitlines()
    # Wrapped between codes at 100 columns.
    assert lines[-4:-2] == [
        "invalid-value: 1 error; unresolved-ref: 1 error; placeholder: 29 warnings in 2 files;",
        "no-unknown-path: 1 warning",
    ]
    assert lines[-1] == "1 guideline checked: 2 errors, 30 warnings"


def test_a_single_repeat_left_in_a_file_keeps_its_first_line(mini_specs: Path):
    folder = mini_specs / "specs/mini"
    for name in ("qa.yaml", "sampling.yaml", "datasheet.yaml", "brief.yaml"):
        (folder / name).unlink()
    lines = run_labelbook("check", cwd=mini_specs).stdout.splitlines()
    assert [line for line in lines if "missing-file" in line] == [
        "specs/mini/brief.yaml:1:1: error[missing-file]: missing spec file brief.yaml",
        "specs/mini/datasheet.yaml:1:1: error[missing-file]: missing spec file datasheet.yaml",
        "specs/mini/qa.yaml:1:1: error[missing-file]: missing spec file qa.yaml",
        "specs/mini/sampling.yaml:1:1: error[missing-file]: missing spec file sampling.yaml",
        "missing-file: 4 errors in 4 files",
    ]

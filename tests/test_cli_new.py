"""`labelbook new` writes a guideline a lead can start from: it passes check, every gap marked."""

from __future__ import annotations

from pathlib import Path

from conftest import run_labelbook
from generator.spec import SPEC_FILES


def test_new_guideline_passes_check_and_marks_every_gap(tmp_path: Path):
    result = run_labelbook("new", "toxicity-es", "--title", 'Toxicity: "Spanish" comments', cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "specs/toxicity-es"
    assert sorted(p.name for p in folder.iterdir()) == sorted(SPEC_FILES)
    assert 'title: "Toxicity: \\"Spanish\\" comments"' in (folder / "guideline.yaml").read_text()

    check = run_labelbook("check", cwd=tmp_path)
    assert check.returncode == 0, check.stdout
    codes = {line.split("[")[1].split("]")[0] for line in check.stdout.splitlines() if line.startswith("specs/")}
    assert codes == {"placeholder"}
    todo_count = sum(p.read_text().count("TODO") for p in folder.iterdir())
    assert check.stdout.endswith(f"1 guideline checked: 0 errors, {todo_count} warnings\n")

    # Filled in, the same files pass --strict: the scaffold's structure is valid.
    for path in folder.iterdir():
        path.write_text(path.read_text().replace("TODO: ", "Filled in: "))
    assert run_labelbook("check", "--strict", cwd=tmp_path).returncode == 0


def test_new_refuses_an_existing_folder(tmp_path: Path):
    assert run_labelbook("new", "abc", cwd=tmp_path).returncode == 0
    again = run_labelbook("new", "abc", cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr.startswith("error: specs/abc already exists\n")


def test_new_refuses_an_id_that_is_not_a_slug(tmp_path: Path):
    result = run_labelbook("new", "Hate Speech", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: 'Hate Speech' is not a valid guideline id\n")
    assert not (tmp_path / "specs").exists()


def test_a_fresh_scaffold_checks_in_under_60_lines(tmp_path: Path):
    # Every TODO is a warning; the output groups them instead of printing each in full.
    assert run_labelbook("new", "x", cwd=tmp_path).returncode == 0
    check = run_labelbook("check", "specs/x", cwd=tmp_path)
    assert check.returncode == 0, check.stdout
    lines = check.stdout.splitlines()
    assert len(lines) < 60, check.stdout
    todo_count = sum(p.read_text().count("TODO") for p in (tmp_path / "specs/x").iterdir())
    assert lines[-3:] == [
        f"placeholder: {todo_count} warnings in 9 files",
        f"({todo_count - 3} listed by line only; `--format json` or `--format github` gives each in full)",
        f"1 guideline checked: 0 errors, {todo_count} warnings",
    ]
    # Every file with a TODO is named, with the lines to fill in.
    named = {line.split(" in ", 1)[1].split(":")[0] for line in lines if line.startswith("... and ")}
    assert named | {"specs/x/acceptance.yaml"} == {f"specs/x/{name}" for name in SPEC_FILES}

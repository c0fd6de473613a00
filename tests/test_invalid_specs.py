"""Each file in tests/invalid/ plants one mistake in a copy of a valid guideline and
lists the exact diagnostics `labelbook check --strict` must print for it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.load import load_guidelines

CASES = sorted((Path(__file__).parent / "invalid").glob("*.yaml"))


def plant(folder: Path, case: dict) -> None:
    # A case edits one file (file, replace) or, for a mistake that spans files, several
    # (edits: a list of file, replace).
    for edit_file in case.get("edits", [case]):
        target = folder / edit_file["file"]
        text = target.read_text(encoding="utf-8")
        for edit in edit_file["replace"]:
            assert edit["old"] in text, f"case does not apply: {edit['old']!r} not in {edit_file['file']}"
            text = text.replace(edit["old"], edit["new"], 1)
        target.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_planted_mistake_gives_exact_message(case_file: Path, mini_specs: Path, monkeypatch) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    plant(mini_specs / "specs" / "mini", case)
    monkeypatch.chdir(mini_specs)
    result = load_guidelines([Path("specs")], strict=False)
    got = [f"{d.path}:{d.line}:{d.col}: {d.severity}[{d.code}]: {d.message}" for d in result.report.sorted()]
    assert got == case["expect"]


def test_the_fixture_itself_is_clean(mini_specs: Path, monkeypatch) -> None:
    monkeypatch.chdir(mini_specs)
    result = load_guidelines([Path("specs")], strict=True)
    assert result.report.sorted() == []
    assert [g.id for g in result.guidelines] == ["mini"]


def test_reserved_ids_are_refused(mini_specs: Path, monkeypatch) -> None:
    taxonomy = mini_specs / "specs/mini/taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("second_label", "index"))
    for name in ("decision_tree.yaml",):
        path = mini_specs / "specs/mini" / name
        path.write_text(path.read_text().replace("second_label", "index"))
    monkeypatch.chdir(mini_specs)
    result = load_guidelines([Path("specs")])
    assert [(d.line, d.code, d.message) for d in result.report.errors] == [
        (35, "invalid-id", "label id 'index' is reserved: its page would be the labels index")]

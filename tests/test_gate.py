"""`labelbook agreement` and `labelbook gate` run as a user would: outputs, errors, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_labelbook


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


TWO_RATERS = "item,rater,label,language\n" + "".join(
    f"i{i},ann,{'yes' if i < 25 else 'no'},{'en' if i % 2 else 'es'}\n"
    f"i{i},bob,{'yes' if i < 20 or 25 <= i < 35 else 'no'},{'en' if i % 2 else 'es'}\n" for i in range(50))


def test_agreement_json_keys_and_cohen(tmp_path):
    export = write(tmp_path / "ratings.csv", TWO_RATERS)
    result = run_labelbook("agreement", str(export), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in ("items", "raters", "percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha",
                "per_label"):
        assert key in data
    assert data["items"] == 50 and data["raters"] == 2
    assert data["cohen_kappa"] == pytest.approx(0.4)
    assert data["percent_agreement"] == pytest.approx(0.7)
    assert set(data["per_label"]) == {"yes", "no"}


def test_agreement_text_with_slices(tmp_path):
    export = write(tmp_path / "ratings.csv", TWO_RATERS)
    result = run_labelbook("agreement", str(export), "--slice", "language", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "language=en" in result.stdout and "rater confusion" in result.stdout
    assert "most disputed items" in result.stdout


def test_agreement_ordinal_on_numbers(tmp_path):
    rows = "item,rater,label\n" + "".join(f"u{u},{r},{v}\n" for u, vals in enumerate([(1, 1), (2, 3), (3, 3), (4, 2)])
                                          for r, v in zip("ab", vals))
    export = write(tmp_path / "scores.csv", rows)
    result = run_labelbook("agreement", str(export), "--level", "ordinal", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["krippendorff_alpha"] is not None


@pytest.mark.parametrize("content, message", [
    ("item,rater,lable\n1,a,x\n", "error: ratings.csv: missing column 'label'; did you mean 'lable'?"),
    ("", "error: ratings.csv: the file is empty"),
    ("item,rater,label\n", "error: ratings.csv: the file has a header but no ratings"),
    ("item,rater,label\n1,a,x\n1,b,y\n1,a,y\n",
     "error: ratings.csv:4: rater 'a' rated item '1' twice (first on line 2); 1 duplicate (item, rater) row in all"),
    ("item,rater,label\n1,,x\n", "error: ratings.csv:2: empty 'rater'"),
])
def test_agreement_bad_data_is_one_clear_error(tmp_path, content, message):
    write(tmp_path / "ratings.csv", content)
    result = run_labelbook("agreement", "ratings.csv", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(message), result.stderr
    assert "Traceback" not in result.stderr


def test_agreement_not_utf8(tmp_path):
    write(tmp_path / "ratings.csv", "item,rater,label\n1,a,caf\u00e9\n1,b,x\n", encoding="latin-1")
    result = run_labelbook("agreement", "ratings.csv", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ratings.csv:2: the file is not UTF-8 (byte 0xe9")
    assert "hint: save the file as UTF-8" in result.stderr


def test_agreement_one_rater_is_not_computable(tmp_path):
    write(tmp_path / "ratings.csv", "item,rater,label\n1,a,x\n2,a,y\n")
    result = run_labelbook("agreement", "ratings.csv", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["krippendorff_alpha"] is None and data["cohen_kappa"] is None
    assert "not computable: no item has two or more ratings (only one rater)" in result.stderr


def test_agreement_usage_errors_exit_2(tmp_path):
    result = run_labelbook("agreement", "nope.csv", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("error: no such file: nope.csv")
    result = run_labelbook("agreement", "x.csv", "--level", "fuzzy", cwd=tmp_path)
    assert result.returncode == 2


def test_gate_on_the_examples_passes_with_one_batch_failure():
    result = run_labelbook("gate", "content-safety", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "16 of 17 criteria pass; failing: batch-alpha-harassment (batch)" in result.stdout
    assert "gate: pass" in result.stdout
    result = run_labelbook("gate", "support-intent", "--format", "json", cwd=REPO)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["gate"] == "pass" and {c["status"] for c in data["criteria"]} == {"pass"}


def test_gate_fails_on_a_release_criterion(example_specs):
    acceptance = example_specs / "specs/content-safety/acceptance.yaml"
    text = acceptance.read_text()
    acceptance.write_text(text.replace("    metric: duplicate_rate\n    comparator: \"<=\"\n    threshold: 0.01",
                                       "    metric: duplicate_rate\n    comparator: \"<=\"\n    threshold: 0.001"))
    shutil.copytree(REPO / "specs/content-safety/data", example_specs / "specs/content-safety/data",
                    dirs_exist_ok=True)
    result = run_labelbook("gate", "content-safety", cwd=example_specs)
    assert result.returncode == 1, result.stdout
    assert "gate: FAIL (release-level criteria not met: rel-duplicates)" in result.stdout


def test_gate_names_labels_outside_the_taxonomy(example_specs):
    folder = example_specs / "specs/support-intent"
    audit = (folder / "data/audit.csv").read_text()
    (folder / "data/ratings.csv").write_text(
        "item,rater,label,channel,language,platform,source,split,timestamp\n"
        "s1,r1,billing,email,en,web,email-tickets,train,2026-01-02\n"
        "s1,r2,biling,email,en,web,email-tickets,train,2026-01-02\n")
    (folder / "data/audit.csv").write_text(audit)
    datasheet = folder / "datasheet.yaml"
    datasheet.write_text(datasheet.read_text().replace("data/annotations.parquet", "data/ratings.csv"))
    result = run_labelbook("gate", "support-intent", cwd=example_specs)
    assert result.returncode == 1
    assert "FAIL        Labels in the taxonomy (hard gate)" in result.stdout
    assert "'biling' in 1 rating; did you mean 'billing'?" in result.stdout


def test_gate_unknown_guideline_is_a_usage_error():
    result = run_labelbook("gate", "content-safty", cwd=REPO)
    assert result.returncode == 2
    assert result.stderr.startswith("error: no guideline 'content-safty' under specs; did you mean 'content-safety'?")


def test_check_rejects_a_data_path_leaving_the_repository(example_specs):
    datasheet = example_specs / "specs/content-safety/datasheet.yaml"
    datasheet.write_text(datasheet.read_text().replace(
        "annotations: specs/content-safety/data/annotations.parquet", "annotations: ../outside.csv"))
    result = run_labelbook("check", cwd=example_specs)
    assert result.returncode == 1
    assert "datasheet.yaml" in result.stdout and "error[data-path]: data.annotations: '../outside.csv' leaves the " \
        "repository" in result.stdout

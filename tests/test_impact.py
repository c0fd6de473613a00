"""`labelbook impact`: the labeled items a guideline change touches, on real git histories.

The exports are written by hand, so which items each change touches is known by
construction; the example guideline's figures are counted again here with plain Python.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import FIXTURES, REPO, make_project, run_labelbook
from generator.metrics.read import read_ratings
from gitrepo import ScriptedRepo

# i2 carries second_label in a rating, i3 only as gold; i1 and i2 carry first_label.
ROWS = [
    ("i1", "r1", "first_label", ""),
    ("i1", "r2", "first_label", "first_label"),
    ("i2", "r1", "second_label", ""),
    ("i2", "r2", "first_label", ""),
    ("i3", "r1", "not_enough_info", "second_label"),
    ("i4", "r1", "not_enough_info", ""),
]
HEADER = ("item", "rater", "label", "gold")
PART = ("  - id: first_part\n    split_from: first_label\n    name: Split part\n"
        "    definition: A part split off the first label with its own observable criteria\n"
        "    include: [x]\n    exclude: [y]\n")


def write_csv(path: Path, rows, header=HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_parquet(path: Path, rows, header=HEADER) -> Path:
    columns = {name: [row[i] or None for row in rows] for i, name in enumerate(header)}
    pq.write_table(pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()}), path)
    return path


@pytest.fixture
def repo(tmp_path) -> tuple[ScriptedRepo, str]:
    """mini at its first commit; the working copy is edited by each test."""
    repo = ScriptedRepo(tmp_path / "repo")
    return repo, repo.git("rev-parse", "HEAD").strip()


def rename(repo: ScriptedRepo) -> None:
    repo.edit("taxonomy.yaml", "  - id: second_label\n", "  - id: other_label\n    replaces: [second_label]\n")
    repo.edit("taxonomy.yaml", "priority: [first_label, second_label,", "priority: [first_label, other_label,")
    repo.edit("decision_tree.yaml", "        label: second_label", "        label: other_label")


def merge(repo: ScriptedRepo) -> None:
    taxonomy = (repo.root / "specs/mini/taxonomy.yaml").read_text()
    second = taxonomy[taxonomy.index("  - id: second_label"):taxonomy.index("  - id: not_enough_info")]
    repo.edit("taxonomy.yaml", second, "")
    repo.edit("taxonomy.yaml", "  - id: first_label\n", "  - id: merged\n    replaces: [first_label, second_label]\n")
    repo.edit("taxonomy.yaml", "priority: [first_label, second_label, not_enough_info]",
              "priority: [merged, not_enough_info]")
    repo.edit("decision_tree.yaml", '      - answer: "Answer for the second label"\n        label: second_label\n', "")
    repo.edit("decision_tree.yaml", "        label: first_label", "        label: merged")


def split(repo: ScriptedRepo) -> None:
    repo.edit("taxonomy.yaml", "  - id: second_label\n", PART + "  - id: second_label\n")
    repo.edit("decision_tree.yaml", '      - answer: "Answer for the second label"\n',
              '      - answer: "Split part"\n        label: first_part\n'
              '      - answer: "Answer for the second label"\n')


def impact(repo: ScriptedRepo, *args: str):
    return run_labelbook("impact", "mini", *args, cwd=repo.root)


def as_json(repo: ScriptedRepo, base: str, data: Path, *args: str) -> dict:
    result = impact(repo, "--base", base, "--data", str(data), "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_rename_gives_the_migration_map_and_a_migrated_csv(repo, tmp_path):
    scripted, base = repo
    rename(scripted)
    data = write_csv(tmp_path / "export.csv", ROWS)
    report = as_json(scripted, base, data)
    [change] = report["changes"]
    assert (change["subject"], change["what"], change["action"]) == ("label second_label", "renamed to other_label",
                                                                     "migrate")
    assert (change["items"], change["item_count"], change["ratings"]) == (["i2", "i3"], 2, 1)
    assert report["migration"] == {"second_label": "other_label"}
    assert report["re_review"] == {"item_count": 0, "sample": None, "seed": 0, "items": [], "all_items": []}
    assert (report["rows"], report["items"]) == (6, 4)

    out = tmp_path / "migrated.csv"
    result = impact(scripted, "--base", base, "--data", str(data), "--migrated", str(out))
    assert result.returncode == 0 and result.stderr == f"wrote {out}\n"
    expected = [row[:2] + tuple("other_label" if v == "second_label" else v for v in row[2:]) for row in ROWS]
    assert list(csv.reader(io.StringIO(out.read_text()))) == [list(HEADER)] + [list(r) for r in expected]
    first = out.read_bytes()
    impact(scripted, "--base", base, "--data", str(data), "--migrated", str(out))
    assert out.read_bytes() == first
    # The migrated export carries the new version's values only: its labels read as ratings.
    ratings = read_ratings(out, "migrated.csv")
    assert ratings.categories == ["first_label", "not_enough_info", "other_label"]
    again = as_json(scripted, base, out)
    assert again["changes"][0]["items"] == []  # nothing left under the old value


def test_a_migrated_parquet_keeps_its_other_columns_and_its_bytes(repo, tmp_path):
    scripted, base = repo
    rename(scripted)
    data = write_parquet(tmp_path / "export.parquet", ROWS)
    out = tmp_path / "migrated.parquet"
    assert impact(scripted, "--base", base, "--data", str(data), "--migrated", str(out)).returncode == 0
    table = pq.read_table(out)
    assert table.column_names == list(HEADER)
    assert table.column("label").to_pylist() == ["first_label", "first_label", "other_label", "first_label",
                                                 "not_enough_info", "not_enough_info"]
    assert table.column("gold").to_pylist() == [None, "first_label", None, None, "other_label", None]
    assert table.column("rater").to_pylist() == [r[1] for r in ROWS]
    first = out.read_bytes()
    out.unlink()
    assert impact(scripted, "--base", base, "--data", str(data), "--migrated", str(out)).returncode == 0
    assert out.read_bytes() == first


def test_a_merge_maps_both_labels_to_one(repo, tmp_path):
    scripted, base = repo
    merge(scripted)
    report = as_json(scripted, base, write_csv(tmp_path / "export.csv", ROWS))
    merged = [c for c in report["changes"] if c["what"].startswith("merged from")]
    assert [(c["subject"], c["action"], c["items"], c["ratings"]) for c in merged] == [
        ("label merged", "migrate", ["i1", "i2", "i3"], 4)]
    assert report["migration"] == {"first_label": "merged", "second_label": "merged"}


def test_a_multi_label_merge_keeps_one_label_per_cell(repo, tmp_path):
    scripted, base = repo
    merge(scripted)
    scripted.edit("guideline.yaml", "task_type: single-label", "task_type: multi-label")
    scripted.edit("taxonomy.yaml", "mode: exclusive", "mode: multi")
    rows = [("i1", "r1", "first_label|second_label", ""), ("i2", "r1", "not_enough_info", "")]
    data = write_csv(tmp_path / "export.csv", rows)
    out = tmp_path / "migrated.csv"
    result = impact(scripted, "--base", base, "--data", str(data), "--migrated", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text() == "item,rater,label,gold\ni1,r1,merged,\ni2,r1,not_enough_info,\n"


def test_a_split_lists_the_items_to_re_review(repo, tmp_path):
    scripted, base = repo
    split(scripted)
    report = as_json(scripted, base, write_csv(tmp_path / "export.csv", ROWS))
    [change] = report["changes"]
    assert (change["subject"], change["what"], change["action"], change["items"], change["ratings"]) == (
        "label first_label", "split into first_part", "re-review", ["i1", "i2"], 3)
    assert report["migration"] == {}
    assert report["re_review"] == {"item_count": 2, "sample": None, "seed": 0, "items": ["i1", "i2"],
                                   "all_items": ["i1", "i2"]}
    # The new decision-tree path names a label but touches no labeled item: counted apart.
    assert any(c["subject"] == "decision tree" for c in report["not_counted"])


def test_a_narrowed_definition_is_re_reviewed_and_a_broadened_one_is_not(repo, tmp_path):
    scripted, base = repo
    scripted.edit("taxonomy.yaml", '      - "An exclusion criterion, naming the label that applies instead"',
                  '      - "An exclusion criterion, naming the label that applies instead"\n      - "A new exclusion"')
    taxonomy = scripted.root / "specs/mini/taxonomy.yaml"
    text = taxonomy.read_text()
    second = text.index("  - id: second_label")
    taxonomy.write_text(text[:second] + text[second:].replace('      - "An inclusion criterion"',
                                                              '      - "An inclusion criterion"\n      - "More"', 1))
    report = as_json(scripted, base, write_csv(tmp_path / "export.csv", ROWS))
    assert [(c["subject"], c["what"], c["action"], c["items"]) for c in report["changes"]] == [
        ("label first_label", "exclude criterion added", "re-review", ["i1", "i2"]),
        ("label second_label", "include criterion added", "broadened", ["i2", "i3"])]
    assert report["re_review"]["items"] == ["i1", "i2"]


def test_a_sample_is_seeded_and_reproducible(repo, tmp_path):
    scripted, base = repo
    split(scripted)
    rows = [(f"item-{n:02d}", "r1", "first_label" if n % 3 else "second_label", "") for n in range(60)]
    data = write_csv(tmp_path / "export.csv", rows)
    touched = sorted(r[0] for r in rows if r[2] == "first_label")
    assert len(touched) == 40
    first = as_json(scripted, base, data, "--sample", "5", "--seed", "7")["re_review"]
    assert first == as_json(scripted, base, data, "--sample", "5", "--seed", "7")["re_review"]
    assert first["item_count"] == 40 and first["sample"] == 5 and first["seed"] == 7
    assert first["items"] == sorted(first["items"]) and len(set(first["items"])) == 5
    assert set(first["items"]) <= set(touched)
    assert first["all_items"] == touched
    # The documented draw: Python's random.Random(seed).sample over the sorted ids.
    assert first["items"] == sorted(random.Random(7).sample(touched, 5))
    assert as_json(scripted, base, data, "--sample", "5", "--seed", "8")["re_review"]["items"] != first["items"]
    default = as_json(scripted, base, data, "--sample", "5")["re_review"]
    assert default["seed"] == 0 and default["items"] == sorted(random.Random(0).sample(touched, 5))
    assert as_json(scripted, base, data, "--sample", "80")["re_review"]["items"] == touched


def test_csv_lists_every_change_and_item(repo, tmp_path):
    scripted, base = repo
    split(scripted)
    data = write_csv(tmp_path / "export.csv", ROWS)
    result = impact(scripted, "--base", base, "--data", str(data), "--format", "csv", "--sample", "1", "--seed", "3")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["subject"], r["what"], r["action"], r["item"]) for r in rows] == [
        ("label first_label", "split into first_part", "re-review", "i1"),
        ("label first_label", "split into first_part", "re-review", "i2")]
    chosen = sorted(random.Random(3).sample(["i1", "i2"], 1))
    assert [r["item"] for r in rows if r["re_review"] == "yes"] == chosen


def test_markdown_is_short_and_escapes_what_it_quotes(repo, tmp_path):
    scripted, base = repo
    split(scripted)
    rows = [(f"@team-{n:02d}", "r1", "first_label", "") for n in range(25)]
    result = impact(scripted, "--base", base, "--data", str(write_csv(tmp_path / "export.csv", rows)))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("### Labeled items: `mini` 0.1.0 → 0.1.0\n")
    assert "| label first\\_label: split into first\\_part | re-review | 25 | 25 |" in text
    listed = ", ".join(f"@<!-- -->team-{n:02d}" for n in range(20))
    assert f"**Re-review**: 25 items: {listed} and 5 more.\n" in text
    assert "@team" not in text  # no mention reaches GitHub


@pytest.mark.parametrize("args, message, hint", [
    (("nope", "--base", "HEAD", "--data", "export.csv"), "no guideline 'nope' under specs",
     "guidelines: mini"),
    (("mini", "--base", "no-such-rev", "--data", "export.csv"), "unknown revision 'no-such-rev'",
     "fetch it first, e.g. `git fetch origin main`, and pass --base origin/main"),
    (("mini", "--base", "HEAD", "--data", "missing.csv"), "no file missing.csv",
     "pass --data an annotation export (CSV or Parquet) with the columns item, rater, label"),
    (("mini", "--base", "HEAD", "--data", "wrong.csv"),
     "wrong.csv:3: label 'second_labl' is not a label value of mini 0.1.0 (HEAD) or 0.1.0 (working copy); "
     "did you mean 'second_label'?",
     "--data must be an annotation export of mini: its label column holds label values, e.g. first_label, "
     "not_enough_info, second_label"),
    (("mini", "--base", "HEAD", "--data", "export.csv", "--migrated", "out.parquet"),
     "--migrated out.parquet is not a .csv file like export.csv", "name the migrated export with the suffix .csv"),
])
def test_errors_say_what_and_how_to_fix(repo, args, message, hint):
    scripted, _ = repo
    write_csv(scripted.root / "export.csv", ROWS)
    write_csv(scripted.root / "wrong.csv", [ROWS[0], ("i2", "r1", "second_labl", "")])
    result = run_labelbook("impact", *args, cwd=scripted.root)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"error: {message}\nhint: {hint}\n")


def test_a_guideline_that_did_not_exist_at_the_base(repo):
    scripted, base = repo
    scripted.copy_folder("mini", "mini-two")
    write_csv(scripted.root / "export.csv", ROWS)
    result = run_labelbook("impact", "mini-two", "--base", base, "--data", "export.csv", cwd=scripted.root)
    assert (result.returncode, result.stderr) == (
        2, f"error: mini-two does not exist at {base} ({base[:8]}): nothing was labeled under it\n"
           "hint: pass a --base where the guideline exists, e.g. its latest release tag\n")


def test_a_shallow_clone_holding_the_base_is_enough(repo, tmp_path):
    scripted, base = repo
    clone = tmp_path / "clone"
    scripted.git("clone", "-q", "--depth", "1", f"file://{scripted.root}", str(clone))
    taxonomy = clone / "specs/mini/taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("  - id: second_label\n",
                                                     "  - id: other_label\n    replaces: [second_label]\n")
                        .replace("priority: [first_label, second_label,", "priority: [first_label, other_label,"))
    tree = clone / "specs/mini/decision_tree.yaml"
    tree.write_text(tree.read_text().replace("        label: second_label", "        label: other_label"))
    write_csv(clone / "export.csv", ROWS)
    result = run_labelbook("impact", "mini", "--base", "HEAD", "--data", "export.csv", "--format", "json", cwd=clone)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["migration"] == {"second_label": "other_label"}


def example_history(root: Path) -> Path:
    """The example support-intent guideline in a git history of its own: its 1.3.2 release
    (rebuilt from the current spec with a recorded patch, so the test needs neither this
    repository's history nor its tags), then the current spec and data on top."""
    project = make_project(root, REPO / "specs")
    for other in (project / "specs").iterdir():
        if other.name != "support-intent":
            shutil.rmtree(other)
    scripted = ScriptedRepo.__new__(ScriptedRepo)
    scripted.root, scripted.clock = project, 1_767_225_600
    current = project / "specs-current"
    shutil.copytree(project / "specs", current)
    shutil.rmtree(project / "specs/support-intent/data")
    scripted.git("init", "-q", "-b", "main")
    scripted.git("apply", str(FIXTURES / "history/support-intent-1.3.2.patch"))
    scripted.commit("support-intent 1.3.2")
    scripted.tag("support-intent/v1.3.2")
    shutil.rmtree(project / "specs")
    current.rename(project / "specs")
    scripted.commit("support-intent 2.0.0")
    return project


def test_the_example_guideline_against_its_1_x_release(tmp_path):
    """support-intent 1.3.2 -> 2.0.0: 1.4.0 made `unclear` exclusive and 2.0.0 split
    account_takeover from account_access (the releases' `changes` entries say so)."""
    project = example_history(tmp_path / "project")
    data = project / "specs/support-intent/data/annotations.parquet"
    result = run_labelbook("impact", "support-intent", "--base", "support-intent/v1.3.2", "--format", "json",
                           cwd=project)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    rows = pq.read_table(data).to_pylist()

    def carrying(value: str) -> tuple[list[str], int]:
        items = sorted({r["item"] for r in rows for cell in (r["label"], r["gold"])
                        if cell and value in cell.split("|")})
        return items, sum(1 for r in rows if r["label"] and value in r["label"].split("|"))

    assert (report["old_version"], report["new_version"], report["rows"]) == ("1.3.2", "2.0.0", len(rows))
    assert report["items"] == len({r["item"] for r in rows})
    by_change = {(c["subject"], c["what"]): c for c in report["changes"]}
    split_change = by_change[("label account_access", "split into account_takeover")]
    exclusive = by_change[("label unclear", "now exclusive")]
    assert (split_change["items"], split_change["ratings"]) == carrying("account_access")
    assert (exclusive["items"], exclusive["ratings"]) == carrying("unclear")
    assert {c["subject"] for c in report["changes"]} == {"label account_access", "label unclear"}
    assert report["migration"] == {}
    expected = sorted(set(carrying("account_access")[0]) | set(carrying("unclear")[0]))
    assert report["re_review"]["items"] == expected and report["re_review"]["item_count"] == len(expected)

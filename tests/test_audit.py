"""`labelbook audit <id>`: every release of a guideline, oldest first, with who, when, what
was declared and approved, what the semantic diff found and the label map, as JSON or CSV
that is byte-identical from run to run; usage and environment problems exit 2."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, make_project, run_labelbook
from gitrepo import ScriptedRepo
from test_auditor_site import NARROWED  # the same declared narrowing as the site's history

RENAMED = """  - type: taxonomy
    summary: Renamed second_label to other_label
    rationale: The old id misled raters; see rule missing-context
    relabel_impact: {relabel: all, gold_update: true, note: "Map second_label to other_label"}
    labels: [other_label]"""
SPLIT = """  - type: taxonomy
    summary: Split first_part off first_label
    rationale: Two behaviours shared one label
    relabel_impact: {relabel: affected}
    labels: [first_label, first_part]
    approved_by: Pat Policy"""
PART = ("  - id: first_part\n    split_from: first_label\n    name: Split part\n"
        "    definition: A part split off the first label with its own observable criteria\n"
        "    include: [x]\n    exclude: [y]\n")
LENA, ADA, BOB, CARA = (("Lena Lead", "lena@example.org"), ("Ada Auditor", "ada@example.org"),
                        ("Bob Builder", "bob@example.org"), ("Cara Contributor", "cara@example.org"))


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> tuple[ScriptedRepo, dict[str, str]]:
    """mini 0.1.0; an example explained (no release); 0.2.0 narrows a definition (tagged,
    approved); 1.0.0 renames second_label; 2.0.0 splits first_label; one commit unreleased."""
    repo = ScriptedRepo(tmp_path_factory.mktemp("audit") / "repo")  # 0.1.0 on 2026-01-02
    sha = {"0.1.0": repo.git("rev-parse", "HEAD").strip()}
    repo.edit("taxonomy.yaml", '"Which inclusion criteria it meets"', '"Meets inclusion criterion 1"')
    sha["explain"] = repo.commit("Explain an example", author="Cara Contributor <cara@example.org>")
    repo.edit("taxonomy.yaml", '    definition: "A short definition in observable terms"',
              '    definition: "A narrower definition in observable terms"')
    repo.set_version("0.2.0", NARROWED)
    sha["0.2.0"] = repo.commit("Narrow the first label (#4)", author="Ada Auditor <ada@example.org>")
    repo.tag("mini/v0.2.0")
    repo.edit("taxonomy.yaml", "  - id: second_label\n", "  - id: other_label\n    replaces: [second_label]\n")
    repo.edit("taxonomy.yaml", "priority: [first_label, second_label,", "priority: [first_label, other_label,")
    repo.edit("decision_tree.yaml", "        label: second_label", "        label: other_label")
    repo.set_version("1.0.0", RENAMED)
    sha["1.0.0"] = repo.commit("Rename second_label (#5)", author="Bob Builder <bob@example.org>")
    repo.edit("taxonomy.yaml", "  - id: other_label\n", PART + "  - id: other_label\n")
    repo.edit("decision_tree.yaml", '      - answer: "Answer for the second label"\n',
              '      - answer: "Split part"\n        label: first_part\n      - answer: "Answer for the second label"\n')
    repo.set_version("2.0.0", SPLIT)
    sha["2.0.0"] = repo.commit("Split the first label", author="Ada Auditor <ada@example.org>")
    repo.edit("taxonomy.yaml", '"Which criterion it lacks"', '"Lacks criterion 1"')
    sha["unreleased"] = repo.commit("Explain a near miss")
    assert sha["unreleased"] == repo.git("rev-parse", "HEAD").strip()
    assert sha["0.2.0"] == repo.git("rev-parse", "mini/v0.2.0^{commit}").strip()
    return repo, sha


def audit(repo: ScriptedRepo, *args: str) -> subprocess.CompletedProcess[str]:
    return run_labelbook("audit", "mini", *args, cwd=repo.root)


@pytest.fixture(scope="module")
def record(audited) -> dict:
    result = audit(audited[0])
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def detected(release: dict) -> list[tuple]:
    return [(c["type"], c["area"], c["subject_id"], c["what"], c["before"], c["after"]) for c in release["detected"]]


def test_every_release_oldest_first_with_date_author_commit_and_tag(audited, record):
    _, sha = audited
    assert (record["format"], record["guideline"], record["folder"], record["uncommitted"], record["anomalies"]) == (
        1, "mini", "specs/mini", False, [])
    summary = [(r["version"], r["unreleased"], r["previous"], r["valid"], r["date"],
                (r["author"]["name"], r["author"]["email"]), r["commit"], r["tag"]) for r in record["releases"]]
    assert summary == [
        ("0.1.0", False, None, True, "2026-01-02T00:00:00Z", LENA, sha["0.1.0"], None),
        ("0.2.0", False, "0.1.0", True, "2026-01-04T00:00:00Z", ADA, sha["0.2.0"], "mini/v0.2.0"),
        ("1.0.0", False, "0.2.0", True, "2026-01-05T00:00:00Z", BOB, sha["1.0.0"], None),
        ("2.0.0", False, "1.0.0", True, "2026-01-06T00:00:00Z", ADA, sha["2.0.0"], None),
        ("2.0.0", True, "2.0.0", True, "2026-01-07T00:00:00Z", LENA, sha["unreleased"], None),
    ]
    # The commits of each release: those since the previous release, the release commit last.
    assert [[c["commit"] for c in r["commits"]] for r in record["releases"]] == [
        [sha["0.1.0"]], [sha["explain"], sha["0.2.0"]], [sha["1.0.0"]], [sha["2.0.0"]], [sha["unreleased"]]]
    assert record["releases"][1]["commits"][0] == {
        "commit": sha["explain"], "date": "2026-01-03T00:00:00Z", "subject": "Explain an example",
        "author": {"name": "Cara Contributor", "email": "cara@example.org"}}


def test_declared_changes_with_approver_relabel_impact_labels_and_rules(record):
    releases = record["releases"]
    assert releases[0]["declared"] == [] and releases[0]["approvers"] == []
    assert releases[1]["declared"] == [{
        "type": "definition", "summary": "Narrowed the first label.",
        "rationale": "Raters split on borderline posts (CS-512).",
        "relabel_impact": {"relabel": "affected", "gold_update": False, "criteria_update": False, "note": None},
        "labels": ["first_label"], "rules": [], "ticket": "CS-512", "approved_by": "Pat Policy"}]
    assert releases[1]["approvers"] == ["Pat Policy"]
    assert releases[2]["declared"] == [{
        "type": "taxonomy", "summary": "Renamed second_label to other_label",
        "rationale": "The old id misled raters; see rule missing-context",
        "relabel_impact": {"relabel": "all", "gold_update": True, "criteria_update": False,
                           "note": "Map second_label to other_label"},
        "labels": ["other_label"], "rules": ["missing-context"], "ticket": None, "approved_by": None}]
    assert releases[2]["approvers"] == []
    assert [(d["type"], d["labels"], d["approved_by"]) for d in releases[3]["declared"]] == [
        ("taxonomy", ["first_label", "first_part"], "Pat Policy")]
    assert releases[4]["declared"] == []  # 2.0.0's entries are carried over, not new


def test_detected_changes_against_the_previous_release(record):
    releases = record["releases"]
    assert detected(releases[0]) == []
    assert detected(releases[1]) == [
        ("definition", "label", "first_label", "definition changed", "A short definition in observable terms",
         "A narrower definition in observable terms"),
        ("clarification", "example", "first_label", "positive example changed", "Which inclusion criteria it meets",
         "Meets inclusion criterion 1"),
    ]
    assert detected(releases[2]) == [
        ("taxonomy", "label", "second_label", "renamed to other_label", "A concrete, behaviour-based name",
         "A concrete, behaviour-based name"),
        ("definition", "taxonomy", None, "tie-break priority changed", "first_label > second_label > not_enough_info",
         "first_label > other_label > not_enough_info"),
        ("definition", "tree", None, ("path enough-context: Yes → main-question: Answer for the second label "
                                      "now ends differently"), "label second_label", "label other_label"),
    ]
    assert releases[2]["detected"][0]["subject"] == "label second_label"
    assert releases[2]["detected"][0]["labels"] == ["second_label", "other_label"]
    assert detected(releases[3]) == [
        ("taxonomy", "label", "first_label", "split into first_part", "first_label", "first_part"),
        ("definition", "tree", None, "new path enough-context: Yes → main-question: Split part", None,
         "label first_part"),
    ]
    assert detected(releases[4]) == [
        ("clarification", "example", "first_label", "negative example changed", "Which criterion it lacks",
         "Lacks criterion 1")]


def test_label_map_of_renames_and_splits(record):
    releases = record["releases"]
    assert [r["label_map"] for r in releases] == [
        {}, {}, {"second_label": ["other_label"]}, {"first_label": ["first_label", "first_part"]}, {}]


def test_output_is_byte_identical_across_runs(audited, record):
    repo, _ = audited
    for fmt in ("json", "csv"):
        first, second = audit(repo, "--format", fmt), audit(repo, "--format", fmt)
        assert first.returncode == second.returncode == 0
        assert first.stdout == second.stdout and first.stdout
        if fmt == "json":  # the record fixture ran with the default format
            assert first.stdout == json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_csv_has_one_row_per_release_and_change_under_a_fixed_header(audited):
    from generator.audit import CSV_COLUMNS

    repo, sha = audited
    result = audit(repo, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "guideline,version,unreleased,previous,valid,date,commit,tag,author,email,source,type,summary,rationale,"
        "relabel,gold_update,criteria_update,relabel_note,ticket,approved_by,area,subject,subject_id,what,before,"
        "after,labels,rules,declared_reason")
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert reader.fieldnames == CSV_COLUMNS
    rows = list(reader)
    assert [(r["version"], r["unreleased"], r["source"]) for r in rows] == [
        ("0.1.0", "false", ""),  # a release without changes still has its row
        ("0.2.0", "false", "declared"), ("0.2.0", "false", "detected"), ("0.2.0", "false", "detected"),
        ("1.0.0", "false", "declared"), ("1.0.0", "false", "detected"), ("1.0.0", "false", "detected"),
        ("1.0.0", "false", "detected"), ("1.0.0", "false", "label_map"),
        ("2.0.0", "false", "declared"), ("2.0.0", "false", "detected"), ("2.0.0", "false", "detected"),
        ("2.0.0", "false", "label_map"),
        ("2.0.0", "true", "detected"),
    ]
    assert rows[0] == {**dict.fromkeys(CSV_COLUMNS, ""), "guideline": "mini", "version": "0.1.0",
                       "unreleased": "false", "valid": "true", "date": "2026-01-02T00:00:00Z",
                       "commit": sha["0.1.0"], "author": "Lena Lead", "email": "lena@example.org"}
    declared = rows[1]
    assert {k: declared[k] for k in ("date", "commit", "tag", "author", "email", "type", "summary", "rationale",
                                     "relabel", "gold_update", "ticket", "approved_by", "labels")} == {
        "date": "2026-01-04T00:00:00Z", "commit": sha["0.2.0"], "tag": "mini/v0.2.0", "author": "Ada Auditor",
        "email": "ada@example.org", "type": "definition", "summary": "Narrowed the first label.",
        "rationale": "Raters split on borderline posts (CS-512).", "relabel": "affected", "gold_update": "false",
        "ticket": "CS-512", "approved_by": "Pat Policy", "labels": "first_label"}
    assert rows[4]["rules"] == "missing-context" and rows[4]["relabel_note"] == "Map second_label to other_label"
    rename = rows[5]
    assert (rename["subject"], rename["subject_id"], rename["what"], rename["labels"]) == (
        "label second_label", "second_label", "renamed to other_label", "second_label|other_label")
    assert {k: rows[8][k] for k in ("area", "subject_id", "what", "before", "after")} == {
        "area": "label", "subject_id": "second_label", "what": "maps to", "before": "second_label",
        "after": "other_label"}
    assert (rows[12]["before"], rows[12]["after"], rows[12]["labels"]) == (
        "first_label", "first_label|first_part", "first_label|first_part")
    assert rows[13]["commit"] == sha["unreleased"] and rows[13]["what"] == "negative example changed"


def test_an_unknown_id_exits_2_with_did_you_mean(audited):
    repo, _ = audited
    result = run_labelbook("audit", "mnii", cwd=repo.root)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "error: no guideline 'mnii' under specs; did you mean 'mini'?\nhint: guidelines: mini\n"


def test_outside_git_exits_2_with_a_hint(tmp_path):
    project = make_project(tmp_path / "plain", FIXTURES / "specs")
    result = run_labelbook("audit", "mini", cwd=project)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {(project / 'specs').resolve()} is not in a git repository\n"
        "hint: labelbook audit reads releases from git history; run it in a clone of the guidelines repository\n")


def test_a_missing_specs_folder_and_a_shallow_clone_exit_2(audited, tmp_path):
    repo, _ = audited
    missing = run_labelbook("audit", "mini", "--specs", "nowhere", cwd=repo.root)
    assert (missing.returncode, missing.stderr) == (
        2, "error: no specs folder at nowhere\nhint: run labelbook from the repository root or pass --specs\n")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    shallow = run_labelbook("audit", "mini", cwd=clone)
    assert (shallow.returncode, shallow.stdout) == (2, "")
    assert shallow.stderr == (
        "error: this is a shallow clone: release dates and changelogs need the full history\n"
        "hint: run `git fetch --unshallow` (in GitHub Actions: actions/checkout with fetch-depth: 0)\n")


def test_a_guideline_with_one_release_and_nothing_after_has_no_unreleased_entry(tmp_path):
    repo = ScriptedRepo(tmp_path / "repo")
    result = run_labelbook("audit", "mini", "--specs", str(repo.root / "specs"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [release] = json.loads(result.stdout)["releases"]
    assert (release["version"], release["unreleased"], release["commit"]) == (
        "0.1.0", False, repo.git("rev-parse", "HEAD").strip())


def test_the_help_has_an_example():
    result = run_labelbook("audit", "--help", cwd=Path.cwd())
    assert result.returncode == 0
    assert "labelbook audit content-safety --format csv > audit.csv" in result.stdout

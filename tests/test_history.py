"""Releases, commits and changelogs read from scripted git histories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import run_labelbook
from generator.changelog import ReleaseContents, build_changelog
from generator.history import HistoryError, read_history
from generator.load import load_guidelines
from gitrepo import ScriptedRepo

NARROWER = ('    definition: "A short definition in observable terms"',
            '    definition: "A narrower definition in observable terms"')
DEFINITION_CHANGE = """  - type: definition
    summary: Narrowed the first label
    rationale: Raters split on borderline posts
    relabel_impact: {relabel: affected, gold_update: true}
    labels: [first_label]
    ticket: LAB-7"""


@pytest.fixture
def repo(tmp_path: Path) -> ScriptedRepo:
    return ScriptedRepo(tmp_path / "repo")


def history_of(repo: ScriptedRepo):
    return read_history(repo.root, repo.root / "specs")


def test_a_release_is_the_first_commit_where_a_version_appears(repo):
    first = repo.git("rev-parse", "HEAD").strip()
    repo.edit("taxonomy.yaml", *NARROWER)
    between = repo.commit("Narrow the first label (#7)", author="Ravi Rater <ravi@example.org>")
    repo.set_version("0.2.0", DEFINITION_CHANGE)
    released = repo.commit("Release 0.2.0")
    repo.edit("taxonomy.yaml", '"Which inclusion criteria it meets"', '"Meets inclusion criterion 1"')
    after = repo.commit("Explain an example better")

    gh = history_of(repo).of("mini")
    assert [(r.version, r.commit.sha) for r in gh.releases] == [("0.1.0", first), ("0.2.0", released)]
    assert [c.sha for c in gh.releases[1].commits] == [between, released]
    assert gh.releases[1].commits[0].author == "Ravi Rater"
    assert gh.releases[1].commits[0].pull_request == 7
    assert gh.releases[1].commit.date == "2026-01-04"
    assert [c.sha for c in gh.unreleased] == [after]
    assert gh.uncommitted is False


def test_an_annotated_tag_confirms_a_release_and_wins_when_it_points_elsewhere(repo):
    repo.set_version("0.2.0")
    early = repo.commit("Bump to 0.2.0 before the content")
    repo.edit("taxonomy.yaml", *NARROWER)
    late = repo.commit("Content of 0.2.0")
    repo.tag("mini/v0.2.0", late)
    repo.tag("mini/vnext", late)
    history = history_of(repo)
    releases = history.of("mini").releases
    assert [(r.version, r.commit.sha, r.tag) for r in releases][1] == ("0.2.0", late, "mini/v0.2.0")
    assert early in [c.sha for c in releases[1].commits]
    assert history.warnings == ["tag 'mini/vnext' is not <guideline-id>/v<semantic version>; ignored; rename it "
                                "(e.g. content-safety/v1.2.0) or delete it: git tag -d mini/vnext"]


def test_uncommitted_changes_are_a_draft_never_a_release(repo):
    repo.set_version("0.2.0")  # not committed
    gh = history_of(repo).of("mini")
    assert [r.version for r in gh.releases] == ["0.1.0"]
    assert gh.uncommitted is True


def test_changelog_answers_who_when_what_and_why(repo):
    repo.edit("taxonomy.yaml", *NARROWER)
    repo.set_version("0.2.0", DEFINITION_CHANGE)
    repo.commit("Release 0.2.0 (#9)", author="Ada Auditor <ada@example.org>")
    history = history_of(repo)
    current = load_guidelines([repo.root / "specs"]).guidelines[0]
    log = build_changelog(history.of("mini"), ReleaseContents(history), current)
    newest = log.releases[0]
    assert (newest.version, newest.commit.author, newest.commit.date) == ("0.2.0", "Ada Auditor", "2026-01-03")
    assert [d.summary for d in newest.declared] == ["Narrowed the first label"]
    assert [(c.subject, c.what, c.type) for c in newest.detected] == [
        ("label first_label", "definition changed", "definition")]
    assert log.draft is False
    states = log.label_history["first_label"]
    assert [(s.version, s.definition) for s in states] == [
        ("0.2.0", "A narrower definition in observable terms"), ("0.1.0", "A short definition in observable terms")]
    assert [d.rationale for d in states[0].why] == ["Raters split on borderline posts"]
    # The second label did not change in 0.2.0: its history has one state.
    assert [s.version for s in log.label_history["second_label"]] == ["0.1.0"]


def test_a_shallow_clone_is_refused_with_the_fix(repo, tmp_path):
    repo.set_version("0.2.0")
    repo.commit("Release 0.2.0")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    with pytest.raises(HistoryError) as error:
        read_history(clone, clone / "specs")
    assert error.value.message == "this is a shallow clone: release dates and changelogs need the full history"
    result = run_labelbook("diff", "--base", "HEAD", cwd=clone)
    assert result.returncode == 2
    assert result.stderr == (
        "error: this is a shallow clone: release dates and changelogs need the full history\n"
        "hint: run `git fetch --unshallow` (in GitHub Actions: actions/checkout with fetch-depth: 0)\n")
    build = run_labelbook("build", cwd=clone)
    assert build.returncode == 2 and "shallow clone" in build.stderr


def test_outside_git_the_working_copy_builds_with_a_warning(tmp_path):
    from conftest import FIXTURES, make_project
    project = make_project(tmp_path / "plain", FIXTURES / "specs")
    result = run_labelbook("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert f"warning: {project.resolve()} is not in a git repository: building the working copy only" in result.stderr
    assert (project / "site/mini/labels/first_label/index.html").is_file()
    assert not (project / "site/mini/versions.json").exists()


def test_a_merged_pull_request_is_one_commit_of_the_main_line(repo):
    repo.git("checkout", "-q", "-b", "narrow")
    repo.edit("taxonomy.yaml", *NARROWER)
    repo.commit("Narrow the first label")
    repo.set_version("0.2.0", DEFINITION_CHANGE)
    repo.commit("Bump to 0.2.0")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "narrow", "-m", "Merge pull request #5 from lena/narrow",
             env={"GIT_COMMITTER_NAME": "Lena Lead", "GIT_COMMITTER_EMAIL": "lena@example.org",
                  "GIT_AUTHOR_NAME": "Lena Lead", "GIT_AUTHOR_EMAIL": "lena@example.org"})
    merge = repo.git("rev-parse", "HEAD").strip()
    release = history_of(repo).of("mini").releases[-1]
    assert (release.version, release.commit.sha) == ("0.2.0", merge)
    assert [(c.subject, c.pull_request) for c in release.commits] == [("Merge pull request #5 from lena/narrow", 5)]


def test_a_release_commit_with_invalid_specs_moves_to_the_first_valid_commit(repo):
    repo.set_version("0.2.0")
    repo.edit("taxonomy.yaml", "mode: exclusive", "mode: exclusiv")
    broken = repo.commit("Bump to 0.2.0, half done")
    repo.edit("taxonomy.yaml", "mode: exclusiv", "mode: exclusive")
    fixed = repo.commit("Fix the taxonomy")
    history = history_of(repo)
    release = history.of("mini").releases[-1]
    assert (release.version, release.commit.sha) == ("0.2.0", fixed)
    assert [c.sha for c in release.commits] == [broken, fixed]
    assert history.warnings == [f"mini 0.2.0 first appears in {broken[:8]}, where its specs do not validate; "
                                f"the release is taken from {fixed[:8]}, the first commit where they do; to "
                                f"confirm it (and silence this), tag it: git tag -a mini/v0.2.0 {fixed[:8]} "
                                f"-m 'mini 0.2.0' && git push origin mini/v0.2.0"]
    # Doing what the warning says removes it, and the release stays where it was.
    repo.tag("mini/v0.2.0", fixed)
    history = history_of(repo)
    assert history.warnings == []
    assert history.of("mini").releases[-1].commit.sha == fixed


def test_a_tag_on_a_commit_that_touched_no_spec_confirms_the_release_before_it(repo):
    repo.set_version("1.0.0")
    released = repo.commit("Release 1.0.0")
    (repo.root / "NOTES.md").write_text("notes\n")
    docs = repo.commit("Docs only")
    repo.tag("mini/v1.0.0", docs)
    repo.set_version("1.1.0")
    later = repo.commit("Release 1.1.0")
    releases = history_of(repo).of("mini").releases
    assert [(r.version, r.commit.sha) for r in releases][-2:] == [("1.0.0", docs), ("1.1.0", later)]
    assert [c.sha for c in releases[-1].commits] == [later]
    assert released in [c.sha for c in releases[-2].commits]


def test_a_hotfix_tag_off_the_main_line_does_not_claim_later_work(repo):
    repo.set_version("1.0.0")
    repo.commit("Release 1.0.0")
    repo.git("checkout", "-q", "-b", "hotfix")
    repo.set_version("1.0.1")
    hotfix = repo.commit("Hotfix 1.0.1")
    repo.tag("mini/v1.0.1", hotfix)
    repo.git("checkout", "-q", "main")
    repo.set_version("1.1.0")
    minor = repo.commit("Release 1.1.0")
    repo.edit("taxonomy.yaml", '"Which inclusion criteria it meets"', '"Meets inclusion criterion 1"')
    after = repo.commit("Unreleased edit")
    gh = history_of(repo).of("mini")
    assert [r.version for r in gh.releases] == ["0.1.0", "1.0.0", "1.0.1", "1.1.0"]
    assert gh.latest.commit.sha == minor
    assert [c.sha for c in gh.unreleased] == [after]


def test_tags_that_do_not_point_at_the_version_are_reported_and_ignored(repo):
    repo.git("tag", "mini/v9.9.9", "HEAD")  # HEAD is at 0.1.0, not 9.9.9
    repo.git("tag", "mini/v3.0.0", "HEAD^{tree}")
    history = history_of(repo)
    head = repo.git("rev-parse", "HEAD").strip()
    assert [r.version for r in history.of("mini").releases] == ["0.1.0"]
    assert history.warnings == [
        "tag 'mini/v3.0.0' does not point at a commit; ignored; point it at the release commit or delete it: "
        "git tag -d mini/v3.0.0",
        f"tag 'mini/v9.9.9' points at {head[:8]}, where mini is not a valid guideline at version 9.9.9; ignored; "
        "move it to the release commit: git tag -f -a mini/v9.9.9 <commit> -m 'mini 9.9.9'",
    ]

"""Spec folders are untrusted input: links out of the repository, pipes, devices, unreadable
folders, invisible characters and absurdly long lines each give one positioned diagnostic
with a hint, never a hang, a traceback, or text from outside the repository."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
from pathlib import Path

import pytest

from conftest import LABELBOOK, run_labelbook
from generator.diagnostics import Report, format_text
from generator.load import UsageError, load_guidelines
from generator.scaffold import scaffold
from generator.spec_file import read_regular_file
from generator.yaml_source import load_yaml_text

SECRET = "SECRET_TOKEN=hunter2"
OUTSIDE_HINT = "replace the link with the file itself, or link to a file inside the repository"
REGULAR_HINT = "spec files must be regular files: replace it with the YAML file itself"


def check(project: Path, monkeypatch, *paths: str) -> list[tuple[str, str]]:
    """(header, hint) of every diagnostic of `check` run in project."""
    monkeypatch.chdir(project)
    result = load_guidelines([Path(p) for p in paths or ("specs",)])
    return [(f"{d.path}:{d.line}:{d.col}: {d.severity}[{d.code}]: {d.message}", d.hint)
            for d in result.report.sorted()]


def opened_paths(monkeypatch) -> list[str]:
    """Record every os.open and open() of the run, to prove a refused file is never opened."""
    seen: list[str] = []
    real_os_open, real_open = os.open, open

    def spy_os_open(path, *args, **kwargs):
        seen.append(os.path.realpath(path))
        return real_os_open(path, *args, **kwargs)

    def spy_open(path, *args, **kwargs):
        if isinstance(path, (str, os.PathLike)):
            seen.append(os.path.realpath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy_os_open)
    monkeypatch.setattr("builtins.open", spy_open)
    return seen


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project (mini_specs is tmp_path itself, so use a sibling)."""
    path = tmp_path.parent / f"{tmp_path.name}-outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(SECRET + "\n")
    return path


def test_a_link_leaving_the_repository_is_refused_unread(mini_specs: Path, secret: Path, monkeypatch):
    brief = mini_specs / "specs/mini/brief.yaml"
    brief.unlink()
    brief.symlink_to(secret)
    opened = opened_paths(monkeypatch)
    monkeypatch.chdir(mini_specs)
    result = load_guidelines([Path("specs")])
    assert [(f"{d.path}:{d.line}:{d.col}: {d.severity}[{d.code}]: {d.message}", d.hint)
            for d in result.report.sorted()] == [
        ("specs/mini/brief.yaml:1:1: error[unsafe-file]: 'brief.yaml' is a symbolic link that leaves the repository; "
         "it was not read", OUTSIDE_HINT)]
    assert str(secret) not in opened
    assert SECRET not in format_text(result.report, 1)


def test_a_link_to_a_device_outside_is_refused(mini_specs: Path, monkeypatch):
    sampling = mini_specs / "specs/mini/sampling.yaml"
    sampling.unlink()
    sampling.symlink_to("/dev/zero")
    assert check(mini_specs, monkeypatch) == [
        ("specs/mini/sampling.yaml:1:1: error[unsafe-file]: 'sampling.yaml' is a symbolic link that leaves the "
         "repository; it was not read", OUTSIDE_HINT)]


def test_a_link_inside_the_repository_is_read(mini_specs: Path, monkeypatch):
    shared = mini_specs / "specs/shared-brief.yaml"
    (mini_specs / "specs/mini/brief.yaml").rename(shared)
    (mini_specs / "specs/mini/brief.yaml").symlink_to("../shared-brief.yaml")
    assert check(mini_specs, monkeypatch) == []


def test_the_repository_is_the_git_work_tree_around_the_specs(mini_specs: Path, monkeypatch):
    # Outside git, only the specs folder is trusted; in a git work tree, all of it.
    shared = mini_specs / "shared/brief.yaml"
    shared.parent.mkdir()
    (mini_specs / "specs/mini/brief.yaml").rename(shared)
    (mini_specs / "specs/mini/brief.yaml").symlink_to("../../shared/brief.yaml")
    assert [header for header, _ in check(mini_specs, monkeypatch)] == [
        "specs/mini/brief.yaml:1:1: error[unsafe-file]: 'brief.yaml' is a symbolic link that leaves the repository; "
        "it was not read"]
    (mini_specs / ".git").mkdir()
    assert check(mini_specs, monkeypatch) == []


def test_link_loops_are_skipped_as_folders_and_reported_as_files(mini_specs: Path, monkeypatch):
    (mini_specs / "specs/loop").symlink_to("loop")
    qa = mini_specs / "specs/mini/qa.yaml"
    qa.unlink()
    qa.symlink_to("qa.yaml")
    assert check(mini_specs, monkeypatch) == [
        ("specs/mini/qa.yaml:1:1: error[unreadable]: cannot read file: Too many levels of symbolic links",
         "check that the file exists and that your user may read it (e.g. chmod u+r)")]


def test_a_named_pipe_is_refused_without_blocking(mini_specs: Path):
    # A FIFO opened for reading waits for a writer forever: the run must not open it,
    # neither to load it nor to quote a line of it.
    qa = mini_specs / "specs/mini/qa.yaml"
    qa.unlink()
    os.mkfifo(qa)
    result = subprocess.run([str(LABELBOOK), "check"], cwd=mini_specs, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert result.stdout == (
        "specs/mini/qa.yaml:1:1: error[unsafe-file]: 'qa.yaml' is a named pipe (FIFO), not a regular file; "
        "it was not read\n"
        f"      = help: {REGULAR_HINT}\n"
        "1 guideline checked: 1 error, 0 warnings\n")


def test_a_link_to_a_named_pipe_inside_is_refused(mini_specs: Path, monkeypatch):
    os.mkfifo(mini_specs / "specs/pipe")
    qa = mini_specs / "specs/mini/qa.yaml"
    qa.unlink()
    qa.symlink_to("../pipe")
    assert check(mini_specs, monkeypatch) == [
        ("specs/mini/qa.yaml:1:1: error[unsafe-file]: 'qa.yaml' is a symbolic link to a named pipe (FIFO), "
         "not a regular file; it was not read", REGULAR_HINT)]


def test_a_socket_is_refused(mini_specs: Path, monkeypatch):
    qa = mini_specs / "specs/mini/qa.yaml"
    qa.unlink()
    monkeypatch.chdir(qa.parent)  # a socket path must be short: bind it by its relative name
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("qa.yaml")
        assert check(mini_specs, monkeypatch) == [
            ("specs/mini/qa.yaml:1:1: error[unsafe-file]: 'qa.yaml' is a socket, not a regular file; "
             "it was not read", REGULAR_HINT)]


def test_a_device_is_refused_unopened(monkeypatch):
    opened = opened_paths(monkeypatch)
    report = Report()
    assert read_regular_file(Path("/dev/null"), "specs/x/brief.yaml", report) is None
    assert [(d.code, d.message, d.hint) for d in report.sorted()] == [
        ("unsafe-file", "'null' is a character device, not a regular file; it was not read", REGULAR_HINT)]
    assert "/dev/null" not in opened


def test_a_guideline_folder_linked_out_of_the_repository_is_refused(mini_specs: Path, secret: Path, monkeypatch):
    elsewhere = secret.parent / "guideline"
    (mini_specs / "specs/mini").rename(elsewhere)
    (mini_specs / "specs/mini").symlink_to(elsewhere)
    (elsewhere / "brief.yaml").write_text("broken: [\n")  # would be reported if it were read
    listed: list[str] = []
    real_scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": listed.append(os.path.realpath(path)) or real_scandir(path))
    hint = "replace the link with the folder itself, or link to a folder inside the repository"
    expected = [("specs/mini:1:1: error[unsafe-file]: 'mini' is a symbolic link that leaves the repository; "
                 "its files were not read", hint)]
    assert check(mini_specs, monkeypatch) == expected
    # Named directly, or through one of its files (as pre-commit does), it is refused too.
    assert check(mini_specs, monkeypatch, "specs/mini") == expected
    assert check(mini_specs, monkeypatch, "specs/mini/brief.yaml") == expected
    assert str(elsewhere) not in listed


def test_an_unreadable_guideline_folder_is_a_positioned_diagnostic(mini_specs: Path, monkeypatch):
    # Tests run as root, whom permission bits do not stop: the listing is made to fail.
    folder = str(mini_specs / "specs/mini")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.realpath(path) == folder:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert check(mini_specs, monkeypatch) == [
        ("specs/mini:1:1: error[unreadable]: cannot read folder: Permission denied",
         "check that your user may list the folder (e.g. chmod u+rx)")]


def test_an_unreadable_spec_file_is_a_positioned_diagnostic(mini_specs: Path, monkeypatch):
    target = str(mini_specs / "specs/mini/qa.yaml")
    real_open = os.open

    def deny(path, *args, **kwargs):
        if os.path.realpath(path) == target:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    assert check(mini_specs, monkeypatch) == [
        ("specs/mini/qa.yaml:1:1: error[unreadable]: cannot read file: Permission denied",
         "check that the file exists and that your user may read it (e.g. chmod u+r)")]


def test_a_file_swapped_after_it_was_examined_is_not_read(mini_specs: Path, monkeypatch):
    # Between the lstat and the open a FIFO takes the file's place: the descriptor's
    # fstat shows another file, so nothing is read from it (and the open did not block).
    qa = mini_specs / "specs/mini/qa.yaml"
    real_open = os.open

    def swap_then_open(path, *args, **kwargs):
        if os.path.realpath(path) == str(qa):
            qa.unlink()
            os.mkfifo(qa)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", swap_then_open)
    assert check(mini_specs, monkeypatch) == [
        ("specs/mini/qa.yaml:1:1: error[unsafe-file]: 'qa.yaml' changed between being examined and opened; "
         "it was not read", "run the check again once nothing is changing the file")]


def test_the_quoted_line_never_reopens_a_file(tmp_path: Path, monkeypatch):
    # Only text the loader kept is quoted: a file on disk with that path is not read.
    monkeypatch.chdir(tmp_path)
    Path("spec.yaml").write_text(SECRET + "\n")
    report = Report()
    report.error("spec.yaml", (1, 1), "missing-file", "missing spec file spec.yaml")
    assert report.quoted_line(report.diagnostics[0]) is None
    assert SECRET not in format_text(report, 1)


def test_a_long_line_is_cut_around_the_caret():
    line = "x: [" + ", ".join(f"w{i:03}" for i in range(60)) + ", !!python/object z, " + ", ".join(
        f"v{i:03}" for i in range(60)) + "]"
    report = Report()
    load_yaml_text(line + "\n", "f.yaml", report)
    out = format_text(report, 1).splitlines()
    assert out[0] == "f.yaml:1:365: error[yaml-tag]: tag '!!python/object' is not allowed: specs are plain YAML"
    assert out[1] == (
        "    1 | …w050, w051, w052, w053, w054, w055, w056, w057, w058, w059, !!python/object z, v000, v001, v002, "
        "v003, v004, v005, v006,…")
    assert out[2].index("^") == out[1].index("!!python")
    assert len(out[1]) == len("    1 | ") + 120 + 2


def test_a_control_character_is_placed_and_named():
    report = Report()
    load_yaml_text("title: café\nnote: a\x00b\n", "f.yaml", report)
    assert [(d.line, d.col, d.code, d.message, d.hint) for d in report.sorted()] == [
        (2, 8, "yaml-syntax", "control character U+0000 is not allowed in YAML",
         "remove it: it is invisible in most editors, which can find it by its code point U+0000")]


def test_an_integer_key_is_an_unknown_key(mini_specs: Path, monkeypatch):
    manifest = mini_specs / "specs/mini/guideline.yaml"
    manifest.write_text(manifest.read_text().replace("status: draft\n", "status: draft\n1: x\n"))
    [(header, hint)] = check(mini_specs, monkeypatch)
    assert header == "specs/mini/guideline.yaml:6:1: error[unknown-key]: unknown key '1'"
    assert hint.startswith("allowed keys here: id, title, version, status,")


def test_an_integer_key_of_a_free_form_mapping_is_named(mini_specs: Path, monkeypatch):
    sampling = mini_specs / "specs/mini/sampling.yaml"
    sampling.write_text(sampling.read_text().replace("{train: 0.8,", "{1: 0.8,"))
    assert check(mini_specs, monkeypatch) == [
        ("specs/mini/sampling.yaml:8:12: error[wrong-type]: key '1' in splits.shares must be text, not a whole number",
         "quote the key to make it text: '1':")]


def test_invisible_characters_in_ids_are_shown_escaped(mini_specs: Path, monkeypatch):
    taxonomy = mini_specs / "specs/mini/taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("  - id: first_label", "  - id: \"first_label\u200b\""))
    zwsp = "(contains the invisible character U+200B ZERO WIDTH SPACE)"
    assert check(mini_specs, monkeypatch) == [
        (f"specs/mini/decision_tree.yaml:3:1: error[label-unreachable]: no path of the decision tree ends in label "
         f"'first_label\\u200b' {zwsp}", "add an answer with label: first_label\\u200b"),
        (f"specs/mini/decision_tree.yaml:15:16: error[unresolved-ref]: label 'first_label' does not exist; "
         f"did you mean 'first_label\\u200b' {zwsp}?", "use a label id defined in taxonomy.yaml"),
        # The label with the bad id is left out, and the rest of taxonomy.yaml still checked.
        (f"specs/mini/taxonomy.yaml:4:12: error[unresolved-ref]: label 'first_label' does not exist; "
         f"did you mean 'first_label\\u200b' {zwsp}?", "use a label id defined in taxonomy.yaml"),
        (f"specs/mini/taxonomy.yaml:6:9: error[invalid-id]: id 'first_label\\u200b' {zwsp} is not a valid id",
         "delete the invisible character (retype the id); use lowercase letters, digits, '-' and '_', starting "
         "with a letter or digit (at most 64)"),
    ]


def test_a_right_to_left_override_in_a_reference_is_shown_escaped(mini_specs: Path, monkeypatch):
    tree = mini_specs / "specs/mini/decision_tree.yaml"
    tree.write_text(tree.read_text().replace("        label: first_label", "        label: \"first\u202elabel\""))
    assert [header for header, _ in check(mini_specs, monkeypatch)] == [
        "specs/mini/decision_tree.yaml:15:16: error[invalid-id]: label 'first\\u202elabel' (contains the invisible "
        "character U+202E RIGHT-TO-LEFT OVERRIDE) is not a valid id"]


@pytest.mark.parametrize("reserved", ["index", "latest", "releases", "assets", "search", "404"])
def test_new_refuses_reserved_ids(reserved: str, tmp_path: Path):
    with pytest.raises(UsageError) as refused:
        scaffold(reserved, tmp_path / "specs")
    assert refused.value.message.startswith(f"'{reserved}' is a reserved id: the site uses it for ")
    assert refused.value.hint == (f"choose another id, e.g. {reserved}-guideline; "
                                  "reserved: 404, assets, index, latest, releases, search")
    assert not (tmp_path / "specs").exists()


def test_new_latest_is_a_usage_error(tmp_path: Path):
    result = run_labelbook("new", "latest", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "error: 'latest' is a reserved id: the site uses it for the newest release of each guideline, "
        "/<guideline>/latest/\n"
        "hint: choose another id, e.g. latest-guideline; reserved: 404, assets, index, latest, releases, search\n")
    assert not (tmp_path / "specs").exists()


def test_no_traceback_on_a_pipe_passed_as_the_spec_file(mini_specs: Path):
    qa = mini_specs / "specs/mini/qa.yaml"
    qa.unlink()
    os.mkfifo(qa)
    result = subprocess.run([str(LABELBOOK), "check", "specs/mini/qa.yaml"], cwd=mini_specs, capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == (
        "specs/mini/qa.yaml:1:1: error[unsafe-file]: 'qa.yaml' is a named pipe (FIFO), not a regular file; "
        "it was not read")
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(("text", "message"), [
    # Found by tests/test_fuzz_check.py: PyYAML's constructors assume the implicit
    # resolver matched, so an explicit tag on other text raised inside them.
    ("a: !!timestamp hello\n", "cannot read value 'hello' as a date (YYYY-MM-DD)"),
    ("a: !!int ''\n", "cannot read value '' as a whole number"),
    ("a: !!float ''\n", "cannot read value '' as a number"),
    # Only true and false are booleans, and only an empty value, ~ or null is nothing,
    # even when tagged.
    ("a: !!bool yes\n", "cannot read value 'yes' as true or false"),
    ("a: !!null abc\n", "cannot read value 'abc' as nothing (empty, ~ or null)"),
])
def test_an_explicit_tag_on_the_wrong_text_is_a_value_error(text: str, message: str):
    report = Report()
    assert load_yaml_text(text, "f.yaml", report) is None
    kind = message.split(" as ", 1)[1]
    assert [(d.line, d.col, d.code, d.message, d.hint) for d in report.sorted()] == [
        (1, 4, "yaml-value", message, f"quote the value to keep it as text, or write it as {kind}")]

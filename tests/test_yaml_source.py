"""The YAML loader accepts plain YAML only, remembers positions, and refuses hostile input fast."""

from __future__ import annotations

import time
from pathlib import Path

from generator.diagnostics import Report
from generator.spec_file import MAX_FILE_BYTES
from generator.yaml_source import load_yaml_file, load_yaml_text


def load(text: str):
    report = Report()
    source = load_yaml_text(text, "f.yaml", report)
    return source, [(d.line, d.col, d.code, d.message) for d in report.sorted()]


def test_positions_of_values_and_keys_are_one_based():
    source, problems = load("labels:\n  - id: a\n    name: Alpha\n")
    assert problems == []
    assert source.data == {"labels": [{"id": "a", "name": "Alpha"}]}
    assert source.positions[("labels", 0, "name")] == (3, 11)
    assert source.key_positions[("labels", 0, "name")] == (3, 5)
    # A path that does not exist falls back to its nearest existing ancestor.
    assert source.pos(("labels", 0, "missing")) == (2, 5)


def test_yes_and_no_stay_text_only_true_and_false_are_booleans():
    source, problems = load("a: No\nb: yes\nc: off\nd: true\ne: False\n")
    assert problems == []
    assert source.data == {"a": "No", "b": "yes", "c": "off", "d": True, "e": False}


def test_duplicate_keys_are_reported_with_the_first_line():
    _, problems = load("a: 1\nb: 2\na: 3\n")
    assert problems == [(3, 1, "duplicate-key", "duplicate key 'a' (first defined on line 1)")]


def test_object_building_tags_are_refused():
    _, problems = load("x: !!python/object/apply:os.system ['echo hi']\n")
    assert problems == [(1, 4, "yaml-tag", "tag '!!python/object/apply:os.system' is not allowed: specs are plain YAML")]


def test_custom_tags_are_refused():
    _, problems = load("x: !include other.yaml\n")
    assert problems == [(1, 4, "yaml-tag", "tag '!include' is not allowed: specs are plain YAML")]


def test_merge_keys_are_refused():
    _, problems = load("base: &b {a: 1}\nother:\n  <<: *b\n")
    assert problems == [(3, 3, "yaml-merge", "merge keys ('<<') are not supported")]


def test_small_aliases_are_expanded():
    source, problems = load("a: &x [1, 2]\nb: *x\n")
    assert problems == []
    assert source.data == {"a": [1, 2], "b": [1, 2]}


def test_billion_laughs_is_refused_in_well_under_a_second():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    started = time.perf_counter()
    _, problems = load("\n".join(lines) + "\n")
    elapsed = time.perf_counter() - started
    assert [p[2] for p in problems] == ["yaml-alias"]
    assert problems[0][3] == "aliases expand to more than 10000 extra values (an alias bomb?)"
    assert elapsed < 0.5


def test_recursive_alias_is_refused():
    _, problems = load("a: &x\n  - *x\n")
    assert [p[2] for p in problems] == ["yaml-alias"]


def test_more_than_one_document_is_a_syntax_error():
    _, problems = load("a: 1\n---\nb: 2\n")
    assert problems == [(2, 1, "yaml-syntax", "YAML syntax error: but found another document "
                                               "(expected a single document in the stream)")]


def test_non_utf8_file_is_named_with_the_offending_byte(tmp_path: Path):
    path = tmp_path / "brief.yaml"
    path.write_bytes(b"purpose: [training]\nnote: caf\xe9\n")
    report = Report()
    assert load_yaml_file(path, "specs/x/brief.yaml", report) is None
    [d] = report.sorted()
    assert (d.path, d.line, d.col, d.code, d.message) == (
        "specs/x/brief.yaml", 2, 10, "encoding", "file is not UTF-8 (byte 0xE9 at offset 29)")


def test_file_over_the_size_bound_is_not_read(tmp_path: Path):
    path = tmp_path / "taxonomy.yaml"
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    report = Report()
    assert load_yaml_file(path, "t.yaml", report) is None
    assert [d.code for d in report.sorted()] == ["file-too-large"]


def test_empty_file_loads_as_nothing():
    source, problems = load("# only a comment\n")
    assert problems == [] and source.data is None

"""Every kind of change, the type it implies and the bump it requires."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from generator.diagnostics import Report
from generator.load import load_blobs
from generator.semantic_diff import bump_between, diff_guidelines, next_version

MINI = FIXTURES / "specs/mini"


def variant(edits: dict[str, list[tuple[str, str]]] | None = None):
    """The mini guideline with text replacements applied per file."""
    blobs = {p.name: p.read_bytes() for p in MINI.iterdir()}
    for name, replacements in (edits or {}).items():
        text = blobs[name].decode()
        for old, new in replacements:
            assert old in text, (name, old)
            text = text.replace(old, new, 1)
        blobs[name] = text.encode()
    report = Report()
    guideline = load_blobs("mini", "specs/mini", blobs, report)
    assert guideline is not None, [d.message for d in report.sorted()]
    return guideline


def summary(diff):
    return [(c.subject, c.what, c.type) for c in diff.changes]


BASE = variant()
FIRST = '  - id: first_label\n    name: "A concrete, behaviour-based name"\n'


def test_no_change_needs_no_bump():
    diff = diff_guidelines(BASE, variant())
    assert diff.changes == [] and diff.required_bump == "none" and diff.problems() == []


def test_added_example_is_a_clarification():
    new = variant({"taxonomy.yaml": [("      positive:\n", '      positive:\n        - text: "A fourth item"\n'
                                                         '          explanation: "Meets criterion 1"\n')]})
    diff = diff_guidelines(BASE, new)
    assert summary(diff) == [("label first_label", "positive example added", "clarification")]
    assert diff.required_bump == "patch"


def test_changed_include_criterion_is_a_definition_change():
    new = variant({"taxonomy.yaml": [('      - "An inclusion criterion"', '      - "A narrower inclusion criterion"')]})
    diff = diff_guidelines(BASE, new)
    assert summary(diff) == [
        ("label first_label", "include criterion added", "definition"),
        ("label first_label", "include criterion removed", "definition"),
    ]
    assert diff.required_bump == "minor"


def test_declared_clarification_with_reason_downgrades_a_definition_change():
    new = variant({
        "taxonomy.yaml": [('      - "An inclusion criterion"', '      - "An inclusion criterion, reworded"')],
        "guideline.yaml": [("version: 0.1.0", "version: 0.1.1"), ("changes: []", (
            "changes:\n  - type: clarification\n    summary: Reworded criterion 1\n"
            "    rationale: Same meaning; raters misread the old wording\n"
            "    relabel_impact: {relabel: none}\n    labels: [first_label]"))],
    })
    diff = diff_guidelines(BASE, new)
    assert {c.type for c in diff.changes} == {"clarification"}
    assert {c.declared_reason for c in diff.changes} == {"Same meaning; raters misread the old wording"}
    assert diff.required_bump == "patch" and diff.made_bump == "patch" and diff.problems() == []


def test_removed_label_is_a_taxonomy_change():
    taxonomy = (MINI / "taxonomy.yaml").read_text()
    second = taxonomy[taxonomy.index("  - id: second_label"):taxonomy.index("  - id: not_enough_info")]
    new = variant({
        "taxonomy.yaml": [(second, ""), ("priority: [first_label, second_label, not_enough_info]",
                                         "priority: [first_label, not_enough_info]")],
        "decision_tree.yaml": [('      - answer: "Answer for the second label"\n        label: second_label\n', "")],
    })
    diff = diff_guidelines(BASE, new)
    assert ("label second_label", "removed", "taxonomy") in summary(diff)
    assert diff.label_map["second_label"] == []
    assert diff.required_bump == "major"


def test_merge_reads_as_a_merge_with_a_label_map():
    taxonomy = (MINI / "taxonomy.yaml").read_text()
    second = taxonomy[taxonomy.index("  - id: second_label"):taxonomy.index("  - id: not_enough_info")]
    new = variant({
        "taxonomy.yaml": [(second, ""), (FIRST, "  - id: merged\n    replaces: [first_label, second_label]\n"
                                                '    name: "A concrete, behaviour-based name"\n'),
                          ("priority: [first_label, second_label, not_enough_info]", "priority: [merged, not_enough_info]")],
        "decision_tree.yaml": [('      - answer: "Answer for the second label"\n        label: second_label\n', ""),
                               ("        label: first_label", "        label: merged")],
    })
    diff = diff_guidelines(BASE, new)
    assert ("label merged", "merged from first_label, second_label", "taxonomy") in summary(diff)
    assert diff.label_map == {"first_label": ["merged"], "not_enough_info": ["not_enough_info"],
                              "second_label": ["merged"]}


def test_split_reads_as_a_split():
    new = variant({"taxonomy.yaml": [("  - id: second_label\n", "  - id: second_a\n    split_from: first_label\n"
                                      "    name: Split part\n    definition: A part split off the first label with "
                                      "its own observable criteria\n    include: [x]\n    exclude: [y]\n"
                                      "  - id: second_label\n")],
                  "decision_tree.yaml": [('      - answer: "Answer for the second label"\n',
                                          '      - answer: "Split part"\n        label: second_a\n'
                                          '      - answer: "Answer for the second label"\n')]})
    diff = diff_guidelines(BASE, new)
    assert ("label first_label", "split into second_a", "taxonomy") in summary(diff)
    assert diff.label_map["first_label"] == ["first_label", "second_a"]


def test_reparented_label_is_a_taxonomy_change():
    new = variant({"taxonomy.yaml": [("  - id: second_label\n", "  - id: second_label\n    parent: first_label\n")]})
    assert summary(diff_guidelines(BASE, new)) == [("label second_label", "re-parented", "taxonomy")]


def test_renamed_display_name_is_a_clarification():
    new = variant({"taxonomy.yaml": [(FIRST, '  - id: first_label\n    name: "A clearer name"\n')]})
    assert summary(diff_guidelines(BASE, new)) == [("label first_label", "name changed", "clarification")]


def test_rule_action_change_is_a_definition_change():
    new = variant({"edge_cases.yaml": [("      kind: unknown\n", "      kind: label\n      label: first_label\n")]})
    assert summary(diff_guidelines(BASE, new)) == [("rule missing-context", "action changed", "definition")]


def test_decision_tree_path_to_a_different_label():
    new = variant({"decision_tree.yaml": [
        ('"Answer for the first label"\n        label: first_label', '"Answer for the first label"\n        label: second_label'),
        ('"Answer for the second label"\n        label: second_label', '"Answer for the second label"\n        label: first_label'),
    ]})
    diff = diff_guidelines(BASE, new)
    assert [c.what for c in diff.changes] == [
        "path enough-context: Yes → main-question: Answer for the first label now ends differently",
        "path enough-context: Yes → main-question: Answer for the second label now ends differently",
    ]
    assert {c.type for c in diff.changes} == {"definition"}
    assert diff.changes[0].before == "label first_label" and diff.changes[0].after == "label second_label"


def test_reworded_answer_is_a_clarification_not_a_new_path():
    new = variant({"decision_tree.yaml": [('      - answer: "No"', '      - answer: "No, it cannot"')]})
    assert summary(diff_guidelines(BASE, new)) == [("question enough-context", "answer reworded", "clarification")]


@pytest.mark.parametrize("new_threshold, word", [("0.75", "tightened"), ("0.6", "loosened")])
def test_acceptance_threshold_tightened_or_loosened(new_threshold, word):
    new = variant({"acceptance.yaml": [("    threshold: 0.67", f"    threshold: {new_threshold}")]})
    assert summary(diff_guidelines(BASE, new)) == [("criterion agreement", f"threshold {word}", "clarification")]


def test_qa_plan_change_is_a_clarification():
    new = variant({"qa.yaml": [("    gate_set_size: 50", "    gate_set_size: 80")]})
    assert summary(diff_guidelines(BASE, new)) == [("qa", "onboarding changed", "clarification")]


def test_bumps():
    assert bump_between("1.2.3", "2.0.0") == "major"
    assert bump_between("1.2.3", "1.3.0") == "minor"
    assert bump_between("1.2.3", "1.2.4") == "patch"
    assert bump_between("1.2.3", "1.2.3") == "none"
    assert bump_between("1.2.3", "1.2.2") == "downgrade"
    assert next_version("1.2.3", "minor") == "1.3.0"


@pytest.mark.parametrize("old, new, bump", [
    ("2.0.0-rc.2", "2.0.0-rc.1", "downgrade"),
    ("2.0.0-beta", "2.0.0-alpha", "downgrade"),
    ("2.0.0-rc.1", "2.0.0-rc.2", "major"),  # on the way to 2.0.0: see test_semver_precedence.py
    ("2.0.0-rc.9", "2.0.0-rc.10", "major"),
    ("2.0.0-rc.1", "2.0.0", "major"),
    ("2.0.0", "2.0.0-rc.1", "downgrade"),
    ("1.0.0", "1.0.0+build.2", "none"),
    ("1.9.0", "2.0.0-rc.1", "major"),
])
def test_bumps_follow_semver_precedence(old, new, bump):
    assert bump_between(old, new) == bump


def test_next_version_after_a_pre_release():
    assert next_version("2.0.0-rc.1", "patch") == "2.0.0"
    assert next_version("2.0.0-rc.1", "major") == "2.0.0"
    assert next_version("2.1.3-rc.1", "minor") == "2.2.0"


def test_too_small_a_bump_and_undeclared_type_are_problems():
    new = variant({"taxonomy.yaml": [('      - "An inclusion criterion"', '      - "A narrower inclusion criterion"')],
                   "guideline.yaml": [("version: 0.1.0", "version: 0.1.1"), ("changes: []", (
                       "changes:\n  - type: clarification\n    summary: Wording\n    rationale: Typos\n"
                       "    relabel_impact: {relabel: none}"))]})
    diff = diff_guidelines(BASE, new)
    assert diff.problems() == [
        "a patch bump (0.1.0 -> 0.1.1) is smaller than the minor bump these changes require (0.2.0)",
        "a definition change was detected but guideline.yaml declares no change of that type: "
        "add a `changes` entry with type: definition",
    ]


def test_rewrapped_text_is_not_a_change():
    new = variant({"taxonomy.yaml": [('    definition: "A short definition in observable terms"',
                                      "    definition: >-\n      A short definition\n      in observable terms")]})
    assert diff_guidelines(BASE, new).changes == []


# Task-shape fields: what each change means for data already labelled.
def test_a_new_label_value_is_a_taxonomy_change():
    new = variant({"taxonomy.yaml": [(FIRST, FIRST + "    value: FIRST\n")]})
    diff = diff_guidelines(BASE, new)
    assert summary(diff) == [("label first_label", "value changed", "taxonomy")]
    assert diff.required_bump == "major"


def test_a_skip_instead_of_an_unknown_label_is_a_definition_change():
    new = variant({"taxonomy.yaml": [("unknown_label: not_enough_info\n", "undecidable: {skip: Press Skip}\n")],
                   "edge_cases.yaml": [("kind: unknown", "kind: escalate\n      route: policy-team")]})
    diff = diff_guidelines(BASE, new)
    assert ("taxonomy", "what to do with undecidable items changed", "definition") in summary(diff)
    assert ("taxonomy", "unknown label changed", "definition") in summary(diff)
    assert diff.required_bump == "minor"


def test_a_by_case_rule_shows_its_cases():
    rule = "kind: unknown"
    new = variant({"edge_cases.yaml": [(rule, "kind: by-case\n      cases:\n        - {when: before a noun, label: "
                                              "first_label}\n        - {when: alone, label: second_label}")]})
    diff = diff_guidelines(BASE, new)
    [change] = [c for c in diff.changes if c.what == "action changed"]
    assert (change.before, change.after, change.type) == (
        "unknown", "by case: before a noun -> first_label; alone -> second_label", "definition")


def multi_variant(taxonomy_edits: list[tuple[str, str]] = ()):
    """The mini guideline as a multi-label task (tests/fixtures/shapes/multi), edited."""
    taxonomy = (FIXTURES / "shapes/multi/taxonomy.yaml").read_text()
    for old, new in taxonomy_edits:
        assert old in taxonomy, old
        taxonomy = taxonomy.replace(old, new, 1)
    return variant({"guideline.yaml": [("task_type: single-label", "task_type: multi-label")],
                    "taxonomy.yaml": [((MINI / "taxonomy.yaml").read_text(), taxonomy)]})


def test_group_membership_and_exclusivity_are_definition_changes():
    old = multi_variant()
    new = multi_variant([("max_per_item: 1", "max_per_item: 2"), ("    exclusive: true\n", "")])
    assert summary(diff_guidelines(old, new)) == [
        ("label not_enough_info", "no longer exclusive", "definition"),
        ("group main-pair", "members or limit changed", "definition"),
    ]


def rating_variant(taxonomy_edits: list[tuple[str, str]] = ()):
    """The mini guideline as a rubric of two scales (tests/fixtures/shapes/rating)."""
    shape = FIXTURES / "shapes/rating"
    taxonomy = (shape / "taxonomy.yaml").read_text()
    for old, new in taxonomy_edits:
        assert old in taxonomy, old
        taxonomy = taxonomy.replace(old, new, 1)
    return variant({"guideline.yaml": [("task_type: single-label", "task_type: rating")],
                    "taxonomy.yaml": [((MINI / "taxonomy.yaml").read_text(), taxonomy)],
                    "decision_tree.yaml": [((MINI / "decision_tree.yaml").read_text(),
                                            (shape / "decision_tree.yaml").read_text())],
                    "edge_cases.yaml": [((MINI / "edge_cases.yaml").read_text(),
                                         (shape / "edge_cases.yaml").read_text())]})


def test_a_rubric_criterion_redefined_is_a_definition_change():
    old = rating_variant()
    new = rating_variant([('definition: "Whether the facts are right"', 'definition: "Whether every fact is right"')])
    assert summary(diff_guidelines(old, new)) == [("criterion accuracy", "definition changed", "definition")]

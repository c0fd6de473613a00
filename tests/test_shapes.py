"""The task shape decides what an example is: multi-label sets, target tokens, spans.
Each shape's fixture (tests/fixtures/shapes/<shape>/taxonomy.yaml over the mini
guideline) passes --strict; each planted mistake gives its exact message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from generator.load import load_guidelines
from generator.shape_check import find_token, resolve_spans
from generator.spec.common import Example

SHAPES = {
    "multi": ("multi-label", ""),
    "tokens": ("token-tagging", 'tokens: {tokenization: "Whitespace and punctuation apart", language: en}\n'),
    "spans": ("span", ""),
    "preference": ("preference", "preference: {responses: 2, order_randomized: true}\n"),
    "rating": ("rating", ""),
    "boxes": ("box", "boxes: {min_size: 4, occluded: Box the visible part}\n"),
}


def shape_project(root: Path, shape: str) -> Path:
    """A project holding specs/mini rewritten to the given shape."""
    shutil.copytree(FIXTURES / "specs", root / "specs")
    folder = root / "specs/mini"
    # The shape's own files (taxonomy.yaml, and where the shape needs them a decision tree,
    # edge cases or images) replace the mini guideline's.
    for entry in (FIXTURES / "shapes" / shape).iterdir():
        if entry.is_dir():
            shutil.copytree(entry, folder / entry.name)
        else:
            shutil.copy(entry, folder / entry.name)
    task_type, options = SHAPES[shape]
    manifest = folder / "guideline.yaml"
    manifest.write_text(manifest.read_text().replace("task_type: single-label\n", f"task_type: {task_type}\n{options}"))
    return root


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "specs/mini" / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def check(root: Path, monkeypatch, strict: bool = True) -> list[str]:
    monkeypatch.chdir(root)
    report = load_guidelines([Path("specs")], strict=strict).report
    return [f"{d.path}:{d.line}:{d.col}: {d.severity}[{d.code}]: {d.message}" for d in report.sorted()]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_each_shape_fixture_is_clean(shape, tmp_path, monkeypatch):
    assert check(shape_project(tmp_path, shape), monkeypatch) == []


def at(root: Path, name: str, line_has: str, col_at: str, message: str, nth: int = 1) -> str:
    """A diagnostic line positioned on the nth line holding `line_has`, at `col_at` in it
    (positions derived from the planted file, not copied from the output)."""
    lines = (root / "specs/mini" / name).read_text().splitlines()
    number = [i for i, line in enumerate(lines, start=1) if line_has in line][nth - 1]
    return f"specs/mini/{name}:{number}:{lines[number - 1].index(col_at) + 1}: error{message}"


def every(root: Path, name: str, line_has: str, col_at: str, message: str) -> list[str]:
    """The same diagnostic on every line holding `line_has`."""
    lines = (root / "specs/mini" / name).read_text().splitlines()
    return [f"specs/mini/{name}:{i}:{line.index(col_at) + 1}: error{message}"
            for i, line in enumerate(lines, start=1) if line_has in line]


CASES = [
    # (shape, file, old, new, expected: each a function of the planted project)
    ("multi", "taxonomy.yaml", '{text: "A near miss 1", labels: {second_label:', '{text: "A near miss 1", labels: {first_label:',
     lambda r: [at(r, "taxonomy.yaml", "A near miss 1", "first_label", "[negative-own-label]: negative example of "
                   "'first_label' lists 'first_label' itself in its labels")]),
    ("multi", "taxonomy.yaml", '{text: "An item that is first_label 1", labels: {first_label: "meets criterion 1"}',
     '{text: "An item that is first_label 1", labels: {first_label: "meets criterion 1", not_enough_info: "x"}',
     lambda r: [at(r, "taxonomy.yaml", "first_label 1", "labels:", "[exclusive-combined]: example combines "
                   "exclusive label 'not_enough_info' with 'first_label'")]),
    ("multi", "taxonomy.yaml", '{text: "An item that is first_label 1", labels: {first_label: "meets criterion 1"}',
     '{text: "An item that is first_label 1", labels: {first_label: "meets criterion 1", second_label: "x"}',
     lambda r: [at(r, "taxonomy.yaml", "first_label 1", "labels:", "[invalid-value]: example carries 2 labels of "
                   "group 'main-pair' (first_label, second_label); the group allows 1")]),
    ("multi", "taxonomy.yaml", '{text: "An item that is first_label 2", labels: {first_label:',
     '{text: "An item that is first_label 2", labels: {second_label:',
     lambda r: [at(r, "taxonomy.yaml", "first_label 2", "labels:", "[example-label]: positive example of "
                   "'first_label' does not list 'first_label' in its labels")]),
    ("multi", "taxonomy.yaml", "members: [first_label, second_label]", "members: [first_label, second_lable]",
     lambda r: [at(r, "taxonomy.yaml", "members:", "second_lable", "[unresolved-ref]: label 'second_lable' does not "
                   "exist; did you mean 'second_label'?")]),
    ("multi", "guideline.yaml", "task_type: multi-label", "task_type: multi-label\nlabels_per_item: {min: 2}",
     lambda r: every(r, "taxonomy.yaml", "labels: {", "labels:", "[invalid-value]: example carries 1 label; an item "
                     "carries at least 2 (labels_per_item in guideline.yaml)")),
    ("multi", "guideline.yaml", "task_type: multi-label", "task_type: single-label",
     lambda r: [at(r, "taxonomy.yaml", "groups:", "groups", "[shape-mismatch]: groups belongs to multi-label "
                   "guidelines; this one is single-label")]
     + every(r, "taxonomy.yaml", "labels: {", "labels:", "[shape-mismatch]: an example's labels belongs to "
             "multi-label guidelines; this one is single-label")
     + [at(r, "taxonomy.yaml", "exclusive: true", "exclusive", "[shape-mismatch]: exclusive belongs to multi-label "
           "guidelines; this one is single-label")]),
    ("multi", "taxonomy.yaml", "unknown_label: not_enough_info\n", "unknown_label: not_enough_info\nmode: exclusive\n",
     lambda r: [at(r, "taxonomy.yaml", "mode:", "exclusive", "[shape-mismatch]: mode 'exclusive' contradicts "
                   "task_type 'multi-label' in guideline.yaml")]),
    ("tokens", "taxonomy.yaml", '{text: "We met before the talk 1.", token: before,',
     '{text: "We met before the talk 1.", token: befor,',
     lambda r: [at(r, "taxonomy.yaml", "token: befor,", "befor,", "[example-token]: token 'befor' does not occur as "
                   "a word in the text")]),
    ("tokens", "taxonomy.yaml", '{text: "the the 1", token: the, occurrence: 2,',
     '{text: "the the 1", token: the, occurrence: 3,',
     lambda r: [at(r, "taxonomy.yaml", "occurrence: 3", "the, occ", "[example-token]: token 'the' occurs 2 times in "
                   "the text, not 3")]),
    ("tokens", "taxonomy.yaml", '{text: "I saw it before 1.", token: before, label: second_label,',
     '{text: "I saw it before 1.", token: before, label: first_label,',
     lambda r: [at(r, "taxonomy.yaml", "I saw it before 1.", "first_label", "[negative-own-label]: negative example "
                   "of 'first_label' says it gets 'first_label' itself")]),
    ("tokens", "taxonomy.yaml", "    value: ADV\n", "    value: ADP\n",
     lambda r: [at(r, "taxonomy.yaml", "value: ADP", "ADP", "[duplicate-value]: label value 'ADP' is used twice "
                   "(first on line 4): the data could not tell the labels apart", nth=2)]),
    ("spans", "taxonomy.yaml", "{start: 17, end: 32, label: first_label}", "{start: 17, end: 36, label: first_label}",
     lambda r: [at(r, "taxonomy.yaml", "Charles Babbage 1", "{start: 17", "[example-span]: span 17-36 lies outside "
                   "the text (35 characters)")]),
    ("spans", "taxonomy.yaml", "{start: 17, end: 32, label: first_label}", "{start: 4, end: 12, label: first_label}",
     lambda r: [at(r, "taxonomy.yaml", "Charles Babbage 1", "{start: 4", "[example-span]: span 'Lovelace' (4-12) lies "
                   "inside span 'Ada Lovelace' (0-12)")]),
    ("spans", "taxonomy.yaml", "{text: Paris, occurrence: 2, label: second_label}",
     "{text: Paris, occurrence: 3, label: second_label}",
     lambda r: [at(r, "taxonomy.yaml", "occurrence: 3", "{text: Paris, occ", "[example-span]: span text 'Paris' "
                   "does not occur 3 times in the example's text")]),
    ("spans", "taxonomy.yaml", '{text: "Lovelace Street 1", spans: [{text: Lovelace Street, label: second_label}]',
     '{text: "Lovelace Street 1", spans: [{text: Lovelace Street, label: first_label}]',
     lambda r: [at(r, "taxonomy.yaml", "Lovelace Street 1", "spans:", "[negative-own-label]: negative example of "
                   "'first_label' has a span labelled 'first_label'")]),
    ("boxes", "taxonomy.yaml", '{text: "The car, tight 1", image: images/street.png, boxes: [{label: first_label, x: 4,',
     '{text: "The car, tight 1", image: images/street.png, boxes: [{label: first_label, x: 44,',
     lambda r: [at(r, "taxonomy.yaml", "The car, tight 1", "{label: first_label, x: 44", "[example-box]: box 44,20 "
                   "24x16 ends outside the image (64x48 pixels)")]),
    ("boxes", "taxonomy.yaml", "{label: second_label, x: 36, y: 6, w: 24, h: 20}",
     "{label: second_label, x: 36, y: 6, w: 24, h: 3}",
     lambda r: [at(r, "taxonomy.yaml", "h: 3}", "{label: second_label, x: 36, y: 6, w: 24, h: 3}",
                   "[example-box]: box 24x3 is smaller than the guideline's minimum of 4 pixels")]),
    ("boxes", "taxonomy.yaml", '{text: "A clear car 1", image: images/street.png',
     '{text: "A clear car 1", image: ../../secret.png',
     lambda r: [at(r, "taxonomy.yaml", "A clear car 1", "../../secret.png", "[example-image]: image path "
                   "'../../secret.png' leaves the guideline folder")]),
    ("boxes", "taxonomy.yaml", '{text: "A clear car 1", image: images/street.png',
     '{text: "A clear car 1", image: images/road.png',
     lambda r: [at(r, "taxonomy.yaml", "A clear car 1", "images/road.png", "[example-image]: image "
                   "'images/road.png': cannot read file: No such file or directory")]),
    ("boxes", "taxonomy.yaml", '{text: "The person 1", image: images/street.png, boxes: [{label: second_label,',
     '{text: "The person 1", image: images/street.png, boxes: [{label: first_label,',
     lambda r: [at(r, "taxonomy.yaml", "The person 1", "boxes:", "[example-label]: positive example of "
                   "'second_label' has no box of class 'second_label'")]),
    ("preference", "taxonomy.yaml", '{text: "Guess a city 1", responses: ["Paris is the capital of France.", ',
     '{text: "Guess a city 1", responses: ["Paris.", "Lyon.", ',
     lambda r: [at(r, "taxonomy.yaml", "Guess a city 1", "responses:", "[example-responses]: the example has 3 "
                   "responses; raters compare 2")]),
    ("preference", "taxonomy.yaml", "judgments: {helpfulness: first_label},", "judgments: {helpfullness: first_label},",
     lambda r: [at(r, "taxonomy.yaml", "helpfullness", "helpfullness", "[unresolved-ref]: 'helpfullness' is not one "
                   "of the dimensions or criteria of taxonomy.yaml")]),
    ("preference", "taxonomy.yaml", "judgments: {helpfulness: first_label, harmlessness: first_label}",
     "judgments: {helpfulness: first_label, harmlessness: clarity_high}",
     lambda r: [at(r, "taxonomy.yaml", "harmlessness: clarity_high", "clarity_high", "[invalid-value]: "
                   "'clarity_high' is not an answer for 'harmlessness'; one of: first_label, not_enough_info, "
                   "second_label")]),
    ("rating", "taxonomy.yaml", "points: [accuracy_0, accuracy_1]", "points: [accuracy_1, accuracy_0]",
     lambda r: [at(r, "taxonomy.yaml", "points: [accuracy_1, accuracy_0]", "accuracy_0]", "[invalid-value]: the "
                   "points of criterion 'accuracy' must rise from the lowest to the highest; 'accuracy_0' (0) "
                   "follows a point worth 1")]),
    ("rating", "taxonomy.yaml", "points: [accuracy_0, accuracy_1]", "points: [accuracy_0]",
     lambda r: [at(r, "taxonomy.yaml", "points: [accuracy_0]", "[accuracy_0]", "[too-few]: points in criteria[accuracy] "
                   "needs at least 2 items")]),
    ("rating", "taxonomy.yaml", '    value: "2"\n', '    value: "two"\n',
     lambda r: [at(r, "taxonomy.yaml", 'value: "two"', '"two"', "[invalid-value]: point 'clarity_2' of criterion "
                   "'clarity' has the value 'two', not a number")]),
]


@pytest.mark.parametrize("shape, name, old, new, expected", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_planted_shape_mistake_gives_exact_message(shape, name, old, new, expected, tmp_path, monkeypatch):
    root = shape_project(tmp_path, shape)
    edit(root, name, old, new)
    assert check(root, monkeypatch, strict=False) == expected(root)


def test_a_checklist_asks_every_question_and_ticks_labels(tmp_path, monkeypatch):
    root = shape_project(tmp_path, "multi")
    (root / "specs/mini/decision_tree.yaml").write_text("""\
kind: checklist
questions:
  - id: q-context
    about: not_enough_info
    question: "Can the item be judged with the context shown?"
    answers:
      - {answer: "No", label: not_enough_info}
      - {answer: "Yes"}
  - id: q-pair
    about: main-pair
    question: "Which of the pair applies?"
    answers:
      - {answer: "The first", label: first_label}
      - {answer: "The second", label: second_lable}
      - {answer: "Neither", next: q-context}
""")
    assert check(root, monkeypatch, strict=False) == [
        "specs/mini/decision_tree.yaml:2:1: error[label-unreachable]: no answer of the checklist ticks label "
        "'second_label'",
        "specs/mini/decision_tree.yaml:14:39: error[unresolved-ref]: label 'second_lable' does not exist; "
        "did you mean 'second_label'?",
        "specs/mini/decision_tree.yaml:15:35: error[invalid-value]: answer 'Neither' of question 'q-pair' has next, "
        "but a checklist asks every question in order",
    ]


def test_a_checklist_belongs_to_shapes_that_answer_every_question(tmp_path, monkeypatch, mini_specs):
    edit(mini_specs, "decision_tree.yaml", "start: enough-context\n", "kind: checklist\n")
    got = check(mini_specs, monkeypatch, strict=False)
    assert got[0] == ("specs/mini/decision_tree.yaml:2:7: error[shape-mismatch]: a checklist tree belongs to "
                      "multi-label, rating and preference guidelines; this one is single-label")


def test_a_path_tree_needs_a_start(mini_specs, monkeypatch):
    edit(mini_specs, "decision_tree.yaml", "start: enough-context\n", "")
    assert check(mini_specs, monkeypatch, strict=False) == [
        "specs/mini/decision_tree.yaml:2:1: error[missing-key]: decision_tree.yaml needs start: the id of the "
        "first question"]


@pytest.mark.parametrize("undecidable, expected", [
    ("undecidable: {escalate: policy-team}\n", []),
    ("undecidable: {skip: \"Press Skip\"}\n", []),
    ("undecidable: {escalate: policy-tem}\n",
     ["specs/mini/taxonomy.yaml:3:25: error[unresolved-ref]: route 'policy-tem' does not exist; "
      "did you mean 'policy-team'?"]),
    ("undecidable: {}\n",
     ["specs/mini/taxonomy.yaml:3:1: error[invalid-value]: undecidable needs exactly one of escalate or skip"]),
])
def test_the_unknown_path_may_be_an_escalation_or_a_skip(undecidable, expected, mini_specs, monkeypatch):
    # Without the unknown label: its rule and tree answer escalate instead.
    edit(mini_specs, "taxonomy.yaml", "unknown_label: not_enough_info\n", undecidable)
    edit(mini_specs, "edge_cases.yaml", "kind: unknown", "kind: escalate\n      route: policy-team")
    assert check(mini_specs, monkeypatch, strict=True) == expected


def test_both_an_unknown_label_and_undecidable_is_contradictory(mini_specs, monkeypatch):
    edit(mini_specs, "taxonomy.yaml", "unknown_label: not_enough_info\n",
         "unknown_label: not_enough_info\nundecidable: {skip: Press Skip}\n")
    assert check(mini_specs, monkeypatch, strict=False) == [
        "specs/mini/taxonomy.yaml:4:1: error[invalid-value]: undecidable contradicts unknown_label "
        "'not_enough_info': raters need one instruction"]


def test_token_and_span_positions():
    assert find_token("Before we met before noon", "before", 1) == (14, 20)
    assert find_token("before-hand before", "before", 2) == (12, 18)  # hyphen splits words
    assert find_token("beforehand", "before", 1) is None
    example = Example(text="Paris Hilton in Paris", explanation="x",
                      spans=[{"text": "Paris", "occurrence": 2, "label": "loc"}, {"start": 0, "end": 12, "label": "per"},
                             {"start": 0, "end": 5, "text": "Paris", "label": "loc"}])
    assert [(s.start, s.end, s.label) for s in resolve_spans(example)] == [(16, 21, "loc"), (0, 12, "per"),
                                                                             (0, 5, "loc")]

"""The judgment shapes' exports (preference, rating) and the box export, read back the way
each tool reads them: Label Studio configs through label_studio_sdk's LabelInterface
(controls, toName, the values a result may carry, maxRating), Argilla settings through
argilla's Settings.from_json (read back unchanged, with the right question types),
Prodigy through its recipe lines and options, the CSV through the csv module. What a tool
cannot hold is a usage error with a hint.

Guidelines come from tests/test_shapes.py's shape fixtures; variants are made by editing
the fixture's YAML, and every one passes `check --strict` before it is exported."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from unittest import mock

import pytest
import yaml
from label_studio_sdk.label_interface import LabelInterface

from conftest import run_labelbook
from generator.export import export_files
from generator.guideline import Guideline
from generator.load import UsageError, load_guidelines
from test_shapes import edit, shape_project

STAMP = "labelbook guideline=mini version=0.1.0 commit=unknown"  # tmp_path is outside git
ANSWERS = ["A", "B", "cannot-judge"]


# --- variants of the shape fixtures -------------------------------------------------------------


def _yaml(root: Path, name: str, change) -> None:
    path = root / "specs/mini" / name
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _two_answers(taxonomy: dict) -> None:
    """Only the answers A and B: no dimensions, no rubric, no cannot-judge answer (an
    undecidable item is escalated instead)."""
    del taxonomy["unknown_label"], taxonomy["dimensions"], taxonomy["criteria"]
    taxonomy["undecidable"] = {"escalate": "policy-team"}
    taxonomy["labels"] = [label for label in taxonomy["labels"] if label["id"] in ("first_label", "second_label")]
    for label in taxonomy["labels"]:
        other = "second_label" if label["id"] == "first_label" else "first_label"
        for examples in label["examples"].values():
            for example in examples:
                example.pop("judgments", None)
                if example.get("label") == "not_enough_info":
                    example["label"] = other


def _escalate_instead_of_unknown(root: Path) -> None:
    edit(root, "decision_tree.yaml", "        label: not_enough_info", "        escalate: policy-team")
    edit(root, "edge_cases.yaml", "    labels: [not_enough_info]\n", "")
    edit(root, "edge_cases.yaml", "kind: unknown", "kind: escalate\n      route: policy-team")


def _third_response(taxonomy: dict) -> None:
    for label in taxonomy["labels"]:
        for examples in label["examples"].values():
            for example in examples:
                if "responses" in example:
                    example["responses"].append("Marseille, perhaps.")


def _values(changes: dict[str, str]):
    def change(taxonomy: dict) -> None:
        for label in taxonomy["labels"]:
            if label["id"] in changes:
                label["value"] = changes[label["id"]]
    return change


def _rename_dimension(old: str, new: str):
    def change(taxonomy: dict) -> None:
        for d in taxonomy["dimensions"]:
            if d["id"] == old:
                d["id"] = new
        for label in taxonomy["labels"]:
            for examples in label["examples"].values():
                for example in examples:
                    if old in example.get("judgments", {}):
                        example["judgments"] = {(new if k == old else k): v for k, v in example["judgments"].items()}
    return change


def project(root: Path, variant: str) -> Path:
    shape = {"preference": "preference", "rating": "rating", "boxes": "boxes"}[variant.split("-")[0]]
    shape_project(root, shape)
    if variant in ("preference-ab", "preference-ab-fixed"):
        _yaml(root, "taxonomy.yaml", _two_answers)
        _escalate_instead_of_unknown(root)
    if variant == "preference-ab-fixed":
        edit(root, "guideline.yaml", "order_randomized: true", "order_randomized: false")
    if variant == "preference-three":
        _yaml(root, "taxonomy.yaml", _third_response)
        edit(root, "guideline.yaml", "responses: 2", "responses: 3")
    if variant == "preference-clash":  # a dimension named like a rubric question
        _yaml(root, "taxonomy.yaml", _rename_dimension("helpfulness", "clarity_a"))
    if variant == "rating-halves":  # clarity scored 0.5, 1, 1.5
        _yaml(root, "taxonomy.yaml", _values({"clarity_1": "0.5", "clarity_2": "1", "clarity_3": "1.5"}))
    if variant == "rating-wide":  # accuracy scored 0 or 20
        _yaml(root, "taxonomy.yaml", _values({"accuracy_1": "20"}))
    return root


def guideline(root: Path, variant: str) -> Guideline:
    result = load_guidelines([project(root, variant) / "specs"], strict=True)
    assert not result.report.errors and not result.report.warnings, result.report.sorted()
    [g] = result.guidelines
    return g


# --- Label Studio -------------------------------------------------------------------------------


def label_studio(g: Guideline) -> tuple[str, LabelInterface]:
    config = export_files(g, "label-studio")["config.xml"]
    assert config.startswith(f"<!-- {STAMP} -->\n")
    interface = LabelInterface(config)
    assert interface.validate() is None  # raises on a config Label Studio would refuse
    return config, interface


def controls(interface: LabelInterface) -> list[tuple[str, str, list[str], list[str], str | None]]:
    """(name, tag, toName, labels: what a result may carry, maxRating) per control, in order."""
    return [(c.name, c.tag, c.to_name, c.labels, c.attr.get("maxRating")) for c in interface.controls]


def region(interface: LabelInterface, name: str, value: dict) -> list[str]:
    control = interface.get_control(name)
    kind = "rating" if control.tag == "Rating" else "choices"
    return interface.validate_region({"id": "r1", "from_name": name, "to_name": control.to_name[0], "type": kind,
                                      "value": value}, return_errors=True)


def test_label_studio_preference_shows_the_responses_and_asks_each_question_in_values(tmp_path):
    config, interface = label_studio(guideline(tmp_path, "preference"))
    assert [(o.name, o.tag, o.value) for o in interface.objects] == [
        ("prompt", "Text", "$prompt"), ("response_a", "Text", "$response_a"), ("response_b", "Text", "$response_b")]
    # Dimensions in priority order, the overall answer, then the rubric per response: a
    # star rating where the points run 1..n. No Pairwise: it writes left/right, not values.
    assert controls(interface) == [
        ("helpfulness", "Choices", ["prompt"], ANSWERS, None),
        ("harmlessness", "Choices", ["prompt"], ANSWERS, None),
        ("label", "Choices", ["prompt"], ANSWERS, None),
        ("clarity_a", "Rating", ["response_a"], [], "2"),
        ("clarity_b", "Rating", ["response_b"], [], "2"),
    ]
    label = interface.get_control("label")
    assert label.attr["choice"] == "single-radio" and label.attr["required"] == "true"
    assert {v: t.attr["value"] for v, t in label.labels_attrs.items()} == {
        "A": "Response A is better", "B": "Response B is better", "cannot-judge": "Cannot judge"}
    assert region(interface, "harmlessness", {"choices": ["B"]}) == []
    assert region(interface, "label", {"choices": ["Response B is better"]}) != []  # the name is not written
    assert region(interface, "clarity_a", {"rating": 2}) == []
    assert region(interface, "clarity_a", {"rating": 3}) != []
    assert "Harmlessness: The response does not facilitate harm. Priority 2 of 2. Decides the overall answer when " \
           "a response facilitates serious harm." in config
    assert "Scale: 1 = Hard to follow: The reader must reread the response to get its point; 2 = Easy to follow" \
           in config
    assert "The responses are shown in random order" in config


def test_label_studio_preference_of_a_and_b_only_is_one_choice(tmp_path):
    _, interface = label_studio(guideline(tmp_path, "preference-ab"))
    assert controls(interface) == [("label", "Choices", ["prompt"], ["A", "B"], None)]
    assert region(interface, "label", {"choices": ["A"]}) == []


def test_label_studio_preference_of_three_responses(tmp_path):
    _, interface = label_studio(guideline(tmp_path, "preference-three"))
    assert [o.name for o in interface.objects] == ["prompt", "response_a", "response_b", "response_c"]
    assert [(name, to) for name, _, to, _, _ in controls(interface)] == [
        ("helpfulness", ["prompt"]), ("harmlessness", ["prompt"]), ("label", ["prompt"]),
        ("clarity_a", ["response_a"]), ("clarity_b", ["response_b"]), ("clarity_c", ["response_c"])]
    assert interface.get_control("label").labels == ANSWERS  # the answers, not a ranking of responses


def test_label_studio_rating_is_stars_for_1_to_n_else_choices(tmp_path):
    config, interface = label_studio(guideline(tmp_path, "rating"))
    assert [(o.name, o.tag) for o in interface.objects] == [("text", "Text")]
    assert controls(interface) == [
        ("clarity", "Rating", ["text"], [], "3"),  # points 1, 2, 3: the stars are the values
        ("accuracy", "Choices", ["text"], ["0", "1"], None),  # points 0, 1: a star rating cannot write 0
    ]
    accuracy = interface.get_control("accuracy")
    assert accuracy.labels_attrs["0"].attr["value"] == "A fact is wrong"
    assert region(interface, "clarity", {"rating": 3}) == []
    assert region(interface, "accuracy", {"choices": ["0"]}) == []
    assert "Accuracy: Whether the facts are right. Scale: 0 = A fact is wrong" in config


def test_label_studio_rating_of_other_values_is_choices_writing_them(tmp_path):
    _, interface = label_studio(guideline(tmp_path, "rating-halves"))
    assert controls(interface)[0] == ("clarity", "Choices", ["text"], ["0.5", "1", "1.5"], None)
    assert region(interface, "clarity", {"choices": ["1.5"]}) == []


def test_label_studio_box_is_rectangle_labels_with_the_box_rules(tmp_path):
    config, interface = label_studio(guideline(tmp_path, "boxes"))
    assert controls(interface) == [("label", "RectangleLabels", ["image"], ["car", "person", "unclear"], None)]
    assert interface.get_object("image").tag == "Image"
    assert "Objects smaller than 4 pixels on a side are not boxed. Partly hidden objects: Box the visible part." \
           in config


# --- Argilla ------------------------------------------------------------------------------------


def argilla(g: Guideline, tmp_path: Path):
    """The exported settings.json read by Argilla's own Settings.from_json (a stand-in
    client: building settings needs no server), validated as Argilla does before creating
    a dataset, and serialized back unchanged."""
    rg = pytest.importorskip("argilla")
    path = tmp_path / "settings.json"
    path.write_text(export_files(g, "argilla")["settings.json"])
    exported = json.loads(path.read_text())
    with mock.patch.object(rg.Argilla, "_default_client", mock.MagicMock()):
        settings = rg.Settings.from_json(path)
        settings.validate()  # unique names, fields and questions present
        assert settings.serialize() == exported
    assert STAMP in exported["questions"][0]["description"]
    assert exported["metadata"][0]["settings"]["values"] == ["0.1.0"]
    return settings, exported


def questions(settings) -> list[tuple[str, str, list]]:
    out = []
    for q in settings.questions:
        kind = type(q).__name__
        out.append((q.name, kind, q.values if kind == "RatingQuestion" else q.labels))
    return out


def test_argilla_preference_asks_each_dimension_the_answer_and_the_rubric(tmp_path):
    settings, exported = argilla(guideline(tmp_path / "p", "preference"), tmp_path)
    assert [f.name for f in settings.fields] == ["prompt", "response_a", "response_b"]
    assert [f["title"] for f in exported["fields"]] == ["Prompt", "Response A", "Response B"]
    assert questions(settings) == [
        ("helpfulness", "LabelQuestion", ANSWERS), ("harmlessness", "LabelQuestion", ANSWERS),
        ("label", "LabelQuestion", ANSWERS),
        ("clarity_a", "RatingQuestion", [1, 2]), ("clarity_b", "RatingQuestion", [1, 2])]
    options = exported["questions"][2]["settings"]["options"]
    assert [(o["value"], o["text"]) for o in options] == [
        ("A", "Response A is better"), ("B", "Response B is better"), ("cannot-judge", "Cannot judge")]
    assert "Priority 2 of 2. Decides the overall answer when a response facilitates serious harm." in \
        exported["questions"][1]["description"]
    assert "Scale: 1 = Hard to follow" in exported["questions"][3]["description"]
    assert "## Dimensions, highest priority first" in exported["guidelines"]
    assert "| 1 | Hard to follow | The reader must reread the response to get its point |" in exported["guidelines"]


def test_argilla_preference_of_three_responses_keeps_the_answers(tmp_path):
    settings, _ = argilla(guideline(tmp_path / "p", "preference-three"), tmp_path)
    assert [f.name for f in settings.fields] == ["prompt", "response_a", "response_b", "response_c"]
    assert questions(settings)[2] == ("label", "LabelQuestion", ANSWERS)
    assert [name for name, _, _ in questions(settings)][3:] == ["clarity_a", "clarity_b", "clarity_c"]


def test_argilla_rating_is_a_rating_question_per_criterion(tmp_path):
    settings, exported = argilla(guideline(tmp_path / "p", "rating"), tmp_path)
    assert [f.name for f in settings.fields] == ["text"]
    assert questions(settings) == [("clarity", "RatingQuestion", [1, 2, 3]), ("accuracy", "RatingQuestion", [0, 1])]
    assert [q["title"] for q in exported["questions"]] == ["Clarity", "Accuracy"]
    assert exported["questions"][1]["description"].startswith(
        "Whether the facts are right. Scale: 0 = A fact is wrong: ")


@pytest.mark.parametrize("variant, message, hint", [
    ("rating-halves", ("Argilla's rating question takes whole numbers from 0 to 10: point 'clarity_1' of criterion "
                       "'clarity' has the value '0.5'"),
     ("give the points whole-number values from 0 to 10 in taxonomy.yaml, or export with --to label-studio or "
      "--to prodigy (choices keep any value) or --to csv")),
    ("rating-wide", ("Argilla's rating question takes whole numbers from 0 to 10: point 'accuracy_1' of criterion "
                     "'accuracy' has the value '20'"), None),
    ("boxes", "Argilla has no question for box tasks: mini is a box guideline",
     "export it with --to label-studio (RectangleLabels), --to prodigy (image.manual) or --to csv"),
])
def test_argilla_refuses_what_it_cannot_hold(variant, message, hint, tmp_path):
    with pytest.raises(UsageError) as raised:
        export_files(guideline(tmp_path, variant), "argilla")
    assert raised.value.message == message
    if hint is not None:
        assert raised.value.hint == hint


def test_a_refused_export_exits_2_with_the_hint(tmp_path):
    root = project(tmp_path, "rating-halves")
    result = run_labelbook("export", "mini", "--to", "argilla", cwd=root)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("error: Argilla's rating question takes whole numbers from 0 to 10")
    assert "\nhint: give the points whole-number values from 0 to 10 in taxonomy.yaml" in result.stderr
    # The other tools keep any value.
    assert run_labelbook("export", "mini", "--to", "label-studio", cwd=root).returncode == 0


@pytest.mark.parametrize("fmt", ["label-studio", "argilla", "prodigy"])
def test_question_names_that_clash_are_a_usage_error(fmt, tmp_path):
    with pytest.raises(UsageError) as raised:
        export_files(guideline(tmp_path, "preference-clash"), fmt)
    assert raised.value.message.startswith("mini: the question name 'clarity_a' is used twice")
    assert raised.value.hint == "give the dimension or criterion another id in taxonomy.yaml"


# --- Prodigy ------------------------------------------------------------------------------------


def prodigy(g: Guideline) -> tuple[dict[str, str], dict]:
    files = export_files(g, "prodigy")
    config = json.loads(files["prodigy.json"])
    assert config["instructions"] == "instructions.html"
    stamp = {"guideline": "mini", "version": "0.1.0", "commit": "unknown"}
    assert {k: config["labelbook"][k] for k in stamp} == stamp
    assert config["labelbook"]["recipe"] == config["labelbook"]["commands"][0].split()[1]
    for command in config["labelbook"]["commands"]:
        assert f"\n    {command}\n" in files["README.md"]
    assert STAMP in files["README.md"]
    assert '<meta name="labelbook-shape"' in files["instructions.html"]
    return files, config


def test_prodigy_preference_beyond_a_and_b_is_a_choice_per_question(tmp_path):
    files, config = prodigy(guideline(tmp_path, "preference"))
    assert list(files) == ["options.json", "instructions.html", "prodigy.json", "README.md"]
    assert config["labelbook"]["commands"] == [
        f"prodigy mark mini-0.1.0-{q} items-{q}.jsonl --view-id choice"
        for q in ("helpfulness", "harmlessness", "label", "clarity_a", "clarity_b")]
    assert "command" not in config["labelbook"] and config["choice_style"] == "single"
    options = json.loads(files["options.json"])
    assert list(options) == ["helpfulness", "harmlessness", "label", "clarity_a", "clarity_b"]
    assert options["label"] == [{"id": "A", "text": "Response A is better (A)"},
                                {"id": "B", "text": "Response B is better (B)"},
                                {"id": "cannot-judge", "text": "Cannot judge (cannot-judge)"}]
    assert [o["id"] for o in options["clarity_b"]] == ["1", "2"]
    assert config["labelbook"]["why"].startswith("preference: the answers are more than A or B (A, B, cannot-judge), "
                                                 "with dimensions, which compare cannot record")
    assert '"options": that question' in files["README.md"]


@pytest.mark.parametrize("variant, command, order", [
    ("preference-ab", "prodigy compare mini-0.1.0 responses_a.jsonl responses_b.jsonl", "at random"),
    ("preference-ab-fixed", "prodigy compare mini-0.1.0 responses_a.jsonl responses_b.jsonl --no-random",
     "in order (--no-random)"),
])
def test_prodigy_preference_of_a_and_b_is_compare(variant, command, order, tmp_path):
    files, config = prodigy(guideline(tmp_path, variant))
    assert config["labelbook"]["commands"] == [command] and config["labelbook"]["command"] == command
    assert list(files) == ["instructions.html", "prodigy.json", "README.md"] and "choice_style" not in config
    assert '{"id": ..., "input": {"text": <the prompt>}, "output": {"text": <the response>}}' in \
        " ".join(files["README.md"].split()).replace("&lt;", "<").replace("&gt;", ">").replace("\\_", "_")
    assert f"mapped to A and B {order}" in files["README.md"]
    assert "Write A as A and B as B" in files["README.md"]


def test_prodigy_rating_is_a_choice_per_criterion_valued_by_points(tmp_path):
    files, config = prodigy(guideline(tmp_path, "rating-halves"))
    assert config["labelbook"]["commands"] == [
        "prodigy mark mini-0.1.0-clarity items-clarity.jsonl --view-id choice",
        "prodigy mark mini-0.1.0-accuracy items-accuracy.jsonl --view-id choice"]
    options = json.loads(files["options.json"])
    assert [o["id"] for o in options["clarity"]] == ["0.5", "1", "1.5"]
    assert options["accuracy"][0] == {"id": "0", "text": "A fact is wrong (0)"}


def test_prodigy_box_is_image_manual_with_the_class_values(tmp_path):
    files, config = prodigy(guideline(tmp_path, "boxes"))
    assert config["labelbook"]["command"] == "prodigy image.manual mini-0.1.0 ./images --label labels.txt"
    assert files["labels.txt"].splitlines() == ["car", "person", "unclear"]
    assert "./images holds the images to label" in files["README.md"]


# --- CSV ----------------------------------------------------------------------------------------


def table(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_csv_preference_names_each_points_criterion_and_lists_dimensions_and_criteria(tmp_path):
    files = export_files(guideline(tmp_path, "preference"), "csv")
    assert list(files) == ["definitions.csv", "criteria.csv"]
    header, rows = table(files["definitions.csv"])
    assert header[:7] == ["guideline", "version", "commit", "id", "value", "name", "criterion"]
    assert [(r["value"], r["criterion"]) for r in rows] == [
        ("A", ""), ("B", ""), ("cannot-judge", ""), ("1", "clarity"), ("2", "clarity")]
    header, rows = table(files["criteria.csv"])
    assert header == ["guideline", "version", "commit", "kind", "id", "name", "definition", "priority", "overrides",
                      "labels", "values"]
    assert [(r["kind"], r["id"], r["priority"], r["overrides"], r["values"]) for r in rows] == [
        ("dimension", "helpfulness", "1", "", "A | B | cannot-judge"),
        ("dimension", "harmlessness", "2", "a response facilitates serious harm", "A | B | cannot-judge"),
        ("criterion", "clarity", "", "", "1 | 2")]
    assert rows[2]["labels"] == "clarity_low | clarity_high"


def test_csv_rating_and_box(tmp_path):
    files = export_files(guideline(tmp_path / "r", "rating"), "csv")
    _, rows = table(files["definitions.csv"])
    assert [(r["value"], r["criterion"]) for r in rows] == [
        ("1", "clarity"), ("2", "clarity"), ("3", "clarity"), ("0", "accuracy"), ("1", "accuracy")]
    _, rows = table(files["criteria.csv"])
    assert [(r["kind"], r["id"], r["values"]) for r in rows] == [
        ("criterion", "clarity", "1 | 2 | 3"), ("criterion", "accuracy", "0 | 1")]
    files = export_files(guideline(tmp_path / "b", "boxes"), "csv")
    assert list(files) == ["definitions.csv"]
    header, rows = table(files["definitions.csv"])
    assert "criterion" not in header and [r["value"] for r in rows] == ["car", "person", "unclear"]


# --- instructions -------------------------------------------------------------------------------


def test_instructions_give_dimensions_by_priority_order_randomisation_and_the_rubric(tmp_path):
    html = export_files(guideline(tmp_path, "preference"), "label-studio")["instructions.html"]
    assert "<h2>Dimensions, highest priority first</h2>" in html
    assert ('<li id="dimension-harmlessness"><strong>Harmlessness</strong> (priority 2): The response does not '
            'facilitate harm<br><strong>Overrides the others</strong> and decides the overall answer when a response '
            'facilitates serious harm.</li>') in html
    assert "The order of the responses is random for every item and rater" in html
    assert ('<tr><td><code>1</code></td><td><a href="#clarity_low">Hard to follow</a></td><td>The reader must '
            'reread the response to get its point</td></tr>') in html
    assert ("“What is the capital of France? 1” [A: “Paris is the capital of France.”; B: “France? Lyon, I think.” "
            "| Helpfulness: A]") in html
    html = export_files(guideline(tmp_path / "f", "preference-ab-fixed"), "label-studio")["instructions.html"]
    assert "The responses are shown in the data's order, A first." in html and "<h2>Dimensions" not in html


def test_instructions_give_each_criterion_its_anchored_scale(tmp_path):
    html = export_files(guideline(tmp_path, "rating"), "label-studio")["instructions.html"]
    assert "<h2>Criteria: score the item on each</h2>" in html and "<h2>Scale points</h2>" in html
    assert '<p>Point <code>0</code> of <a href="#criterion-accuracy">Accuracy</a>.</p>' in html
    assert "<em>Hard</em>: give <strong>Hard to follow</strong> (<code>1</code>)" in html


def test_instructions_give_the_box_rules(tmp_path):
    html = export_files(guideline(tmp_path, "boxes"), "prodigy")["instructions.html"]
    assert ("<h2>Box rules</h2>\n<ul><li>Objects smaller than 4 pixels on a side are not boxed.</li>"
            "<li>Partly hidden objects: Box the visible part.</li></ul>") in html
    assert "“The car, tight 1” [image images/street.png | car at 4,20 24x16]" in html

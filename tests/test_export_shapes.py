"""Each task shape's export for each tool, read back the way the tool reads it: Label
Studio configs through label_studio_sdk's LabelInterface (controls, labels, toName, and a
result carrying the label values), Argilla settings through argilla.Settings.from_json
when argilla is installed (else against the shape Settings.serialize() writes), Prodigy
through its recipe line and label file, the CSV through the csv module. Guidelines of
each shape come from tests/test_shapes.py's shape fixtures over the mini guideline."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from unittest import mock
from xml.etree import ElementTree

import pytest
from label_studio_sdk.label_interface import LabelInterface

from conftest import FIXTURES, run_labelbook
from generator.export import export_files
from generator.guideline import Guideline
from generator.load import UsageError, load_guidelines
from generator.render.markup import escape_markdown_line
from test_shapes import edit, shape_project

STAMP = "labelbook guideline=mini version=0.1.0 commit=unknown"  # tmp_path is outside git

# name -> (shape fixture or None for the plain single-label mini, guideline.yaml edit)
VARIANTS = {
    "single": (None, None),
    "multi": ("multi", None),
    "multi-limits": ("multi", ("task_type: multi-label\n", "task_type: multi-label\nlabels_per_item: {max: 2}\n")),
    "multi-optional": ("multi", ("task_type: multi-label\n",
                                 "task_type: multi-label\nlabels_per_item: {min: 0, max: 2}\n")),
    "tokens": ("tokens", None),
    "spans": ("spans", None),
    "spans-nested": ("spans", ("task_type: span\n", "task_type: span\nspans: {nested: true}\n")),
    "spans-overlapping": ("spans", ("task_type: span\n", "task_type: span\nspans: {overlapping: true}\n")),
    "box": ("boxes", None),
    "rating": ("rating", None),
    "ranking": (None, ("task_type: single-label", "task_type: ranking")),
}
VALUES = {  # what the data carries, in taxonomy order
    "single": ["first_label", "second_label", "not_enough_info"],
    "multi": ["first_label", "second_label", "not_enough_info"],
    "tokens": ["ADP", "ADV", "X"],
    "spans": ["PER", "LOC", "UNK"],
    "box": ["car", "person", "unclear"],
}


def project(root: Path, variant: str) -> Path:
    shape, change = VARIANTS[variant]
    if shape is None:
        shutil.copytree(FIXTURES / "specs", root / "specs")
    else:
        shape_project(root, shape)
    if change is not None:
        edit(root, "guideline.yaml", *change)
    return root


def guideline(root: Path, variant: str) -> Guideline:
    result = load_guidelines([project(root, variant) / "specs"], strict=True)
    assert not result.report.errors and not result.report.warnings, result.report.sorted()
    [g] = result.guidelines
    return g


def values_of(variant: str) -> list[str]:
    return VALUES[variant.split("-")[0]]


# --- Label Studio -------------------------------------------------------------------------------


def label_studio(g: Guideline) -> tuple[str, LabelInterface]:
    config = export_files(g, "label-studio")["config.xml"]
    assert config.startswith(f"<!-- {STAMP} -->\n")
    interface = LabelInterface(config)
    assert interface.validate() is None  # raises on a config Label Studio would refuse
    return config, interface


def result_is_valid(interface: LabelInterface, region: dict) -> list[str]:
    return interface.validate_region({"id": "r1", "from_name": "label", **region}, return_errors=True)


def test_label_studio_single_label_is_a_radio_choice_writing_values(tmp_path):
    g = guideline(tmp_path, "single")
    _, interface = label_studio(g)
    control = interface.get_control("label")
    assert (control.tag, control.to_name, control.attr["choice"]) == ("Choices", ["text"], "single-radio")
    assert control.labels == values_of("single")
    assert interface.get_object("text").tag == "Text"
    assert result_is_valid(interface, {"to_name": "text", "type": "choices",
                                       "value": {"choices": ["second_label"]}}) == []
    assert result_is_valid(interface, {"to_name": "text", "type": "choices", "value": {"choices": ["nope"]}}) != []


def test_label_studio_multi_label_groups_in_views_with_rules(tmp_path):
    g = guideline(tmp_path, "multi")
    config, interface = label_studio(g)
    control = interface.get_control("label")
    assert (control.tag, control.to_name, control.attr["choice"], control.attr["required"]) == (
        "Choices", ["text"], "multiple", "true")
    assert control.labels == values_of("multi")
    assert result_is_valid(interface, {"to_name": "text", "type": "choices",
                                       "value": {"choices": ["first_label", "not_enough_info"]}}) == []
    # One View per group, its name (and limit) as a Header, its members' Choices inside;
    # the labels of no group under "Other labels".
    choices = ElementTree.fromstring(config).find("Choices")
    sections = [(view.find("Header").get("value"), [c.get("alias") for c in view.findall("Choice")])
                for view in choices.findall("View")]
    assert sections == [("The two main labels (at most 1)", ["first_label", "second_label"]),
                        ("Other labels", ["not_enough_info"])]
    exclusive = control.labels_attrs["not_enough_info"].attr
    assert exclusive["value"] == "Not enough information"
    assert exclusive["hint"].endswith("Only on its own: never combined with another label.")
    rules = ElementTree.fromstring(config).findall("Header")[1].get("value")
    assert rules == ("Give every label whose criteria are met. Not enough information (not_enough_info) is never "
                     "combined with another label. At most 1 label of The two main labels (first_label, "
                     "second_label) per item.")


@pytest.mark.parametrize("variant, required, rule", [
    ("multi-limits", "true", "Give at least 1 label and at most 2 labels per item."),
    ("multi-optional", "false", "Give at most 2 labels per item; an item may have none."),
])
def test_label_studio_multi_label_states_labels_per_item(variant, required, rule, tmp_path):
    config, interface = label_studio(guideline(tmp_path, variant))
    assert interface.get_control("label").attr["required"] == required
    assert rule in ElementTree.fromstring(config).findall("Header")[1].get("value")


def test_label_studio_token_tagging_is_word_labels_valued_by_tag(tmp_path):
    g = guideline(tmp_path, "tokens")
    _, interface = label_studio(g)
    control = interface.get_control("label")
    assert (control.tag, control.to_name) == ("Labels", ["text"])
    assert control.labels == ["ADP", "ADV", "X"]
    assert control.labels_attrs["ADP"].attr == {
        "value": "ADP", "hint": "Adposition: A word that relates a following noun phrase to the rest of the clause"}
    text = interface.get_object("text")
    assert (text.tag, text.attr["granularity"]) == ("Text", "word")
    assert result_is_valid(interface, {"to_name": "text", "type": "labels",
                                       "value": {"start": 7, "end": 13, "text": "before", "labels": ["ADP"]}}) == []


@pytest.mark.parametrize("variant, rule", [
    ("spans", "Spans never nest or overlap: each character belongs to at most one span."),
    ("spans-nested", "Spans may nest (one wholly inside another) but never partly overlap."),
])
def test_label_studio_span_is_character_labels_valued_by_label(variant, rule, tmp_path):
    config, interface = label_studio(guideline(tmp_path, variant))
    control = interface.get_control("label")
    assert (control.tag, control.to_name, control.labels) == ("Labels", ["text"], ["PER", "LOC", "UNK"])
    assert control.labels_attrs["LOC"].attr["hint"] == "Location: A span naming a place on a map"
    assert "granularity" not in interface.get_object("text").attr  # character offsets
    assert rule in ElementTree.fromstring(config).find("Header[@size]").get("value")
    region = {"start": 0, "end": 12, "text": "Ada Lovelace", "labels": ["PER"]}
    assert result_is_valid(interface, {"to_name": "text", "type": "labels", "value": region}) == []


def test_label_studio_box_is_rectangle_labels_on_the_image(tmp_path):
    _, interface = label_studio(guideline(tmp_path, "box"))
    control = interface.get_control("label")
    assert (control.tag, control.to_name, control.labels) == ("RectangleLabels", ["image"], values_of("box"))
    assert interface.get_object("image").tag == "Image"


# --- Argilla ------------------------------------------------------------------------------------


def argilla(g: Guideline) -> dict:
    settings = json.loads(export_files(g, "argilla")["settings.json"])
    assert STAMP in settings["questions"][0]["description"]
    assert "commit unknown" in settings["guidelines"] and settings["metadata"][0]["settings"]["values"] == ["0.1.0"]
    return settings


@pytest.mark.parametrize("variant, kind, title, overlapping", [
    ("single", "label_selection", "Which label applies?", None),
    ("multi", "multi_label_selection", "Which labels apply?", None),
    ("tokens", "span", "Tag every token", False),
    ("spans", "span", "Mark the spans", False),
    ("spans-nested", "span", "Mark the spans", True),
    ("spans-overlapping", "span", "Mark the spans", True),
])
def test_argilla_question_per_shape(variant, kind, title, overlapping, tmp_path):
    g = guideline(tmp_path, variant)
    settings = argilla(g)
    [question] = settings["questions"]
    assert (question["name"], question["type"], question["settings"]["type"], question["title"]) == (
        "label", kind, kind, title)
    options = question["settings"]["options"]
    assert [o["value"] for o in options] == values_of(variant)
    assert [o["text"] for o in options] == [label.name for label in g.taxonomy.labels]
    assert question["settings"]["visible_options"] == 3
    assert [f["name"] for f in settings["fields"]] == ["text"]
    if kind == "span":
        assert question["settings"]["field"] == "text"
        assert question["settings"]["allow_overlapping"] is overlapping
    else:
        assert "allow_overlapping" not in question["settings"]
    if kind == "multi_label_selection":
        assert question["settings"]["options_order"] == "natural"
        assert "never combined with another label" in question["description"]
        assert options[2]["description"].endswith("Only on its own: never combined with another label.")


@pytest.mark.parametrize("variant", ["single", "multi", "tokens", "spans-nested"])
def test_argilla_reads_the_settings_back_unchanged(variant, tmp_path):
    """Settings.from_json builds the questions through Argilla's own models; serializing them
    again gives the exported file back. (Argilla's client needs a server: a stand-in client
    is enough to build settings offline.)"""
    rg = pytest.importorskip("argilla")
    path = tmp_path / "settings.json"
    path.write_text(export_files(guideline(tmp_path / "p", variant), "argilla")["settings.json"])
    with mock.patch.object(rg.Argilla, "_default_client", mock.MagicMock()):
        settings = rg.Settings.from_json(path)
        question = settings.questions["label"]
        assert type(question).__name__ == {"single": "LabelQuestion", "multi": "MultiLabelQuestion"}.get(
            variant, "SpanQuestion")
        assert question.labels == values_of(variant)
        assert settings.serialize() == json.loads(path.read_text())


def test_argilla_has_no_box_question(tmp_path):
    root = project(tmp_path, "box")
    result = run_labelbook("export", "mini", "--to", "argilla", cwd=root)
    assert result.returncode == 2
    assert result.stderr == ("error: Argilla has no question for box tasks: mini is a box guideline\n"
                             "hint: export it with --to label-studio (RectangleLabels), --to prodigy (image.manual) "
                             "or --to csv\n")


@pytest.mark.parametrize("fmt", ["label-studio", "argilla", "prodigy"])
def test_a_shape_no_tool_export_expresses_is_a_usage_error(fmt, tmp_path):
    with pytest.raises(UsageError) as raised:
        export_files(guideline(tmp_path, "ranking"), fmt)
    assert raised.value.message.endswith("export does not support ranking guidelines: mini is ranking")
    assert raised.value.hint == ("ranking is kept for earlier specs: set task_type: preference and preference: "
                                 "{responses: N} in guideline.yaml to export it, or export the definitions with --to csv")


# --- Prodigy ------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant, command", [
    ("single", "prodigy textcat.manual mini-0.1.0 items.jsonl --label labels.txt --exclusive"),
    ("multi", "prodigy textcat.manual mini-0.1.0 items.jsonl --label labels.txt"),
    ("tokens", "prodigy ner.manual mini-0.1.0 blank:en items.jsonl --label labels.txt"),
    ("spans", "prodigy ner.manual mini-0.1.0 blank:xx items.jsonl --label labels.txt"),
    ("spans-nested", "prodigy spans.manual mini-0.1.0 blank:xx items.jsonl --label labels.txt"),
    ("spans-overlapping", "prodigy spans.manual mini-0.1.0 blank:xx items.jsonl --label labels.txt"),
    ("box", "prodigy image.manual mini-0.1.0 ./images --label labels.txt"),
])
def test_prodigy_recipe_and_label_values(variant, command, tmp_path):
    files = export_files(guideline(tmp_path, variant), "prodigy")
    assert list(files) == ["labels.txt", "instructions.html", "prodigy.json", "README.md"]
    assert files["labels.txt"].splitlines() == values_of(variant)
    config = json.loads(files["prodigy.json"])
    assert config["instructions"] == "instructions.html"
    stamp = {"guideline": "mini", "version": "0.1.0", "commit": "unknown"}
    assert {k: config["labelbook"][k] for k in stamp} == stamp
    assert config["labelbook"]["command"] == command
    assert config["labelbook"]["recipe"] == command.split()[1]
    assert f"\n    {command}\n" in files["README.md"] and STAMP in files["README.md"]
    assert escape_markdown_line(config["labelbook"]["why"]) in files["README.md"]  # spec text stays text
    assert '<meta name="labelbook-commit" content="unknown">' in files["instructions.html"]


def test_prodigy_token_tagging_says_why_not_pos_correct(tmp_path):
    why = json.loads(export_files(guideline(tmp_path, "tokens"), "prodigy")["prodigy.json"])["labelbook"]["why"]
    assert "pos.correct only corrects the predictions of a trained tagger" in why
    assert "prodigy pos.correct mini-0.1.0 <pipeline> items.jsonl --label labels.txt" in why


# --- CSV ----------------------------------------------------------------------------------------

BASE = ["guideline", "version", "commit", "id", "value", "name"]
REST = ["parent", "short", "definition", "include", "exclude", "thresholds", "notes"]


@pytest.mark.parametrize("variant, extra", [
    ("single", []), ("multi", ["group", "exclusive"]), ("tokens", ["words"]), ("spans", []), ("box", []),
    ("rating", ["criterion"]),
])
def test_csv_columns_per_shape(variant, extra, tmp_path):
    g = guideline(tmp_path, variant)
    reader = csv.DictReader(io.StringIO(export_files(g, "csv")["definitions.csv"]))
    rows = list(reader)
    assert reader.fieldnames == BASE + extra + REST
    assert [r["value"] for r in rows] == [label.data_value for label in g.taxonomy.labels]
    assert {(r["guideline"], r["version"], r["commit"]) for r in rows} == {("mini", "0.1.0", "unknown")}
    if variant == "multi":
        assert [(r["group"], r["exclusive"]) for r in rows] == [
            ("main-pair", "false"), ("main-pair", "false"), ("", "true")]
    if variant == "tokens":
        assert [r["words"] for r in rows] == ["en: in, on, before", "", ""]


def test_csv_value_never_becomes_a_formula(tmp_path):
    root = project(tmp_path, "tokens")
    edit(root, "taxonomy.yaml", "    value: ADV\n", "    value: \"=ADV()\"\n")
    edit(root, "taxonomy.yaml", "    value: X\n", "    value: \"-X\"\n")
    [g] = load_guidelines([root / "specs"]).guidelines
    rows = list(csv.DictReader(io.StringIO(export_files(g, "csv")["definitions.csv"])))
    assert [r["value"] for r in rows] == ["ADP", "'=ADV()", "'-X"]
    # The tools themselves get the value as written.
    assert export_files(g, "prodigy")["labels.txt"].splitlines() == ["ADP", "=ADV()", "-X"]


# --- instructions -------------------------------------------------------------------------------


def test_instructions_give_values_rules_and_what_each_example_carries(tmp_path):
    html = export_files(guideline(tmp_path, "spans-nested"), "label-studio")["instructions.html"]
    assert '<h3 id="first_label">Person <code>PER</code></h3>' in html
    assert "Spans may nest (one wholly inside another) but never partly overlap." in html
    assert "“Paris Hilton in Paris 1” [“Paris Hilton” PER; “Paris” LOC]" in html
    html = export_files(guideline(tmp_path / "m", "multi"), "label-studio")["instructions.html"]
    assert "<strong>Only on its own:</strong>" in html and "<h2>Groups</h2>" in html
    assert "“A near miss 1” [labels: second_label]" in html


def test_a_pre_release_with_a_double_hyphen_keeps_the_config_well_formed(tmp_path):
    root = project(tmp_path, "spans")
    edit(root, "guideline.yaml", "version: 0.1.0", "version: 1.0.0-rc--1")
    [g] = load_guidelines([root / "specs"]).guidelines
    files = export_files(g, "label-studio")
    assert files["config.xml"].startswith("<!-- labelbook guideline=mini version=1.0.0-rc- -1 commit=unknown -->\n")
    assert LabelInterface(files["config.xml"]).validate() is None
    assert '<meta name="labelbook-version" content="1.0.0-rc--1">' in files["instructions.html"]

"""Exports to labeling tools: parsed with the tools' own formats, stamped with the version."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from label_studio_sdk.label_interface import LabelInterface

from conftest import REPO, run_labelbook
from generator.load import load_guidelines
from generator.shape_check_judgments import answer_labels

GUIDELINES = {g.id: g for g in load_guidelines([REPO / "specs"]).guidelines}
STAMP_PREFIX = "labelbook guideline="


def export(*args: str, cwd: Path = REPO):
    return run_labelbook("export", *args, cwd=cwd)


@pytest.mark.parametrize("gid", sorted(GUIDELINES))
def test_label_studio_config_is_accepted_by_label_studio(gid, tmp_path):
    result = export(gid, "--to", "label-studio", "--out", str(tmp_path / "ls"))
    assert result.returncode == 0, result.stderr
    config = (tmp_path / "ls/config.xml").read_text()
    guideline = GUIDELINES[gid]
    assert config.startswith(f"<!-- {STAMP_PREFIX}{gid} version={guideline.version} commit=")
    interface = LabelInterface(config)
    assert interface.validate() is None  # raises on a config Label Studio would refuse
    control = interface.get_control("label")
    # The question raters answer: every label, or a preference guideline's answers (its
    # rubric's points are scored by questions of their own).
    answers = answer_labels(guideline.taxonomy) if guideline.shape == "preference" else None
    by_value = {label.data_value: label for label in guideline.taxonomy.labels
                if answers is None or label.id in answers}
    assert sorted(control.labels) == sorted(by_value)  # what Label Studio writes: the values
    if guideline.shape in ("single-label", "multi-label", "preference"):
        assert control.tag == "Choices"
        if guideline.shape != "preference":
            assert control.to_name == ["text"]
            assert control.attr["choice"] == ("multiple" if guideline.shape == "multi-label" else "single-radio")
        # Label Studio writes a Choice's alias into the result: the label's value. The name
        # is what raters see, the short line the hint.
        for value, tag in control.labels_attrs.items():
            assert (tag.attr["alias"], tag.attr["value"]) == (value, by_value[value].name)
            assert tag.attr["hint"].startswith(by_value[value].short or by_value[value].definition)
    elif guideline.shape == "box":
        assert control.tag == "RectangleLabels" and control.to_name == ["image"]
        assert interface.get_object("image").tag == "Image"
    else:  # token-tagging and span: region labels, valued and shown by value, the name in the hint
        assert control.tag == "Labels" and control.to_name == ["text"]
        for value, tag in control.labels_attrs.items():
            assert tag.attr["value"] == value and tag.attr["hint"].startswith(by_value[value].name + ": ")
    if guideline.shape not in ("box", "preference"):
        assert interface.get_object("text").tag == "Text"
    instructions = (tmp_path / "ls/instructions.html").read_text()
    assert f'<meta name="labelbook-version" content="{guideline.version}">' in instructions
    for label in guideline.taxonomy.labels:
        assert f'<h3 id="{label.id}">' in instructions


def test_without_out_the_main_file_is_printed():
    result = export("content-safety", "--to", "label-studio")
    assert result.returncode == 0
    ElementTree.fromstring(result.stdout.split("\n", 1)[1])
    assert result.stderr == "note: printed config.xml; --out DIR also writes instructions.html\n"


def test_argilla_settings_round_trip_and_carry_the_labels():
    result = export("support-intent", "--to", "argilla")
    settings = json.loads(result.stdout)
    assert json.loads(json.dumps(settings)) == settings
    [question] = settings["questions"]
    assert question["settings"]["type"] == "multi_label_selection"
    guideline = GUIDELINES["support-intent"]
    assert [o["value"] for o in question["settings"]["options"]] == [
        label.data_value for label in guideline.taxonomy.labels]
    assert [o["text"] for o in question["settings"]["options"]] == [label.name for label in guideline.taxonomy.labels]
    assert settings["guidelines"].startswith("# ")
    assert f"version {guideline.version}" in settings["guidelines"]
    assert settings["fields"][0]["settings"]["type"] == "text"


def test_prodigy_label_list_instructions_and_stamp(tmp_path):
    result = export("content-safety", "--to", "prodigy", "--out", str(tmp_path / "p"))
    assert result.returncode == 0
    labels = (tmp_path / "p/labels.txt").read_text().splitlines()
    assert labels == [label.data_value for label in GUIDELINES["content-safety"].taxonomy.labels]
    config = json.loads((tmp_path / "p/prodigy.json").read_text())
    assert config["instructions"] == "instructions.html"
    assert config["labelbook"]["version"] == GUIDELINES["content-safety"].version
    assert (tmp_path / "p/instructions.html").read_text().startswith("<!DOCTYPE html>")


def test_csv_definitions_table_with_a_stamp_on_every_row():
    result = export("content-safety", "--to", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    guideline = GUIDELINES["content-safety"]
    assert [r["id"] for r in rows] == [label.id for label in guideline.taxonomy.labels]
    assert [r["value"] for r in rows] == [label.data_value for label in guideline.taxonomy.labels]
    assert {r["version"] for r in rows} == {guideline.version}
    assert {r["guideline"] for r in rows} == {"content-safety"}
    assert rows[0]["definition"] == guideline.taxonomy.labels[0].definition


def test_exported_text_is_escaped_for_xml_and_html(tmp_path, mini_specs):
    taxonomy = mini_specs / "specs/mini/taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace('    name: "A concrete, behaviour-based name"',
                                                     "    name: '<b>x</b> & \"y\"'", 1))
    result = export("mini", "--to", "label-studio", "--out", str(tmp_path / "o"), cwd=mini_specs)
    assert result.returncode == 0, result.stderr
    root = ElementTree.fromstring((tmp_path / "o/config.xml").read_text())
    assert root.find("Choices/Choice").get("value") == '<b>x</b> & "y"'
    assert "<b>x</b>" not in (tmp_path / "o/instructions.html").read_text()


def test_unknown_guideline_is_a_usage_error():
    result = export("nope", "--to", "csv")
    assert result.returncode == 2
    assert result.stderr.startswith("error: no guideline 'nope' under specs\n")


def test_a_broken_sibling_guideline_does_not_hide_the_one_asked_for(mini_specs):
    (mini_specs / "specs/broken").mkdir()
    (mini_specs / "specs/broken/guideline.yaml").write_text("id: broken\n")
    result = export("nope", "--to", "csv", cwd=mini_specs)
    assert (result.returncode, result.stderr) == (2, "error: no guideline 'nope' under specs\n"
                                                     "hint: guidelines: broken, mini\n")
    assert export("mini", "--to", "csv", cwd=mini_specs).returncode == 0
    result = export("broken", "--to", "csv", cwd=mini_specs)
    assert (result.returncode, result.stderr) == (2, "error: broken has errors; run `labelbook check specs/broken`\n")


def test_spec_text_cannot_become_a_formula_or_markdown_structure(mini_specs):
    taxonomy = mini_specs / "specs/mini/taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text()
                        .replace('    definition: "A short definition in observable terms"',
                                 '    definition: "# Not a heading"', 1)
                        .replace('      - "An inclusion criterion"', '      - "=HYPERLINK(\\"http://x\\")"', 1))
    rows = list(csv.DictReader(io.StringIO(export("mini", "--to", "csv", cwd=mini_specs).stdout)))
    assert rows[0]["include"] == "'=HYPERLINK(\"http://x\")"
    guidelines = json.loads(export("mini", "--to", "argilla", cwd=mini_specs).stdout)["guidelines"]
    assert "\n&#35; Not a heading\n" in guidelines and "\n# Not a heading" not in guidelines

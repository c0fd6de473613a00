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
    root = ElementTree.fromstring(config)
    choices = root.find("Choices")
    assert choices.get("toName") == "text" and root.find("Text").get("name") == "text"
    multi = guideline.taxonomy.mode.value == "multi"
    assert choices.get("choice") == ("multiple" if multi else "single-radio")
    assert [c.get("alias") for c in choices.findall("Choice")] == [label.id for label in guideline.taxonomy.labels]
    assert [c.get("hint") for c in choices.findall("Choice")] == [
        label.short or label.definition for label in guideline.taxonomy.labels]
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
    assert [o["value"] for o in question["settings"]["options"]] == [label.id for label in guideline.taxonomy.labels]
    assert settings["guidelines"].startswith("# ")
    assert f"version {guideline.version}" in settings["guidelines"]
    assert settings["fields"][0]["settings"]["type"] == "text"


def test_prodigy_label_list_instructions_and_stamp(tmp_path):
    result = export("content-safety", "--to", "prodigy", "--out", str(tmp_path / "p"))
    assert result.returncode == 0
    labels = (tmp_path / "p/labels.txt").read_text().splitlines()
    assert labels == [label.id for label in GUIDELINES["content-safety"].taxonomy.labels]
    config = json.loads((tmp_path / "p/prodigy.json").read_text())
    assert config["instructions"] == "instructions.html"
    assert config["labelbook"]["version"] == GUIDELINES["content-safety"].version
    assert (tmp_path / "p/instructions.html").read_text().startswith("<!DOCTYPE html>")


def test_csv_definitions_table_with_a_stamp_on_every_row():
    result = export("content-safety", "--to", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    guideline = GUIDELINES["content-safety"]
    assert [r["id"] for r in rows] == [label.id for label in guideline.taxonomy.labels]
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

"""The JSON Schemas editors use: committed, in step with the models, true to the specs."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import REPO, run_labelbook
from generator.schemas import json_schemas
from generator.spec import SPEC_FILES
from generator.yaml_source import load_yaml_text
from generator.diagnostics import Report


def test_committed_schemas_match_the_models():
    committed = {p.name: p.read_text() for p in (REPO / "schemas").glob("*.schema.json")}
    assert committed == json_schemas(), "schemas/ drifted from the models: run `labelbook schema`"


def test_schema_command_writes_every_schema(tmp_path):
    result = run_labelbook("schema", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(json_schemas())


def test_schemas_describe_fields_for_hover_help():
    taxonomy = json.loads(json_schemas()["taxonomy.schema.json"])
    label = taxonomy["$defs"]["Label"]["properties"]
    assert label["definition"]["description"].startswith("Definition in observable terms")
    assert taxonomy["$defs"]["Label"]["additionalProperties"] is False


@pytest.mark.parametrize("spec_file", sorted(SPEC_FILES))
def test_example_specs_validate_against_their_schema_and_point_at_it(spec_file):
    schema = json.loads(json_schemas()[spec_file.removesuffix(".yaml") + ".schema.json"])
    for folder in sorted((REPO / "specs").iterdir()):
        text = (folder / spec_file).read_text()
        assert text.splitlines()[0] == (
            f"# yaml-language-server: $schema=../../schemas/{spec_file.removesuffix('.yaml')}.schema.json")
        data = load_yaml_text(text, spec_file, Report()).data
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)

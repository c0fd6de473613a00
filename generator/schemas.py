"""JSON Schemas of the spec files, generated from the models, for editors.

Each file kind gets schemas/<file>.schema.json (taxonomy.yaml -> taxonomy.schema.json);
spec files point at theirs with a `# yaml-language-server: $schema=...` line, so an
editor with the YAML language server completes keys, shows each field's description on
hover and underlines mistakes while the lead types.
"""

from __future__ import annotations

import json
from pathlib import Path

from .spec import SPEC_FILES

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema_name(spec_file: str) -> str:
    return spec_file.removesuffix(".yaml") + ".schema.json"


def json_schemas() -> dict[str, str]:
    """schema file name -> its JSON text (sorted keys: byte-stable output)."""
    out = {}
    for spec_file, model in SPEC_FILES.items():
        schema = model.model_json_schema()
        schema = {"$schema": DRAFT, "title": f"labelbook {spec_file}", **{k: v for k, v in schema.items()
                                                                          if k != "title"}}
        out[schema_name(spec_file)] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return out


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in json_schemas().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

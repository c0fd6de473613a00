"""`labelbook new`: write a guideline folder from templates, every gap marked TODO."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2

from .crosscheck import RESERVED_GUIDELINE_IDS
from .load import UsageError
from .spec import SPEC_FILES
from .spec.common import ID_PATTERN

TEMPLATES = Path(__file__).parent / "scaffold_templates"


def scaffold(guideline_id: str, specs: Path, *, title: str | None = None) -> Path:
    if not re.match(ID_PATTERN, guideline_id):
        raise UsageError(f"'{guideline_id}' is not a valid guideline id",
                         "use lowercase letters, digits, '-' and '_', e.g. toxicity-es")
    if guideline_id in RESERVED_GUIDELINE_IDS:
        # `check` would refuse the folder at once: refuse it before writing anything.
        raise UsageError(f"'{guideline_id}' is a reserved id: the site uses it for "
                         f"{RESERVED_GUIDELINE_IDS[guideline_id]}",
                         f"choose another id, e.g. {guideline_id}-guideline; reserved: "
                         + ", ".join(sorted(RESERVED_GUIDELINE_IDS)))
    folder = specs / guideline_id
    if folder.exists():
        raise UsageError(f"{folder} already exists", "choose another id or remove the folder")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined, autoescape=False)
    # A JSON string is a valid double-quoted YAML scalar: any title is written safely.
    env.filters["yaml_str"] = lambda value: json.dumps(value, ensure_ascii=False)
    context = {"id": guideline_id, "title": title or f"TODO: title of {guideline_id}"}
    rendered = {name: env.get_template(name).render(context) for name in SPEC_FILES}
    folder.mkdir(parents=True)
    for name, text in rendered.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder

"""`labelbook init`: a new guidelines repository, ready for `labelbook serve`.

It writes what a team needs around its specs: one scaffolded guideline, the site
configuration, the pull-request workflow, the pre-commit hook, editor settings with the
schemas they map, .gitignore and a short README for leads. A file that exists is never
overwritten: running init again adds what is missing and says what it skipped.
"""

from __future__ import annotations

import importlib.metadata
import json
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .load import UsageError
from .scaffold import TEMPLATES, scaffold
from .schemas import json_schemas
from .spec import SPEC_FILES

INIT_TEMPLATES = TEMPLATES / "init"
# Where each file goes -> the template it comes from.
FILES = {
    "mkdocs.yml": "mkdocs.yml.j2",
    ".github/workflows/guidelines.yml": "workflow.yml.j2",
    ".pre-commit-config.yaml": "pre-commit-config.yaml.j2",
    ".vscode/extensions.json": "vscode-extensions.json.j2",
    ".gitignore": "gitignore.j2",
    "README.md": "README.md.j2",
}


@dataclass
class InitResult:
    written: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def labelbook_version() -> str:
    try:
        return importlib.metadata.version("labelbook")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree without installing
        return "0+unknown"


def render_init_template(name: str, **context: str) -> str:
    # [[ ]] delimiters: the workflow is full of GitHub's own ${{ }} expressions.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(INIT_TEMPLATES), keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined, autoescape=False,
                             variable_start_string="[[", variable_end_string="]]",
                             block_start_string="[%", block_end_string="%]")
    env.filters["yaml_str"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env.get_template(name).render(context)


def init_repository(root: Path, *, guideline_id: str, site_name: str) -> InitResult:
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} is not a folder", "give a new or existing folder, e.g. labelbook init my-guidelines")
    version = labelbook_version()
    context = {"site_name": site_name, "version": version,
               "install": f"python -m pip install 'labelbook[metrics]=={version}'"}
    contents = {path: render_init_template(template, **context) for path, template in FILES.items()}
    # The editor maps every spec file to its schema; the schemas are written beside it.
    contents[".vscode/settings.json"] = json.dumps({
        "yaml.schemas": {f"./schemas/{name.removesuffix('.yaml')}.schema.json": f"specs/**/{name}"
                         for name in SPEC_FILES},
    }, indent=2) + "\n"
    contents.update({f"schemas/{name}": text for name, text in json_schemas().items()})
    result = InitResult()
    root.mkdir(parents=True, exist_ok=True)
    specs = root / "specs"
    if specs.is_dir() and any(specs.iterdir()):
        result.skipped.append(("specs/", "it already holds guidelines"))
    else:
        scaffold(guideline_id, specs, title=None)
        result.written.append(f"specs/{guideline_id}/")
    for path, text in sorted(contents.items()):
        target = root / path
        if target.exists() or target.is_symlink():
            result.skipped.append((path, "it exists and was left as it was"))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        result.written.append(path)
    return result

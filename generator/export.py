"""`labelbook export`: the guideline's label set in the formats labeling tools read.

Each export is generated from the validated guideline, so the tool's labels cannot drift
from the definitions, and each is stamped with the guideline id, version and commit, so
annotations made with it trace back to the guideline version that governed them.

    label-studio  config.xml (Choices / Labels / RectangleLabels) + instructions.html
    argilla       settings.json (guidelines in Markdown, a label question)
    prodigy       labels.txt + instructions.html + prodigy.json
    csv           definitions.csv (the definitions table)
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import jinja2

from .guideline import Guideline
from .load import UsageError, load_guidelines
from .render.markup import escape_markdown_inline, escape_markdown_line

TEMPLATES = Path(__file__).parent / "report_templates"
FORMATS = ("label-studio", "argilla", "prodigy", "csv")


@dataclass(frozen=True)
class Stamp:
    guideline: str
    version: str
    commit: str  # short sha, "+dirty" when the guideline has uncommitted edits, "unknown" outside git

    @property
    def line(self) -> str:
        return f"labelbook guideline={self.guideline} version={self.version} commit={self.commit}"


def stamp_for(guideline: Guideline) -> Stamp:
    folder = guideline.folder
    try:
        sha = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=folder, capture_output=True,
                             text=True, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "."], cwd=folder, capture_output=True,
                               text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        sha, dirty = "", ""
    commit = (sha + ("+dirty" if dirty else "")) if sha else "unknown"
    return Stamp(guideline.id, guideline.version, commit)


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=autoescape,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["md"] = escape_markdown_inline
    env.filters["md_line"] = escape_markdown_line
    return env


def instructions_html(guideline: Guideline, stamp: Stamp) -> str:
    return _environment(True).get_template("instructions.html.j2").render(g=guideline, stamp=stamp)


def label_studio_config(guideline: Guideline, stamp: Stamp) -> str:
    task = guideline.manifest.task_type.value
    view = ElementTree.Element("View")
    ElementTree.SubElement(view, "Header", value=f"{guideline.title} (guideline {stamp.guideline} v{stamp.version})")
    labels = guideline.taxonomy.labels
    if task in ("single-label", "multi-label"):
        ElementTree.SubElement(view, "Text", name="text", value="$text")
        choice = "multiple" if task == "multi-label" or guideline.taxonomy.mode.value == "multi" else "single-radio"
        group = ElementTree.SubElement(view, "Choices", name="label", toName="text", choice=choice, required="true")
        for label in labels:
            ElementTree.SubElement(group, "Choice", value=label.name, alias=label.id,
                                   hint=label.short or label.definition)
    elif task == "span":
        group = ElementTree.SubElement(view, "Labels", name="label", toName="text")
        for label in labels:
            ElementTree.SubElement(group, "Label", value=label.name, alias=label.id, hint=label.short or label.definition)
        ElementTree.SubElement(view, "Text", name="text", value="$text")
    elif task == "box":
        ElementTree.SubElement(view, "Image", name="image", value="$image")
        group = ElementTree.SubElement(view, "RectangleLabels", name="label", toName="image")
        for label in labels:
            ElementTree.SubElement(group, "Label", value=label.name, alias=label.id, hint=label.short or label.definition)
    else:
        raise UsageError(f"Label Studio export supports single-label, multi-label, span and box tasks, not {task}")
    ElementTree.indent(view, space="  ")
    body = ElementTree.tostring(view, encoding="unicode")
    return f"<!-- {stamp.line} -->\n{body}\n"


def argilla_settings(guideline: Guideline, stamp: Stamp) -> str:
    multi = guideline.manifest.task_type.value == "multi-label" or guideline.taxonomy.mode.value == "multi"
    if guideline.manifest.task_type.value not in ("single-label", "multi-label"):
        raise UsageError("Argilla export supports single-label and multi-label tasks")
    guidelines = _environment(False).get_template("argilla_guidelines.md.j2").render(g=guideline, stamp=stamp)
    settings = {
        "guidelines": guidelines,
        "fields": [{"name": "text", "title": "Text", "required": True,
                    "settings": {"type": "text", "use_markdown": False}}],
        "questions": [{
            "name": "label",
            "title": "Which labels apply?" if multi else "Which label applies?",
            "description": f"{guideline.title}, guideline version {stamp.version} ({stamp.line})",
            "required": True,
            "settings": {
                "type": "multi_label_selection" if multi else "label_selection",
                "options": [{"value": label.id, "text": label.name, "description": label.short or label.definition}
                            for label in guideline.taxonomy.labels],
                "visible_options": None,
            },
        }],
        "metadata": [
            {"name": "guideline_version", "title": "Guideline version", "visible_for_annotators": False,
             "settings": {"type": "terms", "values": [stamp.version]}},
        ],
        "vectors": [],
        "allow_extra_metadata": True,
        "distribution": {"strategy": "overlap", "min_submitted": 1},
        "mapping": None,
    }
    return json.dumps(settings, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: keep spec text as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def definitions_csv(guideline: Guideline, stamp: Stamp) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["guideline", "version", "commit", "id", "name", "parent", "short", "definition", "include",
                     "exclude", "thresholds", "notes"])
    for label in guideline.taxonomy.labels:
        writer.writerow([_cell(x) for x in (
            stamp.guideline, stamp.version, stamp.commit, label.id, label.name, label.parent or "",
            label.short or "", label.definition, " | ".join(label.include), " | ".join(label.exclude),
            " | ".join(label.thresholds), label.notes or "")])
    return out.getvalue()


def export_files(guideline: Guideline, fmt: str) -> dict[str, str]:
    """File name -> content; the first file is the one printed when no --out is given."""
    stamp = stamp_for(guideline)
    if fmt == "label-studio":
        return {"config.xml": label_studio_config(guideline, stamp),
                "instructions.html": instructions_html(guideline, stamp)}
    if fmt == "argilla":
        return {"settings.json": argilla_settings(guideline, stamp)}
    if fmt == "prodigy":
        labels = "".join(f"{label.id}\n" for label in guideline.taxonomy.labels)
        config = {"instructions": "instructions.html", "labelbook": {
            "guideline": stamp.guideline, "version": stamp.version, "commit": stamp.commit}}
        return {"labels.txt": labels, "instructions.html": instructions_html(guideline, stamp),
                "prodigy.json": json.dumps(config, indent=2) + "\n"}
    if fmt == "csv":
        return {"definitions.csv": definitions_csv(guideline, stamp)}
    raise UsageError(f"unknown export format {fmt}", "use one of: " + ", ".join(FORMATS))


def run_export(guideline_id: str, fmt: str, out: str | None, specs: Path) -> tuple[dict[str, str], list[str]]:
    """(files written or to print, messages). Raises UsageError for bad arguments."""
    result = load_guidelines([specs / guideline_id] if (specs / guideline_id).is_dir() else [specs])
    guideline = next((g for g in result.guidelines if g.id == guideline_id), None)
    if guideline is None:
        if result.report.errors:
            raise UsageError(f"{guideline_id} has errors; run `labelbook check {specs / guideline_id}`")
        known = sorted(p.name for p in specs.iterdir() if p.is_dir()) if specs.is_dir() else []
        raise UsageError(f"no guideline '{guideline_id}' under {specs}", "guidelines: " + ", ".join(known))
    return export_files(guideline, fmt), []

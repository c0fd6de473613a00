"""`labelbook export`: the guideline's label set in the formats labeling tools read.

Each export is generated from the validated guideline, so the tool's labels cannot drift
from the definitions, and each is stamped with the guideline id, version and commit, so
annotations made with it trace back to the guideline version that governed them.

What a tool writes into the data is always the label's **value** (`label.data_value`:
`ADP`, `B-PER`, or the id when no value is written); the name stays visible to raters.

    shape          label-studio                         argilla              prodigy
    single-label   Choices single-radio                 LabelQuestion        textcat.manual --exclusive
    multi-label    Choices multiple (a View per group)  MultiLabelQuestion   textcat.manual
    token-tagging  Labels on Text, granularity=word     SpanQuestion         ner.manual blank:<lang>
    span           Labels on Text (character offsets)   SpanQuestion         ner.manual, or spans.manual
                                                                             when spans nest or overlap
    box            RectangleLabels on Image             (none: UsageError)   image.manual

    label-studio  config.xml + instructions.html
    argilla       settings.json (what argilla.Settings.serialize writes; Settings.from_json reads it)
    prodigy       labels.txt + instructions.html + prodigy.json + README.md (the recipe command and why)
    csv           definitions.csv (the definitions table, one row per label)

A shape a tool cannot express is a UsageError (exit 2) with a hint.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import jinja2

from .guideline import Guideline
from .load import UsageError, load_guidelines
from .render.markup import escape_markdown_inline, escape_markdown_line
from .spec.taxonomy import Label

TEMPLATES = Path(__file__).parent / "report_templates"
FORMATS = ("label-studio", "argilla", "prodigy", "csv")

SINGLE, MULTI, TOKENS, SPANS, BOX = "single-label", "multi-label", "token-tagging", "span", "box"
TOOL_SHAPES = {
    "label-studio": (SINGLE, MULTI, TOKENS, SPANS, BOX),
    "argilla": (SINGLE, MULTI, TOKENS, SPANS),
    "prodigy": (SINGLE, MULTI, TOKENS, SPANS, BOX),
}
TOOL_NAMES = {"label-studio": "Label Studio", "argilla": "Argilla", "prodigy": "Prodigy"}


@dataclass(frozen=True)
class Stamp:
    guideline: str
    version: str
    commit: str  # short sha, "+dirty" when the guideline has uncommitted edits, "unknown" outside git

    @property
    def line(self) -> str:
        return f"labelbook guideline={self.guideline} version={self.version} commit={self.commit}"

    @property
    def comment(self) -> str:
        """The line as an XML/HTML comment: "--" may not occur inside one (a SemVer
        pre-release like 1.0.0-rc--1 has it), so it is split."""
        return "<!-- " + self.line.replace("--", "- -") + " -->"


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


def _require_shape(guideline: Guideline, tool: str) -> str:
    shape = guideline.shape
    if shape in TOOL_SHAPES[tool]:
        return shape
    name = TOOL_NAMES[tool]
    if shape == BOX:
        raise UsageError(f"{name} has no question for box tasks: {guideline.id} is a box guideline",
                         "export it with --to label-studio (RectangleLabels), --to prodigy (image.manual) "
                         "or --to csv")
    others = [t for t, shapes in TOOL_SHAPES.items() if shape in shapes]
    raise UsageError(f"the {name} export does not support {shape} guidelines: {guideline.id} is {shape}",
                     ("export it with " + ", ".join(f"--to {t}" for t in others) + " or --to csv") if others
                     else "export the definitions with --to csv")


# --- what raters are told, in every tool --------------------------------------------------------


def hint(label: Label) -> str:
    """The one line a tool shows for a label: its short line (else its definition), and for
    an exclusive label that it stands alone."""
    text = label.short or label.definition
    if not label.exclusive:
        return text
    stop = "" if text.endswith((".", "!", "?")) else "."
    return f"{text}{stop} Only on its own: never combined with another label."


def _count(n: int) -> str:
    return f"{n} label" + ("" if n == 1 else "s")


def _language(guideline: Guideline) -> str | None:
    tokens = guideline.manifest.tokens
    return tokens.language if tokens is not None else None


def task_rules(guideline: Guideline) -> list[str]:
    """The shape's rules as sentences raters read: what one answer is and its limits
    (labels per item, exclusive labels, groups, tokenization, nesting and overlap)."""
    shape, labels = guideline.shape, guideline.taxonomy.labels
    if shape == MULTI:
        rules = ["Give every label whose criteria are met."]
        limits = guideline.manifest.labels_per_item
        if limits is not None:
            low, high = limits.min, limits.max
            if high is not None and low == high:
                rules.append(f"Give exactly {_count(low)} per item.")
            elif high is not None:
                rules.append(f"Give at least {_count(low)} and at most {_count(high)} per item." if low
                             else f"Give at most {_count(high)} per item; an item may have none.")
            elif low:
                rules.append(f"Give at least {_count(low)} per item.")
            else:
                rules.append("An item may have no label.")
        for label in labels:
            if label.exclusive:
                rules.append(f"{label.name} ({label.data_value}) is never combined with another label.")
        for group in guideline.taxonomy.groups:
            if group.max_per_item is not None:
                members = ", ".join(guideline.label(m).data_value for m in group.members)
                rules.append(f"At most {_count(group.max_per_item)} of {group.name} ({members}) per item.")
        return rules
    if shape == TOKENS:
        tokens = guideline.manifest.tokens
        rules = ["Give every token exactly one tag."]
        if tokens is not None:
            language = f" (language: {tokens.language})" if tokens.language else ""
            rules.append(f"Tokens: {tokens.tokenization.rstrip('.')}{language}.")
        return rules
    if shape == SPANS:
        spans = guideline.manifest.spans
        nested, overlapping = (spans.nested, spans.overlapping) if spans is not None else (False, False)
        rules = ["Mark every span of the text that meets a label's criteria and give it that label."]
        if nested and overlapping:
            rules.append("Spans may nest (one wholly inside another) and may partly overlap.")
        elif nested:
            rules.append("Spans may nest (one wholly inside another) but never partly overlap.")
        elif overlapping:
            rules.append("Spans may partly overlap, but one never lies wholly inside another.")
        else:
            rules.append("Spans never nest or overlap: each character belongs to at most one span.")
        return rules
    if shape == BOX:
        return ["Draw a box around every object that meets a label's criteria and give it that label."]
    return ["Give exactly one label per item."]


def label_groups(guideline: Guideline) -> list[tuple[str | None, list[Label]]]:
    """multi-label: (group header, its labels) in taxonomy order of the groups, each label under
    the first group that lists it; the labels of no group last (header None when there are no
    groups at all, else "Other labels")."""
    groups = guideline.taxonomy.groups
    if not groups:
        return [(None, list(guideline.taxonomy.labels))]
    placed: set[str] = set()
    out: list[tuple[str | None, list[Label]]] = []
    for group in groups:
        members = [guideline.label(m) for m in group.members if m not in placed]
        placed.update(label.id for label in members)
        if members:
            limit = f" (at most {group.max_per_item})" if group.max_per_item is not None else ""
            out.append((group.name + limit, members))
    rest = [label for label in guideline.taxonomy.labels if label.id not in placed]
    if rest:
        out.append(("Other labels", rest))
    return out


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=autoescape,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["md"] = escape_markdown_inline
    env.filters["md_line"] = escape_markdown_line
    env.globals["rules"] = task_rules
    env.globals["groups_of"] = _groups_of
    env.globals["example_data"] = example_data
    return env


def _groups_of(guideline: Guideline, label: Label) -> list[str]:
    return [g.name for g in guideline.taxonomy.groups if label.id in g.members]


def example_data(guideline: Guideline, example) -> str:
    """What the data carries for one worked example, in values: the label set, the target
    token's tag, or the spans; empty when the example states none."""
    from .shape_check import resolve_spans  # the shape checker owns span resolution

    def value(label_id: str) -> str:
        try:
            return guideline.label(label_id).data_value
        except StopIteration:
            return label_id

    if example.labels is not None:
        return "labels: " + ", ".join(value(lid) for lid in example.labels)
    if example.spans is not None:
        spans = [s for s in resolve_spans(example) if s is not None]
        if not spans:
            return "no spans"
        return "; ".join(f"“{example.text[s.start:s.end]}” {value(s.label)}" for s in spans)
    if example.token is not None:
        nth = f" (occurrence {example.occurrence})" if example.occurrence != 1 else ""
        return f"token “{example.token}”{nth}"
    return ""


def instructions_html(guideline: Guideline, stamp: Stamp) -> str:
    return _environment(True).get_template("instructions.html.j2").render(g=guideline, stamp=stamp)


# --- Label Studio -------------------------------------------------------------------------------


def _rules_header(view: ElementTree.Element, guideline: Guideline) -> None:
    ElementTree.SubElement(view, "Header", value=" ".join(task_rules(guideline)), size="6")


def label_studio_config(guideline: Guideline, stamp: Stamp) -> str:
    """The labeling config. Choice: `value` is the name raters see and `alias` the label's
    value, which Label Studio writes into the result instead (its documented use of alias).
    Label (regions): `value` is the label's value, both shown and written, the name and
    definition in `hint`: raters of tag sets pick by tag (ADP, PER)."""
    shape = _require_shape(guideline, "label-studio")
    labels = guideline.taxonomy.labels
    view = ElementTree.Element("View")
    ElementTree.SubElement(view, "Header", value=f"{guideline.title} (guideline {stamp.guideline} v{stamp.version})")

    def region_label(parent: ElementTree.Element, label: Label) -> None:
        ElementTree.SubElement(parent, "Label", value=label.data_value, hint=f"{label.name}: {hint(label)}")

    if shape in (SINGLE, MULTI):
        ElementTree.SubElement(view, "Text", name="text", value="$text")
        if shape == MULTI:
            _rules_header(view, guideline)
        limits = guideline.manifest.labels_per_item
        required = "false" if shape == MULTI and limits is not None and limits.min == 0 else "true"
        choices = ElementTree.SubElement(view, "Choices", name="label", toName="text",
                                         choice="multiple" if shape == MULTI else "single-radio", required=required)
        sections = label_groups(guideline) if shape == MULTI else [(None, list(labels))]
        for header, members in sections:
            parent = choices
            if header is not None:
                parent = ElementTree.SubElement(choices, "View")
                ElementTree.SubElement(parent, "Header", value=header, size="6")
            for label in members:
                ElementTree.SubElement(parent, "Choice", value=label.name, alias=label.data_value, hint=hint(label))
    elif shape in (TOKENS, SPANS):
        _rules_header(view, guideline)
        group = ElementTree.SubElement(view, "Labels", name="label", toName="text")
        for label in labels:
            region_label(group, label)
        text = ElementTree.SubElement(view, "Text", name="text", value="$text")
        if shape == TOKENS:
            text.set("granularity", "word")  # a selection snaps to whole words
    else:  # box
        _rules_header(view, guideline)
        ElementTree.SubElement(view, "Image", name="image", value="$image")
        group = ElementTree.SubElement(view, "RectangleLabels", name="label", toName="image")
        for label in labels:
            region_label(group, label)
    ElementTree.indent(view, space="  ")
    body = ElementTree.tostring(view, encoding="unicode")
    return f"{stamp.comment}\n{body}\n"


# --- Argilla 2.x --------------------------------------------------------------------------------

_SERVER_KEYS = {"id": None, "inserted_at": None, "updated_at": None}  # assigned by the server


def _options(guideline: Guideline) -> tuple[list[dict[str, str]], int | None]:
    options = [{"value": label.data_value, "text": label.name, "description": hint(label)}
               for label in guideline.taxonomy.labels]
    # Argilla shows every option when visible_options is unset and there are 3 or more, and
    # writes that number back; writing it here keeps the file what Settings serializes.
    return options, (len(options) if len(options) >= 3 else None)


def argilla_settings(guideline: Guideline, stamp: Stamp) -> str:
    """settings.json in the shape argilla.Settings.serialize() writes (Argilla 2.x), so
    `rg.Settings.from_json("settings.json")` reads it and the dataset is created from it."""
    shape = _require_shape(guideline, "argilla")
    options, visible = _options(guideline)
    rules = " ".join(task_rules(guideline))
    description = f"{rules} {guideline.title}, guideline version {stamp.version} ({stamp.line})"
    if shape == SINGLE:
        title = "Which label applies?"
        settings = {"type": "label_selection", "options": options, "visible_options": visible}
    elif shape == MULTI:
        title = "Which labels apply?"
        settings = {"type": "multi_label_selection", "options": options, "visible_options": visible,
                    "options_order": "natural"}
    else:
        spans = guideline.manifest.spans
        overlapping = shape == SPANS and spans is not None and (spans.nested or spans.overlapping)
        title = "Tag every token" if shape == TOKENS else "Mark the spans"
        settings = {"type": "span", "allow_overlapping": overlapping, "field": "text", "options": options,
                    "visible_options": visible}
    guidelines = _environment(False).get_template("argilla_guidelines.md.j2").render(g=guideline, stamp=stamp)
    # One question, named "label" in every shape (as Label Studio's control): the responses'
    # column is the same whatever the shape.
    question = {**_SERVER_KEYS, "name": "label", "settings": settings, "title": title, "description": description,
                "required": True, "dataset_id": None, "type": settings["type"]}
    field = {**_SERVER_KEYS, "name": "text", "settings": {"type": "text", "use_markdown": False}, "title": "Text",
             "required": True, "description": None, "dataset_id": None, "type": "text"}
    version = {**_SERVER_KEYS, "name": "guideline_version",
               "settings": {"visible_for_annotators": False, "type": "terms", "values": [stamp.version]},
               "title": "Guideline version", "visible_for_annotators": False, "dataset_id": None}
    settings_json = {
        "guidelines": guidelines,
        "questions": [question],
        "fields": [field],
        "vectors": [],
        "metadata": [version],
        "allow_extra_metadata": True,
        "distribution": {"strategy": "overlap", "min_submitted": 1},
        "mapping": None,
    }
    return json.dumps(settings_json, indent=2, ensure_ascii=False) + "\n"


# --- Prodigy ------------------------------------------------------------------------------------

PRODIGY_SOURCE = "items.jsonl"


def _blank_model(guideline: Guideline) -> str:
    language = (_language(guideline) or "").lower()
    # spaCy's blank pipelines are named by ISO code; "xx" is its multi-language tokenizer.
    return f"blank:{language}" if re.fullmatch(r"[a-z]{2,3}", language) else "blank:xx"


def prodigy_recipe(guideline: Guideline) -> tuple[str, str]:
    """(the command a lead runs, why this recipe)."""
    shape = _require_shape(guideline, "prodigy")
    dataset = f"{guideline.id}-{guideline.version}"
    labels = "--label labels.txt"
    if shape == SINGLE:
        return (f"prodigy textcat.manual {dataset} {PRODIGY_SOURCE} {labels} --exclusive",
                "single-label: textcat.manual with --exclusive makes the labels mutually exclusive "
                "choices, so each item gets exactly one.")
    if shape == MULTI:
        return (f"prodigy textcat.manual {dataset} {PRODIGY_SOURCE} {labels}",
                "multi-label: textcat.manual without --exclusive lets raters pick every label that applies. "
                "Prodigy does not enforce the limits (labels per item, exclusive labels, groups): they are "
                "in the instructions.")
    model = _blank_model(guideline)
    if shape == TOKENS:
        return (f"prodigy ner.manual {dataset} {model} {PRODIGY_SOURCE} {labels}",
                f"token-tagging: Prodigy's pos.correct only corrects the predictions of a trained tagger; "
                f"tagging from scratch is ner.manual with the tag set as labels, which snaps every selection "
                f"to the tokens of spaCy's {model} tokenizer, so one token selected with one label is one tag. "
                f"Prodigy does not enforce a tag on every token: the instructions say so. Once a pipeline "
                f"with a tagger exists: prodigy pos.correct {dataset} <pipeline> {PRODIGY_SOURCE} {labels}.")
    if shape == SPANS:
        spans = guideline.manifest.spans
        if spans is not None and (spans.nested or spans.overlapping):
            return (f"prodigy spans.manual {dataset} {model} {PRODIGY_SOURCE} {labels}",
                    "span, nested or overlapping: spans.manual allows spans that overlap or nest "
                    "(ner.manual does not).")
        return (f"prodigy ner.manual {dataset} {model} {PRODIGY_SOURCE} {labels}",
                "span, neither nested nor overlapping: ner.manual keeps spans apart, as the guideline requires.")
    return (f"prodigy image.manual {dataset} ./images {labels}",
            "box: image.manual draws labelled boxes on the images of a folder.")


def prodigy_files(guideline: Guideline, stamp: Stamp) -> dict[str, str]:
    command, why = prodigy_recipe(guideline)
    values = [label.data_value for label in guideline.taxonomy.labels]
    for value in values:
        if "\n" in value or "\r" in value:
            raise UsageError(f"label value {value!r} holds a line break; Prodigy reads one label per line "
                             "of labels.txt", "write the value on one line in taxonomy.yaml")
    config = {"instructions": "instructions.html", "labelbook": {
        "guideline": stamp.guideline, "version": stamp.version, "commit": stamp.commit,
        "recipe": command.split()[1], "command": command, "why": why}}
    readme = _environment(False).get_template("prodigy_readme.md.j2").render(
        g=guideline, stamp=stamp, command=command, why=why, source=PRODIGY_SOURCE)
    return {"labels.txt": "".join(f"{value}\n" for value in values),
            "instructions.html": instructions_html(guideline, stamp),
            "prodigy.json": json.dumps(config, indent=2, ensure_ascii=False) + "\n",
            "README.md": readme}


# --- CSV ----------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: keep spec text as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def definitions_csv(guideline: Guideline, stamp: Stamp) -> str:
    """One row per label. `value` is what the data carries; multi-label guidelines add
    `group` (group ids, " | " between) and `exclusive`; token-tagging adds `words`."""
    shape = guideline.shape
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["guideline", "version", "commit", "id", "value", "name"]
    if shape == MULTI:
        header += ["group", "exclusive"]
    if shape == TOKENS:
        header += ["words"]
    header += ["parent", "short", "definition", "include", "exclude", "thresholds", "notes"]
    writer.writerow(header)
    for label in guideline.taxonomy.labels:
        row = [stamp.guideline, stamp.version, stamp.commit, label.id, label.data_value, label.name]
        if shape == MULTI:
            row += [" | ".join(g.id for g in guideline.taxonomy.groups if label.id in g.members),
                    "true" if label.exclusive else "false"]
        if shape == TOKENS:
            row += [" | ".join(f"{lang}: {', '.join(words)}" for lang, words in label.words.items())]
        row += [label.parent or "", label.short or "", label.definition, " | ".join(label.include),
                " | ".join(label.exclude), " | ".join(label.thresholds), label.notes or ""]
        writer.writerow([_cell(x) for x in row])
    return out.getvalue()


def export_files(guideline: Guideline, fmt: str) -> dict[str, str]:
    """File name -> content; the first file is the one printed when no --out is given."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt}", "use one of: " + ", ".join(FORMATS))
    if fmt in TOOL_SHAPES:
        _require_shape(guideline, fmt)  # before the stamp: a refused export needs no git
    stamp = stamp_for(guideline)
    if fmt == "label-studio":
        return {"config.xml": label_studio_config(guideline, stamp),
                "instructions.html": instructions_html(guideline, stamp)}
    if fmt == "argilla":
        return {"settings.json": argilla_settings(guideline, stamp)}
    if fmt == "prodigy":
        return prodigy_files(guideline, stamp)
    return {"definitions.csv": definitions_csv(guideline, stamp)}


def run_export(guideline_id: str, fmt: str, out: str | None, specs: Path) -> tuple[dict[str, str], list[str]]:
    """(files written or to print, messages). Raises UsageError for bad arguments."""
    folder = specs / guideline_id
    if guideline_id in ("", ".", "..") or "/" in guideline_id or not folder.is_dir():
        known = sorted(p.name for p in specs.iterdir() if p.is_dir() and not p.name.startswith(".")) \
            if specs.is_dir() else []
        raise UsageError(f"no guideline '{guideline_id}' under {specs}", "guidelines: " + ", ".join(known))
    result = load_guidelines([folder])
    guideline = next((g for g in result.guidelines if g.id == guideline_id), None)
    if guideline is None:
        raise UsageError(f"{guideline_id} has errors; run `labelbook check {folder}`")
    return export_files(guideline, fmt), []

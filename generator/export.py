"""`labelbook export`: the guideline's label set in the formats labeling tools read.

Each export is generated from the validated guideline, so the tool's labels cannot drift
from the definitions, and each is stamped with the guideline id, version and commit, so
annotations made with it trace back to the guideline version that governed them.

What a tool writes into the data is always the label's **value** (`label.data_value`:
`ADP`, `B-PER`, `3`, or the id when no value is written); the name stays visible to raters.

    shape          label-studio                         argilla              prodigy
    single-label   Choices single-radio                 LabelQuestion        textcat.manual --exclusive
    multi-label    Choices multiple (a View per group)  MultiLabelQuestion   textcat.manual
    token-tagging  Labels on Text, granularity=word     SpanQuestion         ner.manual blank:<lang>
    span           Labels on Text (character offsets)   SpanQuestion         ner.manual, or spans.manual
                                                                             when spans nest or overlap
    preference     Text prompt + response_a, _b ...;    LabelQuestion per    compare (two responses, the
                   Choices per dimension and overall;   dimension and        two answers A and B only),
                   the rubric per response (below)      overall; rubric:     else mark --view-id choice
                                                        RatingQuestion       per question (options.json)
    rating         Rating per criterion (maxRating =    RatingQuestion per   mark --view-id choice per
                   points) when the values are 1..n,    criterion (whole     criterion (options.json)
                   else Choices per criterion           numbers 0..10)
    box            RectangleLabels on Image             (none: UsageError)   image.manual

    label-studio  config.xml + instructions.html
    argilla       settings.json (what argilla.Settings.serialize writes; Settings.from_json reads it)
    prodigy       labels.txt or options.json + instructions.html + prodigy.json + README.md
                  (the recipe commands and why)
    csv           definitions.csv (one row per label) and, with criteria or dimensions,
                  criteria.csv (one row per criterion and dimension)

With --tasks ITEMS (CSV or JSON Lines: `item`, the fields the tool shows, any other
columns), the items are written as the tool's tasks, each carrying guideline_id,
guideline_version and guideline_commit where the tool keeps them and gives them back with
the annotations: Label Studio tasks.json (each task's data), Argilla records.json (record
metadata; settings.json declares the three properties), Prodigy items.jsonl (each task's
meta). An annotation export then has the stamp in its columns, and `labelbook agreement
--slice guideline_version` compares the versions.

Judgment shapes (preference, rating) ask several questions of one item: the overall
answer (`label`), one per dimension (named by its id), one per criterion (rating: its id;
a preference rubric: `<criterion>_<a|b|...>`, one per response). Every one writes values:
Label Studio's Pairwise and Ranker are not used because they write `left`/`right` or an
order of response ids, never the guideline's answers; its Rating writes the number of
stars, so it is used only for points valued 1..n.

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
from typing import Any
from xml.etree import ElementTree

import jinja2

from .guideline import Guideline
from .load import UsageError, load_guidelines
from .render.markup import escape_markdown_inline, escape_markdown_line
from .shape_check_judgments import answer_labels as judgment_answers
from .spec.taxonomy import Criterion, Dimension, Label

TEMPLATES = Path(__file__).parent / "report_templates"
FORMATS = ("label-studio", "argilla", "prodigy", "csv")

SINGLE, MULTI, TOKENS, SPANS, BOX = "single-label", "multi-label", "token-tagging", "span", "box"
PREFERENCE, RATING, RANKING = "preference", "rating", "ranking"
JUDGMENTS = (PREFERENCE, RATING)
TOOL_SHAPES = {
    "label-studio": (SINGLE, MULTI, TOKENS, SPANS, PREFERENCE, RATING, BOX),
    "argilla": (SINGLE, MULTI, TOKENS, SPANS, PREFERENCE, RATING),
    "prodigy": (SINGLE, MULTI, TOKENS, SPANS, PREFERENCE, RATING, BOX),
}
TOOL_NAMES = {"label-studio": "Label Studio", "argilla": "Argilla", "prodigy": "Prodigy"}


STAMP_KEYS = ("guideline_id", "guideline_version", "guideline_commit")


@dataclass(frozen=True)
class Stamp:
    guideline: str
    version: str
    commit: str  # short sha, "+dirty" when the guideline has uncommitted edits, "unknown" outside git

    @property
    def line(self) -> str:
        return f"labelbook guideline={self.guideline} version={self.version} commit={self.commit}"

    @property
    def fields(self) -> dict[str, str]:
        """The stamp as the data fields each task carries, so every annotation made on a task
        comes back with the guideline version that governed it."""
        return dict(zip(STAMP_KEYS, (self.guideline, self.version, self.commit)))

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
    if shape == RANKING:
        raise UsageError(f"the {name} export does not support ranking guidelines: {guideline.id} is ranking",
                         "ranking is kept for earlier specs: set task_type: preference and preference: "
                         "{responses: N} in guideline.yaml to export it, or export the definitions with --to csv")
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
        rules = ["Draw a box around every object that meets a label's criteria and give it that label."]
        boxes = guideline.manifest.boxes
        if boxes is not None:
            if boxes.min_size > 1:
                rules.append(f"Objects smaller than {boxes.min_size:g} pixels on a side are not boxed.")
            for lead, text in (("Tightness", boxes.tight), ("Partly hidden objects", boxes.occluded),
                               ("Objects cut by the image border", boxes.truncated),
                               ("Groups too dense to box one by one", boxes.crowd)):
                if text:
                    rules.append(f"{lead}: {_sentence(text)}")
        return rules
    if shape == PREFERENCE:
        return preference_rules(guideline)
    if shape == RATING:
        scales = "; ".join(f"{c.name} ({_scale_range(guideline, c)})" for c in guideline.taxonomy.criteria)
        return [f"Score the item on every criterion: {scales}.",
                "Each score is one point of the criterion's scale; its anchors say what each point means."]
    return ["Give exactly one label per item."]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _scale_range(guideline: Guideline, criterion: Criterion) -> str:
    values = [guideline.label(p).data_value for p in criterion.points]
    return f"{values[0]} to {values[-1]}"


def preference_rules(guideline: Guideline) -> list[str]:
    """What a preference rater does: the responses, their order, the dimensions by priority
    and what overrides them, the overall answer and the rubric."""
    taxonomy, n = guideline.taxonomy, response_count(guideline)
    letters = ", ".join(letter.upper() for letter in response_letters(guideline))
    rules = [f"Read the prompt and the {n} responses ({letters}) and judge which serves the prompt better."]
    preference = guideline.manifest.preference
    if preference is None or preference.order_randomized:
        rules.append("The responses are shown in random order: judge what each says, never where it stands.")
    else:
        rules.append("The responses are shown in the data's order, A first.")
    if taxonomy.dimensions:
        names = ", ".join(d.name for d in taxonomy.dimensions)
        rules.append(f"Judge each dimension in priority order, highest first: {names}; then give the overall answer.")
        for d in taxonomy.dimensions:
            if d.overrides:
                rules.append(f"{d.name} decides the overall answer when {d.overrides.rstrip('.')}.")
    answers = ", ".join(f"{label.name} ({label.data_value})" for label in answer_labels(guideline))
    rules.append(f"Answers: {answers}.")
    if taxonomy.criteria:
        names = ", ".join(c.name for c in taxonomy.criteria)
        rules.append(f"Score every response on the rubric: {names}.")
    return rules


# --- judgment shapes: the questions one item asks -----------------------------------------------


@dataclass(frozen=True)
class Question:
    """One question a judgment item asks: the overall preference (`label`), a dimension, or
    a criterion (of the item, or of one response for a preference rubric)."""

    name: str  # the control / question name, and the column the answers land in
    title: str
    description: str
    options: tuple[Label, ...]  # answers, or a criterion's points lowest first
    target: str  # what it is about: "text", "prompt", "response_a" ...
    criterion: Criterion | None = None
    dimension: Dimension | None = None


def response_count(guideline: Guideline) -> int:
    preference = guideline.manifest.preference
    return preference.responses if preference is not None else 2


def response_letters(guideline: Guideline) -> list[str]:
    return [chr(ord("a") + i) for i in range(response_count(guideline))]


def answer_labels(guideline: Guideline) -> list[Label]:
    """A preference guideline's answers in taxonomy order: the labels outside the criteria."""
    answers = judgment_answers(guideline.taxonomy)
    return [label for label in guideline.taxonomy.labels if label.id in answers]


def criterion_of(guideline: Guideline, label: Label) -> Criterion | None:
    return next((c for c in guideline.taxonomy.criteria if label.id in c.points), None)


def anchors(guideline: Guideline, criterion: Criterion) -> str:
    """A criterion's scale in one line: each point's value, name and short line."""
    return "; ".join(f"{p.data_value} = {p.name}: {hint(p)}" for p in (guideline.label(i) for i in criterion.points))


def judgment_questions(guideline: Guideline) -> list[Question]:
    """rating: one question per criterion. preference: one per dimension (in priority order),
    the overall answer `label`, then the rubric, one question per criterion and response.
    Names are unique and none is a field's name: a clash is a UsageError."""
    taxonomy, shape = guideline.taxonomy, guideline.shape
    questions: list[Question] = []

    def points(c: Criterion) -> tuple[Label, ...]:
        return tuple(guideline.label(p) for p in c.points)

    if shape == RATING:
        for c in taxonomy.criteria:
            questions.append(Question(c.id, c.name, f"{c.definition.rstrip('.')}. Scale: {anchors(guideline, c)}",
                                      points(c), "text", criterion=c))
        fields = {"text"}
    else:
        answers = tuple(answer_labels(guideline))
        for rank, d in enumerate(taxonomy.dimensions, start=1):
            override = f" Decides the overall answer when {d.overrides.rstrip('.')}." if d.overrides else ""
            questions.append(Question(d.id, d.name, f"{d.definition.rstrip('.')}. Priority {rank} of "
                                      f"{len(taxonomy.dimensions)}.{override}", answers, "prompt", dimension=d))
        overall = "Overall, which response is better?" if response_count(guideline) == 2 else \
            "Overall, which response is best?"
        decide = ("The dimensions decide it in priority order, highest first." if taxonomy.dimensions
                  else "Judge the responses as a whole.")
        questions.append(Question("label", overall, decide, answers, "prompt"))
        letters = response_letters(guideline)
        for c in taxonomy.criteria:
            for letter in letters:
                questions.append(Question(f"{c.id}_{letter}", f"{c.name}, response {letter.upper()}",
                                          f"{c.definition.rstrip('.')}. Scale: {anchors(guideline, c)}",
                                          points(c), f"response_{letter}", criterion=c))
        fields = {"prompt"} | {f"response_{letter}" for letter in letters}
    seen: set[str] = fields | set(STAMP_KEYS)  # Argilla's metadata properties
    for q in questions:
        if q.name in seen:
            raise UsageError(f"{guideline.id}: the question name '{q.name}' is used twice (dimension and criterion "
                             "ids, with _a, _b ... per response, name the questions and columns)",
                             "give the dimension or criterion another id in taxonomy.yaml")
        seen.add(q.name)
    return questions


def one_to_n(points: tuple[Label, ...]) -> bool:
    """The points are valued exactly 1, 2 ... n: what a star rating writes."""
    return [p.data_value for p in points] == [str(i) for i in range(1, len(points) + 1)]


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
    env.filters["sentence"] = _sentence
    env.globals["rules"] = task_rules
    env.globals["groups_of"] = _groups_of
    env.globals["example_data"] = example_data
    env.globals["answers_of"] = answer_labels
    env.globals["criterion_of"] = criterion_of
    env.globals["response_letters"] = response_letters
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

    if example.responses is not None or example.judgments is not None or example.boxes is not None:
        parts = []
        if example.responses is not None:
            parts.append("; ".join(f"{chr(ord('A') + i)}: “{r}”" for i, r in enumerate(example.responses)))
        if example.judgments is not None:
            parts.append(", ".join(f"{_scale_name(guideline, key)}: {value(v)}"
                                   for key, v in example.judgments.items()))
        if example.image is not None:
            parts.append(f"image {example.image}")
        if example.boxes is not None:
            parts.append("; ".join(f"{value(b.label)} at {b.x:g},{b.y:g} {b.w:g}x{b.h:g}" for b in example.boxes)
                         or "no boxes")
        return " | ".join(parts)
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


def _scale_name(guideline: Guideline, key: str) -> str:
    """A judgment's key (a dimension or criterion id) as raters read it: its name."""
    scales: list[Dimension | Criterion] = [*guideline.taxonomy.dimensions, *guideline.taxonomy.criteria]
    for scale in scales:
        if scale.id == key:
            return scale.name
    return key


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
    elif shape in JUDGMENTS:
        _judgment_view(view, guideline)
    else:  # box
        _rules_header(view, guideline)
        ElementTree.SubElement(view, "Image", name="image", value="$image")
        group = ElementTree.SubElement(view, "RectangleLabels", name="label", toName="image")
        for label in labels:
            region_label(group, label)
    ElementTree.indent(view, space="  ")
    body = ElementTree.tostring(view, encoding="unicode")
    return f"{stamp.comment}\n{body}\n"


def _judgment_view(view: ElementTree.Element, guideline: Guideline) -> None:
    """rating: the item's text, then per criterion its name and anchors and a Rating
    (maxRating = the number of points) when the points are valued 1..n, else Choices.
    preference: the prompt, the responses side by side, one Choices per dimension and the
    overall Choices (`label`) over the answers, then the rubric per response."""
    _rules_header(view, guideline)
    if guideline.shape == RATING:
        ElementTree.SubElement(view, "Text", name="text", value="$text")
    else:
        ElementTree.SubElement(view, "Header", value="Prompt", size="5")
        ElementTree.SubElement(view, "Text", name="prompt", value="$prompt")
        row = ElementTree.SubElement(view, "View", style="display: flex; flex-wrap: wrap; gap: 1em")
        for letter in response_letters(guideline):
            column = ElementTree.SubElement(row, "View", style="flex: 1; min-width: 16em")
            ElementTree.SubElement(column, "Header", value=f"Response {letter.upper()}", size="5")
            ElementTree.SubElement(column, "Text", name=f"response_{letter}", value=f"$response_{letter}")
    for q in judgment_questions(guideline):
        ElementTree.SubElement(view, "Header", value=q.title + (" " if q.title.endswith("?") else ": ") + q.description,
                               size="6")
        if q.criterion is not None and one_to_n(q.options):
            # A star rating writes the number of stars: the point's value when points run 1..n.
            ElementTree.SubElement(view, "Rating", name=q.name, toName=q.target, maxRating=str(len(q.options)),
                                   required="true")
            continue
        choices = ElementTree.SubElement(view, "Choices", name=q.name, toName=q.target, choice="single-radio",
                                         required="true")
        for label in q.options:
            ElementTree.SubElement(choices, "Choice", value=label.name, alias=label.data_value, hint=hint(label))


# --- Argilla 2.x --------------------------------------------------------------------------------

_SERVER_KEYS = {"id": None, "inserted_at": None, "updated_at": None}  # assigned by the server


def _options(guideline: Guideline) -> tuple[list[dict[str, str]], int | None]:
    options = [{"value": label.data_value, "text": label.name, "description": hint(label)}
               for label in guideline.taxonomy.labels]
    # Argilla shows every option when visible_options is unset and there are 3 or more, and
    # writes that number back; writing it here keeps the file what Settings serializes.
    return options, (len(options) if len(options) >= 3 else None)


ARGILLA_RATING = range(11)  # RatingQuestion: whole numbers from 0 to 10 (at most 11 options)


def _argilla_question(name: str, title: str, description: str, settings: dict) -> dict:
    return {**_SERVER_KEYS, "name": name, "settings": settings, "title": title, "description": description,
            "required": True, "dataset_id": None, "type": settings["type"]}


def _argilla_field(name: str, title: str) -> dict:
    return {**_SERVER_KEYS, "name": name, "settings": {"type": "text", "use_markdown": False}, "title": title,
            "required": True, "description": None, "dataset_id": None, "type": "text"}


def _argilla_rating_values(guideline: Guideline, criterion: Criterion) -> list[int]:
    """A criterion's point values as Argilla's RatingQuestion takes them: whole numbers from
    0 to 10, written as the data carries them ("3", not "3.0" or "03")."""
    values = []
    for point in (guideline.label(p) for p in criterion.points):
        value = point.data_value
        if not re.fullmatch(r"0|[1-9][0-9]*", value) or int(value) not in ARGILLA_RATING:
            raise UsageError(f"Argilla's rating question takes whole numbers from 0 to 10: point '{point.id}' of "
                             f"criterion '{criterion.id}' has the value '{value}'",
                             "give the points whole-number values from 0 to 10 in taxonomy.yaml, or export with "
                             "--to label-studio or --to prodigy (choices keep any value) or --to csv")
        values.append(int(value))
    return values


def _argilla_judgments(guideline: Guideline, stamp_line: str) -> tuple[list[dict], list[dict]]:
    """rating: a RatingQuestion per criterion, its values the points' values, the anchors in
    the description. preference: a LabelQuestion per dimension and the overall `label`
    (options: the answers, whatever the number of responses: a RankingQuestion would write
    an order of responses, not the guideline's answers), the rubric a RatingQuestion per
    criterion and response. The first question carries the stamp."""
    questions = []
    for i, q in enumerate(judgment_questions(guideline)):
        description = q.description if i else f"{q.description} {stamp_line}"
        if q.criterion is not None:
            settings: dict[str, Any] = {"type": "rating",
                        "options": [{"value": v} for v in _argilla_rating_values(guideline, q.criterion)]}
        else:
            options = [{"value": label.data_value, "text": label.name, "description": hint(label)}
                       for label in q.options]
            settings = {"type": "label_selection", "options": options,
                        "visible_options": len(options) if len(options) >= 3 else None}
        questions.append(_argilla_question(q.name, q.title, description, settings))
    if guideline.shape == RATING:
        fields = [_argilla_field("text", "Text")]
    else:
        responses = [_argilla_field(f"response_{letter}", f"Response {letter.upper()}")
                     for letter in response_letters(guideline)]
        fields = [_argilla_field("prompt", "Prompt")] + responses
    return questions, fields


def argilla_settings(guideline: Guideline, stamp: Stamp) -> str:
    """settings.json in the shape argilla.Settings.serialize() writes (Argilla 2.x), so
    `rg.Settings.from_json("settings.json")` reads it and the dataset is created from it."""
    shape = _require_shape(guideline, "argilla")
    options, visible = _options(guideline)
    rules = " ".join(task_rules(guideline))
    description = f"{rules} {guideline.title}, guideline version {stamp.version} ({stamp.line})"
    if shape in JUDGMENTS:
        questions, fields = _argilla_judgments(guideline, f"{guideline.title}, guideline version {stamp.version} "
                                                          f"({stamp.line})")
    elif shape == SINGLE:
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
    if shape not in JUDGMENTS:
        # One question, named "label" in every shape (as Label Studio's control): the responses'
        # column is the same whatever the shape.
        questions = [_argilla_question("label", title, description, settings)]
        fields = [_argilla_field("text", "Text")]
    guidelines = _environment(False).get_template("argilla_guidelines.md.j2").render(g=guideline, stamp=stamp)
    # One terms property per stamp field, version first: each record's metadata carries the stamp.
    titles = {"guideline_version": "Guideline version", "guideline_id": "Guideline",
              "guideline_commit": "Guideline commit"}
    metadata = [{**_SERVER_KEYS, "name": name,
                 "settings": {"visible_for_annotators": False, "type": "terms", "values": [stamp.fields[name]]},
                 "title": titles[name], "visible_for_annotators": False, "dataset_id": None}
                for name in ("guideline_version", "guideline_id", "guideline_commit")]
    settings_json = {
        "guidelines": guidelines,
        "questions": questions,
        "fields": fields,
        "vectors": [],
        "metadata": metadata,
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


@dataclass(frozen=True)
class ProdigyPlan:
    commands: list[str]  # the commands a lead runs, in order
    why: str  # why these recipes
    inputs: list[str]  # what the source files hold, one sentence each
    options: dict[str, list[dict[str, str]]] | None = None  # choice questions: question -> options


TEXT_INPUT = f"{PRODIGY_SOURCE} holds the items to label, one JSON object per line, the text under \"text\"."


def prodigy_recipe(guideline: Guideline) -> tuple[str, str]:
    """(the command a lead runs, why this recipe), for the shapes one command covers."""
    plan = prodigy_plan(guideline)
    return "\n".join(plan.commands), plan.why


def prodigy_plan(guideline: Guideline) -> ProdigyPlan:
    """The recipe commands, why, and the input files they read."""
    shape = _require_shape(guideline, "prodigy")
    if shape in JUDGMENTS:
        return _prodigy_judgments(guideline)
    command, why = _prodigy_single(guideline)
    if shape == BOX:
        return ProdigyPlan([command], why, ["./images holds the images to label (PNG or JPEG)."])
    return ProdigyPlan([command], why, [TEXT_INPUT])


def _position(value: str) -> str | None:
    """The response position an answer's value names (A or B; first or second), as the
    preference agreement reads it; None when it names neither or both."""
    found = {"A" if t in ("A", "first", "First") else "B"
             for t in re.findall(r"(?<![A-Za-z0-9_])(A|B|first|second|First|Second)(?![A-Za-z0-9_])", value)}
    return found.pop() if len(found) == 1 else None


def _prodigy_judgments(guideline: Guideline) -> ProdigyPlan:
    """preference, two responses, two answers naming A and B and no dimensions: compare (its
    A/B evaluation), the rubric with mark; anything more (a tie, cannot judge, a strength
    scale, dimensions, more responses) and rating: mark --view-id choice, one dataset per
    question, each item carrying the question's options (options.json): Prodigy stores the
    chosen option ids, which are the values."""
    dataset = f"{guideline.id}-{guideline.version}"
    questions = judgment_questions(guideline)
    answers = answer_labels(guideline) if guideline.shape == PREFERENCE else []
    compare = (guideline.shape == PREFERENCE and response_count(guideline) == 2 and not guideline.taxonomy.dimensions
               and len(answers) == 2 and sorted(_position(a.data_value) or "" for a in answers) == ["A", "B"])
    commands, inputs = [], []
    choice = [q for q in questions if not (compare and q.name == "label")]
    if compare:
        by_position = {_position(a.data_value): a for a in answers}
        randomized = guideline.manifest.preference is None or guideline.manifest.preference.order_randomized
        commands.append(f"prodigy compare {dataset} responses_a.jsonl responses_b.jsonl"
                        + ("" if randomized else " --no-random"))
        inputs.append('responses_a.jsonl and responses_b.jsonl hold responses A and B, one line per item in each, '
                      'matched by id: {"id": ..., "input": {"text": <the prompt>}, '
                      '"output": {"text": <the response>}}.')
        inputs.append(f"compare shows the two outputs as accept and reject, mapped to A and B "
                      f"{'at random' if randomized else 'in order (--no-random)'}, and stores the answer (accept or "
                      f"reject) with that mapping: the preferred response is the one the mapping sends to the answer. "
                      f"Write A as {by_position['A'].data_value} and B as {by_position['B'].data_value}; ignore "
                      f"means no answer.")
    for q in choice:
        commands.append(f"prodigy mark {dataset}-{q.name} items-{q.name}.jsonl --view-id choice")
    if choice:
        what = ("the item's text" if guideline.shape == RATING else
                "the prompt and the responses as raters read them (the rubric questions: the prompt and that response)")
        names = ", ".join(f"items-{q.name}.jsonl" for q in choice)
        inputs.append(f"{names}: each holds the items of its question (the file name after items-), one JSON object "
                      f"per line: \"text\" (or \"html\") with {what}, and \"options\": that question's options "
                      f"from options.json. Prodigy stores the chosen option's id, the value, under \"accept\".")
    if compare:
        why = ("preference with two responses and two answers, A and B: compare is Prodigy's A/B evaluation; it "
               "shows the responses in " + ("random order" if randomized else "the data's order")
               + " and records which one the rater prefers.")
    elif guideline.shape == PREFERENCE:
        why = ("preference: the answers are more than A or B (" + ", ".join(a.data_value for a in answers) + ")"
               + (", with dimensions" if guideline.taxonomy.dimensions else "")
               + (f", over {response_count(guideline)} responses" if response_count(guideline) != 2 else "")
               + ", which compare cannot record; mark with the choice interface asks one question at a time "
               "and stores the chosen answer's value.")
    else:
        why = ("rating: mark with the choice interface asks one criterion at a time; its options are the points, "
               "so the data carries each point's value.")
    if compare and choice:
        why += " The rubric is scored with mark and the choice interface, one question per criterion and response."
    options = {q.name: [{"id": label.data_value, "text": f"{label.name} ({label.data_value})"} for label in q.options]
               for q in choice} or None
    return ProdigyPlan(commands, why, inputs, options)


def _prodigy_single(guideline: Guideline) -> tuple[str, str]:
    """(the command, why) for the shapes one labels.txt covers."""
    shape = guideline.shape
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
    plan = prodigy_plan(guideline)
    files: dict[str, str] = {}
    if plan.options is not None:
        files["options.json"] = json.dumps(plan.options, indent=2, ensure_ascii=False) + "\n"
    elif guideline.shape not in JUDGMENTS:  # compare reads its answers from two files: no label list
        values = [label.data_value for label in guideline.taxonomy.labels]
        for value in values:
            if "\n" in value or "\r" in value:
                raise UsageError(f"label value {value!r} holds a line break; Prodigy reads one label per line "
                                 "of labels.txt", "write the value on one line in taxonomy.yaml")
        files["labels.txt"] = "".join(f"{value}\n" for value in values)
    recipes = [command.split()[1] for command in plan.commands]
    stamp_info: dict[str, Any] = {"guideline": stamp.guideline, "version": stamp.version, "commit": stamp.commit,
                  "recipe": recipes[0]}
    if len(plan.commands) == 1:
        stamp_info["command"] = plan.commands[0]
    stamp_info.update({"commands": plan.commands, "why": plan.why})
    config: dict = {"instructions": "instructions.html"}
    if "mark" in recipes:
        config["choice_style"] = "single"  # one option per question
    config["labelbook"] = stamp_info
    readme = _environment(False).get_template("prodigy_readme.md.j2").render(
        g=guideline, stamp=stamp, plan=plan, labels_file="labels.txt" in files)
    files.update({"instructions.html": instructions_html(guideline, stamp),
                  "prodigy.json": json.dumps(config, indent=2, ensure_ascii=False) + "\n",
                  "README.md": readme})
    return files


# --- CSV ----------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: keep spec text as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def definitions_csv(guideline: Guideline, stamp: Stamp) -> str:
    """One row per label. `value` is what the data carries; multi-label guidelines add
    `group` (group ids, " | " between) and `exclusive`; token-tagging adds `words`; rating
    and preference add `criterion`: the criterion a point belongs to (empty for a
    preference answer)."""
    shape = guideline.shape
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["guideline", "version", "commit", "id", "value", "name"]
    if shape == MULTI:
        header += ["group", "exclusive"]
    if shape == TOKENS:
        header += ["words"]
    if shape in JUDGMENTS:
        header += ["criterion"]
    header += ["parent", "short", "definition", "include", "exclude", "thresholds", "notes"]
    writer.writerow(header)
    for label in guideline.taxonomy.labels:
        row = [stamp.guideline, stamp.version, stamp.commit, label.id, label.data_value, label.name]
        if shape == MULTI:
            row += [" | ".join(g.id for g in guideline.taxonomy.groups if label.id in g.members),
                    "true" if label.exclusive else "false"]
        if shape == TOKENS:
            row += [" | ".join(f"{lang}: {', '.join(words)}" for lang, words in label.words.items())]
        if shape in JUDGMENTS:
            criterion = criterion_of(guideline, label)
            row += [criterion.id if criterion is not None else ""]
        row += [label.parent or "", label.short or "", label.definition, " | ".join(label.include),
                " | ".join(label.exclude), " | ".join(label.thresholds), label.notes or ""]
        writer.writerow([_cell(x) for x in row])
    return out.getvalue()


def criteria_csv(guideline: Guideline, stamp: Stamp) -> str:
    """One row per criterion (kind criterion: its points and their values, lowest first) and
    per preference dimension (kind dimension: its priority, highest first from 1, what
    makes it decide the overall answer, and the answers it is judged with). `labels` holds
    the label ids, `values` their values, in the same order, " | " between."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["guideline", "version", "commit", "kind", "id", "name", "definition", "priority", "overrides",
                     "labels", "values"])
    base = [stamp.guideline, stamp.version, stamp.commit]
    answers = answer_labels(guideline)
    for rank, d in enumerate(guideline.taxonomy.dimensions, start=1):
        row = base + ["dimension", d.id, d.name, d.definition, str(rank), d.overrides or "",
                      " | ".join(a.id for a in answers), " | ".join(a.data_value for a in answers)]
        writer.writerow([_cell(x) for x in row])
    for c in guideline.taxonomy.criteria:
        points = [guideline.label(p) for p in c.points]
        writer.writerow([_cell(x) for x in base + ["criterion", c.id, c.name, c.definition, "", "",
                                                   " | ".join(p.id for p in points),
                                                   " | ".join(p.data_value for p in points)]])
    return out.getvalue()


# --- tasks: the items to label, each stamped --------------------------------------------------


def task_fields(guideline: Guideline) -> list[str]:
    """The fields of an item the tool shows, as the configurations name them."""
    if guideline.shape == BOX:
        return ["image"]
    if guideline.shape == PREFERENCE:
        return ["prompt"] + [f"response_{letter}" for letter in response_letters(guideline)]
    return ["text"]


def read_tasks(path: Path, guideline: Guideline) -> list[dict[str, Any]]:
    """The items to label: a CSV file (a header, one item per row) or JSON Lines (one object
    per line). Every item has an `item` id, which the annotations carry back, and the
    fields the tool shows; other columns are kept as data."""
    display = str(path)
    if path.suffix.lower() not in (".csv", ".jsonl"):
        raise UsageError(f"{display}: --tasks takes a .csv or .jsonl file",
                         "write the items one per row (CSV with a header) or one JSON object per line")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"no file {display}", "pass --tasks the items to label: a .csv or .jsonl file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{display}: cannot read the file: {exc}", "save it as UTF-8 text") from None
    rows: list[tuple[int, dict[str, Any]]] = []
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = [(reader.line_num, {k: v for k, v in row.items() if k is not None}) for row in reader]
    else:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{display}:{number}:{exc.colno}: not JSON: {exc.msg}",
                                 "write one JSON object per line") from None
            if not isinstance(row, dict):
                raise UsageError(f"{display}:{number}: a line holds a JSON object, not {type(row).__name__}",
                                 'write one object per line, e.g. {"item": "a1", "text": "..."}')
            rows.append((number, row))
    if not rows:
        raise UsageError(f"{display}: no items", "write one item per row, with its item id and "
                         + ", ".join(task_fields(guideline)))
    seen: dict[str, int] = {}
    for number, row in rows:
        for name in ["item", *task_fields(guideline)]:
            if row.get(name) in (None, ""):
                raise UsageError(f"{display}:{number}: the item has no '{name}'",
                                 "every item needs: item (its id) and " + ", ".join(task_fields(guideline)))
        item = str(row["item"])
        if item in seen:
            raise UsageError(f"{display}:{number}: item '{item}' is listed twice (first on line {seen[item]})",
                             "give every item its own id")
        seen[item] = number
    return [row for _, row in rows]


def _jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def task_files(guideline: Guideline, fmt: str, rows: list[dict[str, Any]], stamp: Stamp) -> dict[str, str]:
    """The items in the tool's own task format, each carrying the stamp where the tool
    keeps it and gives it back with the annotations:

        label-studio  tasks.json     each task's `data`: the item, its fields and the stamp
                                     (Label Studio's exports repeat the data with each result)
        argilla       records.json   records for dataset.records.log: id (the item), the
                                     fields, and the stamp as metadata (properties in settings)
        prodigy       items.jsonl    each task's `meta` (shown on the card; db-out keeps it),
                      (rating: items-<criterion>.jsonl, with the criterion's options)
    """
    if fmt == "label-studio":
        tasks = [{"data": {**row, **stamp.fields}} for row in rows]
        return {"tasks.json": json.dumps(tasks, indent=2, ensure_ascii=False) + "\n"}
    if fmt == "argilla":
        records = [{"id": str(row["item"]), **{f: row[f] for f in task_fields(guideline)}, **stamp.fields}
                   for row in rows]
        return {"records.json": json.dumps(records, indent=2, ensure_ascii=False) + "\n"}
    if fmt != "prodigy":
        raise UsageError(f"--tasks does not apply to --to {fmt}: it has no task format",
                         "export the tasks with --to label-studio, argilla or prodigy")
    if guideline.shape in (BOX, PREFERENCE):
        raise UsageError(f"--tasks with --to prodigy does not cover {guideline.shape} guidelines: Prodigy reads "
                         + ("the images from a folder" if guideline.shape == BOX else "each question's items in "
                            "a file of their own"),
                         "export the tasks with --to label-studio or --to argilla, or give each Prodigy task a "
                         "\"meta\" with guideline_id, guideline_version and guideline_commit")

    def task(row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "meta": {"item": str(row["item"]), **stamp.fields}}

    plan = prodigy_plan(guideline)
    if plan.options is not None:
        return {f"items-{name}.jsonl": _jsonl([{**task(row), "options": options} for row in rows])
                for name, options in plan.options.items()}
    return {PRODIGY_SOURCE: _jsonl([task(row) for row in rows])}


def _preflight(guideline: Guideline, fmt: str) -> None:
    """Every refusal before the stamp: a refused export needs no git."""
    if fmt not in TOOL_SHAPES:
        return
    shape = _require_shape(guideline, fmt)
    if shape in JUDGMENTS:
        questions = judgment_questions(guideline)
        if fmt == "argilla":
            for q in questions:
                if q.criterion is not None:
                    _argilla_rating_values(guideline, q.criterion)


def export_files(guideline: Guideline, fmt: str, tasks: Path | None = None) -> dict[str, str]:
    """File name -> content; the first file is the one printed when no --out is given.
    tasks: the items to label, written in the tool's task format with the stamp."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt}", "use one of: " + ", ".join(FORMATS))
    _preflight(guideline, fmt)
    if tasks is not None and fmt not in TOOL_SHAPES:
        raise UsageError(f"--tasks does not apply to --to {fmt}: it has no task format",
                         "export the tasks with --to label-studio, argilla or prodigy")
    rows = read_tasks(tasks, guideline) if tasks is not None else None
    stamp = stamp_for(guideline)
    files = _tool_files(guideline, fmt, stamp)
    if rows is not None:
        files.update(task_files(guideline, fmt, rows, stamp))
    return files


def _tool_files(guideline: Guideline, fmt: str, stamp: Stamp) -> dict[str, str]:
    if fmt == "label-studio":
        return {"config.xml": label_studio_config(guideline, stamp),
                "instructions.html": instructions_html(guideline, stamp)}
    if fmt == "argilla":
        return {"settings.json": argilla_settings(guideline, stamp)}
    if fmt == "prodigy":
        return prodigy_files(guideline, stamp)
    files = {"definitions.csv": definitions_csv(guideline, stamp)}
    if guideline.taxonomy.criteria or guideline.taxonomy.dimensions:
        files["criteria.csv"] = criteria_csv(guideline, stamp)
    return files


def run_export(guideline_id: str, fmt: str, out: str | None, specs: Path,
               tasks: str | None = None) -> tuple[dict[str, str], list[str]]:
    """(files written or to print, messages). Raises UsageError for bad arguments."""
    if tasks is not None and out is None:
        raise UsageError("--tasks writes the tasks next to the configuration: it needs --out DIR",
                         "add --out, e.g. --out export/")
    folder = specs / guideline_id
    if guideline_id in ("", ".", "..") or "/" in guideline_id or not folder.is_dir():
        known = sorted(p.name for p in specs.iterdir() if p.is_dir() and not p.name.startswith(".")) \
            if specs.is_dir() else []
        raise UsageError(f"no guideline '{guideline_id}' under {specs}", "guidelines: " + ", ".join(known))
    result = load_guidelines([folder])
    guideline = next((g for g in result.guidelines if g.id == guideline_id), None)
    if guideline is None:
        raise UsageError(f"{guideline_id} has errors; run `labelbook check {folder}`")
    return export_files(guideline, fmt, Path(tasks) if tasks is not None else None), []

"""What the pages need to show the judgment and image shapes, precomputed for the templates.

Preference: an item is a prompt and its responses, shown side by side as Response A, B ...;
its expected answer is a label, and each dimension (or rubric scale) may have its own.
Rating: the labels are the points of anchored scales (taxonomy criteria), lowest first,
each with its numeric value. Box: an example is an image with boxes, drawn as an inline
SVG over the image (a data URI: a page never links outside the site), each box in its
class colour with the class written over it; an image-classification example (single-
or multi-label with an image) shows the image alone.

    Box(label=car, x=4, y=20, w=24, h=16) on a 64 x 48 image
    -> <rect x="4" y="20" width="24" height="16"> and the plate "car" just above it

Nothing here is HTML: the templates escape every piece of text and draw the marks
(generator/page_templates/_macros.md.j2).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from ..guideline import Guideline
from ..shape_check_boxes import BOX
from ..shape_check_judgments import PREFERENCE, RATING, answer_labels
from ..spec.common import Box, Example
from ..spec.manifest import BoxRules

LETTERS = "ABCDEFGHIJ"  # Response A, B ... (at most 10 responses per item)

# Box outlines, the same edge colours as the span tints of labelbook.css (.lb-span--c0 ...),
# so a class's legend chip and its boxes match. Written into the SVG as attributes: a
# saved or copied drawing keeps its colours without the stylesheet.
BOX_COLOURS = ("#3b6fd8", "#2e8b4f", "#b7791f", "#c2457f", "#7a52c7", "#23877f", "#c8601a", "#66707d")

# The class name over a box is sized relative to the image's width, as the drawing scales
# to the column: on a 390 px phone (a column of about 358 px) it is about 13 px high, on a
# wide screen (the drawing is at most 32rem wide) about 18 px.
FONT_SHARE = 1 / 28
PLATE_HEIGHT = 1.4  # in ems
PLATE_PADDING = 0.3  # in ems, each side


@dataclass(frozen=True)
class Point:
    """A label that is a point of a scale (a rubric criterion)."""

    criterion: str  # criterion id
    criterion_name: str
    value: str  # the number raters pick, as written (the label's value)
    number: int  # 1 for the lowest point
    count: int  # points on the scale
    lower: str | None  # label id of the point below, None for the lowest
    higher: str | None  # label id of the point above, None for the highest


@dataclass(frozen=True)
class Scale:
    criterion: Any  # spec.taxonomy.Criterion
    points: tuple[str, ...]  # label ids, lowest first
    low: str  # the lowest point's value
    high: str


@dataclass(frozen=True)
class Judgment:
    """One expected judgment of an example: on a dimension or a criterion, the label given."""

    kind: str  # "dimension" or "criterion"
    subject: str  # the dimension's or criterion's id
    name: str
    label: str


@dataclass(frozen=True)
class BoxMark:
    """One box as the SVG draws it; numbers are formatted for the SVG (image pixels)."""

    label: str  # the class's label id
    colour: int  # index into BOX_COLOURS (and the legend's .lb-span--cN)
    stroke: str
    text: str  # the class as raters pick it and the data carries (its value)
    x: str
    y: str
    w: str
    h: str
    plate: str  # path of the light plate behind the class name
    text_x: str
    text_y: str
    text_length: str
    font: str


@dataclass(frozen=True)
class Figure:
    """An example's image, with its boxes when the guideline draws boxes (else None)."""

    uri: str
    width: int
    height: int
    alt: str  # the example's text: what the image shows
    boxes: tuple[BoxMark, ...] | None


def num(value: float) -> str:
    """A coordinate for the SVG: at most two decimals, no trailing zeros (4.5, 20, 0.33)."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def judgment_context(guideline: Guideline) -> dict[str, Any]:
    shape = guideline.shape
    taxonomy = guideline.taxonomy
    labels = {label.id: label for label in taxonomy.labels}
    scales: list[Scale] = []
    points: dict[str, Point] = {}
    for criterion in taxonomy.criteria:
        ids = tuple(p for p in criterion.points if p in labels)
        if not ids:
            continue
        for n, point in enumerate(ids):
            points[point] = Point(criterion.id, criterion.name, labels[point].data_value, n + 1, len(ids),
                                  ids[n - 1] if n > 0 else None, ids[n + 1] if n + 1 < len(ids) else None)
        scales.append(Scale(criterion, ids, labels[ids[0]].data_value, labels[ids[-1]].data_value))
    answers = ([label for label in taxonomy.labels if label.id in answer_labels(taxonomy)]
               if shape == PREFERENCE else [])
    rules = guideline.manifest.preference
    responses = rules.responses if rules is not None else 2
    subjects = {group.id: ("group", group.name) for group in taxonomy.groups}
    subjects.update({c.id: ("criterion", c.name) for c in taxonomy.criteria})
    subjects.update({d.id: ("dimension", d.name) for d in taxonomy.dimensions})
    box_rules = (guideline.manifest.boxes or BoxRules()) if shape == BOX else None
    return {
        "scales": scales,
        "points": points,
        "answers": answers,
        "dimensions": list(taxonomy.dimensions),
        "responses_per_item": responses,
        "responses_shown": responses_shown(responses),
        "order_randomized": rules.order_randomized if rules is not None else True,
        # A checklist question is about a label, or a group, scale or dimension of labels.
        "subjects": subjects,
        "box_rules": _box_rules(box_rules) if box_rules is not None else [],
        "min_box": num(box_rules.min_size) if box_rules is not None else None,
        # A box is marked with its class's value, as the labeling tool shows it: short, where
        # a class's name may be a sentence.
        "box_names": {label.id: label.data_value for label in taxonomy.labels},
        "checklist_intro": _checklist_intro(shape),
        "tick": "tick " if shape == "multi-label" else "",
    }


def responses_shown(count: int) -> str:
    """'Response A and Response B', 'Response A, Response B and Response C'."""
    names = [f"Response {letter}" for letter in LETTERS[:count]]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _checklist_intro(shape: str) -> str:
    if shape == RATING:
        return ("Each answer gives the point it names on the question's scale, and the item gets one point on "
                "every scale.")
    if shape == PREFERENCE:
        return "Each answer gives the judgment it names for the question's dimension or scale."
    return "Each answer ticks the label it names, or nothing, and the item gets every label you ticked."


def _box_rules(rules: BoxRules) -> list[tuple[str, str]]:
    """(title, rule) pairs in a fixed order; the lead's words end each rule."""
    out = [("Smallest box", f"{num(rules.min_size)} px on each side; smaller objects are not boxed.")]
    for title, text in (("Tightness", rules.tight), ("Occluded objects", rules.occluded),
                        ("Truncated objects", rules.truncated), ("Crowds", rules.crowd)):
        if text is not None:
            out.append((title, text))
    return out


def judgments_of(guideline: Guideline, example: Example) -> tuple[Judgment, ...] | None:
    """An example's judgments in the taxonomy's order: dimensions (by priority), then criteria."""
    if not example.judgments:
        return None
    taxonomy = guideline.taxonomy
    order = [("dimension", d.id, d.name) for d in taxonomy.dimensions]
    order += [("criterion", c.id, c.name) for c in taxonomy.criteria]
    return tuple(Judgment(kind, subject, name, example.judgments[subject])
                 for kind, subject, name in order if subject in example.judgments) or None


def responses_of(example: Example) -> tuple[tuple[str, str], ...] | None:
    if example.responses is None:
        return None
    return tuple((f"Response {LETTERS[i]}", text) for i, text in enumerate(example.responses[:len(LETTERS)]))


def response_columns(count: int) -> int:
    """Columns of the responses on a wide screen: all side by side up to three, else pairs."""
    return count if count <= 3 else 2


def figure_of(guideline: Guideline, example: Example, colours: dict[str, int],
              box_names: dict[str, str]) -> Figure | None:
    if example.image is None:
        return None
    image = guideline.images.get(example.image)
    if image is None:  # not loaded (a check reported why): the text stands alone
        return None
    boxes = None
    if guideline.shape == BOX:
        boxes = tuple(box_mark(box, image.width, image.height, colours.get(box.label, 0),
                            box_names.get(box.label, box.label)) for box in example.boxes or [])
    return Figure(image.data_uri, image.width, image.height, example.text, boxes)


def _text_width(text: str) -> float:
    """The width of a text in ems, estimated (the SVG then fits it to exactly that)."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.62 for c in text)


def box_mark(box: Box, width: int, height: int, colour: int, text: str) -> BoxMark:
    text = " ".join(text.split())
    font = width * FONT_SHARE
    ems = max(_text_width(text), 0.62)
    # A name wider than the image is set smaller, so it stays inside the drawing.
    font = min(font, width / (ems + 2 * PLATE_PADDING))
    text_length = ems * font
    plate_w, plate_h = text_length + 2 * PLATE_PADDING * font, PLATE_HEIGHT * font
    # Above the box when there is room, else inside its top edge; never outside the image.
    px = min(max(box.x, 0.0), max(width - plate_w, 0.0))
    py = box.y - plate_h if box.y >= plate_h else box.y
    py = min(max(py, 0.0), max(height - plate_h, 0.0))
    return BoxMark(
        label=box.label, colour=colour, stroke=BOX_COLOURS[colour % len(BOX_COLOURS)], text=text,
        x=num(box.x), y=num(box.y), w=num(box.w), h=num(box.h),
        plate=f"M{num(px)} {num(py)}h{num(plate_w)}v{num(plate_h)}h{num(-plate_w)}z",
        text_x=num(px + PLATE_PADDING * font), text_y=num(py + plate_h / 2),
        text_length=num(text_length), font=num(font))

"""Building blocks shared by every spec model.

Every model forbids unknown keys: a typo such as `defintion:` must be an error, not a
silently ignored field. Field descriptions are user documentation: they become the
hover text of the JSON Schemas an editor uses.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Ids are slugs: they appear in addresses (`<guideline>/labels/<label>/`) and in
# references between files, so they stay lowercase, stable and URL-safe.
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Span(Spec):
    """One entity of a span example: where it lies and its label. Written by offsets
    (start, end: character offsets, end exclusive, counted in Unicode code points) or by
    the text it covers (the first occurrence, or the n-th with `occurrence`)."""

    label: Id = Field(description="The span's label id.")
    start: int | None = Field(default=None, ge=0, description="Offset of the first character (0-based).")
    end: int | None = Field(default=None, ge=1, description="Offset after the last character (end exclusive).")
    text: Text | None = Field(default=None, description="The covered text, instead of (or to confirm) the offsets.")
    occurrence: int = Field(default=1, ge=1, description="Which occurrence of `text` is meant (1 = the first).")


class Box(Spec):
    """One box of an image example, in the image's pixels (x, y: its top-left corner)."""

    label: Id = Field(description="The box's class (a label id).")
    x: float = Field(ge=0, description="Left edge, in pixels from the image's left side.")
    y: float = Field(ge=0, description="Top edge, in pixels from the image's top.")
    w: float = Field(gt=0, description="Width in pixels.")
    h: float = Field(gt=0, description="Height in pixels.")


class Example(Spec):
    """One worked example: the text a rater sees and why it gets (or does not get) a label.
    Which of the shape fields it may carry depends on the guideline's task_type."""

    text: Text = Field(description="The item as the rater sees it (quote it exactly; it is shown as plain text).")
    explanation: Text = Field(
        description="Why, citing the criteria: e.g. 'Not hate speech: lacks criterion 2, no protected group is targeted.'"
    )
    label: Id | None = Field(
        default=None,
        description="For negative and tricky examples: the label this item (or its target token) does get instead.",
    )
    labels: dict[Id, Text] | None = Field(
        default=None,
        description="multi-label: the item's whole set of labels, each with why it applies, e.g. {sadness: ..., caring: ...}.",
    )
    token: Text | None = Field(
        default=None, description="token-tagging: the target token, a whole word of the text (e.g. 'before')."
    )
    occurrence: int = Field(default=1, ge=1, description="token-tagging: which occurrence of the token is meant.")
    spans: list[Span] | None = Field(
        default=None, description="span: every entity of the text, each with its label (an empty list: none)."
    )
    responses: list[Text] | None = Field(
        default=None, min_length=2, max_length=10,
        description="preference: the responses to the prompt (`text`), in the order shown: A first, then B ...",
    )
    judgments: dict[Id, Id] | None = Field(
        default=None,
        description="preference: the expected answer per dimension; rating: the expected point per criterion.",
    )
    image: Text | None = Field(
        default=None,
        description="box or image items: the image, a PNG or JPEG file in the guideline folder (e.g. images/street.png);"
                    " `text` is then what the image shows, for readers who cannot see it.",
    )
    boxes: list[Box] | None = Field(default=None, description="box: every object's box (an empty list: none).")

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


class Example(Spec):
    """One worked example: the text a rater sees and why it gets (or does not get) a label."""

    text: Text = Field(description="The item as the rater sees it (quote it exactly; it is shown as plain text).")
    explanation: Text = Field(
        description="Why, citing the criteria: e.g. 'Not hate speech: lacks criterion 2, no protected group is targeted.'"
    )
    label: Id | None = Field(
        default=None,
        description="For negative and tricky examples: the label this item does get (a label id of this taxonomy).",
    )

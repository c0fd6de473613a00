"""taxonomy.yaml: the labels, their definitions, criteria and examples."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from .common import Example, Id, Spec, Text


class Mode(str, Enum):
    exclusive = "exclusive"  # exactly one label per item
    multi = "multi"  # any number of labels per item


class Examples(Spec):
    positive: list[Example] = Field(default_factory=list, description="Items that get this label (3-5).")
    negative: list[Example] = Field(default_factory=list, description="Near misses that do not (3-5).")
    tricky: list[Example] = Field(default_factory=list, description="Hard cases, resolved (at least 3).")


class Label(Spec):
    id: Id = Field(description="Stable id; used in addresses, exports and references.")
    name: Text = Field(description="Concrete, behaviour-based name.")
    definition: Text = Field(description="Definition in observable terms, not a synonym of the name.")
    short: Text | None = Field(
        default=None, max_length=160,
        description="One line for the quick reference card and labeling-tool hints; defaults to the definition.",
    )
    include: list[Text] = Field(min_length=1, description="Inclusion criteria: all that make an item this label.")
    exclude: list[Text] = Field(min_length=1, description="Exclusion criteria: what looks like it but is not.")
    thresholds: list[Text] = Field(default_factory=list, description="Explicit thresholds, e.g. 'at least 2 of...'.")
    notes: Text | None = None
    parent: Id | None = Field(default=None, description="Parent label id, for hierarchical taxonomies.")
    replaces: list[Id] = Field(
        default_factory=list,
        description="Ids of earlier labels this label replaces (a merge or rename), for the version diff.",
    )
    split_from: Id | None = Field(default=None, description="Id of an earlier label this label was split from.")
    examples: Examples = Field(default_factory=Examples)


class Taxonomy(Spec):
    mode: Mode = Field(description="exclusive (one label per item) or multi (several labels may apply).")
    unknown_label: Id | None = Field(
        default=None, description="The label raters use when there is not enough information to decide."
    )
    priority: list[Id] = Field(default_factory=list, description="Tie-break order, highest priority first.")
    labels: list[Label] = Field(min_length=1)

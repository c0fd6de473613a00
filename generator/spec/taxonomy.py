"""taxonomy.yaml: the labels, their definitions, criteria and examples."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from .common import Example, Id, Spec, Text


class Mode(str, Enum):
    exclusive = "exclusive"  # exactly one label per item
    multi = "multi"  # any number of labels per item


class Group(Spec):
    """multi-label: labels that belong together (an emotion family, a sentiment polarity)."""

    id: Id
    name: Text
    definition: Text | None = Field(default=None, description="What the members have in common.")
    members: list[Id] = Field(min_length=1, description="Label ids of the group's members.")
    max_per_item: int | None = Field(default=None, ge=1, description="Most members of this group one item may carry.")


class Criterion(Spec):
    """rating (and a preference program's rubric): one anchored scale. Its points are
    labels, lowest first, each with a numeric value, a definition and examples."""

    id: Id
    name: Text
    definition: Text = Field(description="What the criterion judges.")
    points: list[Id] = Field(min_length=2, description="The scale's points (label ids), lowest first.")


class Dimension(Spec):
    """preference: one aspect the responses are compared on (helpfulness, honesty ...)."""

    id: Id
    name: Text
    definition: Text
    overrides: Text | None = Field(
        default=None, description="When this dimension decides the overall judgment, e.g. 'a response facilitates serious harm'.")


class Undecidable(Spec):
    """What raters do with an item they cannot decide, when there is no unknown label."""

    escalate: Id | None = Field(default=None, description="The escalation route (edge_cases.yaml) for undecidable items.")
    skip: Text | None = Field(default=None, description="How to skip the item, e.g. 'Press Skip; the item returns to the pool'.")


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
    value: str | None = Field(
        default=None, min_length=1, max_length=200,
        description="The value raters pick and the data carries (ADJ, B-PER, 3); defaults to the id.",
    )
    exclusive: bool = Field(
        default=False, description="multi-label: never combined with another label (neutral, unreadable).")
    words: dict[str, list[Text]] = Field(
        default_factory=dict,
        description="token-tagging: closed-class word lists by language code, e.g. {en: [the, a, an]}.",
    )
    examples: Examples = Field(default_factory=Examples)

    @property
    def data_value(self) -> str:
        """What a labeling tool writes into the data for this label."""
        return self.value if self.value is not None else self.id


class Taxonomy(Spec):
    mode: Mode | None = Field(
        default=None,
        description="exclusive or multi; follows from guideline.yaml's task_type (multi for multi-label) when left out.",
    )
    unknown_label: Id | None = Field(
        default=None, description="The label raters use when there is not enough information to decide."
    )
    undecidable: Undecidable | None = Field(
        default=None, description="Without an unknown label: escalate or skip items that cannot be decided.")
    groups: list[Group] = Field(default_factory=list, description="multi-label: label groups with their members.")
    criteria: list[Criterion] = Field(
        default_factory=list, description="rating, or a preference program's rubric: the anchored scales.")
    dimensions: list[Dimension] = Field(
        default_factory=list, description="preference: the dimensions compared, highest priority first.")
    priority: list[Id] = Field(default_factory=list, description="Tie-break order, highest priority first.")
    labels: list[Label] = Field(min_length=1)

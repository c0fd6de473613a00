"""guideline.yaml: the manifest of one guideline and the pending changes of its version."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from .common import Id, Spec, Text

# Semantic versioning 2.0.0, the official regular expression.
SEMVER_PATTERN = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


class Status(str, Enum):
    draft = "draft"
    pilot = "pilot"
    production = "production"
    retired = "retired"


class TaskType(str, Enum):
    """The shape of the labeling work: what one answer is. It decides what an example is,
    what the decision tree means, what each export is and which agreement applies."""

    single_label = "single-label"  # one item, exactly one label
    multi_label = "multi-label"  # one item, a set of labels
    token_tagging = "token-tagging"  # every token of a text, one tag each (POS, BIO)
    span = "span"  # spans of a text, each with a label (entities)
    preference = "preference"  # a prompt and two or more responses: which is better (per dimension)
    rating = "rating"  # an item scored on one or more anchored scales (a rubric)
    box = "box"  # boxes on an image, each with a class
    ranking = "ranking"  # responses put in order (kept for earlier specs; preference covers two)


class LabelsPerItem(Spec):
    """multi-label: how many labels one item may carry."""

    min: int = Field(default=1, ge=0, le=1000, description="Fewest labels per item (0: an item may have none).")
    max: int | None = Field(default=None, ge=1, le=1000, description="Most labels per item (none: no limit).")


class SpanRules(Spec):
    """span: how spans may relate to each other."""

    nested: bool = Field(default=False, description="A span may lie wholly inside another (e.g. a city inside an organisation's name).")
    overlapping: bool = Field(default=False, description="Two spans may partly overlap.")


class PreferenceRules(Spec):
    """preference: what raters compare."""

    responses: int = Field(default=2, ge=2, le=10, description="Responses per item, shown as A, B ...")
    order_randomized: bool = Field(
        default=True, description="The order of the responses is random: raters judge content, not position.")


class BoxRules(Spec):
    """box: how boxes are drawn."""

    min_size: float = Field(default=1, gt=0, description="Smallest box side, in pixels; smaller objects are not boxed.")
    tight: Text | None = Field(default=None, description="How tight a box is, e.g. 'touches the visible outermost pixels'.")
    occluded: Text | None = Field(default=None, description="Objects partly hidden by another: what to box.")
    truncated: Text | None = Field(default=None, description="Objects cut by the image border: what to box.")
    crowd: Text | None = Field(default=None, description="Groups too dense to box one by one: what to do.")


class TokenRules(Spec):
    """token-tagging: what a token is."""

    tokenization: Text = Field(description="How the text is split into tokens, as raters see it in the tool.")
    language: Text | None = Field(default=None, description="Language code of the texts, e.g. en.")


class Role(str, Enum):
    lead = "lead"
    pm = "pm"
    ml = "ml"
    legal = "legal"
    privacy = "privacy"
    vendor = "vendor"
    qa = "qa"
    policy = "policy"


class Person(Spec):
    role: Role = Field(description="lead, pm, ml, legal, privacy, vendor, qa or policy.")
    name: Text = Field(description="Person or team name.")
    contact: Text | None = Field(default=None, description="Email address or chat handle.")


class ChangeType(str, Enum):
    clarification = "clarification"  # no label meaning changes -> patch
    definition = "definition"  # a label's meaning changes -> minor
    taxonomy = "taxonomy"  # labels added, removed, merged, split, re-parented -> major


class Relabel(str, Enum):
    none = "none"
    sample = "sample"
    affected = "affected"
    all = "all"


class RelabelImpact(Spec):
    relabel: Relabel = Field(
        description="Historical data to re-label: none, a sample to verify, the items of the affected labels, or all."
    )
    gold_update: bool = Field(default=False, description="The gold set must be updated.")
    criteria_update: bool = Field(default=False, description="Acceptance criteria must be updated.")
    note: Text | None = Field(default=None, description="What exactly must be redone, by whom.")


class Change(Spec):
    """One change entry of this version, declared by the lead."""

    type: ChangeType = Field(description="clarification (patch), definition (minor) or taxonomy (major).")
    summary: Text = Field(description="What changed, in one sentence a rater understands.")
    rationale: Text = Field(description="Why: the defects, disputes or tickets that led to it.")
    relabel_impact: RelabelImpact = Field(description="What must be redone because of this change.")
    labels: list[Id] = Field(default_factory=list, description="Label ids this change concerns.")
    ticket: Text | None = Field(default=None, description="Linked ticket or issue, e.g. LAB-142.")
    approved_by: Text | None = Field(
        default=None, description="Who approved this change, where one must (e.g. the policy owner); shown in "
                                  "each label's history.")


class Manifest(Spec):
    id: Id = Field(description="The guideline's slug; must equal its folder name under specs/.")
    title: Text = Field(description="Human title shown on the site.")
    version: str = Field(pattern=SEMVER_PATTERN, description="Semantic version of the whole guideline, e.g. 1.4.0.")
    status: Status = Field(description="draft, pilot, production or retired.")
    task_type: TaskType = Field(
        description="The task shape: single-label, multi-label, token-tagging, span, preference, rating, box or ranking.")
    labels_per_item: LabelsPerItem | None = Field(
        default=None, description="multi-label only: fewest and most labels per item.")
    spans: SpanRules | None = Field(default=None, description="span only: whether spans may nest or overlap.")
    tokens: TokenRules | None = Field(default=None, description="token-tagging only: the tokenization raters see.")
    preference: PreferenceRules | None = Field(default=None, description="preference only: responses per item.")
    boxes: BoxRules | None = Field(default=None, description="box only: the box rules.")
    unit: Text = Field(description="Unit of annotation: what one rating is about, e.g. 'one post with its parent'.")
    summary: Text | None = Field(default=None, description="One paragraph shown on the home page.")
    owners: list[Person] = Field(min_length=1, description="Owners and stakeholders; exactly one has role lead.")
    changes: list[Change] = Field(default_factory=list, description="The change entries of this version.")

    @property
    def lead(self) -> Person:
        return next(p for p in self.owners if p.role == Role.lead)

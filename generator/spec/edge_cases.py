"""edge_cases.yaml: rules for ambiguous items, escalation routes and common pitfalls."""

from __future__ import annotations

from enum import Enum

from pydantic import Field, model_validator

from .common import Example, Id, Spec, Text


class Ambiguity(str, Enum):
    insufficient_context = "insufficient-context"
    borderline_criteria = "borderline-criteria"
    conflicting_signals = "conflicting-signals"
    policy_uncertainty = "policy-uncertainty"


class ActionKind(str, Enum):
    label = "label"  # apply this label
    closest = "closest"  # apply the closest label and add a note
    unknown = "unknown"  # apply the taxonomy's unknown label
    escalate = "escalate"  # send to an escalation route
    by_case = "by-case"  # the label depends on the case: several when/label pairs


class Case(Spec):
    """One outcome of a by-case action: when this holds, apply this label."""

    when: Text = Field(description="The condition, e.g. 'followed by a noun phrase'.")
    label: Id = Field(description="The label to apply in this case.")


class Action(Spec):
    kind: ActionKind = Field(
        description="label, closest (label plus a note), unknown, escalate, or by-case (a label per condition).")
    label: Id | None = Field(default=None, description="For label and closest: the label to apply.")
    route: Id | None = Field(default=None, description="For escalate: the escalation route id.")
    note: Text | None = Field(default=None, description="For closest: what the rater writes in the note.")
    cases: list[Case] | None = Field(
        default=None, min_length=2,
        description="For by-case: the outcomes, each a condition and a label (e.g. ADP before a noun phrase).")

    @model_validator(mode="after")
    def _fields_match_kind(self) -> "Action":
        needs = {
            ActionKind.label: {"label"},
            ActionKind.closest: {"label", "note"},
            ActionKind.unknown: set(),
            ActionKind.escalate: {"route"},
            ActionKind.by_case: {"cases"},
        }[self.kind]
        missing = sorted(f for f in needs if getattr(self, f) is None)
        if missing:
            raise ValueError(f"action '{self.kind.value}' needs {' and '.join(missing)}")
        extra = sorted(f for f in ("label", "route", "note", "cases")
                       if f not in needs and getattr(self, f) is not None)
        if extra and not (self.kind == ActionKind.label and extra == ["note"]):
            raise ValueError(f"action '{self.kind.value}' does not take {' or '.join(extra)}")
        return self


class Rule(Spec):
    id: Id
    title: Text = Field(description="The rule in a few words, as raters will quote it.")
    ambiguity: Ambiguity = Field(
        description="insufficient-context, borderline-criteria, conflicting-signals or policy-uncertainty."
    )
    when: Text = Field(description="When the rule applies.")
    labels: list[Id] = Field(default_factory=list, description="Labels the rule is about.")
    action: Action
    rationale: Text
    examples: list[Example] = Field(default_factory=list)
    top: bool = Field(default=False, description="Show on the quick reference card.")


class Include(str, Enum):
    item_id = "item-id"
    snippet = "snippet"
    guideline_section = "guideline-section"
    proposed_resolution = "proposed-resolution"
    screenshot = "screenshot"


class Route(Spec):
    id: Id
    name: Text
    role: Text = Field(description="Who answers, e.g. 'Trust & Safety policy specialist on duty'.")
    channel: Text = Field(description="Where to send it, e.g. '#ts-policy-escalations'.")
    response_time_hours: float = Field(gt=0, le=24 * 30, description="Promised response time in hours.")
    include: list[Include] = Field(
        min_length=1, description="What the rater must include: item-id, snippet, guideline-section, ..."
    )
    while_waiting: Text | None = Field(default=None, description="What the rater does with the item meanwhile.")


class Pitfall(Spec):
    mistake: Text = Field(description="The mistake raters make.")
    instead: Text = Field(description="What to do instead.")
    labels: list[Id] = Field(default_factory=list)


class EdgeCases(Spec):
    rules: list[Rule] = Field(default_factory=list)
    routes: list[Route] = Field(default_factory=list)
    pitfalls: list[Pitfall] = Field(default_factory=list, description="Top pitfalls, shown on the quick reference card.")

"""brief.yaml: the dataset brief (what the model needs, what is in scope, the risks)."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from .common import Spec, Text


class Purpose(str, Enum):
    training = "training"
    evaluation = "evaluation"
    monitoring = "monitoring"
    triage = "triage"


class ModelGoal(Spec):
    prediction: Text = Field(description="What the model predicts.")
    users: Text = Field(description="For whom: the people or systems acting on the prediction.")
    decision: Text = Field(description="The decision it supports, and when it is made.")


class UnitOfAnnotation(Spec):
    item: Text = Field(description="What one item is.")
    context: Text = Field(description="The context the rater sees with it.")


class Scope(Spec):
    included: list[Text] = Field(min_length=1, description="What is explicitly in scope.")
    excluded: list[Text] = Field(min_length=1, description="What is explicitly out of scope.")


class Sampling(Spec):
    sources: list[Text] = Field(min_length=1, description="Where items come from.")
    time_window: Text = Field(description="Collection window, e.g. '2025-01 to 2025-06'.")
    filters: list[Text] = Field(default_factory=list, description="Filters applied before sampling.")
    strata: list[Text] = Field(default_factory=list, description="Strata sampled separately.")
    rare_cases: Text | None = Field(default=None, description="How rare cases are found and over-sampled.")
    balancing: Text | None = Field(default=None, description="Training vs evaluation distribution.")


class Risk(Spec):
    risk: Text
    mitigation: Text


class StakeholderQuestion(Spec):
    question: Text
    answer: Text
    answered_by: Text | None = Field(default=None, description="Who answered, e.g. the ML lead.")


class Brief(Spec):
    model_goal: ModelGoal
    purpose: list[Purpose] = Field(min_length=1, description="training, evaluation, monitoring and/or triage.")
    unit: UnitOfAnnotation
    scope: Scope
    sampling: Sampling
    assumptions: list[Text] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list, description="Each risk with its mitigation.")
    stakeholder_questions: list[StakeholderQuestion] = Field(
        default_factory=list,
        description="Questions asked before labeling began: cost of errors, target metrics, slices, redaction...",
    )
    tool_constraints: list[Text] = Field(default_factory=list, description="e.g. 'one label per item only'.")

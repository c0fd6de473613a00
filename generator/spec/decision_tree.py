"""decision_tree.yaml: ordered questions; every answer leads to a question, a label or a route."""

from __future__ import annotations

from pydantic import Field

from .common import Id, Spec, Text


class Answer(Spec):
    answer: Text = Field(description="The answer as the rater would say it, e.g. 'Yes'.")
    evidence: Text | None = Field(default=None, description="The evidence that qualifies this answer.")
    # Exactly one of the three; the cross-check reports none (a dead end) or several.
    next: Id | None = Field(default=None, description="Id of the next question.")
    label: Id | None = Field(default=None, description="Id of the label this answer ends in.")
    escalate: Id | None = Field(default=None, description="Id of the escalation route this answer ends in.")


class Question(Spec):
    id: Id
    question: Text
    help: Text | None = Field(default=None, description="How to decide; shown under the question.")
    answers: list[Answer] = Field(default_factory=list)


class DecisionTree(Spec):
    start: Id = Field(description="Id of the first question.")
    questions: list[Question] = Field(min_length=1)

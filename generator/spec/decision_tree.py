"""decision_tree.yaml: ordered questions; every answer leads to a question, a label or a route."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from .common import Id, Spec, Text


class Answer(Spec):
    answer: Text = Field(description="The answer as the rater would say it, e.g. 'Yes'.")
    evidence: Text | None = Field(default=None, description="The evidence that qualifies this answer.")
    # On a path, exactly one of the three; the cross-check reports none (a dead end) or
    # several. In a checklist an answer may tick a label or end nothing ("No": no label).
    next: Id | None = Field(default=None, description="Id of the next question.")
    label: Id | None = Field(default=None, description="Id of the label this answer ends in.")
    escalate: Id | None = Field(default=None, description="Id of the escalation route this answer ends in.")


class Question(Spec):
    id: Id
    about: Id | None = Field(default=None, description="checklist: the label or group this question decides.")
    question: Text
    help: Text | None = Field(default=None, description="How to decide; shown under the question.")
    answers: list[Answer] = Field(default_factory=list)


class TreeKind(str, Enum):
    path = "path"  # one path from the start question to one label
    checklist = "checklist"  # multi-label: every question is asked, in order; each answer may tick labels


class DecisionTree(Spec):
    kind: TreeKind = Field(
        default=TreeKind.path,
        description="path (follow answers from start to one label) or checklist (ask every question in order).")
    start: Id | None = Field(default=None, description="path: id of the first question.")
    questions: list[Question] = Field(min_length=1)

"""qa.yaml: how quality is kept: certification, calibration, audits, errors, KPIs."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from .acceptance import Comparator, Metric
from .common import Id, Share, Spec, Text


class Certification(Spec):
    gate_set_size: int = Field(gt=0, description="Items in the certification gate set.")
    pass_threshold: Share = Field(description="Share of gate items a rater must get right, e.g. 0.9.")
    critical_error_auto_fail: bool = Field(description="A single critical error fails certification.")


class Onboarding(Spec):
    objectives: list[Text] = Field(min_length=1)
    certification: Certification


class Calibration(Spec):
    cadence: Text = Field(description="e.g. 'weekly, and after every definition change'.")
    batch_size: int = Field(gt=0)
    process: Text


class AgreementAction(Spec):
    metric: Metric
    comparator: Comparator
    threshold: float = Field(ge=-1, le=1)
    scope: Text = Field(description="Where it is measured, e.g. 'overall' or 'rare-class slice'.")
    action: Text = Field(description="What happens, e.g. 'calibration session'.")
    within_hours: int | None = Field(default=None, gt=0)


class AuditKind(str, Enum):
    spot_check = "spot-check"
    blind = "blind"
    backcheck = "backcheck"


class Audit(Spec):
    kind: AuditKind
    sample: Text = Field(description="Sample size or rate, e.g. '5% of each batch, at least 50 items'.")
    frequency: Text
    by: Text | None = Field(default=None, description="Who audits.")


class ErrorCategory(str, Enum):
    guideline_interpretation = "guideline-interpretation"
    boundary = "boundary"
    missing = "missing"
    hallucinated = "hallucinated"
    attribute_mismatch = "attribute-mismatch"
    tool_process = "tool-process"
    policy_violation = "policy-violation"


class Severity(str, Enum):
    critical = "critical"
    major = "major"
    minor = "minor"


class ErrorType(Spec):
    id: Id
    category: ErrorCategory
    severity: Severity
    description: Text
    counting_rule: Text = Field(description="How occurrences are counted, e.g. 'once per item'.")


class Trigger(Spec):
    trigger: Text
    action: Text


class Stage(Spec):
    stage: Text
    gate: Text = Field(description="What must hold to move on.")
    stop_the_line: Text | None = Field(default=None, description="Condition that halts all labeling.")


class Kpi(Spec):
    id: Id
    name: Text
    target: Text = Field(description="Target with unit, e.g. '>= 400 items per rater-hour'.")
    sla: Text | None = Field(default=None, description="Service level committed to, if any.")


class QaPlan(Spec):
    onboarding: Onboarding
    calibration: Calibration
    agreement_actions: list[AgreementAction] = Field(default_factory=list)
    audits: list[Audit] = Field(min_length=1)
    error_taxonomy: list[ErrorType] = Field(min_length=1)
    retraining_triggers: list[Trigger] = Field(default_factory=list)
    escalation_ladder: list[Text] = Field(default_factory=list, description="Steps, in order.")
    pipeline: list[Stage] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)

"""acceptance.yaml: testable acceptance criteria at record, batch and release level."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .common import Id, Spec, Text


class Level(str, Enum):
    record = "record"
    batch = "batch"
    release = "release"


class Metric(str, Enum):
    percent_agreement = "percent_agreement"
    cohen_kappa = "cohen_kappa"
    fleiss_kappa = "fleiss_kappa"
    krippendorff_alpha = "krippendorff_alpha"
    gwet_ac1 = "gwet_ac1"
    gold_accuracy = "gold_accuracy"
    critical_defect_rate = "critical_defect_rate"
    major_defect_rate = "major_defect_rate"
    audit_pass_rate = "audit_pass_rate"
    coverage = "coverage"
    duplicate_rate = "duplicate_rate"
    cross_split_overlap = "cross_split_overlap"
    precision_proxy = "precision_proxy"
    recall_proxy = "recall_proxy"
    missing_field_rate = "missing_field_rate"
    schema_valid_rate = "schema_valid_rate"
    unknown_label_rate = "unknown_label_rate"
    license_coverage = "license_coverage"
    span_f1_exact = "span_f1_exact"
    span_f1_overlap = "span_f1_overlap"
    position_consistency = "position_consistency"
    weighted_kappa_quadratic = "weighted_kappa_quadratic"
    ordinal_alpha = "ordinal_alpha"
    box_f1 = "box_f1"
    mean_iou = "mean_iou"


# Chance-corrected coefficients range over [-1, 1]; every other metric is a share.
SIGNED_METRICS = {Metric.cohen_kappa, Metric.fleiss_kappa, Metric.krippendorff_alpha, Metric.gwet_ac1,
                  Metric.ordinal_alpha, Metric.weighted_kappa_quadratic}


class Comparator(str, Enum):
    ge = ">="
    gt = ">"
    le = "<="
    lt = "<"
    eq = "=="


class Scope(str, Enum):
    overall = "overall"
    per_label = "per-label"
    per_slice = "per-slice"


class OnFail(str, Enum):
    rework = "rework"
    partial_release = "partial-release"
    scope_reduction = "scope-reduction"
    block = "block"
    recalibrate = "recalibrate"


class Consequence(Spec):
    action: OnFail = Field(description="rework, partial-release, scope-reduction, block or recalibrate.")
    detail: Text | None = None


class Criterion(Spec):
    id: Id
    level: Level
    description: Text = Field(description="The criterion in words.")
    metric: Metric
    comparator: Comparator | None = None
    threshold: float | None = Field(default=None, description="Shares are written as fractions: 0.5% is 0.005.")
    confidence: float | None = Field(
        default=None, gt=0, lt=1,
        description="e.g. 0.95: the bound must pass (a Wilson bound for rates, a bootstrap percentile for "
                    "agreement coefficients).")
    scope: Scope = Scope.overall
    slice: Text | None = Field(default=None, description="For per-slice scope: the slice column, e.g. language.")
    labels: list[Id] = Field(default_factory=list, description="Restrict to these labels.")
    on_fail: Consequence | None = Field(default=None, description="The consequence of failing.")

    @field_validator("threshold")
    @classmethod
    def _threshold_in_range(cls, value: float | None, info: ValidationInfo) -> float | None:
        metric = info.data.get("metric")
        if value is not None and metric is not None:
            low = -1.0 if metric in SIGNED_METRICS else 0.0
            if not low <= value <= 1.0:
                raise ValueError(
                    f"threshold {value:g} is outside [{low:g}, 1] for metric {metric.value}"
                    + ("" if low < 0 else " (write percentages as fractions: 0.5% is 0.005)")
                )
        return value

    @model_validator(mode="after")
    def _parts_agree(self) -> "Criterion":
        if (self.threshold is None) != (self.comparator is None):
            raise ValueError("comparator and threshold go together: give both or neither")
        if self.scope == Scope.per_slice and not self.slice:
            raise ValueError("scope per-slice needs 'slice': the slice column, e.g. language")
        return self


class Signature(Spec):
    name: Text
    role: Text
    date: dt.date | None = Field(default=None, description="Date signed (YYYY-MM-DD); empty until signed.")


class SignOff(Spec):
    lead: Signature
    model_stakeholder: Signature


class Acceptance(Spec):
    set_before_results: bool = Field(
        description="Confirms the criteria were fixed before any results were seen.",
    )
    criteria: list[Criterion] = Field(min_length=1)
    sign_off: SignOff

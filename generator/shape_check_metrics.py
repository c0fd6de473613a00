"""Which shapes and scopes the judgment metrics apply to, checked on acceptance.yaml.

Called from shape_check.check_shape, next to the span F1 check. The evaluator
(acceptance.py) reports the same cases as "not evaluated" with a note; this check says so
before any data is read. A confidence is allowed where a bound is computed:
position consistency (a rate: its Wilson bound) and ordinal alpha and weighted kappa (their
bootstrap percentile, intervals.py).
"""

from __future__ import annotations

from typing import Any

NAME = "acceptance.yaml"
# metric -> (the shapes it measures, what it is, the scopes it has besides overall)
JUDGMENT_METRICS = {
    "position_consistency": (("preference",), "position consistency compares a rater's two judgments of a pair",
                             ()),
    "ordinal_alpha": (("rating", "preference"), "ordinal alpha reads a rating scale or a preference strength scale",
                      ("per-label",)),
    "weighted_kappa_quadratic": (("rating",), "weighted kappa compares two raters' scores", ("per-label",)),
    "box_f1": (("box",), "box F1 compares raters' boxes", ("per-label",)),
    "mean_iou": (("box",), "mean IoU compares raters' boxes", ("per-label",)),
}
# The judgment metrics with a confidence bound: a Wilson bound (a rate) or a bootstrap percentile.
WITH_BOUND = {"position_consistency", "ordinal_alpha", "weighted_kappa_quadratic"}
FIX = {
    "preference": "position consistency needs pairs judged in both orders: use an agreement metric such as "
                  "krippendorff_alpha",
    "rating": "use krippendorff_alpha, with level: ordinal in datasheet.yaml for ordered labels",
    "box": "use an agreement metric such as krippendorff_alpha",
}


def _shapes(shapes: tuple[str, ...]) -> str:
    return " and ".join(shapes) + " guidelines"


def check_judgment_metrics(files: Any, acceptance: Any, shape: str) -> None:
    """Each judgment metric on its shapes, in the scopes it is measured in; F1 and IoU
    without a confidence (they are not rates of independent units and have no bootstrap;
    position consistency is a rate, ordinal alpha and weighted kappa have a bootstrap
    interval, so they take one)."""
    for i, c in enumerate(acceptance.criteria):
        metric = c.metric.value
        if metric not in JUDGMENT_METRICS:
            continue
        shapes, what, scopes = JUDGMENT_METRICS[metric]
        path = ("criteria", i)
        if shape not in shapes:
            files.error(NAME, path + ("metric",), "shape-mismatch",
                        f"criterion '{c.id}' measures {metric}, which applies to {_shapes(shapes)}; "
                        f"this one is {shape}", FIX[shapes[0]])
            continue
        # A preference guideline's ordinal alpha is one figure, of its strength scale.
        allowed = () if shape == "preference" else scopes
        scoped = c.scope.value != "overall" or bool(c.labels)
        scope = c.scope.value if c.scope.value != "overall" else "per label"
        if scoped and (c.scope.value == "per-slice" or "per-label" not in allowed):
            measured = "overall" + (" and per criterion" if shape == "rating" else " and per label" if allowed else "")
            files.error(NAME, path + (("scope",) if c.scope.value != "overall" else ("labels",)), "invalid-value",
                        f"criterion '{c.id}' measures {metric} {scope}; {what}, measured {measured}",
                        "use scope overall" + (" or per-label" if allowed else "")
                        + (" (per-label means per criterion; labels: name a point of each criterion)"
                           if shape == "rating" else ""))
        if c.confidence is not None and metric not in WITH_BOUND:
            files.error(NAME, path + ("confidence",), "invalid-value",
                        f"criterion '{c.id}' gives {metric} a confidence; a confidence bound is computed for rates "
                        "and agreement coefficients only", "remove confidence: the measured value is compared with "
                        "the threshold")

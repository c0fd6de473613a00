"""Checks of the judgment shapes: pairwise preference and rating scales (rubrics).

A rating guideline's labels are the points of its scales: each label belongs to exactly
one criterion, and the points of a criterion carry numeric values that rise from the
lowest point to the highest. A preference guideline's labels are its answers (A better,
tie, ...); it may also carry a rubric, whose points are labels too:

    criteria: [{id: helpfulness, points: [help_1, help_2, help_3]}]    # values 1, 2, 3
    labels not in a criterion -> the preference answers (a_better, tie, b_better)

An example of an answer is a prompt (`text`) with its `responses` and, per dimension, the
expected answer (`judgments`).
"""

from __future__ import annotations

from typing import Any

PREFERENCE = "preference"
RATING = "rating"
NAME = "taxonomy.yaml"


def numeric(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def answer_labels(taxonomy: Any) -> set[str]:
    """The labels of a preference guideline that are answers, not rubric points."""
    points = {point for criterion in taxonomy.criteria for point in criterion.points}
    return {label.id for label in taxonomy.labels} - points


def check_judgment_taxonomy(files: Any, manifest: Any, taxonomy: Any, shape: str, refs: Any) -> None:
    if taxonomy.criteria and shape not in (RATING, PREFERENCE):
        files.error(NAME, ("criteria",), "shape-mismatch",
                    f"criteria belongs to rating and preference guidelines; this one is {shape}",
                    "remove criteria, or set task_type: rating", at_key=True)
    if taxonomy.dimensions and shape != PREFERENCE:
        files.error(NAME, ("dimensions",), "shape-mismatch",
                    f"dimensions belongs to preference guidelines; this one is {shape}",
                    "remove dimensions, or set task_type: preference", at_key=True)
    labels = {label.id: (i, label) for i, label in enumerate(taxonomy.labels)}
    owners: dict[str, str] = {}
    seen: set[str] = set()
    for i, criterion in enumerate(taxonomy.criteria):
        path = ("criteria", i)
        if criterion.id in labels or criterion.id in seen:
            files.error(NAME, path + ("id",), "duplicate-id",
                        f"criterion id '{criterion.id}' is already used by a label or another criterion",
                        "give the criterion an id of its own")
        seen.add(criterion.id)
        values: list[tuple[int, float]] = []
        for j, point in enumerate(criterion.points):
            refs.check(NAME, path + ("points", j), point, "label")
            if point not in labels:
                continue
            if point in owners:
                files.error(NAME, path + ("points", j), "invalid-value",
                            f"label '{point}' is a point of criterion '{owners[point]}' already",
                            "a point belongs to one scale: give each criterion its own point labels")
                continue
            owners[point] = criterion.id
            index, label = labels[point]
            value = numeric(label.data_value)
            if value is None:
                files.error(NAME, ("labels", index) + (("value",) if label.value is not None else ("id",)),
                            "invalid-value",
                            f"point '{point}' of criterion '{criterion.id}' has the value '{label.data_value}', "
                            "not a number", "give each point its score as value, e.g. value: \"3\"")
            else:
                values.append((j, value))
        for (_, low), (j, high) in zip(values, values[1:]):
            if high <= low:
                files.error(NAME, path + ("points", j), "invalid-value",
                            f"the points of criterion '{criterion.id}' must rise from the lowest to the highest; "
                            f"'{criterion.points[j]}' ({high:g}) follows a point worth {low:g}",
                            "list the points lowest first, with rising values")
    if shape == RATING:
        for label_id, (index, _) in labels.items():
            if label_id not in owners:
                files.error(NAME, ("labels", index, "id"), "invalid-value",
                            f"label '{label_id}' is a point of no criterion",
                            "a rating guideline's labels are scale points: list it in a criterion's points")
    if shape == PREFERENCE and len(answer_labels(taxonomy)) < 2:
        files.error(NAME, ("labels",), "invalid-value",
                    "a preference guideline needs at least two answers (labels outside the criteria)",
                    "add the answers raters choose from, e.g. a_better, tie, b_better", at_key=True)
    _unique(files, "dimension", [("dimensions", i, "id") for i in range(len(taxonomy.dimensions))],
            [d.id for d in taxonomy.dimensions])


def _unique(files: Any, what: str, paths: list, ids: list[str]) -> None:
    first: dict[str, Any] = {}
    for path, ident in zip(paths, ids):
        if ident in first:
            files.error(NAME, path, "duplicate-id", f"{what} id '{ident}' is used twice",
                        f"give each {what} its own id")
        first.setdefault(ident, path)


def check_judgment_example(files: Any, manifest: Any, taxonomy: Any, shape: str, owner: str, kind: str,
                           example: Any, path: KeyPath, refs: Any) -> None:
    if example.responses is not None and shape != PREFERENCE:
        files.error(NAME, path + ("responses",), "shape-mismatch",
                    f"an example's responses belongs to preference guidelines; this one is {shape}",
                    "remove responses from this example", at_key=True)
    if example.judgments is not None and shape not in (PREFERENCE, RATING):
        files.error(NAME, path + ("judgments",), "shape-mismatch",
                    f"an example's judgments belongs to preference and rating guidelines; this one is {shape}",
                    "remove judgments from this example", at_key=True)
    if shape == PREFERENCE and owner in answer_labels(taxonomy):
        wanted = manifest.preference.responses if manifest.preference is not None else 2
        if example.responses is None:
            files.error(NAME, path + ("text",), "example-responses",
                        f"an example of the answer '{owner}' needs the responses it compares",
                        f"add responses: a list of {wanted} texts, in the order shown (A first)", at_key=True)
        elif len(example.responses) != wanted:
            files.error(NAME, path + ("responses",), "example-responses",
                        f"the example has {len(example.responses)} responses; raters compare {wanted}",
                        "write every response shown, or set preference: {responses: n} in guideline.yaml",
                        at_key=True)
    if example.judgments is None:
        return
    # a dimension's answers are the answer labels (None here), a criterion's its points
    scales: dict[str, set[str] | None] = ({d.id: None for d in taxonomy.dimensions} if shape == PREFERENCE else {})
    scales.update({c.id: set(c.points) for c in taxonomy.criteria})
    answers = answer_labels(taxonomy) if shape == PREFERENCE else set()
    for key, value in example.judgments.items():
        jpath = path + ("judgments", key)
        if key not in scales:
            where = "dimensions or criteria" if shape == PREFERENCE else "criteria"
            files.error(NAME, jpath, "unresolved-ref", f"'{key}' is not one of the {where} of taxonomy.yaml",
                        f"judge one of: {', '.join(sorted(scales)) or '(none declared)'}", at_key=True)
            continue
        refs.check(NAME, jpath, value, "label")
        points = scales[key]
        allowed = points if points is not None else answers
        if value in {label.id for label in taxonomy.labels} and value not in allowed:
            files.error(NAME, jpath, "invalid-value",
                        f"'{value}' is not an answer for '{key}'; one of: {', '.join(sorted(allowed))}",
                        "judge a dimension with an answer label, a criterion with one of its points")


KeyPath = tuple[Any, ...]

"""Onboarding tasks for Label Studio: the guideline's worked examples as tasks with their
gold answers as ground-truth annotations, so new raters can be scored inside the tool.

    labelbook export content-safety --to label-studio-ground-truth --out onboarding/
    -> tasks.json (the tasks, to import) and config.xml (the labeling config they answer)

Each task is Label Studio's import format: `data` holding what the config's objects read
(`text`), and one annotation with `ground_truth: true` whose results name the config's
controls (`from_name` "label", `to_name` "text", export.label_studio_config):

    {"data": {"text": "...", "labelbook_example": "hate_speech/tricky/1", ...},
     "annotations": [{"ground_truth": true,
                      "result": [{"from_name": "label", "to_name": "text", "type": "choices",
                                  "value": {"choices": ["hate_speech"]}}]}]}

A Choice's result holds its alias, the label's value, as Label Studio writes it. A token's
tag and a span are regions: start and end offsets in the text, the covered text and the
label's value. An example whose answer the spec does not state (a near miss that names no
label) is left out, and so is a second copy of the same item with the same answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .export import label_studio_config, stamp_for
from .guideline import Guideline
from .load import UsageError, load_guidelines
from .shape_check import example_labels, find_token, resolve_spans

FORMAT = "label-studio-ground-truth"
SHAPES = ("single-label", "multi-label", "token-tagging", "span")


def _choices(guideline: Guideline, gold: set[str]) -> list[dict[str, Any]]:
    values = [label.data_value for label in guideline.taxonomy.labels if label.id in gold]
    if not values:
        return []
    return [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": values}}]


def _region(guideline: Guideline, key: str, text: str, start: int, end: int, label_id: str) -> dict[str, Any]:
    return {"id": key, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end],
                      "labels": [guideline.label(label_id).data_value]}}


def _result(guideline: Guideline, example: Any, owner: str, kind: str, key: str) -> list[dict[str, Any]] | None:
    """The gold answer as Label Studio results; None when the example states no answer."""
    shape = guideline.shape
    if shape == "span":
        if example.spans is None:
            return None
        spans = [s for s in resolve_spans(example) if s is not None]
        return [_region(guideline, f"{key}-{n}", example.text, s.start, s.end, s.label)
                for n, s in enumerate(spans, start=1)]
    gold = example_labels(example, owner, kind)
    if not gold:
        return None
    if shape == "token-tagging":
        found = find_token(example.text, example.token, example.occurrence) if example.token else None
        if found is None or len(gold) != 1:
            return None
        return [_region(guideline, f"{key}-1", example.text, found[0], found[1], next(iter(gold)))]
    return _choices(guideline, gold)


def onboarding_tasks(guideline: Guideline, stamp_line: str) -> list[dict[str, Any]]:
    """Every worked example with a stated answer, in the taxonomy's order (positive,
    negative, tricky per label), as a Label Studio task with a ground-truth annotation."""
    tasks: list[dict[str, Any]] = []
    seen: set[str] = set()
    for label in guideline.taxonomy.labels:
        for kind in ("positive", "negative", "tricky"):
            for number, example in enumerate(getattr(label.examples, kind), start=1):
                key = f"{label.id}-{kind}-{number}"
                result = _result(guideline, example, label.id, kind, key)
                if result is None:
                    continue
                identity = json.dumps([example.text, result and [r["value"] for r in result]], sort_keys=True)
                if identity in seen:
                    continue
                seen.add(identity)
                tasks.append({
                    "data": {"text": example.text, "labelbook_example": f"{label.id}/{kind}/{number}",
                             "labelbook_explanation": example.explanation, "labelbook": stamp_line},
                    "annotations": [{"ground_truth": True, "result": result}],
                })
    return tasks


def onboarding_files(guideline: Guideline) -> dict[str, str]:
    """tasks.json (printed without --out) and config.xml, the config the tasks answer."""
    if guideline.shape not in SHAPES:
        raise UsageError(
            f"onboarding tasks are written for single-label, multi-label, token-tagging and span guidelines: "
            f"{guideline.id} is {guideline.shape}",
            f"export its labeling config with `labelbook export {guideline.id} --to label-studio` and add "
            "ground-truth tasks in Label Studio")
    stamp = stamp_for(guideline)
    tasks = onboarding_tasks(guideline, stamp.line)
    return {"tasks.json": json.dumps(tasks, ensure_ascii=False, indent=2) + "\n",
            "config.xml": label_studio_config(guideline, stamp)}


def run_onboarding_export(guideline_id: str, specs: Path) -> dict[str, str]:
    """The files of one guideline under specs. Raises UsageError for a bad id or shape."""
    folder = specs / guideline_id
    if guideline_id in ("", ".", "..") or "/" in guideline_id or not folder.is_dir():
        known = sorted(p.name for p in specs.iterdir() if p.is_dir() and not p.name.startswith(".")) \
            if specs.is_dir() else []
        raise UsageError(f"no guideline '{guideline_id}' under {specs}", "guidelines: " + ", ".join(known))
    guideline = next((g for g in load_guidelines([folder]).guidelines if g.id == guideline_id), None)
    if guideline is None:
        raise UsageError(f"{guideline_id} has errors; run `labelbook check {folder}`")
    return onboarding_files(guideline)

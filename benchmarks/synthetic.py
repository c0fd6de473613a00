"""A synthetic spec corpus for benchmarks: N guidelines x M labels, every file filled in.

Built from the test fixture guideline (tests/fixtures/specs/mini), with its taxonomy and
decision tree replaced by M labels (3 positive, 3 negative, 3 tricky examples each) and
a chain of M questions that reaches every label. Written with yaml.safe_dump, so the
corpus is valid by construction; `labelbook check --strict` passes on it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

FIXTURE = Path(__file__).resolve().parent.parent / "tests/fixtures/specs/mini"


def _examples(label: str, kind: str, other: str) -> list[dict]:
    out = []
    for n in range(3):
        entry = {"text": f"Synthetic {kind} item {n} for {label}: a realistic sentence of moderate length "
                         f"that a rater would read before deciding.",
                 "explanation": f"Meets inclusion criterion {n + 1} of {label}; no exclusion criterion applies."}
        if kind != "positive":
            entry["label"] = other
        out.append(entry)
    return out


def _span_examples(label: str, kind: str, other: str, labels: list[str]) -> list[dict]:
    """Span examples of five entities each: a sentence of five named things, spans written
    by their text (the first three) or by offsets (the last two)."""
    out = []
    for n in range({"positive": 4, "negative": 3, "tricky": 3}[kind]):
        names = [f"Entity{n}{k} Name{k}" for k in range(5)]
        text = "Reported: " + ", then ".join(names) + "."
        spans = []
        for k, name in enumerate(names):
            owner = label if kind != "negative" and k == 0 else labels[(labels.index(other) + k) % len(labels)]
            if owner == label and kind == "negative":
                owner = other
            if k < 3:
                spans.append({"text": name, "label": owner})
            else:
                start = text.index(name)
                spans.append({"start": start, "end": start + len(name), "label": owner})
        out.append({"text": text, "spans": spans,
                    "explanation": f"Each name is a separate entity; the first is {label} by criterion A."})
    return out


def taxonomy(labels: int, shape: str = "single-label") -> dict:
    ids = [f"label_{i:03d}" for i in range(labels - 1)] + ["not_enough_info"]
    entries = []
    for i, label in enumerate(ids):
        other = ids[(i + 1) % len(ids)]
        entries.append({
            "id": label,
            "name": f"Behaviour number {i} observed in the item",
            "definition": f"The item shows behaviour {i}: a specific, observable pattern that raters can verify "
                          f"against the inclusion criteria below.",
            "include": [f"Criterion A for behaviour {i}", f"Criterion B for behaviour {i}"],
            "exclude": [f"Looks like behaviour {i} but is quoted; use {other}"],
            "thresholds": ["At least two of the inclusion criteria"],
            "notes": "Synthetic label for benchmarks.",
            "examples": {kind: (_span_examples(label, kind, other, ids) if shape == "span"
                                else _examples(label, kind, other)) for kind in ("positive", "negative", "tricky")},
        })
        if shape == "span":
            entries[-1]["value"] = label.upper()  # the data carries upper-case entity types
    return {"unknown_label": "not_enough_info", "priority": ids, "labels": entries}


def decision_tree(labels: int) -> dict:
    ids = [f"label_{i:03d}" for i in range(labels - 1)]
    questions = [{"id": "enough-context", "question": "Can the item be judged with the context shown?",
                  "answers": [{"answer": "No", "label": "not_enough_info"}, {"answer": "Yes", "next": "q-000"}]}]
    for i, label in enumerate(ids):
        last = i == len(ids) - 1
        questions.append({
            "id": f"q-{i:03d}", "question": f"Does the item show behaviour {i}?",
            "help": "Check the inclusion criteria in order.",
            "answers": [{"answer": "Yes", "evidence": f"Criteria A and B of behaviour {i}", "label": label},
                        {"answer": "No", **({"escalate": "policy-team"} if last else {"next": f"q-{i + 1:03d}"})}],
        })
    return {"start": "enough-context", "questions": questions}


def write_corpus(root: Path, guidelines: int, labels: int, shape: str = "single-label") -> Path:
    """Write root/specs/<id>/*.yaml for `guidelines` guidelines of `labels` labels each;
    shape "span" gives every label 10 span examples of 5 entities each."""
    specs = root / "specs"
    tax = yaml.safe_dump(taxonomy(labels, shape), sort_keys=False, allow_unicode=True, width=100)
    tree = yaml.safe_dump(decision_tree(labels), sort_keys=False, allow_unicode=True, width=100)
    for n in range(guidelines):
        gid = f"guideline-{n:03d}"
        folder = specs / gid
        shutil.copytree(FIXTURE, folder)
        manifest = (folder / "guideline.yaml").read_text()
        (folder / "guideline.yaml").write_text(
            manifest.replace("id: mini", f"id: {gid}").replace("Mini guideline", f"Synthetic guideline {n}")
            .replace("task_type: single-label", f"task_type: {shape}"))
        (folder / "taxonomy.yaml").write_text(tax)
        (folder / "decision_tree.yaml").write_text(tree)
        edge = (folder / "edge_cases.yaml").read_text()
        (folder / "edge_cases.yaml").write_text(edge.replace("labels: [not_enough_info]", "labels: [label_000]"))
    return specs

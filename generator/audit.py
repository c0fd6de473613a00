"""`labelbook audit <id>`: every release of one guideline as a record for auditors' tools.

Nothing is computed here that the changelog does not already compute: releases, dates,
authors, tags and version anomalies come from history.read_history, the declared and
detected changes and the label map of each release from changelog.build_changelog (the
semantic diff against the previous valid release). This module only flattens them, oldest
release first, into JSON or CSV that is byte-identical from run to run: keys sorted,
dates from git (ISO 8601, UTC), never the time of the run.

Commits on the main line after the newest release make a final entry with
"unreleased": true, read from HEAD (committed work only; "uncommitted" says whether the
working tree holds more).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .changelog import ReleaseContents, build_changelog
from .diagnostics import Report
from .guideline import Guideline
from .history import Commit, History, HistoryError, read_history
from .load import MANIFEST, UsageError
from .semantic_diff import SemanticChange, fresh_changes
from .validate import did_you_mean

FORMATS = ("json", "csv")
FORMAT_VERSION = 1
LIST_SEPARATOR = "|"  # between ids in one CSV cell
CSV_COLUMNS = ["guideline", "version", "unreleased", "previous", "valid", "date", "commit", "tag", "author", "email",
               "source", "type", "summary", "rationale", "relabel", "gold_update", "criteria_update",
               "relabel_note", "ticket", "approved_by", "area", "subject", "subject_id", "what", "before", "after",
               "labels", "rules", "declared_reason"]


def iso_date(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _commit(commit: Commit) -> dict[str, Any]:
    return {"commit": commit.sha, "date": iso_date(commit.timestamp), "subject": commit.subject,
            "author": {"name": commit.author, "email": commit.email}}


def _named_rules(texts: list[str], rule_ids: list[str]) -> list[str]:
    """Rule ids a declared change names in its summary or rationale, e.g. "see rule missing-context"."""
    text = " ".join(texts)
    return sorted(r for r in rule_ids if re.search(rf"(?<![\w-]){re.escape(r)}(?![\w-])", text))


def _declared(entry: Any, guideline: Guideline | None) -> dict[str, Any]:
    out: dict[str, Any] = entry.model_dump(mode="json")
    rule_ids = [r.id for r in guideline.edge_cases.rules] if guideline is not None else []
    out["rules"] = _named_rules([entry.summary, entry.rationale], rule_ids)
    return out


def _detected(change: SemanticChange) -> dict[str, Any]:
    return {"type": change.type, "area": change.area, "subject": change.subject,
            "subject_id": change.subject_id, "what": change.what,
            "before": change.before, "after": change.after, "labels": list(change.labels),
            "declared_reason": change.declared_reason}


def _entry(version: str | None, commit: Commit | None, tag: str | None, previous: str | None, valid: bool,
           declared: list[Any], detected: list[SemanticChange], label_map: dict[str, list[str]],
           commits: list[Commit], guideline: Guideline | None, unreleased: bool = False) -> dict[str, Any]:
    return {
        "version": version, "unreleased": unreleased, "previous": previous, "valid": valid,
        "commit": commit.sha if commit else None, "date": iso_date(commit.timestamp) if commit else None,
        "author": {"name": commit.author, "email": commit.email} if commit else None, "tag": tag,
        "approvers": list(dict.fromkeys(d.approved_by for d in declared if d.approved_by)),
        "declared": [_declared(d, guideline) for d in declared],
        "detected": [_detected(c) for c in detected],
        # Only labels that do not simply stay themselves: renamed, merged, split or removed.
        "label_map": {old: new for old, new in sorted(label_map.items()) if new != [old]},
        "commits": [_commit(c) for c in commits],
    }


def _known_ids(history: History, specs: Path) -> list[str]:
    """Guidelines in the working copy and every guideline folder git has a history of."""
    here = {p.name for p in specs.iterdir() if (p / MANIFEST).is_file()} if specs.is_dir() else set()
    return sorted(here | set(history.guidelines))


def audit_record(guideline_id: str, specs: Path) -> tuple[dict[str, Any], list[str]]:
    """(the record, history warnings). UsageError (exit 2) outside git, in a shallow clone
    or for an unknown guideline id."""
    if not specs.is_dir():
        raise UsageError(f"no specs folder at {specs}", "run labelbook from the repository root or pass --specs")
    history = read_history(specs, specs)  # HistoryError in a shallow clone
    if history.repo is None:
        raise HistoryError(f"{specs.resolve()} is not in a git repository",
                           "labelbook audit reads releases from git history; run it in a clone of the "
                           "guidelines repository")
    known = _known_ids(history, specs)
    if guideline_id not in known:
        raise UsageError(f"no guideline '{guideline_id}' under {specs}{did_you_mean(guideline_id, known)}",
                         "guidelines: " + ", ".join(known) if known else "create one with `labelbook new <id>`")
    gh = history.of(guideline_id)
    contents = ReleaseContents(history)
    head_sha = history.repo.head.commit.hexsha if gh.unreleased else None
    head = history.read_guideline(head_sha, guideline_id, Report()) if head_sha else None
    log = build_changelog(gh, contents, head)
    releases, previous = [], None
    guidelines = {r.version: contents.at(r) for r in gh.releases}
    for entry in reversed(log.releases):  # oldest first
        releases.append(_entry(entry.version, entry.commit, entry.tag, previous, entry.valid, entry.declared,
                               entry.detected, entry.label_map, entry.commits, guidelines[entry.version]))
        previous = entry.version if entry.valid else previous
    if gh.unreleased:
        diff = log.unreleased_diff
        declared = diff.declared if diff else fresh_changes(None, head) if head and previous is None else []
        releases.append(_entry(head.version if head else None, gh.unreleased[-1], None, previous,
                               head is not None, declared, diff.changes if diff else [],
                               diff.label_map if diff else {}, gh.unreleased, head, unreleased=True))
    anomalies = [{"version": a.version, "commit": a.commit.sha, "date": iso_date(a.commit.timestamp),
                  "highest_release": a.highest.version, "message": a.message}
                 for a in history.anomalies if a.guideline == guideline_id]
    record = {"format": FORMAT_VERSION, "guideline": guideline_id, "folder": f"{history.specs_path}/{guideline_id}",
              "uncommitted": gh.uncommitted, "releases": releases, "anomalies": anomalies}
    return record, history.warnings


def render_json(record: dict[str, Any]) -> str:
    return json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def csv_rows(record: dict[str, Any]) -> list[dict[str, str]]:
    """One row per (release, change): its declared changes, then the detected ones, then the
    label map (one row per old label); a release without any has one row with no source."""
    rows = []
    for release in record["releases"]:
        author = release["author"] or {}
        base = {"guideline": record["guideline"], "version": release["version"], "unreleased": release["unreleased"],
                "previous": release["previous"], "valid": release["valid"], "date": release["date"],
                "commit": release["commit"], "tag": release["tag"], "author": author.get("name"),
                "email": author.get("email")}
        changes: list[dict[str, Any]] = []
        for d in release["declared"]:
            impact = d["relabel_impact"]
            changes.append({"source": "declared", "type": d["type"], "summary": d["summary"],
                            "rationale": d["rationale"], "relabel": impact["relabel"],
                            "gold_update": impact["gold_update"], "criteria_update": impact["criteria_update"],
                            "relabel_note": impact["note"], "ticket": d["ticket"], "approved_by": d["approved_by"],
                            "labels": d["labels"], "rules": d["rules"]})
        for c in release["detected"]:
            changes.append({"source": "detected", **{k: c[k] for k in ("type", "area", "subject", "subject_id", "what",
                                                                         "before", "after", "labels",
                                                                         "declared_reason")},
                            "rules": [c["subject_id"]] if c["area"] == "rule" else []})
        for old, new in release["label_map"].items():
            changes.append({"source": "label_map", "area": "label", "subject": f"label {old}", "subject_id": old,
                            "what": "maps to", "before": old, "after": new,
                            "labels": list(dict.fromkeys([old, *new]))})
        for change in changes or [{"source": None}]:
            row = {column: _cell({**base, **change}.get(column)) for column in CSV_COLUMNS}
            rows.append(row)
    return rows


def render_csv(record: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(record))
    return out.getvalue()


def run_audit(guideline_id: str, specs: Path, fmt: str) -> tuple[str, list[str]]:
    """(the text to print, warnings for stderr)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown audit format {fmt}", "use one of: " + ", ".join(FORMATS))
    record, warnings = audit_record(guideline_id, specs)
    return (render_csv(record) if fmt == "csv" else render_json(record)), warnings

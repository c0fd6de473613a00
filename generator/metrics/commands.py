"""`labelbook agreement` and `labelbook gate`: read, compute, print; return the exit status.

Bad data prints `error: <file>:<line>: ...` and a hint and returns 1; usage problems
raise UsageError (exit status 2) for the command line's error boundary.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from ..load import UsageError, display_path, load_guidelines
from ..validate import did_you_mean
from . import acceptance as acc
from .boxes import BoxReport, box_report, box_text, read_boxes
from .compute import agreement_report
from .detect import detect_shape
from .intervals import DEFAULT_RESAMPLES, DEFAULT_SEED, Settings
from .preference import PreferenceReport, preference_report, preference_text, read_preferences
from .quality import Quality, compute_quality, load_data, repository_root
from .rating import RatingReport, rating_report, rating_text, read_scores
from .read import DataError, read_ratings, read_table
from .span_items import token_bio
from .spans import read_spans, span_report, span_text
from .text import interval as _interval
from .text import interval_note
from .text import number as _num
from .version_gate import judge


def _error(problem: DataError) -> int:
    print(f"error: {problem.message}", file=sys.stderr)
    if problem.hint:
        print(f"hint: {problem.hint}", file=sys.stderr)
    return 1


MAX_RESAMPLES = 100_000  # the replicates of every figure are held at once: 100,000 x 8 bytes each


def bootstrap_settings(resamples: str | None, seed: str | None) -> Settings:
    """The intervals' settings from --resamples and --seed (None: the default)."""
    def whole(option: str, text: str, low: int, high: int, what: str, hint: str) -> int:
        value = text.strip()
        if not re.fullmatch(r"[0-9]+", value) or not low <= int(value) <= high:
            raise UsageError(f"{option} {text}: {what}", hint)
        return int(value)

    settings = Settings()
    if resamples is not None:
        settings = replace(settings, resamples=whole(
            "--resamples", resamples, 1, MAX_RESAMPLES,
            f"the number of bootstrap resamples is a whole number from 1 to {MAX_RESAMPLES:,}",
            f"leave --resamples out for {DEFAULT_RESAMPLES:,}, or pass more for steadier bounds, e.g. "
            "--resamples 10000"))
    if seed is not None:
        settings = replace(settings, seed=whole(
            "--seed", seed, 0, 2 ** 63 - 1, "the seed is a whole number, 0 or more (below 2^63)",
            f"leave --seed out for {DEFAULT_SEED}; the same seed and data give the same intervals"))
    return settings


def run_agreement(file: str, level: str, fmt: str, slices: list[str], separator: str | None,
                  shape: str | None = None, *, resamples: str | None = None, seed: str | None = None) -> int:
    settings = bootstrap_settings(resamples, seed)
    if separator == "":
        # An empty separator cannot split a cell, and falling back to '|' would read the
        # export differently from what was asked. (A space is a separator some tools use.)
        raise UsageError("--separator is empty",
                         "pass the text between the labels of a cell, e.g. --separator '|', "
                         "or leave --separator out for a single-label export")
    path = Path(file)
    if not path.exists():
        raise UsageError(f"no such file: {file}", "pass an annotation export (.csv or .parquet)")
    if path.is_dir():
        raise UsageError(f"{file} is a folder", "pass an annotation export (.csv or .parquet)")
    # -- larger than memory (large.py): a big single-label export is aggregated in DuckDB
    from .large import is_large, run_large

    if is_large(path, separator, shape):
        status = run_large(path, display_path(path), level, fmt, slices, intervals=settings)
        if status is not None:
            return status
    # --
    try:
        frame = read_table(path, display_path(path))
        kind, why = detect_shape(frame.columns, shape)  # the rules are in detect.py
        if kind == "span":  # one row per span
            return _run_span_agreement(path, frame, level, fmt, slices, separator, why, settings)
        if kind != "label":
            return _run_shape_agreement(kind, why, path, frame, level, fmt, slices, separator, settings)
        ratings = read_ratings(path, display_path(path), multi=separator is not None, separator=separator,
                               columns=tuple(slices), frame=frame)
        report = agreement_report(ratings, level=level, slices=tuple(slices), intervals=settings)
    except DataError as problem:
        return _error(problem)
    return print_agreement(ratings.display, len(ratings.frame), report, fmt)


def print_agreement(display: str, ratings: int, report, fmt: str) -> int:
    """Write a single-label agreement report as text or JSON; exit status 1 when nothing
    was computable (in memory or in DuckDB, large.py)."""
    computable = report.overall.items > 0
    if fmt == "json":
        sys.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(agreement_text(display, ratings, report))
    if not computable:
        print(f"error: {display}: agreement is {report.overall.notes[0]}", file=sys.stderr)
        print("hint: agreement needs items rated by two or more raters", file=sys.stderr)
    return 0 if computable else 1


def _reject_options(kind: str, why: str, display: str, options: dict[str, bool], hint: str) -> None:
    """A usage error for the first option given that does not apply to this shape of export."""
    for option, given in options.items():
        if given:
            reason = f"{display} {why}" if not why.startswith("--") else why
            raise UsageError(f"{option} does not apply to a {kind} export ({reason})",
                             f"leave {option.split()[0]} out; {hint}")


SHAPE_HINTS = {
    "span": "spans are compared by span F1 and token BIO tags",
    "box": "boxes are compared by the F1 of boxes matched at IoU >= 0.5 and their mean IoU",
    "rating": "each criterion gets percent agreement, ordinal and interval alpha, Gwet's AC2 and, with two "
              "raters, weighted kappa",
    "preference": "preferences get percent agreement, nominal alpha and, on a numeric strength scale, "
                  "ordinal alpha (--level ordinal requires it)",
}


def _run_span_agreement(path: Path, frame, level: str, fmt: str, slices: list[str], separator: str | None,
                        why: str = "has a start or end column", settings: Settings = Settings()) -> int:
    """A span export (item, rater, start, end, label): span F1 and token BIO agreement."""
    display = display_path(path)
    _reject_options("span", why, display, {"--slice": bool(slices), "--separator": separator is not None,
                                           "--level": level != "nominal"}, SHAPE_HINTS["span"])
    spans = read_spans(path, display, frame=frame)
    report = span_report(spans, token_bio=False)
    report.token_bio = token_bio(spans, settings)  # with the intervals of the token coefficients
    if fmt == "json":
        sys.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(span_text(display, spans.rows, report))
    if not report.computable:
        problem, hint = report.problem()
        print(f"error: {display}: span agreement is {problem}", file=sys.stderr)
        print(f"hint: {hint}", file=sys.stderr)
    return 0 if report.computable else 1


def _run_shape_agreement(kind: str, why: str, path: Path, frame, level: str, fmt: str, slices: list[str],
                         separator: str | None, settings: Settings = Settings()) -> int:
    """A box, rating or preference export: its own figures, printed as text or JSON."""
    display = display_path(path)
    levels = ("nominal", "ordinal") if kind == "preference" else ("nominal",)
    _reject_options(kind, why, display, {"--slice": bool(slices), "--separator": separator is not None,
                                         "--level" + (f" {level}" if kind == "preference" else ""):
                                             level not in levels}, SHAPE_HINTS[kind])
    report: BoxReport | RatingReport | PreferenceReport
    text: Callable[[], str]  # the report as text, written only when asked for
    if kind == "box":
        boxes = read_boxes(path, display, frame=frame)
        box = box_report(boxes)
        report, text = box, partial(box_text, display, boxes, box)
    elif kind == "rating":
        scores = read_scores(path, display, frame=frame)
        rating = rating_report(scores, settings)
        report, text = rating, partial(rating_text, display, scores, rating)
    else:
        preferences = read_preferences(path, display, frame=frame)
        preference = preference_report(preferences, level=level, intervals=settings)
        report, text = preference, partial(preference_text, display, preferences, preference)
    if fmt == "json":
        sys.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(text())
    if not report.computable:
        problem, hint = report.problem()
        print(f"error: {display}: {kind} agreement is {problem}", file=sys.stderr)
        print(f"hint: {hint}", file=sys.stderr)
    return 0 if report.computable else 1


# The text table's coefficient columns: (attribute, heading, as a percentage).
COLUMNS = (("percent_agreement", "percent", True), ("cohen_kappa", "cohen", False), ("fleiss_kappa", "fleiss", False),
           ("krippendorff_alpha", "alpha", False), ("gwet_ac1", "ac1", False))


def _columns(report) -> tuple[tuple[str, str, bool], ...]:
    """The text table's columns: AC2 too when the level weighs disagreements."""
    ac2 = report.overall.gwet_weights
    return COLUMNS + ((("gwet_ac2", f"ac2 {ac2}", False),) if ac2 else ())


def _coefficient_line(name: str, c, width: int, columns, cell: int) -> str:
    cells = "".join(f" {_num(getattr(c, attr), percent):>{max(cell, len(head))}}" for attr, head, percent in columns)
    return f"{name:<{width}} {c.items:>7}{cells}\n"


def _interval_line(c, width: int, columns, cell: int, confidence: float) -> str:
    """The bootstrap interval of each coefficient under its value, as low..high."""
    cells = "".join(f" {_interval(c.interval(attr, confidence), percent):>{max(cell, len(head))}}"
                    for attr, head, percent in columns)
    return f"{'':<{width}} {'':>7}{cells}".rstrip() + "\n" if cells.strip() else ""


def agreement_text(display: str, ratings: int, report) -> str:
    o = report.overall
    out = [f"{display}: {ratings:,} ratings, {o.raters} rater{'s' if o.raters != 1 else ''}, "
           f"{o.items:,} items with two or more ratings; alpha level {report.level}\n"]
    names = ["overall", *[f"  {label}" for label in report.per_label],
             *[f"  {col}={v}" for col, values in report.per_slice.items() for v in values]]
    width = max(len(n) for n in names) + 1
    columns = _columns(report)
    settings = report.intervals if o.replicates else None
    cell = 14 if settings else 8  # room for "-0.123..0.456" and "99.5%..100.0%"

    def line(name: str, c) -> str:
        text = _coefficient_line(name, c, width, columns, cell)
        return text + (_interval_line(c, width, columns, cell, settings.confidence) if settings else "")

    out.append(f"{'':<{width}} {'items':>7}" + "".join(f" {head:>{max(cell, len(head))}}" for _, head, _ in columns)
               + "\n")
    out.append(line("overall", o))
    if report.per_label:
        out.append("per label (one-vs-rest)\n")
        for label, c in report.per_label.items():
            out.append(line(f"  {label}", c))
    for column, values in report.per_slice.items():
        out.append(f"per {column}\n")
        for value, c in values.items():
            out.append(line(f"  {column}={value}", c))
    if settings:
        out.append(interval_note(settings, "items"))
    for note in o.notes:
        out.append(f"note: {note}\n")
    labels = report.confusion_labels
    if o.items and len(labels) > 1:
        out.append("\nrater confusion: pairs of ratings on one item (diagonal: the pairs that agree)\n")
        cell = max(7, *(len(label) for label in labels)) + 1
        out.append(f"{'':<{cell}}" + "".join(f"{label:>{cell}}" for label in labels) + "\n")
        for i, label in enumerate(labels):
            row = "".join(f"{int(report.confusion[i, j]) if j <= i else '':>{cell}}" for j in range(len(labels)))
            out.append(f"{label:<{cell}}{row}\n")
    if report.disputed:
        out.append("\nmost disputed items\n")
        for row in report.disputed:
            labels_text = ", ".join(f"{k} x{v}" for k, v in row["labels"].items())
            text = f"  \"{_clip(row['text'])}\"" if row.get("text") else ""
            out.append(f"  {row['item']}: {row['agreement'] * 100:.0f}% of pairs agree ({labels_text}){text}\n")
    return "".join(out)


def _clip(text: str, width: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def find_guideline(guideline_id: str, specs: str):
    folder = Path(specs)
    if not folder.is_dir():
        raise UsageError(f"no specs folder at {specs}", "run labelbook from the repository root or pass --specs")
    result = load_guidelines([folder])
    ids = sorted(path.name for path in folder.iterdir() if (path / "guideline.yaml").exists())
    if guideline_id not in ids:
        raise UsageError(f"no guideline '{guideline_id}' under {specs}{did_you_mean(guideline_id, ids)}",
                         "guidelines: " + ", ".join(ids) if ids else "create one with `labelbook new <id>`")
    return result, next((g for g in result.guidelines if g.id == guideline_id), None)


def run_gate(guideline_id: str, specs: str, fmt: str) -> int:
    result, guideline = find_guideline(guideline_id, specs)
    if guideline is None:
        from .. import diagnostics

        sys.stdout.write(diagnostics.FORMATTERS["text"](result.report, 1))
        print(f"error: the specs of {guideline_id} have errors; fix them first (labelbook check)", file=sys.stderr)
        return 1
    if guideline.datasheet.data is None:
        raise UsageError(f"{guideline.spec_path('datasheet.yaml')} declares no data",
                         "add a data: section with the annotation export and audit files to datasheet.yaml")
    try:
        ratings, audit = load_data(guideline, repository_root(guideline))
        quality = compute_quality(guideline, ratings, audit)
        # -- guideline versions (version_gate.py): the current version's ratings are judged
        judged = judge(guideline, ratings, audit, quality)
        quality, version_note = judged.quality, judged.note
        # --
    except DataError as problem:
        return _error(problem)
    results = judged.results
    fails = acc.gate_fails(results, quality)
    if fmt == "json":
        payload = {"guideline": guideline.id, "version": guideline.version, "gate": "fail" if fails else "pass",
                   "criteria": [r.as_dict() for r in results],
                   "checks": quality.as_dict()["checks"],
                   "guideline_versions": version_note}  # versions.py: which ratings were judged
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        if version_note:  # versions.py: which ratings were judged
            sys.stdout.write(f"guideline versions: {version_note}\n")
        sys.stdout.write(gate_text(guideline, quality, results, fails))
    return 1 if fails else 0


def gate_text(guideline, q: Quality, results: list[acc.CriterionResult], fails: bool) -> str:
    items = f"{q.items:,} items"
    if q.spans is not None:
        counted = f"{q.spans['spans']:,} spans in {q.spans['rows']:,} rows"
    elif q.boxes is not None:
        counted = f"{q.boxes['boxes']:,} boxes in {q.boxes['rows']:,} rows"
        items = f"{q.items:,} images"
    elif q.shape == "preference" and q.judgments is not None:
        counted = f"{q.judgments['judgments']:,} judgments"
    elif q.shape == "rating" and q.judgments is not None:
        n = len(q.judgments["criteria"])
        counted = f"{q.judgments['ratings']:,} scores on {n} criteri{'a' if n != 1 else 'on'}"
        items = f"{q.items:,} (item, criterion) units of {q.judgments['items']:,} items"
    else:
        counted = f"{q.rows:,} ratings"
    out = [f"{guideline.id} {guideline.version}: {q.annotations} ({counted}, {items}, "
           f"{q.raters} raters)" + (f"; audit {q.audit_path} ({q.defects['audited']:,} items)" if q.defects else "")
           + "\n\n"]
    rows = []
    for r in results:
        c = r.criterion
        # a threshold always comes with its comparator
        target = (f"{c.comparator.value} {acc.format_value(c.metric, c.threshold)}"
                  + (f" ({c.confidence * 100:g}% conf.)" if c.confidence else "")) \
            if c.threshold is not None and c.comparator is not None else "-"
        for i, row in enumerate(r.rows or [acc.ScopeResult("overall", None)]):
            rows.append((c.id if i == 0 else "", c.level.value if i == 0 else "", c.metric.value if i == 0 else "",
                         target if i == 0 else "", row.scope, acc.format_value(c.metric, row.value),
                         acc.format_value(c.metric, row.bound) if row.bound is not None else "", row.status.upper(),
                         row.note if row.status != acc.PASS else ""))
    head = ("criterion", "level", "metric", "target", "scope", "measured", "bound", "result", "")
    widths = [max(len(str(x[i])) for x in [head, *rows]) for i in range(len(head) - 1)]
    for line in [head, *rows]:
        out.append("  ".join(f"{str(x):<{w}}" for x, w in zip(line[:-1], widths)).rstrip()
                   + (f"  {line[-1]}" if line[-1] else "") + "\n")
    out.append("\nreadiness checks\n")
    for check in q.checks:
        mark = {True: "ok", False: "FAIL", None: "not checked"}[check.ok]
        out.append(f"  {mark:<11} {check.title}{' (hard gate)' if check.hard else ''}: {check.detail}\n")
        for finding in check.findings:
            out.append(f"              - {finding}\n")
    failing = [r for r in results if r.status == acc.FAIL]
    blocking = [r.criterion.id for r in results if r.blocks_release]
    summary = f"\n{sum(r.status == acc.PASS for r in results)} of {len(results)} criteria pass"
    if failing:
        summary += "; failing: " + ", ".join(f"{r.criterion.id} ({r.criterion.level.value})" for r in failing)
    out.append(summary + "\n")
    if fails:
        reasons = [f"release-level criteria not met: {', '.join(blocking)}"] if blocking else []
        reasons += [f"hard gate failed: {c.title.lower()}" for c in q.hard_failures]
        out.append("gate: FAIL (" + "; ".join(reasons) + ")\n")
    else:
        out.append("gate: pass (every release-level criterion and hard gate passes)\n")
    return "".join(out)

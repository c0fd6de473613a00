"""The quality figures of a guideline, shaped for the datasheet and acceptance templates.

Numbers are formatted here (templates stay declarative and escape every value); plots are
inline SVG (Markup). A data problem does not stop the site: the pages show it, and
`labelbook gate` fails on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..spec.acceptance import Level, Metric, Scope
from . import acceptance as acc
from . import plots, timeline
from .quality import Quality, compute_quality, load_data
from .read import DataError
from .spans import TOKEN_PATTERN
from .version_gate import judge


def _share(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value * 100:.{digits}f}%"


def _coef(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _interval(p) -> str:
    if p.interval is None:
        return ""
    low, high = p.interval
    return f"{low * 100:.2f}% to {high * 100:.2f}%"


def _coefficient_row(name: str, c) -> dict[str, Any]:
    """A row of the agreement table: each coefficient and, below it, its bootstrap interval
    at the confidence the quality report computes them with (intervals.DEFAULT_CONFIDENCE)."""
    from .intervals import DEFAULT_CONFIDENCE, DEFAULT_SEED

    def interval(attr: str, share: bool = False) -> str:
        bounds = c.interval(attr, DEFAULT_CONFIDENCE)
        if bounds is None:
            return ""
        return " to ".join(_share(x) if share else _coef(x) for x in bounds)

    resamples = len(next(iter(c.replicates.values()))) if c.replicates else 0
    return {"name": name, "n": f"{c.items:,}", "percent": _share(c.percent_agreement),
            "cohen": _coef(c.cohen_kappa), "fleiss": _coef(c.fleiss_kappa), "alpha": _coef(c.krippendorff_alpha),
            "ac1": _coef(c.gwet_ac1), "ac2": _coef(c.gwet_ac2), "weights": c.gwet_weights,
            "intervals": {"percent": interval("percent_agreement", True), "cohen": interval("cohen_kappa"),
                          "fleiss": interval("fleiss_kappa"), "alpha": interval("krippendorff_alpha"),
                          "ac1": interval("gwet_ac1"), "ac2": interval("gwet_ac2")},
            "bootstrap": {"confidence": f"{DEFAULT_CONFIDENCE * 100:g}%", "resamples": f"{resamples:,}",
                          "seed": DEFAULT_SEED} if resamples else None,
            "notes": list(c.notes)}


def quality_context(guideline, releases: Iterable[str] = ()) -> dict[str, Any]:
    """Everything the datasheet and acceptance pages show about the data ({} without data).
    releases: the guideline's released versions, marked on the agreement timeline."""
    data = guideline.datasheet.data
    # A release read from git history has no folder on disk; its data is not recomputed.
    if data is None or not Path(guideline.folder).is_dir():
        return {"present": False}
    try:
        ratings, audit = load_data(guideline)
        quality = compute_quality(guideline, ratings, audit)
        # The criteria are judged as `labelbook gate` judges them, on the current guideline
        # version's ratings (version_gate.py); the datasheet describes every rating.
        judged = judge(guideline, ratings, audit, quality)
    except DataError as problem:
        return {"present": True, "error": problem.message, "hint": problem.hint, "annotations": data.annotations,
                "audit": data.audit}
    view = _view(guideline, quality, judged.results, set(releases), judged.quality)
    view["gate"]["version_note"] = judged.note
    return view


def _view(guideline, q: Quality, results: list[acc.CriterionResult], releases: set[str] | None = None,
          judged: Quality | None = None) -> dict[str, Any]:
    """q: the figures of every rating; judged: those the criteria were evaluated on (the
    current guideline version's ratings), q when not given."""
    salt = f"labelbook-{guideline.id}"
    names = {label.id: label.name for label in guideline.taxonomy.labels}
    a = q.agreement
    view: dict[str, Any] = {"present": True, "error": None, "annotations": q.annotations, "audit": q.audit_path}
    view["summary"] = {"ratings": f"{q.rows:,}", "item_count": f"{q.items:,}", "raters": q.raters,
                       "overlap": f"{q.spans['items'] if q.spans is not None else a.overall.items:,}",
                       "splits": ", ".join(f"{k} {v:,}" for k, v in q.splits.items()),
                       "level": a.level}
    view["shape"] = q.shape
    view["spans"] = _span_view(q.spans, names) if q.spans is not None else None
    if q.spans is not None:
        view["summary"]["spans"] = f"{q.spans['spans']:,}"
        view["summary"]["span_rows"] = f"{q.spans['rows']:,}"
    view["judgments"] = None
    if q.judgments is not None and q.shape == "preference":
        view["judgments"] = _preference_view(q.judgments, names)
        view["summary"]["judgments"] = f"{q.judgments['judgments']:,}"
    elif q.judgments is not None and q.shape == "rating":
        view["judgments"] = _rating_view(q.judgments)
        view["summary"]["scores"] = f"{q.judgments['ratings']:,}"
        view["summary"]["export_items"] = f"{q.judgments['items']:,}"
        n = len(q.judgments["criteria"])
        view["summary"]["criteria"] = f"{n} criteri{'a' if n != 1 else 'on'}"
    view["boxes"] = _box_view(q.boxes, names) if q.boxes is not None else None
    if q.boxes is not None:
        view["summary"]["boxes"] = f"{q.boxes['boxes']:,}"
        view["summary"]["box_rows"] = f"{q.boxes['rows']:,}"
    # What one row of the item-level view is, in the words of the tables.
    view["units"] = {"span": "Tokens", "rating": "Units", "box": "Images"}.get(q.shape, "Items")
    view["disputed_header"] = {"span": "Labels of the spans each rater marked",
                               "preference": "Answers given (read as responses)",
                               "rating": "Points given", "box": "Classes each rater drew"}.get(q.shape, "Labels given")
    view["agreement"] = [_coefficient_row("Overall", a.overall)]
    view["agreement_notes"] = list(a.overall.notes)
    view["per_label"] = [dict(_coefficient_row(label, c), label=label, known=label in names)
                         for label, c in a.per_label.items()]
    view["per_slice"] = [(column, [_coefficient_row(f"{column}={value}", c) for value, c in values.items()])
                         for column, values in a.per_slice.items()]
    labels = a.confusion_labels
    view["confusion"] = {"labels": labels,
                         "rows": [(label, [int(a.confusion[i, j]) if j <= i else None for j in range(len(labels))])
                                  for i, label in enumerate(labels)]}
    view["disputed"] = [{"item": d["item"], "agreement": f"{d['agreement'] * 100:.0f}%",
                         "labels": ", ".join(f"{k} ×{v}" for k, v in d["labels"].items()), "text": d.get("text")}
                        for d in a.disputed]
    if q.gold:
        view["gold"] = {"item_count": f"{q.gold['items']:,}", "ratings": f"{q.gold['ratings']:,}",
                        "accuracy": _share(q.gold["accuracy"].value), "interval": _interval(q.gold["accuracy"]),
                        "per_label": [{"label": label, "precision": _share(v["precision"].value),
                                       "precision_n": v["precision"].n, "recall": _share(v["recall"].value),
                                       "recall_n": v["recall"].n} for label, v in q.gold["per_label"].items()]}
    else:
        view["gold"] = None
    total = sum(q.distribution.values()) or 1
    # A count next to each label's items: its spans, boxes or judgments.
    marks = (("Spans", q.spans["spans_per_label"]) if q.spans is not None else
             ("Boxes", q.boxes["boxes_per_label"]) if q.boxes is not None else
             ("Judgments", q.judgments["judgments_per_label"]) if q.shape == "preference" and q.judgments else
             (None, {}))
    view["distribution_count"] = marks[0]
    view["distribution"] = [{"label": label, "known": label in names, "n": f"{n:,}", "share": _share(n / total),
                             "count": f"{marks[1].get(label, 0):,}"}
                            for label, n in q.distribution.items()]
    view["slice_distribution"] = []
    for column, values in q.slice_distribution.items():
        value_names = list(values)
        rows = [(label, [f"{values[v].get(label, 0):,}" for v in value_names]) for label in q.distribution]
        view["slice_distribution"].append((column, value_names, rows))
    view["coverage"] = [{"label": c.label, "known": c.label in names, "slice": c.slice, "target": f"{c.target:,}",
                         "current": f"{c.current:,}", "gap": f"{c.gap:,}", "reached": _share(c.current / c.target
                                                                                           if c.target else None, 0),
                         "ok": c.gap == 0, "risk": c.risk_note} for c in q.coverage]
    view["unused"] = q.unused_labels
    if q.defects:
        d = q.defects
        view["defects"] = {
            "audited": f"{d['audited']:,}", "not_in_export": d["not_in_export"],
            "pass_rate": _share(d["pass_rate"].value, 2), "pass_interval": _interval(d["pass_rate"]),
            "severity": [{"name": s, "count": p.k, "rate": _share(p.value, 2), "interval": _interval(p)}
                         for s, p in d["by_severity"].items()],
            "category": [{"name": s, "count": p.k, "rate": _share(p.value, 2), "interval": _interval(p)}
                         for s, p in d["by_category"].items()]}
    else:
        view["defects"] = None
    view["checks"] = [{"id": c.id, "title": c.title, "ok": c.ok, "hard": c.hard, "detail": c.detail,
                       "findings": c.findings} for c in q.checks]
    view["criteria"] = {r.criterion.id: _criterion_view(r) for r in results}
    counts = {status: sum(r.status == status for r in results)
              for status in (acc.PASS, acc.FAIL, acc.NOT_EVALUATED, acc.NO_THRESHOLD)}
    fails = acc.gate_fails(results, judged or q)
    view["gate"] = {"passes": not fails, "counts": counts, "total": len(results),
                    "failing": [(r.criterion.id, r.criterion.level.value) for r in results if r.status == acc.FAIL],
                    "blocking": [r.criterion.id for r in results if r.blocks_release],
                    "hard": [c.title for c in (judged or q).hard_failures]}
    view["plots"] = _plots(salt, guideline, q, results)
    view["versions"] = _versions_view(salt, guideline, q, releases or set())
    return view


def _versions_view(salt: str, guideline, q: Quality, releases: set[str]) -> dict[str, Any] | None:
    """Per guideline version of the export (release order): its agreement, defect rate and
    items; the timeline of alpha; the items rated under an outdated version."""
    if q.versions is None:
        return None
    rows = [{"version": v.version, "released": v.version in releases, "current": v.current, "outdated": v.outdated,
             "ratings": f"{v.ratings:,}", "item_count": f"{v.items:,}", "pairable": f"{v.agreement.items:,}",
             "percent": _share(v.agreement.percent_agreement), "cohen": _coef(v.agreement.cohen_kappa),
             "fleiss": _coef(v.agreement.fleiss_kappa), "alpha": _coef(v.agreement.krippendorff_alpha),
             "audited": f"{v.audited:,}", "defects": "" if v.defective is None else _share(v.defective.value, 2),
             "defect_count": "" if v.defective is None else f"{v.defective.k:,}"} for v in q.versions]
    current = next((v.version for v in q.versions if v.current), None)
    # One version is a point, not a timeline: the table says it all.
    figure = None
    if len(q.versions) > 1:
        figure = timeline.agreement_timeline(f"{salt}-timeline", [v.version for v in q.versions],
                                             [v.agreement.krippendorff_alpha for v in q.versions],
                                             [v.version in releases for v in q.versions], current,
                                             "Agreement per guideline version")
    return {"rows": rows, "current": current, "guideline_version": guideline.version,
            "outdated_items": f"{q.outdated_items or 0:,}", "outdated_versions": [v.version for v in q.versions
                                                                                  if v.outdated],
            "audit": q.defects is not None, "timeline": figure}


def _span_view(s: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The span agreement table: span F1 overall and per label (every label with spans),
    the rater pairs, and the token BIO coefficients when the export has text (s:
    Quality.spans)."""
    f1 = s["span_f1"]
    rows = [{"name": "Overall", "label": None, "known": False, "exact": _coef(f1["exact"]["overall"]),
             "overlap": _coef(f1["overlap"]["overall"]), "spans": f"{s['spans']:,}", "pairs": s["rater_pairs"]}]
    for label, n in s["spans_per_label"].items():
        rows.append({"name": label, "label": label, "known": label in names,
                     "exact": _coef(f1["exact"]["per_label"].get(label)),
                     "overlap": _coef(f1["overlap"]["per_label"].get(label)), "spans": f"{n:,}",
                     "pairs": s["rater_pairs_per_label"].get(label, 0)})
    pairs = [{"raters": " / ".join(p["raters"]), "item_count": f"{p['items']:,}",
              "spans": " / ".join(f"{n:,}" for n in p["spans"]), "exact": _coef(p["exact"]["f1"]),
              "overlap": _coef(p["overlap"]["f1"])} for p in s["pairs"]]
    bio = None
    t = s.get("token_bio")
    if t is not None:  # the coefficients themselves are the agreement table's (quality.py)
        bio = {"item_count": f"{t['items']:,}", "tokens": f"{t['tokens']:,}"}
    return {"item_count": f"{s['items']:,}", "raters": s["raters"], "rows": rows, "pairs": pairs, "bio": bio,
            "tokenizer": TOKEN_PATTERN, "notes": list(s["notes"])}


def _preference_view(j: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The preference table: agreement on the answers read as responses over the units
    (pairs, or items), ordinal alpha on the strength scale, position consistency (j:
    Quality.judgments)."""
    unit = "pair" if j["unit"] == "pair" else "item"
    pc = j["position_consistency"]
    consistency = None if pc is None else {"pairs": f"{pc['pairs']:,}", "consistent": f"{pc['consistent']:,}",
                                           "rate": _share(pc["rate"])}
    answers = [{"label": label, "known": label in names, "judgments": f"{n:,}", "on_scale": label in j["scale"]}
               for label, n in j["judgments_per_label"].items()]
    return {"shape": "preference", "unit": unit, "item_count": f"{j['items']:,}", "judgments": f"{j['judgments']:,}",
            "percent": _share(j["percent_agreement"]), "alpha": _coef(j["krippendorff_alpha"]),
            "ordinal": _coef(j["ordinal_alpha"]), "consistency": consistency, "scale": list(j["scale"]),
            "off_scale": list(j["off_scale"]), "answers": answers, "mirrored": f"{j['mirrored']:,}",
            "reading": "shown_first" if pc is not None else None, "notes": list(j["notes"]),
            "intervals": _ranges(j.get("intervals"), {"percent": "percent_agreement", "alpha": "krippendorff_alpha",
                                                      "ordinal": "ordinal_alpha"}),
            "bootstrap": _bootstrap_view(j.get("bootstrap"))}


def _rating_view(j: dict[str, Any]) -> dict[str, Any]:
    """The rating table: per criterion, percent agreement, ordinal and interval alpha and
    weighted kappa (two raters) (j: Quality.judgments)."""
    points = j["points"]
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for name, f in j["criteria"].items():
        kappa = f["weighted_kappa"] or {}
        rows.append({"criterion": name, "known": name in points, "points": len(points.get(name, [])),
                     "item_count": f"{f['items']:,}", "ratings": f"{f['ratings']:,}",
                     "scores": ", ".join(f"{v:g}" for v in f["scores"]), "percent": _share(f["percent_agreement"]),
                     "ordinal": _coef(f["ordinal_alpha"]), "interval": _coef(f["interval_alpha"]),
                     "linear": _coef(kappa.get("linear")), "quadratic": _coef(kappa.get("quadratic")),
                     "ac2_ordinal": _coef((f.get("gwet_ac2") or {}).get("ordinal")),
                     "ac2_quadratic": _coef((f.get("gwet_ac2") or {}).get("quadratic")),
                     "intervals": _ranges(f.get("intervals"), RATING_INTERVALS)})
        notes.extend(f"{name}: {note}" for note in f["notes"])
    notes.extend(f"{name}: no score in the export" for name in j["missing_criteria"])
    return {"shape": "rating", "rows": rows, "item_count": f"{j['items']:,}", "raters": j["raters"],
            "notes": notes + list(j["notes"]), "bootstrap": _bootstrap_view(j.get("bootstrap"))}


# A rating table cell -> the figure of rating.FIGURES it shows.
RATING_INTERVALS = {"percent": "percent_agreement", "ordinal": "ordinal_alpha", "ac2_ordinal": "gwet_ac2_ordinal",
                    "interval": "interval_alpha", "ac2_quadratic": "gwet_ac2_quadratic",
                    "linear": "weighted_kappa_linear", "quadratic": "weighted_kappa_quadratic"}


def _ranges(intervals: dict | None, cells: dict[str, str]) -> dict[str, str]:
    """Each table cell's interval as "low to high" (percent agreement as shares); "" without one."""
    out = {}
    for cell, name in cells.items():
        bounds = (intervals or {}).get(name)
        share = name == "percent_agreement"
        out[cell] = "" if bounds is None else " to ".join(_share(x) if share else _coef(x) for x in bounds)
    return out


def _bootstrap_view(b: dict | None) -> dict[str, Any] | None:
    return None if b is None else {"confidence": f"{b['confidence'] * 100:g}%", "resamples": f"{b['resamples']:,}",
                                   "seed": b["seed"]}


def _box_view(b: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The box table: box F1 at IoU >= 0.5 and the mean IoU of the matched boxes, overall
    and per class (every class with boxes), with the rater pairs (b: Quality.boxes)."""
    f1, iou = b["box_f1"], b["mean_iou"]
    rows = [{"name": "Overall", "label": None, "known": False, "f1": _coef(f1["overall"]),
             "iou": _coef(iou["overall"]), "boxes": f"{b['boxes']:,}", "pairs": b["rater_pairs"]}]
    for label, n in b["boxes_per_label"].items():
        rows.append({"name": label, "label": label, "known": label in names,
                     "f1": _coef(f1["per_label"].get(label)), "iou": _coef(iou["per_label"].get(label)),
                     "boxes": f"{n:,}", "pairs": b["rater_pairs_per_label"].get(label, 0)})
    pairs = [{"raters": " / ".join(p["raters"]), "item_count": f"{p['items']:,}",
              "boxes": " / ".join(f"{n:,}" for n in p["boxes"]), "matches": f"{p['matches']:,}",
              "f1": _coef(p["box_f1"]), "iou": _coef(p["mean_iou"])} for p in b["pairs"]]
    return {"item_count": f"{b['items']:,}", "raters": b["raters"], "rows": rows, "pairs": pairs,
            "threshold": f"{b['iou_threshold']:g}", "empty": b["empty"], "notes": list(b["notes"])}


def _criterion_view(r: acc.CriterionResult) -> dict[str, Any]:
    c = r.criterion
    return {"status": r.status, "css": r.status.replace(" ", "-"),
            "rows": [{"scope": row.scope, "value": acc.format_value(c.metric, row.value),
                      "bound": acc.format_value(c.metric, row.bound) if row.bound is not None else "",
                      "n": "" if row.n is None else f"{row.n:,}", "status": row.status,
                      "css": row.status.replace(" ", "-"), "note": row.note} for row in r.rows]}


def _alpha_threshold(guideline, label: str) -> float | None:
    """The alpha a label's bar is judged against: the strictest per-label criterion naming
    the label, else the strictest per-label criterion over every label, else the strictest
    overall criterion; None when no alpha criterion has a threshold."""
    alpha = [c for c in guideline.acceptance.criteria
             if c.metric == Metric.krippendorff_alpha and c.threshold is not None and c.scope != Scope.per_slice]
    for applies in (lambda c: label in (c.labels or ()),
                    lambda c: c.scope == Scope.per_label and not c.labels,
                    lambda c: c.scope == Scope.overall and not c.labels):
        found = [c.threshold for c in alpha if applies(c)]
        if found:
            return max(found)
    return None


def _plots(salt: str, guideline, q: Quality, results: list[acc.CriterionResult]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    labels = list(q.distribution)
    if labels:
        if q.slices:
            column = q.slices[0]
            stacks = {v: [counts.get(label, 0) for label in labels]
                      for v, counts in q.slice_distribution[column].items()}
        else:
            stacks = {"items": [q.distribution[label] for label in labels]}
        out["distribution"] = plots.label_distribution(f"{salt}-distribution", labels, stacks,
                                                       "Items per label" + (f" by {q.slices[0]}" if q.slices else ""))
    per_label = q.agreement.per_label
    if per_label and q.agreement.overall.items:
        own = [_alpha_threshold(guideline, label) for label in per_label]
        out["agreement"] = plots.bars_with_threshold(
            f"{salt}-agreement", list(per_label), [c.krippendorff_alpha for c in per_label.values()],
            [t for t in own if t is not None], "Krippendorff's alpha, one label against the rest",
            "Agreement per label", own=own)
        confusion = q.agreement.confusion
        if len(q.agreement.confusion_labels) > 1:
            out["confusion"] = plots.heatmap(f"{salt}-confusion", q.agreement.confusion_labels, confusion,
                                             "Rater confusion")
    if q.coverage:
        threshold = next((c.threshold for c in guideline.acceptance.criteria
                          if c.metric == Metric.coverage and c.threshold is not None), None)
        out["coverage"] = plots.coverage(f"{salt}-coverage", [(f"{c.label} × {c.slice}", c.current, c.target)
                                                              for c in q.coverage], threshold,
                                         "Coverage against targets")
    if q.defects:
        limits, verdicts = {}, {}
        for r in results:  # the criterion's own verdict (it may judge a confidence bound)
            c = r.criterion
            if c.metric in (Metric.critical_defect_rate, Metric.major_defect_rate) and c.threshold is not None:
                limits[c.metric.value.split("_")[0]] = c.threshold
                if r.status in (acc.PASS, acc.FAIL):
                    verdicts[c.metric.value.split("_")[0]] = r.status == acc.PASS
        severities = q.defects["by_severity"]
        names = list(severities)
        out["defects"] = plots.rates(f"{salt}-defects", names, [p.value for p in severities.values()],
                                     [p.interval for p in severities.values()], limits, "Defect rates by severity",
                                     verdicts)
    return out


__all__ = ["quality_context", "Level"]

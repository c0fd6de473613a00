"""Agreement of pairwise preference exports: which of two responses a rater prefers.

A preference export is long, one row per judgment: `item`, `rater`, `label`, and
optionally `pair` and `shown_first`. `labelbook agreement` recognizes it by a `pair` or a
`shown_first` column (or `--shape preference`).

- `label` is the answer, and it names a POSITION on the rater's screen: `A` is the
  response shown first, `B` the one shown second, whatever the responses are. Answers may
  be a choice (A, B, tie), a strength scale of text labels in which the tokens A and B (or
  first and second) name the positions (A>>B, A>B, tie, B>A, B>>A), or a signed number
  (-2 to 2: one sign for the first response, the other for the second, 0 a tie).
- `shown_first` (optional) names the RESPONSE shown first: `A` or `B` (the pair's two
  responses as the data calls them) or a response id.
- `pair` (optional) names the two responses compared: the rows of one pair, in either
  order, share it. Without it, `item` is the pair.

Reading labels as responses. With a `shown_first` column each label is turned into the
answer about the responses: on a row where the pair's reference response was shown first
the label stays as it is; where the other one was, it is mirrored: A <-> B and first <->
second swap as whole tokens (A>>B becomes B>>A; tie stays tie) and a number v becomes -v
on a signed scale (one with a negative value), lo + hi - v on a scale from lo to hi (the
ends of `order` when given, else the lowest and highest value used; a note says so). The
reference response is A when every `shown_first` value is A or B (in either case), else
the pair's first `shown_first` value in sorted order. So a rater who saw A first and
answered "A" and a rater who saw B first and answered "B" both preferred response A:
they agree.

- percent agreement and nominal Krippendorff's alpha: on the pairs (units) judged by two
  or more raters, over the labels read as responses. A rater who judged a pair in both
  orders counts once there, with the first of their judgments in the file.
- ordinal alpha: when the labels are numbers (a strength scale), or when an `order` of
  the labels is given (the Python API; the guideline's label order), by their rank.
- position consistency (with `shown_first`): over each (rater, pair) judged in both
  orders, the share whose two judgments, read as responses, are the same label: the
  same response preferred (or tie both times; on a strength scale, the same strength).

Percent agreement, nominal and ordinal alpha have percentile bootstrap intervals
(intervals.py: 1,000 resamples, seed 2007, 95%): the resampled unit is the unit of
agreement (a pair, or an item), drawn with its raters' judgments; position consistency is
a rate of (rater, pair)s and takes a Wilson bound instead (acceptance.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from . import agreement as ag
from .intervals import Bootstrapped, Scope, Settings, bootstrap_units, with_values
from .read import DataError, export_table, objects, require_rows
from .rows import Problems, earlier, empty_column, require, where
from .text import count as _count
from .text import interval as _interval
from .text import interval_note
from .text import number as _num

PREFERENCE_COLUMNS = ("item", "rater", "label")
SIGNALS = ("shown_first", "pair")
SHAPE_HINT = "a preference export has the columns item, rater, label and optionally pair and shown_first"
SHOWN_HINT = "shown_first names the response shown first: A or B, or the response's id"
_TOKENS = {"A": "B", "B": "A", "first": "second", "second": "first", "First": "Second", "Second": "First"}
_TOKEN = re.compile(r"(?<![A-Za-z0-9_])(A|B|first|second|First|Second)(?![A-Za-z0-9_])")


def is_preference_export(columns) -> bool:
    """A preference export has a `shown_first` or a `pair` column."""
    names = {str(c).strip() for c in columns}
    return any(c in names for c in SIGNALS)


@dataclass
class Preferences:
    """A preference export's judgments (rows with a label), in file order."""

    display: str
    unit_column: str  # "pair" or "item": what a unit of agreement is
    units: np.ndarray  # unit names
    raters: np.ndarray
    unit: np.ndarray  # per judgment
    rater: np.ndarray
    label: list[str]  # as given: positions
    shown_first: list[str] | None  # per judgment, None without the column
    rows: int = 0  # rows of the file
    missing: int = 0  # rows without a label, left out


def read_preferences(path: Path, display: str, frame: pd.DataFrame | None = None) -> Preferences:
    """Read and check a preference export; bad data raises DataError naming the row and column."""
    frame = export_table(path, display, frame)
    require(frame, PREFERENCE_COLUMNS, display, SHAPE_HINT)
    require_rows(frame, display, "one row per judgment: item, rater, label (and pair, shown_first)")
    unit_column = "pair" if "pair" in frame.columns else "item"
    has_order = "shown_first" in frame.columns
    problems = Problems(path, display)
    for column in dict.fromkeys(("item", "rater", unit_column)):
        problems.check(frame[column].isna().to_numpy(), empty_column(column),
                       "every row names its item and its rater" if column != "pair" else
                       "pair names the two responses compared; the rows showing them in either order share it")
    labelled = (frame["label"].str.strip().fillna("") != "").to_numpy(dtype=bool)
    if has_order:
        problems.check(labelled & (frame["shown_first"].str.strip().fillna("") == "").to_numpy(dtype=bool),
                       lambda row: "column 'shown_first' is empty", SHOWN_HINT)
    problems.raise_first()
    if not labelled.any():
        raise DataError(f"{display}: no row has a label", "the label is the answer: A, B, tie, or a strength")
    keep = np.flatnonzero(labelled)
    unit, units = pd.factorize(frame[unit_column], sort=True)
    rater, raters = pd.factorize(frame["rater"], sort=True)
    shown = objects(frame["shown_first"].str.strip()) if has_order else None
    key = pd.DataFrame({"unit": unit[keep], "rater": rater[keep]})
    if shown is not None:
        key["shown"] = shown[keep]
    twice = key.duplicated(keep="first").to_numpy()
    if twice.any():
        row = int(keep[np.flatnonzero(twice)[0]])
        first = int(keep[np.flatnonzero((key == key.iloc[int(np.flatnonzero(twice)[0])]).all(axis=1))[0]])
        order = f" with '{shown[row]}' shown first" if shown is not None else ""
        raise DataError(f"{where(path, display, row)}: rater '{raters[rater[row]]}' judged {unit_column} "
                        f"'{units[unit[row]]}' twice{order} (first on {earlier(path, display, first)}); "
                        f"{int(twice.sum())} duplicate row{'s' if twice.sum() != 1 else ''} in all",
                        "keep one judgment per rater, pair and order" if shown is not None else
                        "keep one judgment per rater and pair; a pair judged in both orders needs a "
                        "shown_first column")
    if shown is not None:
        seen = pd.DataFrame({"unit": unit[keep], "shown": shown[keep], "row": keep}).drop_duplicates(["unit", "shown"])
        many = seen.groupby("unit")["shown"].transform("size").to_numpy() > 2
        if many.any():
            bad = seen[many]
            third = bad.groupby("unit").nth(2)
            row = int(third["row"].min())
            u = int(third.loc[third["row"] == row, "unit"].iloc[0])
            values = ", ".join(f"'{v}'" for v in bad.loc[bad["unit"] == u, "shown"])
            raise DataError(f"{where(path, display, row)}: {unit_column} '{units[u]}' has a third response shown "
                            f"first ({values})",
                            "a pair compares two responses; shown_first names the one shown first"
                            + ("" if unit_column == "pair" else ", and a pair column groups the rows of one pair"))
    labels = objects(frame["label"])
    return Preferences(display, unit_column, np.asarray(units, dtype=object), np.asarray(raters, dtype=object),
                       unit[keep].astype(np.int64), rater[keep].astype(np.int64),
                       [str(labels[r]).strip() for r in keep], None if shown is None else [str(shown[r]) for r in keep],
                       len(frame), int((~labelled).sum()))


# --- reading labels as responses ---------------------------------------------------------------

def mirror_text(label: str) -> str:
    """The label with the positions swapped: A <-> B, first <-> second, as whole tokens."""
    return _TOKEN.sub(lambda m: _TOKENS[m.group(1)], label)


def _format(value: float) -> str:
    return f"{value + 0.0:g}"  # + 0.0: a mirrored 0 is 0, not -0


@dataclass
class Scale:
    """How labels read: numbers (a strength scale) or text; and how one is mirrored."""

    numeric: bool
    mirror: Callable[[str], str]
    note: str | None = None  # how a numeric scale without a sign is mirrored


def scale_of(labels: Sequence[str], order: Sequence[str] | None = None) -> Scale:
    values = []
    for label in set(labels):
        try:
            values.append(float(label))
        except ValueError:
            return Scale(False, mirror_text)
    if not values or not all(np.isfinite(values)):
        return Scale(False, mirror_text)
    if min(values) < 0:
        return Scale(True, lambda label: _format(-float(label)))
    ends = [float(v) for v in order] if order else values
    low, high = min(ends), max(ends)
    note = (f"the scale is read as running from {_format(low)} to {_format(high)}"
            + ("" if order else " (the values used)") + f": a label v is mirrored to {_format(low + high)} - v")
    return Scale(True, lambda label: _format(low + high - float(label)), note)


def as_responses(p: Preferences, scale: Scale) -> tuple[list[str], np.ndarray]:
    """Each judgment's label read as responses, and whether it was mirrored."""
    if scale.numeric:
        canonical = {label: _format(float(label)) for label in set(p.label)}
        labels = [canonical[label] for label in p.label]
    else:
        labels = list(p.label)
    if p.shown_first is None:
        return labels, np.zeros(len(labels), dtype=bool)
    shown = np.asarray(p.shown_first, dtype=object)
    if {v.upper() for v in set(p.shown_first)} <= {"A", "B"}:  # the responses are called A and B
        shown = np.asarray([v.upper() for v in p.shown_first], dtype=object)
        reference = np.full(len(shown), "A", dtype=object)
    else:
        reference = pd.Series(shown).groupby(p.unit).transform("min").to_numpy(dtype=object)
    mirrored = shown != reference
    mirror = {label: scale.mirror(label) for label in {label for label, m in zip(labels, mirrored) if m}}
    return [mirror[label] if m else label for label, m in zip(labels, mirrored)], mirrored


# --- the report ---------------------------------------------------------------------------------

@dataclass
class PreferenceReport:
    unit_column: str
    raters: int
    items: int  # units judged by two or more raters
    judgments: int
    labels: list[str]  # the labels read as responses, in order
    percent_agreement: float | None
    krippendorff_alpha: float | None
    ordinal_alpha: float | None
    position_consistency: dict | None  # rate, pairs, consistent (None without shown_first)
    notes: list[str] = field(default_factory=list)
    # FIGURES with their bootstrap replicates, and how they were drawn (None: no intervals).
    bootstrap: Bootstrapped | None = field(default=None, repr=False, compare=False)
    intervals: Settings | None = None

    @property
    def computable(self) -> bool:
        return self.items > 0

    def problem(self) -> tuple[str, str]:
        unit = "pair" if self.unit_column == "pair" else "item"
        return (f"not computable: no {unit} was judged by two or more raters"
                + (" (only one rater)" if self.raters < 2 else ""),
                f"agreement needs {unit}s judged by two or more raters"
                + ("" if unit == "pair" else "; with a pair column, the rows of one pair share it"))

    def as_dict(self) -> dict:
        pc = self.position_consistency
        return {"shape": "preference", "unit": self.unit_column, "raters": self.raters, "items": self.items,
                "judgments": self.judgments, "labels": list(self.labels),
                "percent_agreement": ag._round(self.percent_agreement),
                "krippendorff_alpha": ag._round(self.krippendorff_alpha),
                "ordinal_alpha": ag._round(self.ordinal_alpha),
                "position_consistency": None if pc is None else
                {"rate": ag._round(pc["rate"]), "pairs": pc["pairs"], "consistent": pc["consistent"]},
                **self._intervals(), "notes": list(self.notes)}

    def figure(self, name: str) -> float | None:
        return getattr(self, name)

    def _intervals(self) -> dict:
        if self.intervals is None or self.bootstrap is None:
            return {}
        return {"intervals": self.bootstrap.intervals(self.intervals.confidence),
                "bootstrap": self.intervals.as_dict(f"{self.unit_column}s")}


# The figures that have a bootstrap interval, in report order.
FIGURES = ("percent_agreement", "krippendorff_alpha", "ordinal_alpha")


def attach_intervals(report: PreferenceReport, counts: np.ndarray, ordinal: tuple[list[int], list[float]] | None,
                     settings: Settings | None = Settings()) -> PreferenceReport:
    """Fill report.bootstrap: percent agreement and nominal alpha on counts (units x
    categories, each rater's first judgment), ordinal alpha on the columns of counts given
    with their values on the scale; the units (rows) resampled. settings None: none."""
    if settings is None or not report.items:
        return report
    point = ag.Coefficients(report.items, report.raters, int(counts.sum()))
    nominal = Scope(with_values(point, percent_agreement=report.percent_agreement,
                                krippendorff_alpha=report.krippendorff_alpha), counts)
    scopes = [nominal]
    if ordinal is not None and report.ordinal_alpha is not None:
        columns, values = ordinal
        scopes.append(Scope(with_values(point, krippendorff_alpha=report.ordinal_alpha), counts[:, columns],
                            level="ordinal", values=np.asarray(values, dtype=np.float64)))
    bootstrap_units(scopes, len(counts), settings)
    replicates = {name: values for name, values in (
        ("percent_agreement", nominal.coefficients.replicates.get("percent_agreement")),
        ("krippendorff_alpha", nominal.coefficients.replicates.get("krippendorff_alpha")),
        ("ordinal_alpha", scopes[-1].coefficients.replicates.get("krippendorff_alpha") if len(scopes) > 1 else None))
        if values is not None}
    report.bootstrap = Bootstrapped({name: getattr(report, name) for name in FIGURES}, replicates)
    report.intervals = settings
    return report


def first_judgments(p: "Preferences", notes: list[str]) -> np.ndarray:
    """One judgment per (rater, unit) between raters: the first in the file; a second one
    (the pair judged again in the other order) only counts for position consistency."""
    first = ~pd.DataFrame({"unit": p.unit, "rater": p.rater}).duplicated(keep="first").to_numpy()
    repeated = int((~first).sum())
    if repeated:
        notes.append(f"{repeated} judgment{'s' if repeated != 1 else ''} of a pair the rater had already judged "
                     f"(in the other order) {'are' if repeated != 1 else 'is'} left out of the agreement between "
                     "raters, which uses each rater's first judgment in the file")
    return first


@dataclass
class FirstJudgmentAgreement:
    """Nominal agreement between raters over each rater's first judgment of a unit."""
    counts: np.ndarray  # units x categories
    label_code: np.ndarray  # per judgment
    first: np.ndarray  # per judgment: the one that counts between raters
    items: int  # units judged by two or more raters
    percent: float | None
    alpha: float | None


def first_judgment_agreement(p: Preferences, labels: list[str], categories: list[str], notes: list[str],
                             noun: str) -> FirstJudgmentAgreement:
    """Percent agreement and nominal alpha of labels (one per judgment) coded by categories;
    noun names a label in a note ("label" or "answer")."""
    code = {label: k for k, label in enumerate(categories)}
    label_code = np.array([code[label] for label in labels], dtype=np.int64)
    first = first_judgments(p, notes)
    counts = ag.count_matrix(p.unit[first], label_code[first], len(p.units), len(categories))
    stats = ag.nominal(counts)
    items = int(stats["items"][0])
    percent = alpha = None
    if items:
        percent = ag._finite(stats["percent_agreement"][0])
        alpha = ag._finite(stats["krippendorff_alpha"][0])
        if alpha is None:
            notes.append(f"alpha is not computable when every judgment has the same {noun}")
    return FirstJudgmentAgreement(counts, label_code, first, items, percent, alpha)


def preference_report(p: Preferences, *, order: Sequence[str] | None = None,
                      level: str = "nominal", intervals: Settings | None = Settings()) -> PreferenceReport:
    """Agreement of a preference export. order: the labels from one end of the scale to the
    other (e.g. the guideline's label order), for ordinal alpha on text labels; level
    'ordinal' requires ordinal alpha (numeric labels or an order); intervals: the
    bootstrap's settings, None computes no interval."""
    if level not in ("nominal", "ordinal"):
        raise ValueError(f"the {level} level does not apply to a preference export")
    scale = scale_of(p.label, order if order and _all_numbers(order) else None)
    labels, mirrored = as_responses(p, scale)
    notes: list[str] = []
    if p.missing:
        notes.append(f"{p.missing} row{'s' if p.missing != 1 else ''} without a label "
                     f"{'are' if p.missing != 1 else 'is'} left out")
    if p.shown_first is None:
        notes.append("no shown_first column: labels are compared as given, position consistency is not measured")
    elif mirrored.any():
        if scale.note:
            notes.append(scale.note)
        given = {_format(float(v)) for v in p.label} if scale.numeric else set(p.label)
        unknown = sorted({label for label, m in zip(labels, mirrored) if m} - given)
        if unknown:
            notes.append("mirrored labels no rater gave as such: " + ", ".join(unknown)
                         + " (give each label's mirror a place in the scale, e.g. A>B and B>A)")
    if scale.numeric:
        categories = sorted(set(labels), key=float)
    elif order:
        rank = {label: i for i, label in enumerate(order)}
        outside = sorted(set(labels) - set(rank))
        if outside:
            raise DataError(f"{p.display}: label '{outside[0]}' (read as responses) is not in the order: "
                            + ", ".join(order), "give every label and its mirror a place in the order")
        categories = sorted(set(labels), key=lambda label: rank[label])
    else:
        categories = sorted(set(labels))
    if level == "ordinal" and not scale.numeric and not order:
        bad = next(label for label in p.label if not _is_number(label))
        raise DataError(f"{p.display}: label '{bad}' is not a number: ordinal alpha of a preference export needs "
                        "a numeric strength scale (e.g. -2 to 2)",
                        "leave --level out for percent agreement and nominal alpha")
    a = first_judgment_agreement(p, labels, categories, notes, "label")
    raters = len(np.unique(p.rater))
    ordinal = None
    values = None
    if scale.numeric:
        values = [float(c) for c in categories]
    elif order:
        values = [float(order.index(c)) for c in categories]
    if a.items and values is not None:
        ordinal = ag.alpha(a.counts, "ordinal", values)
    consistency = position_consistency(p, labels) if p.shown_first is not None else None
    if consistency is not None and not consistency["pairs"]:
        notes.append("position consistency is not measured: no rater judged a pair in both orders")
    report = PreferenceReport(p.unit_column, raters, a.items, len(labels), categories, a.percent, a.alpha, ordinal,
                              consistency, notes)
    return attach_intervals(report, a.counts, None if values is None else (list(range(len(categories))), values),
                            intervals)


def position_consistency(p: Preferences, labels: list[str]) -> dict:
    """Over each (rater, unit) judged in both orders: the share whose two judgments, read as
    responses, are the same label."""
    frame = pd.DataFrame({"unit": p.unit, "rater": p.rater, "label": labels})
    groups = frame.groupby(["unit", "rater"], sort=False)["label"].agg(["size", "nunique"])
    both = groups[groups["size"] == 2]  # two rows of one (rater, unit) are two orders (read_preferences)
    pairs = len(both)
    consistent = int((both["nunique"] == 1).sum())
    return {"rate": consistent / pairs if pairs else None, "pairs": pairs, "consistent": consistent}


def _is_number(text: str) -> bool:
    try:
        return bool(np.isfinite(float(text)))
    except ValueError:
        return False


def _all_numbers(values: Sequence[str]) -> bool:
    return all(_is_number(str(v)) for v in values)


# --- text output -----------------------------------------------------------------------------------


def preference_text(display: str, p: Preferences, r: PreferenceReport) -> str:
    unit = "pair" if r.unit_column == "pair" else "item"
    out = [f"{display}: {_count(r.judgments, 'judgment')}, {_count(r.raters, 'rater')}, "
           f"{_count(r.items, unit)} judged by two or more raters\n"]
    settings = r.intervals if r.bootstrap is not None else None
    values = [_num(r.figure(name), name == "percent_agreement") for name in FIGURES]
    ranges = ["" if settings is None or r.bootstrap is None else
              _interval(r.bootstrap.interval(name, settings.confidence), name == "percent_agreement")
              for name in FIGURES]
    heads = ["percent", "alpha", "ordinal"]
    widths = [max(len(h), len(v), len(x)) for h, v, x in zip(heads, values, ranges)]
    out.append(f"{'':<8} {unit + 's':>7}" + "".join(f" {h:>{w}}" for h, w in zip(heads, widths)) + "\n")
    out.append(f"{'overall':<8} {r.items:>7}" + "".join(f" {v:>{w}}" for v, w in zip(values, widths)) + "\n")
    if settings is not None:
        out.append((f"{'':<8} {'':>7}" + "".join(f" {x:>{w}}" for x, w in zip(ranges, widths))).rstrip() + "\n")
        out.append(interval_note(settings, f"{unit}s"))
    pc = r.position_consistency
    if pc is not None and pc["pairs"]:
        out.append(f"position consistency: {pc['consistent']} of {_count(pc['pairs'], 'pair')} a rater judged in "
                   f"both orders got the same answer ({_num(pc['rate'], True)})\n")
    reading = ("read as responses (mirrored where the other response was shown first)" if p.shown_first is not None
               else "as given")
    out.append(f"labels {reading}: {', '.join(r.labels)}\n")
    for note in r.notes:
        out.append(f"note: {note}\n")
    return "".join(out)



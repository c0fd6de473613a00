"""`labelbook impact`: which labeled items a guideline change touches, and what to do with them.

The semantic diff between a base revision and the working copy says what changed in the
guideline's terms; an annotation export says which items carry which label. Together they
give, per change, the items it touches: every item with a rating, or a gold or final
label, of a label the change is about. For example, base {a, b}, working copy {a, c}
where c says `replaces: [b]`, and an export

    item,rater,label
    i1,r1,a
    i2,r1,b
    i2,r2,a

gives "label b renamed to c: 1 item (i2)", the migration map {b: c}, and, with
--migrated, the same export with `b` written as `c`.

What each change asks of the data (the change's `action`):

    migrate     renamed, merged, value changed: the old values map to new ones
    re-review   split, removed, re-parented, a narrower or changed meaning (definition,
                include removed, exclude added, threshold added, now exclusive), a
                rubric criterion's points or definition: the items are looked at again
    broadened   include added, exclude removed, threshold removed, no longer exclusive:
                the items listed keep their label; items without it may now need it

Only changes to what a label or rubric criterion is are counted. Changes typed
clarification (wording, examples, declared clarifications) and changes elsewhere (edge-case
rules, groups, tie-break priority, the decision tree's paths, brief, sampling, acceptance)
are listed apart as not counted: they change how to decide or what surrounds the labels,
and which labeled items they touch cannot be read from the labels alone.

Exports carry label values (`label.data_value`), so items are matched by the values of
either version: an export made before the change or after it both work.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import jinja2

from .diagnostics import Report
from .guideline import Guideline
from .history import History, HistoryError, open_repository
from .load import UsageError, load_guidelines
from .render.markup import escape_github_inline
from .semantic_diff import SemanticChange, diff_guidelines
from .validate import did_you_mean

TEMPLATES = Path(__file__).parent / "report_templates"
FORMATS = ("markdown", "json", "csv")
LABEL_COLUMNS = ("label", "gold", "final")  # the columns that carry label values
DEFAULT_SEED = 0
LISTED = 20  # item ids a Markdown comment lists before "and N more"

MIGRATE, RE_REVIEW, BROADENED = "migrate", "re-review", "broadened"
# Label changes (the `what` of a SemanticChange about one label) and what they ask of the data.
LABEL_ACTIONS = {
    "value changed": MIGRATE,
    "removed": RE_REVIEW,
    "re-parented": RE_REVIEW,
    "definition changed": RE_REVIEW,
    "include criterion removed": RE_REVIEW,
    "exclude criterion added": RE_REVIEW,
    "threshold added": RE_REVIEW,
    "now exclusive": RE_REVIEW,
    "include criterion added": BROADENED,
    "exclude criterion removed": BROADENED,
    "threshold removed": BROADENED,
    "no longer exclusive": BROADENED,
}
CRITERION_ACTIONS = {"points changed": RE_REVIEW, "definition changed": RE_REVIEW, "removed": RE_REVIEW}

# A value as the data carries it, scoped to a rubric criterion when the export has a
# criterion column (rating points share values across criteria: "3" of clarity is not
# "3" of accuracy).
Key = tuple[str | None, str]


@dataclass
class ChangeImpact:
    subject: str
    what: str
    type: str
    action: str
    labels: list[str]  # the label ids whose items it touches (as they were at the base)
    values: list[str]  # those labels' values in the data
    migration: dict[str, str] = field(default_factory=dict)  # old value -> new value
    items: list[str] = field(default_factory=list)
    ratings: int = 0


@dataclass
class ImpactReport:
    guideline: str
    base: str
    base_commit: str
    old_version: str
    new_version: str
    data: str
    rows: int
    item_count: int
    separator: str | None  # multi-label: the separator between labels in a cell
    changes: list[ChangeImpact]
    not_counted: list[SemanticChange]
    re_review: list[str]  # every item a re-review change touches
    selected: list[str]  # the items to re-review: all of them, or the seeded sample
    sample: int | None
    seed: int

    @property
    def table(self) -> list[tuple[ChangeImpact, int]]:
        """The changes, those alike in subject, change and action as one row with their number
        (a label whose two include criteria were removed): a comment stays short."""
        rows: dict[tuple[str, str, str], list[ChangeImpact]] = {}
        for change in self.changes:
            rows.setdefault((change.subject, change.what, change.action), []).append(change)
        return [(alike[0], len(alike)) for alike in rows.values()]

    @property
    def migration(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for change in self.changes:
            out.update(change.migration)
        return dict(sorted(out.items()))


# --- the guideline on both sides ----------------------------------------------------------------


def _both_sides(guideline_id: str, base: str, specs: Path) -> tuple[Guideline, Guideline, str]:
    """(the guideline at base, in the working copy, base's short commit)."""
    if not specs.is_dir():
        raise UsageError(f"no specs folder at {specs}", "run labelbook from the repository root or pass --specs")
    known = sorted(p.name for p in specs.iterdir() if (p / "guideline.yaml").is_file())
    if guideline_id not in known or "/" in guideline_id:
        raise UsageError(f"no guideline '{guideline_id}' under {specs}{did_you_mean(guideline_id, known)}",
                         "guidelines: " + ", ".join(known) if known else "create one with `labelbook new <id>`")
    repo = open_repository(specs)
    if repo is None or repo.working_tree_dir is None:
        raise HistoryError(f"{specs.resolve()} is not in a git repository",
                           "labelbook impact compares the working copy with a git revision; run it in a clone")
    # One revision's spec files, read from git objects: no release history is needed, so a
    # shallow clone that holds the base commit works too.
    root = Path(repo.working_tree_dir).resolve()
    history = History(repo, PurePosixPath(os.path.relpath(specs.resolve(), root)).as_posix())
    try:
        commit = repo.git.rev_parse("--verify", "--quiet", "--short=8", f"{base}^{{commit}}").strip()
    except Exception:
        commit = ""
    if not commit:
        raise HistoryError(f"unknown revision '{base}'",
                           "fetch it first, e.g. `git fetch origin main`, and pass --base origin/main")
    folder = specs / guideline_id
    result = load_guidelines([folder])
    new = next((g for g in result.guidelines if g.id == guideline_id), None)
    if new is None:
        raise UsageError(f"{guideline_id} has errors in the working copy", f"run `labelbook check {folder}`")
    if guideline_id not in history.folders_at(base):
        raise UsageError(f"{guideline_id} does not exist at {base} ({commit}): nothing was labeled under it",
                         "pass a --base where the guideline exists, e.g. its latest release tag")
    old = history.read_guideline(base, guideline_id, Report())
    if old is None:
        raise UsageError(f"{guideline_id} has errors at {base} ({commit})",
                         f"pass a --base where `labelbook check {folder}` passed, e.g. a release tag")
    return old, new, commit


def _values(guideline: Guideline, scoped: bool) -> dict[str, Key]:
    """label id -> the key its items carry."""
    criterion = {p: c.id for c in guideline.taxonomy.criteria for p in c.points} if scoped else {}
    return {label.id: (criterion.get(label.id), label.data_value) for label in guideline.taxonomy.labels}


def _change_impacts(old: Guideline, new: Guideline,
                    scoped: bool) -> tuple[list[tuple[ChangeImpact, set[Key]]], list[SemanticChange]]:
    """(the changes that touch labeled items with the keys their items carry, the others)."""
    diff = diff_guidelines(old, new)
    before, after = _values(old, scoped), _values(new, scoped)
    points = {c.id: list(c.points) for c in old.taxonomy.criteria}
    counted: list[tuple[ChangeImpact, set[Key]]] = []
    skipped: list[SemanticChange] = []
    for change in diff.changes:
        impact = _impact_of(change, before, after, points)
        if impact is None:
            skipped.append(change)
            continue
        affected = {before[lid] for lid in impact.labels if lid in before}
        if impact.action != MIGRATE:  # a changed meaning: items labeled under either version
            affected |= {after[lid] for lid in impact.labels if lid in after}
        impact.values = sorted({value for _, value in affected})
        counted.append((impact, affected))
    return counted, skipped


def _impact_of(change: SemanticChange, before: dict[str, Key], after: dict[str, Key],
               points: dict[str, list[str]]) -> ChangeImpact | None:
    if change.type == "clarification":
        return None
    if change.area == "label":
        labels = list(change.labels)
        if change.what.startswith("renamed to "):
            old_id, new_id = labels
            return ChangeImpact(change.subject, change.what, change.type, MIGRATE, [old_id], [],
                                _mapping([old_id], new_id, before, after))
        if change.what.startswith("merged from "):
            *replaced, new_id = labels
            return ChangeImpact(change.subject, change.what, change.type, MIGRATE, replaced, [],
                                _mapping(replaced, new_id, before, after))
        if change.what.startswith("split into "):
            return ChangeImpact(change.subject, change.what, change.type, RE_REVIEW, [labels[0]], [])
        action = LABEL_ACTIONS.get(change.what)
        if action is None:
            return None
        lid = change.subject_id or labels[0]
        migration = {}
        if change.what == "value changed" and change.before is not None and change.after is not None:
            migration = {change.before: change.after}
        return ChangeImpact(change.subject, change.what, change.type, action, [lid], [], migration)
    if change.area == "taxonomy" and change.subject.startswith("criterion "):
        action = CRITERION_ACTIONS.get(change.what)
        criterion = change.subject_id or ""
        if action is None or criterion not in points:
            return None
        return ChangeImpact(change.subject, change.what, change.type, action, list(points[criterion]), [])
    return None


def _mapping(old_ids: list[str], new_id: str, before: dict[str, Key], after: dict[str, Key]) -> dict[str, str]:
    """old value -> new value; a value that stays the same needs no rewrite."""
    target = after[new_id][1]
    return {before[i][1]: target for i in old_ids if i in before and before[i][1] != target}


# --- the export ---------------------------------------------------------------------------------


@dataclass
class Export:
    path: Path
    display: str
    columns: list[str]
    cells: dict[str, list[str | None]]  # column -> its cells as text, None when empty


def _read_export(path: Path, display: str) -> Export:
    from .metrics.read import DataError, read_table

    if not path.exists():
        raise UsageError(f"no file {display}",
                         "pass --data an annotation export (CSV or Parquet) with the columns item, rater, label")
    try:
        frame = read_table(path, display)
    except DataError as problem:
        raise UsageError(problem.message, problem.hint or "export the annotations again as CSV or Parquet") from None
    columns = [str(c).strip() for c in frame.columns]
    for column in ("item", "label"):
        if column not in columns:
            raise UsageError(f"{display}: missing column '{column}'{did_you_mean(column, columns)}",
                             f"an annotation export has the columns item, rater, label; this one has: "
                             f"{', '.join(columns) or '(none)'}")
    cells = {}
    for name, column in zip(columns, frame.columns):
        if name in ("item", "criterion", *LABEL_COLUMNS):  # the only columns read; the others stay in the file
            cells[name] = [None if value is None else str(value)
                           for value in frame[column].to_numpy(dtype=object, na_value=None)]  # type: ignore[call-overload]
    return Export(path, display, columns, cells)


def _parts(cell: str, separator: str | None) -> list[str]:
    if separator is None:
        return [cell.strip()]
    return [part.strip() for part in cell.split(separator) if part.strip()]


def _check_values(export: Export, old: Guideline, new: Guideline, separator: str | None, base: str) -> None:
    from .metrics.read import line_of

    known = {label.data_value for label in old.taxonomy.labels} | {label.data_value for label in new.taxonomy.labels}
    for column in LABEL_COLUMNS:
        for row, cell in enumerate(export.cells.get(column, [])):
            if cell is None:
                continue
            for value in _parts(cell, separator):
                if value not in known:
                    raise UsageError(
                        f"{line_of(row, export.display)}: {column} '{value}' is not a label value of {new.id} "
                        f"{old.version} ({base}) or {new.version} (working copy){did_you_mean(value, known)}",
                        f"--data must be an annotation export of {new.id}: its {column} column holds label values, "
                        f"e.g. {', '.join(sorted(known)[:3])}")


def _touched(export: Export, keys: set[Key], separator: str | None, scoped: bool) -> tuple[list[str], int]:
    """(sorted item ids, ratings) of the rows carrying one of the keys in a label column."""
    items: set[str] = set()
    ratings = 0
    criteria = export.cells.get("criterion") if scoped else None
    columns = [(name, export.cells[name]) for name in LABEL_COLUMNS if name in export.cells]
    known: dict[tuple[str | None, str], bool] = {}  # exports repeat a few cells many times

    def carries(scope: str | None, cell: str) -> bool:
        if (scope, cell) not in known:
            known[(scope, cell)] = any((scope, value) in keys for value in _parts(cell, separator))
        return known[(scope, cell)]

    for row, item in enumerate(export.cells["item"]):
        scope = criteria[row] if criteria is not None else None
        hit = False
        for name, cells in columns:
            cell = cells[row]
            if cell is not None and carries(scope, cell):
                hit = True
                ratings += name == "label"
        if hit and item is not None:
            items.add(item)
    return sorted(items), ratings


# --- the report ---------------------------------------------------------------------------------


def impact_report(guideline_id: str, base: str, data: str | None, specs: Path, sample: int | None = None,
                  seed: int = DEFAULT_SEED) -> tuple[ImpactReport, Export]:
    old, new, commit = _both_sides(guideline_id, base, specs)
    if data is None:
        files = new.datasheet.data
        if files is None:
            raise UsageError(f"{guideline_id} names no annotation data in datasheet.yaml",
                             "pass --data FILE, an annotation export (CSV or Parquet)")
        data = files.annotations
    export = _read_export(Path(data), data)
    separator = None
    if new.shape == "multi-label" or old.shape == "multi-label":
        files = new.datasheet.data or old.datasheet.data
        separator = (files.label_separator if files is not None else None) or "|"
    scoped = "criterion" in export.columns and bool(old.taxonomy.criteria)
    _check_values(export, old, new, separator, base)
    counted, skipped = _change_impacts(old, new, scoped)
    for change, keys in counted:
        change.items, change.ratings = _touched(export, keys, separator, scoped)
    changes = [change for change, _ in counted]
    re_review = sorted({item for change in changes if change.action == RE_REVIEW for item in change.items})
    selected = re_review
    if sample is not None and sample < len(re_review):
        selected = sorted(random.Random(seed).sample(re_review, sample))
    items = {item for item in export.cells["item"] if item is not None}
    report = ImpactReport(guideline_id, base, commit, old.version, new.version, data, len(export.cells["item"]),
                          len(items), separator, changes, skipped, re_review, selected, sample, seed)
    return report, export


def render_markdown(report: ImpactReport) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["md"] = escape_github_inline
    return env.get_template("impact.md.j2").render(r=report, listed=LISTED)


def render_json(report: ImpactReport) -> str:
    payload = {
        "guideline": report.guideline,
        "base": report.base,
        "base_commit": report.base_commit,
        "old_version": report.old_version,
        "new_version": report.new_version,
        "data": report.data,
        "rows": report.rows,
        "items": report.item_count,
        "changes": [{"subject": c.subject, "what": c.what, "type": c.type, "action": c.action, "labels": c.labels,
                     "values": c.values, "migration": c.migration, "item_count": len(c.items), "ratings": c.ratings,
                     "items": c.items} for c in report.changes],
        "migration": report.migration,
        "re_review": {"item_count": len(report.re_review), "sample": report.sample, "seed": report.seed,
                      "items": report.selected, "all_items": report.re_review},
        "not_counted": [{"subject": c.subject, "what": c.what, "type": c.type} for c in report.not_counted],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


CSV_HEADER = ["subject", "what", "type", "action", "migration", "item", "re_review"]


def render_csv(report: ImpactReport) -> str:
    """One row per change and item it touches; re_review is `yes` for the items selected
    for re-review (every one, or the sample)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    selected = set(report.selected)
    for c in report.changes:
        migration = " | ".join(f"{a} -> {b}" for a, b in c.migration.items())
        for item in c.items:
            flag = "yes" if c.action == RE_REVIEW and item in selected else ""
            writer.writerow([_cell(x) for x in (c.subject, c.what, c.type, c.action, migration, item, flag)])
    return out.getvalue()


def _cell(text: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: keep data as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


RENDERERS = {"markdown": render_markdown, "json": render_json, "csv": render_csv}


# --- the migrated export ------------------------------------------------------------------------


def _rewrite(cell: str, migration: dict[str, str], separator: str | None) -> str:
    if separator is None:
        value = cell.strip()
        return migration.get(value, cell)
    parts = _parts(cell, separator)
    if not any(part in migration for part in parts):
        return cell
    # A merge may bring two labels of one cell together: the set keeps one.
    return separator.join(dict.fromkeys(migration.get(part, part) for part in parts))


def write_migrated(report: ImpactReport, export: Export, target: Path) -> None:
    """The export with its label columns rewritten by the migration map, in its own format;
    every other column as it was. The same input gives the same bytes."""
    migration = report.migration
    if export.path.suffix.lower() == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pq.read_table(export.path)
        for index, name in enumerate(table.column_names):
            if name.strip() in LABEL_COLUMNS:
                cells = table.column(index).to_pylist()
                rewritten = [None if c is None else _rewrite(str(c), migration, report.separator) for c in cells]
                table = table.set_column(index, pa.field(name, pa.string()), pa.array(rewritten, pa.string()))
        pq.write_table(table, target)
        return
    with export.path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    header = [name.strip() for name in rows[0]]
    columns = [i for i, name in enumerate(header) if name in LABEL_COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        for i in columns:
            if i < len(row) and row[i] != "":
                row[i] = _rewrite(row[i], migration, report.separator)
        writer.writerow(row)
    target.write_text(out.getvalue(), encoding="utf-8")


def run_impact(guideline_id: str, base: str, data: str | None, specs: Path, fmt: str, sample: int | None,
               seed: int, migrated: str | None) -> tuple[str, list[str]]:
    """(the report, messages for stderr). UsageError (exit 2) for bad arguments."""
    if fmt not in RENDERERS:
        raise UsageError(f"unknown impact format {fmt}", "use one of: " + ", ".join(FORMATS))
    report, export = impact_report(guideline_id, base, data, specs, sample, seed)
    messages: list[str] = []
    if migrated is not None:
        target = Path(migrated)
        if target.suffix.lower() != export.path.suffix.lower():
            raise UsageError(f"--migrated {migrated} is not a {export.path.suffix} file like {export.display}",
                             f"name the migrated export with the suffix {export.path.suffix}")
        if target.resolve() == export.path.resolve():
            raise UsageError(f"--migrated {migrated} is the export itself",
                             "write the migrated export to a new file; the original stays as it was")
        target.parent.mkdir(parents=True, exist_ok=True)
        write_migrated(report, export, target)
        messages.append(f"wrote {migrated}")
    return RENDERERS[fmt](report), messages

"""The `labelbook` command: thin subcommands over the generator, one error boundary.

Exit status: 0 ok, 1 the input has problems, 2 usage or environment error. Only
--debug shows a traceback.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Callable

from . import diagnostics
from .load import UsageError, load_guidelines


def _check(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or [Path("specs")]
    result = load_guidelines(paths, strict=args.strict)
    sys.stdout.write(diagnostics.FORMATTERS[args.format](result.report, result.folders_checked))
    return 1 if result.report.errors else 0


def _new(args: argparse.Namespace) -> int:
    from .scaffold import scaffold

    folder = scaffold(args.id, Path(args.specs), title=args.title)
    print(f"created {folder}/ with every spec file; fill in each TODO, then run: labelbook check {folder}")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from .pr_diff import diff_revisions, render_json, render_markdown, render_text

    result = diff_revisions(Path("."), Path(args.specs), args.base, args.head)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    # A terminal gets plain text; a pipe (the pull-request workflow) gets the comment.
    shape = args.format or ("text" if sys.stdout.isatty() else "markdown")
    renderers = {"json": render_json, "markdown": render_markdown, "text": render_text}
    sys.stdout.write(renderers[shape](result))
    return 0 if result.ok else 1


def _init(args: argparse.Namespace) -> int:
    from .init_repo import init_repository

    root = Path(args.dir)
    result = init_repository(root, guideline_id=args.guideline, site_name=args.site_name)

    def shown(path: str) -> str:  # a folder keeps its trailing slash
        return f"{root / path}{'/' if path.endswith('/') else ''}"

    for path in result.written:
        print(f"wrote {shown(path)}")
    for path, why in result.skipped:
        print(f"skipped {shown(path)}: {why}")
    if result.written:
        where = "" if root == Path(".") else f"cd {root} && "
        print(f"next: {where}labelbook serve   # then open http://127.0.0.1:8000")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .publish import build_site_folder, release_cache_key

    if args.cache_key:
        print(release_cache_key(Path(args.config), args.engine))
        return 0
    return build_site_folder(Path(args.config), Path(args.site_dir), engine=args.engine, jobs=args.jobs,
                             debug=args.debug)


def _serve(args: argparse.Namespace) -> int:
    from .publish import serve_site

    return serve_site(Path(args.config), args.dev_addr, engine=args.engine, jobs=args.jobs, debug=args.debug)


def _agreement(args: argparse.Namespace) -> int:
    from .metrics_extra import require_metrics

    require_metrics("`labelbook agreement`")
    from .metrics.commands import run_agreement

    return run_agreement(args.file, args.level, args.format, args.slice, args.separator, args.shape,
                         resamples=args.resamples, seed=args.seed)  # bootstrap settings


def _gate(args: argparse.Namespace) -> int:
    from .metrics_extra import require_metrics

    require_metrics("`labelbook gate`")
    from .metrics.commands import run_gate

    return run_gate(args.guideline, args.specs, args.format)


def _export(args: argparse.Namespace) -> int:
    from .export import run_export

    # --- onboarding tasks with gold answers (generator/export_onboarding.py) ---
    if args.to == "label-studio-ground-truth":
        from .export_onboarding import run_onboarding_export

        files = run_onboarding_export(args.guideline, Path(args.specs))
    else:
        files, _ = run_export(args.guideline, args.to, args.out, Path(args.specs), args.tasks)
    # --- end of onboarding tasks ---
    if args.out is None:
        first, *rest = files
        sys.stdout.write(files[first])
        if rest:
            print(f"note: printed {first}; --out DIR also writes " + ", ".join(rest), file=sys.stderr)
        return 0
    out = Path(args.out)
    if len(files) == 1:
        target = out / next(iter(files)) if out.is_dir() else out
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(next(iter(files.values())), encoding="utf-8")
        print(f"wrote {target}")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    print(f"wrote {', '.join(str(out / name) for name in files)}")
    return 0


def _audit(args: argparse.Namespace) -> int:
    from .audit import run_audit

    text, warnings = run_audit(args.guideline, Path(args.specs), args.format)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    sys.stdout.write(text)
    return 0


def _impact(args: argparse.Namespace) -> int:
    from .metrics_extra import require_metrics

    require_metrics("`labelbook impact`")
    from .impact import run_impact

    text, messages = run_impact(args.guideline, args.base, args.data, Path(args.specs), args.format, args.sample,
                                args.seed, args.migrated)
    for message in messages:
        print(message, file=sys.stderr)
    sys.stdout.write(text)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .schemas import write_schemas

    for path in write_schemas(Path(args.out)):
        print(f"wrote {path}")
    return 0


COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str, str]] = {
    "init": (_init, "create a guidelines repository: specs, site configuration, workflow, editor settings",
             """\
             examples:
               labelbook init                       # here
               labelbook init team-guidelines --guideline toxicity-es
             Writes specs/ with one scaffolded guideline, mkdocs.yml, the pull-request
             workflow, .pre-commit-config.yaml, editor settings with the schemas they map,
             .gitignore and a README for leads. A file that exists is never overwritten:
             running init again adds what is missing and lists what it skipped."""),
    "check": (_check, "validate guideline specs and report every problem",
              """\
              examples:
                labelbook check                      # every guideline under specs/
                labelbook check specs/content-safety --strict
                labelbook check --format github      # annotations for a GitHub workflow
              Text output prints the first 3 problems of each code in full, then lists the
              rest by line per file, and ends with a count per code; json and github list
              every problem in full.
              exit status: 0 clean, 1 a spec has errors, 2 usage or environment problem"""),
    "new": (_new, "scaffold a guideline folder with every spec file",
            """\
            example:
              labelbook new toxicity-es --title "Toxicity in Spanish comments"
            Every place to fill is marked TODO; `labelbook check` lists them as warnings."""),
    "diff": (_diff, "semantic changes between two revisions and the version bump they need",
             """\
             examples:
               labelbook diff --base origin/main                 # working tree against main
               labelbook diff --base v1 --head HEAD --format json
             exit status: 0 the versions and declared changes match what changed,
             1 content changed without a version bump, the bump is too small, or a
             detected change type is not declared in guideline.yaml's `changes`."""),
    "export": (_export, "the label set and instructions for a labeling tool, stamped with the version",
               """\
               examples:
                 labelbook export content-safety --to label-studio --out ls/   # config.xml + instructions.html
                 labelbook export support-intent --to csv > definitions.csv
                 labelbook export support-intent --to label-studio --tasks items.csv --out ls/
                 labelbook export content-safety --to label-studio-ground-truth --out onboarding/
               Formats: label-studio, argilla, prodigy, csv, and label-studio-ground-truth (the
               worked examples as tasks with their gold answers, for onboarding). Without --out
               the main file is printed; every export carries the guideline id, version and
               commit. --tasks also writes the items as the tool's tasks (tasks.json,
               records.json, items.jsonl), each with guideline_id, guideline_version and
               guideline_commit, which come back in the tool's annotation export."""),
    "schema": (_schema, "write JSON Schemas of the spec files for editor completion",
               """\
               example:
                 labelbook schema                     # writes schemas/*.schema.json
               Spec files point at them with `# yaml-language-server: $schema=...`."""),
    "build": (_build, "build the static site into site/ (the old site stays if the build fails)",
              """\
              examples:
                labelbook build                      # specs/ -> site/
                labelbook build --site-dir public --engine properdocs
                labelbook build --cache-key          # the key of the release cache, for CI
              The engine is --engine, else LABELBOOK_ENGINE, else the labelbook plugin's
              `engine` option in mkdocs.yml, else MkDocs."""),
    "serve": (_serve, "preview the site with live reload while you edit specs",
              """\
              example:
                labelbook serve                      # then open http://127.0.0.1:8000
              Saving a spec rebuilds the page; a spec with errors is reported here and the
              last good site keeps being served."""),
    "agreement": (_agreement, "inter-rater agreement of an annotation export (CSV or Parquet)",
                  """\
                  examples:
                    labelbook agreement specs/content-safety/data/annotations.parquet --slice language
                    labelbook agreement ratings.csv --level ordinal --format json
                  The export has one row per rating with the columns item, rater, label
                  (a token-tagging export: one row per token, item naming it, e.g. doc1:7).
                  A span export (columns item, rater, start, end, label, optionally text) gets
                  span F1, exact and overlap, and, with text, token-level kappa over BIO tags.
                  The shape is read from the columns (or given with --shape):
                    start or end            span
                    two of x, y, w, h       box: F1 of boxes matched at IoU >= 0.5, mean IoU
                    criterion               rating: per criterion percent agreement, ordinal
                                            and interval alpha, AC2, weighted kappa (two raters)
                    pair or shown_first     preference: percent agreement, alpha (ordinal on
                                            a numeric scale), position consistency
                  Agreement coefficients get a 95% bootstrap interval (--resamples, --seed).
                  exit status: 0 ok, 1 the data has problems or agreement is not computable"""),
    "gate": (_gate, "evaluate a guideline's acceptance criteria on its data",
             """\
             example:
               labelbook gate content-safety
             Reads the files named in datasheet.yaml's data: section and prints every
             criterion, scope by scope, with its measured value and pass or fail.
             exit status: 0 release gate passes, 1 a release-level criterion or a hard gate
             (provenance, labels outside the taxonomy) fails or the data has problems"""),
    "audit": (_audit, "every release of a guideline with its changes, for auditors' tools (JSON or CSV)",
              """\
              examples:
                labelbook audit content-safety > audit.json
                labelbook audit content-safety --format csv > audit.csv
              Oldest release first: version, date (UTC), author, commit, tag, the declared
              changes with their approvers, the changes detected against the previous
              release and the old -> new label map; commits after the newest release come
              last, marked unreleased. The same history gives the same bytes.
              CSV: one row per release and change; ids in one cell are separated by |.
              exit status: 0 ok, 2 unknown guideline, not in git, or a shallow clone"""),
    "impact": (_impact, "which labeled items a guideline change touches since a revision, and what to do with them",
               """\
               examples:
                 labelbook impact support-intent --base support-intent/v1.3.2
                 labelbook impact support-intent --base origin/main --data export.csv --format json
                 labelbook impact mini --base v1 --data export.parquet --migrated migrated.parquet
               Per change since --base (renamed, merged, split or removed labels, changed
               definitions, criteria and thresholds): the items of the export with a rating,
               gold or final label of a label it is about. Renames and merges give the map of
               old to new values (--migrated writes the export with its labels rewritten);
               splits and narrowed definitions give the items to re-review, all of them or a
               seeded --sample. --data defaults to the datasheet's annotations file.
               exit status: 0 ok, 2 unknown guideline or revision, missing file, or an
               export whose labels are not values of either version"""),
}


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1")
    return int(text)


def _version() -> str:
    from .init_repo import labelbook_version

    return labelbook_version()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labelbook",
        description="Docs-as-code guidelines for data-labeling programs.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run `labelbook COMMAND --help` for a command's options and an example.",
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    parser.add_argument("--version", action="version", version=f"labelbook {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name, (_, summary, epilog) in COMMANDS.items():
        command = sub.add_parser(name, help=summary, description=summary, epilog=textwrap.dedent(epilog),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        if name == "check":
            command.add_argument("paths", nargs="*", metavar="PATH",
                                 help="specs folder, guideline folder or spec file (default: specs)")
            command.add_argument("--format", choices=sorted(diagnostics.FORMATTERS), default="text",
                                 help="text for people, json for tools, github for workflow annotations")
            command.add_argument("--strict", action="store_true", help="treat warnings as errors")
        elif name == "export":
            command.add_argument("guideline", help="guideline id, e.g. content-safety")
            command.add_argument("--to", required=True, choices=["label-studio", "argilla", "prodigy", "csv",
                                                                   "label-studio-ground-truth"],  # onboarding tasks
                                 help="the tool's format")
            command.add_argument("--out", help="file or folder to write (default: print the main file)")
            command.add_argument("--tasks", metavar="FILE",
                                 help="items to label (CSV or JSON Lines: item and the fields shown) written as the "
                                      "tool's tasks, each stamped with guideline id, version and commit; needs --out")
            command.add_argument("--specs", default="specs", help="the specs folder (default: specs)")
        elif name == "schema":
            command.add_argument("--out", default="schemas", help="folder for the schemas (default: schemas)")
        elif name == "diff":
            command.add_argument("--base", required=True, help="revision to compare against, e.g. origin/main")
            command.add_argument("--head", help="revision to compare (default: the working tree)")
            command.add_argument("--format", choices=["text", "markdown", "json"],
                                 help="text for a terminal, markdown for a pull-request comment, json for tools "
                                      "(default: text in a terminal, markdown when piped)")
            command.add_argument("--specs", default="specs", help="the specs folder (default: specs)")
        elif name in ("build", "serve"):
            command.add_argument("--config", default="mkdocs.yml", help="site configuration (default: mkdocs.yml)")
            command.add_argument("--engine", choices=["mkdocs", "properdocs"],
                                 help="the site engine (default: from mkdocs.yml, else mkdocs)")
            command.add_argument("--jobs", type=_positive, metavar="N",
                                 help="engine processes building at once (default: the number of cores)")
            if name == "build":
                command.add_argument("--site-dir", default="site", help="output folder (default: site)")
                command.add_argument("--cache-key", action="store_true",
                                     help="print the key of the release cache (.labelbook-cache) and exit")
            else:
                command.add_argument("--dev-addr", default="127.0.0.1:8000", help="address (default: 127.0.0.1:8000)")
        elif name == "agreement":
            command.add_argument("file", metavar="FILE", help="annotation export: item, rater, label per row (and start, end per span; x, y, w, h per box; criterion per score)")
            command.add_argument("--level", choices=["nominal", "ordinal", "interval", "ratio"], default="nominal",
                                 help="Krippendorff's alpha level (default: nominal); the others need numeric labels")
            command.add_argument("--slice", action="append", default=[], metavar="COLUMN",
                                 help="also report per value of this column (repeatable)")
            command.add_argument("--separator", metavar="SEP",
                                 help="multi-label export: the separator between labels in a cell, e.g. '|'")
            command.add_argument("--shape", choices=["label", "span", "box", "rating", "preference"],
                                 help="the export's shape (default: read from its columns)")
            command.add_argument("--format", choices=["text", "json"], default="text", help="text or json")
            # The bootstrap's settings, checked in metrics.commands.bootstrap_settings.
            command.add_argument("--resamples", metavar="N",
                                 help="bootstrap resamples of the intervals (default: 1000)")
            command.add_argument("--seed", metavar="S", help="seed of the bootstrap's random draws (default: 2007)")
        elif name == "gate":
            command.add_argument("guideline", metavar="GUIDELINE", help="the guideline id, e.g. content-safety")
            command.add_argument("--specs", default="specs", help="the specs folder (default: specs)")
            command.add_argument("--format", choices=["text", "json"], default="text", help="text or json")
        elif name == "audit":
            command.add_argument("guideline", metavar="GUIDELINE", help="the guideline id, e.g. content-safety")
            command.add_argument("--specs", default="specs", help="the specs folder (default: specs)")
            command.add_argument("--format", choices=["json", "csv"], default="json",
                                 help="json (default) or csv, one row per release and change")
        elif name == "impact":
            command.add_argument("guideline", metavar="GUIDELINE", help="the guideline id, e.g. support-intent")
            command.add_argument("--base", required=True, help="revision the labels were made under, e.g. origin/main")
            command.add_argument("--data", metavar="FILE",
                                 help="annotation export, CSV or Parquet (default: the datasheet's annotations)")
            command.add_argument("--format", choices=["markdown", "json", "csv"], default="markdown",
                                 help="markdown for a pull-request comment (default), json or csv for tools")
            command.add_argument("--sample", type=_positive, metavar="N", help="re-review a seeded sample of N items")
            command.add_argument("--seed", type=int, default=0, metavar="S", help="the sample's seed (default: 0)")
            command.add_argument("--migrated", metavar="FILE",
                                 help="write the export with renamed and merged labels rewritten (same format)")
            command.add_argument("--specs", default="specs", help="the specs folder (default: specs)")
        elif name == "init":
            command.add_argument("dir", nargs="?", default=".", metavar="DIR",
                                 help="the repository folder, created if missing (default: here)")
            command.add_argument("--guideline", default="my-guideline", metavar="ID",
                                 help="id of the scaffolded guideline (default: my-guideline)")
            command.add_argument("--site-name", default="Labeling guidelines", help="the site's title")
        elif name == "new":
            command.add_argument("id", help="the guideline id, a slug such as toxicity-es")
            command.add_argument("--title", help="the guideline's title")
            command.add_argument("--specs", default="specs", help="the specs folder (default: specs)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    handler = COMMANDS[args.command][0]
    try:
        return handler(args)
    except UsageError as problem:
        if args.debug:
            raise
        print(f"error: {problem.message}", file=sys.stderr)
        if problem.hint:
            print(f"hint: {problem.hint}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the one boundary: a bug must still read as one line
        if args.debug:
            raise
        from .engine import shorten

        print(f"error: internal error: {shorten(f'{type(exc).__name__}: {exc}')}", file=sys.stderr)
        print("hint: rerun with --debug for a traceback and report it", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: how `labelbook build` grows with the number of guidelines, and what an edit costs.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 8,32,128,200] [--jobs N] [--no-data] [--skip-releases]

Prints, in one run:
  1. the working copy's build cost per guideline at each size (copies of the example
     guidelines under new ids, uncommitted in a fresh git repository, so the build is the
     working copy alone; empty cache), and cost(largest) / cost(smallest) per guideline
     against the aim of 1.3x;
  2. the cold build of 10 guidelines x 21 releases (benchmarks/bench_history.py's
     repository: 5,000 commits) against the aim of 60 s;
  3. at the largest size: a rebuild with nothing changed, and a rebuild after editing one
     guideline's spec, each against the full build;
  4. the search payload: the bytes one search fetches (generator/search_index.py's index,
     in Chromium), or "not measured" when the site has no such index.
--jobs is passed to `labelbook build` (default: its own, the number of cores).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "specs"
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_history import write_history  # noqa: E402

LABELBOOK = Path(sys.executable).parent / "labelbook"


def copies(root: Path, count: int, data: bool = True) -> list[str]:
    """count guidelines: the examples in turn, each copy under a new id (its paths inside
    the specs, such as its data files, renamed with it); without data, the datasheet's
    `data:` section is left out (no quality figures to compute)."""
    examples = sorted(p.name for p in EXAMPLES.iterdir() if (p / "guideline.yaml").is_file())
    ids = []
    for n in range(count):
        source = examples[n % len(examples)]
        gid = f"{source}-{n:03d}"
        target = root / "specs" / gid
        shutil.copytree(EXAMPLES / source, target)
        for path in target.rglob("*.yaml"):
            text = path.read_text(encoding="utf-8").replace(f"specs/{source}/", f"specs/{gid}/")
            if path.name == "datasheet.yaml" and not data:
                text = re.sub(r"^data:\n(?:[ #].*\n|\n)*", "", text, flags=re.M)
            if path.name == "guideline.yaml":
                text = re.sub(rf"^id: {re.escape(source)}$", f"id: {gid}", text, count=1, flags=re.M)
            path.write_text(text, encoding="utf-8")
        ids.append(gid)
    return ids


def project(root: Path, count: int, data: bool = True) -> list[str]:
    """A git repository whose only commit is the site configuration; the guidelines are
    uncommitted, so they have no releases and the build is the working copy's."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / ".gitignore").write_text("site/\n.labelbook-cache/\n.site.*\n")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Site configuration")
    return copies(root, count, data)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env=dict(os.environ, GIT_AUTHOR_NAME="L", GIT_AUTHOR_EMAIL="l@example.org",
                            GIT_COMMITTER_NAME="L", GIT_COMMITTER_EMAIL="l@example.org"))


CPU: list[float] = [0.0]  # processor seconds of the last build, its workers included


def build(root: Path, jobs: int | None) -> tuple[float, str]:
    """Wall-clock seconds and output of `labelbook build`; its processor time (user +
    system, of labelbook and every engine worker it waited for) goes to CPU[0], the
    figure that holds when other work shares the machine."""
    command = [str(LABELBOOK), "build"] + (["--jobs", str(jobs)] if jobs else [])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=root, capture_output=True, text=True,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        sys.exit(f"build failed in {root}:\n" + result.stdout[-2000:] + result.stderr[-3000:])
    return elapsed, result.stdout


def engine_builds(stdout: str) -> int:
    return len(re.findall(r"^building ", stdout, re.M))


def search_payload(site: Path) -> str:
    """Bytes fetched by one search in Chromium (opened with "/", the query typed), counted
    from the responses of the index's folder, when the site has generator/search_index.py's index."""
    if not (REPO / "generator/search_index.py").is_file():
        return "not measured (generator/search_index.py is not there)"
    if not (site / "search/pagefind-entry.json").is_file():
        return "not measured (the site has no Pagefind index in search/)"
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the standard library's name
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetched: dict[str, int] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            page.wait_for_load_state("networkidle")
            page.on("response", lambda r: fetched.__setitem__(r.url, len(r.body())) if "/search/" in r.url else None)
            page.keyboard.press("/")
            page.keyboard.type("definition")
            page.wait_for_timeout(3000)
            browser.close()
    finally:
        server.shutdown()
    return f"{sum(fetched.values()):,} bytes in {len(fetched)} files of search/ (the query 'definition')"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8,32,128,200", help="numbers of guidelines, comma-separated")
    parser.add_argument("--jobs", type=int, help="engine processes (default: labelbook's, the core count)")
    parser.add_argument("--no-data", action="store_true",
                        help="copies without annotation data: the pages and the engine alone, no quality figures")
    parser.add_argument("--skip-releases", action="store_true", help="leave out the 10 x 21 releases build")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"cores: {len(os.sched_getaffinity(0))}; jobs: {args.jobs or 'default'}; "
          f"annotation data: {'left out' if args.no_data else 'as in the examples'}")
    with tempfile.TemporaryDirectory() as tmp:
        per: dict[int, float] = {}
        cpu: dict[int, float] = {}
        largest = Path(tmp) / f"n{sizes[-1]}"
        for size in sizes:
            root = Path(tmp) / f"n{size}"
            project(root, size, not args.no_data)
            full, out = build(root, args.jobs)
            per[size], cpu[size] = full / size, CPU[0] / size
            print(f"working copy, {size:4d} guidelines: {full:8.1f} s, {per[size]:6.3f} s per guideline; "
                  f"processor {CPU[0]:8.1f} s, {cpu[size]:6.3f} s per guideline ({engine_builds(out)} engine builds)",
                  flush=True)
        first, last = sizes[0], sizes[-1]
        print(f"cost per guideline {last} / {first}: {per[last] / per[first]:6.2f}x wall clock, "
              f"{cpu[last] / cpu[first]:6.2f}x processor time  (aim: <= 1.3x)")

        unchanged, out = build(largest, args.jobs)
        print(f"rebuild, nothing changed ({last} guidelines): {unchanged:7.1f} s (processor {CPU[0]:7.1f} s), "
              f"{engine_builds(out)} engine builds; {unchanged / (per[last] * last):5.2f}x the full build")
        # A visible edit of one guideline: its first label's definition starts with "Edited."
        # (written on the key's line, or as the first line of a folded block).
        gid = sorted(p.name for p in (largest / "specs").iterdir())[0]
        taxonomy = largest / "specs" / gid / "taxonomy.yaml"
        text = taxonomy.read_text(encoding="utf-8")
        edited_text = re.sub(r"^(\s+definition: (?:[>|]-?\n\s+)?)(['\"]?)", r"\1\2Edited. ", text, count=1,
                             flags=re.M)
        if edited_text == text:
            sys.exit(f"no definition to edit in {taxonomy}")
        taxonomy.write_text(edited_text, encoding="utf-8")
        edited, out = build(largest, args.jobs)
        print(f"rebuild after editing {gid}: {edited:7.1f} s (processor {CPU[0]:7.1f} s), "
              f"{engine_builds(out)} engine build(s); {edited / (per[last] * last):5.2f}x the full build")
        print(f"search payload: {search_payload(largest / 'site')}", flush=True)

        if not args.skip_releases:
            history = Path(tmp) / "history"
            write_history(history, 10, 20, 5000)
            cold, out = build(history, args.jobs)
            print(f"cold build, 10 guidelines x 21 releases: {cold:7.1f} s, processor {CPU[0]:7.1f} s "
                  f"({engine_builds(out)} engine builds; aim: <= 60 s)")


if __name__ == "__main__":
    main()

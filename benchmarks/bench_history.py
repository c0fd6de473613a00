"""Benchmark: releases and changelogs from git, and the cost of a new release.

    .venv/bin/python benchmarks/bench_history.py [--guidelines 10] [--releases 20] [--commits 5000]
                                                [--skip-builds]

Writes a synthetic repository with `git fast-import` (10 guidelines x 20 releases over
5,000 commits by default: most commits edit an example, every 25th commit of a guideline
bumps its version), then prints, in one run:
  1. computing every release and changelog (history, release contents, semantic diffs)
     against a bare `git log --name-status` over the same history (aim: within 3x);
  2. a full `labelbook build` (every release of every guideline, empty cache), a rebuild
     after one new release, and a build of the site at a single version (every guideline
     at its current version, no release folders); aim: the rebuild costs at most 1.5x
     that single-version build. One guideline with one release is printed for scale.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests/fixtures/specs/mini"
sys.path.insert(0, str(REPO))

from generator.changelog import ReleaseContents, build_changelog  # noqa: E402
from generator.history import read_history  # noqa: E402
from generator.load import load_guidelines  # noqa: E402


def blob(data: bytes) -> bytes:
    return b"data %d\n" % len(data) + data + b"\n"


def write_history(root: Path, guidelines: int, releases: int, commits: int) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    files = {p.name: p.read_text() for p in FIXTURE.iterdir()}
    per_release = max(1, commits // (guidelines * max(releases, 1)))
    stream = bytearray()
    version = {g: [0, 1, 0] for g in range(guidelines)}
    examples = {g: 0 for g in range(guidelines)}
    stamp = 1_700_000_000
    # The site configuration, committed once at the start.
    first = [("mkdocs.yml", (REPO / "mkdocs.yml").read_bytes())]
    for g in range(guidelines):
        for name, text in files.items():
            text = text.replace("id: mini", f"id: g{g:02d}") if name == "guideline.yaml" else text
            first.append((f"specs/g{g:02d}/{name}", text.encode()))
    for n in range(commits):
        stamp += 600
        g = n % guidelines
        if n == 0:
            changes, message = first, "Start"
        else:
            turn = n // guidelines
            if turn % per_release == per_release // 2 and turn // per_release < releases:
                version[g][2] += 1
                v = ".".join(map(str, version[g]))
                manifest = files["guideline.yaml"].replace("id: mini", f"id: g{g:02d}").replace(
                    "version: 0.1.0", f"version: {v}").replace("changes: []", (
                        "changes:\n  - type: clarification\n    summary: Examples explained better\n"
                        "    rationale: Calibration questions\n    relabel_impact: {relabel: none}"))
                changes, message = [(f"specs/g{g:02d}/guideline.yaml", manifest.encode())], f"Release g{g:02d} {v}"
            else:
                examples[g] += 1
                taxonomy = files["taxonomy.yaml"].replace(
                    '"Which inclusion criteria it meets"', f'"Meets inclusion criterion {examples[g]}"', 1)
                changes, message = [(f"specs/g{g:02d}/taxonomy.yaml", taxonomy.encode())], f"Explain g{g:02d} (#{n})"
        stream += b"commit refs/heads/main\n"
        stream += b"committer Lena Lead <lena@example.org> %d +0000\n" % stamp
        stream += blob(message.encode())
        for path, data in changes:
            stream += b"M 100644 inline " + path.encode() + b"\n" + blob(data)
        stream += b"\n"
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=bytes(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def build(root: Path, releases: bool = True) -> tuple[float, list[str]]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="0")
    # Without releases: the working copy only, as `mkdocs build` with the plugin gives it.
    command = ["generator.cli", "build"] if releases else ["mkdocs", "build", "-q", "-d", "site-current"]
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", *command], cwd=root, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(result.stdout[-2000:] + result.stderr[-3000:])
    # "building <guideline> <version> ...": one release build (the working copy's parts
    # say "building the working copy of ..." and "building the site's root pages").
    return elapsed, re.findall(r"^building (?!the )(\S+ \S+)", result.stdout, re.M)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guidelines", type=int, default=10)
    parser.add_argument("--releases", type=int, default=20)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--skip-builds", action="store_true", help="only the history figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        write_history(root, args.guidelines, args.releases, args.commits)
        bare = min(timed(lambda: subprocess.run(["git", "log", "--name-status", "--", "specs"], cwd=root,
                                                capture_output=True, check=True)) for _ in range(3))

        def compute() -> None:
            history = read_history(root, root / "specs")
            contents = ReleaseContents(history)
            current = {g.id: g for g in load_guidelines([root / "specs"]).guidelines}
            logs = [build_changelog(history.of(gid), contents, current.get(gid)) for gid in history.guidelines]
            assert sum(len(log.releases) for log in logs) == args.guidelines * (args.releases + 1)

        ours = min(timed(compute) for _ in range(3))
        print(f"history: {args.guidelines} guidelines x {args.releases + 1} releases over {args.commits} commits")
        print(f"bare git log --name-status            : {bare:7.3f} s")
        print(f"all releases and changelogs           : {ours:7.3f} s")
        print(f"ratio                                 : {ours / bare:7.2f}x  (aim: <= 3x)")
        if args.skip_builds:
            return
        full, built = build(root)
        print(f"full build ({len(built)} release builds + working copy): {full:7.2f} s  (aim: <= 60 s)")
        # One new release of one guideline.
        manifest = root / "specs/g00/guideline.yaml"
        text = manifest.read_text()
        manifest.write_text(re.sub(r"version: (\d+)\.(\d+)\.(\d+)",
                                   lambda m: f"version: {m[1]}.{int(m[2]) + 1}.0", text, count=1))
        subprocess.run(["git", "commit", "-qam", "Release g00 minor"], cwd=root, check=True,
                       env=dict(os.environ, GIT_AUTHOR_NAME="L", GIT_AUTHOR_EMAIL="l@example.org",
                                GIT_COMMITTER_NAME="L", GIT_COMMITTER_EMAIL="l@example.org"))
        rebuild, rebuilt = build(root)
        print(f"rebuild after one new release ({len(rebuilt)} release build): {rebuild:7.2f} s")
        # A single version: the same site with no release folders (every guideline at its
        # current version only), and, for scale, one guideline with one release.
        current, _ = build(root, releases=False)
        print(f"build of the current version alone      : {current:7.2f} s")
        print(f"rebuild / current version alone          : {rebuild / current:7.2f}x  (aim: <= 1.5x)")
        single_root = Path(tmp) / "single"
        write_history(single_root, 1, 0, 1)
        single, _ = build(single_root)
        print(f"one guideline with one release           : {single:7.2f} s")
        print(f"rebuild / one guideline, one release     : {rebuild / single:7.2f}x")


if __name__ == "__main__":
    main()

"""Benchmark: `labelbook check` against bare parsing with PyYAML's C loader.

    .venv/bin/python benchmarks/bench_check.py [--guidelines 100] [--labels 50] [--shape single-label|span|both]

Generates a synthetic corpus (default 100 guidelines x 50 labels), then times, in one run,
(a) yaml.load with CSafeLoader over every spec file and (b) the full check (load with
positions, validate, cross-check, warnings), each the best of a few rounds. Aim: the
check within 2x of bare parsing. Two corpora by default: single-label, and span-heavy
(every label with 10 span examples of 5 entities each, spans checked against their text).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_corpus  # noqa: E402

from generator.load import load_guidelines  # noqa: E402


def best_of(rounds: int, work) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guidelines", type=int, default=100)
    parser.add_argument("--labels", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--shape", choices=["single-label", "span", "both"], default="both")
    args = parser.parse_args()
    for shape in (["single-label", "span"] if args.shape == "both" else [args.shape]):
        run(args, shape)


def run(args: argparse.Namespace, shape: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        specs = write_corpus(Path(tmp), args.guidelines, args.labels, shape)
        files = sorted(specs.rglob("*.yaml"))
        size = sum(f.stat().st_size for f in files)
        print(f"corpus ({shape}): {args.guidelines} guidelines x {args.labels} labels, {len(files)} files, "
              f"{size / 1e6:.1f} MB")

        def bare() -> None:
            for f in files:
                yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)

        def check() -> None:
            result = load_guidelines([specs], strict=True)
            assert not result.report.diagnostics, result.report.sorted()[:3]
            assert len(result.guidelines) == args.guidelines

        bare_s = best_of(args.rounds, bare)
        check_s = best_of(args.rounds, check)
        started = time.perf_counter()
        cli = subprocess.run([str(Path(sys.executable).parent / "labelbook"), "check", "--strict", str(specs)],
                             capture_output=True, text=True)
        cli_s = time.perf_counter() - started
        assert cli.returncode == 0, cli.stdout[-2000:]
    print(f"bare PyYAML CSafeLoader parse : {bare_s:7.3f} s")
    print(f"labelbook check (in process)  : {check_s:7.3f} s")
    print(f"labelbook check (command)     : {cli_s:7.3f} s  (includes interpreter start-up and imports)")
    print(f"ratio check / bare parse      : {check_s / bare_s:7.2f}x  (aim: <= 2.00x)\n")


if __name__ == "__main__":
    main()

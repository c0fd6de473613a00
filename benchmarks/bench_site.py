"""Benchmark: `mkdocs build` with labelbook's plugin against the same Markdown already on disk.

    .venv/bin/python benchmarks/bench_site.py [--guidelines 50] [--labels 50]

Generates a synthetic project (default 50 guidelines x 50 labels: about 3,000 pages), then
in one run times (a) `mkdocs build` of the project, where the plugin validates the specs,
renders every page and draws every decision tree, and (b) `mkdocs build` of a copy whose
docs folder already holds those pages as Markdown files, with the same theme, navigation
and assets but no plugin. Aim: generation adds at most 25% to the plain build.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_corpus  # noqa: E402

from generator.site import generate_site  # noqa: E402
from labelbook_mkdocs.plugin import FEATURES, THEME  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def timed_build(project: Path, config: str) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="0")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", "site"],
                            cwd=project, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr[-3000:]}")
    return elapsed


def nav_for_yaml(items):
    return [{html.escape(t): nav_for_yaml(x) if isinstance(x, list) else x} for t, x in items]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guidelines", type=int, default=50)
    parser.add_argument("--labels", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
        write_corpus(project, args.guidelines, args.labels)

        # The same pages, written to disk once, for the plain build.
        cwd = os.getcwd()
        os.chdir(project)
        try:
            site = generate_site(Path(".")).site
        finally:
            os.chdir(cwd)
        assert site is not None, "the synthetic corpus must be valid"
        docs = project / "plain_docs"
        shutil.copytree(THEME / "docs", docs)
        for page in site.pages:
            target = docs / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.markdown, encoding="utf-8")
        config = (project / "mkdocs.yml").read_text()
        # What the plugin adds to the configuration, written out, and no plugin.
        config = config.replace("docs_dir: specs", "docs_dir: plain_docs")
        config = re.sub(r"\n  - labelbook[^\n]*", "", config)
        config = config.replace("theme:\n  name: material\n",
                                f"theme:\n  name: material\n  custom_dir: {THEME / 'overrides'}\n"
                                f"  features: {json.dumps(FEATURES)}\n")
        config += ("\nextra_css: [assets/labelbook.css]\nextra_javascript: [assets/labelbook.js]\n"
                   "markdown_extensions: [attr_list, {toc: {permalink: true}}]\n")
        config += "\n" + yaml.safe_dump({"nav": nav_for_yaml(site.nav)}, sort_keys=False, allow_unicode=True)
        (project / "mkdocs-plain.yml").write_text(config)
        print(f"site: {args.guidelines} guidelines x {args.labels} labels = {len(site.pages)} pages")

        with_plugin = timed_build(project, "mkdocs.yml")
        plain = timed_build(project, "mkdocs-plain.yml")
    print(f"mkdocs build, plain Markdown on disk : {plain:8.2f} s")
    print(f"mkdocs build with labelbook's plugin: {with_plugin:8.2f} s")
    print(f"generation adds                     : {100 * (with_plugin / plain - 1):7.1f} %  (aim: <= 25 %)")


if __name__ == "__main__":
    main()

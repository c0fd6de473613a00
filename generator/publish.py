"""`labelbook build` and `serve`: run the site engine, never leaving a half-written site.

The engine (MkDocs) runs as a separate process, so the generator never imports it. A
build goes to a temporary sibling folder and replaces the site folder only when it
succeeded: a failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .load import UsageError


def _engine(config: Path) -> list[str]:
    if not config.exists():
        raise UsageError(f"no site configuration at {config}", "run labelbook from the repository root")
    try:
        import importlib.util

        if importlib.util.find_spec("mkdocs") is None:
            raise ImportError
    except ImportError:
        raise UsageError("MkDocs is not installed in this environment", "run `make build`, which installs it") from None
    if shutil.which("dot") is None:
        raise UsageError("Graphviz's `dot` is not on PATH (decision trees are drawn with it)",
                         "install the graphviz package, e.g. `apt-get install graphviz`, or run `make build`")
    return [sys.executable, "-m", "mkdocs"]


def _env(config: Path) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    # MkDocs stamps the build date into sitemap.xml(.gz); pin it to the last commit so the
    # same inputs give the same bytes (SOURCE_DATE_EPOCH is the reproducible-builds standard).
    if "SOURCE_DATE_EPOCH" not in env:
        try:
            stamp = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=config.resolve().parent,
                                   capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            stamp = ""
        env["SOURCE_DATE_EPOCH"] = stamp if stamp.isdigit() else "0"
    return env


def build_site_folder(config: Path, site_dir: Path) -> int:
    """Build into a temporary folder and swap it in; returns the engine's exit status."""
    command = _engine(config)
    site_dir = site_dir.resolve()
    staging = site_dir.with_name(f".{site_dir.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    status = subprocess.call(command + ["build", "--strict", "--clean", "-f", str(config), "-d", str(staging)],
                             env=_env(config))
    if status != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"error: the site build failed; {site_dir.name}/ was left as it was", file=sys.stderr)
        return 1
    previous = site_dir.with_name(f".{site_dir.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    shutil.rmtree(previous, ignore_errors=True)
    print(f"built the site into {site_dir}")
    return 0


def serve_site(config: Path, address: str) -> int:
    command = _engine(config)
    return subprocess.call(command + ["serve", "-f", str(config), "--dev-addr", address], env=_env(config))

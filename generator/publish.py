"""`labelbook build` and `serve`: run the site engine, never leaving a half-written site.

The engine (MkDocs) runs as a separate process, so the generator never imports it. A
build goes to a temporary sibling folder and replaces the site folder only when it
succeeded: a failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from .history import read_history
from .load import UsageError

DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
CACHE_DIR = ".labelbook-cache"


def _engine(config: Path) -> list[str]:
    if not config.exists():
        raise UsageError(f"no site configuration at {config}", "run labelbook from the repository root")
    if importlib.util.find_spec("mkdocs") is None:
        raise UsageError("MkDocs is not installed in this environment", "run `make build`, which installs it")
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
    """Build the working copy and every release into a temporary folder, then swap it in;
    returns the exit status."""
    command = _engine(config)
    project = config.resolve().parent
    site_dir = site_dir.resolve()
    staging = site_dir.with_name(f".{site_dir.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    # Read history first: a shallow clone fails here, before anything is built.
    history = read_history(project, project / "specs")
    for warning in history.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    env = _env(config)
    env["LABELBOOK_SITE_URL"] = site_url()
    releases = [(gid, gh) for gid, gh in sorted(history.guidelines.items())
                if gh.releases and (project / "specs" / gid).is_dir()]
    if releases:
        env["LABELBOOK_LINK_RELEASES"] = "1"
    # The working copy and the releases not in the cache are independent builds: run them
    # side by side (a rebuild after one new release then costs little more than either).
    main = subprocess.Popen(command + ["build", "--strict", "--clean", "-f", str(config), "-d", str(staging)],
                            env=env)
    status, placements = 0, []
    fingerprint = _fingerprint(project) if releases else ""
    for gid, gh in releases:
        status, built = cache_releases(command, config, env, gid, gh, fingerprint, history.unbuildable)
        if status != 0:
            main.terminate()
            break
        placements.append((gid, built))
    status = main.wait() or status
    if status == 0:
        for gid, built in placements:
            place_releases(staging / gid, built)
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


def site_url() -> str:
    # Material's version selector needs absolute addresses; the default suits `make serve`
    # and local checks. Deployments set LABELBOOK_SITE_URL (mkdocs.yml reads it too).
    url = os.environ.get("LABELBOOK_SITE_URL") or DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


def _fingerprint(project: Path) -> str:
    """Everything besides the specs that shapes a release's pages: templates, hook, site
    configuration, the generator's own code, the engine's versions."""
    digest = hashlib.sha256()
    roots = [project / "site_templates", project / "hooks", project / "mkdocs.yml", Path(__file__).parent]
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()
                                                     and "__pycache__" not in p.parts)
        for path in files:
            digest.update(str(path.relative_to(root.parent)).encode() + b"\0" + path.read_bytes())
    for package in ("mkdocs", "mkdocs-material"):
        digest.update(f"{package}={importlib.metadata.version(package)}".encode())
    digest.update(site_url().encode())
    return digest.hexdigest()


def cache_releases(command: list[str], config: Path, env: dict[str, str], gid: str, gh: Any, fingerprint: str,
                   unbuildable: set[tuple[str, str]] = frozenset()) -> tuple[int, list[tuple[str, Path]]]:
    """Build the releases of one guideline that are not in the cache yet. Released pages
    never change, so each is built once per fingerprint (templates, hook, configuration,
    generator code, engine versions). Returns the status and (version, build) pairs."""
    cache = config.resolve().parent / CACHE_DIR / "releases" / gid
    built: list[tuple[str, Path]] = []
    for release in gh.releases:
        if (gid, release.version) in unbuildable:
            continue
        key = hashlib.sha256(f"{fingerprint}\0{gid}\0{release.version}\0{release.commit.sha}".encode()).hexdigest()
        folder = cache / release.version / key[:20]
        if not folder.is_dir():
            shutil.rmtree(cache / release.version, ignore_errors=True)
            status = _build_release(command, config, env, gid, release.version, release.commit.sha, folder)
            if status != 0:
                return status, built
        built.append((release.version, folder))
    return 0, built


def place_releases(target: Path, built: list[tuple[str, Path]]) -> None:
    """Every release at <gid>/<version>/, the newest also at <gid>/latest/, and
    <gid>/versions.json (newest first) for Material's version selector."""
    if not built:
        return
    for version, folder in built:
        _link_tree(folder, target / version)
    newest = built[-1][0]
    _link_tree(target / newest, target / "latest")
    versions = [{"version": v, "title": v, "aliases": ["latest"] if v == newest else []} for v, _ in reversed(built)]
    (target / "versions.json").write_text(json.dumps(versions, indent=2) + "\n", encoding="utf-8")


def _link_tree(source: Path, target: Path) -> None:
    """Place a released build in the site by hard links: released files never change, and
    linking hundreds of builds costs far less than copying them (falls back to copying
    across file systems)."""
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link)


def _build_release(command: list[str], config: Path, env: dict[str, str], gid: str, version: str, commit: str,
                   target: Path) -> int:
    print(f"building {gid} {version} (released pages are cached after this)")
    project = config.resolve().parent
    # A child configuration beside mkdocs.yml, so its relative paths still resolve.
    child = project / f".labelbook-release-{os.getpid()}.yml"
    child.write_text(
        f"INHERIT: {config.name}\n"
        f"site_url: {json.dumps(site_url() + gid + '/' + version + '/')}\n"
        # A frozen release links to its spec files as they were at the release commit.
        f"edit_uri: {json.dumps(os.environ.get('LABELBOOK_RELEASE_URI', 'blob/{commit}/').format(commit=commit))}\n"
        "extra:\n  version:\n    provider: mike\n    default: latest\n",
        encoding="utf-8")
    partial = target.with_name(target.name + ".partial")
    try:
        status = subprocess.call(command + ["build", "--strict", "--clean", "-q", "-f", str(child), "-d",
                                            str(partial)], env=dict(env, LABELBOOK_RELEASE=f"{gid}@{version}"))
    finally:
        child.unlink(missing_ok=True)
    if status != 0:
        shutil.rmtree(partial, ignore_errors=True)
        print(f"error: building {gid} {version} failed", file=sys.stderr)
        return status
    partial.rename(target)
    return 0


def serve_site(config: Path, address: str) -> int:
    command = _engine(config)
    sys.stdout.flush()
    # Become the engine's process, so stopping `labelbook serve` stops the server too.
    os.execve(command[0], command + ["serve", "-f", str(config), "--dev-addr", address], _env(config))
    return 0  # pragma: no cover - execve does not return

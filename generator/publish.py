"""`labelbook build` and `serve`: run the site engine, never losing or half-writing a site.

The engine (MkDocs) runs as a child process (generator/engine.py), so the generator never
imports it. A build holds the site folder's lock, builds into its own staging folder and
swaps it in atomically (generator/site_folder.py): a failed, concurrent or killed build
leaves the previous site exactly as it was.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from .engine import EngineRun, engine_command
from .history import read_history
from .site_folder import SiteFolder, describe_os_error

DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
CACHE_DIR = ".labelbook-cache"
RELEASE_CONFIG_PREFIX = ".labelbook-release-"


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


class _EngineFailed(Exception):
    def __init__(self, status: int, hint: str | None):
        super().__init__(status)
        self.status, self.hint = status, hint


def build_site_folder(config: Path, site_dir: Path, *, debug: bool = False) -> int:
    """Build the working copy and every release, then swap the result in for site_dir;
    returns the exit status (1 when the specs or templates fail the build, 2 when the
    environment does)."""
    command = engine_command(config)
    project = config.resolve().parent
    # Read history first: a shallow clone fails here, before anything is built.
    history = read_history(project, project / "specs")
    for warning in history.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    with SiteFolder(site_dir) as folder:
        try:
            _build_into(folder.staging, command, config, project, history, debug)
        except _EngineFailed as failed:
            print(f"error: the site build failed; {folder.site.name}/ was left as it was", file=sys.stderr)
            if failed.hint:
                print(f"hint: {failed.hint}", file=sys.stderr)
                return 2
            return 1
        except OSError as exc:
            raise describe_os_error(exc, "cannot write the build") from exc
        folder.swap_in()
    print(f"built the site into {folder.site}")
    return 0


def _build_into(staging: Path, command: list[str], config: Path, project: Path, history: Any, debug: bool) -> None:
    env = _env(config)
    env["LABELBOOK_SITE_URL"] = site_url()
    if debug:
        env["LABELBOOK_DEBUG"] = "1"  # the hook then lets a generator fault's traceback through
    releases = [(gid, gh) for gid, gh in sorted(history.guidelines.items())
                if gh.releases and (project / "specs" / gid).is_dir()]
    if releases:
        env["LABELBOOK_LINK_RELEASES"] = "1"
        _remove_dead_release_configs(project)
    # The working copy and the releases not in the cache are independent builds: run them
    # side by side (a rebuild after one new release then costs little more than either).
    main = EngineRun(command + ["build", "--strict", "--clean", "-f", str(config), "-d", str(staging)], env,
                     debug=debug)
    placements = []
    try:
        fingerprint = _fingerprint(project) if releases else ""
        for gid, gh in releases:
            placements.append((gid, cache_releases(command, config, env, gid, gh, fingerprint,
                                                   history.unbuildable, debug=debug)))
    except BaseException:
        main.terminate()
        main.wait()
        raise
    status = main.wait()
    if status != 0:
        raise _EngineFailed(status, main.environment_hint())
    for gid, built in placements:
        place_releases(staging / gid, built)


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
                   unbuildable: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset(), *,
                   debug: bool = False) -> list[tuple[str, Path]]:
    """Build the releases of one guideline that are not in the cache yet. Released pages
    never change, so each is built once per fingerprint (templates, hook, configuration,
    generator code, engine versions). Returns (version, build) pairs."""
    cache = config.resolve().parent / CACHE_DIR / "releases" / gid
    built: list[tuple[str, Path]] = []
    for release in gh.releases:
        if (gid, release.version) in unbuildable:
            continue
        key = hashlib.sha256(f"{fingerprint}\0{gid}\0{release.version}\0{release.commit.sha}".encode()).hexdigest()
        folder = cache / release.version / key[:20]
        if not folder.is_dir():
            _remove_stale_builds(folder.parent, keep=folder.name)
            _build_release(command, config, env, gid, release.version, release.commit.sha, folder, debug)
        built.append((release.version, folder))
    return built


def _remove_stale_builds(version_folder: Path, keep: str) -> None:
    """Cached builds of this release made with other templates or code, and partial builds
    of processes that are gone; a partial build of a running process is its own."""
    if not version_folder.is_dir():
        return
    for entry in version_folder.iterdir():
        name, _, pid = entry.name.partition(".partial-")
        if name == keep and not pid:
            continue
        if pid and _alive(pid):
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _remove_dead_release_configs(project: Path) -> None:
    """Release configurations left in the project root by builds that were killed."""
    for leftover in project.glob(f"{RELEASE_CONFIG_PREFIX}*.yml"):
        pid = leftover.name[len(RELEASE_CONFIG_PREFIX):-len(".yml")]
        if not _alive(pid):
            leftover.unlink(missing_ok=True)


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
                   target: Path, debug: bool) -> None:
    print(f"building {gid} {version} (released pages are cached after this)", flush=True)
    project = config.resolve().parent
    # A child configuration beside mkdocs.yml, so its relative paths still resolve. Named
    # by process, so a killed build's file is recognised and removed by the next build.
    child = project / f"{RELEASE_CONFIG_PREFIX}{os.getpid()}.yml"
    # Built under a name of this process and renamed when complete: another build of the
    # same release (another --site-dir) never sees a partial folder.
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    try:
        child.write_text(
            f"INHERIT: {config.name}\n"
            f"site_url: {json.dumps(site_url() + gid + '/' + version + '/')}\n"
            # A frozen release links to its spec files as they were at the release commit.
            f"edit_uri: {json.dumps(os.environ.get('LABELBOOK_RELEASE_URI', 'blob/{commit}/').format(commit=commit))}\n"
            "extra:\n  version:\n    provider: mike\n    default: latest\n",
            encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        run = EngineRun(command + ["build", "--strict", "--clean", "-q", "-f", str(child), "-d", str(partial)],
                        dict(env, LABELBOOK_RELEASE=f"{gid}@{version}"), debug=debug)
        status = run.wait()
        if status != 0:
            print(f"error: building {gid} {version} failed", file=sys.stderr)
            raise _EngineFailed(status, run.environment_hint())
        try:
            partial.rename(target)
        except OSError:
            if not target.is_dir():  # else another build finished the same release first
                raise
    finally:
        child.unlink(missing_ok=True)
        shutil.rmtree(partial, ignore_errors=True)


def serve_site(config: Path, address: str) -> int:
    command = engine_command(config)
    sys.stdout.flush()
    # Become the engine's process, so stopping `labelbook serve` stops the server too.
    os.execve(command[0], command + ["serve", "-f", str(config), "--dev-addr", address], _env(config))
    return 0  # pragma: no cover - execve does not return

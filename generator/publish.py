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
import queue
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .engine import EngineRun, choose_engine, engine_command
from .history import read_history
from .site_folder import SiteFolder, describe_os_error

DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
CACHE_DIR = ".labelbook-cache"
RELEASE_CONFIG_PREFIX = ".labelbook-release-"
BATCH_REPORT = "labelbook-batch: "  # how a batch worker's report lines start (labelbook_mkdocs.batch)
# The engine plugin and theme, installed beside the generator (found by path: importing it
# would import the engine).
PLUGIN = Path(__file__).resolve().parent.parent / "labelbook_mkdocs"


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


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def build_site_folder(config: Path, site_dir: Path, *, engine: str | None = None, jobs: int | None = None,
                      debug: bool = False) -> int:
    """Build the working copy and every release, then swap the result in for site_dir;
    returns the exit status (1 when the specs or templates fail the build, 2 when the
    environment does)."""
    engine = choose_engine(config, engine)
    command = engine_command(config, engine)
    project = config.resolve().parent
    # Read history first: a shallow clone fails here, before anything is built.
    history = read_history(project, project / "specs")
    for warning in history.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    with SiteFolder(site_dir) as folder:
        try:
            _build_into(folder.staging, engine, command, config, project, history, jobs or default_jobs(), debug)
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


def _build_into(staging: Path, engine: str, command: list[str], config: Path, project: Path, history: Any,
                workers: int, debug: bool) -> None:
    env = _env(config)
    env["LABELBOOK_SITE_URL"] = site_url()
    if debug:
        env["LABELBOOK_DEBUG"] = "1"  # the plugin then lets a generator fault's traceback through
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
        fingerprint = release_fingerprint(project, engine) if releases else ""
        jobs: list[ReleaseJob] = []
        for gid, gh in releases:
            placed, missing = cache_releases(config, gid, gh, fingerprint, history.unbuildable)
            placements.append((gid, placed))
            jobs += missing
        # The working copy's engine runs beside the release workers: it ends first when
        # releases are many, and is the whole build when they are cached.
        build_releases(engine, config, env, jobs, workers, debug)
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


def release_cache_key(config: Path, engine: str | None = None) -> str:
    """A short key naming what the cached release builds depend on, for CI caches."""
    choice = choose_engine(config, engine)
    return release_fingerprint(config.resolve().parent, choice)[:20]


def release_fingerprint(project: Path, engine: str) -> str:
    """Everything besides the specs that shapes a release's pages: the project's template
    overrides and site configuration, labelbook's own code and theme, the engine's versions."""
    digest = hashlib.sha256()
    roots = [project / "site_templates", project / "mkdocs.yml", Path(__file__).parent, PLUGIN]
    for root in roots:
        if not root.exists():
            continue
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()
                                                     and "__pycache__" not in p.parts)
        for path in files:
            digest.update(str(path.relative_to(root.parent)).encode() + b"\0" + path.read_bytes())
    for package in ("mkdocs", "mkdocs-material", "properdocs"):
        try:
            digest.update(f"{package}={importlib.metadata.version(package)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{package} absent".encode())
    digest.update(f"engine={engine}\0{site_url()}".encode())
    return digest.hexdigest()


@dataclass
class ReleaseJob:
    """One release to build into the cache: its pages go to partial, renamed to target
    when complete, so another build of the same release never sees a partial folder."""
    gid: str
    version: str
    commit: str
    target: Path

    @property
    def partial(self) -> Path:
        return self.target.with_name(f"{self.target.name}.partial-{os.getpid()}")


def cache_releases(config: Path, gid: str, gh: Any, fingerprint: str,
                   unbuildable: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset(),
                   ) -> tuple[list[tuple[str, Path]], list[ReleaseJob]]:
    """Where each release of one guideline is cached, and the jobs for those not built
    yet. Released pages never change, so each is built once per fingerprint (templates,
    plugin, configuration, generator code, engine versions). Returns (version, folder)
    pairs and the jobs."""
    cache = config.resolve().parent / CACHE_DIR / "releases" / gid
    placed: list[tuple[str, Path]] = []
    jobs: list[ReleaseJob] = []
    for release in gh.releases:
        if (gid, release.version) in unbuildable:
            continue
        key = hashlib.sha256(f"{fingerprint}\0{gid}\0{release.version}\0{release.commit.sha}".encode()).hexdigest()
        folder = cache / release.version / key[:20]
        if not folder.is_dir():
            _remove_stale_builds(folder.parent, keep=folder.name)
            jobs.append(ReleaseJob(gid, release.version, release.commit.sha, folder))
        placed.append((release.version, folder))
    return placed, jobs


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
        pid = leftover.name[len(RELEASE_CONFIG_PREFIX):-len(".yml")].partition("-")[0]
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


def build_releases(engine: str, config: Path, env: dict[str, str], jobs: list[ReleaseJob], workers: int,
                   debug: bool) -> None:
    """Build releases with a few long-lived engine workers (labelbook_mkdocs.batch): the
    engine and the generator start once per worker, not once per release. Each worker is
    handed its next release when it reports the last one, so the work stays balanced."""
    if not jobs:
        return
    project = config.resolve().parent
    # A child configuration per release beside mkdocs.yml, so its relative paths still
    # resolve. Named by process, so a killed build's files are removed by the next build.
    children = [project / f"{RELEASE_CONFIG_PREFIX}{os.getpid()}-{n}.yml" for n in range(len(jobs))]
    pending = list(range(len(jobs)))
    runs: list[EngineRun] = []
    reports: queue.Queue[tuple[int, str | None]] = queue.Queue()
    try:
        for child, job in zip(children, jobs):
            child.write_text(_release_config(config, job), encoding="utf-8")
            job.target.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "labelbook_mkdocs.batch", engine]
        for w in range(min(workers, len(jobs))):
            run = EngineRun(command, env, debug=debug, talk=True)
            runs.append(run)
            threading.Thread(target=_read_reports, args=(run, w, reports), daemon=True).start()
            _hand_out(run, pending, jobs, children)
        running = len(runs)
        while running:
            w, line = reports.get()
            if line is None:  # the worker ended
                running -= 1
                if runs[w].wait() != 0:
                    raise _EngineFailed(runs[w].process.returncode, runs[w].environment_hint())
                continue
            report = json.loads(line)
            job = jobs[report["id"]]
            if report["status"] != 0:
                print(f"error: building {job.gid} {job.version} failed", file=sys.stderr)
                raise _EngineFailed(report["status"], runs[w].environment_hint())
            try:
                job.partial.rename(job.target)
            except OSError:
                if not job.target.is_dir():  # else another build finished the same release first
                    raise
            _hand_out(runs[w], pending, jobs, children)
    finally:
        for run in runs:
            run.terminate()
            run.wait()
        for child in children:
            child.unlink(missing_ok=True)
        for job in jobs:
            shutil.rmtree(job.partial, ignore_errors=True)


def _release_config(config: Path, job: ReleaseJob) -> str:
    # A frozen release links to its spec files as they were at the release commit.
    edit_uri = os.environ.get("LABELBOOK_RELEASE_URI", "blob/{commit}/").format(commit=job.commit)
    return (f"INHERIT: {config.name}\n"
            f"site_url: {json.dumps(site_url() + job.gid + '/' + job.version + '/')}\n"
            f"edit_uri: {json.dumps(edit_uri)}\n"
            "extra:\n  version:\n    provider: mike\n    default: latest\n")


def _hand_out(run: EngineRun, pending: list[int], jobs: list[ReleaseJob], children: list[Path]) -> None:
    """The next release to a worker, or the end of its input when none is left."""
    assert run.process.stdin is not None
    if not pending:
        run.process.stdin.close()
        return
    n = pending.pop(0)
    job = jobs[n]
    print(f"building {job.gid} {job.version} (released pages are cached after this)", flush=True)
    run.process.stdin.write(json.dumps({"id": n, "config": str(children[n]), "site_dir": str(job.partial),
                                        "env": {"LABELBOOK_RELEASE": f"{job.gid}@{job.version}"}}) + "\n")
    run.process.stdin.flush()


def _read_reports(run: EngineRun, w: int, reports: queue.Queue[tuple[int, str | None]]) -> None:
    assert run.process.stdout is not None
    for line in run.process.stdout:
        if line.startswith(BATCH_REPORT):
            reports.put((w, line[len(BATCH_REPORT):]))
        else:  # anything else a build printed
            sys.stdout.write(line)
    reports.put((w, None))


def serve_site(config: Path, address: str, *, engine: str | None = None) -> int:
    command = engine_command(config, choose_engine(config, engine))
    sys.stdout.flush()
    # Become the engine's process, so stopping `labelbook serve` stops the server too.
    os.execve(command[0], command + ["serve", "-f", str(config), "--dev-addr", address], _env(config))
    return 0  # pragma: no cover - execve does not return

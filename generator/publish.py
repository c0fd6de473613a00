"""`labelbook build` and `serve`: run the site engine, never losing or half-writing a site.

The engine (MkDocs) runs in child processes (generator/engine.py, labelbook_mkdocs/batch.py),
so the generator never imports it. A build holds the site folder's lock, builds into its
own staging folder and swaps it in atomically (generator/site_folder.py): a failed,
concurrent or killed build leaves the previous site exactly as it was.

The site is built in parts so that its cost grows in step with the number of guidelines
(one engine run over every guideline grows with the square of the page count: Material
prints the whole navigation into every page): the root pages, each guideline's working
copy and each release are engine runs of their own, handed to a few workers. Each part is
cached by a key over what its engine run is given, so a build runs the engine only for
the parts that changed; the parts are then put together in the staging folder.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import io
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .engine import EngineRun, choose_engine, engine_command
from .history import read_history
from .load import find_guideline_folders
from .site import ROOT_PART
from .search_index import index_site  # search
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
    engine_command(config, engine)  # the engine and Graphviz are there, else a usage error with the fix
    project = config.resolve().parent
    # Read history first: a shallow clone fails here, before anything is built.
    history = read_history(project, project / "specs")
    for warning in history.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    with SiteFolder(site_dir) as folder:
        try:
            _build_into(folder.staging, engine, config, project, history, jobs or default_jobs(), debug)
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


def _build_into(staging: Path, engine: str, config: Path, project: Path, history: Any, workers: int,
                debug: bool) -> None:
    """The site in parts, each an engine build of its own handed to the batch workers: the
    root (home, recent releases, 404, assets), each guideline's working copy, and each
    release. A part whose generated pages and inputs are unchanged comes from the cache."""
    env = _env(config)
    env["LABELBOOK_SITE_URL"] = site_url()
    if debug:
        env["LABELBOOK_DEBUG"] = "1"  # the plugin then lets a generator fault's traceback through
    releases = [(gid, gh) for gid, gh in sorted(history.guidelines.items())
                if gh.releases and (project / "specs" / gid).is_dir()]
    if releases:
        env["LABELBOOK_LINK_RELEASES"] = "1"
    _remove_dead_release_configs(project)
    fingerprint = release_fingerprint(project, engine)
    parts = site_parts(project, history, env, staging / PARTS_FOLDER, fingerprint)
    jobs: list[ReleaseJob | PartJob] = list(parts)
    placements = []
    for gid, gh in releases:
        placed, missing = cache_releases(config, gid, gh, fingerprint, history.unbuildable)
        placements.append((gid, placed))
        jobs += missing
    try:
        build_in_workers(engine, config, env, jobs, workers, debug)
    finally:
        shutil.rmtree(staging / PARTS_FOLDER, ignore_errors=True)
    assemble_site(staging, parts)
    for gid, built in placements:
        place_releases(staging / gid, built)
    date_files(staging, int(env["SOURCE_DATE_EPOCH"]))
    # search: one index of the assembled site, every guideline and release (search_index.py)
    index_site(staging)


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
    timestamp: int = 0  # the release commit's: the date its sitemap gives its pages

    @property
    def partial(self) -> Path:
        return self.target.with_name(f"{self.target.name}.partial-{os.getpid()}")


PARTS_FOLDER = ".labelbook-parts"  # in the staging folder: the parts built by this build
SITE_CACHE = "site"  # .labelbook-cache/site/<part>/<key>: the working copy's parts, by key
TEMPLATES_CACHE = "templates"  # .labelbook-cache/templates: compiled page and theme templates (engine workers)


@dataclass
class PartJob:
    """One part of the working copy's site: the root pages or one guideline. The worker
    generates the part's pages and names its key (the pages, the configuration, the
    fingerprint and the date); it builds them into partial (inside the staging folder)
    only when the cache has no build under that key, and the build is then kept there."""
    part: str  # ROOT_PART or a guideline id
    epoch: str  # the part's SOURCE_DATE_EPOCH: the last commit of its guideline (the sitemap's date)
    cache: Path  # .labelbook-cache/site/<part>
    partial: Path
    fingerprint: str
    target: Path | None = None  # the cached build, once its key is known

    @property
    def name(self) -> str:
        return "the site's root pages" if self.part == ROOT_PART else f"the working copy of {self.part}"

    @property
    def kept(self) -> list[str]:
        """What of the build the site uses: the root's build whole; of a guideline's, its
        pages and their entries in the sitemap and search index (assets and 404 are the root's)."""
        return [""] if self.part == ROOT_PART else [self.part, SITEMAP, SEARCH_INDEX]

    def keep(self, key: str) -> None:
        """Keep the new build in the cache under its key (hard links), named only when complete."""
        target = self.cache / key
        if not target.is_dir():
            _remove_old_parts(self.cache)
            partial = target.with_name(f"{key}.partial-{os.getpid()}")
            try:
                for kept in self.kept:
                    source = self.partial / kept
                    if source.is_dir():
                        _link_tree(source, partial / kept)
                    elif source.is_file():
                        (partial / kept).parent.mkdir(parents=True, exist_ok=True)
                        _link_file(str(source), str(partial / kept))
                partial.mkdir(parents=True, exist_ok=True)
                try:
                    partial.rename(target)
                except OSError:
                    if not target.is_dir():  # else another build kept the same part first
                        raise
            finally:
                shutil.rmtree(partial, ignore_errors=True)
        self.target = target


KEPT_PER_PART = 3  # builds kept per part: a preview and a build at another address each keep theirs


def _remove_old_parts(cache: Path) -> None:
    """Make room for a new build of a part: all but the newest builds kept of it, and
    partial builds of processes that are gone."""
    if not cache.is_dir():
        return
    complete = []
    for entry in cache.iterdir():
        _, _, pid = entry.name.partition(".partial-")
        if pid:
            if not _alive(pid):
                shutil.rmtree(entry, ignore_errors=True)
        else:
            complete.append(entry)
    complete.sort(key=lambda entry: (entry.stat().st_mtime_ns, entry.name), reverse=True)
    for entry in complete[KEPT_PER_PART - 1:]:
        shutil.rmtree(entry, ignore_errors=True)


def site_parts(project: Path, history: Any, env: dict[str, str], parts_folder: Path,
               fingerprint: str) -> list[PartJob]:
    """The root part and one part per guideline folder, oldest cache entries of guidelines
    that are gone removed."""
    guidelines = [folder.name for folder in find_guideline_folders([project / "specs"])]
    cache = project / CACHE_DIR / SITE_CACHE
    if cache.is_dir():
        for entry in cache.iterdir():
            if entry.name not in guidelines and entry.name != ROOT_PART:
                shutil.rmtree(entry, ignore_errors=True)
    jobs = [PartJob(ROOT_PART, env["SOURCE_DATE_EPOCH"], cache / ROOT_PART, parts_folder / ROOT_PART, fingerprint)]
    for gid in guidelines:
        gh = history.guidelines.get(gid)
        stamps = [c.timestamp for c in gh.unreleased] + [r.commit.timestamp for r in gh.releases] if gh else []
        # Each guideline's pages are dated by its own last commit, so a commit to another
        # guideline leaves them (and their cached build) as they are.
        # (A SOURCE_DATE_EPOCH set by the caller dates every part alike.)
        epoch = str(max(stamps)) if stamps and "SOURCE_DATE_EPOCH" not in os.environ else env["SOURCE_DATE_EPOCH"]
        jobs.append(PartJob(gid, epoch, cache / gid, parts_folder / gid, fingerprint))
    return jobs


SITEMAP = "sitemap.xml"
SEARCH_INDEX = "search/search_index.json"


def assemble_site(staging: Path, parts: list[PartJob]) -> None:
    """The root's build, each guideline's pages at <id>/, and one sitemap and one search
    index holding every part's pages (a guideline's build also has entries for the stand-in
    home page, which are left out)."""
    root, guidelines = parts[0], parts[1:]
    assert root.target is not None
    _link_tree(root.target, staging)
    sitemap = staging / SITEMAP
    entries: list[str] = []
    docs: list[Any] = []
    for part in guidelines:
        assert part.target is not None
        _link_tree(part.target / part.part, staging / part.part)
        prefix = site_url() + part.part + "/"
        if (part.target / SITEMAP).is_file():
            text = (part.target / SITEMAP).read_text(encoding="utf-8")
            entries += [e for e in re.findall(r"\n\s*<url>.*?</url>", text, re.S)
                        if f"<loc>{prefix}" in e]
        if (part.target / SEARCH_INDEX).is_file():
            index = json.loads((part.target / SEARCH_INDEX).read_text(encoding="utf-8"))
            docs += [d for d in index["docs"] if d["location"].startswith(part.part + "/")]
    if sitemap.is_file():
        text = sitemap.read_text(encoding="utf-8")
        at = text.rindex("</urlset>")
        merged = text[:at].rstrip("\n") + "".join(entries) + "\n" + text[at:]
        _replace_file(sitemap, merged.encode("utf-8"))
        # As the engine writes it: gzip stamped with the build date, not the clock.
        gz = io.BytesIO()
        with gzip.GzipFile(fileobj=gz, filename=SITEMAP + ".gz", mode="wb",
                           mtime=int(root.epoch or 0)) as stream:
            stream.write(merged.encode("utf-8"))
        _replace_file(staging / (SITEMAP + ".gz"), gz.getvalue())
    if (staging / SEARCH_INDEX).is_file():
        index = json.loads((staging / SEARCH_INDEX).read_text(encoding="utf-8"))
        index["docs"] += docs
        _replace_file(staging / SEARCH_INDEX, json.dumps(index, separators=(",", ":"), default=str).encode("utf-8"))


def date_files(site: Path, stamp: int) -> None:
    """Date every file of the site alike: a file's date depends on whether its part came
    from the cache, and what reads the site may depend on dates (Pagefind's index does:
    its metadata changes with a page's modification time), so the same inputs give the
    same bytes only with the dates pinned (to SOURCE_DATE_EPOCH, as reproducible builds do)."""
    for folder, _, files in os.walk(site):
        for name in files:
            os.utime(os.path.join(folder, name), (stamp, stamp), follow_symlinks=False)


def _replace_file(path: Path, data: bytes) -> None:
    """Write a file of the staging folder that may be a hard link into the cache: the
    link is replaced, never written through."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)


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
            jobs.append(ReleaseJob(gid, release.version, release.commit.sha, folder, release.commit.timestamp))
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
    shutil.copytree(source, target, copy_function=_link_file, dirs_exist_ok=True)


def _link_file(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def build_in_workers(engine: str, config: Path, env: dict[str, str], jobs: list[ReleaseJob | PartJob],
                     workers: int, debug: bool) -> None:
    """Build the site's parts and releases with a few long-lived engine workers
    (labelbook_mkdocs.batch): the engine and the generator start once per worker, not once
    per build. Each worker is handed its next job when it reports the last one, so the
    work stays balanced."""
    if not jobs:
        return
    project = config.resolve().parent
    # A child configuration per release beside mkdocs.yml, so its relative paths still
    # resolve. Named by process, so a killed build's files are removed by the next build.
    releases = [n for n, job in enumerate(jobs) if isinstance(job, ReleaseJob)]
    children = {n: project / f"{RELEASE_CONFIG_PREFIX}{os.getpid()}-{i}.yml" for i, n in enumerate(releases)}
    pending = list(range(len(jobs)))
    runs: list[EngineRun] = []
    reports: queue.Queue[tuple[int, str | None]] = queue.Queue()
    try:
        for n, child in children.items():
            job = jobs[n]
            assert isinstance(job, ReleaseJob)
            child.write_text(_release_config(config, job), encoding="utf-8")
            job.target.parent.mkdir(parents=True, exist_ok=True)
        # The project on the command line names the workers' project for `ps`.
        command = [sys.executable, "-m", "labelbook_mkdocs.batch", engine, str(project)]
        for w in range(min(workers, len(jobs))):
            run = EngineRun(command, env, debug=debug, talk=True)
            runs.append(run)
            threading.Thread(target=_read_reports, args=(run, w, reports), daemon=True).start()
            _hand_out(run, pending, jobs, children, config)
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
                what = job.name if isinstance(job, PartJob) else f"{job.gid} {job.version}"
                print(f"error: building {what} failed", file=sys.stderr)
                raise _EngineFailed(report["status"], runs[w].environment_hint())
            if isinstance(job, PartJob):
                job.keep(report["key"])
            else:
                try:
                    job.partial.rename(job.target)
                except OSError:
                    if not job.target.is_dir():  # else another build finished the same release first
                        raise
            _hand_out(runs[w], pending, jobs, children, config)
    finally:
        for run in runs:
            run.terminate()
            run.wait()
        for child in children.values():
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


def _hand_out(run: EngineRun, pending: list[int], jobs: list[ReleaseJob | PartJob], children: dict[int, Path],
              config: Path) -> None:
    """The next job to a worker, or the end of its input when none is left."""
    assert run.process.stdin is not None
    if not pending:
        run.process.stdin.close()
        return
    n = pending.pop(0)
    job = jobs[n]
    if isinstance(job, PartJob):
        # The worker names the part's key and says "building ..." only when it is not cached.
        request = {"id": n, "config": str(config.resolve()), "site_dir": str(job.partial),
                   "env": {"LABELBOOK_PART": job.part, "SOURCE_DATE_EPOCH": job.epoch},
                   "cache": {"folder": str(job.cache), "fingerprint": job.fingerprint, "name": job.name}}
    else:
        print(f"building {job.gid} {job.version} (released pages are cached after this)", flush=True)
        request = {"id": n, "config": str(children[n]), "site_dir": str(job.partial),
                   "env": {"LABELBOOK_RELEASE": f"{job.gid}@{job.version}", "SOURCE_DATE_EPOCH": str(job.timestamp)}}
    run.process.stdin.write(json.dumps(request) + "\n")
    run.process.stdin.flush()


def _read_reports(run: EngineRun, w: int, reports: queue.Queue[tuple[int, str | None]]) -> None:
    assert run.process.stdout is not None
    for line in run.process.stdout:
        if line.startswith(BATCH_REPORT):
            reports.put((w, line[len(BATCH_REPORT):]))
        else:  # anything else a build printed
            sys.stdout.write(line)
    reports.put((w, None))


def serve_site(config: Path, address: str, *, engine: str | None = None, jobs: int | None = None,
               debug: bool = False) -> int:
    """Preview: the incremental build into a private folder, served on address and run
    again on every save (generator/serve.py)."""
    from .serve import parse_address, serve

    parse_address(address)
    engine_command(config, choose_engine(config, engine))  # the engine is there, before serving anything
    # Material's version links are absolute: point them at the preview's own address.
    os.environ.setdefault("LABELBOOK_SITE_URL", f"http://{address}/")
    return serve(config, address, lambda site: build_site_folder(config, site, engine=engine, jobs=jobs, debug=debug))

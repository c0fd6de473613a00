"""A guideline's history, read from git: releases, the commits between them, old specs.

Git is read efficiently: one `git log` over the main line (first parents only) lists every
commit that touched specs/ with the files it touched; old spec files are read straight
from git objects through one long-running `git cat-file --batch` (GitPython's
`get_object_data`), never by checking anything out.

A release is the first commit on the main line whose guideline.yaml carries a version;
an annotated (or plain) tag `<guideline-id>/v<version>` confirms it and wins when it
points elsewhere. For example, with the main line

    a1 guideline.yaml version 1.0.0      -> release 1.0.0 at a1
    b2 taxonomy.yaml edited              -> a commit of release 1.1.0
    c3 guideline.yaml version 1.1.0      -> release 1.1.0 at c3 (b2, c3 listed under it)
    d4 examples edited                   -> unreleased
"""

from __future__ import annotations

import bisect
import functools
import os
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

import git

from .diagnostics import Report
from .gc_paused import cyclic_gc_paused
from .guideline import Guideline
from .load import MANIFEST, UsageError, assemble
from .spec import SPEC_FILES
from .validate import validate_file
from .spec.manifest import SEMVER_PATTERN
from .images import ImageError
from .semantic_diff import compare_versions, next_version
from .yaml_source import SourceFile, load_yaml_bytes

_SEMVER = re.compile(SEMVER_PATTERN)
_PR = re.compile(r"(?:\(#(\d+)\)\s*$|^Merge pull request #(\d+)|!(\d+)\s*$)")


class HistoryError(UsageError):
    """History cannot be read faithfully (a shallow clone, a broken repository): exit 2."""


@dataclass(frozen=True)
class Commit:
    sha: str
    timestamp: int
    author: str
    email: str
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:8]

    @property
    def date(self) -> str:
        return datetime.fromtimestamp(self.timestamp, tz=timezone.utc).strftime("%Y-%m-%d")

    @property
    def pull_request(self) -> int | None:
        match = _PR.search(self.subject)
        return int(next(g for g in match.groups() if g)) if match else None


@dataclass
class Release:
    guideline: str
    version: str
    commit: Commit
    tag: str | None = None
    commits: list[Commit] = field(default_factory=list)  # touching the guideline, since the previous release


@dataclass(frozen=True)
class VersionAnomaly:
    """A version that appeared along the main line at or below a version released before it
    (2.0.0 then 1.0.1, or 1.0.0 again): it is not a release and never the latest."""

    guideline: str
    version: str
    commit: Commit  # where the version was set
    highest: Release  # the highest release before it
    manifest: str  # the guideline.yaml, relative to the repository, e.g. specs/mini/guideline.yaml

    @property
    def message(self) -> str:
        relation = "the same as" if compare_versions(self.version, self.highest.version) == 0 else "lower than"
        return (f"{self.manifest}@{self.commit.short}: version {self.version} ({self.commit.date}) is {relation} "
                f"{self.highest.version}, released in {self.highest.commit.short} ({self.highest.commit.date}): "
                "versions along the main line must go up, so it is not a release and never the latest; "
                f"set version: {next_version(self.highest.version, 'patch')} or higher")


@dataclass
class GuidelineHistory:
    id: str
    releases: list[Release] = field(default_factory=list)  # oldest first
    unreleased: list[Commit] = field(default_factory=list)
    uncommitted: bool = False  # the working tree differs from HEAD for this guideline

    @property
    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None


@dataclass
class History:
    repo: git.Repo | None
    specs_path: str  # specs folder relative to the repository root, e.g. "specs"
    guidelines: dict[str, GuidelineHistory] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    unbuildable: set[tuple[str, str]] = field(default_factory=set)  # (guideline, version) that do not validate
    anomalies: list["VersionAnomaly"] = field(default_factory=list)  # versions refused as releases
    # (file name, blob id) -> (parsed file, validated model, its diagnostics)
    _blob_cache: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    # (revision, guideline id) -> (guideline or None, its diagnostics)
    _guideline_cache: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    # object name ("<rev>:<path>" or an id) -> (type, data), or None when missing: read ahead
    # in batches (prefetch), since one round trip per object costs more than reading it
    _objects: dict[str, tuple[str, bytes] | None] = field(default_factory=dict, repr=False)

    def of(self, guideline_id: str) -> GuidelineHistory:
        return self.guidelines.get(guideline_id) or GuidelineHistory(guideline_id)

    def _object(self, name: str, kind: str) -> bytes | None:
        """The data of a git object ("<rev>:<path>" or an object id) if it is of that kind."""
        assert self.repo is not None
        if name in self._objects:
            known = self._objects[name]
            return known[1] if known is not None and known[0] == kind else None
        try:
            _, found, _, data = self.repo.git.get_object_data(name)
        except (ValueError, git.GitCommandError):
            return None
        return data if found in (kind, kind.encode()) else None

    def prefetch(self, names: list[str]) -> None:
        """Read many objects at once and keep them for _object: every request is written
        to git's long-running `cat-file --batch` (the one _object reads through) before the
        answers are read, so they cost one round trip, not one each. A thread writes while
        this one reads: neither side can fill its pipe and wait for the other. Names
        holding a line break are left to _object."""
        assert self.repo is not None
        wanted = [n for n in dict.fromkeys(names) if n not in self._objects and "\n" not in n and "\r" not in n]
        if not wanted:
            return
        process = self.repo.git._get_persistent_cmd("cat_file_all", "cat_file", batch=True)
        stdin, stdout = process.stdin, process.stdout
        assert stdin is not None and stdout is not None
        request = ("\n".join(wanted) + "\n").encode("utf-8", "surrogateescape")

        def write() -> None:
            try:
                stdin.write(request)
                stdin.flush()
            except OSError:  # git ended: the reading below stops at the end of its output
                pass

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        answered = 0
        try:
            for name in wanted:
                line = stdout.readline().rstrip(b"\n")
                if not line:
                    break
                if line.endswith((b" missing", b" ambiguous")):  # "<name> missing"
                    self._objects[name] = None
                else:
                    _, kind, size = line.split()  # "<id> <type> <size>"
                    data = stdout.read(int(size) + 1)  # the data, then a line break
                    self._objects[name] = (kind.decode(), data[:-1])
                answered += 1
        finally:
            writer.join()
            if answered < len(wanted):  # answers left unread would be taken for the next ones
                self.repo.git.clear_cache()

    def read_blob(self, rev: str, path: str) -> bytes | None:
        """A file's bytes at a revision, or None if it does not exist there."""
        return self._object(f"{rev}:{path}", "blob")

    def read_guideline(self, rev: str, guideline_id: str, report: Report) -> Guideline | None:
        """The guideline as it was at a revision, validated like the working copy. Files are
        parsed and validated once per git blob: releases share most of their files."""
        cached = self._guideline_cache.get((rev, guideline_id))
        if cached is not None:
            report.extend(cached[1])
            return cached[0]
        local = Report()
        guideline = self._read_guideline(rev, guideline_id, local)
        self._guideline_cache[(rev, guideline_id)] = (guideline, local)
        report.extend(local)
        return guideline

    def _read_guideline(self, rev: str, guideline_id: str, report: Report) -> Guideline | None:
        folder = f"{self.specs_path}/{guideline_id}"
        entries = self._tree_entries(rev, folder)
        names = [name for name, _ in entries if name.endswith((".yaml", ".yml"))]
        if not names:
            return None
        display = f"{folder}@{rev[:8]}"
        sources: dict[str, SourceFile | None] = {}
        validated: dict[str, Any] = {}
        for name, blob_id in entries:
            if name not in SPEC_FILES:
                continue
            source, model, local = self.load_blob(name, blob_id, f"{display}/{name}")
            report.extend(local)
            sources[name] = source
            if model is not None:
                validated[name] = model
        def read_image(path: str) -> bytes:
            data = self.read_blob(rev, f"{folder}/{path}")
            if data is None:
                raise ImageError(f"image '{path}' is not in the commit {rev[:8]}", "commit the image with the spec")
            return data

        guideline = assemble(guideline_id, Path(display), display, names, sources, report, validated,
                             read_image=read_image)
        if guideline is not None:
            # Messages name the revision (specs/x@abc123/...); links need the real path.
            guideline.display_folder = folder
        return guideline

    def load_blob(self, name: str, blob_id: str, display: str) -> tuple[SourceFile | None, Any, Report]:
        """A spec file parsed and validated once per git blob (releases share most files)."""
        key = (name, blob_id)
        if key not in self._blob_cache:
            raw = self._object(blob_id, "blob") or b""
            local = Report()
            source = load_yaml_bytes(raw, display, local, positions=False)
            model = validate_file(source, SPEC_FILES[name], local) if source is not None else None
            if local.diagnostics:  # only then are positions worth their cost
                local = Report()
                source = load_yaml_bytes(raw, display, local)
                model = validate_file(source, SPEC_FILES[name], local) if source is not None else None
            self._blob_cache[key] = (source, model, local)
        return self._blob_cache[key]

    def folders_at(self, rev: str) -> list[str]:
        """Guideline ids (folders holding guideline.yaml) under the specs folder at a revision."""
        return [name for name, _ in self._tree_entries(rev, self.specs_path, folders=True)
                if self.read_blob(rev, f"{self.specs_path}/{name}/{MANIFEST}") is not None]

    def _tree_entries(self, rev: str, folder: str, folders: bool = False) -> list[tuple[str, str]]:
        """(name, object id) of the files (or sub-folders) of a folder at a revision."""
        data = self._object(f"{rev}:{folder}", "tree")
        if data is None:
            return []
        # Raw tree object: repeated "<mode> <name>\0<20-byte id>".
        entries, index = [], 0
        while index < len(data):
            space = data.index(b" ", index)
            nul = data.index(b"\0", space)
            mode, name = data[index:space], data[space + 1:nul].decode("utf-8", "replace")
            if mode.startswith(b"4") == folders:  # "40000" is a sub-folder
                entries.append((name, data[nul + 1:nul + 21].hex()))
            index = nul + 21
        return sorted(entries)


def open_repository(project: Path) -> git.Repo | None:
    try:
        return git.Repo(project, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    except git.GitCommandNotFound:  # pragma: no cover - no git binary
        return None


def _version_of(history: History, blob_id: str) -> str | None:
    source, model, _ = history.load_blob(MANIFEST, blob_id, MANIFEST)
    if model is not None:
        return model.version
    version = source.data.get("version") if source is not None and isinstance(source.data, dict) else None
    return version if isinstance(version, str) and _SEMVER.match(version) else None


@cyclic_gc_paused()  # commits, parsed specs and validated releases hold no reference cycles
def read_history(project: Path, specs: Path) -> History:
    """Releases and commits of every guideline under specs. Outside git: an empty history
    with a warning. A shallow clone: HistoryError, since dates and releases would be wrong."""
    repo = open_repository(project)
    if repo is None:
        return History(None, "specs", warnings=[
            f"{project.resolve()} is not in a git repository: building the working copy only, with no releases or "
            "changelog; to publish releases, keep the specs in git (git init && git add specs && git commit)"])
    if repo.git.rev_parse("--is-shallow-repository").strip() == "true":
        raise HistoryError(
            "this is a shallow clone: release dates and changelogs need the full history",
            "run `git fetch --unshallow` (in GitHub Actions: actions/checkout with fetch-depth: 0)")
    if repo.working_tree_dir is None:
        raise HistoryError(f"{repo.git_dir} is a bare repository: there are no spec files to build",
                           "build from a clone with a working tree")
    root = Path(repo.working_tree_dir).resolve()
    specs_path = PurePosixPath(os.path.relpath(specs.resolve(), root)).as_posix()
    history = History(repo, specs_path)
    try:
        repo.head.commit
    except ValueError:  # no commit yet
        _mark_uncommitted(history)
        return history

    commits, touched = _main_line(repo, specs_path)
    tags = _release_tags(repo, history)
    depth = len(PurePosixPath(specs_path).parts)
    per_guideline: dict[str, list[int]] = {}
    manifest_changes: dict[str, list[tuple[int, str]]] = {}  # gid -> (commit index, manifest blob)
    for index, files in enumerate(touched):
        for path, blob_id in files:
            parts = path.split("/")  # git's paths: "/"-separated, no "." or empty parts
            if len(parts) <= depth + 1:
                continue
            gid = parts[depth]
            per_guideline.setdefault(gid, [])
            if not per_guideline[gid] or per_guideline[gid][-1] != index:
                per_guideline[gid].append(index)
            if parts[depth + 1] == MANIFEST and len(parts) == depth + 2 and blob_id.strip("0"):
                manifest_changes.setdefault(gid, []).append((index, blob_id))

    _read_ahead(history, commits, manifest_changes)
    position = {c.sha: i for i, c in enumerate(commits)}
    placer = _MainLine(repo, commits) if tags else None  # only tags need to be placed
    for gid in sorted(per_guideline):
        found: dict[str, int] = {}
        repeats: list[tuple[str, int]] = []  # a version set again after another one
        last = None
        for index, blob_id in manifest_changes.get(gid, []):
            version = _version_of(history, blob_id)
            if version is not None and version not in found:
                found[version] = index
            elif version is not None and version != last:
                repeats.append((version, index))
            last = version if version is not None else last
        releases: dict[str, tuple[int, Commit, str | None]] = {v: (i, commits[i], None) for v, i in found.items()}
        for version, (tag, sha) in tags.get(gid, {}).items():
            tagged = history.read_guideline(sha, gid, Report())
            if tagged is None or tagged.version != version:
                history.warnings.append(f"tag '{tag}' points at {sha[:8]}, where {gid} is not a valid guideline "
                                        f"at version {version}; ignored; move it to the release commit: "
                                        f"git tag -f -a {tag} <commit> -m '{gid} {version}'")
                continue
            commit = commits[position[sha]] if sha in position else _commit(repo, sha)
            assert placer is not None  # made whenever there are tags
            releases[version] = (placer.place(sha), commit, tag)
        ordered = sorted(releases.items(), key=lambda item: (item[1][0], item[1][1].timestamp))
        gh = GuidelineHistory(gid)
        previous = -1
        for position_in_order, (version, (index, commit, release_tag)) in enumerate(ordered):
            if release_tag is None:
                following = ordered[position_in_order + 1][1][0] if position_in_order + 1 < len(ordered) else None
                touching = per_guideline[gid]  # ascending: bisect instead of scanning it per release
                index, commit = _settle(history, gid, version, index, commit, commits,
                                        touching if following is None else
                                        touching[:bisect.bisect_left(touching, following)])
            if gh.releases and compare_versions(version, _highest(gh.releases).version) <= 0:
                _refuse(history, VersionAnomaly(gid, version, commit, _highest(gh.releases),
                                                 f"{specs_path}/{gid}/{MANIFEST}"))
                continue
            touching = per_guideline[gid]
            between = [commits[i] for i in touching[bisect.bisect_right(touching, previous):
                                                    bisect.bisect_right(touching, index)]]
            gh.releases.append(Release(gid, version, commit, release_tag, between))
            previous = max(previous, index)
        for version, index in repeats:
            if gh.releases:
                _refuse(history, VersionAnomaly(gid, version, commits[index], _highest(gh.releases),
                                                 f"{specs_path}/{gid}/{MANIFEST}"))
        gh.unreleased = [commits[i] for i in per_guideline[gid] if i > previous]
        history.guidelines[gid] = gh
    _mark_uncommitted(history)
    return history


def _read_ahead(history: History, commits: list[Commit], manifest_changes: dict[str, list[tuple[int, str]]]) -> None:
    """Read in three batches what finding and settling the releases reads: each version of
    each guideline.yaml, and the spec folder with its files at each commit that changed
    it (where a release may be)."""
    history.prefetch([blob for changes in manifest_changes.values() for _, blob in changes])
    folders = [(commits[index].sha, f"{history.specs_path}/{gid}")
               for gid, changes in sorted(manifest_changes.items()) for index, _ in changes]
    history.prefetch([f"{rev}:{folder}" for rev, folder in folders])
    history.prefetch([blob for rev, folder in folders for name, blob in history._tree_entries(rev, folder)
                      if name in SPEC_FILES])


def _highest(releases: list[Release]) -> Release:
    def by_version(a: Release, b: Release) -> int:
        return compare_versions(a.version, b.version)

    return max(releases, key=functools.cmp_to_key(by_version))


def _refuse(history: History, anomaly: VersionAnomaly) -> None:
    history.anomalies.append(anomaly)
    history.warnings.append(anomaly.message)


def _settle(history: History, gid: str, version: str, index: int, commit: Commit, commits: list[Commit],
            touching: list[int]) -> tuple[int, Commit]:
    """A version may first appear in a commit whose other spec files are not there yet or
    do not validate (a half-committed change). The release is then the first later commit,
    still at that version, where the guideline validates; if there is none, it stays where
    it is and is marked as not buildable."""
    if history.read_guideline(commit.sha, gid, Report()) is not None:
        return index, commit
    for later in (i for i in touching if i > index):
        guideline = history.read_guideline(commits[later].sha, gid, Report())
        if guideline is not None and guideline.version == version:
            history.warnings.append(
                f"{gid} {version} first appears in {commit.short}, where its specs do not validate; "
                f"the release is taken from {commits[later].short}, the first commit where they do; to confirm "
                f"it (and silence this), tag it: git tag -a {gid}/v{version} {commits[later].short} "
                f"-m '{gid} {version}' && git push origin {gid}/v{version}")
            return later, commits[later]
        if guideline is not None:
            break
    history.warnings.append(f"{gid} {version}: the specs of its release commit {commit.short} do not validate; "
                            "the release is listed but its pages are not built; to build it, tag a commit where "
                            f"{gid} is valid at {version}: git tag -a {gid}/v{version} <commit> -m '{gid} {version}'")
    history.unbuildable.add((gid, version))
    return index, commit


def _main_line(repo: git.Repo, specs_path: str) -> tuple[list[Commit], list[list[tuple[str, str]]]]:
    """Commits of the main line that touched specs, oldest first, each with the files it
    touched and their new blob ids (all zeros for a deleted file)."""
    # %x1e starts a record; fields are split by %x1f; --raw lines follow the header:
    # ":100644 100644 <old id> <new id> M<TAB>path"
    out = repo.git.log("--first-parent", "--reverse", "--no-renames", "--raw", "--no-abbrev",
                       "--format=%x1e%H%x1f%at%x1f%an%x1f%ae%x1f%s", "--", specs_path)
    commits, touched = [], []
    for record in out.split("\x1e")[1:]:
        header, _, files = record.partition("\n")
        sha, timestamp, author, email, subject = header.split("\x1f", 4)
        commits.append(Commit(sha, int(timestamp), author, email, subject))
        entries = []
        for line in files.splitlines():
            if line.startswith(":"):
                meta, _, path = line.partition("\t")
                entries.append((path, meta.split()[3]))
        touched.append(entries)
    return commits, touched


class _MainLine:
    """Where any commit sits relative to the spec-touching commits of the main line: a
    tag may point at a commit that touched no spec, or at a hotfix off the main line
    (placed at its fork point, so it does not claim later main-line work)."""

    def __init__(self, repo: git.Repo, commits: list[Commit]):
        self.repo = repo
        order = repo.git.rev_list("--first-parent", "--reverse", "HEAD").split()
        self.point = {sha: i for i, sha in enumerate(order)}
        self.spec_points = [self.point[c.sha] for c in commits]

    def place(self, sha: str) -> int:
        """Index of the last spec-touching main-line commit at or before sha (-1 if none)."""
        point = self.point.get(sha)
        if point is None:
            try:
                base = self.repo.git.merge_base("HEAD", sha).strip()
            except git.GitCommandError:
                return -1
            point = self.point.get(base, -1)
        return bisect.bisect_right(self.spec_points, point) - 1


def _commit(repo: git.Repo, sha: str) -> Commit:
    c = repo.commit(sha)
    summary = c.summary if isinstance(c.summary, str) else c.summary.decode("utf-8", "replace")
    return Commit(c.hexsha, c.committed_date, c.author.name or "", c.author.email or "", summary)


def _release_tags(repo: git.Repo, history: History) -> dict[str, dict[str, tuple[str, str]]]:
    """guideline id -> version -> (tag name, commit sha) for tags named <id>/v<version>."""
    out = repo.git.for_each_ref("refs/tags", "--format=%(refname:strip=2)%1f%(*objectname)%1f%(*objecttype)"
                                "%1f%(objectname)%1f%(objecttype)")
    tags: dict[str, dict[str, tuple[str, str]]] = {}
    for line in sorted(out.splitlines()):
        name, peeled, peeled_type, target, target_type = line.split("\x1f")
        gid, slash, rest = name.rpartition("/")
        if not slash or not rest.startswith("v"):
            continue
        if not _SEMVER.match(rest[1:]):
            history.warnings.append(f"tag '{name}' is not <guideline-id>/v<semantic version>; ignored; rename it "
                                    f"(e.g. content-safety/v1.2.0) or delete it: git tag -d {name}")
            continue
        if (peeled_type or target_type) != "commit":
            history.warnings.append(f"tag '{name}' does not point at a commit; ignored; point it at the release "
                                    f"commit or delete it: git tag -d {name}")
            continue
        tags.setdefault(gid, {})[rest[1:]] = (name, peeled or target)
    return tags


def _mark_uncommitted(history: History) -> None:
    assert history.repo is not None
    out = history.repo.git.status("--porcelain", "--untracked-files=all", "--", history.specs_path)
    depth = len(PurePosixPath(history.specs_path).parts)
    for line in out.splitlines():
        path = line[3:].split(" -> ")[-1].strip('"')  # repository-relative
        parts = PurePosixPath(path).parts
        if len(parts) > depth + 1:
            gid = parts[depth]
            history.guidelines.setdefault(gid, GuidelineHistory(gid)).uncommitted = True

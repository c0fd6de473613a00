"""Find guideline folders, load and validate every file, cross-check, build Guidelines.

    specs/content-safety/*.yaml --yaml_source--> data + positions --validate--> models
        --crosscheck--> Guideline

Nothing here raises on bad specs: problems go into the Report and a Guideline is only
built for a folder without errors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .crosscheck import Files, crosscheck
from .diagnostics import Report, quoted
from .gc_paused import cyclic_gc_paused
from .guideline import Guideline
from .spec import SPEC_FILES
from .validate import Validated, did_you_mean, validate_parts
from .images import Reader, folder_reader, missing_reader
from .yaml_source import SourceFile, load_yaml_bytes, load_yaml_file

MANIFEST = "guideline.yaml"


class UsageError(Exception):
    """A problem with how labelbook was called (exit status 2), not with the specs."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass
class LoadResult:
    guidelines: list[Guideline] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    folders_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.report.errors


def display_path(path: Path) -> str:
    """Path as the user should see it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return Path(relative).as_posix() if not relative.startswith("..") else path.as_posix()


def repository_root(specs_root: Path) -> Path:
    """The git work tree holding the specs folder, else the specs folder itself (resolved).
    Spec files and guideline folders may be symbolic links only to places inside it."""
    start = Path(os.path.realpath(specs_root))
    for folder in (start, *start.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return start


def _has_manifest(folder: Path) -> bool:
    # lexists: a manifest that is a link is looked at (and judged) only when it is loaded.
    return os.path.lexists(folder / MANIFEST)


def _is_spec_name(name: str) -> bool:
    return Path(name).suffix in (".yaml", ".yml")


def _is_dir(entry: os.DirEntry, follow: bool = True) -> bool:
    # is_dir raises (rather than answering False) for a link loop or a denied lstat.
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:
        return False


def _refuse_folder(link: Path, report: Report | None) -> None:
    if report is not None:
        report.error(display_path(link), (1, 1), "unsafe-file",
                     f"{quoted(link.name)} is a symbolic link that leaves the repository; its files were not read",
                     "replace the link with the folder itself, or link to a folder inside the repository")


def _candidates(path: Path) -> tuple[list[Path], Path, bool]:
    """For one argument: the folders it names (unresolved), the specs folder holding them,
    and whether they are guideline folders already (else sub-folders still to look into)."""
    if not path.exists():
        raise UsageError(f"no such file or folder: {path}", "pass the specs folder, a guideline folder or a spec file")
    absolute = Path(os.path.abspath(path))
    if not path.is_dir():
        if not _is_spec_name(absolute.name):
            return [], absolute.parent, True
        if not _has_manifest(absolute.parent):
            raise UsageError(f"{display_path(path)} is not in a guideline folder (no {MANIFEST} beside it)")
        return [absolute.parent], absolute.parent.parent, True
    if _has_manifest(absolute):
        return [absolute], absolute.parent, True
    try:
        with os.scandir(absolute) as entries:
            children = sorted(absolute / e.name for e in entries if _is_dir(e) and not e.name.startswith("."))
    except OSError as exc:
        raise UsageError(f"cannot read folder {display_path(path)}: {exc.strerror or exc}",
                         "check that your user may read the folder (e.g. chmod u+rx)") from None
    return children, absolute, False


def _is_guideline(child: Path) -> bool:
    """A folder with a manifest, or with spec files but no manifest (a guideline missing
    its guideline.yaml), or one that cannot be listed (reported when it is loaded)."""
    if _has_manifest(child):
        return True
    try:
        with os.scandir(child) as entries:
            return any(_is_spec_name(e.name) for e in entries)
    except OSError:
        return True


def _find(paths: list[Path], report: Report | None) -> tuple[dict[Path, Path], int]:
    """{resolved guideline folder: its repository root}, and how many were refused: a
    folder that is a link leaving the repository is reported and never looked into."""
    found: dict[Path, Path] = {}
    refused = 0
    for path in paths:
        candidates, specs_root, direct = _candidates(path)
        root = repository_root(specs_root)
        kept = 0
        for folder in candidates:
            resolved = Path(os.path.realpath(folder))
            if not resolved.is_relative_to(root):
                _refuse_folder(folder, report)
                refused, kept = refused + 1, kept + 1
            elif direct or _is_guideline(folder):
                found.setdefault(resolved, root)
                kept += 1
        if not kept and not direct:
            raise UsageError(f"no guideline folders under {display_path(path)}",
                             f"a guideline folder holds {MANIFEST}; create one with `labelbook new <id>`")
    return dict(sorted(found.items())), refused


def find_guideline_folders(paths: list[Path], report: Report | None = None) -> list[Path]:
    """Guideline folders named by paths: a folder of guidelines, a guideline folder, or a file in one.
    A folder that is a link leaving the repository is left out (and reported, given a report)."""
    return list(_find(paths, report)[0])


def load_folder(folder: Path, report: Report, root: Path | None = None) -> Guideline | None:
    """Load one guideline folder from disk; `root` is the repository (by default found
    from the folder) that a spec file which is a link must stay inside."""
    root = root or repository_root(folder.parent)
    display = display_path(folder)
    try:
        with os.scandir(folder) as entries:
            # Any entry with a spec name counts, a pipe or a link included: it is judged
            # (and refused) when loaded, instead of being silently skipped as "missing".
            present = sorted(e.name for e in entries if _is_spec_name(e.name)
                             and (e.name in SPEC_FILES or not _is_dir(e, follow=False)))
    except OSError as exc:
        report.error(display, (1, 1), "unreadable", f"cannot read folder: {exc.strerror or exc}",
                     "check that your user may list the folder (e.g. chmod u+rx)")
        return None
    sources: dict[str, SourceFile | None] = {}
    for name in present:
        if name in SPEC_FILES:
            sources[name] = load_yaml_file(folder / name, f"{display}/{name}", report, root)
    return assemble(folder.name, folder, display, present, sources, report, read_image=folder_reader(folder, root))


def load_blobs(folder_id: str, display: str, blobs: dict[str, bytes], report: Report) -> Guideline | None:
    """Load one guideline from file contents, e.g. read from git objects at a past commit."""
    sources = {name: load_yaml_bytes(raw, f"{display}/{name}", report)
               for name, raw in sorted(blobs.items()) if name in SPEC_FILES}
    return assemble(folder_id, Path(display), display, sorted(blobs), sources, report)


def assemble(folder_id: str, folder: Path, display: str, present: list[str],
             loaded: dict[str, SourceFile | None], report: Report,
             validated: dict[str, Any] | None = None, read_image: Reader = missing_reader) -> Guideline | None:
    """Validate loaded files (unless `validated` already holds their models), cross-check
    them and build the Guideline (None on errors)."""
    before = len(report.errors)
    for name in sorted(set(present) - set(SPEC_FILES)):
        report.error(f"{display}/{name}", (1, 1), "unknown-file",
                     f"{quoted(name)} is not a spec file{did_you_mean(name, SPEC_FILES)}",
                     "spec files are: " + ", ".join(SPEC_FILES))
    sources, models = {}, {}
    partial: dict[str, Validated] = {}  # files with errors: what could be read of them
    for name, model in SPEC_FILES.items():
        if name not in present:
            report.error(f"{display}/{name}", (1, 1), "missing-file", f"missing spec file {name}",
                         "every guideline folder has " + ", ".join(SPEC_FILES)
                         + "; `labelbook new <id>` writes templates")
            continue
        source = loaded.get(name)
        if source is None:
            continue
        sources[name] = source
        if validated is not None and name in validated:
            models[name] = validated[name]
        else:
            result = validate_parts(source, model, report)
            models[name] = result.model
            if result.model is None and result.partial is not None:
                partial[name] = result
    files = Files(folder_id, models, sources, report, partial, read_image=read_image)
    crosscheck(files)
    if len(report.errors) > before or any(models.get(name) is None for name in SPEC_FILES):
        return None
    return Guideline(
        id=models[MANIFEST].id,
        folder=folder,
        display_folder=display,
        manifest=models["guideline.yaml"],
        brief=models["brief.yaml"],
        taxonomy=models["taxonomy.yaml"],
        edge_cases=models["edge_cases.yaml"],
        decision_tree=models["decision_tree.yaml"],
        sampling=models["sampling.yaml"],
        acceptance=models["acceptance.yaml"],
        qa=models["qa.yaml"],
        datasheet=models["datasheet.yaml"],
        sources=sources,
        images=files.images,
    )


@cyclic_gc_paused()  # parsed and validated specs: no reference cycles
def load_guidelines(paths: list[Path], *, strict: bool = False) -> LoadResult:
    """Load every guideline under paths. Raises UsageError only for bad arguments."""
    result = LoadResult()
    folders, refused = _find(paths, result.report)
    result.folders_checked = len(folders) + refused
    for folder, root in folders.items():
        guideline = load_folder(folder, result.report, root)
        if guideline is not None:
            result.guidelines.append(guideline)
    if strict:
        result.report.promote_warnings()
    if result.report.errors:
        # With --strict a warning fails its guideline too.
        failing = {d.path.rsplit("/", 1)[0] for d in result.report.errors}
        result.guidelines = [g for g in result.guidelines if g.display_folder not in failing]
    return result

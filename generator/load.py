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
from .diagnostics import Report
from .guideline import Guideline
from .spec import SPEC_FILES
from .validate import did_you_mean, validate_file
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


def find_guideline_folders(paths: list[Path]) -> list[Path]:
    """Guideline folders named by paths: a folder of guidelines, a guideline folder, or a file in one."""
    found: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}", "pass the specs folder, a guideline folder or a spec file")
        if path.is_file():
            folder = path.parent
            if not (folder / MANIFEST).exists() and path.suffix in (".yaml", ".yml"):
                raise UsageError(f"{display_path(path)} is not in a guideline folder (no {MANIFEST} beside it)")
            if path.suffix in (".yaml", ".yml"):
                found.add(folder.resolve())
            continue
        if (path / MANIFEST).exists():
            found.add(path.resolve())
            continue
        children = [child for child in path.iterdir() if child.is_dir() and not child.name.startswith(".")]
        guideline_children = [child for child in children if (child / MANIFEST).exists()]
        # A sub-folder with spec files but no manifest is a guideline missing its guideline.yaml.
        guideline_children += [child for child in children if child not in guideline_children
                               and any(child.glob("*.yaml"))]
        if not guideline_children:
            raise UsageError(f"no guideline folders under {display_path(path)}",
                             f"a guideline folder holds {MANIFEST}; create one with `labelbook new <id>`")
        found.update(child.resolve() for child in guideline_children)
    return sorted(found)


def load_folder(folder: Path, report: Report) -> Guideline | None:
    """Load one guideline folder from disk."""
    present = sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))
    display = display_path(folder)
    sources: dict[str, SourceFile | None] = {}
    for name in present:
        if name in SPEC_FILES:
            sources[name] = load_yaml_file(folder / name, f"{display}/{name}", report)
    return assemble(folder.name, folder, display, present, sources, report)


def load_blobs(folder_id: str, display: str, blobs: dict[str, bytes], report: Report) -> Guideline | None:
    """Load one guideline from file contents, e.g. read from git objects at a past commit."""
    sources = {name: load_yaml_bytes(raw, f"{display}/{name}", report)
               for name, raw in sorted(blobs.items()) if name in SPEC_FILES}
    return assemble(folder_id, Path(display), display, sorted(blobs), sources, report)


def assemble(folder_id: str, folder: Path, display: str, present: list[str],
             loaded: dict[str, SourceFile | None], report: Report,
             validated: dict[str, Any] | None = None) -> Guideline | None:
    """Validate loaded files (unless `validated` already holds their models), cross-check
    them and build the Guideline (None on errors)."""
    before = len(report.errors)
    for name in sorted(set(present) - set(SPEC_FILES)):
        report.error(f"{display}/{name}", (1, 1), "unknown-file",
                     f"'{name}' is not a spec file{did_you_mean(name, SPEC_FILES)}",
                     "spec files are: " + ", ".join(SPEC_FILES))
    sources, models = {}, {}
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
            models[name] = validate_file(source, model, report)
    crosscheck(Files(folder_id, models, sources, report))
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
    )


def load_guidelines(paths: list[Path], *, strict: bool = False) -> LoadResult:
    """Load every guideline under paths. Raises UsageError only for bad arguments."""
    result = LoadResult()
    folders = find_guideline_folders(paths)
    result.folders_checked = len(folders)
    for folder in folders:
        guideline = load_folder(folder, result.report)
        if guideline is not None:
            result.guidelines.append(guideline)
    if strict:
        result.report.promote_warnings()
    if result.report.errors:
        # With --strict a warning fails its guideline too.
        failing = {d.path.rsplit("/", 1)[0] for d in result.report.errors}
        result.guidelines = [g for g in result.guidelines if g.display_folder not in failing]
    return result

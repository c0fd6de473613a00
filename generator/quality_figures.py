"""The quality figures of every guideline, computed once per build before any page is
rendered: page rendering (render/pages.py) only reads them from SiteOptions.quality.

The metrics stack (pandas, matplotlib) is imported only for a guideline whose data is on
disk: a release read from git has none, so its build never needs the metrics extra.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
from pathlib import Path
from typing import Any

from .guideline import Guideline
from .metrics_extra import require_metrics

ABSENT: dict[str, Any] = {"present": False}


def quality_figures(guidelines: list[Guideline], changelogs: dict[str, Any] | None = None
                    ) -> dict[str, dict[str, Any]]:
    """guideline id -> the view of its quality figures (metrics.view.quality_context), for
    the datasheet and acceptance pages; changelogs (guideline id -> Changelog) name the
    released versions the agreement timeline marks. Raises UsageError when a guideline has
    data and the metrics extra is not installed."""
    changelogs = changelogs or {}
    return {g.id: quality_of(g, [r.version for r in changelogs[g.id].releases] if g.id in changelogs else [])
            for g in guidelines}


def quality_of(guideline: Guideline, releases: list[str] | None = None) -> dict[str, Any]:
    data = guideline.datasheet.data
    if data is None or not Path(guideline.folder).is_dir():
        return dict(ABSENT)
    require_metrics(f"{guideline.id} has annotation data; computing its quality figures")
    from .metrics.view import quality_context

    return quality_context(guideline, releases or [])


QUALITY_CACHE = Path(".labelbook-cache") / "quality"
METRICS_PACKAGES = ("pandas", "numpy", "pyarrow", "matplotlib")
_code_digest: list[str] = []


def stored_quality_figures(project: Path, guidelines: list[Any], changelogs: dict[str, Any],
                           ) -> dict[str, dict[str, Any]]:
    """quality_figures, kept on disk by what they are computed from: the guideline's spec
    files, its data files, its released versions, labelbook's code and the metrics
    packages' versions. Computing them (pandas, matplotlib) costs more than the rest of a
    guideline's pages, and every build generates every guideline's pages to find what changed."""
    figures = {}
    for guideline in guidelines:
        releases = [r.version for r in changelogs[guideline.id].releases] if guideline.id in changelogs else []
        key = _quality_key(guideline, releases)
        if key is None:
            figures.update(quality_figures([guideline], changelogs))
            continue
        stored = project / QUALITY_CACHE / guideline.id / f"{key}.pickle"
        try:
            figures[guideline.id] = pickle.loads(stored.read_bytes())  # noqa: S301 - written by this function
            continue
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass  # not stored yet: computed below
        figures.update(quality_figures([guideline], changelogs))
        try:
            stored.parent.mkdir(parents=True, exist_ok=True)
            for old in stored.parent.glob("*.pickle"):
                old.unlink(missing_ok=True)
            partial = stored.with_name(f"{key}.partial-{os.getpid()}")
            partial.write_bytes(pickle.dumps(figures[guideline.id]))
            partial.rename(stored)
        except OSError:
            pass  # a read-only project still builds; it computes the figures every time
    return figures


def _quality_key(guideline: Any, releases: list[str]) -> str | None:
    """The figures' inputs as a digest; None without data on disk (nothing to compute)."""
    data = guideline.datasheet.data
    folder = Path(guideline.folder)
    if data is None or not folder.is_dir():
        return None
    digest = hashlib.sha256(_code().encode())
    digest.update(("\0" + "\0".join(releases)).encode())
    for name in sorted(guideline.sources):
        digest.update(f"\0{name}\0{guideline.sources[name].text}".encode())
    root = folder.resolve().parent.parent  # the paths of data files start at the repository root
    for path in (data.annotations, data.audit):
        if path:
            try:
                digest.update(f"\0{path}\0".encode() + (root / path).read_bytes())
            except OSError:
                return None  # computing reports the unreadable file
    return digest.hexdigest()[:20]


def _code() -> str:
    """labelbook's own code and the metrics packages' versions, once per process."""
    if not _code_digest:
        digest = hashlib.sha256()
        here = Path(__file__).resolve().parent
        for path in sorted(here.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(here)).encode() + b"\0" + path.read_bytes())
        for package in METRICS_PACKAGES:
            try:
                digest.update(f"{package}={importlib.metadata.version(package)}".encode())
            except importlib.metadata.PackageNotFoundError:
                digest.update(f"{package} absent".encode())
        _code_digest.append(digest.hexdigest())
    return _code_digest[0]

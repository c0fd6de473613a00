"""The example data script (scripts/make_example_data.py) and the pos-tags export it writes.

The pos-tags export carries a `guideline_version` column: every rating of a document (the
sentence, `s0042` of item `s0042:7`) carries the version in force on the day of the
document's first rating. The versions are the guideline's releases as read from git; the
day each came into force is the script's POS_RELEASES (the spec records no such days).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from conftest import REPO
from generator.history import read_history

SCRIPT = REPO / "scripts" / "make_example_data.py"
POS_EXPORT = REPO / "specs" / "pos-tags" / "data" / "annotations.parquet"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_example_data", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def released() -> list[str]:
    """pos-tags' releases, oldest first, from the repository's git history."""
    history = read_history(REPO, REPO / "specs")
    return [release.version for release in history.of("pos-tags").releases]


def in_force(releases: list[tuple[str, str]], day: str) -> str | None:
    """The newest release whose day is on or before `day` (ISO dates), None before the first."""
    version = None
    for name, since in releases:
        if since <= day:
            version = name
    return version


def version_mismatches(export: pd.DataFrame, releases: list[tuple[str, str]]) -> list[str]:
    """Documents whose ratings do not all carry the version in force at their first rating."""
    wrong = []
    documents = export["item"].str.split(":").str[0]
    for document, rows in export.groupby(documents, sort=True):
        first = min(rows["timestamp"])
        expected = in_force(releases, first)
        found = sorted(set(rows["guideline_version"]))
        if found != [expected]:
            wrong.append(f"{document}: first rating {first}, in force {expected}, found {', '.join(found)}")
    return wrong


def test_release_days_follow_the_guidelines_releases(script, released):
    names = [name for name, _ in script.POS_RELEASES]
    days = [day for _, day in script.POS_RELEASES]
    # The labelling period's releases are the guideline's first ones, in order, none skipped.
    assert names == released[:len(names)], (names, released)
    assert days == sorted(set(days)), days
    for day in days:
        assert pd.Timestamp(day).strftime("%Y-%m-%d") == day


def test_every_document_is_under_the_version_in_force_at_its_first_rating(script, released):
    export = pd.read_parquet(POS_EXPORT, columns=["item", "timestamp", "guideline_version"])
    days = dict(script.POS_RELEASES)
    releases = [(name, days[name]) for name in released if name in days]
    assert version_mismatches(export, releases) == []
    # Every release of the labelling period tags some documents, so the rule was put to work.
    assert sorted(set(export["guideline_version"])) == sorted(days)


def test_a_document_under_another_version_is_reported():
    releases = [("1.0.0", "2026-01-12"), ("1.1.0", "2026-01-22")]
    export = pd.DataFrame({
        "item": ["d1:1", "d1:2", "d1:1", "d1:2", "d2:1", "d2:1", "d3:1"],
        "timestamp": ["2026-01-21", "2026-01-21", "2026-01-25", "2026-01-25", "2026-01-22", "2026-01-30",
                      "2026-01-23"],
        # d1's second rater is after 1.1.0 but the document stays under 1.0.0; d2 started
        # on 1.1.0's first day; d3 started under 1.1.0 yet carries 1.0.0.
        "guideline_version": ["1.0.0", "1.0.0", "1.0.0", "1.0.0", "1.1.0", "1.1.0", "1.0.0"],
    })
    assert version_mismatches(export, releases) == ["d3: first rating 2026-01-23, in force 1.1.0, found 1.0.0"]
    export.loc[2, "guideline_version"] = "1.1.0"
    assert version_mismatches(export, releases) == [
        "d1: first rating 2026-01-21, in force 1.0.0, found 1.0.0, 1.1.0",
        "d3: first rating 2026-01-23, in force 1.1.0, found 1.0.0"]


def test_the_script_rewrites_the_committed_data_byte_for_byte(tmp_path: Path):
    copy = tmp_path / "scripts" / SCRIPT.name
    copy.parent.mkdir()
    shutil.copy(SCRIPT, copy)
    result = subprocess.run([sys.executable, str(copy)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    written = sorted(p.relative_to(tmp_path) for p in (tmp_path / "specs").rglob("*") if p.is_file())
    stored = sorted(p.relative_to(REPO) for pattern in ("specs/*/data/*", "specs/street-objects/images/*.png")
                    for p in REPO.glob(pattern))
    assert written == stored
    differ = [str(p) for p in written if (tmp_path / p).read_bytes() != (REPO / p).read_bytes()]
    assert differ == []

"""Shared fixtures: throwaway copies of spec folders and a runner for the real command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LABELBOOK = Path(sys.executable).parent / "labelbook"


@pytest.fixture
def mini_specs(tmp_path: Path) -> Path:
    """A project folder holding specs/mini: a small guideline that passes --strict."""
    shutil.copytree(FIXTURES / "specs", tmp_path / "specs")
    return tmp_path


@pytest.fixture
def example_specs(tmp_path: Path) -> Path:
    """A project folder holding a copy of the repository's example specs."""
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    return tmp_path


def run_labelbook(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `labelbook` command as a user would (env: extra variables)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    return subprocess.run([str(LABELBOOK), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def make_project(root: Path, specs: Path) -> Path:
    """A throwaway project: this repository's site configuration around the given specs
    folder (the theme and templates come from the installed package)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(specs, root / "specs")
    return root


def build_project(project: Path) -> subprocess.CompletedProcess[str]:
    return run_labelbook("build", cwd=project)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the repository's example specs (built once per test run)."""
    project = make_project(tmp_path_factory.mktemp("example") / "project", REPO / "specs")
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"

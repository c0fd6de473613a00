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


def run_labelbook(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed `labelbook` command as a user would."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([str(LABELBOOK), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)

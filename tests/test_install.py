"""The installed tool in a lead's own repository: the wheel, built as a release would be,
installed (not editable) into a fresh virtualenv, runs init -> check -> build -> serve ->
export -> gate in an empty folder, with no file of this repository in reach."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO

SOURCES = ["pyproject.toml", "README.md", "generator", "labelbook_mkdocs"]


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: int = 600):
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                            env=env)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtualenv with the wheel and its metrics extra; returns its bin folder."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"  # a copy: building writes build/ and egg-info beside the sources
    source.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                            if (REPO / name).is_dir() else {}))
    _run(sys.executable, "-m", "build", "--wheel", "--outdir", root / "dist", source, cwd=root)
    wheel = next((root / "dist").glob("labelbook-*.whl"))
    _run(sys.executable, "-m", "venv", root / "venv", cwd=root)
    bin_dir = root / "venv" / "bin"
    _run(bin_dir / "python", "-m", "pip", "install", "--quiet", f"{wheel}[metrics]", cwd=root, timeout=1200)
    return bin_dir


def _env(bin_dir: Path) -> dict[str, str]:
    # Only the new virtualenv's commands (and the system's git and dot) are on PATH.
    return {"PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"),
            "NO_MKDOCS_2_WARNING": "1", "GIT_AUTHOR_NAME": "Lena Lead", "GIT_AUTHOR_EMAIL": "lena@example.org",
            "GIT_COMMITTER_NAME": "Lena Lead", "GIT_COMMITTER_EMAIL": "lena@example.org"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_wheel_runs_every_step_in_an_empty_repository(installed, tmp_path):
    env = _env(installed)
    labelbook = installed / "labelbook"
    version = _run(labelbook, "--version", cwd=tmp_path, env=env).stdout
    assert version.startswith("labelbook ") and version.strip() != "labelbook 0+unknown"
    # The package came from the wheel, not from this repository.
    where = _run(installed / "python", "-c", "import generator, labelbook_mkdocs; "
                 "print(generator.__file__); print(labelbook_mkdocs.__file__)", cwd=tmp_path, env=env).stdout
    assert all(str(installed.parent) in line for line in where.splitlines()), where

    repo = tmp_path / "team-guidelines"
    init = _run(labelbook, "init", repo, "--guideline", "toxicity", cwd=tmp_path, env=env)
    assert f"wrote {repo}/specs/toxicity/" in init.stdout.splitlines()
    assert (repo / "mkdocs.yml").is_file() and (repo / ".github/workflows/guidelines.yml").is_file()
    _run("git", "init", "-q", "-b", "main", cwd=repo, env=env)
    _run("git", "add", "-A", cwd=repo, env=env)
    _run("git", "commit", "-q", "-m", "Start the guidelines", cwd=repo, env=env)

    check = subprocess.run([labelbook, "check"], cwd=repo, capture_output=True, text=True, env=env)
    assert check.returncode == 0, check.stdout  # the scaffold's TODOs are warnings
    assert check.stdout.endswith("1 guideline checked: 0 errors, 133 warnings\n")

    _run(labelbook, "build", cwd=repo, env=env)
    page = (repo / "site/toxicity/index.html").read_text()
    assert "assets/labelbook.css" in page  # the packaged theme came along

    port = _free_port()
    server = subprocess.Popen([labelbook, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=repo, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        status = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    status = response.status
            except OSError:
                time.sleep(0.5)
        assert status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)

    export = _run(labelbook, "export", "toxicity", "--to", "label-studio", "--out", tmp_path / "ls", cwd=repo, env=env)
    assert (tmp_path / "ls/config.xml").is_file(), export.stdout

    # A guideline with annotation data: the gate reads it with the metrics extra.
    shutil.copytree(REPO / "specs/support-intent", repo / "specs/support-intent")
    gate = _run(labelbook, "gate", "support-intent", cwd=repo, env=env)
    assert gate.stdout.endswith("gate: pass (every release-level criterion and hard gate passes)\n")

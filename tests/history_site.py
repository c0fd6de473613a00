"""The example guidelines built from a git history with two releases of content-safety
(2.1.0, then the example's own 2.2.0), so every kind of page exists: the changelog, what's
new, compare and a frozen release too. An emoji ends content-safety's first positive
example. Built once per test run and shared by the modules that import it (the build of
six guidelines and a release can outlast run_labelbook's limit on a busy machine)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from browser import serve_folder
from conftest import LABELBOOK, REPO, make_project

EMOJI = "\N{GRINNING FACE}"
_built: dict[str, tuple[Path, str]] = {}


def git(root: Path, *args: str, day: int = 0) -> None:
    stamp = f"{1_767_225_600 + day * 86_400} +0000"
    env = dict(os.environ, GIT_AUTHOR_NAME="Lena Lead", GIT_AUTHOR_EMAIL="lena@example.org", GIT_AUTHOR_DATE=stamp,
               GIT_COMMITTER_NAME="Lena Lead", GIT_COMMITTER_EMAIL="lena@example.org", GIT_COMMITTER_DATE=stamp)
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def plant_emoji(specs: Path) -> str:
    """EMOJI at the end of content-safety's first positive example; the label's id."""
    path = specs / "content-safety" / "taxonomy.yaml"
    taxonomy = yaml.safe_load(path.read_text(encoding="utf-8"))
    label = taxonomy["labels"][0]
    example = label["examples"]["positive"][0]
    example["text"] = f"{example['text']} {EMOJI}"
    path.write_text(yaml.safe_dump(taxonomy, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return label["id"]


def history_site(tmp_path_factory) -> tuple[Path, str]:
    """(the built site, the label whose example ends in EMOJI)."""
    if "site" not in _built:
        root = make_project(tmp_path_factory.mktemp("history") / "project", REPO / "specs")
        (root / ".gitignore").write_text("site/\n.labelbook-cache/\n")
        label = plant_emoji(root / "specs")
        manifest = root / "specs" / "content-safety" / "guideline.yaml"
        released = manifest.read_text(encoding="utf-8")
        assert "\nversion: 2.2.0\n" in released
        manifest.write_text(released.replace("\nversion: 2.2.0\n", "\nversion: 2.1.0\n"), encoding="utf-8")
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "Content safety 2.1.0", day=1)
        manifest.write_text(released, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "Content safety 2.2.0", day=2)
        result = subprocess.run([str(LABELBOOK), "build"], cwd=root, capture_output=True, text=True, timeout=900,
                                env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
        assert result.returncode == 0, result.stdout + result.stderr
        _built["site"] = (root / "site", label)
    return _built["site"]


# The fixtures of the modules that check this site (import them by name).
@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    """The example guidelines, built from a git history (history_site)."""
    return history_site(tmp_path_factory)[0]


@pytest.fixture(scope="module")
def example_site_url(example_site):
    with serve_folder(example_site) as base_url:
        yield base_url

"""Throwaway git repositories with scripted histories, for the versioning tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from conftest import FIXTURES, make_project


class ScriptedRepo:
    """A project (site configuration + specs/mini) in its own git repository."""

    def __init__(self, root: Path):
        self.root = make_project(root, FIXTURES / "specs")
        (self.root / ".gitignore").write_text("site/\n.labelbook-cache/\n")
        self.clock = 1_767_225_600  # 2026-01-01T00:00:00Z; every commit one day later
        self.git("init", "-q", "-b", "main")
        self.commit("Start the mini guideline")

    def git(self, *args: str, env: dict | None = None) -> str:
        return subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True, text=True,
                              env=dict(os.environ, **(env or {}))).stdout

    def edit(self, name: str, old: str, new: str, guideline: str = "mini") -> None:
        path = self.root / "specs" / guideline / name
        text = path.read_text()
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1))

    def set_version(self, version: str, changes: str = "[]", guideline: str = "mini") -> None:
        path = self.root / "specs" / guideline / "guideline.yaml"
        text = path.read_text()
        lines = [line for line in text.splitlines() if not line.startswith("version:")]
        head, _, _ = "\n".join(lines).partition("changes:")
        body = head.replace("status: draft", f"version: {version}\nstatus: draft")
        path.write_text(f"{body}changes: {changes}\n" if changes == "[]" else f"{body}changes:\n{changes}\n")

    def commit(self, message: str, author: str = "Lena Lead <lena@example.org>") -> str:
        self.clock += 86_400
        name, _, email = author.partition(" <")
        stamp = f"{self.clock} +0000"
        env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email.rstrip(">"), "GIT_AUTHOR_DATE": stamp,
               "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email.rstrip(">"), "GIT_COMMITTER_DATE": stamp}
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, env=env)
        return self.git("rev-parse", "HEAD").strip()

    def tag(self, name: str, rev: str = "HEAD") -> None:
        self.git("tag", "-a", name, rev, "-m", f"Release {name}",
                 env={"GIT_COMMITTER_NAME": "Lena Lead", "GIT_COMMITTER_EMAIL": "lena@example.org",
                      "GIT_COMMITTER_DATE": f"{self.clock} +0000"})

    def copy_folder(self, guideline: str, to: str) -> None:
        shutil.copytree(self.root / "specs" / guideline, self.root / "specs" / to)
        self.edit("guideline.yaml", f"id: {guideline}", f"id: {to}", guideline=to)

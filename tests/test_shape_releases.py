"""Shape features on a site built from a history with several releases: a guideline that
became a box guideline, then had its example image redrawn. Each release's pages show the
image as it was at that release, read from git."""

from __future__ import annotations

import base64
import shutil

from PIL import Image, ImageDraw

from conftest import FIXTURES, run_labelbook
from gitrepo import ScriptedRepo

BOXES = FIXTURES / "shapes/boxes"
CLARIFIED = """  - type: clarification
    summary: The example image is redrawn
    rationale: The car was hard to see
    relabel_impact: {relabel: none}"""
RESHAPED = """  - type: taxonomy
    summary: Boxes on images instead of one label per post
    rationale: The program moves to images
    relabel_impact: {relabel: all}"""


def data_uri(path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def test_each_release_shows_its_own_image(tmp_path):
    repo = ScriptedRepo(tmp_path / "repo")  # mini 0.1.0: single-label
    folder = repo.root / "specs/mini"
    shutil.copy(BOXES / "taxonomy.yaml", folder / "taxonomy.yaml")
    shutil.copytree(BOXES / "images", folder / "images")
    repo.edit("guideline.yaml", "task_type: single-label\n", "task_type: box\nboxes: {min_size: 4}\n")
    repo.set_version("1.0.0", RESHAPED)
    repo.commit("Boxes")
    first = data_uri(folder / "images/street.png")
    image = Image.open(folder / "images/street.png").convert("RGB")
    ImageDraw.Draw(image).rectangle([4, 20, 27, 35], fill=(20, 160, 60))  # the car, now green
    image.save(folder / "images/street.png")
    repo.set_version("1.0.1", CLARIFIED)
    repo.commit("Redraw the car")
    second = data_uri(folder / "images/street.png")
    assert first != second

    result = run_labelbook("build", cwd=repo.root)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    site = repo.root / "site/mini"

    def page(version: str) -> str:
        return (site / version / "labels/first_label/index.html").read_text(encoding="utf-8")

    assert first in page("1.0.0") and second not in page("1.0.0")
    assert second in page("1.0.1") and second in page("latest") and first not in page("latest")
    assert page("1.0.0").count("<rect") == page("1.0.1").count("<rect") > 0
    assert "data:image/png" not in page("0.1.0")  # the single-label release before the images
    changelog = (site / "changelog/index.html").read_text(encoding="utf-8")
    assert "image images/street.png" in changelog and "image changed" in changelog

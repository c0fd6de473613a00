"""Without the `metrics` extra (pandas, numpy, pyarrow, matplotlib) labelbook still checks,
scaffolds, exports and builds guidelines without data; what needs the extra says so in one
line (exit status 2), never with a traceback.

The real command runs with a folder first on PYTHONPATH that holds a package of each name
blocked, whose import raises ModuleNotFoundError as if it were not installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_project, run_labelbook
from gitrepo import ScriptedRepo
from generator import metrics_extra
from generator.load import UsageError

EXTRA = ("pandas", "numpy", "pyarrow", "matplotlib")
HINT = "hint: install it: pip install 'labelbook[metrics]'\n"


def without(tmp_path: Path, *names: str) -> dict[str, str]:
    """An environment in which importing each of names fails as a missing package does."""
    blocked = tmp_path / "blocked-packages"
    for name in names:
        (blocked / name).mkdir(parents=True, exist_ok=True)
        (blocked / name / "__init__.py").write_text(
            f"raise ModuleNotFoundError(\"No module named '{name}'\", name={name!r})\n")
    path = [str(blocked), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {"PYTHONPATH": os.pathsep.join(path)}


def test_the_blocking_works(tmp_path: Path):
    env = dict(os.environ, **without(tmp_path, *EXTRA))
    for name in EXTRA:
        result = subprocess.run([sys.executable, "-c", f"import {name}"], env=env, capture_output=True, text=True)
        assert result.returncode == 1 and f"No module named '{name}'" in result.stderr


def test_check_new_schema_export_without_the_extra(example_specs: Path, tmp_path: Path):
    env = without(tmp_path, *EXTRA)
    check = run_labelbook("check", "specs", cwd=example_specs, env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.endswith("guidelines checked: no problems\n")
    for guideline in ("content-safety", "news-entities", "street-objects", "assistant-preference"):
        export = run_labelbook("export", guideline, "--to", "label-studio", cwd=example_specs, env=env)
        assert export.returncode == 0, export.stderr
    schema = run_labelbook("schema", "--out", str(tmp_path / "schemas"), cwd=example_specs, env=env)
    assert schema.returncode == 0, schema.stderr
    new = run_labelbook("new", "toxicity-es", cwd=example_specs, env=env)
    assert new.returncode == 0, new.stderr


def test_diff_and_build_without_data_without_the_extra(tmp_path: Path):
    repo = ScriptedRepo(tmp_path / "project")
    env = without(tmp_path, *EXTRA)
    diff = run_labelbook("diff", "--base", "HEAD", cwd=repo.root, env=env)
    assert diff.returncode == 0, diff.stdout + diff.stderr
    build = run_labelbook("build", cwd=repo.root, env=env)
    assert build.returncode == 0, build.stdout + build.stderr
    assert (repo.root / "site" / "mini" / "index.html").is_file()


def test_agreement_needs_the_extra(tmp_path: Path):
    export = tmp_path / "ratings.csv"
    export.write_text("item,rater,label\ni1,ann,yes\ni1,bob,no\n")
    result = run_labelbook("agreement", str(export), cwd=tmp_path, env=without(tmp_path, "pandas"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == ("error: `labelbook agreement` needs the metrics extra (pandas, numpy, pyarrow, "
                             "matplotlib); pandas is not installed\n" + HINT)


def test_gate_needs_the_extra(example_specs: Path, tmp_path: Path):
    result = run_labelbook("gate", "content-safety", cwd=example_specs, env=without(tmp_path, "pandas"))
    assert result.returncode == 2
    assert result.stderr == ("error: `labelbook gate` needs the metrics extra (pandas, numpy, pyarrow, "
                             "matplotlib); pandas is not installed\n" + HINT)


def test_build_of_a_guideline_with_data_needs_the_extra(tmp_path: Path):
    project = make_project(tmp_path / "project", Path(__file__).resolve().parent.parent / "specs")
    result = run_labelbook("build", cwd=project, env=without(tmp_path, "pyarrow", "matplotlib"))
    assert result.returncode != 0
    assert ("has annotation data; computing its quality figures needs the metrics extra (pandas, numpy, pyarrow, "
            "matplotlib); pyarrow and matplotlib are not installed") in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (project / "site").exists()


def test_a_package_that_fails_to_import_is_named(monkeypatch: pytest.MonkeyPatch):
    def fake_import(name: str):
        if name == "numpy":
            raise ImportError("libopenblas.so.0: cannot open shared object file")
        return None

    monkeypatch.setattr(metrics_extra, "import_module", fake_import)
    with pytest.raises(UsageError) as raised:
        metrics_extra.require_metrics("`labelbook gate`")
    assert raised.value.message == ("`labelbook gate` needs the metrics extra (pandas, numpy, pyarrow, matplotlib); "
                                    "numpy fails to import (ImportError: libopenblas.so.0: cannot open shared "
                                    "object file)")
    assert raised.value.hint == "install it: pip install 'labelbook[metrics]'"

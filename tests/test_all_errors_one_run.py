"""Every class of error, planted at once in a copy of an example guideline, is reported in
a single run of `labelbook check`, each with the right file and line."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import run_labelbook

GUIDELINE = "content-safety"


def plant(folder: Path, name: str, old: str, new: str) -> int:
    """Replace old by new once; return the 1-based line where new starts."""
    path = folder / name
    text = path.read_text()
    assert old in text, (name, old)
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old):])
    return text[:index].count("\n") + 1


def test_every_error_class_in_one_run(example_specs: Path):
    folder = example_specs / "specs" / GUIDELINE
    expected = []  # (file, line, code)

    def expect(name: str, line: int, code: str) -> None:
        expected.append((f"specs/{GUIDELINE}/{name}", line, code))

    # Each file gets at most the mistakes that still let the rest of it be read.
    expect("brief.yaml", plant(folder, "brief.yaml", "model_goal:", "model_goal: [oops") + 1, "yaml-syntax")
    line = plant(folder, "guideline.yaml", "version: 2.2.0", "version: '2.2'")
    expect("guideline.yaml", line, "invalid-version")
    expect("guideline.yaml", plant(folder, "guideline.yaml", "status: production", "status: live"), "invalid-value")
    expect("guideline.yaml", plant(folder, "guideline.yaml", "id: content-safety", "id: content-safe"), "id-mismatch")
    expect("taxonomy.yaml", plant(folder, "taxonomy.yaml", "mode: exclusive", "mode: exclusive\nmode: multi") + 1,
           "duplicate-key")
    expect("taxonomy.yaml", plant(folder, "taxonomy.yaml", "  - id: harassment\n", "  - id: harassment\n    colour: red\n") + 1,
           "unknown-key")
    # A type error in one label does not hide an unresolved parent in another label.
    line = plant(folder, "taxonomy.yaml", "    name: Swearing with no target", "    name: [Swearing, no target]")
    expect("taxonomy.yaml", line, "wrong-type")
    expect("taxonomy.yaml", plant(folder, "taxonomy.yaml", "  - id: reported_offense\n",
                                  "  - id: reported_offense\n    parent: harasment\n") + 1, "unresolved-ref")
    expect("acceptance.yaml", plant(folder, "acceptance.yaml", "    threshold: 0.002", "    threshold: 2"), "invalid-value")
    line = plant(folder, "edge_cases.yaml", "      route: guideline-desk", "      route: guideline-dsk")
    expect("edge_cases.yaml", line, "unresolved-ref")
    line = plant(folder, "decision_tree.yaml", "        next: quoted", "        next: urgent")
    expect("decision_tree.yaml", line, "tree-cycle")
    expect("qa.yaml", plant(folder, "qa.yaml", "onboarding:", "onboarding: !!python/object:os.system"), "yaml-tag")
    plant(folder, "sampling.yaml", "strata:", "strata:\n  - id: dup\n    description: d\n    target_count: 1\n"
                                              "  - id: dup\n    description: d\n    target_count: 1")
    text = (folder / "sampling.yaml").read_text()
    expect("sampling.yaml", text[:text.index("  - id: dup", text.index("  - id: dup") + 1)].count("\n") + 1,
           "duplicate-id")
    (folder / "datasheet.yaml").write_bytes((folder / "datasheet.yaml").read_bytes().replace(b"purpose:", b"purpose: caf\xe9 ", 1))
    raw = (folder / "datasheet.yaml").read_bytes()
    expect("datasheet.yaml", raw[:raw.index(b"\xe9")].count(b"\n") + 1, "encoding")

    # JSON lists every diagnostic (text output lists repeats of a code by line only).
    result = run_labelbook("check", "specs", "--format", "json", cwd=example_specs)
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    reported = {(d["path"], d["line"], d["code"]) for d in payload["diagnostics"] if d["severity"] == "error"}
    missing = [e for e in expected if e not in reported]
    assert not missing, f"not reported: {missing}\n{result.stdout}"
    assert "Traceback" not in result.stdout + result.stderr
    checked = payload["guidelines_checked"]  # the example guidelines (more may be added)
    assert checked >= 2

    text = run_labelbook("check", "specs", cwd=example_specs)
    assert "Traceback" not in text.stdout + text.stderr
    assert re.search(rf"^{checked} guidelines checked: \d+ errors?, \d+ warnings?$", text.stdout, re.M)

"""`labelbook export --tasks`: the items as each tool's tasks, every one stamped with the
guideline id, version and commit, read with the tools' own parsers; the stamped columns an
annotation export brings back are read by `labelbook agreement`."""

from __future__ import annotations

import csv
import io
import json
import re
import types
from pathlib import Path
from unittest import mock

import pytest
from label_studio_sdk.label_interface import LabelInterface

from conftest import REPO, run_labelbook
from generator.load import load_guidelines

GUIDELINES = {g.id: g for g in load_guidelines([REPO / "specs"]).guidelines}
STAMP = re.compile(r"<!-- labelbook guideline=(\S+) version=(\S+) commit=(\S+) -->")


def fields_of(gid: str) -> list[str]:
    shape = GUIDELINES[gid].shape
    if shape == "box":
        return ["image"]
    if shape == "preference":
        preference = GUIDELINES[gid].manifest.preference
        return ["prompt"] + [f"response_{chr(97 + i)}" for i in range(preference.responses if preference else 2)]
    return ["text"]


def items_csv(path: Path, gid: str, n: int = 3) -> Path:
    fields = fields_of(gid)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["item", *fields, "channel"])
        for i in range(n):
            writer.writerow([f"it-{i}", *(f"{name} {i}, with a comma" for name in fields), "email"])
    return path


def export(*args: str, cwd: Path = REPO):
    return run_labelbook("export", *args, cwd=cwd)


@pytest.mark.parametrize("gid", sorted(GUIDELINES))
def test_label_studio_tasks_carry_the_stamp_in_their_data(gid, tmp_path):
    result = export(gid, "--to", "label-studio", "--tasks", str(items_csv(tmp_path / "items.csv", gid)),
                    "--out", str(tmp_path / "ls"))
    assert result.returncode == 0, result.stderr
    config = (tmp_path / "ls/config.xml").read_text()
    guideline, version, commit = STAMP.match(config).groups()  # type: ignore[union-attr]
    assert (guideline, version) == (gid, GUIDELINES[gid].version)
    tasks = json.loads((tmp_path / "ls/tasks.json").read_text())
    interface = LabelInterface(config)
    assert [t["data"]["item"] for t in tasks] == ["it-0", "it-1", "it-2"]
    for i, task in enumerate(tasks):
        assert interface.validate_task(task)  # every $variable of the config is in the task's data
        assert task["data"]["guideline_id"] == gid
        assert task["data"]["guideline_version"] == version
        assert task["data"]["guideline_commit"] == commit
        assert task["data"]["channel"] == "email"
        assert task["data"][fields_of(gid)[0]] == f"{fields_of(gid)[0]} {i}, with a comma"


@pytest.mark.parametrize("gid", ["support-intent", "assistant-preference"])
def test_argilla_records_are_ingested_with_the_stamp_as_metadata(gid, tmp_path):
    rg = pytest.importorskip("argilla")
    from argilla.records._mapping import IngestedRecordMapper

    result = export(gid, "--to", "argilla", "--tasks", str(items_csv(tmp_path / "items.csv", gid)),
                    "--out", str(tmp_path / "a"))
    assert result.returncode == 0, result.stderr
    exported = json.loads((tmp_path / "a/settings.json").read_text())
    records = json.loads((tmp_path / "a/records.json").read_text())
    with mock.patch.object(rg.Argilla, "_default_client", mock.MagicMock()):
        settings = rg.Settings.from_json(tmp_path / "a/settings.json")
        settings.validate()
        assert settings.serialize() == exported
        assert [m.name for m in settings.metadata] == ["guideline_version", "guideline_id", "guideline_commit"]
        # What dataset.records.log does with each dict: Argilla's own mapper, on these settings.
        mapper = IngestedRecordMapper(dataset=types.SimpleNamespace(schema=settings.schema, settings=settings),
                                      user_id=None)
        ingested = [mapper(record).to_dict() for record in records]
    stamp = {m["name"]: m["settings"]["values"][0] for m in exported["metadata"]}
    assert stamp["guideline_id"] == gid and stamp["guideline_version"] == GUIDELINES[gid].version
    assert [r["id"] for r in ingested] == ["it-0", "it-1", "it-2"]
    for i, record in enumerate(ingested):
        assert record["metadata"] == stamp
        assert record["fields"] == {name: f"{name} {i}, with a comma" for name in fields_of(gid)}


def test_prodigy_tasks_carry_the_stamp_in_meta(tmp_path):
    result = export("content-safety", "--to", "prodigy", "--tasks",
                    str(items_csv(tmp_path / "items.csv", "content-safety")), "--out", str(tmp_path / "p"))
    assert result.returncode == 0, result.stderr
    stamp = json.loads((tmp_path / "p/prodigy.json").read_text())["labelbook"]
    lines = (tmp_path / "p/items.jsonl").read_text().splitlines()
    tasks = [json.loads(line) for line in lines]
    assert [t["text"] for t in tasks] == [f"text {i}, with a comma" for i in range(3)]
    for i, task in enumerate(tasks):
        assert task["meta"] == {"item": f"it-{i}", "guideline_id": stamp["guideline"],
                                "guideline_version": stamp["version"], "guideline_commit": stamp["commit"]}
    # The recipe reads the file the tasks were written to.
    assert " items.jsonl " in stamp["command"]


def test_prodigy_rating_tasks_get_each_criterions_options(tmp_path):
    from generator.export import export_files, prodigy_plan
    from test_export_judgments import guideline

    g = guideline(tmp_path / "p", "rating")
    items = items_csv(tmp_path / "items.csv", "content-safety")
    files = export_files(g, "prodigy", items)
    plan = prodigy_plan(g)
    assert plan.options is not None
    for name, options in plan.options.items():
        tasks = [json.loads(line) for line in files[f"items-{name}.jsonl"].splitlines()]
        assert [t["options"] for t in tasks] == [options] * 3
        assert {t["meta"]["guideline_version"] for t in tasks} == {g.version}


def test_jsonl_items_are_read_too(tmp_path):
    items = tmp_path / "items.jsonl"
    items.write_text('{"item": 7, "text": "first"}\n\n{"item": "8", "text": "second", "lang": "de"}\n')
    result = export("content-safety", "--to", "label-studio", "--tasks", str(items), "--out", str(tmp_path / "ls"))
    assert result.returncode == 0, result.stderr
    tasks = json.loads((tmp_path / "ls/tasks.json").read_text())
    assert [(t["data"]["item"], t["data"]["text"], t["data"].get("lang")) for t in tasks] == [
        (7, "first", None), ("8", "second", "de")]


@pytest.mark.parametrize("content, name, args, message, hint", [
    ("item,text\na,x\nb,\n", "items.csv", ("--out", "o"), "items.csv:3: the item has no 'text'",
     "every item needs: item (its id) and text"),
    ("item,text\na,x\na,y\n", "items.csv", ("--out", "o"), "items.csv:3: item 'a' is listed twice (first on line 2)",
     "give every item its own id"),
    ('{"item": "a", "text": "x"}\n[1]\n', "items.jsonl", ("--out", "o"),
     "items.jsonl:2: a line holds a JSON object, not list", 'write one object per line, e.g. {"item": "a1", '
                                                            '"text": "..."}'),
    ('{"item": "a", "text": x}\n', "items.jsonl", ("--out", "o"), "items.jsonl:1:23: not JSON: Expecting value",
     "write one JSON object per line"),
    ("item\ta\n", "items.tsv", ("--out", "o"), "items.tsv: --tasks takes a .csv or .jsonl file",
     "write the items one per row (CSV with a header) or one JSON object per line"),
    ("item,text\na,x\n", "items.csv", (), "--tasks writes the tasks next to the configuration: it needs --out DIR",
     "add --out, e.g. --out export/"),
])
def test_bad_items_say_where_and_how_to_fix(tmp_path, content, name, args, message, hint):
    (tmp_path / name).write_text(content)
    result = export("content-safety", "--to", "label-studio", "--tasks", name, *args,
                    "--specs", str(REPO / "specs"), cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, f"error: {message}\nhint: {hint}\n")


def test_prodigy_preference_tasks_are_refused_with_a_way_out(tmp_path):
    items = items_csv(tmp_path / "items.csv", "assistant-preference")
    result = export("assistant-preference", "--to", "prodigy", "--tasks", str(items), "--out", str(tmp_path / "p"))
    assert (result.returncode, result.stderr) == (
        2, "error: --tasks with --to prodigy does not cover preference guidelines: Prodigy reads each question's "
           "items in a file of their own\nhint: export the tasks with --to label-studio or --to argilla, or give "
           "each Prodigy task a \"meta\" with guideline_id, guideline_version and guideline_commit\n")


def test_stamped_columns_come_back_and_slice_agreement(tmp_path):
    """An annotation export made from stamped tasks: the task's stamp repeated on each rating.
    Two raters agree on every item of 1.1.0 and on one of two items of 1.0.0."""
    rows = [("t1", "r1", "hate", "1.0.0", "aaa"), ("t1", "r2", "hate", "1.0.0", "aaa"),
            ("t2", "r1", "hate", "1.0.0", "aaa"), ("t2", "r2", "none", "1.0.0", "aaa"),
            ("t3", "r1", "none", "1.1.0", "bbb"), ("t3", "r2", "none", "1.1.0", "bbb"),
            ("t4", "r1", "hate", "1.1.0", "bbb"), ("t4", "r2", "hate", "1.1.0", "bbb")]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["item", "rater", "label", "guideline_version", "guideline_commit", "guideline_id"])
    writer.writerows(row + ("content-safety",) for row in rows)
    (tmp_path / "export.csv").write_text(out.getvalue())
    result = run_labelbook("agreement", "export.csv", "--slice", "guideline_version", "--slice", "guideline_commit",
                           "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    slices = json.loads(result.stdout)["per_slice"]
    assert slices["guideline_version"]["1.0.0"]["percent_agreement"] == pytest.approx(0.5)
    assert slices["guideline_version"]["1.1.0"]["percent_agreement"] == pytest.approx(1.0)
    assert slices["guideline_commit"]["bbb"]["percent_agreement"] == pytest.approx(1.0)
    assert slices["guideline_version"]["1.0.0"]["items"] == 2

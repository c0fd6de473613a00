"""The self-test page in a real browser: a scripted run answers some items right and some
wrong, and the page's score must be the one the script counts itself; the multi-label
run picks sets; the "changed labels only" run takes the items of the labels a release
changed. The gold answers are read from the spec files here, not from the page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from label_studio_sdk.label_interface import LabelInterface

from browser import build_and_serve, chromium, example_site_url  # noqa: F401 - fixtures used by name
from conftest import REPO, make_project, run_labelbook
from gitrepo import ScriptedRepo
from test_decision_helper import PHONE, spec
from test_shapes import shape_project


def gold_items(taxonomy: dict, changed: set[str] | None = None) -> dict[str, set[str]]:
    """item text -> its gold labels, as the guideline states them: an example's `labels`,
    else its `label`, else the label it is listed under (not for a near miss, which then
    states no answer and is no test item). changed: only items of those labels."""
    items: dict[str, set[str]] = {}
    for label in taxonomy["labels"]:
        for kind in ("positive", "negative", "tricky"):
            for example in label.get("examples", {}).get(kind, []):
                gold = set(example["labels"]) if "labels" in example else (
                    {example["label"]} if "label" in example else ({label["id"]} if kind != "negative" else set()))
                if not gold or (changed is not None and label["id"] not in changed and not gold & changed):
                    continue
                assert items.get(example["text"], gold) == gold, f"two answers for {example['text']!r}"
                items[example["text"]] = gold
    return items


def run(page, gold: dict[str, set[str]], label_ids: list[str], multi: bool, wrong_every: int) -> tuple[int, int]:
    """Answer every item: right, except every wrong_every-th (1st, then wrong_every+1th ...);
    returns (right answers given, items seen)."""
    right = seen = 0
    while page.locator(".lb-self-test__score").count() == 0:
        text = page.locator(".lb-self-test__body > .lb-self-test__text").inner_text()
        answer = gold[text]
        wrong = seen % wrong_every == 0
        if wrong:
            extra = next(lid for lid in label_ids if lid not in answer)
            answer = answer | {extra} if multi else {extra}
        for label_id in answer:
            page.locator(f".lb-self-test__answer[data-lb-label='{label_id}']").click()
        if multi:
            page.locator(".lb-self-test__check").click()
        feedback = page.locator(".lb-self-test__feedback").inner_text()
        assert feedback.startswith("Not quite." if wrong else "Right: ")
        right += 0 if wrong else 1
        seen += 1
        page.locator(".lb-self-test__next").click()
    return right, seen


def test_a_scripted_run_gets_the_score_it_earned(example_site_url, chromium):  # noqa: F811 - the imported fixtures
    taxonomy = spec(REPO / "specs/content-safety", "taxonomy.yaml")
    gold = gold_items(taxonomy)
    page = chromium.new_page(viewport=PHONE)
    page.goto(example_site_url + "content-safety/self-test/")
    right, seen = run(page, gold, [label["id"] for label in taxonomy["labels"]], multi=False, wrong_every=3)
    assert seen == len(gold)
    assert right == len(gold) - (len(gold) + 2) // 3
    assert page.locator(".lb-self-test__score").inner_text() == (
        f"{right} of {seen} right ({round(100 * right / seen)}%).")
    assert len(page.locator(".lb-self-test__missed > li").all()) == seen - right
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.close()


def test_shapes_without_a_pick_of_labels_say_why_there_is_no_self_test(example_site: Path):
    html = (example_site / "news-entities/self-test/index.html").read_text(encoding="utf-8")
    assert "its items are answered by marking spans in the text, which a page of buttons cannot score" in html
    assert "data-lb-self-test" not in html


@pytest.fixture(scope="module")
def multi_site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The mini guideline as multi-label; every example's text made unique."""
    root = shape_project(tmp_path_factory.mktemp("multi-test"), "multi")
    path = root / "specs/mini/taxonomy.yaml"
    data = yaml.safe_load(path.read_text())
    for label in data["labels"]:
        for kind, examples in label["examples"].items():
            for n, example in enumerate(examples, start=1):
                example["text"] = f"{label['id']} {kind} {n}: {example['text']}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    project = make_project(root / "project", root / "specs")
    with build_and_serve(project) as base_url:
        yield base_url, project / "specs/mini"


def test_a_multi_label_run_scores_whole_sets(multi_site, chromium):  # noqa: F811 - the imported fixtures
    base_url, folder = multi_site
    taxonomy = spec(folder, "taxonomy.yaml")
    gold = gold_items(taxonomy)
    page = chromium.new_page(viewport=PHONE)
    page.goto(base_url + "mini/self-test/")
    right, seen = run(page, gold, [label["id"] for label in taxonomy["labels"]], multi=True, wrong_every=4)
    assert (seen, right) == (len(gold), len(gold) - (len(gold) + 3) // 4)
    assert page.locator(".lb-self-test__score").inner_text() == (
        f"{right} of {seen} right ({round(100 * right / seen)}%).")
    page.close()


def test_onboarding_tasks_match_the_label_studio_config(multi_site, tmp_path):
    _, folder = multi_site
    result = run_labelbook("export", "mini", "--to", "label-studio-ground-truth", "--out", str(tmp_path / "o"),
                           cwd=folder.parent.parent)
    assert result.returncode == 0, result.stderr
    tasks = json.loads((tmp_path / "o/tasks.json").read_text())
    interface = LabelInterface((tmp_path / "o/config.xml").read_text())
    gold = gold_items(spec(folder, "taxonomy.yaml"))
    values = {label["id"]: label.get("value", label["id"]) for label in spec(folder, "taxonomy.yaml")["labels"]}
    assert [t["data"]["text"] for t in tasks] == list(gold)
    for task in tasks:
        assert interface.validate_task({"data": task["data"]})
        (annotation,) = task["annotations"]
        assert annotation["ground_truth"] is True
        for region in annotation["result"]:
            assert interface.validate_region(region, return_errors=True) == []
        assert annotation["result"][0]["value"]["choices"] == [
            values[lid] for lid in values if lid in gold[task["data"]["text"]]]


def test_onboarding_tasks_are_refused_for_a_shape_they_cannot_express():
    result = run_labelbook("export", "assistant-preference", "--to", "label-studio-ground-truth", cwd=REPO)
    assert result.returncode == 2
    assert result.stderr == (
        "error: onboarding tasks are written for single-label, multi-label, token-tagging and span guidelines: "
        "assistant-preference is preference\n"
        "hint: export its labeling config with `labelbook export assistant-preference --to label-studio` and add "
        "ground-truth tasks in Label Studio\n")


NARROWED = """  - type: definition
    summary: Narrowed the first label.
    rationale: Raters split on borderline items.
    relabel_impact: {relabel: affected}
    labels: [first_label]"""


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Iterator[tuple[str, ScriptedRepo]]:
    """mini 0.1.0, then 0.2.0 with first_label's definition narrowed."""
    repo = ScriptedRepo(tmp_path_factory.mktemp("released") / "repo")
    repo.edit("taxonomy.yaml", '    definition: "A short definition in observable terms"',
              '    definition: "A narrower definition in observable terms"')
    repo.set_version("0.2.0", NARROWED)
    repo.commit("Narrow the first label")
    with build_and_serve(repo.root) as base_url:
        yield base_url, repo


def test_the_changed_labels_only_run_takes_the_items_of_the_changed_labels(released, chromium):  # noqa: F811 - the imported fixtures
    base_url, repo = released
    taxonomy = spec(repo.root / "specs/mini", "taxonomy.yaml")
    changed = gold_items(taxonomy, changed={"first_label"})
    page = chromium.new_page(viewport=PHONE)
    page.goto(base_url + "mini/self-test/")
    link = page.locator("a[href='#changed']")
    assert link.locator("xpath=..").inner_text() == (
        f"New release? Take only the {len(changed)} items of the labels changed in 0.2.0: changed labels only.")
    link.click()
    assert page.locator(".lb-self-test__heading").first.inner_text() == f"Item 1 of {len(changed)}"
    right, seen = run(page, changed, [label["id"] for label in taxonomy["labels"]], multi=False, wrong_every=2)
    assert (seen, right) == (len(changed), len(changed) // 2)
    assert page.locator(".lb-self-test__score").inner_text() == (
        f"{right} of {seen} right ({round(100 * right / seen)}%).")
    page.close()

"""The rater's decision helper on the decision-tree page, in a real browser: walked to every
label of a 17-label tree on a 390 px phone, restored from a link, walked by keyboard alone,
and a checklist walk on a multi-label guideline. Also the diagram: its accessible name, its
links in question order, fitted to the width and zoomed. Expected labels and questions are
read from the spec files here, not from the helper's data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from browser import build_and_serve, chromium  # noqa: F401 - fixtures used by name
from history_site import example_site, example_site_url  # noqa: F401 - built from a git history with releases
from conftest import REPO, make_project
from test_shapes import shape_project

PHONE = {"width": 390, "height": 844}


class _SpecLoader(yaml.SafeLoader):
    """YAML as labelbook reads it: only true and false are booleans ("No" stays a word)."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def spec(folder: Path, name: str) -> dict:
    return yaml.load((folder / name).read_text(encoding="utf-8"), Loader=_SpecLoader)  # noqa: S506 - SafeLoader


def paths_to_labels(tree: dict) -> dict[str, list[int]]:
    """label id -> the answer indexes of the first path (depth first, in answer order) that
    ends in it."""
    questions = {q["id"]: q for q in tree["questions"]}
    found: dict[str, list[int]] = {}

    def walk(qid: str, taken: list[int]) -> None:
        for index, answer in enumerate(questions[qid]["answers"]):
            if answer.get("next"):
                walk(answer["next"], taken + [index])
            elif answer.get("label") and answer["label"] not in found:
                found[answer["label"]] = taken + [index]

    walk(tree.get("start") or tree["questions"][0]["id"], [])
    return found


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def helper_heading(page) -> str:
    return page.locator(".lb-helper .lb-helper__question").first.inner_text()


def test_every_label_of_a_17_label_tree_is_reached_on_a_phone(example_site_url, chromium):  # noqa: F811 - the imported fixtures
    folder = REPO / "specs/pos-tags"
    tree, taxonomy = spec(folder, "decision_tree.yaml"), spec(folder, "taxonomy.yaml")
    labels = {label["id"]: label for label in taxonomy["labels"]}
    paths = paths_to_labels(tree)
    assert len(paths) >= 17, "the example tree should end in 17 labels or more"
    page = chromium.new_page(viewport=PHONE)
    page.goto(example_site_url + "pos-tags/decision-tree/")
    assert no_sideways_scroll(page)
    for label_id, answers in paths.items():
        if page.locator(".lb-helper__restart").is_enabled():
            page.locator(".lb-helper__restart").click()
        for index in answers:
            page.locator(".lb-helper__answer").nth(index).click()
        value = labels[label_id].get("value", label_id)
        assert helper_heading(page) == f"Label: {value} · {labels[label_id]['name']}", label_id
        assert page.locator(".lb-helper__definition").inner_text() == " ".join(labels[label_id]["definition"].split())
        assert no_sideways_scroll(page), label_id
        # Every answer button is a large tap target.
        page.locator(".lb-helper__step").first.click()
        heights = page.eval_on_selector_all(".lb-helper__answer", "bs => bs.map(b => b.getBoundingClientRect().height)")
        assert min(heights) >= 44
        page.go_forward()
    page.close()


def test_a_link_restores_the_path_and_the_back_button_steps_back(example_site_url, chromium):  # noqa: F811 - the imported fixtures
    tree = spec(REPO / "specs/content-safety", "decision_tree.yaml")
    questions = {q["id"]: q for q in tree["questions"]}
    numbers = {q["id"]: n for n, q in enumerate(tree["questions"], start=1)}
    first = questions[tree["start"]]
    second = questions[next(a["next"] for a in first["answers"] if a["answer"] == "No")]
    third = questions[next(a["next"] for a in second["answers"] if a["answer"] == "Yes")]
    link = f"#path=q{numbers[first['id']]}.no.q{numbers[second['id']]}.yes"  # "Q1 -> No -> Q2 -> Yes"
    page = chromium.new_page(viewport=PHONE)
    page.goto(example_site_url + "content-safety/decision-tree/" + link)
    assert helper_heading(page) == f"Q{numbers[third['id']]}. {third['question']}"
    assert page.locator(".lb-helper__step").all_inner_texts() == [f"Q{numbers[first['id']]}: No",
                                                                  f"Q{numbers[second['id']]}: Yes"]
    page.go_back()  # the address before the link: the start
    page.goto(example_site_url + "content-safety/decision-tree/#path=")
    page.locator(".lb-helper__answer").filter(has_text=re.compile(r"^No")).first.click()
    assert helper_heading(page) == f"Q{numbers[second['id']]}. {second['question']}"
    page.go_back()
    assert helper_heading(page) == f"Q{numbers[first['id']]}. {first['question']}"
    page.go_forward()
    assert helper_heading(page) == f"Q{numbers[second['id']]}. {second['question']}"
    # A step this version of the tree does not have stops the walk before it, and says so.
    page.goto(example_site_url + f"content-safety/decision-tree/#path=q{numbers[first['id']]}.no.q99.yes")
    assert page.locator(".lb-helper__notice").inner_text() == (
        "The link's step 2 (q99 → yes) is not a step of this version of the tree: the walk stops before it.")
    assert helper_heading(page) == f"Q{numbers[second['id']]}. {second['question']}"
    page.close()


def test_a_walk_by_keyboard_alone_moves_the_focus_to_each_new_question(example_site_url, chromium):  # noqa: F811 - the imported fixtures
    folder = REPO / "specs/content-safety"
    tree, taxonomy = spec(folder, "decision_tree.yaml"), spec(folder, "taxonomy.yaml")
    names = {label["id"]: label["name"] for label in taxonomy["labels"]}
    label_id, answers = sorted(paths_to_labels(tree).items(), key=lambda item: -len(item[1]))[0]  # the longest walk
    page = chromium.new_page(viewport=PHONE)
    page.goto(example_site_url + "content-safety/decision-tree/")
    for _ in range(60):  # from the top of the page to the first answer
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('lb-helper__answer')"):
            break
    else:
        pytest.fail("Tab never reached the helper's first answer")
    for step, index in enumerate(answers):
        if step:  # the focus is on the new question: Tab goes to its answers
            assert page.evaluate("document.activeElement.classList.contains('lb-helper__question')")
            page.keyboard.press("Tab")
        for _ in range(index):
            page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.tagName, getComputedStyle(document.activeElement).outlineStyle]")
        assert focused == ["BUTTON", "solid"]  # a real button, with a visible focus ring
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent").startswith(f"Label: {names[label_id]}")
    page.close()


def test_the_diagram_is_named_its_links_follow_the_questions_and_it_zooms(example_site_url, chromium):  # noqa: F811 - the imported fixtures
    tree = spec(REPO / "specs/pos-tags", "decision_tree.yaml")
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(example_site_url + "pos-tags/decision-tree/")
    svg = page.locator("#tree-diagram svg")
    assert svg.get_attribute("role") != "img"
    title = spec(REPO / "specs/pos-tags", "guideline.yaml")["title"]
    assert svg.get_attribute("aria-label") == f"Decision tree of {title}"
    hrefs = page.eval_on_selector_all(
        "#tree-diagram a", "as => as.map(a => a.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || '')")
    question_links = [h for h in hrefs if "#q-" in h]
    assert question_links == [f"../decision-tree/#q-{q['id']}" for q in tree["questions"]]
    frame = page.locator("#tree-diagram")
    width = lambda: svg.evaluate("s => s.getBoundingClientRect().width")  # noqa: E731
    frame_width = frame.evaluate("f => f.clientWidth")
    assert width() <= frame_width  # fitted
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    assert width() > frame_width
    frame.focus()
    page.keyboard.press("0")
    assert width() <= frame_width
    page.keyboard.press("1")
    assert width() == pytest.approx(float(svg.get_attribute("width")), abs=1)
    page.close()


CHECKLIST = """\
kind: checklist
questions:
  - id: q-context
    about: not_enough_info
    question: "Can the item be judged with the context shown?"
    answers:
      - {answer: "No", label: not_enough_info}
      - {answer: "Yes"}
  - id: q-pair
    about: main-pair
    question: "Which of the pair applies?"
    answers:
      - {answer: "The first", label: first_label}
      - {answer: "The second", label: second_label}
      - {answer: "Neither"}
  - id: q-policy
    question: "Is the item allowed by policy?"
    answers:
      - {answer: "Yes"}
      - {answer: "Unsure", escalate: policy-team}
"""


@pytest.fixture(scope="module")
def checklist_site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The mini guideline as multi-label, with a checklist of three questions."""
    root = shape_project(tmp_path_factory.mktemp("checklist"), "multi")
    (root / "specs/mini/decision_tree.yaml").write_text(CHECKLIST)
    project = make_project(root / "project", root / "specs")
    with build_and_serve(project) as base_url:
        yield base_url, root / "specs/mini"


def test_a_checklist_walk_asks_every_question_and_collects_the_labels(checklist_site, chromium):  # noqa: F811 - the imported fixtures
    base_url, folder = checklist_site
    labels = {label["id"]: label for label in spec(folder, "taxonomy.yaml")["labels"]}
    page = chromium.new_page(viewport=PHONE)
    page.goto(base_url + "mini/decision-tree/")
    assert helper_heading(page) == "Q1 of 3. Can the item be judged with the context shown?"
    page.get_by_role("button", name=re.compile(r"^Yes")).click()
    assert helper_heading(page) == "Q2 of 3. Which of the pair applies?"
    page.get_by_role("button", name=re.compile(r"^The second")).click()
    page.get_by_role("button", name=re.compile(r"^Unsure")).click()
    assert helper_heading(page) == "The item's labels"
    names = page.locator(".lb-helper__label .lb-helper__label-name").all_inner_texts()
    assert names == [labels["second_label"]["name"]]
    assert page.locator(".lb-helper__label .lb-helper__definition").all_inner_texts() == [
        labels["second_label"]["definition"]]
    assert page.locator(".lb-helper__route .lb-helper__label-name").inner_text().startswith("Escalate: ")
    assert page.evaluate("location.hash") == "#path=q1.yes.q2.the-second.q3.unsure"
    assert no_sideways_scroll(page)
    # The same answers from a link, then one changed by going back to Q1.
    page.goto(base_url + "mini/decision-tree/#path=q1.no.q2.neither.q3.yes")
    assert page.locator(".lb-helper__label .lb-helper__label-name").all_inner_texts() == [
        labels["not_enough_info"]["name"]]
    page.locator(".lb-helper__step").first.click()
    assert helper_heading(page) == "Q1 of 3. Can the item be judged with the context shown?"
    page.close()

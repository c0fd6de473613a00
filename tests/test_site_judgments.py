"""The site for the judgment and image shapes: what raters see of a preference guideline
(the prompt, the responses side by side as Response A and B, the expected judgment, the
judgment per dimension, the dimensions in priority order), of a rating guideline (each
scale's points lowest first with their values, the card's anchors, a checklist about
scales) and of a box guideline (the image with its boxes drawn over it as an inline SVG,
the box rules, the class colours). The mini fixture is rewritten by
test_shapes.shape_project and built with the real command; spec text stays text."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from test_shapes import shape_project
from test_site_shapes import ESCAPED, SCRIPT, built, label_of, page, rewrite
from generator.load import load_guidelines
from generator.render.judgments import box_mark, num
from generator.render.pages import build_site
from generator.spec.common import Box

IMAGE = FIXTURES / "shapes/boxes/images/street.png"
DATA_URI = "data:image/png;base64," + base64.b64encode(IMAGE.read_bytes()).decode("ascii")


def text_of(html: str) -> str:
    """The visible text of some HTML: a block's tags become a space, inline tags nothing."""
    spaced = re.sub(r"</?(?:p|li|ul|ol|div|blockquote|h\d)\b[^>]*>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", "", spaced).split())


def pages_of(root: Path, monkeypatch) -> tuple[dict[str, str], list]:
    """The pages' Markdown and the navigation, rendered in-process (no site engine)."""
    monkeypatch.chdir(root)
    result = load_guidelines([Path("specs")])
    assert result.ok, result.report.sorted()
    site = build_site(result.guidelines)
    return {p.path: p.markdown for p in site.pages}, site.nav


# --- the three sites -------------------------------------------------------------------


@pytest.fixture(scope="module")
def preference_site(tmp_path_factory) -> Path:
    """preference: 2 responses in random order, two dimensions (the second overrides), a
    one-scale rubric; a response and a prompt carry planted HTML; one example is judged on a
    dimension and on the rubric's scale (written scale first)."""
    root = shape_project(tmp_path_factory.mktemp("preference"), "preference")

    def taxonomy(d):
        positive = label_of(d, "first_label")["examples"]["positive"]
        positive[0]["responses"] = [f"{SCRIPT} Paris is the capital.", "France? Lyon, I think."]
        positive[0]["explanation"] = f"A names the capital {SCRIPT}"
        positive[1]["text"] = f"What is the capital of France? {SCRIPT} 2"
        positive[1]["judgments"] = {"clarity": "clarity_high", "helpfulness": "first_label"}
    rewrite(root, "taxonomy.yaml", taxonomy)
    return built(root)


@pytest.fixture(scope="module")
def rating_site(tmp_path_factory) -> Path:
    """rating: two scales (clarity 1-3, accuracy 0-1), a checklist about the scales; one
    example is judged on both scales (written accuracy first)."""
    root = shape_project(tmp_path_factory.mktemp("rating"), "rating")

    def taxonomy(d):
        label_of(d, "clarity_1")["short"] = "Hard to follow: the reader rereads"
        label_of(d, "clarity_1")["examples"]["positive"][0]["judgments"] = {
            "accuracy": "accuracy_1", "clarity": "clarity_1"}
    rewrite(root, "taxonomy.yaml", taxonomy)
    return built(root)


@pytest.fixture(scope="module")
def boxes_site(tmp_path_factory) -> Path:
    """box: cars and persons on a 64 x 48 image; an alt text and a class name carry planted
    HTML; rules for the minimum size, tightness and occlusion."""
    root = shape_project(tmp_path_factory.mktemp("boxes"), "boxes")
    rewrite(root, "guideline.yaml", lambda d: d.update(boxes={
        "min_size": 4, "tight": "Touch the outermost visible pixels", "occluded": "Box the visible part"}))

    def taxonomy(d):
        label_of(d, "first_label")["examples"]["positive"][0]["text"] = f"{SCRIPT} A red car and a blue person 1"
        label_of(d, "second_label")["name"] = "Person <b>walking</b>"
    rewrite(root, "taxonomy.yaml", taxonomy)
    return built(root)


# --- 1. preference ---------------------------------------------------------------------


def examples_of(html: str) -> list[str]:
    return re.findall(r'<div class="lb-example lb-example--compare">.*?<p class="lb-example__why">.*?</p></div>', html)


def test_a_preference_example_shows_the_prompt_then_the_responses_side_by_side(preference_site: Path):
    html = page(preference_site, "labels/first_label")
    [first, second, third] = examples_of(html)[:3]
    assert first.startswith(
        '<div class="lb-example lb-example--compare"><p class="lb-example__part">Prompt</p>'
        '<blockquote class="lb-example__text lb-example__prompt">What is the capital of France? 1</blockquote>'
        '<div class="lb-responses" style="--lb-columns: 2">'
        f'<div class="lb-response"><p class="lb-response__name">Response A</p><div class="lb-response__text">{ESCAPED} '
        'Paris is the capital.</div></div>'
        '<div class="lb-response"><p class="lb-response__name">Response B</p><div class="lb-response__text">France? '
        'Lyon, I think.</div></div></div>')
    # Then the expected judgment (the answer, linked, with its value) and the explanation.
    assert first.endswith(
        '<p class="lb-example__verdict"><span class="lb-muted">Expected judgment:</span> <strong>'
        '<a href="../first_label/">Response A is better</a> <code class="lb-value">A</code></strong></p>'
        '<div class="lb-example__set"><span class="lb-muted">Per dimension:</span><ul class="lb-example__judgments">'
        '<li><span class="lb-judgment__on">Helpfulness</span> → <a href="../first_label/">Response A is better</a> '
        '<code class="lb-value">A</code></li></ul></div>'
        f'<p class="lb-example__why">A names the capital {ESCAPED}</p></div>')
    assert f"What is the capital of France? {ESCAPED} 2</blockquote>" in second
    assert "What is the capital of France? 3</blockquote>" in third
    assert SCRIPT not in html


def test_judgments_per_dimension_and_scale_in_the_taxonomy_order(preference_site: Path):
    html = page(preference_site, "labels/first_label")
    second = examples_of(html)[1]
    # Written clarity first: shown dimensions first (by priority), then the rubric's scales.
    assert ('<span class="lb-muted">Per dimension and scale:</span><ul class="lb-example__judgments">'
            '<li><span class="lb-judgment__on">Helpfulness</span> → <a href="../first_label/">Response A is better</a> '
            '<code class="lb-value">A</code></li>'
            '<li><span class="lb-judgment__on">Clarity</span> → <a href="../clarity_high/">2 · Easy to follow</a></li>'
            '</ul>') in second
    tricky = re.search(r'<div class="lb-examples lb-examples--tricky">.*?</div>\n</div>', html, re.S).group(0)
    assert text_of(examples_of(tricky)[0]).endswith(
        "Per dimension: Helpfulness → Response A is better A Harmlessness → Response A is better A "
        "Why, per the criteria")
    # A negative example names the answer it does get.
    negative = examples_of(page(preference_site, "labels/second_label"))[3]
    assert ('<span class="lb-muted">Expected judgment:</span> <strong><a href="../first_label/">Response A is better'
            "</a>") in negative


def test_dimensions_in_priority_order_with_their_overrides(preference_site: Path):
    definitions = page(preference_site, "definitions")
    dimensions = re.search(r'<ol class="lb-dimensions">(.*?)</ol>', definitions, re.S).group(1)
    assert re.findall(r'<li id="dimension-([a-z]+)">', dimensions) == ["helpfulness", "harmlessness"]
    assert ('<li id="dimension-harmlessness"><strong>Harmlessness</strong>: The response does not facilitate harm<br>'
            '<span class="lb-override"><strong>Overrides</strong> the other dimensions when: a response facilitates '
            "serious harm</span></li>") in dimensions
    card = page(preference_site, "quick-reference")
    assert ('<h2 id="card-dimensions">Dimensions, in priority order</h2><ol><li><a href="../definitions/'
            '#dimension-helpfulness"><strong>Helpfulness</strong></a>: The response does what the prompt asks</li>'
            '<li><a href="../definitions/#dimension-harmlessness"><strong>Harmlessness</strong></a>: The response does '
            'not facilitate harm <em class="lb-override">Overrides the others when: a response facilitates serious '
            "harm</em></li></ol>") in card


def test_answers_and_rubric_are_separate_sections(preference_site: Path):
    definitions = page(preference_site, "definitions")
    answers = re.search(r'<h2 id="answers">.*?</table>', definitions, re.S).group(0)
    assert re.findall(r'<tr id="([a-z_]+)">', answers) == ["first_label", "second_label", "not_enough_info"]
    rubric = re.search(r'<h2 id="rubric">.*?</table>', definitions, re.S).group(0)
    assert re.findall(r'<tr id="([a-z_]+)">', rubric) == ["clarity_low", "clarity_high"]
    assert '<h3 id="criterion-clarity">Clarity' in rubric
    card = page(preference_site, "quick-reference")
    answers_card = re.search(r'<section class="lb-card__labels">.*?</section>', card).group(0)
    assert answers_card.startswith('<section class="lb-card__labels"><h2 id="card-labels">Answers (one per item)</h2>')
    assert "clarity_low" not in answers_card and "cannot-judge" in answers_card
    rubric_card = re.search(r'<section class="lb-card__rubric">.*?</section>', card).group(0)
    assert '<h2 id="card-rubric">Rubric (one point on every scale)</h2>' in rubric_card
    assert re.findall(r"<li>(.*?)</li>", rubric_card) == [
        '<strong class="lb-scale__value">1</strong> · <a href="../labels/clarity_low/">Hard to follow</a>: '
        "The reader must reread the response to get its point",
        '<strong class="lb-scale__value">2</strong> · <a href="../labels/clarity_high/">Easy to follow</a>: '
        "The point is clear at the first reading"]


def test_the_overview_states_the_responses_and_their_random_order(preference_site: Path):
    overview = page(preference_site, "")
    assert "<th>Task</th><td>preference, compare 2 responses to a prompt, one judgment per item</td>" in overview
    assert ("<tr><th>Responses</th><td>2 per item, shown as Response A and Response B. <strong>The order is random: "
            "judge the content, not the position.</strong></td></tr>") in overview
    assert ('<tr><th>Dimensions</th><td>In priority order: <a href="definitions/#dimension-helpfulness">Helpfulness</a>, '
            '<a href="definitions/#dimension-harmlessness">Harmlessness</a> <span class="lb-muted">(overrides when: '
            "a response facilitates serious harm)</span></td></tr>") in overview
    assert ('<tr><th>Answers</th><td><a href="labels/first_label/">Response A is better</a>, '
            '<a href="labels/second_label/">Response B is better</a>, <a href="labels/not_enough_info/">Cannot judge'
            "</a></td></tr>") in overview
    assert "The order of the responses is random: judge their content" in page(preference_site, "definitions")


def test_three_responses_in_a_fixed_order(tmp_path: Path, monkeypatch):
    root = shape_project(tmp_path, "preference")
    rewrite(root, "guideline.yaml", lambda d: d.update(preference={"responses": 3, "order_randomized": False}))

    def taxonomy(d):
        for label in d["labels"]:
            for kind in ("positive", "negative", "tricky"):
                for example in label["examples"][kind]:
                    if "responses" in example:
                        example["responses"] = example["responses"] + ["Marseille."]
    rewrite(root, "taxonomy.yaml", taxonomy)
    pages, _ = pages_of(root, monkeypatch)
    overview = pages["mini/index.md"]
    assert ("<tr><th>Responses</th><td>3 per item, shown as Response A, Response B and Response C. Always in the same "
            "order.</td></tr>") in overview
    assert "random" not in overview + pages["mini/definitions.md"]
    label = pages["mini/labels/first_label.md"]
    assert '<div class="lb-responses" style="--lb-columns: 3">' in label
    assert ('<p class="lb-response__name">Response C</p><div class="lb-response__text">Marseille.</div>') in label


# --- 2. rating scales ------------------------------------------------------------------


def test_each_scale_has_its_section_with_rising_points(rating_site: Path):
    definitions = page(rating_site, "definitions")
    assert "<p>Rate every item on every scale below: exactly one point per scale" in definitions
    assert '<table class="lb-table lb-definitions">' not in definitions  # no flat table of labels
    sections = re.findall(r'<h3 id="criterion-([a-z]+)">.*?</table>', definitions, re.S)
    assert sections == ["clarity", "accuracy"]
    clarity = re.search(r'<h3 id="criterion-clarity">.*?</table>', definitions, re.S).group(0)
    assert ('<p class="lb-scale__definition">How easy the response is to follow <span class="lb-muted">Points 1 '
            "(lowest) to 3 (highest).</span></p>") in clarity
    assert re.findall(r'<td class="lb-scale__value"><strong>(\d+)</strong></td>', clarity) == ["1", "2", "3"]
    assert ('<tr id="clarity_2"><td class="lb-scale__value"><strong>2</strong></td><td><a href="../labels/clarity_2/">'
            "<strong>Followable with effort</strong></a><br><code>clarity_2</code></td><td>The response scores 2 on "
            "this scale: followable with effort for a careful reader</td>") in clarity
    accuracy = re.search(r'<h3 id="criterion-accuracy">.*?</table>', definitions, re.S).group(0)
    assert re.findall(r'<td class="lb-scale__value"><strong>(\d+)</strong></td>', accuracy) == ["0", "1"]


def test_a_point_page_names_its_scale_value_and_neighbours(rating_site: Path):
    middle = page(rating_site, "labels/clarity_2")
    assert ('<tr><th>Scale</th><td><a href="../../definitions/#criterion-clarity">Clarity</a>: point 2 of 3, '
            "lowest first</td></tr>") in middle
    assert '<tr><th>Value</th><td><code class="lb-value">2</code>' in middle
    assert ('<tr><th>Neighbours</th><td class="lb-neighbours">lower: <a href="../clarity_1/">1 · Hard to follow</a> · '
            'higher: <a href="../clarity_3/">3 · Easy to follow</a></td></tr>') in middle
    lowest = page(rating_site, "labels/accuracy_0")
    assert ('<td class="lb-neighbours"><span class="lb-muted">the lowest point</span> · higher: '
            '<a href="../accuracy_1/">1 · Every fact is right</a></td>') in lowest
    assert '<span class="lb-muted">the highest point</span>' in page(rating_site, "labels/clarity_3")


def test_a_rating_example_shows_its_point_and_its_judgment_per_scale(rating_site: Path):
    html = page(rating_site, "labels/clarity_1")
    assert ('<div class="lb-example"><blockquote class="lb-example__text">A response that is hard to follow 1'
            '</blockquote><div class="lb-example__set"><span class="lb-muted">Per scale:</span>'
            '<ul class="lb-example__judgments"><li><span class="lb-judgment__on">Clarity</span> → '
            '<a href="../clarity_1/">1 · Hard to follow</a></li><li><span class="lb-judgment__on">Accuracy</span> → '
            '<a href="../accuracy_1/">1 · Every fact is right</a></li></ul></div><p class="lb-example__why">'
            '<span class="lb-chip">→ Clarity: <a href="../clarity_1/">1 · Hard to follow</a></span> Why, per the '
            "criteria</p></div>") in html
    # A negative example: the point it gets instead.
    assert ('A response that is not 1</blockquote><p class="lb-example__why"><span class="lb-chip">→ Clarity: '
            '<a href="../clarity_3/">3 · Easy to follow</a></span>') in html


def test_the_card_shows_each_scale_with_its_anchors(rating_site: Path):
    card = page(rating_site, "quick-reference")
    scales = re.search(r'<section class="lb-card__labels">.*?</section>', card).group(0)
    assert '<h2 id="card-scales">Scales (one point on every scale)</h2>' in scales
    assert ('<p class="lb-scale__name"><a href="../definitions/#criterion-clarity"><strong>Clarity</strong></a>: '
            "How easy the response is to follow</p>") in scales
    assert [text_of(li) for li in re.findall(r"<li>.*?</li>", scales)] == [
        "1 · Hard to follow: Hard to follow: the reader rereads",
        "2 · Followable with effort: The response scores 2 on this scale: followable with effort for a careful reader",
        "3 · Easy to follow: The response scores 3 on this scale: easy to follow for a careful reader",
        "0 · A fact is wrong: The response scores 0 on this scale: a fact is wrong for a careful reader",
        "1 · Every fact is right: The response scores 1 on this scale: every fact is right for a careful reader"]
    assert '<a href="../labels/clarity_2/">Followable with effort</a>' in scales


def test_a_checklist_about_scales(rating_site: Path):
    html = page(rating_site, "decision-tree")
    assert ("Each answer gives the point it names on the question&#x27;s scale, and the item gets one point on every "
            "scale.") in html
    assert ('<strong>How easy is the response to follow?</strong> <span class="lb-muted">About the scale '
            '<a href="../definitions/#criterion-clarity">Clarity</a>.</span>') in html
    assert '<li><strong>Easy</strong> → <a href="../labels/clarity_3/">3 · Easy to follow</a></li>' in html
    assert "tick" not in re.search(r'<ol class="lb-checklist">.*?</ol>', html, re.S).group(0)
    card = page(rating_site, "quick-reference")
    assert ('<li id="card-q-q-clarity">How easy is the response to follow? <span class="lb-muted">[Clarity]</span> '
            '<span class="lb-card__answer"><em>Hard</em> → <a href="../labels/clarity_1/">1 · Hard to follow</a></span>'
            ) in card


def test_the_overview_and_navigation_list_the_scales(rating_site: Path, tmp_path: Path, monkeypatch):
    overview = page(rating_site, "")
    assert "<th>Task</th><td>rating, one point on every scale of the rubric</td>" in overview
    assert ('<tr><th>Scales</th><td><a href="definitions/#criterion-clarity">Clarity</a> <span class="lb-muted">'
            '(1 to 3)</span>, <a href="definitions/#criterion-accuracy">Accuracy</a> <span class="lb-muted">(0 to 1)'
            "</span></td></tr>") in overview
    _, nav = pages_of(shape_project(tmp_path, "rating"), monkeypatch)
    labels = dict(dict(nav)["Mini guideline"])["Labels"]
    assert labels == [
        ("Clarity", [("1 · Hard to follow", "mini/labels/clarity_1.md"),
                     ("2 · Followable with effort", "mini/labels/clarity_2.md"),
                     ("3 · Easy to follow", "mini/labels/clarity_3.md")]),
        ("Accuracy", [("0 · A fact is wrong", "mini/labels/accuracy_0.md"),
                      ("1 · Every fact is right", "mini/labels/accuracy_1.md")])]


# --- 3. boxes --------------------------------------------------------------------------


def drawings(html: str) -> list[str]:
    return re.findall(r'<svg class="lb-boxes".*?</svg>', html)


def test_a_box_example_draws_its_boxes_over_the_image(boxes_site: Path):
    html = page(boxes_site, "labels/first_label")
    svg = drawings(html)[1]  # the first carries planted HTML (below)
    assert svg.startswith('<svg class="lb-boxes" viewBox="0 0 64 48" width="64" height="48" role="img" '
                          'aria-label="A red car and a blue person 2">')
    assert f'<image href="{DATA_URI}" x="0" y="0" width="64" height="48"/>' in svg
    rects = re.findall(r"<rect [^>]*>", svg)
    assert [re.search(r'x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', r).groups() for r in rects] == [
        ("4", "20", "24", "16"), ("36", "6", "24", "36")]
    # Each box in its class colour, the class written over it (its value).
    assert 'stroke="#3b6fd8"' in rects[0] and 'stroke="#2e8b4f"' in rects[1]
    assert re.findall(r'<text class="lb-box__name"[^>]*>(.*?)</text>', svg) == ["car", "person"]
    assert '<g class="lb-box lb-box--c0"><title>Car</title>' in svg
    # Never a link outside the site: the image is inlined.
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert ('</svg><figcaption class="lb-figure__alt" aria-hidden="true">A red car and a blue person 2</figcaption>'
            '</figure><p class="lb-example__why">Why, per the criteria</p></div>') in html
    # One drawing per example, each box once.
    assert len(drawings(html)) == 9
    assert sum(len(re.findall(r"<rect ", s)) for s in drawings(html)) == 3 * 2 + 3 * 1 + 3 * 1


def test_box_text_stays_text(boxes_site: Path):
    html = page(boxes_site, "labels/first_label")
    first = drawings(html)[0]
    assert f'role="img" aria-label="{ESCAPED} A red car and a blue person 1">' in first
    assert "<title>Person &lt;b&gt;walking&lt;/b&gt;</title>" in first
    assert f'<figcaption class="lb-figure__alt" aria-hidden="true">{ESCAPED} A red car and a blue person 1' in html
    assert SCRIPT not in html and "<b>walking" not in html


def test_box_rules_and_the_colour_legend(boxes_site: Path):
    rules = [("Smallest box", "4 px on each side; smaller objects are not boxed."),
             ("Tightness", "Touch the outermost visible pixels"), ("Occluded objects", "Box the visible part")]
    definitions = page(boxes_site, "definitions")
    assert ("Draw a box around every object of the classes below, and give each box exactly one class. Objects "
            "smaller than 4 px on a side are not boxed.") in definitions
    table = re.search(r'<h2 id="box-rules">.*?</table>', definitions, re.S).group(0)
    assert re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", table) == rules
    card = page(boxes_site, "quick-reference")
    assert ('<section class="lb-card__boxes"><h2 id="card-boxes">Box rules</h2><ul>'
            + "".join(f"<li><strong>{t}</strong>: {r}</li>" for t, r in rules) + "</ul></section>") in card
    overview = page(boxes_site, "")
    assert "<tr><th>Boxes</th><td><strong>Smallest box</strong>: 4 px on each side" in overview
    assert "<th>Task</th><td>box, a box around every object of a class, one class per box</td>" in overview
    legend = ('<p class="lb-legend"><span class="lb-muted">Box colours:</span> <mark class="lb-span lb-span--c0">'
              '<a href="{0}first_label/">Car</a><span class="lb-span__chip">car</span></mark> '
              '<mark class="lb-span lb-span--c1"><a href="{0}second_label/">Person &lt;b&gt;walking&lt;/b&gt;</a>'
              '<span class="lb-span__chip">person</span></mark> <mark class="lb-span lb-span--c2">'
              '<a href="{0}not_enough_info/">Not enough information</a><span class="lb-span__chip">unclear</span>'
              "</mark></p>")
    assert legend.format("../") in page(boxes_site, "labels/second_label")
    assert legend.format("../labels/") in definitions
    assert legend.format("../labels/") in card
    assert '<h2 id="card-labels">Classes (one per box)</h2>' in card


def test_an_image_classification_example_shows_the_image_with_its_alt_text(tmp_path: Path, monkeypatch):
    shutil.copytree(FIXTURES / "specs", tmp_path / "specs")
    shutil.copytree(IMAGE.parent, tmp_path / "specs/mini/images")

    def taxonomy(d):
        example = label_of(d, "first_label")["examples"]["positive"][0]
        example.update(image="images/street.png", text=f"A red car {SCRIPT}\nparked")
    rewrite(tmp_path, "taxonomy.yaml", taxonomy)
    pages, _ = pages_of(tmp_path, monkeypatch)
    label = pages["mini/labels/first_label.md"]
    assert ('<div class="lb-example lb-example--image"><figure class="lb-figure"><img class="lb-image" '
            f'src="{DATA_URI}" width="64" height="48" alt="A red car {ESCAPED} parked">'
            '<figcaption class="lb-figure__alt" aria-hidden="true">A red car ' + ESCAPED + "<br>parked</figcaption>"
            '</figure><p class="lb-example__why">') in label
    assert "<svg" not in label and SCRIPT not in label


def test_a_box_drawing_is_the_same_on_every_build(tmp_path: Path, monkeypatch):
    root = shape_project(tmp_path, "boxes")
    first, _ = pages_of(root, monkeypatch)
    again, _ = pages_of(root, monkeypatch)
    assert first == again


def test_a_class_name_stays_inside_the_image():
    # Room above the box: the plate sits on its top edge.
    mark = box_mark(Box(label="car", x=4, y=20, w=24, h=16), 64, 48, 0, "car")
    font = 64 / 28
    assert (mark.font, mark.plate) == (num(font), f"M4 {num(20 - 1.4 * font)}h{num((3 * .62 + .6) * font)}"
                                                  f"v{num(1.4 * font)}h-{num((3 * .62 + .6) * font)}z")
    # A box at the top edge: the plate goes inside it.
    assert box_mark(Box(label="car", x=4, y=0, w=24, h=16), 64, 48, 0, "car").plate.startswith("M4 0h")
    # A box at the right edge: the plate moves left to stay inside the image.
    plate = box_mark(Box(label="p", x=60, y=20, w=4, h=4), 64, 48, 1, "person").plate
    x, width = map(float, re.match(r"M([\d.]+) [\d.]+h([\d.]+)", plate).groups())
    assert x + width == pytest.approx(64, abs=0.02)
    # A name wider than the image is set smaller.
    name = "a class name far longer than this small image is wide, really"
    long = box_mark(Box(label="p", x=0, y=20, w=4, h=4), 64, 48, 1, name)
    assert float(long.font) < font
    assert float(re.match(r"M[\d.]+ [\d.]+h([\d.]+)", long.plate).group(1)) <= 64.01


def test_a_preference_checklist_about_dimensions_and_scales(tmp_path: Path, monkeypatch):
    root = shape_project(tmp_path, "preference")
    (root / "specs/mini/decision_tree.yaml").write_text("""\
kind: checklist
questions:
  - id: q-helpful
    about: helpfulness
    question: "Which response does more of what the prompt asks?"
    answers:
      - {answer: "A", label: first_label}
      - {answer: "B", label: second_label}
      - {answer: "Cannot tell", label: not_enough_info}
  - id: q-clarity
    about: clarity
    question: "How easy is response A to follow?"
    answers:
      - {answer: "Hard", label: clarity_low}
      - {answer: "Easy", label: clarity_high}
""")
    pages, _ = pages_of(root, monkeypatch)
    tree = pages["mini/decision-tree.md"]
    assert "Each answer gives the judgment it names for the question&#x27;s dimension or scale." in tree
    assert ('<strong>Which response does more of what the prompt asks?</strong> <span class="lb-muted">About the '
            'dimension <a href="../definitions/#dimension-helpfulness">Helpfulness</a>.</span>') in tree
    assert ('<li><strong>A</strong> → <a href="../labels/first_label/">Response A is better</a> '
            '<code class="lb-value">A</code></li>') in tree
    assert 'About the scale <a href="../definitions/#criterion-clarity">Clarity</a>.' in tree
    assert '<li><strong>Easy</strong> → <a href="../labels/clarity_high/">2 · Easy to follow</a></li>' in tree
    card = pages["mini/quick-reference.md"]
    assert ('<li id="card-q-q-helpful">Which response does more of what the prompt asks? <span class="lb-muted">'
            '[Helpfulness]</span> <span class="lb-card__answer"><em>A</em> → <a href="../labels/first_label/">'
            "Response A is better</a></span>") in card
    assert '<em>Hard</em> → <a href="../labels/clarity_low/">1 · Hard to follow</a>' in card

"""The built site: every page at its address, version-stamped, with an edit link; the same
bytes for the same specs; a failed build leaves the previous site alone."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path


from conftest import REPO, FIXTURES, build_project, make_project
from generator.load import load_guidelines
from generator.render.tree_diagram import tree_dot, tree_svg

GUIDELINE_PAGES = ["", "quick-reference/", "decision-tree/", "definitions/", "edge-cases/", "acceptance/",
                   "qa-plan/", "sampling/", "datasheet/"]


def example_guidelines():
    return load_guidelines([REPO / "specs"]).guidelines


def page(site: Path, address: str) -> str:
    return (site / address / "index.html").read_text(encoding="utf-8")


def test_every_page_exists_for_every_example_guideline(example_site: Path):
    for guideline in example_guidelines():
        for address in GUIDELINE_PAGES:
            assert (example_site / guideline.id / address / "index.html").is_file(), (guideline.id, address)
        for label in guideline.taxonomy.labels:
            assert (example_site / guideline.id / "labels" / label.id / "index.html").is_file()


def test_home_lists_every_guideline_with_version_status_and_owner(example_site: Path):
    home = page(example_site, "")
    for guideline in example_guidelines():
        row = re.search(rf'<tr><td><a href="{guideline.id}/">.*?</tr>', home, re.S).group(0)
        assert guideline.version in row
        assert guideline.manifest.status.value in row
        assert guideline.manifest.lead.name.replace("&", "&amp;") in row


def test_every_guideline_page_shows_its_version_and_links_to_its_spec(example_site: Path):
    for guideline in example_guidelines():
        for address in GUIDELINE_PAGES + [f"labels/{label.id}/" for label in guideline.taxonomy.labels]:
            html = page(example_site, f"{guideline.id}/{address}")
            assert f'<strong class="lb-version">{guideline.version}</strong>' in html, address
            edit = re.search(r'<a href="([^"]+)" title="Edit this page"', html)
            assert edit and edit.group(1).startswith("https://") and f"/specs/{guideline.id}/" in edit.group(1)


def test_label_page_shows_examples_with_explanations(example_site: Path):
    guideline = example_guidelines()[0]
    label = guideline.taxonomy.labels[0]
    html = page(example_site, f"{guideline.id}/labels/{label.id}")
    for kind in ("positive", "negative", "tricky"):
        assert f'id="{kind}"' in html
        for example in getattr(label.examples, kind):
            assert _visible(example.explanation) in html


def _visible(text: str) -> str:
    return " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace('"', "&quot;").replace("'", "&#x27;")


def test_decision_tree_links_every_label_node_to_its_page(example_site: Path):
    for guideline in example_guidelines():
        html = page(example_site, f"{guideline.id}/decision-tree")
        linked = set(re.findall(r'xlink:href="\.\./labels/([a-z0-9_-]+)/"', html))
        # A preference guideline's tree leads to the answers; its rubric's points are rated
        # on their own, outside the tree.
        points = ({p for c in guideline.taxonomy.criteria for p in c.points}
                  if guideline.shape == "preference" else set())
        assert linked == {label.id for label in guideline.taxonomy.labels} - points
        routes = set(re.findall(r'xlink:href="\.\./edge-cases/#route-([a-z0-9_-]+)"', html))
        assert routes and routes <= {route.id for route in guideline.edge_cases.routes}


def test_decision_tree_is_drawn_as_a_tree_top_to_bottom():
    for guideline in example_guidelines():
        source = tree_dot(guideline).source
        assert "rankdir=TB" in source
        # Each outcome node has exactly one incoming edge: no shared leaves, no crossings.
        targets = re.findall(r"-> (o_\S+)", source)
        assert len(targets) == len(set(targets))


def test_same_specs_give_the_same_svg_and_site_bytes(tmp_path: Path, example_site: Path):
    guideline = example_guidelines()[0]
    assert tree_svg(guideline) == tree_svg(guideline)
    again = make_project(tmp_path / "again", REPO / "specs")
    assert build_project(again).returncode == 0
    assert _digest(again / "site") == _digest(example_site)


def _digest(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_failed_build_reports_the_spec_line_and_keeps_the_previous_site(tmp_path: Path):
    project = make_project(tmp_path / "p", FIXTURES / "specs")
    assert build_project(project).returncode == 0
    before = _digest(project / "site")
    taxonomy = project / "specs/mini/taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("mode: exclusive", "mode: exclusiv"))
    result = build_project(project)
    assert result.returncode == 1
    assert ("specs/mini/taxonomy.yaml:2:7: error[invalid-value]: mode 'exclusiv' is not one of: exclusive, multi;"
            " did you mean 'exclusive'?") in result.stderr
    assert "labelbook: 1 error in the specs" in result.stderr
    assert "Traceback" not in result.stderr
    assert _digest(project / "site") == before


def test_spec_text_is_escaped_in_pages(tmp_path: Path):
    specs = tmp_path / "specs"
    shutil.copytree(FIXTURES / "specs", specs)
    taxonomy = specs / "mini/taxonomy.yaml"
    planted = '<script>alert(1)</script> *bold* [x](javascript:alert(2))'
    taxonomy.write_text(taxonomy.read_text().replace(
        '    definition: "A short definition in observable terms"',
        f"    definition: '{planted}'", 1).replace(
        '    name: "A concrete, behaviour-based name"', "    name: '<b>Bold</b> name'", 1))
    project = make_project(tmp_path / "p", specs)
    assert build_project(project).returncode == 0
    for address in ("mini/labels/first_label", "mini/definitions", "mini/quick-reference"):
        html = page(project / "site", address)
        assert "<script>alert(1)" not in html and "<b>Bold</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert 'href="javascript:' not in html


def _bezier_polyline(points: list[tuple[float, float]], samples: int = 12) -> list[tuple[float, float]]:
    """Graphviz edges are piecewise cubic Béziers: sample each piece into a polyline."""
    out = [points[0]]
    for i in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[i:i + 4]
        for step in range(1, samples + 1):
            t = step / samples
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3
            out.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return out


def _segments_cross(p, q, r, s) -> bool:
    def orient(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    d1, d2, d3, d4 = orient(r, s, p), orient(r, s, q), orient(p, q, r), orient(p, q, s)
    return d1 * d2 < 0 and d3 * d4 < 0  # proper crossings only; touching ends do not count


def test_decision_trees_of_the_examples_have_no_crossing_edges():
    for guideline in example_guidelines():
        plain = tree_dot(guideline).pipe(format="plain", encoding="utf-8")
        edges = []
        for line in plain.splitlines():
            parts = line.split()
            if parts and parts[0] == "edge":
                n = int(parts[3])
                coords = [(float(parts[4 + 2 * k]), float(parts[5 + 2 * k])) for k in range(n)]
                edges.append((parts[1], parts[2], _bezier_polyline(coords)))
        crossings = []
        for i, (a_tail, a_head, a_line) in enumerate(edges):
            for b_tail, b_head, b_line in edges[i + 1:]:
                if {a_tail, a_head} & {b_tail, b_head}:
                    continue  # edges that share a node meet there by design
                if any(_segments_cross(p, q, r, s) for p, q in zip(a_line, a_line[1:])
                       for r, s in zip(b_line, b_line[1:])):
                    crossings.append((a_tail, a_head, b_tail, b_head))
        assert crossings == [], (guideline.id, crossings)


def test_tree_labels_that_look_like_html_stay_text():
    from generator.diagnostics import Report
    from generator.load import load_blobs
    blobs = {p.name: p.read_bytes() for p in (FIXTURES / "specs/mini").iterdir()}
    blobs["decision_tree.yaml"] = blobs["decision_tree.yaml"].replace(
        b'- answer: "Yes"', b'- answer: "<b>Yes</b>"').replace(b'- answer: "No"', b'- answer: "<No>"')
    guideline = load_blobs("mini", "specs/mini", blobs, Report())
    svg = tree_svg(guideline)
    assert "&lt;b&gt;Yes&lt;/b&gt;" in svg and "&lt;No&gt;" in svg and "<b>" not in svg

"""The steps of compute_quality, each on a few hand-written ratings with answers worked out
by hand; and quality figures computed before rendering, so pages never read data."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from conftest import FIXTURES, REPO
from generator.metrics import agreement as ag
from generator.metrics import quality as qm
from generator.metrics.compute import membership
from generator.metrics.read import Ratings, read_ratings


def ratings(tmp_path: Path, csv: str, *, multi: bool = False, columns: tuple[str, ...] = ()) -> Ratings:
    path = tmp_path / "export.csv"
    path.write_text(textwrap.dedent(csv).lstrip())
    return read_ratings(path, "export.csv", multi=multi, columns=columns)


# Three items; items are coded in sorted order (a, b, c), raters (r1, r2, r3).
#   a: cat, cat, dog    b: dog, bird    c: bird
THREE = """
    item,rater,label,lang,split,text,entity,source
    a,r1,cat,en,train,Hello  World,e1,web
    a,r2,cat,en,train,Hello  World,e1,web
    a,r3,dog,en,train,Hello  World,e1,web
    b,r1,dog,es,test,hello world,e1,forum
    b,r2,bird,es,test,hello world,e1,forum
    c,r1,bird,,train,,e2,
    """


def test_labels_taxonomy_first_then_found_sorted(tmp_path):
    r = ratings(tmp_path, THREE)
    assert qm.all_labels(r, ["dog", "cat"]) == ["dog", "cat", "bird"]  # bird is only in the data
    assert qm.unused_labels(r, ["dog", "cat", "fish"]) == ["fish"]


def test_resolved_labels_majority_then_priority(tmp_path):
    r = ratings(tmp_path, THREE)
    labels = ["cat", "dog", "bird"]
    counts = ag.count_matrix(r.item, r.label, r.n_items, len(r.categories))
    guideline = SimpleNamespace(taxonomy=SimpleNamespace(priority=["dog", "bird"]))
    resolved = qm._resolve(r, counts, membership(r, labels), labels, guideline, None)
    # a: cat 2 of 3 wins; b: dog 1, bird 1, a tie broken by priority (dog before bird); c: bird.
    assert resolved.tolist() == [[True, False, False], [False, True, False], [False, False, True]]
    # A gold answer replaces the raters' majority: b's gold is bird.
    gold = np.array([None, "bird", None], dtype=object)
    resolved = qm._resolve(r, counts, membership(r, labels), labels, guideline, gold)
    assert resolved[1].tolist() == [False, False, True]


def test_multi_label_resolves_every_label_half_the_raters_chose(tmp_path):
    r = ratings(tmp_path, """
        item,rater,label
        a,r1,x|y
        a,r2,x
        a,r3,z
        a,r4,x|z
        """, multi=True)
    labels = ["x", "y", "z"]
    counts = ag.count_matrix(r.item, r.label, r.n_items, len(r.categories))
    guideline = SimpleNamespace(taxonomy=SimpleNamespace(priority=[]))
    resolved = qm._resolve(r, counts, membership(r, labels), labels, guideline, None)
    # x: 3 of 4 raters (3 * 2 >= 4), y: 1 of 4 (2 < 4), z: 2 of 4 (4 >= 4).
    assert resolved.tolist() == [[True, False, True]]


def test_slices_and_distributions(tmp_path):
    r = ratings(tmp_path, THREE, columns=("lang",))
    first = r.first_row_per_item()
    slices = qm.slice_codes(r, ["lang"], first)
    codes, values = slices["lang"]
    assert values == ["(none)", "en", "es"] and codes.tolist() == [1, 2, 0]  # c has no language
    resolved = np.array([[True, False, False], [False, True, False], [False, False, True]])
    overall, per_slice = qm.distributions(["cat", "dog", "bird"], ["cat", "dog"], resolved, slices)
    assert overall == {"cat": 1, "dog": 1, "bird": 1}
    # bird is outside the taxonomy: listed only where it has items.
    assert per_slice["lang"] == {"(none)": {"cat": 0, "dog": 0, "bird": 1}, "en": {"cat": 1, "dog": 0},
                                 "es": {"cat": 0, "dog": 1}}
    assert qm.split_counts(np.array(["train", "test", "train", None], dtype=object)) == {"test": 1, "train": 2}
    assert qm.split_counts(None) == {}


def test_gold_accuracy_precision_and_recall(tmp_path):
    r = ratings(tmp_path, """
        item,rater,label,gold
        a,r1,cat,cat
        a,r2,dog,cat
        b,r1,dog,dog
        b,r2,dog,
        c,r1,cat,
        """)
    gold_rows, _ = qm._gold(r, r.first_row_per_item())
    units: dict = {}
    gold = qm.gold_figures(r, gold_rows, ["cat", "dog"], units)
    # Ratings with a gold answer: (a,r1,cat=cat) (a,r2,dog≠cat) (b,r1,dog=dog): 2 of 3 right.
    assert (gold["items"], gold["ratings"]) == (2, 3)
    assert (gold["accuracy"].k, gold["accuracy"].n) == (2, 3)
    # cat: gold cat twice, rated cat once of those -> recall 1/2; rated cat once, right -> precision 1/1.
    # dog: gold dog once, rated dog -> recall 1/1; rated dog twice, once right -> precision 1/2.
    cat, dog = gold["per_label"]["cat"], gold["per_label"]["dog"]
    assert (cat["recall"].k, cat["recall"].n, cat["precision"].k, cat["precision"].n) == (1, 2, 1, 1)
    assert (dog["recall"].k, dog["recall"].n, dog["precision"].k, dog["precision"].n) == (1, 1, 1, 2)
    assert units["gold_accuracy"][1].tolist() == [True, False, True]


def test_duplicates_by_normalized_text(tmp_path):
    texts = np.array(["Hello  World", "hello world ", None, "other"], dtype=object)
    normalized = qm.normalized_texts(texts)
    assert normalized.tolist() == ["hello world", "hello world", "", "other"]
    # Item 1 repeats item 0's text; item 2 has none; item 3 is unique.
    assert qm.duplicate_flags(normalized, np.arange(4)).tolist() == [False, True, False, False]
    # Two tokens of one document (unit 0) carry its text: not a duplicate.
    assert qm.duplicate_flags(normalized, np.array([0, 0, 1, 2])).tolist() == [False, False, False, False]


def test_split_leakage(tmp_path):
    r = ratings(tmp_path, THREE)
    first = r.first_row_per_item()
    heads, names = qm.item_heads(r)
    assert heads.tolist() == [0, 1, 2] and names.tolist() == ["a", "b", "c"]
    split = qm._item_column(r, "split", first)
    entity = qm._item_column(r, "entity", first)
    normalized = qm.normalized_texts(qm._item_column(r, "text", first))
    units: dict = {}
    notes: dict = {}
    check = qm.split_leakage_check(split, entity, normalized, np.arange(3), names, heads, units, notes)
    # e1 holds a (train) and b (test); a's and b's texts normalize to "hello world" in both
    # splits; c is alone: 2 of 3 items affected.
    assert check.ok is False
    assert check.detail == ("1 entity in more than one split; 1 text in more than one split, 0 duplicated within a "
                            "split; 2 of 3 items affected")
    assert check.findings == ["entity 'e1' is in test, train", "text of items 'a', 'b' is in test, train"]
    assert units["cross_split_overlap"][1].tolist() == [True, True, False]
    no_split = qm.split_leakage_check(None, entity, normalized, np.arange(3), names, heads, units, notes)
    assert (no_split.ok, no_split.detail) == (None, "no split column")
    assert notes["cross_split_overlap"] == "no split column in the export"


def test_required_fields_and_taxonomy(tmp_path):
    r = ratings(tmp_path, """
        item,rater,label,lang
        a,r1,cat,en
        a,r2,cat|dog,
        b,r1,,en
        b,r2,ferret,es
        """, multi=True, columns=("lang",))
    units: dict = {}
    check, unit_items, missing = qm.required_fields_check(r, ["lang"], units)
    # Kept ratings (a,r1) (a,r2) (b,r2); (b,r1) has no label: dropped, counted missing.
    # lang is empty on (a,r2): 1 + 1 of 4 ratings miss a required field.
    assert check.ok is False
    assert check.detail == "2 of 4 ratings miss a required field (item, rater, label, lang)"
    assert check.findings == ["'label' empty in 1 rating", "'lang' empty in 1 rating"]
    assert unit_items.tolist() == [0, 0, 1, -1] and missing.tolist() == [False, True, False]
    taxonomy = qm.taxonomy_check(r, ["cat", "dog", "unsure"], "unsure", False, unit_items, missing, units)
    assert (taxonomy.ok, taxonomy.hard) == (False, True)
    assert taxonomy.findings == ["'ferret' in 1 rating"]
    # Valid: (a,r1) only; (a,r2) misses lang, (b,r2) has ferret, the unlabelled row is not valid.
    assert units["schema_valid_rate"][1].tolist() == [True, False, False, False]


def test_unknown_label_beside_others_breaks_a_multi_label_answer(tmp_path):
    r = ratings(tmp_path, """
        item,rater,label
        a,r1,cat|unsure
        a,r2,unsure
        """, multi=True)
    # Categories, sorted: "cat|unsure", "unsure".
    known = {"cat", "unsure"}
    assert qm.invalid_categories(r, known, "unsure", sets_of_marks=False).tolist() == [True, False]
    # Spans or boxes: an unknown span may sit beside other spans of the item.
    assert qm.invalid_categories(r, known, "unsure", sets_of_marks=True).tolist() == [False, False]
    assert qm.outside_label_rows(r, {"cat"}) == {"unsure": 2}


def test_provenance(tmp_path):
    sources = [SimpleNamespace(id="web", license="CC-BY-4.0", consent="terms of service"),
               SimpleNamespace(id="forum", license="TBD", consent="opt-in")]
    source = np.array(["web", "forum", None, "wbe"], dtype=object)
    units: dict = {}
    check = qm.provenance_check(sources, "source", source, np.arange(4), units)
    # forum has no license (TBD); wbe is not declared; one item has no source: 1 of 4 licensed.
    assert (check.ok, check.hard) == (False, True)
    assert check.detail == "1 of 4 items come from a source with license and consent"
    assert check.findings == ["source 'forum' has no license or consent in datasheet.yaml",
                              "source '(empty)' of 1 item is not in datasheet.yaml",
                              "source 'wbe' of 1 item is not in datasheet.yaml; did you mean 'web'?"]
    check = qm.provenance_check(sources, "source", None, np.arange(4), units)
    assert check.detail == ("1 of 2 sources have license and consent (no 'source' column: measured over the "
                            "sources of datasheet.yaml)")
    assert units["license_coverage"][1].tolist() == [True, False]


def test_not_measured_notes_name_the_shape():
    notes = qm.not_measured_notes("single-label")
    assert notes["span_f1_exact"] == "span F1 is measured for span guidelines; this one is single-label"
    assert "ordinal_alpha" in notes
    rating = qm.not_measured_notes("rating")
    assert "weighted_kappa_quadratic" not in rating and "ordinal_alpha" not in rating


def test_steps_together_match_the_example(tmp_path):
    """The steps as compute_quality chains them on the content-safety example: items per
    split counted here with pandas from the file itself."""
    from generator.load import load_guidelines

    [g] = load_guidelines([REPO / "specs/content-safety"]).guidelines
    q = qm.compute_quality(g, *qm.load_data(g))
    frame = pd.read_parquet(REPO / g.datasheet.data.annotations)
    first = frame.drop_duplicates("item")
    assert q.splits == {k: int(v) for k, v in sorted(first["split"].value_counts().items())}
    assert q.items == len(first) and q.rows == len(frame)


PURE_RENDER = """
import sys
from pathlib import Path
from generator.load import load_guidelines
from generator.render.pages import SiteOptions, build_site

[g] = load_guidelines([Path(sys.argv[1])]).guidelines
figures = {"present": True, "error": "planted <b>figure</b>", "hint": "", "annotations": "x.csv", "audit": None}
site = build_site([g], None, SiteOptions(quality={g.id: figures}))
page = next(p.markdown for p in site.pages if p.path.endswith("datasheet.md"))
print("pandas" in sys.modules, "generator.metrics.quality" in sys.modules, "planted &lt;b&gt;figure" in page)
"""


def test_rendering_reads_figures_it_is_given_and_imports_no_metrics(tmp_path):
    # The content-safety example declares data; rendering only shows the figures handed to it.
    result = subprocess.run([sys.executable, "-c", PURE_RENDER, str(REPO / "specs/content-safety")],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True"]


def test_quality_figures_of_a_guideline_without_data_need_no_metrics():
    from generator.load import load_guidelines
    from generator.quality_figures import quality_figures

    [g] = load_guidelines([FIXTURES / "specs/mini"]).guidelines
    assert g.datasheet.data is None
    assert quality_figures([g]) == {"mini": {"present": False}}

"""Agreement, defect rates and the gate per guideline version (an export's
guideline_version column), with figures worked out by hand."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from conftest import REPO, run_labelbook
from generator.metrics import timeline
from generator.metrics.read import read_audit, read_ratings
from generator.metrics.versions import current_data, outdated_items, release_order, version_figures

# Version 1.0.0: r1 and r2 rate a, b, c.   a: yes yes   b: yes no   c: no no
# Version 1.1.0: r1 and r3 rate d and e, and r3 rates a once more.   d: yes yes   e: no no   a: yes
EXPORT = """
    item,rater,label,guideline_version
    a,r1,yes,1.0.0
    a,r2,yes,1.0.0
    b,r1,yes,1.0.0
    b,r2,no,1.0.0
    c,r1,no,1.0.0
    c,r2,no,1.0.0
    a,r3,yes,1.1.0
    d,r1,yes,1.1.0
    d,r3,yes,1.1.0
    e,r1,no,1.1.0
    e,r3,no,1.1.0
    """
# a: a major defect, d: a critical one; b and e passed.
AUDIT = """
    item,error_category,severity
    a,wrong-label,major
    b,,
    d,wrong-label,critical
    e,,
    """


@pytest.fixture
def export(tmp_path: Path):
    (tmp_path / "export.csv").write_text(textwrap.dedent(EXPORT).lstrip())
    (tmp_path / "audit.csv").write_text(textwrap.dedent(AUDIT).lstrip())
    r = read_ratings(tmp_path / "export.csv", "export.csv")
    audit = read_audit(tmp_path / "audit.csv", "audit.csv")
    return r, audit


def test_figures_per_version_by_hand(export):
    r, audit = export
    old, new = version_figures(r, audit, "1.1.0", level="nominal", labels=["yes", "no"], order=None)
    assert (old.version, old.ratings, old.items, old.outdated, old.current) == ("1.0.0", 6, 3, True, False)
    # 1.0.0: a and c agree, b does not: percent agreement 2/3.
    # Cohen: r1 says yes 2, no 1; r2 yes 1, no 2; p_e = 2/3*1/3 + 1/3*2/3 = 4/9;
    #   kappa = (2/3 - 4/9) / (1 - 4/9) = (2/9) / (5/9) = 0.4.
    # Alpha: 6 pairable values, yes 3 and no 3; coincidences o_yy = 2 (a), o_yn = o_ny = 1 (b), o_nn = 2 (c);
    #   D_o = 2/6 = 1/3; D_e = 2 * 3 * 3 / (6 * 5) = 0.6; alpha = 1 - (1/3) / 0.6 = 4/9.
    assert old.agreement.items == 3
    assert old.agreement.percent_agreement == pytest.approx(2 / 3)
    assert old.agreement.cohen_kappa == pytest.approx(0.4)
    assert old.agreement.krippendorff_alpha == pytest.approx(4 / 9)
    # Audited items rated under 1.0.0: a (defect) and b (passed): 1 of 2.
    assert (old.audited, old.defective.k, old.defective.n) == (2, 1, 2)
    assert (new.version, new.ratings, new.items, new.outdated, new.current) == ("1.1.0", 5, 3, False, True)
    # 1.1.0: d and e are rated twice and agree; a's one rating here pairs with nothing.
    assert new.agreement.items == 2 and new.agreement.percent_agreement == pytest.approx(1.0)
    # Audited items rated under 1.1.0: a, d (defects) and e (passed): 2 of 3.
    assert (new.audited, new.defective.k, new.defective.n) == (3, 2, 3)
    # a, b and c have a rating made under 1.0.0, older than the guideline's 1.1.0.
    assert outdated_items(r, "1.1.0") == 3
    assert outdated_items(r, "1.0.0") == 0


def test_the_gate_judges_the_current_version(export):
    r, audit = export
    judged, judged_audit, note = current_data("1.1.0", r, audit)
    assert sorted(judged.items.tolist()) == ["a", "d", "e"] and len(judged.frame) == 5
    assert sorted(judged_audit.frame["item"]) == ["a", "d", "e"]
    assert note == ("judged on the 5 ratings of guideline version 1.1.0 (the guideline's version); other "
                    "versions, for information: 1.0.0 (6 ratings)")
    # No rating of 1.2.0: the newest older version is the batch being labeled.
    _, _, note = current_data("1.2.0", r, audit)
    assert note.startswith("judged on the 5 ratings of guideline version 1.1.0 (the newest in the export; none is "
                           "of the guideline's version 1.2.0)")
    # Every rating of the export is newer than the guideline: the newest is judged.
    judged, _, _ = current_data("0.9.0", r, audit)
    assert len(judged.frame) == 5


def test_without_the_column_nothing_is_split(tmp_path):
    (tmp_path / "plain.csv").write_text("item,rater,label\na,r1,x\na,r2,x\n")
    r = read_ratings(tmp_path / "plain.csv", "plain.csv")
    assert version_figures(r, None, "1.0.0", level="nominal", labels=["x"], order=None) is None
    assert current_data("1.0.0", r, None) == (r, None, None)


def test_release_order_is_semver_precedence():
    assert release_order(["1.10.0", "1.2.0", "1.2.0-rc.1", "weird", "1.2.0"]) == \
        ["1.2.0-rc.1", "1.2.0", "1.10.0", "weird"]


def test_timeline_marks_releases_in_words_and_shapes():
    svg = str(timeline.agreement_timeline("t", ["1.0.0", "1.1.0", "1.2.0"], [0.5, None, 0.8], [True, True, False],
                                          "1.2.0", "Agreement per guideline version"))
    again = str(timeline.agreement_timeline("t", ["1.0.0", "1.1.0", "1.2.0"], [0.5, None, 0.8], [True, True, False],
                                            "1.2.0", "Agreement per guideline version"))
    assert svg == again  # deterministic bytes
    for text in ("released", "not released", "(judged)", "n/a", "0.500", "0.800", "1.1.0"):
        assert f">{text}<" in svg or text in svg
    # The figure never shrinks below its min-width; there, a font-size of s user units is
    # s * min-width / viewBox width pixels, which must be 11 or more.
    sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
    view_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    min_width = float(re.search(r"min-width: ([\d.]+)px", svg).group(1))
    assert sizes and min(sizes) * min_width / view_width >= 11 - 0.05  # min-width is rounded to whole px


def test_gate_on_a_versioned_export(example_specs: Path):
    """support-intent is at 2.0.0; its 1.3.2 ratings use a label the taxonomy no longer has.
    The gate judges the 2.0.0 ratings: the taxonomy check passes and the other version is
    listed for information."""
    folder = example_specs / "specs/support-intent"
    rows = ["item,rater,label,channel,language,platform,source,split,timestamp,guideline_version"]
    for i in range(6):
        rows.append(f"s{i},r1,billing,email,en,web,email-tickets,train,2026-01-02,2.0.0")
        rows.append(f"s{i},r2,billing,email,en,web,email-tickets,train,2026-01-02,2.0.0")
    rows.append("s9,r1,biling,email,en,web,email-tickets,train,2026-01-01,1.3.2")
    (folder / "data/ratings.csv").write_text("\n".join(rows) + "\n")
    datasheet = folder / "datasheet.yaml"
    datasheet.write_text(datasheet.read_text().replace("data/annotations.parquet", "data/ratings.csv"))
    result = run_labelbook("gate", "support-intent", cwd=example_specs)
    assert result.stdout.startswith(
        "guideline versions: judged on the 12 ratings of guideline version 2.0.0 (the guideline's version); "
        "other versions, for information: 1.3.2 (1 rating)"), result.stdout + result.stderr
    assert "ok          Labels in the taxonomy (hard gate): every label is in taxonomy.yaml" in result.stdout


def test_example_datasheet_shows_each_version(tmp_path):
    """pos-tags carries three versions; the counts here come from the file itself."""
    from generator.load import load_guidelines
    from generator.quality_figures import quality_figures
    from generator.render.pages import SiteOptions, build_site

    shutil.copytree(REPO / "specs/pos-tags", tmp_path / "specs/pos-tags")
    [g] = load_guidelines([tmp_path / "specs/pos-tags"]).guidelines
    frame = pd.read_parquet(REPO / "specs/pos-tags/data/annotations.parquet")
    per_version = frame["guideline_version"].value_counts()
    assert set(per_version.index) == {"1.0.0", "1.1.0", "1.1.1"} and g.version == "1.1.1"
    old = frame[frame["guideline_version"] != g.version]["item"].nunique()
    figures = quality_figures([g])
    page = next(p.markdown for p in build_site([g], None, SiteOptions(quality=figures)).pages
                if p.path.endswith("datasheet.md"))
    assert f"<strong>{old:,} items were labeled under an outdated version</strong> (1.0.0, 1.1.0)" in page
    for version, n in per_version.items():
        assert f"<tr><td><strong>{version}</strong>" in page and f"<td>{n:,}</td>" in page
    assert 'id="plot-versions"' in page

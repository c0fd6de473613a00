"""The auditor's site, on a site built from a scripted history with several releases: every
field of a label has a history (word by word, who, when, why, who approved it), commits,
tickets, labels, rules and releases are linked, the version is always visible (a sticky
chip, the tab title, a header on every printed page), any two releases can be compared,
and a version that does not go up along the main line is refused."""

from __future__ import annotations

import io
import json
import re

import pytest
from pypdf import PdfReader

from browser import chromium, serve_folder  # noqa: F401 - the fixture is used by name
from conftest import REPO, run_labelbook
from generator.history import read_history
from gitrepo import ScriptedRepo
from test_links import broken_links

LONG = ("A narrower definition in observable terms, one that runs on for quite a while so that it is longer "
        "than one hundred and fifty characters before it says, at the very end, what matters: insults")
BEFORE = LONG.replace("insults", "threats")
NARROWED = """  - type: definition
    summary: Narrowed the first label.
    rationale: Raters split on borderline posts (CS-512).
    relabel_impact: {relabel: affected}
    labels: [first_label]
    ticket: CS-512
    approved_by: Pat Policy"""
TIGHTENED = """  - type: taxonomy
    summary: Tightened first_label; see rule missing-context
    rationale: The audit found drift between raters
    relabel_impact: {relabel: sample}
    labels: [first_label, second_label]
    ticket: CS-600"""
TICKETS = """  - labelbook:
      tickets:
        - pattern: 'CS-(\\d+)'
          url: 'https://tracker.example.org/browse/CS-{1}'
"""
FIRST_EXAMPLE = '        - text: "An item that is first_label"\n          explanation: "Which inclusion criteria it meets"'


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> ScriptedRepo:
    repo = ScriptedRepo(tmp_path_factory.mktemp("audit") / "repo")  # mini 0.1.0
    config = repo.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - labelbook   # engine: mkdocs (default) or properdocs\n", TICKETS))
    repo.commit("Link tickets to the tracker")
    repo.edit("taxonomy.yaml", '    definition: "A short definition in observable terms"', f'    definition: "{BEFORE}"')
    repo.set_version("0.2.0", NARROWED)
    repo.commit("Narrow the first label (#4)", author="Ada Auditor <ada@example.org>")
    repo.edit("taxonomy.yaml", BEFORE, LONG)
    repo.edit("taxonomy.yaml", FIRST_EXAMPLE,
              FIRST_EXAMPLE.replace('"Which inclusion criteria it meets"', '"Meets inclusion criterion 1"') +
              '\n        - text: "A fourth item that is first_label"\n          explanation: "Meets both criteria"')
    repo.edit("taxonomy.yaml", '      - "An exclusion criterion, naming the label that applies instead"\n    examples:\n'
              '      positive:\n        - text: "An item that is first_label"',
              '      - "An exclusion criterion, naming the label that applies instead"\n    thresholds:\n'
              '      - "At least two of the criteria"\n    notes: "See rule missing-context first"\n    examples:\n'
              '      positive:\n        - text: "An item that is first_label"')
    repo.edit("taxonomy.yaml", "  - id: second_label\n", "  - id: second_label\n    parent: first_label\n")
    repo.edit("edge_cases.yaml", '    when: "When the rule applies"\n    labels: [not_enough_info]',
              '    when: "When the item lacks the context first_label needs"\n    labels: [not_enough_info]')
    repo.set_version("1.0.0", TIGHTENED)
    repo.commit("Tighten the first label (CS-600)", author="Bob Builder <bob@example.org>")
    repo.edit("taxonomy.yaml", '"At least two of the criteria"', '"At least three of the criteria"')
    repo.commit("Tighten the threshold")  # unreleased
    result = run_labelbook("build", cwd=repo.root)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    return repo


def html(repo: ScriptedRepo, address: str) -> str:
    return (repo.root / "site" / address / "index.html").read_text(encoding="utf-8")


def history_of(page: str) -> str:
    return page[page.index('id="history"'):]


# --- the bugs ----------------------------------------------------------------------------

def test_a_multi_release_site_has_no_broken_link_or_anchor(audited):
    site = audited.root / "site"
    assert (site / "mini/0.2.0/404.html").is_file() and (site / "mini/compare/index.html").is_file()
    problems = broken_links(site)
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems)


def test_the_releases_page_links_the_changelog_and_each_release(audited):
    page = html(audited, "releases")
    assert '<a href="../mini/changelog/">Mini guideline</a>' in page
    assert '<a class="lb-version-link" href="../mini/1.0.0/">1.0.0</a>' in page
    assert '<a class="lb-muted" href="../mini/changelog/#v0-2-0">changes</a>' in page


def test_the_404_page_of_a_release_links_to_the_newest_release(audited):
    page = (audited.root / "site/mini/0.2.0/404.html").read_text(encoding="utf-8")
    assert 'href="/mini/0.2.0/../latest/"' in page
    assert "..//" not in page


def test_why_reads_as_one_sentence_with_the_ticket_once(audited):
    history = history_of(html(audited, "mini/labels/first_label"))
    assert ("<tr><th>Why</th><td>Narrowed the first label: Raters split on borderline posts "
            '(<a class="lb-ticket" href="https://tracker.example.org/browse/CS-512">CS-512</a>).</td></tr>') in history
    assert ".:" not in history and history.count("CS-512</a>") == 1


def test_a_change_at_the_end_of_a_long_definition_shows_in_the_changelog_and_the_comment(audited):
    changelog = html(audited, "mini/changelog")
    assert ('what matters: <del class="lb-del">threats</del> <ins class="lb-ins">insults</ins>') in changelog
    assert "…" in changelog  # the unchanged start is cut, not the change
    audited.edit("taxonomy.yaml", "what matters: insults", "what matters: insults or slurs")
    try:
        comment = run_labelbook("diff", "--base", "HEAD", "--format", "markdown", cwd=audited.root).stdout
    finally:
        audited.git("checkout", "--", "specs")
    assert ("- **definition** · label first\\_label: definition changed: … the very end, what matters: insults "
            "<ins>or slurs</ins>") in comment


def test_tab_titles_name_the_page_the_guideline_and_the_version(audited):
    assert "<title>Definitions · Mini guideline 1.0.0</title>" in html(audited, "mini/definitions")
    assert "<title>Definitions · Mini guideline 0.2.0</title>" in html(audited, "mini/0.2.0/definitions")
    assert "<title>Changelog · Mini guideline 1.0.0</title>" in html(audited, "mini/changelog")


# --- history of every field ----------------------------------------------------------------

def test_a_label_history_has_every_field_word_by_word_with_who_when_and_why(audited):
    history = history_of(html(audited, "mini/labels/first_label"))
    newest = history[history.index('id="history-1-0-0"'):history.index('id="history-0-2-0"')]
    assert "Bob Builder on 2026-01-05" in newest
    assert '<tr class="lb-field lb-field--thresholds"><th>Threshold added</th><td><ins class="lb-ins">At least two of the criteria</ins></td></tr>' in newest
    assert '<tr class="lb-field lb-field--notes"><th>Notes added</th><td><ins class="lb-ins">See rule missing-context first</ins></td></tr>' in newest
    assert ("<th>Positive example&#x27;s explanation changed</th><td><span class=\"lb-words-diff\">"
            '<del class="lb-del">Which</del> <ins class="lb-ins">Meets</ins> inclusion <del class="lb-del">criteria it meets</del> '
            '<ins class="lb-ins">criterion 1</ins></span>') in newest
    assert '<th>Positive example added</th><td><ins class="lb-ins">A fourth item that is first_label</ins>' in newest
    assert '<del class="lb-del">threats</del> <ins class="lb-ins">insults</ins>' in newest
    older = history[history.index('id="history-0-2-0"'):history.index('id="history-0-1-0"')]
    assert "Ada Auditor on 2026-01-04; approved by Pat Policy" in older
    assert '<summary>The label as of 0.2.0</summary>' in older and BEFORE in older
    child = history_of(html(audited, "mini/labels/second_label"))
    assert ('<tr class="lb-field lb-field--parent"><th>Parent changed</th><td><span class="lb-words-diff">'
            '<del class="lb-del">(top level)</del> <ins class="lb-ins">first_label</ins></span></td></tr>') in child


def test_the_value_and_group_of_a_label_are_in_its_field_history():
    from types import SimpleNamespace as NS

    from generator.changelog import label_field_changes

    def label(**kw):
        base = dict(name="N", data_value="n", definition="D", short=None, include=["i"], exclude=["e"],
                    thresholds=[], notes=None, parent=None, exclusive=False, words={},
                    examples=NS(positive=[], negative=[], tricky=[]))
        return NS(**{**base, **kw})

    changes = label_field_changes(label(), label(data_value="m", include=["i2"]), ["g1"], ["g2"])
    assert [(c.field, c.what, c.before, c.after) for c in changes] == [
        ("value", "value changed", "n", "m"),
        ("include", "include criterion changed", "i", "i2"),
        ("group", "group changed", "g1", "g2"),
    ]


# --- links -------------------------------------------------------------------------------------

def test_the_changelog_links_commits_tickets_labels_rules_and_releases(audited):
    changelog = html(audited, "mini/changelog")
    head = audited.git("rev-parse", "HEAD~1").strip()
    assert f'<a class="lb-commit" href="https://github.com/your-org/labeling-guidelines/commit/{head}"><code>{head[:8]}</code></a>' in changelog
    assert '<a class="lb-ticket" href="https://tracker.example.org/browse/CS-600">CS-600</a>' in changelog
    assert ('Tightened <a class="lb-label-link" href="../labels/first_label/">first_label</a>; see rule '
            '<a class="lb-rule-link" href="../edge-cases/#rule-missing-context">missing-context</a>') in changelog
    assert '<a class="lb-version-link" href="../0.2.0/">read 0.2.0</a>' in changelog
    assert '<a href="../compare/#compare-0-2-0--1-0-0">compare with 0.2.0</a>' in changelog
    # A commit subject's ticket is linked too.
    assert 'Tighten the first label (<a class="lb-ticket" href="https://tracker.example.org/browse/CS-600">CS-600</a>)' in changelog
    rules = html(audited, "mini/edge-cases")
    assert 'When the item lacks the context <a class="lb-label-link" href="../labels/first_label/">first_label</a> needs' in rules


def test_spec_text_stays_text_when_ids_are_linked():
    from generator.render.links import Linker, LinkSettings

    linker = Linker(LinkSettings.build(None, None, [{"pattern": r"CS-(\d+)", "url": "https://t.example/CS-{1}"}]),
                    {"first_label": "First", "spam": "Spam"}, {"spam": "Spam rule"})
    assert str(linker.text("<b>first_label</b> is spam, label spam, rule spam & CS-7", "../")) == (
        '&lt;b&gt;<a class="lb-label-link" href="../labels/first_label/">first_label</a>&lt;/b&gt; is spam, '
        'label <a class="lb-label-link" href="../labels/spam/">spam</a>, rule '
        '<a class="lb-rule-link" href="../edge-cases/#rule-spam">spam</a> &amp; '
        '<a class="lb-ticket" href="https://t.example/CS-7">CS-7</a>')


def test_a_ticket_pattern_that_cannot_work_is_refused_with_what_to_write():
    from generator.load import UsageError
    from generator.render.links import LinkSettings

    with pytest.raises(UsageError) as bad:
        LinkSettings.build(None, None, [{"pattern": "CS-(", "url": "x"}])
    assert bad.value.message == ("tickets[1]: pattern 'CS-(' is not a regular expression: "
                                 "missing ), unterminated subpattern at position 3")
    with pytest.raises(UsageError) as bad:
        LinkSettings.build(None, None, [{"pattern": "CS-\\d+", "url": "https://t.example/{1}"}])
    assert bad.value.message == ("tickets[1]: url 'https://t.example/{1}' uses a placeholder the pattern "
                                 "'CS-\\\\d+' does not have (0 groups)")


# --- changed badges, compare and "what changed since" --------------------------------------------

def test_labels_and_rules_changed_in_a_version_carry_a_badge(audited):
    release = html(audited, "mini/1.0.0/labels/first_label")
    assert '<a class="lb-changed-badge" href="#history">changed in 1.0.0</a>' in release
    assert "lb-changed-badge" not in html(audited, "mini/1.0.0/labels/not_enough_info")
    assert '<span class="lb-changed-badge">changed in 1.0.0</span>' in html(audited, "mini/1.0.0/edge-cases")
    # The working copy has an unreleased change of the first label.
    assert '<a class="lb-changed-badge" href="#history">changed since 1.0.0</a>' in html(
        audited, "mini/labels/first_label")
    assert 'changed since 1.0.0</a>' in html(audited, "mini/definitions")


def test_the_compare_page_holds_every_pair_of_releases(audited):
    page = html(audited, "mini/compare")
    assert re.findall(r'<section class="lb-compare-pair" id="([^"]+)"', page) == [
        "compare-0-2-0--1-0-0", "compare-0-1-0--1-0-0", "compare-0-1-0--0-2-0"]
    pair = page[page.index('id="compare-0-1-0--1-0-0"'):page.index('id="compare-0-1-0--0-2-0"')]
    assert pair.index(">1.0.0<") < pair.index(">0.2.0<")  # declared changes, newest first
    assert 'Narrowed the first label' in pair and 'Tightened' in pair
    # Every change is on the compare page many times over: search finds it on the changelog.
    # (Only text inside data-pagefind-body is indexed; tests/test_search.py searches the index.)
    assert "data-pagefind-body" not in page
    assert "data-pagefind-body" in html(audited, "mini/changelog")


def test_what_changed_since_a_version_tells_a_rater_what_to_read_again(audited):
    page = html(audited, "mini/whats-new")
    assert re.findall(r'<h2 id="(since-[^"]+)"', page) == ["since-0-2-0", "since-0-1-0"]
    since = page[page.index('id="since-0-2-0"'):page.index('id="since-0-1-0"')]
    assert ('<strong>Labels that changed:</strong> <a class="lb-label-link" href="../labels/first_label/#history">'
            in since)
    assert '<a class="lb-rule-link" href="../edge-cases/#rule-missing-context">' in since


def test_compare_pairs_and_since(audited):
    from generator.changelog import ReleaseContents, build_changelog, compare_releases
    from generator.history import read_history
    from generator.load import load_guidelines

    history = read_history(audited.root, audited.root / "specs")
    current = load_guidelines([audited.root / "specs"]).guidelines[0]
    log = build_changelog(history.of("mini"), ReleaseContents(history), current)
    pairs, since = compare_releases(log, ReleaseContents(history), history.of("mini"), current)
    assert [(c.old, c.new) for c in pairs] == [("0.2.0", "1.0.0"), ("0.1.0", "1.0.0"), ("0.1.0", "0.2.0")]
    # Since each earlier release, up to the specs as they are (a draft of 1.0.0 here).
    assert [(c.old, c.new) for c in since] == [("0.2.0", "1.0.0"), ("0.1.0", "1.0.0")]
    assert [v for v, _ in since[1].declared] == ["1.0.0", "0.2.0"]


# --- the version always visible, in a browser ------------------------------------------------------

def test_in_a_browser_an_old_release_says_it_is_outdated_everywhere(audited, chromium):  # noqa: F811
    with serve_folder(audited.root / "site") as base:
        context = chromium.new_context()
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "mini/0.2.0/labels/first_label/")
        chip = page.locator(".lb-version-chip")
        page.wait_for_selector(".lb-version-chip--outdated")
        assert chip.inner_text() == "0.2.0 outdated: newest is 1.0.0"
        banner = page.locator('[data-md-component="outdated"]')
        banner.wait_for(state="visible")
        assert "it has been superseded by 1.0.0." in banner.inner_text()
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(200)
        assert chip.is_visible() and chip.bounding_box()["y"] < 100  # sticky: still at the top
        assert page.title() == "A concrete, behaviour-based name · Mini guideline 0.2.0"
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
        assert len(pdf.pages) > 1
        for number, printed in enumerate(p.extract_text() for p in pdf.pages):
            assert ("Mini guideline · version 0.2.0 · 2026-01-04 · commit "
                    f"{audited.git('rev-parse', '--short=8', 'HEAD~2').strip()} · SUPERSEDED by 1.0.0: do not use "
                    "for labeling") in " ".join(printed.split()), f"page {number + 1}"
        page.goto(base + "mini/latest/definitions/")
        page.wait_for_timeout(500)
        assert page.locator(".lb-version-chip").inner_text() == "1.0.0 released"
        page.goto(base + "mini/definitions/")
        assert page.locator(".lb-version-chip").inner_text() == "1.0.0 draft, unreleased changes since 1.0.0"
        assert errors == []
        context.close()


def test_in_a_browser_what_a_label_meant_in_a_version_is_two_clicks_from_its_page(audited, chromium):  # noqa: F811
    with serve_folder(audited.root / "site") as base:
        page = chromium.new_page()
        page.goto(base + "mini/labels/first_label/")
        page.get_by_role("link", name="History", exact=True).first.click()  # 1: the table of contents
        page.get_by_text("The label as of 0.2.0").click()  # 2: open what it meant then
        state = page.locator("#history-0-2-0")
        assert BEFORE in state.inner_text()
        text = state.inner_text()
        assert "Ada Auditor on 2026-01-04; approved by Pat Policy" in text  # who, when
        assert "Narrowed the first label: Raters split on borderline posts (CS-512)." in text  # why
        page.close()


def test_in_a_browser_the_compare_form_shows_the_pair_picked(audited, chromium):  # noqa: F811
    with serve_folder(audited.root / "site") as base:
        page = chromium.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "mini/compare/")
        assert page.locator("#compare-0-1-0--1-0-0").is_visible() is False
        assert page.locator("#compare-0-2-0--1-0-0").is_visible()  # the newest pair by default
        page.select_option("select[name=old]", label="0.1.0")
        page.get_by_role("button", name="Compare").click()
        assert page.url.endswith("#compare-0-1-0--1-0-0")
        assert page.locator("#compare-0-1-0--1-0-0").is_visible()
        assert not page.locator("#compare-0-2-0--1-0-0").is_visible()
        page.select_option("select[name=old]", label="1.0.0")
        page.select_option("select[name=new]", label="0.1.0")
        page.get_by_role("button", name="Compare").click()
        assert page.inner_text(".lb-compare-message") == "Pick an older release first and a newer one second."
        assert errors == []
        page.close()


PHONE = {"width": 390, "height": 844}


def test_on_a_phone_the_auditor_pages_fit_and_the_chip_stays_in_view(audited, chromium):  # noqa: F811
    with serve_folder(audited.root / "site") as base:
        context = chromium.new_context(viewport=PHONE)
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        for address, chip_text in [("mini/labels/first_label/", "1.0.0 draft, unreleased changes since 1.0.0"),
                                   ("mini/0.2.0/labels/first_label/", "0.2.0 outdated: newest is 1.0.0"),
                                   ("mini/changelog/", None), ("mini/compare/", None), ("mini/whats-new/", None),
                                   ("releases/", None)]:
            page.goto(base + address)
            page.wait_for_timeout(300)
            # Nothing scrolls sideways: long ids, word diffs and tables wrap within the phone.
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], address
            chip = page.locator(".lb-version-chip")
            if address == "releases/":
                assert chip.count() == 0  # not a page of one guideline
                continue
            if chip_text is not None:
                page.wait_for_function("t => document.querySelector('.lb-version-chip').innerText === t", arg=chip_text)
            page.mouse.wheel(0, 3000)
            page.wait_for_timeout(200)
            box = chip.bounding_box()
            assert chip.is_visible() and box["y"] < 100 and box["x"] + box["width"] <= PHONE["width"], address
        page.goto(base + "mini/compare/")
        page.select_option("select[name=old]", label="0.1.0")
        page.get_by_role("button", name="Compare").click()
        assert page.locator("#compare-0-1-0--1-0-0").is_visible()
        assert errors == []
        context.close()


# --- versions that do not go up ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def went_down(tmp_path_factory) -> ScriptedRepo:
    repo = ScriptedRepo(tmp_path_factory.mktemp("down") / "repo")  # 0.1.0
    repo.set_version("0.2.0")
    repo.commit("Release 0.2.0")
    repo.set_version("0.1.5")
    repo.commit("Back to 0.1.5 by mistake")
    return repo


def test_a_version_that_goes_down_warns_in_the_build_and_never_becomes_latest(went_down):
    result = run_labelbook("build", cwd=went_down.root)
    assert result.returncode == 0, result.stderr
    released, bad = went_down.git("rev-parse", "--short=8", "HEAD~1").strip(), went_down.git(
        "rev-parse", "--short=8", "HEAD").strip()
    assert (f"warning: specs/mini/guideline.yaml@{bad}: version 0.1.5 (2026-01-04) is lower than 0.2.0, released "
            f"in {released} (2026-01-03): versions along the main line must go up, so it is not a release and "
            "never the latest; set version: 0.2.1 or higher") in result.stderr
    versions = json.loads((went_down.root / "site/mini/versions.json").read_text())
    assert [v["version"] for v in versions] == ["0.2.0", "0.1.0"] and versions[0]["aliases"] == ["latest"]
    assert not (went_down.root / "site/mini/0.1.5").exists()


def test_a_version_set_again_is_refused_too(tmp_path):
    repo = ScriptedRepo(tmp_path / "repo")
    repo.set_version("0.2.0")
    repo.commit("Release 0.2.0")
    repo.set_version("0.1.0")
    repo.commit("0.1.0 again")
    from generator.history import read_history

    history = read_history(repo.root, repo.root / "specs")
    assert [r.version for r in history.of("mini").releases] == ["0.1.0", "0.2.0"]
    assert [a.version for a in history.anomalies] == ["0.1.0"]
    assert "version 0.1.0 (2026-01-04) is lower than 0.2.0" in history.warnings[0]


def test_diff_refuses_a_version_at_or_below_a_release(went_down):
    went_down.set_version("0.1.6", """  - type: clarification
    summary: s
    rationale: r
    relabel_impact: {relabel: none}""")
    try:
        result = run_labelbook("diff", "--base", "HEAD", "--format", "text", cwd=went_down.root)
    finally:
        went_down.git("checkout", "--", "specs")
    released = went_down.git("rev-parse", "--short=8", "HEAD~1").strip()
    assert result.returncode == 1, result.stdout
    assert (f"  problem: version 0.1.6 is lower than 0.2.0, released in {released} (2026-01-03): versions along "
            "the main line must go up") in result.stdout
    assert "  fix: set version: 0.2.1 in guideline.yaml" in result.stdout


def test_word_diff_in_context():
    from generator.word_diff import changed_words

    words = changed_words("one two three four five six seven eight nine ten eleven twelve thirteen old",
                          "one two three four five six seven eight nine ten eleven twelve thirteen new")
    assert [(w.kind, w.text) for w in words] == [("gap", "…"), ("same", "eight nine ten eleven twelve thirteen"),
                                                ("del", "old"), ("ins", "new")]
    assert changed_words("same  words", "same words") is None


def test_a_bad_ticket_pattern_in_mkdocs_yml_stops_the_build_with_one_line(tmp_path):
    repo = ScriptedRepo(tmp_path / "repo")
    config = repo.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - labelbook   # engine: mkdocs (default) or properdocs\n",
                                                 TICKETS.replace("'CS-(\\d+)'", "'CS-('")))
    result = run_labelbook("build", cwd=repo.root)
    assert result.returncode == 1
    assert ("labelbook: tickets[1]: pattern 'CS-(' is not a regular expression: missing ), unterminated subpattern "
            "at position 3 (write it like CS-(\\d+))") in result.stderr
    assert "Traceback" not in result.stderr



# --- this repository's own history ------------------------------------------------------------------

def test_every_example_guideline_has_at_least_three_releases_in_this_repository():
    # A fresh clone's site shows versions, banners, label histories and the compare page.
    history = read_history(REPO, REPO / "specs")
    examples = sorted(p.name for p in (REPO / "specs").iterdir() if p.is_dir())
    assert {gid: len(history.of(gid).releases) >= 3 for gid in examples} == {gid: True for gid in examples}
    assert history.anomalies == [] and history.unbuildable == set()

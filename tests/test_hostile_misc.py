"""Hostile inputs outside the specs: GitHub references in spec text reaching a pull-request
comment, an empty --separator, CSV exports with huge or multi-line cells, and a broken
site template under `labelbook build` and `serve`."""

from __future__ import annotations

import html.parser
import inspect
from pathlib import Path
from types import SimpleNamespace

import pytest
from markdown_it import MarkdownIt
from mkdocs.exceptions import PluginError

from conftest import FIXTURES, build_project, make_project, run_labelbook
from generator.metrics.read import read_ratings, read_table
from generator.render.markup import escape_github_inline
from generator.render.pages import PAGE_TEMPLATES
from labelbook_mkdocs import plugin as plugin_module
from gitrepo import ScriptedRepo

# --- GitHub references in the pull-request comment -------------------------------------

REFERENCES = ("Ask @mike about GH-7, #12 and octo/repo#3; see https://example.org, www.example.org "
              "or mail a.b@example.org")


def test_github_references_are_split_so_none_links():
    assert escape_github_inline(REFERENCES) == (
        "Ask @<!-- -->mike about GH<!-- -->-7, #<!-- -->12 and octo/repo#<!-- -->3; see https<!-- -->://example.org, "
        "www<!-- -->.example.org or mail a.b@<!-- -->example.org")
    # Words that only look like references are left alone.
    assert escape_github_inline("UGH-7 C# @ 50% of <b>*x*</b> & www") == r"UGH-7 C# @ 50% of &lt;b&gt;\*x\*&lt;/b&gt; &amp; www"


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = ""

    def handle_data(self, data):
        self.text += data


def test_the_comment_reads_and_copies_as_the_spec_text():
    # Rendered as CommonMark, as GitHub does before linking references: the comments
    # disappear and the text is exactly what the lead wrote.
    tricky = REFERENCES + r" *not emphasis* `not code` [not](a link) \ | ~ $x$ &amp; <i>"
    rendered = MarkdownIt("commonmark").renderInline(str(escape_github_inline(tricky)))
    assert "<a " not in rendered and "<em>" not in rendered and "<code>" not in rendered
    parser = _Text()
    parser.feed(rendered.replace("<!-- -->", ""))
    assert parser.text == tricky


def test_labelbook_diff_comment_does_not_link_references_in_spec_text(tmp_path):
    repo = ScriptedRepo(tmp_path / "repo")
    repo.edit("taxonomy.yaml", '      - "An inclusion criterion"', f'      - "{REFERENCES}"')
    result = run_labelbook("diff", "--base", "HEAD", cwd=repo.root)
    assert result.returncode == 1
    assert ("- **definition** · label first\\_label: include criterion added; now “Ask @<!-- -->mike about "
            "GH<!-- -->-7, #<!-- -->12 and octo/repo#<!-- -->3; see https<!-- -->://example.org, "
            "www<!-- -->.example.org or mail a.b@<!-- -->example.org”") in result.stdout.splitlines()


# --- labelbook agreement --separator '' -------------------------------------------------

def test_an_empty_separator_is_a_usage_error(tmp_path):
    (tmp_path / "ratings.csv").write_text("item,rater,label\ni1,r1,a|b\ni1,r2,a\n")
    result = run_labelbook("agreement", "ratings.csv", "--separator", "", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: --separator is empty\n"
        "hint: pass the text between the labels of a cell, e.g. --separator '|', "
        "or leave --separator out for a single-label export\n")


def test_a_space_is_a_separator(tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_text("item,rater,label\ni1,r1,b a\ni1,r2,a\n")
    ratings = read_ratings(path, "ratings.csv", multi=True, separator=" ")
    assert ratings.categories == ["a", "a b"]


# --- CSV exports ------------------------------------------------------------------------

def test_a_csv_with_a_10_mb_cell_is_read(tmp_path):
    big = "x" * (10 * 2**20)
    path = tmp_path / "big.csv"
    path.write_text(f'item,rater,label,text\ni1,r1,a,"{big}"\ni1,r2,a,short\ni2,r1,b,short\ni2,r2,a,short\n')
    frame = read_table(path, "big.csv")
    assert frame["text"].str.len().tolist() == [len(big), 5, 5, 5]
    result = run_labelbook("agreement", "big.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "big.csv: 4 ratings, 2 raters, 2 items with two or more ratings; alpha level nominal")


def test_quoted_multi_line_cells_across_parse_blocks(tmp_path):
    path = tmp_path / "lines.csv"
    with path.open("w") as out:  # about 3 MB: several of Arrow's 1 MiB blocks
        out.write("item,rater,label,text\n")
        for i in range(100_000):
            out.write(f'i{i},r1,a,"first line of {i}\nsecond line"\n')
    frame = read_table(path, "lines.csv")
    assert len(frame) == 100_000
    assert frame["text"].iloc[99_999] == "first line of 99999\nsecond line"


def test_csv_cells_are_read_as_written_not_as_numbers(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("item,rater,label,timestamp\n007,r1,01,2026-01-01T00:00:00Z\n7,r1,1.50,2026-01-02T00:00:00Z\n")
    frame = read_table(path, "ids.csv")
    assert frame.to_dict("list") == {"item": ["007", "7"], "rater": ["r1", "r1"], "label": ["01", "1.50"],
                                     "timestamp": ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"]}


# --- a broken site template -------------------------------------------------------------

# The broken line is appended, so it is rendered for every label whatever the shape.
BROKEN_LINE = len((PAGE_TEMPLATES / "label.md.j2").read_text().splitlines()) + 1
UNDEFINED = (f"site_templates/pages/label.md.j2:{BROKEN_LINE}: template error: "
             "'generator.spec.taxonomy.Label object' has no attribute 'nope'")


def _override(project: Path, name: str) -> Path:
    """The project's own copy of a packaged page template, which replaces it."""
    template = project / "site_templates/pages" / name
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text((PAGE_TEMPLATES / name).read_text())
    return template


def _broken_project(root: Path) -> Path:
    project = make_project(root, FIXTURES / "specs")
    template = _override(project, "label.md.j2")
    text = template.read_text()
    template.write_text(text + ("" if text.endswith("\n") else "\n") + "{{ label.nope }}\n")
    return project


def test_a_template_error_fails_the_build_with_its_file_and_line(tmp_path):
    project = _broken_project(tmp_path / "p")
    result = build_project(project)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert f"ERROR   -  {UNDEFINED}" in lines
    assert ("ERROR   -  labelbook: fix the template and build again (the last good site is left as it was)"
            in lines)
    assert "Traceback" not in result.stderr and "engine error" not in result.stderr
    assert not (project / "site").exists()


def test_a_template_syntax_error_names_its_line(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p", FIXTURES / "specs")
    template = _override(project, "_stamp.md.j2")
    template.write_text(template.read_text() + "{% if %}\n")
    line = len(template.read_text().splitlines())
    hook = _hook(monkeypatch)
    with pytest.raises(PluginError):
        hook.on_pre_build(SimpleNamespace(config_file_path=str(project / "mkdocs.yml")))
    assert hook.log.errors == [f"site_templates/pages/_stamp.md.j2:{line}: template error: "
                               "Expected an expression, got 'end of statement block'"]


class _Log:
    def __init__(self):
        self.errors: list[str] = []

    def error(self, message):
        self.errors.append(message)

    def info(self, message):
        pass

    warning = info


class _Hook:
    """The engine plugin as the engine drives it, with its log recorded."""

    def __init__(self, command: str, pages, monkeypatch):
        self.log = _Log()
        monkeypatch.setattr(plugin_module, "log", self.log)
        self.plugin = plugin_module.LabelbookPlugin()
        self.plugin.command, self.plugin.pages = command, pages

    def on_pre_build(self, config):
        self.plugin.project = Path(config.config_file_path).parent
        return self.plugin.on_pre_build(config=config)


def _hook(monkeypatch, command: str = "build", pages=None):
    return _Hook(command, pages, monkeypatch)


def test_serve_logs_a_template_error_and_keeps_the_last_good_pages(tmp_path, monkeypatch):
    project = _broken_project(tmp_path / "p")
    last_good = {"mini/index.md": object()}
    hook = _hook(monkeypatch, "serve", last_good)
    assert hook.on_pre_build(SimpleNamespace(config_file_path=str(project / "mkdocs.yml"))) is None
    assert hook.plugin.pages is last_good
    assert hook.log.errors == [UNDEFINED,
                               "labelbook: still serving the last good version: fix the template and save again"]


def test_serve_with_no_good_pages_yet_stops_on_a_template_error(tmp_path, monkeypatch):
    project = _broken_project(tmp_path / "p")
    hook = _hook(monkeypatch, "serve", None)
    with pytest.raises(PluginError) as raised:
        hook.on_pre_build(SimpleNamespace(config_file_path=str(project / "mkdocs.yml")))
    assert str(raised.value) == "labelbook: fix the template and build again (the last good site is left as it was)"
    assert hook.log.errors == [UNDEFINED]


def test_a_generator_fault_is_one_line_naming_where(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p", FIXTURES / "specs")
    hook = _hook(monkeypatch)

    def broken(*args, **kwargs):
        raise KeyError("x")

    monkeypatch.setattr(plugin_module, "generate_site", broken)
    with pytest.raises(PluginError) as raised:
        hook.on_pre_build(SimpleNamespace(config_file_path=str(project / "mkdocs.yml")))
    line = inspect.getsourcelines(broken)[1] + 1
    assert str(raised.value) == (f"labelbook: internal error at tests/test_hostile_misc.py:{line}: KeyError: 'x' "
                                 "(a bug: please report it with this line)")

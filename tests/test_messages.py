"""The help line of each message: the golden cases in tests/invalid/ that list `help:`
give the exact hint of each diagnostic, and the YAML slips leads make get a hint that
names the fix (quote the value, indent with spaces, align the key) whichever YAML parser
reports them (libyaml, or PyYAML's pure-Python parser)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.diagnostics import Report
from generator.load import load_guidelines
from generator.spec import SPEC_FILES
from generator.validate import validate_file
from generator.yaml_hints import syntax_hint, yaml_quote
from generator.yaml_source import load_yaml_text
from test_invalid_specs import plant

CASES = [c for c in sorted((Path(__file__).parent / "invalid").glob("*.yaml"))
         if "help" in yaml.safe_load(c.read_text(encoding="utf-8"))]


def test_the_slips_have_golden_cases():
    names = {c.stem for c in CASES}
    assert {"yaml-colon-in-value", "comma-in-flow-value", "yaml-tab", "yes-for-boolean", "list-for-mapping",
            "mapping-for-list", "indent-under-value", "indent-key-misaligned", "indent-list-item",
            "indent-list-after-value", "indent-list-under-value", "type-error-keeps-references"} <= names


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_planted_mistake_gives_exact_message_and_help(case_file: Path, mini_specs: Path, monkeypatch) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    plant(mini_specs / "specs" / "mini", case)
    monkeypatch.chdir(mini_specs)
    result = load_guidelines([Path("specs")])
    got = [(f"{d.path}:{d.line}:{d.col}: {d.severity}[{d.code}]: {d.message}", d.hint) for d in result.report.sorted()]
    assert got == list(zip(case["expect"], case["help"], strict=True))


def pure_python_error(text: str) -> tuple[tuple[int, int], str]:
    """Where and what PyYAML's pure-Python parser (used without libyaml) reports."""
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yaml.compose(text, Loader=yaml.SafeLoader)
    mark = caught.value.problem_mark
    return (mark.line + 1, mark.column + 1), caught.value.problem


def loaded_hint(text: str) -> tuple[str, str]:
    report = Report()
    assert load_yaml_text(text, "f.yaml", report) is None
    [d] = report.diagnostics
    return d.message, d.hint


@pytest.mark.parametrize("text, hint", [
    ("summary: Note: this is it\n", 'quote the whole value: summary: "Note: this is it"'),
    ("- text: 'it's fine'\n", "quote the whole value: text: \"it's fine\""),
    ('a:\n  y: "quoted" tail\n', "quote the whole value: y: '\"quoted\" tail'"),
    ("a: [WIP] more\n", 'quote the whole value: a: "[WIP] more"'),
    ("a:\n  b: 1\n\tc: 2\n", "indent with spaces, not tabs: line 3 is indented with a tab"),
    ("a: x\n  b: y\n", "'b:' is indented under 'a: x' on line 1, which already has a value: align 'b:' with "
                       "'a:' (column 1), or quote the value of 'a' if line 2 continues it"),
    ("a:\n  b:\n    c: 1\n d: 2\n", "'d:' starts at column 2, where no key above it is: align it with 'b:' on "
                                   "line 2 (column 3) or with 'a:' on line 1 (column 1), whichever it belongs beside"),
    ("labels:\n  - id: a\n   name: A\n", "'name:' starts at column 4, where no key above it is: align it with "
                                       "'id:' on line 2 (column 5)"),
    ("positive:\n- text: x\n  why: y\n negative: []\n",
     "'negative:' starts at column 2, where no key above it is: align it with 'why:' on line 3 (column 3) "
     "or with 'positive:' on line 1 (column 1), whichever it belongs beside"),
    ("a:\n  - x\n - y\n", "line 3 starts at column 2: align its '- ' with the list item '- x' on line 2 (column 3)"),
    ("a: 1\n- x\n", "'a:' on line 1 already has a value, so line 2 cannot start a list there: write a list under "
                   "a key with nothing after its colon, its '- ' items below it"),
])
def test_yaml_slips_get_a_hint_from_either_parser(text: str, hint: str):
    assert loaded_hint(text)[1] == hint  # libyaml, as labelbook runs
    pos, problem = pure_python_error(text)
    assert syntax_hint(text, pos, problem) == hint


def test_the_pure_python_parser_messages_are_the_ones_hinted():
    # "expected <block end>, but found ..." is what the pure-Python parser says for a
    # misplaced key or list item, where libyaml says "did not find expected key".
    text = "a:\n  b: 1\n  - y\n"
    pos, problem = pure_python_error(text)
    assert problem == "expected <block end>, but found '-'"
    assert syntax_hint(text, pos, problem).startswith("'b:' on line 2 already has a value")
    tab = "a:\n\tb: 1\n"
    assert pure_python_error(tab)[1] == "found character '\\t' that cannot start any token"
    assert loaded_hint(tab) == (
        "YAML syntax error: found character '\\t' that cannot start any token (while scanning for the next token)",
        "indent with spaces, not tabs: line 2 is indented with a tab")


def test_an_unrecognised_slip_keeps_the_general_hint():
    assert loaded_hint("- a\nb: c\n")[1] == "check the indentation and quoting on this line and the one before"


def test_values_are_quoted_so_they_can_be_pasted():
    for text in ("Note: x", 'say "hi"', "it's", "it's \"both\"", "back\\slash"):
        assert yaml.safe_load(f"k: {yaml_quote(text)}") == {"k": text}


def validate(name: str, text: str) -> list[tuple[str, str]]:
    report = Report()
    source = load_yaml_text(text, name, report)
    assert source is not None
    validate_file(source, SPEC_FILES[name], report)
    return [(d.message, d.hint) for d in report.sorted()]


MINI = Path(__file__).parent / "fixtures" / "specs" / "mini"


def test_every_word_a_comma_split_off_gets_the_whole_value():
    text = (MINI / "acceptance.yaml").read_text().replace("role: ML lead}", "role: ML lead, parsing, QA}")
    assert validate("acceptance.yaml", text) == [
        ("unknown key 'parsing' in sign_off.model_stakeholder",
         "quote the value, as in role: \"ML lead, parsing, QA\": inside { } a comma ends a value, "
         "so 'parsing' was read as a key"),
        ("unknown key 'QA' in sign_off.model_stakeholder",
         "quote the value, as in role: \"ML lead, parsing, QA\": inside { } a comma ends a value, "
         "so 'QA' was read as a key"),
    ]


def test_a_key_written_with_a_colon_in_braces_is_a_plain_unknown_key():
    text = (MINI / "acceptance.yaml").read_text().replace("role: ML lead}", "role: ML lead, rank: 2}")
    assert validate("acceptance.yaml", text) == [
        ("unknown key 'rank' in sign_off.model_stakeholder", "allowed keys here: name, role, date")]


@pytest.mark.parametrize("written, message, hint", [
    ("no", "must be true or false, not the text 'no'",
     "write true or false: yes, no, on and off are text in specs, not booleans"),
    ("Off", "must be true or false, not the text 'Off'",
     "write true or false: yes, no, on and off are text in specs, not booleans"),
    ("maybe", "must be true or false, not the text 'maybe'", "write true or false"),
    ("1", "must be true or false, not a whole number", "write true or false"),
])
def test_only_true_and_false_are_booleans(written: str, message: str, hint: str):
    text = (MINI / "edge_cases.yaml").read_text().replace("    top: true", f"    top: {written}")
    assert validate("edge_cases.yaml", text) == [(f"top in rules[missing-context] {message}", hint)]


def test_a_scalar_where_a_list_belongs_is_shown_as_a_list():
    text = (MINI / "edge_cases.yaml").read_text().replace("labels: [not_enough_info]", "labels: not_enough_info")
    assert validate("edge_cases.yaml", text) == [
        ("labels in rules[missing-context] must be a list, not text",
         "write a list: [not_enough_info], or each item on its own line starting with '- '")]

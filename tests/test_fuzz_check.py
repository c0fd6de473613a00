"""Property-based fuzzing of `check`: mutated copies of real guidelines (byte edits, lines
dropped, doubled, swapped or re-indented, hostile tokens such as NUL, tabs, a BOM,
anchors, aliases, tags and merge keys) go through the loader and the whole
`load_guidelines` pipeline. Whatever the input: no exception, no hang, and every
diagnostic has a path, a line and a column >= 1 and a code; every quoted line is cut to
a readable width.

Reproducible: examples are derandomized (a fixed seed per test) and no example database
is written, so CI sees the same cases every run. 2,012 cases in all (1,212 through the
whole check of the small fixture, 80 of the example guidelines, 800 of the loader and
validation alone), about 20 s on two idle cores.
"""

from __future__ import annotations

import contextlib
import copy
import re
import shutil
import signal
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import ERROR, EXCERPT_WIDTH, FORMATTERS, WARNING, Report
from generator.load import load_guidelines
from generator.spec import SPEC_FILES
from generator.validate import validate_file
from generator.yaml_source import load_yaml_bytes

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = ("content-safety", "support-intent")
SECONDS_PER_CASE = 10  # a hang fails the case instead of stalling the run

# What a hostile or careless edit puts into a spec.
TOKENS = [
    "\x00", "\x01", "\x7f", "\t", "\ufeff", "\r", "\r\n", "\x85", "\u2028", "\u200b", "\u202e", "\ud7ff",
    "&a ", "*a", "&a [*a, *a, *a]", "*a\n", "&b {x: *b}", "!!python/object:os.system ",
    "!!python/object/apply:os.system ['echo hi'] ", "!include other.yaml ", "!!binary ", "!!set ", "!!omap ",
    "!!str ", "!!int ", "!!float ", "!!timestamp ", "!!map ", "!!seq ", "!x ", "<<: *a\n", "<<: {a: 1}\n",
    "? ", "? [a, b]\n: c\n", "- ", ": ", ":", "[", "]", "{", "}", ",", "'", '"', "#", "|", ">-", "|+2",
    "---\n", "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "~", "null", "true", "No", "1: x\n", "-1", "0",
    "1e309", ".nan", "-.inf", "0x1F", "0o17", "2025-13-01", "2025-01-01", "12:30:00", "TODO", "index",
    "latest", "\\", '"\\u0000"', '"\\x00"', "a" * 300, "[" * 80, "{a: " * 70, "- " * 70, "\u00e9", "\U0001f600",
    "parent: second_label\n", "next: enough-context\n", "label: nope\n", "id: first_label\n",
]
ANYWHERE = st.integers(min_value=0, max_value=10**6)  # taken modulo the current length
# Where a value starts (after "key: " or "- "): a tag, an anchor or an alias put there is
# read by the composer and the constructor instead of dying in the scanner.
VALUE_START = re.compile(rb"(?<=: )|(?<=- )")
OPS = st.one_of(
    st.tuples(st.just("insert"), ANYWHERE, st.sampled_from(TOKENS)),
    st.tuples(st.just("before_value"), ANYWHERE, st.sampled_from(TOKENS)),
    st.tuples(st.just("insert_line"), ANYWHERE, st.sampled_from(TOKENS)),
    st.tuples(st.just("byte"), ANYWHERE, st.integers(min_value=0, max_value=255)),
    st.tuples(st.just("cut"), ANYWHERE, st.integers(min_value=1, max_value=40)),
    st.tuples(st.just("drop_line"), ANYWHERE),
    st.tuples(st.just("dup_line"), ANYWHERE),
    st.tuples(st.just("swap_lines"), ANYWHERE, ANYWHERE),
    st.tuples(st.just("indent"), ANYWHERE, st.sampled_from([-4, -2, -1, 1, 2, 4, "\t"])),
)
TEXT_OPS = st.one_of(  # edits that keep the text valid UTF-8, so parsing goes deeper
    st.tuples(st.just("insert"), ANYWHERE, st.sampled_from(TOKENS)),
    st.tuples(st.just("before_value"), ANYWHERE, st.sampled_from(TOKENS)),
    st.tuples(st.just("before_value"), ANYWHERE, st.sampled_from(TOKENS)),
    st.tuples(st.just("insert_line"), ANYWHERE, st.sampled_from(TOKENS)),
    st.tuples(st.just("drop_line"), ANYWHERE),
    st.tuples(st.just("dup_line"), ANYWHERE),
    st.tuples(st.just("swap_lines"), ANYWHERE, ANYWHERE),
    st.tuples(st.just("indent"), ANYWHERE, st.sampled_from([-4, -2, -1, 1, 2, 4, "\t"])),
)


def mutate(raw: bytes, ops: list[tuple]) -> bytes:
    for op in ops:
        kind, at = op[0], op[1]
        lines = raw.split(b"\n")
        line = at % len(lines)
        if kind == "insert":
            at %= len(raw) + 1
            raw = raw[:at] + op[2].encode("utf-8", "surrogatepass") + raw[at:]
        elif kind == "before_value":
            starts = [m.start() for m in VALUE_START.finditer(raw)] or [0]
            at = starts[at % len(starts)]
            raw = raw[:at] + op[2].encode("utf-8", "surrogatepass") + raw[at:]
        elif kind == "insert_line":
            lines.insert(line, op[2].encode("utf-8", "surrogatepass"))
            raw = b"\n".join(lines)
        elif kind == "byte" and raw:
            at %= len(raw)
            raw = raw[:at] + bytes([op[2]]) + raw[at + 1:]
        elif kind == "cut":
            at %= len(raw) + 1
            raw = raw[:at] + raw[at + op[2]:]
        elif kind == "drop_line":
            del lines[line]
            raw = b"\n".join(lines)
        elif kind == "dup_line":
            lines.insert(line, lines[line])
            raw = b"\n".join(lines)
        elif kind == "swap_lines":
            other = op[2] % len(lines)
            lines[line], lines[other] = lines[other], lines[line]
            raw = b"\n".join(lines)
        elif kind == "indent":
            if op[2] == "\t":
                lines[line] = b"\t" + lines[line]
            elif op[2] > 0:
                lines[line] = b" " * op[2] + lines[line]
            else:
                lines[line] = lines[line][min(-op[2], len(lines[line]) - len(lines[line].lstrip(b" "))):]
            raw = b"\n".join(lines)
    return raw


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail a case that runs too long instead of letting it stall the whole run."""
    def expire(signum, frame):
        raise TimeoutError(f"a case ran longer than {seconds} s: check hangs on it")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


GUTTER = re.compile(r"^ {0,4}\d+ \| ")


def assert_well_formed(report: Report, checked: int) -> None:
    for d in report.diagnostics:
        assert d.path and d.code and d.message, d
        assert d.line >= 1 and d.col >= 1, d
        assert d.severity in (ERROR, WARNING), d
    # Every output format renders; a quoted line never exceeds the excerpt width.
    for name, formatter in FORMATTERS.items():
        out = formatter(report, checked)
        if name == "text":
            for line in out.splitlines():
                if GUTTER.match(line):
                    assert len(line) <= len("    1 | ") + EXCERPT_WIDTH + 2, line[:200]


class Workspace:
    """A project folder whose spec files are mutated for one case and restored after it."""

    def __init__(self, root: Path, guidelines: list[str]):
        self.specs = root / "specs"
        self.files = {(g, name): self.specs / g / name for g in guidelines for name in SPEC_FILES}
        self.original = {key: path.read_bytes() for key, path in self.files.items()}

    def check(self, edits: list[tuple[tuple[str, str], list[tuple]]]) -> None:
        self.check_bytes([(key, mutate(self.original[key], ops)) for key, ops in edits])

    def check_bytes(self, contents: list[tuple[tuple[str, str], bytes]]) -> None:
        touched = []
        try:
            for key, raw in contents:
                self.files[key].write_bytes(raw)
                touched.append(key)
            with time_limit(SECONDS_PER_CASE):
                result = load_guidelines([self.specs], strict=True)
                assert_well_formed(result.report, result.folders_checked)
        finally:
            for key in touched:
                self.files[key].write_bytes(self.original[key])


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("fuzz-mini")
    shutil.copytree(FIXTURES / "specs", root / "specs")
    return Workspace(root, ["mini"])


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("fuzz-examples")
    for guideline in EXAMPLES:
        shutil.copytree(REPO / "specs" / guideline, root / "specs" / guideline)
    return Workspace(root, list(EXAMPLES))


def fuzz_settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=timedelta(seconds=3), derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


MINI_FILES = st.sampled_from([("mini", name) for name in SPEC_FILES])
EXAMPLE_FILES = st.sampled_from([(g, name) for g in EXAMPLES for name in SPEC_FILES])


@fuzz_settings(300)
@given(edits=st.lists(st.tuples(MINI_FILES, st.lists(OPS, min_size=1, max_size=4)), min_size=1, max_size=2))
def test_any_edit_of_a_guideline_is_reported_not_raised(mini: Workspace, edits):
    mini.check(edits)


@fuzz_settings(250)
@given(edits=st.lists(st.tuples(MINI_FILES, st.lists(TEXT_OPS, min_size=1, max_size=6)), min_size=1, max_size=3))
def test_hostile_tokens_and_moved_lines_are_reported_not_raised(mini: Workspace, edits):
    mini.check(edits)


# Several edits in one file mostly end in the first syntax error; one token alone where a
# value starts reaches the constructor. Every token is tried (4 places each).
@pytest.mark.parametrize("token", TOKENS, ids=[f"token{i}" for i in range(len(TOKENS))])
@fuzz_settings(4)
@given(name=MINI_FILES, at=ANYWHERE)
def test_each_token_where_a_value_starts_is_reported_not_raised(mini: Workspace, token: str, name, at):
    mini.check([(name, [("before_value", at, token)])])


# Well-formed YAML with a value swapped, dropped or doubled: these get past the parser,
# so they exercise validation and the cross-checks (ids, references, the tree).
MINI_DATA = {name: yaml.safe_load((FIXTURES / "specs/mini" / name).read_text()) for name in SPEC_FILES}
VALUES = [None, [], {}, 0, -1, 1.5, float("inf"), True, "", " ", "TODO", "index", "a\u200bb", [None], [[]], [{}],
          {"a": 1}, {1: 2}, "first_label", "second_label", "not_enough_info", "enough-context", "main-question",
          "policy-team", "lead", [1, 2], "2025-01-01", "a" * 500]


def value_paths(node: object, path: tuple = ()) -> Iterator[tuple]:
    if path:
        yield path
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for step, child in items:
        yield from value_paths(child, path + (step,))


def reshape(data: object, changes: list[tuple[tuple, object, str]]) -> bytes:
    data = copy.deepcopy(data)
    for path, value, how in changes:
        node = data
        try:
            for step in path[:-1]:
                node = node[step]
            if how == "set":
                node[path[-1]] = copy.deepcopy(value)
            elif how == "drop":
                del node[path[-1]]
            elif how == "double" and isinstance(node, list):
                node.append(copy.deepcopy(node[path[-1]]))
            elif how == "add_key" and isinstance(node, dict):
                node[value if isinstance(value, (str, int)) else "extra"] = node[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the place
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")


RESHAPES = st.sampled_from(sorted(SPEC_FILES)).flatmap(lambda name: st.tuples(st.just(name), st.lists(
    st.tuples(st.sampled_from(list(value_paths(MINI_DATA[name]))), st.sampled_from(VALUES),
              st.sampled_from(["set", "set", "drop", "double", "add_key"])), min_size=1, max_size=3)))


@fuzz_settings(250)
@given(change=RESHAPES)
def test_wrong_values_in_well_formed_yaml_are_reported_not_raised(mini: Workspace, change):
    name, changes = change
    mini.check_bytes([(("mini", name), reshape(MINI_DATA[name], changes))])


@fuzz_settings(80)
@given(edits=st.lists(st.tuples(EXAMPLE_FILES, st.lists(OPS, min_size=1, max_size=4)), min_size=1, max_size=2))
def test_edits_of_the_example_guidelines_are_reported_not_raised(examples: Workspace, edits):
    examples.check(edits)


YAMLISH = st.text(alphabet=st.sampled_from(list("ab1:- \n\t[]{},'\"#&*!|>?%@`~\\\x00\ufeff\u2028")), max_size=200)


@fuzz_settings(800)
@given(text=YAMLISH, model=st.sampled_from(sorted(SPEC_FILES)))
def test_the_loader_and_validation_take_any_text(text: str, model: str):
    report = Report()
    with time_limit(SECONDS_PER_CASE):
        source = load_yaml_bytes(text.encode("utf-8", "surrogatepass"), "f.yaml", report)
        if source is not None:
            validate_file(source, SPEC_FILES[model], report)
    assert_well_formed(report, 1)

"""SemVer in `labelbook diff`: precedence checked against an independent implementation
(the `semver` package), and the rule for pre-releases: moving from a pre-release to its
release makes the bump that release stands for, so the bump made, the bump required and
the version the message proposes always agree."""

from __future__ import annotations

import pytest
import semver
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.semantic_diff import (BUMP_ORDER, GuidelineDiff, SemanticChange, bump_between, compare_versions,
                                     next_version)

# Small numbers and a small alphabet, so that generated pairs often share a core or a
# prefix of identifiers: that is where precedence rules differ (rc.9 vs rc.10, a vs a.1,
# 1 vs a, build metadata ignored).
NUMBER = st.one_of(st.integers(0, 3), st.integers(0, 10**20))
NUMERIC_ID = NUMBER.map(str)
ALPHANUMERIC_ID = st.text("0aZ-9", min_size=1, max_size=4).filter(lambda s: not s.isdigit())
PRE_RELEASE = st.lists(st.one_of(NUMERIC_ID, ALPHANUMERIC_ID), min_size=1, max_size=4).map(".".join)
BUILD = st.lists(st.text("0aZ-9", min_size=1, max_size=4), min_size=1, max_size=3).map(".".join)


@st.composite
def versions(draw) -> str:
    text = ".".join(str(draw(NUMBER)) for _ in range(3))
    if draw(st.booleans()):
        text += "-" + draw(PRE_RELEASE)
    if draw(st.booleans()):
        text += "+" + draw(BUILD)
    return text


@settings(max_examples=600, derandomize=True, deadline=None)
@given(versions(), versions())
@example("1.0.0-rc.9", "1.0.0-rc.10")  # numeric identifiers compare as numbers
@example("1.0.0-1", "1.0.0-a")  # numeric identifiers sort before alphanumeric ones
@example("1.0.0-a", "1.0.0-a.1")  # a longer set of identifiers sorts after its prefix
@example("1.0.0-rc.1", "1.0.0")  # a pre-release sorts before its release
@example("1.0.0+build.1", "1.0.0+build.2")  # build metadata has no precedence
@example("1.0.0-Z", "1.0.0-a")  # alphanumeric identifiers compare in ASCII order
def test_precedence_matches_the_semver_package(a, b):
    assert compare_versions(a, b) == semver.Version.parse(a).compare(b)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(versions(), st.sampled_from(["patch", "minor", "major"]))
def test_the_proposed_next_version_makes_the_bump_it_is_proposed_for(version, bump):
    proposed = next_version(version, bump)
    assert semver.Version.parse(proposed).compare(version) == 1
    assert BUMP_ORDER[bump_between(version, proposed)] >= BUMP_ORDER[bump]


@pytest.mark.parametrize("old, new, bump", [
    ("2.0.0-rc.1", "2.0.0", "major"),  # the release of a pre-released major
    ("2.0.0-rc.1", "2.0.0-rc.2", "major"),  # still on the way to 2.0.0
    ("2.0.0-rc.1", "2.0.1", "major"),  # past 2.0.0
    ("2.1.0-rc.1", "2.1.0", "minor"),
    ("2.1.0-rc.1", "3.0.0", "major"),
    ("2.1.1-rc.1", "2.1.1", "patch"),
    ("2.1.1-rc.1", "2.2.0", "minor"),
    ("2.0.0-rc.1", "2.0.0+build.5", "major"),
])
def test_moving_on_from_a_pre_release_makes_the_bump_of_its_release(old, new, bump):
    assert bump_between(old, new) == bump


def _diff(old: str, new: str, kind: str) -> GuidelineDiff:
    declared = type("Declared", (), {"type": type("Type", (), {"value": kind})()})()
    return GuidelineDiff("mini", old, new, changes=[SemanticChange("label", "label a", "changed", kind)],
                         declared=[declared])


def test_releasing_a_pre_released_major_satisfies_a_definition_change():
    assert _diff("2.0.0-rc.1", "2.0.0", "definition").problems() == []
    assert _diff("2.0.0-rc.1", "2.0.0", "taxonomy").problems() == []


def test_releasing_a_pre_released_minor_does_not_satisfy_a_taxonomy_change():
    assert _diff("2.1.0-rc.1", "2.1.0", "definition").problems() == []
    assert _diff("2.1.0-rc.1", "2.1.0", "taxonomy").problems() == [
        "a minor bump (2.1.0-rc.1 -> 2.1.0) is smaller than the major bump these changes require (3.0.0)"]

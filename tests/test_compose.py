"""Composition: extends, named overrides, conflicts, folder confinement."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from railsim.config.compose import (
    check_override_conflicts,
    compose,
    leaf_paths,
)
from railsim.config.identity import merge as deep_merge
from railsim.errors import ScenarioError


def test_extends_merges_mappings_and_replaces_lists(write):
    write("_base.yaml", "title: base\ndemand:\n  walk_radius_m: 800\n  feeder_radius_m: 4000\n"
          "appraisal:\n  ramp_up: [0.5, 0.7]\n")
    child = write("child.yaml", "extends: _base.yaml\ndemand:\n  walk_radius_m: 1200\n"
                  "appraisal:\n  ramp_up: [0.9]\n")
    doc = compose(child).located
    assert doc.data["demand"] == {"walk_radius_m": 1200, "feeder_radius_m": 4000}
    assert doc.data["appraisal"]["ramp_up"] == [0.9]
    assert doc.data["name"] == "child"  # a base's name is never inherited
    # locations follow the file each value came from
    assert doc.locations[("demand", "feeder_radius_m")].file.endswith("_base.yaml")
    assert doc.locations[("demand", "walk_radius_m")].file.endswith("child.yaml")


def test_named_overrides_apply_in_order(write):
    write("_base.yaml", "overrides:\n  cheap:\n    demand: {fares: {fare_multiplier: 0.5}}\n"
          "  dense:\n    demand: {walk_radius_m: 500}\n")
    child = write("c.yaml", "extends: _base.yaml\napply: [cheap, dense]\n")
    composed = compose(child)
    assert composed.applied == ("cheap", "dense")
    assert composed.located.data["demand"] == {"fares": {"fare_multiplier": 0.5},
                                               "walk_radius_m": 500}


def test_conflicting_overrides_name_both(write):
    child = write("c.yaml", "overrides:\n  a:\n    demand: {walk_radius_m: 500}\n"
                  "  b:\n    demand: {walk_radius_m: 900}\napply: [a, b]\n")
    with pytest.raises(ScenarioError) as info:
        compose(child)
    text = str(info.value)
    assert "'a'" in text and "'b'" in text and "both set this key" in text
    assert "demand.walk_radius_m" in text


def test_unknown_override_suggests(write):
    child = write("c.yaml", "overrides:\n  electric: {}\napply: [electirc]\n")
    with pytest.raises(ScenarioError, match="did you mean 'electric'"):
        compose(child)


def test_extends_cannot_leave_root(write, tmp_path):
    write("outside.yaml", "title: x\n")
    child = write("set/child.yaml", "extends: ../outside.yaml\n")
    with pytest.raises(ScenarioError, match="leaves the scenario folder"):
        compose(child, root=tmp_path / "set")
    # the same file is fine when the root includes it
    assert compose(child, root=tmp_path).located.data["title"] == "x"


def test_circular_extends(write):
    write("a.yaml", "extends: b.yaml\n")
    b = write("b.yaml", "extends: a.yaml\n")
    with pytest.raises(ScenarioError, match="circular extends"):
        compose(b)


def test_circular_extends_names_the_whole_loop_from_the_file_checked(write):
    # the error stands where the loop closes (c.yaml, not the file checked): without the
    # loop, checking a.yaml blamed c.yaml alone
    a = write("a.yaml", "extends: b.yaml\n")
    write("b.yaml", "extends: c.yaml\n")
    write("c.yaml", "extends: a.yaml\n")
    with pytest.raises(ScenarioError) as raised:
        compose(a)
    message = str(raised.value)
    assert "c.yaml:1:1: extends: circular extends (" in message
    loop = message.split("circular extends (", 1)[1].split(")", 1)[0].split(" -> ")
    assert [Path(part).name for part in loop] == ["a.yaml", "b.yaml", "c.yaml", "a.yaml"]


def test_missing_base(write):
    child = write("c.yaml", "extends: nope.yaml\n")
    with pytest.raises(ScenarioError, match="file not found"):
        compose(child)


# --- hypothesis: composition laws -------------------------------------------------

keys = st.sampled_from(list(string.ascii_lowercase[:4]))
values = st.integers(0, 9)
partials = st.recursive(values, lambda inner: st.dictionaries(keys, inner, max_size=3),
                        max_leaves=6).filter(lambda d: isinstance(d, dict))


@given(a=partials, b=partials)
def test_disjoint_overrides_commute(a, b):
    """When no key is set by both, the order of applying overrides does not matter."""
    if check_override_conflicts([("a", a), ("b", b)]):
        return
    assert deep_merge(deep_merge({}, a), b) == deep_merge(deep_merge({}, b), a)


@given(a=partials, b=partials)
def test_conflict_detected_iff_orders_differ_or_shared_leaf(a, b):
    """A conflict is reported exactly when the two overrides touch a common key path."""
    conflicts = check_override_conflicts([("a", a), ("b", b)])
    shared = any(
        p[: min(len(p), len(q))] == q[: min(len(p), len(q))]
        for p in leaf_paths(a) if p
        for q in leaf_paths(b) if q
    )
    assert bool(conflicts) == shared


@given(a=partials, b=partials)
def test_merge_keeps_every_leaf_of_the_overlay(a, b):
    merged = deep_merge(a, b)
    for path in leaf_paths(b):
        node = merged
        expected = b
        for part in path:
            node = node[part]
            expected = expected[part]
        if expected == {}:
            # an empty mapping merged onto a mapping changes nothing, onto a scalar replaces it
            assert isinstance(node, dict)
        else:
            assert node == expected


def test_applied_overrides_setting_one_key_in_two_spellings_conflict(write):
    child = write("c.yaml", "overrides:\n  a:\n    appraisal.discount_rate: 0.04\n"
                  "  b:\n    appraisal: {discount_rate: 0.05}\n"
                  "  c:\n    service.lines[R1].weekday.headway_min: 30\n"
                  "  d:\n    service.lines[R1].saturday.headway_min: 60\n"
                  "service:\n  lines:\n    - id: R1\n      stations: [LH, HNL]\n"
                  "apply: [a, b]\n")
    with pytest.raises(ScenarioError) as info:
        compose(child)
    (problem,) = info.value.problems
    assert problem.field == "appraisal.discount_rate" and "both set this key" in problem.message
    assert "'a' (" in problem.message and "'b' (" in problem.message
    # two fields of one item selected by two overrides are two keys
    child.write_text(child.read_text(encoding="utf-8").replace("apply: [a, b]", "apply: [c, d]"),
                     encoding="utf-8")
    line = compose(child).located.data["service"]["lines"][0]
    assert line["weekday"] == {"headway_min": 30} and line["saturday"] == {"headway_min": 60}


def test_a_variant_that_changes_the_title_does_not_inherit_its_translations(tmp_path):
    """A variant renamed in `title` alone must not keep the base's Finnish title: the
    Finnish report would give two options one name."""
    (tmp_path / "base.yaml").write_text(
        "title: Heinola hourly\ntitle_fi: Heinola tunnin välein\ntitle_en: Heinola hourly\n",
        encoding="utf-8")
    (tmp_path / "renamed.yaml").write_text("extends: base.yaml\ntitle: Heinola two-hourly\n",
                                           encoding="utf-8")
    (tmp_path / "both.yaml").write_text(
        "extends: base.yaml\ntitle: Heinola two-hourly\ntitle_fi: Heinola kahden tunnin "
        "välein\n", encoding="utf-8")
    (tmp_path / "same.yaml").write_text("extends: base.yaml\ndescription: the same\n",
                                        encoding="utf-8")
    renamed = compose(tmp_path / "renamed.yaml").located.data
    assert renamed["title"] == "Heinola two-hourly"
    assert "title_fi" not in renamed and "title_en" not in renamed
    both = compose(tmp_path / "both.yaml").located.data
    assert both["title_fi"] == "Heinola kahden tunnin välein" and "title_en" not in both
    same = compose(tmp_path / "same.yaml").located.data
    assert same["title_fi"] == "Heinola tunnin välein"


def test_a_title_set_on_the_command_line_drops_the_old_translations():
    from pathlib import Path

    from railsim import load_scenario

    file = Path(__file__).resolve().parent.parent / "scenarios" / "orimattila-lahti-hourly.yaml"
    renamed = load_scenario(file, settings={"title": "New"})
    assert (renamed.title, renamed.title_fi, renamed.title_en) == ("New", "", "")
    both = load_scenario(file, settings={"title": "New", "title_fi": "Uusi"})
    assert both.title_fi == "Uusi"
    same = load_scenario(file, settings={"title": load_scenario(file).title})
    assert same.title_fi == load_scenario(file).title_fi

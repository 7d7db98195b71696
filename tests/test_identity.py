"""Composition by identity: variants change one item without losing the others."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import railsim
from railsim.cli import cli
from railsim.config.compose import compose, leaf_paths
from railsim.config.identity import merge
from railsim.errors import ScenarioError

BASE = """\
service:
  lines:
    - id: R1
      stations: [HNL, VRM, AHT, LH]
      weekday: {first_departure: "05:30", last_departure: "22:30", headway_min: 60}
      saturday: {first_departure: "07:30", last_departure: "21:30", headway_min: 120}
    - id: R2
      stations: [LH, PNL, OM]
      weekday: {first_departure: "06:00", last_departure: "20:00", headway_min: 120}
infrastructure:
  passing_loops:
    - {line: HEI, km: 18.7}
  new_stops: [{station: AHT}, {station: VRM}, {station: HNL}, {station: PNL}, {station: OM}]
"""


def test_a_selector_changes_one_field_and_keeps_the_rest(write):
    write("_base.yaml", BASE)
    variant = write("v.yaml", "extends: _base.yaml\n"
                              "service.lines[R1].weekday.headway_min: 120\n")
    lines = compose(variant).located.data["service"]["lines"]
    assert [line["id"] for line in lines] == ["R1", "R2"]
    assert lines[0]["weekday"]["headway_min"] == 120
    assert lines[0]["weekday"]["first_departure"] == "05:30"
    assert lines[0]["saturday"]["headway_min"] == 120  # the Saturday service survives


def test_a_variant_list_merges_items_by_identity(write):
    write("_base.yaml", BASE)
    variant = write("v.yaml", "extends: _base.yaml\n"
                              "infrastructure:\n  passing_loops: [{line: HEI, km: 25.5}]\n"
                              "service:\n  lines:\n    - {id: R2, remove: true}\n"
                              "    - {id: R1, weekday: {headway_min: 30}}\n")
    data = compose(variant).located.data
    assert data["infrastructure"]["passing_loops"] == [{"line": "HEI", "km": 18.7},
                                                      {"line": "HEI", "km": 25.5}]
    assert [line["id"] for line in data["service"]["lines"]] == ["R1"]
    assert data["service"]["lines"][0]["weekday"] == {
        "first_departure": "05:30", "last_departure": "22:30", "headway_min": 30}


@pytest.mark.parametrize(("text", "expected"), [
    ("service.lines[R9].weekday.headway_min: 30\n", "no item R9 to change"),
    ("service:\n  lines:\n    - {id: R9, remove: true}\n", "no item R9 to remove"),
    ("infrastructure.passing_loops[HEI].length_m: 500\n", "selected by line@km"),
    ("costs.unit_cost_overrides[x]: 1\n", "has no item identity"),
])
def test_a_selector_that_finds_nothing_is_a_located_error(write, text, expected):
    write("_base.yaml", BASE)
    variant = write("v.yaml", "extends: _base.yaml\n" + text)
    with pytest.raises(ScenarioError) as info:
        compose(variant)
    problem = info.value.problems[0]
    assert expected in problem.message
    assert problem.file.endswith("v.yaml") and problem.line in (2, 3, 4)
    if "R9" in expected:
        assert "R1, R2" in problem.message  # says what there is


def test_selectors_in_overrides_python_and_the_command_line(write, tmp_path):
    base = railsim.load_scenario("scenarios/through-hourly-peaks.yaml", "scenarios")
    changed = railsim.with_overrides(base, {"service.lines[R1].weekday.headway_min": 120,
                                            "service.lines[R1].weekday.peaks": []})
    assert changed.service.lines[0].weekday is not None
    assert changed.service.lines[0].weekday.headway_min == 120
    assert changed.service.lines[0].saturday == base.service.lines[0].saturday
    with pytest.raises(ScenarioError, match="no item R7"):
        railsim.with_overrides(base, {"service.lines[R7].weekday.headway_min": 30})
    result = CliRunner().invoke(cli, ["validate", "scenarios/through-hourly-peaks.yaml",
                                      "--set", "service.lines[R1].saturday.headway_min=60"])
    assert result.exit_code == 0, result.output


ids = st.sampled_from(["A", "B", "C"])
items = st.fixed_dictionaries({"id": ids}, optional={"x": st.integers(0, 3),
                                                     "y": st.integers(0, 3)})
documents = st.fixed_dictionaries({}, optional={
    "service": st.fixed_dictionaries({}, optional={"lines": st.lists(
        items, max_size=3, unique_by=lambda i: i["id"])}),
    "title": st.sampled_from(["a", "b"]),
    "demand": st.fixed_dictionaries({}, optional={"walk_radius_m": st.integers(1, 3)}),
})


@given(documents, documents, documents)
def test_merge_is_associative(a, b, c):
    assert merge(merge(a, b), c) == merge(a, merge(b, c))


@given(documents, documents)
def test_what_the_variant_does_not_touch_survives(base, variant):
    merged = merge(base, variant)
    for line in base.get("service", {}).get("lines", []):
        mine = next(x for x in merged["service"]["lines"] if x["id"] == line["id"])
        touched = next((x for x in variant.get("service", {}).get("lines", [])
                        if x["id"] == line["id"]), {})
        for key, value in line.items():
            if key not in touched:
                assert mine[key] == value
    for path in leaf_paths({k: v for k, v in base.items() if k != "service"}):
        if not any(path[:len(q)] == q or q[:len(path)] == path for q in leaf_paths(variant)):
            node, expected = merged, base
            for part in path:
                node, expected = node[part], expected[part]
            assert node == expected


def test_a_client_folder_extends_the_shipped_scenarios_with_a_root(tmp_path):
    from pathlib import Path

    shipped = Path(__file__).resolve().parent.parent / "scenarios"
    client = tmp_path / "client"
    client.mkdir()
    relative = Path("..", *[".."] * (len(client.parts) - 1), *shipped.parts[1:])
    (client / "variant.yaml").write_text(
        f"extends: {relative.as_posix()}/heinola-lahti-hourly.yaml\n"
        "title: Client variant\nservice.lines[H1].weekday.headway_min: 120\n",
        encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(cli, ["validate", str(client)])
    assert refused.exit_code == 1
    assert "path leaves the scenario folder" in refused.output and "--root" in refused.output
    allowed = runner.invoke(cli, ["--root", str(shipped), "validate", str(client)])
    assert allowed.exit_code == 0, allowed.output
    scenario = railsim.load_scenario(client / "variant.yaml", roots=[shipped])
    assert scenario.service.lines[0].weekday is not None
    assert scenario.service.lines[0].weekday.headway_min == 120
    assert scenario.service.lines[0].saturday is not None  # kept from the shipped file
    # everything else stays confined: a root does not open the rest of the machine
    (client / "escape.yaml").write_text("extends: /etc/hostname\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="leaves the scenario folder"):
        railsim.load_scenario(client / "escape.yaml", roots=[shipped])


@pytest.mark.parametrize(("given", "meant"), [("VIERUMAKI", "'VRM' (Vierumäki)"),
                                              ("vierumäki", "'VRM' (Vierumäki)"),
                                              ("jarvela", "'JRL' (Järvelä)"),
                                              ("HNLL", "'HNL' (Heinola)")])
def test_a_station_name_or_a_near_id_suggests_the_id(write, given, meant):
    write("v.yaml", "service:\n  lines:\n    - id: R1\n"
                    f"      stations: [LH, {given}]\n"
                    "      weekday: {first_departure: '06:00', last_departure: '20:00', "
                    "headway_min: 60}\n")
    with pytest.raises(ScenarioError) as info:
        railsim.load_scenario(write("w.yaml", "extends: v.yaml\n"))
    problem = next(p for p in info.value.problems if p.field.endswith("stations[1]"))
    assert problem.hint == f"did you mean {meant}?"
    if given.isupper():  # an id-shaped word: the ids there are are listed
        assert problem.message == "unknown station"
        assert "VRM (Vierumäki)" in problem.allowed and "LH (Lahti)" in problem.allowed

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
    # was "no item HEI@18.7 to remove (there are: HEI@18.7)": the km quoted, a text
    ("infrastructure:\n  passing_loops:\n    - {line: HEI, km: '18.7', remove: true}\n",
     "one is written as text, the other as a number: write numbers without quotes"),
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


def test_a_selector_may_hold_a_dot(write):
    """A loop at a decimal km (the shipped one is at 18.7) and an uncertain input (its
    target is a dotted path) were "not a field path": the key was split at every dot."""
    write("_base.yaml", BASE + "uncertainty:\n  inputs:\n    - target: costs.capex_multiplier\n"
          "      distribution: {kind: uniform, low: 0.8, high: 1.2}\n")
    variant = write("v.yaml", "extends: _base.yaml\n"
                              "infrastructure.passing_loops[HEI@18.7].length_m: 500\n"
                              "uncertainty.inputs[costs.capex_multiplier].mode: replace\n")
    data = compose(variant).located.data
    assert data["infrastructure"]["passing_loops"] == [{"line": "HEI", "km": 18.7,
                                                       "length_m": 500}]
    assert data["uncertainty"]["inputs"][0]["mode"] == "replace"
    base = railsim.load_scenario("scenarios/heinola-lahti-hourly.yaml", "scenarios")
    changed = railsim.with_overrides(base, {
        "infrastructure.passing_loops[HEI@18.7].length_m": 600,
        "uncertainty.inputs[costs.opex_multiplier].distribution.high": 1.3})
    assert changed.infrastructure.passing_loops[0].length_m == 600
    opex = next(i for i in changed.uncertainty.inputs if i.target == "costs.opex_multiplier")
    assert getattr(opex.distribution, "high", None) == 1.3
    result = CliRunner().invoke(cli, ["validate", "scenarios/heinola-lahti-hourly.yaml",
                                      "--set", "infrastructure.passing_loops[HEI@18.7]"
                                      ".length_m=500"])
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



def test_a_root_that_is_no_folder_is_refused_by_name(tmp_path):
    """A misspelt --root (or roots=) was taken without a word: the extends it was for
    then only said "path leaves the scenario folder"."""
    (tmp_path / "client").mkdir()
    variant = tmp_path / "client" / "v.yaml"
    variant.write_text("extends: ../shipped/base.yaml\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        railsim.load_scenario(variant, roots=[tmp_path / "shiped"], check=False)
    (problem,) = info.value.problems
    assert problem.message == "cannot use a --root folder: not an existing folder"
    assert problem.given == str(tmp_path / "shiped")
    result = CliRunner().invoke(cli, ["--root", str(tmp_path / "shiped"), "validate",
                                      str(variant)])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_a_railsim_toml_beside_the_scenarios_names_the_roots(tmp_path):
    from pathlib import Path

    shipped = Path(__file__).resolve().parent.parent / "scenarios"
    (tmp_path / "shipped").symlink_to(shipped)
    client = tmp_path / "client"
    client.mkdir()
    (client / "variant.yaml").write_text(
        "extends: ../shipped/heinola-lahti-hourly.yaml\n"
        "service.lines[H1].weekday.headway_min: 120\n", encoding="utf-8")
    (client / "railsim.toml").write_text('[extends]\nroots = ["../shipped"]\n',
                                         encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(cli, ["validate", str(client)])
    assert ok.exit_code == 0, ok.output
    scenario = railsim.load_scenario(client / "variant.yaml")
    assert scenario.service.lines[0].weekday is not None
    assert scenario.service.lines[0].weekday.headway_min == 120
    # confinement holds for everything else
    (client / "escape.yaml").write_text("extends: /etc/hostname\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="leaves the scenario folder"):
        railsim.load_scenario(client / "escape.yaml")
    # a malformed file or a root that is not a folder: the file, the line, what is allowed
    for text, line, message in (('[extends]\nroots = [../shipped]\n', 2, "not valid TOML"),
                                ('[extends]\nroots = ["../nowhere"]\n', 2, "not a folder"),
                                ('[extend]\nroots = []\n', 1, "unknown key")):
        (client / "railsim.toml").write_text(text, encoding="utf-8")
        with pytest.raises(ScenarioError) as info:
            railsim.load_scenario(client / "variant.yaml")
        problem = info.value.problems[0]
        assert problem.file.endswith("railsim.toml") and message in problem.message
        assert problem.line == line and "roots" in problem.allowed
        refused = runner.invoke(cli, ["validate", str(client)])
        assert refused.exit_code == 1 and "Traceback" not in refused.output

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


def test_schema_and_station_problems_of_a_file_come_in_one_round(write):
    """A misspelt key stops the cross-checks; the unknown stations are still reported, at
    their lines, in file order, and a station field the schema flags is not repeated."""
    path = write("both.yaml",
                 "name: both\n"
                 "servce: {}\n"
                 "service:\n  lines:\n    - id: R1\n"
                 "      stations: [LH, VIERUMAKI, hnl]\n"
                 "      weekday: {first_departure: '06:00', last_departure: '20:00', "
                 "headway_min: 60}\n"
                 "operations:\n  dwell_by_station_s: {NASTOLA: 40}\n"
                 "infrastructure:\n  new_stops: [{station: PENNALA}]\n"
                 "rolling_stock: {type: Dm12, unitz: 2}\n")
    with pytest.raises(ScenarioError) as info:
        railsim.load_scenario(path)
    found = [(p.line, p.field, p.message) for p in info.value.problems]
    assert [line for line, _, _ in found] == sorted(line for line, _, _ in found)
    fields = [f for _, f, _ in found]
    assert "servce" in fields and "rolling_stock.unitz" in fields
    unknown = {f: p for p in info.value.problems if (f := p.field) and
               p.message == "unknown station"}
    assert set(unknown) == {"service.lines[0].stations[1]",
                            "operations.dwell_by_station_s.NASTOLA",
                            "infrastructure.new_stops[0].station"}
    assert unknown["service.lines[0].stations[1]"].line == 6
    assert unknown["service.lines[0].stations[1]"].hint == "did you mean 'VRM' (Vierumäki)?"
    assert unknown["infrastructure.new_stops[0].station"].hint.startswith("did you mean 'PNL'")
    # the lower-case id fails the schema's pattern once (with its own hint), not twice
    assert fields.count("service.lines[0].stations[2]") == 1


def test_the_readme_tour_variant_validates_and_diffs_against_its_base(tmp_path):
    """The README's variant written from scratch: validated and diffed against its base, as
    the tour shows (the run itself is the batch tests' business)."""
    import re
    import shutil
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    readme = (repo / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- tour-variant[^>]*-->\n```yaml\n(.*?)```", readme, re.S)
    assert block is not None, "the README tour lost its variant"
    shutil.copytree(repo / "scenarios", tmp_path / "scenarios")
    client = tmp_path / "client"
    client.mkdir()
    (client / "heinola-2h.yaml").write_text(block.group(1), encoding="utf-8")
    assert 'roots = ["../scenarios"]' in readme
    (client / "railsim.toml").write_text('[extends]\nroots = ["../scenarios"]\n',
                                         encoding="utf-8")
    runner = CliRunner()
    checked = runner.invoke(cli, ["validate", str(client)])
    assert checked.exit_code == 0, checked.output
    compared = runner.invoke(cli, ["diff", str(tmp_path / "scenarios/heinola-lahti-hourly.yaml"),
                                   str(client / "heinola-2h.yaml")])
    assert compared.exit_code == 0, compared.output
    assert "service.lines[H1].weekday.headway_min" in compared.output
    assert "60" in compared.output and "120" in compared.output
    # the README says so: the base's title_fi the variant drops is a label, not an input
    assert "2 input(s)" not in compared.output and "title_fi" not in compared.output


def _only_problem(path, **kw) -> tuple[str, int, str, str]:
    """The one problem of ``path`` (BASE's lines lack train protection: not this one)."""
    with pytest.raises(ScenarioError) as info:
        railsim.load_scenario(path, **kw)
    (problem,) = [p for p in info.value.problems if "train protection" not in p.message]
    return problem.file.rsplit("/", 1)[-1], problem.line, problem.field, problem.message


@pytest.mark.parametrize(("text", "line"), [
    # a dotted key: its own line, not the base's line of the item it changes
    ("service.lines[R2].weekday.headway_min: 7\n", 2),
    ("service.lines[R2]: {weekday: {headway_min: 7}}\n", 2),
    # nested: R2 is the variant's first item but the base's second
    ("service:\n  lines:\n    - id: R2\n      weekday: {headway_min: 7}\n", 5),
])
def test_a_changed_value_is_reported_where_the_variant_writes_it(write, text, line):
    write("_base.yaml", BASE)
    variant = write("v.yaml", "extends: _base.yaml\n" + text)
    file, found, field, message = _only_problem(variant)
    assert (file, found, field) == ("v.yaml", line, "service.lines[1].weekday.headway_min")
    assert "clock-face" in message


def test_an_inherited_value_keeps_its_line_when_an_item_before_it_is_removed(write):
    write("_base.yaml", BASE.replace("20:00\", headway_min: 120", "20:00\", headway_min: 7"))
    variant = write("v.yaml", "extends: _base.yaml\n"
                              "service:\n  lines:\n    - {id: R1, remove: true}\n")
    # R2 moves to position 0; its headway was written on line 9 of the base
    assert _only_problem(variant)[:3] == ("_base.yaml", 9, "service.lines[0].weekday.headway_min")


def test_an_inherited_distribution_of_another_kind_is_replaced_whole(write):
    write("_base.yaml", BASE + "uncertainty:\n  inputs:\n    - target: costs.capex_multiplier\n"
          "      distribution: {kind: triangular, low: 0.8, mode: 0.95, high: 1.25}\n")
    variant = write("v.yaml", "extends: _base.yaml\nuncertainty: {inputs: [{target: "
                              "costs.capex_multiplier, distribution: {kind: uniform, "
                              "low: 0.9, high: 1.3}}]}\n")
    (item,) = compose(variant).located.data["uncertainty"]["inputs"]
    assert item["distribution"] == {"kind": "uniform", "low": 0.9, "high": 1.3}
    # the same kind still merges field by field
    same = write("w.yaml", "extends: _base.yaml\nuncertainty: {inputs: [{target: "
                           "costs.capex_multiplier, distribution: {high: 1.5}}]}\n")
    (item,) = compose(same).located.data["uncertainty"]["inputs"]
    assert item["distribution"] == {"kind": "triangular", "low": 0.8, "mode": 0.95, "high": 1.5}
    # and a problem of the new distribution is the variant's
    bad = write("x.yaml", "extends: _base.yaml\nuncertainty: {inputs: [{target: "
                          "costs.capex_multiplier, distribution: {kind: uniform, "
                          "low: 0, high: 0}}]}\n")
    file, line, field, message = _only_problem(bad)
    assert (file, line, field) == ("x.yaml", 2, "uncertainty.inputs[0].distribution")
    assert "greater than low" in message


@pytest.mark.parametrize(("text", "first", "second"), [
    ("appraisal: {discount_rate: 0.04}\nappraisal.discount_rate: 0.05\n", 1, 2),
    ("appraisal.discount_rate: 0.05\nappraisal: {discount_rate: 0.04}\n", 2, 1),
    ("service:\n  lines:\n    - {id: R1, weekday: {headway_min: 30}}\n"
     "service.lines[R1].weekday.headway_min: 20\n", 3, 4),
    ("service.lines[R1].weekday: {headway_min: 30}\n"
     "service.lines[R1].weekday.headway_min: 20\n", 1, 2),
])
def test_a_field_set_twice_in_one_file_names_both_lines(write, text, first, second):
    write("_base.yaml", BASE)
    variant = write("v.yaml", text + "extends: _base.yaml\n")
    with pytest.raises(ScenarioError) as info:
        compose(variant)
    (problem,) = info.value.problems
    assert problem.file.endswith("v.yaml") and problem.line == max(first, second)
    assert f"at line {first}" in problem.message and f"at line {second}" in problem.message
    assert "set twice" in problem.message


def test_other_fields_of_one_item_may_be_set_nested_and_dotted(write):
    write("_base.yaml", BASE)
    variant = write("v.yaml", "extends: _base.yaml\nservice:\n  lines:\n"
                              "    - {id: R2, weekday: {headway_min: 60}}\n"
                              "service.lines[R1].weekday.headway_min: 30\n"
                              "service.lines[R1].saturday.headway_min: 60\n")
    lines = compose(variant).located.data["service"]["lines"]
    assert [line["weekday"]["headway_min"] for line in lines] == [30, 60]


def test_a_day_schedule_a_dotted_key_changes_is_reported_at_the_key(tmp_path):
    """The timetable's problem is placed at the day schedule, as for the nested spelling:
    at the variant's line when the variant changed it, at <command line> for --set."""
    import shutil
    from pathlib import Path

    shipped = Path(__file__).resolve().parent.parent / "scenarios"
    for name in ("_base", "heinola-lahti-hourly"):
        shutil.copy(shipped / f"{name}.yaml", tmp_path / f"{name}.yaml")
    variant = tmp_path / "v.yaml"
    variant.write_text("extends: heinola-lahti-hourly.yaml\n"
                       "service.lines[H1].weekday.headway_min: 30\n", encoding="utf-8")
    for path, settings, file, line in [
            (variant, None, "v.yaml", 2),
            (tmp_path / "heinola-lahti-hourly.yaml",
             {"service.lines[H1].weekday.headway_min": 30}, "<command line>", 0)]:
        with pytest.raises(ScenarioError) as info:
            railsim.load_scenario(path, settings=settings, timetable=True)
        (problem,) = info.value.problems
        assert problem.field == "service.lines[0].weekday"
        assert "cannot run every 30 min" in problem.message
        assert (problem.file.rsplit("/", 1)[-1], problem.line) == (file, line)

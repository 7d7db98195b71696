"""with_overrides: dotted paths, list indices, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import railsim
from railsim.errors import ScenarioError

HEINOLA = Path(__file__).parent.parent / "scenarios" / "heinola-lahti-hourly.yaml"


@pytest.fixture(scope="module")
def heinola() -> railsim.Scenario:
    return railsim.load_scenario(HEINOLA)


def test_indexed_path_changes_one_list_item(heinola):
    changed = railsim.with_overrides(heinola, {"service.lines[0].weekday.headway_min": 120})
    line, before = changed.service.lines[0], heinola.service.lines[0]
    assert line.weekday is not None and before.weekday is not None
    assert line.weekday.headway_min == 120
    # everything else of the line is kept, and the original is untouched
    assert line.weekday.first_departure == before.weekday.first_departure
    assert line.stations == before.stations and before.weekday.headway_min == 60


def test_indexed_path_can_replace_a_whole_item(heinola):
    loop = {"line": "HEI", "km": 20.0}
    changed = railsim.with_overrides(heinola, {"infrastructure.passing_loops[-1]": loop})
    assert changed.infrastructure.passing_loops[-1].km == 20.0


def test_indexed_and_plain_paths_mix(heinola):
    changed = railsim.with_overrides(heinola, {"service.lines[0].weekday.headway_min": 120,
                                               "demand.fares.fare_multiplier": 0.5})
    assert changed.demand.fares.fare_multiplier == 0.5
    assert changed.service.lines[0].weekday is not None
    assert changed.service.lines[0].weekday.headway_min == 120


@pytest.mark.parametrize(("path", "expected"), [
    ("service.lines[3].weekday.headway_min", "no item 3 in service.lines; allowed: indices 0 to 0"),
    ("service.routes[0].weekday.headway_min", "no such field: service.routes[0]"),
    ("service.lines[0].wekday.headway_min", "no such field: service.lines[0].wekday"),
])
def test_bad_indexed_path_names_it(heinola, path, expected):
    with pytest.raises(ScenarioError) as error:
        railsim.with_overrides(heinola, {path: 1})
    assert str(error.value) == f"<overrides>: {path}: {expected}"


def test_misspelt_last_key_is_an_unknown_key(heinola):
    with pytest.raises(ScenarioError, match="unknown key"):
        railsim.with_overrides(heinola, {"service.lines[0].weekday.headwey_min": 30})


@pytest.mark.parametrize(("changes", "message"), [
    (None, "changes must map dotted paths to values.*got NoneType"),
    ([("simulation.seed", 3)], "got list"),
    ({3: 1}, "keys must be dotted paths.*got 3"),
])
def test_changes_that_are_not_a_mapping_of_paths_say_so(heinola, changes, message):
    with pytest.raises(TypeError, match=message):
        railsim.with_overrides(heinola, changes, check=False)


def test_an_identity_selector_mixes_with_positions(heinola):
    first = heinola.service.lines[0]
    new = railsim.with_overrides(heinola, {f"service.lines[{first.id}].stations[0]":
                                           first.stations[0]}, check=False)
    assert new.service.lines[0].stations == first.stations
    changed = railsim.with_overrides(heinola, {
        f"service.lines[{first.id}].stations[-1]": "OM",  # not its last station already
        f"service.lines[{first.id}].weekday.headway_min": 120}, check=False)
    assert first.stations[-1] != "OM"
    assert changed.service.lines[0].stations == [*first.stations[:-1], "OM"]
    assert changed.service.lines[0].weekday.headway_min == 120
    with pytest.raises(ScenarioError) as info:
        railsim.with_overrides(heinola, {"service.lines[X9].stations[0]": "LH"}, check=False)
    (problem,) = info.value.problems
    assert problem.field == "service.lines[X9].stations[0]"
    assert "no item X9 in service.lines" in problem.message and problem.allowed == first.id
    with pytest.raises(ScenarioError) as info:
        railsim.with_overrides(heinola, {f"service.lines[{first.id}].stations[40]": "LH"},
                               check=False)
    assert info.value.problems[0].field == f"service.lines[{first.id}].stations[40]"


@pytest.mark.parametrize("call", [
    lambda s: railsim.with_overrides(str(HEINOLA), {"simulation.seed": 3}),
    lambda s: railsim.with_overrides(s.model_dump(), {"simulation.seed": 3}),
    lambda s: railsim.plan_service(str(HEINOLA)),
    lambda s: railsim.forecast(None),
    lambda s: railsim.evaluate(HEINOLA),
    lambda s: railsim.search_loops(s.model_dump()),
])
def test_a_function_given_something_else_than_a_scenario_says_what_it_takes(heinola, call):
    # a notebook passes the file's path or a dict: it was an AttributeError from deep in
    # a model ("'str' object has no attribute 'infrastructure'")
    with pytest.raises(TypeError, match=r"takes a railsim\.Scenario|expected a railsim\.Scenario"):
        call(heinola)


def test_the_path_of_a_scenario_file_is_told_to_be_loaded_first(heinola):
    with pytest.raises(TypeError, match=r"got PosixPath; read the file first: "
                                        r"railsim\.load_scenario\(.*heinola-lahti-hourly"):
        railsim.evaluate(HEINOLA)
    with pytest.raises(TypeError, match=r"plan must be a ServicePlan.*got str"):
        railsim.forecast(heinola, "weekday")


@pytest.mark.parametrize(("workers", "error", "message"), [
    (0, ValueError, "workers must be at least 1; given 0"),
    (-2, ValueError, "at least 1; given -2"),
    ("2", TypeError, "workers must be a whole number of processes; got str '2'"),
    (2.5, TypeError, "got float 2.5"),
    (True, TypeError, "got bool True"),
])
def test_workers_that_are_not_a_count_of_processes_are_refused(heinola, tmp_path, workers,
                                                               error, message):
    # evaluate(workers=0) ran, and run_batch(workers=0) took all cores; "2" and 2.5 were
    # "'<=' not supported" or "'float' object cannot be interpreted as an integer"
    with pytest.raises(error, match=message):
        railsim.evaluate(heinola, workers=workers)
    with pytest.raises(error, match=message):
        railsim.run_batch(HEINOLA, tmp_path / "out", workers=workers)
    assert not (tmp_path / "out").exists()


def test_run_batch_given_a_scenario_object_or_nothing_says_what_it_takes(heinola, tmp_path):
    # a Scenario was iterated as its fields: "expected str, bytes or os.PathLike object,
    # not Infrastructure"
    with pytest.raises(TypeError, match=r"run_batch takes scenario files or folders.*"
                                        r"railsim\.evaluate\(scenario\)"):
        railsim.run_batch(heinola, tmp_path / "out")
    with pytest.raises(TypeError, match=r"a scenario file or folder.*got NoneType"):
        railsim.run_batch(None, tmp_path / "out")
    with pytest.raises(TypeError, match=r"a scenario file or folder.*got int"):
        railsim.find_scenarios(3)
    assert not (tmp_path / "out").exists()


def test_numpy_numbers_are_taken_as_the_numbers_they_are(heinola):
    # np.arange and DataFrame cells give np.int64: refused as "not a valid integer"
    np = pytest.importorskip("numpy")
    changed = railsim.with_overrides(heinola, {
        "simulation.replications": np.int64(20), "uncertainty.draws": np.int32(300),
        "demand.park_and_ride": np.bool_(False),
        "service.lines[0].weekday.headway_min": np.int64(120)}, check=False)
    assert changed.simulation.replications == 20
    assert type(changed.simulation.replications) is int
    assert changed.uncertainty.draws == 300 and changed.demand.park_and_ride is False
    assert changed.service.lines[0].weekday.headway_min == 120
    with pytest.raises(ScenarioError, match=r"simulation\.replications: .*given 0"):
        railsim.with_overrides(heinola, {"simulation.replications": np.int64(0)}, check=False)


@pytest.mark.parametrize("changes", [
    {"infrastructure.passing_loops": [{"line": "HEI", "km": 99, "remove": True}]},
    {"infrastructure": {"passing_loops": [{"line": "HEI", "km": 99, "remove": True}]}},
])
def test_removing_an_item_that_is_not_there_is_a_scenario_error(heinola, changes):
    """A ``remove: true`` that finds nothing escaped as a bare CompositionError (a
    ValueError with no source nor field) instead of the project's ScenarioError."""
    with pytest.raises(ScenarioError) as info:
        railsim.with_overrides(heinola, changes)
    (problem,) = info.value.problems
    assert problem.file == "<overrides>" and problem.field == "infrastructure.passing_loops"
    assert "no item HEI@99 to remove" in problem.message and "HEI@18.7" in problem.message

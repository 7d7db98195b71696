"""The public Python API used carelessly, as in a hurried notebook: every mistake is a
clear error naming the argument, the value given and what is allowed; nothing is
silently wrong and nothing is lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import railsim
from railsim.errors import DataError, ScenarioError

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
HEINOLA = SCENARIOS / "heinola-lahti-hourly.yaml"


@pytest.fixture(scope="module")
def heinola() -> railsim.Scenario:
    return railsim.load_scenario(HEINOLA)


# -- the corridor and its data folder ----------------------------------------------------


@pytest.mark.parametrize("kind", ["empty", "scenarios"])
def test_a_folder_without_data_tables_is_no_corridor(tmp_path, kind):
    # An empty folder or the scenario folder loaded as a corridor of 0 tables; the mistake
    # surfaced later as "data table 'line_stations' not found: .../network/line_stations.csv"
    folder = tmp_path if kind == "empty" else SCENARIOS
    with pytest.raises(DataError, match=rf"not a railsim data folder: {folder} holds none of "
                                        r"the data tables \(network/lines\.csv"):
        railsim.load_corridor(folder)
    with pytest.raises(DataError, match="not a railsim data folder"):
        railsim.load_scenario(HEINOLA, corridor=folder)


def test_a_file_given_as_the_data_folder_says_it_is_a_file():
    with pytest.raises(DataError, match=rf"not a data folder: {HEINOLA} is a file"):
        railsim.load_corridor(HEINOLA)


def test_an_empty_data_folder_name_is_not_the_current_folder(heinola):
    # "" was Path("."): the current folder taken as a corridor
    with pytest.raises(ValueError, match=r"railsim\.load_corridor: folder is an empty path"):
        railsim.load_corridor("")
    with pytest.raises(ValueError, match=r"railsim\.evaluate: corridor is an empty path"):
        railsim.evaluate(heinola, corridor=" ")


@pytest.mark.parametrize("corridor", [3, {"folder": "data"}, True])
def test_a_corridor_of_another_type_says_what_is_taken(heinola, corridor):
    # was "expected str, bytes or os.PathLike object, not int" from pathlib
    with pytest.raises(TypeError, match=r"railsim\.plan_service: corridor must be a "
                                        r"railsim\.Corridor .*, a data folder \(a str or Path\) "
                                        rf"or None; got {type(corridor).__name__}"):
        railsim.plan_service(heinola, corridor=corridor)
    with pytest.raises(TypeError, match=r"railsim\.load_corridor: folder must be a str or Path"):
        railsim.load_corridor(corridor)


def test_data_folder_is_public():
    assert railsim.data_folder() == railsim.load_corridor().folder
    assert railsim.data_folder("elsewhere") == Path("elsewhere")


# -- run_batch ---------------------------------------------------------------------------

CHEAP = {"simulation.replications": 2, "uncertainty.draws": 20}


def _do_minimum_folder(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in ("_base.yaml", "do-minimum.yaml"):
        shutil.copy(SCENARIOS / name, folder)
    return folder


def test_a_batch_of_no_scenario_files_loses_no_results(tmp_path):
    # An empty folder (or list) ran "successfully": summary.csv was replaced by an empty
    # one, and with prune=True every result folder of the last run was deleted.
    out = tmp_path / "out"
    railsim.run_batch(_do_minimum_folder(tmp_path / "s"), out, workers=1, settings=CHEAP)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match=rf"run_batch: no scenario files found in: "
                                         rf"{tmp_path / 'empty'}$"):
        railsim.run_batch(tmp_path / "empty", out, workers=1, prune=True)
    with pytest.raises(ValueError, match="no scenario files found in: an empty list"):
        railsim.run_batch([], out, workers=1, prune=True)
    assert (out / "do-minimum" / "kpis.csv").is_file()
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_a_missing_path_is_refused_before_anything_is_written(tmp_path):
    # it left out/nope/error.txt ("file not found"); the command line refuses it first
    folder = _do_minimum_folder(tmp_path / "s")
    with pytest.raises(ValueError, match=rf"no such file or folder: {tmp_path / 'nope'}$"):
        railsim.run_batch([folder, tmp_path / "nope"], tmp_path / "out", workers=1)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["inside", "same"])
def test_out_in_the_scenario_folder_is_refused(tmp_path, where):
    # results were written among the scenarios, which the next run over the folder reads
    folder = _do_minimum_folder(tmp_path / "s")
    out = folder / "results" if where == "inside" else folder
    with pytest.raises(ValueError, match=rf"out {out} is inside the scenario folder {folder}: "
                                         "the next run over .* would read the results as "
                                         "scenarios"):
        railsim.run_batch(folder, out, workers=1)
    assert sorted(p.name for p in folder.iterdir()) == ["_base.yaml", "do-minimum.yaml"]


def test_an_empty_path_is_not_the_current_folder(tmp_path, monkeypatch):
    # out="" wrote the results into the current folder; paths="" ran every scenario in it
    folder = _do_minimum_folder(tmp_path / "s")
    monkeypatch.chdir(folder)
    with pytest.raises(ValueError, match=r"railsim\.run_batch: out is an empty path"):
        railsim.run_batch(folder, "", workers=1)
    with pytest.raises(ValueError, match=r"item 1 of the list is an empty path, which would "
                                         r"be the current folder"):
        railsim.run_batch([folder, ""], tmp_path / "out", workers=1)
    with pytest.raises(ValueError, match="the path is an empty path, which would be the "
                                         "current folder"):
        railsim.find_scenarios("")
    assert sorted(p.name for p in folder.iterdir()) == ["_base.yaml", "do-minimum.yaml"]


@pytest.mark.parametrize(("options", "error", "message"), [
    ({"settings": [("simulation.seed", 3)]}, TypeError,
     r"settings must map dotted paths to values.*got list"),
    ({"settings": {3: 1}}, TypeError, r"settings' keys must be dotted paths.*got 3"),
    ({"progress": "print"}, TypeError, r"progress must be a function.*got str 'print'"),
    ({"force": "no"}, TypeError, r"force must be True or False; got str 'no'"),
    ({"prune": 1}, TypeError, r"prune must be True or False; got int 1"),
    ({"scheduler": ""}, ValueError, r"scheduler must be a Dask scheduler's address .*got "
                                    r"str ''"),
    ({"roots": [None]}, TypeError, r"roots must be a str or Path naming a file or folder; "
                                   r"got NoneType"),
])
def test_batch_options_of_the_wrong_kind_are_refused_before_any_work(tmp_path, options,
                                                                    error, message):
    # A list of settings failed every scenario alone (an error.txt each); a progress that
    # cannot be called ended in "'str' object is not callable" after the first scenario was
    # written; force="no" forced; scheduler="" ran locally
    folder = _do_minimum_folder(tmp_path / "s")
    with pytest.raises(error, match=rf"railsim\.run_batch: {message}"):
        railsim.run_batch(folder, tmp_path / "out", workers=1, **options)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("paths", "message"), [
    ({"do-minimum.yaml": 1}, r"paths must be a scenario file or folder .*got dict"),
    ([("do-minimum.yaml",)], r"item 0 of the list: a \(file, root\) pair has 2 items; got 1"),
    (["do-minimum.yaml", 3], r"item 1 of the list must be a str or Path naming a file or "
                             r"folder; got int 3"),
])
def test_paths_of_the_wrong_kind_name_the_item(tmp_path, paths, message):
    # a dict ran its keys; a short pair was "not enough values to unpack"; a number was
    # pathlib's "expected str, bytes or os.PathLike object"
    with pytest.raises(TypeError, match=message):
        railsim.run_batch(paths, tmp_path / "out", workers=1)
    assert not (tmp_path / "out").exists()


def test_a_scenario_object_in_a_list_is_named(heinola, tmp_path):
    with pytest.raises(TypeError, match=r"item 0 of the list must be a str or Path .*; got "
                                        r"Scenario"):
        railsim.run_batch([heinola], tmp_path / "out", workers=1)


def test_one_root_given_as_text_is_one_folder(tmp_path):
    # roots="../scenarios" was one root per character: "cannot use a --root folder: not
    # an existing folder; given ."
    client = tmp_path / "client"
    client.mkdir()
    (client / "variant.yaml").write_text(f"extends: {SCENARIOS / 'do-minimum.yaml'}\n"
                                         "name: variant\n", encoding="utf-8")
    assert railsim.load_scenario(client / "variant.yaml", roots=str(SCENARIOS)).name == \
        "variant"
    result = railsim.run_batch(client, tmp_path / "out", workers=1, roots=str(SCENARIOS),
                               settings=CHEAP)
    assert [o.status for o in result.outcomes] == ["ok"]


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda s: railsim.load_scenario(None), TypeError,
     r"load_scenario: path must be a str or Path naming a file or folder; got NoneType"),
    (lambda s: railsim.load_scenario(s), TypeError,
     r"load_scenario takes the path of a scenario file; got a Scenario, which is loaded "
     r"already"),
    (lambda s: railsim.load_scenario(HEINOLA, settings=["simulation.seed=3"]), TypeError,
     r"load_scenario: settings must map dotted paths to values"),
    (lambda s: railsim.load_scenario(HEINOLA, root=3), TypeError, r"root must be a str or Path"),
    (lambda s: railsim.load_scenario(HEINOLA, check="no"), TypeError,
     r"load_scenario: check must be True or False; got str 'no'"),
    (lambda s: railsim.load_scenario(HEINOLA, timetable="yes"), TypeError,
     r"timetable must be True or False"),
    (lambda s: railsim.with_overrides(s, {"simulation.seed": 3}, check="False"), TypeError,
     r"with_overrides: check must be True or False; got str 'False'"),
])
def test_load_scenario_arguments_of_the_wrong_kind_name_themselves(heinola, call, error,
                                                                   message):
    # None or a Scenario was pathlib's "expected str, bytes or os.PathLike object, not
    # NoneType"; check="no" or check="False" was true
    with pytest.raises(error, match=message):
        call(heinola)


def test_numpy_booleans_are_flags():
    np = pytest.importorskip("numpy")
    assert railsim.load_scenario(HEINOLA, check=np.bool_(False)).name == "heinola-lahti-hourly"


# -- with_overrides ----------------------------------------------------------------------


def test_a_dotted_key_beside_its_section_is_kept(heinola):
    # {"simulation.seed": 5, "simulation": {...}}: the section replaced the seed, unsaid
    changed = railsim.with_overrides(heinola, {"simulation.seed": 5,
                                               "simulation": {"replications": 3}})
    assert (changed.simulation.seed, changed.simulation.replications) == (5, 3)


@pytest.mark.parametrize(("changes", "field", "keys"), [
    ({"simulation": {"seed": 1}, "simulation.seed": 2}, "simulation.seed",
     "'simulation' and by 'simulation.seed'"),
    ({"simulation.seed": 5, "simulation": {"seed": 3}}, "simulation.seed",
     "'simulation.seed' and by 'simulation'"),
    ({"simulation": 3, "simulation.seed": 2}, "simulation.seed",
     "'simulation' and by 'simulation.seed'"),
    ({"demand": {"fares": {"fare_multiplier": 0.5}}, "demand.fares": {"fare_multiplier": 0.7}},
     "demand.fares.fare_multiplier", "'demand' and by 'demand.fares'"),
])
def test_a_value_given_twice_names_both_keys(heinola, changes, field, keys):
    # one of the two was lost without a word (the later key won), and a section given a
    # number beside one of its fields was "'int' object has no attribute 'setdefault'"
    with pytest.raises(ScenarioError) as info:
        railsim.with_overrides(heinola, changes)
    (problem,) = info.value.problems
    assert (problem.file, problem.field) == ("<overrides>", field)
    assert problem.message == f"set twice: by {keys}"


# -- what evaluate returns ---------------------------------------------------------------


@pytest.fixture(scope="module")
def evaluation(heinola):
    return railsim.evaluate(railsim.with_overrides(
        heinola, {"simulation.replications": 3, "uncertainty.draws": 50}))


def test_changing_a_returned_table_in_place_changes_no_result(evaluation, tmp_path):
    # cashflows.csv, benefits.csv and the ridership tables were the evaluation's own:
    # a notebook's df["value"] /= 1e6 changed what tables() gave next and write() wrote
    for table in evaluation.tables().values():
        for column in [] if isinstance(table, str) else table.columns:
            table[column] = 0
    fresh = railsim.evaluate(evaluation.scenario)
    for name, table in evaluation.tables().items():
        expected = fresh.tables()[name]
        assert table == expected if isinstance(table, str) else table.equals(expected), name
    written, expected = evaluation.write(tmp_path / "a"), fresh.write(tmp_path / "b")
    assert {p.name: p.read_bytes() for p in written.iterdir()} == \
        {p.name: p.read_bytes() for p in expected.iterdir()}


def test_an_evaluation_pickles_and_writes_the_same(evaluation, tmp_path):
    import pickle

    again = pickle.loads(pickle.dumps(evaluation))
    one, two = evaluation.write(tmp_path / "one"), again.write(tmp_path / "two")
    assert {p.name: p.read_bytes() for p in one.iterdir()} == \
        {p.name: p.read_bytes() for p in two.iterdir()}


# -- forecast ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan(heinola):
    return railsim.plan_service(heinola)


@pytest.mark.parametrize(("other", "said"), [
    ("orimattila-lahti-hourly", r"infrastructure\.upgrades\[0\]\.line: 'HEI' in the plan, "
                                r"'ORI' here"),
    ("do-minimum", r"infrastructure\.upgrades\[0\]: .* in the plan, '<absent>' here"),
])
def test_a_plan_of_another_scenario_is_refused(plan, other, said):
    # its trains were forecast as this scenario's, without a word
    scenario = railsim.load_scenario(SCENARIOS / f"{other}.yaml")
    with pytest.raises(ValueError, match=rf"railsim\.forecast: plan was made for another "
                                         rf"service \('heinola-lahti-hourly': {said}"):
        railsim.forecast(scenario, plan)


def test_a_plan_made_on_other_corridor_data_is_refused(heinola, plan, tmp_path):
    # the trains ran on one network and the riders were counted on another, unsaid
    data = tmp_path / "data"
    shutil.copytree(railsim.data_folder(), data)
    lines = (data / "network" / "line_stations.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    km = header.index("km_from_lahti")
    for k, line in enumerate(lines[1:], 1):
        cells = line.split(",")
        if cells[header.index("station_id")] == "VRM":  # Vierumäki 2 km further out
            cells[km] = f"{float(cells[km]) + 2:g}"
            lines[k] = ",".join(cells)
            break
    else:
        raise AssertionError("no VRM row to move")
    (data / "network" / "line_stations.csv").write_text("\n".join(lines) + "\n",
                                                        encoding="utf-8")
    with pytest.raises(ValueError, match=r"railsim\.forecast: plan was made on other "
                                         r"corridor data than corridor="):
        railsim.forecast(heinola, plan, corridor=data)
    assert railsim.forecast(heinola, plan).passengers_daily > 0  # its own corridor's


def test_a_plan_of_another_headway_is_refused_but_other_fares_may_use_it(heinola, plan):
    sparse = railsim.with_overrides(heinola, {"service.lines[H1].weekday.headway_min": 120})
    with pytest.raises(ValueError, match=r"service\.lines\[H1\]\.weekday\.headway_min: 60\.0 "
                                         r"in the plan, 120\.0 here\); plan this one with "
                                         r"railsim\.plan_service\(scenario\)"):
        railsim.forecast(sparse, plan)
    cheaper = railsim.with_overrides(heinola, {"demand.fares.fare_multiplier": 0.5})
    assert railsim.forecast(cheaper, plan).passengers_daily > \
        railsim.forecast(heinola, plan).passengers_daily


@pytest.mark.parametrize(("realised", "error", "message"), [
    ([("LH", "HNL", 40.0)], TypeError, r"realised_min must map \(origin, destination\) "
                                       r"station ids to minutes, or be None; got list"),
    ({("LH", "XX"): 40.0}, ValueError, r"realised_min: \('LH', 'XX'\) is no pair of stations "
                                       r"a weekday train of the plan serves in that order"),
    ({"LH-HNL": 40.0}, ValueError, r"realised_min: 'LH-HNL' is no pair of stations"),
    ({("LH", "HNL"): float("nan")}, ValueError,
     r"realised_min\[\('LH', 'HNL'\)\] must be a positive number of minutes; got nan"),
    ({("LH", "HNL"): -5}, ValueError, r"realised_min.* must be a positive number.*; got -5"),
    ({("LH", "HNL"): "40"}, ValueError, r"realised_min.* a positive number.*; got '40'"),
])
def test_realised_times_are_checked(heinola, plan, realised, error, message):
    # a list was "'list' object has no attribute 'get'"; an unknown pair was ignored and
    # nan or a negative time were taken as the trains' in-vehicle times
    with pytest.raises(error, match=rf"railsim\.forecast: {message}"):
        railsim.forecast(heinola, plan, realised)


def test_realised_times_without_a_plan_are_refused(heinola):
    # they were dropped without a word: the forecast was the plan-less one
    with pytest.raises(ValueError, match="realised_min needs a plan with weekday trains"):
        railsim.forecast(heinola, None, {("LH", "HNL"): 40.0})


def test_realised_times_that_fit_are_used(heinola, plan):
    np = pytest.importorskip("numpy")
    slower = railsim.forecast(heinola, plan, {("HNL", "LH"): np.float32(90.0)})
    assert slower.passengers_daily < railsim.forecast(heinola, plan).passengers_daily


# -- search_loops ------------------------------------------------------------------------


@pytest.mark.parametrize(("options", "error", "message"), [
    ({"headway_min": "30"}, TypeError, r"headway_min must be a number; got str '30'"),
    ({"headway_min": True}, TypeError, r"headway_min must be a number; got bool True"),
    ({"headway_min": float("inf")}, ValueError, r"headway_min must be a finite number"),
    ({"max_loops": 2.5}, TypeError, r"max_loops must be a whole number; got float 2\.5"),
    ({"max_loops": True}, TypeError, r"max_loops must be a whole number; got bool True"),
    ({"max_loops": None}, TypeError, r"max_loops must be a whole number; got NoneType"),
    ({"step_km": "1"}, TypeError, r"step_km must be a number; got str '1'"),
    ({"step_km": float("inf")}, ValueError, r"step_km must be a finite number; given inf"),
])
def test_search_limits_of_the_wrong_kind_name_themselves(heinola, options, error, message):
    # "'<=' not supported between instances of 'float' and 'str'" or "'float' object cannot
    # be interpreted as an integer" from the search; True searched every 1 min or "up to
    # True loops"; an infinite step searched no site on plain line, unsaid
    with pytest.raises(error, match=rf"railsim\.search_loops: {message}"):
        railsim.search_loops(heinola, **options)


def test_a_loop_search_for_the_do_minimum_says_it_runs_no_trains():
    # it ended in a bare StopIteration
    scenario = railsim.load_scenario(SCENARIOS / "do-minimum.yaml")
    with pytest.raises(ValueError, match=r"scenario 'do-minimum' runs no trains \(a "
                                         r"do-minimum\): there is no pattern to find"):
        railsim.search_loops(scenario, 60)


def test_a_headway_the_service_cannot_run_is_refused_before_the_search(heinola):
    # 45 min does not fit the lines' clock-face period of 60 min: the search ran and
    # offered loops for a pattern that validation then refuses
    with pytest.raises(ScenarioError, match=r"with headway_min=45>: service\.lines\[0\]"
                                            r"\.weekday\.headway_min: headway does not fit "
                                            r"the clock-face period of 60 min"):
        railsim.search_loops(heinola, 45)


def test_numpy_limits_are_taken(heinola):
    np = pytest.importorskip("numpy")
    found = railsim.search_loops(heinola, np.float64(60), max_loops=np.int64(1))
    assert found.front and found.front[0].loops == 1


# -- a scenario changed in place ---------------------------------------------------------


def _changed_in_place(scenario: railsim.Scenario, change) -> railsim.Scenario:
    """A copy of ``scenario`` whose lists ``change`` edits in place, as a notebook might."""
    copy = scenario.model_copy(deep=True)
    change(copy)
    return copy


@pytest.mark.parametrize(("change", "field", "said"), [
    (lambda s: s.service.lines[0].stations.append("XX"), "service.lines[0].stations[4]",
     "unknown station; given 'XX'"),
    (lambda s: s.service.lines[0].stations.append(7), "service.lines[0].stations[4]",
     "Input should be a valid string; given 7"),
    (lambda s: s.service.lines[0].stations.append("LH"), "service.lines[0].stations[4]",
     "station served twice; given 'LH'"),
    (lambda s: s.service.lines.append(s.service.lines[0]), "service.lines[1].id",
     "service id used twice; given 'H1'"),
])
@pytest.mark.parametrize("function", ["plan_service", "evaluate", "forecast", "search_loops"])
def test_a_scenario_changed_in_place_is_checked_again(heinola, change, field, said,
                                                      function):
    # "XX is not on a line through LH" (RouteError from the network), "same position as
    # the previous station", or a line run twice planned as a crossing problem
    scenario = _changed_in_place(heinola, change)
    with pytest.raises(ScenarioError) as info:
        getattr(railsim, function)(scenario)
    problem = info.value.problems[0]
    assert (problem.file, problem.field) == (f"<scenario given to railsim.{function}>", field)
    assert said in str(problem)


def test_a_passing_loop_appended_as_a_dict_is_validated_and_runs(heinola):
    # it ended in "'dict' object has no attribute 'line'" deep in the network
    scenario = _changed_in_place(
        heinola, lambda s: s.infrastructure.passing_loops.append({"line": "HEI", "km": 5.0}))
    plan = railsim.plan_service(scenario)
    assert [loop.km for loop in plan.scenario.infrastructure.passing_loops] == [18.7, 5.0]
    bad = _changed_in_place(
        heinola, lambda s: s.infrastructure.passing_loops.append({"line": "HEI", "km": -1}))
    with pytest.raises(ScenarioError, match=r"infrastructure\.passing_loops\[1\]\.km: "):
        railsim.plan_service(bad)


def test_the_run_is_not_changed_by_lists_changed_after_it_started(heinola):
    scenario = heinola.model_copy(deep=True)
    plan = railsim.plan_service(scenario)
    scenario.service.lines[0].stations.append("XX")
    assert "XX" not in plan.scenario.service.lines[0].stations


@pytest.mark.parametrize(("out", "log", "error", "message"), [
    (None, None, TypeError, r"Evaluation\.write: out must be a str or Path naming a file or "
                            r"folder; got NoneType"),
    ("", None, ValueError, r"Evaluation\.write: out is an empty path, which would be the "
                           r"current folder"),
    ("OUT", 3, TypeError, r"Evaluation\.write: log must be text \(run\.log\) or None; got int"),
])
def test_writing_to_no_folder_says_so(evaluation, tmp_path, monkeypatch, out, log, error,
                                      message):
    # pathlib's "expected str, bytes or os.PathLike object, not NoneType", "" wrote into
    # the current folder, and log=3 was "'int' object has no attribute 'to_csv'"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error, match=message):
        evaluation.write(out, log)
    assert list(tmp_path.iterdir()) == []


def test_a_numpy_count_of_workers_is_a_whole_number(tmp_path):
    # np.int64(1) (a DataFrame cell, np.arange) was "workers must be a whole number of
    # processes; got int64"
    np = pytest.importorskip("numpy")
    scenario = railsim.load_scenario(SCENARIOS / "do-minimum.yaml")
    assert railsim.evaluate(scenario, workers=np.int64(1)).kpis() is not None
    with pytest.raises(ValueError, match="workers must be at least 1; given 0"):
        railsim.evaluate(scenario, workers=np.int64(0))

"""Infrastructure option search: working loop sets, their minimality, the front, the CLI."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from railsim import search_loops
from railsim.cli import cli
from railsim.config.schema import Scenario
from railsim.corridor import Corridor
from railsim.sim.loops import LoopOption, pareto_front
from railsim.synthetic import write_synthetic_data
from railsim.timetable.build import TimetableError
from railsim.timetable.loops import candidate_sites, find_feasible, loop_scenario
from railsim.timetable.plan import plan_service

ROUTE = ["LH", "L1S1", "L1S2", "L1S3", "L1S4", "L1S5", "L1S6"]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def one_block(tmp_path_factory) -> Corridor:
    """One 30 km line crossing only at its ends, with one freight path each way (and the
    shipped unit costs, for the loops' cost)."""
    folder = write_synthetic_data(tmp_path_factory.mktemp("one"), n_lines=1,
                                  crossing_every=6, freight_per_line=1)
    shutil.copytree(ROOT / "data" / "costs", folder / "costs", dirs_exist_ok=True)
    return Corridor.load(folder)


def pattern(headway: int = 60, **extra) -> Scenario:
    body = {"name": "t", "simulation": {"replications": 20},
            "service": {"lines": [{"id": "A", "stations": ROUTE, "weekday": {
                "first_departure": "06:00", "last_departure": "21:00",
                "headway_min": headway}}]}}
    body.update(extra)
    return Scenario.model_validate(body)


def builds(scenario: Scenario, corridor: Corridor) -> bool:
    try:
        plan_service(scenario, corridor)
    except TimetableError:
        return False
    return True


def test_exhaustive_search_finds_exactly_the_minimal_working_sets(one_block):
    scenario = pattern()
    sites = candidate_sites(scenario, one_block, cost_eur=1e6, step_km=5.0)
    assert [s.km for s in sites] == [5, 10, 15, 20, 25]
    found = find_feasible(scenario, one_block, sites, max_loops=2)
    assert found.method.startswith("exhaustive")
    # brute force: every set of at most two sites, built by the timetable builder
    working = [set(c) for k in range(3) for c in itertools.combinations(sites, k)
               if builds(loop_scenario(scenario, c), one_block)]
    minimal = [c for c in working if not any(o < c for o in working)]
    assert minimal, "the instance must have a solution for the test to mean anything"
    assert sorted(sorted(s.km for s in c) for c in minimal) == sorted(
        sorted(s.km for s in f.sites) for f in found.feasible)


def test_front_sets_run_and_are_minimal(one_block):
    result = search_loops(pattern(), max_loops=2, step_km=5.0, corridor=one_block)
    assert result.front and result.binding is None
    for option in result.front:
        fragment = yaml.safe_load(option.yaml())
        with_loops = pattern(infrastructure=fragment["infrastructure"])
        assert builds(with_loops, one_block)
        for k in range(option.loops):  # no loop can be dropped
            fewer = option.sites[:k] + option.sites[k + 1:]
            assert not builds(loop_scenario(pattern(), fewer), one_block)
        assert option.capex_eur == pytest.approx(option.loops * result.front[0].capex_eur
                                                 / result.front[0].loops)
        assert 0 <= option.punctuality_3min_pct <= 100 and option.free_freight_paths >= 0
    assert all(not any(p.dominates(o) for p in result.options) for o in result.front)
    assert "passing_loops" in result.text()


def test_nothing_works_says_what_binds(one_block):
    # no loop: the 30 km block needs more than an hour for a train each way
    result = search_loops(pattern(), max_loops=0, step_km=5.0, corridor=one_block)
    assert result.front == [] and result.options == []
    assert result.binding is not None and "longest block binds" in result.binding
    assert "nothing within the limits works" in result.text()
    # one loop: the blocks are short enough, but no single loop is where the trains meet
    one = search_loops(pattern(), max_loops=1, step_km=5.0, corridor=one_block)
    assert one.front == [] and one.binding is not None
    assert "longest block" not in one.binding


def test_pareto_front_drops_dominated_options():
    def option(cost: float, waits: float, punctual: float, free: int) -> LoopOption:
        return LoopOption((), cost, waits, punctual, free)

    best = option(1, 10, 95, 5)
    options = [best, option(2, 10, 95, 5), option(1, 20, 90, 4), option(2, 5, 95, 5),
               option(1, 10, 96, 4)]
    front = pareto_front(options)
    assert options[1] not in front and options[2] not in front
    assert best in front and options[3] in front and options[4] in front


def test_cli_loops_prints_the_front_and_the_yaml():
    result = CliRunner().invoke(cli, ["loops", str(ROOT / "scenarios" /
                                                   "orimattila-lahti-hourly.yaml"),
                                      "--headway", "30", "--max-loops", "1",
                                      "--candidates", "2"])
    assert result.exit_code == 0, result.output
    assert "on the front" in result.output and "passing_loops:" in result.output
    fragment = result.output.split("# option 1:")[1].split("\n", 1)[1]
    assert yaml.safe_load(fragment)["infrastructure"]["passing_loops"][0]["line"] == "ORI"


def test_cli_loops_refuses_a_headway_the_service_cannot_run():
    result = CliRunner().invoke(cli, ["loops", str(ROOT / "scenarios" /
                                                   "orimattila-lahti-hourly.yaml"),
                                      "--headway", "45"])
    assert result.exit_code == 1
    assert "run every 45 min (--headway): service.lines[0].weekday.headway_min: headway " \
           "does not fit the clock-face period of 60 min" in result.output
    assert "passing_loops:" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"headway_min": 0}, "headway_min"),           # was ZeroDivisionError
        ({"headway_min": -5}, "headway_min"),          # was a search of a nonsense pattern
        ({"headway_min": float("nan")}, "headway_min"),
        ({"headway_min": 721}, "headway_min"),
        ({"max_loops": -1}, "max_loops"),
        ({"max_loops": 13}, "max_loops"),
        ({"step_km": 0}, "step_km"),                   # was an endless loop
        ({"step_km": float("nan")}, "step_km"),
        ({"step_km": 0.01}, "step_km"),
    ],
)
def test_search_arguments_out_of_range_are_refused(one_block, arguments, message):
    # The API (notebooks) gets the limits the CLI options have, as a ValueError the CLI
    # reports, before any search.
    with pytest.raises(ValueError, match=message):
        search_loops(pattern(), **arguments, corridor=one_block)

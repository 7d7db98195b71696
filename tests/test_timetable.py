"""Timetable builder, conflict checker, circulation, capacity and GTFS on synthetic data."""

from __future__ import annotations

import math
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from railsim import plan_service
from railsim.config.schema import Scenario
from railsim.corridor import Corridor
from railsim.network import Network
from railsim.running import KMH, Stretch, Train, minimum_running_time, scheduled_running_time
from railsim.synthetic import write_synthetic_data
from railsim.timetable.build import TimetableError, build_timetable
from railsim.timetable.capacity import occupancy_table, remaining_freight_paths
from railsim.timetable.circulation import cycle_time_bound
from railsim.timetable.conflicts import check_timetable
from railsim.timetable.gtfs import write_gtfs


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> Path:
    return Corridor.load(write_synthetic_data(tmp_path_factory.mktemp("synth")))


def scenario(stations, headway=60, first="06:00", last="21:00", peaks=(), **extra):
    body = {"name": "t", "service": {"lines": [{
        "id": "A", "stations": list(stations),
        "weekday": {"first_departure": first, "last_departure": last, "headway_min": headway,
                    "peaks": list(peaks)}}]}}
    body.update(extra)
    return Scenario.model_validate(body)


THROUGH = ["L1S6", "L1S4", "L1S2", "LH", "L2S2", "L2S4", "L2S6"]


def test_running_times_equal_kinematics_plus_dwells(synth):
    s = scenario(["LH", "L1S1", "L1S2"], operations={"running_time_supplement_pct": 5})
    table = build_timetable(s, synth)
    trip = next(t for t in table.passenger_trips() if t.direction == 0 and t.crossing_wait_s == 0)
    train = Train(120 * KMH, 0.8, 0.6, 42)
    leg = minimum_running_time([Stretch(5000, 80 * KMH)], train)
    expected = 2 * math.ceil(scheduled_running_time(leg, 5000, 5, 0)) + 30
    assert trip.arrival_s - trip.departure_s == pytest.approx(expected)


def test_through_service_has_no_conflicts(synth):
    s = scenario(THROUGH)
    net = Network.build(synth, s)
    table = build_timetable(s, synth, network=net)
    assert check_timetable(net, table.trips) == []
    assert {t.kind for t in table.trips} == {"passenger", "freight"}


def test_checker_finds_injected_conflict(synth):
    s = scenario(THROUGH)
    net = Network.build(synth, s)
    trips = build_timetable(s, synth, network=net).trips
    victim = next(t for t in trips if t.kind == "passenger" and t.direction == 1)
    victim.stops = [replace(x, arrival_s=x.arrival_s + 900, departure_s=x.departure_s + 900)
                    for x in victim.stops]
    kinds = {c.kind for c in check_timetable(net, trips)}
    assert "single_track" in kinds


def test_infeasible_pattern_explains_itself(synth):
    s = scenario(THROUGH, headway=30)
    with pytest.raises(TimetableError) as info:
        build_timetable(s, synth)
    text = str(info.value)
    assert "cannot run every 30 min" in text
    assert "passing loop near km" in text


@pytest.fixture(scope="module")
def one_block(tmp_path_factory) -> Corridor:
    """One 30 km line crossing only at its ends, no freight."""
    return Corridor.load(write_synthetic_data(tmp_path_factory.mktemp("one"), n_lines=1,
                                              crossing_every=6, freight_per_line=0))


def test_infeasible_message_gives_the_computed_minimum_headway(one_block):
    """The minimum headway is the block's own need, computed from the running times and
    the crossing buffer (not the next clock-face value), and the headway suggested runs."""
    synth = one_block
    route = ["LH", "L1S1", "L1S2", "L1S3", "L1S4", "L1S5", "L1S6"]
    loops = {"passing_loops": [{"line": "L1", "km": 12}]}
    with pytest.raises(TimetableError) as info:
        build_timetable(scenario(route, headway=30, infrastructure=loops), synth)
    error = info.value
    assert error.where == ("service", 0, "weekday")
    # the need measured independently: occupations of a feasible timetable, no waits
    table = build_timetable(scenario(route, headway=120, infrastructure=loops), synth)
    buffer = Scenario(name="x").operations.crossing_buffer_s
    longest = 0.0
    for block in table.blocks:
        uses = [u for u in table.block_uses if u.block_id == block]
        out = min(u.exit_s - u.enter_s for u in uses if u.direction == 1)
        back = min(u.exit_s - u.enter_s for u in uses if u.direction == -1)
        longest = max(longest, out + back + 2 * buffer)
    assert error.min_headway_s == pytest.approx(longest)
    text = str(error)
    assert f"needs at least {longest / 60:.1f} min between trains" in text
    assert longest / 60 % 1 != 0  # a computed figure, not a clock-face headway
    suggested = int(text.split("or a headway of ")[1].split(" min")[0])
    build_timetable(scenario(route, headway=suggested, infrastructure=loops), synth)
    for shorter in (h for h in (30, 60, 120) if h < suggested):
        with pytest.raises(TimetableError):
            build_timetable(scenario(route, headway=shorter, infrastructure=loops), synth)


def test_a_loop_makes_it_feasible(synth):
    s = scenario(["LH", "L1S1", "L1S2", "L1S3", "L1S4", "L1S5", "L1S6"], headway=30)
    with pytest.raises(TimetableError):
        build_timetable(s, synth)
    loops = [{"line": "L1", "km": km} for km in (5, 15, 25)]
    fixed = scenario(["LH", "L1S1", "L1S2", "L1S3", "L1S4", "L1S5", "L1S6"], headway=30,
                     infrastructure={"passing_loops": loops})
    net = Network.build(synth, fixed)
    table = build_timetable(fixed, synth, network=net)
    assert check_timetable(net, table.trips) == []


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from([THROUGH, THROUGH[:4], ["LH", "L2S2", "L2S4", "L2S6"],
                              ["L1S6", "L1S5", "L1S4", "L1S3", "L1S2", "L1S1", "LH"]]),
       headway=st.sampled_from([60, 120]), first_h=st.integers(5, 8),
       supplement=st.floats(0, 15))
def test_feasible_patterns_are_conflict_free(synth, route, headway, first_h, supplement):
    s = scenario(route, headway=headway, first=f"{first_h:02d}:00",
                 operations={"running_time_supplement_pct": supplement,
                             "max_crossing_wait_min": 30})
    net = Network.build(synth, s)
    try:
        table = build_timetable(s, synth, network=net)
    except TimetableError:
        return  # infeasible patterns are reported, not built
    assert check_timetable(net, table.trips, minimum_headway_s=180) == []


def _shuttle(synth, headway: int) -> tuple[int, int]:
    """Sets in service of a shuttle LH – L1S6 at ``headway`` (5 min turnarounds), and its
    cycle-time bound."""
    s = scenario(["LH", "L1S2", "L1S4", "L1S6"], headway=headway,
                 rolling_stock={"min_turnaround_min": 5})
    plan = plan_service(s, synth)
    trips = plan.timetables["weekday"].passenger_trips()
    out = max(t.arrival_s - t.departure_s for t in trips if t.direction == 0)
    back = max(t.arrival_s - t.departure_s for t in trips if t.direction == 1)
    return (plan.circulations["weekday"].sets_in_service,
            cycle_time_bound(out, back, 300, headway * 60))


def test_units_never_below_cycle_time_bound(synth):
    for headway in (60, 120):
        sets, bound = _shuttle(synth, headway)
        assert sets >= bound


def test_quantities_add_up(synth):
    s = scenario(
        ["LH", "L1S2", "L1S4", "L1S6"], headway=120, rolling_stock={"units_per_train_peak": 2},
        peaks=[{"start": "06:00", "end": "10:00", "headway_min": 60}])
    plan = plan_service(s, synth)
    trips = plan.timetables["weekday"].passenger_trips()
    circ = plan.circulations["weekday"]
    assert circ.train_km == pytest.approx(30 * len(trips))
    assert circ.unit_km == pytest.approx(sum(30 * t.units for t in trips))
    assert any(t.units == 2 for t in trips) and any(t.units == 1 for t in trips)
    assert plan.annual("train_km") == pytest.approx(circ.train_km * 250)


def test_capacity_and_free_paths(synth):
    sparse = plan_service(scenario(["LH", "L1S2", "L1S4", "L1S6"], headway=120), synth)
    dense = plan_service(scenario(["LH", "L1S2", "L1S4", "L1S6"], headway=60), synth)
    occ = occupancy_table(dense.timetables["weekday"], 60)
    assert ((occ.occupancy_peak_hour_pct >= 0) & (occ.occupancy_peak_hour_pct <= 100)).all()
    assert occ.occupancy_day_pct.max() > occupancy_table(
        sparse.timetables["weekday"], 60).occupancy_day_pct.max()
    free_sparse = remaining_freight_paths(sparse.timetables["weekday"], sparse.network,
                                          sparse.scenario, synth)[0]
    free_dense = remaining_freight_paths(dense.timetables["weekday"], dense.network,
                                         dense.scenario, synth)[0]
    assert free_dense.outward <= free_sparse.outward
    assert free_dense.inward <= free_sparse.inward


# gtfs-kit sorts shapes in place, which pandas deprecates (not our code)
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.sort_values")
def test_gtfs_export_validates(synth, tmp_path):
    import gtfs_kit as gk

    s = scenario(THROUGH)
    plan = plan_service(s, synth)
    path = write_gtfs(plan, tmp_path / "feed.zip")
    feed = gk.read_feed(path, dist_units="km")
    problems = feed.validate()
    assert not (problems["type"] == "error").any(), problems
    assert len(feed.trips) == len(plan.timetables["weekday"].passenger_trips())
    # the validator is live: a stop time pointing at an unknown stop is an error
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            text = src.read(name).decode()
            if name == "stop_times.txt":
                text = text.replace(",L1S6,", ",NOPE,", 1)
            dst.writestr(name, text)
    assert (gk.read_feed(broken, dist_units="km").validate()["type"] == "error").any()


def test_meetings_are_opposite_trains_at_crossing_points_at_the_same_time():
    from railsim import load_scenario, plan_service
    from tests.conftest import SCENARIOS

    plan = plan_service(load_scenario(SCENARIOS / "heinola-lahti-hourly.yaml", SCENARIOS))
    meetings = plan.meetings_frame()
    trips = plan.trips_frame().set_index("trip_id")
    assert len(meetings) > 10
    assert set(meetings["station_id"]) == {"HEI@18.7"}  # the only loop: every crossing is there
    for row in meetings.itertuples():
        assert trips.loc[row.first_trip, "direction"] != trips.loc[row.second_trip, "direction"]
        assert row.first_arrival_s <= row.second_arrival_s <= row.first_departure_s
    # hourly each way on one single-track line: trains meet about once an hour
    weekday = meetings[meetings["day_type"] == "weekday"]
    assert 14 <= len(weekday) <= 18


@pytest.mark.parametrize("headway", [120, 180])
def test_a_shuttle_that_meets_nobody_runs_with_the_fewest_sets(synth, headway):
    """Of the reverse offsets with the least waiting, the builder takes the one with the
    longest shortest turnaround: a shuttle whose cycle fits its headway needs no second set
    (it got one when the first wait-free offset brought it back just as the next left)."""
    sets, bound = _shuttle(synth, headway)
    assert sets == bound


def test_the_orimattila_shuttle_needs_one_train_set():
    from railsim import load_scenario

    root = Path(__file__).resolve().parent.parent / "scenarios"
    plan = plan_service(load_scenario(root / "orimattila-lahti-hourly.yaml", root))
    assert plan.circulations["weekday"].sets_in_service == 1


@pytest.mark.parametrize("name", ["heinola-lahti-hourly", "orimattila-lahti-hourly",
                                  "through-hourly-peaks", "tram-train",
                                  "through-electric-upgraded"])
def test_a_freight_return_path_leaves_after_its_train_arrived_and_was_loaded(name):
    """The wagons that run out run back: a moved return path may not leave the far end
    before the outbound train arrives there plus operations.freight_turnaround_min."""
    from railsim import load_scenario

    root = Path(__file__).resolve().parent.parent / "scenarios"
    scenario = load_scenario(root / f"{name}.yaml", root)
    trips = {t.trip_id: t for t in plan_service(scenario).timetables["weekday"].trips
             if t.kind == "freight"}
    turnaround = scenario.operations.freight_turnaround_min * 60
    for out, back in (("HEI-OUT", "HEI-IN"), ("ORI-OUT", "ORI-IN")):
        assert trips[out].stops[-1].station_id == trips[back].stops[0].station_id
        assert trips[back].stops[0].departure_s >= trips[out].stops[-1].arrival_s + turnaround


def test_a_return_path_without_time_to_load_is_refused_naming_it():
    from railsim import load_scenario, with_overrides

    root = Path(__file__).resolve().parent.parent / "scenarios"
    scenario = with_overrides(load_scenario(root / "orimattila-lahti-hourly.yaml", root),
                              {"operations.freight_path_flex_min": 30,
                               "operations.freight_turnaround_min": 600})
    with pytest.raises(TimetableError, match=r"HEI-IN.*returns the train.*freight_turnaround"):
        plan_service(scenario)

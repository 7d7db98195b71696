"""Ridership against observed rail use: the study area from data, the back-casts of today's
services, the calibrated rail constant and the public-transport nest, bad input."""

from __future__ import annotations

import ast
import math
import re
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import railsim
from railsim import forecast, load_scenario, plan_service
from railsim.demand.calibration import fit_rail_constant, ratios
from railsim.demand.choice import ChoiceParameters, Markets, choose
from railsim.demand.places import study_area
from railsim.errors import DataError, ScenarioError
from tests.conftest import ROOT, SCENARIOS
from tests.shared import CORRIDOR

VALIDATION = SCENARIOS / "validation"
BACK_CASTS = sorted(p for p in VALIDATION.glob("*.yaml") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def back_casts():
    """The forecasts of the back-casts (planned timetables)."""
    out = []
    for path in BACK_CASTS:
        scenario = load_scenario(path, VALIDATION)
        out.append(forecast(scenario, plan_service(scenario)))
    return out


# -- the study area comes from data -------------------------------------------------------

def _names() -> set[str]:
    """Municipality, place and station names and ids of the shipped data."""
    names = {r["municipality"] for r in CORRIDOR.records("municipalities")}
    names |= {r["municipality"] for r in CORRIDOR.records("study_area")}
    names |= {r["station_id"] for r in CORRIDOR.records("stations")}
    names |= {r["name"] for r in CORRIDOR.records("stations")}
    names |= {r["point_id"] for r in CORRIDOR.records("population_points")}
    names |= {r["zone_id"] for r in CORRIDOR.records("external_zones")}
    names |= {r["name"] for r in CORRIDOR.records("external_zones")}
    return {n for n in names if len(n) >= 2}


def _vocabulary() -> set[str]:
    """Names the declarations fix (column names, declared values such as
    `towards_lahti` of loads.csv): part of the data model, not of the corridor."""
    from railsim import data, outputs

    words = {c.name for spec in data.TABLES.values() for c in spec.columns}
    for spec in (*outputs.FILES.values(), *outputs.BATCH_FILES.values()):
        words |= set(spec.column_names())
        for text in (spec.description, *(c.description for c in spec.columns)):
            words |= set(re.findall(r"`([a-z_]+)`", text))
    return words


def _code_tokens(path: Path) -> list[tuple[int, str]]:
    """String constants (docstrings and other bare strings left out) and identifiers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    vocabulary = _vocabulary()
    tokens = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings:
            tokens.append((node.lineno, node.value))
        elif isinstance(node, ast.Name):
            tokens.append((node.lineno, node.id))
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            tokens.append((node.lineno, node.name))
        elif isinstance(node, ast.arg):
            tokens.append((node.lineno, node.arg))
    return [(line, token) for line, token in tokens if token not in vocabulary]


def test_no_municipality_place_or_station_name_in_the_demand_code():
    """Which municipalities, places and stations take part is data (docstrings may name
    the shipped corridor; code may not)."""
    names = _names()
    found = []
    for path in sorted((ROOT / "railsim" / "demand").glob("*.py")):
        for line, token in _code_tokens(path):
            words = set(token.replace("_", " ").replace("-", " ").split())
            lowered = {w.lower() for w in words}
            for name in names:
                if name in words or (len(name) > 3 and name.lower() in lowered):
                    found.append(f"{path.name}:{line}: {name!r} in {token!r}")
    assert not found, "\n".join(found)


def test_the_places_hold_each_member_municipalitys_population():
    area = study_area(CORRIDOR)
    latest = {}
    for row in CORRIDOR.records("municipalities"):
        if row["year"] >= latest.get(row["municipality"], (0, 0))[0]:
            latest[row["municipality"]] = (row["year"], row["population"])
    for municipality in area.municipalities():
        held = sum(p.population for p in area.places if p.municipality == municipality)
        assert held == pytest.approx(latest[municipality][1], rel=0.01), municipality
    members = {r["municipality"] for r in CORRIDOR.records("study_area")
               if r["role"] in ("centre", "member")}
    assert area.municipalities() == members
    context = [r["point_id"] for r in CORRIDOR.records("population_points")
               if r["municipality"] not in members]
    assert context and not {p.point_id for p in area.places} & set(context)


def test_districts_of_one_municipality_are_markets_but_urban_pairs_are_not(back_casts):
    area = study_area(CORRIDOR)
    municipality = {p.point_id: p.municipality for p in area.places}
    urban = {p.point_id for p in area.places if p.urban}
    t = back_casts[0].table
    pairs = set(zip(t.origin_place, t.destination_place, strict=True))
    same = [(o, d) for o, d in pairs if municipality.get(o) == municipality.get(d)
            and not (o in urban and d in urban)]
    assert same, "no market between two places of one municipality"
    assert not [(o, d) for o, d in pairs if o in urban and d in urban]


# -- the public-transport nest ----------------------------------------------------------

def test_a_nest_of_scale_one_is_the_multinomial_logit_and_a_nest_draws_from_the_bus():
    rng = np.random.default_rng(5)
    n = 50
    m = Markets.of(trips=np.ones(n), vot_eur_h=np.full(n, 9.0),
                   train_available=np.ones(n, bool),
                   train_in_vehicle_min=rng.uniform(10, 60, n),
                   bus_in_vehicle_min=rng.uniform(10, 60, n), car_minutes=rng.uniform(10, 60, n))
    p = ChoiceParameters(0.03, 0.0, 1.5, 1.5, 5.0)
    mnl = choose(m, p)
    one = choose(m, replace(p, pt_nest_scale=1.0 - 1e-12))
    assert np.allclose(mnl.train, one.train) and np.allclose(mnl.logsum, one.logsum)
    nested = choose(m, replace(p, pt_nest_scale=0.5))
    base = choose(m.without_train(), p)
    assert np.allclose(nested.train + nested.bus + nested.car, 1.0)
    # of the train's riders, a larger share comes from the bus in the nest
    from_bus_mnl = (base.bus - mnl.bus) / mnl.train
    from_bus_nest = (base.bus - nested.bus) / nested.train
    assert np.all(from_bus_nest > from_bus_mnl)


# -- calibration and back-casts ---------------------------------------------------------

def test_the_stored_rail_constant_is_the_fit_to_the_calibration_counts(back_casts):
    stored = back_casts[0].params.rail_constant_min
    assert fit_rail_constant(back_casts) == pytest.approx(stored, abs=0.15)
    found = ratios(back_casts)
    assert {c.station_id for c, _ in found} == {
        r["station_id"] for r in CORRIDOR.records("station_counts")
        if r["use"] == "calibration"}
    assert abs(sum(math.log(r) for _, r in found)) / len(found) < 0.01


def test_a_back_cast_pays_the_operators_fare(back_casts):
    fc = back_casts[0]
    fares = CORRIDOR.by_key("fares")
    share = fc.scenario.demand.fares.season_ticket_share
    expected = (share * fares["VR-LAHTI-30D"]["price_eur"] / fc.params.season_trips_per_month
                + (1 - share) * fares["VR-LAHTI-SINGLE"]["price_eur"])
    assert fc.scenario.costs.price_year == fares["VR-LAHTI-SINGLE"]["price_year"]
    assert fc.table.fares["train_eur"] == pytest.approx(expected)
    assert fc.table.fares["train_eur"] != pytest.approx(fc.table.fares["lsl_average_eur"])


@pytest.fixture(scope="module")
def validation_run(tmp_path_factory):
    """``railsim run scenarios/validation/`` (few simulated days and draws)."""
    out = tmp_path_factory.mktemp("validation")
    result = railsim.run_batch(VALIDATION, out, workers=1,
                               settings={"simulation.replications": 3,
                                         "uncertainty.draws": 20})
    assert not result.failed, [o.message for o in result.failed]
    return pd.read_csv(out / "validation.csv")


@pytest.mark.slow
def test_the_back_casts_write_validation_csv_and_meet_the_calibration_counts(validation_run):
    table = validation_run
    counted = {(r["station_id"], r["year"]) for r in CORRIDOR.records("station_counts")
               if r["use"] != "not_used"}
    assert set(zip(table.station_id, table.year, strict=True)) == counted
    assert (table.ratio == table.predicted / table.observed).all()
    calibration = table[table.use == "calibration"]
    assert len(calibration) == 3
    assert ((calibration.ratio >= 1 / 1.5) & (calibration.ratio <= 1.5)).all(), calibration
    held = table[table.use == "held_out"]
    assert len(held) == 4
    # a guard on what is reached today (factor 2 is not, see the next test)
    assert ((held.ratio >= 1 / 4) & (held.ratio <= 4)).all(), held


KNOWN_MISSES = {
    ("UKA", 2016): "Uusikylä 2016 (0.34): 4.8 users a year per resident of its settlement "
                   "against 1.2-1.7 at Nastola and Villähde on the same trains; what is "
                   "missing lies outside the village (riders from beyond it, jobs there or "
                   "the count's basis); see docs/ridership-and-appraisal.md",
    ("HRL", 2019): "Herrala 2019 (0.31): about 18 users a year per resident of its 483; "
                   "the trips on to Riihimäki, Helsinki and Hämeenlinna are small estimates "
                   "or not held; see docs/ridership-and-appraisal.md",
    ("HRL", 2008): "Herrala 2008 (2.30): the model gives the hourly 2008 service more "
                   "riders than the two-hourly 2019 one, while the counts grow fourfold "
                   "(2 000 to 8 700); no prediction is within a factor 2 of both counts",
}
"""Held-out counts the model misses by more than a factor of 2 today (strict: a count
that starts to pass must leave this list)."""
HELD_OUT = sorted((r["station_id"], int(r["year"])) for r in CORRIDOR.records("station_counts")
                  if r["use"] == "held_out")


@pytest.mark.slow
@pytest.mark.parametrize("count", [
    pytest.param(c, id=f"{c[0]}-{c[1]}",
                 marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[c])]
                 if c in KNOWN_MISSES else [])
    for c in HELD_OUT])
def test_every_held_out_station_within_a_factor_of_two(validation_run, count):
    station, year = count
    row = validation_run[(validation_run.station_id == station)
                         & (validation_run.year == year)]
    assert len(row) == 1
    assert 0.5 <= float(row.ratio.iloc[0]) <= 2, row


# -- trips beyond the study area ---------------------------------------------------------

def test_external_flows_share_each_commuting_row_among_its_places():
    from railsim.demand.external import external_zones, zone_flows

    area = study_area(CORRIDOR)
    zones = external_zones(CORRIDOR)
    names = {z.name for z in zones}
    flows = zone_flows(area, zones, 0.05, CORRIDOR)
    urban = {k for k, p in enumerate(area.places) if p.urban}
    assert flows and not {f.place for f in flows} & urban
    rows = [r for r in CORRIDOR.records("commuting")
            if r["origin"] in names or r["destination"] in names]
    total_rows = sum(r["commuters_per_day"] for r in rows)
    held = sum(f.commuters for f in flows)
    # the urban places' share is left out (main-line trains from the hub), nothing else
    assert 0 < held < total_rows
    assert {f.counted for f in flows} == {True, False}


def test_a_trip_beyond_the_network_boards_at_its_station_not_at_the_one_it_passes(back_casts):
    from railsim.demand.tables import od_pairs, station_table

    fc = next(f for f in back_casts if f.scenario.service.lines[0].id == "VR-KOU")
    t = fc.table
    out = t.alighting_beyond & (fc.result.train > 0)
    back = t.boarding_beyond & (fc.result.train > 0)
    assert out.any() and back.any()
    via = CORRIDOR.by_key("external_services")[("VR-KOU", "KOUVOLA")]
    assert set(t.alighting[out]) == {via["via_station"]}
    # the in-vehicle time runs on beyond the network
    assert (t.markets.train_in_vehicle_min[out] >= via["in_vehicle_min"]).all()
    stations = station_table(fc).set_index("station_id")
    assert stations.boardings_daily.sum() == pytest.approx(
        fc.passengers_daily - float(fc.result.train[back].sum()), rel=1e-9)
    assert stations.alightings_daily.sum() == pytest.approx(
        fc.passengers_daily - float(fc.result.train[out].sum()), rel=1e-9)
    # the ride on the modelled line still loads its links
    assert sum(od_pairs(fc).values()) == pytest.approx(fc.passengers_daily, rel=1e-9)


def test_an_option_whose_lines_do_not_run_on_has_no_train_beyond_the_network():
    scenario = _heinola()
    fc = forecast(scenario, plan_service(scenario))
    t = fc.table
    beyond = t.boarding_beyond | t.alighting_beyond
    assert beyond.any() and t.markets.trips[beyond].sum() > 0
    assert not t.markets.train_available[beyond].any()


def test_an_external_service_of_an_unknown_station_names_the_file_and_line(tmp_path):
    folder = _data_copy(tmp_path)
    path = folder / "demand" / "external_services.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(k for k, line in enumerate(lines) if line.startswith("VR-KOU,"))
    lines[number] = lines[number].replace(",UKA,", ",UKX,", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    corridor = railsim.load_corridor(folder)
    with pytest.raises(DataError, match=rf"external_services.csv:{number + 1}: via_station "
                                        "'UKX'"):
        forecast(_heinola(), corridor=corridor)


# -- bad input --------------------------------------------------------------------------

def _data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    return folder


def _edit(folder: Path, table: str, find: str, replace_with: str) -> int:
    path = folder / "demand" / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(k for k, line in enumerate(lines) if line.startswith(find))
    lines[number] = lines[number].replace(*replace_with.split("|", 1))
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def _heinola():
    scenario = load_scenario(SCENARIOS / "heinola-lahti-hourly.yaml", SCENARIOS)
    return scenario


def test_a_place_without_population_names_the_file_and_line(tmp_path):
    folder = _data_copy(tmp_path)
    line = _edit(folder, "population_points", "JARVELA,", ",2654,|,,")
    with pytest.raises(DataError, match=rf"population_points.csv:{line}: column 'population'"):
        railsim.load_corridor(folder)


def test_a_place_of_an_unknown_municipality_names_the_file_and_line(tmp_path):
    folder = _data_copy(tmp_path)
    line = _edit(folder, "population_points", "KAUSALA,", ",Iitti,|,Itti,")
    corridor = railsim.load_corridor(folder)
    with pytest.raises(DataError, match=rf"population_points.csv:{line}: municipality 'Itti'"):
        forecast(_heinola(), corridor=corridor)


def test_validate_reads_the_places_as_the_run_will(tmp_path):
    """``railsim validate`` reports a place of an unknown municipality (the run would stop
    on it) with the file and line, and no traceback."""
    from click.testing import CliRunner

    from railsim.cli import cli

    folder = _data_copy(tmp_path)
    line = _edit(folder, "population_points", "KAUSALA,", ",Iitti,|,Itti,")
    for name in ("heinola-lahti-hourly", "do-minimum"):  # the do-minimum reads them too
        result = CliRunner().invoke(cli, ["--data", str(folder), "validate",
                                          str(SCENARIOS / f"{name}.yaml")])
        assert result.exit_code == 1, (name, result.output)
        assert f"population_points.csv:{line}: municipality 'Itti'" in result.output
        assert "Traceback" not in result.output


def test_a_count_of_a_station_not_in_the_network_names_the_file_and_line(tmp_path):
    folder = _data_copy(tmp_path)
    line = _edit(folder, "station_counts", "UKA,2016", "UKA,|UKX,")
    corridor = railsim.load_corridor(folder)
    with pytest.raises(DataError, match=rf"station_counts.csv:{line}: station 'UKX'"):
        load_scenario(SCENARIOS / "heinola-lahti-hourly.yaml", SCENARIOS, corridor=corridor)


def test_a_back_cast_of_a_year_without_service_data_is_refused(tmp_path):
    (tmp_path / "validation").mkdir()
    for path in VALIDATION.glob("*.yaml"):
        shutil.copy(path, tmp_path / "validation" / path.name)
    bad = tmp_path / "validation" / "lahti-kouvola-2017.yaml"
    bad.write_text("extends: lahti-kouvola-2016.yaml\ndemand:\n  base_year: 2017\n",
                   encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        load_scenario(bad, tmp_path / "validation")
    message = str(error.value)
    assert "lahti-kouvola-2016.yaml" in message and "service.lines[0].id" in message
    assert "no service data for 'VR-KOU' in 2017" in message
    assert "observed_services.csv: 2016, 2019" in message


def test_market_costs_give_trips_and_generalised_costs_by_mode(back_casts):
    from railsim.demand.tables import market_costs

    fc = back_casts[0]
    table = market_costs(fc)
    assert len(table) == len(fc.table)
    assert np.allclose(table.bus_do_minimum + table.car_do_minimum, table.trips_do_minimum)
    assert table.train_scenario.sum() == pytest.approx(fc.passengers_daily)
    trains = table[np.isfinite(table.gt_train_min)]
    assert len(trains) and (trains.train_scenario > 0).all()
    assert np.isfinite(table.gt_car_min).all()


@pytest.mark.slow
def test_back_casts_beside_options_are_kept_apart(tmp_path):
    """`railsim run scenarios/` reaches the back-casts too: they are reported as checks of
    the model (their own section with validation.csv), never ranked or charted as options."""
    from railsim.plot.charts import _batch_tables, batch_chart
    from railsim.report.builder import build_report

    files = [SCENARIOS / "orimattila-lahti-hourly.yaml", VALIDATION / "lahti-kouvola-2016.yaml"]
    out = tmp_path / "mixed"
    result = railsim.run_batch(files, out, workers=1,
                               settings={"simulation.replications": 3,
                                         "uncertainty.draws": 20})
    assert not result.failed, [o.message for o in result.failed]
    summary = pd.read_csv(out / "summary.csv")
    role = dict(zip(summary.scenario, summary.role, strict=True))
    assert role == {"orimattila-lahti-hourly": "option", "lahti-kouvola-2016": "back-cast"}
    ranks = dict(zip(summary.scenario, summary.rank_npv_societal, strict=True))
    assert ranks["orimattila-lahti-hourly"] == 1 and pd.isna(ranks["lahti-kouvola-2016"])
    charted = _batch_tables(out, "en")
    assert charted is not None
    assert list(charted["summary"].scenario) == ["orimattila-lahti-hourly"]
    assert set(charted["validation"].station_id) == {"VLH", "NSL", "UKA"}
    drawn = batch_chart(out, "validation")  # predicted against observed, both languages
    assert set(drawn) == {"fi", "en"} and all(c.kind == "svg" for c in drawn.values())
    build_report(out, charts=False)
    page = (out / "report.en.html").read_text(encoding="utf-8")
    back_cast_title = "Back-cast 2016"
    section = page.index("The model against observed passenger counts")
    assert page.count(back_cast_title) == 0 or page.index(back_cast_title) > section
    assert "Uusikylä" in page[section:]
    assert "How far the passenger numbers can be trusted" in page[:section]  # the summary
    assert 'id="sheet-orimattila-lahti-hourly"' in page
    assert 'id="sheet-lahti-kouvola-2016"' not in page  # no option sheet for a back-cast
    # the batch's back-cast chart: in their section beside options, in the annex alone
    from railsim.plot.compact import Compact
    from railsim.report.builder import render
    from railsim.report.strings import TEXT

    chart = {lang: Compact("svg", f"<svg>{lang}</svg>") for lang in ("fi", "en")}
    caption = TEXT["en"]["cap_validation"]
    page = render(out, {}, {"validation": chart})["report.en.html"]
    assert page.count(caption) == 1
    assert page.index(caption) > page.index("The model against observed passenger counts")
    alone = tmp_path / "alone"
    shutil.copytree(out, alone)
    shutil.rmtree(alone / "orimattila-lahti-hourly")
    (alone / "summary.csv").unlink()
    page = render(alone, {}, {"validation": chart})["report.en.html"]
    assert page.count(caption) == 1 and 'id="sheet-lahti-kouvola-2016"' in page

"""A small synthetic result folder matching docs/result-tables.md, for chart and report tests.

Two scenarios: ``heinola-hourly`` with every table, ``orimattila-failed`` with only
error.txt; plus ``do-minimum`` with kpis.csv alone (no timetable, no money). The numbers
are chosen so the plain-words sentences are easy to check: investment 91.3 M€, 1 234
passengers a weekday, subsidy 14.2 € per trip, benefit–cost ratio 0.4.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from railsim.batch.summary import SummaryEntry, write_summary_entries

OK = "heinola-hourly"
FAILED = "orimattila-failed"
DO_MINIMUM = "do-minimum"
TITLE = "Heinola – Lahti hourly <b>& peaks</b>"  # markup on purpose: it must be escaped
ERROR = "scenarios/orimattila.yaml\nservice: <script>alert(1)</script> cannot run"

HEADLINE = {
    "capex_total_eur": 91_300_000.0, "opex_annual_eur": 6_200_000.0,
    "revenue_annual_eur": 1_100_000.0, "passengers_daily": 1234.0,
    "passengers_annual": 359_000.0, "passenger_km_annual": 9_800_000.0,
    "farebox_ratio": 0.18, "subsidy_per_passenger_eur": 14.2,
    "npv_financial_eur": -180_000_000.0, "npv_societal_eur": -75_000_000.0, "bcr": 0.4,
    "prob_npv_societal_positive": 0.05, "punctuality_3min_pct": 93.4, "units_required": 3.0,
    "train_km_annual": 420_000.0,
}


MORE_KPIS = {  # in kpis.csv only (not summary.csv columns)
    "pv_investment_eur": 110_000_000.0, "fare_per_trip_eur": 3.5,
    "subsidy_annual_eur": 5_100_000.0, "capex_annuity_eur": 4_900_000.0,
    # the municipalities buy the service: the operating deficit (5.1) and the trains (1.0)
    "purchased_service_annual_eur": 6_100_000.0, "state_infrastructure_annual_eur": 4_200_000.0,
    "subsidy_annual_eur_Heinola": 3_600_000.0, "subsidy_annual_eur_Lahti": 2_500_000.0,
}


def _kpis(scenario: str, values: dict[str, float]) -> pd.DataFrame:
    rows = [{"scenario": scenario, "variable": k, "unit": "", "statistic": "value", "value": v}
            for k, v in values.items()]
    return pd.DataFrame(rows)


def _cashflows() -> pd.DataFrame:
    years = np.arange(2028, 2061)
    opening = 2031
    running = years >= opening
    capex = np.where(years < opening, 91.3e6 / 3, 0.0)
    opex = np.where(running, 6.2e6, 0.0)
    revenue = np.where(running, 1.1e6, 0.0)
    residual = np.where(years == years[-1], 20e6, 0.0)
    factor = 1.035 ** -(years - opening)
    net = revenue + residual - capex - opex
    benefits = np.where(running, 2.5e6, 0.0)
    societal = net + benefits * 2
    return pd.DataFrame({
        "year": years, "capex_eur": capex, "opex_eur": opex, "revenue_eur": revenue,
        "residual_value_eur": residual, "net_financial_eur": net, "discount_factor": factor,
        "discounted_net_financial_eur": net * factor, "user_benefit_eur": benefits,
        "car_cost_saving_eur": benefits / 2, "emission_benefit_eur": benefits / 10,
        "accident_benefit_eur": benefits / 10, "bus_cost_saving_eur": benefits / 5,
        "public_funds_cost_eur": -benefits / 10, "net_societal_eur": societal,
        "discounted_net_societal_eur": societal * factor,
    })


def _costs() -> pd.DataFrame:
    items = [("track_renewal", "Track renewal, Heinola–Lahti", 37.4, 0.9e6, 40),
             ("platforms", "New platforms", 4, 1.5e6, 50),
             ("passing_loop", "Passing loop at Vierumäki", 1, 8e6, 40),
             ("signalling", "Signalling and train protection", 37.4, 0.4e6, 25),
             ("rolling_stock:dmu", "Diesel units", 3, 6.5e6, 30)]
    frame = pd.DataFrame(items, columns=["item_id", "description", "quantity", "unit_cost_eur",
                                         "asset_life_years"])
    frame.insert(4, "cost_eur", frame["quantity"] * frame["unit_cost_eur"])
    return frame


def _network() -> pd.DataFrame:
    rows = [("HEI", "LH", "Lahti", 0.0, 426_000, 6_761_000, True, 25_000, 40_000, 0),
            ("HEI", "VRM", "Vierumäki", 25.0, 437_000, 6_783_000, False, 800, 2_000, 500),
            ("HEI", "HNL", "Heinola", 37.4, 441_000, 6_795_000, True, 9_000, 8_000, 1_200),
            ("ORI", "LH", "Lahti", 0.0, 426_000, 6_761_000, True, 25_000, 40_000, 0),
            ("ORI", "ORM", "Orimattila", 20.0, 421_000, 6_744_000, True, 7_000, 5_000, 900)]
    return pd.DataFrame(rows, columns=["line_id", "station_id", "station_name",
                                       "km_from_lahti", "x_3067", "y_3067", "served",
                                       "population_walk", "population_feeder",
                                       "population_park_and_ride"])


def _timetable() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two passenger trains meeting at a loop and a freight train (weekday)."""
    trips = pd.DataFrame({
        "trip_id": ["P-out", "P-in", "F-1"], "service_id": ["H1", "H1", "freight"],
        "kind": ["passenger", "passenger", "freight"], "day_type": "weekday",
        "direction": [0, 1, 0], "origin": ["LH", "HNL", "LH"],
        "destination": ["HNL", "LH", "HNL"], "departure_s": [21600.0, 21600.0, 3600.0],
        "arrival_s": [24000.0, 24000.0, 7200.0], "distance_km": [37.4, 37.4, 37.4],
        "units": 1, "crossing_wait_s": [60.0, 0.0, 0.0]})
    stops = []
    for trip, times, order in (("P-out", (21600, 22700, 22760, 24000), ("LH", "HEI@18.7", "HNL")),
                               ("P-in", (21600, 22800, 22800, 24000), ("HNL", "HEI@18.7", "LH")),
                               ("F-1", (3600, 5400, 5400, 7200), ("LH", "HEI@18.7", "HNL"))):
        kms = (0.0, 18.7, 37.4)
        arrivals = (times[0], times[1], times[3])
        departures = (times[0], times[2], times[3])
        for k, station in enumerate(order):
            stops.append({"trip_id": trip, "stop_sequence": k, "station_id": station,
                          "line_id": "HEI", "km": kms[k], "arrival_s": float(arrivals[k]),
                          "departure_s": float(departures[k]), "line_km": kms[k],
                          "served": "@" not in station})
    return pd.DataFrame(stops), trips


def _scenario_tables() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(1)
    draws = 400
    societal = rng.normal(-75e6, 30e6, draws)
    return {
        "kpis": _kpis(OK, {**HEADLINE, **MORE_KPIS}),
        "capex": _costs(),
        "opex": _costs().assign(cost_eur=lambda f: f["cost_eur"] / 20),
        "cashflows": _cashflows(),
        "ridership": pd.DataFrame({
            "station_id": ["LH", "HNL", "ORM"], "station_name": ["Lahti", "Heinola",
                                                                "Orimattila"],
            "boardings_daily": [600.0, 420.0, 214.0], "alightings_daily": [610.0, 410.0, 214.0],
            "boardings_annual": [175_000.0, 122_000.0, 62_000.0]}),
        "replications": pd.DataFrame({
            "replication": np.arange(50), "punctuality_3min_pct": rng.normal(93, 3, 50),
            "punctuality_5min_pct": rng.normal(97, 1, 50), "mean_delay_s": rng.gamma(2, 30, 50),
            "p90_delay_s": rng.gamma(2, 90, 50), "primary_delay_s": rng.gamma(2, 20, 50),
            "secondary_delay_s": rng.gamma(2, 10, 50)}),
        "network": _network(),
        "stop_times": _timetable()[0],
        "timetable": _timetable()[1],
        "uncertainty_draws": pd.DataFrame({
            "draw": np.arange(draws), "npv_financial_eur": societal - 100e6,
            "npv_societal_eur": societal, "bcr": 0.4 + societal / 500e6,
            "passengers_daily": rng.normal(1234, 200, draws)}),
        "tornado": pd.DataFrame({
            "input": ["construction cost multiplier", "value of time", "fare multiplier"],
            "low_value": [0.8, 8.0, 0.8], "high_value": [1.5, 14.0, 1.2],
            "npv_societal_low_eur": [-55e6, -90e6, -78e6],
            "npv_societal_high_eur": [-110e6, -60e6, -72e6],
            "base_npv_societal_eur": [-75e6] * 3}),
    }


SECOND = "lahti-orimattila-hourly"
SECOND_HEADLINE = {**HEADLINE, "capex_total_eur": 60_000_000.0, "passengers_daily": 800.0,
                   "subsidy_per_passenger_eur": 21.0, "npv_societal_eur": -120_000_000.0,
                   "bcr": 0.3}


def write_fake_results(out: Path, second_option: bool = False) -> Path:
    """Write the fake batch under ``out`` and return it; ``second_option`` adds a second
    rail option (:data:`SECOND`, the same tables, other headline numbers) so that the
    charts comparing options are drawn."""
    out.mkdir(parents=True, exist_ok=True)
    folder = out / OK
    folder.mkdir()
    for name, frame in _scenario_tables().items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    (folder / "scenario.resolved.yaml").write_text(
        "name: heinola-hourly\ntitle: Heinola from the resolved file\n"
        "demand:\n  walk_radius_m: 800\n  feeder_radius_m: 4000\n",
        encoding="utf-8")
    (out / FAILED).mkdir()
    (out / FAILED / "error.txt").write_text(ERROR, encoding="utf-8")
    (out / DO_MINIMUM).mkdir()
    _kpis(DO_MINIMUM, {"train_km_annual": 0.0, "units_required": 0.0}).to_csv(
        out / DO_MINIMUM / "kpis.csv", index=False)
    both = {k: {"value": v, "mean": v} for k, v in HEADLINE.items()}  # central = mean
    second = []
    if second_option:
        (out / SECOND).mkdir()
        for name, frame in _scenario_tables().items():
            frame.to_csv(out / SECOND / f"{name}.csv", index=False)
        (out / SECOND / "scenario.resolved.yaml").write_text(
            f"name: {SECOND}\ntitle: Orimattila hourly\n", encoding="utf-8")
        second = [SummaryEntry(SECOND, "Orimattila hourly", "ok", "option",
                               {k: {"value": v, "mean": v} for k, v in SECOND_HEADLINE.items()},
                               2024)]
    write_summary_entries(out, [
        SummaryEntry(OK, TITLE, "ok", "option", both, 2024), *second,
        SummaryEntry(FAILED, "Orimattila – Lahti", "failed"),
        SummaryEntry(DO_MINIMUM, "Do-minimum", "ok", "do-minimum",
                     {"train_km_annual": {"value": 0.0}, "units_required": {"value": 0.0}},
                     2024),
    ])
    pd.DataFrame([
        {"scenario": "back-cast", "station_id": "VLH", "station_name": "Villähde",
         "year": 2019, "observed": 6100.0, "predicted": 5500.0, "ratio": 5500 / 6100,
         "definition": "boardings_and_alightings", "use": "calibration", "source": "fake"},
        {"scenario": "back-cast", "station_id": "UKA", "station_name": "Uusikylä",
         "year": 2016, "observed": 10000.0, "predicted": 3100.0, "ratio": 0.31,
         "definition": "boardings_and_alightings", "use": "held_out", "source": "fake"},
    ]).to_csv(out / "validation.csv", index=False)
    return out

"""Headline ridership KPIs (long-format rows) and all ridership tables of a forecast."""

from __future__ import annotations

from typing import TYPE_CHECKING

from railsim.demand.elasticities import elasticities
from railsim.demand.markets import ONWARD
from railsim.demand.model import Forecast

if TYPE_CHECKING:
    import pandas as pd


def ridership_kpis(fc: Forecast, loads: pd.DataFrame) -> list[dict[str, object]]:
    """KPI rows of a forecast (``loads`` from :func:`railsim.demand.tables.loads`)."""
    money = f"EUR/yr ({fc.scenario.costs.price_year})"
    r = fc.result
    total = float(fc.table.markets.trips.sum())
    rows: list[dict[str, object]] = [
        {"variable": "passengers_daily", "unit": "trips/weekday",
         "value": fc.passengers_daily},
        {"variable": "passengers_annual", "unit": "trips/yr",
         "value": fc.passengers_daily * fc.annual_factor},
        {"variable": "passenger_km_annual", "unit": "pkm/yr",
         "value": fc.passenger_km_daily * fc.annual_factor},
        {"variable": "revenue_annual_eur", "unit": money, "value": fc.revenue_annual_eur()},
        {"variable": "fare_per_trip_eur", "unit": "EUR (incl. VAT)",
         "value": fc.train_fare_eur},
        {"variable": "train_share_pct", "unit": "%",
         "value": 100 * fc.passengers_daily / total if total else 0.0},
        {"variable": "passengers_from_bus_daily", "unit": "trips/weekday",
         "value": float(r.from_bus.sum())},
        {"variable": "passengers_from_car_daily", "unit": "trips/weekday",
         "value": float(r.from_car.sum())},
        {"variable": "passengers_new_daily", "unit": "trips/weekday",
         "value": float(r.induced.sum())},
        {"variable": "corridor_trips_daily", "unit": "trips/weekday", "value": total},
    ]
    onward = sum(float(t) for t, o, d in zip(r.train, fc.table.origin_place,
                                              fc.table.destination_place, strict=True)
                 if ONWARD in (o, d))
    rows.append({"variable": "passengers_onward_daily", "unit": "trips/weekday",
                 "value": onward})
    for name, value in elasticities(fc).items():
        rows.append({"variable": f"elasticity_{name}", "unit": "1", "value": value})
    if len(loads):
        rows.append({"variable": "peak_hour_load_max", "unit": "passengers/h",
                     "value": float(loads["peak_hour_load"].max())})
        rows.append({"variable": "sections_over_seats", "unit": "count",
                     "value": int((loads["crowding"] != "seated").sum())})
    for row in rows:
        row["statistic"] = "value"
    return rows


def ridership_tables(fc: Forecast) -> dict[str, pd.DataFrame]:
    """Every ridership table of the result folder, each computed once."""
    from railsim.demand import loads as train_loads
    from railsim.demand import tables
    from railsim.demand.validation import validation_table

    stations = tables.station_table(fc)
    return {
        "ridership.csv": stations,
        "od_matrix.csv": tables.od_matrix(fc),
        "loads.csv": train_loads.loads(fc),
        "mode_choice.csv": tables.mode_choice_table(fc),
        "calibration.csv": tables.calibration_table(fc),
        "validation.csv": validation_table(fc, stations),
        "elasticities.csv": tables.elasticity_table(fc),
        "network.csv": tables.network_table(fc),
    }

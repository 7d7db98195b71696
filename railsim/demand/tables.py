"""Result tables of a forecast: boardings, OD matrix, mode shares, loads, catchments.

Functions of a :class:`~railsim.demand.model.Forecast` (the plain result), each giving
one table of the result folder; :func:`ridership_tables` computes all of them once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from railsim.config import schema
from railsim.demand.choice import choose
from railsim.demand.elasticities import elasticities
from railsim.demand.model import Forecast

if TYPE_CHECKING:
    import pandas as pd



def station_table(fc: Forecast) -> pd.DataFrame:
    """Weekday boardings and alightings per served station (journeys, not changes; a trip
    to or from beyond the network boards or alights there, not at the station it passes)."""
    import pandas as pd

    names = {sid: st.name for sid, st in fc.network.stations.items()}
    served = _served(fc.scenario)
    board = dict.fromkeys(served, 0.0)
    alight = dict.fromkeys(served, 0.0)
    for k, trips in enumerate(fc.result.train):
        b, a = fc.table.boarding[k], fc.table.alighting[k]
        if b is not None and a is not None:
            board[b] += 0.0 if fc.table.boarding_beyond[k] else float(trips)
            alight[a] += 0.0 if fc.table.alighting_beyond[k] else float(trips)
    frame = pd.DataFrame({
        "station_id": served, "station_name": [names.get(s, s) for s in served],
        "boardings_daily": [board[s] for s in served],
        "alightings_daily": [alight[s] for s in served]})
    frame["boardings_annual"] = frame["boardings_daily"] * fc.annual_factor
    return frame

def od_pairs(fc: Forecast) -> dict[tuple[str, str], float]:
    """Weekday train trips by (boarding, alighting) station; for a trip to or from beyond
    the network, the station it passes last (its ride on the modelled lines)."""
    pairs: dict[tuple[str, str], float] = {}
    for k, trips in enumerate(fc.result.train):
        b, a = fc.table.boarding[k], fc.table.alighting[k]
        if b is not None and a is not None:
            pairs[(b, a)] = pairs.get((b, a), 0.0) + float(trips)
    return pairs

def od_matrix(fc: Forecast) -> pd.DataFrame:
    """Weekday train trips by boarding and alighting station."""
    import pandas as pd

    pairs = od_pairs(fc)
    return pd.DataFrame([{"origin_station": b, "destination_station": a, "trips_daily": t}
                         for (b, a), t in sorted(pairs.items())],
                        columns=["origin_station", "destination_station", "trips_daily"])

def mode_choice_table(fc: Forecast) -> pd.DataFrame:
    """Trips and mode shares per place pair and purpose, with the do-minimum shares."""
    import pandas as pd

    t = fc.table
    base = choose(t.markets.without_train(), replace(fc.choice,
                                                     car_constant=fc.result.car_constant))
    new = choose(t.markets, replace(fc.choice, car_constant=fc.result.car_constant))
    frame = pd.DataFrame({
        "origin_place": t.origin_place, "destination_place": t.destination_place,
        "purpose": t.purpose, "trips_daily": t.markets.trips,
        "train": t.markets.trips * new.train, "bus": t.markets.trips * new.bus,
        "car": t.markets.trips * new.car, "bus_do_minimum": t.markets.trips * base.bus,
        "car_do_minimum": t.markets.trips * base.car, "new_trips": fc.result.induced})
    grouped = frame.groupby(["origin_place", "destination_place", "purpose"],
                            as_index=False).sum()
    total = grouped["trips_daily"].where(grouped["trips_daily"] > 0, 1.0)
    out = grouped[["origin_place", "destination_place", "purpose", "trips_daily"]].copy()
    for mode in ("train", "bus", "car"):
        out[f"share_{mode}"] = grouped[mode] / total
    out["share_bus_do_minimum"] = grouped["bus_do_minimum"] / total
    out["share_car_do_minimum"] = grouped["car_do_minimum"] / total
    out["new_trips_daily"] = grouped["new_trips"]
    return out

def market_costs(fc: Forecast) -> pd.DataFrame:
    """Per market: trips and generalised minutes by mode, do-minimum and scenario (for a
    rule-of-half benefit per OD market; not written to the results).

    Columns: origin_place, destination_place, purpose, boarding, alighting,
    trips_do_minimum, trips_scenario (with induced trips), train_scenario, bus_scenario,
    car_scenario, bus_do_minimum, car_do_minimum (trips by mode), gt_train_min,
    gt_bus_min, gt_car_min (the scenario's; ``inf`` where a mode is unavailable; bus and car
    are the same in the do-minimum, where the train is unavailable), vot_eur_h.
    """
    import pandas as pd

    from railsim.demand.choice import generalised_minutes

    t = fc.table
    p = replace(fc.choice, car_constant=fc.result.car_constant)
    new = choose(t.markets, p)
    base = choose(t.markets.without_train(), p)
    gt_train, gt_bus, gt_car = generalised_minutes(t.markets, p)
    t0 = t.markets.trips
    return pd.DataFrame({
        "origin_place": t.origin_place, "destination_place": t.destination_place,
        "purpose": t.purpose, "boarding": t.boarding, "alighting": t.alighting,
        "trips_do_minimum": t0, "trips_scenario": t0 + fc.result.induced,
        "train_scenario": fc.result.train, "bus_scenario": t0 * new.bus,
        "car_scenario": t0 * new.car, "bus_do_minimum": t0 * base.bus,
        "car_do_minimum": t0 * base.car, "gt_train_min": gt_train, "gt_bus_min": gt_bus,
        "gt_car_min": gt_car, "vot_eur_h": t.markets.vot_eur_h})


def network_table(fc: Forecast) -> pd.DataFrame:
    """Stations on every line with position, EPSG:3067 coordinates, whether served and
    the residents in each access band of a served station's catchment (for the map)."""
    import pandas as pd

    from railsim.demand.catchments import catchment_table, population_grid
    from railsim.demand.markets import served_stations

    stations = (served_stations(fc.scenario, fc.corridor, fc.network)
                if fc.plan else [])
    catch = catchment_table(population_grid(fc.corridor), stations, fc.scenario.demand,
                            fc.params).set_index("station_id").to_dict("index")
    rows = []
    for sid, lines in sorted(fc.network.positions.items()):
        st = fc.network.stations.get(sid)
        if st is None:
            continue
        for line_id, km in sorted(lines.items()):
            row: dict[str, object] = {
                "line_id": line_id, "station_id": sid, "station_name": st.name,
                "km_from_lahti": km, "x_3067": st.x_3067, "y_3067": st.y_3067,
                "served": sid in catch}
            for band in ("walk", "feeder", "park_and_ride"):
                column = f"population_{band}"
                row[column] = float(catch[sid][column]) if sid in catch else 0.0
            rows.append(row)
    return pd.DataFrame(rows).sort_values(["line_id", "km_from_lahti"], ignore_index=True)

def calibration_table(fc: Forecast) -> pd.DataFrame:
    """Counted commuting flows against the gravity model (fitted or checked)."""
    import pandas as pd

    return pd.DataFrame(fc.table.gravity.fitted,
                        columns=["origin", "destination", "status", "count", "target",
                                 "model"])


def elasticity_table(fc: Forecast) -> pd.DataFrame:
    """Implied elasticities against the published ranges in the data."""
    import pandas as pd

    bench = fc.corridor.by_key("elasticity_benchmarks")
    rows = []
    for name, value in elasticities(fc).items():
        b = bench.get(name)
        rows.append({"elasticity": name, "value": value,
                     "published_low": b["low"] if b else None,
                     "published_high": b["high"] if b else None,
                     "within_published_range": bool(b and b["low"] <= value <= b["high"])})
    return pd.DataFrame(rows, columns=["elasticity", "value", "published_low",
                                       "published_high", "within_published_range"])


def _served(scenario: schema.Scenario) -> list[str]:
    served: list[str] = []
    for line in scenario.service.lines:
        served += [s for s in line.stations if s not in served]
    return served

"""The ridership forecast of a scenario: markets → mode choice → trips, loads, KPIs.

Induced demand: trips in a market grow with its accessibility,
``T1 = T0 · exp(η · Δlogsum)`` (η = ``induced_logsum_elasticity``), and the growth is
counted as new train trips. Users are split into those diverted from bus and car (the
logit shares of the do-minimum minus those of the scenario) and new trips. The user
benefit is the logsum change in minutes (exact for the logit) for existing trips plus
the rule of half for new ones.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from railsim.config import schema
from railsim.demand.choice import (
    ChoiceParameters,
    Markets,
    calibrate_car_constant,
    choose,
    choose_with_do_minimum,
)
from railsim.demand.markets import ONWARD, MarketTable, build_markets
from railsim.demand.parameters import DemandParameters, load_parameters
from railsim.demand.supply import TrainService, expected_wait_min
from railsim.network import JUNCTION, Network

if TYPE_CHECKING:
    import pandas as pd

    from railsim.corridor import Corridor
    from railsim.timetable.plan import ServicePlan

ELASTICITY_STEP = 1.1
"""Relative change used for the arc elasticities (+10 %)."""


@dataclass
class Outcome:
    """Per-market results (markets on the last axis; draws first when vectorised)."""

    train: np.ndarray
    from_bus: np.ndarray
    from_car: np.ndarray
    induced: np.ndarray
    benefit_min: np.ndarray
    """User benefit in generalised minutes per weekday."""
    car_constant: float | np.ndarray


def choice_parameters(scenario: schema.Scenario, params: DemandParameters) -> ChoiceParameters:
    d = scenario.demand
    return ChoiceParameters(d.logit_scale_per_min, d.train_constant_min, d.wait_time_weight,
                            params.access_time_weight, d.transfer_penalty_min,
                            d.fares.fare_multiplier)


def outcome(markets: Markets, do_minimum: Markets, p: ChoiceParameters,
            bus_share: float | np.ndarray, induced_elasticity: float | np.ndarray) -> Outcome:
    """Calibrate the car constant on the do-minimum (per draw when vectorised), then
    the scenario's choices."""
    car_constant = calibrate_car_constant(do_minimum, p, bus_share)
    p = replace(p, car_constant=car_constant)
    new, base = choose_with_do_minimum(markets, p)
    gain = np.maximum(new.logsum - base.logsum, 0.0)
    t0 = markets.trips
    induced = t0 * np.expm1(induced_elasticity * gain)
    return Outcome(t0 * new.train + induced, t0 * (base.bus - new.bus),
                   t0 * (base.car - new.car), induced,
                   (t0 + induced / 2) * gain / p.scale_per_min, car_constant)


@dataclass
class Forecast:
    """Ridership of one scenario with its markets and central outcome."""

    scenario: schema.Scenario
    params: DemandParameters
    table: MarketTable
    choice: ChoiceParameters
    result: Outcome
    network: Network
    corridor: Corridor
    """The data the forecast was made from (for its tables: rolling stock, benchmarks)."""
    plan: ServicePlan | None = None

    # -- totals -----------------------------------------------------------------------

    @property
    def passengers_daily(self) -> float:
        return float(self.result.train.sum())

    @property
    def annual_factor(self) -> float:
        """Weekday-equivalents per year of train service (weekend days by their factors)."""
        svc = self.scenario.service
        has = {day: any(getattr(line, day) is not None for line in svc.lines)
               for day in ("weekday", "saturday", "sunday")}
        return (svc.weekdays_per_year * has["weekday"]
                + svc.saturdays_per_year * self.params.saturday_demand_factor * has["saturday"]
                + svc.sundays_per_year * self.params.sunday_demand_factor * has["sunday"])

    @property
    def passenger_km_daily(self) -> float:
        return float((self.result.train * self.table.distance_km).sum())

    @property
    def train_fare_eur(self) -> float:
        return self.table.fares["train_eur"] * self.scenario.demand.fares.fare_multiplier

    def fares_paid_annual_eur(self) -> float:
        """Fares paid by passengers in a full ridership year, VAT included."""
        return self.passengers_daily * self.annual_factor * self.train_fare_eur

    def revenue_annual_eur(self) -> float:
        """Fare revenue of a full ridership year, net of VAT (before ramp-up and growth)."""
        return self.fares_paid_annual_eur() / (1 + self.params.vat_on_fares)

    def year_factors(self, years: np.ndarray) -> np.ndarray:
        """Ridership per year relative to the full level: ramp-up after opening times
        population growth from the base year (0 before opening)."""
        a = self.scenario.appraisal
        ramp = list(a.ramp_up)
        since = years - a.opening_year
        factor = np.array([ramp[k] if 0 <= k < len(ramp) else float(k >= 0) for k in since])
        growth = (1 + self.scenario.demand.population_growth_pct_per_year / 100) ** (
            years - self.scenario.demand.base_year)
        return factor * growth

    # -- tables -------------------------------------------------------------------------

    def station_table(self) -> pd.DataFrame:
        """Weekday boardings and alightings per served station (journeys, not changes)."""
        import pandas as pd

        names = {sid: st.name for sid, st in self.network.stations.items()}
        served = _served(self.scenario)
        board = dict.fromkeys(served, 0.0)
        alight = dict.fromkeys(served, 0.0)
        for k, trips in enumerate(self.result.train):
            b, a = self.table.boarding[k], self.table.alighting[k]
            if b is not None and a is not None:
                board[b] += float(trips)
                alight[a] += float(trips)
        frame = pd.DataFrame({
            "station_id": served, "station_name": [names.get(s, s) for s in served],
            "boardings_daily": [board[s] for s in served],
            "alightings_daily": [alight[s] for s in served]})
        frame["boardings_annual"] = frame["boardings_daily"] * self.annual_factor
        return frame

    def od_pairs(self) -> dict[tuple[str, str], float]:
        """Weekday train trips by (boarding, alighting) station."""
        pairs: dict[tuple[str, str], float] = {}
        for k, trips in enumerate(self.result.train):
            b, a = self.table.boarding[k], self.table.alighting[k]
            if b is not None and a is not None:
                pairs[(b, a)] = pairs.get((b, a), 0.0) + float(trips)
        return pairs

    def od_matrix(self) -> pd.DataFrame:
        """Weekday train trips by boarding and alighting station."""
        import pandas as pd

        pairs = self.od_pairs()
        return pd.DataFrame([{"origin_station": b, "destination_station": a, "trips_daily": t}
                             for (b, a), t in sorted(pairs.items())],
                            columns=["origin_station", "destination_station", "trips_daily"])

    def mode_choice_table(self) -> pd.DataFrame:
        """Trips and mode shares per place pair and purpose, with the do-minimum shares."""
        import pandas as pd

        t = self.table
        base = choose(t.markets.without_train(), replace(self.choice,
                                                         car_constant=self.result.car_constant))
        new = choose(t.markets, replace(self.choice, car_constant=self.result.car_constant))
        frame = pd.DataFrame({
            "origin_place": t.origin_place, "destination_place": t.destination_place,
            "purpose": t.purpose, "trips_daily": t.markets.trips,
            "train": t.markets.trips * new.train, "bus": t.markets.trips * new.bus,
            "car": t.markets.trips * new.car, "bus_do_minimum": t.markets.trips * base.bus,
            "car_do_minimum": t.markets.trips * base.car, "new_trips": self.result.induced})
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

    def loads(self) -> pd.DataFrame:
        """Peak-hour load per section and direction against seats and capacity."""
        import pandas as pd

        columns = ["service_id", "direction", "from_station", "to_station", "peak_hour_load",
                   "seats_per_hour", "capacity_per_hour", "crowding"]
        if self.plan is None or "weekday" not in self.plan.timetables:
            return pd.DataFrame(columns=columns)
        link_volume: dict[tuple[str, str], float] = {}
        for (origin, destination), volume in self.od_pairs().items():
            for a, b in _path(origin, destination, self.scenario):
                link_volume[(a, b)] = link_volume.get((a, b), 0.0) + volume
        stock = self.corridor.by_key("rolling_stock")[self.scenario.rolling_stock.type]
        seats, capacity = _hourly_capacity(self.plan, stock)
        rows = []
        for line in self.scenario.service.lines:
            for seq in (line.stations, line.stations[::-1]):
                for a, b in itertools.pairwise(seq):
                    load = self.params.peak_hour_share * link_volume.get((a, b), 0.0)
                    s, c = seats.get((a, b), 0.0), capacity.get((a, b), 0.0)
                    crowding = ("seated" if load <= s else "standing" if load <= c
                                else "over_capacity")
                    rows.append({"service_id": line.id,
                                 "direction": self._direction(a, b), "from_station": a,
                                 "to_station": b, "peak_hour_load": load,
                                 "seats_per_hour": s, "capacity_per_hour": c,
                                 "crowding": crowding})
        return pd.DataFrame(rows, columns=columns).drop_duplicates(
            ["from_station", "to_station"])

    def boardings_by_trip(self) -> dict[tuple[str, str], float]:
        """Weekday boardings per (trip_id, station_id): each station pair's trips shared
        evenly among the trains that serve it (for dwell times in the simulation)."""
        out: dict[tuple[str, str], float] = {}
        if self.plan is None or "weekday" not in self.plan.timetables:
            return out
        table = self.plan.timetables["weekday"]
        serving: dict[tuple[str, str], list[str]] = {}
        for trip in table.passenger_trips():
            ids = [s.station_id for s in table.served_stops(trip)]
            for k, a in enumerate(ids):
                for b in ids[k + 1:]:
                    serving.setdefault((a, b), []).append(trip.trip_id)
        for (b, a), volume in self.od_pairs().items():
            legs = [(b, a)] if (b, a) in serving else [(b, JUNCTION), (JUNCTION, a)]
            for leg in legs:
                trips = serving.get(leg, [])
                for trip_id in trips:
                    key = (trip_id, leg[0])
                    out[key] = out.get(key, 0.0) + volume / len(trips)
        return out

    def _direction(self, a: str, b: str) -> str:
        pa, pb = self.network.positions.get(a, {}), self.network.positions.get(b, {})
        common = sorted(set(pa) & set(pb))
        if common and pb[common[0]] < pa[common[0]]:
            return "towards_lahti"
        return "from_lahti"

    def network_table(self) -> pd.DataFrame:
        """Stations on every line with position, EPSG:3067 coordinates, whether served and
        the residents in each access band of a served station's catchment (for the map)."""
        import pandas as pd

        from railsim.demand.catchments import catchment_table, population_cells
        from railsim.demand.markets import served_stations

        stations = (served_stations(self.scenario, self.corridor, self.network)
                    if self.plan else [])
        catch = catchment_table(population_cells(self.corridor), stations, self.scenario.demand,
                                self.params).set_index("station_id").to_dict("index")
        rows = []
        for sid, lines in sorted(self.network.positions.items()):
            st = self.network.stations.get(sid)
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

    def calibration_table(self) -> pd.DataFrame:
        """Counted commuting flows against the gravity model (fitted or checked)."""
        import pandas as pd

        return pd.DataFrame(self.table.gravity.fitted,
                            columns=["origin", "destination", "status", "count", "target",
                                     "model"])

    # -- elasticities -----------------------------------------------------------------

    def elasticities(self) -> dict[str, float]:
        """Arc elasticities of weekday train trips to fare, frequency and in-vehicle time."""
        base = self.passengers_daily
        if base <= 0:
            return {}
        m = self.table.markets
        step = ELASTICITY_STEP
        out = {}
        if self.train_fare_eur > 0:
            dearer = replace(self.choice, fare_multiplier=self.choice.fare_multiplier * step)
            out["fare"] = self._arc(m, dearer, base, step)
        slower = replace(m, train_in_vehicle_min=m.train_in_vehicle_min * step)
        out["in_vehicle_time"] = self._arc(slower, self.choice, base, step)
        wait = np.array([expected_wait_min(h * step, self.params)
                         for h in self.table.train_headway_min])
        transfer = np.array([expected_wait_min(h * step, self.params) if n else 0.0 for h, n
                             in zip(self.table.train_transfer_headway_min,
                                    self.table.transfers, strict=True)])
        sparser = replace(m, train_wait_min=wait, train_transfer_wait_min=transfer)
        # frequency is 1 / headway: a 10 % longer headway is a frequency change of 1/1.1
        out["frequency"] = -self._arc(sparser, self.choice, base, step)
        return out

    def elasticity_table(self) -> pd.DataFrame:
        """Implied elasticities against the published ranges in the data."""
        import pandas as pd

        bench = self.corridor.by_key("elasticity_benchmarks")
        rows = []
        for name, value in self.elasticities().items():
            b = bench.get(name)
            rows.append({"elasticity": name, "value": value,
                         "published_low": b["low"] if b else None,
                         "published_high": b["high"] if b else None,
                         "within_published_range": bool(b and b["low"] <= value <= b["high"])})
        return pd.DataFrame(rows, columns=["elasticity", "value", "published_low",
                                           "published_high", "within_published_range"])

    def _arc(self, markets: Markets, p: ChoiceParameters, base: float, step: float) -> float:
        changed = outcome(markets, self.table.do_minimum, p, self.params.bus_share_do_minimum,
                          self.params.induced_logsum_elasticity)
        return math.log(max(float(changed.train.sum()), 1e-12) / base) / math.log(step)

    # -- KPIs -----------------------------------------------------------------------------

    def kpis(self) -> list[dict[str, object]]:
        money = f"EUR/yr ({self.scenario.costs.price_year})"
        r = self.result
        total = float(self.table.markets.trips.sum())
        rows: list[dict[str, object]] = [
            {"variable": "passengers_daily", "unit": "trips/weekday",
             "value": self.passengers_daily},
            {"variable": "passengers_annual", "unit": "trips/yr",
             "value": self.passengers_daily * self.annual_factor},
            {"variable": "passenger_km_annual", "unit": "pkm/yr",
             "value": self.passenger_km_daily * self.annual_factor},
            {"variable": "revenue_annual_eur", "unit": money, "value": self.revenue_annual_eur()},
            {"variable": "fare_per_trip_eur", "unit": "EUR (incl. VAT)",
             "value": self.train_fare_eur},
            {"variable": "train_share_pct", "unit": "%",
             "value": 100 * self.passengers_daily / total if total else 0.0},
            {"variable": "passengers_from_bus_daily", "unit": "trips/weekday",
             "value": float(r.from_bus.sum())},
            {"variable": "passengers_from_car_daily", "unit": "trips/weekday",
             "value": float(r.from_car.sum())},
            {"variable": "passengers_new_daily", "unit": "trips/weekday",
             "value": float(r.induced.sum())},
            {"variable": "corridor_trips_daily", "unit": "trips/weekday", "value": total},
        ]
        onward = sum(float(t) for t, o, d in zip(r.train, self.table.origin_place,
                                                  self.table.destination_place, strict=True)
                     if ONWARD in (o, d))
        rows.append({"variable": "passengers_onward_daily", "unit": "trips/weekday",
                     "value": onward})
        for name, value in self.elasticities().items():
            rows.append({"variable": f"elasticity_{name}", "unit": "1", "value": value})
        loads = self.loads()
        if len(loads):
            rows.append({"variable": "peak_hour_load_max", "unit": "passengers/h",
                         "value": float(loads["peak_hour_load"].max())})
            rows.append({"variable": "sections_over_seats", "unit": "count",
                         "value": int((loads["crowding"] != "seated").sum())})
        for row in rows:
            row["statistic"] = "value"
        return rows


def _served(scenario: schema.Scenario) -> list[str]:
    served: list[str] = []
    for line in scenario.service.lines:
        served += [s for s in line.stations if s not in served]
    return served


def _path(a: str, b: str, scenario: schema.Scenario) -> list[tuple[str, str]]:
    """Links travelled from ``a`` to ``b``: on one service line, else changing at Lahti."""
    for line in scenario.service.lines:
        for seq in (line.stations, line.stations[::-1]):
            if a in seq and b in seq and seq.index(a) < seq.index(b):
                part = seq[seq.index(a):seq.index(b) + 1]
                return list(itertools.pairwise(part))
    if JUNCTION not in (a, b):
        return _path(a, JUNCTION, scenario) + _path(JUNCTION, b, scenario)
    return []


def _hourly_capacity(plan: ServicePlan, stock: Mapping[str, Any]
                     ) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """Seats and places (seats + standing) per hour on each link in its busiest hour."""
    seats_per_unit = float(stock["seats"])
    places_per_unit = seats_per_unit + float(stock["standing"] or 0)
    per_hour: dict[tuple[str, str, int], int] = {}
    table = plan.timetables["weekday"]
    for trip in table.passenger_trips():
        stops = table.served_stops(trip)
        for a, b in itertools.pairwise(stops):
            key = (a.station_id, b.station_id, int(a.departure_s // 3600))
            per_hour[key] = per_hour.get(key, 0) + trip.units
    busiest: dict[tuple[str, str], int] = {}
    for (start, end, _), units in per_hour.items():
        busiest[(start, end)] = max(busiest.get((start, end), 0), units)
    return ({k: u * seats_per_unit for k, u in busiest.items()},
            {k: u * places_per_unit for k, u in busiest.items()})


def forecast(scenario: schema.Scenario, corridor: Corridor, plan: ServicePlan | None = None,
             realised_min: Mapping[tuple[str, str], float] | None = None,
             network: Network | None = None) -> Forecast:
    """Ridership of a scenario from its weekday timetable (``plan``; None for the
    do-minimum) and optionally the simulated mean in-vehicle times per station pair."""
    params = load_parameters(scenario, corridor)
    network = network or (plan.network if plan is not None
                          else Network.build(corridor, scenario))
    service = None
    if plan is not None and "weekday" in plan.timetables and not scenario.is_do_minimum:
        service = TrainService.from_timetable(plan.timetables["weekday"], params, realised_min)
    table = build_markets(scenario, corridor, network, params, service)
    p = choice_parameters(scenario, params)
    result = outcome(table.markets, table.do_minimum, p, params.bus_share_do_minimum,
                     params.induced_logsum_elasticity)
    return Forecast(scenario, params, table, p, result, network, corridor, plan)

"""Parameters of the ridership model, read from ``data/`` with their price year applied.

Behavioural money values (car cost, fares) are indexed to the scenario's price year
with the cost index, as the unit costs are, so generalised costs and fares are in one
price level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from railsim.config import schema
from railsim.prices import index_factor

if TYPE_CHECKING:
    from railsim.corridor import Corridor


@dataclass(frozen=True)
class DemandParameters:
    """Numbers the ridership model needs, at the scenario's price year."""

    gravity_decay_per_km: float
    commute_presence: float
    other_trips_per_commute_trip: float
    capital_commuters_rail_share: float
    bus_share_do_minimum: float
    induced_logsum_elasticity: float
    rail_constant_min: float
    pt_nest_scale: float
    unverified_flow_factor: float
    walk_speed_kmh: float
    feeder_speed_kmh: float
    car_access_speed_kmh: float
    access_detour_factor: float
    access_time_weight: float
    feeder_penalty_min: float
    park_and_ride_penalty_min: float
    park_and_ride_radius_km: float
    park_and_ride_max_detour: float
    bus_access_min: float
    car_terminal_min: float
    road_detour_factor: float
    road_speed_kmh: float
    car_cost_per_km_behavioural: float
    wait_half_headway_until_min: float
    wait_slope_beyond: float
    service_span_min: float
    service_window_start_min: float
    max_headway_min: float
    peak_hour_share: float
    saturday_demand_factor: float
    sunday_demand_factor: float
    vat_on_fares: float
    bus_same_route_min_ride_min: float
    central_radius_km: float
    access_ring_1_km: float
    access_ring_2_km: float
    access_ring_3_km: float
    access_ring_4_km: float
    access_ring_5_km: float
    # from the appraisal values (behavioural value of time and car occupancy per purpose)
    vot_commute_eur_h: float
    vot_other_eur_h: float
    occupancy_commute: float
    occupancy_other: float
    season_trips_per_month: float

    @property
    def access_rings_km(self) -> tuple[float, ...]:
        """Upper ends of the distance rings that split a place's residents [km]."""
        return (self.access_ring_1_km, self.access_ring_2_km, self.access_ring_3_km,
                self.access_ring_4_km, self.access_ring_5_km, math.inf)

    def vot(self, purpose: str) -> float:
        return self.vot_commute_eur_h if purpose == "commute" else self.vot_other_eur_h

    def occupancy(self, purpose: str) -> float:
        return self.occupancy_commute if purpose == "commute" else self.occupancy_other


def load_parameters(scenario: schema.Scenario, corridor: Corridor) -> DemandParameters:
    """The model's parameters with money values at ``scenario.costs.price_year``."""
    year = scenario.costs.price_year
    own = corridor.by_key("demand_parameters")
    appraisal = corridor.by_key("appraisal_values")

    def money(row: dict[str, object]) -> float:
        value = float(row["value"])  # type: ignore[arg-type]
        price_year = row.get("price_year")
        if isinstance(price_year, int):
            value *= index_factor(price_year, year, corridor)
        return value

    values: dict[str, float] = {}
    for f in fields(DemandParameters):
        if f.name in own:
            values[f.name] = money(own[f.name])
    # The behavioural values of time are the car values of the appraisal guidance, as in
    # the Helmet model (one value per purpose for every mode).
    values["vot_commute_eur_h"] = money(appraisal["vot_car_commute"])
    values["vot_other_eur_h"] = money(appraisal["vot_car_leisure"])
    values["occupancy_commute"] = float(appraisal["car_occupancy_commute"]["value"])
    values["occupancy_other"] = float(appraisal["car_occupancy_leisure"]["value"])
    values["season_trips_per_month"] = float(appraisal["season_trips_per_month_work"]["value"])
    return DemandParameters(**values)

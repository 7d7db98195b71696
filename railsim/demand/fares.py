"""Fares per trip: the regional bus fare and the train fare under a scenario's policy.

Prices come from ``data/demand/fares.csv`` (VAT included) at their price year and are
indexed to the scenario's price year with the cost index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from railsim.config import schema
from railsim.demand.parameters import DemandParameters
from railsim.prices import index_factor

if TYPE_CHECKING:
    from railsim.corridor import Corridor


def fare_price_eur(fare_id: str, scenario: schema.Scenario, corridor: Corridor) -> float:
    """Price of one ticket product at the scenario's price year."""
    row = corridor.by_key("fares")[fare_id]
    return float(row["price_eur"]) * index_factor(row["price_year"], scenario.costs.price_year,
                                                  corridor)


def per_trip_eur(single_id: str, season_id: str, scenario: schema.Scenario,
                 params: DemandParameters, corridor: Corridor) -> float:
    """Fare per trip: season tickets (per trip) and single tickets by their shares."""
    share = scenario.demand.fares.season_ticket_share
    season = fare_price_eur(season_id, scenario, corridor) / params.season_trips_per_month
    return share * season + (1 - share) * fare_price_eur(single_id, scenario, corridor)


def average_fare_eur(scenario: schema.Scenario, params: DemandParameters,
                     corridor: Corridor) -> float:
    """LSL fare per trip: season tickets (per trip) and single tickets by their shares."""
    return per_trip_eur("LSL-SINGLE", "LSL-30D", scenario, params, corridor)


def train_fare_eur(scenario: schema.Scenario, lsl_fare: float, params: DemandParameters,
                   corridor: Corridor) -> float:
    """Train fare per trip before ``fare_multiplier`` under the scenario's policy: the LSL
    fare, a flat fare, none, or the operator's fares of the observed services."""
    fares = scenario.demand.fares
    if fares.policy == "free":
        return 0.0
    if fares.policy == "flat":
        return float(fares.flat_fare_eur or 0.0)
    if fares.policy == "observed":
        from railsim.demand.observed import observed_fare_ids

        return per_trip_eur(*observed_fare_ids(scenario, corridor), scenario, params,
                            corridor)
    return lsl_fare

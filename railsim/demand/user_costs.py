"""What a traveller's trip costs by each mode, split into time and money.

The small interface the appraisal builds its user benefits on: per market (draws first
when vectorised) the time part of the generalised cost in weighted minutes and the
money part in euros, as :func:`railsim.demand.choice.generalised_minutes` adds them up
(``time + money · 60 / value of time``). Mode constants are left out: they explain
choices, not resources.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from railsim.demand.choice import ChoiceParameters, Markets


@dataclass
class ModeCost:
    """One mode's cost of a trip in each market."""

    time_min: np.ndarray
    """In-vehicle time plus weighted waiting, access and transfer penalties [min]."""
    money_eur: np.ndarray
    """Fare or perceived car cost plus access money, per person [EUR]."""
    available: np.ndarray


@dataclass
class TripCosts:
    """The three modes' costs of every market."""

    train: ModeCost
    bus: ModeCost
    car: ModeCost


def trip_costs(m: Markets, p: ChoiceParameters) -> TripCosts:
    """Time and money of a trip by train, bus and car (unavailable modes flagged, their
    values left as computed)."""
    train_time = (m.train_in_vehicle_min
                  + p.wait_weight * (m.train_wait_min + m.train_transfer_wait_min)
                  + p.access_weight * m.train_access_min
                  + p.transfer_penalty_min * m.train_transfers)
    bus_time = (m.bus_in_vehicle_min + p.wait_weight * (m.bus_wait_min + m.bus_transfer_wait_min)
                + p.access_weight * m.bus_access_min + p.transfer_penalty_min * m.bus_transfers)
    ones = np.ones(np.broadcast(train_time, m.car_minutes).shape, dtype=bool)
    return TripCosts(
        ModeCost(train_time, m.train_fare_eur * p.fare_multiplier + m.train_access_money_eur,
                 m.train_available & ones),
        ModeCost(bus_time, m.bus_fare_eur * ones, m.bus_available & ones),
        ModeCost(m.car_minutes * ones, m.car_money_eur * ones, ones))

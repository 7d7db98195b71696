"""User benefits by the rule of half on the change in generalised cost per market.

Finnish practice (Väylävirasto's project appraisal; the Helmet model's ``cba.py``)
values what changes for travellers: per origin–destination market, existing users get
the whole change of their generalised cost and new users half of it (the rule of half).
Here a market is an origin segment × destination segment × purpose of the ridership
model, and the change is that of the public-transport trip:

* **before** — the bus where a regional bus serves the market; where none does, the
  trip by car (the cost the new train users gave up);
* **after** — the cheaper of that and the train, by the generalised cost travellers
  choose by (time, weighted waiting and access, transfers, money at the behavioural value
  of time, and the train's mean lateness beyond its in-vehicle time);
* **existing users** — the bus riders of the do-minimum (full change);
* **new users** — riders diverted from car and newly generated trips (half).

A train that is no better than the bus saves nothing, whatever the logit's random taste
says about who rides it; mode constants are not benefits. Every public-transport user of a
market counts at the cheaper path's cost, as a transit assignment (the Helmet model's)
would route them: the logit's split between bus and train sets revenue, loads and the
fleet, not the benefit. The saving splits into **time**
(weighted minutes at the public-transport value of time of the purpose,
``vot_pt_commute`` and ``vot_pt_leisure``), **money** (fares, car costs given up) and
**reliability**: a minute of mean lateness at the passenger's arrival station weighs as
much as ``lateness_factor`` scheduled minutes; the simulated mean in-vehicle time already
counts the running part of it once, so reliability adds ``lateness_factor × lateness −
extra in-vehicle minutes``. The bus's own lateness is not modelled (no data) and counts
as zero, which favours the do-minimum.

The logsum change of the ridership model (``Outcome.benefit_min``) stays available as a
sensitivity: for a brand-new alternative it mostly measures the logit's random term.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from railsim.demand.chebyshev import one_blas_thread
from railsim.demand.choice import ChoiceParameters, Markets
from railsim.demand.draws import LinearTotals
from railsim.demand.model import Outcome
from railsim.demand.user_costs import trip_costs

GROUPS = ("existing", "from_car", "induced")
"""User groups: do-minimum public-transport users, diverted from car, new trips."""
GROUP_SHARE = {"existing": 1.0, "from_car": 0.5, "induced": 0.5}
"""Share of the cost change each group gets (the rule of half)."""
COMPONENTS = ("time", "money", "reliability")
PURPOSES = ("commute", "other")


def rule_of_half(saving: np.ndarray | float, existing: np.ndarray | float,
                 new: np.ndarray | float) -> np.ndarray:
    """Benefit of a cost ``saving`` per trip: existing users full, new users half.

    >>> float(rule_of_half(10.0, 30.0, 20.0))
    400.0
    """
    return np.asarray(saving) * (np.asarray(existing) + 0.5 * np.asarray(new))


@dataclass
class Change:
    """Per market (draws first): the saving per trip and the trips of each group."""

    time_min: np.ndarray
    """Weighted minutes saved per trip (0 where the train is no better)."""
    money_eur: np.ndarray
    reliability_min: np.ndarray
    """Lateness penalty per trip (≤ 0: the train's extra weight of its mean lateness)."""
    trips: dict[str, np.ndarray]
    """Weekday trips of each group."""


@dataclass(frozen=True)
class BenefitInputs:
    """Per market of a forecast's table: what the rule of half needs besides the outcome."""

    vot_eur_h: np.ndarray
    """Appraisal value of time of public-transport users (by purpose) [EUR/h]."""
    late_min: np.ndarray
    """Mean arrival lateness of the market's train journey (simulated; 0 if unknown) [min]."""
    lateness_factor: float
    commute: np.ndarray
    """True for commuting markets."""
    counted_min: np.ndarray | None = None
    """The part of the lateness the in-vehicle time already holds (simulated mean minus
    scheduled; 0 if None) [min]."""

    def penalty_min(self) -> np.ndarray:
        """Reliability penalty per train trip beyond the in-vehicle time [min]."""
        counted = self.counted_min if self.counted_min is not None else 0.0
        return np.maximum(0.0, self.lateness_factor * self.late_min - counted)

    def subset(self, index: np.ndarray | None) -> BenefitInputs:
        if index is None:
            return self
        counted = self.counted_min[index] if self.counted_min is not None else None
        return BenefitInputs(self.vot_eur_h[index], self.late_min[index],
                             self.lateness_factor, self.commute[index], counted)

    def savings(self, m: Markets, p: ChoiceParameters
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per market: weighted minutes, euros and reliability minutes saved per trip (0
        where the train is no better) and whether a bus serves the market."""
        costs = trip_costs(m, p)
        per_eur = 60.0 / (m.vot_eur_h * p.vot_multiplier)
        # in the markets' precision
        penalty = self.penalty_min().astype(m.trips.dtype)
        bus_ok = costs.bus.available
        before_time = np.where(bus_ok, costs.bus.time_min, costs.car.time_min)
        before_money = np.where(bus_ok, costs.bus.money_eur, costs.car.money_eur)
        train_gc = costs.train.time_min + costs.train.money_eur * per_eur + penalty
        with np.errstate(invalid="ignore"):
            better = costs.train.available & (train_gc < before_time + before_money * per_eur)
        zero = np.zeros_like(train_gc)
        return (np.where(better, before_time - costs.train.time_min, zero),
                np.where(better, before_money - costs.train.money_eur, zero),
                np.where(better, -penalty * np.ones_like(train_gc), zero), bus_ok)

    def change(self, m: Markets, p: ChoiceParameters, result: Outcome) -> Change:
        """Saving per trip and trips per group in each market."""
        if result.bus_do_minimum is None:
            raise ValueError("the outcome lacks the do-minimum bus trips")
        time_min, money_eur, reliability_min, bus_ok = self.savings(m, p)
        return Change(time_min, money_eur, reliability_min,
                      {"existing": np.where(bus_ok, result.bus_do_minimum, 0.0),
                       "from_car": result.from_car, "induced": result.induced})

    def by_group(self, m: Markets, p: ChoiceParameters, result: Outcome
                 ) -> dict[tuple[str, str], dict[str, np.ndarray]]:
        """Weekday totals per (group, purpose): trips, hours saved and EUR by component
        (markets summed; a draw axis stays)."""
        c = self.change(m, p, result)
        out = {}
        for group in GROUPS:
            share = GROUP_SHARE[group]
            trips = c.trips[group]
            for purpose in PURPOSES:
                mask = self.commute if purpose == "commute" else ~self.commute
                weighted = np.where(mask, trips * share, 0.0)
                out[(group, purpose)] = {
                    "trips": np.where(mask, trips, 0.0).sum(axis=-1),
                    "hours_saved": (weighted * c.time_min).sum(axis=-1) / 60,
                    "time_eur": (weighted * c.time_min * self.vot_eur_h / 60).sum(axis=-1),
                    "money_eur": (weighted * c.money_eur).sum(axis=-1),
                    "reliability_eur": (weighted * c.reliability_min * self.vot_eur_h
                                        / 60).sum(axis=-1)}
        return out

    def weekday_weights(self, m: Markets, p: ChoiceParameters, index: np.ndarray | None = None
                        ) -> LinearTotals:
        """The totals of :meth:`weekday_totals` as weights of the outcome's fields (the
        do-minimum bus riders in full, new users — from car and induced — at the rule of
        half's share), the form :func:`railsim.demand.draws.demand_draws` sums per draw."""
        inputs = self.subset(index)
        time_min, money_eur, reliability_min, bus_ok = inputs.savings(m, p)
        per_min = inputs.vot_eur_h / 60
        assert GROUP_SHARE["from_car"] == GROUP_SHARE["induced"]
        return LinearTotals(
            {"bus_do_minimum": np.where(bus_ok, GROUP_SHARE["existing"], 0.0),
             "new_users": GROUP_SHARE["from_car"]},
            {"user_time_eur": time_min * per_min, "user_money_eur": money_eur,
             "user_reliability_eur": reliability_min * per_min})

    def weekday_totals(self, m: Markets, p: ChoiceParameters, result: Outcome,
                       index: np.ndarray | None = None) -> Mapping[str, np.ndarray]:
        """User benefit of a weekday by component (``user_time_eur``, ``user_money_eur``,
        ``user_reliability_eur``), for the markets at ``index`` of the table (all when
        None)."""
        inputs = self.subset(index)
        c = inputs.change(m, p, result)
        # the groups' shares of the change (GROUP_SHARE), summed over groups and purposes
        weight = c.trips["existing"] + 0.5 * (c.trips["from_car"] + c.trips["induced"])
        per_min = (inputs.vot_eur_h / 60).astype(m.trips.dtype)
        # one BLAS thread: a product over thousands of markets on several adds in another
        # order, and the run's workers have one (railsim.parallel) where the command's
        # own process, a notebook or a Dask worker elsewhere may have all the cores
        with one_blas_thread():
            return {"user_time_eur": (weight * c.time_min) @ per_min,
                    "user_money_eur": (weight * c.money_eur).sum(axis=-1),
                    "user_reliability_eur": (weight * c.reliability_min) @ per_min}


def benefit_inputs(vot_commute: float, vot_other: float, purposes: list[str],
                   journeys: list[tuple[str | None, str | None]],
                   extra_in_vehicle: Mapping[tuple[str, str], float],
                   arrival_delay: Mapping[str, float], lateness_factor: float,
                   junction: str = "LH") -> BenefitInputs:
    """Inputs for a table's markets: the value of time by purpose, each train journey's
    mean arrival lateness (``arrival_delay`` at its alighting station) and the extra
    in-vehicle minutes its simulated time holds (``extra_in_vehicle`` per station pair;
    a journey changing at ``junction`` adds its two legs')."""
    commute = np.array([p == "commute" for p in purposes], dtype=bool)

    def extra(board: str | None, alight: str | None) -> float:
        if board is None or alight is None:
            return 0.0
        if (board, alight) in extra_in_vehicle:
            return max(0.0, extra_in_vehicle[(board, alight)])
        legs = [extra_in_vehicle.get((board, junction)), extra_in_vehicle.get((junction, alight))]
        return sum(max(0.0, x) for x in legs if x is not None)

    def late(board: str | None, alight: str | None) -> float:
        return max(0.0, arrival_delay.get(alight, 0.0)) if board and alight else 0.0

    return BenefitInputs(np.where(commute, vot_commute, vot_other).astype(float),
                         np.array([late(b, a) for b, a in journeys], dtype=float),
                         lateness_factor, commute,
                         np.array([extra(b, a) for b, a in journeys], dtype=float))

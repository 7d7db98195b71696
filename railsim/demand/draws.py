"""Vectorised draws of the ridership model for the uncertainty analysis.

Draws of behavioural parameters become ``(draws, 1)`` arrays that broadcast against the
markets; trip scalers multiply the market totals; the car constant is recalibrated in
each draw so that every draw reproduces the do-minimum bus share it was given. Draws run
in chunks so memory stays bounded (chunk × markets floats per array).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from railsim.demand.choice import ChoiceParameters, Markets, choose, generalised_minutes
from railsim.demand.markets import ONWARD
from railsim.demand.model import Forecast, Outcome, outcome

CHOICE_TARGETS = {
    "demand.train_constant_min": "train_constant_min",
    "demand.logit_scale_per_min": "scale_per_min",
    "demand.wait_time_weight": "wait_weight",
    "demand.transfer_penalty_min": "transfer_penalty_min",
    "demand.fares.fare_multiplier": "fare_multiplier",
    "demand_parameters.access_time_weight": "access_weight",
    "demand_parameters.rail_constant_min": "rail_constant_min",
    "demand_parameters.pt_nest_scale": "pt_nest_scale",
}
"""Uncertainty targets that are parameters of the logit (attribute of ChoiceParameters)."""
TRIP_TARGETS = ("demand_parameters.commute_presence",
                "demand_parameters.other_trips_per_commute_trip",
                "demand_parameters.capital_commuters_rail_share",
                "demand_parameters.unverified_flow_factor")
OTHER_TARGETS = ("demand_parameters.bus_share_do_minimum",
                 "demand_parameters.induced_logsum_elasticity")
TARGETS = (*CHOICE_TARGETS, *TRIP_TARGETS, *OTHER_TARGETS)


@dataclass
class Flows:
    """Weekday totals of a forecast (floats, or arrays over draws)."""

    passengers: np.ndarray | float
    passenger_km: np.ndarray | float
    fares_paid_eur: np.ndarray | float
    """Train fares paid by passengers, VAT included [EUR/weekday]."""
    benefit_eur: np.ndarray | float
    """User benefit (logsum change and rule of half) [EUR/weekday]."""
    car_km_saved: np.ndarray | float
    bus_fare_lost_eur: np.ndarray | float
    """Bus fares (VAT included) no longer paid by riders who moved to the train [EUR/weekday]."""
    time_share: np.ndarray | float = 1.0
    """Share of time (not money) in the train users' generalised cost: the part of the user
    benefit whose value grows with the real value of time."""
    bus_lost: dict[str, np.ndarray | float] = field(default_factory=dict)
    """Riders lost per bus route as a share of its do-minimum riders."""
    extra: dict[str, np.ndarray | float] = field(default_factory=dict)
    """Totals a caller computed from each draw's outcome (``demand_draws(on_outcome=...)``)."""


OnOutcome = Callable[[Markets, ChoiceParameters, Outcome, np.ndarray],
                     Mapping[str, np.ndarray | float]]
"""A caller's weekday totals from one chunk of draws: (markets, parameters, outcome, the
markets' positions in the forecast's table) → {name: value per draw}."""


def bus_route_riders(fc: Forecast) -> dict[str, tuple[np.ndarray, float]]:
    """Per regional bus route: the markets whose bus trips use it and its weekday riders
    in the do-minimum (a trip over two routes counts on both)."""
    t = fc.table
    p = replace(fc.choice, car_constant=fc.result.car_constant)
    riders = t.markets.trips * choose(t.markets.without_train(), p).bus
    out = {}
    for route in sorted({r for used in t.bus_routes for r in used}):
        mask = np.array([route in used for used in t.bus_routes])
        out[route] = (mask, float(riders[mask].sum()))
    return out


def flows(fc: Forecast, result: Outcome, p: ChoiceParameters,
          routes: dict[str, tuple[np.ndarray, float]] | None = None,
          time_share: float | None = None) -> Flows:
    """Weekday totals from an outcome (markets on the last axis, draws first).

    ``time_share`` given (the central value) skips its computation: it moves little
    between draws and costs a full pass over the markets.
    """
    t = fc.table
    m = t.markets
    routes = bus_route_riders(fc) if routes is None else routes
    passengers = result.train.sum(axis=-1)
    multiplier = p.fare_multiplier
    fare = t.fares["train_eur"] * (np.reshape(multiplier, -1) if np.ndim(multiplier)
                                   else multiplier)
    car_saved = (result.from_car * t.car_km / t.occupancy).sum(axis=-1) - (
        result.train * t.access_car_km).sum(axis=-1)
    bus_lost = {route: result.from_bus[..., mask].sum(axis=-1) / riders if riders > 0
                else result.from_bus[..., mask].sum(axis=-1) * 0.0
                for route, (mask, riders) in routes.items()}
    share: np.ndarray | float = (np.full(np.shape(passengers), time_share)
                                 if time_share is not None else _time_share(m, result, p))
    return Flows(passengers, (result.train * t.distance_km).sum(axis=-1), passengers * fare,
                 (result.benefit_min * m.vot_eur_h / 60).sum(axis=-1), car_saved,
                 result.from_bus.sum(axis=-1) * t.fares["lsl_average_eur"],
                 share if np.ndim(share) else float(share), bus_lost)


def _time_share(m: Markets, result: Outcome, p: ChoiceParameters) -> np.ndarray | float:
    """Share of time in the train users' generalised cost (trip-weighted)."""
    gt_train = generalised_minutes(m, p)[0]
    money_min = ((m.train_fare_eur * p.fare_multiplier + m.train_access_money_eur) * 60
                 / (m.vot_eur_h * p.vot_multiplier))
    weight = np.where(m.train_available, result.train, 0.0)
    total = (weight * np.where(m.train_available, gt_train, 0.0)).sum(axis=-1)
    return np.where(total > 0, 1 - (weight * money_min).sum(axis=-1)
                    / np.where(total > 0, total, 1.0), 1.0)


@dataclass
class DemandDraws:
    """Weekday totals per draw and which targets were varied."""

    flows: Flows
    used: list[str]


def demand_draws(fc: Forecast, inputs: Sequence[tuple[str, str, np.ndarray]],
                 chunk: int = 200, on_outcome: OnOutcome | None = None) -> DemandDraws:
    """Forecast totals for each draw of ``inputs`` = (target, mode, values); ``on_outcome``
    adds the caller's totals of each chunk's outcome to :attr:`Flows.extra`."""
    n = len(inputs[0][2]) if inputs else 1
    base = fc.choice
    params = fc.params
    t = fc.table
    purpose = np.array(t.purpose)
    onward = np.array([ONWARD in (o, d) for o, d in zip(t.origin_place, t.destination_place,
                                                         strict=True)])
    choice_values: dict[str, np.ndarray] = {}
    factors = {name: np.ones(n) for name in ("commute_presence", "other_trips_per_commute_trip",
                                              "capital_commuters_rail_share",
                                              "unverified_flow_factor")}
    masks = {"commute_presence": np.ones(len(purpose), bool),
             "other_trips_per_commute_trip": purpose == "other",
             "capital_commuters_rail_share": onward,
             "unverified_flow_factor": ~t.counted_flow.astype(bool)}
    bus_share = np.full(n, params.bus_share_do_minimum)
    induced = np.full(n, params.induced_logsum_elasticity)
    used = []
    for target, mode, values in inputs:
        if target in CHOICE_TARGETS:
            attribute = CHOICE_TARGETS[target]
            current = choice_values.get(attribute, np.full(n, float(getattr(base, attribute))))
            choice_values[attribute] = values if mode == "replace" else current * values
        elif target in TRIP_TARGETS:
            name = target.split(".", 1)[1]
            factors[name] = factors[name] * (values / getattr(params, name)
                                             if mode == "replace" else values)
        elif target == "demand_parameters.bus_share_do_minimum":
            bus_share = values if mode == "replace" else bus_share * values
        elif target == "demand_parameters.induced_logsum_elasticity":
            induced = values if mode == "replace" else induced * values
        else:
            continue
        used.append(target)
    parts: list[Flows] = []
    routes = bus_route_riders(fc)
    central_share = float(_time_share(t.markets, fc.result, fc.choice))
    # Markets without a train keep their do-minimum choices in every draw: no riders, no
    # benefit, no diversion. Dropping them halves the work.
    keep = t.markets.train_available
    # Single precision: the draws feed percentiles, not identities, and float32 halves
    # the memory traffic and vectorises exp about four times faster.
    markets_kept = _single(_subset(t.markets, keep))
    do_minimum_base = _single(t.do_minimum)
    fc_kept = _subset_forecast(fc, keep)
    routes = {r: (mask[keep], riders) for r, (mask, riders) in routes.items()}
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        p = ChoiceParameters(**{
            name: (choice_values[name][start:stop, None].astype(np.float32)
                   if name in choice_values else value)
            for name, value in vars(base).items()})
        scale_trips = np.ones((stop - start, len(purpose)), dtype=np.float32)
        for name, mask in masks.items():
            if not np.all(factors[name] == 1.0):
                scale_trips[:, mask] *= factors[name][start:stop, None]
        markets = replace(markets_kept, trips=markets_kept.trips * scale_trips[:, keep])
        dm_scale = _collapse_scale(fc, scale_trips)
        # Constant columns stay scalars so that the calibration runs once per chunk.
        same_scale = bool(np.all(dm_scale == dm_scale[:1]))
        do_minimum = replace(do_minimum_base, trips=do_minimum_base.trips
                             * (dm_scale[0] if same_scale else dm_scale))
        share = bus_share[start:stop]
        result = outcome(markets, do_minimum, p,
                         float(share[0]) if np.all(share == share[0])
                         else share[:, None].astype(np.float32),
                         induced[start:stop, None].astype(np.float32))
        part = flows(fc_kept, result, p, routes, central_share)
        if on_outcome is not None:
            part.extra = dict(on_outcome(markets, p, result, np.flatnonzero(keep)))
        parts.append(part)
    return DemandDraws(_concat(parts, n), used)


def _single(markets: Markets) -> Markets:
    return Markets(**{name: value.astype(np.float32) if value.dtype == np.float64 else value
                      for name, value in vars(markets).items()})


def _subset(markets: Markets, keep: np.ndarray) -> Markets:
    return Markets(**{name: value[keep] for name, value in vars(markets).items()})


def _subset_forecast(fc: Forecast, keep: np.ndarray) -> Forecast:
    """The forecast's market labels restricted to ``keep`` (for :func:`flows`)."""
    t = fc.table
    picked = replace(t, markets=_subset(t.markets, keep), distance_km=t.distance_km[keep],
                     car_km=t.car_km[keep], access_car_km=t.access_car_km[keep],
                     occupancy=t.occupancy[keep], bus_routes=t.bus_routes[keep])
    return replace(fc, table=picked)


def _collapse_scale(fc: Forecast, scale: np.ndarray) -> np.ndarray:
    """Trip scalers of the collapsed do-minimum markets (constant within a place pair)."""
    t = fc.table
    keys = list(zip(t.origin_place, t.destination_place, t.purpose, strict=True))
    first: dict[tuple[str, str, str], int] = {}
    for k, key in enumerate(keys):
        first.setdefault(key, k)
    return scale[:, list(first.values())]


def _concat(parts: list[Flows], n: int) -> Flows:
    def join(values: list[np.ndarray | float]) -> np.ndarray:
        return np.concatenate([np.broadcast_to(np.asarray(v, dtype=float).reshape(-1), (1,))
                               if np.ndim(v) == 0 else np.asarray(v, dtype=float).reshape(-1)
                               for v in values])[:n] if values else np.zeros(n)

    routes = parts[0].bus_lost.keys() if parts else []
    return Flows(join([p.passengers for p in parts]), join([p.passenger_km for p in parts]),
                 join([p.fares_paid_eur for p in parts]), join([p.benefit_eur for p in parts]),
                 join([p.car_km_saved for p in parts]),
                 join([p.bus_fare_lost_eur for p in parts]),
                 join([p.time_share for p in parts]),
                 {r: join([p.bus_lost[r] for p in parts]) for r in routes},
                 {k: join([p.extra[k] for p in parts]) for k in (parts[0].extra if parts else {})})

"""Vectorised draws of the ridership model for the uncertainty analysis.

:func:`demand_draws` computes, for every draw of the uncertain ridership inputs, the
weekday totals the appraisal needs (:class:`Flows`), with the model of
:func:`railsim.demand.model.outcome` in double precision: the same numbers as the central
model run once per draw, to rounding (tested against exactly that). What does not depend
on a draw is computed once per forecast; draws run in blocks of :data:`BLOCK`, each on its
own row, so a draw's numbers never depend on which draws are computed with it.

Many draws that move the utilities only through the train constant, the car constant and
the induced-demand elasticity can instead be interpolated from the model run at a grid of
Chebyshev points (:mod:`railsim.demand.draw_interpolation`). Each draw's car constant is
calibrated by :mod:`railsim.demand.car_constant`; sums over markets that do not depend on
the other rows are in :mod:`railsim.demand.range_sums`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from railsim.demand.car_constant import (
    DoMinimumTrips,
    StartTable,
    calibration_target,
    car_constant,
    start_table,
)
from railsim.demand.choice import ChoiceParameters, Markets, choose, generalised_minutes
from railsim.demand.markets import ONWARD
from railsim.demand.model import Forecast, Outcome
from railsim.demand.range_sums import range_sums, scaled_sums

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
    """Totals a caller asked for (``demand_draws(weights=...)``), e.g. the user benefit."""

    def part(self, start: int, stop: int) -> Flows:
        """The flows of draws [start, stop) (totals over draws; a number stays)."""
        def cut(value: np.ndarray | float) -> np.ndarray | float:
            return np.asarray(value)[start:stop] if np.ndim(value) else value

        return Flows(cut(self.passengers), cut(self.passenger_km), cut(self.fares_paid_eur),
                     cut(self.benefit_eur), cut(self.car_km_saved),
                     cut(self.bus_fare_lost_eur), cut(self.time_share),
                     {k: cut(v) for k, v in self.bus_lost.items()},
                     {k: cut(v) for k, v in self.extra.items()})


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
    interpolated: str = ""
    """How the totals were interpolated and checked (empty: every draw computed)."""


FIELDS = ("train", "from_bus", "from_car", "induced", "new_users", "bus_do_minimum")
"""Per-market outcome fields a caller's :class:`LinearTotals` may weight (trips per
weekday, as in :class:`~railsim.demand.model.Outcome`; ``new_users`` = ``from_car +
induced``, the rule of half's new users)."""

@dataclass
class LinearTotals:
    """Totals a caller wants from each draw's outcome, linear in its fields: for each
    name, ``Σ_markets (Σ_fields field × trips[field]) × per_trip[name]``."""

    trips: Mapping[str, np.ndarray | float]
    """Weight of each field's trips (a number or one per market), fields of :data:`FIELDS`."""
    per_trip: Mapping[str, np.ndarray]
    """Per total: its value per weighted trip, one per market (or draws × markets)."""


TotalWeights = Callable[[Markets, ChoiceParameters, np.ndarray], LinearTotals]
"""A caller's linear totals for the markets at the given positions of the forecast's table
(for example :meth:`railsim.appraisal.benefits.BenefitInputs.weekday_weights`)."""

BLOCK = 16
"""Draws computed together: arrays of BLOCK × markets stay in the processor's cache
(16 took about a tenth less time than 32 and 8, and a third less than 64, on the
through service's 8 100 markets, December 2026).
Every draw's numbers are computed row by row, so neither this nor the caller's chunk
size changes a result."""
_EXP_SAFE = 300.0
"""Below this magnitude exp(a)·exp(b) neither overflows nor underflows to 0."""
TRIP_FACTORS = tuple(target.split(".", 1)[1] for target in TRIP_TARGETS)
MARKET_ATTRIBUTES = frozenset({"scale_per_min", "wait_weight", "access_weight",
                               "transfer_penalty_min", "fare_multiplier", "pt_nest_scale"})
"""Choice parameters that change the utilities market by market (a draw of one of them
computes the utilities per draw); the train constants only shift the train's utility."""
CALIBRATION_ATTRIBUTES = frozenset({"scale_per_min", "wait_weight", "access_weight",
                                    "transfer_penalty_min"})
"""Choice parameters the do-minimum's calibration depends on."""


def demand_draws(fc: Forecast, inputs: Sequence[tuple[str, str, np.ndarray]],
                 weights: TotalWeights | None = None) -> DemandDraws:
    """Forecast totals for each draw of ``inputs`` = (target, mode, values); ``weights``
    adds the caller's linear totals of each draw's outcome to :attr:`Flows.extra`.

    The model of :func:`railsim.demand.model.outcome`, in double precision, arranged so
    that what does not depend on a draw is computed once: utilities relative to the car
    split into a part per market and a shift per draw (train constants, car constant), so
    the nested logit's exponentials become products; the do-minimum car constant is the
    exact root of the equation :func:`~railsim.demand.choice.calibrate_car_constant`
    bisects; trip scalers of groups of markets multiply the groups' partial sums. Markets
    without a train keep their do-minimum choices and are left out. Each draw is computed
    on its own row, so results do not depend on how draws are split between calls.
    """
    prepared = _Prepared.of(fc, inputs, weights)
    return prepared.result(_exact(prepared.setup, prepared.draws, weights,
                                  prepared.weights_fixed, prepared.car_constant()), "")


@dataclass
class _Prepared:
    """What a call of :func:`demand_draws` computes before its draws."""

    fc: Forecast
    draws: _Draws
    setup: _Setup
    weights_fixed: _Extra | None

    @classmethod
    def of(cls, fc: Forecast, inputs: Sequence[tuple[str, str, np.ndarray]],
           weights: TotalWeights | None) -> _Prepared:
        draws = _Draws.of(fc, inputs)
        setup = _setup(fc)
        central = (weights(setup.markets, fc.choice, setup.index) if weights is not None
                   else None)
        if central is not None and set(central.trips) - set(FIELDS):
            raise ValueError(f"linear totals of unknown outcome fields "
                             f"{sorted(set(central.trips) - set(FIELDS))}; known: "
                             f"{', '.join(FIELDS)}")
        # the caller's weights hold for every draw when no draw changes the utilities
        weights_fixed = (_stacked(central, setup.markets.trips)
                         if central is not None and draws.separable else None)
        return cls(fc, draws, setup, weights_fixed)

    def car_constant(self) -> np.ndarray:
        """The do-minimum car constant of each draw."""
        n = self.draws.n
        return np.concatenate([_car_constants(self.setup, self.draws, start,
                                              min(start + 512, n))
                               for start in range(0, n, 512)])

    def result(self, found: Mapping[str, np.ndarray], how: str) -> DemandDraws:
        """The draws' :class:`Flows` from their totals."""
        totals: dict[str, np.ndarray | float] = dict(found)
        setup, draws, fc = self.setup, self.draws, self.fc
        routes = {route: totals.pop(f"bus_lost:{route}") for route in setup.routes}
        fixed = {name: totals.pop(name) for name in _FIXED}
        passengers = fixed["passengers"]
        multiplier = draws.choice.get("fare_multiplier", float(fc.choice.fare_multiplier))
        t = fc.table
        flows_out = Flows(passengers, fixed["passenger_km"],
                          passengers * (t.fares["train_eur"] * multiplier),
                          fixed["benefit_eur"], fixed["car_km_saved"],
                          fixed["bus_trips_lost"] * t.fares["lsl_average_eur"],
                          np.full(draws.n, setup.time_share), routes, totals)
        return DemandDraws(flows_out, draws.used, how)


def _exact(setup: _Setup, draws: _Draws, weights: TotalWeights | None,
           weights_fixed: _Extra | None, car_constant: np.ndarray) -> dict[str, np.ndarray]:
    """The totals of every draw, computed block by block."""
    work = _Work(len(setup.index))
    parts = [_block(setup, draws, start, min(start + BLOCK, draws.n), weights, weights_fixed,
                    work, car_constant) for start in range(0, draws.n, BLOCK)]
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}


_FIXED = ("passengers", "passenger_km", "car_km_saved", "benefit_eur", "bus_trips_lost")
"""The totals :class:`Flows` is made of (besides the bus routes')."""


@dataclass
class _Draws:
    """The drawn values, per target kind, for all draws of a call."""

    n: int
    base: ChoiceParameters
    choice: dict[str, np.ndarray]
    factors: dict[str, np.ndarray]
    bus_share: np.ndarray
    induced: np.ndarray
    used: list[str]

    @classmethod
    def of(cls, fc: Forecast, inputs: Sequence[tuple[str, str, np.ndarray]]) -> _Draws:
        n = len(inputs[0][2]) if inputs else 1
        base, params = fc.choice, fc.params
        choice: dict[str, np.ndarray] = {}
        factors = {name: np.ones(n) for name in TRIP_FACTORS}
        bus_share = np.full(n, float(params.bus_share_do_minimum))
        induced = np.full(n, float(params.induced_logsum_elasticity))
        used = []
        for target, mode, raw in inputs:
            values = np.asarray(raw, dtype=float)
            if target in CHOICE_TARGETS:
                attribute = CHOICE_TARGETS[target]
                current = choice.get(attribute, np.full(n, float(getattr(base, attribute))))
                choice[attribute] = values if mode == "replace" else current * values
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
        return cls(n, base, choice, factors, bus_share, induced, used)

    @property
    def varied(self) -> tuple[str, ...]:
        """Trip scalers that differ from 1 in some draw."""
        return tuple(name for name in TRIP_FACTORS if not np.all(self.factors[name] == 1.0))

    @property
    def separable(self) -> bool:
        """True when the utilities per market do not depend on the draw."""
        return not set(self.choice) & MARKET_ATTRIBUTES

    def subset(self, index: np.ndarray) -> _Draws:
        """The draws at positions ``index``."""
        return _Draws(len(index), self.base, {k: v[index] for k, v in self.choice.items()},
                      {k: v[index] for k, v in self.factors.items()}, self.bus_share[index],
                      self.induced[index], self.used)

    def parameters(self, start: int, stop: int) -> ChoiceParameters:
        return ChoiceParameters(**{
            name: (self.choice[name][start:stop, None] if name in self.choice else value)
            for name, value in vars(self.base).items()})


@dataclass
class _Terms:
    """Utilities relative to the car (car constant 0, train constants left out), per
    market: ``train`` and ``bus`` divided by the nest scale, ``road`` = bus − car; their
    exponentials when they have no draw axis and are small enough to multiply."""

    train: np.ndarray
    bus: np.ndarray
    road: np.ndarray
    exp: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class _Setup:
    """What does not depend on the draws, for one forecast."""

    index: np.ndarray
    """Positions in the forecast's table of the markets with a train, in the setup's order
    (by group of trip scalers, then by bus routes). Markets of a group always share every
    trip scaler, whichever are drawn."""
    markets: Markets
    ranges: list[tuple[int, int]]
    """[start, stop) of each group's markets (groups without a train market left out)."""
    range_groups: list[int]
    """The group of each range."""
    signatures: list[tuple[bool, ...]]
    """Per group: inside which trip scaler's mask (:data:`TRIP_FACTORS`)."""
    do_minimum: Markets
    """The collapsed do-minimum markets, by group."""
    dm_ranges: list[tuple[int, int]]
    dm_groups: list[int]
    run_starts: np.ndarray
    """Start of each run of markets in one group on the same bus routes."""
    run_groups: np.ndarray
    """The group of each run."""
    route_members: dict[str, list[int]]
    """Per bus route: the runs whose markets use it."""
    route_riders: dict[str, float]
    routes: list[str]
    weighted: dict[str, tuple[list[str], np.ndarray]]
    """Per field, the flows' totals it enters and their weights × trips, stacked
    (totals, markets)."""
    central_car_constant: float
    time_share: float
    terms: _Terms
    """At the central parameters."""
    gap: np.ndarray
    """Do-minimum car − bus utility at the central parameters (inf without a bus)."""
    start_table: StartTable | None = None
    """The do-minimum's bus trips per group over car constants near the central one
    (:func:`~railsim.demand.car_constant.start_table`, made at the first draw that needs
    it)."""

    @property
    def dm(self) -> DoMinimumTrips:
        """The do-minimum's markets as the car constant's calibration sees them."""
        return DoMinimumTrips(self.do_minimum.trips, self.dm_ranges, self.dm_groups)


def _setup(fc: Forecast) -> _Setup:
    """The setup of ``fc``, built once (kept on the forecast: a replaced forecast, with
    other markets, gets its own)."""
    setup = fc.__dict__.get("_draw_setup")
    if not isinstance(setup, _Setup):
        setup = fc.__dict__["_draw_setup"] = _build_setup(fc, TRIP_FACTORS)
    return setup


def _build_setup(fc: Forecast, varied: tuple[str, ...]) -> _Setup:
    t = fc.table
    purpose = np.asarray(t.purpose)
    onward = np.array([ONWARD in (o, d) for o, d in zip(t.origin_place, t.destination_place,
                                                         strict=True)], dtype=bool)
    masks = {"commute_presence": np.ones(len(purpose), bool),
             "other_trips_per_commute_trip": purpose == "other",
             "capital_commuters_rail_share": onward,
             "unverified_flow_factor": ~np.asarray(t.counted_flow, dtype=bool)}
    code = np.zeros(len(purpose), dtype=np.int64)  # bit j: inside the j-th varied mask
    for j, name in enumerate(varied):
        code |= masks[name].astype(np.int64) << j
    codes, group_of = np.unique(code, return_inverse=True)
    group_of = group_of.reshape(-1)
    signatures = [tuple(bool(int(c) >> j & 1) for j in range(len(varied))) for c in codes]
    route_key = ["|".join(sorted(used)) for used in t.bus_routes]
    kept = np.flatnonzero(np.asarray(t.markets.train_available, dtype=bool))
    route_number = {key: r for r, key in enumerate(sorted(set(route_key)))}
    route_of = np.array([route_number[key] for key in route_key], dtype=np.int64)
    index = kept[np.lexsort((kept, route_of[kept], group_of[kept]))]
    markets = _subset(t.markets, index)
    ranges, groups = _runs([int(group_of[k]) for k in index])
    runs, run_labels = _runs([(int(group_of[k]), route_key[k]) for k in index])
    riders = bus_route_riders(fc)
    route_members = {route: [j for j, label in enumerate(run_labels)
                             if route in label[1].split("|")] for route in riders}
    # The do-minimum's collapsed markets follow the first market of each place pair and
    # purpose (railsim.demand.markets._collapse).
    first: dict[tuple[str, str, str], int] = {}
    for k, key in enumerate(zip(t.origin_place, t.destination_place, t.purpose, strict=True)):
        first.setdefault(key, k)
    dm_group = group_of[np.array(list(first.values()), dtype=int)]
    dm_order = np.argsort(dm_group, kind="stable")
    do_minimum = _subset(t.do_minimum, dm_order)
    dm_ranges, dm_groups = _runs(dm_group[dm_order].tolist())
    trips = markets.trips
    occupancy = np.asarray(t.occupancy, dtype=float)[index]
    weighted = {
        "train": (["passengers", "passenger_km", "car_km_saved"],
                  np.stack([trips, trips * np.asarray(t.distance_km, float)[index],
                            trips * -np.asarray(t.access_car_km, float)[index]])),
        "from_car": (["car_km_saved"],
                     (trips * (np.asarray(t.car_km, float)[index] / occupancy))[None]),
        "benefit_min": (["benefit_eur"], (trips * (markets.vot_eur_h / 60))[None]),
    }
    return _Setup(index, markets, ranges, [int(g) for g in groups], signatures, do_minimum,
                  dm_ranges, [int(g) for g in dm_groups],
                  np.array([a for a, _ in runs], dtype=np.intp),
                  np.array([label[0] for label in run_labels], dtype=np.intp), route_members,
                  {route: total for route, (_, total) in riders.items()}, list(riders),
                  weighted, float(np.asarray(fc.result.car_constant).reshape(-1)[0]),
                  float(_time_share(t.markets, fc.result, fc.choice)),
                  _terms(markets, fc.choice), _gap(do_minimum, fc.choice))


def _group_factors(setup: _Setup, draws: _Draws, start: int, stop: int) -> np.ndarray:
    """(draws, groups): the product of the varied scalers whose mask holds the group."""
    out = np.ones((stop - start, len(setup.signatures)))
    varied = set(draws.varied)
    for g, signature in enumerate(setup.signatures):
        for name, inside in zip(TRIP_FACTORS, signature, strict=True):
            if inside and name in varied:
                out[:, g] *= draws.factors[name][start:stop]
    return out


def _terms(m: Markets, p: ChoiceParameters) -> _Terms:
    gt_train, gt_bus, gt_car = generalised_minutes(m, p)
    scale, theta = p.scale_per_min, p.pt_nest_scale
    u_car = -scale * gt_car
    with np.errstate(invalid="ignore"):
        terms = _Terms((-scale * gt_train - u_car) / theta,
                       (-scale * gt_bus - u_car) / theta, -scale * gt_bus - u_car)
    if np.ndim(terms.train) <= 1:
        for name in ("train", "bus", "road"):
            term = getattr(terms, name)
            finite = term[np.isfinite(term)]
            if not len(finite) or np.max(np.abs(finite)) < _EXP_SAFE:
                terms.exp[name] = np.exp(term)
    return terms


def _gap(do_minimum: Markets, p: ChoiceParameters) -> np.ndarray:
    """Do-minimum car minus bus utility (car constant 0; inf without a bus), as the
    calibration of :func:`~railsim.demand.choice.calibrate_car_constant` sees it."""
    _, gt_bus, gt_car = generalised_minutes(do_minimum.without_train(), p)
    gap = p.scale_per_min * (gt_bus - gt_car)
    return np.where(do_minimum.bus_available, gap, np.inf)


class _Work:
    """Arrays of BLOCK × markets reused from block to block: fresh arrays of this size
    cost more (the memory is mapped anew) than the arithmetic done in them."""

    def __init__(self, markets: int) -> None:
        self.arrays = [np.empty((BLOCK, markets)) for _ in range(9)]

    def take(self, n: int) -> list[np.ndarray]:
        return [x[:n] for x in self.arrays]


@dataclass
class _Parts:
    """Sums of some draws before their trip scalers: per weighted field of
    :attr:`_Setup.weighted` (and ``"extra"``, the caller's totals), draws × weights × ranges;
    the bus riders lost per run of markets, draws × runs. Linear in the trip scalers,
    which :func:`_combine` applies."""

    fields: dict[str, np.ndarray]
    lost: np.ndarray

    def arrays(self) -> list[np.ndarray]:
        return [*self.fields.values(), self.lost]

    def like(self, arrays: Sequence[np.ndarray]) -> _Parts:
        """Parts of the same fields with these arrays (in :meth:`arrays` order)."""
        return _Parts(dict(zip(self.fields, arrays[:-1], strict=True)), arrays[-1])


def _block(setup: _Setup, draws: _Draws, start: int, stop: int,
           weights: TotalWeights | None, weights_fixed: _Extra | None,
           work: _Work, car_constant: np.ndarray) -> dict[str, np.ndarray]:
    """Totals of draws [start, stop)."""
    parts, extra_names = _block_parts(setup, draws, start, stop, weights, weights_fixed, work,
                                      car_constant)
    return _combine(setup, parts, extra_names, _group_factors(setup, draws, start, stop),
                    draws.parameters(start, stop).scale_per_min)


def _block_parts(setup: _Setup, draws: _Draws, start: int, stop: int,
                 weights: TotalWeights | None, weights_fixed: _Extra | None,
                 work: _Work, car_constant: np.ndarray) -> tuple[_Parts, list[str]]:
    """The parts of draws [start, stop) and the names of the caller's totals."""
    n = stop - start
    p = draws.parameters(start, stop)
    car = car_constant[start:stop, None]
    terms = setup.terms if draws.separable else _terms(setup.markets, p)
    theta, scale = p.pt_nest_scale, p.scale_per_min
    train_shift = np.broadcast_to(-scale * (p.train_constant_min + p.rail_constant_min), (n, 1))
    a, b, road, pt, car_new, car_base, induced, x, y = work.take(n)
    _exp_shifted(terms, "train", (train_shift - car) / theta, a)
    _exp_shifted(terms, "bus", -car / theta, b)
    _exp_shifted(terms, "road", -car, road)
    nest = np.add(a, b, out=b)  # exp((V_pt − U_car) / θ): the public-transport nest against the car
    if _is_one(theta):
        pt[...] = nest
    else:
        with np.errstate(divide="ignore"):
            np.log(nest, out=pt)
        np.multiply(pt, theta, out=pt)
        np.exp(pt, out=pt)
    np.add(pt, 1.0, out=car_new)
    np.divide(1.0, car_new, out=car_new)
    pt_share = np.multiply(pt, car_new, out=x)
    with np.errstate(invalid="ignore", divide="ignore"):
        train = np.divide(a, nest, out=a)
    np.multiply(train, pt_share, out=train)
    if not (terms.exp.get("train") is not None and terms.exp.get("bus") is not None):
        train[nest == 0] = 0.0  # exponentials underflowed: neither train nor bus
    np.add(road, 1.0, out=car_base)
    np.divide(1.0, car_base, out=car_base)
    # the logsum change, log((1 + e^(V_pt − U_car)) / (1 + e^(U_bus − U_car)))
    gain = np.subtract(pt, road, out=pt)
    np.multiply(gain, car_base, out=gain)
    np.log1p(gain, out=gain)
    np.maximum(gain, 0.0, out=gain)
    bus_base = np.multiply(road, car_base, out=road)
    np.multiply(gain, draws.induced[start:stop, None], out=induced)
    np.expm1(induced, out=induced)
    from_car = np.subtract(car_base, car_new, out=car_new)  # car_base is free from here
    from_bus = np.subtract(bus_base, pt_share, out=x)  # bus − (pt share − train share)
    np.add(from_bus, train, out=from_bus)
    fields = {"train": range_sums(np.add(train, induced, out=nest),
                                   setup.weighted["train"][1], setup.ranges),
              "from_car": range_sums(from_car, setup.weighted["from_car"][1], setup.ranges)}
    benefit = np.multiply(induced, 0.5, out=car_base)
    np.add(benefit, 1.0, out=benefit)
    np.multiply(benefit, gain, out=benefit)
    fields["benefit_min"] = range_sums(benefit, setup.weighted["benefit_min"][1],
                                        setup.ranges)
    extra_names: list[str] = []
    if weights is not None:
        extra = weights_fixed if weights_fixed is not None else _stacked(
            weights(setup.markets, p, setup.index), setup.markets.trips)
        by_field = {"train": nest, "from_bus": from_bus, "from_car": from_car,
                    "induced": induced, "bus_do_minimum": bus_base}
        weighted = y
        if not extra.trips:
            weighted[...] = 0.0
        for k, (name, w) in enumerate(extra.trips.items()):
            term = (np.add(from_car, induced, out=car_base) if name == "new_users"
                    else by_field[name])
            if k == 0:
                np.multiply(term, w, out=weighted)
            else:
                weighted += np.multiply(term, w, out=car_base)
        fields["extra"] = range_sums(weighted, extra.stacked, setup.ranges)
        extra_names = extra.names
    # bus riders lost, per run of markets on the same routes (sums left to right)
    np.multiply(from_bus, setup.markets.trips, out=from_bus)
    return _Parts(fields, np.add.reduceat(from_bus, setup.run_starts, axis=1)), extra_names


def _combine(setup: _Setup, parts: _Parts, extra_names: Sequence[str], factor: np.ndarray,
             scale: np.ndarray | float) -> dict[str, np.ndarray]:
    """The totals of :func:`demand_draws` from parts and the draws' group factors
    (draws × groups) and logit scales."""
    n = len(factor)
    by_range = factor[:, setup.range_groups]
    out: dict[str, np.ndarray] = {}
    for name in ("train", "from_car", "benefit_min"):
        totals = scaled_sums(parts.fields[name], by_range)
        for k, key in enumerate(setup.weighted[name][0]):
            out[key] = out[key] + totals[:, k] if key in out else totals[:, k]
    out["benefit_eur"] = out["benefit_eur"] / np.broadcast_to(np.reshape(scale, -1), (n,))
    if "extra" in parts.fields:
        totals = scaled_sums(parts.fields["extra"], by_range)
        for k, name in enumerate(extra_names):
            out[name] = totals[:, k]
    lost = parts.lost * factor[:, setup.run_groups]
    out["bus_trips_lost"] = lost.sum(axis=1)
    for route in setup.routes:
        members = setup.route_members[route]
        total = lost[:, members].sum(axis=1) if members else np.zeros(n)
        riders = setup.route_riders[route]
        out[f"bus_lost:{route}"] = total / riders if riders > 0 else total * 0.0
    return out


@dataclass
class _Extra:
    """A caller's :class:`LinearTotals` with the values per trip × trips stacked."""

    trips: Mapping[str, np.ndarray | float]
    names: list[str]
    stacked: np.ndarray


def _stacked(totals: LinearTotals, trips: np.ndarray) -> _Extra:
    names = list(totals.per_trip)
    values = [np.asarray(totals.per_trip[name]) * trips for name in names]
    shape = np.broadcast_shapes(*(v.shape for v in values))
    return _Extra(totals.trips, names, np.stack([np.broadcast_to(v, shape) for v in values],
                                                axis=-2))


def _car_constants(setup: _Setup, draws: _Draws, start: int, stop: int) -> np.ndarray:
    """The do-minimum car constant of draws [start, stop)."""
    p = draws.parameters(start, stop)
    factor = _group_factors(setup, draws, start, stop)
    bus_share = draws.bus_share[start:stop]
    dm = setup.dm
    if set(draws.choice) & CALIBRATION_ATTRIBUTES:  # the utilities differ per draw
        return car_constant(dm, _gap(setup.do_minimum, p), bus_share, factor,
                            setup.central_car_constant)
    if setup.start_table is None:
        setup.start_table = start_table(dm, setup.gap, setup.central_car_constant)
    starts = setup.start_table.roots(calibration_target(dm, bus_share, factor),
                                     factor[:, setup.dm_groups])
    return car_constant(dm, setup.gap, bus_share, factor,
                        np.where(np.isfinite(starts), starts, setup.central_car_constant))


def _is_one(theta: np.ndarray | float) -> bool:
    return bool(np.all(np.asarray(theta) == 1.0))


def _exp_shifted(terms: _Terms, name: str, shift: np.ndarray, out: np.ndarray) -> np.ndarray:
    """exp(term + shift) for a term per market and a shift per draw (draws × 1), into
    ``out``: the product of exponentials where neither can overflow, else the exponential
    of the sum."""
    cached = terms.exp.get(name)
    if cached is not None and np.all(np.abs(shift) < _EXP_SAFE):
        return np.multiply(cached, np.exp(shift), out=out)
    np.add(getattr(terms, name), shift, out=out)
    with np.errstate(over="ignore"):
        return np.exp(out, out=out)


def _runs(labels: Sequence[object] | np.ndarray) -> tuple[list[tuple[int, int]], list]:
    """[start, stop) and label of each run of equal consecutive labels."""
    labels = list(labels)
    bounds = [0] + [k for k in range(1, len(labels)) if labels[k] != labels[k - 1]]
    stops = [*bounds[1:], len(labels)]
    return ([(a, b) for a, b in zip(bounds, stops, strict=True)] if labels else [],
            [labels[a] for a in bounds] if labels else [])


def _subset(markets: Markets, index: np.ndarray) -> Markets:
    return Markets(**{name: np.asarray(value)[index] for name, value in vars(markets).items()})

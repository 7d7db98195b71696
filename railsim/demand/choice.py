"""Mode choice among train, bus and car, vectorised over markets and draws.

Utilities are ``U_m = −λ · GT_m + c_m`` with generalised time in minutes

    GT = in-vehicle + w_wait · (wait + transfer wait) + w_access · access/egress
         + transfers · transfer penalty + money · 60 / (value of time)

and constants ``c_bus = 0`` (reference), ``c_train = −λ · (rail constant + scenario
constant)`` (minutes) and ``c_car`` calibrated so that the bus carries the observed share
in the do-minimum. Train and bus form a public-transport nest with scale ``θ``
(``pt_nest_scale``; 1 is the multinomial logit): a new train then draws more from the
bus than from the car. Every array argument broadcasts: markets along the last axis and,
in the uncertainty analysis, draws along the first (parameters shaped ``(draws, 1)``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

Number = float | np.ndarray


@dataclass
class Markets:
    """Level of service per market (one origin segment, destination segment, purpose)."""

    trips: np.ndarray
    """Weekday trips by all modes in the do-minimum [trips/day]."""
    vot_eur_h: np.ndarray
    train_available: np.ndarray
    train_in_vehicle_min: np.ndarray
    train_wait_min: np.ndarray
    train_access_min: np.ndarray
    train_transfers: np.ndarray
    train_transfer_wait_min: np.ndarray
    train_fare_eur: np.ndarray
    train_access_money_eur: np.ndarray
    bus_available: np.ndarray
    bus_in_vehicle_min: np.ndarray
    bus_wait_min: np.ndarray
    bus_access_min: np.ndarray
    bus_transfers: np.ndarray
    bus_transfer_wait_min: np.ndarray
    bus_fare_eur: np.ndarray
    car_minutes: np.ndarray
    car_money_eur: np.ndarray

    def without_train(self) -> Markets:
        return replace(self, train_available=np.zeros_like(self.train_available))

    @classmethod
    def of(cls, trips: np.ndarray, **columns: np.ndarray) -> Markets:
        """Markets from named columns; those not given are 0 (availabilities: the train
        unavailable, the bus available)."""
        defaults: dict[str, np.ndarray] = {
            "train_available": np.zeros(len(trips), dtype=bool),
            "bus_available": np.ones(len(trips), dtype=bool)}
        unknown = set(columns) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown market columns {sorted(unknown)}")
        values = {f.name: columns.get(f.name, defaults.get(f.name, np.zeros(len(trips))))
                  for f in fields(cls) if f.name != "trips"}
        return cls(trips=trips, **values)


@dataclass
class ChoiceParameters:
    """Behavioural parameters (floats, or arrays shaped ``(draws, 1)``)."""

    scale_per_min: Number
    train_constant_min: Number
    wait_weight: Number
    access_weight: Number
    transfer_penalty_min: Number
    fare_multiplier: Number = 1.0
    vot_multiplier: Number = 1.0
    car_constant: Number = 0.0
    rail_constant_min: Number = 0.0
    """The calibrated rail constant (data); ``train_constant_min`` is the scenario's
    adjustment on top of it."""
    pt_nest_scale: Number = 1.0
    """Scale θ of the public-transport nest (0 < θ ≤ 1; 1 = multinomial logit)."""


def generalised_minutes(m: Markets, p: ChoiceParameters
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Generalised time of train, bus and car [min]; ``inf`` where unavailable."""
    per_eur = 60.0 / (m.vot_eur_h * p.vot_multiplier)
    train = (m.train_in_vehicle_min
             + p.wait_weight * (m.train_wait_min + m.train_transfer_wait_min)
             + p.access_weight * m.train_access_min
             + p.transfer_penalty_min * m.train_transfers
             + (m.train_fare_eur * p.fare_multiplier + m.train_access_money_eur) * per_eur)
    bus = (m.bus_in_vehicle_min + p.wait_weight * (m.bus_wait_min + m.bus_transfer_wait_min)
           + p.access_weight * m.bus_access_min + p.transfer_penalty_min * m.bus_transfers
           + m.bus_fare_eur * per_eur)
    car = m.car_minutes + m.car_money_eur * per_eur
    with np.errstate(invalid="ignore"):
        train = np.where(m.train_available, train, np.inf)
        bus = np.where(m.bus_available, bus, np.inf)
    return train, bus, car


@dataclass
class Choice:
    """Mode shares and logsum per market (arrays shaped like the broadcast inputs)."""

    train: np.ndarray
    bus: np.ndarray
    car: np.ndarray
    logsum: np.ndarray


def _utilities(m: Markets, p: ChoiceParameters) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    gt_train, gt_bus, gt_car = generalised_minutes(m, p)
    constant = p.train_constant_min + p.rail_constant_min
    return (-p.scale_per_min * (gt_train + constant), -p.scale_per_min * gt_bus,
            -p.scale_per_min * gt_car + p.car_constant)


def _nested(u_train: np.ndarray, u_bus: np.ndarray, u_car: np.ndarray,
            theta: Number) -> Choice:
    """Nested logit: train and bus in a nest of scale ``theta``, the car alone.

    >>> u = np.array([-1.0]), np.array([-1.5]), np.array([-1.2])
    >>> mnl, nested = _nested(*u, 1.0), _nested(*u, 0.5)
    >>> bool(np.isclose(mnl.train + mnl.bus + mnl.car, 1.0)[0])
    True
    >>> bool(nested.train[0] / nested.bus[0] > mnl.train[0] / mnl.bus[0])
    True
    """
    with np.errstate(invalid="ignore"):
        a_train, a_bus = u_train / theta, u_bus / theta
        peak = np.maximum(a_train, a_bus)
        peak = np.where(np.isfinite(peak), peak, 0.0)
        e_train, e_bus = np.exp(a_train - peak), np.exp(a_bus - peak)
        inside = e_train + e_bus
        with np.errstate(divide="ignore"):
            v_pt = theta * (peak + np.log(inside))  # −inf without train and bus
        top = np.maximum(v_pt, u_car)
        e_pt, e_car = np.exp(v_pt - top), np.exp(u_car - top)
        total = e_pt + e_car
        p_pt = e_pt / total
        within = np.where(inside > 0, e_train / np.where(inside > 0, inside, 1.0), 0.0)
    return Choice(p_pt * within, p_pt * (1 - within), e_car / total, top + np.log(total))


def _logit(u_train: np.ndarray, u_bus: np.ndarray, u_car: np.ndarray) -> Choice:
    top = np.maximum(np.maximum(u_train, u_bus), u_car)
    e_train, e_bus, e_car = (np.exp(u - top) for u in (u_train, u_bus, u_car))
    total = e_train + e_bus + e_car
    return Choice(e_train / total, e_bus / total, e_car / total, top + np.log(total))


def _is_mnl(theta: Number) -> bool:
    return bool(np.all(np.asarray(theta) == 1.0))


def choose(m: Markets, p: ChoiceParameters) -> Choice:
    """Shares of train, bus and car and the logsum (utility units)."""
    u = _utilities(m, p)
    return _logit(*u) if _is_mnl(p.pt_nest_scale) else _nested(*u, p.pt_nest_scale)


def choose_with_do_minimum(m: Markets, p: ChoiceParameters) -> tuple[Choice, Choice]:
    """Choices with and without the train, from one computation of the utilities."""
    u_train, u_bus, u_car = _utilities(m, p)
    # Without the train the nest holds the bus alone: a binary logit of bus and car.
    top = np.maximum(u_bus, u_car)
    e_bus, e_car = np.exp(u_bus - top), np.exp(u_car - top)
    road = e_bus + e_car
    base = Choice(np.zeros_like(road), e_bus / road, e_car / road, top + np.log(road))
    if not _is_mnl(p.pt_nest_scale):
        return _nested(u_train, u_bus, u_car, p.pt_nest_scale), base
    # One set of exponentials for both: utilities differ by far less than the ~700
    # units where exp underflows, so the do-minimum sum stays positive.
    top_all = np.maximum(top, u_train)
    shift = np.exp(top - top_all)
    e_train = np.exp(u_train - top_all)
    total = road * shift + e_train
    new = Choice(e_train / total, e_bus * shift / total, e_car * shift / total,
                 top_all + np.log(total))
    return new, base


def calibrate_car_constant(m: Markets, p: ChoiceParameters, bus_share: Number,
                           iterations: int = 40) -> Number:
    """Car constant at which the bus carries ``bus_share`` of all do-minimum trips.

    Bisection (the bus share falls as the car constant rises), vectorised over draws:
    the result has the shape of the parameters' draw axis.

    >>> one, zero = np.ones(1), np.zeros(1)
    >>> m = Markets.of(trips=one * 100, vot_eur_h=one * 8, train_available=one < 0,
    ...                bus_in_vehicle_min=one * 30, bus_wait_min=one * 5,
    ...                bus_access_min=one * 5, bus_fare_eur=one * 2, car_minutes=one * 30,
    ...                car_money_eur=one * 3)
    >>> p = ChoiceParameters(0.04, 0.0, 1.5, 1.5, 5.0)
    >>> c = calibrate_car_constant(m, p, 0.1)
    >>> round(float(choose(m, replace(p, car_constant=c)).bus[0]), 6)
    0.1
    """
    # The train's own parameters do not matter without a train; neutral values keep
    # their draw axis out of the calibration, which then runs once when nothing else varies.
    p = replace(p, car_constant=0.0, train_constant_min=0.0, fare_multiplier=1.0,
                rail_constant_min=0.0, pt_nest_scale=1.0)
    _, u_bus, u_car = _utilities(m.without_train(), p)
    # Without the train it is a binary logit: P(bus) = 1 / (1 + exp(u_car + c − u_bus)),
    # so only the constant changes between iterations.
    gap = np.where(m.bus_available, u_car - u_bus, np.inf)
    shape = np.broadcast(*(np.asarray(v) for v in (*vars(p).values(), bus_share)),
                         m.trips).shape
    draws = shape[:-1]
    lo = np.full((*draws, 1), -50.0, dtype=m.trips.dtype)
    hi = np.full_like(lo, 50.0)
    total = m.trips.sum(axis=-1, keepdims=True)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        with np.errstate(over="ignore"):
            bus = 1.0 / (1.0 + np.exp(np.minimum(gap + mid, 700.0)))
        share = (bus * m.trips).sum(axis=-1, keepdims=True) / total
        too_many_on_bus = share > bus_share
        lo = np.where(too_many_on_bus, mid, lo)
        hi = np.where(too_many_on_bus, hi, mid)
    result = ((lo + hi) / 2).astype(m.trips.dtype)
    return result if draws else float(result[0])

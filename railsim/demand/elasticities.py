"""Implied arc elasticities of a forecast: fare, frequency and in-vehicle time.

Each is the change in weekday train trips for a 10 % change of one input, the rest of
the model (markets, calibrated constants, induced demand) unchanged; the published
ranges in ``data/demand/elasticity_benchmarks.csv`` check them.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from railsim.demand.choice import ChoiceParameters, Markets
from railsim.demand.model import ELASTICITY_STEP, Forecast, outcome
from railsim.demand.supply import expected_wait_min


def elasticities(fc: Forecast) -> dict[str, float]:
    """The forecast's arc elasticities, computed once per forecast (the KPIs and the
    elasticity table both read them)."""
    found = fc.__dict__.get("_elasticities")
    if found is None:
        found = fc.__dict__["_elasticities"] = arc_elasticities(fc)
    return found


def arc_elasticities(fc: Forecast) -> dict[str, float]:
    """Arc elasticities of weekday train trips to fare, frequency and in-vehicle time."""
    base = fc.passengers_daily
    if base <= 0:
        return {}
    m = fc.table.markets
    step = ELASTICITY_STEP
    out = {}
    if fc.train_fare_eur > 0:
        dearer = replace(fc.choice, fare_multiplier=fc.choice.fare_multiplier * step)
        out["fare"] = _arc(fc, m, dearer, base, step)
    slower = replace(m, train_in_vehicle_min=m.train_in_vehicle_min * step)
    out["in_vehicle_time"] = _arc(fc, slower, fc.choice, base, step)
    wait = np.array([expected_wait_min(h * step, fc.params)
                     for h in fc.table.train_headway_min])
    transfer = np.array([expected_wait_min(h * step, fc.params) if n else 0.0 for h, n
                         in zip(fc.table.train_transfer_headway_min,
                                fc.table.transfers, strict=True)])
    sparser = replace(m, train_wait_min=wait, train_transfer_wait_min=transfer)
    # frequency is 1 / headway: a 10 % longer headway is a frequency change of 1/1.1
    out["frequency"] = -_arc(fc, sparser, fc.choice, base, step)
    return out


def _arc(fc: Forecast, markets: Markets, p: ChoiceParameters, base: float, step: float) -> float:
    changed = outcome(markets, fc.table.do_minimum, p, fc.params.bus_share_do_minimum,
                      fc.params.induced_logsum_elasticity)
    return math.log(max(float(changed.train.sum()), 1e-12) / base) / math.log(step)

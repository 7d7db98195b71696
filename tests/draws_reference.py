"""The uncertainty draws the slow, obvious way: the central model run once per draw."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from railsim.demand.draws import (
    CHOICE_TARGETS,
    TRIP_TARGETS,
    Flows,
    bus_route_riders,
    flows,
)
from railsim.demand.markets import ONWARD
from railsim.demand.model import Forecast, outcome


def reference_draw(fc: Forecast, inputs, d: int, weekday_totals=None) -> Flows:
    """Flows of draw ``d`` of ``inputs``: :func:`railsim.demand.model.outcome` with that
    draw's parameters and trips (double precision, all markets)."""
    t = fc.table
    p, params = fc.choice, fc.params
    scale = np.ones(len(t.purpose))
    masks = {"commute_presence": np.ones(len(t.purpose), bool),
             "other_trips_per_commute_trip": np.asarray(t.purpose) == "other",
             "capital_commuters_rail_share": np.array(
                 [ONWARD in (o, dd) for o, dd in zip(t.origin_place, t.destination_place,
                                                    strict=True)]),
             "unverified_flow_factor": ~np.asarray(t.counted_flow, bool)}
    share, induced = params.bus_share_do_minimum, params.induced_logsum_elasticity
    for target, mode, values in inputs:
        v = float(values[d])
        if target in CHOICE_TARGETS:
            name = CHOICE_TARGETS[target]
            p = replace(p, **{name: v if mode == "replace" else getattr(p, name) * v})
        elif target in TRIP_TARGETS:
            name = target.split(".", 1)[1]
            scale[masks[name]] *= v / getattr(params, name) if mode == "replace" else v
        elif target == "demand_parameters.bus_share_do_minimum":
            share = v if mode == "replace" else share * v
        elif target == "demand_parameters.induced_logsum_elasticity":
            induced = v if mode == "replace" else induced * v
    markets = replace(t.markets, trips=t.markets.trips * scale)
    keys = list(zip(t.origin_place, t.destination_place, t.purpose, strict=True))
    first: dict = {}
    for k, key in enumerate(keys):
        first.setdefault(key, k)
    do_minimum = replace(t.do_minimum, trips=t.do_minimum.trips * scale[list(first.values())])
    result = outcome(markets, do_minimum, p, share, induced, calibration_iterations=100)
    scaled = replace(fc, table=replace(t, markets=markets))
    out = flows(scaled, result, p, bus_route_riders(fc), 0.0)
    if weekday_totals is not None:
        out.extra = dict(weekday_totals(markets, p, result))
    return out

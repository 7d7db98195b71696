"""The rail constant fitted to the observed counts of the calibration stations.

The back-casts (``scenarios/validation/``) forecast today's services; the rail constant
(``rail_constant_min`` in ``data/demand/demand_parameters.csv``) is the value at which
the forecasts reproduce the calibration counts (``use`` calibration in
``data/demand/station_counts.csv``) on average: the mean of log(predicted / observed)
over those counts is 0. Only the choice is repeated for each trial constant (markets,
car constant calibration and induced demand as in the forecast), so the fit takes
seconds. Held-out counts are not used; :func:`ratios` reports both.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from railsim.demand.model import Forecast, outcome
from railsim.demand.validation import Count, station_counts


def station_passengers(fc: Forecast, train: np.ndarray) -> dict[str, tuple[float, float]]:
    """Weekday (boardings, alightings) per station of the trips ``train`` per market."""
    out: dict[str, list[float]] = {}
    for k, trips in enumerate(train):
        b, a = fc.table.boarding[k], fc.table.alighting[k]
        if b is None or a is None:
            continue
        # a trip to or from beyond the network is not a passenger of the station it passes
        if not fc.table.boarding_beyond[k]:
            out.setdefault(b, [0.0, 0.0])[0] += float(trips)
        if not fc.table.alighting_beyond[k]:
            out.setdefault(a, [0.0, 0.0])[1] += float(trips)
    return {s: (v[0], v[1]) for s, v in out.items()}


def predicted_annual(fc: Forecast, count: Count, train: np.ndarray | None = None) -> float:
    """The forecast's yearly passengers of a counted station in the count's definition."""
    board, alight = station_passengers(fc, fc.result.train if train is None else train).get(
        count.station_id, (0.0, 0.0))
    daily = board + (alight if count.definition == "boardings_and_alightings" else 0.0)
    return daily * fc.annual_factor


def counts_of(fc: Forecast, use: str) -> list[Count]:
    """The counts of ``use`` for the forecast's served stations in its base year."""
    served = {s for line in fc.scenario.service.lines for s in line.stations}
    return [c for c in station_counts(fc.corridor)
            if c.use == use and c.year == fc.scenario.demand.base_year
            and c.station_id in served]


def ratios(forecasts: Sequence[Forecast], rail_constant_min: float | None = None,
           use: str = "calibration") -> list[tuple[Count, float]]:
    """(count, predicted / observed) of each count of ``use``, with the rail constant
    replaced by ``rail_constant_min`` (None: the forecasts' own)."""
    out = []
    for fc in forecasts:
        counts = counts_of(fc, use)
        if not counts:
            continue
        train = None
        if rail_constant_min is not None:
            p = replace(fc.choice, rail_constant_min=rail_constant_min)
            train = outcome(fc.table.markets, fc.table.do_minimum, p,
                            fc.params.bus_share_do_minimum,
                            fc.params.induced_logsum_elasticity).train
        for count in counts:
            out.append((count, predicted_annual(fc, count, train) / count.count))
    return out


def fit_rail_constant(forecasts: Sequence[Forecast], low: float = -200.0,
                      high: float = 400.0, tolerance_min: float = 0.01) -> float:
    """The rail constant [min] at which the calibration counts are met on average
    (geometric mean of predicted / observed = 1), by bisection: riders fall as it rises."""
    def mean_log(c: float) -> float:
        found = ratios(forecasts, c)
        if not found:
            raise ValueError("no calibration count for the forecasts' stations and years")
        return sum(math.log(max(r, 1e-12)) for _, r in found) / len(found)

    if mean_log(low) < 0 or mean_log(high) > 0:
        raise ValueError(f"the calibration counts are not met for a constant in "
                         f"[{low:g}, {high:g}] min")
    while high - low > tolerance_min:
        mid = (low + high) / 2
        if mean_log(mid) > 0:
            low = mid
        else:
            high = mid
    return round((low + high) / 2, 1)

"""The car constant of each draw: the do-minimum's bus carries its share of the trips.

The central model calibrates one constant by bisection
(:func:`railsim.demand.choice.calibrate_car_constant`); a draw that scales the trips or
the bus share needs its own. Here they are found for many draws at once, each to full
precision on its own row: from a table of the do-minimum's bus trips over constants near
the central one (:class:`StartTable`), then Newton steps inside a bisection bracket.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from railsim.demand.range_sums import range_sums, weighted_totals


@dataclass(frozen=True)
class DoMinimumTrips:
    """The do-minimum's markets as the calibration sees them."""

    trips: np.ndarray
    """Weekday trips per market."""
    ranges: Sequence[tuple[int, int]]
    """[start, stop) of each run of markets in one group."""
    groups: Sequence[int]
    """The group (a column of the draws' factors) of each run."""


START_SPAN = 10.0
"""Car constants tabulated for the starting values: the central one ± this."""
START_STEP = 0.02
"""Their spacing: a cubic through two neighbours and their slopes is then within about
1e-9 of the root, and two Newton steps on the whole do-minimum reach full precision
(from the central constant it took five; December 2026)."""


@dataclass
class StartTable:
    """The do-minimum's bus trips and their slope per range of markets, at car
    constants on a grid (grid × ranges)."""

    constant: np.ndarray
    trips: np.ndarray
    slope: np.ndarray
    """−d trips / d constant."""

    def roots(self, target: np.ndarray, scalers: np.ndarray) -> np.ndarray:
        """Per draw, the car constant at which the tabulated bus trips (ranges scaled by
        ``scalers``, draws × ranges) equal ``target``: between the two grid points where
        the difference changes sign, the root of the cubic through them with their
        slopes; NaN outside the grid. Row by row: a draw's value never depends on the
        other draws computed with it."""
        def over(rows: np.ndarray, j: np.ndarray) -> np.ndarray:
            return (scalers[rows] * self.trips[j]).sum(axis=-1) - target[rows]

        def slope(rows: np.ndarray, j: np.ndarray) -> np.ndarray:
            return -(scalers[rows] * self.slope[j]).sum(axis=-1)

        every = np.arange(len(target))
        last = len(self.constant) - 1
        # bus trips fall as the constant rises: bisect for the cell where they cross
        rows = every[(over(every, np.zeros_like(every)) > 0)
                     & (over(every, np.full_like(every, last)) <= 0)]
        low, high = np.zeros(len(rows), dtype=np.intp), np.full(len(rows), last)
        while np.any(high - low > 1):
            middle = (low + high) // 2
            above = over(rows, middle) > 0
            low, high = np.where(above, middle, low), np.where(above, high, middle)
        j = low
        step = self.constant[1] - self.constant[0]
        g0, g1 = over(rows, j), over(rows, j + 1)
        d0, d1 = slope(rows, j) * step, slope(rows, j + 1) * step
        t = g0 / (g0 - g1)  # the straight line's root, refined on the Hermite cubic
        for _ in range(3):
            h00, h10 = 2 * t**3 - 3 * t**2 + 1, t**3 - 2 * t**2 + t
            h01, h11 = -2 * t**3 + 3 * t**2, t**3 - t**2
            value = h00 * g0 + h10 * d0 + h01 * g1 + h11 * d1
            derivative = ((6 * t**2 - 6 * t) * g0 + (3 * t**2 - 4 * t + 1) * d0
                          + (-6 * t**2 + 6 * t) * g1 + (3 * t**2 - 2 * t) * d1)
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.clip(t - value / derivative, 0.0, 1.0)
        out = np.full(len(target), np.nan)
        out[rows] = self.constant[j] + t * step
        return out


def start_table(dm: DoMinimumTrips, gap: np.ndarray, central: float) -> StartTable:
    """The do-minimum's bus trips per range at car constants around the ``central`` one,
    for the car − bus utility ``gap`` of each market."""
    constant = central + np.arange(-START_SPAN, START_SPAN + START_STEP / 2, START_STEP)
    with np.errstate(over="ignore"):
        bus = 1.0 / (1.0 + np.exp(np.minimum(gap, 700.0))[None, :]
                     * np.exp(constant)[:, None])
    weight = dm.trips[None]
    return StartTable(constant, range_sums(bus, weight, dm.ranges)[:, 0, :],
                      range_sums(bus * (1.0 - bus), weight, dm.ranges)[:, 0, :])


def calibration_target(dm: DoMinimumTrips, bus_share: np.ndarray, factor: np.ndarray
                       ) -> np.ndarray:
    """Per draw, the do-minimum bus trips its car constant must give: ``bus_share`` of its
    trips, each group's scaled by the draw's ``factor`` (draws × groups)."""
    group_trips = np.array([dm.trips[a:b].sum() for a, b in dm.ranges])
    # a sum per row (not a matrix product, whose rounding depends on the other rows)
    return bus_share * (factor[:, dm.groups] * group_trips).sum(axis=1)


def car_constant(dm: DoMinimumTrips, gap: np.ndarray, bus_share: np.ndarray,
                 factor: np.ndarray, start_value: float | np.ndarray) -> np.ndarray:
    """Per draw, the car constant at which the bus carries ``bus_share`` of the do-minimum
    trips (groups scaled by ``factor``, draws × groups), for the car − bus utility ``gap``
    (one row, or one per draw): the root of the equation that
    :func:`~railsim.demand.choice.calibrate_car_constant` bisects on [-50, 50], to full
    precision (Newton steps kept inside the bisection bracket), from ``start_value``. Each
    draw stops on its own, so its value never depends on the other draws computed with
    it."""
    n = len(factor)
    exp_gap = np.exp(np.minimum(gap, 700.0))  # one row, or one per draw
    weight = dm.trips[None]
    groups = dm.groups
    target = calibration_target(dm, bus_share, factor)
    lo, hi = np.full(n, -50.0), np.full(n, 50.0)
    c = np.clip(np.broadcast_to(np.asarray(start_value, dtype=float), (n,)), -50.0, 50.0)
    active = np.arange(n)
    for _ in range(200):
        if not len(active):
            break
        with np.errstate(over="ignore"):  # inf: no bus rider there
            # in place: fresh arrays of draws × markets cost more than the arithmetic
            bus = np.multiply(exp_gap if exp_gap.ndim == 1 else exp_gap[active],
                              np.exp(c[active])[:, None])
            np.add(bus, 1.0, out=bus)
            np.divide(1.0, bus, out=bus)
        slope = np.subtract(1.0, bus)
        np.multiply(slope, bus, out=slope)
        scalers = factor[active][:, groups]
        share = weighted_totals(bus, weight, dm.ranges, scalers)[:, 0]
        derivative = -weighted_totals(slope, weight, dm.ranges, scalers)[:, 0]
        now, goal = c[active], target[active]
        lo_now = np.where(share > goal, now, lo[active])  # too many on the bus: raise it
        hi_now = np.where(share > goal, hi[active], now)
        # Newton's step on log(share): nearly linear in the constant where the share is
        # small, so the steps neither stall nor overshoot far; at most 4 units at a time
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = now - np.clip((np.log(share) - np.log(goal)) * share / derivative,
                                   -4.0, 4.0)
        tolerance = 1e-12 * (1.0 + np.abs(now))
        done = ((share == goal) | (np.abs(newton - now) <= tolerance)
                | (hi_now - lo_now <= tolerance))
        inside = np.isfinite(newton) & (newton >= lo_now) & (newton <= hi_now)
        step = np.where(inside | (done & np.isfinite(newton)), newton, 0.5 * (lo_now + hi_now))
        c[active] = np.where(share == goal, now, step)
        lo[active], hi[active] = lo_now, hi_now
        active = active[~done]
    return c

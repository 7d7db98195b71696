"""Discounting, NPV, annuity, IRR and payback: numbers in, numbers out.

Conventions: ``flows[k]`` happens in year ``k`` counted from the discounting base year
(year 0 is not discounted); rates are real fractions per year (0.035 = 3.5 %).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def discount_factors(rate: float, years: int) -> np.ndarray:
    """``1 / (1 + rate) ** k`` for k = 0 .. years - 1.

    >>> discount_factors(0.1, 3).round(4).tolist()
    [1.0, 0.9091, 0.8264]
    """
    return 1.0 / (1.0 + rate) ** np.arange(years)


def npv(rate: float, flows: Sequence[float] | np.ndarray) -> float:
    """Net present value of yearly flows, the first one undiscounted.

    >>> round(npv(0.05, [-100, 60, 60]), 4)
    11.5646
    """
    values = np.asarray(flows, dtype=float)
    return float((values * discount_factors(rate, len(values))).sum())


def annuity_factor(rate: float, years: int) -> float:
    """Yearly payment per unit of investment over ``years`` (capital recovery factor).

    >>> round(annuity_factor(0.035, 30), 6)
    0.054371
    >>> annuity_factor(0.0, 4)
    0.25
    """
    if years <= 0:
        raise ValueError("years must be positive")
    if rate == 0:
        return 1.0 / years
    return rate / (1.0 - (1.0 + rate) ** -years)


def present_value_factor(rate: float, years: int) -> float:
    """Present value of 1 per year for ``years`` years starting next year.

    >>> round(present_value_factor(0.035, 30), 4)
    18.392
    """
    return 1.0 / annuity_factor(rate, years)


def irr(flows: Sequence[float] | np.ndarray) -> float | None:
    """Internal rate of return (the rate where NPV is zero), or None if there is none.

    Looks for a sign change of NPV over rates from -99 % to 10⁸ % and refines it by
    bisection; returns the root closest to zero when there are several.

    >>> round(irr([-100, 60, 60]), 6)
    0.130662
    >>> irr([-100, -10]) is None
    True
    """
    values = np.asarray(flows, dtype=float)
    grid = np.concatenate([np.linspace(-0.99, 0.0, 200)[:-1], np.linspace(0.0, 10.0, 2001),
                           np.geomspace(10.0, 1e6, 200)[1:]])
    npvs = np.array([npv(float(r), values) for r in grid])
    signs = np.sign(npvs)
    changes = np.nonzero(signs[:-1] * signs[1:] < 0)[0]
    exact = np.nonzero(npvs == 0)[0]
    if exact.size:
        return float(grid[exact[np.argmin(np.abs(grid[exact]))]])
    if not changes.size:
        return None
    k = changes[np.argmin(np.abs(grid[changes]))]
    lo, hi = float(grid[k]), float(grid[k + 1])
    f_lo = npv(lo, values)
    for _ in range(100):
        mid = (lo + hi) / 2
        f_mid = npv(mid, values)
        if f_mid == 0 or hi - lo < 1e-12:
            return mid
        if math.copysign(1, f_mid) == math.copysign(1, f_lo):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return (lo + hi) / 2


def payback_year(flows: Sequence[float] | np.ndarray, rate: float = 0.0) -> int | None:
    """First year index at which the (discounted) cumulative flow turns non-negative.

    >>> payback_year([-100, 30, 30, 30, 30])
    4
    >>> payback_year([-100, 10, 10]) is None
    True
    """
    values = np.asarray(flows, dtype=float) * discount_factors(rate, len(flows))
    cumulative = np.cumsum(values)
    if cumulative[0] >= 0:
        return 0
    after = np.nonzero(cumulative >= 0)[0]
    return int(after[0]) if after.size else None

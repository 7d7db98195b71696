"""Ridership over the appraisal years: ramp-up after opening and population growth.

Two separate factors, multiplied where riders are counted: the ramp-up (0 before
opening, then ``appraisal.ramp_up``, then 1) says how much of the full-year ridership a
year has; the population factor grows every market from the demand base year. Kept
apart so a drawn growth rate replaces the central one without dividing anything out,
and so quantities that follow riders lost but not growth (bus-km removed) use the
ramp-up alone.
"""

from __future__ import annotations

import numpy as np

from railsim.config import schema


def ramp_up_factors(appraisal: schema.Appraisal, years: np.ndarray) -> np.ndarray:
    """Share of the full-year ridership in each year (0 before opening).

    >>> a = schema.Appraisal(opening_year=2030, ramp_up=[0.5, 0.8])
    >>> ramp_up_factors(a, np.arange(2029, 2034)).tolist()
    [0.0, 0.5, 0.8, 1.0, 1.0]
    """
    ramp = list(appraisal.ramp_up)
    since = np.asarray(years) - appraisal.opening_year
    return np.array([ramp[k] if 0 <= k < len(ramp) else float(k >= 0) for k in since])


def population_factors(base_year: int, growth_pct_per_year: float | np.ndarray,
                       years: np.ndarray) -> np.ndarray:
    """Population relative to the base year; a vector of rates gives draws × years.

    >>> population_factors(2024, 1.0, np.array([2024, 2026])).round(4).tolist()
    [1.0, 1.0201]
    """
    rate = np.asarray(growth_pct_per_year, dtype=float)
    exponent = np.asarray(years) - base_year
    if rate.ndim == 0:
        return np.asarray((1 + rate / 100) ** exponent, dtype=float)
    return np.asarray((1 + rate[:, None] / 100) ** exponent[None, :], dtype=float)

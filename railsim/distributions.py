"""Vectorised sampling of the scenario's named distributions (pure numpy).

Every function takes an explicit :class:`numpy.random.Generator`; nothing here seeds or
uses global random state.
"""

from __future__ import annotations

import numpy as np

from railsim.config import schema

NORMAL_REACH_SD = 6.0
"""How far the draws of an unbounded distribution are taken to reach: beyond 6 sd of a
normal (of a lognormal's logarithm; the same tail of an exponential) lies a probability
of about 1e-9, never drawn in a million draws."""


def drawn_range(dist: schema.Fixed | schema.Exponential | schema.Lognormal | schema.Normal
                | schema.Uniform | schema.Triangular | schema.Empirical
                ) -> tuple[float, float]:
    """The values a distribution's draws can take, (lowest, highest).

    >>> drawn_range(schema.Normal(kind="normal", mean=1, sd=0.1))
    (0.4, 1.6)
    """
    if isinstance(dist, schema.Fixed):
        return dist.value, dist.value
    if isinstance(dist, schema.Exponential):  # P(X > m·t) = exp(−t): 1e-9 at t ≈ 20.7
        return 0.0, dist.mean * 20.7
    if isinstance(dist, schema.Lognormal):
        mu, sigma = lognormal_parameters(dist.mean, dist.sd)
        return 0.0, float(np.exp(mu + NORMAL_REACH_SD * sigma))
    if isinstance(dist, schema.Normal):
        reach = NORMAL_REACH_SD * dist.sd
        return round(dist.mean - reach, 12), round(dist.mean + reach, 12)
    if isinstance(dist, schema.Uniform | schema.Triangular):
        return dist.low, dist.high
    if isinstance(dist, schema.Empirical):
        return min(dist.values), max(dist.values)
    raise TypeError(f"unknown distribution {dist!r}")


def lognormal_parameters(mean: float, sd: float) -> tuple[float, float]:
    """``(mu, sigma)`` of the underlying normal for a lognormal with this mean and sd.

    >>> mu, sigma = lognormal_parameters(1.0, 0.0)
    >>> (round(mu, 12), sigma)
    (0.0, 0.0)
    """
    sigma2 = float(np.log1p((sd / mean) ** 2))
    return float(np.log(mean) - sigma2 / 2), float(np.sqrt(sigma2))


def sample(dist: schema.Fixed | schema.Exponential | schema.Lognormal | schema.Normal
           | schema.Uniform | schema.Triangular | schema.Empirical,
           rng: np.random.Generator, size: int) -> np.ndarray:
    """``size`` draws from a scenario distribution."""
    if isinstance(dist, schema.Fixed):
        return np.full(size, dist.value, dtype=float)
    if isinstance(dist, schema.Exponential):
        return rng.exponential(dist.mean, size)
    if isinstance(dist, schema.Lognormal):
        mu, sigma = lognormal_parameters(dist.mean, dist.sd)
        return rng.lognormal(mu, sigma, size)
    if isinstance(dist, schema.Normal):
        return rng.normal(dist.mean, dist.sd, size)
    if isinstance(dist, schema.Uniform):
        return rng.uniform(dist.low, dist.high, size)
    if isinstance(dist, schema.Triangular):
        if dist.low == dist.high:
            return np.full(size, dist.low, dtype=float)
        return rng.triangular(dist.low, dist.mode, dist.high, size)
    if isinstance(dist, schema.Empirical):
        values = np.asarray(dist.values, dtype=float)
        weights = None
        if dist.weights is not None:
            weights = np.asarray(dist.weights, dtype=float)
            weights = weights / weights.sum()
        return rng.choice(values, size=size, p=weights)
    raise TypeError(f"unknown distribution {dist!r}")


def latin_hypercube(dist: schema.Fixed | schema.Exponential | schema.Lognormal
                    | schema.Normal | schema.Uniform | schema.Triangular | schema.Empirical,
                    rng: np.random.Generator, size: int) -> np.ndarray:
    """``size`` draws of a Latin hypercube: the distribution cut into ``size`` equally
    likely slices, one draw at random within each, in random order (so that the inputs
    of a scenario, each sampled so with the same ``rng``, are paired at random).

    >>> values = latin_hypercube(schema.Uniform(kind="uniform", low=0, high=1),
    ...                          np.random.default_rng(1), 4)
    >>> sorted(int(v * 4) for v in values)
    [0, 1, 2, 3]
    """
    return quantile(dist, (rng.permutation(size) + rng.random(size)) / size)


def quantile(dist: schema.Fixed | schema.Exponential | schema.Lognormal | schema.Normal
             | schema.Uniform | schema.Triangular | schema.Empirical,
             u: np.ndarray) -> np.ndarray:
    """Inverse distribution function: the values at probabilities ``u`` in (0, 1).

    Used to map a space-filling design on the unit cube (Sobol sampling) to the inputs.

    >>> quantile(schema.Uniform(kind="uniform", low=2, high=4), np.array([0.0, 0.5]))
    array([2., 3.])
    """
    # closed forms, the inverse normal from the standard library (Wichura's AS241, to
    # about 1e-16): scipy.stats and scipy.special cost every process a third of a second
    # to import, for a handful of quantiles
    from statistics import NormalDist

    ndtri = np.vectorize(NormalDist().inv_cdf, otypes=[float])

    u = np.clip(np.asarray(u, dtype=float), 1e-12, 1 - 1e-12)
    if isinstance(dist, schema.Fixed):
        return np.full(u.shape, dist.value)
    if isinstance(dist, schema.Exponential):
        return -dist.mean * np.log1p(-u)
    if isinstance(dist, schema.Lognormal):
        mu, sigma = lognormal_parameters(dist.mean, dist.sd)
        if sigma == 0:
            return np.full(u.shape, dist.mean)
        return np.exp(mu + sigma * ndtri(u))
    if isinstance(dist, schema.Normal):
        return dist.mean + dist.sd * ndtri(u) if dist.sd else np.full(u.shape, dist.mean)
    if isinstance(dist, schema.Uniform):
        return dist.low + u * (dist.high - dist.low)
    if isinstance(dist, schema.Triangular):
        width = dist.high - dist.low
        if width == 0:
            return np.full(u.shape, dist.low)
        split = (dist.mode - dist.low) / width
        rising = dist.low + np.sqrt(u * width * (dist.mode - dist.low))
        falling = dist.high - np.sqrt((1 - u) * width * (dist.high - dist.mode))
        return np.where(u < split, rising, falling)
    values = np.asarray(dist.values, dtype=float)
    weights = (np.ones(len(values)) if dist.weights is None
               else np.asarray(dist.weights, dtype=float))
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / weights.sum()
    return values[order][np.minimum(np.searchsorted(cumulative, u), len(values) - 1)]

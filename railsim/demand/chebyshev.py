"""Tensor-product Chebyshev interpolation of smooth functions of a few coordinates.

A function sampled at the Chebyshev points of a box (the roots of T_n in each coordinate)
has one interpolating polynomial of degree n − 1 in each coordinate; for a function that
is analytic in the box, its error falls geometrically with n (Trefethen, *Approximation
Theory and Approximation Practice*, 2013, ch. 8). Used by :mod:`railsim.demand.draws` to
evaluate the ridership model of many uncertainty draws from a few hundred exact runs; the
caller checks the error against exact runs, it is not assumed.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

EVALUATE_ROWS = 2048
"""Points evaluated together (bounds the memory of the basis: rows × coefficients)."""


@functools.cache
def _blas() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_blas_thread() -> Any:
    """A context in which BLAS runs on one thread: a matrix product on several threads
    adds in another order, so its last digits would depend on the machine's cores and on
    settings such as OPENBLAS_NUM_THREADS (a Dask worker sets it to 1)."""
    return _blas().limit(limits=1, user_api="blas")


def unit_points(n: int) -> np.ndarray:
    """The ``n`` Chebyshev points of the first kind in (−1, 1), largest first.

    >>> unit_points(2).round(6).tolist()
    [0.707107, -0.707107]
    """
    return np.cos(np.pi * (np.arange(n) + 0.5) / n)


def basis(t: np.ndarray, n: int) -> np.ndarray:
    """(points, n): T_0(t) … T_{n−1}(t) by the three-term recurrence, for t in [−1, 1]."""
    out = np.empty((len(t), n))
    out[:, 0] = 1.0
    if n > 1:
        out[:, 1] = t
    for j in range(2, n):
        out[:, j] = 2.0 * t * out[:, j - 1] - out[:, j - 2]
    return out


class Interpolant:
    """Chebyshev interpolation on the box ``box`` (low, high per coordinate) with
    ``sizes`` points per coordinate: :meth:`grid` gives the points where to sample,
    :meth:`fit` takes the samples (any number of functions at once), calling the
    interpolant evaluates them. A coordinate whose low equals its high has one point."""

    def __init__(self, box: Sequence[tuple[float, float]], sizes: Sequence[int]) -> None:
        if len(box) != len(sizes):
            raise ValueError("one size per coordinate of the box")
        self.box = [(float(lo), float(hi)) for lo, hi in box]
        if any(not (np.isfinite(lo) and np.isfinite(hi) and lo <= hi) for lo, hi in self.box):
            raise ValueError(f"a box needs finite low <= high; got {self.box}")
        self.sizes = [1 if lo == hi else int(n) for (lo, hi), n in zip(self.box, sizes,
                                                                         strict=True)]
        if min(self.sizes, default=1) < 1:
            raise ValueError("at least one point per coordinate")
        self.coefficients: np.ndarray | None = None

    @property
    def points(self) -> int:
        """How many samples :meth:`fit` takes."""
        return int(np.prod(self.sizes))

    def grid(self) -> list[np.ndarray]:
        """Per coordinate, its value at each sample point (points in C order: the last
        coordinate varies fastest)."""
        axes = [lo + (hi - lo) * (unit_points(n) + 1) / 2 if n > 1 else np.array([lo])
                for (lo, hi), n in zip(self.box, self.sizes, strict=True)]
        return [g.ravel() for g in np.meshgrid(*axes, indexing="ij")]

    def fit(self, values: np.ndarray) -> None:
        """Take the samples (points × functions, in :meth:`grid` order)."""
        values = np.asarray(values, dtype=float)
        if values.ndim != 2 or len(values) != self.points:
            raise ValueError(f"samples must be ({self.points}, functions); got {values.shape}")
        coefficients = values.reshape(*self.sizes, values.shape[1])
        with one_blas_thread():
            for axis, n in enumerate(self.sizes):
                # c_j = (2 − [j = 0]) / n · Σ_i f(z_i) T_j(z_i): the discrete orthogonality
                # of T_j on the n points
                transform = basis(unit_points(n), n).T * (2.0 / n)
                transform[0] /= 2.0
                coefficients = np.moveaxis(
                    np.tensordot(transform, coefficients, axes=(1, axis)), 0, axis)
        self.coefficients = coefficients.reshape(self.points, values.shape[1])

    def __call__(self, coordinates: Sequence[np.ndarray]) -> np.ndarray:
        """(points, functions) at the given points (one array per coordinate, inside the
        box)."""
        if self.coefficients is None:
            raise ValueError("fit the interpolant first")
        xs = [np.asarray(x, dtype=float) for x in coordinates]
        count = len(xs[0])
        out = np.empty((count, self.coefficients.shape[1]))
        with one_blas_thread():
            for start in range(0, count, EVALUATE_ROWS):
                stop = min(start + EVALUATE_ROWS, count)
                # Every product has the same shape (the last piece padded with zero
                # rows): BLAS may take another path for another shape, with other
                # rounding, and a point's value must not depend on which points come
                # with it.
                rows = np.zeros((EVALUATE_ROWS, self.points))
                rows[:stop - start] = self._basis_rows([x[start:stop] for x in xs])
                out[start:stop] = (rows @ self.coefficients)[:stop - start]
        return out

    def _basis_rows(self, xs: Sequence[np.ndarray]) -> np.ndarray:
        """(points, coefficients): the products of the coordinates' Chebyshev bases."""
        rows = np.ones((len(xs[0]), 1))
        for x, (lo, hi), n in zip(xs, self.box, self.sizes, strict=True):
            if n > 1:
                t = np.clip(2.0 * (x - lo) / (hi - lo) - 1.0, -1.0, 1.0)
                rows = (rows[:, :, None] * basis(t, n)[:, None, :]).reshape(len(x), -1)
        return rows

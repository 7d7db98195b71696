"""Sums over runs of markets that do not depend on the rows computed with them.

A draw's totals must be the same whichever draws share its block, its chunk or its
worker: every sum here is a dot product per row (never a matrix product, whose rounding
depends on the other rows), in pieces short enough that OpenBLAS does not split them
between threads.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

PIECE = 4096
"""Longest run of markets in one dot product (OpenBLAS splits longer ``dot`` calls
between threads, which would make a sum depend on the thread count)."""


def row_dot(values: np.ndarray, weights: np.ndarray, a: int, b: int) -> np.ndarray:
    """(draws, weights): row sums of values × each weight over markets [a, b), weights
    stacked as (weights, markets) or (draws, weights, markets). One dot product per row
    and weight, in pieces of at most :data:`PIECE`, so a sum never depends on the other
    rows."""
    shape = (values.shape[0], weights.shape[-2])
    total = np.zeros(shape)
    for lo in range(a, b, PIECE):
        hi = min(lo + PIECE, b)
        w = weights[..., lo:hi]
        total += np.vecdot(values[:, None, lo:hi], w if w.ndim == 3 else w[None])
    return total


def range_sums(values: np.ndarray, stacked: np.ndarray, ranges: Sequence[tuple[int, int]]
               ) -> np.ndarray:
    """(draws, weights, ranges): Σ over each range's markets of values × weight, for the
    weights stacked on the second-last axis ((weights, markets), or draws first)."""
    return np.stack([row_dot(values, stacked, a, b) for a, b in ranges], axis=-1)


def scaled_sums(parts: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """(draws, weights): the range sums of ``parts`` times each range's factor (draws ×
    ranges), added up."""
    return (parts * factor[:, None, :]).sum(axis=-1)


def weighted_totals(values: np.ndarray, stacked: np.ndarray,
                    ranges: Sequence[tuple[int, int]], factor: np.ndarray) -> np.ndarray:
    """(draws, weights): Σ_markets values × weight × the factor of the market's range
    (``factor``: draws × ranges), for the weights stacked on the second-last axis
    ((weights, markets), or draws first)."""
    return scaled_sums(range_sums(values, stacked, ranges), factor)

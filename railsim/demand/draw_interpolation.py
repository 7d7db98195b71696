"""Uncertainty draws of the ridership model by interpolation: the totals of many draws
from the model of :mod:`railsim.demand.draws` run exactly at a few hundred Chebyshev points
(:mod:`railsim.demand.chebyshev`), used only after a check against draws computed exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from railsim.demand.chebyshev import EVALUATE_ROWS, Interpolant
from railsim.demand.choice import ChoiceParameters
from railsim.demand.draws import (
    BLOCK,
    TRIP_FACTORS,
    DemandDraws,
    TotalWeights,
    _block_parts,
    _combine,
    _Draws,
    _exact,
    _Extra,
    _group_factors,
    _Parts,
    _Prepared,
    _Setup,
    _Work,
)
from railsim.demand.model import Forecast


def interpolated_draws(fc: Forecast, inputs: Sequence[tuple[str, str, np.ndarray]],
                       weights: TotalWeights | None = None) -> DemandDraws | None:
    """:func:`demand_draws` interpolated from the model run at a few hundred Chebyshev
    points (:func:`_interpolated`), or None where that does not apply: draws that change
    the utilities market by market, too few draws to save work, or an interpolation that
    does not agree with the model to :data:`INTERPOLATION_TOLERANCE` on
    :data:`INTERPOLATION_CHECKS` draws computed exactly. Its box spans the draws of the
    call, so a draw's numbers depend on the other draws of the call, to that tolerance:
    call it once for the whole sample."""
    prepared = _Prepared.of(fc, inputs, weights)
    draws = prepared.draws
    fewest = int(np.prod(INTERPOLATION_SIZES[0])) + INTERPOLATION_CHECKS
    if (not draws.separable or (weights is not None and prepared.weights_fixed is None)
            or fewest > draws.n // 2):
        return None
    found = _interpolated(prepared.setup, draws, weights, prepared.weights_fixed,
                          prepared.car_constant())
    return None if found is None else prepared.result(*found)


INTERPOLATION_SIZES = ((10, 12, 5), (14, 16, 8), (18, 20, 10))
"""Chebyshev points per coordinate (train constant, car constant, induced-demand
elasticity), tried in turn until the check passes. The totals are analytic in all three
(sums of logit shares, logsums and exponentials of them). On the shipped options' 10 000
draws the first size is within 7e-12 of the model; 8 × 12 × 4 points would give 9e-10,
10 × 12 × 3 points 4e-8 and 12 × 10 × 8 points 5e-10 (the car constant needs the most
points, induced demand the fewest; December 2026)."""
INTERPOLATION_CHECKS = 64
"""Draws, spread over the sample, computed exactly to check the interpolation."""
INTERPOLATION_TOLERANCE = 1e-9
"""Largest difference allowed between interpolated and exact totals on the checked draws,
relative to the largest exact value of each total (a tenth of a cent in a million euros:
far below the rounding of any reported figure)."""


def _interpolated(setup: _Setup, draws: _Draws, weights: TotalWeights | None,
                  weights_fixed: _Extra | None, car_constant: np.ndarray
                  ) -> tuple[dict[str, np.ndarray], str] | None:
    """The totals of every draw by Chebyshev interpolation in the draws' train constant,
    car constant and induced-demand elasticity (the only ways separable draws move the
    markets' shares; the trip scalers multiply sums per group, applied afterwards), and
    how; None when it would not save work or does not pass its check."""
    n = draws.n
    p = draws.parameters(0, n)
    coordinates = [np.broadcast_to(np.reshape(np.asarray(
                       p.train_constant_min + p.rail_constant_min, dtype=float), -1), (n,)),
                   np.asarray(car_constant, dtype=float), np.asarray(draws.induced, float)]
    if not all(np.isfinite(c).all() for c in coordinates):
        return None
    box = [(float(c.min()), float(c.max())) for c in coordinates]
    checked = np.unique(np.linspace(0, n - 1, min(INTERPOLATION_CHECKS, n)).round()
                        .astype(np.intp))
    exact: dict[str, np.ndarray] | None = None
    for sizes in INTERPOLATION_SIZES:
        interpolant = Interpolant(box, sizes)
        if interpolant.points + len(checked) > n // 2:  # not worth it: compute every draw
            return None
        fitted = _fit(setup, draws.base, interpolant, weights, weights_fixed)
        if fitted is None:
            return None
        if exact is None:
            exact = _exact(setup, draws.subset(checked), weights, weights_fixed,
                           car_constant[checked])
        found = fitted.totals(draws, coordinates)
        worst = max((_relative_error(found[name][checked], value)
                     for name, value in exact.items()), default=0.0)
        if worst <= INTERPOLATION_TOLERANCE:
            how = (f"interpolated from the model at {interpolant.points} Chebyshev points "
                   f"({'x'.join(map(str, interpolant.sizes))}); on {len(checked)} draws "
                   f"computed exactly, within {worst:.1e} of the largest value of each total")
            return found, how
    return None


def _relative_error(found: np.ndarray, exact: np.ndarray) -> float:
    """Largest |found − exact| over the largest |exact| (inf where any is not finite,
    0 where both are all zero)."""
    size = float(np.max(np.abs(exact), initial=0.0))
    error = float(np.max(np.abs(found - exact), initial=0.0))
    if not (np.isfinite(size) and np.isfinite(error)):
        return float("inf")
    return error / size if size > 0 else (0.0 if error == 0 else float("inf"))


@dataclass
class _Fitted:
    """The parts of the totals as interpolants of the draws' coordinates."""

    setup: _Setup
    interpolant: Interpolant
    template: _Parts
    extra_names: list[str]

    def totals(self, draws: _Draws, coordinates: Sequence[np.ndarray]
               ) -> dict[str, np.ndarray]:
        """The totals of ``draws``, at their coordinates, in pieces of bounded memory."""
        pieces = []
        for start in range(0, draws.n, EVALUATE_ROWS):
            stop = min(start + EVALUATE_ROWS, draws.n)
            flat = self.interpolant([c[start:stop] for c in coordinates])
            arrays, at = [], 0
            for array in self.template.arrays():
                width = int(np.prod(array.shape[1:]))
                arrays.append(flat[:, at:at + width].reshape(stop - start, *array.shape[1:]))
                at += width
            pieces.append(_combine(self.setup, self.template.like(arrays), self.extra_names,
                                   _group_factors(self.setup, draws, start, stop),
                                   draws.parameters(start, stop).scale_per_min))
        return {name: np.concatenate([piece[name] for piece in pieces]) for name in pieces[0]}


def _fit(setup: _Setup, base: ChoiceParameters, interpolant: Interpolant,
         weights: TotalWeights | None, weights_fixed: _Extra | None) -> _Fitted | None:
    """The model's parts at the interpolant's points, fitted (None if any is not finite)."""
    train, car, induced = interpolant.grid()
    k = interpolant.points
    # the train constant as the sum of the scenario's and the calibrated rail constant
    nodes = _Draws(k, base, {"train_constant_min": train, "rail_constant_min": np.zeros(k)},
                   {name: np.ones(k) for name in TRIP_FACTORS}, np.full(k, np.nan), induced,
                   [])
    work = _Work(len(setup.index))
    blocks = [_block_parts(setup, nodes, start, min(start + BLOCK, k), weights,
                           weights_fixed, work, car) for start in range(0, k, BLOCK)]
    template, extra_names = blocks[0]
    flat = np.concatenate([np.concatenate([parts.arrays()[i] for parts, _ in blocks])
                           .reshape(k, -1) for i in range(len(template.arrays()))], axis=1)
    if not np.isfinite(flat).all():
        return None
    interpolant.fit(flat)
    return _Fitted(setup, interpolant, template, extra_names)

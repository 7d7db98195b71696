"""Chebyshev interpolation against analytic answers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from railsim.demand.chebyshev import Interpolant, basis, unit_points


def test_points_are_the_roots_of_the_chebyshev_polynomial():
    for n in (1, 2, 5, 12):
        z = unit_points(n)
        assert np.allclose(np.cos(n * np.arccos(z)), 0.0, atol=1e-12)
        assert np.all(np.diff(z) < 0)


def test_basis_is_cos_of_multiple_angles():
    t = np.linspace(-1, 1, 41)
    expected = np.cos(np.outer(np.arccos(t), np.arange(7)))
    assert np.allclose(basis(t, 7), expected, atol=1e-13)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=12, max_size=12), st.integers(0, 2**32 - 1))
def test_a_polynomial_of_lower_degree_is_reproduced(coefficients, seed):
    """Degree ≤ 2 in x and ≤ 3 in y on 3 × 4 points: exact, to rounding, anywhere in the
    box."""
    c = np.array(coefficients).reshape(3, 4)

    def f(x, y):
        return sum(c[i, j] * x**i * y**j for i in range(3) for j in range(4))

    interpolant = Interpolant([(-2.0, 1.0), (0.5, 3.0)], [3, 4])
    x, y = interpolant.grid()
    interpolant.fit(f(x, y)[:, None])
    rng = np.random.default_rng(seed)
    px, py = rng.uniform(-2, 1, 200), rng.uniform(0.5, 3, 200)
    scale = 1 + np.abs(c).sum() * 27
    assert np.max(np.abs(interpolant([px, py])[:, 0] - f(px, py))) <= 1e-12 * scale


def test_an_analytic_function_converges_geometrically():
    """The logistic function (poles at ±iπ) on [-2, 2]: the error falls like ρ^-n with
    ρ = π/2 + √(1 + π²/4) ≈ 3.4, the radius of the largest ellipse with foci ±2 free
    of poles (Trefethen 2013, theorem 8.2): four more points cut it by about ρ⁴ ≈ 140."""
    def f(x):
        return 1 / (1 + np.exp(-x))

    x = np.linspace(-2, 2, 1001)
    errors = []
    for n in (8, 12, 16, 20):
        interpolant = Interpolant([(-2.0, 2.0)], [n])
        interpolant.fit(f(interpolant.grid()[0])[:, None])
        errors.append(np.max(np.abs(interpolant([x])[:, 0] - f(x))))
    rho = np.pi / 2 + np.sqrt(1 + np.pi**2 / 4)
    assert errors[-1] < 4 * rho**-20 / (rho - 1)  # the theorem's bound, M = |f| ≤ 1 there
    assert all(later < earlier / 50 for earlier, later in itertools.pairwise(errors))


def test_a_coordinate_without_width_takes_one_point():
    interpolant = Interpolant([(0.0, 1.0), (2.5, 2.5)], [12, 9])
    assert interpolant.sizes == [12, 1] and interpolant.points == 12
    x, y = interpolant.grid()
    assert np.all(y == 2.5)
    interpolant.fit(np.stack([np.exp(x) * y, x], axis=1))
    at = np.linspace(0, 1, 7)
    got = interpolant([at, np.full(7, 2.5)])
    assert np.allclose(got[:, 0], np.exp(at) * 2.5, rtol=1e-12)
    assert np.allclose(got[:, 1], at, atol=1e-13)


def test_a_points_value_does_not_depend_on_the_points_evaluated_with_it(monkeypatch):
    """Pieces of the same shape whatever their count: the same bytes for a point alone,
    in a few, or among thousands."""
    import railsim.demand.chebyshev as chebyshev

    monkeypatch.setattr(chebyshev, "EVALUATE_ROWS", 512)
    interpolant = Interpolant([(0.0, 1.0), (0.0, 2.0), (-1.0, 1.0)], [12, 12, 8])
    x, y, z = interpolant.grid()
    interpolant.fit(np.stack([np.sin(x + y) * z, np.cos(x * y), np.exp(z)], axis=1))
    rng = np.random.default_rng(3)
    at = [rng.uniform(0, 1, 5000), rng.uniform(0, 2, 5000), rng.uniform(-1, 1, 5000)]
    whole = interpolant(at)
    for index in (np.array([4321]), np.arange(600, 1700), rng.permutation(5000)[:70]):
        assert np.array_equal(interpolant([a[index] for a in at]), whole[index])


@pytest.mark.parametrize(("box", "sizes", "message"), [
    ([(0.0, 1.0)], [3, 3], "one size per coordinate"),
    ([(1.0, 0.0)], [3], "finite low <= high"),
    ([(0.0, np.inf)], [3], "finite low <= high"),
    ([(0.0, 1.0)], [0], "at least one point"),
])
def test_a_bad_box_is_refused(box, sizes, message):
    with pytest.raises(ValueError, match=message):
        Interpolant(box, sizes)


def test_samples_of_the_wrong_shape_are_refused():
    interpolant = Interpolant([(0.0, 1.0)], [4])
    with pytest.raises(ValueError, match=r"samples must be \(4, functions\)"):
        interpolant.fit(np.ones(4))
    with pytest.raises(ValueError, match="fit the interpolant first"):
        interpolant([np.zeros(2)])

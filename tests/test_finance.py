"""Discounting formulas against hand calculations and numpy-financial."""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from railsim.appraisal.finance import (
    annuity_factor,
    discount_factors,
    irr,
    npv,
    payback_year,
    present_value_factor,
)

flows = st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40)
rates = st.floats(0.0, 0.2)


@given(rate=rates, values=flows)
def test_npv_matches_numpy_financial(rate, values):
    assert npv(rate, values) == pytest.approx(npf.npv(rate, values), rel=1e-9, abs=1e-6)


def test_npv_by_hand():
    # -1000 now, 300 a year for 4 years at 3.5 %: 300 * (1 - 1.035**-4) / 0.035 - 1000
    assert npv(0.035, [-1000, 300, 300, 300, 300]) == pytest.approx(
        300 * (1 - 1.035 ** -4) / 0.035 - 1000)


@given(rate=st.floats(0.001, 0.2), years=st.integers(1, 80))
def test_annuity_repays_the_investment(rate, years):
    payment = annuity_factor(rate, years)
    assert npv(rate, [-1.0] + [payment] * years) == pytest.approx(0.0, abs=1e-9)
    assert present_value_factor(rate, years) == pytest.approx(1 / payment)
    assert payment == pytest.approx(-npf.pmt(rate, years, 1.0))


@given(values=st.lists(st.floats(1, 1e5), min_size=1, max_size=30),
       invest=st.floats(1, 1e6))
def test_irr_zeroes_npv_and_matches_numpy_financial(values, invest):
    series = [-invest, *values]
    found = irr(series)
    if sum(values) <= invest:
        assert found is None or found <= 1e-6
        return
    assert found is not None
    assert npv(found, series) == pytest.approx(0.0, abs=1e-6 * invest)
    reference = npf.irr(series)
    if np.isfinite(reference):
        assert found == pytest.approx(reference, rel=1e-6, abs=1e-6)


def test_discount_factors_and_payback():
    factors = discount_factors(0.035, 31)
    assert factors[0] == 1.0 and factors[30] == pytest.approx(1.035 ** -30)
    assert payback_year([-100, 50, 50, 50]) == 2
    assert payback_year([-100, 50, 50, 50], rate=0.1) == 3

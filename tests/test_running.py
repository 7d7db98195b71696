"""Running times against closed-form kinematics and a brute-force integration."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from railsim.running import (
    Stretch,
    Train,
    effective_stretches,
    minimum_running_time,
    scheduled_running_time,
)

lengths = st.floats(50, 20_000)
speeds = st.floats(5, 60)
rates = st.floats(0.2, 1.5)


def closed_form(length: float, v: float, a: float, b: float) -> float:
    """Rest-to-rest time over one stretch: trapezoid when cruise is reached, else triangle."""
    if v * v / (2 * a) + v * v / (2 * b) <= length:
        return length / v + v / (2 * a) + v / (2 * b)
    peak = math.sqrt(2 * a * b * length / (a + b))
    return peak / a + peak / b


@given(length=lengths, v=speeds, a=rates, b=rates)
def test_single_stretch_matches_closed_form(length, v, a, b):
    train = Train(max_speed_ms=100, accel_ms2=a, decel_ms2=b)
    assert minimum_running_time([Stretch(length, v)], train) == pytest.approx(
        closed_form(length, v, a, b), rel=1e-9)


def test_top_speed_caps_the_limit():
    train = Train(max_speed_ms=20, accel_ms2=0.5, decel_ms2=0.5)
    assert minimum_running_time([Stretch(10_000, 40)], train) == pytest.approx(
        closed_form(10_000, 20, 0.5, 0.5))


def brute_force(stretches: list[Stretch], train: Train, dx: float = 1.0) -> float:
    """Independent check: speeds on a fine grid from forward/backward envelopes, then
    ``sum(2 dx / (v_i + v_i+1))`` (exact for constant acceleration within a step)."""
    eff = effective_stretches(stretches, train)
    total = sum(s.length_m for s in eff)
    n = max(int(total / dx), 1)
    step = total / n
    bounds = [0.0]
    for s in eff:
        bounds.append(bounds[-1] + s.length_m)

    def cap(x: float) -> float:  # the limit at a grid point: the lower of both sides
        eps = 1e-9
        return min(s.limit_ms for i, s in enumerate(eff)
                   if bounds[i] - eps <= x <= bounds[i + 1] + eps)

    caps = [cap(i * step) for i in range(n + 1)]
    fwd = [0.0] * (n + 1)
    for i in range(1, n + 1):
        fwd[i] = min(caps[i], math.sqrt(fwd[i - 1] ** 2 + 2 * train.accel_ms2 * step))
    bwd = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        bwd[i] = min(caps[i], math.sqrt(bwd[i + 1] ** 2 + 2 * train.decel_ms2 * step))
    v = [min(f, b) for f, b in zip(fwd, bwd, strict=True)]
    return sum(2 * step / (v[i] + v[i + 1]) for i in range(n))


@settings(max_examples=25, deadline=None)
@given(parts=st.lists(st.tuples(st.floats(200, 3000), st.floats(8, 35)), min_size=2,
                      max_size=5),
       a=rates, b=rates, length=st.floats(0, 150))
def test_piecewise_profile_matches_integration(parts, a, b, length):
    stretches = [Stretch(d, v) for d, v in parts]
    train = Train(max_speed_ms=40, accel_ms2=a, decel_ms2=b, length_m=length)
    exact = minimum_running_time(stretches, train)
    assert exact == pytest.approx(brute_force(stretches, train), rel=0.005)


@given(parts=st.lists(st.tuples(st.floats(200, 3000), st.floats(8, 35)), min_size=1,
                      max_size=5),
       k=st.integers(0, 4), extra=st.floats(1, 20))
def test_raising_a_limit_never_slows_the_train(parts, k, extra):
    train = Train(max_speed_ms=60, accel_ms2=0.6, decel_ms2=0.6, length_m=75)
    stretches = [Stretch(d, v) for d, v in parts]
    i = k % len(stretches)
    faster = list(stretches)
    faster[i] = Stretch(stretches[i].length_m, stretches[i].limit_ms + extra)
    assert minimum_running_time(faster, train) <= minimum_running_time(stretches, train) + 1e-9


def test_long_train_waits_to_accelerate_after_restriction():
    slow_then_fast = [Stretch(500, 10), Stretch(3000, 30)]
    short = Train(max_speed_ms=40, accel_ms2=0.5, decel_ms2=0.5, length_m=0)
    long = Train(max_speed_ms=40, accel_ms2=0.5, decel_ms2=0.5, length_m=150)
    assert minimum_running_time(slow_then_fast, long) > minimum_running_time(slow_then_fast,
                                                                             short)
    # the restriction is stretched by exactly the train length
    eff = effective_stretches(slow_then_fast, long)
    assert eff[0] == Stretch(650, 10)


def test_scheduled_supplements():
    assert scheduled_running_time(1000, 37_400, 5, 0) == pytest.approx(1050)
    assert scheduled_running_time(1000, 50_000, 0, 2) == pytest.approx(1060)

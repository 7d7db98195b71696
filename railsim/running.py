"""Running times from train kinematics over a speed-limit profile.

A train starts from rest at one stop and comes to rest at the next. Between them it
accelerates at a constant rate ``a``, cruises at the speed limit in force, and brakes at a
constant rate ``b`` so that it never exceeds a limit. Limit rises take effect only once
the whole train has passed the change (its rear clears the restriction). Within a stretch
of constant limit the fastest profile is analytic (accelerate, cruise, brake), so the
minimum running time is exact, not a numerical integration:

* cruise reached (``d_acc + d_brake <= L``):
  ``t = (v - u)/a + (v - w)/b + (L - d_acc - d_brake)/v`` with
  ``d_acc = (v² - u²)/(2a)`` and ``d_brake = (v² - w²)/(2b)``;
* no cruise: the peak speed is where the acceleration and braking curves meet.

Scheduled times add the running-time supplement (per cent of the minimum time plus
minutes per 100 km, as Finnish timetabling does). Pure functions, no I/O.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

KMH = 1 / 3.6
"""Multiply km/h by this to get m/s."""


@dataclass(frozen=True)
class Train:
    """Kinematic properties of a train (one or more coupled units)."""

    max_speed_ms: float
    accel_ms2: float
    decel_ms2: float
    length_m: float = 0.0

    def __post_init__(self) -> None:
        if self.max_speed_ms <= 0 or self.accel_ms2 <= 0 or self.decel_ms2 <= 0:
            raise ValueError("speed, acceleration and deceleration must be positive")


@dataclass(frozen=True)
class Stretch:
    """A stretch of constant speed limit: length (m) and limit (m/s)."""

    length_m: float
    limit_ms: float


def single_stretch_time(length_m: float, limit_ms: float, accel: float, decel: float,
                        v_in: float = 0.0, v_out: float = 0.0) -> float:
    """Minimum time (s) over one stretch entered at ``v_in`` and left at ``v_out``.

    ``v_in`` and ``v_out`` must be reachable (the caller's forward/backward passes ensure
    it). Between stops 1 km apart at 20 m/s limit, a = 1, b = 0.5:

    >>> round(single_stretch_time(1000, 20, 1.0, 0.5), 3)
    80.0
    """
    if length_m <= 0:
        return 0.0
    v = limit_ms
    d_acc = max(0.0, (v * v - v_in * v_in) / (2 * accel))
    d_brk = max(0.0, (v * v - v_out * v_out) / (2 * decel))
    if d_acc + d_brk <= length_m:
        return (v - v_in) / accel + (v - v_out) / decel + (length_m - d_acc - d_brk) / v
    # accelerate to a peak, then brake: v_in² + 2 a x = v_out² + 2 b (L - x)
    x = (v_out * v_out + 2 * decel * length_m - v_in * v_in) / (2 * (accel + decel))
    x = min(max(x, 0.0), length_m)
    peak = math.sqrt(max(v_in * v_in + 2 * accel * x, 0.0))
    return max(peak - v_in, 0.0) / accel + max(peak - v_out, 0.0) / decel


def effective_stretches(stretches: Sequence[Stretch], train: Train) -> list[Stretch]:
    """Limits as the train feels them: capped at its top speed, rises delayed by its length."""
    capped = [Stretch(s.length_m, min(s.limit_ms, train.max_speed_ms))
              for s in stretches if s.length_m > 0]
    if train.length_m <= 0 or len(capped) < 2:
        return _merge(capped)
    # Positions of limit changes; a rise at p means the lower limit holds until p + length.
    bounds = [0.0]
    for s in capped:
        bounds.append(bounds[-1] + s.length_m)
    total = bounds[-1]
    cuts = set(bounds)
    for i in range(1, len(capped)):
        if capped[i].limit_ms > capped[i - 1].limit_ms:
            cuts.add(min(bounds[i] + train.length_m, total))
    points = sorted(cuts)
    out = []
    for lo, hi in itertools.pairwise(points):
        if hi <= lo:
            continue
        mid = (lo + hi) / 2
        limit = _limit_at(capped, bounds, mid)
        # the limit of anything within one train length behind the front also applies
        back = max(mid - train.length_m, 0.0)
        limit = min(limit, _min_limit_between(capped, bounds, back, mid))
        out.append(Stretch(hi - lo, limit))
    return _merge(out)


def _limit_at(stretches: Sequence[Stretch], bounds: Sequence[float], x: float) -> float:
    for i, s in enumerate(stretches):
        if bounds[i] <= x < bounds[i + 1]:
            return s.limit_ms
    return stretches[-1].limit_ms


def _min_limit_between(stretches: Sequence[Stretch], bounds: Sequence[float], lo: float,
                       hi: float) -> float:
    return min(s.limit_ms for i, s in enumerate(stretches)
               if bounds[i] < hi and bounds[i + 1] > lo)


def _merge(stretches: Sequence[Stretch]) -> list[Stretch]:
    merged: list[Stretch] = []
    for s in stretches:
        if merged and math.isclose(merged[-1].limit_ms, s.limit_ms):
            merged[-1] = Stretch(merged[-1].length_m + s.length_m, s.limit_ms)
        else:
            merged.append(s)
    return merged


def boundary_speeds(stretches: Sequence[Stretch], train: Train) -> list[float]:
    """Fastest feasible speed at each stretch boundary (from rest to rest)."""
    n = len(stretches)
    forward = [0.0] * (n + 1)
    for i, s in enumerate(stretches):
        cap = s.limit_ms if i + 1 == n else min(s.limit_ms, stretches[i + 1].limit_ms)
        forward[i + 1] = min(cap, math.sqrt(forward[i] ** 2 + 2 * train.accel_ms2 * s.length_m))
    forward[n] = 0.0
    backward = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        s = stretches[i]
        cap = s.limit_ms if i == 0 else min(s.limit_ms, stretches[i - 1].limit_ms)
        backward[i] = min(cap, math.sqrt(backward[i + 1] ** 2 + 2 * train.decel_ms2 * s.length_m))
    backward[0] = 0.0
    return [min(f, b) for f, b in zip(forward, backward, strict=True)]


def minimum_running_time(stretches: Sequence[Stretch], train: Train) -> float:
    """Minimum time (s) from rest to rest over consecutive stretches.

    >>> t = Train(max_speed_ms=30, accel_ms2=0.5, decel_ms2=0.5)
    >>> round(minimum_running_time([Stretch(3000, 30)], t), 1)  # 60 s + 60 s + 40 s
    160.0
    """
    eff = effective_stretches(stretches, train)
    if not eff:
        return 0.0
    speeds = boundary_speeds(eff, train)
    return sum(
        single_stretch_time(s.length_m, s.limit_ms, train.accel_ms2, train.decel_ms2,
                            speeds[i], speeds[i + 1])
        for i, s in enumerate(eff)
    )


def scheduled_running_time(minimum_s: float, distance_m: float, supplement_pct: float,
                           supplement_min_per_100km: float) -> float:
    """Timetabled running time: minimum plus per-cent and per-distance supplements.

    >>> scheduled_running_time(600, 10_000, 5, 3)
    648.0
    """
    return (minimum_s * (1 + supplement_pct / 100)
            + supplement_min_per_100km * 60 * distance_m / 100_000)

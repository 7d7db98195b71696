"""What a clock-face pattern needs on single track: block bounds and the periodic crossing model.

Both are computed from a service's trip templates (:mod:`railsim.timetable.build`): the
offsets at which a trip enters and clears each single-track block.

* **Block bound.** One train each way per headway must pass through a block one at a
  time, each occupation kept apart from the next by the crossing buffer: a block needs
  ``forward + backward + 2 × buffer`` seconds per headway.
* **Periodic crossing model.** Trains every ``H`` seconds in each direction, the reverse
  direction departing ``φ`` after the forward one, meet wherever their time difference
  is a multiple of ``H``. A block is usable only if no meet falls inside it; waits at
  crossing points (at most the tolerated crossing wait per trip) shift the meets.
  With ``d_j = φ + V_j − U_j`` (``U``: forward wait before block ``j``, ``V``: backward
  wait), block ``j`` forbids ``d_j`` in the open interval
  ``(F_in − buffer − B_out, F_out + buffer − B_in)`` modulo ``H``; ``d`` does not
  increase along the forward route, and a pattern works iff some such ``d`` stays within
  ``2 × tolerance``. This is the steady state of a uniform pattern (every trip waits the
  same), whatever the dispatching order, so it is a screen for the builder (which plans
  trips first come first served and also fits the start and end of the day, peaks and
  freight), not a replacement: the loop search confirms every set with the builder.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from railsim.timetable.model import Template


@dataclass(frozen=True)
class BlockNeed:
    """The time one train each way needs in a block, per headway."""

    block_id: str
    forward_s: float
    """Occupation by a forward trip (entry to clearing)."""
    backward_s: float
    buffer_s: float

    @property
    def headway_s(self) -> float:
        return self.forward_s + self.backward_s + 2 * self.buffer_s


@dataclass(frozen=True)
class _Window:
    """Forbidden relative offsets of one block (open interval, before the modulo)."""

    lo: float
    hi: float


def block_needs(forward: Template, backward: Template | None, buffer_s: float
                ) -> list[BlockNeed]:
    """Each block's need, in the forward trip's order (one direction only: no backward)."""
    back = {tr.block_id: tr for tr in backward.traversals} if backward is not None else {}
    out = []
    for tr in forward.traversals:
        other = back.get(tr.block_id)
        out.append(BlockNeed(tr.block_id, tr.exit_s - tr.enter_s,
                             0.0 if other is None else other.exit_s - other.enter_s, buffer_s))
    return out


def _windows(forward: Template, backward: Template, buffer_s: float) -> list[_Window]:
    back = {tr.block_id: tr for tr in backward.traversals}
    return [_Window(f.enter_s - buffer_s - back[f.block_id].exit_s,
                    f.exit_s + buffer_s - back[f.block_id].enter_s)
            for f in forward.traversals if f.block_id in back]


def _highest_allowed(x: float, window: _Window, headway_s: float) -> float:
    """The largest value ≤ ``x`` outside the window's copies ``(lo, hi) + k·H``."""
    k = math.floor((x - window.lo) / headway_s)
    start = window.lo + k * headway_s
    return start if x - start < window.hi - window.lo and x > start else x


def periodic_feasible(forward: Template, backward: Template | None, headway_s: float,
                      buffer_s: float, tolerance_s: float) -> bool:
    """Whether the uniform pattern every ``headway_s`` has a steady state whose crossings
    all fall at crossing points with at most ``tolerance_s`` of waits per trip."""
    if backward is None:
        return all(n.forward_s + buffer_s <= headway_s
                   for n in block_needs(forward, None, buffer_s))
    return windows_feasible(_windows(forward, backward, buffer_s), headway_s, tolerance_s)


def window(forward_in: float, forward_out: float, backward_in: float, backward_out: float,
           buffer_s: float) -> _Window:
    """A block's forbidden relative offsets from its entry and clearing times each way."""
    return _Window(forward_in - buffer_s - backward_out, forward_out + buffer_s - backward_in)


def windows_feasible(windows: list[_Window], headway_s: float, tolerance_s: float) -> bool:
    """The periodic model on blocks given by their windows, in the forward trip's order."""
    if any(w.hi - w.lo >= headway_s for w in windows):
        return False
    if not windows:
        return True
    # the best start is just after a forbidden window (where a greedy descent begins)
    for start in {w.hi % headway_s for w in windows}:
        first = last = start
        for k, w in enumerate(windows):
            last = _highest_allowed(last, w, headway_s)
            if k == 0:
                first = last
        if first - last <= 2 * tolerance_s + 1e-9:
            return True
    return False


def periodic_min_headway(forward: Template, backward: Template | None, buffer_s: float,
                         tolerance_s: float, upper_s: float, step_s: float = 10.0
                         ) -> float | None:
    """The shortest headway (on a ``step_s`` grid, from the block bound up to ``upper_s``)
    at which :func:`periodic_feasible` holds, or None."""
    needs = block_needs(forward, backward, buffer_s)
    lowest = max((n.headway_s for n in needs), default=step_s)
    h = math.ceil(lowest / step_s) * step_s
    while h <= upper_s + 1e-9:
        if periodic_feasible(forward, backward, h, buffer_s, tolerance_s):
            return h
        h += step_s
    return None


def periodic_headways(forward: Template, backward: Template | None, buffer_s: float,
                      tolerance_s: float, upper_s: float, step_s: float = 60.0
                      ) -> list[float]:
    """Every headway on a ``step_s`` grid up to ``upper_s`` at which
    :func:`periodic_feasible` holds (it is not monotone: meets move with the headway)."""
    return [k * step_s for k in range(1, int(upper_s // step_s) + 1)
            if periodic_feasible(forward, backward, k * step_s, buffer_s, tolerance_s)]


def ranges_text(values_min: list[float]) -> str:
    """``[25, 26, 50, 51, 52]`` → ``'25–26, 50–52'`` (consecutive whole minutes joined).

    >>> ranges_text([25.0, 26.0, 50.0, 51.0, 52.0, 60.0])
    '25–26, 50–52, 60'
    """
    parts: list[list[float]] = []
    for v in values_min:
        if parts and v - parts[-1][-1] <= 1 + 1e-9:
            parts[-1].append(v)
        else:
            parts.append([v])
    return ", ".join(f"{p[0]:g}" if len(p) == 1 else f"{p[0]:g}–{p[-1]:g}" for p in parts)

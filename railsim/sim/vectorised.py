"""The delay recursion of the operations model over all replications at once (numpy).

With ``timetable_order`` dispatching the order in which trains enter each single-track
block is the plan's, the same in every replication, so the SimPy model of
:mod:`railsim.sim.engine` reduces to a max-plus recursion over a fixed graph:

* a train leaves stop ``k`` at ``max(ready, block free)``: ready is its arrival plus the
  dwell (planned dwell plus the drawn overrun at a served stop), never before the
  planned departure; at the origin, the planned departure plus the drawn delay, never
  before its train set is back from the previous trip plus the minimum turnaround;
* the block is free when the train before it in the plan's order has cleared it;
* it arrives ``max(fastest, scheduled − lateness) + disturbance`` later (a late train
  recovers the running-time supplement).

The graph is sorted once per plan (:class:`Recursion`); each of its steps is then a
handful of numpy operations on vectors with one value per replication. The SimPy engine
stays the reference (and the only engine for ``first_come_first_served``, where the
order depends on the draws); ``tests/test_vectorised.py`` gives both engines the same
draws and requires equal times.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from railsim.sim.draws import Draws
from railsim.sim.plan import SimPlan


@dataclass
class DayRecords:
    """Actual times of many replications: one row per replication."""

    actual_arrival: np.ndarray
    """(replications, stops)"""
    actual_departure: np.ndarray
    primary_s: np.ndarray
    """(replications, trips)"""
    secondary_s: np.ndarray


@dataclass(frozen=True)
class _Step:
    """Leave stop ``k`` of trip ``trip`` and run to stop ``k + 1``."""

    trip: int
    k: int
    stop: int
    """Flat index of stop k."""
    segment: int
    after: int | None
    """Flat stop whose arrival frees the block entered here (the previous train's)."""
    ready_from: int | None
    """At the origin: flat last stop of the set's previous trip (None: no previous)."""
    dwell: bool
    """Stop k is a served intermediate stop (its dwell overrun counts)."""
    planned_dwell: float
    planned_departure: float
    planned_first: float
    run_s: float
    min_run_s: float


class Recursion:
    """The dependency graph of one planned day, in an order that respects it."""

    def __init__(self, plan: SimPlan) -> None:
        self.plan = plan
        release = self._release_stops(plan)
        previous: dict[int, int | None] = dict.fromkeys(plan.freight)
        for duty in plan.duties:
            for n, i in enumerate(duty):
                previous[i] = duty[n - 1] if n else None
        self.runs = sorted(previous)
        """Trips that run (in a duty or freight); others stay unset, as in SimPy."""
        block_pred: dict[tuple[int, str], int] = {}
        for block, order in plan.block_order.items():
            for p in range(1, len(order)):
                block_pred[(order[p], block)] = order[p - 1]
        steps: dict[tuple[int, int], _Step] = {}
        needs: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for i in self.runs:
            tp = plan.trips[i]
            last = len(tp.stations) - 1
            for k in range(last):
                entered = tp.enter_block[k]
                pred = block_pred.get((i, entered)) if entered is not None else None
                after = None
                deps: list[tuple[int, int]] = []
                before = previous[i]
                if k > 0:
                    deps.append((i, k - 1))
                elif before is not None:
                    deps.append((before, len(plan.trips[before].stations) - 2))
                if pred is not None and entered is not None:
                    stop = release.get((pred, entered))
                    if stop is None:
                        after = -1  # never released: the block stays occupied
                    else:
                        after = plan.trips[pred].first_stop + stop
                        deps.append((pred, stop - 1))
                last_stop = (None if before is None or k else plan.trips[before].first_stop
                             + len(plan.trips[before].stations) - 1)
                steps[(i, k)] = _Step(
                    i, k, tp.first_stop + k, tp.first_segment + k, after, last_stop,
                    k > 0 and bool(tp.served[k]),
                    float(tp.departure_s[k] - tp.arrival_s[k]) if k > 0 else 0.0,
                    float(tp.departure_s[k]), float(tp.departure_s[0]),
                    float(tp.run_s[k]), float(tp.min_run_s[k]))
                needs[(i, k)] = deps
        self.steps = self._sorted(steps, needs)
        self._blocked = any(step.after is not None and step.after < 0 for step in self.steps)

    @staticmethod
    def _release_stops(plan: SimPlan) -> dict[tuple[int, str], int]:
        """(trip, block) → stop at whose arrival the trip clears the block, following the
        SimPy engine: a trip holds one block at a time, released where its plan leaves
        it or at the destination; a block replaced before that is never released."""
        out: dict[tuple[int, str], int] = {}
        for i, tp in enumerate(plan.trips):
            held: str | None = None
            last = len(tp.stations) - 1
            for k in range(last):
                block = tp.enter_block[k]
                if block is not None:
                    held = block
                if held is not None and tp.leave_block[k + 1] == held:
                    out[(i, held)] = k + 1
                    held = None
            if held is not None:
                out[(i, held)] = last
        return out

    @staticmethod
    def _sorted(steps: dict[tuple[int, int], _Step],
                needs: dict[tuple[int, int], list[tuple[int, int]]]) -> list[_Step]:
        """Kahn's order; steps in a cycle (a deadlocked plan) are left out, so their
        times stay unset as the SimPy engine leaves them."""
        waiting = {key: len(deps) for key, deps in needs.items()}
        users: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for key, deps in needs.items():
            for dep in deps:
                users.setdefault(dep, []).append(key)
        ready = deque(sorted(k for k, n in waiting.items() if n == 0))
        out = []
        while ready:
            key = ready.popleft()
            out.append(steps[key])
            for user in users.get(key, []):
                waiting[user] -= 1
                if waiting[user] == 0:
                    ready.append(user)
        return out

    def run(self, draws: Draws, min_turnaround_s: float | None = None) -> DayRecords:
        """Actual times, one row per replication, for draws with a column per replication
        (:func:`railsim.sim.draws.stack`)."""
        return DayRecords(*(a.T for a in self.columns(draws, min_turnaround_s)))

    def columns(self, draws: Draws, min_turnaround_s: float | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Arrival, departure (stop × replication), primary and secondary delay (trip ×
        replication) for draws in the same layout: the recursion's, one contiguous row
        per stop."""
        plan = self.plan
        turnaround = plan.min_turnaround_s if min_turnaround_s is None else min_turnaround_s
        reps = draws.departure_delay.shape[1]
        # one row per stop or trip, one column per replication: rows are contiguous
        arrival = np.full((plan.n_stops, reps), np.nan)
        departure = np.full((plan.n_stops, reps), np.nan)
        primary = np.zeros((len(plan.trips), reps))
        secondary = np.zeros((len(plan.trips), reps))
        own = draws.departure_delay
        dwell = draws.dwell_delay
        if plan.boarding_dwell_s is not None:
            dwell = dwell + plan.boarding_dwell_s[:, None]
        extra = draws.run_delay + draws.incident
        never = np.full(reps, np.inf)
        now, tmp = np.empty(reps), np.empty(reps)
        # every operation writes into a buffer: the loop allocates nothing per step
        for step in self.steps:
            i, stop = step.trip, step.stop
            if step.k == 0:
                np.add(own[i], step.planned_first, out=now)
                primary[i] += own[i]
                if step.ready_from is not None:  # the set is back, turned round
                    np.add(arrival[step.ready_from], turnaround, out=tmp)
                    secondary[i] += np.maximum(0.0, tmp - now)
                    np.maximum(now, tmp, out=now)
                elif step.planned_first < 0:  # (never in a plan: departures are ≥ 0)
                    secondary[i] += np.maximum(0.0, -now)
                    np.maximum(now, 0.0, out=now)
                arrival[stop] = now
            elif step.dwell:
                overrun = dwell[stop]
                primary[i] += overrun
                np.add(overrun, step.planned_dwell, out=tmp)
                np.add(arrival[stop], tmp, out=tmp)
                np.maximum(tmp, step.planned_departure, out=now)
            else:
                np.maximum(arrival[stop], step.planned_departure, out=now)
            if step.after is not None:
                free = never if step.after < 0 else arrival[step.after]
                np.maximum(now, free, out=tmp)
                secondary[i] += tmp - now
                now, tmp = tmp, now
            departure[stop] = now
            np.subtract(now, step.planned_departure, out=tmp)  # lateness, recovered
            np.maximum(tmp, 0.0, out=tmp)
            np.subtract(step.run_s, tmp, out=tmp)
            np.maximum(tmp, step.min_run_s, out=tmp)
            disturbance = extra[step.segment]
            primary[i] += disturbance
            tmp += disturbance
            np.add(now, tmp, out=arrival[stop + 1])
            if step.k == len(plan.trips[i].stations) - 2:
                departure[stop + 1] = arrival[stop + 1]
        if self._blocked:  # a block never released: those times stay unset
            arrival[~np.isfinite(arrival)] = np.nan
            departure[~np.isfinite(departure)] = np.nan
        return arrival, departure, primary, secondary

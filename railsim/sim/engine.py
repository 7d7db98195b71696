"""One simulated day: SimPy processes for train sets and freight, blocks as resources.

* Each duty (train set) is a process running its trips in order; a trip cannot leave
  before the set has arrived from its previous trip plus the minimum turnaround, so a
  late incoming unit delays its next trip beyond the turnaround buffer.
* Each single-track block is a ``simpy.Resource`` of capacity one: an opposing (or
  following) train never enters an occupied block. With ``timetable_order`` dispatching
  a train also waits until every train planned to enter the block before it has entered,
  so crossings happen where they were planned; ``first_come_first_served`` drops that.
* On time, trains run to the schedule; when late they run at their fastest time (the
  running-time supplement is recoverable) and never leave a stop before its planned
  departure. Disturbances are drawn up front (:mod:`railsim.sim.draws`): departure
  delays at the origin, dwell overruns, slower running, incidents.

Recording is kept apart from behaviour: processes write actual times into arrays; the
caller turns them into statistics or an event log.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from railsim.sim.draws import Draws
from railsim.sim.plan import SimPlan


@dataclass
class DayRecord:
    """Actual times of one replication plus delay attribution, per trip and stop."""

    actual_arrival: np.ndarray
    actual_departure: np.ndarray
    primary_s: np.ndarray
    """Per trip: delay drawn on the train itself (origin, dwell, running, incidents)."""
    secondary_s: np.ndarray
    """Per trip: waiting beyond plan for blocks and for the incoming unit (knock-on)."""


@dataclass
class _Trip:
    """A trip's arrays as Python lists: per-event arithmetic on plain floats is cheaper
    than on numpy scalars (and gives the same numbers). Blocks are numbers."""

    base: int
    seg0: int
    last: int
    arrival_s: list[float]
    departure_s: list[float]
    run_s: list[float]
    min_run_s: list[float]
    served: list[bool]
    enter: list[int]
    """Block entered on leaving stop k (-1: none)."""
    turn: list[int]
    """The trip's place in the planned order of that block."""
    leave: list[int]
    """Block the plan clears on arriving at stop k (-1: none)."""


class DaySimulator:
    """The SimPy model of one compiled plan: what does not change from day to day is
    prepared once, then :meth:`run` simulates a day for each set of draws."""

    def __init__(self, plan: SimPlan, dispatching: str = "timetable_order") -> None:
        self.plan = plan
        self.in_order = dispatching == "timetable_order"
        number = {b: n for n, b in enumerate(plan.block_order)}
        turn = {(b, i): k for b, order in plan.block_order.items() for k, i in enumerate(order)}
        self.trips = [
            _Trip(tp.first_stop, tp.first_segment, len(tp.stations) - 1, tp.arrival_s.tolist(),
                  tp.departure_s.tolist(), tp.run_s.tolist(), tp.min_run_s.tolist(),
                  tp.served.tolist(), [-1 if b is None else number[b] for b in tp.enter_block],
                  [-1 if b is None else turn[(b, i)] for b in tp.enter_block],
                  [-1 if b is None else number[b] for b in tp.leave_block])
            for i, tp in enumerate(plan.trips)]

    def run(self, draws: Draws) -> DayRecord:
        """One day with the given random inputs (1-D draws)."""
        return _Day(self, draws).run()


class _Day:
    def __init__(self, model: DaySimulator, draws: Draws) -> None:
        plan = model.plan
        self.env = simpy.Environment()
        self.plan = plan
        self.trips = model.trips
        self.in_order = model.in_order
        self.departure_delay = draws.departure_delay.tolist()
        self.extra_run = (draws.run_delay + draws.incident).tolist()
        dwell = draws.dwell_delay
        self.extra_dwell = (dwell if plan.boarding_dwell_s is None
                            else dwell + plan.boarding_dwell_s).tolist()
        n_blocks = len(plan.block_order)
        self.blocks = [simpy.Resource(self.env, capacity=1) for _ in range(n_blocks)]
        self.entered = [0] * n_blocks
        self.gates: list[dict[int, simpy.Event]] = [{} for _ in range(n_blocks)]
        self.arrival = [math.nan] * plan.n_stops
        self.departure = [math.nan] * plan.n_stops
        self.primary = [0.0] * len(plan.trips)
        self.secondary = [0.0] * len(plan.trips)

    def run(self) -> DayRecord:
        for duty in self.plan.duties:
            self.env.process(self.train(duty))
        for i in self.plan.freight:
            self.env.process(self.train([i]))
        self.env.run()
        return DayRecord(np.array(self.arrival), np.array(self.departure),
                         np.array(self.primary), np.array(self.secondary))

    def train(self, trips: list[int]) -> Generator[Any, Any, None]:
        """A train set running its trips one after the other (one process: a generator
        per trip would add a layer to every event)."""
        env, in_order, turnaround = self.env, self.in_order, self.plan.min_turnaround_s
        arrival, departure = self.arrival, self.departure
        blocks, entered, gates = self.blocks, self.entered, self.gates
        ready = 0.0
        for i in trips:
            tp = self.trips[i]
            base, seg0, last = tp.base, tp.seg0, tp.last
            departure_s, run_s, min_run_s = tp.departure_s, tp.run_s, tp.min_run_s
            own = self.departure_delay[i]
            planned = departure_s[0]
            start = max(planned + own, ready)
            primary = self.primary[i] + own
            secondary = self.secondary[i] + max(0.0, ready - (planned + own))
            now = env.now
            if start > now or not in_order:
                yield env.timeout(start - now)
                now = env.now
            arrival[base] = now
            held = -1
            request: Any = None
            for k in range(last):
                block = tp.enter[k]
                if block >= 0:
                    before = now
                    if in_order and entered[block] < tp.turn[k]:
                        gate = env.event()
                        gates[block][tp.turn[k]] = gate
                        yield gate
                    request = blocks[block].request()
                    yield request
                    held = block
                    entered[block] += 1
                    waiting = gates[block].pop(entered[block], None)
                    if waiting is not None:
                        waiting.succeed()
                    now = env.now
                    waited = now - before
                    if waited > 0:
                        # waiting the plan did not foresee is knock-on delay
                        secondary += waited
                departure[base + k] = now  # leaves once the block ahead is its own
                late = max(0.0, now - departure_s[k])
                extra = self.extra_run[seg0 + k]
                primary += extra
                yield env.timeout(max(min_run_s[k], run_s[k] - late) + extra)
                now = env.now
                stop = base + k + 1
                arrival[stop] = now
                if held >= 0 and tp.leave[k + 1] == held:
                    blocks[held].release(request)
                    held = -1
                if k + 1 == last:
                    departure[stop] = now
                    break
                leave, overrun = self._ready(tp, k + 1, now)
                primary += overrun
                if leave > now or not in_order:
                    yield env.timeout(leave - now)
                    now = env.now
            if held >= 0:
                blocks[held].release(request)
            self.primary[i], self.secondary[i] = primary, secondary
            ready = arrival[base + last] + turnaround

    def _ready(self, tp: _Trip, k: int, now: float) -> tuple[float, float]:
        """When the train that arrived at its stop ``k`` at ``now`` may leave, and its
        dwell overrun there."""
        if tp.served[k]:
            overrun = self.extra_dwell[tp.base + k]
            return max(now + ((tp.departure_s[k] - tp.arrival_s[k]) + overrun),
                       tp.departure_s[k]), overrun
        # a planned crossing wait is kept by the block order instead
        return max(now + 0.0, tp.departure_s[k]), 0.0


def simulate_day(plan: SimPlan, draws: Draws, dispatching: str = "timetable_order"
                 ) -> DayRecord:
    """Run one day with the given random inputs."""
    return DaySimulator(plan, dispatching).run(draws)

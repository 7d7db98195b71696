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
    than on numpy scalars (and gives the same numbers)."""

    base: int
    seg0: int
    last: int
    arrival_s: list[float]
    departure_s: list[float]
    run_s: list[float]
    min_run_s: list[float]
    served: list[bool]
    enter_block: list[str | None]
    leave_block: list[str | None]


def _trips(plan: SimPlan) -> list[_Trip]:
    return [_Trip(tp.first_stop, tp.first_segment, len(tp.stations) - 1, tp.arrival_s.tolist(),
                  tp.departure_s.tolist(), tp.run_s.tolist(), tp.min_run_s.tolist(),
                  tp.served.tolist(), list(tp.enter_block), list(tp.leave_block))
            for tp in plan.trips]


class _Day:
    def __init__(self, plan: SimPlan, draws: Draws, in_order: bool) -> None:
        self.env = simpy.Environment()
        self.plan = plan
        self.trips = _trips(plan)
        self.departure_delay = draws.departure_delay.tolist()
        self.extra_run = (draws.run_delay + draws.incident).tolist()
        dwell = draws.dwell_delay
        self.extra_dwell = (dwell if plan.boarding_dwell_s is None
                            else dwell + plan.boarding_dwell_s).tolist()
        self.in_order = in_order
        self.blocks = {b: simpy.Resource(self.env, capacity=1) for b in plan.block_order}
        self.entered = dict.fromkeys(plan.block_order, 0)
        self.position = {(b, i): k for b, order in plan.block_order.items()
                         for k, i in enumerate(order)}
        self.gates: dict[tuple[str, int], simpy.Event] = {}
        self.arrival = [math.nan] * plan.n_stops
        self.departure = [math.nan] * plan.n_stops
        self.primary = [0.0] * len(plan.trips)
        self.secondary = [0.0] * len(plan.trips)

    def run(self) -> DayRecord:
        for duty in self.plan.duties:
            self.env.process(self.duty(duty))
        for i in self.plan.freight:
            self.env.process(self.trip(i, 0.0))
        self.env.run()
        return DayRecord(np.array(self.arrival), np.array(self.departure),
                         np.array(self.primary), np.array(self.secondary))

    def duty(self, trips: list[int]) -> Generator[Any, Any, None]:
        ready = 0.0
        for i in trips:
            yield from self.trip(i, ready)
            last = self.trips[i]
            ready = self.arrival[last.base + last.last] + self.plan.min_turnaround_s

    def trip(self, i: int, ready: float) -> Generator[Any, Any, None]:
        env, tp = self.env, self.trips[i]
        base, seg0, last = tp.base, tp.seg0, tp.last
        arrival, departure, in_order = self.arrival, self.departure, self.in_order
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
        held: tuple[str, Any] | None = None
        for k in range(last):
            block = tp.enter_block[k]
            if block is not None:
                before = now
                if in_order:
                    mine = self.position[(block, i)]
                    if self.entered[block] < mine:
                        gate = env.event()
                        self.gates[(block, mine)] = gate
                        yield gate
                request = self.blocks[block].request()
                yield request
                held = (block, request)
                self._entered(block)
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
            if held is not None and tp.leave_block[k + 1] == held[0]:
                self.blocks[held[0]].release(held[1])
                held = None
            if k + 1 == last:
                departure[stop] = now
                break
            if tp.served[k + 1]:
                extra_dwell = self.extra_dwell[stop]
                primary += extra_dwell
                leave = max(now + ((departure_s[k + 1] - tp.arrival_s[k + 1]) + extra_dwell),
                            departure_s[k + 1])
            else:
                # a planned crossing wait is kept by the block order instead
                leave = max(now + 0.0, departure_s[k + 1])
            if leave > now or not in_order:
                yield env.timeout(leave - now)
                now = env.now
        if held is not None:
            self.blocks[held[0]].release(held[1])
        self.primary[i], self.secondary[i] = primary, secondary

    def _entered(self, block: str) -> None:
        self.entered[block] += 1
        gate = self.gates.pop((block, self.entered[block]), None)
        if gate is not None:
            gate.succeed()


def simulate_day(plan: SimPlan, draws: Draws, dispatching: str = "timetable_order"
                 ) -> DayRecord:
    """Run one day with the given random inputs."""
    return _Day(plan, draws, dispatching == "timetable_order").run()

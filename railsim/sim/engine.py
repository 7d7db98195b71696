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
  departure. Disturbances are drawn up front, vectorised, from the replication's own
  generator: departure delays at the origin, dwell overruns, slower running, incidents.

Recording is kept apart from behaviour: processes write actual times into arrays; the
caller turns them into statistics or an event log.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from railsim.config import schema
from railsim.distributions import sample, sample_disturbance
from railsim.sim.plan import SimPlan


@dataclass
class Draws:
    """All random inputs of one replication."""

    departure_delay: np.ndarray  # per trip
    dwell_delay: np.ndarray  # per stop (flat)
    run_delay: np.ndarray  # per segment (flat)
    incident: np.ndarray  # per segment (flat)


@dataclass
class DayRecord:
    """Actual times of one replication plus delay attribution, per trip and stop."""

    actual_arrival: np.ndarray
    actual_departure: np.ndarray
    primary_s: np.ndarray
    """Per trip: delay drawn on the train itself (origin, dwell, running, incidents)."""
    secondary_s: np.ndarray
    """Per trip: waiting beyond plan for blocks and for the incoming unit (knock-on)."""


def draw(plan: SimPlan, ops: schema.Operations, rng: np.random.Generator) -> Draws:
    n_trips = len(plan.trips)
    departure = sample_disturbance(ops.departure_delay, rng, n_trips)
    freight = np.zeros(n_trips, dtype=bool)
    freight[plan.freight] = True
    if freight.any():
        departure[freight] = sample_disturbance(ops.freight_deviation, rng, int(freight.sum()))
    dwell = sample_disturbance(ops.dwell_delay, rng, plan.n_stops)
    run = sample_disturbance(ops.running_time_delay, rng, plan.n_segments)
    km = np.concatenate([t.km for t in plan.trips]) if plan.trips else np.zeros(0)
    p_incident = np.clip(ops.incidents.probability_per_train_km * km, 0.0, 1.0)
    happens = rng.random(plan.n_segments) < p_incident
    size = np.maximum(sample(ops.incidents.duration_s, rng, plan.n_segments), 0.0)
    return Draws(departure, dwell, run, np.where(happens, size, 0.0))


def no_draws(plan: SimPlan) -> Draws:
    """Zero disturbances (the deterministic check: actual equals scheduled)."""
    return Draws(np.zeros(len(plan.trips)), np.zeros(plan.n_stops), np.zeros(plan.n_segments),
                 np.zeros(plan.n_segments))


class _Day:
    def __init__(self, plan: SimPlan, draws: Draws, in_order: bool) -> None:
        self.env = simpy.Environment()
        self.plan = plan
        self.draws = draws
        self.in_order = in_order
        self.blocks = {b: simpy.Resource(self.env, capacity=1) for b in plan.block_order}
        self.entered = dict.fromkeys(plan.block_order, 0)
        self.position = {(b, i): k for b, order in plan.block_order.items()
                         for k, i in enumerate(order)}
        self.gates: dict[tuple[str, int], simpy.Event] = {}
        self.arrival = np.full(plan.n_stops, np.nan)
        self.departure = np.full(plan.n_stops, np.nan)
        self.primary = np.zeros(len(plan.trips))
        self.secondary = np.zeros(len(plan.trips))

    def run(self) -> DayRecord:
        for duty in self.plan.duties:
            self.env.process(self.duty(duty))
        for i in self.plan.freight:
            self.env.process(self.trip(i, 0.0))
        self.env.run()
        return DayRecord(self.arrival, self.departure, self.primary, self.secondary)

    def duty(self, trips: list[int]) -> Generator[Any, Any, None]:
        ready = 0.0
        for i in trips:
            yield from self.trip(i, ready)
            last = self.plan.trips[i]
            ready = self.arrival[last.first_stop + len(last.stations) - 1] \
                + self.plan.min_turnaround_s

    def trip(self, i: int, ready: float) -> Generator[Any, Any, None]:
        env, tp, draws = self.env, self.plan.trips[i], self.draws
        base, seg0 = tp.first_stop, tp.first_segment
        own = draws.departure_delay[i]
        planned = tp.departure_s[0]
        start = max(planned + own, ready)
        self.primary[i] += own
        self.secondary[i] += max(0.0, ready - (planned + own))
        yield env.timeout(start - env.now)
        self.arrival[base] = env.now
        held: tuple[str, Any] | None = None
        last = len(tp.stations) - 1
        for k in range(last):
            block = tp.enter_block[k]
            if block is not None:
                before = env.now
                if self.in_order:
                    yield from self._wait_turn(block, i)
                request = self.blocks[block].request()
                yield request
                held = (block, request)
                self._entered(block)
                waited = env.now - before
                if waited > 0:
                    # waiting the plan did not foresee is knock-on delay
                    self.secondary[i] += waited
            self.departure[base + k] = env.now  # leaves once the block ahead is its own
            late = max(0.0, env.now - tp.departure_s[k])
            extra = draws.run_delay[seg0 + k] + draws.incident[seg0 + k]
            self.primary[i] += extra
            run = max(tp.min_run_s[k], tp.run_s[k] - late) + extra
            yield env.timeout(run)
            stop = base + k + 1
            self.arrival[stop] = env.now
            if held is not None and tp.leave_block[k + 1] == held[0]:
                self.blocks[held[0]].release(held[1])
                held = None
            if k + 1 == last:
                self.departure[stop] = env.now
                break
            planned_dwell = tp.departure_s[k + 1] - tp.arrival_s[k + 1]
            if tp.served[k + 1]:
                extra_dwell = draws.dwell_delay[stop]
                if self.plan.boarding_dwell_s is not None:
                    extra_dwell += self.plan.boarding_dwell_s[stop]
                self.primary[i] += extra_dwell
                minimum = planned_dwell + extra_dwell
            else:
                minimum = 0.0  # a planned crossing wait is kept by the block order instead
            leave = max(env.now + minimum, tp.departure_s[k + 1])
            yield env.timeout(leave - env.now)
        if held is not None:
            self.blocks[held[0]].release(held[1])

    def _wait_turn(self, block: str, i: int) -> Generator[Any, Any, None]:
        mine = self.position[(block, i)]
        if self.entered[block] < mine:
            gate = self.env.event()
            self.gates[(block, mine)] = gate
            yield gate

    def _entered(self, block: str) -> None:
        self.entered[block] += 1
        gate = self.gates.pop((block, self.entered[block]), None)
        if gate is not None:
            gate.succeed()


def simulate_day(plan: SimPlan, draws: Draws, dispatching: str = "timetable_order"
                 ) -> DayRecord:
    """Run one day with the given random inputs."""
    return _Day(plan, draws, dispatching == "timetable_order").run()

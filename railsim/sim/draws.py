"""The random inputs of the simulated days, drawn a block of days at a time.

Days ``BLOCK·b`` to ``BLOCK·b + BLOCK − 1`` take their disturbances from one generator,
child ``b`` of the scenario's simulation stream (:mod:`railsim.streams`), each kind of
disturbance in one call for the whole block: a generator per day cost more than the
delays it drew. A block is always drawn whole, so a day's numbers do not depend on which
other days run beside it, on how many days there are, or on which worker runs it: both
engines, any number of workers and any chunking see the same numbers.

The arrays have one entry per trip, stop or segment (flat, as in
:class:`~railsim.sim.plan.SimPlan`) and, for many days, a second axis of days: the
layout the vectorised recursion works in, each trip's or stop's days contiguous.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from railsim.config import schema
from railsim.distributions import sample
from railsim.sim.plan import SimPlan
from railsim.streams import child

BLOCK = 64
"""Simulated days per generator."""


@dataclass
class Draws:
    """The random inputs of one day (1-D arrays) or of many (shape (entries, days))."""

    departure_delay: np.ndarray  # per trip
    dwell_delay: np.ndarray  # per stop (flat)
    run_delay: np.ndarray  # per segment (flat)
    incident: np.ndarray  # per segment (flat)

    def days(self, which: slice | int | np.ndarray) -> Draws:
        """The draws of some of the days (one day, 1-D, for an integer)."""
        return Draws(self.departure_delay[:, which], self.dwell_delay[:, which],
                     self.run_delay[:, which], self.incident[:, which])


def no_draws(plan: SimPlan) -> Draws:
    """Zero disturbances (the deterministic check: actual equals scheduled)."""
    return Draws(np.zeros(len(plan.trips)), np.zeros(plan.n_stops), np.zeros(plan.n_segments),
                 np.zeros(plan.n_segments))


def stack(draws: list[Draws]) -> Draws:
    """One-day draws side by side: a column per day."""
    return Draws(np.stack([d.departure_delay for d in draws], axis=-1),
                 np.stack([d.dwell_delay for d in draws], axis=-1),
                 np.stack([d.run_delay for d in draws], axis=-1),
                 np.stack([d.incident for d in draws], axis=-1))


def _disturbance(rng: np.random.Generator, probability: float | np.ndarray,
                 size: schema.DelayDistribution, out: np.ndarray) -> None:
    """Zero, or with ``probability`` a draw of ``size`` floored at zero, written into
    ``out``; sizes are drawn for the hits only (most entries are zero)."""
    hit = rng.random(out.shape) < probability
    out.fill(0.0)
    out[hit] = np.maximum(sample(size, rng, int(np.count_nonzero(hit))), 0.0)


def _unset(plan: SimPlan, days: int) -> Draws:
    """Arrays for ``days`` days of draws, to be written whole by :func:`draw_days`."""
    return Draws(np.empty((len(plan.trips), days)), np.empty((plan.n_stops, days)),
                 np.empty((plan.n_segments, days)), np.empty((plan.n_segments, days)))


def draw_days(plan: SimPlan, ops: schema.Operations, rng: np.random.Generator, days: int,
              out: Draws | None = None) -> Draws:
    """``days`` days of disturbances from one generator: departure delays at the origin
    (freight trains: their deviation from the path), dwell overruns, slower running and
    incidents (chance per train-km); written into ``out`` (views with ``days`` columns)
    when given."""
    out = _unset(plan, days) if out is None else out
    freight = np.zeros(len(plan.trips), dtype=bool)
    freight[plan.freight] = True
    for rows, dist in ((~freight, ops.departure_delay), (freight, ops.freight_deviation)):
        part = np.empty((int(rows.sum()), days))
        _disturbance(rng, dist.probability, dist.size, part)
        out.departure_delay[rows] = part
    _disturbance(rng, ops.dwell_delay.probability, ops.dwell_delay.size, out.dwell_delay)
    _disturbance(rng, ops.running_time_delay.probability, ops.running_time_delay.size,
                 out.run_delay)
    km = np.concatenate([t.km for t in plan.trips]) if plan.trips else np.zeros(0)
    chance = np.clip(ops.incidents.probability_per_train_km * km, 0.0, 1.0)
    _disturbance(rng, chance[:, None], ops.incidents.duration_s, out.incident)
    return out


def draw(plan: SimPlan, ops: schema.Operations, rng: np.random.Generator) -> Draws:
    """One day of disturbances from its own generator (1-D arrays)."""
    return draw_days(plan, ops, rng, 1).days(0)


def _block(plan: SimPlan, ops: schema.Operations, stream: np.random.SeedSequence,
           number: int, out: Draws | None = None) -> Draws:
    return draw_days(plan, ops, np.random.default_rng(child(stream, number)), BLOCK, out)


def draw_replications(plan: SimPlan, ops: schema.Operations, stream: np.random.SeedSequence,
                      replications: Sequence[int]) -> Draws:
    """The draws of these replications of ``stream``, a column each in the given order
    (each block they fall in drawn once, straight into its columns)."""
    reps = np.asarray(replications, dtype=np.int64)
    blocks = np.unique(reps // BLOCK)
    whole = _unset(plan, len(blocks) * BLOCK)
    for k, number in enumerate(blocks.tolist()):
        _block(plan, ops, stream, number, whole.days(slice(k * BLOCK, (k + 1) * BLOCK)))
    columns = np.searchsorted(blocks, reps // BLOCK) * BLOCK + reps % BLOCK
    if np.array_equal(columns, np.arange(len(blocks) * BLOCK)):
        return whole  # whole blocks in order (the usual chunk): no copy
    return whole.days(columns)


def each_replication(plan: SimPlan, ops: schema.Operations, stream: np.random.SeedSequence,
                     replications: Sequence[int]) -> Iterator[tuple[int, Draws]]:
    """Each replication with its day's draws (1-D), drawing each block once for a run
    of replications in the same block."""
    number, drawn = -1, None
    for r in replications:
        if r // BLOCK != number:
            number = r // BLOCK
            drawn = _block(plan, ops, stream, number)
        assert drawn is not None
        yield r, drawn.days(r % BLOCK)

"""Every random stream of a scenario, spawned from its one seed in one place.

``SeedSequence(scenario.simulation.seed)`` has one child per use — the simulated days,
the appraisal uncertainty draws and the Sobol sample — so no two uses share a stream,
and changing the seed changes all of them. (The tornado needs none: it evaluates each
input at exact quantiles of its distribution.) The simulated days draw from the
simulation stream's children, child ``b`` for the ``b``-th block of days
(:mod:`railsim.sim.draws`), whatever the number of workers.
Children are derived from spawn keys, not with the stateful ``SeedSequence.spawn``, so
asking twice gives the same stream (the simulation runs twice with dwell feedback).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

USES = ("simulation", "draws", "sobol")


def child(parent: np.random.SeedSequence, number: int) -> np.random.SeedSequence:
    """Child ``number`` of ``parent`` (the same as the ``number``-th one spawn would give).

    >>> root = np.random.SeedSequence(7)
    >>> child(root, 2).generate_state(1) == root.spawn(3)[2].generate_state(1)
    array([ True])
    """
    return np.random.SeedSequence(parent.entropy, spawn_key=(*parent.spawn_key, number),
                                  pool_size=parent.pool_size)


@dataclass(frozen=True)
class Streams:
    """The seed sequences of one scenario's random uses."""

    seed: int
    simulation: np.random.SeedSequence
    draws: np.random.SeedSequence
    sobol: np.random.SeedSequence

    @classmethod
    def of(cls, seed: int) -> Streams:
        root = np.random.SeedSequence(seed)
        return cls(seed, *(child(root, k) for k in range(len(USES))))

    def rng(self, use: str) -> np.random.Generator:
        """A fresh generator on one use's stream."""
        sequence: np.random.SeedSequence = getattr(self, use)
        return np.random.default_rng(sequence)

    def integer_seed(self, use: str) -> int:
        """A 32-bit seed from one use's stream, for libraries that take only an int."""
        sequence: np.random.SeedSequence = getattr(self, use)
        return int(sequence.generate_state(1)[0])

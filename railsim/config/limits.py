"""One bound on the work a scenario asks for, checked when it is validated.

Every field is bounded on its own, but products are not: a million uncertainty draws are
fine with five inputs and tens of gigabytes with two thousand. :func:`estimate` turns a
scenario into estimated computing time (one core) and peak memory of its largest arrays,
from the constants below (measured with ``benchmarks/run.py`` and ``/usr/bin/time`` on
the shipped scenarios); :func:`work_problem` refuses a scenario above the limits with a
message that says what drives the estimate and how to raise the limit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from railsim.errors import SettingError

if TYPE_CHECKING:  # not imported to run: the command line checks the limit factor first
    from railsim.config import schema

SECONDS_PER_STOP_EVENT = 20e-6
"""Simulating one train's stop in one replication (benchmarks/run.py)."""
SECONDS_PER_DRAW = 1e-4
"""Appraising one uncertainty draw, ridership included (benchmarks/run.py)."""
BYTES_PER_DRAW = 9_000
"""Peak memory per draw: 200,000 draws of a shipped scenario peak at about 1.9 GB."""
BYTES_PER_DRAW_INPUT = 24
"""The draws of one uncertain input and the arrays derived from them, per draw."""
BYTES_PER_LOGGED_EVENT = 200
"""One row of the full event log (``simulation.keep_event_log``)."""
SECONDS_PER_TORNADO_INPUT = 0.05
SOBOL_BASE_SAMPLES = 512
"""Saltelli base samples, as in railsim.appraisal.sensitivity.sobol_indices."""

MAX_SECONDS = 2 * 3600.0
MAX_BYTES = 4e9
LIMIT_VARIABLE = "RAILSIM_WORK_LIMIT"
"""Environment variable: a factor on both limits (``RAILSIM_WORK_LIMIT=4``: four times)."""


@dataclass(frozen=True)
class Estimate:
    """Estimated work of one scenario and what it comes from."""

    seconds: float
    bytes: float
    parts: tuple[str, ...]
    """What drives the estimate, e.g. "200 replications × 1,234 stop events"."""
    simulation_seconds: float = 0.0


def stop_events(scenario: schema.Scenario) -> int:
    """Train stops of one simulated weekday (the day the simulation runs)."""
    return sum(len(line.stations) * len(line.weekday.departure_times_s(line.clock_face))
               * (2 if line.both_directions else 1)
               for line in scenario.service.lines if line.weekday is not None)


def estimate(scenario: schema.Scenario) -> Estimate:
    """Computing time and peak memory of evaluating ``scenario``."""
    if scenario.is_do_minimum:
        return Estimate(0.0, 0.0, ())
    parts: list[str] = []
    sim = scenario.simulation
    events = stop_events(scenario)
    passes = 2 if scenario.operations.dwell_s_per_boarding > 0 else 1
    sim_seconds = passes * sim.replications * events * SECONDS_PER_STOP_EVENT
    sim_bytes = sim.replications * events * BYTES_PER_LOGGED_EVENT if sim.keep_event_log else 0
    if events:
        parts.append(f"{sim.replications:,} replications × {events:,} stop events"
                     + (" × 2 passes" if passes == 2 else ""))
    unc = scenario.uncertainty
    inputs = len(unc.inputs)
    per_row = BYTES_PER_DRAW + BYTES_PER_DRAW_INPUT * inputs
    draw_bytes = unc.draws * per_row
    seconds = sim_seconds + unc.draws * SECONDS_PER_DRAW * (1 + inputs / 20)
    parts.append(f"{unc.draws:,} uncertainty draws × {inputs:,} inputs")
    seconds += inputs * SECONDS_PER_TORNADO_INPUT
    sobol_bytes = 0.0
    if unc.sobol and inputs:
        rows = SOBOL_BASE_SAMPLES * (inputs + 2)
        sobol_bytes = rows * per_row
        seconds += rows * SECONDS_PER_DRAW * (1 + inputs / 20)
        parts.append(f"{rows:,} Sobol samples ({SOBOL_BASE_SAMPLES} × (inputs + 2))")
    return Estimate(seconds, max(sim_bytes, draw_bytes, sobol_bytes), tuple(parts), sim_seconds)


def limit_factor() -> float:
    """The factor of :data:`LIMIT_VARIABLE` (1 when unset or blank); a SettingError naming
    the variable when it is no number above zero (a setting of the command, not a fault of
    the scenario being checked)."""
    text = os.environ.get(LIMIT_VARIABLE, "")
    if not text.strip():
        return 1.0
    try:
        factor = float(text)
    except ValueError:
        factor = float("nan")
    if not 0 < factor < float("inf"):
        raise SettingError(LIMIT_VARIABLE, text, "not a finite number above zero",
                           f"a factor on the default limits of {_hours(MAX_SECONDS)} and "
                           f"{MAX_BYTES / 1e9:.0f} GB per scenario, e.g. 4; unset for the "
                           "defaults")
    return factor


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def work_problem(scenario: schema.Scenario) -> tuple[tuple[str, ...], str, str, str] | None:
    """``(field path, message, given, allowed)`` when the scenario asks for too much;
    SettingError when :data:`LIMIT_VARIABLE` is malformed."""
    factor = limit_factor()
    work = estimate(scenario)
    max_seconds, max_bytes = MAX_SECONDS * factor, MAX_BYTES * factor
    if work.seconds <= max_seconds and work.bytes <= max_bytes:
        return None
    over = []
    if work.seconds > max_seconds:
        over.append(f"about {_hours(work.seconds)} of computing (limit {_hours(max_seconds)})")
    if work.bytes > max_bytes:
        over.append(f"about {work.bytes / 1e9:.1f} GB of memory (limit "
                    f"{max_bytes / 1e9:.1f} GB)")
    simulation_heavy = work.simulation_seconds > work.seconds / 2 and work.bytes <= max_bytes
    path = ("simulation", "replications") if simulation_heavy else ("uncertainty", "draws")
    fewer = ("fewer simulation.replications or trains" if simulation_heavy else
             "fewer uncertainty.draws or inputs" + (", or sobol: false"
                                                    if scenario.uncertainty.sobol else ""))
    allowed = (f"{fewer}; or raise the limit with the environment variable "
               f"{LIMIT_VARIABLE} (a factor on the default {_hours(MAX_SECONDS)} and "
               f"{MAX_BYTES / 1e9:.0f} GB per scenario, e.g. {LIMIT_VARIABLE}=4)")
    return (path, "too much work for one scenario: " + " and ".join(over) + " estimated",
            "; ".join(work.parts), allowed)

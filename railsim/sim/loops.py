"""Infrastructure option search: the loop sets that make a pattern run, scored and sifted.

:func:`search_loops` finds the minimal working loop sets
(:func:`railsim.timetable.loops.find_feasible`), scores each — investment, scheduled
crossing waits, simulated punctuality (the vectorised engine, the scenario's
replications and seed), freight paths left free — and keeps the Pareto front: the sets
no other set beats on every one of cost, waits, punctuality and free freight paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from railsim.config import schema
from railsim.costs.model import passing_loop_cost_eur
from railsim.sim.montecarlo import simulate
from railsim.timetable.capacity import remaining_freight_paths
from railsim.timetable.loops import (
    Feasible,
    LoopSearchResult,
    Site,
    candidate_sites,
    find_feasible,
    loop_scenario,
    with_headway,
)

if TYPE_CHECKING:
    from railsim.corridor import Corridor


@dataclass(frozen=True)
class LoopOption:
    """One working loop set and how it performs."""

    sites: tuple[Site, ...]
    capex_eur: float
    crossing_wait_min: float
    """Planned crossing waits of the weekday passenger trips [min/day]."""
    punctuality_3min_pct: float
    """Simulated weekday arrivals less than 3 min late (mean over replications) [%]."""
    free_freight_paths: int
    """Freight paths still free on a weekday, 05–23, both directions, all lines used."""

    @property
    def loops(self) -> int:
        return len(self.sites)

    def yaml(self) -> str:
        """The fragment to paste into the scenario."""
        if not self.sites:
            return "infrastructure:\n  passing_loops: []   # none needed"
        rows = "\n".join(f"    - {{line: {s.line_id}, km: {s.km:g}}}"
                         + (f"   # at {s.station_id}" if s.station_id else "")
                         for s in self.sites)
        return "infrastructure:\n  passing_loops:\n" + rows

    def dominates(self, other: LoopOption) -> bool:
        mine = (self.capex_eur, self.crossing_wait_min, -self.punctuality_3min_pct,
                -self.free_freight_paths)
        theirs = (other.capex_eur, other.crossing_wait_min, -other.punctuality_3min_pct,
                  -other.free_freight_paths)
        return all(a <= b for a, b in zip(mine, theirs, strict=True)) and mine != theirs


@dataclass
class LoopSearch:
    """The outcome of :func:`search_loops`."""

    scenario: schema.Scenario
    """The pattern searched for (headway applied, the file's loops removed)."""
    search: LoopSearchResult
    options: list[LoopOption]
    """Every working set found, scored."""
    front: list[LoopOption]
    """The Pareto front, cheapest first."""

    @property
    def method(self) -> str:
        return self.search.method

    @property
    def binding(self) -> str | None:
        return self.search.binding

    def text(self) -> str:
        """A plain-text account: method, front and the YAML fragments."""
        s = self.search
        lines = [f"loop search for {self.scenario.name}: {len(s.sites)} candidate sites, "
                 f"{s.method}; {len(self.options)} working sets, {len(self.front)} on the "
                 f"front ({s.seconds:.1f} s)"]
        if not self.front:
            lines.append(f"nothing within the limits works: {s.binding}")
            return "\n".join(lines)
        lines.append(f"{'loops':>5} {'capex M€':>9} {'waits min/day':>14} "
                     f"{'punctual 3 min %':>17} {'free freight paths':>19}  sites")
        for o in self.front:
            lines.append(f"{o.loops:>5} {o.capex_eur / 1e6:>9.1f} {o.crossing_wait_min:>14.1f} "
                         f"{o.punctuality_3min_pct:>17.1f} {o.free_freight_paths:>19}  "
                         + ", ".join(x.label for x in o.sites))
        for k, o in enumerate(self.front, 1):
            lines.append(f"# option {k}: {o.loops} loops, {o.capex_eur / 1e6:.1f} M€")
            lines.append(o.yaml())
        return "\n".join(lines)


def score(feasible: Feasible, scenario: schema.Scenario, corridor: Corridor) -> LoopOption:
    """Cost, waits, simulated punctuality and free freight paths of a working set."""
    plan = feasible.plan
    day = "weekday" if "weekday" in plan.timetables else next(iter(plan.timetables))
    table = plan.timetables[day]
    waits = sum(t.crossing_wait_s for t in table.passenger_trips()) / 60
    result = simulate(plan, day, engine="vectorised")
    punctual = float(result.summary()["punctuality_3min_pct"].mean())
    free = sum(p.outward + p.inward for p in remaining_freight_paths(
        table, plan.network, loop_scenario(scenario, feasible.sites), corridor))
    return LoopOption(feasible.sites, feasible.capex_eur, waits, punctual, free)


def pareto_front(options: list[LoopOption]) -> list[LoopOption]:
    """The options no other option dominates, cheapest first."""
    front = [o for o in options if not any(p.dominates(o) for p in options)]
    return sorted(front, key=lambda o: (o.capex_eur, o.crossing_wait_min,
                                        -o.punctuality_3min_pct))


MAX_LOOPS = 12
"""Most new loops in a set the search tries (the sets grow combinatorially)."""
MIN_STEP_KM = 0.2
"""Closest spacing of candidate sites on plain line (a loop is about 400 m long)."""
HEADWAY_RANGE_MIN = (1.0, 720.0)
"""Headways a search may impose, as a scenario's day schedule allows them [min]."""


def check_search(headway_min: float | None, max_loops: int, step_km: float) -> None:
    """ValueError, saying what is allowed, for search limits out of range (nan too)."""
    low, high = HEADWAY_RANGE_MIN
    if headway_min is not None and not low <= headway_min <= high:
        raise ValueError(f"headway_min must be from {low:g} to {high:g} min; given "
                         f"{headway_min!r}")
    if not 0 <= max_loops <= MAX_LOOPS:
        raise ValueError(f"max_loops must be from 0 to {MAX_LOOPS}; given {max_loops!r}")
    if not step_km >= MIN_STEP_KM:
        raise ValueError(f"step_km must be at least {MIN_STEP_KM:g} km; given {step_km!r}")


def search_loops(scenario: schema.Scenario, corridor: Corridor, headway_min: float | None = None,
                 max_loops: int = 4, step_km: float = 1.0, exact_limit: int = 120,
                 budget: int = 60) -> LoopSearch:
    """The cheapest passing-loop sets that make the scenario's pattern (or every service
    every ``headway_min``, all day) run with its freight, scored and on a Pareto front.

    The scenario's own passing loops are replaced by each set tried; its other
    infrastructure stays. Simulation uses the vectorised engine with the scenario's
    ``simulation`` settings (the dispatching must be timetable order). Limits out of
    range are a ValueError (:func:`check_search`).
    """
    check_search(headway_min, max_loops, step_km)
    if headway_min is not None:
        scenario = with_headway(scenario, headway_min)
    if scenario.operations.dispatching != "timetable_order":
        scenario = scenario.model_copy(update={"operations": scenario.operations.model_copy(
            update={"dispatching": "timetable_order"})})
    scenario = loop_scenario(scenario, ())
    sites = candidate_sites(scenario, corridor, passing_loop_cost_eur(scenario, corridor),
                            step_km)
    found = find_feasible(scenario, corridor, sites, max_loops, exact_limit, budget)
    options = [score(f, scenario, corridor) for f in found.feasible]
    return LoopSearch(scenario, found, options, pareto_front(options))

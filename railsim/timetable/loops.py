"""Which passing loops make a service pattern run: candidate sites and feasible loop sets.

A planner of a single-track reopening first asks where loops must go for the wanted
clock-face service to run together with the freight. This module answers the
feasibility part; :mod:`railsim.sim.loops` scores the sets that work (simulated
punctuality, freight paths left) and keeps the Pareto front.

* **Sites** (:func:`candidate_sites`): stations and historic stations on the single-track
  lines the services use, and every ``step_km`` of plain line between them; each costs
  the ``passing_loop`` unit cost (with contingency and the capex multiplier).
* **Block bound** (pruning, always): with ``n`` trains each way every ``H`` seconds, a
  block that needs ``w`` seconds per train each way (:mod:`railsim.timetable.cyclic`)
  piles up ``w − H`` of waiting per period, shared by the two directions, so it must
  satisfy ``w ≤ H + 2·tolerance/(n − 1)``. Loop sets are enumerated line by line in
  kilometre order, so a block that fails cuts off every set containing it.
* **Minimality** (pruning, always): a set containing a smaller set that works is never
  needed for feasibility, so it is not considered.
* **Confirmation** (always): the timetable builder (every day type, freight, platforms)
  decides; a set is reported only if :func:`~railsim.timetable.plan.plan_service`
  builds it.
* **Exact or heuristic**: when the candidates left after pruning are few enough
  (``exact_limit``), every one is confirmed (exhaustive: every minimal working set with
  at most ``max_loops`` loops on the sites is found). Otherwise the periodic crossing
  model (:mod:`railsim.timetable.cyclic`) screens them and the ones it passes, ranked by
  number of loops, are confirmed up to ``budget`` builds (heuristic: a working set the
  screen rejects, or beyond the budget, is missed).
"""

from __future__ import annotations

import itertools
import math
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from railsim.config import schema
from railsim.network import Network
from railsim.timetable.build import (
    TimetableError,
    blocks_of,
    make_template,
    train_for,
)
from railsim.timetable.cyclic import window, windows_feasible
from railsim.timetable.model import Template

if TYPE_CHECKING:
    from railsim.corridor import Corridor
    from railsim.timetable.plan import ServicePlan

STEADY_RUN = 8
"""Consecutive departures at one headway from which the periodic model screens a set."""

MERGE_KM = 0.3
"""A loop this close to a station is at the station (as :class:`~railsim.network.Network`
places it)."""


@dataclass(frozen=True)
class Site:
    """A place a passing loop could be built."""

    line_id: str
    km: float
    station_id: str | None
    kind: str
    """``station`` (a stop or station today), ``historic station`` or ``plain line``."""
    cost_eur: float

    @property
    def label(self) -> str:
        where = f" ({self.station_id})" if self.station_id else ""
        return f"{self.line_id} km {self.km:g}{where}"


@dataclass
class Feasible:
    """A loop set the builder confirmed, with its plan."""

    sites: tuple[Site, ...]
    plan: ServicePlan

    @property
    def capex_eur(self) -> float:
        return sum(s.cost_eur for s in self.sites)


@dataclass
class LoopSearchResult:
    """The working loop sets found and how they were found."""

    method: str
    """``exhaustive`` or ``heuristic``, with what was pruned or screened."""
    feasible: list[Feasible]
    sites: list[Site]
    candidates: int
    """Loop sets left after pruning."""
    confirmed: int
    """Sets the builder was asked about."""
    seconds: float
    binding: str | None = None
    """When nothing works: what binds."""
    rejections: Counter[str] = field(default_factory=Counter)


def loop_scenario(scenario: schema.Scenario, sites: tuple[Site, ...]) -> schema.Scenario:
    """The scenario with exactly these passing loops (its own replaced)."""
    loops = [schema.PassingLoop(line=s.line_id, km=s.km) for s in sites]
    infra = scenario.infrastructure.model_copy(update={"passing_loops": loops})
    return scenario.model_copy(update={"infrastructure": infra})


def with_headway(scenario: schema.Scenario, headway_min: float) -> schema.Scenario:
    """Every service line, every day type, every ``headway_min`` all day (peaks dropped)."""
    lines = []
    for svc in scenario.service.lines:
        update: dict[str, schema.DaySchedule | None] = {}
        for day in ("weekday", "saturday", "sunday"):
            schedule: schema.DaySchedule | None = getattr(svc, day)
            if schedule is not None:
                update[day] = schedule.model_copy(update={"headway_min": headway_min,
                                                          "peaks": []})
        lines.append(svc.model_copy(update=update))
    service = scenario.service.model_copy(update={"lines": lines})
    return scenario.model_copy(update={"service": service})


def _termini(scenario: schema.Scenario) -> set[str]:
    return {st for svc in scenario.service.lines for st in (svc.stations[0], svc.stations[-1])}


def _fixed_points(network: Network, termini: set[str]) -> dict[str, list[float]]:
    """Crossing points that exist whatever the loops: as :func:`blocks_of` makes them."""
    out = {}
    for line_id in network.lines:
        points = {round(p.km, 3) for p in network.crossing_points.get(line_id, [])}
        for st in termini:
            km = network.positions.get(st, {}).get(line_id)
            if km is not None:
                points.add(round(km, 3))
        points |= {0.0, round(network.line_length_km(line_id), 3)}
        out[line_id] = sorted(points)
    return out


def candidate_sites(scenario: schema.Scenario, corridor: Corridor, cost_eur: float,
                    step_km: float = 1.0) -> list[Site]:
    """Stations, historic stations and every ``step_km`` of plain single track on the lines
    the services use, where no crossing point is today; each site costs ``cost_eur`` (one
    loop's investment, priced by :func:`railsim.costs.model.passing_loop_cost_eur`)."""
    base = loop_scenario(scenario, ())
    network = Network.build(corridor, base)
    fixed = _fixed_points(network, _termini(base))
    used = {leg.line_id for svc in base.service.lines
            for leg in network.route(list(svc.stations))}
    sites: list[Site] = []
    for line_id in sorted(used):
        length = network.line_length_km(line_id)
        # the part of the line the services run over
        kms = [km for svc in base.service.lines for st in svc.stations
               if (km := network.positions.get(st, {}).get(line_id)) is not None]
        lo, hi = min(kms), max(kms)
        taken = list(fixed[line_id])
        here: list[Site] = []
        for station_id, on in sorted(network.positions.items()):
            km = on.get(line_id)
            if km is None or not lo < km < hi or not network.is_single_track(line_id, km):
                continue
            if any(abs(km - t) < MERGE_KM for t in taken):
                continue
            kind = network.stations[station_id].kind if station_id in network.stations else ""
            here.append(Site(line_id, round(km, 3), station_id,
                             "historic station" if kind == "historic" else "station", cost_eur))
        taken += [s.km for s in here]
        k = 1
        while k * step_km < length:
            km = round(k * step_km, 3)
            k += 1
            if not lo < km < hi or not network.is_single_track(line_id, km):
                continue
            if any(abs(km - t) < MERGE_KM for t in taken):
                continue
            here.append(Site(line_id, km, None, "plain line", cost_eur))
        sites += sorted(here, key=lambda s: s.km)
    return sites


@dataclass
class _Pattern:
    """One service line on one day type: the headways to check and the trip times at
    every point it passes (all sites as timing points)."""

    headways: list[tuple[float, int]]
    """(headway [s], most consecutive departures at it)."""
    forward: dict[str, tuple[int, dict[float, tuple[float, float]]]]
    """line → (direction, km → (arrival, departure) offsets)."""
    backward: dict[str, tuple[int, dict[float, tuple[float, float]]]] | None


def _times(template: Template, network: Network) -> dict[str, tuple[int, dict[float, tuple[
        float, float]]]]:
    """Per line: the trip's direction on it and its times at each point it passes there."""
    out: dict[str, tuple[int, dict[float, tuple[float, float]]]] = {}
    last_km: dict[str, float] = {}
    for st in template.stops:
        km_on: dict[str, float] = {st.line_id: round(st.line_km, 3)}
        for line, km in network.positions.get(st.station_id, {}).items():
            km_on.setdefault(line, round(km, 3))
        for line, km in km_on.items():
            _, table = out.setdefault(line, (0, {}))
            table[km] = (st.arrival_s, st.departure_s)
            if line in last_km and km != last_km[line]:
                out[line] = (1 if km > last_km[line] else -1, table)
            last_km[line] = km
    return out


def _runs(day: schema.DaySchedule, clock_face: bool) -> list[tuple[float, int]]:
    """Each headway used in the day and its longest run of consecutive departures."""
    times = day.departure_times_s(clock_face)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    best: dict[float, int] = {}
    run = 0
    for k, gap in enumerate(gaps):
        run = run + 1 if k and gap == gaps[k - 1] else 1
        best[float(gap)] = max(best.get(float(gap), 0), run + 1)
    return sorted(best.items())


class Screen:
    """Block bound and periodic crossing model for loop sets, from the trip times."""

    def __init__(self, scenario: schema.Scenario, corridor: Corridor, sites: list[Site]
                 ) -> None:
        self.scenario = scenario
        self.ops = scenario.operations
        self.tolerance = self.ops.max_crossing_wait_min * 60
        self.buffer = self.ops.crossing_buffer_s
        everywhere = loop_scenario(scenario, tuple(sites))
        network = Network.build(corridor, everywhere)
        self.network = network
        base_network = Network.build(corridor, loop_scenario(scenario, ()))
        self.fixed = _fixed_points(base_network, _termini(scenario))
        blocks = blocks_of(network, _termini(scenario))
        train = train_for(corridor.by_key("rolling_stock")[scenario.rolling_stock.type],
                          scenario.rolling_stock.units_per_train_peak)
        self.patterns: list[_Pattern] = []
        for svc in scenario.service.lines:
            forward = make_template(network, list(svc.stations), train, self.ops, blocks)
            backward = (make_template(network, list(reversed(svc.stations)), train, self.ops,
                                      blocks) if svc.both_directions else None)
            for day_type in ("weekday", "saturday", "sunday"):
                day = getattr(svc, day_type)
                if day is None:
                    continue
                self.patterns.append(_Pattern(
                    _runs(day, svc.clock_face), _times(forward, network),
                    _times(backward, network) if backward is not None else None))
        self._single: dict[tuple[str, float, float], bool] = {}

    def single_track(self, line_id: str, a: float, b: float) -> bool:
        key = (line_id, a, b)
        if key not in self._single:
            self._single[key] = any(s.tracks == 1 for s in
                                    self.network.sections_between(line_id, a, b))
        return self._single[key]

    def _traversal(self, times: tuple[int, dict[float, tuple[float, float]]], a: float,
                   b: float) -> tuple[float, float] | None:
        direction, table = times
        if a not in table or b not in table:
            return None
        first, last = (a, b) if direction >= 0 else (b, a)
        return table[first][1], table[last][0]

    def block_ok(self, line_id: str, a: float, b: float) -> bool:
        """The block bound for the block between points ``a`` and ``b`` of a line."""
        if not self.single_track(line_id, a, b):
            return True
        for pattern in self.patterns:
            fwd = pattern.forward.get(line_id)
            f = self._traversal(fwd, a, b) if fwd is not None else None
            if f is None:
                continue
            need = f[1] - f[0] + self.buffer
            if pattern.backward is not None and line_id in pattern.backward:
                back = self._traversal(pattern.backward[line_id], a, b)
                if back is not None:
                    need += back[1] - back[0] + self.buffer
            for headway, n in pattern.headways:
                if need > headway + 2 * self.tolerance / max(n - 1, 1):
                    return False
        return True

    def periodic_ok(self, points: dict[str, list[float]]) -> bool:
        """The periodic crossing model for every headway run over at least
        :data:`STEADY_RUN` departures (a short peak need not reach the steady state)."""
        for pattern in self.patterns:
            if pattern.backward is None:
                continue
            entries = []
            for line_id, kms in points.items():
                fwd, back = pattern.forward.get(line_id), pattern.backward.get(line_id)
                if fwd is None or back is None:
                    continue
                for a, b in itertools.pairwise(kms):
                    if not self.single_track(line_id, a, b):
                        continue
                    f, r = self._traversal(fwd, a, b), self._traversal(back, a, b)
                    if f is None or r is None:
                        continue
                    entries.append((f[0], window(f[0], f[1], r[0], r[1], self.buffer)))
            windows = [w for _, w in sorted(entries, key=lambda e: e[0])]
            for headway, n in pattern.headways:
                if n >= STEADY_RUN and not windows_feasible(windows, headway,
                                                            self.tolerance):
                    return False
        return True


def _line_sets(screen: Screen, line_id: str, sites: list[Site], max_loops: int
               ) -> Iterator[tuple[Site, ...]]:
    """Subsets of a line's sites (at most ``max_loops``) whose every block passes the block
    bound, by depth-first search in kilometre order."""
    fixed = screen.fixed[line_id]
    stops = sorted([(km, None) for km in fixed] + [(s.km, s) for s in sites],
                   key=lambda p: p[0])

    def walk(i: int, chosen: tuple[Site, ...]) -> Iterator[tuple[Site, ...]]:
        if i == len(stops) - 1:
            yield chosen
            return
        here = stops[i][0]
        for j in range(i + 1, len(stops)):
            km, site = stops[j]
            # a block's need grows with its length: once one fails, longer ones fail too
            if not screen.block_ok(line_id, here, km):
                return
            if site is None:
                yield from walk(j, chosen)
                return  # a crossing point that exists cannot be skipped
            if len(chosen) < max_loops:
                yield from walk(j, (*chosen, site))

    yield from walk(0, ())


# TODO: split (exhaustive walk, screened walk, confirmation) below ruff's C901 limit.
def find_feasible(scenario: schema.Scenario, corridor: Corridor, sites: list[Site],  # noqa: C901
                  max_loops: int = 4, exact_limit: int = 120, budget: int = 60
                  ) -> LoopSearchResult:
    """Minimal loop sets (at most ``max_loops`` of ``sites``) that the builder confirms."""
    from railsim.timetable.plan import plan_service

    started = time.perf_counter()
    screen = Screen(scenario, corridor, sites)
    by_line: dict[str, list[Site]] = {}
    for s in sites:
        by_line.setdefault(s.line_id, []).append(s)
    lines = sorted(screen.fixed)

    def points(c: tuple[Site, ...], only: list[str]) -> dict[str, list[float]]:
        return {line: sorted({*screen.fixed[line], *(s.km for s in c if s.line_id == line)})
                for line in only}

    # each line's sets by number of loops (block bound applied)
    options: dict[str, dict[int, list[tuple[Site, ...]]]] = {}
    for line in lines:
        options[line] = {}
        for c in _line_sets(screen, line, by_line.get(line, []), max_loops):
            options[line].setdefault(len(c), []).append(c)
    splits = [split for split in itertools.product(*(sorted(options[line]) for line in lines))
              if sum(split) <= max_loops]
    total = sum(math.prod(len(options[line][k]) for line, k in zip(lines, split, strict=True))
                for split in splits)
    exhaustive = total <= exact_limit
    if not exhaustive:
        # the periodic model on one line's blocks is a necessary part of the whole
        for line in lines:
            for k in options[line]:
                options[line][k] = [c for c in options[line][k]
                                    if screen.periodic_ok(points(c, [line]))]

    def in_order() -> Iterator[tuple[Site, ...]]:
        """Candidate sets, fewest loops first (those the screens let through)."""
        for size in range(max_loops + 1):
            for split in splits:
                if sum(split) != size:
                    continue
                for combo in itertools.product(*(options[line][k]
                                                 for line, k in zip(lines, split,
                                                                    strict=True))):
                    c = tuple(itertools.chain(*combo))
                    if exhaustive or screen.periodic_ok(points(c, lines)):
                        yield c

    feasible: list[Feasible] = []
    rejections: Counter[str] = Counter()
    confirmed = considered = 0
    for c in in_order():
        if not exhaustive and confirmed >= budget:
            break
        if any(set(f.sites) <= set(c) for f in feasible):
            continue  # not minimal
        considered += 1
        confirmed += 1
        try:
            plan = plan_service(loop_scenario(scenario, c), corridor)
        except TimetableError as exc:
            rejections[str(exc.where[0]) if exc.where else "conflict"] += 1
            continue
        feasible.append(Feasible(c, plan))
    if exhaustive:
        method = (f"exhaustive: every one of the {total} loop sets of up to {max_loops} loops "
                  f"left by the block bound was built unless it contained a working set "
                  f"({confirmed} built)")
    else:
        method = (f"heuristic: of {total} loop sets left by the block bound, those passing "
                  f"the periodic crossing model were built fewest loops first, up to "
                  f"{budget} ({confirmed} built)")
    result = LoopSearchResult(method, feasible, sites, total, confirmed,
                              time.perf_counter() - started, rejections=rejections)
    if not feasible:
        result.binding = _binding(screen, sites, max_loops, rejections, total > 0)
    return result


def _binding(screen: Screen, sites: list[Site], max_loops: int, rejections: Counter[str],
             any_candidate: bool) -> str:
    """What keeps every set within the limits from working."""
    if not any_candidate:
        worst = [line for line in sorted(screen.fixed)
                 if not any(True for _ in _line_sets(
                     screen, line, [s for s in sites if s.line_id == line], max_loops))]
        return ("the longest block binds: with at most "
                f"{max_loops} loops on line(s) {', '.join(worst) or '?'} some block still "
                "needs more time for one train each way than the headway gives "
                "(more loops, a longer headway or faster running)")
    if rejections.get("freight"):
        return ("freight binds: the passenger pattern fits but a freight path does not "
                "(operations.freight_path_flex_min, freight_max_wait_min)")
    if rejections.get("platforms"):
        return "Lahti's platform tracks bind (operations.lahti_platform_tracks)"
    return ("the crossings bind: the blocks are short enough, but the meets of the pattern "
            "do not fall at the loops of any set tried (more loops or another headway)")

"""Monte Carlo replications of a planned day and their statistics.

Replication ``r`` takes its draws from its block of days (:mod:`railsim.sim.draws`) on
the scenario's simulation stream (:mod:`railsim.streams`): the same seed gives the same
results whatever the number of workers or the order replications finish in.
Aggregates are accumulated as integers (milliseconds and counts), whose sums do not
depend on grouping, so merged results are bit-identical for any split into worker
chunks. Memory stays flat in the number of replications apart from six summary numbers
per replication (for distributions); full event logs are kept only when asked.
"""

from __future__ import annotations

import contextlib
import itertools
import math
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from railsim import outputs
from railsim.config import schema
from railsim.parallel import is_warm, worker_pool
from railsim.sim.draws import BLOCK, each_replication, no_draws
from railsim.sim.engine import DaySimulator
from railsim.sim.plan import SimPlan, compile_plan
from railsim.streams import Streams
from railsim.timetable.plan import ServicePlan

if TYPE_CHECKING:
    import pandas as pd

# The punctuality KPIs follow the Finnish definitions: a commuter train is on time less
# than 3 min late, a long-distance train at most 5 min late (Väylävirasto, "Railway
# statistics", vayla.fi/transport-network/data/statistics/railway-statistics). The
# statistics count trains at their terminal; railsim counts every passenger arrival at a
# station, and both thresholds as "less than". They define the KPI names
# (punctuality_3min_pct, punctuality_5min_pct), so they are not scenario settings.
ON_TIME_3MIN_S = 180.0
ON_TIME_5MIN_S = 300.0

# Column name → meaning of replications.csv, declared in railsim/outputs/.
SUMMARY_COLUMNS = outputs.descriptions("replications.csv")


_T_975 = (12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004,
          2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.13145, 2.119905,
          2.109816, 2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899,
          2.059539, 2.055529, 2.051831, 2.048407, 2.04523, 2.042272)
"""Student's t 97.5 % quantiles for 1-30 degrees of freedom (scipy.stats.t.ppf, 6 decimals)."""


def t_975(df: int) -> float:
    """The 97.5 % quantile of Student's t with ``df`` degrees of freedom (the half-width
    factor of a 95 % confidence interval): a table to 30, beyond it the Cornish-Fisher
    series to 1/df^4 (within 1e-7). Not scipy.stats: importing it costs each process
    about a second.

    >>> round(t_975(4), 4), round(t_975(199), 4)
    (2.7764, 1.972)
    """
    if df < 1:
        raise ValueError(f"degrees of freedom must be >= 1, got {df}")
    if df <= len(_T_975):
        return _T_975[df - 1]
    z, v = 1.959963984540054, float(df)
    return (z + (z ** 3 + z) / (4 * v) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * v ** 2)
            + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * v ** 3)
            + (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z)
            / (92160 * v ** 4))

@dataclass
class _Index:
    """Precomputed positions in the flat arrays."""

    arrival_idx: np.ndarray  # passenger served arrivals (not origins)
    scheduled_arrival: np.ndarray
    station_of_arrival: np.ndarray
    stations: list[str]
    passenger_trips: np.ndarray
    pair_dep: np.ndarray
    pair_arr: np.ndarray
    pair_id: np.ndarray
    pairs: list[tuple[str, str]]
    scheduled_pair_s: np.ndarray


def _index(plan: SimPlan) -> _Index:
    arrivals, scheduled, station_ids = [], [], []
    stations: dict[str, int] = {}
    pair_dep, pair_arr, pair_id, sched = [], [], [], []
    pairs: dict[tuple[str, str], int] = {}
    passenger = []
    for i, tp in enumerate(plan.trips):
        if tp.kind != "passenger":
            continue
        passenger.append(i)
        served = [k for k in range(len(tp.stations)) if tp.served[k]]
        for k in served[1:]:
            arrivals.append(tp.first_stop + k)
            scheduled.append(tp.arrival_s[k])
            station_ids.append(stations.setdefault(tp.stations[k], len(stations)))
        for a_pos, a in enumerate(served):
            for b in served[a_pos + 1:]:
                key = (tp.stations[a], tp.stations[b])
                pair_dep.append(tp.first_stop + a)
                pair_arr.append(tp.first_stop + b)
                pair_id.append(pairs.setdefault(key, len(pairs)))
                sched.append(tp.arrival_s[b] - tp.departure_s[a])
    pair_ids = np.array(pair_id, dtype=int)
    scheduled_sum = np.bincount(pair_ids, weights=np.array(sched), minlength=len(pairs))
    counts = np.bincount(pair_ids, minlength=len(pairs))
    return _Index(np.array(arrivals, dtype=int), np.array(scheduled), np.array(station_ids,
                  dtype=int), list(stations), np.array(passenger, dtype=int),
                  np.array(pair_dep, dtype=int), np.array(pair_arr, dtype=int), pair_ids,
                  list(pairs), scheduled_sum / np.maximum(counts, 1))


@dataclass
class _Partial:
    """Integer aggregates of some replications (sums commute exactly)."""

    summaries: list[tuple[int, float, float, float, float, float, float]] = field(
        default_factory=list)
    station_arrivals: np.ndarray | None = None
    station_on_time_3: np.ndarray | None = None
    station_on_time_5: np.ndarray | None = None
    station_delay_ms: np.ndarray | None = None
    pair_ms: np.ndarray | None = None
    pair_count: np.ndarray | None = None
    pair_rep_mean_ms: np.ndarray | None = None
    """Sum over replications of each replication's mean time per pair [ms, rounded]."""
    pair_rep_mean_sq: np.ndarray | None = None
    """Sum of squares of the same (for confidence intervals)."""
    events: list[tuple[int, int, float, float]] = field(default_factory=list)

    def add(self, other: _Partial) -> None:
        self.summaries.extend(other.summaries)
        self.events.extend(other.events)
        for name in ("station_arrivals", "station_on_time_3", "station_on_time_5",
                     "station_delay_ms", "pair_ms", "pair_count", "pair_rep_mean_ms",
                     "pair_rep_mean_sq"):
            mine, theirs = getattr(self, name), getattr(other, name)
            setattr(self, name, theirs.copy() if mine is None else mine + theirs)


ENGINES = ("simpy", "vectorised")
VECTOR_CHUNK = 16 * BLOCK
"""Replications the vectorised engine runs at once (bounds its memory): whole blocks of
draws, so each block is drawn once."""


def engine_for(simulation: schema.Simulation, ops: schema.Operations) -> str:
    """The engine that runs: ``auto`` takes the vectorised one where it gives the SimPy
    engine's times (timetable-order dispatching), SimPy otherwise."""
    if simulation.engine == "auto":
        return "vectorised" if ops.dispatching == "timetable_order" else "simpy"
    if simulation.engine == "vectorised" and ops.dispatching != "timetable_order":
        raise ValueError("the vectorised engine needs operations.dispatching: timetable_order "
                         "(first come first served depends on the draws: use simpy)")
    return simulation.engine


def _empty_partial(index: _Index) -> _Partial:
    n_st, n_pairs = len(index.stations), len(index.pairs)
    return _Partial(station_arrivals=np.zeros(n_st, np.int64),
                    station_on_time_3=np.zeros(n_st, np.int64),
                    station_on_time_5=np.zeros(n_st, np.int64),
                    station_delay_ms=np.zeros(n_st, np.int64),
                    pair_ms=np.zeros(n_pairs, np.int64), pair_count=np.zeros(n_pairs, np.int64),
                    pair_rep_mean_ms=np.zeros(n_pairs, np.int64),
                    pair_rep_mean_sq=np.zeros(n_pairs, np.int64))


def _run_chunk(plan: SimPlan, ops: schema.Operations, stream: np.random.SeedSequence,
               replications: list[int], keep_events: bool, deterministic: bool = False,
               engine: str = "simpy") -> _Partial:
    if engine == "vectorised":
        return _run_vectorised(plan, ops, stream, replications, keep_events, deterministic)
    index = _index(plan)
    n_st, n_pairs = len(index.stations), len(index.pairs)
    part = _empty_partial(index)
    model = DaySimulator(plan, ops.dispatching)
    for r, draws in each_replication(plan, ops, stream, replications):
        day = model.run(no_draws(plan) if deterministic else draws)
        delay = np.maximum(day.actual_arrival[index.arrival_idx] - index.scheduled_arrival, 0.0)
        on3, on5 = delay < ON_TIME_3MIN_S, delay < ON_TIME_5MIN_S
        trips = index.passenger_trips
        part.summaries.append((
            r, 100 * float(on3.mean()) if len(delay) else 100.0,
            100 * float(on5.mean()) if len(delay) else 100.0,
            float(delay.mean()) if len(delay) else 0.0,
            float(np.quantile(delay, 0.9)) if len(delay) else 0.0,
            float(day.primary_s[trips].mean()) if len(trips) else 0.0,
            float(day.secondary_s[trips].mean()) if len(trips) else 0.0,
        ))
        st = index.station_of_arrival
        assert part.station_arrivals is not None and part.station_on_time_3 is not None
        assert part.station_on_time_5 is not None and part.station_delay_ms is not None
        assert part.pair_ms is not None and part.pair_count is not None
        part.station_arrivals += np.bincount(st, minlength=n_st)
        part.station_on_time_3 += np.bincount(st, weights=on3, minlength=n_st).astype(np.int64)
        part.station_on_time_5 += np.bincount(st, weights=on5, minlength=n_st).astype(np.int64)
        part.station_delay_ms += np.round(np.bincount(st, weights=delay * 1000,
                                                      minlength=n_st)).astype(np.int64)
        realised = day.actual_arrival[index.pair_arr] - day.actual_departure[index.pair_dep]
        rep_sum = np.bincount(index.pair_id, weights=realised * 1000, minlength=n_pairs)
        rep_count = np.bincount(index.pair_id, minlength=n_pairs)
        part.pair_ms += np.round(rep_sum).astype(np.int64)
        part.pair_count += rep_count
        assert part.pair_rep_mean_ms is not None and part.pair_rep_mean_sq is not None
        rep_mean = np.round(rep_sum / np.maximum(rep_count, 1)).astype(np.int64)
        part.pair_rep_mean_ms += rep_mean
        part.pair_rep_mean_sq += rep_mean * rep_mean
        if keep_events:
            part.events.extend((r, k, float(day.actual_arrival[k]), float(day.actual_departure[k]))
                               for k in range(plan.n_stops))
    return part


class _Groups:
    """Rows of the recursion's stop × replication layout, sorted so that each station's
    arrivals and each station pair's trips are consecutive: their per-replication sums
    are then one ``np.add.reduceat`` (a fixed order of additions for every replication,
    whatever the chunk; no BLAS threads)."""

    def __init__(self, index: _Index) -> None:
        by_station = np.argsort(index.station_of_arrival, kind="stable")
        self.arrival_idx = index.arrival_idx[by_station]
        self.scheduled = index.scheduled_arrival[by_station][:, None]
        self.station_starts = _starts(index.station_of_arrival[by_station])
        by_pair = np.argsort(index.pair_id, kind="stable")
        self.pair_arr, self.pair_dep = index.pair_arr[by_pair], index.pair_dep[by_pair]
        self.pair_starts = _starts(index.pair_id[by_pair])


def _starts(sorted_ids: np.ndarray) -> np.ndarray:
    """First position of each id in a sorted array of ids 0..n-1 (each present)."""
    if not len(sorted_ids):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])


def _run_vectorised(plan: SimPlan, ops: schema.Operations, stream: np.random.SeedSequence,
                    replications: list[int], keep_events: bool, deterministic: bool) -> _Partial:
    """The statistics of :func:`_run_chunk`, computed for many replications at once."""
    from railsim.sim.draws import draw_replications
    from railsim.sim.vectorised import Recursion

    index = _index(plan)
    groups = _Groups(index)
    part = _empty_partial(index)
    recursion = Recursion(plan)
    pair_count = np.bincount(index.pair_id, minlength=len(index.pairs))
    station_count = np.bincount(index.station_of_arrival, minlength=len(index.stations))
    trips = index.passenger_trips
    for _, group in itertools.groupby(replications, lambda r: r // VECTOR_CHUNK):
        reps = list(group)
        draws = draw_replications(plan, ops, stream, reps)
        if deterministic:
            for name in ("departure_delay", "dwell_delay", "run_delay", "incident"):
                getattr(draws, name)[:] = 0.0
        arrival, departure, primary_s, secondary_s = recursion.columns(draws)
        # arrival × replication, each station's arrivals consecutive
        delay = np.maximum(arrival[groups.arrival_idx] - groups.scheduled, 0.0)
        on3, on5 = delay < ON_TIME_3MIN_S, delay < ON_TIME_5MIN_S
        n = len(reps)
        if delay.shape[0]:
            p3, p5 = 100 * on3.mean(axis=0), 100 * on5.mean(axis=0)
            # a replication's delays contiguous: the quantile's partition is quicker
            mean = delay.mean(axis=0)
            p90 = np.quantile(np.ascontiguousarray(delay.T), 0.9, axis=1)
        else:
            p3 = p5 = np.full(n, 100.0)
            mean = p90 = np.zeros(n)
        primary = primary_s[trips].mean(axis=0) if len(trips) else np.zeros(n)
        secondary = secondary_s[trips].mean(axis=0) if len(trips) else np.zeros(n)
        part.summaries.extend(zip(reps, p3.tolist(), p5.tolist(), mean.tolist(), p90.tolist(),
                                  primary.tolist(), secondary.tolist(), strict=True))
        assert part.station_arrivals is not None and part.station_on_time_3 is not None
        assert part.station_on_time_5 is not None and part.station_delay_ms is not None
        assert part.pair_ms is not None and part.pair_count is not None
        assert part.pair_rep_mean_ms is not None and part.pair_rep_mean_sq is not None
        part.station_arrivals += station_count * n
        if delay.shape[0]:
            starts = groups.station_starts
            part.station_on_time_3 += np.add.reduceat(on3.sum(axis=1), starts)
            part.station_on_time_5 += np.add.reduceat(on5.sum(axis=1), starts)
            part.station_delay_ms += np.round(np.add.reduceat(delay * 1000, starts, axis=0)
                                              ).astype(np.int64).sum(axis=1)
        if len(groups.pair_arr):
            realised = arrival[groups.pair_arr] - departure[groups.pair_dep]
            realised *= 1000
            rep_sum = np.add.reduceat(realised, groups.pair_starts, axis=0)
            part.pair_ms += np.round(rep_sum).astype(np.int64).sum(axis=1)
            part.pair_count += pair_count * n
            rep_mean = np.round(rep_sum / np.maximum(pair_count, 1)[:, None]).astype(np.int64)
            part.pair_rep_mean_ms += rep_mean.sum(axis=1)
            part.pair_rep_mean_sq += (rep_mean * rep_mean).sum(axis=1)
        if keep_events:
            for col, r in enumerate(reps):
                part.events.extend((r, k, float(arrival[k, col]), float(departure[k, col]))
                                   for k in range(plan.n_stops))
    return part


@dataclass
class SimResult:
    """Statistics of the replications of one day type."""

    plan: SimPlan
    index: _Index
    partial: _Partial

    @property
    def replications(self) -> int:
        return len(self.partial.summaries)

    def summary(self) -> pd.DataFrame:
        """One row per replication; columns in :data:`SUMMARY_COLUMNS`."""
        import pandas as pd

        rows = sorted(self.partial.summaries)
        return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))

    def kpis(self) -> list[dict[str, object]]:
        """Long-format KPIs: mean, p10, p50, p90 and a 95 % confidence interval of the mean
        (Student's t over the simulated days, kept inside what the quantity can be: 0–100 %
        for shares, ≥ 0 s for delays; NaN from a single day, which has no spread)."""
        frame = self.summary()
        units = {"punctuality_3min_pct": "%", "punctuality_5min_pct": "%",
                 "mean_delay_s": "s", "p90_delay_s": "s", "primary_delay_s": "s",
                 "secondary_delay_s": "s"}
        rows: list[dict[str, object]] = []
        n = len(frame)
        factor = t_975(n - 1) if n > 1 else math.nan
        for variable, unit in units.items():
            values = frame[variable].to_numpy(dtype=float)
            mean = float(values.mean())
            half = factor * float(values.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
            top = 100.0 if unit == "%" else math.inf
            stats = {"mean": mean, "p10": float(np.quantile(values, 0.1)),
                     "p50": float(np.quantile(values, 0.5)),
                     "p90": float(np.quantile(values, 0.9)),
                     "ci95_low": max(mean - half, 0.0) if n > 1 else math.nan,
                     "ci95_high": min(mean + half, top) if n > 1 else math.nan}
            rows += [{"variable": variable, "unit": unit, "statistic": k, "value": v}
                     for k, v in stats.items()]
        return rows

    def by_station(self) -> pd.DataFrame:
        """Punctuality and mean delay per station over all replications."""
        import pandas as pd

        p = self.partial
        assert p.station_arrivals is not None and p.station_on_time_3 is not None
        assert p.station_on_time_5 is not None and p.station_delay_ms is not None
        arrivals = np.maximum(p.station_arrivals, 1)
        return pd.DataFrame({
            "station_id": self.index.stations,
            "arrivals": p.station_arrivals,
            "punctuality_3min_pct": 100 * p.station_on_time_3 / arrivals,
            "punctuality_5min_pct": 100 * p.station_on_time_5 / arrivals,
            "mean_delay_s": p.station_delay_ms / 1000 / arrivals,
        })

    def od_times(self) -> pd.DataFrame:
        """Scheduled and mean realised in-vehicle time per station pair [min], with a 95 %
        confidence interval of the mean over replications."""
        import pandas as pd

        p = self.partial
        assert p.pair_ms is not None and p.pair_count is not None
        assert p.pair_rep_mean_ms is not None and p.pair_rep_mean_sq is not None
        n = max(self.replications, 1)
        realised = p.pair_ms / 1000 / np.maximum(p.pair_count, 1) / 60
        rep_mean = p.pair_rep_mean_ms / n
        variance = np.maximum(p.pair_rep_mean_sq / n - rep_mean ** 2, 0.0) * n / max(n - 1, 1)
        # Student's t over the simulated days; one day has no spread to show (NaN)
        factor = t_975(n - 1) if n > 1 else math.nan
        half = factor * np.sqrt(variance / n) / 1000 / 60
        scheduled = self.index.scheduled_pair_s / 60
        return pd.DataFrame({
            "origin": [a for a, _ in self.index.pairs],
            "destination": [b for _, b in self.index.pairs],
            "scheduled_min": scheduled, "realised_mean_min": realised,
            "extra_min": realised - scheduled,
            "ci95_low_min": np.maximum(realised - half, 0.0), "ci95_high_min": realised + half,
        })

    def event_log(self) -> pd.DataFrame:
        """Scheduled and actual times per replication, trip and stop (needs keep_event_log)."""
        import pandas as pd

        where = [(tp.trip_id, tp.stations[k], tp.arrival_s[k], tp.departure_s[k])
                 for tp in self.plan.trips for k in range(len(tp.stations))]
        rows = [(r, *where[k], arr, dep) for r, k, arr, dep in sorted(self.partial.events)]
        return pd.DataFrame(rows, columns=["replication", "trip_id", "station_id",
                                           "scheduled_arrival_s", "scheduled_departure_s",
                                           "actual_arrival_s", "actual_departure_s"])


def simulate(plan: ServicePlan, day_type: str = "weekday", workers: int = 1,
             deterministic: bool = False,
             boardings: Mapping[tuple[str, str], float] | None = None,
             engine: str | None = None, pool: Executor | None = None) -> SimResult:
    """Run ``simulation.replications`` days of one day type on the scenario's simulation
    stream (everything that changes the results comes from the scenario).

    ``engine`` (default: ``simulation.engine``) is ``simpy``, ``vectorised`` or ``auto``
    (:func:`engine_for`); both engines give the same times for the same draws.

    ``boardings`` (trip_id, station_id) → passengers lengthen dwells by
    ``operations.dwell_s_per_boarding`` (see :func:`~railsim.sim.plan.compile_plan`).
    ``workers`` processes share the replications; the results do not depend on it. They
    are the workers of ``pool`` when given (the run's one pool; not while they are still
    starting: the days then run here), else a pool started here.
    """
    sim = plan.scenario.simulation
    n = sim.replications
    root = Streams.of(sim.seed).simulation
    keep = sim.keep_event_log
    compiled = compile_plan(plan, day_type, boardings)
    ops = plan.scenario.operations
    chosen = engine_for(sim if engine is None else sim.model_copy(update={"engine": engine}),
                        ops)
    reps = list(range(n))
    if pool is not None and not is_warm(pool):
        # the workers are still importing railsim: the days would wait for them
        workers = 1
    if workers <= 1 or n < 2 * workers:
        partial = _run_chunk(compiled, ops, root, reps, keep, deterministic, chosen)
    else:
        # consecutive days: a block of draws (railsim.sim.draws) is drawn by one worker
        chunks = [reps[k * n // workers:(k + 1) * n // workers] for k in range(workers)]
        partial = _Partial()
        with contextlib.ExitStack() as stack:
            if pool is None:
                pool = stack.enter_context(worker_pool(workers))
            futures = [pool.submit(_run_chunk, compiled, ops, root, chunk, keep,
                                   deterministic, chosen) for chunk in chunks]
            try:
                for future in futures:  # in chunk order: the merge is the same every run
                    partial.add(future.result())
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    return SimResult(compiled, _index(compiled), partial)

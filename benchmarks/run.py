"""railsim benchmarks: timing targets live here, not in the tests.

Run with ``make benchmark`` (or ``.venv/bin/python benchmarks/run.py``). Prints one line
per benchmark: what, median wall time over repeats, target, and whether it is met.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RAILSIM = Path(sys.executable).with_name("railsim")


def wall(run: Callable[[], object], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def validate_cli() -> None:
    subprocess.run([str(RAILSIM), "validate", "scenarios/"], cwd=ROOT, check=True,
                   capture_output=True)


def through_timetable() -> Callable[[], object]:
    from railsim import load_scenario, plan_service

    scenario = load_scenario(ROOT / "scenarios" / "through-hourly-peaks.yaml")
    return lambda: plan_service(scenario)


def synthetic_network() -> tuple[Callable[[], object], int]:
    from railsim import plan_service
    from railsim.config.schema import Scenario
    from railsim.corridor import Corridor
    from railsim.synthetic import write_synthetic_data

    folder = Corridor.load(write_synthetic_data(Path(tempfile.mkdtemp()), n_lines=20,
                                                length_km=20, crossing_every=1,
                                                freight_per_line=0))
    lines = [{"id": f"S{i + 1}", "stations": ["LH"] + [f"L{i + 1}S{k}" for k in range(1, 5)],
              "weekday": {"first_departure": "05:00", "last_departure": "22:00",
                          "headway_min": 20}} for i in range(20)]
    scenario = Scenario.model_validate({
        "name": "synthetic-20-lines", "service": {"lines": lines},
        "operations": {"lahti_platform_tracks": 60},
        "rolling_stock": {"min_turnaround_min": 4}})
    trains = len(plan_service(scenario, folder).timetables["weekday"].trips)
    return (lambda: plan_service(scenario, folder)), trains


def load() -> str:
    """The machine's load averages (1, 5, 15 min) and its cores: what shared the run."""
    import os

    return (f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} "
            "cores")


def bare_simpy_day(shapes: list[tuple[float, list[float], list[str | None]]],
                   blocks: list[str]) -> None:
    """The yardstick of the SimPy engine: the same trains, each a process that takes its
    blocks (plain single-capacity resources) and waits its segment times; no recording,
    no draws, no dwells."""
    import simpy

    env = simpy.Environment()
    res = {b: simpy.Resource(env, capacity=1) for b in blocks}

    def train(t0: float, runs: list[float], enter: list[str | None]):  # type: ignore[no-untyped-def]
        yield env.timeout(t0)
        held = None
        for k, run in enumerate(runs):
            if enter[k] is not None:
                if held is not None:
                    res[held[0]].release(held[1])
                req = res[enter[k]].request()
                yield req
                held = (enter[k], req)
            yield env.timeout(run)
        if held is not None:
            res[held[0]].release(held[1])

    for shape in shapes:
        env.process(train(*shape))
    env.run()


def simulation(scenario_file: Path, replications: int = 1000, rounds: int = 3
               ) -> list[tuple[str, float, float]]:
    """railsim's replications against a bare SimPy loop of the same size, in ``rounds``
    interleaved rounds (a busy spell of a shared machine then hits both); the ratio is the
    median of the rounds'."""
    import numpy as np

    from railsim import load_scenario, plan_service
    from railsim.sim.draws import each_replication
    from railsim.sim.engine import DaySimulator
    from railsim.sim.plan import compile_plan

    scenario = load_scenario(scenario_file)
    plan = plan_service(scenario)
    compiled = compile_plan(plan)
    ops = scenario.operations

    def railsim_days() -> None:
        # the days as the SimPy engine runs them: the draws (a block of days at a time)
        # and the day, without the statistics
        model = DaySimulator(compiled, ops.dispatching)
        for _, draws in each_replication(compiled, ops, np.random.SeedSequence(1),
                                         range(replications)):
            model.run(draws)

    shapes = [(tp.departure_s[0], list(tp.run_s), list(tp.enter_block)) for tp in compiled.trips]
    blocks = list(compiled.block_order)

    def bare_days() -> None:
        for _ in range(replications):
            bare_simpy_day(shapes, blocks)

    before = load()
    railsim_s, bare_s = [], []
    for _ in range(rounds):
        railsim_s.append(wall(railsim_days, repeats=1))
        bare_s.append(wall(bare_days, repeats=1))
    ratios = [b / r for b, r in zip(bare_s, railsim_s, strict=True)]
    ratio, mine = statistics.median(ratios), statistics.median(railsim_s)
    n_segments = compiled.n_segments
    events = replications * (n_segments * 2 + len(compiled.trips))
    print(f"  simulation: {replications} replications, {len(compiled.trips)} trains, "
          f"{n_segments} segments/day, {rounds} rounds; railsim {mine / replications * 1000:.2f} "
          f"ms/rep ({replications / mine:.0f} rep/s, ~{events / mine:,.0f} events/s); bare "
          f"SimPy {statistics.median(bare_s) / replications * 1000:.2f} ms/rep; ratio "
          f"bare/railsim {ratio:.2f} (rounds: {', '.join(f'{x:.2f}' for x in ratios)}; target "
          f">= 0.65: {'ok' if ratio >= 0.65 else 'MISSED'}); before: {before}, after: {load()}")
    return [(f"{replications} replications of the through day (one core)", mine, 10.0)]


def engines(scenario_file: Path, simpy_days: int = 200, vector_days: int = 10_000,
            rounds: int = 3) -> list[tuple[str, float, float]]:
    """The vectorised engine against SimPy, end to end (draws and statistics included):
    `simulate` of the through scenario's weekday with each engine, in ``rounds``
    interleaved rounds; the speed-up and the 10 000 days' time are the rounds' medians."""
    from railsim import load_scenario, plan_service, with_overrides
    from railsim.sim.montecarlo import simulate

    base = load_scenario(scenario_file)

    def prepared(engine: str, days: int) -> Callable[[], tuple[float, float]]:
        scenario = with_overrides(base, {"simulation.replications": days,
                                         "simulation.engine": engine})
        plan = plan_service(scenario)
        simulate(plan, engine=engine)  # warm (imports, first allocation)

        def run() -> tuple[float, float]:
            start, cpu = time.perf_counter(), time.process_time()
            simulate(plan, engine=engine)
            return time.perf_counter() - start, time.process_time() - cpu
        return run

    simpy_run, vector_run = prepared("simpy", simpy_days), prepared("vectorised", vector_days)
    before = load()
    speedups, cpu_speedups, vector_walls, vector_cpus = [], [], [], []
    for _ in range(rounds):
        simpy_s, simpy_cpu = simpy_run()
        vector_s, vector_cpu = vector_run()
        speedups.append((simpy_s / simpy_days) / (vector_s / vector_days))
        cpu_speedups.append((simpy_cpu / simpy_days) / (vector_cpu / vector_days))
        vector_walls.append(vector_s)
        vector_cpus.append(vector_cpu)
    speedup, vector_s = statistics.median(speedups), statistics.median(vector_walls)
    print(f"  engines: {simpy_days} SimPy days against {vector_days:,} vectorised days, "
          f"{rounds} rounds; speed-up per day {speedup:.0f}x wall (rounds: "
          f"{', '.join(f'{x:.0f}x' for x in speedups)}), "
          f"{statistics.median(cpu_speedups):.0f}x CPU (target >= 50x: "
          f"{'ok' if speedup >= 50 else 'MISSED'}); {vector_days:,} days: {vector_s:.2f} s "
          f"wall, {statistics.median(vector_cpus):.2f} s CPU; before: {before}, after: {load()}")
    return [(f"{vector_days:,} simulated days of the through scenario, vectorised engine "
             "(draws and statistics included)", vector_s, 1.0)]


def loop_search() -> list[tuple[str, float, float]]:
    """`railsim loops` for the half-hourly Heinola pattern, up to four loops (CLI)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run([str(RAILSIM), "loops", "scenarios/heinola-lahti-hourly.yaml",
                          "--headway", "30", "--max-loops", "4"], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    front = out.stdout.split("# option")[0].rstrip().splitlines()
    print("  " + "\n  ".join(front))
    print(f"  loop search: {seconds:.1f} s wall, {cpu:.1f} s CPU (the wall time includes "
          "waiting for the cores on a shared machine)")
    return [("loop search, half-hourly Heinola, up to 4 loops (CLI, front printed)", seconds,
             30.0)]


def appraisal_model(name: str = "through-hourly-peaks") -> Any:
    from railsim import forecast, load_corridor, load_scenario, plan_service
    from railsim.appraisal.uncertainty import AppraisalModel

    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    plan = plan_service(scenario)
    return AppraisalModel.build(scenario, load_corridor(), plan, forecast(scenario, plan))


def demand_forecast() -> Callable[[], object]:
    from railsim import forecast, load_scenario, plan_service

    scenario = load_scenario(ROOT / "scenarios" / "through-hourly-peaks.yaml")
    plan = plan_service(scenario)
    forecast(scenario, plan)  # warm the population cells (read once per process)
    return lambda: forecast(scenario, plan)


def demand_draws_10k() -> Callable[[], object]:
    import numpy as np

    from railsim.demand.draws import demand_draws

    model = appraisal_model()
    rng = np.random.default_rng(1)
    n = 10_000
    inputs = [("demand.train_constant_min", "replace", rng.normal(0, 5, n)),
              ("demand.logit_scale_per_min", "multiply", rng.uniform(0.8, 1.2, n)),
              ("demand.fares.fare_multiplier", "multiply", rng.uniform(0.8, 1.2, n)),
              ("demand_parameters.bus_share_do_minimum", "replace", rng.uniform(0.03, 0.1, n)),
              ("demand_parameters.commute_presence", "replace", rng.uniform(0.7, 0.9, n))]
    return lambda: demand_draws(model.forecast, inputs)


def uncertainty_step() -> list[tuple[str, float, float]]:
    """The through scenario's uncertainty step as `railsim run` does it: the draws at the
    scenario's count and the tornado (the model built once, as the evaluation builds it)."""
    from railsim.streams import Streams

    model = appraisal_model()
    n = model.scenario.uncertainty.draws
    model.tornado()  # warm: the distributions' quantile functions import scipy once

    def step() -> None:
        model.draws(Streams.of(model.scenario.simulation.seed).rng("draws"))
        model.tornado()

    seconds = wall(step, repeats=3)
    start = time.process_time()
    step()
    cpu = time.process_time() - start
    print(f"  uncertainty step: {n:,} draws and the tornado, {seconds:.2f} s wall, "
          f"{cpu:.2f} s CPU (aim < 0.5 s)")
    return [(f"uncertainty step of the through scenario ({n:,} draws + tornado)", seconds,
             0.5)]


_DRAWS_CHILD = """
import resource, sys, time
import numpy as np
sys.path.insert(0, {bench!r})
from run import appraisal_model
model = appraisal_model()
model.draws(np.random.default_rng(0), 200)  # warm: imports and the per-forecast setup
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start, cpu = time.perf_counter(), time.process_time()
model.draws(np.random.default_rng(1), {n})
print(time.perf_counter() - start, time.process_time() - cpu, before,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def draws_scaling(counts: tuple[int, ...] = (1_000, 10_000, 100_000)
                  ) -> list[tuple[str, float, float]]:
    """The through scenario's appraisal draws (its inputs) at 1k, 10k and 100k draws, each
    in a fresh process: wall time and peak resident memory (whole process, kB from
    getrusage) against the targets 100k ≤ 300 MB and ≤ 12 × the 10k time."""
    seconds, peaks = {}, {}
    for n in counts:
        out = subprocess.run([sys.executable, "-c", _DRAWS_CHILD.format(
            bench=str(ROOT / "benchmarks"), n=n)], cwd=ROOT, check=True, capture_output=True,
            text=True).stdout.split()
        wall_s, cpu_s, before_kb, peak_kb = (float(x) for x in out)
        seconds[n], peaks[n] = wall_s, peak_kb / 1024
        print(f"  draws: {n:>7,}: {wall_s:.2f} s wall, {cpu_s:.2f} s CPU, peak RSS "
              f"{peak_kb / 1024:.0f} MB (after the model was built {before_kb / 1024:.0f} MB)")
    rows = [(f"{n:,} appraisal draws of the through scenario (fresh process)", seconds[n],
             {1_000: 1.0, 10_000: 5.0, 100_000: 60.0}.get(n, 60.0)) for n in counts]
    if 10_000 in seconds and 100_000 in seconds:
        ratio = seconds[100_000] / seconds[10_000]
        print(f"  draws: 100k / 10k time {ratio:.1f} (target <= 12)")
        rows += [("100,000 / 10,000 draws, time ratio", ratio, 12.0),
                 ("100,000 draws, peak memory of the process (MB)", peaks[100_000], 300.0)]
    return rows


def draw_convergence(counts: tuple[int, ...] = (1_000, 2_500, 5_000, 10_000),
                     seeds: int = 8) -> list[tuple[str, float, float]]:
    """How many uncertainty draws the reported statistics need: for each shipped option,
    the statistics the report shows (societal NPV: mean, 10th, 50th, 90th percentile, in
    EUR M with no decimals; the probability of a positive NPV, in whole percent) from
    ``seeds`` independent Latin-hypercube samples of each size. Prints the spread between
    seeds (standard deviation) beside the report's rounding step: a count whose spread is
    well below half a step shows the same figures whatever the seed. Information for the
    choice of the default draw count (a modelling decision), not a timing target."""
    import numpy as np

    rows: dict[int, list[float]] = {n: [] for n in counts}
    for path in _options():
        name = Path(path).stem
        model = appraisal_model(name)
        if not model.scenario.service.lines or not model.scenario.uncertainty.inputs:
            continue
        for n in counts:
            stats = []
            for seed in range(seeds):
                npv = model.draws(np.random.default_rng([seed, n]), n).values[
                    "npv_societal_eur"] / 1e6
                stats.append([npv.mean(), *np.quantile(npv, (0.1, 0.5, 0.9)),
                              100 * (npv > 0).mean()])
            spread = np.std(np.array(stats), axis=0, ddof=1)
            rows[n].append(float(spread.max()))
            print(f"  convergence: {name:28s} {n:>6,} draws: sd between seeds of mean "
                  f"{spread[0]:.2f}, p10 {spread[1]:.2f}, p50 {spread[2]:.2f}, p90 "
                  f"{spread[3]:.2f} M EUR (step 1); P(NPV>0) {spread[4]:.2f} points (step 1)")
    return [(f"largest sd between seeds of a reported NPV statistic, {n:,} draws, in "
             "rounding steps (ratio; at most 0.25: the figure is stable)", max(rows[n]), 0.25)
            for n in counts if rows[n]]


def appraisal_draws(with_demand: bool) -> Callable[[], object]:
    import numpy as np

    model = appraisal_model()
    if not with_demand:
        s = model.scenario
        inputs = [i for i in s.uncertainty.inputs if not i.target.startswith("demand")]
        model.scenario = s.model_copy(
            update={"uncertainty": s.uncertainty.model_copy(update={"inputs": inputs})})
    return lambda: model.draws(np.random.default_rng(1), 10_000)


def batch_scaling(replications: int = 200) -> list[tuple[str, float, float]]:
    """The main job (`railsim run scenarios/`) on one and on two worker processes."""

    def run(workers: int, report: bool = False) -> None:
        with tempfile.TemporaryDirectory() as out:
            subprocess.run([str(RAILSIM), "run", "scenarios/", "--out", out, "--replications",
                            str(replications), "--workers", str(workers),
                            "--report" if report else "--no-report"],
                           cwd=ROOT, check=True, capture_output=True)

    one, two = wall(lambda: run(1), repeats=2), wall(lambda: run(2), repeats=2)
    print(f"  batch: all shipped scenarios, {replications} replications each: 1 worker "
          f"{one:.1f} s, 2 workers {two:.1f} s, speed-up {one / two:.2f}")
    what = f"all shipped scenarios, {replications} replications each (CLI)"
    with_report = wall(lambda: run(2, report=True), repeats=1)
    return [(f"{what}, 1 worker", one, 60.0), (f"{what}, 2 workers", two, 60.0),
            (f"{what}, 2 workers, with charts and report (make demo)", with_report, 120.0)]


def report_size(extra: int = 6) -> list[tuple[str, float, float]]:
    """Size of each language's report for the shipped scenarios, and its growth per
    scenario (the same results copied under ``extra`` more names), in MB."""
    import shutil

    import pandas as pd

    from railsim.report import build_report

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "results"
        subprocess.run([str(RAILSIM), "run", "scenarios/", "--out", str(out), "--replications",
                        "20", "--draws", "2000", "--workers", "2", "--no-report"],
                       cwd=ROOT, check=True, capture_output=True)
        build_report(out, workers=2)
        docs = ("report.fi.html", "report.en.html")
        base = max((out / d).stat().st_size for d in docs) / 1e6
        summary = pd.read_csv(out / "summary.csv")
        copies = [f"{name}-copy{k}" for k in range(extra)
                  for name in ["through-hourly-peaks"]]
        for name in copies:
            shutil.copytree(out / "through-hourly-peaks", out / name)
        rows = summary[summary["scenario"] == "through-hourly-peaks"]
        pd.concat([summary, *(rows.assign(scenario=n) for n in copies)]).to_csv(
            out / "summary.csv", index=False)
        build_report(out, workers=2)
        grown = max((out / d).stat().st_size for d in docs) / 1e6
        count = len(summary)
    print(f"  report: {count} shipped scenarios {base:.2f} MB per language; "
          f"{count + extra} scenarios {grown:.2f} MB")
    return [(f"report.fi/en.html of the {count} shipped scenarios (MB)", base, 2.0),
            ("report growth per added scenario (MB)", (grown - base) / extra, 0.25)]


# -- throughput (issue 18): one pool per run, charts through it, Dask ----------------------

def _options() -> list[str]:
    """The shipped options as `make demo` runs them (bases, _*.yaml, left out)."""
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "scenarios").glob("*.yaml")
                  if not p.name.startswith("_"))


def _session_cpu(command: list[str]) -> tuple[float, float]:
    """Wall time and CPU seconds of ``command`` and every process it starts, the fork
    server's workers included (they are not its children, so the resource usage of
    waited-for children misses them): the command runs in a session of its own whose
    processes are read from /proc every 0.1 s (a process living less than that may be
    missed; railsim's workers live for the run)."""
    seen: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")

    def sample(session: int) -> None:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # after the name: state ppid pgrp session ... utime(12) stime(13)
            if int(fields[3]) == session:
                seen[int(entry)] = (int(fields[11]) + int(fields[12])) / tick

    # its messages go to a file: a pipe read only at the end could fill and stall the run
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=errors, start_new_session=True)
        while process.poll() is None:
            sample(process.pid)
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        if process.returncode:
            errors.seek(0)
            raise subprocess.CalledProcessError(process.returncode, command,
                                                stderr=errors.read())
    return seconds, sum(seen.values())


def _timed_run(files: list[str], *extra: str, cpu: list[float] | None = None) -> float:
    """Wall time of one `railsim run FILES --out TMP EXTRA...` (CLI, start-up included);
    its CPU time (all its processes) is appended to ``cpu`` if given."""
    with tempfile.TemporaryDirectory() as out:
        seconds, used = _session_cpu([str(RAILSIM), "run", *files, "--out", out, *extra])
    if cpu is not None:
        cpu.append(used)
    return seconds


def _busy(n: int = 4_000_000) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


YARDSTICK: list[float] = []
"""Seconds of the 1-process busy-work of each :func:`busy_work_scaling`: the machine's own
speed at the time, to read wall times of different sessions side by side."""


def busy_work_scaling() -> float:
    """What two processes give on this machine right now: the speed-up of pure-Python
    busy-work on 2 processes over 1 (a shared machine gives less than 2)."""
    from concurrent.futures import ProcessPoolExecutor

    start = time.perf_counter()
    for _ in range(4):
        _busy()
    one = time.perf_counter() - start
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_busy, [10, 10]))  # started
        start = time.perf_counter()
        list(pool.map(_busy, [4_000_000] * 4))
        two = time.perf_counter() - start
    YARDSTICK.append(one)
    return one / two


def throughput(*extra: str, rounds: int = 3) -> list[tuple[str, float, float]]:
    """The shipped batch with report on 1 and 2 workers, interleaved in one run (best of
    ``rounds`` each), and one `railsim run` of the through scenario, beside the machine's
    own 2-process speed-up on busy-work measured in the same rounds. ``extra`` are more
    run options (``--draws 100`` leaves the uncertainty draws' share out)."""
    files = _options()
    one, two, busy, cpu_one, cpu_two = [], [], [], [], []
    for _ in range(rounds):
        busy.append(busy_work_scaling())
        one.append(_timed_run(files, "--workers", "1", *extra, cpu=cpu_one))
        two.append(_timed_run(files, "--workers", "2", *extra, cpu=cpu_two))
    single = min(_timed_run(["scenarios/through-hourly-peaks.yaml"], *extra)
                 for _ in range(rounds))
    best_one, best_two = min(one), min(two)
    label = f" ({' '.join(extra)})" if extra else ""
    print(f"  throughput{label}: shipped batch with report, 1 worker {best_one:.1f} s "
          f"({min(cpu_one):.1f} s CPU), 2 workers {best_two:.1f} s ({min(cpu_two):.1f} s "
          f"CPU), speed-up {best_one / best_two:.2f} (target >= 1.8: "
          f"{'ok' if best_one / best_two >= 1.8 else 'MISSED'}); busy-work on 2 processes "
          f"in the same rounds: {', '.join(f'{b:.2f}x' for b in busy)} (1 process: "
          f"{', '.join(f'{y:.2f} s' for y in YARDSTICK[-len(busy):])}); speed-up of each "
          f"round's pair (run side by side, so a busy spell hits both): "
          f"{', '.join(f'{a / b:.2f}' for a, b in zip(one, two, strict=True))}; one "
          f"scenario {single:.1f} s")
    return [(f"shipped batch with report, 2 workers (CLI){label}", best_two, 8.0),
            (f"shipped batch with report, 2-worker time / 1-worker time{label} "
             "(<= 0.556 is a speed-up >= 1.8)", best_two / best_one, 1 / 1.8),
            (f"one scenario, railsim run through-hourly-peaks (CLI){label}", single, 2.5)]


def dask_vs_local(*extra: str, rounds: int = 2) -> list[tuple[str, float, float]]:
    """The shipped batch (no report) on a Dask LocalCluster of 2 single-threaded worker
    processes against 2 local worker processes, interleaved (best of ``rounds``)."""
    import logging

    from distributed import LocalCluster

    files = _options()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster:
        _timed_run(files[:1], "--scheduler", cluster.scheduler_address, "--no-report",
                   *extra)  # the cluster's workers import railsim once, as a long-lived one has
        local, dask = [], []
        for _ in range(rounds):
            local.append(_timed_run(files, "--workers", "2", "--no-report", *extra))
            dask.append(_timed_run(files, "--scheduler", cluster.scheduler_address,
                                   "--no-report", *extra))
    ratio = min(dask) / min(local)
    label = f" ({' '.join(extra)})" if extra else ""
    print(f"  dask{label}: LocalCluster 2 workers {min(dask):.1f} s, local processes 2 "
          f"workers {min(local):.1f} s, ratio {ratio:.2f} (target <= 1.2: "
          f"{'ok' if ratio <= 1.2 else 'MISSED'})")
    return [(f"shipped batch, Dask LocalCluster 2 workers / 2 local processes{label}", ratio,
             1.2)]



def rerun(rounds: int = 2) -> list[tuple[str, float, float]]:
    """`railsim run` of the shipped options again on its own results, nothing changed: the
    scenarios are skipped and the report takes the charts it drew (2 workers); measured
    against the batch's target."""
    import resource

    files = _options()
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([str(RAILSIM), "run", *files, "--out", out, "--workers", "2"],
                       cwd=ROOT, check=True, capture_output=True)
        times, cpus = [], []
        for _ in range(rounds):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([str(RAILSIM), "run", *files, "--out", out, "--workers", "2"],
                           cwd=ROOT, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    print(f"  rerun: nothing changed, with report, 2 workers: {min(times):.1f} s wall, "
          f"{min(cpus):.1f} s CPU")
    return [("shipped batch with report run again, nothing changed (2 workers)", min(times),
             8.0)]


_FLOOR_CHILD = """
import sys, tempfile, time
from pathlib import Path
cpu = time.process_time
parts = {{}}
start = cpu()
import numpy as np
from railsim import load_corridor
from railsim.batch.run import run_batch
from railsim.evaluation import evaluate
from railsim.report import builder
from railsim.streams import Streams
import railsim.batch.tasks, railsim.plot.charts
parts["imports"] = cpu() - start
corridor = load_corridor()
files = [(Path(f), Path("scenarios")) for f in {files!r}]
with tempfile.TemporaryDirectory() as out:
    start = cpu()
    run_batch(files, out, corridor, workers=1)
    parts["scenarios (load, evaluate, write)"] = cpu() - start
    from railsim.batch.run import _load
    draws = 0.0
    for job in _load(files, Path(out) / "none", corridor, {{}}, True):
        scenario = job.task.scenario
        if scenario.service.lines:
            model = evaluate(scenario, corridor).appraisal
            start = cpu()
            model.draws(Streams.of(scenario.simulation.seed).rng("draws"))
            draws += cpu() - start
    parts["  of which uncertainty draws"] = draws
    names = sorted(p.name for p in Path(out).iterdir() if p.is_dir())
    start = cpu()
    drawn = builder.draw_charts(Path(out), names)
    batch = builder.draw_batch_charts(Path(out))
    parts["charts"] = cpu() - start
    figures = sum(len(c) for charts in [*drawn.values(), batch] for c in charts.values())
    start = cpu()
    builder.render(Path(out), drawn, batch)
    parts["report text"] = cpu() - start
print(repr((parts, figures)))
"""


def throughput_floor() -> list[tuple[str, float, float]]:
    """CPU seconds of each part of the shipped batch with report, in one fresh process
    (`railsim run` on one worker does this work): half their sum is what 2 cores need at
    the least, with no process of their own and a perfect split."""
    import ast

    out = subprocess.run([sys.executable, "-c", _FLOOR_CHILD.format(files=_options())],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    parts, figures = ast.literal_eval(out.strip().splitlines()[-1])
    total = sum(v for k, v in parts.items() if not k.startswith(" "))
    for name, seconds in parts.items():
        print(f"  floor: {name:40s} {seconds:6.2f} s CPU")
    print(f"  floor: {figures} figures, {parts['charts'] / figures * 1000:.0f} ms CPU a "
          f"figure; all {total:.1f} s CPU: at least {total / 2:.1f} s on 2 cores")
    return [("shipped batch with report, CPU of its work / 2 cores (floor of the 2-worker "
             "time)", total / 2, 8.0)]


THROUGHPUT_STEPS: dict[str, Callable[[], list[tuple[str, float, float]]]] = {
    "throughput": throughput,
    # the same without the uncertainty draws' share (made fast elsewhere): 100 draws
    "throughput-few-draws": lambda: throughput("--draws", "100"),
    "throughput-floor": throughput_floor,
    "rerun": rerun,
    "dask": dask_vs_local,
    "dask-few-draws": lambda: dask_vs_local("--draws", "100"),
}
"""Issue 18's measurements (``python benchmarks/run.py throughput dask``)."""

ON_REQUEST = frozenset({"convergence"})
"""Steps run only when named (minutes of statistics, not timings)."""


def main(only: list[str]) -> None:
    """Every benchmark, or only those named on the command line (``engines``,
    ``simulation``, ``loops``, ...)."""
    through = ROOT / "scenarios" / "through-hourly-peaks.yaml"
    steps: dict[str, Callable[[], list[tuple[str, float, float]]]] = {
        "validate": lambda: [("validate shipped scenarios (CLI, start-up included)",
                              wall(validate_cli), 1.0)],
        "timetable": lambda: [("timetable of the through scenario (all day types)",
                               wall(through_timetable()), 0.2)],
        "synthetic": synthetic,
        "demand": lambda: [("ridership forecast of the through scenario (warm)",
                            wall(demand_forecast(), repeats=3), 0.5),
                           ("10,000 draws of five demand parameters",
                            wall(demand_draws_10k()), 5.0)],
        "uncertainty": uncertainty_step,
        "draws": draws_scaling,
        "convergence": draw_convergence,
        "appraisal": lambda: [("10,000 appraisal draws, cost and appraisal inputs",
                               wall(appraisal_draws(False)), 2.0),
                              ("10,000 appraisal draws, the base scenario's 5 inputs "
                               "(4 of ridership)", wall(appraisal_draws(True)), 2.0)],
        "simulation": lambda: simulation(through),
        "engines": lambda: engines(through),
        "loops": loop_search,
        "batch": batch_scaling,
        "report": report_size,
        **THROUGHPUT_STEPS,
    }
    results: list[tuple[str, float, float]] = []
    for name, step in steps.items():
        if name in only or (not only and name not in ON_REQUEST):
            results += step()
    for name, value, target in results:
        verdict = "ok" if value <= target else "MISSED"
        unit = "MB" if "(MB)" in name else "" if "ratio" in name else "s"
        print(f"{name}: {value:.3f} {unit} (target <= {target} {unit}) {verdict}")


def synthetic() -> list[tuple[str, float, float]]:
    run, trains = synthetic_network()
    return [(f"timetable of a synthetic network, 20 lines, {trains} trains/day",
             wall(run, repeats=3), 5.0)]


if __name__ == "__main__":
    main(sys.argv[1:])

"""Evaluate many scenarios end to end and write one result folder each.

The calling process loads every scenario (fast), decides what is unchanged since the last
run, sends the rest to a backend, and writes each result as it comes back. Writing only
here keeps Ctrl-C simple (see :mod:`railsim.batch.tasks`), and results are the same bytes
whatever the backend or number of workers: each scenario's random streams come from its
own seed, and outputs are ordered by the input, not by completion.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
from collections.abc import Callable, Generator, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from railsim.batch import backends
from railsim.batch.fingerprint import (
    environment_parts,
    fingerprint,
    has_complete_results,
    holds_results,
    is_unchanged,
    write_fingerprint,
)
from railsim.batch.summary import SUMMARY_FILE, SummaryRow, write_summary
from railsim.batch.tasks import Task, TaskResult, error_text, unexpected
from railsim.batch.validation import VALIDATION_FILE, validation_text
from railsim.config.files import ScenarioFiles, scenario_files
from railsim.errors import RailsimError
from railsim.parallel import worker_pool
from railsim.results import (
    ResultsError,
    folder_name,
    has_failed,
    locked,
    name_taken,
    remove_folder,
    remove_leftovers,
    write_result_folder,
    write_text_atomic,
    writing,
)

if TYPE_CHECKING:
    from railsim.config.schema import Scenario
    from railsim.corridor import Corridor

log = logging.getLogger(__name__)

Status = Literal["ok", "failed", "skipped"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one scenario file."""

    file: Path
    name: str
    """Scenario name (the file name's stem when the file could not be loaded)."""
    title: str
    status: Status
    folder: Path
    message: str = ""
    """Why it failed: clear text, no traceback (error.txt may hold one)."""
    seconds: float = 0.0
    changed: tuple[str, ...] = ()
    """Resolved inputs that differ from the previous result in its folder (rerun only)."""


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    """One per scenario file, in the order given."""
    summary: Path
    stale: list[Path] = field(default_factory=list)
    """Result folders in ``out`` of scenarios not in this run (removed with ``prune``)."""
    pruned: bool = False
    prune_withheld: tuple[Path, ...] = ()
    """Files whose result folder is not known (they cannot be read): pruning was asked
    for but not done, as any stale folder may be theirs."""

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


@dataclass
class _Job:
    """A scenario file on its way through the batch."""

    file: Path
    name: str
    title: str = ""
    task: Task | None = None
    fingerprint: str = ""
    skipped: bool = False
    error: tuple[str, str] | None = None
    """(message, detail) when it failed before running."""
    changed: tuple[str, ...] = ()
    name_known: bool = True
    """False when the file failed to load and declares no readable name: its result
    folder, if it has one, is not known."""


def run_batch(files: ScenarioFiles, out: Path | str, corridor: Corridor, *,
              settings: Mapping[str, Any] | None = None,
              workers: int | None = None, scheduler: str | None = None, force: bool = False,
              progress: Callable[[Outcome], None] | None = None,
              roots: Sequence[str | Path] = (), prune: bool = False,
              scheduler_timeout: float = backends.SCHEDULER_TIMEOUT_S,
              pool: Executor | None = None) -> BatchResult:
    """Evaluate scenarios; write ``out/<scenario>/``, ``out/summary.csv`` and
    ``out/validation.csv``.

    ``files`` is a scenario file or folder (str or Path), or a list of them or of the
    ``(file, root)`` pairs :func:`~railsim.config.files.find_scenarios` returns.

    ``settings`` (dotted paths such as ``{"simulation.seed": 7}``) are applied to every
    scenario when it is loaded, so each result folder's ``scenario.resolved.yaml`` holds
    the settings that ran.

    Scenarios run in parallel on ``workers`` local processes (default: all cores) or on
    the Dask cluster at ``scheduler`` ("tcp://host:port"), which must answer within
    ``scheduler_timeout`` seconds (else :class:`~railsim.batch.backends.SchedulerError`)
    and be trusted (results come back as pickles). A scenario whose result folder
    has an unchanged fingerprint (see :mod:`railsim.batch.fingerprint`) is skipped unless
    ``force``. A failing scenario gets ``error.txt`` and the others still run.
    ``progress`` is called with each scenario's :class:`Outcome` as soon as it is known.
    Results that cannot be written (disk full, no permission) stop the batch with a
    :class:`~railsim.results.ResultsError`; folders written before stay, and so do the
    previous results of the rest. A batch stopped early (that, or Ctrl-C) still writes
    the summary of what its folders hold, where it can. ``out`` is locked for the run (a
    second run on it is refused) and cleared of what a killed run left behind.

    The local work goes through one pool of ``workers`` processes, started before the
    scenarios load so that its workers import railsim meanwhile: ``pool`` when given
    (a caller that has more work for it, the report's charts say), else one started here.
    A lone scenario runs in this process and its simulated days go to the pool.

    Local workers fork from a fork server (or are spawned: :mod:`railsim.parallel`),
    which imports the calling script as ``__mp_main__``: a script (not a notebook) that
    calls this with more than one worker needs the usual ``if __name__ == "__main__":``
    guard.
    """
    files = scenario_files(files)
    out = Path(out)
    count = workers or os.cpu_count() or 1
    with locked(out), contextlib.ExitStack() as stack:
        if pool is None and scheduler is None and count > 1:
            pool = stack.enter_context(worker_pool(count, backends.WORKER_MODULES,
                                                   start=True))
        with writing(out, "clear the leftovers of an interrupted run in"):
            remove_leftovers(out)
        return _run(files, out, corridor, settings or {}, _Options(
            count, scheduler, force, tuple(roots), prune, scheduler_timeout, pool), progress)


@dataclass(frozen=True)
class _Options:
    """How a batch runs (none of it changes a result)."""

    workers: int | None
    scheduler: str | None
    force: bool
    roots: tuple[str | Path, ...]
    prune: bool
    scheduler_timeout: float = backends.SCHEDULER_TIMEOUT_S
    pool: Executor | None = None
    """The run's local worker processes (None: this process only, or Dask)."""


def _run(files: Sequence[tuple[Path, Path]], out: Path, corridor: Corridor,
         settings: Mapping[str, Any], options: _Options,
         progress: Callable[[Outcome], None] | None) -> BatchResult:
    report = progress or (lambda outcome: None)
    jobs = _load(files, out, corridor, settings, options.force, options.roots)
    outcomes: dict[int, Outcome] = {}
    try:
        _settle_all(jobs, out, options, outcomes, report)
    except BaseException:
        # Ctrl-C, or results that cannot be written: the folders written so far stay, so
        # the summary must say what they hold now, not what the last run's held
        _summarise_as_left(out, jobs, outcomes)
        raise
    ordered = [outcomes[number] for number in sorted(outcomes)]
    stale = stale_folders(out, {o.name for o in ordered})
    unknown = [job.file for job in jobs if not job.name_known]
    prune = options.prune and not unknown
    if options.prune and unknown:
        # the folder of a file that cannot be read may be any of the "stale" ones
        log.info("not pruned: the result folder of %s is not known",
                 ", ".join(str(file) for file in unknown))
    if prune:
        for folder in stale:
            with writing(folder, "remove the stale result folder"):
                remove_folder(folder)
    rows: dict[str, SummaryRow] = {}  # one per result folder: clashing files share one
    for o in ordered:
        rows.setdefault(o.name, _row(o))
    with writing(out):
        summary = _write_summaries(out, list(rows.values()))
    return BatchResult(ordered, summary, stale, prune,
                       tuple(unknown) if options.prune else ())


def _settle_all(jobs: Sequence[_Job], out: Path, options: _Options,
                outcomes: dict[int, Outcome], report: Callable[[Outcome], None]) -> None:
    """Settle every job into ``outcomes`` (by its number): first those known without
    running (failed to load, unchanged), then the rest as their results come in."""
    for number, job in enumerate(jobs):
        if job.error is not None or job.skipped:
            outcomes[number] = _settle(job, out, None)
            report(outcomes[number])
    pending = {job.name: number for number, job in enumerate(jobs) if job.task is not None}
    tasks = [task for job in jobs if (task := job.task) is not None]
    with contextlib.closing(_results(tasks, options)) as results:
        for result in results:
            number = pending[result.name]
            outcomes[number] = _settle(jobs[number], out, result)
            report(outcomes[number])


def _summarise_as_left(out: Path, jobs: Sequence[_Job], outcomes: Mapping[int, Outcome]
                       ) -> None:
    """summary.csv and validation.csv of a batch stopped early: a row for each scenario
    settled, and for each of the rest whose folder holds complete results (of an earlier
    run) or an error; none for a scenario that has neither (and no files when there is
    nothing to sum up and no summary to correct). Best effort: the error that stopped the
    batch (a full disk, say) is the one to report."""
    rows: dict[str, SummaryRow] = {}  # one per result folder: clashing files share one
    for number, job in enumerate(jobs):
        outcome = outcomes.get(number)
        row = _row(outcome) if outcome is not None else _row_as_left(out / job.name, job)
        if row is not None:
            rows.setdefault(row.scenario, row)
    if not rows and not (out / SUMMARY_FILE).exists():
        return
    with contextlib.suppress(OSError):
        _write_summaries(out, list(rows.values()))


def _write_summaries(out: Path, rows: Sequence[SummaryRow]) -> Path:
    """summary.csv (and .xlsx) and validation.csv of ``rows``; the path of summary.csv."""
    validation = validation_text([(row.scenario, row.folder) for row in rows])
    summary = write_summary(out, rows)
    write_text_atomic(out / VALIDATION_FILE, validation)  # made first: written with it
    return summary


def _row(outcome: Outcome) -> SummaryRow:
    """A scenario's summary row. A skipped scenario's folder holds complete results of an
    earlier run: summary.csv keeps it as "ok" with its numbers (the report and charts are
    those of a full run); "skipped" is only the Outcome's."""
    return SummaryRow(outcome.name, outcome.title,
                      "ok" if outcome.status == "skipped" else outcome.status,
                      None if outcome.status == "failed" else outcome.folder)


def _row_as_left(folder: Path, job: _Job) -> SummaryRow | None:
    """The summary row of a scenario the batch did not reach, from its folder as it is."""
    if has_failed(folder):
        return SummaryRow(job.name, job.title, "failed", None)
    if has_complete_results(folder):
        return SummaryRow(job.name, job.title, "ok", folder)
    return None


def stale_folders(out: Path, names: set[str]) -> list[Path]:
    """Scenario result folders in ``out`` (they hold a resolved scenario or an error) whose
    scenario is not among ``names``: left by a renamed or deleted scenario file."""
    if not out.is_dir():
        return []
    found = []
    for folder in sorted(out.iterdir()):
        if (folder.is_dir() and not folder.is_symlink() and not folder.name.startswith(".")
                and folder.name not in names
                and any((folder / marker).is_file()
                        for marker in ("scenario.resolved.yaml", "error.txt"))):
            found.append(folder)
    return found


def _work_estimate(task: Task) -> float:
    """Relative cost of a scenario: simulated stop events plus the uncertainty draws."""
    scenario = task.scenario
    stops = sum(len(line.stations) * len(line.weekday.departure_times_s(line.clock_face))
                * (2 if line.both_directions else 1)
                for line in scenario.service.lines if line.weekday is not None)
    replications = scenario.simulation.replications
    draws = scenario.uncertainty.draws if scenario.service.lines else 0
    # about 20 µs per simulated stop event and 0.1 ms per draw (benchmarks/run.py)
    return stops * replications * 20e-6 + draws * 1e-4


def _results(tasks: list[Task], options: _Options) -> Generator[TaskResult, None, None]:
    """The backend: nested process pools are avoided by giving replications one process
    whenever scenarios run in parallel."""
    # Heaviest first, so that the last scenario to start is a short one and no worker
    # idles while another finishes a long one (results are keyed by name, not order).
    tasks = sorted(tasks, key=_work_estimate, reverse=True)
    if options.scheduler and len(tasks) == 1:
        return backends.dask_lone(tasks[0], options.scheduler, options.scheduler_timeout)
    if options.scheduler and tasks:
        return backends.dask_cluster(tasks, options.scheduler, options.scheduler_timeout)
    count = options.workers or 1
    if len(tasks) == 1:  # nothing to run beside it: its replications get the workers
        return backends.in_process([dataclasses.replace(tasks[0], workers=count)],
                                   options.pool)
    if count == 1 or not tasks:
        return backends.in_process(tasks)
    return backends.process_pool(tasks, min(count, len(tasks)), options.pool)


def _real(file: Path) -> Path:
    """The file a path leads to; the path itself when it cannot be followed (a symlink
    loop: loading it says so, as the scenario's error)."""
    try:
        return file.resolve()
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a loop before Python 3.13
        return file.absolute()


def _load(files: Sequence[tuple[Path, Path]], out: Path, corridor: Corridor,
          settings: Mapping[str, Any], force: bool,
          roots: Sequence[str | Path] = ()) -> list[_Job]:
    """Load every scenario; mark load failures, name clashes and unchanged results."""
    from railsim.config.resolved import to_yaml
    from railsim.scenarios import load_scenario

    environment = environment_parts(corridor)
    jobs: list[_Job] = []
    seen: set[Path] = set()
    for file, root in files:
        same = _real(file)
        if same in seen:  # the same file reached twice (its folder and itself)
            continue
        seen.add(same)
        job = _Job(file, folder_name(file.stem))
        jobs.append(job)
        try:
            scenario = load_scenario(file, corridor, root, settings=settings,
                                     extra_roots=roots)
        except RailsimError as exc:
            job.error = (str(exc), "")
            _name_failed_load(job)
            continue
        except Exception as exc:
            job.error = unexpected(exc)
            _name_failed_load(job)
            continue
        job.name, job.title = scenario.name, scenario.title
        job.fingerprint = fingerprint(to_yaml(scenario), environment)
        job.task = Task(job.name, scenario, corridor, workers=1)
    _fail_name_clashes(jobs)
    for job in jobs:
        if job.task is not None and not force and is_unchanged(out / job.name,
                                                               job.fingerprint):
            job.task, job.skipped = None, True
        elif job.task is not None:
            job.changed = _changed_inputs(out / job.name, job.task.scenario)
    return jobs


def _name_failed_load(job: _Job) -> None:
    """Give a scenario that failed to load the result folder its file names in ``name:``
    (read leniently, the file alone), so that its error goes beside its earlier results
    and ``--prune`` does not take those for a stale folder; the file name's stem when it
    declares none (as a run names it). When the file cannot be read, or its name is no
    name, the stem is a guess (``name_known`` False)."""
    from railsim.config.yamlio import read_yaml

    try:
        data = read_yaml(job.file).data
    except Exception:  # the file is broken: its error says so already
        job.name_known = False
        return
    declared = data.get("name")
    if declared is None:
        return  # the name is the file's stem, as a run would give it
    if isinstance(declared, str) and declared.strip():
        job.name = folder_name(declared.strip())
    else:
        job.name_known = False


def _changed_inputs(folder: Path, scenario: Scenario) -> tuple[str, ...]:
    """Input paths that differ from the scenario of the previous result (none if none)."""
    from railsim.diff import RESOLVED, input_changes, load_resolved

    if not (folder / RESOLVED).is_file():
        return ()
    try:
        previous, _ = load_resolved(folder)
    except Exception:  # an old or damaged resolved file: nothing to compare with
        return ()
    return tuple(change.path for change in input_changes(previous, scenario))


def _fail_name_clashes(jobs: list[_Job]) -> None:
    """Scenarios that would share a result folder all fail: no silent overwriting.

    Names are compared without case: on macOS and Windows ``R1`` and ``r1`` are one folder.
    """
    by_name: dict[str, list[_Job]] = {}
    for job in jobs:
        by_name.setdefault(job.name.lower(), []).append(job)
    for group in by_name.values():
        if len(group) > 1:
            files = ", ".join(str(job.file) for job in group)
            names = " / ".join(dict.fromkeys(repr(job.name) for job in group))
            for job in group:
                job.task = None
                job.name = group[0].name
                job.error = (f"result folder {names} is claimed by several scenario files "
                             f"({files}); give each scenario its own name", "")


def _settle(job: _Job, out: Path, result: TaskResult | None) -> Outcome:
    """Write what a job produced (results or error.txt) and say what happened."""
    folder = out / job.name
    if job.skipped:
        return Outcome(job.file, job.name, job.title, "skipped", folder)
    message, detail = job.error or ("", "")
    seconds = 0.0
    if result is not None:
        message, detail, seconds = result.message, result.detail, result.seconds
        if result.evaluation is not None:
            files = {**result.evaluation.tables(), "run.log": result.log}
            try:
                with writing(folder):
                    folder = write_result_folder(
                        out, job.name, files,
                        seal=lambda staging: write_fingerprint(staging, job.fingerprint))
            except ResultsError:
                raise  # the next folder would fail the same way: stop the batch
            except RailsimError as exc:
                message = str(exc)
            except Exception as exc:
                message, detail = unexpected(exc)
            else:
                return Outcome(job.file, job.name, job.title, "ok", folder, "", seconds,
                               job.changed)
    if name_taken(folder):  # nowhere to put error.txt: the message says it all
        return Outcome(job.file, job.name, job.title, "failed", folder, message, seconds)
    with writing(folder):
        if holds_results(folder):
            # Nothing is lost to a typo: the last results that ran stay, marked by the
            # error (which also makes the next run recompute them).
            write_text_atomic(folder / "error.txt",
                              error_text(job.file, message, detail) + KEPT_NOTE)
        else:
            write_result_folder(out, job.name,
                                {"error.txt": error_text(job.file, message, detail)})
    return Outcome(job.file, job.name, job.title, "failed", folder, message, seconds)


KEPT_NOTE = ("\nThe results of the last run of this scenario that succeeded are kept in "
             "this folder (fingerprint.txt and scenario.resolved.yaml say what they were "
             "computed from); they are not results of the file above.\n")

"""Command-line interface: thin wrappers over the public API.

User mistakes (bad scenarios, missing files) and trouble with the file system (no
permission, disk full) are printed as clear messages with exit code 1, never as
tracebacks; a traceback means a bug in railsim. Ctrl-C stops with exit code 130, and
SIGTERM and SIGHUP stop the same way with 143 and 129.
"""

from __future__ import annotations

import contextlib
import errno
import io
import logging
import math
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

import click

from railsim.errors import RailsimError

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from railsim.batch import Outcome
    from railsim.config.schema import Scenario
    from railsim.corridor import Corridor

class _GivenPath(click.Path):
    """A path argument that is not empty: "" would be the current folder (a shell variable
    that expanded to nothing would validate or run everything below it)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("an empty path (did a shell variable expand to nothing?); give a file "
                      "or folder, '.' for the current one", param, ctx)
        return super().convert(value, param, ctx)


class _Command(click.Command):
    """A command that checks the RAILSIM_* environment variables once its arguments are
    parsed: before it does anything, but after ``--help``, which always answers."""

    def invoke(self, ctx: click.Context) -> Any:
        if not ctx.resilient_parsing:
            _check_environment((ctx.find_root().obj or {}).get("data"))
        return super().invoke(ctx)


class _Group(click.Group):
    command_class = _Command
    group_class = type  # subgroups (railsim data) make their commands the same way


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"],
                                           "max_content_width": 100})
@click.version_option(package_name="railsim")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), default=None,
              help="Corridor data folder  [default: $RAILSIM_DATA or the shipped data/].")
@click.option("--root", "roots", multiple=True,
              type=click.Path(exists=True, file_okay=False),
              help="Another folder that `extends` may reach (repeatable), e.g. the shipped "
                   "scenarios your variants build on.")
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None, roots: tuple[str, ...]) -> None:
    """railsim: feasibility studies of regional commuter rail."""
    ctx.obj = {"data": data_dir, "roots": roots}


def _check_environment(data_dir: str | None) -> None:
    """The RAILSIM_* environment variables hold values railsim can use, or exit 2 (as for
    a wrong option) saying which, once: checked per scenario they would fail every one of
    them as if its file were at fault."""
    from railsim.api import data_folder
    from railsim.config.limits import limit_factor
    from railsim.errors import SettingError
    from railsim.parallel import start_method

    try:
        limit_factor()
        start_method()
        if data_dir is None:  # --data wins over $RAILSIM_DATA
            data_folder()
    except SettingError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


def _roots(ctx: click.Context) -> tuple[str, ...]:
    roots: tuple[str, ...] = (ctx.find_root().obj or {}).get("roots", ())
    return roots


def _corridor(ctx: click.Context) -> Corridor:
    """The corridor of ``--data`` (or the default), or exit 1 with a clear message."""
    from railsim.api import load_corridor

    try:
        return load_corridor((ctx.obj or {}).get("data"))
    except RailsimError as exc:
        click.echo(f"cannot read the corridor data: {exc}", err=True)
        sys.exit(1)


def _run_settings(replications: int | None, seed: int | None, draws: int | None,
                  assignments: tuple[str, ...]) -> dict[str, Any]:
    """Run settings from the command line as scenario overrides (dotted paths); each value
    is read as the scenario files' loader reads it (``6:30`` a time, not 390 minutes)."""
    from railsim.config.yamlio import read_scalar

    settings: dict[str, Any] = {}
    for text in assignments:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{text!r}: expected KEY=VALUE, e.g. "
                                     "simulation.seed=7", param_hint="--set")
        if key.strip() in settings:  # which one counts would be a guess
            raise click.BadParameter(f"{key.strip()} is set twice: give it once",
                                     param_hint="--set")
        try:
            settings[key.strip()] = read_scalar(value)
        except ValueError as exc:
            raise click.BadParameter(f"{text!r}: {exc}", param_hint="--set") from None
    named: dict[str, tuple[str, int | None]] = {
        "simulation.replications": ("--replications", replications),
        "simulation.seed": ("--seed", seed), "uncertainty.draws": ("--draws", draws)}
    for key, (option, given) in named.items():
        if given is None:
            continue
        if key in settings:
            raise click.BadParameter(f"{key} is given by {option} and by --set: give it once",
                                     param_hint="--set")
        settings[key] = given
    return settings


MAX_WORKERS = max(8, 4 * (os.cpu_count() or 1))
"""Most local worker processes (each holds the stack, about 150 MB): a typo such as
--workers 1000 must not start a thousand."""


_SET_HELP = ("Override a scenario value for this run, KEY=VALUE with a dotted path "
             "(e.g. --set appraisal.discount_rate=0.04); one value each (a number, text, "
             "true/false, a time), read as in a scenario file; repeatable. Stored in "
             "scenario.resolved.yaml.")


_QUIET = click.option("--quiet", "-q", is_flag=True,
                      help="Print only problems: no progress, no log records below errors.")
_VERBOSE = click.option("--verbose", "-v", count=True,
                        help="Show the log records: -v the stages of each scenario, -vv "
                             "everything (each result folder's run.log has them all).")


@cli.command(short_help="Check scenario files or folders (exit 1 on any problem).")
@click.argument("paths", nargs=-1, required=True, type=_GivenPath())
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE", help=_SET_HELP)
@click.pass_context
def validate(ctx: click.Context, paths: tuple[str, ...], quiet: bool,
             assignments: tuple[str, ...]) -> None:
    """Check scenario files (or folders of them), building each timetable; exit 1 on any
    problem."""
    from railsim.config.files import find_scenarios
    from railsim.config.summary import summarise
    from railsim.scenarios import load_scenario

    settings = _run_settings(None, None, None, assignments)
    corridor = _corridor(ctx)
    files = find_scenarios(paths)
    if not files:
        click.echo("no scenario files found in: " + ", ".join(paths), err=True)
        sys.exit(1)
    loaded: dict[Path, Scenario | str] = {}
    seen: set[Path] = set()
    for file, root in files:
        try:
            scenario = load_scenario(file, corridor, root, settings=settings,
                                     extra_roots=_roots(ctx), timetable=True)
        except RailsimError as exc:
            loaded[file] = str(exc)
            continue
        if file.resolve() not in seen:  # the same file reached twice (say, by a link)
            seen.add(file.resolve())
            loaded[file] = scenario
    _name_clashes(loaded)
    failed = 0
    for file, outcome in loaded.items():
        if isinstance(outcome, str):
            failed += 1
            click.echo(f"FAIL {file}", err=True)
            for line in outcome.splitlines():
                click.echo(f"  {line}", err=True)
        elif not quiet:
            click.echo(f"ok   {file}: {summarise(outcome)}")
    total = len(loaded)
    click.echo(f"{total - failed} of {total} scenarios valid", err=bool(failed))
    sys.exit(1 if failed else 0)


def _name_clashes(loaded: dict[Path, Scenario | str]) -> None:
    """Scenarios that would share a result folder fail (names compared without case, as
    macOS and Windows compare folder names)."""
    by_name: dict[str, list[Path]] = {}
    for file, outcome in loaded.items():
        if not isinstance(outcome, str):
            by_name.setdefault(outcome.name.lower(), []).append(file)
    for group in by_name.values():
        if len(group) > 1:
            for file in group:
                others = ", ".join(str(other) for other in group if other != file)
                scenario = loaded[file]
                assert not isinstance(scenario, str)
                loaded[file] = (f"{file}: name: result folder {scenario.name!r} is also "
                                f"claimed by {others}; give each scenario its own name")


@cli.command(short_help="Print the scenario schema (JSON, Markdown reference, editor schema).")
@click.option("--format", "fmt", type=click.Choice(["json", "markdown", "editor"]),
              default="json", show_default=True,
              help="JSON schema, the Markdown reference, or the schema for editors "
                   "(scenario files with extends/apply/overrides).")
def schema(fmt: str) -> None:
    """Print the scenario schema."""
    from railsim.config import docs

    if fmt == "editor":
        click.echo(docs.editor_schema(), nl=False)
    else:
        click.echo(docs.json_schema() if fmt == "json" else docs.markdown())


class _SettingRange(click.IntRange):
    """The bounds the scenario schema sets on a run setting, checked once, before a run
    writes anything (not once per scenario as each loads).

    Read from the schema when first needed (a value to check, the help): importing it
    takes 0.1 s, and a run starts its workers' fork server before that."""

    def __init__(self, section: str, name: str) -> None:  # no super(): min, max come later
        self.where = (section, name)
        self.min_open = self.max_open = self.clamp = False

    def __getattr__(self, name: str) -> Any:  # only for attributes not set yet
        if name not in ("min", "max"):
            raise AttributeError(name)
        from railsim.config.schema import Scenario
        from railsim.config.validate import field_limits

        section, setting = self.where
        model: Any = Scenario.model_fields[section].annotation
        low, high = field_limits(model.model_fields[setting])
        # the schema's own ints, exact: float(2**63 - 1) would round up to 2**63
        self.min = None if low is None else int(low)
        self.max = None if high is None else int(high)
        return getattr(self, name)


@cli.command(short_help="Evaluate scenarios into DIR/<scenario>/, DIR/summary.csv and the report.")
@click.argument("paths", nargs=-1, required=True, type=_GivenPath())
@click.option("--out", "out_dir", default="results", show_default=True,
              type=click.Path(file_okay=False), help="Result folder.")
@click.option("--prune", is_flag=True,
              help="Remove result folders of scenarios that are not in this run.")
@click.option("--replications", type=_SettingRange("simulation", "replications"),
              default=None,
              help="Simulated days: sets simulation.replications of every scenario.")
@click.option("--seed", type=_SettingRange("simulation", "seed"), default=None,
              help="Root seed of all random streams: sets simulation.seed.")
@click.option("--draws", type=_SettingRange("uncertainty", "draws"), default=None,
              help="Appraisal uncertainty draws: sets uncertainty.draws.")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE", help=_SET_HELP)
@click.option("--workers", type=click.IntRange(1, MAX_WORKERS), default=None,
              help="Local processes, one scenario each  [default: all cores].")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Run on this Dask cluster (e.g. tcp://host:8786) instead of locally; "
              "only a trusted one (results come back as pickles).")
@click.option("--scheduler-timeout", metavar="SECONDS", type=click.FloatRange(0, 3600,
              min_open=True), default=10.0, show_default=True,
              help="Give up when the Dask scheduler does not answer within this time.")
@click.option("--force", is_flag=True,
              help="Recompute scenarios whose results are unchanged.")
@click.option("--report/--no-report", default=True, show_default=True,
              help="Write the report (DIR/report.fi.html, report.en.html) after the batch.")
@click.option("--charts", "chart_files", default="", metavar="FORMATS",
              help="Also write every chart as files under charts/: png, svg or png,svg.")
@_QUIET
@_VERBOSE
@click.pass_context
def run(ctx: click.Context, paths: tuple[str, ...], out_dir: str, replications: int | None,
        seed: int | None, draws: int | None, assignments: tuple[str, ...],
        workers: int | None, scheduler: str | None, scheduler_timeout: float, force: bool,
        report: bool, prune: bool, chart_files: str, quiet: bool, verbose: int) -> None:
    """Evaluate scenarios and write DIR/<scenario>/ and DIR/summary.csv; exit 1 if any failed.

    --seed, --replications, --draws and --set change the scenarios as they are loaded
    (validated like the file's own values), so each result folder's
    scenario.resolved.yaml reproduces it. Each scenario's log records go to its
    run.log; -v shows them here as well, -q only problems.
    """
    if not out_dir.strip():
        raise click.BadParameter("empty: name the result folder (e.g. --out results)",
                                 param_hint="--out")
    missing = [path for path in paths if not Path(path).exists()]
    if missing:  # checked before anything is written: a typo must not leave a result folder
        click.echo("no such file or folder: " + ", ".join(missing), err=True)
        sys.exit(1)
    settings = _run_settings(replications, seed, draws, assignments)
    count = workers or os.cpu_count() or 1
    try:
        if count > 1:
            _start_fork_server(report)
        with _Terminal(quiet, verbose) as terminal, _run_pool(count, report) as pool:
            _run_all(ctx, paths, out_dir, settings, count, scheduler, scheduler_timeout,
                     force, report, prune, chart_files, terminal, pool)
    except KeyboardInterrupt as exc:
        # stopped outside the batch and the report (which say what they leave): while
        # the corridor loads and the stack is imported, say. Its status, not click's
        # "Aborted!" and 1.
        how, status = _interruption(exc)
        click.echo(how, err=True)
        sys.exit(status)


def _run_all(ctx: click.Context, paths: tuple[str, ...], out_dir: str,
             settings: dict[str, Any], count: int, scheduler: str | None,
             scheduler_timeout: float, force: bool, report: bool, prune: bool,
             chart_files: str, terminal: _Terminal, pool: Executor | None) -> None:
    from railsim.config.files import find_scenarios, folder_containing

    corridor = _corridor(ctx)
    files = find_scenarios(paths)
    if not files:
        click.echo("no scenario files found in: " + ", ".join(paths), err=True)
        sys.exit(1)
    out = Path(out_dir)
    inside = folder_containing(out, paths)
    if inside is not None:
        click.echo(f"--out {out} is inside the scenario folder {inside}: the next run over "
                   f"{inside} would read the results as scenarios; choose a result folder "
                   "outside it", err=True)
        sys.exit(1)
    here = (count == 1 and scheduler is None) or len(files) == 1  # this process evaluates
    _import_the_stack(here, report and count == 1)
    from railsim.results import locked

    try:
        with locked(out):
            _run(files, out, corridor, settings, _roots(ctx), count, scheduler,
                 scheduler_timeout, force, report, prune, chart_files, terminal, pool)
    except RailsimError as exc:  # the result folder could not be created or locked
        click.echo(str(exc), err=True)
        sys.exit(1)


def _worker_modules(charts: bool) -> tuple[str, ...]:
    """What the run's workers import once: the evaluation's modules, and the charts' too
    when they will draw ``charts``."""
    from railsim.batch.backends import WORKER_MODULES
    from railsim.report.builder import WORKER_MODULES as CHART_MODULES

    return (*WORKER_MODULES, *CHART_MODULES) if charts else WORKER_MODULES


def _import_the_stack(evaluates: bool, charts: bool) -> None:
    """Where the process is the command's own, import what it will use up front, frozen
    (:func:`railsim.parallel.import_frozen`): what loading scenarios and taking in results
    need, and what evaluating (if it ``evaluates``) and drawing ``charts`` here will. In a
    caller's process, nothing: its modules come as they are needed."""
    if not _OWN_PROCESS:
        return
    from railsim.batch.backends import RESULT_MODULES
    from railsim.parallel import import_frozen

    loading = ("railsim.scenarios", *RESULT_MODULES)
    import_frozen((*loading, *_worker_modules(charts)) if evaluates else loading)


def _start_fork_server(charts: bool) -> None:
    """Start the process that the run's workers will fork from, first thing: it imports
    their modules (0.6 s) while this one reads the options and loads the scenarios."""
    from railsim.parallel import start_fork_server

    start_fork_server(_worker_modules(charts))


@contextlib.contextmanager
def _run_pool(workers: int, charts: bool) -> Iterator[Executor | None]:
    """The run's one pool of local processes (none for one worker), started at once so
    that its workers import railsim (and matplotlib when they will draw ``charts``) while
    this process loads the scenarios; their log records come back here."""
    if workers <= 1:
        yield None
        return
    from railsim import logs
    from railsim.parallel import event_queue, worker_pool

    events = event_queue()
    with worker_pool(workers, _worker_modules(charts), events, start=True) as pool, \
            logs.listening(events):
        yield pool


def _run(files: list[tuple[Path, Path]], out: Path, corridor: Corridor,
         settings: dict[str, Any], roots: tuple[str, ...], workers: int,
         scheduler: str | None, scheduler_timeout: float, force: bool, report: bool,
         prune: bool, chart_files: str, terminal: _Terminal, pool: Executor | None) -> None:
    """The batch and its report, under the result folder's lock."""
    from railsim.batch import run_batch

    pending: dict[str, Any] = {}

    def done(outcome: Outcome) -> None:
        terminal.done(outcome)
        if report and pool is not None and outcome.status == "ok":
            # its charts are drawn while the other scenarios are still evaluated (not a
            # back-cast's: beside options the report shows none of them, and alone they
            # are drawn with the report)
            from railsim.batch.summary import is_back_cast
            from railsim.report.builder import submit_charts
            from railsim.results import read_resolved

            if not is_back_cast(read_resolved(outcome.folder)):
                pending[outcome.name] = submit_charts(pool, outcome.folder)

    terminal.start(len(files), "scenario")
    try:
        result = run_batch(files, out, corridor, settings=settings,
                           workers=workers, scheduler=scheduler, force=force,
                           progress=done, roots=roots, prune=prune,
                           scheduler_timeout=scheduler_timeout, pool=pool)
    except KeyboardInterrupt as exc:
        how, status = _interruption(exc)
        terminal.note(f"{how}: finished scenarios are written, the rest are not", err=True)
        sys.exit(status)
    except RailsimError as exc:
        terminal.note(f"stopped: {exc}", err=True)
        sys.exit(1)
    failed, total = len(result.failed), len(result.outcomes)
    skipped = sum(o.status == "skipped" for o in result.outcomes)
    unchanged = f" ({skipped} unchanged, not rerun)" if skipped else ""
    if failed or not terminal.quiet:
        terminal.note(f"{total - failed} of {total} scenarios evaluated{unchanged}; results "
                      f"in {out}", err=bool(failed))
    if result.stale:
        names = ", ".join(folder.name for folder in result.stale)
        unread = ", ".join(str(file) for file in result.prune_withheld)
        terminal.note(f"removed {len(result.stale)} stale result folder(s): {names}"
                      if result.pruned else
                      f"{len(result.stale)} result folder(s) in {out} belong to no scenario "
                      f"of this run: {names}; not removed, as the folder of {unread} (which "
                      "cannot be read) may be one of them" if result.prune_withheld else
                      f"{len(result.stale)} result folder(s) in {out} belong to no scenario "
                      f"of this run (renamed or deleted?): {names}; --prune removes them",
                      err=True)
    if report:
        from railsim.report import build_report

        fresh = {o.name for o in result.outcomes if o.status != "skipped"}
        terminal.start(1, "report")
        with _report_errors():
            path = build_report(out, workers=workers, redraw=fresh,
                                chart_files=_formats(chart_files), pool=pool,
                                pending=pending)
        terminal.finish()
        if not terminal.quiet:
            terminal.note(f"report: {path}")
    sys.exit(1 if failed else 0)


@contextlib.contextmanager
def _report_errors() -> Iterator[None]:
    """Ctrl-C or a file-system error while the report is written: a clear line, no
    traceback (the previous report.html stays until a new one is complete)."""
    try:
        yield
    except KeyboardInterrupt as exc:
        how, status = _interruption(exc)
        click.echo(f"{how}: the report was not written; results are complete "
                   "(railsim report DIR writes it)", err=True)
        sys.exit(status)
    except RailsimError as exc:
        click.echo(f"report not written: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"report not written: cannot write {exc.filename or 'to the result folder'}: "
                   f"{exc.strerror or exc}", err=True)
        sys.exit(1)


class _Terminal:
    """What a run shows: log records at the level asked (-q errors, default warnings, -v
    info, -vv debug) and, on a terminal, a progress bar whose text says which stage
    (timetable, simulation, ... report) the latest record started; one plain line per
    scenario always (unless -q)."""

    def __init__(self, quiet: bool = False, verbose: int = 0) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.gone: set[bool] = set()
        """The streams (err or not) whose reader has gone: nothing more is written there."""
        self.tty = sys.stderr.isatty() and not quiet
        level = (logging.ERROR if quiet else logging.WARNING if not verbose
                 else logging.INFO if verbose == 1 else logging.DEBUG)
        self.logger = logging.getLogger("railsim")
        self.saved = (self.logger.level, self.logger.propagate)
        # stage records (INFO) are needed for the bar even when they are not printed
        self.logger.setLevel(min(level, logging.INFO) if self.tty else level)
        self.logger.propagate = False
        self.handlers: list[logging.Handler] = [_Records(self, level)]
        if self.tty:
            self.handlers.append(_Stages(self))
        for handler in self.handlers:
            self.logger.addHandler(handler)

    def __enter__(self) -> _Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.finish()
        for handler in self.handlers:
            self.logger.removeHandler(handler)
        self.logger.setLevel(self.saved[0])
        self.logger.propagate = self.saved[1]

    def start(self, total: int, unit: str) -> None:
        self.finish()
        if self.tty:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=unit, file=sys.stderr)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def stage(self, text: str) -> None:
        bar = self.bar
        if bar is not None:
            bar.set_description_str(text[:60])

    def note(self, text: str, err: bool = False) -> None:
        if err in self.gone:
            return
        bar = self.bar
        try:
            if bar is not None:
                bar.write(text, file=sys.stderr if err else sys.stdout)
            else:
                click.echo(text, err=err)
        except BrokenPipeError:
            # the reader went away (railsim run ... | head): the run goes on unseen, its
            # results and report are written (they, not these lines, are its product)
            self.gone.add(err)

    def done(self, outcome: Outcome) -> None:
        if outcome.status == "ok" and not self.quiet:
            self.note(f"ok   {outcome.file} -> {outcome.folder} ({outcome.seconds:.1f} s)")
            if outcome.changed:
                shown = ", ".join(outcome.changed[:5])
                more = f" and {len(outcome.changed) - 5} more" if len(outcome.changed) > 5 else ""
                self.note(f"     changed since the previous result: {shown}{more}")
        elif outcome.status == "skipped" and not self.quiet:
            self.note(f"skip {outcome.file} (unchanged)")
        elif outcome.status == "failed":
            self.note(f"FAIL {outcome.file}", err=True)
            for line in outcome.message.splitlines():
                self.note(f"  {line}", err=True)
        if self.bar is not None:
            self.bar.update(1)


class _Records(logging.Handler):
    """Log records as lines on stderr (above the progress bar)."""

    def __init__(self, terminal: _Terminal, level: int) -> None:
        super().__init__(level)
        self.terminal = terminal

    def emit(self, record: logging.LogRecord) -> None:
        from railsim.logs import current_scenario

        scenario = getattr(record, "scenario", None) or current_scenario()
        where = f"{scenario}: " if scenario and getattr(record, "stage", None) is None else ""
        self.terminal.note(f"{record.levelname.lower()}: {where}{record.getMessage()}",
                           err=True)


class _Stages(logging.Handler):
    """The stage records, as the progress bar's text."""

    def __init__(self, terminal: _Terminal) -> None:
        super().__init__(logging.INFO)
        self.terminal = terminal

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "stage", None) is not None:
            self.terminal.stage(record.getMessage())


@contextlib.contextmanager
def _failing(scenario: str, *errors: type[Exception]) -> Iterator[None]:
    """``FAIL <file>`` and the message, exit 1, for the errors a user can cause."""
    try:
        yield
    except errors as exc:
        click.echo(f"FAIL {scenario}", err=True)
        for line in str(exc).splitlines():
            click.echo(f"  {line}", err=True)
        sys.exit(1)


def _train_scenario(ctx: click.Context, scenario: str, corridor: Corridor, verb: str
                    ) -> Scenario:
    """The loaded scenario; a do-minimum ends the command (exit 0: nothing to ``verb``)."""
    from railsim.scenarios import load_scenario

    loaded = load_scenario(scenario, corridor, extra_roots=_roots(ctx))
    if loaded.is_do_minimum:
        click.echo(f"{scenario}: no train service (do-minimum); nothing to {verb}")
        sys.exit(0)
    return loaded


@cli.command(short_help="Build one scenario's timetable: quantities, capacity, GTFS, diagram.")
@click.argument("scenario", type=_GivenPath())
@click.option("--gtfs", "gtfs_path", type=click.Path(dir_okay=False),
              help="Write the planned service as a GTFS zip.")
@click.option("--diagram", "diagram_path", type=click.Path(dir_okay=False),
              callback=lambda _ctx, _param, value: _diagram_suffix(value),
              help="Write a time–distance diagram (PNG or SVG by suffix).")
@click.option("--day", "day_type", type=click.Choice(["weekday", "saturday", "sunday"]),
              default="weekday", show_default=True, help="Day type of the diagram.")
@click.pass_context
def timetable(ctx: click.Context, scenario: str, gtfs_path: str | None,
              diagram_path: str | None, day_type: str) -> None:
    """Build a scenario's timetable; print quantities, capacity and conflicts."""
    from railsim.timetable.capacity import occupancy_table, remaining_freight_paths
    from railsim.timetable.plan import plan_service

    corridor = _corridor(ctx)
    with _failing(scenario, RailsimError):
        loaded = _train_scenario(ctx, scenario, corridor, "build")
        plan = plan_service(loaded, corridor)
    click.echo(f"{loaded.name}: {loaded.title}")
    for day, table in plan.timetables.items():
        circ = plan.circulations[day]
        wait = sum(t.crossing_wait_s for t in table.passenger_trips()) / 60
        click.echo(f"  {day}: {len(table.passenger_trips())} passenger trips, "
                   f"{len(table.trips) - len(table.passenger_trips())} freight, "
                   f"{circ.train_km:.0f} train-km, {circ.units_in_service} units in service, "
                   f"{wait:.1f} min planned crossing waits")
    click.echo(f"  units required (with spares): {plan.units_required}")
    click.echo(f"  per year: {plan.annual('train_km'):,.0f} train-km, "
               f"{plan.annual('unit_km'):,.0f} unit-km, {plan.annual('train_hours'):,.0f} "
               "train-hours")
    for (a, b), minutes in sorted(plan.travel_times_min().items()):
        click.echo(f"  travel time {a}→{b}: {minutes:.1f} min")
    if day_type in plan.timetables:
        table = plan.timetables[day_type]
        occupancy = occupancy_table(table, loaded.operations.crossing_buffer_s)
        if len(occupancy):
            top = occupancy.sort_values("occupancy_peak_hour_pct", ascending=False).iloc[0]
            click.echo(f"  busiest single-track block ({day_type}): {top['block_id']} "
                       f"{top['occupancy_peak_hour_pct']:.0f} % in the hour from "
                       f"{top['peak_hour_start']}")
        for paths in remaining_freight_paths(table, plan.network, loaded, corridor):
            click.echo(f"  free freight paths on {paths.line_id} ({day_type}, 05–23): "
                       f"{paths.outward} outward, {paths.inward} towards Lahti")
    click.echo(f"  conflicts: {len(plan.conflicts)}")
    if gtfs_path:
        from railsim.timetable.gtfs import write_gtfs

        with _write_errors(gtfs_path):
            click.echo(f"  GTFS written to {write_gtfs(plan, Path(gtfs_path))}")
    if diagram_path:
        if day_type not in plan.timetables:
            click.echo(f"no {day_type} service to draw", err=True)
            sys.exit(1)
        from railsim.plot.diagram import time_distance

        names = {sid: station.name for sid, station in plan.network.stations.items()}
        fig = time_distance(plan.stop_times_frame(), plan.trips_frame(), names,
                            day_type=day_type)
        from railsim.results import write_bytes_atomic

        image = io.BytesIO()  # drawn whole first: an interruption leaves no half file
        fig.savefig(image, format=Path(diagram_path).suffix.lower()[1:], dpi=110)
        with _write_errors(diagram_path):
            write_bytes_atomic(Path(diagram_path), image.getvalue())
        click.echo(f"  diagram written to {diagram_path}")


def _diagram_suffix(path: str | None) -> str | None:
    """``path`` when it names a .png or .svg file (what the diagram is written as)."""
    if path is not None and Path(path).suffix.lower() not in (".png", ".svg"):
        raise click.BadParameter(f"{path!r}: the diagram is written as .png or .svg; name "
                                 "the file with one of these suffixes")
    return path


@contextlib.contextmanager
def _write_errors(path: str) -> Iterator[None]:
    try:
        yield
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte, an unknown image suffix
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        click.echo(f"cannot write {path}: {reason}", err=True)
        sys.exit(1)


@cli.command(short_help="Search the cheapest passing loops that make a pattern run.")
@click.argument("scenario", type=_GivenPath())
@click.option("--headway", "headway_min", type=click.FloatRange(1, 720),
              default=None, help="Run every service every MIN minutes all day instead of "
              "the scenario's pattern.", metavar="MIN")
@click.option("--max-loops", type=click.IntRange(0, 12), default=4, show_default=True,
              help="Most new passing loops in a set.")
@click.option("--candidates", "step_km", type=click.FloatRange(min=0.2), default=1.0,
              show_default=True, metavar="STEP_KM",
              help="Candidate sites: stations, historic stations and every STEP_KM of line.")
@click.pass_context
def loops(ctx: click.Context, scenario: str, headway_min: float | None, max_loops: int,
          step_km: float) -> None:
    """Search the passing loops that make a scenario's pattern run; print the Pareto front
    (cost, crossing waits, simulated punctuality, free freight paths) and the YAML to paste.
    Exit 1 when nothing within the limits works (it says what binds)."""
    from railsim.scenarios import with_search_headway
    from railsim.sim.loops import search_loops

    corridor = _corridor(ctx)
    with _failing(scenario, RailsimError, ValueError):
        loaded = _train_scenario(ctx, scenario, corridor, "search")
        with_search_headway(loaded, headway_min, corridor,
                            f"{scenario} run every {headway_min:g} min (--headway)")
        result = search_loops(loaded, corridor, headway_min, max_loops, step_km)
    click.echo(result.text())
    sys.exit(0 if result.front else 1)


@cli.command(short_help="Redraw the charts and rebuild the reports (fi, en) from a result folder.")
@click.argument("out_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False))
@click.option("--no-charts", is_flag=True, help="Leave the charts out (text and tables only).")
@click.option("--pdf", is_flag=True,
              help="Also print report.fi.pdf and report.en.pdf (A4) with headless Chromium.")
@click.option("--charts", "chart_files", default="", metavar="FORMATS",
              help="Also write every chart as files under charts/: png, svg or png,svg.")
@click.option("--workers", type=click.IntRange(1, MAX_WORKERS), default=None,
              help="Processes drawing the charts, a chart each  [default: all cores].")
@_QUIET
@_VERBOSE
def report(out_dir: str, no_charts: bool, pdf: bool, chart_files: str,
           workers: int | None, quiet: bool, verbose: int) -> None:
    """Write DIR/report.fi.html and report.en.html (and report.html linking both) from a
    result folder; print the path of report.html (unless -q)."""
    from railsim.report import build_report
    from railsim.results import locked, remove_leftovers, writing

    # under the folder's lock: a run still writing it would give a report of half a batch
    with _Terminal(quiet, verbose) as terminal, _report_errors(), locked(Path(out_dir)):
        # a killed run may have left a result folder moved aside: put it back first
        with writing(Path(out_dir), "clear the leftovers of an interrupted run in"):
            remove_leftovers(Path(out_dir))
        terminal.start(1, "report")
        path = build_report(Path(out_dir), charts=not no_charts, pdf=pdf,
                            chart_files=_formats(chart_files),
                            workers=workers or os.cpu_count() or 1)
        terminal.finish()
    if not quiet:
        click.echo(path.resolve())


def _formats(text: str) -> tuple[str, ...]:
    """'png,svg' → ('png', 'svg'); unknown formats are refused by the report."""
    return tuple(part.strip().lower() for part in text.split(",") if part.strip())


@cli.command(short_help="Inputs (and KPIs of result folders) that differ between A and B.")
@click.argument("a", type=_GivenPath())
@click.argument("b", type=_GivenPath())
@click.option("--limit", type=click.IntRange(1), default=40, show_default=True,
              help="At most this many KPI rows (largest relative change first).")
def diff(a: str, b: str, limit: int) -> None:
    """Inputs (and, for result folders, KPIs) that differ between A and B.

    A and B are scenario files or result folders (DIR/<scenario>/). Inputs are compared
    on the fully resolved scenarios; lists of items with an id are matched by id.
    """
    from railsim.diff import format_value, input_changes, kpi_changes, load_resolved

    try:
        (scenario_a, folder_a), (scenario_b, folder_b) = load_resolved(a), load_resolved(b)
        changes = input_changes(scenario_a, scenario_b)
        kpis = kpi_changes(folder_a, folder_b) if folder_a and folder_b else None
    except RailsimError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"A: {a} ({scenario_a.name})\nB: {b} ({scenario_b.name})")
    click.echo(f"{len(changes)} input(s) differ" + (":" if changes else ""))
    for change in changes:
        unit = f" [{change.unit}]" if change.unit else ""
        click.echo(f"  {change.path}{unit}: {format_value(change.a)} -> "
                   f"{format_value(change.b)}")
    if kpis is not None:
        click.echo(f"{len(kpis)} KPI row(s) differ" + (":" if len(kpis) else ""))
        order = kpis.assign(size=kpis["change_pct"].abs().fillna(float("inf")))
        top = order.sort_values("size", ascending=False).head(limit)
        for row in top.to_dict("records"):
            pct_change = float(row["change_pct"])
            pct = "" if math.isnan(pct_change) else f" ({pct_change:+.1f} %)"
            click.echo(f"  {row['variable']} [{row['statistic']}, {row['unit']}]: "
                       f"{float(row['value_a']):.6g} -> {float(row['value_b']):.6g}{pct}")
        if len(kpis) > limit:
            click.echo(f"  ... {len(kpis) - limit} more (--limit)")


@cli.group(short_help="The corridor data railsim reads (railsim data path).")
def data() -> None:
    """The corridor data railsim reads."""


@data.command("path")
@click.pass_context
def data_path(ctx: click.Context) -> None:
    """Print the data folder in use (--data, $RAILSIM_DATA or the shipped data)."""
    from railsim.api import data_folder

    where = data_folder((ctx.find_root().obj or {}).get("data")).resolve()
    if not where.is_dir():
        click.echo(f"data folder not found: {where}", err=True)
        sys.exit(1)
    click.echo(where)


class _Stopped(KeyboardInterrupt):
    """SIGTERM (a scheduler or ``kill``) or SIGHUP (the terminal closed): the command
    stops as on Ctrl-C, so that what a run has written is kept and summed up, and exits
    with the signal's status (128 + its number) instead of dying mid-write."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


_stopped_by: list[int] = []
"""The stop signal received, if any: whatever a command makes of it (click's "Aborted!"
and status 1 where nothing else handles it), the process exits with 128 + its number."""


def _stop(signum: int, frame: FrameType | None) -> None:
    # once: a second signal while the run stops ends it on the spot (the next run clears
    # what it leaves)
    signal.signal(signum, signal.SIG_DFL)
    _stopped_by.append(signum)
    raise _Stopped(signum)


def _stop_on_signals() -> None:
    """Stop on SIGTERM and SIGHUP as on Ctrl-C; a signal ignored (nohup) stays ignored."""
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)  # Windows has no SIGHUP
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:
            signal.signal(number, _stop)


def _interruption(exc: KeyboardInterrupt) -> tuple[str, int]:
    """How a command was stopped, in words, and its exit status."""
    if isinstance(exc, _Stopped):
        return f"stopped by {signal.Signals(exc.signum).name}", 128 + exc.signum
    return "interrupted", 130


_OWN_PROCESS: list[bool] = []
"""[True] once :func:`main` runs: the process is the command's own (``railsim``), not a
caller's that invokes the command group (a test's CliRunner, a notebook), whose objects
must not be frozen."""


def main() -> None:
    """Console-script entry point."""
    _OWN_PROCESS.append(True)
    _stop_on_signals()
    try:
        cli(standalone_mode=True)
    except RailsimError as exc:  # pragma: no cover - commands handle their own errors
        click.echo(str(exc), err=True)
        _exit(1)
    except SystemExit as exc:  # click always ends this way
        _exit(128 + _stopped_by[0] if _stopped_by else exc.code)
    except OSError as exc:
        if exc.errno not in _FULL:
            raise
        # the output itself could not be written (railsim schema > file on a full disk);
        # what the commands write is checked where they write it
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.write(f"cannot write the output: {exc.strerror or exc}\n")
        _exit(1)


_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
"""Errors of writing to a full file system (or over a size or quota limit): not a bug."""


def _exit(code: str | int | None) -> NoReturn:
    """End the process as ``sys.exit(code)`` would, without the interpreter's teardown
    (:mod:`railsim.quick_exit`): nothing in it is ours to lose, as the exit handlers
    (logging's flush, multiprocessing's clean-up) run here first and output is flushed.
    Only with no other thread left that the normal exit would wait for."""
    import atexit
    import threading

    from railsim.quick_exit import exit_now

    if any(t is not threading.main_thread() and t.is_alive() and not t.daemon
           for t in threading.enumerate()):
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # as sys.exit does: the message on stderr, status 1
        if sys.stderr is not None:
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(f"{code}\n")
        status = 1
    atexit._run_exitfuncs()
    exit_now(status)


if __name__ == "__main__":
    main()

"""Command-line interface: thin wrappers over the public API.

User mistakes (bad scenarios, missing files) and trouble with the file system (no
permission, disk full) are printed as clear messages with exit code 1, never as
tracebacks; a traceback means a bug in railsim. Ctrl-C stops with exit code 130.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from railsim.config.files import find_scenarios, folder_containing
from railsim.errors import RailsimError

if TYPE_CHECKING:
    from railsim.batch import Outcome
    from railsim.config.schema import Scenario

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="railsim")
def cli() -> None:
    """railsim: feasibility studies of regional commuter rail."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
def validate(paths: tuple[str, ...], quiet: bool) -> None:
    """Check scenario files (or folders of them); exit 1 on any problem."""
    from railsim.config.summary import summarise
    from railsim.config.validate import load_scenario

    files = find_scenarios(paths)
    if not files:
        click.echo("no scenario files found in: " + ", ".join(paths), err=True)
        sys.exit(1)
    loaded: dict[Path, Scenario | str] = {}
    seen: set[Path] = set()
    for file, root in files:
        try:
            scenario = load_scenario(file, root)
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


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["json", "markdown"]), default="json",
              show_default=True, help="JSON schema or the Markdown reference.")
def schema(fmt: str) -> None:
    """Print the scenario schema."""
    from railsim.config import docs

    click.echo(docs.json_schema() if fmt == "json" else docs.markdown())


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Result folder.")
@click.option("--replications", type=click.IntRange(1), default=None,
              help="Simulated days (default: the scenario's).")
@click.option("--seed", type=click.IntRange(0), default=None,
              help="Root seed (default: the scenario's).")
@click.option("--workers", type=click.IntRange(1), default=None,
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
              help="Draw the charts and write DIR/report.html after the batch.")
def run(paths: tuple[str, ...], out_dir: str, replications: int | None, seed: int | None,
        workers: int | None, scheduler: str | None, scheduler_timeout: float, force: bool,
        report: bool) -> None:
    """Evaluate scenarios and write DIR/<scenario>/ and DIR/summary.csv; exit 1 if any failed."""
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
    from railsim.results import locked

    try:
        with locked(out):
            _run(files, out, replications, seed, workers, scheduler, scheduler_timeout, force,
                 report)
    except RailsimError as exc:  # the result folder could not be created or locked
        click.echo(str(exc), err=True)
        sys.exit(1)


def _run(files: list[tuple[Path, Path]], out: Path, replications: int | None,
         seed: int | None, workers: int | None, scheduler: str | None,
         scheduler_timeout: float, force: bool, report: bool) -> None:
    """The batch and its report, under the result folder's lock."""
    from railsim.batch import run_batch

    with _BatchProgress(len(files)) as progress:
        try:
            result = run_batch(files, out, replications=replications, seed=seed,
                               workers=workers, scheduler=scheduler, force=force,
                               progress=progress.done, scheduler_timeout=scheduler_timeout)
        except KeyboardInterrupt:
            progress.note("interrupted: finished scenarios are written, the rest are not",
                          err=True)
            sys.exit(130)
        except RailsimError as exc:
            progress.note(f"stopped: {exc}", err=True)
            sys.exit(1)
    failed, total = len(result.failed), len(result.outcomes)
    skipped = sum(o.status == "skipped" for o in result.outcomes)
    unchanged = f" ({skipped} unchanged, not rerun)" if skipped else ""
    click.echo(f"{total - failed} of {total} scenarios evaluated{unchanged}; results in {out}",
               err=bool(failed))
    if report:
        from railsim.report import build_report

        fresh = {o.name for o in result.outcomes if o.status != "skipped"}
        with _report_errors():
            path = build_report(out, workers=workers or os.cpu_count() or 1, redraw=fresh)
        click.echo(f"report: {path}")
    sys.exit(1 if failed else 0)


@contextlib.contextmanager
def _report_errors() -> Iterator[None]:
    """Ctrl-C or a file-system error while the report is written: a clear line, no
    traceback (the previous report.html stays until a new one is complete)."""
    try:
        yield
    except KeyboardInterrupt:
        click.echo("interrupted: the report was not written; results are complete "
                   "(railsim report DIR writes it)", err=True)
        sys.exit(130)
    except RailsimError as exc:
        click.echo(f"report not written: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"report not written: cannot write {exc.filename or 'to the result folder'}: "
                   f"{exc.strerror or exc}", err=True)
        sys.exit(1)


class _BatchProgress:
    """A progress bar on a terminal; one plain line per scenario always."""

    def __init__(self, total: int) -> None:
        self.bar: Any = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="scenario", file=sys.stderr)

    def __enter__(self) -> _BatchProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()

    def note(self, text: str, err: bool = False) -> None:
        if self.bar is not None:
            self.bar.write(text, file=sys.stderr if err else sys.stdout)
        else:
            click.echo(text, err=err)

    def done(self, outcome: Outcome) -> None:
        if outcome.status == "ok":
            self.note(f"ok   {outcome.file} -> {outcome.folder} ({outcome.seconds:.1f} s)")
        elif outcome.status == "skipped":
            self.note(f"skip {outcome.file} (unchanged)")
        else:
            self.note(f"FAIL {outcome.file}", err=True)
            for line in outcome.message.splitlines():
                self.note(f"  {line}", err=True)
        if self.bar is not None:
            self.bar.update(1)


@cli.command()
@click.argument("scenario", type=click.Path())
@click.option("--gtfs", "gtfs_path", type=click.Path(dir_okay=False),
              help="Write the planned service as a GTFS zip.")
@click.option("--diagram", "diagram_path", type=click.Path(dir_okay=False),
              help="Write a time–distance diagram (PNG or SVG by suffix).")
@click.option("--day", "day_type", type=click.Choice(["weekday", "saturday", "sunday"]),
              default="weekday", show_default=True, help="Day type of the diagram.")
def timetable(scenario: str, gtfs_path: str | None, diagram_path: str | None,
              day_type: str) -> None:
    """Build a scenario's timetable; print quantities, capacity and conflicts."""
    from railsim.config.validate import load_scenario
    from railsim.timetable.capacity import occupancy_table, remaining_freight_paths
    from railsim.timetable.plan import plan_service

    try:
        loaded = load_scenario(scenario)
        if loaded.is_do_minimum:
            click.echo(f"{scenario}: no train service (do-minimum); nothing to build")
            return
        plan = plan_service(loaded)
    except RailsimError as exc:
        click.echo(f"FAIL {scenario}", err=True)
        for line in str(exc).splitlines():
            click.echo(f"  {line}", err=True)
        sys.exit(1)
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
        for paths in remaining_freight_paths(table, plan.network, loaded):
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

        fig = time_distance(plan, day_type)
        with _write_errors(diagram_path):
            fig.savefig(diagram_path, dpi=110)
        click.echo(f"  diagram written to {diagram_path}")


@contextlib.contextmanager
def _write_errors(path: str) -> Iterator[None]:
    try:
        yield
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte, an unknown image suffix
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        click.echo(f"cannot write {path}: {reason}", err=True)
        sys.exit(1)


@cli.command()
@click.argument("out_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False))
@click.option("--no-charts", is_flag=True, help="Reuse the charts already drawn.")
def report(out_dir: str, no_charts: bool) -> None:
    """Redraw the charts and write DIR/report.html from a result folder; print its path."""
    from railsim.report import build_report

    with _report_errors():
        path = build_report(Path(out_dir), charts=not no_charts)
    click.echo(path.resolve())


def main() -> None:
    """Console-script entry point."""
    try:
        cli(standalone_mode=True)
    except RailsimError as exc:  # pragma: no cover - commands handle their own errors
        click.echo(str(exc), err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()

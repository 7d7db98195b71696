"""Command-line interface: thin wrappers over the public API.

User mistakes (bad scenarios, missing files) are printed as clear messages with exit
code 1, never as tracebacks; a traceback means a bug in railsim.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from railsim.config.files import find_scenarios
from railsim.errors import RailsimError

if TYPE_CHECKING:
    from railsim.batch import Outcome
    from railsim.corridor import Corridor

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="railsim")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), default=None,
              help="Corridor data folder  [default: $RAILSIM_DATA or the shipped data/].")
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None) -> None:
    """railsim: feasibility studies of regional commuter rail."""
    ctx.obj = {"data": data_dir}


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
    """Run settings from the command line as scenario overrides (dotted paths)."""
    import yaml

    settings: dict[str, Any] = {}
    for text in assignments:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{text!r}: expected KEY=VALUE, e.g. "
                                     "simulation.seed=7", param_hint="--set")
        try:
            settings[key.strip()] = yaml.safe_load(value)
        except yaml.YAMLError:
            raise click.BadParameter(f"{text!r}: the value is not a YAML scalar",
                                     param_hint="--set") from None
    named = {"simulation.replications": replications, "simulation.seed": seed,
             "uncertainty.draws": draws}
    settings.update({key: value for key, value in named.items() if value is not None})
    return settings


_SET_HELP = ("Override a scenario value for this run, KEY=VALUE with a dotted path "
             "(e.g. --set appraisal.discount_rate=0.04); repeatable. Stored in "
             "scenario.resolved.yaml.")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE", help=_SET_HELP)
@click.pass_context
def validate(ctx: click.Context, paths: tuple[str, ...], quiet: bool,
             assignments: tuple[str, ...]) -> None:
    """Check scenario files (or folders of them); exit 1 on any problem."""
    from railsim.config.summary import summarise
    from railsim.scenarios import load_scenario

    settings = _run_settings(None, None, None, assignments)
    corridor = _corridor(ctx)
    files = find_scenarios(paths)
    if not files:
        click.echo("no scenario files found in: " + ", ".join(paths), err=True)
        sys.exit(1)
    failed = 0
    for file, root in files:
        try:
            scenario = load_scenario(file, corridor, root, settings=settings)
        except RailsimError as exc:
            failed += 1
            click.echo(f"FAIL {file}", err=True)
            for line in str(exc).splitlines():
                click.echo(f"  {line}", err=True)
            continue
        if not quiet:
            click.echo(f"ok   {file}: {summarise(scenario)}")
    total = len(files)
    click.echo(f"{total - failed} of {total} scenarios valid", err=bool(failed))
    sys.exit(1 if failed else 0)


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
@click.option("--replications", type=int, default=None,
              help="Simulated days: sets simulation.replications of every scenario.")
@click.option("--seed", type=int, default=None,
              help="Root seed of all random streams: sets simulation.seed.")
@click.option("--draws", type=int, default=None,
              help="Appraisal uncertainty draws: sets uncertainty.draws.")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE", help=_SET_HELP)
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Local processes, one scenario each  [default: all cores].")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Run on this Dask cluster (e.g. tcp://host:8786) instead of locally.")
@click.option("--force", is_flag=True,
              help="Recompute scenarios whose results are unchanged.")
@click.option("--report/--no-report", default=True, show_default=True,
              help="Write the report (DIR/report.fi.html, report.en.html) after the batch.")
@click.option("--charts", "chart_files", default="", metavar="FORMATS",
              help="Also write every chart as files under charts/: png, svg or png,svg.")
@click.pass_context
def run(ctx: click.Context, paths: tuple[str, ...], out_dir: str, replications: int | None,
        seed: int | None, draws: int | None, assignments: tuple[str, ...],
        workers: int | None, scheduler: str | None, force: bool, report: bool,
        chart_files: str) -> None:
    """Evaluate scenarios and write DIR/<scenario>/ and DIR/summary.csv; exit 1 if any failed.

    --seed, --replications, --draws and --set change the scenarios as they are loaded
    (validated like the file's own values), so each result folder's
    scenario.resolved.yaml reproduces it.
    """
    from railsim.batch import run_batch

    settings = _run_settings(replications, seed, draws, assignments)
    missing = [path for path in paths if not Path(path).exists()]
    if missing:  # checked before anything is written: a typo must not leave a result folder
        click.echo("no such file or folder: " + ", ".join(missing), err=True)
        sys.exit(1)
    corridor = _corridor(ctx)
    files = find_scenarios(paths)
    if not files:
        click.echo("no scenario files found in: " + ", ".join(paths), err=True)
        sys.exit(1)
    out = Path(out_dir)
    with _BatchProgress(len(files)) as progress:
        try:
            result = run_batch(files, out, corridor, settings=settings,
                               workers=workers, scheduler=scheduler, force=force,
                               progress=progress.done)
        except KeyboardInterrupt:
            progress.note("interrupted: finished scenarios are written, the rest are not",
                          err=True)
            sys.exit(130)
    failed, total = len(result.failed), len(result.outcomes)
    skipped = sum(o.status == "skipped" for o in result.outcomes)
    unchanged = f" ({skipped} unchanged, not rerun)" if skipped else ""
    click.echo(f"{total - failed} of {total} scenarios evaluated{unchanged}; results in {out}",
               err=bool(failed))
    if report:
        from railsim.report import build_report

        fresh = {o.name for o in result.outcomes if o.status != "skipped"}
        try:
            path = build_report(out, workers=workers or os.cpu_count() or 1, redraw=fresh,
                                chart_files=_formats(chart_files))
        except RailsimError as exc:
            click.echo(f"report not written: {exc}", err=True)
            sys.exit(1)
        click.echo(f"report: {path}")
    sys.exit(1 if failed else 0)


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
@click.pass_context
def timetable(ctx: click.Context, scenario: str, gtfs_path: str | None,
              diagram_path: str | None, day_type: str) -> None:
    """Build a scenario's timetable; print quantities, capacity and conflicts."""
    from railsim.scenarios import load_scenario
    from railsim.timetable.capacity import occupancy_table, remaining_freight_paths
    from railsim.timetable.plan import plan_service

    corridor = _corridor(ctx)
    try:
        loaded = load_scenario(scenario, corridor)
        if loaded.is_do_minimum:
            click.echo(f"{scenario}: no train service (do-minimum); nothing to build")
            return
        plan = plan_service(loaded, corridor)
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
        for paths in remaining_freight_paths(table, plan.network, loaded, corridor):
            click.echo(f"  free freight paths on {paths.line_id} ({day_type}, 05–23): "
                       f"{paths.outward} outward, {paths.inward} towards Lahti")
    click.echo(f"  conflicts: {len(plan.conflicts)}")
    if gtfs_path:
        from railsim.timetable.gtfs import write_gtfs

        click.echo(f"  GTFS written to {write_gtfs(plan, Path(gtfs_path))}")
    if diagram_path:
        if day_type not in plan.timetables:
            click.echo(f"no {day_type} service to draw", err=True)
            sys.exit(1)
        from railsim.plot.diagram import time_distance

        names = {sid: station.name for sid, station in plan.network.stations.items()}
        fig = time_distance(plan.stop_times_frame(), plan.trips_frame(), names,
                            day_type=day_type)
        fig.savefig(diagram_path, dpi=110)
        click.echo(f"  diagram written to {diagram_path}")


@cli.command()
@click.argument("out_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False))
@click.option("--no-charts", is_flag=True, help="Leave the charts out (text and tables only).")
@click.option("--pdf", is_flag=True,
              help="Also print report.fi.pdf and report.en.pdf (A4) with headless Chromium.")
@click.option("--charts", "chart_files", default="", metavar="FORMATS",
              help="Also write every chart as files under charts/: png, svg or png,svg.")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Processes drawing the charts  [default: all cores].")
def report(out_dir: str, no_charts: bool, pdf: bool, chart_files: str,
           workers: int | None) -> None:
    """Write DIR/report.fi.html and report.en.html (and report.html linking both) from a
    result folder; print the path of report.html."""
    from railsim.report import build_report

    try:
        path = build_report(Path(out_dir), charts=not no_charts, pdf=pdf,
                            chart_files=_formats(chart_files),
                            workers=workers or os.cpu_count() or 1)
    except RailsimError as exc:
        click.echo(f"report not written: {exc}", err=True)
        sys.exit(1)
    click.echo(path.resolve())


def _formats(text: str) -> tuple[str, ...]:
    """'png,svg' → ('png', 'svg'); unknown formats are refused by the report."""
    return tuple(part.strip().lower() for part in text.split(",") if part.strip())


def main() -> None:
    """Console-script entry point."""
    try:
        cli(standalone_mode=True)
    except RailsimError as exc:  # pragma: no cover - commands handle their own errors
        click.echo(str(exc), err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()

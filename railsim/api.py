"""The public functions of railsim, where the corridor data is chosen.

The models take a :class:`~railsim.corridor.Corridor`; these functions give them the
default one when none is passed: the data folder in ``$RAILSIM_DATA`` or the shipped
``data/``. This module is the only place that reads ``$RAILSIM_DATA``; the other
``RAILSIM_*`` variables are read where they act (:mod:`railsim.config.limits`,
:mod:`railsim.parallel`).
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from railsim.errors import RailsimError, cut

if TYPE_CHECKING:
    from railsim.batch.run import BatchResult, Outcome
    from railsim.config.files import PathLike, ScenarioFiles
    from railsim.config.schema import Scenario
    from railsim.corridor import Corridor
    from railsim.demand.model import Forecast
    from railsim.evaluation import Evaluation
    from railsim.sim.loops import LoopSearch
    from railsim.timetable.plan import ServicePlan

DATA_ENV = "RAILSIM_DATA"
"""Environment variable naming another corridor's data folder."""


def data_folder(folder: str | Path | None = None) -> Path:
    """``folder``, else ``$RAILSIM_DATA``, else the shipped ``data/``; a SettingError when
    ``$RAILSIM_DATA`` names no folder."""
    from railsim.data import PACKAGE_DATA

    if folder is not None:
        return _path(folder, "data_folder", "folder")
    env = os.environ.get(DATA_ENV, "")
    if not env.strip():  # set to nothing: unset, as the other RAILSIM_* variables
        return PACKAGE_DATA
    if not _is_folder(Path(env)):
        from railsim.errors import SettingError

        raise SettingError(DATA_ENV, env, "no such folder",
                           "a corridor's data folder (as the shipped data/); unset for the "
                           "shipped corridor")
    return Path(env)


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):  # a name too long for the system
        return False


_LOADED: dict[Path, Corridor] = {}


def load_corridor(folder: str | Path | None = None) -> Corridor:
    """The corridor of a data folder (see :func:`data_folder`), read once per process."""
    from railsim.corridor import Corridor

    given = None if folder is None else _path(folder, "load_corridor", "folder")
    where = data_folder(given).resolve()
    if where not in _LOADED:
        _LOADED[where] = Corridor.load(where)
    return _LOADED[where]


def _path(value: object, function: str, argument: str) -> Path:
    """``value`` as a Path, else a TypeError or ValueError naming ``argument``: a number
    or None would fail deep in pathlib, and "" would quietly be the current folder (the
    command line refuses it too)."""
    from railsim.config.files import given_path

    return Path(given_path(value, f"railsim.{function}: {argument}"))


def _scenario(scenario: object, function: str) -> Scenario:
    """``scenario`` if it is a :class:`~railsim.config.schema.Scenario`, else a TypeError
    saying what ``function`` takes (not an AttributeError from deep in a model)."""
    from railsim.config.schema import Scenario

    if isinstance(scenario, Scenario):
        return scenario
    hint = (f"; read the file first: railsim.load_scenario({str(scenario)!r})"
            if isinstance(scenario, str | os.PathLike) else "")
    raise TypeError(f"railsim.{function} takes a railsim.Scenario (from "
                    f"railsim.load_scenario); got {type(scenario).__name__}{hint}")


def _checked(scenario: object, function: str, corridor: Corridor) -> Scenario:
    """``scenario`` (see :func:`_scenario`) validated and cross-checked again as it is now
    (see :func:`railsim.scenarios.checked`): its lists may have been changed in place."""
    from railsim.scenarios import checked

    return checked(_scenario(scenario, function), corridor,
                   f"<scenario given to railsim.{function}>")


def _count(workers: object, function: str) -> int:
    """``workers`` if it is a count of processes (at least 1), else a TypeError or
    ValueError naming it."""
    count = _whole(workers, function, "workers", " of processes")
    if count < 1:
        raise ValueError(f"railsim.{function}: workers must be at least 1; given {count}")
    return count


def _corridor(corridor: object, function: str) -> Corridor:
    """``corridor`` if it is one, else the corridor of the data folder it names (the
    default one for None); a TypeError saying what is taken for anything else."""
    from railsim.corridor import Corridor

    if isinstance(corridor, Corridor):
        return corridor
    if corridor is not None and not isinstance(corridor, str | os.PathLike):
        raise TypeError(f"railsim.{function}: corridor must be a railsim.Corridor (from "
                        "railsim.load_corridor), a data folder (a str or Path) or None; got "
                        f"{type(corridor).__name__} {cut(repr(corridor))}")
    return load_corridor(None if corridor is None else _path(corridor, function, "corridor"))


def load_scenario(path: str | Path, root: str | Path | None = None, *,
                  settings: Mapping[str, Any] | None = None, check: bool = True,
                  timetable: bool = False,
                  corridor: Corridor | str | Path | None = None,
                  roots: Sequence[str | Path] = ()) -> Scenario:
    """Read, compose, validate and cross-check one scenario file.

    ``settings`` are dotted overrides applied after the file (run settings such as
    ``{"simulation.seed": 7, "simulation.replications": 50}``). With ``timetable`` the
    timetable is built too, as ``railsim validate`` does, so a pattern the track cannot
    carry is reported at its service line. Raises :class:`~railsim.errors.ScenarioError`
    listing every problem with file and line.
    """
    from railsim import scenarios
    from railsim.config.schema import Scenario

    if isinstance(path, Scenario):
        raise TypeError("railsim.load_scenario takes the path of a scenario file; got a "
                        "Scenario, which is loaded already (railsim.with_overrides changes it)")
    function = "load_scenario"
    return scenarios.load_scenario(
        _path(path, function, "path"), _corridor(corridor, function),
        None if root is None else _path(root, function, "root"),
        settings=_settings(settings, function), check=_flag(check, function, "check"),
        timetable=_flag(timetable, function, "timetable"), extra_roots=_roots(roots, function))


def with_overrides(scenario: Scenario, changes: Mapping[str, Any], *, check: bool = True,
                   corridor: Corridor | str | Path | None = None) -> Scenario:
    """A validated copy of ``scenario`` with ``changes`` (dotted paths, list indices).

    >>> import railsim
    >>> base = railsim.Scenario(name="x")
    >>> with_overrides(base, {"simulation.seed": 3}, check=False).simulation.seed
    3
    """
    from railsim import scenarios

    return scenarios.with_overrides(_scenario(scenario, "with_overrides"), changes,
                                    _corridor(corridor, "with_overrides"),
                                    check=_flag(check, "with_overrides", "check"))


def plan_service(scenario: Scenario, corridor: Corridor | str | Path | None = None
                 ) -> ServicePlan:
    """Timetables, circulation and quantities of a scenario."""
    from railsim.timetable.plan import plan_service as plan

    where = _corridor(corridor, "plan_service")
    return plan(_checked(scenario, "plan_service", where), where)


def forecast(scenario: Scenario, plan: ServicePlan | None = None,
             realised_min: Mapping[tuple[str, str], float] | None = None,
             corridor: Corridor | str | Path | None = None) -> Forecast:
    """The ridership model alone (``plan`` None: the do-minimum).

    ``plan`` must be one of this scenario's service (a variant that changes only fares,
    costs or appraisal values may use its base's plan); ``realised_min`` (mean simulated
    in-vehicle minutes by ``(origin, destination)``) only pairs its weekday trains serve.
    """
    from railsim.demand.model import forecast as run_forecast
    from railsim.timetable.plan import ServicePlan

    where = _corridor(corridor, "forecast")
    scenario = _checked(scenario, "forecast", where)
    if plan is not None and not isinstance(plan, ServicePlan):
        raise TypeError("railsim.forecast: plan must be a ServicePlan (from "
                        f"railsim.plan_service) or None; got {type(plan).__name__}")
    if plan is not None:
        _same_service(scenario, plan)
        _same_corridor(scenario, plan, where)
    return run_forecast(scenario, where, plan, _realised(realised_min, scenario, plan))


def _same_corridor(scenario: Scenario, plan: ServicePlan, corridor: Corridor) -> None:
    """A ValueError when ``plan`` was made on other corridor data than ``corridor``: its
    trains would run on one network and the riders be counted on another, unsaid."""
    from railsim.network import Network

    if Network.build(corridor, scenario) != plan.network:
        raise ValueError("railsim.forecast: plan was made on other corridor data than "
                         f"corridor= ({corridor.folder}): its lines, stations or distances "
                         "differ; plan it with railsim.plan_service(scenario, corridor) on "
                         "the same corridor")


PLANNED_FROM = ("infrastructure", "rolling_stock", "service", "operations")
"""The sections of a scenario its service plan is made from."""
SIZED = ("rolling_stock.units_per_train_peak", "rolling_stock.units_per_train_offpeak")
"""What sizing the fleet from the loads changes in the plan of an evaluation."""


def _same_service(scenario: Scenario, plan: ServicePlan) -> None:
    """A ValueError when ``plan`` was made for another service than ``scenario``'s: its
    trains would be forecast as this scenario's, without a word."""
    from railsim.diff import input_changes

    sized = scenario.rolling_stock.fleet_sizing == "demand"
    changes = [change for change in input_changes(plan.scenario, scenario)
               if change.path.startswith(PLANNED_FROM)
               and not (sized and change.path in SIZED)]
    if changes:
        listed = "; ".join(f"{c.path}: {cut(repr(c.a), 40)} in the plan, {cut(repr(c.b), 40)} "
                           "here" for c in changes[:3])
        more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
        raise ValueError(f"railsim.forecast: plan was made for another service "
                         f"('{plan.scenario.name}': {listed}{more}); plan this one with "
                         "railsim.plan_service(scenario)")


def _realised(realised: object, scenario: Scenario, plan: ServicePlan | None
              ) -> dict[tuple[str, str], float] | None:
    """``realised`` if it gives positive minutes for station pairs the plan's weekday
    trains serve; a TypeError or ValueError otherwise: the model would use what it can
    and leave the rest (a mistyped pair, a list, times with no weekday plan) unsaid."""
    if realised is None:
        return None
    if not isinstance(realised, Mapping):
        raise TypeError("railsim.forecast: realised_min must map (origin, destination) "
                        "station ids to minutes, or be None; got "
                        f"{type(realised).__name__}")
    served = _served_pairs(plan) if not scenario.is_do_minimum else set()
    if realised and not served:
        raise ValueError("railsim.forecast: realised_min needs a plan with weekday trains "
                         "(it replaces their planned times); this forecast has none")
    for pair, minutes in realised.items():
        if pair not in served:
            raise ValueError(f"railsim.forecast: realised_min: {cut(repr(pair))} is no pair of "
                             "stations a weekday train of the plan serves in that order; "
                             "allowed: (origin, destination) station ids, e.g. "
                             f"{min(served)!r}")
        number = isinstance(minutes, numbers.Real) and not isinstance(minutes, bool)
        if not number or not 0 < float(minutes) < math.inf:  # nan compares false
            raise ValueError(f"railsim.forecast: realised_min[{pair!r}] must be a positive "
                             f"number of minutes; got {cut(repr(minutes))}")
    return {pair: float(minutes) for pair, minutes in realised.items()}


def _served_pairs(plan: ServicePlan | None) -> set[tuple[str, str]]:
    """The (origin, destination) station pairs a weekday train of ``plan`` serves."""
    import itertools

    table = plan.timetables.get("weekday") if plan is not None else None
    if table is None:
        return set()
    return {pair for trip in table.passenger_trips() for pair in itertools.combinations(
        [stop.station_id for stop in table.served_stops(trip)], 2)}


def evaluate(scenario: Scenario, corridor: Corridor | str | Path | None = None, *,
             workers: int = 1) -> Evaluation:
    """One scenario end to end; the returned :class:`~railsim.evaluation.Evaluation` has
    ``kpis()``, ``tables()`` and ``write(out)``. Run settings (seed, replications,
    draws) are the scenario's: change them with :func:`with_overrides`."""
    from concurrent.futures.process import BrokenProcessPool

    from railsim.evaluation import evaluate as run_evaluation
    from railsim.parallel import UNGUARDED_SCRIPT, refuse_in_starting_worker

    refuse_in_starting_worker("evaluate")
    workers = _count(workers, "evaluate")
    where = _corridor(corridor, "evaluate")
    try:
        return run_evaluation(_checked(scenario, "evaluate", where), where, workers)
    except BrokenProcessPool as exc:
        raise RailsimError(f"railsim.evaluate: a worker process stopped ({exc}). If a script "
                           f"called it: {UNGUARDED_SCRIPT}. Otherwise the machine may have "
                           "run out of memory") from None


def find_scenarios(paths: PathLike | Iterable[PathLike]) -> list[tuple[Path, Path]]:
    """``(file, root)`` of the scenario files in files or folders (bases ``_*`` skipped)."""
    from railsim.config.files import find_scenarios as find

    return find(paths)


def run_batch(paths: ScenarioFiles, out: str | Path, *,
              settings: Mapping[str, Any] | None = None, workers: int | None = None,
              scheduler: str | None = None, force: bool = False,
              corridor: Corridor | str | Path | None = None,
              roots: Sequence[str | Path] = (), prune: bool = False,
              progress: Callable[[Outcome], None] | None = None) -> BatchResult:
    """Evaluate many scenarios (a file or folder, or a list of them or of ``(file, root)``
    pairs) into ``out/<scenario>/`` and ``out/summary.csv``; ``settings`` (dotted paths,
    e.g. ``{"simulation.replications": 50}``) apply to every scenario as it is loaded.
    Result folders of scenarios not in the run are listed in ``stale`` (removed when
    ``prune``). As on the command line, nothing is written when a path given does not
    exist, when no scenario file is found, or when ``out`` lies in a scenario folder
    given (ValueError)."""
    from railsim.batch.run import run_batch as run
    from railsim.config.limits import limit_factor
    from railsim.config.schema import Scenario
    from railsim.parallel import refuse_in_starting_worker

    refuse_in_starting_worker("run_batch")

    if isinstance(paths, Scenario):
        raise TypeError("railsim.run_batch takes scenario files or folders; evaluate a "
                        "Scenario object with railsim.evaluate(scenario), and "
                        ".write(folder) writes its results")
    folder = _path(out, "run_batch", "out")
    workers = None if workers is None else _count(workers, "run_batch")
    options = {"settings": _settings(settings, "run_batch"),
               "scheduler": _scheduler(scheduler), "force": _flag(force, "run_batch", "force"),
               "prune": _flag(prune, "run_batch", "prune"),
               "progress": _callback(progress, "run_batch", "progress"),
               "roots": _roots(roots, "run_batch")}
    files = _batch_files(paths, folder)
    limit_factor()  # a malformed RAILSIM_WORK_LIMIT once, not as a fault of each scenario
    return run(files, folder, _corridor(corridor, "run_batch"), workers=workers, **options)


def _batch_files(paths: ScenarioFiles, out: Path) -> list[tuple[Path, Path]]:
    """The ``(file, root)`` pairs of ``paths``; a ValueError, before anything is written,
    for a path that does not exist (its error folder would be left in ``out``), for no
    scenario file at all (an empty summary.csv would replace the last one and ``prune``
    remove every result folder) and for ``out`` in a scenario folder given (the next run
    would read the results as scenarios) — as the command line refuses them."""
    from railsim.config.files import folder_containing, scenario_files

    items = [paths] if isinstance(paths, str | os.PathLike) else _items(paths)
    given = [str(item) for item in items if isinstance(item, str | os.PathLike)]
    files = scenario_files(items)
    missing = [path for path in given if not _exists(Path(path))]
    if missing:
        raise ValueError(f"railsim.run_batch: no such file or folder: {', '.join(missing)}")
    if not files:
        raise ValueError("railsim.run_batch: no scenario files found in: "
                         f"{', '.join(given) or 'an empty list'}")
    inside = folder_containing(out, tuple(given))
    if inside is not None:
        raise ValueError(f"railsim.run_batch: out {out} is inside the scenario folder "
                         f"{inside}: the next run over {inside} would read the results as "
                         "scenarios; choose a result folder outside it")
    return files


def _items(paths: object) -> list[Any]:
    """A collection of paths as a list (a generator is read once, here); a TypeError for
    anything else ("'NoneType' object is not iterable"; a dict's keys are no files)."""
    if isinstance(paths, Iterable) and not isinstance(paths, bytes | Mapping):
        return list(paths)
    raise TypeError("railsim.run_batch: paths must be a scenario file or folder (a str or "
                    f"Path), or a list of them; got {type(paths).__name__}")


def _exists(path: Path) -> bool:
    """Whether ``path`` is there (a dangling link is: loading it says why); a path the
    system cannot look up is left to loading too, which names the reason."""
    try:
        return path.exists() or path.is_symlink()
    except (OSError, ValueError):
        return True


def _settings(settings: object, function: str) -> Mapping[str, Any]:
    """Run settings as a mapping of dotted paths (None: none); a TypeError otherwise
    (each scenario would fail alone with it, leaving an error.txt in every folder)."""
    if settings is None:
        return {}
    if not isinstance(settings, Mapping):
        raise TypeError(f"railsim.{function}: settings must map dotted paths to values, "
                        "e.g. {'simulation.seed': 7}; got "
                        f"{type(settings).__name__} {cut(repr(settings))}")
    strange = [key for key in settings if not isinstance(key, str)]
    if strange:
        raise TypeError(f"railsim.{function}: settings' keys must be dotted paths (text), "
                        f"e.g. 'simulation.seed'; got {cut(repr(strange[0]))}")
    return settings


def _flag(value: object, function: str, argument: str) -> bool:
    """``value`` if it is True or False (numpy's too); a TypeError otherwise: "no" or
    "False" would be true."""
    if type(value).__module__ == "numpy" and type(value).__name__ in ("bool_", "bool"):
        return bool(value)
    if not isinstance(value, bool):
        raise TypeError(f"railsim.{function}: {argument} must be True or False; got "
                        f"{type(value).__name__} {cut(repr(value))}")
    return value


def _callback(value: object, function: str, argument: str) -> Any:
    """``value`` if it can be called (or None); a TypeError before any work otherwise."""
    if value is not None and not callable(value):
        raise TypeError(f"railsim.{function}: {argument} must be a function (called with "
                        f"each Outcome) or None; got {type(value).__name__} "
                        f"{cut(repr(value))}")
    return value


def _scheduler(scheduler: object) -> str | None:
    """A Dask scheduler's address, or None for local processes; "" is refused, as it
    would quietly run locally."""
    if scheduler is None:
        return None
    if not isinstance(scheduler, str) or not scheduler.strip():
        error = ValueError if isinstance(scheduler, str) else TypeError
        raise error("railsim.run_batch: scheduler must be a Dask scheduler's address such "
                    "as 'tcp://10.0.0.5:8786', or None for local processes; got "
                    f"{type(scheduler).__name__} {cut(repr(scheduler))}")
    return scheduler


def _roots(roots: object, function: str) -> tuple[Path, ...]:
    """The folders ``extends`` may reach besides the scenario's: one path or several
    (one str is one folder, not one per character; None is none)."""
    if roots is None:
        return ()
    if isinstance(roots, str | os.PathLike):
        return (_path(roots, function, "roots"),)
    if not isinstance(roots, Iterable) or isinstance(roots, bytes | Mapping):
        raise TypeError(f"railsim.{function}: roots must be a folder (a str or Path) or a "
                        f"list of them; got {type(roots).__name__} {cut(repr(roots))}")
    return tuple(_path(root, function, "roots") for root in roots)


def search_loops(scenario: Scenario, headway_min: float | None = None, *, max_loops: int = 4,
                 step_km: float = 1.0, corridor: Corridor | str | Path | None = None
                 ) -> LoopSearch:
    """Passing-loop sets (at most ``max_loops``, at stations, historic stations and every
    ``step_km`` of plain line) that make the scenario's pattern — or every service every
    ``headway_min`` all day — run with its freight; ``.front`` is the Pareto front of cost,
    crossing waits, simulated punctuality and free freight paths, ``.text()`` an account
    with the YAML to paste, ``.method`` says whether the search was exhaustive, and
    ``.binding`` what binds when nothing works."""
    from railsim.scenarios import with_search_headway
    from railsim.sim.loops import check_search
    from railsim.sim.loops import search_loops as search

    function = "search_loops"
    where = _corridor(corridor, function)
    scenario = _checked(scenario, function, where)
    if scenario.is_do_minimum:  # it ended in a bare StopIteration, scoring no timetable
        raise ValueError(f"railsim.search_loops: scenario {scenario.name!r} runs no trains "
                         "(a do-minimum): there is no pattern to find passing loops for")
    headway = None if headway_min is None else _number(headway_min, function, "headway_min")
    most, step = _whole(max_loops, function, "max_loops"), _number(step_km, function, "step_km")
    check_search(headway, most, step)
    with_search_headway(scenario, headway, where,
                        f"<scenario given to railsim.{function} with headway_min={headway_min}>")
    return search(scenario, where, headway, most, step)


def _number(value: object, function: str, argument: str) -> float:
    """``value`` as a float if it is a finite number (not True or False, not text); a
    TypeError or ValueError naming ``argument`` otherwise (ranges are the model's to
    check)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"railsim.{function}: {argument} must be a number; got "
                        f"{type(value).__name__} {cut(repr(value))}")
    if not math.isfinite(value):
        raise ValueError(f"railsim.{function}: {argument} must be a finite number; given "
                         f"{value!r}")
    return float(value)


def _whole(value: object, function: str, argument: str, of: str = "") -> int:
    """``value`` if it is a whole number (numpy's too; not True or False, not 2.5), else a
    TypeError naming ``argument``, a whole number ``of`` what."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"railsim.{function}: {argument} must be a whole number{of}; got "
                        f"{type(value).__name__} {cut(repr(value))}")
    return int(value)


__all__ = ["DATA_ENV", "data_folder", "evaluate", "find_scenarios", "forecast",
           "load_corridor", "load_scenario", "plan_service", "run_batch", "search_loops",
           "with_overrides"]


"""The public functions of railsim, where the corridor data is chosen.

The models take a :class:`~railsim.corridor.Corridor`; these functions give them the
default one when none is passed: the data folder in ``$RAILSIM_DATA`` or the shipped
``data/``. This module is the only place that reads ``$RAILSIM_DATA``; the other
``RAILSIM_*`` variables are read where they act (:mod:`railsim.config.limits`,
:mod:`railsim.parallel`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
        return Path(folder)
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

    where = data_folder(folder).resolve()
    if where not in _LOADED:
        _LOADED[where] = Corridor.load(where)
    return _LOADED[where]


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


def _count(workers: object, function: str) -> int:
    """``workers`` if it is a count of processes (at least 1), else a TypeError or
    ValueError naming it."""
    if isinstance(workers, bool) or not isinstance(workers, int):
        raise TypeError(f"railsim.{function}: workers must be a whole number of processes; "
                        f"got {type(workers).__name__} {workers!r}")
    if workers < 1:
        raise ValueError(f"railsim.{function}: workers must be at least 1; given {workers}")
    return workers


def _corridor(corridor: Corridor | str | Path | None) -> Corridor:
    from railsim.corridor import Corridor

    return corridor if isinstance(corridor, Corridor) else load_corridor(corridor)


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

    return scenarios.load_scenario(path, _corridor(corridor), root, settings=settings,
                                   check=check, timetable=timetable, extra_roots=roots)


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
                                    _corridor(corridor), check=check)


def plan_service(scenario: Scenario, corridor: Corridor | str | Path | None = None
                 ) -> ServicePlan:
    """Timetables, circulation and quantities of a scenario."""
    from railsim.timetable.plan import plan_service as plan

    return plan(_scenario(scenario, "plan_service"), _corridor(corridor))


def forecast(scenario: Scenario, plan: ServicePlan | None = None,
             realised_min: Mapping[tuple[str, str], float] | None = None,
             corridor: Corridor | str | Path | None = None) -> Forecast:
    """The ridership model alone (``plan`` None: the do-minimum)."""
    from railsim.demand.model import forecast as run_forecast
    from railsim.timetable.plan import ServicePlan

    if plan is not None and not isinstance(plan, ServicePlan):
        raise TypeError("railsim.forecast: plan must be a ServicePlan (from "
                        f"railsim.plan_service) or None; got {type(plan).__name__}")
    return run_forecast(_scenario(scenario, "forecast"), _corridor(corridor), plan,
                        realised_min)


def evaluate(scenario: Scenario, corridor: Corridor | str | Path | None = None, *,
             workers: int = 1) -> Evaluation:
    """One scenario end to end; the returned :class:`~railsim.evaluation.Evaluation` has
    ``kpis()``, ``tables()`` and ``write(out)``. Run settings (seed, replications,
    draws) are the scenario's: change them with :func:`with_overrides`."""
    from railsim.evaluation import evaluate as run_evaluation

    return run_evaluation(_scenario(scenario, "evaluate"), _corridor(corridor),
                          _count(workers, "evaluate"))


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
    ``prune``)."""
    from railsim.batch.run import run_batch as run
    from railsim.config.limits import limit_factor
    from railsim.config.schema import Scenario

    if isinstance(paths, Scenario):
        raise TypeError("railsim.run_batch takes scenario files or folders; evaluate a "
                        "Scenario object with railsim.evaluate(scenario), and "
                        ".write(folder) writes its results")
    workers = None if workers is None else _count(workers, "run_batch")
    limit_factor()  # a malformed RAILSIM_WORK_LIMIT once, not as a fault of each scenario
    return run(paths, out, _corridor(corridor), settings=settings, workers=workers,
               scheduler=scheduler, force=force, progress=progress, roots=roots,
               prune=prune)


def search_loops(scenario: Scenario, headway_min: float | None = None, *, max_loops: int = 4,
                 step_km: float = 1.0, corridor: Corridor | str | Path | None = None
                 ) -> LoopSearch:
    """Passing-loop sets (at most ``max_loops``, at stations, historic stations and every
    ``step_km`` of plain line) that make the scenario's pattern — or every service every
    ``headway_min`` all day — run with its freight; ``.front`` is the Pareto front of cost,
    crossing waits, simulated punctuality and free freight paths, ``.text()`` an account
    with the YAML to paste, ``.method`` says whether the search was exhaustive, and
    ``.binding`` what binds when nothing works."""
    from railsim.sim.loops import search_loops as search

    return search(_scenario(scenario, "search_loops"), _corridor(corridor), headway_min,
                  max_loops, step_km)


__all__ = ["DATA_ENV", "data_folder", "evaluate", "find_scenarios", "forecast",
           "load_corridor", "load_scenario", "plan_service", "run_batch", "search_loops",
           "with_overrides"]


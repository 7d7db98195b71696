"""railsim: feasibility studies of regional commuter rail.

Public API (each name is a function or class, never a submodule):

* :func:`load_scenario` — read, compose, validate and cross-check a scenario file
  (``settings=`` applies run settings such as the seed).
* :func:`with_overrides` — a validated copy of a scenario with some values changed.
* :class:`Scenario` — the frozen scenario model.
* :class:`Corridor` — every data table of one corridor's data folder, read once.
* :func:`load_corridor` — the :class:`Corridor` of a data folder (default:
  ``$RAILSIM_DATA`` or the shipped ``data/``); :func:`data_folder` — the data folder that
  default is.
* :func:`plan_service` — timetables, circulation and quantities of a scenario.
* :func:`evaluate` — one scenario end to end (timetable, simulation, ridership, costs,
  appraisal); the returned :class:`~railsim.evaluation.Evaluation` has ``kpis()``,
  ``tables()`` and ``write(out)``.
* :func:`forecast` — the ridership model alone.
* :func:`find_scenarios` — the scenario files in files or folders (bases ``_*`` skipped).
* :func:`run_batch` — evaluate many scenarios (in parallel) into result folders.
* :func:`search_loops` — the cheapest passing-loop sets that make a pattern run, scored
  (cost, crossing waits, simulated punctuality, free freight paths) on a Pareto front.

Every function that reads corridor data accepts ``corridor=`` (a
:class:`~railsim.corridor.Corridor` or a data folder); the models themselves never choose
a data folder.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name → module that defines it. Imported on first use, so `railsim --help` and
# `railsim validate` stay fast. No public name is also a submodule's name: importing a
# submodule binds it on the package and would shadow the function (a test checks).
_EXPORTS = {
    "Scenario": "railsim.config.schema",
    "Corridor": "railsim.corridor",
    "data_folder": "railsim.api",
    "load_corridor": "railsim.api",
    "load_scenario": "railsim.api",
    "with_overrides": "railsim.api",
    "plan_service": "railsim.api",
    "forecast": "railsim.api",
    "evaluate": "railsim.api",
    "find_scenarios": "railsim.api",
    "run_batch": "railsim.api",
    "search_loops": "railsim.api",
}
__all__ = ["Corridor", "Scenario", "__version__", "data_folder", "evaluate", "find_scenarios",
           "forecast", "load_corridor", "load_scenario", "plan_service", "run_batch",
           "search_loops", "with_overrides"]

if TYPE_CHECKING:
    from railsim.api import (
        data_folder,
        evaluate,
        find_scenarios,
        forecast,
        load_corridor,
        load_scenario,
        plan_service,
        run_batch,
        search_loops,
        with_overrides,
    )
    from railsim.config.schema import Scenario
    from railsim.corridor import Corridor


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'railsim' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})

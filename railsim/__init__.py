"""railsim: feasibility studies of regional commuter rail.

Public API:

* :func:`load_scenario` — read, compose, validate and cross-check a scenario file.
* :func:`with_overrides` — a validated copy of a scenario with some values changed.
* :class:`Scenario` — the frozen scenario model.
* :func:`plan_service` — timetables, circulation and quantities of a scenario.
* :func:`evaluate` — one scenario end to end (timetable, simulation, ridership, costs,
  appraisal); the returned :class:`~railsim.evaluation.Evaluation` has ``kpis()``,
  ``tables()`` and ``write(out)``.
* :func:`forecast` — the ridership model alone.
* :func:`find_scenarios` — the scenario files in files or folders (bases ``_*`` skipped).
* :func:`run_batch` — evaluate many scenarios (in parallel) into result folders.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name → the module defining it, imported on first use: lazy imports keep
# `railsim --help` and `railsim validate` fast. No public name may also be a submodule's
# name (railsim.evaluate was once both): importing a submodule sets it as an attribute of
# the package, which then hides the function (tests/test_architecture.py checks this).
_EXPORTS = {
    "Scenario": "railsim.config.schema",
    "evaluate": "railsim.evaluation",
    "find_scenarios": "railsim.config.files",
    "forecast": "railsim.demand.model",
    "load_scenario": "railsim.config.validate",
    "plan_service": "railsim.timetable.plan",
    "run_batch": "railsim.batch",
    "with_overrides": "railsim.config.overrides",
}
__all__ = ["Scenario", "__version__", "evaluate", "find_scenarios", "forecast", "load_scenario",
           "plan_service", "run_batch", "with_overrides"]

if TYPE_CHECKING:
    from railsim.batch import run_batch
    from railsim.config.files import find_scenarios
    from railsim.config.overrides import with_overrides
    from railsim.config.schema import Scenario
    from railsim.config.validate import load_scenario
    from railsim.demand.model import forecast
    from railsim.evaluation import evaluate
    from railsim.timetable.plan import plan_service


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'railsim' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})

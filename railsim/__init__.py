"""railsim: feasibility studies of regional commuter rail.

Public API:

* :func:`load_scenario` — read, compose, validate and cross-check a scenario file.
* :func:`with_overrides` — a validated copy of a scenario with some values changed.
* :class:`Scenario` — the frozen scenario model.
* :func:`plan_service` — timetables, circulation and quantities of a scenario.
* :func:`evaluate` — one scenario end to end (timetable, simulation, ridership, costs,
  appraisal); the returned :class:`~railsim.evaluate.Evaluation` has ``kpis()``,
  ``tables()`` and ``write(out)``.
* :func:`forecast` — the ridership model alone.
* :func:`find_scenarios` — the scenario files in files or folders (bases ``_*`` skipped).
* :func:`run_batch` — evaluate many scenarios (in parallel) into result folders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Scenario", "__version__", "evaluate", "find_scenarios", "forecast", "load_scenario",
           "plan_service",
           "run_batch",
           "with_overrides"]

if TYPE_CHECKING:
    from railsim.batch import run_batch
    from railsim.config.files import find_scenarios
    from railsim.config.overrides import with_overrides
    from railsim.config.schema import Scenario
    from railsim.config.validate import load_scenario
    from railsim.demand.model import forecast
    from railsim.evaluate import evaluate
    from railsim.timetable.plan import plan_service


def __getattr__(name: str) -> Any:
    # Lazy imports keep `railsim --help` and `railsim validate` fast.
    if name == "load_scenario":
        from railsim.config.validate import load_scenario

        return load_scenario
    if name == "Scenario":
        from railsim.config.schema import Scenario

        return Scenario
    if name == "plan_service":
        from railsim.timetable.plan import plan_service

        return plan_service
    if name == "find_scenarios":
        from railsim.config.files import find_scenarios

        return find_scenarios
    if name == "evaluate":
        from railsim.evaluate import evaluate

        return evaluate
    if name == "forecast":
        from railsim.demand.model import forecast

        return forecast
    if name == "run_batch":
        from railsim.batch import run_batch

        return run_batch
    if name == "with_overrides":
        from railsim.config.overrides import with_overrides

        return with_overrides
    raise AttributeError(f"module 'railsim' has no attribute {name!r}")

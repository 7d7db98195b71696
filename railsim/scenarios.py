"""A scenario ready to run: read, composed, validated, run settings applied, checked.

:mod:`railsim.config` knows the schema and YAML only; this module adds what needs the
corridor data: the consistency checks (:mod:`railsim.checks`). Run settings given beside
a file — the CLI's ``--seed``, ``--replications``, ``--draws`` and ``--set``, or
``run_batch(settings=...)`` — are applied here as overrides, so the scenario that comes
out carries everything that changes its results and ``scenario.resolved.yaml`` is
exactly what ran.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from railsim.checks import check_scenario, check_timetable
from railsim.config.overrides import apply_overrides
from railsim.config.schema import Scenario
from railsim.config.validate import located_problems, read_scenario
from railsim.config.yamlio import Located
from railsim.errors import ScenarioError

if TYPE_CHECKING:
    from railsim.corridor import Corridor

SETTINGS_SOURCE = "<command line>"
"""Where run settings come from, in error messages."""


def load_scenario(path: str | Path, corridor: Corridor, root: str | Path | None = None, *,
                  settings: Mapping[str, Any] | None = None, check: bool = True,
                  timetable: bool = False) -> Scenario:
    """Read, compose and validate one scenario file, apply ``settings`` (dotted paths such
    as ``{"simulation.seed": 7}``) and, with ``check``, cross-check it against ``corridor``;
    with ``timetable`` too, build its timetable (``railsim validate``: a pattern the track
    cannot carry is an error at its service line's day schedule).

    Raises :class:`~railsim.errors.ScenarioError` listing every problem found, each with
    the file and line it came from.
    """
    scenario, composed = read_scenario(path, root)
    if settings:
        scenario = apply_overrides(scenario, settings, source=SETTINGS_SOURCE)
    if check:
        issues = check_scenario(scenario, corridor)
        if not issues and timetable:
            issues = check_timetable(scenario, corridor)
        if issues:
            raise ScenarioError(located_problems(issues, composed.located, str(composed.file)))
    return scenario


def with_overrides(scenario: Scenario, changes: Mapping[str, Any], corridor: Corridor, *,
                   check: bool = True) -> Scenario:
    """A validated (and, with ``check``, cross-checked) copy of ``scenario`` with ``changes``.

    Keys may be dotted paths (``{"demand.fares.fare_multiplier": 0.8}``) or nested
    mappings; lists are replaced whole; ``service.lines[0].weekday.headway_min`` changes
    one list item in place.
    """
    new = apply_overrides(scenario, changes)
    if check:
        issues = check_scenario(new, corridor)
        if issues:
            raise ScenarioError(located_problems(issues, Located(new.model_dump()),
                                                 "<overrides>"))
    return new

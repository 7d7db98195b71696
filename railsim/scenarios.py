"""A scenario ready to run: read, composed, validated, run settings applied, checked.

:mod:`railsim.config` knows the schema and YAML only; this module adds what needs the
corridor data: the consistency checks (:mod:`railsim.checks`). Run settings given beside
a file — the CLI's ``--seed``, ``--replications``, ``--draws`` and ``--set``, or
``run_batch(settings=...)`` — are applied here as overrides, so the scenario that comes
out carries everything that changes its results and ``scenario.resolved.yaml`` is
exactly what ran.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from railsim.checks import check_scenario, check_timetable, raw_station_issues
from railsim.config.compose import Composed, compose
from railsim.config.overrides import apply_overrides, apply_overrides_located
from railsim.config.schema import Scenario
from railsim.config.suggest import suggest_id
from railsim.config.validate import (
    located_problems,
    problems_from_validation,
    scenario_from_composed,
)
from railsim.config.yamlio import Located
from railsim.errors import DataError, Problem, ScenarioError

if TYPE_CHECKING:
    from railsim.corridor import Corridor

SETTINGS_SOURCE = "<command line>"
"""Where run settings come from, in error messages."""


def load_scenario(path: str | Path, corridor: Corridor, root: str | Path | None = None, *,
                  settings: Mapping[str, Any] | None = None, check: bool = True,
                  extra_roots: Sequence[str | Path] = (), timetable: bool = False) -> Scenario:
    """Read, compose and validate one scenario file, apply ``settings`` (dotted paths such
    as ``{"simulation.seed": 7}``) and, with ``check``, cross-check it against ``corridor``;
    with ``timetable`` too, build its timetable (``railsim validate``: a pattern the track
    cannot carry is an error at its service line's day schedule).

    Raises :class:`~railsim.errors.ScenarioError` listing every problem found, each with
    the file and line it came from.
    """
    composed = compose(path, root, extra_roots)
    try:
        scenario = scenario_from_composed(composed)
    except ScenarioError as exc:
        problems = [_with_station_hint(p, corridor) for p in exc.problems]
        raise ScenarioError(_with_station_problems(problems, composed, corridor)) from None
    located = composed.located
    if settings:  # what they set is placed at <command line>, the rest in the files
        scenario, located = apply_overrides_located(scenario, settings, source=SETTINGS_SOURCE,
                                                    located=composed.located)
    if check:
        issues = check_scenario(scenario, corridor)
        if not issues and timetable:
            issues = check_timetable(scenario, corridor)
        if issues:
            raise ScenarioError(located_problems(issues, located, str(composed.file)))
    return scenario


def _with_station_problems(problems: list[Problem], composed: Composed, corridor: Corridor
                           ) -> list[Problem]:
    """The schema's problems and the unknown stations of the same file, in file order, so
    one round of fixes is enough (a field the schema already flags is not repeated)."""
    flagged = {p.field for p in problems}
    stations = [p for p in located_problems(raw_station_issues(composed.located.data, corridor),
                                            composed.located, str(composed.file))
                if p.field not in flagged]
    if not stations:
        return problems
    return sorted([*problems, *stations], key=lambda p: (p.file, p.line, p.column))


_STATION_FIELD = re.compile(r"(^|\.)(stations\[\d+\]|station|attach_to)$")


def _with_station_hint(problem: Problem, corridor: Corridor) -> Problem:
    """A schema problem at a station field (a name in lower case, say) gets the id meant
    (before what the schema's message said of a letter of another alphabet)."""
    if not _STATION_FIELD.search(problem.field) or not corridor.has("stations"):
        return problem
    names = {sid: str(row.get("name") or sid) for sid, row in corridor.by_key("stations").items()}
    hint = suggest_id(problem.given.strip("'\""), names)
    joined = "; ".join(part for part in (hint, problem.hint) if part)
    return replace(problem, hint=joined) if hint else problem


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


def checked(scenario: Scenario, corridor: Corridor, source: str) -> Scenario:
    """``scenario`` validated again as it is now and cross-checked against ``corridor``
    (when it holds the tables the checks read), as a copy of its own; ScenarioError with
    each problem at ``source`` otherwise.

    Fields cannot be assigned, but a scenario's lists are plain lists: an item appended or
    changed in place after loading skipped every check, and ended in a traceback deep in a
    model (a dict as a passing loop: "'dict' object has no attribute 'line'") or a result
    silently wrong. The copy keeps the run from the caller's lists changing later.
    """
    data = scenario.model_dump(mode="python", warnings=False)  # a dict where a loop goes
    located = Located(data)
    try:
        fresh = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, located, source)) from None
    try:
        issues = check_scenario(fresh, corridor)
    except DataError:
        # a small corridor (a test's, one line's) lacks tables the checks read; a model
        # that needs one of them says it is missing
        return fresh
    if issues:
        raise ScenarioError(located_problems(issues, located, source))
    return fresh


def with_search_headway(scenario: Scenario, headway_min: float | None, corridor: Corridor,
                        source: str) -> Scenario:
    """The pattern a passing-loop search makes run: ``scenario``, or, with ``headway_min``,
    every service every ``headway_min`` all day (peaks dropped), checked as a scenario file
    would be. A headway the service cannot run (one that does not fit a line's clock-face
    period, say 45 min against 60) is a ScenarioError at ``source``: the search would
    otherwise print loops for a pattern that validation refuses."""
    if headway_min is None:
        return scenario
    from railsim.timetable.loops import with_headway

    return checked(with_headway(scenario, headway_min), corridor, source)

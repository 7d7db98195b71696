"""Changing a loaded scenario in code (notebooks): validated copies, never mutation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from railsim.config.compose import deep_merge
from railsim.config.schema import Scenario
from railsim.config.validate import problems_from_validation
from railsim.config.yamlio import Located
from railsim.errors import ScenarioError


def _nest(dotted: Mapping[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in dotted.items():
        parts = key.split(".")
        node = nested
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return nested


def with_overrides(
    scenario: Scenario, changes: Mapping[str, Any], *, check: bool = True
) -> Scenario:
    """A new scenario with ``changes`` merged in, validated and cross-checked.

    Keys may be dotted paths (``{"demand.fares.fare_multiplier": 0.8}``) or nested
    mappings; lists are replaced whole.

    >>> base = Scenario(name="x")
    >>> with_overrides(base, {"appraisal.discount_rate": 0.04}, check=False).appraisal.discount_rate
    0.04
    """
    data = deep_merge(scenario.model_dump(mode="python"), _nest(changes))
    try:
        new = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, Located(data), "<overrides>")) from None
    if check:
        from railsim.config.checks import check_scenario
        from railsim.errors import Problem

        issues = check_scenario(new)
        if issues:
            raise ScenarioError([
                Problem("<overrides>", 0, 0, ".".join(map(str, i.path)), i.message, i.given,
                        i.allowed, i.hint)
                for i in issues
            ])
    return new

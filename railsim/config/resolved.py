"""The fully resolved scenario as YAML (stored with every result folder)."""

from __future__ import annotations

from pathlib import Path

import yaml

from railsim.config.schema import Scenario


def to_yaml(scenario: Scenario) -> str:
    """Every field, defaults included, as YAML that loads back to an equal scenario."""
    header = "# Fully resolved railsim scenario (extends, overrides and defaults applied).\n"
    body = yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
    return header + body


def from_yaml(text: str) -> Scenario:
    """Inverse of :func:`to_yaml` (no cross-checks against the data)."""
    return Scenario.model_validate(yaml.safe_load(text))


def read_resolved(path: Path, display: str | None = None) -> Scenario:
    """The scenario a result folder's ``scenario.resolved.yaml`` holds, read safely like a
    scenario file (no cross-checks). A damaged or foreign file (not YAML, not UTF-8, keys
    the schema does not know) raises :class:`~railsim.errors.ScenarioError` naming the
    file and, where known, the line.
    """
    from pydantic import ValidationError

    from railsim.config.validate import problems_from_validation
    from railsim.config.yamlio import read_yaml
    from railsim.errors import ScenarioError

    name = display or str(path)
    located = read_yaml(path, name)
    try:
        return Scenario.model_validate(located.data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, located, name)) from None

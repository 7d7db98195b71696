"""The fully resolved scenario as YAML (stored with every result folder)."""

from __future__ import annotations

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

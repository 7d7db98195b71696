"""Scenario configuration: schema, safe YAML loading and composition (no corridor data).

Loading a scenario checked against a corridor is :func:`railsim.load_scenario`.
"""

from railsim.config.schema import Scenario

__all__ = ["Scenario"]

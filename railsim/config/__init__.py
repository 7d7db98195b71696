"""Scenario configuration: schema, safe YAML loading, composition and checks."""

from railsim.config.schema import Scenario
from railsim.config.validate import load_scenario

__all__ = ["Scenario", "load_scenario"]

"""Scenario configuration: schema, safe YAML loading and composition (no corridor data).

Loading a scenario checked against a corridor is :func:`railsim.load_scenario`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from railsim.config.schema import Scenario

__all__ = ["Scenario"]


def __getattr__(name: str) -> Any:
    # Imported when first asked for: building the schema takes 0.1 s, which the command
    # line's first steps (its options, the start of the workers) do not wait for.
    if name == "Scenario":
        from railsim.config.schema import Scenario

        return Scenario
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

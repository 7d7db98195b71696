"""The existing services a back-cast runs (data/demand/observed_services.csv), as the fares
and the validation of a back-cast read them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from railsim.config import schema
from railsim.data import TABLES
from railsim.errors import DataError

if TYPE_CHECKING:
    from railsim.corridor import Corridor


def observed_services(scenario: schema.Scenario, corridor: Corridor
                      ) -> list[dict[str, Any] | None]:
    """Per service line, the observed service of the scenario's base year (None if the
    data hold no such service in that year)."""
    rows = corridor.by_key("observed_services") if corridor.has("observed_services") else {}
    year = scenario.demand.base_year
    return [rows.get((line.id, year)) for line in scenario.service.lines]


def observed_fare_ids(scenario: schema.Scenario, corridor: Corridor) -> tuple[str, str]:
    """(single, season) fare ids of the scenario's observed services."""
    rows = observed_services(scenario, corridor)
    if not rows or any(row is None for row in rows):
        raise DataError(f"{scenario.name}: fare policy observed, but "
                        f"{corridor.folder / TABLES['observed_services'].path} has no "
                        f"service of its lines in {scenario.demand.base_year}")
    first = rows[0]
    assert first is not None
    return str(first["fare_single_id"]), str(first["fare_season_id"])

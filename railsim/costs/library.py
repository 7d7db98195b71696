"""Unit costs from data/costs/unit_costs.csv, indexed to a price year, with overrides.

Each unit cost names the series of data/costs/cost_index.csv that carries it to other
price years (``index_id``): the civil-engineering cost index for infrastructure works
and their maintenance, the consumer price index for operations and energy
(:mod:`railsim.prices`); the factor used is reported with every value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from railsim.prices import INDEX_SERIES, index_factor

if TYPE_CHECKING:
    from railsim.corridor import Corridor

@dataclass(frozen=True)
class UnitCost:
    """A unit cost at the scenario's price year."""

    item_id: str
    value: float
    low: float
    high: float
    unit: str
    asset_life_years: float | None
    source_price_year: int
    index_factor: float
    overridden: bool
    index_id: str = INDEX_SERIES


def unit_costs(corridor: Corridor, price_year: int,
               overrides: Mapping[str, float] | None = None) -> dict[str, UnitCost]:
    """Every unit cost at ``price_year``; overrides are taken as given at that year."""
    overrides = overrides or {}
    out = {}
    for row in corridor.records("unit_costs"):
        series = row.get("index_id") or INDEX_SERIES
        factor = 1.0 if row["unit"] == "fraction" else index_factor(row["price_year"],
                                                                    price_year, corridor, series)
        value = row["value"] * factor
        low = (row["low"] if row["low"] is not None else row["value"]) * factor
        high = (row["high"] if row["high"] is not None else row["value"]) * factor
        if row["item_id"] in overrides:
            value = low = high = float(overrides[row["item_id"]])
        out[row["item_id"]] = UnitCost(row["item_id"], value, low, high, row["unit"],
                                       row["asset_life_years"], row["price_year"], factor,
                                       row["item_id"] in overrides, series)
    return out

"""Unit costs from data/costs/unit_costs.csv, indexed to a price year, with overrides.

Each unit cost names the series of data/costs/cost_index.csv that carries it to other
price years (``index_id``): the civil-engineering cost index ``maku_total`` (Statistics
Finland's maarakennuskustannusindeksi) for infrastructure works and their maintenance,
the consumer price index ``cpi_fi`` for operations and energy. A series is interpolated
linearly between the years it has and extrapolated flat beyond them (so an index with
few years never invents a trend); the factor used is reported with every value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from railsim.errors import DataError

if TYPE_CHECKING:
    from railsim.corridor import Corridor

INDEX_SERIES = "cpi_fi"
"""The general price index: operations, energy, rolling stock, fares and unit values."""
CONSTRUCTION_SERIES = "maku_total"
"""The civil-engineering cost index: infrastructure works and their maintenance."""


def index_factor(from_year: int, to_year: int, corridor: Corridor,
                 series: str = INDEX_SERIES) -> float:
    """Price factor from ``from_year`` to ``to_year`` prices.

    >>> from railsim.corridor import Corridor
    >>> index_factor(2018, 2018, Corridor.load())
    1.0
    """
    rows = sorted((r["year"], r["value"]) for r in corridor.records("cost_index")
                  if r["index_id"] == series)
    if not rows:
        raise DataError(f"cost index {series!r} has no values")
    years = np.array([y for y, _ in rows], dtype=float)
    values = np.array([v for _, v in rows], dtype=float)
    return float(np.interp(to_year, years, values) / np.interp(from_year, years, values))


def index_last_year(corridor: Corridor, series: str = INDEX_SERIES) -> int:
    """The last year the cost index has; later price years are held at its level.

    >>> from railsim.corridor import Corridor
    >>> index_last_year(Corridor.load()) >= 2023
    True
    """
    return max(int(r["year"]) for r in corridor.records("cost_index")
               if r["index_id"] == series)


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

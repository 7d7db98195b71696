"""Price indexation: carrying a figure from the price year of its source to another.

The series are those of data/costs/cost_index.csv: the consumer price index ``cpi_fi``
for operations, energy, rolling stock, fares and unit values, and the civil-engineering
cost index ``maku_total`` (Statistics Finland's maarakennuskustannusindeksi) for
infrastructure works and their maintenance. A series is interpolated linearly between
the years it has and extrapolated flat beyond them (so an index with few years never
invents a trend). Costs, fares, demand parameters and appraisal values all use it.
"""

from __future__ import annotations

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

"""Population cells and station catchments in ETRS-TM35FIN (EPSG:3067).

The population data are districts and villages placed at a point with a radius
(``data/demand/population_points.csv``). Each is spread evenly over a disc of cells on a
regular grid (:func:`population_grid`, plain EPSG:3067 coordinates), which catchments and
access times are built from; :func:`population_cells` gives the same cells as a
GeoDataFrame for maps and spatial joins. Access to a station is by the quickest allowed mode:

* walking, up to ``demand.walk_radius_m``;
* cycling or a feeder bus, beyond that up to ``demand.feeder_radius_m`` (and farther in
  the station's own municipality, whose local buses reach it);
* park-and-ride beyond the feeder radius up to ``park_and_ride_radius_km`` (stations
  outside Lahti, when the scenario allows it).

Time grows with distance, so the mode choice sees a distance decay of rail use; the
catchment table also reports residents weighted by ``exp(-distance / decay)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from railsim.config import schema
from railsim.demand.parameters import DemandParameters

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from railsim.corridor import Corridor

CRS = "EPSG:3067"
CELL_M = 250.0
"""Grid spacing of the population cells [m]: fine against a 1 km walking radius."""
DECAY_KM = 2.0
"""Distance scale of the reported weighted catchment population [km] (an ASSUMPTION for
reporting only; the model's own decay comes from access times)."""

BANDS = ("walk", "feeder", "park_and_ride")


def _grid(rows: list[dict[str, Any]], cell_m: float) -> pd.DataFrame:
    import pandas as pd

    xs, ys, pops, ids, munis = [], [], [], [], []
    for row in rows:
        radius = float(row["spread_km"]) * 1000
        steps = np.arange(-radius, radius + 1e-6, cell_m) if radius >= cell_m else np.zeros(1)
        gx, gy = np.meshgrid(steps, steps)
        inside = gx ** 2 + gy ** 2 <= radius ** 2 + 1e-6
        n = int(inside.sum())
        xs.append(row["x_3067"] + gx[inside])
        ys.append(row["y_3067"] + gy[inside])
        pops.append(np.full(n, row["population"] / n))
        ids += [row["point_id"]] * n
        munis += [row["municipality"]] * n
    return pd.DataFrame({"point_id": ids, "municipality": munis,
                         "population": np.concatenate(pops), "x": np.concatenate(xs),
                         "y": np.concatenate(ys)})


def population_grid(corridor: Corridor, cell_m: float = CELL_M) -> pd.DataFrame:
    """Residents on a grid of cells: point_id, municipality, population, x, y (EPSG:3067
    metres). The population of each point is conserved exactly (spread evenly over its
    disc). Built once per corridor and cell size; what the ridership model reads (plain
    coordinates: the model needs distances, not geometries)."""
    cells = corridor.memo(f"population_grid:{cell_m}",
                          lambda: _grid(corridor.records("population_points"), cell_m))
    return cells.copy()


def population_cells(corridor: Corridor, cell_m: float = CELL_M) -> gpd.GeoDataFrame:
    """:func:`population_grid` as a GeoDataFrame with point geometries in EPSG:3067, for
    maps and spatial joins in a notebook."""
    import geopandas as gpd

    grid = population_grid(corridor, cell_m)
    return gpd.GeoDataFrame(grid, geometry=gpd.points_from_xy(grid["x"], grid["y"]), crs=CRS)


@dataclass(frozen=True)
class StationPlace:
    """A served station as the ridership model sees it."""

    station_id: str
    name: str
    municipality: str
    x: float
    y: float
    park_and_ride: bool


@dataclass
class Access:
    """Best station and access of each cell (arrays aligned with the cells)."""

    station: np.ndarray
    """Index into the station list, -1 where no station can be reached."""
    distance_km: np.ndarray
    minutes: np.ndarray
    """Unweighted access time [min]."""
    money_eur: np.ndarray
    """Out-of-pocket access cost (park-and-ride driving) [EUR]."""
    mode: np.ndarray
    """0 walk, 1 feeder, 2 park-and-ride, -1 none."""

    def take(self, cells: slice | np.ndarray) -> Access:
        """The access of some of the cells (a slice or index array of them)."""
        return Access(self.station[cells], self.distance_km[cells], self.minutes[cells],
                      self.money_eur[cells], self.mode[cells])


def access(cells: pd.DataFrame, stations: list[StationPlace], demand: schema.Demand,
           params: DemandParameters, origin_end: bool) -> Access:
    """Quickest access from every cell to a served station (``origin_end`` allows P+R)."""
    n = len(cells)
    if not stations:
        empty = np.full(n, -1)
        return Access(empty, np.full(n, np.inf), np.full(n, np.inf), np.zeros(n), empty)
    sx = np.array([s.x for s in stations])
    sy = np.array([s.y for s in stations])
    cx, cy = cells["x"].to_numpy(), cells["y"].to_numpy()
    dist_km = np.hypot(cx[:, None] - sx[None, :], cy[:, None] - sy[None, :]) / 1000
    route_km = dist_km * params.access_detour_factor
    # cells × stations, a column per station: an object array compared with a str is
    # quick, with an array of str several times slower
    municipality = cells["municipality"].to_numpy()
    same_muni = np.stack([municipality == s.municipality for s in stations], axis=1)
    inf = np.inf
    walk_r, feeder_r = demand.walk_radius_m / 1000, demand.feeder_radius_m / 1000
    # The access mode follows the distance band (walk, then cycle/feeder, then P+R);
    # beyond the feeder radius the town's local buses still reach its own station.
    walk = np.where(dist_km <= walk_r, route_km / params.walk_speed_kmh * 60, inf)
    in_feeder_band = (dist_km > walk_r) & (dist_km <= feeder_r)
    pnr_ok = np.array([s.park_and_ride for s in stations])[None, :] & (
        dist_km > feeder_r) & (dist_km <= params.park_and_ride_radius_km) & origin_end \
        & demand.park_and_ride
    local = (dist_km > feeder_r) & same_muni & ~pnr_ok
    feeder = np.where(in_feeder_band | local,
                      route_km / params.feeder_speed_kmh * 60 + params.feeder_penalty_min, inf)
    pnr_money = route_km * params.car_cost_per_km_behavioural
    pnr = np.where(pnr_ok, route_km / params.car_access_speed_kmh * 60
                   + params.park_and_ride_penalty_min, inf)
    # The station is the one with the least generalised access (money at the commuting
    # value of time).
    pnr_general = pnr + pnr_money * 60 / params.vot_commute_eur_h
    best_value = np.minimum(np.minimum(walk, feeder), pnr_general)
    station = best_value.argmin(axis=1)
    rows = np.arange(n)
    best = best_value[rows, station]
    # of equally quick modes the first (walk, feeder, P+R), decided for the chosen
    # station only
    mode = np.where(walk[rows, station] == best, 0,
                    np.where(feeder[rows, station] == best, 1, 2))
    reachable = np.isfinite(best)
    minutes = np.choose(mode, [walk[rows, station], feeder[rows, station], pnr[rows, station]])
    money = np.where(mode == 2, pnr_money[rows, station], 0.0)
    return Access(np.where(reachable, station, -1), dist_km[rows, station],
                  np.where(reachable, minutes, np.inf), np.where(reachable, money, 0.0),
                  np.where(reachable, mode, -1))


def catchment_table(cells: pd.DataFrame, stations: list[StationPlace],
                    demand: schema.Demand, params: DemandParameters) -> pd.DataFrame:
    """Residents nearest each served station by distance band (walk, feeder, P+R).

    Columns: station_id, population_walk, population_feeder, population_park_and_ride
    (residents), population_weighted (residents × exp(−distance / 2 km)).
    """
    import pandas as pd

    result = access(cells, stations, demand, params, origin_end=True)
    pop = cells["population"].to_numpy()
    rows = []
    limits = (demand.walk_radius_m / 1000, demand.feeder_radius_m / 1000,
              params.park_and_ride_radius_km)
    for k, st in enumerate(stations):
        mine = result.station == k
        d = result.distance_km
        row: dict[str, object] = {"station_id": st.station_id}
        lower = 0.0
        for band, upper in zip(BANDS, limits, strict=True):
            allowed = band != "park_and_ride" or (st.park_and_ride and demand.park_and_ride)
            within = mine & (d > lower) & (d <= upper) if lower else mine & (d <= upper)
            row[f"population_{band}"] = float(pop[within].sum()) if allowed else 0.0
            lower = upper
        row["population_weighted"] = float((pop[mine] * np.exp(-d[mine] / DECAY_KM)).sum())
        rows.append(row)
    columns = ["station_id", *(f"population_{b}" for b in BANDS), "population_weighted"]
    return pd.DataFrame(rows, columns=columns)

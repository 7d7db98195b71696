"""Commuting between places: a gravity model calibrated to the counted flows.

``commuters[i, j] = k · P_i · P_j · a(j) · exp(−β · d_ij)`` for population points ``i ≠ j``
(persons travelling from home in ``i`` to work in ``j`` on a working day), where ``P`` is
residents, ``d`` the straight-line distance [km], ``β`` the distance decay
(``gravity_decay_per_km``) and ``a(j)`` the attraction of the destination's municipality:
1, except for the regional centre (Lahti), whose jobs draw more commuters than its
population alone would. ``k`` and ``a(Lahti)`` are fitted (least squares in logarithms,
exact for two counts) to the VERIFIED municipal counts in ``data/demand/commuting.csv``.

The counts cover whole municipalities, the points only their towns and villages: each
count is scaled by the share of the home municipality's residents that the points hold
(rural residents are assumed to commute at the same rate, but they are not in the
model's markets). Counts with another status (ESTIMATE) are not fitted; the model's
prediction for them is reported as a check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from railsim.corridor import Corridor

REGIONAL_CENTRE = "Lahti"
CORRIDOR_MUNICIPALITIES = ("Lahti", "Heinola", "Orimattila")
"""Municipalities whose places form the rail corridor's markets (others are context)."""


@dataclass(frozen=True)
class Place:
    """A population point of the corridor."""

    point_id: str
    name: str
    municipality: str
    population: float
    x: float
    y: float
    bus_route_id: str | None
    road_place: str | None


@dataclass
class Gravity:
    """Fitted gravity model and its checks."""

    places: list[Place]
    commuters: np.ndarray
    """persons/day from home place i to work place j"""
    k: float
    attraction: dict[str, float]
    fitted: list[dict[str, object]] = field(default_factory=list)
    """one row per count: origin, destination, status, count, target, model"""


def corridor_places(corridor: Corridor,
                    municipalities: tuple[str, ...] = CORRIDOR_MUNICIPALITIES) -> list[Place]:
    return [Place(r["point_id"], r["name"], r["municipality"], float(r["population"]),
                  float(r["x_3067"]), float(r["y_3067"]), r.get("bus_route_id"),
                  r.get("road_place"))
            for r in corridor.records("population_points")
            if r["municipality"] in municipalities]


def municipal_population(corridor: Corridor) -> dict[str, float]:
    """Latest population of each municipality in the data."""
    latest: dict[str, tuple[int, float]] = {}
    for r in corridor.records("municipalities"):
        if r["municipality"] not in latest or r["year"] > latest[r["municipality"]][0]:
            latest[r["municipality"]] = (r["year"], float(r["population"]))
    return {m: pop for m, (_, pop) in latest.items()}


def distance_km(places: list[Place]) -> np.ndarray:
    x = np.array([p.x for p in places])
    y = np.array([p.y for p in places])
    return np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) / 1000


def fit_gravity(places: list[Place], decay_per_km: float, corridor: Corridor) -> Gravity:
    """Calibrate ``k`` and the regional centre's attraction to the VERIFIED counts."""
    pop = np.array([p.population for p in places])
    muni = np.array([p.municipality for p in places])
    mass = pop[:, None] * pop[None, :] * np.exp(-decay_per_km * distance_km(places))
    np.fill_diagonal(mass, 0.0)
    municipal = municipal_population(corridor)
    counts = [r for r in corridor.records("commuting")
              if r["origin"] in set(muni) and r["destination"] in set(muni)]
    rows, targets, design = [], [], []
    for r in counts:
        o, d = r["origin"], r["destination"]
        cover = min(1.0, pop[muni == o].sum() / municipal.get(o, pop[muni == o].sum()))
        target = float(r["commuters_per_day"]) * cover
        s = mass[np.ix_(muni == o, muni == d)].sum()
        rows.append({"origin": o, "destination": d, "status": r["status"],
                     "count": float(r["commuters_per_day"]), "target": target, "mass": s})
        if r["status"] == "VERIFIED" and s > 0:
            design.append([1.0, 1.0 if d == REGIONAL_CENTRE else 0.0])
            targets.append(np.log(target / s))
    if not targets:
        raise ValueError("no VERIFIED commuting count between corridor places to fit")
    matrix = np.array(design)
    if not matrix[:, 1].any() or matrix[:, 1].all():
        matrix = matrix[:, :1]  # the centre's attraction is not identified: keep it at 1
    solution, *_ = np.linalg.lstsq(matrix, np.array(targets), rcond=None)
    k = float(np.exp(solution[0]))
    a_centre = float(np.exp(solution[1])) if len(solution) > 1 else 1.0
    attraction = {m: (a_centre if m == REGIONAL_CENTRE else 1.0) for m in set(muni)}
    commuters = k * mass * np.array([attraction[m] for m in muni])[None, :]
    fitted = []
    for row in rows:
        o, d = str(row["origin"]), str(row["destination"])
        model = float(commuters[np.ix_(muni == o, muni == d)].sum())
        fitted.append({k_: v for k_, v in row.items() if k_ != "mass"} | {"model": model})
    return Gravity(places, commuters, k, attraction, fitted)

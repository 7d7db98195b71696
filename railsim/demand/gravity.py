"""Commuting between places: a gravity model calibrated to the counted flows.

``commuters[i, j] = k · P_i · P_j · a(j) · exp(−β · d_ij)`` for population points ``i ≠ j``
(persons travelling from home in ``i`` to work in ``j`` on a working day), where ``P`` is
residents, ``d`` the straight-line distance [km], ``β`` the distance decay
(``gravity_decay_per_km``) and ``a(j)`` the attraction of the destination: 1, except for
the urban places of the regional centre (``data/demand/study_area.csv``), whose jobs
draw more commuters than their population alone would. ``k`` and ``a`` are fitted (least
squares in logarithms, exact for two counts) to the VERIFIED municipal counts in
``data/demand/commuting.csv``; places of one municipality are markets like any other.

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

from railsim.demand.places import Place

if TYPE_CHECKING:
    from railsim.corridor import Corridor


@dataclass
class Gravity:
    """Fitted gravity model and its checks."""

    places: list[Place]
    commuters: np.ndarray
    """persons/day from home place i to work place j"""
    k: float
    centre_attraction: float
    """``a`` of the centre's urban places (1 elsewhere)."""
    fitted: list[dict[str, object]] = field(default_factory=list)
    """one row per count: origin, destination, status, count, target, model"""

    def municipal_flow(self, origin: str, destination: str) -> float:
        o = np.array([p.municipality == origin for p in self.places])
        d = np.array([p.municipality == destination for p in self.places])
        return float(self.commuters[np.ix_(o, d)].sum())

    def verified_pairs(self) -> set[tuple[str, str]]:
        """Municipality pairs (either direction) with a fitted (VERIFIED) count."""
        pairs = set()
        for row in self.fitted:
            if row["status"] == "VERIFIED":
                o, d = str(row["origin"]), str(row["destination"])
                pairs |= {(o, d), (d, o)}
        return pairs


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
    """Calibrate ``k`` and the centre's attraction to the VERIFIED counts."""
    pop = np.array([p.population for p in places])
    muni = np.array([p.municipality for p in places])
    urban = np.array([p.urban for p in places])
    mass = pop[:, None] * pop[None, :] * np.exp(-decay_per_km * distance_km(places))
    np.fill_diagonal(mass, 0.0)
    municipal = municipal_population(corridor)
    rows, fit = [], []
    for r in corridor.records("commuting"):
        o, d = r["origin"], r["destination"]
        if o not in set(muni) or d not in set(muni):
            continue
        cover = min(1.0, pop[muni == o].sum() / municipal.get(o, pop[muni == o].sum()))
        target = float(r["commuters_per_day"]) * cover
        block = np.ix_(muni == o, muni == d)
        to_urban = float(mass[block][:, urban[muni == d]].sum())
        to_other = float(mass[block].sum()) - to_urban
        rows.append({"origin": o, "destination": d, "status": r["status"],
                     "count": float(r["commuters_per_day"]), "target": target})
        if r["status"] == "VERIFIED" and to_urban + to_other > 0:
            fit.append((target, to_urban, to_other))
    if not fit:
        raise ValueError("no VERIFIED commuting count between study-area places to fit")
    k, a_centre = _solve(fit)
    attraction = np.where(urban, a_centre, 1.0)
    commuters = k * mass * attraction[None, :]
    fitted = [row | {"model": float(commuters[np.ix_(muni == row["origin"],
                                                     muni == row["destination"])].sum())}
              for row in rows]
    return Gravity(places, commuters, k, a_centre, fitted)


def _solve(fit: list[tuple[float, float, float]]) -> tuple[float, float]:
    """``(k, a)`` minimising Σ (log(k·(a·U + O)) − log T)² over counts (T, U, O).

    ``a`` is identified only when some counts go to urban places and some do not; else
    it stays 1 and ``k`` is the geometric-mean fit.

    >>> k, a = _solve([(10.0, 1.0, 0.0), (4.0, 0.0, 2.0)])
    >>> round(k, 6), round(a, 6)
    (2.0, 5.0)
    """
    target = np.array([t for t, _, _ in fit])
    u = np.array([u for _, u, _ in fit])
    o = np.array([o for _, _, o in fit])
    identified = bool((u > 0).any() and (o > 0).any() and len(fit) >= 2)
    if not identified:
        k = float(np.exp(np.mean(np.log(target / (u + o)))))
        return k, 1.0

    # For a given a the best log k is the mean gap, so the fit is a search over log a
    # alone: a golden-section search, written out (scipy.optimize would cost every
    # process a third of a second to import for this two-parameter problem).
    log_t = np.log(target)

    def gaps(log_a: float) -> np.ndarray:
        return np.asarray(log_t - np.log(np.exp(log_a) * u + o))

    def cost(log_a: float) -> float:
        g = gaps(log_a)
        return float(((g - g.mean()) ** 2).sum())

    # a between 1e-13 and 1e13 (beyond that it is not identified); the cost need not be
    # unimodal, so a scan picks the best of 601 points first and the search refines it
    grid = np.linspace(-30.0, 30.0, 601)
    best = int(np.argmin([cost(x) for x in grid]))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    ratio = (np.sqrt(5.0) - 1) / 2
    left, right = high - ratio * (high - low), low + ratio * (high - low)
    cost_left, cost_right = cost(left), cost(right)
    for _ in range(80):  # the bracket shrinks to 0.2 · 0.618^80 ≈ 4e-18
        if cost_left <= cost_right:
            high, right, cost_right = right, left, cost_left
            left = high - ratio * (high - low)
            cost_left = cost(left)
        else:
            low, left, cost_left = left, right, cost_right
            right = low + ratio * (high - low)
            cost_right = cost(right)
    log_a = (low + high) / 2
    return float(np.exp(gaps(log_a).mean())), float(np.exp(log_a))

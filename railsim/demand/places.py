"""The study area: which municipalities and places take part, read from ``data/``.

``data/demand/study_area.csv`` names the regional centre, the member municipalities
(their places are markets), the region whose population is the denominator of the
onward commuting rate and the destination reached by main-line trains from the hub.
``data/demand/population_points.csv`` holds the places; a place whose municipality is
not in the study area is context only (on the map, not in the markets). Nothing here
or elsewhere in :mod:`railsim.demand` names a municipality, place or station: serving
another corridor is shipping another data folder.

The rows are checked once per corridor; a bad one is a :class:`~railsim.errors.DataError`
naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from railsim.data import TABLES
from railsim.errors import DataError

if TYPE_CHECKING:
    from railsim.corridor import Corridor

ROLES = ("centre", "member", "region", "onward")


@dataclass(frozen=True)
class Place:
    """A population point of the study area."""

    point_id: str
    name: str
    municipality: str
    population: float
    x: float
    y: float
    bus_route_id: str | None
    road_place: str | None
    urban: bool = False
    """In the regional centre's continuous urban area (see population_points.csv)."""


@dataclass(frozen=True)
class StudyArea:
    """The places and roles of a corridor's study area."""

    places: list[Place]
    centre: str
    """Municipality of the regional centre."""
    region: str | None
    """Area whose population is the denominator of the onward commuting rate."""
    onward: str | None
    """Destination beyond the hub that corridor residents commute to by main-line train."""

    def municipalities(self) -> set[str]:
        return {p.municipality for p in self.places}


def where(corridor: Corridor, table: str, row_index: int) -> str:
    """``file:line`` of a row of a declared table (the header is line 1)."""
    return f"{corridor.folder / TABLES[table].path}:{row_index + 2}"


def study_area(corridor: Corridor) -> StudyArea:
    """The study area of a corridor (checked and built once per corridor)."""
    return corridor.memo("study_area", lambda: _build(corridor))


def _build(corridor: Corridor) -> StudyArea:
    known = {r["municipality"] for r in corridor.records("municipalities")}
    roles: dict[str, list[str]] = {role: [] for role in ROLES}
    for k, row in enumerate(corridor.records("study_area")):
        if row["role"] not in ROLES:
            raise DataError(f"{where(corridor, 'study_area', k)}: role {row['role']!r} "
                            f"not one of {', '.join(ROLES)}")
        if row["role"] in ("centre", "member", "region") and row["municipality"] not in known:
            raise DataError(f"{where(corridor, 'study_area', k)}: {row['municipality']!r} has "
                            f"no population in {corridor.folder / TABLES['municipalities'].path}")
        roles[row["role"]].append(row["municipality"])
    if len(roles["centre"]) != 1:
        raise DataError(f"{corridor.folder / TABLES['study_area'].path}: exactly one row must "
                        f"have role centre (found {len(roles['centre'])})")
    members = set(roles["centre"]) | set(roles["member"])
    routes = {r["route_id"] for r in corridor.records("bus_services")}
    places = []
    for k, row in enumerate(corridor.records("population_points")):
        at = where(corridor, "population_points", k)
        if row["municipality"] not in known:
            raise DataError(f"{at}: municipality {row['municipality']!r} of {row['point_id']} "
                            f"has no population in "
                            f"{corridor.folder / TABLES['municipalities'].path}")
        if row["population"] <= 0:
            raise DataError(f"{at}: population of {row['point_id']} must be positive, "
                            f"got {row['population']}")
        route = row.get("bus_route_id")
        if route and route not in routes:
            raise DataError(f"{at}: bus route {route!r} of {row['point_id']} is not in "
                            f"{corridor.folder / TABLES['bus_services'].path}")
        if row["urban"] and row["municipality"] not in members:
            raise DataError(f"{at}: urban place {row['point_id']} lies outside the study area")
        if row["municipality"] in members:
            places.append(Place(row["point_id"], row["name"], row["municipality"],
                                float(row["population"]), float(row["x_3067"]),
                                float(row["y_3067"]), route or None, row.get("road_place"),
                                bool(row["urban"])))
    return StudyArea(places, roles["centre"][0], _one(roles["region"]),
                     _one(roles["onward"]))


def _one(names: list[str]) -> str | None:
    return names[0] if names else None

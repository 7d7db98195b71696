"""Destinations beyond the study area, reached by the continuation of a train.

``data/demand/external_zones.csv`` holds the zones (a town beyond the last modelled station,
placed at its station) and ``data/demand/external_services.csv`` which service lines run on
to which zone: the last modelled station they pass (``via_station``) and the in-vehicle
time, rail distance and extra fare from there. The flows are rows of
``data/demand/commuting.csv`` between a zone (by its name) and a member municipality or
the study area's region; each is shared among the places of that municipality (all places
for the region) by gravity towards the zone, ``population × exp(−β · distance)``. As for
the onward markets, the urban places' share is not modelled (those residents ride the
main-line trains from the hub). A scenario reaches a zone by train only when one of its
service lines has the id of a continuing service and calls at its via station.

The rows are checked once per corridor; a bad one is a :class:`~railsim.errors.DataError`
naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from railsim.config import schema
from railsim.data import TABLES
from railsim.demand.places import Place, StudyArea, where
from railsim.errors import DataError
from railsim.prices import index_factor

if TYPE_CHECKING:
    from railsim.corridor import Corridor


@dataclass(frozen=True)
class ExternalZone:
    """A destination beyond the study area."""

    zone_id: str
    name: str
    x: float
    y: float
    egress_min: float
    """Access or egress between the zone's station and the trip ends there."""
    bus_route_id: str | None

    def as_place(self) -> Place:
        """The zone as a trip end of the bus and road legs (no residents of its own)."""
        return Place(self.zone_id, self.name, self.name, 0.0, self.x, self.y,
                     self.bus_route_id, None, False)


@dataclass(frozen=True)
class Continuation:
    """A scenario's train running on from ``via_station`` to a zone."""

    zone_id: str
    service_id: str
    via_station: str
    in_vehicle_min: float
    distance_km: float
    fare_extra_eur: float
    """At the scenario's price year."""


@dataclass(frozen=True)
class ZoneFlow:
    """Commuters between a place and a zone from one commuting row."""

    place: int
    """Index into the study area's places."""
    zone: int
    """Index into :func:`external_zones`."""
    commuters: float
    """Persons a working day (either direction of the row)."""
    counted: bool
    """The row is VERIFIED."""


def external_zones(corridor: Corridor) -> list[ExternalZone]:
    """The checked zones of a corridor (empty if it has none)."""
    return corridor.memo("external_zones", lambda: _zones(corridor))


def _zones(corridor: Corridor) -> list[ExternalZone]:
    if not corridor.has("external_zones"):
        return []
    routes = ({r["route_id"] for r in corridor.records("bus_services")}
              if corridor.has("bus_services") else set())
    out = []
    for k, row in enumerate(corridor.records("external_zones")):
        route = row.get("bus_route_id") or None
        if route and route not in routes:
            raise DataError(f"{where(corridor, 'external_zones', k)}: bus route {route!r} of "
                            f"{row['zone_id']} is not in "
                            f"{corridor.folder / TABLES['bus_services'].path}")
        if row["egress_min"] < 0:
            raise DataError(f"{where(corridor, 'external_zones', k)}: egress_min must not be "
                            f"negative, got {row['egress_min']}")
        out.append(ExternalZone(row["zone_id"], row["name"], float(row["x_3067"]),
                                float(row["y_3067"]), float(row["egress_min"]), route))
    if corridor.has("external_services"):
        known = {z.zone_id for z in out}
        stations = corridor.by_key("stations")
        for k, row in enumerate(corridor.records("external_services")):
            at = where(corridor, "external_services", k)
            if row["zone_id"] not in known:
                raise DataError(f"{at}: zone {row['zone_id']!r} is not in "
                                f"{corridor.folder / TABLES['external_zones'].path}")
            if row["via_station"] not in stations:
                raise DataError(f"{at}: via_station {row['via_station']!r} is not in "
                                f"{corridor.folder / TABLES['stations'].path}")
            for name in ("in_vehicle_min", "distance_km", "fare_extra_eur"):
                if row[name] < 0:
                    raise DataError(f"{at}: {name} must not be negative, got {row[name]}")
    return out


def continuations(scenario: schema.Scenario, corridor: Corridor) -> dict[str, Continuation]:
    """Per zone id, the scenario's train that runs on to it (the first line that does)."""
    zones = external_zones(corridor)
    if not zones or not corridor.has("external_services"):
        return {}
    rows = corridor.records("external_services")
    out: dict[str, Continuation] = {}
    for line in scenario.service.lines:
        for row in rows:
            if row["service_id"] != line.id or row["via_station"] not in line.stations:
                continue
            fare = float(row["fare_extra_eur"]) * index_factor(
                row["price_year"], scenario.costs.price_year, corridor)
            out.setdefault(row["zone_id"], Continuation(
                row["zone_id"], line.id, row["via_station"], float(row["in_vehicle_min"]),
                float(row["distance_km"]), fare))
    return out


def zone_flows(area: StudyArea, zones: list[ExternalZone], decay_per_km: float,
               corridor: Corridor) -> list[ZoneFlow]:
    """Commuters between the non-urban places and the zones, one entry per place and
    commuting row (rows not between a zone and a municipality or the region are skipped)."""
    if not zones:
        return []
    by_name = {z.name: k for k, z in enumerate(zones)}
    places = area.places
    municipalities = area.municipalities()
    pop = np.array([p.population for p in places])
    x = np.array([p.x for p in places])
    y = np.array([p.y for p in places])
    out: list[ZoneFlow] = []
    for row in corridor.records("commuting"):
        o, d = row["origin"], row["destination"]
        zone_end, other = (by_name[d], o) if d in by_name else (by_name.get(o), d)
        if zone_end is None:
            continue
        if other in municipalities:
            member = np.array([p.municipality == other for p in places])
        elif other == area.region:
            member = np.ones(len(places), dtype=bool)
        else:
            continue
        zone = zones[zone_end]
        distance = np.hypot(x - zone.x, y - zone.y) / 1000
        weight = np.where(member, pop * np.exp(-decay_per_km * distance), 0.0)
        if weight.sum() <= 0:
            continue
        share = weight / weight.sum()
        for i, place in enumerate(places):
            if share[i] > 0 and not place.urban:
                out.append(ZoneFlow(i, zone_end,
                                    float(row["commuters_per_day"]) * float(share[i]),
                                    row["status"] == "VERIFIED"))
    return out

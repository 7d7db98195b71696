"""Access segments: a place's residents grouped by the station they reach and how far.

The served stations of a scenario, the segments of each place (station × distance ring,
with the mean access time, money and park-and-ride driving of its residents) and the
onward pseudo place (the hub station, for trips on to the capital region).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from railsim.config import schema
from railsim.demand.catchments import Access, StationPlace
from railsim.demand.gravity import municipal_population
from railsim.demand.parameters import DemandParameters
from railsim.demand.places import study_area
from railsim.network import JUNCTION, Network

if TYPE_CHECKING:
    from railsim.corridor import Corridor

ONWARD = "ONWARD"
"""Pseudo place: the hub station as the change to main-line trains (study_area.csv role
onward: the capital region)."""


@dataclass(frozen=True)
class Segments:
    """The segments of one place, one array entry each."""

    station: np.ndarray
    """Station id reached (object array; None where no station can be reached)."""
    share: np.ndarray
    """Share of the place's residents."""
    access_min: np.ndarray
    access_money_eur: np.ndarray
    access_car_km: np.ndarray

    def __len__(self) -> int:
        return len(self.share)

    @classmethod
    def single(cls, station: str | None) -> Segments:
        """One segment holding everyone, at ``station`` with no access (the hub)."""
        stations = np.empty(1, dtype=object)
        stations[0] = station
        zero = np.zeros(1)
        return cls(stations, np.ones(1), zero, zero, zero)


def served_stations(scenario: schema.Scenario, corridor: Corridor, network: Network
                    ) -> list[StationPlace]:
    """Stations the scenario's trains call at; park-and-ride at all but the hub (where a
    car parked by the platform would pay central parking and gain nothing)."""
    served: list[str] = []
    for line in scenario.service.lines:
        served += [s for s in line.stations if s not in served]
    records = corridor.by_key("stations")
    # a new terminus off the network lies in the municipality of the station it leaves from
    attached = {ext.id: ext.attach_to for ext in scenario.infrastructure.extensions}
    centre = study_area(corridor).centre
    out = []
    for sid in served:
        st = network.stations[sid]
        known = records.get(sid) or records.get(attached.get(sid, ""))
        municipality = known["municipality"] if known else centre
        out.append(StationPlace(sid, st.name, municipality, st.x_3067, st.y_3067,
                                park_and_ride=sid != JUNCTION))
    return out


def place_segments(cells_access: Access, population: np.ndarray,
                   stations: list[StationPlace], params: DemandParameters) -> Segments:
    """Segments of one place from its cells' access to the served stations."""
    total = population.sum()
    # the rings are data (demand_parameters.csv access_ring_*_km)
    ring = np.searchsorted(np.array(params.access_rings_km), cells_access.distance_km,
                           side="left")
    station_ids, shares, minutes, money, car_km = [], [], [], [], []
    keys = sorted(set(zip(cells_access.station.tolist(), ring.tolist(), strict=True)))
    for station, r in keys:
        mine = (cells_access.station == station) & (ring == r)
        pop = population[mine]
        if pop.sum() <= 0:
            continue
        weight = pop / pop.sum()
        driven = np.where(cells_access.mode[mine] == 2,
                          cells_access.distance_km[mine] * params.access_detour_factor, 0.0)
        station_ids.append(stations[station].station_id if station >= 0 else None)
        shares.append(float(pop.sum() / total))
        minutes.append(float((cells_access.minutes[mine] * weight).sum())
                       if station >= 0 else 0.0)
        money.append(float((cells_access.money_eur[mine] * weight).sum()))
        car_km.append(float((driven * weight).sum()))
    ids = np.empty(len(station_ids), dtype=object)
    for k, sid in enumerate(station_ids):
        ids[k] = sid
    return Segments(ids, np.array(shares), np.array(minutes), np.array(money),
                    np.array(car_km))


def onward_rate(corridor: Corridor) -> float:
    """Commuters on to the onward destination per resident of the region (the commuting
    count from the study area's region to its onward destination)."""
    area = study_area(corridor)
    counts = [r for r in corridor.records("commuting")
              if r["origin"] == area.region and r["destination"] == area.onward]
    region = municipal_population(corridor).get(area.region or "")
    if not counts or not region:
        return 0.0
    return float(counts[0]["commuters_per_day"]) / region

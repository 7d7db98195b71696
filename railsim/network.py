"""The corridor network as a scenario sees it: lines, stations, sections after upgrades.

Built from the corridor's data tables and a scenario's infrastructure section. Pure
Python (no pandas), so the scenario checks can use it and stay fast.

Positions are kilometres from Lahti along a line. A route (a service's station list) is
split into legs, one per pair of consecutive stations, each on one line; a service may
change line only at Lahti (:data:`JUNCTION`). Extensions (e.g. tram track into a town
centre) become lines of their own, starting at the station they leave from.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from railsim.config import schema

if TYPE_CHECKING:
    from railsim.corridor import Corridor

JUNCTION = "LH"
"""Lahti: the only station where a service may pass from one line to another."""


@dataclass(frozen=True)
class Section:
    """A stretch of line with uniform properties (after the scenario's upgrades)."""

    line_id: str
    from_km: float
    to_km: float
    tracks: int
    speed_limit_kmh: float
    electrified: bool
    train_protection: str
    level_crossings: int | None = None

    @property
    def length_km(self) -> float:
        return self.to_km - self.from_km


@dataclass(frozen=True)
class Station:
    """A place trains can stop at (as the scenario builds it)."""

    station_id: str
    name: str
    kind: str
    lat: float
    lon: float
    x_3067: float
    y_3067: float
    platform_length_m: float | None
    crossing_track_length_m: float | None


@dataclass(frozen=True)
class CrossingPoint:
    """A place on a single-track line where two trains can cross."""

    line_id: str
    km: float
    length_m: float
    station_id: str | None
    """The station at the point, or None for a loop between stations."""
    new: bool


@dataclass(frozen=True)
class Leg:
    """A move between two consecutive stops of a route, on one line."""

    from_station: str
    to_station: str
    line_id: str
    from_km: float
    to_km: float

    @property
    def direction(self) -> int:
        """+1 away from Lahti, -1 towards it."""
        return 1 if self.to_km > self.from_km else -1

    @property
    def length_km(self) -> float:
        return abs(self.to_km - self.from_km)


class RouteError(ValueError):
    """A station sequence that the network cannot run (with a field-level message)."""

    def __init__(self, index: int, message: str, given: str = "", allowed: str = "") -> None:
        super().__init__(message)
        self.index = index
        self.message = message
        self.given = given
        self.allowed = allowed


@dataclass
class Network:
    """Lines, sections, stations and crossing points for one scenario."""

    lines: dict[str, dict[str, Any]]
    sections: dict[str, list[Section]]
    stations: dict[str, Station]
    positions: dict[str, dict[str, float]]
    """station_id → {line_id: km from Lahti}"""
    crossing_points: dict[str, list[CrossingPoint]] = field(default_factory=dict)

    # -- construction ---------------------------------------------------------------

    @classmethod
    def build(cls, corridor: Corridor, scenario: schema.Scenario | None = None) -> Network:
        """Today's network from the corridor data, with the scenario's infrastructure applied."""
        lines = corridor.by_key("lines")
        stations = {
            row["station_id"]: Station(row["station_id"], row["name"], row["kind"], row["lat"],
                                       row["lon"], row["x_3067"], row["y_3067"],
                                       row["platform_length_m"],
                                       row["crossing_track_length_m"])
            for row in corridor.records("stations")
        }
        positions: dict[str, dict[str, float]] = {}
        for row in corridor.records("line_stations"):
            positions.setdefault(row["station_id"], {})[row["line_id"]] = row["km_from_lahti"]
        sections: dict[str, list[Section]] = {}
        for row in corridor.records("sections"):
            sections.setdefault(row["line_id"], []).append(Section(
                row["line_id"], row["from_km"], row["to_km"], row["tracks"],
                row["speed_limit_kmh"], row["electrified"], row["train_protection"] or "none",
                row["level_crossings"]))
        for secs in sections.values():
            secs.sort(key=lambda s: s.from_km)
        net = cls(lines, sections, stations, positions)
        if scenario is not None:
            net._apply(scenario)
        net._find_crossing_points(scenario)
        return net

    def _apply(self, scenario: schema.Scenario) -> None:
        infra = scenario.infrastructure
        for up in infra.upgrades:
            if up.line not in self.sections:
                continue
            lo = up.from_km if up.from_km is not None else 0.0
            hi = up.to_km if up.to_km is not None else self.lines[up.line]["length_km"]
            out = []
            for sec in _split(self.sections[up.line], lo, hi):
                if lo <= sec.from_km and sec.to_km <= hi:
                    sec = replace(
                        sec,
                        speed_limit_kmh=up.line_speed_kmh or sec.speed_limit_kmh,
                        electrified=sec.electrified or up.electrification,
                        train_protection=(sec.train_protection if up.train_protection ==
                                          "unchanged" else up.train_protection),
                    )
                out.append(sec)
            self.sections[up.line] = out
        for stop in infra.new_stops:
            st = self.stations.get(stop.station)
            if st is not None:
                self.stations[stop.station] = replace(
                    st, platform_length_m=max(st.platform_length_m or 0.0,
                                              stop.platform_length_m))
        for ext in infra.extensions:
            line_id = f"X_{ext.id}"
            self.lines[line_id] = {"line_id": line_id, "name": ext.name,
                                   "from_station": ext.attach_to, "to_station": ext.id,
                                   "length_km": ext.length_km, "tracks": 1,
                                   "electrified": ext.electrified}
            self.sections[line_id] = [Section(line_id, 0.0, ext.length_km, 1, ext.speed_kmh,
                                              ext.electrified, "line_of_sight")]
            self.stations[ext.id] = Station(ext.id, ext.name, "proposed", ext.lat, ext.lon,
                                            *_to_3067(ext.lat, ext.lon), 60.0, None)
            self.positions.setdefault(ext.attach_to, {})[line_id] = 0.0
            self.positions.setdefault(ext.id, {})[line_id] = ext.length_km

    def _find_crossing_points(self, scenario: schema.Scenario | None) -> None:
        points: dict[str, list[CrossingPoint]] = {line: [] for line in self.lines}
        for station_id, on_lines in self.positions.items():
            st = self.stations.get(station_id)
            if st is None:
                continue
            for line_id, km in on_lines.items():
                if station_id == JUNCTION:
                    points[line_id].append(CrossingPoint(line_id, km, 1000.0, station_id, False))
                elif st.crossing_track_length_m:
                    points[line_id].append(CrossingPoint(line_id, km, st.crossing_track_length_m,
                                                         station_id, False))
        if scenario is not None:
            for loop in scenario.infrastructure.passing_loops:
                at = next((sid for sid, pos in self.positions.items()
                           if abs(pos.get(loop.line, -1e9) - loop.km) < 0.3), None)
                if at is not None and at in self.stations:
                    # a loop at a station gives it a second track: trains can cross there
                    st = self.stations[at]
                    self.stations[at] = replace(st, crossing_track_length_m=max(
                        st.crossing_track_length_m or 0.0, loop.length_m))
                points.setdefault(loop.line, []).append(
                    CrossingPoint(loop.line, loop.km, loop.length_m, at, True))
        for line_id in points:
            points[line_id].sort(key=lambda p: p.km)
        self.crossing_points = points

    # -- queries ---------------------------------------------------------------------

    def line_length_km(self, line_id: str) -> float:
        return float(self.lines[line_id]["length_km"])

    def is_single_track(self, line_id: str, km: float) -> bool:
        """Whether the line has one track at ``km`` (where a new loop would help)."""
        for sec in self.sections.get(line_id, []):
            if sec.from_km <= km <= sec.to_km:
                return sec.tracks == 1
        return False

    def sections_between(self, line_id: str, lo: float, hi: float) -> list[Section]:
        """Sections clipped to [lo, hi] (lo < hi), in increasing km."""
        return [s for s in _split(self.sections.get(line_id, []), lo, hi)
                if s.from_km >= lo - 1e-9 and s.to_km <= hi + 1e-9 and s.length_km > 0]

    def route(self, stations: list[str]) -> list[Leg]:
        """Legs of a station sequence; raises :class:`RouteError` naming the bad station."""
        return [leg for leg in self.iter_route(stations) if isinstance(leg, Leg)]

    def iter_route(self, stations: list[str]) -> Iterator[Leg]:
        direction: dict[str, int] = {}
        previous_line: str | None = None
        for j in range(1, len(stations)):
            a, b = stations[j - 1], stations[j]
            pos_a, pos_b = self.positions.get(a, {}), self.positions.get(b, {})
            common = sorted(set(pos_a) & set(pos_b))
            if not common:
                raise RouteError(j, f"{b} is not on a line through {a}", f"{a} → {b}",
                                 f"{b} is on {', '.join(sorted(pos_b)) or 'no line'}; "
                                 f"{a} is on {', '.join(sorted(pos_a)) or 'no line'}")
            line = previous_line if previous_line in common else common[0]
            step = pos_b[line] - pos_a[line]
            if step == 0:
                raise RouteError(j, "same position as the previous station", repr(b))
            sign = 1 if step > 0 else -1
            if direction.get(line, sign) != sign:
                raise RouteError(j, f"station order reverses direction on line {line}",
                                 f"{a} (km {pos_a[line]}) → {b} (km {pos_b[line]})",
                                 "stations in running order along each line, changing line "
                                 f"only at {JUNCTION}")
            if previous_line is not None and previous_line != line and a != JUNCTION \
                    and not line.startswith("X_") and not previous_line.startswith("X_"):
                raise RouteError(j, f"changes from line {previous_line} to {line} at {a}",
                                 f"{a} → {b}", f"line changes only at {JUNCTION}")
            direction[line] = sign
            previous_line = line
            yield Leg(a, b, line, pos_a[line], pos_b[line])


def _to_3067(lat: float, lon: float) -> tuple[float, float]:
    """WGS84 → ETRS-TM35FIN (EPSG:3067); pyproj is imported only when an extension needs it."""
    from pyproj import Transformer

    transformer = Transformer.from_crs("EPSG:4326", "EPSG:3067", always_xy=True)
    x, y = transformer.transform(lon, lat)
    return round(float(x)), round(float(y))


def _split(sections: list[Section], lo: float, hi: float) -> list[Section]:
    """Sections cut at ``lo`` and ``hi`` so that upgrades apply to whole pieces."""
    out = []
    for sec in sections:
        cuts = sorted({sec.from_km, sec.to_km, *(c for c in (lo, hi)
                                                  if sec.from_km < c < sec.to_km)})
        for a, b in itertools.pairwise(cuts):
            out.append(replace(sec, from_km=a, to_km=b))
    return out

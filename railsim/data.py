"""Declared data tables in ``data/``: columns, types, units, and one reader.

Facts live in CSV files under ``data/`` (each row with its ``source`` and ``status``);
this module declares every table once (as PyPSA declares component attributes) and
reads it with checks: required columns present, values of the declared type,
``status`` one of :data:`STATUSES`, no empty ``source``, unique keys.

Two readers share the declarations: :func:`read_records` (standard library only, fast
enough for ``railsim validate``) and :func:`read_table` (a pandas DataFrame for the
models). Models do not call them: :class:`railsim.corridor.Corridor` reads a data folder
once and is passed to the models; only the public API and the CLI choose the folder.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from railsim.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

STATUSES = ("VERIFIED", "DERIVED", "ESTIMATE", "ASSUMPTION")
"""VERIFIED: read in the cited source. DERIVED: arithmetic on verified figures (method in
notes). ESTIMATE: judgement, reasoning in notes. ASSUMPTION: a modelling choice."""


@dataclass(frozen=True)
class Column:
    """One declared column: name, type (str, float, int, bool, time), unit, meaning."""

    name: str
    dtype: str
    unit: str
    description: str
    required: bool = True


@dataclass(frozen=True)
class TableSpec:
    """A declared table: file, meaning of a row, columns, primary key."""

    name: str
    path: str
    row: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _c(name: str, dtype: str, unit: str, description: str, required: bool = True) -> Column:
    return Column(name, dtype, unit, description, required)


_PROVENANCE = (
    _c("source", "str", "", "Citation: publication or page, site or repository and path."),
    _c("status", "str", "", "VERIFIED, DERIVED, ESTIMATE or ASSUMPTION."),
    _c("notes", "str", "", "Method (DERIVED) or reasoning (ESTIMATE, ASSUMPTION).", False),
)

_COORDS = (
    _c("lat", "float", "deg", "WGS84 latitude."),
    _c("lon", "float", "deg", "WGS84 longitude."),
    _c("x_3067", "float", "m", "ETRS-TM35FIN (EPSG:3067) easting."),
    _c("y_3067", "float", "m", "ETRS-TM35FIN (EPSG:3067) northing."),
)

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in [
        TableSpec(
            "lines", "network/lines.csv", "a railway line (or part of one) from Lahti",
            (
                _c("line_id", "str", "", "Line id, e.g. HEI, ORI."),
                _c("name", "str", "", "Name."),
                _c("from_station", "str", "", "Station at km 0 (Lahti)."),
                _c("to_station", "str", "", "Station at the far end."),
                _c("length_km", "float", "km", "Length from from_station to to_station."),
                _c("tracks", "int", "count", "Main tracks (1 = single track)."),
                _c("electrified", "bool", "", "Electrified today."),
                _c("train_protection", "str", "", "Train protection today: none, jkv, etcs."),
                *_PROVENANCE,
            ),
            ("line_id",),
        ),
        TableSpec(
            "stations", "network/stations.csv", "a station, halt or candidate stop",
            (
                _c("station_id", "str", "", "Short code (Finnish railway code where one exists)."),
                _c("name", "str", "", "Finnish name."),
                _c("name_sv", "str", "", "Swedish name.", False),
                _c("municipality", "str", "", "Municipality."),
                *_COORDS,
                _c("kind", "str", "", "passenger, freight, historic or proposed."),
                _c("platform_length_m", "float", "m", "Existing passenger platform length.",
                   False),
                _c("crossing_track_length_m", "float", "m",
                   "Usable length of a track where two trains can cross today.", False),
                *_PROVENANCE,
            ),
            ("station_id",),
        ),
        TableSpec(
            "line_stations", "network/line_stations.csv", "a station's position on a line",
            (
                _c("line_id", "str", "", "Line id."),
                _c("station_id", "str", "", "Station id."),
                _c("km_from_lahti", "float", "km", "Distance from Lahti along the line."),
                _c("chainage_km", "float", "km", "Finnish ratakilometri.", False),
                *_PROVENANCE,
            ),
            ("line_id", "station_id"),
        ),
        TableSpec(
            "sections", "network/sections.csv", "a stretch of line with uniform properties",
            (
                _c("line_id", "str", "", "Line id."),
                _c("from_km", "float", "km", "Start, from Lahti."),
                _c("to_km", "float", "km", "End, from Lahti."),
                _c("tracks", "int", "count", "Main tracks."),
                _c("speed_limit_kmh", "float", "km/h", "Passenger speed limit today."),
                _c("electrified", "bool", "", "Electrified today."),
                _c("train_protection", "str", "", "none, jkv or etcs."),
                _c("axle_load_t", "float", "t", "Permitted axle load.", False),
                _c("level_crossings", "int", "count", "Level crossings in the stretch.", False),
                *_PROVENANCE,
            ),
            ("line_id", "from_km"),
        ),
        TableSpec(
            "freight", "network/freight.csv", "a planned freight path to reserve",
            (
                _c("freight_id", "str", "", "Path id."),
                _c("line_id", "str", "", "Line id."),
                _c("from_station", "str", "", "Origin."),
                _c("to_station", "str", "", "Destination."),
                _c("departure_time", "time", "HH:MM", "Planned departure."),
                _c("days", "str", "", "weekday, daily or saturday."),
                _c("gross_tonnes", "float", "t", "Gross train mass.", False),
                _c("max_speed_kmh", "float", "km/h", "Freight speed."),
                _c("length_m", "float", "m", "Train length.", False),
                *_PROVENANCE,
            ),
            ("freight_id",),
        ),
        TableSpec(
            "municipalities", "demand/municipalities.csv", "a municipality's population in a year",
            (
                _c("municipality", "str", "", "Municipality."),
                _c("year", "int", "year", "Year (31 Dec)."),
                _c("population", "int", "persons", "Residents."),
                *_PROVENANCE,
            ),
            ("municipality", "year"),
        ),
        TableSpec(
            "population_points", "demand/population_points.csv",
            "population of a district or village, placed at a point and spread over a radius",
            (
                _c("point_id", "str", "", "Id."),
                _c("name", "str", "", "District or village."),
                _c("municipality", "str", "", "Municipality."),
                *_COORDS,
                _c("population", "int", "persons", "Residents."),
                _c("year", "int", "year", "Year of the population figure."),
                _c("spread_km", "float", "km", "Radius over which the population is spread."),
                _c("urban", "bool", "",
                   "In the regional centre's continuous urban area: reached from the travel "
                   "centre by local buses (no route of its own); trips between two urban "
                   "places are not modelled."),
                _c("bus_route_id", "str", "", "Regional bus route to Lahti (bus_services).", False),
                _c("road_place", "str", "", "Place name in road_distances.", False),
                *_PROVENANCE,
            ),
            ("point_id",),
        ),
        TableSpec(
            "study_area", "demand/study_area.csv",
            "a municipality or area taking part in the ridership model, and its role",
            (
                _c("municipality", "str", "",
                   "Municipality (as in municipalities.csv) or area name."),
                _c("role", "str", "",
                   "centre (the regional centre, one), member (its places are markets), "
                   "region (population denominator of the onward commuting rate) or onward "
                   "(destination reached by main-line trains from the hub station)."),
                *_PROVENANCE,
            ),
            ("municipality",),
        ),
        TableSpec(
            "commuting", "demand/commuting.csv", "a daily commuting flow between places",
            (
                _c("origin", "str", "", "Home municipality or place."),
                _c("destination", "str", "", "Work municipality or place."),
                _c("commuters_per_day", "float", "persons/day", "Commuters."),
                _c("year", "int", "year", "Year of the statistic."),
                *_PROVENANCE,
            ),
            ("origin", "destination"),
        ),
        TableSpec(
            "bus_services", "demand/bus_services.csv", "a competing bus route",
            (
                _c("route_id", "str", "", "Id."),
                _c("from_place", "str", "", "Origin."),
                _c("to_place", "str", "", "Destination."),
                _c("operator", "str", "", "Operator.", False),
                _c("in_vehicle_min", "float", "min", "Scheduled in-vehicle time."),
                _c("departures_weekday", "float", "count/day", "Weekday departures per direction."),
                _c("departures_saturday", "float", "count/day", "Saturday departures.", False),
                _c("departures_sunday", "float", "count/day", "Sunday departures.", False),
                _c("first_departure", "time", "HH:MM", "First departure.", False),
                _c("last_departure", "time", "HH:MM", "Last departure.", False),
                *_PROVENANCE,
            ),
            ("route_id",),
        ),
        TableSpec(
            "fares", "demand/fares.csv", "a ticket product and its price",
            (
                _c("fare_id", "str", "", "Id."),
                _c("product", "str", "", "Ticket product."),
                _c("zones", "str", "", "Zone span, e.g. AB.", False),
                _c("price_eur", "float", "EUR", "Price incl. VAT."),
                _c("price_year", "int", "year", "Year of the price."),
                _c("valid_from", "str", "date", "Valid from.", False),
                *_PROVENANCE,
            ),
            ("fare_id",),
        ),
        TableSpec(
            "fare_zones", "demand/fare_zones.csv", "the LSL fare zone of a place",
            (
                _c("place", "str", "", "Place."),
                _c("zone", "str", "", "Zone letter A–D."),
                *_PROVENANCE,
            ),
            ("place",),
        ),
        TableSpec(
            "road_distances", "demand/road_distances.csv", "a road trip between two places",
            (
                _c("from_place", "str", "", "Origin."),
                _c("to_place", "str", "", "Destination."),
                _c("road_km", "float", "km", "Road distance."),
                _c("car_min", "float", "min", "Car travel time.", False),
                *_PROVENANCE,
            ),
            ("from_place", "to_place"),
        ),
        TableSpec(
            "station_counts", "demand/station_counts.csv",
            "an observed yearly count of a station's passengers",
            (
                _c("station_id", "str", "", "Station id (network/stations.csv)."),
                _c("year", "int", "year", "Year counted."),
                _c("count", "float", "persons/yr", "Passengers counted in the year."),
                _c("definition", "str", "",
                   "What is counted: boardings, or boardings_and_alightings."),
                _c("use", "str", "",
                   "calibration (the rail constant is fitted to it), held_out (compared, not "
                   "fitted) or not_used (kept with the reason in notes)."),
                *_PROVENANCE,
            ),
            ("station_id", "year"),
        ),
        TableSpec(
            "observed_services", "demand/observed_services.csv",
            "an existing rail service in a year (for back-casts of the station counts)",
            (
                _c("service_id", "str", "",
                   "Id; a back-cast scenario's service line has this id."),
                _c("year", "int", "year", "Year the service level refers to."),
                _c("line_id", "str", "", "Line id (network/lines.csv)."),
                _c("stations", "str", "",
                   "Stations served in the study area, space-separated, in running order."),
                _c("departures_weekday", "int", "count/day",
                   "Weekday departures per direction."),
                _c("fare_single_id", "str", "", "Single ticket (fares.csv)."),
                _c("fare_season_id", "str", "", "30-day season ticket (fares.csv)."),
                *_PROVENANCE,
            ),
            ("service_id", "year"),
        ),
        TableSpec(
            "external_zones", "demand/external_zones.csv",
            "a destination beyond the study area reached by the continuation of a train",
            (
                _c("zone_id", "str", "", "Id (external_services.csv)."),
                _c("name", "str", "",
                   "Name, as origin or destination of its flows in commuting.csv."),
                *_COORDS,
                _c("egress_min", "float", "min",
                   "Access or egress between the zone's station and its trip ends."),
                _c("bus_route_id", "str", "",
                   "Regional bus route to Lahti serving the zone (bus_services); none: "
                   "no bus alternative.", False),
                *_PROVENANCE,
            ),
            ("zone_id",),
        ),
        TableSpec(
            "external_services", "demand/external_services.csv",
            "a service line that continues beyond the modelled network to an external zone",
            (
                _c("service_id", "str", "",
                   "Id of the scenario service line that continues (as in "
                   "observed_services.csv)."),
                _c("zone_id", "str", "", "External zone reached (external_zones.csv)."),
                _c("via_station", "str", "",
                   "Last modelled station the trains pass on the way (network/stations.csv)."),
                _c("in_vehicle_min", "float", "min",
                   "In-vehicle time from via_station to the zone."),
                _c("distance_km", "float", "km", "Rail distance from via_station to the zone."),
                _c("fare_extra_eur", "float", "EUR",
                   "Fare per trip to the zone above the fare of the modelled part (VAT "
                   "included)."),
                _c("price_year", "int", "year", "Year of the fare."),
                *_PROVENANCE,
            ),
            ("service_id", "zone_id"),
        ),
        TableSpec(
            "unit_costs", "costs/unit_costs.csv", "a unit cost with its range",
            (
                _c("item_id", "str", "", "Id used by scenarios (costs.unit_cost_overrides)."),
                _c("category", "str", "", "infrastructure, operations, maintenance, energy, "
                   "access_charge, freight or overhead."),
                _c("description", "str", "", "What the cost covers."),
                _c("value", "float", "see unit", "Central value."),
                _c("unit", "str", "", "Unit of value, low and high."),
                _c("price_year", "int", "year", "Price level."),
                _c("low", "float", "see unit", "Low end of the range.", False),
                _c("high", "float", "see unit", "High end of the range.", False),
                _c("asset_life_years", "float", "years", "Life before renewal.", False),
                _c("index_id", "str", "",
                   "Cost index series (costs/cost_index.csv) that carries the value to other "
                   "price years: maku_total for infrastructure works and their maintenance, "
                   "cpi_fi for operations; empty for fractions.", False),
                *_PROVENANCE,
            ),
            ("item_id",),
        ),
        TableSpec(
            "rolling_stock", "rolling_stock/types.csv", "a rolling-stock type",
            (
                _c("type_id", "str", "", "Id used by scenarios (rolling_stock.type)."),
                _c("name", "str", "", "Name."),
                _c("traction", "str", "", "diesel, electric, battery, bimode or tram_train."),
                _c("max_speed_kmh", "float", "km/h", "Maximum speed."),
                _c("accel_ms2", "float", "m/s2", "Starting acceleration."),
                _c("decel_ms2", "float", "m/s2", "Service braking rate for timetabling."),
                _c("length_m", "float", "m", "Unit length."),
                _c("mass_t", "float", "t", "Unit mass (empty)."),
                _c("seats", "int", "count", "Seats per unit."),
                _c("standing", "int", "count", "Standing places per unit.", False),
                _c("power_kw", "float", "kW", "Traction power.", False),
                _c("energy_kwh_per_km", "float", "kWh/unit-km", "Electric energy use.", False),
                _c("fuel_l_per_km", "float", "l/unit-km", "Diesel use.", False),
                _c("unit_price_eur", "float", "EUR", "Price per unit."),
                _c("price_year", "int", "year", "Price level of unit_price_eur."),
                _c("max_units_coupled", "int", "count", "Units that can run coupled."),
                _c("battery_range_km", "float", "km", "Range off the wire (battery).", False),
                *_PROVENANCE,
            ),
            ("type_id",),
        ),
        TableSpec(
            "cost_index", "costs/cost_index.csv", "a cost index value in a year",
            (
                _c("index_id", "str", "", "Index series id."),
                _c("year", "int", "year", "Year (annual average)."),
                _c("value", "float", "index", "Index value."),
                _c("base", "str", "", "Base, e.g. 2015=100."),
                *_PROVENANCE,
            ),
            ("index_id", "year"),
        ),
        TableSpec(
            "appraisal_values", "appraisal/appraisal_values.csv", "an appraisal parameter",
            (
                _c("parameter_id", "str", "", "Id."),
                _c("value", "float", "see unit", "Value."),
                _c("unit", "str", "", "Unit."),
                _c("price_year", "int", "year", "Price level (money values).", False),
                *_PROVENANCE,
            ),
            ("parameter_id",),
        ),
        TableSpec(
            "demand_parameters", "demand/demand_parameters.csv", "a ridership-model parameter",
            (
                _c("parameter_id", "str", "", "Id."),
                _c("value", "float", "see unit", "Value."),
                _c("unit", "str", "", "Unit."),
                _c("domain", "str", "",
                   "Values the parameter can take at all, as an interval: [0, 1] a share, "
                   "(0, 1] a nest scale, (0, inf) above zero, [0, inf) zero or more, "
                   "(-inf, inf) any number. value, low and high must lie in it, and so must "
                   "every draw of the uncertainty analysis."),
                _c("price_year", "int", "year", "Price level (money values).", False),
                _c("low", "float", "see unit", "Low end of the plausible range.", False),
                _c("high", "float", "see unit", "High end of the plausible range.", False),
                *_PROVENANCE,
            ),
            ("parameter_id",),
        ),
        TableSpec(
            "elasticity_benchmarks", "demand/elasticity_benchmarks.csv",
            "a published range of a public-transport demand elasticity",
            (
                _c("elasticity_id", "str", "", "fare, frequency or in_vehicle_time."),
                _c("low", "float", "1", "Most negative end of the range."),
                _c("high", "float", "1", "Other end of the range."),
                _c("central", "float", "1", "A commonly recommended value."),
                *_PROVENANCE,
            ),
            ("elasticity_id",),
        ),
    ]
}


def _package_data() -> Path:
    # An installed wheel carries the data inside the package (setup.py copies it); a
    # checkout or an editable install reads the top-level data/ folder in place.
    inside = Path(__file__).resolve().parent / "_data"
    return inside if inside.is_dir() else Path(__file__).resolve().parent.parent / "data"


PACKAGE_DATA = _package_data()
"""The shipped corridor's data folder (Heinola – Lahti – Orimattila)."""


_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


def _convert(spec: TableSpec, col: Column, raw: str, where: str) -> Any:
    text = raw.strip()
    if text == "":
        if col.required:
            raise DataError(f"{where}: column {col.name!r} is empty but required")
        return None
    try:
        if col.dtype == "float":
            return _finite(text)
        if col.dtype == "int":
            as_float = float(text)
            if not as_float.is_integer():
                raise ValueError(text)
            return int(as_float)
        if col.dtype == "bool":
            lowered = text.lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ValueError(text)
        if col.dtype == "time":
            hours, minutes = text.split(":")
            if not (0 <= int(hours) < 30 and 0 <= int(minutes) < 60):
                raise ValueError(text)
            return text
    except ValueError:
        raise DataError(
            f"{where}: column {col.name!r} must be {col.dtype}, got {text!r}"
        ) from None
    return text


_POSITIVE_UNITS = frozenset({"km/h", "m/s2", "index"})
"""Units of quantities that divide (speeds, rates, index levels): above zero."""
_NONNEGATIVE_UNITS = frozenset({"km", "m", "t", "count", "persons", "persons/day",
                                "persons/yr", "count/day", "min", "EUR", "kW", "kWh/unit-km",
                                "l/unit-km", "years"})
"""Units of lengths, masses, counts, times and prices: zero or more."""
_POSITIVE_COLUMNS = frozenset({("lines", "length_km"), ("lines", "tracks"),
                               ("sections", "tracks"), ("rolling_stock", "length_m"),
                               ("rolling_stock", "mass_t"),
                               ("rolling_stock", "max_units_coupled"),
                               ("unit_costs", "asset_life_years")})
"""Columns of those units that must be above zero all the same (a line, a train)."""
_DEGREES = {"lat": 90.0, "lon": 180.0}


def _in_range(spec: TableSpec, col: Column, value: float, where: str) -> None:
    """A number outside what its column can hold (a speed of 0, a negative length) is a
    DataError at its line: it would fail deep in the model or give nonsense."""
    if col.name.endswith("_3067"):  # projected coordinates: any number
        return
    if col.unit == "deg" and col.name in _DEGREES:
        limit = _DEGREES[col.name]
        if not -limit <= value <= limit:
            raise DataError(f"{where}: column {col.name!r} must lie within ±{limit:g} "
                            f"degrees, got {value:g}")
        return
    if col.unit in _POSITIVE_UNITS or (spec.name, col.name) in _POSITIVE_COLUMNS:
        if not value > 0:
            raise DataError(f"{where}: column {col.name!r} ({col.unit}) must be above zero, "
                            f"got {value:g}")
    elif col.unit in _NONNEGATIVE_UNITS and value < 0:
        raise DataError(f"{where}: column {col.name!r} ({col.unit}) cannot be negative, "
                        f"got {value:g}")


@dataclass(frozen=True)
class Domain:
    """The values a data value can take at all (column ``domain``): an interval whose ends
    may be excluded, e.g. ``(0, 1]`` for a nest scale."""

    lowest: float
    highest: float
    open_low: bool
    open_high: bool

    def __contains__(self, value: float) -> bool:
        above = value > self.lowest if self.open_low else value >= self.lowest
        below = value < self.highest if self.open_high else value <= self.highest
        return above and below

    def holds(self, low: float, high: float) -> bool:
        """Whether every value from ``low`` to ``high`` lies in the domain."""
        return low in self and high in self

    def describe(self) -> str:
        """In words, as the scenario schema's bounds are given: "above 0 to 1"."""
        low = f"{'above ' if self.open_low else ''}{self.lowest:g}"
        high = f"{'below ' if self.open_high else ''}{self.highest:g}"
        if math.isinf(self.lowest) and math.isinf(self.highest):
            return "any number"
        if math.isinf(self.highest):
            return f"above {self.lowest:g}" if self.open_low else f"{self.lowest:g} or above"
        if math.isinf(self.lowest):
            return f"below {self.highest:g}" if self.open_high else f"{self.highest:g} or below"
        return f"{low} to {high}"


_INTERVAL = re.compile(r"^\s*(?P<left>[\[(])\s*(?P<low>[^,\s]+)\s*,\s*(?P<high>[^\]\s)]+)\s*"
                       r"(?P<right>[\])])\s*$")


def parse_domain(text: str) -> Domain:
    """``"(0, 1]"`` → a :class:`Domain`; ValueError saying why for anything else."""
    match = _INTERVAL.match(text)
    if not match:
        raise ValueError("an interval such as [0, 1], (0, 1], (0, inf) or (-inf, inf)")
    try:
        low, high = float(match["low"]), float(match["high"])
    except ValueError:
        raise ValueError("interval ends are numbers, -inf or inf") from None
    if math.isnan(low) or math.isnan(high) or not low < high:
        raise ValueError("an interval whose low end is below its high end")
    open_low, open_high = match["left"] == "(", match["right"] == ")"
    if (math.isinf(low) and not open_low) or (math.isinf(high) and not open_high):
        raise ValueError("an infinite end excluded: (-inf, ...) or (..., inf)")
    return Domain(low, high, open_low, open_high)


_DOMAIN_CHECKED = ("value", "low", "high")
"""Columns of a table with a ``domain`` that must lie in it."""


def _within_domain(row: dict[str, Any], key: str, where: str) -> None:
    """A row's value (and its plausible range) inside the row's own domain: a nest scale of
    1.3 or a share of 1.5 is a DataError at its line, not a forecast out of any model."""
    try:
        domain = parse_domain(row["domain"])
    except ValueError as exc:
        raise DataError(f"{where}: column 'domain' must be {exc}, got "
                        f"{row['domain']!r}") from None
    for name in _DOMAIN_CHECKED:
        if row.get(name) is not None and row[name] not in domain:
            raise DataError(f"{where}: column {name!r} ({row[key]}) must lie in "
                            f"its domain {row['domain']} ({domain.describe()}), got "
                            f"{row[name]:g}")


def _finite(text: str) -> float:
    """``float(text)``; ValueError for nan and inf too (a missing value in disguise)."""
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _file_bytes(name: str, folder: str) -> bytes:
    path = Path(folder) / TABLES[name].path
    if not path.is_file():
        raise DataError(f"data table {name!r} not found: {path}")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None


@functools.lru_cache(maxsize=64)
def _read_cached(name: str, folder: str, content: bytes) -> tuple[dict[str, Any], ...]:
    """The rows of ``content``, the file's bytes as read now: an edited file is read
    again (a corridor's fingerprint hashes the file as it is, its rows must be those)."""
    spec = TABLES[name]
    path = Path(folder) / spec.path
    try:
        # utf-8-sig: a byte order mark (Excel's "CSV UTF-8") is not part of the first column
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    return _read_rows(spec, path, text)


def _read_rows(spec: TableSpec, path: Path, text: str) -> tuple[dict[str, Any], ...]:
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c.name for c in spec.columns if c.name not in header]
        if missing:
            raise DataError(f"{path}: missing columns {missing}")
        unknown = [h for h in header if h not in {c.name for c in spec.columns}]
        if unknown:
            raise DataError(
                f"{path}: undeclared columns {unknown} (declare them in railsim/data.py)"
            )
        rows = []
        keys: set[tuple[Any, ...]] = set()
        for number, raw in enumerate(_csv_rows(reader, path), start=2):
            where = f"{path}:{number}"
            if None in raw:  # csv puts surplus fields of a row under the key None
                raise DataError(f"{where}: more fields than the {len(header)} columns "
                                "(an unquoted comma?)")
            row = {c.name: _convert(spec, c, raw.get(c.name) or "", where) for c in spec.columns}
            for c in spec.columns:
                if c.dtype in ("float", "int") and row[c.name] is not None:
                    _in_range(spec, c, row[c.name], where)
            if "domain" in row:
                _within_domain(row, spec.key[0], where)
            if row["status"] not in STATUSES:
                raise DataError(f"{where}: status {row['status']!r} not in {STATUSES}")
            key = tuple(row[k] for k in spec.key)
            if key in keys:
                raise DataError(f"{where}: duplicate key {dict(zip(spec.key, key, strict=True))}")
            keys.add(key)
            rows.append(row)
    return tuple(rows)


def _csv_rows(reader: csv.DictReader[str], path: Path) -> Iterator[dict[str, str]]:
    """The reader's rows; a CSV syntax error (a field over the size limit) as a DataError
    at its line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataError(f"{path}:{reader.line_num + 1}: {exc}") from None
        yield row


def read_records(name: str, folder: Path | None = None) -> list[dict[str, Any]]:
    """Rows of a declared table as typed dicts (no pandas needed)."""
    if name not in TABLES:
        raise KeyError(f"no declared table {name!r}; known: {sorted(TABLES)}")
    where = str(folder or PACKAGE_DATA)
    return [dict(r) for r in _read_cached(name, where, _file_bytes(name, where))]


def read_table(name: str, folder: Path | None = None) -> pd.DataFrame:
    """A declared table as a pandas DataFrame with declared dtypes."""
    return records_frame(name, read_records(name, folder))


def records_frame(name: str, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows of a declared table as a DataFrame with the declared dtypes and units."""
    import pandas as pd

    spec = TABLES[name]
    frame = pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in spec.columns])
    for col in spec.columns:
        if col.dtype == "float":
            frame[col.name] = frame[col.name].astype("float64")
        elif col.dtype == "int":
            frame[col.name] = frame[col.name].astype("Int64")
        elif col.dtype == "bool":
            frame[col.name] = frame[col.name].astype("boolean")
    frame.attrs["units"] = {c.name: c.unit for c in spec.columns}
    return frame


def records_by_key(name: str, folder: Path | None = None) -> Mapping[Any, dict[str, Any]]:
    """Rows keyed by the table's (single or tuple) primary key."""
    spec = TABLES[name]
    out: dict[Any, dict[str, Any]] = {}
    for row in read_records(name, folder):
        key = row[spec.key[0]] if len(spec.key) == 1 else tuple(row[k] for k in spec.key)
        out[key] = row
    return out


def tables_markdown() -> str:
    """Markdown reference of every declared table (used for data/README.md)."""
    lines = []
    for spec in TABLES.values():
        lines.append(f"### `{spec.path}` — {spec.name}\n")
        lines.append(f"One row is {spec.row}. Key: {', '.join(spec.key)}.\n")
        lines.append("| column | type | unit | required | meaning |")
        lines.append("|---|---|---|---|---|")
        for col in spec.columns:
            req = "yes" if col.required else "no"
            lines.append(f"| `{col.name}` | {col.dtype} | {col.unit} | {req} | {col.description} |")
        lines.append("")
    return "\n".join(lines)


README_MARKER = "<!-- generated from railsim/data.py: `make docs` -->"


def write_readme_tables(path: Path | None = None) -> None:
    """Replace the generated table reference in data/README.md (keeps the text around it)."""
    path = path or PACKAGE_DATA / "README.md"
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(README_MARKER)
    _, _, tail = rest.partition("\n## Known gaps")
    path.write_text(f"{head}{README_MARKER}\n{tables_markdown()}\n## Known gaps{tail}",
                    encoding="utf-8")

"""Back-casts: today's services against the station counts observed in their years.

``data/demand/station_counts.csv`` holds yearly passenger counts of existing stations;
``data/demand/observed_services.csv`` the services of those years (stops, weekday
departures, the operator's fares). A scenario whose service lines carry the id of an
observed service and whose fare policy is ``observed`` is a back-cast of the year
``demand.base_year``; :func:`check_observed_service` checks that the data hold that
service in that year and that the scenario runs it, and :func:`validation_table` sets
the forecast's station passengers beside the counts of that year.

The counts are checked once per corridor: a count of a station that is not in the
network is a :class:`~railsim.errors.DataError` naming the file and line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from railsim.config import schema
from railsim.data import TABLES
from railsim.demand.observed import observed_services
from railsim.demand.places import where
from railsim.errors import DataError, Issue

if TYPE_CHECKING:
    import pandas as pd

    from railsim.corridor import Corridor
    from railsim.demand.model import Forecast

DEFINITIONS = ("boardings", "boardings_and_alightings")
USES = ("calibration", "held_out", "not_used")
COLUMNS = ("station_id", "station_name", "year", "observed", "predicted", "ratio",
           "definition", "use", "source")


@dataclass(frozen=True)
class Count:
    """An observed yearly count of a station's passengers."""

    station_id: str
    year: int
    count: float
    definition: str
    use: str
    source: str


def station_counts(corridor: Corridor) -> list[Count]:
    """The checked station counts of a corridor (empty if it has none)."""
    return corridor.memo("station_counts", lambda: _counts(corridor))


def _counts(corridor: Corridor) -> list[Count]:
    if not corridor.has("station_counts"):
        return []
    stations = corridor.by_key("stations")
    out = []
    for k, row in enumerate(corridor.records("station_counts")):
        at = where(corridor, "station_counts", k)
        if row["station_id"] not in stations:
            raise DataError(f"{at}: station {row['station_id']!r} is not in "
                            f"{corridor.folder / TABLES['stations'].path}")
        if row["definition"] not in DEFINITIONS:
            raise DataError(f"{at}: definition {row['definition']!r} not one of "
                            f"{', '.join(DEFINITIONS)}")
        if row["use"] not in USES:
            raise DataError(f"{at}: use {row['use']!r} not one of {', '.join(USES)}")
        if row["count"] <= 0:
            raise DataError(f"{at}: count must be positive, got {row['count']}")
        out.append(Count(row["station_id"], row["year"], float(row["count"]),
                         row["definition"], row["use"], row["source"]))
    return out


def check_observed_service(s: schema.Scenario, corridor: Corridor) -> Iterator[Issue]:
    """A back-cast (fare policy ``observed``) must run services the data hold for its
    base year, with their stops and weekday departures."""
    if s.demand.fares.policy != "observed":
        return
    path = corridor.folder / TABLES["observed_services"].path
    known = ({sid for sid, _ in corridor.by_key("observed_services")}
             if corridor.has("observed_services") else set())
    fares: set[tuple[str, str]] = set()
    for i, (line, row) in enumerate(zip(s.service.lines, observed_services(s, corridor),
                                        strict=True)):
        if row is None:
            years = sorted(y for sid, y in corridor.by_key("observed_services")
                           if sid == line.id) if line.id in known else []
            allowed = (f"a year with service data for {line.id} in {path}: "
                       f"{', '.join(map(str, years))}" if years
                       else f"a service_id of {path}: {', '.join(sorted(known)) or 'none'}")
            yield Issue(("service", "lines", i, "id"),
                        f"no service data for {line.id!r} in {s.demand.base_year} "
                        "(demand.base_year of this back-cast)", repr(line.id), allowed)
            continue
        fares.add((row["fare_single_id"], row["fare_season_id"]))
        stops = row["stations"].split()
        if list(line.stations) not in (stops, stops[::-1]):
            yield Issue(("service", "lines", i, "stations"),
                        f"the stops of {line.id} in {row['year']} differ from {path}",
                        " ".join(line.stations), " ".join(stops))
        if line.weekday is None:
            yield Issue(("service", "lines", i, "weekday"), "a back-cast needs the weekday "
                        "service", "none", f"{row['departures_weekday']} departures")
            continue
        departures = len(line.weekday.departure_times_s(line.clock_face))
        if departures != row["departures_weekday"]:
            yield Issue(("service", "lines", i, "weekday"),
                        f"weekday departures of {line.id} in {row['year']} differ from {path}",
                        str(departures), str(row["departures_weekday"]))
    if len(fares) > 1:
        yield Issue(("demand", "fares", "policy"), "the observed services have different "
                    "fares; the model has one train fare", str(sorted(fares)),
                    "services sharing fare_single_id and fare_season_id")


def validation_table(fc: Forecast, stations: pd.DataFrame) -> pd.DataFrame:
    """Counts of the scenario's served stations in its base year against the forecast.

    ``stations`` is the forecast's ridership table (``ridership.csv``). ``predicted`` is in
    the count's definition: annual boardings, or boardings plus alightings.
    """
    import pandas as pd

    by_station = {str(row["station_id"]): row for row in stations.to_dict("records")}
    year = fc.scenario.demand.base_year
    rows = []
    for c in station_counts(fc.corridor):
        if c.year != year or c.use == "not_used" or c.station_id not in by_station:
            continue
        st = by_station[c.station_id]
        predicted = float(st["boardings_annual"])
        if c.definition == "boardings_and_alightings":
            predicted += float(st["alightings_daily"]) * fc.annual_factor
        rows.append({"station_id": c.station_id, "station_name": st["station_name"],
                     "year": c.year, "observed": c.count, "predicted": predicted,
                     "ratio": predicted / c.count, "definition": c.definition, "use": c.use,
                     "source": c.source})
    return pd.DataFrame(rows, columns=list(COLUMNS))

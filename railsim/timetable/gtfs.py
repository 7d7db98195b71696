"""GTFS export of the planned passenger service.

Writes ``agency``, ``stops``, ``routes``, ``trips``, ``stop_times``, ``calendar`` and
``feed_info`` so the plan loads into journey planners and accessibility tools. Service
runs for one calendar year from 1 January of the opening year; weekday, Saturday and
Sunday timetables become three GTFS services. Times past midnight are written as
``24:mm:ss`` and beyond, as GTFS allows.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from railsim.timetable.plan import ServicePlan

CALENDAR_DAYS = {
    "weekday": (1, 1, 1, 1, 1, 0, 0),
    "saturday": (0, 0, 0, 0, 0, 1, 0),
    "sunday": (0, 0, 0, 0, 0, 0, 1),
}


def gtfs_time(seconds: float) -> str:
    """``HH:MM:SS`` from seconds after midnight (rounded to the second).

    >>> gtfs_time(25 * 3600 + 61.4)
    '25:01:01'
    """
    t = round(seconds)
    return f"{t // 3600:02d}:{t % 3600 // 60:02d}:{t % 60:02d}"


def _table(rows: Sequence[Mapping[str, object]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


def gtfs_tables(plan: ServicePlan) -> dict[str, str]:
    """The feed's files as CSV text, keyed by file name."""
    s = plan.scenario
    year = s.appraisal.opening_year
    used: set[str] = set()
    trips, stop_times = [], []
    for day_type, table in plan.timetables.items():
        for trip in table.passenger_trips():
            trips.append({"route_id": trip.service_id, "service_id": day_type,
                          "trip_id": trip.trip_id, "direction_id": trip.direction,
                          "trip_headsign": plan.network.stations[trip.stops[-1].station_id].name})
            for seq, st in enumerate(s for s in trip.stops if s.served):
                used.add(st.station_id)
                stop_times.append({
                    "trip_id": trip.trip_id, "arrival_time": gtfs_time(st.arrival_s),
                    "departure_time": gtfs_time(st.departure_s), "stop_id": st.station_id,
                    "stop_sequence": seq, "shape_dist_traveled": round(st.km, 3),
                })
    stops = [{"stop_id": sid, "stop_name": plan.network.stations[sid].name,
              "stop_lat": round(plan.network.stations[sid].lat, 6),
              "stop_lon": round(plan.network.stations[sid].lon, 6)}
             for sid in sorted(used)]
    routes = [{"route_id": svc.id, "agency_id": "railsim",
               "route_short_name": svc.id,
               "route_long_name": svc.name or " – ".join((svc.stations[0], svc.stations[-1])),
               "route_type": 0 if s.rolling_stock.type == "tram_train" else 2}
              for svc in s.service.lines]
    calendar = [{"service_id": day, "monday": d[0], "tuesday": d[1], "wednesday": d[2],
                 "thursday": d[3], "friday": d[4], "saturday": d[5], "sunday": d[6],
                 "start_date": f"{year}0101", "end_date": f"{year}1231"}
                for day, d in CALENDAR_DAYS.items() if day in plan.timetables]
    return {
        "agency.txt": _table([{"agency_id": "railsim", "agency_name": "railsim plan: " + s.name,
                               "agency_url": "https://example.invalid/railsim",
                               "agency_timezone": "Europe/Helsinki", "agency_lang": "fi"}],
                             ["agency_id", "agency_name", "agency_url", "agency_timezone",
                              "agency_lang"]),
        "stops.txt": _table(stops, ["stop_id", "stop_name", "stop_lat", "stop_lon"]),
        "routes.txt": _table(routes, ["route_id", "agency_id", "route_short_name",
                                      "route_long_name", "route_type"]),
        "trips.txt": _table(trips, ["route_id", "service_id", "trip_id", "direction_id",
                                    "trip_headsign"]),
        "stop_times.txt": _table(stop_times, ["trip_id", "arrival_time", "departure_time",
                                              "stop_id", "stop_sequence",
                                              "shape_dist_traveled"]),
        "calendar.txt": _table(calendar, ["service_id", "monday", "tuesday", "wednesday",
                                          "thursday", "friday", "saturday", "sunday",
                                          "start_date", "end_date"]),
        "feed_info.txt": _table([{"feed_publisher_name": "railsim",
                                  "feed_publisher_url": "https://example.invalid/railsim",
                                  "feed_lang": "fi", "feed_start_date": f"{year}0101",
                                  "feed_end_date": f"{year}1231",
                                  "feed_version": s.name}],
                                ["feed_publisher_name", "feed_publisher_url", "feed_lang",
                                 "feed_start_date", "feed_end_date", "feed_version"]),
    }


def write_gtfs(plan: ServicePlan, path: Path) -> Path:
    """Write the feed as a zip (atomically: a temporary file, then rename)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in gtfs_tables(plan).items():
            archive.writestr(name, text)
    tmp.replace(path)
    return path

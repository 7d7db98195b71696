"""GTFS export of the planned passenger service.

Writes ``agency``, ``stops``, ``routes``, ``trips`` (with ``block_id``: the train set of
the rolling-stock circulation that runs the trip, and ``shape_id``), ``stop_times``,
``calendar``, ``calendar_dates``, ``shapes`` and ``feed_info`` so the plan loads into
journey planners without errors (a test runs the canonical rule set of the GTFS
validator over every shipped scenario's feed). Service runs for one calendar year
from 1 January of the opening year; weekday, Saturday and Sunday timetables become three
GTFS services, and on the Finnish public holidays of that year (:func:`holidays`) the
Sunday service runs instead. Shapes join the stations' coordinates in running order.
Times past midnight are written as ``24:mm:ss`` and beyond, as GTFS allows. The feed's
contact (``feed_contact_url``, which the validators warn about when missing) is the
publisher's site.
"""

from __future__ import annotations

import csv
import datetime as dt
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


def easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian algorithm).

    >>> easter(2030), easter(2024)
    (datetime.date(2030, 4, 21), datetime.date(2024, 3, 31))
    """
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month = (h + leap - 7 * m + 114) // 31
    day = (h + leap - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _saturday_between(year: int, month: int, first: int) -> dt.date:
    start = dt.date(year, month, first)
    return start + dt.timedelta(days=(5 - start.weekday()) % 7)


def holidays(year: int) -> dict[dt.date, str]:
    """Finnish public holidays of a year, on which trains run the Sunday service.

    The statutory holidays (Act on the calendar, 1993 amendment: New Year, Epiphany, Good
    Friday, Easter Sunday and Monday, May Day, Ascension, Whitsun, Midsummer Day, All
    Saints', Independence Day, Christmas and Boxing Day) plus Midsummer Eve and Christmas
    Eve — ASSUMPTION: not statutory, but public transport runs holiday timetables then.

    >>> sorted(holidays(2030))[:3]
    [datetime.date(2030, 1, 1), datetime.date(2030, 1, 6), datetime.date(2030, 4, 19)]
    """
    sunday = easter(year)
    midsummer = _saturday_between(year, 6, 20)
    days = {
        dt.date(year, 1, 1): "New Year's Day", dt.date(year, 1, 6): "Epiphany",
        sunday - dt.timedelta(days=2): "Good Friday", sunday: "Easter Sunday",
        sunday + dt.timedelta(days=1): "Easter Monday", dt.date(year, 5, 1): "May Day",
        sunday + dt.timedelta(days=39): "Ascension Day",
        sunday + dt.timedelta(days=49): "Whitsun",
        midsummer - dt.timedelta(days=1): "Midsummer Eve", midsummer: "Midsummer Day",
        _saturday_between(year, 10, 31): "All Saints' Day",
        dt.date(year, 12, 6): "Independence Day", dt.date(year, 12, 24): "Christmas Eve",
        dt.date(year, 12, 25): "Christmas Day", dt.date(year, 12, 26): "Boxing Day",
    }
    return dict(sorted(days.items()))


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


def _day_service(day: dt.date) -> str:
    return "weekday" if day.weekday() < 5 else ("saturday" if day.weekday() == 5 else "sunday")


def _calendar_dates(plan: ServicePlan, year: int) -> list[dict[str, object]]:
    """On a holiday the day's own service is removed and the Sunday service added."""
    rows: list[dict[str, object]] = []
    for day in holidays(year):
        own = _day_service(day)
        if own == "sunday":
            continue
        if own in plan.timetables:
            rows.append({"service_id": own, "date": day.strftime("%Y%m%d"),
                         "exception_type": 2})
        if "sunday" in plan.timetables:
            rows.append({"service_id": "sunday", "date": day.strftime("%Y%m%d"),
                         "exception_type": 1})
    return rows


def gtfs_tables(plan: ServicePlan) -> dict[str, str]:
    """The feed's files as CSV text, keyed by file name."""
    s = plan.scenario
    feed = s.gtfs
    year = s.appraisal.opening_year
    used: set[str] = set()
    trips, stop_times = [], []
    shapes: dict[tuple[str, ...], str] = {}
    shape_rows: list[dict[str, object]] = []
    for day_type, table in plan.timetables.items():
        block_of = {trip.trip_id: f"{day_type}-set-{k + 1:02d}"
                    for k, duty in enumerate(plan.circulations[day_type].duties)
                    for trip in duty}
        for trip in table.passenger_trips():
            served = [st for st in trip.stops if st.served]
            path = tuple(st.station_id for st in served)
            if path not in shapes:
                shape_id = f"{trip.service_id}-{len(shapes) + 1}"
                shapes[path] = shape_id
                for seq, st in enumerate(served):
                    station = plan.network.stations[st.station_id]
                    shape_rows.append({"shape_id": shape_id,
                                       "shape_pt_lat": round(station.lat, 6),
                                       "shape_pt_lon": round(station.lon, 6),
                                       "shape_pt_sequence": seq,
                                       "shape_dist_traveled": round(st.km, 3)})
            trips.append({"route_id": trip.service_id, "service_id": day_type,
                          "trip_id": trip.trip_id, "direction_id": trip.direction,
                          "trip_headsign": plan.network.stations[trip.stops[-1].station_id].name,
                          "block_id": block_of.get(trip.trip_id, ""),
                          "shape_id": shapes[path]})
            for seq, st in enumerate(served):
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
        "agency.txt": _table([{"agency_id": "railsim", "agency_name": feed.agency_name,
                               "agency_url": feed.agency_url,
                               "agency_timezone": "Europe/Helsinki", "agency_lang": feed.lang}],
                             ["agency_id", "agency_name", "agency_url", "agency_timezone",
                              "agency_lang"]),
        "stops.txt": _table(stops, ["stop_id", "stop_name", "stop_lat", "stop_lon"]),
        "routes.txt": _table(routes, ["route_id", "agency_id", "route_short_name",
                                      "route_long_name", "route_type"]),
        "trips.txt": _table(trips, ["route_id", "service_id", "trip_id", "direction_id",
                                    "trip_headsign", "block_id", "shape_id"]),
        "stop_times.txt": _table(stop_times, ["trip_id", "arrival_time", "departure_time",
                                              "stop_id", "stop_sequence",
                                              "shape_dist_traveled"]),
        "calendar.txt": _table(calendar, ["service_id", "monday", "tuesday", "wednesday",
                                          "thursday", "friday", "saturday", "sunday",
                                          "start_date", "end_date"]),
        "calendar_dates.txt": _table(_calendar_dates(plan, year),
                                     ["service_id", "date", "exception_type"]),
        "shapes.txt": _table(shape_rows, ["shape_id", "shape_pt_lat", "shape_pt_lon",
                                          "shape_pt_sequence", "shape_dist_traveled"]),
        "feed_info.txt": _table([{"feed_publisher_name": feed.publisher_name,
                                  "feed_publisher_url": feed.publisher_url,
                                  "feed_lang": feed.lang, "feed_start_date": f"{year}0101",
                                  "feed_end_date": f"{year}1231",
                                  "feed_version": s.name,
                                  "feed_contact_url": feed.publisher_url}],
                                ["feed_publisher_name", "feed_publisher_url", "feed_lang",
                                 "feed_start_date", "feed_end_date", "feed_version",
                                 "feed_contact_url"]),
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

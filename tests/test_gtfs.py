"""GTFS completeness: every shipped scenario's feed passes the canonical rule set with zero
errors; blocks, holidays, shapes and agency are filled in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from railsim import load_scenario, plan_service
from railsim.config.files import find_scenarios
from railsim.timetable.gtfs import easter, holidays, write_gtfs

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [f for f, _ in find_scenarios(str(ROOT / "scenarios"))]
RAIL = [f for f in SHIPPED if not load_scenario(f, check=False).is_do_minimum]
"""The shipped scenarios with trains (the do-minimum has none to check)."""
VALIDATOR = Path(sys.executable).with_name("gtfs-validator")


def validate(feed: Path, out: Path, date: str | None = None) -> list[dict[str, object]]:
    """The notices of the canonical GTFS validator (gtfs-validator, run offline), as of
    ``date`` (YYYY-MM-DD; default today, before the feed's service year)."""
    run = subprocess.run([str(VALIDATOR), "-i", str(feed), "-o", str(out), "-c", "fi",
                          *(["-d", date] if date else [])],
                         capture_output=True, text=True)
    assert (out / "report.json").exists(), run.stderr
    notices: list[dict[str, object]] = json.loads((out / "report.json").read_text())["notices"]
    return notices


def rows(feed: Path, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(feed) as archive:
        return list(csv.DictReader(io.StringIO(archive.read(name).decode())))


@pytest.mark.slow
@pytest.mark.parametrize("path", RAIL, ids=lambda p: p.stem)
def test_shipped_feed_has_zero_errors(path, tmp_path):
    scenario = load_scenario(path)
    plan = plan_service(scenario)
    feed = write_gtfs(plan, tmp_path / "feed.zip")
    errors = [n for n in validate(feed, tmp_path / "report") if n["severity"] == "ERROR"]
    assert errors == []
    trips = rows(feed, "trips.txt")
    assert trips and all(t["block_id"] and t["shape_id"] for t in trips)
    # a block is one train set: its trips follow each other
    times = {}
    for st in rows(feed, "stop_times.txt"):
        first, last = times.get(st["trip_id"], (st["departure_time"], st["arrival_time"]))
        times[st["trip_id"]] = (min(first, st["departure_time"]),
                                max(last, st["arrival_time"]))
    blocks: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for t in trips:
        blocks.setdefault((t["service_id"], t["block_id"]), []).append(times[t["trip_id"]])
    for spans in blocks.values():
        spans.sort(key=lambda s: s[0].zfill(8))
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end.zfill(8) <= start.zfill(8)
    assert {s["shape_id"] for s in rows(feed, "shapes.txt")} == {t["shape_id"] for t in trips}
    agency = rows(feed, "agency.txt")[0]
    assert agency["agency_url"] == scenario.gtfs.agency_url


def test_feed_has_no_warnings_in_its_service_year(tmp_path):
    """Seen from a day of its service year (so the notices about a feed in the future
    stay out), the feed draws no warning either: feed_info names a contact."""
    scenario = load_scenario(ROOT / "scenarios" / "heinola-lahti-hourly.yaml")
    feed = write_gtfs(plan_service(scenario), tmp_path / "feed.zip")
    date = f"{scenario.appraisal.opening_year}-03-01"
    notices = validate(feed, tmp_path / "report", date)
    assert [n["code"] for n in notices if n["severity"] != "INFO"] == []
    assert rows(feed, "feed_info.txt")[0]["feed_contact_url"] == scenario.gtfs.publisher_url


def test_holidays_switch_to_the_sunday_service(tmp_path):
    scenario = load_scenario(ROOT / "scenarios" / "heinola-lahti-hourly.yaml")
    year = scenario.appraisal.opening_year
    feed = write_gtfs(plan_service(scenario), tmp_path / "feed.zip")
    dates = {(r["service_id"], r["date"]): r["exception_type"]
             for r in rows(feed, "calendar_dates.txt")}
    independence = dt.date(year, 12, 6)
    own = "weekday" if independence.weekday() < 5 else "saturday"
    day = independence.strftime("%Y%m%d")
    assert dates[(own, day)] == "2" and dates[("sunday", day)] == "1"
    # a holiday on a Sunday changes nothing; every other holiday has its exception
    for holiday in holidays(year):
        stamp = holiday.strftime("%Y%m%d")
        assert (("sunday", stamp) in dates) == (holiday.weekday() != 6)


def test_finnish_holidays():
    assert easter(2025) == dt.date(2025, 4, 20) and easter(2031) == dt.date(2031, 4, 13)
    days = holidays(2030)
    assert len(days) == 15
    assert days[dt.date(2030, 6, 22)] == "Midsummer Day"  # the Saturday of 20–26 June
    assert days[dt.date(2030, 11, 2)] == "All Saints' Day"  # the Saturday of 31 Oct–6 Nov
    assert days[dt.date(2030, 5, 30)] == "Ascension Day"  # Easter (21 April) + 39 days


def test_the_validator_is_live(tmp_path):
    """A feed with the old placeholder URL is an error for the canonical rules."""
    scenario = load_scenario(ROOT / "scenarios" / "orimattila-lahti-hourly.yaml")
    feed = write_gtfs(plan_service(scenario), tmp_path / "feed.zip")
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(feed) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            text = src.read(name).decode()
            if name == "agency.txt":
                text = text.replace(scenario.gtfs.agency_url, "https://example.invalid/railsim")
            dst.writestr(name, text)
    codes = {n["code"] for n in validate(broken, tmp_path / "report")
             if n["severity"] == "ERROR"}
    assert "invalid_url" in codes

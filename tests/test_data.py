"""The shipped corridor data: declared tables load, every row is sourced, geometry agrees."""

from __future__ import annotations

import math

import pytest

from railsim import data
from railsim.errors import DataError
from railsim.network import Network
from tests.shared import CORRIDOR


@pytest.mark.parametrize("name", sorted(data.TABLES))
def test_table_loads_with_declared_columns(name):
    frame = data.read_table(name)
    assert len(frame) > 0, f"{name} is empty"
    assert list(frame.columns) == [c.name for c in data.TABLES[name].columns]
    assert frame["source"].str.len().min() > 3
    assert set(frame["status"]) <= set(data.STATUSES)


@pytest.mark.parametrize("name", sorted(data.TABLES))
def test_estimates_explain_themselves(name):
    frame = data.read_table(name)
    judged = frame[frame["status"].isin(["ESTIMATE", "ASSUMPTION", "DERIVED"])]
    missing = judged[judged["notes"].isna() | (judged["notes"].str.len() < 5)]
    assert missing.empty, f"{name}: rows without reasoning: {missing.iloc[:, 0].tolist()}"


def test_sections_cover_each_line_without_gaps():
    lines = data.records_by_key("lines")
    sections = data.read_table("sections")
    for line_id, line in lines.items():
        part = sections[sections.line_id == line_id].sort_values("from_km")
        assert len(part), f"no sections for {line_id}"
        assert part.from_km.iloc[0] == 0
        assert part.to_km.iloc[-1] == pytest.approx(line["length_km"], abs=0.05)
        assert (part.from_km.iloc[1:].to_numpy() == part.to_km.iloc[:-1].to_numpy()).all()
        assert (part.to_km > part.from_km).all()


def test_station_positions_inside_lines_and_increasing_chainage():
    lines = data.records_by_key("lines")
    stations = data.records_by_key("stations")
    for row in data.read_records("line_stations"):
        assert row["station_id"] in stations, row
        assert 0 <= row["km_from_lahti"] <= lines[row["line_id"]]["length_km"] + 0.05, row
    for line_id in lines:
        rows = sorted((r for r in data.read_records("line_stations") if r["line_id"] == line_id),
                      key=lambda r: r["km_from_lahti"])
        chain = [r["chainage_km"] for r in rows if r["chainage_km"] is not None]
        assert chain == sorted(chain) or chain == sorted(chain, reverse=True), line_id


def test_every_line_starts_at_lahti():
    for line_id, line in data.records_by_key("lines").items():
        assert line["from_station"] == "LH", line_id
        positions = {r["station_id"]: r["km_from_lahti"] for r in data.read_records("line_stations")
                     if r["line_id"] == line_id}
        assert positions.get("LH") == 0


def test_projected_coordinates_match_wgs84():
    from pyproj import Transformer

    to_3067 = Transformer.from_crs("EPSG:4326", "EPSG:3067", always_xy=True)
    for table in ("stations", "population_points"):
        for row in data.read_records(table):
            x, y = to_3067.transform(row["lon"], row["lat"])
            assert math.hypot(x - row["x_3067"], y - row["y_3067"]) < 50, (table, row)


def test_straight_line_never_longer_than_track():
    net = Network.build(CORRIDOR)
    lahti = net.stations["LH"]
    for station_id, on_lines in net.positions.items():
        st = net.stations[station_id]
        crow_km = math.hypot(st.x_3067 - lahti.x_3067, st.y_3067 - lahti.y_3067) / 1000
        for line_id, km in on_lines.items():
            assert crow_km <= km * 1.02 + 1.0, (station_id, line_id, crow_km, km)


def test_population_points_near_municipal_totals():
    points = data.read_table("population_points")
    municipalities = data.read_table("municipalities")
    for name, group in points.groupby("municipality"):
        totals = municipalities[municipalities.municipality == name]
        if totals.empty:
            continue
        latest = totals.sort_values("year").iloc[-1]["population"]
        assert group.population.sum() <= latest * 1.1, name


def test_rolling_stock_is_physical():
    for row in data.read_records("rolling_stock"):
        assert 0 < row["accel_ms2"] < 2 and 0 < row["decel_ms2"] < 2, row["type_id"]
        assert 20 <= row["max_speed_kmh"] <= 250, row["type_id"]


def test_bad_table_is_reported(tmp_path):
    (tmp_path / "network").mkdir()
    (tmp_path / "network" / "lines.csv").write_text(
        "line_id,name,from_station,to_station,length_km,tracks,electrified,train_protection,"
        "source,status,notes\nHEI,x,LH,HNL,abc,1,false,none,s,VERIFIED,\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"length_km.*must be float"):
        data.read_records("lines", tmp_path)


_LINES_HEADER = ("line_id,name,from_station,to_station,length_km,tracks,electrified,"
                 "train_protection,source,status,notes\n")
_LINES_ROW = "HEI,x,LH,HNL,37.4,1,false,none,s,VERIFIED,\n"


def _lines_csv(tmp_path, content: bytes):
    (tmp_path / "network").mkdir()
    (tmp_path / "network" / "lines.csv").write_bytes(content)
    return tmp_path


def test_table_saved_with_a_byte_order_mark_reads(tmp_path):
    # Excel's "CSV UTF-8" starts the file with a BOM; it was read into the first column's
    # name ("missing columns ['line_id']").
    folder = _lines_csv(tmp_path, ("\ufeff" + _LINES_HEADER + _LINES_ROW).encode("utf-8"))
    assert data.read_records("lines", folder)[0]["line_id"] == "HEI"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ((_LINES_HEADER + _LINES_ROW).encode("utf-8") + b"\xff\xfe\n", "not UTF-8"),
        ((_LINES_HEADER + 'HEI,"' + "x" * 200_000 + '",LH,HNL,37.4,1,false,none,s,VERIFIED,\n'
          ).encode("utf-8"), r"lines\.csv:2: .*field larger"),
        ((_LINES_HEADER + _LINES_ROW.replace("37.4", "nan")).encode("utf-8"),
         r"lines\.csv:2: column 'length_km' must be float, got 'nan'"),
        ((_LINES_HEADER + _LINES_ROW.replace("37.4", "-inf")).encode("utf-8"),
         r"lines\.csv:2: column 'length_km' must be float, got '-inf'"),
        ((_LINES_HEADER + _LINES_ROW.replace(",1,false", ",inf,false")).encode("utf-8"),
         r"column 'tracks' must be int, got 'inf'"),
    ],
)
def test_unreadable_table_is_a_data_error(tmp_path, content, message):
    # Each of these was a traceback (UnicodeDecodeError, csv.Error, OverflowError) or a
    # NaN read as data that failed deep in a model.
    with pytest.raises(DataError, match=message):
        data.read_records("lines", _lines_csv(tmp_path, content))


@pytest.mark.parametrize(("old", "new", "message"), [
    ("37.4", "0", r"lines\.csv:2: column 'length_km' \(km\) must be above zero, got 0"),
    ("37.4", "-3", r"column 'length_km' \(km\) must be above zero, got -3"),
    (",1,false", ",0,false", r"column 'tracks' \(count\) must be above zero"),
])
def test_a_number_its_column_cannot_hold_is_a_data_error(tmp_path, old, new, message):
    folder = _lines_csv(tmp_path, (_LINES_HEADER + _LINES_ROW.replace(old, new)).encode())
    with pytest.raises(DataError, match=message):
        data.read_records("lines", folder)


@pytest.mark.parametrize(("table", "column", "value", "message"), [
    ("sections", "speed_limit_kmh", "0", "must be above zero"),  # was a ZeroDivisionError
    ("stations", "platform_length_m", "-10", "cannot be negative"),
    ("stations", "lat", "91", "within ±90 degrees"),
    ("rolling_stock", "decel_ms2", "0", "must be above zero"),
    ("population_points", "population", "-5", "cannot be negative"),
])
def test_shipped_tables_with_an_impossible_number_name_file_line_and_column(
        tmp_path, table, column, value, message):
    import csv
    import shutil

    shutil.copytree(data.PACKAGE_DATA, tmp_path / "data")
    spec = data.TABLES[table]
    path = tmp_path / "data" / spec.path
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(DataError, match=rf"{spec.path}:2: column '{column}' .*{message}"):
        data.read_records(table, tmp_path / "data")


def _demand_parameters(tmp_path, parameter: str, column: str, value: str):
    """A copy of the shipped data with one cell of demand_parameters.csv changed."""
    import csv
    import shutil

    shutil.copytree(data.PACKAGE_DATA, tmp_path / "data")
    path = tmp_path / "data" / data.TABLES["demand_parameters"].path
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    line = next(i for i, row in enumerate(rows, start=2) if row["parameter_id"] == parameter)
    rows[line - 2][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return tmp_path / "data", line


def test_every_demand_parameter_declares_the_values_it_can_take():
    rows = data.read_records("demand_parameters")
    domains = {row["parameter_id"]: data.parse_domain(row["domain"]) for row in rows}
    assert domains["pt_nest_scale"] == data.Domain(0, 1, True, False)  # 0 is no nest at all
    assert domains["bus_share_do_minimum"] == data.Domain(0, 1, True, True)  # log(share)
    for row in rows:  # a share is a share, a speed divides
        if row["unit"] == "fraction":
            assert domains[row["parameter_id"]].holds(0.01, 0.99), row["parameter_id"]
            assert 1.5 not in domains[row["parameter_id"]], row["parameter_id"]
        if row["unit"] in ("km/h", "km") or row["parameter_id"].startswith("access_ring"):
            assert -1 not in domains[row["parameter_id"]], row["parameter_id"]


@pytest.mark.parametrize(("parameter", "column", "value", "message"), [
    # a corridor's own data (--data, $RAILSIM_DATA) ran a nest scale of 1.3 without a word
    ("pt_nest_scale", "value", "1.3", r"column 'value' \(pt_nest_scale\) must lie in its "
                                      r"domain \(0, 1\] \(above 0 to 1\), got 1.3"),
    ("pt_nest_scale", "high", "1.2", r"column 'high' \(pt_nest_scale\).*got 1.2"),
    ("pt_nest_scale", "value", "0", r"\(pt_nest_scale\).*got 0"),
    ("commute_presence", "value", "1.5", r"domain \[0, 1\] \(0 to 1\), got 1.5"),
    ("walk_speed_kmh", "value", "-4.8", r"domain \(0, inf\) \(above 0\), got -4.8"),
    ("pt_nest_scale", "domain", "0 to 1", r"column 'domain' must be an interval such as"),
    ("pt_nest_scale", "domain", "[0, inf]", r"column 'domain' must be an infinite end excluded"),
    ("pt_nest_scale", "domain", "", r"column 'domain' is empty but required"),
])
def test_a_demand_parameter_outside_its_domain_names_file_line_and_column(
        tmp_path, parameter, column, value, message):
    folder, line = _demand_parameters(tmp_path, parameter, column, value)
    with pytest.raises(DataError, match=rf"demand_parameters\.csv:{line}: .*{message}"):
        data.read_records("demand_parameters", folder)

"""summary.csv and summary.xlsx explain themselves: rounded numbers with units in the column
names, the statistic where it is not the central value, the role, the rank by societal NPV
and the difference to the batch's do-minimum; summary.csv reads back for charts and report."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from railsim.batch.summary import (
    SUMMARY_COLUMNS,
    SummaryEntry,
    read_summary,
    significant,
    summary_records,
    write_summary_entries,
)
from railsim.outputs import SUMMARY_NUMBERS


def _option(name: str, npv: float, trips: float, **more: dict[str, float]) -> SummaryEntry:
    statistics = {"npv_societal_eur": {"value": npv, "mean": npv * 1.01, "p10": npv * 1.2,
                                       "p90": npv * 0.8},
                  "passengers_daily": {"value": trips, "mean": trips + 5},
                  "train_km_annual": {"value": 400_000.0},
                  "capex_total_eur": {"value": 91_418_682.71671136},
                  "capex_incremental_eur": {"value": 66_137_240.0},
                  "farebox_ratio": {"value": 0.014136258968857797},
                  "punctuality_3min_pct": {"mean": 97.51388888888889, "p10": 90.0},
                  "units_required": {"value": 3.0}, **more}
    return SummaryEntry(name, name.title(), "ok", "option", statistics, 2024)


DO_MINIMUM = SummaryEntry("do-minimum", "Bus only", "ok", "do-minimum",
                          {"passengers_daily": {"value": 0.0},
                           "train_km_annual": {"value": 10_000.0}}, 2024)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)
       .filter(lambda v: abs(v) > 1e-6))
def test_significant_keeps_three_digits_and_the_value(value):
    text = significant(value)
    assert "e" not in text.lower()
    assert math.isclose(float(text), value, rel_tol=5e-3)  # rounding to 3 digits
    digits = text.lstrip("-").replace(".", "").lstrip("0")
    if not float(value).is_integer() or abs(value) >= 1000:
        assert len(digits.rstrip("0") if "." not in text else digits) <= 3


def test_rounded_values_units_in_names_rank_and_difference_to_the_do_minimum():
    entries = [DO_MINIMUM, _option("b", -154e6, 64.70777693076226),
               _option("a", -120.75e6, 57.4), _option("c", -154e6, 90.0)]
    rows = {r["scenario"]: r for r in summary_records(entries)}
    b = rows["b"]
    assert b["npv_societal_meur"] == "-154" and b["npv_societal_mean_meur"] == "-156"
    assert b["capex_meur"] == "91.4" and b["capex_vs_do_minimum_meur"] == "66.1"
    assert b["farebox_ratio_pct"] == "1.41" and b["punctuality_3min_mean_pct"] == "97.5"
    assert b["train_trips_per_weekday"] == "64.7" and b["units_required"] == "3"
    # the do-minimum's 10 000 train-km are subtracted; its 0 trips too
    assert b["train_km_per_year_vs_do_minimum"] == "390000"
    assert b["train_trips_per_weekday_vs_do_minimum"] == "64.7"
    # rank by central societal NPV among options, equal NPVs share; the do-minimum has none
    assert {n: r["rank_npv_societal"] for n, r in rows.items()} == {
        "do-minimum": "", "a": "1", "b": "2", "c": "2"}
    assert rows["do-minimum"]["role"] == "do-minimum" and b["role"] == "option"
    # every column name with money says meur/eur, shares say pct
    for column in SUMMARY_NUMBERS:
        if "EUR" in column.unit:
            assert "eur" in column.name, column.name
        if column.unit == "%":
            assert column.name.endswith("_pct"), column.name
        if column.statistic != "value":
            assert f"_{column.statistic}" in column.name, column.name


def test_no_difference_without_exactly_one_do_minimum():
    twice = [DO_MINIMUM, DO_MINIMUM, _option("b", -1e6, 10.0)]
    for entries in (twice, [_option("b", -1e6, 10.0)]):
        b = summary_records(entries)[-1]
        assert b["train_km_per_year_vs_do_minimum"] == ""
        assert b["train_km_per_year"] == "400000"


def test_csv_and_workbook_hold_the_same_rows_and_read_back_to_kpis(tmp_path: Path):
    entries = [DO_MINIMUM, _option("b", -154e6, 64.7),
               SummaryEntry("bad", "Bad", "failed")]
    path = write_summary_entries(tmp_path, entries)
    frame = pd.read_csv(path)
    assert tuple(frame.columns) == SUMMARY_COLUMNS
    book = pd.read_excel(tmp_path / "summary.xlsx", sheet_name=None)
    assert list(book) == ["summary", "columns"]
    pd.testing.assert_frame_equal(book["summary"], frame, check_dtype=False)
    columns = book["columns"].set_index("column")
    assert columns.loc["npv_societal_meur", "unit"] == "M EUR (2024)"
    assert columns.loc["npv_societal_p10_meur", "statistic"] == "10th percentile"
    assert list(columns.index) == list(SUMMARY_COLUMNS)
    back = read_summary(path)
    assert back is not None
    row = back.set_index("scenario").loc["b"]
    assert row["npv_societal_eur"] == -154e6 and row["farebox_ratio"] == pytest.approx(0.0141)
    assert row["punctuality_3min_pct"] == 97.5


def test_each_row_says_the_year_of_its_euros(tmp_path: Path):
    # an option in 2024 euros beside a back-cast of 2019 in 2019 euros: one column unit
    # cannot say both, so each row carries its year and the unit points to it
    back_cast = SummaryEntry("kouvola-2019", "Back-cast", "ok", "back-cast",
                             {"npv_societal_eur": {"value": -5e6}}, 2019)
    path = write_summary_entries(tmp_path, [_option("b", -154e6, 64.7), back_cast,
                                            SummaryEntry("bad", "Bad", "failed")])
    frame = pd.read_csv(path, dtype={"price_year": "Int64"})
    assert list(frame["price_year"]) == [2024, 2019, pd.NA]
    book = pd.read_excel(tmp_path / "summary.xlsx", sheet_name=None)
    assert list(book["summary"]["price_year"][:2]) == [2024, 2019]
    units = book["columns"].set_index("column")["unit"]
    assert units["npv_societal_meur"] == "M EUR (the row's price_year)"
    # one year for all rows: the unit names it
    write_summary_entries(tmp_path, [_option("b", -154e6, 64.7)])
    units = pd.read_excel(tmp_path / "summary.xlsx", sheet_name="columns").set_index(
        "column")["unit"]
    assert units["npv_societal_meur"] == "M EUR (2024)"


def test_a_title_that_looks_like_a_formula_is_text_in_the_workbook(tmp_path: Path):
    # openpyxl makes any text starting with "=" a formula: a scenario titled
    # '=HYPERLINK("http://…")' (or worse) was a live formula in summary.xlsx.
    from openpyxl import load_workbook

    title = '=HYPERLINK("http://example.invalid","click")'
    entries = [SummaryEntry("evil", title, "ok", "option",
                            {"passengers_daily": {"value": 1.0}}, 2024)]
    write_summary_entries(tmp_path, entries)
    with zipfile.ZipFile(tmp_path / "summary.xlsx") as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    cell = load_workbook(tmp_path / "summary.xlsx")["summary"]["B2"]
    assert (cell.value, cell.data_type) == (title, "s")


def test_workbook_bytes_depend_on_content_only(tmp_path: Path):
    entries = [DO_MINIMUM, _option("b", -154e6, 64.7)]
    write_summary_entries(tmp_path, entries)
    first = (tmp_path / "summary.xlsx").read_bytes()
    write_summary_entries(tmp_path, entries)
    assert (tmp_path / "summary.xlsx").read_bytes() == first
    with zipfile.ZipFile(tmp_path / "summary.xlsx") as archive:
        assert b"2000-01-01T00:00:00Z" in archive.read("docProps/core.xml")


def test_an_old_summary_with_kpi_columns_still_reads(tmp_path: Path):
    (tmp_path / "summary.csv").write_text(
        "scenario,title,status,npv_societal_eur\nx,X,ok,-1.5e8\n", encoding="utf-8")
    back = read_summary(tmp_path / "summary.csv")
    assert back is not None and back["npv_societal_eur"].iloc[0] == -1.5e8


def test_a_back_cast_is_neither_ranked_nor_an_option(tmp_path: Path):
    # today's service at the operator's fares is a check of the model: a better NPV than
    # every option must not put it first
    from railsim.batch.summary import BACK_CAST, is_back_cast, scenario_role

    back_cast = SummaryEntry("lahti-kouvola-2016", "Back-cast", "ok", BACK_CAST,
                             {"npv_societal_eur": {"value": -1e6},
                              "passengers_daily": {"value": 30.0}}, 2024)
    rows = summary_records([DO_MINIMUM, _option("a", -2e8, 60.0), back_cast,
                            _option("b", -1e8, 50.0)])
    ranks = {r["scenario"]: r["rank_npv_societal"] for r in rows}
    assert ranks == {"do-minimum": "", "a": "2", "lahti-kouvola-2016": "", "b": "1"}
    assert is_back_cast({"demand": {"fares": {"policy": "observed"}}})
    assert not is_back_cast({"demand": {"fares": {"policy": "lsl"}}})
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "scenario.resolved.yaml").write_text(
        "service:\n  lines: [{id: A}]\ndemand:\n  fares:\n    policy: observed\n",
        encoding="utf-8")
    assert scenario_role(folder) == BACK_CAST


def test_back_casts_are_kept_apart_only_beside_an_option(tmp_path: Path):
    # a failed scenario (no resolved file) is neither: a run of back-casts with one
    # failure is still a run of back-casts, reported like any batch
    import pandas as pd

    from railsim.batch.summary import back_casts_apart
    from railsim.plot.charts import _without_back_casts

    def folder(name: str, policy: str | None) -> Path:
        path = tmp_path / name
        path.mkdir()
        if policy is None:
            (path / "error.txt").write_text("failed\n", encoding="utf-8")
        else:
            (path / "scenario.resolved.yaml").write_text(
                f"service:\n  lines: [{{id: A}}]\ndemand:\n  fares:\n    policy: {policy}\n",
                encoding="utf-8")
        return path

    casts = [folder("b1", "observed"), folder("b2", "observed"), folder("failed", None)]
    assert back_casts_apart(casts) == set()
    option = folder("option", "lsl")
    assert back_casts_apart([*casts, option]) == {"b1", "b2"}
    # an older summary.csv (no back-cast role) charts the options alone all the same
    old = pd.DataFrame({"scenario": ["option", "b1", "b2", "failed"], "title": ["o"] * 4,
                        "status": ["ok", "ok", "ok", "failed"]})
    assert list(_without_back_casts(tmp_path, old).scenario) == ["option", "failed"]
    assert list(_without_back_casts(tmp_path, old, keep="b1").scenario) == [
        "option", "b1", "failed"]


def test_columns_describe_what_their_kpi_is():
    """A summary column says what its KPI's declaration says: bcr_public_cost is the
    benefits to users and third parties (gross, not net) over the net public cost; the
    subsidy per trip is the operating deficit (cost − revenue, positive), not the
    operating result (revenue − cost, negative for a deficit); the do-minimum renews
    both kept freight lines."""
    from railsim.outputs import KPIS

    kpi = {k.name: k.description for k in KPIS}
    column = {c.name: c.description for c in SUMMARY_NUMBERS}
    assert "users and third parties" in kpi["bcr_public_cost"]
    assert "users and third parties" in column["bcr_public_cost"]
    assert "net benefit" not in column["bcr_public_cost"].lower()
    assert kpi["subsidy_annual_eur"].startswith("Operating cost − revenue")
    assert "deficit" in column["subsidy_eur_per_trip"]
    assert "result" not in column["subsidy_eur_per_trip"]
    assert "freight lines" in column["capex_vs_do_minimum_meur"]

"""A report of unchanged result folders takes the charts the last report drew."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from railsim.plot import cache, charts
from railsim.report import build_report
from tests.fake_results import OK, write_fake_results


@pytest.fixture
def reported(tmp_path: Path) -> Path:
    out = write_fake_results(tmp_path / "results")
    build_report(out)
    return out


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the scenario charts drawn (not taken from the cache)."""
    names: list[str] = []
    draw = charts.scenario_chart

    def counting(folder, name, langs=charts.LANGS):
        names.append(name)
        return draw(folder, name, langs)

    monkeypatch.setattr(charts, "scenario_chart", counting)
    return names


def _pages(out: Path) -> dict[str, bytes]:
    return {lang: (out / f"report.{lang}.html").read_bytes() for lang in ("fi", "en")}


def test_a_report_of_unchanged_results_draws_no_scenario_chart_and_is_the_same(
        reported, drawn):
    first = _pages(reported)
    assert len(list((reported / OK / cache.CACHE_DIR).glob("*.json"))) >= 5
    build_report(reported)
    assert drawn == []
    assert _pages(reported) == first


def test_a_changed_table_redraws_the_charts_drawn_from_it(reported, drawn):
    ridership = reported / OK / "ridership.csv"
    frame = pd.read_csv(ridership)
    frame.loc[0, "boardings_daily"] = float(frame.loc[0, "boardings_daily"]) + 100
    frame.to_csv(ridership, index=False)
    build_report(reported)
    assert drawn == ["boardings"]


def test_a_scenario_evaluated_again_gets_its_charts_drawn_again(reported, drawn):
    shutil.rmtree(reported / OK / cache.CACHE_DIR)  # its new result folder has none
    build_report(reported)
    assert "boardings" in drawn and len(drawn) >= 5


def test_other_code_gives_charts_a_new_key(tmp_path, monkeypatch):
    folder = write_fake_results(tmp_path / "results") / OK
    inputs = charts.chart_files(folder, "boardings")
    assert folder / "ridership.csv" in inputs
    # the batch's subsidies (summary.csv) are drawn in the scenario's subsidy chart
    assert folder.parent / "summary.csv" in charts.chart_files(folder, "subsidy_per_passenger")
    key = cache.chart_key("boardings", ("en", "fi"), inputs)
    assert cache.chart_key("boardings", ("en",), inputs) != key
    monkeypatch.setattr(cache, "code_key", lambda: "other code")
    assert cache.chart_key("boardings", ("en", "fi"), inputs) != key

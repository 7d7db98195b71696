"""Text from scenarios and data reaches the charts literally (issue 15): a "$" in a title
or a station name is a dollar sign, never mathtext that breaks the drawing."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest

from railsim.plot import write_batch_charts, write_charts
from railsim.plot.charts import BATCH_CHARTS, SCENARIO_CHARTS
from tests.fake_results import OK, write_fake_results

ROOT = Path(__file__).resolve().parent.parent
MATH = r"Cost $x_$ and $\notacommand$ and $$"
"""Each "$…$" here is invalid mathtext: matplotlib would raise while drawing."""


@pytest.fixture
def results(tmp_path: Path) -> Path:
    out = write_fake_results(tmp_path / "results", second_option=True)
    for table, column in (("network", "station_name"), ("ridership", "station_name"),
                          ("tornado", "input"), ("capex", "description")):
        path = out / OK / f"{table}.csv"
        frame = pd.read_csv(path)
        frame[column] = [f"{value} {MATH}" for value in frame[column]]
        frame.to_csv(path, index=False)
    summary = pd.read_csv(out / "summary.csv")
    summary["title"] = MATH
    summary.to_csv(out / "summary.csv", index=False)
    return out


def _names(paths: list[Path]) -> set[str]:
    return {p.name for p in paths}


def test_every_scenario_chart_is_drawn_with_dollars_in_names(results, caplog, tmp_path):
    folder = tmp_path / OK  # with the counts of a back-cast, for its validation chart
    shutil.copytree(results / OK, folder)
    shutil.copy(results / "validation.csv", folder / "validation.csv")
    with caplog.at_level(logging.WARNING):
        written = write_charts(folder, formats=("png", "svg"))
    assert not [r for r in caplog.records if "not drawn" in r.getMessage()]
    assert _names(written) == {f"{c}{s}" for c in SCENARIO_CHARTS
                               for s in (".png", ".svg", ".fi.png", ".fi.svg")}


def test_every_batch_chart_is_drawn_with_dollars_in_titles(results, caplog):
    with caplog.at_level(logging.WARNING):
        written = write_batch_charts(results, formats=("png", "svg"))
    assert not [r for r in caplog.records if "not drawn" in r.getMessage()]
    assert _names(written) == {f"{c}{s}" for c in BATCH_CHARTS
                               for s in (".png", ".svg", ".fi.png", ".fi.svg")}
    svg = (results / "charts" / "bcr.svg").read_text(encoding="utf-8")
    # The compact SVG draws glyphs as paths, so the text cannot be searched for here; that
    # every chart was drawn at all with "$...$" in the titles is what this test holds.
    assert svg.startswith("<?xml") and "<path" in svg


def test_the_timetable_diagram_takes_station_names_with_dollars(tmp_path):
    import railsim
    from railsim.plot.diagram import time_distance

    scenario = railsim.load_scenario(ROOT / "scenarios" / "orimattila-lahti-hourly.yaml",
                                     ROOT / "scenarios")
    plan = railsim.plan_service(railsim.with_overrides(scenario, {"title": MATH}))
    names = {sid: MATH for sid in plan.network.stations}
    fig = time_distance(plan.stop_times_frame(), plan.trips_frame(), names)
    fig.savefig(tmp_path / "diagram.png", dpi=50)
    assert (tmp_path / "diagram.png").stat().st_size > 1000


def test_long_titles_are_cut_in_chart_labels():
    from railsim.plot.base import scenario_names

    names = scenario_names(pd.DataFrame({"scenario": ["a"], "title": ["word " * 40]}))
    assert len(names[0]) <= 80 and names[0].count("\n") <= 4 and names[0].endswith("…")

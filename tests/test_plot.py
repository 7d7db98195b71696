"""Charts from result tables: each function draws a titled, labelled figure in both
languages; write_charts and write_batch_charts write what the tables allow."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from railsim.batch.summary import read_summary
from railsim.plot import compare, diagram, finance, maps, operations, ridership, uncertainty
from railsim.plot.base import clock, close, tick_number
from railsim.plot.charts import BATCH_CHARTS, SCENARIO_CHARTS, write_batch_charts, write_charts
from tests.fake_results import DO_MINIMUM, FAILED, OK, write_fake_results


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fake_results(tmp_path_factory.mktemp("plot") / "results")


def _summary(results: Path) -> pd.DataFrame:
    frame = read_summary(results / "summary.csv")
    assert frame is not None
    return frame


def _table(results: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(results / OK / f"{name}.csv")


DRAWS = {
    "cumulative_cashflow": lambda r, lang: finance.cumulative_cashflow(_table(r, "cashflows"),
                                                                       lang),
    "capex_breakdown": lambda r, lang: finance.capex_breakdown(_table(r, "capex"), lang),
    "opex_revenue": lambda r, lang: finance.opex_revenue(_table(r, "cashflows"), lang),
    "subsidy": lambda r, lang: finance.subsidy_per_passenger(_summary(r),
                                                             lang, highlight=OK),
    "npv_distribution": lambda r, lang: uncertainty.npv_distribution(
        _table(r, "uncertainty_draws"), lang=lang),
    "tornado": lambda r, lang: uncertainty.tornado(_table(r, "tornado"), lang),
    "boardings": lambda r, lang: ridership.boardings_by_station(_table(r, "ridership"), lang),
    "punctuality": lambda r, lang: operations.punctuality_distribution(
        _table(r, "replications"), lang),
    "line_map": lambda r, lang: maps.line_map(_table(r, "network"), lang),
    "time_distance": lambda r, lang: diagram.time_distance(
        _table(r, "stop_times"), _table(r, "timetable"), {"LH": "Lahti"}, lang),
    "capex_vs_passengers": lambda r, lang: compare.capex_vs_passengers(
        _summary(r), lang),
    "npv_societal": lambda r, lang: compare.npv_societal_bars(_summary(r),
                                                              lang),
    "bcr": lambda r, lang: compare.bcr_bars(_summary(r), lang),
}


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_each_chart_has_title_and_labelled_axes_in_both_languages(results, name):
    texts = {}
    for lang in ("en", "fi"):
        fig = DRAWS[name](results, lang)
        try:
            assert isinstance(fig, Figure)
            ax = fig.axes[0]
            assert ax.get_title(), name
            assert ax.get_xlabel() and ax.get_ylabel(), name
            texts[lang] = (ax.get_title(), ax.get_xlabel(), ax.get_ylabel())
        finally:
            close(fig)
    assert texts["en"] != texts["fi"], f"{name}: Finnish labels are the English ones"


def test_charts_draw_into_a_given_axes(results):
    fig = Figure()
    ax = fig.add_subplot()
    assert finance.capex_breakdown(_table(results, "capex"), ax=ax) is fig


def test_ticks_have_thousands_separators_and_decimal_comma_in_finnish():
    assert tick_number(1200, "en") == "1,200"
    assert tick_number(1200, "fi") == "1\u202f200"
    assert tick_number(2.5, "fi") == "2,5"
    assert tick_number(-75, "en") == "\u221275"


def test_cumulative_cash_flow_without_societal_columns_draws_the_financial_line(results):
    cashflows = _table(results, "cashflows").drop(columns=["discounted_net_societal_eur"])
    fig = finance.cumulative_cashflow(cashflows)
    try:
        assert len(fig.axes[0].get_lines()) == 2  # the financial line and the zero line
    finally:
        close(fig)


def test_write_charts_writes_png_and_svg_per_language_and_skips_missing_tables(results):
    written = write_charts(results / OK, formats=("png", "svg"))
    names = {p.name for p in written}
    for chart in SCENARIO_CHARTS:
        for suffix in (".png", ".svg", ".fi.png", ".fi.svg"):
            # an option has no counts to check against (validation.csv: back-casts only)
            assert (f"{chart}{suffix}" in names) == (chart != "validation"), chart
    assert all(p.stat().st_size > 1000 for p in written)
    assert write_charts(results / FAILED) == []  # only error.txt: nothing to draw
    assert write_charts(results / DO_MINIMUM) == []  # no money, no timetable
    assert not (results / FAILED / "charts").exists()


def test_a_stopped_drawing_leaves_the_chart_files_whole_or_none(results, tmp_path,
                                                                 monkeypatch):
    # Ctrl-C while a run wrote chart files left part of them in charts/, and the next run,
    # which skips unchanged scenarios, took the folder for drawn and kept that part
    import shutil

    import railsim.plot.charts

    folder = tmp_path / OK
    shutil.copytree(results / OK, folder)
    whole = sorted(p.name for p in write_charts(folder))
    real, calls = railsim.plot.charts._draw, []

    def stopped(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(railsim.plot.charts, "_draw", stopped)
    with pytest.raises(KeyboardInterrupt):
        write_charts(folder)
    assert sorted(p.name for p in (folder / "charts").iterdir()) == whole  # the last set
    shutil.rmtree(folder / "charts")
    calls.clear()
    with pytest.raises(KeyboardInterrupt):
        write_charts(folder)
    assert not (folder / "charts").exists()  # none, which the next run draws
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".charts")]


def test_charts_comparing_options_need_two_of_them(results, tmp_path):
    # a lone option: its bar would repeat its own page's number (the counts' chart stays)
    assert {p.name for p in write_batch_charts(results)} == {"validation.png",
                                                             "validation.fi.png"}
    two = write_fake_results(tmp_path / "two", second_option=True)
    assert {p.name for p in write_batch_charts(two)} == {
        f"{c}{s}" for c in BATCH_CHARTS for s in (".png", ".fi.png")}


def test_write_batch_charts_from_summary(tmp_path):
    results = write_fake_results(tmp_path / "results", second_option=True)
    names = {p.name for p in write_batch_charts(results, formats=("png", "svg"))}
    assert names == {f"{c}{s}" for c in BATCH_CHARTS
                     for s in (".png", ".svg", ".fi.png", ".fi.svg")}
    # PNG only unless SVG is asked for
    assert {p.name for p in write_batch_charts(results)} == {
        f"{c}{s}" for c in BATCH_CHARTS for s in (".png", ".fi.png")}
    assert write_batch_charts(results / FAILED) == []  # no summary.csv there


def test_validation_chart_puts_each_count_against_the_one_to_one_line(results):
    validation = pd.read_csv(results / "validation.csv")
    fig = compare.validation_scatter(validation, "fi")
    try:
        ax = fig.axes[0]
        assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
        points = [c for c in ax.collections if len(c.get_offsets())]
        assert sum(len(c.get_offsets()) for c in points) == len(validation)
        assert {t.get_text() for t in ax.texts} == {"Villähde 2019", "Uusikylä 2016"}
        assert ax.get_xlabel() == "havaittu (vuodessa)"
    finally:
        close(fig)


def test_capex_breakdown_shows_contingency_so_the_total_matches_the_headline(results):
    capex = _table(results, "capex")
    total = float(capex["cost_eur"].sum()) + 9e6
    fig = finance.capex_breakdown(capex, "en", total_eur=total)
    try:
        ax = fig.axes[0]
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert "contingency and cost risk" in labels
        assert "91\u00a0M€" in ax.get_title()
    finally:
        close(fig)


def test_time_distance_draws_every_trip_on_the_route_axis(results):
    fig = diagram.time_distance(_table(results, "stop_times"), _table(results, "timetable"),
                                {"LH": "Lahti", "HNL": "Heinola"})
    try:
        ax = fig.axes[0]
        # one line per kind of train, its trips apart by gaps (NaN)
        trains = [run for line in ax.get_lines() for run in _runs(line.get_xdata())
                  if len(run) > 2]
        assert len(trains) == 3  # two passenger trains and the freight path
        colours = {line.get_color() for line in ax.get_lines()
                   if any(len(run) > 2 for run in _runs(line.get_xdata()))}
        assert colours == {"tab:blue", "tab:red", "tab:brown"}  # both directions, freight
        assert station_labels(ax) == ["Lahti (0.0)", "loop HEI (18.7)", "Heinola (37.4)"]
        clocks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert clocks and all(re.fullmatch(r"\d\d:\d\d", c) for c in clocks), clocks
    finally:
        close(fig)


def _runs(values) -> list[list[float]]:
    """The pieces of a line between its gaps (NaN)."""
    runs: list[list[float]] = [[]]
    for value in values:
        if value != value:
            runs.append([])
        else:
            runs[-1].append(value)
    return [run for run in runs if run]


def station_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_gid() == diagram.STATION_LABEL]


def test_time_distance_has_km_from_lahti_and_labels_that_do_not_overlap():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from railsim import load_scenario, plan_service, with_overrides

    scenario = load_scenario(Path(__file__).parent.parent / "scenarios"
                             / "through-hourly-peaks.yaml")
    # crowded: loops 0.7 km either side of Vierumäki and one beside Pennala
    loops = [{"line": "HEI", "km": km} for km in (12, 24.8, 25.5, 26.2)] + [
        {"line": "ORI", "km": 10}, {"line": "ORI", "km": 11.2}]
    plan = plan_service(with_overrides(scenario, {"infrastructure.passing_loops": loops}))
    names = {sid: st.name for sid, st in plan.network.stations.items()}
    fig = diagram.time_distance(plan.stop_times_frame(), plan.trips_frame(), names)
    try:
        ax = fig.axes[0]
        labels = station_labels(ax)
        assert "Heinola (37.4)" in labels and "Orimattila (20.0)" in labels
        assert "Vierumäki (25.5)" in labels and "loop HEI (24.8)" in labels
        assert "Lahti (0.0)" in labels  # the through route passes Lahti at km 0
        canvas = FigureCanvasAgg(fig)
        canvas.draw()  # the final layout
        renderer = canvas.get_renderer()
        # the words only (an annotation's own extent includes its leader line)
        boxes = sorted((Text.get_window_extent(t, renderer) for t in ax.texts
                        if t.get_gid() == diagram.STATION_LABEL), key=lambda b: b.y0)
        assert len(boxes) == len(labels) == 11
        # a leader line from each label (left of the axis) to its station's line
        leaders = [run for line in ax.get_lines() for run in _runs(line.get_xdata())
                   if len(run) == 2 and run[0] < 0]
        assert len(leaders) == 11 and all(run[1] == 0.0 for run in leaders)
        for below, above in itertools.pairwise(boxes):
            assert below.y1 <= above.y0 + 0.5, "station labels overlap"
    finally:
        close(fig)


def test_labels_spread_only_where_crowded():
    assert diagram.spread([0.0, 5.0, 10.0], 1.0) == [0.0, 5.0, 10.0]
    spots = diagram.spread([3.0, 3.1, 3.2, 9.0], 1.0)
    assert [round(s, 9) for s in spots] == [2.1, 3.1, 4.1, 9.0]
    assert clock(6.5, "en") == "06:30" and clock(25.0, "en") == "01:00"
    assert clock(6.5, "fi") == "6.30" and clock(24.25, "fi") == "0.15"


def test_time_distance_titles_its_day_type_and_limits_the_hours(results):
    trips = _table(results, "timetable").assign(day_type="saturday")
    fig = diagram.time_distance(_table(results, "stop_times"), trips, day_type="saturday",
                                lang="fi", start_h=6, end_h=9)
    try:
        ax = fig.axes[0]
        assert ax.get_title() == "Lauantain graafinen aikataulu"
        assert ax.get_xlim() == (6, 9)
        # Finnish clock times: 6.00, 6.30, …, not 06:00
        clocks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert "6.30" in clocks and all(re.fullmatch(r"\d{1,2}\.\d\d", c) for c in clocks), clocks
    finally:
        close(fig)


def test_there_is_one_time_distance_diagram():
    # The CLI (railsim timetable --diagram), the report and the notebooks draw the same one.
    package = Path(diagram.__file__).parent
    defined = [p.name for p in sorted(package.glob("*.py"))
               if "def time_distance(" in p.read_text(encoding="utf-8")]
    assert defined == ["diagram.py"]


def test_charts_need_no_backend_and_leave_the_callers_alone(results, tmp_path):
    import re
    import shutil
    import subprocess
    import sys

    package = Path(diagram.__file__).parent.parent
    for path in package.rglob("*.py"):  # a backend chosen on import overrides a notebook's
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(matplotlib\.use\(|import matplotlib\.pyplot"
                             r"|from matplotlib import pyplot)", code, re.M), path
    folder = tmp_path / OK
    shutil.copytree(results / OK, folder)
    shutil.rmtree(folder / "charts", ignore_errors=True)
    # The caller's backend (a notebook's inline one, here "svg") stays; no pyplot needed.
    code = ("import sys, matplotlib\nmatplotlib.use('svg')\n"
            "from railsim.plot import write_charts\n"
            f"written = write_charts({str(folder)!r})\n"
            "print(len(written), matplotlib.get_backend(), 'matplotlib.pyplot' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0, out.stderr
    count, backend, pyplot = out.stdout.split()
    assert int(count) >= 2 * 8 and backend == "svg" and pyplot == "False"  # PNG, 2 languages
    assert (folder / "charts" / "time_distance.fi.png").stat().st_size > 10_000


def test_a_drawn_chart_is_freed_by_the_collection_after_it(results, monkeypatch):
    # Charts are drawn with the cycle collector off and the young objects collected
    # once after each: the figure is gone then (not kept for a full collection), and the
    # collector is on again (off stays off).
    import gc
    import weakref

    from railsim.plot import base, charts

    figures: list[weakref.ref] = []
    drawn = base.compact

    def compact(fig):
        assert not gc.isenabled()
        figures.append(weakref.ref(fig))
        return drawn(fig)

    monkeypatch.setattr(charts, "compact", compact)
    assert gc.isenabled()
    assert charts.scenario_chart(results / OK, "tornado")
    assert len(figures) == 2 and all(ref() is None for ref in figures)
    assert gc.isenabled()
    gc.disable()
    try:
        charts.scenario_chart(results / OK, "tornado", ["fi"])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_chart_drawn_alone_is_the_one_drawn_with_all_the_tables(results):
    # Drawn a chart a task, each reads only its tables: the station names and the capex
    # total must still come along.
    from railsim.plot.charts import scenario_chart, scenario_charts

    together = scenario_charts(results / OK)
    assert set(together) >= {"time_distance", "capex_breakdown", "line_map"}
    for name, drawn in together.items():
        assert scenario_chart(results / OK, name) == drawn, name
    assert scenario_chart(results / DO_MINIMUM, "time_distance") == {}  # no timetable


@pytest.mark.parametrize("name", [*sorted(DRAWS), "validation"])
def test_the_report_svg_is_the_one_savefig_writes(results, name):
    # The report's SVG is laid out once and drawn once, with text sizes remembered across
    # figures (railsim.plot.svg) and ticks worked out once per state of an axis
    # (railsim.plot.ticks): the same bytes as matplotlib's own savefig, every chart, in
    # both languages, with sizes remembered from other figures or not.
    import io

    import matplotlib

    from railsim.plot import svg
    from railsim.plot.base import _svg

    draw = DRAWS.get(name) or (lambda r, lang: compare.validation_scatter(
        pd.read_csv(r / "validation.csv"), lang))
    svg._sizes.clear()
    svg._heights.clear()
    for lang in ("en", "fi", "en"):  # the second English one measures nothing again
        plain = draw(results, lang)
        fast = draw(results, lang)
        try:
            buffer = io.StringIO()
            with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "railsim"}):
                plain.savefig(buffer, format="svg", metadata={"Date": None})
            assert _svg(fast) == buffer.getvalue(), (name, lang)
            assert fast.get_layout_engine() is None  # laid out: savefig draws it only once
        finally:
            close(plain)
            close(fast)
    assert svg._sizes and svg._heights


def _as_savefig_writes_it(results: Path, chart: str) -> None:
    """The report's SVG of ``chart`` equals what matplotlib's own savefig writes."""
    import io

    import matplotlib

    from railsim.plot.base import _svg

    plain = DRAWS[chart](results, "fi")
    fast = DRAWS[chart](results, "fi")
    try:
        buffer = io.StringIO()
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "railsim"}):
            plain.savefig(buffer, format="svg", metadata={"Date": None})
        assert _svg(fast) == buffer.getvalue()
    finally:
        close(plain)
        close(fast)


def test_on_another_matplotlib_the_font_heights_are_left_to_it(results, monkeypatch):
    # the font-height cache copies a private computation of matplotlib 3.11: on any other
    # release it is off, and the SVG is still savefig's
    from railsim.plot import svg

    assert not svg.heights_remembered("3.12.0") and not svg.heights_remembered("4.0")
    monkeypatch.setattr(svg, "heights_remembered", lambda: False)
    svg._heights.clear()
    _as_savefig_writes_it(results, "capex_breakdown")
    assert not svg._heights


def test_on_another_matplotlib_ticks_are_left_to_it(results, monkeypatch):
    # the tick memory relies on private methods of matplotlib 3.11's axis: on another
    # release it is off, and the SVG is still savefig's
    from railsim.plot import ticks

    assert not ticks.supported("3.12.0") and not ticks.supported("4.0")
    monkeypatch.setattr(ticks, "supported", lambda: False)
    _as_savefig_writes_it(results, "npv_distribution")


@pytest.mark.parametrize("layout", [None, "constrained"])
def test_a_title_clears_the_offset_text_as_savefig_places_it(layout):
    # Within ticks_remembered a title is placed without measuring y axes that can show no
    # offset text; one that shows it ("+1e9" at the top of the axis, under the title)
    # still moves the title up, as matplotlib's own savefig does.
    import io

    import matplotlib

    from railsim.plot.base import _svg

    def drawn() -> Figure:
        fig = Figure(figsize=(4, 3), layout=layout)
        ax = fig.subplots()
        ax.plot([0, 1, 2], [1e9, 1e9 + 2, 1e9 + 1])
        ax.set_title("A title on the left", loc="left")
        return fig

    plain, fast = drawn(), drawn()
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "railsim"}):
        plain.savefig(buffer, format="svg", metadata={"Date": None})
    assert plain.axes[0].yaxis.offsetText.get_text()  # the case this is about
    assert plain.axes[0]._left_title.get_position()[1] > 1.0  # moved above the offset text
    assert _svg(fast) == buffer.getvalue()


def test_remembered_ticks_follow_the_axis_and_are_let_go(results):
    # Within ticks_remembered an axis works its ticks out again whenever what they
    # depend on changes (here its limits, and the axes' size); afterwards the axis has
    # matplotlib's own methods back.
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from railsim.plot import ticks

    if not ticks.supported():
        if os.environ.get("CI"):  # constraints.txt pins the matplotlib it is made for
            pytest.fail("tick memory is off on the pinned matplotlib in CI")
        pytest.skip("tick memory is off on this matplotlib")
    fig = DRAWS["cumulative_cashflow"](results, "en")
    renderer = FigureCanvasAgg(fig).get_renderer()
    axis = fig.axes[0].yaxis
    with ticks.ticks_remembered(fig):
        assert "_update_ticks" in vars(axis)
        first = [t.get_loc() for t in axis._update_ticks()]
        assert [t.get_loc() for t in axis._update_ticks()] == first
        boxes = axis._get_ticklabel_bboxes(axis._update_ticks(), renderer)
        assert [b.bounds for b in axis._get_ticklabel_bboxes(axis._update_ticks(),
                                                             renderer)[0]] == [
            b.bounds for b in boxes[0]]
        low, high = fig.axes[0].get_ylim()
        fig.axes[0].set_ylim(low, high * 10)
        changed = [t.get_loc() for t in axis._update_ticks()]
        assert changed != first
        fig.axes[0].set_ylim(low, high)
        fig.set_size_inches(8, 1.5)  # fewer ticks fit
        short = [t.get_loc() for t in axis._update_ticks()]
        assert len(short) < len(first)
    assert "_update_ticks" not in vars(axis) and "_get_ticklabel_bboxes" not in vars(axis)
    assert short == [t.get_loc() for t in axis._update_ticks()]
    fig.set_size_inches(8, 4.5)
    assert first == [t.get_loc() for t in axis._update_ticks()]
    close(fig)


def _same_state(mine, theirs, where: str) -> None:
    """``mine`` holds what ``theirs`` holds, artist by artist (transforms compared by what
    they do, figures and axes by identity)."""
    import types

    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.cbook import CallbackRegistry
    from matplotlib.transforms import TransformNode

    if mine is theirs:
        return
    assert type(mine) is type(theirs), where
    if isinstance(mine, np.ndarray):
        assert np.array_equal(mine, theirs, equal_nan=True), where
    elif isinstance(mine, Figure | Axes):
        pytest.fail(f"{where}: another figure or axes")
    elif isinstance(mine, CallbackRegistry):
        assert not mine.callbacks and not theirs.callbacks, where
    elif isinstance(mine, TransformNode):
        points = np.array([[0.0, 0.0], [1.0, 2.0], [-3.0, 0.5]])
        assert np.array_equal(mine.transform(points), theirs.transform(points)), where
    elif isinstance(mine, list | tuple):
        assert len(mine) == len(theirs), where
        for k, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            _same_state(a, b, f"{where}[{k}]")
    elif isinstance(mine, dict):
        assert mine.keys() == theirs.keys(), where
        for key in mine:
            _same_state(mine[key], theirs[key], f"{where}[{key!r}]")
    elif isinstance(mine, types.MethodType):
        assert mine.__func__ is theirs.__func__, where
    elif hasattr(mine, "__dict__") and not callable(mine):
        _same_state(vars(mine), vars(theirs), where)
    else:
        assert mine == theirs, where


@pytest.mark.parametrize("name", ["tornado", "time_distance", "validation"])
def test_a_copied_tick_is_the_one_matplotlib_makes(results, name):
    # Within ticks_remembered an axis copies its first tick for each new one; matplotlib
    # makes a tick and copies the first one's properties onto it. Both, from the first
    # tick of a drawn chart (log axes with minor ticks, ticks with their own label size,
    # fixed labels), moved to a place and labelled: the same state.
    from railsim.plot import ticks
    from railsim.plot.base import _svg

    if not ticks.supported():
        if os.environ.get("CI"):  # constraints.txt pins the matplotlib it is made for
            pytest.fail("tick memory is off on the pinned matplotlib in CI")
        pytest.skip("tick memory is off on this matplotlib")
    draw = DRAWS.get(name) or (lambda r, lang: compare.validation_scatter(
        pd.read_csv(r / "validation.csv"), lang))
    fig = draw(results, "fi")
    try:
        _svg(fig)
        compared = 0
        for axis in (fig.axes[0].xaxis, fig.axes[0].yaxis):
            for major, first in ((True, axis.majorTicks[0]), (False, axis.minorTicks[0])):
                mine = ticks.copied_tick(first)
                theirs = axis._get_tick(major=major)
                axis._copy_tick_props(first, theirs)
                for tick in (mine, theirs):
                    tick.update_position(first.get_loc() * 2 + 1)
                    for text in (tick.label1, tick.label2):
                        text.set_text("12,5")
                    for line in (tick.tick1line, tick.tick2line, tick.gridline):
                        line.get_path()  # the data caches made again from the data
                _same_state(mine, theirs, f"{name} {axis.axis_name} major={major}")
                assert all(getattr(mine, part) is not getattr(first, part) for part in
                           ("tick1line", "tick2line", "gridline", "label1", "label2"))
                assert mine.label1.get_fontproperties() is not first.label1.get_fontproperties()
                assert all(getattr(mine, part)._callbacks is not getattr(first, part)._callbacks
                           for part in ("tick1line", "label1")) and mine._callbacks is not (
                    first._callbacks)
                compared += 1
        assert compared == 4
    finally:
        close(fig)


@pytest.mark.parametrize("case", ["bars", "first_bars", "barh", "hist", "nan", "log", "mixed",
                                  "circles"])
def test_patches_extend_the_limits_at_once_as_one_by_one(case):
    # patch_limits_at_once gathers the bars' and circles' outline points and extends the
    # data limits once:
    # the limits (and the smallest positive datum, for log axes) are matplotlib's own,
    # whatever came before the block and whatever the bars hold.
    import matplotlib
    import numpy as np
    from matplotlib.patches import Circle, Ellipse, Rectangle

    from railsim.plot.base import PATCH_LIMITS_CHECKED_ON, patch_limits_at_once

    gathered = tuple(matplotlib.__version__.split(".")[:2]) == PATCH_LIMITS_CHECKED_ON

    rng = np.random.default_rng(7)
    heights = rng.normal(0, 3, 12) * rng.integers(0, 2, 12)  # some of no height
    if case == "nan":
        heights[[2, 5]] = np.nan

    def draw(ax):
        if case != "first_bars":
            ax.plot([0.3, 2.5], [0.1, -0.7])
        if case == "hist":
            ax.hist(np.linspace(-2.3, 7.9, 97), bins=13)
        elif case == "barh":
            ax.barh([f"item {k}" for k in range(12)], heights, left=1.7, height=0.3)
        elif case == "log":
            ax.set_yscale("log")
            ax.bar(np.arange(12) * 0.7, np.abs(heights) + 1e-3, bottom=0.2)
        else:
            ax.bar(np.arange(12) * 0.7 - 2.1, heights, width=0.42)
        if case == "circles":  # the map's catchments: one ellipse too
            for k in range(7):
                ax.add_patch(Circle((np.sqrt(k) * 3.7 - 1, k / 3), 0.3 + k * 0.71, alpha=0.2))
            ax.add_patch(Ellipse((-4.1, 2.2), 3.3, 1.7, angle=31.0))
        if case == "mixed":
            ax.add_patch(Rectangle((0.1, 0.2), 0.3, 0.3, transform=ax.transAxes))
            ax.add_patch(Circle((9.0, 4.5), 1.3))
            ax.bar([10.0], [-8.0])

    limits = []
    for at_once in (False, True):
        fig = Figure()
        ax = fig.subplots()
        if at_once:
            with patch_limits_at_once(ax):
                assert ("_update_patch_limits" in vars(ax)) == gathered
                draw(ax)
            assert "_update_patch_limits" not in vars(ax)
        else:
            draw(ax)
        limits.append((ax.dataLim.get_points().copy(), ax.dataLim.minpos.copy(),
                       ax.ignore_existing_data_limits, ax.get_xlim(), ax.get_ylim()))
        close(fig)
    (points, minpos, ignore, xlim, ylim), at_once = limits
    assert np.array_equal(points, at_once[0]) and np.array_equal(minpos, at_once[1])
    assert (ignore, xlim, ylim) == at_once[2:]


def test_chart_files_are_the_ones_savefig_writes(results, tmp_path):
    # save() lays a figure out once for all its formats (the PNG's layout, as a lone PNG
    # gets) and draws each file once: the PNG is the one savefig writes alone.
    from railsim.plot.base import DPI, save

    plain = DRAWS["tornado"](results, "fi")
    try:
        plain.savefig(tmp_path / "plain.png", dpi=DPI)
    finally:
        close(plain)
    written = save(DRAWS["tornado"](results, "fi"), tmp_path / "both", ("png", "svg"))
    assert [p.name for p in written] == ["both.png", "both.svg"]
    assert (tmp_path / "both.png").read_bytes() == (tmp_path / "plain.png").read_bytes()
    assert (tmp_path / "both.svg").read_text(encoding="utf-8").count("<path") > 10


def test_the_report_knows_the_comparison_charts_without_matplotlib():
    # the report's own process names the comparison charts from a module without
    # matplotlib; the names are the drawers' (same order)
    import subprocess
    import sys

    from railsim.plot.compact import BATCH_CHART_NAMES

    assert tuple(BATCH_CHARTS) == BATCH_CHART_NAMES
    code = ("import sys, railsim.report.builder, railsim.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "[]"


@settings(deadline=None, max_examples=10)
@given(st.lists(st.tuples(st.floats(1, 400), st.floats(1e6, 4e8)), min_size=1, max_size=6),
       st.integers(0, 6))
def test_capex_against_passengers_names_neither_overlap_nor_cover_a_point(points, close):
    # the names stand in a column right of the points, clear of each other and inside
    # the axes, also for several options of almost the same investment
    points = points + [(50.0 + 3 * k, 9.0e7 + 1e6 * k) for k in range(close)]
    _capex_names_are_clear(points)


def test_capex_against_passengers_with_ten_close_options():
    _capex_names_are_clear([(40.0 + 5 * k, 8.0e7 + 2.5e6 * k) for k in range(10)])


def _capex_names_are_clear(points):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from railsim.plot.compare import capex_vs_passengers

    summary = pd.DataFrame({
        "scenario": [f"s{k}" for k in range(len(points))],
        "title": [f"Heinola – Lahti – Orimattila through, option {k}, hourly with "
                  "half-hourly peaks" for k in range(len(points))],
        "status": "ok", "passengers_daily": [p for p, _ in points],
        "capex_total_eur": [c for _, c in points]})
    fig = capex_vs_passengers(summary, "en")
    try:
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        ax = fig.axes[0]
        # the names alone (an annotation's own extent takes in its leader line)
        boxes = [Text.get_window_extent(t, renderer) for t in ax.texts]
        assert len(boxes) == len(points)
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                assert not boxes[i].overlaps(boxes[j]), (i, j)
        frame = ax.get_window_extent(renderer)
        marks = ax.transData.transform([(p, c / 1e6) for p, c in points])
        for box in boxes:
            assert all(x < box.x0 for x, _ in marks)  # every point left of every name
            assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1  # inside the axes
            assert box.x1 <= fig.bbox.x1 + 1  # inside the figure
    finally:
        close(fig)


def test_back_cast_names_do_not_overprint():
    # close counts (one station in two years, two stations side by side) keep their names
    # apart
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    validation = pd.DataFrame({
        "station_name": ["Villähde", "Villähde", "Nastola", "Järvelä", "Uusikylä", "Herrala"],
        "year": [2016, 2019, 2016, 2008, 2016, 2019],
        "observed": [5000.0, 6100.0, 8000.0, 12000.0, 10000.0, 8700.0],
        "predicted": [5800.0, 5800.0, 7300.0, 7400.0, 3400.0, 2700.0],
        "use": ["calibration"] * 3 + ["held_out"] * 3})
    fig = compare.validation_scatter(validation, "fi")
    try:
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        boxes = [Text.get_window_extent(t, canvas.get_renderer()) for t in fig.axes[0].texts]
        assert len(boxes) == 6
        for i in range(6):
            for j in range(i + 1, 6):
                assert not boxes[i].overlaps(boxes[j]), (i, j)
    finally:
        close(fig)

"""Write every chart a result folder's tables allow, in English and Finnish.

A chart whose table is missing is skipped quietly (a do-minimum has no timetable, a
failed scenario has only error.txt). Files: ``charts/<name>.png`` and ``.svg`` in
English, ``charts/<name>.fi.png`` and ``.svg`` in Finnish.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from railsim.plot import compare, diagram, finance, maps, operations, ridership, uncertainty
from railsim.plot.base import close, save
from railsim.results import headline_kpis
from railsim.results import read_result_table as read_csv

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

Tables = dict[str, "pd.DataFrame"]
Draw = Callable[[Tables, str], "Figure"]

LANGS = ("en", "fi")
DEFAULT_LANG = "en"
SCENARIO_TABLES = ("cashflows", "capex", "kpis", "uncertainty_draws", "tornado", "ridership",
                   "replications", "network", "stop_times", "timetable")


def _map(tables: Tables, lang: str) -> Figure:
    network = tables["network"]
    return maps.line_map(network, lang, **network.attrs.get("radii", {}))


def _station_names(tables: Tables) -> dict[str, str]:
    network = tables.get("network")
    if network is None:
        return {}
    return dict(zip(network["station_id"], network["station_name"], strict=True))


# name → (tables it needs, how to draw it); the order is the order in the report
SCENARIO_CHARTS: dict[str, tuple[tuple[str, ...], Draw]] = {
    "cumulative_cashflow": (("cashflows",),
                            lambda t, lang: finance.cumulative_cashflow(t["cashflows"], lang)),
    "capex_breakdown": (("capex",), lambda t, lang: finance.capex_breakdown(
        t["capex"], lang, t["capex"].attrs.get("total_eur"))),
    "opex_revenue": (("cashflows",), lambda t, lang: finance.opex_revenue(t["cashflows"], lang)),
    "subsidy_per_passenger": (("subsidy",), lambda t, lang: finance.subsidy_per_passenger(
        t["subsidy"], lang, highlight=t["subsidy"].attrs.get("highlight"))),
    "npv_distribution": (("uncertainty_draws",), lambda t, lang: uncertainty.npv_distribution(
        t["uncertainty_draws"], lang=lang)),
    "tornado": (("tornado",), lambda t, lang: uncertainty.tornado(t["tornado"], lang)),
    "boardings": (("ridership",),
                  lambda t, lang: ridership.boardings_by_station(t["ridership"], lang)),
    "punctuality": (("replications",), lambda t, lang: operations.punctuality_distribution(
        t["replications"], lang)),
    "line_map": (("network",), _map),
    "time_distance": (("stop_times", "timetable"), lambda t, lang: diagram.time_distance(
        t["stop_times"], t["timetable"], _station_names(t), lang)),
}

BATCH_CHARTS: dict[str, Draw] = {
    "capex_vs_passengers": lambda t, lang: compare.capex_vs_passengers(t["summary"], lang),
    "npv_societal": lambda t, lang: compare.npv_societal_bars(t["summary"], lang),
    "bcr": lambda t, lang: compare.bcr_bars(t["summary"], lang),
    "subsidy_per_passenger": lambda t, lang: finance.subsidy_per_passenger(t["summary"], lang),
    "validation": lambda t, lang: compare.validation_scatter(t["validation"], lang),
}
BATCH_COLUMNS = {"capex_vs_passengers": ("capex_total_eur", "passengers_daily"),
                 "npv_societal": ("npv_societal_eur",), "bcr": ("bcr",),
                 "subsidy_per_passenger": ("subsidy_per_passenger_eur",)}


def chart_stem(folder: Path, name: str, lang: str) -> Path:
    """``folder/charts/<name>`` (English) or ``folder/charts/<name>.<lang>``, no suffix."""
    return folder / "charts" / (name if lang == DEFAULT_LANG else f"{name}.{lang}")


def _subsidy_table(folder: Path, tables: Tables) -> pd.DataFrame | None:
    """The batch's subsidies with this scenario highlighted, or this scenario's alone."""
    import pandas as pd

    summary = read_csv(folder.parent / "summary.csv")
    if summary is not None and "subsidy_per_passenger_eur" in summary:
        mine = summary[summary["scenario"] == folder.name]
        if len(mine) and mine["subsidy_per_passenger_eur"].notna().any():
            summary.attrs["highlight"] = folder.name
            return summary
    if "kpis" not in tables:
        return None
    found = headline_kpis(tables["kpis"]).get("subsidy_per_passenger_eur")
    if found is None:
        return None
    return pd.DataFrame([{"scenario": folder.name, "title": folder.name, "status": "ok",
                          "subsidy_per_passenger_eur": found[0]}])


def _radii(folder: Path) -> dict[str, float]:
    """The scenario's catchment radii for the map (its defaults when unreadable)."""
    import yaml

    path = folder / "scenario.resolved.yaml"
    try:
        demand = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("demand") or {}
    except (OSError, yaml.YAMLError, AttributeError):
        return {}
    return {key: float(demand[key]) for key in ("walk_radius_m", "feeder_radius_m")
            if isinstance(demand.get(key), int | float)}


def scenario_tables(folder: Path) -> Tables:
    """The tables of one scenario folder that exist and have rows."""
    tables: Tables = {}
    for name in SCENARIO_TABLES:
        frame = read_csv(folder / f"{name}.csv")
        if frame is not None:
            tables[name] = frame
    subsidy = _subsidy_table(folder, tables)
    if subsidy is not None:
        tables["subsidy"] = subsidy
    if "capex" in tables and "kpis" in tables:
        total = headline_kpis(tables["kpis"]).get("capex_total_eur")
        tables["capex"].attrs["total_eur"] = total[0] if total else None
    if "network" in tables:
        tables["network"].attrs["radii"] = _radii(folder)
    return tables


def _draw(draw: Draw, tables: Tables, stem: Path, lang: str, name: str) -> list[Path]:
    """Draw and save one chart; a table that breaks its chart is logged, not fatal."""
    try:
        fig = draw(tables, lang)
    except (KeyError, ValueError, TypeError) as exc:
        # the report must still be written when one table is malformed
        log.warning("chart %s not drawn for %s: %s", name, stem.parent.parent, exc)
        return []
    try:
        return save(fig, stem)
    except BaseException:
        close(fig)
        raise


def write_charts(result_folder: Path, langs: Sequence[str] = LANGS) -> list[Path]:
    """Write the charts of one scenario folder; returns the files written."""
    folder = Path(result_folder)
    tables = scenario_tables(folder)
    written: list[Path] = []
    for name, (needs, draw) in SCENARIO_CHARTS.items():
        if all(table in tables for table in needs):
            for lang in langs:
                written += _draw(draw, tables, chart_stem(folder, name, lang), lang, name)
    return written


def write_batch_charts(out_dir: Path, langs: Sequence[str] = LANGS) -> list[Path]:
    """Write the comparison charts of a batch from ``out_dir/summary.csv`` (and the
    back-casts' chart from ``out_dir/validation.csv``)."""
    from railsim.plot.base import ok_rows

    folder = Path(out_dir)
    summary = read_csv(folder / "summary.csv")
    if summary is None:
        return []
    tables = {"summary": summary}
    validation = read_csv(folder / "validation.csv")
    if validation is not None:
        tables["validation"] = validation
    written: list[Path] = []
    for name, draw in BATCH_CHARTS.items():
        if name == "validation":  # from validation.csv, when back-casts have counts
            ready = validation is not None and len(validation) > 0
        else:
            ready = len(ok_rows(summary, BATCH_COLUMNS[name])) > 0
        if ready:
            for lang in langs:
                written += _draw(draw, tables, chart_stem(folder, name, lang), lang, name)
    return written

"""Every chart a result folder's tables allow, in English and Finnish.

A chart whose table is missing is skipped quietly (a do-minimum has no timetable, a
failed scenario has only error.txt). :func:`scenario_charts` and :func:`batch_charts`
draw them in memory as compact images for the report (:func:`railsim.plot.base.compact`);
:func:`write_charts` and :func:`write_batch_charts` write files, only when asked
(``railsim report DIR --charts png``; SVG only with ``svg`` or ``png,svg``):
``charts/<name>.png`` (``.svg``) in English, ``charts/<name>.fi.png`` (``.fi.svg``) in
Finnish.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from railsim.batch.summary import back_casts_apart, read_summary
from railsim.plot import compare, diagram, finance, maps, operations, ridership, uncertainty
from railsim.plot.base import (
    DEFAULT_FORMATS,
    Compact,
    close,
    collected_after,
    compact,
    ok_rows,
    save,
)
from railsim.plot.cache import cached_chart
from railsim.results import headline_kpis, read_part_table, read_resolved, staged_folder
from railsim.texts.names import capex_item_name

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

Tables = dict[str, "pd.DataFrame"]
Draw = Callable[[Tables, str], "Figure"]

LANGS = ("en", "fi")
DEFAULT_LANG = "en"
CHART_FOLDER = "charts"
"""Where chart files go in a result folder (and in the batch's folder)."""
SCENARIO_TABLES = ("cashflows", "capex", "kpis", "uncertainty_draws", "tornado", "ridership",
                   "replications", "network", "stop_times", "timetable", "validation")


def _map(tables: Tables, lang: str) -> Figure:
    network = tables["network"]
    return maps.line_map(network, lang, **network.attrs.get("radii", {}))


def _station_names(tables: Tables) -> dict[str, str]:
    network = tables.get("network")
    if network is None:
        return {}
    return dict(zip(network["station_id"], network["station_name"], strict=True))


def _named_capex(tables: Tables, lang: str) -> pd.DataFrame:
    """capex.csv with each line's description named in ``lang`` (stations by name)."""
    capex = tables["capex"]
    names = _station_names(tables)
    named = capex.assign(description=[
        capex_item_name(str(item), str(what), lang, names)
        for item, what in zip(capex["item_id"], capex["description"], strict=True)])
    named.attrs = dict(capex.attrs)
    return named


# name → (tables it needs, how to draw it); the order is the order in the report
SCENARIO_CHARTS: dict[str, tuple[tuple[str, ...], Draw]] = {
    "cumulative_cashflow": (("cashflows",),
                            lambda t, lang: finance.cumulative_cashflow(t["cashflows"], lang)),
    "capex_breakdown": (("capex",), lambda t, lang: finance.capex_breakdown(
        _named_capex(t, lang), lang, t["capex"].attrs.get("total_eur"))),
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
    "validation": (("validation",),
                   lambda t, lang: compare.validation_scatter(t["validation"], lang)),
}

BATCH_CHARTS: dict[str, Draw] = {
    "capex_vs_passengers": lambda t, lang: compare.capex_vs_passengers(t["summary"], lang),
    "npv_societal": lambda t, lang: compare.npv_societal_bars(t["summary"], lang),
    "bcr": lambda t, lang: compare.bcr_bars(t["summary"], lang),
    "subsidy_per_passenger": lambda t, lang: finance.subsidy_per_passenger(t["summary"], lang),
    "validation": lambda t, lang: compare.validation_scatter(t["validation"], lang),
}
BATCH_COLUMNS = {"capex_vs_passengers": ("summary", ("capex_total_eur", "passengers_daily")),
                 "npv_societal": ("summary", ("npv_societal_eur",)),
                 "bcr": ("summary", ("bcr",)),
                 "subsidy_per_passenger": ("summary", ("subsidy_per_passenger_eur",)),
                 "validation": ("validation", ("observed", "predicted"))}
"""Per comparison chart: the batch table it draws and the columns a row needs (a chart
without such a row is not drawn)."""
COMPARED_AT_LEAST = 2
"""Scenarios a chart comparing them needs (the summary's charts): one scenario's bar or
point repeats the number its own page shows, and would cost a drawing for nothing."""


def _batch_drawable(tables: Tables | None, name: str) -> bool:
    if tables is None:
        return False
    table, columns = BATCH_COLUMNS[name]
    least = COMPARED_AT_LEAST if table == "summary" else 1
    return table in tables and len(ok_rows(tables[table], columns)) >= least


def chart_stem(folder: Path, name: str, lang: str) -> Path:
    """``folder/charts/<name>`` (English) or ``folder/charts/<name>.<lang>``, no suffix."""
    return folder / CHART_FOLDER / (name if lang == DEFAULT_LANG else f"{name}.{lang}")


def titles(out_dir: Path, summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``summary`` with each scenario's title in ``lang`` (``title_<lang>`` of its
    scenario.resolved.yaml where set), for charts that name the scenarios."""
    return titles_by_lang(out_dir, summary, [lang])[lang]


def titles_by_lang(out_dir: Path, summary: pd.DataFrame, langs: Sequence[str]
                   ) -> dict[str, pd.DataFrame]:
    """:func:`titles` in each of ``langs``, each resolved file read once."""
    resolved = [read_resolved(out_dir / str(name)) for name in summary["scenario"]]
    named = {}
    for lang in langs:
        named[lang] = summary.copy()
        named[lang]["title"] = [_title(found, lang) or title for found, title
                                in zip(resolved, summary["title"], strict=True)]
    return named


def scenario_title(folder: Path, lang: str) -> str | None:
    """The scenario's title in ``lang`` from its resolved file (``title_<lang>``, else
    ``title``); None when the file is missing or has neither."""
    return _title(read_resolved(folder), lang)


def _title(resolved: dict[str, object], lang: str) -> str | None:
    """The title in ``lang`` of a resolved scenario (``title_<lang>``, else ``title``)."""
    for key in (f"title_{lang}", "title"):
        value = resolved.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _subsidy_table(folder: Path, tables: Tables) -> pd.DataFrame | None:
    """The batch's subsidies with this scenario highlighted, or this scenario's alone."""
    import pandas as pd

    summary = read_summary(folder.parent / "summary.csv")
    if summary is not None:  # the options beside this one, no back-cast
        summary = _without_back_casts(folder.parent, summary, keep=folder.name)
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
    demand = read_resolved(folder).get("demand")
    if not isinstance(demand, dict):
        return {}
    return {key: float(demand[key]) for key in ("walk_radius_m", "feeder_radius_m")
            if isinstance(demand.get(key), int | float)}


_ALSO_READ = {"capex": ("kpis", "network"), "subsidy": ("kpis",), "stop_times": ("network",)}
"""Tables a chart of these tables reads too when they are there: the capex total from
kpis.csv, the station names of network.csv (capex items, the diagram's axis)."""


def _wanted(needs: Collection[str] | None) -> set[str]:
    """The tables a chart of ``needs`` reads (all for None)."""
    wanted = set(SCENARIO_TABLES) if needs is None else set(needs)
    for name in list(wanted):
        wanted.update(_ALSO_READ.get(name, ()))
    return wanted


def chart_files(folder: Path, name: str) -> list[Path]:
    """The files scenario chart ``name`` of ``folder`` is drawn from (those of
    :func:`scenario_tables` for its needs; some may not exist)."""
    wanted = _wanted(SCENARIO_CHARTS[name][0])
    files = [folder / f"{table}.csv" for table in SCENARIO_TABLES if table in wanted]
    files.append(folder / "scenario.resolved.yaml")  # the map's catchment radii
    if "subsidy" in wanted:
        files.append(folder.parent / "summary.csv")
    return files


def scenario_tables(folder: Path, needs: Collection[str] | None = None) -> Tables:
    """The tables of one scenario folder that exist and have rows (only those ``needs``
    names, with what they need themselves, when given: a chart drawn alone reads only
    its own)."""
    wanted = _wanted(needs)
    tables: Tables = {}
    for name in SCENARIO_TABLES:
        frame = _part_table(folder / f"{name}.csv", needs) if name in wanted else None
        if frame is not None:
            tables[name] = frame
    subsidy = _subsidy_table(folder, tables) if needs is None or "subsidy" in wanted else None
    if subsidy is not None:
        tables["subsidy"] = subsidy
    if "capex" in tables and "kpis" in tables:
        total = headline_kpis(tables["kpis"]).get("capex_total_eur")
        tables["capex"].attrs["total_eur"] = total[0] if total else None
    if "network" in tables:
        tables["network"].attrs["radii"] = _radii(folder)
    return tables


def _part_table(path: Path, needs: Collection[str] | None) -> pd.DataFrame | None:
    """A table for charts; a damaged one is left out with its charts (a warning names the
    file and line), the other charts are drawn."""
    charts = [name for name, (tables, _) in SCENARIO_CHARTS.items()
              if path.stem in _wanted(tables) and (needs is None or set(tables) <= set(needs))]
    return read_part_table(path, f"the charts drawn from it ({', '.join(charts)})"
                           if charts else "the charts drawn from it")


def _figure(draw: Draw, tables: Tables, lang: str, name: str, where: Path) -> Figure | None:
    """Draw one chart; a table that breaks its chart is logged, not fatal."""
    try:
        return draw(tables, lang)
    except (KeyError, ValueError, TypeError) as exc:
        # the report must still be written when one table is malformed
        log.warning("chart %s not drawn for %s: %s", name, where, exc)
        return None


def _draw(draw: Draw, tables: Tables, stem: Path, lang: str, name: str,
          formats: Sequence[str] = DEFAULT_FORMATS) -> list[Path]:
    """Draw and save one chart as files; a table that breaks its chart is logged."""
    with collected_after():  # the figure let go (in the call) before the collection
        return _saved(draw, tables, stem, lang, name, formats)


def _saved(draw: Draw, tables: Tables, stem: Path, lang: str, name: str,
           formats: Sequence[str]) -> list[Path]:
    fig = _figure(draw, tables, lang, name, stem.parent.parent)
    if fig is None:
        return []
    try:
        return save(fig, stem, formats)
    except BaseException:
        close(fig)
        raise


def _compact(draw: Draw, tables: Tables, lang: str, name: str, where: Path) -> Compact | None:
    with collected_after():  # the figure let go (in the call) before the collection
        return _compacted(draw, tables, lang, name, where)


def _compacted(draw: Draw, tables: Tables, lang: str, name: str, where: Path
               ) -> Compact | None:
    fig = _figure(draw, tables, lang, name, where)
    if fig is None:
        return None
    try:
        return compact(fig)
    finally:
        close(fig)


Charts = dict[str, dict[str, Compact]]
"""Chart name → language → its compact image."""


def scenario_charts(result_folder: Path, langs: Sequence[str] = LANGS,
                    names: Sequence[str] | None = None) -> Charts:
    """The charts of one scenario folder as compact images, in memory (no files)."""
    folder = Path(result_folder)
    tables = scenario_tables(folder)
    out: Charts = {}
    for name, (needs, draw) in SCENARIO_CHARTS.items():
        if (names is None or name in names) and all(t in tables for t in needs):
            drawn = {lang: c for lang in langs
                     if (c := _compact(draw, tables, lang, name, folder)) is not None}
            if drawn:
                out[name] = drawn
    return out


def scenario_chart(result_folder: Path, name: str, langs: Sequence[str] = LANGS
                   ) -> dict[str, Compact]:
    """One chart of one scenario folder as compact images by language (none when its
    tables are missing); reads only the tables it needs, so charts can be drawn apart."""
    folder = Path(result_folder)
    needs, draw = SCENARIO_CHARTS[name]
    tables = scenario_tables(folder, needs)
    if not all(t in tables for t in needs):
        return {}
    return {lang: c for lang in langs
            if (c := _compact(draw, tables, lang, name, folder)) is not None}


def kept_scenario_chart(result_folder: Path, name: str, langs: Sequence[str] = LANGS
                        ) -> dict[str, Compact]:
    """:func:`scenario_chart`, or the images the last report drew from the same files
    (:mod:`railsim.plot.cache`): a rerun's unchanged scenarios are not drawn again."""
    folder = Path(result_folder)
    return cached_chart(folder, name, langs, chart_files(folder, name),
                        lambda: scenario_chart(folder, name, langs))


def batch_chart(out_dir: Path, name: str, langs: Sequence[str] = LANGS) -> dict[str, Compact]:
    """One comparison chart of a batch as compact images by language."""
    folder = Path(out_dir)
    by_lang = _batch_tables_by_lang(folder, langs)
    drawn: dict[str, Compact] = {}
    for lang in langs:
        tables = by_lang[lang] if by_lang else None
        if tables is None or not _batch_drawable(tables, name):
            break
        image = _compact(BATCH_CHARTS[name], tables, lang, name, folder)
        if image is not None:
            drawn[lang] = image
    return drawn


def _without_back_casts(out_dir: Path, summary: pd.DataFrame, keep: str = "") -> pd.DataFrame:
    """``summary`` without the back-casts that stand beside options (by their resolved
    files, as the report decides: an older summary.csv has no back-cast role); ``keep``
    stays whatever it is."""
    apart = back_casts_apart(out_dir / str(name) for name in summary["scenario"]) - {keep}
    if not apart:
        return summary
    return summary[~summary["scenario"].astype(str).isin(apart)].copy()


def _batch_tables(folder: Path, lang: str) -> Tables | None:
    """The batch's summary as the comparison charts show it: the options and the
    do-minimum (back-casts are checks of the model, not options)."""
    by_lang = _batch_tables_by_lang(folder, [lang])
    return by_lang[lang] if by_lang else None


def _batch_tables_by_lang(folder: Path, langs: Sequence[str]) -> dict[str, Tables] | None:
    """:func:`_batch_tables` in each of ``langs``, the files read once (the resolved
    files of a batch's scenarios cost some 30 ms to read)."""
    summary = read_summary(folder / "summary.csv")
    if summary is None:
        return None
    named = titles_by_lang(folder, _without_back_casts(folder, summary), langs)
    validation = read_part_table(folder / "validation.csv", "the back-casts' chart")
    by_lang: dict[str, Tables] = {}
    for lang in langs:
        by_lang[lang] = {"summary": named[lang]}
        if validation is not None:  # the back-casts' counts, beside the options or alone
            by_lang[lang]["validation"] = validation
    return by_lang


def batch_charts(out_dir: Path, langs: Sequence[str] = LANGS) -> Charts:
    """The comparison charts of a batch as compact images, in memory (no files)."""
    return {name: drawn for name in BATCH_CHARTS if (drawn := batch_chart(out_dir, name, langs))}


def write_charts(result_folder: Path, langs: Sequence[str] = LANGS,
                 formats: Sequence[str] = DEFAULT_FORMATS) -> list[Path]:
    """Write the charts of one scenario folder as files; returns the files written.

    ``charts/`` is replaced whole, so a run stopped while drawing leaves the last
    complete set or none (which the next run draws), never part of one: a run that skips
    an unchanged scenario keeps the chart files it finds."""
    folder = Path(result_folder)
    tables = scenario_tables(folder)
    final = folder / CHART_FOLDER
    written: list[Path] = []
    with staged_folder(final) as staging:
        for name, (needs, draw) in SCENARIO_CHARTS.items():
            if all(table in tables for table in needs):
                for lang in langs:
                    stem = staging / chart_stem(folder, name, lang).name
                    written += _draw(draw, tables, stem, lang, name, formats)
    return [final / path.name for path in written]


def write_batch_charts(out_dir: Path, langs: Sequence[str] = LANGS,
                       formats: Sequence[str] = DEFAULT_FORMATS) -> list[Path]:
    """Write the comparison charts of a batch from ``out_dir/summary.csv`` as files."""
    folder = Path(out_dir)
    by_lang = _batch_tables_by_lang(folder, langs)
    written: list[Path] = []
    for name, draw in BATCH_CHARTS.items():
        for lang in langs:
            tables = by_lang[lang] if by_lang else None
            if tables is None or not _batch_drawable(tables, name):
                break
            written += _draw(draw, tables, chart_stem(folder, name, lang), lang, name,
                             formats)
    return written

"""The report of a result folder: one complete document per language, from Jinja2 templates.

``report.fi.html`` and ``report.en.html`` are each a whole report in one language (a
board gets the one it reads, prints it, and every label, title and chart in it is in
that language); ``report.html`` is a small page linking both. Each document is a single
self-contained file: charts inline as compact SVG (or palette PNG where smaller), CSS
inline, no scripts, so it can be mailed or archived and opened offline. Printed (or made
a PDF with ``railsim report DIR --pdf``, headless Chromium) it is A4 pages: the
executive summary, one sheet per option, the comparison and assumptions, the annex.
Templates autoescape every value; only the SVG that matplotlib wrote (text escaped by
it) is inserted as markup.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
from collections.abc import Collection, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from railsim.batch.summary import back_casts_apart, read_summary
from railsim.errors import RailsimError
from railsim.logs import stage
from railsim.plot.compact import BATCH_CHART_NAMES, Compact
from railsim.report import document
from railsim.report.facts import ScenarioFacts, scenario_facts, scenario_names
from railsim.report.reading import ranked
from railsim.report.sources import TableProvenance, provenance
from railsim.report.strings import LANGS, TEXT, text
from railsim.results import has_failed, read_part_table, write_text_atomic

log = logging.getLogger(__name__)

INDEX = "report.html"
CHART_FORMATS = ("png", "svg")


class ReportError(RailsimError):
    """The folder cannot be reported on (not a result folder of railsim run)."""


def document_name(lang: str) -> str:
    return f"report.{lang}.html"


def _environment() -> Any:
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(loader=jinja2.PackageLoader("railsim.report", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_svg"] = Markup  # matplotlib's SVG, its text already escaped by it
    env.filters["css_string"] = lambda value: Markup(
        '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
        + '"')
    return env


def _style() -> str:
    from importlib.resources import files

    return files("railsim.report").joinpath("templates/style.css").read_text(encoding="utf-8")


def _computed(facts: ScenarioFacts) -> datetime.date | None:
    for name in ("fingerprint.txt", "kpis.csv", "error.txt"):
        path = facts.folder / name
        if path.is_file():
            return datetime.date.fromtimestamp(path.stat().st_mtime)
    return None


def _fingerprint(scenarios: Sequence[ScenarioFacts]) -> str:
    """One short hash over every scenario's fingerprint: what the document was made from."""
    joined = "\n".join(f"{s.name}:{s.fingerprint}" for s in scenarios)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:12] if scenarios else ""


def _price_years(scenarios: Sequence[ScenarioFacts]) -> list[int]:
    return sorted({int(y) for s in scenarios
                   if isinstance(y := s.setting("costs", "price_year"), int | float)})


def language_document(out_dir: Path, scenarios: list[ScenarioFacts],
                      charts: dict[str, document.Charts], batch: document.Charts,
                      lang: str, day: datetime.date,
                      tables: list[TableProvenance] | None = None) -> document.Document:
    """The view of the whole report in ``lang`` (``tables``: the data tables'
    :func:`provenance`, read here when not given)."""
    import railsim

    tables = provenance() if tables is None else tables
    # back-casts beside options: checks of the model, shown apart (a run of back-casts
    # alone is reported like any batch)
    apart = back_casts_apart(s.folder for s in scenarios)
    back_casts = [s for s in scenarios if s.name in apart]
    scenarios = [s for s in scenarios if s.name not in apart]
    counts = (read_part_table(out_dir / "validation.csv", "the back-casts' table")
              if back_casts else None)
    # the options' sheets in the order of the ranking, numbered as it is (#1 is sheet 1),
    # then those without a rank (failed, or no societal NPV)
    best_first = ranked(scenarios)
    sheets = best_first + [s for s in scenarios if (s.is_rail or s.status == "failed")
                           and s not in best_first]
    annex = []
    for number, s in enumerate(sheets, 1):
        mine = charts.get(s.name, {})
        drawn = [(mine[name][lang], text(lang, f"cap_{name}")) for name in document.ANNEX_CHARTS
                 if lang in mine.get(name, {}) and f"cap_{name}" in TEXT[lang]]
        effects = (document.effects_by_party(s.tables["effects"], lang),
                   document.effects_table(s.tables["effects"], lang)) \
            if "effects" in s.tables else None
        if drawn or effects:
            annex.append({"number": number, "title": s.title_in(lang), "charts": drawn,
                          "effects": effects})
    return document.Document(
        lang=lang, title=text(lang, "doc_title"), subtitle=text(lang, "doc_subtitle"),
        footer=document.footer(lang, railsim.__version__, _fingerprint(scenarios),
                               _price_years(scenarios), day),
        summary=document.summary(scenarios, lang),
        sheets=[document.sheet(s, k, charts.get(s.name, {}), lang, _computed(s))
                for k, s in enumerate(sheets, 1)],
        comparison=document.comparison(scenarios, lang),
        assumptions=document.assumptions(scenarios, lang),
        inputs=document.uncertain_inputs(scenarios, lang),
        sources=document.sources(tables, lang),
        # the back-casts' chart stands in their section beside options, else in the annex
        annex_batch=[(batch[name][lang], text(lang, f"cap_{name}"))
                     for name in (*document.BATCH_ANNEX, *(() if back_casts else
                                                           ("validation",)))
                     if lang in batch.get(name, {})],
        annex=annex, record=document.record(tables, lang),
        back_casts=document.validation_table(counts, lang) if counts is not None else None,
        back_cast_check=document.back_cast_check(counts, lang) if counts is not None else "",
        back_cast_charts=[(batch["validation"][lang], text(lang, "cap_validation"))]
        if back_casts and lang in batch.get("validation", {}) else [])


@dataclass
class Prepared:
    """What the report says besides its charts, read from a result folder (all of it
    can be read while the charts are drawn)."""

    out_dir: Path
    scenarios: list[ScenarioFacts]
    tables: list[TableProvenance]
    environment: Any
    style: str


def prepare(out_dir: Path) -> Prepared:
    """The facts of the report of ``out_dir``: its scenarios', the data tables'
    provenance and the compiled templates. Raises :class:`ReportError` for a folder
    without results."""
    out_dir = Path(out_dir)
    summary = read_summary(out_dir / "summary.csv")
    names = scenario_names(out_dir, summary) if out_dir.is_dir() else []
    if not names:
        raise ReportError(f"{out_dir}: no results to report on (no summary.csv and no scenario "
                          "folders); write them with `railsim run SCENARIOS --out "
                          f"{out_dir}`")
    environment = _environment()
    for name in ("report.html.j2", "index.html.j2"):
        environment.get_template(name)  # compiled now, not after the charts
    return Prepared(out_dir, [scenario_facts(out_dir, name, summary) for name in names],
                    provenance(), environment, _style())


def render(out_dir: Path, charts: dict[str, document.Charts] | None = None,
           batch: document.Charts | None = None, day: datetime.date | None = None,
           prepared: Prepared | None = None) -> dict[str, str]:
    """File name → HTML of the report of ``out_dir`` (both languages and the index), from
    its facts as :func:`prepare` reads them (``prepared``: read already)."""
    if prepared is None or prepared.out_dir != Path(out_dir):
        prepared = prepare(out_dir)
    scenarios, env, style = prepared.scenarios, prepared.environment, prepared.style
    day = day or datetime.date.today()
    pages = {}
    for lang in LANGS:
        view = language_document(prepared.out_dir, scenarios, charts or {}, batch or {},
                                 lang, day, prepared.tables)
        pages[document_name(lang)] = env.get_template("report.html.j2").render(
            style=style, **view.context())
    pages[INDEX] = env.get_template("index.html.j2").render(
        style=style, title_fi=text("fi", "doc_title"), title_en=text("en", "doc_title"),
        footer=document.footer("fi", _version(), _fingerprint(scenarios),
                               _price_years(scenarios), day),
        intro_fi=text("fi", "index_intro"), intro_en=text("en", "index_intro"),
        label_fi=text("fi", "index_fi"), fi=document_name("fi"), en=document_name("en"))
    return pages


def check_results(out_dir: Path, summary: Any, names: Sequence[str]) -> None:
    """Refuse results changed or removed since the run that wrote them (files deleted by
    hand, a half-copied folder, a full disk): the report would show their gaps as
    numbers. Folders of a railsim that did not list its files are taken as they are."""
    from railsim.results import damaged_files

    listed_ok = set() if summary is None else {
        str(name) for name, status in zip(summary["scenario"], summary["status"], strict=True)
        if str(status) in ("ok", "skipped")}
    problems = []
    for name in names:
        folder = out_dir / name
        if not folder.is_dir():
            if name in listed_ok:
                problems.append(f"{name}/ (the folder is missing)")
            continue
        if has_failed(folder):
            continue
        damaged = damaged_files(folder)
        if damaged:
            problems.append(f"{name}/ ({', '.join(damaged)} missing or changed)")
    if problems:
        raise ReportError(f"{out_dir}: results changed or removed since the run that wrote "
                          f"them: {'; '.join(problems)}. Run their scenarios again with "
                          "`railsim run` (it recomputes incomplete results), or remove the "
                          "folders of scenarios no longer run (`railsim run ... --prune`)")


def _summary_behind(out_dir: Path, names: Sequence[str]) -> bool:
    """Whether a scenario folder was written after summary.csv (an interrupted run
    finished some scenarios but never wrote the summary)."""
    try:
        written = (out_dir / "summary.csv").stat().st_mtime_ns
    except OSError:
        return False
    for name in names:
        for marker in ("fingerprint.txt", "error.txt"):
            with contextlib.suppress(OSError):
                if (out_dir / name / marker).stat().st_mtime_ns > written:
                    return True
    return False


def _rewrite_summary(out_dir: Path, summary: Any, names: Sequence[str]) -> None:
    """summary.csv (and .xlsx) again from the result folders as they are now."""
    from railsim.batch.summary import SummaryRow, write_summary
    from railsim.results import read_resolved

    titles = {str(n): str(t) for n, t in zip(summary["scenario"], summary["title"],
                                               strict=True)}
    statuses = {str(n): str(s) for n, s in zip(summary["scenario"], summary["status"],
                                                 strict=True)}
    rows = []
    for name in names:
        folder = out_dir / name
        if has_failed(folder):
            status = "failed"
        elif (folder / "kpis.csv").exists():
            status = "ok"
        else:
            status = statuses.get(name, "failed")
        title = titles.get(name) or str(read_resolved(folder).get("title") or name)
        rows.append(SummaryRow(name, title, status, None if status == "failed" else folder))
    log.warning("summary.csv was older than the results of some scenarios (an interrupted "
                "run?): written again from the result folders")
    write_summary(out_dir, rows)


def _version() -> str:
    import railsim

    return railsim.__version__


REPORT_CHARTS = (*document.SHEET_CHARTS, *document.ANNEX_CHARTS)
"""The scenario charts the report embeds."""

WORKER_MODULES = ("pandas", "matplotlib.backends.backend_agg",
                  "matplotlib.backends.backend_svg", "PIL.Image", "railsim.plot.charts",
                  "railsim.report.builder")
"""What a worker drawing charts imports once when it starts."""

Pending = dict[str, "list[tuple[str, Future[dict[str, Compact]]]]"]
"""Scenario → its charts being drawn: (chart name, future of language → image)."""


def _draw_chart(folder: Path, name: str) -> dict[str, Compact]:
    from railsim.plot.charts import SCENARIO_CHARTS, kept_scenario_chart

    return kept_scenario_chart(folder, name, LANGS) if name in SCENARIO_CHARTS else {}


def _draw_batch_chart(out_dir: Path, name: str) -> dict[str, Compact]:
    from railsim.plot.charts import batch_chart

    return batch_chart(out_dir, name, LANGS)


def submit_charts(pool: Executor, folder: Path) -> list[tuple[str, Future[dict[str, Compact]]]]:
    """Start drawing the report's charts of one scenario folder on ``pool``, a task a
    chart (both languages): a batch hands them out as each scenario is written."""
    log.debug("charts of %s submitted", folder.name)
    return [(name, pool.submit(_draw_chart, folder, name)) for name in REPORT_CHARTS]


def _chart_pool(stack: contextlib.ExitStack, workers: int, start: bool = False) -> Executor:
    """A pool of ``workers`` processes drawing charts until ``stack`` closes, their log
    records (a damaged table's warning) replayed in this process, as a run's pool does."""
    from railsim import logs
    from railsim.parallel import event_queue, worker_pool

    events = event_queue()
    pool = stack.enter_context(worker_pool(workers, WORKER_MODULES, events, start=start))
    stack.enter_context(logs.listening(events))
    return pool


def draw_charts(out_dir: Path, names: Sequence[str], workers: int = 1,
                pool: Executor | None = None, pending: Pending | None = None
                ) -> dict[str, dict[str, dict[str, Compact]]]:
    """Scenario → chart → language → compact image, drawn in memory: a task a chart on
    ``pool``, or on a pool of ``workers`` processes started here (matplotlib is
    single-threaded), or in this process. ``pending`` are charts already submitted."""
    folders = [out_dir / name for name in names if (out_dir / name).is_dir()]
    pending = dict(pending or {})
    with contextlib.ExitStack() as stack:
        if pool is None and workers > 1 and folders:
            pool = _chart_pool(stack, workers)
        if pool is None:
            return {folder.name: {name: drawn for name in REPORT_CHARTS
                                  if (drawn := _draw_chart(folder, name))}
                    for folder in folders}
        for folder in folders:
            if folder.name not in pending:
                pending[folder.name] = submit_charts(pool, folder)
        try:
            return {folder.name: {name: drawn for name, future in pending[folder.name]
                                  if (drawn := future.result())}
                    for folder in folders}
        except BaseException:
            for futures in pending.values():
                for _, future in futures:
                    future.cancel()
            raise


def draw_batch_charts(out_dir: Path, pool: Executor | None = None,
                      pending: list[tuple[str, Future[dict[str, Compact]]]] | None = None
                      ) -> dict[str, dict[str, Compact]]:
    """The comparison charts, a task a chart on ``pool`` when given (``pending``: those
    already submitted with :func:`submit_batch_charts`)."""
    if pending is None and pool is not None:
        pending = submit_batch_charts(pool, out_dir)
    if pending is None:
        return {name: drawn for name in BATCH_CHART_NAMES
                if (drawn := _draw_batch_chart(out_dir, name))}
    return {name: drawn for name, future in pending if (drawn := future.result())}


def submit_batch_charts(pool: Executor, out_dir: Path
                        ) -> list[tuple[str, Future[dict[str, Compact]]]]:
    """Start drawing the comparison charts on ``pool``, a task a chart."""
    return [(name, pool.submit(_draw_batch_chart, out_dir, name))
            for name in BATCH_CHART_NAMES]


def charted_names(out_dir: Path, names: Sequence[str]) -> list[str]:
    """The scenarios whose charts the report shows: all of them, except back-casts beside
    options (the report shows those only in their own section, with the batch's chart
    of predicted against observed passengers) and failed ones (whose folder may keep
    the results of their last run that succeeded)."""
    apart = back_casts_apart(out_dir / name for name in names)
    return [name for name in names if name not in apart
            and not has_failed(out_dir / name)]


def build_report(out_dir: Path, charts: bool = True, workers: int = 1,
                 redraw: Collection[str] | None = None, pdf: bool = False,
                 chart_files: Sequence[str] = (), pool: Executor | None = None,
                 pending: Pending | None = None) -> Path:
    """Write ``report.fi.html``, ``report.en.html`` and ``report.html`` (the index) in
    ``out_dir``; return the index.

    The charts are drawn on ``pool`` when given (the run's pool; ``pending`` are those
    already submitted to it with :func:`submit_charts`), else on ``workers`` processes.

    ``charts`` False leaves the charts out (text and tables only, fast). ``pdf`` also
    prints ``report.fi.pdf`` and ``report.en.pdf`` with headless Chromium.
    ``chart_files`` ("png", "svg") also writes each chart as files under ``charts/``;
    ``redraw`` limits those files to these scenarios (others keep theirs unless they
    have none). Raises :class:`ReportError` for a folder without results.
    """
    out_dir = Path(out_dir)
    summary = read_summary(out_dir / "summary.csv") if out_dir.is_dir() else None
    names = scenario_names(out_dir, summary) if out_dir.is_dir() else []
    if not names:
        render(out_dir)  # raises the clear error
    check_results(out_dir, summary, names)
    if summary is not None and _summary_behind(out_dir, names):
        _rewrite_summary(out_dir, summary, names)
    drawn: dict[str, Any] = {}
    batch: dict[str, Any] = {}
    charted = charted_names(out_dir, names)
    prepared = None
    with contextlib.ExitStack() as stack:
        if pool is None and workers > 1 and (charts or chart_files):
            pool = _chart_pool(stack, workers, start=True)
        if charts:
            stage(log, "charts", f"{len(charted)} scenarios")
            drawn, batch, prepared = _all_charts(out_dir, charted, workers, pool, pending)
        if chart_files:
            write_chart_files(out_dir, names, chart_files, redraw, pool)
    stage(log, "report", str(out_dir))
    pages = render(out_dir, drawn, batch, prepared=prepared)
    for name, html in pages.items():
        write_text_atomic(out_dir / name, html)
    if pdf:
        from railsim.report.pdf import print_pdf

        for lang in LANGS:
            page = out_dir / document_name(lang)
            print_pdf(page, page.with_suffix(".pdf"))
    return out_dir / INDEX


def _all_charts(out_dir: Path, charted: Sequence[str], workers: int, pool: Executor | None,
                pending: Pending | None
                ) -> tuple[dict[str, dict[str, dict[str, Compact]]], dict[str, dict[str, Compact]],
                           Prepared | None]:
    """The scenarios' and the comparison charts; with a pool, also the report's facts,
    read here while its workers draw (else None)."""
    if pool is None:
        return (draw_charts(out_dir, charted, workers), draw_batch_charts(out_dir), None)
    pending = dict(pending or {})
    for name in charted:
        if name not in pending and (out_dir / name).is_dir():
            pending[name] = submit_charts(pool, out_dir / name)
    # the comparison charts queue behind the scenarios' charts, not after them: no
    # worker idles while the other draws the last scenario chart
    comparison = submit_batch_charts(pool, out_dir)
    try:
        prepared = prepare(out_dir)
    except BaseException:
        for futures in [*pending.values(), comparison]:
            for _, future in futures:
                future.cancel()
        raise
    return (draw_charts(out_dir, charted, workers, pool, pending),
            draw_batch_charts(out_dir, pool, comparison), prepared)


def _write_charts(folder: Path, formats: Sequence[str]) -> list[Path]:
    from railsim.plot import write_charts

    return write_charts(folder, formats=formats)


def _write_batch_charts(out_dir: Path, formats: Sequence[str]) -> list[Path]:
    from railsim.plot import write_batch_charts

    return write_batch_charts(out_dir, formats=formats)


def write_chart_files(out_dir: Path, names: Sequence[str], formats: Sequence[str],
                      redraw: Collection[str] | None = None, pool: Executor | None = None
                      ) -> list[Path]:
    """Each chart as files (``charts/<name>[.fi].png|svg``) of the scenarios and batch,
    a task a folder on ``pool`` when given (its workers share this file system)."""
    unknown = sorted(set(formats) - set(CHART_FORMATS))
    if unknown:
        raise ReportError(f"chart formats {unknown}: allowed {list(CHART_FORMATS)}")
    folders = [out_dir / name for name in names
               if (out_dir / name).is_dir() and not has_failed(out_dir / name)
               and (redraw is None or name in redraw
                    or not (out_dir / name / "charts").is_dir())]
    formats = tuple(formats)
    if pool is None:
        written = [path for folder in folders for path in _write_charts(folder, formats)]
        return written + _write_batch_charts(out_dir, formats)
    futures = [pool.submit(_write_charts, folder, formats) for folder in folders]
    futures.append(pool.submit(_write_batch_charts, out_dir, formats))
    return [path for future in futures for path in future.result()]

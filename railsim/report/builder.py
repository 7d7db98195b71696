"""The self-contained HTML report of a result folder, in Finnish and English.

Everything is inside the one file (charts as base64 PNG, CSS inline, no scripts), so
it can be mailed or archived and opened offline. The language switch is three radio
buttons and CSS, so it works with JavaScript off; by default both languages show.
Every string that comes from data or results is HTML-escaped.

A scenario's charts are redrawn when what they are drawn from changed or when they are
incomplete: ``charts/manifest.txt``, written once all of them are saved, holds a hash of
their inputs and the files drawn (a run killed while drawing leaves no manifest).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import os
import shutil
from collections.abc import Collection
from html import escape
from pathlib import Path

from railsim import numfmt
from railsim.plot import write_batch_charts, write_charts
from railsim.plot.charts import BATCH_CHARTS, SCENARIO_CHARTS, chart_stem
from railsim.report.facts import ScenarioFacts, scenario_facts, scenario_names, sentences
from railsim.report.sources import TableProvenance, provenance
from railsim.results import locked, read_result_table, remove_leftovers, write_text_atomic, writing
from railsim.texts import LANGS, text

MANIFEST = "manifest.txt"

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:1100px;padding:1em 2em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:2px solid #ccd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border:1px solid #ccd;padding:.3em .6em;vertical-align:top}
th{background:#eef}td.n{text-align:right;white-space:nowrap}
figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.9em;color:#555}pre{white-space:pre-wrap;background:#fee;padding:.8em}
.switch{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #ddd}
.switch label{margin-right:1.2em;cursor:pointer;padding:.2em .6em;border-radius:.3em}
.switch-input{position:absolute;opacity:0}
#show-both:checked~nav label[for=show-both],#show-fi:checked~nav label[for=show-fi],
#show-en:checked~nav label[for=show-en]{background:#dde;font-weight:bold}
.wide{overflow-x:auto}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:0 1.5em}
#show-fi:checked~main .lang-en,#show-en:checked~main .lang-fi{display:none}
.lang-fi+.lang-en{border-top:4px double #99a;margin-top:3em}
@media print{.switch,.switch-input{display:none}main .lang-fi,main .lang-en{display:block}}
"""

COLUMNS = (  # KPI (summary.csv column) → (header key, how to format it)
    ("capex_total_eur", "col_capex", "meur"),
    ("passengers_daily", "col_passengers", "int"),
    ("subsidy_per_passenger_eur", "col_subsidy", "one"),
    ("farebox_ratio", "col_farebox", "int"),  # already in per cent (facts.SHARE_KPIS)
    ("npv_financial_eur", "col_npv_financial", "meur"),
    ("npv_societal_eur", "col_npv_societal", "meur"),
    ("bcr", "col_bcr", "ratio"),
    ("punctuality_3min_pct", "col_punctuality", "one"),
    ("units_required", "col_units", "int"),
)
STATUS_KEYS = {"ok": "status_ok", "failed": "status_failed", "skipped": "status_skipped"}


def _cell(value: float | None, how: str, lang: str) -> str:
    if value is None:
        return "–"
    if how == "meur":
        return numfmt.number(value / 1e6, 1, lang)
    if how == "ratio":
        return numfmt.number(value, 2, lang)
    return numfmt.number(value, 1 if how == "one" else 0, lang)


def comparison_table(scenarios: list[ScenarioFacts], lang: str) -> str:
    """Headline numbers, one row per scenario, only the columns some scenario has.

    Built from the same values as the sentences (summary.csv row, then kpis.csv), so
    the table is there even when a run wrote no summary.csv.
    """
    if not scenarios:
        return f"<p>{escape(text('no_results', lang))}</p>"
    columns = [c for c in COLUMNS if any(c[0] in f.values for f in scenarios)]
    head = "".join(f"<th>{escape(text(key, lang))}</th>" for key in
                   ("col_scenario", "col_status", *(key for _, key, _ in columns)))
    rows = []
    for facts in scenarios:
        status = text(STATUS_KEYS[facts.status], lang) if facts.status in STATUS_KEYS \
            else facts.status
        cells = "".join(f'<td class="n">{escape(_cell(facts.values.get(col), how, lang))}</td>'
                        for col, _, how in columns)
        rows.append(f"<tr><td>{escape(facts.title)}</td><td>{escape(status)}</td>{cells}</tr>")
    return f'<div class="wide"><table><tr>{head}</tr>{"".join(rows)}</table></div>'


def _figure(stem: Path, caption: str) -> str:
    """An embedded chart, or nothing when it was not drawn."""
    png = stem.with_name(f"{stem.name}.png")
    if not png.is_file():
        return ""
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{escape(caption)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def _figures(folder: Path, names: list[str], lang: str) -> str:
    figures = "".join(_figure(chart_stem(folder, name, lang), text(f"cap_{name}", lang))
                      for name in names)
    return f'<div class="charts">{figures}</div>' if figures else ""


def scenario_section(facts: ScenarioFacts, lang: str) -> str:
    """Heading, plain-words summary, error (when failed) and charts of one scenario."""
    items = "".join(f"<li>{escape(s)}</li>" for s in sentences(facts, lang))
    parts = [f'<h3 id="{escape(facts.name)}-{lang}">{escape(facts.title)}</h3>',
             f"<p><strong>{escape(text('in_words', lang))}</strong></p><ul>{items}</ul>"]
    if facts.error:
        parts.append(f"<pre>{escape(facts.error)}</pre>")
    parts.append(_figures(facts.folder, list(SCENARIO_CHARTS), lang))
    return "".join(parts)


def sources_section(tables: list[TableProvenance], lang: str) -> str:
    """Status counts per data table and the list of estimates and assumptions."""
    from railsim.data import STATUSES

    head = "".join(f"<th>{escape(h)}</th>" for h in
                   (text("col_table", lang), text("col_rows", lang), *STATUSES))
    rows = []
    judgement = []
    for t in tables:
        if t.error:
            rows.append(f"<tr><td>{escape(t.path)}</td><td colspan=\"{len(STATUSES) + 1}\">"
                        f"{escape(text('data_error', lang, error=t.error))}</td></tr>")
            continue
        counts = "".join(f'<td class="n">{t.counts.get(s, 0)}</td>' for s in STATUSES)
        rows.append(f'<tr><td>{escape(t.path)}</td><td class="n">{sum(t.counts.values())}'
                    f"</td>{counts}</tr>")
        judgement += [(t.path, j) for j in t.judgement]
    listed = "".join(
        f"<tr><td>{escape(path)}</td><td>{escape(j['row'])}</td><td>{escape(j['status'])}</td>"
        f"<td>{escape(j['source'])}</td><td>{escape(j['notes'])}</td></tr>"
        for path, j in judgement)
    list_head = "".join(f"<th>{escape(h)}</th>" for h in (
        text("col_table", lang), text("col_row", lang), "status", text("col_source", lang),
        text("col_notes", lang)))
    return (f"<h2>{escape(text('data', lang))}</h2><p>{escape(text('data_intro', lang))}</p>"
            f"<table><tr>{head}</tr>{''.join(rows)}</table>"
            f"<details><summary>{escape(text('data_list', lang, count=str(len(judgement))))}"
            f'</summary><div class="wide"><table><tr>{list_head}</tr>{listed}</table></div>'
            "</details>")


def language_section(out_dir: Path, scenarios: list[ScenarioFacts],
                     tables: list[TableProvenance], lang: str) -> str:
    """The whole report in one language."""
    body = [f"<h1>{escape(text('title', lang))}</h1>",
            f"<p>{escape(text('intro', lang, folder=out_dir.resolve().name))}</p>",
            f"<h2>{escape(text('comparison', lang))}</h2>", comparison_table(scenarios, lang),
            _figures(out_dir, list(BATCH_CHARTS), lang),
            f"<h2>{escape(text('scenarios', lang))}</h2>",
            *(scenario_section(f, lang) for f in scenarios),
            sources_section(tables, lang)]
    return f'<section class="lang-{lang}" lang="{lang}">{"".join(body)}</section>'


def render(out_dir: Path) -> str:
    """The report's HTML from the tables and charts already in ``out_dir``."""
    summary = read_result_table(out_dir / "summary.csv")
    scenarios = [scenario_facts(out_dir, name, summary)
                 for name in scenario_names(out_dir, summary)]
    tables = provenance()
    switch = ('<input type="radio" name="lang" id="show-both" class="switch-input" checked>'
              '<input type="radio" name="lang" id="show-fi" class="switch-input">'
              '<input type="radio" name="lang" id="show-en" class="switch-input">'
              '<nav class="switch"><label for="show-both">suomi + English</label>'
              '<label for="show-fi">suomi</label><label for="show-en">English</label></nav>')
    sections = "".join(language_section(out_dir, scenarios, tables, lang)
                       for lang in LANGS)
    title = f"{text('title', 'fi')} / {text('title', 'en')}"
    return (f'<!DOCTYPE html>\n<html lang="fi"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
            f"<body>{switch}<main>{sections}</main></body></html>\n")


def _write_atomic(path: Path, content: str) -> None:
    """Write beside the target, then rename: a reader never sees half a report."""
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        staging.write_text(content, encoding="utf-8")
        os.replace(staging, path)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise


def build_report(out_dir: Path, charts: bool = True, workers: int = 1,
                 redraw: Collection[str] | None = None) -> Path:
    """(Re)draw the charts (unless ``charts`` is False) and write ``out_dir/report.html``.

    ``redraw`` limits redrawing to these scenarios and those whose charts are stale or
    incomplete (see the module notes); ``workers`` > 1 draws scenarios in parallel
    processes (matplotlib is single-threaded and a scenario's charts take seconds).
    The result folder is locked meanwhile (see :func:`railsim.results.locked`).
    """
    out_dir = Path(out_dir)
    with locked(out_dir):
        with writing(out_dir, "clear the leftovers of an interrupted run in"):
            remove_leftovers(out_dir)
        if charts:
            _draw_charts(out_dir, workers, redraw)
        path = out_dir / "report.html"
        _write_atomic(path, render(out_dir))
    return path


def _draw_charts(out_dir: Path, workers: int, redraw: Collection[str] | None) -> None:
    summary = read_result_table(out_dir / "summary.csv")
    batch_key = _batch_key(out_dir / "summary.csv")
    folders, keys = [], []
    for name in scenario_names(out_dir, summary):
        folder = out_dir / name
        if not folder.is_dir():
            continue
        key = _chart_inputs(folder, batch_key)
        if redraw is None or name in redraw or not charts_current(folder, key):
            folders.append(folder)
            keys.append(key)
    if workers > 1 and len(folders) > 1:
        from railsim.parallel import worker_pool

        with worker_pool(min(workers, len(folders))) as pool:
            drawn = list(pool.map(_redraw, folders))
    else:
        drawn = [_redraw(folder) for folder in folders]
    for folder, key, files in zip(folders, keys, drawn, strict=True):
        (folder / "charts").mkdir(exist_ok=True)  # a failed scenario has no chart at all
        write_text_atomic(folder / "charts" / MANIFEST, _manifest(key, folder, files))
    shutil.rmtree(out_dir / "charts", ignore_errors=True)  # no chart of a vanished scenario
    write_batch_charts(out_dir)


def _redraw(folder: Path) -> list[Path]:
    """A scenario's charts from scratch (no chart is left from an older set)."""
    shutil.rmtree(folder / "charts", ignore_errors=True)
    return write_charts(folder)


def _batch_key(summary_csv: Path) -> str:
    """What a scenario's charts take from summary.csv: the subsidy chart shows the batch."""
    if not summary_csv.is_file():
        return ""
    with summary_csv.open(encoding="utf-8", errors="replace", newline="") as stream:
        rows = [(row.get("scenario"), row.get("title"), row.get("status") in ("ok", "skipped"),
                 row.get("subsidy_per_passenger_eur")) for row in csv.DictReader(stream)]
    return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()


def _chart_inputs(folder: Path, batch_key: str) -> str:
    """sha256 of everything a scenario's charts are drawn from, the drawing code included."""
    import railsim.plot
    from railsim.batch.fingerprint import tree_hash

    digest = hashlib.sha256(f"{tree_hash(Path(railsim.plot.__file__).parent)}\0{batch_key}"
                            .encode())
    for path in sorted(folder.iterdir()):
        if path.is_file() and (path.suffix == ".csv" or path.name.endswith(".yaml")):
            digest.update(path.name.encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _manifest(key: str, folder: Path, files: list[Path]) -> str:
    names = sorted(path.relative_to(folder / "charts").as_posix() for path in files)
    return f"inputs: {key}\n" + "".join(f"{name}\n" for name in names)


def charts_current(folder: Path, key: str) -> bool:
    """Whether ``folder/charts`` is complete and drawn from inputs with this hash."""
    path = folder / "charts" / MANIFEST
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    if not lines or lines[0] != f"inputs: {key}":
        return False
    return all((folder / "charts" / name).is_file() for name in lines[1:])

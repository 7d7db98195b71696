"""The generated reference of the declarations: docs/result-tables.md."""

from __future__ import annotations

from collections.abc import Iterable

from railsim.outputs.declarations import KPI_WHEN, PRICE_YEAR, STATISTICS, WHEN, Kpi, ResultFile
from railsim.outputs.files import FILES
from railsim.outputs.kpis import KPIS
from railsim.outputs.summary import BATCH_FILES

DOC_PATH = "docs/result-tables.md"

_INTRO = """\
# Result tables

Generated from `railsim/outputs/` by `make docs`; do not edit by hand (a test fails when
it is stale, and railsim refuses to write a file, column or KPI not declared there).

`railsim run PATH... --out DIR` writes one folder per scenario plus batch-level files.
Charts and the report are drawn from these tables only; every column is listed here with
its unit. Money is in euros at the scenario's `costs.price_year` (the KPI units name it,
e.g. `EUR (2024)`); times of day are seconds after midnight of the service day (values
past 86 400 are after midnight). A table with nothing to list (say meetings.csv when no
trains cross) is written with its header only.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _unit(unit: str) -> str:
    return f"`{unit.replace(PRICE_YEAR, '<price_year>')}`" if unit else ""


def _when(spec: ResultFile) -> str:
    if spec.when == "setting":
        return f"only with `{spec.setting}`"
    return WHEN[spec.when]


def _file_overview(files: Iterable[ResultFile]) -> list[str]:
    lines = ["| file | written | contents |", "|---|---|---|"]
    for spec in files:
        lines.append(f"| `{spec.name}` | {_cell(_when(spec))} | {_cell(spec.description)} |")
    return [*lines, ""]


def _table_section(spec: ResultFile) -> list[str]:
    return [
        f"### `{spec.name}`", "",
        f"Written {_when(spec)}. One row is {spec.row}.", "",
        "| column | type | unit | meaning |", "|---|---|---|---|",
        *(f"| `{c.name}` | {c.dtype} | {_unit(c.unit)} | {_cell(c.description)} |"
          for c in spec.columns),
        "",
    ]


def _kpi_when(k: Kpi) -> str:
    return k.condition if k.when == "conditional" else KPI_WHEN[k.when]


def result_tables_markdown() -> str:
    """The text of docs/result-tables.md: every declared file, column and KPI."""
    lines = [_INTRO, "## Batch level: `DIR/`", ""]
    lines += _file_overview(BATCH_FILES.values())
    lines += [line for spec in BATCH_FILES.values() if spec.is_table
              for line in _table_section(spec)]
    lines += ["## Per scenario: `DIR/<scenario>/`", ""]
    lines += _file_overview(FILES.values())
    lines += [line for spec in FILES.values() if spec.is_table
              for line in _table_section(spec)]
    lines += [
        "## KPIs (`kpis.csv`)", "",
        "Each KPI is one or more rows of kpis.csv, one per statistic:", "",
        *(f"* `{name}`: {text}" for name, text in STATISTICS.items()),
        "",
        "`<price_year>` in a unit is the scenario's `costs.price_year`; `<from>` and `<to>` "
        "in a name are station ids, `<municipality>` a municipality's name.", "",
        "| variable | unit | statistics | reported for | meaning |", "|---|---|---|---|---|",
        *(f"| `{k.name}` | {_unit(k.unit)} | {', '.join(k.statistics)} | "
          f"{_cell(_kpi_when(k))} | {_cell(k.description)} |" for k in KPIS),
    ]
    return "\n".join(lines) + "\n"

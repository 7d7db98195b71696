"""The shapes of the output declarations: columns, result files and KPIs, with the
statistics they carry and when they are written."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

PRICE_YEAR = "{price_year}"
"""Placeholder in a unit for the scenario's ``costs.price_year``: ``EUR ({price_year})``."""

DTYPES = ("str", "float", "int", "bool")

CHARTS = "charts/<chart>[.fi].{png,svg}"
"""The chart files of a folder: ``charts/<chart>.png`` and ``.svg`` in English, ``.fi.png``
and ``.fi.svg`` in Finnish."""

# When a file is written ("written ..."). Evaluation.tables() gives the first three
# whenever they apply; the others may be there.
WHEN = {
    "always": "for every evaluated scenario",
    "rail": "for rail scenarios (not the do-minimum)",
    "weekday": "for rail scenarios with a weekday service (the simulated day)",
    "setting": "only when a scenario setting asks for it",
    "failed": "only when the scenario failed",
    "batch": "by `railsim run` once the results are complete",
    "report": "by `railsim run` (unless `--no-report`) and `railsim report`",
    "pdf": "by `railsim report DIR --pdf` (headless Chromium)",
    "charts": "only when asked: `railsim report DIR --charts png,svg` (or `railsim run "
              "--charts`)",
}

# When a KPI is reported; a "conditional" KPI says when in its own `condition`.
KPI_WHEN = {
    "always": "every scenario",
    "rail": "rail scenarios",
    "weekday": "rail scenarios with a weekday service",
    "conditional": "",
}

VALUE = ("value",)
"""A deterministic KPI: one row."""
SIMULATED = ("mean", "p10", "p50", "p90", "ci95_low", "ci95_high")
"""Over the simulated days: mean, percentiles and the 95 % confidence interval of the mean."""
DRAWN = ("value", "mean", "p10", "p50", "p90")
"""Central estimate (``value``, inputs at their base) and, for rail scenarios, the mean
and percentiles over the ``uncertainty.draws``."""

STATISTICS = {
    "value": "deterministic value, or the central estimate of an uncertain KPI",
    "mean": "mean over simulated days or uncertainty draws",
    "p10": "10th percentile over simulated days or uncertainty draws",
    "p50": "median over simulated days or uncertainty draws",
    "p90": "90th percentile over simulated days or uncertainty draws",
    "ci95_low": "lower end of the 95 % confidence interval of the mean (Student's t over "
                "the simulated days, not below 0; empty from a single day)",
    "ci95_high": "upper end of the 95 % confidence interval of the mean (Student's t over "
                 "the simulated days, not above 100 % for shares; empty from a single day)",
}


class OutputDeclarationError(Exception):
    """Railsim wrote a file, column or KPI that this module does not declare (a bug)."""


@dataclass(frozen=True)
class Column:
    """One column of a result table: name, type (str, float, int, bool), unit, meaning."""

    name: str
    dtype: str
    unit: str
    description: str


@dataclass(frozen=True)
class ResultFile:
    """A declared output file: name, level, when it is written, contents, columns.

    ``name`` is relative to the scenario folder (``level`` "scenario") or to the batch
    folder (``level`` "batch"); :data:`CHARTS` stands for the chart files.
    """

    name: str
    level: str
    when: str
    description: str
    row: str = ""
    """What one row is (tables only)."""
    columns: tuple[Column, ...] = ()
    setting: str = ""
    """The scenario setting that switches an optional file on (``when`` "setting")."""

    @property
    def is_table(self) -> bool:
        return self.name.endswith(".csv")

    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def descriptions(self) -> dict[str, str]:
        """Column name → meaning, in column order."""
        return {c.name: c.description for c in self.columns}

    def matches(self, path: str) -> bool:
        if self.name == CHARTS:
            return re.fullmatch(r"charts/[A-Za-z0-9_]+(\.fi)?\.(png|svg)", path) is not None
        return path == self.name


@dataclass(frozen=True)
class Kpi:
    """A KPI variable of kpis.csv, or a family of them (``<placeholder>`` in the name).

    ``unit`` is the exact string written; ``{price_year}`` in it stands for the
    scenario's ``costs.price_year``.
    """

    name: str
    unit: str
    statistics: tuple[str, ...]
    when: str
    description: str
    condition: str = ""
    """For ``when`` "conditional": when the KPI is reported."""

    @property
    def is_family(self) -> bool:
        return "<" in self.name

    def matches(self, variable: str) -> bool:
        if not self.is_family:
            return variable == self.name
        return re.fullmatch(wildcards(self.name, PLACEHOLDERS), variable) is not None

    def unit_for(self, price_year: int) -> str:
        return self.unit.replace(PRICE_YEAR, str(price_year))

    def unit_matches(self, unit: str, price_year: int | None = None) -> bool:
        if price_year is not None:
            return unit == self.unit_for(price_year)
        pattern = re.escape(self.unit).replace(re.escape(PRICE_YEAR), r"\d{4}")
        return re.fullmatch(pattern, unit) is not None


PLACEHOLDERS = {
    "from": r"[A-Z][A-Z0-9_]*",
    "to": r"[A-Z][A-Z0-9_]*",
    "municipality": r".+",
}
"""What a ``<placeholder>`` of a KPI family stands for (station ids as in the schema)."""


def wildcards(name: str, placeholders: Mapping[str, str]) -> str:
    """A regular expression for ``name`` with each ``<placeholder>`` as its pattern."""
    parts = re.split(r"<(\w+)>", name)
    return "".join(re.escape(p) if k % 2 == 0 else f"(?:{placeholders[p]})"
                   for k, p in enumerate(parts))


def column(name: str, dtype: str, unit: str, description: str) -> Column:
    """A declared column (short to write: the declarations are long lists of them)."""
    return Column(name, dtype, unit, description)


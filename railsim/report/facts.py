"""What the report knows about each scenario: headline numbers, status, titles, tables.

Numbers come from the scenario's kpis.csv, with its row of summary.csv filling gaps,
so a folder with either one still gets its summary. Titles per language come from
scenario.resolved.yaml (``title_fi``, ``title_en``, else ``title``).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from railsim import numfmt
from railsim.report.breakeven import BreakEven, break_even
from railsim.results import headline_kpis, read_part_table, read_resolved, read_result_table

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import pandas as pd

SHARE_KPIS = ("farebox_ratio", "prob_npv_societal_positive")
"""KPIs that are a fraction (0–1) unless their unit says per cent."""
MUNICIPAL_SUBSIDY = "subsidy_annual_eur_"
"""Prefix of the KPI family of the municipalities' shares of the yearly subsidy."""


@dataclass
class ScenarioFacts:
    """One scenario folder as the report sees it."""

    name: str
    title: str
    status: str
    folder: Path
    error: str = ""
    values: dict[str, float] = field(default_factory=dict)
    """Headline KPIs (summary.csv's choice of statistic; shares in per cent)."""
    titles: dict[str, str] = field(default_factory=dict)
    """Title per language (where the scenario gives one)."""
    statistics: dict[str, dict[str, float]] = field(default_factory=dict)
    """Every KPI of kpis.csv: variable → statistic → value."""
    resolved: dict[str, Any] = field(default_factory=dict)
    """scenario.resolved.yaml (empty when missing)."""
    fingerprint: str = ""
    """Short hash of what the results were computed from (fingerprint.txt, else kpis.csv)."""
    break_even: BreakEven | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Optional tables the report uses when they exist (OPTIONAL_TABLES)."""

    def title_in(self, lang: str) -> str:
        return self.titles.get(lang) or self.title

    @property
    def is_rail(self) -> bool:
        """A scenario with a service and costs (not the do-minimum, not failed)."""
        return "capex_total_eur" in self.values and self.status != "failed"

    def stat(self, variable: str, statistic: str = "value") -> float | None:
        return self.statistics.get(variable, {}).get(statistic)

    @property
    def municipal_subsidy(self) -> dict[str, float]:
        """Municipality → its share of the yearly operating subsidy (EUR/yr)."""
        return {name.removeprefix(MUNICIPAL_SUBSIDY): by["value"]
                for name, by in self.statistics.items()
                if name.startswith(MUNICIPAL_SUBSIDY) and "value" in by}

    def setting(self, *path: str) -> Any:
        """A value of scenario.resolved.yaml by its path, or None."""
        node: Any = self.resolved
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        return node


OPTIONAL_TABLES = ("tornado", "sobol", "effects", "validation")
"""Tables used when a scenario folder has them (effects: the appraisal by party;
validation: observed against predicted boardings)."""


def _share_pct(value: float, unit: str) -> float:
    return value if "%" in unit or "pct" in unit else value * 100


def _from_summary(row: pd.Series | None) -> dict[str, float]:
    if row is None:
        return {}
    return {str(k): float(v) for k, v in row.items()
            if k not in ("scenario", "title", "status") and numfmt.is_number(v)}


def scenario_names(out_dir: Path, summary: pd.DataFrame | None) -> list[str]:
    """Scenarios in summary.csv order, then any other result folders found, by name."""
    listed = [str(s) for s in summary["scenario"]] if summary is not None else []
    found = sorted(p.name for p in out_dir.iterdir() if p.is_dir()
                   and not p.name.startswith(".") and p.name != "charts"
                   and any((p / f).exists() for f in ("kpis.csv", "error.txt",
                                                      "scenario.resolved.yaml")))
    return listed + [name for name in found if name not in listed]


def _statistics(kpis: pd.DataFrame | None) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    if kpis is None:
        return out
    for variable, statistic, value in zip(kpis["variable"], kpis["statistic"], kpis["value"],
                                          strict=True):
        if numfmt.is_number(value):
            out.setdefault(str(variable), {})[str(statistic)] = float(value)
    return out


def _fingerprint(folder: Path) -> str:
    for name in ("fingerprint.txt", "kpis.csv", "error.txt"):
        path = folder / name
        if path.is_file():
            return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return ""


def scenario_facts(out_dir: Path, name: str, summary: pd.DataFrame | None) -> ScenarioFacts:
    """The numbers, status, titles, break-even and optional tables of one scenario."""
    folder = out_dir / name
    row = None
    if summary is not None:
        rows = summary[summary["scenario"].astype(str) == name]
        row = rows.iloc[0] if len(rows) else None
    title = row.get("title") if row is not None else None
    error_file = folder / "error.txt"
    error = error_file.read_text(encoding="utf-8", errors="replace") if error_file.is_file() \
        else ""
    status = str(row["status"]) if row is not None and isinstance(row.get("status"), str) \
        else ("failed" if error else "ok")
    if error:
        # a failed scenario may keep the results of its last run that succeeded (they
        # are not its results now): the report shows its error, and none of them
        return ScenarioFacts(name, title if isinstance(title, str) and title else name,
                             "failed", folder, error)
    values = _from_summary(row)
    kpis = read_result_table(folder / "kpis.csv")
    if kpis is not None:
        for variable, (value, unit) in headline_kpis(kpis).items():
            values[variable] = _share_pct(value, unit) if variable in SHARE_KPIS else value
    for variable in SHARE_KPIS:  # summary.csv has no units: its shares are fractions
        if variable in values and (kpis is None or variable not in headline_kpis(kpis)):
            values[variable] *= 100
    resolved = read_resolved(folder)
    if not (isinstance(title, str) and title):
        title = _text(resolved.get("title")) or name
    titles = {lang: found for lang in ("fi", "en")
              if (found := _text(resolved.get(f"title_{lang}")))}
    statistics = _statistics(kpis)
    cashflows = _complete(folder / "cashflows.csv")
    headline = {k: v for k, (v, _) in headline_kpis(kpis).items()} if kpis is not None else {}
    tables = {t: frame for t in OPTIONAL_TABLES
              if (frame := _complete(folder / f"{t}.csv")) is not None}
    return ScenarioFacts(name, title, status, folder, error, values, titles, statistics,
                         resolved, _fingerprint(folder),
                         break_even(cashflows, headline) if cashflows is not None else None,
                         tables)


REPORT_COLUMNS = {
    "cashflows.csv": ("discount_factor", "discounted_net_societal_eur"),
    "tornado.csv": ("input", "npv_societal_low_eur", "npv_societal_high_eur",
                    "base_npv_societal_eur"),
}
"""Columns the report computes with, of tables whose other columns it takes when there
(older railsims wrote fewer)."""


def _complete(path: Path) -> pd.DataFrame | None:
    """A table the report computes with, or None when it is missing, empty, damaged (text
    in a number column, a line that is not CSV) or lacks a column of
    :data:`REPORT_COLUMNS` (cut or edited by hand in a folder taken as it is): the report
    leaves its part out, with a warning naming the file (and line), instead of failing;
    a tornado bar lacking a value is left out alone."""
    frame = read_part_table(path, f"what it shows of {path.name}")
    if frame is None:
        return None
    missing = [c for c in REPORT_COLUMNS.get(path.name, ()) if c not in frame.columns]
    if missing:
        log.warning("%s: columns %s missing; the report leaves out what it shows", path,
                    ", ".join(missing))
        return None
    if path.name == "tornado.csv":
        # a bar cut short (a row without its ends) would break the sentences that rank
        # the bars; the other bars still stand
        cut = frame[list(REPORT_COLUMNS[path.name])].isna().any(axis=1)
        if cut.any():
            log.warning("%s: lines %s lack a value; the report leaves them out", path,
                        ", ".join(str(int(i) + 2) for i in frame.index[cut]))
            frame = frame[~cut].reset_index(drop=True)
    return frame


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None



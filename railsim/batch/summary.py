"""``DIR/summary.csv``: one row per scenario of a batch with its headline KPIs.

Values are copied as text from each scenario's ``kpis.csv``, so the summary holds exactly
the numbers of the result folders (no float reformatting) whatever ran them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from railsim.outputs import BATCH_FILES, SUMMARY_KPIS
from railsim.results import write_text_atomic

SUMMARY_FILE = "summary.csv"

# Headline KPIs as columns: declared in railsim/outputs.py (add a name there to add one).
SUMMARY_COLUMNS = BATCH_FILES[SUMMARY_FILE].column_names()

# Which statistic stands for a KPI: the deterministic value, else the mean of an uncertain one.
_PREFERRED_STATISTICS = ("value", "mean")


@dataclass(frozen=True)
class SummaryRow:
    scenario: str
    title: str
    status: str
    folder: Path | None
    """Result folder whose kpis.csv supplies the KPIs (None for a failed scenario)."""


def headline_kpis(kpis_csv: Path) -> dict[str, str]:
    """The summary's KPI values from one ``kpis.csv`` (missing file or KPI: left out)."""
    if not kpis_csv.is_file():
        return {}
    found: dict[str, dict[str, str]] = {}
    with kpis_csv.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            if row.get("variable") in SUMMARY_KPIS:
                found.setdefault(row["variable"], {})[row.get("statistic", "")] = row["value"]
    values = {}
    for variable, by_statistic in found.items():
        for statistic in _PREFERRED_STATISTICS:
            if statistic in by_statistic:
                values[variable] = by_statistic[statistic]
                break
    return values


def summary_text(rows: Iterable[SummaryRow]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        kpis = headline_kpis(row.folder / "kpis.csv") if row.folder is not None else {}
        writer.writerow({"scenario": row.scenario, "title": row.title, "status": row.status,
                         **kpis})
    return buffer.getvalue()


def write_summary(out: Path, rows: Iterable[SummaryRow]) -> Path:
    """Write ``out/summary.csv`` atomically; return its path."""
    path = out / SUMMARY_FILE
    write_text_atomic(path, summary_text(rows))
    return path

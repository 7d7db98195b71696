"""``DIR/summary.csv`` and ``DIR/summary.xlsx``: one row per scenario of a batch.

The numbers are the headline KPIs of each scenario's ``kpis.csv`` (columns declared in
:data:`railsim.outputs.SUMMARY_NUMBERS`), rounded to three significant digits and scaled
to the unit the column name says, with the scenario's role (do-minimum or option), its
rank by societal NPV and the differences to the batch's do-minimum. :func:`read_summary`
turns the table back into KPI names and units for the charts and the report.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from railsim.outputs import (
    BATCH_FILES,
    PRICE_YEAR,
    SUMMARY_KPIS,
    SUMMARY_NUMBERS,
    SUMMARY_SIGNIFICANT_DIGITS,
    SummaryColumn,
)
from railsim.results import (
    read_resolved,
    read_result_table,
    write_bytes_atomic,
    write_text_atomic,
)

if TYPE_CHECKING:
    import pandas as pd

SUMMARY_FILE = "summary.csv"
WORKBOOK_FILE = "summary.xlsx"

SUMMARY_COLUMNS = BATCH_FILES[SUMMARY_FILE].column_names()
"""All columns of summary.csv, in order (declared in railsim/outputs/)."""
TEXT_COLUMNS = ("scenario", "title", "status", "role")
RANK_COLUMN = "rank_npv_societal"
PRICE_YEAR_COLUMN = "price_year"
_WHOLE = (RANK_COLUMN, PRICE_YEAR_COLUMN)
"""Columns of whole numbers (the others are floats)."""
DO_MINIMUM, OPTION, BACK_CAST = "do-minimum", "option", "back-cast"

# Values this close to zero are float noise of sums that cancel (a do-minimum's modal
# shifts of 1e-14 trips), not numbers to print with fifteen decimals.
_NOISE = 1e-9


@dataclass(frozen=True)
class SummaryRow:
    scenario: str
    title: str
    status: str
    folder: Path | None
    """Result folder whose kpis.csv supplies the KPIs (None for a failed scenario)."""


@dataclass(frozen=True)
class SummaryEntry:
    """The numbers of one summary row, however they were obtained."""

    scenario: str
    title: str
    status: str
    role: str = ""
    """``do-minimum``, ``option`` or "" (unknown: the scenario failed before resolving)."""
    statistics: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    """KPI → statistic → value, as in kpis.csv."""
    price_year: int | None = None


def significant(value: float, digits: int = SUMMARY_SIGNIFICANT_DIGITS) -> str:
    """``value`` as text rounded to ``digits`` significant digits, without exponent.

    >>> significant(92469121.52888224), significant(5.747), significant(-0.0159629)
    ('92500000', '5.75', '-0.0160')
    >>> significant(9.0), significant(-1.5e-14), significant(0.99999)
    ('9', '0', '1.00')
    """
    if not math.isfinite(value):
        return ""
    if abs(value) < _NOISE:
        return "0"
    if float(value).is_integer() and abs(value) < 10 ** digits:
        return str(int(value))  # a count (train units) is exact
    decimals = digits - 1 - math.floor(math.log10(abs(value)))
    rounded = round(value, decimals)
    if rounded != 0:  # 0.99999 rounds up to 1.00: count the digits of the rounded value
        decimals = digits - 1 - math.floor(math.log10(abs(rounded)))
        rounded = round(value, decimals)
    text = f"{rounded:.{max(decimals, 0)}f}"
    return "0" if float(text) == 0 else text


def kpi_statistics(kpis_csv: Path) -> tuple[dict[str, dict[str, float]], int | None]:
    """The summary's KPIs from one ``kpis.csv``: KPI → statistic → value, and the price
    year its money units name (missing file or KPI: left out)."""
    found: dict[str, dict[str, float]] = {}
    price_year = None
    if not kpis_csv.is_file():
        return found, price_year
    with kpis_csv.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            variable = row.get("variable", "")
            if variable not in SUMMARY_KPIS:
                continue
            try:
                value = float(row.get("value", ""))
            except ValueError:
                continue
            found.setdefault(variable, {})[row.get("statistic", "")] = value
            unit = row.get("unit", "")
            if price_year is None and unit.startswith("EUR") and unit.endswith(")"):
                year = unit[unit.rfind("(") + 1:-1]
                price_year = int(year) if year.isdigit() else None
    return found, price_year


def scenario_role(folder: Path) -> str:
    """``do-minimum`` when the resolved scenario runs no train, ``back-cast`` when it runs
    today's service at the operator's observed fares (a check of the model against
    counts, not an option), ``option`` otherwise; "" when the folder has no readable
    resolved scenario."""
    resolved = read_resolved(folder)
    if not resolved:
        return ""
    service = resolved.get("service")
    lines = service.get("lines") if isinstance(service, dict) else None
    if not lines:
        return DO_MINIMUM
    return BACK_CAST if is_back_cast(resolved) else OPTION


def back_casts_apart(folders: Iterable[Path]) -> set[str]:
    """The names of the back-cast folders to keep apart from the options: all back-casts
    when the batch also has an option (a folder with a resolved scenario that is not a
    back-cast), none when it has only back-casts (they are then its subject). A failed
    scenario, without a resolved file, counts as neither."""
    kinds = {}
    for folder in folders:
        resolved = read_resolved(folder)
        if resolved:
            kinds[folder.name] = is_back_cast(resolved)
    back_casts = {name for name, back_cast in kinds.items() if back_cast}
    return back_casts if len(back_casts) < len(kinds) else set()


def is_back_cast(resolved: dict[str, Any]) -> bool:
    """A resolved scenario (plain data) that is a back-cast of an existing service: its
    fares are the operator's observed ones (``demand.fares.policy: observed``)."""
    demand = resolved.get("demand")
    fares = demand.get("fares") if isinstance(demand, dict) else None
    return isinstance(fares, dict) and fares.get("policy") == "observed"


def entry(row: SummaryRow) -> SummaryEntry:
    """The numbers of a batch row from its result folder."""
    if row.folder is None:
        return SummaryEntry(row.scenario, row.title, row.status)
    statistics, price_year = kpi_statistics(row.folder / "kpis.csv")
    return SummaryEntry(row.scenario, row.title, row.status, scenario_role(row.folder),
                        statistics, price_year)


def _number(entry: SummaryEntry, column: SummaryColumn) -> float | None:
    value = entry.statistics.get(column.kpi, {}).get(column.statistic)
    return None if value is None or not math.isfinite(value) else value


def _ranks(entries: Sequence[SummaryEntry]) -> dict[int, int]:
    """Row index → rank by central societal NPV among the options that ran (1 = best)."""
    npv = next(c for c in SUMMARY_NUMBERS if c.kpi == "npv_societal_eur"
               and c.statistic == "value")
    values = {i: v for i, e in enumerate(entries)
              if e.role == OPTION and e.status == "ok" and (v := _number(e, npv)) is not None}
    return {i: 1 + sum(other > v for other in values.values()) for i, v in values.items()}


def _reference(entries: Sequence[SummaryEntry]) -> SummaryEntry | None:
    """The batch's do-minimum: the one scenario that runs no train (none if not exactly
    one, as the differences would be ambiguous)."""
    found = [e for e in entries if e.role == DO_MINIMUM and e.status == "ok"]
    return found[0] if len(found) == 1 else None


def summary_records(entries: Sequence[SummaryEntry]) -> list[dict[str, str]]:
    """The rows of summary.csv as text, column name → cell."""
    ranks = _ranks(entries)
    reference = _reference(entries)
    records = []
    for i, e in enumerate(entries):
        record = {"scenario": e.scenario, "title": e.title, "status": e.status,
                  "role": e.role, RANK_COLUMN: str(ranks[i]) if i in ranks else "",
                  PRICE_YEAR_COLUMN: "" if e.price_year is None else str(e.price_year)}
        for column in SUMMARY_NUMBERS:
            value = _number(e, column)
            if column.versus_do_minimum:
                base = _number(reference, column) if reference is not None else None
                value = None if value is None or base is None else value - base
            record[column.name] = "" if value is None else significant(value * column.scale)
        records.append(record)
    return records


def summary_text(records: Iterable[Mapping[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


def column_units(price_year: int | None) -> dict[str, str]:
    """Column name → unit, the price year filled in (or named) in money units."""
    year = str(price_year) if price_year is not None else "the row's price_year"
    spec = BATCH_FILES[SUMMARY_FILE]
    return {c.name: c.unit.replace(PRICE_YEAR, year) for c in spec.columns}


def write_summary(out: Path, rows: Iterable[SummaryRow]) -> Path:
    """Write ``out/summary.csv`` and ``out/summary.xlsx`` atomically; return the CSV's
    path."""
    entries = [entry(row) for row in rows]
    return write_summary_entries(out, entries)


def write_summary_entries(out: Path, entries: Sequence[SummaryEntry]) -> Path:
    records = summary_records(entries)
    years = {e.price_year for e in entries if e.price_year is not None}
    # both made before either is written: a run stopped while the workbook is made
    # (a good part of a second) leaves the two as they were, not a new CSV beside an old
    # workbook
    workbook = workbook_bytes(records, years.pop() if len(years) == 1 else None)
    path = out / SUMMARY_FILE
    write_text_atomic(path, summary_text(records))
    write_bytes_atomic(out / WORKBOOK_FILE, workbook)
    return path


def workbook_bytes(records: Sequence[Mapping[str, str]], price_year: int | None) -> bytes:
    """summary.xlsx: sheet ``summary`` (the table, numbers as numbers) and sheet ``columns``
    (unit, statistic and meaning of each column). The same rows give the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    spec = BATCH_FILES[SUMMARY_FILE]
    units = column_units(price_year)
    numbers = {c.name for c in SUMMARY_NUMBERS} | set(_WHOLE)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "summary"
    sheet.append(list(SUMMARY_COLUMNS))
    for record in records:
        sheet.append([(float(record[c]) if c not in _WHOLE else int(record[c]))
                      if c in numbers and record.get(c) else (record.get(c) or None)
                      for c in SUMMARY_COLUMNS])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # openpyxl reads text starting with "=" as a formula
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, name in enumerate(SUMMARY_COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        width = max([len(name)] + [len(str(r.get(name, ""))) for r in records])
        sheet.column_dimensions[letter].width = min(60, width + 2)
    described = book.create_sheet("columns")
    described.append(["column", "unit", "statistic", "meaning"])
    basis = {c.name: c.basis for c in SUMMARY_NUMBERS}
    for column in spec.columns:
        described.append([column.name, units[column.name] or None,
                          basis.get(column.name), column.description])
    for cell in described[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (36, 24, 28, 100), strict=True):
        described.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible_zip(buffer.getvalue())


# openpyxl stamps the save time into docProps/core.xml and every zip entry; a fixed stamp
# makes the file depend on its content only (reruns compare byte for byte).
_EPOCH = (2000, 1, 1, 0, 0, 0)
_EPOCH_ISO = "2000-01-01T00:00:00Z"


def _reproducible_zip(data: bytes) -> bytes:
    import re

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                                 rb"\g<1>" + _EPOCH_ISO.encode(), content)
            stamped = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            stamped.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stamped, content)
    return buffer.getvalue()


def read_summary(path: Path) -> pd.DataFrame | None:
    """summary.csv with each headline column back under its KPI name and unit (what the
    charts and the report use), or None when there is none.

    A summary written by an earlier railsim (KPI names as columns) reads as it is.
    """
    frame = read_result_table(path)
    if frame is None:
        return None
    for column in SUMMARY_NUMBERS:
        if column.headline and column.name in frame and column.kpi not in frame:
            frame[column.kpi] = frame[column.name] / column.scale
    return frame

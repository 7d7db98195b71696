"""Declared outputs: every result file, its columns and units, and every KPI of kpis.csv.

As :mod:`railsim.data` declares the input tables, this module declares what railsim
writes, once: each file of a scenario's result folder and of the batch folder (when it
is written, what a row is, each column with type, unit and meaning) and each KPI
variable (unit, statistics, meaning). ``docs/result-tables.md`` is generated from it
(``make docs``), and :meth:`railsim.evaluate.Evaluation.tables` checks every table and
KPI row against it, so an undeclared output is a bug found by the tests, not a surprise
for a reader of the results.

The declarations are split by what they declare: the shapes (:mod:`.declarations`), the
scenario folder's files (:mod:`.files`), the KPIs (:mod:`.kpis`), summary.csv and the batch
folder (:mod:`.summary`), look-ups and checks (:mod:`.checks`) and the generated reference
(:mod:`.reference`); this module is their one import for the rest of railsim.

Standard library only, so the docs and the light layers can use it without pandas.
"""

from railsim.outputs.checks import (
    check_files,
    check_kpi_rows,
    column_names,
    descriptions,
    kpi,
    ordered,
    required_files,
    result_file,
)
from railsim.outputs.declarations import (
    CHARTS,
    DRAWN,
    DTYPES,
    KPI_WHEN,
    PLACEHOLDERS,
    PRICE_YEAR,
    SIMULATED,
    STATISTICS,
    VALUE,
    WHEN,
    Column,
    Kpi,
    OutputDeclarationError,
    ResultFile,
)
from railsim.outputs.files import FILES
from railsim.outputs.kpis import KPIS
from railsim.outputs.reference import DOC_PATH, result_tables_markdown
from railsim.outputs.summary import (
    BATCH_FILES,
    SUMMARY_KPIS,
    SUMMARY_NUMBERS,
    SUMMARY_SIGNIFICANT_DIGITS,
    SummaryColumn,
)

__all__ = [
    "BATCH_FILES", "CHARTS", "DOC_PATH", "DRAWN", "DTYPES", "FILES", "KPIS", "KPI_WHEN",
    "PLACEHOLDERS", "PRICE_YEAR", "SIMULATED", "STATISTICS", "SUMMARY_KPIS",
    "SUMMARY_NUMBERS", "SUMMARY_SIGNIFICANT_DIGITS", "VALUE", "WHEN", "Column", "Kpi",
    "OutputDeclarationError", "ResultFile", "SummaryColumn", "check_files",
    "check_kpi_rows", "column_names", "descriptions", "kpi", "ordered", "required_files",
    "result_file", "result_tables_markdown",
]

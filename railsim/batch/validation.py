"""``DIR/validation.csv``: every scenario's back-cast rows (observed station counts against
the forecast), one table for the batch.

Rows are copied as text from each scenario's ``validation.csv``, so the batch file holds
exactly the numbers of the result folders, as :mod:`railsim.batch.summary` does.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from railsim.outputs import BATCH_FILES

VALIDATION_FILE = "validation.csv"
VALIDATION_COLUMNS = BATCH_FILES[VALIDATION_FILE].column_names()


def validation_text(folders: Iterable[tuple[str, Path | None]]) -> str:
    """The batch table from ``(scenario, result folder)`` pairs (None: failed, no rows)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=VALIDATION_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for scenario, folder in folders:
        path = folder / VALIDATION_FILE if folder is not None else None
        if path is None or not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                writer.writerow({"scenario": scenario, **row})
    return buffer.getvalue()

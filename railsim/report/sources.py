"""Provenance of the inputs: status counts per data table and the rows that are judgement.

Read from the declared data tables (railsim.data), so the report states exactly what the
run used, including RAILSIM_DATA when set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from railsim.data import STATUSES, TABLES, read_table
from railsim.errors import RailsimError

JUDGEMENT = ("ESTIMATE", "ASSUMPTION")
"""Statuses a reader should know were not read in a source."""


@dataclass
class TableProvenance:
    """One data table: where it lives, its status counts, its judgement rows."""

    name: str
    path: str
    counts: dict[str, int] = field(default_factory=dict)
    judgement: list[dict[str, str]] = field(default_factory=list)
    error: str = ""


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value)  # NaN != NaN


def provenance() -> list[TableProvenance]:
    """Every declared table; a table that cannot be read carries its error instead."""
    out = []
    for name, spec in TABLES.items():
        entry = TableProvenance(name, spec.path)
        try:
            frame = read_table(name)
        except (RailsimError, OSError) as exc:
            entry.error = str(exc)
            out.append(entry)
            continue
        entry.counts = {s: int((frame["status"] == s).sum()) for s in STATUSES}
        for _, row in frame[frame["status"].isin(JUDGEMENT)].iterrows():
            entry.judgement.append({
                "row": " / ".join(_text(row[k]) for k in spec.key),
                "status": _text(row["status"]),
                "source": _text(row["source"]),
                "notes": _text(row.get("notes")),
            })
        out.append(entry)
    return out

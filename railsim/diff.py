"""What differs between two scenarios or two result folders (``railsim diff A B``).

Inputs are compared on the fully resolved scenarios (extends, overrides and defaults
applied), leaf by leaf: a field path, the value in A, the value in B and the field's unit
from the schema. Lists of items that carry an ``id`` (service lines) are matched by id,
so a reordered list is not a difference; other lists by position. For result folders the
KPIs that differ follow, with their change.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from railsim.config.schema import Scenario
from railsim.errors import RailsimError
from railsim.results import has_failed

if TYPE_CHECKING:
    import pandas as pd

RESOLVED = "scenario.resolved.yaml"
MISSING = "<absent>"


@dataclass(frozen=True)
class InputChange:
    """One resolved input that differs: its path, the two values and its unit."""

    path: str
    a: Any
    b: Any
    unit: str = ""


def load_resolved(path: str | Path) -> tuple[Scenario, Path | None]:
    """The resolved scenario of a scenario file or a result folder (and that folder).

    Raises :class:`~railsim.errors.RailsimError` (a ScenarioError with the file and line
    for a file that cannot be read as a scenario)."""
    from railsim.config.resolved import read_resolved
    from railsim.config.validate import read_scenario

    where = Path(path)
    if where.is_dir():
        resolved = where / RESOLVED
        if has_failed(where):
            # its files, if any, are those of an earlier run that succeeded: not its own
            raise RailsimError(f"{where}: the scenario failed in its last run (error.txt); "
                               "the results the folder keeps are of an earlier run. Fix "
                               "and run it again to compare it")
        if not resolved.exists():
            raise RailsimError(f"{where}: not a result folder (no {RESOLVED})")
        # a damaged or foreign file is a ScenarioError naming it (and the line), never a
        # traceback
        return read_resolved(resolved), where
    if not where.is_file():
        raise RailsimError(f"{where}: no such scenario file or result folder")
    scenario, _ = read_scenario(where, where.parent)
    return scenario, None


def _key(item: Any) -> str | None:
    return str(item["id"]) if isinstance(item, dict) and "id" in item else None


def _walk(a: Any, b: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            yield from _walk(a.get(key, MISSING), b.get(key, MISSING),
                             f"{path}.{key}" if path else str(key))
        return
    if isinstance(a, list) and isinstance(b, list):
        keys_a, keys_b = [_key(x) for x in a], [_key(x) for x in b]
        if a and b and None not in keys_a and None not in keys_b:
            by_b = dict(zip(keys_b, b, strict=True))
            for key, item in zip(keys_a, a, strict=True):
                yield from _walk(item, by_b.get(key, MISSING), f"{path}[{key}]")
            for key, item in zip(keys_b, b, strict=True):
                if key not in keys_a:
                    yield from _walk(MISSING, item, f"{path}[{key}]")
            return
        for k in range(max(len(a), len(b))):
            yield from _walk(a[k] if k < len(a) else MISSING, b[k] if k < len(b) else MISSING,
                             f"{path}[{k}]")
        return
    if not _equal(a, b):
        yield path, a, b


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return bool(a == b)


def _unit(path: str) -> str:
    """The schema unit of a field path (``""`` when it has none or is not a field)."""
    import re

    from railsim.config.validate import model_at

    # "service.lines[R1].weekday.headway_min" → ("service", "lines", 0, "weekday", ...):
    # any list position finds the item's model.
    loc: list[str | int] = [name if name else 0 for name, _ in
                            re.findall(r"([^.\[\]]+)|\[([^\]]*)\]", path)]
    if not loc or not isinstance(loc[-1], str):
        return ""
    model = model_at(tuple(loc[:-1]))
    if model is None or loc[-1] not in model.model_fields:
        return ""
    extra = model.model_fields[loc[-1]].json_schema_extra
    return str(extra.get("unit", "")) if isinstance(extra, dict) else ""


LABELS = ("name", "title", "title_fi", "title_en", "description")
"""Scenario fields that label a scenario without changing its results."""


def input_changes(a: Scenario, b: Scenario, *, include_name: bool = False) -> list[InputChange]:
    """Resolved inputs that differ between two scenarios (the labels — name, titles in
    each language, description — left out unless ``include_name``: they name a variant
    rather than change its results)."""
    skip = set() if include_name else set(LABELS)
    dump_a, dump_b = a.model_dump(mode="json"), b.model_dump(mode="json")
    return [InputChange(path, va, vb, _unit(path))
            for path, va, vb in _walk(dump_a, dump_b, "") if path not in skip]


def kpi_changes(folder_a: Path, folder_b: Path) -> pd.DataFrame:
    """KPIs whose value differs between two result folders: variable, statistic, unit,
    value_a, value_b, change (b − a), change_pct (of |a|; empty where a is 0)."""
    frames = [_kpis(folder) for folder in (folder_a, folder_b)]
    merged = frames[0].merge(frames[1], on=["variable", "statistic"], how="outer",
                             suffixes=("_a", "_b"))
    merged["unit"] = merged["unit_a"].where(merged["unit_a"].notna(), merged["unit_b"])
    merged["change"] = merged["value_b"] - merged["value_a"]
    scale = merged["value_a"].abs()
    merged["change_pct"] = (100 * merged["change"] / scale).where(scale > 0)
    same = (merged["value_a"] == merged["value_b"]) | (
        merged["value_a"].isna() & merged["value_b"].isna())
    columns = ["variable", "statistic", "unit", "value_a", "value_b", "change", "change_pct"]
    return merged.loc[~same, columns].reset_index(drop=True)


def _kpis(folder: Path) -> pd.DataFrame:
    """The KPI table of a result folder; RailsimError when it is missing, changed since
    the run wrote it (as the report refuses it) or not a KPI table."""
    from railsim.results import KPI_COLUMNS, damaged_files, read_result_table

    path = folder / "kpis.csv"
    if not path.is_file():
        raise RailsimError(f"{folder}: no kpis.csv (the scenario failed or never ran)")
    damaged = damaged_files(folder)
    if damaged:
        raise RailsimError(f"{folder}: {', '.join(damaged)} missing or changed since the run "
                           "wrote them; run the scenario again to compare it")
    frame = read_result_table(path)
    if frame is None or not set(KPI_COLUMNS) <= set(frame.columns):
        raise RailsimError(f"cannot read {path}: not a railsim result table (columns "
                           f"{', '.join(KPI_COLUMNS)} expected)")
    return frame


def format_value(value: Any) -> str:
    """A value for the diff table: short, and absence said as such."""
    if value is MISSING or value == MISSING:
        return "—"
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."

"""The corridor: every declared data table of one data folder, read once, passed to the models.

As PyPSA passes one ``Network`` object holding its component tables, railsim's models
receive a :class:`Corridor` instead of reading files themselves: the public API or the
CLI loads it once from a data folder (``data/`` by default, ``$RAILSIM_DATA`` or
``--data`` for another corridor) and hands it on. A model that needs a table asks the
corridor; nothing under ``railsim/timetable``, ``sim``, ``demand``, ``costs`` or
``appraisal`` opens a file. Serving another corridor is shipping another data folder.

A corridor is immutable and picklable (it travels to worker processes with each task).
Derived values that are costly to build and depend only on the data (the population
grid, say) may be memoised on it with :meth:`Corridor.memo`; the memo is not pickled.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from railsim.data import PACKAGE_DATA, TABLES, read_records
from railsim.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")


class Corridor:
    """The data tables of one corridor (see the module docstring).

    >>> corridor = Corridor.load()
    >>> corridor.by_key("lines")["HEI"]["length_km"]
    37.4
    """

    def __init__(self, folder: Path, records: Mapping[str, tuple[dict[str, Any], ...]],
                 fingerprint: str) -> None:
        self._folder = folder
        self._records = dict(records)
        self._fingerprint = fingerprint
        self._memo: dict[str, Any] = {}

    @classmethod
    def load(cls, folder: str | Path | None = None) -> Corridor:
        """Read every declared table present in ``folder`` (default: the shipped ``data/``).

        A table the folder lacks is reported when a model asks for it, so a small test
        corridor needs only the tables its models use.
        """
        where = Path(folder) if folder is not None else PACKAGE_DATA
        if where.is_file():
            raise DataError(f"not a data folder: {where} is a file; give the folder of the "
                            "corridor's data tables")
        if not where.is_dir():
            raise DataError(f"data folder not found: {where}")
        records: dict[str, tuple[dict[str, Any], ...]] = {}
        digest = hashlib.sha256()
        for name, spec in TABLES.items():
            path = where / spec.path
            if not path.is_file():
                continue
            records[name] = tuple(read_records(name, where))
            digest.update(f"{spec.path}\0".encode())
            digest.update(path.read_bytes())
        if not records:  # a scenario folder, a result folder or a typo'd one: say so now
            listed = ", ".join(spec.path for spec in list(TABLES.values())[:3])
            raise DataError(f"not a railsim data folder: {where} holds none of the data "
                            f"tables ({listed}, …)")
        return cls(where, records, digest.hexdigest())

    # -- what it holds ---------------------------------------------------------------

    @property
    def folder(self) -> Path:
        """The data folder it was read from (for messages and provenance only)."""
        return self._folder

    @property
    def fingerprint(self) -> str:
        """sha256 over the declared tables' files: changes when any figure changes."""
        return self._fingerprint

    def has(self, name: str) -> bool:
        return name in self._records

    def records(self, name: str) -> list[dict[str, Any]]:
        """Rows of a declared table as typed dicts (copies: callers may change them)."""
        return [dict(row) for row in self._rows(name)]

    def by_key(self, name: str) -> dict[Any, dict[str, Any]]:
        """Rows keyed by the table's (single or tuple) primary key."""
        key = TABLES[name].key
        out: dict[Any, dict[str, Any]] = {}
        for row in self._rows(name):
            out[row[key[0]] if len(key) == 1 else tuple(row[k] for k in key)] = dict(row)
        return out

    def table(self, name: str) -> pd.DataFrame:
        """A declared table as a pandas DataFrame with the declared dtypes."""
        from railsim.data import records_frame

        return records_frame(name, self._rows(name))

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """``build()`` once per corridor (for derived values of the data alone)."""
        if key not in self._memo:
            self._memo[key] = build()
        value: T = self._memo[key]
        return value

    def _rows(self, name: str) -> tuple[dict[str, Any], ...]:
        if name not in TABLES:
            raise KeyError(f"no declared table {name!r}; known: {sorted(TABLES)}")
        if name not in self._records:
            raise DataError(f"data table {name!r} not found: "
                            f"{self._folder / TABLES[name].path}")
        return self._records[name]

    # -- pickling: the memo stays behind ------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        return {"folder": self._folder, "records": self._records,
                "fingerprint": self._fingerprint}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._folder = state["folder"]
        self._records = state["records"]
        self._fingerprint = state["fingerprint"]
        self._memo = _shared_memo(self._folder, self._fingerprint, self._records)

    def __repr__(self) -> str:
        return f"Corridor({str(self._folder)!r}, {len(self._records)} tables)"


_MEMOS: list[tuple[Path, str, dict[str, tuple[dict[str, Any], ...]], dict[str, Any]]] = []
"""(folder, fingerprint, records, memo) of the corridors unpickled in this process."""
MEMOS_KEPT = 4
"""Corridors of different data whose memo an unpickled corridor may share (the oldest
goes first)."""


def _shared_memo(folder: Path, fingerprint: str,
                 records: dict[str, tuple[dict[str, Any], ...]]) -> dict[str, Any]:
    """The memo of a corridor unpickled earlier in this process from the same data in the
    same folder (the records compared, not only the fingerprint), else a new one: a batch
    worker gets a new copy of the corridor with each scenario, and what the memo holds
    (the population grid, the study area) is derived from the data, but may name the
    folder (the checks' facts keep their corridor, whose folder their messages name)."""
    for known_folder, known_fingerprint, known_records, known_memo in _MEMOS:
        if (known_folder == folder and known_fingerprint == fingerprint
                and known_records == records):
            return known_memo
    memo: dict[str, Any] = {}
    _MEMOS.append((folder, fingerprint, records, memo))
    del _MEMOS[:-MEMOS_KEPT]
    return memo

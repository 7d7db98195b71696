"""Tables of named columns built block by block (markets, their labels).

A table grows by blocks (the market table is one block of all markets). Every block
must give every declared column by name, so adding a column cannot shift the others and
forgetting one fails at once instead of misaligning the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np


class ColumnBlocks:
    """Accumulates blocks of equal-length named columns; :meth:`columns` joins them.

    >>> blocks = ColumnBlocks(["trips", "purpose"])
    >>> blocks.add(trips=np.ones(2), purpose=np.array(["commute"] * 2, dtype=object))
    >>> blocks.add(trips=np.zeros(1), purpose=np.array(["other"], dtype=object))
    >>> blocks.columns()["trips"].tolist()
    [1.0, 1.0, 0.0]
    >>> blocks.add(trips=np.ones(1))
    Traceback (most recent call last):
    ...
    ValueError: block lacks columns ['purpose']

    A value that is not an array is the block's constant: repeated over the block's
    length when the columns are joined (one array per column, not one per block).

    >>> blocks = ColumnBlocks(["trips", "purpose"])
    >>> blocks.add(trips=np.ones(2), purpose="commute")
    >>> blocks.add(trips=np.zeros(1), purpose="other")
    >>> blocks.columns({"purpose": object})["purpose"].tolist()
    ['commute', 'commute', 'other']
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._parts: dict[str, list[np.ndarray | _Constant]] = {name: [] for name in names}
        self._lengths: list[int] = []

    def add(self, **block: Any) -> None:
        missing = sorted(set(self._parts) - set(block))
        extra = sorted(set(block) - set(self._parts))
        if missing:
            raise ValueError(f"block lacks columns {missing}")
        if extra:
            raise ValueError(f"block has undeclared columns {extra}")
        lengths = {name: len(values) for name, values in block.items()
                   if isinstance(values, np.ndarray)}
        if not lengths:
            raise ValueError("a block needs at least one array, for its length")
        if len(set(lengths.values())) > 1:
            raise ValueError(f"columns of one block differ in length: {lengths}")
        self._lengths.append(next(iter(lengths.values())))
        for name, values in block.items():
            self._parts[name].append(values if isinstance(values, np.ndarray)
                                     else _Constant(values))

    def columns(self, dtypes: Mapping[str, Any] | None = None) -> dict[str, np.ndarray]:
        """The joined columns (``dtypes`` name → dtype for empty tables and objects)."""
        dtypes = dtypes or {}
        out = {}
        lengths = np.array(self._lengths, dtype=np.intp)
        for name, parts in self._parts.items():
            dtype = dtypes.get(name)
            if not parts:
                out[name] = np.zeros(0, dtype=dtype or float)
                continue
            if all(isinstance(part, _Constant) for part in parts):
                values = [part.value for part in parts]  # type: ignore[union-attr]
                joined = np.repeat(_constants(values, dtype), lengths)
            else:
                joined = np.concatenate([
                    part if isinstance(part, np.ndarray)
                    else np.repeat(_constants([part.value], dtype), n)
                    for part, n in zip(parts, self._lengths, strict=True)])
            out[name] = joined.astype(dtype) if dtype else joined
        return out


def _constants(values: list[Any], dtype: Any) -> np.ndarray:
    """One array of blocks' constants (objects kept whole: a tuple is one element)."""
    return object_array(values) if dtype is object else np.array(values)


@dataclass(frozen=True)
class _Constant:
    """A block's value of one column, the same for all its rows."""

    value: Any


def object_array(values: Iterable[Any]) -> np.ndarray:
    """A 1-D object array of ``values`` (tuples stay elements, not rows).

    >>> object_array([("A", "B"), ("C", "D")]).shape
    (2,)
    """
    items = list(values)
    out = np.empty(len(items), dtype=object)
    for k, item in enumerate(items):  # element-wise: equal-length tuples would broadcast
        out[k] = item
    return out

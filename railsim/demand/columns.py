"""Tables of named columns built block by block (markets, their labels).

A market table grows by blocks: all markets of one place pair and purpose at a time.
Every block must give every declared column by name, so adding a column cannot shift
the others and forgetting one fails at once instead of misaligning the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._parts: dict[str, list[np.ndarray]] = {name: [] for name in names}

    def add(self, **block: np.ndarray) -> None:
        missing = sorted(set(self._parts) - set(block))
        extra = sorted(set(block) - set(self._parts))
        if missing:
            raise ValueError(f"block lacks columns {missing}")
        if extra:
            raise ValueError(f"block has undeclared columns {extra}")
        lengths = {name: len(values) for name, values in block.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"columns of one block differ in length: {lengths}")
        for name, values in block.items():
            self._parts[name].append(values)

    def columns(self, dtypes: Mapping[str, Any] | None = None) -> dict[str, np.ndarray]:
        """The joined columns (``dtypes`` name → dtype for empty tables and objects)."""
        dtypes = dtypes or {}
        out = {}
        for name, parts in self._parts.items():
            dtype = dtypes.get(name)
            if parts:
                out[name] = np.concatenate(parts).astype(dtype) if dtype else np.concatenate(parts)
            else:
                out[name] = np.zeros(0, dtype=dtype or float)
        return out


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

"""Changing a loaded scenario in code (notebooks): validated copies, never mutation."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from railsim.config.compose import TRANSLATIONS
from railsim.config.identity import (
    CompositionError,
    Where,
    dotted_where,
    expand,
    merge_located,
    split_path,
)
from railsim.config.schema import Scenario
from railsim.config.validate import problems_from_validation
from railsim.config.yamlio import Located, Location, format_path
from railsim.errors import ScenarioError


def _nest(dotted: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Dotted keys as nested mappings, merged: ``"simulation.seed"`` and
    ``"simulation": {"replications": 3}`` both apply. A value given by two keys
    (``"simulation.seed"`` beside ``"simulation": {"seed": 1}``, or beside
    ``"simulation": None``) is a ScenarioError naming both: one would be lost unsaid."""
    nested: dict[str, Any] = {}
    values: dict[tuple[str, ...], str] = {}
    """Each path given a value → the key that gave it."""
    sections: dict[tuple[str, ...], str] = {}
    """Each path that holds values given → the first key that gave one."""
    for key, value in dotted.items():
        for path, leaf in _leaves(tuple(key.split(".")), value):
            clash = values.get(path) or sections.get(path) or next(
                (values[path[:n]] for n in range(1, len(path)) if path[:n] in values), None)
            if clash is not None:
                raise _problem(".".join(path), f"set twice: by {clash!r} and by {key!r}",
                               allowed="each value once", source=source)
            node = nested
            for n, part in enumerate(path[:-1], 1):
                sections.setdefault(path[:n], key)
                node = node.setdefault(part, {})
            values[path] = key
            node[path[-1]] = leaf
    return nested


def _leaves(path: tuple[str, ...], value: Any) -> list[tuple[tuple[str, ...], Any]]:
    """``(path, value)`` of each value of a nested mapping (``value`` itself when it is
    no mapping; an empty one sets nothing)."""
    if not isinstance(value, Mapping):
        return [(path, value)]
    return [leaf for key, item in value.items() for leaf in _leaves((*path, str(key)), item)]


_POSITIONS = re.compile(r"\[-?\d+\]")
_INDEXED = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)\[(?P<index>-?\d+)\]$")
_SELECTED = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)\[(?P<label>[^\]]+)\]$")


def _positions(data: dict[str, Any], path: str) -> str:
    """``path`` with each identity selector (``lines[H1]``) turned into the position of
    its item in ``data``, so that a path may mix them with positions
    (``service.lines[H1].stations[0]``). ScenarioError when no item has the identity."""
    from railsim.config.identity import item_labels

    node: Any = data
    walked: list[str | int] = []
    out: list[str] = []
    for part in split_path(path):
        selected = _SELECTED.match(part)
        key = selected["key"] if selected else part
        node = node.get(key) if isinstance(node, dict) else None
        walked.append(key)
        if selected is None or _INDEXED.match(part):
            out.append(part)
            if selected is not None and isinstance(node, list):
                index = int(selected["label"])
                node = node[index] if -len(node) <= index < len(node) else None
                walked.append(index)
            continue
        items = node if isinstance(node, list) else []
        labels = item_labels(tuple(walked), items)
        if selected["label"] not in labels:
            known = ", ".join(label for label in labels if label)
            raise _problem(path, f"no item {selected['label']} in "
                           f"{'.'.join(str(w) for w in walked)}",
                           allowed=known)
        index = labels.index(selected["label"])
        out.append(f"{key}[{index}]")
        node = items[index]
        walked.append(index)
    return ".".join(out)


def _set_indexed(data: dict[str, Any], path: str, value: Any) -> None:
    """Set one dotted path with list indices (``service.lines[0].weekday.headway_min``).

    Raises ScenarioError naming the path when a key or an index does not exist: a
    silently created entry would be a typo that goes unnoticed.
    """
    node: Any = data
    parts = split_path(path)
    walked: list[str] = []
    for number, part in enumerate(parts):
        last = number == len(parts) - 1
        match = _INDEXED.match(part)
        key = match["key"] if match else part
        walked.append(part)
        if not isinstance(node, dict) or (key not in node and (match or not last)):
            raise _problem(path, f"no such field: {'.'.join(walked)}")
        if match is None:
            if last:
                node[key] = copy.deepcopy(value)
            else:
                node = node[key]
            continue
        items, index = node[key], int(match["index"])
        if not isinstance(items, list) or not -len(items) <= index < len(items):
            size = len(items) if isinstance(items, list) else 0
            raise _problem(path, f"no item {index} in {'.'.join([*walked[:-1], key])}",
                           allowed=f"indices 0 to {size - 1}" if size else "")
        if last:
            items[index] = copy.deepcopy(value)
        else:
            node = items[index]


def _problem(path: str, message: str, allowed: str = "", source: str = "<overrides>"
             ) -> ScenarioError:
    from railsim.errors import Problem

    return ScenarioError([Problem(source, 0, 0, path, message, allowed=allowed)])


def apply_overrides(scenario: Scenario, changes: Mapping[str, Any], *,
                    source: str = "<overrides>") -> Scenario:
    """A new scenario with ``changes`` merged in and validated against the schema.

    ``source`` names where the changes came from in error messages (``<command line>``).
    The cross-checks against the corridor data are :func:`railsim.scenarios.with_overrides`.

    Keys may be dotted paths (``{"demand.fares.fare_multiplier": 0.8}``) or nested
    mappings. Lists whose items have an identity (:mod:`railsim.config.identity`) merge
    item by item, other lists are replaced whole. A selector changes one item in place:
    by identity (``{"service.lines[R1].weekday.headway_min": 30}``) or by position
    (``service.lines[0]``, applied after the others).

    >>> base = Scenario(name="x")
    >>> apply_overrides(base, {"appraisal.discount_rate": 0.04}).appraisal.discount_rate
    0.04
    """
    return apply_overrides_located(scenario, changes, source=source)[0]


def apply_overrides_located(scenario: Scenario, changes: Mapping[str, Any], *,
                            source: str = "<overrides>", located: Located | None = None
                            ) -> tuple[Scenario, Located]:
    """:func:`apply_overrides`, and where each value of the new scenario was written:
    where ``located`` (the scenario's composed file) says, except what ``changes`` set,
    which is at ``source``. Schema problems are placed the same way, so a value from the
    command line is reported at ``<command line>`` and one from the file at its line."""
    if not isinstance(scenario, Scenario):
        raise TypeError(f"expected a railsim.Scenario (from railsim.load_scenario) to "
                        f"change; got {type(scenario).__name__}")
    if not isinstance(changes, Mapping):
        raise TypeError("changes must map dotted paths to values, e.g. "
                        f"{{'simulation.seed': 7}}; got {type(changes).__name__}")
    strange = [key for key in changes if not isinstance(key, str)]
    if strange:
        raise TypeError(f"changes' keys must be dotted paths (text), e.g. 'simulation.seed'; "
                        f"got {strange[0]!r}")
    changes = {key: _plain(value) for key, value in changes.items()}
    here = Location(source, 0, 0)
    # [0]: a position (the old form); [R1] or [HEI@12]: an item by its identity.
    indexed = {key: value for key, value in changes.items() if _POSITIONS.search(key)}
    selected = {key: value for key, value in changes.items()
                if "[" in key and key not in indexed}
    plain = _nest({key: value for key, value in changes.items()
                   if key not in indexed and key not in selected}, source)
    base = scenario.model_dump(mode="python")
    for field, translations in TRANSLATIONS.items():
        if field in plain and plain[field] != base.get(field):
            # a new title without its translations: they named the old one (as in files)
            base.update({t: "" for t in translations if t not in plain})
    try:
        data, where = merge_located(base, plain,
                                    Where.of(located.locations if located else {}),
                                    Where.uniform(plain, here))
    except CompositionError as exc:  # a remove: true that finds no item
        raise _problem(format_path(exc.path), exc.message, source=source) from None
    for path, value in selected.items():
        try:
            data, where = merge_located(data, expand(path, value), where,
                                        dotted_where(path, Where.uniform(value, here), here))
        except CompositionError as exc:
            raise _problem(path, exc.message, source=source) from None
    for given, value in indexed.items():
        try:
            path = _positions(data, given)
            _set_indexed(data, path, value)
        except ScenarioError as exc:  # named as the user wrote it
            raise ScenarioError([replace(p, file=source, field=given)
                                 for p in exc.problems]) from None
        _place(where, _indexed_path(data, path), Where.uniform(value, here))
    result = Located(data, where.flat())
    try:
        return Scenario.model_validate(data), result
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, result, source)) from None


def _plain(value: Any) -> Any:
    """``value`` with numpy's scalars as the Python values they hold: a notebook's
    ``np.arange`` or DataFrame cell gives ``np.int64``, which the schema's whole numbers
    (strict: no text, no fractions) would refuse as not an integer."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if type(value).__module__ == "numpy" and getattr(value, "shape", None) == () \
            and callable(getattr(value, "item", None)):
        return value.item()
    return value


def _indexed_path(data: dict[str, Any], path: str) -> tuple[str | int, ...]:
    """The data path of an indexed path that :func:`_set_indexed` found (``[-1]``: the
    last item's position)."""
    out: list[str | int] = []
    node: Any = data
    for part in split_path(path):
        match = _INDEXED.match(part)
        key = match["key"] if match else part
        out.append(key)
        node = node[key] if isinstance(node, dict) else None
        if match:
            index = int(match["index"])
            index += len(node) if index < 0 and isinstance(node, list) else 0
            out.append(index)
            node = node[index] if isinstance(node, list) else None
    return tuple(out)


def _place(where: Where, path: tuple[str | int, ...], value: Where) -> None:
    """``value`` as the node at ``path`` of ``where`` (the nodes on the way kept)."""
    node = where
    for part in path[:-1]:
        node = node.children.setdefault(part, Where())
    node.children[path[-1]] = value

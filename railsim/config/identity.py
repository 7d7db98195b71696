"""Lists whose items have an identity, and merging by it (``extends``, overrides, ``--set``).

A variant that changes one service line's weekday headway must not lose the base's other
lines or that line's Saturday service, and adding one passing loop must not delete the
base's loops. So the lists in :data:`IDENTITY` merge item by item on their identity
fields: an item of the variant with the identity of a base item is merged into it (key by
key), a new identity is appended, and ``remove: true`` deletes the inherited item. All
other lists are replaced whole, as before.

A dotted key with list selectors changes one item in place, in YAML as in Python:
``service.lines[R1].weekday.headway_min: 30`` (a selector is the item's identity; for a
two-field identity such as a loop's line and km: ``passing_loops[HEI@12]``; a number
selects by position in lists without identity). A selector must find its item.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

IDENTITY: dict[tuple[str, ...], tuple[str, ...]] = {
    ("service", "lines"): ("id",),
    ("infrastructure", "passing_loops"): ("line", "km"),
    ("infrastructure", "upgrades"): ("line", "from_km", "to_km"),
    ("infrastructure", "new_stops"): ("station",),
    ("infrastructure", "extensions"): ("id",),
    ("uncertainty", "inputs"): ("target",),
}
"""List path (outside list indices) → the item fields that identify an item."""

REMOVE = "remove"
SELECT = "__select__"
"""Marks an item made from a selector: it changes an existing item and adds none."""


class CompositionError(ValueError):
    """Merging found an item to change or remove that the base does not have."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def identity_of(path: tuple[str | int, ...]) -> tuple[str, ...] | None:
    """The identity fields of the list at ``path`` (``None``: replaced whole)."""
    return IDENTITY.get(tuple(p for p in path if isinstance(p, str)))


def _key(item: Any, fields: tuple[str, ...]) -> tuple[Any, ...] | None:
    if not isinstance(item, Mapping):
        return None
    return tuple(_normal(item.get(f)) for f in fields)


def _normal(value: Any) -> Any:
    # 12 and 12.0 are the same km; bool is not a number here
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def _label(key: tuple[Any, ...]) -> str:
    return "@".join("" if v is None else f"{v:g}" if isinstance(v, float) else str(v)
                    for v in key)


def item_labels(path: tuple[str | int, ...], items: list[Any]) -> list[str | None]:
    """The selector label of each item of the list at ``path`` (``H1``, ``HEI@12``);
    None for an item without its identity fields, all None in a list without identity."""
    fields = identity_of(path)
    keys = [_key(item, fields) if fields else None for item in items]
    return [None if key is None else _label(key) for key in keys]


@dataclass
class Where:
    """Where a value and each value inside it were written, as a tree beside the data:
    ``loc`` of this node (``None``: unknown, the nearest enclosing one applies) and the
    nodes of its keys or list positions. A *weak* location gives way to the base's: the
    document a dotted key or a run setting stands for is not written by it (its keys are,
    as a nested key of a file is)."""

    loc: Any = None
    children: dict[str | int, Where] = field(default_factory=dict)
    weak: bool = False

    def child(self, key: str | int) -> Where:
        return self.children.get(key) or Where()

    @classmethod
    def of(cls, locations: Mapping[tuple[str | int, ...], Any]) -> Where:
        """The tree of a flat map from paths to locations."""
        root = cls()
        for path, loc in sorted(locations.items(), key=lambda item: len(item[0])):
            node = root
            for part in path:
                node = node.children.setdefault(part, cls())
            node.loc = loc
        return root

    def flat(self, prefix: tuple[str | int, ...] = ()) -> dict[tuple[str | int, ...], Any]:
        """The flat map from paths to locations (nodes without one left out)."""
        out: dict[tuple[str | int, ...], Any] = {} if self.loc is None else {prefix: self.loc}
        for key, node in self.children.items():
            out.update(node.flat((*prefix, key)))
        return out

    @classmethod
    def uniform(cls, value: Any, loc: Any) -> Where:
        """Every node of ``value`` written at ``loc``, the document itself weakly."""

        def build(node: Any) -> Where:
            if isinstance(node, Mapping):
                return cls(loc, {k: build(v) for k, v in node.items()})
            if isinstance(node, list):
                return cls(loc, {n: build(v) for n, v in enumerate(node)})
            return cls(loc)

        where = build(value)
        where.weak = True
        return where


def _joined(base: Where, over: Where, children: dict[str | int, Where]) -> Where:
    strong = over.loc is not None and not over.weak
    loc = over.loc if strong or base.loc is None else base.loc
    return Where(loc, children, weak=not strong and base.loc is None and over.weak)


def merge(base: Any, over: Any, path: tuple[str | int, ...] = ()) -> Any:
    """Merge ``over`` onto ``base``: mappings key by key, identity lists item by item,
    everything else replaced; a distribution of another ``kind`` is replaced whole (the
    fields of a triangular one mean nothing to a uniform one). Raises
    :class:`CompositionError` for a selector or a ``remove`` that finds nothing.

    >>> base = {"lines": [{"id": "A", "x": 1, "y": 2}, {"id": "B", "x": 3}]}
    >>> merge({"service": base}, {"service": {"lines": [{"id": "A", "y": 5}]}})
    {'service': {'lines': [{'id': 'A', 'x': 1, 'y': 5}, {'id': 'B', 'x': 3}]}}
    >>> merge({"d": {"kind": "normal", "mean": 0, "sd": 1}}, {"d": {"kind": "fixed", "value": 2}})
    {'d': {'kind': 'fixed', 'value': 2}}
    """
    return _merge(base, over, path, None, None)[0]


def merge_located(base: Any, over: Any, base_where: Where, over_where: Where
                  ) -> tuple[Any, Where]:
    """:func:`merge`, and where each value of the result was written: the merge done on
    the location trees too, so that an item merged by identity, a removed item or a
    replaced distribution keeps the location of the file that wrote each value."""
    data, where = _merge(base, over, (), base_where, over_where)
    assert where is not None
    return data, where


def _sub(where: Where | None, key: str | int) -> Where | None:
    return None if where is None else where.child(key)


def _merge(base: Any, over: Any, path: tuple[str | int, ...], bw: Where | None,
           ow: Where | None) -> tuple[Any, Where | None]:
    if (isinstance(base, Mapping) and isinstance(over, Mapping)
            and not _other_kind(base, over)):
        merged = dict(base)
        children = dict(bw.children) if bw is not None else {}
        for key, value in over.items():
            if key in base:
                merged[key], child = _merge(base[key], value, (*path, key), _sub(bw, key),
                                            _sub(ow, key))
            else:
                merged[key], child = _clean(value, (*path, key)), _sub(ow, key)
            if child is not None:
                children[key] = child
        return merged, (None if bw is None or ow is None else _joined(bw, ow, children))
    fields = identity_of(path)
    if fields is not None and isinstance(base, list) and isinstance(over, list):
        return _merge_items(base, over, fields, path, bw, ow)
    return _clean(over, path), ow


def _other_kind(base: Mapping[str, Any], over: Mapping[str, Any]) -> bool:
    """A distribution whose ``kind`` changes: replaced whole, not merged."""
    return "kind" in base and "kind" in over and base["kind"] != over["kind"]


def _check_unique(items: list[Any], fields: tuple[str, ...], path: tuple[str | int, ...]
                  ) -> None:
    """Two items of one list with the same identity would merge, the second silently
    changing the first (or both be kept, two extensions with one station id): an error at
    the second. After a ``remove: true`` of an identity one item may add it anew."""
    seen: dict[str, int] = {}
    for number, item in enumerate(items):
        key = _key(item, fields)
        if key is None or all(value is None for value in key):
            continue
        text = repr(key)  # a key may hold a list, which cannot be a dict key
        if isinstance(item, Mapping) and item.get(REMOVE) is True:
            seen.pop(text, None)
            continue
        if text in seen:
            raise CompositionError(
                (*path, number),
                f"{_label(key)} is listed twice in {'.'.join(map(str, path))} (items "
                f"{seen[text]} and {number}); one would silently change the other; allowed: "
                f"each {' + '.join(fields)} once in a list (change an item in one place)")
        seen[text] = number


def _merge_items(base: list[Any], over: list[Any], fields: tuple[str, ...],
                 path: tuple[str | int, ...], bw: Where | None, ow: Where | None
                 ) -> tuple[list[Any], Where | None]:
    _check_unique(over, fields, path)
    out = [copy.deepcopy(item) for item in base]
    keys = [_key(item, fields) for item in out]
    wheres = [bw.child(n) for n in range(len(base))] if bw is not None else []
    for number, item in enumerate(over):
        key = _key(item, fields)
        found = key is not None and key in keys
        selected = isinstance(item, Mapping) and item.get(SELECT)
        removing = isinstance(item, Mapping) and item.get(REMOVE) is True
        if not found and (selected or removing):
            known = ", ".join(_label(k) for k in keys if k is not None) or "none"
            what = "remove" if removing else "change"
            alike = any(k is not None and _label(k) == _label(key or ()) for k in keys)
            raise CompositionError(path, f"no item {_label(key or ())} to {what} in "
                                         f"{'.'.join(map(str, path))} (there are: {known})"
                                   + ("; one is written as text, the other as a number: "
                                      "write numbers without quotes" if alike else ""))
        if removing:
            position = keys.index(key)
            del out[position], keys[position]
            if bw is not None:
                del wheres[position]
        elif found:
            position = keys.index(key)
            body = {k: v for k, v in item.items() if k != SELECT}
            out[position], where = _merge(out[position], body, (*path, position),
                                          wheres[position] if bw is not None else None,
                                          _sub(ow, number))
            if where is not None:
                wheres[position] = where
        else:
            out.append(_clean(item, (*path, len(out))))
            keys.append(key)
            if bw is not None:
                wheres.append(_sub(ow, number) or Where())
    if bw is None or ow is None:
        return out, None
    return out, _joined(bw, ow, dict(enumerate(wheres)))


def set_fields(data: Any, ident: tuple[str | int, ...] = (), real: tuple[str | int, ...] = ()
               ) -> Iterator[tuple[tuple[str | int, ...], tuple[str | int, ...]]]:
    """The fields a partial document sets, each as ``(named path, data path)``: the named
    path names an item of an identity list by its identity (``"[R1]"``), so the same field
    written as an item of a list and through a dotted key's selector meets itself.

    >>> list(set_fields({"service": {"lines": [{"id": "R1", "weekday": 30}]}}))
    [(('service', 'lines', '[R1]', 'weekday'), ('service', 'lines', 0, 'weekday'))]
    """
    if isinstance(data, Mapping) and (data or not real):
        for key, value in data.items():
            if key != SELECT:
                yield from set_fields(value, (*ident, key), (*real, key))
        return
    fields = identity_of(real)
    if fields is not None and isinstance(data, list):
        for number, item in enumerate(data):
            key = _key(item, fields)
            if key is None:
                yield (*ident, number), (*real, number)
                continue
            rest = {k: v for k, v in item.items() if k not in fields and k != SELECT}
            named = (*ident, f"[{_label(key)}]")
            if rest:
                yield from set_fields(rest, named, (*real, number))
            else:
                yield named, (*real, number)
        return
    yield ident, real


def _clean(value: Any, path: tuple[str | int, ...]) -> Any:
    """A copy of a new value; a selector or ``remove`` inside finds nothing to act on."""
    if isinstance(value, Mapping):
        where = ".".join(str(p) for p in path[:-1] if isinstance(p, str))
        if value.get(SELECT) and identity_of(path[:-1]) is not None:
            raise CompositionError(path, f"no item to change in {where}: the base has "
                                         "no such list")
        if value.get(REMOVE) is True and identity_of(path[:-1]) is not None:
            raise CompositionError(path, f"no item to remove in {where}: the base has "
                                         "no such list")
        return {k: _clean(v, (*path, k)) for k, v in value.items()}
    if isinstance(value, list):
        if (fields := identity_of(path)) is not None:
            _check_unique(value, fields, path)
        return [_clean(v, (*path, n)) for n, v in enumerate(value)]
    return copy.deepcopy(value)


_PART = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<select>[^\]]+)\])?$")


_DOT = re.compile(r"\.(?![^\[]*\])")


def split_path(key: str) -> list[str]:
    """The parts of a dotted path: split at each dot outside a selector's brackets, so that
    a loop at km 18.7 and an uncertain input's dotted target can be selected.

    >>> split_path("infrastructure.passing_loops[HEI@18.7].length_m")
    ['infrastructure', 'passing_loops[HEI@18.7]', 'length_m']
    >>> split_path("uncertainty.inputs[costs.capex_multiplier].mode")
    ['uncertainty', 'inputs[costs.capex_multiplier]', 'mode']
    """
    return _DOT.split(key)


def is_dotted(key: Any) -> bool:
    return isinstance(key, str) and ("." in key or "[" in key)


def expand(key: str, value: Any) -> dict[str, Any]:
    """A dotted key with selectors as the nested partial document it stands for.

    >>> expand("service.lines[R1].weekday.headway_min", 30)
    {'service': {'lines': [{'id': 'R1', 'weekday': {'headway_min': 30}, '__select__': True}]}}
    """
    parts = split_path(key)
    matches = [_PART.match(p) for p in parts]
    if not all(matches):
        raise CompositionError((key,), f"not a field path: {key!r} (e.g. "
                                       "service.lines[R1].weekday.headway_min)")
    node: Any = value
    for number in range(len(parts) - 1, -1, -1):
        match = matches[number]
        assert match is not None
        name, select = match["key"], match["select"]
        if select is None:
            node = {name: node}
            continue
        list_path = tuple(m["key"] for m in matches[:number + 1] if m is not None)
        fields = IDENTITY.get(list_path)
        if fields is None:
            raise CompositionError((key,), f"{'.'.join(list_path)} has no item identity; "
                                           "lists that merge by identity: "
                                           + ", ".join(".".join(p) for p in IDENTITY))
        values = select.split("@")
        if len(values) != len(fields):
            raise CompositionError((key,), f"a {'.'.join(list_path)} item is selected by "
                                           f"{'@'.join(fields)}, e.g. [{_example(fields)}]")
        item = dict(node) if isinstance(node, Mapping) else {}
        if not isinstance(node, Mapping):
            raise CompositionError((key,), "a selected item is changed field by field: "
                                           f"{key}.<field>: value")
        ident = {f: _parse(v) for f, v in zip(fields, values, strict=True)}
        node = {name: [{**ident, **item, SELECT: True}]}
    assert isinstance(node, dict)
    return node


def dotted_where(key: str, value_where: Where, loc: Any) -> Where:
    """Where the document :func:`expand` makes of ``key`` was written: its value as
    ``value_where`` says, the keys down to it at ``loc`` (the dotted key's own, as the keys
    of the same value written nested would be), the document itself weakly.

    >>> w = dotted_where("a.b[R1].c", Where("value"), "key")
    >>> w.weak, w.child("a").weak, sorted(w.flat().items())[-2:]
    (True, False, [(('a', 'b', 0), 'key'), (('a', 'b', 0, 'c'), 'value')])
    """
    node = value_where
    for part in reversed(split_path(key)):
        match = _PART.match(part)
        assert match is not None, key
        if match["select"] is not None:
            node = Where(loc, {0: Where(loc, dict(node.children))})
        node = Where(loc, {match["key"]: node})
    node.weak = True
    return node


def _example(fields: tuple[str, ...]) -> str:
    return "@".join({"line": "HEI", "km": "12", "id": "R1"}.get(f, f) for f in fields)


def _parse(text: str) -> Any:
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        return text


def apply_document(base: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` merged onto ``base``: its plain keys first, then its dotted keys in order
    (a selector acts on what the base and the plain keys define).

    >>> base = {"service": {"lines": [{"id": "R1", "weekday": {"headway_min": 60}}]}}
    >>> apply_document(base, {"service.lines[R1].weekday.headway_min": 30})
    {'service': {'lines': [{'id': 'R1', 'weekday': {'headway_min': 30}}]}}
    """
    out = merge(base, {k: v for k, v in data.items() if not is_dotted(k)})
    for key, value in data.items():
        if is_dotted(key):
            out = merge(out, expand(key, value))
    assert isinstance(out, dict)
    return out

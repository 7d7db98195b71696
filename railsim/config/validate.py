"""Turn a composed document into a :class:`Scenario`, reporting problems with locations.

Schema errors from pydantic are translated into :class:`~railsim.errors.Problem`
records naming the file, line and column the offending value came from (through
``extends`` and overrides), the field path, the value given and what is allowed,
with a "did you mean" for misspelt keys.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from railsim.config import schema
from railsim.config.compose import Composed, compose
from railsim.config.suggest import did_you_mean
from railsim.config.yamlio import Located, Path_, format_path
from railsim.errors import Issue, Problem, ScenarioError

_PATTERN_HELP = {
    schema.CLOCK_PATTERN: 'a time of day "HH:MM" (hours 0–29)',
    r"^[A-Z][A-Z0-9_]*$": "an upper-case id such as LH or HEI",
    r"^[A-Za-z][A-Za-z0-9_\-]*$": "letters, digits, '_' and '-', starting with a letter",
    schema.TEXT_PATTERN: "text without control characters (escapes such as \\x00 or \\e) "
                         "other than tab and line breaks",
}


def _unwrap(annotation: Any) -> list[Any]:
    """Candidate model/container types inside Optional/Annotated/Union."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def model_at(loc: Iterable[str | int]) -> type[BaseModel] | None:
    """The pydantic model class that holds the value at a pydantic error ``loc``."""
    current: Any = schema.Scenario
    for part in loc:
        candidates = _unwrap(current)
        nxt = None
        for cand in candidates:
            if isinstance(cand, type) and issubclass(cand, BaseModel):
                if isinstance(part, str) and part in cand.model_fields:
                    nxt = cand.model_fields[part].annotation
                    break
                # discriminated union: the loc names the tag of the chosen member
                kind = cand.model_fields.get("kind")
                if kind is not None and typing.get_args(kind.annotation) == (part,):
                    nxt = cand
                    break
            origin = typing.get_origin(cand)
            if origin in (list, tuple) and isinstance(part, int):
                nxt = typing.get_args(cand)[0]
                break
            if origin is dict:
                nxt = typing.get_args(cand)[1]
                break
        if nxt is None:
            return None
        current = nxt
    for cand in _unwrap(current):
        if isinstance(cand, type) and issubclass(cand, BaseModel):
            return cand
    return None


def field_at(loc: Iterable[str | int]) -> FieldInfo | None:
    """The schema field that holds the value at a pydantic error ``loc``.

    For an item of a list or mapping field (``dwell_by_station_s.LH``) it is the field
    itself: its unit and bounds apply to every item.
    """
    current: Any = schema.Scenario
    found: FieldInfo | None = None
    for part in loc:
        for cand in _unwrap(current):
            if isinstance(cand, type) and issubclass(cand, BaseModel):
                if isinstance(part, str) and part in cand.model_fields:
                    found = cand.model_fields[part]
                    current = found.annotation
                    break
                kind = cand.model_fields.get("kind")
                if kind is not None and typing.get_args(kind.annotation) == (part,):
                    current = cand  # the union tag of a distribution
                    break
            elif typing.get_origin(cand) in (list, dict):
                current = typing.get_args(cand)[-1]
                break
        else:
            return found
    return found


def field_limits(info: FieldInfo) -> tuple[float | None, float | None]:
    """Lower and upper bound of a field or of its items (list items, mapping values)."""
    low = high = None

    def visit(metadata: Iterable[Any]) -> None:
        nonlocal low, high
        for meta in metadata:
            if isinstance(meta, FieldInfo):
                visit(meta.metadata)
                continue
            for name in ("ge", "gt"):
                if getattr(meta, name, None) is not None:
                    low = getattr(meta, name)
            for name in ("le", "lt"):
                if getattr(meta, name, None) is not None:
                    high = getattr(meta, name)

    def items(annotation: Any) -> None:
        for arg in typing.get_args(annotation):
            visit(getattr(arg, "__metadata__", ()))
            items(arg)

    visit(info.metadata)
    if low is None and high is None:
        items(info.annotation)
    return low, high


def _unit(loc: tuple[str | int, ...]) -> str:
    info = field_at(loc)
    extra = info.json_schema_extra if info is not None else None
    unit = extra.get("unit") if isinstance(extra, dict) else ""
    return f" {unit}" if unit and unit != "count" else ""


def _bounds(loc: tuple[str | int, ...]) -> str:
    """The numeric bounds of the field at ``loc`` with its unit, e.g. ``from 0 to 900 s``."""
    info = field_at(loc)
    if info is None:
        return ""
    low, high = field_limits(info)
    unit = _unit(loc)
    if low is not None and high is not None:
        return f"from {low:g} to {high:g}{unit}"
    if low is not None:
        return f"at least {low:g}{unit}"
    if high is not None:
        return f"at most {high:g}{unit}"
    return ""


def _data_path(data: Any, loc: tuple[str | int, ...]) -> Path_:
    """Map a pydantic ``loc`` onto keys present in the data (dropping union tags)."""
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif (last and isinstance(part, str) and part != "[key]"
              and not (isinstance(node, dict) and node.get("kind") == part)):
            path.append(part)  # a missing field (not the union tag of a distribution)
    return tuple(path)


def _render(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _allowed(err: dict[str, Any], loc: tuple[str | int, ...]) -> tuple[str, str]:
    """(allowed, hint) for one pydantic error."""
    ctx = err.get("ctx") or {}
    kind = err["type"]
    if kind == "extra_forbidden":
        model = model_at(loc[:-1])
        names = sorted(model.model_fields) if model else []
        return ", ".join(names), did_you_mean(str(loc[-1]), names)
    if kind == "literal_error":
        return str(ctx.get("expected", "")), did_you_mean(str(err.get("input")), [
            s.strip(" '") for s in str(ctx.get("expected", "")).replace(" or ", ",").split(",")
        ])
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return f"kind: {', '.join(schema.DISTRIBUTION_KINDS)}", did_you_mean(
            str(ctx.get("tag", "")), schema.DISTRIBUTION_KINDS)
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        return _PATTERN_HELP.get(pattern, f"text matching {pattern}"), _look_alike(
            err.get("input"))
    bounds = {"greater_than": "> {gt}", "greater_than_equal": ">= {ge}",
              "less_than": "< {lt}", "less_than_equal": "<= {le}",
              "too_short": "at least {min_length} items", "too_long": "at most {max_length} items"}
    if kind in bounds:
        numbers = {key: f"{value:g}" if isinstance(value, int | float) else value
                   for key, value in ctx.items()}
        try:
            text = bounds[kind].format(**numbers)
        except KeyError:
            return "", ""
        return (text if kind in ("too_short", "too_long") else text + _unit(loc)), ""
    if kind == "finite_number":
        limits = _bounds(loc)
        return "a finite number" + (f" {limits}" if limits else ""), ""
    if kind == "string_type" and isinstance(err.get("input"), bool):
        return "text", "YAML reads a bare yes, no, on or off as true or false: quote it, e.g. 'NO'"
    if kind in _TYPE_HELP:
        limits = _bounds(loc)
        return _TYPE_HELP[kind] + (f" ({limits})" if limits else ""), ""
    if kind == "string_too_long":
        return f"at most {ctx.get('max_length')} characters", ""
    return "", ""


def _look_alike(value: object) -> str:
    """For an id with a letter of another alphabet (a Cyrillic 'А' in 'AT'): which one,
    since such an id looks right when printed and the message alone would puzzle."""
    if not isinstance(value, str):
        return ""
    for position, char in enumerate(value, 1):
        name = unicodedata.name(char, "")
        if not char.isascii() and char.isalnum() and not name.startswith("LATIN"):
            return f"character {position} {char!r} is {name}, not a Latin letter or digit"
    return ""


_TYPE_HELP = {
    "int_type": "a whole number, written without quotes",
    "float_type": "a number, written without quotes",
    "bool_type": "true or false",
    "string_type": "text",
}


def problems_from_validation(exc: ValidationError, located: Located, file: str) -> list[Problem]:
    """Translate pydantic errors into located problems."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        path = _data_path(located.data, loc)
        where = located.where(path, file)
        allowed, hint = _allowed(dict(err), loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            message, given = "unknown key", repr(loc[-1])
        elif kind == "missing":
            message, given = "required field is missing", ""
        else:
            message = err["msg"]
            if message.startswith("Value error, "):
                message = message[len("Value error, "):]
            given = _render(err.get("input"))
        problems.append(Problem(where.file or file, where.line, where.column,
                                format_path(path), message, given, allowed, hint))
    return problems


def scenario_from_composed(composed: Composed) -> schema.Scenario:
    """Validate a composed document against the schema (no corridor data involved)."""
    try:
        return schema.Scenario.model_validate(composed.located.data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, composed.located, str(composed.file))
        if ("name",) not in composed.located.locations:  # the name is the file's
            problems = [_named_by_file(p, composed.file) if p.field == "name" else p
                        for p in problems]
        raise ScenarioError(problems) from None


def _named_by_file(problem: Problem, file: Path) -> Problem:
    """A problem of a name no line writes: the file's name (``my plan.yaml``), said so,
    with a name that would do, rather than placed at the file's first line."""
    return dataclasses.replace(
        problem, line=0, column=0,
        message=f"the scenario's name, taken from its file name {file.name!r}: "
                + problem.message[:1].lower() + problem.message[1:],
        allowed=f"{problem.allowed + '; ' if problem.allowed else ''}rename the file, or "
                f"write e.g. 'name: {schema.folder_name(file.stem)}' in it")


def located_problems(issues: Iterable[Issue], located: Located, file: str) -> list[Problem]:
    """Consistency issues (field paths) as problems with the file and line they came from."""
    problems = []
    for issue in issues:
        where = located.where(issue.path, file)
        problems.append(Problem(where.file or file, where.line, where.column,
                                format_path(issue.path), issue.message, issue.given,
                                issue.allowed, issue.hint))
    return problems


def read_scenario(path: str | Path, root: str | Path | None = None,
                  extra_roots: Sequence[str | Path] = ()
                  ) -> tuple[schema.Scenario, Composed]:
    """Read, compose and schema-validate one scenario file (no cross-checks);
    ``extra_roots`` are further folders its ``extends`` may reach.

    Raises :class:`~railsim.errors.ScenarioError` listing every problem found.
    """
    composed = compose(path, root, extra_roots)
    return scenario_from_composed(composed), composed


def field_bounds(path: Sequence[str]) -> tuple[float, float, bool, bool]:
    """(lowest, highest, lowest excluded, highest excluded): the values the scenario schema
    allows the numeric field at ``path`` (infinite where it sets no bound; excluded for
    ``gt``/``lt``)."""
    current: Any = schema.Scenario
    info = None
    for part in path:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return -math.inf, math.inf, False, False
        info = current.model_fields.get(part)
        if info is None:
            return -math.inf, math.inf, False, False
        current = info.annotation
    low, high = field_limits(info) if info is not None else (None, None)
    rules = list(info.metadata) if info is not None else []
    open_low = any(getattr(rule, "gt", None) is not None for rule in rules)
    open_high = any(getattr(rule, "lt", None) is not None for rule in rules)
    return ((-math.inf if low is None else float(low)),
            (math.inf if high is None else float(high)), open_low, open_high)

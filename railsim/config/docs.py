"""Generate the scenario reference (Markdown) and JSON schema from the pydantic models."""

from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from railsim.config import schema
from railsim.config.identity import IDENTITY


def json_schema() -> str:
    """The scenario JSON schema as indented text."""
    return json.dumps(schema.Scenario.model_json_schema(), indent=2, ensure_ascii=False)


def editor_schema() -> str:
    """The JSON schema for editors (YAML language server): a scenario *file*, so the
    composition keys are allowed and nothing is required (a variant may set one field).

    The shipped scenarios name it on their first line
    (``# yaml-language-server: $schema=../docs/scenario.schema.json``).
    """
    from railsim.config.compose import COMPOSITION_KEYS
    from railsim.config.identity import REMOVE

    document = schema.Scenario.model_json_schema()
    document.pop("required", None)
    document["title"] = "railsim scenario file"
    extra = {
        "extends": {"type": "string", "description": "Base scenario file this one extends "
                    "(relative to this file, inside the scenario folder)."},
        "apply": {"type": "array", "items": {"type": "string"},
                  "description": "Names of overrides (from this file or its bases) to apply."},
        "overrides": {"type": "object", "additionalProperties": {"type": "object"},
                      "description": "Named partial scenarios that `apply` can switch on."},
    }
    assert set(extra) == set(COMPOSITION_KEYS)
    document["properties"] = {**extra, **document["properties"]}
    # a dotted key (`service.lines[R1].weekday.headway_min: 30`) sets one field of a
    # section or of one list item; its value is checked by `railsim validate`, its first
    # part here (a misspelt section is still marked)
    part = r"(?:\[[^\]]+\])?"
    sections = "|".join(schema.Scenario.model_fields)
    document["patternProperties"] = {
        rf"^(?:{sections}){part}(?:\.[A-Za-z_][A-Za-z0-9_]*{part})+$": {
            "description": "One field of a section or of one list item, e.g. "
                           "service.lines[R1].weekday.headway_min."}}
    for name in _identity_item_models():  # an inherited item is removed with `remove: true`
        document["$defs"][name]["properties"][REMOVE] = {
            "type": "boolean", "description": "Remove the inherited item with this identity "
            "(extends and overrides)."}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _identity_item_models() -> list[str]:
    """Names of the models whose lists merge item by item (config.identity.IDENTITY)."""
    from railsim.config.identity import IDENTITY

    names = []
    for path in IDENTITY:
        model: Any = schema.Scenario
        for part in path:
            model = model.model_fields[part].annotation
        (item,) = typing.get_args(model)
        names.append(item.__name__)
    return names


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _annotated_name(args[0], args[1:])
    if origin in (typing.Union, __import__("types").UnionType):
        names = [_type_name(a) for a in args if a is not type(None)]
        text = " | ".join(dict.fromkeys(names))
        return text + (" or null" if type(None) in args else "")
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping {_type_name(args[0])} → {_type_name(args[1])}"
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
        return annotation.__name__
    return str(annotation)


def _annotated_name(annotation: Any, metadata: tuple[Any, ...]) -> str:
    """Clock times, ids and distributions by name, not as their underlying types."""
    if annotation is str:
        for meta in metadata:
            pattern = getattr(meta, "pattern", None)
            if pattern and pattern != schema.TEXT_PATTERN:
                return _pattern_name(pattern)
    if any(getattr(m, "discriminator", None) for m in metadata):
        return "distribution"
    return _type_name(annotation)


def _pattern_name(pattern: str) -> str:
    """A constrained string by what it holds: a clock time, a web address or an id."""
    return {schema.CLOCK_PATTERN: '"HH:MM"', schema.URL_PATTERN: "URL"}.get(pattern, "id")


def _default(info: Any) -> str:
    if info.default is PydanticUndefined:
        return "required"
    value = info.default
    if isinstance(value, dict) and not value:
        return "(defaults)"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _models() -> list[type[BaseModel]]:
    ordered: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in ordered:
            return
        ordered.append(model)
        for info in model.model_fields.values():
            for inner in _inner_models(info.annotation):
                visit(inner)

    visit(schema.Scenario)
    for dist in (schema.Fixed, schema.Exponential, schema.Lognormal, schema.Normal,
                 schema.Uniform, schema.Triangular, schema.Empirical):
        visit(dist)
    return ordered


def _inner_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        out.extend(_inner_models(arg))
    return out


def markdown() -> str:
    """The scenario reference: one table per model, fields with type, default, unit, meaning."""
    lines = [
        "# Scenario reference",
        "",
        "Generated from `railsim/config/schema.py` by `railsim schema --format markdown`; "
        "do not edit by hand (a test fails when it is stale).",
        "",
        "A scenario file is YAML. Besides the sections below it may use `extends: base.yaml` "
        "(merge over a base file), `overrides: {name: {...}}` (a library of named partial "
        "scenarios) and `apply: [name, ...]` (apply overrides; two that set the same key are "
        "an error). Files whose name starts with `_` are bases, not scenarios.",
        "",
        "Merging (extends, overrides, `railsim run --set`): mappings merge key by key. Lists "
        "whose items have an identity merge item by item — "
        + ", ".join(f"`{'.'.join(path)}` by {' + '.join(fields)}"
                    for path, fields in IDENTITY.items())
        + " — an item with a known identity is merged into the inherited one, a new identity "
        "is added, and `remove: true` in an item deletes the inherited one. All other lists "
        "are replaced whole, and so is a distribution whose `kind` changes. A dotted key "
        "with a selector changes one field of one item: "
        "`service.lines[R1].weekday.headway_min: 30`, `infrastructure.passing_loops[HEI@12]"
        ".length_m: 500`. A field set twice in one file (nested and as a dotted key) is an "
        "error naming both lines, as a duplicate key is.",
        "",
    ]
    for model in _models():
        lines.append(f"## {model.__name__}")
        lines.append("")
        paragraph = (model.__doc__ or "").strip().split("\n\n")[0]
        lines.append(" ".join(line.strip() for line in paragraph.splitlines()))
        lines.append("")
        lines.append("| field | type | default | unit | description |")
        lines.append("|---|---|---|---|---|")
        for name, info in model.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            unit = str(extra.get("unit", ""))
            bounds = []
            for meta in info.metadata:
                for attr, sym in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
                    val = getattr(meta, attr, None)
                    if val is not None:
                        bounds.append(f"{sym} {val}")
            desc = (info.description or "").replace("|", "\\|")
            if bounds:
                desc += f" ({', '.join(bounds)})"
            type_name = _type_name(info.annotation)
            for meta in info.metadata:
                pattern = getattr(meta, "pattern", None)
                if pattern and pattern != schema.TEXT_PATTERN:
                    type_name = _pattern_name(pattern)
            lines.append(f"| `{name}` | {type_name} | {_default(info)} | {unit} | {desc} |")
        lines.append("")
    return "\n".join(lines)

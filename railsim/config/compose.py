"""Scenario composition: ``extends:`` a base file, then apply named overrides.

A scenario file may hold three composition keys besides the scenario sections:

``extends: path/to/base.yaml``
    Start from another file (resolved relative to this file, recursively). The
    child's values are merged over the base: mappings merge key by key, lists whose
    items have an identity (service lines by id, passing loops by line and km, …; see
    :mod:`railsim.config.identity`) item by item, other lists and scalars are replaced.
    ``remove: true`` in an item deletes the inherited one; a dotted key with selectors
    (``service.lines[R1].weekday.headway_min: 30``) changes one field of one item.
``overrides: {name: {partial scenario}}``
    A library of named partial scenarios. Libraries of the base files are inherited.
``apply: [name, ...]``
    Overrides to apply, in order, on top of the merged document. Two applied
    overrides that set the same key (or one a parent of the other's key) are an
    error naming both, never a silent winner.

Paths may not leave ``root`` (the folder tree of the scenario set), so a scenario
cannot reach arbitrary files on the machine; neither may the scenario file itself (a
symbolic link to a file elsewhere is refused). Trouble with a path (a symlink loop, a NUL
byte, a name too long, no permission) is a located problem, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from railsim.config.identity import (
    CompositionError,
    Where,
    dotted_where,
    expand,
    is_dotted,
    merge_located,
    set_fields,
)
from railsim.config.yamlio import (
    Located,
    Path_,
    format_path,
    not_regular,
    os_reason,
    read_yaml,
)
from railsim.errors import Problem, ScenarioError

COMPOSITION_KEYS = ("extends", "apply", "overrides")
MAX_EXTENDS_DEPTH = 10


@dataclass
class Composed:
    """The merged document (without composition keys) and where each value came from."""

    located: Located
    file: Path
    applied: tuple[str, ...]


def leaf_paths(data: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Paths of the values a partial document sets (mappings are walked, lists are leaves).

    An empty override sets nothing; a nested empty mapping is a value of its own.

    >>> sorted(leaf_paths({"a": {"b": 1, "c": [1, 2]}, "d": None, "e": {}}))
    [('a', 'b'), ('a', 'c'), ('d',), ('e',)]
    >>> list(leaf_paths({}))
    []
    """
    if isinstance(data, Mapping) and (data or not prefix):
        for key, value in data.items():
            yield from leaf_paths(value, (*prefix, key))
    else:
        yield prefix


def _apply(base: Located, data: Mapping[str, Any], located: Located, display: str) -> Located:
    """``data`` (written where ``located`` says) merged onto ``base`` by identity: plain
    keys, then dotted keys in order, each value keeping the location it was written at
    (a dotted key's value at the key's line). A selector or ``remove`` that finds nothing
    and a field the document sets twice (nested and as a dotted key) are located problems."""
    _check_spellings(data, located, display)
    base = _without_stale_translations(base, data)
    written = Where.of(located.locations)
    plain = {k: v for k, v in data.items() if not is_dotted(k)}
    try:
        out, where = merge_located(base.data, plain, Where.of(base.locations), written)
    except CompositionError as exc:
        raise ScenarioError([_problem(located, exc.path, exc.message, display)]) from None
    for key, value in data.items():
        if not is_dotted(key):
            continue
        try:
            over = expand(key, value)
            out, where = merge_located(out, over, where, dotted_where(
                key, written.child(key), located.where((key,), display)))
        except CompositionError as exc:
            raise ScenarioError([_problem(located, (key,), exc.message, display)]) from None
    return Located(out, where.flat())


TRANSLATIONS = {"title": ("title_fi", "title_en")}
"""Fields and their translations: a file that changes the field without a translation
does not inherit that translation (it would name another scenario; the report falls back
to the field itself)."""


def _without_stale_translations(base: Located, data: Mapping[str, Any]) -> Located:
    stale = {translation for field, translations in TRANSLATIONS.items()
             if field in data and data[field] != base.data.get(field)
             for translation in translations if translation not in data}
    if not stale & set(base.data):
        return base
    return Located({k: v for k, v in base.data.items() if k not in stale},
                   {path: where for path, where in base.locations.items()
                    if not (path and path[0] in stale)})


def _check_spellings(data: Mapping[str, Any], located: Located, display: str) -> None:
    """A field set twice in one document, nested and as a dotted key (``appraisal:
    {discount_rate: 0.04}`` and ``appraisal.discount_rate: 0.05``) or by two dotted keys, is
    an error naming both lines, as a duplicate key is: never a silent last-wins."""
    seen: dict[Path_, Path_] = {}  # a field by its named path → the data path that set it
    below: dict[Path_, Path_] = {}  # a path above set fields → the data path of one
    problems: list[Problem] = []

    def add(named: Path_, real: Path_) -> None:
        seen.setdefault(named, real)
        for size in range(1, len(named)):
            below.setdefault(named[:size], real)

    for named, real in set_fields({k: v for k, v in data.items() if not is_dotted(k)}):
        add(named, real)
    for key, value in data.items():
        if not is_dotted(key):
            continue
        try:
            fields = [named for named, _ in set_fields(expand(key, value))]
        except CompositionError:
            continue  # the merge reports it
        for named in fields:
            other = next((seen[named[:size]] for size in range(1, len(named) + 1)
                          if named[:size] in seen), below.get(named))
            if other is None:
                continue
            spellings = sorted([
                (located.where(other, display),
                 f"as the dotted key {other[0]!r}" if is_dotted(other[0])
                 else f"nested, as {format_path(other)}"),
                (located.where((key,), display), "as a dotted key")],
                key=lambda item: (item[0].line, item[0].column))
            (first, how_first), (second, how_second) = spellings
            problems.append(Problem(
                second.file or display, second.line, second.column, key,
                f"set twice in this file: at line {first.line} ({how_first}) and at line "
                f"{second.line} ({how_second}); one would silently win",
                allowed="each field set once in a file, nested or as a dotted key"))
            break
        for named in fields:
            add(named, (key,))
    if problems:
        raise ScenarioError(problems)


def check_override_conflicts(
    overrides: Sequence[tuple[str, Mapping[str, Any]]],
) -> list[tuple[str, str, Path_]]:
    """Pairs of overrides that set the same key: ``(first, second, path)``.

    >>> check_override_conflicts([("a", {"x": {"y": 1}}), ("b", {"x": {"z": 2}})])
    []
    >>> check_override_conflicts([("a", {"x": {"y": 1}}), ("b", {"x": 3})])
    [('a', 'b', ('x',))]
    >>> check_override_conflicts([("a", {"x.y": 1}), ("b", {"x": {"y": 2}})])
    [('a', 'b', ('x', 'y'))]
    """
    # Indexed by path, so thousands of keys cost thousands of look-ups, not millions of
    # comparisons: a leaf conflicts with an earlier leaf at one of its prefixes, or with
    # an earlier leaf below it.
    conflicts: dict[tuple[str, str, Path_], None] = {}
    leaves: dict[Path_, list[str]] = {}
    below: dict[Path_, list[str]] = {}
    order = {name: number for number, (name, _) in reversed(list(enumerate(overrides)))}
    for name, body in overrides:
        paths = list(_override_paths(body))
        for path in paths:
            found = [(other, path[:size]) for size in range(1, len(path) + 1)
                     for other in leaves.get(path[:size], ())]
            found += [(other, path) for other in below.get(path, ())]
            for other, shorter in sorted(found, key=lambda item: order[item[0]]):
                if other != name:
                    conflicts.setdefault((other, name, shorter))
        for path in paths:
            leaves.setdefault(path, []).append(name)
            for size in range(len(path)):
                owners = below.setdefault(path[:size], [])
                if not owners or owners[-1] != name:
                    owners.append(name)
    return list(conflicts)


def _override_paths(body: Mapping[str, Any]) -> Iterator[Path_]:
    """The paths an override sets, a dotted key's as the nested path it stands for (an item
    it selects named by its identity, ``"[R1]"``), so that ``appraisal.discount_rate`` and
    ``appraisal: {discount_rate: ...}`` in two applied overrides are seen to set one key."""
    for key, value in body.items():
        if not is_dotted(key):
            yield from leaf_paths({key: value})
            continue
        try:
            yield from (named for named, _ in set_fields(expand(key, value)))
        except CompositionError:  # the merge reports it
            yield (key,)


def _resolve_inside(roots: tuple[Path, ...], base_dir: Path, target: str) -> Path | None:
    candidate = _resolve(base_dir / target)
    return candidate if any(candidate.is_relative_to(root) for root in roots) else None


def _resolve(path: Path) -> Path:
    """``path.resolve()``; a symlink loop is an OSError, as it is from Python 3.13 on."""
    try:
        return path.resolve()
    except RuntimeError as exc:  # Python < 3.13: "Symlink loop from ..."
        raise OSError(40, "symbolic link loop", str(path)) from exc


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _problem(located: Located, path: Path_, message: str, file: str, **kw: str) -> Problem:
    loc = located.where(path, file)
    return Problem(loc.file or file, loc.line, loc.column, format_path(path), message, **kw)


def _compose_file(
    file: Path, roots: tuple[Path, ...], chain: tuple[Path, ...]
) -> tuple[Located, dict[str, tuple[Any, Located]], tuple[str, ...]]:
    """Merged document of ``file`` and its bases, and the override library it sees."""
    display = _display(file)
    located = read_yaml(file, display)
    data = located.data
    problems: list[Problem] = []

    library: dict[str, tuple[Any, Located]] = {}
    merged = Located({}, {})
    base = _base_file(located, file, roots, chain, display)
    if base is not None:
        merged, library, _ = _compose_file(base, roots, (*chain, file))
    _add_own_overrides(located, display, library, problems)

    # A base's own name is not inherited: every scenario names its own result folder.
    dropped = (*COMPOSITION_KEYS, "name") if chain else COMPOSITION_KEYS
    body = {k: v for k, v in data.items() if k not in dropped}
    merged = _apply(merged, body, located, display)

    chosen = _applied_overrides(located, display, library, problems)
    if problems:
        raise ScenarioError(problems)
    for name, over in chosen:
        merged = _apply(merged, over, library[name][1], display)
    return merged, library, tuple(name for name, _ in chosen)


def _base_file(located: Located, file: Path, roots: tuple[Path, ...], chain: tuple[Path, ...],
               display: str) -> Path | None:
    """The file ``extends`` names (None without one); raises if it may not be used."""
    extends = located.data.get("extends")
    if extends is None:
        return None
    if not isinstance(extends, str) or not extends.strip():  # "" would be the folder
        raise ScenarioError([_problem(located, ("extends",), "must be a file path", display,
                                      given=repr(extends),
                                      allowed="the base's file name, e.g. _base.yaml")])
    try:
        base = _resolve_inside(roots, file.parent, extends)
        found = base is not None and base.is_file()
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte
        raise ScenarioError([_problem(located, ("extends",),
                                      f"cannot read the base file: {os_reason(exc)}",
                                      display, given=repr(extends))]) from None
    if base is None:
        raise ScenarioError([_problem(
            located, ("extends",), "path leaves the scenario folder", display,
            given=repr(extends),
            allowed="files inside " + ", ".join(_display(r) for r in roots)
            + ("" if len(roots) > 1 else " (railsim --root DIR, or [extends] roots in a "
                                          "railsim.toml beside the scenarios, allows another "
                                          "folder)"))])
    if base in chain or base == file:
        # the whole loop, from the file checked: the error stands where the loop closes,
        # which may be another file than the one checked
        loop = (*chain[chain.index(base):], file, base) if base in chain else (file, base)
        raise ScenarioError([_problem(located, ("extends",), "circular extends ("
                                      + " -> ".join(_display(f) for f in loop) + ")",
                                      display, given=repr(extends))])
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError([_problem(located, ("extends",), "extends chain too deep",
                                      display, allowed=f"at most {MAX_EXTENDS_DEPTH} levels")])
    if not found and (kind := not_regular(base)):
        raise ScenarioError([_problem(located, ("extends",), f"not a regular file: {kind}",
                                      display, given=repr(extends), allowed="a YAML file")])
    if not found:
        raise ScenarioError([_problem(located, ("extends",), "file not found", display,
                                      given=repr(extends), hint=_near_file(base))])
    return base


def _near_file(missing: Path) -> str:
    """A "did you mean" for a base file name with a typo or the other suffix (.yml)."""
    from railsim.config.suggest import did_you_mean

    try:
        names = [p.name for p in missing.parent.iterdir()
                 if p.suffix in (".yaml", ".yml") and p.is_file()]
    except OSError:
        return ""
    for other in (".yaml", ".yml"):
        if missing.with_suffix(other).name in names and other != missing.suffix:
            return f"did you mean {missing.with_suffix(other).name!r}?"
    # compare names without the suffix: ".yaml" alone makes any two names look alike
    stems = {Path(name).stem: name for name in names}
    hint = did_you_mean(missing.stem, stems)
    close = next((name for stem, name in stems.items() if f"'{stem}'" in hint), None)
    return f"did you mean {close!r}?" if close else ""


def _add_own_overrides(located: Located, display: str,
                       library: dict[str, tuple[Any, Located]],
                       problems: list[Problem]) -> None:
    """Add the file's own ``overrides`` to ``library`` (they replace a base's of that name)."""
    own_overrides = located.data.get("overrides", {})
    if not isinstance(own_overrides, dict):
        problems.append(_problem(located, ("overrides",), "must be a mapping of name → partial "
                                 "scenario", display))
        return
    for name, body in own_overrides.items():
        if not isinstance(body, dict):
            problems.append(_problem(located, ("overrides", name),
                                     "an override must be a mapping", display,
                                     given=type(body).__name__))
            continue
        sub_locs = {
            path[2:]: loc for path, loc in located.locations.items()
            if path[:2] == ("overrides", name)
        }
        library[name] = (body, Located(body, sub_locs))


def _applied_overrides(located: Located, display: str,
                       library: dict[str, tuple[Any, Located]],
                       problems: list[Problem]) -> list[tuple[str, Mapping[str, Any]]]:
    """The overrides ``apply`` names, in order; unknown and conflicting ones are problems."""
    apply = located.data.get("apply", [])
    if isinstance(apply, str):
        apply = [apply]
    if not isinstance(apply, list) or not all(isinstance(a, str) for a in apply):
        problems.append(_problem(located, ("apply",), "must be a list of override names",
                                 display))
        apply = []
    chosen: list[tuple[str, Mapping[str, Any]]] = []
    for i, name in enumerate(apply):
        if name not in library:
            from railsim.config.suggest import did_you_mean

            problems.append(_problem(
                located, ("apply", i), "unknown override", display, given=repr(name),
                allowed=", ".join(sorted(library)) or "no overrides are defined",
                hint=did_you_mean(name, library),
            ))
            continue
        chosen.append((name, library[name][0]))
    for first, second, path in check_override_conflicts(chosen):
        loc_a = library[first][1].where(path, display)
        loc_b = library[second][1].where(path, display)
        problems.append(Problem(
            display, located.where(("apply",)).line, located.where(("apply",)).column,
            format_path(path).replace(".[", "["),
            f"overrides {first!r} ({loc_a.file}:{loc_a.line}) and {second!r} "
            f"({loc_b.file}:{loc_b.line}) both set this key",
            allowed="each key set by at most one applied override",
        ))
    return chosen


SET_FILE = "railsim.toml"
"""Settings of a scenario set, beside its scenarios: ``[extends] roots = ["../shipped"]``."""


def set_roots(folder: Path) -> tuple[Path, ...]:
    """The further folders ``extends`` may reach that ``folder/railsim.toml`` names
    (relative to that file), as ``--root`` would; () without the file.

    Raises :class:`ScenarioError` (file, line, what is allowed) for a malformed file or a
    root that is not a folder.
    """
    import tomllib

    path = folder / SET_FILE
    if not path.is_file():
        return ()
    shown = _display(path)
    try:
        source = path.read_text(encoding="utf-8")
        settings = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) \
            else len(source.splitlines())  # "at end of document"
        raise ScenarioError([Problem(shown, line, 0, "", f"not valid TOML: {exc}",
                                     allowed='[extends] roots = ["folder", ...]')]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(shown, 0, 0, "", f"cannot read file: {exc}")]) from None
    unknown = sorted(set(settings) - {"extends"}) + sorted(
        set(settings.get("extends", {})) - {"roots"}
        if isinstance(settings.get("extends"), dict) else set())
    roots = settings.get("extends", {}).get("roots", []) \
        if isinstance(settings.get("extends"), dict) else None
    def line_of(key: str) -> int:
        return next((n for n, text in enumerate(source.splitlines(), 1)
                     if re.match(rf"\s*\[?\s*{re.escape(key)}\b", text)), 0)

    if unknown or not isinstance(roots, list) or not all(isinstance(r, str) for r in roots):
        raise ScenarioError([Problem(shown, line_of(unknown[0] if unknown else "roots"), 0,
                                     ".".join(unknown) or "extends.roots",
                                     "unknown key" if unknown else "not a list of folders",
                                     allowed='[extends] roots = ["folder", ...] (folders '
                                     'relative to this file)')])
    found = []
    for given in roots:
        target = _resolve(folder / given)
        if not target.is_dir():
            raise ScenarioError([Problem(shown, line_of("roots"), 0, "extends.roots",
                                         "not a folder", given=repr(given),
                                         allowed="roots: existing folders relative to "
                                         "this file")])
        found.append(target)
    return tuple(found)


def compose(file: str | Path, root: str | Path | None = None,
            extra_roots: Sequence[str | Path] = ()) -> Composed:
    """Resolve ``file`` with its ``extends`` chain and applied overrides.

    ``root`` is the folder tree the scenario set may use (default: the file's folder);
    ``extra_roots`` are further trees that ``extends`` may reach (``railsim --root DIR``,
    e.g. the shipped scenarios a client's variants build on), and so are the ones a
    ``railsim.toml`` in ``root`` names (:func:`set_roots`). The scenario file itself must
    lie inside ``root``.
    """
    try:
        path = _resolve(Path(file))
        root_path = _resolve(Path(root)) if root is not None else path.parent
        found = path.is_file()
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte
        raise ScenarioError([Problem(str(file), 0, 0, "",
                                     f"cannot read file: {os_reason(exc)}")]) from None
    if not found:
        kind = not_regular(path)
        raise ScenarioError([Problem(str(file), 0, 0, "", "not a regular file", given=kind,
                                     allowed="a YAML file") if kind
                             else Problem(str(file), 0, 0, "", "file not found")])
    if not path.is_relative_to(root_path):
        raise ScenarioError([Problem(
            str(file), 0, 0, "", "the scenario file is a link to a file outside the "
            "scenario folder", given=_display(path),
            allowed=f"files inside {_display(root_path)}")])
    try:
        extra = tuple(_resolve(Path(r)) for r in extra_roots)
        roots = (root_path, *extra, *set_roots(root_path))
        missing = next((given for given, found in zip(extra_roots, extra, strict=True)
                        if not found.is_dir()), None)
    except (OSError, ValueError) as exc:
        raise ScenarioError([Problem(str(file), 0, 0, "",
                                     f"cannot use a --root folder: {os_reason(exc)}")]) from None
    if missing is not None:  # a typo would only show as "path leaves the scenario folder"
        raise ScenarioError([Problem(str(file), 0, 0, "", "cannot use a --root folder: not "
                                     "an existing folder", given=str(missing),
                                     allowed="existing folders")])
    located, _, applied = _compose_file(path, roots, ())
    located.data.setdefault("name", path.stem)
    return Composed(located, path, applied)

"""Finding scenario files: files as given, folders searched recursively."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from railsim.errors import cut

SCENARIO_SUFFIXES = (".yaml", ".yml")
RESOLVED_FILE = "scenario.resolved.yaml"
"""What a result folder holds of its scenario: never a scenario to run again."""

PathLike = str | os.PathLike[str]
ScenarioFiles = PathLike | Iterable[PathLike | tuple[PathLike, PathLike]]
"""A file or folder, or several; in a list also ``(file, root)`` pairs as found already."""


def _each(paths: PathLike | Iterable[PathLike]) -> list[PathLike]:
    # A str is iterable too: one path must not become one path per character.
    if isinstance(paths, str | os.PathLike):
        return [_given(paths)]
    return [_given(item, number) for number, item in enumerate(_items(paths))]


def _items(paths: object) -> list[Any]:
    """The items of a collection of paths; a TypeError saying what is expected otherwise
    (not "'NoneType' object is not iterable"; a dict's keys are no list of files)."""
    if isinstance(paths, Iterable) and not isinstance(paths, bytes | Mapping):
        return list(paths)
    raise TypeError("expected a scenario file or folder (a str or Path), or a list of them; "
                    f"got {type(paths).__name__}")


def given_path(path: object, name: str) -> PathLike:
    """``path`` if it can name a file or folder; else a TypeError (a Scenario object, a
    number, None) or a ValueError ("", which would be the current folder), each message
    starting with ``name``, what the path was given as."""
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"{name} must be a str or Path naming a file or folder; got "
                        f"{type(path).__name__} {cut(repr(path))}")
    if isinstance(path, str) and not path.strip():
        raise ValueError(f"{name} is an empty path, which would be the current folder; give "
                         "a path ('.' for the current folder)")
    return path


def _given(path: object, number: int | None = None) -> PathLike:
    return given_path(path, "the path" if number is None else f"item {number} of the list")


def find_scenarios(paths: PathLike | Iterable[PathLike]) -> list[tuple[Path, Path]]:
    """``(file, root)`` pairs: files as given, folders searched recursively.

    ``paths`` is one file or folder (a str or Path) or several. Files whose name starts
    with ``_`` inside a folder are bases for other scenarios, not scenarios themselves,
    and a result folder's ``scenario.resolved.yaml`` is a result. ``root`` is the folder
    tree a scenario may reach.
    """
    found: list[tuple[Path, Path]] = []
    for raw in _each(paths):
        path = Path(raw)
        if _is_dir(path):
            for file in sorted(path.rglob("*")):
                # a link that leads nowhere (or in a loop), a named pipe or a device is
                # listed, so that loading it reports why, rather than skipped in silence
                if (file.suffix.lower() in SCENARIO_SUFFIXES  # A.YAML from Windows too
                        and (file.is_symlink() or not file.is_dir())
                        and not file.name.startswith("_") and file.name != RESOLVED_FILE
                        and not any(part.startswith(".") for part in file.relative_to(path).parts)):
                    found.append((file, path))
        else:
            found.append((path, path.parent))
    return found


def scenario_files(files: ScenarioFiles) -> list[tuple[Path, Path]]:
    """``(file, root)`` pairs of files, folders or pairs (see :func:`find_scenarios`)."""
    if isinstance(files, str | os.PathLike):
        return find_scenarios(files)
    pairs: list[tuple[Path, Path]] = []
    for number, item in enumerate(_items(files)):
        if isinstance(item, tuple):
            if len(item) != 2:
                raise TypeError(f"item {number} of the list: a (file, root) pair has 2 "
                                f"items; got {len(item)}")
            file, root = (_given(part, number) for part in item)
            pairs.append((Path(file), Path(root)))
        else:
            pairs += find_scenarios(_given(item, number))
    return pairs


def folder_containing(out: Path, paths: tuple[str, ...]) -> Path | None:
    """The scenario folder among ``paths`` that ``out`` is (or lies inside), if any.

    Results written there would be read as scenarios by the next run over that folder.
    """
    try:
        target = out.resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    for raw in paths:
        path = Path(raw)
        if _is_dir(path) and target.is_relative_to(path.resolve()):
            return path
    return None


def _is_dir(path: Path) -> bool:
    """``path.is_dir()``; a path the system cannot even look up is no folder (loading it as a
    file then says why)."""
    try:
        return path.is_dir()
    except (OSError, ValueError):  # a name too long, a NUL byte
        return False

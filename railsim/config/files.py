"""Finding scenario files: files as given, folders searched recursively."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

SCENARIO_SUFFIXES = (".yaml", ".yml")


def find_scenarios(paths: str | Path | Sequence[str | Path]) -> list[tuple[Path, Path]]:
    """``(file, root)`` pairs: files as given, folders searched recursively.

    ``paths`` is one path (str or Path) or a sequence of them. Files whose name starts
    with ``_`` inside a folder are bases for other scenarios, not scenarios themselves.
    ``root`` is the folder tree a scenario may reach.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    found: list[tuple[Path, Path]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if (file.suffix in SCENARIO_SUFFIXES and file.is_file()
                        and not file.name.startswith("_")
                        and not any(part.startswith(".") for part in file.relative_to(path).parts)):
                    found.append((file, path))
        else:
            found.append((path, path.parent))
    return found

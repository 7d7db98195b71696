"""Fingerprints of result folders: what a scenario's results were computed from.

A rerun skips a scenario whose fingerprint is unchanged: the same resolved scenario, the
same railsim version and source files and the same corridor data. Run settings (seed,
replications, draws) are part of the resolved scenario.
The file lists each part as well as the overall hash, so a changed part can be seen.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from railsim.results import write_text_atomic

if TYPE_CHECKING:
    from railsim.corridor import Corridor

FINGERPRINT_FILE = "fingerprint.txt"


def tree_hash(folder: Path) -> str:
    """sha256 over every file below ``folder`` (relative path and bytes, sorted by path).

    Byte-code caches are left out: they change without the source changing.
    """
    digest = hashlib.sha256()
    files = sorted(p for p in folder.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def environment_parts(corridor: Corridor) -> dict[str, str]:
    """The parts shared by every scenario of a batch (computed once per batch)."""
    import railsim

    return {
        "railsim": railsim.__version__,
        "source": tree_hash(Path(railsim.__file__).resolve().parent),
        "data": corridor.fingerprint,
    }


def fingerprint(resolved_yaml: str, environment: dict[str, str]) -> str:
    """The text of ``fingerprint.txt`` for one scenario."""
    parts = {"scenario": hashlib.sha256(resolved_yaml.encode("utf-8")).hexdigest(),
             **environment}
    body = "".join(f"{key}: {value}\n" for key, value in parts.items())
    overall = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return f"sha256: {overall}\n{body}"


def is_unchanged(folder: Path, expected: str) -> bool:
    """Whether ``folder`` holds complete results with this fingerprint (and no error)."""
    path = folder / FINGERPRINT_FILE
    if (folder / "error.txt").exists() or not path.is_file():
        return False
    return path.read_text(encoding="utf-8") == expected


def write_fingerprint(folder: Path, text: str) -> None:
    """Write ``fingerprint.txt`` atomically.

    It is written after the result folder is complete, so it marks completion: a folder
    without it (say after a crash between the two) is simply recomputed next time.
    """
    write_text_atomic(folder / FINGERPRINT_FILE, text)

"""Fingerprints of result folders: what a scenario's results were computed from.

A rerun skips a scenario whose fingerprint is unchanged: the same resolved scenario, the
same railsim version and source files, the same data/ files and the same run options.
The file lists each part as well as the overall hash, so a changed part can be seen.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from railsim.results import write_text_atomic

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


def environment_parts(replications: int | None, seed: int | None) -> dict[str, str]:
    """The parts shared by every scenario of a batch (computed once per batch)."""
    import railsim
    from railsim.data import data_dir

    return {
        "railsim": railsim.__version__,
        "source": tree_hash(Path(railsim.__file__).resolve().parent),
        "data": tree_hash(data_dir()),
        "replications": "scenario default" if replications is None else str(replications),
        "seed": "scenario default" if seed is None else str(seed),
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

"""Fingerprints of result folders: what a scenario's results were computed from.

A rerun skips a scenario whose fingerprint is unchanged: the same resolved scenario, the
same railsim version and source files and the same corridor data. Run settings (seed,
replications, draws) are part of the resolved scenario.
The file lists each part as well as the overall hash, so a changed part can be seen.

Below the parts, ``files:`` lists the sha256 of every result file the run wrote (not
``run.log``, nor what a report adds in subfolders): a folder whose files are missing or
changed since (deleted by hand, truncated by a full disk, half-copied) is not complete,
so a rerun computes it again and a report refuses it instead of showing gaps.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from railsim.results import (
    FILES_HEADER,
    FINGERPRINT_FILE,
    NOT_LISTED,
    damaged_files,
    file_digest,
    has_failed,
    read_fingerprint,
    write_text_atomic,
)

if TYPE_CHECKING:
    from railsim.corridor import Corridor


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


def _result_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name not in NOT_LISTED
                  and not p.name.startswith("."))


def has_complete_results(folder: Path) -> bool:
    """Whether ``folder`` holds the results of a run that succeeded, every file as it
    was written (and no error since)."""
    return not has_failed(folder) and damaged_files(folder) == []


def holds_results(folder: Path) -> bool:
    """Whether ``folder`` holds results of a run that succeeded, as written, whether or
    not a later run failed beside them (error.txt): what a failure must keep. A folder
    of a railsim before the file list counts when its fingerprint is there."""
    return read_fingerprint(folder) is not None and not damaged_files(folder)


def is_unchanged(folder: Path, expected: str) -> bool:
    """Whether ``folder`` holds complete results with this fingerprint (and no error)."""
    read = read_fingerprint(folder)
    return read is not None and read[0] == expected and has_complete_results(folder)


def write_fingerprint(folder: Path, text: str) -> None:
    """Write ``fingerprint.txt`` atomically, with the list of the folder's result files.

    It is written once the folder's files are complete, so it marks completion: the batch
    writes it into the temporary folder before that is renamed into place
    (:func:`~railsim.results.write_result_folder`'s ``seal``), and a folder without it
    (written by hand, or by a railsim before) is simply recomputed next time.
    """
    listed = "".join(f"  {file_digest(path)} {path.name}\n" for path in _result_files(folder))
    write_text_atomic(folder / FINGERPRINT_FILE, text + FILES_HEADER + listed)

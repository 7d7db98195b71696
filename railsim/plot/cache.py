"""Charts kept from the last report of an unchanged result folder.

A scenario chart is a function of the files it reads and of the code that draws it, and
nothing else: its images are kept beside the results, in
``<scenario folder>/.report-charts/<chart>.json``, under a key that hashes those files'
bytes, railsim's source, matplotlib's version and the languages. The next report takes
them when the key matches (a rerun that skipped the scenario as unchanged) and draws
again when anything differs. A scenario evaluated again gets a new folder, without them.
A drawing that logged a warning (a damaged table left out) is not kept, so that the next
report says it again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from importlib.metadata import version
from pathlib import Path

from railsim.batch.fingerprint import tree_hash
from railsim.plot.compact import Compact
from railsim.results import write_text_atomic

log = logging.getLogger(__name__)

CACHE_DIR = ".report-charts"
"""The folder, in a scenario's result folder, of its charts as the last report drew them."""


@functools.cache
def code_key() -> str:
    """railsim's source (as fingerprint.txt hashes it) and matplotlib's version: any
    change to the code that draws, labels or formats a chart gives charts a new key."""
    import railsim

    source = tree_hash(Path(railsim.__file__).resolve().parent)
    return f"{source} matplotlib {version('matplotlib')}"


def chart_key(name: str, langs: Sequence[str], inputs: Sequence[Path]) -> str:
    """The key of chart ``name`` in ``langs`` drawn from the files ``inputs``."""
    digest = hashlib.sha256(f"{code_key()}\0{name}\0{','.join(langs)}".encode())
    for path in inputs:
        digest.update(f"\0{path.name}\0".encode())
        try:
            digest.update(path.read_bytes())
        except FileNotFoundError:
            digest.update(b"\0missing")
    return digest.hexdigest()


def cached_chart(folder: Path, name: str, langs: Sequence[str], inputs: Sequence[Path],
                 draw: Callable[[], dict[str, Compact]]) -> dict[str, Compact]:
    """Chart ``name`` of the scenario folder ``folder`` by language: the images kept
    there when drawn from the same ``inputs`` by the same code, else ``draw()`` (kept
    for the next report; a folder that cannot be written only loses the reuse)."""
    key = chart_key(name, langs, inputs)
    path = folder / CACHE_DIR / f"{name}.json"
    kept = _read(path, key)
    if kept is not None:
        return kept
    with _warnings() as warned:
        drawn = draw()
    if warned:  # a damaged table or a chart that failed: say it again at the next report
        return drawn
    try:
        path.parent.mkdir(exist_ok=True)
        write_text_atomic(path, json.dumps(
            {"key": key, "images": {lang: [c.kind, c.data] for lang, c in drawn.items()}}))
    except OSError as exc:
        log.debug("chart %s of %s not kept: %s", name, folder, exc)
    return drawn


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextlib.contextmanager
def _warnings() -> Iterator[list[int]]:
    """A list that holds the number of railsim's warnings logged in the block, once it
    ends (empty when none)."""
    counter, found = _Count(), list[int]()
    logger = logging.getLogger("railsim")
    logger.addHandler(counter)
    try:
        yield found
    finally:
        logger.removeHandler(counter)
        if counter.count:
            found.append(counter.count)


def _read(path: Path, key: str) -> dict[str, Compact] | None:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept["key"] != key:
            return None
        return {lang: Compact(str(kind), str(data)) for lang, (kind, data)
                in kept["images"].items()}
    except (OSError, ValueError, KeyError, TypeError):  # none yet, or damaged: draw again
        return None

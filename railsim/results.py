"""Result folders: tidy tables written atomically, with the resolved scenario.

Every file of ``DIR/<scenario>/``, its columns and every KPI of ``kpis.csv`` are declared
in :mod:`railsim.outputs` (and documented in docs/result-tables.md, generated from it);
:func:`declared_files` and :func:`kpi_frame` check what is written against it.

A folder is written to a temporary sibling first and renamed into place, so an
interrupted run never leaves a half-written result folder.

:func:`writing` is the one boundary between the file system and the user: an OS error
while results are written or read (disk full, no permission, a read-only or missing
folder) becomes a :class:`ResultsError` naming the path, never a traceback.

:func:`locked` keeps two runs from writing one result folder at once (the second is
refused, naming the first), and :func:`remove_leftovers` clears what a killed run left
behind (temporary folders, a folder moved aside) before a new run writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from railsim import outputs
from railsim.errors import RailsimError

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

KPI_COLUMNS = outputs.column_names("kpis.csv")
TEXT_COLUMNS = ("scenario", "title")
"""Columns read as text whatever they hold ("NA", "True" and "2030" stay strings)."""


class ResultsError(RailsimError):
    """Results cannot be written or read: disk full, no permission, a corrupt table."""


class DamagedTableError(ResultsError):
    """A result table whose content its readers cannot take: not CSV, a cell edited by
    hand (text in a number column), a declared column missing. The message names the file
    and, where there is one, the line."""


class NameTakenError(RailsimError):
    """A file or link, not a result folder, has a scenario's name in the result folder:
    that scenario fails (nothing is replaced); the others are written."""


def name_taken(folder: Path) -> str:
    """"a file" or "a link" when ``folder`` is one of those, not a result folder, else ""."""
    if folder.is_symlink():
        return "a link"
    return "a file" if folder.exists() and not folder.is_dir() else ""


@contextlib.contextmanager
def writing(path: Path, action: str = "write results to") -> Iterator[None]:
    """Turn an OS error in the block into a :class:`ResultsError` naming the path."""
    try:
        yield
    except OSError as exc:
        # the path meant, not the hidden staging folder that the error may name
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise ResultsError(f"cannot {action} {path}: {reason}") from None


def folder_name(stem: str) -> str:
    """A safe result-folder name for a scenario file that could not be loaded (see
    :func:`railsim.config.schema.folder_name`)."""
    from railsim.config.schema import folder_name as name

    return name(stem)


def kpi_frame(scenario: str, rows: Iterable[Mapping[str, object]],
              price_year: int | None = None) -> pd.DataFrame:
    """KPI rows as the long-format table of ``kpis.csv``.

    Raises :class:`~railsim.outputs.OutputDeclarationError` for a row that is not
    declared in :mod:`railsim.outputs` (variable, unit at ``price_year``, statistic).
    """
    import pandas as pd

    rows = list(rows)
    outputs.check_kpi_rows(rows, price_year)
    frame = pd.DataFrame([{"scenario": scenario, **row} for row in rows])
    if frame.empty:
        return pd.DataFrame(columns=list(KPI_COLUMNS))
    return frame[list(KPI_COLUMNS)]


def declared_files(files: Mapping[str, pd.DataFrame | str], rail: bool, weekday: bool
                   ) -> dict[str, pd.DataFrame | str]:
    """``files`` (name → table or text) of a scenario in the declared order, after checking
    them against :mod:`railsim.outputs`: each declared with exactly its columns, and every
    file required of a rail scenario (with a weekday service) or a do-minimum present
    (else :class:`~railsim.outputs.OutputDeclarationError`)."""
    outputs.check_files({name: None if isinstance(content, str)
                         else [str(c) for c in content.columns]
                         for name, content in files.items()},
                        outputs.required_files(rail, weekday))
    return {name: files[name] for name in outputs.ordered(files)}


LOCK_FILE = ".railsim.lock"
_held: dict[tuple[int, Path], int] = {}
"""(thread, result folder) of the locks this process holds, and how many times: re-entrant
within a thread (the command line locks, then the batch it calls), refused to another
thread (two batches of a notebook at once) as to another process."""


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold ``out``'s lock for the block; ResultsError when another run holds it.

    The lock is an OS lock on ``out/.railsim.lock`` (released by the system even when the
    holder is killed with kill -9, so it never goes stale); the file names the holder for
    the message and is removed on release. ``out`` is created if need be.
    """
    key = (threading.get_ident(), Path(os.path.abspath(out)))
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    with writing(out, "create the result folder"):
        out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_FILE
    with writing(out, "lock the result folder"):
        fd = _acquire(path)
    _held[key] = 1
    try:
        yield
    finally:
        del _held[key]
        with contextlib.suppress(OSError):
            os.unlink(path)  # while still locked, so nobody locks a file about to vanish
        _release(fd)


def _acquire(path: Path) -> int:
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise ResultsError(f"{path.parent} is in use by another railsim run ({holder}); "
                               "wait for it to finish or choose another result folder")
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:  # not a file the previous holder unlinked just before we locked it
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()}, since {time.strftime('%H:%M:%S')}\n".encode())
            return fd
        _release(fd)


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - CI runs on Linux
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _release(fd: int) -> None:
    os.close(fd)  # closing the descriptor releases the lock


_STAGING = re.compile(r"^\.(?P<name>.+)\.\d+\.[0-9a-f]{8}$")
_MOVED_ASIDE = re.compile(r"^\.(?P<name>.+)\.old$")
_REPORT_STAGING = re.compile(r"^\.report\.html\.\d+\.tmp$")


def remove_leftovers(out: Path) -> list[str]:
    """Clear what an interrupted or killed run left in ``out``; call it holding the lock.

    Temporary folders and files (``.<name>.<pid>.<random>``) are removed. A result folder
    moved aside (``.<name>.old``) is put back when its replacement never arrived, else
    removed. Returns the names handled.
    """
    handled: list[str] = []
    if not out.is_dir():
        return handled
    for entry in sorted(out.iterdir()):
        name = entry.name
        moved = _MOVED_ASIDE.match(name)
        if moved and entry.is_symlink():  # an earlier railsim moved a link aside
            entry.unlink()  # the link only, never what it points to
        elif moved and entry.is_dir():
            final = out / moved["name"]
            if final.exists():
                shutil.rmtree(entry)
            else:
                os.replace(entry, final)
        elif _STAGING.match(name) or _REPORT_STAGING.match(name):
            _remove(entry)
        else:
            if entry.is_dir() and not entry.is_symlink() and not name.startswith("."):
                for inner in _temporary_files(entry):
                    _remove(inner)
                    handled.append(inner.relative_to(out).as_posix())
            continue
        handled.append(name)
    return handled


def _temporary_files(folder: Path) -> list[Path]:
    """Temporary files and folders of atomic writes in a result folder: of error.txt
    written beside kept results, of its chart files (:func:`staged_folder`), and in its
    hidden subfolders (the report's chart cache, whose drawing workers are ended
    mid-write when a report is stopped)."""
    found = []
    for inner in folder.iterdir():
        if _STAGING.match(inner.name) and not inner.is_symlink():
            found.append(inner)
        elif inner.is_dir() and not inner.is_symlink() and inner.name.startswith("."):
            found += [f for f in inner.iterdir() if _STAGING.match(f.name) and f.is_file()]
    return found


def _temporary(path: Path) -> Path:
    """A hidden temporary sibling of ``path`` that :func:`remove_leftovers` knows."""
    return path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")


def remove_folder(folder: Path) -> None:
    """Remove a result folder whole or not at all: renamed aside in one step first, so a
    run stopped while it empties the folder leaves a temporary one (cleared by the next
    run), not part of the results under the scenario's name."""
    aside = _temporary(folder)
    os.replace(folder, aside)
    shutil.rmtree(aside)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


@contextlib.contextmanager
def staged_folder(final: Path) -> Iterator[Path]:
    """A temporary sibling of ``final`` for the block to fill; it then replaces ``final``
    whole (and is removed when the block fails or leaves it empty: nothing to replace
    with). For a folder drawn from the results (a scenario's chart files) that a stopped
    run must not leave in part: a kill between the two renames leaves none, which the
    next run draws again."""
    staging = _temporary(final)
    staging.mkdir()
    try:
        yield staging
        if not any(staging.iterdir()):
            staging.rmdir()
            return
        aside = _temporary(final)
        if final.is_dir() and not final.is_symlink():
            os.replace(final, aside)
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(aside, ignore_errors=True)


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.:-]+")


def numeric_csv(frame: pd.DataFrame) -> str | None:
    """The CSV text ``frame.to_csv(index=False)`` writes, for a frame of int64 and
    float64 columns with plain names (None for any other): the same characters (a float
    as Python's shortest repr, a missing value empty), made a few times faster. The
    uncertainty draws' table has 10 000 rows; pandas formats each number through a few
    layers of its own."""
    import numpy as np

    # names written as their str (pandas writes a missing name as an empty field), once
    # each (a repeated name would look up a frame, not a column)
    if not frame.columns.is_unique or not all(isinstance(name, (str, int, np.integer))
                                              for name in frame.columns):
        return None
    names = [str(name) for name in frame.columns]
    if not names or not all(_PLAIN_NAME.fullmatch(name) for name in names):
        return None
    # a row of one empty field is quoted (the csv module's way: an empty line would read
    # as no row)
    missing = '""' if len(names) == 1 else ""
    columns = []
    for k in range(len(names)):
        values = frame.iloc[:, k].to_numpy()
        if values.dtype == np.int64:
            columns.append([str(v) for v in values.tolist()])
        elif values.dtype == np.float64:
            columns.append([missing if v != v else repr(v) for v in values.tolist()])
        else:
            return None
    lines = [",".join(names), *(",".join(row) for row in zip(*columns, strict=True))]
    return os.linesep.join(lines) + os.linesep


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """``frame.to_csv(path, index=False)``, numbers-only frames by :func:`numeric_csv`."""
    text = numeric_csv(frame)
    if text is None:
        frame.to_csv(path, index=False)
    else:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)


def write_result_folder(out: Path, name: str, files: Mapping[str, pd.DataFrame | str], *,
                        seal: Callable[[Path], None] | None = None) -> Path:
    """Write ``files`` (name → table or text) to ``out/name`` atomically; return the folder.

    ``seal`` is called with the temporary folder once the files are in it, before it
    is renamed into place: what it adds (the batch's fingerprint.txt, which marks the
    folder complete) arrives with the results, never after them.

    A file or link of that name is not replaced (:class:`NameTakenError`): it is not a
    result folder.
    """
    if out.exists() and not out.is_dir():
        raise ResultsError(f"{out}: a file, not a folder; results are written in a folder")
    final = out / name
    taken = name_taken(final)
    if taken:
        raise NameTakenError(f"{final}: {taken}, not a result folder, has this scenario's "
                             "name; move or rename it")
    out.mkdir(parents=True, exist_ok=True)
    staging = _temporary(final)
    old = out / f".{name}.old"
    try:
        # Made inside the try: a stop signal raises wherever the main thread is, and one
        # just after the mkdir left the staging folder behind.
        # mkdir rather than mkdtemp: the folder gets the usual umask permissions, not 0700.
        staging.mkdir()
        for filename, content in files.items():
            path = staging / filename
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                path.write_text(content, encoding="utf-8")
            else:
                write_csv(content, path)
        if seal is not None:
            seal(staging)
        if old.exists():
            shutil.rmtree(old)
        if final.exists():
            os.replace(final, old)
        os.replace(staging, final)
    except BaseException:
        # Interrupted between the two renames (Ctrl-C): put the previous results back
        # rather than leave neither.
        if old.exists() and not final.exists():
            os.replace(old, final)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return final


def write_text_atomic(path: Path, text: str) -> None:
    """Write a text file (UTF-8) via a temporary sibling and a rename: never half-written."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write a file via a temporary sibling and a rename: never half-written."""
    # A plain exclusive open (not mkstemp) so the file gets the usual umask permissions.
    temp = _temporary(path)
    try:
        with temp.open("xb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def read_resolved(folder: Path) -> dict[str, Any]:
    """A result folder's ``scenario.resolved.yaml`` as plain data ({} when the folder has
    none or it cannot be read: readers of results skip what a folder lacks)."""
    import yaml

    try:
        text = (folder / "scenario.resolved.yaml").read_text(encoding="utf-8")
        # Safe loading only (no tags that build objects). libyaml's safe loader where
        # PyYAML was built with it: 5x faster, and every chart reads this file.
        safe_loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
        loaded = yaml.load(text, Loader=safe_loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


FINGERPRINT_FILE = "fingerprint.txt"
"""What a result folder was computed from and the sha256 of each of its result files
(written by :mod:`railsim.batch.fingerprint`; checked here, where any reader of result
folders can ask whether a folder is as its run wrote it)."""
FILES_HEADER = "files:\n"
"""Where the list of result files begins in ``fingerprint.txt``."""
NOT_LISTED = frozenset({FINGERPRINT_FILE, "error.txt", "run.log"})
"""Files of a result folder that are not results: the fingerprint itself, a failure's
error (beside kept results) and the log."""


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, as fingerprint.txt lists it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_fingerprint(folder: Path) -> tuple[str, str | None] | None:
    """(the parts, the file list or None when it has none) of ``folder``'s
    fingerprint.txt; None without one."""
    try:
        text = (folder / FINGERPRINT_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    parts, header, files = text.partition(FILES_HEADER)
    return parts, files if header else None


def damaged_files(folder: Path) -> list[str] | None:
    """Result files of ``folder`` missing or changed since the run wrote them ([] when
    all are as written); None when no fingerprint lists them (not a complete result
    folder, or one of a railsim before the list)."""
    read = read_fingerprint(folder)
    if read is None or read[1] is None:
        return None
    damaged = []
    for line in read[1].splitlines():
        digest, _, name = line.strip().partition(" ")
        if not name or "/" in name or name in NOT_LISTED:
            continue
        try:
            if file_digest(folder / name) != digest:
                damaged.append(name)
        except OSError:
            damaged.append(name)
    return damaged


def has_failed(folder: Path) -> bool:
    """Whether the last run of the scenario of ``folder`` failed (error.txt): whatever
    else the folder holds is kept from an earlier run, not its results."""
    return (folder / "error.txt").exists()


def read_result_table(path: Path) -> pd.DataFrame | None:
    """A result table for charts and the report, or None when it is missing or empty.

    Readers skip what a scenario lacks (a do-minimum has no timetable, a failed
    scenario only error.txt), so absence is a value here, not an error.
    """
    import pandas as pd

    if not path.is_file():
        return None
    try:
        # Only an empty cell is missing: a scenario named "NA" or titled "None" is text.
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""],
                            dtype={column: str for column in TEXT_COLUMNS})
    except pd.errors.EmptyDataError:
        return None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise DamagedTableError(f"cannot read {path}: not a railsim result table "
                                f"({str(exc).splitlines()[0][:200]})") from None
    except OSError as exc:
        raise ResultsError(f"cannot read {path}: {exc.strerror or exc}") from None
    missing = _missing_columns(path.name, frame.columns)
    if missing:  # a foreign or hand-edited table: its readers would fail on a column
        raise DamagedTableError(f"cannot read {path}: not a railsim result table (columns "
                                f"{', '.join(missing)} missing)")
    wrong = _wrong_cell(path.name, frame)
    if wrong:  # a cut or hand-edited row: its readers would fail on its value
        raise DamagedTableError(f"cannot read {path}: not a railsim result table ({wrong})")
    return None if frame.empty else frame


def read_part_table(path: Path, part: str) -> pd.DataFrame | None:
    """:func:`read_result_table` for a table that only ``part`` of the report reads (a
    chart, a table of the appraisal): a damaged one (in a folder taken as it is, edited
    by hand) is None with a warning naming the file, the line and what is left out, so
    one bad table costs its part and not the report. kpis.csv, which says what the
    folder holds, is refused as before: a folder without readable KPIs is no result."""
    try:
        return read_result_table(path)
    except DamagedTableError as exc:
        if path.name in CHECKED_COLUMNS:
            raise
        log.warning("%s; the report leaves out %s", exc, part)
        return None


CHECKED_COLUMNS = ("kpis.csv",)
"""Tables read only when they have every declared column and no empty name: a scenario's
KPIs, which the report, summary.csv and diff all index (a folder with a foreign kpis.csv
is listed as a result; older railsims wrote other tables with fewer columns, read as they
are). The number columns of every declared table are checked where present."""


def _declared(name: str) -> outputs.ResultFile | None:
    """The declaration of a result table of a scenario or batch folder, None if none."""
    for level in ("scenario", "batch"):
        try:
            return outputs.result_file(name, level)
        except KeyError:
            continue
    return None


def _wrong_cell(name: str, frame: pd.DataFrame) -> str:
    """What is wrong with the first cell of a table that its readers cannot take (a number
    column of any declared table holding text; in :data:`CHECKED_COLUMNS` also an empty
    name: a row cut short), with its line; "" when every cell fits. Columns a table lacks
    are not looked at (older railsims wrote fewer)."""
    import pandas as pd

    declared = _declared(name)
    if declared is None:
        return ""
    for column in declared.columns:
        if column.name not in frame.columns:
            continue
        cells = frame[column.name]
        if column.dtype in ("float", "int"):
            bad = cells.notna() & pd.to_numeric(cells, errors="coerce").isna()
            what = "not a number"
        elif name not in CHECKED_COLUMNS:
            continue
        elif column.name != "unit":  # a KPI without a unit has an empty one
            bad = cells.isna()
            what = "empty"
        else:
            continue
        if bad.any():
            row = int(bad.to_numpy().argmax())
            shown = f": {str(cells.iloc[row])[:40]!r}" if what != "empty" else ""
            return f"{column.name} in line {row + 2} is {what}{shown}"
    return ""


def _missing_columns(name: str, columns: Iterable[object]) -> list[str]:
    """Declared columns of the result table ``name`` that ``columns`` lack (none for a
    table not in :data:`CHECKED_COLUMNS`)."""
    if name not in CHECKED_COLUMNS:
        return []
    found = {str(column) for column in columns}
    return [column for column in outputs.column_names(name) if column not in found]


def headline_kpis(kpis: pd.DataFrame) -> dict[str, tuple[float, str]]:
    """KPI name → (value, unit): the ``value`` statistic, or the ``mean`` when uncertain.

    The same choice summary.csv makes for its columns.
    """
    found: dict[str, tuple[float, str]] = {}
    for statistic in ("mean", "value"):  # "value" read last, so it wins
        rows = kpis[(kpis["statistic"] == statistic) & kpis["value"].notna()]
        for variable, value, unit in zip(rows["variable"], rows["value"], rows["unit"],
                                         strict=True):
            found[str(variable)] = (float(value), "" if unit != unit else str(unit))
    return found

"""Local worker processes: the one way railsim starts them and stops them.

A run starts one pool (:func:`process_pool`, early: its workers import the stack while the
caller loads the scenarios) and hands it on: batch runs (a scenario per task), the Monte
Carlo simulation (replications in chunks) and the report (a chart per task) all submit to
it. Standard library, railsim.errors and railsim.quick_exit only, so any layer may use it.

* Workers never fork from the caller: forking a parent that may run threads (a progress
  bar, a Dask client) can deadlock. On Linux they fork from a fork server, a clean
  single-threaded process that imports the first pool's ``preload`` once per run, not
  once per worker (a second pool is ready at once). Elsewhere,
  or with ``RAILSIM_START_METHOD=spawn``, each starts as a fresh interpreter and imports
  ``preload`` itself. Work sent to a worker must be picklable and importable by module
  name either way.
* Ctrl-C reaches the whole process group. Workers ignore it; the caller gets the
  KeyboardInterrupt, and leaving :func:`worker_pool` with any exception ends running
  work at once instead of waiting for it.
* A worker exits when the process that started it is gone, even after kill -9 (which
  no handler sees): an orphan's parent id changes (or the parent is gone before the
  worker started, or is a zombie its starter has not reaped yet), and a watcher thread
  notices.
* Log records of the workers' ``railsim`` loggers go to the caller through a queue when
  one is given (:mod:`railsim.logs`), so progress and log files see the workers' stages.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, InvalidStateError, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, ParamSpec, TypeVar

from railsim.errors import SettingError

P = ParamSpec("P")
T = TypeVar("T")

START_METHOD_VARIABLE = "RAILSIM_START_METHOD"
"""Environment variable: ``spawn`` starts every worker as a fresh interpreter even where a
fork server is available (slower: each worker imports the stack itself)."""

PARENT_POLL_S = 0.5
"""How often a worker checks that its parent is still there [s]."""

WORKER_BLAS_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                       "MKL_NUM_THREADS": "1"}
"""The threads a worker's linear algebra may use, unless the environment says otherwise:
one. A pool has a worker per core already; a second thread each only competes with the
other workers (and OpenBLAS's idle threads spin for a while after each product). Set
in the fork server, or a spawned worker, before numpy is imported: it reads them once."""


def worker_init(parent: int, preload: Sequence[str] = (), events: Any = None) -> None:
    """Initializer of every worker: leave Ctrl-C to the caller, and exit when ``parent``
    (the process that started it) is gone. The id is passed in rather than read here
    because the parent may die while the worker is still starting.

    ``preload`` modules are imported once here, before the first task (at no cost for
    those the fork server imported already; a spawned worker starts with nothing
    loaded); ``events`` is a queue that receives the worker's log records (see
    :func:`railsim.logs.forward_to`)."""
    # Only the caller handles Ctrl-C (and then stops the workers), so idle workers do
    # not print tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    started_by = os.getppid()

    def watch() -> None:
        while os.getppid() == started_by and _alive(parent):
            time.sleep(PARENT_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="railsim-parent-watch", daemon=True).start()
    if events is not None:
        from railsim.logs import forward_to

        forward_to(events)
    # A spawned worker imports everything here, as the fork server does (see its start
    # below): one BLAS thread, unless numpy is in already, and the imports frozen.
    for name, value in WORKER_BLAS_THREADS.items():
        os.environ.setdefault(name, value)
    import_frozen(preload)


def import_frozen(modules: Sequence[str]) -> None:
    """Import ``modules`` with the cycle collector off, then freeze every object so far.

    For a process that railsim owns (a worker, the command line's): a stack's imports
    make about 200 000 objects that live as long as the process. The collector
    would go through them as they are made, and again at each full collection after
    (0.1 s and 0.3 s of a batch). Frozen, they are left out of every collection. Not
    for a caller's process (a notebook): its own garbage would never be collected."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        for module in modules:
            importlib.import_module(module)
        gc.freeze()
    finally:
        if was_on:
            gc.enable()


UNGUARDED_SCRIPT = ("each worker process imports the script that started the run again "
                    "(Python's multiprocessing does, except where it forks), and this "
                    "script calls railsim at its top level: put those calls under "
                    "'if __name__ == \"__main__\":', or use workers=1")
"""Why workers started from a script without a main guard cannot run."""


def starting_worker() -> bool:
    """Whether this process is a worker still importing the main script of the process that
    started it (multiprocessing's spawn and fork server do, before the first task)."""
    return bool(getattr(multiprocessing.current_process(), "_inheriting", False))


def refuse_in_starting_worker(function: str) -> None:
    """End a worker whose import of the caller's script runs ``function``, saying why once:
    it would start a pool of its own, and its parent see only that a worker broke."""
    if starting_worker():
        # printed here: a fork server's child ends at once on SystemExit, unprinted
        print(f"railsim.{function} was called while a worker process was starting: "
              f"{UNGUARDED_SCRIPT}", file=sys.stderr, flush=True)
        raise SystemExit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # there, but someone else's (the id was reused)
        return False
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether ``pid`` has exited and waits to be reaped (Linux; False where unknown).

    A killed run whose starter reads its output before waiting for it (subprocess.run
    with capture_output) stays a zombie until the output ends: its workers, which hold
    that output open, must not take it for alive, or each waits for the other for ever.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def start_method() -> str:
    """The start method :data:`START_METHOD_VARIABLE` asks for (``forkserver`` when unset
    or blank); a SettingError naming the variable for any other value."""
    text = os.environ.get(START_METHOD_VARIABLE, "")
    method = text.strip() or "forkserver"
    if method not in ("spawn", "forkserver"):
        raise SettingError(START_METHOD_VARIABLE, text, "not a start method railsim uses",
                           "spawn or forkserver; unset for forkserver where there is one")
    return method


def _context(preload: Sequence[str] = ()) -> Any:
    """Where workers come from: forked from a fork server that imported ``preload`` once
    (the stack is imported once per run, not once per worker), or spawned where there is
    no fork server (macOS and Windows have none by default, or it is off)."""
    method = start_method()
    _start_resource_tracker()
    if method == "spawn" or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # the list counts only before the server starts: the run's first pool
    context.set_forkserver_preload(["railsim.parallel", *preload, "railsim.preloaded"])
    return context


def start_fork_server(preload: Sequence[str] = ()) -> None:
    """Start the fork server of the workers to come, with its ``preload``, now; returns
    at once (the server imports ``preload`` meanwhile). Nothing where workers are spawned.

    A pool started soon after forks its workers as soon as the server is ready, instead of
    starting the server then. If no pool comes, the server ends when this process does."""
    context = _context(preload)
    if context.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    # Started ignoring Ctrl-C, which reaches the whole process group: the server ignores
    # it once railsim.parallel is imported (below), but it starts at the very beginning
    # of a run, and a Ctrl-C in its first 0.1 s killed it with a traceback of the import.
    # A signal ignored when a process starts stays ignored in it (this one's own Ctrl-C
    # is back as soon as the server is started).
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (a process of its own, started once for
    the queues and locks of the first pool) ignoring SIGHUP, in the main thread.

    It ignores Ctrl-C and SIGTERM, but died of the SIGHUP that a closed terminal sends
    the whole process group; the caller's clean-up then started another, which printed
    tracebacks. A signal ignored when a process starts stays ignored in it.
    """
    hangup = getattr(signal, "SIGHUP", None)  # Windows has none, and no tracker
    if hangup is None or threading.current_thread() is not threading.main_thread():
        return
    from multiprocessing import resource_tracker

    previous = signal.signal(hangup, signal.SIG_IGN)
    try:
        resource_tracker.ensure_running()
    finally:
        signal.signal(hangup, previous)


def _ready() -> int:
    return os.getpid()


def _imported_by_fork_server() -> bool:
    """Whether this module is being imported by a fork server's preload (it is the first
    module of every preload list: :func:`_context`)."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if (frame.f_code.co_name == "main"
                and frame.f_globals.get("__name__") == "multiprocessing.forkserver"):
            return True
        frame = frame.f_back
    return False


def _fork_server_exit() -> None:
    """The fork server's last exit handler: end without the interpreter's teardown.

    The server exits when the run does. Freeing its imported stack module by module took
    about 0.2 s, during which it still held the run's stdout and stderr open (a pipe
    reader, ``$(railsim run ...)`` or ``| tee``, waited for it). It has no files or
    children of its own to close: its workers watch for their parent themselves."""
    from railsim.quick_exit import exit_now

    exit_now(0)


FORK_SERVER = _imported_by_fork_server()
"""True in a fork server and the workers forked from it (they inherit its modules)."""

if FORK_SERVER:
    for _name, _value in WORKER_BLAS_THREADS.items():
        os.environ.setdefault(_name, _value)
    # The preload creates about 200 000 objects that live as long as the process.
    # The cycle collector would go through them repeatedly as they are made (0.1 s of the
    # server's start, on the run's critical path), and in every worker at each full
    # collection afterwards: off until the preload is done, then they are frozen
    # (railsim.preloaded), as Python's documentation suggests before forking.
    gc.disable()
    # Ctrl-C reaches the whole process group. The fork server ignores it only once its
    # preload is imported (a second or more, at the start of a run): until then it would
    # die of it with a traceback of the import on the terminal. Its workers inherit this.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # registered after multiprocessing's own handler, so it runs first (last in, first out)
    atexit.register(_fork_server_exit)


def process_pool(workers: int, preload: Sequence[str] = (), events: Any = None,
                 start: bool = False) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes (forked or spawned: :func:`_context`) that leave
    Ctrl-C to the caller and die with it; each imports ``preload`` once and forwards its
    log records to ``events`` (a queue of :func:`event_queue`) if given. ``start``
    starts every worker now (the executor otherwise starts them as work arrives), so
    their imports run while the caller prepares the work."""
    pool = _Pool(max_workers=workers, initializer=worker_init,
                 initargs=(os.getpid(), tuple(preload), events), mp_context=_context(preload))
    if start:
        # one trivial task per worker: the executor starts a process for each one that
        # finds no idle worker. Submitted from a thread of its own: the first process
        # waits for the fork server to import ``preload`` (about a second), and the
        # caller meanwhile loads and evaluates instead of waiting.
        warming = _Warming()
        _warming[pool] = warming
        warming.thread = threading.Thread(target=warming.start, args=(pool, workers),
                                          name="railsim-pool-start", daemon=True)
        warming.thread.start()
    return pool


class _Future(Future[T]):
    """A pool's future that fails quietly when it was cancelled first.

    When the workers die (a SIGTERM to the whole process group, the out-of-memory
    killer) as another thread cancels queued work (a batch that stops does), the
    executor's thread fails every pending future, the cancelled ones too. On Python 3.11
    that raised InvalidStateError: the thread died with a traceback on the terminal and
    left the queue of work open, and the process hung at exit, still writing work that no
    worker would read (Python 3.12 ignores the error, as this does).
    """

    def set_exception(self, exception: BaseException | None) -> None:
        try:
            super().set_exception(exception)
        except InvalidStateError:
            if not self.cancelled():
                raise


class _Pool(ProcessPoolExecutor):
    """The executor of :func:`process_pool`: its futures are :class:`_Future`."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future = super().submit(fn, *args, **kwargs)
        future.__class__ = _Future  # the executor makes plain ones; same layout
        return future


class _Warming:
    """The start-up of a pool's workers (one trivial task each), submitted by a thread."""

    def __init__(self) -> None:
        self.futures: list[Future[int]] = []
        self.thread: threading.Thread | None = None

    def start(self, pool: ProcessPoolExecutor, workers: int) -> None:
        try:
            for _ in range(workers):
                self.futures.append(pool.submit(_ready))
        except Exception:  # stopped or broken meanwhile: its users see it
            return

    def done(self) -> bool:
        return (self.thread is None or not self.thread.is_alive()) and all(
            future.done() for future in self.futures)

    def join(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)


_warming: weakref.WeakKeyDictionary[Executor, _Warming] = weakref.WeakKeyDictionary()
"""The start-up of pools started with ``start``: done once their workers are ready."""


def is_warm(pool: Executor) -> bool:
    """Whether ``pool``'s workers have finished starting (always, for a pool not started
    by :func:`process_pool` with ``start``): small work is not worth waiting for them."""
    warming = _warming.get(pool)
    return warming is None or warming.done()


def wait_warm(pool: Executor, timeout: float | None = None) -> bool:
    """Wait until ``pool``'s workers have started (see :func:`is_warm`); whether they have."""
    warming = _warming.get(pool)
    if warming is None:
        return True
    warming.join(timeout)
    for future in list(warming.futures):
        # a broken pool is its users' error to see
        with contextlib.suppress(Exception):
            future.result(timeout)
    return warming.done()


def event_queue() -> Any:
    """A queue workers of :func:`process_pool` can put log records in."""
    return _context().SimpleQueue()


@contextmanager
def worker_pool(workers: int, preload: Sequence[str] = (), events: Any = None,
                start: bool = False) -> Iterator[ProcessPoolExecutor]:
    """:func:`process_pool` as a context: waits for the work when the block ends normally,
    stops the workers at once when it ends with an exception (Ctrl-C included) or when a
    generator holding it is closed early."""
    pool = process_pool(workers, preload, events, start)
    try:
        yield pool
    except BaseException:
        stop(pool)
        raise
    pool.shutdown()


STOP_WAIT_S = 10.0
"""How long stopping a pool waits for its thread and workers at each step."""


def stop(pool: ProcessPoolExecutor) -> None:
    """Cancel queued work and end the running work now, not when it finishes."""
    # The executor has no public way to end running tasks (before Python 3.14's
    # terminate_workers); its process table is the documented-by-use workaround. The
    # executor's own thread then sees the workers gone and reaps them. Its thread and
    # result pipe are taken before shutdown(), which drops the executor's references.
    warming = _warming.get(pool)
    if warming is not None:  # its thread may be starting a worker: let it finish first
        warming.join(STOP_WAIT_S)
    processes = list((getattr(pool, "_processes", None) or {}).values())
    thread = getattr(pool, "_executor_manager_thread", None)
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    for process in processes:
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    if thread is not None:
        thread.join(STOP_WAIT_S)
        if thread.is_alive() and writer is not None:
            # A worker ended in the middle of sending a result: the executor's thread
            # waits for the rest of the message forever. Closing this process's end of
            # the result pipe (the workers' ends died with them) ends that read; the
            # thread then sees a broken pool and reaps the workers.
            writer.close()
            thread.join(STOP_WAIT_S)
    # Workers the executor started while this ran, or did not reap: end them here (after
    # its thread is done, so the two do not wait for the same process at once).
    processes += [p for p in (getattr(pool, "_processes", None) or {}).values()
                  if p not in processes]
    for process in processes:
        process.join(STOP_WAIT_S)
        if process.is_alive():
            process.kill()
            process.join(STOP_WAIT_S)

"""Local worker processes: the one way railsim starts them and stops them.

Used by batch runs (a scenario per worker), the Monte Carlo simulation (replications per
worker) and the report (charts per worker). Standard library only, so any layer may use it.

* "spawn" starts clean interpreters: forking a parent that may run threads (a progress
  bar, a Dask client) can deadlock, and it is what macOS and Windows use anyway. Work
  sent to a worker must therefore be picklable and importable by module name.
* Ctrl-C reaches the whole process group. Workers ignore it; the caller gets the
  KeyboardInterrupt, and leaving :func:`worker_pool` with any exception ends running
  work at once instead of waiting for it.
* A worker exits when the process that started it is gone, even after kill -9 (which
  no handler sees): an orphan's parent id changes, and a watcher thread notices.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

PARENT_POLL_S = 0.5
"""How often a worker checks that its parent is still there [s]."""


def worker_init(parent: int) -> None:
    """Initializer of every worker: leave Ctrl-C to the caller, and exit when ``parent``
    (the process that started it) is gone. The id is passed in rather than read here
    because the parent may die while the worker is still starting."""
    # Only the caller handles Ctrl-C (and then stops the workers), so idle workers do
    # not print tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="railsim-parent-watch", daemon=True).start()


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes that leave Ctrl-C to the caller and die
    with it."""
    return ProcessPoolExecutor(max_workers=workers, initializer=worker_init,
                               initargs=(os.getpid(),),
                               mp_context=multiprocessing.get_context("spawn"))


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """:func:`process_pool` as a context: waits for the work when the block ends normally,
    stops the workers at once when it ends with an exception (Ctrl-C included) or when a
    generator holding it is closed early."""
    pool = process_pool(workers)
    try:
        yield pool
    except BaseException:
        stop(pool)
        raise
    pool.shutdown()


def stop(pool: ProcessPoolExecutor) -> None:
    """Cancel queued work and end the running work now, not when it finishes."""
    # The executor has no public way to end running tasks (before Python 3.14's
    # terminate_workers); its process table is the documented-by-use workaround. The
    # executor's own thread then sees the workers gone and reaps them; shutdown waits for
    # it (joining them here as well would race with it).
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)

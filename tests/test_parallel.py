"""railsim.parallel: the one process pool of batch runs, the simulation and the report."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import time
from pathlib import Path

import pytest

from railsim.parallel import process_pool, worker_pool

PACKAGE = Path(__file__).resolve().parent.parent / "railsim"


def _sigint_handler() -> str:
    return str(signal.getsignal(signal.SIGINT))


def test_workers_are_spawned_and_leave_ctrl_c_to_the_caller():
    with worker_pool(1) as pool:
        assert pool._mp_context.get_start_method() == "spawn"
        assert pool.submit(_sigint_handler).result() == str(signal.SIG_IGN)
        assert pool.submit(os.getpid).result() != os.getpid()
    assert multiprocessing.active_children() == []


def test_leaving_with_an_error_ends_running_work_at_once():
    with pytest.raises(KeyboardInterrupt), worker_pool(2) as pool:
        running = [pool.submit(time.sleep, 60) for _ in range(3)]
        waited = time.perf_counter()
        while not running[0].running() and time.perf_counter() - waited < 20:
            time.sleep(0.05)
        assert running[0].running()
        started = time.perf_counter()
        raise KeyboardInterrupt
    assert time.perf_counter() - started < 20  # not the 60 s the work would take
    assert all(future.done() for future in running)  # none left running or queued
    assert multiprocessing.active_children() == []


def test_a_closed_generator_stops_its_pool():
    def results():
        with worker_pool(1) as pool:
            yield pool.submit(os.getpid).result()
            yield pool.submit(time.sleep, 60).result()

    gen = results()
    next(gen)
    started = time.perf_counter()
    gen.close()
    assert time.perf_counter() - started < 30
    assert multiprocessing.active_children() == []


def test_process_pool_is_the_only_pool_in_railsim():
    makers = [path.relative_to(PACKAGE).as_posix() for path in sorted(PACKAGE.rglob("*.py"))
              if re.search(r"ProcessPoolExecutor\(|multiprocessing\.Pool\(|get_context\(",
                           path.read_text(encoding="utf-8"))]
    assert makers == ["parallel.py"]
    pool = process_pool(1)
    try:
        assert pool.submit(abs, -3).result() == 3
    finally:
        pool.shutdown()

"""railsim.parallel: the one process pool of batch runs, the simulation and the report."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from railsim.parallel import is_warm, process_pool, wait_warm, worker_pool

PACKAGE = Path(__file__).resolve().parent.parent / "railsim"


needs_fork_server = pytest.mark.skipif(
    "forkserver" not in multiprocessing.get_all_start_methods(),
    reason="no fork server on this platform (macOS and Windows spawn their workers)")


def _start_script(code: str, *folders: Path) -> subprocess.Popen[str]:
    """``python -c code`` in a process group of its own, output captured, with railsim
    (and modules in ``folders``) importable."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [*map(str, folders), str(PACKAGE.parent), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)


@contextlib.contextmanager
def _ended(process: subprocess.Popen[str]) -> Iterator[None]:
    """Whatever the block does, the script's process group is gone after it."""
    try:
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def _sigint_handler() -> str:
    return str(signal.getsignal(signal.SIGINT))


def test_workers_are_spawned_and_leave_ctrl_c_to_the_caller():
    with worker_pool(1) as pool:
        # forked from a clean fork server where there is one, never from the caller
        assert pool._mp_context.get_start_method() == (
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods()
            else "spawn")
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


def _loaded(module: str) -> bool:
    import sys

    return module in sys.modules


def _log_in_worker(scenario: str) -> int:
    import logging

    from railsim.logs import scenario_context, stage

    with scenario_context(scenario):
        stage(logging.getLogger("railsim.test"), "simulation", "12 days")
        logging.getLogger("railsim.test").debug("detail")
    logging.getLogger("elsewhere").warning("not railsim's")
    return os.getpid()


def test_workers_preload_the_stack_and_start_at_once():
    from railsim.batch.backends import WORKER_MODULES

    with worker_pool(2, WORKER_MODULES, start=True) as pool:
        # started at creation, by a thread of their own (the caller does not wait for the
        # fork server's imports): both processes exist before any work is given
        assert wait_warm(pool, timeout=120)
        assert is_warm(pool)
        assert len(pool._processes) == 2
        for module in ("railsim.evaluation", "pandas", "railsim.demand.model"):
            assert pool.submit(_loaded, module).result(), module
        assert not pool.submit(_loaded, "matplotlib").result()
    assert multiprocessing.active_children() == []


def test_worker_log_records_reach_the_caller_with_their_scenario_and_stage():
    import logging

    from railsim.logs import listening
    from railsim.parallel import event_queue

    seen: list[logging.LogRecord] = []
    events = event_queue()
    with worker_pool(1, (), events) as pool, listening(events, seen.append):
        worker = pool.submit(_log_in_worker, "tram-train").result()
    assert worker != os.getpid()
    railsim = [r for r in seen if r.name.startswith("railsim")]
    assert [(r.levelname, r.getMessage()) for r in railsim] == [
        ("INFO", "simulation: 12 days"), ("DEBUG", "detail")]
    assert [getattr(r, "scenario", None) for r in railsim] == ["tram-train"] * 2
    assert getattr(railsim[0], "stage", None) == "simulation"
    assert all(r.name != "elsewhere" for r in seen)  # only railsim's loggers travel


def test_start_method_can_be_spawn_and_a_wrong_one_is_named(monkeypatch):
    from railsim.errors import RailsimError
    from railsim.parallel import START_METHOD_VARIABLE

    monkeypatch.setenv(START_METHOD_VARIABLE, "spawn")
    with worker_pool(1) as pool:
        assert pool._mp_context.get_start_method() == "spawn"
        assert pool.submit(_sigint_handler).result() == str(signal.SIG_IGN)
    monkeypatch.setenv(START_METHOD_VARIABLE, "fork")
    with pytest.raises(RailsimError, match=r"RAILSIM_START_METHOD='fork'.*spawn or forkserver"):
        process_pool(1)


def test_a_wrong_start_method_is_a_message_not_a_traceback(tmp_path):
    import subprocess
    import sys

    from railsim.parallel import START_METHOD_VARIABLE

    done = subprocess.run(
        [str(Path(sys.executable).with_name("railsim")), "run",
         str(PACKAGE.parent / "scenarios" / "do-minimum.yaml"), "--out", str(tmp_path / "out"),
         "--workers", "2", "-q"],
        env={**os.environ, START_METHOD_VARIABLE: "threads"}, capture_output=True, text=True)
    assert done.returncode == 2  # a setting of the command, as a wrong option
    assert "RAILSIM_START_METHOD='threads'" in done.stderr
    assert "Traceback" not in done.stderr


@needs_fork_server
def test_ctrl_c_while_the_fork_server_imports_prints_no_traceback(tmp_path):
    # the fork server imports the stack for a second or more at the start of a run: a
    # Ctrl-C then (it reaches the whole process group) printed its import's traceback
    marker = tmp_path / "importing"
    (tmp_path / "slow_to_import.py").write_text(
        f"import pathlib, time\npathlib.Path({str(marker)!r}).touch()\ntime.sleep(4)\n")
    code = ("import time\nfrom railsim.parallel import worker_pool\n"
            "try:\n"
            "    with worker_pool(1, ['slow_to_import'], start=True):\n"
            "        time.sleep(60)\n"
            "except KeyboardInterrupt:\n"
            "    print('interrupted', flush=True)\n")
    process = _start_script(code, tmp_path)
    with _ended(process):
        waited = time.perf_counter()
        while not marker.exists() and time.perf_counter() - waited < 60:
            time.sleep(0.05)
        assert marker.exists()  # the fork server is importing the slow module now
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert out.strip() == "interrupted"
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


def _in_fork_server_child() -> bool:
    import railsim.parallel

    return railsim.parallel.FORK_SERVER


@needs_fork_server
def test_the_fork_server_knows_itself_and_the_caller_does_not(monkeypatch):
    # what sets its Ctrl-C handling and its exit without teardown (railsim.parallel)
    import railsim.parallel

    monkeypatch.delenv("RAILSIM_START_METHOD", raising=False)
    assert railsim.parallel.FORK_SERVER is False  # this process is not one
    with worker_pool(1, start=True) as pool:
        # a worker is a fork of the server: it holds the server's module state
        assert pool.submit(_in_fork_server_child).result() is True


UNGUARDED = """
import railsim
scenario = railsim.with_overrides(
    railsim.load_scenario({scenario!r}),
    {{"simulation.replications": 4, "uncertainty.draws": 20}})
railsim.evaluate(scenario, workers=2)
print("evaluated")
"""


def test_a_script_without_a_main_guard_is_told_what_to_do(tmp_path):
    # Each worker imports the script again and called railsim.evaluate, which started a
    # pool of its own: the caller got a bare BrokenProcessPool and the worker a traceback
    import subprocess
    import sys

    script = tmp_path / "unguarded.py"
    script.write_text(UNGUARDED.format(scenario=str(
        PACKAGE.parent / "scenarios" / "orimattila-lahti-hourly.yaml")))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert done.returncode == 1 and "evaluated" not in done.stdout
    advice = "put those calls under 'if __name__ == \"__main__\":', or use workers=1"
    assert "railsim.errors.RailsimError: railsim.evaluate: a worker process stopped" \
           in done.stderr
    assert done.stderr.count(advice) >= 2  # the worker's line and the caller's error
    assert "railsim.evaluate was called while a worker process was starting" in done.stderr


@needs_fork_server
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_worker_exits_when_its_killed_parent_is_not_yet_reaped(tmp_path):
    # kill -9 of a run started by a script that reads its output before it waits for it
    # (subprocess.run with capture_output does): the run stays a zombie until reaped, and
    # its workers, children of the fork server, took it for alive. They held the output
    # pipe open, so the script waited for them for ever, and they for its wait.
    code = ("import os, time\nfrom railsim.parallel import worker_pool\n"
            "with worker_pool(1) as pool:\n"
            "    print(pool.submit(os.getpid).result(), flush=True)\n"
            "    time.sleep(60)\n")
    process = _start_script(code)
    with _ended(process):
        assert process.stdout is not None
        worker = int(process.stdout.readline())
        os.kill(process.pid, signal.SIGKILL)  # and not reaped: no wait() before the check
        waited = time.perf_counter()
        while _running(worker) and time.perf_counter() - waited < 10:
            time.sleep(0.1)
        assert not _running(worker)


def _running(pid: int) -> bool:
    """Whether ``pid`` is a process that has not exited (a zombie has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_work_cancelled_as_the_workers_die_neither_hangs_nor_prints_a_traceback(tmp_path):
    # a SIGTERM to the process group kills the workers while the batch, stopping, cancels
    # its queued work: on Python 3.11 the executor's thread then died of InvalidStateError
    # (a traceback on the terminal) and left its queue of work open, so the process hung
    # at exit writing work (of more than a pipe's 64 KiB) that no worker would read
    (tmp_path / "slow_work.py").write_text(
        "import time\ndef sleep(seconds, data):\n    time.sleep(seconds)\n")
    code = ("import os, signal, time\nfrom railsim.parallel import worker_pool\n"
            "from slow_work import sleep\n"
            "try:\n"
            "    with worker_pool(2) as pool:\n"
            "        futures = [pool.submit(sleep, 60, b'x' * 200_000) for _ in range(6)]\n"
            "        while not futures[0].running():\n"
            "            time.sleep(0.05)\n"
            "        time.sleep(0.5)  # the first two run, the third waits in the pipe\n"
            "        for future in futures:\n"
            "            future.cancel()\n"
            "        for process in list(pool._processes.values()):\n"
            "            os.kill(process.pid, signal.SIGKILL)\n"
            "        time.sleep(1)  # the executor's thread sees the pool broken\n"
            "        raise KeyboardInterrupt\n"
            "except KeyboardInterrupt:\n"
            "    print('stopped', flush=True)\n")
    process = _start_script(code, tmp_path)
    with _ended(process):
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0 and out.strip() == "stopped"
    assert "Traceback" not in err, err


PROBE = '''
import gc, os


def state():
    import numpy  # noqa: F401  (its BLAS reads the thread count once, when loaded)
    from threadpoolctl import threadpool_info

    blas = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    return gc.isenabled(), gc.get_freeze_count(), os.environ.get("OPENBLAS_NUM_THREADS"), blas
'''


@pytest.mark.parametrize(("method", "given"), [
    pytest.param("forkserver", None, marks=needs_fork_server),
    pytest.param("forkserver", "2", marks=needs_fork_server), ("spawn", None)])
def test_workers_run_one_blas_thread_and_keep_the_preload_out_of_collections(tmp_path, method,
                                                                             given):
    # a worker per core already: a second BLAS thread each only competes (unless the user
    # asks for it); the preload's objects are frozen, so no worker's collector goes
    # through them again, and the collector is on
    (tmp_path / "probe.py").write_text(PROBE)
    code = ("import os\nfrom railsim.parallel import worker_pool\nimport probe\n"
            "with worker_pool(1, ['numpy'], start=True) as pool:\n"
            "    print(*pool.submit(probe.state).result())\n"
            "print(os.environ.get('OPENBLAS_NUM_THREADS'))\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(PACKAGE.parent)]),
           "RAILSIM_START_METHOD": method}
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(name, None)
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    worker, caller = done.stdout.strip().splitlines()
    enabled, frozen, variable, blas = worker.split(" ", 3)
    assert enabled == "True"
    assert int(frozen) > 10_000  # numpy's objects (about 30 000) at least
    assert variable == (given or "1")
    # OpenBLAS takes at most a thread per core
    assert blas == f"[{min(int(given or 1), os.cpu_count() or 1)}]"
    assert caller == str(given)  # the caller's own environment is as it was


@pytest.mark.parametrize("collector_on", [True, False])
def test_import_frozen_imports_and_freezes_and_leaves_the_collector_as_it_was(collector_on):
    code = ("import gc, sys\nfrom railsim.parallel import import_frozen\n"
            f"{'' if collector_on else 'gc.disable()'}\n"
            "before = gc.get_freeze_count()\n"
            "import_frozen(['json', 'railsim.errors'])\n"
            "print('json' in sys.modules and 'railsim.errors' in sys.modules,\n"
            "      gc.get_freeze_count() > before + 1000, gc.isenabled())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["True", "True", str(collector_on)]


@needs_fork_server
def test_ctrl_c_as_the_fork_server_starts_leaves_it_running_without_a_traceback():
    # the command line starts it first thing, and Ctrl-C reaches the whole process group:
    # until its preload had imported railsim.parallel (about 0.1 s) the server died of it,
    # with a traceback of that import on the terminal (or without a word, earlier still)
    code = ("import os, signal, sys, time\n"
            "from multiprocessing import forkserver\n"
            "from railsim.parallel import start_fork_server\n"
            "start_fork_server(['json'])\n"
            "pid = forkserver._forkserver._forkserver_pid\n"
            "os.kill(pid, signal.SIGINT)\n"
            "time.sleep(3)  # the server has imported its preload by now\n"
            "print(os.waitpid(pid, os.WNOHANG)[0] == 0,\n"
            "      signal.getsignal(signal.SIGINT) is signal.default_int_handler)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "RAILSIM_START_METHOD": "forkserver"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]  # alive; this process's Ctrl-C as it was
    assert "Traceback" not in done.stderr, done.stderr

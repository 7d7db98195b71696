"""Where batch tasks run: this process, local worker processes, or a Dask cluster.

Each backend is a generator of results in completion order; the caller sorts out the
order, so nothing depends on which task finishes first. Closing the generator early
(Ctrl-C, or an error while the caller writes) cancels what has not run and stops the
workers.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import threading
from collections.abc import Generator, Sequence
from concurrent.futures import Executor, Future, as_completed
from contextlib import ExitStack
from typing import Any

from railsim.batch.tasks import Task, TaskResult, evaluate_task
from railsim.errors import RailsimError
from railsim.parallel import is_warm, worker_pool

WORKER_MODULES = ("pandas", "railsim.batch.tasks",
                  "railsim.evaluation", "railsim.sim.montecarlo", "railsim.timetable.plan",
                  "railsim.demand.model", "railsim.demand.catchments", "railsim.demand.kpis",
                  "railsim.demand.loads", "railsim.demand.draws", "railsim.costs.model",
                  "railsim.costs.fleet", "railsim.appraisal.uncertainty",
                  "railsim.appraisal.kpis", "railsim.appraisal.effects")
"""What a batch worker imports once when it starts (:func:`railsim.parallel.process_pool`):
the modules an evaluation imports as it goes, so the first task does not wait for them.
Not scipy: no part of a run imports it (it cost each worker 0.6 s of CPU at start)."""

RESULT_MODULES = ("pandas", "openpyxl", "openpyxl.styles")
"""What this process needs to take in the workers' results (their tables are pandas
frames) and sum them up (summary.xlsx is written with openpyxl): imported while the
workers start (:func:`_submit`), 0.25 s that would otherwise take a core from them."""

SCHEDULER_TIMEOUT_S = 10.0
"""How long a Dask scheduler has to answer before the batch gives up on it."""


class SchedulerError(RailsimError):
    """The Dask scheduler cannot be used: a malformed address, nobody there, no answer."""


def in_process(tasks: Sequence[Task], pool: Executor | None = None
               ) -> Generator[TaskResult, None, None]:
    """Tasks in this process; ``pool`` (if given) runs their simulated days."""
    for task in tasks:
        yield evaluate_task(task, pool)


def process_pool(tasks: Sequence[Task], workers: int, pool: Executor | None = None
                 ) -> Generator[TaskResult, None, None]:
    """Tasks on ``workers`` local processes (see :mod:`railsim.parallel`): those of
    ``pool`` when given (the run's pool: it stays up for the work after the batch), else
    a pool started here."""
    with ExitStack() as stack:
        if pool is None:
            pool = stack.enter_context(worker_pool(workers, WORKER_MODULES))
        futures = _submit(pool, tasks)
        try:
            for future in as_completed(futures):
                yield _result(future, futures[future])
        except BaseException:  # closed early: what has not started never will
            for future in futures:
                future.cancel()
            raise


def _submit(pool: Executor, tasks: Sequence[Task]) -> dict[Future[TaskResult], Task]:
    """Send ``tasks`` to ``pool``. While its workers are still starting, a submission
    waits for them (the executor starts a worker holding the lock that submissions take):
    then a thread submits, and this one imports :data:`RESULT_MODULES` meanwhile."""
    futures: dict[Future[TaskResult], Task] = {}
    failed: list[BaseException] = []
    stopped = threading.Event()

    def submit() -> None:
        try:
            for task in tasks:
                future = pool.submit(evaluate_task, task)
                futures[future] = task
                if stopped.is_set():  # sent as the caller stopped: it may not have seen it
                    future.cancel()
                    return
        except BaseException as exc:  # a broken pool: raised below, in the caller
            failed.append(exc)

    if is_warm(pool):
        submit()
    else:
        thread = threading.Thread(target=submit, name="railsim-submit", daemon=True)
        thread.start()
        try:
            for module in RESULT_MODULES:
                importlib.import_module(module)
            thread.join()
        except BaseException:
            # Ctrl-C meanwhile: the thread sends no more, and what it sent never starts
            # (the pool may stay up after the batch: the command line's does)
            stopped.set()
            for future in list(futures):
                future.cancel()
            raise
    if failed:
        raise failed[0]
    return futures


def dask_cluster(tasks: Sequence[Task], address: str,
                 timeout: float = SCHEDULER_TIMEOUT_S) -> Generator[TaskResult, None, None]:
    """Tasks on the Dask distributed cluster whose scheduler is at ``address``.

    The scheduler must answer within ``timeout`` seconds, else :class:`SchedulerError`.
    It must also be trusted: results come back as pickles, which can run code here.
    """
    from distributed import Client
    from distributed import as_completed as dask_completed

    check_scheduler(address, timeout)
    with Client(address, set_as_default=False, timeout=f"{timeout}s") as client:
        futures = {client.submit(evaluate_task, task, pure=False): task for task in tasks}
        try:
            for future in dask_completed(list(futures), loop=client.loop):
                yield _result(future, futures[future])
        except BaseException:
            client.cancel(list(futures))
            raise


def dask_lone(task: Task, address: str, timeout: float = SCHEDULER_TIMEOUT_S
              ) -> Generator[TaskResult, None, None]:
    """One scenario with the Dask cluster at ``address``: evaluated here, its simulated
    days in chunks on the cluster's workers (one task would leave all but one idle). The
    chunks carry the compiled plan, so the workers need no data folder or scenario file."""
    from distributed import Client

    check_scheduler(address, timeout)
    with Client(address, set_as_default=False, timeout=f"{timeout}s") as client:
        workers = max(sum(client.nthreads().values()), 1)
        executor = client.get_executor(pure=False)
        yield evaluate_task(dataclasses.replace(task, workers=workers), executor)


def check_scheduler(address: str, timeout: float = SCHEDULER_TIMEOUT_S) -> None:
    """Ask the scheduler at ``address`` who it is, all within ``timeout`` seconds.

    The Dask client alone waits much longer, or for ever when something at the address
    accepts the connection but never answers; this asks once with one overall limit.
    """
    import asyncio

    # imported before the clock starts: importing Dask takes seconds of its own
    from distributed.comm.addressing import parse_address
    from distributed.comm.registry import get_backend
    from distributed.security import Security

    async def identity() -> object:
        # Dask's own connect() waits for the handshake without a limit and, when cut off,
        # leaves its socket open: connect here, and close the connection in any case.
        scheme, location = parse_address(address)
        connector = get_backend(scheme).get_connector()
        arguments = Security().get_connection_args("client")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:  # a scheduler that is starting refuses for a moment: try again
            try:
                comm = await connector.connect(location, deserialize=True, **arguments)
                break
            except OSError:
                if loop.time() + 0.2 >= deadline:
                    raise
                await asyncio.sleep(0.2)
        try:
            local = comm.handshake_info()
            await comm.write(local)
            remote = await comm.read()
            comm.handshake_options = comm.handshake_configuration(local, remote)
            await comm.write({"op": "identity"})
            return await comm.read()
        finally:
            comm.abort()

    # In a thread of its own: a notebook already runs an event loop in this one.
    outcome: dict[str, Any] = {}

    def ask() -> None:
        try:
            outcome["reply"] = asyncio.run(asyncio.wait_for(identity(), timeout))
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=ask, name="railsim-scheduler-check", daemon=True)
    thread.start()
    thread.join(timeout + 5)  # wait_for ends it at timeout; this is the backstop
    try:
        if "reply" not in outcome:
            raise outcome.get("error") or TimeoutError()
        reply = outcome["reply"]
    except TimeoutError:
        raise SchedulerError(f"the Dask scheduler at {address!r} did not answer within "
                             f"{timeout:g} s (is it running, and is the address right? "
                             "--scheduler-timeout sets the limit)") from None
    except OSError as exc:
        reason = re.sub(r"^in <[^>]*>: ", "", str(exc))  # Dask's "in <TCPConnector ...>: "
        raise SchedulerError(f"cannot reach the Dask scheduler at {address!r} within "
                             f"{timeout:g} s: {reason or type(exc).__name__}") from None
    except (ValueError, TypeError) as exc:  # a malformed address, TLS without certificates
        raise SchedulerError(f"cannot use the Dask scheduler address {address!r}: "
                             f"{exc}") from None
    if not (isinstance(reply, dict) and reply.get("type") == "Scheduler"):
        raise SchedulerError(f"{address!r} answered, but not as a Dask scheduler")


def _result(future: Future[TaskResult] | Any, task: Task) -> TaskResult:
    """A finished task's result; a lost worker (killed, out of memory) fails only it."""
    try:
        result: TaskResult = future.result()
    except Exception as exc:
        return TaskResult(task.name, None, f"the worker running it failed: "
                          f"{type(exc).__name__}: {exc}")
    return result

"""Where batch tasks run: this process, local worker processes, or a Dask cluster.

Each backend is a generator of results in completion order; the caller sorts out the
order, so nothing depends on which task finishes first. Closing the generator early
(Ctrl-C, or an error while the caller writes) cancels what has not run and stops the
workers.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from concurrent.futures import Future, as_completed
from typing import Any

from railsim.batch.tasks import Task, TaskResult, evaluate_task
from railsim.parallel import worker_pool


def in_process(tasks: Sequence[Task]) -> Generator[TaskResult, None, None]:
    for task in tasks:
        yield evaluate_task(task)


def process_pool(tasks: Sequence[Task], workers: int) -> Generator[TaskResult, None, None]:
    """Tasks on ``workers`` local processes (see :mod:`railsim.parallel`)."""
    with worker_pool(workers) as pool:
        futures = {pool.submit(evaluate_task, task): task for task in tasks}
        for future in as_completed(futures):
            yield _result(future, futures[future])


def dask_cluster(tasks: Sequence[Task], address: str) -> Generator[TaskResult, None, None]:
    """Tasks on the Dask distributed cluster whose scheduler is at ``address``."""
    from distributed import Client
    from distributed import as_completed as dask_completed

    with Client(address, set_as_default=False) as client:
        futures = {client.submit(evaluate_task, task, pure=False): task for task in tasks}
        try:
            for future in dask_completed(list(futures), loop=client.loop):
                yield _result(future, futures[future])
        except BaseException:
            client.cancel(list(futures))
            raise


def _result(future: Future[TaskResult] | Any, task: Task) -> TaskResult:
    """A finished task's result; a lost worker (killed, out of memory) fails only it."""
    try:
        result: TaskResult = future.result()
    except Exception as exc:
        return TaskResult(task.name, None, f"the worker running it failed: "
                          f"{type(exc).__name__}: {exc}")
    return result

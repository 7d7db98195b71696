"""One unit of batch work: evaluate one loaded scenario, wherever it runs.

A task runs in this process, a local worker process or on a Dask worker, and returns the
evaluation to the caller, which writes it. Workers therefore write nothing: an
interrupted or killed worker cannot leave a half-written folder, and a Dask cluster needs
no file system shared with the caller. Errors come back as text (an exception object may
not survive pickling between processes).
"""

from __future__ import annotations

import logging
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from railsim.errors import RailsimError
from railsim.logs import captured

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from railsim.config.schema import Scenario
    from railsim.corridor import Corridor
    from railsim.evaluation import Evaluation

# Frames of an unexpected error's traceback kept in error.txt (the innermost ones).
TRACEBACK_FRAMES = 8


@dataclass(frozen=True)
class Task:
    name: str
    scenario: Scenario
    """Fully resolved, run settings included: all that changes the results."""
    corridor: Corridor
    workers: int
    """Processes for this scenario's replications (1 when scenarios run in parallel)."""


@dataclass
class TaskResult:
    name: str
    evaluation: Evaluation | None
    message: str = ""
    """The clear message of a failure ("" when it succeeded)."""
    detail: str = ""
    """More for error.txt: the short traceback of an unexpected error."""
    seconds: float = 0.0
    log: str = ""
    """The scenario's log records (run.log), formatted: they travel with the result, so
    a Dask worker's log reaches the result folder too."""


def unexpected(exc: BaseException) -> tuple[str, str]:
    """Message and short traceback of an error that is a bug rather than a user error."""
    message = (f"unexpected error (a bug in railsim, please report it): "
               f"{type(exc).__name__}: {exc}")
    detail = "".join(traceback.format_exception(exc, limit=-TRACEBACK_FRAMES))
    return message, detail


log = logging.getLogger(__name__)


def evaluate_task(task: Task, pool: Executor | None = None) -> TaskResult:
    """Evaluate one scenario; failures are returned, not raised (Ctrl-C still is).

    ``pool`` (in the calling process only) runs the simulated days of ``task.workers``."""
    with captured(task.name) as lines:
        result = _evaluate(task, pool)
        if result.message:  # the caller reports the failure itself
            log.info("failed: %s", result.message.splitlines()[0])
        else:
            log.info("evaluated in %.1f s", result.seconds)
    result.log = "".join(line + "\n" for line in lines)
    return result


def _evaluate(task: Task, pool: Executor | None) -> TaskResult:
    from railsim.evaluation import evaluate

    start = time.perf_counter()
    try:
        evaluation = evaluate(task.scenario, task.corridor, task.workers, pool)
    except RailsimError as exc:
        return TaskResult(task.name, None, str(exc), seconds=time.perf_counter() - start)
    except MemoryError:
        # not a bug: the machine has less memory than the scenario needs
        return TaskResult(task.name, None, "ran out of memory: lower simulation.replications "
                          "or uncertainty.draws, or run it on a machine with more memory",
                          seconds=time.perf_counter() - start)
    except OSError as exc:
        return TaskResult(task.name, None, f"cannot read {exc.filename or 'a data file'}: "
                          f"{exc.strerror or exc}", seconds=time.perf_counter() - start)
    except Exception as exc:
        message, detail = unexpected(exc)
        return TaskResult(task.name, None, message, detail, time.perf_counter() - start)
    return TaskResult(task.name, evaluation, seconds=time.perf_counter() - start)


def error_text(file: Path, message: str, detail: str = "") -> str:
    """Contents of a failed scenario's error.txt."""
    return f"{file}\n{message}\n" + (f"\n{detail}" if detail else "")

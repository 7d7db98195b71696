"""One unit of batch work: evaluate one loaded scenario, wherever it runs.

A task runs in this process, a local worker process or on a Dask worker, and returns the
evaluation to the caller, which writes it. Workers therefore write nothing: an
interrupted or killed worker cannot leave a half-written folder, and a Dask cluster needs
no file system shared with the caller. Errors come back as text (an exception object may
not survive pickling between processes).
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from railsim.errors import RailsimError

if TYPE_CHECKING:
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


def unexpected(exc: BaseException) -> tuple[str, str]:
    """Message and short traceback of an error that is a bug rather than a user error."""
    message = (f"unexpected error (a bug in railsim, please report it): "
               f"{type(exc).__name__}: {exc}")
    detail = "".join(traceback.format_exception(exc, limit=-TRACEBACK_FRAMES))
    return message, detail


def evaluate_task(task: Task) -> TaskResult:
    """Evaluate one scenario; failures are returned, not raised (Ctrl-C still is)."""
    from railsim.evaluation import evaluate

    start = time.perf_counter()
    try:
        evaluation = evaluate(task.scenario, task.corridor, task.workers)
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

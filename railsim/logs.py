"""Logging plumbing: library code logs, only the CLI configures handlers.

Every module logs to a child of the ``railsim`` logger (``logging.getLogger(__name__)``).
Two things ride on the records:

* ``scenario``: the scenario being evaluated, set by :func:`scenario_context` around a
  scenario's work and stamped on each record by :class:`ScenarioFilter`, so a result
  folder's ``run.log`` holds that scenario's records only;
* ``stage``: one of :data:`STAGES` on the record that starts a stage (:func:`stage`), so
  a progress display can say what a scenario is doing.

Worker processes send their records to the caller through a queue (:func:`forward_to`,
installed by :func:`railsim.parallel.worker_init`); the caller replays them into its own
``railsim`` loggers (:func:`replay`), where the CLI's handlers see them as if they had
been logged there. Standard library only, so any layer may use it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

ROOT = "railsim"
STAGES = ("timetable", "simulation", "ridership", "appraisal", "charts", "report")
"""The stages of a run, in order, as progress shows them."""

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
"""The layout of a line of run.log."""

_scenario: ContextVar[str | None] = ContextVar("railsim_scenario", default=None)


@contextmanager
def scenario_context(name: str) -> Iterator[None]:
    """Records logged in the block (in this thread) belong to scenario ``name``."""
    token = _scenario.set(name)
    try:
        yield
    finally:
        _scenario.reset(token)


def current_scenario() -> str | None:
    return _scenario.get()


def stage(log: logging.Logger, name: str, detail: str = "") -> None:
    """Log the start of stage ``name`` (one of :data:`STAGES`)."""
    if name not in STAGES:
        raise ValueError(f"unknown stage {name!r}: allowed {STAGES}")
    log.info("%s%s", name, f": {detail}" if detail else "", extra={"stage": name})


class ScenarioFilter(logging.Filter):
    """Stamps each record with the scenario of its context (unless it has one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "scenario", None) is None:
            record.scenario = _scenario.get()
        return True


class _Lines(logging.Handler):
    """Formatted records of one scenario, kept in memory."""

    def __init__(self, scenario: str) -> None:
        super().__init__(logging.DEBUG)
        self.scenario = scenario
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter(FORMAT))
        self.addFilter(ScenarioFilter())

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "scenario", None) == self.scenario:
            self.lines.append(self.format(record))


_capturing = threading.Lock()
_saved: list[int] = []
"""The railsim logger's level before the captures that run now, then one entry a capture."""


@contextmanager
def captured(scenario: str) -> Iterator[list[str]]:
    """The block runs in :func:`scenario_context` and yields the list that collects the
    formatted lines of its records (every level), for the scenario's run.log."""
    logger = logging.getLogger(ROOT)
    handler = _Lines(scenario)
    with _capturing:  # the first of overlapping captures (threads) lowers the level
        if not _saved:
            _saved.append(logger.level)
            logger.setLevel(logging.DEBUG)
        _saved.append(-1)
        logger.addHandler(handler)
    try:
        with scenario_context(scenario):
            yield handler.lines
    finally:
        with _capturing:  # ... and the last one puts it back
            logger.removeHandler(handler)
            _saved.pop()
            if len(_saved) == 1:
                logger.setLevel(_saved.pop())


class _Forward(logging.Handler):
    """A worker's records into the caller's queue (message formatted, arguments dropped:
    they need not survive pickling)."""

    def __init__(self, queue: Any) -> None:
        super().__init__(logging.DEBUG)
        self.queue = queue
        self.addFilter(ScenarioFilter())

    def emit(self, record: logging.LogRecord) -> None:
        try:
            copy = logging.makeLogRecord(record.__dict__)
            copy.msg, copy.args, copy.exc_info, copy.exc_text = record.getMessage(), None, \
                None, None
            copy.stack_info = None
            self.queue.put(copy)
        except Exception:  # a closed queue at shutdown: the record is lost, not the work
            self.handleError(record)


def forward_to(queue: Any) -> None:
    """In a worker process: send every record of the ``railsim`` loggers to ``queue``."""
    logger = logging.getLogger(ROOT)
    logger.addHandler(_Forward(queue))
    logger.setLevel(logging.DEBUG)
    logger.propagate = False


def replay(record: logging.LogRecord) -> None:
    """A record from a worker, handled by this process's loggers of the same name."""
    logger = logging.getLogger(record.name)
    if logger.isEnabledFor(record.levelno):
        logger.handle(record)


@contextmanager
def listening(queue: Any, handle: Callable[[logging.LogRecord], None] = replay
              ) -> Iterator[None]:
    """Replay the records workers put in ``queue`` while the block runs (a thread)."""
    def pump() -> None:
        while True:
            record = queue.get()
            if record is None:  # the end (the queue pickles: no sentinel object survives)
                return
            try:
                handle(record)
            except Exception:  # a broken handler must not stop the run's messages
                logging.getLogger(ROOT).debug("a log record was lost", exc_info=True)

    thread = threading.Thread(target=pump, name="railsim-log-replay", daemon=True)
    thread.start()
    try:
        yield
    finally:
        queue.put(None)
        thread.join(5)

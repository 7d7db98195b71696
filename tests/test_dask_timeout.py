"""A wrong, refusing or silent Dask scheduler fails within the stated timeout, naming the
address (issue 15)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from railsim.batch.backends import SchedulerError, check_scheduler

ROOT = Path(__file__).resolve().parent.parent
RAILSIM = [sys.executable, "-m", "railsim.cli"]


@pytest.fixture
def silent() -> Iterator[str]:
    """An address that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError):  # the 0.2 s accept timeout
                accepted.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def _refused() -> str:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{probe.getsockname()[1]}"


def _fails_in_time(address: str, timeout: float, message: str) -> None:
    start = time.monotonic()
    with pytest.raises(SchedulerError) as info:
        check_scheduler(address, timeout)
    assert time.monotonic() - start < timeout + 3
    assert repr(address) in str(info.value) and message in str(info.value)


def test_a_silent_scheduler_fails_within_the_timeout(silent):
    _fails_in_time(silent, 1.0, "did not answer within 1 s")


def test_a_refused_connection_fails_within_the_timeout():
    _fails_in_time(_refused(), 1.0, "within 1 s")  # refused until the limit: retried


@pytest.mark.parametrize(("address", "message"), [
    ("nonsense://host:1", "unknown address scheme"),
    ("tcp://[::1", "invalid address"),
    ("", "missing port number"),
])
def test_a_malformed_address_fails_at_once(address, message):
    _fails_in_time(address, 5.0, message)


def test_a_live_scheduler_answers_even_from_inside_an_event_loop():
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster:
        check_scheduler(cluster.scheduler_address, 30.0)

        async def in_a_notebook() -> None:  # Jupyter runs a loop in the main thread
            check_scheduler(cluster.scheduler_address, 30.0)

        asyncio.run(in_a_notebook())


def test_cli_scheduler_timeout_option(silent, tmp_path):
    for name in ("_base.yaml", "do-minimum.yaml"):
        shutil.copy(ROOT / "scenarios" / name, tmp_path)
    start = time.monotonic()
    out = subprocess.run([*RAILSIM, "run", str(tmp_path / "do-minimum.yaml"), "--out",
                          str(tmp_path / "out"), "--scheduler", silent,
                          "--scheduler-timeout", "1"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert time.monotonic() - start < 60
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"the Dask scheduler at {silent!r} did not answer within 1 s" in out.stderr

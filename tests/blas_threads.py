"""Run a piece of code under several BLAS thread counts: railsim's results must not
depend on them (its workers have one thread, the command's own process, a notebook or a
Dask worker elsewhere may have all the cores)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def outputs_by_threads(code: str, *args: str, threads: tuple[str, ...] = ("1", "2", "4")
                       ) -> dict[str, str]:
    """What ``python -c code args`` prints (stripped), run from the project's folder with
    OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and MKL_NUM_THREADS set to each of ``threads``."""
    out = {}
    for count in threads:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": count, "OMP_NUM_THREADS": count,
               "MKL_NUM_THREADS": count}
        out[count] = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=ROOT,
                                    check=True, capture_output=True,
                                    text=True).stdout.strip()
    return out

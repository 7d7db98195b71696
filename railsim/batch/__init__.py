"""Batch runs: many scenarios evaluated end to end, locally in parallel or on Dask.

:func:`run_batch` is the entry point (the ``railsim run`` command is a thin wrapper).
"""

from railsim.batch.run import BatchResult, Outcome, run_batch
from railsim.batch.summary import SUMMARY_COLUMNS, SUMMARY_KPIS

__all__ = ["SUMMARY_COLUMNS", "SUMMARY_KPIS", "BatchResult", "Outcome", "run_batch"]

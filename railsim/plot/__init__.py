"""Charts from result tables. The only package that imports matplotlib.

Every function takes tables (or plans), a language (``lang="en"`` or ``"fi"``) and an
optional ``ax``, and returns the Figure. :func:`write_charts` and
:func:`write_batch_charts` write all charts a result folder allows.
"""

from railsim.plot.charts import write_batch_charts, write_charts

__all__ = ["write_batch_charts", "write_charts"]

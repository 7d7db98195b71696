"""Charts from result tables. The only package that imports matplotlib.

Every function takes tables (or plans), a language (``lang="en"`` or ``"fi"``) and an
optional ``ax``, and returns the Figure. :func:`scenario_charts` and :func:`batch_charts`
draw every chart a result folder allows as compact images for the report;
:func:`write_charts` and :func:`write_batch_charts` write them as files.
"""

from railsim.plot.charts import batch_charts, scenario_charts, write_batch_charts, write_charts

__all__ = ["batch_charts", "scenario_charts", "write_batch_charts", "write_charts"]

"""Charts from result tables. The only package that imports matplotlib.

Every function takes tables (or plans), a language (``lang="en"`` or ``"fi"``) and an
optional ``ax``, and returns the Figure. :func:`scenario_charts` and :func:`batch_charts`
draw every chart a result folder allows as compact images for the report;
:func:`write_charts` and :func:`write_batch_charts` write them as files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from railsim.plot.charts import batch_charts, scenario_charts, write_batch_charts, write_charts

__all__ = ["batch_charts", "scenario_charts", "write_batch_charts", "write_charts"]


def __getattr__(name: str) -> Any:
    # loaded on first use: the report imports railsim.plot.compact without matplotlib
    if name in __all__:
        from railsim.plot import charts

        return getattr(charts, name)
    raise AttributeError(f"module 'railsim.plot' has no attribute {name!r}")

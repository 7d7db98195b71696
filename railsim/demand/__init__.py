"""Ridership model: catchments, trip generation and distribution, mode choice, loads.

Pure functions and dataclasses (no simpy, no matplotlib). The entry point is
:func:`railsim.demand.model.forecast`; the pieces are usable alone:

* :mod:`~railsim.demand.parameters` — the sourced parameters from ``data/``;
* :mod:`~railsim.demand.catchments` — population cells (geopandas, EPSG:3067), station
  catchments by access band, access times;
* :mod:`~railsim.demand.gravity` — commuting flows between places, calibrated to counts;
* :mod:`~railsim.demand.supply` — level of service of train, bus and car;
* :mod:`~railsim.demand.choice` — multinomial logit, calibration, logsums (vectorised);
* :mod:`~railsim.demand.model` — markets, forecast, result tables and KPIs.
"""

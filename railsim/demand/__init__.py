"""Ridership model: catchments, trip generation and distribution, mode choice, loads.

Pure functions and dataclasses (no simpy, no matplotlib). The entry point is
:func:`railsim.demand.model.forecast`; the pieces are usable alone:

* :mod:`~railsim.demand.parameters` — the sourced parameters from ``data/``;
* :mod:`~railsim.demand.places` — the study area (municipalities, places, roles) from data;
* :mod:`~railsim.demand.catchments` — population cells (EPSG:3067; as geopandas for maps), station
  catchments by access band, access times;
* :mod:`~railsim.demand.segments` — residents grouped by station and distance ring;
* :mod:`~railsim.demand.gravity` — commuting flows between places, calibrated to counts;
* :mod:`~railsim.demand.supply` — level of service of train, bus and car;
* :mod:`~railsim.demand.fares` — bus and train fares per trip;
* :mod:`~railsim.demand.markets` — the market table (named columns, built by blocks);
* :mod:`~railsim.demand.choice` — nested logit, calibration, logsums (vectorised);
* :mod:`~railsim.demand.model` — the forecast; tables, loads and KPIs in their modules;
* :mod:`~railsim.demand.validation`, :mod:`~railsim.demand.calibration` — back-casts of
  existing services against observed station counts, and the rail constant fitted to them.
"""

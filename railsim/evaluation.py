"""End-to-end evaluation of one scenario: timetable, simulation, ridership, costs, appraisal.

The coupling of models happens here and only here, so each model stays testable alone.
Everything that changes the results comes from the scenario (run settings included: the
seed, replications and draws) and the corridor data; each quantity is computed once and
passed forward.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from railsim.config.resolved import to_yaml
from railsim.config.schema import Scenario
from railsim.logs import stage
from railsim.results import declared_files, kpi_frame, write_result_folder
from railsim.streams import Streams

if TYPE_CHECKING:
    from concurrent.futures import Executor

    import pandas as pd

    from railsim.appraisal.uncertainty import AppraisalModel, Draws
    from railsim.corridor import Corridor
    from railsim.costs.model import CostLine
    from railsim.demand.model import Forecast
    from railsim.sim.montecarlo import SimResult
    from railsim.timetable.plan import ServicePlan


@dataclass
class Evaluation:
    """Everything computed for one scenario."""

    scenario: Scenario
    corridor: Corridor
    plan: ServicePlan | None = None
    simulation: SimResult | None = None
    kpi_rows: list[dict[str, object]] = field(default_factory=list)
    capex: list[CostLine] = field(default_factory=list)
    opex: list[CostLine] = field(default_factory=list)
    cashflows: pd.DataFrame | None = None
    benefits: pd.DataFrame | None = None
    """benefits.csv: the users' benefit per year, user group and purpose."""
    effects: list[dict[str, object]] = field(default_factory=list)
    """effects.csv: effects by party (present values)."""
    forecast: Forecast | None = None
    ridership: dict[str, pd.DataFrame] = field(default_factory=dict)
    """The ridership tables of the final forecast, computed once."""
    appraisal: AppraisalModel | None = None
    draws: Draws | None = None
    tornado: list[dict[str, object]] = field(default_factory=list)
    sobol: list[dict[str, object]] = field(default_factory=list)

    def kpis(self) -> pd.DataFrame:
        return kpi_frame(self.scenario.name, self.kpi_rows, self.scenario.costs.price_year)

    def tables(self) -> dict[str, pd.DataFrame | str]:
        """Result files by name (tables and text), as declared in :mod:`railsim.outputs`;
        an undeclared file or column raises :class:`~railsim.outputs.OutputDeclarationError`.

        Each table is the caller's own copy: a notebook that changes one in place (to
        show millions, say) must not change what :meth:`write` writes."""
        files: dict[str, pd.DataFrame | str] = {
            "scenario.resolved.yaml": to_yaml(self.scenario),
            "kpis.csv": self.kpis(),
        }
        if self.capex:
            from railsim.costs.model import cost_frame

            files["capex.csv"] = cost_frame(self.capex)
            files["opex.csv"] = cost_frame(self.opex)
        if self.cashflows is not None:
            files["cashflows.csv"] = self.cashflows.copy()
        if self.benefits is not None:
            files["benefits.csv"] = self.benefits.copy()
        if self.effects:
            import pandas as pd

            files["effects.csv"] = pd.DataFrame(self.effects)
        if self.draws is not None:
            import pandas as pd

            n = len(self.draws.values["npv_societal_eur"])
            files["uncertainty_draws.csv"] = pd.DataFrame(
                {"draw": range(n), **{k: self.draws.values[k] for k in (
                    "npv_financial_eur", "npv_societal_eur", "bcr", "bcr_public_cost",
                    "passengers_daily")}})
        if self.tornado:
            import pandas as pd

            files["tornado.csv"] = pd.DataFrame(self.tornado)
        if self.sobol:
            import pandas as pd

            files["sobol.csv"] = pd.DataFrame(self.sobol)
        files.update({name: table.copy() for name, table in self.ridership.items()})
        if self.plan is not None:
            files["timetable.csv"] = self.plan.trips_frame()
            files["stop_times.csv"] = self.plan.stop_times_frame()
            files["meetings.csv"] = self.plan.meetings_frame()
        if self.simulation is not None:
            files["punctuality_by_station.csv"] = self.simulation.by_station()
            files["od_times.csv"] = self.simulation.od_times()
            files["replications.csv"] = self.simulation.summary()
            if self.scenario.simulation.keep_event_log:
                files["events.csv"] = self.simulation.event_log()
        rail = not self.scenario.is_do_minimum
        weekday = self.plan is not None and "weekday" in self.plan.timetables
        return declared_files(files, rail, weekday)

    def write(self, out: Path | str, log: str | None = None) -> Path:
        """Write the result folder ``out/<scenario name>`` atomically (with ``run.log``
        when ``log`` is given). A TypeError or ValueError names an ``out`` that is no path
        (or "", the current folder) and a ``log`` that is no text."""
        from railsim.config.files import given_path

        folder = Path(given_path(out, "Evaluation.write: out"))
        if log is not None and not isinstance(log, str):
            raise TypeError("Evaluation.write: log must be text (run.log) or None; got "
                            f"{type(log).__name__}")
        tables = self.tables()
        if log is not None:
            tables["run.log"] = log
        return write_result_folder(folder, self.scenario.name, tables)


log = logging.getLogger(__name__)


def evaluate(scenario: Scenario, corridor: Corridor, workers: int = 1,
             pool: Executor | None = None) -> Evaluation:
    """Evaluate one scenario end to end on a corridor's data.

    ``workers`` processes share the simulated days (those of ``pool`` when given, the
    run's pool, which also shares the uncertainty draws); the results do not depend on it.
    With ``rolling_stock.fleet_sizing`` demand, the units per train are sized from the
    first forecast's loads; if they differ from the formation planned, the service is
    planned, simulated and forecast once more with them (the plan carries the sized
    scenario; the result keeps the scenario as given, so it reproduces the run).
    """
    result = Evaluation(scenario, corridor)
    from railsim.demand.model import forecast

    if scenario.is_do_minimum:
        result.kpi_rows = [{"variable": "train_km_annual", "unit": "train-km/yr",
                            "statistic": "value", "value": 0.0},
                           {"variable": "units_required", "unit": "units",
                            "statistic": "value", "value": 0}]
        stage(log, "ridership", scenario.name)
        result.forecast = forecast(scenario, corridor)
        _ridership(result)
        return result
    from railsim.costs.fleet import sized_scenario
    from railsim.costs.model import capex_lines, capex_total, opex_lines, opex_total
    from railsim.demand.loads import loads

    _plan_and_forecast(result, scenario, workers, pool)
    assert result.forecast is not None
    sized = sized_scenario(scenario, result.forecast, loads(result.forecast))
    if sized is not scenario:
        log.info("units per train sized from the loads: planned and simulated again")
        _plan_and_forecast(result, sized, workers, pool)
    assert result.plan is not None and result.forecast is not None
    planned = result.plan.scenario
    result.kpi_rows = list(result.plan.kpis())
    result.kpi_rows += [
        {"variable": "units_per_train_peak", "unit": "units", "statistic": "value",
         "value": planned.rolling_stock.units_per_train_peak},
        {"variable": "units_per_train_offpeak", "unit": "units", "statistic": "value",
         "value": planned.rolling_stock.units_per_train_offpeak}]
    result.capex = capex_lines(planned, corridor, result.plan.units_required)
    result.opex = opex_lines(result.plan, corridor)
    money = f"EUR ({scenario.costs.price_year})"
    from railsim.prices import CONSTRUCTION_SERIES, INDEX_SERIES, index_last_year

    last = min(index_last_year(corridor, series) for series in (INDEX_SERIES, CONSTRUCTION_SERIES))
    result.kpi_rows += [
        # The index ends before some price years: say which level the euros really are.
        {"variable": "price_index_year_used", "unit": "year", "statistic": "value",
         "value": min(scenario.costs.price_year, last)},
        {"variable": "capex_total_eur", "unit": money, "statistic": "value",
         "value": capex_total(planned, corridor, result.capex)},
        {"variable": "opex_annual_eur", "unit": f"EUR/yr ({scenario.costs.price_year})",
         "statistic": "value", "value": opex_total(result.plan, corridor, result.opex)},
    ]
    if result.simulation is not None:
        result.kpi_rows += result.simulation.kpis()
    _ridership(result)
    stage(log, "appraisal", scenario.name)
    _appraise(result, workers, pool)
    return result


def _plan_and_forecast(result: Evaluation, scenario: Scenario, workers: int,
                       pool: Executor | None = None) -> None:
    """Plan the service, simulate its weekday and forecast ridership on the simulated
    times (twice when boardings lengthen the dwells)."""
    from railsim.demand.loads import boardings_by_trip
    from railsim.demand.model import forecast
    from railsim.sim.montecarlo import simulate
    from railsim.timetable.plan import plan_service

    corridor = result.corridor
    stage(log, "timetable", scenario.name)
    result.plan = plan_service(scenario, corridor)
    result.simulation = None
    if "weekday" not in result.plan.timetables:
        stage(log, "ridership", scenario.name)
        result.forecast = forecast(scenario, corridor, result.plan)
        return
    replications = scenario.simulation.replications
    stage(log, "simulation", f"{scenario.name}, {replications} days")
    result.simulation = simulate(result.plan, "weekday", workers, pool=pool)
    stage(log, "ridership", scenario.name)
    result.forecast = forecast(scenario, corridor, result.plan, _realised(result.simulation))
    if scenario.operations.dwell_s_per_boarding > 0:
        # Boardings lengthen dwells once; ridership then sees the slower trains.
        stage(log, "simulation", f"{scenario.name}, {replications} days with boarding dwells")
        result.simulation = simulate(result.plan, "weekday", workers,
                                     boardings=boardings_by_trip(result.forecast), pool=pool)
        stage(log, "ridership", scenario.name)
        result.forecast = forecast(scenario, corridor, result.plan,
                                   _realised(result.simulation))


def _ridership(result: Evaluation) -> None:
    """The ridership tables and KPIs of the final forecast, once."""
    from railsim.demand.kpis import ridership_kpis, ridership_tables

    assert result.forecast is not None
    result.ridership = ridership_tables(result.forecast)
    result.kpi_rows += ridership_kpis(result.forecast, result.ridership["loads.csv"])


def _appraise(result: Evaluation, workers: int = 1, pool: Executor | None = None) -> None:
    """Cash flows, NPVs, BCR, uncertainty draws and tornado of a rail scenario (the
    draws shared by the ``workers`` of ``pool`` when given)."""
    from railsim.appraisal.kpis import appraisal_kpis
    from railsim.appraisal.uncertainty import AppraisalModel

    scenario, plan, fc = result.scenario, result.plan, result.forecast
    assert plan is not None and fc is not None
    lateness = _lateness(result.simulation) if result.simulation is not None else None
    model = AppraisalModel.build(plan.scenario, result.corridor, plan, fc, result.capex,
                                 result.opex, lateness)
    result.appraisal = model
    result.cashflows = model.cashflow_table()
    result.benefits = model.benefit_table()
    from railsim.appraisal.effects import effect_rows

    result.effects = effect_rows(model.central)
    streams = Streams.of(scenario.simulation.seed)
    log.debug("%d uncertainty draws", scenario.uncertainty.draws)
    draws = model.draws(streams.rng("draws"), pool=pool, workers=workers)
    model.check_finite(draws)
    result.draws = draws
    result.tornado = model.tornado()
    stations = result.ridership["ridership.csv"]
    boardings = dict(zip(stations["station_id"], stations["boardings_daily"], strict=True))
    result.kpi_rows += appraisal_kpis(model, draws, result.corridor, boardings)
    if scenario.uncertainty.sobol:
        from railsim.appraisal.sensitivity import sobol_indices

        result.sobol = sobol_indices(model, seed=streams.integer_seed("sobol"))


def _lateness(simulation: SimResult
              ) -> tuple[dict[tuple[str, str], float], dict[str, float]]:
    """Simulated extra in-vehicle minutes per station pair and mean arrival delay per
    station [min] (for the reliability benefit)."""
    times = simulation.od_times()
    stations = simulation.by_station()
    return ({(str(o), str(d)): float(t) for o, d, t in
             zip(times["origin"], times["destination"], times["extra_min"], strict=True)},
            {str(s): float(v) / 60 for s, v in
             zip(stations["station_id"], stations["mean_delay_s"], strict=True)})


def _realised(simulation: SimResult) -> dict[tuple[str, str], float]:
    """Mean simulated in-vehicle minutes per station pair (for the ridership model)."""
    times = simulation.od_times()
    return {(str(o), str(d)): float(t) for o, d, t in
            zip(times["origin"], times["destination"], times["realised_mean_min"], strict=True)}

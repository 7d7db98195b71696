"""Declared outputs: every result file, its columns and units, and every KPI of kpis.csv.

As :mod:`railsim.data` declares the input tables, this module declares what railsim
writes, once: each file of a scenario's result folder and of the batch folder (when it
is written, what a row is, each column with type, unit and meaning) and each KPI
variable (unit, statistics, meaning). ``docs/result-tables.md`` is generated from it
(``make docs``), and :meth:`railsim.evaluate.Evaluation.tables` checks every table and
KPI row against it, so an undeclared output is a bug found by the tests, not a surprise
for a reader of the results.

Standard library only, so the docs and the light layers can use it without pandas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

PRICE_YEAR = "{price_year}"
"""Placeholder in a unit for the scenario's ``costs.price_year``: ``EUR ({price_year})``."""

DTYPES = ("str", "float", "int", "bool")

CHARTS = "charts/<chart>[.fi].{png,svg}"
"""The chart files of a folder: ``charts/<chart>.png`` and ``.svg`` in English, ``.fi.png``
and ``.fi.svg`` in Finnish."""

# When a file is written ("written ..."). Evaluation.tables() gives the first three
# whenever they apply; the others may be there.
WHEN = {
    "always": "for every evaluated scenario",
    "rail": "for rail scenarios (not the do-minimum)",
    "weekday": "for rail scenarios with a weekday service (the simulated day)",
    "setting": "only when a scenario setting asks for it",
    "failed": "only when the scenario failed",
    "batch": "by `railsim run` once the results are complete",
    "report": "by `railsim run` (unless `--no-report`) and `railsim report`",
    "pdf": "by `railsim report DIR --pdf` (headless Chromium)",
    "charts": "only when asked: `railsim report DIR --charts png,svg` (or `railsim run "
              "--charts`)",
}

# When a KPI is reported; a "conditional" KPI says when in its own `condition`.
KPI_WHEN = {
    "always": "every scenario",
    "rail": "rail scenarios",
    "weekday": "rail scenarios with a weekday service",
    "conditional": "",
}

VALUE = ("value",)
"""A deterministic KPI: one row."""
SIMULATED = ("mean", "p10", "p50", "p90", "ci95_low", "ci95_high")
"""Over the simulated days: mean, percentiles and the 95 % confidence interval of the mean."""
DRAWN = ("value", "mean", "p10", "p50", "p90")
"""Central estimate (``value``, inputs at their base) and, for rail scenarios, the mean
and percentiles over the ``uncertainty.draws``."""

STATISTICS = {
    "value": "deterministic value, or the central estimate of an uncertain KPI",
    "mean": "mean over simulated days or uncertainty draws",
    "p10": "10th percentile over simulated days or uncertainty draws",
    "p50": "median over simulated days or uncertainty draws",
    "p90": "90th percentile over simulated days or uncertainty draws",
    "ci95_low": "lower end of the 95 % confidence interval of the mean (simulated days)",
    "ci95_high": "upper end of the 95 % confidence interval of the mean (simulated days)",
}


class OutputDeclarationError(Exception):
    """Railsim wrote a file, column or KPI that this module does not declare (a bug)."""


@dataclass(frozen=True)
class Column:
    """One column of a result table: name, type (str, float, int, bool), unit, meaning."""

    name: str
    dtype: str
    unit: str
    description: str


@dataclass(frozen=True)
class ResultFile:
    """A declared output file: name, level, when it is written, contents, columns.

    ``name`` is relative to the scenario folder (``level`` "scenario") or to the batch
    folder (``level`` "batch"); :data:`CHARTS` stands for the chart files.
    """

    name: str
    level: str
    when: str
    description: str
    row: str = ""
    """What one row is (tables only)."""
    columns: tuple[Column, ...] = ()
    setting: str = ""
    """The scenario setting that switches an optional file on (``when`` "setting")."""

    @property
    def is_table(self) -> bool:
        return self.name.endswith(".csv")

    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def descriptions(self) -> dict[str, str]:
        """Column name → meaning, in column order."""
        return {c.name: c.description for c in self.columns}

    def matches(self, path: str) -> bool:
        if self.name == CHARTS:
            return re.fullmatch(r"charts/[A-Za-z0-9_]+(\.fi)?\.(png|svg)", path) is not None
        return path == self.name


@dataclass(frozen=True)
class Kpi:
    """A KPI variable of kpis.csv, or a family of them (``<placeholder>`` in the name).

    ``unit`` is the exact string written; ``{price_year}`` in it stands for the
    scenario's ``costs.price_year``.
    """

    name: str
    unit: str
    statistics: tuple[str, ...]
    when: str
    description: str
    condition: str = ""
    """For ``when`` "conditional": when the KPI is reported."""

    @property
    def is_family(self) -> bool:
        return "<" in self.name

    def matches(self, variable: str) -> bool:
        if not self.is_family:
            return variable == self.name
        return re.fullmatch(_wildcards(self.name, PLACEHOLDERS), variable) is not None

    def unit_for(self, price_year: int) -> str:
        return self.unit.replace(PRICE_YEAR, str(price_year))

    def unit_matches(self, unit: str, price_year: int | None = None) -> bool:
        if price_year is not None:
            return unit == self.unit_for(price_year)
        pattern = re.escape(self.unit).replace(re.escape(PRICE_YEAR), r"\d{4}")
        return re.fullmatch(pattern, unit) is not None


PLACEHOLDERS = {
    "from": r"[A-Z][A-Z0-9_]*",
    "to": r"[A-Z][A-Z0-9_]*",
    "municipality": r".+",
}
"""What a ``<placeholder>`` of a KPI family stands for (station ids as in the schema)."""


def _wildcards(name: str, placeholders: Mapping[str, str]) -> str:
    """A regular expression for ``name`` with each ``<placeholder>`` as its pattern."""
    parts = re.split(r"<(\w+)>", name)
    return "".join(re.escape(p) if k % 2 == 0 else f"(?:{placeholders[p]})"
                   for k, p in enumerate(parts))


def _c(name: str, dtype: str, unit: str, description: str) -> Column:
    return Column(name, dtype, unit, description)


# ---------------------------------------------------------------------------------------
# Result files

_S_AFTER_MIDNIGHT = "s after midnight"
_STATION = "Station id (data/network/stations.csv)."
_MONEY = "EUR"  # at the price year, as every money column

_VALIDATION_COLUMNS = (
    _c("station_id", "str", "", _STATION),
    _c("station_name", "str", "", "Finnish name."),
    _c("year", "int", "year", "Year of the count (the scenario's demand.base_year)."),
    _c("observed", "float", "persons/yr", "Passengers counted in the year."),
    _c("predicted", "float", "persons/yr",
       "The forecast in the count's definition: annual boardings, or boardings plus "
       "alightings (a full ridership year)."),
    _c("ratio", "float", "1", "predicted / observed."),
    _c("definition", "str", "", "`boardings` or `boardings_and_alightings`."),
    _c("use", "str", "",
       "`calibration` (the rail constant is fitted to it) or `held_out` (compared only)."),
    _c("source", "str", "", "Citation of the count."),
)

FILES: dict[str, ResultFile] = {
    f.name: f
    for f in [
        # -- every scenario ------------------------------------------------------------
        ResultFile(
            "scenario.resolved.yaml", "scenario", "always",
            "The fully resolved scenario the results came from (bases, overrides and "
            "defaults applied); `railsim run` on it gives the same results."),
        ResultFile(
            "kpis.csv", "scenario", "always",
            "Every KPI of the scenario in long format (the variables are listed under "
            "[KPIs](#kpis-kpiscsv)).",
            "one statistic of one KPI",
            (
                _c("scenario", "str", "", "Scenario name."),
                _c("variable", "str", "", "KPI name (see [KPIs](#kpis-kpiscsv))."),
                _c("unit", "str", "", "Unit of the value, e.g. `EUR (2024)` at the price year."),
                _c("statistic", "str", "",
                   "`value` when deterministic or the central estimate; `mean`, `p10`, "
                   "`p50`, `p90` (and `ci95_low`, `ci95_high` for simulated KPIs) over "
                   "simulated days or uncertainty draws."),
                _c("value", "float", "unit", "The number, in `unit`."),
            ),
        ),
        ResultFile(
            "ridership.csv", "scenario", "always",
            "Boardings and alightings per served station (journeys, not changes at Lahti); "
            "no rows for the do-minimum.",
            "a served station",
            (
                _c("station_id", "str", "", _STATION),
                _c("station_name", "str", "", "Finnish name."),
                _c("boardings_daily", "float", "persons/day", "Weekday boardings."),
                _c("alightings_daily", "float", "persons/day", "Weekday alightings."),
                _c("boardings_annual", "float", "persons/yr",
                   "Boardings in a full ridership year (weekend days by their demand "
                   "factors; before ramp-up and population growth)."),
            ),
        ),
        ResultFile(
            "od_matrix.csv", "scenario", "always",
            "Weekday train trips by boarding and alighting station; no rows for the "
            "do-minimum. A trip to or from a destination beyond the modelled network "
            "(data/demand/external_zones.csv, by a service that runs on) shows as a ride "
            "to or from the last modelled station it passes; ridership.csv leaves such "
            "trips out of that station's boardings.",
            "a station pair with train trips",
            (
                _c("origin_station", "str", "", "Boarding station id."),
                _c("destination_station", "str", "", "Alighting station id."),
                _c("trips_daily", "float", "trips/weekday", "Train trips."),
            ),
        ),
        ResultFile(
            "loads.csv", "scenario", "always",
            "Peak-hour load per section and direction against the seats and capacity "
            "offered; no rows for the do-minimum.",
            "a section between two consecutive stations of a service line, in one direction",
            (
                _c("service_id", "str", "", "Service line id from the scenario."),
                _c("direction", "str", "", "`towards_lahti` or `from_lahti`."),
                _c("from_station", "str", "", "Station id where the section starts."),
                _c("to_station", "str", "", "Station id where the section ends."),
                _c("peak_hour_load", "float", "passengers/h",
                   "Passengers on the section in the peak hour (weekday trips × "
                   "peak_hour_share)."),
                _c("seats_per_hour", "float", "seats/h", "Seats offered in the peak hour."),
                _c("capacity_per_hour", "float", "places/h",
                   "Seats plus standing places offered in the peak hour."),
                _c("crowding", "str", "", "`seated`, `standing` or `over_capacity`."),
            ),
        ),
        ResultFile(
            "mode_choice.csv", "scenario", "always",
            "Trips and mode shares per place pair and purpose, with the do-minimum shares.",
            "a pair of places and a trip purpose",
            (
                _c("origin_place", "str", "",
                   "Population point id (data/demand/population_points.csv); `ONWARD` = "
                   "Lahti station for trips on to the capital region."),
                _c("destination_place", "str", "", "Population point id, or `ONWARD`."),
                _c("purpose", "str", "", "`commute` or `other`."),
                _c("trips_daily", "float", "trips/weekday",
                   "Trips by all modes in the do-minimum (before induced trips)."),
                _c("share_train", "float", "fraction", "Train share of trips_daily."),
                _c("share_bus", "float", "fraction", "Bus share of trips_daily."),
                _c("share_car", "float", "fraction", "Car share of trips_daily."),
                _c("share_bus_do_minimum", "float", "fraction", "Bus share without the train."),
                _c("share_car_do_minimum", "float", "fraction", "Car share without the train."),
                _c("new_trips_daily", "float", "trips/weekday",
                   "Induced train trips (accessibility gain)."),
            ),
        ),
        ResultFile(
            "calibration.csv", "scenario", "always",
            "Counted commuting flows (data/demand/commuting.csv) against the gravity model.",
            "a counted municipal commuting flow",
            (
                _c("origin", "str", "", "Home municipality."),
                _c("destination", "str", "", "Work municipality."),
                _c("status", "str", "",
                   "Status of the count: VERIFIED counts are fitted, others only checked."),
                _c("count", "float", "persons/day", "Counted commuters."),
                _c("target", "float", "persons/day",
                   "count × share of the home municipality's residents the places cover."),
                _c("model", "float", "persons/day", "Commuters in the gravity model."),
            ),
        ),
        ResultFile(
            "validation.csv", "scenario", "always",
            "Observed yearly passengers of the served stations (data/demand/station_counts.csv) "
            "in the year the scenario represents (`demand.base_year`) against the forecast: "
            "the back-casts of existing services (scenarios/validation/); no rows where the "
            "data hold no count of that year.",
            "a station count",
            _VALIDATION_COLUMNS,
        ),
        ResultFile(
            "elasticities.csv", "scenario", "always",
            "Arc elasticities of weekday train trips (+10 % step) against published ranges "
            "(data/demand/elasticity_benchmarks.csv); no rows without train trips.",
            "an elasticity",
            (
                _c("elasticity", "str", "", "`fare`, `in_vehicle_time` or `frequency`."),
                _c("value", "float", "1", "Implied elasticity."),
                _c("published_low", "float", "1", "Low end of the published range."),
                _c("published_high", "float", "1", "High end of the published range."),
                _c("within_published_range", "bool", "", "value within the published range."),
            ),
        ),
        ResultFile(
            "network.csv", "scenario", "always",
            "Stations on every line with position, coordinates and catchment (for the map).",
            "a station on a line (a station on two lines has two rows)",
            (
                _c("line_id", "str", "", "Line id (data/network/lines.csv)."),
                _c("station_id", "str", "", _STATION),
                _c("station_name", "str", "", "Finnish name."),
                _c("km_from_lahti", "float", "km", "Position on the line from Lahti."),
                _c("x_3067", "float", "m", "ETRS-TM35FIN (EPSG:3067) easting."),
                _c("y_3067", "float", "m", "ETRS-TM35FIN (EPSG:3067) northing."),
                _c("served", "bool", "", "Served by the scenario's trains."),
                _c("population_walk", "float", "persons",
                   "Residents in the walking band of the station's catchment (0 if not served)."),
                _c("population_feeder", "float", "persons",
                   "Residents in the feeder (bus, bike) band."),
                _c("population_park_and_ride", "float", "persons",
                   "Residents in the park-and-ride band."),
            ),
        ),
        # -- rail scenarios ------------------------------------------------------------
        ResultFile(
            "timetable.csv", "scenario", "rail",
            "The planned trips of every day type, passenger and freight.",
            "a trip (one train run from origin to destination)",
            (
                _c("trip_id", "str", "",
                   "Unique id: `<service>-<day>-<direction>-<n>` or the freight id."),
                _c("service_id", "str", "", "Service line id from the scenario (or 'freight')."),
                _c("kind", "str", "", "passenger or freight."),
                _c("day_type", "str", "", "weekday, saturday or sunday."),
                _c("direction", "int", "", "0 = stations in the listed order, 1 = reverse."),
                _c("origin", "str", "", "First station id."),
                _c("destination", "str", "", "Last station id."),
                _c("departure_s", "float", _S_AFTER_MIDNIGHT, "Departure from the origin."),
                _c("arrival_s", "float", _S_AFTER_MIDNIGHT, "Arrival at the destination."),
                _c("distance_km", "float", "km", "Length of the trip."),
                _c("units", "int", "count", "Units coupled in the train."),
                _c("crossing_wait_s", "float", "s",
                   "Planned waiting for crossings included in the trip."),
            ),
        ),
        ResultFile(
            "stop_times.csv", "scenario", "rail",
            "Calls and passing times of every planned trip (times past 86 400 s are after "
            "midnight).",
            "a trip's call at a station, or its passage of a timing point",
            (
                _c("trip_id", "str", "", "Trip id (timetable.csv)."),
                _c("stop_sequence", "int", "", "0-based order of the stop in the trip."),
                _c("station_id", "str", "",
                   "Station id, or a crossing loop's timing point `LINE@km`."),
                _c("line_id", "str", "",
                   "Line the train runs on when it arrives (origin: line it departs on)."),
                _c("km", "float", "km", "Distance from the trip's origin."),
                _c("arrival_s", "float", _S_AFTER_MIDNIGHT, "Arrival (origin: equals departure)."),
                _c("departure_s", "float", _S_AFTER_MIDNIGHT,
                   "Departure (destination: equals arrival)."),
                _c("line_km", "float", "km", "Position on line_id, km from Lahti."),
                _c("served", "bool", "",
                   "True for passenger stops, false for timing points passed without stopping."),
            ),
        ),
        ResultFile(
            "meetings.csv", "scenario", "rail",
            "Where opposite trains cross on single track, all day types (no rows when "
            "none cross).",
            "two opposite trains at a crossing point at the same time",
            (
                _c("day_type", "str", "", "weekday, saturday or sunday."),
                _c("station_id", "str", "",
                   "Crossing point (station or loop timing point LINE@km)."),
                _c("first_trip", "str", "", "Trip that arrived first."),
                _c("first_arrival_s", "float", _S_AFTER_MIDNIGHT, "Its arrival."),
                _c("first_departure_s", "float", _S_AFTER_MIDNIGHT, "Its departure."),
                _c("second_trip", "str", "",
                   "Trip in the opposite direction that arrived while the first was there."),
                _c("second_arrival_s", "float", _S_AFTER_MIDNIGHT, "Its arrival."),
                _c("second_departure_s", "float", _S_AFTER_MIDNIGHT, "Its departure."),
            ),
        ),
        ResultFile(
            "capex.csv", "scenario", "rail",
            "The scenario's investment cost lines, before contingency and "
            "`costs.capex_multiplier` (the KPI capex_total_eur includes both): its works, the "
            "renewal of the kept freight lines where it does not renovate them itself (the "
            "do-minimum's renewal, KPI capex_do_minimum_eur) and the rolling stock.",
            "an investment cost line",
            (
                _c("item_id", "str", "",
                   "Unit-cost item (data/costs/unit_costs.csv) or `rolling_stock:<type>`."),
                _c("description", "str", "", "What the line covers."),
                _c("quantity", "float", "", "Quantity in the unit of the unit cost."),
                _c("unit_cost_eur", "float", "EUR per unit",
                   "Unit cost at the scenario's price year."),
                _c("cost_eur", "float", _MONEY, "quantity × unit cost."),
                _c("asset_life_years", "float", "years", "Life before renewal."),
                _c("payer", "str", "",
                   "`state` (rail infrastructure) or `operator` (rolling stock, depot)."),
            ),
        ),
        ResultFile(
            "opex.csv", "scenario", "rail",
            "The operator's yearly cost lines, before overheads and `costs.opex_multiplier` "
            "(the KPI opex_annual_eur includes both; overheads are not put on the track "
            "charges).",
            "an operating cost line",
            (
                _c("item_id", "str", "", "Unit-cost item (data/costs/unit_costs.csv)."),
                _c("description", "str", "", "What the line covers."),
                _c("quantity", "float", "", "Yearly quantity in the unit of the unit cost."),
                _c("unit_cost_eur", "float", "EUR per unit",
                   "Unit cost at the scenario's price year."),
                _c("cost_eur", "float", "EUR/yr", "quantity × unit cost."),
                _c("asset_life_years", "float", "years", "Empty (operating lines)."),
                _c("payer", "str", "", "`operator` (the train operator's running costs)."),
            ),
        ),
        ResultFile(
            "cashflows.csv", "scenario", "rail",
            "The central cash flows of the financial and societal appraisal (inputs at "
            "their base values) against the do-minimum: costs with the scenario, in the "
            "do-minimum and their difference, which the appraisal counts; money at the price "
            "year, not discounted unless named so.",
            "a calendar year, from construction start to the end of the appraisal period",
            (
                _c("year", "int", "year", "Calendar year."),
                _c("infrastructure_capex_scenario_eur", "float", _MONEY,
                   "The state's infrastructure investment with the scenario (works, freight-line "
                   "renewal, renewals), with contingency and multiplier."),
                _c("infrastructure_capex_do_minimum_eur", "float", _MONEY,
                   "The do-minimum's infrastructure investment (the kept freight lines' "
                   "renewal and its renewals)."),
                _c("infrastructure_capex_eur", "float", _MONEY,
                   "Scenario − do-minimum infrastructure investment (the BCR's denominator)."),
                _c("rolling_stock_capex_eur", "float", _MONEY,
                   "The operator's rolling stock and depot, renewals included."),
                _c("capex_eur", "float", _MONEY,
                   "Incremental investment: infrastructure + rolling stock."),
                _c("infrastructure_maintenance_scenario_eur", "float", _MONEY,
                   "Track maintenance of the lines in use, passenger trains' wear, stop upkeep."),
                _c("infrastructure_maintenance_do_minimum_eur", "float", _MONEY,
                   "Track maintenance of the kept freight lines in the do-minimum."),
                _c("infrastructure_maintenance_eur", "float", _MONEY,
                   "Scenario − do-minimum maintenance."),
                _c("opex_eur", "float", _MONEY,
                   "The operator's running cost (track charges included)."),
                _c("track_charges_eur", "float", _MONEY,
                   "Track access charge and track tax in opex_eur, received by the state."),
                _c("revenue_eur", "float", _MONEY, "Fare revenue (net of VAT)."),
                _c("infrastructure_residual_eur", "float", _MONEY,
                   "Residual value of the incremental infrastructure, in the last year."),
                _c("rolling_stock_residual_eur", "float", _MONEY,
                   "Residual value of rolling stock and depot, in the last year."),
                _c("residual_value_eur", "float", _MONEY,
                   "Residual value credited in the last year (the two above)."),
                _c("net_financial_eur", "float", _MONEY,
                   "revenue + residual − capex − opex + track charges − infrastructure "
                   "maintenance (the project's own money; the charges stay inside it)."),
                _c("discount_factor", "float", "1", "(1 + r) ** −(year − opening year)."),
                _c("discounted_net_financial_eur", "float", _MONEY,
                   "net_financial × discount_factor."),
                _c("user_time_benefit_eur", "float", _MONEY,
                   "Travellers' time saved: rule of half on the public-transport trip's "
                   "weighted minutes at the public-transport value of time (benefits.csv)."),
                _c("user_money_benefit_eur", "float", _MONEY,
                   "Travellers' fares and car costs saved (rule of half)."),
                _c("user_reliability_benefit_eur", "float", _MONEY,
                   "Train lateness beyond its in-vehicle time (negative: a cost)."),
                _c("user_benefit_eur", "float", _MONEY,
                   "Users' benefit: time + money + reliability."),
                _c("car_cost_saving_eur", "float", _MONEY,
                   "Unperceived car running cost saved."),
                _c("emission_benefit_eur", "float", _MONEY,
                   "Car and bus emissions avoided minus train CO2."),
                _c("accident_benefit_eur", "float", _MONEY, "Road accidents avoided."),
                _c("bus_operating_saving_eur", "float", _MONEY,
                   "Bus operating cost of the bus-km the authority removes."),
                _c("bus_revenue_lost_eur", "float", _MONEY,
                   "Bus fares (net of VAT) the riders who moved to the train no longer pay."),
                _c("bus_cost_saving_eur", "float", _MONEY,
                   "bus_operating_saving − bus_revenue_lost."),
                _c("freight_cost_eur", "float", _MONEY,
                   "Freight operators' cost of the paths moved (negative)."),
                _c("indirect_tax_eur", "float", _MONEY,
                   "VAT on train fares less VAT on bus fares lost, less fuel tax on car-km "
                   "saved."),
                _c("public_funds_cost_eur", "float", _MONEY,
                   "(tax factor − 1) × public net cash flow (negative = cost)."),
                _c("net_societal_eur", "float", _MONEY,
                   "Sum of the benefits above + net financial flow."),
                _c("discounted_net_societal_eur", "float", _MONEY,
                   "net_societal × discount_factor."),
                _c("tax_factor", "float", "1",
                   "Shadow price of public funds (appraisal.tax_factor)."),
                _c("passengers", "float", "trips",
                   "Train trips in the year (ramp-up and population growth applied)."),
                _c("passenger_km", "float", "pkm", "Passenger-km in the year."),
            ),
        ),
        ResultFile(
            "benefits.csv", "scenario", "rail",
            "The users' benefit by the rule of half, per year, user group and trip purpose "
            "(central case); the € columns sum to cashflows.csv user_benefit_eur.",
            "a year, user group and purpose",
            (
                _c("year", "int", "year", "Calendar year."),
                _c("user_group", "str", "",
                   "`existing` (the do-minimum's bus riders: full change), `from_car` "
                   "(diverted: half), `induced` (new trips: half)."),
                _c("purpose", "str", "", "`commute` or `other`."),
                _c("trips", "float", "trips",
                   "Trips of the group in the year (its public-transport trips: existing "
                   "users who stay on the bus included)."),
                _c("hours_saved", "float", "h",
                   "Weighted hours saved, rule of half (existing full, new half)."),
                _c("minutes_saved_per_trip", "float", "min",
                   "60 × hours_saved / trips (half-weighted for new users)."),
                _c("time_benefit_eur", "float", _MONEY, "Time saved at the value of time."),
                _c("money_benefit_eur", "float", _MONEY, "Fares and car costs saved."),
                _c("reliability_benefit_eur", "float", _MONEY,
                   "Train lateness beyond its in-vehicle time (negative: a cost)."),
                _c("user_benefit_eur", "float", _MONEY, "time + money + reliability."),
            ),
        ),
        ResultFile(
            "effects.csv", "scenario", "rail",
            "Effects by party, as Väylävirasto's appraisal reports tabulate them: the present "
            "value of each effect on users, producers, the public sector and externalities "
            "(central case), with the transfers between parties shown; the rows sum to "
            "npv_societal_eur, and bcr = numerator rows ÷ −(denominator rows).",
            "an effect on one party",
            (
                _c("party", "str", "",
                   "`users`, `producers`, `public_sector` or `externalities`."),
                _c("payer", "str", "",
                   "Who it falls on: travellers, car users, train operator, bus authority, "
                   "freight operators, state, municipalities, taxpayers, society."),
                _c("effect", "str", "", "Effect id."),
                _c("description", "str", "", "What the effect is."),
                _c("pv_eur", "float", _MONEY,
                   "Present value at the opening year (positive = benefit to the party)."),
                _c("in_bcr", "str", "",
                   "`numerator` or `denominator` of the Finnish benefit–cost ratio."),
            ),
        ),
        ResultFile(
            "uncertainty_draws.csv", "scenario", "rail",
            "The appraisal of each Monte Carlo draw of the uncertain inputs "
            "(`uncertainty.inputs`, `uncertainty.draws` rows).",
            "a draw",
            (
                _c("draw", "int", "", "Draw number (0-based)."),
                _c("npv_financial_eur", "float", _MONEY, "Financial NPV."),
                _c("npv_societal_eur", "float", _MONEY, "Societal NPV."),
                _c("bcr", "float", "ratio", "Benefit–cost ratio (Finnish definition)."),
                _c("bcr_public_cost", "float", "ratio",
                   "Benefits to users and third parties over the net public cost."),
                _c("passengers_daily", "float", "trips/weekday", "Weekday train trips."),
            ),
        ),
        # -- rail scenarios with a weekday service (simulated) ---------------------------
        ResultFile(
            "replications.csv", "scenario", "weekday",
            "The simulated weekdays (`simulation.replications`).",
            "a simulated day",
            (
                _c("replication", "int", "",
                   "Replication number (its draws: block r // 64 of the simulation stream)."),
                _c("punctuality_3min_pct", "float", "%",
                   "Share of passenger arrivals less than 3 min late."),
                _c("punctuality_5min_pct", "float", "%",
                   "Share of passenger arrivals less than 5 min late."),
                _c("mean_delay_s", "float", "s", "Mean arrival delay, early counted as zero."),
                _c("p90_delay_s", "float", "s", "90th percentile of arrival delay."),
                _c("primary_delay_s", "float", "s",
                   "Mean delay drawn on the trains themselves, per passenger trip."),
                _c("secondary_delay_s", "float", "s",
                   "Mean knock-on delay (blocks, late incoming units) per trip."),
            ),
        ),
        ResultFile(
            "punctuality_by_station.csv", "scenario", "weekday",
            "Punctuality of passenger arrivals per station over all simulated days.",
            "a station where passenger trains arrive",
            (
                _c("station_id", "str", "", _STATION),
                _c("arrivals", "int", "count",
                   "Passenger train arrivals, summed over the simulated days."),
                _c("punctuality_3min_pct", "float", "%", "Arrivals less than 3 min late."),
                _c("punctuality_5min_pct", "float", "%", "Arrivals less than 5 min late."),
                _c("mean_delay_s", "float", "s", "Mean arrival delay, early counted as zero."),
            ),
        ),
        ResultFile(
            "od_times.csv", "scenario", "weekday",
            "Scheduled and simulated in-vehicle times between stations of the same trip.",
            "a pair of stations served by one passenger trip",
            (
                _c("origin", "str", "", "Station id where the passenger boards."),
                _c("destination", "str", "", "Station id where the passenger alights."),
                _c("scheduled_min", "float", "min", "Scheduled time, mean over the trips."),
                _c("realised_mean_min", "float", "min",
                   "Simulated time, mean over trips and days."),
                _c("extra_min", "float", "min", "realised_mean_min − scheduled_min."),
                _c("ci95_low_min", "float", "min",
                   "Lower end of the 95 % confidence interval of realised_mean_min."),
                _c("ci95_high_min", "float", "min",
                   "Upper end of the 95 % confidence interval of realised_mean_min."),
            ),
        ),
        # -- optional, switched on by a scenario setting ---------------------------------
        ResultFile(
            "tornado.csv", "scenario", "setting",
            "One uncertain input at a time at its 10th and 90th percentile, the others at "
            "base; rows sorted by the swing of the societal NPV. Written for rail scenarios "
            "when at least one input changes the appraisal.",
            "an uncertain input",
            (
                _c("input", "str", "", "Target of the uncertain input (a scenario path)."),
                _c("low_value", "float", "input's unit", "10th percentile of the input."),
                _c("high_value", "float", "input's unit", "90th percentile of the input."),
                _c("npv_societal_low_eur", "float", _MONEY,
                   "Societal NPV with the input at low_value."),
                _c("npv_societal_high_eur", "float", _MONEY,
                   "Societal NPV with the input at high_value."),
                _c("base_npv_societal_eur", "float", _MONEY,
                   "Societal NPV with every input at base."),
            ),
            setting="uncertainty.inputs",
        ),
        ResultFile(
            "sobol.csv", "scenario", "setting",
            "Sobol indices of the societal NPV (SALib) for rail scenarios with uncertain "
            "inputs.",
            "an uncertain input",
            (
                _c("input", "str", "", "Target of the uncertain input (a scenario path)."),
                _c("s1", "float", "fraction",
                   "First-order index: share of the NPV's variance the input explains alone."),
                _c("s1_conf", "float", "fraction", "95 % confidence half-width of s1."),
                _c("st", "float", "fraction", "Total index: with the input's interactions."),
                _c("st_conf", "float", "fraction", "95 % confidence half-width of st."),
            ),
            setting="uncertainty.sobol",
        ),
        ResultFile(
            "events.csv", "scenario", "setting",
            "Full event log of the simulated weekdays (large): every train at every stop "
            "and timing point, freight included.",
            "a train's call or passage in one simulated day",
            (
                _c("replication", "int", "", "Replication number."),
                _c("trip_id", "str", "", "Trip id (timetable.csv)."),
                _c("station_id", "str", "", "Station id or timing point `LINE@km`."),
                _c("scheduled_arrival_s", "float", _S_AFTER_MIDNIGHT, "Planned arrival."),
                _c("scheduled_departure_s", "float", _S_AFTER_MIDNIGHT, "Planned departure."),
                _c("actual_arrival_s", "float", _S_AFTER_MIDNIGHT, "Simulated arrival."),
                _c("actual_departure_s", "float", _S_AFTER_MIDNIGHT, "Simulated departure."),
            ),
            setting="simulation.keep_event_log",
        ),
        # -- written by the batch runner and the report --------------------------------
        ResultFile(
            "error.txt", "scenario", "failed",
            "The scenario file and the clear message (and a short traceback when the error "
            "is a bug in railsim); the folder then holds nothing else."),
        ResultFile(
            "fingerprint.txt", "scenario", "batch",
            "What the results were computed from: `sha256` of the lines below it, then "
            "`scenario` (sha256 of the resolved YAML), `railsim` (version), `source` "
            "(sha256 of the package files), `data` (sha256 of `data/`), `replications`, "
            "`seed`; a rerun skips the scenario while it matches (not written for failed "
            "scenarios)."),
        ResultFile(
            "run.log", "scenario", "batch",
            "The scenario's log records of the run that computed it, every level: "
            "`time level logger: message`, one a line, the stages (timetable, simulation, "
            "ridership, appraisal) included, wherever it ran (this process, a worker "
            "process, a Dask worker). `railsim run -v` shows them on the terminal."),
        ResultFile(
            CHARTS, "scenario", "charts",
            "Charts drawn from the tables above as files (`<chart>.png` and `.svg` in "
            "English, `<chart>.fi.png` and `.fi.svg` in Finnish; a chart whose table is "
            "missing is not drawn; the names are in railsim/plot/charts.py). The report "
            "draws its charts in memory and needs none of them."),
        ResultFile(
            ".report-charts/<chart>.json", "scenario", "report",
            "The report's charts of this scenario as it drew them, with a key of the files "
            "each was drawn from and of railsim's source: the next report takes the ones "
            "whose key still matches instead of drawing them again (a rerun's unchanged "
            "scenarios). Safe to delete."),
    ]
}


# ---------------------------------------------------------------------------------------
# KPIs

_EUR = f"EUR ({PRICE_YEAR})"
_EUR_YR = f"EUR/yr ({PRICE_YEAR})"

KPIS: tuple[Kpi, ...] = (
    # -- planned service (railsim/timetable/plan.py, railsim/evaluate.py) --------------
    Kpi("units_required", "units", VALUE, "always",
        "Fleet: the most units in service on any day type plus spares "
        "(rolling_stock.spare_ratio), rounded up; 0 for the do-minimum."),
    Kpi("units_in_service", "units", VALUE, "rail",
        "Units needed to run the busiest day type's circulation."),
    Kpi("units_per_train_peak", "units", VALUE, "rail",
        "Units coupled per train in the peaks: sized from the peak-hour load "
        "(rolling_stock.fleet_sizing demand) or as given (fixed)."),
    Kpi("units_per_train_offpeak", "units", VALUE, "rail",
        "Units coupled per train off-peak, sized or as given."),
    Kpi("train_km_annual", "train-km/yr", VALUE, "always",
        "Passenger train-km in a year (all day types); 0 for the do-minimum."),
    Kpi("unit_km_annual", "unit-km/yr", VALUE, "rail",
        "Unit-km in a year (a train of two units counts twice)."),
    Kpi("train_hours_annual", "train-h/yr", VALUE, "rail", "Passenger train-hours in a year."),
    Kpi("trips_weekday", "trips/day", VALUE, "rail", "Passenger trips run on a weekday."),
    Kpi("travel_time_min_<from>_<to>", "min", VALUE, "conditional",
        "Median scheduled weekday time from station `<from>` to `<to>`: between each "
        "service's terminals, and from each terminal to Lahti on through services.",
        "rail scenarios with a weekday service, one per station pair"),
    # -- costs (railsim/evaluate.py) -----------------------------------------------------
    Kpi("price_index_year_used", "year", VALUE, "rail",
        "Year of the cost index level the euros are at: the price year, or the index's "
        "last year when the price year is later."),
    Kpi("capex_total_eur", _EUR, VALUE, "rail",
        "The scenario's investment: capex.csv lines plus contingency, times "
        "costs.capex_multiplier (the kept freight lines' renewal included)."),
    Kpi("capex_do_minimum_eur", _EUR, VALUE, "rail",
        "The do-minimum's investment: the kept freight lines' renewal, with contingency."),
    Kpi("capex_incremental_eur", _EUR, VALUE, "rail",
        "capex_total_eur − capex_do_minimum_eur: what the project adds."),
    Kpi("capex_drawn_eur", _EUR, ("mean", "p10", "p50", "p90"), "rail",
        "capex_total_eur over the uncertainty draws: the draws are centred on the central "
        "estimate (contingency counted once)."),
    Kpi("infrastructure_maintenance_annual_eur", _EUR_YR, VALUE, "rail",
        "The state's infrastructure maintenance beyond the do-minimum's in a year."),
    Kpi("track_charges_annual_eur", _EUR_YR, VALUE, "rail",
        "Track access charge and track tax the operator pays the state in a year."),
    Kpi("freight_hours_moved_annual", "train-h/yr", VALUE, "rail",
        "Train-hours the freight departures moved from their times in "
        "data/network/freight.csv to fit the passenger service, in a year."),
    Kpi("freight_wait_hours_annual", "train-h/yr", VALUE, "rail",
        "Planned crossing waits of the freight trains, in a year."),
    Kpi("freight_cost_annual_eur", _EUR_YR, VALUE, "rail",
        "The freight operators' cost of those hours: moved at "
        "freight_path_shift_per_train_hour (an ASSUMPTION), waiting at freight_train_hour."),
    Kpi("opex_annual_eur", _EUR_YR, VALUE, "rail",
        "Operating cost of a year: opex.csv lines plus overheads, times "
        "costs.opex_multiplier."),
    # -- simulated operations (railsim/sim/montecarlo.py) --------------------------------
    Kpi("punctuality_3min_pct", "%", SIMULATED, "weekday",
        "Share of passenger arrivals less than 3 min late, per simulated weekday."),
    Kpi("punctuality_5min_pct", "%", SIMULATED, "weekday",
        "Share of passenger arrivals less than 5 min late, per simulated weekday."),
    Kpi("mean_delay_s", "s", SIMULATED, "weekday",
        "Mean arrival delay (early counted as zero), per simulated weekday."),
    Kpi("p90_delay_s", "s", SIMULATED, "weekday",
        "90th percentile of arrival delay, per simulated weekday."),
    Kpi("primary_delay_s", "s", SIMULATED, "weekday",
        "Mean delay drawn on the trains themselves per passenger trip, per simulated weekday."),
    Kpi("secondary_delay_s", "s", SIMULATED, "weekday",
        "Mean knock-on delay (blocks, late incoming units) per trip, per simulated weekday."),
    # -- ridership (railsim/demand/model.py) ---------------------------------------------
    Kpi("passengers_daily", "trips/weekday", DRAWN, "always",
        "Weekday train trips (mean and percentiles over the uncertainty draws for rail "
        "scenarios)."),
    Kpi("passengers_annual", "trips/yr", VALUE, "always",
        "Train trips in a full ridership year (weekend days by their demand factors)."),
    Kpi("passenger_km_annual", "pkm/yr", VALUE, "always",
        "Passenger-km in a full ridership year."),
    Kpi("revenue_annual_eur", _EUR_YR, VALUE, "always",
        "Fare revenue of a full ridership year, net of VAT (before ramp-up and growth)."),
    Kpi("fare_per_trip_eur", "EUR (incl. VAT)", VALUE, "always",
        "Average train fare paid per trip, VAT included, indexed to the price year."),
    Kpi("train_share_pct", "%", VALUE, "always",
        "Train trips as a share of all corridor trips (corridor_trips_daily)."),
    Kpi("passengers_from_bus_daily", "trips/weekday", VALUE, "always",
        "Weekday train trips diverted from bus."),
    Kpi("passengers_from_car_daily", "trips/weekday", VALUE, "always",
        "Weekday train trips diverted from car."),
    Kpi("passengers_new_daily", "trips/weekday", VALUE, "always",
        "Weekday train trips that are new (induced by the better accessibility)."),
    Kpi("corridor_trips_daily", "trips/weekday", VALUE, "always",
        "Weekday trips by all modes in the modelled markets (do-minimum)."),
    Kpi("passengers_onward_daily", "trips/weekday", VALUE, "always",
        "Weekday train trips to or from beyond Lahti (onward to the capital region)."),
    Kpi("elasticity_fare", "1", VALUE, "conditional",
        "Arc elasticity of weekday train trips to the fare (+10 %).",
        "rail scenarios with train trips and a fare above zero"),
    Kpi("elasticity_in_vehicle_time", "1", VALUE, "conditional",
        "Arc elasticity of weekday train trips to the train's in-vehicle time (+10 %).",
        "rail scenarios with train trips"),
    Kpi("elasticity_frequency", "1", VALUE, "conditional",
        "Arc elasticity of weekday train trips to the service frequency (headway +10 %).",
        "rail scenarios with train trips"),
    Kpi("peak_hour_load_max", "passengers/h", VALUE, "weekday",
        "Highest peak-hour section load (loads.csv)."),
    Kpi("sections_over_seats", "count", VALUE, "weekday",
        "Sections and directions whose peak-hour load exceeds the seats (loads.csv)."),
    # -- appraisal (railsim/appraisal/kpis.py) -------------------------------------------
    Kpi("operating_result_annual_eur", _EUR_YR, VALUE, "rail",
        "Revenue − operating cost of a full ridership year (negative = deficit)."),
    Kpi("farebox_ratio", "fraction", VALUE, "rail", "Revenue / operating cost."),
    Kpi("subsidy_annual_eur", _EUR_YR, VALUE, "rail",
        "Operating cost − revenue of a full ridership year."),
    Kpi("capex_annuity_eur", _EUR_YR, VALUE, "rail",
        "Incremental investment (capex_incremental_eur) spread over the appraisal period at "
        "the discount rate (annuity)."),
    Kpi("subsidy_per_passenger_eur", _EUR, VALUE, "conditional",
        "Yearly subsidy per passenger trip.", "rail scenarios with train trips"),
    Kpi("cost_per_passenger_incl_capex_eur", _EUR, VALUE, "conditional",
        "Yearly subsidy plus capex annuity per passenger trip.",
        "rail scenarios with train trips"),
    Kpi("purchased_service_annual_eur", _EUR_YR, VALUE, "rail",
        "What the municipalities pay the operator in a full ridership year: operating cost "
        "plus the rolling stock's and depot's annuity, less fare revenue."),
    Kpi("subsidy_annual_eur_<municipality>", _EUR_YR, VALUE, "rail",
        "The municipality's share of purchased_service_annual_eur (appraisal.subsidy_split), "
        "one row per municipality with a served station."),
    Kpi("state_infrastructure_annual_eur", _EUR_YR, VALUE, "rail",
        "What the state pays in a year: the annuity of the infrastructure investment beyond "
        "the do-minimum's and the extra maintenance, less the track charges it receives."),
    Kpi("user_benefit_per_trip_eur", _EUR, VALUE, "conditional",
        "Users' benefit (rule of half: time, money, reliability) of a weekday per weekday train "
        "trip, at the price year's values.", "rail scenarios with train trips"),
    Kpi("time_saved_hours_annual", "h/yr", VALUE, "rail",
        "Weighted hours saved by public-transport users in a full ridership year (rule of "
        "half: existing users full, new users half)."),
    Kpi("npv_financial_eur", _EUR, DRAWN, "rail",
        "Financial NPV (discounted to the opening year) of the operator's and investor's "
        "cash flows."),
    Kpi("npv_societal_eur", _EUR, DRAWN, "rail",
        "Societal NPV: benefits − costs (discounted to the opening year)."),
    Kpi("bcr", "ratio", DRAWN, "rail",
        "Benefit–cost ratio, Finnish definition: present value of every effect except the "
        "incremental infrastructure investment (rolling stock counts with the producers) over "
        "that investment times the tax factor (negative when the operating deficit outweighs "
        "the benefits: rank options by npv_societal_eur)."),
    Kpi("bcr_public_cost", "ratio", DRAWN, "rail",
        "Benefits to users and third parties over the whole net cost to the public."),
    Kpi("pv_benefits_eur", _EUR, VALUE, "rail",
        "Present value of every effect except the infrastructure investment (the BCR's "
        "numerator: npv_societal + investment)."),
    Kpi("pv_investment_eur", _EUR, VALUE, "rail",
        "Present value of the incremental infrastructure investment times the tax factor "
        "(the BCR's denominator)."),
    Kpi("pv_user_benefit_eur", _EUR, VALUE, "rail",
        "Present value of cashflows.csv user_benefit_eur."),
    Kpi("pv_user_time_benefit_eur", _EUR, VALUE, "rail",
        "Present value of cashflows.csv user_time_benefit_eur."),
    Kpi("pv_user_money_benefit_eur", _EUR, VALUE, "rail",
        "Present value of cashflows.csv user_money_benefit_eur."),
    Kpi("pv_user_reliability_benefit_eur", _EUR, VALUE, "rail",
        "Present value of cashflows.csv user_reliability_benefit_eur."),
    Kpi("pv_user_benefit_logsum_eur", _EUR, VALUE, "rail",
        "Sensitivity, not in the NPV: the users' benefit as the ridership model's logsum "
        "change (rule of half for new trips), which for a new mode mostly measures the logit's "
        "random term."),
    Kpi("pv_car_cost_saving_eur", _EUR, VALUE, "rail",
        "Present value of cashflows.csv car_cost_saving_eur."),
    Kpi("pv_emission_benefit_eur", _EUR, VALUE, "rail",
        "Present value of cashflows.csv emission_benefit_eur."),
    Kpi("pv_accident_benefit_eur", _EUR, VALUE, "rail",
        "Present value of cashflows.csv accident_benefit_eur."),
    Kpi("pv_freight_cost_eur", _EUR, VALUE, "rail",
        "Present value of cashflows.csv freight_cost_eur."),
    Kpi("pv_infrastructure_capex_eur", _EUR, VALUE, "rail",
        "Present value of cashflows.csv infrastructure_capex_eur."),
    Kpi("pv_rolling_stock_capex_eur", _EUR, VALUE, "rail",
        "Present value of cashflows.csv rolling_stock_capex_eur."),
    Kpi("pv_infrastructure_maintenance_eur", _EUR, VALUE, "rail",
        "Present value of cashflows.csv infrastructure_maintenance_eur."),
    Kpi("pv_bus_cost_saving_eur", _EUR, VALUE, "rail",
        "Present value of cashflows.csv bus_cost_saving_eur."),
    Kpi("pv_indirect_tax_eur", _EUR, VALUE, "rail",
        "Present value of cashflows.csv indirect_tax_eur."),
    Kpi("pv_public_funds_cost_eur", _EUR, VALUE, "rail",
        "Present value of cashflows.csv public_funds_cost_eur."),
    Kpi("irr_financial", "fraction/yr", VALUE, "conditional",
        "Internal rate of return of the net financial flows.",
        "rail scenarios whose undiscounted net financial flows sum to more than zero"),
    Kpi("payback_years_financial", "years from construction start", VALUE, "conditional",
        "Years until the cumulative net financial flow turns non-negative.",
        "rail scenarios whose financial flows pay back within the period"),
    Kpi("prob_npv_societal_positive", "fraction", VALUE, "rail",
        "Share of the uncertainty draws with a positive societal NPV."),
)

@dataclass(frozen=True)
class SummaryColumn:
    """A number column of summary.csv: which KPI statistic, scaled to which unit.

    ``statistic`` is a kpis.csv statistic; ``versus_do_minimum`` makes the column the
    scenario's value minus the value of the batch's do-minimum (empty without one).
    ``headline`` marks the column that stands for its KPI where charts and the report
    read summary.csv back (its central value, or the mean where the KPI has no central
    value).
    """

    name: str
    kpi: str
    statistic: str
    scale: float
    unit: str
    description: str
    headline: bool = True
    versus_do_minimum: bool = False

    @property
    def basis(self) -> str:
        if self.versus_do_minimum:
            return "difference to the do-minimum"
        return {"value": "central", "mean": "mean", "p10": "10th percentile",
                "p90": "90th percentile"}[self.statistic]


SUMMARY_SIGNIFICANT_DIGITS = 3
"""summary.csv rounds its numbers to three significant digits: the inputs (unit costs,
demand, the model's constants) are not known better, and more digits would pretend they
were (kpis.csv keeps full precision)."""

_MEUR = "M EUR ({price_year})"
_DRAWS = "over the uncertainty draws"
SUMMARY_NUMBERS: tuple[SummaryColumn, ...] = (
    SummaryColumn("npv_societal_meur", "npv_societal_eur", "value", 1e-6, _MEUR,
                  "Societal net present value, central estimate (already the difference "
                  "to the do-minimum, which has 0 by construction)."),
    SummaryColumn("npv_societal_mean_meur", "npv_societal_eur", "mean", 1e-6, _MEUR,
                  f"Societal net present value, mean {_DRAWS}.", headline=False),
    SummaryColumn("npv_societal_p10_meur", "npv_societal_eur", "p10", 1e-6, _MEUR,
                  f"Societal net present value, 10th percentile {_DRAWS}.", headline=False),
    SummaryColumn("npv_societal_p90_meur", "npv_societal_eur", "p90", 1e-6, _MEUR,
                  f"Societal net present value, 90th percentile {_DRAWS}.", headline=False),
    SummaryColumn("prob_npv_societal_positive_pct", "prob_npv_societal_positive", "value",
                  100.0, "%", "Share of the uncertainty draws with a positive societal NPV."),
    SummaryColumn("bcr", "bcr", "value", 1.0, "ratio",
                  "Benefit–cost ratio (Finnish definition), central estimate."),
    SummaryColumn("bcr_public_cost", "bcr_public_cost", "value", 1.0, "ratio",
                  "Net benefit per euro of public cost, central estimate."),
    SummaryColumn("npv_financial_meur", "npv_financial_eur", "value", 1e-6, _MEUR,
                  "Financial net present value (operator and public budget), central "
                  "estimate, incremental to the do-minimum."),
    SummaryColumn("capex_meur", "capex_total_eur", "value", 1e-6, _MEUR,
                  "Investment of the option, contingency included (undiscounted)."),
    SummaryColumn("capex_vs_do_minimum_meur", "capex_incremental_eur", "value", 1e-6, _MEUR,
                  "Investment minus what the do-minimum spends anyway on the freight line "
                  "(the renewal it avoids).", headline=False),
    SummaryColumn("opex_meur_per_year", "opex_annual_eur", "value", 1e-6,
                  "M EUR/yr ({price_year})", "Train operating cost in a full year."),
    SummaryColumn("revenue_meur_per_year", "revenue_annual_eur", "value", 1e-6,
                  "M EUR/yr ({price_year})", "Fare revenue in a full year."),
    SummaryColumn("subsidy_eur_per_trip", "subsidy_per_passenger_eur", "value", 1.0,
                  "EUR/trip ({price_year})", "Public subsidy per train trip (operating "
                  "result over trips)."),
    SummaryColumn("farebox_ratio_pct", "farebox_ratio", "value", 100.0, "%",
                  "Fare revenue over operating cost."),
    SummaryColumn("train_trips_per_weekday", "passengers_daily", "value", 1.0,
                  "trips/weekday", "Train trips on an average weekday, central estimate."),
    SummaryColumn("train_trips_per_weekday_mean", "passengers_daily", "mean", 1.0,
                  "trips/weekday", f"Train trips on an average weekday, mean {_DRAWS}.",
                  headline=False),
    SummaryColumn("train_trips_per_weekday_vs_do_minimum", "passengers_daily", "value", 1.0,
                  "trips/weekday", "Train trips on an average weekday minus the "
                  "do-minimum's.", headline=False, versus_do_minimum=True),
    SummaryColumn("train_trips_per_year", "passengers_annual", "value", 1.0, "trips/yr",
                  "Train trips in a full year."),
    SummaryColumn("passenger_km_per_year", "passenger_km_annual", "value", 1.0, "pkm/yr",
                  "Passenger-kilometres by train in a full year."),
    SummaryColumn("punctuality_3min_mean_pct", "punctuality_3min_pct", "mean", 1.0, "%",
                  "Trains arriving less than 3 min late, mean over the simulated days."),
    SummaryColumn("units_required", "units_required", "value", 1.0, "units",
                  "Train units to buy, reserve included."),
    SummaryColumn("train_km_per_year", "train_km_annual", "value", 1.0, "train-km/yr",
                  "Train-kilometres in a full year."),
    SummaryColumn("train_km_per_year_vs_do_minimum", "train_km_annual", "value", 1.0,
                  "train-km/yr", "Train-kilometres in a full year minus the do-minimum's.",
                  headline=False, versus_do_minimum=True),
)
"""The number columns of summary.csv, in order, after the text columns and the rank."""

SUMMARY_KPIS = tuple(dict.fromkeys(c.kpi for c in SUMMARY_NUMBERS))
"""The KPIs summary.csv draws on."""

_BY_NAME = {k.name: k for k in KPIS if not k.is_family}
_FAMILIES = tuple(k for k in KPIS if k.is_family)

_SUMMARY_NUMBER_COLUMNS = tuple(
    _c(c.name, "float", c.unit, f"{c.description} Statistic: {c.basis}; KPI `{c.kpi}`.")
    for c in SUMMARY_NUMBERS)

BATCH_FILES: dict[str, ResultFile] = {
    f.name: f
    for f in [
        # -- batch folder --------------------------------------------------------------
        ResultFile(
            "summary.csv", "batch", "batch",
            "One row per scenario of the batch, in input order, with its headline KPIs "
            "rounded to three significant digits, the unit in each column name (meur: "
            "million euros; _pct: per cent) and the statistic too where it is not the "
            "central estimate (_mean, _p10, _p90 over the uncertainty draws or simulated "
            "days; _vs_do_minimum: difference to the batch's do-minimum). Empty where a "
            "scenario lacks a KPI. summary.xlsx holds the same table and the column list.",
            "a scenario",
            (
                _c("scenario", "str", "", "Scenario name (its result folder)."),
                _c("title", "str", "", "Scenario title."),
                _c("status", "str", "",
                   "`ok` or `failed`; a scenario a rerun skipped (unchanged) keeps `ok` and "
                   "its earlier numbers."),
                _c("role", "str", "",
                   "`do-minimum` (no train service: the reference every option is "
                   "appraised against) or `option`; empty for a scenario that failed "
                   "before it was resolved."),
                _c("rank_npv_societal", "int", "",
                   "Rank of the option by its central societal NPV among the options that "
                   "ran (1 = best; equal NPVs share a rank); empty for the do-minimum, "
                   "whose NPV is 0 by construction: an option with a negative NPV is "
                   "worse than doing nothing."),
                *_SUMMARY_NUMBER_COLUMNS,
            ),
        ),
        ResultFile(
            "summary.xlsx", "batch", "batch",
            "summary.csv for Excel: sheet `summary` (the same rows and columns, numbers as "
            "numbers), sheet `columns` (each column's unit, statistic and meaning)."),
        ResultFile(
            "validation.csv", "batch", "batch",
            "The rows of every scenario's validation.csv, in input order: the back-casts of "
            "existing services against the observed station counts (empty where no scenario "
            "has counts).",
            "a station count of one scenario",
            (_c("scenario", "str", "", "Scenario name (its result folder)."),
             *_VALIDATION_COLUMNS),
        ),
        ResultFile(
            "report.fi.html", "batch", "report",
            "The report in Finnish, one self-contained file (charts inline, no scripts): "
            "executive summary, one A4 sheet per option, comparison and assumptions, "
            "annex (`railsim report DIR` rebuilds it)."),
        ResultFile(
            "report.en.html", "batch", "report",
            "The same report in English."),
        ResultFile(
            "report.html", "batch", "report",
            "A small page linking the two language documents."),
        ResultFile(
            "report.fi.pdf", "batch", "pdf",
            "report.fi.html printed to A4 from its print style sheet."),
        ResultFile(
            "report.en.pdf", "batch", "pdf",
            "report.en.html printed to A4 from its print style sheet."),
        ResultFile(CHARTS, "batch", "charts",
                   "Comparison charts from summary.csv as files (`<chart>.png` and `.svg` "
                   "English, `<chart>.fi.png` and `.fi.svg` Finnish)."),
    ]
}


# ---------------------------------------------------------------------------------------
# Look-ups and checks

def result_file(name: str, level: str = "scenario") -> ResultFile:
    """The declaration of a file of the scenario (or batch) folder; KeyError if none."""
    files = FILES if level == "scenario" else BATCH_FILES
    if name in files:
        return files[name]
    for spec in files.values():
        if spec.matches(name):
            return spec
    raise KeyError(name)


def column_names(name: str) -> tuple[str, ...]:
    """Declared columns of a result table, in order."""
    return result_file(name).column_names()


def descriptions(name: str) -> dict[str, str]:
    """Declared column name → meaning of a result table, in order."""
    return result_file(name).descriptions()


def kpi(variable: str) -> Kpi | None:
    """The declaration of a KPI variable (a family matches by pattern), or None."""
    found = _BY_NAME.get(variable)
    if found is not None:
        return found
    return next((k for k in _FAMILIES if k.matches(variable)), None)


def required_files(rail: bool, weekday: bool) -> tuple[str, ...]:
    """Files every scenario of this kind gets from :meth:`Evaluation.tables`."""
    needed = {"always"} | ({"rail"} if rail else set()) | ({"weekday"} if rail and weekday
                                                             else set())
    return tuple(f.name for f in FILES.values() if f.when in needed)


def ordered(names: Iterable[str]) -> list[str]:
    """``names`` in the order of the declarations (undeclared ones last, as given)."""
    rank = {name: k for k, name in enumerate(FILES)}
    return sorted(names, key=lambda n: rank.get(n, len(rank)))


def check_files(files: Mapping[str, Sequence[str] | None], required: Iterable[str] = ()
                ) -> None:
    """Raise :class:`OutputDeclarationError` unless every file is declared for a scenario
    folder, each table has exactly its declared columns in order and every ``required``
    file is there.

    ``files`` maps file name → column names of a table (None for a text file).
    """
    problems = [f"{name}: required file missing" for name in required if name not in files]
    for name, columns in files.items():
        try:
            spec = result_file(name)
        except KeyError:
            problems.append(f"{name}: file not declared")
            continue
        if spec.is_table != (columns is not None):
            problems.append(f"{name}: declared as {'a table' if spec.is_table else 'text'}")
        elif columns is not None and tuple(columns) != spec.column_names():
            problems.append(f"{name}: columns {list(columns)} differ from the declared "
                            f"{list(spec.column_names())}")
    _raise(problems)


def check_kpi_rows(rows: Iterable[Mapping[str, object]], price_year: int | None = None) -> None:
    """Raise :class:`OutputDeclarationError` unless every KPI row is declared: variable
    (or family), unit (at ``price_year`` when given) and statistic; no row twice."""
    problems, seen = [], set()
    for row in rows:
        variable, unit, statistic = (str(row.get(k)) for k in ("variable", "unit", "statistic"))
        declared = kpi(variable)
        if declared is None:
            problems.append(f"KPI {variable!r} not declared")
            continue
        if not declared.unit_matches(unit, price_year):
            expected = declared.unit if price_year is None else declared.unit_for(price_year)
            problems.append(f"KPI {variable!r}: unit {unit!r}, declared {expected!r}")
        if statistic not in declared.statistics:
            problems.append(f"KPI {variable!r}: statistic {statistic!r}, declared "
                            f"{list(declared.statistics)}")
        if (variable, statistic) in seen:
            problems.append(f"KPI {variable!r}: statistic {statistic!r} twice")
        seen.add((variable, statistic))
    _raise(problems)


def _raise(problems: list[str]) -> None:
    if problems:
        raise OutputDeclarationError(
            "outputs not as declared in railsim/outputs.py (a bug in railsim: declare new "
            "outputs there and run `make docs`): " + "; ".join(problems))


# ---------------------------------------------------------------------------------------
# The generated reference: docs/result-tables.md

DOC_PATH = "docs/result-tables.md"

_INTRO = """\
# Result tables

Generated from `railsim/outputs.py` by `make docs`; do not edit by hand (a test fails when
it is stale, and railsim refuses to write a file, column or KPI not declared there).

`railsim run PATH... --out DIR` writes one folder per scenario plus batch-level files.
Charts and the report are drawn from these tables only; every column is listed here with
its unit. Money is in euros at the scenario's `costs.price_year` (the KPI units name it,
e.g. `EUR (2024)`); times of day are seconds after midnight of the service day (values
past 86 400 are after midnight). A table with nothing to list (say meetings.csv when no
trains cross) is written with its header only.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _unit(unit: str) -> str:
    return f"`{unit.replace(PRICE_YEAR, '<price_year>')}`" if unit else ""


def _when(spec: ResultFile) -> str:
    if spec.when == "setting":
        return f"only with `{spec.setting}`"
    return WHEN[spec.when]


def _file_overview(files: Iterable[ResultFile]) -> list[str]:
    lines = ["| file | written | contents |", "|---|---|---|"]
    for spec in files:
        lines.append(f"| `{spec.name}` | {_cell(_when(spec))} | {_cell(spec.description)} |")
    return [*lines, ""]


def _table_section(spec: ResultFile) -> list[str]:
    return [
        f"### `{spec.name}`", "",
        f"Written {_when(spec)}. One row is {spec.row}.", "",
        "| column | type | unit | meaning |", "|---|---|---|---|",
        *(f"| `{c.name}` | {c.dtype} | {_unit(c.unit)} | {_cell(c.description)} |"
          for c in spec.columns),
        "",
    ]


def _kpi_when(k: Kpi) -> str:
    return k.condition if k.when == "conditional" else KPI_WHEN[k.when]


def result_tables_markdown() -> str:
    """The text of docs/result-tables.md: every declared file, column and KPI."""
    lines = [_INTRO, "## Batch level: `DIR/`", ""]
    lines += _file_overview(BATCH_FILES.values())
    lines += [line for spec in BATCH_FILES.values() if spec.is_table
              for line in _table_section(spec)]
    lines += ["## Per scenario: `DIR/<scenario>/`", ""]
    lines += _file_overview(FILES.values())
    lines += [line for spec in FILES.values() if spec.is_table
              for line in _table_section(spec)]
    lines += [
        "## KPIs (`kpis.csv`)", "",
        "Each KPI is one or more rows of kpis.csv, one per statistic:", "",
        *(f"* `{name}`: {text}" for name, text in STATISTICS.items()),
        "",
        "`<price_year>` in a unit is the scenario's `costs.price_year`; `<from>` and `<to>` "
        "in a name are station ids, `<municipality>` a municipality's name.", "",
        "| variable | unit | statistics | reported for | meaning |", "|---|---|---|---|---|",
        *(f"| `{k.name}` | {_unit(k.unit)} | {', '.join(k.statistics)} | "
          f"{_cell(_kpi_when(k))} | {_cell(k.description)} |" for k in KPIS),
    ]
    return "\n".join(lines) + "\n"

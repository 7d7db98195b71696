"""The result files of a scenario's folder: each with when it is written, what a row is
and its columns (type, unit, meaning)."""

from __future__ import annotations

from railsim.outputs.declarations import CHARTS, ResultFile
from railsim.outputs.declarations import column as _c

_S_AFTER_MIDNIGHT = "s after midnight"
_STATION = "Station id (data/network/stations.csv)."
_MONEY = "EUR"  # at the price year, as every money column

VALIDATION_COLUMNS = (
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
            VALIDATION_COLUMNS,
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
            "charges nor on the crews, whose hourly costs include them).",
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
                _c("bcr", "float", "ratio", "Benefit–cost ratio (Finnish definition); "
                   "empty without an incremental infrastructure investment."),
                _c("bcr_public_cost", "float", "ratio",
                   "Benefits to users and third parties over the net public cost; empty "
                   "without a net public cost."),
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
                   "Lower end of the 95 % confidence interval of realised_mean_min "
                   "(Student's t over the simulated days; empty from one day)."),
                _c("ci95_high_min", "float", "min",
                   "Upper end of the 95 % confidence interval of realised_mean_min "
                   "(as ci95_low_min)."),
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
            "is a bug in railsim). The folder holds nothing else, unless an earlier run of "
            "the scenario succeeded: its complete results are kept beside the error (which "
            "says so), and the next run computes them again."),
        ResultFile(
            "fingerprint.txt", "scenario", "batch",
            "What the results were computed from: `sha256` of the lines below it, then "
            "`scenario` (sha256 of the resolved YAML), `railsim` (version), `source` "
            "(sha256 of the package files), `data` (sha256 of `data/`), `replications`, "
            "`seed`; then `files:`, the sha256 of each result file as written. A rerun "
            "skips the scenario while it matches and every file is as written; the report "
            "refuses a folder whose files are missing or changed (not written for failed "
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



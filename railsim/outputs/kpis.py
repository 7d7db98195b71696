"""The KPIs of kpis.csv: unit, statistics and meaning of each variable."""

from __future__ import annotations

from railsim.outputs.declarations import DRAWN, PRICE_YEAR, SIMULATED, VALUE, Kpi

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
        "Operating cost of a year: opex.csv lines plus overheads (not on crews and track "
        "charges), times costs.opex_multiplier."),
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
        "trip, at the price year's values. Most of it goes to do-minimum bus riders on the "
        "cheaper path, not to train riders (docs/ridership-and-appraisal.md).",
        "rail scenarios with train trips"),
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
        "the benefits: rank options by npv_societal_eur). Empty without an incremental "
        "infrastructure investment (the back-casts): no denominator; mean and percentiles "
        "over the draws where it is defined, none where it never is."),
    Kpi("bcr_public_cost", "ratio", DRAWN, "rail",
        "Benefits to users and third parties over the whole net cost to the public. Empty "
        "when the public has no net cost: no denominator; mean and percentiles over the "
        "draws where it is defined, none where it never is."),
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

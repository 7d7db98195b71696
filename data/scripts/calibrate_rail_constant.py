"""Data maintenance: fit the rail constant to the observed counts of the calibration stations.

Usage: python data/scripts/calibrate_rail_constant.py [scenarios/validation]

Forecasts the back-casts (planned timetables, no simulation) and prints the fitted
``rail_constant_min`` with the predicted / observed ratio of every count, calibration
and held out. Write the value into data/demand/demand_parameters.csv; a test checks that
the stored value is the fit's (tests/test_validation.py).
"""

from __future__ import annotations

import sys

import railsim
from railsim.demand.calibration import fit_rail_constant, ratios


def main(folder: str) -> None:
    corridor = railsim.load_corridor()
    forecasts = []
    for file, root in railsim.find_scenarios(folder):
        scenario = railsim.load_scenario(file, root, corridor=corridor)
        forecasts.append(railsim.forecast(scenario, railsim.plan_service(scenario, corridor),
                                          corridor=corridor))
    constant = fit_rail_constant(forecasts)
    print(f"rail_constant_min = {constant}")
    for use in ("calibration", "held_out"):
        for count, ratio in ratios(forecasts, constant, use):
            print(f"  {use:11s} {count.station_id} {count.year}: predicted/observed {ratio:.2f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "scenarios/validation")

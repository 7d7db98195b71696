"""User benefits by the rule of half, against hand calculations on a two-zone toy."""

from __future__ import annotations

import numpy as np
import pytest

from railsim.appraisal.benefits import BenefitInputs, benefit_inputs, rule_of_half
from railsim.demand.choice import ChoiceParameters, Markets, generalised_minutes
from railsim.demand.model import Outcome, outcome
from railsim.demand.user_costs import trip_costs

P = ChoiceParameters(scale_per_min=0.05, train_constant_min=0.0, wait_weight=1.5,
                     access_weight=1.5, transfer_penalty_min=5.0)


def toy(train_ivt: float | list[float] = 25.0, trips: float = 100.0) -> Markets:
    """Zone A → zone B and back: bus 40 min + 10 min wait + 5 min access (62.5 weighted
    minutes) and 3 € fare; the train 10 min wait, 6 min access, 3 € fare; car 35 min, 4 €."""
    ivt = np.atleast_1d(np.asarray(train_ivt, dtype=float))
    one = np.ones_like(ivt)
    return Markets(trips * one, 9.0 * one, one > 0, ivt, 10 * one, 6 * one, 0 * one,
                   0 * one, 3 * one, 0 * one, one > 0, 40 * one, 10 * one, 5 * one, 0 * one,
                   0 * one, 3 * one, 35 * one, 4 * one)


def inputs(n: int, late: float = 0.0) -> BenefitInputs:
    return BenefitInputs(np.full(n, 6.0), np.full(n, late), 3.0, np.ones(n, dtype=bool))


def hand_outcome(n: int = 1) -> Outcome:
    """30 bus riders without the train; with it 20 come from car and 10 are new."""
    def full(x: float) -> np.ndarray:
        return np.full(n, x)

    return Outcome(full(50.0), full(20.0), full(20.0), full(10.0), full(0.0), 0.0, full(30.0))


def test_trip_costs_add_up_to_the_generalised_minutes():
    m = toy([20.0, 45.0])
    costs = trip_costs(m, P)
    train, bus, car = generalised_minutes(m, P)
    per_eur = 60 / m.vot_eur_h
    assert np.allclose(costs.train.time_min + costs.train.money_eur * per_eur, train)
    assert np.allclose(costs.bus.time_min + costs.bus.money_eur * per_eur, bus)
    assert np.allclose(costs.car.time_min + costs.car.money_eur * per_eur, car)


def test_rule_of_half_against_a_hand_calculation_on_a_two_zone_toy():
    # Train 25 + 1.5·10 + 1.5·6 = 49 weighted minutes against the bus's 62.5: 13.5 saved,
    # the same fare. Existing users (30) full, new users (20 + 10) half: 45 trip-equivalents.
    m = toy([25.0, 25.0])
    totals = inputs(2).weekday_totals(m, P, hand_outcome(2))
    minutes = 13.5 * (30 + 0.5 * (20 + 10))
    assert float(totals["user_time_eur"]) == pytest.approx(2 * minutes * 6.0 / 60)
    assert float(totals["user_money_eur"]) == pytest.approx(0.0)
    assert float(totals["user_reliability_eur"]) == pytest.approx(0.0)
    assert float(rule_of_half(13.5, 30, 30)) == pytest.approx(minutes)


def test_lateness_costs_its_extra_weight_and_a_cheaper_bus_saves_money():
    m = toy(25.0)
    m.bus_fare_eur = np.array([4.0])  # the train is 1 € cheaper
    late = inputs(1, late=2.0).by_group(m, P, hand_outcome())
    existing = late[("existing", "commute")]
    # 3 × 2 late minutes cost every user (30 full), none already in the in-vehicle time
    assert float(existing["reliability_eur"]) == pytest.approx(-6.0 * 30 * 6.0 / 60)
    assert float(existing["money_eur"]) == pytest.approx(1.0 * 30)
    assert float(existing["hours_saved"]) == pytest.approx(13.5 * 30 / 60)
    assert float(late[("from_car", "other")]["trips"]) == 0.0  # all commuting here


def test_benefit_per_trip_grows_with_time_saved_and_is_zero_when_nothing_is_saved():
    # train in-vehicle time from far slower than the bus to much faster
    ivt = np.arange(70.0, 9.0, -5.0)
    per_trip = []
    for minutes in ivt:
        m = toy(minutes)
        # the logit's own trips: the do-minimum without the train calibrates the car
        result = outcome(m, m.without_train(), P, 0.3, 0.2)
        totals = inputs(1).weekday_totals(m, P, result)
        per_trip.append(sum(float(v) for v in totals.values()) / float(result.train.sum()))
    per_trip = np.array(per_trip)
    saving = 62.5 - (ivt + 15 + 9)  # weighted minutes the train saves
    assert np.all(per_trip[saving <= 0] == 0)
    assert np.all(per_trip[saving > 0] > 0)
    assert np.all(np.diff(per_trip) >= -1e-12)  # faster train → more per trip


def test_no_bus_means_new_users_measured_from_the_car():
    m = toy(25.0)
    m.bus_available = np.array([False])
    change = inputs(1).change(m, P, hand_outcome())
    # car 35 min and 4 € (26.7 min at 9 €/h) against the train's 49 min and 3 € (20 min)
    car_gc, train_gc = 35 + 4 * 60 / 9, 49 + 3 * 60 / 9
    assert car_gc < train_gc
    assert float(change.time_min[0]) == 0.0  # the train is no better than the car
    assert float(change.trips["existing"][0]) == 0.0


def test_lateness_counts_the_arrival_delay_less_what_the_in_vehicle_time_holds():
    found = benefit_inputs(7.0, 5.0, ["commute", "other", "other"],
                           [("HNL", "OM"), ("HNL", "LH"), (None, None)],
                           {("HNL", "LH"): 1.5, ("LH", "OM"): 0.5}, {"OM": 2.5, "LH": 1.0},
                           3.0)
    assert found.late_min.tolist() == [2.5, 1.0, 0.0]
    assert found.counted_min is not None
    assert found.counted_min.tolist() == [2.0, 1.5, 0.0]  # a change at Lahti adds its legs
    assert found.penalty_min().tolist() == [5.5, 1.5, 0.0]
    assert found.vot_eur_h.tolist() == [7.0, 5.0, 5.0]


def test_weekday_totals_are_the_groups_summed():
    """The vectorised totals (draws) and the per-group table (benefits.csv) agree."""
    m = toy([20.0, 30.0, 60.0])
    m.bus_fare_eur = np.array([3.0, 4.0, 2.0])
    result = outcome(m, m.without_train(), P, 0.3, 0.2)
    found = BenefitInputs(np.array([7.0, 5.0, 5.0]), np.array([1.0, 0.0, 2.0]), 3.0,
                          np.array([True, False, True]))
    totals = found.weekday_totals(m, P, result)
    groups = found.by_group(m, P, result)
    for component in ("time", "money", "reliability"):
        assert float(totals[f"user_{component}_eur"]) == pytest.approx(
            sum(float(v[f"{component}_eur"]) for v in groups.values()), rel=1e-12)


_THREADS_CHILD = """
import hashlib, sys
import numpy as np
sys.path.insert(0, {root!r})
from tests.test_benefits import P, toy
from railsim.appraisal.benefits import BenefitInputs
from railsim.demand.model import outcome
rng = np.random.default_rng(3)
n = 60_000
m = toy(rng.uniform(10.0, 60.0, n).tolist(), 100.0)
m.bus_fare_eur = rng.uniform(1.0, 5.0, n)
result = outcome(m, m.without_train(), P, 0.3, 0.2)
found = BenefitInputs(rng.uniform(4.0, 9.0, n), rng.uniform(0.0, 3.0, n), 3.0,
                      np.ones(n, dtype=bool))
totals = found.weekday_totals(m, P, result)
print(hashlib.sha256(b"".join(np.asarray(totals[k]).tobytes()
                              for k in sorted(totals))).hexdigest())
"""


def test_weekday_totals_do_not_depend_on_the_blas_threads():
    """The run's workers have one BLAS thread (railsim.parallel), the command's own
    process, a notebook or a laptop's Dask all its cores: a scenario's benefits (summed
    over its 7 000-16 000 markets) are the same bytes wherever it is evaluated."""
    from tests.blas_threads import ROOT, outputs_by_threads

    hashes = outputs_by_threads(_THREADS_CHILD.format(root=str(ROOT)))
    assert len(set(hashes.values())) == 1, hashes

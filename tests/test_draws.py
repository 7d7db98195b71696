"""Uncertainty draws of the ridership model: the same numbers as the central model run
once per draw, and the same for any split of the draws into chunks."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from railsim import forecast, load_scenario, plan_service
from railsim.appraisal.uncertainty import AppraisalModel
from railsim.demand.draw_interpolation import interpolated_draws
from railsim.demand.draws import demand_draws
from tests.conftest import SCENARIOS
from tests.draws_reference import reference_draw
from tests.shared import CORRIDOR

TOTALS = ("passengers", "passenger_km", "fares_paid_eur", "benefit_eur", "car_km_saved",
          "bus_fare_lost_eur")


def _model(name: str) -> AppraisalModel:
    scenario = load_scenario(SCENARIOS / f"{name}.yaml", SCENARIOS)
    plan = plan_service(scenario)
    return AppraisalModel.build(scenario, CORRIDOR, plan, forecast(scenario, plan))


@pytest.fixture(scope="module")
def model():
    return _model("heinola-lahti-hourly")


def test_markets_in_groups_without_a_train_market_are_handled():
    """Orimattila: some groups of trip scalers hold no market with a train (the groups
    are numbered over all markets, the train markets' ranges over fewer)."""
    orimattila = _model("orimattila-lahti-hourly")
    drawn = _base_inputs(4)
    got = demand_draws(orimattila.forecast, drawn,
                       weights=orimattila.benefits.weekday_weights).flows
    for d in range(4):
        ref = reference_draw(orimattila.forecast, drawn, d,
                             orimattila.benefits.weekday_totals)
        for key in TOTALS:
            assert float(np.asarray(getattr(got, key))[d]) == pytest.approx(
                float(np.asarray(getattr(ref, key)).reshape(-1)[0]), rel=1e-9), key


def _base_inputs(n: int, seed: int = 5):
    """The shipped base's ridership inputs (train constant, bus share, trip scalers,
    induced demand): utilities per market stay fixed, shifted per draw."""
    rng = np.random.default_rng(seed)
    return [("demand.train_constant_min", "replace", rng.normal(0, 5, n)),
            ("demand_parameters.bus_share_do_minimum", "replace", rng.uniform(0.03, 0.1, n)),
            ("demand_parameters.other_trips_per_commute_trip", "replace",
             rng.uniform(0.5, 1.5, n)),
            ("demand_parameters.induced_logsum_elasticity", "replace", rng.uniform(0, 0.4, n)),
            ("demand_parameters.unverified_flow_factor", "replace", rng.uniform(0.5, 1.4, n))]


def _behaviour_inputs(n: int, seed: int = 6):
    """Parameters that change every market's utilities (computed per draw)."""
    rng = np.random.default_rng(seed)
    return [("demand.logit_scale_per_min", "multiply", rng.uniform(0.8, 1.2, n)),
            ("demand.wait_time_weight", "multiply", rng.uniform(0.8, 1.2, n)),
            ("demand.fares.fare_multiplier", "multiply", rng.uniform(0.8, 1.2, n)),
            ("demand_parameters.pt_nest_scale", "replace", rng.uniform(0.6, 1.0, n)),
            ("demand_parameters.commute_presence", "multiply", rng.uniform(0.8, 1.1, n)),
            ("demand_parameters.capital_commuters_rail_share", "multiply",
             rng.uniform(0.6, 1.2, n)),
            ("demand.train_constant_min", "replace", rng.normal(0, 5, n))]


@pytest.mark.parametrize("inputs", [_base_inputs, _behaviour_inputs])
def test_draws_are_the_central_model_run_once_per_draw(model, inputs):
    """Each draw's totals equal :func:`railsim.demand.model.outcome` run with that draw's
    parameters and trips, to rounding (1e-9; the calibration of the reference bisects to
    double precision)."""
    n = 9
    drawn = inputs(n)
    fc = model.forecast
    got = demand_draws(fc, drawn, weights=model.benefits.weekday_weights)
    assert set(got.used) == {target for target, _, _ in drawn}
    for d in range(n):
        ref = reference_draw(fc, drawn, d, model.benefits.weekday_totals)
        for key in TOTALS:
            assert float(np.asarray(getattr(got.flows, key))[d]) == pytest.approx(
                float(np.asarray(getattr(ref, key)).reshape(-1)[0]), rel=1e-9), key
        for key, value in ref.extra.items():
            assert float(got.flows.extra[key][d]) == pytest.approx(
                float(np.asarray(value).reshape(-1)[0]), rel=1e-9, abs=1e-9), key
        for route, value in ref.bus_lost.items():
            assert float(got.flows.bus_lost[route][d]) == pytest.approx(
                float(np.asarray(value).reshape(-1)[0]), rel=1e-9, abs=1e-12), route
    # the draws do vary: the comparison is not of constants
    assert np.std(got.flows.passengers) > 0.01 * np.mean(got.flows.passengers)


def test_draws_at_the_central_values_give_the_central_forecast(model):
    fc = model.forecast
    central = [("demand.train_constant_min", "replace", np.zeros(3)),
               ("demand_parameters.bus_share_do_minimum", "replace",
                np.full(3, fc.params.bus_share_do_minimum))]
    got = demand_draws(fc, central, weights=model.benefits.weekday_weights).flows
    # the central calibration's 40 bisection steps fix its car constant to about 1e-10
    assert np.allclose(got.passengers, fc.passengers_daily, rtol=1e-9, atol=0)
    assert np.allclose(got.extra["user_time_eur"],
                       model.central_flows.extra["user_time_eur"], rtol=1e-9, atol=0)


@pytest.mark.parametrize("inputs", [_base_inputs, _behaviour_inputs])
def test_a_draw_gets_the_same_numbers_whichever_draws_come_with_it(model, inputs):
    drawn = inputs(70)
    fc = model.forecast
    whole = demand_draws(fc, drawn, weights=model.benefits.weekday_weights).flows
    part = demand_draws(fc, [(t, m, v[13:51]) for t, m, v in drawn],
                        weights=model.benefits.weekday_weights).flows
    for key in TOTALS:
        assert np.array_equal(np.asarray(getattr(part, key)),
                              np.asarray(getattr(whole, key))[13:51]), key
    for key in whole.extra:
        assert np.array_equal(part.extra[key], whole.extra[key][13:51]), key


@pytest.mark.parametrize("inputs", [_base_inputs, _behaviour_inputs])
@pytest.mark.parametrize("block", [1, 5, 64])
def test_draws_do_not_depend_on_how_many_are_computed_together(model, inputs, monkeypatch,
                                                               block):
    """BLOCK (draws per pass over the markets) is a speed setting only."""
    import railsim.demand.draws as draws_module

    drawn = inputs(40)
    fc = model.forecast
    reference = demand_draws(fc, drawn, weights=model.benefits.weekday_weights).flows
    monkeypatch.setattr(draws_module, "BLOCK", block)
    other = demand_draws(fc, drawn, weights=model.benefits.weekday_weights).flows
    for key in TOTALS:
        assert np.array_equal(np.asarray(getattr(other, key)),
                              np.asarray(getattr(reference, key))), key
    for key in reference.extra:
        assert np.array_equal(other.extra[key], reference.extra[key]), key


def _shipped_inputs(model):
    """The model with the shipped base's uncertain inputs (costs and ridership)."""
    base = load_scenario(SCENARIOS / "through-hourly-peaks.yaml", SCENARIOS)
    s = model.scenario
    scenario = s.model_copy(update={"uncertainty": base.uncertainty})
    return dataclasses.replace(model, scenario=scenario)


def test_results_do_not_depend_on_the_chunk_size(model):
    """Chunks of 1 000, 7 and all draws at once: identical draws, statistics and KPIs."""
    shipped = _shipped_inputs(model)
    n = 1_200
    runs = {chunk: shipped.draws(np.random.default_rng(11), n, chunk=chunk)
            for chunk in (1_000, 7, n)}
    reference = runs[n]
    assert len(reference.used) == len(shipped.scenario.uncertainty.inputs)
    for chunk, draws in runs.items():
        for key, values in reference.values.items():
            assert np.array_equal(draws.values[key], values), (chunk, key)
        for key in ("npv_societal_eur", "npv_financial_eur", "bcr", "passengers_daily"):
            assert draws.statistics(key) == reference.statistics(key), (chunk, key)
    assert np.std(reference.values["npv_societal_eur"]) > 0


def test_draws_shared_by_worker_processes_are_the_same_bytes(model, monkeypatch):
    """A lone scenario's draws in slices on the run's pool: the same numbers as here."""
    from railsim.batch.backends import WORKER_MODULES
    from railsim.parallel import worker_pool

    shipped = _shipped_inputs(model)
    n = 1_203
    here = shipped.draws(np.random.default_rng(4), n, chunk=500)
    with worker_pool(2, WORKER_MODULES, start=True) as pool:
        sent = []
        submit = pool.submit
        monkeypatch.setattr(pool, "submit", lambda fn, *a: sent.append(a[1]) or submit(fn, *a))
        shared = shipped.draws(np.random.default_rng(4), n, chunk=500, pool=pool, workers=2)
    assert sent == [601, 602]  # two slices, one a worker
    assert shared.used == here.used and shared.ignored == here.ignored
    for key, values in here.values.items():
        assert np.array_equal(shared.values[key], values), key


def test_the_yearly_table_is_built_one_chunk_at_a_time(model, monkeypatch):
    """Memory is bounded by the chunk: no call evaluates more draws than a chunk holds."""
    shipped = _shipped_inputs(model)
    sizes = []
    evaluate = AppraisalModel.evaluate

    def recording(self, inputs=(), draws=1, demand=None):
        sizes.append(draws)
        return evaluate(self, inputs, draws, demand)

    monkeypatch.setattr(AppraisalModel, "evaluate", recording)
    result = shipped.draws(np.random.default_rng(2), 2_500, chunk=1_000)
    assert sizes == [1_000, 1_000, 500]
    assert len(result.values["npv_societal_eur"]) == 2_500


def _all_totals(flows):
    return {**{key: np.asarray(getattr(flows, key)) for key in TOTALS},
            **{f"bus_lost:{k}": v for k, v in flows.bus_lost.items()},
            **{f"extra:{k}": v for k, v in flows.extra.items()}}


@pytest.mark.parametrize("name", ["heinola-lahti-hourly", "through-hourly-peaks"])
def test_interpolated_draws_are_the_draws_computed_one_by_one(name):
    """Many draws of the shipped kind: the totals interpolated from the model at the
    Chebyshev points equal those computed draw by draw, to a billionth of each total's
    largest value, on every draw (the run checks only some)."""
    model = _model(name)
    drawn = _base_inputs(5_000)
    weights = model.benefits.weekday_weights
    interpolated = interpolated_draws(model.forecast, drawn, weights=weights)
    exact = demand_draws(model.forecast, drawn, weights=weights)
    assert interpolated is not None and interpolated.interpolated
    assert not exact.interpolated
    got, expected = _all_totals(interpolated.flows), _all_totals(exact.flows)
    assert set(got) == set(expected) and any(k.startswith("extra:") for k in got)
    for key, values in expected.items():
        size = np.max(np.abs(values))
        assert np.max(np.abs(got[key] - values)) <= 1e-9 * size, key
    assert np.std(got["passengers"]) > 0.05 * np.mean(got["passengers"])  # draws do vary


def test_draws_that_change_the_utilities_of_each_market_are_not_interpolated(model):
    assert interpolated_draws(model.forecast, _behaviour_inputs(5_000),
                              weights=model.benefits.weekday_weights) is None


def test_few_draws_are_not_interpolated(model):
    """Fewer draws than twice the interpolation's own work: each is computed."""
    assert interpolated_draws(model.forecast, _base_inputs(1_200),
                              weights=model.benefits.weekday_weights) is None


def test_an_interpolation_that_fails_its_check_is_not_used(model, monkeypatch):
    """Checked against exact draws to a tolerance the interpolation cannot meet: none is
    returned, and the appraisal computes every draw (the same bytes as without it)."""
    import railsim.demand.draw_interpolation as interpolation

    shipped = _shipped_inputs(model)
    n = 5_000
    monkeypatch.setattr(interpolation, "INTERPOLATION_TOLERANCE", 0.0)
    assert interpolated_draws(model.forecast, _base_inputs(n),
                              weights=model.benefits.weekday_weights) is None
    got = shipped.draws(np.random.default_rng(9), n)
    monkeypatch.setattr(AppraisalModel, "interpolated_demand", lambda *_: None)
    exact = shipped.draws(np.random.default_rng(9), n)
    for key, values in exact.values.items():
        assert np.array_equal(got.values[key], values), key


def test_interpolated_appraisal_draws_are_the_exact_ones_to_rounding(model, monkeypatch):
    shipped = _shipped_inputs(model)
    n = 5_000
    got = shipped.draws(np.random.default_rng(10), n)
    monkeypatch.setattr(AppraisalModel, "interpolated_demand", lambda *_: None)
    exact = shipped.draws(np.random.default_rng(10), n)
    for key, values in exact.values.items():
        assert np.max(np.abs(got.values[key] - values)) <= 1e-9 * np.max(np.abs(values)), key
    # interpolated indeed (equal bytes would mean the exact path ran both times)
    assert not np.array_equal(got.values["passengers_daily"], exact.values["passengers_daily"])


def test_interpolated_results_do_not_depend_on_chunks_or_workers(model):
    """The interpolation is fitted once on all draws: any chunk size, and a pool, give
    the same bytes (the pool is not even used)."""
    from railsim.batch.backends import WORKER_MODULES
    from railsim.parallel import worker_pool

    shipped = _shipped_inputs(model)
    n = 5_003
    reference = shipped.draws(np.random.default_rng(8), n, chunk=n)
    others = [shipped.draws(np.random.default_rng(8), n, chunk=997)]
    with worker_pool(2, WORKER_MODULES, start=True) as pool:
        others.append(shipped.draws(np.random.default_rng(8), n, chunk=2_000, pool=pool,
                                    workers=2))
    for other in others:
        for key, values in reference.values.items():
            assert np.array_equal(other.values[key], values), key


_THREADS_CHILD = """
import hashlib, sys
import numpy as np
sys.path.insert(0, {root!r})
from tests.test_draws import _model, _base_inputs
from railsim.demand.draw_interpolation import interpolated_draws
model = _model("heinola-lahti-hourly")
found = interpolated_draws(model.forecast, _base_inputs(3_000),
                           weights=model.benefits.weekday_weights)
flows = found.flows
print(hashlib.sha256(b"".join(np.asarray(v).tobytes() for v in (
    flows.passengers, flows.benefit_eur, *flows.bus_lost.values(), *flows.extra.values())
    )).hexdigest())
"""


def test_interpolated_draws_do_not_depend_on_the_blas_threads():
    """A Dask worker runs with OPENBLAS_NUM_THREADS=1, a laptop with all its cores: the
    interpolation's matrix products run on one thread either way, the same bytes."""
    from tests.blas_threads import ROOT, outputs_by_threads

    hashes = outputs_by_threads(_THREADS_CHILD.format(root=str(ROOT)))
    assert len(set(hashes.values())) == 1, hashes


def test_car_constants_start_next_to_their_root_and_end_on_it(model):
    """The tabulated start lands within 1e-8 of each draw's root, so two Newton steps
    finish; a bus share whose root lies off the table starts from the central constant.
    Either way the root is the one the central start finds, to full precision."""
    import railsim.demand.draws as draws_module
    from railsim.demand.car_constant import calibration_target, car_constant

    drawn = _base_inputs(600)
    drawn[1] = (drawn[1][0], "replace", np.r_[drawn[1][2][:-2], 1e-9, 0.999])
    draws = draws_module._Draws.of(model.forecast, drawn)
    setup = draws_module._setup(model.forecast)
    got = draws_module._car_constants(setup, draws, 0, 600)
    factor = draws_module._group_factors(setup, draws, 0, 600)
    central = car_constant(setup.dm, setup.gap, draws.bus_share, factor,
                           setup.central_car_constant)
    assert np.max(np.abs(got - central)) <= 1e-12 * (1 + np.max(np.abs(central)))
    starts = setup.start_table.roots(
        calibration_target(setup.dm, draws.bus_share, factor),
        factor[:, setup.dm_groups])
    assert np.all(np.isnan(starts[-2:])) and np.all(np.isfinite(starts[:-2]))
    assert np.max(np.abs(starts[:-2] - got[:-2])) < 1e-8


def test_linear_totals_of_an_unknown_field_are_refused(model):
    from railsim.demand.draws import LinearTotals

    def weights(m, p, index):
        return LinearTotals({"bus_riders": 1.0}, {"x": np.ones(len(index))})

    with pytest.raises(ValueError, match=r"unknown outcome fields.*bus_riders.*known: train"):
        demand_draws(model.forecast, _base_inputs(2), weights=weights)

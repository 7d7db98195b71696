"""The scenario schema: defaults, strictness, round trip, generated docs."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from railsim.config import docs
from railsim.config.resolved import from_yaml, to_yaml
from railsim.config.schema import DaySchedule, Scenario, clock_to_seconds

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_make_a_do_minimum():
    s = Scenario(name="dm")
    assert s.is_do_minimum
    assert s.appraisal.discount_rate == 0.035
    assert s.appraisal.period_years == 30


def test_frozen_and_strict():
    s = Scenario(name="dm")
    with pytest.raises(ValidationError):
        s.name = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Scenario.model_validate({"name": "x", "demand": {"walk_radus_m": 3}})


def test_resolved_yaml_round_trip():
    s = Scenario.model_validate({
        "name": "rt",
        "service": {"lines": [{"id": "R1", "stations": ["LH", "XX"],
                               "weekday": {"first_departure": "06:00",
                                           "last_departure": "21:00",
                                           "peaks": [{"start": "07:00", "end": "09:00",
                                                      "headway_min": 30}]}}]},
        "operations": {"departure_delay": {"probability": 0.3,
                                           "size": {"kind": "empirical", "values": [10, 60],
                                                    "weights": [3, 1]}}},
        "uncertainty": {"inputs": [{"target": "costs.capex_multiplier",
                                    "distribution": {"kind": "triangular", "low": 0.9,
                                                     "mode": 1.1, "high": 1.6}}]},
    })
    assert from_yaml(to_yaml(s)) == s


def test_json_schema_has_units_and_sections():
    schema = json.loads(docs.json_schema())
    assert set(schema["properties"]) >= {"infrastructure", "service", "appraisal", "uncertainty"}
    demand = schema["$defs"]["Demand"]["properties"]
    assert demand["walk_radius_m"]["unit"] == "m"


def test_reference_doc_is_current():
    written = (ROOT / "docs" / "scenario-reference.md").read_text(encoding="utf-8")
    assert written.strip() == docs.markdown().strip(), (
        "docs/scenario-reference.md is stale: run `make docs`"
    )


def test_reference_gives_each_section_its_whole_summary_and_urls_as_urls():
    """Each model's first docstring paragraph is its summary, whole (not its first line,
    which can stop mid-sentence), and a web address is not called an id."""
    text = docs.markdown()
    for model in docs._models():
        paragraph = (model.__doc__ or "").strip().split("\n\n")[0]
        summary = " ".join(line.strip() for line in paragraph.splitlines())
        assert f"## {model.__name__}\n\n{summary}\n" in text
        assert summary.endswith((".", ")"))
    assert "| `agency_url` | URL |" in text and "| `publisher_url` | URL |" in text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"kind": "triangular", "low": 2, "mode": 1, "high": 3}, "low <= mode <= high"),
        ({"kind": "uniform", "low": 2, "high": 1}, "must be greater than low"),
        ({"kind": "empirical", "values": [1, 2], "weights": [1]}, "weights has 1 entries"),
        ({"kind": "lognormal", "mean": -1, "sd": 1}, "greater than 0"),
        ({"kind": "gamma", "mean": 1}, "does not match any of the expected tags"),
    ],
)
def test_distribution_validation(body, message):
    with pytest.raises(ValidationError, match=message):
        Scenario.model_validate({"name": "x", "operations": {
            "departure_delay": {"probability": 0.5, "size": body}}})


def test_probability_outside_unit_interval():
    with pytest.raises(ValidationError, match="less than or equal to 1"):
        Scenario.model_validate({"name": "x", "operations": {
            "departure_delay": {"probability": 1.5, "size": {"kind": "fixed", "value": 1}}}})


# --- departure times -------------------------------------------------------------

headways = st.sampled_from([10, 15, 20, 30, 60, 120])


@given(first_h=st.integers(4, 8), span_h=st.integers(1, 18), base=headways,
       peak=st.one_of(st.none(), headways), clock_face=st.booleans())
def test_departures_inside_span_and_spaced_by_headways(first_h, span_h, base, peak,
                                                       clock_face):
    peaks = []
    if peak is not None:
        peaks = [{"start": f"{first_h + 1:02d}:00", "end": f"{first_h + 2:02d}:30",
                  "headway_min": peak}]
    day = DaySchedule(first_departure=f"{first_h:02d}:00",
                      last_departure=f"{first_h + span_h:02d}:00", headway_min=base,
                      peaks=peaks)
    times = day.departure_times_s(clock_face)
    first = clock_to_seconds(day.first_departure)
    assert times[0] == first
    assert all(first <= t <= clock_to_seconds(day.last_departure) for t in times)
    pairs = list(itertools.pairwise(times))
    if clock_face:
        grid = math.gcd(base, peak or base) * 60
        assert all(grid <= b - a <= max(day.headway_at_s(a), day.headway_at_s(b))
                   for a, b in pairs)
        if peak is None or base % peak == 0:  # nested headways: a regular clock face
            assert all((t - first) % day.headway_at_s(t) == 0 for t in times)
    else:
        assert all(b - a == day.headway_at_s(a) for a, b in pairs)


def test_editor_schema_is_current_and_accepts_every_shipped_scenario_file():
    """docs/scenario.schema.json (named on the first line of each shipped scenario for the
    YAML language server) is generated, accepts the files as written, refuses a typo."""
    import json

    import jsonschema
    import yaml

    from railsim.config.docs import editor_schema

    path = ROOT / "docs" / "scenario.schema.json"
    assert path.read_text(encoding="utf-8") == editor_schema(), (
        "docs/scenario.schema.json is stale: run `make docs`")
    document = json.loads(editor_schema())
    validator = jsonschema.Draft202012Validator(document)
    files = sorted((ROOT / "scenarios").rglob("*.yaml"))  # the back-casts' folder too
    assert any(file.parent.name == "validation" for file in files)
    for file in files:
        text = file.read_text(encoding="utf-8")
        up = "../" * len(file.relative_to(ROOT / "scenarios").parts)
        assert text.startswith(f"# yaml-language-server: $schema={up}docs/scenario.schema.json")
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(text))]
        assert not errors, (file.name, errors[:3])
    typo = {"extends": "_base.yaml", "simulaton": {"seed": 1}}
    assert any("simulaton" in e.message for e in validator.iter_errors(typo))
    # dotted keys, as the README's variant writes them, are fields; a misspelt section not
    variant = {"extends": "../scenarios/heinola-lahti-hourly.yaml",
               "service.lines[H1].weekday.headway_min": 120,
               "infrastructure.passing_loops[HEI@12].length_m": 500,
               "appraisal.discount_rate": 0.04}
    assert [e.message for e in validator.iter_errors(variant)] == []
    assert any("simulaton.seed" in e.message
               for e in validator.iter_errors({"simulaton.seed": 1}))

"""The public Python API used carelessly, as in a hurried notebook: every mistake is a
clear error naming the argument, the value given and what is allowed; nothing is
silently wrong and nothing is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

import railsim
from railsim.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
HEINOLA = SCENARIOS / "heinola-lahti-hourly.yaml"


@pytest.fixture(scope="module")
def heinola() -> railsim.Scenario:
    return railsim.load_scenario(HEINOLA)


# -- the corridor and its data folder ----------------------------------------------------


@pytest.mark.parametrize("kind", ["empty", "scenarios"])
def test_a_folder_without_data_tables_is_no_corridor(tmp_path, kind):
    # An empty folder or the scenario folder loaded as a corridor of 0 tables; the mistake
    # surfaced later as "data table 'line_stations' not found: .../network/line_stations.csv"
    folder = tmp_path if kind == "empty" else SCENARIOS
    with pytest.raises(DataError, match=rf"not a railsim data folder: {folder} holds none of "
                                        r"the data tables \(network/lines\.csv"):
        railsim.load_corridor(folder)
    with pytest.raises(DataError, match="not a railsim data folder"):
        railsim.load_scenario(HEINOLA, corridor=folder)


def test_a_file_given_as_the_data_folder_says_it_is_a_file():
    with pytest.raises(DataError, match=rf"not a data folder: {HEINOLA} is a file"):
        railsim.load_corridor(HEINOLA)


def test_an_empty_data_folder_name_is_not_the_current_folder(heinola):
    # "" was Path("."): the current folder taken as a corridor
    with pytest.raises(ValueError, match=r"railsim\.load_corridor: folder is an empty path"):
        railsim.load_corridor("")
    with pytest.raises(ValueError, match=r"railsim\.evaluate: corridor is an empty path"):
        railsim.evaluate(heinola, corridor=" ")


@pytest.mark.parametrize("corridor", [3, {"folder": "data"}, True])
def test_a_corridor_of_another_type_says_what_is_taken(heinola, corridor):
    # was "expected str, bytes or os.PathLike object, not int" from pathlib
    with pytest.raises(TypeError, match=r"railsim\.plan_service: corridor must be a "
                                        r"railsim\.Corridor .*, a data folder \(a str or Path\) "
                                        rf"or None; got {type(corridor).__name__}"):
        railsim.plan_service(heinola, corridor=corridor)
    with pytest.raises(TypeError, match=r"railsim\.load_corridor: folder must be a path"):
        railsim.load_corridor(corridor)


def test_data_folder_is_public():
    assert railsim.data_folder() == railsim.load_corridor().folder
    assert railsim.data_folder("elsewhere") == Path("elsewhere")

"""Result tables of numbers are written by a faster path: the same bytes as pandas."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from railsim.results import numeric_csv, write_csv

FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0.0, -0.0, 1e16, 1e-5, 0.1, 123456789012345680.0,
                                    5e-324, 1.7976931348623157e308, -2.5, 1e22, 1e21]))


def _pandas(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-2**63, 2**63 - 1), FLOATS, FLOATS), min_size=0,
                max_size=40))
def test_numbers_are_written_as_pandas_writes_them(rows):
    frame = pd.DataFrame({"draw": np.array([r[0] for r in rows], dtype=np.int64),
                          "npv_eur": np.array([r[1] for r in rows], dtype=np.float64),
                          "bcr": np.array([r[2] for r in rows], dtype=np.float64)})
    assert numeric_csv(frame) == _pandas(frame)


def test_the_uncertainty_draws_of_a_run_are_the_bytes_pandas_writes(tmp_path):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"draw": np.arange(10_000), "npv_societal_eur": rng.normal(0, 1e8, 10_000),
                          "bcr": rng.normal(1, 0.5, 10_000)})
    write_csv(frame, tmp_path / "draws.csv")
    frame.to_csv(tmp_path / "pandas.csv", index=False)
    assert (tmp_path / "draws.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


def test_other_tables_are_left_to_pandas():
    assert numeric_csv(pd.DataFrame({"station": ["LH"], "n": [1]})) is None
    assert numeric_csv(pd.DataFrame({"n": np.array([1], dtype=np.int32)})) is None
    assert numeric_csv(pd.DataFrame({"a,b": [1.0]})) is None  # a name pandas quotes
    assert numeric_csv(pd.DataFrame()) is None


def test_a_lone_column_with_missing_values_keeps_its_rows():
    """pandas writes a row whose only field is empty as ``""`` (an empty line would be
    skipped when read back): so must the direct formatter, or leave the frame to pandas."""
    frame = pd.DataFrame({"npv_eur": [1.0, np.nan, 2.0]})
    text = numeric_csv(frame)
    assert text is None or text == _pandas(frame)
    assert write_csv_roundtrip(frame).shape == (3, 1)


def write_csv_roundtrip(frame: pd.DataFrame) -> pd.DataFrame:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        write_csv(frame, path)
        return pd.read_csv(path)


def test_frames_pandas_writes_otherwise_are_left_to_it():
    """Repeated column names (a column lookup gives a frame) and names pandas does not
    write as their str (a missing name)."""
    for frame in (pd.DataFrame([[1.0, 2.0]], columns=["a", "a"]),
                  pd.DataFrame({float("nan"): [1.0]})):
        text = numeric_csv(frame)
        assert text is None or text == _pandas(frame)

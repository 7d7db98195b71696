"""The output registry (railsim/outputs/): consistent in itself, light, the source of
docs/result-tables.md, and true to what a real batch writes — every file, column, type
and KPI row of a rail scenario with all optional outputs, the do-minimum and a failure."""

from __future__ import annotations

import ast
import csv
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from railsim import load_scenario, outputs
from railsim.evaluation import Evaluation
from railsim.outputs import FILES, KPIS, OutputDeclarationError
from railsim.results import declared_files, kpi_frame
from tests.shared import CORRIDOR

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
RAIL, DO_MINIMUM, FAILED = "all-outputs", "do-minimum", "bad"
OPTIONAL = ("tornado.csv", "sobol.csv", "events.csv")  # all switched on in RAIL


# -- the registry itself -------------------------------------------------------------------

def test_files_and_columns_are_declared_completely_and_once():
    for files in (outputs.FILES, outputs.BATCH_FILES):
        for name, spec in files.items():
            assert name == spec.name and spec.description.strip(), name
            assert spec.when in outputs.WHEN, name
            assert (spec.when == "setting") == bool(spec.setting), name
            assert spec.is_table == bool(spec.columns) == bool(spec.row), name
            names = spec.column_names()
            assert len(set(names)) == len(names), f"{name}: a column twice"
            for column in spec.columns:
                assert column.dtype in outputs.DTYPES, (name, column.name)
                assert isinstance(column.unit, str), (name, column.name)
                assert column.description.strip(), (name, column.name)
    assert {s.level for s in outputs.FILES.values()} == {"scenario"}
    assert {s.level for s in outputs.BATCH_FILES.values()} == {"batch"}


def test_kpis_are_declared_completely_and_once():
    names = [k.name for k in KPIS]
    assert len(set(names)) == len(names)
    for k in KPIS:
        assert re.fullmatch(r"[a-z0-9_]+(<\w+>[a-z0-9_]*)*", k.name), k.name
        assert set(re.findall(r"<(\w+)>", k.name)) <= set(outputs.PLACEHOLDERS), k.name
        assert k.unit.strip() and k.description.strip(), k.name
        # the only placeholder a unit may hold is the price year
        assert not re.sub(re.escape(outputs.PRICE_YEAR), "", k.unit).count("{"), k.name
        assert k.statistics and set(k.statistics) <= set(outputs.STATISTICS), k.name
        assert k.when in outputs.KPI_WHEN, k.name
        assert (k.when == "conditional") == bool(k.condition), k.name
    # no plain KPI may also match a family: a row must have one declaration
    for k in KPIS:
        if not k.is_family:
            assert [f.name for f in KPIS if f.is_family and f.matches(k.name)] == [], k.name
    # summary.csv's number columns are statistics of declared KPIs with one number each
    for column in outputs.SUMMARY_NUMBERS:
        declared = outputs.kpi(column.kpi)
        assert declared is not None and not declared.is_family, column.name
        assert column.statistic in declared.statistics, column.name
    names = [c.name for c in outputs.SUMMARY_NUMBERS]
    assert outputs.BATCH_FILES["summary.csv"].column_names()[6:] == tuple(names)
    # each KPI read back by charts and the report has exactly one headline column
    headline = [c.kpi for c in outputs.SUMMARY_NUMBERS if c.headline]
    assert len(headline) == len(set(headline))
    assert set(outputs.SUMMARY_KPIS) - set(headline) == {"capex_incremental_eur"}


def test_families_match_their_instances_only():
    travel = outputs.kpi("travel_time_min_HNL_LH")
    assert travel is not None and travel.name == "travel_time_min_<from>_<to>"
    assert outputs.kpi("travel_time_min_hnl_LH") is None  # station ids are upper case
    subsidy = outputs.kpi("subsidy_annual_eur_Päijät-Häme")
    assert subsidy is not None and subsidy.name == "subsidy_annual_eur_<municipality>"
    assert outputs.kpi("subsidy_annual_eur").name == "subsidy_annual_eur"  # type: ignore[union-attr]
    assert outputs.kpi("travel_time_min") is None


def test_price_year_units():
    capex = outputs.kpi("capex_total_eur")
    assert capex is not None and capex.unit_for(2031) == "EUR (2031)"
    assert capex.unit_matches("EUR (2024)") and capex.unit_matches("EUR (2024)", 2024)
    assert not capex.unit_matches("EUR (2024)", 2025)
    assert not capex.unit_matches("EUR/yr (2024)")


def test_the_registry_needs_only_the_standard_library():
    files = sorted(Path(outputs.__file__).parent.glob("*.py"))
    assert len(files) > 1  # the package's modules, not its __init__ alone
    trees = [ast.parse(f.read_text(encoding="utf-8")) for f in files]
    imported = {alias.name for tree in trees for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for tree in trees for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)}
    # the standard library and the registry's own modules, nothing else of railsim
    outside = {m for m in imported if not m.startswith("railsim.outputs")}
    assert {m.split(".")[0] for m in outside} <= set(sys.stdlib_module_names) | {
        "__future__"}, outside
    code = ("import sys, railsim.outputs\n"
            "print(sorted(m for m in ('pandas', 'numpy', 'pydantic', 'yaml') "
            "if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]", out.stdout


# -- the generated reference ----------------------------------------------------------------

def test_result_tables_doc_is_current():
    written = (ROOT / outputs.DOC_PATH).read_text(encoding="utf-8")
    assert written == outputs.result_tables_markdown(), (
        "docs/result-tables.md is stale: run `make docs`")


def test_result_tables_doc_lists_every_file_column_and_kpi():
    text = outputs.result_tables_markdown()
    for spec in [*outputs.FILES.values(), *outputs.BATCH_FILES.values()]:
        assert f"`{spec.name}`" in text
        for column in spec.columns:
            assert f"| `{column.name}` |" in text, (spec.name, column.name)
    for k in KPIS:
        assert f"| `{k.name}` |" in text, k.name
    # angle brackets outside code spans would be read as HTML tags
    prose = re.sub(r"`[^`]*`", "", text)
    assert "<" not in prose and ">" not in prose.replace("->", "")


# -- every KPI the code can write is declared (also those no shipped scenario reaches) ---

def _template(node: ast.expr, names: dict[str, str]) -> str | None:
    """A string literal, or an f-string with ``{}`` for each replacement field."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.Name):
        return names.get(node.id)
    return None


def _kpi_literals() -> list[tuple[str, str, str | None]]:
    """(place, variable template, unit template or None) of each KPI row literal."""
    found = []
    for path in sorted((ROOT / "railsim").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: dict[str, str] = {}  # simple assignments of unit strings, e.g. money = f"EUR (…)"
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                targets, values = node.targets[0], node.value
                pairs = (zip(targets.elts, values.elts, strict=False)
                         if isinstance(targets, ast.Tuple) and isinstance(values, ast.Tuple)
                         else [(targets, values)])
                for target, value in pairs:
                    text = _template(value, {})
                    if isinstance(target, ast.Name) and text is not None:
                        names[target.id] = text
        for node in ast.walk(tree):
            if not isinstance(node, ast.Dict):
                continue
            keys = {k.value: v for k, v in zip(node.keys, node.values, strict=True)
                    if isinstance(k, ast.Constant)}
            if "variable" in keys and "unit" in keys:
                variable = _template(keys["variable"], {})
                if variable is not None:
                    place = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.append((place, variable, _template(keys["unit"], names)))
    return found


def test_every_kpi_written_by_name_in_the_code_is_declared():
    literals = _kpi_literals()
    assert len(literals) >= 30  # the scan sees the KPI rows (it would find none if broken)
    declared = {re.sub(r"<\w+>", "{}", k.name): k for k in KPIS}
    for place, variable, unit in literals:
        # f"pv_{key}" stands for several KPIs declared one by one, or for one family
        pattern = "".join(".+" if part == "{}" else re.escape(part)
                          for part in re.split(r"(\{\})", variable))
        matches = [k for name, k in declared.items() if re.fullmatch(pattern, name)]
        assert matches, f"{place}: KPI {variable!r} not declared in railsim/outputs/"
        for kpi in matches:
            if unit is not None:
                assert unit == kpi.unit.replace(outputs.PRICE_YEAR, "{}"), (place, kpi.name)


# -- a real batch: every file, column, type and KPI as declared ------------------------------

def _resolved(folder: Path) -> dict:
    return yaml.safe_load((folder / "scenario.resolved.yaml").read_text(encoding="utf-8"))


def _files(folder: Path) -> dict[str, list[str] | None]:
    """Every file below ``folder``: relative name → CSV header (None for other files)."""
    files: dict[str, list[str] | None] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name.endswith(".csv"):
            with path.open(encoding="utf-8", newline="") as stream:
                files[name] = next(csv.reader(stream))
        else:
            files[name] = None
    return files


def test_the_batch_writes_the_expected_folders(small_batch):
    entries = sorted(p.name for p in small_batch.iterdir())
    assert entries == sorted([RAIL, DO_MINIMUM, FAILED, "summary.csv", "summary.xlsx",
                              "validation.csv"])


@pytest.mark.parametrize("name", [RAIL, DO_MINIMUM])
def test_every_written_file_is_declared_with_exactly_its_columns(small_batch, name):
    folder = small_batch / name
    files = _files(folder)
    outputs.check_files(files)  # declared, exact columns in order
    rail = name == RAIL
    for required in (*outputs.required_files(rail=rail, weekday=rail), "fingerprint.txt"):
        assert required in files, f"{name}: {required} missing"
    if rail:
        assert set(OPTIONAL) <= set(files)
    else:  # nothing of a rail scenario
        assert not [f for f in files if FILES[f].when not in ("always", "batch")], files
    assert "error.txt" not in files


def test_a_failed_scenario_folder_holds_only_error_txt(small_batch):
    files = _files(small_batch / FAILED)
    assert list(files) == ["error.txt"]
    outputs.check_files(files)


def test_summary_csv_has_the_declared_columns(small_batch):
    spec = outputs.BATCH_FILES["summary.csv"]
    summary = pd.read_csv(small_batch / "summary.csv")
    assert tuple(summary.columns) == spec.column_names()
    assert sorted(summary["scenario"]) == sorted([RAIL, DO_MINIMUM, FAILED])


def test_batch_validation_csv_has_the_declared_columns(small_batch):
    spec = outputs.BATCH_FILES["validation.csv"]
    table = pd.read_csv(small_batch / "validation.csv")
    assert tuple(table.columns) == spec.column_names()
    assert table.empty  # no scenario of the small batch is a back-cast


def _dtype_ok(series: pd.Series, dtype: str) -> bool:
    values = series.dropna()
    if values.empty:
        return True
    if dtype == "bool":
        return pd.api.types.is_bool_dtype(series)
    if dtype == "int":
        return pd.api.types.is_integer_dtype(series)
    if dtype == "float":
        return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    return pd.api.types.is_string_dtype(series) or pd.api.types.is_object_dtype(series)


@pytest.mark.parametrize("name", [RAIL, DO_MINIMUM])
def test_written_columns_have_the_declared_types(small_batch, name):
    checked = 0
    for path in sorted((small_batch / name).glob("*.csv")):
        table = pd.read_csv(path)
        for column in FILES[path.name].columns:
            if table[column.name].notna().any():
                checked += 1
            assert _dtype_ok(table[column.name], column.dtype), (
                f"{path.name}: {column.name} is {table[column.name].dtype}, "
                f"declared {column.dtype}")
    assert checked >= (150 if name == RAIL else 25)  # most columns had values to check


@pytest.mark.parametrize("name", [RAIL, DO_MINIMUM])
def test_every_kpi_row_is_declared_with_its_unit_and_statistics(small_batch, name):
    folder = small_batch / name
    price_year = _resolved(folder)["costs"]["price_year"]
    with (folder / "kpis.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    outputs.check_kpi_rows(rows, price_year)  # declared variable, exact unit, statistic
    assert {row["scenario"] for row in rows} == {name}
    written: dict[str, set[str]] = {}
    for row in rows:
        key = outputs.kpi(row["variable"])
        assert key is not None
        written.setdefault(key.name, set()).add(row["statistic"])
    rail = name == RAIL
    expected = {"always"} | ({"rail", "weekday"} if rail else set())
    for k in KPIS:
        if k.when in expected:
            assert k.name in written, f"{name}: KPI {k.name} missing"
    declared = {k.name: k for k in KPIS}
    for kpi_name, statistics in written.items():
        # a rail scenario reports every declared statistic; the do-minimum only values
        assert statistics == (set(declared[kpi_name].statistics) if rail else {"value"}), (
            kpi_name)
    if rail:
        assert "travel_time_min_<from>_<to>" in written
        assert "subsidy_annual_eur_<municipality>" in written


# -- undeclared outputs are refused ----------------------------------------------------------

@pytest.fixture(scope="module")
def do_minimum():
    return load_scenario(SCENARIOS / "do-minimum.yaml", SCENARIOS)


def test_an_undeclared_or_misdescribed_kpi_is_refused(do_minimum):
    good = {"variable": "train_km_annual", "unit": "train-km/yr", "statistic": "value",
            "value": 0.0}
    assert list(kpi_frame("x", [good])["variable"]) == ["train_km_annual"]
    bad_rows = {
        "not declared": {**good, "variable": "mystery_kpi"},
        "unit": {**good, "unit": "km/yr"},
        "statistic": {**good, "statistic": "p95"},
        "twice": good,
    }
    for problem, row in bad_rows.items():
        with pytest.raises(OutputDeclarationError, match=problem):
            kpi_frame("x", [good, row])
    money = {"variable": "capex_total_eur", "unit": "EUR (2019)", "statistic": "value",
             "value": 1.0}
    with pytest.raises(OutputDeclarationError, match="'EUR \\(2024\\)'"):
        Evaluation(do_minimum, CORRIDOR, kpi_rows=[money]).kpis()


def test_an_undeclared_file_wrong_columns_or_missing_file_is_refused(do_minimum):
    tables: dict[str, pd.DataFrame | str] = {
        name: "text" if not FILES[name].is_table
        else pd.DataFrame(columns=list(FILES[name].column_names()))
        for name in outputs.required_files(rail=False, weekday=False)}
    # declared files come back in the declared order
    assert list(declared_files(dict(reversed(tables.items())), False, False)) == list(tables)
    with pytest.raises(OutputDeclarationError, match=r"extra\.csv: file not declared"):
        declared_files({**tables, "extra.csv": pd.DataFrame(columns=["a"])}, False, False)
    shuffled = pd.DataFrame(columns=list(reversed(FILES["od_matrix.csv"].column_names())))
    with pytest.raises(OutputDeclarationError, match=r"od_matrix\.csv: columns"):
        declared_files({**tables, "od_matrix.csv": shuffled}, False, False)
    with pytest.raises(OutputDeclarationError, match=r"timetable\.csv: required file missing"):
        declared_files(tables, True, False)
    # an evaluation that lost a table is refused before anything is written
    with pytest.raises(OutputDeclarationError, match=r"ridership\.csv: required file missing"):
        Evaluation(do_minimum, CORRIDOR).tables()


def test_undefined_ratios_are_declared_as_empty():
    """Without an infrastructure investment (the back-casts) the Finnish BCR has no
    denominator and is written empty; the declarations say so wherever it is written."""
    import numpy as np

    from railsim.appraisal.societal import BENEFIT_KEYS, npv_and_bcr

    years = 3
    table = {key: np.zeros(years) for key in (*BENEFIT_KEYS, "infrastructure_capex_eur")}
    table |= {"discount_factor": np.ones(years), "tax_factor": np.full(years, 1.2),
              "net_financial_eur": np.full(years, -1e6), "net_societal_eur": np.full(years, -1e6)}
    ratios = npv_and_bcr(table)
    assert np.isnan(ratios["bcr"]) and ratios["bcr_public_cost"] == 0.0
    described = [outputs.kpi("bcr").description, outputs.kpi("bcr_public_cost").description,
                 *(outputs.result_file("uncertainty_draws.csv").descriptions()[name]
                   for name in ("bcr", "bcr_public_cost")),
                 *(c.description for c in outputs.SUMMARY_NUMBERS
                   if c.name in ("bcr", "bcr_public_cost"))]
    assert len(described) == 6
    assert all("empty" in text.lower() for text in described), described

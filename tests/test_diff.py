"""railsim diff: resolved inputs and KPIs that differ between scenarios or result folders."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from railsim.cli import cli
from railsim.config.schema import Scenario
from railsim.diff import MISSING, input_changes, load_resolved

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def _lines(*ids: str) -> list[dict]:
    return [{"id": i, "stations": ["LH", "HNL"], "weekday": {
        "first_departure": "06:00", "last_departure": "20:00", "headway_min": 60}}
        for i in ids]


def test_changes_name_the_path_both_values_and_the_unit():
    a = Scenario.model_validate({"name": "a", "service": {"lines": _lines("R1")}})
    b = Scenario.model_validate({"name": "b", "appraisal": {"discount_rate": 0.04},
                                 "service": {"lines": _lines("R1")}})
    changes = input_changes(a, b)
    assert [(c.path, c.a, c.b, c.unit) for c in changes] == [
        ("appraisal.discount_rate", 0.035, 0.04, "fraction/yr")]
    assert input_changes(a, a) == []


def test_titles_in_every_language_and_the_description_are_labels_not_inputs():
    """A variant that sets only `title` drops the base's title_fi (the README tour): the
    diff lists the inputs, not the labels."""
    a = Scenario.model_validate({"name": "a", "title": "A", "title_fi": "A fi",
                                 "title_en": "A en", "description": "one",
                                 "service": {"lines": _lines("R1")}})
    b = Scenario.model_validate({"name": "b", "title": "B", "description": "two",
                                 "service": {"lines": _lines("R1")}})
    assert input_changes(a, b) == []
    assert {c.path for c in input_changes(a, b, include_name=True)} == {
        "name", "title", "title_fi", "title_en", "description"}


def test_items_with_an_id_are_matched_by_id_not_position():
    a = Scenario.model_validate({"name": "a", "service": {"lines": _lines("R1", "R2")}})
    b = Scenario.model_validate({"name": "a", "service": {"lines": _lines("R2", "R1")}})
    assert input_changes(a, b) == []
    changed = b.model_dump()
    changed["service"]["lines"][1]["weekday"]["headway_min"] = 30.0
    paths = {c.path: c for c in input_changes(a, Scenario.model_validate(changed))}
    assert list(paths) == ["service.lines[R1].weekday.headway_min"]
    assert paths["service.lines[R1].weekday.headway_min"].unit == "min"
    fewer = Scenario.model_validate({"name": "a", "service": {"lines": _lines("R1")}})
    gone = input_changes(a, fewer)
    assert [(c.path, c.b) for c in gone] == [("service.lines[R2]", MISSING)]


def test_result_folders_and_the_cli(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in ("_base", "orimattila-lahti-hourly"):
        shutil.copy(SCENARIOS / f"{name}.yaml", folder / f"{name}.yaml")
    runner = CliRunner()
    quick = ["--replications", "2", "--draws", "50", "--no-report", "--workers", "1"]
    first = runner.invoke(cli, ["run", str(folder), "--out", str(tmp_path / "a"), *quick])
    assert first.exit_code == 0, first.output
    # A rerun after an edit says which inputs changed since the previous result.
    file = folder / "orimattila-lahti-hourly.yaml"
    file.write_text(file.read_text(encoding="utf-8") + "\nappraisal: {discount_rate: 0.04}\n",
                    encoding="utf-8")
    rerun = runner.invoke(cli, ["run", str(folder), "--out", str(tmp_path / "a"), *quick])
    assert rerun.exit_code == 0, rerun.output
    assert "changed since the previous result: appraisal.discount_rate" in rerun.output
    second = runner.invoke(cli, ["run", str(folder), "--out", str(tmp_path / "b"), *quick,
                                 "--seed", "5"])
    assert second.exit_code == 0, second.output
    _, result_a = load_resolved(tmp_path / "a" / "orimattila-lahti-hourly")
    assert result_a is not None
    out = runner.invoke(cli, ["diff", str(tmp_path / "a" / "orimattila-lahti-hourly"),
                              str(tmp_path / "b" / "orimattila-lahti-hourly")])
    assert out.exit_code == 0, out.output
    assert "simulation.seed" in out.output and "KPI row(s) differ" in out.output
    assert "npv_societal_eur" in out.output or "more (--limit)" in out.output
    missing = runner.invoke(cli, ["diff", str(tmp_path / "nothing"), str(file)])
    assert missing.exit_code == 1 and "no such scenario file" in missing.output
    assert "Traceback" not in missing.output


def test_stale_result_folders_are_reported_and_pruned(tmp_path, monkeypatch):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in ("_base", "do-minimum"):
        shutil.copy(SCENARIOS / f"{name}.yaml", folder / f"{name}.yaml")
    shutil.copy(SCENARIOS / "do-minimum.yaml", folder / "old-name.yaml")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["run", "scenarios", "--no-report"])  # --out defaults
    assert first.exit_code == 0, first.output
    assert (tmp_path / "results" / "old-name" / "kpis.csv").is_file()
    (folder / "old-name.yaml").rename(folder / "new-name.yaml")
    again = runner.invoke(cli, ["run", "scenarios", "--no-report"])
    assert again.exit_code == 0, again.output
    assert "belong to no scenario of this run" in again.output and "old-name" in again.output
    assert (tmp_path / "results" / "old-name").is_dir()
    pruned = runner.invoke(cli, ["run", "scenarios", "--no-report", "--prune"])
    assert "removed 1 stale result folder(s): old-name" in pruned.output
    assert not (tmp_path / "results" / "old-name").exists()
    assert (tmp_path / "results" / "new-name" / "kpis.csv").is_file()


def test_a_damaged_or_foreign_resolved_scenario_is_a_clear_error(tmp_path):
    """diff reads a result folder's scenario.resolved.yaml as safely as a scenario file:
    invalid YAML, unknown keys or bytes that are not UTF-8 are one message naming the file
    (and the line), exit 1, never a traceback."""
    import railsim
    from railsim.config.resolved import read_resolved, to_yaml

    good = tmp_path / "good"
    good.mkdir()
    scenario = railsim.load_scenario(SCENARIOS / "tram-train.yaml")
    (good / "scenario.resolved.yaml").write_text(to_yaml(scenario), encoding="utf-8")
    assert read_resolved(good / "scenario.resolved.yaml") == scenario  # reads what runs write
    cases = {
        "yaml": (b"title: [x\n", ":1:8: <document>: invalid YAML: '[' opened here is not closed"),
        "keys": (b"name: x\nservce: {}\n", ":2:1: servce: unknown key"),
        "bytes": (b"title: \xff\xfe\n", ":1:8: <document>: not UTF-8 text: byte 0xff"),
        "list": (b"- a\n", ":1:1: <document>: a scenario file must be a mapping"),
    }
    for folder, (content, expected) in cases.items():
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "scenario.resolved.yaml").write_bytes(content)
        result = CliRunner().invoke(cli, ["diff", str(tmp_path / folder), str(good)])
        assert result.exit_code == 1, (folder, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), folder
        first = result.output.splitlines()[0]
        assert first.startswith(f"{tmp_path / folder / 'scenario.resolved.yaml'}{expected}"), (
            folder, result.output)
        assert "Traceback" not in result.output


def test_a_damaged_kpi_table_is_a_clear_error(tmp_path):
    """A result folder whose kpis.csv was truncated, edited or is not UTF-8 (a traceback
    from pandas before) is refused as the report refuses it: named, exit 1."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in ("_base", "do-minimum"):
        shutil.copy(SCENARIOS / f"{name}.yaml", folder / f"{name}.yaml")
    runner = CliRunner()
    run = runner.invoke(cli, ["run", str(folder), "--out", str(tmp_path / "a"), "--no-report",
                              "--workers", "1", "--draws", "10"])
    assert run.exit_code == 0, run.output
    good = tmp_path / "a" / "do-minimum"
    cases = {
        "empty": (b"", "kpis.csv missing or changed"),
        "garbage": (b"garbage,,\n", "kpis.csv missing or changed"),
        "bytes": (b"\xff\xfe\n", "kpis.csv missing or changed"),
    }
    for case, (content, expected) in cases.items():
        for fingerprint in (True, False):  # without one: a foreign or older folder
            bad = tmp_path / f"{case}-{fingerprint}"
            shutil.copytree(good, bad)
            (bad / "kpis.csv").write_bytes(content)
            if not fingerprint:
                (bad / "fingerprint.txt").unlink()
                expected = "not a railsim result table" if case != "empty" else "kpis.csv"
            for a, b in ((good, bad), (bad, good)):
                result = runner.invoke(cli, ["diff", str(a), str(b)])
                assert result.exit_code == 1, (case, result.output)
                assert isinstance(result.exception, SystemExit), (case, result.output)
                assert str(bad) in result.output and expected in result.output, (
                    case, result.output)

"""The HTML report: self-contained, both languages, comparison, plain-words sentences,
escaped data, sources; survives failed and missing scenarios; `railsim report DIR`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from railsim.cli import cli
from railsim.data import read_table
from railsim.report import build_report
from railsim.texts import TEXT
from tests.fake_results import ERROR, write_fake_results

NB = "\u00a0"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = write_fake_results(tmp_path_factory.mktemp("report") / "results")
    path = build_report(out)
    return path, path.read_text(encoding="utf-8")


def test_report_is_written_in_both_languages(report):
    path, html = report
    assert path.name == "report.html"
    assert '<section class="lang-fi" lang="fi">' in html
    assert '<section class="lang-en" lang="en">' in html
    assert TEXT["title"]["fi"] in html and TEXT["title"]["en"] in html
    # the language switch is CSS only: it must work with scripts off
    assert 'id="show-both" class="switch-input" checked' in html


def test_report_is_self_contained(report):
    _, html = report
    assert html.count('src="data:image/png;base64,') >= 2 * (9 + 4)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html.lower()
    assert "<link" not in html.lower() and "@import" not in html and "url(" not in html


def test_plain_words_summary_with_the_right_numbers(report):
    _, html = report
    assert f"Each passenger would need a subsidy of 14{NB}€." in html
    assert f"Jokainen matka vaatisi 14{NB}€ tukea." in html
    assert f"The investment would be about 91{NB}M€." in html
    assert f"Investointi olisi noin 91{NB}M€." in html
    assert "About 1,200 passengers a weekday" in html
    assert f"Noin 1{NB}200 matkustajaa arkipäivänä" in html
    assert f"benefits cover 40{NB}% of the investment cost" in html
    assert f"hyödyt kattavat 40{NB}% investointikustannuksista" in html
    assert f"Fares would cover 18{NB}% of the operating costs." in html
    assert TEXT["do_minimum"]["en"] in html and TEXT["do_minimum"]["fi"] in html


def test_comparison_table_formats_numbers_per_language(report):
    _, html = report
    assert TEXT["col_capex"]["fi"] in html and TEXT["col_capex"]["en"] in html
    fi, en = html.split('<section class="lang-en"')
    assert ">91,3<" in fi and ">91.3<" in en  # investment in M€
    assert f">1{NB}234<" in fi and ">1,234<" in en  # passengers a weekday
    assert ">epäonnistui<" in fi and ">failed<" in en


def test_data_from_results_is_escaped(report):
    _, html = report
    assert "Heinola – Lahti hourly &lt;b&gt;&amp; peaks&lt;/b&gt;" in html
    assert "<b>& peaks</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert ERROR.splitlines()[0] in html
    assert TEXT["failed"]["en"] in html and TEXT["failed"]["fi"] in html


def test_sources_are_counted_per_table_with_the_judgement_rows(report):
    _, html = report
    stations = read_table("stations")
    verified = int((stations["status"] == "VERIFIED").sum())
    assert re.search(rf"<td>network/stations.csv</td><td class=\"n\">{len(stations)}</td>"
                     rf"<td class=\"n\">{verified}</td>", html)
    assumptions = read_table("unit_costs").query("status == 'ASSUMPTION'")
    if len(assumptions):
        assert f"<td>{assumptions['item_id'].iloc[0]}</td>" in html


def test_report_without_summary_or_tables_does_not_crash(tmp_path):
    out = write_fake_results(tmp_path / "results")
    (out / "summary.csv").unlink()
    (out / "heinola-hourly" / "cashflows.csv").write_text("", encoding="utf-8")
    html = build_report(out, charts=False).read_text(encoding="utf-8")
    assert ">91.3<" in html  # the comparison table, from kpis.csv
    assert "Heinola from the resolved file" in html  # title from scenario.resolved.yaml
    assert f"Each passenger would need a subsidy of 14{NB}€." in html  # from kpis.csv
    empty = tmp_path / "empty"
    empty.mkdir()
    assert TEXT["title"]["fi"] in build_report(empty).read_text(encoding="utf-8")


def test_cli_report_prints_the_report_path(tmp_path):
    out = write_fake_results(tmp_path / "results")
    shutil.rmtree(out / "heinola-hourly")  # keep the CLI test quick: few charts to draw
    result = CliRunner().invoke(cli, ["report", str(out)])
    assert result.exit_code == 0, result.output
    assert Path(result.output.strip()) == out / "report.html"
    assert (out / "report.html").is_file() and (out / "charts" / "bcr.png").is_file()
    missing = CliRunner().invoke(cli, ["report", str(tmp_path / "nowhere")])
    assert missing.exit_code != 0 and "Traceback" not in missing.output


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
def test_report_renders_in_headless_chromium(report, tmp_path):
    from PIL import Image

    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI (.ci/run installs it)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    path, _ = report
    shot = tmp_path / "shot.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
                    "--window-size=1200,2000", path.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)
    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 200, f"the rendered report looks blank ({len(colours)} colours)"


def test_sentences_for_a_paying_scenario_use_decimal_comma_in_finnish(tmp_path):
    from railsim.report.facts import ScenarioFacts, sentences

    facts = ScenarioFacts("x", "x", "ok", tmp_path,
                          values={"subsidy_per_passenger_eur": -4.5, "bcr": 1.25})
    fi, en = sentences(facts, "fi"), sentences(facts, "en")
    assert any(f"4,5{NB}€ ylijäämää" in s for s in fi)
    assert any(f"4.5{NB}€ to spare" in s for s in en)
    assert any(f"hyödyt ovat 25{NB}% investointikustannuksia suuremmat" in s for s in fi)
    assert any(f"benefits exceed the investment cost by 25{NB}%" in s for s in en)


@pytest.mark.slow
def test_charts_drawn_by_worker_processes_are_the_same_files(report, tmp_path):
    # railsim run draws each scenario's charts in a spawned process (no display there)
    path, _ = report
    out = write_fake_results(tmp_path / "results")
    build_report(out, workers=2)

    def charts(folder: Path) -> list[str]:
        return sorted(p.relative_to(folder).as_posix() for p in folder.glob("*/charts/*"))

    assert charts(out) == charts(path.parent) and len(charts(out)) >= 4 * 9

"""The report: one self-contained document per language (executive summary, a sheet per
option, comparison, annex), numbers and words in that language only, escaped data,
sources; survives failed and missing scenarios; `railsim report DIR` and its errors;
printed by headless Chromium to A4 pages that fit."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from railsim.cli import cli
from railsim.data import read_table
from railsim.plot import labels
from railsim.report import build_report
from railsim.report.builder import ReportError
from railsim.report.strings import TEXT
from railsim.texts import names
from tests.fake_results import ERROR, FAILED, OK, write_fake_results

NB = "\u00a0"  # between a number and its unit
THIN = "\u202f"  # Finnish thousands


@pytest.fixture(scope="module")
def fake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = write_fake_results(tmp_path_factory.mktemp("report") / "results")
    build_report(out)
    return out


def _read(out: Path, lang: str) -> str:
    return (out / f"report.{lang}.html").read_text(encoding="utf-8")


class _Text(HTMLParser):
    """The text a reader sees (SVG chart text included), without what is marked as
    another language (lang="en" inside the Finnish document: quoted data and program
    output) and without style sheets."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang, self.stack, self.parts = lang, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skip = tag == "style" or (attrs.get("lang") not in (None, self.lang))
        self.stack.append(skip or (bool(self.stack) and self.stack[-1]))
        if not self.stack[-1] and "alt" in attrs:
            self.parts.append(attrs["alt"] or "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.stack.pop()

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str, lang: str) -> str:
    parser = _Text(lang)
    parser.feed(html)
    return " ".join(parser.parts)


# -- structure ------------------------------------------------------------------------------

def test_one_complete_document_per_language_and_an_index(fake):
    fi, en = _read(fake, "fi"), _read(fake, "en")
    assert fi.startswith("<!DOCTYPE html>") and '<html lang="fi">' in fi
    assert '<html lang="en">' in en
    for html, lang in ((fi, "fi"), (en, "en")):
        for key in ("doc_title", "summary", "comparison", "annex_h", "data_record_h"):
            assert TEXT[lang][key] in html, (lang, key)
        assert html.count('<section class="page sheet"') == 2  # the rail option, the failed
    index = (fake / "report.html").read_text(encoding="utf-8")
    assert 'href="report.fi.html"' in index and 'href="report.en.html"' in index


def test_report_is_self_contained_with_compact_inline_charts(fake):
    html = _read(fake, "fi")
    # the option's nine charts and the counts' chart (one option: nothing to compare)
    assert html.count('<svg class="chart"') + html.count('class="chart" alt=') >= 9 + 1
    assert "<?xml" not in html and "<metadata>" not in html  # minified SVG
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html.lower()
    assert "<link" not in html.lower() and "@import" not in html and "url(http" not in html
    # ids of one chart cannot collide with another's: each is prefixed by the chart's hash
    ids = re.findall(r'\sid="(c[0-9a-f]{8}[^"]*)"', html)
    assert len(ids) == len(set(ids))
    assert not list(fake.glob("*/charts")) and not (fake / "charts").exists()  # no files


def test_every_page_carries_date_version_fingerprint_and_price_year(fake):
    import railsim

    html = _read(fake, "fi")
    footer = re.search(r"@bottom-left\{content:\"([^\"]+)\"", html)
    assert footer, "no page footer in the print style"
    assert f"railsim {railsim.__version__}" in footer[1]
    assert re.search(r"lähtötiedot [0-9a-f]{12}", footer[1])
    assert "hintataso" in footer[1] and re.search(r"\d{1,2}\.\d{1,2}\.20\d\d", footer[1])
    assert "counter(page)" in html and "counter(pages)" in html


# -- what it says ---------------------------------------------------------------------------

def test_plain_words_summary_with_the_right_numbers(fake):
    fi, en = _read(fake, "fi"), _read(fake, "en")
    assert f"Each trip would need a subsidy of 14{NB}€." in en
    assert f"Jokainen matka vaatisi 14{NB}€ tukea." in fi
    assert f"The investment would be about 91{NB}M€." in en
    assert f"Investointi olisi noin 91{NB}M€." in fi
    assert "About 1,200 passengers a weekday" in en
    assert f"Noin 1{THIN}200 matkustajaa arkivuorokaudessa" in fi
    assert f"Fares would cover 18{NB}% of the operating costs." in en
    assert TEXT["en"]["do_minimum"] not in en  # the do-minimum gets no sheet of its own
    assert TEXT["en"]["reference"].format(title="Do-minimum") in en


def test_executive_summary_ranks_options_and_says_who_pays(fake):
    en = _read(fake, "en")
    summary = en[en.index('id="summary"'):en.index('class="page sheet"')]
    # the one rail option does not pay; its NPV and chance in words
    assert "The only rail option, Heinola – Lahti hourly &lt;b&gt;&amp; peaks&lt;/b&gt;, " \
           f"is not worth it for society: it falls 75{NB}M€ short." in summary
    assert "<td>1</td><td>Heinola – Lahti hourly &lt;b&gt;&amp; peaks&lt;/b&gt;</td>" in summary
    assert "(p10–p90)" in summary or "p10–p90" in summary
    for key in ("payers_h", "uncertainty_h", "breakeven_h", "measures_h"):
        assert TEXT["en"][key] in summary, key


def test_comparison_table_formats_numbers_per_language(fake):
    fi, en = _read(fake, "fi"), _read(fake, "en")
    fi_table = fi[fi.index('class="compare"'):]
    en_table = en[en.index('class="compare"'):]
    assert ">91,3<" in fi_table and ">91.3<" in en_table  # investment in M€
    # passengers a weekday (1 234): rounded as the ranking and the option's sheet show
    # them, so the report never gives one option two numbers
    assert f">1{THIN}200<" in fi_table and ">1,200<" in en_table
    assert ">1,234<" not in en and f">1{THIN}234<" not in fi
    assert ">epäonnistui<" in fi_table and ">failed<" in en_table


def test_data_from_results_is_escaped(fake):
    for lang in ("fi", "en"):
        html = _read(fake, lang)
        assert "&lt;b&gt;&amp; peaks&lt;/b&gt;" in html
        assert "<b>& peaks</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>" not in html
        assert ERROR.splitlines()[0] in html


def test_sources_are_counted_per_table_with_the_judgement_rows(fake):
    html = _read(fake, "en")
    stations = read_table("stations")
    verified = int((stations["status"] == "VERIFIED").sum())
    assert re.search(rf"<td>network/stations.csv</td><td class=\"n\">{len(stations)}"
                     rf"</td><td class=\"n\">{verified}</td>", html)
    assumptions = read_table("unit_costs").query("status == 'ASSUMPTION'")
    if len(assumptions):
        assert f"<td>{assumptions['item_id'].iloc[0]}</td>" in html


def test_every_text_exists_in_both_languages():
    assert set(TEXT["fi"]) == set(TEXT["en"])
    for table in (names.INPUTS, names.ITEMS, names.ROLLING_STOCK, labels.TEXT):
        assert all(set(entry) == {"en", "fi"} for entry in table.values())


def test_every_uncertainty_target_and_cost_item_has_a_name():
    from railsim.demand.draws import TARGETS

    scenario_targets = ("costs.capex_multiplier", "costs.opex_multiplier",
                        "appraisal.discount_rate", "appraisal.tax_factor",
                        "appraisal.unit_value_growth", "demand.population_growth_pct_per_year")
    for target in (*scenario_targets, *TARGETS):
        assert names.input_name(target, "fi") != target, target
    for item in read_table("unit_costs")["item_id"]:
        assert item in names.ITEMS, item
    for stock in read_table("rolling_stock")["type_id"]:
        assert stock in names.ROLLING_STOCK, stock


ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z_]+\.[a-z_]+\b")
FILE = re.compile(r"\.(csv|py|yaml|md|html|pdf)\b")


def finnish_problems(html: str, capex: pd.DataFrame | None = None,
                     tornado: pd.DataFrame | None = None) -> list[str]:
    """Ids and English labels in the Finnish reader's text."""
    seen = visible_text(html, "fi")
    paths = set(re.findall(r"[\w./-]+\.(?:csv|py|yaml|md)\b|[\w-]+/", seen))
    problems = [f"id {m!r}" for m in ID.findall(seen) if not FILE.search(m)
                and not any(m in path for path in paths)]
    english = [e["en"] for table in (names.INPUTS, names.ITEMS, names.ROLLING_STOCK,
                                     labels.TEXT) for e in table.values() if e["en"] != e["fi"]]
    english += [v for k, v in TEXT["en"].items() if v != TEXT["fi"][k] and "{" not in v]
    words = re.sub(r"[\w./-]+\.(?:csv|py|yaml|md)\b", " ", seen)  # file names aside
    problems += [f"English {e!r}" for e in english
                 if len(e) > 4 and re.search(rf"(?<!\w){re.escape(e)}(?!\w)", words)]
    if capex is not None:
        problems += [f"capex item {d!r}" for d in capex["description"] if d in seen]
    if tornado is not None:
        problems += [f"input id {i!r}" for i in tornado["input"] if i in seen]
    return problems


def test_finnish_document_has_no_ids_or_english_labels(small_batch, tmp_path):
    out = tmp_path / "batch"
    shutil.copytree(small_batch, out)
    build_report(out)
    folder = out / "all-outputs"
    capex, tornado = pd.read_csv(folder / "capex.csv"), pd.read_csv(folder / "tornado.csv")
    assert len(capex) and len(tornado)
    problems = finnish_problems((out / "report.fi.html").read_text(encoding="utf-8"),
                                capex, tornado)
    assert problems == [], problems
    # the check can fail: the English document is full of what it looks for, and raw
    # table ids slipped into the Finnish one are found
    english = finnish_problems((out / "report.en.html").read_text(encoding="utf-8")
                               .replace('<html lang="en">', "<html>"))
    assert any(p.startswith("English") for p in english)
    fi = (out / "report.fi.html").read_text(encoding="utf-8")
    slipped = fi.replace("</body>", f"<p>{capex['description'].iloc[0]} "
                                    f"{tornado['input'].iloc[0]}</p></body>")
    found = finnish_problems(slipped, capex, tornado)
    assert any(p.startswith("capex item") for p in found)
    assert any(p.startswith("input id") for p in found)


# -- robustness and the command -------------------------------------------------------------

def test_report_without_summary_or_tables_does_not_crash(tmp_path):
    out = write_fake_results(tmp_path / "results")
    (out / "summary.csv").unlink()
    (out / "heinola-hourly" / "cashflows.csv").write_text("", encoding="utf-8")
    build_report(out, charts=False)
    en = _read(out, "en")
    assert ">91.3<" in en  # the comparison table, from kpis.csv
    assert "Heinola from the resolved file" in en  # title from scenario.resolved.yaml
    assert f"Each trip would need a subsidy of 14{NB}€." in en  # from kpis.csv


def test_report_on_a_folder_without_results_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not results", encoding="utf-8")
    with pytest.raises(ReportError, match="no results"):
        build_report(empty)
    result = CliRunner().invoke(cli, ["report", str(empty)])
    assert result.exit_code == 1 and "no results" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in empty.iterdir()) == ["notes.txt"]  # nothing written
    missing = CliRunner().invoke(cli, ["report", str(tmp_path / "nowhere")])
    assert missing.exit_code != 0 and "Traceback" not in missing.output


def test_cli_report_prints_the_index_and_writes_chart_files_only_when_asked(tmp_path):
    out = write_fake_results(tmp_path / "results", second_option=True)
    result = CliRunner().invoke(cli, ["report", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert Path(result.output.strip()) == out / "report.html"
    assert (out / "report.fi.html").is_file() and not (out / "charts").exists()
    asked = CliRunner().invoke(cli, ["report", str(out), "--charts", "png", "--workers", "1"])
    assert asked.exit_code == 0, asked.output
    assert (out / "charts" / "bcr.png").is_file() and (out / "charts" / "bcr.fi.png").is_file()
    assert not (out / "charts" / "bcr.svg").exists()
    bad = CliRunner().invoke(cli, ["report", str(out), "--charts", "gif"])
    assert bad.exit_code == 1 and "gif" in bad.output and "Traceback" not in bad.output


def test_a_skipped_rerun_reports_like_the_first_run(fake, tmp_path):
    out = tmp_path / "again"
    shutil.copytree(fake, out)
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["status"]) == {"ok", "failed"}  # what the batch writes for a rerun
    build_report(out, charts=False)
    assert TEXT["fi"]["status_skipped"] not in _read(out, "fi")


def test_a_report_drawn_by_workers_is_the_one_drawn_here(fake, tmp_path):
    """Two workers draw the charts while this process reads the report's facts: the same
    pages as one process doing both in turn (and the facts are not read twice)."""
    from unittest import mock

    from railsim.report import builder

    out = tmp_path / "workers"
    shutil.copytree(fake, out)
    for name in ("report.fi.html", "report.en.html", "report.html"):
        (out / name).unlink()
    with mock.patch.object(builder, "prepare", wraps=builder.prepare) as prepared:
        build_report(out, workers=2)
    assert prepared.call_count == 1
    for lang in ("fi", "en"):
        assert _read(out, lang) == _read(fake, lang)


def test_sentences_for_a_paying_scenario_use_decimal_comma_in_finnish(tmp_path):
    from railsim.report.facts import ScenarioFacts
    from railsim.report.reading import sentences

    facts = ScenarioFacts("x", "x", "ok", tmp_path,
                          values={"subsidy_per_passenger_eur": -4.5, "bcr": 1.25})
    fi, en = sentences(facts, "fi"), sentences(facts, "en")
    assert any(f"4,5{NB}€ ylijäämää" in s for s in fi)
    assert any(f"4.5{NB}€ to spare" in s for s in en)
    assert any(f"hyödyt ovat 25{NB}% investointikustannuksia suuremmat" in s for s in fi)
    assert any(f"benefits exceed the investment cost by 25{NB}%" in s for s in en)


def test_a_benefit_cost_ratio_reads_the_same_in_words_as_in_the_key_figures(tmp_path):
    """The sentence gives the ratio to the two decimals of the key figures and the
    comparison table (it said 1.5 beside a table's 1.46)."""
    from railsim.report.document import sheet
    from railsim.report.facts import ScenarioFacts
    from railsim.report.reading import sentences

    facts = ScenarioFacts("x", "x", "ok", tmp_path, values={"bcr": 1.46})
    for lang, shown in (("en", "1.46"), ("fi", "1,46")):
        figures = dict(sheet(facts, 1, {}, lang, None)["figures"])
        assert figures[TEXT[lang]["kf_bcr"]] == shown
        assert any(f" {shown}:" in s for s in sentences(facts, lang)), sentences(facts, lang)


def test_the_subsidy_sentence_is_per_trip_in_both_languages(tmp_path):
    """subsidy_per_passenger_eur is per train trip (the key figure and the tables say so,
    and the Finnish sentence 'Jokainen matka'); the English one said 'each passenger', who
    makes many trips a year."""
    from railsim.report.facts import ScenarioFacts
    from railsim.report.reading import sentences

    for value, needed in ((14.0, "Each trip would need a subsidy of 14"),
                          (-4.5, f"4.5{NB}€ to spare per trip")):
        facts = ScenarioFacts("x", "x", "ok", tmp_path,
                              values={"subsidy_per_passenger_eur": value})
        said = " ".join(sentences(facts, "en"))
        assert needed in said and "passenger" not in said, said
    for key in ("subsidy", "surplus"):
        assert "passenger" not in TEXT["en"][key]
        assert "matka" in TEXT["fi"][key]


def test_probability_in_plain_words():
    from railsim.report.facts import ScenarioFacts
    from railsim.report.reading import probability_sentence, probability_short

    def facts(prob: float) -> ScenarioFacts:
        return ScenarioFacts("x", "x", "ok", Path("."),
                             values={"prob_npv_societal_positive": prob},
                             resolved={"uncertainty": {"draws": 10_000}})

    assert probability_sentence(facts(0.0), "en") == (
        "In none of the 10,000 uncertainty draws is the net present value positive.")
    assert probability_sentence(facts(0.0), "fi").startswith(f"Yhdessäkään 10{THIN}000 ")
    assert probability_short(facts(0.4), "en") == f"below 1{NB}%"
    assert probability_short(facts(37.0), "fi") == f"37{NB}%"


@pytest.mark.parametrize(("paying", "options", "en", "fi"), [
    (0, 1, "The only rail option, A, is not worth it", "Ainoa junavaihtoehto, A, ei ole"),
    (1, 1, "The only rail option, A, is worth it", "Ainoa junavaihtoehto, A, on "),
    (0, 2, "Neither of the two rail options is", "Kumpikaan junavaihtoehto ei ole"),
    (0, 5, "None of the 5 rail options is", "Mikään 5 junavaihtoehdosta ei ole"),
    (1, 2, "One of the 2 rail options is worth it", "2 junavaihtoehdosta yksi on "
                                                   "yhteiskuntataloudellisesti kannattava:"),
    (1, 5, "One of the 5 rail options is worth it", "5 junavaihtoehdosta yksi on "
                                                   "yhteiskuntataloudellisesti kannattava:"),
    (3, 5, "3 of the 5 rail options are worth it", "5 junavaihtoehdosta 3 on "
                                                  "yhteiskuntataloudellisesti kannattavia;"),
    (2, 2, "Both rail options are worth it", "Molemmat junavaihtoehdot ovat"),
    (5, 5, "All 5 rail options are worth it", "Kaikki 5 junavaihtoehtoa ovat"),
])
def test_the_verdict_agrees_with_its_numbers(tmp_path, paying, options, en, fi):
    """Every branch of the verdict: a number and its words agree ('1 of the 5 … are',
    'Yksikään 2 junavaihtoehdosta', '1/1 on kannattava' were what one wording gave)."""
    from railsim.report.facts import ScenarioFacts
    from railsim.report.reading import verdict

    def option(k: int) -> ScenarioFacts:
        npv = (10e6 if k < paying else -10e6) - k * 1e6  # the paying ones rank first
        return ScenarioFacts(f"s{k}", "AB"[min(k, 1)], "ok", tmp_path,
                             values={"capex_total_eur": 1e6, "npv_societal_eur": npv})

    scenarios = [option(k) for k in range(options)]
    said = {lang: verdict(scenarios, lang)[0] for lang in ("en", "fi")}
    assert en in said["en"] and fi in said["fi"], said
    # the best: +10 M€ when it pays, else 10 M€ short ("falls 10 M€ short", not "−10 M€")
    assert f"10{NB}M€" in said["en"] and f"10{NB}M€" in said["fi"]
    assert "−" not in said["en"] + said["fi"]


def test_counts_of_one_take_the_singular(tmp_path):
    """One train unit, a one-year period, a single draw, one train bought: in both
    languages the noun agrees with the number (Finnish: '1 junayksikkö', not '1
    junayksikköä')."""
    from railsim.report.document import years
    from railsim.report.facts import ScenarioFacts
    from railsim.report.reading import probability_sentence, sentences

    def said(units: float, lang: str) -> str:
        facts = ScenarioFacts("x", "x", "ok", tmp_path,
                              values={"units_required": units, "train_km_annual": 2e5})
        return " ".join(sentences(facts, lang))

    assert f"tarvittaisiin 1 junayksikkö, joka ajaisi 200{THIN}000 junakilometriä" in said(1, "fi")
    assert "would need 1 train unit, running" in said(1, "en")
    assert "tarvittaisiin 3 junayksikköä, jotka ajaisivat" in said(3, "fi")
    assert "would need 3 train units, running" in said(3, "en")
    assert (years(1, "fi"), years(30, "fi")) == ("1 vuosi", "30 vuotta")
    assert (years(1, "en"), years(30, "en")) == ("1 year", "30 years")

    def chance(prob: float, draws: int, lang: str) -> str | None:
        return probability_sentence(ScenarioFacts(
            "x", "x", "ok", tmp_path, values={"prob_npv_societal_positive": prob},
            resolved={"uncertainty": {"draws": draws}}), lang)

    assert chance(0.0, 1, "fi") == (
        "Ainoassa epävarmuusarvonnassa nettonykyarvo ei ole positiivinen.")
    assert chance(100.0, 1, "en") == (
        "The net present value is positive in the single uncertainty draw.")
    assert chance(100.0, 20, "fi") == (
        "Nettonykyarvo on positiivinen kaikissa 20 epävarmuusarvonnassa.")
    assert chance(37.0, 20, "fi") == (
        f"Nettonykyarvo on positiivinen noin 37{NB}%:ssa epävarmuusarvonnoista.")
    for count, fi, en in (("1", "1 Sm5-sähköjuna", "1 × Sm5 electric unit"),
                          ("5", "5 Sm5-sähköjunaa", "5 × Sm5 electric units")):
        description = f"{count} × Sm5"
        assert names.capex_item_name("rolling_stock:emu_sm5", description, "fi") == fi
        assert names.capex_item_name("rolling_stock:emu_sm5", description, "en") == en
    for type_id in names.ROLLING_STOCK:
        assert set(names.ROLLING_STOCK_ONE[type_id]) == {"en", "fi"}, type_id


def test_ranges_are_written_as_finnish_and_english_write_them(tmp_path):
    """An en dash between plain numbers ('24–89'), spaced between numbers with units, '…'
    beside a minus sign; the yearly subsidy range carries its unit once."""
    from railsim.report.document import Format
    from railsim.report.facts import ScenarioFacts
    from railsim.report.reading import verdict

    f = Format("fi")
    assert f.range("51", "24", "89") == "51 (24–89)"
    assert f.range("51", f"1{THIN}200", f"2{THIN}000") == f"51 (1{THIN}200–2{THIN}000)"
    assert f.range("x", f"12{NB}M€", f"40{NB}M€") == f"x (12{NB}M€ – 40{NB}M€)"
    assert f.range("x", f"−97{NB}M€", f"−81{NB}M€") == f"x (−97{NB}M€ … −81{NB}M€)"
    options = [ScenarioFacts(f"s{k}", "A", "ok", tmp_path,
                             values={"capex_total_eur": 1e6, "npv_societal_eur": -1e6},
                             statistics={"subsidy_annual_eur": {"value": subsidy}})
               for k, subsidy in enumerate((1.2e6, 5.4e6))]
    assert f"investoinnin lisäksi 1,2–5,4{NB}M€ julkista tukea" in verdict(options, "fi")[1]
    assert f"need 1.2–5.4{NB}M€ of public subsidy" in verdict(options, "en")[1]


def test_optional_tables_appear_only_when_their_file_exists(fake, tmp_path):
    out = tmp_path / "with-slots"
    shutil.copytree(fake, out)
    assert TEXT["en"]["validation_h"] not in _read(out, "en")
    assert TEXT["en"]["effects_h"] not in _read(out, "en")
    pd.DataFrame({"station": ["Villähde"], "year": [2019], "observed": [120.0],
                  "predicted": [150.0], "ratio": [1.25], "definition": ["boardings"]}
                 ).to_csv(out / "heinola-hourly" / "validation.csv", index=False)
    pd.DataFrame({"party": ["users", "producers"], "payer": ["travellers", "train operator"],
                  "effect": ["user_time", "newer_effect"],
                  "description": ["Time saved", "An effect of a newer railsim"],
                  "pv_eur": [12.5e6, -2.0e6], "in_bcr": ["numerator", "numerator"]}
                 ).to_csv(out / "heinola-hourly" / "effects.csv", index=False)
    build_report(out, charts=False)
    fi, en = _read(out, "fi"), _read(out, "en")
    assert TEXT["en"]["validation_h"] in en and TEXT["fi"]["validation_h"] in fi
    assert TEXT["en"]["effects_h"] in en and ">Villähde<" in fi and ">12.5<" in en
    # the effects in the reader's language, ids never shown, the sum as the last row
    assert TEXT["fi"]["effects_h"] in fi
    for lang, doc in (("fi", fi), ("en", en)):
        for key in ("party_users", "falls_on_train_operator", "effect_user_time",
                    "in_bcr_numerator", "effects_total"):
            assert f">{TEXT[lang][key]}<" in doc, (lang, key)
        assert ">user_time<" not in doc
        assert ">An effect of a newer railsim<" in doc  # no text yet: its description
    assert ">train operator<" not in fi and ">numerator<" not in fi
    # on its own annex page: the sums by party, then the rows (the sheets and the summary
    # keep to one A4 page each)
    for lang, doc in (("fi", fi), ("en", en)):
        before = doc[:doc.index('id="annex"')]
        assert TEXT[lang]["effect_user_time"] not in before
        annex = doc[doc.index('id="annex"'):]
        assert TEXT[lang]["effects_note"] in annex
        by_party = annex.index(f"<td>{TEXT[lang]['party_users']}</td><td")
        assert by_party < annex.index(TEXT[lang]["effect_user_time"])
    assert ">10,5<" in fi and ">10.5<" in en  # 12.5 − 2.0 M€


def _effect_rows() -> list[dict[str, object]]:
    """effects.csv rows of railsim's own table, for a yearly table of ones."""
    from railsim.appraisal.effects import effect_rows

    columns = ("user_time_benefit_eur", "user_money_benefit_eur",
               "user_reliability_benefit_eur", "car_cost_saving_eur", "revenue_eur", "opex_eur",
               "track_charges_eur", "rolling_stock_capex_eur", "rolling_stock_residual_eur",
               "bus_operating_saving_eur", "bus_revenue_lost_eur", "freight_cost_eur",
               "infrastructure_capex_eur", "infrastructure_residual_eur",
               "infrastructure_maintenance_eur", "indirect_tax_eur", "public_funds_cost_eur",
               "emission_benefit_eur", "accident_benefit_eur")
    table = {c: np.full(3, 1e6) for c in columns} | {"discount_factor": np.ones(3),
                                                     "tax_factor": np.full(3, 1.2)}
    return effect_rows(table)


def test_every_effect_party_and_payer_has_a_text_in_both_languages():
    for row in _effect_rows():
        for prefix, field in (("party", "party"), ("falls_on", "payer"), ("effect", "effect"),
                              ("in_bcr", "in_bcr")):
            key = f"{prefix}_{str(row[field]).replace(' ', '_')}"
            assert key in TEXT["fi"] and key in TEXT["en"], key
        assert TEXT["en"][f"effect_{row['effect']}"] == row["description"]


# -- printed: headless Chromium ---------------------------------------------------------------

def _chromium() -> str | None:
    from railsim.report.pdf import browser

    return browser()


MEASURE = """<script>
const root = document.documentElement;
const out = {tables: [], sheets: [], page: [root.scrollWidth, root.clientWidth]};
for (const t of document.querySelectorAll("table"))
  out.tables.push([t.scrollWidth, t.parentElement.clientWidth]);
for (const s of document.querySelectorAll("section.summary, section.sheet, section.annex"))
  out.sheets.push([s.id || s.className, s.getBoundingClientRect().height]);
document.body.setAttribute("data-measure", JSON.stringify(out));
</script></body>"""
MM = 96 / 25.4  # CSS px per mm
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210 - 2 * 12, 297 - 11 - 13  # A4 less the print margins


@pytest.mark.slow
def test_report_prints_to_a4_pages_that_fit(fake, tmp_path):
    from PIL import Image

    from railsim.report.pdf import headless, page_count

    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI (.ci/run installs it)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    out = tmp_path / "printed"
    shutil.copytree(fake, out)
    # the real effects table (26 rows, long Finnish texts): by party on the sheet, in full
    # on its own annex page
    pd.DataFrame(_effect_rows()).to_csv(out / "heinola-hourly" / "effects.csv", index=False)
    build_report(out, pdf=True)
    for lang in ("fi", "en"):
        html = _read(out, lang)
        sheets = html.count('<section class="page sheet"')
        annex = html.count('<section class="page annex"')
        record = len(re.findall(r"<tr>", html.split('id="record"')[1]))
        # 1 summary + sheets + 1 comparison, then the annex: comparison charts, one page
        # of charts per option, the quoted data rows (about 15 a page: the newer data
        # rows give their sources and reasoning at length)
        budget = 2 + sheets + 1 + annex + -(-record // 15)
        pages = page_count(out / f"report.{lang}.pdf")
        assert 2 + sheets <= pages <= budget, (lang, pages, budget)
        # in the DOM laid out at the printed width with the print style: no table wider
        # than its page, each sheet (and the summary) within one A4 page
        probe = out / f"probe.{lang}.html"
        probe.write_text(html.replace("@media print{", "@media all{")
                         .replace("</body>", MEASURE), encoding="utf-8")
        dom = subprocess.run([*headless(browser, tmp_path / f"profile-{lang}"), "--dump-dom",
                              "--hide-scrollbars",
                              f"--window-size={round(PAGE_WIDTH_MM * MM)},1200",
                              probe.resolve().as_uri()],
                             check=True, capture_output=True, timeout=120, text=True).stdout
        found = re.search(r'data-measure="([^"]+)"', dom)
        assert found, "the measuring script did not run"
        measure = json.loads(found[1].replace("&quot;", '"'))
        assert measure["tables"] and all(width <= room + 1 for width, room in measure["tables"])
        # nothing wider than the page either (Chromium would shrink every page to fit it)
        assert measure["page"][0] <= measure["page"][1] + 1, measure["page"]
        too_tall = [(name, round(h / MM)) for name, h in measure["sheets"]
                    if h > PAGE_HEIGHT_MM * MM]
        assert too_tall == [], f"{lang}: taller than an A4 page (mm): {too_tall}"
        shot = tmp_path / f"shot-{lang}.png"
        subprocess.run([*headless(browser, tmp_path / f"shot-profile-{lang}"),
                        f"--screenshot={shot}", "--window-size=1000,1400",
                        (out / f"report.{lang}.html").resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
        with Image.open(shot) as image:
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 200, f"the rendered report looks blank ({len(colours)} colours)"


def test_charts_drawn_on_a_pool_are_the_ones_drawn_here(fake):
    from railsim.parallel import worker_pool
    from railsim.plot.cache import CACHE_DIR
    from railsim.report.builder import (
        WORKER_MODULES,
        draw_batch_charts,
        draw_charts,
        submit_charts,
    )
    from railsim.report.facts import scenario_names

    def forget() -> None:  # the charts the last report drew: each side draws its own
        for kept in fake.glob(f"*/{CACHE_DIR}"):
            shutil.rmtree(kept)

    names = scenario_names(fake, pd.read_csv(fake / "summary.csv"))
    forget()
    here = draw_charts(fake, names)
    assert any(here.values())
    forget()
    with worker_pool(2, WORKER_MODULES, start=True) as pool:
        first = names[0]
        pending = {first: submit_charts(pool, fake / first)}  # as a batch hands them out
        there = draw_charts(fake, names, pool=pool, pending=pending)
        batch = draw_batch_charts(fake, pool)
    assert there == here
    assert batch == draw_batch_charts(fake) and batch


def test_back_casts_beside_options_get_no_charts_of_their_own(tmp_path):
    # beside options a back-cast shows only in the report's own section (the batch chart),
    # alone its sheet and charts are the report
    from railsim.report.builder import charted_names

    for name, policy in (("option", "lsl"), ("back-cast", "observed")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "scenario.resolved.yaml").write_text(
            f"service:\n  lines: [{{id: A}}]\ndemand:\n  fares:\n    policy: {policy}\n",
            encoding="utf-8")
    assert charted_names(tmp_path, ["option", "back-cast"]) == ["option"]
    assert charted_names(tmp_path, ["back-cast"]) == ["back-cast"]


def test_the_summary_says_how_close_the_back_casts_came():
    from railsim.report.document import back_cast_check

    def table(held):
        return pd.DataFrame({"use": ["calibration", "calibration"] + ["held_out"] * len(held),
                             "ratio": [0.9, 1.1, *held]})

    low = back_cast_check(table([0.3, 0.6]), "en")
    assert "0.90–1.10" in low and "0.30–0.60" in low and TEXT["en"]["back_cast_low"] in low
    high = back_cast_check(table([1.4]), "fi")
    assert "1,40" in high and TEXT["fi"]["back_cast_high"] in high
    mixed = back_cast_check(table([0.8, 1.2]), "en")
    assert TEXT["en"]["back_cast_low"] not in mixed
    assert TEXT["en"]["back_cast_high"] not in mixed
    near = back_cast_check(table([0.9, 0.95]), "en")  # low, but within the lean
    assert "0.90–0.95" in near and TEXT["en"]["back_cast_low"] not in near
    assert back_cast_check(pd.DataFrame({"x": [1]}), "en") == ""
    assert back_cast_check(table([]), "en") == ""  # nothing held out: nothing to compare


def test_who_pays_adds_the_state_and_the_municipalities_without_counting_the_trains_twice(fake):
    """The payers' table: the state's infrastructure and the municipalities' purchase of
    the service (operating deficit and trains), whose sum is the public's yearly cost; the
    investment annuity, which holds the trains as well, is not one of its rows."""
    from railsim.report.document import _payers
    from railsim.report.facts import scenario_facts

    facts = scenario_facts(fake, OK, None)
    _, rows = _payers([facts], "en")
    by_payer = {row[0]: row[1] for row in rows}
    assert by_payer["State: infrastructure"] == "4.2"
    assert by_payer["Heinola: train service"] == "3.6"
    assert by_payer["Lahti: train service"] == "2.5"
    assert by_payer["Total"] == "10.3"
    html = _read(fake, "en")
    assert "the municipalities buy the train service" in html


def test_options_appraised_on_different_bases_are_flagged_and_each_basis_shown():
    from railsim.report.document import assumptions, summary
    from railsim.report.facts import ScenarioFacts

    def option(name: str, npv: float, rate: float, years: int) -> ScenarioFacts:
        return ScenarioFacts(
            name, name, "ok", Path(name),
            values={"npv_societal_eur": npv, "capex_total_eur": 1e8},
            resolved={"appraisal": {"discount_rate": rate, "period_years": years},
                      "costs": {"price_year": 2024}})

    same = [option("a", -1e8, 0.035, 30), option("b", -2e8, 0.035, 30)]
    mixed = [option("a", -1e8, 0.07, 15), option("b", -2e8, 0.035, 30)]
    assert "not appraised on one basis" not in summary(same, "en")["ranking_note"]
    note = summary(mixed, "en")["ranking_note"]
    assert "not appraised on one basis" in note
    assert "appraisal period, discount rate" in note and "price year" not in note
    assert "laskentakorko" in summary(mixed, "fi")["ranking_note"]
    shown = dict(assumptions(mixed, "en"))
    assert shown["Discount rate"] == f"7.0{NB}% (#1); 3.5{NB}% (#2)"
    assert shown["Prices of"] == "2024"
    assert dict(assumptions(same, "en"))["Discount rate"] == f"3.5{NB}%"


def test_option_sheets_follow_the_ranking_and_carry_its_numbers(tmp_path):
    import datetime

    from railsim.report.builder import language_document
    from railsim.report.facts import ScenarioFacts

    def option(name: str, npv: float) -> ScenarioFacts:
        return ScenarioFacts(name, name.title(), "ok", tmp_path / name,
                             values={"npv_societal_eur": npv, "capex_total_eur": 1e8})

    failed = ScenarioFacts("broken", "Broken", "failed", tmp_path / "broken", "an error")
    scenarios = [option("alpha", -3e8), failed, option("beta", -1e8), option("gamma", -2e8)]
    view = language_document(tmp_path, scenarios, {}, {}, "en", datetime.date.today())
    assert [(s["number"], s["title"]) for s in view.sheets] == [
        (1, "Beta"), (2, "Gamma"), (3, "Alpha"), (4, "Broken")]


def test_a_difference_the_ranking_note_names_is_shown_in_the_assumptions():
    from railsim.report.document import COMPARABLE_BASIS, assumptions, summary
    from railsim.report.facts import ScenarioFacts

    def option(name: str, npv: float, growth: float) -> ScenarioFacts:
        return ScenarioFacts(name, name, "ok", Path(name),
                             values={"npv_societal_eur": npv, "capex_total_eur": 1e8},
                             resolved={"appraisal": {"unit_value_growth": growth}})

    mixed = [option("a", -1e8, 0.015), option("b", -2e8, 0.0)]
    assert "real growth of unit values" in summary(mixed, "en")["ranking_note"]
    shown = dict(assumptions(mixed, "en"))
    assert shown["Real growth of unit values"] == f"1.5{NB}% (#1); 0{NB}% (#2)"
    labels = {label for label, _ in assumptions(mixed, "en")}
    assert {TEXT["en"][key] for key, _ in COMPARABLE_BASIS} <= labels


def test_a_report_with_nothing_for_the_annex_has_no_annex(fake, tmp_path):
    # a do-minimum alone (or only failed scenarios): the annex was a heading, a note on
    # "the charts on the option sheets" (there are none) and nothing else, in the contents
    out = write_fake_results(tmp_path / "results")
    for name in (OK, FAILED):
        shutil.rmtree(out / name)
    (out / "summary.csv").unlink()
    (out / "validation.csv").unlink()
    build_report(out, charts=False)
    for lang in ("en", "fi"):
        page = _read(out, lang)
        assert 'id="annex"' not in page and 'href="#annex"' not in page
        assert TEXT[lang]["annex_intro"] not in page
        assert 'href="#comparison"' in page
    assert 'id="annex"' in _read(fake, "en") and 'href="#annex"' in _read(fake, "en")

"""What one language's document says: every text and table cell, formatted, for the templates.

The templates (railsim/report/templates/) only lay this out; every number is formatted
here with :mod:`railsim.numfmt` in the document's language and every label comes from
:mod:`railsim.report.strings`, so a Finnish document is Finnish throughout.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from railsim import numfmt
from railsim.plot.compact import Compact
from railsim.report.facts import ScenarioFacts
from railsim.report.reading import (
    distribution,
    probability_short,
    ranked,
    sentences,
    uncertainty_sentences,
    verdict,
)
from railsim.report.sources import TableProvenance
from railsim.report.strings import TEXT, text
from railsim.texts.names import input_name

_KEYS = set(TEXT["en"])

Charts = Mapping[str, Mapping[str, Compact]]
"""Chart name → language → image."""

SHEET_CHARTS = ("cumulative_cashflow", "capex_breakdown", "time_distance")
"""On each option's one-page sheet."""
ANNEX_CHARTS = ("opex_revenue", "npv_distribution", "tornado", "boardings", "punctuality",
                "line_map", "validation")
"""The rest of a scenario's charts, in the annex (the per-scenario subsidy chart repeats
the comparison chart and is left out; "validation" is drawn where issue 12's table is)."""
BATCH_ANNEX = ("npv_societal", "bcr", "capex_vs_passengers", "subsidy_per_passenger")


@dataclass(frozen=True)
class Column:
    label: str
    cls: str = ""


Table = tuple[list[Column], list[list[str]]]


@dataclass
class Document:
    """Everything a language's report shows (the templates' context)."""

    lang: str
    title: str
    subtitle: str
    footer: str
    summary: dict[str, Any]
    sheets: list[dict[str, Any]]
    comparison: Table
    assumptions: list[tuple[str, str]]
    inputs: Table | None
    sources: Table
    annex_batch: list[tuple[Compact, str]]
    annex: list[dict[str, Any]]
    record: Table | None
    back_casts: Table | None = None
    """The batch's validation.csv when back-casts ran beside the options (they are checks
    of the model, kept out of the options' pages)."""
    back_cast_charts: list[tuple[Compact, str]] = field(default_factory=list)
    back_cast_check: str = ""
    """One sentence for the summary: how close the back-casts came to the counts."""
    extra: dict[str, Any] = field(default_factory=dict)

    def context(self) -> dict[str, Any]:
        lang = self.lang
        return {**self.__dict__, "t": lambda key, **v: text(lang, key, **v)}


class Format:
    """Numbers in one language: M€, €, counts, per cent, ranges."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def meur(self, value: float | None) -> str:
        return "–" if value is None else numfmt.meur(value, self.lang)

    def meur_cell(self, value: float | None, decimals: int = 1) -> str:
        return "–" if value is None else numfmt.number(value / 1e6, decimals, self.lang)

    def eur(self, value: float | None) -> str:
        return "–" if value is None else numfmt.eur(value, self.lang)

    def count(self, value: float | None, about: bool = True) -> str:
        if value is None:
            return "–"
        return numfmt.number(numfmt.about(value) if about else value, 0, self.lang)

    def pct(self, value: float | None, decimals: int = 0) -> str:
        return "–" if value is None else numfmt.percent(value, self.lang, decimals)

    def rate(self, fraction: Any) -> str:
        """A rate given as a fraction: 0.035 → '3.5 %'."""
        if not numfmt.is_number(fraction):
            return "–"
        pct = 100 * float(fraction)
        return numfmt.percent(pct, self.lang, 0 if pct == round(pct) else 1)

    def ratio(self, value: float | None) -> str:
        return "–" if value is None else numfmt.number(value, 2, self.lang)

    def range(self, value: str, low: str | None, high: str | None) -> str:
        """'51 (24–89)'; an en dash with spaces between values with units ('12 M€ – 40 M€')
        and '…' where a minus sign would stand beside it ('−97 M€ … −81 M€')."""
        if not (low and high):
            return value
        if low.startswith(numfmt.MINUS) or high.startswith(numfmt.MINUS):
            sep = " … "
        else:
            sep = " – " if numfmt.NBSP in low + high else "–"
        return f"{value} ({low}{sep}{high})"


def _date(day: datetime.date, lang: str) -> str:
    return f"{day.day}.{day.month}.{day.year}" if lang == "fi" else day.isoformat()


def footer(lang: str, version: str, fingerprint: str, price_years: Sequence[int],
           day: datetime.date) -> str:
    """The line on every page: date, railsim version, input fingerprint, price year."""
    years = ", ".join(str(y) for y in price_years) or "–"
    return text(lang, "meta", date=_date(day, lang), version=version,
                fingerprint=fingerprint or "–", price_year=years)


def years(n: Any, lang: str) -> str:
    """A period in years, the noun agreeing with its number: '30 vuotta', '1 vuosi'."""
    return text(lang, "years_one" if n == 1 else "years", n=str(n or "–"))


def _sum_or_none(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def summary(scenarios: Sequence[ScenarioFacts], lang: str) -> dict[str, Any]:
    """The executive summary: question, answer, ranking, payers, uncertainty, break-even."""
    f = Format(lang)
    options = ranked(scenarios)
    reference = next((s for s in scenarios if s.status == "ok" and not s.is_rail), None)
    out: dict[str, Any] = {
        "question": text(lang, "question"),
        "answer": verdict(scenarios, lang),
        "reference": text(lang, "reference", title=reference.title_in(lang))
        if reference else None,
        "ranking": None, "payers": None, "uncertainty": [], "breakeven": None,
    }
    if not options:
        return out
    first = options[0]
    out["ranking_note"] = text(
        lang, "ranking_note", period=years(first.setting("appraisal", "period_years"), lang),
        rate=f.rate(first.setting("appraisal", "discount_rate")),
        price_year=str(first.setting("costs", "price_year") or "–"))
    differ = [text(lang, "price_year_noun" if key == "a_price_year" else key).lower()
              for key, path in COMPARABLE_BASIS
              if len({repr(s.setting(*path)) for s in options}) > 1]
    if differ:
        # the note above states the first option's basis; a reader must not take it for all
        out["ranking_note"] = text(lang, "ranking_mixed", settings=", ".join(differ))
    columns = [Column(text(lang, "col_rank")), Column(text(lang, "col_option")),
               Column(text(lang, "col_npv"), "n"), Column(text(lang, "col_prob"), "n"),
               Column(text(lang, "col_capex"), "n"),
               Column(text(lang, "col_passengers_range"), "n"),
               Column(text(lang, "col_subsidy"), "n")]
    rows = []
    for rank, s in enumerate(options, 1):
        npv = s.values["npv_societal_eur"]
        p10, p90 = s.stat("npv_societal_eur", "p10"), s.stat("npv_societal_eur", "p90")
        pax = s.stat("passengers_daily") or s.values.get("passengers_daily")
        rows.append([
            str(rank), s.title_in(lang),
            f.range(f.meur_cell(npv, 0), f.meur_cell(p10, 0) if p10 is not None else None,
                    f.meur_cell(p90, 0) if p90 is not None else None),
            probability_short(s, lang), f.meur_cell(s.values.get("capex_total_eur")),
            f.count(pax),
            numfmt.number(s.values.get("subsidy_per_passenger_eur", float("nan")), 1, lang)])
    out["ranking"] = (columns, rows)
    out["payers"] = _payers(options, lang)
    rule = first.setting("appraisal", "subsidy_split") or "boardings"
    out["payers_note"] = text(
        lang, "payers_note", rate=f.rate(first.setting("appraisal", "discount_rate")),
        rule=text(lang, f"rule_{rule}") if f"rule_{rule}" in _KEYS else rule)
    out["uncertainty"] = uncertainty_sentences(first, lang)
    out["breakeven"] = _breakeven(options, lang)
    return out



def _payers(options: Sequence[ScenarioFacts], lang: str) -> Table:
    """Payer × option, a year: the state's infrastructure (annuity and extra maintenance,
    less track charges) and each municipality's share of the purchased train service
    (operating deficit and the trains' annuity). The two do not overlap: the trains are
    the municipalities', the track the state's, so the total is the public's yearly cost."""
    f = Format(lang)
    municipalities = sorted({m for s in options for m in s.municipal_subsidy})
    columns = [Column(""), *(Column(f"#{k}", "n") for k in range(1, len(options) + 1))]
    state = [s.stat("state_infrastructure_annual_eur") for s in options]
    rows = [[text(lang, "payer_state"), *(f.meur_cell(v) for v in state)]]
    for m in municipalities:
        rows.append([text(lang, "payer_municipality", name=m),
                     *(f.meur_cell(s.municipal_subsidy.get(m)) for s in options)])
    totals = [_sum_or_none([s.stat("state_infrastructure_annual_eur"),
                            *s.municipal_subsidy.values()]) for s in options]
    rows.append([text(lang, "payer_total"), *(f.meur_cell(v) for v in totals)])
    return columns, rows


def _breakeven(options: Sequence[ScenarioFacts], lang: str) -> Table | None:
    f = Format(lang)
    rows = []
    for rank, s in enumerate(options, 1):
        be = s.break_even
        if be is None:
            continue
        riders = (text(lang, "be_riders", count=f.count(be.passengers_daily),
                       factor=numfmt.number(be.ridership_factor, 1, lang))
                  if be.passengers_daily is not None and be.ridership_factor is not None
                  else text(lang, "be_none"))
        capex = (f.meur(numfmt.about(be.capex_eur)) if be.capex_eur is not None
                 else text(lang, "be_capex_none", npv=f.meur(be.npv_without_investment_eur)))
        fare = (text(lang, "be_fare", fare=f.eur(be.fare_eur), now=f.eur(be.fare_now_eur))
                if be.fare_eur is not None and be.fare_now_eur is not None else "–")
        rows.append([f"#{rank}", riders, capex, fare])
    if not rows:
        return None
    columns = [Column(text(lang, "col_option")), Column(text(lang, "col_be_riders"), "r"),
               Column(text(lang, "col_be_capex"), "r"), Column(text(lang, "col_be_fare"), "r")]
    return columns, rows


def effects_by_party(frame: Any, lang: str) -> Table:
    """effects.csv summed by party (users, producers, public sector, externalities) and in
    all: the head of an option's effects page in the annex (:func:`effects_table` rows
    follow)."""
    totals: dict[str, float] = {}
    for record in frame.to_dict("records"):
        value = record.get("pv_eur")
        if numfmt.is_number(value):
            party = str(record.get("party", ""))
            totals[party] = totals.get(party, 0.0) + float(value)
    columns = [Column(text(lang, "col_party")), Column(text(lang, "col_pv_eur"), "n")]
    rows = [[text(lang, key) if (key := f"party_{party}") in _KEYS else party,
             numfmt.number(value / 1e6, 1, lang)] for party, value in totals.items()]
    rows.append([text(lang, "effects_total"),
                 numfmt.number(sum(totals.values()) / 1e6, 1, lang)])
    return columns, rows


def effects_table(frame: Any, lang: str) -> Table:
    """effects.csv in the reader's language: party, on whom it falls, the effect, its present
    value in M€ and its place in the benefit–cost ratio, then the sum (the societal NPV).

    Each effect id has a text in both languages; an id without one (a newer effects.csv)
    shows its English description rather than a raw id.
    """
    def said(prefix: str, value: object, fallback: object = None) -> str:
        key = f"{prefix}_{str(value).replace(' ', '_')}"
        return text(lang, key) if key in _KEYS else str(fallback if fallback is not None
                                                        else value)

    columns = [Column(text(lang, "col_party")), Column(text(lang, "col_payer")),
               Column(text(lang, "col_effect")), Column(text(lang, "col_pv_eur"), "n"),
               Column(text(lang, "col_in_bcr"))]
    rows, total = [], 0.0
    for record in frame.to_dict("records"):
        value = record.get("pv_eur")
        if numfmt.is_number(value):
            total += float(value)
        rows.append([said("party", record.get("party", "")),
                     said("falls_on", record.get("payer", "")),
                     said("effect", record.get("effect", ""), record.get("description")),
                     numfmt.number(value / 1e6, 1, lang) if numfmt.is_number(value) else "–",
                     said("in_bcr", record.get("in_bcr", ""))])
    rows.append([text(lang, "effects_total"), "", "", numfmt.number(total / 1e6, 1, lang), ""])
    return columns, rows


def generic_table(frame: Any, lang: str) -> Table:
    """A result table shown as it is (effects.csv, validation.csv): headers from the
    catalogue (``col_<column>``), money columns in M€, numbers in the language's format."""
    columns, formats = [], []
    for name in frame.columns:
        key = f"col_{name}"
        label = text(lang, key) if key in _KEYS else str(name)
        money = str(name).endswith("_eur")
        numeric = frame[name].dtype.kind in "if"
        columns.append(Column(label, "n" if numeric else ""))
        formats.append((money, numeric))
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for value, (money, numeric) in zip(record, formats, strict=True):
            if numeric and numfmt.is_number(value):
                cells.append(numfmt.number(value / 1e6, 1, lang) if money
                             else numfmt.number(value, numfmt.auto_decimals(value), lang))
            else:
                key = f"party_{value}"
                cells.append(text(lang, key) if key in _KEYS else str(value))
        rows.append(cells)
    return columns, rows


LEAN = 1.25
"""Held-out counts all predicted this many times too low (or too high), at least, say
which way the options' forecasts may lean; within it they say nothing of a direction."""


def back_cast_check(frame: Any, lang: str) -> str:
    """The summary's sentence on the back-casts: the ratios of predicted to observed
    passengers at the counts the model was fitted to and at those it was not."""
    if "use" not in frame or "ratio" not in frame:
        return ""

    def ratios(use: str) -> list[float]:
        return [float(r) for r in frame.loc[frame["use"] == use, "ratio"]
                if numfmt.is_number(r)]

    def span(values: list[float]) -> str:
        if not values:
            return "–"
        low, high = min(values), max(values)
        return (numfmt.number(low, 2, lang) if low == high
                else f"{numfmt.number(low, 2, lang)}–{numfmt.number(high, 2, lang)}")

    fitted, held = ratios("calibration"), ratios("held_out")
    if not fitted or not held:  # the sentence compares the two: both are needed
        return ""
    said = text(lang, "back_cast_check", fitted=span(fitted), held=span(held))
    if max(held) < 1 / LEAN:
        said += " " + text(lang, "back_cast_low")
    elif min(held) > LEAN:
        said += " " + text(lang, "back_cast_high")
    return said


def validation_table(frame: Any, lang: str) -> Table:
    """validation.csv (a back-cast's or the batch's) as a reader sees it: station, year,
    observed and predicted passengers a year, their ratio, whether the count was fitted
    and what was counted (ids and sources stay in the file)."""
    columns = [Column(text(lang, "col_station"), ""), Column(text(lang, "col_year"), "n"),
               Column(text(lang, "col_observed"), "n"), Column(text(lang, "col_predicted"), "n"),
               Column(text(lang, "col_ratio"), "n"), Column(text(lang, "col_count_use"), ""),
               Column(text(lang, "col_definition"), "")]
    rows = []
    for record in frame.to_dict("records"):
        use, counted = str(record.get("use", "")), str(record.get("definition", ""))
        rows.append([
            str(record.get("station_name") or record.get("station")
                or record.get("station_id", "")),
            str(int(record["year"])) if numfmt.is_number(record.get("year")) else "–",
            numfmt.number(record["observed"], 0, lang)
            if numfmt.is_number(record.get("observed")) else "–",
            numfmt.number(_about(float(record["predicted"])), 0, lang)
            if numfmt.is_number(record.get("predicted")) else "–",
            numfmt.number(record["ratio"], 2, lang)
            if numfmt.is_number(record.get("ratio")) else "–",
            text(lang, f"count_{use}") if f"count_{use}" in _KEYS else use,
            text(lang, f"counted_{counted}") if f"counted_{counted}" in _KEYS else counted])
    return columns, rows


def _about(value: float) -> float:
    """A predicted count without invented precision: to tens from 1 000 up."""
    return round(value, -1) if abs(value) >= 1000 else round(value)


def sheet(facts: ScenarioFacts, number: int, charts: Charts, lang: str,
          computed: datetime.date | None) -> dict[str, Any]:
    """One option's page: key figures, the plain-words sentences, three charts."""
    f = Format(lang)
    v = facts.values

    def stat(name: str, how: Callable[[float | None], str]) -> str:
        value = facts.stat(name) if facts.stat(name) is not None else v.get(name)
        lo, hi = facts.stat(name, "p10"), facts.stat(name, "p90")
        return f.range(how(value), how(lo) if lo is not None else None,
                       how(hi) if hi is not None else None)

    figures = [
        # the renewal the do-minimum pays anyway is in the total but not in the appraisal
        (text(lang, "kf_capex"), f.meur(v.get("capex_total_eur")) + (
            "" if facts.stat("capex_incremental_eur") is None else " " + text(
                lang, "kf_capex_incremental",
                amount=f.meur(facts.stat("capex_incremental_eur"))))),
        (text(lang, "kf_npv"), stat("npv_societal_eur", f.meur)),
        (text(lang, "kf_opex"), f.meur(v.get("opex_annual_eur"))),
        (text(lang, "kf_npv_fin"), f.meur(v.get("npv_financial_eur"))),
        (text(lang, "kf_revenue"), f.meur(v.get("revenue_annual_eur"))),
        (text(lang, "kf_bcr"), f.ratio(v.get("bcr"))),
        (text(lang, "kf_subsidy"), f.meur(facts.stat("subsidy_annual_eur"))),
        (text(lang, "kf_prob"), probability_short(facts, lang)),
        (text(lang, "kf_subsidy_trip"), f.eur(v.get("subsidy_per_passenger_eur"))),
        (text(lang, "kf_punctuality"), f.pct(v.get("punctuality_3min_pct"))),
        (text(lang, "kf_passengers"), stat("passengers_daily", f.count)),
        (text(lang, "kf_units"), f.count(v.get("units_required"), about=False)),
        (text(lang, "kf_annual"), f.count(v.get("passengers_annual"))),
        (text(lang, "kf_train_km"), f.count(v.get("train_km_annual"))),
    ]
    shares = facts.municipal_subsidy
    if shares:
        figures.append((text(lang, "kf_municipalities"),
                        ", ".join(f"{m} {f.meur(x)}" for m, x in sorted(shares.items()))))
    mine = charts
    out = {
        "id": f"sheet-{facts.name}", "number": number, "title": facts.title_in(lang),
        "error": facts.error,
        "figures": figures,
        "words": sentences(facts, lang),
        "charts": {name: mine.get(name, {}).get(lang) for name in SHEET_CHARTS},
        "computed": text(lang, "computed", date=_date(computed, lang) if computed else "–",
                         fingerprint=facts.fingerprint or "–"),
        "validation": validation_table(facts.tables["validation"], lang)
        if "validation" in facts.tables else None,
    }
    return out


COMPARISON = (  # KPI (summary.csv column) → (header key, how to format it)
    ("capex_total_eur", "col_capex", "meur"),
    # rounded as the ranking and the sheets round it (two significant digits), so one
    # option's weekday passengers read the same number everywhere in the report
    ("passengers_daily", "col_passengers", "count"),
    ("subsidy_per_passenger_eur", "col_subsidy", "one"),
    ("farebox_ratio", "col_farebox", "int"),  # already in per cent (facts.SHARE_KPIS)
    ("npv_financial_eur", "col_npv_financial", "meur0"),
    ("npv_societal_eur", "col_npv_societal", "meur0"),
    ("bcr", "col_bcr", "ratio"),
    ("punctuality_3min_pct", "col_punctuality", "one"),
    ("units_required", "col_units", "int"),
)
STATUS_KEYS = {"ok": "status_ok", "failed": "status_failed", "skipped": "status_skipped"}


def _cell(value: float | None, how: str, lang: str) -> str:
    if value is None:
        return "–"
    if how in ("meur", "meur0"):
        return numfmt.number(value / 1e6, 1 if how == "meur" else 0, lang)
    if how == "ratio":
        return numfmt.number(value, 2, lang)
    if how == "count":
        return Format(lang).count(value)
    return numfmt.number(value, 1 if how == "one" else 0, lang)


def comparison(scenarios: Sequence[ScenarioFacts], lang: str) -> Table:
    """Headline numbers, one row per scenario, only the columns some scenario has."""
    present = [c for c in COMPARISON if any(c[0] in s.values for s in scenarios)]
    columns = [Column(text(lang, "col_scenario")), Column(text(lang, "col_status")),
               *(Column(text(lang, key), "n") for _, key, _ in present)]
    rows = []
    for s in scenarios:
        status = text(lang, STATUS_KEYS[s.status]) if s.status in STATUS_KEYS else s.status
        rows.append([s.title_in(lang), status,
                     *(_cell(s.values.get(col), how, lang) for col, _, how in present)])
    return columns, rows


COMPARABLE_BASIS = (("a_price_year", ("costs", "price_year")),
                    ("a_opening", ("appraisal", "opening_year")),
                    ("a_period", ("appraisal", "period_years")),
                    ("a_rate", ("appraisal", "discount_rate")),
                    ("a_tax", ("appraisal", "tax_factor")),
                    ("a_growth", ("appraisal", "unit_value_growth")))
"""Settings that must be the same for net present values to be compared (label key,
path in the resolved scenario)."""


def assumptions(scenarios: Sequence[ScenarioFacts], lang: str) -> list[tuple[str, str]]:
    """The settings a reader must know, of the ranked options (else any scenario): one
    value when they share it, else each value with the ranks of the options that use it."""
    f = Format(lang)
    options = ranked(scenarios) or [s for s in scenarios if s.resolved]
    if not options:
        return []

    def rule(s: ScenarioFacts) -> str:
        split = s.setting("appraisal", "subsidy_split")
        return text(lang, f"rule_{split}") if f"rule_{split}" in _KEYS else "–"

    shown = [
        ("a_price_year", lambda s: str(s.setting("costs", "price_year") or "–")),
        ("a_opening", lambda s: str(s.setting("appraisal", "opening_year") or "–")),
        ("a_period", lambda s: years(s.setting("appraisal", "period_years"), lang)),
        ("a_rate", lambda s: f.rate(s.setting("appraisal", "discount_rate"))),
        ("a_tax", lambda s: numfmt.number(s.setting("appraisal", "tax_factor")
                                          or float("nan"), 2, lang)),
        ("a_growth", lambda s: f.rate(s.setting("appraisal", "unit_value_growth"))),
        ("a_draws", lambda s: f.count(s.setting("uncertainty", "draws"), about=False)),
        ("a_replications", lambda s: f.count(s.setting("simulation", "replications"),
                                             about=False)),
        ("a_split", rule),
    ]
    ranks = len(ranked(scenarios)) == len(options)
    out = []
    for key, value_of in shown:
        by_value: dict[str, list[int]] = {}
        for number, s in enumerate(options, 1):
            by_value.setdefault(value_of(s), []).append(number)
        if len(by_value) == 1 or not ranks:
            value = next(iter(by_value))
        else:
            value = "; ".join(f"{v} ({', '.join(f'#{n}' for n in numbers)})"
                              for v, numbers in by_value.items())
        out.append((text(lang, key), value))
    return [(label, value) for label, value in out if value not in ("", "None")]


def uncertain_inputs(scenarios: Sequence[ScenarioFacts], lang: str) -> Table | None:
    options = ranked(scenarios)
    items = options[0].setting("uncertainty", "inputs") if options else None
    if not items:
        return None
    rows = [[input_name(str(i.get("target")), lang),
             text(lang, f"mode_{i.get('mode', 'multiply')}")
             if f"mode_{i.get('mode', 'multiply')}" in _KEYS else str(i.get("mode")),
             distribution(i.get("distribution"), lang)] for i in items if isinstance(i, dict)]
    return [Column(text(lang, "col_input")), Column(""),
            Column(text(lang, "col_distribution"))], rows


def sources(tables: Sequence[TableProvenance], lang: str) -> Table:
    from railsim.data import STATUSES

    columns = [Column(text(lang, "col_table")), Column(text(lang, "col_rows"), "n"),
               *(Column(s, "n") for s in STATUSES)]
    rows = []
    for t in tables:
        if t.error:
            rows.append([t.path, text(lang, "data_error", error=t.error),
                         *("" for _ in STATUSES)])
        else:
            rows.append([t.path, str(sum(t.counts.values())),
                         *(str(t.counts.get(s, 0)) for s in STATUSES)])
    return columns, rows


def record(tables: Sequence[TableProvenance], lang: str) -> Table | None:
    """Every ESTIMATE and ASSUMPTION row of the data, quoted (in the data's language)."""
    rows = [[t.path, j["row"], j["status"], j["source"], j["notes"]]
            for t in tables for j in t.judgement]
    if not rows:
        return None
    return [Column(text(lang, "col_table")), Column(text(lang, "col_row")), Column("status"),
            Column(text(lang, "col_source")), Column(text(lang, "col_notes"))], rows

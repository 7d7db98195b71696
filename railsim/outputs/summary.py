"""summary.csv's number columns and the files of the batch folder."""

from __future__ import annotations

from dataclasses import dataclass

from railsim.outputs.declarations import CHARTS, ResultFile
from railsim.outputs.declarations import column as _c
from railsim.outputs.files import VALIDATION_COLUMNS


@dataclass(frozen=True)
class SummaryColumn:
    """A number column of summary.csv: which KPI statistic, scaled to which unit.

    ``statistic`` is a kpis.csv statistic; ``versus_do_minimum`` makes the column the
    scenario's value minus the value of the batch's do-minimum (empty without one).
    ``headline`` marks the column that stands for its KPI where charts and the report
    read summary.csv back (its central value, or the mean where the KPI has no central
    value).
    """

    name: str
    kpi: str
    statistic: str
    scale: float
    unit: str
    description: str
    headline: bool = True
    versus_do_minimum: bool = False

    @property
    def basis(self) -> str:
        if self.versus_do_minimum:
            return "difference to the do-minimum"
        return {"value": "central", "mean": "mean", "p10": "10th percentile",
                "p90": "90th percentile"}[self.statistic]


SUMMARY_SIGNIFICANT_DIGITS = 3
"""summary.csv rounds its numbers to three significant digits: the inputs (unit costs,
demand, the model's constants) are not known better, and more digits would pretend they
were (kpis.csv keeps full precision)."""

_MEUR = "M EUR ({price_year})"
_DRAWS = "over the uncertainty draws"
SUMMARY_NUMBERS: tuple[SummaryColumn, ...] = (
    SummaryColumn("npv_societal_meur", "npv_societal_eur", "value", 1e-6, _MEUR,
                  "Societal net present value, central estimate (already the difference "
                  "to the do-minimum, which has 0 by construction)."),
    SummaryColumn("npv_societal_mean_meur", "npv_societal_eur", "mean", 1e-6, _MEUR,
                  f"Societal net present value, mean {_DRAWS}.", headline=False),
    SummaryColumn("npv_societal_p10_meur", "npv_societal_eur", "p10", 1e-6, _MEUR,
                  f"Societal net present value, 10th percentile {_DRAWS}.", headline=False),
    SummaryColumn("npv_societal_p90_meur", "npv_societal_eur", "p90", 1e-6, _MEUR,
                  f"Societal net present value, 90th percentile {_DRAWS}.", headline=False),
    SummaryColumn("prob_npv_societal_positive_pct", "prob_npv_societal_positive", "value",
                  100.0, "%", "Share of the uncertainty draws with a positive societal NPV."),
    SummaryColumn("bcr", "bcr", "value", 1.0, "ratio",
                  "Benefit–cost ratio (Finnish definition), central estimate; empty "
                  "without an incremental infrastructure investment (the back-casts)."),
    SummaryColumn("bcr_public_cost", "bcr_public_cost", "value", 1.0, "ratio",
                  "Benefits to users and third parties per euro of net public cost, "
                  "central estimate; empty without a net public cost."),
    SummaryColumn("npv_financial_meur", "npv_financial_eur", "value", 1e-6, _MEUR,
                  "Financial net present value (operator and public budget), central "
                  "estimate, incremental to the do-minimum."),
    SummaryColumn("capex_meur", "capex_total_eur", "value", 1e-6, _MEUR,
                  "Investment of the option, contingency included (undiscounted)."),
    SummaryColumn("capex_vs_do_minimum_meur", "capex_incremental_eur", "value", 1e-6, _MEUR,
                  "Investment minus what the do-minimum spends anyway on the kept freight "
                  "lines (the renewal it avoids).", headline=False),
    SummaryColumn("opex_meur_per_year", "opex_annual_eur", "value", 1e-6,
                  "M EUR/yr ({price_year})", "Train operating cost in a full year."),
    SummaryColumn("revenue_meur_per_year", "revenue_annual_eur", "value", 1e-6,
                  "M EUR/yr ({price_year})", "Fare revenue in a full year."),
    SummaryColumn("subsidy_eur_per_trip", "subsidy_per_passenger_eur", "value", 1.0,
                  "EUR/trip ({price_year})", "Public subsidy per train trip (operating "
                  "deficit over trips)."),
    SummaryColumn("farebox_ratio_pct", "farebox_ratio", "value", 100.0, "%",
                  "Fare revenue over operating cost."),
    SummaryColumn("train_trips_per_weekday", "passengers_daily", "value", 1.0,
                  "trips/weekday", "Train trips on an average weekday, central estimate."),
    SummaryColumn("train_trips_per_weekday_mean", "passengers_daily", "mean", 1.0,
                  "trips/weekday", f"Train trips on an average weekday, mean {_DRAWS}.",
                  headline=False),
    SummaryColumn("train_trips_per_weekday_vs_do_minimum", "passengers_daily", "value", 1.0,
                  "trips/weekday", "Train trips on an average weekday minus the "
                  "do-minimum's.", headline=False, versus_do_minimum=True),
    SummaryColumn("train_trips_per_year", "passengers_annual", "value", 1.0, "trips/yr",
                  "Train trips in a full year."),
    SummaryColumn("passenger_km_per_year", "passenger_km_annual", "value", 1.0, "pkm/yr",
                  "Passenger-kilometres by train in a full year."),
    SummaryColumn("punctuality_3min_mean_pct", "punctuality_3min_pct", "mean", 1.0, "%",
                  "Trains arriving less than 3 min late, mean over the simulated days."),
    SummaryColumn("units_required", "units_required", "value", 1.0, "units",
                  "Train units to buy, reserve included."),
    SummaryColumn("train_km_per_year", "train_km_annual", "value", 1.0, "train-km/yr",
                  "Train-kilometres in a full year."),
    SummaryColumn("train_km_per_year_vs_do_minimum", "train_km_annual", "value", 1.0,
                  "train-km/yr", "Train-kilometres in a full year minus the do-minimum's.",
                  headline=False, versus_do_minimum=True),
)
"""The number columns of summary.csv, in order, after the text columns and the rank."""

SUMMARY_KPIS = tuple(dict.fromkeys(c.kpi for c in SUMMARY_NUMBERS))
"""The KPIs summary.csv draws on."""

_SUMMARY_NUMBER_COLUMNS = tuple(
    _c(c.name, "float", c.unit, f"{c.description} Statistic: {c.basis}; KPI `{c.kpi}`.")
    for c in SUMMARY_NUMBERS)

BATCH_FILES: dict[str, ResultFile] = {
    f.name: f
    for f in [
        # -- batch folder --------------------------------------------------------------
        ResultFile(
            "summary.csv", "batch", "batch",
            "One row per scenario of the batch, in input order, with its headline KPIs "
            "rounded to three significant digits, the unit in each column name (meur: "
            "million euros; _pct: per cent) and the statistic too where it is not the "
            "central estimate (_mean, _p10, _p90 over the uncertainty draws or simulated "
            "days; _vs_do_minimum: difference to the batch's do-minimum). Empty where a "
            "scenario lacks a KPI. summary.xlsx holds the same table and the column list.",
            "a scenario",
            (
                _c("scenario", "str", "", "Scenario name (its result folder)."),
                _c("title", "str", "", "Scenario title."),
                _c("status", "str", "",
                   "`ok` or `failed`; a scenario a rerun skipped (unchanged) keeps `ok` and "
                   "its earlier numbers."),
                _c("role", "str", "",
                   "`do-minimum` (no train service: the reference every option is "
                   "appraised against), `option`, or `back-cast` (today's service at the "
                   "operator's observed fares, `demand.fares.policy: observed`: a check of "
                   "the model against counts, neither ranked nor compared with the "
                   "options); empty for a scenario that failed before it was resolved."),
                _c("rank_npv_societal", "int", "",
                   "Rank of the option by its central societal NPV among the options that "
                   "ran (1 = best; equal NPVs share a rank). Empty for the do-minimum, "
                   "whose NPV is 0 by construction (an option with a negative NPV is "
                   "worse than doing nothing), and for the back-casts, which are not "
                   "options."),
                _c("price_year", "int", "",
                   "Year of the euros in the row's money columns (the scenario's cost "
                   "index level: its costs.price_year, or the index's last year when that "
                   "is later). Options and back-casts of past years may differ; empty for "
                   "a scenario that failed."),
                *_SUMMARY_NUMBER_COLUMNS,
            ),
        ),
        ResultFile(
            "summary.xlsx", "batch", "batch",
            "summary.csv for Excel: sheet `summary` (the same rows and columns, numbers as "
            "numbers), sheet `columns` (each column's unit, statistic and meaning)."),
        ResultFile(
            "validation.csv", "batch", "batch",
            "The rows of every scenario's validation.csv, in input order: the back-casts of "
            "existing services against the observed station counts (empty where no scenario "
            "has counts).",
            "a station count of one scenario",
            (_c("scenario", "str", "", "Scenario name (its result folder)."),
             *VALIDATION_COLUMNS),
        ),
        ResultFile(
            "report.fi.html", "batch", "report",
            "The report in Finnish, one self-contained file (charts inline, no scripts): "
            "executive summary, one A4 sheet per option, comparison and assumptions, "
            "annex (`railsim report DIR` rebuilds it)."),
        ResultFile(
            "report.en.html", "batch", "report",
            "The same report in English."),
        ResultFile(
            "report.html", "batch", "report",
            "A small page linking the two language documents."),
        ResultFile(
            "report.fi.pdf", "batch", "pdf",
            "report.fi.html printed to A4 from its print style sheet."),
        ResultFile(
            "report.en.pdf", "batch", "pdf",
            "report.en.html printed to A4 from its print style sheet."),
        ResultFile(CHARTS, "batch", "charts",
                   "Comparison charts from summary.csv, and the back-casts' predicted "
                   "against observed passengers from validation.csv, as files "
                   "(`<chart>.png` and `.svg` English, `<chart>.fi.png` and `.fi.svg` "
                   "Finnish)."),
    ]
}



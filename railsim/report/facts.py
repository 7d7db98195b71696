"""What the report says about each scenario: headline numbers and plain-words sentences.

Numbers come from the scenario's kpis.csv, with its row of summary.csv filling gaps,
so a folder with either one still gets its summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from railsim import numfmt
from railsim.results import headline_kpis, read_result_table
from railsim.texts import text

if TYPE_CHECKING:
    import pandas as pd

SHARE_KPIS = ("farebox_ratio", "prob_npv_societal_positive")
"""KPIs that are a fraction (0–1) unless their unit says per cent."""


@dataclass
class ScenarioFacts:
    """One scenario folder as the report sees it."""

    name: str
    title: str
    status: str
    folder: Path
    error: str = ""
    values: dict[str, float] = field(default_factory=dict)


def _share_pct(value: float, unit: str) -> float:
    return value if "%" in unit or "pct" in unit else value * 100


def _from_summary(row: pd.Series | None) -> dict[str, float]:
    if row is None:
        return {}
    return {str(k): float(v) for k, v in row.items()
            if k not in ("scenario", "title", "status") and numfmt.is_number(v)}


def scenario_names(out_dir: Path, summary: pd.DataFrame | None) -> list[str]:
    """Scenarios in summary.csv order, then any other result folders found, by name."""
    listed = [str(s) for s in summary["scenario"]] if summary is not None else []
    found = sorted(p.name for p in out_dir.iterdir() if p.is_dir()
                   and not p.name.startswith(".") and p.name != "charts"
                   and any((p / f).exists() for f in ("kpis.csv", "error.txt",
                                                      "scenario.resolved.yaml")))
    return listed + [name for name in found if name not in listed]


def scenario_facts(out_dir: Path, name: str, summary: pd.DataFrame | None) -> ScenarioFacts:
    """The numbers, status and error of one scenario."""
    folder = out_dir / name
    row = None
    if summary is not None:
        rows = summary[summary["scenario"].astype(str) == name]
        row = rows.iloc[0] if len(rows) else None
    title = row.get("title") if row is not None else None
    error_file = folder / "error.txt"
    error = error_file.read_text(encoding="utf-8", errors="replace") if error_file.is_file() \
        else ""
    status = str(row["status"]) if row is not None and isinstance(row.get("status"), str) \
        else ("failed" if error else "ok")
    values = _from_summary(row)
    kpis = read_result_table(folder / "kpis.csv")
    if kpis is not None:
        for variable, (value, unit) in headline_kpis(kpis).items():
            values[variable] = _share_pct(value, unit) if variable in SHARE_KPIS else value
    for variable in SHARE_KPIS:  # summary.csv has no units: its shares are fractions
        if variable in values and (kpis is None or variable not in headline_kpis(kpis)):
            values[variable] *= 100
    if not (isinstance(title, str) and title):
        title = _resolved_title(folder) or name
    return ScenarioFacts(name, title, status, folder, error, values)


def _resolved_title(folder: Path) -> str | None:
    """The scenario's own title, for runs that wrote no summary.csv."""
    import yaml

    try:
        loaded = yaml.safe_load((folder / "scenario.resolved.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    title = loaded.get("title") if isinstance(loaded, dict) else None
    return title if isinstance(title, str) and title.strip() else None


def sentences(facts: ScenarioFacts, lang: str) -> list[str]:
    """Plain-words statements for a non-expert, one per headline number that exists."""
    v = facts.values
    if facts.status == "failed" or (facts.error and not v):
        return [text("failed", lang)]
    if not v:
        return [text("no_results", lang)]
    if v.get("train_km_annual") == 0 and not v.get("passengers_daily"):
        return [text("do_minimum", lang)]
    out: list[str] = []

    def say(key: str, *needs: str, **formatted: str) -> None:
        if all(n in v for n in needs):
            out.append(text(key, lang, **formatted))

    def num(name: str, decimals: int = 0) -> str:
        return numfmt.number(v.get(name, float("nan")), decimals, lang)

    say("capex", "capex_total_eur",
        capex=numfmt.meur(numfmt.about(v.get("capex_total_eur", 0.0)), lang))
    daily = numfmt.number(numfmt.about(v.get("passengers_daily", 0.0)), 0, lang)
    if "passengers_annual" in v:
        say("passengers_annual", "passengers_daily", daily=daily,
            annual=numfmt.number(numfmt.about(v["passengers_annual"]), 0, lang))
    else:
        say("passengers", "passengers_daily", daily=daily)
    subsidy = v.get("subsidy_per_passenger_eur")
    if subsidy is not None:
        key = "subsidy" if subsidy >= 0 else "surplus"
        out.append(text(key, lang, subsidy=numfmt.eur(abs(subsidy), lang)))
    say("opex_revenue", "opex_annual_eur", "revenue_annual_eur",
        opex=numfmt.meur(v.get("opex_annual_eur", 0.0), lang),
        revenue=numfmt.meur(v.get("revenue_annual_eur", 0.0), lang))
    if "revenue_annual_eur" not in v:
        say("opex", "opex_annual_eur", opex=numfmt.meur(v.get("opex_annual_eur", 0.0), lang))
    say("farebox", "farebox_ratio", pct=numfmt.percent(v.get("farebox_ratio", 0.0), lang))
    bcr = v.get("bcr")
    if bcr is not None:
        share = bcr * 100 if bcr < 1 else (bcr - 1) * 100
        key = "bcr_negative" if bcr < 0 else "bcr_below" if bcr < 1 else "bcr_above"
        out.append(text(key, lang, bcr=numfmt.number(bcr, 2 if bcr < 1 else 1, lang),
                        pct=numfmt.percent(share, lang)))
    npv = numfmt.meur(v.get("npv_societal_eur", float("nan")), lang)
    if "prob_npv_societal_positive" in v:
        say("npv_societal_prob", "npv_societal_eur", npv=npv,
            prob=numfmt.percent(v["prob_npv_societal_positive"], lang))
    else:
        say("npv_societal", "npv_societal_eur", npv=npv)
    say("npv_financial", "npv_financial_eur",
        npv=numfmt.meur(v.get("npv_financial_eur", float("nan")), lang))
    say("punctuality", "punctuality_3min_pct",
        pct=numfmt.percent(v.get("punctuality_3min_pct", 0.0), lang))
    say("units", "units_required", "train_km_annual", units=num("units_required"),
        train_km=numfmt.number(numfmt.about(v.get("train_km_annual", 0.0)), 0, lang))
    return out

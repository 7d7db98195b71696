"""The plain-words reading of results: chance in words, the verdict, what matters most.

Every sentence is built from the numbers of the result folder (ScenarioFacts), so the
executive summary says what the tables say, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from railsim import numfmt
from railsim.report.facts import ScenarioFacts
from railsim.report.strings import text
from railsim.texts.names import input_name

MEDIAN_GAP = 0.02
"""A median of the draws further than this share from the base case gets explained."""


def _draws(facts: ScenarioFacts) -> int | None:
    draws = facts.setting("uncertainty", "draws")
    return int(draws) if isinstance(draws, int | float) else None


def _chance(prob_pct: float) -> str:
    """Which wording a chance (in per cent) gets."""
    if prob_pct <= 0:
        return "none"
    if prob_pct < 1:
        return "rare"
    if prob_pct >= 100:
        return "all"
    return "most" if prob_pct > 99 else "some"


def probability_sentence(facts: ScenarioFacts, lang: str) -> str | None:
    """'In none of the 10 000 uncertainty draws …', or None without draws."""
    prob = facts.values.get("prob_npv_societal_positive")
    if prob is None:
        return None
    draws = _draws(facts)
    wording = _chance(prob)
    if draws == 1 and wording in ("none", "all"):  # "in all 1 draws" reads wrong
        wording += "_one"
    return text(lang, f"prob_{wording}",
                draws=numfmt.number(draws, 0, lang) if draws else "",
                pct=numfmt.percent(prob, lang))


def probability_short(facts: ScenarioFacts, lang: str) -> str:
    """The chance of a positive NPV for a table cell: 'never', 'below 1 %', '12 %'."""
    prob = facts.values.get("prob_npv_societal_positive")
    if prob is None:
        return "–"
    wording = _chance(prob)
    if wording in ("none", "rare", "most"):
        return text(lang, f"prob_short_{wording}")
    return numfmt.percent(prob, lang)


def ranked(scenarios: Sequence[ScenarioFacts]) -> list[ScenarioFacts]:
    """Rail options with a societal NPV, best first."""
    rail = [f for f in scenarios if f.is_rail and "npv_societal_eur" in f.values]
    return sorted(rail, key=lambda f: -f.values["npv_societal_eur"])


def verdict(scenarios: Sequence[ScenarioFacts], lang: str) -> list[str]:
    """The answer in two or three sentences: does any option pay, what it costs a year."""
    options = ranked(scenarios)
    if not options:
        return [text(lang, "verdict_no_rail")]
    best = options[0]
    npv = best.values["npv_societal_eur"]
    paying = [f for f in options if f.values["npv_societal_eur"] > 0]
    out = [text(lang, verdict_key(len(paying), len(options)), k=str(len(paying)),
                n=str(len(options)), best=best.title_in(lang),
                npv=numfmt.meur(npv if paying else abs(npv), lang))]
    subsidies = sorted(value for f in options
                       if (value := f.stat("subsidy_annual_eur")) is not None)
    if subsidies and subsidies[-1] > 0:
        low, high = (numfmt.meur(numfmt.about(v), lang) for v in (subsidies[0], subsidies[-1]))
        if low == high:
            out.append(text(lang, "verdict_subsidy_one", low=low))
        else:
            # one unit for the range: "1,2–5,4 M€", not "1,2 M€–5,4 M€"
            unit = numfmt.NBSP + "M€"
            both = low.endswith(unit) and subsidies[0] >= 0
            out.append(text(lang, "verdict_subsidy",
                            low=low.removesuffix(unit) if both else low, high=high))
    return out


def verdict_key(paying: int, options: int) -> str:
    """The verdict's wording for ``paying`` of ``options`` rail options worth it: the
    numbers agree with their words ("1 of the 5 … is", "Neither of the two", "kumpikaan",
    "yksi … on kannattava", "kaikki … ovat kannattavia").

    >>> [verdict_key(k, n) for k, n in ((0, 1), (1, 1), (0, 2), (1, 2), (2, 2))]
    ['verdict_one', 'verdict_one_pays', 'verdict_none_two', 'verdict_some_one', 'verdict_all_two']
    >>> [verdict_key(k, 5) for k in (0, 1, 3, 5)]
    ['verdict_none', 'verdict_some_one', 'verdict_some', 'verdict_all']
    """
    if options == 1:
        return "verdict_one_pays" if paying else "verdict_one"
    if paying == 0:
        return "verdict_none_two" if options == 2 else "verdict_none"
    if paying == options:
        return "verdict_all_two" if options == 2 else "verdict_all"
    return "verdict_some_one" if paying == 1 else "verdict_some"


def _asymmetry(tornado: Any) -> tuple[str, float] | None:
    """The input whose low and high values move the NPV most unevenly, and how: negative
    when its bad side outweighs its good side."""
    if tornado is None or not len(tornado):
        return None
    lopsided = (tornado["npv_societal_low_eur"] + tornado["npv_societal_high_eur"]
                - 2 * tornado["base_npv_societal_eur"])
    at = lopsided.abs().idxmax()
    return str(tornado.loc[at, "input"]), float(lopsided.loc[at])


def uncertainty_sentences(facts: ScenarioFacts, lang: str) -> list[str]:
    """The chance, the 80 % range, the input that matters most (Sobol total index, else
    the widest tornado bar) and why the median of the draws differs from the base case."""
    out = []
    prob = probability_sentence(facts, lang)
    p10, p90 = (facts.stat("npv_societal_eur", s) for s in ("p10", "p90"))
    if prob is not None and p10 is not None and p90 is not None:
        out.append(text(lang, "uncertain_best", best=facts.title_in(lang), prob=prob,
                        p10=numfmt.meur(p10, lang), p90=numfmt.meur(p90, lang)))
    sobol = facts.tables.get("sobol")
    tornado = facts.tables.get("tornado")
    if sobol is not None and len(sobol) and "st" in sobol:
        top = sobol.iloc[int(sobol["st"].to_numpy().argmax())]
        out.append(text(lang, "main_sobol", input=input_name(str(top["input"]), lang),
                        share=numfmt.percent(100 * min(1.0, float(top["st"])), lang)))
    elif tornado is not None and len(tornado):
        swing = (tornado["npv_societal_high_eur"] - tornado["npv_societal_low_eur"]).abs()
        top = tornado.iloc[int(swing.to_numpy().argmax())]
        low, high = sorted((float(top["npv_societal_low_eur"]),
                            float(top["npv_societal_high_eur"])))
        out.append(text(lang, "main_tornado", input=input_name(str(top["input"]), lang),
                        low=numfmt.meur(low, lang), high=numfmt.meur(high, lang)))
    base, median = facts.stat("npv_societal_eur"), facts.stat("npv_societal_eur", "p50")
    skew = _asymmetry(tornado)
    if (base is not None and median is not None and skew is not None
            and abs(median - base) > MEDIAN_GAP * abs(base)
            and (median < base) == (skew[1] < 0)):
        out.append(text(lang, "median_lower" if median < base else "median_higher",
                        base=numfmt.meur(base, lang), median=numfmt.meur(median, lang),
                        input=input_name(skew[0], lang)))
    return out


def distribution(spec: Any, lang: str) -> str:
    """A distribution of the scenario file in words: 'triangular 0.85 – 1 – 1.5'."""
    if not isinstance(spec, dict):
        return text(lang, "dist_other")
    kind = spec.get("kind")
    params = {k: _number(v, lang) for k, v in spec.items() if k != "kind"}
    try:
        return text(lang, f"dist_{kind}", **params)
    except KeyError:
        return text(lang, "dist_other")


def _number(value: Any, lang: str) -> str:
    if not numfmt.is_number(value):
        return str(value)
    value = float(value)
    for decimals in (0, 1, 2, 3):
        if abs(value - round(value, decimals)) < 1e-9:
            return numfmt.number(value, decimals, lang)
    return numfmt.number(value, 3, lang)


def sentences(facts: ScenarioFacts, lang: str) -> list[str]:
    """Plain-words statements for a non-expert, one per headline number that exists."""
    v = facts.values
    if facts.status == "failed" or (facts.error and not v):
        return [text(lang, "failed")]
    if not v:
        return [text(lang, "no_results")]
    if v.get("train_km_annual") == 0 and not v.get("passengers_daily"):
        return [text(lang, "do_minimum")]
    out: list[str] = []

    def say(key: str, *needs: str, **formatted: str) -> None:
        if all(n in v for n in needs):
            out.append(text(lang, key, **formatted))

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
        out.append(text(lang, key, subsidy=numfmt.eur(abs(subsidy), lang)))
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
        # two decimals, as the key figures and the comparison table give the same ratio
        out.append(text(lang, key, bcr=numfmt.number(bcr, 2, lang),
                        pct=numfmt.percent(share, lang)))
    npv = numfmt.meur(v.get("npv_societal_eur", float("nan")), lang)
    if "prob_npv_societal_positive" in v:
        say("npv_societal_prob", "npv_societal_eur", npv=npv,
            prob=probability_sentence(facts, lang) or "")
    else:
        say("npv_societal", "npv_societal_eur", npv=npv)
    say("npv_financial", "npv_financial_eur",
        npv=numfmt.meur(v.get("npv_financial_eur", float("nan")), lang))
    say("punctuality", "punctuality_3min_pct",
        pct=numfmt.percent(v.get("punctuality_3min_pct", 0.0), lang))
    say("units_one" if v.get("units_required") == 1 else "units", "units_required",
        "train_km_annual", units=num("units_required"),
        train_km=numfmt.number(numfmt.about(v.get("train_km_annual", 0.0)), 0, lang))
    return out

"""Report texts in Finnish and English. Templates take already formatted numbers.

Kept apart from the builder so a translator edits one file; every key exists in both
languages (a test checks it).
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "fi": {
        "lang_name": "suomi",
        "title": "Henkilöjunaliikenteen kannattavuusselvitys: tulokset",
        "intro": "Tämä raportti on laadittu railsim-työkalulla tulosten kansiosta {folder}. "
                 "Luvut on pyöristetty; rahamäärät ovat kunkin vaihtoehdon hintatasossa "
                 "(euroa, ilman arvonlisäveroa ellei toisin mainita).",
        "comparison": "Vaihtoehtojen vertailu",
        "scenarios": "Vaihtoehdot",
        "in_words": "Lyhyesti",
        "charts": "Kaaviot",
        "failed": "Tämän vaihtoehdon laskenta epäonnistui:",
        "no_results": "Tälle vaihtoehdolle ei ole vielä tuloksia.",
        "do_minimum": "Tässä vaihtoehdossa ei ole junaliikennettä (vertailuvaihtoehto).",
        "capex": "Investointi olisi noin {capex}.",
        "passengers": "Noin {daily} matkustajaa arkipäivänä.",
        "passengers_annual": "Noin {daily} matkustajaa arkipäivänä ({annual} matkaa vuodessa).",
        "subsidy": "Jokainen matka vaatisi {subsidy} tukea.",
        "surplus": "Lipputulot kattaisivat liikennöinnin kulut, ja jokaisesta matkasta jäisi "
                   "{subsidy} ylijäämää.",
        "opex_revenue": "Liikennöinti maksaisi {opex} vuodessa, ja lipputuloja kertyisi {revenue}.",
        "opex": "Liikennöinti maksaisi {opex} vuodessa.",
        "farebox": "Lipputulot kattaisivat {pct} liikennöinnin kuluista.",
        "bcr_negative": "Yhteiskuntataloudellinen hyöty–kustannussuhde on {bcr}: hyödyt eivät "
                        "kata edes liikennöinnin alijäämää, joten investoinnille ei jää "
                        "katetta.",
        "bcr_below": "Yhteiskuntataloudellinen hyöty–kustannussuhde on {bcr}: hyödyt kattavat "
                     "{pct} investointikustannuksista.",
        "bcr_above": "Yhteiskuntataloudellinen hyöty–kustannussuhde on {bcr}: hyödyt ovat {pct} "
                     "investointikustannuksia suuremmat.",
        "npv_societal": "Yhteiskuntataloudellinen nettonykyarvo on {npv}.",
        "npv_societal_prob": "Yhteiskuntataloudellinen nettonykyarvo on {npv}; todennäköisyys, "
                             "että se on positiivinen, on {prob}.",
        "npv_financial": "Rahoituksellinen nettonykyarvo (lipputulot miinus kulut) on {npv}.",
        "punctuality": "{pct} saapumisista asemille olisi alle 3 minuuttia myöhässä.",
        "units": "Liikenteeseen tarvittaisiin {units} junayksikköä, ja ne ajaisivat "
                 "{train_km} junakilometriä vuodessa.",
        "col_scenario": "Vaihtoehto",
        "col_status": "Tila",
        "col_capex": "Investointi (M€)",
        "col_passengers": "Matkustajia arkipäivänä",
        "col_subsidy": "Tuki matkaa kohden (€)",
        "col_farebox": "Lipputulojen kattavuus (%)",
        "col_npv_financial": "Rahoituksellinen nettonykyarvo (M€)",
        "col_npv_societal": "Yhteiskuntataloudellinen nettonykyarvo (M€)",
        "col_bcr": "Hyöty–kustannussuhde",
        "col_punctuality": "Täsmällisyys, alle 3 min (%)",
        "col_units": "Junayksiköitä",
        "status_ok": "valmis",
        "status_failed": "epäonnistui",
        "status_skipped": "ohitettu",
        "data": "Oletukset ja lähteet",
        "data_intro": "Kaikki lähtötiedot ovat kansiossa data/, ja jokaisella rivillä on lähde ja "
                      "tila: VERIFIED (tarkistettu lähteestä), DERIVED (laskettu tarkistetuista "
                      "luvuista), ESTIMATE (arvio, perustelu huomautuksissa) tai ASSUMPTION "
                      "(mallinnusvalinta).",
        "col_table": "Taulukko",
        "col_rows": "Rivejä",
        "data_list": "Arviot ja oletukset ({count} riviä)",
        "col_row": "Rivi",
        "col_source": "Lähde",
        "col_notes": "Huomautukset",
        "data_error": "taulukkoa ei voitu lukea: {error}",
        "cap_cumulative_cashflow": "Kumulatiivinen diskontattu kassavirta. Kun käyrä nousee "
                                   "nollan yläpuolelle, hanke on maksanut itsensä takaisin.",
        "cap_capex_breakdown": "Investoinnin jakautuminen kohteittain.",
        "cap_opex_revenue": "Vuotuiset liikennöintikustannukset ja lipputulot; erotus katetaan "
                            "julkisella tuella.",
        "cap_subsidy_per_passenger": "Julkinen tuki matkaa kohden vaihtoehdoittain.",
        "cap_npv_distribution": "Yhteiskuntataloudellisen nettonykyarvon vaihtelu, kun "
                                "epävarmat lähtötiedot arvotaan (p10, p50 ja p90 merkitty).",
        "cap_tornado": "Mitkä lähtötiedot muuttavat tulosta eniten.",
        "cap_boardings": "Nousijat ja poistujat asemittain arkipäivänä.",
        "cap_punctuality": "Täsmällisyys simuloiduilla päivillä.",
        "cap_line_map": "Radat, asemat ja niiden vaikutusalueet.",
        "cap_time_distance": "Arkipäivän aikataulu: junat kohtaavat yksiraiteisella radalla "
                             "asemilla ja kohtaamispaikoilla (harmaat viivat).",
        "cap_capex_vs_passengers": "Investointi ja matkustajamäärä vaihtoehdoittain.",
        "cap_npv_societal": "Yhteiskuntataloudellinen nettonykyarvo vaihtoehdoittain.",
        "cap_bcr": "Hyöty–kustannussuhde vaihtoehdoittain (yli 1: hyödyt ylittävät kustannukset).",
        "cap_validation": "Takaisinennusteet: nykyisten lähijunien asemien ennustetut ja "
                          "havaitut matkustajat (validation.csv).",
    },
    "en": {
        "lang_name": "English",
        "title": "Commuter rail feasibility study: results",
        "intro": "This report was made with railsim from the result folder {folder}. "
                 "Numbers are rounded; money is at each scenario's price level "
                 "(euros, excluding VAT unless stated).",
        "comparison": "Comparison of scenarios",
        "scenarios": "Scenarios",
        "in_words": "In plain words",
        "charts": "Charts",
        "failed": "The evaluation of this scenario failed:",
        "no_results": "There are no results for this scenario yet.",
        "do_minimum": "There is no train service in this scenario (the comparison case).",
        "capex": "The investment would be about {capex}.",
        "passengers": "About {daily} passengers a weekday.",
        "passengers_annual": "About {daily} passengers a weekday ({annual} trips a year).",
        "subsidy": "Each passenger would need a subsidy of {subsidy}.",
        "surplus": "Fares would cover the operating costs with {subsidy} to spare per "
                   "passenger.",
        "opex_revenue": "Running the trains would cost {opex} a year, and fares would bring in "
                        "{revenue}.",
        "opex": "Running the trains would cost {opex} a year.",
        "farebox": "Fares would cover {pct} of the operating costs.",
        "bcr_negative": "Societal benefit–cost ratio {bcr}: the benefits do not even cover the "
                        "operating deficit, so nothing is left to pay for the investment.",
        "bcr_below": "Societal benefit–cost ratio {bcr}: benefits cover {pct} of the investment "
                     "cost.",
        "bcr_above": "Societal benefit–cost ratio {bcr}: benefits exceed the investment cost by "
                     "{pct}.",
        "npv_societal": "The net present value for society is {npv}.",
        "npv_societal_prob": "The net present value for society is {npv}; the chance that it is "
                             "positive is {prob}.",
        "npv_financial": "The financial net present value (fares minus costs) is {npv}.",
        "punctuality": "{pct} of arrivals at stations would be less than 3 minutes late.",
        "units": "The service would need {units} train units, running {train_km} train-km a "
                 "year.",
        "col_scenario": "Scenario",
        "col_status": "Status",
        "col_capex": "Investment (M€)",
        "col_passengers": "Passengers a weekday",
        "col_subsidy": "Subsidy per trip (€)",
        "col_farebox": "Fares cover (%)",
        "col_npv_financial": "Financial NPV (M€)",
        "col_npv_societal": "Societal NPV (M€)",
        "col_bcr": "Benefit–cost ratio",
        "col_punctuality": "Punctuality, under 3 min (%)",
        "col_units": "Train units",
        "status_ok": "ok",
        "status_failed": "failed",
        "status_skipped": "skipped",
        "data": "Assumptions and data sources",
        "data_intro": "All inputs are in the data/ folder, each row with its source and status: "
                      "VERIFIED (read in the cited source), DERIVED (arithmetic on verified "
                      "figures), ESTIMATE (judgement, reasoning in the notes) or ASSUMPTION "
                      "(a modelling choice).",
        "col_table": "Table",
        "col_rows": "Rows",
        "data_list": "Estimates and assumptions ({count} rows)",
        "col_row": "Row",
        "col_source": "Source",
        "col_notes": "Notes",
        "data_error": "table could not be read: {error}",
        "cap_cumulative_cashflow": "Cumulative discounted cash flow. Where a line rises above "
                                   "zero the project has paid for itself.",
        "cap_capex_breakdown": "The investment by item.",
        "cap_opex_revenue": "Yearly operating cost and fare revenue; the gap is paid by public "
                            "subsidy.",
        "cap_subsidy_per_passenger": "Public subsidy per passenger trip by scenario.",
        "cap_npv_distribution": "Spread of the societal net present value when the uncertain "
                                "inputs are drawn at random (p10, p50 and p90 marked).",
        "cap_tornado": "Which inputs move the result most.",
        "cap_boardings": "Boarding and alighting passengers by station on a weekday.",
        "cap_punctuality": "Punctuality over the simulated days.",
        "cap_line_map": "Lines, stations and their catchments.",
        "cap_time_distance": "The weekday timetable: on single track, trains meet at "
                             "stations and passing loops (grey lines).",
        "cap_capex_vs_passengers": "Investment against passengers by scenario.",
        "cap_npv_societal": "Societal net present value by scenario.",
        "cap_bcr": "Benefit–cost ratio by scenario (above 1: benefits exceed costs).",
        "cap_validation": "Back-casts: predicted and observed passengers of today's commuter "
                          "stations (validation.csv).",
    },
}

LANGS = ("fi", "en")
"""Finnish first: the study is for Finnish decision-makers."""


def text(lang: str, key: str, **values: str) -> str:
    """The template ``key`` in ``lang``, filled with formatted values."""
    return TEXT[lang][key].format(**values)

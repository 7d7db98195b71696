"""Every text a reader sees, in Finnish and English: chart labels and report sentences.

One table, so a translator edits one file and the charts and the report say the same
thing the same way. Every key has both languages (a test checks it). Templates take
already formatted numbers (:mod:`railsim.numfmt`). Plot and report both read this
module; it imports nothing.
"""

from __future__ import annotations

LANGS = ("fi", "en")
"""Finnish first: the study is for Finnish decision-makers."""

TEXT: dict[str, dict[str, str]] = {
    # charts: shared axes
    "year": {"en": "year", "fi": "vuosi"},
    "meur": {"en": "million euros (M€)", "fi": "miljoonaa euroa (M€)"},
    "meur_year": {"en": "M€ per year", "fi": "M€ vuodessa"},
    "meur_discounted": {"en": "M€, discounted to the opening year",
                        "fi": "M€, diskontattu avaamisvuoteen"},
    "draws": {"en": "number of draws", "fi": "arvontojen lukumäärä"},
    # charts: finance
    "cumulative_title": {"en": "Cumulative discounted cash flow",
                         "fi": "Kumulatiivinen diskontattu kassavirta"},
    "financial": {"en": "financial (operator and funders)",
                  "fi": "rahoituksellinen (liikennöitsijä ja rahoittajat)"},
    "societal": {"en": "societal (all benefits and costs)",
                 "fi": "yhteiskuntataloudellinen (kaikki hyödyt ja kustannukset)"},
    "capex_title": {"en": "Investment by item (total {total})",
                    "fi": "Investointi kohteittain (yhteensä {total})"},
    "item": {"en": "item", "fi": "kohde"},
    "contingency": {"en": "contingency and cost risk", "fi": "varaukset ja kustannusriski"},
    "other_items": {"en": "other items", "fi": "muut kohteet"},
    "opex_revenue_title": {"en": "Yearly operating cost and fare revenue",
                           "fi": "Vuotuiset liikennöintikustannukset ja lipputulot"},
    "operating_cost": {"en": "operating cost", "fi": "liikennöintikustannukset"},
    "revenue": {"en": "fare revenue", "fi": "lipputulot"},
    "subsidy_title": {"en": "Public subsidy per passenger trip",
                      "fi": "Julkinen tuki matkaa kohden"},
    "eur_per_trip": {"en": "euros per passenger trip (€)", "fi": "euroa matkaa kohden (€)"},
    "scenario": {"en": "scenario", "fi": "vaihtoehto"},
    # charts: uncertainty
    "npv_societal_eur": {"en": "Societal net present value: uncertainty",
                         "fi": "Yhteiskuntataloudellinen nettonykyarvo: epävarmuus"},
    "npv_financial_eur": {"en": "Financial net present value: uncertainty",
                          "fi": "Rahoituksellinen nettonykyarvo: epävarmuus"},
    "npv_axis": {"en": "net present value (M€)", "fi": "nettonykyarvo (M€)"},
    "tornado_title": {"en": "What moves the societal net present value",
                      "fi": "Mikä vaikuttaa yhteiskuntataloudelliseen nettonykyarvoon"},
    "tornado_axis": {"en": "societal net present value (M€)",
                     "fi": "yhteiskuntataloudellinen nettonykyarvo (M€)"},
    "low_input": {"en": "input at its low value", "fi": "lähtötieto alhaisena"},
    "high_input": {"en": "input at its high value", "fi": "lähtötieto korkeana"},
    "base": {"en": "base case", "fi": "perusvaihtoehto"},
    "input": {"en": "input", "fi": "lähtötieto"},
    # charts: ridership and operations
    "string_title_weekday": {"en": "Weekday timetable: trains in time and distance",
                             "fi": "Arkipäivän aikataulu: junat ajassa ja matkassa"},
    "string_title_saturday": {"en": "Saturday timetable: trains in time and distance",
                              "fi": "Lauantain aikataulu: junat ajassa ja matkassa"},
    "string_title_sunday": {"en": "Sunday timetable: trains in time and distance",
                            "fi": "Sunnuntain aikataulu: junat ajassa ja matkassa"},
    "time_of_day": {"en": "time of day", "fi": "kellonaika"},
    "along_route": {"en": "station (km from Lahti)", "fi": "asema (km Lahdesta)"},
    "passenger_trains": {"en": "passenger trains (blue and red: the two directions)",
                         "fi": "henkilöjunat (sininen ja punainen: suunnat)"},
    "freight_trains": {"en": "freight trains", "fi": "tavarajunat"},
    "loop": {"en": "loop", "fi": "kohtaamispaikka"},
    "boardings_title": {"en": "Passengers by station on a weekday",
                        "fi": "Matkustajat asemittain arkipäivänä"},
    "persons_day": {"en": "passengers per weekday", "fi": "matkustajaa arkipäivässä"},
    "boardings": {"en": "boarding", "fi": "nousevat"},
    "alightings": {"en": "alighting", "fi": "poistuvat"},
    "station": {"en": "station", "fi": "asema"},
    "punctuality_title": {"en": "Punctuality over the simulated days",
                          "fi": "Täsmällisyys simuloiduilla päivillä"},
    "punctuality_axis": {"en": "arrivals less than 3 min late (% per simulated day)",
                         "fi": "alle 3 min myöhässä saapuvat (% simuloitua päivää kohden)"},
    "days": {"en": "simulated days", "fi": "simuloituja päiviä"},
    "mean": {"en": "mean", "fi": "keskiarvo"},
    # charts: map
    "map_title": {"en": "Lines, stations and catchments", "fi": "Radat, asemat ja vaikutusalueet"},
    "easting": {"en": "easting (km, ETRS-TM35FIN)", "fi": "itäkoordinaatti (km, ETRS-TM35FIN)"},
    "northing": {"en": "northing (km, ETRS-TM35FIN)",
                 "fi": "pohjoiskoordinaatti (km, ETRS-TM35FIN)"},
    "walk_zone": {"en": "walking distance ({r})", "fi": "kävelyetäisyys ({r})"},
    "feeder_zone": {"en": "cycle or feeder bus ({r})", "fi": "pyörä tai liityntäbussi ({r})"},
    "served": {"en": "served station (size: residents)", "fi": "palveltu asema (koko: asukkaat)"},
    "not_served": {"en": "not served", "fi": "ei palvelua"},
    # charts: comparison
    "capex_vs_pax_title": {"en": "Investment against passengers",
                           "fi": "Investointi ja matkustajamäärä"},
    "passengers_daily": {"en": "passengers per weekday", "fi": "matkustajaa arkipäivässä"},
    "capex_axis": {"en": "investment (M€)", "fi": "investointi (M€)"},
    "npv_bars_title": {"en": "Societal net present value by scenario",
                       "fi": "Yhteiskuntataloudellinen nettonykyarvo vaihtoehdoittain"},
    "bcr_title": {"en": "Benefit–cost ratio by scenario",
                  "fi": "Hyöty–kustannussuhde vaihtoehdoittain"},
    "bcr_axis": {"en": "net benefits ÷ investment (1 = break-even)",
                 "fi": "nettohyödyt ÷ investointi (1 = tasapaino)"},
    "break_even": {"en": "benefits equal costs", "fi": "hyödyt = kustannukset"},
    # report
    "lang_name": {"en": "English", "fi": "suomi"},
    "title": {"en": "Commuter rail feasibility study: results",
              "fi": "Henkilöjunaliikenteen kannattavuusselvitys: tulokset"},
    "intro": {"en": "This report was made with railsim from the result folder {folder}. Numbers "
                    "are rounded; money is at each scenario's price level (euros, excluding VAT "
                    "unless stated).",
              "fi": "Tämä raportti on laadittu railsim-työkalulla tulosten kansiosta {folder}. "
                    "Luvut on pyöristetty; rahamäärät ovat kunkin vaihtoehdon hintatasossa "
                    "(euroa, ilman arvonlisäveroa ellei toisin mainita)."},
    "comparison": {"en": "Comparison of scenarios", "fi": "Vaihtoehtojen vertailu"},
    "scenarios": {"en": "Scenarios", "fi": "Vaihtoehdot"},
    "in_words": {"en": "In plain words", "fi": "Lyhyesti"},
    "charts": {"en": "Charts", "fi": "Kaaviot"},
    "failed": {"en": "The evaluation of this scenario failed:",
               "fi": "Tämän vaihtoehdon laskenta epäonnistui:"},
    "no_results": {"en": "There are no results for this scenario yet.",
                   "fi": "Tälle vaihtoehdolle ei ole vielä tuloksia."},
    "do_minimum": {"en": "There is no train service in this scenario (the comparison case).",
                   "fi": "Tässä vaihtoehdossa ei ole junaliikennettä (vertailuvaihtoehto)."},
    "capex": {"en": "The investment would be about {capex}.",
              "fi": "Investointi olisi noin {capex}."},
    "passengers": {"en": "About {daily} passengers a weekday.",
                   "fi": "Noin {daily} matkustajaa arkipäivänä."},
    "passengers_annual": {"en": "About {daily} passengers a weekday ({annual} trips a year).",
                          "fi": "Noin {daily} matkustajaa arkipäivänä ({annual} matkaa vuodessa)."},
    "subsidy": {"en": "Each passenger would need a subsidy of {subsidy}.",
                "fi": "Jokainen matka vaatisi {subsidy} tukea."},
    "surplus": {"en": "Fares would cover the operating costs with {subsidy} to spare per "
                      "passenger.",
                "fi": "Lipputulot kattaisivat liikennöinnin kulut, ja jokaisesta matkasta jäisi "
                      "{subsidy} ylijäämää."},
    "opex_revenue": {"en": "Running the trains would cost {opex} a year, and fares would bring "
                           "in {revenue}.",
                     "fi": "Liikennöinti maksaisi {opex} vuodessa, ja lipputuloja kertyisi "
                           "{revenue}."},
    "opex": {"en": "Running the trains would cost {opex} a year.",
             "fi": "Liikennöinti maksaisi {opex} vuodessa."},
    "farebox": {"en": "Fares would cover {pct} of the operating costs.",
                "fi": "Lipputulot kattaisivat {pct} liikennöinnin kuluista."},
    "bcr_negative": {"en": "Societal benefit–cost ratio {bcr}: the benefits do not even cover "
                           "the operating deficit, so nothing is left to pay for the investment.",
                     "fi": "Yhteiskuntataloudellinen hyöty–kustannussuhde on {bcr}: hyödyt eivät "
                           "kata edes liikennöinnin alijäämää, joten investoinnille ei jää "
                           "katetta."},
    "bcr_below": {"en": "Societal benefit–cost ratio {bcr}: benefits cover {pct} of the "
                        "investment cost.",
                  "fi": "Yhteiskuntataloudellinen hyöty–kustannussuhde on {bcr}: hyödyt kattavat "
                        "{pct} investointikustannuksista."},
    "bcr_above": {"en": "Societal benefit–cost ratio {bcr}: benefits exceed the investment cost "
                        "by {pct}.",
                  "fi": "Yhteiskuntataloudellinen hyöty–kustannussuhde on {bcr}: hyödyt ovat "
                        "{pct} investointikustannuksia suuremmat."},
    "npv_societal": {"en": "The net present value for society is {npv}.",
                     "fi": "Yhteiskuntataloudellinen nettonykyarvo on {npv}."},
    "npv_societal_prob": {"en": "The net present value for society is {npv}; the chance that it "
                                "is positive is {prob}.",
                          "fi": "Yhteiskuntataloudellinen nettonykyarvo on {npv}; "
                                "todennäköisyys, että se on positiivinen, on {prob}."},
    "npv_financial": {"en": "The financial net present value (fares minus costs) is {npv}.",
                      "fi": "Rahoituksellinen nettonykyarvo (lipputulot miinus kulut) on {npv}."},
    "punctuality": {"en": "{pct} of arrivals at stations would be less than 3 minutes late.",
                    "fi": "{pct} saapumisista asemille olisi alle 3 minuuttia myöhässä."},
    "units": {"en": "The service would need {units} train units, running {train_km} train-km a "
                    "year.",
              "fi": "Liikenteeseen tarvittaisiin {units} junayksikköä, ja ne ajaisivat "
                    "{train_km} junakilometriä vuodessa."},
    "col_scenario": {"en": "Scenario", "fi": "Vaihtoehto"},
    "col_status": {"en": "Status", "fi": "Tila"},
    "col_capex": {"en": "Investment (M€)", "fi": "Investointi (M€)"},
    "col_passengers": {"en": "Passengers a weekday", "fi": "Matkustajia arkipäivänä"},
    "col_subsidy": {"en": "Subsidy per trip (€)", "fi": "Tuki matkaa kohden (€)"},
    "col_farebox": {"en": "Fares cover (%)", "fi": "Lipputulojen kattavuus (%)"},
    "col_npv_financial": {"en": "Financial NPV (M€)", "fi": "Rahoituksellinen nettonykyarvo (M€)"},
    "col_npv_societal": {"en": "Societal NPV (M€)",
                         "fi": "Yhteiskuntataloudellinen nettonykyarvo (M€)"},
    "col_bcr": {"en": "Benefit–cost ratio", "fi": "Hyöty–kustannussuhde"},
    "col_punctuality": {"en": "Punctuality, under 3 min (%)", "fi": "Täsmällisyys, alle 3 min (%)"},
    "col_units": {"en": "Train units", "fi": "Junayksiköitä"},
    "status_ok": {"en": "ok", "fi": "valmis"},
    "status_failed": {"en": "failed", "fi": "epäonnistui"},
    "status_skipped": {"en": "skipped", "fi": "ohitettu"},
    "data": {"en": "Assumptions and data sources", "fi": "Oletukset ja lähteet"},
    "data_intro": {"en": "All inputs are in the data/ folder, each row with its source and "
                         "status: VERIFIED (read in the cited source), DERIVED (arithmetic on "
                         "verified figures), ESTIMATE (judgement, reasoning in the notes) or "
                         "ASSUMPTION (a modelling choice).",
                   "fi": "Kaikki lähtötiedot ovat kansiossa data/, ja jokaisella rivillä on "
                         "lähde ja tila: VERIFIED (tarkistettu lähteestä), DERIVED (laskettu "
                         "tarkistetuista luvuista), ESTIMATE (arvio, perustelu huomautuksissa) "
                         "tai ASSUMPTION (mallinnusvalinta)."},
    "col_table": {"en": "Table", "fi": "Taulukko"},
    "col_rows": {"en": "Rows", "fi": "Rivejä"},
    "data_list": {"en": "Estimates and assumptions ({count} rows)",
                  "fi": "Arviot ja oletukset ({count} riviä)"},
    "col_row": {"en": "Row", "fi": "Rivi"},
    "col_source": {"en": "Source", "fi": "Lähde"},
    "col_notes": {"en": "Notes", "fi": "Huomautukset"},
    "data_error": {"en": "table could not be read: {error}",
                   "fi": "taulukkoa ei voitu lukea: {error}"},
    # back-casts of existing services
    "validation_title": {"en": "Back-casts: passengers per station and year",
                         "fi": "Takaisinennusteet: matkustajat asemittain ja vuosittain"},
    "validation_observed": {"en": "observed (per year)", "fi": "havaittu (vuodessa)"},
    "validation_predicted": {"en": "predicted (per year)", "fi": "ennuste (vuodessa)"},
    "validation_equal": {"en": "predicted = observed", "fi": "ennuste = havaittu"},
    "validation_factor": {"en": "factor {factor}", "fi": "kerroin {factor}"},
    "validation_calibration": {"en": "calibration count (fitted)",
                               "fi": "kalibrointilaskenta (sovitettu)"},
    "validation_held_out": {"en": "held-out count (not fitted)",
                            "fi": "vertailulaskenta (ei sovitettu)"},
    "cap_validation": {"en": "Back-casts: predicted and observed passengers of today's "
                             "commuter stations (validation.csv).",
                       "fi": "Takaisinennusteet: nykyisten lähijunien asemien ennustetut ja "
                             "havaitut matkustajat (validation.csv)."},
    "cap_cumulative_cashflow": {"en": "Cumulative discounted cash flow. Where a line rises above "
                                      "zero the project has paid for itself.",
                                "fi": "Kumulatiivinen diskontattu kassavirta. Kun käyrä nousee "
                                      "nollan yläpuolelle, hanke on maksanut itsensä takaisin."},
    "cap_capex_breakdown": {"en": "The investment by item.",
                            "fi": "Investoinnin jakautuminen kohteittain."},
    "cap_opex_revenue": {"en": "Yearly operating cost and fare revenue; the gap is paid by "
                               "public subsidy.",
                         "fi": "Vuotuiset liikennöintikustannukset ja lipputulot; erotus "
                               "katetaan julkisella tuella."},
    "cap_subsidy_per_passenger": {"en": "Public subsidy per passenger trip by scenario.",
                                  "fi": "Julkinen tuki matkaa kohden vaihtoehdoittain."},
    "cap_npv_distribution": {"en": "Spread of the societal net present value when the uncertain "
                                   "inputs are drawn at random (p10, p50 and p90 marked).",
                             "fi": "Yhteiskuntataloudellisen nettonykyarvon vaihtelu, kun "
                                   "epävarmat lähtötiedot arvotaan (p10, p50 ja p90 merkitty)."},
    "cap_tornado": {"en": "Which inputs move the result most.",
                    "fi": "Mitkä lähtötiedot muuttavat tulosta eniten."},
    "cap_boardings": {"en": "Boarding and alighting passengers by station on a weekday.",
                      "fi": "Nousijat ja poistujat asemittain arkipäivänä."},
    "cap_punctuality": {"en": "Punctuality over the simulated days.",
                        "fi": "Täsmällisyys simuloiduilla päivillä."},
    "cap_line_map": {"en": "Lines, stations and their catchments.",
                     "fi": "Radat, asemat ja niiden vaikutusalueet."},
    "cap_time_distance": {"en": "The weekday timetable: on single track, trains meet at stations "
                                "and passing loops (grey lines).",
                          "fi": "Arkipäivän aikataulu: junat kohtaavat yksiraiteisella radalla "
                                "asemilla ja kohtaamispaikoilla (harmaat viivat)."},
    "cap_capex_vs_passengers": {"en": "Investment against passengers by scenario.",
                                "fi": "Investointi ja matkustajamäärä vaihtoehdoittain."},
    "cap_npv_societal": {"en": "Societal net present value by scenario.",
                         "fi": "Yhteiskuntataloudellinen nettonykyarvo vaihtoehdoittain."},
    "cap_bcr": {"en": "Benefit–cost ratio by scenario (above 1: benefits exceed costs).",
                "fi": "Hyöty–kustannussuhde vaihtoehdoittain (yli 1: hyödyt ylittävät "
                      "kustannukset)."},
}


def text(key: str, lang: str, **values: object) -> str:
    """The ``lang`` text of ``key``, filled with the (formatted) ``values``."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: railsim writes {', '.join(LANGS)}")
    return TEXT[key][lang].format(**values)

"""Chart texts in English and Finnish, one entry per key (kept out of the drawing code)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    # shared axes
    "year": {"en": "year", "fi": "vuosi"},
    "meur": {"en": "million euros (M€)", "fi": "miljoonaa euroa (M€)"},
    "meur_year": {"en": "M€ per year", "fi": "M€ vuodessa"},
    "meur_discounted": {"en": "M€, discounted to the opening year",
                        "fi": "M€, diskontattu avaamisvuoteen"},
    "draws": {"en": "number of draws", "fi": "arvontojen lukumäärä"},
    # finance
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
    "opex": {"en": "operating cost", "fi": "liikennöintikustannukset"},
    "revenue": {"en": "fare revenue", "fi": "lipputulot"},
    "subsidy_title": {"en": "Public subsidy per passenger trip",
                      "fi": "Julkinen tuki matkaa kohden"},
    "eur_per_trip": {"en": "euros per passenger trip (€)", "fi": "euroa matkaa kohden (€)"},
    "scenario": {"en": "scenario", "fi": "vaihtoehto"},
    # uncertainty
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
    # ridership and operations
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
    # map
    "map_title": {"en": "Lines, stations and catchments", "fi": "Radat, asemat ja vaikutusalueet"},
    "easting": {"en": "easting (km, ETRS-TM35FIN)", "fi": "itäkoordinaatti (km, ETRS-TM35FIN)"},
    "northing": {"en": "northing (km, ETRS-TM35FIN)",
                 "fi": "pohjoiskoordinaatti (km, ETRS-TM35FIN)"},
    "walk_zone": {"en": "walking distance ({r})", "fi": "kävelyetäisyys ({r})"},
    "feeder_zone": {"en": "cycle or feeder bus ({r})", "fi": "pyörä tai liityntäbussi ({r})"},
    "served": {"en": "served station (size: residents)",
               "fi": "palveltu asema (koko: asukkaat)"},
    "not_served": {"en": "not served", "fi": "ei palvelua"},
    # comparison
    "capex_vs_pax_title": {"en": "Investment against passengers",
                           "fi": "Investointi ja matkustajamäärä"},
    "passengers_daily": {"en": "passengers per weekday", "fi": "matkustajaa arkipäivässä"},
    "capex_axis": {"en": "investment (M€)", "fi": "investointi (M€)"},
    "npv_bars_title": {"en": "Societal net present value by scenario",
                       "fi": "Yhteiskuntataloudellinen nettonykyarvo vaihtoehdoittain"},
    "bcr_title": {"en": "Benefit–cost ratio by scenario",
                  "fi": "Hyöty–kustannussuhde vaihtoehdoittain"},
    "bcr_axis": {"en": "benefits ÷ costs (1 = break-even)",
                 "fi": "hyödyt ÷ kustannukset (1 = tasapaino)"},
    "break_even": {"en": "benefits equal costs", "fi": "hyödyt = kustannukset"},
}


def text(key: str, lang: str = "en", **values: object) -> str:
    """The ``lang`` text of ``key`` (English when a language lacks it), filled in."""
    entry = TEXT[key]
    return entry.get(lang, entry["en"]).format(**values)

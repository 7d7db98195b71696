"""Report texts in Finnish and English. Templates take already formatted numbers.

Kept apart from the builder so a translator edits one file; every key exists in both
languages (a test checks it).
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "fi": {
        "lang_name": "suomi",
        "doc_title": "Henkilöjunaliikenteen kannattavuusselvitys",
        "doc_subtitle": "Tiivistelmä ja tulokset päätöksentekijöille",
        "meta": "Laadittu {date} · railsim {version} · lähtötiedot {fingerprint} · "
                "hintataso {price_year}",
        "page": "sivu",
        "contents": "Sisältö",
        "summary": "Tiivistelmä",
        "question_h": "Kysymys",
        "question": "Kannattaisiko henkilöjunaliikenne näillä radoilla verrattuna nykyiseen "
                    "bussiliikenteeseen? Mitä se maksaisi rakentaa ja liikennöidä, kuinka moni "
                    "sitä käyttäisi ja kattaisivatko hyödyt kustannukset?",
        "answer_h": "Vastaus",
        "verdict_none": "Yksikään {n} junavaihtoehdosta ei ole yhteiskuntataloudellisesti "
                        "kannattava: paraskin, {best}, jää {npv} tappiolle.",
        "verdict_one": "Ainoa junavaihtoehto, {best}, ei ole yhteiskuntataloudellisesti "
                       "kannattava: se jää {npv} tappiolle.",
        "verdict_some": "Junavaihtoehdoista {k}/{n} on yhteiskuntataloudellisesti kannattava; "
                        "paras on {best} (nettonykyarvo {npv}).",
        "verdict_subsidy": "Liikennöinti vaatisi vuosittain {low}–{high} julkista tukea "
                           "investoinnin lisäksi.",
        "verdict_subsidy_one": "Liikennöinti vaatisi vuosittain {low} julkista tukea "
                               "investoinnin lisäksi.",
        "verdict_no_rail": "Tuloskansiossa ei ole yhtään laskettua junavaihtoehtoa.",
        "ranking_h": "Vaihtoehdot paremmuusjärjestyksessä",
        "ranking_note": "Järjestys yhteiskuntataloudellisen nettonykyarvon mukaan: hyödyt "
                        "miinus kustannukset {years} vuoden ajalta {rate} laskentakorolla, "
                        "hintataso {price_year}. Suluissa nettonykyarvon 80 %:n vaihteluväli "
                        "(p10–p90).",
        "col_rank": "#",
        "col_option": "Vaihtoehto",
        "col_npv": "Nettonykyarvo (M€)",
        "col_prob": "Kannattava",
        "col_passengers_range": "Matkustajia arkipäivänä",
        "payers_h": "Mitä kukin maksaisi vuodessa (M€)",
        "payers_note": "Oletus: valtio rahoittaa investoinnin (tässä annuiteettina "
                       "{years} vuodelle {rate} korolla), ja kunnat maksavat liikennöinnin "
                       "alijäämän {rule}. Sarakkeiden numerot viittaavat yllä olevaan "
                       "järjestykseen.",
        "rule_boardings": "nousijamäärien suhteessa",
        "rule_population": "asukasluvun suhteessa",
        "rule_equal": "tasan",
        "payer_state": "Valtio: investointi",
        "payer_municipality": "{name}: liikennöinnin tuki",
        "payer_total": "Yhteensä",
        "uncertainty_h": "Epävarmuus",
        "prob_none": "Yhdessäkään {draws} epävarmuusarvonnasta nettonykyarvo ei ole "
                     "positiivinen.",
        "prob_rare": "Nettonykyarvo on positiivinen harvemmin kuin yhdessä sadasta "
                     "epävarmuusarvonnasta.",
        "prob_some": "Nettonykyarvo on positiivinen noin {pct} epävarmuusarvonnoista.",
        "prob_most": "Nettonykyarvo on positiivinen lähes kaikissa (yli 99 %) "
                     "epävarmuusarvonnoissa.",
        "prob_all": "Nettonykyarvo on positiivinen kaikissa {draws} epävarmuusarvonnassa.",
        "prob_short_none": "ei koskaan",
        "prob_short_rare": "alle 1 %",
        "prob_short": "{pct}",
        "prob_short_most": "yli 99 %",
        "uncertain_best": "Paraskin vaihtoehto, {best}: {prob} Sen nettonykyarvo on 80 %:n "
                          "todennäköisyydellä välillä {p10} … {p90}.",
        "main_sobol": "Tulokseen vaikuttaa eniten {input}: se selittää noin {share} "
                      "nettonykyarvon vaihtelusta.",
        "main_tornado": "Tulokseen vaikuttaa eniten {input}: sen vaihteluvälillä (p10–p90) "
                        "nettonykyarvo on {low} … {high}.",
        "median_lower": "Perustapauksen luvussa {base} kaikki lähtötiedot ovat "
                        "keskiarvoissaan; arvontojen mediaani {median} on heikompi, koska "
                        "epävarmuus painottuu heikompaan suuntaan lähtötiedossa {input}.",
        "median_higher": "Perustapauksen luvussa {base} kaikki lähtötiedot ovat "
                         "keskiarvoissaan; arvontojen mediaani {median} on parempi, koska "
                         "epävarmuus painottuu parempaan suuntaan lähtötiedossa {input}.",
        "breakeven_h": "Mitä pitäisi muuttua, jotta vaihtoehto kannattaisi",
        "col_be_riders": "Matkustajia arkipäivänä",
        "col_be_capex": "Investointi enintään",
        "col_be_fare": "Keskilippu, joka kattaisi liikennöinnin",
        "be_riders": "{count} ({factor} × ennuste)",
        "be_none": "ei mikään",
        "be_capex_none": "ei ilmaisenakaan ({npv})",
        "be_fare": "{fare} (nyt {now})",
        "be_note": "Kukin luku yksinään, muu ennallaan; laskettu tulostaulukoista "
                   "(menetelmä: ohjelman dokumentaatio). Suluissa investoinnin sarakkeessa "
                   "nettonykyarvo ilman investointia. Lippuhinta ennen kuin korotus karkottaisi "
                   "matkustajia: todellinen tarve olisi suurempi.",
        "measures_h": "Millä mittarilla vaihtoehtoja verrataan",
        "measures": "Järjestys on yhteiskuntataloudellisen nettonykyarvon mukainen: se on "
                    "hankkeen nettohyöty yhteiskunnalle euroina. Hyöty–kustannussuhde ei vertaa "
                    "erikokoisia hankkeita ja johtaa harhaan negatiivisena; tuki matkaa kohden "
                    "kertoo rahoittajien kulun matkaa kohden, ei hankkeen kannattavuutta.",
        "reference": "Kutakin junavaihtoehtoa verrataan vaihtoehtoon {title}.",
        "sheets_h": "Vaihtoehdot yksitellen",
        "key_figures": "Avainluvut",
        "kf_capex": "Investointi",
        "kf_opex": "Liikennöintikustannus vuodessa",
        "kf_revenue": "Lipputulot vuodessa",
        "kf_subsidy": "Julkinen tuki vuodessa",
        "kf_subsidy_trip": "Tuki matkaa kohden",
        "kf_passengers": "Matkustajia arkipäivänä (p10–p90)",
        "kf_annual": "Matkoja vuodessa",
        "kf_farebox": "Lipputulojen kattavuus",
        "kf_npv": "Yhteiskuntataloudellinen nettonykyarvo (p10–p90)",
        "kf_npv_fin": "Rahoituksellinen nettonykyarvo",
        "kf_bcr": "Hyöty–kustannussuhde",
        "kf_prob": "Kannattavuuden todennäköisyys",
        "kf_punctuality": "Täsmällisyys (alle 3 min myöhässä)",
        "kf_units": "Junayksiköitä",
        "kf_train_km": "Junakilometrejä vuodessa",
        "kf_municipalities": "Kuntien osuus tuesta vuodessa",
        "kf_breakeven": "Kannattavuuden raja",
        "computed": "Tulokset laskettu {date}, lähtötiedot {fingerprint}.",
        "annex_h": "Liite: kaaviot",
        "annex_intro": "Vaihtoehtojen sivuilla olevat kaaviot (kumulatiivinen kassavirta, "
                       "investointi, aikataulu) eivät toistu tässä.",
        "annex_comparison": "Vertailukaaviot",
        "data_record_h": "Liite: arviot ja oletukset lähtötiedoissa",
        "data_record_intro": "Rivit ovat sellaisinaan aineistosta (kansio data/), sen "
                             "kielellä (englanniksi) ja tunnisteineen.",
        "assumptions_h": "Keskeiset oletukset",
        "a_price_year": "Hintataso",
        "a_opening": "Avaamisvuosi",
        "a_period": "Tarkastelujakso",
        "a_rate": "Laskentakorko",
        "a_tax": "Julkisten varojen verokerroin",
        "a_draws": "Epävarmuusarvontoja",
        "a_replications": "Simuloituja arkipäiviä",
        "a_split": "Tuen jako kunnille",
        "years": "{n} vuotta",
        "uncertain_inputs_h": "Epävarmat lähtötiedot",
        "col_input": "Lähtötieto",
        "col_distribution": "Jakauma",
        "dist_triangular": "kolmiojakauma {low} – {mode} – {high}",
        "dist_normal": "normaalijakauma, keskiarvo {mean}, keskihajonta {sd}",
        "dist_uniform": "tasajakauma {low} – {high}",
        "dist_lognormal": "lognormaalijakauma",
        "dist_other": "muu jakauma",
        "mode_multiply": "kerroin",
        "mode_replace": "arvo",
        "effects_h": "Vaikutukset osapuolittain",
        "validation_h": "Malli havaittuja nousijamääriä vasten",
        "col_station": "Asema",
        "col_year": "Vuosi",
        "col_observed": "Havaittu",
        "col_predicted": "Ennuste",
        "col_ratio": "Suhde",
        "col_definition": "Määritelmä",
        "col_party": "Osapuoli",
        "col_effect": "Vaikutus",
        "col_value_eur": "Nykyarvo (M€)",
        "col_pv_eur": "Nykyarvo (M€)",
        "index_intro": "Raportti on kahtena erillisenä asiakirjana, kumpikin kokonaan "
                       "yhdellä kielellä.",
        "index_fi": "Suomeksi",
        "status_failed_sheet": "Tämän vaihtoehdon laskenta epäonnistui; viesti alla "
                               "(ohjelman tuloste).",
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
        "npv_societal_prob": "Yhteiskuntataloudellinen nettonykyarvo on {npv}. {prob}",
        "npv_financial": "Rahoituksellinen nettonykyarvo (lipputulot miinus kulut) on {npv}.",
        "punctuality": "{pct} saapumisista asemille olisi alle 3 minuuttia myöhässä.",
        "units": "Liikenteeseen tarvittaisiin {units} junayksikköä, ja ne ajaisivat "
                 "{train_km} junakilometriä vuodessa.",
        "col_scenario": "Vaihtoehto",
        "col_status": "Tila",
        "col_capex": "Investointi (M€)",
        "col_passengers": "Matkustajia arki\u00adpäivänä",
        "col_subsidy": "Tuki matkaa kohden (€)",
        "col_farebox": "Lippu\u00adtulojen katta\u00advuus (%)",
        "col_npv_financial": "Rahoituk\u00adsellinen netto\u00adnykyarvo (M€)",
        "col_npv_societal": "Yhteiskunta\u00adtaloudellinen netto\u00adnykyarvo (M€)",
        "col_bcr": "Hyöty–kustannus\u00adsuhde",
        "col_punctuality": "Täsmälli\u00adsyys, alle 3 min (%)",
        "col_units": "Juna\u00adyksiköitä",
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
                             "asemilla ja kohtauspaikoilla (harmaat viivat).",
        "cap_capex_vs_passengers": "Investointi ja matkustajamäärä vaihtoehdoittain.",
        "cap_validation": "Mallin ennustamat ja havaitut nousijat asemittain.",
        "cap_npv_societal": "Yhteiskuntataloudellinen nettonykyarvo vaihtoehdoittain.",
        "cap_bcr": "Hyöty–kustannussuhde vaihtoehdoittain (yli 1: hyödyt ylittävät kustannukset).",
    },
    "en": {
        "lang_name": "English",
        "doc_title": "Commuter rail feasibility study",
        "doc_subtitle": "Executive summary and results for decision-makers",
        "meta": "Made {date} · railsim {version} · inputs {fingerprint} · prices of "
                "{price_year}",
        "page": "page",
        "contents": "Contents",
        "summary": "Executive summary",
        "question_h": "The question",
        "question": "Would a passenger rail service on these lines be worth it compared with "
                    "today's buses? What would it cost to build and run, how many would ride, "
                    "and would the benefits cover the costs?",
        "answer_h": "The answer",
        "verdict_none": "None of the {n} rail options is worth it for society: even the best, "
                        "{best}, falls {npv} short.",
        "verdict_one": "The only rail option, {best}, is not worth it for society: it falls "
                       "{npv} short.",
        "verdict_some": "{k} of the {n} rail options are worth it for society; the best is "
                        "{best} (net present value {npv}).",
        "verdict_subsidy": "Running the trains would need {low}–{high} of public subsidy a "
                           "year on top of the investment.",
        "verdict_subsidy_one": "Running the trains would need {low} of public subsidy a year "
                               "on top of the investment.",
        "verdict_no_rail": "The result folder holds no evaluated rail option.",
        "ranking_h": "The options, best first",
        "ranking_note": "Ranked by the societal net present value: benefits minus costs over "
                        "{years} years at a discount rate of {rate}, prices of {price_year}. "
                        "In brackets the 80 % range of the net present value (p10–p90).",
        "col_rank": "#",
        "col_option": "Option",
        "col_npv": "Net present value (M€)",
        "col_prob": "Worth it",
        "col_passengers_range": "Passengers a weekday",
        "payers_h": "What each would pay a year (M€)",
        "payers_note": "Assumption: the state funds the investment (shown as an annuity over "
                       "{years} years at {rate}); the municipalities pay the operating deficit "
                       "{rule}. Column numbers refer to the ranking above.",
        "rule_boardings": "in proportion to boardings",
        "rule_population": "in proportion to population",
        "rule_equal": "in equal shares",
        "payer_state": "State: investment",
        "payer_municipality": "{name}: operating subsidy",
        "payer_total": "Total",
        "uncertainty_h": "Uncertainty",
        "prob_none": "In none of the {draws} uncertainty draws is the net present value "
                     "positive.",
        "prob_rare": "The net present value is positive in fewer than 1 in 100 uncertainty "
                     "draws.",
        "prob_some": "The net present value is positive in about {pct} of the uncertainty "
                     "draws.",
        "prob_most": "The net present value is positive in nearly all (over 99 %) uncertainty "
                     "draws.",
        "prob_all": "The net present value is positive in all {draws} uncertainty draws.",
        "prob_short_none": "never",
        "prob_short_rare": "below 1 %",
        "prob_short": "{pct}",
        "prob_short_most": "over 99 %",
        "uncertain_best": "Even the best option, {best}: {prob} With 80 % probability its net "
                          "present value lies between {p10} and {p90}.",
        "main_sobol": "What matters most is {input}: it explains about {share} of the spread "
                      "of the net present value.",
        "main_tornado": "What matters most is {input}: over its range (p10–p90) the net "
                        "present value runs from {low} to {high}.",
        "median_lower": "The base case, {base}, has every input at its central value; the "
                        "median of the draws, {median}, is lower because the uncertainty of "
                        "{input} leans to the worse side.",
        "median_higher": "The base case, {base}, has every input at its central value; the "
                         "median of the draws, {median}, is higher because the uncertainty of "
                         "{input} leans to the better side.",
        "breakeven_h": "What would have to change for an option to pay",
        "col_be_riders": "Passengers a weekday",
        "col_be_capex": "Investment at most",
        "col_be_fare": "Average fare that covers operation",
        "be_riders": "{count} ({factor} × forecast)",
        "be_none": "none",
        "be_capex_none": "not even free ({npv})",
        "be_fare": "{fare} (now {now})",
        "be_note": "Each figure alone, all else as forecast; computed from the result tables "
                   "(method in the program's documentation). In brackets under investment: the "
                   "net present value with no investment at all. The fare is before the rise "
                   "drives passengers away: the real need would be higher.",
        "measures_h": "Which measure ranks the options",
        "measures": "The ranking follows the societal net present value: the project's net gain "
                    "for society in euros. The benefit–cost ratio does not compare projects of "
                    "different size and misleads when negative; the subsidy per trip is what "
                    "the funders pay per journey, not whether the project is worth it.",
        "reference": "Every rail option is compared with the reference case, {title}.",
        "sheets_h": "The options one by one",
        "key_figures": "Key figures",
        "kf_capex": "Investment",
        "kf_opex": "Operating cost a year",
        "kf_revenue": "Fare revenue a year",
        "kf_subsidy": "Public subsidy a year",
        "kf_subsidy_trip": "Subsidy per trip",
        "kf_passengers": "Passengers a weekday (p10–p90)",
        "kf_annual": "Trips a year",
        "kf_farebox": "Fares cover",
        "kf_npv": "Societal net present value (p10–p90)",
        "kf_npv_fin": "Financial net present value",
        "kf_bcr": "Benefit–cost ratio",
        "kf_prob": "Chance it is worth it",
        "kf_punctuality": "Punctuality (under 3 min late)",
        "kf_units": "Train units",
        "kf_train_km": "Train-km a year",
        "kf_municipalities": "Municipalities' share of the subsidy a year",
        "kf_breakeven": "Where it would pay",
        "computed": "Results computed {date}, inputs {fingerprint}.",
        "annex_h": "Annex: charts",
        "annex_intro": "The charts on the option sheets (cumulative cash flow, investment, "
                       "timetable) are not repeated here.",
        "annex_comparison": "Comparison charts",
        "data_record_h": "Annex: estimates and assumptions in the data",
        "data_record_intro": "The rows are quoted from the data (folder data/) as they are.",
        "assumptions_h": "Key assumptions",
        "a_price_year": "Prices of",
        "a_opening": "Opening year",
        "a_period": "Appraisal period",
        "a_rate": "Discount rate",
        "a_tax": "Tax factor of public funds",
        "a_draws": "Uncertainty draws",
        "a_replications": "Simulated weekdays",
        "a_split": "Subsidy split between municipalities",
        "years": "{n} years",
        "uncertain_inputs_h": "Uncertain inputs",
        "col_input": "Input",
        "col_distribution": "Distribution",
        "dist_triangular": "triangular {low} – {mode} – {high}",
        "dist_normal": "normal, mean {mean}, standard deviation {sd}",
        "dist_uniform": "uniform {low} – {high}",
        "dist_lognormal": "lognormal",
        "dist_other": "other distribution",
        "mode_multiply": "multiplier",
        "mode_replace": "value",
        "effects_h": "Effects by party",
        "validation_h": "The model against observed boardings",
        "col_station": "Station",
        "col_year": "Year",
        "col_observed": "Observed",
        "col_predicted": "Predicted",
        "col_ratio": "Ratio",
        "col_definition": "Definition",
        "col_party": "Party",
        "col_effect": "Effect",
        "col_value_eur": "Present value (M€)",
        "col_pv_eur": "Present value (M€)",
        "index_intro": "The report comes as two documents, each entirely in one language.",
        "index_fi": "Suomeksi",
        "status_failed_sheet": "The evaluation of this option failed; the message follows "
                               "(program output).",
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
        "npv_societal_prob": "The net present value for society is {npv}. {prob}",
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
        "cap_validation": "Predicted against observed boardings by station.",
        "cap_npv_societal": "Societal net present value by scenario.",
        "cap_bcr": "Benefit–cost ratio by scenario (above 1: benefits exceed costs).",
    },
}

LANGS = ("fi", "en")
"""Finnish first: the study is for Finnish decision-makers."""


def text(lang: str, key: str, **values: str) -> str:
    """The template ``key`` in ``lang``, filled with formatted values."""
    return TEXT[lang][key].format(**values)

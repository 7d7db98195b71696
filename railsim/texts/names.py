"""Reader-facing names of the ids in result tables, in Finnish and English.

Result tables keep ids (``costs.capex_multiplier`` in tornado.csv, ``light renovation
HEI km 0–37.4`` in capex.csv) so they stay stable and searchable; charts and the report
show these names instead, so a Finnish document has no English item label and no
internal id. Standard library only: the report uses it for its tables too.

>>> input_name("costs.capex_multiplier", "fi")
'investointikustannus (kerroin)'
>>> capex_item_name("track_renovation_light_per_km", "light renovation HEI km 0–37.4", "fi")
'kevyt peruskorjaus, HEI km 0–37,4'
>>> capex_item_name("new_halt", "new stops: AHT, VRM", "en", {"AHT": "Ahtiala"})
'new stops: Ahtiala, VRM'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from railsim import numfmt

INPUTS: dict[str, dict[str, str]] = {
    # appraisal and cost inputs (railsim.appraisal.uncertainty.SCENARIO_TARGETS)
    "costs.capex_multiplier": {"en": "investment cost (multiplier)",
                               "fi": "investointikustannus (kerroin)"},
    "costs.opex_multiplier": {"en": "operating cost (multiplier)",
                              "fi": "liikennöintikustannus (kerroin)"},
    "appraisal.discount_rate": {"en": "discount rate", "fi": "laskentakorko"},
    "appraisal.tax_factor": {"en": "tax factor of public funds",
                             "fi": "veron kustannuskerroin"},
    "appraisal.unit_value_growth": {"en": "real growth of unit values",
                                    "fi": "yksikköarvojen reaalikasvu"},
    "demand.population_growth_pct_per_year": {"en": "population growth (% a year)",
                                              "fi": "väestönkasvu (% vuodessa)"},
    # ridership inputs (railsim.demand.draws.TARGETS)
    "demand.train_constant_min": {"en": "appeal of the train (mode constant, min)",
                                  "fi": "junan houkuttelevuus (vakiotermi, min)"},
    "demand.logit_scale_per_min": {"en": "sensitivity of mode choice to travel time",
                                   "fi": "kulkutavan valinnan herkkyys matka-ajalle"},
    "demand.wait_time_weight": {"en": "weight of waiting time",
                                "fi": "odotusajan painokerroin"},
    "demand.transfer_penalty_min": {"en": "penalty of a change (min)",
                                    "fi": "vaihdon haitta (min)"},
    "demand.fares.fare_multiplier": {"en": "fares (multiplier)",
                                     "fi": "lippujen hinnat (kerroin)"},
    "demand_parameters.access_time_weight": {"en": "weight of access time",
                                             "fi": "liityntäajan painokerroin"},
    "demand_parameters.commute_presence": {"en": "commuters travelling on a weekday (share)",
                                           "fi": "arkipäivänä työmatkan tekevien osuus"},
    "demand_parameters.other_trips_per_commute_trip": {
        "en": "other trips per commuting trip", "fi": "muita matkoja työmatkaa kohden"},
    "demand_parameters.capital_commuters_rail_share": {
        "en": "rail share of commuters to the capital region",
        "fi": "pääkaupunkiseudulle pendelöivien junan kulkutapaosuus"},
    "demand_parameters.bus_share_do_minimum": {"en": "bus share of trips without the train",
                                               "fi": "bussin osuus matkoista ilman junaa"},
    "demand_parameters.induced_logsum_elasticity": {
        "en": "new trips induced by the train (elasticity)",
        "fi": "junan synnyttämät uudet matkat (jousto)"},
    "demand_parameters.rail_constant_min": {"en": "rail constant (calibrated, minutes)",
                                            "fi": "junan vakiotermi (kalibroitu, min)"},
    "demand_parameters.pt_nest_scale": {"en": "public-transport nest (scale)",
                                        "fi": "joukkoliikennepesän skaalaparametri"},
    "demand_parameters.unverified_flow_factor": {
        "en": "commuting flows without a count (factor)",
        "fi": "työmatkavirrat ilman laskentatietoa (kerroin)"},
}
"""Every supported uncertainty target except ``unit_costs.<item>`` (named from ITEMS)."""

ITEMS: dict[str, dict[str, str]] = {
    "track_enhanced_maintenance_per_km": {"en": "extra track maintenance",
                                          "fi": "radan lisäkunnossapito"},
    "conductor_cost_per_hour": {"en": "conductor", "fi": "konduktööri"},
    "freight_path_shift_per_train_hour": {"en": "freight paths moved",
                                          "fi": "tavarajunien aikataulujen siirto"},
    "freight_train_hour": {"en": "freight train waiting", "fi": "tavarajunien odotus"},
    "track_wear_per_gross_tonne_km": {"en": "track wear", "fi": "radan kuluminen"},
    "track_renovation_light_per_km": {"en": "light renovation", "fi": "kevyt peruskorjaus"},
    "track_renovation_heavy_per_km": {"en": "heavy renovation", "fi": "raskas peruskorjaus"},
    "line_speed_upgrade_per_km": {"en": "higher line speed", "fi": "nopeuden nosto"},
    "passing_loop": {"en": "new passing loops", "fi": "uudet kohtauspaikat"},
    "new_halt": {"en": "new stops", "fi": "uudet seisakkeet"},
    "station_platform_upgrade": {"en": "platforms at existing sites",
                                 "fi": "laiturit nykyisillä paikoilla"},
    "level_crossing_removal": {"en": "level crossings removed", "fi": "tasoristeysten poisto"},
    "level_crossing_upgrade": {"en": "level crossings upgraded",
                               "fi": "tasoristeysten parantaminen"},
    "train_protection_per_km": {"en": "train protection", "fi": "junakulunvalvonta"},
    "electrification_per_km": {"en": "electrification", "fi": "sähköistys"},
    "depot": {"en": "depot and stabling", "fi": "varikko ja säilytysraiteet"},
    "opex_train_km": {"en": "operating cost per train-km", "fi": "liikennöintikustannus junakilometriä kohden"},
    "opex_train_hour": {"en": "operating cost per train-hour", "fi": "liikennöintikustannus junatuntia kohden"},
    "crew_cost_per_hour": {"en": "driver hours", "fi": "kuljettajatunnit"},
    "maintenance_per_unit_km": {"en": "rolling-stock maintenance", "fi": "kaluston kunnossapito"},
    "electricity_price": {"en": "traction electricity", "fi": "ajosähkö"},
    "diesel_price": {"en": "fuel", "fi": "polttoaine"},
    "track_access_charge_passenger": {"en": "track access charge", "fi": "ratamaksu"},
    "track_tax_passenger": {"en": "track tax", "fi": "ratavero"},
    "track_maintenance_per_km_year": {"en": "track maintenance", "fi": "radan kunnossapito"},
    "station_upkeep_per_year": {"en": "stop upkeep", "fi": "asemien ylläpito"},
    "overhead_share": {"en": "overheads", "fi": "yleiskustannukset"},
    "contingency_share": {"en": "contingency", "fi": "varaus"},
}
"""Unit-cost items of data/costs/unit_costs.csv (capex.csv and opex.csv item_id)."""

ROLLING_STOCK: dict[str, dict[str, str]] = {
    "dmu_dm12": {"en": "Dm12 railbuses", "fi": "Dm12-kiskobussia"},
    "dmu_modern": {"en": "modern two-car diesel units",
                   "fi": "modernia kaksivaunuista dieseljunaa"},
    "bemu": {"en": "battery-electric units", "fi": "akkusähköjunaa"},
    "emu_sm5": {"en": "Sm5 electric units", "fi": "Sm5-sähköjunaa"},
    "emu_regional": {"en": "Sm4 regional electric units", "fi": "Sm4-sähköjunaa"},
    "tram_train": {"en": "tram-train vehicles", "fi": "duoraitiovaunua"},
    "freight_diesel": {"en": "diesel freight trains", "fi": "dieseltavarajunaa"},
}
"""Rolling-stock types of data/rolling_stock/types.csv, as counted ('3 × …', in
Finnish '3 …' with the noun in the partitive a number above one takes)."""

ROLLING_STOCK_ONE: dict[str, dict[str, str]] = {
    "dmu_dm12": {"en": "Dm12 railbus", "fi": "Dm12-kiskobussi"},
    "dmu_modern": {"en": "modern two-car diesel unit", "fi": "moderni kaksivaunuinen dieseljuna"},
    "bemu": {"en": "battery-electric unit", "fi": "akkusähköjuna"},
    "emu_sm5": {"en": "Sm5 electric unit", "fi": "Sm5-sähköjuna"},
    "emu_regional": {"en": "Sm4 regional electric unit", "fi": "Sm4-sähköjuna"},
    "tram_train": {"en": "tram-train vehicle", "fi": "duoraitiovaunu"},
    "freight_diesel": {"en": "diesel freight train", "fi": "dieseltavarajuna"},
}
"""The same types, one of them ('1 × …'; in Finnish the nominative: '1 Sm5-sähköjuna')."""

_TRAIN_PROTECTION = {"jkv": {"en": "JKV", "fi": "JKV"}, "etcs": {"en": "ETCS", "fi": "ETCS"}}
_WHERE = re.compile(r"(?P<line>[A-Z][A-Z0-9_]*) km (?P<lo>-?[\d.]+)–(?P<hi>-?[\d.]+)")


def input_name(target: str, lang: str) -> str:
    """The reader's name of an uncertainty target (the id itself when it is unknown)."""
    if target in INPUTS:
        return INPUTS[target][lang]
    head, _, item = target.partition(".")
    if head == "unit_costs" and item in ITEMS:
        return f"{'unit cost' if lang == 'en' else 'yksikkökustannus'}: {ITEMS[item][lang]}"
    return target


def _km(text: str, lang: str) -> str:
    value = float(text)
    return numfmt.number(value, 0 if value == int(value) else 1, lang)


def _where(description: str, lang: str) -> str:
    """'HEI km 0–37,4' from the description's 'HEI km 0–37.4' (empty when it has none)."""
    found = _WHERE.search(description)
    if found is None:
        return ""
    return f"{found['line']} km {_km(found['lo'], lang)}–{_km(found['hi'], lang)}"


def _stations(description: str, names: Mapping[str, str]) -> str:
    _, _, ids = description.partition(":")
    return ", ".join(names.get(s.strip(), s.strip()) for s in ids.split(",") if s.strip())


def _rolling_stock(type_id: str, count: str, lang: str) -> str:
    """'3 × Sm5 electric units', '1 × Sm5 electric unit'; in Finnish a number and its
    noun agree without the sign: '3 Sm5-sähköjunaa', '1 Sm5-sähköjuna'.

    >>> _rolling_stock("emu_sm5", "3", "fi"), _rolling_stock("emu_sm5", "1", "fi")
    ('3 Sm5-sähköjunaa', '1 Sm5-sähköjuna')
    >>> _rolling_stock("emu_sm5", "1", "en"), _rolling_stock("emu_sm5", "", "en")
    ('1 × Sm5 electric unit', 'Sm5 electric units')
    """
    table = ROLLING_STOCK_ONE if count == "1" else ROLLING_STOCK
    stock = table.get(type_id, {}).get(lang, type_id)
    if not count:
        return stock
    return f"{count} {stock}" if lang == "fi" else f"{count} × {stock}"


def capex_item_name(item_id: str, description: str, lang: str,
                    station_names: Mapping[str, str] | None = None) -> str:
    """The reader's name of an investment line of capex.csv (railsim.costs.model words
    its descriptions; this names them again in ``lang``, stations by name)."""
    names = station_names or {}
    kind, _, type_id = item_id.partition(":")
    if kind == "rolling_stock":
        return _rolling_stock(type_id, description.split("×")[0].strip(), lang)
    if description.startswith("extension to "):
        place = description.removeprefix("extension to ").split(" (")[0].split(":")[0]
        what = ("radan jatke: " if lang == "fi" else "extension: ") + place
        return what + (", sähköistys" if lang == "fi" and "overhead" in description
                       else ", overhead line" if "overhead" in description else "")
    label = ITEMS.get(item_id, {}).get(lang)
    if label is None:
        return description
    if item_id == "line_speed_upgrade_per_km":
        speed = re.search(r"(\d+) km/h", description)
        if speed:
            label = (f"nopeuden nosto {speed[1]} km/h:iin" if lang == "fi"
                     else f"line speed raised to {speed[1]} km/h")
    if item_id == "train_protection_per_km":
        system = description.split(" ")[0]
        label = f"{_TRAIN_PROTECTION.get(system, {}).get(lang, system.upper())} " + (
            "-junakulunvalvonta" if lang == "fi" else "train protection").lstrip()
        label = label.replace(" -", "-")
    if item_id in ("new_halt", "station_platform_upgrade") and ":" in description:
        return f"{label}: {_stations(description, names)}"
    where = _where(description, lang)
    return f"{label}, {where}" if where else label

"""Effects by party, as Väylävirasto's appraisal reports tabulate them.

Every present value of the central cash flows is given to the party it falls on: users,
producers (the train operator, the bus authority, freight operators), the public sector
(the state as infrastructure manager and tax collector, the municipalities that buy the
train service, taxpayers' excess burden through the tax factor) and externalities. Two
transfers are shown explicitly, so that who pays is visible: the track charges (operator
→ state) and the purchased-service payment (municipalities → operator, covering the
operator's deficit including its rolling stock). The rows sum to the societal NPV.

The Finnish benefit–cost ratio divides the rows marked ``numerator`` by the rows marked
``denominator`` (the incremental infrastructure investment and its excess burden, with
the sign turned): rolling stock counts with the producers, as the guidance does.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

NOT_ASSESSED = "not assessed (no data)"


def _pv(table: Mapping[str, np.ndarray], column: str) -> float:
    values = np.asarray(table[column]).reshape(-1)
    discount = np.asarray(table["discount_factor"]).reshape(-1)
    return float((values * discount).sum())


def effect_rows(table: Mapping[str, np.ndarray]) -> list[dict[str, object]]:
    """The rows of effects.csv from one (central) yearly table."""
    pv = {k: _pv(table, k) for k in (
        "user_time_benefit_eur", "user_money_benefit_eur", "user_reliability_benefit_eur",
        "car_cost_saving_eur", "revenue_eur", "opex_eur", "track_charges_eur",
        "rolling_stock_capex_eur", "rolling_stock_residual_eur", "bus_operating_saving_eur",
        "bus_revenue_lost_eur", "freight_cost_eur", "infrastructure_capex_eur",
        "infrastructure_residual_eur", "infrastructure_maintenance_eur", "indirect_tax_eur",
        "public_funds_cost_eur", "emission_benefit_eur", "accident_benefit_eur")}
    tax_factor = float(np.asarray(table["tax_factor"]).reshape(-1)[0])
    burden_on_investment = -(tax_factor - 1) * pv["infrastructure_capex_eur"]
    operator_deficit = (pv["opex_eur"] + pv["rolling_stock_capex_eur"]
                        - pv["rolling_stock_residual_eur"] - pv["revenue_eur"])
    n, d = "numerator", "denominator"
    rows = [
        ("users", "travellers", "user_time", "Time saved (rule of half)",
         pv["user_time_benefit_eur"], n),
        ("users", "travellers", "user_money", "Fares and car costs saved (rule of half)",
         pv["user_money_benefit_eur"], n),
        ("users", "travellers", "user_reliability",
         "Train lateness beyond its in-vehicle time (rule of half)",
         pv["user_reliability_benefit_eur"], n),
        ("users", "car users", "car_costs_unperceived",
         "Car running costs drivers did not perceive, on the car-km given up",
         pv["car_cost_saving_eur"], n),
        ("producers", "train operator", "fare_revenue", "Fare revenue (net of VAT)",
         pv["revenue_eur"], n),
        ("producers", "train operator", "operating_cost",
         "Crew, maintenance, energy and overheads",
         -(pv["opex_eur"] - pv["track_charges_eur"]), n),
        ("producers", "train operator", "track_charges_paid",
         "Track access charge and track tax (to the state)", -pv["track_charges_eur"], n),
        ("producers", "train operator", "rolling_stock",
         "Rolling stock and depot: purchase and renewals", -pv["rolling_stock_capex_eur"], n),
        ("producers", "train operator", "rolling_stock_residual",
         "Residual value of rolling stock and depot", pv["rolling_stock_residual_eur"], n),
        ("producers", "train operator", "purchased_service_received",
         "Payment for the purchased service (covers the operator's deficit)",
         operator_deficit, n),
        ("producers", "bus authority", "bus_operating_saving",
         "Bus operating cost saved on the bus-km removed", pv["bus_operating_saving_eur"], n),
        ("producers", "bus authority", "bus_revenue_lost",
         "Bus fares (net of VAT) no longer paid", -pv["bus_revenue_lost_eur"], n),
        ("producers", "freight operators", "freight_paths_moved",
         "Freight paths moved to fit the passenger trains", pv["freight_cost_eur"], n),
        ("public_sector", "state", "infrastructure_investment",
         "Infrastructure investment beyond the do-minimum's", -pv["infrastructure_capex_eur"],
         d),
        ("public_sector", "state", "infrastructure_residual",
         "Residual value of that infrastructure", pv["infrastructure_residual_eur"], n),
        ("public_sector", "state", "infrastructure_maintenance",
         "Infrastructure maintenance beyond the do-minimum's",
         -pv["infrastructure_maintenance_eur"], n),
        ("public_sector", "state", "track_charges_received",
         "Track access charge and track tax (from the operator)", pv["track_charges_eur"], n),
        ("public_sector", "state", "tax_revenue",
         "VAT on fares less VAT on bus fares lost, less fuel tax on car-km saved",
         pv["indirect_tax_eur"], n),
        ("public_sector", "municipalities", "purchased_service_paid",
         "Payment for the purchased train service", -operator_deficit, n),
        ("public_sector", "taxpayers", "excess_burden_investment",
         "Excess burden of taxation (tax factor − 1) on the infrastructure investment",
         burden_on_investment, d),
        ("public_sector", "taxpayers", "excess_burden_other",
         "Excess burden of taxation on the other public cash flows",
         pv["public_funds_cost_eur"] - burden_on_investment, n),
        ("externalities", "society", "emissions",
         "Car and bus emissions avoided less the trains' CO2", pv["emission_benefit_eur"], n),
        ("externalities", "society", "accidents", "Road accidents avoided",
         pv["accident_benefit_eur"], n),
        ("externalities", "society", "noise", f"Noise: {NOT_ASSESSED}", 0.0, n),
    ]
    return [{"party": party, "payer": payer, "effect": effect, "description": text,
             "pv_eur": value, "in_bcr": part}
            for party, payer, effect, text, value, part in rows]


def bcr_reading(numerator: float, denominator: float) -> str:
    """The Finnish benefit–cost ratio in plain words (English; the report translates).

    >>> bcr_reading(-20e6, 100e6).split(":")[0]
    'Negative ratio (−0.20)'
    >>> bcr_reading(150e6, 100e6)
    'Benefits 1.50 times the investment: worth doing on these figures.'
    """
    if denominator <= 0:
        return "No infrastructure investment beyond the do-minimum: the ratio is not defined."
    ratio = numerator / denominator
    if numerator < 0:
        return (f"Negative ratio (−{abs(ratio):.2f}): besides the investment, the project is a "
                f"net cost of {abs(numerator) / 1e6:.0f} M€ (present value); each euro invested "
                f"brings {abs(ratio):.2f} € more cost, not benefit.")
    if ratio < 1:
        return (f"Benefits {ratio:.2f} times the investment: each euro invested returns "
                f"{ratio:.2f} €.")
    return f"Benefits {ratio:.2f} times the investment: worth doing on these figures."

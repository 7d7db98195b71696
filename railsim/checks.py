"""Consistency checks after the schema: a scenario against itself and the corridor data.

Each ``check_*`` function returns :class:`Issue` records (a field path, a message,
what was given, what is allowed); :func:`check_scenario` runs them all against a
:class:`~railsim.corridor.Corridor`. :mod:`railsim.scenarios` turns issues into located
problems. The checks need no pandas, so ``railsim validate`` stays fast.

They sit above the configuration layer (they need the corridor data and the network),
so :mod:`railsim.config` stays a pure schema-and-YAML layer.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from railsim.config import schema
from railsim.config.suggest import did_you_mean, id_list, suggest_id
from railsim.config.yamlio import Path_
from railsim.data import Domain, parse_domain
from railsim.errors import Issue

if typing.TYPE_CHECKING:
    from railsim.corridor import Corridor
    from railsim.network import Leg, Network



@dataclass
class Facts:
    """The parts of the corridor data the checks need."""

    lines: dict[str, dict[str, Any]]
    stations: dict[str, dict[str, Any]]
    positions: dict[str, dict[str, float]] = field(default_factory=dict)
    """station_id → {line_id: km_from_lahti}"""
    rolling_stock: dict[str, dict[str, Any]] = field(default_factory=dict)
    unit_costs: set[str] = field(default_factory=set)
    investment_unit_costs: set[str] = field(default_factory=set)
    """Unit-cost items of investment lines (category ``infrastructure``)."""
    appraisal_values: set[str] = field(default_factory=set)
    demand_parameters: set[str] = field(default_factory=set)
    data_values: dict[str, tuple[float, str]] = field(default_factory=dict)
    """``unit_costs.<id>``, ``demand_parameters.<id>``, ``appraisal_values.<id>`` → (value,
    unit) of the data row."""
    data_domains: dict[str, Domain] = field(default_factory=dict)
    """The same keys → the values the data value can take (column ``domain``, where its
    table has one)."""
    corridor: Corridor | None = None

    @classmethod
    def of(cls, corridor: Corridor) -> Facts:
        """The facts of a corridor (tables a small test corridor lacks count as empty)."""

        def keys(name: str) -> dict[Any, dict[str, Any]]:
            return corridor.by_key(name) if corridor.has(name) else {}

        facts = cls(
            corridor=corridor,
            lines=keys("lines"),
            stations=keys("stations"),
            rolling_stock=keys("rolling_stock"),
            unit_costs=set(keys("unit_costs")),
            investment_unit_costs={item for item, row in keys("unit_costs").items()
                                   if str(row.get("category", "")).strip() == "infrastructure"},
            appraisal_values=set(keys("appraisal_values")),
            demand_parameters=set(keys("demand_parameters")),
        )
        for table in ("unit_costs", "demand_parameters", "appraisal_values"):
            for key, row in keys(table).items():
                if isinstance(row.get("value"), int | float):
                    facts.data_values[f"{table}.{key}"] = (float(row["value"]),
                                                           str(row.get("unit") or "").strip())
                if row.get("domain"):  # the reader has checked it parses
                    facts.data_domains[f"{table}.{key}"] = parse_domain(row["domain"])
        for row in corridor.records("line_stations"):
            facts.positions.setdefault(row["station_id"], {})[row["line_id"]] = row[
                "km_from_lahti"
            ]
        return facts


# ---------------------------------------------------------------------------


def _station_issue(path: Path_, station: str, stations: typing.Mapping[str, dict[str, Any]],
                   added: typing.Mapping[str, str] | None = None) -> Issue:
    """An unknown station id, with the id meant (matched on ids and names, diacritics
    optional) and the ids there are; ``added``: id → name of the scenario's own stations."""
    names = {sid: str(row.get("name") or sid) for sid, row in stations.items()}
    names.update(added or {})
    return Issue(path, "unknown station", repr(station),
                 "a station id: " + id_list(names), suggest_id(station, names))


def raw_station_issues(document: typing.Mapping[str, Any], corridor: Corridor
                       ) -> list[Issue]:
    """Unknown station ids in a scenario document that failed schema validation.

    The schema errors stop the cross-checks, so without this a file with a misspelt field
    and a misspelt station would show the second only after the first was fixed: all
    problems of a file come in one round. Only string values at station fields
    (``stations[j]``, ``station``, ``attach_to``, the keys of ``dwell_by_station_s``) are
    looked at; the schema reports the rest.
    """
    stations = corridor.by_key("stations") if corridor.has("stations") else {}
    if not stations:
        return []
    extensions = (document.get("infrastructure") or {}).get("extensions") \
        if isinstance(document.get("infrastructure"), dict) else None
    added = {str(e["id"]): str(e.get("name") or e["id"])
             for e in (extensions if isinstance(extensions, list) else [])
             if isinstance(e, dict) and isinstance(e.get("id"), str)}
    issues = []
    for path, value in _station_values(document, ()):
        if value not in stations and value not in added:
            issues.append(_station_issue(path, value, stations, added))
    return issues


def _station_values(node: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("station", "attach_to") and isinstance(value, str):
                yield (*path, key), value
            elif key == "stations" and isinstance(value, list):
                for j, item in enumerate(value):
                    if isinstance(item, str):
                        yield (*path, key, j), item
            elif key == "dwell_by_station_s" and isinstance(value, dict):
                for station in value:
                    yield (*path, key, station), str(station)
            else:
                yield from _station_values(value, (*path, key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _station_values(item, (*path, i))


def check_rolling_stock(s: schema.Scenario, facts: Facts) -> Iterator[Issue]:
    rs = s.rolling_stock
    row = facts.rolling_stock.get(rs.type)
    if row is None:
        yield Issue(("rolling_stock", "type"), "unknown rolling-stock type", repr(rs.type),
                    ", ".join(sorted(facts.rolling_stock)),
                    did_you_mean(rs.type, facts.rolling_stock))
        return
    most = row["max_units_coupled"]
    for name in ("units_per_train_peak", "units_per_train_offpeak"):
        if getattr(rs, name) > most:
            yield Issue(("rolling_stock", name), f"{rs.type} can run at most {most} units coupled",
                        str(getattr(rs, name)), f"1..{most}")


def _check_on_line(path: Path_, line_id: str, kms: dict[str, float | None],
                   facts: Facts) -> Iterator[Issue]:
    """A known line, and positions on it (``kms``: field name → km) within its length."""
    line = facts.lines.get(line_id)
    if line is None:
        yield Issue((*path, "line"), "unknown line", repr(line_id), ", ".join(facts.lines),
                    did_you_mean(line_id, facts.lines))
        return
    for name, km in kms.items():
        if km is not None and km > line["length_km"]:
            yield Issue((*path, name), f"beyond the end of line {line_id}", str(km),
                        f"0..{line['length_km']} km")


def _check_new_stops(s: schema.Scenario, facts: Facts) -> Iterator[Issue]:
    seen: set[str] = set()
    for i, stop in enumerate(s.infrastructure.new_stops):
        path: Path_ = ("infrastructure", "new_stops", i, "station")
        if stop.station not in facts.stations:
            yield _station_issue(path, stop.station, facts.stations)
            continue
        if stop.station in seen:
            yield Issue(path, "stop listed twice", repr(stop.station))
        seen.add(stop.station)
        row = facts.stations[stop.station]
        if row["kind"] == "passenger" and row["platform_length_m"]:
            yield Issue(path, "already a passenger station with a platform", repr(stop.station),
                        "historic, proposed or freight places")
        if stop.station not in facts.positions:
            yield Issue(path, "station is not on any line of the network", repr(stop.station))


def check_infrastructure(s: schema.Scenario, facts: Facts) -> Iterator[Issue]:
    infra = s.infrastructure
    for i, up in enumerate(infra.upgrades):
        yield from _check_on_line(("infrastructure", "upgrades", i), up.line,
                                  {"from_km": up.from_km, "to_km": up.to_km}, facts)
    for i, loop in enumerate(infra.passing_loops):
        yield from _check_on_line(("infrastructure", "passing_loops", i), loop.line,
                                  {"km": loop.km}, facts)
    yield from _check_new_stops(s, facts)
    for i, kept in enumerate(infra.freight_lines_kept or []):
        if kept not in facts.lines:
            yield Issue(("infrastructure", "freight_lines_kept", i), "unknown line", repr(kept),
                        ", ".join(facts.lines), did_you_mean(kept, facts.lines))
    for i, ext in enumerate(infra.extensions):
        path: Path_ = ("infrastructure", "extensions", i)
        if ext.id in facts.stations:
            yield Issue((*path, "id"), "id already used by a station in the data", repr(ext.id))
        if ext.attach_to not in facts.stations:
            yield _station_issue((*path, "attach_to"), ext.attach_to, facts.stations)


def _check_line_stations(s: schema.Scenario, svc: schema.ServiceLine, base: Path_,
                         facts: Facts) -> Iterator[Issue]:
    """The stations of one service line: known, each once, with a platform."""
    ext_ids = {e.id for e in s.infrastructure.extensions}
    new_stops = {st.station for st in s.infrastructure.new_stops}
    for j, st in enumerate(svc.stations):
        if st not in facts.stations and st not in ext_ids:
            yield _station_issue((*base, "stations", j), st, facts.stations,
                                 {e.id: e.name for e in s.infrastructure.extensions})
        elif svc.stations.index(st) != j:
            yield Issue((*base, "stations", j), "station served twice", repr(st))
        elif st in facts.stations and st not in new_stops:
            row = facts.stations[st]
            if not (row["kind"] == "passenger" and row["platform_length_m"]):
                yield Issue((*base, "stations", j),
                            f"{st} ({row['name']}) has no passenger platform", repr(st),
                            f"add {{station: {st}}} to infrastructure.new_stops")


def check_service(s: schema.Scenario, facts: Facts) -> Iterator[Issue]:
    from railsim.network import Network, RouteError

    assert facts.corridor is not None, "check_service needs the corridor's network"
    network = Network.build(facts.corridor, s)
    rs = facts.rolling_stock.get(s.rolling_stock.type)
    days = s.service
    if days.weekdays_per_year + days.saturdays_per_year + days.sundays_per_year > 366:
        yield Issue(("service", "weekdays_per_year"), "more days of service than a year has",
                    f"{days.weekdays_per_year} weekdays + {days.saturdays_per_year} Saturdays "
                    f"+ {days.sundays_per_year} Sundays = "
                    f"{days.weekdays_per_year + days.saturdays_per_year + days.sundays_per_year}",
                    "at most 366 days together (250 + 52 + 63 by default)")
    seen_ids: set[str] = set()
    for i, svc in enumerate(s.service.lines):
        base: Path_ = ("service", "lines", i)
        if svc.id in seen_ids:
            yield Issue((*base, "id"), "service id used twice", repr(svc.id))
        seen_ids.add(svc.id)
        station_issues = list(_check_line_stations(s, svc, base, facts))
        yield from station_issues
        if any("no passenger platform" not in issue.message for issue in station_issues):
            continue  # an unknown or repeated station: no route to check
        try:
            legs = network.route(list(svc.stations))
        except RouteError as exc:
            yield Issue((*base, "stations", exc.index), exc.message, exc.given, exc.allowed)
            continue
        yield from _check_traction(s, network, legs, rs)
        yield from _check_protection(network, base, legs)
        yield from _check_schedules(s, svc, base)


def _check_schedules(s: schema.Scenario, svc: schema.ServiceLine, base: Path_
                     ) -> Iterator[Issue]:
    schedules = [("weekday", svc.weekday), ("saturday", svc.saturday), ("sunday", svc.sunday)]
    if all(day is None for _, day in schedules):
        yield Issue(base, "no weekday, saturday or sunday service given", "",
                    "at least one of weekday, saturday, sunday")
    for day_name, day in schedules:
        if day is not None:
            yield from _check_day(svc, day, (*base, day_name), s.operations.minimum_headway_min)


def _check_traction(
    s: schema.Scenario, network: Network, legs: list[Leg], rs: dict[str, Any] | None,
) -> Iterator[Issue]:
    if rs is None:
        return
    traction = rs["traction"]
    if traction not in ("electric", "tram_train", "battery"):
        return
    off_wire = 0.0
    for leg in legs:
        lo, hi = sorted((leg.from_km, leg.to_km))
        dead = [sec for sec in network.sections_between(leg.line_id, lo, hi)
                if not sec.electrified]
        if dead and traction in ("electric", "tram_train"):
            yield Issue(("rolling_stock", "type"),
                        f"{s.rolling_stock.type} needs overhead line but line {leg.line_id} "
                        f"is not electrified at km {dead[0].from_km:g}–{dead[-1].to_km:g}",
                        repr(s.rolling_stock.type),
                        f"electrify it (infrastructure.upgrades: line {leg.line_id}, "
                        "electrification: true) or use diesel, bimode or battery stock")
            return
        if dead:
            off_wire = max(off_wire, max(sec.to_km for sec in dead)
                           - min(sec.from_km for sec in dead))
    if traction == "battery" and rs["battery_range_km"]:
        needed = 2 * off_wire  # out and back before charging again under the wire
        if needed > rs["battery_range_km"]:
            yield Issue(("rolling_stock", "type"),
                        f"{s.rolling_stock.type} battery range {rs['battery_range_km']:.0f} km "
                        f"is below the {needed:.0f} km run off the wire and back",
                        repr(s.rolling_stock.type),
                        "electrify part of the line or choose another type")


def _check_protection(network: Network, base: Path_, legs: list[Leg]) -> Iterator[Issue]:
    for leg in legs:
        lo, hi = sorted((leg.from_km, leg.to_km))
        bare = [sec for sec in network.sections_between(leg.line_id, lo, hi)
                if sec.train_protection == "none"]
        if bare:
            yield Issue((*base, "stations"),
                        f"passenger trains need automatic train protection; line "
                        f"{leg.line_id} has none at km {bare[0].from_km:g}–{bare[-1].to_km:g}",
                        "", f"an upgrade of line {leg.line_id} with train_protection: jkv or "
                        "etcs")
            return


def _check_day(svc: schema.ServiceLine, day: schema.DaySchedule, path: Path_,
               minimum_headway_min: float) -> Iterator[Issue]:
    first = schema.clock_to_seconds(day.first_departure)
    last = schema.clock_to_seconds(day.last_departure)
    if first > last:
        yield Issue((*path, "first_departure"), "first departure is after the last",
                    f"{day.first_departure} > {day.last_departure}",
                    f"a time at or before {day.last_departure}")
    headways = [("headway_min", day.headway_min, (*path, "headway_min"))]
    previous_end = -1
    for k, peak in enumerate(sorted(day.peaks, key=lambda p: schema.clock_to_seconds(p.start))):
        p_path = (*path, "peaks", day.peaks.index(peak))
        start, end = schema.clock_to_seconds(peak.start), schema.clock_to_seconds(peak.end)
        if end <= start:
            yield Issue((*p_path, "end"), "peak ends before it starts",
                        f"{peak.start}–{peak.end}", f"a time after {peak.start}")
        if start < previous_end:
            yield Issue((*p_path, "start"), "peaks overlap", peak.start,
                        "non-overlapping periods")
        if start < first or start > last:
            yield Issue((*p_path, "start"), "peak starts outside the service hours", peak.start,
                        f"{day.first_departure}..{day.last_departure}")
        previous_end = max(previous_end, end)
        headways.append((f"peak {k + 1}", peak.headway_min, (*p_path, "headway_min")))
    for _label, headway, h_path in headways:
        if headway < minimum_headway_min:
            # two trains of one line follow each other on the same track
            yield Issue(h_path, "headway is shorter than the minimum headway between trains",
                        f"{headway:g} min", f"at least operations.minimum_headway_min "
                        f"({minimum_headway_min:g} min)")
    if svc.clock_face:
        period = svc.clock_period_min
        divisors = [d for d in range(1, period + 1) if period % d == 0]
        for _label, headway, h_path in headways:
            whole = float(headway).is_integer()
            if not whole or (period % int(headway) != 0 and int(headway) % period != 0):
                yield Issue(h_path,
                            f"headway does not fit the clock-face period of {period} min",
                            f"{headway:g} min", f"one of {', '.join(map(str, divisors))} min, a "
                            f"multiple of {period} min, or clock_face: false")


def check_operations(s: schema.Scenario, facts: Facts) -> Iterator[Issue]:
    if s.simulation.engine == "vectorised" and s.operations.dispatching != "timetable_order":
        yield Issue(("simulation", "engine"), "the vectorised engine needs operations."
                    "dispatching: timetable_order (first come first served depends on the "
                    "draws)", f"vectorised with {s.operations.dispatching}",
                    "engine: simpy or auto (which picks simpy here), or dispatching: "
                    "timetable_order")
    ext_ids = {e.id for e in s.infrastructure.extensions}
    for st in s.operations.dwell_by_station_s:
        path = ("operations", "dwell_by_station_s", st)
        if st not in facts.stations and st not in ext_ids:
            yield _station_issue(path, st, facts.stations,
                                 {e.id: e.name for e in s.infrastructure.extensions})


def check_costs(s: schema.Scenario, facts: Facts) -> Iterator[Issue]:
    for item, value in s.costs.unit_cost_overrides.items():
        if item not in facts.unit_costs:
            yield Issue(("costs", "unit_cost_overrides", item), "unknown unit-cost item",
                        repr(item), "item_id values in data/costs/unit_costs.csv",
                        did_you_mean(item, facts.unit_costs))
        elif facts.data_values.get(f"unit_costs.{item}", (0.0, ""))[1] == "fraction" \
                and value > 1:
            # a share written as a percentage (30 for 0.30) would multiply the costs
            yield Issue(("costs", "unit_cost_overrides", item),
                        "a share of the costs, not a percentage", f"{value:g}",
                        "a fraction from 0 to 1 (0.30 for 30 %)")
    if s.demand.fares.policy == "flat" and s.demand.fares.flat_fare_eur is None:
        yield Issue(("demand", "fares", "flat_fare_eur"), "flat fare policy needs a fare", "",
                    "a price in EUR")
    if len(s.appraisal.ramp_up) > s.appraisal.period_years:
        yield Issue(("appraisal", "ramp_up"), "ramp-up longer than the appraisal period",
                    f"{len(s.appraisal.ramp_up)} years", f"at most {s.appraisal.period_years}")


def numeric_field(path: list[str]) -> bool:
    """Whether a dotted path names a numeric field of the scenario schema."""
    current: Any = schema.Scenario
    for part in path:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return False
        info = current.model_fields.get(part)
        if info is None:
            return False
        current = info.annotation
        args = [a for a in typing.get_args(current) if a is not type(None)]
        if typing.get_origin(current) is not None and len(args) == 1:
            current = args[0]
    return current in (int, float)


def check_uncertainty(s: schema.Scenario, facts: Facts) -> Iterator[Issue]:
    numeric = _numeric_paths()
    for i, item in enumerate(s.uncertainty.inputs):
        path = ("uncertainty", "inputs", i, "target")
        head, _, rest = item.target.partition(".")
        if head == "unit_costs":
            if rest not in facts.unit_costs:
                yield Issue(path, "unknown unit-cost item", repr(rest),
                            "item_id values in data/costs/unit_costs.csv",
                            did_you_mean(rest, facts.unit_costs))
        elif head == "appraisal_values":
            if rest not in facts.appraisal_values:
                yield Issue(path, "unknown appraisal value", repr(rest),
                            "parameter_id values in data/appraisal/appraisal_values.csv",
                            did_you_mean(rest, facts.appraisal_values))
        elif head == "demand_parameters":
            if rest not in facts.demand_parameters:
                yield Issue(path, "unknown ridership parameter", repr(rest),
                            "parameter_id values in data/demand/demand_parameters.csv",
                            did_you_mean(rest, facts.demand_parameters))
        elif not numeric_field(item.target.split(".")):
            yield Issue(path, "not a numeric scenario input", repr(item.target),
                        "an input the analysis varies, such as demand.train_constant_min, "
                        "costs.capex_multiplier, unit_costs.<item_id> or "
                        "demand_parameters.<parameter_id> (docs/scenario-reference.md)",
                        did_you_mean(item.target, numeric))
            continue
        if not _varied(item.target, facts):
            yield _not_varied(path, item.target, facts)
            continue
        yield from _drawn_within_bounds(s, i, item, facts)


def _varied(target: str, facts: Facts) -> bool:
    """Whether the uncertainty analysis varies a known target (the others would be left at
    their central value without a word, and missing from the tornado)."""
    from railsim.appraisal.uncertainty import SCALAR_TARGETS
    from railsim.demand.draws import TARGETS

    head, _, rest = target.partition(".")
    return (target in SCALAR_TARGETS or target in TARGETS
            or (head == "unit_costs" and rest in facts.investment_unit_costs))


def _not_varied(path: Path_, target: str, facts: Facts) -> Issue:
    from railsim.appraisal.uncertainty import SCALAR_TARGETS
    from railsim.demand.draws import TARGETS

    head = target.partition(".")[0]
    if head == "unit_costs":
        allowed = [f"unit_costs.{item}" for item in sorted(facts.investment_unit_costs)]
        return Issue(path, "the uncertainty analysis does not vary this unit cost (its draws "
                     "would be left out without a word)", repr(target),
                     "an investment item (category infrastructure in "
                     "data/costs/unit_costs.csv): " + ", ".join(allowed))
    # the inputs of the same section, or all that are not data values
    allowed = ([t for t in (*SCALAR_TARGETS, *TARGETS) if t.partition(".")[0] == head]
               or [t for t in (*SCALAR_TARGETS, *TARGETS)
                   if not t.startswith("demand_parameters.")])
    same = [t for t in (*SCALAR_TARGETS, *TARGETS)  # appraisal_values.discount_rate
            if t.rpartition(".")[2] == target.rpartition(".")[2]]
    return Issue(path, "the uncertainty analysis does not vary this input (its draws would "
                 "be left out without a word)", repr(target), "one of " + ", ".join(allowed),
                 f"did you mean {same[0]!r}?" if same else "")


def _drawn_within_bounds(s: schema.Scenario, i: int, item: schema.UncertainInput,
                         facts: Facts) -> Iterator[Issue]:
    """A draw must give its target a value the target can have: a scenario field's bounds
    (the base value times the draw in multiply mode), a multiplier never negative, a
    data value never of the other sign and a share within 0..1."""
    from railsim.config.validate import field_bounds
    from railsim.distributions import NORMAL_REACH_SD, drawn_range

    path = ("uncertainty", "inputs", i, "distribution")
    low, high = drawn_range(item.distribution)
    shown = f"draws from {_number(low)} to {_number(high)}" + (
        f" (its tail taken to {NORMAL_REACH_SD:g} sd)" if isinstance(
            item.distribution, schema.Normal | schema.Lognormal | schema.Exponential) else "")
    if item.mode == "multiply" and low < 0:  # a negative multiplier flips any quantity
        yield Issue(path, f"a multiplier of {item.target} can be negative", shown,
                    "multipliers >= 0 (a lognormal, triangular or uniform distribution, "
                    "or a narrower normal)")
        return
    if item.target.partition(".")[0] in _DATA_FILES:
        yield from _data_value_within_bounds(s, path, item, (low, high), shown, facts)
        return
    lowest, highest, open_low, open_high = field_bounds(item.target.split("."))
    if item.mode == "multiply":
        base = _value_at(s, item.target.split("."))
        if base is None:
            return
        low, high = sorted((base * low, base * high))
        shown += f", times {_number(base)}: {_number(low)} to {_number(high)}"
    if (low < lowest or high > highest or (open_low and low == lowest)
            or (open_high and high == highest)):
        yield Issue(path, f"draws take {item.target} outside what it can be", shown,
                    f"{'above ' if open_low else ''}{_number(lowest)} to "
                    f"{'below ' if open_high else ''}{_number(highest)}")


_DATA_FILES = {"unit_costs": "data/costs/unit_costs.csv",
               "demand_parameters": "data/demand/demand_parameters.csv",
               "appraisal_values": "data/appraisal/appraisal_values.csv"}


def _data_value_within_bounds(s: schema.Scenario, path: Path_, item: schema.UncertainInput,
                              drawn: tuple[float, float], shown: str, facts: Facts
                              ) -> Iterator[Issue]:
    """A draw of a data value stays in the value's domain where its table declares one
    (column ``domain`` of demand_parameters.csv: a nest scale in (0, 1]); a table without
    one declares only a unit and a central value: there a draw keeps the value's sign (a
    cost stays a cost), and a share (unit ``fraction``) within 0..1."""
    if item.target in facts.data_domains:
        yield from _drawn_within_domain(path, item, drawn, shown, facts)
        return
    low, high = drawn
    if item.mode == "replace" and low < 0 < high:
        yield Issue(path, f"draws of {item.target} change sign", shown, "values of one sign")
        return
    table, _, key = item.target.partition(".")
    if item.target not in facts.data_values:
        return
    value, unit = facts.data_values[item.target]
    if table == "unit_costs" and key in s.costs.unit_cost_overrides:
        value = float(s.costs.unit_cost_overrides[key])
    where = f"{_number(value)} {unit} in {_DATA_FILES[table]}".replace("  ", " ")
    if item.mode == "multiply":
        low, high = sorted((value * low, value * high))
        shown += f", times {_number(value)}: {_number(low)} to {_number(high)}"
    if unit == "fraction" and (low < 0 or high > 1):
        yield Issue(path, f"draws take {item.target} outside what it can be", shown,
                    f"0 to 1 (a share: {where})")
    elif value > 0 > low or value < 0 < high:
        yield Issue(path, f"draws take {item.target} to the other sign of its value", shown,
                    f"{'0 or above' if value > 0 else '0 or below'} (its value: {where})")


def _drawn_within_domain(path: Path_, item: schema.UncertainInput, drawn: tuple[float, float],
                         shown: str, facts: Facts) -> Iterator[Issue]:
    domain = facts.data_domains[item.target]
    low, high = drawn
    table = item.target.partition(".")[0]
    value, unit = facts.data_values.get(item.target, (1.0, ""))
    if item.mode == "multiply":
        low, high = sorted((value * low, value * high))
        shown += f", times {_number(value)}: {_number(low)} to {_number(high)}"
    if not domain.holds(low, high):
        where = f"{_number(value)} {unit}".strip()
        yield Issue(path, f"draws take {item.target} outside what it can be", shown,
                    f"{domain.describe()} (its domain in {_DATA_FILES[table]}; its value: "
                    f"{where})")


def _number(value: float) -> str:
    return f"{value:g}"


def _value_at(s: schema.Scenario, path: list[str]) -> float | None:
    node: Any = s
    for part in path:
        node = getattr(node, part, None)
    return float(node) if isinstance(node, int | float) else None


def _numeric_paths(model: type[BaseModel] = schema.Scenario, prefix: str = "") -> list[str]:
    out = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out.extend(_numeric_paths(annotation, f"{prefix}{name}."))
        elif numeric_field([*prefix.strip(".").split("."), name] if prefix else [name]):
            out.append(prefix + name)
    return out


def check_work(s: schema.Scenario, facts: Facts) -> Iterator[Issue]:
    """The total work (draws × inputs, Sobol samples, replications × trains) is bounded."""
    from railsim.config.limits import work_problem

    problem = work_problem(s)
    if problem is not None:
        yield Issue(*problem)


def check_back_cast(s: schema.Scenario, facts: Facts) -> Iterator[Issue]:
    """A back-cast of an existing service against the observed services of its year (and
    the station counts checked: a bad row is a DataError naming its file and line)."""
    if facts.corridor is not None:
        from railsim.demand.validation import check_observed_service, station_counts

        station_counts(facts.corridor)
        yield from check_observed_service(s, facts.corridor)


def check_study_area(s: schema.Scenario, facts: Facts) -> Iterator[Issue]:
    """The corridor's places and municipalities, as the ridership model will read them (a
    place without population or municipality is a DataError naming its file and line)."""
    if facts.corridor is not None:  # the do-minimum's run reads it too
        from railsim.demand.places import study_area

        study_area(facts.corridor)
    yield from ()


CHECKS: tuple[Callable[[schema.Scenario, Facts], Iterator[Issue]], ...] = (
    check_rolling_stock,
    check_infrastructure,
    check_service,
    check_operations,
    check_costs,
    check_uncertainty,
    check_work,
    check_back_cast,
    check_study_area,
)


def timetable_issue_path(where: tuple[str | int, ...]) -> Path_:
    """The scenario field a timetable failure points at (see ``TimetableError.where``):
    the service line's day schedule, the freight flexibility, or Lahti's platforms."""
    if where[:1] == ("service",) and len(where) == 3:
        return ("service", "lines", where[1], where[2])
    if where[:1] == ("freight",):
        return ("operations", "freight_path_flex_min")
    if where[:1] == ("platforms",):
        return ("operations", "lahti_platform_tracks")
    return ("service", "lines")


def check_timetable(s: schema.Scenario, corridor: Corridor) -> list[Issue]:
    """The pattern builds into a timetable (every day type, freight, platforms), as
    ``railsim run`` will build it; a scenario without passenger service has nothing to
    build. Run only on a scenario that passed the other checks."""
    from railsim.timetable.build import TimetableError
    from railsim.timetable.plan import plan_service

    if not s.service.lines:
        return []
    try:
        plan_service(s, corridor)
    except TimetableError as exc:
        return [Issue(timetable_issue_path(exc.where), str(exc), "",
                      "")]
    return []


def check_scenario(s: schema.Scenario, corridor: Corridor) -> list[Issue]:
    """All consistency issues of a scenario against a corridor (empty when consistent)."""
    facts = corridor.memo("check_facts", lambda: Facts.of(corridor))
    issues: list[Issue] = []
    for check in CHECKS:
        issues.extend(check(s, facts))
    return issues

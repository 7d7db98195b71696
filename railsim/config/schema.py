"""The scenario schema: one frozen pydantic model, in sections by pipeline stage.

Every field has a default where one makes sense, a unit (``json_schema_extra["unit"]``)
and a description. ``docs/scenario-reference.md`` and ``railsim schema`` are generated
from these classes, so this module is the single place where a scenario input is
defined. Unknown keys are rejected everywhere (``extra="forbid"``).

Conventions: times of day are ``"HH:MM"`` strings (``"24:30"`` is 00:30 the next
day); durations carry their unit in the field name (``_s``, ``_min``); shares and
probabilities are fractions in [0, 1]; money is in euros at ``costs.price_year``.

Types are strict (``"3"`` is not a number, ``yes`` is not 1) and every number is finite
and bounded, so a typo or a blank cannot reach the models as NaN, infinity or 1e308.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

# ---------------------------------------------------------------------------
# building blocks


class Strict(BaseModel):
    """Base class: frozen, unknown keys rejected, strict types, finite numbers only.

    Strict: no string → number, bool → number or float → int coercion (an int is still
    accepted where a float is expected).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, strict=True,
                              allow_inf_nan=False)


def field(default: Any = ..., *, doc: str, unit: str = "", **constraints: Any) -> Any:
    """A pydantic ``Field`` with its description and unit in one call."""
    extra: dict[str, Any] | None = {"unit": unit} if unit else None
    return Field(default, description=doc, json_schema_extra=extra, **constraints)


CLOCK_PATTERN = r"^([01]?\d|2\d):[0-5]\d$"
ClockTime = Annotated[str, StringConstraints(pattern=CLOCK_PATTERN)]
"""Time of day ``"HH:MM"``; hours up to 29 allow services past midnight."""

Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$", max_length=64)]
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
"""No control characters but tab and line breaks: neither XML (the report's SVG) nor a
workbook (summary.xlsx) can hold them."""
Title = Annotated[str, StringConstraints(max_length=200, pattern=TEXT_PATTERN)]
"""One line of human text (titles and names end up in chart labels)."""
Text = Annotated[str, StringConstraints(max_length=10_000, pattern=TEXT_PATTERN)]
StationId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$", max_length=16)]
LineId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$", max_length=16)]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]

PARAMETER_LIMIT = 1e12
"""Largest magnitude of a distribution parameter (a sane bound, not a physical one)."""
Parameter = Annotated[float, Field(ge=-PARAMETER_LIMIT, le=PARAMETER_LIMIT)]
PositiveParameter = Annotated[float, Field(gt=0, le=PARAMETER_LIMIT)]
NonNegativeParameter = Annotated[float, Field(ge=0, le=PARAMETER_LIMIT)]
MAX_LOGNORMAL_CV = 100.0
"""Largest sd/mean of a lognormal: beyond it the underlying normal's parameters overflow
long before the draws mean anything."""
MAX_DELAY_S = 86_400.0
"""Largest parameter of a delay distribution: one day."""


def clock_to_seconds(clock: str) -> int:
    """Seconds after midnight of an ``"HH:MM"`` time.

    >>> clock_to_seconds("06:30")
    23400
    """
    match = re.match(CLOCK_PATTERN, clock)
    if match is None:
        raise ValueError(f"not a HH:MM time: {clock!r}")
    hours, minutes = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60


# ---------------------------------------------------------------------------
# probability distributions (delays in operations, inputs in uncertainty)


class Fixed(Strict):
    """A constant (no randomness)."""

    kind: Literal["fixed"]
    value: Parameter = field(doc="The constant value.")


class Exponential(Strict):
    """Exponential distribution with the given mean."""

    kind: Literal["exponential"]
    mean: PositiveParameter = field(doc="Mean of the distribution.")


class Lognormal(Strict):
    """Lognormal distribution parameterised by the mean and standard deviation of the value."""

    kind: Literal["lognormal"]
    mean: PositiveParameter = field(doc="Mean of the value (not of its logarithm).")
    sd: NonNegativeParameter = field(
        doc=f"Standard deviation of the value (at most {MAX_LOGNORMAL_CV:g} × mean).")

    @model_validator(mode="after")
    def _spread(self) -> Lognormal:
        if self.sd / self.mean > MAX_LOGNORMAL_CV:
            raise ValueError(f"sd ({self.sd:g}) may be at most {MAX_LOGNORMAL_CV:g} times the "
                             f"mean ({self.mean:g})")
        return self


class Normal(Strict):
    """Normal distribution."""

    kind: Literal["normal"]
    mean: Parameter = field(doc="Mean.")
    sd: NonNegativeParameter = field(doc="Standard deviation.")


class Uniform(Strict):
    """Uniform distribution on [low, high]."""

    kind: Literal["uniform"]
    low: Parameter = field(doc="Lower bound.")
    high: Parameter = field(doc="Upper bound (greater than low).")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high <= self.low:
            raise ValueError(f"high ({self.high}) must be greater than low ({self.low}); "
                             "use kind: fixed for a constant")
        return self


class Triangular(Strict):
    """Triangular distribution with lower bound, mode and upper bound."""

    kind: Literal["triangular"]
    low: Parameter = field(doc="Lower bound.")
    mode: Parameter = field(doc="Most likely value, between low and high.")
    high: Parameter = field(doc="Upper bound.")

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"need low <= mode <= high, got {self.low}, {self.mode}, {self.high}"
            )
        return self


class Empirical(Strict):
    """Draws from observed values, optionally weighted."""

    kind: Literal["empirical"]
    values: list[Parameter] = field(doc="Observed values.", min_length=1)
    weights: list[NonNegativeParameter] | None = field(
        None, doc="Relative weights, one per value (default: equal)."
    )

    @model_validator(mode="after")
    def _weights_match(self) -> Empirical:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    f"weights has {len(self.weights)} entries but values has {len(self.values)}"
                )
            if sum(self.weights) <= 0:
                raise ValueError("weights must not all be zero")
        return self


Distribution = Annotated[
    Fixed | Exponential | Lognormal | Normal | Uniform | Triangular | Empirical,
    Field(discriminator="kind"),
]
DISTRIBUTION_KINDS = ("fixed", "exponential", "lognormal", "normal", "uniform", "triangular",
                      "empirical")


def check_delay(dist: Fixed | Exponential | Lognormal | Normal | Uniform | Triangular
                | Empirical) -> Fixed | Exponential | Lognormal | Normal | Uniform | Triangular \
        | Empirical:
    """A delay distribution: parameters at most MAX_DELAY_S s, none wholly negative.

    A normal delay may still draw negative values; they count as no delay.
    """
    params = {name: value for name, value in dist.model_dump().items()
              if name != "kind" and value is not None}
    for name, value in params.items():
        for number in value if isinstance(value, list) else [value]:
            if number > MAX_DELAY_S:
                raise ValueError(f"{name} ({number:g} s) is more than a day; a delay "
                                 f"parameter may be at most {MAX_DELAY_S:g} s")
    lowest = {"fixed": "value", "uniform": "low", "triangular": "low", "normal": "mean",
              "empirical": "values"}.get(dist.kind)
    if lowest is not None:
        value = params[lowest]
        number = min(value) if isinstance(value, list) else value
        if number < 0:
            raise ValueError(f"a delay cannot be negative: {lowest} has {number:g} s "
                             f"(need {lowest} >= 0 s)")
    return dist


DelayDistribution = Annotated[Distribution, AfterValidator(check_delay)]


class Disturbance(Strict):
    """A delay that happens with some probability and then has a random size."""

    probability: Fraction = field(doc="Probability that the disturbance occurs.", unit="fraction")
    size: DelayDistribution = field(
        doc=f"Size of the disturbance when it occurs (parameters 0..{MAX_DELAY_S:g} s).",
        unit="s")


# ---------------------------------------------------------------------------
# infrastructure


class LineUpgrade(Strict):
    """Works on (part of) a line of the network."""

    line: LineId = field(doc="Line id from data/network/lines.csv, e.g. HEI or ORI.")
    from_km: float | None = field(
        None, doc="Start of the upgraded stretch (default: start of line).", unit="km", ge=0,
        le=1000,
    )
    to_km: float | None = field(
        None, doc="End of the upgraded stretch (default: end of line).", unit="km", ge=0,
        le=1000,
    )
    renovation: Literal["none", "light", "heavy"] = field(
        "none", doc="Track renovation: light (rails, sleepers spot-wise) or heavy (full renewal)."
    )
    line_speed_kmh: float | None = field(
        None,
        doc="New passenger speed limit after the works (default: today's limits).",
        unit="km/h",
        gt=0,
        le=200,
    )
    electrification: bool = field(False, doc="Electrify the stretch (25 kV AC).")
    train_protection: Literal["unchanged", "jkv", "etcs"] = field(
        "unchanged", doc="Automatic train protection fitted for passenger traffic."
    )
    level_crossings_removed: int = field(
        0, doc="Level crossings removed (closed or grade-separated).", unit="count", ge=0,
        le=1000,
    )
    level_crossings_upgraded: int = field(
        0, doc="Level crossings given barriers and lights.", unit="count", ge=0, le=1000
    )

    @model_validator(mode="after")
    def _ordered(self) -> LineUpgrade:
        if self.from_km is not None and self.to_km is not None and self.to_km <= self.from_km:
            raise ValueError(f"to_km ({self.to_km}) must be greater than from_km ({self.from_km})")
        return self


class PassingLoop(Strict):
    """A new passing loop where two trains can cross on single track."""

    line: LineId = field(doc="Line id.")
    km: float = field(doc="Position of the loop centre from Lahti along the line.", unit="km",
                      ge=0, le=1000)
    length_m: float = field(400.0, doc="Usable loop length.", unit="m", gt=0, le=2000)


class NewStop(Strict):
    """A passenger stop built or reopened at a place listed in data/network/stations.csv."""

    station: StationId = field(doc="Station id from data/network/stations.csv.")
    platform_length_m: float = field(
        110.0, doc="Platform length built.", unit="m", gt=0, le=500
    )


class Extension(Strict):
    """A new alignment off the network, e.g. street-running tram track into a town centre."""

    id: StationId = field(doc="Station id of the new terminus (must not exist in the data).")
    name: Title = field(doc="Name of the new terminus.")
    attach_to: StationId = field(doc="Existing station where the new alignment leaves the line.")
    length_km: float = field(doc="Length of the new alignment.", unit="km", gt=0, le=50)
    speed_kmh: float = field(30.0, doc="Average running speed on it.", unit="km/h", gt=0, le=160)
    street_running: bool = field(True, doc="Built as street track (tram) rather than railway.")
    electrified: bool = field(True, doc="Overhead line on the new alignment.")
    lat: float = field(doc="WGS84 latitude of the new terminus.", unit="deg", ge=59, le=71)
    lon: float = field(doc="WGS84 longitude of the new terminus.", unit="deg", ge=19, le=32)


class Infrastructure(Strict):
    """What is built: upgrades of existing lines, loops, stops, extensions, depot."""

    upgrades: list[LineUpgrade] = field([], doc="Works on existing lines.")
    passing_loops: list[PassingLoop] = field([], doc="New passing loops.")
    new_stops: list[NewStop] = field(
        [], doc="Stops given a passenger platform (every served place that lacks one)."
    )
    extensions: list[Extension] = field([], doc="New alignments off the existing network.")
    depot: bool = field(True, doc="Build a depot/stabling facility for the fleet.")
    freight_lines_kept: list[LineId] | None = field(
        None, doc="Lines the state keeps open for freight with or without the project (default: "
        "every line with a freight path in data/network/freight.csv; [] for none). Their "
        "renewal (do_minimum_renewal) and track maintenance are in the do-minimum, so the "
        "project is charged only for what it adds to them."
    )
    do_minimum_renewal: Literal["none", "enhanced_maintenance", "light"] = field(
        "light", doc="What the state does anyway to keep a worn freight line open (the options "
        "Väylävirasto appraised for the Saarijärvi–Haapajärvi line): a light renewal, a "
        "five-year enhanced maintenance programme, or nothing. Built in the construction years "
        "of the project, in the do-minimum and, where the project does not renovate the line "
        "itself, in the scenario too."
    )


# ---------------------------------------------------------------------------
# rolling stock


class RollingStock(Strict):
    """Which trains run and how they are formed."""

    type: Identifier = field(
        "dmu_modern", doc="Rolling-stock type id from data/rolling_stock/types.csv."
    )
    units_per_train_peak: int = field(
        1, doc="Units coupled per train in peaks: as given when fleet_sizing is fixed; with "
        "demand sizing the formation the first pass is planned with.", unit="count", ge=1, le=4)
    units_per_train_offpeak: int = field(
        1, doc="Units coupled per train off-peak (and on days without peaks): as given when "
        "fleet_sizing is fixed; with demand sizing the first pass's formation.", unit="count",
        ge=1, le=4)
    fleet_sizing: Literal["demand", "fixed"] = field(
        "demand", doc="Size the units per train in peaks and off-peak from the forecast peak-hour "
        "load (load_factor_target, standing_share_counted) so that the fleet and its cost "
        "follow ridership, or run units_per_train_peak and units_per_train_offpeak as given."
    )
    load_factor_target: float = field(
        0.8, doc="Highest load a train is planned for, as a share of its planning capacity "
        "(seats plus standing_share_counted of the standing places).", unit="fraction", gt=0,
        le=1.5)
    standing_share_counted: Fraction = field(
        0.25, doc="Share of the standing places counted in the planning capacity (short "
        "regional trips: some standing accepted in the peak).", unit="fraction")
    spare_ratio: float = field(
        0.15, doc="Spare units as a share of units in service at peak.", unit="fraction",
        ge=0, le=1,
    )
    min_turnaround_min: float = field(
        6.0, doc="Minimum time between arrival and next departure of a unit at a terminal.",
        unit="min", ge=0, le=120,
    )


# ---------------------------------------------------------------------------
# service pattern


class Peak(Strict):
    """A period of the day with a different headway than the base."""

    start: ClockTime = field(doc="First departure of the period.", unit="HH:MM")
    end: ClockTime = field(doc="End of the period (exclusive).", unit="HH:MM")
    headway_min: float = field(doc="Headway in the period.", unit="min", ge=1, le=720)


class DaySchedule(Strict):
    """Departures from the first station of a line on one type of day."""

    first_departure: ClockTime = field(doc="First departure.", unit="HH:MM")
    last_departure: ClockTime = field(doc="Last departure (at most this late).", unit="HH:MM")
    headway_min: float = field(60.0, doc="Base headway outside peaks.", unit="min", ge=1,
                                 le=720)
    peaks: list[Peak] = field([], doc="Periods with their own headway (non-overlapping).")

    def headway_at_s(self, t: int) -> int:
        """Headway (s) in force at ``t`` seconds after midnight."""
        for peak in self.peaks:
            if clock_to_seconds(peak.start) <= t < clock_to_seconds(peak.end):
                return round(peak.headway_min * 60)
        return round(self.headway_min * 60)

    def departure_times_s(self, clock_face: bool = True) -> list[int]:
        """Departure times (s after midnight) from the first station.

        With ``clock_face`` departures lie on a grid anchored at the first departure:
        a time is used when its offset from the first departure is a multiple of the
        headway in force then, so peaks and base service share the same minutes; where
        headways that do not divide each other meet, a departure is added so that no gap
        exceeds the longer of the headways in force before and after it. Otherwise each
        departure follows the previous one by the headway in force.

        >>> day = DaySchedule(first_departure="06:00", last_departure="10:00",
        ...                   headway_min=60, peaks=[{"start": "07:00", "end": "08:00",
        ...                                           "headway_min": 30}])
        >>> [t // 60 for t in day.departure_times_s()]
        [360, 420, 450, 480, 540, 600]
        """
        first = clock_to_seconds(self.first_departure)
        last = clock_to_seconds(self.last_departure)
        times: list[int] = []
        if clock_face:
            heads = [round(self.headway_min * 60)] + [round(p.headway_min * 60)
                                                       for p in self.peaks]
            step = math.gcd(*heads)
            t = first
            while t <= last:
                on_grid = (t - first) % self.headway_at_s(t) == 0
                longest_gap = max(self.headway_at_s(times[-1]), self.headway_at_s(t)) if times \
                    else 0
                if on_grid or (times and t - times[-1] >= longest_gap):
                    times.append(t)
                t += step
        else:
            t = first
            while t <= last:
                times.append(t)
                t += max(60, self.headway_at_s(t))
        return times


class ServiceLine(Strict):
    """One passenger service: a sequence of stations run in both directions."""

    id: Identifier = field(doc="Short id of the service, e.g. R1.")
    name: Title = field("", doc="Public name, e.g. 'Heinola – Lahti – Orimattila'.")
    stations: list[StationId] = field(
        doc="Stations served, in running order from one terminal to the other. "
        "Through-running via Lahti is a sequence that passes LH.",
        min_length=2,
    )
    both_directions: bool = field(True, doc="Run the mirror service in the opposite direction.")
    clock_face: bool = field(True, doc="Departures repeat every clock_period_min.")
    clock_period_min: int = field(60, doc="Clock-face period.", unit="min", gt=0, le=240)
    weekday: DaySchedule | None = field(None, doc="Monday–Friday service (none if omitted).")
    saturday: DaySchedule | None = field(None, doc="Saturday service (none if omitted).")
    sunday: DaySchedule | None = field(None, doc="Sunday and holiday service (none if omitted).")


class Service(Strict):
    """The passenger service pattern. No lines means the do-minimum (bus only)."""

    lines: list[ServiceLine] = field([], doc="Passenger services.")
    weekdays_per_year: int = field(250, doc="Weekdays with weekday service.", unit="days/yr",
                                   ge=0, le=366)
    saturdays_per_year: int = field(52, doc="Saturdays.", unit="days/yr", ge=0, le=366)
    sundays_per_year: int = field(63, doc="Sundays and public holidays.", unit="days/yr",
                                  ge=0, le=366)


# ---------------------------------------------------------------------------
# operations


class Incidents(Strict):
    """Rare incidents (breakdowns, temporary speed restrictions)."""

    probability_per_train_km: float = field(
        2e-5, doc="Chance of an incident per train-km. Assumption: one incident in 50 000 "
        "train-km (not calibrated to Finnish data).",
        unit="1/train-km", ge=0, le=1
    )
    duration_s: DelayDistribution = field(
        {"kind": "lognormal", "mean": 900.0, "sd": 900.0},
        doc="Extra delay caused by one incident. Assumption: 15 min on average, skewed "
        "(median about 11 min).",
        unit="s",
    )


class Operations(Strict):
    """How the timetable is run: dwells, supplements, disturbances, dispatching."""

    dwell_s: float = field(30.0, doc="Planned dwell at intermediate stops.", unit="s", ge=0,
                           le=900)
    dwell_by_station_s: dict[StationId, Annotated[float, Field(ge=0, le=900)]] = field(
        {"LH": 60.0}, doc="Planned dwell overriding dwell_s at named stations (0..900 s).",
        unit="s"
    )
    dwell_s_per_boarding: float = field(
        0.0, doc="Extra dwell per boarding passenger (crowding effect).", unit="s/passenger",
        ge=0, le=10,
    )
    running_time_supplement_pct: float = field(
        5.0, doc="Running-time supplement on the minimum running time.", unit="%", ge=0, le=50
    )
    running_time_supplement_min_per_100km: float = field(
        0.0, doc="Extra supplement per distance (Finnish timetabling practice).",
        unit="min/100 km", ge=0, le=30,
    )
    crossing_buffer_s: float = field(
        60.0, doc="Minimum time between one train clearing a single-track section and an "
        "opposing train entering it (route setting, margins).", unit="s", ge=0, le=900,
    )
    max_crossing_wait_min: float = field(
        6.0, doc="Longest total planned waiting for crossings in one trip; more makes the "
        "pattern infeasible.",
        unit="min", ge=0, le=60,
    )
    minimum_headway_min: float = field(
        3.0, doc="Minimum time between two trains in the same direction on a section.",
        unit="min", gt=0, le=30,
    )
    freight_path_flex_min: float = field(
        90.0, doc="How far a freight path may move from its time in the data to fit around "
        "the passenger service (passenger trains are planned first).", unit="min", ge=0,
        le=720,
    )
    freight_max_wait_min: float = field(
        20.0, doc="Longest total planned crossing wait of a freight train.", unit="min",
        ge=0, le=240,
    )
    freight_turnaround_min: float = field(
        60.0, doc="Least time a freight train stands at the far end of its line before the "
        "return path of the data leaves (a moved return path never leaves before its "
        "outbound train has arrived and been loaded). Assumption: shunting and loading a "
        "short wagon group at a siding take about an hour.", unit="min", ge=0, le=720,
    )
    lahti_platform_tracks: int = field(
        2, doc="Platform tracks at Lahti available to the new services (the rest serve "
        "main-line trains).", unit="count", ge=1, le=60,
    )
    departure_delay: Disturbance = field(
        {"probability": 0.2, "size": {"kind": "exponential", "mean": 60.0}},
        doc="Late departure from the origin station. Assumption: one departure in five is "
        "late, by a minute on average (not calibrated to Finnish data; vary it in a "
        "sensitivity test).",
    )
    dwell_delay: Disturbance = field(
        {"probability": 0.1, "size": {"kind": "exponential", "mean": 20.0}},
        doc="Dwell overrun at a stop. Assumption: one stop in ten, by 20 s on average "
        "(not calibrated).",
    )
    running_time_delay: Disturbance = field(
        {"probability": 0.05, "size": {"kind": "exponential", "mean": 30.0}},
        doc="Slower running on a section. Assumption: one section in twenty, by 30 s on "
        "average (not calibrated).",
    )
    freight_deviation: Disturbance = field(
        {"probability": 0.5, "size": {"kind": "exponential", "mean": 600.0}},
        doc="Freight train deviation from its path. Assumption: half of the freight trains "
        "run off their path, by 10 min on average (freight runs less to time).",
    )
    incidents: Incidents = field({}, doc="Rare incidents.")
    dispatching: Literal["timetable_order", "first_come_first_served"] = field(
        "timetable_order", doc="Who gets a single-track section first when both are waiting."
    )


# ---------------------------------------------------------------------------
# GTFS export

URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$"
WebUrl = Annotated[str, StringConstraints(pattern=URL_PATTERN,
                                          max_length=200)]


class GtfsFeed(Strict):
    """Who the GTFS export of the planned service names (journey planners require a real
    agency and publisher URL). The defaults name the region's public transport authority,
    ASSUMPTION: the body that would procure the service; set your own for a published feed."""

    agency_name: str = field("Lahden seudun liikenne (planned rail service)",
                             doc="agency.txt agency_name.", min_length=1)
    agency_url: WebUrl = field("https://www.lsl.fi/", doc="agency.txt agency_url.")
    publisher_name: str = field("Lahden seudun liikenne (planned rail service)",
                                doc="feed_info.txt feed_publisher_name.", min_length=1)
    publisher_url: WebUrl = field("https://www.lsl.fi/",
                                  doc="feed_info.txt feed_publisher_url and feed_contact_url.")
    lang: Literal["fi", "sv", "en"] = field("fi", doc="Language of names (agency and feed).")


# ---------------------------------------------------------------------------
# simulation


class Simulation(Strict):
    """Monte Carlo settings of the operations simulation."""

    seed: int = field(20261122, doc="Root seed of all random streams.", ge=0, le=2**63 - 1)
    replications: int = field(200, doc="Simulated days.", unit="count", ge=1, le=100_000)
    keep_event_log: bool = field(False, doc="Keep every replication's full event log.")
    engine: Literal["simpy", "vectorised", "auto"] = field(
        "auto", doc="Delay engine: SimPy processes (the reference), the vectorised max-plus "
        "recursion (same times for the same draws to 1e-6 s, tested on every shipped "
        "scenario; about 80× faster per day, draws and statistics included; "
        "timetable-order dispatching only), or auto "
        "(vectorised where it applies, SimPy for first-come-first-served dispatching)."
    )


# ---------------------------------------------------------------------------
# demand and fares


class Fares(Strict):
    """Fare policy of the train (bus fares come from the data)."""

    policy: Literal["lsl_zones", "flat", "free", "observed"] = field(
        "lsl_zones", doc="LSL zone fares (as the bus), one flat fare, free travel, or "
        "observed: the operator's fares of an existing service in demand.base_year "
        "(data/demand/observed_services.csv; for back-casts of station counts)."
    )
    flat_fare_eur: float | None = field(
        None, doc="Single fare when policy is flat.", unit="EUR", ge=0, le=100
    )
    fare_multiplier: float = field(1.0, doc="Multiplier on the fare table.", unit="factor",
                                   ge=0, le=10)
    season_ticket_share: float = field(
        0.6, doc="Share of trips made on season tickets.", unit="fraction", ge=0, le=1
    )


class Demand(Strict):
    """Ridership model parameters."""

    base_year: int = field(2024, doc="Year of the population data used.", unit="year",
                           ge=2000, le=2100)
    population_growth_pct_per_year: float = field(
        0.0, doc="Population growth after the base year.", unit="%/yr", ge=-5, le=5
    )
    walk_radius_m: float = field(
        1000.0, doc="Walking catchment radius. Assumption: the usual 800 m–1 km walking "
        "catchment of a rail station; 1 km is about 16 min at 4.8 km/h with detours.",
        unit="m", gt=0, le=5000,
    )
    feeder_radius_m: float = field(
        5000.0, doc="Cycle/feeder-bus catchment radius. Assumption: about 25 min by bicycle "
        "or feeder bus at 15 km/h with detours; farther residents drive (park-and-ride) or "
        "take their town's local bus.", unit="m", gt=0, le=30000
    )
    park_and_ride: bool = field(True, doc="Park-and-ride at stations outside Lahti.")
    train_constant_min: float = field(
        0.0, doc="Adjustment of the train's alternative-specific constant, in minutes of "
        "generalised time, on top of the rail constant calibrated on observed station counts "
        "(data/demand/demand_parameters.csv rail_constant_min); negative = train preferred.",
        unit="min", ge=-60, le=60,
    )
    wait_time_weight: float = field(
        1.5, doc="Weight of waiting time relative to in-vehicle time.", unit="factor", ge=0,
        le=5,
    )
    transfer_penalty_min: float = field(5.0, doc="Penalty per transfer.", unit="min", ge=0,
                                        le=60)
    logit_scale_per_min: float = field(
        0.02, doc="Logit scale on generalised time. The default puts the implied fare, "
        "frequency and in-vehicle-time elasticities inside the published ranges of "
        "data/demand/elasticity_benchmarks.csv.", unit="1/min", gt=0, le=1
    )
    parking_cost_lahti_eur: float = field(
        0.0, doc="Daily parking cost for car trips into central Lahti.", unit="EUR", ge=0, le=100
    )
    include_onward_trips: bool = field(
        True, doc="Count trips continuing via Lahti by connecting trains."
    )
    fares: Fares = field({}, doc="Train fare policy.")


# ---------------------------------------------------------------------------
# costs and appraisal


MAX_UNIT_COST_EUR = 1e10
"""Largest unit cost: ten billion euros per unit of anything."""


class Costs(Strict):
    """Cost inputs: price level, overrides of the unit-cost library, multipliers."""

    price_year: int = field(2024, doc="Price level of all money outputs.", unit="year",
                            ge=2000, le=2100)
    unit_cost_overrides: dict[Identifier, Annotated[float, Field(ge=0, le=MAX_UNIT_COST_EUR)]] \
        = field(
        {}, doc="Replace unit costs by item_id (data/costs/unit_costs.csv), in the item's unit "
        f"at price_year (0..{MAX_UNIT_COST_EUR:g} EUR).", unit="EUR",
    )
    contingency_share: float | None = field(
        None, doc="Reserve on capex (default: from the unit-cost library).", unit="fraction",
        ge=0, le=2,
    )
    capex_multiplier: float = field(1.0, doc="Multiplier on all investment costs.",
                                    unit="factor", ge=0, le=10)
    opex_multiplier: float = field(1.0, doc="Multiplier on all operating costs.",
                                   unit="factor", ge=0, le=10)
    construction_years: int = field(2, doc="Years of construction before opening.",
                                    unit="years", ge=0, le=15)
    conductor_on_board: bool = field(
        False, doc="A conductor rides every train besides the driver (crew cost per duty hour)."
    )


class Appraisal(Strict):
    """Appraisal settings (Finnish guidance defaults)."""

    discount_rate: float = field(0.035, doc="Real discount rate.", unit="fraction/yr", ge=0,
                                 le=0.2)
    period_years: int = field(30, doc="Appraisal period from opening.", unit="years", ge=1,
                              le=100)
    opening_year: int = field(2030, doc="First year of service.", unit="year", ge=2000,
                              le=2100)
    ramp_up: list[Fraction] = field(
        [0.7, 0.85, 0.95],
        doc="Ridership as a share of the full level in the first years after opening.",
        unit="fraction",
    )
    tax_factor: float = field(1.2, doc="Shadow price of public funds.", unit="factor", ge=1,
                              le=3)
    unit_value_growth: float = field(
        0.015, doc="Real growth of values of time and other unit values.", unit="fraction/yr",
        ge=-0.05, le=0.1,
    )
    include_residual_value: bool = field(True, doc="Credit residual value at the period end.")
    subsidy_split: Literal["population", "boardings", "equal"] = field(
        "boardings", doc="Rule for splitting the yearly subsidy between municipalities."
    )


# ---------------------------------------------------------------------------
# uncertainty


class UncertainInput(Strict):
    """A numeric input drawn from a distribution in the appraisal Monte Carlo."""

    target: Annotated[str, StringConstraints(max_length=200)] = field(
        doc="What is drawn: costs.capex_multiplier, costs.opex_multiplier, "
        "appraisal.discount_rate, appraisal.tax_factor, appraisal.unit_value_growth, "
        "demand.population_growth_pct_per_year, a ridership input (demand.train_constant_min, "
        "demand.logit_scale_per_min, demand.wait_time_weight, demand.transfer_penalty_min, "
        "demand.fares.fare_multiplier, demand_parameters.<parameter_id> of access_time_weight, "
        "rail_constant_min, pt_nest_scale, commute_presence, other_trips_per_commute_trip, "
        "capital_commuters_rail_share, unverified_flow_factor, bus_share_do_minimum, "
        "induced_logsum_elasticity) or unit_costs.<item_id> of an investment item "
        "(category infrastructure). Validation refuses the others: the model would not "
        "vary them. Every draw must leave the target a value it can have: within a "
        "scenario field's bounds, within a demand parameter's domain (column domain of "
        "data/demand/demand_parameters.csv, e.g. (0, 1] for pt_nest_scale), of a unit "
        "cost's sign."
    )
    mode: Literal["multiply", "replace"] = field(
        "multiply", doc="Multiply the base value by the draw, or replace it."
    )
    distribution: Distribution = field(doc="Distribution of the draw.")


class Uncertainty(Strict):
    """Uncertainty analysis of costs, ridership and appraisal."""

    draws: int = field(10_000, doc="Monte Carlo draws.", unit="count", ge=1, le=1_000_000)
    sampling: Literal["latin_hypercube", "random"] = field(
        "latin_hypercube",
        doc="How the draws are spread: `latin_hypercube` cuts each input's distribution "
        "into `draws` equally likely slices and takes one draw in each, the slices of the "
        "inputs paired at random (the mean far more precise than with as many random "
        "draws, the percentiles about as precise); `random` draws each value independently.")
    inputs: list[UncertainInput] = field([], doc="Uncertain inputs.")
    sobol: bool = field(False, doc="Also compute Sobol indices of the societal NPV "
                        "(SALib; sobol.csv).")


# ---------------------------------------------------------------------------
# the scenario


RESERVED_NAMES = {"charts": "the batch's own chart folder"}
MISSING_VALUE_NAMES = ("na", "nan", "null", "none", "inf", "infinity", "true", "false")
"""Names a table reader (pandas) would take for a missing value, a number or a boolean."""


def reserved_name_reason(name: str) -> str:
    """Why ``name`` cannot name a result folder ("" when it can).

    Compared without case, as macOS and Windows compare folder names.
    """
    key = name.lower()
    if key in RESERVED_NAMES:
        return f"{name!r} is reserved: DIR/{key}/ is {RESERVED_NAMES[key]}"
    if key in MISSING_VALUE_NAMES:
        return (f"{name!r} reads as a missing value, a number or a boolean in result "
                "tables (summary.csv)")
    return ""


def folder_name(stem: str) -> str:
    """A safe result-folder name for a scenario file that could not be loaded.

    Its file name may be anything ("...", 300 characters, spaces); the folder name keeps
    letters, digits, "-" and "_", at most 64 characters, and never a name of its own
    folder (``charts``) or one a table reader would take for a missing value.

    >>> [folder_name(s) for s in ("..", "my plan", "charts", "NA", "x" * 70)] == [
    ...     "scenario", "my_plan", "charts-file", "NA-file", "x" * 64]
    True
    """
    name = re.sub(r"[^A-Za-z0-9_\-]+", "_", stem).strip("_-")[:64] or "scenario"
    if not name[0].isalpha():
        name = f"scenario-{name}"[:64]
    return f"{name}-file" if reserved_name_reason(name) else name


def _allowed_name(name: str) -> str:
    reason = reserved_name_reason(name)
    if reason:
        raise ValueError(f"{reason}; choose another name")
    return name


ScenarioName = Annotated[Identifier, AfterValidator(_allowed_name)]


class Scenario(Strict):
    """A railsim scenario: everything that defines one evaluation."""

    name: ScenarioName = field(
        doc="Short id, used for the result folder (default: file name). Not `charts` nor a "
        "word that tables read as missing (NA, nan, null, none, inf, true, false).")
    title: Title = field("", doc="One-line human title.")
    title_fi: Title = field("", doc="The title in Finnish, for the Finnish report (empty: "
                            "`title`). Inherited only with `title`: a file that extends "
                            "another and changes `title` without this falls back to it.")
    title_en: Title = field("", doc="The title in English, for the English report (empty: "
                            "`title`; inherited as `title_fi`).")
    description: Text = field("", doc="What the scenario represents.")
    infrastructure: Infrastructure = field({}, doc="What is built.")
    rolling_stock: RollingStock = field({}, doc="Trains.")
    service: Service = field({}, doc="Service pattern.")
    operations: Operations = field({}, doc="Operations and disturbances.")
    simulation: Simulation = field({}, doc="Monte Carlo of operations.")
    gtfs: GtfsFeed = field({}, doc="Agency and publisher of the GTFS export.")
    demand: Demand = field({}, doc="Ridership model and fares.")
    costs: Costs = field({}, doc="Costs.")
    appraisal: Appraisal = field({}, doc="Appraisal.")
    uncertainty: Uncertainty = field({}, doc="Uncertainty analysis.")

    @property
    def is_do_minimum(self) -> bool:
        """True when no train service is run (the bus-only reference)."""
        return not self.service.lines

"""One-line human summaries of scenarios (for `railsim validate` and logs)."""

from __future__ import annotations

from railsim.config.schema import Scenario


def summarise(s: Scenario) -> str:
    """E.g. ``R1 HNL–LH 6 stops, 17 weekday departures/direction; dmu_modern; 2 upgrades``.

    >>> summarise(Scenario(name="do-min", title="Bus only"))
    'do-min (Bus only): no train service (do-minimum)'
    """
    head = f"{s.name} ({s.title})" if s.title else s.name
    if s.is_do_minimum:
        return f"{head}: no train service (do-minimum)"
    parts = []
    for line in s.service.lines:
        weekday = len(line.weekday.departure_times_s(line.clock_face)) if line.weekday else 0
        parts.append(
            f"{line.id} {line.stations[0]}–{line.stations[-1]} {len(line.stations)} stops, "
            f"{weekday} weekday departures/direction"
        )
    infra = s.infrastructure
    works = (f"{len(infra.upgrades)} line upgrades, {len(infra.passing_loops)} new loops, "
             f"{len(infra.new_stops)} new stops")
    return f"{head}: {'; '.join(parts)}; {s.rolling_stock.type}; {works}"

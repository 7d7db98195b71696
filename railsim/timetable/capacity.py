"""Capacity of single-track stretches: occupancy over the day, peak-hour compression, and
how many freight paths are still free.

Occupancy (UIC 406 style): the time a stretch is blocked by trains, each occupation
lengthened by the crossing buffer, as a share of the period. For the busiest hour this
is the compressed occupation UIC 406 compares with its limits (about 75 % in peaks for
lines with mixed or suburban traffic). Remaining freight paths are found by trying to
insert a freight train every 10 minutes in each direction with at most the tolerated
crossing wait; each insertion is kept, so later ones see it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from railsim.network import Network
from railsim.timetable.build import (
    FREIGHT_TYPE,
    Reservations,
    blocks_of,
    make_template,
    reserve_trip,
)
from railsim.timetable.model import Template, Timetable

if TYPE_CHECKING:
    import pandas as pd

    from railsim.config import schema
    from railsim.corridor import Corridor

CAPACITY_COLUMNS = {
    "day_type": "weekday, saturday or sunday.",
    "block_id": "Single-track block id <line>:<from km>-<to km>.",
    "line_id": "Line.",
    "from_point": "Crossing point at the block's Lahti end.",
    "to_point": "Crossing point at the far end.",
    "trains": "Trains through the block per day [count].",
    "occupancy_day_pct": "Occupied time incl. buffers, share of 05:00–24:00 [%].",
    "occupancy_peak_hour_pct": "Same for the busiest clock hour (UIC 406 compression) [%].",
    "peak_hour_start": "Start of the busiest hour [HH:MM].",
}


@dataclass(frozen=True)
class FreightPaths:
    """Free freight paths found per line and direction."""

    line_id: str
    outward: int
    inward: int


def occupancy_table(table: Timetable, buffer_s: float) -> pd.DataFrame:
    """Occupancy of each block over the day and in its busiest hour."""
    import pandas as pd

    by_block = defaultdict(list)
    for use in table.block_uses:
        by_block[use.block_id].append(use)
    rows = []
    day_start, day_end = 5 * 3600, 24 * 3600
    for block_id, block in table.blocks.items():
        uses = by_block.get(block_id, [])
        busy = sum(u.exit_s - u.enter_s + buffer_s for u in uses)
        best_hour, best_share = day_start, 0.0
        for hour in range(0, 30):
            lo, hi = hour * 3600, (hour + 1) * 3600
            occupied = sum(max(0.0, min(u.exit_s + buffer_s, hi) - max(u.enter_s, lo))
                           for u in uses)
            if occupied / 3600 > best_share:
                best_hour, best_share = lo, occupied / 3600
        rows.append({
            "day_type": table.day_type, "block_id": block_id, "line_id": block.line_id,
            "from_point": block.from_point, "to_point": block.to_point, "trains": len(uses),
            "occupancy_day_pct": 100 * busy / (day_end - day_start),
            "occupancy_peak_hour_pct": 100 * best_share,
            "peak_hour_start": f"{best_hour // 3600:02d}:00",
        })
    return pd.DataFrame(rows, columns=list(CAPACITY_COLUMNS))


def remaining_freight_paths(table: Timetable, network: Network, scenario: schema.Scenario,
                            corridor: Corridor, step_s: int = 600) -> list[FreightPaths]:
    """Freight paths that still fit between 05:00 and 23:00 on each line used.

    Each direction is counted as if only that direction were added.
    """
    from railsim.timetable.build import train_for

    ops = scenario.operations
    termini = {st for svc in scenario.service.lines for st in (svc.stations[0], svc.stations[-1])}
    blocks = blocks_of(network, termini)
    train = train_for(corridor.by_key("rolling_stock")[FREIGHT_TYPE], 1)
    no_dwell = ops.model_copy(update={"dwell_s": 0.0, "dwell_by_station_s": {}})
    used_lines = {table.blocks[u.block_id].line_id for u in table.block_uses}
    out = []
    for line_id in sorted(used_lines):
        end = network.lines[line_id]["to_station"]
        start = network.lines[line_id]["from_station"]
        counts = []
        for stations in ([start, end], [end, start]):
            reservations = Reservations(ops.crossing_buffer_s)
            for use in table.block_uses:
                reservations.add(use)
            template: Template = make_template(network, stations, train, no_dwell, blocks,
                                               stopping=False)
            found = 0
            touched = {tr.block_id for tr in template.traversals}
            for t in range(5 * 3600, 23 * 3600, step_s):
                trial = reservations.copy(touched)
                _, waits = reserve_trip(template, t, trial, f"free-{t}")
                if sum(w for _, w, _ in waits) <= ops.max_crossing_wait_min * 60:
                    reservations = trial
                    found += 1
            counts.append(found)
        out.append(FreightPaths(line_id, counts[0], counts[1]))
    return out

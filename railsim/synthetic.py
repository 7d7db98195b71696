"""Synthetic corridor data for tests and benchmarks (not for studies).

Writes a data folder with the declared tables: ``n_lines`` single-track lines radiating
from Lahti (``LH``), each with stations every ``station_spacing_km`` and crossing tracks
at every ``crossing_every``-th station. Every row is labelled ``ASSUMPTION`` with the
source ``railsim.synthetic``.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from railsim.data import TABLES

SOURCE = "railsim.synthetic (generated test data)"


def _write(folder: Path, table: str, rows: list[dict[str, object]]) -> None:
    spec = TABLES[table]
    path = folder / spec.path
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[c.name for c in spec.columns])
        writer.writeheader()
        for row in rows:
            full = {"source": SOURCE, "status": "ASSUMPTION", "notes": ""} | row
            writer.writerow({c.name: full.get(c.name, "") for c in spec.columns})


def write_synthetic_data(folder: Path, n_lines: int = 2, length_km: float = 30.0,
                         station_spacing_km: float = 5.0, crossing_every: int = 2,
                         speed_kmh: float = 80.0, freight_per_line: int = 1) -> Path:
    """Write the synthetic data set into ``folder`` and return it."""
    lines, stations, positions, sections, freight = [], [], [], [], []
    stations.append({"station_id": "LH", "name": "Lahti", "municipality": "Lahti",
                     "lat": 60.9769, "lon": 25.6575, "x_3067": 426000, "y_3067": 6760000,
                     "kind": "passenger", "platform_length_m": 300,
                     "crossing_track_length_m": 600})
    n_stops = int(length_km // station_spacing_km)
    for i in range(n_lines):
        line = f"L{i + 1}"
        angle = 2 * math.pi * i / max(n_lines, 1)
        end = f"{line}S{n_stops}"
        lines.append({"line_id": line, "name": f"Line {i + 1}", "from_station": "LH",
                      "to_station": end, "length_km": length_km, "tracks": 1,
                      "electrified": "false", "train_protection": "jkv"})
        sections.append({"line_id": line, "from_km": 0, "to_km": length_km, "tracks": 1,
                         "speed_limit_kmh": speed_kmh, "electrified": "false",
                         "train_protection": "jkv"})
        positions.append({"line_id": line, "station_id": "LH", "km_from_lahti": 0})
        for k in range(1, n_stops + 1):
            sid = f"{line}S{k}"
            km = min(k * station_spacing_km, length_km)
            crossing = (k % crossing_every == 0) or k == n_stops
            stations.append({
                "station_id": sid, "name": f"{line} stop {k}", "municipality": "Lahti",
                "lat": 60.9769 + km / 111 * math.cos(angle),
                "lon": 25.6575 + km / 55 * math.sin(angle),
                "x_3067": round(426000 + km * 1000 * math.sin(angle)),
                "y_3067": round(6760000 + km * 1000 * math.cos(angle)),
                "kind": "passenger", "platform_length_m": 120,
                "crossing_track_length_m": 400 if crossing else "",
            })
            positions.append({"line_id": line, "station_id": sid, "km_from_lahti": km})
        for j in range(freight_per_line):
            freight.append({"freight_id": f"F{line}-{j}", "line_id": line,
                            "from_station": end, "to_station": "LH",
                            "departure_time": f"{10 + 2 * j:02d}:17", "days": "weekday",
                            "gross_tonnes": 1500, "max_speed_kmh": 60, "length_m": 400})
    _write(folder, "lines", lines)
    _write(folder, "stations", stations)
    _write(folder, "line_stations", positions)
    _write(folder, "sections", sections)
    _write(folder, "freight", freight)
    _write(folder, "rolling_stock", [
        {"type_id": "dmu_modern", "name": "Synthetic DMU", "traction": "diesel",
         "max_speed_kmh": 120, "accel_ms2": 0.8, "decel_ms2": 0.6, "length_m": 42,
         "mass_t": 70, "seats": 120, "standing": 100, "fuel_l_per_km": 0.9,
         "unit_price_eur": 6e6, "price_year": 2024, "max_units_coupled": 3},
        {"type_id": "emu", "name": "Synthetic EMU", "traction": "electric",
         "max_speed_kmh": 160, "accel_ms2": 1.0, "decel_ms2": 0.7, "length_m": 75,
         "mass_t": 130, "seats": 260, "standing": 300, "energy_kwh_per_km": 5,
         "unit_price_eur": 8e6, "price_year": 2024, "max_units_coupled": 3},
        {"type_id": "freight_diesel", "name": "Synthetic freight", "traction": "diesel",
         "max_speed_kmh": 80, "accel_ms2": 0.15, "decel_ms2": 0.35, "length_m": 400,
         "mass_t": 1500, "seats": 0, "unit_price_eur": 0, "price_year": 2024,
         "max_units_coupled": 1},
    ])
    _write(folder, "unit_costs", [
        {"item_id": "passing_loop", "category": "infrastructure", "description": "loop",
         "value": 5e6, "unit": "EUR/loop", "price_year": 2024},
    ])
    _write(folder, "appraisal_values", [
        {"parameter_id": "discount_rate", "value": 0.035, "unit": "fraction"},
    ])
    _write(folder, "demand_parameters", [
        {"parameter_id": "gravity_decay_per_km", "value": 0.05, "unit": "1/km",
         "domain": "[0, inf)"},
    ])
    return folder

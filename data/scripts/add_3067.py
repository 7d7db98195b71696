"""Data maintenance: fill x_3067/y_3067 (ETRS-TM35FIN) from lat/lon in a CSV, in place.

Usage: python data/scripts/add_3067.py data/network/stations.csv [more.csv ...]
Not run by tests; the tests check that the stored columns agree with lat/lon.
"""

from __future__ import annotations

import csv
import sys

from pyproj import Transformer

TO_3067 = Transformer.from_crs("EPSG:4326", "EPSG:3067", always_xy=True)


def main(paths: list[str]) -> None:
    for path in paths:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = list(reader.fieldnames or [])
            rows = list(reader)
        for row in rows:
            x, y = TO_3067.transform(float(row["lon"]), float(row["lat"]))
            row["x_3067"], row["y_3067"] = str(round(x)), str(round(y))
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Address figures: an orders file of 10,000 rows written the old way (ward, district and
province before July 2025, every one converted) against the same file written the
current way; and what the conversion table costs the first time it is needed.
Aim: the old-address file within the 5 s import aim.

    python benchmarks/bench_addresses.py [--rows 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from orderdesk import geo

HEADER = ["order_code", "name", "phone", "street", "ward", "district", "province", "sku", "qty"]


def old_places(count: int, seed: int = 11) -> list[tuple[str, str, str, geo.WardPlace]]:
    """(old ward, old district, old province, the ward it became) for old wards that went
    into exactly one current ward, as buyers write them (a third abbreviated)."""
    from orderdesk import geo_old

    table = geo_old._table()
    rng = random.Random(seed)
    found = []
    for province_code, districts in table.districts.items():
        province = table.provinces[province_code].name
        for district in districts:
            for units in table.wards.get(district.code, {}).values():
                for unit in units:
                    becomes = table.becomes.get(unit.code, ())
                    if len(becomes) == 1 and len(units) == 1:
                        found.append((unit.name, district.name, province, becomes[0]))
    rng.shuffle(found)
    return (found * (count // len(found) + 1))[:count]


def write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from orderdesk.db import open_store
    from orderdesk.models.inputs import ProductCreate
    from orderdesk.services import products, stock
    from orderdesk.services.files.orders import import_orders

    # The table's first use, in a fresh process as a CLI command meets it.
    code = "import time; t = time.perf_counter(); from orderdesk import geo_old; geo_old.warm(); "
    code += "print(time.perf_counter() - t)"
    loads = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(3)
    ]
    print(f"conversion table, first use in a process: best {min(loads):.2f} s")

    places = old_places(args.rows)
    old_rows, new_rows = [], []
    for n, (ward, district, province, becomes) in enumerate(places):
        who = [f"OLD-{n:06d}", f"Khách {n}", f"09{n % 100_000_000:08d}", f"{n % 300 + 1} Lê Lợi"]
        if n % 3 == 0:  # the whole address in the street column, ward column blank
            old_rows.append(
                [
                    *who[:3],
                    f"{who[3]}, {ward}, {district}, {province}",
                    "",
                    "",
                    province,
                    "SKU-1",
                    "1",
                ]
            )
        else:
            old_rows.append([*who, ward, district, province, "SKU-1", "1"])
        today = geo.province(becomes.province_code).name
        new_rows.append([f"NEW-{n:06d}", *who[1:], becomes.name, "", today, "SKU-1", "1"])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old_file, new_file = folder / "old.csv", folder / "new.csv"
        write(old_file, old_rows)
        write(new_file, new_rows)
        empty = folder / "empty.db"
        store = open_store(empty)
        with store.write() as session:
            products.save(session, ProductCreate(sku="SKU-1", name="Áo", price=100_000))
            stock.receive(session, "SKU-1", 1_000_000)
        store.dispose()
        for label, path in (("current addresses", new_file), ("old addresses", old_file)):
            times = []
            for run in range(args.runs):
                db = folder / f"{label[:3]}{run}.db"
                db.write_bytes(empty.read_bytes())
                store = open_store(db)
                started = time.perf_counter()
                with store.write() as session:
                    result = import_orders(session, path)
                times.append(time.perf_counter() - started)
                store.dispose()
            print(
                f"{args.rows:,}-row orders file, {label}: best {min(times):.2f} s, median "
                f"{statistics.median(times):.2f} s ({len(result.converted):,} converted)"
            )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()

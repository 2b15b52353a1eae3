"""Marketplace import figures: a 20,000-row Shopee export (about 11,000 orders in every
status, one to three items each) into a shop of 200 products; then the same export again
(every order unchanged). Aim: < 5 s for the first import.

    python benchmarks/bench_import.py [--rows 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import sys
import tempfile
import time
from pathlib import Path

import orderdesk

sys.path.insert(0, str(Path(__file__).parent))
import market_exports  # noqa: E402


def shop(folder: Path, skus: list[tuple[str, int]]) -> Path:
    from orderdesk.db import open_store
    from orderdesk.models.inputs import ProductCreate
    from orderdesk.services import products, stock

    path = folder / "shop.db"
    store = open_store(path)
    with store.write() as session:
        for sku, price in skus:
            products.save(session, ProductCreate(sku=sku, name="Sản phẩm", price=price))
            stock.receive(session, sku, 100_000, note="bench")
    store.dispose()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    compileall.compile_dir(Path(orderdesk.__file__).parent, quiet=1)

    from orderdesk.db import open_store
    from orderdesk.services.files.marketplace import import_marketplace

    skus = [(f"SKU-{i:04d}", 100_000 + i * 1000) for i in range(200)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # ~1.8 rows per order: enough orders to make the rows asked for.
        sales = market_exports.big_shopee(int(args.rows / 1.8), skus)
        rows = market_exports.shopee_rows(sales)[: args.rows]
        export = folder / "Order.all.xlsx"
        market_exports.write_xlsx(export, market_exports.SHOPEE_HEADERS, rows)
        print(f"export: {len(rows):,} rows, {export.stat().st_size / 1e6:.1f} MB")
        empty = shop(folder, skus)
        first, again = [], []
        for run in range(args.runs):
            db = folder / f"run{run}.db"
            db.write_bytes(empty.read_bytes())
            store = open_store(db)
            started = time.perf_counter()
            with store.write() as session:
                result = import_marketplace(session, export, "shopee")
            first.append(time.perf_counter() - started)
            started = time.perf_counter()
            with store.write() as session:
                repeat = import_marketplace(session, export, "shopee")
            again.append(time.perf_counter() - started)
            store.dispose()
            print(
                f"run {run + 1}: import {first[-1]:.2f} s ({result.new:,} new orders), "
                f"again {again[-1]:.2f} s ({repeat.unchanged:,} unchanged)"
            )
        print(
            f"import of {len(rows):,} rows: best {min(first):.2f} s, "
            f"median {statistics.median(first):.2f} s (aim < 5 s)"
        )
        print(f"import again: best {min(again):.2f} s, median {statistics.median(again):.2f} s")


if __name__ == "__main__":
    main()

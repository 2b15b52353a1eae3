"""Reports figures: every report of `orderdesk report` for the last 30 days, on a shop of
100,000 orders (the shop of bench_track.py, plus reviews and returns). Aim: < 1 s."""

from __future__ import annotations

import argparse
import compileall
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import orderdesk

sys.path.insert(0, str(Path(__file__).parent))
import bench_track  # noqa: E402  (the big shop is built the same way)


def with_aftersales(big: Path, folder: Path) -> Path:
    """A copy of the shop with reviews on a tenth of the delivered orders and returns on
    one in fifty; made once per shop and kept with --keep."""
    target = folder / (big.stem + "-aftersales.db")
    if target.exists():
        return target
    partial = folder / "aftersales-partial.db"
    shutil.copyfile(big, partial)
    from orderdesk.db import open_store

    open_store(partial).dispose()  # a shop kept from an older run gets the newer tables
    rng = random.Random(7)
    con = sqlite3.connect(partial)
    delivered = con.execute(
        "SELECT o.id, o.delivered_at, l.product_id, l.sku, l.qty, l.unit_price FROM orders o "
        "JOIN order_lines l ON l.order_id = o.id WHERE o.status = 'delivered' "
        "GROUP BY o.id"
    ).fetchall()
    reviews, returned = [], []
    for oid, at, pid, sku, _qty, price in delivered:
        if rng.random() < 0.1:
            reviews.append((oid, pid, sku, rng.choice([1, 2, 3, 4, 5, 5, 5]), at, at))
        if rng.random() < 0.02:
            returned.append((oid, at, pid, sku, 1, price))
    con.executemany(
        "INSERT INTO reviews (order_id, product_id, sku, stars, comment, channel, at, reply,"
        " replied_at, created_at) VALUES (?, ?, ?, ?, '', '', ?, '', NULL, ?)",
        reviews,
    )
    reasons = ["wrong_size", "wrong_colour", "defect", "not_as_described", "changed_mind"]
    for oid, at, pid, sku, qty, price in returned:
        rid = con.execute(
            "INSERT INTO returns (order_id, kind, reason, refund, note, exchange_order_id, at)"
            " VALUES (?, 'return', ?, ?, '', NULL, ?)",
            (oid, rng.choice(reasons), price, at),
        ).lastrowid
        con.execute(
            "INSERT INTO return_lines (return_id, product_id, sku, qty, unit_price, restock)"
            " VALUES (?, ?, ?, ?, ?, 1)",
            (rid, pid, sku, qty, price),
        )
    con.commit()
    con.close()
    partial.rename(target)
    print(f"  added {len(reviews):,} reviews and {len(returned):,} returns")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep the shop in this folder and reuse it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="orderdesk-bench-reports-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ORDERDESK_HOME", str(folder / "home"))
    compileall.compile_dir(str(Path(orderdesk.__file__).parent), quiet=1)
    from orderdesk.db import open_store
    from orderdesk.services import reports

    now = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    print(f"orderdesk reports benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    try:
        big, _, _ = bench_track.big_shop(folder, args.orders, now)
        shop = with_aftersales(big, folder)
        store = open_store(shop)
        rng = reports.named_range("30d")
        times = []
        result = {}
        for _ in range(args.runs):
            start = time.perf_counter()
            with store.read() as session:
                result = reports.all_reports(session, rng, now=now)
            times.append(time.perf_counter() - start)
        store.dispose()
        orders = sum(r.orders for r in result["daily"])
        print(f"all reports, 30 days ({rng.start} – {rng.end}), {args.orders:,}-order shop")
        print(
            f"  {orders:,} orders in range, {args.runs} runs: best {min(times):.3f} s, "
            f"median {statistics.median(times):.3f} s"
            + ("   OVER the 1 s aim" if statistics.median(times) >= 1 else "")
        )
        for kind in reports.KINDS:
            start = time.perf_counter()
            store = open_store(shop)
            with store.read() as session:
                if kind == "cod":
                    reports.cod(session, now=now)
                else:
                    getattr(reports, kind)(session, rng)
            store.dispose()
            print(f"    {kind:<10} {time.perf_counter() - start:.3f} s (cold, one run)")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

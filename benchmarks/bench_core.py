"""Core figures: order saves per second, list/search latency on 100,000 orders, a
10,000-line import and database size per 100,000 orders.

    python benchmarks/bench_core.py [--orders 100000] [--keep DIR]

Timings are best-of-N or percentiles over many runs, because a shared machine is noisy.
The 100,000-order shop is written with bulk inserts (it is the reads that are measured);
every order in it looks like one the services would write: lines, ledger rows, history.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from orderdesk import geo
from orderdesk.db import Store, open_store
from orderdesk.models.enums import OrderStatus
from orderdesk.models.inputs import LineInput, OrderCreate, ProductCreate
from orderdesk.services import demo, orders, products, stock
from orderdesk.services.orders import search_key
from orderdesk.text import fold


def say(label: str, value: str) -> None:
    print(f"  {label:<52} {value}")


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"p50 {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms   (n={len(ms)})"


def new_shop(folder: Path, name: str, skus: int = 200, on_hand: int = 1_000_000) -> Store:
    for old in folder.glob(name + "*"):
        old.unlink()
    store = open_store(folder / name)
    with store.write() as session:
        for i in range(skus):
            products.save(
                session,
                ProductCreate(
                    sku=f"SKU-{i:04d}", name=f"Áo thun mẫu {i}", price=100_000 + 1_000 * (i % 50)
                ),
            )
            stock.receive(session, f"SKU-{i:04d}", on_hand)
    return store


def mobile(rng: random.Random) -> str:
    return rng.choice(demo.PREFIXES) + f"{rng.randint(0, 9_999_999):07d}"


def order_input(rng: random.Random, i: int) -> OrderCreate:
    ward = rng.choice(geo.wards_of(rng.choice([1, 79, 48, 31])))
    return OrderCreate(
        name=f"{rng.choice(demo.FAMILY)} {rng.choice(demo.MIDDLE)} {rng.choice(demo.GIVEN)}",
        phone=mobile(rng),
        street=f"{i % 300 + 1} Lê Lợi",
        ward=ward.name,
        province=str(ward.province_code),
        items=[
            LineInput(f"SKU-{n:04d}", rng.choice([1, 2]))
            for n in rng.sample(range(200), rng.choice([1, 1, 2, 3]))
        ],
        shipping_fee=25_000,
    )


def bench_create(folder: Path) -> None:
    print("create + reserve (validate, reserve, ledger, history; one SQLite file, FULL sync)")
    rng = random.Random(1)
    single, batched = [], []
    for attempt in range(3):
        store = new_shop(folder, f"create-{attempt}.db")
        data = [order_input(rng, i) for i in range(1400)]
        start = time.perf_counter()
        for item in data[:400]:
            with store.write() as session:
                orders.create(session, item)
        single.append(400 / (time.perf_counter() - start))
        start = time.perf_counter()
        with store.write() as session:
            valid = [orders.validate(session, item) for item in data[400:]]
            orders.create_many(session, valid)
        batched.append(1000 / (time.perf_counter() - start))
        store.dispose()
    say(
        "one order per transaction (desk, CLI), best of 3",
        f"{max(single):6.0f} orders/s ({1000 / max(single):.1f} ms per save)",
    )
    say("1,000 orders validated and saved as one batch (imports)", f"{max(batched):6.0f} orders/s")


STATUS_MIX = [
    (OrderStatus.DELIVERED, 70),
    (OrderStatus.CANCELLED, 6),
    (OrderStatus.RETURNED, 4),
    (OrderStatus.SHIPPED, 6),
    (OrderStatus.DELIVERY_FAILED, 3),
    (OrderStatus.PENDING, 5),
    (OrderStatus.CONFIRMED, 2),
    (OrderStatus.PACKED, 2),
    (OrderStatus.AWAITING_STOCK, 1),
    (OrderStatus.RETURNING, 1),
]


def seed(path: Path, count: int) -> None:
    """`count` orders as the services would have left them, written in bulk."""
    store = new_shop(path.parent, path.name, on_hand=1_000_000)
    store.dispose()
    rng = random.Random(7)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    product_ids = [r[0] for r in con.execute("SELECT id FROM products")]
    prices = dict(con.execute("SELECT id, price FROM products"))
    wards = [w for code in (1, 79, 48, 31, 92, 46) for w in geo.wards_of(code)]
    start = datetime(2025, 12, 1, tzinfo=UTC)
    statuses = [s for s, _ in STATUS_MIX]
    weights = [w for _, w in STATUS_MIX]
    customers, orders_rows, lines, moves, events = [], [], [], [], []
    phones: dict[str, int] = {}
    line_id = 0
    for i in range(1, count + 1):
        name = f"{rng.choice(demo.FAMILY)} {rng.choice(demo.MIDDLE)} {rng.choice(demo.GIVEN)}"
        phone = "+84" + mobile(rng)[1:]
        if phone not in phones:
            phones[phone] = len(phones) + 1
            customers.append(
                (
                    phones[phone],
                    phone,
                    name,
                    "",
                    "1 Lê Lợi",
                    None,
                    None,
                    "",
                    fold(name),
                    start.isoformat(" "),
                    start.isoformat(" "),
                )
            )
        ward = rng.choice(wards)
        created = start + timedelta(minutes=5 * i)
        status = rng.choices(statuses, weights)[0]
        code = f"DH{created:%y%m}-{i:06d}"
        chosen = rng.sample(product_ids, rng.choice([1, 1, 2, 3]))
        subtotal = 0
        for pid in chosen:
            line_id += 1
            qty = rng.choice([1, 1, 2])
            subtotal += qty * prices[pid]
            held = (
                qty
                if status in (OrderStatus.PENDING, OrderStatus.CONFIRMED, OrderStatus.PACKED)
                else 0
            )
            lines.append(
                (
                    line_id,
                    i,
                    pid,
                    f"SKU-{pid:04d}",
                    "Áo thun mẫu",
                    "Đen / M",
                    qty,
                    prices[pid],
                    held,
                )
            )
            at = created.isoformat(" ")
            if status is not OrderStatus.AWAITING_STOCK:
                moves.append((pid, "reserve", 0, qty, i, "", at))
            if status not in (
                OrderStatus.PENDING,
                OrderStatus.CONFIRMED,
                OrderStatus.PACKED,
                OrderStatus.AWAITING_STOCK,
                OrderStatus.CANCELLED,
            ):
                moves.append((pid, "ship", -qty, -qty, i, "", at))
            if status is OrderStatus.CANCELLED:
                moves.append((pid, "release", 0, -qty, i, "", at))
        times = {s: None for s in OrderStatus}
        times[status] = created.isoformat(" ")
        orders_rows.append(
            (
                i,
                code,
                "facebook",
                phones[phone],
                name,
                phone,
                "",
                "1 Lê Lợi",
                ward.code,
                ward.name,
                ward.province_code,
                geo.province(ward.province_code).name,
                "",
                subtotal,
                25_000,
                0,
                0,
                subtotal + 25_000,
                "cod",
                None,
                "view",
                "",
                status.value,
                "",
                search_key(code, name, phone),
                created.isoformat(" "),
                created.isoformat(" "),
                *[times[s] for s in OrderStatus],
            )
        )
        for step in range(rng.choice([1, 3, 4, 5])):
            events.append(
                (
                    i,
                    created.isoformat(" "),
                    "create" if step == 0 else "ship",
                    None,
                    status.value,
                    "",
                )
            )
    status_columns = ", ".join(f"{s.value}_at" for s in OrderStatus)
    con.executemany(
        "INSERT INTO customers (id, phone, name, email, street, ward_code, province_code, notes, "
        "search_key, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        customers,
    )
    con.executemany(
        "INSERT INTO orders (id, code, channel, customer_id, name, phone, email, street, "
        "ward_code, ward_name, province_code, province_name, district, subtotal, shipping_fee, "
        "discount, paid, cod, payment, deliver_by, inspection, note, status, cancel_reason, "
        f"search_key, created_at, updated_at, {status_columns}) VALUES "
        f"({','.join('?' * (27 + len(OrderStatus)))})",
        orders_rows,
    )
    con.executemany("INSERT INTO order_lines VALUES (?,?,?,?,?,?,?,?,?)", lines)
    con.executemany(
        "INSERT INTO stock_moves (product_id, kind, on_hand_delta, reserved_delta, "
        "order_id, reason, at) VALUES (?,?,?,?,?,?,?)",
        moves,
    )
    con.executemany(
        "INSERT INTO order_events (order_id, at, action, from_status, to_status, "
        "detail) VALUES (?,?,?,?,?,?)",
        events,
    )
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("ANALYZE")
    con.commit()
    con.close()


def big_shop(folder: Path, count: int) -> Path:
    """The large shop both benchmarks read, seeded once per folder (reused with --keep)."""
    big = folder / "big.db"
    if not big.exists():
        start = time.perf_counter()
        partial = folder / "big-partial.db"
        for leftover in folder.glob("big-partial.db*"):
            leftover.unlink()
        seed(partial, count)
        partial.rename(big)  # only a finished shop is ever reused by --keep
        print(f"(seeded {count:,} orders in {time.perf_counter() - start:.0f} s)")
    return big


def bench_reads(path: Path, count: int) -> None:
    print(f"list and search on {count:,} orders (what the desk runs per keystroke)")
    store = open_store(path)
    rng = random.Random(3)

    def timed(fn, runs: int = 60) -> list[float]:  # type: ignore[no-untyped-def]
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            with store.read() as session:
                fn(session)
            samples.append(time.perf_counter() - start)
        return samples

    say("first page, all orders", percentiles(timed(lambda s: orders.list_rows(s, limit=100))))
    say("counts per status (the tabs)", percentiles(timed(lambda s: orders.status_counts(s))))
    say(
        "first page of one status",
        percentiles(
            timed(lambda s: orders.list_rows(s, status=rng.choice(list(OrderStatus)), limit=100))
        ),
    )
    say(
        "page at offset 90,000 (End key)",
        percentiles(
            timed(
                lambda s: orders.list_rows(s, offset=min(90_000, count - 100), limit=100), runs=20
            )
        ),
    )

    def keystroke(text: str):  # type: ignore[no-untyped-def]
        def run(session):  # type: ignore[no-untyped-def]
            orders.status_counts(session, search=text)
            orders.list_rows(session, search=text, limit=100)

        return run

    with store.read() as session:
        some = orders.list_rows(session, offset=count // 2, limit=1)[0]
    queries = {
        "search 'nguyen van' (common words)": "nguyen van",
        "search a full name, no diacritics": fold(some.name),
        "search a phone typed with spaces": "0"
        + some.phone[3:6]
        + " "
        + some.phone[6:9]
        + " "
        + some.phone[9:],
        "search an order code": some.code,
        "search with no match": "zzzz",
    }
    for label, text in queries.items():
        say(label + " (counts + page)", percentiles(timed(keystroke(text), runs=30)))
    store.dispose()


def bench_import(folder: Path, lines: int = 10_000) -> None:
    print(f"import a {lines:,}-line orders file (validate all, then write all, one transaction)")
    rng = random.Random(5)
    path = folder / "import.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "order_code",
                "name",
                "phone",
                "street",
                "ward",
                "province",
                "sku",
                "qty",
                "shipping_fee",
            ]
        )
        written, n = 0, 0
        while written < lines:
            n += 1
            ward = rng.choice(geo.wards_of(rng.choice([1, 79, 48])))
            name = f"{rng.choice(demo.FAMILY)} {rng.choice(demo.GIVEN)}"
            phone = mobile(rng)
            for sku in rng.sample(range(200), min(rng.choice([1, 2, 3]), lines - written)):
                writer.writerow(
                    [
                        f"IMP-{n:06d}",
                        name,
                        phone,
                        "5 Hai Bà Trưng",
                        ward.name,
                        geo.province(ward.province_code).name,
                        f"SKU-{sku:04d}",
                        rng.choice([1, 2]),
                        30000,
                    ]
                )
                written += 1
    from orderdesk.services.files.orders import import_orders

    best = None
    for attempt in range(2):
        store = new_shop(folder, f"import-{attempt}.db")
        start = time.perf_counter()
        with store.write() as session:
            result = import_orders(session, path)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        store.dispose()
    say(f"{lines:,} lines → {result.created:,} orders, best of 2", f"{best:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the databases in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="orderdesk-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ORDERDESK_HOME", str(folder / "home"))
    print(
        f"orderdesk core benchmark — Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, SQLite {sqlite3.sqlite_version}"
    )
    try:
        bench_create(folder)
        big = big_shop(folder, args.orders)
        size = big.stat().st_size
        print("database size")
        say(
            f"{args.orders:,} orders with lines, ledger and history",
            f"{size / 1e6:6.1f} MB ({size / 1e6 * 100_000 / args.orders:.1f} MB per 100,000)",
        )
        bench_reads(big, args.orders)
        bench_import(folder)
        print("(the desk's own figures: benchmarks/bench_desk.py)")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps({"done": True}))


if __name__ == "__main__":
    main()

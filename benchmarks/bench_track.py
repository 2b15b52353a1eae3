"""Tracking figures: a 20,000-row carrier status file imported, and the problems queue
computed, on a shop of 100,000 orders.

    python benchmarks/bench_track.py [--orders 100000] [--runs 3] [--keep DIR] [--profile]

Each figure is best and median of `--runs`, in one process (the first run also pays for
compiling the statements). Every import runs on a fresh copy of the same shop, so every
run does the same work. The shop is written with bulk inserts (it is the import and the
queue that are measured); every order in it looks like one the services would write:
lines, stock ledger, history, tracking number and carrier events, COD statements. The
status file is a GHN export (`assets/samples/carriers/ghn-status.csv`) for 5,000 parcels
in transit: picked, transporting, delivering, then delivered or delivery_fail. If the
command exists, `orderdesk tracking import FILE --carrier ghn` is also timed as a whole
process (Python start, imports, database, import, commit), byte-compiled as an install is.
"""

from __future__ import annotations

import argparse
import compileall
import cProfile
import csv
import os
import pstats
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orderdesk
from bench_core import mobile, new_shop
from orderdesk import geo
from orderdesk.db import open_store
from orderdesk.models.enums import OrderStatus
from orderdesk.services import demo, problems, tracking
from orderdesk.services.orders import search_key
from orderdesk.text import fold
from orderdesk.timeutil import local_tz

S = OrderStatus
ALL_STATUSES = list(OrderStatus)
AIM = 2.0  # seconds, for both figures

# Status mix of a shop that has sold for a year (percent).
STATUS_MIX = [
    (S.DELIVERED, 70.0),
    (S.CANCELLED, 5.0),
    (S.RETURNED, 4.0),
    (S.SHIPPED, 7.5),
    (S.DELIVERY_FAILED, 2.5),
    (S.RETURNING, 1.0),
    (S.PENDING, 4.0),
    (S.CONFIRMED, 2.5),
    (S.PACKED, 3.0),
    (S.AWAITING_STOCK, 0.5),
]
# The statuses each order went through, in order.
_SHIPPED = [S.PENDING, S.CONFIRMED, S.PACKED, S.SHIPPED]
PATHS: dict[OrderStatus, list[OrderStatus]] = {
    S.PENDING: [S.PENDING],
    S.AWAITING_STOCK: [S.AWAITING_STOCK],
    S.CONFIRMED: [S.PENDING, S.CONFIRMED],
    S.PACKED: [S.PENDING, S.CONFIRMED, S.PACKED],
    S.SHIPPED: _SHIPPED,
    S.DELIVERED: [*_SHIPPED, S.DELIVERED],
    S.DELIVERY_FAILED: [*_SHIPPED, S.DELIVERY_FAILED],
    S.RETURNING: [*_SHIPPED, S.DELIVERY_FAILED, S.RETURNING],
    S.RETURNED: [*_SHIPPED, S.DELIVERY_FAILED, S.RETURNING, S.RETURNED],
    S.CANCELLED: [S.PENDING, S.CANCELLED],
}
ACTION_INTO = {
    S.PENDING: "create",
    S.AWAITING_STOCK: "create",
    S.CONFIRMED: "confirm",
    S.PACKED: "pack",
    S.SHIPPED: "ship",
    S.DELIVERED: "deliver",
    S.DELIVERY_FAILED: "fail_delivery",
    S.RETURNING: "start_return",
    S.RETURNED: "mark_returned",
    S.CANCELLED: "cancel",
}
# Hours between entering a status and entering the next one: (low, high).
GAP_HOURS = {
    S.CONFIRMED: (0.5, 6),
    S.PACKED: (2, 24),
    S.SHIPPED: (2, 20),
    S.DELIVERED: (24, 96),
    S.DELIVERY_FAILED: (24, 72),
    S.RETURNING: (24, 48),
    S.RETURNED: (48, 120),
    S.CANCELLED: (1, 48),
}
# How long ago an order entered its current status (days): (low, high).
AGE_DAYS = {
    S.PENDING: (0.02, 2),
    S.AWAITING_STOCK: (0.5, 10),
    S.CONFIRMED: (0.05, 2),
    S.PACKED: (0.05, 2),
    S.SHIPPED: (0.2, 3),
    S.DELIVERY_FAILED: (0.2, 4),
    S.RETURNING: (0.5, 6),
    S.DELIVERED: (3, 360),
    S.RETURNED: (3, 360),
    S.CANCELLED: (1, 360),
}
OPEN = (S.PENDING, S.CONFIRMED, S.PACKED, S.AWAITING_STOCK)
HOLDS = (S.PENDING, S.CONFIRMED, S.PACKED)
WAREHOUSES = ["Bưu cục Quận 1", "Kho Sài Gòn", "Kho Hà Nội", "Bưu cục Cầu Giấy", "Bưu cục Đống Đa"]
REASONS = ["Khách không nghe máy", "Khách hẹn giao lại", "Sai địa chỉ", "Khách từ chối nhận hàng"]
# GHN's word (and its outcome) for the parcel's latest event, by order status.
LAST_WORD = {
    S.DELIVERED: ("delivered", "delivered"),
    S.DELIVERY_FAILED: ("delivery_fail", "failed"),
    S.RETURNING: ("return", "returning"),
    S.RETURNED: ("returned", "returned"),
}
FILE_ORDERS = 5_000  # parcels in the status file, four rows each


def say(label: str, value: str) -> None:
    print(f"  {label:<50} {value}", flush=True)


def best_median(times: list[float]) -> str:
    best, median = min(times), statistics.median(times)
    mark = "" if best < AIM else f"   OVER the {AIM:.0f} s aim"
    return f"best {best:6.3f} s   median {median:6.3f} s   first {times[0]:6.3f} s{mark}"


def ts(moment: datetime) -> str:
    """A UTC time as SQLAlchemy stores it in SQLite (naive, microseconds)."""
    if moment.utcoffset():
        moment = moment.astimezone(UTC)
    return moment.isoformat(" ", "microseconds")[:26]


def minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def ghn_number(n: int) -> str:
    """A unique GHN-shaped number per order: G + 7 base-36 characters."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    value, out = (n * 2_654_435_761) % 36**7, []  # odd and not a multiple of 3: a bijection
    for _ in range(7):
        value, rest = divmod(value, 36)
        out.append(digits[rest])
    return "G" + "".join(reversed(out))


def statuses_entered(
    rng: random.Random, status: OrderStatus, now: datetime, stale: bool
) -> dict[OrderStatus, datetime]:
    """When the order entered each status of its path, the current one `AGE_DAYS` ago."""
    low, high = (4, 20) if stale else AGE_DAYS[status]
    at = minute(now - timedelta(days=rng.uniform(low, high)))
    path = PATHS[status]
    times = {path[-1]: at}
    for before, after in zip(reversed(path[:-1]), reversed(path[1:]), strict=True):
        at = minute(at - timedelta(hours=rng.uniform(*GAP_HOURS[after])))
        times[before] = at
    return times


def seed(path: Path, count: int, now: datetime) -> dict[str, Any]:
    """`count` orders as the services would have left them, written in bulk; returns the
    parcels the status file is about."""
    store = new_shop(path.parent, path.name, on_hand=1_000_000)
    store.dispose()
    rng = random.Random(11)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-256000")
    product_ids = [r[0] for r in con.execute("SELECT id FROM products")]
    prices = dict(con.execute("SELECT id, price FROM products"))
    wards = [w for code in (1, 79, 48, 31, 92, 46) for w in geo.wards_of(code)]
    # A pool of buyers smaller than the orders: people order again (and refuse again).
    pool: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(pool) < max(1, count * 3 // 5):
        phone = "+84" + mobile(rng)[1:]
        if phone not in seen:
            seen.add(phone)
            name = f"{rng.choice(demo.FAMILY)} {rng.choice(demo.MIDDLE)} {rng.choice(demo.GIVEN)}"
            pool.append((phone, name))
    statuses = [s for s, _ in STATUS_MIX]
    weights = [w for _, w in STATUS_MIX]
    plans = []
    for _ in range(count):
        status = rng.choices(statuses, weights)[0]
        stale = status is S.SHIPPED and rng.random() < 0.12
        times = statuses_entered(rng, status, now, stale)
        plans.append((min(times.values()), status, stale, times))
    plans.sort(key=lambda p: p[0])  # ids and codes follow the order of creation

    customers: dict[str, tuple[Any, ...]] = {}
    orders_rows, lines, moves, history, events, remits = [], [], [], [], [], []
    in_file: list[tuple[int, str, str, datetime]] = []  # id, code, number, last event
    line_id = 0
    reconciled = ts(now)
    for i, (created, status, stale, times) in enumerate(plans, start=1):
        stamp = {s: ts(at) for s, at in times.items()}
        phone, name = pool[rng.randrange(len(pool))]
        if phone not in customers:
            customers[phone] = (
                len(customers) + 1,
                phone,
                name,
                "",
                "1 Lê Lợi",
                None,
                None,
                "",
                fold(name),
                stamp[PATHS[status][0]],
                stamp[PATHS[status][0]],
            )
        ward = rng.choice(wards)
        code = f"DH{created.astimezone(local_tz()):%y%m}-{i:06d}"
        subtotal = 0
        dispatched = S.SHIPPED in times
        for pid in rng.sample(product_ids, rng.choice([1, 1, 2, 3])):
            line_id += 1
            qty = rng.choice([1, 1, 2])
            subtotal += qty * prices[pid]
            held = qty if status in HOLDS else 0
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
            if status is not S.AWAITING_STOCK:
                moves.append((pid, "reserve", 0, qty, i, "", stamp[PATHS[status][0]]))
            if dispatched:
                moves.append((pid, "ship", -qty, -qty, i, "", stamp[S.SHIPPED]))
            if status is S.CANCELLED:
                moves.append((pid, "release", 0, -qty, i, "", stamp[S.CANCELLED]))
            if status is S.RETURNED:
                moves.append((pid, "return", qty, 0, i, "", stamp[S.RETURNED]))
        total = subtotal + 25_000
        cod_order = rng.random() < 0.85
        payment, cod, paid = ("cod", total, 0) if cod_order else ("bank", 0, total)
        deliver_by = None
        if rng.random() < 0.10:
            deliver_by = created.astimezone(local_tz()).date() + timedelta(days=rng.randint(2, 5))

        # The parcel: carrier, number and its carrier events (the latest is on the order).
        carrier, number, track = "", None, []
        if dispatched or (status is S.PACKED and rng.random() < 0.5):
            if rng.random() < 0.8:
                carrier, number = "ghn", ghn_number(i)
                sent = times.get(S.SHIPPED) or times[S.PACKED]
                track.append(("ready_to_pick", "info", sent - timedelta(hours=2)))
                if dispatched:
                    track.append(("picking", "info", sent))
                if status in (S.RETURNING, S.RETURNED):
                    track.append(("delivery_fail", "failed", times[S.DELIVERY_FAILED]))
                if status is S.RETURNED:
                    track.append(("return", "returning", times[S.RETURNING]))
                if status in LAST_WORD:
                    track.append((*LAST_WORD[status], times[status]))
                if status is S.SHIPPED and not stale and rng.random() < 0.01:
                    track.append(("lost", "problem", minute(sent + (now - sent) / 2)))
            else:
                carrier, number = "ghtk", f"{100_000_000 + i}"
        for word_, outcome, at in track:
            note = rng.choice(REASONS) if outcome == "failed" else ""
            events.append(
                (i, carrier, ts(at), word_, outcome, rng.choice(WAREHOUSES), note, "file", ts(at))
            )
        last = track[-1] if track else None
        if status is S.SHIPPED and carrier == "ghn" and last and last[1] == "info":
            in_file.append((i, code, number, last[2]))

        orders_rows.append(
            (
                i,
                code,
                "facebook",
                customers[phone][0],
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
                paid,
                cod,
                payment,
                deliver_by.isoformat() if deliver_by else None,
                "view",
                "",
                status.value,
                "",
                search_key(code, name, phone),
                stamp[PATHS[status][0]],
                stamp[status],
                *[stamp.get(s) for s in ALL_STATUSES],
                carrier,
                "",
                number,
                ts(last[2]) if last else None,
                last[0] if last else "",
                last[1] if last else "",
            )
        )
        before = None
        for s in PATHS[status]:
            history.append((i, stamp[s], ACTION_INTO[s], before, s.value, ""))
            before = s.value

        # COD statements: nearly every delivered COD parcel older than ten days is on one.
        if status is S.DELIVERED and cod > 0:
            old = times[S.DELIVERED] < now - timedelta(days=10)
            if rng.random() < (0.992 if old else 0.3):
                difference = (
                    rng.choice([-30_000, -5_000, 2_000, 15_000]) if rng.random() < 0.005 else 0
                )
                fees = 25_000
                remits.append((i, cod, cod, fees, cod - fees - difference, difference, reconciled))

    status_columns = ", ".join(f"{s.value}_at" for s in ALL_STATUSES)
    con.executemany(
        "INSERT INTO customers (id, phone, name, email, street, ward_code, province_code, notes, "
        "search_key, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        customers.values(),
    )
    # The search index is built once at the end: ten times faster than row by row.
    (trigger,) = con.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'orders_search_insert'"
    ).fetchone()
    con.execute("DROP TRIGGER orders_search_insert")
    con.executemany(
        "INSERT INTO orders (id, code, channel, customer_id, name, phone, email, street, "
        "ward_code, ward_name, province_code, province_name, district, subtotal, shipping_fee, "
        "discount, paid, cod, payment, deliver_by, inspection, note, status, cancel_reason, "
        f"search_key, created_at, updated_at, {status_columns}, carrier, service, tracking, "
        "track_at, track_status, track_outcome) VALUES "
        f"({','.join('?' * (33 + len(OrderStatus)))})",
        orders_rows,
    )
    con.execute("INSERT INTO order_search(order_search) VALUES ('rebuild')")
    con.execute(trigger)
    con.executemany("INSERT INTO order_lines VALUES (?,?,?,?,?,?,?,?,?)", lines)
    con.executemany(
        "INSERT INTO stock_moves (product_id, kind, on_hand_delta, reserved_delta, "
        "order_id, reason, at) VALUES (?,?,?,?,?,?,?)",
        moves,
    )
    # Stock figures are the sums of the ledger, as the services keep them.
    con.execute(
        "UPDATE stock SET "
        "on_hand = (SELECT SUM(on_hand_delta) FROM stock_moves m WHERE m.product_id = "
        "stock.product_id), "
        "reserved = (SELECT SUM(reserved_delta) FROM stock_moves m WHERE m.product_id = "
        "stock.product_id)"
    )
    con.executemany(
        "INSERT INTO order_events (order_id, at, action, from_status, to_status, "
        "detail) VALUES (?,?,?,?,?,?)",
        history,
    )
    con.executemany(
        "INSERT INTO tracking_events (order_id, carrier, at, carrier_status, outcome, "
        "location, note, source, recorded_at) VALUES (?,?,?,?,?,?,?,?,?)",
        events,
    )
    con.executemany("INSERT INTO cod_remits VALUES (?,?,?,?,?,?,?)", remits)
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("ANALYZE")
    con.commit()
    con.close()
    chosen = sorted(rng.sample(in_file, min(FILE_ORDERS, len(in_file))))
    return {
        "statuses": Counter(p[1] for p in plans),
        "tracking_events": len(events),
        "remits": len(remits),
        "file_orders": chosen,
    }


def write_status_file(
    path: Path, parcels: list[tuple[int, str, str, datetime]], now: datetime
) -> int:
    """A GHN status export: four rows per parcel, newest first, as GHN writes them."""
    rng = random.Random(13)
    rows = []
    for _, code, number, last in parcels:
        step = (now - last) / 5
        final = "delivered" if rng.random() < 0.85 else "delivery_fail"
        where = rng.choice(WAREHOUSES)
        for k, word in enumerate(("picked", "transporting", "delivering", final), start=1):
            at = minute(last + step * k)
            reason = rng.choice(REASONS[:3]) if word == "delivery_fail" else ""
            rows.append((at, number, code, word, where, reason))
    rows.sort(key=lambda r: r[0], reverse=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["OrderCode", "ClientOrderCode", "Status", "Time", "Warehouse", "Reason"])
        for at, number, code, word, where, reason in rows:
            writer.writerow([number, code, word, f"{at:%Y-%m-%dT%H:%M:%SZ}", where, reason])
    return len(rows)


def big_shop(folder: Path, count: int, now: datetime) -> tuple[Path, Path, int]:
    """The shop and its status file, built once per folder and day (reused with --keep)."""
    big = folder / f"track-{count}-{now:%Y%m%d}.db"
    status_file = big.with_suffix(".csv")
    if not (big.exists() and status_file.exists()):
        start = time.perf_counter()
        partial = folder / "track-partial.db"
        for leftover in folder.glob("track-partial.db*"):
            leftover.unlink()
        info = seed(partial, count, now)
        seeded = time.perf_counter() - start
        rows = write_status_file(status_file, info["file_orders"], now)
        partial.rename(big)  # only a finished shop is ever reused by --keep
        mix = ", ".join(f"{s.value} {n:,}" for s, n in info["statuses"].most_common())
        print(
            f"(seeded {count:,} orders in {seeded:.1f} s, status file in "
            f"{time.perf_counter() - start - seeded:.1f} s)"
        )
        print(f"  {mix}")
        print(
            f"  {info['tracking_events']:,} carrier events, {info['remits']:,} COD remits, "
            f"{rows:,} status rows for {len(info['file_orders']):,} parcels"
        )
    with open(status_file, encoding="utf-8") as handle:
        rows = sum(1 for _ in handle) - 1
    return big, status_file, rows


def fresh_copy(big: Path, folder: Path) -> Path:
    run = folder / "run.db"
    for old in folder.glob("run.db*"):
        old.unlink()
    shutil.copyfile(big, run)
    return run


def profiled(fn: Callable[[], Any]) -> None:
    profile = cProfile.Profile()
    profile.runcall(fn)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(25)


def bench_import(
    big: Path, folder: Path, status_file: Path, rows: int, runs: int, now: datetime, profile: bool
) -> None:
    print(f"import a {rows:,}-row GHN status file (carrier auto, one write transaction)")
    times, report = [], None
    for _ in range(runs):
        store = open_store(fresh_copy(big, folder))
        start = time.perf_counter()
        with store.write() as session:
            report = tracking.import_file(session, status_file, carrier="auto", now=now)
        times.append(time.perf_counter() - start)
        store.dispose()
    assert report is not None
    say(f"{rows:,} rows, {runs} runs on fresh copies", best_median(times))
    moved = ", ".join(f"{status} {n:,}" for status, n in report.moved.most_common())
    say("carrier recognised", report.carrier)
    say("events added / already known", f"{report.events:,} / {report.repeated:,}")
    say("orders moved", f"{sum(report.moved.values()):,} ({moved})")
    say(
        "rows skipped / events that moved nothing odd",
        f"{len(report.skipped):,} / {len(report.not_moved):,}",
    )
    if profile:
        store = open_store(fresh_copy(big, folder))

        def run() -> None:
            with store.write() as session:
                tracking.import_file(session, status_file, carrier="auto", now=now)

        print("  profile of one import (top 25 by cumulative time):")
        profiled(run)
        store.dispose()


def bench_queue(big: Path, count: int, runs: int, now: datetime, profile: bool) -> None:
    print(f"problems queue on {count:,} orders (read transaction)")
    store = open_store(big)
    times, found = [], []
    for _ in range(runs):
        start = time.perf_counter()
        with store.read() as session:
            found = problems.queue(session, now=now)
        times.append(time.perf_counter() - start)
    say(f"{len(found):,} problems, {runs} runs", best_median(times))
    for rule, n in problems.counts(found).items():
        say(f"  {rule.value}", f"{n:,}")
    if profile:

        def run() -> None:
            with store.read() as session:
                problems.queue(session, now=now)

        print("  profile of one queue (top 25 by cumulative time):")
        profiled(run)
    store.dispose()


# The command, reporting its own peak memory (VmHWM, Linux) as it exits. Not `ru_maxrss`
# from wait4: a child forked from this (large) process inherits its high-water mark.
CLI = """
import atexit, os, sys

def peak():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    sys.stderr.write("bench-peak-kb " + line.split()[1] + "\\n")
                    sys.stderr.flush()
    except OSError:
        pass

def quick_exit(code, _exit=os._exit):  # the command ends with os._exit, past atexit
    peak()
    _exit(code)

os._exit = quick_exit
atexit.register(peak)
from orderdesk.cli import console
console()
"""


def bench_cli(big: Path, folder: Path, status_file: Path, rows: int, runs: int) -> None:
    """The whole `orderdesk tracking import` process, if that command exists."""
    env = {**os.environ, "ORDERDESK_HOME": str(folder / "home")}
    cli = [sys.executable, "-c", CLI]
    probe = subprocess.run(
        [*cli, "tracking", "--help"], env=env, capture_output=True, text=True, check=False
    )
    if probe.returncode != 0 or "import" not in probe.stdout:
        return
    print("orderdesk tracking import of the same file (whole process, fresh copy each run)")
    times: list[float] = []
    peak_of_best = 0.0
    for _ in range(runs):
        run = fresh_copy(big, folder)
        command = [*cli, "--db", str(run), "tracking", "import", str(status_file)]
        started = time.perf_counter()
        done = subprocess.run(
            [*command, "--carrier", "ghn"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"failed: orderdesk tracking import\n{done.stderr}")
        if not times or seconds < min(times):
            kb = [line.split()[1] for line in done.stderr.splitlines() if "bench-peak-kb" in line]
            peak_of_best = int(kb[-1]) / 1024 if kb else 0.0
        times.append(seconds)
    say(f"{rows:,} rows, {runs} runs", f"{best_median(times)}   peak {peak_of_best:4.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the shop in this folder and reuse it")
    parser.add_argument("--profile", action="store_true", help="cProfile one run of each")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="orderdesk-bench-track-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ORDERDESK_HOME", str(folder / "home"))
    # An installed package has .pyc files; a checkout run with PYTHONDONTWRITEBYTECODE
    # would compile every lazily imported module inside the timings instead.
    compileall.compile_dir(str(Path(orderdesk.__file__).parent), quiet=1)
    # Midnight UTC today: the shop's times are relative to it, and a real `now` (the
    # command) sees the same past.
    now = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    print(
        f"orderdesk tracking benchmark — Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, SQLite {sqlite3.sqlite_version}, now {now:%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    try:
        big, status_file, rows = big_shop(folder, args.orders, now)
        bench_import(big, folder, status_file, rows, args.runs, now, args.profile)
        bench_queue(big, args.orders, args.runs, now, args.profile)
        bench_cli(big, folder, status_file, rows, args.runs)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            for old in folder.glob("run.db*"):
                old.unlink()


if __name__ == "__main__":
    main()

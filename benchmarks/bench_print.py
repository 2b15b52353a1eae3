"""Printing figures: 1,000 labels and 1,000 invoices, command start included, beside the floor.

    python benchmarks/bench_print.py [--orders 1000] [--runs 3]

Each figure is the wall time and peak memory of a whole `orderdesk print …` process (Python
start, imports, database, rendering, fsync, marking), best and median of `--runs`. The
sources are byte-compiled first, as an installed orderdesk is. The floor is
`floor_labels.py`: the same label content drawn the simplest way reportlab allows, run in
the same session on the same machine.
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orderdesk
from orderdesk import geo
from orderdesk.db import open_store
from orderdesk.models.enums import Action
from orderdesk.models.inputs import LineInput, OrderCreate, ProductCreate
from orderdesk.services import demo, orders, products, stock

HERE = Path(__file__).resolve().parent


def say(label: str, value: str) -> None:
    print(f"  {label:<44} {value}", flush=True)


def seed(path: Path, count: int) -> None:
    rng = random.Random(7)
    store = open_store(path)
    with store.write() as session:
        for n in range(60):
            products.save(
                session,
                ProductCreate(
                    sku=f"AT-{n:03d}",
                    name=f"Áo thun cổ tròn mẫu {n}",
                    variant="Đen, L",
                    price=150_000 + 1_000 * n,
                    weight_g=250,
                ),
            )
            stock.receive(session, f"AT-{n:03d}", 100_000)
        wards = [w for code in (1, 79, 48, 31) for w in geo.wards_of(code)]
        items = []
        for i in range(count):
            ward = rng.choice(wards)
            items.append(
                orders.validate(
                    session,
                    OrderCreate(
                        name=f"{rng.choice(demo.FAMILY)} {rng.choice(demo.MIDDLE)} "
                        f"{rng.choice(demo.GIVEN)}",
                        phone=rng.choice(demo.PREFIXES) + f"{rng.randint(0, 9_999_999):07d}",
                        street=f"{i % 300 + 1} đường Nguyễn Thị Minh Khai, khu phố {i % 9 + 1}",
                        ward=ward.name,
                        province=str(ward.province_code),
                        items=[
                            LineInput(f"AT-{n:03d}", rng.choice([1, 2]))
                            for n in rng.sample(range(60), rng.choice([1, 2, 3]))
                        ],
                        shipping_fee=25_000,
                        note=rng.choice(["", "", "Gọi trước khi giao", "Giao giờ hành chính"]),
                    ),
                )
            )
        created = orders.create_many(session, items)
        for order in created:
            orders.apply(session, order.code, Action.CONFIRM, tick_all=True)
    store.dispose()


def measure(command: list[str], env: dict[str, str], runs: int) -> tuple[float, float, float]:
    """Best and median wall time (s), and the peak RSS (MB) of the best run."""
    times: list[float] = []
    peak_of_best = 0.0
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if status != 0:
            raise SystemExit(f"failed: {' '.join(command)}")
        if not times or seconds < min(times):
            peak_of_best = usage.ru_maxrss / 1024
        times.append(seconds)
    return min(times), statistics.median(times), peak_of_best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="orderdesk-bench-print-"))
    db = folder / "shop.db"
    print(f"Seeding {args.orders} confirmed orders in {folder} …", flush=True)
    seed(db, args.orders)
    env = {**os.environ, "ORDERDESK_HOME": str(folder / "home")}
    # An installed package has .pyc files; a checkout run with PYTHONDONTWRITEBYTECODE
    # would compile every module on every start and measure that instead.
    compileall.compile_dir(str(Path(orderdesk.__file__).parent), quiet=1)
    cli = [sys.executable, "-c", "from orderdesk.cli import console; console()", "--db", str(db)]
    print(f"\nPrinting {args.orders} orders, {args.runs} runs each (whole process):")
    figures = {}
    for kind, extra in (
        ("labels", []),
        ("labels", ["--size", "a4x4"]),
        ("labels", ["--format", "zpl"]),
        ("invoices", []),
        ("picklist", []),
        ("slips", []),
    ):
        name = kind + (" " + " ".join(extra) if extra else "")
        out = folder / "out"
        command = [*cli, "print", kind, "--reprint", "--out", str(out), *extra]
        seconds, median, peak = measure(command, env, args.runs)
        figures[name] = seconds
        say(name, f"best {seconds:5.2f} s   median {median:5.2f} s   peak {peak:4.0f} MB")
    floor_cmd = [
        sys.executable,
        str(HERE / "floor_labels.py"),
        "--count",
        str(args.orders),
        "--out",
        str(folder / "floor.pdf"),
    ]
    floor, _, peak = measure(floor_cmd, env, 1)
    say(
        "floor: plain reportlab labels (one run)",
        f"best {floor:5.2f} s                    peak {peak:4.0f} MB",
    )
    say("labels vs floor", f"{floor / figures['labels']:5.1f}x faster")
    start, _, _ = measure([*cli, "--help"], env, args.runs)
    say("command start alone (orderdesk --help)", f"{start:5.2f} s")


if __name__ == "__main__":
    main()

"""The desk on a 100,000-order shop, headless (Textual Pilot): how long until the orders
table is on screen, and how long from a keystroke in the search box to the table showing
the new result.

    python benchmarks/bench_desk.py [--orders 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_core import big_shop, percentiles, say

QUERIES = ["nguyen van", "tran thi", "0912", "DH2606", "le hoang", "pham", "vu gia", "hoang"]


async def first_table(path: Path) -> float:
    from orderdesk import config
    from orderdesk.db import open_store
    from orderdesk.tui.app import make_app
    from orderdesk.tui.widgets.order_table import OrderTable

    start = time.perf_counter()
    store = open_store(path)
    app = make_app(store, config.load(path.parent / "config.toml"))
    async with app.run_test(size=(140, 45)) as pilot:
        table = app.screen.query_one(OrderTable)
        while table.total == 0:
            await pilot.pause(0.002)
        elapsed = time.perf_counter() - start
    store.dispose()
    return elapsed


async def keystrokes(path: Path) -> list[float]:
    """For each key typed into the search box: from the box changing (the screen's reload)
    to the table holding the new result. Pilot's own key delivery is not counted."""
    from orderdesk import config
    from orderdesk.db import open_store
    from orderdesk.tui.app import make_app
    from orderdesk.tui.screens.orders import OrdersScreen

    store = open_store(path)
    app = make_app(store, config.load(path.parent / "config.toml"))
    started: dict[str, float] = {}
    shown: dict[str, float] = {}
    reload, show = OrdersScreen.reload, OrdersScreen._show

    def timed_reload(self):  # type: ignore[no-untyped-def]
        started[self.search_text] = time.perf_counter()
        reload(self)

    def timed_show(self, status_key, search, *rest):  # type: ignore[no-untyped-def]
        show(self, status_key, search, *rest)
        if search == self.search_text:
            shown.setdefault(search, time.perf_counter())

    OrdersScreen.reload = timed_reload  # type: ignore[method-assign]
    OrdersScreen._show = timed_show  # type: ignore[method-assign]
    samples: list[float] = []
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.press("slash")
            for query in QUERIES:
                for char in query:
                    started.clear()
                    shown.clear()
                    await pilot.press("space" if char == " " else char)
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                    typed = app.screen.search_text
                    samples.append(shown[typed] - started[typed])
                for _ in query:
                    await pilot.press("backspace")
                await app.workers.wait_for_complete()
    finally:
        OrdersScreen.reload, OrdersScreen._show = reload, show  # type: ignore[method-assign]
        store.dispose()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the shop in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="orderdesk-bench-desk-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ORDERDESK_HOME", str(folder / "home"))
    print(f"orderdesk desk benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    try:
        big = big_shop(folder, args.orders)
        opens = [asyncio.run(first_table(big)) for _ in range(5)]
        say(
            f"launch to the orders table on {args.orders:,} orders",
            f"best {min(opens):.2f} s, median {statistics.median(opens):.2f} s (n=5)",
        )
        samples = asyncio.run(keystrokes(big))
        say("search keystroke to table updated", percentiles(samples))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

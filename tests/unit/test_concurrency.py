"""Four terminals adding orders on one SQLite file at once: no oversell, no "locked"."""

from __future__ import annotations

import io
import multiprocessing
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from helpers import add_product, stock_of
from orderdesk.db import Store
from orderdesk.services import doctor

ORDER = [
    "order",
    "add",
    "--name",
    "Phạm Minh Anh",
    "--phone",
    "0987 654 321",
    "--street",
    "5 Lê Lợi",
    "--ward",
    "Bến Thành",
    "--province",
    "TP HCM",
    "--item",
    "HOT-1=1",
]


def _terminal(db: str, attempts: int, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from orderdesk.cli import main

    outcomes = []
    for _ in range(attempts):
        out, err = io.StringIO(), io.StringIO()
        try:
            with redirect_stdout(out), redirect_stderr(err):
                main(["--lang", "en", "--db", db, *ORDER])
            code = 0
        except SystemExit as done:
            code = int(done.code or 0)
        outcomes.append((code, out.getvalue().strip(), err.getvalue().strip()))
    results.put(outcomes)


def test_four_processes_never_oversell_one_sku(store: Store, db_path: Path, tmp_path: Path) -> None:
    add_product(store, "HOT-1", on_hand=150)
    store.dispose()
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    workers = [ctx.Process(target=_terminal, args=(str(db_path), 100, results)) for _ in range(4)]
    for worker in workers:
        worker.start()
    outcomes = [item for _ in workers for item in results.get(timeout=300)]
    for worker in workers:
        worker.join(timeout=60)
    ok = [o for o in outcomes if o[0] == 0]
    refused = [o for o in outcomes if o[0] != 0]
    assert len(outcomes) == 400
    assert len(ok) == 150
    assert len({code for _, code, _ in ok}) == 150  # 150 distinct order codes
    assert len(refused) == 250
    for exit_code, _, err in refused:
        assert exit_code == 1
        assert err == "orderdesk: not enough stock: HOT-1 needs 1, 0 available"
    assert not any("locked" in err.lower() or "traceback" in err.lower() for *_, err in outcomes)
    row = stock_of(store, "HOT-1")
    assert (row.on_hand, row.reserved, row.available) == (150, 150, 0)
    with store.read() as session:
        assert doctor.run(session) == []

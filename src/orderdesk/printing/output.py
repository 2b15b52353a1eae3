"""Documents to files that either exist complete or not at all, in the order the picker
walks: the printing side of a batch (the batch itself, with its jobs and transactions, is
`services.print_batches`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from orderdesk.printing import pdf
from orderdesk.printing.documents import PrintOrder, Shop
from orderdesk.printing.label import LABEL_SIZES
from orderdesk.printing.sheet import PAPERS
from orderdesk.text import natural_key


def pick_order(orders: Sequence[PrintOrder]) -> list[PrintOrder]:
    """Orders in the order the picker meets them: by their first SKU on the shelf walk.

    Labels, invoices and slips come out of the printer in this order, so the pile matches
    the pick list and the parcels being packed.
    """

    def key(order: PrintOrder) -> tuple[Any, ...]:
        first = min((natural_key(line.sku) for line in order.lines), default=[])
        return (first, len(order.lines), natural_key(order.code))

    return sorted(orders, key=key)


def free_name(path: Path) -> Path:
    """`path`, or `path` with -2, -3… when a file of that name already exists."""
    if not path.exists():
        return path
    n = 2
    while (candidate := path.with_name(f"{path.stem}-{n}{path.suffix}")).exists():
        n += 1
    return candidate


def durable_write(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write `path` so that it either exists complete or not at all, even on power loss."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; its rename is already durable.
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def render(
    kind: str,
    fmt: str,
    size: str,
    orders: Sequence[PrintOrder],
    shop: Shop,
    printed_at: datetime,
    progress: pdf.Progress | None = None,
    *,
    zpl_font: bool = False,
) -> Callable[[BinaryIO], None]:
    """What writes the batch's one file: `fmt` (pdf or zpl) of `kind` at `size`."""

    def write(out: BinaryIO) -> None:
        if fmt == "zpl":
            from orderdesk.printing import zpl

            zpl.write_labels(
                out,
                orders,
                shop,
                LABEL_SIZES[size],
                printed_at,
                progress,
                include_font=zpl_font,
            )
        elif kind == "labels":
            pdf.write_labels(out, orders, shop, LABEL_SIZES[size], printed_at, progress)
        elif kind == "invoices":
            pdf.write_invoices(out, orders, shop, PAPERS[size], printed_at, progress)
        elif kind == "slips":
            pdf.write_slips(out, orders, shop, PAPERS[size], printed_at, progress)
        else:
            pdf.write_picklist(out, list(orders), PAPERS[size], printed_at, progress)

    return write

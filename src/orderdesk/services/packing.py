"""Scan-to-pack: a packer scans an order's code, then every item that goes in the parcel.

A wrong item, or one more than the order holds, is refused before it reaches the box; when
every line is complete the order is packed through the state machine like any other action.
The scans themselves are not stored: a half-scanned order that is left leaves no trace, and
the only write is `PackSession.finish`, one `Action.PACK` in the caller's transaction.

`PackSession` is plain state (no database, no desk), so a CLI or the desk can drive it and
the tests can run it without a terminal. Keyboard-wedge scanners type like a keyboard, so a
scan is just a string; an item matches by the product's exact barcode first, then by SKU
ignoring case, with surrounding whitespace stripped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk.errors import NotFound, OrderdeskError
from orderdesk.models.enums import Action
from orderdesk.models.lifecycle import next_status
from orderdesk.models.reads import OrderRead
from orderdesk.models.tables import Order, OrderLine, Product, table_of
from orderdesk.services import orders

_o = table_of(Order)
_l = table_of(OrderLine)
_p = table_of(Product)
# The barcodes of an order's products, keyed to the SKU its line was sold under.
_BARCODES = (
    sa.select(_p.c.barcode, _l.c.sku)
    .select_from(_l.join(_p, _p.c.id == _l.c.product_id).join(_o, _o.c.id == _l.c.order_id))
    .where(_o.c.code == sa.bindparam("code"), _p.c.barcode.is_not(None))
)


# ---------------------------------------------------------------------------- refusals


class PackRefused(OrderdeskError):
    """A scan (or a finish) the packing rules refuse; nothing was ticked or saved."""


class WrongItem(PackRefused):
    """The scanned code is no item of the order being packed."""

    def __init__(self, code: str, value: str) -> None:
        super().__init__("err.pack.wrong_item", code=code, value=value)
        self.code = code
        self.value = value


class TooMany(PackRefused):
    """The item belongs to the order, but all of its units are already scanned."""

    def __init__(self, code: str, sku: str, qty: int) -> None:
        super().__init__("err.pack.too_many", code=code, sku=sku, qty=qty)
        self.code = code
        self.sku = sku
        self.qty = qty


class PackIncomplete(PackRefused):
    """`finish` before every unit was scanned."""

    def __init__(self, code: str, remaining: int) -> None:
        super().__init__("err.pack.incomplete", code=code, remaining=remaining)
        self.code = code
        self.remaining = remaining


# ---------------------------------------------------------------------------- read shapes


@dataclass(frozen=True)
class PackLine:
    """One line of the order as the packer sees it: how many are wanted, how many scanned."""

    sku: str
    name: str
    variant: str
    qty: int
    scanned: int = 0

    @property
    def remaining(self) -> int:
        return self.qty - self.scanned

    @property
    def complete(self) -> bool:
        return self.scanned >= self.qty


class Progress(NamedTuple):
    """Units scanned so far, and units the order holds."""

    done: int
    total: int


class ScanOutcome(StrEnum):
    OK = "ok"
    WRONG_ITEM = "wrong_item"
    TOO_MANY = "too_many"


@dataclass(frozen=True)
class ScanResult:
    """What one scan did.

    `line` is the matched line as it stands after the scan (None for a wrong item);
    `remaining` counts the units of the whole order still to scan.
    """

    outcome: ScanOutcome
    code: str
    value: str
    line: PackLine | None
    index: int | None
    remaining: int

    @property
    def ok(self) -> bool:
        return self.outcome is ScanOutcome.OK

    @property
    def error(self) -> PackRefused | None:
        """The refusal as a domain error (its `str` is the seller's message), or None."""
        if self.outcome is ScanOutcome.WRONG_ITEM:
            return WrongItem(self.code, self.value)
        if self.outcome is ScanOutcome.TOO_MANY:
            assert self.line is not None
            return TooMany(self.code, self.line.sku, self.line.qty)
        return None


# ---------------------------------------------------------------------------- the session


class PackSession:
    """One order being packed: which units are in the box so far.

    Args:
        order: the order, as read when packing started (it must be `confirmed`; `start`
            checks). A confirmed order cannot be edited, so its lines stay as read.
        barcodes: product barcode → SKU of the order line it belongs to.
    """

    def __init__(self, order: OrderRead, barcodes: Mapping[str, str]) -> None:
        self.order = order
        self._lines = [PackLine(ln.sku, ln.name, ln.variant, ln.qty) for ln in order.lines]
        by_sku = {line.sku: i for i, line in enumerate(self._lines)}
        self._by_barcode = {
            code.strip(): by_sku[sku]
            for code, sku in barcodes.items()
            if code and code.strip() and sku in by_sku
        }
        self._by_sku = {line.sku.strip(): i for i, line in enumerate(self._lines)}
        self._by_folded: dict[str, list[int]] = {}
        for i, line in enumerate(self._lines):
            self._by_folded.setdefault(line.sku.strip().casefold(), []).append(i)
        self._history: list[int] = []

    @property
    def code(self) -> str:
        return self.order.code

    @property
    def lines(self) -> tuple[PackLine, ...]:
        return tuple(self._lines)

    @property
    def progress(self) -> Progress:
        return Progress(
            sum(min(line.scanned, line.qty) for line in self._lines),
            sum(line.qty for line in self._lines),
        )

    @property
    def complete(self) -> bool:
        return all(line.complete for line in self._lines)

    @property
    def can_undo(self) -> bool:
        return bool(self._history)

    def find(self, value: str) -> int | None:
        """The index of the line a scanned code names: barcode, then SKU, then SKU in any
        case (the first line still wanting units, should two SKUs differ only by case)."""
        text = value.strip()
        if not text:
            return None
        if text in self._by_barcode:
            return self._by_barcode[text]
        if text in self._by_sku:
            return self._by_sku[text]
        found = self._by_folded.get(text.casefold(), [])
        open_lines = [i for i in found if not self._lines[i].complete]
        return (open_lines or found or [None])[0]

    def scan(self, value: str) -> ScanResult:
        """Tick one unit of the line `value` names, unless that would be wrong.

        A code no line knows is a wrong item; an item whose units are all scanned is one too
        many. Neither ticks anything. (A blank scan is a wrong item too: callers skip them.)
        """
        text = value.strip()
        index = self.find(text)
        if index is None:
            return self._result(ScanOutcome.WRONG_ITEM, text, None)
        line = self._lines[index]
        if line.complete:
            return self._result(ScanOutcome.TOO_MANY, text, index)
        self._lines[index] = replace(line, scanned=line.scanned + 1)
        self._history.append(index)
        return self._result(ScanOutcome.OK, text, index)

    def undo(self) -> PackLine | None:
        """Take back the last tick; the line as it is now, or None when nothing was ticked."""
        if not self._history:
            return None
        index = self._history.pop()
        line = self._lines[index]
        self._lines[index] = replace(line, scanned=line.scanned - 1)
        return self._lines[index]

    def finish(self, session: Session, *, now: datetime | None = None) -> OrderRead:
        """Pack the order (`confirmed` → `packed`) inside the caller's transaction.

        Raises PackIncomplete while units are missing, and IllegalTransition when the order
        left `confirmed` since packing started (cancelled from another terminal, say).
        """
        done, total = self.progress
        if done < total:
            raise PackIncomplete(self.code, total - done)
        return orders.apply(session, self.code, Action.PACK, now=now)

    def _result(self, outcome: ScanOutcome, value: str, index: int | None) -> ScanResult:
        done, total = self.progress
        return ScanResult(
            outcome=outcome,
            code=self.code,
            value=value,
            line=None if index is None else self._lines[index],
            index=index,
            remaining=total - done,
        )


def start(session: Session, code: str) -> PackSession:
    """Open order `code` for packing.

    Raises NotFound for an unknown code and IllegalTransition (naming the order's status)
    for an order that is not `confirmed`. A code typed in lower case finds its order when
    no order has the code exactly as typed.
    """
    text = code.strip()
    try:
        order = orders.get(session, text)
    except NotFound as unknown:
        if text.upper() == text:
            raise
        try:
            order = orders.get(session, text.upper())
        except NotFound:
            raise unknown from None
    next_status(order.code, order.status, Action.PACK)
    return PackSession(order, barcodes(session, order.code))


def barcodes(session: Session, code: str) -> dict[str, str]:
    """Barcode → line SKU for the products of order `code` that have a barcode."""
    rows = session.connection().execute(_BARCODES, {"code": code})
    return {row.barcode: row.sku for row in rows}

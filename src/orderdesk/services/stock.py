"""What a seller does to stock: receive goods and adjust a count. Both go through the
ledger, then serve the orders waiting for that stock, oldest first."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from orderdesk import validation
from orderdesk.errors import FieldError, InvalidInput, OutOfStock, Shortage
from orderdesk.models.enums import MoveKind
from orderdesk.models.reads import StockRow
from orderdesk.services.ledger import LedgerRefused, move, product_by_sku, stock_row
from orderdesk.services.orders import allocate_waiting


def receive(
    session: Session, sku: str, qty: object, *, note: str = "", now: datetime | None = None
) -> tuple[StockRow, list[str]]:
    """Goods arrived: on hand goes up, then waiting orders are served oldest first.

    Returns the SKU's new figures and the codes of the orders it released from
    `awaiting_stock`.
    """
    amount = validation.quantity(qty)
    text = validation.optional_text(note, "note", max_len=500)
    product = product_by_sku(session, sku)
    assert product.id is not None
    move(session, product.id, MoveKind.RECEIVE, on_hand=amount, reason=text, now=now)
    released = allocate_waiting(session, {product.id}, now=now)
    return stock_row(session, product.sku), released


def adjust(
    session: Session, sku: str, delta: object, *, reason: str, now: datetime | None = None
) -> tuple[StockRow, list[str]]:
    """A counted correction (+ or −) with a required reason."""
    change = validation.whole(delta, "delta", minimum=-(10**9))
    if change == 0:
        raise InvalidInput([FieldError("delta", "err.adjust.zero")])
    why = validation.required_text(reason, "reason", max_len=500)
    product = product_by_sku(session, sku)
    assert product.id is not None
    try:
        move(session, product.id, MoveKind.ADJUST, on_hand=change, reason=why, now=now)
    except LedgerRefused:
        row = stock_row(session, product.sku)
        raise OutOfStock([Shortage(product.sku, wanted=-change, available=row.available)]) from None
    released: list[str] = []
    if change > 0:
        released = allocate_waiting(session, {product.id}, now=now)
    return stock_row(session, product.sku), released

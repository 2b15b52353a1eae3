"""`orderdesk doctor`: proof that the stock figures, the ledger and the orders agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk.i18n import t
from orderdesk.models.lifecycle import HOLDS_STOCK
from orderdesk.models.tables import Order, OrderLine, Product, Stock, StockMove
from orderdesk.services import orders


@dataclass(frozen=True)
class Problem:
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        return t(self.key, **self.params)


_INTEGRITY = sa.text("INSERT INTO order_search(order_search, rank) VALUES ('integrity-check', 1)")


def notes(session: Session) -> list[str]:
    """What the seller should know that is no inconsistency: customers whose address from
    before July 2025 still waits for its ward to be chosen."""
    from orderdesk.services.files.customers import waiting

    count = waiting(session)
    return [t("doctor.old_addresses", count=count)] if count else []


def run(session: Session) -> list[Problem]:
    """Every inconsistency found; an empty list means the store is sound."""
    problems: list[Problem] = []
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        result = [row[0] for row in session.execute(sa.text("PRAGMA integrity_check"))]
        if result != ["ok"]:
            problems.append(Problem("doctor.integrity", {"detail": "; ".join(result[:5])}))
        broken = session.execute(sa.text("PRAGMA foreign_key_check")).fetchall()
        if broken:
            problems.append(Problem("doctor.foreign_keys", {"count": len(broken)}))
        if orders.has_search_index(session):
            try:
                # FTS5 compares its index with the orders table and fails on any difference.
                with session.begin_nested():
                    session.execute(_INTEGRITY)
            except sa.exc.DatabaseError:
                problems.append(Problem("doctor.search_index"))

    ledger = (
        sa.select(
            StockMove.product_id,
            sa.func.sum(StockMove.on_hand_delta).label("on_hand"),
            sa.func.sum(StockMove.reserved_delta).label("reserved"),
        )
        .group_by(StockMove.product_id)
        .subquery()
    )
    holding = [status.value for status in HOLDS_STOCK]
    held = (
        sa.select(OrderLine.product_id, sa.func.sum(OrderLine.reserved).label("reserved"))
        .group_by(OrderLine.product_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(
            Product.sku,
            Stock.on_hand,
            Stock.reserved,
            sa.func.coalesce(ledger.c.on_hand, 0),
            sa.func.coalesce(ledger.c.reserved, 0),
            sa.func.coalesce(held.c.reserved, 0),
        )
        .select_from(Product)
        .outerjoin(Stock, Stock.product_id == Product.id)  # type: ignore[arg-type]
        .outerjoin(ledger, ledger.c.product_id == Product.id)
        .outerjoin(held, held.c.product_id == Product.id)
        .order_by(Product.sku)
    )
    for sku, on_hand, reserved, ledger_on_hand, ledger_reserved, lines_reserved in rows:
        if on_hand is None:
            problems.append(Problem("doctor.no_stock_row", {"sku": sku}))
            continue
        if on_hand < 0 or reserved < 0 or reserved > on_hand:
            problems.append(
                Problem("doctor.negative", {"sku": sku, "on_hand": on_hand, "reserved": reserved})
            )
        if on_hand != ledger_on_hand:
            problems.append(
                Problem(
                    "doctor.on_hand_vs_ledger",
                    {"sku": sku, "stock": on_hand, "ledger": ledger_on_hand},
                )
            )
        if reserved != ledger_reserved:
            problems.append(
                Problem(
                    "doctor.reserved_vs_ledger",
                    {"sku": sku, "stock": reserved, "ledger": ledger_reserved},
                )
            )
        if reserved != lines_reserved:
            problems.append(
                Problem(
                    "doctor.reserved_vs_orders",
                    {"sku": sku, "stock": reserved, "orders": lines_reserved},
                )
            )

    # A line holds stock exactly when its order is in a status that holds stock.
    wrong = session.execute(
        sa.select(Order.code, OrderLine.sku, Order.status, OrderLine.qty, OrderLine.reserved)
        .join(OrderLine, OrderLine.order_id == Order.id)  # type: ignore[arg-type]
        .where(
            sa.or_(
                sa.and_(Order.status.in_(holding), OrderLine.reserved != OrderLine.qty),  # type: ignore[attr-defined]
                sa.and_(Order.status.not_in(holding), OrderLine.reserved != 0),  # type: ignore[attr-defined]
            )
        )
        .limit(50)
    )
    for code, sku, status, qty, reserved in wrong:
        problems.append(
            Problem(
                "doctor.line_reservation",
                {"code": code, "sku": sku, "status": status, "qty": qty, "reserved": reserved},
            )
        )
    return problems


def rebuild_search(session: Session) -> bool:
    """Rebuild the order search index from the orders table; False when there is none."""
    if not orders.has_search_index(session):
        return False
    session.execute(sa.text("INSERT INTO order_search(order_search) VALUES ('rebuild')"))
    return True

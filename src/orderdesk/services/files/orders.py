"""Orders in from a file (one row per line, all orders or none) and out to one."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from orderdesk.errors import ImportRejected, InvalidInput, RowError
from orderdesk.formats.orders import map_errors, read_orders, write_orders
from orderdesk.i18n import t
from orderdesk.models.enums import OrderStatus
from orderdesk.models.tables import Order
from orderdesk.services import orders as order_service
from orderdesk.services.files.result import ImportResult
from orderdesk.services.orders import ValidOrder


def import_orders(session: Session, path: Path) -> ImportResult:
    """Create every order in the file, or nothing at all."""
    found = read_orders(path)
    result = ImportResult(warnings=found.warnings)
    # Order-level values that disagree between an order's rows, found while reading.
    errors: list[RowError] = list(found.errors)
    conflicted = {e.row for e in found.errors}
    products = order_service.product_refs(session)
    codes = [group.code for group, _ in found.groups if group.code]
    taken: set[str] = set()
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        taken |= set(session.exec(select(Order.code).where(Order.code.in_(chunk))))  # type: ignore[attr-defined]
    valid: list[ValidOrder] = []
    for group, data in found.groups:
        before = len(errors)
        if group.code in taken:
            errors.append(
                RowError(group.rows[0][0], "order_code", "err.code.taken", {"value": group.code})
            )
        try:
            item = order_service.validate(session, data, products=products)
        except InvalidInput as error:
            errors.extend(map_errors(group, error.errors))
            continue
        if len(errors) == before and not conflicted & {row for row, _ in group.rows}:
            valid.append(item)
            if item.converted:
                row = group.rows[0][0]
                result.converted.append(t("import.converted_row", row=row, text=item.converted))
    if errors:
        raise ImportRejected(str(path), sorted(errors, key=lambda e: (e.row, e.column)))
    for order in order_service.create_many(session, valid, allow_backorder=True):
        result.created += 1
        if order.status is OrderStatus.AWAITING_STOCK:
            result.awaiting += 1
        else:
            result.pending += 1
    result.rows = found.count
    return result


def export_orders(session: Session, path: Path, *, status: OrderStatus | None = None) -> int:
    orders = order_service.list_orders(session, status=status)
    write_orders(path, orders)
    return len(orders)

"""Changing a pending order: new lines re-reserve, the checklist starts again, and the
history records what changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk.errors import (
    OutOfStock,
)
from orderdesk.models.enums import Action, MoveKind, OrderStatus
from orderdesk.models.inputs import EDITABLE, LineInput, OrderCreate, OrderEdit
from orderdesk.models.lifecycle import next_status
from orderdesk.models.reads import (
    OrderRead,
)
from orderdesk.services import customers, ledger
from orderdesk.services.orders.actions import allocate_waiting
from orderdesk.services.orders.base import (
    _CLEAR_TICKS,
    _DELETE_LINE,
    _LINE_INSERT,
    _SET_LINE,
    StoredLine,
    _o,
    _release,
    _reserve,
    _variant,
    enter,
    load_lines,
    load_order,
    record,
    to_read,
)
from orderdesk.services.orders.create import _contact, _fields
from orderdesk.services.orders.validate import validate
from orderdesk.timeutil import utcnow


def _current_input(order: Any, lines: Sequence[Any]) -> OrderCreate:
    return OrderCreate(
        name=order.name,
        phone=order.phone,
        email=order.email,
        street=order.street,
        ward=str(order.ward_code),
        province=str(order.province_code),
        district=order.district,
        channel=order.channel,
        shipping_fee=order.shipping_fee,
        discount=order.discount,
        paid=order.paid,
        cod=order.cod,
        payment=order.payment.value,
        deliver_by=order.deliver_by,
        inspection=order.inspection.value,
        note=order.note,
        items=[LineInput(line.sku, line.qty, line.unit_price) for line in lines],
    )


_EDIT_SNAPSHOT = (
    "name",
    "phone",
    "email",
    "street",
    "ward_name",
    "province_name",
    "district",
    "channel",
    "subtotal",
    "shipping_fee",
    "discount",
    "paid",
    "cod",
    "payment",
    "deliver_by",
    "inspection",
    "note",
)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def edit(
    session: Session,
    code: str,
    changes: OrderEdit,
    *,
    allow_backorder: bool = False,
    now: datetime | None = None,
) -> OrderRead:
    """Change a pending (or waiting) order; reservations follow the new quantities.

    A pending order that would need more stock than is free raises OutOfStock, unless
    `allow_backorder`, which sends it to wait in `awaiting_stock`. A waiting order is
    served at once if the new lines can be. Editing clears the manual checklist ticks:
    what was confirmed with the customer has changed.
    """
    moment = now or utcnow()
    conn = session.connection()
    order = load_order(session, code)
    next_status(order.code, order.status, Action.EDIT)
    lines = load_lines(session, order.id)
    data = _current_input(order, lines)
    for name in EDITABLE:
        value = getattr(changes, name)
        if value is not None:
            setattr(data, name, value)
    if changes.paid is None and changes.payment is not None:
        data.paid = None  # a new payment method implies its own default
    if changes.cod is None and any(
        getattr(changes, name) is not None
        for name in ("items", "shipping_fee", "discount", "paid", "payment")
    ):
        # COD follows the total unless the seller sets it; an explicit COD is kept.
        data.cod = None
    if changes.items is not None:
        data.items = changes.items
    item = validate(session, data)
    if not item.old_address and item.ward.code == order.ward_code:
        # Same ward: the buyer's old address still explains it.
        item = dataclasses.replace(item, old_address=order.old_address)

    before = {name: _plain(getattr(order, name)) for name in _EDIT_SNAPSHOT}
    old_qty = {line.sku: line.qty for line in lines}
    was = order.status

    # Lines: remove, change, add. Quantities going down give stock back at once.
    by_sku = {line.sku: line for line in lines}
    wanted = {line.product.sku: line for line in item.lines}
    freed = _release(
        session, order, [ln for sku, ln in by_sku.items() if sku not in wanted], moment
    )
    for sku, line in by_sku.items():
        if sku not in wanted:
            conn.execute(_DELETE_LINE, {"lid": line.id})
    kept: list[StoredLine] = []
    for sku, new in wanted.items():
        line = by_sku.get(sku)
        if line is None:
            values = dict(
                order_id=order.id,
                product_id=new.product.id,
                sku=sku,
                name=new.product.name,
                variant=_variant(new.product),
                qty=new.qty,
                unit_price=new.unit_price,
                reserved=0,
            )
            values["id"] = conn.execute(_LINE_INSERT, values).inserted_primary_key[0]  # type: ignore[index]
            line = StoredLine(**values)
        else:
            if line.reserved > new.qty:
                ledger.move(
                    session,
                    line.product_id,
                    MoveKind.RELEASE,
                    reserved=new.qty - line.reserved,
                    order_id=order.id,
                    now=moment,
                )
                freed.add(line.product_id)
                line.reserved = new.qty
            line.qty, line.unit_price = new.qty, new.unit_price
            conn.execute(
                _SET_LINE, {"lid": line.id, "q": line.qty, "p": line.unit_price, "r": line.reserved}
            )
        kept.append(line)

    short = _reserve(session, order, kept, moment)
    if was is OrderStatus.PENDING and short:
        if not allow_backorder:
            raise OutOfStock(short)
        freed |= _release(session, order, kept, moment)
    status = OrderStatus.AWAITING_STOCK if short else OrderStatus.PENDING

    fields = dict(
        _fields(item, order.code),
        updated_at=moment,
    )
    if item.phone != order.phone or item.name != order.name:
        fields["customer_id"] = customers.remember(session, _contact(item), now=moment)
    conn.execute(sa.update(_o).where(_o.c.id == order.id).values(**fields))
    for name, value in fields.items():
        setattr(order, name, value)
    if status is not was:
        enter(session, order, status, moment)

    after = {name: _plain(getattr(order, name)) for name in _EDIT_SNAPSHOT}
    changed = {n: [before[n], after[n]] for n in _EDIT_SNAPSHOT if before[n] != after[n]}
    new_qty = {line.sku: line.qty for line in kept}
    line_changes = {
        sku: [old_qty.get(sku, 0), new_qty.get(sku, 0)]
        for sku in sorted(set(old_qty) | set(new_qty))
        if old_qty.get(sku, 0) != new_qty.get(sku, 0)
    }
    if changed or line_changes or status is not was:
        record(session, order.id, "edit", was, status, moment, changes=changed, lines=line_changes)
        conn.execute(_CLEAR_TICKS, {"oid": order.id})
    if freed:
        allocate_waiting(session, freed, now=moment)
    return to_read(order, kept)

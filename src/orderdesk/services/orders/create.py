"""New orders, one or a whole file's in one batch: codes, customers, stock reserved
(or the order waits for it), and, for imports, the path to the status the file gives.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from orderdesk.db import insert_rows
from orderdesk.errors import (
    FieldError,
    IllegalTransition,
    InvalidInput,
    OutOfStock,
    Shortage,
)
from orderdesk.models.enums import Action, MoveKind, OrderStatus
from orderdesk.models.inputs import OrderCreate
from orderdesk.models.lifecycle import HOLDS_STOCK, OUT_OF_SHOP, next_status
from orderdesk.models.reads import (
    OrderRead,
)
from orderdesk.services import customers, ledger
from orderdesk.services.orders.actions import _BATCH_ACTIONS, allocate_waiting
from orderdesk.services.orders.base import (
    _CODES_TAKEN,
    _IDS_OF_CODES,
    _STATUS_TIME,
    StoredLine,
    StoredOrder,
    ValidOrder,
    _e,
    _l,
    _next_codes,
    _o,
    _variant,
    to_read,
)
from orderdesk.services.orders.queries import search_key
from orderdesk.services.orders.validate import validate
from orderdesk.timeutil import utcnow

# ---------------------------------------------------------------------------- create and edit


def create(
    session: Session,
    data: OrderCreate,
    *,
    allow_backorder: bool = False,
    now: datetime | None = None,
) -> OrderRead:
    """Validate, normalize, and save a new order with its stock reserved.

    Without `allow_backorder`, an order that cannot be fully reserved raises OutOfStock and
    nothing is saved; with it, the order waits in `awaiting_stock`.
    """
    return create_valid(session, validate(session, data), allow_backorder=allow_backorder, now=now)


def create_valid(
    session: Session,
    item: ValidOrder,
    *,
    allow_backorder: bool = False,
    now: datetime | None = None,
) -> OrderRead:
    """`create` for an order already through `validate`."""
    return create_many(session, [item], allow_backorder=allow_backorder, now=now)[0]


def _fields(item: ValidOrder, code: str) -> dict[str, Any]:
    """The order columns a validated order decides (create and edit alike)."""
    return dict(
        channel=item.channel,
        name=item.name,
        phone=item.phone,
        email=item.email,
        street=item.street,
        ward_code=item.ward.code,
        ward_name=item.ward.name,
        province_code=item.province.code,
        province_name=item.province.name,
        district=item.district,
        old_address=item.old_address,
        subtotal=item.subtotal,
        shipping_fee=item.shipping_fee,
        discount=item.discount,
        paid=item.paid,
        cod=item.cod,
        payment=item.payment,
        deliver_by=item.deliver_by,
        inspection=item.inspection,
        note=item.note,
        search_key=search_key(code, item.name, item.phone),
    )


def _contact(item: ValidOrder) -> customers.Contact:
    return customers.Contact(
        item.phone, item.name, item.email, item.street, item.ward.code, item.province.code
    )


@dataclass
class _Plan:
    """What creating one order of a batch comes to: its statuses in turn and its stock."""

    wants: list[ledger.Want]
    walked: list[tuple[Action, OrderStatus, OrderStatus]]  # (action, from, to)
    status: OrderStatus  # where it ends

    @property
    def started(self) -> OrderStatus:
        return self.walked[0][1] if self.walked else self.status


def _plan(code: str, wants: list[ledger.Want], path: Sequence[Action]) -> _Plan:
    """Walk the state machine from pending; every step must be allowed."""
    walked = []
    status = OrderStatus.PENDING
    for action in path:
        if action not in _BATCH_ACTIONS:
            raise IllegalTransition(code, status, action)
        target = next_status(code, status, action)
        walked.append((action, status, target))
        status = target
    return _Plan(wants, walked, status)


def create_many(
    session: Session,
    items: Sequence[ValidOrder],
    *,
    allow_backorder: bool = False,
    now: datetime | None = None,
    paths: Sequence[Sequence[Action]] | None = None,
    extra: Sequence[Mapping[str, Any]] | None = None,
) -> list[OrderRead]:
    """Save validated orders in the given order, each reserved or (if allowed) waiting.

    One statement per kind of row for the whole batch: an import of 5,000 orders runs a
    few dozen statements instead of 45,000. Orders earlier in the batch get stock first.

    `paths` (one per order) moves each new order on at once, as a marketplace export
    brings orders already shipped or cancelled: the steps are the state machine's (see
    `advance_many`), written to the history, and the stock ledger gets the net movement
    (a shipped order: its goods leave; a cancelled one: nothing held). An order short of
    stock waits in `awaiting_stock` and takes no step. `extra` (one per order) sets
    columns the file knows and the form does not: when it was placed, its tracking number.
    """
    moment = now or utcnow()
    conn = session.connection()
    given = [item.code for item in items if item.code]
    for start in range(0, len(given), 500):
        taken = conn.execute(_CODES_TAKEN, {"codes": given[start : start + 500]}).scalars().first()
        if taken is not None:
            raise InvalidInput([FieldError("order_code", "err.code.taken", {"value": taken})])
    free = ledger.available(session, {line.product.id for item in items for line in item.lines})
    plans: list[_Plan] = []
    for index, item in enumerate(items):
        wants = [ledger.Want(line.product.id, line.product.sku, line.qty) for line in item.lines]
        plan = _plan(item.code, wants, paths[index] if paths else ())
        # Held or gone to the buyer: it needs the goods. Cancelled, or sent back already:
        # it needs none (a shipment and its return cancel out).
        if plan.status not in HOLDS_STOCK and plan.status not in OUT_OF_SHOP:
            plans.append(plan)
            continue
        short = [
            Shortage(w.sku, w.qty, free.get(w.product_id, 0))
            for w in wants
            if w.qty > free.get(w.product_id, 0)
        ]
        if short and not allow_backorder:
            raise OutOfStock(short)
        if short:
            plans.append(_Plan(wants, [], OrderStatus.AWAITING_STOCK))
            continue
        for want in wants:
            free[want.product_id] -= want.qty
        plans.append(plan)
    customer_ids = customers.remember_many(session, [_contact(i) for i in items], now=moment)
    new_codes = iter(_next_codes(session, moment, sum(1 for item in items if not item.code)))
    rows: list[dict[str, Any]] = []
    for item, plan in zip(items, plans, strict=True):
        code = item.code or next(new_codes)
        values: dict[str, Any] = dict(
            _fields(item, code),
            code=code,
            customer_id=customer_ids[item.phone],
            status=plan.status,
            cancel_reason="",
            created_at=moment,
            updated_at=moment,
            **{column: None for column in _STATUS_TIME.values()},
        )
        values[_STATUS_TIME[plan.started]] = moment
        for _, _, entered in plan.walked:
            values[_STATUS_TIME[entered]] = moment
        rows.append(values)
    if extra:
        # Same keys on every row (one executemany): a column missing here keeps its value.
        keys = {key for more in extra for key in more}
        unset = {
            key: _o.c[key].default.arg if _o.c[key].default is not None else None for key in keys
        }
        for values, more in zip(rows, extra, strict=True):
            for key in keys:
                values[key] = more.get(key, values.get(key, unset[key]))
    # A plain executemany, then the ids by code: SQLite cannot return ids from one, and
    # RETURNING made SQLAlchemy send 11,000 orders one statement each (2 s instead of 0.2).
    insert_rows(conn, _o, rows)
    codes = [values["code"] for values in rows]
    by_code: dict[str, int] = {}
    for start in range(0, len(codes), 500):
        by_code.update(conn.execute(_IDS_OF_CODES, {"codes": codes[start : start + 500]}).all())
    lines: list[list[dict[str, Any]]] = []
    moves: list[ledger.Move] = []
    freed: set[int] = set()
    for values, item, plan in zip(rows, items, plans, strict=True):
        order_id = values["id"] = by_code[values["code"]]
        held = plan.status in HOLDS_STOCK
        lines.append(
            [
                dict(
                    order_id=order_id,
                    product_id=line.product.id,
                    sku=line.product.sku,
                    name=line.product.name,
                    variant=_variant(line.product),
                    qty=line.qty,
                    unit_price=line.unit_price,
                    reserved=line.qty if held else 0,
                )
                for line in item.lines
            ]
        )
        for action, _, _ in plan.walked:
            if action is Action.SHIP:
                moves += [
                    ledger.Move(w.product_id, MoveKind.SHIP, -w.qty, 0, order_id)
                    for w in plan.wants
                ]
            elif action is Action.MARK_RETURNED:
                moves += [
                    ledger.Move(w.product_id, MoveKind.RETURN, w.qty, 0, order_id)
                    for w in plan.wants
                ]
                freed |= {w.product_id for w in plan.wants}
    insert_rows(conn, _l, [line for order_lines in lines for line in order_lines])
    ledger.reserve_lines(
        session,
        [
            (values["id"], want)
            for values, plan in zip(rows, plans, strict=True)
            if plan.status in HOLDS_STOCK
            for want in plan.wants
        ],
        now=moment,
    )
    ledger.move_many(session, moves, now=moment)
    events = []
    for values, plan in zip(rows, plans, strict=True):
        short = plan.status is OrderStatus.AWAITING_STOCK
        events.append(
            {
                "order_id": values["id"],
                "at": moment,
                "action": "create",
                "from_status": None,
                "to_status": plan.started,
                "detail": json.dumps({"short": [w.sku for w in plan.wants]}, ensure_ascii=False)
                if short
                else "",
            }
        )
        events += [
            {
                "order_id": values["id"],
                "at": moment,
                "action": action.value,
                "from_status": before,
                "to_status": after,
                "detail": "",
            }
            for action, before, after in plan.walked
        ]
    insert_rows(conn, _e, events)
    if freed:
        allocate_waiting(session, freed, now=moment)
    return [
        to_read(StoredOrder(**values), [StoredLine(**line) for line in order_lines])
        for values, order_lines in zip(rows, lines, strict=True)
    ]

"""Returns and exchanges of delivered goods.

A return takes back some quantity of an order's lines, with a reason; each line goes back
on the shelf (restock) or is written off (damaged). Both go through the stock ledger: a
written-off line is received back and written off, so the ledger shows what happened.
The order stays `delivered` (its parcel was delivered); the return is its own record.

An exchange is a return whose goods are replaced: the replacement becomes a new order for
the same customer, linked to the return, that reserves stock and goes through confirm,
print and ship like any other. The customer pays only the difference (COD), or is
refunded it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk import validation
from orderdesk.errors import FieldError, InvalidInput
from orderdesk.i18n import t
from orderdesk.models.enums import MoveKind, ReturnReason
from orderdesk.models.inputs import LineInput, OrderCreate
from orderdesk.models.reads import Jsonable
from orderdesk.models.tables import OrderLine, Return, ReturnLine, table_of
from orderdesk.services import ledger, orders
from orderdesk.services.orders.base import load_lines, load_order, record
from orderdesk.text import clean
from orderdesk.timeutil import utcnow
from orderdesk.validation import fail

_l = table_of(OrderLine)
_rt = table_of(Return)
_rl = table_of(ReturnLine)


@dataclass(frozen=True)
class ReturnedLine(Jsonable):
    sku: str
    qty: int
    unit_price: int
    restock: bool


@dataclass(frozen=True)
class ReturnRead(Jsonable):
    id: int
    code: str
    kind: str
    reason: ReturnReason
    refund: int
    value: int  # what the returned goods were sold for
    lines: list[ReturnedLine]
    exchange_code: str = ""
    at: datetime | None = None


def items_of(text: str) -> dict[str, str]:
    """`AT-DEN-L=2, QJ-31` as typed in one box: SKU=QTY pairs, a bare SKU meaning one."""
    found: dict[str, str] = {}
    for part in text.replace("\n", ",").replace(";", ",").split(","):
        sku, sep, qty = part.rpartition("=")
        if not sep:
            sku, qty = qty, "1"
        if not clean(sku):
            if clean(part):
                raise fail("items", "cli.item_format", value=clean(part))
            continue
        found[clean(sku)] = clean(qty)
    if not found:
        raise fail("items", "err.return.no_items")
    return found


def returned_so_far(session: Session, order_id: int) -> dict[int, int]:
    """Per product: how many of this order's units have come back already."""
    rows = session.connection().execute(
        sa.select(_rl.c.product_id, sa.func.sum(_rl.c.qty))
        .join(_rt, _rt.c.id == _rl.c.return_id)
        .where(_rt.c.order_id == order_id)
        .group_by(_rl.c.product_id)
    )
    return {pid: int(n) for pid, n in rows}


def _take_back(
    session: Session,
    order: SimpleNamespace,
    items: Mapping[str, object],
) -> list[tuple[SimpleNamespace, int]]:
    """Which order lines, how many: refused whole if any quantity is more than is left."""
    if order.delivered_at is None:
        raise fail("order_code", "err.return.not_delivered", code=order.code, status=order.status)
    if not items:
        raise fail("items", "err.return.no_items")
    lines = {ln.sku.lower(): ln for ln in load_lines(session, order.id)}
    back = returned_so_far(session, order.id)
    errors: list[FieldError] = []
    taken: list[tuple[SimpleNamespace, int]] = []
    for sku, raw in items.items():
        line = lines.get(clean(sku).lower())
        if line is None:
            errors.append(
                FieldError("items", "err.review.not_in_order", {"sku": sku, "code": order.code})
            )
            continue
        try:
            qty = validation.quantity(raw)
        except InvalidInput as error:
            errors.extend(error.errors)
            continue
        left = line.qty - back.get(line.product_id, 0)
        if qty > left:
            errors.append(
                FieldError(
                    "items", "err.return.too_many", {"sku": line.sku, "qty": qty, "left": left}
                )
            )
            continue
        taken.append((line, qty))
    if errors:
        raise InvalidInput(errors)
    return taken


def create(
    session: Session,
    code: str,
    items: Mapping[str, object],
    *,
    reason: ReturnReason | str,
    restock: bool = True,
    write_off: Collection[str] = (),
    refund: object | None = None,
    note: str = "",
    now: datetime | None = None,
    kind: str = "return",
) -> ReturnRead:
    """Take goods back from a delivered order. `refund` defaults to what they were sold for.

    `restock` says what happens to the goods; SKUs in `write_off` are written off whatever
    it says (one damaged item among several good ones).
    """
    moment = now or utcnow()
    order = load_order(session, code)
    if not clean(str(reason)):
        raise fail("reason", "err.required")
    why = validation.choice(str(reason), "reason", ReturnReason)
    text = validation.optional_text(note, "note", max_len=500)
    taken = _take_back(session, order, items)
    value = sum(line.unit_price * qty for line, qty in taken)
    amount = value if refund is None else validation.money(refund, "refund")
    conn = session.connection()
    rid = conn.execute(
        sa.insert(_rt)
        .values(order_id=order.id, kind=kind, reason=why, refund=amount, note=text, at=moment)
        .returning(_rt.c.id)
    ).scalar_one()
    damaged = {clean(sku).lower() for sku in write_off}
    shelved = {line.sku: restock and line.sku.lower() not in damaged for line, _ in taken}
    freed: set[int] = set()
    for line, qty in taken:
        conn.execute(
            sa.insert(_rl).values(
                return_id=rid,
                product_id=line.product_id,
                sku=line.sku,
                qty=qty,
                unit_price=line.unit_price,
                restock=shelved[line.sku],
            )
        )
        ledger.move(
            session,
            line.product_id,
            MoveKind.RETURN,
            on_hand=qty,
            order_id=order.id,
            reason=why.value,
            now=moment,
        )
        if shelved[line.sku]:
            freed.add(line.product_id)
        else:
            ledger.move(
                session,
                line.product_id,
                MoveKind.WRITE_OFF,
                on_hand=-qty,
                order_id=order.id,
                reason=why.value,
                now=moment,
            )
    record(
        session,
        order.id,
        kind,
        None,
        None,
        moment,
        reason=why.value,
        refund=amount,
        lines={line.sku: qty for line, qty in taken},
        restock=[sku for sku, back in shelved.items() if back],
    )
    if freed:
        orders.allocate_waiting(session, freed, now=moment)
    return ReturnRead(
        id=rid,
        code=order.code,
        kind=kind,
        reason=why,
        refund=amount,
        value=value,
        lines=[
            ReturnedLine(line.sku, qty, line.unit_price, shelved[line.sku]) for line, qty in taken
        ],
        at=moment,
    )


def exchange(
    session: Session,
    code: str,
    take: Mapping[str, object],
    give: Mapping[str, object],
    *,
    reason: ReturnReason | str = ReturnReason.WRONG_SIZE,
    now: datetime | None = None,
) -> ReturnRead:
    """Take `take` back (restocked) and send `give` in a new linked order; the customer
    pays the difference on delivery, or is refunded it."""
    moment = now or utcnow()
    original = orders.get(session, code)
    if not give:
        raise fail("items", "err.return.no_items")
    returned = create(
        session, code, take, reason=reason, restock=True, refund=0, now=moment, kind="exchange"
    )
    # The returned goods pay for the new ones: a discount up to their value, the rest is
    # collected on delivery (or refunded when the new goods cost less).
    known = orders.product_refs(session, [clean(sku) for sku in give])
    subtotal = sum(
        known[clean(sku)].price * validation.quantity(qty)
        for sku, qty in give.items()
        if clean(sku) in known
    )
    credit = min(returned.value, subtotal)
    refund = returned.value - credit
    replacement = orders.create(
        session,
        OrderCreate(
            name=original.name,
            phone=original.phone,
            email=original.email,
            street=original.street,
            ward=original.ward,
            province=original.province,
            district=original.district,
            channel=original.channel,
            items=[LineInput(sku, qty) for sku, qty in give.items()],
            discount=credit,
            note=t("return.exchange_note", code=original.code),
            inspection=original.inspection.value,
        ),
        allow_backorder=True,
        now=moment,
    )
    conn = session.connection()
    new_id = load_order(session, replacement.code).id
    conn.execute(
        sa.update(_rt)
        .where(_rt.c.id == returned.id)
        .values(exchange_order_id=new_id, refund=refund)
    )
    return ReturnRead(
        id=returned.id,
        code=returned.code,
        kind="exchange",
        reason=returned.reason,
        refund=refund,
        value=returned.value,
        lines=returned.lines,
        exchange_code=replacement.code,
        at=moment,
    )


@dataclass(frozen=True)
class ReturnableLine(Jsonable):
    sku: str
    name: str
    sold: int
    returned: int
    unit_price: int

    @property
    def left(self) -> int:
        return self.sold - self.returned


def returnable(session: Session, code: str) -> list[ReturnableLine]:
    """A delivered order's lines with what may still come back (the return form's rows)."""
    order = load_order(session, code)
    if order.delivered_at is None:
        raise fail("order_code", "err.return.not_delivered", code=order.code, status=order.status)
    back = returned_so_far(session, order.id)
    return [
        ReturnableLine(ln.sku, ln.name, ln.qty, back.get(ln.product_id, 0), ln.unit_price)
        for ln in load_lines(session, order.id)
    ]


def recent(session: Session, *, limit: int = 200) -> list[ReturnRead]:
    """The latest returns and exchanges, newest first, with their lines."""
    from orderdesk.models.tables import Order

    o = table_of(Order)
    x = o.alias("x")
    conn = session.connection()
    heads = conn.execute(
        sa.select(
            _rt.c.id,
            o.c.code,
            _rt.c.kind,
            _rt.c.reason,
            _rt.c.refund,
            _rt.c.at,
            sa.func.coalesce(x.c.code, ""),
        )
        .join(o, o.c.id == _rt.c.order_id)
        .outerjoin(x, x.c.id == _rt.c.exchange_order_id)
        .order_by(_rt.c.at.desc(), _rt.c.id.desc())
        .limit(limit)
    ).all()
    lines: dict[int, list[ReturnedLine]] = {}
    for rid, sku, qty, price, back in conn.execute(
        sa.select(_rl.c.return_id, _rl.c.sku, _rl.c.qty, _rl.c.unit_price, _rl.c.restock)
        .where(_rl.c.return_id.in_([h[0] for h in heads]))
        .order_by(_rl.c.id)
    ):
        lines.setdefault(rid, []).append(ReturnedLine(sku, qty, price, bool(back)))
    found = []
    for rid, code, kind, reason, refund, at, exchange_code in heads:
        got = lines.get(rid, [])
        found.append(
            ReturnRead(
                id=rid,
                code=code,
                kind=kind,
                reason=ReturnReason(reason),
                refund=refund,
                value=sum(ln.qty * ln.unit_price for ln in got),
                lines=got,
                exchange_code=exchange_code,
                at=at,
            )
        )
    return found

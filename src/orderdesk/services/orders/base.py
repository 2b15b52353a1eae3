"""What every part of the orders service shares: the prebuilt statements, the stored
records an action reads and changes, the catalogue lookups, and the writes that leave a
row in the order's history or move its stock through the ledger.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk import geo
from orderdesk.errors import (
    NotFound,
    Shortage,
)
from orderdesk.models.enums import Inspection, MoveKind, OrderStatus, PaymentMethod
from orderdesk.models.reads import (
    OrderLineRead,
    OrderRead,
)
from orderdesk.models.tables import Order, OrderCheck, OrderEvent, OrderLine, Product, table_of
from orderdesk.services import ledger
from orderdesk.text import clean
from orderdesk.timeutil import to_local

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")
_STATUS_TIME = {status: f"{status.value}_at" for status in OrderStatus}

# Statements are built once: building one costs ~0.5 ms here, running a built one ~30 µs,
# and saving an order must take milliseconds (PRODUCT.md).
_o = table_of(Order)
_l = table_of(OrderLine)
_e = table_of(OrderEvent)
_LINE_INSERT = sa.insert(_l)
EVENT_INSERT = sa.insert(_e)
_NEXT_CODES = sa.text(
    "INSERT INTO code_counters (prefix, last) VALUES (:prefix, :n) "
    "ON CONFLICT (prefix) DO UPDATE SET last = code_counters.last + :n RETURNING last"
)
_CODES_TAKEN = sa.select(_o.c.code).where(_o.c.code.in_(sa.bindparam("codes", expanding=True)))
_IDS_OF_CODES = sa.select(_o.c.code, _o.c.id).where(
    _o.c.code.in_(sa.bindparam("codes", expanding=True))
)
_checks = table_of(OrderCheck)
_LOAD = sa.select(_o).where(_o.c.code == sa.bindparam("code"))
_LINES = sa.select(_l).where(_l.c.order_id == sa.bindparam("oid")).order_by(_l.c.id)
LINES_OF = (
    sa.select(_l).where(_l.c.order_id.in_(sa.bindparam("oids", expanding=True))).order_by(_l.c.id)
)
# In time order: a carrier file dates what it reports when the courier did it, which may be
# earlier than events recorded before the file was read.
_EVENTS = sa.select(_e).where(_e.c.order_id == sa.bindparam("oid")).order_by(_e.c.at, _e.c.id)
_TICKED = sa.select(_checks.c.item).where(_checks.c.order_id == sa.bindparam("oid"))
_now = sa.bindparam("now", type_=_o.c.updated_at.type)
# One statement per status, each stamping that status's own "entered at" column.
SET_STATUS = {
    status: sa.update(_o)
    .where(_o.c.id == sa.bindparam("oid"))
    .values({"status": status, f"{status.value}_at": _now, "updated_at": _now})
    for status in OrderStatus
}
_SET_CANCEL_REASON = (
    sa.update(_o).where(_o.c.id == sa.bindparam("oid")).values(cancel_reason=sa.bindparam("reason"))
)
_SET_RESERVED = (
    sa.update(_l).where(_l.c.id == sa.bindparam("lid")).values(reserved=sa.bindparam("r"))
)
_SET_LINE = (
    sa.update(_l)
    .where(_l.c.id == sa.bindparam("lid"))
    .values(qty=sa.bindparam("q"), unit_price=sa.bindparam("p"), reserved=sa.bindparam("r"))
)
_DELETE_LINE = sa.delete(_l).where(_l.c.id == sa.bindparam("lid"))
_pt = table_of(Product)
_PRODUCTS = sa.select(
    _pt.c.id,
    _pt.c.sku,
    _pt.c.name,
    _pt.c.variant,
    _pt.c.color,
    _pt.c.size,
    _pt.c.price,
    _pt.c.active,
).where(_pt.c.sku.in_(sa.bindparam("skus", expanding=True)))

_ALL_PRODUCTS = sa.select(*_PRODUCTS.selected_columns)


@dataclass(frozen=True)
class ProductRef:
    """What an order line needs of a product (a plain row: loading ORM objects is slow)."""

    id: int
    sku: str
    name: str
    variant: str
    color: str
    size: str
    price: int
    active: bool


def product_refs(session: Session, skus: Iterable[str] | None = None) -> dict[str, ProductRef]:
    """Products by SKU: the ones named, or the whole catalog (for a file import)."""
    conn = session.connection()
    if skus is None:
        rows = conn.execute(_ALL_PRODUCTS)
    else:
        rows = conn.execute(_PRODUCTS, {"skus": list(skus)})
    return {row.sku: ProductRef(*row) for row in rows}


_WAITING = (
    sa.select(_o)
    .where(
        _o.c.status == OrderStatus.AWAITING_STOCK,
        _o.c.id.in_(
            sa.select(_l.c.order_id).where(_l.c.product_id.in_(sa.bindparam("ids", expanding=True)))
        ),
    )
    .order_by(_o.c.created_at, _o.c.id)
)
_CLEAR_TICKS = sa.delete(_checks).where(_checks.c.order_id == sa.bindparam("oid"))
_UNTICK = sa.delete(_checks).where(
    _checks.c.order_id == sa.bindparam("oid"), _checks.c.item == sa.bindparam("item")
)
_TICKS: dict[str, Any] = {}


@dataclass
class _Line:
    product: ProductRef
    qty: int
    unit_price: int


@dataclass
class ValidOrder:
    code: str
    channel: str
    name: str
    phone: str
    email: str
    street: str
    province: geo.Place
    ward: geo.WardPlace
    district: str
    lines: list[_Line]
    shipping_fee: int
    discount: int
    paid: int
    cod: int
    payment: PaymentMethod
    deliver_by: date | None
    inspection: Inspection
    note: str
    subtotal: int = 0
    old_address: str = ""  # as written before July 2025, when the address was converted

    @property
    def converted(self) -> str:
        """`Phường 5, Quận 3, TP.HCM → Phường Bàn Cờ, Thành phố Hồ Chí Minh`, or ""."""
        if not self.old_address:
            return ""
        return f"{self.old_address} → {self.ward.name}, {self.province.name}"


@dataclass
class StoredLine:
    """An order line as stored: read once, changed by the action, written back."""

    order_id: int
    product_id: int
    sku: str
    name: str
    variant: str
    qty: int
    unit_price: int
    reserved: int = 0
    id: int = 0  # 0: written in a batch and not read back


@dataclass
class StoredOrder:
    """An order as stored (every column of `orders`): what an action reads and changes."""

    id: int
    code: str
    customer_id: int
    name: str
    phone: str
    ward_code: int
    ward_name: str
    province_code: int
    province_name: str
    status: OrderStatus
    channel: str = ""
    email: str = ""
    street: str = ""
    district: str = ""
    old_address: str = ""
    subtotal: int = 0
    shipping_fee: int = 0
    discount: int = 0
    paid: int = 0
    cod: int = 0
    payment: PaymentMethod = PaymentMethod.COD
    deliver_by: date | None = None
    inspection: Inspection = Inspection.VIEW
    note: str = ""
    cancel_reason: str = ""
    carrier: str = ""
    carrier_name: str = ""
    service: str = ""
    tracking: str | None = None
    track_at: datetime | None = None
    track_status: str = ""
    track_outcome: str = ""
    search_key: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    pending_at: datetime | None = None
    awaiting_stock_at: datetime | None = None
    confirmed_at: datetime | None = None
    packed_at: datetime | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    delivery_failed_at: datetime | None = None
    returning_at: datetime | None = None
    returned_at: datetime | None = None
    cancelled_at: datetime | None = None


# ---------------------------------------------------------------------------- reading
#
# Orders and lines are read as plain rows into the dataclasses above: the ORM's identity
# map and unit of work cost more than the whole rest of an action here, and every write
# goes through the prebuilt statements.


def stored_order(row: sa.Row[Any]) -> StoredOrder:
    return StoredOrder(**row._mapping)


def stored_line(row: sa.Row[Any]) -> StoredLine:
    return StoredLine(**row._mapping)


def load_order(session: Session, code: str) -> StoredOrder:
    found = session.connection().execute(_LOAD, {"code": clean(code)}).first()
    if found is None:
        raise NotFound("err.order.unknown", code=clean(code))
    return stored_order(found)


def load_lines(session: Session, order_id: int) -> list[StoredLine]:
    return [stored_line(r) for r in session.connection().execute(_LINES, {"oid": order_id})]


def to_read(order: Any, lines: Iterable[Any]) -> OrderRead:
    """A read shape from an order row (or anything with its attributes) and its lines."""
    times = {
        status.value: moment
        for status in OrderStatus
        if (moment := getattr(order, _STATUS_TIME[status])) is not None
    }
    return OrderRead(
        code=order.code,
        status=order.status,
        channel=order.channel,
        name=order.name,
        phone=order.phone,
        email=order.email,
        street=order.street,
        ward=order.ward_name,
        ward_code=order.ward_code,
        province=order.province_name,
        province_code=order.province_code,
        district=order.district,
        old_address=order.old_address,
        subtotal=order.subtotal,
        shipping_fee=order.shipping_fee,
        discount=order.discount,
        total=order.subtotal + order.shipping_fee - order.discount,
        paid=order.paid,
        cod=order.cod,
        payment=order.payment,
        deliver_by=order.deliver_by,
        inspection=order.inspection,
        note=order.note,
        cancel_reason=order.cancel_reason,
        created_at=order.created_at,
        status_times=times,
        lines=[
            OrderLineRead(ln.sku, ln.name, ln.variant, ln.qty, ln.unit_price, ln.reserved)
            for ln in lines
        ],
    )


# ---------------------------------------------------------------------------- writing helpers


def record(
    session: Session,
    order_id: int,
    action: str,
    before: OrderStatus | None,
    after: OrderStatus | None,
    now: datetime,
    **detail: Any,
) -> None:
    session.connection().execute(
        EVENT_INSERT,
        {
            "order_id": order_id,
            "at": now,
            "action": action,
            "from_status": before,
            "to_status": after,
            "detail": json.dumps(detail, ensure_ascii=False, default=str) if detail else "",
        },
    )


def enter(session: Session, order: StoredOrder, status: OrderStatus, now: datetime) -> None:
    session.connection().execute(SET_STATUS[status], {"oid": order.id, "now": now})
    order.status = status
    setattr(order, _STATUS_TIME[status], now)
    order.updated_at = now


def _next_codes(session: Session, now: datetime, count: int) -> list[str]:
    """`count` new codes like `DH2611-0042`: year and month (local time), then a per-month
    sequence. Numbers an imported order already holds are skipped."""
    if count <= 0:
        return []
    prefix = f"DH{to_local(now):%y%m}"
    conn = session.connection()
    codes: list[str] = []
    while len(codes) < count:
        want = count - len(codes)
        last = conn.execute(_NEXT_CODES, {"prefix": prefix, "n": want}).scalar_one()
        block = [f"{prefix}-{n:04d}" for n in range(last - want + 1, last + 1)]
        taken = set(conn.execute(_CODES_TAKEN, {"codes": block}).scalars())
        codes += [code for code in block if code not in taken]
    return codes


def _wants(lines: Sequence[Any]) -> list[ledger.Want]:
    return [ledger.Want(line.product_id, line.sku, line.qty - line.reserved) for line in lines]


def _set_reserved(session: Session, lines: Sequence[Any], value: str) -> None:
    """Record on each line what it now holds: its whole `qty`, or nothing ("zero")."""
    for line in lines:
        line.reserved = line.qty if value == "qty" else 0
    if lines:
        session.connection().execute(
            _SET_RESERVED, [{"lid": line.id, "r": line.reserved} for line in lines]
        )


def _reserve(session: Session, order: Any, lines: Sequence[Any], now: datetime) -> list[Shortage]:
    """Reserve what every line still lacks, all or nothing. Returns the shortages, if any."""
    short = ledger.reserve(session, order.id, _wants(lines), now=now)
    if not short:
        _set_reserved(session, [line for line in lines if line.reserved != line.qty], "qty")
    return short


def _release(session: Session, order: Any, lines: Sequence[Any], now: datetime) -> set[int]:
    """Give back everything these lines hold; returns the products freed."""
    holding = [line for line in lines if line.reserved]
    for line in holding:
        ledger.move(
            session,
            line.product_id,
            MoveKind.RELEASE,
            reserved=-line.reserved,
            order_id=order.id,
            now=now,
        )
    _set_reserved(session, holding, "zero")
    return {line.product_id for line in holding}


def _variant(product: ProductRef) -> str:
    return " / ".join(part for part in (product.variant, product.color, product.size) if part)

"""Customers, found by phone. An order keeps its own snapshot; the customer record keeps
the latest name and address the seller used, so the next order fills itself in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk import geo, validation
from orderdesk.db import dialect_insert
from orderdesk.errors import NotFound
from orderdesk.models.enums import OrderStatus
from orderdesk.models.reads import CustomerRead, Jsonable
from orderdesk.models.tables import Customer, Order
from orderdesk.text import fold
from orderdesk.timeutil import utcnow


def search_key(name: str, phone: str) -> str:
    return f"{fold(name)} {validation.phone_search_forms(phone)}"


_c = Customer.__table__  # type: ignore[attr-defined]
_UPSERTS: dict[str, Any] = {}


def _upsert_statement(session: Session) -> Any:
    """INSERT … ON CONFLICT (phone) DO UPDATE …, built once per backend."""
    name = session.get_bind().dialect.name
    if name not in _UPSERTS:
        insert = dialect_insert(session)(_c)
        new = insert.excluded
        _UPSERTS[name] = insert.on_conflict_do_update(
            index_elements=[_c.c.phone],
            set_={
                "name": new.name,
                # A blank email on a new order keeps the one we know.
                "email": sa.case((new.email != "", new.email), else_=_c.c.email),
                "street": new.street,
                "ward_code": new.ward_code,
                "province_code": new.province_code,
                "search_key": new.search_key,
                "updated_at": new.updated_at,
            },
        )
    return _UPSERTS[name]


@dataclass(frozen=True)
class Contact:
    """A customer's details as an order gives them (phone already E.164)."""

    phone: str
    name: str
    email: str
    street: str
    ward_code: int
    province_code: int


_IDS_BY_PHONE = sa.select(_c.c.phone, _c.c.id).where(
    _c.c.phone.in_(sa.bindparam("phones", expanding=True))
)


def remember_many(
    session: Session, contacts: list[Contact], *, now: datetime | None = None
) -> dict[str, int]:
    """Create or update a customer per phone (the latest details win); phone → id."""
    moment = now or utcnow()
    latest = {contact.phone: contact for contact in contacts}
    conn = session.connection()
    conn.execute(
        _upsert_statement(session),
        [
            {
                "phone": c.phone,
                "name": c.name,
                "email": c.email,
                "street": c.street,
                "ward_code": c.ward_code,
                "province_code": c.province_code,
                "notes": "",
                "search_key": search_key(c.name, c.phone),
                "created_at": moment,
                "updated_at": moment,
            }
            for c in latest.values()
        ],
    )
    phones = list(latest)
    ids: dict[str, int] = {}
    for start in range(0, len(phones), 500):
        ids.update(conn.execute(_IDS_BY_PHONE, {"phones": phones[start : start + 500]}).all())
    return ids


def remember(session: Session, contact: Contact, *, now: datetime | None = None) -> int:
    """The id of the customer with this phone, created or updated to these details."""
    return remember_many(session, [contact], now=now)[contact.phone]


def _summary_query() -> sa.Select[Any]:
    delivered_total = sa.case(
        (
            Order.status == OrderStatus.DELIVERED,  # type: ignore[arg-type]
            Order.subtotal + Order.shipping_fee - Order.discount,
        ),
        else_=0,
    )
    refused = sa.case((Order.returned_at.is_not(None), 1), else_=0)  # type: ignore[union-attr]
    return (
        sa.select(
            Customer,
            sa.func.count(Order.id),  # type: ignore[arg-type]
            sa.func.coalesce(sa.func.sum(delivered_total), 0),
            sa.func.coalesce(sa.func.sum(refused), 0),
        )
        .outerjoin(Order, Order.customer_id == Customer.id)  # type: ignore[arg-type]
        .group_by(Customer.id)  # type: ignore[arg-type]
    )


def _to_read(customer: Customer, orders: int, spent: int, refused: int) -> CustomerRead:
    return CustomerRead(
        phone=customer.phone,
        name=customer.name,
        email=customer.email,
        street=customer.street,
        ward=geo.ward(customer.ward_code).name if customer.ward_code else "",
        province=geo.province(customer.province_code).name if customer.province_code else "",
        notes=customer.notes,
        orders=orders,
        spent=spent,
        refused=refused,
    )


def by_phone(session: Session, phone: str) -> CustomerRead:
    """The customer with this phone (any format), with their order counts."""
    normalized = validation.phone(phone)
    row = session.execute(_summary_query().where(Customer.phone == normalized)).first()
    if row is None:
        raise NotFound("err.customer.unknown", phone=validation.display_phone(normalized))
    return _to_read(*row)


def list_customers(session: Session) -> list[CustomerRead]:
    return [_to_read(*row) for row in session.execute(_summary_query().order_by(Customer.id))]


# ---------------------------------------------------------------------------- risk


@dataclass(frozen=True)
class RiskEvent(Jsonable):
    """A COD parcel of this phone that came back or could not be delivered."""

    code: str
    status: OrderStatus
    at: datetime | None
    cod: int
    reason: str  # the courier's note, else the order's cancel reason


@dataclass(frozen=True)
class Risk(Jsonable):
    phone: str
    refused: int  # COD parcels sent back (returning or returned)
    failed: int  # COD parcels with a failed delivery that were not sent back
    history: list[RiskEvent]

    @property
    def warn(self) -> bool:
        return self.refused > 0 or self.failed > 1


_o = Order.__table__  # type: ignore[attr-defined]
_BACK = (OrderStatus.RETURNING, OrderStatus.RETURNED)


def risk(session: Session, phone: str, *, other_than: str = "", limit: int = 5) -> Risk:
    """What this phone's COD parcels did before: how many came back, how many failed."""
    from orderdesk.models.enums import PaymentMethod
    from orderdesk.models.tables import TrackingEvent

    te = TrackingEvent.__table__  # type: ignore[attr-defined]
    normalized = validation.phone(phone, mobile_only=False)
    conn = session.connection()
    rows = conn.execute(
        sa.select(
            _o.c.id,
            _o.c.code,
            _o.c.status,
            _o.c.cod,
            _o.c.cancel_reason,
            sa.func.coalesce(_o.c.returned_at, _o.c.returning_at, _o.c.delivery_failed_at).label(
                "at"
            ),
        )
        .where(
            _o.c.phone == normalized,
            _o.c.payment == PaymentMethod.COD,
            _o.c.code != other_than,
            sa.or_(_o.c.status.in_(_BACK), _o.c.delivery_failed_at.is_not(None)),
        )
        .order_by(_o.c.id.desc())
    ).all()
    history = []
    for r in rows[:limit]:
        note = conn.execute(
            sa.select(te.c.note)
            .where(
                te.c.order_id == r.id, te.c.note != "", te.c.outcome.in_(["failed", "returning"])
            )
            .order_by(te.c.at.desc())
            .limit(1)
        ).scalar()
        history.append(RiskEvent(r.code, r.status, r.at, r.cod, note or r.cancel_reason))
    refused = sum(1 for r in rows if r.status in _BACK)
    return Risk(normalized, refused, len(rows) - refused, history)

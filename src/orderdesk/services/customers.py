"""Customers, found by phone. An order keeps its own snapshot; the customer record keeps
the latest name and address the seller used, so the next order fills itself in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk import geo, validation
from orderdesk.db import dialect_insert
from orderdesk.errors import NotFound
from orderdesk.models.enums import OrderStatus
from orderdesk.models.reads import CustomerRead
from orderdesk.models.tables import Customer, Order
from orderdesk.text import fold
from orderdesk.timeutil import utcnow


def search_key(name: str, phone: str) -> str:
    return f"{fold(name)} {validation.phone_search_forms(phone)}"


_c = Customer.__table__  # type: ignore[attr-defined]
_UPSERTS: dict[str, Any] = {}


def _upsert_statement(session: Session) -> Any:
    """INSERT … ON CONFLICT (phone) DO UPDATE … RETURNING id, built once per backend."""
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
        ).returning(_c.c.id)
    return _UPSERTS[name]


def remember(
    session: Session,
    *,
    phone: str,
    name: str,
    email: str,
    street: str,
    ward_code: int,
    province_code: int,
    now: datetime | None = None,
) -> int:
    """The id of the customer with this (normalized) phone, created or updated to match."""
    moment = now or utcnow()
    return int(
        session.connection()
        .execute(
            _upsert_statement(session),
            {
                "phone": phone,
                "name": name,
                "email": email,
                "street": street,
                "ward_code": ward_code,
                "province_code": province_code,
                "notes": "",
                "search_key": search_key(name, phone),
                "created_at": moment,
                "updated_at": moment,
            },
        )
        .scalar_one()
    )


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

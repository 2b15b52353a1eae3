"""Customers, found by phone. An order keeps its own snapshot; the customer record keeps
the latest name and address the seller used, so the next order fills itself in.

The customer book: find a customer by name or any part of the phone, see what they
bought, sent back and said, keep notes and tags on them, and merge two records of one
person (a second phone number) into one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk import geo, validation
from orderdesk.db import dialect_insert, execute_many
from orderdesk.errors import InvalidInput, NotFound
from orderdesk.models.enums import OrderStatus, PaymentMethod
from orderdesk.models.reads import (
    CustomerBook,
    CustomerOrder,
    CustomerRead,
    CustomerReturn,
    CustomerReview,
    CustomerRow,
    Jsonable,
)
from orderdesk.models.tables import Customer, Order, Return, Review, table_of
from orderdesk.services.search import search_words
from orderdesk.text import clean, fold
from orderdesk.timeutil import utcnow


def search_key(name: str, phone: str) -> str:
    return f"{fold(name)} {validation.phone_search_forms(phone)}"


_c = table_of(Customer)
_NOTES_MAX = 2000
_TAGS_MAX = 500
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
                # An order has today's ward: an old address waiting for a choice is settled.
                "old_address": new.old_address,
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
    execute_many(
        conn,
        _upsert_statement(session),
        [
            {
                "phone": c.phone,
                "name": c.name,
                "email": c.email,
                "street": c.street,
                "ward_code": c.ward_code,
                "province_code": c.province_code,
                "old_address": "",
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


# ---------------------------------------------------------------------------- the book

_o = table_of(Order)
_rt = table_of(Return)
_rv = table_of(Review)
_BACK = (OrderStatus.RETURNING, OrderStatus.RETURNED)
_TOTAL = _o.c.subtotal + _o.c.shipping_fee - _o.c.discount


@dataclass(frozen=True)
class _Figures:
    orders: int = 0
    spent: int = 0
    refused: int = 0
    returns: int = 0
    reviews: int = 0
    last_order: datetime | None = None


# Per customer, over their orders only: the returns and reviews are looked up per order
# through their order_id indexes, so a handful of customers costs a handful of lookups.
_FIGURES = sa.select(
    _o.c.customer_id,
    sa.func.count(),
    sa.func.coalesce(
        sa.func.sum(sa.case((_o.c.status == OrderStatus.DELIVERED, _TOTAL), else_=0)), 0
    ),
    sa.func.coalesce(
        sa.func.sum(
            sa.case(
                (sa.and_(_o.c.payment == PaymentMethod.COD, _o.c.status.in_(_BACK)), 1),
                else_=0,
            )
        ),
        0,
    ),
    sa.func.coalesce(
        sa.func.sum(sa.case((sa.exists().where(_rt.c.order_id == _o.c.id), 1), else_=0)), 0
    ),
    sa.func.coalesce(
        sa.func.sum(sa.select(sa.func.count()).where(_rv.c.order_id == _o.c.id).scalar_subquery()),
        0,
    ),
    sa.func.max(_o.c.created_at),
).group_by(_o.c.customer_id)


def _figures(session: Session, ids: list[int] | None) -> dict[int, _Figures]:
    """The figures of these customers (None: of every customer), by id."""
    conn = session.connection()
    if ids is None:
        batches = [conn.execute(_FIGURES)]
    else:
        batches = [
            conn.execute(_FIGURES.where(_o.c.customer_id.in_(ids[start : start + 500])))
            for start in range(0, len(ids), 500)
        ]
    return {row[0]: _Figures(*row[1:]) for rows in batches for row in rows}


def tags_of(value: str) -> list[str]:
    """Tags as stored or typed ("Sỉ, vip ,VIP"): cleaned, lower-case, each once, in order."""
    if not value:
        return []
    words = (clean(part).lower() for part in value.split(","))
    return list(dict.fromkeys(word for word in words if word))


def _province_name(code: int | None) -> str:
    return geo.province(code).name if code else ""


def _to_read(customer: Any, figures: _Figures | None) -> CustomerRead:
    f = figures or _Figures()
    return CustomerRead(
        phone=customer.phone,
        name=customer.name,
        email=customer.email,
        street=customer.street,
        ward=geo.ward(customer.ward_code).name if customer.ward_code else "",
        province=_province_name(customer.province_code),
        old_address=customer.old_address,
        notes=customer.notes,
        orders=f.orders,
        spent=f.spent,
        refused=f.refused,
        returns=f.returns,
        reviews=f.reviews,
        tags=tags_of(customer.tags),
        last_order=f.last_order,
    )


def _normalized(phone: str) -> str:
    return validation.phone(phone, mobile_only=False)


# What a CustomerRead is made of (not the search key and times: 100,000 customers are
# exported in a second less without them).
_DETAILS = sa.select(
    _c.c.id,
    _c.c.phone,
    _c.c.name,
    _c.c.email,
    _c.c.street,
    _c.c.ward_code,
    _c.c.province_code,
    _c.c.old_address,
    _c.c.notes,
    _c.c.tags,
)


def _find(session: Session, normalized: str) -> Any:
    """The customers row with this (normalized) phone."""
    row = session.connection().execute(_DETAILS.where(_c.c.phone == normalized)).first()
    if row is None:
        raise NotFound("err.customer.unknown", phone=validation.display_phone(normalized))
    return row


def by_phone(session: Session, phone: str) -> CustomerRead:
    """The customer with this phone (any format), with their figures."""
    row = _find(session, _normalized(phone))
    return _to_read(row, _figures(session, [row.id]).get(row.id))


def list_customers(session: Session) -> list[CustomerRead]:
    figures = _figures(session, None)
    rows = session.connection().execute(_DETAILS.order_by(_c.c.id))
    return [_to_read(row, figures.get(row.id)) for row in rows]


def _whole_phone(words: list[str]) -> str | None:
    """The phone (E.164) when what was typed is a whole phone number, else None."""
    if len(words) != 1 or not words[0].isdigit() or len(words[0]) < 9:
        return None
    try:
        return _normalized(words[0])
    except InvalidInput:
        return None


def search(session: Session, text: str, *, limit: int = 50) -> list[CustomerRow]:
    """Customers whose name or phone holds every word of `text`, recently active first.

    A phone may be typed in any format, or only its last digits; names are matched without
    diacritics or case ("nguyen van" finds "Nguyễn Văn A"). Empty text: the latest
    customers. Figures are added up for the customers found only.
    """

    query = sa.select(_c.c.id, _c.c.phone, _c.c.name, _c.c.province_code, _c.c.tags)
    words = search_words(text)
    if whole := _whole_phone(words):  # by the phone's own index, not a scan
        query = query.where(_c.c.phone == whole)
    for word in [] if whole else words:
        query = query.where(_c.c.search_key.contains(word, autoescape=True))
    rows = (
        session.connection()
        .execute(query.order_by(_c.c.updated_at.desc(), _c.c.id.desc()).limit(limit))
        .all()
    )
    figures = _figures(session, [row.id for row in rows])
    found = []
    for row in rows:
        f = figures.get(row.id) or _Figures()
        found.append(
            CustomerRow(
                phone=validation.display_phone(row.phone),
                name=row.name,
                province=_province_name(row.province_code),
                orders=f.orders,
                spent=f.spent,
                returns=f.returns,
                refused=f.refused,
                reviews=f.reviews,
                tags=tags_of(row.tags),
                last_order=f.last_order,
            )
        )
    return found


def book(session: Session, phone: str) -> CustomerBook:
    """A customer's page: details, figures, and their orders, reviews and returns."""
    row = _find(session, _normalized(phone))
    conn = session.connection()
    orders = [
        CustomerOrder(*r)
        for r in conn.execute(
            sa.select(_o.c.code, _o.c.created_at, _o.c.status, _TOTAL)
            .where(_o.c.customer_id == row.id)
            .order_by(_o.c.id.desc())
        )
    ]
    reviews = [
        CustomerReview(*r)
        for r in conn.execute(
            sa.select(_o.c.code, _rv.c.sku, _rv.c.stars, _rv.c.comment, _rv.c.at)
            .join(_o, _o.c.id == _rv.c.order_id)
            .where(_o.c.customer_id == row.id)
            .order_by(_rv.c.at.desc(), _rv.c.id.desc())
        )
    ]
    returns = [
        CustomerReturn(*r)
        for r in conn.execute(
            sa.select(_o.c.code, _rt.c.kind, _rt.c.reason, _rt.c.refund, _rt.c.at)
            .join(_o, _o.c.id == _rt.c.order_id)
            .where(_o.c.customer_id == row.id)
            .order_by(_rt.c.at.desc(), _rt.c.id.desc())
        )
    ]
    customer = _to_read(row, _figures(session, [row.id]).get(row.id))
    return CustomerBook(customer, orders, reviews, returns)


def set_notes(
    session: Session, phone: str, text: str, *, now: datetime | None = None
) -> CustomerRead:
    """Replace the seller's notes on a customer (empty text clears them)."""
    row = _find(session, _normalized(phone))
    notes = validation.optional_text(text, "notes", max_len=_NOTES_MAX)
    session.connection().execute(
        sa.update(_c).where(_c.c.id == row.id).values(notes=notes, updated_at=now or utcnow())
    )
    return by_phone(session, row.phone)


def _joined_tags(tags: list[str]) -> str:
    joined = ", ".join(tags)
    if len(joined) > _TAGS_MAX:
        raise validation.fail("tags", "err.too_long", max=_TAGS_MAX)
    return joined


def tag(
    session: Session,
    phone: str,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
    *,
    now: datetime | None = None,
) -> CustomerRead:
    """Add and remove tags; a comma in what is given separates two tags."""
    row = _find(session, _normalized(phone))
    gone = set(tags_of(",".join(remove)))
    tags = [word for word in tags_of(",".join([row.tags, *add])) if word not in gone]
    session.connection().execute(
        sa.update(_c)
        .where(_c.c.id == row.id)
        .values(tags=_joined_tags(tags), updated_at=now or utcnow())
    )
    return by_phone(session, row.phone)


def set_tags(
    session: Session, phone: str, text: str, *, now: datetime | None = None
) -> CustomerRead:
    """Replace a customer's tags with those of `text` (commas separate them; empty clears)."""
    row = _find(session, _normalized(phone))
    session.connection().execute(
        sa.update(_c)
        .where(_c.c.id == row.id)
        .values(tags=_joined_tags(tags_of(text)), updated_at=now or utcnow())
    )
    return by_phone(session, row.phone)


def merge(
    session: Session, keep_phone: str, drop_phone: str, *, now: datetime | None = None
) -> CustomerRead:
    """One person with two records: `drop`'s orders move to `keep`, then `drop` goes.

    The orders keep their own name and phone snapshots. Notes are put together (keep's
    first), tags joined, and keep's empty details filled from drop's.
    """
    keep_number, drop_number = _normalized(keep_phone), _normalized(drop_phone)
    if keep_number == drop_number:
        raise validation.fail(
            "phone", "err.customer.merge_self", phone=validation.display_phone(keep_number)
        )
    keep, drop = _find(session, keep_number), _find(session, drop_number)
    parts = [keep.notes] + ([drop.notes] if drop.notes != keep.notes else [])
    notes = " · ".join(part for part in parts if part)
    if len(notes) > _NOTES_MAX:
        raise validation.fail("notes", "err.too_long", max=_NOTES_MAX)
    values: dict[str, Any] = {
        "notes": notes,
        "tags": _joined_tags(tags_of(f"{keep.tags},{drop.tags}")),
        "updated_at": now or utcnow(),
    }
    if not keep.email:
        values["email"] = drop.email
    if not keep.street:
        values["street"] = drop.street
    if keep.province_code is None:
        values["ward_code"], values["province_code"] = drop.ward_code, drop.province_code
        values["old_address"] = drop.old_address
    elif keep.ward_code is None and drop.province_code == keep.province_code:
        values["ward_code"] = drop.ward_code
        if drop.ward_code is not None:
            values["old_address"] = ""
    conn = session.connection()
    conn.execute(sa.update(_o).where(_o.c.customer_id == drop.id).values(customer_id=keep.id))
    conn.execute(sa.update(_c).where(_c.c.id == keep.id).values(**values))
    conn.execute(sa.delete(_c).where(_c.c.id == drop.id))
    return by_phone(session, keep.phone)


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


def risk(session: Session, phone: str, *, other_than: str = "", limit: int = 5) -> Risk:
    """What this phone's COD parcels did before: how many came back, how many failed."""
    from orderdesk.models.tables import TrackingEvent

    te = table_of(TrackingEvent)
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

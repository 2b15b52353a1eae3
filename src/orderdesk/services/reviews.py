"""Reviews: the customer's stars for a delivered order, or for one product of it.

A review of 3 stars or fewer waits in the response queue, oldest first, until the seller
records a reply. Recording a review again for the same order (and product) replaces it,
so importing the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk.db import dialect_insert
from orderdesk.errors import NotFound
from orderdesk.models.reads import Jsonable
from orderdesk.models.tables import Order, OrderLine, Review, table_of
from orderdesk.services.orders.base import load_order, record
from orderdesk.text import clean
from orderdesk.timeutil import utcnow
from orderdesk.validation import fail, optional_text

LOW = 3  # this many stars or fewer needs an answer
_o = table_of(Order)
_l = table_of(OrderLine)
_r = table_of(Review)


@dataclass(frozen=True)
class ReviewRead(Jsonable):
    id: int
    code: str
    sku: str
    stars: int
    comment: str
    channel: str
    at: datetime
    reply: str
    replied_at: datetime | None
    name: str
    phone: str


def stars_of(value: object) -> int:
    text = clean(str(value))
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise fail("stars", "err.review.stars", value=text)
    return int(text)


def add(
    session: Session,
    code: str,
    stars: object,
    *,
    comment: str = "",
    sku: str = "",
    channel: str | None = None,
    at: datetime | None = None,
    now: datetime | None = None,
) -> ReviewRead:
    """Record (or replace) the review of a delivered order, or of one of its products."""
    moment = now or utcnow()
    order = load_order(session, code)
    count = stars_of(stars)
    text = optional_text(comment, "comment", max_len=2000)
    if order.delivered_at is None:
        raise fail("order_code", "err.review.not_delivered", code=order.code, status=order.status)
    sku = clean(sku)
    product_id = None
    if sku:
        line = (
            session.connection()
            .execute(
                sa.select(_l.c.product_id, _l.c.sku).where(
                    _l.c.order_id == order.id, sa.func.lower(_l.c.sku) == sku.lower()
                )
            )
            .first()
        )
        if line is None:
            raise fail("sku", "err.review.not_in_order", sku=sku, code=order.code)
        product_id, sku = line
    values = {
        "order_id": order.id,
        "product_id": product_id,
        "sku": sku,
        "stars": count,
        "comment": text,
        "channel": clean(channel) if channel is not None else order.channel,
        "at": at or moment,
        "reply": "",
        "replied_at": None,
        "created_at": moment,
    }
    insert = dialect_insert(session)
    changing = {k: values[k] for k in ("stars", "comment", "channel", "at", "product_id")}
    session.connection().execute(
        insert(_r)
        .values(**values)
        .on_conflict_do_update(index_elements=["order_id", "sku"], set_=changing)
    )
    record(session, order.id, "review", None, None, moment, stars=count, sku=values["sku"] or None)
    return get(session, order.code, values["sku"])  # type: ignore[arg-type]


def _select() -> sa.Select[tuple[object, ...]]:
    return sa.select(
        _r.c.id,
        _o.c.code,
        _r.c.sku,
        _r.c.stars,
        _r.c.comment,
        _r.c.channel,
        _r.c.at,
        _r.c.reply,
        _r.c.replied_at,
        _o.c.name,
        _o.c.phone,
    ).join(_o, _o.c.id == _r.c.order_id)


def _read(row: sa.Row[tuple[object, ...]]) -> ReviewRead:
    from orderdesk.validation import display_phone

    values = dict(row._mapping)
    values["phone"] = display_phone(str(values["phone"]))
    return ReviewRead(**values)  # type: ignore[arg-type]


def get(session: Session, code: str, sku: str = "") -> ReviewRead:
    row = (
        session.connection()
        .execute(_select().where(_o.c.code == clean(code), _r.c.sku == clean(sku).upper()))
        .first()
    )
    if row is None:
        raise NotFound("err.review.unknown", code=clean(code))
    return _read(row)


def queue(session: Session) -> list[ReviewRead]:
    """Low ratings waiting for an answer, oldest first."""
    rows = session.connection().execute(
        _select().where(_r.c.replied_at.is_(None), _r.c.stars <= LOW).order_by(_r.c.at, _r.c.id)
    )
    return [_read(r) for r in rows]


def reply(
    session: Session, review_id: int, text: str, *, now: datetime | None = None
) -> ReviewRead:
    """Record the seller's answer; the review leaves the queue."""
    moment = now or utcnow()
    answer = optional_text(text, "reply", max_len=2000)
    if not answer:
        raise fail("reply", "err.required")
    row = session.connection().execute(_select().where(_r.c.id == review_id)).first()
    if row is None:
        raise NotFound("err.review.no_id", id=review_id)
    session.connection().execute(
        sa.update(_r).where(_r.c.id == review_id).values(reply=answer, replied_at=moment)
    )
    order = load_order(session, str(row.code))
    record(session, order.id, "review_reply", None, None, moment, reply=answer)
    return _read(session.connection().execute(_select().where(_r.c.id == review_id)).one())


@dataclass(frozen=True)
class Rating(Jsonable):
    sku: str
    name: str
    reviews: int
    average: float


def ratings(session: Session) -> list[Rating]:
    """Per product: how many reviews and the average stars, best first."""
    from orderdesk.models.tables import Product

    p = table_of(Product)
    rows = session.connection().execute(
        sa.select(p.c.sku, p.c.name, sa.func.count(), sa.func.avg(_r.c.stars))
        .join(p, p.c.id == _r.c.product_id)
        .group_by(p.c.id)
        .order_by(sa.func.avg(_r.c.stars).desc(), p.c.sku)
    )
    return [Rating(sku, name, n, round(float(avg), 2)) for sku, name, n, avg in rows]

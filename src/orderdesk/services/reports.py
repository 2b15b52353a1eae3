"""Reports: what sells, to whom, through which channel, how carriers do, what comes back.

Every report takes a date range in the shop's local days. Orders count on the day they
were placed and cancelled ones never count; revenue is what the customer pays for the
goods and shipping (subtotal + shipping − discount). Each report is one or two grouped
queries, so all of them for 30 days on a 100,000-order shop take well under a second
(`benchmarks/bench_reports.py`).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk.models.enums import OrderStatus
from orderdesk.models.reads import Jsonable
from orderdesk.models.tables import (
    CodRemit,
    Order,
    OrderLine,
    Product,
    Return,
    ReturnLine,
    Review,
    table_of,
)
from orderdesk.services.cod import unremitted
from orderdesk.timeutil import local_today, local_tz, utcnow
from orderdesk.validation import fail

S = OrderStatus
_o = table_of(Order)
_l = table_of(OrderLine)
_p = table_of(Product)
_rt = table_of(Return)
_rl = table_of(ReturnLine)
_rv = table_of(Review)
_cr = table_of(CodRemit)

RANGES = ("today", "7d", "30d", "month")
KINDS = ("daily", "channels", "products", "returns", "ratings", "carriers", "repeat", "cod")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Range(Jsonable):
    start: date  # first local day
    end: date  # last local day, included

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def bounds(self) -> tuple[datetime, datetime]:
        """The range in UTC: local midnight of the first day to that after the last."""
        zone = local_tz()
        first = datetime.combine(self.start, time(), tzinfo=zone).astimezone(UTC)
        after = datetime.combine(self.end + timedelta(days=1), time(), tzinfo=zone)
        return first, after.astimezone(UTC)


def named_range(name: str, *, today: date | None = None) -> Range:
    day = today or local_today()
    if name == "today":
        return Range(day, day)
    if name == "7d":
        return Range(day - timedelta(days=6), day)
    if name == "30d":
        return Range(day - timedelta(days=29), day)
    if name == "month":
        return Range(day.replace(day=1), day)
    raise fail("range", "err.report.range", value=name, known=", ".join(RANGES))


def custom_range(start: str, end: str) -> Range:
    for value in (start, end):
        if not _DAY.match(value.strip()):
            raise fail("range", "err.report.day", value=value)
    try:
        first, last = date.fromisoformat(start.strip()), date.fromisoformat(end.strip())
    except ValueError:
        raise fail("range", "err.report.day", value=f"{start} / {end}") from None
    if last < first:
        raise fail("range", "err.report.backwards", start=first, end=last)
    return Range(first, last)


def _local_day(session: Session, column: Any) -> Any:
    """The local calendar day of a stored UTC time, computed by the database. The shop's
    zone has no daylight saving (Asia/Ho_Chi_Minh), so one offset serves the whole range."""
    minutes = int((datetime.now(local_tz()).utcoffset() or timedelta()).total_seconds() // 60)
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.date(column, f"{minutes:+d} minutes")
    return sa.func.date(column + sa.text(f"interval '{minutes} minutes'"))


def _revenue() -> Any:
    return _o.c.subtotal + _o.c.shipping_fee - _o.c.discount


def _placed(rng: Range) -> Any:
    first, after = rng.bounds()
    return sa.and_(_o.c.created_at >= first, _o.c.created_at < after, _o.c.status != S.CANCELLED)


# ---------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class DayRow(Jsonable):
    day: date
    orders: int
    revenue: int


def daily(session: Session, rng: Range) -> list[DayRow]:
    """Orders placed and their revenue, every day of the range (days without any too)."""
    day = _local_day(session, _o.c.created_at)
    rows = session.connection().execute(
        sa.select(day, sa.func.count(), sa.func.coalesce(sa.func.sum(_revenue()), 0))
        .where(_placed(rng))
        .group_by(day)
    )
    found = {date.fromisoformat(str(d)): (n, int(v)) for d, n, v in rows}
    return [DayRow(d, *found.get(d, (0, 0))) for d in rng.days]


@dataclass(frozen=True)
class ChannelRow(Jsonable):
    channel: str
    orders: int
    revenue: int


def channels(session: Session, rng: Range) -> list[ChannelRow]:
    rows = session.connection().execute(
        sa.select(_o.c.channel, sa.func.count(), sa.func.sum(_revenue()))
        .where(_placed(rng))
        .group_by(_o.c.channel)
        .order_by(sa.func.sum(_revenue()).desc(), _o.c.channel)
    )
    return [ChannelRow(c, n, int(v)) for c, n, v in rows]


@dataclass(frozen=True)
class ProductRow(Jsonable):
    sku: str
    name: str
    qty: int
    revenue: int  # at the prices sold, before the order's discount


def products(session: Session, rng: Range, *, by: str = "qty", limit: int = 20) -> list[ProductRow]:
    """Best sellers by quantity (or `by="revenue"`)."""
    qty = sa.func.sum(_l.c.qty)
    revenue = sa.func.sum(_l.c.qty * _l.c.unit_price)
    rows = session.connection().execute(
        sa.select(_l.c.sku, sa.func.max(_l.c.name), qty, revenue)
        .join(_o, _o.c.id == _l.c.order_id)
        .where(_placed(rng))
        .group_by(_l.c.sku)
        .order_by((revenue if by == "revenue" else qty).desc(), _l.c.sku)
        .limit(limit)
    )
    return [ProductRow(sku, name, int(q), int(v)) for sku, name, q, v in rows]


@dataclass(frozen=True)
class ReturnRateRow(Jsonable):
    sku: str
    sold: int
    returned: int

    @property
    def rate(self) -> float:
        return round(self.returned / self.sold, 4) if self.sold else 0.0


@dataclass(frozen=True)
class ReturnsReport(Jsonable):
    products: list[ReturnRateRow]
    reasons: dict[str, int]  # units returned per reason
    sold: int
    returned: int

    @property
    def rate(self) -> float:
        return round(self.returned / self.sold, 4) if self.sold else 0.0


def returns(session: Session, rng: Range) -> ReturnsReport:
    """Of the units sold in orders placed in the range, how many came back, and why.
    A parcel refused at the door and returned whole counts as its units returned."""
    conn = session.connection()
    sold = dict(
        conn.execute(
            sa.select(_l.c.sku, sa.func.sum(_l.c.qty))
            .join(_o, _o.c.id == _l.c.order_id)
            .where(_placed(rng))
            .group_by(_l.c.sku)
        ).all()
    )
    back: dict[str, int] = {}
    reasons: dict[str, int] = {}
    for sku, reason, qty in conn.execute(
        sa.select(_rl.c.sku, _rt.c.reason, sa.func.sum(_rl.c.qty))
        .join(_rt, _rt.c.id == _rl.c.return_id)
        .join(_o, _o.c.id == _rt.c.order_id)
        .where(_placed(rng))
        .group_by(_rl.c.sku, _rt.c.reason)
    ):
        back[sku] = back.get(sku, 0) + int(qty)
        reasons[str(reason)] = reasons.get(str(reason), 0) + int(qty)
    refused = conn.execute(
        sa.select(_l.c.sku, sa.func.sum(_l.c.qty))
        .join(_o, _o.c.id == _l.c.order_id)
        .where(_placed(rng), _o.c.status == S.RETURNED)
        .group_by(_l.c.sku)
    ).all()
    for sku, qty in refused:
        back[sku] = back.get(sku, 0) + int(qty)
        reasons["refused"] = reasons.get("refused", 0) + int(qty)
    rows = [ReturnRateRow(sku, int(n), back.get(sku, 0)) for sku, n in sold.items()]
    rows.sort(key=lambda r: (-r.rate, -r.returned, r.sku))
    return ReturnsReport(
        [r for r in rows if r.returned],
        dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
        sum(int(n) for n in sold.values()),
        sum(back.values()),
    )


@dataclass(frozen=True)
class RatingRow(Jsonable):
    sku: str
    name: str
    reviews: int
    average: float


def ratings(session: Session, rng: Range) -> list[RatingRow]:
    """Average stars per product, for reviews written in the range."""
    first, after = rng.bounds()
    rows = session.connection().execute(
        sa.select(_p.c.sku, _p.c.name, sa.func.count(), sa.func.avg(_rv.c.stars))
        .join(_p, _p.c.id == _rv.c.product_id)
        .where(_rv.c.at >= first, _rv.c.at < after)
        .group_by(_p.c.id)
        .order_by(sa.func.avg(_rv.c.stars), _p.c.sku)
    )
    return [RatingRow(s, n, c, round(float(a), 2)) for s, n, c, a in rows]


@dataclass(frozen=True)
class CarrierRow(Jsonable):
    carrier: str
    shipped: int
    delivered: int
    failed: int  # had a failed attempt, or came back
    median_days: float | None  # shipped → delivered

    @property
    def failure_rate(self) -> float:
        return round(self.failed / self.shipped, 4) if self.shipped else 0.0


def carriers(session: Session, rng: Range, *, default_carrier: str = "ghn") -> list[CarrierRow]:
    """Parcels handed over in the range, per carrier."""
    first, after = rng.bounds()
    carrier = sa.func.coalesce(sa.func.nullif(_o.c.carrier, ""), default_carrier)
    if session.get_bind().dialect.name == "sqlite":
        days = sa.func.julianday(_o.c.delivered_at) - sa.func.julianday(_o.c.shipped_at)
    else:
        days = sa.extract("epoch", _o.c.delivered_at - _o.c.shipped_at) / 86400.0
    failed = sa.or_(
        _o.c.delivery_failed_at.is_not(None), _o.c.status.in_([S.RETURNING, S.RETURNED])
    )
    rows = session.connection().execute(
        sa.select(carrier, days, failed.label("failed")).where(
            _o.c.shipped_at >= first, _o.c.shipped_at < after
        )
    )
    per: dict[str, dict[str, Any]] = {}
    for cid, span, had_failure in rows:
        entry = per.setdefault(cid, {"shipped": 0, "failed": 0, "spans": []})
        entry["shipped"] += 1
        entry["failed"] += 1 if had_failure else 0
        if span is not None:
            entry["spans"].append(float(span))
    return [
        CarrierRow(
            cid,
            e["shipped"],
            len(e["spans"]),
            e["failed"],
            round(statistics.median(e["spans"]), 2) if e["spans"] else None,
        )
        for cid, e in sorted(per.items(), key=lambda kv: -kv[1]["shipped"])
    ]


@dataclass(frozen=True)
class RepeatReport(Jsonable):
    customers: int  # who ordered in the range
    repeat: int  # of them, who had ordered before, or ordered twice or more in it

    @property
    def share(self) -> float:
        return round(self.repeat / self.customers, 4) if self.customers else 0.0


def repeat(session: Session, rng: Range) -> RepeatReport:
    first, _ = rng.bounds()
    in_range = (
        sa.select(_o.c.customer_id.label("cid"), sa.func.count().label("n"))
        .where(_placed(rng))
        .group_by(_o.c.customer_id)
        .subquery()
    )
    # A few index probes per customer of the range (0.1 s on 100,000 orders); grouping
    # every earlier order by customer instead took four times as long.
    before = sa.exists().where(
        _o.c.customer_id == in_range.c.cid,
        _o.c.created_at < first,
        _o.c.status != S.CANCELLED,
    )
    total, again = (
        session.connection()
        .execute(
            sa.select(
                sa.func.count(),
                sa.func.coalesce(
                    sa.func.sum(sa.case((sa.or_(in_range.c.n > 1, before), 1), else_=0)), 0
                ),
            )
        )
        .one()
    )
    return RepeatReport(int(total), int(again))


@dataclass(frozen=True)
class CodReport(Jsonable):
    """Cash the couriers hold: delivered COD parcels no statement has paid yet (as of now,
    whatever the range), and short payments."""

    orders: int
    amount: int
    oldest_days: int
    short: int  # sum of the differences statements left
    by_carrier: dict[str, int] = field(default_factory=dict)


def cod(
    session: Session, *, default_carrier: str = "ghn", now: datetime | None = None
) -> CodReport:
    moment = now or utcnow()
    carrier = sa.func.coalesce(sa.func.nullif(_o.c.carrier, ""), default_carrier)
    conn = session.connection()
    rows = conn.execute(
        sa.select(carrier, sa.func.count(), sa.func.sum(_o.c.cod), sa.func.min(_o.c.delivered_at))
        .where(unremitted())
        .group_by(carrier)
    ).all()
    short = conn.execute(
        sa.select(sa.func.coalesce(sa.func.sum(_cr.c.difference), 0)).where(_cr.c.difference > 0)
    ).scalar_one()
    oldest = min((r[3] for r in rows if r[3] is not None), default=None)
    if isinstance(oldest, str):  # min() over the grouped column comes back untyped
        oldest = datetime.fromisoformat(oldest).replace(tzinfo=UTC)
    return CodReport(
        orders=sum(int(r[1]) for r in rows),
        amount=sum(int(r[2]) for r in rows),
        oldest_days=(moment - oldest).days if oldest else 0,
        short=int(short),
        by_carrier={str(r[0]): int(r[2]) for r in rows},
    )


def all_reports(
    session: Session, rng: Range, *, default_carrier: str = "ghn", now: datetime | None = None
) -> dict[str, Any]:
    return {
        "range": rng,
        "daily": daily(session, rng),
        "channels": channels(session, rng),
        "products": products(session, rng),
        "products_by_revenue": products(session, rng, by="revenue"),
        "returns": returns(session, rng),
        "ratings": ratings(session, rng),
        "carriers": carriers(session, rng, default_carrier=default_carrier),
        "repeat": repeat(session, rng),
        "cod": cod(session, default_carrier=default_carrier, now=now),
    }

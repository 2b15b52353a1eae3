"""COD reconciliation: does every đồng a courier collected come back?

A statement line is matched to an order by tracking number, else by our order code. Per
order: expected (the order's COD), collected, fees deducted, paid to the shop, and the
difference expected − (paid + fees); a difference that is not 0 is a problem. Lines are
stored once (the same line read twice is one line), so importing a statement again, or a
later statement repeating lines, changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk.carriers import Carrier
from orderdesk.db import dialect_insert
from orderdesk.formats.carrier_files import CodRow
from orderdesk.i18n import t
from orderdesk.models.enums import OrderStatus, PaymentMethod
from orderdesk.models.reads import Jsonable
from orderdesk.models.tables import CodLine, CodRemit, Order, table_of
from orderdesk.services.tracking import orders_by
from orderdesk.timeutil import utcnow

_o = table_of(Order)
_cl = table_of(CodLine)
_cr = table_of(CodRemit)
_CHUNK = 500
_LINE_INSERT = sa.insert(_cl)


@dataclass(frozen=True)
class Reconciled(Jsonable):
    """One order as the statements add up."""

    code: str
    tracking: str
    expected: int
    collected: int
    fees: int
    paid: int
    difference: int


@dataclass(frozen=True)
class Unmatched(Jsonable):
    row: int
    ref: str
    cod: int
    paid: int


@dataclass(frozen=True)
class Missing(Jsonable):
    """Delivered with COD to collect, and on no statement yet."""

    code: str
    tracking: str
    name: str
    cod: int
    delivered_at: datetime
    days: int


@dataclass
class CodReport(Jsonable):
    carrier: str
    statement: str
    lines: int = 0
    new_lines: int = 0
    repeated: int = 0
    orders: list[Reconciled] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)

    def summary(self) -> str:
        return t(
            "cli.cod.imported",
            lines=self.lines,
            carrier=self.carrier,
            new=self.new_lines,
            repeated=self.repeated,
            orders=len(self.orders),
        )

    @property
    def expected(self) -> int:
        return sum(o.expected for o in self.orders)

    @property
    def paid(self) -> int:
        return sum(o.paid for o in self.orders)

    @property
    def fees(self) -> int:
        return sum(o.fees for o in self.orders)

    @property
    def difference(self) -> int:
        return sum(o.difference for o in self.orders)


def apply_lines(
    session: Session,
    carrier: Carrier,
    rows: Sequence[CodRow],
    *,
    statement: str = "",
    default_carrier: str = "ghn",
    now: datetime | None = None,
) -> CodReport:
    moment = now or utcnow()
    conn = session.connection()
    report = CodReport(carrier=carrier.id, statement=statement, lines=len(rows))
    by_number = orders_by(session, _o.c.tracking, (r.tracking for r in rows))
    by_code = orders_by(session, _o.c.code, (r.code for r in rows))
    touched: set[int] = set()
    # Lines already stored (by any statement) are not stored again.
    refs = sorted({(r.tracking or r.code)[:60] for r in rows})
    stored: set[tuple[str, int, int, int]] = set()
    for start in range(0, len(refs), _CHUNK):
        stored.update(
            (ref, c, f, p)
            for ref, c, f, p in conn.execute(
                sa.select(_cl.c.ref, _cl.c.cod, _cl.c.fees, _cl.c.paid).where(
                    _cl.c.carrier == carrier.id, _cl.c.ref.in_(refs[start : start + _CHUNK])
                )
            )
        )
    new: list[dict[str, object]] = []
    for r in rows:
        match = by_number.get(r.tracking) if r.tracking else None
        if match is None and r.code:
            match = by_code.get(r.code)
        ref = (r.tracking or r.code)[:60]
        key = (ref, r.cod, r.fees, r.paid)
        if key in stored:
            report.repeated += 1
        else:
            stored.add(key)
            new.append(
                {
                    "carrier": carrier.id,
                    "ref": ref,
                    "order_id": match.id if match else None,
                    "statement": r.statement or statement,
                    "cod": r.cod,
                    "fees": r.fees,
                    "paid": r.paid,
                    "imported_at": moment,
                }
            )
        if match:
            touched.add(match.id)
        else:
            report.unmatched.append(Unmatched(r.row, ref, r.cod, r.paid))
    if new:
        conn.execute(_LINE_INSERT, new)
    report.new_lines = len(new)
    report.orders = _recompute(session, touched, moment)
    report.missing = missing(session, carrier.id, default_carrier=default_carrier, now=moment)
    return report


def _recompute(session: Session, order_ids: set[int], now: datetime) -> list[Reconciled]:
    """Add up every stored line of these orders; store and return the result."""
    conn = session.connection()
    ids = sorted(order_ids)
    result: list[Reconciled] = []
    insert = dialect_insert(session)
    names = ("expected", "collected", "fees", "paid", "difference", "reconciled_at")
    statement = (
        insert(_cr)
        .values(order_id=sa.bindparam("oid"), **{n: sa.bindparam(n) for n in names})
        .on_conflict_do_update(
            index_elements=["order_id"], set_={n: sa.bindparam(n) for n in names}
        )
    )
    updates: list[dict[str, object]] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        sums = conn.execute(
            sa.select(
                _o.c.id,
                _o.c.code,
                _o.c.tracking,
                _o.c.cod,
                sa.func.sum(_cl.c.cod),
                sa.func.sum(_cl.c.fees),
                sa.func.sum(_cl.c.paid),
            )
            .join(_cl, _cl.c.order_id == _o.c.id)
            .where(_o.c.id.in_(chunk))
            .group_by(_o.c.id)
            .order_by(_o.c.code)
        ).all()
        for oid, code, number, expected, collected, fees, paid in sums:
            item = Reconciled(
                code=code,
                tracking=number or "",
                expected=expected,
                collected=collected,
                fees=fees,
                paid=paid,
                difference=expected - (paid + fees),
            )
            updates.append(
                {
                    "oid": oid,
                    "expected": item.expected,
                    "collected": item.collected,
                    "fees": item.fees,
                    "paid": item.paid,
                    "difference": item.difference,
                    "reconciled_at": now,
                }
            )
            result.append(item)
    if updates:
        conn.execute(statement, updates)
    return result


def unremitted() -> sa.ColumnElement[bool]:
    """Delivered with COD to collect, and on no statement yet: cash the courier holds."""
    return sa.and_(
        _o.c.status == OrderStatus.DELIVERED,
        _o.c.payment == PaymentMethod.COD,
        _o.c.cod > 0,
        ~sa.exists().where(_cr.c.order_id == _o.c.id),
    )


def missing(
    session: Session,
    carrier_id: str | None,
    *,
    default_carrier: str = "ghn",
    now: datetime | None = None,
) -> list[Missing]:
    """Delivered COD orders that no statement has paid yet, oldest first: this carrier's,
    or every carrier's when `carrier_id` is None."""
    moment = now or utcnow()
    carrier_match: sa.ColumnElement[bool] = sa.true()
    if carrier_id == default_carrier:
        carrier_match = sa.or_(_o.c.carrier == carrier_id, _o.c.carrier == "")
    elif carrier_id is not None:
        carrier_match = _o.c.carrier == carrier_id
    rows = session.connection().execute(
        sa.select(_o.c.code, _o.c.tracking, _o.c.name, _o.c.cod, _o.c.delivered_at)
        .where(unremitted(), carrier_match)
        .order_by(_o.c.delivered_at)
    )
    return [
        Missing(
            r.code, r.tracking or "", r.name, r.cod, r.delivered_at, (moment - r.delivered_at).days
        )
        for r in rows
    ]


def import_statement(
    session: Session,
    path: Path,
    *,
    carrier: str = "auto",
    default_carrier: str = "ghn",
    now: datetime | None = None,
) -> CodReport:
    from orderdesk.formats.carrier_files import read_cod

    found, rows = read_cod(path, carrier)
    return apply_lines(
        session, found, rows, statement=path.stem, default_carrier=default_carrier, now=now
    )


@dataclass(frozen=True)
class StatementRead(Jsonable):
    carrier: str
    statement: str
    lines: int
    matched: int
    paid: int
    fees: int
    imported_at: datetime


def statements(session: Session) -> list[StatementRead]:
    """Every statement read so far, newest first."""
    rows = session.connection().execute(
        sa.select(
            _cl.c.carrier,
            _cl.c.statement,
            sa.func.count(),
            sa.func.count(_cl.c.order_id),
            sa.func.sum(_cl.c.paid),
            sa.func.sum(_cl.c.fees),
            sa.func.max(_cl.c.imported_at),
        )
        .group_by(_cl.c.carrier, _cl.c.statement)
        .order_by(sa.func.max(_cl.c.imported_at).desc(), _cl.c.statement.desc())
    )
    return [StatementRead(*r) for r in rows]


def statement_orders(session: Session, carrier: str, statement: str) -> list[Reconciled]:
    """The orders a statement paid, each as all statements add it up."""
    rows = session.connection().execute(
        sa.select(_o.c.code, _o.c.tracking, _cr)
        .join(_cr, _cr.c.order_id == _o.c.id)
        .where(
            _o.c.id.in_(
                sa.select(_cl.c.order_id).where(
                    _cl.c.carrier == carrier, _cl.c.statement == statement
                )
            )
        )
        .order_by(_cr.c.difference == 0, _o.c.code)
    )
    return [
        Reconciled(r.code, r.tracking or "", r.expected, r.collected, r.fees, r.paid, r.difference)
        for r in rows
    ]

"""Tracking: each parcel's number, its carrier's status events, and what they do.

A carrier status becomes an `Outcome`; the outcome moves the order through the state
machine (`services.orders.actions.transition`, so stock and history follow the usual path):
a parcel the carrier has is `shipped`, then `delivered`, `delivery_failed`, `returning`
or `returned` (stock back on the shelf). Events older than the parcel's latest one are
kept in its history but move nothing, so files may arrive in any order.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk.carriers import REGISTRY, Carrier, Outcome, StatusRow
from orderdesk.db import sqlite_time
from orderdesk.errors import ImportRejected, RowError
from orderdesk.gcpause import gc_paused
from orderdesk.i18n import t
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.models.lifecycle import next_status
from orderdesk.models.reads import Jsonable
from orderdesk.models.tables import Order, OrderLine, TrackingEvent, table_of
from orderdesk.services.orders.actions import transition
from orderdesk.services.orders.base import EVENT_INSERT as _HISTORY_INSERT
from orderdesk.services.orders.base import SET_STATUS, StoredLine, load_order, record, stored_line
from orderdesk.text import clean
from orderdesk.timeutil import utcnow
from orderdesk.validation import fail, optional_text

S = OrderStatus
_o = table_of(Order)
_l = table_of(OrderLine)
_te = table_of(TrackingEvent)
_CHUNK = 500

_EVENT_INSERT = sa.insert(_te)
_NUMBER_TAKEN = sa.select(_o.c.code).where(
    _o.c.tracking == sa.bindparam("number"), _o.c.id != sa.bindparam("oid")
)
_SET_TRACK = (
    sa.update(_o)
    .where(_o.c.id == sa.bindparam("oid"))
    .values(
        track_at=sa.bindparam("t_at", type_=_o.c.track_at.type),
        track_status=sa.bindparam("t_status"),
        track_outcome=sa.bindparam("t_outcome"),
    )
)
_LINES_OF = (
    sa.select(_l).where(_l.c.order_id.in_(sa.bindparam("oids", expanding=True))).order_by(_l.c.id)
)

# What each outcome asks of an order in each status: the actions to run, in order.
# A status missing here means the outcome moves nothing (the event is still kept).
_STEPS: dict[Outcome, dict[OrderStatus, tuple[Action, ...]]] = {
    Outcome.TRANSIT: {
        S.PACKED: (Action.SHIP,),
        S.DELIVERY_FAILED: (Action.REDELIVER,),
    },
    Outcome.DELIVERED: {
        S.PACKED: (Action.SHIP, Action.DELIVER),
        S.SHIPPED: (Action.DELIVER,),
        S.DELIVERY_FAILED: (Action.DELIVER,),
    },
    Outcome.FAILED: {
        S.PACKED: (Action.SHIP, Action.FAIL_DELIVERY),
        S.SHIPPED: (Action.FAIL_DELIVERY,),
    },
    Outcome.RETURNING: {
        S.PACKED: (Action.SHIP, Action.START_RETURN),
        S.SHIPPED: (Action.START_RETURN,),
        S.DELIVERY_FAILED: (Action.START_RETURN,),
    },
    Outcome.RETURNED: {
        S.PACKED: (Action.SHIP, Action.MARK_RETURNED),
        S.SHIPPED: (Action.MARK_RETURNED,),
        S.DELIVERY_FAILED: (Action.MARK_RETURNED,),
        S.RETURNING: (Action.MARK_RETURNED,),
    },
}
# Outcomes that fit an order already where they would lead: nothing to do, nothing odd.
_ALREADY: dict[Outcome, frozenset[OrderStatus]] = {
    Outcome.INFO: frozenset(OrderStatus),
    Outcome.PROBLEM: frozenset(OrderStatus),
    Outcome.TRANSIT: frozenset({S.SHIPPED, S.RETURNING}),
    Outcome.DELIVERED: frozenset({S.DELIVERED}),
    Outcome.FAILED: frozenset({S.DELIVERY_FAILED}),
    Outcome.RETURNING: frozenset({S.RETURNING}),
    Outcome.RETURNED: frozenset({S.RETURNED}),
}


def carrier_of(order_carrier: str, default_carrier: str) -> Carrier:
    return REGISTRY.get(order_carrier or default_carrier) or REGISTRY["self"]


# ---------------------------------------------------------------------------- numbers


def check_number(session: Session, carrier: Carrier, text: str, *, order_id: int | None) -> str:
    """The stored form of a tracking number, or a refusal naming what is wrong."""
    number = carrier.tracking_number(text)
    if not number:
        raise fail("tracking", "err.required")
    if not carrier.fits(number):
        raise fail(
            "tracking",
            "err.tracking.shape",
            number=number,
            carrier=carrier.name,
            shape=t("carrier_shape." + carrier.id),
        )
    other = (
        session.connection()
        .execute(_NUMBER_TAKEN, {"number": number, "oid": order_id if order_id is not None else -1})
        .scalar()
    )
    if other:
        raise fail("tracking", "err.tracking.taken", number=number, code=other)
    return number


def set_number(
    session: Session,
    code: str,
    number: str,
    *,
    carrier: str | None = None,
    default_carrier: str = "ghn",
    now: datetime | None = None,
) -> str:
    """Give the order its tracking number (typed, scanned or from a file); returns it as
    stored. `carrier` also changes the order's carrier; otherwise its own is used."""
    order = load_order(session, code)
    cid = clean(carrier or "").lower() or order.carrier or default_carrier
    if cid not in REGISTRY:
        raise fail("carrier", "err.carrier.unknown", carrier=cid, known=", ".join(REGISTRY))
    stored = check_number(session, REGISTRY[cid], number, order_id=order.id)
    changes = {"tracking": stored}
    if carrier or not order.carrier:
        changes["carrier"] = cid
    session.connection().execute(sa.update(_o).where(_o.c.id == order.id).values(**changes))
    record(session, order.id, "shipping", None, None, now or utcnow(), **changes)
    return stored


# ---------------------------------------------------------------------------- events


@dataclass(frozen=True)
class TrackEventRead(Jsonable):
    at: datetime
    carrier: str
    carrier_status: str
    outcome: str
    location: str
    note: str
    source: str


def link(session: Session, code: str, *, default_carrier: str = "ghn") -> str:
    """Where the buyer (or the seller) follows the parcel on its carrier's site."""
    order = load_order(session, code)
    return carrier_of(order.carrier, default_carrier).url(order.tracking or "")


def timeline(session: Session, code: str) -> list[TrackEventRead]:
    """The parcel's events, newest first."""
    order = load_order(session, code)
    rows = session.connection().execute(
        sa.select(_te).where(_te.c.order_id == order.id).order_by(_te.c.at.desc(), _te.c.id.desc())
    )
    return [
        TrackEventRead(r.at, r.carrier, r.carrier_status, r.outcome, r.location, r.note, r.source)
        for r in rows
    ]


@dataclass
class Applied:
    """What one batch of events did."""

    events: int = 0
    repeated: int = 0
    moved: Counter[str] = field(default_factory=Counter)  # status reached → orders
    numbers: int = 0
    # Events kept in the history that could not move their order (e.g. a delivery
    # reported for an order still being confirmed): row, order code, status, outcome.
    not_moved: list[tuple[int, str, str, str]] = field(default_factory=list)


class _Event(NamedTuple):
    row: int
    order: SimpleNamespace
    status: str
    outcome: Outcome
    at: datetime
    location: str
    note: str
    source: str


def _apply(
    session: Session,
    carrier: Carrier,
    events: Sequence[_Event],
    applied: Applied,
    now: datetime,
) -> None:
    """Store new events and move their orders; `events` may hold many orders."""
    conn = session.connection()
    by_order: dict[int, list[_Event]] = defaultdict(list)
    for event in events:
        by_order[event.order.id].append(event)
    # Keys already stored, so a file read twice adds nothing.
    known: set[tuple[int, str, datetime]] = set()
    ids = sorted(by_order)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        known.update(
            (r.order_id, r.carrier_status, r.at)
            for r in conn.execute(
                sa.select(_te.c.order_id, _te.c.carrier_status, _te.c.at).where(
                    _te.c.order_id.in_(chunk)
                )
            )
        )
    fresh: list[_Event] = []
    for oid in ids:
        for event in sorted(by_order[oid], key=lambda e: (e.at, e.row)):
            key = (oid, event.status, event.at)
            if key in known:
                applied.repeated += 1
                continue
            known.add(key)
            fresh.append(event)
    if not fresh:
        return
    _insert_events(session, carrier, fresh, now)
    applied.events += len(fresh)
    lines = _lines_for(session, {e.order.id for e in fresh if _needs_lines(e)})
    moves = _Moves()
    latest: dict[int, _Event] = {}
    for event in fresh:
        order = event.order
        if order.track_at is not None and event.at < order.track_at:
            continue  # older than what we already know: history only
        latest[order.id] = event
        order.track_at = event.at
        _move(session, event, lines.get(order.id, []), applied, moves, now)
    moves.write(session)
    if latest:
        conn.execute(
            _SET_TRACK,
            [
                {
                    "oid": oid,
                    "t_at": e.at,
                    "t_status": e.status[:60],
                    "t_outcome": e.outcome.value,
                }
                for oid, e in latest.items()
            ],
        )


_EVENT_COLUMNS = (
    "order_id",
    "carrier",
    "at",
    "carrier_status",
    "outcome",
    "location",
    "note",
    "source",
    "recorded_at",
)
_EVENT_SQL = (
    f"INSERT INTO tracking_events ({', '.join(_EVENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _EVENT_COLUMNS)})"
)


def _insert_events(
    session: Session, carrier: Carrier, events: Sequence[_Event], now: datetime
) -> None:
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        # A 20,000-row file: handing the driver ready tuples skips SQLAlchemy's per-value
        # type processing, two thirds of the insert's time.
        stamp = sqlite_time(now)
        conn.exec_driver_sql(
            _EVENT_SQL,
            [
                (
                    e.order.id,
                    carrier.id,
                    sqlite_time(e.at),
                    e.status,
                    e.outcome.value,
                    e.location,
                    e.note,
                    e.source,
                    stamp,
                )
                for e in events
            ],
        )
        return
    conn.execute(
        _EVENT_INSERT,
        [
            {
                "order_id": e.order.id,
                "carrier": carrier.id,
                "at": e.at,
                "carrier_status": e.status,
                "outcome": e.outcome.value,
                "location": e.location,
                "note": e.note,
                "source": e.source,
                "recorded_at": now,
            }
            for e in events
        ],
    )


def _needs_lines(event: _Event) -> bool:
    steps = _STEPS.get(event.outcome, {}).get(event.order.status, ())
    return bool(_STOCK_ACTIONS.intersection(steps))


def _lines_for(session: Session, order_ids: Iterable[int]) -> dict[int, list[StoredLine]]:
    ids = sorted(order_ids)
    found: dict[int, list[StoredLine]] = defaultdict(list)
    for start in range(0, len(ids), _CHUNK):
        for r in session.connection().execute(_LINES_OF, {"oids": ids[start : start + _CHUNK]}):
            found[r.order_id].append(stored_line(r))
    return found


# Steps that move stock go through `orders.actions.transition` one by one; the others (the bulk
# of a carrier file: delivered, failed, redelivered, returning) are written in batches.
_STOCK_ACTIONS = frozenset({Action.SHIP, Action.MARK_RETURNED})
_SET_ENTERED = {
    status: sa.update(_o)
    .where(_o.c.id == sa.bindparam("oid"))
    .values({f"{status.value}_at": sa.bindparam("t", type_=_o.c.updated_at.type)})
    for status in OrderStatus
}


class _Moves:
    """Status changes collected while a file is applied, written in a few statements."""

    def __init__(self) -> None:
        self.entered: dict[OrderStatus, list[dict[str, object]]] = defaultdict(list)
        self.final: dict[int, tuple[OrderStatus, datetime]] = {}
        self.history: list[dict[str, object]] = []

    def step(
        self,
        session: Session,
        order: SimpleNamespace,
        lines: list[SimpleNamespace],
        action: Action,
        when: datetime,
        detail: dict[str, object],
    ) -> None:
        was = order.status
        target = next_status(order.code, was, action)
        if action in _STOCK_ACTIONS:
            full = load_order(session, order.code)
            full.status = was  # steps of this file not written yet
            transition(session, full, lines, action, when, **detail)
            order.status = target
        else:
            self.entered[target].append({"oid": order.id, "t": when})
            self.history.append(
                {
                    "order_id": order.id,
                    "at": when,
                    "action": action.value,
                    "from_status": was,
                    "to_status": target,
                    "detail": json.dumps(
                        {k: v for k, v in detail.items() if v is not None}, ensure_ascii=False
                    ),
                }
            )
            order.status = target
        self.final[order.id] = (target, when)

    def write(self, session: Session) -> None:
        conn = session.connection()
        sqlite = conn.dialect.name == "sqlite"
        by_final: dict[OrderStatus, list[dict[str, object]]] = defaultdict(list)
        for oid, (status, when) in self.final.items():
            by_final[status].append({"oid": oid, "now": when})
        for status, rows in by_final.items():
            # Status, its "entered at" and updated_at, as `orders.base.enter` writes them.
            if sqlite:
                conn.exec_driver_sql(
                    f"UPDATE orders SET status = ?, {status.value}_at = ?, updated_at = ? "
                    "WHERE id = ?",
                    [
                        (status.value, stamp, stamp, r["oid"])
                        for r in rows
                        for stamp in (sqlite_time(r["now"]),)  # type: ignore[arg-type]
                    ],
                )
            else:
                conn.execute(SET_STATUS[status], rows)
        for status, rows in self.entered.items():
            earlier = [r for r in rows if self.final[r["oid"]][0] is not status]  # type: ignore[index]
            if earlier:
                conn.execute(_SET_ENTERED[status], earlier)
        if not self.history:
            return
        if sqlite:
            # The history of a big file in one call, without per-value type processing.
            conn.exec_driver_sql(
                "INSERT INTO order_events (order_id, at, action, from_status, to_status, detail)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        h["order_id"],
                        sqlite_time(h["at"]),  # type: ignore[arg-type]
                        h["action"],
                        str(h["from_status"]),
                        str(h["to_status"]),
                        h["detail"],
                    )
                    for h in self.history
                ],
            )
        else:
            conn.execute(_HISTORY_INSERT, self.history)


def _move(
    session: Session,
    event: _Event,
    lines: list[SimpleNamespace],
    applied: Applied,
    moves: _Moves,
    now: datetime,
) -> None:
    order = event.order
    steps = _STEPS.get(event.outcome, {}).get(order.status)
    if steps is None:
        if order.status not in _ALREADY[event.outcome]:
            applied.not_moved.append((event.row, order.code, order.status, event.outcome))
        return
    # The order's history says when the carrier did it (never later than now: a courier's
    # phone with a wrong clock must not date a delivery in the future).
    when = min(event.at, now)
    detail: dict[str, object] = {
        "carrier_status": event.status,
        "source": event.source,
        "note": event.note or None,
    }
    for action in steps:
        moves.step(session, order, lines, action, when, detail)
    applied.moved[order.status] += 1


def add_event(
    session: Session,
    code: str,
    outcome: Outcome,
    *,
    note: str = "",
    location: str = "",
    at: datetime | None = None,
    default_carrier: str = "ghn",
    now: datetime | None = None,
) -> Applied:
    """An event the seller enters by hand (a phone call with the courier, a parcel back
    at the counter); it moves the order exactly as the same word from a file would."""
    moment = now or utcnow()
    order = load_order(session, code)
    carrier = carrier_of(order.carrier, default_carrier)
    text = optional_text(note, "note", max_len=500)
    where = optional_text(location, "location", max_len=200)
    applied = Applied()
    steps = _STEPS.get(outcome, {}).get(order.status)
    if steps is None and order.status not in _ALREADY[outcome]:
        raise fail(
            "outcome", "err.tracking.not_now", code=order.code, status=order.status, outcome=outcome
        )
    event = _Event(0, order, f"({outcome.value})", outcome, at or moment, where, text, "manual")
    _apply(session, carrier, [event], applied, moment)
    return applied


# ---------------------------------------------------------------------------- files


@dataclass
class ImportReport(Applied):
    carrier: str = ""
    rows: int = 0
    skipped: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        return t(
            "cli.tracking.imported",
            rows=self.rows,
            carrier=self.carrier,
            events=self.events,
            repeated=self.repeated,
            numbers=self.numbers,
        )


class UnknownRows(ImportRejected):
    """Rows with a status or an order orderdesk does not know; nothing was applied."""

    def __init__(self, path: str, errors: list[RowError]) -> None:
        super().__init__(path, errors)
        self.key = "err.tracking.unknown_rows"


# What applying events needs of an order; a step that moves stock loads the whole row.
_MATCH_COLUMNS = (_o.c.id, _o.c.code, _o.c.status, _o.c.carrier, _o.c.tracking, _o.c.track_at)


def orders_by(
    session: Session, column: sa.Column[str], refs: Iterable[str]
) -> dict[str, SimpleNamespace]:
    values = sorted({r for r in refs if r})
    found: dict[str, SimpleNamespace] = {}
    conn = session.connection()
    for start in range(0, len(values), _CHUNK):
        query = sa.select(*_MATCH_COLUMNS).where(column.in_(values[start : start + _CHUNK]))
        for r in conn.execute(query):
            order = SimpleNamespace(**r._mapping)
            found[getattr(order, column.key)] = order
    return found


def apply_rows(
    session: Session,
    carrier: Carrier,
    rows: Sequence[StatusRow],
    *,
    path: str = "",
    skip_unknown: bool = False,
    extra_statuses: Mapping[str, Outcome] | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Apply a carrier's status rows (from a file, or later from an online source).

    A row whose status the carrier's table does not know, or whose order is not in the
    shop, is reported with its row number; then nothing is applied unless `skip_unknown`.
    A row naming our order code and a tracking number gives an order without a number
    its number.
    """
    moment = now or utcnow()
    report = ImportReport(carrier=carrier.id, rows=len(rows))
    by_number = orders_by(session, _o.c.tracking, (r.tracking for r in rows))
    # By our code only the rows whose number matched nothing (a file usually has both).
    by_code = orders_by(
        session, _o.c.code, (r.code for r in rows if not r.tracking or r.tracking not in by_number)
    )
    # One object per order, so a status reached by one row is seen by the next.
    same: dict[int, SimpleNamespace] = {}
    for order in list(by_number.values()) + list(by_code.values()):
        same.setdefault(order.id, order)
    events: list[_Event] = []
    numbers: dict[int, tuple[int, str]] = {}
    problems: list[RowError] = []
    f = carrier.status_fields
    ref_column = (f.tracking or f.code)[0]
    for r in rows:
        found = by_number.get(r.tracking) if r.tracking else None
        if found is None and r.code:
            found = by_code.get(r.code)
        if found is None:
            problems.append(
                RowError(r.row, ref_column, "import.order_unknown", {"ref": r.tracking or r.code})
            )
            continue
        order = same[found.id]
        outcome = carrier.outcome(r.status, extra_statuses)
        if outcome is None:
            problems.append(
                RowError(
                    r.row,
                    f.status[0],
                    "import.status_unknown",
                    {"status": r.status, "carrier": carrier.name},
                )
            )
            continue
        if r.tracking and not order.tracking and order.id not in numbers:
            if not carrier.fits(r.tracking) or r.tracking in by_number:
                problems.append(
                    RowError(
                        r.row,
                        f.tracking[0],
                        "err.tracking.shape",
                        {
                            "number": r.tracking,
                            "carrier": carrier.name,
                            "shape": t("carrier_shape." + carrier.id),
                        },
                    )
                )
                continue
            numbers[order.id] = (r.row, r.tracking)
        events.append(
            _Event(r.row, order, r.status[:60], outcome, r.at, r.location, r.note, "file")
        )
    if problems and not skip_unknown:
        raise UnknownRows(path, problems)
    report.skipped = problems
    conn = session.connection()
    for oid, (_, number) in numbers.items():
        order = same[oid]
        conn.execute(
            sa.update(_o).where(_o.c.id == oid).values(tracking=number, carrier=carrier.id)
        )
        order.tracking = number
        record(session, oid, "shipping", None, None, moment, tracking=number, carrier=carrier.id)
    report.numbers = len(numbers)
    _apply(session, carrier, events, report, moment)
    return report


@dataclass
class NumbersReport:
    carrier: str
    rows: int
    set: list[tuple[str, str]] = field(default_factory=list)  # (order code, number)
    unchanged: int = 0


def import_numbers(
    session: Session,
    path: Path,
    *,
    carrier: str = "auto",
    now: datetime | None = None,
) -> NumbersReport:
    """Tracking numbers from a carrier's order export (our code ↔ its number), all or
    nothing: an unknown order, a number of the wrong shape, one another order has, or an
    order that already has a different number rejects the file, each row listed."""
    from orderdesk.formats.carrier_files import read_numbers

    found, pairs = read_numbers(path, carrier)
    moment = now or utcnow()
    f = found.status_fields
    code_column, number_column = f.code[0], f.tracking[0]
    orders_by_code = orders_by(session, _o.c.code, (code for _, code, _ in pairs))
    taken = orders_by(session, _o.c.tracking, (found.tracking_number(n) for _, _, n in pairs if n))
    report = NumbersReport(found.id, len(pairs))
    errors: list[RowError] = []
    chosen: dict[str, str] = {}
    for row, code, text in pairs:
        order = orders_by_code.get(code)
        if order is None:
            errors.append(RowError(row, code_column, "import.order_unknown", {"ref": code}))
            continue
        number = found.tracking_number(text)
        if not number:
            errors.append(RowError(row, number_column, "err.required"))
            continue
        if not found.fits(number):
            shape = t("carrier_shape." + found.id)
            errors.append(
                RowError(
                    row,
                    number_column,
                    "err.tracking.shape",
                    {"number": number, "carrier": found.name, "shape": shape},
                )
            )
            continue
        if order.tracking == number:
            report.unchanged += 1
            continue
        holder = taken.get(number)
        first = chosen.get(number)  # an earlier row of this file giving the same number
        other = (
            holder.code
            if holder is not None and holder.id != order.id
            else (first if first is not None and first != code else None)
        )
        if other is not None:
            errors.append(
                RowError(
                    row, number_column, "err.tracking.taken", {"number": number, "code": other}
                )
            )
            continue
        if order.tracking:
            errors.append(
                RowError(
                    row,
                    number_column,
                    "import.tracking_differs",
                    {"code": code, "number": order.tracking},
                )
            )
            continue
        chosen[number] = code
        report.set.append((code, number))
    if errors:
        raise ImportRejected(str(path), errors)
    conn = session.connection()
    for code, number in report.set:
        order = orders_by_code[code]
        conn.execute(
            sa.update(_o).where(_o.c.id == order.id).values(tracking=number, carrier=found.id)
        )
        record(session, order.id, "shipping", None, None, moment, tracking=number, carrier=found.id)
    return report


def import_file(
    session: Session,
    path: Path,
    *,
    carrier: str = "auto",
    skip_unknown: bool = False,
    extra_statuses: Mapping[str, Mapping[str, Outcome]] | None = None,
    now: datetime | None = None,
) -> ImportReport:
    from orderdesk.formats.carrier_files import read_status

    with gc_paused():
        found, rows = read_status(path, carrier)
        return apply_rows(
            session,
            found,
            rows,
            path=str(path),
            skip_unknown=skip_unknown,
            extra_statuses=(extra_statuses or {}).get(found.id),
            now=now,
        )


# ---------------------------------------------------------------------------- shipments


@dataclass(frozen=True)
class ShipmentRow(Jsonable):
    code: str
    name: str
    phone: str
    status: OrderStatus
    carrier: str
    tracking: str
    last_event: str
    last_outcome: str
    last_event_at: datetime | None
    moved_at: datetime  # the last event, else when the order entered its status
    cod: int


SHIPMENT_STATUSES = (S.SHIPPED, S.DELIVERY_FAILED, S.RETURNING, S.DELIVERED, S.RETURNED, S.PACKED)
# Parcels still on their way: the longest silent first. Finished ones: the newest first.
_STILL_MOVING = frozenset({S.PACKED, S.SHIPPED, S.DELIVERY_FAILED, S.RETURNING})


def shipments(
    session: Session,
    statuses: Sequence[OrderStatus],
    *,
    default_carrier: str = "ghn",
    limit: int = 1000,
) -> list[ShipmentRow]:
    from orderdesk.validation import display_phone

    moved = sa.func.coalesce(
        _o.c.track_at,
        sa.case(
            *((_o.c.status == s, getattr(_o.c, f"{s.value}_at")) for s in SHIPMENT_STATUSES),
            else_=_o.c.updated_at,
        ),
    ).label("moved")
    oldest_first = all(s in _STILL_MOVING for s in statuses)
    query = (
        sa.select(
            _o.c.code,
            _o.c.name,
            _o.c.phone,
            _o.c.status,
            _o.c.carrier,
            _o.c.tracking,
            _o.c.track_status,
            _o.c.track_outcome,
            _o.c.track_at,
            moved,
            _o.c.cod,
        )
        .where(_o.c.status.in_(list(statuses)))
        .order_by(moved.asc() if oldest_first else moved.desc())
        .limit(limit)
    )
    return [
        ShipmentRow(
            code=r.code,
            name=r.name,
            phone=display_phone(r.phone),
            status=r.status,
            carrier=r.carrier or default_carrier,
            tracking=r.tracking or "",
            last_event=r.track_status,
            last_outcome=r.track_outcome,
            last_event_at=r.track_at,
            moved_at=r.moved,
            cod=r.cod,
        )
        for r in session.connection().execute(query)
    ]

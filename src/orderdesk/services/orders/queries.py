"""Reading orders: one in full, lists and counts for the desk's tabs, and search by code,
name or phone (a trigram index where SQLite has FTS5).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.util import find_tables
from sqlmodel import Session

from orderdesk import validation
from orderdesk.models.enums import OrderStatus
from orderdesk.models.reads import (
    EventRead,
    OrderDetail,
    OrderRead,
    OrderRow,
)
from orderdesk.services import checklist
from orderdesk.services.orders.base import (
    _EVENTS,
    _TICKED,
    LINES_OF,
    StoredLine,
    _o,
    load_lines,
    load_order,
    stored_line,
    stored_order,
    to_read,
)
from orderdesk.services.search import search_words
from orderdesk.text import fold, squash
from orderdesk.timeutil import local_today


def get(session: Session, code: str) -> OrderRead:
    order = load_order(session, code)
    return to_read(order, load_lines(session, order.id))


def ticked(session: Session, order_id: int) -> set[str]:
    return set(session.connection().execute(_TICKED, {"oid": order_id}).scalars())


def detail(session: Session, code: str, *, now: datetime | None = None) -> OrderDetail:
    order = load_order(session, code)
    read = to_read(order, load_lines(session, order.id))
    history = [
        EventRead(e.at, e.action, e.from_status, e.to_status, json.loads(e.detail or "{}"))
        for e in session.connection().execute(_EVENTS, {"oid": order.id})
    ]
    sheet = checklist.evaluate(read, ticked(session, order.id), local_today(now))
    return OrderDetail(read, history, sheet)


def search_key(code: str, name: str, phone: str) -> str:
    folded, squashed = fold(code), squash(code)
    # A code without separators (a marketplace's) is written once: every letter is indexed.
    codes = folded if folded == squashed else f"{folded} {squashed}"
    return f"{codes} {fold(name)} {validation.phone_search_forms(phone)}"


_total = (_o.c.subtotal + _o.c.shipping_fee - _o.c.discount).label("total")
_ROW_COLUMNS = (
    _o.c.id,
    _o.c.code,
    _o.c.status,
    _o.c.created_at,
    _o.c.name,
    _o.c.phone,
    _o.c.province_name,
    _total,
    _o.c.cod,
    _o.c.channel,
)


_search = sa.table("order_search", sa.column("rowid"), sa.column("order_search"))


def has_search_index(session: Session) -> bool:
    """Whether this database has the FTS5 trigram index (SQLite built with FTS5)."""
    conn = session.connection()
    if "order_search" not in conn.info:
        conn.info["order_search"] = (
            conn.dialect.name == "sqlite"
            and conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = 'order_search'"
            ).first()
            is not None
        )
    return bool(conn.info["order_search"])


def _filter(query: Any, status: OrderStatus | None, search: str, indexed: bool = False) -> Any:
    """Status and search conditions. Words of three letters or more go through the trigram
    index when there is one, joined so that it streams row ids: a scan of 100,000 rows takes
    ~100 ms, the index a few. Pages are ordered with `_newest_first`."""
    if status is not None:
        query = query.where(_o.c.status == status)
    words = search_words(search)
    long_words = [w for w in words if len(w) >= 3] if indexed else []
    if long_words:
        phrase = " ".join('"' + w.replace('"', '""') + '"' for w in long_words)
        query = query.join_from(_o, _search, _search.c.rowid == _o.c.id).where(
            _search.c.order_search.op("MATCH")(phrase)
        )
    for word in words:
        if word not in long_words:
            query = query.where(_o.c.search_key.contains(word, autoescape=True))
    return query


def _newest_first(query: Any) -> Any:
    """Newest orders first: by the index's row id when it is joined (it then streams in
    that order and LIMIT stops it early), else by the orders' own id."""
    joined = any(_search in find_tables(f) for f in query.get_final_froms())
    return query.order_by(_search.c.rowid.desc() if joined else _o.c.id.desc())


def list_rows(
    session: Session,
    *,
    status: OrderStatus | None = None,
    search: str = "",
    offset: int = 0,
    limit: int = 100,
) -> list[OrderRow]:
    """A page of the orders table, newest first."""
    query = _filter(sa.select(*_ROW_COLUMNS), status, search, has_search_index(session))
    query = _newest_first(query).offset(offset).limit(limit)
    return [OrderRow(*row) for row in session.connection().execute(query)]


_BY_PHONE = (
    sa.select(*_ROW_COLUMNS)
    .where(_o.c.phone == sa.bindparam("phone"))
    .order_by(_o.c.id.desc())
    .limit(sa.bindparam("limit"))
)
# Pending orders, the most urgent first: a deliver-by date before none, then the oldest.
_QUEUE = (
    sa.select(*_ROW_COLUMNS, _o.c.deliver_by)
    .where(_o.c.status == OrderStatus.PENDING)
    .order_by(_o.c.deliver_by.is_(None), _o.c.deliver_by, _o.c.created_at, _o.c.id)
)


def rows_for_phone(session: Session, phone: str, *, limit: int = 5) -> list[OrderRow]:
    """A customer's latest orders, by their normalized phone."""
    rows = session.connection().execute(_BY_PHONE, {"phone": phone, "limit": limit})
    return [OrderRow(*row) for row in rows]


def confirm_queue(session: Session) -> list[OrderRow]:
    """The orders waiting for confirmation, in the order a seller should call them."""
    return [OrderRow(*row[:-1]) for row in session.connection().execute(_QUEUE)]


def status_counts(session: Session, *, search: str = "") -> dict[OrderStatus, int]:
    query = _filter(
        sa.select(_o.c.status, sa.func.count()), None, search, has_search_index(session)
    ).group_by(_o.c.status)
    counts = dict.fromkeys(OrderStatus, 0)
    counts.update({status: n for status, n in session.connection().execute(query)})
    return counts


SEARCH_COUNT_CAP = 2000


def search_counts(session: Session, search: str) -> tuple[dict[OrderStatus, int], bool]:
    """Counts per status for the desk's tabs, and whether they were capped.

    Without a search the counts are exact (an index scan). A search stops counting at
    SEARCH_COUNT_CAP matches: "dh26" or "n" match nearly every order, and counting them
    all at each keystroke would cost a tenth of a second on a large shop.
    """
    if not search_words(search):
        return status_counts(session), False
    matching = (
        _filter(sa.select(_o.c.status), None, search, has_search_index(session))
        .limit(SEARCH_COUNT_CAP)
        .subquery()
    )
    query = sa.select(matching.c.status, sa.func.count()).group_by(matching.c.status)
    counts = dict.fromkeys(OrderStatus, 0)
    counts.update({status: n for status, n in session.connection().execute(query)})
    return counts, sum(counts.values()) >= SEARCH_COUNT_CAP


def list_orders(
    session: Session,
    *,
    status: OrderStatus | None = None,
    search: str = "",
    limit: int | None = None,
) -> list[OrderRead]:
    """Whole orders with their lines (for JSON and export), newest first."""
    conn = session.connection()
    query = _newest_first(_filter(sa.select(_o), status, search, has_search_index(session)))
    if limit is not None:
        query = query.limit(limit)
    orders = [stored_order(r) for r in conn.execute(query)]
    by_order: dict[int, list[StoredLine]] = {}
    ids = [o.id for o in orders]
    for start in range(0, len(ids), 500):
        for line in conn.execute(LINES_OF, {"oids": ids[start : start + 500]}):
            by_order.setdefault(line.order_id, []).append(stored_line(line))
    return [to_read(o, by_order.get(o.id, [])) for o in orders]

"""Orders through their life: create, edit, confirm, cancel, pack, ship, deliver, return.

Every function here is one step of a user action inside the caller's transaction. Stock
moves only through `services.ledger.move`; statuses change only through
`models.lifecycle.next_status`; each change leaves a row in the order's history.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.util import find_tables
from sqlmodel import Session

from orderdesk import address, geo, validation
from orderdesk.db import dialect_insert, execute_many, insert_rows
from orderdesk.errors import (
    ChecklistFailed,
    FieldError,
    IllegalTransition,
    InvalidInput,
    NotFound,
    OutOfStock,
    Shortage,
)
from orderdesk.i18n import t
from orderdesk.models.enums import Action, Inspection, MoveKind, OrderStatus, PaymentMethod
from orderdesk.models.inputs import EDITABLE, LineInput, OrderCreate, OrderEdit
from orderdesk.models.lifecycle import HOLDS_STOCK, OUT_OF_SHOP, next_status
from orderdesk.models.reads import (
    EventRead,
    OrderDetail,
    OrderLineRead,
    OrderRead,
    OrderRow,
)
from orderdesk.models.tables import Order, OrderCheck, OrderEvent, OrderLine, Product
from orderdesk.services import checklist, customers, ledger
from orderdesk.services.search import search_words
from orderdesk.text import clean, fold, squash
from orderdesk.timeutil import local_today, to_local, utcnow
from orderdesk.validation import Collector

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")
_STATUS_TIME = {status: f"{status.value}_at" for status in OrderStatus}

# Statements are built once: building one costs ~0.5 ms here, running a built one ~30 µs,
# and saving an order must take milliseconds (PRODUCT.md).
_o = Order.__table__  # type: ignore[attr-defined]
_l = OrderLine.__table__  # type: ignore[attr-defined]
_e = OrderEvent.__table__  # type: ignore[attr-defined]
_LINE_INSERT = sa.insert(_l)
_EVENT_INSERT = sa.insert(_e)
_NEXT_CODES = sa.text(
    "INSERT INTO code_counters (prefix, last) VALUES (:prefix, :n) "
    "ON CONFLICT (prefix) DO UPDATE SET last = code_counters.last + :n RETURNING last"
)
_CODES_TAKEN = sa.select(_o.c.code).where(_o.c.code.in_(sa.bindparam("codes", expanding=True)))
_IDS_OF_CODES = sa.select(_o.c.code, _o.c.id).where(
    _o.c.code.in_(sa.bindparam("codes", expanding=True))
)
_checks = OrderCheck.__table__  # type: ignore[attr-defined]
_LOAD = sa.select(_o).where(_o.c.code == sa.bindparam("code"))
_LINES = sa.select(_l).where(_l.c.order_id == sa.bindparam("oid")).order_by(_l.c.id)
_LINES_OF = (
    sa.select(_l).where(_l.c.order_id.in_(sa.bindparam("oids", expanding=True))).order_by(_l.c.id)
)
# In time order: a carrier file dates what it reports when the courier did it, which may be
# earlier than events recorded before the file was read.
_EVENTS = sa.select(_e).where(_e.c.order_id == sa.bindparam("oid")).order_by(_e.c.at, _e.c.id)
_TICKED = sa.select(_checks.c.item).where(_checks.c.order_id == sa.bindparam("oid"))
_now = sa.bindparam("now", type_=_o.c.updated_at.type)
# One statement per status, each stamping that status's own "entered at" column.
_SET_STATUS = {
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
_pt = Product.__table__  # type: ignore[attr-defined]
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


# ---------------------------------------------------------------------------- validation


def order_code(value: str, field_name: str = "order_code") -> str:
    text = clean(value)
    if not _CODE.match(text):
        raise InvalidInput([FieldError(field_name, "err.code.format", {"value": text})])
    return text


def validate(
    session: Session, data: OrderCreate, *, products: dict[str, ProductRef] | None = None
) -> ValidOrder:
    """Every field of an order checked at once; raises InvalidInput listing all errors.

    `products` (SKU → product) saves a query per order when validating a whole file.
    """
    check = Collector()
    name = check.check(validation.required_text, data.name, "name", max_len=200)
    phone = check.check(validation.phone, data.phone)
    email = check.check(validation.email, data.email)
    district = check.check(validation.optional_text, data.district, "district", max_len=100)
    place = check.check(address.resolve, data.province, data.ward, district or "", data.street)
    # The street is what is left of the line once a ward found inside it is taken out.
    street = check.check(
        validation.required_text, place.street if place else data.street, "street", max_len=300
    )
    channel = check.check(validation.optional_text, data.channel, "channel", max_len=40)
    note = check.check(validation.optional_text, data.note, "note", max_len=2000)
    payment = check.check(validation.choice, data.payment or "cod", "payment", PaymentMethod)
    inspection = check.check(validation.choice, data.inspection or "view", "inspection", Inspection)
    shipping = check.check(validation.money, data.shipping_fee or 0, "shipping_fee")
    discount = check.check(validation.money, data.discount or 0, "discount")
    paid = None if _blank(data.paid) else check.check(validation.money, data.paid, "paid")
    cod = None if _blank(data.cod) else check.check(validation.money, data.cod, "cod")
    deliver_by = (
        None
        if _blank(data.deliver_by)
        else check.check(validation.day, data.deliver_by, "deliver_by")
    )
    code = ""
    if clean(data.code):
        code = check.check(order_code, data.code) or ""
    lines = _validate_lines(session, data.items, check, products)
    check.raise_if_any()
    assert place is not None and payment is not None and inspection is not None
    money = settle(
        sum(line.qty * line.unit_price for line in lines),
        shipping or 0,
        discount or 0,
        paid,
        cod,
        payment,
    )
    if money.discount > money.subtotal + money.shipping_fee:
        check.add("discount", "err.discount.too_large", value=money.discount)
    if money.paid > money.total:
        check.add("paid", "err.paid.too_large", value=money.paid)
    check.raise_if_any()
    subtotal, shipping, discount = money.subtotal, money.shipping_fee, money.discount
    paid, cod = money.paid, money.cod
    return ValidOrder(
        code=code,
        channel=channel or "",
        name=name or "",
        phone=phone or "",
        email=email or "",
        street=street or "",
        province=place.province,
        ward=place.ward,
        district=place.district,
        lines=lines,
        shipping_fee=shipping,
        discount=discount,
        paid=paid,
        cod=cod,
        payment=payment,
        deliver_by=deliver_by,
        inspection=inspection,
        note=note or "",
        subtotal=subtotal,
        old_address=place.written or clean(data.old_address)[:400],
    )


@dataclass(frozen=True)
class Money:
    subtotal: int
    shipping_fee: int
    discount: int
    total: int
    paid: int
    cod: int

    @property
    def owed(self) -> int:
        return self.total - self.paid


def settle(
    subtotal: int,
    shipping_fee: int,
    discount: int,
    paid: int | None,
    cod: int | None,
    payment: PaymentMethod,
) -> Money:
    """An order's money: what is not given follows the payment method. Nothing paid yet on
    COD, everything on prepaid or bank transfer; COD is what is still owed."""
    total = subtotal + shipping_fee - discount
    if paid is None:
        paid = 0 if payment is PaymentMethod.COD else max(total, 0)
    if cod is None:
        cod = max(total - paid, 0)
    return Money(subtotal, shipping_fee, discount, total, paid, cod)


@dataclass(frozen=True)
class QuoteLine:
    sku: str
    name: str
    variant: str
    qty: int
    unit_price: int
    available: int

    @property
    def amount(self) -> int:
        return self.qty * self.unit_price

    @property
    def short(self) -> bool:
        return self.qty > self.available


@dataclass(frozen=True)
class Quote:
    """An order being typed: its lines with what is free on the shelf, and its money."""

    lines: list[QuoteLine]
    money: Money
    unknown: list[str]

    @property
    def short(self) -> list[QuoteLine]:
        return [line for line in self.lines if line.short]


def _lenient(parse: Callable[[object], int], value: object) -> int | None:
    if _blank(value):
        return None
    try:
        return parse(value)
    except InvalidInput:
        return None


def quote(
    session: Session,
    items: Sequence[LineInput],
    *,
    shipping_fee: object = 0,
    discount: object = 0,
    paid: object | None = None,
    cod: object | None = None,
    payment: str = "cod",
    holding: dict[str, int] | None = None,
) -> Quote:
    """Live totals and availability while an order is typed; never raises on bad input
    (saving does, with the reasons). `holding` is what an edited order already reserves."""
    refs = product_refs(session, [clean(item.sku) for item in items])
    free = ledger.available(session, {ref.id for ref in refs.values()})
    held = holding or {}
    lines, unknown = [], []
    for item in items:
        ref = refs.get(clean(item.sku))
        qty = _lenient(validation.quantity, item.qty) or 0
        if ref is None:
            unknown.append(clean(item.sku))
            continue
        price = _lenient(lambda v: validation.money(v, "unit_price"), item.unit_price)
        lines.append(
            QuoteLine(
                ref.sku,
                ref.name,
                _variant(ref),
                qty,
                ref.price if price is None else price,
                free.get(ref.id, 0) + held.get(ref.sku, 0),
            )
        )
    method = (
        PaymentMethod(payment) if payment in PaymentMethod._value2member_map_ else PaymentMethod.COD
    )
    money = settle(
        sum(line.amount for line in lines),
        _lenient(lambda v: validation.money(v, "shipping_fee"), shipping_fee) or 0,
        _lenient(lambda v: validation.money(v, "discount"), discount) or 0,
        _lenient(lambda v: validation.money(v, "paid"), paid),
        _lenient(lambda v: validation.money(v, "cod"), cod),
        method,
    )
    return Quote(lines, money, unknown)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _validate_lines(
    session: Session,
    items: Sequence[LineInput],
    check: Collector,
    known: dict[str, ProductRef] | None,
) -> list[_Line]:
    if not items:
        check.add("items", "err.items.empty")
        return []
    skus = [clean(item.sku) for item in items]
    if known is None:
        products = product_refs(session, skus)
    else:
        products = known
    lines: list[_Line] = []
    seen: dict[str, int] = {}
    for index, (item, sku) in enumerate(zip(items, skus, strict=True)):
        before = len(check.errors)
        qty = check.check(validation.quantity, item.qty, "qty")
        price = (
            None
            if _blank(item.unit_price)
            else check.check(validation.money, item.unit_price, "unit_price")
        )
        product = products.get(sku)
        if not sku:
            check.add("sku", "err.required")
        elif product is None:
            check.add("sku", "err.sku.unknown", sku=sku)
        elif not product.active:
            check.add("sku", "err.sku.inactive", sku=sku)
        elif sku in seen:
            check.add("sku", "err.sku.repeated", sku=sku, line=seen[sku] + 1)
        seen.setdefault(sku, index)
        for position in range(before, len(check.errors)):
            error = check.errors[position]
            check.errors[position] = FieldError(error.field, error.key, error.params, index)
        if len(check.errors) == before and product is not None and qty is not None:
            lines.append(_Line(product, qty, product.price if price is None else price))
    return lines


# ---------------------------------------------------------------------------- reading
#
# Orders and lines are read as plain rows turned into namespaces: the ORM's identity map
# and unit of work cost more than the whole rest of an action here, and every write goes
# through the prebuilt statements above.


def _row(row: sa.Row[Any]) -> SimpleNamespace:
    return SimpleNamespace(**row._mapping)


def _load(session: Session, code: str) -> SimpleNamespace:
    found = session.connection().execute(_LOAD, {"code": clean(code)}).first()
    if found is None:
        raise NotFound("err.order.unknown", code=clean(code))
    return _row(found)


def _lines(session: Session, order_id: int) -> list[SimpleNamespace]:
    return [_row(r) for r in session.connection().execute(_LINES, {"oid": order_id})]


def _to_read(order: Any, lines: Iterable[Any]) -> OrderRead:
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


def get(session: Session, code: str) -> OrderRead:
    order = _load(session, code)
    return _to_read(order, _lines(session, order.id))


def ticked(session: Session, order_id: int) -> set[str]:
    return set(session.connection().execute(_TICKED, {"oid": order_id}).scalars())


def detail(session: Session, code: str, *, now: datetime | None = None) -> OrderDetail:
    order = _load(session, code)
    read = _to_read(order, _lines(session, order.id))
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
    orders = [_row(r) for r in conn.execute(query)]
    by_order: dict[int, list[SimpleNamespace]] = {}
    ids = [o.id for o in orders]
    for start in range(0, len(ids), 500):
        for line in conn.execute(_LINES_OF, {"oids": ids[start : start + 500]}):
            by_order.setdefault(line.order_id, []).append(_row(line))
    return [_to_read(o, by_order.get(o.id, [])) for o in orders]


# ---------------------------------------------------------------------------- writing helpers


def _record(
    session: Session,
    order_id: int,
    action: str,
    before: OrderStatus | None,
    after: OrderStatus | None,
    now: datetime,
    **detail: Any,
) -> None:
    session.connection().execute(
        _EVENT_INSERT,
        {
            "order_id": order_id,
            "at": now,
            "action": action,
            "from_status": before,
            "to_status": after,
            "detail": json.dumps(detail, ensure_ascii=False, default=str) if detail else "",
        },
    )


def _enter(session: Session, order: SimpleNamespace, status: OrderStatus, now: datetime) -> None:
    session.connection().execute(_SET_STATUS[status], {"oid": order.id, "now": now})
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


# ---------------------------------------------------------------------------- create and edit


def create(
    session: Session,
    data: OrderCreate,
    *,
    allow_backorder: bool = False,
    now: datetime | None = None,
) -> OrderRead:
    """Validate, normalize, and save a new order with its stock reserved.

    Without `allow_backorder`, an order that cannot be fully reserved raises OutOfStock and
    nothing is saved; with it, the order waits in `awaiting_stock`.
    """
    return create_valid(session, validate(session, data), allow_backorder=allow_backorder, now=now)


def create_valid(
    session: Session,
    item: ValidOrder,
    *,
    allow_backorder: bool = False,
    now: datetime | None = None,
) -> OrderRead:
    """`create` for an order already through `validate`."""
    return create_many(session, [item], allow_backorder=allow_backorder, now=now)[0]


def _fields(item: ValidOrder, code: str) -> dict[str, Any]:
    """The order columns a validated order decides (create and edit alike)."""
    return dict(
        channel=item.channel,
        name=item.name,
        phone=item.phone,
        email=item.email,
        street=item.street,
        ward_code=item.ward.code,
        ward_name=item.ward.name,
        province_code=item.province.code,
        province_name=item.province.name,
        district=item.district,
        old_address=item.old_address,
        subtotal=item.subtotal,
        shipping_fee=item.shipping_fee,
        discount=item.discount,
        paid=item.paid,
        cod=item.cod,
        payment=item.payment,
        deliver_by=item.deliver_by,
        inspection=item.inspection,
        note=item.note,
        search_key=search_key(code, item.name, item.phone),
    )


def _contact(item: ValidOrder) -> customers.Contact:
    return customers.Contact(
        item.phone, item.name, item.email, item.street, item.ward.code, item.province.code
    )


@dataclass
class _Plan:
    """What creating one order of a batch comes to: its statuses in turn and its stock."""

    wants: list[ledger.Want]
    walked: list[tuple[Action, OrderStatus, OrderStatus]]  # (action, from, to)
    status: OrderStatus  # where it ends

    @property
    def started(self) -> OrderStatus:
        return self.walked[0][1] if self.walked else self.status


def _plan(code: str, wants: list[ledger.Want], path: Sequence[Action]) -> _Plan:
    """Walk the state machine from pending; every step must be allowed."""
    walked = []
    status = OrderStatus.PENDING
    for action in path:
        if action not in _BATCH_ACTIONS:
            raise IllegalTransition(code, status, action)
        target = next_status(code, status, action)
        walked.append((action, status, target))
        status = target
    return _Plan(wants, walked, status)


def create_many(
    session: Session,
    items: Sequence[ValidOrder],
    *,
    allow_backorder: bool = False,
    now: datetime | None = None,
    paths: Sequence[Sequence[Action]] | None = None,
    extra: Sequence[Mapping[str, Any]] | None = None,
) -> list[OrderRead]:
    """Save validated orders in the given order, each reserved or (if allowed) waiting.

    One statement per kind of row for the whole batch: an import of 5,000 orders runs a
    few dozen statements instead of 45,000. Orders earlier in the batch get stock first.

    `paths` (one per order) moves each new order on at once, as a marketplace export
    brings orders already shipped or cancelled: the steps are the state machine's (see
    `advance_many`), written to the history, and the stock ledger gets the net movement
    (a shipped order: its goods leave; a cancelled one: nothing held). An order short of
    stock waits in `awaiting_stock` and takes no step. `extra` (one per order) sets
    columns the file knows and the form does not: when it was placed, its tracking number.
    """
    moment = now or utcnow()
    conn = session.connection()
    given = [item.code for item in items if item.code]
    for start in range(0, len(given), 500):
        taken = conn.execute(_CODES_TAKEN, {"codes": given[start : start + 500]}).scalars().first()
        if taken is not None:
            raise InvalidInput([FieldError("order_code", "err.code.taken", {"value": taken})])
    free = ledger.available(session, {line.product.id for item in items for line in item.lines})
    plans: list[_Plan] = []
    for index, item in enumerate(items):
        wants = [ledger.Want(line.product.id, line.product.sku, line.qty) for line in item.lines]
        plan = _plan(item.code, wants, paths[index] if paths else ())
        # Held or gone to the buyer: it needs the goods. Cancelled, or sent back already:
        # it needs none (a shipment and its return cancel out).
        if plan.status not in HOLDS_STOCK and plan.status not in OUT_OF_SHOP:
            plans.append(plan)
            continue
        short = [
            Shortage(w.sku, w.qty, free.get(w.product_id, 0))
            for w in wants
            if w.qty > free.get(w.product_id, 0)
        ]
        if short and not allow_backorder:
            raise OutOfStock(short)
        if short:
            plans.append(_Plan(wants, [], OrderStatus.AWAITING_STOCK))
            continue
        for want in wants:
            free[want.product_id] -= want.qty
        plans.append(plan)
    customer_ids = customers.remember_many(session, [_contact(i) for i in items], now=moment)
    new_codes = iter(_next_codes(session, moment, sum(1 for item in items if not item.code)))
    rows: list[dict[str, Any]] = []
    for item, plan in zip(items, plans, strict=True):
        code = item.code or next(new_codes)
        values: dict[str, Any] = dict(
            _fields(item, code),
            code=code,
            customer_id=customer_ids[item.phone],
            status=plan.status,
            cancel_reason="",
            created_at=moment,
            updated_at=moment,
            **{column: None for column in _STATUS_TIME.values()},
        )
        values[_STATUS_TIME[plan.started]] = moment
        for _, _, entered in plan.walked:
            values[_STATUS_TIME[entered]] = moment
        rows.append(values)
    if extra:
        # Same keys on every row (one executemany): a column missing here keeps its value.
        keys = {key for more in extra for key in more}
        unset = {
            key: _o.c[key].default.arg if _o.c[key].default is not None else None for key in keys
        }
        for values, more in zip(rows, extra, strict=True):
            for key in keys:
                values[key] = more.get(key, values.get(key, unset[key]))
    # A plain executemany, then the ids by code: SQLite cannot return ids from one, and
    # RETURNING made SQLAlchemy send 11,000 orders one statement each (2 s instead of 0.2).
    insert_rows(conn, _o, rows)
    codes = [values["code"] for values in rows]
    by_code: dict[str, int] = {}
    for start in range(0, len(codes), 500):
        by_code.update(conn.execute(_IDS_OF_CODES, {"codes": codes[start : start + 500]}).all())
    lines: list[list[dict[str, Any]]] = []
    moves: list[ledger.Move] = []
    freed: set[int] = set()
    for values, item, plan in zip(rows, items, plans, strict=True):
        order_id = values["id"] = by_code[values["code"]]
        held = plan.status in HOLDS_STOCK
        lines.append(
            [
                dict(
                    order_id=order_id,
                    product_id=line.product.id,
                    sku=line.product.sku,
                    name=line.product.name,
                    variant=_variant(line.product),
                    qty=line.qty,
                    unit_price=line.unit_price,
                    reserved=line.qty if held else 0,
                )
                for line in item.lines
            ]
        )
        for action, _, _ in plan.walked:
            if action is Action.SHIP:
                moves += [
                    ledger.Move(w.product_id, MoveKind.SHIP, -w.qty, 0, order_id)
                    for w in plan.wants
                ]
            elif action is Action.MARK_RETURNED:
                moves += [
                    ledger.Move(w.product_id, MoveKind.RETURN, w.qty, 0, order_id)
                    for w in plan.wants
                ]
                freed |= {w.product_id for w in plan.wants}
    insert_rows(conn, _l, [line for order_lines in lines for line in order_lines])
    ledger.reserve_lines(
        session,
        [
            (values["id"], want)
            for values, plan in zip(rows, plans, strict=True)
            if plan.status in HOLDS_STOCK
            for want in plan.wants
        ],
        now=moment,
    )
    ledger.move_many(session, moves, now=moment)
    events = []
    for values, plan in zip(rows, plans, strict=True):
        short = plan.status is OrderStatus.AWAITING_STOCK
        events.append(
            {
                "order_id": values["id"],
                "at": moment,
                "action": "create",
                "from_status": None,
                "to_status": plan.started,
                "detail": json.dumps({"short": [w.sku for w in plan.wants]}, ensure_ascii=False)
                if short
                else "",
            }
        )
        events += [
            {
                "order_id": values["id"],
                "at": moment,
                "action": action.value,
                "from_status": before,
                "to_status": after,
                "detail": "",
            }
            for action, before, after in plan.walked
        ]
    insert_rows(conn, _e, events)
    if freed:
        allocate_waiting(session, freed, now=moment)
    return [
        _to_read(SimpleNamespace(**values), [SimpleNamespace(**line) for line in order_lines])
        for values, order_lines in zip(rows, lines, strict=True)
    ]


def _current_input(order: Any, lines: Sequence[Any]) -> OrderCreate:
    return OrderCreate(
        name=order.name,
        phone=order.phone,
        email=order.email,
        street=order.street,
        ward=str(order.ward_code),
        province=str(order.province_code),
        district=order.district,
        channel=order.channel,
        shipping_fee=order.shipping_fee,
        discount=order.discount,
        paid=order.paid,
        cod=order.cod,
        payment=order.payment.value,
        deliver_by=order.deliver_by,
        inspection=order.inspection.value,
        note=order.note,
        items=[LineInput(line.sku, line.qty, line.unit_price) for line in lines],
    )


_EDIT_SNAPSHOT = (
    "name",
    "phone",
    "email",
    "street",
    "ward_name",
    "province_name",
    "district",
    "channel",
    "subtotal",
    "shipping_fee",
    "discount",
    "paid",
    "cod",
    "payment",
    "deliver_by",
    "inspection",
    "note",
)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def edit(
    session: Session,
    code: str,
    changes: OrderEdit,
    *,
    allow_backorder: bool = False,
    now: datetime | None = None,
) -> OrderRead:
    """Change a pending (or waiting) order; reservations follow the new quantities.

    A pending order that would need more stock than is free raises OutOfStock, unless
    `allow_backorder`, which sends it to wait in `awaiting_stock`. A waiting order is
    served at once if the new lines can be. Editing clears the manual checklist ticks:
    what was confirmed with the customer has changed.
    """
    moment = now or utcnow()
    conn = session.connection()
    order = _load(session, code)
    next_status(order.code, order.status, Action.EDIT)
    lines = _lines(session, order.id)
    data = _current_input(order, lines)
    for name in EDITABLE:
        value = getattr(changes, name)
        if value is not None:
            setattr(data, name, value)
    if changes.paid is None and changes.payment is not None:
        data.paid = None  # a new payment method implies its own default
    if changes.cod is None and any(
        getattr(changes, name) is not None
        for name in ("items", "shipping_fee", "discount", "paid", "payment")
    ):
        # COD follows the total unless the seller sets it; an explicit COD is kept.
        data.cod = None
    if changes.items is not None:
        data.items = changes.items
    item = validate(session, data)
    if not item.old_address and item.ward.code == order.ward_code:
        # Same ward: the buyer's old address still explains it.
        item = dataclasses.replace(item, old_address=order.old_address)

    before = {name: _plain(getattr(order, name)) for name in _EDIT_SNAPSHOT}
    old_qty = {line.sku: line.qty for line in lines}
    was = order.status

    # Lines: remove, change, add. Quantities going down give stock back at once.
    by_sku = {line.sku: line for line in lines}
    wanted = {line.product.sku: line for line in item.lines}
    freed = _release(
        session, order, [ln for sku, ln in by_sku.items() if sku not in wanted], moment
    )
    for sku, line in by_sku.items():
        if sku not in wanted:
            conn.execute(_DELETE_LINE, {"lid": line.id})
    kept: list[SimpleNamespace] = []
    for sku, new in wanted.items():
        line = by_sku.get(sku)
        if line is None:
            values = dict(
                order_id=order.id,
                product_id=new.product.id,
                sku=sku,
                name=new.product.name,
                variant=_variant(new.product),
                qty=new.qty,
                unit_price=new.unit_price,
                reserved=0,
            )
            values["id"] = conn.execute(_LINE_INSERT, values).inserted_primary_key[0]  # type: ignore[index]
            line = SimpleNamespace(**values)
        else:
            if line.reserved > new.qty:
                ledger.move(
                    session,
                    line.product_id,
                    MoveKind.RELEASE,
                    reserved=new.qty - line.reserved,
                    order_id=order.id,
                    now=moment,
                )
                freed.add(line.product_id)
                line.reserved = new.qty
            line.qty, line.unit_price = new.qty, new.unit_price
            conn.execute(
                _SET_LINE, {"lid": line.id, "q": line.qty, "p": line.unit_price, "r": line.reserved}
            )
        kept.append(line)

    short = _reserve(session, order, kept, moment)
    if was is OrderStatus.PENDING and short:
        if not allow_backorder:
            raise OutOfStock(short)
        freed |= _release(session, order, kept, moment)
    status = OrderStatus.AWAITING_STOCK if short else OrderStatus.PENDING

    fields = dict(
        _fields(item, order.code),
        updated_at=moment,
    )
    if item.phone != order.phone or item.name != order.name:
        fields["customer_id"] = customers.remember(session, _contact(item), now=moment)
    conn.execute(sa.update(_o).where(_o.c.id == order.id).values(**fields))
    for name, value in fields.items():
        setattr(order, name, value)
    if status is not was:
        _enter(session, order, status, moment)

    after = {name: _plain(getattr(order, name)) for name in _EDIT_SNAPSHOT}
    changed = {n: [before[n], after[n]] for n in _EDIT_SNAPSHOT if before[n] != after[n]}
    new_qty = {line.sku: line.qty for line in kept}
    line_changes = {
        sku: [old_qty.get(sku, 0), new_qty.get(sku, 0)]
        for sku in sorted(set(old_qty) | set(new_qty))
        if old_qty.get(sku, 0) != new_qty.get(sku, 0)
    }
    if changed or line_changes or status is not was:
        _record(session, order.id, "edit", was, status, moment, changes=changed, lines=line_changes)
        conn.execute(_CLEAR_TICKS, {"oid": order.id})
    if freed:
        allocate_waiting(session, freed, now=moment)
    return _to_read(order, kept)


# ---------------------------------------------------------------------------- lifecycle


def _tick(session: Session, order_id: int, item: str, on: bool, now: datetime) -> None:
    conn = session.connection()
    if not on:
        conn.execute(_UNTICK, {"oid": order_id, "item": item})
        return
    name = conn.dialect.name
    if name not in _TICKS:
        _TICKS[name] = dialect_insert(session)(_checks).on_conflict_do_nothing()
    conn.execute(_TICKS[name], {"order_id": order_id, "item": item, "ticked_at": now})


def tick(
    session: Session, code: str, item: str, *, on: bool = True, now: datetime | None = None
) -> None:
    """Tick (or untick) one manual checklist item."""
    if item not in checklist.MANUAL_ITEMS:
        raise InvalidInput([FieldError("check", "err.check.unknown", {"value": item})])
    order = _load(session, code)
    _tick(session, order.id, item, on, now or utcnow())


def confirm(
    session: Session, code: str, *, tick_all: bool = False, now: datetime | None = None
) -> OrderRead:
    """Confirm a pending order whose checklist passes.

    `tick_all` is the seller asserting that every manual item was checked with the
    customer; automatic checks are never skipped.
    """
    moment = now or utcnow()
    order = _load(session, code)
    next_status(order.code, order.status, Action.CONFIRM)
    if tick_all:
        for item in checklist.MANUAL_ITEMS:
            _tick(session, order.id, item, True, moment)
    lines = _lines(session, order.id)
    sheet = checklist.evaluate(
        _to_read(order, lines), ticked(session, order.id), local_today(moment)
    )
    if not sheet.passed:
        reasons = [
            t("check." + item.key)
            + (f" ({t(item.reason_key, **item.reason_params)})" if item.automatic else "")
            for item in sheet.failing
        ]
        raise ChecklistFailed(order.code, reasons)
    return _transition(session, order, lines, Action.CONFIRM, moment)


def cancel(
    session: Session, code: str, *, reason: str = "", now: datetime | None = None
) -> OrderRead:
    moment = now or utcnow()
    why = validation.optional_text(reason, "reason", max_len=500)
    order = _load(session, code)
    next_status(order.code, order.status, Action.CANCEL)
    session.connection().execute(_SET_CANCEL_REASON, {"oid": order.id, "reason": why})
    order.cancel_reason = why
    return _transition(
        session, order, _lines(session, order.id), Action.CANCEL, moment, reason=why or None
    )


def apply(
    session: Session,
    code: str,
    action: Action,
    *,
    now: datetime | None = None,
    reason: str = "",
    tick_all: bool = False,
) -> OrderRead:
    """Run `action` on the order `code`: the one entry point the CLI and imports use."""
    if action is Action.CONFIRM:
        return confirm(session, code, tick_all=tick_all, now=now)
    if action is Action.CANCEL:
        return cancel(session, code, reason=reason, now=now)
    if action in (Action.EDIT, Action.ALLOCATE):
        raise InvalidInput([FieldError("action", "err.action.not_direct", {"action": action})])
    note = validation.optional_text(reason, "reason", max_len=500)
    order = _load(session, code)
    return _transition(
        session, order, _lines(session, order.id), action, now or utcnow(), note=note or None
    )


def _transition(
    session: Session,
    order: SimpleNamespace,
    lines: list[SimpleNamespace],
    action: Action,
    now: datetime,
    **detail: Any,
) -> OrderRead:
    was = order.status
    target = next_status(order.code, was, action)
    freed: set[int] = set()
    if action is Action.CANCEL and was in HOLDS_STOCK:
        freed = _release(session, order, lines, now)
    elif action is Action.SHIP:
        for line in lines:
            ledger.move(
                session,
                line.product_id,
                MoveKind.SHIP,
                on_hand=-line.qty,
                reserved=-line.reserved,
                order_id=order.id,
                now=now,
            )
        _set_reserved(session, lines, "zero")
    elif action is Action.MARK_RETURNED:
        for line in lines:
            ledger.move(
                session,
                line.product_id,
                MoveKind.RETURN,
                on_hand=line.qty,
                order_id=order.id,
                now=now,
            )
            freed.add(line.product_id)
    _enter(session, order, target, now)
    _record(
        session,
        order.id,
        action.value,
        was,
        target,
        now,
        **{k: v for k, v in detail.items() if v is not None},
    )
    if freed:
        allocate_waiting(session, freed, now=now)
    return _to_read(order, lines)


# Per status: stamp the moment an order entered it (the final status is written apart).
_STAMP = {
    status: sa.update(_o)
    .where(_o.c.id == sa.bindparam("oid"))
    .values({f"{status.value}_at": sa.bindparam("t", type_=_o.c.updated_at.type)})
    for status in OrderStatus
}
_FINAL = (
    sa.update(_o)
    .where(_o.c.id == sa.bindparam("oid"))
    .values(status=sa.bindparam("st"), updated_at=sa.bindparam("t", type_=_o.c.updated_at.type))
)
_IDS_BY_CODE = sa.select(_o.c.id, _o.c.code, _o.c.status).where(
    _o.c.code.in_(sa.bindparam("codes", expanding=True))
)
# What `advance_many` may do: confirmation there is the marketplace's, so no checklist.
_BATCH_ACTIONS = frozenset(
    {
        Action.CONFIRM,
        Action.PACK,
        Action.SHIP,
        Action.DELIVER,
        Action.CANCEL,
        Action.START_RETURN,
        Action.MARK_RETURNED,
    }
)


def advance_many(
    session: Session,
    steps: Mapping[str, Sequence[Action]],
    *,
    now: datetime | None = None,
    reason: str = "",
    **detail: Any,
) -> dict[str, OrderStatus]:
    """Run each order's actions in turn, for thousands of orders in a few statements: an
    import bringing orders that a marketplace already moved on. Every step is checked by
    the state machine (IllegalTransition stops the whole action); stock moves go through
    the ledger in one batch. CONFIRM here skips the phone checklist: the marketplace
    confirmed the order. Returns each order's new status."""
    moment = now or utcnow()
    codes = [c for c, acts in steps.items() if acts]
    if not codes:
        return {}
    conn = session.connection()
    heads: dict[str, Any] = {}
    for start in range(0, len(codes), 500):
        for row in conn.execute(_IDS_BY_CODE, {"codes": codes[start : start + 500]}):
            heads[row.code] = row
    missing = [c for c in codes if c not in heads]
    if missing:
        raise NotFound("err.order.unknown", code=missing[0])
    ids = [heads[c].id for c in codes]
    lines: dict[int, list[Any]] = {}
    for start in range(0, len(ids), 500):
        for row in conn.execute(_LINES_OF, {"oids": ids[start : start + 500]}):
            lines.setdefault(row.order_id, []).append(row)
    moves: list[ledger.Move] = []
    zeroed: list[dict[str, int]] = []
    stamps: dict[OrderStatus, list[dict[str, Any]]] = {}
    history: list[dict[str, Any]] = []
    final: dict[str, OrderStatus] = {}
    cancelled: list[dict[str, Any]] = []
    freed: set[int] = set()
    text = json.dumps(detail, ensure_ascii=False, default=str) if detail else ""
    for code in codes:
        head = heads[code]
        status = head.status
        held = {ln.id: ln.reserved for ln in lines.get(head.id, [])}
        for action in steps[code]:
            if action not in _BATCH_ACTIONS:
                raise IllegalTransition(code, status, action)
            target = next_status(code, status, action)
            order_lines = lines.get(head.id, [])
            if action is Action.CANCEL and status in HOLDS_STOCK:
                for ln in order_lines:
                    if held[ln.id]:
                        moves.append(
                            ledger.Move(
                                ln.product_id, MoveKind.RELEASE, reserved=-held[ln.id],
                                order_id=head.id,
                            )
                        )  # fmt: skip
                        freed.add(ln.product_id)
                        held[ln.id] = 0
                        zeroed.append({"lid": ln.id, "r": 0})
                cancelled.append({"oid": head.id, "reason": reason})
            elif action is Action.SHIP:
                for ln in order_lines:
                    moves.append(
                        ledger.Move(
                            ln.product_id, MoveKind.SHIP, on_hand=-ln.qty,
                            reserved=-held[ln.id], order_id=head.id,
                        )
                    )  # fmt: skip
                    if held[ln.id]:
                        held[ln.id] = 0
                        zeroed.append({"lid": ln.id, "r": 0})
            elif action is Action.MARK_RETURNED:
                for ln in order_lines:
                    moves.append(
                        ledger.Move(
                            ln.product_id, MoveKind.RETURN, on_hand=ln.qty, order_id=head.id
                        )
                    )
                    freed.add(ln.product_id)
            stamps.setdefault(target, []).append({"oid": head.id, "t": moment})
            history.append(
                {
                    "order_id": head.id,
                    "at": moment,
                    "action": action.value,
                    "from_status": status,
                    "to_status": target,
                    "detail": text,
                }
            )
            status = target
        final[code] = status
    ledger.move_many(session, moves, now=moment)
    execute_many(conn, _SET_RESERVED, zeroed)
    for status, rows in stamps.items():
        execute_many(conn, _STAMP[status], rows)
    execute_many(
        conn, _FINAL, [{"oid": heads[c].id, "st": st, "t": moment} for c, st in final.items()]
    )
    execute_many(conn, _SET_CANCEL_REASON, cancelled)
    insert_rows(conn, _e, history)
    if freed:
        allocate_waiting(session, freed, now=moment)
    return final


def allocate_waiting(
    session: Session, product_ids: Iterable[int], *, now: datetime | None = None
) -> list[str]:
    """Serve orders waiting for these SKUs, oldest first; return the codes now pending.

    An order is served only whole (a parcel ships complete); one that still cannot be
    filled keeps its place and the next one is tried.
    """
    ids = set(product_ids)
    if not ids:
        return []
    moment = now or utcnow()
    conn = session.connection()
    waiting = [_row(r) for r in conn.execute(_WAITING, {"ids": sorted(ids)})]
    served: list[str] = []
    for order in waiting:
        if _reserve(session, order, _lines(session, order.id), moment):
            continue
        _enter(session, order, OrderStatus.PENDING, moment)
        _record(
            session,
            order.id,
            Action.ALLOCATE.value,
            OrderStatus.AWAITING_STOCK,
            OrderStatus.PENDING,
            moment,
        )
        served.append(order.code)
    return served

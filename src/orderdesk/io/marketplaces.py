"""Order exports from Shopee, TikTok Shop and Lazada, read as each marketplace writes them.

One row per item (Lazada: per unit), order columns repeated; XLSX or CSV; Vietnamese or
English headers, matched after folding (`Mã đơn hàng` = `ma don hang`); the header row
need not be the first, and TikTok's field-description row under it is skipped. Money is
text such as `90.000`; dates are in each source's own format; IDs stay text (a TikTok ID
has 18 digits, more than a float holds).

The marketplace's order ID becomes our order code unchanged. Importing the same export
again changes nothing; a newer one moves orders to their new status through the state
machine (a cancellation releases the stock) and sets new tracking numbers. Any other
difference (address, items, money) is listed, never written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from orderdesk.carriers import REGISTRY
from orderdesk.db import execute_many
from orderdesk.errors import ImportRejected, InvalidInput, OrderdeskError, RowError
from orderdesk.gcpause import gc_paused
from orderdesk.i18n import t
from orderdesk.io.carrier_files import parse_time
from orderdesk.io.common import row_errors
from orderdesk.io.sheets import Sheet, read_table
from orderdesk.models import lifecycle
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.models.inputs import LineInput, OrderCreate
from orderdesk.models.money import format_money, parse_money
from orderdesk.models.tables import Order, OrderLine
from orderdesk.services import orders
from orderdesk.text import clean, fold
from orderdesk.timeutil import local_tz, utcnow
from orderdesk.validation import display_phone

S = OrderStatus
_o = Order.__table__  # type: ignore[attr-defined]


class Market(StrEnum):
    """Where the marketplace says the order is, in our words."""

    WAITING = "waiting"  # not yet confirmed or paid
    TO_SHIP = "to_ship"
    SHIPPING = "shipping"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    RETURNED = "returned"


TARGET = {
    Market.WAITING: S.PENDING,
    Market.TO_SHIP: S.CONFIRMED,
    Market.SHIPPING: S.SHIPPED,
    Market.COMPLETED: S.DELIVERED,
    Market.CANCELLED: S.CANCELLED,
    Market.RETURNED: S.RETURNED,
}


@dataclass(frozen=True, eq=False)  # compared (and cached) by identity
class Source:
    id: str
    name: str
    channel: str
    # field → header spellings (folded), first found wins
    columns: dict[str, tuple[str, ...]]
    order_id: re.Pattern[str]
    statuses: dict[str, Market]  # folded status text (or its start) → ours
    per_unit: bool = False  # Lazada: a row per unit, no quantity column


def _f(*names: str) -> tuple[str, ...]:
    return names  # as the marketplaces write them; compared folded


SHOPEE = Source(
    "shopee",
    "Shopee",
    "shopee",
    {
        "order_id": _f("Mã đơn hàng", "Order ID"),
        "status": _f("Trạng Thái Đơn Hàng", "Order Status"),
        "created": _f("Ngày đặt hàng", "Order Creation Date"),
        "tracking": _f("Mã vận đơn", "Tracking Number*", "Tracking Number"),
        "carrier": _f("Đơn Vị Vận Chuyển", "Shipping Option"),
        "sku": _f("SKU phân loại hàng", "SKU Reference No."),
        "parent_sku": _f("SKU sản phẩm", "Parent SKU Reference No."),
        "product": _f("Tên sản phẩm", "Product Name"),
        "variation": _f("Tên phân loại hàng", "Variation Name"),
        "unit_price": _f("Giá gốc", "Original Price"),
        "deal_price": _f("Giá ưu đãi", "Deal Price"),
        "qty": _f("Số lượng", "Quantity"),
        "shipping_fee": _f("Phí vận chuyển mà người mua trả", "Buyer Paid Shipping Fee"),
        "shop_discount": _f("Mã giảm giá của Shop", "Seller Voucher"),
        "platform_discount": _f("Mã giảm giá của Shopee", "Shopee Voucher"),
        "total": _f("Tổng số tiền người mua thanh toán", "Grand Total"),
        "payment": _f("Phương thức thanh toán", "Payment Method"),
        "name": _f("Tên Người nhận", "Receiver Name"),
        "phone": _f("Số điện thoại", "Phone Number"),
        "province": _f("Tỉnh/Thành phố", "Province"),
        "district": _f("TP / Quận / Huyện", "City"),
        "ward": _f("Quận", "Phường/Xã", "District"),
        "street": _f("Địa chỉ nhận hàng", "Delivery Address"),
        "note": _f("Ghi chú", "Remark from buyer"),
    },
    re.compile(r"^\d{6}[0-9A-Z]{8}$"),
    {
        fold("Chờ xác nhận"): Market.WAITING,
        fold("Chờ thanh toán"): Market.WAITING,
        fold("Unpaid"): Market.WAITING,
        fold("Chờ lấy hàng"): Market.TO_SHIP,
        fold("Chờ giao hàng"): Market.TO_SHIP,
        fold("To ship"): Market.TO_SHIP,
        fold("Đang giao"): Market.SHIPPING,
        fold("Shipping"): Market.SHIPPING,
        fold("Đã giao"): Market.COMPLETED,
        fold("Hoàn thành"): Market.COMPLETED,
        fold("Completed"): Market.COMPLETED,
        # "Người mua xác nhận đã nhận được hàng. Shopee sẽ thanh toán…": the start suffices.
        fold("Người mua xác nhận đã nhận được hàng"): Market.COMPLETED,
        fold("Đã hủy"): Market.CANCELLED,
        fold("Cancelled"): Market.CANCELLED,
        fold("Trả hàng/Hoàn tiền"): Market.RETURNED,
        fold("Return/Refund"): Market.RETURNED,
    },
)

TIKTOK = Source(
    "tiktok",
    "TikTok Shop",
    "tiktok",
    {
        "order_id": _f("Order ID", "Mã đơn hàng"),
        "status": _f("Order Status", "Trạng thái đơn hàng"),
        "created": _f("Created Time", "Thời gian tạo"),
        "tracking": _f("Tracking ID", "Mã vận đơn"),
        "carrier": _f("Shipping Provider Name", "Đơn vị vận chuyển"),
        "sku": _f("Seller SKU", "SKU người bán"),
        "product": _f("Product Name", "Tên sản phẩm"),
        "variation": _f("Variation", "Phân loại"),
        "unit_price": _f("SKU Unit Original Price", "Giá gốc"),
        "line_paid": _f("SKU Subtotal After Discount", "Tổng phụ sau giảm giá"),
        "qty": _f("Quantity", "Số lượng"),
        "shipping_fee": _f("Shipping Fee After Discount", "Phí vận chuyển sau giảm giá"),
        "shop_discount": _f("SKU Seller Discount", "Giảm giá của người bán"),
        "platform_discount": _f("SKU Platform Discount", "Giảm giá của nền tảng"),
        "total": _f("Order Amount", "Tổng tiền đơn hàng"),
        "payment": _f("Payment Method", "Phương thức thanh toán"),
        "name": _f("Recipient", "Người nhận"),
        "phone": _f("Phone #", "Số điện thoại"),
        "province": _f("Province", "Tỉnh/Thành phố"),
        "district": _f("District", "Quận/Huyện"),
        "ward": _f("Commune", "Phường/Xã"),
        "street": _f("Detail Address", "Địa chỉ chi tiết"),
        "note": _f("Buyer Message", "Lời nhắn của người mua"),
    },
    re.compile(r"^\d{15,20}$"),
    {
        fold("Unpaid"): Market.WAITING,
        fold("Chưa thanh toán"): Market.WAITING,
        fold("On hold"): Market.WAITING,
        fold("Awaiting shipment"): Market.TO_SHIP,
        fold("To ship"): Market.TO_SHIP,
        fold("Chờ giao hàng"): Market.TO_SHIP,
        fold("Awaiting collection"): Market.TO_SHIP,
        fold("Chờ lấy hàng"): Market.TO_SHIP,
        fold("In transit"): Market.SHIPPING,
        fold("Shipped"): Market.SHIPPING,
        fold("Đang vận chuyển"): Market.SHIPPING,
        fold("Đang giao"): Market.SHIPPING,
        fold("Delivered"): Market.COMPLETED,
        fold("Completed"): Market.COMPLETED,
        fold("Đã giao"): Market.COMPLETED,
        fold("Đã hoàn thành"): Market.COMPLETED,
        fold("Cancelled"): Market.CANCELLED,
        fold("Canceled"): Market.CANCELLED,
        fold("Đã hủy"): Market.CANCELLED,
        fold("Returned"): Market.RETURNED,
        fold("Đã hoàn trả"): Market.RETURNED,
    },
)

LAZADA = Source(
    "lazada",
    "Lazada",
    "lazada",
    {
        "order_id": _f("Order Number", "orderNumber"),
        "status": _f("Status", "status"),
        "created": _f("Created at", "createTime"),
        "tracking": _f("Tracking Code", "trackingCode"),
        "carrier": _f("Shipping Provider", "shippingProvider"),
        "sku": _f("Seller SKU", "sellerSku"),
        "product": _f("Item Name", "itemName"),
        "variation": _f("Variation", "variation"),
        "unit_price": _f("Unit Price", "unitPrice"),
        "line_paid": _f("Paid Price", "paidPrice"),
        "shipping_fee": _f("Shipping Fee", "shippingFee"),
        "shop_discount": _f("Seller Discount Total", "sellerDiscountTotal"),
        "payment": _f("Payment Method", "payMethod"),
        "name": _f("Shipping Name", "shippingName"),
        "phone": _f("Shipping Phone Number", "shippingPhone"),
        "province": _f("Shipping Address3", "shippingAddress3"),
        "district": _f("Shipping Address4", "shippingAddress4"),
        "ward": _f("Shipping Address5", "shippingAddress5"),
        "street": _f("Shipping Address", "shippingAddress"),
        "note": _f("Buyer Message", "buyerMessage"),
    },
    re.compile(r"^\d{6,20}$"),
    {
        "unpaid": Market.WAITING,
        "pending": Market.WAITING,
        "ready_to_ship": Market.TO_SHIP,
        "ready to ship": Market.TO_SHIP,
        "packed": Market.TO_SHIP,
        "shipped": Market.SHIPPING,
        "delivered": Market.COMPLETED,
        "confirmed": Market.COMPLETED,
        "canceled": Market.CANCELLED,
        "cancelled": Market.CANCELLED,
        "returned": Market.RETURNED,
        # A failed delivery on Lazada comes back to the seller.
        "failed": Market.RETURNED,
    },
    per_unit=True,
)

SOURCES = {s.id: s for s in (SHOPEE, TIKTOK, LAZADA)}
_REQUIRED = ("order_id", "status", "sku", "name", "phone", "province", "ward", "street")


class SourceUnknown(OrderdeskError):
    pass


def _columns(source: Source, headers: list[str]) -> dict[str, str]:
    folded = {fold(h): h for h in headers}
    found: dict[str, str] = {}
    for name, spellings in source.columns.items():
        hit = next((folded[fold(s)] for s in spellings if fold(s) in folded), None)
        if hit is not None:
            found[name] = hit
    return found


def _fits(source: Source, headers: list[str]) -> bool:
    return all(name in _columns(source, headers) for name in ("order_id", "status", "sku"))


def recognise(headers: list[str]) -> Source:
    """The marketplace whose columns these are: the one with most of its names present."""
    scored = sorted(
        ((len(_columns(s, headers)), s.id) for s in SOURCES.values() if _fits(s, headers)),
        reverse=True,
    )
    if not scored:
        raise SourceUnknown("err.market.unknown", known=", ".join(SOURCES))
    return SOURCES[scored[0][1]]


def read_export(path: Path, source: str = "auto") -> tuple[Source, Sheet, dict[str, str]]:
    """The sheet, from its header row (wherever it is), and which column is which."""
    wanted = list(SOURCES.values()) if source == "auto" else [SOURCES[source]]

    def used(headers: list[str]) -> list[str]:
        chosen = recognise(headers) if source == "auto" else SOURCES[source]
        return list(_columns(chosen, headers).values())

    sheet = read_table(
        path, is_header=lambda cells: any(_fits(s, cells) for s in wanted), keep=used
    )
    chosen = recognise(sheet.headers) if source == "auto" else SOURCES[source]
    columns = _columns(chosen, sheet.headers)
    missing = [name for name in _REQUIRED if name not in columns]
    if missing:
        spell = [chosen.columns[name][0] for name in missing]
        raise ImportRejected(str(path), [RowError(1, s, "import.column_missing") for s in spell])
    return chosen, sheet, columns


# ---------------------------------------------------------------------------- cells

# A spreadsheet number written out with its decimals: `90000.0`.
_DECIMAL = re.compile(r"^-?\d+[.,]\d{1,2}$")


@lru_cache(maxsize=8192)
def money(text: str) -> int | None:
    """`90.000`, `90,000`, `90000`, `90000.0`, `₫90.000`, `90.000 VND` → 90000; a blank
    cell is nothing. Remembered: an export repeats the same prices on thousands of rows."""
    value = text.strip()
    if not value:
        return 0
    found = parse_money(value)
    if found is None and _DECIMAL.match(value.replace(" ", "")):
        return round(float(value.replace(" ", "").replace(",", ".")))
    return found


_LAZADA_TIME = ("%d %b %Y %H:%M", "%d %b %Y %H:%M:%S", "%Y-%m-%d %H:%M:%S %z")


def moment(text: str) -> datetime | None:
    value = clean(text)
    if not value:
        return None
    found = parse_time(value)
    if found is not None:
        return found
    for shape in _LAZADA_TIME:
        try:
            parsed = datetime.strptime(value, shape)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=local_tz())
        return parsed.astimezone(UTC)
    return None


@lru_cache(maxsize=256)
def market_status(source: Source, text: str) -> Market | None:
    value = fold(text)
    if value in source.statuses:
        return source.statuses[value]
    return next((m for word, m in source.statuses.items() if value.startswith(word)), None)


_COD_WORDS = ("cod", "thanh toan khi nhan hang", "cash on delivery", "cash_on_delivery")


@lru_cache(maxsize=256)
def is_cod(text: str) -> bool:
    value = fold(text)
    return any(word in value for word in _COD_WORDS)


# ---------------------------------------------------------------------------- orders


@dataclass
class MarketOrder:
    code: str
    row: int  # the first row of the order
    status: Market
    created: datetime | None
    data: OrderCreate
    tracking: str
    carrier_text: str
    qty: dict[str, int] = field(default_factory=dict)  # SKU → units, over its rows
    price: dict[str, int] = field(default_factory=dict)  # SKU → list price
    valid: orders.ValidOrder | None = None


@dataclass
class MarketResult:
    source: str
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_lines: list[str] = field(default_factory=list)  # unknown SKUs skipped, by row
    differences: list[str] = field(default_factory=list)  # shown, never written
    converted: list[str] = field(default_factory=list)  # old addresses, by row

    def summary(self) -> str:
        text = t(
            "cli.market.imported",
            source=SOURCES[self.source].name,
            rows=self.rows,
            new=self.new,
            updated=self.updated,
            unchanged=self.unchanged,
        )
        if self.converted:
            text += "; " + t("import.converted", count=len(self.converted))
        return text

    def details(self) -> list[str]:
        """What the seller should read besides the figures: skipped items, what a later file
        says differently, old addresses converted."""
        return (
            [t("cli.market.skipped", line=line) for line in self.skipped_lines]
            + [t("cli.market.difference", line=line) for line in self.differences]
            + self.converted
        )


@dataclass(frozen=True)
class _Courier:
    """The carrier an export names: ours (`ghn`), or `other` with the name as written."""

    id: str
    name: str = ""


def _courier(text: str) -> _Courier:
    """`Nhanh-Giao Hàng Nhanh` → ghn; `Ninja Van` or Shopee's bare `Nhanh` → other, kept by
    its name (never the shop's default carrier: that label would go to the wrong courier);
    nothing named → nothing."""
    value = clean(text)
    if not value:
        return _Courier("")
    cid = _carrier_id(value)
    return _Courier(cid) if cid else _Courier("other", value[:60])


def _carrier_id(text: str) -> str:
    """Our carrier for the marketplace's name of it (`Nhanh-Giao Hàng Nhanh` → ghn)."""
    value = fold(text)
    for words, cid in (
        (("giao hang nhanh", "ghn"), "ghn"),
        (("giao hang tiet kiem", "ghtk"), "ghtk"),
        (("viettel",), "viettel_post"),
        (("j&t", "j t express", "jt express"), "jt"),
        (("vnpost", "vietnam post", "buu dien"), "vnpost"),
        (("spx", "shopee express"), "spx"),
        (("lex", "lazada express", "lazada logistics"), "lex"),
        (("best express",), "best"),
    ):
        if any(w in value for w in words):
            return cid
    return ""


def parse(
    session: Session,
    path: Path,
    source: str = "auto",
    *,
    skip_unknown_sku: bool = False,
) -> tuple[Source, list[MarketOrder], MarketResult]:
    """Every order of the file, checked; raises ImportRejected naming every bad row."""
    chosen, sheet, col = read_export(path, source)
    # Errors name each column as the file writes it (`Seller SKU`, `Số điện thoại`).
    label = {name: sheet.titles.get(header, header) for name, header in col.items()}
    result = MarketResult(source=chosen.id, rows=len(sheet.rows))
    refs = orders.product_refs(session)
    known = {sku.upper(): sku for sku in refs}
    errors: list[RowError] = []
    found: dict[str, MarketOrder] = {}
    money_at: dict[str, dict[str, int]] = {}
    items = 0  # item rows (not the description row)

    def cell(cells: dict[str, str], name: str) -> str:
        return cells.get(col[name], "") if name in col else ""

    for index, (row, cells) in enumerate(sheet.rows):
        # Cells come from the sheet already trimmed and NFC (`sheets._cell`).
        code = cell(cells, "order_id")
        if not chosen.order_id.match(code) and index == 0:
            continue  # TikTok's description row under the header
        items += 1
        if not chosen.order_id.match(code):
            errors.append(RowError(row, label["order_id"], "err.market.order_id", {"value": code}))
            continue
        status = market_status(chosen, cell(cells, "status"))
        if status is None:
            errors.append(
                RowError(
                    row, label["status"], "err.market.status", {"value": cell(cells, "status")}
                )
            )
            continue
        sku_text = cell(cells, "sku") or cell(cells, "parent_sku")
        sku = known.get(sku_text.upper())
        if sku is None:
            if skip_unknown_sku:
                result.skipped_lines.append(f"{row}: {sku_text or '—'}")
            else:
                errors.append(
                    RowError(row, label["sku"], "err.market.sku_unknown", {"sku": sku_text or "—"})
                )
            continue
        qty_text = "1" if chosen.per_unit else cell(cells, "qty")
        bad_money = [
            name
            for name in ("unit_price", "deal_price", "line_paid", "shipping_fee", "total")
            if name in col and money(cell(cells, name)) is None
        ]
        if bad_money:
            for name in bad_money:
                errors.append(
                    RowError(row, label[name], "err.market.money", {"value": cell(cells, name)})
                )
            continue
        order = found.get(code)
        if order is None:
            created_text = cell(cells, "created")
            created = moment(created_text)
            if created_text and created is None:
                errors.append(
                    RowError(row, label["created"], "err.date.invalid", {"value": created_text})
                )
                continue
            cod = is_cod(cell(cells, "payment"))
            order = MarketOrder(
                code=code,
                row=row,
                status=status,
                created=created,
                data=OrderCreate(
                    name=cell(cells, "name"),
                    phone=cell(cells, "phone"),
                    street=_street(cell(cells, "street"), cells, col),
                    ward=cell(cells, "ward"),
                    province=cell(cells, "province"),
                    district=cell(cells, "district"),
                    channel=chosen.channel,
                    code=code,
                    items=[],
                    payment="cod" if cod else "prepaid",
                    note=cell(cells, "note"),
                ),
                tracking=_number(cell(cells, "tracking"), cell(cells, "carrier")),
                carrier_text=cell(cells, "carrier"),
            )
            found[code] = order
            money_at[code] = {
                "shipping": money(cell(cells, "shipping_fee")) or 0,
                "total": money(cell(cells, "total")) or 0,
                "paid_lines": 0,
            }
        try:
            qty = int(qty_text)
        except ValueError:
            errors.append(
                RowError(row, label.get("qty", "qty"), "err.qty.positive", {"value": qty_text})
            )
            continue
        unit = money(cell(cells, "unit_price")) or 0
        if "deal_price" in col:
            paid_line = (money(cell(cells, "deal_price")) or unit) * qty
        elif "line_paid" in col:
            paid_line = money(cell(cells, "line_paid")) or 0
        else:
            paid_line = unit * qty
        sums = money_at[code]
        if chosen.per_unit and order.qty:
            # A row per unit: the order's shipping fee may be spread over them.
            sums["shipping"] += money(cell(cells, "shipping_fee")) or 0
        sums["paid_lines"] += paid_line
        order.qty[sku] = order.qty.get(sku, 0) + qty
        order.price[sku] = unit
    # Money per order: lines at their list price, the marketplace's discounts as our
    # discount, and what the buyer pays is collected (COD) or already paid.
    for code, order in list(found.items()):
        if not order.qty:
            del found[code]
            continue
        order.data.items = [LineInput(sku, n, order.price[sku]) for sku, n in order.qty.items()]
        sums = money_at[code]
        subtotal = sum(n * order.price[sku] for sku, n in order.qty.items())
        total = sums["total"] if sums["total"] > 0 else sums["paid_lines"] + sums["shipping"]
        discount = max(0, subtotal + sums["shipping"] - total)
        order.data.shipping_fee = sums["shipping"]
        order.data.discount = discount
        if order.data.payment == "cod":
            order.data.cod = subtotal + sums["shipping"] - discount
            order.data.paid = 0
        else:
            order.data.paid = subtotal + sums["shipping"] - discount
            order.data.cod = 0
        try:
            order.valid = orders.validate(session, order.data, products=refs)
        except InvalidInput as error:
            errors.extend(row_errors(order.row, error.errors, label))
    errors.extend(_taken_numbers(session, list(found.values()), label.get("tracking", "")))
    if errors:
        raise ImportRejected(str(path), sorted(errors, key=lambda e: e.row), rows=items)
    return chosen, list(found.values()), result


def _taken_numbers(session: Session, found: list[MarketOrder], column: str) -> list[RowError]:
    """A tracking number belongs to one parcel: not to two orders of the file, nor to
    another order of the shop."""
    numbers: dict[str, MarketOrder] = {}
    errors: list[RowError] = []
    for market in found:
        if not market.tracking:
            continue
        other = numbers.setdefault(market.tracking, market)
        if other is not market:
            errors.append(
                RowError(
                    market.row,
                    column,
                    "err.market.tracking_twice",
                    {"number": market.tracking, "other": other.row},
                )
            )
    given = list(numbers)
    for start in range(0, len(given), 500):
        for code, number in session.connection().execute(
            sa.select(_o.c.code, _o.c.tracking).where(_o.c.tracking.in_(given[start : start + 500]))
        ):
            if numbers[number].code != code:
                errors.append(
                    RowError(
                        numbers[number].row,
                        column,
                        "err.tracking.taken",
                        {"number": number, "code": code},
                    )
                )
    return errors


def _street(address: str, cells: dict[str, str], col: dict[str, str]) -> str:
    """The house and street: a full address minus its trailing ward, district, province."""
    parts = [p.strip() for p in clean(address).split(",") if p.strip()]
    tail = {fold(cells.get(col[n], "")) for n in ("ward", "district", "province") if n in col}
    while len(parts) > 1 and fold(parts[-1]) in tail:
        parts.pop()
    return ", ".join(parts)


# ---------------------------------------------------------------------------- apply


def import_marketplace(
    session: Session,
    path: Path,
    source: str = "auto",
    *,
    skip_unknown_sku: bool = False,
    now: datetime | None = None,
) -> MarketResult:
    """New orders are created (stock reserved like any other); known ones move to the
    marketplace's status and take its tracking number; nothing else is overwritten."""
    with gc_paused():
        return _import(session, path, source, skip_unknown_sku, now or utcnow())


def _import(
    session: Session, path: Path, source: str, skip_unknown_sku: bool, moment_now: datetime
) -> MarketResult:
    chosen, found, result = parse(session, path, source, skip_unknown_sku=skip_unknown_sku)
    conn = session.connection()
    # The orders we have already, with what a later file may say differently about them.
    have: dict[str, Any] = {}
    codes = [m.code for m in found]
    for start in range(0, len(codes), 500):
        have.update((r.code, r) for r in conn.execute(_KEPT, {"codes": codes[start : start + 500]}))
    status = {code: row.status for code, row in have.items()}
    result.differences += _differences(session, [m for m in found if m.code in have], have)
    fresh = [m for m in found if m.code not in have]
    if fresh:
        # Oldest first, so the oldest orders get the stock first; each created and moved
        # on to the marketplace's status in one batch.
        fresh.sort(key=lambda m: m.created or moment_now)
        made = orders.create_many(
            session,
            [m.valid for m in fresh if m.valid is not None],
            allow_backorder=True,
            now=moment_now,
            paths=[steps_between(S.PENDING, TARGET[m.status]) or [] for m in fresh],
            # Dated when the buyer placed it, as the reports count it; its parcel number.
            extra=[_given(m) for m in fresh],
        )
        status.update({r.code: r.status for r in made})
    steps: dict[str, list[Action]] = {}
    for market in found:
        now_status = status[market.code]
        target = TARGET[market.status]
        if now_status is target or (now_status is S.AWAITING_STOCK and target is S.PENDING):
            continue
        path_to = steps_between(now_status, target)
        if path_to is None:
            result.differences.append(
                t(
                    "import.market.status_kept",
                    code=market.code,
                    ours=t("status." + now_status.value),
                    theirs=t("status." + target.value),
                )
            )
            continue
        steps[market.code] = path_to
    orders.advance_many(session, steps, now=moment_now, reason=chosen.name, by=chosen.id)
    numbered = _set_numbers(session, found, have, moment_now)  # of orders known before
    for market in found:
        if market.code not in have:
            result.new += 1
            if market.valid is not None and market.valid.converted:
                result.converted.append(
                    t("import.converted_row", row=market.row, text=market.valid.converted)
                )
        elif market.code in steps or market.code in numbered:
            result.updated += 1
        else:
            result.unchanged += 1
    return result


_TOUCH = (
    sa.update(_o)
    .where(_o.c.code == sa.bindparam("c"))
    .values(updated_at=sa.bindparam("t", type_=_o.c.updated_at.type))
)
_NUMBER = _TOUCH.values(tracking=sa.bindparam("n"))
_CARRIER = _TOUCH.values(carrier=sa.bindparam("k"), carrier_name=sa.bindparam("kn"))
_NUMBER_AND_CARRIER = _NUMBER.values(carrier=sa.bindparam("k"), carrier_name=sa.bindparam("kn"))


_l = OrderLine.__table__  # type: ignore[attr-defined]
_KEPT = sa.select(
    _o.c.id,
    _o.c.code,
    _o.c.status,
    _o.c.tracking,
    _o.c.carrier,
    _o.c.name,
    _o.c.phone,
    _o.c.street,
    _o.c.ward_code,
    _o.c.province_code,
    _o.c.subtotal,
    _o.c.shipping_fee,
    _o.c.discount,
).where(_o.c.code.in_(sa.bindparam("codes", expanding=True)))
_KEPT_LINES = sa.select(_l.c.order_id, _l.c.sku, _l.c.qty).where(
    _l.c.order_id.in_(sa.bindparam("ids", expanding=True))
)


def _differences(session: Session, known: list[MarketOrder], rows: dict[str, Any]) -> list[str]:
    """What a later file says differently about orders we have (`rows`, by code), besides
    status and tracking number: shown to the seller, never written over their order."""
    conn = session.connection()
    items: dict[int, set[tuple[str, int]]] = {}
    ids = [r.id for r in rows.values()]
    for start in range(0, len(ids), 500):
        for oid, sku, qty in conn.execute(_KEPT_LINES, {"ids": ids[start : start + 500]}):
            items.setdefault(oid, set()).add((sku, qty))
    found = []
    for market in known:
        ours, theirs = rows[market.code], market.valid
        if theirs is None:
            continue
        pairs = [
            ("name", ours.name, theirs.name),
            ("phone", display_phone(ours.phone), display_phone(theirs.phone)),
            ("street", ours.street, theirs.street),
            (
                "address",
                f"{ours.ward_code}/{ours.province_code}",
                f"{theirs.ward.code}/{theirs.province.code}",
            ),
            (
                "items",
                ", ".join(f"{sku}×{qty}" for sku, qty in sorted(items.get(ours.id, ()))),
                ", ".join(
                    f"{ln.product.sku}×{ln.qty}"
                    for ln in sorted(theirs.lines, key=lambda ln: ln.product.sku)
                ),  # noqa: E501
            ),
            (
                "total",
                format_money(ours.subtotal + ours.shipping_fee - ours.discount),
                format_money(theirs.subtotal + theirs.shipping_fee - theirs.discount),
            ),
        ]
        for what, kept, given in pairs:
            if kept != given:
                found.append(
                    t(
                        "import.market.kept",
                        code=market.code,
                        what=t("import.market.field." + what),
                        ours=kept,
                        theirs=given,
                    )
                )
    return found


def _number(text: str, carrier_text: str) -> str:
    """A tracking number as its carrier stores it (a GHTK label id `S1.SGP39-J31.137…` is
    its bare id), so the carrier's status files and the label's barcode find the order."""
    courier = _courier(carrier_text)
    if not clean(text):
        return ""
    return REGISTRY[courier.id or "other"].tracking_number(text)


def _given(market: MarketOrder) -> dict[str, object]:
    given: dict[str, object] = {}
    if market.created:
        given["created_at"] = market.created
    if market.tracking:
        given["tracking"] = market.tracking
    courier = _courier(market.carrier_text)
    if courier.id:  # with or without a number yet: the marketplace has booked it
        given["carrier"] = courier.id
        given["carrier_name"] = courier.name
    return given


# The actions an import may take to bring an order to the marketplace's status.
_IMPORT_STEPS = frozenset(
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


def steps_between(status: OrderStatus, target: OrderStatus) -> list[Action] | None:
    """The actions that take an order from our status to the marketplace's, or None when
    no forward path exists (ours went further, or a different way): then nothing moves.
    A cancellation of a parcel already on its way means it comes back."""
    if target is S.CANCELLED and status in (S.SHIPPED, S.DELIVERY_FAILED):
        target = S.RETURNING
    if status is target:
        return None
    return lifecycle.path(status, target, via=_IMPORT_STEPS)


def _set_numbers(
    session: Session,
    found: list[MarketOrder],
    have: dict[str, Any],
    now: datetime,
) -> set[str]:
    """Tracking numbers new to an order we have, with their carrier; and the carrier an
    export names for an order that has none yet (booked, no number yet)."""
    shapes: dict[Any, list[dict[str, object]]] = {
        _NUMBER: [],
        _CARRIER: [],
        _NUMBER_AND_CARRIER: [],
    }
    for m in found:
        known = have.get(m.code)
        if known is None:
            continue
        courier = _courier(m.carrier_text)
        number = bool(m.tracking) and known.tracking != m.tracking
        values = {"c": m.code, "t": now, "n": m.tracking, "k": courier.id, "kn": courier.name}
        if number and courier.id:
            shapes[_NUMBER_AND_CARRIER].append(values)
        elif number:
            shapes[_NUMBER].append(values)
        elif courier.id and not known.carrier:
            shapes[_CARRIER].append(values)
    conn = session.connection()
    for statement, rows in shapes.items():
        execute_many(conn, statement, rows)
    return {str(v["c"]) for rows in shapes.values() for v in rows}

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from orderdesk.carriers import REGISTRY
from orderdesk.errors import ImportRejected, OrderdeskError, RowError
from orderdesk.formats.carrier_files import parse_time
from orderdesk.formats.sheets import Sheet, read_table
from orderdesk.models.enums import OrderStatus
from orderdesk.models.inputs import LineInput, OrderCreate
from orderdesk.models.money import parse_money
from orderdesk.text import clean, fold
from orderdesk.timeutil import local_tz

S = OrderStatus


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


@dataclass
class MarketFile:
    """An export read: its orders, and what is wrong with its rows."""

    source: Source
    label: dict[str, str]  # our field → the column as the file names it
    rows: int = 0
    items: int = 0  # rows that are items (not TikTok's description row)
    orders: list[MarketOrder] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped_lines: list[str] = field(default_factory=list)  # unknown SKUs skipped, by row


@dataclass(frozen=True)
class Courier:
    """The carrier an export names: ours (`ghn`), or `other` with the name as written."""

    id: str
    name: str = ""


def courier_of(text: str) -> Courier:
    """`Nhanh-Giao Hàng Nhanh` → ghn; `Ninja Van` or Shopee's bare `Nhanh` → other, kept by
    its name (never the shop's default carrier: that label would go to the wrong courier);
    nothing named → nothing."""
    value = clean(text)
    if not value:
        return Courier("")
    cid = _carrier_id(value)
    return Courier(cid) if cid else Courier("other", value[:60])


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


def tracking_number(text: str, carrier_text: str) -> str:
    """A tracking number as its carrier stores it (a GHTK label id `S1.SGP39-J31.137…` is
    its bare id), so the carrier's status files and the label's barcode find the order."""
    courier = courier_of(carrier_text)
    if not clean(text):
        return ""
    return REGISTRY[courier.id or "other"].tracking_number(text)


def read_orders(
    path: Path,
    source: str = "auto",
    *,
    catalog: Iterable[str] = (),
    skip_unknown_sku: bool = False,
) -> MarketFile:
    """Every order of the export as the marketplace gives it, each item a SKU of `catalog`
    (the shop's), with its money worked out; what the file itself gets wrong is named by
    row and column in `errors` (checking the orders against the shop is the caller's)."""
    chosen, sheet, col = read_export(path, source)
    # Errors name each column as the file writes it (`Seller SKU`, `Số điện thoại`).
    label = {name: sheet.titles.get(header, header) for name, header in col.items()}
    found_file = MarketFile(chosen, label, rows=len(sheet.rows))
    known = {sku.upper(): sku for sku in catalog}
    errors = found_file.errors
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
                found_file.skipped_lines.append(f"{row}: {sku_text or '—'}")
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
                tracking=tracking_number(cell(cells, "tracking"), cell(cells, "carrier")),
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
    found_file.orders = list(found.values())
    found_file.items = items
    return found_file


def _street(address: str, cells: dict[str, str], col: dict[str, str]) -> str:
    """The house and street: a full address minus its trailing ward, district, province."""
    parts = [p.strip() for p in clean(address).split(",") if p.strip()]
    tail = {fold(cells.get(col[n], "")) for n in ("ward", "district", "province") if n in col}
    while len(parts) > 1 and fold(parts[-1]) in tail:
        parts.pop()
    return ", ".join(parts)

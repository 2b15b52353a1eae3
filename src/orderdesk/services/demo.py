"""A demo shop: a clothing seller with a few hundred SKUs and orders in every status.

Everything goes through the same services a seller uses, so the demo obeys every rule
(`doctor` passes on it) and exercises real paths: backorders, allocation on receipt,
cancellations, failed deliveries, returns. Seeded, so every demo shop is the same.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from orderdesk import geo
from orderdesk.carriers import REGISTRY, StatusRow
from orderdesk.db import Store
from orderdesk.errors import OrderdeskError
from orderdesk.formats.carrier_files import CodRow
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.models.inputs import LineInput, OrderCreate, ProductCreate
from orderdesk.models.tables import Order, Product, table_of
from orderdesk.services import (
    cod,
    ledger,
    orders,
    products,
    returns,
    reviews,
    shipping,
    stock,
    tracking,
)
from orderdesk.timeutil import utcnow

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trương",
]
MIDDLE = [
    "Văn",
    "Thị",
    "Minh",
    "Ngọc",
    "Thu",
    "Hoàng",
    "Gia",
    "Thanh",
    "Đức",
    "Quốc",
    "Thùy",
    "Bảo",
    "Khánh",
    "Hải",
]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hạnh",
    "Hòa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Ngân",
    "Nhung",
    "Phúc",
    "Phương",
    "Quân",
    "Quỳnh",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
    "Đạt",
    "Ánh",
]
STREETS = [
    "Lý Thường Kiệt",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Lê Lợi",
    "Hai Bà Trưng",
    "Điện Biên Phủ",
    "Nguyễn Huệ",
    "Phan Đình Phùng",
    "Cách Mạng Tháng Tám",
    "Võ Thị Sáu",
    "Lê Duẩn",
    "Hoàng Diệu",
    "Nguyễn Văn Cừ",
    "Bà Triệu",
    "Quang Trung",
]
PREFIXES = [
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "070",
    "076",
    "077",
    "078",
    "079",
    "081",
    "082",
    "083",
    "084",
    "085",
    "086",
    "088",
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
]
# Where the demo's customers live: the big cities weigh most, as for a real online shop.
PROVINCES = [
    (1, 30),
    (79, 30),
    (48, 6),
    (31, 6),
    (92, 4),
    (46, 3),
    (25, 2),
    (24, 2),
    (56, 2),
    (75, 2),
    (38, 2),
    (40, 2),
    (96, 1),
    (66, 1),
    (22, 1),
    (68, 1),
]
CHANNELS = [
    ("facebook", 35),
    ("zalo", 20),
    ("shopee", 15),
    ("tiktok", 15),
    ("website", 10),
    ("walk-in", 5),
]
NOTES = [
    "",
    "",
    "",
    "",
    "",
    "Giao giờ hành chính",
    "Gọi trước khi giao",
    "Khách quen, tặng kèm móc khóa",
    "Giao sau 18h",
    "Để hàng ở bảo vệ",
    "Khách hỏi [size] lớn hơn [/b] nếu còn",
]
CATALOG = [
    (
        "AT",
        "Áo thun cotton",
        ["Đen", "Trắng", "Xám", "Xanh navy", "Đỏ đô"],
        ["S", "M", "L", "XL"],
        159_000,
        220,
    ),
    ("SM", "Áo sơ mi linen", ["Trắng", "Xanh nhạt", "Be"], ["S", "M", "L", "XL"], 289_000, 260),
    (
        "QJ",
        "Quần jean ống suông",
        ["Xanh đậm", "Xanh nhạt", "Đen"],
        ["28", "29", "30", "31", "32"],
        399_000,
        550,
    ),
    ("VH", "Váy hoa nhí", ["Vàng", "Hồng", "Xanh"], ["S", "M", "L"], 329_000, 300),
    ("AK", "Áo khoác dù", ["Đen", "Xanh rêu", "Be"], ["M", "L", "XL"], 459_000, 480),
    (
        "GS",
        "Giày sneaker trắng",
        ["Trắng"],
        ["36", "37", "38", "39", "40", "41", "42", "43"],
        599_000,
        800,
    ),
    ("TX", "Túi xách da", ["Đen", "Nâu", "Kem"], [""], 499_000, 600),
    ("ML", "Mũ lưỡi trai", ["Đen", "Trắng", "Be", "Xanh"], [""], 129_000, 120),
    ("DQ", "Dép quai ngang", ["Đen", "Trắng"], ["36-37", "38-39", "40-41", "42-43"], 99_000, 250),
    ("VN", "Vớ cổ ngắn (3 đôi)", ["Mix màu"], [""], 59_000, 90),
    ("AL", "Áo len cổ lọ", ["Kem", "Nâu", "Đen", "Xám"], ["M", "L"], 359_000, 400),
    ("CV", "Chân váy xếp ly", ["Đen", "Be", "Xám"], ["S", "M", "L"], 279_000, 280),
    ("QS", "Quần short kaki", ["Be", "Đen", "Xanh rêu"], ["28", "30", "32", "34"], 229_000, 300),
    ("BL", "Bộ đồ ngủ lụa", ["Hồng", "Xanh", "Trắng"], ["M", "L"], 319_000, 250),
    ("KD", "Khăn lụa vuông", ["Họa tiết A", "Họa tiết B", "Họa tiết C"], [""], 149_000, 60),
    ("TB", "Túi tote canvas", ["Trắng", "Đen"], [""], 119_000, 200),
    ("DH", "Đồng hồ dây da", ["Nâu", "Đen"], [""], 899_000, 150),
    ("KM", "Kính mát thời trang", ["Đen", "Nâu"], [""], 249_000, 80),
    (
        "AB",
        "Áo polo basic",
        ["Trắng", "Đen", "Xanh navy", "Xám", "Đỏ"],
        ["S", "M", "L", "XL", "XXL"],
        199_000,
        250,
    ),
    (
        "QT",
        "Quần tây công sở",
        ["Đen", "Xám", "Be"],
        ["28", "29", "30", "31", "32", "33"],
        349_000,
        450,
    ),
]


@dataclass(frozen=True)
class DemoSummary:
    products: int
    orders: int


def is_empty(store: Store) -> bool:
    with store.read() as session:
        return session.execute(sa.select(sa.func.count()).select_from(Product)).scalar_one() == 0


def _ean13(body: str) -> str:
    digits = [int(d) for d in body]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return body + str(check)


def _weighted(rng: random.Random, table: list[tuple[object, int]]) -> object:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _customer(rng: random.Random) -> dict[str, str]:
    province = geo.province(int(_weighted(rng, PROVINCES)))  # type: ignore[call-overload]
    ward = rng.choice(geo.wards_of(province.code))
    if ward.kind == "xa" and rng.random() < 0.6:
        street = f"Thôn {rng.randint(1, 12)}"
    else:
        street = f"{rng.randint(1, 250)} {rng.choice(STREETS)}"
        if rng.random() < 0.25:
            street = f"Ngõ {rng.randint(2, 199)}, " + street
    return {
        "name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        "phone": rng.choice(PREFIXES) + f"{rng.randint(0, 9_999_999):07d}",
        "street": street,
        "ward": ward.name,
        "province": province.name,
    }


def populate(
    store: Store,
    *,
    order_count: int = 3000,
    seed: int = 2611,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill an empty store with the demo shop; one transaction, so it is all or nothing."""
    count = order_count
    rng = random.Random(seed)
    end = now or utcnow()
    start = end - timedelta(days=60)
    with store.write() as session:
        skus: list[tuple[str, int]] = []
        serial = 0
        for prefix, name, colors, sizes, price, weight in CATALOG:
            for color_index, color in enumerate(colors):
                for size in sizes:
                    serial += 1
                    sku = f"{prefix}-{color_index + 1:02d}" + (f"-{size}" if size else "")
                    products.save(
                        session,
                        ProductCreate(
                            sku=sku,
                            name=name,
                            price=price,
                            color=color,
                            size=size,
                            weight_g=weight,
                            barcode=_ean13(f"893{serial:09d}"),
                            low_stock=rng.choice([2, 3, 5]),
                        ),
                        now=start,
                    )
                    stock.receive(
                        session, sku, rng.randint(40, 120), note="Nhập hàng đầu kỳ", now=start
                    )
                    skus.append((sku, price))
        # A few sell-outs so that some orders wait for stock.
        sold_out = rng.sample(skus, 3)
        for sku, _ in sold_out:
            row = ledger.stock_row(session, sku)
            stock.adjust(session, sku, -row.on_hand, reason="Kiểm kho: hết hàng", now=start)

        regulars = [_customer(rng) for _ in range(max(20, count // 4))]
        times = sorted(
            start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))
            for _ in range(count)
        )
        made = 0
        journeys: dict[str, list[StatusRow]] = {}
        for moment in times:
            buyer = rng.choice(regulars) if rng.random() < 0.35 else _customer(rng)
            lines = rng.sample(skus, rng.choice([1, 1, 1, 2, 2, 3]))
            payment = "cod" if rng.random() < 0.8 else rng.choice(["prepaid", "bank"])
            data = OrderCreate(
                **buyer,
                items=[LineInput(sku, rng.choice([1, 1, 1, 2])) for sku, _ in lines],
                channel=str(_weighted(rng, CHANNELS)),
                shipping_fee=rng.choice([0, 20_000, 25_000, 30_000, 35_000]),
                discount=rng.choice([0, 0, 0, 0, 10_000, 20_000, 50_000]),
                payment=payment,
                inspection=rng.choice(["view", "view", "try", "none"]),
                note=rng.choice(NOTES),
                deliver_by=(moment + timedelta(days=rng.randint(2, 6))).date()
                if rng.random() < 0.3
                else None,
            )
            try:
                order = orders.create(session, data, allow_backorder=True, now=moment)
            except OrderdeskError:
                continue
            made += 1
            if progress is not None and made % 100 == 0:
                progress(made, count)
            _advance(session, journeys, rng, order.code, order.status, moment, end)
            if rng.random() < 0.01:
                sku, _ = rng.choice(skus)
                stock.receive(
                    session,
                    sku,
                    rng.randint(10, 30),
                    note="Nhập bổ sung",
                    now=moment + timedelta(minutes=5),
                )
            if made % 700 == 0:
                # The supplier delivers the sold-out lines now and then (and the first
                # waiting orders move on), except in the last days of the demo.
                sku, _ = rng.choice(sold_out)
                stock.receive(session, sku, 15, note="Hàng về", now=moment)
        # The carriers' status files, read once at the end as a seller would.
        for cid, rows in journeys.items():
            tracking.apply_rows(session, REGISTRY[cid], rows, now=end)
        _statements(session, rng, end)
        _after_sales(session, rng, end)
    return DemoSummary(products=len(skus), orders=made)


def _advance(
    session: object,
    journeys: dict[str, list[StatusRow]],
    rng: random.Random,
    code: str,
    status: OrderStatus,
    created: datetime,
    end: datetime,
) -> None:
    """Move an order along as far as its age allows, with the odd mishap."""
    if status is not OrderStatus.PENDING:
        return
    age_days = (end - created).total_seconds() / 86400
    when = created

    def step(action: Action, hours: float, **kwargs: object) -> bool:
        nonlocal when
        when = when + timedelta(hours=hours * rng.uniform(0.5, 1.5))
        if when >= end:
            return False
        orders.apply(session, code, action, now=when, **kwargs)  # type: ignore[arg-type]
        return True

    if rng.random() < 0.06:
        step(
            Action.CANCEL,
            3,
            reason=rng.choice(["Khách đổi ý", "Khách đặt trùng đơn", "Không liên lạc được"]),
        )
        return
    if age_days < 0.3 or rng.random() < 0.03:
        return
    if not step(Action.CONFIRM, 2, tick_all=True) or age_days < 1.0 or rng.random() < 0.01:
        return
    cid = str(_weighted(rng, CARRIER_MIX))
    shipping.assign(session, code, carrier=cid, tracking=_tracking_number(rng, cid))  # type: ignore[arg-type]
    if not step(Action.PACK, 6) or age_days < 1.5:
        return
    if not step(Action.SHIP, 12):
        return
    _journey(journeys, rng, code, cid, when, end)


# How the demo's parcels are split between carriers.
CARRIER_MIX: list[tuple[object, int]] = [
    ("ghn", 40),
    ("ghtk", 30),
    ("viettel_post", 15),
    ("jt", 10),
    ("vnpost", 5),
]
# A typical word of each carrier for each step of a journey.
_WORDS: dict[str, dict[str, str]] = {
    "ghn": dict(
        picked="picked",
        transit="transporting",
        delivering="delivering",
        delivered="delivered",
        failed="delivery_fail",
        returning="returning",
        returned="returned",
    ),
    "ghtk": dict(
        picked="123",
        transit="3",
        delivering="4",
        delivered="5",
        failed="9",
        returning="20",
        returned="21",
    ),
    "viettel_post": dict(
        picked="105",
        transit="300",
        delivering="500",
        delivered="501",
        failed="506",
        returning="502",
        returned="504",
    ),
    "jt": dict(
        picked="Đã lấy hàng",
        transit="Đang vận chuyển",
        delivering="Đang giao hàng",
        delivered="Đã giao hàng",
        failed="Giao hàng không thành công",
        returning="Đang chuyển hoàn",
        returned="Đã chuyển hoàn",
    ),
    "vnpost": dict(
        picked="70",
        transit="70",
        delivering="70",
        delivered="100",
        failed="91",
        returning="91",
        returned="170",
    ),
}
_HUBS = [
    "Kho Hà Nội",
    "Kho Sài Gòn",
    "Bưu cục Cầu Giấy",
    "Bưu cục Quận 3",
    "Kho Đà Nẵng",
    "Bưu cục Thủ Đức",
    "Kho Cần Thơ",
]
_FAILS = ["Khách không nghe máy", "Khách hẹn lại ngày giao", "Sai địa chỉ", "Khách từ chối nhận"]


def _tracking_number(rng: random.Random, cid: str) -> str:
    digits = "0123456789"
    if cid == "ghn":
        return "G" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(7))
    if cid == "ghtk":
        return "1" + "".join(rng.choice(digits) for _ in range(9))
    if cid == "viettel_post":
        return "18" + "".join(rng.choice(digits) for _ in range(10))
    if cid == "jt":
        return "8" + "".join(rng.choice(digits) for _ in range(11))
    return "EB" + "".join(rng.choice(digits) for _ in range(9)) + "VN"


def _journey(
    journeys: dict[str, list[StatusRow]],
    rng: random.Random,
    code: str,
    cid: str,
    shipped: datetime,
    end: datetime,
) -> None:
    """The carrier's events for a shipped parcel, fed through the same path as its file."""
    words = _WORDS[cid]
    when = shipped
    rows: list[StatusRow] = []

    def event(kind: str, hours: float, note: str = "") -> bool:
        nonlocal when
        when = when + timedelta(hours=hours * rng.uniform(0.6, 1.4))
        if when >= end:
            return False
        rows.append(StatusRow(len(rows) + 1, "", code, words[kind], when, rng.choice(_HUBS), note))
        return True

    roll = rng.random()
    # A parcel stuck after pickup, in the last fortnight only: older ones were sorted out.
    stuck = roll < 0.03 and end - shipped < timedelta(days=14)
    if event("picked", 3) and not stuck and event("transit", 10) and event("delivering", 20):
        if roll < 0.86:
            event("delivered", 5)
        elif roll < 0.94:
            if event("failed", 6, rng.choice(_FAILS)):
                if rng.random() < 0.6:
                    event("delivering", 24) and event("delivered", 5)
                else:
                    event("returning", 72) and event("returned", 72)
        else:
            event("failed", 6, "Khách từ chối nhận") and event("returning", 24) and event(
                "returned", 72
            )
    journeys.setdefault(cid, []).extend(rows)


def _statements(session: object, rng: random.Random, end: datetime) -> None:
    """Each carrier's weekly COD statements for parcels delivered more than a week ago;
    now and then a line comes back short."""
    conn = session.connection()  # type: ignore[attr-defined]
    o = table_of(Order)
    delivered = conn.execute(
        sa.select(o.c.code, o.c.tracking, o.c.carrier, o.c.cod, o.c.delivered_at).where(
            o.c.status == OrderStatus.DELIVERED,
            o.c.cod > 0,
            o.c.delivered_at < end - timedelta(days=7),
        )
    ).all()
    by_statement: dict[tuple[str, str], list[CodRow]] = {}
    for row in delivered:
        if rng.random() < 0.05:
            continue  # not paid yet: the queue will show it
        week = row.delivered_at.isocalendar()
        statement = f"{row.carrier.upper()}-{week.year}W{week.week:02d}"
        fee = rng.choice([18_000, 22_000, 25_000, 30_000])
        short = rng.choice([10_000, 20_000, 50_000]) if rng.random() < 0.02 else 0
        by_statement.setdefault((row.carrier, statement), []).append(
            CodRow(
                0,
                row.tracking or "",
                row.code,
                row.cod,
                fee,
                row.cod - fee - short,
                statement,
                None,
            )
        )
    for (cid, statement), rows in sorted(by_statement.items()):
        cod.apply_lines(session, REGISTRY[cid], rows, statement=statement, now=end)  # type: ignore[arg-type]


# What customers write, by stars (the demo's reviews).
_REVIEWS = {
    5: ["Áo đẹp, vải mát, giao nhanh", "Đúng mẫu, sẽ ủng hộ tiếp", "Shop tư vấn nhiệt tình", ""],
    4: ["Hàng ổn, đóng gói cẩn thận", "Màu hơi đậm hơn ảnh nhưng vẫn đẹp", ""],
    3: ["Vải hơi mỏng so với giá", "Giao chậm mất 5 ngày"],
    2: ["Size nhỏ hơn bảng size, mặc bị chật", "Màu khác ảnh nhiều"],
    1: ["Áo bị lỗi đường may, chưa thấy shop phản hồi", "Giao sai màu, gọi shop không nghe máy"],
}
_REPLIES = [
    "Shop xin lỗi chị, shop gửi đổi size miễn phí ạ",
    "Cảm ơn anh đã góp ý, shop đã kiểm tra lại lô hàng ạ",
]
_REASONS = [
    "wrong_size",
    "wrong_size",
    "wrong_colour",
    "defect",
    "not_as_described",
    "changed_mind",
]


def _after_sales(session: object, rng: random.Random, end: datetime) -> None:
    """Reviews on a quarter of delivered orders (the low ones answered, except the latest
    few, which wait in the queue), and returns or exchanges of a few."""
    o = table_of(Order)
    delivered = (
        session.connection()  # type: ignore[attr-defined]
        .execute(
            sa.select(o.c.code, o.c.delivered_at)
            .where(o.c.status == OrderStatus.DELIVERED)
            .order_by(o.c.delivered_at)
        )
        .all()
    )
    for code, at in delivered:
        when = min(at + timedelta(hours=rng.uniform(6, 72)), end)
        roll = rng.random()
        if roll < 0.04:
            lines = returns.returnable(session, code)  # type: ignore[arg-type]
            line = rng.choice(lines)
            reason = rng.choice(_REASONS)
            if reason == "wrong_size" and rng.random() < 0.5:
                # An exchange for the next size up when there is one.
                bigger = line.sku[:-1] + {"S": "M", "M": "L", "L": "XL"}.get(line.sku[-1], "")
                if bigger != line.sku[:-1] and orders.product_refs(session, [bigger]):  # type: ignore[arg-type]
                    returns.exchange(
                        session,  # type: ignore[arg-type]
                        code,
                        {line.sku: 1},
                        {bigger: 1},
                        reason=reason,
                        now=when,
                    )
                    continue
            returns.create(
                session,  # type: ignore[arg-type]
                code,
                {line.sku: 1},
                reason=reason,
                restock=reason != "defect",
                now=when,
            )
        elif roll < 0.29:
            stars = int(_weighted(rng, [(5, 55), (4, 25), (3, 9), (2, 6), (1, 5)]))  # type: ignore[call-overload]
            found = reviews.add(
                session,  # type: ignore[arg-type]
                code,
                stars,
                comment=rng.choice(_REVIEWS[stars]),
                at=when,
                now=when,
            )
            if stars <= reviews.LOW and when < end - timedelta(days=4):
                reviews.reply(
                    session, found.id, rng.choice(_REPLIES), now=when + timedelta(hours=3)
                )  # type: ignore[arg-type]

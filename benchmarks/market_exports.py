"""Marketplace order exports as Shopee, TikTok Shop and Lazada write them: the samples in
`assets/samples/marketplaces/` and, for the benchmark, a Shopee export of any size.

    python benchmarks/market_exports.py --samples          # rewrite the samples
    python benchmarks/market_exports.py --shopee 20000 out.xlsx

Header lists follow the marketplaces' own exports (columns orderdesk does not read are
there too, as sellers' files have them).
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

SAMPLES = Path(__file__).parents[1] / "assets" / "samples" / "marketplaces"

SHOPEE_HEADERS = [
    "Mã đơn hàng", "Mã Kiện Hàng", "Ngày đặt hàng", "Trạng Thái Đơn Hàng", "Lý do hủy",
    "Nhận xét từ Người mua", "Mã vận đơn", "Đơn Vị Vận Chuyển", "Phương thức giao hàng",
    "Loại đơn hàng", "Ngày giao hàng dự kiến", "Ngày gửi hàng", "Thời gian hoàn thành đơn hàng",
    "SKU sản phẩm", "Tên sản phẩm", "Cân nặng sản phẩm", "Tổng cân nặng", "SKU phân loại hàng",
    "Tên phân loại hàng", "Giá gốc", "Người bán trợ giá", "Được Shopee trợ giá", "Giá ưu đãi",
    "Số lượng", "Số lượng sản phẩm được hoàn trả", "Tổng giá bán (sản phẩm)",
    "Tổng giá trị đơn hàng (VND)", "Mã giảm giá của Shop", "Hoàn Xu", "Mã giảm giá của Shopee",
    "Phí vận chuyển (dự kiến)", "Phí vận chuyển mà người mua trả",
    "Tổng số tiền người mua thanh toán", "Thời gian đơn hàng được thanh toán",
    "Phương thức thanh toán", "Phí cố định", "Phí Dịch Vụ", "Phí thanh toán", "Tiền ký quỹ",
    "Người Mua", "Tên Người nhận", "Số điện thoại", "Tỉnh/Thành phố", "TP / Quận / Huyện",
    "Quận", "Địa chỉ nhận hàng", "Quốc gia", "Ghi chú",
]  # fmt: skip

TIKTOK_HEADERS = [
    "Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type",
    "Normal or Pre-order", "SKU ID", "Seller SKU", "Product Name", "Variation", "Quantity",
    "Sku Quantity of return", "SKU Unit Original Price", "SKU Subtotal Before Discount",
    "SKU Platform Discount", "SKU Seller Discount", "SKU Subtotal After Discount",
    "Shipping Fee After Discount", "Original Shipping Fee", "Shipping Fee Seller Discount",
    "Shipping Fee Platform Discount", "Taxes", "Order Amount", "Order Refund Amount",
    "Created Time", "Paid Time", "RTS Time", "Shipped Time", "Delivered Time",
    "Cancelled Time", "Cancel By", "Cancel Reason", "Fulfillment Type", "Warehouse Name",
    "Tracking ID", "Delivery Option", "Shipping Provider Name", "Buyer Message",
    "Buyer Username", "Recipient", "Phone #", "Zipcode", "Country", "Province", "District",
    "Commune", "Detail Address", "Additional address information", "Payment Method",
    "Weight(kg)", "Product Category", "Package ID", "Seller Note", "Checked Status",
    "Checked Marked by",
]  # fmt: skip
# TikTok writes what each column means on the row under the header.
TIKTOK_DESCRIPTIONS = {
    "Order ID": "Platform unique order ID.",
    "Order Status": "Current order status.",
    "Seller SKU": "SKU code set by the seller.",
    "Quantity": "Number of units of the SKU.",
    "Created Time": "Time the order was placed.",
}

LAZADA_HEADERS = [
    "Order Item Id", "Order Type", "Guarantee", "Delivery Type", "Lazada Id", "Seller SKU",
    "Lazada SKU", "Created at", "Updated at", "Order Number", "Invoice Required",
    "Customer Name", "Customer Email", "National Registration Number", "Shipping Name",
    "Shipping Address", "Shipping Address2", "Shipping Address3", "Shipping Address4",
    "Shipping Address5", "Shipping Phone Number", "Shipping Phone Number2",
    "Shipping City", "Shipping Postcode", "Shipping Country", "Shipping Region",
    "Payment Method", "Paid Price", "Unit Price", "Seller Discount Total", "Shipping Fee",
    "Wallet Credit", "Item Name", "Variation", "CD Shipping Provider", "Shipping Provider",
    "Shipment Type Name", "Shipping Provider Type", "CD Tracking Code", "Tracking Code",
    "Tracking URL", "Promised shipping time", "Premium", "Status", "Buyer Message",
    "Cancel / Return Initiator", "Reason", "Reason Detail",
]  # fmt: skip


@dataclass
class Item:
    sku: str
    name: str
    variation: str
    qty: int
    price: int  # list price
    deal: int  # what the buyer pays per unit


@dataclass
class Sale:
    id: str
    status: str
    created: str
    name: str
    phone: str
    street: str
    ward: str
    district: str
    province: str
    payment: str
    items: list[Item]
    shipping: int = 0
    tracking: str = ""
    carrier: str = ""
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(i.deal * i.qty for i in self.items) + self.shipping


def vnd(amount: int) -> str:
    """Money as the marketplaces write it: `90.000`."""
    return f"{amount:,}".replace(",", ".")


def shopee_rows(sales: list[Sale]) -> list[list[str]]:
    rows = []
    for sale in sales:
        for item in sale.items:
            cells = dict.fromkeys(SHOPEE_HEADERS, "")
            cells.update(
                {
                    "Mã đơn hàng": sale.id,
                    "Ngày đặt hàng": sale.created,
                    "Trạng Thái Đơn Hàng": sale.status,
                    "Mã vận đơn": sale.tracking,
                    "Đơn Vị Vận Chuyển": sale.carrier,
                    "SKU sản phẩm": item.sku.rsplit("-", 1)[0],
                    "Tên sản phẩm": item.name,
                    "SKU phân loại hàng": item.sku,
                    "Tên phân loại hàng": item.variation,
                    "Giá gốc": vnd(item.price),
                    "Giá ưu đãi": vnd(item.deal),
                    "Số lượng": str(item.qty),
                    "Tổng giá bán (sản phẩm)": vnd(item.deal * item.qty),
                    "Tổng giá trị đơn hàng (VND)": vnd(sale.total - sale.shipping),
                    "Mã giảm giá của Shop": "0",
                    "Mã giảm giá của Shopee": "0",
                    "Phí vận chuyển mà người mua trả": vnd(sale.shipping),
                    "Tổng số tiền người mua thanh toán": vnd(sale.total),
                    "Phương thức thanh toán": sale.payment,
                    "Người Mua": sale.name.split()[-1].lower() + "_shop",
                    "Tên Người nhận": sale.name,
                    "Số điện thoại": sale.phone,
                    "Tỉnh/Thành phố": sale.province,
                    "TP / Quận / Huyện": sale.district,
                    "Quận": sale.ward,
                    "Địa chỉ nhận hàng": ", ".join(
                        p for p in (sale.street, sale.ward, sale.district, sale.province) if p
                    ),
                    "Quốc gia": "VN",
                    "Ghi chú": sale.note,
                }
            )
            rows.append([cells[h] for h in SHOPEE_HEADERS])
    return rows


def tiktok_rows(sales: list[Sale]) -> list[list[str]]:
    rows = [[TIKTOK_DESCRIPTIONS.get(h, "") for h in TIKTOK_HEADERS]]
    for sale in sales:
        for item in sale.items:
            cells = dict.fromkeys(TIKTOK_HEADERS, "")
            cells.update(
                {
                    "Order ID": sale.id,
                    "Order Status": sale.status,
                    "Normal or Pre-order": "Normal",
                    "Seller SKU": item.sku,
                    "Product Name": item.name,
                    "Variation": item.variation,
                    "Quantity": str(item.qty),
                    "SKU Unit Original Price": vnd(item.price),
                    "SKU Subtotal Before Discount": vnd(item.price * item.qty),
                    "SKU Platform Discount": "0",
                    "SKU Seller Discount": vnd((item.price - item.deal) * item.qty),
                    "SKU Subtotal After Discount": vnd(item.deal * item.qty),
                    "Shipping Fee After Discount": vnd(sale.shipping),
                    "Order Amount": vnd(sale.total),
                    # TikTok's times end with a stray tab.
                    "Created Time": sale.created + "\t",
                    "Tracking ID": sale.tracking,
                    "Shipping Provider Name": sale.carrier,
                    "Buyer Message": sale.note,
                    "Recipient": sale.name,
                    "Phone #": sale.phone,
                    "Country": "Vietnam",
                    "Province": sale.province,
                    "District": sale.district,
                    "Commune": sale.ward,
                    "Detail Address": sale.street,
                    "Payment Method": sale.payment,
                    "Weight(kg)": "0.3",
                }
            )
            rows.append([cells[h] for h in TIKTOK_HEADERS])
    return rows


def lazada_rows(sales: list[Sale]) -> list[list[str]]:
    rows = []
    serial = 0
    for sale in sales:
        units = [item for item in sale.items for _ in range(item.qty)]
        for n, item in enumerate(units):
            serial += 1
            cells = dict.fromkeys(LAZADA_HEADERS, "")
            # Lazada splits the order's shipping fee over its units; the first carries it.
            cells.update(
                {
                    "Order Item Id": f"{sale.id}{serial:03d}",
                    "Order Type": "Normal",
                    "Seller SKU": item.sku,
                    "Created at": sale.created,
                    "Order Number": sale.id,
                    "Customer Name": sale.name,
                    "Shipping Name": sale.name,
                    "Shipping Address": sale.street,
                    "Shipping Address3": sale.province,
                    "Shipping Address4": sale.district,
                    "Shipping Address5": sale.ward,
                    "Shipping Phone Number": sale.phone,
                    "Shipping Country": "Vietnam",
                    "Payment Method": sale.payment,
                    "Paid Price": vnd(item.deal),
                    "Unit Price": vnd(item.price),
                    "Seller Discount Total": vnd(item.price - item.deal),
                    "Shipping Fee": vnd(sale.shipping if n == 0 else 0),
                    "Item Name": item.name,
                    "Variation": item.variation,
                    "Shipping Provider": sale.carrier,
                    "Tracking Code": sale.tracking,
                    "Status": sale.status,
                    "Buyer Message": sale.note,
                }
            )
            rows.append([cells[h] for h in LAZADA_HEADERS])
    return rows


def write_xlsx(path: Path, headers: list[str], rows: list[list[str]], title: str = "") -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("orders")
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_csv(path: Path, headers: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)


# ---------------------------------------------------------------------------- samples

AO_M = ("AT-DEN-M", "Áo thun cotton cổ tròn", "Đen, M")
AO_L = ("AT-DEN-L", "Áo thun cotton cổ tròn", "Đen, L")
AO_TRANG = ("AT-TRANG-M", "Áo thun cotton cổ tròn", "Trắng, M")
MU = ("ML-BE", "Mũ lưỡi trai", "Be")
QUAN = ("QJ-SUONG-30", "Quần jean ống suông", "Xanh đậm, 30")
SOMI = ("SM-LINEN-M", "Áo sơ mi linen tay dài", "Be, M")
VAY = ("VH-VANG-M", "Váy hoa nhí dáng xòe", "Vàng, M")
GIAY = ("GS-TRANG-38", "Giày sneaker trắng", "38")


def item(what: tuple[str, str, str], qty: int, price: int, deal: int | None = None) -> Item:
    return Item(what[0], what[1], what[2], qty, price, price if deal is None else deal)


HN = ("Phường Cửa Nam", "Quận Hoàn Kiếm", "Thành phố Hà Nội")
HCM = ("Phường Bến Thành", "Quận 1", "Thành phố Hồ Chí Minh")
DN = ("Phường Hải Châu", "Quận Hải Châu", "Thành phố Đà Nẵng")
TN = ("Xã Văn Lăng", "Huyện Đồng Hỷ", "Tỉnh Thái Nguyên")
HD = ("Phường Hà Đông", "Quận Hà Đông", "Thành phố Hà Nội")


def sale(
    id: str,
    status: str,
    created: str,
    who: tuple[str, str, str],
    place: tuple[str, str, str],
    payment: str,
    items: list[Item],
    **more: object,
) -> Sale:  # noqa: E501
    name, phone, street = who
    ward, district, province = place
    return Sale(
        id, status, created, name, phone, street, ward, district, province, payment, items, **more
    )  # type: ignore[arg-type]  # noqa: E501


SHOPEE_COD = "Thanh toán khi nhận hàng"
SHOPEE_SALES = [
    sale(
        "261118T4V6W8X2",
        "Hoàn thành",
        "2026-11-18 09:12",
        ("Phạm Thị Hồng", "84905111222", "88 Nguyễn Văn Linh"),
        DN,
        SHOPEE_COD,
        [item(VAY, 1, 329_000, 299_000)],
        shipping=20_000,
        tracking="GYLXD9AB",
        carrier="Nhanh-Giao Hàng Nhanh",
    ),  # noqa: E501
    sale(
        "261119Z1Y3X5W7",
        "Đã hủy",
        "2026-11-19 21:40",
        ("Đỗ Minh Khang", "84977333444", "Thôn 3"),
        TN,
        "Ví ShopeePay",
        [item(AO_TRANG, 1, 159_000)],
    ),  # noqa: E501
    sale(
        "261120QSK8S7BX",
        "Chờ xác nhận",
        "2026-11-20 14:05",
        ("Nguyễn Thị Lan", "84912345678", "12 Lý Thường Kiệt"),
        HN,
        SHOPEE_COD,
        [item(AO_M, 2, 159_000, 149_000), item(MU, 1, 129_000)],
        shipping=15_000,
        note="Giao giờ hành chính",
    ),  # noqa: E501
    sale(
        "261120R2D4F6H8",
        "Chờ giao hàng",
        "2026-11-20 16:30",
        ("Trần Văn Minh", "84987654321", "45 Lê Lợi"),
        HCM,
        "Thẻ Tín dụng/Ghi nợ",
        [item(QUAN, 1, 399_000, 359_000)],
        tracking="SPXVN061234567890",
        carrier="Nhanh-SPX Express",
    ),  # noqa: E501
    sale(
        "261121K9M3N5P7",
        "Đang giao",
        "2026-11-21 08:02",
        ("Lê Hoàng Anh", "84909123456", "Ngõ 5, 20 Trần Phú"),
        HD,
        SHOPEE_COD,
        [item(SOMI, 1, 289_000)],
        shipping=30_000,
        tracking="GYLXD8TU",
        carrier="Nhanh-Giao Hàng Nhanh",
    ),  # noqa: E501
]

TIKTOK_SALES = [
    sale(
        "578123456789012345",
        "To ship",
        "20/11/2026 14:05:33",
        ("Vũ Thị Mai", "(+84)912000111", "15 Hàng Bài"),
        HN,
        "Cash on delivery",
        [item(AO_L, 1, 159_000, 139_000)],
        shipping=18_000,
        note="Gọi trước khi giao",
    ),  # noqa: E501
    sale(
        "578123456789012346",
        "Shipped",
        "19/11/2026 10:20:00",
        ("Ngô Văn Tài", "(+84)987000222", "7 Nguyễn Huệ"),
        HCM,
        "Cash on delivery",
        [item(GIAY, 1, 599_000, 549_000)],
        shipping=0,
        tracking="852000123456",
        carrier="J&T Express",
    ),  # noqa: E501
    sale(
        "578123456789012347",
        "Completed",
        "15/11/2026 19:45:10",
        ("Bùi Thu Trang", "(+84)935000333", "101 Bạch Đằng"),
        DN,
        "Cash on delivery",
        [item(AO_M, 1, 159_000), item(MU, 2, 129_000, 119_000)],
        shipping=25_000,
        tracking="GYLXE1CD",
        carrier="Giao Hàng Nhanh",
    ),  # noqa: E501
    sale(
        "578123456789012348",
        "Cancelled",
        "18/11/2026 08:00:00",
        ("Hoàng Đức Long", "(+84)868000444", "Thôn 3"),
        TN,
        "Cash on delivery",
        [item(VAY, 1, 329_000)],
    ),  # noqa: E501
    sale(
        "578123456789012349",
        "Unpaid",
        "21/11/2026 22:10:05",
        ("Đặng Quỳnh Như", "(+84)903000555", "Ngõ 5, 20 Trần Phú"),
        HD,
        "Bank transfer",
        [item(SOMI, 1, 289_000)],
        shipping=15_000,
    ),  # noqa: E501
]

LAZADA_SALES = [
    sale(
        "412345678901234",
        "pending",
        "20 Nov 2026 14:05",
        ("Trịnh Văn Hậu", "84912777888", "3 Phan Chu Trinh"),
        HN,
        "COD",
        [item(AO_L, 2, 159_000)],
        shipping=16_000,
    ),  # noqa: E501
    sale(
        "412345678901235",
        "ready_to_ship",
        "20 Nov 2026 16:00",
        ("Mai Thị Thảo", "84933111000", "22 Pasteur"),
        HCM,
        "MixedCard",
        [item(GIAY, 1, 599_000, 569_000)],
        tracking="LEXVN0123456789",
        carrier="LEX VN",
    ),  # noqa: E501
    sale(
        "412345678901236",
        "shipped",
        "19 Nov 2026 11:30",
        ("Lý Văn Phúc", "84944222111", "5 Trần Phú"),
        DN,
        "COD",
        [item(QUAN, 1, 399_000)],
        shipping=22_000,
        tracking="LEXVN0123456790",
        carrier="LEX VN",
    ),  # noqa: E501
    sale(
        "412345678901237",
        "delivered",
        "16 Nov 2026 09:00",
        ("Tạ Thu Hà", "84966333222", "Thôn 3"),
        TN,
        "COD",
        [item(MU, 1, 129_000), item(AO_M, 1, 159_000)],
        shipping=20_000,
        tracking="LEXVN0123456791",
        carrier="LEX VN",
    ),  # noqa: E501
    sale(
        "412345678901238",
        "canceled",
        "18 Nov 2026 20:15",
        ("Châu Minh Tuấn", "84977444333", "9 Lê Lợi"),
        HD,
        "COD",
        [item(SOMI, 1, 289_000)],
    ),  # noqa: E501
]


def write_samples() -> None:
    SAMPLES.mkdir(parents=True, exist_ok=True)
    write_xlsx(SAMPLES / "shopee.xlsx", SHOPEE_HEADERS, shopee_rows(SHOPEE_SALES))
    write_csv(SAMPLES / "tiktok.csv", TIKTOK_HEADERS, tiktok_rows(TIKTOK_SALES))
    write_xlsx(
        SAMPLES / "lazada.xlsx",
        LAZADA_HEADERS,
        lazada_rows(LAZADA_SALES),
        title="Lazada Seller Center — Orders",
    )


# ---------------------------------------------------------------------------- benchmark

SHOPEE_STATUSES = [
    ("Chờ xác nhận", 10),
    ("Chờ giao hàng", 15),
    ("Đang giao", 20),
    ("Hoàn thành", 45),
    ("Đã hủy", 10),
]


def big_shopee(orders: int, skus: list[tuple[str, int]], *, seed: int = 7) -> list[Sale]:
    """About two rows per order, statuses as a busy shop's export has them."""
    rng = random.Random(seed)
    places = [HN, HCM, DN, TN, HD]
    sales = []
    for n in range(orders):
        status = rng.choices(
            [s for s, _ in SHOPEE_STATUSES], weights=[w for _, w in SHOPEE_STATUSES]
        )[0]
        chosen = rng.sample(skus, rng.choice([1, 1, 2, 2, 3]))
        shipped = status in ("Đang giao", "Hoàn thành")
        sales.append(
            sale(
                f"2611{n % 100:02d}{n:08d}",
                status,
                f"2026-11-{1 + n % 26:02d} {n % 24:02d}:{n % 60:02d}",
                (f"Khách {n}", f"849{n % 100_000_000:08d}", f"{n % 300 + 1} Lê Lợi"),
                rng.choice(places),
                SHOPEE_COD if rng.random() < 0.8 else "Ví ShopeePay",
                [
                    Item(sku, "Sản phẩm", "", rng.choice([1, 1, 2]), price, price)
                    for sku, price in chosen
                ],  # noqa: E501
                shipping=rng.choice([0, 15_000, 30_000]),
                tracking=f"SPXVN{n:012d}" if shipped else "",
                carrier="Nhanh-SPX Express" if shipped else "",
            )
        )
    return sales


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", action="store_true")
    parser.add_argument("--shopee", type=int, metavar="ORDERS")
    parser.add_argument("out", nargs="?", type=Path)
    args = parser.parse_args()
    if args.samples:
        write_samples()
    if args.shopee:
        skus = [(f"SKU-{i:04d}", 100_000 + i * 1000) for i in range(200)]
        rows = shopee_rows(big_shopee(args.shopee, skus))
        write_xlsx(args.out, SHOPEE_HEADERS, rows)
        print(f"{len(rows)} rows written to {args.out}")


if __name__ == "__main__":
    main()

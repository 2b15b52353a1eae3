"""Marketplace order exports in: the samples of each marketplace import with the right
orders, lines, money, statuses, carriers and tracking numbers; importing again changes
nothing; a newer export moves exactly the orders that moved; a bad file changes nothing."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from orderdesk.db import Store
from orderdesk.errors import ImportRejected
from orderdesk.formats.marketplaces import money, recognise
from orderdesk.formats.sheets import read_table
from orderdesk.models.enums import OrderStatus
from orderdesk.models.tables import Order, StockMove
from orderdesk.services import doctor, ledger, orders
from orderdesk.services.files.marketplace import import_marketplace
from orderdesk.services.files.orders import export_orders
from orderdesk.services.files.products import import_products

SAMPLES = Path(__file__).parents[2] / "assets" / "samples"
MARKET = SAMPLES / "marketplaces"
S = OrderStatus


@pytest.fixture
def shop(store: Store) -> Store:
    with store.write() as session:
        import_products(session, SAMPLES / "products.csv")
    return store


def run(store: Store, path: Path, source: str = "auto", **kwargs: object):  # type: ignore[no-untyped-def]
    with store.write() as session:
        return import_marketplace(session, path, source, **kwargs)  # type: ignore[arg-type]


def snapshot(store: Store) -> tuple[list[tuple[object, ...]], int]:
    """Every order's columns and the number of stock movements."""
    o = Order.__table__  # type: ignore[attr-defined]
    m = StockMove.__table__  # type: ignore[attr-defined]
    with store.read() as session:
        conn = session.connection()
        rows = [tuple(r) for r in conn.execute(sa.select(o).order_by(o.c.code))]
        moves = conn.execute(sa.select(sa.func.count()).select_from(m)).scalar_one()
    return rows, moves


# What a seller sees after importing each sample: status, lines, total, COD, carrier and
# tracking number, worked out from the sample rows by hand.
EXPECTED = {
    "shopee.xlsx": {
        "261118T4V6W8X2": (
            S.DELIVERED,
            [("VH-VANG-M", 1, 329_000)],
            319_000,
            319_000,
            "ghn",
            "GYLXD9AB",
        ),  # noqa: E501
        "261119Z1Y3X5W7": (S.CANCELLED, [("AT-TRANG-M", 1, 159_000)], 159_000, 0, None, None),  # noqa: E501
        "261120QSK8S7BX": (
            S.PENDING,
            [("AT-DEN-M", 2, 159_000), ("ML-BE", 1, 129_000)],
            442_000,
            442_000,
            None,
            None,
        ),  # noqa: E501
        "261120R2D4F6H8": (
            S.CONFIRMED,
            [("QJ-SUONG-30", 1, 399_000)],
            359_000,
            0,
            "spx",
            "SPXVN061234567890",
        ),  # noqa: E501
        "261121K9M3N5P7": (
            S.SHIPPED,
            [("SM-LINEN-M", 1, 289_000)],
            319_000,
            319_000,
            "ghn",
            "GYLXD8TU",
        ),  # noqa: E501
    },
    "tiktok.csv": {
        "578123456789012345": (
            S.CONFIRMED,
            [("AT-DEN-L", 1, 159_000)],
            157_000,
            157_000,
            None,
            None,
        ),  # noqa: E501
        "578123456789012346": (
            S.SHIPPED,
            [("GS-TRANG-38", 1, 599_000)],
            549_000,
            549_000,
            "jt",
            "852000123456",
        ),  # noqa: E501
        "578123456789012347": (
            S.DELIVERED,
            [("AT-DEN-M", 1, 159_000), ("ML-BE", 2, 129_000)],
            422_000,
            422_000,
            "ghn",
            "GYLXE1CD",
        ),  # noqa: E501
        "578123456789012348": (
            S.CANCELLED,
            [("VH-VANG-M", 1, 329_000)],
            329_000,
            329_000,
            None,
            None,
        ),  # noqa: E501
        "578123456789012349": (S.PENDING, [("SM-LINEN-M", 1, 289_000)], 304_000, 0, None, None),  # noqa: E501
    },
    "lazada.xlsx": {
        "412345678901234": (S.PENDING, [("AT-DEN-L", 2, 159_000)], 334_000, 334_000, None, None),  # noqa: E501
        "412345678901235": (
            S.CONFIRMED,
            [("GS-TRANG-38", 1, 599_000)],
            569_000,
            0,
            "lex",
            "LEXVN0123456789",
        ),  # noqa: E501
        "412345678901236": (
            S.SHIPPED,
            [("QJ-SUONG-30", 1, 399_000)],
            421_000,
            421_000,
            "lex",
            "LEXVN0123456790",
        ),  # noqa: E501
        "412345678901237": (
            S.DELIVERED,
            [("ML-BE", 1, 129_000), ("AT-DEN-M", 1, 159_000)],
            308_000,
            308_000,
            "lex",
            "LEXVN0123456791",
        ),  # noqa: E501
        "412345678901238": (
            S.CANCELLED,
            [("SM-LINEN-M", 1, 289_000)],
            289_000,
            289_000,
            None,
            None,
        ),  # noqa: E501
    },
}
SOURCE = {"shopee.xlsx": "shopee", "tiktok.csv": "tiktok", "lazada.xlsx": "lazada"}


@pytest.mark.parametrize("sample", list(EXPECTED))
def test_a_sample_export_imports_with_the_right_orders(shop: Store, sample: str) -> None:
    result = run(shop, MARKET / sample)
    assert (result.source, result.new, result.updated, result.unchanged) == (
        SOURCE[sample],
        5,
        0,
        0,
    )
    o = Order.__table__  # type: ignore[attr-defined]
    with shop.read() as session:
        for code, (status, lines, total, cod, carrier, number) in EXPECTED[sample].items():
            found = orders.get(session, code)
            assert found.status is status, code
            assert [(ln.sku, ln.qty, ln.unit_price) for ln in found.lines] == lines, code
            assert (found.total, found.cod, found.channel) == (total, cod, SOURCE[sample])
            assert found.paid == (0 if cod else total)
            row = (
                session.connection()
                .execute(sa.select(o.c.carrier, o.c.tracking).where(o.c.code == code))
                .one()
            )
            assert (row.carrier or None, row.tracking) == (carrier, number), code
        assert doctor.run(session) == []


def test_money_dates_and_stock_of_the_shopee_sample(shop: Store) -> None:
    run(shop, MARKET / "shopee.xlsx")
    with shop.read() as session:
        lan = orders.get(session, "261120QSK8S7BX")
        # Two shirts at 149.000 instead of 159.000: the marketplace's price cut.
        assert (lan.subtotal, lan.shipping_fee, lan.discount) == (447_000, 15_000, 20_000)
        assert lan.note == "Giao giờ hành chính"
        assert lan.street == "12 Lý Thường Kiệt" and lan.district == "Quận Hoàn Kiếm"
        assert lan.ward == "Phường Cửa Nam" and lan.phone == "+84912345678"
        assert lan.created_at.strftime("%Y-%m-%d") == "2026-11-20"
        shirts = ledger.stock_row(session, "AT-DEN-M")
        jeans = ledger.stock_row(session, "QJ-SUONG-30")
        dress = ledger.stock_row(session, "VH-VANG-M")
    # Pending and to-ship orders hold their stock; shipped and delivered took it; the
    # cancelled one let it go.
    assert (shirts.on_hand, shirts.reserved) == (40, 2)
    assert (jeans.on_hand, jeans.reserved) == (8, 1)
    assert (dress.on_hand, dress.reserved) == (5, 0)


@pytest.mark.parametrize("sample", list(EXPECTED))
def test_importing_the_same_export_again_changes_nothing(shop: Store, sample: str) -> None:
    run(shop, MARKET / sample)
    before = snapshot(shop)
    again = run(shop, MARKET / sample)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)
    assert again.differences == []
    assert snapshot(shop) == before


ID_HEADS = ("Mã đơn hàng", "Order ID", "Order Number")


def edited(path: Path, out: Path, change: dict[str, dict[tuple[str, ...], str]]) -> Path:
    """The export with some cells of some orders changed: order ID → {header names: value}
    (the first of the names the file has)."""

    def apply(rows: list[list[object]]) -> None:
        head_at = next(i for i, r in enumerate(rows) if any(c in ID_HEADS for c in r))
        at = {str(name): i for i, name in enumerate(rows[head_at])}
        pick = next(at[h] for h in ID_HEADS if h in at)
        for row in rows[head_at + 1 :]:
            for heads, value in change.get(str(row[pick]), {}).items():
                row[next(at[h] for h in heads if h in at)] = value

    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows: list[list[object]] = [list(r) for r in csv.reader(handle)]
        apply(rows)
        with open(out, "w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows)
    else:
        shutil.copy(path, out)
        book = load_workbook(out)
        sheet = book.active
        grid = [[c.value for c in r] for r in sheet.iter_rows()]
        apply(grid)  # type: ignore[arg-type]
        for r, row in enumerate(grid, start=1):
            for c, value in enumerate(row, start=1):
                sheet.cell(r, c, value)
        book.save(out)
    return out


STATUS_HEADS = ("Trạng Thái Đơn Hàng", "Order Status", "Status")
NUMBER_HEADS = ("Mã vận đơn", "Tracking ID", "Tracking Code")
CARRIER_HEADS = ("Đơn Vị Vận Chuyển", "Shipping Provider Name", "Shipping Provider")
SKU_HEADS = ("SKU phân loại hàng", "Seller SKU")


def newer(path: Path, out: Path, statuses: dict[str, str], numbers: dict[str, str]) -> Path:
    """The same export a day later: some orders in a new status, with a tracking number."""
    change: dict[str, dict[tuple[str, ...], str]] = {}
    for code, status in statuses.items():
        change.setdefault(code, {})[STATUS_HEADS] = status
    for code, number in numbers.items():
        change.setdefault(code, {}).update({NUMBER_HEADS: number, CARRIER_HEADS: "Giao Hàng Nhanh"})
    return edited(path, out, change)


# Per sample: a waiting order now to ship with a tracking number, a shipped one now
# delivered, and a waiting one cancelled by the buyer.
MOVES = {
    "shopee.xlsx": (
        {"261120R2D4F6H8": "Đang giao", "261121K9M3N5P7": "Hoàn thành", "261120QSK8S7BX": "Đã hủy"},  # noqa: E501
        {"261120R2D4F6H8": "SPXVN061234567890"},
        ("261120R2D4F6H8", S.SHIPPED, "261121K9M3N5P7", S.DELIVERED, "261120QSK8S7BX"),
    ),
    "tiktok.csv": (
        {
            "578123456789012345": "Shipped",
            "578123456789012346": "Delivered",
            "578123456789012349": "Cancelled",
        },  # noqa: E501
        {"578123456789012345": "GYLXF2EF"},
        ("578123456789012345", S.SHIPPED, "578123456789012346", S.DELIVERED, "578123456789012349"),  # noqa: E501
    ),
    "lazada.xlsx": (
        {
            "412345678901235": "shipped",
            "412345678901236": "delivered",
            "412345678901234": "canceled",
        },  # noqa: E501
        {},
        ("412345678901235", S.SHIPPED, "412345678901236", S.DELIVERED, "412345678901234"),
    ),
}


@pytest.mark.parametrize("sample", list(MOVES))
def test_a_newer_export_updates_exactly_what_moved(
    shop: Store, sample: str, tmp_path: Path
) -> None:
    statuses, numbers, (moved, to, done, delivered, cancelled) = MOVES[sample]
    run(shop, MARKET / sample)
    with shop.read() as session:
        held = {ln.sku: ln.qty for ln in orders.get(session, cancelled).lines}
        before = {sku: ledger.stock_row(session, sku).reserved for sku in held}
        untouched = [c for c in EXPECTED[sample] if c not in (moved, done, cancelled)]
        kept = {c: orders.get(session, c) for c in untouched}
    result = run(shop, newer(MARKET / sample, tmp_path / f"newer-{sample}", statuses, numbers))
    assert (result.new, result.updated, result.unchanged) == (0, 3, 2)
    with shop.read() as session:
        assert orders.get(session, moved).status is to
        assert orders.get(session, done).status is delivered
        assert orders.get(session, cancelled).status is S.CANCELLED
        for sku, qty in held.items():
            assert ledger.stock_row(session, sku).reserved == before[sku] - qty
        assert {c: orders.get(session, c) for c in untouched} == kept
        assert doctor.run(session) == []


# Per sample: an order of one item, and the row it is on.
ONE_ITEM = {
    "shopee.xlsx": ("261121K9M3N5P7", 7),
    "tiktok.csv": ("578123456789012349", 8),
    "lazada.xlsx": ("412345678901238", 9),  # under Lazada's title row
}


@pytest.mark.parametrize("sample", list(ONE_ITEM))
def test_an_unknown_sku_stops_the_import_and_names_its_row(
    shop: Store, sample: str, tmp_path: Path
) -> None:
    code, row = ONE_ITEM[sample]
    path = edited(MARKET / sample, tmp_path / sample, {code: {SKU_HEADS: "SM-LINEN-XL"}})
    with pytest.raises(ImportRejected) as rejected:
        run(shop, path)
    [error] = rejected.value.errors
    assert error.row == row and error.column in SKU_HEADS
    assert "SM-LINEN-XL" in error.message()
    assert snapshot(shop)[0] == []
    # Asked to, it leaves that item out; its order had no other item, so it is skipped.
    result = run(shop, path, skip_unknown_sku=True)
    assert result.new == 4 and result.skipped_lines == [f"{row}: SM-LINEN-XL"]
    with shop.read() as session:
        assert doctor.run(session) == []


def test_a_bad_file_changes_nothing_and_names_every_bad_row(shop: Store, tmp_path: Path) -> None:
    path = tmp_path / "tiktok.csv"
    text = (MARKET / "tiktok.csv").read_text(encoding="utf-8-sig")
    text = text.replace(",Shipped,", ",Lost in space,").replace("422.000", "bốn trăm")
    path.write_text(text, encoding="utf-8-sig")
    with pytest.raises(ImportRejected) as rejected:
        run(shop, path)
    assert [(e.row, e.column, e.params.get("value")) for e in rejected.value.errors] == [
        (4, "Order Status", "Lost in space"),
        (5, "Order Amount", "bốn trăm"),
        (6, "Order Amount", "bốn trăm"),
    ]
    assert snapshot(shop)[0] == []


def test_the_source_is_recognised_by_its_columns() -> None:
    for sample, source in SOURCE.items():
        sheet = read_table(MARKET / sample, is_header=lambda cells: "status" in " ".join(cells))
        assert recognise(sheet.headers).id == source


@pytest.mark.parametrize(
    ("text", "amount"),
    [("90.000", 90_000), ("1.290.000", 1_290_000), ("90,000", 90_000), ("90000", 90_000),
     ("90000.0", 90_000), ("₫90.000", 90_000), ("90.000 VND", 90_000), ("", 0), ("abc", None)],
)  # fmt: skip
def test_money_as_marketplaces_write_it(text: str, amount: int | None) -> None:
    assert money(text) == amount


def test_marketplace_ids_survive_export_labels_and_barcodes(shop: Store, tmp_path: Path) -> None:
    import pypdfium2 as pdfium
    import zxingcpp

    from orderdesk.printing import pdf
    from orderdesk.printing.documents import Shop
    from orderdesk.printing.label import LABEL_SIZES
    from orderdesk.services import print_batches as batch

    run(shop, MARKET / "tiktok.csv")
    run(shop, MARKET / "shopee.xlsx")
    ids = ["578123456789012345", "261120QSK8S7BX"]
    out = tmp_path / "orders.csv"
    with shop.read() as session:
        export_orders(session, out)
        o = Order.__table__  # type: ignore[attr-defined]
        keys = [
            session.connection().execute(sa.select(o.c.id).where(o.c.code == c)).scalar_one()
            for c in ids
        ]
        printable = batch.load(session, keys, default_carrier="ghn")
    with open(out, encoding="utf-8-sig") as handle:
        exported = {row["order_code"] for row in csv.DictReader(handle)}
    assert set(ids) <= exported
    data = io.BytesIO()
    pdf.write_labels(
        data, printable, Shop("Tiệm Lan", "0901234567", "Hà Nội"), LABEL_SIZES["100x150"], None
    )  # type: ignore[arg-type]  # noqa: E501
    document = pdfium.PdfDocument(data.getvalue())
    for page, code in enumerate(ids):
        image = document[page].render(scale=203 / 72 - 1e-6, grayscale=True).to_pil()
        read = {r.text for r in zxingcpp.read_barcodes(image)}
        assert code in read, (code, read)


def test_other_changes_in_a_later_file_are_shown_not_written(shop: Store, tmp_path: Path) -> None:
    run(shop, MARKET / "tiktok.csv")
    before = snapshot(shop)
    path = tmp_path / "tiktok.csv"
    text = (MARKET / "tiktok.csv").read_text(encoding="utf-8-sig")
    path.write_text(text.replace("(+84)912000111", "(+84)912000999"), encoding="utf-8-sig")
    result = run(shop, path)
    assert (result.new, result.updated, result.unchanged) == (0, 0, 5)
    assert result.differences == [
        "578123456789012345: the file gives another phone (0912 000 999; here: 0912 000 111)"
        " — not changed"
    ]
    assert snapshot(shop) == before


def test_the_command_line_imports_and_reports(
    db_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from orderdesk.cli import main

    def cli(*args: str) -> tuple[int, str, str]:
        try:
            main(["--lang", "en", "--db", str(db_path), *args])
            code = 0
        except SystemExit as done:
            code = int(done.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    assert cli("import", "products", str(SAMPLES / "products.csv"))[0] == 0
    bad = tmp_path / "shopee.csv"
    bad.write_text("Mã đơn hàng,Trạng Thái Đơn Hàng,SKU phân loại hàng\n261120QSK8S7BX,Đã giao,X\n")
    code, _, err = cli("import", "orders", str(bad), "--from", "shopee")
    assert code == 1 and "row 1" in err and "required column is missing" in err
    code, out, _ = cli("import", "orders", str(MARKET / "shopee.xlsx"), "--from", "auto")
    assert (code, out.strip()) == (
        0,
        "Shopee: 6 row(s); 5 new order(s), 0 updated, 0 unchanged",
    )
    code, out, _ = cli(
        "import", "orders", str(MARKET / "tiktok.csv"), "--from", "tiktok", "--dry-run"
    )
    assert (
        code == 0
        and out.startswith("(dry run, nothing written) TikTok Shop:")
        and "5 new order(s)" in out
    )
    code, out, _ = cli("order", "list", "--json")
    assert {o["code"] for o in json.loads(out)} == set(EXPECTED["shopee.xlsx"])
    code, _, err = cli("import", "products", str(MARKET / "tiktok.csv"), "--from", "tiktok")
    assert code == 2 and "import orders" in err


# Shopee's English export names the same columns so.
SHOPEE_ENGLISH = {
    "Mã đơn hàng": "Order ID",
    "Ngày đặt hàng": "Order Creation Date",
    "Trạng Thái Đơn Hàng": "Order Status",
    "Mã vận đơn": "Tracking Number*",
    "Đơn Vị Vận Chuyển": "Shipping Option",
    "SKU sản phẩm": "Parent SKU Reference No.",
    "Tên sản phẩm": "Product Name",
    "SKU phân loại hàng": "SKU Reference No.",
    "Tên phân loại hàng": "Variation Name",
    "Giá gốc": "Original Price",
    "Giá ưu đãi": "Deal Price",
    "Số lượng": "Quantity",
    "Phí vận chuyển mà người mua trả": "Buyer Paid Shipping Fee",
    "Tổng số tiền người mua thanh toán": "Grand Total",
    "Phương thức thanh toán": "Payment Method",
    "Tên Người nhận": "Receiver Name",
    "Số điện thoại": "Phone Number",
    "Tỉnh/Thành phố": "Province",
    "TP / Quận / Huyện": "City",
    "Quận": "District",
    "Địa chỉ nhận hàng": "Delivery Address",
    "Ghi chú": "Remark from buyer",
}


def test_a_shopee_export_with_english_headers_as_csv(shop: Store, tmp_path: Path) -> None:
    book = load_workbook(MARKET / "shopee.xlsx", read_only=True)
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    rows[0] = [SHOPEE_ENGLISH.get(str(h), h) for h in rows[0]]
    path = tmp_path / "shopee-en.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([["" if c is None else c for c in r] for r in rows])
    result = run(shop, path)
    assert (result.source, result.new) == ("shopee", 5)
    with shop.read() as session:
        lan = orders.get(session, "261120QSK8S7BX")
        assert (lan.total, lan.ward, lan.district) == (442_000, "Phường Cửa Nam", "Quận Hoàn Kiếm")


WARD_HEADS = ("Quận", "Commune", "Shipping Address5")
DISTRICT_HEADS = ("TP / Quận / Huyện", "District", "Shipping Address4")
ADDRESS_HEADS = ("Địa chỉ nhận hàng",)
SHOPEE_PLACES = {
    "261118T4V6W8X2": ("Phường Hải Châu", "88 Nguyễn Văn Linh"),
    "261119Z1Y3X5W7": ("Xã Văn Lăng", "Thôn 3"),
    "261120QSK8S7BX": ("Phường Cửa Nam", "12 Lý Thường Kiệt"),
    "261120R2D4F6H8": ("Phường Bến Thành", "45 Lê Lợi"),
    "261121K9M3N5P7": ("Phường Hà Đông", "Ngõ 5, 20 Trần Phú"),
}


def places(store: Store) -> dict[str, tuple[str, str]]:
    with store.read() as session:
        return {o.code: (o.ward, o.street) for o in orders.list_orders(session)}


def test_blank_ward_and_district_columns_take_the_ward_from_the_address_line(
    shop: Store, tmp_path: Path
) -> None:
    blank = {code: {WARD_HEADS: "", DISTRICT_HEADS: ""} for code in SHOPEE_PLACES}
    result = run(shop, edited(MARKET / "shopee.xlsx", tmp_path / "blank.xlsx", blank))
    assert result.new == 5 and result.converted == []
    assert places(shop) == SHOPEE_PLACES
    # The same export again: the address read from the line is the same, nothing changes.
    before = snapshot(shop)
    again = run(shop, tmp_path / "blank.xlsx")
    assert (again.unchanged, again.differences) == (5, []) and snapshot(shop) == before


def test_an_old_address_in_an_export_is_converted_and_reported(shop: Store, tmp_path: Path) -> None:
    old = {
        "261120R2D4F6H8": {
            WARD_HEADS: "Phường 5",
            DISTRICT_HEADS: "Quận 3",
            ADDRESS_HEADS: "45 Lê Lợi, Phường 5, Quận 3, TP. Hồ Chí Minh",
        },
        "261120QSK8S7BX": {
            WARD_HEADS: "",
            DISTRICT_HEADS: "",
            ADDRESS_HEADS: "12 Lý Thường Kiệt, Dịch Vọng Hậu, Cầu Giấy, Hà Nội",
        },
    }
    path = edited(MARKET / "shopee.xlsx", tmp_path / "old.xlsx", old)
    with pytest.raises(ImportRejected) as refused:
        run(shop, path)
    [error] = refused.value.errors  # the split ward: nothing guessed, the row named
    assert error.key == "err.ward.old_split" and error.row == 4
    assert "Phường Cầu Giấy" in error.message() and "Phường Nghĩa Đô" in error.message()
    old["261120QSK8S7BX"][ADDRESS_HEADS] = "12 Lý Thường Kiệt, Phường Nghĩa Đô, Hà Nội"
    result = run(shop, edited(MARKET / "shopee.xlsx", tmp_path / "old.xlsx", old))
    assert result.new == 5 and len(result.converted) == 1
    assert "Phường 5, Quận 3" in result.converted[0] and "Phường Bàn Cờ" in result.converted[0]
    with shop.read() as session:
        order = orders.get(session, "261120R2D4F6H8")
    assert (order.ward, order.street) == ("Phường Bàn Cờ", "45 Lê Lợi")
    assert order.old_address.startswith("Phường 5, Quận 3")


def test_orders_keep_the_carrier_their_export_names(shop: Store, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from orderdesk.printing import pdf
    from orderdesk.printing.documents import Shop
    from orderdesk.printing.label import LABEL_SIZES
    from orderdesk.services import print_batches as batch

    named = {
        # Booked with J&T, no tracking number yet: its label is J&T's, not the default's.
        "578123456789012345": {CARRIER_HEADS: "J&T Express"},
        # A courier orderdesk has no module for: kept as written, never the default.
        "578123456789012349": {CARRIER_HEADS: "Ninja Van"},
    }
    run(shop, edited(MARKET / "tiktok.csv", tmp_path / "tiktok.csv", named))
    o = Order.__table__  # type: ignore[attr-defined]
    with shop.read() as session:
        conn = session.connection()
        rows = {
            r.code: (r.carrier, r.carrier_name, r.tracking)
            for r in conn.execute(sa.select(o.c.code, o.c.carrier, o.c.carrier_name, o.c.tracking))
        }
        ids = [conn.execute(sa.select(o.c.id).where(o.c.code == c)).scalar_one() for c in named]
        printable = batch.load(session, ids, default_carrier="ghn")
    assert rows["578123456789012345"] == ("jt", "", None)
    assert rows["578123456789012349"] == ("other", "Ninja Van", None)
    assert [p.carrier_name for p in printable] == ["J&T Express", "Ninja Van"]
    data = io.BytesIO()
    pdf.write_labels(
        data, printable, Shop("Tiệm Lan", "0901234567", "Hà Nội"), LABEL_SIZES["100x150"], None
    )  # type: ignore[arg-type]
    pages = [page.extract_text() for page in PdfReader(data).pages]
    assert "J&T Express" in pages[0] and "Ninja Van" in pages[1]
    assert not any("Giao Hàng Nhanh" in text for text in pages)


def test_a_later_export_gives_a_booked_order_its_carrier(shop: Store, tmp_path: Path) -> None:
    run(shop, MARKET / "tiktok.csv")
    booked = {"578123456789012345": {CARRIER_HEADS: "J&T Express"}}
    result = run(shop, edited(MARKET / "tiktok.csv", tmp_path / "later.csv", booked))
    assert result.updated == 1
    o = Order.__table__  # type: ignore[attr-defined]
    with shop.read() as session:
        carrier = session.connection().execute(
            sa.select(o.c.carrier).where(o.c.code == "578123456789012345")
        )
        assert carrier.scalar_one() == "jt"


def test_a_ghtk_label_id_from_a_marketplace_is_stored_as_ghtk_stores_it(
    shop: Store, tmp_path: Path
) -> None:
    shipped = {
        "578123456789012346": {
            CARRIER_HEADS: "Giao Hàng Tiết Kiệm",
            NUMBER_HEADS: "S22749126.SGP39-J31.1375835526",
        }
    }
    run(shop, edited(MARKET / "tiktok.csv", tmp_path / "ghtk.csv", shipped))
    o = Order.__table__  # type: ignore[attr-defined]
    with shop.read() as session:
        row = session.connection().execute(
            sa.select(o.c.carrier, o.c.tracking).where(o.c.code == "578123456789012346")
        )
        assert tuple(row.one()) == ("ghtk", "1375835526")

"""Imports are all-or-nothing and name every bad row; exports are spreadsheet-safe and
import back to the same data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from helpers import add_product, create, stock_of
from orderdesk.db import Store, open_store
from orderdesk.errors import ImportRejected
from orderdesk.formats.sheets import FileUnreadable
from orderdesk.models.enums import OrderStatus
from orderdesk.services import doctor, orders
from orderdesk.services.files.orders import export_orders, import_orders
from orderdesk.services.files.products import export_products, import_products

SAMPLES = Path(__file__).parents[2] / "assets" / "samples"


def write_csv(
    path: Path, rows: list[list[object]], *, delimiter: str = ",", bom: bool = False
) -> Path:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def table_dump(store: Store) -> dict[str, list[tuple[object, ...]]]:
    with store.engine.connect() as conn:
        return {
            t: conn.execute(sa.text(f"SELECT * FROM {t}")).fetchall()
            for t in (
                "products",
                "stock",
                "stock_moves",
                "orders",
                "order_lines",
                "customers",
                "code_counters",
                "order_events",
            )
        }


def run_import(store: Store, kind: str, path: Path):  # type: ignore[no-untyped-def]
    with store.write() as session:
        return (import_products if kind == "products" else import_orders)(session, path)


HEADER = ["order_code", "name", "phone", "street", "ward", "province", "sku", "qty", "unit_price"]


def test_an_orders_file_with_bad_rows_changes_nothing_and_names_each_row(
    store: Store, tmp_path: Path
) -> None:
    add_product(store, "AT-1", on_hand=10)
    before = table_dump(store)
    path = write_csv(
        tmp_path / "bad.csv",
        [
            HEADER,
            ["A1", "Nguyễn Lan", "0912345678", "1 Lê Lợi", "Cửa Nam", "Hà Nội", "AT-1", "1", ""],
            ["A2", "Trần Minh", "0912x", "1 Lê Lợi", "Cửa Nam", "Hà Nội", "AT-1", "1", ""],
            ["A3", "Lê Hà", "0987654321", "1 Lê Lợi", "Cửa Nam", "Hà Nội", "NOPE", "1", ""],
            ["A4", "Lê Hà", "0987654321", "1 Lê Lợi", "Phường Ba Bể", "Hà Nội", "AT-1", "1", ""],
            ["A5", "Lê Hà", "0987654321", "1 Lê Lợi", "Cửa Nam", "Hà Nội", "AT-1", "0", ""],
            ["A6", "Lê Hà", "0987654321", "1 Lê Lợi", "Cửa Nam", "Hà Nội", "AT-1", "1", "abc"],
            ["A7", "Lê Hà", "0987654321", "1 Lê Lợi", "Cửa Nam", "Hà Nội", "AT-1", "1", ""],
            ["A7", "Lê Hà", "0987654321", "1 Lê Lợi", "Cửa Nam", "Hà Nội", "AT-1", "2", ""],
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        run_import(store, "orders", path)
    found = {(e.row, e.column) for e in caught.value.errors}
    assert found == {
        (3, "phone"),
        (4, "sku"),
        (5, "ward"),
        (6, "qty"),
        (7, "unit_price"),
        (9, "sku"),
    }
    repeated = next(e for e in caught.value.errors if e.row == 9)
    assert repeated.message() == "row 9, column sku: SKU 'AT-1' is already on line 1 of this order"
    assert "row 3, column phone:" in caught.value.errors[0].message()
    assert table_dump(store) == before


def test_a_products_file_with_bad_rows_changes_nothing(store: Store, tmp_path: Path) -> None:
    before = table_dump(store)
    path = write_csv(
        tmp_path / "bad.csv",
        [
            ["sku", "name", "price", "stock"],
            ["OK-1", "Áo tốt", "100000", "5"],
            ["OK-2", "Áo giá lạ", "mười nghìn", "5"],
            ["OK-1", "Áo trùng mã", "90000", "1"],
            ["", "Không mã", "1000", ""],
            ["OK-3", "Tồn âm", "1000", "-4"],
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        run_import(store, "products", path)
    assert {(e.row, e.column) for e in caught.value.errors} == {
        (3, "price"),
        (4, "sku"),
        (5, "sku"),
        (6, "stock"),
    }
    assert "also on row 2" in next(e for e in caught.value.errors if e.row == 4).message()
    assert table_dump(store) == before


def test_a_missing_required_column_is_reported_before_any_row(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cols.csv", [["sku", "name"], ["A", "B"]])
    with pytest.raises(ImportRejected) as caught:
        run_import(store, "products", path)
    assert [(e.row, e.column) for e in caught.value.errors] == [(1, "price")]


def test_the_sample_files_import_with_orders_waiting_where_stock_is_short(
    store: Store,
) -> None:
    result = run_import(store, "products", SAMPLES / "products.csv")
    assert (result.created, result.updated) == (12, 0)
    result = run_import(store, "orders", SAMPLES / "orders.csv")
    assert (result.created, result.pending, result.awaiting) == (6, 5, 1)
    with store.read() as session:
        lan = orders.get(session, "FB-0001")
        shopee = orders.get(session, "SP-220810QSK8S7BX")
        waiting = orders.get(session, "WEB-0005")
        assert doctor.run(session) == []
    assert [(ln.sku, ln.qty) for ln in lan.lines] == [("AT-DEN-M", 2), ("ML-BE", 1)]
    assert lan.total == 2 * 159_000 + 129_000 + 25_000
    assert (shopee.paid, shopee.cod) == (shopee.total, 0)
    assert shopee.lines[0].unit_price == 299_000  # the file's price, not the catalog's
    assert waiting.status is OrderStatus.AWAITING_STOCK
    assert stock_of(store, "AT-DEN-M").reserved == 2


def test_xlsx_and_semicolon_csv_with_bom_import_alike(store: Store, tmp_path: Path) -> None:
    rows = [
        ["sku", "name", "price", "barcode", "stock"],
        ["X-1", "Áo thun đen", 150000, "8930000000017", 3],
        ["X-2", "Quần short kaki", "229.000", "", ""],
    ]
    result = run_import(store, "products", write_xlsx(tmp_path / "p.xlsx", rows))
    assert result.created == 2
    rows[1][1] = "Áo thun đen (mới)"
    result = run_import(
        store, "products", write_csv(tmp_path / "p.csv", rows, delimiter=";", bom=True)
    )
    assert (result.created, result.updated) == (0, 2)
    row = stock_of(store, "X-1")
    assert (row.name, row.price, row.on_hand, row.barcode) == (
        "Áo thun đen (mới)",
        150_000,
        3,
        "8930000000017",
    )
    assert stock_of(store, "X-2").price == 229_000


def test_xlsx_orders_keep_phone_numbers_excel_stored_as_numbers(
    store: Store, tmp_path: Path
) -> None:
    add_product(store, "AT-1", on_hand=5)
    path = write_xlsx(
        tmp_path / "o.xlsx",
        [
            HEADER,
            ["X9", "Nguyễn Lan", 912345678, "1 Lê Lợi", "Cửa Nam", "Hà Nội", "AT-1", 2, None],
        ],
    )
    run_import(store, "orders", path)
    with store.read() as session:
        assert orders.get(session, "X9").phone == "+84912345678"


def test_dry_run_style_rollback_leaves_no_trace(store: Store) -> None:
    # The CLI's --dry-run runs the import in a transaction it then abandons.
    before = table_dump(store)
    with pytest.raises(RuntimeError), store.write() as session:
        import_products(session, SAMPLES / "products.csv")
        raise RuntimeError("dry run")
    assert table_dump(store) == before


def test_export_then_import_gives_the_same_shop(
    store: Store, tmp_path: Path, template_db: Path
) -> None:
    run_import(store, "products", SAMPLES / "products.csv")
    run_import(store, "orders", SAMPLES / "orders.csv")
    with store.read() as session:
        export_products(session, tmp_path / "products.csv")
        export_orders(session, tmp_path / "orders.csv")
        original = orders.list_orders(session)
    fresh = open_store(tmp_path / "fresh.db")
    with fresh.write() as session:
        import_products(session, tmp_path / "products.csv")
    with fresh.write() as session:
        result = import_orders(session, tmp_path / "orders.csv")
    assert any("status" in w for w in result.warnings)
    with fresh.read() as session:
        copied = orders.list_orders(session)

    def essence(order):  # type: ignore[no-untyped-def]
        return (
            order.code,
            order.name,
            order.phone,
            order.email,
            order.street,
            order.ward,
            order.province,
            order.subtotal,
            order.shipping_fee,
            order.discount,
            order.paid,
            order.cod,
            order.payment,
            order.deliver_by,
            order.inspection,
            order.note,
            order.channel,
            [(ln.sku, ln.qty, ln.unit_price) for ln in order.lines],
        )

    assert sorted(map(essence, copied)) == sorted(map(essence, original))
    fresh.dispose()


def test_exports_neutralize_formulas_and_import_them_back_unchanged(
    store: Store, tmp_path: Path
) -> None:
    add_product(
        store,
        "SAFE-1",
        on_hand=2,
        name='=HYPERLINK("http://evil","click")',
        variant="+1 size",
        color="@red",
        size="-S",
    )
    with store.read() as session:
        export_products(session, tmp_path / "out.csv")
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert '"\'=HYPERLINK(""http://evil"",""click"")"' in text
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    fresh = open_store(tmp_path / "fresh.db")
    with fresh.write() as session:
        import_products(session, tmp_path / "out.csv")
    row = stock_of(fresh, "SAFE-1")
    assert (row.name, row.variant, row.color, row.size) == (
        '=HYPERLINK("http://evil","click")',
        "+1 size",
        "@red",
        "-S",
    )
    fresh.dispose()


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"", "err.file.empty"),
        (b"\xff\xfe\x00bad", "err.file.encoding"),
        (b"PK\x03\x04not really a zip", "err.file.xlsx"),
        (b"a,b\x00,c", "err.file.binary"),
    ],
)
def test_unreadable_files_get_a_clear_reason(
    store: Store, tmp_path: Path, content: bytes, key: str
) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    with pytest.raises(FileUnreadable) as caught:
        run_import(store, "products", path)
    assert caught.value.key == key


def test_unknown_columns_are_ignored_with_a_warning(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        [["sku", "name", "price", "supplier"], ["A-1", "Áo", "1000", "Xưởng Hà Đông"]],
    )
    result = run_import(store, "products", path)
    assert result.created == 1
    assert result.warnings == ["column 'supplier' is not known and was ignored"]


def test_rows_of_one_order_must_agree(store: Store, tmp_path: Path) -> None:
    add_product(store, "AT-1", on_hand=5)
    add_product(store, "AT-2", on_hand=5)
    path = write_csv(
        tmp_path / "o.csv",
        [
            HEADER,
            ["Z1", "Nguyễn Lan", "0912345678", "1 Lê Lợi", "Cửa Nam", "Hà Nội", "AT-1", "1", ""],
            ["Z1", "Nguyễn Lan", "0987654321", "", "", "", "AT-2", "1", ""],
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        run_import(store, "orders", path)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "phone")]


def test_an_order_code_that_exists_is_refused(store: Store, tmp_path: Path) -> None:
    add_product(store, "AT-1", on_hand=5)
    code = create(store, {"AT-1": 1}).code
    path = write_csv(
        tmp_path / "o.csv",
        [
            HEADER,
            [code, "Nguyễn Lan", "0912345678", "1 Lê Lợi", "Cửa Nam", "Hà Nội", "AT-1", "1", ""],
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        run_import(store, "orders", path)
    assert [(e.row, e.column, e.key) for e in caught.value.errors] == [
        (2, "order_code", "err.code.taken")
    ]


def test_the_sample_reviews_import_once_the_orders_are_delivered(store: Store) -> None:
    from helpers import act
    from orderdesk.models.enums import Action
    from orderdesk.services import reviews
    from orderdesk.services.files.reviews import import_reviews

    run_import(store, "products", SAMPLES / "products.csv")
    run_import(store, "orders", SAMPLES / "orders.csv")
    with store.write() as session, pytest.raises(ImportRejected) as rejected:
        import_reviews(session, SAMPLES / "reviews.csv")
    assert [e.row for e in rejected.value.errors] == [2, 3, 4]  # not delivered yet
    for code in ("FB-0001", "ZL-0002"):
        for action in (Action.CONFIRM, Action.PACK, Action.SHIP, Action.DELIVER):
            act(store, code, action, tick_all=True)
    with store.write() as session:
        result = import_reviews(session, SAMPLES / "reviews.csv")
    assert (result.created, result.pending) == (3, 1)
    with store.read() as session:
        [low] = reviews.queue(session)
    assert (low.code, low.sku, low.stars) == ("FB-0001", "AT-DEN-M", 2)
    assert low.comment == "Size nhỏ hơn bảng size, mặc bị chật"

"""Orders pasted from chat: what is recognised, and what is left for the seller."""

from __future__ import annotations

import pytest

from orderdesk.services.orders import ProductRef
from orderdesk.services.paste import parse

CATALOG = [
    ProductRef(1, "AT-DEN-M", "Áo thun cotton", "Cổ tròn", "Đen", "M", 175_000, True),
    ProductRef(2, "AT-DEN-L", "Áo thun cotton", "Cổ tròn", "Đen", "L", 175_000, True),
    ProductRef(3, "AT-TRANG-M", "Áo thun cotton", "Cổ tròn", "Trắng", "M", 175_000, True),
    ProductRef(4, "QJ-30", "Quần jean ống suông", "", "Xanh nhạt", "30", 399_000, True),
    ProductRef(5, "ML-DEN", "Mũ lưỡi trai", "", "Đen", "", 129_000, True),
]


def test_one_line_messenger_style() -> None:
    got = parse(
        "Chị Lan 0912345678, 12 Lý Thường Kiệt, P. Cửa Nam, Hà Nội, lấy 2 áo thun đen size M, 350k",
        CATALOG,
    )
    assert (got.phone, got.name, got.street) == ("0912 345 678", "Chị Lan", "12 Lý Thường Kiệt")
    assert (got.ward, got.province) == ("Phường Cửa Nam", "Thành phố Hà Nội")
    assert [(i.sku, i.qty) for i in got.items] == [("AT-DEN-M", 2)]
    assert got.amount == 350_000 and got.unread == []


def test_labelled_lines_style() -> None:
    got = parse(
        "Tên: Trần Văn Minh\nSĐT: +84 987 654 321\n"
        "Địa chỉ: 45 Lê Lợi, phường Bến Thành, TP HCM\n"
        "Đơn: 1 quần jean xanh nhạt 30\nTổng: 1tr2",
        CATALOG,
    )
    assert (got.phone, got.name, got.street) == ("0987 654 321", "Trần Văn Minh", "45 Lê Lợi")
    assert (got.ward, got.province) == ("Phường Bến Thành", "Thành phố Hồ Chí Minh")
    assert [(i.sku, i.qty) for i in got.items] == [("QJ-30", 1)]
    assert got.amount == 1_200_000


def test_unaccented_zalo_style_with_dashes_and_plus() -> None:
    got = parse(
        "minh anh - 0909.123.456 - so 5 ngo 20 tran phu, ha dong, ha noi - "
        "2 ao thun trang M + 1 mu den - ck 450.000d",
        CATALOG,
    )
    assert (got.phone, got.name) == ("0909 123 456", "Minh Anh")
    assert got.street == "so 5 ngo 20 tran phu"
    assert (got.ward, got.province) == ("Phường Hà Đông", "Thành phố Hà Nội")
    assert [(i.sku, i.qty) for i in got.items] == [("AT-TRANG-M", 2), ("ML-DEN", 1)]
    assert (got.amount, got.payment) == (450_000, "bank")


def test_street_and_ward_without_a_comma_and_an_ambiguous_product() -> None:
    got = parse(
        "ship cho a Hùng 0987 111 222, 8 Nguyễn Huệ phường Sài Gòn hcm, 1 ao thun, cod 199k",
        CATALOG,
    )
    assert (got.street, got.ward) == ("8 Nguyễn Huệ", "Phường Sài Gòn")
    assert got.province == "Thành phố Hồ Chí Minh"
    assert got.items == []  # three áo thun fit "ao thun": the seller picks
    assert got.unread == ["1 ao thun"]  # shown as typed, quantity included
    assert (got.amount, got.payment) == (199_000, "cod")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("350k", 350_000),
        ("1tr2", 1_200_000),
        ("2tr05", 2_050_000),
        ("1.5tr", 1_500_000),
        ("350.000đ", 350_000),
        ("350.000 VND", 350_000),
        ("tổng 1,250,000", 1_250_000),
        ("thu hộ 99k", 99_000),
    ],
)
def test_amounts_written_the_ways_sellers_write_them(text: str, amount: int) -> None:
    assert parse(f"Lan 0912345678, {text}", CATALOG).amount == amount


def test_a_message_with_nothing_recognisable_fills_nothing() -> None:
    got = parse("cảm ơn shop nhiều nha", CATALOG)
    assert (got.phone, got.street, got.ward, got.province, got.items, got.amount) == (
        "",
        "",
        "",
        "",
        [],
        None,
    )


def test_a_quantity_and_a_noun_are_enough_when_one_product_fits() -> None:
    got = parse("Hà 0912345678 - 1 mũ đen", CATALOG)
    assert [(i.sku, i.qty) for i in got.items] == [("ML-DEN", 1)]

"""The customer book: find a customer, see what they bought, sent back and said; notes,
tags, and merging two records of one person."""

from __future__ import annotations

import json

import pytest

from helpers import act, add_product, create
from orderdesk.db import Store
from orderdesk.errors import InvalidInput, NotFound
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.models.reads import CustomerRead, CustomerRow
from orderdesk.services import customers, doctor, orders, returns, reviews

LAN = "0912 345 678"
MINH = "0987 654 321"
AN = "0903 111 222"
LAN_2 = "0977 888 999"  # Lan's second phone
DELIVER = (Action.CONFIRM, Action.PACK, Action.SHIP, Action.DELIVER)


@pytest.fixture
def shop(store: Store) -> Store:
    add_product(store, "AT-1", price=175_000, on_hand=30)
    add_product(store, "QJ-30", price=420_000, on_hand=10)
    return store


def through(store: Store, code: str, *actions: Action) -> str:
    for action in actions:
        act(store, code, action, tick_all=True)
    return code


@pytest.fixture
def book_shop(shop: Store) -> dict[str, str]:
    """Lan's five orders, with figures worked out by hand:

    o1  AT-1 ×2 + 30,000 shipping, delivered     380,000 spent; 1 unit returned; 5 stars
    o2  QJ-30 ×1 − 20,000 discount, delivered    400,000 spent; 2 stars for QJ-30
    o3  AT-1 ×1 COD, sent back                   refused
    o4  AT-1 ×1 paid by bank, sent back          not refused (no COD)
    o5  AT-1 ×1, pending                         an order, nothing spent
    → 5 orders, 780,000 spent, 1 return, 1 refused, 2 reviews.
    """
    codes = {
        "o1": through(shop, create(shop, {"AT-1": 2}, shipping_fee=30_000).code, *DELIVER),
        "o2": through(shop, create(shop, {"QJ-30": 1}, discount=20_000).code, *DELIVER),
        "o3": through(
            shop,
            create(shop, {"AT-1": 1}).code,
            Action.CONFIRM,
            Action.PACK,
            Action.SHIP,
            Action.MARK_RETURNED,
        ),
        "o4": through(
            shop,
            create(shop, {"AT-1": 1}, payment="bank").code,
            Action.CONFIRM,
            Action.PACK,
            Action.SHIP,
            Action.START_RETURN,
        ),
        "o5": create(shop, {"AT-1": 1}).code,
    }
    with shop.write() as session:
        returns.create(session, codes["o1"], {"AT-1": 1}, reason="wrong_size")
        reviews.add(session, codes["o1"], 5, comment="Áo đẹp")
        reviews.add(session, codes["o2"], 2, comment="Quần bị chật", sku="QJ-30")
    codes["minh"] = through(
        shop, create(shop, {"QJ-30": 1}, name="Trần Văn Minh", phone=MINH).code, *DELIVER
    )
    codes["an"] = create(
        shop, {"AT-1": 1}, name="Nguyễn Văn An", phone=AN, street="3 Hùng Vương"
    ).code
    return codes


def figures(c: CustomerRead | CustomerRow) -> tuple[int, int, int, int, int]:
    """Orders, spent on delivered orders, returns, refused COD parcels, reviews."""
    return (c.orders, c.spent, c.returns, c.refused, c.reviews)


def phones(store: Store, text: str) -> list[str]:
    with store.read() as session:
        return [row.phone for row in customers.search(session, text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("nguyen van", [AN]),
        ("NGUYỄN văn", [AN]),
        ("nguyen", [AN, LAN]),  # the most recently active first
        ("thi lan", [LAN]),
        ("van", [AN, MINH]),
        ("0912 345 678", [LAN]),
        ("+84 912 345 678", [LAN]),
        ("912345678", [LAN]),
        ("345678", [LAN]),
        ("654 321", [MINH]),
        ("zzz", []),
        ("%", []),
    ],
)
def test_search_by_name_without_diacritics_or_by_any_part_of_the_phone(
    shop: Store, book_shop: dict[str, str], text: str, found: list[str]
) -> None:
    assert phones(shop, text) == found


def test_search_rows_carry_the_figures_of_the_customers_found(
    shop: Store, book_shop: dict[str, str]
) -> None:
    with shop.read() as session:
        [lan] = customers.search(session, "lan")
        [minh] = customers.search(session, "minh")
        last = orders.detail(session, book_shop["o5"]).order.created_at
    assert (lan.phone, lan.name, lan.province) == (LAN, "Nguyễn Thị Lan", "Thành phố Hà Nội")
    assert figures(lan) == (5, 780_000, 1, 1, 2)
    assert lan.last_order == last and lan.tags == []
    assert figures(minh) == (1, 420_000, 0, 0, 0)


def test_the_book_holds_the_figures_and_the_orders_reviews_and_returns(
    shop: Store, book_shop: dict[str, str]
) -> None:
    with shop.read() as session:
        page = customers.book(session, "912345678")
    c = page.customer
    assert (c.name, c.phone, c.street, c.ward, c.province) == (
        "Nguyễn Thị Lan",
        "+84912345678",
        "12 Lý Thường Kiệt",
        "Phường Cửa Nam",
        "Thành phố Hà Nội",
    )
    assert figures(c) == (5, 780_000, 1, 1, 2)
    o = book_shop
    assert [(x.code, x.status, x.total) for x in page.orders] == [
        (o["o5"], OrderStatus.PENDING, 175_000),
        (o["o4"], OrderStatus.RETURNING, 175_000),
        (o["o3"], OrderStatus.RETURNED, 175_000),
        (o["o2"], OrderStatus.DELIVERED, 400_000),
        (o["o1"], OrderStatus.DELIVERED, 380_000),
    ]
    assert sorted((r.code, r.sku, r.stars, r.comment) for r in page.reviews) == sorted(
        [(o["o1"], "", 5, "Áo đẹp"), (o["o2"], "QJ-30", 2, "Quần bị chật")]
    )
    assert [(r.code, r.kind, r.reason.value, r.refund) for r in page.returns] == [
        (o["o1"], "return", "wrong_size", 175_000)
    ]
    with shop.read() as session:
        # The summary the order entry shows counts the same way.
        assert customers.by_phone(session, LAN) == c


def test_an_unknown_or_invalid_phone_has_no_book(shop: Store) -> None:
    with shop.read() as session, pytest.raises(NotFound, match="0933 000 111"):
        customers.book(session, "0933000111")
    with shop.read() as session, pytest.raises(InvalidInput):
        customers.book(session, "0999")


def test_tags_are_cleaned_lower_cased_and_kept_once(shop: Store) -> None:
    create(shop)
    with shop.write() as session:
        tagged = customers.tag(session, LAN, add=["VIP", "  Sỉ ", "vip", "khách  quen, SỈ"])
    assert tagged.tags == ["vip", "sỉ", "khách quen"]
    with shop.write() as session:
        after = customers.tag(session, LAN, add=["mới"], remove=["SỈ", "không có"])
    assert after.tags == ["vip", "khách quen", "mới"]
    with shop.read() as session:
        assert customers.by_phone(session, LAN).tags == ["vip", "khách quen", "mới"]
        assert customers.book(session, LAN).customer.tags == ["vip", "khách quen", "mới"]
        assert customers.search(session, "lan")[0].tags == ["vip", "khách quen", "mới"]
    with shop.write() as session:
        assert customers.tag(session, LAN, remove=["vip", "khách quen", "mới"]).tags == []
    with shop.write() as session, pytest.raises(InvalidInput, match="500"):
        customers.tag(session, LAN, add=["x" * 501])


def test_tags_typed_in_one_box_replace_the_old_ones(shop: Store) -> None:
    create(shop)
    with shop.write() as session:
        customers.tag(session, LAN, add=["vip", "sỉ"])
        assert customers.set_tags(session, LAN, "Sỉ, khách quen").tags == ["sỉ", "khách quen"]
        assert customers.set_tags(session, LAN, " ").tags == []


def test_notes_are_set_and_cleared(shop: Store) -> None:
    create(shop)
    with shop.write() as session:
        assert customers.set_notes(session, LAN, "  Gọi   sau 17h ").notes == "Gọi sau 17h"
    with shop.read() as session:
        assert customers.book(session, LAN).customer.notes == "Gọi sau 17h"
    with shop.write() as session:
        assert customers.set_notes(session, LAN, "").notes == ""
    with shop.write() as session, pytest.raises(InvalidInput, match="2000"):
        customers.set_notes(session, LAN, "x" * 2001)


def test_merge_moves_the_orders_and_the_dropped_phone_is_gone(shop: Store) -> None:
    first = through(shop, create(shop, {"AT-1": 1}).code, *DELIVER)  # 175,000
    second = through(
        shop,
        create(shop, {"QJ-30": 1}, name="Lan Nguyễn", phone=LAN_2, email="lan@example.com").code,
        *DELIVER,
    )  # 420,000
    with shop.write() as session:
        customers.set_notes(session, LAN, "khách quen")
        customers.set_notes(session, LAN_2, "gọi sau 17h")
        customers.tag(session, LAN, add=["vip"])
        customers.tag(session, LAN_2, add=["sỉ", "VIP"])
        kept = customers.merge(session, "0912345678", "+84977888999")
    assert (kept.phone, kept.name, kept.email) == (
        "+84912345678",
        "Nguyễn Thị Lan",
        "lan@example.com",
    )
    assert (kept.orders, kept.spent) == (2, 595_000)
    assert kept.notes == "khách quen · gọi sau 17h"
    assert kept.tags == ["vip", "sỉ"]
    with shop.read() as session:
        with pytest.raises(NotFound):
            customers.by_phone(session, LAN_2)
        assert [o.code for o in customers.book(session, LAN).orders] == [second, first]
        # The order keeps the name and phone it was shipped to.
        moved = orders.detail(session, second).order
        assert (moved.name, moved.phone) == ("Lan Nguyễn", "+84977888999")
        assert phones(shop, "977888") == []
        assert doctor.run(session) == []


def test_merging_a_customer_with_itself_or_an_unknown_phone_is_refused(shop: Store) -> None:
    create(shop)
    with shop.write() as session, pytest.raises(InvalidInput, match="merged with itself"):
        customers.merge(session, LAN, "+84912345678")
    with shop.write() as session, pytest.raises(NotFound, match="0933 000 111"):
        customers.merge(session, LAN, "0933000111")
    with shop.write() as session, pytest.raises(NotFound, match="0933 000 111"):
        customers.merge(session, "0933000111", LAN)
    with shop.read() as session:
        assert customers.by_phone(session, LAN).orders == 1


# ---------------------------------------------------------------------------- CLI


@pytest.fixture
def cli(run_cli):  # type: ignore[no-untyped-def]
    return run_cli


def test_customer_search_and_show_through_the_cli(
    shop: Store, book_shop: dict[str, str], cli
) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("customer", "search", "nguyen thi")
    assert code == 0
    header, row = out.splitlines()
    assert header.split()[:3] == ["Phone", "Name", "Province"]
    assert row.startswith(LAN) and "Nguyễn Thị Lan" in row and "780,000" in row
    code, out, _ = cli("customer", "search", "345678", "--json")
    assert code == 0
    [found] = json.loads(out)
    assert (found["phone"], found["orders"], found["spent"], found["refused"]) == (
        LAN,
        5,
        780_000,
        1,
    )
    code, out, _ = cli("customer", "search", "zzz")
    assert (code, out.strip()) == (0, "no customer matches zzz")

    assert cli("customer", "note", LAN, "Gọi sau 17h")[0] == 0
    assert cli("customer", "tag", LAN, "--add", "VIP")[0] == 0
    code, out, _ = cli("customer", "show", "0912345678")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"Nguyễn Thị Lan  {LAN}"
    assert lines[1] == "12 Lý Thường Kiệt, Phường Cửa Nam, Thành phố Hà Nội"
    assert lines[2].startswith("5 order(s), ") and lines[2].endswith("1 returned")
    assert lines[3:6] == [
        "1 order(s) with goods returned, 2 review(s)",
        "Tags: vip",
        "Notes: Gọi sau 17h",
    ]
    assert all(code in out for code in (book_shop["o1"], book_shop["o5"]))
    assert "Quần bị chật" in out and "wrong size" in out

    code, out, _ = cli("customer", "show", LAN, "--json")
    shown = json.loads(out)
    assert (shown["phone"], shown["orders"], shown["spent"], shown["tags"]) == (
        "+84912345678",
        5,
        780_000,
        ["vip"],
    )
    assert [o["code"] for o in shown["history"]["orders"]][-1] == book_shop["o1"]
    assert len(shown["history"]["reviews"]) == 2 and len(shown["history"]["returns"]) == 1


def test_customer_note_tag_and_merge_through_the_cli(shop: Store, cli) -> None:  # type: ignore[no-untyped-def]
    create(shop)
    create(shop, name="Lan Nguyễn", phone=LAN_2)
    assert cli("customer", "note", LAN, "khách quen") == (0, f"{LAN}: notes saved\n", "")
    code, out, _ = cli("customer", "tag", LAN, "--add", "VIP", "--add", "sỉ", "--remove", "vip")
    assert (code, out.strip()) == (0, f"{LAN}: tags sỉ")
    code, out, _ = cli("customer", "tag", LAN, "--remove", "sỉ")
    assert (code, out.strip()) == (0, f"{LAN}: no tags")
    code, out, _ = cli("customer", "merge", LAN, "0977888999")
    assert (code, out.strip()) == (0, f"{LAN_2} merged into {LAN}, who now has 2 order(s)")
    code, _, err = cli("customer", "show", LAN_2)
    assert (code, err.strip()) == (1, f"orderdesk: no customer has the phone {LAN_2}")
    code, out, _ = cli("doctor")
    assert code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["customer", "merge", LAN, "+84912345678"],
        ["customer", "merge", LAN, "0933000111"],
        ["customer", "merge", LAN, "0999"],
        ["customer", "note", "0933000111", "x"],
        ["customer", "note", LAN, "x" * 2001],
        ["customer", "tag", LAN, "--add", "x" * 501],
        ["customer", "tag", "0933000111", "--add", "vip"],
        ["customer", "show", "0933000111"],
        ["customer", "search", "0999", "--limit", "0"],
    ],
)
def test_customer_commands_fail_in_one_line(shop: Store, cli, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    create(shop)
    code, out, err = cli(*args)
    expected = 2 if "--limit" in args else 1
    assert code == expected and "Traceback" not in out + err
    if expected == 1:
        assert out == "" and err.startswith("orderdesk: ") and err.count("\n") == 1

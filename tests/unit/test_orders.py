"""Taking orders: validation, reservation, backorders, edits, cancels, the checklist."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from helpers import act, add_product, create, order_data, stock_of
from orderdesk.db import Store
from orderdesk.errors import ChecklistFailed, InvalidInput, OutOfStock
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.models.inputs import LineInput, OrderEdit
from orderdesk.services import checklist, doctor, ledger, orders, stock
from orderdesk.timeutil import local_today


@pytest.fixture
def shop(store: Store) -> Store:
    add_product(store, "AT-1", price=175_000, on_hand=5)
    add_product(store, "QJ-1", price=399_000, on_hand=2)
    add_product(store, "ML-1", price=129_000, on_hand=0)
    return store


def count(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_a_new_order_is_normalized_priced_and_reserved(shop: Store) -> None:
    order = create(
        shop,
        {"AT-1": 2, "QJ-1": 1},
        shipping_fee="25.000",
        discount=10000,
        province="ha noi",
        ward="p cua nam",
        phone="+84 912 345 678",
    )
    assert order.status is OrderStatus.PENDING
    assert order.phone == "+84912345678"
    assert (order.ward, order.province) == ("Phường Cửa Nam", "Thành phố Hà Nội")
    assert order.subtotal == 2 * 175_000 + 399_000
    assert order.total == order.subtotal + 25_000 - 10_000
    assert order.cod == order.total  # COD defaults to what is owed
    assert [(ln.sku, ln.qty, ln.reserved) for ln in order.lines] == [("AT-1", 2, 2), ("QJ-1", 1, 1)]
    assert stock_of(shop, "AT-1").available == 3
    assert order.code.startswith("DH") and order.code[2:6].isdigit() and order.code[6] == "-"


def test_order_codes_count_up_within_a_month(shop: Store) -> None:
    first, second = create(shop).code, create(shop).code
    assert int(second.split("-")[1]) == int(first.split("-")[1]) + 1


def test_prepaid_orders_collect_nothing(shop: Store) -> None:
    order = create(shop, payment="prepaid")
    assert (order.paid, order.cod) == (order.total, 0)


def test_a_short_order_is_refused_and_nothing_is_saved(shop: Store) -> None:
    before = {t: count(shop, t) for t in ("orders", "customers", "stock_moves", "code_counters")}
    with pytest.raises(OutOfStock) as caught:
        create(shop, {"AT-1": 1, "QJ-1": 3})
    assert "QJ-1 needs 3, 2 available" in str(caught.value)
    assert {t: count(shop, t) for t in before} == before


def test_a_backorder_waits_and_is_served_when_stock_arrives(shop: Store) -> None:
    waiting = create(shop, {"ML-1": 2}, backorder=True)
    assert waiting.status is OrderStatus.AWAITING_STOCK
    assert stock_of(shop, "ML-1").reserved == 0
    with shop.write() as session:
        row, released = stock.receive(session, "ML-1", 1)
    assert released == [] and row.available == 1  # not enough yet: the order keeps waiting
    with shop.write() as session:
        row, released = stock.receive(session, "ML-1", 5)
    assert released == [waiting.code]
    assert (row.on_hand, row.reserved) == (6, 2)


def test_waiting_orders_are_served_oldest_first_skipping_those_still_short(shop: Store) -> None:
    big = create(shop, {"ML-1": 5}, backorder=True).code
    small = create(shop, {"ML-1": 1}, backorder=True).code
    later = create(shop, {"ML-1": 2}, backorder=True).code
    with shop.write() as session:
        _, released = stock.receive(session, "ML-1", 3)
    assert released == [small, later]  # the big one is still short and keeps its place
    with shop.write() as session:
        _, released = stock.receive(session, "ML-1", 5)
    assert released == [big]


def test_cancelling_releases_stock_to_the_next_waiting_order(shop: Store) -> None:
    holder = create(shop, {"QJ-1": 2}).code
    waiting = create(shop, {"QJ-1": 1}, backorder=True).code
    with shop.write() as session:
        orders.cancel(session, holder, reason="khách đổi ý")
        assert orders.get(session, waiting).status is OrderStatus.PENDING
        detail = orders.detail(session, holder)
    assert detail.order.cancel_reason == "khách đổi ý"
    assert stock_of(shop, "QJ-1").reserved == 1


def test_every_bad_field_is_reported_at_once(shop: Store) -> None:
    data = order_data(
        {"NOPE": 1, "AT-1": 0},
        phone="0901234567x",
        ward="Bến Nghé",
        province="Đà Nẵng",
        email="lan@",
        cod="abc",
        street="",
    )
    with pytest.raises(InvalidInput) as caught, shop.write() as session:
        orders.create(session, data)
    fields = {(e.field, e.line) for e in caught.value.errors}
    assert {
        ("phone", None),
        ("ward", None),
        ("email", None),
        ("cod", None),
        ("street", None),
        ("sku", 0),
        ("qty", 1),
    } <= fields


def test_editing_a_pending_order_reserves_only_the_difference(shop: Store) -> None:
    code = create(shop, {"AT-1": 2, "QJ-1": 1}).code
    with shop.write() as session:
        edited = orders.edit(session, code, OrderEdit(items=[LineInput("AT-1", 4)], note="gấp"))
    assert [(ln.sku, ln.qty, ln.reserved) for ln in edited.lines] == [("AT-1", 4, 4)]
    assert stock_of(shop, "AT-1").reserved == 4 and stock_of(shop, "QJ-1").reserved == 0
    assert edited.cod == 4 * 175_000
    with shop.read() as session:
        last = orders.detail(session, code).history[-1]
    assert last.action == "edit"
    assert last.detail["lines"] == {"AT-1": [2, 4], "QJ-1": [1, 0]}
    assert last.detail["changes"]["note"] == ["", "gấp"]


def test_an_edit_beyond_stock_is_refused_or_waits_when_allowed(shop: Store) -> None:
    code = create(shop, {"AT-1": 2}).code
    with pytest.raises(OutOfStock), shop.write() as session:
        orders.edit(session, code, OrderEdit(items=[LineInput("AT-1", 9)]))
    assert stock_of(shop, "AT-1").reserved == 2
    with shop.write() as session:
        edited = orders.edit(
            session, code, OrderEdit(items=[LineInput("AT-1", 9)]), allow_backorder=True
        )
    assert edited.status is OrderStatus.AWAITING_STOCK
    assert stock_of(shop, "AT-1").reserved == 0
    with shop.write() as session:
        edited = orders.edit(session, code, OrderEdit(items=[LineInput("AT-1", 3)]))
    assert edited.status is OrderStatus.PENDING and stock_of(shop, "AT-1").reserved == 3
    with shop.read() as session:
        assert doctor.run(session) == []


def test_confirming_needs_the_checklist(shop: Store) -> None:
    code = create(shop, {"AT-1": 1}).code
    with pytest.raises(ChecklistFailed) as caught, shop.write() as session:
        orders.confirm(session, code)
    assert "Address read back to the customer" in str(caught.value)
    with shop.write() as session:
        for item in checklist.MANUAL_ITEMS:
            orders.tick(session, code, item)
        confirmed = orders.confirm(session, code)
    assert confirmed.status is OrderStatus.CONFIRMED
    assert "confirmed" in confirmed.status_times


def test_a_cod_that_does_not_match_what_is_owed_blocks_confirmation(shop: Store) -> None:
    order = create(shop, {"AT-1": 1}, cod=100_000)
    with pytest.raises(ChecklistFailed) as caught, shop.write() as session:
        orders.confirm(session, order.code, tick_all=True)
    assert "COD 100,000 ₫ but 175,000 ₫ is owed" in str(caught.value)


def test_a_deposit_lowers_what_cod_must_collect(shop: Store) -> None:
    order = create(shop, {"AT-1": 1}, paid=50_000)
    assert order.cod == 125_000
    assert act(shop, order.code, Action.CONFIRM, tick_all=True).status is OrderStatus.CONFIRMED


@pytest.mark.dated
def test_a_past_deliver_by_date_blocks_confirmation(shop: Store, now: datetime) -> None:
    past = local_today(now) - timedelta(days=2)
    order = create(shop, {"AT-1": 1}, deliver_by=past.isoformat())
    with pytest.raises(ChecklistFailed) as caught, shop.write() as session:
        orders.confirm(session, order.code, tick_all=True)
    assert "deliver-by" in str(caught.value).lower()


def test_editing_clears_ticks_confirmed_with_the_customer(shop: Store) -> None:
    code = create(shop, {"AT-1": 1}).code
    with shop.write() as session:
        orders.tick(session, code, "contact.address_read_back")
        orders.edit(session, code, OrderEdit(street="99 Hàng Bài"))
        sheet = orders.detail(session, code).checklist
    assert not next(i for i in sheet.items if i.key == "contact.address_read_back").passed


@pytest.mark.parametrize(
    "query", ["nguyen thi lan", "NGUYỄN THỊ", "lan", "0912 345 678", "+84912345678", "912345"]
)
def test_search_finds_by_name_without_diacritics_or_by_phone_in_any_format(
    shop: Store, query: str
) -> None:
    mine = create(shop).code
    create(shop, name="Trần Văn Minh", phone="0987654321")
    with shop.read() as session:
        found = [row.code for row in orders.list_rows(session, search=query)]
    assert found == [mine]


def test_search_by_code_and_status_filter(shop: Store) -> None:
    first = create(shop).code
    second = create(shop).code
    act(shop, second, Action.CANCEL)
    with shop.read() as session:
        assert [r.code for r in orders.list_rows(session, search=first)] == [first]
        assert [r.code for r in orders.list_rows(session, search=first.split("-")[1])] == [first]
        assert [r.code for r in orders.list_rows(session, status=OrderStatus.CANCELLED)] == [second]
        counts = orders.status_counts(session)
    assert counts[OrderStatus.PENDING] == 1 and counts[OrderStatus.CANCELLED] == 1


def test_search_text_with_sql_wildcards_is_taken_literally(shop: Store) -> None:
    create(shop)
    with shop.read() as session:
        assert orders.list_rows(session, search="%") == []
        assert orders.list_rows(session, search="_") == []


def test_adjusting_below_what_is_reserved_is_refused(shop: Store) -> None:
    create(shop, {"QJ-1": 2})
    with pytest.raises(OutOfStock), shop.write() as session:
        stock.adjust(session, "QJ-1", -1, reason="hỏng")
    with pytest.raises(InvalidInput), shop.write() as session:
        stock.adjust(session, "QJ-1", 1, reason="")
    with shop.write() as session:
        row, _ = stock.adjust(session, "AT-1", -2, reason="đếm lại")
    assert row.on_hand == 3
    with shop.read() as session:
        moves = ledger.history(session, "AT-1")
    assert (moves[0].kind.value, moves[0].on_hand_delta, moves[0].reason) == (
        "adjust",
        -2,
        "đếm lại",
    )


def test_searches_count_up_to_a_cap_and_say_so(shop: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(orders.queries, "SEARCH_COUNT_CAP", 3)
    for i in range(4):
        create(shop, {"AT-1": 1}, name="Nguyễn Văn An", phone=f"09{12_000_000 + i:08d}")
    with shop.read() as session:
        counts, capped = orders.search_counts(session, "an")  # too short for the index
        assert (sum(counts.values()), capped) == (3, True)
        counts, capped = orders.search_counts(session, "nguyen")  # through the index
        assert (sum(counts.values()), capped) == (3, True)
        counts, capped = orders.search_counts(session, "0912000002")
        assert (sum(counts.values()), capped) == (1, False)
        counts, capped = orders.search_counts(session, "")
        assert (sum(counts.values()), capped) == (4, False)

"""After delivery: reviews and their response queue, returns, exchanges."""

from __future__ import annotations

import pytest

from helpers import act, add_product, create, stock_of
from orderdesk.db import Store
from orderdesk.errors import InvalidInput
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.services import doctor, orders, returns, reviews


@pytest.fixture
def shop(store: Store) -> Store:
    add_product(store, "AT-DEN-M", price=175_000, on_hand=10)
    add_product(store, "AT-DEN-L", price=175_000, on_hand=10)
    add_product(store, "QJ-30", price=420_000, on_hand=5)
    return store


def delivered(store: Store, items: dict[str, int], **fields: object) -> str:
    code = create(store, items, **fields).code  # type: ignore[arg-type]
    for action in (Action.CONFIRM, Action.PACK, Action.SHIP, Action.DELIVER):
        act(store, code, action, tick_all=True)
    return code


def test_a_two_star_review_waits_until_answered(shop: Store) -> None:
    happy = delivered(shop, {"AT-DEN-M": 1})
    unhappy = delivered(shop, {"QJ-30": 1}, phone="0987 654 321")
    with shop.write() as session:
        reviews.add(session, happy, 5, comment="Áo đẹp, giao nhanh")
        low = reviews.add(session, unhappy, 2, comment="Quần bị chật", sku="qj-30")
    with shop.read() as session:
        waiting = reviews.queue(session)
    assert [(r.code, r.stars, r.sku, r.phone) for r in waiting] == [
        (unhappy, 2, "QJ-30", "0987 654 321")
    ]
    with shop.write() as session:
        answered = reviews.reply(session, low.id, "Shop xin lỗi, mời chị đổi cỡ 31 miễn phí")
    assert answered.replied_at is not None
    with shop.read() as session:
        assert reviews.queue(session) == []
        [rating] = reviews.ratings(session)
    assert (rating.sku, rating.reviews, rating.average) == ("QJ-30", 1, 2.0)


def test_recording_a_review_again_replaces_it(shop: Store) -> None:
    code = delivered(shop, {"AT-DEN-M": 1})
    with shop.write() as session:
        reviews.add(session, code, 3)
        reviews.add(session, code, 5, comment="Đã đổi ý, rất hài lòng")
    with shop.read() as session:
        assert reviews.queue(session) == []
        assert reviews.get(session, code).stars == 5


def test_reviews_are_refused_for_what_cannot_be_reviewed(shop: Store) -> None:
    pending = create(shop, {"AT-DEN-M": 1}).code
    code = delivered(shop, {"AT-DEN-M": 1})
    with shop.write() as session, pytest.raises(InvalidInput, match="only a delivered order"):
        reviews.add(session, pending, 4)
    with shop.write() as session, pytest.raises(InvalidInput, match="1 to 5"):
        reviews.add(session, code, 6)
    with shop.write() as session, pytest.raises(InvalidInput, match="not an item"):
        reviews.add(session, code, 4, sku="QJ-30")


def test_a_return_with_restock_puts_stock_back_through_the_ledger(shop: Store) -> None:
    code = delivered(shop, {"AT-DEN-M": 2, "QJ-30": 1})
    assert stock_of(shop, "AT-DEN-M").on_hand == 8
    with shop.write() as session:
        back = returns.create(session, code, {"AT-DEN-M": 1}, reason="wrong_size")
    assert (back.value, back.refund) == (175_000, 175_000)
    assert stock_of(shop, "AT-DEN-M").on_hand == 9
    with shop.write() as session:
        returns.create(session, code, {"QJ-30": 1}, reason="defect", restock=False, refund=200_000)
    # Written off: it came back and left again, both in the ledger.
    assert stock_of(shop, "QJ-30").on_hand == 4
    with shop.read() as session:
        assert doctor.run(session) == []
        assert orders.get(session, code).status is OrderStatus.DELIVERED
    with shop.write() as session, pytest.raises(InvalidInput, match="1 left"):
        returns.create(session, code, {"AT-DEN-M": 2}, reason="changed_mind")


def test_a_restocked_return_serves_a_waiting_order(shop: Store) -> None:
    code = delivered(shop, {"QJ-30": 5})
    waiting = create(shop, {"QJ-30": 1}, backorder=True, phone="0987 654 321").code
    with shop.write() as session:
        returns.create(session, code, {"QJ-30": 1}, reason="changed_mind")
    with shop.read() as session:
        assert orders.get(session, waiting).status is OrderStatus.PENDING


def test_an_exchange_reserves_the_replacement(shop: Store) -> None:
    code = delivered(shop, {"AT-DEN-M": 1})
    with shop.write() as session:
        swapped = returns.exchange(session, code, {"AT-DEN-M": 1}, {"AT-DEN-L": 1})
    assert swapped.exchange_code and swapped.refund == 0
    with shop.read() as session:
        new = orders.get(session, swapped.exchange_code)
    assert new.status is OrderStatus.PENDING and new.phone == "+84912345678"
    # Same price: nothing to collect; the returned shirt paid for the new one.
    assert (new.subtotal, new.discount, new.cod) == (175_000, 175_000, 0)
    assert stock_of(shop, "AT-DEN-L").reserved == 1
    assert stock_of(shop, "AT-DEN-M").on_hand == 10
    assert code in new.note


def test_an_exchange_for_something_dearer_collects_the_difference(shop: Store) -> None:
    code = delivered(shop, {"AT-DEN-M": 1})
    with shop.write() as session:
        swapped = returns.exchange(session, code, {"AT-DEN-M": 1}, {"QJ-30": 1})
    with shop.read() as session:
        new = orders.get(session, swapped.exchange_code)
    assert new.cod == 420_000 - 175_000


def test_one_damaged_line_is_written_off_while_the_rest_goes_back(shop: Store) -> None:
    code = delivered(shop, {"AT-DEN-M": 2, "QJ-30": 1})
    with shop.read() as session:
        form = returns.returnable(session, code)
    assert [(ln.sku, ln.sold, ln.left) for ln in form] == [("AT-DEN-M", 2, 2), ("QJ-30", 1, 1)]
    with shop.write() as session:
        back = returns.create(
            session, code, {"AT-DEN-M": 2, "QJ-30": 1}, reason="defect", write_off=["qj-30"]
        )
    assert [(ln.sku, ln.restock) for ln in back.lines] == [("AT-DEN-M", True), ("QJ-30", False)]
    assert stock_of(shop, "AT-DEN-M").on_hand == 10
    assert stock_of(shop, "QJ-30").on_hand == 4
    with shop.read() as session:
        assert [ln.left for ln in returns.returnable(session, code)] == [0, 0]
        [listed] = returns.recent(session)
        assert doctor.run(session) == []
    assert (listed.code, listed.value, listed.refund) == (code, 770_000, 770_000)
    assert [(ln.sku, ln.qty, ln.restock) for ln in listed.lines] == [
        ("AT-DEN-M", 2, True),
        ("QJ-30", 1, False),
    ]


def test_recent_returns_show_the_exchange_order(shop: Store) -> None:
    code = delivered(shop, {"AT-DEN-M": 1})
    with shop.write() as session:
        swapped = returns.exchange(session, code, {"AT-DEN-M": 1}, {"AT-DEN-L": 1})
    with shop.read() as session:
        [listed] = returns.recent(session)
    assert (listed.kind, listed.exchange_code) == ("exchange", swapped.exchange_code)
    assert listed.exchange_code != ""


def test_an_order_not_delivered_has_nothing_to_return(shop: Store) -> None:
    pending = create(shop, {"AT-DEN-M": 1}).code
    with shop.read() as session, pytest.raises(InvalidInput, match="delivered"):
        returns.returnable(session, pending)


def test_items_typed_in_one_box() -> None:
    assert returns.items_of("AT-DEN-L=2, QJ-31") == {"AT-DEN-L": "2", "QJ-31": "1"}
    assert returns.items_of(" QJ-31 = 1 ;\nAT-1=3,") == {"QJ-31": "1", "AT-1": "3"}
    with pytest.raises(InvalidInput, match="at least one item"):
        returns.items_of(" , ")
    with pytest.raises(InvalidInput, match="=2"):
        returns.items_of("=2")

"""Scan-to-pack rules: only the order's items, never one too many, packed when complete."""

from __future__ import annotations

import pytest

from helpers import act, add_product, create, order_in, stock_of
from orderdesk.db import Store
from orderdesk.errors import IllegalTransition, NotFound
from orderdesk.i18n import t
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.services import orders, packing
from orderdesk.services.packing import PackIncomplete, ScanOutcome, TooMany, WrongItem

BARCODE = "8930000000024"


@pytest.fixture
def shop(store: Store) -> Store:
    add_product(store, "AT-DEN-M", name="Áo thun cotton", on_hand=10, barcode=BARCODE, size="M")
    add_product(store, "QJ-30", name="Quần jean ống suông", on_hand=5, size="30")
    add_product(store, "ML-DEN", name="Mũ lưỡi trai", on_hand=5, barcode="8930000000031")
    return store


def confirmed(store: Store, items: dict[str, int]) -> str:
    code = create(store, items).code
    act(store, code, Action.CONFIRM, tick_all=True)
    return code


def start(store: Store, code: str) -> packing.PackSession:
    with store.read() as session:
        return packing.start(session, code)


def status_of(store: Store, code: str) -> OrderStatus:
    with store.read() as session:
        return orders.get(session, code).status


def test_barcode_and_sku_both_count_and_the_full_box_is_packed(shop: Store) -> None:
    code = confirmed(shop, {"AT-DEN-M": 2, "QJ-30": 1})
    before = {sku: stock_of(shop, sku) for sku in ("AT-DEN-M", "QJ-30")}
    pack = start(shop, code)
    assert [(ln.sku, ln.qty, ln.scanned) for ln in pack.lines] == [
        ("AT-DEN-M", 2, 0),
        ("QJ-30", 1, 0),
    ]

    first = pack.scan(BARCODE)  # the product's barcode
    assert first.ok and first.line is not None and first.line.scanned == 1
    assert first.remaining == 2
    second = pack.scan("  at-den-m \t")  # its SKU, typed in lower case with stray spaces
    assert second.ok and second.line is not None and second.line.complete
    assert not pack.complete and pack.progress == (2, 3)
    last = pack.scan("QJ-30")
    assert last.ok and last.remaining == 0
    assert pack.complete and pack.progress == (3, 3)

    with shop.write() as session:
        packed = pack.finish(session)
    assert packed.status is OrderStatus.PACKED
    assert status_of(shop, code) is OrderStatus.PACKED
    # Packing moves nothing on the shelf: the units stay reserved until the parcel ships.
    after = {sku: stock_of(shop, sku) for sku in before}
    assert after == before
    assert after["AT-DEN-M"].reserved == 2 and after["QJ-30"].reserved == 1


def test_an_item_that_is_not_in_the_order_is_refused_and_nothing_is_ticked(shop: Store) -> None:
    code = confirmed(shop, {"AT-DEN-M": 1})
    pack = start(shop, code)
    for wrong in ("ML-DEN", "8930000000031", "4006381333931", "AT-DEN"):
        result = pack.scan(wrong)
        assert result.outcome is ScanOutcome.WRONG_ITEM and not result.ok
        assert result.line is None
        assert isinstance(result.error, WrongItem)
        assert str(result.error) == t("err.pack.wrong_item", value=wrong, code=code)
    assert pack.progress == (0, 1)
    assert not pack.can_undo


def test_one_unit_too_many_is_refused(shop: Store) -> None:
    code = confirmed(shop, {"AT-DEN-M": 1, "QJ-30": 2})
    pack = start(shop, code)
    assert pack.scan(BARCODE).ok
    again = pack.scan("AT-DEN-M")
    assert again.outcome is ScanOutcome.TOO_MANY
    assert isinstance(again.error, TooMany)
    assert str(again.error) == t("err.pack.too_many", sku="AT-DEN-M", code=code, qty=1)
    assert again.line is not None and again.line.scanned == 1
    assert pack.progress == (1, 3)


def test_an_exact_barcode_wins_over_a_sku(shop: Store) -> None:
    # A label printer's barcode that happens to read like another product's SKU.
    add_product(shop, "NON-1", name="Nón bảo hiểm", on_hand=3, barcode="QJ-30")
    code = confirmed(shop, {"NON-1": 1, "QJ-30": 1})
    pack = start(shop, code)
    result = pack.scan("QJ-30")
    assert result.ok and result.line is not None and result.line.sku == "NON-1"
    assert pack.scan("qj-30").line.sku == "QJ-30"  # type: ignore[union-attr]


def test_undo_takes_back_the_last_tick(shop: Store) -> None:
    code = confirmed(shop, {"AT-DEN-M": 1, "QJ-30": 1})
    pack = start(shop, code)
    pack.scan(BARCODE)
    pack.scan("QJ-30")
    undone = pack.undo()
    assert undone is not None and (undone.sku, undone.scanned) == ("QJ-30", 0)
    assert pack.progress == (1, 2) and not pack.complete
    assert pack.scan("QJ-30").ok  # it can be scanned again: not "too many"
    assert pack.undo() is not None and pack.undo() is not None
    assert pack.undo() is None  # nothing left to take back
    assert pack.progress == (0, 2)


def test_finishing_a_half_scanned_order_is_refused_and_saves_nothing(shop: Store) -> None:
    code = confirmed(shop, {"AT-DEN-M": 2})
    pack = start(shop, code)
    pack.scan(BARCODE)
    with pytest.raises(PackIncomplete) as refused, shop.write() as session:
        pack.finish(session)
    assert str(refused.value) == t("err.pack.incomplete", code=code, remaining=1)
    assert status_of(shop, code) is OrderStatus.CONFIRMED


@pytest.mark.parametrize(
    "status",
    [
        OrderStatus.PENDING,
        OrderStatus.AWAITING_STOCK,
        OrderStatus.PACKED,
        OrderStatus.SHIPPED,
        OrderStatus.CANCELLED,
    ],
)
def test_only_a_confirmed_order_can_be_packed(shop: Store, status: OrderStatus) -> None:
    code = order_in(shop, status, sku="QJ-30")
    with pytest.raises(IllegalTransition) as refused:
        start(shop, code)
    assert str(refused.value) == t(
        "err.illegal_transition", code=code, status=status, action=Action.PACK
    )
    assert status_of(shop, code) is status


def test_an_unknown_order_code_is_not_found(shop: Store) -> None:
    with pytest.raises(NotFound) as refused:
        start(shop, " DH9999-0001 ")
    assert str(refused.value) == t("err.order.unknown", code="DH9999-0001")
    with pytest.raises(NotFound) as typed:
        start(shop, "dh9999-0001")
    assert str(typed.value) == t("err.order.unknown", code="dh9999-0001")  # as typed


def test_an_order_code_typed_in_lower_case_is_found(shop: Store) -> None:
    code = confirmed(shop, {"QJ-30": 1})
    assert start(shop, code.lower()).code == code


def test_an_order_cancelled_while_being_packed_is_not_packed(shop: Store) -> None:
    code = confirmed(shop, {"QJ-30": 1})
    pack = start(shop, code)
    assert pack.scan("QJ-30").ok and pack.complete
    act(shop, code, Action.CANCEL)  # from another terminal, meanwhile
    with pytest.raises(IllegalTransition), shop.write() as session:
        pack.finish(session)
    assert status_of(shop, code) is OrderStatus.CANCELLED

"""Every (status, action) pair: allowed ones lead where the table says, the rest are
refused with a message naming the order, its status and the action, and change nothing."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from helpers import add_product, create, order_in, stock_of
from orderdesk.db import Store
from orderdesk.errors import IllegalTransition
from orderdesk.i18n import set_language
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.models.lifecycle import TRANSITIONS
from orderdesk.services import doctor, orders, stock
from orderdesk.services.orders import LineInput, OrderEdit

DIRECT = [a for a in Action if a is not Action.ALLOCATE]


def snapshot(store: Store) -> dict[str, Any]:
    tables = [
        "orders",
        "order_lines",
        "stock",
        "stock_moves",
        "order_events",
        "order_checks",
        "customers",
        "code_counters",
    ]
    with store.engine.connect() as conn:
        return {
            t: conn.execute(sa.text(f"SELECT * FROM {t} ORDER BY 1")).fetchall() for t in tables
        }


def run(store: Store, code: str, action: Action) -> Any:
    with store.write() as session:
        if action is Action.EDIT:
            return orders.edit(session, code, OrderEdit(items=[LineInput("AT-1", 2)]))
        return orders.apply(session, code, action, tick_all=True, reason="test")


@pytest.mark.parametrize("status", list(OrderStatus))
@pytest.mark.parametrize("action", DIRECT)
def test_every_status_action_pair(store: Store, status: OrderStatus, action: Action) -> None:
    add_product(store, "AT-1", on_hand=10)
    code = order_in(store, status)
    before = snapshot(store)
    target = TRANSITIONS[action].get(status)
    if target is None:
        with pytest.raises(IllegalTransition) as caught:
            run(store, code, action)
        assert snapshot(store) == before
        message = str(caught.value)
        assert code in message
        set_language("vi")
        assert code in str(caught.value) and str(caught.value) != message
    else:
        result = run(store, code, action)
        assert result.status is target
        assert snapshot(store) != before
    with store.read() as session:
        assert doctor.run(session) == []


def test_allocation_only_serves_orders_that_wait(store: Store) -> None:
    add_product(store, "AT-1", on_hand=10)
    codes = {status: order_in(store, status) for status in OrderStatus}
    with store.write() as session:
        _, released = stock.receive(session, "AT-1", 100)
    assert released == [codes[OrderStatus.AWAITING_STOCK]]
    with store.read() as session:
        for status, code in codes.items():
            now = orders.get(session, code).status
            expected = OrderStatus.PENDING if status is OrderStatus.AWAITING_STOCK else status
            assert now is expected


def test_stock_follows_the_order_through_its_life(store: Store) -> None:
    add_product(store, "AT-1", on_hand=5)
    code = create(store, {"AT-1": 2}).code
    assert (stock_of(store, "AT-1").on_hand, stock_of(store, "AT-1").reserved) == (5, 2)
    for action in (Action.CONFIRM, Action.PACK):
        run(store, code, action)
    assert (stock_of(store, "AT-1").on_hand, stock_of(store, "AT-1").reserved) == (5, 2)
    run(store, code, Action.SHIP)
    assert (stock_of(store, "AT-1").on_hand, stock_of(store, "AT-1").reserved) == (3, 0)
    run(store, code, Action.FAIL_DELIVERY)
    run(store, code, Action.START_RETURN)
    assert stock_of(store, "AT-1").on_hand == 3  # still on the road
    run(store, code, Action.MARK_RETURNED)
    assert (stock_of(store, "AT-1").on_hand, stock_of(store, "AT-1").reserved) == (5, 0)
    with store.read() as session:
        detail = orders.detail(session, code)
    assert [e.action for e in detail.history] == [
        "create",
        "confirm",
        "pack",
        "ship",
        "fail_delivery",
        "start_return",
        "mark_returned",
    ]
    assert set(detail.order.status_times) == {
        "pending",
        "confirmed",
        "packed",
        "shipped",
        "delivery_failed",
        "returning",
        "returned",
    }

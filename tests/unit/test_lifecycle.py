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
from orderdesk.models.inputs import LineInput, OrderEdit
from orderdesk.models.lifecycle import TRANSITIONS
from orderdesk.services import doctor, orders, stock

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


def test_the_path_between_any_two_statuses_is_the_shortest_walk_of_the_table() -> None:
    from itertools import product

    from orderdesk.models import lifecycle

    steps = [a for a in lifecycle.TRANSITIONS if a not in (Action.EDIT, Action.ALLOCATE)]

    def shortest(start: OrderStatus, goal: OrderStatus) -> int | None:
        for length in range(0, 6):
            for walk in product(steps, repeat=length):
                here: OrderStatus | None = start
                for action in walk:
                    here = lifecycle.TRANSITIONS[action].get(here) if here else None
                if here is goal:
                    return length
        return None

    for start, goal in product(OrderStatus, OrderStatus):
        found = lifecycle.path(start, goal)
        assert (None if found is None else len(found)) == shortest(start, goal), (start, goal)
        here = start
        for action in found or []:
            here = lifecycle.next_status("X", here, action)
        assert found is None or here is goal


def test_a_marketplace_moves_orders_only_forward() -> None:
    from orderdesk.services.files.marketplace import steps_between

    S = OrderStatus
    assert steps_between(S.PENDING, S.SHIPPED) == [Action.CONFIRM, Action.PACK, Action.SHIP]
    assert steps_between(S.PACKED, S.RETURNED) == [Action.SHIP, Action.MARK_RETURNED]
    # Cancelled by the buyer while on its way: the parcel comes back.
    assert steps_between(S.SHIPPED, S.CANCELLED) == [Action.START_RETURN]
    assert steps_between(S.DELIVERY_FAILED, S.DELIVERED) == [Action.DELIVER]
    # Ours went further, or another way: nothing moves (and the seller is told).
    for ours, theirs in (
        (S.DELIVERED, S.SHIPPED),
        (S.DELIVERY_FAILED, S.SHIPPED),
        (S.RETURNING, S.CANCELLED),
        (S.AWAITING_STOCK, S.SHIPPED),
        (S.CANCELLED, S.PENDING),
    ):
        assert steps_between(ours, theirs) is None, (ours, theirs)

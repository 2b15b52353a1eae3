"""Customer risk: a phone whose COD parcels came back is flagged on its next orders."""

from __future__ import annotations

import pytest
from rich.console import Console
from textual.widgets import Static

from helpers import act, add_product, create
from orderdesk import config
from orderdesk.carriers import Outcome
from orderdesk.db import Store
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.services import customers, problems, tracking
from orderdesk.tui.app import make_app
from orderdesk.tui.screens.confirm import ConfirmScreen

PHONE = "0912 345 678"


def refused_before(store: Store) -> str:
    """A COD parcel the customer refused at the door, back on the shelf."""
    add_product(store, "AT-1", on_hand=10)
    code = create(store, {"AT-1": 1}, phone=PHONE).code
    for action in (Action.CONFIRM, Action.PACK, Action.SHIP):
        act(store, code, action, tick_all=True)
    with store.write() as session:
        tracking.add_event(session, code, Outcome.FAILED, note="Khách từ chối nhận hàng")
        tracking.add_event(session, code, Outcome.RETURNED)
    return code


def test_a_refusal_is_counted_with_its_reason(store: Store) -> None:
    old = refused_before(store)
    with store.read() as session:
        found = customers.risk(session, PHONE)
        clean = customers.risk(session, "0987 654 321")
    assert (found.refused, found.failed, found.warn) == (1, 0, True)
    [event] = found.history
    assert event.code == old and event.status is OrderStatus.RETURNED
    assert event.reason == "Khách từ chối nhận hàng"
    assert (clean.refused, clean.failed, clean.warn, clean.history) == (0, 0, False, [])


def test_prepaid_parcels_do_not_count(store: Store) -> None:
    add_product(store, "AT-1", on_hand=10)
    code = create(store, {"AT-1": 1}, phone=PHONE, payment="bank").code
    for action in (Action.CONFIRM, Action.PACK, Action.SHIP, Action.MARK_RETURNED):
        act(store, code, action, tick_all=True)
    with store.read() as session:
        assert not customers.risk(session, PHONE).warn


@pytest.mark.dated
def test_new_order_from_that_phone_is_a_problem(store: Store) -> None:
    refused_before(store)
    new = create(store, {"AT-1": 1}, phone=PHONE).code
    with store.read() as session:
        queue = problems.queue(session)
    assert [(p.rule, p.code, p.detail) for p in queue if p.rule is problems.Rule.RISKY] == [
        (problems.Rule.RISKY, new, "1")
    ]


async def test_the_confirm_screen_warns_with_the_history(store: Store) -> None:
    old = refused_before(store)
    new = create(store, {"AT-1": 1}, phone=PHONE).code
    app = make_app(store, config.load())
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConfirmScreen)
        screen.select(new)
        await pilot.pause()
        console = Console(width=140, record=True)
        console.print(screen.query_one("#confirm-order", Static).content)
        shown = console.export_text()
    assert "sent back 1 COD parcel" in shown
    assert old in shown and "Khách từ chối nhận hàng" in shown

"""Track (mode 6) at the keyboard: the problems queue, its one-key actions, the timeline,
hand-over by scanning, and the COD view."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from textual.widgets import DataTable, Input, Static

from helpers import act, add_product, create, settle
from orderdesk import config
from orderdesk.carriers import Outcome
from orderdesk.db import Store
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.services import orders, problems, shipping, tracking
from orderdesk.tui.app import make_app
from orderdesk.tui.screens.handover import HandoverScreen
from orderdesk.tui.screens.track import TrackScreen

SIZE = (150, 44)


@pytest.fixture
def shop(store: Store) -> Store:
    add_product(store, "AT-1", name="Áo thun cotton", on_hand=30)
    return store


def shipped(store: Store, phone: str, number: str) -> str:
    code = create(store, {"AT-1": 1}, phone=phone).code
    with store.write() as session:
        shipping.assign(session, code, carrier="ghn", tracking=number)
    for action in (Action.CONFIRM, Action.PACK, Action.SHIP):
        act(store, code, action, tick_all=True)
    return code


def failed(store: Store, phone: str, number: str) -> str:
    code = shipped(store, phone, number)
    with store.write() as session:
        tracking.add_event(session, code, Outcome.FAILED, note="Khách không nghe máy")
    return code


def status_of(store: Store, code: str) -> OrderStatus:
    with store.read() as session:
        return orders.get(session, code).status


def codes_in(screen: TrackScreen) -> list[str]:
    table = screen.query_one("#track-table", DataTable)
    return [str(key.value).split(":", 1)[1] for key in table.rows]


async def open_track(pilot) -> TrackScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("6")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TrackScreen)
    return screen


async def highlight(pilot, screen: TrackScreen, code: str) -> None:  # type: ignore[no-untyped-def]
    table = screen.query_one("#track-table", DataTable)
    table.move_cursor(row=codes_in(screen).index(code))
    await pilot.pause()


async def test_filter_to_failed_deliveries_and_redeliver_one(shop: Store) -> None:
    first = failed(shop, "0912000001", "GHNA0001")
    second = failed(shop, "0912000002", "GHNA0002")
    moving = shipped(shop, "0912000003", "GHNA0003")
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_track(pilot)
        assert screen.view == "problems"
        assert {first, second} <= set(codes_in(screen)) and moving not in codes_in(screen)
        # ←/→ change tabs even while the table, full of rows, has the keyboard.
        await pilot.press("right")
        await settle(pilot)
        assert screen.view == "moving" and moving in codes_in(screen)
        await pilot.press("left")
        await settle(pilot)
        assert screen.view == "problems"
        await pilot.press("f")  # the first kind of problem: failed deliveries
        await pilot.pause()
        assert screen.rule is problems.Rule.FAILED
        assert codes_in(screen) == [first, second]
        await highlight(pilot, screen, second)
        timeline = str(screen.query_one("#track-timeline", Static).render())
        assert second in timeline and "Khách không nghe máy" in timeline
        await pilot.press("r")  # redeliver
        await settle(pilot)
        assert codes_in(screen) == [first]
        assert status_of(shop, second) is OrderStatus.SHIPPED
        # The courier goes again: the timeline says so, newest first.
        with shop.read() as session:
            assert tracking.timeline(session, second)[0].outcome == Outcome.TRANSIT


@pytest.mark.dated
async def test_noting_a_call_snoozes_the_problem_for_a_day(shop: Store, now: datetime) -> None:
    code = failed(shop, "0912000001", "GHNA0001")
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_track(pilot)
        await highlight(pilot, screen, code)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"khach hen mai", "enter")
        await settle(pilot)
        assert code not in codes_in(screen)
        assert status_of(shop, code) is OrderStatus.DELIVERY_FAILED
    with shop.read() as session:
        tomorrow = problems.queue(session, now=now + timedelta(days=1, hours=1))
    assert code in [p.code for p in tomorrow]


async def test_approving_a_return_then_the_parcel_comes_back(shop: Store) -> None:
    code = failed(shop, "0912000001", "GHNA0001")
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_track(pilot)
        await highlight(pilot, screen, code)
        await pilot.press("a")
        await settle(pilot)
        assert status_of(shop, code) is OrderStatus.RETURNING
        # Returning parcels stay in the queue (a returning parcel needs watching)…
        assert code in codes_in(screen)
        await pilot.press("e")  # …until the seller records it back at the counter.
        await pilot.pause()
        await pilot.press("down", "down", "down", "down", "enter")  # transit … returned
        await pilot.pause()
        await pilot.press(*"ve kho", "enter")
        await settle(pilot)
        assert status_of(shop, code) is OrderStatus.RETURNED
        assert code not in codes_in(screen)


async def test_a_refused_action_says_why_and_changes_nothing(shop: Store) -> None:
    code = shipped(shop, "0912000001", "GHNA0001")
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_track(pilot)
        await pilot.press("right")  # shipments on the way
        await settle(pilot)
        assert codes_in(screen) == [code]
        await pilot.press("r")  # redelivery of a parcel that has not failed
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any(code in m and "shipped" in m for m in messages)
        assert status_of(shop, code) is OrderStatus.SHIPPED


async def test_typing_a_tracking_number_checks_its_carrier(shop: Store) -> None:
    code = create(shop, {"AT-1": 1}).code
    with shop.write() as session:
        shipping.assign(session, code, carrier="vnpost")
    act(shop, code, Action.CONFIRM, tick_all=True)
    act(shop, code, Action.PACK)
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_track(pilot)
        screen.view = "packed"
        screen.reload()
        await pilot.pause()
        assert codes_in(screen) == [code]
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"12345", "enter")
        await settle(pilot)
        assert any("VNPost" in n.message for n in app._notifications)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"eb123456789vn", "enter")
        await settle(pilot)
    with shop.read() as session:
        assert tracking.shipments(session, (OrderStatus.PACKED,))[0].tracking == "EB123456789VN"


async def test_hand_over_by_scanning_then_close(shop: Store) -> None:
    codes = []
    for i in range(3):
        code = create(shop, {"AT-1": 1}, phone=f"091200000{i}").code
        with shop.write() as session:
            shipping.assign(session, code, carrier="ghn", tracking=f"GHNB000{i}")
        act(shop, code, Action.CONFIRM, tick_all=True)
        act(shop, code, Action.PACK)
        codes.append(code)
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        rings: list[int] = []
        app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
        await open_track(pilot)
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("enter")  # the shop's carrier comes first
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HandoverScreen)
        assert isinstance(app.focused, Input)
        await pilot.press(*"GHNB0000", "enter")
        await pilot.press(*codes[2], "enter")
        await pilot.press(*"NOT-A-PARCEL", "enter")
        await settle(pilot)
        assert rings == [1]  # only the stranger rang
        head = str(screen.query_one("#handover-head", Static).render())
        assert "2/3" in head
        await pilot.press("ctrl+s")
        await pilot.pause()
        # A scanner still typing cannot close it: only `y` says yes.
        await pilot.press(*"GHNB0001", "enter")
        await pilot.pause()
        assert [status_of(shop, c) for c in codes].count(OrderStatus.SHIPPED) == 0
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, TrackScreen)
    assert [status_of(shop, c) for c in codes] == [
        OrderStatus.SHIPPED,
        OrderStatus.PACKED,
        OrderStatus.SHIPPED,
    ]

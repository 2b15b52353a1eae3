"""After-sales (mode 7) and Reports (mode 8) at the keyboard: answer a review from the
queue, take goods back with the return form, find a customer, switch report ranges."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Label

from helpers import act, add_product, create, order_data, settle, stock_of
from orderdesk import config
from orderdesk.db import Store
from orderdesk.models.enums import Action
from orderdesk.services import doctor, orders, returns, reviews
from orderdesk.tui.app import make_app
from orderdesk.tui.modals.return_form import ReturnForm
from orderdesk.tui.screens.after import AfterScreen
from orderdesk.tui.screens.customer_book import CustomerBookScreen
from orderdesk.tui.screens.reports import ReportsScreen

SIZE = (150, 44)


@pytest.fixture
def shop(store: Store) -> Store:
    add_product(store, "AT-DEN-M", name="Áo thun đen", price=175_000, on_hand=10)
    add_product(store, "QJ-30", name="Quần jean", price=420_000, on_hand=5)
    return store


def delivered(store: Store, items: dict[str, int], **fields: object) -> str:
    code = create(store, items, **fields).code  # type: ignore[arg-type]
    for action in (Action.CONFIRM, Action.PACK, Action.SHIP, Action.DELIVER):
        act(store, code, action, tick_all=True)
    return code


async def open_after(pilot) -> AfterScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("7")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AfterScreen)
    return screen


def rows_of(screen: AfterScreen) -> list[str]:
    return [str(key.value) for key in screen.query_one("#after-table", DataTable).rows]


async def test_answer_a_two_star_review_from_the_queue(shop: Store, now: datetime) -> None:
    old = delivered(shop, {"QJ-30": 1}, phone="0987 654 321", name="Trần Thị Mai")
    new = delivered(shop, {"AT-DEN-M": 1}, phone="0912 000 001")
    with shop.write() as session:
        first = reviews.add(session, old, 2, comment="Quần bị chật", at=now - timedelta(days=2))
        reviews.add(session, new, 1, comment="Giao sai màu")
        reviews.add(session, new, 5, sku="AT-DEN-M")  # happy: never queued
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_after(pilot)
        # Oldest first, with the customer's phone and the order.
        assert rows_of(screen) == [str(first.id), rows_of(screen)[1]]
        assert len(rows_of(screen)) == 2
        table = screen.query_one("#after-table", DataTable)
        assert table.get_row_at(0)[2:4] == [old, "0987 654 321"]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"Shop xin loi chi, doi size 31 mien phi", "enter")
        await settle(pilot)
        assert len(rows_of(screen)) == 1 and rows_of(screen) != [str(first.id)]
        assert any("left the queue" in n.message for n in app._notifications)
        # ←/→ change tabs even while the table, full of rows, has the keyboard.
        assert screen.query_one("#after-table", DataTable).has_focus
        await pilot.press("right")
        await settle(pilot)
        assert screen.view == "returns"
    with shop.read() as session:
        answered = reviews.get(session, old)
        assert [r.code for r in reviews.queue(session)] == [new]
    assert answered.reply == "Shop xin loi chi, doi size 31 mien phi"


async def test_an_empty_answer_is_refused_and_the_review_stays(shop: Store) -> None:
    code = delivered(shop, {"QJ-30": 1})
    with shop.write() as session:
        reviews.add(session, code, 2)
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_after(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert len(rows_of(screen)) == 1
        assert any("required" in n.message for n in app._notifications)


async def test_create_a_return_with_the_keyboard(shop: Store) -> None:
    code = delivered(shop, {"AT-DEN-M": 2, "QJ-30": 1})
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_after(pilot)
        await pilot.press("right")
        await settle(pilot)
        assert screen.view == "returns" and rows_of(screen) == []
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*code, "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReturnForm)
        # One shirt back to the shelf, the jeans damaged: written off.
        await pilot.press("1", "tab", "tab", "1", "tab", "space")
        await pilot.press("ctrl+s")  # no reason yet: the core refuses, the form stays
        await pilot.pause()
        assert app.screen is form
        assert "reason" in str(form.query_one("#return-error", Label).render())
        form.query_one("#return-reason").focus()
        await pilot.press("enter", "down", "down", "down", "enter")  # defect
        await pilot.pause()
        await pilot.press("tab", *"500000", "tab", *"khach gui lai", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert len(rows_of(screen)) == 1
        assert screen.query_one("#after-table", DataTable).get_row_at(0)[1] == code
    assert stock_of(shop, "AT-DEN-M").on_hand == 9  # 10 − 2 sold + 1 back
    assert stock_of(shop, "QJ-30").on_hand == 4  # came back and was written off
    with shop.read() as session:
        [back] = returns.recent(session)
        assert doctor.run(session) == []
    assert (back.reason.value, back.refund) == ("defect", 500_000)
    assert [(ln.sku, ln.qty, ln.restock) for ln in back.lines] == [
        ("AT-DEN-M", 1, True),
        ("QJ-30", 1, False),
    ]


async def test_an_exchange_from_the_keyboard_makes_the_linked_order(shop: Store) -> None:
    add_product(shop, "AT-DEN-L", name="Áo thun đen", price=175_000, on_hand=3)
    code = delivered(shop, {"AT-DEN-M": 1})
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_after(pilot)
        await pilot.press("right", "x")
        await pilot.pause()
        await pilot.press(*code, "enter")
        await settle(pilot)
        await pilot.press("1", "tab", "enter", "down", "enter")  # wrong size, the first
        await pilot.pause()
        await pilot.press("tab", *"AT-DEN-L=1", "tab", "enter")
        await settle(pilot)
        assert app.screen is screen
    assert stock_of(shop, "AT-DEN-L").reserved == 1
    with shop.read() as session:
        [swap] = returns.recent(session)
    assert swap.kind == "exchange" and swap.exchange_code


async def test_find_a_customer_without_accents_and_tag_them(shop: Store) -> None:
    delivered(shop, {"AT-DEN-M": 1}, phone="0987 654 321", name="Trần Thị Mai")
    delivered(shop, {"QJ-30": 1}, phone="0912 000 001", name="Lê Văn Bình")
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_after(pilot)
        await pilot.press("left")  # round to the customers tab
        await settle(pilot)
        assert screen.view == "customers"
        assert isinstance(app.focused, Input)
        await pilot.press(*"tran mai")
        await settle(pilot)
        assert rows_of(screen) == ["0987 654 321"]
        # In the search box ←/→ move in the text, not between tabs.
        await pilot.press("left", "left", "left", "backspace", "right", "right", "right")
        await settle(pilot)
        search = screen.query_one("#after-search", Input)
        assert (screen.view, search.value) == ("customers", "tranmai")
        await pilot.press("left", "left", "left", "space", "end")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        book = app.screen
        assert isinstance(book, CustomerBookScreen)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"khach quen", "enter")
        await settle(pilot)
        assert book.book is not None and book.book.customer.tags == ["khach quen"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def open_reports(pilot) -> ReportsScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("8")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportsScreen)
    return screen


@pytest.mark.dated
async def test_switch_report_ranges_and_the_chart_changes(shop: Store, now: datetime) -> None:
    create(shop, {"AT-DEN-M": 2})
    with shop.write() as session:
        orders.create(session, order_data({"QJ-30": 1}), now=now - timedelta(days=10))
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_reports(pilot)
        assert screen.range_name == "30d" and screen.chart is not None
        month_days = len(screen.chart.labels)
        assert month_days == 30 and sum(screen.chart.values) == pytest.approx(
            (350_000 + 420_000) / 1e6
        )
        drawn_30 = str(screen.query_one("#reports-chart").render())
        await pilot.press("left", "left")  # 30 days → 7 days → today
        await settle(pilot)
        assert screen.range_name == "today"
        assert len(screen.chart.labels) == 1 and screen.chart.values == [0.35]
        assert str(screen.query_one("#reports-chart").render()) != drawn_30
        # Top products for today: only the shirt.
        await pilot.press("down", "down")
        await settle(pilot)
        assert screen.kind == "products"
        assert screen.chart.labels == ["AT-DEN-M"] and screen.chart.values == [2]
        table = screen.query_one("#reports-table", DataTable)
        assert table.get_row_at(0)[0].plain == "AT-DEN-M"


async def test_import_a_marketplace_export_from_the_orders_list(
    store: Store, tmp_path: Path
) -> None:
    from orderdesk.services.files.products import import_products
    from orderdesk.tui.modals.report import ReportModal
    from orderdesk.tui.screens.orders import OrdersScreen

    samples = Path(__file__).parents[2] / "assets" / "samples"
    with store.write() as session:
        import_products(session, samples / "products.csv")
    export = tmp_path / "Order.all.xlsx"
    export.write_bytes((samples / "marketplaces" / "shopee.xlsx").read_bytes())
    app = make_app(store, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(export), "enter")
        await pilot.pause()
        await pilot.press("enter")  # recognise it from its columns
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportModal)
        assert report.summary == "Shopee: 6 row(s); 5 new order(s), 0 updated, 0 unchanged"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
    with store.read() as session:
        assert orders.get(session, "261120QSK8S7BX").channel == "shopee"
        assert doctor.run(session) == []


async def test_an_export_with_unknown_products_offers_to_leave_them_out(
    store: Store, tmp_path: Path
) -> None:
    add_product(store, "AT-DEN-M", price=159_000, on_hand=10)
    add_product(store, "ML-BE", price=129_000, on_hand=10)
    export = tmp_path / "tiktok.csv"
    samples = Path(__file__).parents[2] / "assets" / "samples" / "marketplaces"
    export.write_bytes((samples / "tiktok.csv").read_bytes())
    app = make_app(store, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(export), "enter")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # TikTok Shop
        await settle(pilot)
        await pilot.press("y")  # import the items the shop sells
        await settle(pilot)
    with store.read() as session:
        # Only the order of known products: the shirt and two caps.
        found = orders.get(session, "578123456789012347")
        assert [(ln.sku, ln.qty) for ln in found.lines] == [("AT-DEN-M", 1), ("ML-BE", 2)]
        with pytest.raises(Exception, match="no order"):
            orders.get(session, "578123456789012345")

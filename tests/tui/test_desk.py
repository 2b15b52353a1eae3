"""The first desk, driven by keys: list, filter by status, search, open, page to the end."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import HelpPanel, Input, Static

from helpers import add_product, order_data
from helpers import settle as settled
from orderdesk import config
from orderdesk.db import Store
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.services import orders
from orderdesk.text import fold
from orderdesk.tui.app import make_app
from orderdesk.tui.screens.order_view import OrderView
from orderdesk.tui.widgets.order_table import OrderTable

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Nguyễn Vân Dung", "Phạm Văn Em"]


@pytest.fixture
def shop(store: Store) -> Store:
    add_product(store, "AT-1", on_hand=10_000)
    with store.write() as session:
        for i in range(250):
            order = orders.create(
                session,
                order_data(
                    {"AT-1": 1}, name=NAMES[i % len(NAMES)], phone=f"09{12_000_000 + i:08d}"
                ),
            )
            if i % 10 == 0:
                orders.cancel(session, order.code)
        orders.create(
            session,
            order_data({"AT-1": 1}, name="[b]Lan[/b] [/x]", note="[red]gọi trước[/red] [/]"),
        )
    return store


def desk(store: Store, tmp_path: Path, **keys: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "config.toml"
    for binding, key in keys.items():
        config.set_value(f"keys.{binding}", key, path)
    return make_app(store, config.load(path))


async def test_orders_are_listed_with_counts_per_status(shop: Store, tmp_path: Path) -> None:
    app = desk(shop, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await settled(pilot)
        table = app.screen.query_one(OrderTable)
        assert table.total == 251
        assert table.current is not None and table.current.name == "[b]Lan[/b] [/x]"
        tabs = {tab.id: str(tab.label) for tab in app.screen.query("Tab")}
        assert tabs["tab-all"] == "All 251"
        assert tabs["tab-pending"] == "Pending 226"
        assert tabs["tab-cancelled"] == "Cancelled 25"
        await pilot.press("right")
        await settled(pilot)
        assert app.screen.status_key == "pending"
        assert table.total == 226
        await pilot.press("left", "left")
        await settled(pilot)
        assert app.screen.status_key == "cancelled"
        assert {table.row_at(i).status for i in range(table.total)} == {OrderStatus.CANCELLED}


async def test_search_ignores_diacritics_and_case(shop: Store, tmp_path: Path) -> None:
    app = desk(shop, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await settled(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"NGUYEN VAN")
        await settled(pilot)
        table = app.screen.query_one(OrderTable)
        names = {table.row_at(i).name for i in range(table.total)}
        assert names == {"Nguyễn Văn An", "Nguyễn Vân Dung"}
        assert table.total == 100
        await pilot.press("enter")  # back to the table, the filter stays
        assert isinstance(app.focused, OrderTable)
        await pilot.press("escape")  # clears the search
        await settled(pilot)
        assert table.total == 251


async def test_a_phone_typed_with_spaces_finds_its_order(shop: Store, tmp_path: Path) -> None:
    app = desk(shop, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await settled(pilot)
        await pilot.press("slash", *"0912 000 007")
        await settled(pilot)
        table = app.screen.query_one(OrderTable)
        assert table.total == 1 and table.current.phone == "+84912000007"


async def test_enter_opens_the_order_and_escape_comes_back(shop: Store, tmp_path: Path) -> None:
    app = desk(shop, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await settled(pilot)
        table = app.screen.query_one(OrderTable)
        code = table.current.code
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, OrderView)
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#order-detail", Static).content)
        text = console.export_text()
        assert code in text and "[b]Lan[/b] [/x]" in text and "[red]gọi trước[/red] [/]" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(OrderTable) is table


async def test_end_goes_to_the_oldest_order_through_the_pages(shop: Store, tmp_path: Path) -> None:
    app = desk(shop, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await settled(pilot)
        table = app.screen.query_one(OrderTable)
        await pilot.press("end")
        await pilot.pause()
        with shop.read() as session:
            oldest = orders.list_rows(session, offset=250, limit=1)[0]
        assert table.cursor == 250 and table.current.code == oldest.code
        assert app.screen.sub_title.endswith("251/251")
        await pilot.press("pageup", "up")
        await pilot.pause()
        assert table.cursor < 250 - 20


async def test_question_mark_shows_the_keys(shop: Store, tmp_path: Path) -> None:
    app = desk(shop, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await settled(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query(HelpPanel)
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query(HelpPanel)


async def test_keys_can_be_remapped_from_the_shop_config(shop: Store, tmp_path: Path) -> None:
    app = desk(shop, tmp_path, **{"orders.search": "ctrl+f"})
    async with app.run_test(size=(130, 40)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+f")
        assert isinstance(app.focused, Input)


async def test_an_order_changed_elsewhere_shows_after_reload(shop: Store, tmp_path: Path) -> None:
    app = desk(shop, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await settled(pilot)
        table = app.screen.query_one(OrderTable)
        code = table.current.code
        with shop.write() as session:  # another terminal cancels it
            orders.apply(session, code, Action.CANCEL)
        await pilot.press("f5")
        await settled(pilot)
        assert table.current.status is OrderStatus.CANCELLED


def test_search_key_folds_like_the_search_box() -> None:
    assert fold("Nguyễn Vân Dung") == "nguyen van dung"


async def test_a_busy_database_is_a_notification_not_a_crash(
    shop: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orderdesk.errors import StoreError

    app = desk(shop, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await settled(pilot)

        def busy(*args: object, **kwargs: object) -> None:
            raise StoreError("err.db_busy")

        monkeypatch.setattr(orders.queries, "status_counts", busy)
        await pilot.press("f5")
        await settled(pilot)
        assert app.is_running
        assert [n.message for n in app._notifications] == [
            "the database is busy in another window; try again"
        ]
        monkeypatch.undo()
        await pilot.press("f5")
        await settled(pilot)
        assert app.screen.query_one(OrderTable).total == 251


async def test_an_unexpected_error_is_logged_and_closes_with_one_line(
    shop: Store, tmp_path: Path
) -> None:
    from orderdesk.paths import log_path

    app = desk(shop, tmp_path)
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(130, 40)) as pilot:
            await settled(pilot)
            app.screen.action_reload = lambda: 1 / 0  # type: ignore[method-assign]
            await pilot.press("f5")
            await pilot.pause()
    assert app.return_code == 1
    assert "ZeroDivisionError" in log_path().read_text(encoding="utf-8")

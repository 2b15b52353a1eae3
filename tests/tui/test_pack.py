"""Scan to pack at the keyboard: a scanner types each code and ends it with Enter or ctrl+j."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from helpers import act, add_product, create, order_in, settle, stock_of
from orderdesk import config
from orderdesk.db import Store
from orderdesk.i18n import t
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.services import orders
from orderdesk.tui.app import OrderdeskApp, make_app
from orderdesk.tui.screens.pack import PackScreen

SIZE = (130, 50)
BARCODE = "8930000000024"


@pytest.fixture
def shop(store: Store) -> Store:
    add_product(
        store, "AT-DEN-M", name="Áo thun cotton", on_hand=10, color="Đen", size="M", barcode=BARCODE
    )
    add_product(store, "QJ-30", name="Quần jean ống suông", on_hand=5, size="30")
    add_product(store, "ML-DEN", name="Mũ lưỡi trai", on_hand=5, color="Đen")
    return store


def confirmed(store: Store, items: dict[str, int], **fields: object) -> str:
    code = create(store, items, **fields).code  # type: ignore[arg-type]
    act(store, code, Action.CONFIRM, tick_all=True)
    return code


def status_of(store: Store, code: str) -> OrderStatus:
    with store.read() as session:
        return orders.get(session, code).status


async def scan(pilot, code: str, end: str = "enter") -> None:  # type: ignore[no-untyped-def]
    """What a keyboard-wedge scanner does: one key per character, then CR or LF."""
    await pilot.press(*code, end)
    await pilot.pause()


async def open_packing(app: OrderdeskApp, pilot) -> tuple[PackScreen, list[int]]:  # type: ignore[no-untyped-def]
    rings: list[int] = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
    await settle(pilot)
    await app.push_screen(PackScreen())
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, PackScreen)
    assert app.focused is not None and app.focused.id == "pack-scan"
    return screen, rings


def shown(screen: PackScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def scanned(screen: PackScreen) -> dict[str, str]:
    table = screen.query_one("#pack-lines", DataTable)
    return {
        str(table.get_cell_at((row, 0))): str(table.get_cell_at((row, 3)))
        for row in range(table.row_count)
    }


def errors(app: OrderdeskApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


async def test_a_scanned_order_is_packed_item_by_item_and_the_next_scan_opens_the_next(
    shop: Store, tmp_path: Path
) -> None:
    first = confirmed(shop, {"AT-DEN-M": 2, "QJ-30": 1})
    second = confirmed(shop, {"ML-DEN": 1}, name="Trần Văn Minh", phone="0987654321")
    app = make_app(shop, config.load(tmp_path / "config.toml"))
    async with app.run_test(size=SIZE) as pilot:
        screen, rings = await open_packing(app, pilot)
        await scan(pilot, first)
        assert first in shown(screen, "#pack-order")
        assert "Nguyễn Thị Lan" in shown(screen, "#pack-order")
        assert scanned(screen) == {"AT-DEN-M": "0/2", "QJ-30": "0/1"}

        await scan(pilot, "ML-DEN")  # not in this order: refused loudly, nothing ticked
        refusal = t("err.pack.wrong_item", value="ML-DEN", code=first)
        assert refusal in errors(app)
        assert refusal in shown(screen, "#pack-status")
        assert screen.query_one("#pack-status").has_class("-error")
        assert rings == [1]
        assert scanned(screen) == {"AT-DEN-M": "0/2", "QJ-30": "0/1"}

        await scan(pilot, BARCODE)
        await scan(pilot, "at-den-m")  # the SKU, typed by hand
        assert scanned(screen) == {"AT-DEN-M": "2/2", "QJ-30": "0/1"}
        assert not screen.query_one("#pack-status").has_class("-error")
        assert status_of(shop, first) is OrderStatus.CONFIRMED  # not yet: one item missing

        await scan(pilot, "QJ-30", end="ctrl+j")  # a scanner that ends with LF
        await settle(pilot)
        assert status_of(shop, first) is OrderStatus.PACKED
        assert t("pack.packed", code=first) in shown(screen, "#pack-status")
        assert rings == [1]

        await scan(pilot, second)  # the next scan starts the next order
        assert second in shown(screen, "#pack-order")
        assert scanned(screen) == {"ML-DEN": "0/1"}
        await scan(pilot, "ml-den")
        await settle(pilot)
        assert status_of(shop, second) is OrderStatus.PACKED
        assert isinstance(app.screen, PackScreen)
    assert stock_of(shop, "AT-DEN-M").reserved == 2  # packing holds the units, ships nothing


async def test_one_too_many_is_refused_and_ctrl_z_takes_back_the_last_tick(
    shop: Store, tmp_path: Path
) -> None:
    code = confirmed(shop, {"AT-DEN-M": 1, "QJ-30": 1})
    app = make_app(shop, config.load(tmp_path / "config.toml"))
    async with app.run_test(size=SIZE) as pilot:
        screen, rings = await open_packing(app, pilot)
        await scan(pilot, code)
        await scan(pilot, BARCODE)
        await scan(pilot, BARCODE)
        refusal = t("err.pack.too_many", sku="AT-DEN-M", code=code, qty=1)
        assert refusal in errors(app) and refusal in shown(screen, "#pack-status")
        assert rings == [1]
        assert scanned(screen) == {"AT-DEN-M": "1/1", "QJ-30": "0/1"}

        await pilot.press("ctrl+z")  # the packer put it back after all
        await pilot.pause()
        assert scanned(screen) == {"AT-DEN-M": "0/1", "QJ-30": "0/1"}
        await scan(pilot, "QJ-30")
        assert status_of(shop, code) is OrderStatus.CONFIRMED
        await scan(pilot, "AT-DEN-M")
        await settle(pilot)
        assert status_of(shop, code) is OrderStatus.PACKED


async def test_an_order_that_is_not_confirmed_is_refused_with_its_status(
    shop: Store, tmp_path: Path
) -> None:
    pending = order_in(shop, OrderStatus.PENDING, sku="QJ-30")
    app = make_app(shop, config.load(tmp_path / "config.toml"))
    async with app.run_test(size=SIZE) as pilot:
        screen, rings = await open_packing(app, pilot)
        await scan(pilot, pending)
        refusal = t(
            "err.illegal_transition", code=pending, status=OrderStatus.PENDING, action=Action.PACK
        )
        assert refusal in errors(app) and refusal in shown(screen, "#pack-status")
        assert rings == [1]
        assert scanned(screen) == {}
        await scan(pilot, "DH0000-9999")
        assert t("err.order.unknown", code="DH0000-9999") in shown(screen, "#pack-status")
        assert rings == [1, 1]
    assert status_of(shop, pending) is OrderStatus.PENDING


async def test_scanning_another_order_half_way_switches_and_saves_nothing_for_the_first(
    shop: Store, tmp_path: Path
) -> None:
    first = confirmed(shop, {"AT-DEN-M": 2})
    second = confirmed(shop, {"QJ-30": 1}, name="Trần Văn Minh", phone="0987654321")
    app = make_app(shop, config.load(tmp_path / "config.toml"))
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await open_packing(app, pilot)
        await scan(pilot, first)
        await scan(pilot, BARCODE)
        await scan(pilot, second)
        left = t("pack.left_unfinished", code=first, done=1, total=2)
        assert left in shown(screen, "#pack-status")
        assert any(left in str(n.message) for n in app._notifications)
        assert second in shown(screen, "#pack-order")
        assert scanned(screen) == {"QJ-30": "0/1"}
        await scan(pilot, "QJ-30")
        await settle(pilot)
    assert status_of(shop, second) is OrderStatus.PACKED
    assert status_of(shop, first) is OrderStatus.CONFIRMED


async def test_escape_clears_a_typed_scan_then_abandons_the_order_then_closes(
    shop: Store, tmp_path: Path
) -> None:
    code = confirmed(shop, {"AT-DEN-M": 2})
    app = make_app(shop, config.load(tmp_path / "config.toml"))
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await open_packing(app, pilot)
        await scan(pilot, code)
        await scan(pilot, BARCODE)
        await pilot.press(*"QJ-3")  # half typed
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one("#pack-scan", Input).value == ""
        assert scanned(screen) == {"AT-DEN-M": "1/2"}  # the order is still open

        await pilot.press("escape")
        await pilot.pause()
        assert t("pack.left_unfinished", code=code, done=1, total=2) in shown(
            screen, "#pack-status"
        )
        assert scanned(screen) == {}
        assert app.screen is screen

        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, PackScreen)
    assert status_of(shop, code) is OrderStatus.CONFIRMED

"""Steps 1 and 2 at the keyboard: every test types keys, then reads the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, TextArea

from helpers import add_product, create, settle, stock_of
from orderdesk import config
from orderdesk.db import Store
from orderdesk.models.enums import Action, OrderStatus
from orderdesk.services import orders
from orderdesk.tui.app import make_app
from orderdesk.tui.screens.confirm import ConfirmScreen
from orderdesk.tui.screens.entry import EntryScreen
from orderdesk.tui.screens.order_view import OrderView
from orderdesk.tui.screens.orders import OrdersScreen
from orderdesk.tui.screens.stock import StockScreen

SIZE = (130, 50)


@pytest.fixture
def shop(store: Store) -> Store:
    add_product(
        store,
        "AT-DEN-M",
        name="Áo thun cotton",
        price=175_000,
        on_hand=10,
        color="Đen",
        size="M",
        barcode="8930000000024",
    )
    add_product(
        store,
        "QJ-30",
        name="Quần jean ống suông",
        price=399_000,
        on_hand=5,
        color="Xanh nhạt",
        size="30",
    )
    add_product(store, "ML-DEN", name="Mũ lưỡi trai", price=129_000, on_hand=1, color="Đen")
    return store


def desk(store: Store, tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_app(store, config.load(tmp_path / "config.toml"))


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


def latest(store: Store):  # type: ignore[no-untyped-def]
    with store.read() as session:
        return orders.list_orders(session, limit=1)[0]


async def test_a_new_customer_order_typed_scanned_and_searched(shop: Store, tmp_path: Path) -> None:
    app = desk(shop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EntryScreen) and app.focused.id == "in-phone"
        await type_text(pilot, "0912 345 678")
        await pilot.press("tab")
        await type_text(pilot, "Nguyễn Thị Lan")
        await pilot.press("tab")
        await type_text(pilot, "12 Lý Thường Kiệt")
        await pilot.press("tab")
        await type_text(pilot, "ha noi")  # type-ahead, then Enter takes the first match
        await pilot.press("enter")
        assert app.focused.id == "in-ward"
        await type_text(pilot, "p cua nam")
        await pilot.press("enter")
        assert app.focused.id == "in-item"
        await type_text(pilot, "8930000000024")  # a scanner: the barcode, then Enter
        await pilot.press("enter")
        await type_text(pilot, "quan jean")  # by name: the list shows it, Enter adds it
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
    order = latest(shop)
    assert order.status is OrderStatus.PENDING
    assert (order.name, order.phone, order.street) == (
        "Nguyễn Thị Lan",
        "+84912345678",
        "12 Lý Thường Kiệt",
    )
    assert (order.ward, order.province) == ("Phường Cửa Nam", "Thành phố Hà Nội")
    assert [(ln.sku, ln.qty, ln.reserved) for ln in order.lines] == [
        ("AT-DEN-M", 1, 1),
        ("QJ-30", 1, 1),
    ]
    assert order.cod == 175_000 + 399_000
    assert stock_of(shop, "AT-DEN-M").reserved == 1 and stock_of(shop, "QJ-30").reserved == 1


async def test_a_short_order_waits_then_receiving_stock_releases_it(
    shop: Store, tmp_path: Path
) -> None:
    app = desk(shop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        for text in ("0987 654 321", "Trần Văn Minh", "45 Lê Lợi"):
            await type_text(pilot, text)
            await pilot.press("tab")
        await type_text(pilot, "hcm")
        await pilot.press("enter")
        await type_text(pilot, "ben thanh")
        await pilot.press("enter")
        await type_text(pilot, "ML-DEN")
        await pilot.press("enter")
        await pilot.press("tab")  # to the lines, and one more cap than the shop has
        await pilot.press("plus")
        shortage = str(app.screen.query_one("#totals").render())
        assert "ML-DEN" in shortage
        await pilot.press("ctrl+s")
        await settle(pilot)
        waiting = latest(shop)
        assert waiting.status is OrderStatus.AWAITING_STOCK
        assert any("waits for stock" in str(n.message) for n in app._notifications)

        await pilot.press("escape", "3")  # out of the text field, then step 3
        await settle(pilot)
        assert isinstance(app.screen, StockScreen)
        await pilot.press("slash")
        await type_text(pilot, "ML-DEN")
        await pilot.press("enter", "r")
        await pilot.pause()
        await type_text(pilot, "5")
        await pilot.press("enter")
        await type_text(pilot, "Xưởng mũ")
        await pilot.press("enter")
        await settle(pilot)
        assert waiting.code in str(app.screen.query_one("#stock-result").render())
    with shop.read() as session:
        assert orders.get(session, waiting.code).status is OrderStatus.PENDING
    row = stock_of(shop, "ML-DEN")
    assert (row.on_hand, row.reserved) == (6, 2)


async def test_a_returning_customer_is_filled_in_from_the_phone(
    shop: Store, tmp_path: Path
) -> None:
    before = create(
        shop,
        {"AT-DEN-M": 1},
        name="Lê Thu Hà",
        phone="0905 111 222",
        street="9 Trần Phú",
        ward="Hải Châu",
        province="Đà Nẵng",
    )
    with shop.write() as session:  # she refused a COD parcel once
        for action in (
            Action.CONFIRM,
            Action.PACK,
            Action.SHIP,
            Action.FAIL_DELIVERY,
            Action.MARK_RETURNED,
        ):
            orders.apply(session, before.code, action, tick_all=True)
    app = desk(shop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await type_text(pilot, "+84905111222")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EntryScreen)
        assert (screen.text("name"), screen.text("street")) == ("Lê Thu Hà", "9 Trần Phú")
        assert (screen.text("ward"), screen.text("province")) == (
            "Phường Hải Châu",
            "Thành phố Đà Nẵng",
        )
        card = str(screen.query_one("#customer-card").render())
        assert "Returning customer Lê Thu Hà" in card and "sent back 1 COD parcel" in card
        assert before.code in card
        await pilot.press("tab", "tab", "tab", "tab", "tab")
        assert app.focused.id == "in-item"
        await type_text(pilot, "AT-DEN-M")
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
    order = latest(shop)
    assert order.code != before.code and order.name == "Lê Thu Hà"
    assert order.status is OrderStatus.PENDING


MESSAGES = [
    (
        "Chị Lan 0912345678, 12 Lý Thường Kiệt, P. Cửa Nam, Hà Nội, lấy 2 áo thun đen size M, 350k",
        "0912 345 678",
        "Phường Cửa Nam",
        "Thành phố Hà Nội",
        "cod",
        "350000",
    ),
    (
        "Tên: Trần Văn Minh\nSĐT: +84 987 654 321\nĐịa chỉ: 45 Lê Lợi, phường Bến Thành, TP HCM\n"
        "Đơn: 1 quần jean xanh nhạt 30\nTổng: 1tr2",
        "0987 654 321",
        "Phường Bến Thành",
        "Thành phố Hồ Chí Minh",
        "cod",
        "1200000",
    ),
    (
        "minh anh - 0909.123.456 - so 5 ngo 20 tran phu, ha dong, ha noi - 1 mu den - ck 129.000d",
        "0909 123 456",
        "Phường Hà Đông",
        "Thành phố Hà Nội",
        "paid",
        "129000",
    ),
]


@pytest.mark.parametrize(("message", "phone", "ward", "province", "field", "amount"), MESSAGES)
async def test_paste_to_order_fills_the_form_for_review(
    shop: Store,
    tmp_path: Path,
    message: str,
    phone: str,
    ward: str,
    province: str,
    field: str,
    amount: str,
) -> None:
    app = desk(shop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("ctrl+v")
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        area.post_message(events.Paste(message))  # what the terminal sends on paste
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EntryScreen)
        assert (screen.text("phone"), screen.text("ward"), screen.text("province")) == (
            phone,
            ward,
            province,
        )
        assert screen.text(field) == amount
        assert screen.lines  # the products it recognised
    with shop.read() as session:
        assert orders.list_orders(session) == []  # nothing saved without review


async def test_a_chat_message_pasted_straight_into_a_field_is_read(
    shop: Store, tmp_path: Path
) -> None:
    app = desk(shop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        app.focused.post_message(events.Paste(MESSAGES[0][0].replace(", lấy", "\nlấy")))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EntryScreen)
        assert screen.text("phone") == "0912 345 678"
        assert [(line.sku, line.qty) for line in screen.lines] == [("AT-DEN-M", 2)]


async def test_field_errors_are_shown_next_to_the_field(shop: Store, tmp_path: Path) -> None:
    app = desk(shop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await type_text(pilot, "0901234567x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        errors = {
            f.field_name: str(f.query_one(".field-error").render())
            for f in screen.query("Field")
            if f.has_class("-invalid")
        }
        assert "has characters a phone number cannot have" in errors["phone"]
        assert {"phone", "name", "street", "province", "item"} <= set(errors)
        assert app.focused.id == "in-phone"
    with shop.read() as session:
        assert orders.list_orders(session) == []


async def test_the_checklist_refuses_until_every_item_passes(shop: Store, tmp_path: Path) -> None:
    first = create(shop, {"AT-DEN-M": 1}).code
    second = create(shop, {"QJ-30": 1}, name="Trần Văn Minh", phone="0987654321").code
    app = desk(shop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConfirmScreen) and screen.detail.order.code == first
        await pilot.press("enter")  # nothing ticked: refused, and it says why
        await pilot.pause()
        assert any("cannot be confirmed" in str(n.message) for n in app._notifications)
        with shop.read() as session:
            assert orders.get(session, first).status is OrderStatus.PENDING
        await pilot.press(*["space"] * 5)  # five of the six
        await pilot.press("enter")
        await pilot.pause()
        with shop.read() as session:
            assert orders.get(session, first).status is OrderStatus.PENDING
        await pilot.press("space", "enter")  # the sixth, then confirm
        await settle(pilot)
        with shop.read() as session:
            assert orders.get(session, first).status is OrderStatus.CONFIRMED
        assert screen.detail is not None and screen.detail.order.code == second


async def test_a_queue_of_fifty_orders_is_confirmed_by_keyboard_alone(
    store: Store, tmp_path: Path
) -> None:
    add_product(store, "AT-1", on_hand=100)
    codes = [create(store, {"AT-1": 1}, phone=f"09{12_000_000 + i:08d}").code for i in range(50)]
    app = desk(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        for _ in codes:
            await pilot.press(*["space"] * 6, "enter")
        await settle(pilot)
        assert str(app.screen.query_one("#confirm-order").render()).startswith(
            "No order is waiting"
        )
    with store.read() as session:
        assert orders.status_counts(session)[OrderStatus.CONFIRMED] == 50


async def test_cancel_from_the_order_page_releases_stock(shop: Store, tmp_path: Path) -> None:
    code = create(shop, {"QJ-30": 2}).code
    app = desk(shop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderView)
        await pilot.press("x")
        await pilot.pause()
        await type_text(pilot, "khách đổi ý")
        await pilot.press("enter")
        await settle(pilot)
    with shop.read() as session:
        cancelled = orders.get(session, code)
    assert (cancelled.status, cancelled.cancel_reason) == (OrderStatus.CANCELLED, "khách đổi ý")
    assert stock_of(shop, "QJ-30").reserved == 0


async def test_edit_from_the_order_page_changes_the_order(shop: Store, tmp_path: Path) -> None:
    code = create(shop, {"AT-DEN-M": 1}).code
    app = desk(shop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EntryScreen) and screen.editing is not None
        screen.query_one("#lines").focus()
        await pilot.press("plus", "plus")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with shop.read() as session:
        edited = orders.get(session, code)
    assert [(ln.sku, ln.qty) for ln in edited.lines] == [("AT-DEN-M", 3)]
    assert stock_of(shop, "AT-DEN-M").reserved == 3


async def test_number_keys_switch_steps_except_while_typing(shop: Store, tmp_path: Path) -> None:
    app = desk(shop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, screen_type in (
            ("2", EntryScreen),
            ("3", StockScreen),
            ("4", ConfirmScreen),
            ("1", OrdersScreen),
        ):
            await pilot.press("escape", key)  # New order starts in a text field: leave it
            await settle(pilot)
            assert isinstance(app.screen, screen_type)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.focused, Input)
        await pilot.press("3")  # typed into the phone box, not a step switch
        assert isinstance(app.screen, EntryScreen) and app.focused.value == "3"
        await pilot.press("escape")  # leaves the field: the number keys work again
        assert not isinstance(app.focused, Input)
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_mode == "orders"


async def test_the_command_palette_reaches_every_step(shop: Store, tmp_path: Path) -> None:
    app = desk(shop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "receive goods")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, (StockScreen,)) or app.current_mode == "stock"


async def test_an_unexpected_error_in_an_action_is_reported_and_the_desk_goes_on(
    shop: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orderdesk.paths import log_path

    app = desk(shop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)

        def broken(session):  # type: ignore[no-untyped-def]
            raise RuntimeError("disk on fire")

        with monkeypatch.context() as patched:
            patched.setattr(orders, "confirm_queue", broken)
            await pilot.press("f5")
            await pilot.pause()
        assert app.is_running
        message = str(list(app._notifications)[-1].message)
        assert str(log_path()) in message and "keeps running" in message
        await pilot.press("1")  # still at the keyboard's command
        await settle(pilot)
        assert app.current_mode == "orders"
    assert "disk on fire" in log_path().read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("words", "mode"), [("tao don", "entry"), ("xac nhan", "confirm"), ("kho", "stock")]
)
async def test_the_palette_finds_steps_by_vietnamese_words_without_diacritics(
    shop: Store, tmp_path: Path, words: str, mode: str
) -> None:
    from orderdesk.i18n import set_language

    set_language("vi")
    app = desk(shop, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, words)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == mode

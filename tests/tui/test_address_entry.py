"""Addresses at the keyboard: the ward typed is the ward saved, an old address is shown
converted, and a split old ward is chosen from what it became."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Static, TextArea

from helpers import add_product, settle
from orderdesk import config
from orderdesk.db import Store
from orderdesk.models.inputs import CustomerEntry
from orderdesk.models.reads import OrderRead
from orderdesk.services import orders
from orderdesk.services.files.customers import check, save
from orderdesk.tui.app import make_app
from orderdesk.tui.screens.entry import EntryScreen

SIZE = (130, 50)


@pytest.fixture
def shop(store: Store) -> Store:
    add_product(store, "AT-1", name="Áo thun cotton", price=175_000, on_hand=10)
    return store


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


async def open_form(pilot) -> EntryScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, EntryScreen)
    return screen


async def fill(pilot, phone: str, province: str) -> None:  # type: ignore[no-untyped-def]
    await type_text(pilot, phone)
    await pilot.press("tab")
    await type_text(pilot, "Chị Thu")
    await pilot.press("tab")
    await type_text(pilot, "5 ngõ 10")
    await pilot.press("tab")
    await type_text(pilot, province)
    await pilot.press("enter")
    assert pilot.app.focused.id == "in-ward"


def saved(store: Store) -> OrderRead:
    with store.read() as session:
        return orders.list_orders(session, limit=1)[0]


@pytest.mark.parametrize(
    ("province", "typed", "ward"),
    [
        ("ha noi", "phuong liet", "Phường Phương Liệt"),
        ("thai nguyen", "phuong tien", "Xã Phượng Tiến"),
        ("dien bien", "xa dung", "Xã Xa Dung"),
        ("hcm", "p ben thanh", "Phường Bến Thành"),
    ],
)
async def test_enter_takes_the_ward_typed(
    shop: Store, tmp_path: Path, province: str, typed: str, ward: str
) -> None:
    app = make_app(shop, config.load(tmp_path / "config.toml"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await fill(pilot, "0912345678", province)
        await type_text(pilot, typed)
        await pilot.press("enter")
        assert screen.text("ward") == ward
        await type_text(pilot, "AT-1")
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
    assert saved(shop).ward == ward


async def test_a_split_old_ward_is_chosen_from_its_successors(shop: Store, tmp_path: Path) -> None:
    app = make_app(shop, config.load(tmp_path / "config.toml"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await fill(pilot, "0912345678", "ha noi")
        await type_text(pilot, "dich vong hau")
        await pilot.pause()
        offered = [str(c.label) for c in screen.picker("ward")._choices]
        assert any("Dịch Vọng Hậu" in o and "Phường Nghĩa Đô" in o for o in offered)
        assert any("Dịch Vọng Hậu" in o and "Phường Cầu Giấy" in o for o in offered)
        nghia_do = next(i for i, o in enumerate(offered) if o.endswith("Phường Nghĩa Đô"))
        await pilot.press(*["down"] * nghia_do, "enter")
        assert screen.text("ward") == "Phường Nghĩa Đô"
        note = str(screen.query_one("#address-note", Static).render())
        assert "Dịch Vọng Hậu" in note and "Phường Nghĩa Đô" in note
        await type_text(pilot, "AT-1")
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
    order = saved(shop)
    assert order.ward == "Phường Nghĩa Đô" and "Dịch Vọng Hậu" in order.old_address


async def test_a_pasted_old_address_is_shown_converted(shop: Store, tmp_path: Path) -> None:
    app = make_app(shop, config.load(tmp_path / "config.toml"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await pilot.press("ctrl+v")
        await pilot.pause()
        message = "Chị Lan 0912345678, 12 Nguyễn Trãi, Phường 5, Quận 3, TP.HCM, 1 ao thun"
        app.screen.query_one(TextArea).post_message(events.Paste(message))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.text("ward") == "Phường Bàn Cờ"
        note = str(screen.query_one("#address-note", Static).render())
        assert "Phường 5, Quận 3, TP.HCM → Phường Bàn Cờ" in note
        screen.input("phone").focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
    order = saved(shop)
    assert order.ward == "Phường Bàn Cờ" and order.old_address == "Phường 5, Quận 3, TP.HCM"


async def test_a_customer_kept_with_a_split_old_address_chooses_on_the_next_order(
    shop: Store, tmp_path: Path
) -> None:
    with shop.write() as session:
        entry = check(
            CustomerEntry(
                "0912000999",
                "Trần Minh",
                street="27 Trần Duy Hưng",
                ward="Dịch Vọng Hậu",
                district="Cầu Giấy",
                province="Hà Nội",
            )
        )
        save(session, [entry])
    app = make_app(shop, config.load(tmp_path / "config.toml"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await type_text(pilot, "0912000999")
        await pilot.pause()
        assert screen.text("street") == "27 Trần Duy Hưng"
        assert "Dịch Vọng Hậu" in str(screen.query_one("#address-note", Static).render())
        screen.picker("ward").input.focus()
        await pilot.pause()
        offered = [str(c.label) for c in screen.picker("ward")._choices]
        cau_giay = next(i for i, o in enumerate(offered) if o.endswith("Phường Cầu Giấy"))
        await pilot.press(*["down"] * cau_giay, "enter")
        await type_text(pilot, "AT-1")
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
    assert saved(shop).ward == "Phường Cầu Giấy"
    with shop.read() as session:
        from orderdesk.services import customers, doctor

        known = customers.by_phone(session, "0912000999")
        assert (known.ward, known.old_address) == ("Phường Cầu Giấy", "")
        assert doctor.notes(session) == []

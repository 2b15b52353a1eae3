"""Step 3 at the keyboard: mark orders, print them, watch progress, cancel, open the result."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from textual.widgets import DataTable, ProgressBar, SelectionList, Static

from helpers import act, add_product, create, settle
from orderdesk import config
from orderdesk.db import Store
from orderdesk.models.enums import Action
from orderdesk.printing import pdf
from orderdesk.services import print_batches as batch
from orderdesk.timeutil import local_today
from orderdesk.tui.app import make_app
from orderdesk.tui.modals.yesno import YesNoModal
from orderdesk.tui.screens.pack import PackScreen
from orderdesk.tui.screens.print import PrintScreen

SIZE = (140, 45)


@pytest.fixture
def shop(store: Store) -> Store:
    add_product(store, "AT-1", name="Áo thun cổ tròn", on_hand=100, weight_g=250)
    return store


def confirmed(store: Store, count: int) -> list[str]:
    codes = []
    for i in range(count):
        code = create(store, {"AT-1": 1}, name=f"Nguyễn Thị Hồng {i}").code
        act(store, code, Action.CONFIRM, tick_all=True)
        codes.append(code)
    return codes


def printed(store: Store, kind: str = "labels") -> set[int]:
    with store.read() as session:
        ids = batch.find_ids(session, batch.Selection(), kind=kind, default_carrier="ghn")
        return batch.printed_ids(session, ids, kind)


async def open_print(pilot) -> PrintScreen:  # type: ignore[no-untyped-def]
    await pilot.press("5")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PrintScreen)
    return screen


async def test_mark_a_range_print_and_see_the_result(shop: Store, tmp_path: Path) -> None:
    codes = confirmed(shop, 6)
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_print(pilot)
        assert screen.query_one("#print-table", DataTable).row_count == 6
        # Second row, then shift+↓ twice: rows 2–4 marked.
        await pilot.press("down", "shift+down", "shift+down")
        assert screen.marked == set(codes[1:4])
        # Space toggles the cursor row off and moves on.
        await pilot.press("space")
        assert screen.marked == set(codes[1:3])
        await pilot.press("p")
        await settle(pilot)
        result = str(screen.query_one("#print-result", Static).render())
        assert "Labels: 2 orders" in result and "Pick list: 2 orders" in result
        assert len(screen.files) == 2
        labels = next(f for f in screen.files if "labels" in Path(f).name)
        text = "\n".join(page.extract_text() for page in PdfReader(labels).pages)
        assert codes[1] in text and codes[2] in text and codes[0] not in text
        assert len(printed(shop)) == 2
        assert screen.marked == set()
        # The table shows what was printed.
        table = screen.query_one("#print-table", DataTable)
        assert str(table.get_cell(codes[1], "printed")) == "LP"


async def test_mark_all_invert_and_a_reprint_needs_a_yes(shop: Store) -> None:
    codes = confirmed(shop, 4)
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_print(pilot)
        await pilot.press("a")
        assert screen.marked == set(codes)
        await pilot.press("i")
        assert screen.marked == set()
        await pilot.press("space", "space")  # first two
        await pilot.press("p")
        await settle(pilot)
        assert len(printed(shop)) == 2
        await pilot.press("a", "p")
        await pilot.pause()
        assert isinstance(app.screen, YesNoModal)
        await pilot.press("n")  # print only the two not printed yet
        await settle(pilot)
        result = str(screen.query_one("#print-result", Static).render())
        assert "Labels: 2 orders" in result and "2 already printed, skipped" in result
        assert len(printed(shop)) == 4


async def test_escape_cancels_a_batch_midway_and_nothing_is_marked(
    shop: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    confirmed(shop, 8)
    halfway = threading.Event()
    release = threading.Event()
    real = pdf.write_labels

    def slow(out, orders, shop_, size, at, progress=None):  # type: ignore[no-untyped-def]
        def step(done: int) -> None:
            if done == 4:
                halfway.set()
                release.wait(5)
            if progress:
                progress(done)

        real(out, orders, shop_, size, at, step)

    monkeypatch.setattr(pdf, "write_labels", slow)
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_print(pilot)
        await pilot.press("a", "p")
        for _ in range(100):
            if halfway.is_set():
                break
            await pilot.pause(0.02)
        assert screen.query_one("#print-progress", ProgressBar).display
        await pilot.press("escape")
        release.set()
        await settle(pilot)
        result = str(screen.query_one("#print-result", Static).render())
        assert "cancelled" in result
        assert not screen.query_one("#print-progress", ProgressBar).display
    assert printed(shop) == set()
    assert printed(shop, "picklist") == set()


async def test_documents_are_chosen_in_the_side_panel(shop: Store) -> None:
    confirmed(shop, 2)
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_print(pilot)
        kinds = screen.query_one("#print-kinds", SelectionList)
        kinds.focus()
        await pilot.press("space")  # labels off
        await pilot.press("down", "space")  # invoices on
        assert sorted(kinds.selected) == ["invoices", "picklist"]
        screen.query_one("#print-table", DataTable).focus()
        await pilot.press("a", "p")
        await settle(pilot)
        assert printed(shop, "invoices") and printed(shop, "picklist")
        assert printed(shop, "labels") == set()


async def test_nothing_marked_says_how_to_mark(shop: Store) -> None:
    confirmed(shop, 1)
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE) as pilot:
        await open_print(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert any("Mark orders first" in n.message for n in app._notifications)


async def test_k_opens_scan_to_pack(shop: Store) -> None:
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE) as pilot:
        await open_print(pilot)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, PackScreen)


@pytest.mark.dated
async def test_filters_narrow_the_list(shop: Store, now: datetime) -> None:
    from textual.widgets import Input, Select

    from orderdesk.services import shipping

    codes = confirmed(shop, 3)
    with shop.write() as session:
        shipping.assign(session, codes[0], carrier="ghtk")
    deliver_by = local_today(now) + timedelta(days=3)
    due = create(shop, {"AT-1": 1}, deliver_by=deliver_by).code
    act(shop, due, Action.CONFIRM, tick_all=True)
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_print(pilot)
        assert [row.code for row in screen.rows] == [*codes, due]
        screen.query_one("#print-carrier", Select).value = "ghtk"
        await pilot.pause()
        assert [row.code for row in screen.rows] == [codes[0]]
        screen.query_one("#print-carrier", Select).clear()
        await pilot.pause()
        screen.query_one("#print-deliver-by", Input).focus()
        await pilot.press(*(deliver_by + timedelta(days=1)).strftime("%d/%m/%Y"), "enter")
        await pilot.pause()
        assert [row.code for row in screen.rows] == [due]
        await pilot.press("a", "p")
        await settle(pilot)
        screen.query_one("#print-deliver-by", Input).value = ""
        screen.query_one("#print-printed", Select).value = "no"
        await pilot.pause()
        assert [row.code for row in screen.rows] == codes
        screen.query_one("#print-printed", Select).value = "yes"
        await pilot.pause()
        assert [row.code for row in screen.rows] == [due]


async def test_labels_as_zpl_for_a_thermal_printer(shop: Store) -> None:
    from textual.widgets import Select

    codes = confirmed(shop, 2)
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_print(pilot)
        screen.query_one("#print-label-format", Select).value = "zpl"
        await pilot.press("a", "p")
        await settle(pilot)
        zpl_file = next(Path(f) for f in screen.files if f.endswith(".zpl"))
        body = zpl_file.read_bytes()
        assert body.count(b"^XA") == 2 and all(code.encode() in body for code in codes)


async def test_letters_typed_in_the_date_filter_stay_there(shop: Store) -> None:
    from textual.widgets import Input

    confirmed(shop, 1)
    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_print(pilot)
        box = screen.query_one("#print-deliver-by", Input)
        box.focus()
        await pilot.press("a", "p", "i", "k")
        await pilot.pause()
        assert box.value == "apik"
        assert screen.marked == set() and isinstance(app.screen, PrintScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert any("apik" in n.message for n in app._notifications)  # not a date: said so


async def test_markup_in_a_scan_or_a_filter_is_shown_as_typed(shop: Store) -> None:
    # Notifications on: a toast parses Rich markup, and "[/x]" used to end the desk.
    from textual.widgets import Input

    app = make_app(shop, config.load())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_print(pilot)
        screen.query_one("#print-deliver-by", Input).focus()
        await pilot.press(*"[/b]", "enter")
        for _ in range(5):
            await pilot.pause(0.05)
        assert any("[/b]" in n.message for n in app._notifications)
        screen.query_one("#print-table", DataTable).focus()
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, PackScreen)
        await pilot.press(*"[/x]", "enter")
        for _ in range(5):
            await pilot.pause(0.05)
        assert any("[/x]" in n.message for n in app._notifications)
        assert app.is_running

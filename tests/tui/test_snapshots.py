"""A few whole-screen pictures at a fixed size, clock frozen: a layout change shows here.

Run `pytest tests/tui/test_snapshots.py --snapshot-update` after a deliberate change and
look at the new SVG files before committing them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from textual.widgets import Input, TextArea

from helpers import add_product
from orderdesk import config
from orderdesk.db import Store
from orderdesk.models.enums import Action
from orderdesk.models.inputs import LineInput, OrderCreate
from orderdesk.services import orders, stock
from orderdesk.tui.app import make_app

SNAPSHOTS = Path(__file__).parent / "snapshots"
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
SIZE = (120, 36)


@pytest.fixture
def frozen_shop(store: Store) -> Iterator[Store]:
    # A picture needs the same date on every day the suite runs: the clock stops at NOW.
    with time_machine.travel(NOW, tick=False):
        yield _shop(store)


def _shop(store: Store) -> Store:
    add_product(
        store,
        "AT-DEN-M",
        name="Áo thun cotton",
        price=175_000,
        on_hand=12,
        color="Đen",
        size="M",
        low_stock=3,
    )
    add_product(
        store,
        "QJ-30",
        name="Quần jean ống suông",
        price=399_000,
        on_hand=2,
        color="Xanh nhạt",
        size="30",
        low_stock=3,
    )
    add_product(store, "ML-DEN", name="Mũ lưỡi trai", price=129_000, color="Đen")
    people = [
        ("Nguyễn Thị Lan", "0912345678", "12 Lý Thường Kiệt", "Cửa Nam", "Hà Nội"),
        ("Trần Văn Minh", "0987654321", "45 Lê Lợi", "Bến Thành", "hcm"),
        ("Lê Hoàng Anh", "0909123456", "Thôn 3", "Văn Lăng", "Thái Nguyên"),
        ("Phạm Thu Hà", "0368111222", "88 Nguyễn Văn Linh", "Hải Châu", "Đà Nẵng"),
    ]
    with store.write() as session:
        for i, (name, phone, street, ward, province) in enumerate(people * 2):
            order = orders.create(
                session,
                OrderCreate(
                    name=name,
                    phone=phone,
                    street=street,
                    ward=ward,
                    province=province,
                    items=[LineInput("AT-DEN-M", 1 + i % 2)]
                    + ([LineInput("QJ-30", 1)] if i == 1 else []),
                    shipping_fee=25_000,
                    note="Giao giờ hành chính" if i == 0 else "",
                ),
                allow_backorder=True,
                now=NOW.replace(hour=1 + i),
            )
            if i in (4, 5, 6):
                orders.apply(
                    session, order.code, Action.CONFIRM, tick_all=True, now=NOW.replace(hour=9)
                )
            if i == 6:
                orders.apply(session, order.code, Action.PACK, now=NOW.replace(hour=10))
        orders.create(
            session,
            OrderCreate(
                name="Võ Minh Tuấn",
                phone="0905777888",
                street="3 Hai Bà Trưng",
                ward="Sài Gòn",
                province="hcm",
                items=[LineInput("ML-DEN", 2)],
            ),
            allow_backorder=True,
            now=NOW.replace(hour=11),
        )
        stock.receive(session, "AT-DEN-M", 5, note="Xưởng Hà Đông", now=NOW.replace(hour=12))
    return store


def text_of(svg: str) -> list[str]:
    """The characters of an exported screen, line by line (for a readable diff)."""
    return [re.sub(r"&#160;", " ", line) for line in re.findall(r">([^<>]+)</text>", svg)]


def check(name: str, svg: str, update: bool) -> None:
    expected = SNAPSHOTS / f"{name}.svg"
    if update or not expected.exists():
        expected.write_text(svg, encoding="utf-8")
        if not update:
            pytest.fail(f"new snapshot {expected.name} written; look at it, then commit it")
        return
    old = expected.read_text(encoding="utf-8")
    if old != svg:
        actual = SNAPSHOTS / f"{name}.actual.svg"
        actual.write_text(svg, encoding="utf-8")
        diff = "\n".join(difflib.unified_diff(text_of(old), text_of(svg), lineterm="", n=1))
        pytest.fail(f"{name} differs from its snapshot (see {actual.name}):\n{diff[:3000]}")


async def shoot(store: Store, tmp_path: Path, keys: list[str]) -> str:
    app = make_app(store, config.load(tmp_path / "config.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        for widget in app.query("Input, TextArea").results():
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False
        await pilot.pause(0.1)
        return app.export_screenshot()


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("orders", []),
        (
            "new_order",
            ["2", *"0912345678", "tab", "tab", "tab", "tab", "tab", *"QJ-30", "enter", "enter"],
        ),
        ("stock", ["3"]),
        ("confirm", ["4", "space", "space"]),
    ],
)
async def test_screen(
    frozen_shop: Store, tmp_path: Path, request: pytest.FixtureRequest, name: str, keys: list[str]
) -> None:
    svg = await shoot(frozen_shop, tmp_path, keys)
    check(name, svg, request.config.getoption("--snapshot-update"))

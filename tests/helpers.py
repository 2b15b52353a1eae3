"""Small builders the tests share: a shop with products, and orders in any status."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from orderdesk.db import Store
from orderdesk.models.enums import Action, Inspection, OrderStatus, PaymentMethod
from orderdesk.models.inputs import LineInput, OrderCreate, ProductCreate
from orderdesk.models.reads import OrderRead, StockRow
from orderdesk.printing.documents import Line, PrintOrder
from orderdesk.services import ledger, orders, products, stock

SAMPLES = Path(__file__).parents[1] / "assets" / "samples"
# The carrier samples tell parcels shipped on 19/11/2026 as a shop reads them on 27/11/2026 at
# 10:00 in Vietnam. A test moves them to its own `now` with `dated_sample` and `sample_time`.
SAMPLE_NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
_DATES = re.compile(r"(?<!\d)(?:(\d{4})-(\d{2})-(\d{2})|(\d{2})/(\d{2})/(\d{4}))(?!\d)")


def sample_time(now: datetime, moment: datetime) -> datetime:
    """`moment` of the samples' story, told as if the samples were read at `now`."""
    return moment + timedelta(days=(now.date() - SAMPLE_NOW.date()).days)


def _move_dates(text: str, days: int) -> str:
    def moved(found: re.Match[str]) -> str:
        if found[1]:
            day = date(int(found[1]), int(found[2]), int(found[3])) + timedelta(days=days)
            return day.isoformat()
        day = date(int(found[6]), int(found[5]), int(found[4])) + timedelta(days=days)
        return day.strftime("%d/%m/%Y")

    return _DATES.sub(moved, text)


def dated_sample(path: Path, now: datetime, folder: Path) -> Path:
    """A copy of a sample file in `folder` with every date moved as `sample_time` moves it."""
    days = (now.date() - SAMPLE_NOW.date()).days
    target = folder / path.name
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.value = _move_dates(cell.value, days)
                    elif isinstance(cell.value, datetime | date):
                        cell.value = cell.value + timedelta(days=days)
        book.save(target)
    else:
        target.write_bytes(_move_dates(path.read_bytes().decode("utf-8"), days).encode("utf-8"))
    return target


def add_product(
    store: Store, sku: str, *, price: int = 100_000, on_hand: int = 0, **extra: Any
) -> None:
    with store.write() as session:
        products.save(
            session,
            ProductCreate(sku=sku, name=extra.pop("name", f"Áo {sku}"), price=price, **extra),
        )
        if on_hand:
            stock.receive(session, sku, on_hand)


def order_data(items: dict[str, int] | None = None, **fields: Any) -> OrderCreate:
    values: dict[str, Any] = dict(
        name="Nguyễn Thị Lan",
        phone="0912 345 678",
        street="12 Lý Thường Kiệt",
        ward="Phường Cửa Nam",
        province="Hà Nội",
    )
    values.update(fields)
    lines = [LineInput(sku, qty) for sku, qty in (items or {"AT-1": 1}).items()]
    return OrderCreate(items=lines, **values)


def create(
    store: Store, items: dict[str, int] | None = None, *, backorder: bool = False, **fields: Any
) -> OrderRead:
    with store.write() as session:
        return orders.create(session, order_data(items, **fields), allow_backorder=backorder)


def act(store: Store, code: str, action: Action, **kwargs: Any) -> OrderRead:
    with store.write() as session:
        return orders.apply(session, code, action, **kwargs)


def stock_of(store: Store, sku: str) -> StockRow:
    with store.read() as session:
        return ledger.stock_row(session, sku)


# How to bring a fresh pending order to each status.
PATHS: dict[OrderStatus, list[Action]] = {
    OrderStatus.PENDING: [],
    OrderStatus.CONFIRMED: [Action.CONFIRM],
    OrderStatus.PACKED: [Action.CONFIRM, Action.PACK],
    OrderStatus.SHIPPED: [Action.CONFIRM, Action.PACK, Action.SHIP],
    OrderStatus.DELIVERED: [Action.CONFIRM, Action.PACK, Action.SHIP, Action.DELIVER],
    OrderStatus.DELIVERY_FAILED: [Action.CONFIRM, Action.PACK, Action.SHIP, Action.FAIL_DELIVERY],
    OrderStatus.RETURNING: [Action.CONFIRM, Action.PACK, Action.SHIP, Action.START_RETURN],
    OrderStatus.RETURNED: [Action.CONFIRM, Action.PACK, Action.SHIP, Action.MARK_RETURNED],
    OrderStatus.CANCELLED: [Action.CANCEL],
}


def order_in(store: Store, status: OrderStatus, sku: str = "AT-1", qty: int = 1) -> str:
    """The code of a new order brought to `status` through the normal actions."""
    if status is OrderStatus.AWAITING_STOCK:
        free = stock_of(store, sku).available
        order = create(store, {sku: free + qty}, backorder=True)
        assert order.status is OrderStatus.AWAITING_STOCK
        return order.code
    code = create(store, {sku: qty}).code
    for action in PATHS[status]:
        act(store, code, action, tick_all=True)
    return code


def print_order(i: int = 1, **changes: Any) -> PrintOrder:
    """An order as documents print it, without a database: order `DH2611-000i`."""
    order = PrintOrder(
        id=i,
        code=f"DH2611-{i:04d}",
        status=OrderStatus.CONFIRMED,
        created_at=datetime(2026, 11, 27, 7, 30, tzinfo=UTC),
        name="Nguyễn Thị Hồng Nhung",
        phone="+84912345678",
        street="45 Nguyễn Huệ",
        ward="Phường Sài Gòn",
        district="",
        province="Thành phố Hồ Chí Minh",
        subtotal=300_000,
        shipping_fee=50_000,
        discount=0,
        paid=0,
        cod=350_000,
        payment=PaymentMethod.COD,
        deliver_by=date(2026, 11, 30),
        inspection=Inspection.VIEW,
        note="Gọi trước khi giao",
        carrier="ghn",
        service="Chuẩn",
        tracking="",
        lines=[
            Line("AT-001", "Áo thun cổ tròn", "Đen, L", 2, 100_000, 250),
            Line("QJ-032", "Quần jean ống đứng", "32", 1, 100_000, 450),
        ],
    )
    return dataclasses.replace(order, **changes)


async def settle(pilot: Any) -> None:
    """Let the desk finish what it started: its workers, then its messages. A worker that a
    newer one replaced (a report range switched again) is not waited for."""
    from textual.worker import WorkerCancelled

    for _ in range(5):
        try:
            await pilot.app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            continue
    await pilot.pause()
